// Issue 17, the reports page walked in the browser: a coordinator goes
// from the desk to the reports, reads the figures at 1280 and 375 px (a
// screenshot and axe at each, on the page and with the period changed),
// and the page fits 320 px.  An application started through the pages,
// its submission written as the domain writes it, and endorsees
// imported with a renewal each give the charts something to draw.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

import {
	BASE, OUT, SIZES, step, check, expect, control, arrived, registerIn,
	coordinator, fits, fitsNarrow,
} from './lib.mjs';

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', process.env.E2E_DB, q],
    { encoding: 'utf8' });

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const pw = 'correct horse battery staple 17';
	let C;

	await step('reports: an applicant starts an application; it is submitted; an endorsee is imported', async () => {
		const A = await registerIn(browser, `Rita Reports ${tag}`, `reports-${tag}@example.org`, pw);
		await A.page.goto(`${BASE}/applications/new`);
		const form = A.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await A.page.waitForURL(/\/applications\/\d+$/);
		const id = Number(A.page.url().match(/(\d+)$/)[1]);
		await A.ctx.close();
		// Started 40 days ago, submitted 12 days ago (the application's
		// row and its audit row, as app_submit writes them; the SET's
		// right-hand sides read the row as it was).
		sql(`UPDATE application SET created = created - 40 * 86400, status = 'submitted', ` +
		    `submitted = created - 12 * 86400 WHERE id = ${id}; INSERT INTO audit (at, what, ` +
		    `row_id, action, detail) SELECT submitted, 'application', id, 'submit', ` +
		    `json_object('from', 'draft', 'to', 'submitted') FROM application WHERE id = ${id}`);
		const csv = path.join(OUT, `reports-${tag}.csv`);
		fs.writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
		    `RJ${tag}-1,Ed Endorsee,ed-${tag}@example.org,IFS,2021-01-01,active,Newport News\n` +
		    `RJ${tag}-2,Flo Endorsee,flo-${tag}@example.org,IMHS,2021-01-01,active,Charlottesville and Albemarle County\n`);
		const p = spawnSync(process.env.E2E_BIN, ['import', 'endorsees', '--db', process.env.E2E_DB,
		    '--association', 'vaimh', '--rules', path.join(process.env.E2E_ROOT, 'rules'), csv],
		    { encoding: 'utf8' });
		expect(p.status === 0, `import: ${p.stderr}`);
		// Their renewals of cycle 2026: one attested, one lapsed.
		sql(`INSERT INTO renewal (endorsement, cycle, status, attested, changed) SELECT id, 2026, ` +
		    `CASE WHEN number LIKE '%-1' THEN 'attested' ELSE 'lapsed' END, CASE WHEN number ` +
		    `LIKE '%-1' THEN 1 END, 1 FROM endorsement WHERE number LIKE 'RJ${tag}-%'`);
	});

	await step('reports: the coordinator goes from the desk to the reports, at 1280 and 375 px', async () => {
		C = await coordinator(browser);
		for (const size of SIZES) {
			await C.page.setViewportSize(size);
			await C.page.goto(`${BASE}/coordinator`);
			await C.page.getByRole('link', { name: 'Reports', exact: true }).click();
			await C.page.waitForURL('**/coordinator/reports');
			await arrived(C.page, `reports-${size.width}`);
			await fits(C.page);
			const charts = await C.page.locator('svg.chart[role="img"]').count();
			expect(charts >= 5, `${charts} charts`);
			const fig = C.page.getByRole('img', { name: 'Applications by state at each month\'s end' });
			expect(await fig.count() === 1, 'the chart of states is an image named by its title');
			const box = await fig.boundingBox();
			expect(box && box.width <= size.width, `the chart is ${box?.width} px wide`);
			const t = await C.page.getByRole('table', { name: 'Active endorsees by city' }).innerText();
			expect(/Newport News/.test(t), 'the city in the table');
		}
	});

	await step('reports: the period changed to 24 months, at 1280 and 375 px', async () => {
		for (const size of SIZES) {
			await C.page.setViewportSize(size);
			await C.page.goto(`${BASE}/coordinator/reports`);
			await control(C.page.locator('form[action="/coordinator/reports"]'), 'Period')
			    .selectOption('24');
			await C.page.getByRole('button', { name: 'Show' }).click();
			await C.page.waitForURL('**/coordinator/reports?months=24');
			await arrived(C.page, `reports-24-${size.width}`);
			await fits(C.page);
			const rows = await C.page.locator('#t-states tbody tr').count();
			expect(rows === 24, `${rows} months`);
		}
		await C.page.setViewportSize(SIZES[0]);
	});

	await check('reports: the page fits 320 px', async () => {
		const state = await C.ctx.storageState();
		await fitsNarrow(browser, state, `${BASE}/coordinator/reports`);
		await fitsNarrow(browser, state, `${BASE}/coordinator/reports?months=24`);
	});
	await C?.ctx.close();
}
