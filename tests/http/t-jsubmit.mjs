// Issue 16, points 2 and 7: submitting and returning for changes.
// 7: GET /applications/#/submit is a "check your answers" page (the
// portfolio in short, the checklist, the fee, what happens next, a
// declaration that must be ticked); the overview never says "every
// requirement is met" with the exam outstanding; a status line says whom
// the application waits on, the same as the mail (a review cycle).
// 2: a return shows the coordinator's note on the application and the
// dashboard, keeps the round's reviewers and their comments (their
// reviews open again at the resubmission), tells the coordinators and
// reviewers what changed; a reviewer removed after it has no access.
import fs from 'node:fs';
import path from 'node:path';

import { test, sql, one, q, fieldError, errorSummary } from '../lib/client.mjs';
import { U, UNIQ, PDF, email, register, newApp, addEntry, entryIds, upload, portfolioFor, apiToken } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const DAY = Date.UTC(2026, 10, 23) / 1000;
const P = {};
const X = {};
let nend = 0;

const accountId = (u) => one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
const status = (app) => one(`SELECT status FROM application WHERE id = ${Number(app)}`);
const mails = (to, subject) => sql(`SELECT subject, body FROM outbox WHERE recipient = ${q(to)} AND ` +
    `subject = ${q(subject)} ORDER BY id`);
const asgOf = (app, u) => one(`SELECT id FROM assignment WHERE application = ${Number(app)} AND ` +
    `reviewer = ${accountId(u)}`);

function hold(u, category) {
	sql(`INSERT INTO endorsement (number, account, association, category, since, status, name, city, ` +
	    `hidden, created) VALUES (${q(`JS${UNIQ}-${++nend}`)}, ${accountId(u)}, 'vaimh', ` +
	    `${q(category)}, '2020-01-01', 'active', ${q(u.name)}, '', 1, 0)`);
}

async function person(tag, name) {
	const u = await register(tag, `${name} ${UNIQ}`, email(tag.toLowerCase()), 'vaimh');
	u.token = await apiToken(u.email, u.password, 'jsubmit');
	return u;
}

// A portfolio meeting the category but for the exam (the tests'
// applicants hold none), every rating completed, transcripts uploaded.
async function ready(c, u, app, cat) {
	const g = JSON.parse(fs.readFileSync(path.join(ROOT, `tests/golden/check/vaimh/${cat}.json`), 'utf8'));
	const doc = portfolioFor(g, 'vaimh', cat);
	doc.references = doc.references.map((x, i) => ({ ...x, email: `js-${app}-${i}-${UNIQ}@example.org` }));
	const r = await u.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: u.token, json: doc });
	c.status(r, 200, `PUT the ${cat} portfolio`);
	doc.references.forEach((x, i) => sql(`INSERT INTO rating (application, email, name, relationship, hash, ` +
	    `status, expires, sent, answered, answers) VALUES (${app}, ${q(x.email)}, ${q(x.name)}, ` +
	    `${q(x.relationship)}, ${q(`js-${app}-${i}-${UNIQ}`)}, 'completed', ${DAY + 86400 * 30}, ${DAY}, ` +
	    `${DAY}, '{}')`));
	for (const id of await entryIds(u, app, 'education'))
		await upload(u, app, id, PDF);
}

