// What an attacker can make the server hold (issue 15, points 9, 10, 15),
// run by tests/hostile/run against a server of its own with small limits
// (MEM_* below; the settings in docs/operations.md):
//  - stalled uploads: MEM_CONNS connections each send the headers of a
//    5 MB multipart body and 2 MB of it to /login (and to an upload route
//    with a made-up session), then stall.  The server's VmRSS
//    (/proc/PID/status) stays under MEM_RSS_MAX_MB and grows by at most
//    MEM_GROWTH_MB; /healthz answers during and after; the watchdog closes
//    every stalled connection (and one that trickles a byte every 2 s,
//    under the idle timeout) once request_time has passed.
//  - the huge log: an endorsee's 1 MB titles are refused (400); maximal
//    entries (300 characters in every string) are taken until the account's
//    quota_entries (413, naming the limit); its files until quota_uploads;
//    an account's bytes until quota_bytes; the portfolio export, larger than max_reply, is an error
//    page (500) and the server lives on; RSS as above.
//  - the access log (the server's stderr) holds no /reset/ or /rate/ token.
// Environment: as tests/hostile (HTTP_BASE, HTTP_DB ...) plus SERVER_PID,
// SERVER_ERR (the server's stderr file), MEM_CONNS, MEM_RSS_MAX_MB,
// MEM_GROWTH_MB, MEM_REQUEST_TIME, MEM_QUOTA_ENTRIES, MEM_MAX_REPLY.
import fs from 'node:fs';
import net from 'node:net';
import crypto from 'node:crypto';

import { Client, test, counts, setSuite, sql, one, q } from '../lib/client.mjs';

setSuite('hostile');
const BASE = process.env.HTTP_BASE;
const PORT = Number(new URL(BASE).port);
const PID = Number(process.env.SERVER_PID);
const CONNS = Number(process.env.MEM_CONNS || 250);
const RSS_MAX = Number(process.env.MEM_RSS_MAX_MB || 200);
const GROWTH = Number(process.env.MEM_GROWTH_MB || 150);
const REQUEST_TIME = Number(process.env.MEM_REQUEST_TIME || 10);
const QUOTA_ENTRIES = Number(process.env.MEM_QUOTA_ENTRIES || 60);
const MAX_REPLY = Number(process.env.MEM_MAX_REPLY || 65536);
const UNIQ = crypto.randomBytes(3).toString('hex');
const PW = 'correct horse battery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function rssMB() {
	const s = fs.readFileSync(`/proc/${PID}/status`, 'utf8');
	return Number(s.match(/^VmRSS:\s+(\d+) kB/m)[1]) / 1024;
}

async function healthz(c, what) {
	try {
		const r = await new Client('h').get('/healthz');
		c.status(r, 200, `/healthz ${what}`);
	} catch (e) {
		c.fail(`/healthz ${what}: ${e.message} ${e.cause || ''}`);
	}
}

// A connection that sends head, then body, and keeps the socket open;
// resolves when body is handed to the kernel.  s.closedAt: when the
// server closed it.
function stalled(head, body) {
	return new Promise((resolve) => {
		const s = net.connect(PORT, '127.0.0.1');
		s.on('error', () => {});
		s.on('close', () => { s.closedAt = Date.now(); resolve(s); });
		s.on('data', () => {});
		s.on('connect', () => {
			s.write(head);
			s.write(body, () => resolve(s));
		});
	});
}

function multipartHead(path, total, cookie = '') {
	return `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; ` +
	    `boundary=XyZ\r\nContent-Length: ${total}\r\n${cookie}\r\n`;
}

async function register(label) {
	const u = new Client(label);
	u.email = `${label}-${UNIQ}@example.org`;
	await u.submit('/register', { name: `${label} ${UNIQ}`, email: u.email,
	    password: PW, association: 'vaimh' });
	await u.submit('/login', { email: u.email, password: PW });
	const t = await new Client('t').post('/api/v1/tokens', { json: { email: u.email,
	    password: PW } });
	u.token = t.json()?.token;
	u.id = one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
	sql(`INSERT INTO endorsement (number, account, association, category, since, status, ` +
	    `name, city, hidden, created) VALUES (${q(`MEM-${label}-${UNIQ}`)}, ${u.id}, 'vaimh', ` +
	    `'IFS', '2020-01-01', 'active', ${q(label)}, '', 1, 0)`);
	u.endo = one(`SELECT id FROM endorsement WHERE account = ${u.id}`);
	return u;
}

function logEntry(u, entry) {
	return new Client('api').post('/api/v1/log/training?association=vaimh',
	    { bearer: u.token, json: entry });
}

