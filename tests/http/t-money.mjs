// Money (issue 17): the fee schedule before an applicant starts; charges
// written at submission; the coordinator's ledger of an account
// (payments, waivers, refunds) with its refusals (bad amount, refund over
// what was paid, no reason, another association, their own account, an
// applicant); receipts reachable by the payer and the association's
// coordinators only; Stripe Checkout against a fake API (STRIPE_PORT, set
// by tests/http/run) and the signed webhook (good once, bad signature,
// old timestamp, replay, unknown session).  Nothing here calls Stripe.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, sql, one, q, inputValue, fieldError, errorSummary } from '../lib/client.mjs';
import { U, UNIQ, email, register, login, newApp, portfolioFor, apiToken } from './common.mjs';
import { ownServer } from '../lib/own.mjs';

const ROOT = process.env.HTTP_ROOT;
const SECRET = process.env.STRIPE_WEBHOOK_SECRET;
const DAY = Date.UTC(2026, 10, 23) / 1000;
const P = {};
const X = {};

const accountId = (u) => one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
const lines = (acct) => sql(`SELECT kind, cents, what, method, reference, reason, application FROM ledger ` +
    `WHERE account = ${acct} ORDER BY id`);
const nLines = () => one('SELECT count(*) FROM ledger');

async function person(tag, name, assoc) {
	const u = await register(tag, `${name} ${UNIQ}`, email(tag.toLowerCase()), assoc);
	u.token = await apiToken(u.email, u.password, 'money');
	return u;
}

// The golden portfolio of a category, its ratings completed, so that the
// application can be submitted.
async function ready(c, u, app, assoc, cat) {
	const doc = portfolioFor(JSON.parse(fs.readFileSync(path.join(ROOT,
	    `tests/golden/check/${assoc}/${cat}.json`), 'utf8')), assoc, cat);
	doc.references = doc.references.map((x, i) => ({ ...x, email: `tm-${app}-${i}-${UNIQ}@example.org` }));
	const r = await u.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: u.token, json: doc });
	c.status(r, 200, `PUT the golden ${assoc} ${cat} portfolio`);
	doc.references.forEach((x, i) => sql(`INSERT INTO rating (application, email, name, relationship, hash, ` +
	    `status, expires, sent, answered, answers) VALUES (${app}, ${q(x.email)}, ${q(x.name)}, ` +
	    `${q(x.relationship)}, ${q(`tm-${app}-${i}-${UNIQ}`)}, 'completed', ${DAY + 86400 * 30}, ${DAY}, ` +
	    `${DAY}, '{}')`));
}

const ledgerUrl = (acct) => `/coordinator/accounts/${acct}/ledger`;
const pay = (u, acct, app, f) => u.submit(ledgerUrl(acct), { kind: 'payment', 'payment-application': String(app),
    'payment-amount': '30.00', 'payment-method': 'check', 'payment-date': '2026-11-20',
    'payment-reference': 'Check 1042', ...f });

// ------------------------------------------------------------ Stripe

function sign(body, t = Math.floor(Date.now() / 1000), secret = SECRET) {
	const v1 = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
	return `t=${t},v1=${v1}`;
}

// The same header with the signature's last digit changed.
const flip = (h) => h.slice(0, -1) + (h.at(-1) === '0' ? '1' : '0');

function event(id, session, amount) {
	return JSON.stringify({ id, object: 'event', type: 'checkout.session.completed',
	    data: { object: { id: session, object: 'checkout.session', amount_total: amount,
	    payment_status: 'paid', currency: 'usd' } } });
}

const hook = (body, sig) => new Client('stripe').post('/webhooks/stripe', {
    body, headers: { 'Content-Type': 'application/json; charset=utf-8', ...(sig ? { 'Stripe-Signature': sig } : {}) } });

