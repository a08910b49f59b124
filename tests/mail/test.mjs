// Mail tests, run by tests/mail/run against a live server whose outbox is
// delivered over SMTP to a local sink (sink.py) that this file starts,
// stops and starts again.  Reuses the HTTP tests' client and database
// helpers; prints "ok - mail: NAME" / "not ok - mail: NAME".
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Client, sql, one, q, test, counts, setSuite } from '../lib/client.mjs';

setSuite('mail');

const DIR = process.env.MAIL_DIR;
const PORT = process.env.MAIL_PORT;
const PIDFILE = process.env.MAIL_SINK_PID;
const ROOT = process.env.HTTP_ROOT;
const UNIQ = Date.now().toString(36);
const PW = 'a long enough password';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, ms = 15000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = fn();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

// ------------------------------------------------------------ the sink

let sink = null;
async function sinkStart() {
	sink = spawn('python3', [`${ROOT}/tests/mail/sink.py`, DIR, PORT],
	    { stdio: ['ignore', 'pipe', 'inherit'] });
	writeFileSync(PIDFILE, String(sink.pid));
	await new Promise((resolve, reject) => {
		sink.stdout.once('data', resolve);
		sink.once('exit', (code) => reject(new Error(`sink exited ${code}`)));
	});
}
async function sinkStop() {
	if (sink === null) return;
	const p = new Promise((r) => sink.once('exit', r));
	sink.kill('SIGTERM');
	await p;
	sink = null;
	writeFileSync(PIDFILE, '');
}

// Messages the sink received: { file, from, to: [...], headers: {lower
// name: value}, body }.
function received() {
	if (!existsSync(DIR)) return [];
	return readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort().map((f) => {
		const text = readFileSync(`${DIR}/${f}`, 'utf8');
		const env = readFileSync(`${DIR}/${f.replace(/eml$/, 'env')}`, 'utf8')
		    .split('\n').filter((l) => l !== '');
		const cut = text.indexOf('\n\n');
		const head = text.slice(0, cut).replace(/\n[ \t]+/g, ' ');
		const headers = {};
		for (const l of head.split('\n')) {
			const i = l.indexOf(':');
			headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
		}
		return { file: f, from: env[0], to: env.slice(1), headers,
		    body: text.slice(cut + 2) };
	});
}
function mailTo(addr, subject) {
	return received().filter((m) => m.to.includes(addr) &&
	    (subject === undefined || m.headers.subject === subject));
}
function row(addr) {
	return sql(`SELECT id, status, attempts, last_error, sent_at, next_try, ` +
	    `created FROM outbox WHERE recipient = ${q(addr)} ORDER BY id DESC LIMIT 1`)[0];
}

async function register(name, email, association = '') {
	const u = new Client(name);
	const res = await u.submit('/register', { name, email, password: PW,
	    association });
	Object.assign(u, { name, email, password: PW, res });
	// A registration logs no one in (a known address gets the same
	// answer): the person logs in next.
	if (res.status === 303)
		u.login = await u.submit('/login', { email, password: PW });
	return u;
}

function coordinator(assoc) {
	const out = readFileSync(process.env.HTTP_SERVER_OUT, 'utf8');
	const m = out.match(new RegExp(`^coordinator for ${assoc} created: log in ` +
	    `as (\\S+) with password (\\S+) `, 'm'));
	return m ? { email: m[1], password: m[2] } : null;
}

// ------------------------------------------------------------ tests