export async function run() {
	P.app = await person('JsApp', 'Jo Submitter');
	P.imhs = await person('JsImhs', 'Ida Examless');
	P.rv1 = await person('JsRevOne', 'Rae Reviewer');
	P.rv2 = await person('JsRevTwo', 'Rex Reviewer');
	for (const u of [P.rv1, P.rv2]) {
		hold(u, 'IFS');
		const r = await U.cSame.submit('/coordinator/reviewers', { email: u.email });
		if (r.status !== 303)
			throw new Error(`reviewer ${u.label}: ${r.status}`);
	}
	const coordEmail = one(`SELECT email FROM account WHERE role = 'coordinator' AND ` +
	    `association = 'vaimh' ORDER BY id LIMIT 1`);

	// ------------------------------------------------------------ point 7
	await test('submit (16.7): the overview links to a check page; GET /applications/#/submit shows the portfolio in short, the checklist, the fee, what happens next and a declaration', async (c) => {
		X.app = await newApp(P.app, 'vaimh/IFS');
		await ready(c, P.app, X.app, 'IFS');
		let r = await P.app.get(`/applications/${X.app}`);
		c.has(r.text, `href="/applications/${X.app}/submit"`, 'the overview links to the check page');
		c.has(r.text, 'Waiting on you: check your answers and submit it.', 'whom it waits on');
		r = await P.app.get(`/applications/${X.app}/submit`);
		c.status(r, 200, 'GET the check page');
		for (const s of ['Check your answers before you submit', 'Education', 'Change<span class="visually-hidden"> Education',
		    'Checklist:', 'The processing fee is set by your association', 'What happens next',
		    'No review cycle is open now: it waits for the next one the association opens.',
		    'The coordinator assigns 2 reviewers', 'This category has no exam',
		    'gives no typical time for review', 'id="f-declare"', 'name="declare"',
		    `action="/applications/${X.app}/submit"`])
			c.has(r.text, s, s);
		c.lacks(r.text, 'weeks', 'no number of weeks: no rule set or setting gives one');
		c.status(await P.rv1.get(`/applications/${X.app}/submit`), 404, "another person: no check page");
	});

	await test('submit (16.7): without the declaration ticked, 400 by the field on the check page, nothing submitted', async (c) => {
		const r = await P.app.submit(`/applications/${X.app}/submit`, {});
		c.status(r, 400, 'refused');
		c.has(fieldError(r.text, 'declare') || '', 'tick the box to declare', 'the message by the box');
		c.has(errorSummary(r.text) || '', 'href="#f-declare"', 'the summary links to the box');
		c.has(r.text, 'Check your answers before you submit', 'the same page');
		c.eq(status(X.app), 'draft', 'still a draft');
		c.eq(mails(P.app.email, 'Your application is submitted').length, 0, 'no mail');
	});

	await test('submit (16.7): ticked, it is submitted; the status says it waits for a review cycle, as the mail does', async (c) => {
		c.redirect(await P.app.submit(`/applications/${X.app}/submit`, { declare: 'yes' }),
		    `/applications/${X.app}`, 'submitted');
		c.eq(status(X.app), 'submitted', 'stored');
		const m = mails(P.app.email, 'Your application is submitted');
		c.has(m.at(-1)?.body || '', 'It will enter the next review cycle', 'the mail: waits for a cycle');
		let r = await P.app.get(`/applications/${X.app}`);
		c.lacks(r.text, 'in review', 'not "in review"');
		c.has(r.text, 'Status: Submitted</h2>', 'the status: submitted, not in review');
		c.has(r.text, 'Waiting on a review cycle', 'whom it waits on');
		r = await P.app.get('/dashboard');
		c.has(r.text, 'Waiting on a review cycle', 'the dashboard too');
	});

	await test('submit (16.7): an IMHS portfolio without the exam says what remains, never "every requirement is met"', async (c) => {
		X.imhs = await newApp(P.imhs, 'vaimh/IMHS');
		await ready(c, P.imhs, X.imhs, 'IMHS');
		let r = await P.imhs.get(`/applications/${X.imhs}`);
		c.lacks(r.text, 'Every requirement is met', 'no "every requirement is met"');
		c.has(r.text, 'Ready to submit; the exam comes after review', 'what remains');
		r = await P.imhs.get(`/applications/${X.imhs}/submit`);
		c.has(r.text, 'This category has an exam: it comes after review', 'the check page names the exam');
	});

	// ------------------------------------------------------------ point 2
	await test('return (16.2): reviewers assigned and reviewed; the coordinator returns it with a note shown on the application and the dashboard', async (c) => {
		for (const u of [P.rv1, P.rv2]) {
			c.redirect(await U.cSame.submit(`/coordinator/applications/${X.app}/assign`,
			    { reviewer: String(accountId(u)) }), `/coordinator/applications/${X.app}#reviewers`, `assign ${u.label}`);
			X[u.label] = asgOf(X.app, u);
		}
		let r = await P.app.get(`/applications/${X.app}`);
		c.has(r.text, 'Waiting on the reviewers: 0 of 2 reviews submitted.', 'waits on the reviewers');
		c.redirect(await P.rv1.submit(`/review/${X.JsRevOne}`, { recommendation: 'defer', final: 'yes',
		    missing: 'The supervisors.', comment_work: 'Which months were supervised?',
		    to_applicant: 'Say who supervised.' }),
		    `/review/${X.JsRevOne}`, 'rv1 submits');
		c.redirect(await P.rv2.submit(`/review/${X.JsRevTwo}`, { recommendation: 'endorse', final: 'no',
		    comment_education: 'Fine.' }), `/review/${X.JsRevTwo}?saved=1`, 'rv2 saves a draft');
		// One training more than at the return, to be removed after it.
		X.extra = Number(one(`INSERT INTO entry (application, kind, data, created) SELECT application, kind, ` +
		    `data, created FROM entry WHERE application = ${X.app} AND kind = 'training' LIMIT 1 RETURNING id`));
		c.redirect(await U.cSame.submit(`/coordinator/applications/${X.app}/unlock`,
		    { note: 'Name your supervisor for each position.' }), `/coordinator/applications/${X.app}`, 'returned');
		r = await P.app.get(`/applications/${X.app}`);
		c.has(r.text, 'Name your supervisor for each position.', 'the note on the application');
		c.has(r.text, 'Returned to you for changes on November 23, 2026', 'when, as people write it');
		c.has(r.text, 'Waiting on you: the coordinator returned it', 'whom it waits on');
		r = await P.app.get('/dashboard');
		c.has(r.text, 'Name your supervisor for each position.', 'the note on the dashboard');
		c.eq(one(`SELECT count(*) FROM assignment WHERE application = ${X.app}`), 2, 'the assignments stay');
	});

	await test('return (16.2): the resubmission keeps the reviewers with their comments, opens their reviews, and mails the coordinator and reviewers what changed', async (c) => {
		const work = (await entryIds(P.app, X.app, 'work'))[0];
		sql(`UPDATE entry SET data = json_set(data, '$.employer', 'Early Steps of Dr. Lee') WHERE id = ${work}`);
		await addEntry(P.app, X.app, 'training', { title: 'Observation seminar', date: '2025-03-01',
		    hours: '30', role: 'attended' });
		sql(`DELETE FROM entry WHERE id = ${X.extra}`);
		c.redirect(await P.app.submit(`/applications/${X.app}/submit`, { declare: 'yes' }),
		    `/applications/${X.app}`, 'resubmitted');
		c.eq(status(X.app), 'submitted', 'submitted again');
		c.eq(one(`SELECT count(*) FROM assignment WHERE application = ${X.app}`), 2, 'both assignments stay');
		c.eq(one(`SELECT done FROM assignment WHERE id = ${X.JsRevOne}`), null, "rv1's review is open again");
		c.eq(one(`SELECT comments FROM assignment WHERE id = ${X.JsRevOne}`).includes('Which months were supervised?'),
		    true, "rv1's comment kept");
		let r = await P.rv1.get(`/review/${X.JsRevOne}`);
		c.status(r, 200, 'rv1 still reviews it');
		c.has(r.text, 'Which months were supervised?', 'rv1 sees the earlier comment');
		r = await P.rv2.get(`/review/${X.JsRevTwo}`);
		c.status(r, 200, 'rv2 still reviews it');
		c.has(r.text, 'Fine.', "rv2's draft comment kept");
		c.redirect(await P.rv1.submit(`/review/${X.JsRevOne}`, { recommendation: 'endorse', final: 'yes',
		    comment_work: 'Now clear.' }), `/review/${X.JsRevOne}`, 'rv1 revises and submits');
		c.eq(one(`SELECT recommendation FROM assignment WHERE id = ${X.JsRevOne}`), 'endorse', 'revised');
		const cm = mails(coordEmail, 'An application returned for changes was submitted again');
		c.eq(cm.length >= 1, true, 'the coordinator is mailed');
		for (const s of ['Name your supervisor for each position.', 'An entry on the Work tab was changed.',
		    'An entry on the Training tab was added.', 'An entry on the Training tab was removed.', `/coordinator/applications/${X.app}`])
			c.has(cm.at(-1)?.body || '', s, `coordinator's mail: ${s}`);
		for (const u of [P.rv1, P.rv2]) {
			const m = mails(u.email, 'An application you review was submitted again');
			c.has(m.at(-1)?.body || '', 'An entry on the Work tab was changed.', `${u.label} told what changed`);
			c.has(m.at(-1)?.body || '', `/review/${asgOf(X.app, u)}`, `${u.label}: the link`);
		}
	});

	await test('return (16.2): a reviewer removed after the resubmission has no access; the other keeps it', async (c) => {
		c.redirect(await U.cSame.submit(`/coordinator/applications/${X.app}/assignments/${X.JsRevTwo}/delete`),
		    `/coordinator/applications/${X.app}#reviewers`, 'rv2 removed');
		for (const p of [`/applications/${X.app}`, `/review/${X.JsRevTwo}`]) {
			const r = await P.rv2.get(p);
			c.status(r, 404, `rv2: ${p}`);
			c.lacks(r.text, P.app.name, `rv2 sees nothing at ${p}`);
		}
		c.status(await P.rv1.get(`/applications/${X.app}`), 200, 'rv1 still reads it');
	});

	await test('return (16.2): a deferral still begins a new round (its old reviewers lose access)', async (c) => {
		const app = await newApp(P.imhs, 'vaimh/IFS');
		await ready(c, P.imhs, app, 'IFS');
		c.redirect(await P.imhs.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`, 'submit');
		c.redirect(await U.cSame.submit(`/coordinator/applications/${app}/assign`,
		    { reviewer: String(accountId(P.rv1)) }), `/coordinator/applications/${app}#reviewers`, 'assign');
		sql(`UPDATE application SET status = 'deferred' WHERE id = ${app}`);
		sql(`UPDATE assignment SET assigned = assigned - 10 WHERE application = ${app}`);
		c.redirect(await P.imhs.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`, 'again');
		c.status(await P.rv1.get(`/applications/${app}`), 404, 'the old round gives no access');
	});
}