async function stalledUploads() {
	let socks = [];
	// A logged-in user's uploads are kept as they come (up to the caps).
	const U = new Client('uploader');
	await U.submit('/register', { name: 'Uploader', email: `up-${UNIQ}@example.org`,
	    password: PW });
	await U.submit('/login', { email: `up-${UNIQ}@example.org`, password: PW });
	const app = Number(((await U.submit('/applications', { choice: 'vaimh/IFS' }))
	    .location || '').match(/(\d+)$/)?.[1]);
	const session = `Cookie: endorse_session=${U.cookie('endorse_session')}\r\n`;
	const trickle = net.connect(PORT, '127.0.0.1');
	let trickleClosed = 0, timer;
	await test(`memory: ${CONNS} stalled bodies, 2 MB (or 0.9 MB of JSON) sent each: ` +
	    '5 MB uploads to /login, to an upload route with a made-up session and with a real ' +
	    'one, 1 MB JSON to /api/v1/tokens: ' +
	    `VmRSS under ${RSS_MAX} MB and up at most ${GROWTH} MB; /healthz answers`,
	    async (c) => {
		const base = rssMB();
		trickle.on('error', () => {});
		trickle.on('close', () => { trickleClosed = Date.now(); clearInterval(timer); });
		trickle.write('POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: ' +
		    'application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n');
		timer = setInterval(() => trickle.write('a'), 2000);
		const body = Buffer.alloc(2 * 1024 * 1024, 'A');
		body.write('--XyZ\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\n');
		const started = Date.now();
		const pending = [];
		const json = Buffer.alloc(900000, ' ');
		json.write('{"email": "x@example.org", "password": "');
		for (let i = 0; i < CONNS; i++) {
			if (i % 5 === 0)
				pending.push(stalled('POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\n' +
				    'Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n', json));
			else if (i % 5 === 1)
				pending.push(stalled(multipartHead(`/applications/${app}/import`,
				    5 * 1024 * 1024, session), body));
			else if (i % 5 === 2)
				pending.push(stalled(multipartHead('/renewal/log/1/evidence',
				    5 * 1024 * 1024, `Cookie: endorse_session=${'f'.repeat(64)}\r\n`), body));
			else
				pending.push(stalled(multipartHead('/login', 5 * 1024 * 1024), body));
		}
		socks = await Promise.all(pending);
		await sleep(1500);
		let peak = rssMB();
		await healthz(c, 'during the attack');
		peak = Math.max(peak, rssMB());
		c.ok(peak < RSS_MAX, `VmRSS ${peak.toFixed(0)} MB, want under ${RSS_MAX} MB`);
		c.ok(peak - base <= GROWTH, `VmRSS grew ${(peak - base).toFixed(0)} MB ` +
		    `(from ${base.toFixed(0)}), want at most ${GROWTH}`);
		console.log(`# memory: stalled uploads: VmRSS ${base.toFixed(0)} -> ` +
		    `${peak.toFixed(0)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s to send`);
	});
	await test(`memory: the stalled connections and one trickling a byte every 2 s are ` +
	    `closed once request_time (${REQUEST_TIME} s) has passed`, async (c) => {
		const t0 = Date.now();
		while (Date.now() - t0 < (REQUEST_TIME + 6) * 1000 &&
		    (socks.some((s) => !s.closedAt) || !trickleClosed))
			await sleep(250);
		const open = socks.filter((s) => !s.closedAt).length;
		c.eq(open, 0, `stalled connections still open ${REQUEST_TIME + 6} s on`);
		c.ok(trickleClosed > 0, 'the trickling connection is still open');
		for (const s of socks) s.destroy();
		trickle.destroy();
		clearInterval(timer);
		await healthz(c, 'after the attack');
		// What the stalled bodies held is given back: a body is taken again.
		const r = await new Client('t').post('/api/v1/tokens', { json: {
		    email: `nobody-${UNIQ}@example.org`, password: 'x' } });
		c.status(r, 401, 'a JSON body after the attack');
	});
}

