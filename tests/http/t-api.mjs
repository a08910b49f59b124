// The JSON API: accounts, tokens, applications, the portfolio (GET, PUT
// and what a PUT must refuse), the checklist, and the same verdicts from
// the server and from `endorse check` on the exported portfolio.
import fs from 'node:fs';
import path from 'node:path';

import {
	Client, test, sql, one, q, snapshot, unchanged, same,
} from '../lib/client.mjs';
import {
	U, F, IFS_JSON, GOLDEN_IFS, TODAY, TMP, email, portfolioFor, portfolioPart,
	runCheck, verdicts, asStored,
} from './common.mjs';

const api = new Client('api');	// no cookies ever

function jsonErr(c, r, status, field, msg, what) {
	c.status(r, status, what);
	c.ok(r.ctype.startsWith('application/json'), `${what}: JSON answer (${r.ctype})`);
	const j = r.json();
	if (!c.ok(j && typeof j.error === 'string' && j.error.length > 0,
	    `${what}: {"error": "..."}: ${r.text.slice(0, 200)}`)) return;
	if (field === null)
		c.ok(!('field' in j), `${what}: no "field": ${r.text.slice(0, 200)}`);
	else if (field !== undefined)
		c.eq(j.field, field, `${what}: "field"`);
	if (msg) c.ok(j.error.includes(msg), `${what}: error ${JSON.stringify(j.error)} mentions "${msg}"`);
}

