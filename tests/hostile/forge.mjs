// Hostile: claims only the association may vouch for, forged by an
// applicant (issue 15).  Every field the system derives itself (a degree's
// transcript, a provider's or rater's codes verified in the registry, a
// reference's rating status, exam results, endorsements held) is sent in
// many shapes through the API PUT and the web import: none is stored or
// counted.  An API token used after a password change, and a rating
// written under a waiver that the applicant withdrew while the rater wrote,
// are refused.  Run by tests/hostile/test.mjs (its Client counts and
// inspects every request).
import fs from 'node:fs';
import path from 'node:path';

import { Client, test, one, q } from '../lib/client.mjs';

const ROOT = process.env.HTTP_ROOT;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A value that says "yes" to a loose reader.
const YES = [true, 'true', 1, '1', 'yes', [true], { value: true }];

// The golden IMHS portfolio (its degrees need transcripts) with every
// vouched-for field claimed as v.
function forged(v, uniq) {
	const d = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/golden/check/vaimh/IMHS.json'), 'utf8'));
	d.association = 'vaimh';
	d.category = 'IMHS';
	delete d.as_of;
	for (const e of d.education || [])
		e.transcript = v;
	for (const e of d.rsc_received || [])
		Object.assign(e, { verified: v, provider_endorsements: ['IMHM-C'] });
	d.references = (d.references || []).map((e, i) => ({ ...e, verified: v,
	    status: v === true ? 'completed' : v, email: `forge-${uniq}-${i}@example.org` }));
	// A membership the association confirmed (issue 17): its status is
	// the association's, never the applicant's.
	d.membership = (d.membership || []).map((m) => ({ ...m,
	    status: v === true ? 'confirmed' : v }));
	d.exam = [{ date: '2026-05-01', result: v === true ? 'pass' : v }];
	d.endorsements = [{ association: 'vaimh', category: 'IMHM-C', since: '2020-01-01' }];
	return d;
}

// What of the claims the store kept, in words (empty: none).
function kept(doc) {
	const out = [];
	if (doc === undefined || doc === null) return ['no portfolio answered'];
	for (const [i, e] of (doc.education || []).entries())
		if (e.transcript !== false) out.push(`education[${i}].transcript = ${JSON.stringify(e.transcript)}`);
	for (const k of ['rsc_received', 'references'])
		for (const [i, e] of (doc[k] || []).entries())
			if (e.verified !== undefined && e.verified !== false)
				out.push(`${k}[${i}].verified = ${JSON.stringify(e.verified)}`);
	for (const [i, e] of (doc.references || []).entries())
		if (e.status === 'completed') out.push(`references[${i}].status = completed`);
	for (const [i, m] of (doc.membership || []).entries())
		if (m.status !== undefined) out.push(`membership[${i}].status = ${JSON.stringify(m.status)}`);
	if ((doc.exam || []).length) out.push(`exam = ${JSON.stringify(doc.exam)}`);
	if ((doc.endorsements || []).length) out.push(`endorsements = ${JSON.stringify(doc.endorsements)}`);
	return out;
}

// A form that checks a password, sent again once the throttle the
// earlier groups' failures left on this address has passed (the right
// password gets through after the wait it names).
async function patient(send) {
	let r;
	for (let i = 0; i < 4; i++) {
		r = await send();
		if (r.status !== 429) break;
		await sleep(1000 * (Number(r.headers.get('retry-after') || 1) + 0.5));
	}
	return r;
}
const login = (u, email, pw) => patient(() => u.submit('/login', { email, password: pw }));

async function person(label, assoc, pw, uniq) {
	const u = new Client(label);
	u.email = `${label.toLowerCase()}-${uniq}@example.org`;
	await u.submit('/register', { name: `${label} ${uniq}`, email: u.email, password: pw,
	    association: assoc });
	u.login = await login(u, u.email, pw);
	return u;
}

async function token(email, pw) {
	const r = await patient(() => new Client('t').post('/api/v1/tokens', { json: { email, password: pw } }));
	return r.json()?.token;
}

