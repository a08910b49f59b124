// Issue 16, points 5, 6 and 12, walked: each error is shown on the form it
// came from (a transcript upload without a file and with a PNG, asking
// oneself for a rating, a bad import file, an entry form left half
// filled), by its field, in words, what was typed kept, the focus on the
// error summary; deleting an entry and an application is asked on a page
// first, and the entry's deletion is undone.  At 1280 and 375 px, axe on
// every page and error state, nothing sideways at 320 px.
import fs from 'node:fs';
import path from 'node:path';

import {
	BASE, OUT, SIZES, NARROW, step, check, expect, arrived, fits, fitsNarrow,
	registerIn, control, tinyPdf,
} from './lib.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
    '0000000d4944415478da63f8ffff3f0005fe02fea7d6a4480000000049454e44ae426082', 'hex');

// The error state as it stands: the summary has the focus and says words,
// the field's error beside it; axe, a screenshot, and 320 px.
async function errorState(page, name, words, size) {
	await arrived(page, name);
	const s = page.locator('.error-summary').first();
	expect(await s.count() === 1, `${name}: no error summary`);
	const text = await s.innerText();
	expect(text.includes(words), `${name}: the summary says "${text}"`);
	expect(!/\b(pdf|email|portfolio|file|note):/.test(text),
	    `${name}: a field name first: "${text}"`);
	const focused = await page.evaluate(() =>
	    document.activeElement?.classList.contains('error-summary'));
	expect(focused, `${name}: the focus is not on the error summary`);
	const beside = await page.locator('p.error').allInnerTexts();
	expect(beside.some((t) => t.includes(words)), `${name}: no "${words}" beside the field: ${beside}`);
	await page.setViewportSize(NARROW);
	await fits(page);
	await page.setViewportSize(size);
}

// An entry through its tab's form with the page's own token (the form
// itself is the applicant journey's).
async function addEntry(page, app, kind, form) {
	await page.goto(`${BASE}/applications/${app}/tab/${kind}`);
	const csrf = await page.locator('input[name="csrf"]').first().inputValue();
	const r = await page.request.post(`${BASE}/applications/${app}/tab/${kind}`,
	    { form: { csrf, ...form }, maxRedirects: 0 });
	expect(r.status() === 303, `add ${kind}: ${r.status()}`);
}