export async function run() {
	// ---------------------------------------------------------- accounts
	await test('API POST /api/v1/accounts: 201 (the same for a known address, no id), validation 400 with field, 415', async (c) => {
		const mail = email('apiacct');
		let r = await api.post('/api/v1/accounts', { json: { name: 'Api Person', email: mail,
		    password: 'api password 1' } });
		c.status(r, 201, 'create');
		const j = r.json();
		c.ok(j && j.id === undefined, `no id (it would tell a known address): ${r.text}`);
		c.eq(j?.email, mail, 'echo');
		c.eq(one(`SELECT name FROM account WHERE email = ${q(mail)}`), 'Api Person', 'stored');
		c.ok(!r.setCookies.length, 'no cookie from the API');
		const first = r.text;
		const nAcct = one('SELECT count(*) FROM account');
		r = await api.post('/api/v1/accounts', { json: { name: 'Dup', email: mail,
		    password: 'api password 1' } });
		c.status(r, 201, 'duplicate e-mail: the answer of a new one');
		c.eq(r.text, first, 'the same body');
		c.eq(one('SELECT count(*) FROM account'), nAcct, 'no account made');
		c.eq(one(`SELECT subject FROM outbox WHERE recipient = ${q(mail)} ORDER BY id DESC LIMIT 1`),
		    'Your Endorse account', 'the known address is told by mail');
		const before = snapshot();
		r = await api.post('/api/v1/accounts', { json: { email: email('x1'), password: 'api password 1' } });
		jsonErr(c, r, 400, 'name', 'name is required', 'missing name');
		r = await api.post('/api/v1/accounts', { json: { name: 5, email: email('x1'), password: 'api password 1' } });
		jsonErr(c, r, 400, 'name', 'must be a string', 'name not a string');
		r = await api.post('/api/v1/accounts', { json: { name: 'N', email: 'nope', password: 'api password 1' } });
		jsonErr(c, r, 400, 'email', 'e-mail address', 'bad e-mail');
		r = await api.post('/api/v1/accounts', { json: { name: 'N', email: email('x2'), password: 'short' } });
		jsonErr(c, r, 400, 'password', 'at least 10 characters', 'short password');
		r = await api.post('/api/v1/accounts', { json: '{"name": "N",' });
		jsonErr(c, r, 400, null, 'not valid JSON', 'bad JSON');
		r = await api.post('/api/v1/accounts', { json: '["N"]' });
		jsonErr(c, r, 400, null, 'must be a JSON object', 'an array');
		r = await api.post('/api/v1/accounts', { json: '{"name": "N", "name": "M", "email": "a@b.org", "password": "0123456789"}' });
		jsonErr(c, r, 400, null, 'duplicate', 'a duplicate key');
		r = await api.post('/api/v1/accounts', { body: JSON.stringify({ name: 'N', email: email('x3'),
		    password: 'api password 1' }), headers: { 'Content-Type': 'text/plain' } });
		jsonErr(c, r, 415, null, 'application/json', 'text/plain body');
		unchanged(c, before, 'refused accounts');
	});

	// ---------------------------------------------------------- tokens
	await test('API POST /api/v1/tokens: 201 token, wrong password 401, validation 400', async (c) => {
		let r = await api.post('/api/v1/tokens', { json: { email: U.M.email, password: U.M.password,
		    label: 'ci' } });
		c.status(r, 201, 'token');
		const j = r.json();
		c.ok(j && /^[0-9a-f]{64}$/.test(j.token), `token: ${r.text}`);
		c.eq(j?.account, one(`SELECT id FROM account WHERE email = ${q(U.M.email)}`), 'account id');
		c.eq(one(`SELECT label FROM api_token ORDER BY id DESC LIMIT 1`), 'ci', 'label stored');
		r = await api.get('/api/v1/applications', { bearer: j?.token });
		c.status(r, 200, 'the token works');
		r = await api.get('/api/v1/applications', { headers: { Authorization: `bearer ${j?.token}` } });
		c.status(r, 200, 'the scheme is case-insensitive');
		r = await api.get('/dashboard', { bearer: j?.token });
		c.redirect(r, '/login', 'the web pages ignore a bearer token');
		const before = snapshot();
		r = await api.post('/api/v1/tokens', { json: { email: U.M.email, password: 'not it at all' } });
		jsonErr(c, r, 401, 'password', 'wrong e-mail or password', 'wrong password');
		r = await api.post('/api/v1/tokens', { json: { email: email('nobody2'), password: 'not it at all' } });
		jsonErr(c, r, 401, 'password', 'wrong e-mail or password', 'unknown e-mail');
		r = await api.post('/api/v1/tokens', { json: { email: U.M.email } });
		jsonErr(c, r, 400, 'password', 'password is required', 'missing password');
		r = await api.post('/api/v1/tokens', { json: { email: U.M.email, password: U.M.password,
		    label: 'l'.repeat(101) } });
		jsonErr(c, r, 400, 'label', 'at most 100', 'long label');
		r = await api.post('/api/v1/tokens', { json: { email: U.M.email, password: U.M.password,
		    label: 7 } });
		jsonErr(c, r, 400, 'label', 'must be a string', 'label not a string');
		unchanged(c, before, 'refused tokens');
		// Clear the failures of M's e-mail again.
		c.status(await api.post('/api/v1/tokens', { json: { email: U.M.email, password: U.M.password } }),
		    201, 'a good login clears the failures');
		for (const bad of ['Bearer ' + 'z'.repeat(64), 'Bearer ' + '0'.repeat(64), 'Bearer',
		    'Basic ' + Buffer.from(`${U.M.email}:${U.M.password}`).toString('base64'), j?.token]) {
			r = await api.get('/api/v1/applications', { headers: { Authorization: bad } });
			jsonErr(c, r, 401, null, 'bearer token', `Authorization: ${String(bad).slice(0, 20)}`);
		}
	});

	// ---------------------------------------------------------- applications
	await test('API applications: POST 201 {"id"}, unknown association/category 400 with field, list', async (c) => {
		let r = await api.post('/api/v1/applications', { bearer: U.A.token,
		    json: { association: 'vaimh', category: 'IFS' } });
		c.status(r, 201, 'create');
		const id = r.json()?.id;
		c.ok(Number.isInteger(id), `{"id"}: ${r.text}`);
		c.eq(Object.keys(r.json() || {}), ['id'], 'only the id');
		c.eq(sql(`SELECT a.email, p.association, p.category, p.status FROM application p JOIN account a ` +
		    `ON a.id = p.account WHERE p.id = ${id}`),
		    [{ email: U.A.email, association: 'vaimh', category: 'IFS', status: 'draft' }], 'stored for A');
		F.appApi = id;
		const before = snapshot();
		r = await api.post('/api/v1/applications', { bearer: U.A.token,
		    json: { association: 'atlantis', category: 'IFS' } });
		jsonErr(c, r, 400, 'association', 'no such association', 'unknown association');
		r = await api.post('/api/v1/applications', { bearer: U.A.token,
		    json: { association: 'vaimh', category: 'XYZ' } });
		jsonErr(c, r, 400, 'category', 'no such category', 'unknown category');
		r = await api.post('/api/v1/applications', { bearer: U.A.token, json: { association: 'vaimh' } });
		jsonErr(c, r, 400, 'category', 'required', 'missing category');
		r = await api.post('/api/v1/applications', { bearer: U.A.token,
		    json: { association: ['vaimh'], category: 'IFS' } });
		jsonErr(c, r, 400, 'association', 'must be a string', 'association not a string');
		r = await api.post('/api/v1/applications', { bearer: U.A.token,
		    body: 'association=vaimh&category=IFS',
		    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		jsonErr(c, r, 415, null, undefined, 'a form body');
		unchanged(c, before, 'refused applications');
		r = await api.get('/api/v1/applications', { bearer: U.A.token });
		c.status(r, 200, 'list');
		const list = r.json()?.applications || [];
		c.ok(list.some((a) => same(a, { id, association: 'vaimh', category: 'IFS', status: 'draft' })),
		    `the new one listed: ${JSON.stringify(list)}`);
		c.ok(list.some((a) => a.id === F.appA), 'appA listed');
		c.eq(list.map((a) => a.id).sort((a, b) => a - b),
		    sql(`SELECT p.id FROM application p JOIN account a ON a.id = p.account WHERE a.email = ` +
		    `${q(U.A.email)} ORDER BY p.id`).map((x) => x.id), "exactly A's applications");
	});

	// ---------------------------------------------------------- portfolio
	await test('API GET portfolio of a new application: endorse-portfolio/1, empty', async (c) => {
		const r = await api.get(`/api/v1/applications/${F.appApi}/portfolio`, { bearer: U.A.token });
		c.status(r, 200, 'GET');
		const d = r.json();
		c.eq({ format: d?.format, association: d?.association, category: d?.category, as_of: d?.as_of,
		    applicant: d?.applicant }, { format: 'endorse-portfolio/1', association: 'vaimh',
		    category: 'IFS', as_of: TODAY, applicant: { name: U.A.name, email: U.A.email } }, 'head');
		for (const k of ['education', 'work', 'training', 'rsc_received', 'rsc_provided',
		    'leadership', 'references', 'exam', 'endorsements'])
			c.eq(d?.[k], [], `${k} empty`);
		c.eq(d?.ethics_signed, null, 'not signed');
		c.status(await api.get('/api/v1/applications/999999/portfolio', { bearer: U.A.token }), 404,
		    'an application that does not exist');
	});

	await test('API PUT portfolio: the full examples/ifs.json round-trips', async (c) => {
		const doc = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		let r = await api.req('PUT', `/api/v1/applications/${F.appApi}/portfolio`,
		    { bearer: U.A.token, json: doc });
		c.status(r, 200, 'PUT');
		r = await api.get(`/api/v1/applications/${F.appApi}/portfolio`, { bearer: U.A.token });
		const got = r.json();
		c.eq(portfolioPart(got), portfolioPart(asStored(doc)), 'GET returns the same entries');
		for (const k of ['education', 'work', 'training', 'rsc_received', 'references'])
			c.eq(got?.[k]?.length, doc[k].length, `${k}: as many entries`);
		c.eq(got?.applicant, { name: U.A.name, email: U.A.email }, 'the applicant stays the account');
		// A PUT of what GET gave changes nothing.
		r = await api.req('PUT', `/api/v1/applications/${F.appApi}/portfolio`,
		    { bearer: U.A.token, json: got });
		c.status(r, 200, 'PUT of the GET');
		c.eq(r.json(), got, 'idempotent');
		// The page shows what the API stored.
		r = await U.A.get(`/applications/${F.appApi}/tab/training`);
		c.has(r.text, 'Infant mental health foundations', 'the tab shows an imported entry');
	});

	await test('API PUT portfolio: the 200 answer is the portfolio as stored', async (c) => {
		const id = (await api.post('/api/v1/applications', { bearer: U.A.token,
		    json: { association: 'vaimh', category: 'IFS' } })).json()?.id;
		const doc = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		doc.exam = [{ date: '2026-05-01', result: 'pass' }];
		doc.endorsements = [{ association: 'vaimh', category: 'IFA', since: '2020-09-01' }];
		const r = await api.req('PUT', `/api/v1/applications/${id}/portfolio`, { bearer: U.A.token, json: doc });
		c.status(r, 200, 'PUT');
		const stored = (await api.get(`/api/v1/applications/${id}/portfolio`, { bearer: U.A.token })).json();
		c.eq(portfolioPart(stored), portfolioPart(asStored(doc)), 'GET gives what was PUT');
		for (const k of ['ethics_signed', 'exam', 'endorsements', 'work', 'membership'])
			c.eq(r.json()?.[k], stored?.[k], `the PUT answer's ${k} (want what GET gives)`);
	});

	await test('API PUT portfolio: malformed documents answer 4xx naming the field, nothing stored', async (c) => {
		const url = `/api/v1/applications/${F.appApi}/portfolio`;
		const get = async () => (await api.get(url, { bearer: U.A.token })).json();
		const before = await get();
		const snap = snapshot();
		const base = () => portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		const mut = (f) => { const d = base(); f(d); return d; };
		const cases = [
			['bad JSON', '{"format": "endorse-portfolio/1", "work": [', 400, null, 'not valid JSON'],
			['not an object', '[1, 2]', 400, null, 'must be a JSON object'],
			['work not an array', mut((d) => { d.work = {}; }), 400, 'work', 'must be'],
			['families a string', mut((d) => { d.work[0].families = 'many'; }), 400, 'work[0].families', 'must be'],
			['paid a string', mut((d) => { d.work[0].paid = 'yes'; }), 400, 'work[0].paid', 'must be'],
			['hours negative', mut((d) => { d.training[1].hours = -3; }), 400, 'training[1].hours', ''],
			['work[0].start not a date', mut((d) => { d.work[0].start = '2016-02-30'; }), 400, 'work[0].start', 'date'],
			['work[0].start a number', mut((d) => { d.work[0].start = 20160104; }), 400, 'work[0].start', ''],
			['unknown top-level field', mut((d) => { d.hobby = 'chess'; }), 400, 'hobby', 'unknown field'],
			['unknown entry field', mut((d) => { d.work[0].salary = 1; }), 400, 'work[0].salary', 'unknown field'],
			['misspelt transcript', mut((d) => { d.education[0].transcipt = true; }), 400,
			    'education[0].transcipt', 'unknown field'],
			['unknown enum', mut((d) => { d.work[0].service = 'magic'; }), 400, 'work[0].service', ''],
			['wrong format', mut((d) => { d.format = 'endorse-portfolio/2'; }), 400, 'format', ''],
			['other association', mut((d) => { d.association = 'infancy-onward'; }), 400, 'association',
			    'this application is for vaimh'],
			['unknown association', mut((d) => { d.association = 'atlantis'; }), 400, 'association', ''],
			['other category', mut((d) => { d.category = 'IFA'; }), 400, 'category',
			    'this application is for IFS'],
			['missing category', mut((d) => { delete d.category; }), 400, 'category', 'required'],
			['membership start missing', mut((d) => { delete d.membership[0].start; }), 400,
			    'membership[0].start', 'required'],
		];
		for (const [name, body, status, field, msg] of cases) {
			const r = await api.req('PUT', url, { bearer: U.A.token, json: body });
			jsonErr(c, r, status, field, msg, name);
			c.eq(await get(), before, `${name}: GET after equals GET before`);
		}
		let r = await api.req('PUT', url, { bearer: U.A.token, body: JSON.stringify(base()),
		    headers: { 'Content-Type': 'text/plain' } });
		jsonErr(c, r, 415, null, 'application/json', 'text/plain content type');
		r = await api.req('PUT', url, { bearer: U.A.token, body: JSON.stringify(base()) });
		jsonErr(c, r, 415, null, undefined, 'no content type');
		c.eq(await get(), before, 'GET after equals GET before');
		unchanged(c, snap, 'malformed PUTs');
	});

	await test('API GET checklist: endorse-check/1 with every requirement', async (c) => {
		const r = await api.get(`/api/v1/applications/${F.appApi}/checklist`, { bearer: U.A.token });
		c.status(r, 200, 'GET checklist');
		const j = r.json();
		c.eq({ format: j?.format, association: j?.association, category: j?.category, as_of: j?.as_of },
		    { format: 'endorse-check/1', association: 'vaimh', category: 'IFS', as_of: TODAY }, 'head');
		c.eq(typeof j?.eligible, 'boolean', 'eligible');
		const ids = (j?.requirements || []).map((x) => x.id);
		for (const id of ['education', 'training', 'rsc', 'membership', 'ethics', 'references'])
			c.ok(ids.includes(id), `requirement ${id} listed: ${ids}`);
		for (const x of j?.requirements || [])
			c.ok(typeof x.met === 'boolean' && 'have' in x && 'need' in x && typeof x.explain === 'string',
			    `requirement ${x.id} has met/have/need/explain`);
		const rsc = (j?.requirements || []).find((x) => x.id === 'rsc');
		c.ok(rsc && rsc.excluded.some((e) => e.entry === 'rsc_received[1]'),
		    `the peer group is excluded from rsc: ${JSON.stringify(rsc?.excluded)}`);
	});

	// ---------------------------------------------------------- same verdicts
	await test('the same portfolio gives the same verdicts: server checklist == endorse check on the export', async (c) => {
		const golden = await api.post('/api/v1/applications', { bearer: U.A.token,
		    json: { association: 'vaimh', category: 'IFS' } });
		const gid = golden.json()?.id;
		const gdoc = portfolioFor(GOLDEN_IFS, 'vaimh', 'IFS');
		gdoc.references = gdoc.references.map((x, i) => ({ ...x, email: `golden${i}@example.org` }));
		let r = await api.req('PUT', `/api/v1/applications/${gid}/portfolio`,
		    { bearer: U.A.token, json: gdoc });
		c.status(r, 200, 'PUT the golden IFS portfolio');
		// Its three raters answered (the rater's own pages are tested in
		// tests/mail/workflow.mjs): completed ratings, as the form stores them.
		const day = Date.UTC(2026, 10, 23) / 1000;
		gdoc.references.forEach((x, i) => sql(`INSERT INTO rating (application, email, name, ` +
		    `relationship, hash, status, expires, sent, answered, answers) VALUES (${gid}, ` +
		    `${q(x.email)}, ${q(x.name)}, ${q(x.relationship)}, ${q(`golden-${gid}-${i}`)}, ` +
		    `'completed', ${day + 86400 * 30}, ${day}, ${day}, '{}')`));
		// B's infancy-onward application, with a membership recorded on the page.
		c.redirect(await U.B.submit('/membership', { term: 'infancy-onward/individual-1', start: '2026-02-01' }),
		    '/membership', "B's membership");
		const seen = new Set();
		for (const [id, how, who] of [[F.appApi, 'page', 'A'], [F.appApi, 'api', 'A'], [gid, 'page', 'A'],
		    [gid, 'api', 'A'], [F.appTabs, 'page', 'A'], [F.appA, 'api', 'A'], [F.appB, 'page', 'B']]) {
			const exp = how === 'page' ? await U[who].get(`/applications/${id}/export`) :
			    await api.get(`/api/v1/applications/${id}/portfolio`, { bearer: U[who].token });
			c.status(exp, 200, `export ${id} (${how})`);
			const file = path.join(TMP, `export-${id}-${how}.json`);
			fs.writeFileSync(file, exp.buf);
			const cli = runCheck(file);
			c.ok(cli.json && (cli.status === 0) === (cli.json.eligible === true) &&
			    [0, 1].includes(cli.status), `endorse check ${id}: exit ${cli.status} ${cli.stderr}`);
			if (who === 'B')
				c.eq(exp.json()?.membership, [{ start: '2026-02-01', end: '2026-12-31', type: 'individual-1' }],
				    "B's export carries the membership term");
			const srv = (await api.get(`/api/v1/applications/${id}/checklist`, { bearer: U[who].token })).json();
			if (!cli.json || !srv) { c.fail(`no verdicts for ${id}`); continue; }
			c.eq(verdicts(srv), verdicts(cli.json), `application ${id} (${how} export): verdicts`);
			c.eq({ a: srv.association, c: srv.category, d: srv.as_of },
			    { a: cli.json.association, c: cli.json.category, d: cli.json.as_of }, `head ${id}`);
			seen.add(srv.eligible);
		}
		c.ok(seen.has(true) && seen.has(false), 'both an eligible and a not eligible portfolio compared');
	});
}
