// Issue 16, point 4, walked in the browser: an endorsee whose renewal
// audit failed sees on the renewal page the audited verdict (judged on
// the accepted entries only) and what is short, never "every renewal
// requirement is met"; she logs another entry of the cycle and uploads
// its evidence for the cure, and it joins the audit.  The walk's server
// is pinned to 2026-11-23, so this journey starts a server of its own
// (tests/lib/server.mjs, as tests/renewal/walk.mjs does) at 2027-11-02,
// inside INfancy Onward's 2027 renewal window, and reuses that walk's
// setup: an imported endorsement, a membership, hours logged and
// attested, a draw, one entry rejected.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	SIZES, step, check, expect, control, arrived, fits, fitsNarrow,
	freshPage, tinyPdf,
} from './lib.mjs';

const A = 'infancy-onward';
const NOW = '2027-11-02';

// The renewal walk's setup over HTTP: Ann's audit failed, her 24 hours of
// RSC rejected.  Returns the server and Ann's login.
async function failedAudit(tag) {
	process.env.RENEWAL_BIN ??= process.env.E2E_BIN;
	process.env.RENEWAL_ROOT ??= process.env.E2E_ROOT;
	process.env.RENEWAL_TMP ??= path.join(os.tmpdir(), `e2e-audit-${tag}`);
	fs.mkdirSync(process.env.RENEWAL_TMP, { recursive: true });
	const { Server } = await import('../lib/server.mjs');
	const { person, relogin } = await import('../lib/fixtures.mjs');
	const srv = await new Server(`audit-${tag}`).init();
	await srv.start(NOW);
	const { Client, sql, one } = srv.lib;
	const ann = await person(srv, 'Ann Audited', `ann-${tag}@audit.example`);
	const imp = srv.importEndorsees(A, [{ number: 'IN-2024-0101', name: 'Ann Audited',
	    email: ann.email, category: 'IFS', since: '2024-06-01' }]);
	expect(imp.status === 0, `import: ${imp.stderr}`);
	await relogin(ann);
	let r = await ann.submit('/membership', { term: `${A}/individual-3`, start: '2025-01-01' });
	expect(r.status === 303, `membership: ${r.status}`);
	const log = (kind, f) => ann.submit('/renewal/log', { association: A, kind, ...f });
	for (const [kind, f] of [
	    ['training', { title: 'Infant mental health foundations', date: '2025-04-10', hours: '30',
		role: 'attended' }],
	    ['training', { title: 'DEI in home visiting', date: '2027-10-15', hours: '17', topics: 'dei',
		role: 'attended' }],
	    ['rsc_received', { provider: 'Robin Roe', provider_endorsements: 'IMHM-C', format: 'group',
		start: '2025-03-01', end: '2026-10-31', hours: '24', focus: 'practice' }],
	    ['rsc_received', { provider: 'Robin Roe', provider_endorsements: 'IMHM-C', format: 'group',
		start: '2027-03-01', end: '2027-10-31', hours: '12', focus: 'practice' }]]) {
		r = await log(kind, f);
		expect(r.status === 303, `log ${f.title || f.provider}: ${r.status} ${r.text.slice(0, 300)}`);
	}
	const end = one(`SELECT id FROM endorsement WHERE number = 'IN-2024-0101'`);
	r = await ann.submit(`/endorsements/${end}/attest`, { hours: 'yes', ethics: 'yes', membership: 'yes' });
	expect(r.status === 303, `attest: ${r.status} ${r.text.replace(/<[^>]*>/g, ' ').slice(0, 600)}`);
	const coord = new Client('coordinator');
	Object.assign(coord, srv.coordinators[A]);
	await relogin(coord);
	r = await coord.submit('/coordinator/renewals/draw', { cycle: '2027', percent: '100',
	    seed: '00000000c0ffee00' });
	expect(r.status === 303, `draw: ${r.status}`);
	const rid = one(`SELECT id FROM renewal WHERE endorsement = ${end}`);
	const items = sql(`SELECT i.entry, l.kind, l.data FROM audit_item i JOIN log_entry l ` +
	    `ON l.id = i.entry WHERE renewal = ${rid} ORDER BY i.entry`);
	for (const it of items) {
		r = await ann.submitMultipart(`/renewal/log/${it.entry}/evidence`,
		    (fd) => fd.append('file', new Blob([tinyPdf()]), `certificate-${it.entry}.pdf`));
		expect(r.status === 303, `evidence ${it.entry}: ${r.status}`);
	}
	for (const it of items) {
		const rej = it.kind === 'rsc_received' && JSON.parse(it.data).hours === 24;
		r = await coord.submit(`/coordinator/renewals/${rid}/items/${it.entry}`, rej ?
		    { decision: 'reject', note: 'The letter is not signed by the provider' } :
		    { decision: 'accept' });
		expect(r.status === 303, `decide ${it.entry}: ${r.status}`);
	}
	const st = one(`SELECT status FROM renewal WHERE id = ${rid}`);
	expect(st === 'cure', `the audit failed: ${st}`);
	return { srv, ann, rid, base: process.env.HTTP_BASE, one };
}