async function hugeLog() {
	const E = await register('endorsee');
	const base = rssMB();
	await test('memory: 70 log entries with a 1 MB title are refused (400), nothing ' +
	    'stored; the export and /healthz answer', async (c) => {
		const title = 'T'.repeat(1000000);
		const got = {};
		for (let i = 0; i < 70; i++) {
			const r = await logEntry(E, { title, date: '2025-06-01', hours: 1,
			    role: 'attended' });
			got[r.status] = (got[r.status] || 0) + 1;
		}
		c.eq(got, { 400: 70 }, 'statuses');
		c.eq(one(`SELECT count(*) FROM log_entry WHERE account = ${E.id}`), 0, 'entries stored');
		try {
			const r = await E.get(`/endorsements/${E.endo}/portfolio.json`);
			c.status(r, 200, 'the export');
		} catch (e) {
			c.fail(`the export: ${e.message} ${e.cause || ''}`);
		}
		await healthz(c, 'after it');
	});
	await test(`memory: maximal log entries until quota_entries (${QUOTA_ENTRIES}): then 413 ` +
	    'naming the limit', async (c) => {
		const max = { title: 'T'.repeat(300), date: '2025-06-01', hours: 1, role: 'attended',
		    topics: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(300, 't')) };
		let n = 0, last;
		for (let i = 0; i < QUOTA_ENTRIES + 5; i++) {
			last = await logEntry(E, max);
			if (last.status !== 201) break;
			n++;
		}
		c.eq(n, QUOTA_ENTRIES, 'entries taken');
		c.status(last, 413, 'the one past the quota');
		c.has(last.text, 'quota_entries', 'the answer names the limit');
	});
	await test(`memory: the portfolio export larger than max_reply (${MAX_REPLY} bytes) is an ` +
	    'error page (500), again, and the server lives on', async (c) => {
		for (let i = 0; i < 2; i++) {
			const r = await E.get(`/endorsements/${E.endo}/portfolio.json`);
			c.status(r, 500, `web export ${i + 1}`);
			c.has(r.text, 'larger than', 'says why');
			const a = await new Client('api').get(`/api/v1/endorsements/${E.endo}/portfolio`,
			    { bearer: E.token });
			c.status(a, 500, `API export ${i + 1}`);
			c.has(a.json()?.error || '', 'larger than', 'API says why');
		}
		await healthz(c, 'after the exports');
		const peak = rssMB();
		c.ok(peak < RSS_MAX, `VmRSS ${peak.toFixed(0)} MB, want under ${RSS_MAX} MB`);
		c.ok(peak - base <= GROWTH, `VmRSS grew ${(peak - base).toFixed(0)} MB`);
		console.log(`# memory: huge log: VmRSS ${base.toFixed(0)} -> ${peak.toFixed(0)} MB`);
	});
	await test('memory: a file past quota_uploads (2) is refused with 413 naming the limit, ' +
	    'not stored', async (c) => {
		// An endorsee of its own with three small entries: E's renewal
		// page, shown again with the refusal by the file's field, is
		// past this server's small max_reply.
		const F = await register('uploads');
		for (let i = 0; i < 3; i++)
			await logEntry(F, { title: `Upload ${i}`, date: '2026-06-01', hours: 1, role: 'attended' });
		const ids = sql(`SELECT id FROM log_entry WHERE account = ${F.id} ORDER BY id LIMIT 3`)
		    .map((r) => r.id);
		c.eq(ids.length, 3, 'three entries');
		const png = Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1');
		const got = [];
		let last;
		for (const id of ids) {
			last = await F.submitMultipart(`/renewal/log/${id}/evidence`, (fd) =>
			    fd.append('file', new Blob([png], { type: 'image/png' }), 'e.png'));
			got.push(last.status);
		}
		c.eq(got, [303, 303, 413], 'statuses');
		c.has(last.text, 'quota_uploads', 'the answer names the limit');
		c.eq(one(`SELECT count(*) FROM evidence v JOIN log_entry l ON l.id = v.entry ` +
		    `WHERE l.account = ${F.id}`), 2, 'files stored');
	});
	await test('memory: an account past quota_bytes is refused with 413 naming the limit', async (c) => {
		const B = await register('bytes');
		const big = { title: 'B', date: '2025-06-01', hours: 1, role: 'attended',
		    topics: Array.from({ length: 2000 }, (_, i) => `${i}`.padEnd(300, 'b')) };
		let last;
		for (let i = 0; i < 40; i++) {
			last = await logEntry(B, big);
			if (last.status !== 201) break;
		}
		c.status(last, 413, 'past the bytes');
		c.has(last.text, 'quota_bytes', 'the answer names the limit');
	});
}

async function accessLog() {
	await test('memory: the access log holds no /reset/ or /rate/ token, only the route', async (c) => {
		const u = new Client('reset');
		const mail = `reset-${UNIQ}@example.org`;
		await u.submit('/register', { name: 'Reset', email: mail, password: PW });
		await new Client('r').submit('/reset', { email: mail });
		const body = one(`SELECT body FROM outbox WHERE recipient = ${q(mail)} ` +
		    "AND body LIKE '%/reset/%' ORDER BY id DESC LIMIT 1") || '';
		const real = (body.match(/\/reset\/([A-Za-z0-9_-]{16,})/) || [])[1];
		c.ok(real, 'a reset mail with its link');
		const fake = crypto.randomBytes(32).toString('hex');
		const toks = [real, fake].filter(Boolean);
		for (const t of toks) {
			await new Client('x').get(`/reset/${t}`);
			await new Client('x').get(`/rate/${t}`);
			await new Client('x').post(`/rate/${t}`, { form: { csrf: 'x' } });
		}
		await sleep(300);
		const log = fs.readFileSync(process.env.SERVER_ERR, 'utf8');
		for (const t of toks)
			c.lacks(log, t, 'a token in the server log');
		c.ok(/event=access.*path="?\/reset\/\*/.test(log), 'the access log shows /reset/*');
		c.ok(/event=access.*path="?\/rate\/\*/.test(log), 'the access log shows /rate/*');
	});
}

async function main() {
	await test('memory: /proc/PID/status of the server is readable', (c) => {
		c.ok(rssMB() > 0, 'VmRSS');
	});
	await stalledUploads();
	await hugeLog();
	await accessLog();
	const { pass, fail } = counts();
	console.log(`# hostile memory: ${pass} passed, ${fail} failed`);
}

main().catch((e) => {
	console.log('not ok - hostile: memory test client crashed');
	console.log('#   ' + String(e && e.stack ? e.stack : e).split('\n').join('\n#   '));
	process.exit(1);
});
