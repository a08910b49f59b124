// The operator's tools: `endorse backup` while the server takes writes,
// `endorse restore` of that backup (refused while the server runs), and
// `endorse doctor`.  Uses the renewal suites' server harness.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';

import { Server, TMP, ROOT } from '../lib/server.mjs';
import { person, relogin } from '../lib/fixtures.mjs';

const srv = await new Server('ops').init();
const { test, sql, one, counts, setSuite } = srv.lib;
setSuite('ops');

function dump(db) {
	return execFileSync('sqlite3', [db, '.dump'], { encoding: 'utf8',
	    maxBuffer: 64 * 1024 * 1024 });
}

await srv.start('2026-11-23');
const writers = [];
await test('applicants with applications', async (c) => {
	for (let i = 0; i < 6; i++) {
		const u = await person(srv, `Writer ${i}`, `writer${i}@ops.example`);
		const r = await u.post('/api/v1/applications', { bearer: u.token,
		    json: { association: 'vaimh', category: 'IFS' } });
		c.status(r, 201, 'an application');
		u.app = r.json()?.id;
		await relogin(u);
		writers.push(u);
	}
});

// Each writer adds training entries as fast as it can; an acknowledged
// write is a 303 (the entry is committed before the answer).
const acked = [];
let stop = false, sent = 0;
async function load(u) {
	for (let k = 0; !stop; k++) {
		const title = `w${u.app}-${k}`;
		const r = await u.submit(`/applications/${u.app}/tab/training`,
		    { title, date: '2026-01-01', hours: '1', role: 'attended' });
		sent++;
		if (r.status === 303) acked.push({ title, at: Date.now() });
	}
}
const backups = [];
await test('backups taken while the server takes writes', async (c) => {
	const running = writers.map(load);
	for (let b = 0; b < 3; b++) {
		await new Promise((r) => setTimeout(r, 400));
		const file = path.join(srv.dir, `backup-${b}.db`);
		const before = acked.length;
		const t = Date.now();
		const r = srv.cli(['backup', '--db', srv.db, file]);
		c.eq(r.status, 0, `backup ${b}: ${r.stderr}`);
		c.has(r.stdout, `written to ${file}`, 'says where');
		backups.push({ file, before: acked.slice(0, before), t });
	}
	stop = true;
	await Promise.all(running);
	c.ok(acked.length > 50, `writes acknowledged: ${acked.length} of ${sent}`);
	for (const b of backups) {
		c.eq(execFileSync('sqlite3', [b.file, 'PRAGMA integrity_check'],
		    { encoding: 'utf8' }).trim(), 'ok', `${b.file}: integrity`);
		const titles = new Set(execFileSync('sqlite3', [b.file,
		    "SELECT json_extract(data, '$.title') FROM entry"], { encoding: 'utf8' })
		    .split('\n'));
		const missing = b.before.filter((x) => !titles.has(x.title));
		c.eq(missing.length, 0, `every write acknowledged before the backup is in it (${b.before.length})`);
		c.ok(!fs.existsSync(b.file + '-wal'), 'one self-contained file');
	}
	const n = backups.map((b) => Number(execFileSync('sqlite3', [b.file,
	    'SELECT count(*) FROM entry'], { encoding: 'utf8' })));
	c.ok(n[0] <= n[1] && n[1] <= n[2] && n[2] <= one('SELECT count(*) FROM entry'),
	    `the backups grow with the database: ${n}`);
});

