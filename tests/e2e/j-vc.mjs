// The credential (issue 19): the endorsee downloads the signed credential
// from the dashboard; someone pastes it on /verify and reads "Valid"; a
// tampered copy reads the reason; an empty form says so by the field.  At
// 1280 and 375 px, a screenshot and axe per page; each page at 320 px.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	BASE, SIZES, step, expect, arrived, control, fits, fitsNarrow, registerIn,
	freshPage,
} from './lib.mjs';

function sqlite(q) {
	const p = spawnSync('sqlite3', [process.env.E2E_DB, q], { encoding: 'utf8' });
	expect(p.status === 0, `sqlite3: ${p.stderr}`);
	return p.stdout.trim();
}

async function verifyText(page, text, shot) {
	await page.goto(`${BASE}/verify`);
	const form = page.locator('form[action="/verify"][method="post"]');
	await control(form, 'Credential').fill(text);
	await form.getByRole('button', { name: 'Verify the credential' }).click();
	await page.waitForLoadState('load');
	await arrived(page, shot);
	await fits(page);
	return page.locator('main').innerText();
}

export async function journey(browser) {
	for (const size of SIZES) {
		const w = size.width;
		const tag = `${w}-${Date.now().toString(36)}`;
		const email = `vc-${tag}@example.org`;
		const number = `JVC-${tag}`;
		let A, V, jwt;
		await step(`vc ${w}: an endorsee holds an endorsement`, async () => {
			A = await registerIn(browser, `Val Credent ${tag}`, email, 'correct horse battery');
			await A.page.setViewportSize(size);
			const f = path.join(os.tmpdir(), `vc-${tag}.csv`);
			fs.writeFileSync(f, 'number,name,email,category,since,status,city\n' +
			    `${number},Val Credent ${tag},vc-import-${tag}@example.org,IFS,2019-04-01,active,Richmond\n`);
			const p = spawnSync(process.env.E2E_BIN, ['import', 'endorsees', '--db', process.env.E2E_DB,
			    '--association', 'vaimh', '--rules', path.join(process.env.E2E_ROOT, 'rules'), f],
			    { encoding: 'utf8' });
			fs.unlinkSync(f);
			expect(p.status === 0, `import: ${p.stderr}`);
			sqlite(`UPDATE endorsement SET account = (SELECT id FROM account WHERE email = '${email}') WHERE number = '${number}'`);
		});
		try {
			await step(`vc ${w}: the dashboard offers the credential; the .jwt downloads`, async () => {
				await A.page.goto(`${BASE}/dashboard`);
				await arrived(A.page, `vc-${w}-dashboard`);
				await fits(A.page);
				const link = A.page.getByRole('link', { name: `${number}.jwt` });
				expect(await link.count() === 1, 'no link to the .jwt');
				const [dl] = await Promise.all([A.page.waitForEvent('download'), link.click()]);
				jwt = fs.readFileSync(await dl.path(), 'utf8').trim();
				expect(jwt.split('.').length === 3, `not a JWT: ${jwt.slice(0, 40)}`);
				const [dj] = await Promise.all([A.page.waitForEvent('download'),
				    A.page.getByRole('link', { name: `${number}.json for a wallet` }).click()]);
				const env = JSON.parse(fs.readFileSync(await dj.path(), 'utf8'));
				expect(env.type === 'EnvelopedVerifiableCredential', 'the .json is enveloped');
				await fitsNarrow(browser, await A.ctx.storageState(), `${BASE}/dashboard`);
			});
			await step(`vc ${w}: someone pastes it on /verify and reads "Valid"`, async () => {
				V = await freshPage(browser);
				await V.page.setViewportSize(size);
				const t = await verifyText(V.page, jwt, `vc-${w}-verify-valid`);
				expect(/Valid: the signature is valid, made with the key of Virginia Association for Infant Mental Health, and the credential is current/.test(t),
				    `not valid: ${t.slice(0, 300)}`);
				expect(t.includes(`Val Credent ${tag}`), 'the holder named');
			});
			await step(`vc ${w}: a tampered copy reads the reason`, async () => {
				const [h, p, s] = jwt.split('.');
				const c = JSON.parse(Buffer.from(p, 'base64url'));
				c.credentialSubject.name = 'Somebody Else';
				const t = await verifyText(V.page, [h, Buffer.from(JSON.stringify(c)).toString('base64url'), s].join('.'),
				    `vc-${w}-verify-tampered`);
				expect(/Not valid: the signature does not match the credential: it was changed after it was signed/.test(t),
				    `the reason: ${t.slice(0, 300)}`);
			});
			await step(`vc ${w}: an empty form says so by the field`, async () => {
				const t = await verifyText(V.page, '', `vc-${w}-verify-empty`);
				const err = await V.page.locator('#f-credential-error').innerText();
				expect(/paste a credential, or choose its file/.test(err), `the error by the field: ${err} / ${t.slice(0, 100)}`);
				await fitsNarrow(browser, undefined, `${BASE}/verify`);
			});
		} finally {
			await A?.ctx?.close();
			await V?.ctx?.close();
		}
	}
}
