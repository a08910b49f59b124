// Accounts, sessions, password reset, the account page and its API
// tokens, membership, security headers, and the small public pages.
import {
	Client, test, sql, one, q, snapshot, unchanged, inputValue, selectValue,
	fieldError, errorSummary, csrfOf,
} from '../lib/client.mjs';
import {
	U, F, UNIQ, PW, email, register, login, fork,
} from './common.mjs';

// A page answered 400 with the field's message beside it and in the summary.
function fieldErr(c, res, name, msg, what) {
	const got = fieldError(res.text, name);
	c.ok(got !== null && got.includes(msg),
	    `${what}: error beside f-${name}: ${JSON.stringify(got)}, want "${msg}"`);
	const sum = errorSummary(res.text) || '';
	c.ok(sum.includes(`href="#f-${name}"`) && sum.includes(msg),
	    `${what}: the error summary names f-${name} with "${msg}"`);
}

function sessionCookieOf(res) {
	return res.setCookies.find((s) => s.startsWith('endorse_session='));
}

export async function run() {
	// ---------------------------------------------------------- headers
	await test('security headers on pages, errors, redirects, API, static', async (c) => {
		const anon = new Client('anon');
		const samples = [
			await anon.get('/'), await anon.get('/login'),
			await anon.get('/no/such/page'), await anon.get('/dashboard'),
			await U.B.get(`/applications/${F.appA}`), await U.A.get('/coordinator'),
			await U.A.get(`/applications/${F.appA}/tab/work`),
			await anon.get('/static/style.css'), await anon.get('/healthz'),
			await anon.get('/api/v1/applications'),
			await anon.get('/api/v1/applications', { bearer: U.A.token }),
			await anon.post('/api/v1/tokens', { json: '{' }),
			await anon.get('/logout'),
		];
		const codes = samples.map((r) => r.status);
		c.eq(codes, [200, 200, 404, 303, 404, 403, 200, 200, 200, 401, 200, 400, 405],
		    'statuses of the sample');
		for (const r of samples) {
			const csp = r.headers.get('content-security-policy') || '';
			c.ok(/default-src 'none'/.test(csp) && /frame-ancestors 'none'/.test(csp),
			    `${r.path}: Content-Security-Policy ${JSON.stringify(csp)}`);
			c.eq(r.headers.get('x-content-type-options'), 'nosniff',
			    `${r.path}: X-Content-Type-Options`);
			c.eq(r.headers.get('x-frame-options'), 'DENY', `${r.path}: X-Frame-Options`);
		}
		c.ok(samples[7].ctype.startsWith('text/css'), `style.css type ${samples[7].ctype}`);
		c.ok(samples[9].ctype.startsWith('application/json'), 'API 401 is JSON');
		c.eq(samples[6].headers.get('cache-control'), 'no-store', 'pages are no-store');
	});

	await test('unknown address 404, wrong method 405 (page and API)', async (c) => {
		const anon = new Client('anon');
		let r = await anon.get('/nowhere');
		c.status(r, 404, 'GET /nowhere');
		c.has(r.text, 'there is no such page', '404 page');
		r = await anon.get('/logout');
		c.status(r, 405, 'GET /logout');
		r = await anon.get('/api/v1/nowhere');
		c.status(r, 404, 'GET /api/v1/nowhere');
		c.ok(r.json() && typeof r.json().error === 'string', `API 404 is {"error"}: ${r.text}`);
		r = await anon.get('/api/v1/tokens');
		c.status(r, 405, 'GET /api/v1/tokens');
		c.ok(r.json() && typeof r.json().error === 'string', `API 405 is {"error"}: ${r.text}`);
		r = await anon.get('/static/nope.css');
		c.status(r, 404, 'GET /static/nope.css');
		r = await anon.get('/applications/0');
		c.status(r, 404, 'GET /applications/0 (not a positive id)');
	});

	await test('public pages: home, login, register, reset, fit', async (c) => {
		const anon = new Client('anon');
		let r = await anon.get('/');
		c.status(r, 200, 'GET /');
		c.has(r.text, 'href="/register"', 'home links to register');
		r = await U.A.get('/');
		c.redirect(r, '/dashboard', 'an applicant at /');
		r = await U.cSame.get('/');
		c.redirect(r, '/coordinator', 'a coordinator at /');
		r = await anon.get('/login');
		c.status(r, 200, 'GET /login');
		c.ok(csrfOf(r.text), 'the login form carries a csrf token');
		c.ok(anon.cookie('endorse_pre'), 'an anonymous form sets endorse_pre');
		r = await U.A.get('/login');
		c.redirect(r, '/dashboard', 'logged in at /login');
		r = await anon.get('/register');
		c.status(r, 200, 'GET /register');
		c.has(r.text, '<option value="vaimh"', 'register offers the associations');
		r = await anon.get('/reset');
		c.status(r, 200, 'GET /reset');
		c.has(r.text, 'action="/reset"', 'reset form');
	});

	await test('GET /fit proposes categories from the answers', async (c) => {
		const anon = new Client('anon');
		let r = await anon.get('/fit');
		c.status(r, 200, 'GET /fit');
		c.lacks(r.text, 'Our proposal', 'no proposal without answers');
		r = await anon.get('/fit?work=dyads&how=prevention&ages=infant');
		c.status(r, 200, 'dyads/prevention/infant');
		c.has(r.text, '/applications/new?association=vaimh&amp;category=IFS', 'vaimh IFS proposed');
		c.has(r.text, '/applications/new?association=infancy-onward&amp;category=IFS', 'infancy-onward IFS proposed');
		r = await anon.get('/fit?work=dyads&how=treatment&ages=early_childhood');
		c.has(r.text, 'category=ECMHS', 'treatment with young children: ECMHS');
		r = await anon.get('/fit?work=dyads');
		c.has(r.text, 'Answer how you support them', 'dyads without how');
		r = await anon.get('/fit?work=astronaut');
		c.has(r.text, 'No category of the installed associations matches', 'no fit');
	});

	// ---------------------------------------------------------- register
	await test('register: success answers /login?registered=1 with no session (as for a known address), welcome mail queued; then the login works', async (c) => {
		const mail = email('reg');
		const u = new Client('reg');
		await u.get('/register');
		const pre = u.cookie('endorse_pre');
		const r = await u.submit('/register', { name: 'Reg Ister', email: mail,
		    password: PW, association: 'vaimh' });
		c.redirect(r, '/login?registered=1', 'POST /register');
		c.ok(!sessionCookieOf(r), 'no session cookie from a registration');
		c.eq(sql(`SELECT name, role, association FROM account WHERE email = ${q(mail)}`),
		    [{ name: 'Reg Ister', role: 'applicant', association: null }], 'account row');
		c.ok(!(one(`SELECT pwhash FROM account WHERE email = ${q(mail)}`) || '').includes(PW) &&
		    /^\$argon2id\$/.test(one(`SELECT pwhash FROM account WHERE email = ${q(mail)}`)),
		    'the password is stored as an Argon2id hash');
		c.eq(sql(`SELECT association, subject FROM outbox WHERE recipient = ${q(mail)}`),
		    [{ association: 'vaimh', subject: 'Welcome to Endorse' }], 'welcome mail');
		const notice = await u.get('/login?registered=1');
		c.has(notice.text, 'Check your e-mail', 'the login page says a mail went out');
		const l = await u.submit('/login', { email: mail, password: PW });
		c.redirect(l, '/dashboard', 'log in after registering');
		const sc = sessionCookieOf(l) || '';
		c.ok(/HttpOnly/.test(sc), `session cookie HttpOnly: ${sc}`);
		c.ok(/SameSite=Lax/.test(sc), `session cookie SameSite=Lax: ${sc}`);
		c.ok(/Path=\//.test(sc), `session cookie Path=/: ${sc}`);
		c.ok(u.cookie('endorse_session') && u.cookie('endorse_session') !== pre,
		    'the session cookie is new, not the anonymous cookie');
		const d = await u.get('/dashboard');
		c.status(d, 200, 'dashboard after logging in');
		c.has(d.text, 'Account (Reg Ister)', 'the header names the new user');
	});

	await test('register: validation errors beside the fields, typed values kept, nothing stored', async (c) => {
		const u = new Client('regbad');
		const before = snapshot();
		let r = await u.submit('/register', { name: '', email: '', password: '', association: '' });
		c.status(r, 400, 'all empty');
		fieldErr(c, r, 'name', 'enter your name', 'empty name');
		fieldErr(c, r, 'email', 'enter your e-mail address', 'empty email');
		fieldErr(c, r, 'password', 'enter a password', 'empty password');
		r = await u.submit('/register', { name: 'Typed Name', email: 'not-an-email',
		    password: 'short', association: 'infancy-onward' });
		c.status(r, 400, 'bad email and short password');
		fieldErr(c, r, 'email', 'enter an e-mail address such as name@example.org', 'bad email');
		fieldErr(c, r, 'password', 'use at least 10 characters', 'short password');
		c.eq(fieldError(r.text, 'name'), null, 'no error on a good name');
		c.eq(inputValue(r.text, 'name'), 'Typed Name', 'typed name kept');
		c.eq(inputValue(r.text, 'email'), 'not-an-email', 'typed email kept');
		c.eq(selectValue(r.text, 'association'), 'infancy-onward', 'chosen association kept');
		c.ok(!r.text.includes('value="short"'), 'the password is not echoed');
		r = await u.submit('/register', { name: 'N'.repeat(201), email: email('long'),
		    password: 'p'.repeat(257), association: 'atlantis' });
		c.status(r, 400, 'long name, long password, unknown association');
		fieldErr(c, r, 'name', 'at most 200 characters', 'long name');
		fieldErr(c, r, 'password', 'use at most 256 characters', 'long password');
		fieldErr(c, r, 'association', 'choose an association from the list', 'unknown association');
		c.eq(inputValue(r.text, 'email'), email('long'), 'typed email kept');
		unchanged(c, before, 'invalid registrations');
	});

	await test('register: a taken e-mail (any case) gets the answer of a new one, no account, a mail with a reset link', async (c) => {
		const u = new Client('dup');
		const nAcct = one('SELECT count(*) FROM account');
		const r = await u.submit('/register', { name: 'Dup', email: U.A.email.toUpperCase(),
		    password: PW, association: '' });
		c.redirect(r, '/login?registered=1', 'duplicate e-mail: the same answer as a new one');
		c.ok(!u.cookie('endorse_session'), 'no session');
		c.eq(one('SELECT count(*) FROM account'), nAcct, 'no account made');
		const m = sql(`SELECT subject, body FROM outbox WHERE recipient = ${q(U.A.email.toUpperCase())} ` +
		    'ORDER BY id DESC LIMIT 1')[0];
		c.eq(m?.subject, 'Your Endorse account', 'the known address is told');
		c.ok(/already has one/.test(m?.body || '') && /\/reset\/[0-9a-f]{64}/.test(m?.body || ''),
		    `the mail says so, with a reset link: ${m?.body}`);
		c.ok(!/Dup/.test(m?.body || ''), 'the typed name is not in the mail');
	});

	// ---------------------------------------------------------- login
	await test('login: wrong password 400 beside the field, e-mail kept, no session', async (c) => {
		const u = new Client('wrong');
		const before = sql('SELECT id FROM session ORDER BY id');
		let r = await u.submit('/login', { email: U.M.email, password: 'not the password' });
		c.status(r, 400, 'wrong password');
		fieldErr(c, r, 'password', 'wrong e-mail or password', 'wrong password');
		c.eq(inputValue(r.text, 'email'), U.M.email, 'typed email kept');
		c.ok(!u.cookie('endorse_session'), 'no session cookie');
		r = await u.submit('/login', { email: email('nobody'), password: PW });
		c.status(r, 400, 'unknown e-mail');
		fieldErr(c, r, 'password', 'wrong e-mail or password', 'unknown e-mail: same message');
		c.eq(sql('SELECT id FROM session ORDER BY id'), before, 'no session stored');
		r = await login(u, U.M.email, U.M.password);
		c.redirect(r, '/dashboard', 'the right password then works');
		c.eq(one(`SELECT count(*) FROM login_failure WHERE email = ${q(U.M.email)}`), 0,
		    'a success clears the failures of that e-mail');
	});

	await test('login: session rotated (new cookie, old one dead), planted cookie ignored', async (c) => {
		const planted = 'ab'.repeat(32);
		const u = new Client('rot');
		u.jar.set('endorse_session', planted);
		let r = await login(u, U.M.email, U.M.password);
		c.redirect(r, '/dashboard', 'login with a planted cookie');
		const c1 = u.cookie('endorse_session');
		c.ok(c1 && c1 !== planted, 'the planted session id is not adopted');
		c.ok(/HttpOnly/.test(sessionCookieOf(r) || '') && /SameSite=Lax/.test(sessionCookieOf(r) || ''),
		    `cookie flags: ${sessionCookieOf(r)}`);
		const old = u.clone('old');
		// Log in again while logged in: the session changes.
		r = await login(u, U.M.email, U.M.password);
		c.redirect(r, '/dashboard', 'second login');
		const c2 = u.cookie('endorse_session');
		c.ok(c2 && c2 !== c1, 'the cookie value changes at login');
		r = await old.get('/dashboard');
		c.redirect(r, '/login', 'the previous session no longer works');
		r = await u.get('/dashboard');
		c.status(r, 200, 'the new session works');
		c.has(r.text, U.M.name, 'as the same person');
	});

	await test('logout: cookie cleared and the session ended server-side', async (c) => {
		const u = await fork(U.M, 'logout');
		const keep = u.clone('keep');
		const id = one(`SELECT count(*) FROM session s JOIN account a ON a.id = s.account WHERE a.email = ${q(U.M.email)}`);
		const r = await u.submit('/logout');
		c.redirect(r, '/', 'POST /logout');
		c.ok((sessionCookieOf(r) || '').includes('Max-Age=0'), `cookie cleared: ${sessionCookieOf(r)}`);
		const after = one(`SELECT count(*) FROM session s JOIN account a ON a.id = s.account WHERE a.email = ${q(U.M.email)}`);
		c.eq(after, id - 1, 'one session row fewer');
		const again = await keep.get('/dashboard');
		c.redirect(again, '/login', 'the old cookie replayed after logout');
		const acct = await keep.get('/account');
		c.redirect(acct, '/login', '/account with the old cookie');
	});

	// ---------------------------------------------------------- reset
	await test('password reset: single-use link from the outbox, old password dead, sessions ended', async (c) => {
		const C = await register('C', `Cara Reset-${UNIQ}`, email('cara'));
		c.redirect(C.res, '/login?registered=1', 'register C');
		c.redirect(C.login, '/dashboard', 'login C');
		const other = await fork(C, 'C2');
		const anon = new Client('anon');
		// An unknown address gets the same answer and no mail.
		const nOut = one('SELECT count(*) FROM outbox');
		let r = await anon.submit('/reset', { email: email('ghost') });
		c.status(r, 200, 'reset for an unknown address');
		c.has(r.text, 'Check your e-mail', 'same answer');
		c.eq(one('SELECT count(*) FROM outbox'), nOut, 'no mail for an unknown address');
		// Validation.
		r = await anon.submit('/reset', { email: 'not an address' });
		c.status(r, 400, 'reset with a bad address');
		fieldErr(c, r, 'email', 'enter the e-mail address of your account', 'bad address');
		c.eq(inputValue(r.text, 'email'), 'not an address', 'typed address kept');
		// The real one.
		r = await anon.submit('/reset', { email: C.email });
		c.status(r, 200, 'reset for C');
		const mail = sql(`SELECT body, secret, association FROM outbox WHERE recipient = ${q(C.email)} ` +
		    "AND subject LIKE 'Reset%' ORDER BY id DESC LIMIT 1")[0];
		c.ok(mail && mail.secret === 1 && mail.association === null, `reset mail row: ${JSON.stringify(mail)}`);
		const m = (mail ? mail.body : '').match(/\/reset\/([0-9a-f]{64})/);
		if (!c.ok(m, `a link in the mail: ${mail && mail.body}`)) return;
		const link = `/reset/${m[1]}`;
		r = await anon.get(link);
		c.status(r, 200, 'GET the link');
		c.has(r.text, `action="${link}"`, 'the form posts to the link');
		// A bad new password: 400, the link still works.
		r = await anon.submit(link, { password: 'short' });
		c.status(r, 400, 'short new password');
		fieldErr(c, r, 'password', 'use at least 10 characters', 'short new password');
		const newPw = 'a brand new password';
		r = await anon.submit(link, { password: newPw });
		c.redirect(r, '/login?reset=1', 'POST the link');
		r = await anon.get('/login?reset=1');
		c.has(r.text, 'Your password is changed', 'notice on the login page');
		r = await anon.get(link);
		c.status(r, 404, 'second use of the link (GET)');
		r = await anon.submit(link, { password: 'another new password' });
		c.status(r, 404, 'second use of the link (POST)');
		r = await other.get('/dashboard');
		c.redirect(r, '/login', "C's earlier session ended by the reset");
		r = await login(new Client('x'), C.email, PW);
		c.status(r, 400, 'the old password fails');
		r = await login(new Client('x'), C.email, newPw);
		c.redirect(r, '/dashboard', 'the new password works');
		r = await anon.get('/reset/' + 'f'.repeat(64));
		c.status(r, 404, 'an unknown link');
		r = await anon.get('/reset/short');
		c.status(r, 404, 'a malformed link');
	});

	await test('password reset: a completed reset voids the other outstanding links', async (c) => {
		const D = await register('D', `Dan Links-${UNIQ}`, email('dan'));
		const anon = new Client('anon');
		const links = [];
		for (let i = 0; i < 2; i++) {
			await anon.submit('/reset', { email: D.email });
			const body = one(`SELECT body FROM outbox WHERE recipient = ${q(D.email)} ` +
			    "AND subject LIKE 'Reset%' ORDER BY id DESC LIMIT 1");
			links.push((body.match(/\/reset\/[0-9a-f]{64}/) || [])[0]);
		}
		c.ok(links[0] && links[1] && links[0] !== links[1], `two links: ${links}`);
		c.status(await anon.get(links[0]), 200, 'the first link works before');
		const r = await anon.submit(links[1], { password: 'reset by link two' });
		c.redirect(r, '/login?reset=1', 'reset with the second link');
		c.status(await anon.get(links[0]), 404, 'the first link after the password was reset');
	});

	// ---------------------------------------------------------- account
	await test('account page: name change, validation with typed value kept', async (c) => {
		const u = await register('N', `Nora Name-${UNIQ}`, email('nora'));
		let r = await u.get('/account');
		c.status(r, 200, 'GET /account');
		c.has(r.text, u.email, 'shows the e-mail');
		c.eq(inputValue(r.text, 'name'), u.name, 'name field');
		r = await u.submit('/account/name', { name: '  Nora Renamed  ' });
		c.status(r, 200, 'change the name');
		c.has(r.text, 'Your name is changed.', 'notice');
		c.eq(one(`SELECT name FROM account WHERE email = ${q(u.email)}`), 'Nora Renamed', 'stored trimmed');
		const before = snapshot();
		r = await u.submit('/account/name', { name: '   ' });
		c.status(r, 400, 'blank name');
		fieldErr(c, r, 'name', 'enter your name', 'blank name');
		const long = 'L'.repeat(201);
		r = await u.submit('/account/name', { name: long });
		c.status(r, 400, 'long name');
		fieldErr(c, r, 'name', 'at most 200 characters', 'long name');
		c.eq(inputValue(r.text, 'name'), long, 'typed name kept');
		unchanged(c, before, 'invalid names');
	});

	await test('account page: password change (wrong current, short, success ends other sessions)', async (c) => {
		const u = await register('P', `Pat Password-${UNIQ}`, email('pat'));
		const other = await fork(u, 'P2');
		const before = snapshot();
		let r = await u.submit('/account/password', { current: 'wrong wrong', password: 'whatever long' });
		c.status(r, 400, 'wrong current password');
		fieldErr(c, r, 'current', 'this is not your current password', 'wrong current');
		r = await u.submit('/account/password', { current: PW, password: 'short' });
		c.status(r, 400, 'short new password');
		fieldErr(c, r, 'password', 'use at least 10 characters', 'short new');
		unchanged(c, before, 'refused password changes');
		r = await u.submit('/account/password', { current: PW, password: 'my second password' });
		c.status(r, 200, 'change the password');
		c.has(r.text, 'Your password is changed', 'notice');
		r = await other.get('/dashboard');
		c.redirect(r, '/login', 'the other session is logged out');
		r = await u.get('/dashboard');
		c.status(r, 200, 'this session goes on');
		r = await login(new Client('x'), u.email, 'my second password');
		c.redirect(r, '/dashboard', 'the new password works');
	});

	await test('account page: API token created, works as bearer, revoked', async (c) => {
		const u = await register('T', `Tia Token-${UNIQ}`, email('tia'));
		let r = await u.submit('/account/tokens', { label: 'my script' });
		c.status(r, 200, 'create a token');
		const m = r.text.match(/<code class="token">([0-9a-f]{64})<\/code>/);
		if (!c.ok(m, 'the token is shown once')) return;
		const tok = m[1];
		c.ok(!JSON.stringify(sql('SELECT hash FROM api_token')).includes(tok), 'only its hash is stored');
		r = await new Client('api').get('/api/v1/applications', { bearer: tok });
		c.status(r, 200, 'the token works as bearer');
		c.eq(r.json(), { applications: [] }, 'an empty list for a new account');
		r = await new Client('api').post('/api/v1/applications', { bearer: tok,
		    json: { association: 'vaimh', category: 'IFA' } });
		c.status(r, 201, 'create an application with it');
		r = await u.get('/account');
		c.has(r.text, 'my script', 'the token is listed');
		c.lacks(r.text, tok, 'but not shown again');
		const id = (r.text.match(/action="\/account\/tokens\/(\d+)\/delete"/) || [])[1];
		if (!c.ok(id, 'a revoke form')) return;
		r = await u.submit(`/account/tokens/${id}/delete`);
		c.redirect(r, '/account', 'revoke');
		r = await new Client('api').get('/api/v1/applications', { bearer: tok });
		c.status(r, 401, 'the revoked token');
		r = await u.submit(`/account/tokens/${id}/delete`);
		c.status(r, 404, 'revoke again');
		const before = snapshot();
		r = await u.submit('/account/tokens', { label: '' });
		c.status(r, 400, 'empty label');
		fieldErr(c, r, 'label', 'say what the token is for', 'empty label');
		const long = 'x'.repeat(101);
		r = await u.submit('/account/tokens', { label: long });
		c.status(r, 400, 'label over 100 characters');
		fieldErr(c, r, 'label', 'at most 100 characters', 'long label');
		c.eq(inputValue(r.text, 'label'), long, 'typed label kept in the form');
		unchanged(c, before, 'refused tokens');
	});

	await test('forms refuse text that is not UTF-8 (400, nothing stored)', async (c) => {
		const u = await fork(U.M, 'utf');
		const tok = await u.csrf();
		const before = snapshot();
		const r = await u.post('/account/name', { body: `csrf=${tok}&name=%FF%FEbad`,
		    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		c.status(r, 400, 'name with invalid UTF-8');
		c.has(r.text, 'not valid UTF-8', 'message');
		unchanged(c, before, 'invalid UTF-8');
	});

	// ---------------------------------------------------------- membership
	await test('membership: terms offered as ASSOC/TERM, end date per the calendar-year rule, delete', async (c) => {
		const u = await register('Mem', `Meg Member-${UNIQ}`, email('meg'));
		let r = await u.get('/membership');
		c.status(r, 200, 'GET /membership');
		c.has(r.text, 'No membership recorded yet', 'none yet');
		for (const v of ['vaimh/individual-1', 'infancy-onward/individual-1',
		    'infancy-onward/individual-3', 'infancy-onward/agency-2'])
			c.has(r.text, `<option value="${v}"`, `option ${v}`);
		c.eq(inputValue(r.text, 'start'), '2026-11-23', 'start defaults to today');
		const cases = [
			// vaimh: calendar year, no cutoff.
			['vaimh/individual-1', '2026-11-23', '2026-12-31'],
			// infancy-onward: bought on or after September 1 runs a year longer.
			['infancy-onward/individual-1', '2026-11-23', '2027-12-31'],
			['infancy-onward/individual-1', '2026-08-31', '2026-12-31'],
			['infancy-onward/individual-3', '2026-03-01', '2028-12-31'],
			['infancy-onward/agency-2', '2026-09-01', '2028-12-31'],
		];
		for (const [term, start, end] of cases) {
			r = await u.submit('/membership', { term, start });
			c.redirect(r, '/membership', `add ${term} ${start}`);
			const row = sql(`SELECT m.association, m.term, m.start, m.end FROM membership m JOIN account a ` +
			    `ON a.id = m.account WHERE a.email = ${q(u.email)} ORDER BY m.id DESC LIMIT 1`)[0];
			c.eq(row, { association: term.split('/')[0], term: term.split('/')[1], start, end },
			    `${term} bought ${start}`);
		}
		r = await u.get('/membership');
		c.has(r.text, 'November 23, 2026 to December 31, 2027', 'listed with its end');
		c.has(r.text, 'Individual, 3 years', 'term title listed');
		c.has(r.text, '<strong>active</strong>', 'an active one');
		r = await u.get('/dashboard');
		c.has(r.text, 'active until December 31, 2026', 'the dashboard shows the active membership');
		// Delete (undo) every one.
		r = await u.get('/membership');
		const ids = [...r.text.matchAll(/href="\/membership\/(\d+)\/delete"/g)].map((m) => m[1]);
		c.eq(ids.length, cases.length, 'a remove link (to its confirm page) per membership');
		for (const id of ids) {
			r = await u.submit(`/membership/${id}/delete`);
			c.redirect(r, '/membership?removed=1', `remove ${id}`);
		}
		c.eq(one(`SELECT count(*) FROM membership m JOIN account a ON a.id = m.account WHERE a.email = ${q(u.email)}`),
		    0, 'all removed');
		r = await u.get('/membership');
		c.has(r.text, 'No membership recorded yet', 'none left');
		if (ids.length)
			c.status(await u.submit(`/membership/${ids[0]}/delete`), 404, 'remove again');
	});

	await test('membership: validation beside the fields, typed values kept, nothing stored', async (c) => {
		const u = await fork(U.M, 'memv');
		const before = snapshot();
		const bad = [
			[{ term: '', start: '2026-01-01' }, { term: 'choose a membership from the list' }],
			[{ term: 'vaimh/individual-9', start: '2026-01-01' }, { term: 'choose a membership from the list' }],
			[{ term: 'atlantis/individual-1', start: '2026-01-01' }, { term: 'choose a membership from the list' }],
			[{ term: 'vaimh/individual-1', start: '2026-13-01' }, { start: 'enter a date as YYYY-MM-DD' }],
			[{ term: 'vaimh/individual-1', start: 'soon' }, { start: 'enter a date as YYYY-MM-DD' }],
			[{ term: 'vaimh/individual-1', start: '1989-12-31' }, { start: 'enter a date from 1990 to a year from today' }],
			[{ term: 'vaimh/individual-1', start: '2027-11-25' }, { start: 'enter a date from 1990 to a year from today' }],
			[{ term: 'nonsense', start: '' }, { term: 'choose a membership', start: 'enter a date' }],
		];
		for (const [form, errs] of bad) {
			const r = await u.submit('/membership', form);
			c.status(r, 400, `membership ${JSON.stringify(form)}`);
			for (const [f, msg] of Object.entries(errs))
				fieldErr(c, r, f, msg, JSON.stringify(form));
			c.eq(inputValue(r.text, 'start'), form.start, `typed start kept (${JSON.stringify(form)})`);
		}
		let r = await u.submit('/membership', { term: 'infancy-onward/individual-2', start: 'x' });
		c.eq(selectValue(r.text, 'term'), 'infancy-onward/individual-2', 'chosen term kept');
		unchanged(c, before, 'invalid memberships');
	});
}
