// The renewal suites' clock: each phase of a test restarts `endorse serve`
// on the same database with ENDORSE_NOW at that phase's date, so a whole
// renewal cycle passes in seconds.  lib.mjs (the HTTP suite's client and
// reporter) reads HTTP_BASE and HTTP_DB, set here before it is imported.
// Environment: RENEWAL_BIN, RENEWAL_ROOT, RENEWAL_TMP (a scratch directory).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

export const BIN = process.env.RENEWAL_BIN;
export const ROOT = process.env.RENEWAL_ROOT;
export const TMP = process.env.RENEWAL_TMP;

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const p = s.address().port;
			s.close(() => resolve(p));
		});
	});
}

export class Server {
	constructor(name, rules = path.join(ROOT, 'rules')) {
		this.dir = path.join(TMP, name);
		fs.mkdirSync(this.dir, { recursive: true });
		this.db = path.join(this.dir, 'endorse.db');
		this.rules = rules;
		this.proc = null;
		this.out = '';
		this.problems = [];
		this.coordinators = {};
	}
	async init() {
		this.port = await freePort();
		process.env.HTTP_BASE = `http://127.0.0.1:${this.port}`;
		process.env.HTTP_DB = this.db;
		this.lib = await import('../http/lib.mjs');
		return this;
	}
	// Start at a date; tick (seconds) runs the scheduler, 0 not at all;
	// log: keep the access log.
	async start(now, tick = 0, log = false) {
		if (this.proc) await this.stop();
		this.now = now;
		this.stderr = '';
		let out = '';
		this.proc = spawn(BIN, ['serve', '--db', this.db, '--listen',
		    `127.0.0.1:${this.port}`, '--share', ROOT, '--rules', this.rules,
		    ...(log ? [] : ['--quiet']), '--tick-interval', String(tick)],
		    { env: { ...process.env, ENDORSE_NOW: now },
		    stdio: ['ignore', 'pipe', 'pipe'] });
		this.proc.stdout.on('data', (d) => { out += d; this.out += d; });
		this.proc.stderr.on('data', (d) => { this.stderr += d; });
		this.exited = new Promise((resolve) =>
		    this.proc.on('exit', (code, sig) => resolve({ code, sig })));
		for (let i = 0; i < 300 && !/^endorse: serving/m.test(out); i++)
			await new Promise((r) => setTimeout(r, 50));
		if (!/^endorse: serving/m.test(out))
			throw new Error(`server at ${now} did not start: ${this.stderr}`);
		for (const m of out.matchAll(/^coordinator for (\S+) created: log in as (\S+) with password (\S+) /gm))
			this.coordinators[m[1]] = { email: m[2], password: m[3] };
	}
	// SIGTERM; a non-zero exit or a sanitizer report is a problem.
	async stop() {
		if (!this.proc) return;
		this.proc.kill('SIGTERM');
		const { code, sig } = await this.exited;
		if (code !== 0 || /ERROR: (Address|Leak)Sanitizer|runtime error:/.test(this.stderr))
			this.problems.push(`server at ${this.now}: exit ${code} ${sig || ''}\n` +
			    this.stderr.split('\n').slice(-40).join('\n'));
		this.proc = null;
	}
	// The endorse binary on this database (tick, import, renewal).
	cli(args, now = this.now, input) {
		const r = spawnSync(BIN, args, { encoding: 'utf8', input,
		    env: { ...process.env, ENDORSE_NOW: now } });
		if (/ERROR: (Address|Leak)Sanitizer|runtime error:/.test(r.stderr))
			this.problems.push(`endorse ${args.join(' ')}: ${r.stderr}`);
		return r;
	}
	tick(now) {
		return this.cli(['tick', '--db', this.db, '--rules', this.rules,
		    '--share', ROOT, '--now', now], now);
	}
	importEndorsees(assoc, rows, now = this.now) {
		const f = path.join(this.dir, `import-${Date.now()}.csv`);
		fs.writeFileSync(f, 'number,name,email,category,since,status,city\n' +
		    rows.map((r) => [r.number, r.name, r.email, r.category, r.since,
		    r.status || 'active', r.city || ''].join(',')).join('\n') + '\n');
		return this.cli(['import', 'endorsees', '--db', this.db,
		    '--association', assoc, '--rules', this.rules, f], now);
	}
	// Mail queued to an address (subjects), after a given outbox id.
	mailTo(addr, after = 0) {
		return this.lib.sql(`SELECT id, subject, body FROM outbox WHERE ` +
		    `recipient = ${this.lib.q(addr)} AND id > ${after} ORDER BY id`);
	}
	lastMail() {
		return this.lib.one('SELECT coalesce(max(id), 0) FROM outbox');
	}
}

// Completed ratings of an application, stored as a rater's answer through
// the link would be (a reference counts only through its rating): answered
// 20 days before `at`, valid 20 days after it.
export function completedRatings(srv, app, key, refs, at) {
	const { sql, q } = srv.lib;
	for (const [i, ref] of refs.entries())
		sql(`INSERT INTO rating (application, email, name, relationship, ` +
		    `hash, status, expires, sent, answered, answers) VALUES ` +
		    `(${app}, ${q(ref.email)}, ${q(ref.name)}, ` +
		    `${q(ref.relationship)}, ${q(`${key}-${i}`)}, 'completed', ` +
		    `${at + 86400 * 20}, ${at - 86400 * 30}, ${at - 86400 * 20}, '{}')`);
}

// A person with an account (made through the API) and a session.
export async function person(srv, name, email, pw = 'correct horse battery') {
	const { Client } = srv.lib;
	const u = new Client(name);
	Object.assign(u, { name, email, password: pw });
	const r = await u.post('/api/v1/accounts', { json: { name, email,
	    password: pw } });
	if (r.status !== 201) throw new Error(`account ${email}: ${r.status} ${r.text}`);
	const t = await u.post('/api/v1/tokens', { json: { email, password: pw,
	    label: 'renewal tests' } });
	if (t.status !== 201) throw new Error(`token ${email}: ${t.status} ${t.text}`);
	u.token = t.json().token;
	return u;
}

// Log in again (a restart at a later date has expired the session).
export async function relogin(u) {
	u.jar.clear();
	const r = await u.submit('/login', { email: u.email, password: u.password });
	if (r.status !== 303) throw new Error(`login ${u.email}: ${r.status} ${r.text.slice(0, 300)}`);
	return r;
}
