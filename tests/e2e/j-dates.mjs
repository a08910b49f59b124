// Issue 16, point 10 (what remained), walked in the browser: dates as
// people in the US write them ("March 5, 2027") on the pages people read
// (the memberships, the dashboard, /verify, the rating requests and the
// rater's form, the coordinator's outbox) and in a mail (the rater's link,
// read from the outbox, opens a form that says until when it works);
// deliveries in words ("waiting to be sent", never "queued").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	BASE, SIZES, step, check, expect, control, arrived, registerIn,
	coordinator, fits, fitsNarrow, freshPage,
} from './lib.mjs';

const ISO = /\b\d{4}-\d\d-\d\d\b/;

async function atEverySize(browser, who, url, name) {
	for (const size of SIZES) {
		await who.page.setViewportSize(size);
		const r = await who.page.goto(url);
		expect(r.ok(), `GET ${url} answered ${r.status()}`);
		await arrived(who.page, `dates-${name}-${size.width}`);
		await fits(who.page);
	}
	await who.page.setViewportSize(SIZES[0]);
	await fitsNarrow(browser, await who.ctx.storageState(), url);
	return who.page.locator('main').innerText();
}

function outbox(to) {
	return spawnSync('sqlite3', [process.env.E2E_DB,
	    `SELECT body FROM outbox WHERE recipient = '${to}' ORDER BY id DESC LIMIT 1`],
	    { encoding: 'utf8' }).stdout;
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	const number = `JD-${tag}-1`;
	let A, appUrl;

	await step('dates: an applicant records a membership', async () => {
		A = await registerIn(browser, `Dee Dates ${tag}`, `dates-${tag}@example.org`,
		    'correct horse battery staple 16');
		await A.page.goto(`${BASE}/membership`);
		const form = A.page.locator('form[action="/membership"]');
		await form.locator('select').first().selectOption('vaimh/individual-1');
		await control(form, 'Bought on').fill('2026-03-05');
		await form.getByRole('button', { name: 'Record it' }).click();
		await A.page.waitForURL('**/membership');
	});

	await check('dates: the membership page writes the term in words', async () => {
		const t = await atEverySize(browser, A, `${BASE}/membership`, 'membership');
		expect(/March 5, 2026 to December 31, 2026/.test(t), `the term: ${t.slice(0, 400)}`);
		expect(!ISO.test(t), `an ISO date: ${(t.match(/.{30}\d{4}-\d\d-\d\d.{10}/) || [''])[0]}`);
	});

	await check('dates: the dashboard says "active until December 31, 2026"', async () => {
		const t = await atEverySize(browser, A, `${BASE}/dashboard`, 'dashboard');
		expect(/active until December 31, 2026/.test(t), 'the membership in words');
		expect(!ISO.test(t), 'no ISO date');
	});

	await check('dates: /verify says "Endorsed since April 1, 2019"', async () => {
		const f = path.join(os.tmpdir(), `dates-${tag}.csv`);
		fs.writeFileSync(f, `number,name,email,category,since,status,city\n` +
		    `${number},Vera Verified ${tag},vera-${tag}@example.org,IFS,2019-04-01,active,Richmond\n`);
		const p = spawnSync(process.env.E2E_BIN, ['import', 'endorsees', '--db', process.env.E2E_DB,
		    '--association', 'vaimh', '--rules', path.join(process.env.E2E_ROOT, 'rules'), f],
		    { encoding: 'utf8' });
		fs.unlinkSync(f);
		expect(p.status === 0, `import: ${p.stderr}`);
		const V = await freshPage(browser);
		const t = await atEverySize(browser, V, `${BASE}/verify/${number}`, 'verify');
		expect(/Endorsed since\s+April 1, 2019/.test(t), `since: ${t.slice(0, 300)}`);
		expect(!ISO.test(t), 'no ISO date');
		await V.ctx.close();
	});

	await step('dates: a rating asked for: its delivery in words; the rater\'s form says until when it works', async () => {
		await A.page.goto(`${BASE}/applications/new`);
		const form = A.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IFS');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await A.page.waitForURL(/\/applications\/\d+$/);
		appUrl = A.page.url();
		const rater = `dates-rater-${tag}@example.org`;
		await A.page.goto(`${appUrl}/tab/references`);
		const add = A.page.locator('form[action$="/tab/references"]');
		await control(add, "Rater's name").fill(`Rae Rater ${tag}`);
		await control(add, "Rater's e-mail").fill(rater);
		await add.locator('select').first().selectOption({ index: 1 });
		await add.getByRole('button', { name: /^Add the / }).click();
		await A.page.waitForURL('**/tab/references#entries');
		await A.page.locator('ul.entries > li').first().getByRole('button', { name: /^Ask for a rating/ }).click();
		await A.page.waitForURL('**/tab/references#ratings');
		const t = await atEverySize(browser, A, `${appUrl}/tab/references`, 'references');
		expect(/waiting to be sent/.test(t), 'the delivery in words');
		expect(!/\bqueued\b/.test(t), 'never "queued"');
		const link = (outbox(rater).match(/https?:\/\/\S+\/rate\/[0-9a-f]{64}/) || [])[0];
		expect(link, 'the mail carries the rater\'s link');
		const R = await freshPage(browser);
		const url = link.replace(/^https?:\/\/[^/]+/, BASE);
		for (const size of SIZES) {
			await R.page.setViewportSize(size);
			await R.page.goto(url);
			await arrived(R.page, `dates-rate-form-${size.width}`);
			await fits(R.page);
		}
		const rt = await R.page.locator('main').innerText();
		expect(/works until December 23, 2026/.test(rt), 'the form says until when, in words');
		await R.ctx.close();
	});

	await check('dates: the coordinator\'s outbox says "waiting to be sent"', async () => {
		const C = await coordinator(browser);
		const t = await atEverySize(browser, C, `${BASE}/coordinator/outbox`, 'outbox');
		expect(/waiting to be sent/.test(t), 'the delivery in words');
		await C.ctx.close();
	});
	await A.ctx.close();
}
