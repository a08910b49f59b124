// Issue 16, point 13: changing one's e-mail address, confirmed by mail.
// On the account page: the new address and the current password; a
// single-use, expiring link (stored as a hash, like a reset link) goes to
// the NEW address, the OLD one is told without the link; the address
// changes only when the link is followed, the sessions stay.  An address
// another account has is refused without the page saying so (as a
// registration does), by a mail to that address; mail to an address is
// limited as reset links are; the change is in the audit log.
import { test, sql, one, q, fieldError, Client } from '../lib/client.mjs';
import { UNIQ, email, register } from './common.mjs';

const P = {};
const mailsTo = (to) => sql(`SELECT subject, body FROM outbox WHERE recipient = ${q(to)} ORDER BY id`);
const accountEmail = (id) => one(`SELECT email FROM account WHERE id = ${Number(id)}`);
const pending = (id) => one(`SELECT count(*) FROM email_change WHERE account = ${Number(id)} AND used IS NULL`);
const LINK = /\/account\/email\/([0-9a-f]{64})/;

export async function run() {
	P.u = await register('JMail', `Eli Mailer ${UNIQ}`, email('jmail'), 'vaimh');
	P.other = await register('JMailO', `Ora Other ${UNIQ}`, email('jmail-other'), 'vaimh');
	P.id = one(`SELECT id FROM account WHERE email = ${q(P.u.email)}`);
	P.old = P.u.email;
	P.new = `jmail-new-${UNIQ}@example.org`;

	await test('email (16.13): the account page asks for the new address and the current password', async (c) => {
		const r = await P.u.get('/account');
		c.has(r.text, 'action="/account/email"', 'a form');
		c.has(r.text, 'id="f-new_email"', 'the new address');
		c.has(r.text, 'id="f-email_password"', 'the current password');
	});

	await test('email (16.13): a wrong password, a bad address and the same address are refused by the field; nothing mailed', async (c) => {
		let r = await P.u.submit('/account/email', { new_email: P.new, email_password: 'not my password' });
		c.status(r, 400, 'wrong password');
		c.has(fieldError(r.text, 'email_password') || '', 'this is not your current password', 'by the password');
		c.has(r.text, `value="${P.new}"`, 'the typed address kept');
		r = await P.u.submit('/account/email', { new_email: 'not an address', email_password: P.u.password });
		c.status(r, 400, 'bad address');
		c.has(fieldError(r.text, 'new_email') || '', 'enter an e-mail address such as name@example.org', 'by the address');
		r = await P.u.submit('/account/email', { new_email: P.old.toUpperCase(), email_password: P.u.password });
		c.status(r, 400, 'the same address');
		c.has(fieldError(r.text, 'new_email') || '', 'this is your address already', 'says so');
		c.eq(mailsTo(P.new).length, 0, 'nothing mailed to the new address');
		c.eq(pending(P.id), 0, 'no change waiting');
		c.eq(accountEmail(P.id), P.old, 'unchanged');
	});

	await test('email (16.13): an address another account has gets the same answer on the page; that address is told, no link; nothing changes', async (c) => {
		const r = await P.u.submit('/account/email', { new_email: P.other.email, email_password: P.u.password });
		c.status(r, 200, 'answered as for a free address');
		c.has(r.text, `We sent a link to ${P.other.email}`, 'the same words');
		const m = mailsTo(P.other.email).filter((x) => x.subject === 'Your Endorse account');
		c.eq(m.length, 1, 'the address is told');
		c.has(m[0]?.body || '', 'has an Endorse account of its own', 'that it has an account');
		c.ok(!LINK.test(m[0]?.body || ''), 'without a link');
		c.eq(pending(P.id), 0, 'no change waiting');
		c.eq(accountEmail(P.id), P.old, 'unchanged');
	});

	await test('email (16.13): a free address: a link to the new address (its token stored only hashed), word to the old one; nothing changes yet', async (c) => {
		const r = await P.u.submit('/account/email', { new_email: P.new, email_password: P.u.password });
		c.status(r, 200, 'asked');
		c.has(r.text, `We sent a link to ${P.new}`, 'says where');
		const m = mailsTo(P.new);
		c.eq(m.map((x) => x.subject), ['Confirm your new Endorse e-mail address'], 'one mail to the new address');
		P.tok = (m[0]?.body.match(LINK) || [])[1];
		c.ok(P.tok, 'with a link');
		c.eq(one(`SELECT count(*) FROM email_change WHERE hash = ${q(P.tok || '')}`), 0, 'the token is not stored');
		c.eq(pending(P.id), 1, 'one change waiting');
		const old = mailsTo(P.old).filter((x) => x.subject === 'Your Endorse e-mail address is to change');
		c.ok(old.length >= 1, 'the old address is told');
		c.has(old.at(-1)?.body || '', P.new, 'of the new address');
		c.ok(!LINK.test(old.at(-1)?.body || ''), 'without the link');
		c.eq(accountEmail(P.id), P.old, 'unchanged until the link is followed');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'account' AND row_id = ${P.id} AND ` +
		    `action = 'email-change-asked'`) >= 1, true, 'the request audited');
	});

	await test('email (16.13): following the link changes the address; the session stays; the link works once', async (c) => {
		let r = await new Client('anon').get(`/account/email/${P.tok}`);
		c.status(r, 200, 'the link shows a confirmation');
		c.has(r.text, P.new, 'naming the new address');
		c.eq(accountEmail(P.id), P.old, 'opening it changes nothing');
		r = await P.u.submit(`/account/email/${P.tok}`, {});
		c.status(r, 200, 'confirmed');
		c.has(r.text, 'is now', 'says so');
		c.eq(accountEmail(P.id), P.new, 'changed');
		r = await P.u.get('/account');
		c.status(r, 200, 'the session stays');
		c.has(r.text, `E-mail: ${P.new}`, 'the account page shows the new address');
		c.eq(one(`SELECT json_extract(detail, '$.to') FROM audit WHERE what = 'account' AND row_id = ${P.id} ` +
		    `AND action = 'email-changed'`), P.new, 'the change audited');
		c.status(await P.u.get(`/account/email/${P.tok}`), 404, 'the link is spent');
		c.status(await P.u.submit(`/account/email/${P.tok}`, {}), 404, 'and cannot be used again');
		const fresh = new Client('fresh');
		c.redirect(await fresh.submit('/login', { email: P.new, password: P.u.password }), '/dashboard',
		    'login with the new address');
		c.status(await new Client('stale').submit('/login', { email: P.old, password: P.u.password }), 400,
		    'not with the old one');
		P.u.email = P.new;
	});

	await test('email (16.13): an expired link changes nothing (404)', async (c) => {
		const to = `jmail-late-${UNIQ}@example.org`;
		c.status(await P.u.submit('/account/email', { new_email: to, email_password: P.u.password }), 200, 'asked');
		const tok = ((mailsTo(to)[0]?.body || '').match(LINK) || [])[1];
		sql(`UPDATE email_change SET expires = 1 WHERE account = ${P.id} AND email = ${q(to)}`);
		c.status(await P.u.get(`/account/email/${tok}`), 404, 'expired');
		c.status(await P.u.submit(`/account/email/${tok}`, {}), 404, 'expired');
		c.eq(accountEmail(P.id), P.new, 'unchanged');
	});

	await test('email (16.13): mail to one address is limited as reset links are (429 by the field)', async (c) => {
		const to = `jmail-flood-${UNIQ}@example.org`;
		let r;
		for (let i = 0; i < 8; i++) {
			r = await P.u.submit('/account/email', { new_email: to, email_password: P.u.password });
			if (r.status !== 200) break;
		}
		c.status(r, 429, 'refused after the limit');
		c.has(fieldError(r.text, 'new_email') || '', 'too many messages', 'by the address');
		c.ok(mailsTo(to).length <= 5, `at most the limit mailed: ${mailsTo(to).length}`);
	});
}
