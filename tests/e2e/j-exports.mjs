// Issue 17, exports and the web import walked in the browser, at 1280 and
// 375 px: the coordinator opens the exports page from their home, downloads
// the applications CSV and XLSX (an applicant whose name begins with "="
// comes out after an apostrophe in the CSV, a text cell in the XLSX), and
// imports endorsees: a file with an error row is previewed with its
// problems and stores nothing, the corrected file is previewed and
// imported.  Every page is axe clean and fits 320 px.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	BASE, OUT, SIZES, NARROW, step, check, expect, control, arrived,
	registerIn, coordinator, fits, fitsNarrow,
} from './lib.mjs';

const H = 'number,name,email,category,since,status,city';

// The first sheet's rows of an XLSX file, as texts (Python's zipfile).
function xlsxTexts(file) {
	const py = String.raw`
import sys, zipfile, re, json
z = zipfile.ZipFile(sys.argv[1])
ss = [re.sub(r'<[^>]+>', '', m) for m in re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S)]
sheet = z.read('xl/worksheets/sheet1.xml').decode()
print(json.dumps({'strings': ss, 'rows': len(re.findall('<row ', sheet)), 'formula': '<f>' in sheet}))
`;
	const p = spawnSync('python3', ['-c', py, file], { encoding: 'utf8' });
	expect(p.status === 0, `python3 zipfile: ${p.stderr}`);
	return JSON.parse(p.stdout);
}

