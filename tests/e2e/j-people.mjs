// Issue 17, people and membership verification, walked in the browser at
// 1280 and 375 px: a coordinator invites a reviewer (an endorsee of the
// association) on /coordinator/people, after a refused invitation (the
// error state axe clean too), asks to remove them (the confirmation
// page), then on /coordinator/memberships rejects a membership without a
// reason (refused, the field says why) and confirms it.  Every page a
// screenshot and axe at both sizes, and fits at 320 px.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	BASE, SIZES, step, check, expect, control, arrived, coordinator, fits,
	fitsNarrow,
} from './lib.mjs';

const sql = (q) => spawnSync('sqlite3', ['-cmd', '.timeout 5000', process.env.E2E_DB, q],
    { encoding: 'utf8' }).stdout.trim();

// Endorsees of vaimh moved in with the CLI: accounts of their own.
function importRows(tag, rows) {
	const f = path.join(os.tmpdir(), `people-${tag}.csv`);
	fs.writeFileSync(f, ['number,name,email,category,since,status,city', ...rows].join('\n') + '\n');
	const p = spawnSync(process.env.E2E_BIN, ['import', 'endorsees', '--db', process.env.E2E_DB,
	    '--association', 'vaimh', '--rules', path.join(process.env.E2E_ROOT, 'rules'), f],
	    { encoding: 'utf8' });
	fs.unlinkSync(f);
	return p;
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	let K;

	await step('people: the coordinator logs in', async () => {
		K = await coordinator(browser);
	});

	for (const size of SIZES) {
		const w = size.width;
		const rev = { name: `Reva Reviewer ${tag}${w}`, email: `reva-${tag}-${w}@example.org` };
		const mem = { name: `Milo Member ${tag}${w}`, email: `milo-${tag}-${w}@example.org` };
		let mid;

		await step(`people (${w} px): a reviewer-to-be and a member on record`, async () => {
			const p = importRows(`${tag}-${w}`, [
			    `JP-${tag}-${w}-1,${rev.name},${rev.email},IFS,2019-04-01,active,Richmond`,
			    `JP-${tag}-${w}-2,${mem.name},${mem.email},IFA,2020-04-01,active,Roanoke`]);
			expect(p.status === 0, `import: ${p.stderr}`);
			mid = sql(`INSERT INTO membership (account, association, term, start, end, created) ` +
			    `SELECT id, 'vaimh', 'individual-1', '2026-01-01', '2026-12-31', 0 FROM account ` +
			    `WHERE email = '${mem.email}' RETURNING id`);
			expect(/^\d+$/.test(mid), `no membership: ${mid}`);
			await K.page.setViewportSize(size);
		});

		await check(`people (${w} px): an invitation refused, then a reviewer invited`, async () => {
			await K.page.goto(`${BASE}/coordinator/people`);
			await arrived(K.page, `people-list-${w}`);
			await fits(K.page);
			const form = K.page.locator('form[action="/coordinator/people"]');
			await control(form, 'Role').selectOption('reviewer');
			await control(form, 'E-mail').fill('not an address');
			await form.getByRole('button', { name: 'Invite' }).click();
			await K.page.waitForLoadState('load');
			await arrived(K.page, `people-refused-${w}`);
			const msg = await K.page.locator('#f-email-error').innerText().catch(() => '');
			expect(/e-mail address such as/.test(msg), `the e-mail field says "${msg}"`);
			await fits(K.page);
			const again = K.page.locator('form[action="/coordinator/people"]');
			await control(again, 'Role').selectOption('reviewer');
			await control(again, 'E-mail').fill(rev.email);
			await again.getByRole('button', { name: 'Invite' }).click();
			await K.page.waitForURL(/invited=1/);
			await arrived(K.page, `people-invited-${w}`);
			expect(await K.page.getByText(rev.name).count() > 0, 'the reviewer is listed');
			await fits(K.page);
		});

		await check(`people (${w} px): removal asks first`, async () => {
			await K.page.getByRole('link', { name: `Remove ${rev.name}` }).click();
			await K.page.waitForURL(/\/reviewers\/\d+\/remove$/);
			await arrived(K.page, `people-remove-ask-${w}`);
			await fits(K.page);
			const url = K.page.url();
			await K.page.getByRole('button', { name: `Remove ${rev.name}` }).click();
			await K.page.waitForURL(/removed=1/);
			await arrived(K.page, `people-removed-${w}`);
			expect(await K.page.getByText(rev.email).count() === 0, 'the reviewer is gone');
			await K.page.setViewportSize(SIZES[0]);
			await fitsNarrow(browser, await K.ctx.storageState(), `${BASE}/coordinator/people`);
			expect(/\/remove$/.test(url), url);
			await K.page.setViewportSize(size);
		});

		await check(`memberships (${w} px): a rejection needs a reason; the membership confirmed`, async () => {
			await K.page.goto(`${BASE}/coordinator/memberships`);
			await arrived(K.page, `memberships-list-${w}`);
			await fits(K.page);
			const li = K.page.locator(`#m-${mid}`);
			await li.getByRole('button', { name: `Reject the membership of ${mem.name}` }).click();
			await K.page.waitForLoadState('load');
			await arrived(K.page, `memberships-refused-${w}`);
			const msg = await K.page.locator(`#f-reason-${mid}-error`).innerText().catch(() => '');
			expect(/say why/.test(msg), `the reason field says "${msg}"`);
			await fits(K.page);
			await K.page.locator(`#m-${mid}`).getByRole('button',
			    { name: `Confirm the membership of ${mem.name}` }).click();
			await K.page.waitForURL(/\/coordinator\/memberships/);
			await arrived(K.page, `memberships-confirmed-${w}`);
			const text = await K.page.locator(`#m-${mid}`).innerText();
			expect(/Status: confirmed/.test(text), `the membership reads: ${text}`);
			expect(sql(`SELECT status FROM membership WHERE id = ${mid}`) === 'confirmed', 'stored');
			await fits(K.page);
			await K.page.setViewportSize(SIZES[0]);
			await fitsNarrow(browser, await K.ctx.storageState(), `${BASE}/coordinator/memberships`);
		});
	}
}