// The fake Stripe API: records each request, answers a session.
function fakeStripe() {
	const got = [];
	const srv = http.createServer((req, res) => {
		let body = '';
		req.on('data', (d) => { body += d; });
		req.on('end', () => {
			got.push({ method: req.method, url: req.url, auth: req.headers.authorization,
			    form: new URLSearchParams(body) });
			const id = `cs_test_${UNIQ}_${got.length}`;
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ id, object: 'checkout.session',
			    url: `https://checkout.stripe.test/c/pay/${id}` }));
		});
	});
	return new Promise((ok) => srv.listen(Number(process.env.STRIPE_PORT), '127.0.0.1',
	    () => ok({ srv, got })));
}

// A server of its own whose INfancy Onward rule set says `setting fee due
// at submit` (no card payments configured): submission waits for the
// fees, paid to the coordinator.
async function dueAtSubmit() {
	const dir = path.join(process.env.HTTP_TMP, 'money-due');
	fs.mkdirSync(path.join(dir, 'rules'), { recursive: true });
	for (const f of fs.readdirSync(path.join(ROOT, 'rules'))) {
		let text = fs.readFileSync(path.join(ROOT, 'rules', f), 'utf8');
		if (f === 'infancy-onward.rules')
			text = text.replace('\tsetting number IN\n', '\tsetting number IN\n\tsetting fee due at submit\n');
		fs.writeFileSync(path.join(dir, 'rules', f), text);
	}
	const db = path.join(dir, 'endorse.db');
	const srv = await ownServer({ name: 'money-due', bin: process.env.HTTP_BIN, root: ROOT, db,
	    rules: path.join(dir, 'rules'), env: { ...process.env, ENDORSE_NOW: '2026-11-23' } });
	const dsql = (query) => spawnSync('sqlite3', ['-json', db, query], { encoding: 'utf8' }).stdout;
	try {
		await test('due at submit: with the setting, submission is refused (409) saying what to pay and how; the page says the fees are due first; paid to the coordinator, it submits and the charges follow', async (c) => {
			const m = srv.out.match(/^coordinator for infancy-onward created: log in as (\S+) with password (\S+) /m);
			const k = new Client('due-coord', srv.base);
			c.redirect(await k.submit('/login', { email: m[1], password: m[2] }), '/coordinator', 'coordinator logs in');
			const u = new Client('due-app', srv.base), mail = email('tmdue'), pw = 'correct horse battery';
			await u.submit('/register', { name: 'Dee Due', email: mail, password: pw, association: 'infancy-onward' });
			await u.submit('/login', { email: mail, password: pw });
			const tok = (await u.post('/api/v1/tokens', { json: { email: mail, password: pw, label: 'due' } })).json()?.token;
			const r0 = await u.submit('/applications', { choice: 'infancy-onward/IFS' });
			const app = Number((r0.location || '').match(/(\d+)$/)?.[1]);
			const doc = portfolioFor(JSON.parse(fs.readFileSync(path.join(ROOT,
			    'tests/golden/check/infancy-onward/IFS.json'), 'utf8')), 'infancy-onward', 'IFS');
			doc.references = doc.references.map((x, i) => ({ ...x, email: `tmdue-${i}-${UNIQ}@example.org` }));
			c.status(await u.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: tok, json: doc }), 200, 'portfolio');
			doc.references.forEach((x, i) => dsql(`INSERT INTO rating (application, email, name, relationship, ` +
			    `hash, status, expires, sent, answered, answers) VALUES (${app}, ${q(x.email)}, ${q(x.name)}, ` +
			    `${q(x.relationship)}, ${q(`tmdue-${i}-${UNIQ}`)}, 'completed', ${DAY + 86400 * 30}, ${DAY}, ` +
			    `${DAY}, '{}')`));
			let r = await u.get(`/applications/${app}`);
			c.has(r.text, 'The fees, $75.00, are due before you submit. Pay your coordinator', 'the page says so first');
			r = await u.submit(`/applications/${app}/submit`, { declare: 'yes' });
			c.status(r, 409, 'submission refused');
			c.has(r.text, 'the fees are due before you submit: pay $75.00 (the registration and processing fees) ' +
			    'to your coordinator, who records the payment; then submit', 'what to pay and how');
			c.eq(JSON.parse(dsql(`SELECT status FROM application WHERE id = ${app}`))[0].status, 'draft', 'still a draft');
			c.eq(dsql('SELECT count(*) AS n FROM ledger').trim(), '[{"n":0}]', 'nothing charged');
			const acct = JSON.parse(dsql(`SELECT account FROM application WHERE id = ${app}`))[0].account;
			c.status(await k.submit(`/coordinator/accounts/${acct}/ledger`, { kind: 'payment',
			    'payment-application': String(app), 'payment-amount': '75', 'payment-method': 'check',
			    'payment-date': '2026-11-23' }), 303, 'the coordinator records $75.00 on the draft');
			c.redirect(await u.submit(`/applications/${app}/submit`, { declare: 'yes' }), `/applications/${app}`,
			    'paid: submitted');
			c.eq(JSON.parse(dsql(`SELECT kind, cents FROM ledger ORDER BY id`)).map((x) => [x.kind, x.cents]),
			    [['payment', 7500], ['charge', 2500], ['charge', 5000]], 'the payment, then the charges');
			c.has((await u.get(`/applications/${app}`)).text, 'Fees owed: $0.00.', 'nothing owed');
		});
	} finally {
		const code = await srv.stop();
		await test("due at submit: the part's own server exits 0 on SIGTERM, no sanitizer report", (c) => {
			c.eq(code, 0, 'exit status');
			c.ok(!/ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: /.test(srv.err),
			    `server stderr:\n${srv.err.split('\n').slice(0, 40).join('\n')}`);
		});
	}
}

