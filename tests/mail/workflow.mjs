// The workflow end to end (issue 4), on the mail suite's server so that
// every message really goes over SMTP to the sink: an IMHM-C applicant
// asks three raters (one form voided and replaced), submits, is reviewed
// by two reviewers, passes the exam and is endorsed, and the number
// verifies in the public registry; an IFS applicant is deferred.  The
// rater's link is read from the mail the sink received, as a rater would.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Client, sql, one, q } from '../lib/client.mjs';

const ROOT = process.env.HTTP_ROOT;
const TMP = process.env.HTTP_TMP;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n');

function golden(cat, uniq) {
	const d = JSON.parse(readFileSync(`${ROOT}/tests/golden/check/vaimh/${cat}.json`, 'utf8'));
	d.references = d.references.map((r, i) => ({ ...r,
	    email: `rater${i}-${cat.toLowerCase()}-${uniq}@example.org` }));
	d.exam = [];
	delete d.as_of;
	return d;
}

function linkIn(body) {
	const m = body.match(/(http:\/\/[^\s]+\/rate\/[0-9a-f]{64})/);
	return m ? m[1] : null;
}

function pathOf(link) {
	return new URL(link).pathname;
}

// Answers for every item of the vaimh form (15 items): n of them "not
// enough information".
function answers(nUnknown, recommend = 'yes') {
	const f = { action: 'rate', recommend, comments: 'Thoughtful & <kind> work' };
	for (let i = 0; i < 15; i++)
		f[`item${i}`] = i < nUnknown ? 'n' : String(1 + (i % 4));
	return f;
}

async function importPortfolio(u, app, doc) {
	return u.submitMultipart(`/applications/${app}/import`, (fd) =>
	    fd.append('portfolio', new Blob([JSON.stringify(doc)],
	    { type: 'application/json' }), 'p.json'));
}

async function newApp(u, choice) {
	const r = await u.submit('/applications', { choice });
	const m = (r.location || '').match(/^\/applications\/(\d+)$/);
	if (!m) throw new Error(`new application: ${r.status} ${r.text.slice(0, 300)}`);
	return Number(m[1]);
}

function refEntries(app) {
	return sql(`SELECT id, json_extract(data, '$.email') AS email FROM entry ` +
	    `WHERE application = ${app} AND kind = 'references' ORDER BY id`);
}

async function checklist(u, app) {
	const r = await u.get(`/applications/${app}/export`);
	const doc = JSON.parse(r.text);
	const f = `${TMP}/wf-${app}.json`;
	writeFileSync(f, JSON.stringify(doc));
	let out;
	try {
		out = execFileSync(process.env.HTTP_BIN, ['check', '--format', 'json',
		    '--rules', `${ROOT}/rules`, f], { encoding: 'utf8' });
	} catch (e) {
		out = e.stdout;
	}
	const j = JSON.parse(out);
	return { doc, check: j, met: Object.fromEntries(j.requirements.map((x) => [x.id, x.met])) };
}

