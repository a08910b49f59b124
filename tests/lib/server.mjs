// A suite's own `endorse serve`, started and stopped from Node: each phase
// of a renewal test restarts it on the same database with ENDORSE_NOW at
// that phase's date, so a whole renewal cycle passes in seconds; the crash
// test kills it and starts it again.  srv.lib is tests/lib/client.mjs (the
// client and the reporter), pointed at this server.  A restart keeps the
// port; if another suite took it meanwhile (make check runs suites side by
// side), the server moves to a new one and the client follows.
// Environment: RENEWAL_BIN, RENEWAL_ROOT, RENEWAL_TMP (a scratch directory).
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

import * as client from './client.mjs';
import { freePort } from './port.mjs';

export const BIN = process.env.RENEWAL_BIN;
export const ROOT = process.env.RENEWAL_ROOT;
export const TMP = process.env.RENEWAL_TMP;

export const SANITIZER = /ERROR: (Address|Leak)Sanitizer|runtime error:/;

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
		this.usePort(await freePort());
		this.lib = client;
		return this;
	}
	usePort(port) {
		this.port = port;
		process.env.HTTP_BASE = `http://127.0.0.1:${port}`;
		process.env.HTTP_DB = this.db;
		client.useServer(process.env.HTTP_BASE, this.db);
	}
	// Start at a date; tick (seconds) runs the scheduler, 0 not at all;
	// log: keep the access log.
	async start(now, tick = 0, log = false) {
		if (this.proc) await this.stop();
		this.now = now;
		for (let attempt = 1; ; attempt++) {
			const out = await this.spawn(now, tick, log);
			if (/^endorse: serving/m.test(out)) {
				for (const m of out.matchAll(/^coordinator for (\S+) created: log in as (\S+) with password (\S+) /gm))
					this.coordinators[m[1]] = { email: m[2], password: m[3] };
				return;
			}
			// Its port taken: a new one (the server exits at once).
			if (attempt < 3 && this.proc.exitCode !== null &&
			    /cannot listen/.test(this.stderr)) {
				this.proc = null;
				this.usePort(await freePort());
				continue;
			}
			throw new Error(`server at ${now} did not start: ${this.stderr}`);
		}
	}
	// Start the process; its stdout once it says "endorse: serving", or
	// once it has exited (its output read to the end), or after 15 s.
	async spawn(now, tick, log) {
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
		const closed = new Promise((resolve) => this.proc.on('close', resolve));
		let gone = false;
		closed.then(() => { gone = true; });
		for (let i = 0; i < 300 && !gone && !/^endorse: serving/m.test(out); i++)
			await new Promise((r) => setTimeout(r, 50));
		return out;
	}
	// SIGTERM; a non-zero exit or a sanitizer report is a problem.
	async stop() {
		if (!this.proc) return;
		this.proc.kill('SIGTERM');
		const { code, sig } = await this.exited;
		if (code !== 0 || SANITIZER.test(this.stderr))
			this.problems.push(`server at ${this.now}: exit ${code} ${sig || ''}\n` +
			    this.stderr.split('\n').slice(-40).join('\n'));
		this.proc = null;
	}
	// The endorse binary on this database (tick, import, renewal).
	cli(args, now = this.now, input) {
		const r = spawnSync(BIN, args, { encoding: 'utf8', input,
		    env: { ...process.env, ENDORSE_NOW: now } });
		if (SANITIZER.test(r.stderr))
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
