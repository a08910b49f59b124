// Issue 15, points 4, 5 and 7: conflicts of interest (nobody reviews,
// scores or decides an application in which they are the applicant, a
// rater or the applicant's RSC provider; a coordinator's own application
// goes to another coordinator; a decision against unanimous reviewers
// needs a written reason the history keeps), access to review material
// only for a current reviewer with an assignment in the current round,
// and one rule for when an exam counts (no session in the past, no score
// before the session, the result mail and the decision agree).
// Applications reach 'submitted' or 'exam' and reviewers are made through
// the store, as in t-review and t-exam; everything an attacker does goes
// through the pages.
import fs from 'node:fs';
import path from 'node:path';

import { test, sql, one, q, fieldError } from '../lib/client.mjs';
import {
	U, UNIQ, TODAY, PDF, email, register, login, fork, newApp, addEntry, apiToken, portfolioFor,
	upload,
} from './common.mjs';

const P = {};		// the people of these tests
const X = {};		// ids
const DAY = Date.UTC(2026, 10, 23) / 1000;

function accountId(u) {
	return one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
}

function makeReviewer(u, assoc = 'vaimh') {
	sql(`INSERT INTO reviewer (account, association, created) VALUES ` +
	    `(${accountId(u)}, ${q(assoc)}, 0)`);
}

// Submitted at time t (the round starts then).
function submitted(app, t = DAY) {
	sql(`UPDATE application SET status = 'submitted', submitted = ${t}, fee_owed = 0 ` +
	    `WHERE id = ${Number(app)}`);
}

function status(app) {
	return one(`SELECT status FROM application WHERE id = ${Number(app)}`);
}

function assignment(app, u) {
	return one(`SELECT id FROM assignment WHERE application = ${Number(app)} AND ` +
	    `reviewer = ${accountId(u)} ORDER BY id DESC LIMIT 1`);
}

// An assignment made through the store (before a conflict was known).
function assignDirect(app, u, t = DAY + 60) {
	sql(`INSERT INTO assignment (application, reviewer, assigned) VALUES ` +
	    `(${Number(app)}, ${accountId(u)}, ${t})`);
	return assignment(app, u);
}

function rating(app, mail, name, st = 'sent') {
	sql(`INSERT INTO rating (application, email, name, relationship, hash, status, expires, ` +
	    `sent, answered, answers) VALUES (${Number(app)}, ${q(mail)}, ${q(name)}, 'supervisor', ` +
	    `${q(`cf-${UNIQ}-${Math.random()}`)}, ${q(st)}, ${DAY + 86400 * 30}, ${DAY}, ` +
	    `${st === 'completed' ? DAY : 'NULL'}, ${st === 'completed' ? q('{}') : 'NULL'})`);
	return one(`SELECT max(id) FROM rating WHERE application = ${Number(app)}`);
}

const assign = (app, u, who = U.cSame) => who.submit(`/coordinator/applications/${app}/assign`,
    { reviewer: String(accountId(u)) });
const decide = (app, form, who = U.cSame) => who.submit(`/coordinator/applications/${app}/decide`, form);
const review = (u, asg, rec, extra = {}) => u.submit(`/review/${asg}`,
    { recommendation: rec, final: 'yes', missing: rec === 'defer' ? 'more RSC' : '', ...extra });

async function person(tag, name, assoc = 'vaimh') {
	return register(tag, `${name} ${UNIQ}`, email(tag.toLowerCase()), assoc);
}

async function people() {
	P.app = await person('CfApplicant', 'Cora Conflicted');
	P.app2 = await person('CfApplicant2', 'Cyril Unanimous');
	P.app3 = await person('CfApplicant3', 'Clara Removed');
	P.app4 = await person('CfApplicant4', 'Cecil Rounds');
	P.app5 = await person('CfApplicant5', 'Celia Examdate');
	P.app6 = await person('CfApplicant6', 'Cosima Passed');
	P.rater = await person('CfRater', 'Rory Raterreviewer');
	P.prov = await person('CfProv', 'Petra Providerreviewer');
	P.r1 = await person('CfR1', 'Ramona Fair');
	P.r2 = await person('CfR2', 'Rupert Fair');
	P.gone = await person('CfGone', 'Gus Removed');
	P.k = await person('CfCoord', 'Kim Coordinator');
	P.b = await person('CfOwner', 'Bea Elsewhere', 'infancy-onward');
	P.app5.token = await apiToken(P.app5.email, P.app5.password, 'conflict');
	P.app6.token = await apiToken(P.app6.email, P.app6.password, 'conflict');
	for (const k of ['rater', 'prov', 'r1', 'r2', 'gone'])
		makeReviewer(P[k]);
	// A second coordinator of vaimh who applies there too.
	sql(`UPDATE account SET role = 'coordinator', association = 'vaimh' WHERE id = ${accountId(P.k)}`);
	await login(P.k);
}