export async function workflow(ctx) {
	const { test, until, register, coordinator, mailTo, received, UNIQ } = ctx;
	const S = { firstMail: one('SELECT coalesce(max(id), 0) FROM outbox') };

	await test('workflow: an IMHM-C applicant imports a portfolio; typed "completed" references do not count', async (c) => {
		S.P = await register(`Petra Mentor ${UNIQ}`, `petra-${UNIQ}@example.org`, 'vaimh');
		c.redirect(S.P.res, '/login?registered=1', 'register');
		c.redirect(S.P.login, '/dashboard', 'log in');
		S.app = await newApp(S.P, 'vaimh/IMHM-C');
		S.doc = golden('IMHM-C', UNIQ);
		c.redirect(await importPortfolio(S.P, S.app, S.doc), /^\/applications\/\d+\?imported=1$/, "import");
		const k = await checklist(S.P, S.app);
		c.eq(k.doc.references.map((x) => x.status), ['draft', 'draft', 'draft'],
		    'references are drafts until a rater answers');
		c.eq(k.met.references, false, 'references unmet');
		c.eq(k.met.exam, false, 'exam unmet');
		// A transcript is an uploaded PDF: the file's flags count for nothing.
		c.eq(k.met.transcripts, false, 'transcripts unmet by the imported flags');
		for (const e of sql(`SELECT id FROM entry WHERE application = ${S.app} AND kind = 'education'`))
			c.redirect(await S.P.submitMultipart(`/applications/${S.app}/entries/${e.id}/transcript`,
			    (fd) => fd.append('pdf', new Blob([PDF], { type: 'application/pdf' }), 'transcript.pdf')),
			    /#entries$/, `transcript of entry ${e.id}`);
		c.eq((await checklist(S.P, S.app)).met.transcripts, true, 'the uploaded PDFs meet it');
		const page = await S.P.get(`/applications/${S.app}`);
		c.lacks(page.text, 'Submit the application', 'no submit button yet');
		c.status(await S.P.submit(`/applications/${S.app}/submit`, {}), 409, 'submit refused');
	});

	await test('workflow: the applicant asks three raters; each gets a private link by mail', async (c) => {
		S.refs = refEntries(S.app);
		c.eq(S.refs.length, 3, 'three reference entries');
		for (const e of S.refs)
			c.redirect(await S.P.submit(`/applications/${S.app}/entries/${e.id}/request`, {}),
			    `/applications/${S.app}/tab/references#ratings`, `request ${e.email}`);
		S.links = {};
		for (const e of S.refs) {
			const m = await until(`mail to ${e.email}`, () => mailTo(e.email)[0]);
			S.links[e.email] = linkIn(m.body);
			c.ok(S.links[e.email], `a link in the mail to ${e.email}`);
			c.has(m.body, S.P.name, 'the mail names the applicant');
		}
		c.eq(one(`SELECT count(*) FROM rating WHERE application = ${S.app}`), 3, 'three requests');
		c.eq(one(`SELECT count(*) FROM rating WHERE hash LIKE '%' || ${q(pathOf(S.links[S.refs[0].email]).slice(6))} || '%'`),
		    0, 'the token itself is not stored');
		const tab = await S.P.get(`/applications/${S.app}/tab/references`);
		c.has(tab.text, 'Request sent', 'the applicant sees each request\'s state');
		await until('delivery recorded', () => one(`SELECT count(*) FROM rating r JOIN outbox o ` +
		    `ON o.id = r.outbox WHERE r.application = ${S.app} AND o.status = 'sent'`) === 3);
		const tab2 = await S.P.get(`/applications/${S.app}/tab/references`);
		c.has(tab2.text, 'sent ', 'the applicant sees that the mail went out');
	});

	await test('workflow: a rater\'s link opens its own form and nothing else', async (c) => {
		const rater = new Client('rater0');
		const link = S.links[S.refs[0].email];
		const r = await rater.get(pathOf(link));
		c.status(r, 200, 'the form opens');
		c.has(r.text, S.P.name, 'names the applicant');
		c.has(r.text, 'IMHM-C', 'names the category');
		c.has(r.text, 'Not enough information to rate', 'each item offers not enough information');
		c.eq(one(`SELECT status FROM rating WHERE application = ${S.app} AND email = ${q(S.refs[0].email)}`),
		    'opened', 'marked opened');
		c.redirect(await rater.get(`/applications/${S.app}`), '/login', 'the application needs a login');
		c.redirect(await rater.get('/dashboard'), '/login', 'no dashboard');
		c.status(await rater.get(`/applications/${S.app}/ratings/1`), [303], 'no rating read');
		const tok = pathOf(link).slice(6);
		c.status(await rater.get(`/rate/${tok.slice(0, 63)}${tok[63] === '0' ? '1' : '0'}`), 404,
		    'a changed token opens nothing');
		c.status(await rater.get(`/rate/${tok.slice(0, 10)}`), 404, 'a short token opens nothing');
		const bad = await rater.submit(pathOf(link), { action: 'rate', item0: '9' });
		c.status(bad, 400, 'a half-filled form is refused');
		c.has(bad.text, 'choose one answer', 'names the missing answers');
		c.has(bad.text, 'say whether you recommend', 'names the recommendation');
		c.eq(one(`SELECT status FROM rating WHERE application = ${S.app} AND email = ${q(S.refs[0].email)}`),
		    'opened', 'nothing stored from the refused form');
	});

	await test('workflow: six "not enough information" answers void the form; the applicant is told to replace it, not what it said', async (c) => {
		const rater = new Client('rater0');
		const link = S.links[S.refs[0].email];
		// Warned first that such a form will not count, the rater sends
		// it anyway.
		let w = await rater.submit(pathOf(link), answers(6));
		c.has(w.text, 'This form will not count', 'warned before sending');
		c.eq(one(`SELECT status FROM rating WHERE application = ${S.app} AND email = ${q(S.refs[0].email)}`),
		    'opened', 'nothing stored before the rater sends anyway');
		w = await rater.submit(pathOf(link), { ...answers(6), anyway: 'yes' });
		c.status(w, 200, 'answered');
		c.eq(one(`SELECT status FROM rating WHERE application = ${S.app} AND email = ${q(S.refs[0].email)}`),
		    'void', 'void');
		c.status(await rater.get(pathOf(link)), 410, 'the used link stops working');
		c.status(await rater.submit(pathOf(link), answers(0)), 410, 'and cannot be answered again');
		const m = await until('the void notice', () => mailTo(S.P.email, 'A reference form needs replacing')[0]);
		c.lacks(m.body, 'Thoughtful', 'the notice does not quote the form');
		const tab = await S.P.get(`/applications/${S.app}/tab/references`);
		c.has(tab.text, 'the form needs replacing', 'the tab says so');
		c.lacks(tab.text, 'Thoughtful', 'the tab does not show the answers');
		const rid = one(`SELECT id FROM rating WHERE application = ${S.app} AND email = ${q(S.refs[0].email)}`);
		c.status(await S.P.get(`/applications/${S.app}/ratings/${rid}`), 403, 'the applicant cannot read it');
		c.eq((await checklist(S.P, S.app)).doc.references[0].status, 'void', 'portfolio status void');
	});

	await test('workflow: resend and the coordinator\'s hand-over replace the link; revoke stops it', async (c) => {
		const e = S.refs[0];
		// The void request is asked again at once (nothing is lost).
		c.redirect(await S.P.submit(`/applications/${S.app}/entries/${e.id}/request`, {}),
		    /#ratings$/, 'ask again');
		const before = mailTo(e.email).length;
		const m = await until('a second mail', () => mailTo(e.email).length > 1 && mailTo(e.email));
		const link2 = linkIn(m[m.length - 1].body);
		c.ok(link2 && link2 !== S.links[e.email], 'a new link');
		const rid = one(`SELECT max(id) FROM rating WHERE application = ${S.app} AND email = ${q(e.email)}`);
		c.redirect(await S.P.submit(`/applications/${S.app}/ratings/${rid}/resend`, {}), /#ratings$/, 'resend');
		const m3 = await until('a third mail', () => mailTo(e.email).length > before + 1 && mailTo(e.email));
		const link3 = linkIn(m3[m3.length - 1].body);
		const rater = new Client('rater0b');
		c.status(await rater.get(pathOf(link2)), 404, 'the resent link replaced the old one');
		// The applicant is never shown a rater's link; the association's
		// coordinator takes one to hand to the rater.
		c.status(await S.P.submit(`/applications/${S.app}/ratings/${rid}/link`, {}), [403, 404],
		    'no link for the applicant');
		const C = new Client('coord-handover');
		await C.submit('/login', coordinator('vaimh'));
		const cp = await C.submit(`/coordinator/applications/${S.app}/ratings/${rid}/link`, {});
		c.status(cp, 200, 'a link to hand over');
		const link4 = (cp.text.match(/value="(http:[^"]+\/rate\/[0-9a-f]{64})"/) || [])[1];
		c.ok(link4, 'the page shows the link');
		c.status(await rater.get(pathOf(link3)), 404, 'the mailed link no longer works');
		c.status(await rater.get(pathOf(link4)), 200, 'the copied one does');
		// Expired: the clock moves past the link's date.
		sql(`UPDATE rating SET expires = 1 WHERE id = ${rid}`);
		c.status(await rater.get(pathOf(link4)), 410, 'an expired link opens nothing');
		const tab = await S.P.get(`/applications/${S.app}/tab/references`);
		c.has(tab.text, 'Expired', 'the applicant sees it expired');
		c.redirect(await S.P.submit(`/applications/${S.app}/ratings/${rid}/resend`, {}), /#ratings$/,
		    'an expired request can be resent');
		const m5 = await until('a fresh mail', () => mailTo(e.email).length > before + 2 && mailTo(e.email));
		S.links[e.email] = linkIn(m5[m5.length - 1].body);
		c.status(await rater.get(pathOf(S.links[e.email])), 200, 'the fresh link works');
		// Revoke, then ask once more for the real answer.
		c.redirect(await S.P.submit(`/applications/${S.app}/ratings/${rid}/revoke`, {}), /#ratings$/, 'revoke');
		c.status(await rater.get(pathOf(S.links[e.email])), 410, 'a revoked link opens nothing');
		const other = new Client('intruder');
		c.status(await other.submit(`/applications/${S.app}/ratings/${rid}/resend`, {}), [303, 403],
		    'a stranger cannot resend');
	});

	await test('workflow: three completed ratings meet the references requirement', async (c) => {
		const e = S.refs[0];
		const n = mailTo(e.email).length;
		await S.P.submit(`/applications/${S.app}/entries/${e.id}/request`, {});
		const m = await until('the last request', () => mailTo(e.email).length > n && mailTo(e.email));
		S.links[e.email] = linkIn(m[m.length - 1].body);
		for (const x of S.refs) {
			const r = await new Client('rater').submit(pathOf(S.links[x.email]), answers(2));
			c.status(r, 200, `rating by ${x.email}`);
			c.has(r.text, 'Thank you', 'thanked');
		}
		const k = await checklist(S.P, S.app);
		c.eq(k.doc.references.map((x) => x.status), ['completed', 'completed', 'completed'], 'completed');
		c.eq(k.met.references, true, 'references met');
		c.eq(k.met.exam, false, 'the exam still to come');
		const rid = one(`SELECT max(id) FROM rating WHERE application = ${S.app} AND status = 'completed'`);
		c.status(await S.P.get(`/applications/${S.app}/ratings/${rid}`), 403,
		    'vaimh keeps ratings from the applicant');
		const coord = coordinator('vaimh');
		S.C = new Client('coord');
		await S.C.submit('/login', coord);
		S.C.password = coord.password;
		const read = await S.C.get(`/applications/${S.app}/ratings/${rid}`);
		c.status(read, 200, 'the coordinator reads it');
		c.has(read.text, 'Thoughtful &amp; &lt;kind&gt; work', 'the comment, escaped');
	});

	await test('workflow: submission locks the portfolio and enters the open review cycle', async (c) => {
		c.redirect(await S.C.submit('/coordinator/cycles', { name: `Winter ${UNIQ}`,
		    opens: '2026-11-01', closes: '2027-01-31' }), /\/coordinator\/cycles/, 'open a cycle');
		const page = await S.P.get(`/applications/${S.app}`);
		c.has(page.text, 'Submit the application', 'a submit button');
		c.redirect(await S.P.submit(`/applications/${S.app}/submit`, { declare: 'yes' }), `/applications/${S.app}`, 'submit');
		const row = sql(`SELECT status, fee_owed, cycle, submitted FROM application WHERE id = ${S.app}`)[0];
		c.eq(row.status, 'submitted', 'status');
		c.ok(row.cycle > 0, 'in a cycle');
		c.ok(row.submitted > 0, 'submitted time');
		c.status(await S.P.submit(`/applications/${S.app}/tab/training`, { title: 'x',
		    date: '2026-01-01', hours: '1', role: 'attended' }), 409, 'locked');
		c.status(await S.P.submit(`/applications/${S.app}/submit`, {}), 409, 'not twice');
		await until('the submission mail', () => mailTo(S.P.email, 'Your application is submitted')[0]);
		// Issue 17: the coordinator hears of it over SMTP too.
		const cm = await until("the coordinator's notice", () =>
		    mailTo(coordinator('vaimh').email, 'A new application was submitted')[0]);
		c.ok(cm && cm.body.includes(`/coordinator/applications/${S.app}`), 'the coordinator is mailed of the submission');
		c.ok(one(`SELECT count(*) FROM audit WHERE what = 'application' AND row_id = ${S.app} ` +
		    `AND action = 'submit'`) === 1, 'audited');
	});

	// Two endorsed reviewers (endorsements moved in from the old system).
	await test('workflow: two endorsed reviewers are assigned; the applicant and raters cannot be', async (c) => {
		S.R1 = await register(`Rowan Reviewer ${UNIQ}`, `rowan-${UNIQ}@example.org`);
		S.R2 = await register(`Reese Reviewer ${UNIQ}`, `reese-${UNIQ}@example.org`);
		const csv = `${TMP}/wf-reviewers.csv`;
		writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
		    `WR-${UNIQ}-1,${S.R1.name},${S.R1.email},IMHM-C,2015-01-01,active,Richmond\n` +
		    `WR-${UNIQ}-2,${S.R2.name},${S.R2.email},IMHM-C,2016-01-01,active,Norfolk\n`);
		execFileSync(process.env.HTTP_BIN, ['import', 'endorsees', '--db', process.env.HTTP_DB,
		    '--association', 'vaimh', '--rules', `${ROOT}/rules`, csv], { encoding: 'utf8' });
		for (const R of [S.R1, S.R2])
			c.redirect(await S.C.submit('/coordinator/reviewers', { email: R.email }),
			    /\/coordinator\/reviewers/, `reviewer ${R.email}`);
		const id = (e) => one(`SELECT id FROM account WHERE email = ${q(e)}`);
		c.status(await S.C.submit(`/coordinator/applications/${S.app}/assign`,
		    { reviewer: String(id(S.P.email)) }), 400, 'the applicant is no reviewer of their own');
		for (const R of [S.R1, S.R2])
			c.redirect(await S.C.submit(`/coordinator/applications/${S.app}/assign`,
			    { reviewer: String(id(R.email)) }), /\/coordinator\/applications\//, `assign ${R.email}`);
		S.asg = sql(`SELECT id, reviewer FROM assignment WHERE application = ${S.app} ORDER BY id`);
		c.eq(S.asg.length, 2, 'two assignments');
		c.status(await S.R2.get(`/review/${S.asg[0].id}`), 404, 'a reviewer sees only their own assignment');
		c.status(await S.R1.get(`/review/${S.asg[0].id}`), 200, 'the reviewer sees theirs');
	});

	await test('workflow: both reviewers approve for the exam; the coordinator decides', async (c) => {
		for (const [R, a] of [[S.R1, S.asg[0]], [S.R2, S.asg[1]]])
			c.redirect(await R.submit(`/review/${a.id}`, [['competency', '0'], ['competency', '6'],
			    ['recommendation', 'exam'], ['missing', ''], ['to_applicant', 'Well documented.'],
			    ['final', 'yes']]), /\/review/, `recommendation of ${R.email}`);
		const done = await until('the finished round, mailed to the coordinator', () =>
		    mailTo(coordinator('vaimh').email, `Review complete on application ${S.app}`)[0]);
		c.ok(done && done.body.includes(S.R1.name), 'the coordinator is mailed of the finished round');
		c.redirect(await S.C.submit(`/coordinator/applications/${S.app}/decide`,
		    { decision: 'exam', note: 'Approved for the written exam.' }), /\/coordinator\/applications\//,
		    'decision: exam');
		c.eq(one(`SELECT status FROM application WHERE id = ${S.app}`), 'exam', 'status exam');
	});

	await test('workflow: the exam, part 1 and two blind vignette scores: a pass', async (c) => {
		c.redirect(await S.C.submit('/coordinator/exams', { date: '2026-11-23', place: 'online' }),
		    /\/coordinator\/exams/, 'a session');
		const sid = one("SELECT max(id) FROM exam_session WHERE association = 'vaimh'");
		c.redirect(await S.C.submit(`/coordinator/exams/${sid}/register`, { application: String(S.app) }),
		    /\/coordinator\/exams\//, 'register');
		const reg = one(`SELECT id FROM exam_registration WHERE application = ${S.app}`);
		c.redirect(await S.C.submit(`/coordinator/exams/${sid}/registrations/${reg}`, { part1: '54' }),
		    /\/coordinator\/exams\//, 'part 1');
		const vig = await S.R1.get('/review/vignettes');
		c.lacks(vig.text, S.P.name, 'the scorer does not see the examinee');
		c.redirect(await S.R1.submit(`/review/vignettes/${reg}`, { score: '8' }), /\/review\/vignettes/, 'score a');
		c.redirect(await S.R2.submit(`/review/vignettes/${reg}`, { score: '7' }), /\/review\/vignettes/, 'score b');
		c.eq(one(`SELECT result FROM exam_registration WHERE id = ${reg}`), 'pass', 'passed');
		c.eq((await checklist(S.P, S.app)).met.exam, true, 'the exam requirement is met');
	});

	await test('workflow: endorsed; the number verifies in the public registry', async (c) => {
		c.redirect(await S.C.submit(`/coordinator/applications/${S.app}/decide`,
		    { decision: 'endorse', note: 'Congratulations.' }), /\/coordinator\/applications\//, 'endorse');
		c.eq(one(`SELECT status FROM application WHERE id = ${S.app}`), 'endorsed', 'status');
		S.number = one(`SELECT number FROM endorsement WHERE application = ${S.app}`);
		c.ok(/^VA-\d{4}-\d{4}$/.test(S.number || ''), `number ${S.number}`);
		const anon = new Client('public');
		const v = await anon.get(`/verify/${S.number}`);
		c.status(v, 200, 'verification page');
		c.has(v.text, S.P.name, 'names the endorsee');
		const api = await anon.get(`/api/v1/verify/${S.number}`);
		c.eq({ n: api.json()?.number, s: api.json()?.status, c: api.json()?.category },
		    { n: S.number, s: 'active', c: 'IMHM-C' }, 'the JSON verification');
		const dash = await S.P.get('/dashboard');
		c.has(dash.text, S.number, 'the credential on the dashboard');
		const hist = await S.C.get(`/coordinator/applications/${S.app}`);
		for (const a of ['submit', 'decision', 'issue'])
			c.has(hist.text, a, `history shows ${a}`);
		await until('the decision mail', () => mailTo(S.P.email).some((m) => /endorse/i.test(m.headers.subject || '')));
	});

	await test('workflow: the certificate is a PDF whose QR code decodes to the verification page', async (c) => {
		const r = await S.P.get(`/endorsements/${S.number}/certificate.pdf`);
		c.status(r, 200, 'the endorsee gets it');
		c.eq(r.headers.get('content-type'), 'application/pdf', 'content type');
		c.eq(r.buf.subarray(0, 5).toString(), '%PDF-', 'a PDF');
		const pdf = `${TMP}/wf-cert.pdf`;
		writeFileSync(pdf, r.buf);
		execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', pdf, `${TMP}/wf-cert`]);
		const qr = execFileSync('zbarimg', ['--nodbus', '--raw', '-q', `${TMP}/wf-cert.png`],
		    { encoding: 'utf8' }).trim();
		c.eq(new URL(qr).pathname, `/verify/${S.number}`, 'the QR code names the verification page');
		c.status(await new Client('public').get(new URL(qr).pathname), 200, 'which answers');
		c.status(await S.R1.get(`/endorsements/${S.number}/certificate.pdf`), 404, 'not for someone else');
		c.status(await S.C.get(`/endorsements/${S.number}/certificate.pdf`), 200, 'the coordinator may print it');
	});

	await test('workflow: an IFS applicant is deferred and may edit again', async (c) => {
		S.Q = await register(`Quinn Specialist ${UNIQ}`, `quinn-${UNIQ}@example.org`, 'vaimh');
		const app = await newApp(S.Q, 'vaimh/IFS');
		const doc = golden('IFS', UNIQ);
		await importPortfolio(S.Q, app, doc);
		for (const e of refEntries(app))
			await S.Q.submit(`/applications/${app}/entries/${e.id}/request`, {});
		for (const e of refEntries(app)) {
			const m = await until(`mail to ${e.email}`, () => mailTo(e.email)[0]);
			c.status(await new Client('r').submit(pathOf(linkIn(m.body)), answers(0)), 200, 'rated');
		}
		c.redirect(await S.Q.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`, 'submitted');
		const id = (e) => one(`SELECT id FROM account WHERE email = ${q(e)}`);
		for (const R of [S.R1, S.R2])
			await S.C.submit(`/coordinator/applications/${app}/assign`, { reviewer: String(id(R.email)) });
		const asg = sql(`SELECT id FROM assignment WHERE application = ${app} ORDER BY id`);
		for (const [R, a] of [[S.R1, asg[0]], [S.R2, asg[1]]])
			await R.submit(`/review/${a.id}`, [['recommendation', 'defer'],
			    ['missing', '6 more hours of RSC'], ['to_applicant', 'More RSC, please.'], ['final', 'yes']]);
		c.status(await S.C.submit(`/coordinator/applications/${app}/decide`, { decision: 'defer', note: '' }),
		    400, 'a deferral says what is missing');
		c.redirect(await S.C.submit(`/coordinator/applications/${app}/decide`,
		    { decision: 'defer', note: 'Log 6 more hours of RSC.' }), /\/coordinator\/applications\//, 'defer');
		c.eq(one(`SELECT status FROM application WHERE id = ${app}`), 'deferred', 'deferred');
		const page = await S.Q.get(`/applications/${app}`);
		c.has(page.text, 'Log 6 more hours of RSC.', 'the applicant sees the note');
		c.has(page.text, 'More RSC, please.', 'and the reviewers\' comment for them');
		c.redirect(await S.Q.submit(`/applications/${app}/tab/training`, { title: 'More', date: '2026-06-01',
		    hours: '2', role: 'attended' }), /#entries$/, 'editable again');
		// Submitted again, it is reviewed anew: the earlier round's
		// recommendations do not decide it.
		await new Promise((res) => setTimeout(res, 1100));
		c.redirect(await S.Q.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`, 'resubmitted');
		c.status(await S.C.submit(`/coordinator/applications/${app}/decide`, { decision: 'deny', note: 'x' }),
		    409, 'no decision on the old reviews');
		c.redirect(await S.C.submit(`/coordinator/applications/${app}/assign`,
		    { reviewer: String(id(S.R1.email)) }), /\/coordinator\/applications\//, 'the same reviewer again');
		c.eq(one(`SELECT count(*) FROM assignment WHERE application = ${app}`), 3, 'the first round is kept');
	});

	// INfancy Onward lets applicants read completed forms unless they waived.
	await test('workflow: under "unless-waived" the applicant reads a completed rating; a waiver hides it for good', async (c) => {
		const mk = async (tag) => {
			const u = await register(`Io ${tag} ${UNIQ}`, `io-${tag}-${UNIQ}@example.org`, 'infancy-onward');
			const app = await newApp(u, 'infancy-onward/IFS');
			const rater = `io-rater-${tag}-${UNIQ}@example.org`;
			await u.submit(`/applications/${app}/tab/references`, { name: `Rater ${tag}`, email: rater,
			    relationship: 'colleague' });
			const e = refEntries(app)[0];
			return { u, app, e, rater };
		};
		const W = await mk('open'), V = await mk('waived');
		c.redirect(await V.u.submit(`/applications/${V.app}/waiver`, { waive: 'yes' }), /#ratings$/, 'V waives');
		for (const X of [W, V]) {
			await X.u.submit(`/applications/${X.app}/entries/${X.e.id}/request`, {});
			const m = await until(`mail to ${X.rater}`, () => mailTo(X.rater)[0]);
			const form = await new Client('r').get(pathOf(linkIn(m.body)));
			c.status(await new Client('r').submit(pathOf(linkIn(m.body)), answers(0)), 200, 'rated');
			X.rid = one(`SELECT id FROM rating WHERE application = ${X.app}`);
			X.form = form.text;
		}
		const read = await W.u.get(`/applications/${W.app}/ratings/${W.rid}`);
		c.status(read, 200, 'W reads the completed form');
		c.has(read.text, 'Thoughtful &amp; &lt;kind&gt; work', 'with its comment, escaped');
		c.has(read.text, 'Recommends', 'and the recommendation');
		c.has(W.form, 'may read your answers', 'W\'s rater was told the applicant may read it');
		c.has(V.form, 'will not see your answers', 'V\'s rater was told it is confidential');
		c.status(await V.u.get(`/applications/${V.app}/ratings/${V.rid}`), 403, 'V waived: refused');
		c.status(await V.u.submit(`/applications/${V.app}/waiver`, { waive: 'no' }), 409,
		    'a waiver a rater answered under stays');
		c.status(await V.u.get(`/applications/${V.app}/ratings/${V.rid}`), 403, 'still refused');
		// A completed rating counts for the rule set's 12 months only.
		c.eq((await checklist(W.u, W.app)).doc.references[0].status, 'completed', 'completed now');
		sql(`UPDATE rating SET answered = answered - 400 * 86400 WHERE id = ${W.rid}`);
		c.eq((await checklist(W.u, W.app)).doc.references[0].status, 'expired', 'expired after 12 months');
	});

	await test('workflow: the SMTP sink received every message the workflow queued', async (c) => {
		await until('every message delivered', () => one("SELECT count(*) FROM outbox WHERE " +
		    "status IN ('queued', 'retry') AND created > 0") === 0, 30000);
		const rows = sql(`SELECT recipient, subject FROM outbox WHERE id > ${S.firstMail}`);
		const got = received();
		const missing = rows.filter((r) => !got.some((m) => m.to.includes(r.recipient)));
		c.eq(missing, [], 'every sent row is at the sink');
		c.ok(rows.length >= 20, `${rows.length} workflow messages`);
		c.eq(one(`SELECT count(*) FROM outbox WHERE id > ${S.firstMail} AND status <> 'sent'`), 0,
		    'every one sent');
	});

	S.done = true;
	return S;
}
