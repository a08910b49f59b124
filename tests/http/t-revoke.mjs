// Revoking and suspending an endorsement from its coordinator's page
// (/coordinator/endorsements/NUMBER, issue 19): a reason is required and
// recorded, the holder is mailed, the registry and /verify say "Revoked on
// ..." or "Suspended since ..." with the date, a suspension can be lifted,
// a revocation is final; another association's coordinator, an applicant
// and the coordinator whose own endorsement it is are refused.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import * as jose from 'jose';

import { Client, test, one, sql, q, DB, fieldError, errorSummary } from '../lib/client.mjs';
import { U, UNIQ, TMP, register, email } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const num = (n) => `RVK${UNIQ}-${n}`;
const TODAY_US = 'November 23, 2026';

function importCsv(assoc, rows, name) {
	const lines = ['number,name,email,category,since,status,city', ...rows.map((r) => r.join(','))];
	const file = path.join(TMP, name);
	fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
	return spawnSync(BIN, ['import', 'endorsees', '--db', DB, '--association', assoc,
	    '--rules', path.join(ROOT, 'rules'), file], { encoding: 'utf8' });
}

const status = (n) => one(`SELECT status FROM endorsement WHERE number = ${q(n)}`);

// The endorsement's bit in its association's status list (kind:
// revocation or suspension), the list verified with jose against the
// served JWKS (issue 19: the list follows each of these actions).
async function statusBit(kind, n) {
	const anon = new Client('status-list');
	const jwks = (await anon.get('/.well-known/jwks.json')).json();
	const assoc = one(`SELECT association FROM endorsement WHERE number = ${q(n)}`);
	const r = await anon.get(`/associations/${assoc}/status/${kind}.jwt`);
	const { payload } = await jose.jwtVerify(r.text.trim(), jose.createLocalJWKSet(jwks));
	const bits = zlib.gunzipSync(Buffer.from(payload.credentialSubject.encodedList, 'base64url'));
	const i = Number(one(`SELECT id FROM endorsement WHERE number = ${q(n)}`));
	return (bits[Math.floor(i / 8)] & (0x80 >> (i % 8))) !== 0;
}
const mails = (to, like) => sql(`SELECT subject, body FROM outbox WHERE recipient = ${q(to)} AND ` +
    `subject LIKE ${q(like)} ORDER BY id`);
const textarea = (html, id) => {
	const m = html.match(new RegExp(`<textarea id="f-${id}"[^>]*>([^<]*)</textarea>`));
	return m ? m[1] : undefined;
};

