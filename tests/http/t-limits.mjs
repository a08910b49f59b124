// Limits on what a request may store and hold (issue 15, points 9 and 10),
// on the suite's server with the default settings: every stored string at
// most 300 characters whichever way it comes (the forms, the API's
// portfolio PUT and log, the JSON import), nothing stored from a refused
// request; a file only to a route that takes one, and only from a caller
// it allows, refused before its body is read.  The memory bounds, the
// quotas, the reply cap and the request time need small settings: the
// hostile suite's own server (tests/hostile/t-memory.mjs).
import {
	Client, test, snapshot, unchanged, sql, one, q,
} from '../lib/client.mjs';
import {
	F, UNIQ, PDF, register, apiToken, newApp, addEntry, IFS_JSON, portfolioFor,
} from './common.mjs';

const LONG = 'L'.repeat(301);

function accountId(u) {
	return one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
}

// A raw multipart body: a field and a file part, as a browser sends it.
function multipart(parts) {
	const b = `----limits${UNIQ}`;
	const chunks = [];
	for (const p of parts) {
		chunks.push(Buffer.from(`--${b}\r\nContent-Disposition: form-data; ` +
		    `name="${p.name}"` + (p.filename ? `; filename="${p.filename}"\r\n` +
		    'Content-Type: application/octet-stream' : '') + '\r\n\r\n'));
		chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value));
		chunks.push(Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${b}--\r\n`));
	return { body: Buffer.concat(chunks), ctype: `multipart/form-data; boundary=${b}` };
}

export async function run() {
	const L = await register('L', `Lena Limits-${UNIQ}`, `lena-${UNIQ}@example.org`, 'vaimh');
	L.token = await apiToken(L.email, L.password, 'limits');
	sql(`INSERT INTO endorsement (number, account, association, category, since, status, ` +
	    `name, city, hidden, created) VALUES (${q(`LIM${UNIQ}`)}, ${accountId(L)}, 'vaimh', ` +
	    `'IFS', '2020-01-01', 'active', ${q(L.name)}, '', 1, 0)`);
	const app = await newApp(L, 'vaimh/IFS');

	await test('limits: the API log refuses a title over 300 characters (400, field named), ' +
	    'takes 300, stores nothing refused', async (c) => {
		const before = snapshot();
		const bad = await new Client('l').post('/api/v1/log/training?association=vaimh', {
		    bearer: L.token, json: { title: LONG, date: '2025-07-01', hours: 1,
		    role: 'attended' } });
		c.status(bad, 400, 'title of 301');
		c.eq(bad.json()?.field, 'title', 'field');
		c.has(bad.text, 'at most 300 characters', 'message');
		const deep = await new Client('l').post('/api/v1/log/training?association=vaimh', {
		    bearer: L.token, json: { title: 'ok', date: '2025-07-01', hours: 1,
		    role: 'attended', topics: ['dei', 'x'.repeat(5000)] } });
		c.status(deep, 400, 'a long string inside a list');
		const key = await new Client('l').post('/api/v1/log/training?association=vaimh', {
		    bearer: L.token, json: { title: 'ok', date: '2025-07-01', hours: 1,
		    role: 'attended', ['k'.repeat(1000)]: 1 } });
		c.status(key, 400, 'a member name of 1,000 characters');
		unchanged(c, before, 'nothing stored from the refused entries');
		const ok = await new Client('l').post('/api/v1/log/training?association=vaimh', {
		    bearer: L.token, json: { title: 'T'.repeat(300), date: '2025-07-01', hours: 1,
		    role: 'attended' } });
		c.status(ok, 201, 'title of 300');
	});

	await test('limits: the API portfolio PUT and the JSON import refuse a value over 300 ' +
	    'characters (400, naming it), nothing stored', async (c) => {
		const doc = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		doc.work[0].employer = LONG;
		const before = snapshot();
		const put = await new Client('l').req('PUT', `/api/v1/applications/${app}/portfolio`,
		    { bearer: L.token, json: doc });
		c.status(put, 400, 'PUT');
		c.eq(put.json()?.field, 'employer', 'field');
		c.has(put.text, 'at most 300 characters', 'message');
		const imp = await L.submitMultipart(`/applications/${app}/import`, (fd) =>
		    fd.append('portfolio', new Blob([JSON.stringify(doc)],
		    { type: 'application/json' }), 'p.json'));
		c.status(imp, 400, 'import');
		c.has(imp.text, 'at most 300 characters', 'import message');
		unchanged(c, before, 'nothing stored');
	});

	await test('limits: the forms refuse 301 characters with the same message', async (c) => {
		const r = await L.submit(`/applications/${app}/tab/training`, { title: LONG,
		    date: '2021-01-01', hours: '3', role: 'attended' });
		c.status(r, 400, 'form');
		c.has(r.text, 'at most 300 characters', 'message');
	});

	await test('limits: a file sent to a route that takes none is refused before it is ' +
	    'read (415), the route that takes one still works', async (c) => {
		const before = snapshot();
		const m = multipart([{ name: 'email', value: L.email }, { name: 'password',
		    value: L.password }, { name: 'f', filename: 'x.bin', value: Buffer.alloc(300000, 65) }]);
		for (const p of ['/login', '/register', '/reset', `/applications/${app}/tab/training`,
		    '/api/v1/tokens']) {
			const r = await new Client('m').post(p, { body: m.body,
			    headers: { 'Content-Type': m.ctype } });
			c.status(r, 415, `multipart to ${p}`);
			c.has(r.text, 'takes no file', `${p}: says why`);
		}
		unchanged(c, before, 'nothing stored');
		const edu = await addEntry(L, app, 'education', { level: 'bachelor',
		    degree: 'BSW', field: 'Social Work', institution: 'Uni',
		    conferred: '2015-05-20' });
		const up = await L.submitMultipart(`/applications/${app}/entries/${edu}/transcript`,
		    (fd) => fd.append('pdf', new Blob([PDF], { type: 'application/pdf' }), 't.pdf'));
		c.status(up, 303, 'transcript upload by its owner');
	});

	await test('limits: an upload without a session is turned away before its body is kept ' +
	    '(the login page; the API 401), nothing stored', async (c) => {
		const before = snapshot();
		const m = multipart([{ name: 'csrf', value: 'a'.repeat(64) },
		    { name: 'pdf', filename: 't.pdf', value: Buffer.concat([PDF, Buffer.alloc(200000, 32)]) }]);
		const anon = await new Client('anon').post(
		    `/applications/${F.appA}/entries/1/transcript`, { body: m.body,
		    headers: { 'Content-Type': m.ctype } });
		c.status(anon, 303, 'anonymous upload');
		c.eq(anon.location, '/login', 'to the login page');
		const bogus = await new Client('bogus').post(`/renewal/log/1/evidence`, {
		    body: m.body, headers: { 'Content-Type': m.ctype,
		    Cookie: `endorse_session=${'f'.repeat(64)}` } });
		c.status(bogus, 303, 'a made-up session');
		unchanged(c, before, 'nothing stored');
	});
}
