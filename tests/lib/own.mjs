// A test part's own `endorse serve`, beside the suite's server: its own
// database, rule set or config (the stored pages, the throttling and mail
// limits, a rule set that requires verified codes).  No scheduler
// (--tick-interval 0): a tick would queue mail and change states at a
// moment of its own.  The port is below the kernel's ephemeral range
// (tests/lib/port.mjs); another is tried if a suite beside took it.
//   const srv = await ownServer({ name, bin, root, db, rules, config, env });
//   ... new Client('x', srv.base) ...
//   const code = await srv.stop();     // its exit status
// srv.err is its stderr (for the sanitizer check), srv.out its stdout.
import { spawn } from 'node:child_process';

import { freePort } from './port.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function spawnOn(port, o) {
	const srv = { port, base: `http://127.0.0.1:${port}`, db: o.db, out: '', err: '' };
	srv.proc = spawn(o.bin, ['serve', ...(o.config ? ['--config', o.config] : []),
	    '--db', o.db, '--listen', `127.0.0.1:${port}`, '--share', o.root,
	    '--rules', o.rules, '--quiet', '--tick-interval', '0'],
	    { env: o.env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
	srv.proc.stdout.on('data', (d) => { srv.out += d; });
	srv.proc.stderr.on('data', (d) => { srv.err += d; });
	srv.exited = new Promise((resolve) => srv.proc.on('exit', (code) => resolve(code)));
	srv.stop = () => { srv.proc.kill('SIGTERM'); return srv.exited; };
	return srv;
}

export async function ownServer(o) {
	for (let attempt = 1; ; attempt++) {
		const srv = spawnOn(await freePort(), o);
		for (let i = 0; i < 300 && !/^endorse: serving/m.test(srv.out) &&
		    srv.proc.exitCode === null; i++)
			await sleep(50);
		if (/^endorse: serving/m.test(srv.out))
			return srv;
		if (srv.proc.exitCode === null)
			srv.proc.kill('SIGKILL');
		await srv.exited;
		if (attempt < 3 && /cannot listen/.test(srv.err))
			continue;
		throw new Error(`${o.name}: the server did not start: ${srv.err}`);
	}
}