export async function run() {
	await people();

	// ------------------------------------------------ point 4: conflicts
	X.own = await newApp(P.k, 'vaimh/IFS');
	submitted(X.own);
	X.b = await newApp(P.b, 'infancy-onward/IFS');
	submitted(X.b);
	sql(`UPDATE application SET account = ${accountId(U.cOther)} WHERE id = ${X.b}`);

	await test('conflict: a coordinator cannot assign reviewers to or decide on their own application (403); another coordinator can', async (c) => {
		let r = await assign(X.own, P.r1, P.k);
		c.status(r, 403, 'assign on their own application');
		c.has(fieldError(r.text, 'reviewer') || '', 'you are the applicant', 'says why beside the field');
		c.eq(one(`SELECT count(*) FROM assignment WHERE application = ${X.own}`), 0, 'nothing assigned');
		r = await decide(X.own, { decision: 'defer', note: 'I defer myself.' }, P.k);
		c.status(r, 403, 'decide on their own application');
		c.has(fieldError(r.text, 'decision') || '', 'another coordinator of', 'says who decides');
		c.eq(status(X.own), 'submitted', 'status unchanged');
		r = await decide(X.own, { decision: 'endorse', note: '' }, P.k);
		c.status(r, 403, 'endorse their own application');
		c.eq(one(`SELECT count(*) FROM endorsement WHERE account = ${accountId(P.k)}`), 0, 'no endorsement');
		const page = await P.k.get(`/coordinator/applications/${X.own}`);
		c.status(page, 200, 'the coordinator still sees their application');
		c.has(page.text, 'another coordinator of', 'the page says another coordinator decides it');
		c.lacks(page.text, `action="/coordinator/applications/${X.own}/decide"`, 'no decision form');
		c.lacks(page.text, `action="/coordinator/applications/${X.own}/assign"`, 'no assign form');
		const list = await P.k.get('/coordinator');
		c.has(list.text, `/coordinator/applications/${X.own}`, 'the list shows it');
		c.has(list.text, 'your own: another coordinator decides it', 'marked as their own');
		c.status(await assign(X.own, P.r1), 303, 'the other coordinator assigns');
	});

	await test('conflict: with no other coordinator the page says so, and the decision is still refused (403)', async (c) => {
		const page = await U.cOther.get(`/coordinator/applications/${X.b}`);
		c.status(page, 200, 'the page');
		c.has(page.text, 'has no other coordinator', 'says there is no other coordinator');
		const r = await decide(X.b, { decision: 'deny', note: '' }, U.cOther);
		c.status(r, 403, 'decide');
		c.eq(status(X.b), 'submitted', 'unchanged');
	});

	X.app = await newApp(P.app, 'vaimh/IFS');
	await addEntry(P.app, X.app, 'rsc_received', { provider: `  ${P.prov.name.toUpperCase()} `,
	    provider_endorsements: '', format: 'individual', start: '2019-01-01', end: '2020-06-30',
	    hours: '26', focus: 'practice' });
	rating(X.app, P.rater.email.toUpperCase(), 'Rory Raterreviewer');
	submitted(X.app);

	await test('conflict: a rater (any case) and the RSC provider (by name) cannot be assigned (400, field reviewer)', async (c) => {
		for (const [who, u, why] of [['the rater', P.rater, 'rater'], ['the RSC provider', P.prov, 'RSC provider']]) {
			const r = await assign(X.app, u);
			c.status(r, 400, who);
			c.has(fieldError(r.text, 'reviewer') || '', why, `${who}: says why`);
			c.eq(assignment(X.app, u), undefined, `${who}: not assigned`);
		}
	});

	await test('conflict: a rater or RSC provider assigned before it was known cannot open or submit the review (404), nor read the application', async (c) => {
		for (const [who, u] of [['the rater', P.rater], ['the RSC provider', P.prov]]) {
			const asg = assignDirect(X.app, u);
			c.status(await u.get(`/review/${asg}`), 404, `${who}: the review form`);
			c.status(await u.get(`/applications/${X.app}`), 404, `${who}: the application`);
			c.status(await review(u, asg, 'endorse'), 404, `${who}: submit`);
			c.eq(one(`SELECT done FROM assignment WHERE id = ${asg}`), null, `${who}: nothing counted`);
		}
	});

	// Two fair reviewers who both deny; the coordinator approves for the exam.
	X.una = await newApp(P.app2, 'vaimh/IMHS');
	submitted(X.una);
	await test('conflict: a decision against unanimous reviewers needs a reason (400, field reason); with one it is stored and the history shows it', async (c) => {
		c.status(await assign(X.una, P.r1), 303, 'assign r1');
		c.status(await assign(X.una, P.r2), 303, 'assign r2');
		c.status(await review(P.r1, assignment(X.una, P.r1), 'deny'), 303, 'r1 denies');
		c.status(await review(P.r2, assignment(X.una, P.r2), 'deny'), 303, 'r2 denies');
		let r = await decide(X.una, { decision: 'exam', note: 'Go ahead.' });
		c.status(r, 400, 'no reason');
		c.has(fieldError(r.text, 'reason') || '', 'write why you decide otherwise', 'the message beside reason');
		c.eq(status(X.una), 'submitted', 'unchanged');
		r = await decide(X.una, { decision: 'exam', note: 'Go ahead.', reason: '   ' });
		c.status(r, 400, 'a blank reason');
		const why = `Both reviews predate the new transcript ${UNIQ}`;
		r = await decide(X.una, { decision: 'exam', note: 'Go ahead.', reason: why });
		c.status(r, 303, 'with a reason');
		c.eq(status(X.una), 'exam', 'decided');
		c.eq(one(`SELECT json_extract(detail, '$.reason') FROM audit WHERE what = 'application' ` +
		    `AND row_id = ${X.una} AND action = 'decision'`), why, 'the audit row keeps it');
		const page = await U.cSame.get(`/coordinator/applications/${X.una}`);
		c.has(page.text, `reason: ${why}`, 'the history shows it');
	});

	// ------------------------------------------------ point 5: access
	X.rm = await newApp(P.app3, 'vaimh/IFS');
	X.rmRating = rating(X.rm, email('cf-rater3'), 'Rhoda Rater', 'completed');
	submitted(X.rm);
	await test('access: a removed reviewer cannot read ratings or the application, and a review they submit is refused (404)', async (c) => {
		c.status(await assign(X.rm, P.gone), 303, 'assign');
		const asg = assignment(X.rm, P.gone);
		c.status(await P.gone.get(`/applications/${X.rm}/ratings/${X.rmRating}`), 200, 'reads the rating while assigned');
		c.status(await P.gone.get(`/review/${asg}`), 200, 'the review form while assigned');
		c.status(await U.cSame.submit(`/coordinator/reviewers/${accountId(P.gone)}/delete`, {}), 303, 'removed');
		// The removed keep nothing (issue 17): their session ended, and
		// logged in again they reach nothing of the application.
		const dead = await P.gone.get(`/applications/${X.rm}`);
		c.ok(dead.status === 303 && /\/login/.test(dead.headers.get('location') || ''),
		    `the old session is ended: ${dead.status} ${dead.headers.get('location')}`);
		P.gone = await fork(P.gone, 'gone-again');
		const rr = await P.gone.get(`/applications/${X.rm}/ratings/${X.rmRating}`);
		c.ok(rr.status === 403 || rr.status === 404, `the rating after removal: ${rr.status}`);
		c.status(await P.gone.get(`/applications/${X.rm}`), 404, 'the application');
		c.status(await P.gone.get(`/review/${asg}`), 404, 'the review form');
		const r = await review(P.gone, asg, 'endorse');
		c.ok(r.status === 403 || r.status === 404, `submit after removal: ${r.status}`);
		c.eq(one(`SELECT count(*) FROM assignment WHERE id = ${asg} AND done IS NOT NULL`), 0, 'the review did not count');
		c.eq(one(`SELECT count(*) FROM assignment WHERE id = ${asg}`), 0, 'the open review was released at the removal');
		const list = await P.gone.get('/review');
		c.lacks(list.text, `/review/${asg}"`, 'the open review is off their list');
		c.lacks(list.text, P.app3.name, 'nor the applicant\'s name');
	});

	X.rd = await newApp(P.app4, 'vaimh/IFS');
	submitted(X.rd, DAY - 3600);
	await test('access: a reviewer of a finished earlier round cannot read the application after a new round (404)', async (c) => {
		c.status(await assign(X.rd, P.r1), 303, 'assign r1');
		c.status(await assign(X.rd, P.r2), 303, 'assign r2');
		const a1 = assignment(X.rd, P.r1);
		sql(`UPDATE assignment SET assigned = ${DAY - 1800} WHERE application = ${X.rd}`);
		c.status(await review(P.r1, a1, 'defer'), 303, 'r1 recommends defer');
		c.status(await review(P.r2, assignment(X.rd, P.r2), 'defer'), 303, 'r2 recommends defer');
		c.status(await decide(X.rd, { decision: 'defer', note: 'Add RSC.' }), 303, 'deferred');
		c.status(await P.r1.get(`/applications/${X.rd}`), 200, 'r1 reads the application of their round');
		// The applicant submits again: a new round.
		submitted(X.rd, DAY);
		c.status(await P.r1.get(`/applications/${X.rd}`), 404, 'the application after a new round');
		c.status(await P.r1.get(`/review/${a1}`), 404, 'the old review form');
		c.status(await P.r1.get(`/applications/${X.rd}/tab/work`), 404, 'a tab');
		const list = await P.r1.get('/review');
		c.lacks(list.text, `href="/review/${a1}"`, 'the list no longer links the old review');
		c.has(list.text, `Application ${X.rd} (closed to you`, 'but still lists it');
	});

	// ------------------------------------------------ point 7: exam dates
	await test('exam dates: a session in the past is refused (400, field date), nothing stored', async (c) => {
		const before = one("SELECT count(*) FROM exam_session WHERE association = 'vaimh'");
		const r = await U.cSame.submit('/coordinator/exams', { date: '2026-11-20', place: 'online' });
		c.status(r, 400, 'a past date');
		c.has(fieldError(r.text, 'date') || '', 'has passed', 'says why beside date');
		c.eq(one("SELECT count(*) FROM exam_session WHERE association = 'vaimh'"), before, 'nothing stored');
	});

	X.ex = await newApp(P.app5, 'vaimh/IMHS');
	sql(`UPDATE application SET status = 'exam' WHERE id = ${X.ex}`);
	await test('exam dates: no score before the session (409 naming the field); no "passed" mail the decision would contradict', async (c) => {
		let r = await U.cSame.submit('/coordinator/exams', { date: '2026-12-10', place: 'online' });
		c.status(r, 303, 'a session to come');
		const sid = Number((r.location || '').split('/').pop());
		r = await U.cSame.submit(`/coordinator/exams/${sid}/register`, { application: String(X.ex) });
		c.status(r, 303, 'registered');
		const reg = one(`SELECT id FROM exam_registration WHERE application = ${X.ex}`);
		r = await U.cSame.submit(`/coordinator/exams/${sid}/registrations/${reg}`, { part1: '55' });
		c.status(r, 409, 'part 1 before the session');
		c.has(r.text, 'has not taken place yet', 'says why');
		const v = await P.r1.get('/review/vignettes');
		c.lacks(v.text, `/review/vignettes/${reg}"`, 'not offered to score yet');
		r = await P.r1.submit(`/review/vignettes/${reg}`, { score: '9' });
		c.status(r, 409, 'a vignette score before the session');
		await P.r2.submit(`/review/vignettes/${reg}`, { score: '9' });
		const row = sql(`SELECT part1, score_a, score_b, result FROM exam_registration WHERE id = ${reg}`)[0];
		c.eq(row, { part1: null, score_a: null, score_b: null, result: null }, 'no score stored');
		// Whatever was mailed, the checklist and the decision agree with it.
		const passed = one(`SELECT count(*) FROM outbox WHERE recipient = ${q(P.app5.email)} AND ` +
		    `subject = 'Your exam result' AND body LIKE 'You passed%'`);
		const ck = await P.app5.get(`/api/v1/applications/${X.ex}/checklist`, { bearer: P.app5.token });
		const met = (ck.json()?.requirements || []).find((x) => x.id === 'exam')?.met;
		c.ok(passed === 0 || met === true, `a "passed" mail (${passed}) while the checklist's exam is met: ${met}`);
		r = await decide(X.ex, { decision: 'endorse', note: '' });
		c.ok(passed === 0 || !/exam is not passed/.test(fieldError(r.text, 'decision') || ''),
		    'a "passed" mail and a decision refused as "exam not passed"');
	});

	await test('exam dates: a session held today: a rater cannot score it (403); the "passed" mail, the checklist and the endorsement agree', async (c) => {
		const app = await newApp(P.app6, 'vaimh/IMHS');
		const doc = portfolioFor(JSON.parse(fs.readFileSync(path.join(process.env.HTTP_ROOT,
		    'tests/golden/check/vaimh/IMHS.json'), 'utf8')), 'vaimh', 'IMHS');
		doc.references = doc.references.map((x, i) => ({ ...x, email: `cf-${app}-${i}-${UNIQ}@example.org` }));
		let r = await P.app6.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: P.app6.token, json: doc });
		c.status(r, 200, 'the golden IMHS portfolio');
		// A transcript is an uploaded PDF, never the document's flag.
		const edu = sql(`SELECT id FROM entry WHERE application = ${app} AND kind = 'education' ORDER BY id`);
		for (const [i, e] of doc.education.entries())
			if (e.transcript === true)
				c.status(await upload(P.app6, app, edu[i].id, PDF), 303, `transcript of degree ${i}`);
		doc.references.forEach((x) => rating(app, x.email, x.name, 'completed'));
		submitted(app);
		for (const u of [P.r1, P.r2]) {
			c.status(await assign(app, u), 303, `assign ${u.name}`);
			c.status(await review(u, assignment(app, u), 'exam'), 303, `${u.name} recommends the exam`);
		}
		c.status(await decide(app, { decision: 'exam', note: 'Approved for the exam.' }), 303, 'approved for the exam');
		r = await U.cSame.submit('/coordinator/exams', { date: TODAY, place: 'online' });
		c.status(r, 303, 'a session today');
		const sid = Number((r.location || '').split('/').pop());
		c.status(await U.cSame.submit(`/coordinator/exams/${sid}/register`, { application: String(app) }), 303, 'registered');
		const reg = one(`SELECT id FROM exam_registration WHERE application = ${app}`);
		c.status(await U.cSame.submit(`/coordinator/exams/${sid}/registrations/${reg}`, { part1: '55' }), 303, 'part 1');
		// A reviewer the applicant asked for a rating does not score it.
		rating(app, P.rater.email, 'Rory Raterreviewer');
		c.lacks((await P.rater.get('/review/vignettes')).text, `/review/vignettes/${reg}"`, 'a rater is not offered it');
		c.status(await P.rater.submit(`/review/vignettes/${reg}`, { score: '10' }), 403, 'a rater scores');
		c.eq(one(`SELECT score_a FROM exam_registration WHERE id = ${reg}`), null, 'nothing stored');
		c.status(await P.r1.submit(`/review/vignettes/${reg}`, { score: '8' }), 303, 'score a');
		c.status(await P.r2.submit(`/review/vignettes/${reg}`, { score: '7' }), 303, 'score b');
		c.eq(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(P.app6.email)} AND ` +
		    `subject = 'Your exam result' AND body LIKE 'You passed%'`), 1, 'the "passed" mail');
		const ck = await P.app6.get(`/api/v1/applications/${app}/checklist`, { bearer: P.app6.token });
		c.eq((ck.json()?.requirements || []).find((x) => x.id === 'exam')?.met, true, 'the checklist: exam met');
		r = await decide(app, { decision: 'endorse', note: 'Welcome.' });
		c.status(r, 303, `the decision endorses: ${fieldError(r.text, 'decision')}`);
		c.eq(status(app), 'endorsed', 'endorsed');
	});
}