async function main() {
	await sinkStart();
	const zoe = `zoe-${UNIQ}@example.org`;
	let resetLink;

	await test('register: the welcome mail reaches the SMTP sink, well formed', async (c) => {
		const u = await register('Zoë Ünal', zoe, 'vaimh');
		c.status(u.res, 303, 'register');
		const [m] = await until('the welcome mail', () => {
			const l = mailTo(zoe, 'Welcome to Endorse');
			return l.length ? l : null;
		});
		c.eq(m.from, 'endorse@mail.test', 'envelope MAIL FROM');
		c.eq(m.to, [zoe], 'envelope RCPT TO');
		c.eq(m.headers.from, 'endorse@mail.test', 'From:');
		c.eq(m.headers.to, zoe, 'To:');
		c.eq(m.headers.subject, 'Welcome to Endorse', 'Subject:');
		c.ok(/^Mon, 23 Nov 2026 \d\d:\d\d:\d\d \+0000$/.test(m.headers.date),
		    `Date: ${m.headers.date}`);
		const r = row(zoe);
		c.eq(m.headers['message-id'], `<endorse.${r.id}.${r.created}@mail.test>`,
		    'Message-ID');
		c.eq(m.headers['mime-version'], '1.0', 'MIME-Version');
		c.eq(m.headers['content-type'], 'text/plain; charset=utf-8', 'Content-Type');
		c.eq(m.headers['content-transfer-encoding'], '8bit', 'Content-Transfer-Encoding');
		// The greeting holds no text a stranger typed (issue 15, point 14).
		c.ok(/^Hello,\r?\n/.test(m.body) && !m.body.includes('Zoë'), `the greeting: ${m.body.slice(0, 60)}`);
		c.has(m.body, '/login', 'the login link');
		await until('the row marked sent', () => row(zoe).status === 'sent');
		const s = row(zoe);
		c.eq([s.status, s.attempts, s.last_error], ['sent', 1, null], 'outbox row');
		c.ok(s.sent_at >= s.created, `sent_at ${s.sent_at} >= created ${s.created}`);
	});

	await test('reset: the link read from the sink works', async (c) => {
		const anon = new Client('anon');
		const before = mailTo(zoe, 'Reset your Endorse password').length;
		let r = await anon.submit('/reset', { email: zoe });
		c.status(r, 200, 'ask for a reset link');
		const l = await until('the reset mail', () => {
			const x = mailTo(zoe, 'Reset your Endorse password');
			return x.length > before ? x : null;
		});
		const m = l[l.length - 1].body.match(/https?:\/\/[^/\s]+(\/reset\/[0-9a-f]{64})/);
		if (!c.ok(m, 'a reset link in the mail')) return;
		resetLink = m[1];
		r = await anon.get(resetLink);
		c.status(r, 200, 'GET the link');
		r = await anon.submit(resetLink, { password: 'the new password here' });
		c.redirect(r, '/login?reset=1', 'POST the link');
		const u = new Client('zoe');
		r = await u.submit('/login', { email: zoe, password: 'the new password here' });
		c.redirect(r, '/dashboard', 'log in with the new password');
	});

	const kim = `kim-${UNIQ}@example.org`;
	await test('sink down: the mail waits for a retry, then is delivered when the sink is back', async (c) => {
		await sinkStop();
		const u = await register('Kim Retry', kim, 'vaimh');
		c.status(u.res, 303, 'register');
		const r = await until('status retry', () => {
			const x = row(kim);
			return x && x.status !== 'queued' ? x : null;
		});
		c.eq([r.status, r.attempts], ['retry', 1], 'after the first try');
		c.ok(typeof r.last_error === 'string' && r.last_error.length > 0,
		    `last_error: ${r.last_error}`);
		c.ok(r.next_try > r.created, `next_try ${r.next_try} after created ${r.created}`);
		// The coordinator sees it retrying, and Zoë's welcome as sent.
		const co = coordinator('vaimh');
		if (c.ok(co, 'the vaimh coordinator in the server output')) {
			const cc = new Client('coord');
			c.redirect(await cc.submit('/login', co), '/coordinator', 'coordinator logs in');
			const p = await cc.get('/coordinator/outbox');
			c.status(p, 200, 'outbox page');
			c.has(p.text, 'delivery by e-mail (SMTP)', 'says delivery is on');
			c.ok(new RegExp(`To ${kim.replace(/\./g, '\\.')} · [-0-9]+ · ` +
			    `<span class="mail-status">retrying: \\d attempts? failed \\(`).test(p.text),
			    "Kim's mail shown as retrying with its error");
			c.ok(new RegExp(`To ${zoe.replace(/\./g, '\\.')} · [-0-9]+ · ` +
			    `<span class="mail-status">sent November 23, 2026<`).test(p.text),
			    "Zoë's welcome shown as sent");
		}
		await sinkStart();
		await until('the retried mail at the sink', () => mailTo(kim).length > 0);
		await until('the row marked sent', () => row(kim).status === 'sent');
		const s = row(kim);
		c.ok(s.attempts >= 2, `attempts ${s.attempts} >= 2`);
		c.eq(s.last_error, null, 'last_error cleared');
		c.eq(mailTo(kim).length, 1, 'delivered once');
	});

	const lou = `lou-${UNIQ}@example.org`;
	await test('sink down for good: failed after smtp_max_attempts (4)', async (c) => {
		await sinkStop();
		const u = await register('Lou Failed', lou, 'vaimh');
		c.status(u.res, 303, 'register');
		await until('status failed', () => row(lou).status === 'failed', 30000);
		const r = row(lou);
		c.eq([r.status, r.attempts], ['failed', 4], 'failed row');
		c.ok(r.last_error, 'last_error kept');
		await sinkStart();
		await sleep(2500);
		c.eq(mailTo(lou).length, 0, 'a failed message is not tried again');
		c.eq(row(lou).status, 'failed', 'still failed');
	});

	await test('CR/LF in a recipient is refused: no account, nothing queued', async (c) => {
		const n = one('SELECT count(*) FROM outbox');
		// No space, so only the line break makes it more than one address.
		for (const bad of [`eve-${UNIQ}@example.org\r\nX-Injected:1`,
		    `eve-${UNIQ}@example.org\nBcc:x@example.org`]) {
			const u = await register('Eve Inject', bad);
			c.status(u.res, [400, 500], `register with ${JSON.stringify(bad)}`);
		}
		c.eq(one(`SELECT count(*) FROM account WHERE email LIKE 'eve-${UNIQ}%'`), 0,
		    'no account');
		c.eq(one('SELECT count(*) FROM outbox'), n, 'no mail queued');
		c.eq(one(`SELECT count(*) FROM outbox WHERE recipient LIKE '%' || char(10) || '%' ` +
		    `OR recipient LIKE '%' || char(13) || '%' OR subject LIKE '%' || char(10) || '%'`),
		    0, 'no row with CR/LF anywhere');
	});

	const { workflow } = await import('./workflow.mjs');
	await workflow({ test, until, register, coordinator, mailTo, received, UNIQ });
	const { ers } = await import('./ers.mjs');
	await ers({ test, until, register, coordinator, mailTo, received, UNIQ });

	await sinkStop();
	const { pass, fail } = counts();
	console.log(`# mail: ${pass} passed, ${fail} failed`);
}

main().catch(async (e) => {
	console.log('not ok - mail: test client crashed');
	console.log('#   ' + String(e && e.stack ? e.stack : e).split('\n').join('\n#   '));
	await sinkStop().catch(() => {});
	process.exit(1);
});