// Another process holding the write lock (here sqlite3, as an operator's
// shell might): a save waits for it (src/db.c busy_wait: a try every
// 100 us), and after 5 s gives up with 503, storing nothing; reads go on
// meanwhile (WAL).
async function locker() {
	const p = spawn('sqlite3', [srv.db], { stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	p.stdout.on('data', (d) => { out += d; });
	p.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
	for (let i = 0; i < 100 && !out.includes('locked'); i++)
		await new Promise((r) => setTimeout(r, 50));
	return { ok: out.includes('locked'), release() {
		p.stdin.end('COMMIT;\n');
		return new Promise((r) => p.on('close', r));
	} };
}
await test('a save waits for another process\'s lock, and gives up after 5 s with 503', async (c) => {
	const u = writers[0];
	const save = (title) => u.submit(`/applications/${u.app}/tab/training`,
	    { title, date: '2026-01-01', hours: '1', role: 'attended' });
	const stored = (title) => one(`SELECT count(*) FROM entry WHERE data LIKE ${srv.lib.q(`%"${title}"%`)}`);
	let l = await locker();
	c.ok(l.ok, 'sqlite3 holds the write lock');
	let t = Date.now();
	const waiting = save('after-the-lock');
	await new Promise((r) => setTimeout(r, 700));
	await l.release();
	let r = await waiting;
	c.redirect(r, `/applications/${u.app}/tab/training#entries`, 'stored once the lock is free');
	c.ok(Date.now() - t >= 650, `it waited for the lock (${Date.now() - t} ms)`);
	c.eq(stored('after-the-lock'), 1, 'the entry is there');
	l = await locker();
	t = Date.now();
	const refused = save('while-locked');
	r = await u.get('/dashboard');
	c.status(r, 200, 'a page reads meanwhile');
	r = await refused;
	const ms = Date.now() - t;
	await l.release();
	c.status(r, 503, 'a save held off for 5 s');
	c.has(r.text, 'the database is busy; try again', 'says so');
	c.ok(ms >= 4900 && ms < 8000, `after about 5 s (${ms} ms)`);
	c.eq(stored('while-locked'), 0, 'nothing stored');
	c.redirect(await save('unlocked-again'), `/applications/${u.app}/tab/training#entries`, 'then saves again');
});

await test('restore is refused while the server runs', async (c) => {
	const before = dump(srv.db);
	const r = srv.cli(['restore', '--db', srv.db, '--share', ROOT, backups[0].file]);
	c.eq(r.status, 2, 'refused');
	c.has(r.stderr, 'is in use: stop endorse serve first', r.stderr);
	c.eq(dump(srv.db), before, 'the database is untouched');
});
await srv.stop();

await test('a backup taken under load restores to exactly its content', async (c) => {
	const b = backups[1];
	const want = dump(b.file);
	const r = srv.cli(['restore', '--db', srv.db, '--share', ROOT, b.file]);
	c.eq(r.status, 0, `restore: ${r.stderr}`);
	c.has(r.stdout, 'the replaced database is kept as', 'the old file is kept');
	const kept = r.stdout.match(/kept as (\S+)/)?.[1];
	c.ok(kept && fs.existsSync(kept), 'and exists');
	c.eq(dump(srv.db).replace(/PRAGMA.*\n/g, ''), want.replace(/PRAGMA.*\n/g, ''),
	    'the restored database equals the backup, row for row');
	const bad = path.join(srv.dir, 'not-a-db.db');
	fs.writeFileSync(bad, 'this is not a database');
	const rb = srv.cli(['restore', '--db', srv.db, '--share', ROOT, bad]);
	c.eq(rb.status, 2, 'a file that is no database is refused');
	c.eq(dump(srv.db).replace(/PRAGMA.*\n/g, ''), want.replace(/PRAGMA.*\n/g, ''),
	    'and changes nothing');
});

await srv.start('2026-11-24');
await test('the server runs on the restored database', async (c) => {
	const u = writers[0];
	await relogin(u);
	const r = await u.get(`/applications/${u.app}/tab/training`);
	c.status(r, 200, 'the tab');
	c.eq(one('SELECT count(*) FROM entry'), Number(execFileSync('sqlite3',
	    [backups[1].file, 'SELECT count(*) FROM entry'], { encoding: 'utf8' })),
	    'the entries of the backup, no more');
	const last = backups[1].before[backups[1].before.length - 1];
	if (last)
		c.eq(one(`SELECT count(*) FROM entry WHERE json_extract(data, '$.title') = '${last.title}'`),
		    1, `the last write acknowledged before the backup (${last.title})`);
});
await srv.stop();

await srv.start('2026-11-25', 0, true);
await test('the log: one structured line per request, whatever the path holds', async (c) => {
	const { Client } = srv.lib;
	await new Client('x').get('/no%0Asuch%22page%20at=all');
	await new Client('x').get('/healthz');
	await new Promise((r) => setTimeout(r, 200));
	const lines = srv.stderr.split('\n').filter((l) => l !== '');
	c.ok(lines.length >= 2 && lines.every((l) => /^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ level=\w+ event=\w/.test(l)),
	    `every line is ts=... level=... event=...: ${lines.join(' | ')}`);
	c.ok(lines.some((l) => l.includes('event=access') && l.includes('path="/no\\nsuch\\"page at=all"') &&
	    l.includes('status=404')), `the odd path quoted and escaped: ${lines.join(' | ')}`);
	c.ok(!lines.some((l) => l.startsWith('such')), 'the newline did not start a line of its own');
	c.ok(lines.some((l) => /event=access .*path=\/healthz status=200/.test(l)), 'a plain one');
});
await srv.stop();

await test('doctor names what is wrong', async (c) => {
	let r = srv.cli(['doctor', '--db', srv.db, '--share', ROOT, '--rules', path.join(ROOT, 'rules'),
	    '--base-url', 'https://endorse.example.org']);
	c.has(r.stdout, 'integrity_check ok', r.stdout);
	const latest = Math.max(...fs.readdirSync(path.join(ROOT, 'db'))
	    .filter((f) => /^\d+-.*\.sql$/.test(f)).map((f) => parseInt(f, 10)));
	c.has(r.stdout, `schema ${latest}, the latest`, 'the schema');
	c.has(r.stdout, 'rules vaimh: 14 categories', 'the rule sets');
	c.has(r.stdout, 'PROBLEM  smtp_host is not set', 'no mail delivery');
	c.has(r.stdout, 'PROBLEM  secure_cookies is 0 behind https', 'cookies behind https');
	c.eq(r.status, 1, 'problems: exit 1');
	const cfgf = path.join(srv.dir, 'ok.conf');
	fs.writeFileSync(cfgf, `db = ${srv.db}\nbase_url = https://endorse.example.org\n` +
	    'secure_cookies = 1\nsmtp_host = 127.0.0.1\nsmtp_port = 9\n');
	r = srv.cli(['doctor', '--config', cfgf, '--share', ROOT]);
	c.has(r.stdout, 'smtp_host 127.0.0.1:9: cannot connect', 'an SMTP server that does not answer');
	const brk = path.join(srv.dir, 'rules');
	fs.mkdirSync(brk, { recursive: true });
	fs.writeFileSync(path.join(brk, 'x.rules'), 'association x\ncategory\n');
	r = srv.cli(['doctor', '--db', srv.db, '--share', ROOT, '--rules', brk]);
	c.eq(r.status, 1, 'a broken rule file');
	c.has(r.stderr, 'x.rules:2:', 'named with its line');
	r = srv.cli(['doctor', '--db', path.join(srv.dir, 'none.db'), '--share', ROOT]);
	c.has(r.stdout, 'PROBLEM  database', 'a missing database');
});

// One GET on a connection of its own: the status, or 'refused' when the
// server closes the connection without an answer.
function rawGet(port, p) {
	return new Promise((resolve) => {
		const rq = http.get({ host: '127.0.0.1', port, path: p, agent: false },
		    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
		rq.on('error', () => resolve('refused'));
		rq.setTimeout(5000, () => { rq.destroy(); resolve('timeout'); });
	});
}

// A worker thread that cannot open the database (here the file moved away
// while the server runs; in production, no descriptor left) refuses the
// connection; it used to end the process on the request's first statement
// (src/db.c db_conn's abort; now http-guard.c guard_accept).
await test('a worker that cannot open the database refuses the client, the server lives', async (c) => {
	await srv.stop();
	await srv.start('2026-11-23');
	const away = srv.db + '.away';
	fs.renameSync(srv.db, away);
	const during = [];
	for (let i = 0; i < 12; i++) during.push(await rawGet(srv.port, '/registry?q=a'));
	fs.renameSync(away, srv.db);
	c.ok(during.includes('refused'), `connections refused while the file was away: ${during}`);
	c.eq(srv.proc.exitCode, null, 'the server is still running');
	c.has(srv.stderr, 'connection refused:', 'the refusal is logged with its cause');
	const after = [];
	for (let i = 0; i < 12; i++) after.push(await rawGet(srv.port, '/registry?q=a'));
	c.eq(after.filter((s) => s === 200).length, 12, `every connection served once the file is back: ${after}`);
	await srv.stop();
});

await test('the servers stopped cleanly, no sanitizer report', (c) => {
	c.eq(srv.problems, [], 'server problems');
});
const { pass, fail } = counts();
fs.writeFileSync(path.join(TMP, 'ops.counts'), `${pass} ${fail}\n`);