export async function journey(browser) {
	const tag = Date.now().toString(36);
	let S, B;
	await step('audit: a server of its own at 2027-11-02; Ann attested, was drawn, one entry rejected', async () => {
		S = await failedAudit(tag);
	});
	try {
		await step('audit: Ann logs in and reads her renewal page', async () => {
			B = await freshPage(browser);
			await B.page.goto(`${S.base}/login`);
			const form = B.page.locator('form[action="/login"]');
			await control(form, 'E-mail').fill(S.ann.email);
			await control(form, 'Password').fill(S.ann.password);
			await form.getByRole('button', { name: 'Log in' }).click();
			await B.page.waitForURL('**/dashboard');
		});
		await check('audit: the page shows the audited verdict and the shortfall, not "every requirement is met"', async () => {
			for (const size of SIZES) {
				await B.page.setViewportSize(size);
				await B.page.goto(`${S.base}/renewal`);
				await arrived(B.page, `audit-failed-${size.width}`);
				const text = await B.page.locator('main').innerText();
				expect(!/Every renewal requirement is met/.test(text), 'no "every requirement is met"');
				expect(/Judged on the entries accepted in the audit: not every renewal requirement is met/
				    .test(text), 'the audited verdict');
				expect(/\d+ of 36 hours of RSC received/.test(text), 'the shortfall: RSC received');
				expect(/To put the audit right by December 2, 2027/.test(text), 'what to do, by when');
				expect(/The letter is not signed by the provider/.test(text), 'the coordinator\'s note');
				await fits(B.page);
			}
			await B.page.setViewportSize(SIZES[0]);
			await fitsNarrow(browser, await B.ctx.storageState(), `${S.base}/renewal`);
		});
		let entry;
		await step('audit: she logs other RSC of the cycle for the cure', async () => {
			await B.page.getByRole('link', { name: 'Log RSC received' }).first().click();
			await B.page.waitForURL(/\/renewal\/log\/new/);
			await arrived(B.page, 'audit-log-rsc');
			await fitsNarrow(browser, await B.ctx.storageState(), B.page.url());
			const form = B.page.locator('form[action="/renewal/log"]');
			await control(form, "Provider's name").fill('Pat Provider');
			await control(form, "Provider's endorsements").fill('IMHM-C');
			await control(form, 'Format').selectOption('individual');
			await control(form, 'Start date').fill('2027-06-01');
			await control(form, 'End date').fill('2027-10-30');
			await control(form, 'Hours').fill('24');
			await form.getByRole('button').last().click();
			await B.page.waitForURL(/\/renewal(#.*)?$/);
			await arrived(B.page, 'audit-logged');
			entry = S.one("SELECT max(id) FROM log_entry");
			expect(S.one(`SELECT status FROM audit_item WHERE entry = ${entry} AND renewal = ${S.rid}`) ===
			    'pending', 'the new entry joins the audit');
		});
		await step('audit: she uploads its evidence', async () => {
			const f = path.join(process.env.RENEWAL_TMP, `audit-evidence-${tag}.pdf`);
			fs.writeFileSync(f, tinyPdf());
			for (const size of SIZES) {
				await B.page.setViewportSize(size);
				await B.page.goto(`${S.base}/renewal`);
				await arrived(B.page, `audit-before-upload-${size.width}`);
			}
			await B.page.setViewportSize(SIZES[0]);
			await B.page.locator(`#ev-${entry}`).setInputFiles(f);
			await B.page.locator(`form[action="/renewal/log/${entry}/evidence"]`)
			    .getByRole('button', { name: /^Upload/ }).click();
			await B.page.waitForURL(/\/renewal(#.*)?$/);
			for (const size of SIZES) {
				await B.page.setViewportSize(size);
				await B.page.goto(`${S.base}/renewal`);
				await arrived(B.page, `audit-evidence-${size.width}`);
				await fits(B.page);
			}
			await B.page.setViewportSize(SIZES[0]);
			const text = await B.page.locator('main').innerText();
			expect(/Pat Provider[^\n]*: pending[^\n]*evidence: audit-evidence/.test(text) ||
			    new RegExp(`audit-evidence-${tag}\\.pdf`).test(text), 'the evidence is shown under the audit');
			await fitsNarrow(browser, await B.ctx.storageState(), `${S.base}/renewal`);
		});
	} finally {
		if (B) await B.ctx.close();
		await S?.srv.stop();
		if (S?.srv.problems.length)
			console.log(`# audit server: ${S.srv.problems.join('\n# ')}`);
		fs.rmSync(process.env.RENEWAL_TMP, { recursive: true, force: true });
	}
}
