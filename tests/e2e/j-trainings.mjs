// Issue 16, point 13, walked in the browser: several trainings at once.
// The training tab links to a form of rows; "Add another row" (a submit
// button, no JavaScript) shows one more row with what was typed; a bad
// row refuses them all, its problems by row and field (axe clean); then
// the rows are stored together: 3 hours logged twice are two entries.
import {
	BASE, SIZES, step, check, expect, control, arrived, registerIn, fits,
	fitsNarrow,
} from './lib.mjs';

export async function journey(browser) {
	const tag = Date.now().toString(36);
	let A, appUrl;

	await step('trainings: an applicant opens an IFS application', async () => {
		A = await registerIn(browser, `Tia Trainings ${tag}`, `trainings-${tag}@example.org`,
		    'correct horse battery staple 16');
		await A.page.goto(`${BASE}/applications/new`);
		const form = A.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await A.page.waitForURL(/\/applications\/\d+$/);
		appUrl = A.page.url();
	});

	await step('trainings: the training tab offers several at once; the form has rows', async () => {
		for (const size of SIZES) {
			await A.page.setViewportSize(size);
			await A.page.goto(`${appUrl}/tab/training`);
			await arrived(A.page, `trainings-tab-${size.width}`);
		}
		await A.page.getByRole('link', { name: 'Add several trainings at once' }).click();
		await A.page.waitForURL(/\/trainings$/);
		for (const size of SIZES) {
			await A.page.setViewportSize(size);
			await A.page.reload();
			await arrived(A.page, `trainings-rows-${size.width}`);
			await fits(A.page);
		}
		await A.page.setViewportSize(SIZES[0]);
		await fitsNarrow(browser, await A.ctx.storageState(), A.page.url());
		expect(await A.page.locator('fieldset.row').count() === 3, 'three rows');
	});

	const fill = async (n, title, date, hours) => {
		const row = A.page.locator(`#row-${n}`);
		await control(row, 'Training title').fill(title);
		await control(row, 'Date').fill(date);
		await control(row, 'Hours').fill(hours);
		await control(row, 'Your role').selectOption('attended');
	};

	await step('trainings: "Add another row" keeps what was typed', async () => {
		await fill(1, `Same course ${tag}`, '2026-03-05', '3');
		await A.page.getByRole('button', { name: 'Add another row' }).click();
		await A.page.locator('#row-4').waitFor();
		await arrived(A.page, 'trainings-four-rows');
		expect(await control(A.page.locator('#row-1'), 'Training title').inputValue() ===
		    `Same course ${tag}`, 'row 1 kept');
	});

	await step('trainings: a bad row refuses them all, by row and field', async () => {
		for (const size of SIZES) {
			await A.page.setViewportSize(size);
			if (size !== SIZES[0]) {
				await A.page.goto(`${appUrl}/trainings`);
				await fill(1, `Same course ${tag}`, '2026-03-05', '3');
			}
			await fill(2, `Future ${tag}`, '2027-05-01', '0');
			await A.page.getByRole('button', { name: 'Add these trainings' }).click();
			await A.page.locator('.error-summary').waitFor();
			await arrived(A.page, `trainings-refused-${size.width}`);
			await fits(A.page);
			const sum = await A.page.locator('.error-summary').innerText();
			expect(/Training 2, Date: the date cannot be in the future/.test(sum), `the summary: ${sum}`);
			expect(/Training 2, Hours:/.test(sum), `the hours named: ${sum}`);
			expect(await control(A.page.locator('#row-2'), 'Training title').inputValue() ===
			    `Future ${tag}`, 'what was typed is kept');
		}
		await A.page.setViewportSize(SIZES[0]);
		await A.page.getByRole('link', { name: /Training 2, Date/ }).click();
		expect(await A.page.evaluate(() => document.activeElement?.id) === 'f-date-2',
		    'the summary link goes to the field');
	});

	await step('trainings: corrected, the rows are stored together; 3 + 3 hours are two entries', async () => {
		await fill(2, `Same course ${tag}`, '2026-03-05', '3');
		await A.page.getByRole('button', { name: 'Add these trainings' }).click();
		await A.page.waitForURL(/\/tab\/training\?added=2/);
		for (const size of SIZES) {
			await A.page.setViewportSize(size);
			await A.page.reload();
			await arrived(A.page, `trainings-added-${size.width}`);
			await fits(A.page);
		}
		await A.page.setViewportSize(SIZES[0]);
		const items = await A.page.locator('ul.entries > li', { hasText: `Same course ${tag}` }).count();
		expect(items === 2, `two entries, not ${items}`);
		expect(await A.page.getByText('2 entries added.').count() === 1, 'the tab says so');
		await fitsNarrow(browser, await A.ctx.storageState(), `${appUrl}/tab/training`);
	});
	await A.ctx.close();
}
