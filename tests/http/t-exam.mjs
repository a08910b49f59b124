// The exam: a coordinator's sessions (validated date and place), who may
// be registered (approved for the exam, this association's, no pass, no
// pending result, the retake wait over), part 1 scores, the blind
// vignette page (codes and dates only, never the examinee), two different
// scorers, and the result: a pass makes the checklist's exam requirement
// met, a fail tells the retake date.  Applications reach status 'exam'
// and reviewers are made through the store (other pages own that).
import { test, sql, one, q, inputValue, fieldError } from '../lib/client.mjs';
import { U, UNIQ, email, register, newApp, apiToken } from './common.mjs';

const P = {};		// the people of these tests
const X = {};		// ids: applications, sessions, registrations
const PLACE = `Room 7, ${UNIQ} Library, Richmond`;
const CODE_RE = /^EX-[2-9A-HJKMNP-TW-Z]{6}$/;

function accountId(u) {
	return one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
}

function reg(id) {
	return sql(`SELECT session, application, code, part1, score_a, scorer_a, ` +
	    `score_b, scorer_b, result FROM exam_registration WHERE id = ${Number(id)}`)[0];
}

function mailsTo(u, subject) {
	return sql(`SELECT subject, body FROM outbox WHERE recipient = ${q(u.email)} ` +
	    `AND subject = ${q(subject)} ORDER BY id`);
}

async function newSession(c, date, place = PLACE) {
	const r = await c.submit('/coordinator/exams', { date, place });
	const m = (r.location || '').match(/^\/coordinator\/exams\/(\d+)$/);
	if (r.status !== 303 || !m)
		throw new Error(`new session ${date}: ${r.status} ${r.location} ${r.text.slice(0, 300)}`);
	return Number(m[1]);
}

async function registerFor(session, app) {
	const r = await U.cSame.submit(`/coordinator/exams/${session}/register`,
	    { application: String(app) });
	const m = (r.location || '').match(new RegExp(`^/coordinator/exams/${session}#reg-(\\d+)$`));
	return { r, id: m ? Number(m[1]) : undefined };
}

function part1(session, id, v, who = U.cSame) {
	return who.submit(`/coordinator/exams/${session}/registrations/${id}`, { part1: v });
}

function score(who, id, v) {
	return who.submit(`/review/vignettes/${id}`, { score: v });
}

async function examReq(u, app) {
	const r = await u.get(`/api/v1/applications/${app}/checklist`, { bearer: u.token });
	const rq = (r.json()?.requirements || []).find((x) => x.id === 'exam');
	return { status: r.status, rq, text: r.text };
}

// An applicant with an application of category CAT in status STATUS.
async function applicant(tag, name, choice, status) {
	const u = await register(tag, `${name} ${UNIQ}`, email(tag.toLowerCase()),
	    choice.split('/')[0]);
	u.app = await newApp(u, choice);
	sql(`UPDATE application SET status = ${q(status)} WHERE id = ${u.app}`);
	u.token = await apiToken(u.email, u.password, `exam ${tag}`);
	return u;
}

function makeReviewer(u, assoc) {
	sql(`INSERT INTO reviewer (account, association, created) VALUES ` +
	    `(${accountId(u)}, ${q(assoc)}, 0)`);
}

