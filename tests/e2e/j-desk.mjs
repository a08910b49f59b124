// Issue 17, the coordinator's desk: an applicant asks a rater; the
// coordinator opens the work queue, filters "waiting on a rater", sorts
// by days in state, finds the application waiting longest on a rater,
// sends its rater a reminder from the queue and sees it in the
// application's history, records a payment on the applicant's ledger,
// downloads the applications CSV and XLSX and reads the reports page.
// At 1280 and 375 px; every page also at 320 px.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	BASE, OUT, SIZES, NARROW, step, check, expect, control, arrived, fits, fitsNarrow,
	registerIn, coordinator,
} from './lib.mjs';

// A file the page offers for download, saved under OUT.
async function download(page, name) {
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.getByRole('link', { name }).click()]);
	const file = path.join(OUT, `desk-${Date.now()}-${dl.suggestedFilename()}`);
	await dl.saveAs(file);
	return file;
}

// The page as it is now, at 320 px (a POST's answer cannot be fetched
// again, so the window is narrowed instead).
async function fitsHere(page) {
	const size = page.viewportSize();
	await page.setViewportSize(NARROW);
	try {
		await fits(page);
	} finally {
		await page.setViewportSize(size);
	}
}

async function once(browser, size) {
	const w = size.width;
	const tag = `${w}-${Date.now()}`;
	const A = await registerIn(browser, `Wendy Waiting ${tag}`, `jdesk-${tag}@example.org`,
	    'correct horse battery staple');
	await step(`desk ${w}: an applicant asks a rater`, async () => {
		await A.page.goto(`${BASE}/applications/new`);
		const form = A.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await A.page.waitForURL(/\/applications\/\d+$/);
		await A.page.goto(`${A.page.url()}/tab/references`);
		const ref = A.page.locator('form[action$="/tab/references"]');
		await control(ref, "Rater's name").fill(`Ray Slow ${tag}`);
		await control(ref, "Rater's e-mail").fill(`ray-${tag}@example.org`);
		await control(ref, 'Relationship to you').selectOption({ index: 1 });
		await ref.getByRole('button', { name: 'Add the reference' }).click();
		await A.page.waitForURL('**/tab/references#entries');
		await A.page.getByRole('button', { name: /^Ask for a rating/ }).first().click();
		await A.page.waitForURL('**/tab/references#ratings');
	});
	await A.ctx.close();

	const K = await coordinator(browser);
	await K.page.setViewportSize(size);
	const state = await K.ctx.storageState();
	const page = K.page;
	let app, name;

	await step(`desk ${w}: the coordinator opens the work queue`, async () => {
		await page.goto(`${BASE}/coordinator`);
		await arrived(page, `jdesk-${w}-queue`);
		expect(await page.getByRole('table').count() === 1, 'no queue table');
		expect(await page.getByRole('columnheader', { name: /Waiting on/ }).count() === 1,
		    'no "Waiting on" column');
		await fitsNarrow(browser, state, `${BASE}/coordinator`);
	});

	await step(`desk ${w}: filters "waiting on a rater"`, async () => {
		const form = page.locator('form[action="/coordinator"]');
		await control(form, 'Waiting on').selectOption({ label: 'a rater' });
		await form.getByRole('button', { name: 'Show' }).click();
		await page.waitForURL(/waiting=rater/);
		await arrived(page, `jdesk-${w}-waiting-rater`);
		const words = await page.locator('td[data-label="Waiting on"]').allInnerTexts();
		expect(words.length > 0 && words.every((t) => t.startsWith('rater ')),
		    `the rows wait on: ${words.join(' | ')}`);
		await fitsNarrow(browser, state, page.url());
	});

	await step(`desk ${w}: sorts by days in state, longest first`, async () => {
		if (w >= 1000) {
			// The column's heading: a link, once ascending, again
			// descending.
			await page.getByRole('link', { name: /^Days in state/ }).click();
			await page.waitForURL(/sort=days/);
			await arrived(page, `jdesk-${w}-by-days-asc`);
			expect(await page.locator('th[aria-sort]').getAttribute('aria-sort') === 'ascending',
			    'not sorted');
			await page.getByRole('link', { name: /^Days in state/ }).click();
			await page.waitForURL(/dir=desc/);
		} else {
			// A phone stacks the rows; the form sorts.
			const form = page.locator('form[action="/coordinator"]');
			await control(form, 'Sort by').selectOption({ label: 'Days in state' });
			await control(form, 'Order').selectOption({ label: 'descending' });
			await form.getByRole('button', { name: 'Show' }).click();
			await page.waitForURL(/sort=days/);
		}
		await arrived(page, `jdesk-${w}-by-days-desc`);
		const th = page.locator('th[aria-sort]');
		expect(await th.getAttribute('aria-sort') === 'descending', 'not sorted longest first');
		expect(page.url().includes('waiting=rater'), 'the sort kept the filter');
		const days = (await page.locator('td[data-label="Days in state"]').allInnerTexts()).map(Number);
		expect(days.every((d, i) => i === 0 || d <= days[i - 1]), `days: ${days.join(',')}`);
		await fitsNarrow(browser, state, page.url());
	});

	await step(`desk ${w}: sends the rater of the one waiting longest a reminder`, async () => {
		const rows = page.locator('table.queue tbody tr');
		const n = await rows.count();
		let row;
		for (let i = 0; i < n && !row; i++)
			if (await rows.nth(i).locator('.own').count() === 0)
				row = rows.nth(i);
		expect(row, 'no application of someone else waits on a rater');
		app = await row.locator('input[name="app"]').getAttribute('value');
		name = await row.locator('td[data-label="Applicant"] a').first().innerText();
		await row.getByRole('checkbox').check();
		await page.getByLabel(/^Send a reminder/).check();
		await page.getByRole('button', { name: 'Do it' }).click();
		await page.getByRole('heading', { name: 'What was done' }).waitFor();
		await arrived(page, `jdesk-${w}-reminded`);
		const done = await page.getByRole('status').innerText();
		expect(new RegExp(`Application ${app}: \\d+ reminders? sent`).test(done), `the page says: ${done}`);
		expect(await control(page.locator('form[action="/coordinator"]'), 'Waiting on').inputValue() === 'rater',
		    'the queue came back without its filter');
		await fitsHere(page);
	});

	await check(`desk ${w}: the reminder is in the application's history`, async () => {
		await page.goto(`${BASE}/coordinator/applications/${app}`);
		await arrived(page, `jdesk-${w}-history`);
		const text = await page.locator('main').innerText();
		expect(text.includes('remind'), `no reminder in the history of ${name}`);
		expect(text.includes('a new link was mailed'), 'the history does not say the link was re-issued');
		await fitsNarrow(browser, state, page.url());
	});

	await step(`desk ${w}: records a payment on the applicant's ledger`, async () => {
		await page.getByRole('link', { name: "The applicant's ledger" }).click();
		await page.waitForURL(/\/coordinator\/accounts\/\d+\/ledger$/);
		const ledger = page.url();
		await arrived(page, `jdesk-${w}-ledger`);
		const form = page.locator('form:has(input[name="kind"][value="payment"])');
		await control(form, 'Amount in dollars').fill('25.00');
		await control(form, 'Paid by').selectOption('check');
		await control(form, 'Reference').fill(`Check ${tag}`);
		await form.getByRole('button', { name: 'Record the payment' }).click();
		await page.waitForURL(/\/ledger#line-\d+$/);
		await arrived(page, `jdesk-${w}-paid`);
		const text = await page.locator('main').innerText();
		expect(text.includes(`reference Check ${tag}`), 'the payment is not on the ledger');
		await fitsNarrow(browser, state, ledger);
	});

	await step(`desk ${w}: downloads the applications CSV and XLSX`, async () => {
		await page.goto(`${BASE}/coordinator`);
		await page.getByRole('link', { name: 'Exports and import' }).click();
		await page.waitForURL('**/coordinator/exports');
		await arrived(page, `jdesk-${w}-exports`);
		const lines = fs.readFileSync(await download(page, 'CSV of applications'), 'utf8').split('\r\n');
		expect(lines[0] === 'id,name,email,category,status,started,submitted,days_in_state,waiting_on,fee_owed,fee_paid',
		    `the CSV's header: ${lines[0]}`);
		const row = lines.find((l) => l.startsWith(`${app},`));
		expect(row && row.includes(',rater,'), `the reminded application waits on a rater in the CSV: ${row}`);
		const xlsx = await download(page, 'XLSX of applications');
		const py = spawnSync('python3', ['-c', 'import sys, zipfile\n' +
		    'z = zipfile.ZipFile(sys.argv[1])\n' +
		    'print(z.read("xl/sharedStrings.xml").decode())', xlsx], { encoding: 'utf8' });
		expect(py.status === 0, `python3 zipfile: ${py.stderr}`);
		expect(py.stdout.includes('waiting_on') && py.stdout.includes(name.split(' ')[0]),
		    'the workbook holds the header and the applicant');
		await fitsNarrow(browser, state, `${BASE}/coordinator/exports`);
	});

	await step(`desk ${w}: reads the reports page`, async () => {
		await page.goto(`${BASE}/coordinator`);
		await page.getByRole('link', { name: 'Reports' }).click();
		await page.waitForURL('**/coordinator/reports');
		await arrived(page, `jdesk-${w}-reports`);
		for (const h of ['Applications by state over time', 'How long it takes, by category', 'Where applications wait',
		    'Renewal compliance per cycle', 'Endorsees by category and by city'])
			expect(await page.getByRole('heading', { name: h }).count() === 1, `no "${h}"`);
		const charts = page.locator('svg[role="img"]');
		expect(await charts.count() >= 1, 'no chart');
		expect(await charts.locator('title').count() === await charts.count(), 'a chart without its title');
		expect(await page.getByRole('table').count() >= 2, 'the figures are not also in tables');
		await fitsNarrow(browser, state, `${BASE}/coordinator/reports`);
	});
	await K.ctx.close();
}

export async function journey(browser) {
	for (const size of SIZES)
		await once(browser, size);
}
