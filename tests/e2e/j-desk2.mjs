// Issue 17, the coordinator's desk, part two, walked in the browser: the
// coordinator opens the renewals queue, filters it to the renewals whose
// audit failed (cure deadline), searches one endorsee, sorts by days in
// state (the column's link at 1280 px, the sort form at 375 px) and sees
// the reinstatement requests.  The walk's server is pinned to 2026-11-23,
// so this journey starts a server of its own (tests/lib/server.mjs, as
// j-audit.mjs does) at 2027-11-15, inside INfancy Onward's 2027 renewal
// window, with imported endorsees and renewal states set as the renewal
// engine leaves them.  Then the vaimh coordinator opens a review cycle
// for a ticked application from the work queue: a bad date first (the
// error by field, what was typed kept), then the cycle.  At 1280 and 375
// px; every page also at 320 px.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	SIZES, NARROW, step, expect, control, arrived, fits, fitsNarrow, freshPage,
} from './lib.mjs';

const A = 'infancy-onward';
const NOW = '2027-11-15';

async function queueServer(tag) {
	process.env.RENEWAL_BIN ??= process.env.E2E_BIN;
	process.env.RENEWAL_ROOT ??= process.env.E2E_ROOT;
	process.env.RENEWAL_TMP ??= path.join(os.tmpdir(), `e2e-desk2-${tag}`);
	fs.mkdirSync(process.env.RENEWAL_TMP, { recursive: true });
	const { Server } = await import('../lib/server.mjs');
	const srv = await new Server(`desk2-${tag}`).init();
	await srv.start(NOW);
	const { sql, one } = srv.lib;
	const rows = [];
	for (let i = 1; i <= 8; i++)
		rows.push({ number: `IN-2024-02${i}0`, name: `Quinn Queue-${i}`, email: `quinn${i}-${tag}@desk2.example`,
		    category: i % 2 ? 'IFS' : 'IMHS', since: '2024-06-01' });
	const imp = srv.importEndorsees(A, rows);
	expect(imp.status === 0, `import: ${imp.stderr}`);
	const eid = (i) => one(`SELECT id FROM endorsement WHERE number = 'IN-2024-02${i}0'`);
	const t = (d) => Date.parse(`${d}T12:00:00Z`) / 1000;
	sql(`INSERT INTO renewal (endorsement, cycle, status, attested, cure_by, changed) VALUES ` +
	    `(${eid(1)}, 2027, 'cure', ${t('2027-10-05')}, '2028-01-31', ${t('2027-11-01')}), ` +
	    `(${eid(2)}, 2027, 'cure', ${t('2027-10-06')}, '2028-01-15', ${t('2027-11-08')}), ` +
	    `(${eid(3)}, 2027, 'attested', ${t('2027-10-07')}, NULL, ${t('2027-10-07')}), ` +
	    `(${eid(4)}, 2027, 'lapsed', NULL, NULL, ${t('2027-11-02')})`);
	sql(`UPDATE endorsement SET status = 'lapsed' WHERE id = ${eid(4)}`);
	sql(`INSERT INTO reinstatement (endorsement, status, fee_owed, requested) VALUES (${eid(4)}, 'requested', 50, ` +
	    `${t('2027-11-10')})`);
	// A vaimh application, submitted, waiting for a review cycle.
	const { person, relogin } = await import('../lib/fixtures.mjs');
	const u = await person(srv, 'Cy Cyclewait', `cy-${tag}@desk2.example`);
	await relogin(u);
	const r = await u.submit('/applications', { choice: 'vaimh/IFS' });
	const app = Number((r.location || '').split('/').pop());
	expect(app > 0, `no application: ${r.status}`);
	sql(`UPDATE application SET status = 'submitted', submitted = ${t(NOW)}, state_since = ${t(NOW)} ` +
	    `WHERE id = ${app}`);
	return { srv, base: process.env.HTTP_BASE, coord: srv.coordinators[A], vaimh: srv.coordinators.vaimh,
	    app, one };
}

// The page as it is now, at 320 px (a POST's answer cannot be fetched
// again, so the window is narrowed instead).
async function fitsHere(page) {
	const size = page.viewportSize();
	await page.setViewportSize(NARROW);
	try {
		await fits(page);
	} finally {
		await page.setViewportSize(size);
	}
}

async function loginAs(browser, base, who, home) {
	const K = await freshPage(browser);
	await K.page.goto(`${base}/login`);
	const form = K.page.locator('form[action="/login"]');
	await control(form, 'E-mail').fill(who.email);
	await control(form, 'Password').fill(who.password);
	await form.getByRole('button', { name: 'Log in' }).click();
	await K.page.waitForURL(`**${home}`);
	return K;
}

