// Who may do what: CSRF on every form POST, the access matrix (every route
// x every role), and login throttling (last: its failures stay counted).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	Client, test, one, q, snapshot, unchanged, fieldError,
} from '../lib/client.mjs';
import {
	U, F, SECRET_A, IFS_JSON, PDF, PDF2, email, fork, newApp, addEntry, upload,
	portfolioFor, noLeak, routeTable, register, UNIQ,
} from './common.mjs';

const LABEL = {
	anon: 'anonymous', A: 'applicant A (owner)', B: 'applicant B',
	cOther: 'coordinator of the other association',
	cSame: "coordinator of A's association", cookie: "A's session cookie, no token",
};
const WORK_A = [['title', `Home Visitor ${SECRET_A}`], ['employer', 'Early Steps'],
    ['start', '2016-01-04'], ['end', ''], ['paid', 'yes'], ['supervised', 'yes'],
    ['ages', 'infant'], ['service', 'prevention'], ['families', '14']];
const TRAINING = { title: 'Matrix training', date: '2021-01-01', hours: '2', role: 'attended' };
const LOG = { title: `Log ${SECRET_A}`, date: '2025-06-01', hours: '3', role: 'attended' };
const ghostLink = '/reset/' + 'e'.repeat(64);

let nreg = 0;
const fresh = () => email(`m${++nreg}`);

function pairs(form) {
	return Array.isArray(form) ? form : Object.entries(form);
}
function rawPost(u, path, form, tok) {
	const p = pairs(form).slice();
	if (tok !== undefined) p.unshift(['csrf', tok]);
	return u.post(path, { form: p });
}
function multipart(u, path, file, field, tok) {
	const fd = new FormData();
	if (tok !== undefined) fd.append('csrf', tok);
	fd.append(field, new Blob([file]), field === 'pdf' ? 't.pdf' : 'p.json');
	return u.post(path, { multipart: fd });
}

// ------------------------------------------------------------ fixtures

async function fixtures() {
	let r = await U.A.submit('/account/tokens', { label: 'scratch' });
	r = await U.A.get('/account');
	const toks = [...r.text.matchAll(/action="\/account\/tokens\/(\d+)\/delete"/g)].map((m) => m[1]);
	F.tokDel = Number(toks[toks.length - 1]);
	await U.A.submit('/membership', { term: 'infancy-onward/individual-2', start: '2025-04-13' });
	r = await U.A.get('/membership');
	const mems = [...r.text.matchAll(/"\/membership\/(\d+)\/delete"/g)].map((m) => m[1]);
	F.memDel = Number(mems[mems.length - 1]);
	F.appDel = await newApp(U.A, 'vaimh/IFS');
	F.appImp = await newApp(U.A, 'vaimh/IFS');
	F.appPut = await newApp(U.A, 'vaimh/IFS');
	F.eDel = await addEntry(U.A, F.appA, 'training', TRAINING);
	F.eEduDel = await addEntry(U.A, F.appA, 'education', { level: 'master', conferred: '2019-01-01' });
	F.eRefA = await addEntry(U.A, F.appA, 'references', { name: 'Rae Matrix', email: email('rae'),
	    relationship: 'colleague' });
	await upload(U.A, F.appA, F.eEduDel, PDF);
	// A is an endorsee of A's coordinator's association too: a log entry
	// with evidence, and one to delete.
	const csv = path.join(process.env.HTTP_TMP, 'access-endorsees.csv');
	fs.writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
	    `VA-ACCESS-1,Access Endorsee,${U.A.email},IFS,2025-01-01,active,\n`);
	const imp = spawnSync(process.env.HTTP_BIN, ['import', 'endorsees', '--db',
	    process.env.HTTP_DB, '--association', 'vaimh', '--rules',
	    path.join(process.env.HTTP_ROOT, 'rules'), csv], { encoding: 'utf8' });
	F.endA = Number(one("SELECT id FROM endorsement WHERE number = 'VA-ACCESS-1'"));
	await U.A.submit('/renewal/log', { association: 'vaimh', kind: 'training', ...LOG });
	await U.A.submit('/renewal/log', { association: 'vaimh', kind: 'training', ...LOG,
	    title: 'Scratch' });
	F.logA = Number(one("SELECT min(id) FROM log_entry"));
	F.logDel = Number(one("SELECT max(id) FROM log_entry"));
	await U.A.submitMultipart(`/renewal/log/${F.logA}/evidence`, (fd) =>
	    fd.append('file', new Blob([PDF]), 'evidence.pdf'));
	await test('access fixtures: A holds an endorsement with a log and evidence', (c) => {
		c.eq(imp.status, 0, `import: ${imp.stderr}`);
		c.ok(F.endA > 0 && F.logA > 0 && F.logDel > F.logA, JSON.stringify(F));
		c.eq(one(`SELECT count(*) FROM evidence WHERE entry = ${F.logA}`), 1, 'evidence');
	});
	await test('access fixtures: scratch token, membership, applications, entries of A', (c) => {
		for (const k of ['tokDel', 'memDel', 'appDel', 'appImp', 'appPut', 'eDel', 'eEduDel', 'eRefA'])
			c.ok(Number.isInteger(F[k]) && F[k] > 0, `${k} = ${F[k]}`);
		c.eq(one(`SELECT count(*) FROM transcript WHERE entry = ${F.eEduDel}`), 1, 'scratch transcript');
	});
}

// ------------------------------------------------------------ CSRF

