// Issue 17, money: an INfancy Onward applicant reads the fees before
// starting; their IFS application is submitted (a shortcut through the
// store: the status and its two charge lines, as app_submit writes them;
// t-money.mjs submits for real); the coordinator opens the applicant's
// ledger from the application page, records a payment (a bad amount first,
// refused beside its field with what was typed kept), and the applicant
// sees the balance and downloads the receipt.  Every page at 1280 and
// 375 px (a screenshot and axe each, the error state too) and at 320 px.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

import { BASE, OUT, SIZES, step, expect, arrived, fits, fitsNarrow, control, freshPage, someone } from './lib.mjs';

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', process.env.E2E_DB, q],
    { encoding: 'utf8' }).trim();
const qs = (s) => `'${String(s).replace(/'/g, "''")}'`;

// The page at every size after the first, and at 320 px.
async function everySize(browser, who, url, name) {
	const state = who ? await who.ctx.storageState() : undefined;
	for (const size of SIZES.slice(1)) {
		const ctx = await browser.newContext({ viewport: size, storageState: state });
		const page = await ctx.newPage();
		await page.goto(url);
		await arrived(page, `${name}-${size.width}`);
		await fits(page);
		await ctx.close();
	}
	await fitsNarrow(browser, state, url);
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const pw = 'correct horse battery staple';
	let P, K, appUrl, appId, acct, ledger;

	await step('money: the fee schedule is public and linked from the home page', async () => {
		const { ctx, page } = await freshPage(browser);
		await page.goto(`${BASE}/`);
		await page.getByRole('link', { name: 'Fees', exact: true }).click();
		await page.waitForURL('**/fees');
		await arrived(page, 'jm-fees');
		const text = await page.locator('main').innerText();
		for (const s of ['INfancy Onward', '$75.00', 'within 12 months of a lapse, for $50.00',
		    'set by your association'])
			expect(text.includes(s), `the fees page lacks "${s}"`);
		await ctx.close();
	});
	await step('money: the fee schedule at every size', () => everySize(browser, null, `${BASE}/fees`, 'jm-fees'));

	await step('money: an INfancy Onward applicant opens an IFS application, then it is submitted', async () => {
		const email = `jm-app-${tag}@example.org`;
		P = await freshPage(browser);
		await P.page.goto(`${BASE}/register`);
		const form = P.page.locator('form[action="/register"]');
		await control(form, 'Your name').fill(`Pat Payer ${tag}`);
		await control(form, 'E-mail').fill(email);
		await control(form, 'Password').fill(pw);
		await control(form, 'Association you apply with').selectOption('infancy-onward');
		await form.getByRole('button', { name: 'Create the account' }).click();
		await P.page.waitForURL('**/login?registered=1');
		const login = P.page.locator('form[action="/login"]');
		await control(login, 'E-mail').fill(email);
		await control(login, 'Password').fill(pw);
		await login.getByRole('button', { name: 'Log in' }).click();
		await P.page.waitForURL('**/dashboard');
		await P.page.goto(`${BASE}/applications/new`);
		expect(await P.page.locator('a[href="/fees"]').count() > 0, 'the new-application page links the fees');
		const nf = P.page.locator('form[action="/applications"]');
		await control(nf, 'Association and category').selectOption('infancy-onward/IFS');
		await nf.getByRole('button', { name: 'Open the application' }).click();
		await P.page.waitForURL(/\/applications\/\d+$/);
		appUrl = P.page.url();
		appId = appUrl.match(/(\d+)$/)[1];
		acct = sql(`SELECT account FROM application WHERE id = ${appId}`);
		const now = Math.floor(Date.UTC(2026, 10, 23) / 1000), day = now / 86400;
		sql(`UPDATE application SET status = 'submitted', submitted = ${now}, fee_owed = 50 WHERE id = ${appId}`);
		for (const [cents, what] of [[2500, 'Registration fee, IFS'], [5000, 'Processing fee, IFS']])
			sql(`INSERT INTO ledger (account, association, application, kind, cents, what, on_day, actor, ` +
			    `created) VALUES (${acct}, 'infancy-onward', ${appId}, 'charge', ${cents}, ${qs(what)}, ` +
			    `${day}, ${acct}, ${now})`);
		await P.page.goto(appUrl);
		await arrived(P.page, 'jm-app-owed');
		const text = await P.page.locator('main').innerText();
		expect(text.includes('Fees owed: $75.00'), 'the status line says $75.00 owed');
		expect(text.includes('Owed now: $75.00'), 'the ledger says $75.00 owed');
	});

	await step('money: the coordinator opens the ledger from the application page', async () => {
		const log = fs.readFileSync(process.env.E2E_SERVER_LOG, 'utf8');
		const cm = log.match(/^coordinator for infancy-onward created: log in as (\S+) with password (\S+) /m);
		expect(cm, 'the server printed no infancy-onward coordinator');
		K = await someone(browser, cm[1], cm[2], '/coordinator');
		await K.page.goto(`${BASE}/coordinator/applications/${appId}`);
		await K.page.getByRole('link', { name: "The applicant's ledger" }).click();
		await K.page.waitForURL(`**/coordinator/accounts/${acct}/ledger`);
		ledger = K.page.url();
		await arrived(K.page, 'jm-ledger');
		const text = await K.page.locator('main').innerText();
		for (const s of ['Registration fee, IFS', 'Processing fee, IFS', 'Record a payment', 'Waive an amount',
		    'Record a refund'])
			expect(text.includes(s), `the ledger lacks "${s}"`);
	});
	await step('money: the ledger at every size', () => everySize(browser, K, ledger, 'jm-ledger'));

	await step('money: a bad amount is refused beside its field, what was typed kept', async () => {
		const form = K.page.locator('form:has(input[name="kind"][value="payment"])');
		await control(form, 'Amount in dollars').fill('thirty');
		await control(form, 'Paid by').selectOption('check');
		await control(form, 'Reference').fill(`Check ${tag}`);
		await form.getByRole('button', { name: 'Record the payment' }).click();
		await K.page.waitForURL(ledger);
		await arrived(K.page, 'jm-ledger-error');
		const summary = await K.page.locator('.error-summary').innerText();
		expect(/amount in dollars and cents/.test(summary), `the summary says "${summary}"`);
		expect(await K.page.locator('a[href="#f-payment-amount"]').count() === 1, 'the summary links the field');
		expect(await control(form, 'Amount in dollars').inputValue() === 'thirty', 'the amount typed is kept');
		expect(await control(form, 'Reference').inputValue() === `Check ${tag}`, 'the reference typed is kept');
		for (const size of SIZES.slice(1)) {
			await K.page.setViewportSize(size);
			await arrived(K.page, `jm-ledger-error-${size.width}`);
			await fits(K.page);
		}
		await K.page.setViewportSize(SIZES[0]);
	});

	await step('money: the coordinator records a payment of $30.00; $45.00 is owed', async () => {
		const form = K.page.locator('form:has(input[name="kind"][value="payment"])');
		await control(form, 'Amount in dollars').fill('30.00');
		await form.getByRole('button', { name: 'Record the payment' }).click();
		await K.page.waitForURL(/\/ledger#line-\d+$/);
		await arrived(K.page, 'jm-ledger-paid');
		const owed = await K.page.locator('[data-owed]').innerText();
		expect(owed.trim() === '$45.00', `owed: "${owed}"`);
		const text = await K.page.locator('main').innerText();
		expect(text.includes(`reference Check ${tag}`), 'the payment line shows its reference');
	});
	await step('money: the ledger after the payment at every size', () =>
		everySize(browser, K, ledger, 'jm-ledger-paid'));

	await step('money: the applicant sees the balance and downloads the receipt', async () => {
		await P.page.goto(appUrl);
		await arrived(P.page, 'jm-app-paid');
		const text = await P.page.locator('main').innerText();
		expect(text.includes('Owed now: $45.00'), 'the applicant sees $45.00 owed');
		expect(text.includes(`by check, reference Check ${tag}`), 'and the payment');
		const link = P.page.getByRole('link', { name: /^Receipt \(PDF\)/ });
		expect(await link.count() === 1, 'one receipt link');
		const href = await link.getAttribute('href');
		const r = await P.page.request.get(`${BASE}${href}`);
		expect(r.status() === 200 && (r.headers()['content-type'] || '') === 'application/pdf',
		    `the receipt answered ${r.status()} ${r.headers()['content-type']}`);
		const body = await r.body();
		expect(body.subarray(0, 5).toString() === '%PDF-', 'the receipt is a PDF');
		fs.writeFileSync(path.join(OUT, 'jm-receipt.pdf'), body);
	});
	await step('money: the applicant\'s page at every size', () => everySize(browser, P, appUrl, 'jm-app-paid'));
	await K.ctx.close();
	await P.ctx.close();
}
