// Issue 16, points 13 and 14, as the public and an applicant meet them:
// the claim link an imported endorsee is mailed (import --invite), the
// ethics page's link to the association's Code of Ethics, where to buy a
// membership, /verify with a typed number (and its error states) and a
// registry search with several words.  At 1280 and 375 px, axe on every
// page, and none scrolls sideways at 320 px.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	BASE, SIZES, NARROW, step, expect, arrived, control, freshPage,
	registerIn, someone, fits, fitsNarrow, watch,
} from './lib.mjs';

// An error page (4xx) at 320 px: fitsNarrow wants a 2xx.
async function fitsNarrowError(browser, url) {
	const ctx = await browser.newContext({ viewport: NARROW, isMobile: true,
	    hasTouch: true, deviceScaleFactor: 1 });
	try {
		const page = await ctx.newPage();
		watch(page);
		await page.goto(url);
		await fits(page);
	} finally {
		await ctx.close();
	}
}

function outboxBody(to) {
	const p = spawnSync('sqlite3', [process.env.E2E_DB,
	    `SELECT body FROM outbox WHERE recipient = '${to}' ORDER BY id DESC LIMIT 1`],
	    { encoding: 'utf8' });
	return p.stdout || '';
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const dana = { number: `JF-${tag}-1`, name: `Dana Rivera ${tag}`, email: `dana-${tag}@example.org` };
	const pw = 'a journey password 16';

	const ivy = { number: `JF-${tag}-3`, name: `Ivy Invited ${tag}`, email: `ivy-${tag}@example.org` };
	const importCsv = (rows, extra) => {
		const f = path.join(os.tmpdir(), `features-${tag}-${rows.length}.csv`);
		fs.writeFileSync(f, ['number,name,email,category,since,status,city', ...rows].join('\n') + '\n');
		const p = spawnSync(process.env.E2E_BIN, ['import', 'endorsees', '--db', process.env.E2E_DB,
		    '--association', 'vaimh', '--rules', path.join(process.env.E2E_ROOT, 'rules'),
		    ...extra, f], { encoding: 'utf8' });
		fs.unlinkSync(f);
		return p;
	};

	await step('features: two endorsees in the registry', async () => {
		const p = importCsv([`${dana.number},${dana.name},${dana.email},IFS,2019-04-01,active,Richmond`,
		    `JF-${tag}-2,Dan Rivers ${tag},danr-${tag}@example.org,IFA,2020-04-01,active,Roanoke`], []);
		expect(p.status === 0, `import: ${p.stderr}`);
	});

	for (const size of SIZES) {
		const w = size.width;
		const { ctx, page } = await freshPage(browser);
		await page.setViewportSize(size);

		await step(`features ${w}: the registry searched with several words`, async () => {
			await page.goto(`${BASE}/registry`);
			await arrived(page, `features-registry-${w}`);
			await control(page.locator('form[action="/registry"]'), 'Name, category or city')
			    .fill(`Dana Rivera ${tag} IFS`);
			await page.getByRole('button', { name: 'Search' }).click();
			await page.waitForURL('**/registry?q=*');
			await arrived(page, `features-registry-words-${w}`);
			const rows = await page.locator('tbody tr').count();
			expect(rows === 1, `"Dana Rivera ${tag} IFS" found ${rows} rows`);
			expect(await page.getByRole('link', { name: dana.number }).count() === 1,
			    'Dana is not the one found');
			await fits(page);
		});

		await step(`features ${w}: /verify with a typed number, wrong then right`, async () => {
			await page.goto(`${BASE}/verify`);
			await arrived(page, `features-verify-${w}`);
			const form = page.locator('form[action="/verify"][method="get"]');
			await control(form, 'Endorsement number').fill(`JF-${tag}-404`);
			await form.getByRole('button', { name: 'Verify' }).click();
			await page.waitForURL('**/verify?number=*');
			await arrived(page, `features-verify-unknown-${w}`);
			expect(await page.locator('.error-summary').count() === 1, 'no error summary');
			expect(await control(form, 'Endorsement number').inputValue() === `JF-${tag}-404`,
			    'the typed number was not kept');
			await control(form, 'Endorsement number').fill('not a number!');
			await form.getByRole('button', { name: 'Verify' }).click();
			await page.waitForLoadState('load');
			await arrived(page, `features-verify-bad-${w}`);
			await control(form, 'Endorsement number').fill(dana.number);
			await form.getByRole('button', { name: 'Verify' }).click();
			await page.waitForURL(`**/verify/${dana.number}`);
			await arrived(page, `features-verify-found-${w}`);
			const text = await page.locator('dl.verify').innerText();
			expect(/Valid through\s+December 31, 2027/.test(text), `no "valid through": ${text}`);
			await fits(page);
		});
		await ctx.close();
	}

	let A;
	let appUrl;
	await step('features: an applicant opens an application', async () => {
		A = await registerIn(browser, `Ethel Features ${tag}`, `ethel-${tag}@example.org`, pw);
		await A.page.goto(`${BASE}/applications/new`);
		const form = A.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await A.page.waitForURL(/\/applications\/\d+$/);
		appUrl = A.page.url();
	});
	for (const size of SIZES) {
		const w = size.width;
		await A.page.setViewportSize(size);
		await step(`features ${w}: the overview shows each tab's progress`, async () => {
			await A.page.goto(appUrl);
			await arrived(A.page, `features-overview-${w}`);
			const text = await A.page.locator('ul.entries').first().innerText();
			expect(/Training: 0 entries; 0 of 1 requirement met/.test(text), `no progress by tab: ${text}`);
			await fits(A.page);
		});
		await step(`features ${w}: the ethics page links to the association's Code of Ethics`, async () => {
			await A.page.goto(`${appUrl}/ethics`);
			await arrived(A.page, `features-ethics-${w}`);
			const link = A.page.getByRole('link', { name: /Read the Code of Ethics/ });
			expect(await link.getAttribute('href') === 'https://www.vaimh.org', 'no link to the Code');
			await A.page.getByRole('button', { name: 'Sign' }).click();
			await A.page.waitForLoadState('load');
			await arrived(A.page, `features-ethics-unticked-${w}`);
			await fits(A.page);
		});
		await step(`features ${w}: the membership page says where to buy one`, async () => {
			await A.page.goto(`${BASE}/membership`);
			await arrived(A.page, `features-membership-${w}`);
			const link = A.page.getByRole('link', { name: /Buy or renew a membership of Virginia/ });
			expect(await link.getAttribute('href') === 'https://www.vaimh.org/vaimh-membership',
			    'no link to buy a membership');
			await fits(A.page);
		});
	}

	await step('features: an endorsee imported with --invite claims the account by the mailed link', async () => {
		const p = importCsv([`${ivy.number},${ivy.name},${ivy.email},IMHS,2018-04-01,active,Staunton`],
		    ['--invite', '--base-url', BASE]);
		expect(p.status === 0, `import --invite: ${p.stderr}`);
		const link = (outboxBody(ivy.email).match(/\/reset\/[0-9a-f]{64}/) || [])[0];
		expect(link, 'no claim link in the welcome');
		const { ctx, page } = await freshPage(browser);
		await page.goto(`${BASE}${link}`);
		await arrived(page, 'features-claim');
		await page.locator('input[type="password"]').first().fill(pw);
		await page.getByRole('button').filter({ hasText: /password/i }).first().click();
		await page.waitForURL('**/login?reset=1');
		await arrived(page, 'features-claimed');
		await ctx.close();
	});

	const D = await someone(browser, ivy.email, pw, '/dashboard');
	for (const size of SIZES) {
		const w = size.width;
		await D.page.setViewportSize(size);
		await step(`features ${w}: the endorsee sets the city the registry shows`, async () => {
			await D.page.goto(`${BASE}/account`);
			await arrived(D.page, `features-account-city-${w}`);
			const form = D.page.locator('form[action="/account/city"]');
			await control(form, 'Your city').fill('x'.repeat(101));
			await form.getByRole('button', { name: 'Save the city' }).click();
			await D.page.waitForLoadState('load');
			await arrived(D.page, `features-account-city-error-${w}`);
			expect(await D.page.locator('.error-summary').count() === 1, 'no error summary');
			const city = `Fredericksburg ${tag} ${w}`;
			await control(D.page.locator('form[action="/account/city"]'), 'Your city').fill(city);
			await D.page.locator('form[action="/account/city"]').getByRole('button', { name: 'Save the city' }).click();
			await D.page.getByText('The registry shows your city now.').waitFor();
			await arrived(D.page, `features-account-city-saved-${w}`);
			await D.page.goto(`${BASE}/registry?q=${encodeURIComponent(`${ivy.name} ${city}`)}`);
			await arrived(D.page, `features-registry-city-${w}`);
			expect(await D.page.locator('tbody tr').count() === 1, 'not found by the new city');
			await fits(D.page);
		});
	}

	await step('features: nothing scrolls sideways at 320 px', async () => {
		await fitsNarrow(browser, await D.ctx.storageState(), `${BASE}/account`);
		const state = await A.ctx.storageState();
		for (const u of [appUrl.replace(BASE, ''), `/registry?q=${encodeURIComponent(`Dana Rivera ${tag} IFS`)}`, '/verify',
		    `/verify/${dana.number}`, `${appUrl.replace(BASE, '')}/ethics`, '/membership'])
			await fitsNarrow(browser, state, `${BASE}${u}`);
		for (const u of [`/verify?number=JF-${tag}-404`, '/verify?number=not+a+number%21'])
			await fitsNarrowError(browser, `${BASE}${u}`);
	});
	await A.ctx.close();
	await D.ctx.close();
}
