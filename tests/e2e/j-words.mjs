// Issue 16, points 9 to 11, walked in the browser: implausible entries
// are refused by their field (and each error state is axe clean), the
// requirement texts carry no source notes, dates read as people in the US
// write them, and the pages with tables (the rating requests, the
// coordinator's list and application, an exam session, renewals) fit a
// phone: nothing scrolls sideways at 375 px, nor at 320 px.
import fs from 'node:fs';
import path from 'node:path';

import {
	BASE, OUT, SIZES, step, check, expect, control, arrived, registerIn,
	coordinator, fits, fitsNarrow,
} from './lib.mjs';

// Each page at 1280 and 375 px (a screenshot and axe at each), then at
// 320 px in a context of its own with the same cookies.
async function atEverySize(browser, who, url, name) {
	for (const size of SIZES) {
		await who.page.setViewportSize(size);
		const r = await who.page.goto(url);
		expect(r.ok(), `GET ${url} answered ${r.status()}`);
		await arrived(who.page, `words-${name}-${size.width}`);
		await fits(who.page);
	}
	await who.page.setViewportSize(SIZES[0]);
	await fitsNarrow(browser, await who.ctx.storageState(), url);
}

// A form sent with one implausible value: refused, its field says why,
// the error state is axe clean at both sizes.
async function refused(who, url, kind, fill, field, want, name) {
	for (const size of SIZES) {
		await who.page.setViewportSize(size);
		await who.page.goto(url);
		const form = who.page.locator(`form[action$="/tab/${kind}"]`);
		await fill(form);
		await form.getByRole('button', { name: /^Add the / }).click();
		await who.page.waitForLoadState('load');
		await arrived(who.page, `words-${name}-${size.width}`);
		const msg = await who.page.locator(`#f-${field}-error`).innerText()
		    .catch(() => '');
		expect(want.test(msg), `${name}: the ${field} field says "${msg}"`);
		await fits(who.page);
	}
	await who.page.setViewportSize(SIZES[0]);
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const pw = 'correct horse battery staple 16';
	let A, C, appUrl, appId;

	await step('words: an applicant opens an IFS application from the example file', async () => {
		A = await registerIn(browser, `Wendy Words ${tag}`, `words-${tag}@example.org`, pw);
		await A.page.goto(`${BASE}/applications/new`);
		const form = A.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await A.page.waitForURL(/\/applications\/\d+$/);
		appUrl = A.page.url();
		appId = appUrl.match(/(\d+)$/)[1];
		const doc = JSON.parse(fs.readFileSync(process.env.E2E_EXAMPLE, 'utf8'));
		doc.references = doc.references.map((r, i) => ({ ...r,
		    email: `words-rater${i}-${tag}@example.org` }));
		const file = path.join(OUT, `words-${tag}.json`);
		fs.writeFileSync(file, JSON.stringify(doc));
		await A.page.getByLabel('Replace this draft with a portfolio file').setInputFiles(file);
		await A.page.getByRole('button', { name: 'Import' }).click();
		await A.page.waitForURL(/imported=1/);
		await arrived(A.page, 'words-imported');
	});

	await check('words: implausible entries are refused by their field', async () => {
		const tab = (k) => `${appUrl}/tab/${k}`;
		await refused(A, tab('training'), 'training', async (f) => {
			await control(f, 'Training title').fill('Next spring course');
			await control(f, 'Date').fill('2027-03-05');
			await control(f, 'Hours').fill('3');
			await control(f, 'Your role').selectOption('attended');
		}, 'date', /cannot be in the future/, 'training-future');
		await refused(A, tab('training'), 'training', async (f) => {
			await control(f, 'Training title').fill('No hours');
			await control(f, 'Date').fill('2026-03-05');
			await control(f, 'Hours').fill('0');
			await control(f, 'Your role').selectOption('attended');
		}, 'hours', /more than 0/, 'training-zero');
		await refused(A, tab('education'), 'education', async (f) => {
			await control(f, 'Level').selectOption('master');
			await control(f, 'Date conferred').fill('2031-05-20');
		}, 'conferred', /cannot be in the future/, 'degree-2031');
		await refused(A, tab('work'), 'work', async (f) => {
			await control(f, 'Position title').fill('Next job');
			await control(f, 'Start date').fill('2027-01-04');
			await f.getByLabel('Infants and toddlers (birth to 36 months)').check();
			await control(f, 'Kind of service').selectOption('prevention');
		}, 'start', /cannot be in the future/, 'work-next-year');
	});

	await check('words: 800 hours of RSC in two months is kept with a warning', async () => {
		await A.page.goto(`${appUrl}/tab/rsc_received`);
		const f = A.page.locator('form[action$="/tab/rsc_received"]');
		await control(f, "Provider's name").fill(`Pat Busy ${tag}`);
		await control(f, 'Format').selectOption('individual');
		await control(f, 'Start date').fill('2026-08-01');
		await control(f, 'End date').fill('2026-09-30');
		await control(f, 'Hours').fill('800');
		await control(f, 'Focus').selectOption('practice');
		await f.getByRole('button', { name: /^Add the / }).click();
		await A.page.waitForURL('**/tab/rsc_received#entries');
		const li = A.page.locator('ul.entries > li', { hasText: `Pat Busy ${tag}` });
		const t = await li.innerText();
		expect(/Warning: Please check the hours: 800 hours in 2 months/.test(t),
		    `no warning on the entry: "${t}"`);
		expect(t.includes('August 1, 2026'), `the start is not a US date: "${t}"`);
		await atEverySize(browser, A, `${appUrl}/tab/rsc_received`, 'rsc-warned');
	});

	await check('words: requirement texts without source notes, years in years and months', async () => {
		await atEverySize(browser, A, appUrl, 'overview');
		const box = await A.page.locator('section.checklist').innerText();
		expect(!/\bseed\b/i.test(box), `a source note: ${(box.match(/.{60}seed.{30}/i) || [''])[0]}`);
		expect(!/[0-9]\.[0-9]+ of [0-9]+ years?/.test(box),
		    `years as decimals: ${(box.match(/.{40}[0-9]\.[0-9]+ of [0-9]+ years?/) || [''])[0]}`);
	});

	await check('words: the rating requests fit a phone', async () => {
		await A.page.goto(`${appUrl}/tab/references`);
		await A.page.locator('ul.entries > li').first()
		    .getByRole('button', { name: /^Ask for a rating/ }).click();
		await A.page.waitForURL('**/tab/references#ratings');
		await atEverySize(browser, A, `${appUrl}/tab/references`, 'rating-requests');
		const rows = await A.page.locator('table tbody tr').count();
		expect(rows >= 1, 'no rating request listed');
	});

	await check("words: the coordinator's pages fit a phone", async () => {
		C = await coordinator(browser);
		await atEverySize(browser, C, `${BASE}/coordinator`, 'coord-list');
		await atEverySize(browser, C, `${BASE}/coordinator/applications/${appId}`, 'coord-app');
		await C.page.goto(`${BASE}/coordinator/exams`);
		const form = C.page.locator('form[action="/coordinator/exams"]');
		await control(form, 'Date').fill('2026-12-05');
		await control(form, 'Place').fill(`Room 7, Richmond Library ${tag}`);
		await form.getByRole('button', { name: 'Add the session' }).click();
		await C.page.waitForURL(/\/coordinator\/exams\/\d+$/);
		const session = C.page.url();
		const h = await C.page.locator('main').innerText();
		expect(h.includes('December 5, 2026'), `the session's date is not a US date: ${h.slice(0, 300)}`);
		await atEverySize(browser, C, session, 'exam-session');
		await atEverySize(browser, C, `${BASE}/coordinator/renewals`, 'renewals');
	});

	if (A) await A.ctx.close();
	if (C) await C.ctx.close();
}