export async function run() {
	P.E = await applicant('ExamE', 'Evangeline Passmore', 'vaimh/IMHS', 'exam');
	P.F = await applicant('ExamF', 'Fenwick Retaker', 'vaimh/IMHS', 'exam');
	P.H = await applicant('ExamH', 'Hortensia Vignette', 'vaimh/IMHS', 'exam');
	P.K = await applicant('ExamK', 'Kasimir Borderline', 'vaimh/IMHS', 'exam');
	P.G = await applicant('ExamG', 'Gideon Notyet', 'vaimh/IMHS', 'submitted');
	P.G.ifs = await newApp(P.G, 'vaimh/IFS');
	sql(`UPDATE application SET status = 'exam' WHERE id = ${P.G.ifs}`);
	P.O = await applicant('ExamO', 'Octavia Elsewhere', 'infancy-onward/IMHM-C', 'exam');
	P.R1 = await register('R1', `Rosalind Scorer ${UNIQ}`, email('r1'));
	P.R2 = await register('R2', `Reginald Scorer ${UNIQ}`, email('r2'));
	P.R3 = await register('R3', `Rhoda Faraway ${UNIQ}`, email('r3'));
	makeReviewer(P.R1, 'vaimh');
	makeReviewer(P.R2, 'vaimh');
	makeReviewer(P.R3, 'infancy-onward');
	// An examinee who also reviews for the association.
	makeReviewer(P.E, 'vaimh');

	await test('exam: setup: applicants in status exam, reviewers', (c) => {
		for (const k of ['E', 'F', 'H', 'K', 'G', 'O', 'R1', 'R2', 'R3'])
			{ c.redirect(P[k].res, '/login?registered=1', `register ${k}`); c.redirect(P[k].login, '/dashboard', `login ${k}`); }
		c.eq(one(`SELECT status FROM application WHERE id = ${P.E.app}`), 'exam', 'E');
		c.eq(one(`SELECT count(*) FROM reviewer WHERE account IN (${accountId(P.R1)}, ` +
		    `${accountId(P.R2)})`), 2, 'reviewers');
	});

	await test('exam sessions: the page lists sessions and labels the form; applicants may not see it', async (c) => {
		const r = await U.cSame.get('/coordinator/exams');
		c.status(r, 200, 'GET /coordinator/exams');
		c.has(r.text, '<label for="f-date">Date', 'date label');
		c.has(r.text, '<label for="f-place">Place', 'place label');
		c.eq(inputValue(r.text, 'date'), '', 'an empty date');
		c.has(r.text, '<form method="post" action="/coordinator/exams"', 'the form');
		c.has(r.text, 'name="csrf"', 'with its CSRF token');
		c.status(await P.E.get('/coordinator/exams'), 403, 'an applicant');
		c.status(await P.E.submit('/coordinator/exams', { date: '2026-12-01',
		    place: 'online' }), 403, 'an applicant adds one');
	});

	await test('exam sessions: date and place are validated, 400 naming the field, what was typed kept, nothing stored', async (c) => {
		const before = one('SELECT count(*) FROM exam_session');
		const cases = [
			[{ date: '2026-02-30', place: 'online' }, 'date', /real date/],
			[{ date: '01/12/2026', place: 'online' }, 'date', /YYYY-MM-DD/],
			[{ date: '', place: 'online' }, 'date', /date/],
			[{ place: 'online' }, 'date', /date/],
			[{ date: '2026-12-01', place: '' }, 'place', /online/],
			[{ date: '2026-12-01', place: '   ' }, 'place', /online/],
			[{ date: '2026-12-01' }, 'place', /online/],
			[{ date: '2026-12-01', place: 'é'.repeat(150) + 'x' }, 'place', /at most 300 bytes/],
			[{ date: '2026-12-01', place: 'a\tb' }, 'place', /one line/],
		];
		for (const [form, field, why] of cases) {
			const r = await U.cSame.submit('/coordinator/exams', form);
			const what = JSON.stringify(form).slice(0, 60);
			c.status(r, 400, what);
			const err = fieldError(r.text, field);
			c.ok(err !== null && why.test(err), `${what}: error of ${field}: ${err}`);
			c.ok(fieldError(r.text, field === 'date' ? 'place' : 'date') === null,
			    `${what}: only ${field} is wrong`);
			if (form.date !== undefined)
				c.eq(inputValue(r.text, 'date'), form.date, `${what}: date kept`);
			if (form.place !== undefined)
				c.eq(inputValue(r.text, 'place'), form.place, `${what}: place kept`);
		}
		c.eq(one('SELECT count(*) FROM exam_session'), before, 'no session stored');
		// 300 bytes (150 two-byte letters) is the limit, not 300 letters.
		const id = await newSession(U.cSame, '2026-12-05', 'é'.repeat(150));
		c.eq(one(`SELECT length(CAST(place AS BLOB)) FROM exam_session WHERE id = ${id}`), 300,
		    '300 bytes accepted');
	});

	await test('exam sessions: adding one stores it with an audit row and lists it', async (c) => {
		// Today (ENDORSE_NOW): a session may not be set in the past (issue 15).
		X.S1 = await newSession(U.cSame, '2026-11-23');
		const row = sql(`SELECT association, date, place FROM exam_session WHERE id = ${X.S1}`)[0];
		c.eq(row, { association: 'vaimh', date: '2026-11-23', place: PLACE }, 'the row');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'exam_session' AND ` +
		    `row_id = ${X.S1} AND action = 'create' AND actor = ${accountId(U.cSame)}`), 1,
		    'audit row');
		const r = await U.cSame.get('/coordinator/exams');
		c.has(r.text, `<a href="/coordinator/exams/${X.S1}">November 23, 2026</a>`, 'listed, linked, its date as people in the US write it');
		c.has(r.text, PLACE, 'with its place');
		X.S2 = await newSession(U.cSame, '2026-12-10', 'online');
		X.S3 = await newSession(U.cSame, '2027-02-20');
		X.S4 = await newSession(U.cSame, '2027-02-21');
	});

	await test('exam: the other association\'s coordinator cannot see a session (404)', async (c) => {
		let r = await U.cOther.get(`/coordinator/exams/${X.S1}`);
		c.status(r, 404, 'GET the session');
		c.lacks(r.text, PLACE, 'no place shown');
		r = await U.cOther.get('/coordinator/exams');
		c.status(r, 200, 'their own list');
		c.lacks(r.text, PLACE, 'not listed');
		r = await U.cOther.submit(`/coordinator/exams/${X.S1}/register`,
		    { application: String(P.O.app) });
		c.status(r, 404, 'register their own applicant into it');
		c.eq(one(`SELECT count(*) FROM exam_registration WHERE application = ${P.O.app}`), 0,
		    'nothing stored');
		c.status(await U.cSame.get(`/coordinator/exams/${X.S1 + 100000}`), 404, 'no such session');
	});

	await test('exam: the session page offers this association\'s applications approved for the exam only', async (c) => {
		const r = await U.cSame.get(`/coordinator/exams/${X.S1}`);
		c.status(r, 200, 'GET the session');
		c.has(r.text, '<label for="f-application">', 'the select is labelled');
		const sel = (r.text.match(/<select id="f-application"[\s\S]*?<\/select>/) || [''])[0];
		for (const k of ['E', 'F', 'H'])
			c.has(sel, `<option value="${P[k].app}">`, `${k} offered`);
		c.has(sel, `<option value="${P.G.ifs}">`, 'G\'s IFS application (status exam) offered');
		c.lacks(sel, `value="${P.G.app}"`, 'a submitted application is not');
		c.lacks(sel, `value="${P.O.app}"`, 'another association\'s is not');
		c.lacks(r.text, P.O.name, 'nor its name');
	});

	await test('exam: registration refusals: bad field 400, not approved 409, no exam 409, other association 404', async (c) => {
		const before = one('SELECT count(*) FROM exam_registration');
		for (const v of ['', 'abc', '-3', '1.5', '0']) {
			const r = await U.cSame.submit(`/coordinator/exams/${X.S1}/register`, { application: v });
			c.status(r, 400, `application ${JSON.stringify(v)}`);
			c.ok(/approved for the exam/.test(fieldError(r.text, 'application') || ''),
			    `application ${JSON.stringify(v)}: names the field: ${fieldError(r.text, 'application')}`);
		}
		let r = await U.cSame.submit(`/coordinator/exams/${X.S1}/register`, {});
		c.status(r, 400, 'no application field');
		r = await U.cSame.submit(`/coordinator/exams/${X.S1}/register`, { application: String(P.G.app) });
		c.status(r, 409, 'status submitted');
		c.has(fieldError(r.text, 'application') || '', 'not approved for the exam (its status is submitted)',
		    'says why');
		r = await U.cSame.submit(`/coordinator/exams/${X.S1}/register`, { application: String(P.G.ifs) });
		c.status(r, 409, 'IFS has no exam');
		c.has(fieldError(r.text, 'application') || '', 'category has no exam', 'says why');
		r = await U.cSame.submit(`/coordinator/exams/${X.S1}/register`, { application: String(P.O.app) });
		c.status(r, 404, 'another association\'s application');
		c.lacks(r.text, P.O.name, 'nothing of it shown');
		r = await U.cSame.submit(`/coordinator/exams/${X.S1}/register`, { application: '99999999' });
		c.status(r, 404, 'no such application');
		c.eq(one('SELECT count(*) FROM exam_registration'), before, 'nothing stored');
	});

	await test('exam: registering gives an anonymous code, mails date, place and code, audits', async (c) => {
		const e = await registerFor(X.S1, P.E.app);
		c.status(e.r, 303, 'register E');
		X.rE = e.id;
		const row = reg(X.rE) || {};
		c.eq([row.session, row.application, row.result], [X.S1, P.E.app, null], 'the row');
		c.ok(CODE_RE.test(row.code || ''), `code ${row.code}`);
		X.codeE = row.code;
		const m = mailsTo(P.E, 'You are registered for the exam');
		c.eq(m.length, 1, 'one mail to E');
		for (const s of ['November 23, 2026', PLACE, row.code])
			c.has(m[0]?.body || '', s, `mail has ${s}`);
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'exam' AND row_id = ${X.rE} AND ` +
		    `action = 'register' AND json_extract(detail, '$.application') = ${P.E.app}`), 1,
		    'audit row naming the application');
		const f = await registerFor(X.S1, P.F.app);
		c.status(f.r, 303, 'register F');
		X.rF = f.id;
		const h = await registerFor(X.S1, P.H.app);
		c.status(h.r, 303, 'register H');
		X.rH = h.id;
		X.codeF = reg(X.rF)?.code;
		X.codeH = reg(X.rH)?.code;
		c.ok(new Set([X.codeE, X.codeF, X.codeH]).size === 3, 'three different codes');
		const r = await U.cSame.get(`/coordinator/exams/${X.S1}`);
		c.has(r.text, P.E.name, 'the coordinator sees who is registered');
		c.has(r.text, X.codeE, 'and their code');
		const sel = (r.text.match(/<select id="f-application"[\s\S]*?<\/select>/) || [''])[0];
		c.lacks(sel, `value="${P.E.app}"`, 'a registered application is no longer offered');
	});

	await test('exam: a registration waiting for its result refuses another (409)', async (c) => {
		let r = await U.cSame.submit(`/coordinator/exams/${X.S2}/register`, { application: String(P.E.app) });
		c.status(r, 409, 'another session');
		c.has(fieldError(r.text, 'application') || '', 'already registered for the exam of November 23, 2026',
		    'says why');
		r = await U.cSame.submit(`/coordinator/exams/${X.S1}/register`, { application: String(P.E.app) });
		c.status(r, 409, 'the same session');
		c.eq(one(`SELECT count(*) FROM exam_registration WHERE application = ${P.E.app}`), 1,
		    'one registration');
	});

	await test('exam: part 1 takes a whole number 0..60 (400 naming part1 otherwise)', async (c) => {
		for (const v of ['abc', '-1', '61', '5.5', '', '1e1', '0x10']) {
			const r = await part1(X.S1, X.rE, v);
			c.status(r, 400, `part1 ${JSON.stringify(v)}`);
			c.has(r.text, 'part1: enter a whole number from 0 to 60', `${JSON.stringify(v)}: names part1`);
			const tag = (r.text.match(new RegExp(`<input[^>]*id="part1-${X.rE}"[^>]*>`)) || [''])[0];
			c.has(tag, `value="${v}"`, `${JSON.stringify(v)}: typed value kept`);
			c.has(tag, 'aria-invalid="true"', `${JSON.stringify(v)}: marked invalid`);
		}
		c.eq(reg(X.rE)?.part1, null, 'nothing stored');
		let r = await part1(X.S2, X.rE, '50');
		c.status(r, 404, 'through another session');
		r = await U.cOther.submit(`/coordinator/exams/${X.S1}/registrations/${X.rE}`, { part1: '50' });
		c.status(r, 404, 'the other association\'s coordinator');
		c.eq(reg(X.rE)?.part1, null, 'still nothing stored');
		r = await part1(X.S1, X.rE, '50');
		c.redirect(r, `/coordinator/exams/${X.S1}#reg-${X.rE}`, 'part1 50');
		c.eq(reg(X.rE)?.part1, 50, 'stored');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'exam' AND row_id = ${X.rE} AND ` +
		    `action = 'part1'`), 1, 'audit row');
		c.status(await part1(X.S1, X.rF, '0'), 303, 'zero is a score');
		c.eq(reg(X.rF)?.part1, 0, 'zero stored');
		c.status(await part1(X.S1, X.rF, '40'), 303, 'corrected before the result');
		c.eq(reg(X.rF)?.part1, 40, 'corrected');
	});

	await test('exam: the vignette page is blind: codes and dates, never the examinee', async (c) => {
		const r = await P.R1.get('/review/vignettes');
		c.status(r, 200, 'GET /review/vignettes');
		for (const code of [X.codeE, X.codeF, X.codeH])
			c.has(r.text, code, `code ${code} listed`);
		c.has(r.text, 'November 23, 2026', 'the session date');
		c.has(r.text, `<label for="score-${X.rE}">`, 'a labelled score field');
		for (const k of ['E', 'F', 'H']) {
			c.lacks(r.text, P[k].name, `${k}'s name`);
			c.lacks(r.text, P[k].name.split(' ')[0], `${k}'s first name`);
			c.lacks(r.text, P[k].email, `${k}'s e-mail`);
			c.lacks(r.text, `/applications/${P[k].app}`, `${k}'s application`);
		}
		c.lacks(r.text, PLACE, 'no place either');
	});

	await test('exam: an examinee does not see or score their own vignette (403)', async (c) => {
		let r = await P.E.get('/review/vignettes');
		c.status(r, 200, 'E reviews for the association');
		c.lacks(r.text, X.codeE, 'not their own code');
		c.has(r.text, X.codeF, 'others\' codes');
		r = await score(P.E, X.rE, '10');
		c.status(r, 403, 'E scores their own');
		c.eq(reg(X.rE)?.score_a, null, 'nothing stored');
	});

	await test('exam: who does not review for the association cannot see or score (404)', async (c) => {
		let r = await U.M.get('/review/vignettes');
		c.status(r, 200, 'not a reviewer: the page');
		c.has(r.text, 'You are not a reviewer of any association', 'says so');
		c.lacks(r.text, X.codeE, 'no code');
		r = await U.cOther.get('/review/vignettes');
		c.lacks(r.text, X.codeE, 'the other coordinator sees no code');
		c.status(await score(U.M, X.rE, '5'), 404, 'not a reviewer: score');
		r = await P.R3.get('/review/vignettes');
		c.status(r, 200, 'reviewer of the other association');
		c.lacks(r.text, X.codeE, 'does not see this association\'s codes');
		c.status(await score(P.R3, X.rE, '5'), 404, 'reviewer of the other association: score');
		c.status(await score(U.cOther, X.rE, '5'), 404, 'the other coordinator: score');
		c.status(await score(U.cSame, X.rE, '5'), 404, 'a coordinator who is not a reviewer');
		c.status(await score(P.R1, X.rE + 100000, '5'), 404, 'no such registration');
		c.eq(reg(X.rE)?.score_a, null, 'nothing stored');
	});

	await test('exam: a vignette score takes a whole number 0..10 (400 naming score)', async (c) => {
		for (const v of ['11', 'x', '', '-1', '7.5']) {
			const r = await score(P.R1, X.rE, v);
			c.status(r, 400, `score ${JSON.stringify(v)}`);
			c.has(r.text, 'score: enter a whole number from 0 to 10', `${JSON.stringify(v)}: names score`);
			const tag = (r.text.match(new RegExp(`<input[^>]*id="score-${X.rE}"[^>]*>`)) || [''])[0];
			c.has(tag, `value="${v}"`, `${JSON.stringify(v)}: typed value kept`);
		}
		c.eq(reg(X.rE)?.score_a, null, 'nothing stored');
	});

	await test('exam: two different scorers; the same scorer twice is refused (409)', async (c) => {
		let r = await score(P.R1, X.rE, '8');
		c.redirect(r, '/review/vignettes', 'R1 scores 8');
		let row = reg(X.rE);
		c.eq([row?.score_a, row?.scorer_a, row?.score_b], [8, accountId(P.R1), null], 'score A');
		r = await score(P.R1, X.rE, '7');
		c.status(r, 409, 'R1 again');
		c.has(r.text, 'you have already scored this vignette', 'says why');
		c.eq(reg(X.rE)?.score_b, null, 'no second score from the same scorer');
		r = await P.R1.get('/review/vignettes');
		c.lacks(r.text, X.codeE, 'no longer on R1\'s list');
		r = await P.R2.get('/review/vignettes');
		c.has(r.text, X.codeE, 'still on R2\'s list');
		c.has(r.text, 'second scoring', 'as the second scoring');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'exam' AND row_id = ${X.rE} AND ` +
		    `action = 'score'`), 1, 'one audit row');
	});

	await test('exam: a pass (50/60, 8+7) makes the checklist\'s exam requirement met', async (c) => {
		let x = await examReq(P.E, P.E.app);
		c.status(x, 200, 'checklist before');
		c.eq(x.rq?.met, false, 'exam not met before the result');
		const r = await score(P.R2, X.rE, '7');
		c.redirect(r, '/review/vignettes', 'R2 scores 7');
		const row = reg(X.rE);
		c.eq([row?.score_b, row?.scorer_b, row?.result], [7, accountId(P.R2), 'pass'], 'passed');
		x = await examReq(P.E, P.E.app);
		c.eq(x.rq?.met, true, `exam met after the pass: ${x.text.slice(0, 300)}`);
		const m = mailsTo(P.E, 'Your exam result');
		c.eq(m.length, 1, 'one result mail');
		c.has(m[0]?.body || '', 'You passed the exam of November 23, 2026', 'passed, in words');
		c.eq(one(`SELECT json_extract(detail, '$.result') FROM audit WHERE what = 'exam' AND ` +
		    `row_id = ${X.rE} AND action = 'result'`), 'pass', 'audit row');
		const page = await U.cSame.get(`/coordinator/exams/${X.S1}`);
		c.ok(new RegExp(`id="reg-${X.rE}"[\\s\\S]*?<strong>passed</strong>`).test(page.text),
		    'the session page shows the pass');
	});

	await test('exam: after the result the scores are final and a pass is not registered again (409)', async (c) => {
		let r = await part1(X.S1, X.rE, '10');
		c.status(r, 409, 'part 1 after the result');
		c.eq(reg(X.rE)?.part1, 50, 'unchanged');
		r = await score(P.E, X.rE, '1');
		c.status(r, 403, 'still not the examinee\'s to score');
		r = await U.cSame.submit(`/coordinator/exams/${X.S4}/register`, { application: String(P.E.app) });
		c.status(r, 409, 'register after a pass');
		c.has(fieldError(r.text, 'application') || '', 'has already passed the exam (November 23, 2026)', 'says why');
	});

	await test('exam: a fail (40/60) tells the retake date; registering before it is refused', async (c) => {
		c.redirect(await score(P.R2, X.rF, '8'), '/review/vignettes', 'R2 first this time');
		c.eq(reg(X.rF)?.scorer_a, accountId(P.R2), 'R2 is scorer A');
		c.redirect(await score(P.R1, X.rF, '7'), '/review/vignettes', 'R1 second');
		c.eq(reg(X.rF)?.result, 'fail', 'failed on part 1');
		const m = mailsTo(P.F, 'Your exam result');
		c.eq(m.length, 1, 'one result mail');
		c.has(m[0]?.body || '', 'You did not pass the exam of November 23, 2026', 'failed, in words');
		c.has(m[0]?.body || '', 'again from February 21, 2027', 'the retake date (90 days later)');
		const x = await examReq(P.F, P.F.app);
		c.eq(x.rq?.met, false, 'exam not met');
		let r = await U.cSame.submit(`/coordinator/exams/${X.S3}/register`, { application: String(P.F.app) });
		c.status(r, 409, 'a session 89 days after the fail');
		c.has(fieldError(r.text, 'application') || '', 'can retake from February 21, 2027', 'says from when');
		c.eq(one(`SELECT count(*) FROM exam_registration WHERE application = ${P.F.app}`), 1,
		    'not registered');
		const again = await registerFor(X.S4, P.F.app);
		c.status(again.r, 303, 'the session on the retake date');
		c.eq(reg(again.id)?.result, null, 'registered again');
	});

	await test('exam: part 1 passed but vignettes 7+6 fail; the last score in may be part 1', async (c) => {
		c.redirect(await score(P.R1, X.rH, '7'), '/review/vignettes', 'R1');
		c.redirect(await score(P.R2, X.rH, '6'), '/review/vignettes', 'R2');
		c.eq(reg(X.rH)?.result, null, 'no result without part 1');
		c.status(await part1(X.S1, X.rH, '55'), 303, 'part 1 last');
		c.eq(reg(X.rH)?.result, 'fail', '13 < 14 fails');
		const m = mailsTo(P.H, 'Your exam result');
		c.has(m[0]?.body || '', 'Part 1: 55 of 60 questions (80% needed), passed', 'part 1 passed');
		c.has(m[0]?.body || '', 'Vignettes: 7 and 6 of 10 (14 together needed), not passed', 'vignettes not');
	});

	await test('exam: exactly the pass marks (48/60, 7+7) pass', async (c) => {
		const k = await registerFor(X.S1, P.K.app);
		c.status(k.r, 303, 'register K');
		c.status(await part1(X.S1, k.id, '48'), 303, 'part 1: 48 of 60 is 80%');
		c.redirect(await score(P.R1, k.id, '7'), '/review/vignettes', 'R1: 7');
		c.redirect(await score(P.R2, k.id, '7'), '/review/vignettes', 'R2: 7');
		c.eq(reg(k.id)?.result, 'pass', '48 and 14 pass');
		const x = await examReq(P.K, P.K.app);
		c.eq(x.rq?.met, true, 'exam met');
	});
}
