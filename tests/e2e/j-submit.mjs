// Issue 16, points 7 and 2: an IMHS applicant (the exam still to come)
// checks their answers and submits, the declaration first refused unticked;
// a reviewer comments, the coordinator returns it with a note the
// applicant reads on the application and the dashboard; the applicant
// changes an entry and submits again; the reviewer finds their comment
// and a mail with what changed.  Setup shortcuts through the store: the
// ratings completed, the reviewer an endorsee.  Every page at 1280 and
// 375 px (a screenshot and axe each, the error state too) and at 320 px.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

import { BASE, OUT, SIZES, step, expect, arrived, fits, fitsNarrow, control, tinyPdf, registerIn,
    coordinator } from './lib.mjs';

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', process.env.E2E_DB, q],
    { encoding: 'utf8' }).trim();
const qs = (s) => `'${String(s).replace(/'/g, "''")}'`;

// Each page a person saw, to be seen again at every size and at 320 px.
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

let cycleOpen = false;

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const pw = 'correct horse battery staple';
	const doc = JSON.parse(fs.readFileSync(path.join(process.env.E2E_ROOT,
	    'tests/golden/check/vaimh/IMHS.json'), 'utf8'));
	doc.references = doc.references.map((r, i) => ({ ...r, status: 'draft',
	    email: `js-rater${i}-${tag}@example.org` }));
	doc.exam = [];
	delete doc.as_of;
	const file = path.join(OUT, `js-imhs-${tag}.json`);
	fs.writeFileSync(file, JSON.stringify(doc));
	let P, R, K, appUrl, appId, asg;

	await step('submit: an IMHS applicant with every requirement but the exam met', async () => {
		P = await registerIn(browser, `Sam Submitter ${tag}`, `js-app-${tag}@example.org`, pw);
		await P.page.goto(`${BASE}/applications/new`);
		const form = P.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IMHS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await P.page.waitForURL(/\/applications\/\d+$/);
		appUrl = P.page.url();
		appId = appUrl.match(/(\d+)$/)[1];
		await P.page.getByLabel('Replace this draft with a portfolio file').setInputFiles(file);
		await P.page.getByRole('button', { name: 'Import' }).click();
		await P.page.waitForURL(/imported=1/);
		await P.page.goto(`${appUrl}/tab/education`);
		const pdf = path.join(OUT, 'js-transcript.pdf');
		fs.writeFileSync(pdf, tinyPdf());
		const n = await P.page.locator('ul.entries > li').count();
		for (let i = 0; i < n; i++) {
			const li = P.page.locator('ul.entries > li').nth(i);
			await li.getByLabel(/^Transcript \(PDF\)/).setInputFiles(pdf);
			await li.getByRole('button', { name: /^Upload/ }).click();
			await P.page.waitForURL('**/tab/education#entries');
		}
		const now = Math.floor(Date.UTC(2026, 10, 23) / 1000);
		doc.references.forEach((x, i) => sql(`INSERT INTO rating (application, email, name, relationship, ` +
		    `hash, status, expires, sent, answered, answers) VALUES (${appId}, ${qs(x.email)}, ${qs(x.name)}, ` +
		    `${qs(x.relationship)}, ${qs(`js-${tag}-${i}`)}, 'completed', ${now + 86400 * 60}, ${now}, ` +
		    `${now}, '{}')`));
		await P.page.goto(appUrl);
		await arrived(P.page, 'js-overview-ready');
		const text = await P.page.locator('main').innerText();
		expect(!text.includes('Every requirement is met'), 'the overview says every requirement is met');
		expect(text.includes('Ready to submit; the exam comes after review'), 'the overview does not say the exam remains');
		expect(text.includes('Waiting on you: check your answers and submit it.'), 'no line of whom it waits on');
	});
	await step('submit: the overview at every size', () => everySize(browser, P, appUrl, 'js-overview-ready'));

	await step('submit: the check page shows the portfolio, the fee, what happens next and a declaration', async () => {
		await P.page.getByRole('link', { name: 'Submit the application' }).click();
		await P.page.waitForURL(`${appUrl}/submit`);
		await arrived(P.page, 'js-check');
		const text = await P.page.locator('main').innerText();
		for (const s of ['Check your answers before you submit', 'The processing fee is', 'What happens next',
		    'This category has an exam: it comes after review'])
			expect(text.includes(s), `the check page lacks "${s}"`);
		// The walk before may have opened a cycle on this server.
		cycleOpen = text.includes('It enters the review cycle open now');
		expect(cycleOpen || text.includes('No review cycle is open now'),
		    'the check page says nothing of the cycle');
		expect(!/\d+\s+weeks/.test(text), 'a number of weeks no rule set gives');
	});
	await step('submit: the check page at every size', () => everySize(browser, P, `${appUrl}/submit`, 'js-check'));

	await step('submit: unticked, the declaration is refused by its box', async () => {
		await P.page.getByRole('button', { name: 'Submit the application' }).click();
		await P.page.waitForURL(`${appUrl}/submit`);
		await arrived(P.page, 'js-check-error');
		const summary = await P.page.locator('.error-summary').innerText();
		expect(/tick the box to declare/.test(summary), `the summary says "${summary}"`);
		expect(await P.page.locator('a[href="#f-declare"]').count() === 1, 'the summary links to the box');
		for (const size of SIZES.slice(1)) {
			await P.page.setViewportSize(size);
			await arrived(P.page, `js-check-error-${size.width}`);
			await fits(P.page);
		}
		await P.page.setViewportSize(SIZES[0]);
	});

	await step('submit: ticked, submitted; the status says it waits for a review cycle', async () => {
		await P.page.getByLabel(/I declare that the answers/).check();
		await P.page.getByRole('button', { name: 'Submit the application' }).click();
		await P.page.waitForURL(appUrl);
		await arrived(P.page, 'js-submitted');
		const s = await P.page.locator('section.status').innerText();
		// As the check page said: waiting on a cycle, or in the open one.
		if (cycleOpen)
			expect(s.includes('in review') && s.includes('Waiting on the coordinator to assign'),
			    `the status says "${s}"`);
		else {
			expect(s.includes('Waiting on a review cycle'), `the status says "${s}"`);
			expect(!s.includes('in review'), `the status says "${s}"`);
		}
	});
	await step('submit: the submitted application at every size', () => everySize(browser, P, appUrl, 'js-submitted'));

	await step('return: a reviewer comments; the coordinator returns it with a note', async () => {
		const email = `js-rev-${tag}@example.org`;
		R = await registerIn(browser, `Rita Reviewer ${tag}`, email, pw);
		sql(`INSERT INTO endorsement (number, account, association, category, since, status, name, city, ` +
		    `hidden, created) SELECT ${qs(`JS-${tag}`)}, id, 'vaimh', 'IMHS', '2015-01-01', 'active', name, '', ` +
		    `1, 0 FROM account WHERE email = ${qs(email)}`);
		K = await coordinator(browser);
		await K.page.goto(`${BASE}/coordinator/reviewers`);
		let form = K.page.locator('form[action="/coordinator/reviewers"]');
		await control(form, 'E-mail of the reviewer').fill(email);
		await form.getByRole('button', { name: 'Add the reviewer' }).click();
		await K.page.waitForURL('**/coordinator/reviewers');
		await K.page.goto(`${BASE}/coordinator/applications/${appId}`);
		form = K.page.locator(`form[action="/coordinator/applications/${appId}/assign"]`);
		await control(form, 'Reviewer').selectOption(sql(`SELECT id FROM account WHERE email = ${qs(email)}`));
		await form.getByRole('button', { name: 'Assign the reviewer' }).click();
		await K.page.waitForURL(/#reviewers$/);
		asg = sql(`SELECT id FROM assignment WHERE application = ${appId}`);
		await R.page.goto(`${BASE}/review/${asg}`);
		await R.page.getByLabel(/^Comments on Work/).fill('Which months were supervised?');
		await R.page.getByRole('button', { name: 'Save a draft' }).click();
		await R.page.waitForURL(/saved=1/);
		await K.page.goto(`${BASE}/coordinator/applications/${appId}`);
		await K.page.getByLabel('What to change').fill('Name your supervisor for each position.');
		await K.page.getByRole('button', { name: 'Unlock for changes' }).click();
		await K.page.waitForURL(`**/coordinator/applications/${appId}`);
		await arrived(K.page, 'js-coord-returned');
	});

	await step('return: the applicant reads the note on the application and the dashboard', async () => {
		await P.page.goto(appUrl);
		await arrived(P.page, 'js-returned');
		let text = await P.page.locator('main').innerText();
		expect(text.includes('Name your supervisor for each position.'), 'no note on the application');
		expect(text.includes('Waiting on you: the coordinator returned it'), 'no line of whom it waits on');
		await P.page.goto(`${BASE}/dashboard`);
		await arrived(P.page, 'js-returned-dashboard');
		text = await P.page.locator('main').innerText();
		expect(text.includes('Name your supervisor for each position.'), 'no note on the dashboard');
	});
	await step('return: the returned application at every size', () => everySize(browser, P, appUrl, 'js-returned'));
	await step('return: the dashboard at every size', () => everySize(browser, P, `${BASE}/dashboard`,
	    'js-returned-dashboard'));

	await step('return: the applicant changes a position and submits again', async () => {
		sql(`UPDATE entry SET data = json_set(data, '$.employer', 'Early Steps of Dr. Lee') WHERE id = ` +
		    `(SELECT min(id) FROM entry WHERE application = ${appId} AND kind = 'work')`);
		await P.page.goto(`${appUrl}/submit`);
		await P.page.getByLabel(/I declare that the answers/).check();
		await P.page.getByRole('button', { name: 'Submit the application' }).click();
		await P.page.waitForURL(appUrl);
		await arrived(P.page, 'js-resubmitted');
		const s = await P.page.locator('section.status').innerText();
		expect(s.includes('Waiting on the reviewers: 0 of 1'), `the status says "${s}"`);
	});

	await step('return: the reviewer keeps the review with the comment, and a mail says what changed', async () => {
		await R.page.goto(`${BASE}/review/${asg}`);
		await arrived(R.page, 'js-review-again');
		const v = await R.page.getByLabel(/^Comments on Work/).inputValue();
		expect(v === 'Which months were supervised?', `the comment is "${v}"`);
		const body = sql(`SELECT body FROM outbox WHERE recipient = 'js-rev-${tag}@example.org' AND ` +
		    `subject = 'An application you review was submitted again'`);
		expect(body.includes('An entry on the Work tab was changed.'), `the mail says "${body.slice(0, 300)}"`);
	});
	await step('return: the review page at every size', () => everySize(browser, R, `${BASE}/review/${asg}`,
	    'js-review-again'));
	for (const x of [P, R, K])
		if (x) await x.ctx.close();
}