async function walkAt(browser, size) {
	const w = size.width;
	const tag = `${Date.now().toString(36)}-${w}`;
	const mail = `errors-${tag}@example.org`;
	const P = await registerIn(browser, `Erin Errors ${w}`, mail, 'a long password here');
	const page = P.page;
	await page.setViewportSize(size);
	let app, appUrl;

	await step(`errors ${w}: an application with a degree, a training and a reference`, async () => {
		await page.goto(`${BASE}/applications/new`);
		const form = page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await page.waitForURL(/\/applications\/\d+$/);
		appUrl = page.url();
		app = appUrl.match(/(\d+)$/)[1];
		await addEntry(page, app, 'education', { level: 'bachelor', degree: 'BSW',
		    field: 'Social Work', institution: 'Errors University', conferred: '2015-05-20' });
		await addEntry(page, app, 'training', { title: 'Undo Me Training', date: '2021-02-03',
		    hours: '4', role: 'attended' });
		await addEntry(page, app, 'references', { name: 'Erin Errors', email: mail,
		    relationship: 'colleague' });
	});

	const li = () => page.locator('ul.entries > li').first();
	await step(`errors ${w}: a transcript upload without a file, on the tab by its input`, async () => {
		await page.goto(`${appUrl}/tab/education`);
		await arrived(page, `errors-${w}-education`);
		await li().getByRole('button', { name: /^Upload/ }).click();
		await page.waitForURL('**/transcript');
		await errorState(page, `errors-${w}-transcript-no-file`, 'choose a PDF file', size);
	});
	await step(`errors ${w}: a PNG for a transcript, on the tab by its input`, async () => {
		const png = path.join(OUT, 'scan.png');
		fs.writeFileSync(png, PNG);
		await li().getByLabel(/^Transcript \(PDF\)/).setInputFiles(png);
		await li().getByRole('button', { name: /^Upload/ }).click();
		await page.waitForLoadState('load');
		await errorState(page, `errors-${w}-transcript-png`, 'not a PDF document', size);
		const pdf = path.join(OUT, 'transcript.pdf');
		fs.writeFileSync(pdf, tinyPdf());
		await li().getByLabel(/^Transcript \(PDF\)/).setInputFiles(pdf);
		await li().getByRole('button', { name: /^Upload/ }).click();
		await page.waitForURL('**/tab/education#entries');
		expect(await page.locator('.error-summary').count() === 0, 'the PDF was refused');
	});
	await step(`errors ${w}: asking oneself for a rating, on the references tab`, async () => {
		await page.goto(`${appUrl}/tab/references`);
		await li().getByRole('button', { name: /^Ask for a rating/ }).click();
		await page.waitForURL('**/request');
		await errorState(page, `errors-${w}-self-rating`, 'you cannot rate yourself', size);
	});
	await step(`errors ${w}: a bad import file, on the application page by its input`, async () => {
		await page.goto(appUrl);
		const bad = path.join(OUT, 'bad-portfolio.json');
		fs.writeFileSync(bad, '{"oops": ');
		await page.getByLabel('Replace this draft with a portfolio file').setInputFiles(bad);
		await page.getByRole('button', { name: 'Import' }).click();
		await page.waitForURL('**/import');
		await errorState(page, `errors-${w}-import`, 'not valid JSON', size);
	});
	await step(`errors ${w}: a training half filled keeps what was typed, focus on the summary`, async () => {
		await page.goto(`${appUrl}/tab/training`);
		const form = page.locator('form[action$="/tab/training"]');
		await control(form, 'Training title').fill('Half Typed Course');
		await form.getByRole('button', { name: 'Add the training' }).click();
		await page.waitForLoadState('load');
		await errorState(page, `errors-${w}-training-half`, '', size);
		expect(await control(form, 'Training title').inputValue() === 'Half Typed Course',
		    'the title typed is gone');
	});

	const state = await P.ctx.storageState();
	await step(`errors ${w}: deleting an entry is asked, said, and undone`, async () => {
		await page.goto(`${appUrl}/tab/training`);
		const row = page.locator('ul.entries > li', { hasText: 'Undo Me Training' });
		await row.getByRole('link', { name: /^Delete/ }).click();
		await page.waitForURL('**/delete');
		await arrived(page, `errors-${w}-delete-entry-ask`);
		await fitsNarrow(browser, state, page.url());
		expect(await page.getByText('Undo Me Training').count() > 0, 'the entry is not named');
		await page.getByRole('button', { name: 'Yes, delete the training' }).click();
		await page.waitForURL('**deleted=1**');
		await arrived(page, `errors-${w}-deleted`);
		await fitsNarrow(browser, state, page.url());
		const note = page.locator('.notice', { hasText: 'Deleted: Undo Me Training' });
		expect(await note.count() === 1, 'no word of the deletion');
		await note.getByRole('button', { name: /^Undo/ }).click();
		await page.waitForURL('**restored=1**');
		await arrived(page, `errors-${w}-restored`);
		expect(await page.locator('ul.entries > li', { hasText: 'Undo Me Training' }).count() === 1,
		    'the entry is not back');
	});
	await step(`errors ${w}: deleting the application is asked, listing what goes`, async () => {
		await page.goto(appUrl);
		await page.getByRole('link', { name: 'Delete this application' }).click();
		await page.waitForURL('**/delete');
		await arrived(page, `errors-${w}-delete-app-ask`);
		await fitsNarrow(browser, state, page.url());
		const text = await page.locator('main').innerText();
		for (const s of ['Education: 1 entry', 'Training: 1 entry', '1 transcript (PDF)'])
			expect(text.includes(s), `the page does not list "${s}"`);
		await page.getByRole('button', { name: 'Yes, delete the application' }).click();
		await page.waitForURL('**/dashboard?deleted=1');
		await arrived(page, `errors-${w}-app-deleted`);
		expect(await page.getByText('The application was deleted').count() === 1, 'not said');
	});
	await check(`errors ${w}: the pages of the journey fit 320 px`, async () => {
		await fitsNarrow(browser, state, `${BASE}/dashboard?deleted=1`);
	});
	await P.ctx.close();
}

export async function journey(browser) {
	for (const size of SIZES)
		await walkAt(browser, size);
}