export async function run() {
	const H = await register('H', `Hana Holder-${UNIQ}`, email('holder'), 'vaimh');
	const cS = U.cSame;

	await test('revoke: setup imports endorsements of a holder, of the coordinator, of another association', (c) => {
		let p = importCsv('vaimh', [
			[num(1), H.name, H.email, 'IFS', '2019-04-01', 'active', 'Richmond'],
			[num(2), H.name, H.email, 'IFA', '2020-04-01', 'active', 'Richmond'],
			[num(3), 'Coordinator', cS.email, 'IMHS', '2018-01-01', 'active', 'Roanoke'],
			[num(5), `Old ${UNIQ}`, email('old'), 'IFS', '2010-01-01', 'revoked', 'Salem'],
		], 'revoke-vaimh.csv');
		c.eq(p.status, 0, `vaimh import (stderr: ${p.stderr})`);
		p = importCsv('infancy-onward', [[num(4), `Ona Other-${UNIQ}`, email('ona'), 'IFS', '2019-01-01',
		    'active', 'Austin']], 'revoke-io.csv');
		c.eq(p.status, 0, `infancy-onward import (stderr: ${p.stderr})`);
		c.eq(one(`SELECT withdrawn_reason FROM endorsement WHERE number = ${q(num(5))}`),
		    `revoked in the association's records before this registry (imported from ${path.join(TMP,
		    'revoke-vaimh.csv')})`, 'the import records the reason of a revoked row');
		c.eq(one(`SELECT withdrawn FROM endorsement WHERE number = ${q(num(5))}`), null,
		    'and no date it does not know');
	});

	await test('revoke: the coordinator\'s endorsement page shows it, its history and the forms', async (c) => {
		const r = await cS.get(`/coordinator/endorsements/${num(1)}`);
		c.status(r, 200, 'GET');
		c.has(r.text, H.name, 'the name');
		c.has(r.text, 'April 1, 2019', 'since, in US words');
		c.has(r.text, `action="/coordinator/endorsements/${num(1)}/suspend"`, 'a suspend form');
		c.has(r.text, `action="/coordinator/endorsements/${num(1)}/revoke"`, 'a revoke form');
		c.lacks(r.text, '/lift"', 'no lift form for an active one');
		c.has(r.text, 'Imported', 'the history has the import');
	});

	await test('revoke: refused without a reason, by the field; a long one kept as typed', async (c) => {
		let r = await cS.submit(`/coordinator/endorsements/${num(1)}/revoke`, { reason: '   ' });
		c.status(r, 400, 'no reason');
		c.eq(fieldError(r.text, 'revoke-reason'), 'give the reason for the revocation; the endorsee is told it',
		    'the message by the field');
		c.has(errorSummary(r.text) || '', 'Reason: give the reason', 'the summary links to it');
		r = await cS.submit(`/coordinator/endorsements/${num(1)}/revoke`, { reason: 'x'.repeat(301),
		    confirmed: 'yes' });
		c.status(r, 400, 'too long, even confirmed');
		c.eq(fieldError(r.text, 'revoke-reason'), 'enter at most 300 characters', 'the message');
		c.eq(textarea(r.text, 'revoke-reason'), 'x'.repeat(301), 'what was typed is kept');
		c.eq(status(num(1)), 'active', 'nothing changed');
	});

	const reason = `Practised outside the Code <b>${UNIQ}</b>`;
	await test('revoke: with a reason, a confirmation page first, then revoked, recorded, mailed', async (c) => {
		const before = Number(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(H.email)}`));
		let r = await cS.submit(`/coordinator/endorsements/${num(1)}/revoke`, { reason });
		c.status(r, 200, 'the confirmation page');
		c.has(r.text, `Revoke endorsement ${num(1)}?`, 'asks');
		c.has(r.text, 'name="confirmed" value="yes"', 'the confirming form');
		c.has(r.text, 'Practised outside the Code &lt;b&gt;', 'the reason, escaped');
		c.eq(status(num(1)), 'active', 'nothing changed before the confirmation');
		c.eq(await statusBit('revocation', num(1)), false, 'the revocation bit clear before');
		c.eq(Number(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(H.email)}`)), before, 'no mail yet');
		r = await cS.submit(`/coordinator/endorsements/${num(1)}/revoke`, { reason, confirmed: 'yes' });
		c.redirect(r, `/coordinator/endorsements/${num(1)}`, 'confirmed');
		const row = sql(`SELECT status, withdrawn, withdrawn_reason FROM endorsement WHERE number = ${q(num(1))}`)[0];
		c.eq(row, { status: 'revoked', withdrawn: '2026-11-23', withdrawn_reason: reason }, 'the row');
		c.eq(await statusBit('revocation', num(1)), true, 'the revocation bit set by the action');
		const m = mails(H.email, '%has been revoked');
		c.eq(m.length, 1, 'the holder is mailed once');
		c.has(m[0]?.body || '', reason, 'with the reason');
		c.has(m[0]?.body || '', TODAY_US, 'and the date');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'endorsement' AND action = 'revoke' AND ` +
		    `json_extract(detail, '$.reason') = ${q(reason)} AND actor = (SELECT id FROM account WHERE ` +
		    `email = ${q(cS.email)})`), 1, 'the audit row: who, the reason');
		r = await cS.get(`/coordinator/endorsements/${num(1)}`);
		c.has(r.text, `Revoked</strong> on ${TODAY_US}`, 'the page says revoked with the date');
		c.has(r.text, `${TODAY_US} · Coordinator`, 'the history: when, who');
		c.has(r.text, 'Revoked: Practised outside the Code &lt;b&gt;', 'the history: what, why');
		c.lacks(r.text, '/suspend"', 'no more suspend form');
		c.lacks(r.text, '/revoke"', 'no more revoke form');
	});

	await test('revoke: the registry and /verify say revoked with the date; the holder\'s dashboard the reason', async (c) => {
		const anon = new Client('anon');
		let r = await anon.get(`/verify/${num(1)}`);
		c.status(r, 200, '/verify/NUMBER');
		c.has(r.text, `Revoked on ${TODAY_US}</strong>`, 'Revoked on the date');
		c.lacks(r.text, 'Valid through', 'not valid');
		c.lacks(r.text, 'Practised outside', 'the reason is not public');
		r = await anon.get(`/api/v1/verify/${num(1)}`);
		c.eq([r.json()?.status, r.json()?.withdrawn], ['revoked', '2026-11-23'], 'the API');
		r = await anon.get(`/verify/${num(5)}`);
		c.has(r.text, '>Revoked</strong>', 'an imported revocation: no date claimed');
		r = await anon.get(`/registry?q=${encodeURIComponent(H.name)}`);
		c.has(r.text, `<td>Revoked on ${TODAY_US}</td><td><a href="/verify/${num(1)}">`, 'the registry: revoked with the date');
		r = await H.get('/dashboard');
		c.has(r.text, `revoked on ${TODAY_US}: Practised outside the Code &lt;b&gt;`, 'the dashboard');
	});

	await test('revoke: a revoked endorsement cannot be suspended, lifted or revoked again (409 in words)', async (c) => {
		for (const act of ['suspend', 'lift', 'revoke']) {
			const r = await cS.submit(`/coordinator/endorsements/${num(1)}/${act}`, { reason: 'again',
			    confirmed: 'yes' });
			c.status(r, 409, act);
			c.has(r.text, 'a revocation is final', `${act}: the words`);
		}
		c.eq(status(num(1)), 'revoked', 'still revoked');
	});

	await test('revoke: suspend, then lift: /verify shows suspended since the date, then valid again', async (c) => {
		let r = await cS.submit(`/coordinator/endorsements/${num(2)}/lift`, {});
		c.status(r, 409, 'an active one has no suspension to lift');
		c.has(r.text, 'there is no suspension to lift', 'in words');
		r = await cS.submit(`/coordinator/endorsements/${num(2)}/suspend`, { reason: '' });
		c.status(r, 400, 'suspend without a reason');
		c.eq(fieldError(r.text, 'suspend-reason'), 'give the reason for the suspension; the endorsee is told it',
		    'by the field');
		r = await cS.submit(`/coordinator/endorsements/${num(2)}/suspend`, { reason: 'Complaint under review' });
		c.has(r.text, `Suspend endorsement ${num(2)}?`, 'confirmation');
		r = await cS.submit(`/coordinator/endorsements/${num(2)}/suspend`, { reason: 'Complaint under review',
		    confirmed: 'yes' });
		c.redirect(r, `/coordinator/endorsements/${num(2)}`, 'suspended');
		c.eq(status(num(2)), 'suspended', 'the row');
		c.eq(await statusBit('suspension', num(2)), true, 'the suspension bit set while suspended');
		c.eq(await statusBit('revocation', num(2)), false, 'not revoked');
		const anon = new Client('anon');
		r = await anon.get(`/verify/${num(2)}`);
		c.has(r.text, `Suspended since ${TODAY_US}</strong>`, '/verify');
		c.lacks(r.text, 'Valid through', 'not valid while suspended');
		c.eq((await anon.get(`/api/v1/verify/${num(2)}`)).json()?.status, 'suspended', 'the API');
		c.has(mails(H.email, '%has been suspended')[0]?.body || '', 'Complaint under review', 'mailed with the reason');
		r = await H.get('/dashboard');
		c.has(r.text, `suspended since ${TODAY_US}: Complaint under review`, 'the dashboard');
		r = await cS.get(`/coordinator/endorsements/${num(2)}`);
		c.has(r.text, '/lift"', 'a lift form');
		c.lacks(r.text, '/suspend"', 'no suspend form');
		r = await cS.submit(`/coordinator/endorsements/${num(2)}/suspend`, { reason: 'twice', confirmed: 'yes' });
		c.status(r, 409, 'suspended twice');
		r = await cS.submit(`/coordinator/endorsements/${num(2)}/lift`, { reason: '' });
		c.has(r.text, `Lift the suspension of ${num(2)}?`, 'lift asks');
		r = await cS.submit(`/coordinator/endorsements/${num(2)}/lift`, { reason: '', confirmed: 'yes' });
		c.redirect(r, `/coordinator/endorsements/${num(2)}`, 'lifted');
		const row = sql(`SELECT status, withdrawn, withdrawn_reason FROM endorsement WHERE number = ${q(num(2))}`)[0];
		c.eq(row, { status: 'active', withdrawn: null, withdrawn_reason: null }, 'active again');
		c.eq(await statusBit('suspension', num(2)), false, 'the suspension bit clear once lifted');
		r = await anon.get(`/verify/${num(2)}`);
		c.has(r.text, '>Active</strong>', '/verify: active');
		c.has(r.text, 'Valid through', 'and valid');
		c.eq(mails(H.email, 'The suspension of your endorsement%').length, 1, 'the lift is mailed');
		r = await cS.get(`/coordinator/endorsements/${num(2)}`);
		for (const w of ['Suspended: Complaint under review', 'Suspension lifted'])
			c.has(r.text, w, `the history keeps "${w}"`);
	});

	await test('revoke: the registry search links a coordinator to their association\'s endorsements only', async (c) => {
		const path0 = '/registry?q=' + encodeURIComponent(H.name);
		const link = `<a href="/coordinator/endorsements/${num(2)}">Manage`;
		c.has((await cS.get(path0)).text, link, 'the coordinator of the association');
		c.lacks((await U.cOther.get(path0)).text, '/coordinator/endorsements/', 'another association\'s');
		c.lacks((await new Client('anon').get(path0)).text, '/coordinator/endorsements/', 'the public');
		c.lacks((await H.get(path0)).text, '/coordinator/endorsements/', 'the holder');
	});

	await test('revoke: another association\'s coordinator 404, applicants 403, one\'s own endorsement 403', async (c) => {
		for (const [who, u, want] of [['cOther', U.cOther, 404], ['B', U.B, 403], ['the holder', H, 403]]) {
			let r = await u.get(`/coordinator/endorsements/${num(2)}`);
			c.status(r, want, `${who}: GET`);
			c.lacks(r.text, H.email, `${who}: nothing of the holder`);
			r = await u.submit(`/coordinator/endorsements/${num(2)}/revoke`, { reason: 'x', confirmed: 'yes' });
			c.status(r, want, `${who}: POST`);
		}
		c.status(await cS.get(`/coordinator/endorsements/${num(4)}`), 404, 'cSame on another association\'s');
		c.status(await U.cOther.get(`/coordinator/endorsements/${num(4)}`), 200, 'cOther on its own association\'s');
		c.eq(status(num(2)), 'active', 'nothing changed');
		let r = await cS.get(`/coordinator/endorsements/${num(3)}`);
		c.has(r.text, 'This is your own endorsement', 'one\'s own: the page says so');
		c.lacks(r.text, '/revoke"', 'and offers no form');
		r = await cS.submit(`/coordinator/endorsements/${num(3)}/revoke`, { reason: 'mine', confirmed: 'yes' });
		c.status(r, 403, 'revoking one\'s own');
		c.has(r.text, 'another coordinator of the association decides', 'in words');
		r = await cS.submit(`/coordinator/endorsements/${num(3)}/suspend`, { reason: 'mine' });
		c.status(r, 403, 'not even the confirmation page');
		c.eq(status(num(3)), 'active', 'unchanged');
	});
}