// The bulk action "open a review cycle for the selected": a bad date
// first (its error by field), then the cycle opened with the one ticked.
async function bulkCycle(browser, S) {
	const K = await loginAs(browser, S.base, S.vaimh, '/coordinator');
	const page = K.page;
	try {
		for (const size of SIZES) {
			const w = size.width;
			await page.setViewportSize(size);
			await step(`desk2 ${w}: a cycle for the ticked, its closing date before its opening`, async () => {
				await page.goto(`${S.base}/coordinator`);
				await page.locator(`#app-${S.app}`).check();
				await page.locator('#f-act-cycle').check();
				await control(page.locator('fieldset.bulk'), 'Name of the new cycle').fill(`Winter ${w}`);
				await page.locator('#f-cycle_opens').fill('2027-12-01');
				await page.locator('#f-cycle_closes').fill(w >= 1000 ? '2027-11-20' : '2027-01-01');
				await page.getByRole('button', { name: 'Do it' }).click();
				await page.waitForLoadState();
				await arrived(page, `jdesk2-${w}-cycle-error`);
				const err = await page.locator('#f-cycle_closes-error').innerText();
				expect(/closes on or after the day it opens/.test(err), `the error by field: ${err}`);
				expect(await page.locator('#f-cycle_name').inputValue() === `Winter ${w}`, 'the name typed is lost');
				expect(await page.locator(`#app-${S.app}`).isChecked(), 'the tick is lost');
				await fitsHere(page);
			});
		}
		await step('desk2: the dates put right, the cycle opens with the one ticked', async () => {
			await page.locator('#f-cycle_closes').fill('2027-12-31');
			await page.getByRole('button', { name: 'Do it' }).click();
			await page.waitForLoadState();
			await arrived(page, 'jdesk2-375-cycle-opened');
			const text = await page.locator('main').innerText();
			expect(/Review cycle Winter 375 opened/.test(text), 'not opened');
			expect(new RegExp(`Application ${S.app}: joined the cycle Winter 375`).test(text), 'not joined');
			expect(Number(S.one(`SELECT coalesce(cycle, 0) FROM application WHERE id = ${S.app}`)) > 0,
			    'the application is in no cycle');
			await fitsHere(page);
		});
	} finally {
		await K.ctx.close();
	}
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	let S, K;
	await step('desk2: a server of its own at 2027-11-15; endorsees, two renewals in cure, one lapsed', async () => {
		S = await queueServer(tag);
	});
	try {
		await step('desk2: the coordinator logs in', async () => {
			K = await loginAs(browser, S.base, S.coord, '/coordinator');
		});
		const state = await K.ctx.storageState();
		const page = K.page;
		for (const size of SIZES) {
			const w = size.width;
			await page.setViewportSize(size);
			await step(`desk2 ${w}: the renewals queue, the not attested first`, async () => {
				await page.goto(`${S.base}/coordinator/renewals`);
				await arrived(page, `jdesk2-${w}-renewals`);
				const text = await page.locator('main').innerText();
				expect(/Renewals: Not attested/.test(text), 'the default filter is not said');
				expect(/Quinn Queue-5/.test(text), 'a not attested endorsee is not listed');
				expect(!/Quinn Queue-1 /.test(text), 'one in cure is listed as not attested');
				await fits(page);
				await fitsNarrow(browser, state, page.url());
			});
			await step(`desk2 ${w}: filtered to the cure deadlines`, async () => {
				const form = page.locator('form[role="search"]');
				await control(form, 'Show').selectOption('cure');
				await form.getByRole('button', { name: 'Show' }).click();
				await page.waitForURL(/show=cure/);
				await arrived(page, `jdesk2-${w}-cure`);
				const rows = page.locator('table.queue tbody tr');
				expect(await rows.count() === 2, `two in cure, not ${await rows.count()}`);
				const text = await page.locator('table.queue').innerText();
				expect(/January 31, 2028 \(cure\)/.test(text), 'the cure deadline in US words');
				await fits(page);
				await fitsNarrow(browser, state, page.url());
			});
			await step(`desk2 ${w}: sorted by days in state, the newest first`, async () => {
				if (w >= 1000) {
					const h = page.getByRole('columnheader', { name: /Days in state/ });
					await h.getByRole('link').click();
					await page.waitForURL(/sort=days/);
					if (!/dir=asc/.test(page.url())) {
						await page.getByRole('columnheader', { name: /Days in state/ }).getByRole('link').click();
						await page.waitForURL(/dir=asc/);
					}
					expect(await page.getByRole('columnheader', { name: /Days in state/ })
					    .getAttribute('aria-sort') === 'ascending', 'the heading does not say ascending');
				} else {
					const form = page.locator('form[role="search"]');
					await control(form, 'Sort by').selectOption('days');
					await control(form, 'Order').selectOption('asc');
					await form.getByRole('button', { name: 'Show' }).click();
					await page.waitForURL(/sort=days&dir=asc/);
				}
				await arrived(page, `jdesk2-${w}-sorted`);
				const first = await page.locator('table.queue tbody tr').first().innerText();
				expect(/Quinn Queue-2/.test(first), `the one in cure since November 8 is not first: ${first}`);
				await fits(page);
				await fitsNarrow(browser, state, page.url());
			});
			await step(`desk2 ${w}: searched, and the reinstatement requests`, async () => {
				const form = page.locator('form[role="search"]');
				await control(form, 'Show').selectOption('all');
				await control(form, 'Search').fill('queue-4 IN-2024');
				await form.getByRole('button', { name: 'Show' }).click();
				await page.waitForURL(/q=queue-4/);
				await arrived(page, `jdesk2-${w}-search`);
				const rows = page.locator('table.queue tbody tr');
				expect(await rows.count() === 1, `one found, not ${await rows.count()}`);
				const text = await page.locator('main').innerText();
				expect(/IN-2024-0240 IMHS, requested, asked November 10, 2027 \(5 days ago\)/.test(text),
				    'the reinstatement request with its age');
				await fits(page);
				await fitsNarrow(browser, state, page.url());
			});
		}
		await bulkCycle(browser, S);
	} finally {
		if (K) await K.ctx.close();
		await S?.srv.stop();
		if (S?.srv.problems.length)
			console.log(`# desk2 server: ${S.srv.problems.join('\n# ')}`);
		fs.rmSync(process.env.RENEWAL_TMP, { recursive: true, force: true });
	}
}
