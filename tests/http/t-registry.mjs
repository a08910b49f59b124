// The public registry: endorsees imported with `endorse import endorsees`
// (the binary under test, on the server's database) are found by name,
// category and city, verify by number (page and API), a hidden one is left
// out of searches, and an imported endorsee claims the account through the
// password reset link.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, sql, one, q, DB } from '../lib/client.mjs';
import { UNIQ, TMP } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;

const num = (n) => `T${UNIQ}-${n}`;
const R = {
	quillon: { number: num(1), name: `Quillon ${UNIQ} Marsh`, email: `quillon-${UNIQ}@example.org`,
	    category: 'IFS', since: '2019-04-01', status: 'active', city: `Harrisonburg${UNIQ}` },
	bold: { number: num(2), name: `<b>x</b> ${UNIQ}`, email: `bold-${UNIQ}@example.org`,
	    category: 'ECMHM-RF', since: '2020-01-02', status: 'lapsed', city: 'Norfolk, VA' },
	hidden: { number: num(3), name: `Hidden ${UNIQ} Person`, email: `hidden-${UNIQ}@example.org`,
	    category: 'IFA', since: '2021-06-30', status: 'active', city: `Hiddenville${UNIQ}` },
	claim: { number: num(4), name: `Claire ${UNIQ} Mont`, email: `claim-${UNIQ}@example.org`,
	    category: 'IMHS', since: '2018-09-15', status: 'inactive', city: 'Staunton' },
};
const PW = 'claimed password 42';