async function claims(pw, uniq, drain) {
	await test(`forgery: vouched-for claims in ${YES.length} shapes (transcript, verified, ` +
	    'rating status, membership status, exam, endorsements) through the API PUT and the import: none kept, ' +
	    'the transcripts requirement unmet', async (c) => {
		const u = await person('Forger', 'vaimh', pw, uniq);
		c.status(u.login, 303, 'the forger logs in');
		const tok = await token(u.email, pw);
		c.ok(tok, 'a token');
		const app = Number(((await u.submit('/applications', { choice: 'vaimh/IMHS' })).location || '')
		    .match(/(\d+)$/)?.[1]);
		c.ok(app > 0, 'an application');
		const api = (m, p, o = {}) => new Client('api').req(m, p, { bearer: tok, ...o });
		const stored = async () => (await api('GET', `/api/v1/applications/${app}/portfolio`)).json();
		for (const v of YES) {
			const r = await api('PUT', `/api/v1/applications/${app}/portfolio`, { json: forged(v, uniq) });
			c.ok(r.status === 200 || (r.status >= 400 && r.status < 500),
			    `PUT with ${JSON.stringify(v)}: ${r.status}`);
			c.eq(kept(await stored()), [], `PUT with ${JSON.stringify(v)}: claims kept`);
			const imp = await u.submitMultipart(`/applications/${app}/import`, (fd) =>
			    fd.append('portfolio', new Blob([JSON.stringify(forged(v, uniq))]), 'p.json'));
			c.ok(imp.status === 303 || (imp.status >= 400 && imp.status < 500),
			    `import with ${JSON.stringify(v)}: ${imp.status}`);
			c.eq(kept(await stored()), [], `import with ${JSON.stringify(v)}: claims kept`);
		}
		const ck = (await api('GET', `/api/v1/applications/${app}/checklist`)).json();
		const rq = (ck?.requirements || []).find((x) => x.id === 'transcripts');
		c.eq(rq?.met, false, 'the transcripts requirement with flags and no file');
		c.eq(one(`SELECT count(*) FROM exam_registration WHERE application = ${app}`), 0, 'no exam stored');
		c.eq(one(`SELECT count(*) FROM endorsement WHERE account = (SELECT id FROM account WHERE email = ${q(u.email)})`),
		    0, 'no endorsement stored');
		drain(c);
	});
}

async function staleToken(pw, uniq, drain) {
	await test('forgery: an API token made before a password change opens nothing after it (401)', async (c) => {
		const u = await person('Changer', 'vaimh', pw, uniq);
		c.status(u.login, 303, 'logs in');
		const tok = await token(u.email, pw);
		c.status(await new Client('a').get('/api/v1/applications', { bearer: tok }), 200, 'the token works');
		const r = await patient(() => u.submit('/account/password', { current: pw, password: `${pw} changed` }));
		c.ok(r.status === 303 || r.status === 200, `the password changes: ${r.status}`);
		c.status(await new Client('a').get('/api/v1/applications', { bearer: tok }), 401,
		    'the old token after the change');
		c.eq(one(`SELECT count(*) FROM api_token WHERE account = (SELECT id FROM account WHERE email = ${q(u.email)})`),
		    0, 'no token of the account is left');
		drain(c);
	});
}

async function staleWaiver(pw, uniq, drain) {
	await test('forgery: a waiver withdrawn while the rater writes binds the rating: the applicant ' +
	    'cannot read it (infancy-onward shows ratings unless waived)', async (c) => {
		const u = await person('Waiver', 'infancy-onward', pw, uniq);
		c.status(u.login, 303, 'logs in');
		const app = Number(((await u.submit('/applications', { choice: 'infancy-onward/IFS' })).location || '')
		    .match(/(\d+)$/)?.[1]);
		const rater = `wr-${uniq}@example.org`;
		let r = await u.submit(`/applications/${app}/tab/references`, { name: 'Walt Rater', email: rater,
		    relationship: 'supervisor' });
		c.status(r, 303, 'a reference');
		const ref = one(`SELECT max(id) FROM entry WHERE application = ${app} AND kind = 'references'`);
		c.status(await u.submit(`/applications/${app}/waiver`, { waive: 'yes' }), 303, 'waives');
		c.status(await u.submit(`/applications/${app}/entries/${ref}/request`), 303, 'asks the rater');
		const rid = one(`SELECT max(id) FROM rating WHERE application = ${app}`);
		const body = one(`SELECT body FROM outbox WHERE recipient = ${q(rater)} ORDER BY id DESC LIMIT 1`) || '';
		const link = (body.match(/\/rate\/[0-9a-f]{64}/) || [])[0];
		c.ok(link, 'the rater was mailed a link');
		const R = new Client('wrater');
		const f = await R.get(link);
		c.status(f, 200, 'the rater opens the form');
		c.status(await u.submit(`/applications/${app}/waiver`, { waive: 'no' }), 303, 'withdraws while the rater writes');
		const form = { action: 'rate', recommend: 'yes', comments: `Private words ${uniq}` };
		for (const m of new Set([...f.text.matchAll(/name="(item\d+)"/g)].map((x) => x[1])))
			form[m] = '4';
		c.status(await R.submit(link, form), 200, 'the rater sends the form shown');
		r = await u.get(`/applications/${app}/ratings/${rid}`);
		c.status(r, 403, 'the applicant reads the rating');
		c.lacks(r.text, `Private words ${uniq}`, 'its words');
		drain(c);
	});
}

export async function forgery({ pw, uniq, drain }) {
	await claims(pw, uniq, drain);
	await staleToken(pw, uniq, drain);
	await staleWaiver(pw, uniq, drain);
}
