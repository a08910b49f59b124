// The ERS add-on with Emerging status (issue 5), through the whole
// workflow on the mail suite's server: an INfancy Onward Family
// Specialist applies for ERS without the 12 months of providing RSC, is
// reviewed and endorsed as Emerging with the two-year deadline recorded;
// then applies again with the full requirements and the same endorsement
// loses its deadline.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Client, sql, one, q } from '../lib/client.mjs';

const ROOT = process.env.HTTP_ROOT;
const TMP = process.env.HTTP_TMP;
const A = 'infancy-onward';

function linkIn(body) {
	const m = body.match(/http:\/\/[^\s]+(\/rate\/[0-9a-f]{64})/);
	return m ? m[1] : null;
}

export async function ers(ctx) {
	const { test, until, register, coordinator, mailTo, UNIQ } = ctx;
	const S = {};
	const doc = (full) => {
		const d = JSON.parse(readFileSync(`${ROOT}/tests/golden/check/${A}/ERS-emerging.json`, 'utf8'));
		d.references = d.references.map((r, i) => ({ ...r,
		    email: `ers-rater${i}-${full ? 'f' : 'e'}-${UNIQ}@example.org` }));
		delete d.as_of;
		if (full) {	// the Full option of the rule set (ERS-emerging.cases):
				// seed 004's 15 hours, its year and its 12 hours
			d.rsc_provided[0].start = '2025-09-01';
			d.rsc_received[2].hours = 12;
			d.training = [{ title: 'RSC series', date: '2026-05-01',
			    hours: 15, topics: ['rsc_provision'], role: 'attended' }];
		}
		return d;
	};

	// Through ratings, submission and one review to the decision.
	async function toDecision(c, full) {
		let r = await S.H.submit('/applications', { choice: `${A}/ERS` });
		const app = Number((r.location || '').match(/^\/applications\/(\d+)$/)?.[1]);
		c.ok(app > 0, `an ERS application: ${r.status} ${r.text.slice(0, 200)}`);
		r = await S.H.submitMultipart(`/applications/${app}/import`, (fd) =>
		    fd.append('portfolio', new Blob([JSON.stringify(doc(full))]), 'p.json'));
		c.redirect(r, /\?imported=1$/, 'import');
		const refs = sql(`SELECT id, json_extract(data, '$.email') AS email FROM entry ` +
		    `WHERE application = ${app} AND kind = 'references' ORDER BY id`);
		c.eq(refs.length, 2, 'two references');
		for (const e of refs) {
			await S.H.submit(`/applications/${app}/entries/${e.id}/request`, {});
			const m = await until(`mail to ${e.email}`, () => mailTo(e.email)[0]);
			const rater = new Client('ers-rater');
			const form = await rater.get(linkIn(m.body));
			const n = new Set([...form.text.matchAll(/name="(item\d+)"/g)].map((x) => x[1])).size;
			const f = { action: 'rate', recommend: 'yes', comments: 'A thoughtful supervisor' };
			for (let i = 0; i < n; i++) f[`item${i}`] = String(1 + (i % 4));
			c.status(await rater.submit(linkIn(m.body), f), 200, `rating by ${e.email}`);
		}
		c.redirect(await S.H.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`, 'submit');
		const reviewer = one(`SELECT id FROM account WHERE email = ${q(S.R.email)}`);
		c.redirect(await S.C.submit(`/coordinator/applications/${app}/assign`,
		    { reviewer: String(reviewer) }), /\/coordinator\/applications\//, 'assign');
		const asg = one(`SELECT id FROM assignment WHERE application = ${app}`);
		c.redirect(await S.R.submit(`/review/${asg}`, [['recommendation', 'endorse'],
		    ['missing', ''], ['to_applicant', 'Ready.'], ['final', 'yes']]), /\/review/, 'review');
		c.redirect(await S.C.submit(`/coordinator/applications/${app}/decide`,
		    { decision: 'endorse', note: full ? 'The full requirements are met.' :
		    'Endorsed with Emerging status.' }), /\/coordinator\/applications\//, 'endorse');
		c.eq(one(`SELECT status FROM application WHERE id = ${app}`), 'endorsed', 'endorsed');
		return app;
	}

	await test('ers: a Family Specialist applies for ERS as Emerging and gets the two-year deadline', async (c) => {
		S.H = await register(`Hana Supervisor ${UNIQ}`, `hana-${UNIQ}@example.org`, A);
		S.R = await register(`Remy Reviewer ${UNIQ}`, `remy-${UNIQ}@example.org`, A);
		const csv = `${TMP}/ers-endorsees.csv`;
		writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
		    `IN-ERS-${UNIQ}-1,${S.H.name},${S.H.email},ECFS,2024-03-15,active,\n` +
		    `IN-ERS-${UNIQ}-2,${S.R.name},${S.R.email},ECMHM-C,2015-01-01,active,\n`);
		execFileSync(process.env.HTTP_BIN, ['import', 'endorsees', '--db', process.env.HTTP_DB,
		    '--association', A, '--rules', `${ROOT}/rules`, csv], { encoding: 'utf8' });
		S.C = new Client('in-coord');
		const co = coordinator(A);
		await S.C.submit('/login', co);
		c.redirect(await S.C.submit('/coordinator/reviewers', { email: S.R.email }),
		    /\/coordinator\/reviewers/, 'a reviewer');
		c.redirect(await S.C.submit('/coordinator/cycles', { name: `ERS ${UNIQ}`,
		    opens: '2026-11-01', closes: '2027-01-31' }), /\/coordinator\/cycles/, 'a cycle');
		S.app1 = await toDecision(c, false);
		const e = sql(`SELECT id, number, category, emerging_until FROM endorsement WHERE ` +
		    `application = ${S.app1}`)[0];
		c.eq(e?.category, 'ERS', 'an ERS endorsement');
		c.eq(e?.emerging_until, '2028-11-23', 'Emerging: the full requirements within 24 months');
		S.number = e?.number;
		const page = await S.H.get('/renewal');
		c.has(page.text, 'Emerging: the full requirements are due November 23, 2028', 'the endorsee sees the deadline');
		c.has(page.text, 'an add-on: it renews with the endorsement it is added to',
		    'the add-on renews with the Family Specialist endorsement');
	});

	await test('ers: applying again with the full requirements ends Emerging status, same number', async (c) => {
		const app2 = await toDecision(c, true);
		c.eq(sql(`SELECT number, emerging_until, status FROM endorsement WHERE account = ` +
		    `(SELECT id FROM account WHERE email = ${q(S.H.email)}) AND category = 'ERS'`),
		    [{ number: S.number, emerging_until: null, status: 'active' }],
		    'one ERS endorsement, no deadline any more');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'endorsement' AND action = 'emerging-met' ` +
		    `AND json_extract(detail, '$.application') = ${app2}`), 1, 'recorded');
		const page = await S.H.get('/renewal');
		c.lacks(page.text, 'Emerging: the full requirements are due', 'no deadline shown');
	});
}