function csrfRoutes() {
	const a = F.appA;
	return [
		['POST /register', 'anon', '/register', { name: 'Csrf', email: fresh(), password: 'a long password' }],
		['POST /login', 'anon', '/login', { email: U.M.email, password: U.M.password }],
		['POST /logout', 'fork', '/logout', {}],
		['POST /reset', 'anon', '/reset', { email: U.M.email }],
		['POST /verify', 'anon', '/verify', { credential: 'x.y.z' }],
		['POST /reset/*', 'anon', 'RESET', { password: 'hijacked password' }],
		['POST /account/name', 'A', '/account/name', { name: 'Hijacked' }],
		['POST /account/city', 'A', '/account/city', { city: 'Hijacked' }],
		['POST /account/password', 'A', '/account/password', { current: U.A.password, password: 'hijacked password' }],
		['POST /account/email', 'A', '/account/email', { new_email: 'hijacked@example.org', email_password: U.A.password }],
		['POST /account/email/*', 'anon', `/account/email/${'0'.repeat(64)}`, {}],
		['POST /account/tokens', 'A', '/account/tokens', { label: 'hijack' }],
		['POST /account/tokens/#/delete', 'A', `/account/tokens/${F.tokDel}/delete`, {}],
		['POST /membership', 'A', '/membership', { term: 'vaimh/individual-1', start: '2026-01-01' }],
		['POST /membership/#/delete', 'A', `/membership/${F.memDel}/delete`, {}],
		['POST /applications', 'A', '/applications', { choice: 'vaimh/IFA' }],
		['POST /applications/#/delete', 'A', `/applications/${F.appDel}/delete`, {}],
		['POST /applications/#/undo', 'A', `/applications/${a}/undo`, {}],
		['POST /applications/#/tab/*', 'A', `/applications/${a}/tab/training`, TRAINING],
		['POST /applications/#/entries/#', 'A', `/applications/${a}/entries/${F.eWorkA}`,
		    [['title', 'Hijacked'], ...WORK_A.slice(1)]],
		['POST /applications/#/entries/#/delete', 'A', `/applications/${a}/entries/${F.eDel}/delete`, {}],
		['POST /applications/#/entries/#/transcript', 'A', `/applications/${a}/entries/${F.eEduA}/transcript`,
		    { file: PDF2, field: 'pdf' }],
		['POST /applications/#/entries/#/transcript/delete', 'A',
		    `/applications/${a}/entries/${F.eEduDel}/transcript/delete`, {}],
		['POST /applications/#/ethics', 'A', `/applications/${a}/ethics`, { agree: 'yes' }],
		['POST /applications/#/import', 'A', `/applications/${F.appImp}/import`,
		    { file: JSON.stringify(portfolioFor(IFS_JSON, 'vaimh', 'IFS')), field: 'portfolio' }],
		['POST /applications/#/entries/#/request', 'A', `/applications/${a}/entries/${F.eRefA}/request`, {}],
		['POST /applications/#/ratings/#/resend', 'A', `/applications/${a}/ratings/1/resend`, {}],
		['POST /applications/#/ratings/#/revoke', 'A', `/applications/${a}/ratings/1/revoke`, {}],
		['POST /applications/#/waiver', 'A', `/applications/${a}/waiver`, { waive: 'yes' }],
		['POST /applications/#/submit', 'A', `/applications/${a}/submit`, {}],
		['POST /applications/#/trainings', 'A', `/applications/${a}/trainings`, { rows: '1',
		    'title-1': 'Hijacked', 'date-1': '2026-01-05', 'hours-1': '2', 'role-1': 'attended' }],
		['POST /rate/*', 'anon', `/rate/${'a'.repeat(64)}`, { action: 'decline' }],
		['POST /review/#', 'A', '/review/1', { recommendation: 'deny' }],
		['POST /review/vignettes/#', 'A', '/review/vignettes/1', { score: '5' }],
		['POST /endorsements/#/hide', 'A', '/endorsements/1/hide', { hidden: 'yes' }],
		['POST /coordinator/applications/#/unlock', 'cSame', `/coordinator/applications/${a}/unlock`, {}],
		['POST /coordinator/applications/#/assign', 'cSame', `/coordinator/applications/${a}/assign`, { reviewer: '1' }],
		['POST /coordinator/applications/#/assignments/#/delete', 'cSame',
		    `/coordinator/applications/${a}/assignments/1/delete`, {}],
		['POST /coordinator/applications/#/decide', 'cSame', `/coordinator/applications/${a}/decide`,
		    { decision: 'deny', note: 'x' }],
		['POST /coordinator/applications/#/ratings/#/resend', 'cSame',
		    `/coordinator/applications/${a}/ratings/1/resend`, { email: email('csrf-rater') }],
		['POST /coordinator/applications/#/ratings/#/link', 'cSame',
		    `/coordinator/applications/${a}/ratings/1/link`, {}],
		['POST /coordinator/applications/#/notes', 'cSame', `/coordinator/applications/${a}/notes`,
		    { internal: 'x' }],
		['POST /coordinator/notices', 'cSame', '/coordinator/notices', { mail: 'digest' }],
		['POST /coordinator/cycles', 'cSame', '/coordinator/cycles', { name: 'Csrf', opens: '2026-01-01',
		    closes: '2026-12-31' }],
		['POST /coordinator/cycles/#/close', 'cSame', '/coordinator/cycles/1/close', {}],
		['POST /coordinator/bulk', 'cSame', '/coordinator/bulk', { action: 'remind', app: String(a) }],
		['POST /coordinator/reviewers', 'cSame', '/coordinator/reviewers', { email: U.M.email }],
		['POST /coordinator/reviewers/#/delete', 'cSame', '/coordinator/reviewers/1/delete', {}],
		['POST /coordinator/exams', 'cSame', '/coordinator/exams', { date: '2027-01-01', place: 'online' }],
		['POST /coordinator/exams/#/register', 'cSame', '/coordinator/exams/1/register', { application: String(a) }],
		['POST /coordinator/exams/#/registrations/#', 'cSame', '/coordinator/exams/1/registrations/1', { part1: '50' }],
		['POST /renewal/log', 'A', '/renewal/log', { association: 'vaimh', kind: 'training', ...LOG }],
		['POST /renewal/log/#', 'A', `/renewal/log/${F.logA}`, { ...LOG, hours: '99' }],
		['POST /renewal/log/#/delete', 'A', `/renewal/log/${F.logDel}/delete`, {}],
		['POST /renewal/log/#/evidence', 'A', `/renewal/log/${F.logA}/evidence`, { file: PDF2, field: 'file' }],
		['POST /endorsements/#/attest', 'A', `/endorsements/${F.endA}/attest`,
		    { hours: 'yes', ethics: 'yes', membership: 'yes' }],
		['POST /endorsements/#/inactive', 'A', `/endorsements/${F.endA}/inactive`, { confirm: 'yes' }],
		['POST /endorsements/#/reinstate', 'A', `/endorsements/${F.endA}/reinstate`, {}],
		['POST /coordinator/renewals/close', 'cSame', '/coordinator/renewals/close', { cycle: '2027' }],
		['POST /coordinator/renewals/draw', 'cSame', '/coordinator/renewals/draw', { cycle: '2027', percent: '10' }],
		['POST /coordinator/renewals/#/items/#', 'cSame', '/coordinator/renewals/1/items/1', { decision: 'accept' }],
		['POST /coordinator/renewals/#/notes', 'cSame', '/coordinator/renewals/1/notes', { internal: 'x' }],
		['POST /coordinator/reinstatements/#', 'cSame', '/coordinator/reinstatements/1', { decision: 'approve' }],
		['POST /coordinator/endorsements/*/revoke', 'cSame', '/coordinator/endorsements/NO-SUCH-1/revoke',
		    { reason: 'x', confirmed: 'yes' }],
		['POST /coordinator/endorsements/*/suspend', 'cSame', '/coordinator/endorsements/NO-SUCH-1/suspend',
		    { reason: 'x', confirmed: 'yes' }],
		['POST /coordinator/endorsements/*/lift', 'cSame', '/coordinator/endorsements/NO-SUCH-1/lift',
		    { confirmed: 'yes' }],
		['POST /coordinator/import', 'cSame', '/coordinator/import',
		    { file: 'number,name,email,category,since,status,city\r\nCSRF-1,Csrf,csrf@example.org,IFS,2020-01-01,active,X\r\n',
		    field: 'csv' }],
		['POST /coordinator/import/confirm', 'cSame', '/coordinator/import/confirm', { text: 'eA==', digest: '0'.repeat(64),
		    name: 'x.csv' }],
		['POST /coordinator/memberships/roster', 'cSame', '/coordinator/memberships/roster',
		    { file: Buffer.from('email,name,member_id,term_start,term_end\n'), field: 'roster' }],
		['POST /coordinator/memberships/#/confirm', 'cSame', '/coordinator/memberships/1/confirm', {}],
		['POST /coordinator/memberships/#/reject', 'cSame', '/coordinator/memberships/1/reject', { reason: 'x' }],
		['POST /coordinator/people', 'cSame', '/coordinator/people', { role: 'coordinator', email: email('csrf-people') }],
		['POST /coordinator/people/coordinators/#/remove', 'cSame', '/coordinator/people/coordinators/1/remove', {}],
		['POST /coordinator/people/reviewers/#/remove', 'cSame', '/coordinator/people/reviewers/1/remove', {}],
		['POST /coordinator/accounts/#/ledger', 'cSame',
		    `/coordinator/accounts/${one(`SELECT account FROM application WHERE id = ${a}`)}/ledger`,
		    { kind: 'payment', 'payment-amount': '5', 'payment-method': 'cash', 'payment-date': '2026-11-20' }],
		['POST /applications/#/pay', 'A', `/applications/${a}/pay`, {}],
	];
}

async function csrfTests() {
	const list = csrfRoutes();
	await test('csrf: every form POST route of src/routes.def is tested', (c) => {
		// The webhook carries a signature instead (t-money.mjs).
		const want = routeTable().filter((r) => r.startsWith('POST ') && !r.includes(' /api/') &&
		    r !== 'POST /webhooks/stripe').sort();
		c.eq(list.map((x) => x[0]).sort(), want, 'form POST routes');
	});
	// A real reset link for M, to try without a token.
	await new Client('anon').submit('/reset', { email: U.M.email });
	const body = one(`SELECT body FROM outbox WHERE recipient = ${q(U.M.email)} ORDER BY id DESC LIMIT 1`);
	const resetLink = (body.match(/\/reset\/[0-9a-f]{64}/) || [])[0];
	const bTok = await U.B.csrf();
	for (const [name, who, path0, form] of list) {
		await test(`csrf: ${name} refused without, with a wrong, with another session's token (403, nothing stored)`, async (c) => {
			const path = path0 === 'RESET' ? resetLink : path0;
			let u;
			if (who === 'anon') {
				u = new Client('anon');
				await u.get('/login');	// the anonymous cookie the token is bound to
			} else if (who === 'fork')
				u = await fork(U.A, 'A-logout');
			else
				u = U[who];
			const tries = [['no token', undefined], ['a wrong token', crypto.randomBytes(32).toString('hex')],
			    ['a short token', 'abc']];
			if (who !== 'anon') tries.push(["B's token", bTok]);
			else {
				const other = new Client('other');
				tries.push(["another visitor's token", await other.csrf()]);
			}
			for (const [how, tok] of tries) {
				const before = snapshot();
				const r = form.file !== undefined ? await multipart(u, path, form.file, form.field, tok) :
				    await rawPost(u, path, form, tok);
				c.status(r, 403, `${name} with ${how}`);
				c.has(r.text, 'the form has expired or did not come from this site', `${name} with ${how}: message`);
				c.ok(!r.setCookies.some((s) => s.startsWith('endorse_session=')), `${name} with ${how}: no session cookie`);
				unchanged(c, before, `${name} with ${how}`);
			}
			if (who === 'fork')
				c.status(await u.get('/dashboard'), 200, 'the session survives the refused logout');
			if (path0 === 'RESET')
				c.status(await new Client('x').get(resetLink), 200, 'the reset link still works');
		});
	}
}

// ------------------------------------------------------------ matrix

const api = (role, method, path, opts = {}) => {
	if (role === 'cookie') return U.A.req(method, path, opts);
	const c = new Client('api');
	return c.req(method, path, role === 'anon' ? opts : { ...opts, bearer: U[role].token });
};

