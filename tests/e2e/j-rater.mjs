// Issue 16, points 1 and 8: the applicant asks a rater and sees the
// request's state in place of the button; tries to ask again a rater who
// completed a rating and is told, on a page, that it would be discarded.
// A rater sends a form with answers missing (the error summary links
// each missing item to its radio group), then one with only "not enough
// information" answers: warned that it will not count, they send it
// anyway.  At 1280 and 375 px; every page also at 320 px.
import {
	BASE, SIZES, NARROW, step, check, expect, control, arrived, fits, fitsNarrow,
	freshPage, registerIn, coordinator, handOver,
} from './lib.mjs';

// The page as it is now, at 320 px: nothing scrolls sideways (a POST's
// answer cannot be fetched again, so the window is narrowed instead).
async function fitsHere(page) {
	const size = page.viewportSize();
	await page.setViewportSize(NARROW);
	try {
		await fits(page);
	} finally {
		await page.setViewportSize(size);
	}
}

async function addReference(page, appUrl, name, email) {
	await page.goto(`${appUrl}/tab/references`);
	const form = page.locator(`form[action$="/tab/references"]`);
	await control(form, "Rater's name").fill(name);
	await control(form, "Rater's e-mail").fill(email);
	await control(form, 'Relationship to you').selectOption({ index: 1 });
	await form.getByRole('button', { name: 'Add the reference' }).click();
	await page.waitForURL('**/tab/references#entries');
}

const entry = (page, name) => page.locator('ul.entries > li').filter({ hasText: name });