export async function run() {
	await dueAtSubmit();

	P.io = await person('TmPayer', 'Paula Payer', 'infancy-onward');
	P.other = await person('TmOther', 'Otto Other', 'infancy-onward');
	P.va = await person('TmVaimh', 'Vera Vaimh', 'vaimh');

	await test('fees: /fees shows each rule set\'s fees before anyone starts (IO: registration, processing, total, reinstatement, membership terms; VAIMH: set by the association), linked from home and the new-application page', async (c) => {
		const r = await new Client('anon').get('/fees');
		c.status(r, 200, 'GET /fees without logging in');
		for (const s of ['INfancy Onward', 'Infant Family Specialist (IFS)</th><td data-label="Registration fee">$25.00</td>' +
		    '<td data-label="Processing fee">$50.00</td><td data-label="Total">$75.00</td>',
		    '<td data-label="Processing fee">$300.00</td>', 'within 12 months of a lapse, for $50.00',
		    'Individual, 1 year: $50.00', 'Agency, 3 years (5 staff, 120 each additional): $600.00',
		    'set by your association'])
			c.has(r.text, s, s);
		c.lacks(r.text, '$0.00</td>', 'no fee of $0.00');
		c.has((await new Client('anon2').get('/')).text, 'href="/fees"', 'the home page links the fees');
		c.has((await P.io.get('/applications/new')).text, 'href="/fees"', 'the new-application page links them');
	});

	await test('charges: submitting an IO IFS application writes two charge lines ($25 registration, $50 processing) with audit rows; both pages say $75.00 owed; a VAIMH submission (no amounts) charges nothing', async (c) => {
		X.app = await newApp(P.io, 'infancy-onward/IFS');
		await ready(c, P.io, X.app, 'infancy-onward', 'IFS');
		c.eq(lines(accountId(P.io)).length, 0, 'nothing charged on a draft');
		c.redirect(await P.io.submit(`/applications/${X.app}/submit`, { declare: 'yes' }), `/applications/${X.app}`, 'submit');
		const l = lines(accountId(P.io));
		c.eq(l.map((x) => [x.kind, x.cents, x.what, x.application]), [['charge', 2500, 'Registration fee, IFS', X.app],
		    ['charge', 5000, 'Processing fee, IFS', X.app]], 'the charge lines');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'ledger' AND json_extract(detail, '$.application') = ${X.app}`),
		    2, 'an audit row per line');
		let r = await P.io.get(`/applications/${X.app}`);
		c.has(r.text, 'Fees owed: $75.00.', "the applicant's status line");
		c.has(r.text, 'Owed now: <strong data-owed>$75.00</strong>', "the applicant's ledger");
		c.has(r.text, 'Processing fee, IFS', 'the charge listed');
		r = await U.cOther.get(`/coordinator/applications/${X.app}`);
		c.has(r.text, '<th scope="row">Fee owed</th><td>$75.00</td>', "the coordinator's page");
		c.has(r.text, `href="${ledgerUrl(accountId(P.io))}"`, 'links the ledger');
		c.has(r.text, 'Registration fee, IFS', 'the history lists the charge');
		r = await U.cOther.get(`/coordinator?q=${encodeURIComponent(P.io.email)}`);
		c.has(r.text, '>submitted · $75.00 unpaid</td>', 'the work queue shows it unpaid');
		X.va = await newApp(P.va, 'vaimh/IFS');
		await ready(c, P.va, X.va, 'vaimh', 'IFS');
		c.redirect(await P.va.submit(`/applications/${X.va}/submit`, { declare: 'yes' }), `/applications/${X.va}`, 'VAIMH submit');
		c.eq(lines(accountId(P.va)).length, 0, 'VAIMH: nothing charged');
		c.has((await P.va.get(`/applications/${X.va}`)).text, 'Fees owed: set by your association.', 'VAIMH words');
		r = await U.cSame.get(`/coordinator?q=${encodeURIComponent(P.va.email)}`);
		c.has(r.text, `/coordinator/applications/${X.va}"`, 'VAIMH: in the queue');
		c.lacks(r.text, 'unpaid', 'VAIMH: nothing charged, nothing unpaid in the queue');
	});

	await test('record: the coordinator records a payment (amount, method, date, reference), a waiver and a refund, each with its line and audit row; the totals follow', async (c) => {
		const acct = X.acct = accountId(P.io);
		let r = await U.cOther.get(ledgerUrl(acct));
		c.status(r, 200, 'GET the ledger');
		for (const s of ['Record a payment', 'Waive an amount', 'Record a refund', 'id="f-payment-amount"',
		    'id="f-waiver-reason"', 'data-owed>$75.00'])
			c.has(r.text, s, s);
		r = await pay(U.cOther, acct, X.app);
		c.status(r, 303, 'payment recorded');
		let l = lines(acct).at(-1);
		c.eq([l.kind, l.cents, l.method, l.reference, l.application], ['payment', 3000, 'check', 'Check 1042', X.app], 'the payment line');
		X.payment = one(`SELECT max(id) FROM ledger WHERE kind = 'payment' AND account = ${acct}`);
		c.eq(one(`SELECT on_day FROM ledger WHERE id = ${X.payment}`), Date.UTC(2026, 10, 20) / 86400000, 'the day paid');
		r = await U.cOther.submit(ledgerUrl(acct), { kind: 'waiver', 'waiver-application': String(X.app),
		    'waiver-amount': '5', 'waiver-reason': 'Hardship, board decision' });
		c.status(r, 303, 'waiver recorded');
		r = await U.cOther.submit(ledgerUrl(acct), { kind: 'refund', 'refund-application': String(X.app),
		    'refund-amount': '10.00', 'refund-reason': 'Paid twice by mistake' });
		c.status(r, 303, 'refund recorded');
		l = lines(acct);
		c.eq(l.slice(-2).map((x) => [x.kind, x.cents, x.reason]), [['waiver', 500, 'Hardship, board decision'],
		    ['refund', 1000, 'Paid twice by mistake']], 'waiver and refund lines');
		c.eq(one(`SELECT owed FROM ledger_app_totals WHERE application = ${X.app}`), 7500 - 3000 - 500 + 1000, 'the SQL view');
		r = await U.cOther.get(ledgerUrl(acct));
		c.has(r.text, 'data-owed>$50.00', 'owed: 75 - 30 - 5 + 10');
		c.has(r.text, `href="/receipts/${X.payment}.pdf"`, 'a receipt link');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'ledger' AND action IN ('payment', 'waiver', 'refund') ` +
		    `AND json_extract(detail, '$.application') = ${X.app}`), 3, 'three audit rows');
		r = await U.cOther.get(`/coordinator/applications/${X.app}`);
		c.has(r.text, '<td>$50.00</td>', "the application page's owed follows");
		r = await U.cOther.get(`/coordinator?q=${encodeURIComponent(P.io.email)}`);
		c.has(r.text, '>submitted · $50.00 unpaid</td>', 'the work queue shows what is unpaid');
	});

	await test('record refused: bad amount, zero, no method, a future date, a waiver without reason, a refund over what was paid: 400 naming the field, what was typed kept, nothing stored', async (c) => {
		const acct = X.acct, before = nLines();
		for (const [form, field, words] of [
			[{ 'payment-amount': 'ten dollars' }, 'payment-amount', 'amount in dollars and cents'],
			[{ 'payment-amount': '0' }, 'payment-amount', 'greater than $0.00'],
			[{ 'payment-amount': '12.345' }, 'payment-amount', 'amount in dollars and cents'],
			[{ 'payment-method': '' }, 'payment-method', 'choose how it was paid'],
			[{ 'payment-date': '2027-01-01' }, 'payment-date', 'cannot be in the future'],
			[{ 'payment-date': '2026-02-30' }, 'payment-date', 'a real date'],
			[{ 'payment-application': '' }, 'payment-application', 'choose what it is for'],
		]) {
			const r = await pay(U.cOther, acct, X.app, form);
			c.status(r, 400, `refused: ${JSON.stringify(form)}`);
			c.has(fieldError(r.text, field) || '', words, `beside ${field}`);
			c.has(errorSummary(r.text) || '', words, 'in the summary');
			c.has(r.text, `<a href="#f-${field}">${field.endsWith('amount') ? 'Amount in dollars' :
			    field.endsWith('method') ? 'Paid by' : field.endsWith('application') ? 'For' :
			    'Day it was paid'}:`, 'the summary names the field by its label');
			c.eq(inputValue(r.text, 'payment-reference'), 'Check 1042', 'the reference typed is kept');
		}
		let r = await pay(U.cOther, acct, X.app, { 'payment-amount': 'ten dollars' });
		c.eq(inputValue(r.text, 'payment-amount'), 'ten dollars', 'the amount typed is kept');
		r = await U.cOther.submit(ledgerUrl(acct), { kind: 'waiver', 'waiver-application': String(X.app),
		    'waiver-amount': '5', 'waiver-reason': '  ' });
		c.status(r, 400, 'waiver without a reason');
		c.has(fieldError(r.text, 'waiver-reason') || '', 'say why', 'beside the reason');
		r = await U.cOther.submit(ledgerUrl(acct), { kind: 'refund', 'refund-application': String(X.app),
		    'refund-amount': '20.01', 'refund-reason': 'Too much' });
		c.status(r, 400, 'refund over paid less refunded ($20.00)');
		c.has(fieldError(r.text, 'refund-amount') || '', 'cannot be more than was paid', 'beside the amount');
		c.eq(inputValue(r.text, 'refund-reason'), 'Too much', 'the reason typed is kept');
		r = await U.cOther.submit(ledgerUrl(acct), { kind: 'refund', 'refund-application': String(X.app),
		    'refund-amount': '5', 'refund-reason': '' });
		c.status(r, 400, 'refund without a reason');
		r = await U.cOther.submit(ledgerUrl(acct), { kind: 'waiver', 'waiver-application': String(X.app),
		    'waiver-amount': '50.01', 'waiver-reason': 'All of it' });
		c.status(r, 400, 'waiver over what is owed ($50.00)');
		r = await U.cOther.submit(ledgerUrl(acct), { kind: 'charge', 'charge-amount': '5' });
		c.status(r, 400, 'no charge by hand');
		r = await U.cOther.post(ledgerUrl(acct), { form: { kind: 'payment', 'payment-amount': '5',
		    'payment-method': 'cash', 'payment-date': '2026-11-20' } });
		c.status(r, 403, 'no CSRF token');
		c.eq(nLines(), before, 'nothing stored');
	});

	await test('record refused by who: another association\'s coordinator (404), an applicant (403), a coordinator on their own account (403, no forms shown); nothing stored', async (c) => {
		const acct = X.acct, before = nLines();
		let r = await U.cSame.get(ledgerUrl(acct));
		c.status(r, 404, "VAIMH's coordinator: GET 404");
		r = await pay(U.cSame, acct, X.app);
		c.status(r, 404, "VAIMH's coordinator: POST 404");
		r = await U.cSame.get(ledgerUrl(accountId(P.other)));
		c.status(r, 404, 'an account with nothing in the association: 404');
		r = await pay(P.io, acct, X.app, { 'payment-amount': '75' });
		c.status(r, 403, 'the applicant records nothing');
		r = await P.io.get(ledgerUrl(acct));
		c.status(r, 403, "the applicant cannot read the coordinator's ledger page");
		// A second IO coordinator with an application of their own.
		P.coord2 = await person('TmCoordTwo', 'Cora Coordinator', 'infancy-onward');
		X.own = await newApp(P.coord2, 'infancy-onward/IFA');
		sql(`UPDATE account SET role = 'coordinator', association = 'infancy-onward' WHERE id = ${accountId(P.coord2)}`);
		await login(P.coord2);
		r = await P.coord2.get(ledgerUrl(accountId(P.coord2)));
		c.status(r, 200, 'their own ledger reads');
		c.has(r.text, 'This is your own account', 'says why there are no forms');
		c.lacks(r.text, 'id="f-payment-amount"', 'no payment form');
		r = await pay(P.coord2, accountId(P.coord2), X.own);
		c.status(r, 403, 'their own account: refused');
		c.has(r.text, 'your own account', 'says why');
		r = await pay(P.coord2, acct, X.app, { 'payment-amount': '1.00', 'payment-reference': 'by the other coordinator' });
		c.status(r, 303, "another's account: allowed");
		c.eq(nLines(), before + 1, 'only the allowed one stored');
	});

	await test('applicant: their application page lists charges, payments, the balance and a receipt link', async (c) => {
		const r = await P.io.get(`/applications/${X.app}`);
		for (const s of ['Fees and payments', '<td data-label="What">Payment</td>', 'Charge: Processing fee, IFS', 'by check, reference Check 1042',
		    `href="/receipts/${X.payment}.pdf"`, 'Owed now: <strong data-owed>$49.00</strong>'])
			c.has(r.text, s, s);
	});

	await test('receipts: the payer and the association\'s coordinator get the PDF; another applicant, another association\'s coordinator, a waiver\'s line and nobody do not', async (c) => {
		let r = await P.io.get(`/receipts/${X.payment}.pdf`);
		c.status(r, 200, 'the payer');
		c.eq(r.ctype, 'application/pdf', 'a PDF');
		c.ok(r.buf.subarray(0, 5).toString() === '%PDF-', 'starts %PDF-');
		c.ok(r.buf.length > 1000, `a drawn page (${r.buf.length} bytes)`);
		r = await U.cOther.get(`/receipts/${X.payment}.pdf`);
		c.status(r, 200, "the association's coordinator");
		c.status(await P.other.get(`/receipts/${X.payment}.pdf`), 404, 'another applicant: 404');
		c.status(await U.cSame.get(`/receipts/${X.payment}.pdf`), 404, "another association's coordinator: 404");
		const waiver = one(`SELECT max(id) FROM ledger WHERE kind = 'waiver' AND account = ${X.acct}`);
		c.status(await P.io.get(`/receipts/${waiver}.pdf`), 404, 'a waiver has no receipt');
		c.status(await P.io.get(`/receipts/${X.payment}.txt`), 404, 'not .pdf');
		c.status(await P.io.get('/receipts/999999.pdf'), 404, 'no such line');
		r = await new Client('anon').get(`/receipts/${X.payment}.pdf`);
		c.status(r, 303, 'nobody: to the login');
	});

	const fake = await fakeStripe();
	try {
		await test('card: Pay by card creates a Checkout Session (the form Stripe receives) and redirects to its url; the session is remembered', async (c) => {
			let r = await P.io.get(`/applications/${X.app}`);
			c.has(r.text, `action="/applications/${X.app}/pay"`, 'the applicant sees Pay by card');
			c.has(r.text, 'Pay $49.00 by card', 'with the amount owed');
			r = await P.io.submit(`/applications/${X.app}/pay`);
			c.status(r, 303, 'redirected');
			const g = fake.got.at(-1);
			c.eq(r.location, `https://checkout.stripe.test/c/pay/cs_test_${UNIQ}_${fake.got.length}`, "to the session's url");
			c.eq([g?.method, g?.url, g?.auth], ['POST', '/v1/checkout/sessions', 'Bearer sk_test_endorse'], 'POST with the key');
			const f = g?.form || new URLSearchParams();
			c.eq([f.get('mode'), f.get('line_items[0][price_data][currency]'), f.get('line_items[0][price_data][unit_amount]'),
			    f.get('line_items[0][quantity]'), f.get('client_reference_id'), f.get('metadata[application]')],
			    ['payment', 'usd', '4900', '1', String(X.app), String(X.app)], 'the form');
			c.has(f.get('line_items[0][price_data][product_data][name]') || '', 'INfancy Onward', 'the product name');
			c.has(f.get('success_url') || '', `/applications/${X.app}?paid=1`, 'success_url');
			c.has(f.get('cancel_url') || '', `/applications/${X.app}`, 'cancel_url');
			X.session = `cs_test_${UNIQ}_${fake.got.length}`;
			c.eq(one(`SELECT cents FROM stripe_session WHERE id = ${q(X.session)}`), 4900, 'remembered');
			c.status(await P.other.submit(`/applications/${X.app}/pay`), 404, 'another applicant cannot pay it');
			c.status(await U.cOther.submit(`/applications/${X.app}/pay`), 404, 'nor the coordinator');
			c.eq(fake.got.length, 1, 'no session for them');
		});
	} finally {
		fake.srv.close();
	}

	await test('webhook: a good signature records the card payment once; a replay is acknowledged and records nothing', async (c) => {
		const before = nLines(), body = event(`evt_${UNIQ}_1`, X.session, 4900);
		let r = await hook(body, sign(body));
		c.status(r, 200, 'accepted');
		const l = lines(X.acct).at(-1);
		c.eq([l.kind, l.cents, l.method, l.reference, l.application], ['payment', 4900, 'card', X.session, X.app], 'the card payment');
		c.eq(nLines(), before + 1, 'one line');
		r = await hook(body, sign(body));
		c.status(r, 200, 'the replay is acknowledged');
		c.eq(nLines(), before + 1, 'and records nothing');
		c.has((await P.io.get(`/applications/${X.app}`)).text, 'data-owed>$0.00', 'nothing owed now');
	});

	await test('webhook refused: a bad signature, another secret, an old timestamp, no header (400 with a message, nothing stored); an unknown session records nothing', async (c) => {
		const before = nLines(), body = event(`evt_${UNIQ}_2`, X.session, 4900);
		const now = Math.floor(Date.now() / 1000);
		for (const [sig, words, what] of [
			[flip(sign(body)), 'no v1 signature matches', 'a changed signature'],
			[sign(body, now, 'whsec_someone_else'), 'no v1 signature matches', 'another secret'],
			[sign(body, now - 301), 'tolerance', 'five minutes and a second old'],
			[sign(body, now + 400), 'tolerance', 'from the future'],
			[null, 'no Stripe-Signature header', 'no header'],
			[`t=${now}`, 'no v1 signature', 'no v1'],
		]) {
			const r = await hook(body, sig);
			c.status(r, 400, what);
			c.has(r.text, words, `${what}: says why`);
		}
		const r = await hook(body.replace('4900', '1'), sign(body));
		c.status(r, 400, 'a body changed after signing');
		c.eq(nLines(), before, 'nothing stored');
		c.eq(one(`SELECT count(*) FROM stripe_event WHERE id = ${q(`evt_${UNIQ}_2`)}`), 0, 'the event not even remembered');
		const unk = event(`evt_${UNIQ}_3`, 'cs_test_nobody', 4900);
		c.status(await hook(unk, sign(unk)), 200, 'an unknown session is acknowledged');
		c.eq(nLines(), before, 'and records nothing');
	});
}
