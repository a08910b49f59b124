// What the rule sets now say, through the web application: fees in words
// ("set by your association" where no seed gives an amount, never
// "US$ 0"), the staff supervised in a position (work[].staff), an ERS
// add-on decided together with an open FS/MHS application of the same
// person (the portfolio's "pending", the check's "decided_with", the
// coordinator's decision waiting for the other application), and an ERS
// held with Emerging status (endorsements[].emerging_until) closing the
// Emerging option of a new ERS application.  Endorsements held and
// reviewers are made through the store, as t-review does.
import fs from 'node:fs';
import path from 'node:path';

import { test, sql, one, q, snapshot, unchanged, inputValue, fieldError } from '../lib/client.mjs';
import { U, UNIQ, GOLDEN_IFS, email, register, newApp, addEntry, entryData, portfolioFor, apiToken } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const DAY = Date.UTC(2026, 10, 23) / 1000;
const P = {};		// the people of these tests
const X = {};		// ids
let nend = 0;

function golden(assoc, name) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, `tests/golden/check/${assoc}/${name}.json`), 'utf8'));
}

function accountId(u) {
	return one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
}

function status(app) {
	return one(`SELECT status FROM application WHERE id = ${Number(app)}`);
}

// An endorsement held (hidden from the registry's searches).
function hold(u, category, since, emergingUntil = null) {
	sql(`INSERT INTO endorsement (number, account, association, category, since, status, name, city, ` +
	    `hidden, created, emerging_until) VALUES (${q(`TG${UNIQ}-${++nend}`)}, ${accountId(u)}, 'vaimh', ` +
	    `${q(category)}, ${q(since)}, 'active', ${q(u.name)}, '', 1, 0, ` +
	    `${emergingUntil === null ? 'NULL' : q(emergingUntil)})`);
}

async function person(tag, name, assoc = 'vaimh') {
	const u = await register(tag, `${name} ${UNIQ}`, email(tag.toLowerCase()), assoc);
	u.token = await apiToken(u.email, u.password, 'together');
	return u;
}

const api = (u, method, url, json) => u.req(method, url, { bearer: u.token, json });
const checklist = async (u, app) => (await api(u, 'GET', `/api/v1/applications/${app}/checklist`)).json();
const requirement = (check, id) => (check?.requirements || []).find((r) => r.id === id);

// A portfolio that meets the category, with rater addresses of its own and
// every rating completed (a rating is only ever a rater's answer).
async function putGolden(c, u, app, assoc, name) {
	const doc = portfolioFor(golden(assoc, name), assoc, name.replace(/-.*/, ''));
	doc.references = doc.references.map((x, i) => ({ ...x, email: `tg-${app}-${i}-${UNIQ}@example.org` }));
	const r = await api(u, 'PUT', `/api/v1/applications/${app}/portfolio`, doc);
	c.status(r, 200, `PUT the golden ${assoc} ${name} portfolio`);
	doc.references.forEach((x, i) => sql(`INSERT INTO rating (application, email, name, relationship, hash, ` +
	    `status, expires, sent, answered, answers) VALUES (${app}, ${q(x.email)}, ${q(x.name)}, ` +
	    `${q(x.relationship)}, ${q(`tg-${app}-${i}-${UNIQ}`)}, 'completed', ${DAY + 86400 * 30}, ${DAY}, ` +
	    `${DAY}, '{}')`));
}

const assign = (app, u) => U.cSame.submit(`/coordinator/applications/${app}/assign`,
    { reviewer: String(accountId(u)) });
const decide = (app, form) => U.cSame.submit(`/coordinator/applications/${app}/decide`, form);

// Both reviewers assigned, both recommending the same.
async function reviewed(c, app, rec) {
	for (const u of [P.rv1, P.rv2]) {
		c.redirect(await assign(app, u), `/coordinator/applications/${app}#reviewers`, `assign ${u.label}`);
		const a = one(`SELECT id FROM assignment WHERE application = ${app} AND reviewer = ${accountId(u)}`);
		c.redirect(await u.submit(`/review/${a}`, { recommendation: rec, final: 'yes' }), `/review/${a}`,
		    `${u.label} recommends ${rec}`);
	}
}

