// Review and decision: the coordinator's page of an application, reviewers
// made from endorsees, assignment with its refusals (the applicant, a
// rater or reference, a non-reviewer, too many), the reviewer's form (a
// draft, then a final recommendation that no longer changes), a
// disagreement mailed to the coordinator, the decision with its refusals,
// defer -> editable again, unlock, review cycles; and who sees what: a
// reviewer only their assignments, a coordinator only their association.
// Submission belongs to another page: applications reach 'submitted'
// through the store, and endorsements (what makes someone eligible as a
// reviewer) are inserted there too, hidden from the registry's searches.
import { test, sql, one, q, fieldError, checked, inputValue, errorSummary } from '../lib/client.mjs';
import { U, UNIQ, GOLDEN_IFS, email, register, newApp, addEntry, portfolioFor, apiToken } from './common.mjs';

const P = {};		// the people of these tests
const X = {};		// ids
const DAY = Date.UTC(2026, 10, 23) / 1000;
const TIME_RE = /\bNovember 2\d, 2026 at \d\d:\d\d\b/;
let nend = 0;

function accountId(u) {
	return one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
}

// An endorsement of the association (hidden: the registry tests count
// what a search finds).
function endorse(u, assoc = 'vaimh', status = 'active') {
	sql(`INSERT INTO endorsement (number, account, association, category, since, status, ` +
	    `name, city, hidden, created) VALUES (${q(`RV${UNIQ}-${++nend}`)}, ${accountId(u)}, ` +
	    `${q(assoc)}, 'IFS', '2020-01-01', ${q(status)}, ${q(u.name)}, '', 1, 0)`);
}

function submitted(app) {
	sql(`UPDATE application SET status = 'submitted', submitted = ${DAY}, fee_owed = 75 ` +
	    `WHERE id = ${Number(app)}`);
}

function status(app) {
	return one(`SELECT status FROM application WHERE id = ${Number(app)}`);
}

function assignment(app, u) {
	return one(`SELECT id FROM assignment WHERE application = ${Number(app)} AND ` +
	    `reviewer = ${accountId(u)}`);
}

function nAssign(app) {
	return one(`SELECT count(*) FROM assignment WHERE application = ${Number(app)}`);
}

function mails(to, subject) {
	return sql(`SELECT subject, body FROM outbox WHERE recipient = ${q(to)} AND ` +
	    `subject = ${q(subject)} ORDER BY id`);
}