// Expectations: [status, location?]; kind fills in the denials.
function routes() {
	const a = F.appA;
	const own = (role) => role === 'A';
	const regOrEmpty = async (role, u) => role === 'anon' ?
	    u.submit('/register', { name: 'Matrix', email: fresh(), password: 'a long password' }) :
	    u.submit('/register', {});
	return [
		{ r: 'GET /', kind: 'public', run: (role, u) => u.get('/'),
		    exp: { anon: [200], A: [303, '/dashboard'], B: [303, '/dashboard'],
			cOther: [303, '/coordinator'], cSame: [303, '/coordinator'] } },
		{ r: 'GET /healthz', kind: 'public', run: (role, u) => u.get('/healthz'), all: [200],
		    check: (c, res) => c.eq(res.text, 'ok\n', 'body') },
		{ r: 'GET /static/*', kind: 'public', run: (role, u) => u.get('/static/style.css'), all: [200] },
		{ r: 'GET /register', kind: 'public', run: (role, u) => u.get('/register'), all: [200] },
		{ r: 'POST /register', kind: 'public', run: regOrEmpty,
		    exp: { anon: [303, '/login?registered=1'], A: [400], B: [400], cOther: [400], cSame: [400] } },
		{ r: 'GET /login', kind: 'public', run: (role, u) => u.get('/login'),
		    exp: { anon: [200], A: [303, '/dashboard'], B: [303, '/dashboard'], cOther: [303, '/coordinator'],
			cSame: [303, '/coordinator'] } },
		{ r: 'POST /login', kind: 'public', run: (role, u) => role === 'anon' ?
		    u.submit('/login', { email: U.M.email, password: U.M.password }) : u.submit('/login', {}),
		    exp: { anon: [303, '/dashboard'], A: [400], B: [400], cOther: [400], cSame: [400] } },
		{ r: 'POST /logout', kind: 'user', run: async (role, u) => {
			if (role === 'anon') return u.submit('/logout');
			const f = await fork(U[role], `${role}-fork`);
			const res = await f.submit('/logout');
			res.after = await f.get('/dashboard');
			return res;
		    }, allow: [303, '/'], check: (c, res) => c.redirect(res.after, '/login', 'that session is over') },
		{ r: 'GET /reset', kind: 'public', run: (role, u) => u.get('/reset'), all: [200] },
		{ r: 'POST /reset', kind: 'public', run: (role, u) => u.submit('/reset', { email: email(`ghost-${role}`) }),
		    all: [200] },
		{ r: 'GET /reset/*', kind: 'public', run: (role, u) => u.get(ghostLink), all: [404] },
		{ r: 'POST /reset/*', kind: 'public', run: (role, u) => u.submit(ghostLink,
		    { password: 'a long password' }), all: [404] },
		{ r: 'GET /account/email/*', kind: 'public', run: (role, u) => u.get(`/account/email/${'0'.repeat(64)}`),
		    all: [404] },
		{ r: 'POST /account/email/*', kind: 'public', run: (role, u) => u.submit(`/account/email/${'0'.repeat(64)}`,
		    {}), all: [404] },
		{ r: 'GET /fit', kind: 'public', run: (role, u) => u.get('/fit?work=research'), all: [200] },
		// Money (t-money.mjs has the rest): the fee schedule is public; a
		// ledger is its association's coordinators'; a receipt its payer's
		// and theirs; paying is the applicant's; the webhook is signed.
		{ r: 'GET /fees', kind: 'public', run: (role, u) => u.get('/fees'), all: [200] },
		{ r: 'GET /coordinator/accounts/#/ledger', kind: 'coordapp', run: (role, u) =>
		    u.get(`/coordinator/accounts/${one(`SELECT account FROM application WHERE id = ${a}`)}/ledger`),
		    allow: [200] },
		{ r: 'POST /coordinator/accounts/#/ledger', kind: 'coordapp', run: (role, u) =>
		    u.submit(`/coordinator/accounts/${one(`SELECT account FROM application WHERE id = ${a}`)}/ledger`,
		    { kind: 'payment', 'payment-amount': '' }), allow: [400] },
		{ r: 'GET /receipts/*', kind: 'custom', run: (role, u) => u.get('/receipts/999999.pdf'),
		    exp: { anon: [303, '/login'], A: [404], B: [404], cOther: [404], cSame: [404] },
		    denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		{ r: 'POST /applications/#/pay', kind: 'write', run: (role, u) => u.submit(`/applications/${a}/pay`),
		    allow: [409] },
		{ r: 'POST /webhooks/stripe', kind: 'public', run: (role, u) => u.post('/webhooks/stripe',
		    { json: { id: 'evt_matrix', type: 'checkout.session.completed' } }), all: [400] },
		{ r: 'GET /registry', kind: 'public', run: (role, u) => u.get('/registry?q=matrix'), all: [200] },
		{ r: 'GET /verify/*', kind: 'public', run: (role, u) => u.get('/verify/NO-SUCH-NUMBER'), all: [404] },
		{ r: 'GET /verify', kind: 'public', run: (role, u) => u.get('/verify'), all: [200] },
		{ r: 'POST /verify', kind: 'public', run: (role, u) => u.submit('/verify', { credential: 'not one' }), all: [400] },
		// The credentials' keys and status lists (t-vc.mjs): public.
		{ r: 'GET /.well-known/jwks.json', kind: 'public', run: (role, u) => u.get('/.well-known/jwks.json'), all: [200] },
		{ r: 'GET /associations/*/did.json', kind: 'public', run: (role, u) => u.get('/associations/vaimh/did.json'), all: [200] },
		{ r: 'GET /associations/*/status/revocation.jwt', kind: 'public', run: (role, u) =>
		    u.get('/associations/vaimh/status/revocation.jwt'), all: [200] },
		{ r: 'GET /associations/*/status/suspension.jwt', kind: 'public', run: (role, u) =>
		    u.get('/associations/vaimh/status/suspension.jwt'), all: [200] },

		{ r: 'GET /account', kind: 'user', run: (role, u) => u.get('/account'), allow: [200],
		    check: (c, res, role) => c.has(res.text, U[role].email, 'shows their own e-mail') },
		{ r: 'POST /account/name', kind: 'user', run: (role, u) => u.submit('/account/name',
		    { name: role === 'anon' ? 'Anon' : U[role].name }), allow: [200],
		    check: (c, res, role) => c.eq(one(`SELECT name FROM account WHERE email = ${q(U[role].email)}`),
			U[role].name, 'their own name') },
		{ r: 'POST /account/city', kind: 'user', run: (role, u) => u.submit('/account/city',
		    { city: 'x'.repeat(101) }), allow: [400] },
		{ r: 'POST /account/email', kind: 'user', run: (role, u) => u.submit('/account/email',
		    { new_email: 'not an address', email_password: role === 'anon' ? 'x' : U[role].password }),
		    allow: [400] },
		{ r: 'POST /account/password', kind: 'user', run: (role, u) => u.submit('/account/password',
		    { current: role === 'anon' ? 'x' : U[role].password, password: 'short' }), allow: [400],
		    check: (c, res) => c.eq(fieldError(res.text, 'password'), 'use at least 10 characters',
			'reached the handler (new password too short)') },
		{ r: 'POST /account/tokens', kind: 'user', run: (role, u) => u.submit('/account/tokens',
		    { label: 'matrix' }), allow: [200] },
		{ r: 'POST /account/tokens/#/delete', kind: 'mine', run: (role, u) =>
		    u.submit(`/account/tokens/${F.tokDel}/delete`), allow: [303, '/account'],
		    check: (c) => c.eq(one(`SELECT count(*) FROM api_token WHERE id = ${F.tokDel}`), 0, 'revoked') },
		{ r: 'GET /membership', kind: 'user', run: (role, u) => u.get('/membership'), allow: [200],
		    check: (c, res, role) => role === 'A' ? c.has(res.text, 'April 13, 2025', "A's term") :
			c.lacks(res.text, 'April 13, 2025', "A's term shown to someone else") },
		{ r: 'POST /membership', kind: 'user', run: (role, u) => u.submit('/membership',
		    { term: 'infancy-onward/individual-1', start: '2026-11-23' }), allow: [303, '/membership'] },
		{ r: 'GET /membership/#/delete', kind: 'mine', run: (role, u) =>
		    u.get(`/membership/${F.memDel}/delete`), allow: [200],
		    check: (c, res) => c.has(res.text, 'Yes, remove the membership', 'the confirm form') },
		{ r: 'POST /membership/#/delete', kind: 'mine', run: (role, u) =>
		    u.submit(`/membership/${F.memDel}/delete`), allow: [303, '/membership?removed=1'],
		    check: (c) => c.eq(one(`SELECT count(*) FROM membership WHERE id = ${F.memDel}`), 0, 'removed') },
		{ r: 'GET /dashboard', kind: 'user', run: (role, u) => u.get('/dashboard'), allow: [200],
		    check: (c, res, role) => role === 'A' ? c.has(res.text, `href="/applications/${a}"`, 'lists appA') :
			c.lacks(res.text, `href="/applications/${a}"`, "lists A's application") },
		{ r: 'GET /applications/new', kind: 'user', run: (role, u) => u.get('/applications/new'), allow: [200] },
		{ r: 'POST /applications', kind: 'user', run: (role, u) => u.submit('/applications',
		    { choice: 'vaimh/IFA' }), allow: [303, /^\/applications\/\d+$/] },

		{ r: 'GET /applications/#', kind: 'read', run: (role, u) => u.get(`/applications/${a}`), allow: [200],
		    check: (c, res) => c.has(res.text, `/applications/${a}/export`, 'the application page') },
		{ r: 'GET /applications/#/tab/*', kind: 'read', run: (role, u) => u.get(`/applications/${a}/tab/work`),
		    allow: [200], check: (c, res) => c.has(res.text, SECRET_A, "A's entry") },
		{ r: 'GET /applications/#/tab/*/new', kind: 'read', run: (role, u) =>
		    u.get(`/applications/${a}/tab/work/new`), allow: [200],
		    check: (c, res) => c.has(res.text, SECRET_A, "A's entry") },
		{ r: 'GET /applications/#/entries/#', kind: 'read', run: (role, u) =>
		    u.get(`/applications/${a}/entries/${F.eWorkA}`), allow: [200],
		    check: (c, res, role) => role === 'A' ? c.has(res.text, SECRET_A, "A's entry") :
			c.has(res.text, 'You can read this entry but not change it.', 'read only') },
		{ r: 'GET /applications/#/entries/#/transcript', kind: 'read', run: (role, u) =>
		    u.get(`/applications/${a}/entries/${F.eEduA}/transcript`), allow: [200],
		    check: (c, res) => c.ok(res.buf.subarray(0, 5).toString() === '%PDF-', "A's transcript"),
		    deny: (c, res) => c.lacks(res.text, '%PDF-', "A's transcript") },
		{ r: 'GET /applications/#/ethics', kind: 'read', run: (role, u) => u.get(`/applications/${a}/ethics`),
		    allow: [200] },
		{ r: 'GET /applications/#/export', kind: 'read', run: (role, u) => u.get(`/applications/${a}/export`),
		    allow: [200], check: (c, res) => c.has(res.text, SECRET_A, "A's portfolio") },

		{ r: 'GET /applications/#/delete', kind: 'write', run: (role, u) =>
		    u.get(`/applications/${F.appDel}/delete`), allow: [200],
		    check: (c, res) => c.has(res.text, `action="/applications/${F.appDel}/delete"`, 'the confirm form') },
		{ r: 'POST /applications/#/delete', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${F.appDel}/delete`), allow: [303, '/dashboard?deleted=1'],
		    check: (c) => c.eq(one(`SELECT count(*) FROM application WHERE id = ${F.appDel}`), 0, 'deleted') },
		{ r: 'POST /applications/#/tab/*', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/tab/training`, TRAINING),
		    allow: [303, `/applications/${a}/tab/training#entries`] },
		{ r: 'POST /applications/#/entries/#', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/entries/${F.eWorkA}`, WORK_A),
		    allow: [303, `/applications/${a}/tab/work#entries`] },
		{ r: 'GET /applications/#/entries/#/delete', kind: 'write', run: (role, u) =>
		    u.get(`/applications/${a}/entries/${F.eDel}/delete`), allow: [200],
		    check: (c, res) => c.has(res.text, 'Matrix training', 'names the entry') },
		{ r: 'POST /applications/#/entries/#/delete', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/entries/${F.eDel}/delete`),
		    allow: [303, `/applications/${a}/tab/training?deleted=1#entries`],
		    check: (c) => c.eq(one(`SELECT count(*) FROM entry WHERE id = ${F.eDel}`), 0, 'deleted') },
		{ r: 'POST /applications/#/undo', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/undo`),
		    allow: [303, `/applications/${a}/tab/training?restored=1#entries`] },
		{ r: 'POST /applications/#/entries/#/transcript', kind: 'write', run: (role, u) =>
		    upload(u, a, F.eEduA, PDF), allow: [303, `/applications/${a}/tab/education#entries`] },
		{ r: 'GET /applications/#/entries/#/transcript/delete', kind: 'write', run: (role, u) =>
		    u.get(`/applications/${a}/entries/${F.eEduDel}/transcript/delete`), allow: [200],
		    check: (c, res) => c.has(res.text, 'Yes, remove the transcript', 'the confirm form') },
		{ r: 'POST /applications/#/entries/#/transcript/delete', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/entries/${F.eEduDel}/transcript/delete`),
		    allow: [303, `/applications/${a}/tab/education?removed=1#entries`],
		    check: (c) => c.eq(one(`SELECT count(*) FROM transcript WHERE entry = ${F.eEduDel}`), 0, 'removed') },
		{ r: 'POST /applications/#/ethics', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/ethics`, { agree: 'yes' }), allow: [303, `/applications/${a}/ethics`] },
		{ r: 'POST /applications/#/import', kind: 'write', run: (role, u) =>
		    u.submitMultipart(`/applications/${F.appImp}/import`, (fd) => fd.append('portfolio',
			new Blob([JSON.stringify(portfolioFor(IFS_JSON, 'vaimh', 'IFS'))]), 'p.json')),
		    allow: [303, `/applications/${F.appImp}?imported=1`] },

		// References and submission: A's own; others see nothing.
		{ r: 'GET /applications/#/entries/#/request', kind: 'write', run: (role, u) =>
		    u.get(`/applications/${a}/entries/${F.eRefA}/request`),
		    allow: [303, `/applications/${a}/tab/references#ratings`] },
		{ r: 'POST /applications/#/entries/#/request', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/entries/${F.eRefA}/request`),
		    allow: [303, `/applications/${a}/tab/references#ratings`],
		    check: (c) => c.eq(one(`SELECT count(*) FROM rating WHERE application = ${a}`), 1, 'one request') },
		{ r: 'POST /applications/#/ratings/#/resend', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/ratings/${one(`SELECT max(id) FROM rating WHERE application = ${a}`) || 1}/resend`),
		    allow: [303, `/applications/${a}/tab/references#ratings`] },
		{ r: 'GET /applications/#/ratings/#', kind: 'custom', run: (role, u) =>
		    u.get(`/applications/${a}/ratings/${one(`SELECT max(id) FROM rating WHERE application = ${a}`) || 1}`),
		    exp: { anon: [303, '/login'], A: [403], B: [404], cOther: [404], cSame: [404] },
		    denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		{ r: 'POST /applications/#/ratings/#/revoke', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/ratings/${one(`SELECT max(id) FROM rating WHERE application = ${a}`) || 1}/revoke`),
		    allow: [303, `/applications/${a}/tab/references#ratings`] },
		{ r: 'POST /applications/#/waiver', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/waiver`, { waive: 'yes' }),
		    allow: [303, `/applications/${a}/tab/references#ratings`] },
		{ r: 'GET /applications/#/trainings', kind: 'write', run: (role, u) =>
		    u.get(`/applications/${a}/trainings`), allow: [200],
		    check: (c, res) => c.has(res.text, 'Add several trainings at once', 'the rows') },
		{ r: 'POST /applications/#/trainings', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/trainings`, { rows: '3' }), allow: [400],
		    check: (c, res) => c.has(res.text, 'enter at least one training', 'nothing typed: refused') },
		{ r: 'GET /applications/#/submit', kind: 'write', run: (role, u) =>
		    u.get(`/applications/${a}/submit`), allow: [200],
		    check: (c, res) => c.has(res.text, 'Check your answers', 'the check page') },
		{ r: 'POST /applications/#/submit', kind: 'write', run: (role, u) =>
		    u.submit(`/applications/${a}/submit`), allow: [409],
		    check: (c, res) => c.has(res.text, 'the checklist is not yet met', 'refused: not ready') },
		{ r: 'GET /rate/*', kind: 'public', run: (role, u) => u.get(`/rate/${'b'.repeat(64)}`), all: [404] },
		{ r: 'POST /rate/*', kind: 'public', run: (role, u) => u.submit(`/rate/${'b'.repeat(64)}`,
		    { action: 'decline' }), all: [404] },
		// Reviewing: an assignment is its reviewer's only.
		{ r: 'GET /review', kind: 'user', run: (role, u) => u.get('/review'), allow: [200] },
		{ r: 'GET /review/#', kind: 'custom', run: (role, u) => u.get('/review/999999'),
		    exp: { anon: [303, '/login'], A: [404], B: [404], cOther: [404], cSame: [404] },
		    denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		{ r: 'POST /review/#', kind: 'custom', run: (role, u) => u.submit('/review/999999',
		    { recommendation: 'deny' }), exp: { anon: [303, '/login'], A: [404], B: [404], cOther: [404],
		    cSame: [404] }, denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		{ r: 'GET /review/vignettes', kind: 'user', run: (role, u) => u.get('/review/vignettes'), allow: [200] },
		{ r: 'POST /review/vignettes/#', kind: 'custom', run: (role, u) => u.submit('/review/vignettes/999999',
		    { score: '5' }), exp: { anon: [303, '/login'], A: [404], B: [404], cOther: [404], cSame: [404] },
		    denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		{ r: 'GET /endorsements/*/certificate.pdf', kind: 'custom', run: (role, u) =>
		    u.get('/endorsements/NO-SUCH-1/certificate.pdf'), exp: { anon: [303, '/login'], A: [404], B: [404],
		    cOther: [404], cSame: [404] }, denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		{ r: 'GET /endorsements/*/credential.jwt', kind: 'custom', run: (role, u) =>
		    u.get('/endorsements/NO-SUCH-1/credential.jwt'), exp: { anon: [303, '/login'], A: [404], B: [404],
		    cOther: [404], cSame: [404] }, denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		{ r: 'GET /endorsements/*/credential.json', kind: 'custom', run: (role, u) =>
		    u.get('/endorsements/NO-SUCH-1/credential.json'), exp: { anon: [303, '/login'], A: [404], B: [404],
		    cOther: [404], cSame: [404] }, denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		{ r: 'POST /endorsements/#/hide', kind: 'custom', run: (role, u) => u.submit('/endorsements/999999/hide',
		    { hidden: 'yes' }), exp: { anon: [303, '/login'], A: [404], B: [404], cOther: [404], cSame: [404] },
		    denied: ['anon', 'A', 'B', 'cOther', 'cSame'] },
		// The coordinator's workflow pages: their association's rows only.
		{ r: 'GET /coordinator/applications/#', kind: 'coordapp', run: (role, u) =>
		    u.get(`/coordinator/applications/${a}`), allow: [200],
		    check: (c, res) => c.has(res.text, U.A.email, "A's application") },
		{ r: 'POST /coordinator/applications/#/unlock', kind: 'coordapp', run: (role, u) =>
		    u.submit(`/coordinator/applications/${a}/unlock`, { note: 'x' }), allow: [409] },
		{ r: 'POST /coordinator/applications/#/assign', kind: 'coordapp', run: (role, u) =>
		    u.submit(`/coordinator/applications/${a}/assign`, { reviewer: '' }), allow: [400] },
		{ r: 'POST /coordinator/applications/#/assignments/#/delete', kind: 'coordapp', run: (role, u) =>
		    u.submit(`/coordinator/applications/${a}/assignments/999999/delete`), allow: [404] },
		{ r: 'POST /coordinator/applications/#/decide', kind: 'coordapp', run: (role, u) =>
		    u.submit(`/coordinator/applications/${a}/decide`, { decision: 'deny', note: 'x' }), allow: [409] },
		// Internal notes (t-nudge.mjs has the effects): an empty one is
		// refused where the handler is reached.
		{ r: 'POST /coordinator/applications/#/notes', kind: 'coordapp', run: (role, u) =>
		    u.submit(`/coordinator/applications/${a}/notes`, { internal: '' }), allow: [400],
		    check: (c, res) => c.has(res.text, 'write the note', 'reached the handler') },
		// A rater's link: only the association's coordinator re-sends it
		// or takes it to hand over (t-integrity.mjs has the effects).
		{ r: 'POST /coordinator/applications/#/ratings/#/resend', kind: 'coordapp', run: (role, u) =>
		    u.submit(`/coordinator/applications/${a}/ratings/999999/resend`, { email: 'x' }), allow: [400],
		    check: (c, res) => c.has(res.text, 'this is not an e-mail address', 'reached the handler') },
		{ r: 'POST /coordinator/applications/#/ratings/#/link', kind: 'coordapp', run: (role, u) =>
		    u.submit(`/coordinator/applications/${a}/ratings/999999/link`), allow: [404],
		    check: (c, res) => c.has(res.text, 'there is no open request', 'reached the handler'),
		    deny: (c, res) => c.ok(!/\/rate\/[0-9a-f]{64}/.test(res.text), 'no link') },
		{ r: 'GET /coordinator/endorsements/*', kind: 'coord', run: (role, u) =>
		    u.get('/coordinator/endorsements/NO-SUCH-1'), allow: [404],
		    check: (c, res) => c.has(res.text, 'there is no such endorsement in your association', 'reached the handler') },
		...['revoke', 'suspend', 'lift'].map((act) => ({ r: `POST /coordinator/endorsements/*/${act}`, kind: 'coord',
		    run: (role, u) => u.submit(`/coordinator/endorsements/NO-SUCH-1/${act}`, { reason: 'x', confirmed: 'yes' }),
		    allow: [404], check: (c, res) => c.has(res.text, 'there is no such endorsement in your association',
		    'reached the handler') })),
		{ r: 'POST /coordinator/bulk', kind: 'coord', run: (role, u) => u.submit('/coordinator/bulk',
		    { action: 'nothing' }), allow: [400] },
		{ r: 'GET /coordinator/cycles', kind: 'coord', run: (role, u) => u.get('/coordinator/cycles'), allow: [200] },
		{ r: 'POST /coordinator/cycles', kind: 'coord', run: (role, u) => u.submit('/coordinator/cycles',
		    { name: '', opens: 'x', closes: '' }), allow: [400] },
		{ r: 'GET /coordinator/cycles/#', kind: 'coord', run: (role, u) => u.get('/coordinator/cycles/999999'),
		    allow: [404] },
		{ r: 'POST /coordinator/cycles/#/close', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/cycles/999999/close'), allow: [404] },
		{ r: 'GET /coordinator/reviewers', kind: 'coord', run: (role, u) => u.get('/coordinator/reviewers'),
		    allow: [200] },
		{ r: 'POST /coordinator/reviewers', kind: 'coord', run: (role, u) => u.submit('/coordinator/reviewers',
		    { email: email('nobody') }), allow: [400] },
		{ r: 'POST /coordinator/reviewers/#/delete', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/reviewers/999999/delete'), allow: [404] },
		{ r: 'GET /coordinator/exams', kind: 'coord', run: (role, u) => u.get('/coordinator/exams'), allow: [200] },
		{ r: 'POST /coordinator/exams', kind: 'coord', run: (role, u) => u.submit('/coordinator/exams',
		    { date: 'soon', place: '' }), allow: [400] },
		{ r: 'GET /coordinator/exams/#', kind: 'coord', run: (role, u) => u.get('/coordinator/exams/999999'),
		    allow: [404] },
		{ r: 'POST /coordinator/exams/#/register', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/exams/999999/register', { application: String(a) }), allow: [404] },
		{ r: 'POST /coordinator/exams/#/registrations/#', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/exams/999999/registrations/999999', { part1: '50' }), allow: [404] },

		{ r: 'GET /coordinator', kind: 'coord', run: (role, u) => u.get('/coordinator'), allow: [200],
		    check: (c, res, role) => role === 'cSame' ? c.has(res.text, U.A.email, "lists A's application") :
			noLeak(c, res, 'the other association') },
		{ r: 'GET /coordinator/notices', kind: 'coord', run: (role, u) => u.get('/coordinator/notices'),
		    allow: [200], check: (c, res) => c.has(res.text, 'Each as it happens', 'the page') },
		{ r: 'POST /coordinator/notices', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/notices', { mail: '' }), allow: [400] },
		{ r: 'GET /coordinator/outbox', kind: 'coord', run: (role, u) => u.get('/coordinator/outbox'),
		    allow: [200], check: (c, res, role) => role === 'cSame' ? c.has(res.text, U.A.email, "A's mail") :
			noLeak(c, res, 'the other association') },
		// Rule changes (tests/impact/run shows one recorded): each
		// coordinator reads their own association's only.
		{ r: 'GET /coordinator/rules', kind: 'coord', run: (role, u) => u.get('/coordinator/rules'),
		    allow: [200], check: (c, res) => c.has(res.text, 'Rule changes', 'the page') },
		{ r: 'GET /coordinator/rules/#', kind: 'coord', run: (role, u) =>
		    u.get('/coordinator/rules/999999'), allow: [404] },
		// Reports (t-reports.mjs): each coordinator their own association's figures.
		{ r: 'GET /coordinator/reports', kind: 'coord', run: (role, u) => u.get('/coordinator/reports'),
		    allow: [200], check: (c, res, role) => role === 'cSame' ? c.has(res.text, 'id="t-states"', "the figures of A's association") :
			noLeak(c, res, 'the other association') },
		// Exports and the import of endorsees: each coordinator their own
		// association's rows (t-exports.mjs reads the files).
		{ r: 'GET /coordinator/exports', kind: 'coord', run: (role, u) => u.get('/coordinator/exports'),
		    allow: [200], check: (c, res) => c.has(res.text, 'applications.csv', 'the page') },
		{ r: 'GET /coordinator/exports/*', kind: 'coord', run: (role, u) =>
		    u.get('/coordinator/exports/applications.csv'), allow: [200],
		    check: (c, res, role) => role === 'cSame' ? c.has(res.text, U.A.email, "A's application") :
			noLeak(c, res, 'the other association') },
		{ r: 'GET /coordinator/import', kind: 'coord', run: (role, u) => u.get('/coordinator/import'),
		    allow: [200] },
		{ r: 'POST /coordinator/import', kind: 'coord', run: (role, u) => u.submitMultipart('/coordinator/import',
		    (fd) => fd.append('csv', new Blob(['number,name,email,category,since,status,city\r\n' +
		    'MATRIX-1,Matrix,matrix@example.org,IFS,2020-01-01,active,X\r\n']), 'm.csv')), allow: [200] },
		{ r: 'POST /coordinator/import/confirm', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/import/confirm', { text: 'eA==', digest: '0'.repeat(64), name: 'x.csv' }),
		    allow: [400] },
		// Membership verification and people (issue 17): each coordinator
		// their own association's; another's row is not found.
		{ r: 'GET /coordinator/memberships', kind: 'coord', run: (role, u) => u.get('/coordinator/memberships'),
		    allow: [200], check: (c, res) => c.has(res.text, 'Import the member roster', 'the page') },
		{ r: 'POST /coordinator/memberships/roster', kind: 'coord', run: (role, u) =>
		    u.submitMultipart('/coordinator/memberships/roster', (fd) =>
		    fd.append('roster', new Blob(['name\n']), 'r.csv')), allow: [400] },
		{ r: 'POST /coordinator/memberships/#/confirm', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/memberships/999999/confirm'), allow: [404] },
		{ r: 'POST /coordinator/memberships/#/reject', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/memberships/999999/reject', { reason: 'no' }), allow: [404] },
		{ r: 'GET /coordinator/people', kind: 'coord', run: (role, u) => u.get('/coordinator/people'),
		    allow: [200], check: (c, res) => c.has(res.text, 'Invite a coordinator or a reviewer', 'the page') },
		{ r: 'POST /coordinator/people', kind: 'coord', run: (role, u) => u.submit('/coordinator/people',
		    { role: 'boss', email: email('nobody') }), allow: [400] },
		{ r: 'GET /coordinator/people/coordinators/#/remove', kind: 'coord', run: (role, u) =>
		    u.get('/coordinator/people/coordinators/999999/remove'), allow: [404] },
		{ r: 'POST /coordinator/people/coordinators/#/remove', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/people/coordinators/999999/remove'), allow: [404] },
		{ r: 'GET /coordinator/people/reviewers/#/remove', kind: 'coord', run: (role, u) =>
		    u.get('/coordinator/people/reviewers/999999/remove'), allow: [404] },
		{ r: 'POST /coordinator/people/reviewers/#/remove', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/people/reviewers/999999/remove'), allow: [404] },

		// Renewal: A's log and endorsement are A's; the coordinator of
		// the association reads the evidence, the other one nothing.
		{ r: 'GET /renewal', kind: 'user', run: (role, u) => u.get('/renewal'), allow: [200],
		    check: (c, res, role) => role === 'A' ? c.has(res.text, SECRET_A, "A's log") :
			c.lacks(res.text, SECRET_A, "A's log shown to someone else") },
		{ r: 'POST /renewal/log', kind: 'custom', run: (role, u) => u.submit('/renewal/log',
		    { association: 'vaimh', kind: 'training', ...LOG, title: 'Matrix log' }),
		    exp: { anon: [303, '/login'], A: [303, '/renewal#log-vaimh'], B: [400], cOther: [400],
		    cSame: [400] }, denied: ['anon', 'B', 'cOther', 'cSame'] },
		{ r: 'GET /renewal/log/new', kind: 'custom', run: (role, u) =>
		    u.get('/renewal/log/new?association=vaimh&kind=rsc_received'),
		    exp: { anon: [303, '/login'], A: [200], B: [400], cOther: [400], cSame: [400] },
		    denied: ['anon', 'B', 'cOther', 'cSame'] },
		{ r: 'GET /renewal/log/#', kind: 'mine', run: (role, u) => u.get(`/renewal/log/${F.logA}`),
		    allow: [200], check: (c, res) => c.has(res.text, SECRET_A, "A's entry") },
		{ r: 'POST /renewal/log/#', kind: 'mine', run: (role, u) => u.submit(`/renewal/log/${F.logA}`, LOG),
		    allow: [303, '/renewal#log-vaimh'] },
		{ r: 'POST /renewal/log/#/delete', kind: 'mine', run: (role, u) =>
		    u.submit(`/renewal/log/${F.logDel}/delete`), allow: [303, '/renewal#log-vaimh'],
		    check: (c) => c.eq(one(`SELECT count(*) FROM log_entry WHERE id = ${F.logDel}`), 0, 'deleted') },
		{ r: 'GET /renewal/log/#/evidence', kind: 'mine', run: (role, u) =>
		    u.get(`/renewal/log/${F.logA}/evidence`), allow: [200],
		    check: (c, res) => c.ok(res.buf.subarray(0, 5).toString() === '%PDF-', "A's evidence"),
		    deny: (c, res) => c.lacks(res.text, '%PDF-', "A's evidence") },
		{ r: 'POST /renewal/log/#/evidence', kind: 'mine', run: (role, u) =>
		    u.submitMultipart(`/renewal/log/${F.logA}/evidence`, (fd) =>
			fd.append('file', new Blob([PDF]), 'evidence.pdf')), allow: [303, '/renewal#log-vaimh'] },
		{ r: 'POST /endorsements/#/attest', kind: 'mine', run: (role, u) =>
		    u.submit(`/endorsements/${F.endA}/attest`, { hours: 'yes', ethics: 'yes', membership: 'yes' }),
		    allow: [409], check: (c, res) => c.has(res.text, 'not open yet', 'the window of 2027') },
		{ r: 'POST /endorsements/#/inactive', kind: 'mine', run: (role, u) =>
		    u.submit(`/endorsements/${F.endA}/inactive`, { confirm: 'yes' }), allow: [409],
		    check: (c, res) => c.has(res.text, 'does not offer inactive status', 'VAIMH: no inactive status') },
		{ r: 'POST /endorsements/#/reinstate', kind: 'mine', run: (role, u) =>
		    u.submit(`/endorsements/${F.endA}/reinstate`), allow: [409],
		    check: (c, res) => c.has(res.text, 'only a lapsed or inactive', 'active: nothing to reinstate') },
		{ r: 'GET /endorsements/#/portfolio.json', kind: 'mine', run: (role, u) =>
		    u.get(`/endorsements/${F.endA}/portfolio.json`), allow: [200],
		    check: (c, res) => c.has(res.text, SECRET_A, "A's log") },
		{ r: 'GET /coordinator/renewals', kind: 'coord', run: (role, u) => u.get('/coordinator/renewals'),
		    allow: [200], check: (c, res, role) => role === 'cSame' ? c.has(res.text, 'VA-ACCESS-1',
			"A's endorsement, not renewed yet") : noLeak(c, res, 'the other association') },
		{ r: 'POST /coordinator/renewals/close', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/renewals/close', { cycle: '2027', confirm: 'yes' }),
		    allow: [409] },
		{ r: 'POST /coordinator/renewals/draw', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/renewals/draw', { cycle: '2027', percent: '' }), allow: [400] },
		{ r: 'GET /coordinator/renewals/#', kind: 'coord', run: (role, u) => u.get('/coordinator/renewals/999999'),
		    allow: [404] },
		{ r: 'POST /coordinator/renewals/#/items/#', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/renewals/999999/items/1', { decision: 'accept' }), allow: [404] },
		{ r: 'POST /coordinator/renewals/#/notes', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/renewals/999999/notes', { internal: 'x' }), allow: [404] },
		{ r: 'GET /coordinator/evidence/#', kind: 'coordapp', run: (role, u) =>
		    u.get(`/coordinator/evidence/${F.logA}`), allow: [200],
		    check: (c, res) => c.ok(res.buf.subarray(0, 5).toString() === '%PDF-', "A's evidence"),
		    deny: (c, res) => c.lacks(res.text, '%PDF-', "A's evidence") },
		{ r: 'POST /coordinator/reinstatements/#', kind: 'coord', run: (role, u) =>
		    u.submit('/coordinator/reinstatements/999999', { decision: 'approve' }), allow: [404] },
		{ r: 'GET /api/v1/renewal', kind: 'apiuser', run: (role) => api(role, 'GET', '/api/v1/renewal'),
		    allow: [200], check: (c, res, role) => {
			const n = (res.json()?.endorsements || []).map((x) => x.number);
			c.eq(n.includes('VA-ACCESS-1'), role === 'A', `A's endorsement ${role === 'A' ? '' : 'not '}listed: ${n}`);
		    } },
		{ r: 'POST /api/v1/log/*', kind: 'custom', run: (role) => api(role, 'POST',
		    '/api/v1/log/training?association=vaimh', { json: { title: 'API log', date: '2025-07-01',
		    hours: 1, role: 'attended' } }),
		    exp: { anon: [401], cookie: [401], A: [201], B: [400], cOther: [400], cSame: [400] },
		    denied: ['anon', 'cookie', 'B', 'cOther', 'cSame'] },
		{ r: 'GET /api/v1/endorsements/#/portfolio', kind: 'apiwrite', run: (role) => api(role, 'GET',
		    `/api/v1/endorsements/${F.endA}/portfolio`), allow: [200],
		    check: (c, res) => c.has(res.text, SECRET_A, "A's log") },

		{ r: 'POST /api/v1/accounts', kind: 'apipublic', run: (role) => api(role, 'POST', '/api/v1/accounts',
		    { json: { name: 'Matrix', email: fresh(), password: 'a long password' } }), all: [201] },
		{ r: 'POST /api/v1/tokens', kind: 'apipublic', run: (role) => {
			const who = role === 'anon' || role === 'cookie' ? U.M : U[role];
			return api(role, 'POST', '/api/v1/tokens', { json: { email: who.email, password: who.password } });
		    }, all: [201] },
		{ r: 'GET /api/v1/registry', kind: 'apipublic', run: (role) => api(role, 'GET', '/api/v1/registry?q=matrix'),
		    all: [200], check: (c, res) => c.ok(Array.isArray(res.json()?.results), `{"results": [...]}: ${res.text}`) },
		{ r: 'GET /api/v1/verify/*', kind: 'apipublic', run: (role) => api(role, 'GET', '/api/v1/verify/NO-SUCH-NUMBER'),
		    all: [404], check: (c, res) => c.ok(typeof res.json()?.error === 'string', `{"error"}: ${res.text}`) },
		{ r: 'GET /api/v1/credentials/*', kind: 'apipublic', run: (role) => api(role, 'GET', '/api/v1/credentials/NO-SUCH-NUMBER'),
		    all: [404], check: (c, res) => c.ok(typeof res.json()?.error === 'string', `{"error"}: ${res.text}`) },
		{ r: 'GET /api/v1/applications', kind: 'apiuser', run: (role) => api(role, 'GET', '/api/v1/applications'),
		    allow: [200], check: (c, res, role) => {
			const ids = (res.json()?.applications || []).map((x) => x.id);
			c.eq(ids.includes(a), role === 'A', `appA ${role === 'A' ? '' : 'not '}listed: ${ids}`);
		    } },
		{ r: 'POST /api/v1/applications', kind: 'apiuser', run: (role) => api(role, 'POST',
		    '/api/v1/applications', { json: { association: 'vaimh', category: 'IFA' } }), allow: [201] },
		{ r: 'GET /api/v1/applications/#/portfolio', kind: 'apiread', run: (role) => api(role, 'GET',
		    `/api/v1/applications/${a}/portfolio`), allow: [200],
		    check: (c, res) => c.has(res.text, SECRET_A, "A's portfolio") },
		{ r: 'PUT /api/v1/applications/#/portfolio', kind: 'apiwrite', run: (role) => api(role, 'PUT',
		    `/api/v1/applications/${F.appPut}/portfolio`, { json: portfolioFor(IFS_JSON, 'vaimh', 'IFS') }),
		    allow: [200] },
		{ r: 'GET /api/v1/applications/#/checklist', kind: 'apiread', run: (role) => api(role, 'GET',
		    `/api/v1/applications/${a}/checklist`), allow: [200],
		    check: (c, res) => c.eq(res.json()?.format, 'endorse-check/1', 'the checklist') },
	];
}

// The expectation of role on a route: { exp: [status, loc], deny: bool }.
function expectation(rt, role) {
	const login = [303, '/login'];
	switch (rt.kind) {
	case 'public':
	case 'apipublic':
		return { exp: rt.all || rt.exp[role], deny: false };
	case 'user':
		return role === 'anon' ? { exp: login, deny: true } : { exp: rt.allow, deny: false };
	case 'mine':
	case 'write':
		return role === 'anon' ? { exp: login, deny: true } :
		    role === 'A' ? { exp: rt.allow, deny: false } : { exp: [404], deny: true };
	case 'read':
		return role === 'anon' ? { exp: login, deny: true } :
		    role === 'A' || role === 'cSame' ? { exp: rt.allow, deny: false } : { exp: [404], deny: true };
	case 'custom':
		return { exp: rt.exp[role], deny: (rt.denied || []).includes(role) };
	case 'coordapp':
		return role === 'anon' ? { exp: login, deny: true } :
		    role === 'A' || role === 'B' ? { exp: [403], deny: true } :
		    role === 'cOther' ? { exp: [404], deny: true } : { exp: rt.allow, deny: false };
	case 'coord':
		return role === 'anon' ? { exp: login, deny: true } :
		    role === 'A' || role === 'B' ? { exp: [403], deny: true } : { exp: rt.allow, deny: false };
	case 'apiuser':
		return role === 'anon' || role === 'cookie' ? { exp: [401], deny: true } : { exp: rt.allow, deny: false };
	case 'apiread':
		return role === 'anon' || role === 'cookie' ? { exp: [401], deny: true } :
		    role === 'A' || role === 'cSame' ? { exp: rt.allow, deny: false } : { exp: [404], deny: true };
	case 'apiwrite':
		return role === 'anon' || role === 'cookie' ? { exp: [401], deny: true } :
		    role === 'A' ? { exp: rt.allow, deny: false } : { exp: [404], deny: true };
	}
	throw new Error('kind ' + rt.kind);
}

async function matrix() {
	const list = routes();
	await test('access matrix: every route of src/routes.def is in the matrix', (c) => {
		c.eq(list.map((x) => x.r).sort(), routeTable().sort(), 'routes');
	});
	for (const rt of list) {
		const isApi = rt.r.includes(' /api/');
		// A last: the allowed call of a destructive route comes after the denials.
		const roles = isApi ? ['anon', 'cookie', 'B', 'cOther', 'cSame', 'A'] :
		    ['anon', 'B', 'cOther', 'cSame', 'A'];
		const write = !rt.r.startsWith('GET ');
		for (const role of roles) {
			if (rt.kind === 'apipublic' && role === 'cookie') continue;
			const { exp, deny } = expectation(rt, role);
			const [status, loc] = exp;
			const what = `${status}${loc ? ' ' + loc : ''}${deny ? ' (denied)' : ''}`;
			await test(`access: ${rt.r} as ${LABEL[role]} -> ${what}`, async (c) => {
				const u = role === 'anon' ? new Client('anon') : U[role];
				const before = deny && write ? snapshot() : null;
				const res = await rt.run(role, u);
				if (loc !== undefined) c.redirect(res, loc, `${rt.r} as ${role}`);
				else c.status(res, status, `${rt.r} as ${role}`);
				if (deny) {
					if (role !== 'A' && role !== 'cookie') noLeak(c, res, `${rt.r} as ${role}`);
					if (rt.deny) rt.deny(c, res);
					if (before) unchanged(c, before, `denied ${rt.r} as ${role}`);
					if (isApi) c.ok(res.json() && typeof res.json().error === 'string',
					    `API denial is {"error"}: ${res.text.slice(0, 100)}`);
				} else if (rt.check && res.status === status) {
					await rt.check(c, res, role);
				}
			});
		}
	}
}

// ------------------------------------------------------------ throttling

async function throttling() {
	await test('login throttling: 429 after 5 failures for an e-mail, even with the right password', async (c) => {
		const mail = email('throttle-web');
		const pw = 'throttled password';
		c.status(await new Client('api').post('/api/v1/accounts', { json: { name: 'Thr', email: mail,
		    password: pw } }), 201, 'account');
		const u = new Client('thr');
		for (let i = 1; i <= 5; i++)
			c.status(await login(u, mail, `wrong ${i} password`), 400, `failure ${i}`);
		let r = await login(u, mail, pw);
		c.status(r, 429, 'the right password after 5 failures');
		c.has(fieldError(r.text, 'password') || '', 'too many failed attempts', 'message beside the field');
		c.ok(!u.cookie('endorse_session'), 'no session');
		r = await login(u, mail.toUpperCase(), pw);
		c.status(r, 429, 'the same e-mail in capitals');
		r = await new Client('api').post('/api/v1/tokens', { json: { email: mail, password: pw } });
		c.status(r, 429, 'the API refuses that e-mail too');
		r = await login(new Client('m'), U.M.email, U.M.password);
		c.redirect(r, '/dashboard', 'another account is not locked');
	});

	await test('API token throttling: 429 after 5 failures', async (c) => {
		const mail = email('throttle-api');
		const pw = 'throttled password';
		c.status(await new Client('api').post('/api/v1/accounts', { json: { name: 'Thr', email: mail,
		    password: pw } }), 201, 'account');
		for (let i = 1; i <= 5; i++) {
			const r = await new Client('api').post('/api/v1/tokens', { json: { email: mail,
			    password: `wrong ${i} password` } });
			c.status(r, 401, `failure ${i}`);
		}
		const before = snapshot();
		let r = await new Client('api').post('/api/v1/tokens', { json: { email: mail, password: pw } });
		c.status(r, 429, 'the right password after 5 failures');
		c.ok(r.json() && /too many failed attempts/.test(r.json().error), `JSON error: ${r.text}`);
		unchanged(c, before, 'no token stored');
		r = await login(new Client('w'), mail, pw);
		c.status(r, 429, 'the login page refuses that e-mail too');
	});
}

async function login(u, mail, pw) {
	return u.submit('/login', { email: mail, password: pw });
}

// Entry ids are checked against the application in the address: another
// application's entry, even through one's own application, is 404.
async function crossIds() {
	await test("entry ids belong to their application: B through B's own application gets 404 for A's entries", async (c) => {
		const b = F.appB;
		const tries = [
			['GET', `/applications/${b}/entries/${F.eWorkA}`],
			['POST', `/applications/${b}/entries/${F.eWorkA}`, [['title', 'Hijacked'], ...WORK_A.slice(1)]],
			['POST', `/applications/${b}/entries/${F.eWorkA}/delete`, {}],
			['GET', `/applications/${b}/entries/${F.eEduA}/transcript`],
			['POST', `/applications/${b}/entries/${F.eEduA}/transcript/delete`, {}],
		];
		for (const [m, p, form] of tries) {
			const before = snapshot();
			const r = m === 'GET' ? await U.B.get(p) : await U.B.submit(p, form);
			c.status(r, 404, `${m} ${p} as B`);
			noLeak(c, r, `${m} ${p} as B`);
			c.lacks(r.text, '%PDF-', `${m} ${p}: A's transcript`);
			unchanged(c, before, `${m} ${p} as B`);
		}
		const before = snapshot();
		const r = await upload(U.B, b, F.eEduA, PDF2);
		c.status(r, 404, "upload to A's degree through B's application");
		unchanged(c, before, "upload to A's degree through B's application");
		// And A's own entry through A's other application.
		const other = F.appPut;
		c.status(await U.A.get(`/applications/${other}/entries/${F.eWorkA}`), 404,
		    "A's entry through another of A's applications");
	});
}

// ------------------------------------------------------------ reviewers

// The review material of an application by role (issue 15): a current
// reviewer reads it; a removed reviewer, a reviewer in conflict (a rater
// of the application) and a reviewer of an earlier round do not (404),
// and a review they submit does not count.
async function reviewerMatrix() {
	const id = (u) => one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
	const tag = (t) => `${t}-${UNIQ}`;
	const P = {};
	for (const k of ['owner', 'cur', 'removed', 'conflicted', 'earlier'])
		P[k] = await register(`Mx${k}`, `Matrix ${k} ${UNIQ}`, email(`mx-${k}`), 'vaimh');
	const app = await newApp(P.owner, 'vaimh/IFS');
	const ent = await addEntry(P.owner, app, 'education', { level: 'master', conferred: '2019-01-01' });
	await upload(P.owner, app, ent, PDF);
	const DAY = Date.UTC(2026, 10, 23) / 1000;
	one(`INSERT INTO rating (application, email, name, relationship, hash, status, expires, sent, ` +
	    `answered, answers) VALUES (${app}, ${q(email('mx-rater'))}, 'Mx Rater', 'supervisor', ` +
	    `${q(tag('mx1'))}, 'completed', ${DAY + 86400}, ${DAY}, ${DAY}, '{}') RETURNING id`);
	const rating = one(`SELECT max(id) FROM rating WHERE application = ${app}`);
	one(`INSERT INTO rating (application, email, name, relationship, hash, status, expires, sent) ` +
	    `VALUES (${app}, ${q(P.conflicted.email.toUpperCase())}, 'Mx Conflicted', 'colleague', ` +
	    `${q(tag('mx2'))}, 'sent', ${DAY + 86400}, ${DAY}) RETURNING id`);
	one(`UPDATE application SET status = 'submitted', submitted = ${DAY} WHERE id = ${app} RETURNING id`);
	const asg = {};
	for (const k of ['cur', 'removed', 'conflicted', 'earlier']) {
		one(`INSERT INTO reviewer (account, association, created) VALUES (${id(P[k])}, 'vaimh', 0) RETURNING account`);
		asg[k] = one(`INSERT INTO assignment (application, reviewer, assigned) VALUES (${app}, ` +
		    `${id(P[k])}, ${k === 'earlier' ? DAY - 10 : DAY + 10}) RETURNING id`);
	}
	await U.cSame.submit(`/coordinator/reviewers/${id(P.removed)}/delete`, {});
	// Removed, their session ended (issue 17): logged in again, they reach nothing.
	P.removed = await fork(P.removed, 'removed-again');
	const reads = [
		['GET /applications/#', `/applications/${app}`],
		['GET /applications/#/tab/*', `/applications/${app}/tab/education`],
		['GET /applications/#/entries/#', `/applications/${app}/entries/${ent}`],
		['GET /applications/#/entries/#/transcript', `/applications/${app}/entries/${ent}/transcript`],
		['GET /applications/#/ethics', `/applications/${app}/ethics`],
		['GET /applications/#/export', `/applications/${app}/export`],
		['GET /applications/#/ratings/#', `/applications/${app}/ratings/${rating}`],
	];
	for (const k of ['cur', 'removed', 'conflicted', 'earlier']) {
		const who = { cur: 'a current reviewer', removed: 'a removed reviewer',
		    conflicted: 'a reviewer who is a rater', earlier: "an earlier round's reviewer" }[k];
		await test(`access: review material as ${who} -> ${k === 'cur' ? 200 : '404 (denied)'}`, async (c) => {
			for (const [r, path] of [...reads, ['GET /review/#', `/review/${asg[k]}`]]) {
				const res = await P[k].get(path);
				if (k === 'cur') {
					c.status(res, 200, `${r} as ${who}`);
					continue;
				}
				c.ok(res.status === 404 || res.status === 403, `${r} as ${who}: ${res.status}`);
				c.lacks(res.text, P.owner.name, `${r} as ${who}: shows the applicant`);
			}
			if (k === 'cur')
				return;
			const res = await P[k].submit(`/review/${asg[k]}`, { recommendation: 'endorse', final: 'yes' });
			c.ok(res.status === 404 || res.status === 403, `POST /review/# as ${who}: ${res.status}`);
			c.eq(one(`SELECT count(*) FROM assignment WHERE id = ${asg[k]} AND done IS NOT NULL`), 0,
			    `${who}: the review did not count`);
		});
	}
}

// A coordinator's own application (issue 15): they read it, but every
// change of its review and decision is refused (403), nothing stored.
async function ownApplication() {
	const owner = await register('MxOwn', `Matrix own ${UNIQ}`, email('mx-own'), 'vaimh');
	const app = await newApp(owner, 'vaimh/IFS');
	const cs = one(`SELECT id FROM account WHERE email = ${q(U.cSame.email)}`);
	one(`UPDATE application SET account = ${cs}, status = 'submitted', submitted = ` +
	    `${Date.UTC(2026, 10, 23) / 1000} WHERE id = ${app} RETURNING id`);
	const routes = [
		['POST /coordinator/applications/#/assign', `/coordinator/applications/${app}/assign`, { reviewer: String(cs) }],
		['POST /coordinator/applications/#/unlock', `/coordinator/applications/${app}/unlock`, { note: 'Change it.' }],
		['POST /coordinator/applications/#/decide', `/coordinator/applications/${app}/decide`, { decision: 'deny', note: '' }],
		['POST /coordinator/applications/#/notes', `/coordinator/applications/${app}/notes`, { internal: 'A note.' }],
	];
	await test("access: a coordinator's own application: read 200, assign, unlock, decide and note 403, nothing stored", async (c) => {
		const page = await U.cSame.get(`/coordinator/applications/${app}`);
		c.status(page, 200, 'GET /coordinator/applications/#');
		c.has(page.text, 'you are the applicant', 'the page says why they do not decide it');
		for (const [r, path, form] of routes) {
			const before = snapshot();
			c.status(await U.cSame.submit(path, form), 403, `${r} on their own application`);
			unchanged(c, before, `${r} on their own application`);
		}
	});
	one(`DELETE FROM application WHERE id = ${app} RETURNING id`);
}

export async function run() {
	await fixtures();
	await csrfTests();
	await crossIds();
	await matrix();
	await reviewerMatrix();
	await ownApplication();
	await throttling();
}