export async function run() {
	P.rv1 = await person('TgRevOne', 'Tove Reviewer');
	P.rv2 = await person('TgRevTwo', 'Tilo Reviewer');
	for (const u of [P.rv1, P.rv2]) {
		hold(u, 'IFS', '2020-01-01');
		const r = await U.cSame.submit('/coordinator/reviewers', { email: u.email });
		if (r.status !== 303) throw new Error(`reviewer ${u.label}: ${r.status}`);
	}

	// ------------------------------------------------------------ fees
	await test('fees: a VAIMH application says "set by your association" (processing and registration), never US$ 0, before and after submission, and so does the coordinator', async (c) => {
		P.fee = await person('TgFee', 'Fay Feeless');
		const app = await newApp(P.fee, 'vaimh/IFS');
		await putGolden(c, P.fee, app, 'vaimh', 'IFS');
		let r = await P.fee.get(`/applications/${app}`);
		c.status(r, 200, 'the application page');
		c.has(r.text, 'the processing fee is set by your association', 'the processing fee in words');
		c.has(r.text, '(the registration fee: set by your association)', 'the registration fee in words');
		c.lacks(r.text, 'US$ 0', 'no fee of US$ 0');
		c.redirect(await P.fee.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`, 'submit');
		c.eq(status(app), 'submitted', 'submitted');
		r = await P.fee.get(`/applications/${app}`);
		c.has(r.text, 'Fees owed: set by your association.', "the applicant's page after submission");
		c.lacks(r.text, 'US$ 0', 'applicant: no fee of US$ 0');
		const mail = sql(`SELECT body FROM outbox WHERE recipient = ${q(P.fee.email)} AND ` +
		    `subject = 'Your application is submitted'`);
		c.has(mail[0]?.body || '', 'Processing fee: set by your association.', 'the mail');
		c.lacks(mail[0]?.body || '', 'US$ 0', 'mail: no fee of US$ 0');
		r = await U.cSame.get(`/coordinator/applications/${app}`);
		c.status(r, 200, "the coordinator's page");
		c.has(r.text, '<th scope="row">Fee owed</th><td>set by your association</td>', "the coordinator's page");
		c.lacks(r.text, 'US$ 0', 'coordinator: no fee of US$ 0');
	});

	await test('fees: an INfancy Onward IFS application shows the rule file\'s US$ 50, before and after submission', async (c) => {
		P.feeIO = await person('TgFeeIo', 'Ike Feepayer', 'infancy-onward');
		const app = await newApp(P.feeIO, 'infancy-onward/IFS');
		await putGolden(c, P.feeIO, app, 'infancy-onward', 'IFS');
		let r = await P.feeIO.get(`/applications/${app}`);
		c.has(r.text, 'the processing fee is US$ 50', 'the processing fee before submission');
		c.redirect(await P.feeIO.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`, 'submit');
		c.eq(one(`SELECT fee_owed FROM application WHERE id = ${app}`), 50, 'US$ 50 owed');
		r = await P.feeIO.get(`/applications/${app}`);
		c.has(r.text, 'Fees owed: $75.00.', "the applicant's page after submission: the ledger's registration and processing fees");
		r = await U.cOther.get(`/coordinator/applications/${app}`);
		c.has(r.text, '<th scope="row">Fee owed</th><td>$75.00</td>', "the coordinator's page: the ledger's balance");
		c.lacks(r.text, 'set by your association</td>', 'not "set by your association"');
	});

	// ------------------------------------------------------------ staff
	await test('staff: a work entry with staff 4 round-trips through the form, the edit page and the export', async (c) => {
		P.staff = await person('TgStaff', 'Sam Supervisor');
		const app = X.staffApp = await newApp(P.staff, 'vaimh/IMHM-C');
		const id = await addEntry(P.staff, app, 'work', [['title', 'Program Director'], ['start', '2018-01-08'],
		    ['end', ''], ['paid', 'yes'], ['ages', 'infant'], ['service', 'administration'], ['families', '3'],
		    ['staff', '4']]);
		c.eq(entryData(id)?.staff, 4, 'stored as work[].staff');
		c.eq(entryData(id)?.families, 3, 'families beside it');
		let r = await P.staff.get(`/applications/${app}/entries/${id}`);
		c.status(r, 200, 'the edit page');
		c.eq(inputValue(r.text, 'staff'), '4', 'the edit form shows 4');
		c.has(r.text, 'Staff you supervised in this position', 'the label');
		r = await P.staff.get(`/applications/${app}/tab/work`);
		c.has(r.text, '4 staff supervised', 'the entry list names the count');
		r = await P.staff.get(`/applications/${app}/export`);
		c.status(r, 200, 'export');
		c.eq(r.json()?.work?.map((w) => w.staff), [4], 'the export carries staff 4');
		// An entry without it stores none: the portfolio's default, 0.
		const id2 = await addEntry(P.staff, app, 'work', [['title', 'Home Visitor'], ['start', '2010-01-04'],
		    ['end', '2017-12-31'], ['paid', 'yes'], ['ages', 'infant'], ['service', 'prevention'],
		    ['families', '12'], ['staff', '']]);
		c.eq(Object.hasOwn(entryData(id2) || {}, 'staff'), false, 'empty: not stored');
	});

	await test('staff: -1, "x" and 100001 are refused (400) beside the staff field, what was typed kept, nothing stored', async (c) => {
		const before = snapshot();
		for (const [v, why] of [['-1', 'cannot be negative'], ['x', 'enter a whole number'],
		    ['2.5', 'enter a whole number'], ['100001', 'more than 100000']]) {
			const r = await P.staff.submit(`/applications/${X.staffApp}/tab/work`, [['title', 'T'],
			    ['start', '2020-01-01'], ['paid', 'yes'], ['ages', 'infant'], ['service', 'other'],
			    ['staff', v]]);
			c.status(r, 400, `staff ${v}`);
			c.eq(fieldError(r.text, 'staff'), why, `staff ${v}: the message beside staff`);
			c.eq((r.text.match(/<p class="error" id="f-/g) || []).length, 1, `staff ${v}: only staff complains`);
			c.eq(inputValue(r.text, 'staff'), v, `staff ${v}: kept`);
		}
		unchanged(c, before, 'refused staff');
		const r = await api(P.staff, 'PUT', `/api/v1/applications/${X.staffApp}/portfolio`,
		    { ...portfolioFor(golden('vaimh', 'IFS'), 'vaimh', 'IMHM-C'),
		      work: [{ ...golden('vaimh', 'IFS').work[0], staff: -1 }] });
		c.status(r, 400, 'the API refuses staff -1');
		c.eq(r.json()?.field, 'work[0].staff', 'naming work[0].staff');
		unchanged(c, before, 'refused staff through the API');
	});

	// ------------------------------------------------------------ decided together
	await test('pending: with an open IFS application, the ERS prerequisite is met and names the IFS application (checklist, portfolio, page)', async (c) => {
		P.ers = await person('TgErs', 'Erin Together');
		X.ifs = await newApp(P.ers, 'vaimh/IFS');
		await putGolden(c, P.ers, X.ifs, 'vaimh', 'IFS');
		// The new application page takes ERS without an FS/MHS held.
		X.ers = await newApp(P.ers, 'vaimh/ERS');
		await putGolden(c, P.ers, X.ers, 'vaimh', 'ERS');
		const doc = (await api(P.ers, 'GET', `/api/v1/applications/${X.ers}/portfolio`)).json();
		c.eq(doc?.pending, [{ association: 'vaimh', category: 'IFS', application: X.ifs }],
		    'the ERS portfolio lists the open IFS application');
		c.eq(doc?.endorsements, [], 'no endorsement held (what the PUT said is not kept)');
		const check = await checklist(P.ers, X.ers);
		c.eq(check?.eligible, true, 'eligible');
		c.eq(check?.decided_with, { association: 'vaimh', category: 'IFS', application: X.ifs }, 'decided_with');
		const pre = requirement(check, 'prerequisite');
		c.eq(pre?.met, true, 'the prerequisite is met');
		c.has(pre?.explain || '', 'applying for IFS at the same time', 'and says it is the IFS application');
		const page = await P.ers.get(`/applications/${X.ers}`);
		c.has(page.text, 'applying for IFS at the same time; the two are decided together', 'the page says so');
		c.eq((await checklist(P.ers, X.ifs))?.decided_with, undefined, 'the IFS checklist rides on nothing');
	});

	await test('pending: endorsing the ERS is refused (409) while the IFS application is open, naming it; the two pages link each other', async (c) => {
		for (const app of [X.ifs, X.ers])
			c.redirect(await P.ers.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`, `submit ${app}`);
		await reviewed(c, X.ers, 'endorse');
		const r = await decide(X.ers, { decision: 'endorse', note: 'Welcome.' });
		c.status(r, 409, 'endorse the ERS first');
		c.eq(fieldError(r.text, 'decision'), `decide the IFS application #${X.ifs} first: the two are decided ` +
		    'together', 'the message names the IFS application');
		c.eq(status(X.ers), 'submitted', 'still submitted');
		c.eq(one(`SELECT count(*) FROM endorsement WHERE application = ${X.ers}`), 0, 'no endorsement issued');
		c.eq(sql(`SELECT subject FROM outbox WHERE recipient = ${q(P.ers.email)} AND subject = 'You are endorsed'`),
		    [], 'no mail');
		let page = await U.cSame.get(`/coordinator/applications/${X.ers}`);
		c.has(page.text, `decided together with <a href="/coordinator/applications/${X.ifs}">application ` +
		    `#${X.ifs}</a> (IFS)`, 'the ERS page links the IFS application');
		c.has(page.text, `decide the IFS application #${X.ifs} first`, 'and lists it as missing');
		page = await U.cSame.get(`/coordinator/applications/${X.ifs}`);
		c.has(page.text, `decided together with <a href="/coordinator/applications/${X.ers}">application ` +
		    `#${X.ers}</a> (ERS)`, 'the IFS page links the ERS application');
	});

	await test('pending: once the IFS application is endorsed, the ERS endorse decision goes through (303)', async (c) => {
		await reviewed(c, X.ifs, 'endorse');
		c.redirect(await decide(X.ifs, { decision: 'endorse', note: '' }), `/coordinator/applications/${X.ifs}`,
		    'endorse the IFS');
		c.eq(status(X.ifs), 'endorsed', 'IFS endorsed');
		const check = await checklist(P.ers, X.ers);
		c.eq(check?.decided_with, undefined, 'the ERS no longer rides on an open application');
		c.eq(requirement(check, 'prerequisite')?.met, true, 'its prerequisite is the IFS held');
		c.redirect(await decide(X.ers, { decision: 'endorse', note: '' }), `/coordinator/applications/${X.ers}`,
		    'endorse the ERS');
		c.eq(status(X.ers), 'endorsed', 'ERS endorsed');
		c.eq(one(`SELECT category FROM endorsement WHERE application = ${X.ers}`), 'ERS', 'an ERS endorsement');
		const page = await U.cSame.get(`/coordinator/applications/${X.ers}`);
		c.lacks(page.text, 'decided together with', 'nothing is decided together any more');
	});

	await test('pending: when the IFS application is denied, the ERS prerequisite is unmet again', async (c) => {
		P.denied = await person('TgDenied', 'Dora Denied');
		const ifs = await newApp(P.denied, 'vaimh/IFS');
		await putGolden(c, P.denied, ifs, 'vaimh', 'IFS');
		const ers = await newApp(P.denied, 'vaimh/ERS');
		await putGolden(c, P.denied, ers, 'vaimh', 'ERS');
		c.eq(requirement(await checklist(P.denied, ers), 'prerequisite')?.met, true, 'met while IFS is open');
		c.redirect(await P.denied.submit(`/applications/${ifs}/submit`, { declare: 'yes' }), `/applications/${ifs}`, 'submit the IFS');
		await reviewed(c, ifs, 'deny');
		c.redirect(await decide(ifs, { decision: 'deny', note: '' }), `/coordinator/applications/${ifs}`,
		    'deny the IFS');
		c.eq(status(ifs), 'denied', 'denied');
		const doc = (await api(P.denied, 'GET', `/api/v1/applications/${ers}/portfolio`)).json();
		c.eq(doc?.pending, [], 'a denied application is not pending');
		const check = await checklist(P.denied, ers);
		const pre = requirement(check, 'prerequisite');
		c.eq(pre?.met, false, 'the prerequisite is unmet');
		c.has(pre?.explain || '', 'has no open application for one', 'and says why');
		c.eq(check?.eligible, false, 'not eligible');
		c.eq(check?.decided_with, undefined, 'decided with nothing');
		const page = await P.denied.get(`/applications/${ers}`);
		c.has(page.text, 'holds none of IFS, ECFS, IMHS or ECMHS and has no open application for one',
		    "the applicant's page");
	});

	// ------------------------------------------------------------ Emerging held
	await test('emerging_until: a holder of ERS with Emerging status applying for ERS again finds the Emerging option closed', async (c) => {
		P.em = await person('TgEmerging', 'Emma Emerging');
		P.fresh = await person('TgFresh', 'Finn Fresh');
		for (const u of [P.em, P.fresh])
			hold(u, 'IMHS', '2022-09-01');
		hold(P.em, 'ERS', '2025-06-01', '2027-06-01');
		const apps = {};
		for (const u of [P.em, P.fresh]) {
			apps[u.label] = await newApp(u, 'vaimh/ERS');
			await putGolden(c, u, apps[u.label], 'vaimh', 'ERS-emerging');
		}
		const doc = (await api(P.em, 'GET', `/api/v1/applications/${apps.TgEmerging}/portfolio`)).json();
		c.eq(doc?.endorsements?.find((e) => e.category === 'ERS'), { association: 'vaimh', category: 'ERS',
		    since: '2025-06-01', emerging_until: '2027-06-01' }, 'the portfolio carries emerging_until');
		c.eq(doc?.endorsements?.find((e) => e.category === 'IMHS')?.emerging_until, null,
		    'null for an endorsement held in full');
		const emerging = (check) => (requirement(check, 'pathway')?.alternatives || [])
		    .find((a) => a.emerging_months > 0);
		// Without Emerging status held, the same portfolio is eligible as Emerging.
		const open = await checklist(P.fresh, apps.TgFresh);
		c.eq([open?.eligible, open?.status, emerging(open)?.met, emerging(open)?.closed],
		    [true, 'emerging', true, undefined], 'not held: the Emerging option is open');
		const check = await checklist(P.em, apps.TgEmerging);
		c.eq(emerging(check)?.met, false, 'held: the Emerging option is not met');
		c.has(emerging(check)?.closed || '', 'already held with Emerging status since June 1, 2025, until June 1, 2027',
		    'and says it is held already');
		c.eq([check?.eligible, check?.status], [false, undefined], 'not eligible as Emerging again');
		const page = await P.em.get(`/applications/${apps.TgEmerging}`);
		c.has(page.text, 'Emerging: already held with Emerging status since June 1, 2025', 'the page says so');
	});
}
