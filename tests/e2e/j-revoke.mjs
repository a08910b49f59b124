// A coordinator suspends an endorsement (a reason left out first: the
// error by the field), lifts the suspension, then revokes it, each through
// its confirmation page; /verify shows each state (issue 19).  At 1280 and
// 375 px; every page also at 320 px.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	BASE, OUT, SIZES, step, expect, arrived, control, fits, fitsNarrow, registerIn,
	coordinator, freshPage,
} from './lib.mjs';

export async function journey(browser) {
	const K = await coordinator(browser);
	try {
		for (const size of SIZES)
			await walk(browser, K, size);
	} finally {
		await K.ctx.close();
	}
}

async function walk(browser, K, size) {
	const w = size.width;
	const tag = `${w}-${Date.now().toString(36)}`;
	const number = `RVK-${tag}`;
	const email = `rvk-${tag}@example.org`;
	const page = K.page;
	const url = `${BASE}/coordinator/endorsements/${number}`;
	let H, anon;
	await page.setViewportSize(size);

	const verify = async (name, want) => {
		await anon.page.goto(`${BASE}/verify/${number}`);
		await arrived(anon.page, `revoke-${w}-${name}`);
		await fits(anon.page);
		const s = await anon.page.locator('dl.verify strong').innerText();
		expect(want.test(s), `/verify says: ${s}`);
	};
	const act = async (heading, reason, button, confirm, shot) => {
		const form = page.locator('form').filter({ has: page.getByRole('button', { name: button }) });
		if (reason !== null)
			await form.locator('textarea').fill(reason);
		await form.getByRole('button', { name: button }).click();
		await page.getByRole('heading', { name: heading }).waitFor();
		await arrived(page, `revoke-${w}-${shot}-confirm`);
		await fits(page);
		await page.getByRole('button', { name: confirm }).click();
		await page.waitForURL(url);
		await arrived(page, `revoke-${w}-${shot}`);
		await fits(page);
	};

	await step(`revoke ${w}: an endorsee holds an endorsement the coordinator can open`, async () => {
		H = await registerIn(browser, `Rhea Revoked ${tag}`, email, 'correct horse battery');
		await H.page.setViewportSize(size);
		const f = path.join(OUT, `revoke-${tag}.csv`);
		fs.writeFileSync(f, 'number,name,email,category,since,status,city\n' +
		    `${number},Rhea Revoked ${tag},${email},IFS,2019-04-01,active,Richmond\n`);
		const p = spawnSync(process.env.E2E_BIN, ['import', 'endorsees', '--db', process.env.E2E_DB,
		    '--association', 'vaimh', '--rules', path.join(process.env.E2E_ROOT, 'rules'), f],
		    { encoding: 'utf8' });
		expect(p.status === 0, `import endorsees: ${p.stderr}`);
		anon = await freshPage(browser);
		await anon.page.setViewportSize(size);
		await verify('verify-active', /^Active$/);
		await page.goto(url);
		await arrived(page, `revoke-${w}-page`);
		await fits(page);
		expect(await page.getByRole('heading', { name: 'Suspend' }).count() === 1, 'no Suspend section');
	});

	await step(`revoke ${w}: a suspension without a reason is refused by the field`, async () => {
		const form = page.locator(`form[action="/coordinator/endorsements/${number}/suspend"]`);
		await form.getByRole('button', { name: `Suspend ${number}…` }).click();
		await page.locator('.error-summary').waitFor();
		await arrived(page, `revoke-${w}-suspend-error`);
		await fits(page);
		const err = await page.locator('#f-suspend-reason-error').innerText();
		expect(/give the reason for the suspension/.test(err), `the error by the field: ${err}`);
		expect(await control(form, 'Reason for the suspension').count() === 1, 'the field is labelled');
	});

	await step(`revoke ${w}: suspended with a reason, after a confirmation; /verify says since when`, async () => {
		await act(`Suspend endorsement ${number}?`, 'A complaint is under review',
		    `Suspend ${number}…`, `Yes, suspend ${number}`, 'suspended');
		const st = await page.locator('dl.verify').innerText();
		expect(/Suspended/.test(st) && /A complaint is under review/.test(st), `the page: ${st}`);
		await verify('verify-suspended', /^Suspended since [A-Z][a-z]+ \d{1,2}, \d{4}$/);
		await H.page.goto(`${BASE}/dashboard`);
		await arrived(H.page, `revoke-${w}-holder-suspended`);
		await fits(H.page);
		const card = await H.page.locator('.card').filter({ hasText: number }).innerText();
		expect(/suspended since .*A complaint is under review/.test(card), `the holder's dashboard: ${card}`);
	});

	await step(`revoke ${w}: the suspension is lifted; /verify says active`, async () => {
		await act(`Lift the suspension of ${number}?`, null, `Lift the suspension of ${number}…`,
		    `Yes, lift the suspension of ${number}`, 'lifted');
		await verify('verify-lifted', /^Active$/);
	});

	await step(`revoke ${w}: revoked, after a confirmation; /verify says on which day`, async () => {
		await act(`Revoke endorsement ${number}?`, 'Practised outside the Code of Ethics',
		    `Revoke ${number}…`, `Yes, revoke ${number}`, 'revoked');
		const hist = await page.locator('.note').allInnerTexts();
		expect(hist.length >= 4, `the history: ${hist.join(' | ')}`);
		expect(await page.getByRole('button', { name: /Suspend|Revoke|Lift/ }).count() === 0,
		    'a revoked endorsement still offers an action');
		await verify('verify-revoked', /^Revoked on [A-Z][a-z]+ \d{1,2}, \d{4}$/);
	});

	await step(`revoke ${w}: the pages fit at 320 px`, async () => {
		await fitsNarrow(browser, await K.ctx.storageState(), url);
		await fitsNarrow(browser, await H.ctx.storageState(), `${BASE}/dashboard`);
		await fitsNarrow(browser, undefined, `${BASE}/verify/${number}`);
	});
	await H?.ctx.close();
	await anon?.ctx.close();
}
