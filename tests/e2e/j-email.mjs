// Issue 16, point 13, walked in the browser: changing one's e-mail
// address.  On the account page, the new address and the password; a
// wrong password is refused by its field (axe clean); the link mailed to
// the new address (read from the outbox) shows the address and a button;
// once followed, the account has the new address, the session stays, and
// the new address logs in.
import { spawnSync } from 'node:child_process';

import {
	BASE, SIZES, step, expect, control, arrived, registerIn, fits,
	fitsNarrow, freshPage,
} from './lib.mjs';

function outboxBody(to) {
	const p = spawnSync('sqlite3', [process.env.E2E_DB,
	    `SELECT body FROM outbox WHERE recipient = '${to}' ORDER BY id DESC LIMIT 1`],
	    { encoding: 'utf8' });
	return p.stdout;
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const pw = 'correct horse battery staple 16';
	const old = `email-${tag}@example.org`;
	const neu = `email-new-${tag}@example.org`;
	let A, link;

	await step('email: an applicant opens the account page', async () => {
		A = await registerIn(browser, `Eli Email ${tag}`, old, pw);
		for (const size of SIZES) {
			await A.page.setViewportSize(size);
			await A.page.goto(`${BASE}/account`);
			await arrived(A.page, `email-account-${size.width}`);
			await fits(A.page);
		}
		await A.page.setViewportSize(SIZES[0]);
		await fitsNarrow(browser, await A.ctx.storageState(), `${BASE}/account`);
	});

	const ask = async (password) => {
		const form = A.page.locator('form[action="/account/email"]');
		await control(form, 'New e-mail address').fill(neu);
		await control(form, 'Current password').fill(password);
		await form.getByRole('button', { name: 'Change the e-mail address' }).click();
		await A.page.waitForLoadState('load');
	};

	await step('email: a wrong password is refused by its field, the address kept', async () => {
		for (const size of SIZES) {
			await A.page.setViewportSize(size);
			await A.page.goto(`${BASE}/account`);
			await ask('not my password');
			await arrived(A.page, `email-wrong-password-${size.width}`);
			await fits(A.page);
			const msg = await A.page.locator('#f-email_password-error').innerText();
			expect(/this is not your current password/.test(msg), `the field says "${msg}"`);
			expect(await A.page.locator('#f-new_email').inputValue() === neu, 'the address kept');
		}
		await A.page.setViewportSize(SIZES[0]);
	});

	await step('email: asked with the password, a link goes to the new address; nothing changes yet', async () => {
		await A.page.goto(`${BASE}/account`);
		await ask(pw);
		await arrived(A.page, 'email-asked');
		const note = await A.page.locator('.notice').innerText();
		expect(note.includes(`We sent a link to ${neu}`), `the notice: ${note}`);
		expect((await A.page.locator('main').innerText()).includes(`E-mail: ${old}`), 'still the old address');
		link = (outboxBody(neu).match(/https?:\/\/\S+\/account\/email\/[0-9a-f]{64}/) || [])[0];
		expect(link, 'a link in the mail to the new address');
		expect(!/\/account\/email\//.test(outboxBody(old)), 'the old address is told without the link');
		link = link.replace(/^https?:\/\/[^/]+/, BASE);
	});

	await step('email: the link shows the new address; confirmed, the account has it and the session stays', async () => {
		for (const size of SIZES) {
			await A.page.setViewportSize(size);
			await A.page.goto(link);
			await arrived(A.page, `email-confirm-${size.width}`);
			await fits(A.page);
		}
		await A.page.setViewportSize(SIZES[0]);
		await fitsNarrow(browser, await A.ctx.storageState(), link);
		await A.page.getByRole('button', { name: `Make ${neu} my address` }).click();
		await A.page.getByRole('heading', { name: 'Your e-mail address is changed' }).waitFor();
		await arrived(A.page, 'email-changed');
		await A.page.goto(`${BASE}/account`);
		expect((await A.page.locator('main').innerText()).includes(`E-mail: ${neu}`), 'the new address');
		const again = await A.page.goto(link);
		expect(again.status() === 404, `the link again answered ${again.status()}`);
		await arrived(A.page, 'email-link-spent');
	});

	await step('email: the new address logs in', async () => {
		const B = await freshPage(browser);
		await B.page.goto(`${BASE}/login`);
		const form = B.page.locator('form[action="/login"]');
		await control(form, 'E-mail').fill(neu);
		await control(form, 'Password').fill(pw);
		await form.getByRole('button', { name: 'Log in' }).click();
		await B.page.waitForURL('**/dashboard');
		await arrived(B.page, 'email-login-new');
		await B.ctx.close();
	});
	await A.ctx.close();
}
