// Authentication under attack (issue 15, points 11 to 14 and the idle
// timeout of 16), on a server of this part's own, with a config
// of small limits (so that its throttling and mail limits touch no other
// part): login_failures 4, login_delay 1 s, trusted_proxies 127.0.0.1
// (written as ::ffff:127.0.0.1, which must mean the same; every request
// here comes from it, and names its client in
// X-Forwarded-For), mail_per_recipient 3, mail_per_account 5.
// AUTH_BASELINE=1 leaves the new settings out of that config, so that an
// older binary starts and the tests show what it did.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, q } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';
import { freePort } from '../lib/port.mjs';
import { UNIQ } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const DIR = path.join(process.env.HTTP_TMP, 'auth');
const DB = path.join(DIR, 'auth.db');
const PW = 'correct horse battery';
const BASELINE = !!process.env.AUTH_BASELINE;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function writeConfig(name, lines) {
	fs.mkdirSync(DIR, { recursive: true });
	const f = path.join(DIR, name);
	fs.writeFileSync(f, lines.join('\n') + '\n');
	return f;
}

function start() {
	const conf = writeConfig('auth.conf', BASELINE ? ['login_failures = 4'] : [
	    'login_failures = 4', 'login_window = 600', 'login_delay = 1',
	    'trusted_proxies = ::ffff:127.0.0.1, ::1', 'mail_per_recipient = 3',
	    'mail_per_account = 5']);
	return ownServer({ name: 'auth', bin: BIN, root: ROOT, db: DB, config: conf,
	    rules: path.join(ROOT, 'rules') });
}

// The database of this part's server, read with the sqlite3 CLI.
function adb(query) {
	const r = spawnSync('sqlite3', ['-json', '-cmd', '.timeout 5000', DB, query],
	    { encoding: 'utf8' });
	return r.stdout.trim() === '' ? [] : JSON.parse(r.stdout);
}

// A client of the own server whose requests say they come from ip.
function from(srv, label, ip) {
	const c = new Client(label, srv.base);
	const req = c.req.bind(c);
	c.req = (m, p, opts = {}) => req(m, p, { ...opts, headers:
	    { ...(opts.headers || {}), 'X-Forwarded-For': ip } });
	return c;
}

function loginAs(c, mail, pw) { return c.submit('/login', { email: mail, password: pw }); }

async function ownAccount(srv, tag) {
	const mail = `${tag}-${UNIQ}@example.org`;
	const r = await new Client('api', srv.base).post('/api/v1/accounts',
	    { json: { name: `Person ${tag}`, email: mail, password: PW } });
	if (r.status !== 201) throw new Error(`account ${tag}: ${r.status} ${r.text}`);
	return mail;
}

