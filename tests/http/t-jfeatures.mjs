// Issue 16, points 13 and 14: what the applicant and the public were
// missing.  An endorsee imported with `endorse import endorsees --invite`
// gets a welcome with a claim link that works once; /verify takes a typed
// number; the registry is searched with several words.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, one, q, DB, BASE } from '../lib/client.mjs';
import { UNIQ, TMP } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const PW = 'claimed by invitation 7';

const E = {
	dana: { number: `J${UNIQ}-1`, name: `Dana ${UNIQ} Rivera`, email: `dana-${UNIQ}@example.org`,
	    category: 'IFS', since: '2019-04-01', status: 'active', city: 'Richmond' },
	dan: { number: `J${UNIQ}-2`, name: `Dan ${UNIQ} Rivers`, email: `danr-${UNIQ}@example.org`,
	    category: 'IFA', since: '2020-04-01', status: 'active', city: 'Roanoke' },
};

function importInvite(c) {
	const lines = ['number,name,email,category,since,status,city'];
	for (const e of Object.values(E))
		lines.push([e.number, e.name, e.email, e.category, e.since, e.status, e.city].join(','));
	const file = path.join(TMP, 'jfeatures.csv');
	fs.writeFileSync(file, lines.join('\n') + '\n');
	const p = spawnSync(BIN, ['import', 'endorsees', '--db', DB, '--association', 'vaimh',
	    '--rules', path.join(ROOT, 'rules'), '--invite', '--base-url', BASE, file],
	    { encoding: 'utf8' });
	c.eq(p.status, 0, `exit status (stderr: ${p.stderr})`);
	c.eq(p.stdout, 'imported 2 endorsees, each invited by mail\n', 'stdout');
}

export async function run() {
	await test('jfeatures: import --invite mails each endorsee a claim link that works once', async (c) => {
		importInvite(c);
		const e = E.dana;
		const body = one(`SELECT body FROM outbox WHERE recipient = ${q(e.email)} ORDER BY id DESC LIMIT 1`) || '';
		c.has(body, `your endorsement ${e.number} is in it`, 'the welcome names the endorsement');
		const link = (body.match(/\/reset\/[0-9a-f]{64}/) || [])[0];
		c.ok(link, `a claim link in the welcome: ${body}`);
		if (!link) return;
		const u = new Client('invited');
		c.status(await u.get(link), 200, 'the claim link opens');
		let r = await u.submit(link, { password: PW });
		c.redirect(r, '/login?reset=1', 'password chosen');
		r = await u.submit('/login', { email: e.email, password: PW });
		c.redirect(r, '/dashboard', 'logs in with it');
		const v = new Client('invited-again');
		r = await v.get(link);
		c.status(r, 404, 'the claim link works once: a second visit');
		r = await v.submit(link, { password: 'another password 99' });
		c.ok(r.status === 404 || r.status === 403, `a second use refused: ${r.status}`);
		r = await v.submit('/login', { email: e.email, password: 'another password 99' });
		c.status(r, 400, 'the second use set nothing');
	});
}
