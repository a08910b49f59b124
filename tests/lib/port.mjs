// A free loopback port for a test server, below the kernel's ephemeral
// range: `make check` runs suites side by side, and a port the kernel
// hands out (listen on port 0, or the local end of any client connection)
// could be taken by another suite between the check and the server's
// bind, or while a harness restarts its server on the same port.  A
// random port below the range is free unless a suite chose the same one;
// the starters retry on "cannot listen".  Node 20, no npm packages.
//   import { freePort } from '../lib/port.mjs';   await freePort()
//   node tests/lib/port.mjs                       prints one
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const LOW = 10000;

function ephemeralLow() {
	try {
		const [lo] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range',
		    'utf8').trim().split(/\s+/).map(Number);
		return Number.isInteger(lo) ? lo : 32768;
	} catch {
		return 32768;
	}
}

function tryListen(port) {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.once('error', () => resolve(null));
		s.listen(port, '127.0.0.1', () => {
			const p = s.address().port;
			s.close(() => resolve(p));
		});
	});
}

export async function freePort() {
	const hi = ephemeralLow() - 1;
	if (hi - LOW >= 1000) {
		for (let i = 0; i < 50; i++) {
			const p = await tryListen(LOW + Math.floor(Math.random() * (hi - LOW + 1)));
			if (p !== null) return p;
		}
	}
	return tryListen(0);	// no room below the range: any port
}

if (process.argv[1] === fileURLToPath(import.meta.url))
	console.log(await freePort());
