// Verified or declared (issue 15, point 2): a provider's or rater's
// endorsement codes are typed by the applicant; where the registry knows
// the person (this association's endorsees or imported ones: `endorse
// import endorsees`), by endorsement number or by name and e-mail, holding
// every code typed, the entry is "verified in the registry", else
// "declared".  Reviewers see which; the applicant cannot set it (the API
// PUT ignores a "verified" flag); a rule set with 'setting codes verified'
// does not count declared codes (a server of its own on
// tests/golden/verified/rules).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, sql, one, q } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';
import { U, UNIQ, TMP, email, register, newApp, addEntry, apiToken } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const DAY = Date.UTC(2026, 10, 23) / 1000;
const P = {};
const X = {};

// Endorsees moved in with the CLI, as an association does from its old
// system; linked to an existing account of the same e-mail.
function importEndorsees(db, rows) {
	const f = path.join(TMP, `verified-${rows[0].number}.csv`);
	fs.writeFileSync(f, 'number,name,email,category,since,status,city\n' +
	    rows.map((r) => [r.number, r.name, r.email, r.category, '2020-01-01',
	    'active', 'Richmond'].join(',')).join('\n') + '\n');
	return spawnSync(BIN, ['import', 'endorsees', '--db', db, '--association',
	    'vaimh', '--rules', path.join(ROOT, 'rules'), f], { encoding: 'utf8',
	    env: { ...process.env, ENDORSE_NOW: '2026-11-23' } });
}

function rsc(provider, codes, more = {}) {
	return { provider, provider_endorsements: codes, format: 'individual',
	    start: '2019-01-01', end: '2020-06-30', hours: '30', focus: 'practice', ...more };
}

// ------------------------------------------------ a server of its own
function startOwn(rules) {
	const dir = path.join(TMP, 'verified');
	fs.mkdirSync(dir, { recursive: true });
	return ownServer({ name: 'verified', bin: BIN, root: ROOT, rules,
	    db: path.join(dir, 'endorse.db'), env: { ...process.env, ENDORSE_NOW: '2026-11-23' } });
}