function csvField(s) {
	return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function apiObject(e) {
	return { number: e.number, name: e.name, category: e.category, association: 'vaimh',
	    status: e.status, city: e.city };
}

function numbers(json) {
	return (json?.results || []).map((x) => x.number);
}

export async function run() {
	await test('registry: `endorse import endorsees` loads four endorsees into the running server\'s database', (c) => {
		const lines = ['number,name,email,category,since,status,city'];
		for (const e of Object.values(R))
			lines.push([e.number, e.name, e.email, e.category, e.since, e.status, e.city]
			    .map(csvField).join(','));
		const file = path.join(TMP, 'registry.csv');
		fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
		const p = spawnSync(BIN, ['import', 'endorsees', '--db', DB, '--association', 'vaimh',
		    '--rules', path.join(ROOT, 'rules'), file], { encoding: 'utf8' });
		c.eq(p.status, 0, `exit status (stderr: ${p.stderr})`);
		c.eq(p.stdout, 'imported 4 endorsees\n', 'stdout');
		c.eq(p.stderr, '', 'stderr');
		c.eq(one(`SELECT count(*) FROM endorsement WHERE number LIKE ${q(`T${UNIQ}-%`)}`), 4, 'rows');
		// No UI hides a category yet: the store does.
		sql(`UPDATE endorsement SET hidden = 1 WHERE number = ${q(R.hidden.number)}`);
	});

	const anon = new Client('public');

	await test('registry page: a search form that works without a login', async (c) => {
		const r = await anon.get('/registry');
		c.status(r, 200, 'GET /registry');
		c.has(r.text, '<form method="get" action="/registry"', 'a GET form');
		c.has(r.text, 'name="q"', 'the search field');
		c.lacks(r.text, '<table>', 'no results before a search');
	});

	await test('registry page: found by name (any case), category and city', async (c) => {
		let r = await anon.get('/registry?q=' + encodeURIComponent(`quillon ${UNIQ.toUpperCase()}`));
		c.status(r, 200, 'search by name');
		c.has(r.text, `<a href="/verify/${R.quillon.number}">${R.quillon.number}</a>`, 'the number links to its page');
		c.has(r.text, R.quillon.name, 'the name');
		c.has(r.text, 'title="Infant Family Specialist">IFS</abbr>', 'the category with its title');
		c.has(r.text, 'Virginia Association for Infant Mental Health', 'the association by name');
		c.has(r.text, `1 endorsement for “quillon ${UNIQ.toUpperCase()}”`, 'one result, the search repeated');
		r = await anon.get('/registry?q=' + encodeURIComponent(R.quillon.city.toLowerCase()));
		c.has(r.text, R.quillon.number, 'search by city');
		r = await anon.get('/registry?q=ECMHM-RF');
		c.has(r.text, R.bold.number, 'search by category code');
		c.has(r.text, '<td>Lapsed</td>', 'its status in words');
		c.has(r.text, 'title="Early Childhood Mental Health Mentor - Research/Faculty">ECMHM-RF</abbr>',
		    'its category with its title');
		c.lacks(r.text, R.quillon.number, 'another category not listed');
		r = await anon.get('/registry?q=' + encodeURIComponent(`nobody-${UNIQ}`));
		c.status(r, 200, 'search without a match');
		c.has(r.text, `No endorsee matches “nobody-${UNIQ}”`, 'says so');
	});

	await test('registry: a hidden endorsement is not in searches but verifies by number', async (c) => {
		let r = await anon.get('/registry?q=' + encodeURIComponent(R.hidden.name));
		c.lacks(r.text, R.hidden.number, 'not found by name');
		r = await anon.get('/registry?q=' + encodeURIComponent(R.hidden.city));
		c.lacks(r.text, R.hidden.number, 'not found by city');
		r = await anon.get('/registry?q=' + UNIQ);
		c.has(r.text, R.quillon.number, 'the visible ones are found by what they share');
		c.lacks(r.text, R.hidden.number, 'the hidden one is not');
		r = await anon.get('/api/v1/registry?q=' + UNIQ);
		c.ok(!numbers(r.json()).includes(R.hidden.number), `API search: ${r.text.slice(0, 300)}`);
		c.eq(numbers(r.json()).sort(), [R.quillon.number, R.bold.number, R.claim.number].sort(),
		    'API search by the shared text');
		r = await anon.get(`/verify/${R.hidden.number}`);
		c.status(r, 200, 'verification page');
		c.has(r.text, R.hidden.name, 'its name');
		r = await anon.get(`/api/v1/verify/${R.hidden.number}`);
		c.status(r, 200, 'API verification');
	});

	await test('registry: names are escaped, and %, _ and \\ in a search are letters', async (c) => {
		let r = await anon.get('/registry?q=' + encodeURIComponent(R.bold.name));
		c.has(r.text, `&lt;b&gt;x&lt;/b&gt; ${UNIQ}`, 'the name as text');
		c.lacks(r.text, '<b>x</b>', 'no markup from the name');
		c.has(r.text, R.bold.number, 'found');
		r = await anon.get(`/verify/${R.bold.number}`);
		c.has(r.text, `&lt;b&gt;x&lt;/b&gt; ${UNIQ}`, 'verification page: the name as text');
		c.lacks(r.text, '<b>x</b>', 'verification page: no markup');
		for (const s of ['%', '_', '\\', `Quillon%Marsh`, `Quillon_${UNIQ}`, `quillon ${UNIQ}\\`]) {
			r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(s));
			c.eq(r.status, 200, `search ${s}`);
			c.ok(!numbers(r.json()).some((n) => n.startsWith(`T${UNIQ}-`)),
			    `${s} matched as a wildcard: ${r.text.slice(0, 200)}`);
		}
		r = await anon.get('/registry?q=' + encodeURIComponent('%'));
		c.has(r.text, 'No endorsee matches', '% on the page');
		r = await anon.get('/registry?q=' + 'x'.repeat(201));
		c.status(r, 400, 'a search of 201 bytes');
		r = await anon.get('/api/v1/registry?q=' + 'x'.repeat(201));
		c.status(r, 400, 'API: a search of 201 bytes');
		r = await anon.get('/registry?q=%FF%FE');
		c.status(r, 400, 'a search that is not UTF-8');
	});

	await test('verify page: number, name, category and title, association, since, status, disclaimer', async (c) => {
		let r = await anon.get(`/verify/${R.quillon.number}`);
		c.status(r, 200, 'known number');
		for (const s of [R.quillon.number, R.quillon.name, 'Infant Family Specialist (IFS)',
		    'Virginia Association for Infant Mental Health', 'April 1, 2019', '>Active</strong>',
		    'Endorsement is not a license.'])
			c.has(r.text, s, s);
		r = await anon.get(`/verify/${R.bold.number}`);
		c.has(r.text, '>Lapsed</strong>', 'lapsed in words');
		c.has(r.text, 'Early Childhood Mental Health Mentor - Research/Faculty (ECMHM-RF)', 'its category title');
		r = await anon.get(`/verify/${R.claim.number}`);
		c.has(r.text, '>Inactive</strong>', 'inactive in words');
		r = await anon.get(`/verify/T${UNIQ}-404`);
		c.status(r, 404, 'unknown number');
		c.has(r.text, 'no endorsement has this number', 'says so');
		c.lacks(r.text, 'Endorsement is not a license', 'no verification shown');
	});

	await test('API: registry search and verification as JSON', async (c) => {
		let r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(R.quillon.name.toLowerCase()));
		c.status(r, 200, 'search');
		c.ok(r.ctype.startsWith('application/json'), `content type ${r.ctype}`);
		c.eq(r.json(), { results: [apiObject(R.quillon)] }, 'the one result');
		r = await anon.get('/api/v1/registry?q=' + encodeURIComponent('norfolk, va'));
		c.ok(numbers(r.json()).includes(R.bold.number), `by city: ${r.text.slice(0, 200)}`);
		r = await anon.get('/api/v1/registry');
		c.eq(r.json(), { results: [] }, 'no q: no results');
		r = await anon.get(`/api/v1/verify/${R.bold.number}`);
		c.status(r, 200, 'verify');
		c.eq(r.json(), { ...apiObject(R.bold), since: R.bold.since }, 'the object');
		r = await anon.get(`/api/v1/verify/T${UNIQ}-404`);
		c.status(r, 404, 'unknown number');
		c.ok(typeof r.json()?.error === 'string', `{"error"}: ${r.text}`);
	});

	// The server searches a copy of the registry in memory (registry.c);
	// every change made behind its back (here by sqlite3, another
	// process) is in the next search, in the search's order.
	await test('registry search: follows every change to the table at once, in name order', async (c) => {
		const api = async (s) => numbers((await anon.get('/api/v1/registry?q=' +
		    encodeURIComponent(s))).json());
		const tag = `Zephyr${UNIQ}`;
		c.eq(await api(tag), [], 'nothing yet (the copy is read)');
		const ins = (n, name, city) => sql(`INSERT INTO endorsement (number, association, category, since,
		    name, city, created) VALUES (${q(num(n))}, 'vaimh', 'IFS', '2020-01-01', ${q(name)},
		    ${q(city)}, 0)`);
		ins(11, `bea ${tag}`, 'Staunton');
		ins(12, `Abe ${tag}`, 'Staunton');
		ins(13, `Abe ${tag}`, 'Staunton');
		c.eq(await api(tag), [num(12), num(13), num(11)], 'inserted: by name (case ignored), then number');
		c.eq(await api(tag.toUpperCase()), [num(12), num(13), num(11)], 'any case');
		sql(`UPDATE endorsement SET name = 'Moved ' || ${q(UNIQ)} WHERE number = ${q(num(12))}`);
		c.eq(await api(tag), [num(13), num(11)], 'renamed: no longer found by the old name');
		c.eq(await api(`Moved ${UNIQ}`), [num(12)], 'found by the new one');
		sql(`UPDATE endorsement SET city = ${q(`Tagville${UNIQ}`)} WHERE number = ${q(num(11))}`);
		c.eq(await api(`tagville${UNIQ}`), [num(11)], 'a new city');
		sql(`UPDATE endorsement SET hidden = 1 WHERE number = ${q(num(13))}`);
		c.eq(await api(tag), [num(11)], 'hidden: gone from the search');
		sql(`UPDATE endorsement SET status = 'lapsed' WHERE number = ${q(num(11))}`);
		let r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(tag));
		c.eq(r.json()?.results?.[0]?.status, 'lapsed', 'a new status shows');
		sql(`DELETE FROM endorsement WHERE number IN (${q(num(11))}, ${q(num(12))}, ${q(num(13))})`);
		c.eq(await api(tag), [], 'deleted: gone');
		c.eq(await api(`Moved ${UNIQ}`), [], 'gone by the other name too');
		r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(`${UNIQ}zq`));
		c.eq(r.json(), { results: [] }, 'text that no row holds');
	});

	await test('registry: an imported endorsee claims the account by the reset link and logs in', async (c) => {
		const e = R.claim;
		const u = new Client('claimer');
		let r = await u.submit('/login', { email: e.email, password: PW });
		c.status(r, 400, 'no password works before the claim');
		c.status(await u.submit('/login', { email: e.email, password: '!' }), 400, '"!" is not a password');
		r = await u.submit('/reset', { email: e.email });
		c.status(r, 200, 'ask for the link');
		const body = one(`SELECT body FROM outbox WHERE recipient = ${q(e.email)} ORDER BY id DESC LIMIT 1`);
		const link = ((body || '').match(/\/reset\/[0-9a-f]{64}/) || [])[0];
		c.ok(link, `a reset link in the outbox: ${body}`);
		if (!link) return;
		c.status(await u.get(link), 200, 'the link opens');
		r = await u.submit(link, { password: PW });
		c.redirect(r, '/login?reset=1', 'password set');
		r = await u.submit('/login', { email: e.email, password: PW });
		c.redirect(r, '/dashboard', 'logs in');
		r = await u.get('/account');
		c.has(r.text, e.email, 'their account');
		c.eq(one(`SELECT account FROM endorsement WHERE number = ${q(e.number)}`),
		    one(`SELECT id FROM account WHERE email = ${q(e.email)}`), 'the endorsement is theirs');
	});
}