function textarea(html, name) {
	const m = html.match(new RegExp(`<textarea id="f-${name}"[^>]*>([^<]*)</textarea>`));
	return m ? m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
	    .replace(/&quot;/g, '"').replace(/&#39;/g, "'") : undefined;
}

const assign = (app, u) => U.cSame.submit(`/coordinator/applications/${app}/assign`,
    { reviewer: String(accountId(u)) });
const decide = (app, form, who = U.cSame) => who.submit(`/coordinator/applications/${app}/decide`, form);

async function person(tag, name, assoc = 'vaimh') {
	return register(tag, `${name} ${UNIQ}`, email(tag.toLowerCase()), assoc);
}

export async function run() {
	// ------------------------------------------------------------ people
	P.app = await person('RvApplicant', 'Pia Portfolio');
	P.r1 = await person('RvOne', 'Rhea Firstread');
	P.r2 = await person('RvTwo', 'Rufus Secondread');
	P.r3 = await person('RvThree', 'Rosa Thirdread');
	P.ref = await person('RvRef', 'Reggie Reference');
	P.rater = await person('RvRater', 'Rita Rater');
	P.none = await person('RvNone', 'Nora Noendorsement');
	P.lapsed = await person('RvLapsed', 'Lars Lapsed');
	P.other = await person('RvOther', 'Otto Otherassoc', 'infancy-onward');
	for (const k of ['app', 'r1', 'r2', 'r3', 'ref', 'rater'])
		endorse(P[k]);
	endorse(P.lapsed, 'vaimh', 'lapsed');
	endorse(P.other, 'infancy-onward');

	X.app = await newApp(P.app, 'vaimh/IFS');
	await addEntry(P.app, X.app, 'references', { name: 'Reggie Reference', email: P.ref.email.toUpperCase(),
	    relationship: 'colleague', endorsements: '' });
	sql(`INSERT INTO rating (application, email, name, relationship, hash, status, expires, sent) ` +
	    `VALUES (${X.app}, ${q(P.rater.email.toUpperCase())}, 'Rita Rater', 'supervisor', ` +
	    `${q(`rv-${UNIQ}-1`)}, 'sent', ${DAY + 86400 * 30}, ${DAY})`);

	// ------------------------------------------------------------ reviewers
	await test('reviewers: the page lists none yet and has the add form (200)', async (c) => {
		const r = await U.cSame.get('/coordinator/reviewers');
		c.status(r, 200, 'GET /coordinator/reviewers');
		c.has(r.text, 'action="/coordinator/reviewers"', 'the add form');
		c.has(r.text, 'name="csrf"', 'with its CSRF token');
		c.lacks(r.text, P.r1.email, 'no reviewer yet');
	});

	await test('reviewers: refused without an account, without an active endorsement of this association (400, field email)', async (c) => {
		for (const [who, mail, why] of [
			['no account', email('rv-ghost'), 'no account has this e-mail'],
			['no endorsement', P.none.email, 'holds no active endorsement of this association'],
			['a lapsed endorsement', P.lapsed.email, 'holds no active endorsement of this association'],
			["the other association's endorsee", P.other.email, 'holds no active endorsement of this association'],
			['not an e-mail', 'not-an-email', 'enter an e-mail address'],
		]) {
			const r = await U.cSame.submit('/coordinator/reviewers', { email: mail });
			c.status(r, 400, who);
			c.has(fieldError(r.text, 'email') || '', why, `${who}: the message beside the email field`);
			c.eq(inputValue(r.text, 'email'), mail, `${who}: what was typed is kept`);
		}
		c.eq(one(`SELECT count(*) FROM reviewer WHERE account IN (${accountId(P.none)}, ` +
		    `${accountId(P.lapsed)}, ${accountId(P.other)})`), 0, 'none of them stored');
	});

	await test('reviewers: endorsees of the association are added (303), listed, audited', async (c) => {
		for (const k of ['app', 'r1', 'r2', 'r3', 'ref', 'rater'])
			c.redirect(await U.cSame.submit('/coordinator/reviewers', { email: P[k].email.toUpperCase() }),
			    '/coordinator/reviewers', `add ${k}`);
		c.eq(one(`SELECT count(*) FROM reviewer WHERE association = 'vaimh' AND account IN ` +
		    `(${['app', 'r1', 'r2', 'r3', 'ref', 'rater'].map((k) => accountId(P[k])).join(',')})`), 6, 'stored');
		const r = await U.cSame.get('/coordinator/reviewers');
		c.status(r, 200, 'the list');
		for (const k of ['r1', 'r2', 'r3'])
			c.has(r.text, P[k].email, `${k} listed`);
		c.has(r.text, `href="/coordinator/people/reviewers/${accountId(P.r3)}/remove"`, 'a remove link to the confirmation page');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'reviewer' AND action = 'add' AND ` +
		    `row_id = ${accountId(P.r1)}`), 1, 'an audit row');
		const o = await U.cOther.get('/coordinator/reviewers');
		c.lacks(o.text, P.r1.email, "not on the other association's list");
	});

	// ------------------------------------------------------------ assignment
	await test('assign: refused while the application is a draft (409), nothing stored', async (c) => {
		const r = await assign(X.app, P.r1);
		c.status(r, 409, 'a draft');
		c.has(fieldError(r.text, 'reviewer') || '', 'submitted applications', 'the message beside reviewer');
		c.eq(nAssign(X.app), 0, 'no assignment');
	});

	submitted(X.app);

	await test('coordinator application page (200): applicant, category, status, fee, checklist, reviewer select, history', async (c) => {
		const r = await U.cSame.get(`/coordinator/applications/${X.app}`);
		c.status(r, 200, 'GET the page');
		for (const s of [P.app.name, P.app.email, 'Infant Family Specialist (IFS)', 'US$ 75', 'November 23, 2026',
		    'Checklist:', `/applications/${X.app}/tab/work`, 'Reviewers: 0 of 2 assigned',
		    `action="/coordinator/applications/${X.app}/assign"`, `action="/coordinator/applications/${X.app}/unlock"`,
		    `action="/coordinator/applications/${X.app}/decide"`, 'id="f-decision-endorse"', 'id="f-decision-defer"',
		    '<legend>Decision</legend>', '0 of 2 reviewers assigned'])
			c.has(r.text, s, s);
		c.lacks(r.text, 'id="f-decision-exam"', 'IFS has no exam: no exam choice');
		c.has(r.text, `<option value="${accountId(P.r1)}">`, 'r1 in the select');
		c.lacks(r.text, `<option value="${accountId(P.app)}">`, 'the applicant is not offered');
		c.lacks(r.text, 'The reviewers disagree', 'no disagreement yet');
		const home = await U.cSame.get('/coordinator');
		c.status(home, 200, 'GET /coordinator');
		for (const s of [`href="/coordinator/applications/${X.app}"`, 'href="/coordinator/cycles"',
		    'href="/coordinator/reviewers"', 'href="/coordinator/exams"'])
			c.has(home.text, s, `home: ${s}`);
	});

	await test('assign: refused for the applicant, a reference, a rater (any case), a non-reviewer, nobody (400, field reviewer)', async (c) => {
		for (const [who, form, why] of [
			['the applicant', { reviewer: String(accountId(P.app)) }, 'the applicant cannot review'],
			['a reference', { reviewer: String(accountId(P.ref)) }, 'is a rater or a reference'],
			['a rater', { reviewer: String(accountId(P.rater)) }, 'is a rater or a reference'],
			['an endorsee who is no reviewer', { reviewer: String(accountId(P.none)) }, 'is not a reviewer of'],
			["the other association's endorsee", { reviewer: String(accountId(P.other)) }, 'is not a reviewer of'],
			['no such account', { reviewer: '999999' }, 'is not a reviewer of'],
			['nobody chosen', { reviewer: '' }, 'choose a reviewer'],
			['not a number', { reviewer: '1 OR 1=1' }, 'choose a reviewer'],
		]) {
			const r = await U.cSame.submit(`/coordinator/applications/${X.app}/assign`, form);
			c.status(r, 400, who);
			c.has(fieldError(r.text, 'reviewer') || '', why, `${who}: the message beside reviewer`);
			c.has(errorSummary(r.text) || '', 'Reviewer: ', `${who}: the summary names the field`);
		}
		c.eq(nAssign(X.app), 0, 'no assignment stored');
	});

	await test('assign: two reviewers (303), each mailed a /review link, audited; a third is refused (409)', async (c) => {
		c.redirect(await assign(X.app, P.r1), `/coordinator/applications/${X.app}#reviewers`, 'assign r1');
		let r = await decide(X.app, { decision: 'deny', note: 'too early' });
		c.status(r, 409, 'decide with 1 of 2 reviewers assigned');
		c.has(fieldError(r.text, 'decision') || '', '2 reviewers must review it first', 'says why');
		c.redirect(await assign(X.app, P.r2), `/coordinator/applications/${X.app}#reviewers`, 'assign r2');
		X.a1 = assignment(X.app, P.r1);
		X.a2 = assignment(X.app, P.r2);
		c.ok(X.a1 > 0 && X.a2 > 0, `assignments ${X.a1} ${X.a2}`);
		const m = mails(P.r1.email, 'An application to review');
		c.eq(m.length, 1, 'one mail to r1');
		c.has(m[0]?.body || '', `/review/${X.a1}`, 'the link to the review');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'assignment' AND action = 'assign' AND ` +
		    `json_extract(detail, '$.application') = ${X.app}`), 2, 'two audit rows');
		r = await assign(X.app, P.r3);
		c.status(r, 409, 'a third reviewer');
		c.has(fieldError(r.text, 'reviewer') || '', 'reviewers per application', 'says the limit');
		c.eq(nAssign(X.app), 2, 'still two');
		c.eq(mails(P.r3.email, 'An application to review').length, 0, 'r3 not mailed');
		r = await assign(X.app, P.r1);
		c.status(r, [400, 409], 'r1 again');
		c.eq(nAssign(X.app), 2, 'not twice');
	});

	await test('decide: refused while the reviewers are not done (409), nothing changes', async (c) => {
		const r = await decide(X.app, { decision: 'deny', note: 'no' });
		c.status(r, 409, 'deny before the reviews');
		c.has(fieldError(r.text, 'decision') || '', 'not every reviewer is done: 0 of 2', 'says why');
		c.eq(status(X.app), 'submitted', 'still submitted');
		c.eq(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(P.app.email)} AND subject LIKE '%not approved%'`),
		    0, 'no mail to the applicant');
	});

	// ------------------------------------------------------------ who sees what
	await test('reviewer: sees only what is assigned to them (another assignment, an unassigned application: 404)', async (c) => {
		let r = await P.r1.get('/review');
		c.status(r, 200, 'r1: GET /review');
		c.has(r.text, `href="/review/${X.a1}"`, 'r1 lists their assignment');
		c.lacks(r.text, `href="/review/${X.a2}"`, "r1 does not list r2's");
		c.has(r.text, 'href="/review/vignettes"', 'a reviewer has the vignettes link');
		r = await P.r1.get(`/review/${X.a1}`);
		c.status(r, 200, 'r1: their review page');
		c.has(r.text, P.app.name, "the applicant's name");
		r = await P.r1.get(`/review/${X.a2}`);
		c.status(r, 404, "r1: r2's assignment");
		c.lacks(r.text, P.app.name, 'nothing of the application');
		r = await P.r2.submit(`/review/${X.a1}`, { recommendation: 'deny', final: 'yes' });
		c.status(r, 404, "r2 posting to r1's assignment");
		c.eq(one(`SELECT recommendation FROM assignment WHERE id = ${X.a1}`), null, 'untouched');
		for (const path of [`/applications/${X.app}`, `/applications/${X.app}/tab/references`,
		    `/applications/${X.app}/ethics`]) {
			c.status(await P.r1.get(path), 200, `r1 (assigned) reads ${path}`);
			r = await P.r3.get(path);
			c.status(r, 404, `r3 (a reviewer, not assigned) ${path}`);
			c.lacks(r.text, P.app.name, `r3 sees nothing at ${path}`);
		}
		r = await P.r3.get('/review');
		c.status(r, 200, 'r3: GET /review');
		c.has(r.text, 'Nothing to review', 'r3 has nothing');
		c.status(await P.r3.get(`/review/${X.a1}`), 404, "r3: r1's assignment");
		r = await P.none.get('/review');
		c.lacks(r.text, 'href="/review/vignettes"', 'no vignettes link for a non-reviewer');
		c.status(await P.app.get(`/review/${X.a1}`), 404, 'the applicant: a review of their application');
	});

	await test("coordinator: the other association's coordinator gets 404 on this application's pages and forms", async (c) => {
		const before = { n: nAssign(X.app), s: status(X.app) };
		for (const [what, r] of [
			['GET', await U.cOther.get(`/coordinator/applications/${X.app}`)],
			['assign', await U.cOther.submit(`/coordinator/applications/${X.app}/assign`,
			    { reviewer: String(accountId(P.r3)) })],
			['unassign', await U.cOther.submit(`/coordinator/applications/${X.app}/assignments/${X.a1}/delete`)],
			['unlock', await U.cOther.submit(`/coordinator/applications/${X.app}/unlock`, { note: 'x' })],
			['decide', await decide(X.app, { decision: 'deny', note: 'x' }, U.cOther)],
		]) {
			c.status(r, 404, `cOther ${what}`);
			c.lacks(r.text, P.app.name, `cOther ${what}: no name`);
			c.lacks(r.text, P.app.email, `cOther ${what}: no e-mail`);
		}
		c.eq({ n: nAssign(X.app), s: status(X.app) }, before, 'nothing changed');
		c.status(await P.app.get(`/coordinator/applications/${X.app}`), 403, 'the applicant: not a coordinator');
	});

	// ------------------------------------------------------------ the review form
	await test('review page (200): tabs read only, checklist, a checkbox per competency, a comment per tab, recommendations', async (c) => {
		const r = await P.r1.get(`/review/${X.a1}`);
		c.status(r, 200, 'GET /review/#');
		for (const s of ['Checklist:', `href="/applications/${X.app}/tab/work"`, `href="/applications/${X.app}/ethics"`,
		    'id="f-competency-0"', 'id="f-competency-14"', 'Pregnancy &amp; Early Parenthood', 'Curiosity',
		    'id="f-comment_education"', 'id="f-comment_references"', 'id="f-comment_ethics"', 'id="f-to_applicant"',
		    'id="f-missing"', '<legend>Recommendation</legend>', 'id="f-recommendation-endorse"',
		    'id="f-recommendation-defer"', 'id="f-recommendation-deny"', 'name="final" value="yes"',
		    'name="final" value="no"', 'read only'])
			c.has(r.text, s, s);
		c.lacks(r.text, 'id="f-recommendation-exam"', 'IFS has no exam');
		c.lacks(r.text, 'id="f-competency-15"', 'fifteen competencies');
	});

	await test('review save: bad input is 400 naming the field, with what was typed kept; nothing stored', async (c) => {
		const base = { comment_work: 'Strong <home visiting> work', to_applicant: 'Well done', competency: ['1', '3'] };
		for (const [what, form, field, why] of [
			['final without a recommendation', { ...base, final: 'yes' }, 'recommendation', 'choose a recommendation'],
			['defer without what is missing', { ...base, recommendation: 'defer', final: 'yes' }, 'missing', 'say what is missing'],
			['exam on a category without one', { ...base, recommendation: 'exam', final: 'no' }, 'recommendation', 'no exam'],
			['an unknown recommendation', { ...base, recommendation: 'maybe', final: 'no' }, 'recommendation', 'choose endorse'],
			['a competency off the list', { ...base, competency: ['3', '15'], recommendation: 'endorse', final: 'no' },
			    'competency', 'from the list'],
			['a comment too long', { ...base, comment_training: 'x'.repeat(10001), final: 'no' }, 'comment_training',
			    'at most 10000'],
		]) {
			const r = await P.r1.submit(`/review/${X.a1}`, form);
			c.status(r, 400, what);
			c.has(fieldError(r.text, field) || '', why, `${what}: the message beside ${field}`);
			c.eq(textarea(r.text, 'comment_work'), 'Strong <home visiting> work', `${what}: comment kept`);
			c.eq(textarea(r.text, 'to_applicant'), 'Well done', `${what}: comment to the applicant kept`);
			c.eq(checked(r.text, 'f-competency-3'), true, `${what}: competency kept`);
			c.has(r.text, 'Strong &lt;home visiting&gt; work', `${what}: the typed text escaped`);
			c.lacks(r.text, '<home visiting>', `${what}: no markup from typed text`);
		}
		c.eq(sql(`SELECT recommendation, done, comments FROM assignment WHERE id = ${X.a1}`),
		    [{ recommendation: null, done: null, comments: '{}' }], 'nothing stored');
	});

	await test('review save: a draft (303) is stored, shown again, and stays changeable', async (c) => {
		let r = await P.r1.submit(`/review/${X.a1}`, { competency: ['0', '2'], comment_work: 'Draft on work',
		    recommendation: 'defer', final: 'no' });
		c.redirect(r, `/review/${X.a1}?saved=1`, 'save a draft');
		c.eq(sql(`SELECT recommendation, done, competencies, comments FROM assignment WHERE id = ${X.a1}`),
		    [{ recommendation: 'defer', done: null, competencies: '[0,2]', comments: '{"work":"Draft on work"}' }],
		    'the draft stored');
		r = await P.r1.get(`/review/${X.a1}`);
		c.eq(checked(r.text, 'f-competency-2'), true, 'competency 2 checked');
		c.eq(checked(r.text, 'f-competency-1'), false, 'competency 1 not');
		c.eq(checked(r.text, 'f-recommendation-defer'), true, 'defer chosen');
		c.eq(textarea(r.text, 'comment_work'), 'Draft on work', 'the comment');
		r = await U.cSame.get(`/coordinator/applications/${X.app}`);
		c.lacks(r.text, 'Draft on work', "the coordinator does not read a draft's comments");
	});

	await test('review save: the final recommendation (303) is stored with its time and then refused (409)', async (c) => {
		let r = await P.r1.submit(`/review/${X.a1}`, { competency: ['0', '2', '14'], comment_work: 'Solid work history',
		    comment_ethics: 'Signed', to_applicant: 'Your portfolio is strong.', recommendation: 'endorse', final: 'yes' });
		c.redirect(r, `/review/${X.a1}`, 'submit');
		const row = sql(`SELECT recommendation, done, competencies FROM assignment WHERE id = ${X.a1}`)[0];
		c.eq([row.recommendation, row.competencies], ['endorse', '[0,2,14]'], 'stored');
		c.ok(row.done > 0, `done is a time: ${row.done}`);
		r = await P.r1.get(`/review/${X.a1}`);
		c.status(r, 200, 'the page after');
		c.has(r.text, 'It can no longer be changed', 'says it is final');
		c.lacks(r.text, `action="/review/${X.a1}"`, 'no form');
		r = await P.r1.submit(`/review/${X.a1}`, { recommendation: 'deny', final: 'yes' });
		c.status(r, 409, 'a change after submitting');
		c.eq(one(`SELECT recommendation FROM assignment WHERE id = ${X.a1}`), 'endorse', 'unchanged');
		c.eq(mails(U.cSame.email, `Review complete on application ${X.app}`).length, 0,
		    'no "review complete" while r2 is not done');
		r = await U.cSame.submit(`/coordinator/applications/${X.app}/assignments/${X.a1}/delete`);
		c.status(r, 409, 'a done assignment is not removed');
		c.eq(nAssign(X.app), 2, 'still two');
	});

	await test('review: two reviewers disagree -> the coordinators are mailed, the page says so prominently', async (c) => {
		const r0 = await P.r2.submit(`/review/${X.a2}`, { recommendation: 'defer', missing: 'Twelve more hours of RSC',
		    to_applicant: 'Please add RSC hours.', comment_rsc_received: 'Only 12 hours', final: 'yes' });
		c.redirect(r0, `/review/${X.a2}`, 'r2 submits defer');
		const m = mails(U.cSame.email, `Reviewers disagree on application ${X.app}`);
		c.eq(m.length, 1, 'one mail to the coordinator');
		c.has(m[0]?.body || '', 'Endorse', "r1's recommendation in it");
		c.has(m[0]?.body || '', 'Defer', "r2's recommendation in it");
		c.eq(mails(U.cSame.email, `Review complete on application ${X.app}`).length, 0, 'not "review complete"');
		c.eq(mails(U.cOther.email, `Reviewers disagree on application ${X.app}`).length, 0,
		    "the other association's coordinator is not mailed");
		const r = await U.cSame.get(`/coordinator/applications/${X.app}`);
		c.status(r, 200, 'the page');
		c.ok(/<div class="error-summary disagree" role="alert">\s*<h2>The reviewers disagree<\/h2>/.test(r.text),
		    'an alert at the top');
		for (const s of ['Reviewers: 2 of 2 assigned, 2 done', 'Recommends: <strong class="recommendation">Endorse',
		    'Recommends: <strong class="recommendation">Defer', 'Twelve more hours of RSC', 'Please add RSC hours.',
		    'Only 12 hours', 'Solid work history', 'Pregnancy &amp; Early Parenthood', 'Curiosity',
		    'Competencies marked as evidenced: 3', 'assignment: assign', 'assignment: recommend', P.r1.name])
			c.has(r.text, s, s);
		c.ok(TIME_RE.test(r.text), 'history times as "November 23, 2026 at HH:MM"');
		c.lacks(r.text, 'Draft on work', 'the draft comment was replaced');
	});

	await test('decide: defer without a note (400, field note), exam without an exam (400), endorse with the checklist unmet (409)', async (c) => {
		let r = await decide(X.app, { decision: 'defer', note: '  ' });
		c.status(r, 400, 'defer without a note');
		c.has(fieldError(r.text, 'note') || '', 'say what is missing', 'the message beside note');
		c.eq(checked(r.text, 'f-decision-defer'), true, 'the choice kept');
		r = await decide(X.app, { decision: 'exam', note: 'x' });
		c.status(r, 400, 'exam on IFS');
		c.has(fieldError(r.text, 'decision') || '', 'this category has no exam', 'says why');
		r = await decide(X.app, { decision: 'endorse', note: 'Congratulations' });
		c.status(r, 409, 'endorse an unmet checklist');
		c.has(fieldError(r.text, 'decision') || '', 'checklist is not met', 'says why');
		c.eq(textarea(r.text, 'note'), 'Congratulations', 'the note kept');
		r = await decide(X.app, { decision: 'perhaps' });
		c.status(r, 400, 'an unknown decision');
		c.eq(status(X.app), 'submitted', 'still submitted');
		c.eq(one(`SELECT count(*) FROM endorsement WHERE account = ${accountId(P.app)} AND association = 'vaimh' ` +
		    `AND number NOT LIKE ${q(`RV${UNIQ}-%`)}`), 0, 'no endorsement issued');
	});

	await test('decide: defer (303) -> deferred, the applicant mailed the note and the reviewers\' words, and can edit again', async (c) => {
		let r = await P.app.submit(`/applications/${X.app}/tab/training`, { title: 'Locked', date: '2026-01-01',
		    hours: '2', role: 'attended' });
		c.status(r, 409, 'while submitted the applicant cannot edit');
		r = await decide(X.app, { decision: 'defer', note: 'Add 12 hours of RSC received.' });
		c.redirect(r, `/coordinator/applications/${X.app}`, 'defer');
		c.eq(sql(`SELECT status, decision, decision_note FROM application WHERE id = ${X.app}`),
		    [{ status: 'deferred', decision: 'defer', decision_note: 'Add 12 hours of RSC received.' }], 'stored');
		const m = mails(P.app.email, 'Your application was deferred');
		c.eq(m.length, 1, 'one mail');
		c.has(m[0]?.body || '', 'Add 12 hours of RSC received.', 'the note');
		c.has(m[0]?.body || '', 'Please add RSC hours.', "r2's words to the applicant");
		c.has(m[0]?.body || '', 'Your portfolio is strong.', "r1's words to the applicant");
		c.lacks(m[0]?.body || '', 'Only 12 hours', 'not the comments for the coordinator');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'application' AND row_id = ${X.app} AND ` +
		    `action = 'decision'`), 1, 'an audit row');
		r = await P.app.submit(`/applications/${X.app}/tab/training`, { title: 'More RSC', date: '2026-01-01',
		    hours: '2', role: 'attended' });
		c.redirect(r, `/applications/${X.app}/tab/training#entries`, 'deferred: the applicant edits again');
		r = await decide(X.app, { decision: 'deny', note: 'x' });
		c.status(r, 409, 'no second decision on a deferred application');
		r = await P.r2.submit(`/review/${X.a2}`, { recommendation: 'deny', final: 'yes' });
		c.status(r, 409, 'the review stays closed');
		r = await U.cSame.get(`/coordinator/applications/${X.app}`);
		c.has(r.text, 'application: decision', 'the decision in the history');
		c.has(r.text, 'decision: defer', 'with its details');
	});

	// ------------------------------------------------------------ agreement, unassign
	await test('review: two reviewers who agree -> "Review complete", then deny (303)', async (c) => {
		const app = await newApp(P.app, 'vaimh/IFA');
		submitted(app);
		c.redirect(await assign(app, P.r2), `/coordinator/applications/${app}#reviewers`, 'assign r2');
		c.redirect(await assign(app, P.r3), `/coordinator/applications/${app}#reviewers`, 'assign r3');
		// A not-done assignment is removed, and its reviewer loses access.
		const a3 = assignment(app, P.r3);
		c.redirect(await U.cSame.submit(`/coordinator/applications/${app}/assignments/${a3}/delete`),
		    `/coordinator/applications/${app}#reviewers`, 'remove r3');
		c.eq(nAssign(app), 1, 'one left');
		c.status(await P.r3.get(`/review/${a3}`), 404, 'r3 lost the review');
		c.status(await P.r3.get(`/applications/${app}`), 404, 'and the application');
		c.status(await U.cSame.submit(`/coordinator/applications/${app}/assignments/${a3}/delete`), 404, 'gone');
		c.redirect(await assign(app, P.r1), `/coordinator/applications/${app}#reviewers`, 'assign r1');
		for (const u of [P.r1, P.r2])
			c.redirect(await u.submit(`/review/${assignment(app, u)}`, { recommendation: 'deny', final: 'yes',
			    to_applicant: `Not yet (${u.label})` }), `/review/${assignment(app, u)}`, `${u.label} denies`);
		c.eq(mails(U.cSame.email, `Review complete on application ${app}`).length, 1, '"Review complete" once');
		c.eq(mails(U.cSame.email, `Reviewers disagree on application ${app}`).length, 0, 'no disagreement');
		let r = await U.cSame.get(`/coordinator/applications/${app}`);
		c.lacks(r.text, 'The reviewers disagree', 'no alert');
		c.lacks(r.text, 'The decision waits for the reviewers', 'the reviews are ready');
		r = await decide(app, { decision: 'deny', note: '' });
		c.redirect(r, `/coordinator/applications/${app}`, 'deny');
		c.eq(status(app), 'denied', 'denied');
		c.has(mails(P.app.email, 'Your application was not approved').at(-1)?.body || '', 'Not yet (RvOne)',
		    "the reviewers' words");
	});

	// ------------------------------------------------------------ endorse
	await test('decide: endorse (303) a met checklist -> endorsed, a number issued, the applicant mailed it', async (c) => {
		const e = await person('RvEndorsee', 'Edda Eligible');
		e.token = await apiToken(e.email, e.password, 'review');
		const app = await newApp(e, 'vaimh/IFS');
		const doc = portfolioFor(GOLDEN_IFS, 'vaimh', 'IFS');
		doc.references = doc.references.map((x, i) => ({ ...x, email: `rv-golden${i}-${UNIQ}@example.org` }));
		let r = await e.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: e.token, json: doc });
		c.status(r, 200, 'PUT the golden IFS portfolio');
		doc.references.forEach((x, i) => sql(`INSERT INTO rating (application, email, name, relationship, hash, ` +
		    `status, expires, sent, answered, answers) VALUES (${app}, ${q(x.email)}, ${q(x.name)}, ` +
		    `${q(x.relationship)}, ${q(`rv-golden-${app}-${i}`)}, 'completed', ${DAY + 86400 * 30}, ${DAY}, ` +
		    `${DAY}, '{}')`));
		r = await e.get(`/api/v1/applications/${app}/checklist`, { bearer: e.token });
		c.eq(r.json()?.eligible, true, 'the checklist is met');
		submitted(app);
		for (const u of [P.r1, P.r3]) {
			c.redirect(await assign(app, u), `/coordinator/applications/${app}#reviewers`, `assign ${u.label}`);
			const page = await u.get(`/review/${assignment(app, u)}`);
			const rids = sql(`SELECT id FROM rating WHERE application = ${app} ORDER BY id`).map((x) => x.id);
			for (const rid of rids)
				c.has(page.text, `href="/applications/${app}/ratings/${rid}"`, `${u.label}: completed rating ${rid} linked`);
			c.eq(rids.length, 3, 'three ratings');
			c.redirect(await u.submit(`/review/${assignment(app, u)}`, { recommendation: 'endorse', final: 'yes' }),
			    `/review/${assignment(app, u)}`, `${u.label} endorses`);
		}
		r = await decide(app, { decision: 'endorse', note: 'Welcome.' });
		c.redirect(r, `/coordinator/applications/${app}`, 'endorse');
		c.eq(status(app), 'endorsed', 'endorsed');
		const num = one(`SELECT number FROM endorsement WHERE application = ${app}`);
		c.ok(/^VA-2026-\d{4}$/.test(num || ''), `a number: ${num}`);
		c.has(mails(e.email, 'You are endorsed').at(-1)?.body || '', num, 'mailed the number');
		r = await U.cSame.get(`/coordinator/applications/${app}`);
		c.has(r.text, `href="/verify/${num}"`, 'the page links the endorsement');
		c.lacks(r.text, `action="/coordinator/applications/${app}/decide"`, 'no more decision form');
	});

	// ------------------------------------------------------------ unlock
	await test('unlock: needs a note (400), returns a submitted application to draft (303) and mails the note; only once (409)', async (c) => {
		const app = await newApp(P.app, 'vaimh/IFS');
		submitted(app);
		let r = await U.cSame.submit(`/coordinator/applications/${app}/unlock`, { note: '' });
		c.status(r, 400, 'no note');
		c.has(fieldError(r.text, 'unlock-note') || '', 'say what the applicant should change', 'beside the note');
		c.eq(status(app), 'submitted', 'still submitted');
		r = await U.cSame.submit(`/coordinator/applications/${app}/unlock`, { note: 'Attach the BSW transcript.' });
		c.redirect(r, `/coordinator/applications/${app}`, 'unlock');
		c.eq(status(app), 'draft', 'a draft again');
		const m = mails(P.app.email, 'Your application was returned for changes');
		c.has(m.at(-1)?.body || '', 'Attach the BSW transcript.', 'the note mailed');
		c.has(m.at(-1)?.body || '', `/applications/${app}`, 'with the link');
		r = await U.cSame.submit(`/coordinator/applications/${app}/unlock`, { note: 'again' });
		c.status(r, 409, 'a draft is not unlocked');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'application' AND row_id = ${app} AND ` +
		    `action = 'status'`), 1, 'one transition audited');
	});

	// ------------------------------------------------------------ cycles
	await test('cycles: bad dates are 400 per field with what was typed kept; nothing stored', async (c) => {
		const n = one("SELECT count(*) FROM review_cycle WHERE association = 'vaimh'");
		let r = await U.cSame.submit('/coordinator/cycles', { name: 'Winter', opens: '2027-02-01', closes: '2027-01-31' });
		c.status(r, 400, 'closes before opens');
		c.has(fieldError(r.text, 'closes') || '', 'closes on or after the day it opens', 'beside closes');
		c.eq(inputValue(r.text, 'name'), 'Winter', 'the name kept');
		c.eq(inputValue(r.text, 'opens'), '2027-02-01', 'opens kept');
		r = await U.cSame.submit('/coordinator/cycles', { name: '', opens: '2027-02-30', closes: 'soon' });
		c.status(r, 400, 'everything wrong');
		for (const f of ['name', 'opens', 'closes'])
			c.ok(fieldError(r.text, f), `an error beside ${f}`);
		c.eq(one("SELECT count(*) FROM review_cycle WHERE association = 'vaimh'"), n, 'nothing stored');
	});

	await test('cycles: a new cycle (303) adopts submitted applications without one; listed, its page with progress, closed once', async (c) => {
		const app = await newApp(P.app, 'vaimh/IFA');
		submitted(app);
		c.eq(one(`SELECT cycle FROM application WHERE id = ${app}`), null, 'no cycle yet');
		let r = await U.cSame.submit('/coordinator/cycles', { name: `Spring ${UNIQ}`, opens: '2026-11-01',
		    closes: '2027-03-31' });
		const m = (r.location || '').match(/^\/coordinator\/cycles\/(\d+)$/);
		c.ok(r.status === 303 && m, `created: ${r.status} ${r.location}`);
		if (!m) return;
		X.cycle = Number(m[1]);
		c.eq(one(`SELECT cycle FROM application WHERE id = ${app}`), X.cycle, 'the waiting application joined');
		c.eq(one(`SELECT cycle FROM application WHERE id = ${X.app}`), null, 'a deferred one did not');
		r = await U.cSame.get('/coordinator/cycles');
		c.status(r, 200, 'the list');
		c.has(r.text, `<a href="/coordinator/cycles/${X.cycle}">Spring ${UNIQ}</a>`, 'listed');
		r = await U.cSame.get(`/coordinator/cycles/${X.cycle}`);
		c.status(r, 200, 'the cycle page');
		c.has(r.text, `href="/coordinator/applications/${app}"`, 'its application');
		const n = one(`SELECT count(*) FROM application WHERE cycle = ${X.cycle}`);
		c.ok(n >= 1, `applications in the cycle: ${n}`);
		c.has(r.text, `${n} application(s) in this cycle`, 'progress');
		c.has(r.text, '0 of 0 done', 'review progress of the application');
		r = await U.cSame.get(`/coordinator/applications/${app}`);
		c.has(r.text, `<a href="/coordinator/cycles/${X.cycle}">Spring ${UNIQ}</a>`, 'the application names its cycle');
		for (const [what, res] of [['GET', await U.cOther.get(`/coordinator/cycles/${X.cycle}`)],
		    ['close', await U.cOther.submit(`/coordinator/cycles/${X.cycle}/close`)]]) {
			c.status(res, 404, `the other coordinator: ${what}`);
			c.lacks(res.text, `Spring ${UNIQ}`, `${what}: nothing of the cycle`);
		}
		c.lacks((await U.cOther.get('/coordinator/cycles')).text, `Spring ${UNIQ}`, 'not in their list');
		c.redirect(await U.cSame.submit(`/coordinator/cycles/${X.cycle}/close`), `/coordinator/cycles/${X.cycle}`, 'close');
		c.eq(one(`SELECT status FROM review_cycle WHERE id = ${X.cycle}`), 'closed', 'closed');
		c.status(await U.cSame.submit(`/coordinator/cycles/${X.cycle}/close`), 409, 'closed twice');
	});

	// ------------------------------------------------------------ remove a reviewer
	await test('reviewers: removed (303), audited, then 404; not from the other association', async (c) => {
		const id = accountId(P.ref);
		c.status(await U.cOther.submit(`/coordinator/reviewers/${id}/delete`), 404, 'the other coordinator');
		c.eq(one(`SELECT count(*) FROM reviewer WHERE account = ${id}`), 1, 'still a reviewer');
		c.redirect(await U.cSame.submit(`/coordinator/reviewers/${id}/delete`), '/coordinator/reviewers', 'remove');
		c.eq(one(`SELECT count(*) FROM reviewer WHERE account = ${id}`), 0, 'removed');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'account' AND action = 'reviewer-remove' AND row_id = ${id}`), 1,
		    'audited');
		c.status(await U.cSame.submit(`/coordinator/reviewers/${id}/delete`), 404, 'twice');
	});

	await test('review list: done reviews listed apart with their time (200)', async (c) => {
		const r = await P.r1.get('/review');
		c.status(r, 200, 'GET /review');
		const done = r.text.slice(r.text.indexOf('id="done-h"'));
		c.has(done, `href="/review/${X.a1}"`, 'the done review under Done');
		c.ok(TIME_RE.test(done), 'with its time');
		const todo = r.text.slice(r.text.indexOf('id="todo-h"'), r.text.indexOf('id="done-h"'));
		c.lacks(todo, `href="/review/${X.a1}"`, 'not under To do');
	});
}