export async function run() {
	P.app = await register('VfApplicant', `Vera Verify ${UNIQ}`, email('vf-app'), 'vaimh');
	P.rev = await register('VfReviewer', `Rex Reviewer ${UNIQ}`, email('vf-rev'), 'vaimh');
	P.pat = { name: `Pat Provider ${UNIQ}`, email: email('vf-pat'), number: `VF${UNIQ}-1` };
	P.rae = { name: `Rae Rater ${UNIQ}`, email: email('vf-rae'), number: `VF${UNIQ}-2` };

	await test('verified: providers and raters in the registry are verified, others declared; reviewers see which', async (c) => {
		const imp = importEndorsees(process.env.HTTP_DB, [
			{ ...P.pat, category: 'IMHM-C' },
			{ ...P.rae, category: 'IFS' },
			{ number: `VF${UNIQ}-3`, name: P.rev.name, email: P.rev.email, category: 'IFS' },
		]);
		c.eq(imp.status, 0, `import endorsees: ${imp.stderr}`);
		X.app = await newApp(P.app, 'vaimh/IFS');
		// By name and e-mail (the e-mail's case does not matter).
		await addEntry(P.app, X.app, 'rsc_received', rsc(P.pat.name, 'IMHM-C',
		    { provider_email: P.pat.email.toUpperCase() }));
		// Not in the registry.
		await addEntry(P.app, X.app, 'rsc_received', rsc(`Quinn Unknown ${UNIQ}`, 'IMHM-C',
		    { provider_email: email('vf-quinn') }));
		// By number, but with a code the registry does not know Pat holds.
		await addEntry(P.app, X.app, 'rsc_received', rsc(P.pat.name, 'IMHM-C, ERS',
		    { provider_number: P.pat.number }));
		// By number, with a name that is not the one on it.
		await addEntry(P.app, X.app, 'rsc_received', rsc(`Someone Else ${UNIQ}`, 'IMHM-C',
		    { provider_number: P.pat.number }));
		await addEntry(P.app, X.app, 'references', { name: P.rae.name, email: P.rae.email,
		    relationship: 'colleague', endorsements: 'IFS' });
		await addEntry(P.app, X.app, 'references', { name: `Ray Unlisted ${UNIQ}`,
		    email: email('vf-ray'), relationship: 'program_supervisor', endorsements: 'IFS' });

		const doc = (await new Client('api').get(`/api/v1/applications/${X.app}/portfolio`,
		    { bearer: await apiToken(P.app.email, P.app.password, 'vf') })).json();
		c.eq(doc?.rsc_received?.map((e) => e.verified), [true, false, false, false],
		    'rsc_received: verified by e-mail; unknown, a code not held, a wrong name: declared');
		c.eq(doc?.references?.map((e) => e.verified), [true, false],
		    'references: the rater in the registry verified, the other declared');

		sql(`UPDATE application SET status = 'submitted', submitted = ${DAY} WHERE id = ${X.app}`);
		c.redirect(await U.cSame.submit('/coordinator/reviewers', { email: P.rev.email }),
		    '/coordinator/reviewers', 'the reviewer is added');
		const rid = one(`SELECT id FROM account WHERE email = ${q(P.rev.email)}`);
		c.redirect(await U.cSame.submit(`/coordinator/applications/${X.app}/assign`,
		    { reviewer: String(rid) }), `/coordinator/applications/${X.app}#reviewers`, 'assigned');
		const asg = one(`SELECT id FROM assignment WHERE application = ${X.app} AND reviewer = ${rid}`);
		const r = await P.rev.get(`/review/${asg}`);
		c.status(r, 200, 'the reviewer reads the application');
		c.has(r.text, `RSC provider ${P.pat.name}: IMHM-C · <strong>verified in the registry</strong>`,
		    'the provider in the registry: verified');
		c.has(r.text, `RSC provider Quinn Unknown ${UNIQ}: IMHM-C · declared`,
		    'the provider not in it: declared');
		c.has(r.text, `RSC provider ${P.pat.name}: IMHM-C, ERS · declared`,
		    'a code the registry does not show: declared');
		c.has(r.text, `RSC provider Someone Else ${UNIQ}: IMHM-C · declared`,
		    'a number with another name: declared');
		c.has(r.text, `Rater ${P.rae.name}: IFS · <strong>verified in the registry</strong>`,
		    'the rater in the registry: verified');
		c.has(r.text, `Rater Ray Unlisted ${UNIQ}: IFS · declared`, 'the other rater: declared');
	});

	await test('verified: a rater\'s own statement on the rating form replaces the typed codes, declared by the rater', async (c) => {
		P.stated = await register('VfStated', `Sam Stated ${UNIQ}`, email('vf-stated'), 'vaimh');
		const app = await newApp(P.stated, 'vaimh/IFS');
		const rae = await addEntry(P.stated, app, 'references', { name: P.rae.name,
		    email: P.rae.email, relationship: 'colleague', endorsements: 'IMHM-C' });
		const ray = await addEntry(P.stated, app, 'references', { name: `Ray Unlisted ${UNIQ}`,
		    email: email('vf-ray'), relationship: 'program_supervisor', endorsements: '' });
		const token = await apiToken(P.stated.email, P.stated.password, 'vf3');
		const doc = async () => (await new Client('api').get(
		    `/api/v1/applications/${app}/portfolio`, { bearer: token })).json();
		let d = await doc();
		c.eq(d?.references?.map((e) => [e.endorsements ?? [], e.verified]),
		    [[['IMHM-C'], false], [[], false]], 'before: the typed codes, declared');
		const links = {};
		for (const [id, who] of [[rae, P.rae.email], [ray, email('vf-ray')]]) {
			c.redirect(await P.stated.submit(`/applications/${app}/entries/${id}/request`),
			    `/applications/${app}/tab/references#ratings`, `ask ${who}`);
			const body = one(`SELECT body FROM outbox WHERE recipient = ${q(who)} ` +
			    'ORDER BY id DESC LIMIT 1') || '';
			links[who] = (body.match(/\/rate\/[0-9a-f]{64}/) || [])[0];
		}
		const rater = new Client('VfRater');
		let r = await rater.get(links[P.rae.email]);
		c.status(r, 200, 'the rater opens the form');
		c.has(r.text, 'name="endorsements"', 'the form asks for the rater\'s own endorsements');
		const form = { action: 'rate', recommend: 'yes', comments: '' };
		for (let i = 0; i < 15; i++)
			form[`item${i}`] = String(1 + (i % 4));
		r = await rater.submit(links[P.rae.email], { ...form, endorsements: 'IFS; IMHM-C!' });
		c.status(r, 400, 'codes that are not codes: 400');
		c.has(r.text, 'use category codes such as IMHM-C', 'the message beside the field');
		c.has(r.text, 'value="IFS; IMHM-C!"', 'what was typed is kept');
		c.eq(one(`SELECT count(*) FROM rating WHERE application = ${app} AND status = 'completed'`),
		    0, 'nothing stored');
		r = await rater.submit(links[P.rae.email], { ...form, endorsements: 'ifs',
		    endorsement_number: P.rae.number });
		c.status(r, 200, 'Rae rates, stating IFS and her number');
		r = await new Client('VfRay').submit(links[email('vf-ray')], { ...form, endorsements: 'IFS' });
		c.status(r, 200, 'Ray rates, stating IFS');
		d = await doc();
		c.eq(d?.references?.map((e) => [e.endorsements ?? [], e.verified]),
		    [[['IFS'], true], [['IFS'], false]],
		    'after: the raters\' codes; Rae\'s verified in the registry, Ray\'s declared');
		c.eq(d?.references?.[0]?.endorsement_number, P.rae.number, 'and the number Rae gave');
	});

	await test('verified: the applicant cannot set "verified" (API PUT ignores it; nothing stored)', async (c) => {
		const token = await apiToken(P.app.email, P.app.password, 'vf2');
		const api = new Client('api');
		const id = (await api.post('/api/v1/applications', { bearer: token,
		    json: { association: 'vaimh', category: 'IMHS' } })).json()?.id;
		const doc = { format: 'endorse-portfolio/1', association: 'vaimh', category: 'IMHS',
		    rsc_received: [{ ...rsc(`Quinn Unknown ${UNIQ}`, ['IMHM-C']), hours: 30, verified: true }],
		    references: [{ name: `Ray Unlisted ${UNIQ}`, email: email('vf-ray'),
		    relationship: 'colleague', endorsements: ['IFS'], status: 'completed', verified: true }] };
		const r = await api.req('PUT', `/api/v1/applications/${id}/portfolio`, { bearer: token, json: doc });
		c.status(r, 200, 'PUT');
		const got = (await api.get(`/api/v1/applications/${id}/portfolio`, { bearer: token })).json();
		c.eq(got?.rsc_received?.[0]?.verified, false, 'the provider stays declared');
		c.eq(got?.references?.[0]?.verified, false, 'the rater stays declared');
		c.eq(one(`SELECT count(*) FROM entry WHERE application = ${Number(id)} AND ` +
		    `data LIKE '%verified%'`), 0, 'no flag stored');
	});

	await test('verified: a rule set with "setting codes verified" does not count the declared provider', async (c) => {
		const srv = await startOwn(path.join(ROOT, 'tests/golden/verified/rules'));
		try {
			const u = new Client('VfOwn', srv.base);
			const mail = email('vf-own');
			Object.assign(u, { email: mail, password: 'correct horse battery' });
			c.redirect(await u.submit('/register', { name: `Olga Own ${UNIQ}`, email: mail,
			    password: u.password, association: 'vaimh' }), '/login?registered=1', 'register');
			const imp = importEndorsees(srv.db, [{ ...P.pat, category: 'IMHM-C' }]);
			c.eq(imp.status, 0, `import: ${imp.stderr}`);
			const token = (await new Client('t', srv.base).post('/api/v1/tokens',
			    { json: { email: mail, password: u.password, label: 'own' } })).json()?.token;
			const api = new Client('api', srv.base);
			const id = (await api.post('/api/v1/applications', { bearer: token,
			    json: { association: 'vaimh', category: 'IFS' } })).json()?.id;
			const put = (list) => api.req('PUT', `/api/v1/applications/${id}/portfolio`,
			    { bearer: token, json: { format: 'endorse-portfolio/1', association: 'vaimh',
			    category: 'IFS', rsc_received: list } });
			const rscReq = async () => ((await api.get(`/api/v1/applications/${id}/checklist`,
			    { bearer: token })).json()?.requirements || []).find((x) => x.id === 'rsc');
			const quinn = { ...rsc(`Quinn Unknown ${UNIQ}`, ['IMHM-C']), hours: 30 };
			c.status(await put([quinn]), 200, 'a declared provider');
			let q1 = await rscReq();
			c.eq(q1?.met, false, 'declared codes do not count');
			c.has(JSON.stringify(q1?.excluded || []), 'declared, not verified in the registry',
			    'and the checklist says why');
			c.status(await put([quinn, { ...rsc(P.pat.name, ['IMHM-C'],
			    { provider_email: P.pat.email }), hours: 30 }]), 200, 'and one in the registry');
			q1 = await rscReq();
			c.eq(q1?.met, true, 'verified codes count');
			c.eq(q1?.have, 30, 'only the verified 30 hours');
		} finally {
			srv.proc.kill('SIGTERM');
			const code = await srv.exited;
			c.eq(code, 0, "the part's own server exits 0");
			c.ok(!/ERROR: (Address|Leak)Sanitizer|runtime error:/.test(srv.err),
			    `no sanitizer report: ${srv.err.slice(-2000)}`);
		}
	});
}