async function download(page, name) {
	const [dl] = await Promise.all([page.waitForEvent('download'),
	    page.getByRole('link', { name }).click()]);
	const file = path.join(OUT, dl.suggestedFilename());
	await dl.saveAs(file);
	return { file, suggested: dl.suggestedFilename() };
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const pw = 'correct horse battery staple 17';
	let C;

	await step('exports: an applicant whose name begins with "=" opens an application', async () => {
		const A = await registerIn(browser, `=Eve Export ${tag}`, `export-${tag}@example.org`, pw);
		await A.page.goto(`${BASE}/applications/new`);
		const form = A.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await A.page.waitForURL(/\/applications\/\d+$/);
		await A.ctx.close();
		C = await coordinator(browser);
	});

	for (const size of SIZES) {
		const w = size.width;
		await step(`exports: the coordinator opens the exports page from their home (${w} px)`, async () => {
			await C.page.setViewportSize(size);
			await C.page.goto(`${BASE}/coordinator`);
			await C.page.getByRole('link', { name: 'Exports and import' }).click();
			await C.page.waitForURL('**/coordinator/exports');
			await arrived(C.page, `exports-page-${w}`);
			await fits(C.page);
		});

		await step(`exports: applications.csv downloads with a header and the "=" name neutralised (${w} px)`, async () => {
			const { file, suggested } = await download(C.page, 'CSV of applications');
			expect(/^vaimh-applications-\d{4}-\d{2}-\d{2}\.csv$/.test(suggested), `file name ${suggested}`);
			const text = fs.readFileSync(file, 'utf8');
			const lines = text.split('\r\n');
			expect(lines[0] === 'id,name,email,category,status,started,submitted,days_in_state,waiting_on,fee_owed,fee_paid',
			    `header: ${lines[0]}`);
			const row = lines.find((l) => l.includes(`export-${tag}@example.org`));
			expect(row && row.includes(`,'=Eve Export ${tag},`), `the row: ${row}`);
			expect(row.includes(',IFS,draft,2026-11-23,,'), `category, status, started: ${row}`);
		});

		await step(`exports: applications.xlsx downloads and opens with zipfile, the same name a text cell (${w} px)`, async () => {
			const { file, suggested } = await download(C.page, 'XLSX of applications');
			expect(/^vaimh-applications-\d{4}-\d{2}-\d{2}\.xlsx$/.test(suggested), `file name ${suggested}`);
			const x = xlsxTexts(file);
			expect(x.strings.includes(`=Eve Export ${tag}`), 'the name as a shared string');
			expect(x.strings.includes(`export-${tag}@example.org`), 'the e-mail');
			expect(!x.formula, 'no formula cell');
			const csv = fs.readFileSync(file.replace(/\.xlsx$/, '.csv'), 'utf8');
			expect(x.rows === csv.split('\r\n').length - 1, `rows: ${x.rows} in the XLSX, ${csv.split('\r\n').length - 1} in the CSV`);
		});

		const num = (k) => `J${tag}${w}-${k}`;
		const bad = path.join(OUT, `import-bad-${tag}-${w}.csv`);
		const good = path.join(OUT, `import-good-${tag}-${w}.csv`);
		const ok1 = `${num(1)},Ada Import ${tag},ada-${tag}-${w}@example.org,IFS,2019-04-01,active,Richmond`;
		fs.writeFileSync(bad, [H, ok1, `${num(2)},Bo Import ${tag},not-an-address,IFZ,2019-04-01,active,Norfolk`].join('\r\n') + '\r\n');
		fs.writeFileSync(good, [H, ok1, `${num(2)},Bo Import ${tag},bo-${tag}-${w}@example.org,IFA,2019-04-01,active,Norfolk`].join('\r\n') + '\r\n');

		await step(`import: no file chosen is an error by the field (${w} px)`, async () => {
			await C.page.getByRole('link', { name: 'Import endorsees from a CSV file' }).click();
			await C.page.waitForURL('**/coordinator/import');
			await arrived(C.page, `import-form-${w}`);
			await fits(C.page);
			await C.page.getByRole('button', { name: 'Check the file' }).click();
			await C.page.waitForLoadState('load');
			await arrived(C.page, `import-no-file-${w}`);
			const msg = await C.page.locator('#f-csv-error').innerText();
			expect(/choose the CSV file/.test(msg), `the field says "${msg}"`);
			await fits(C.page);
		});

		await step(`import: the preview of a file with an error row lists its problems, no import button (${w} px)`, async () => {
			await C.page.getByLabel('The CSV file').setInputFiles(bad);
			await C.page.getByRole('button', { name: 'Check the file' }).click();
			await C.page.waitForLoadState('load');
			await arrived(C.page, `import-preview-errors-${w}`);
			const row = C.page.locator('#line-3');
			const probs = await row.locator('ul.problems li').allInnerTexts();
			expect(probs.some((p) => /"not-an-address" is not an e-mail address/.test(p)), `problems: ${probs}`);
			expect(probs.some((p) => /category "IFZ" is not a category of vaimh/.test(p)), `problems: ${probs}`);
			expect(await C.page.getByRole('button', { name: /^Import \d+ endorsee/ }).count() === 0, 'an import button');
			await fits(C.page);
			await C.page.setViewportSize(NARROW);
			await fits(C.page);
			await C.page.setViewportSize(size);
		});

		await step(`import: the corrected file is previewed, then imported (${w} px)`, async () => {
			await C.page.getByLabel('The corrected CSV file').setInputFiles(good);
			await C.page.getByRole('button', { name: 'Check the file' }).click();
			await C.page.waitForLoadState('load');
			await arrived(C.page, `import-preview-ok-${w}`);
			await fits(C.page);
			await C.page.getByRole('button', { name: 'Import 2 endorsees' }).click();
			await C.page.waitForURL('**/coordinator/import?imported=2');
			await arrived(C.page, `import-done-${w}`);
			expect(await C.page.getByText('2 endorsements imported').count() === 1, 'the notice');
			await fits(C.page);
		});
	}

	await check('exports: the exports and import pages fit 320 px', async () => {
		const state = await C.ctx.storageState();
		await fitsNarrow(browser, state, `${BASE}/coordinator/exports`);
		await fitsNarrow(browser, state, `${BASE}/coordinator/import`);
	});
	if (C) await C.ctx.close();
}