function waitOf(r) {
	const m = r.text.match(/try again in (\d+) seconds/);
	return m ? Number(m[1]) : null;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ------------------------------------------------ 11: tokens and sessions

async function tokens(srv) {
	const person = async (tag, ip) => {
		const mail = await ownAccount(srv, tag);
		const u = from(srv, tag, ip);
		const r = await loginAs(u, mail, PW);
		if (r.status !== 303) throw new Error(`${tag} login: ${r.status}`);
		const t = await from(srv, 'api', ip).post('/api/v1/tokens',
		    { json: { email: mail, password: PW, label: 'script' } });
		if (t.status !== 201) throw new Error(`${tag} token: ${t.status} ${t.text}`);
		return { u, mail, tok: t.json().token };
	};
	const apiGet = (tok) => new Client('api', srv.base).get('/api/v1/applications', { bearer: tok });

	await test('auth: a password change revokes the API tokens and ends the other sessions; the page says so', async (c) => {
		const { u, mail, tok } = await person('toby', '198.51.100.60');
		const other = from(srv, 'toby2', '198.51.100.61');
		c.redirect(await loginAs(other, mail, PW), '/dashboard', 'a second session');
		c.status(await apiGet(tok), 200, 'the token works before');
		const r = await u.submit('/account/password', { current: PW, password: 'another long password' });
		c.status(r, 200, 'password changed');
		c.has(r.text, 'your API tokens were revoked', 'the page says the tokens were revoked');
		c.status(await apiGet(tok), 401, 'the token made with the old password no longer works');
		c.eq(adb(`SELECT count(*) AS n FROM api_token t JOIN account a ON a.id = t.account ` +
		    `WHERE a.email = ${q(mail)}`)[0]?.n, 0, 'no token row left');
		c.redirect(await other.get('/dashboard'), '/login', 'the other session ended');
		c.status(await u.get('/dashboard'), 200, 'the session in use goes on');
	});

	await test('auth: a password reset revokes the API tokens and ends every session; the login page says so', async (c) => {
		const { u, mail, tok } = await person('rita', '198.51.100.62');
		const anon = from(srv, 'anon', '198.51.100.63');
		c.status(await anon.submit('/reset', { email: mail }), 200, 'reset asked');
		const body = adb(`SELECT body FROM outbox WHERE recipient = ${q(mail)} ` +
		    "AND subject LIKE 'Reset%' ORDER BY id DESC LIMIT 1")[0]?.body || '';
		const m = body.match(/\/reset\/([0-9a-f]{64})/);
		if (!c.ok(m, `a link in the mail: ${body}`)) return;
		const r = await anon.submit(`/reset/${m[1]}`, { password: 'a reset long password' });
		c.redirect(r, '/login?reset=1', 'reset done');
		c.has((await anon.get('/login?reset=1')).text, 'your API tokens were revoked',
		    'the login page says the tokens were revoked');
		c.status(await apiGet(tok), 401, 'the token no longer works after the reset');
		c.redirect(await u.get('/dashboard'), '/login', 'the session ended');
	});
}

// ------------------------------------------------------ 13: enumeration

async function enumeration(srv) {
	await test('auth: a login for an unknown e-mail takes as long as one for a known e-mail (median of 7)', async (c) => {
		const known = [];
		for (let i = 0; i < 7; i++) known.push(await ownAccount(srv, `timing${i}`));
		const timeOf = async (mail, i, tag) => {
			const u = from(srv, 't', `192.0.2.${tag === 'k' ? 10 + i : 50 + i}`);
			await u.csrf();
			const t0 = process.hrtime.bigint();
			const r = await loginAs(u, mail, 'not the password at all');
			const ms = Number(process.hrtime.bigint() - t0) / 1e6;
			c.status(r, 400, `wrong password for ${mail}`);
			return ms;
		};
		const tk = [], tu = [];
		for (let i = 0; i < 7; i++) {
			tk.push(await timeOf(known[i], i, 'k'));
			tu.push(await timeOf(`nobody${i}-${UNIQ}@example.org`, i, 'u'));
		}
		const mk = median(tk), mu = median(tu);
		c.ok(mu >= 0.5 * mk, `unknown ${mu.toFixed(1)} ms vs known ${mk.toFixed(1)} ms ` +
		    `(medians; known ${tk.map((x) => x.toFixed(0))}, unknown ${tu.map((x) => x.toFixed(0))})`);
	});

	await test('auth: registering a known e-mail gets the answer of a new one (page and API), and a mail to that address', async (c) => {
		const mail = `enum-${UNIQ}@example.org`;
		const answer = async (addr, name) => {
			const u = new Client('reg', srv.base);
			await u.get('/register');
			const r = await u.submit('/register', { name, email: addr, password: PW,
			    association: '' });
			return { status: r.status, location: r.location, text: r.text,
			    cookies: r.setCookies.map((s) => s.split('=')[0]).filter((n) => n !== 'endorse_pre') };
		};
		const first = await answer(mail, 'First Person');
		const again = await answer(mail.toUpperCase(), 'Second Person');
		c.eq(again, first, 'the page answers a known address as a new one');
		c.eq(adb(`SELECT count(*) AS n FROM account WHERE email = ${q(mail)}`)[0]?.n, 1, 'one account');
		const m = adb(`SELECT subject, body FROM outbox WHERE recipient = ${q(mail.toUpperCase())}`)[0];
		c.eq(m?.subject, 'Your Endorse account', 'the known address is told it has an account');
		c.ok(/already has one/.test(m?.body || '') && /\/reset\/[0-9a-f]{64}/.test(m?.body || ''),
		    `with a reset link: ${m?.body}`);
		const api = async (addr) => {
			const r = await new Client('api', srv.base).post('/api/v1/accounts',
			    { json: { name: 'Api', email: addr, password: PW } });
			return { status: r.status, text: r.text.replace(addr, 'ADDR') };
		};
		const apiMail = `enumapi-${UNIQ}@example.org`;
		const a1 = await api(apiMail);
		const a2 = await api(apiMail);
		c.eq(a2, a1, 'the API answers a known address as a new one');
	});
}

// ---------------------------------------------------------- 12: throttling

async function throttling(srv) {
	await test('auth: behind the trusted proxy, 20 failures from one client do not lock out a client at another address', async (c) => {
		const victim = await ownAccount(srv, 'proxyvictim');
		const attacker = from(srv, 'att', '203.0.113.7');
		for (let i = 0; i < 20; i++)
			c.status(await loginAs(attacker, `sprayed${i}-${UNIQ}@example.org`, 'guess password'),
			    [400, 429], `attacker failure ${i}`);
		c.status(await loginAs(attacker, `sprayed99-${UNIQ}@example.org`, 'guess password'), 429,
		    'the attacker address is throttled');
		// What the client writes on the left of X-Forwarded-For does not count.
		const spoof = from(srv, 'spoof', '198.51.100.77, 203.0.113.7');
		c.status(await loginAs(spoof, `sprayed98-${UNIQ}@example.org`, 'guess password'), 429,
		    'a forged left-hand X-Forwarded-For entry does not escape');
		const r = await loginAs(from(srv, 'vic', '198.51.100.9'), victim, PW);
		c.redirect(r, '/dashboard', 'a person at another address logs in');
	});

	await test('auth: the per-address throttle lets the right password through after its delay (Retry-After)', async (c) => {
		const mail = await ownAccount(srv, 'sharedaddr');
		const ip = '203.0.113.8';
		const attacker = from(srv, 'att2', ip);
		for (let i = 0; i < 20; i++)
			await loginAs(attacker, `spray2-${i}-${UNIQ}@example.org`, 'guess password');
		const person = from(srv, 'nat', ip);	// behind the same NAT
		let r = await loginAs(person, mail, PW);
		c.status(r, 429, 'first try while the address is throttled');
		const wait = waitOf(r);
		c.ok(wait !== null && wait > 0 && wait <= 600, `"try again in N seconds": ${r.text.match(/too many[^<]*/)}`);
		c.eq(r.headers.get('retry-after'), String(wait), 'Retry-After');
		// The attacker goes on meanwhile.
		for (let i = 0; i < 5; i++)
			await loginAs(attacker, `spray2-x${i}-${UNIQ}@example.org`, 'guess password');
		await sleep(((wait ?? 1) + 0.5) * 1000);
		r = await loginAs(person, mail, PW);
		c.redirect(r, '/dashboard', 'after the delay the right password gets in');
	});

	await test('auth: an attacked account: waits grow (backoff), and the owner gets in after their own wait', async (c) => {
		const mail = await ownAccount(srv, 'attacked');
		const attacker = from(srv, 'att3', '203.0.113.9');
		for (let i = 0; i < 4; i++)
			c.status(await loginAs(attacker, mail, `wrong ${i} password`), 400, `failure ${i}`);
		const waits = [];
		for (let k = 0; k < 3; k++) {
			const r = await loginAs(attacker, mail, 'wrong again password');
			c.status(r, 429, `throttled ${k}`);
			waits.push(waitOf(r));
			await sleep((waits[k] ?? 1) * 1000 + 300);
			c.status(await loginAs(attacker, mail, 'wrong later password'), 400,
			    `checked after wait ${k}`);
		}
		c.ok(waits[0] >= 1 && waits[1] > waits[0] && waits[2] > waits[1], `growing waits: ${waits}`);
		// The attacker keeps trying; the owner, elsewhere, has a wait of their own.
		const owner = from(srv, 'own', '198.51.100.20');
		let r = await loginAs(owner, mail, PW);
		let wait = r.status === 429 ? waitOf(r) : 0;
		c.ok(r.status === 303 || (wait > 0 && wait <= 600), `owner's first try: ${r.status} ${wait}`);
		if (r.status === 429) {
			for (let i = 0; i < 3; i++)
				await loginAs(attacker, mail, 'still guessing password');
			await sleep((wait + 0.5) * 1000);
			r = await loginAs(owner, mail, PW);
		}
		c.redirect(r, '/dashboard', 'the owner gets in: the attacker cannot hold the account');
	});
}

// ------------------------------------------------------------ 14: mail

async function applicantWithRefs(srv, n) {
	const mail = await ownAccount(srv, 'mailer');
	const u = from(srv, 'mailer', '198.51.100.30');
	const l = await loginAs(u, mail, PW);
	if (l.status !== 303) throw new Error(`mailer login: ${l.status}`);
	const r = await u.submit('/applications', { choice: 'vaimh/IFS' });
	const app = Number((r.location || '').match(/^\/applications\/(\d+)$/)?.[1]);
	if (!app) throw new Error(`application: ${r.status} ${r.text.slice(0, 300)}`);
	for (let i = 0; i < n; i++) {
		const e = await u.submit(`/applications/${app}/tab/references`, {
		    name: i === 0 ? 'Sir,\n\nYOUR ACCOUNT IS SUSPENDED. Call +1 555 0100' : `Rater ${i}`,
		    email: `rater${i}-${UNIQ}@example.org`, relationship: 'colleague', endorsements: '' });
		if (e.status !== 303) throw new Error(`reference ${i}: ${e.status} ${e.text.slice(0, 300)}`);
	}
	const tab = (await u.get(`/applications/${app}/tab/references`)).text;
	const reqs = [...new Set(tab.match(new RegExp(`/applications/${app}/entries/\\d+/request`, 'g')))];
	return { u, app, reqs, tab };
}

async function mailLimits(srv) {
	await test('auth: reset mails are limited per address, the same for an address without an account', async (c) => {
		const known = await ownAccount(srv, 'resetme');
		const ghost = `ghost-${UNIQ}@example.org`;
		const anon = from(srv, 'anon', '198.51.100.40');
		const page = await anon.get('/reset');
		c.has(page.text, 'At most 3 messages an hour go to one address', 'the limit is shown on the page');
		// The known address had one message (its registration): the
		// other gets one request first, so that both have the same past.
		c.status(await anon.submit('/reset', { email: ghost }), 200, 'one reset for the unknown address');
		const st = { known: [], ghost: [] };
		let last = {};
		for (const [k, addr] of [['known', known], ['ghost', ghost]]) {
			for (let i = 0; i < 5; i++) {
				const r = await anon.submit('/reset', { email: addr });
				st[k].push(r.status);
				last[k] = r.text.replace(addr, 'ADDR');
			}
		}
		c.eq(st.known, [200, 200, 429, 429, 429], 'known address: 3 with its registration, then refused');
		c.eq(st.ghost, st.known, 'unknown address: the same answers');
		c.eq(last.ghost, last.known, 'the same refusal page');
		c.has(last.known, 'at most 3 an hour', 'the refusal names the limit');
		c.eq(adb(`SELECT count(*) AS n FROM outbox WHERE recipient = ${q(known)} AND subject LIKE 'Reset%'`)[0]?.n,
		    2, 'two reset mails, not five');
	});

	await test('auth: rating requests: no typed text in the greeting, resends limited per rater, requests per account', async (c) => {
		const { u, app, reqs, tab } = await applicantWithRefs(srv, 4);
		c.has(tab, 'at most 3 messages an hour to one address, and 5 a day from your account',
		    'the limits are shown where requests are sent');
		c.eq(reqs.length, 4, 'four references to ask');
		let r = await u.submit(reqs[0]);
		c.status(r, 303, 'first request');
		const body = adb(`SELECT body FROM outbox WHERE recipient = ${q(`rater0-${UNIQ}@example.org`)}`)[0]?.body || '';
		c.ok(/^Hello,\n/.test(body) && !/SUSPENDED|Dear/.test(body), `greeting without typed text: ${body.slice(0, 120)}`);
		const t = (await u.get(`/applications/${app}/tab/references`)).text;
		const rid = t.match(/\/ratings\/(\d+)\/resend/)?.[1];
		const st = [];
		let last429 = '';
		for (let i = 0; i < 20; i++) {
			r = await u.submit(`/applications/${app}/ratings/${rid}/resend`);
			st.push(r.status);
			if (r.status === 429) last429 = r.text;
		}
		c.eq(st.filter((s) => s === 303).length, 2, `two resends pass (three mails an hour to the rater): ${st}`);
		c.eq(st.filter((s) => s === 429).length, 18, 'the rest are refused with 429');
		c.has(last429, 'at most 3 an hour', 'the refusal names the limit');
		c.eq(adb(`SELECT count(*) AS n FROM outbox WHERE recipient = ${q(`rater0-${UNIQ}@example.org`)}`)[0]?.n,
		    3, 'three mails to the rater, not 21');
		c.status(await u.submit(reqs[1]), 303, 'request to rater 1 (4th mail today)');
		c.status(await u.submit(reqs[2]), 303, 'request to rater 2 (5th)');
		r = await u.submit(reqs[3]);
		c.status(r, 429, 'request to rater 3: over the account limit');
		c.has(r.text, 'at most 5 a day', 'the refusal names the account limit');
	});
}
// ------------------------------------------------------- 16: idle timeout

async function idle() {
	await test('auth: session_idle below 300 seconds is refused (an active user was logged out at 60)', async (c) => {
		const conf = writeConfig('idle.conf', ['session_idle = 60']);
		const port = await freePort();
		const r = spawnSync(BIN, ['serve', '--config', conf, '--db', path.join(DIR, 'idle.db'),
		    '--listen', `127.0.0.1:${port}`, '--share', ROOT, '--rules', path.join(ROOT, 'rules'),
		    '--quiet'], { encoding: 'utf8', timeout: 5000 });
		c.eq(r.status, 2, `exit status (stderr: ${r.stderr.trim()})`);
		c.ok(/session_idle/.test(r.stderr) && /300/.test(r.stderr), `names the setting and its minimum: ${r.stderr}`);
	});
}

async function badProxies() {
	await test('auth: a trusted_proxies value that is not an address is refused at start, naming it', async (c) => {
		const conf = writeConfig('proxies.conf', ['trusted_proxies = 127.0.0.1, 10.0.0.300']);
		const port = await freePort();
		const r = spawnSync(BIN, ['serve', '--config', conf, '--db', path.join(DIR, 'proxies.db'),
		    '--listen', `127.0.0.1:${port}`, '--share', ROOT, '--rules', path.join(ROOT, 'rules'),
		    '--quiet'], { encoding: 'utf8', timeout: 5000 });
		c.eq(r.status, 2, `exit status (stderr: ${r.stderr.trim()})`);
		c.ok(/trusted_proxies: '10\.0\.0\.300' is not an IPv4 or IPv6 address/.test(r.stderr),
		    `names the value: ${r.stderr}`);
	});
}

export async function run() {
	await idle();
	await badProxies();
	const srv = await start();
	try {
		await tokens(srv);
		await enumeration(srv);
		await mailLimits(srv);
		await throttling(srv);
	} finally {
		srv.proc.kill('SIGTERM');
		const code = await srv.exited;
		await test("auth: the part's own server exits 0 on SIGTERM, no sanitizer report", (c) => {
			c.eq(code, 0, 'exit status');
			c.ok(!/ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: /.test(srv.err),
			    `server stderr:\n${srv.err.split('\n').slice(0, 40).join('\n')}`);
		});
	}
}
