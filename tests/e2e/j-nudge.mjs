// Issue 17, the coordinator's notices and notes: the outbox links to
// the notices setting, the coordinator writes an internal
// note on the application (refused empty, by its field), finds it in the
// history, chooses the daily digest on /coordinator/notices (and back),
// and notes an endorsee on the renewal page.  Setup shortcuts through
// the store: the application's portfolio, the endorsee's renewal.  Every
// page at 1280 and 375 px (a screenshot and axe each, the error state
// too) and at 320 px.
import { execFileSync } from 'node:child_process';

import { BASE, SIZES, step, expect, arrived, fits, fitsNarrow, control, registerIn,
    coordinator } from './lib.mjs';

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', process.env.E2E_DB, q],
    { encoding: 'utf8' }).trim();
const qs = (s) => `'${String(s).replace(/'/g, "''")}'`;

// The page at every size after the first, and at 320 px.
async function everySize(browser, who, url, name) {
	const state = await who.ctx.storageState();
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

// The page as it is now (an error state) at every size.
async function sizesHere(page, name) {
	for (const size of SIZES.slice(1)) {
		await page.setViewportSize(size);
		await arrived(page, `${name}-${size.width}`);
		await fits(page);
	}
	await page.setViewportSize(SIZES[0]);
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const pw = 'correct horse battery staple';
	const note = `Phoned the supervisor ${tag}: the dates are right.`;
	let P, K, appId, renId;

	await step('nudge: a submitted application; the outbox links to the notices setting', async () => {
		P = await registerIn(browser, `Nell Nudge ${tag}`, `ng-app-${tag}@example.org`, pw);
		await P.page.goto(`${BASE}/applications/new`);
		const form = P.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await P.page.waitForURL(/\/applications\/\d+$/);
		appId = P.page.url().match(/(\d+)$/)[1];
		// The submission's mail as app_submit writes it (the submit
		// itself is walked in j-submit.mjs).
		sql(`UPDATE application SET status = 'submitted', submitted = ${Date.UTC(2026, 10, 23) / 1000} ` +
		    `WHERE id = ${appId}`);
		K = await coordinator(browser);
		await K.page.goto(`${BASE}/coordinator/outbox`);
		await arrived(K.page, 'ng-outbox');
		expect(await K.page.getByRole('link', { name: /each as it happens or one daily digest/ }).count() === 1,
		    'the outbox links to the notices setting');
	});
	await step('nudge: the outbox at every size', () => everySize(browser, K, `${BASE}/coordinator/outbox`, 'ng-outbox'));

	await step('notes: an empty note is refused by its field', async () => {
		await K.page.goto(`${BASE}/coordinator/applications/${appId}`);
		await arrived(K.page, 'ng-app');
		await K.page.getByRole('button', { name: 'Add the note' }).click();
		await K.page.waitForURL(`**/coordinator/applications/${appId}/notes`);
		await arrived(K.page, 'ng-note-error');
		const summary = await K.page.locator('.error-summary').innerText();
		expect(/Internal note: write the note/.test(summary), `the summary says "${summary}"`);
		expect(await K.page.locator('#f-internal-error').count() === 1, 'no message by the field');
		await sizesHere(K.page, 'ng-note-error');
	});

	await step('notes: written, the note is in the history with the author', async () => {
		await K.page.getByLabel('Internal note').fill(note);
		await K.page.getByRole('button', { name: 'Add the note' }).click();
		await K.page.waitForURL(/#history-h$/);
		await arrived(K.page, 'ng-note-added');
		const row = K.page.locator('table.history tr.note').last();
		const text = await row.innerText();
		expect(text.includes(note) && text.includes('internal note'), `the history row says "${text}"`);
		await P.page.goto(`${BASE}/applications/${appId}`);
		expect(!(await P.page.locator('main').innerText()).includes(note), 'the applicant sees the note');
	});
	await step('notes: the application page at every size', () => everySize(browser, K,
	    `${BASE}/coordinator/applications/${appId}`, 'ng-note-added'));

	await step('digest: the coordinator chooses the daily digest, then each mail again', async () => {
		await K.page.goto(`${BASE}/coordinator/notices`);
		await arrived(K.page, 'ng-notices');
		await K.page.getByLabel('One daily digest').check();
		await K.page.getByRole('button', { name: 'Save' }).click();
		await K.page.waitForURL('**/coordinator/notices?saved=1');
		await arrived(K.page, 'ng-notices-saved');
		expect((await K.page.locator('.notice').innerText()).includes('one daily digest'), 'no saved notice');
		// Back as it was: the other journeys read the coordinator's mail.
		await K.page.getByLabel('Each as it happens').check();
		await K.page.getByRole('button', { name: 'Save' }).click();
		await K.page.waitForURL('**/coordinator/notices?saved=1');
		expect((await K.page.locator('.notice').innerText()).includes('as it happens'), 'not saved back');
	});
	await step('digest: the setting at every size', () => everySize(browser, K, `${BASE}/coordinator/notices`,
	    'ng-notices'));

	await step('notes: on an endorsee, the renewal page takes a note (an empty one refused)', async () => {
		const email = `ng-endo-${tag}@example.org`;
		const E = await registerIn(browser, `Ed Endorsee ${tag}`, email, pw);
		await E.ctx.close();
		sql(`INSERT INTO endorsement (number, account, association, category, since, status, name, city, ` +
		    `hidden, created) SELECT ${qs(`NG-${tag}`)}, id, 'vaimh', 'IFS', '2015-01-01', 'active', name, '', ` +
		    `1, 0 FROM account WHERE email = ${qs(email)}`);
		renId = sql(`INSERT INTO renewal (endorsement, cycle, status, changed) SELECT id, 2026, 'attested', 0 ` +
		    `FROM endorsement WHERE number = ${qs(`NG-${tag}`)} RETURNING id`);
		await K.page.goto(`${BASE}/coordinator/renewals/${renId}`);
		await arrived(K.page, 'ng-renewal');
		await K.page.getByRole('button', { name: 'Add the note' }).click();
		await arrived(K.page, 'ng-renewal-error');
		expect(await K.page.locator('#f-internal-error').count() === 1, 'no message by the field');
		await sizesHere(K.page, 'ng-renewal-error');
		await K.page.getByLabel('Internal note').fill(`Moved to Norfolk ${tag}`);
		await K.page.getByRole('button', { name: 'Add the note' }).click();
		await K.page.waitForURL(/#notes-h$/);
		await arrived(K.page, 'ng-renewal-noted');
		expect((await K.page.locator('main').innerText()).includes(`Moved to Norfolk ${tag}`), 'the note is not shown');
	});
	await step('notes: the renewal page at every size', () => everySize(browser, K,
	    `${BASE}/coordinator/renewals/${renId}`, 'ng-renewal-noted'));

	for (const x of [P, K])
		if (x) await x.ctx.close();
}
