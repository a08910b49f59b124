// The endorsee's journey at renewal (issue 16, point 3): a membership paid
// in December for the next year is recorded as that year's, from January
// 1, not as the last days of the year it was paid in.  At 1280 and 375 px,
// with the error state of the form; every page also at 320 px.
import {
	BASE, SIZES, step, expect, arrived, control, fits, fitsNarrow, registerIn,
} from './lib.mjs';

export async function journey(browser) {
	for (const size of SIZES) {
		const w = size.width;
		const tag = `${w}-${Date.now().toString(36)}`;
		const email = `ren-${tag}@example.org`;
		let ctx, page;
		await step(`renewal ${w}: an endorsee-to-be registers`, async () => {
			({ ctx, page } = await registerIn(browser, `Rae Renewal ${tag}`,
			    email, 'correct horse battery'));
			await page.setViewportSize(size);
		});
		try {
			await step(`renewal ${w}: the membership form asks which year a term is for`, async () => {
				await page.goto(`${BASE}/membership`);
				await arrived(page, `renewal-${w}-membership`);
				await fits(page);
				const form = page.locator('form[action="/membership"]');
				expect(await control(form, 'Which year is it for?').count() === 1,
				    'no question which year the membership is for');
			});
			await step(`renewal ${w}: a form sent without a term says so by the field`, async () => {
				const form = page.locator('form[action="/membership"]');
				await form.getByRole('button', { name: 'Record it' }).click();
				await page.locator('.error-summary').waitFor();
				await arrived(page, `renewal-${w}-membership-error`);
				await fits(page);
				const err = await page.locator('#f-term-error').innerText();
				expect(/choose a membership/.test(err), `the error by the field: ${err}`);
			});
			await step(`renewal ${w}: paid in December for next year, it starts January 1`, async () => {
				const form = page.locator('form[action="/membership"]');
				await control(form, 'Membership').selectOption({ label: 'Virginia Association for Infant Mental Health: Individual, 1 year' });
				await control(form, 'Bought on').fill('2026-11-20');
				await control(form, 'Which year is it for?').selectOption({ label: 'The next year (bought ahead)' });
				await form.getByRole('button', { name: 'Record it' }).click();
				await page.waitForURL('**/membership');
				await arrived(page, `renewal-${w}-membership-ahead`);
				await fits(page);
				const text = await page.locator('ul.entries > li').first().innerText();
				expect(/January 1, 2027 to December 31, 2027/.test(text),
				    `the term is next year's: ${text}`);
			});
			await step(`renewal ${w}: the membership page fits at 320 px`, async () => {
				await fitsNarrow(browser, await ctx.storageState(), `${BASE}/membership`);
			});
		} finally {
			await ctx?.close();
		}
	}
}