async function once(browser, size) {
	const w = size.width;
	const tag = `${w}-${Date.now()}`;
	const A = await registerIn(browser, `Ada Asker ${tag}`, `jrater-${tag}@example.org`,
	    'correct horse battery staple');
	await A.page.setViewportSize(size);
	const state = await A.ctx.storageState();
	let appUrl, appId;

	await step(`rater ${w}: an applicant opens an application and adds a reference`, async () => {
		await A.page.goto(`${BASE}/applications/new`);
		const form = A.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await A.page.waitForURL(/\/applications\/\d+$/);
		appUrl = A.page.url();
		appId = appUrl.match(/(\d+)$/)[1];
		await addReference(A.page, appUrl, 'Rita Reed', `rita-${tag}@example.org`);
		await arrived(A.page, `jrater-${w}-reference`);
		expect(await entry(A.page, 'Rita Reed').getByRole('button',
		    { name: /^Ask for a rating/ }).count() === 1, 'no "Ask for a rating" button');
	});

	await check(`rater ${w}: once asked, the state in place of the button`, async () => {
		await entry(A.page, 'Rita Reed').getByRole('button', { name: /^Ask for a rating/ }).click();
		await A.page.waitForURL('**/tab/references#ratings');
		await arrived(A.page, `jrater-${w}-asked`);
		const li = entry(A.page, 'Rita Reed');
		expect(await li.getByRole('button', { name: /^Ask for a rating/ }).count() === 0,
		    'the "Ask for a rating" button is still there after asking');
		const text = await li.innerText();
		expect(/Rating: Request sent/.test(text), `the entry says "${text}"`);
		await fitsNarrow(browser, state, `${appUrl}/tab/references`);
	});

	const K = await coordinator(browser);
	let link;
	await step(`rater ${w}: the rater completes the rating`, async () => {
		link = await handOver(K, appId, null);
		const { ctx, page } = await freshPage(browser);
		await page.setViewportSize(size);
		await page.goto(link);
		await arrived(page, `jrater-${w}-rate-form`);
		await fitsNarrow(browser, undefined, link);
		const often = page.getByRole('radio', { name: 'Often', exact: true });
		for (let j = 0; j < await often.count(); j++)
			await often.nth(j).check();
		await page.getByLabel('I recommend', { exact: true }).check();
		await page.getByRole('button', { name: 'Send the rating' }).click();
		await page.getByRole('heading', { name: 'Thank you' }).waitFor();
		await arrived(page, `jrater-${w}-rate-done`);
		await fitsHere(page);
		await ctx.close();
	});

	await check(`rater ${w}: asking a completed rater again asks first, saying the rating is discarded`, async () => {
		await A.page.goto(`${appUrl}/tab/references`);
		const li = entry(A.page, 'Rita Reed');
		const text = await li.innerText();
		expect(/Rating completed/.test(text), `the entry says "${text}"`);
		await li.getByRole('link', { name: /^Ask again/ }).click();
		await A.page.waitForURL(/\/entries\/\d+\/request$/);
		await arrived(A.page, `jrater-${w}-replace-confirm`);
		const body = await A.page.locator('main').innerText();
		expect(/Asking again discards that completed rating/.test(body), `the page says "${body}"`);
		expect(await A.page.getByRole('button', { name: 'Discard the completed rating and ask again' })
		    .count() === 1, 'no button to confirm');
		await fitsNarrow(browser, state, A.page.url());
		await A.page.getByRole('link', { name: /^Keep it/ }).click();
		await A.page.waitForURL('**/tab/references#ratings');
		expect(/Rating completed/.test(await entry(A.page, 'Rita Reed').innerText()),
		    'the completed rating is gone after "Keep it"');
	});

	await step(`rater ${w}: a second rater sends a form with answers missing`, async () => {
		await addReference(A.page, appUrl, 'Vera Void', `vera-${tag}@example.org`);
		await entry(A.page, 'Vera Void').getByRole('button', { name: /^Ask for a rating/ }).click();
		await A.page.waitForURL('**/tab/references#ratings');
		link = await handOver(K, appId, null);
	});

	const { ctx: rc, page: rp } = await freshPage(browser);
	await rp.setViewportSize(size);
	await check(`rater ${w}: the error summary links each missing item to its radio group`, async () => {
		await rp.goto(link);
		const often = rp.getByRole('radio', { name: 'Often', exact: true });
		const k = await often.count();
		for (let j = 3; j < k; j++)
			await often.nth(j).check();
		await rp.getByRole('button', { name: 'Send the rating' }).click();
		await rp.getByRole('heading', { name: 'There is a problem' }).waitFor();
		await arrived(rp, `jrater-${w}-rate-missing`);
		await fitsHere(rp);
		const links = rp.locator('.error-summary a');
		expect(await links.count() === 4, `${await links.count()} links in the summary, not 4`);
		for (let j = 0; j < 4; j++) {
			const href = await links.nth(j).getAttribute('href');
			expect(await rp.locator(href).count() === 1, `the summary links ${href}, which is not there`);
		}
		await links.first().click();
		const id = await rp.evaluate(() => document.activeElement && document.activeElement.id);
		expect(/^f-item\d+-1$/.test(id), `following the first link focuses "${id}"`);
	});

	await step(`rater ${w}: six "not enough information" answers: warned, then sent anyway`, async () => {
		const none = rp.getByRole('radio', { name: 'Not enough information to rate', exact: true });
		const k = await none.count();
		for (let j = 0; j < k; j++)
			await none.nth(j).check();
		await rp.getByLabel('I recommend', { exact: true }).check();
		await rp.getByRole('button', { name: 'Send the rating' }).click();
		await rp.getByRole('heading', { name: 'This form will not count' }).waitFor();
		await arrived(rp, `jrater-${w}-rate-void-warning`);
		await fitsHere(rp);
		await rp.getByRole('button', { name: /^Send anyway/ }).click();
		await rp.getByRole('heading', { name: 'Thank you' }).waitFor();
		await arrived(rp, `jrater-${w}-rate-void-sent`);
	});
	await rc.close();

	await check(`rater ${w}: the applicant sees the void form and may ask again at once`, async () => {
		await A.page.goto(`${appUrl}/tab/references`);
		await arrived(A.page, `jrater-${w}-void`);
		const li = entry(A.page, 'Vera Void');
		const text = await li.innerText();
		expect(/Void/.test(text), `the entry says "${text}"`);
		expect(await li.getByRole('button', { name: /^Ask again/ }).count() === 1,
		    'no "Ask again" button for a void form');
	});
	await K.ctx.close();
	await A.ctx.close();
}

export async function journey(browser) {
	for (const size of SIZES)
		await once(browser, size);
}
