// A whole INfancy Onward renewal cycle (2025-2027) with a fixed clock:
// endorsees log hours on the web, reminders go out on their dates (from
// `endorse tick` and from the scheduler inside `endorse serve`), Ann
// attests, is drawn for audit, has an entry rejected and cures it; Ben
// does not renew, lapses when the window closes and is reinstated after
// making the hours up; Cara, endorsed in 2027, owes nothing and goes
// inactive; an Emerging ERS add-on is reminded and lapses at its deadline.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import { Server, TMP } from '../lib/server.mjs';
import { person, relogin } from '../lib/fixtures.mjs';

const srv = await new Server('walk').init();
const { test, sql, one, q, Client, counts, setSuite } = srv.lib;
setSuite('renewal');
const A = 'infancy-onward';
const PDF = Buffer.from('%PDF-1.4\n% evidence\n%%EOF\n');

function entryForm(kind, f) {
	return { association: A, kind, ...f };
}
async function logEntry(u, kind, f) {
	return u.submit('/renewal/log', entryForm(kind, f));
}
async function verdict(u, number) {
	const r = await u.get('/api/v1/renewal', { bearer: u.token });
	const e = (r.json()?.endorsements || []).find((x) => x.number === number);
	return e;
}
function req(v, id) {
	return (v?.renewal?.requirements || []).find((x) => x.id === id);
}
function subjects(addr, after = 0) {
	return srv.mailTo(addr, after).map((m) => m.subject);
}

// The bit of an endorsement in its association's status list of purpose
// (issue 19, docs/credentials.md), read as a verifier would: the index
// from the credential, the list's signature checked with node's own
// Ed25519 against the served JWKS, the bitstring gunzipped.
async function statusBit(number, purpose) {
	const pub = new Client('status');
	const part = (jwt, i) => JSON.parse(Buffer.from(jwt.split('.')[i], 'base64url'));
	const cred = part((await pub.get(`/api/v1/credentials/${number}`)).text.trim(), 1);
	const entry = cred.credentialStatus.find((x) => x.statusPurpose === purpose);
	const list = (await pub.get(new URL(entry.statusListCredential).pathname)).text.trim();
	const jwk = (await pub.get('/.well-known/jwks.json')).json().keys
	    .find((k) => k.kid === part(list, 0).kid);
	const [h, p, sig] = list.split('.');
	if (!jwk || !crypto.verify(null, Buffer.from(`${h}.${p}`), crypto.createPublicKey({ key: jwk, format: 'jwk' }),
	    Buffer.from(sig, 'base64url')))
		return 'bad signature';
	const bits = zlib.gunzipSync(Buffer.from(part(list, 1).credentialSubject.encodedList, 'base64url'));
	const i = Number(entry.statusListIndex);
	return (bits[Math.floor(i / 8)] & (0x80 >> (i % 8))) !== 0;
}

let ann, ben, cara, coord;

// ------------------------------------------------- 2025-03-01: the start
await srv.start('2025-03-01');
await test('2025: endorsees with accounts, memberships and imported endorsements', async (c) => {
	ann = await person(srv, 'Ann Adams', 'ann@renewal.example');
	ben = await person(srv, 'Ben Brown', 'ben@renewal.example');
	cara = await person(srv, 'Cara Cole', 'cara@renewal.example');
	const imp = srv.importEndorsees(A, [
		{ number: 'IN-2024-0101', name: 'Ann Adams', email: ann.email,
		    category: 'IFS', since: '2024-06-01' },
		{ number: 'IN-2025-0102', name: 'Ben Brown', email: ben.email,
		    category: 'IMHS', since: '2025-02-01' },
	]);
	c.eq(imp.status, 0, `import: ${imp.stderr}`);
	for (const u of [ann, ben]) {
		await relogin(u);
		c.redirect(await u.submit('/membership', { term: `${A}/individual-3`,
		    start: '2025-01-01' }), '/membership', `${u.name} membership`);
	}
	c.eq(one(`SELECT end FROM membership WHERE account = (SELECT id FROM ` +
	    `account WHERE email = ${q(ann.email)})`), '2027-12-31',
	    'a 3-year membership bought in January ends 2027-12-31');
	coord = new Client('coordinator');
	Object.assign(coord, srv.coordinators[A]);
	c.ok(coord.email, 'the coordinator was printed at the first start');
	await relogin(coord);
});

await test('2025: the renewal page shows the cycle, the window and what is owed', async (c) => {
	const r = await ann.get('/renewal');
	c.status(r, 200, 'renewal page');
	c.has(r.text, 'Renewal cycle 2027: the window is October 1, 2027 to December 31, 2027',
	    'cycle and window from the rule set');
	c.has(r.text, 'IN-2024-0101', 'her endorsement');
	const v = await verdict(ann, 'IN-2024-0101');
	c.eq(v?.renewal?.years_endorsed, 3, 'endorsed 3 whole years at 2027-12-31');
	c.eq(req(v, 'renewal.training')?.need, 45, 'needs 45 hours of training');
	c.eq(req(v, 'renewal.rsc')?.need, 36, 'needs 36 hours of RSC');
	const b = await verdict(ben, 'IN-2025-0102');
	c.eq(b?.renewal?.years_endorsed, 2, 'Ben: 2 whole years (since 2025-02-01)');
	c.eq(req(b, 'renewal.training')?.need, 30, 'Ben: 30 hours, prorated');
	c.eq(b?.renewal?.met, false, 'nothing logged: not met');
});

await test('2025: logging training, twice 3 hours is 6; a bad entry names its field', async (c) => {
	c.redirect(await logEntry(ann, 'training', { title: 'Attachment basics',
	    date: '2025-02-15', hours: '3', role: 'attended' }),
	    '/renewal#log-infancy-onward', 'first entry');
	const v1 = await verdict(ann, 'IN-2024-0101');
	c.redirect(await logEntry(ann, 'training', { title: 'Attachment basics II',
	    date: '2025-02-20', hours: '3', role: 'attended' }),
	    '/renewal#log-infancy-onward', 'second entry');
	const v2 = await verdict(ann, 'IN-2024-0101');
	c.eq(req(v1, 'renewal.training')?.have, 3, 'one entry: 3');
	c.eq(req(v2, 'renewal.training')?.have, 6, 'two entries: 6');
	const before = one('SELECT count(*) FROM log_entry');
	const bad = await logEntry(ann, 'training', { title: 'No date',
	    date: '2025-13-45', hours: '2', role: 'attended' });
	c.status(bad, 400, 'bad date');
	c.has(bad.text, 'Date', 'the message names the field');
	c.eq(one('SELECT count(*) FROM log_entry'), before, 'nothing stored');
	const old = await logEntry(ann, 'training', { title: 'Before the cycle',
	    date: '2024-11-10', hours: '5', role: 'attended' });
	c.redirect(old, '/renewal#log-infancy-onward', 'an old entry is logged');
	const v3 = await verdict(ann, 'IN-2024-0101');
	c.eq(req(v3, 'renewal.training')?.have, 6, 'but does not count');
	c.ok((req(v3, 'renewal.training')?.excluded || []).some((x) =>
	    /dated before January 1, 2025/.test(x.why)), 'and the page says why');
	const page = await ann.get('/renewal');
	c.has(page.text, 'Before the cycle', 'the reason names the entry');
	// The log is Ann's: Ben cannot read, edit or delete her entries.
	const id = one(`SELECT max(id) FROM log_entry`);
	await relogin(ben);
	c.status(await ben.get(`/renewal/log/${id}`), 404, "Ben reads Ann's entry");
	c.status(await ben.submit(`/renewal/log/${id}/delete`), 404,
	    "Ben deletes Ann's entry");
	c.eq(one(`SELECT count(*) FROM log_entry WHERE id = ${id}`), 1, 'still there');
	// And a coordinator's log form is refused (no endorsement held).
	c.status(await coord.submit('/renewal/log', entryForm('training', {
	    title: 'x', date: '2025-02-01', hours: '1', role: 'attended' })), 400,
	    'no endorsement: no log');
	// A typo is undone: edit, then delete.
	c.redirect(await ann.submit(`/renewal/log/${id}`, { title: 'Before the cycle',
	    date: '2025-01-10', hours: '4', role: 'attended' }),
	    '/renewal#log-infancy-onward', 'edit the date into the cycle');
	c.eq(req(await verdict(ann, 'IN-2024-0101'), 'renewal.training')?.have, 10,
	    'now it counts: 3 + 3 + 4');
	c.redirect(await ann.submit(`/renewal/log/${id}/delete`),
	    '/renewal#log-infancy-onward', 'delete it');
	c.eq(req(await verdict(ann, 'IN-2024-0101'), 'renewal.training')?.have, 6,
	    'deleted: 6 again');
});
await srv.stop();

// ------------------------------------------------- 2026-06-01: the middle
await srv.start('2026-06-01');
await test('2026: caps on provided training, RSC from qualified providers only', async (c) => {
	await relogin(ann);
	await logEntry(ann, 'training', { title: 'Taught a workshop',
	    date: '2026-03-01', hours: '30', role: 'provided' });
	const v = await verdict(ann, 'IN-2024-0101');
	c.eq(req(v, 'renewal.training')?.have, 28.5,
	    '6 attended + provided capped at 50% of 45 = 22.5');
	await logEntry(ann, 'rsc_received', { provider: 'Robin Roe',
	    provider_endorsements: 'IMHM-C', format: 'individual',
	    start: '2026-01-01', end: '2026-05-31', hours: '24', focus: 'practice' });
	await logEntry(ann, 'rsc_received', { provider: 'Pat Peer',
	    provider_endorsements: 'IFS', format: 'group',
	    start: '2026-01-01', end: '2026-05-31', hours: '10', focus: 'practice' });
	const v2 = await verdict(ann, 'IN-2024-0101');
	c.eq(req(v2, 'renewal.rsc')?.have, 24, 'only the qualified provider counts');
	c.ok((req(v2, 'renewal.rsc')?.excluded || []).some((x) =>
	    /qualifying endorsement/.test(x.why)), 'the other says why');
});
await test('2026: no attestation outside the window', async (c) => {
	const id = one(`SELECT id FROM endorsement WHERE number = 'IN-2024-0101'`);
	const r = await ann.submit(`/endorsements/${id}/attest`, { hours: 'yes',
	    ethics: 'yes', membership: 'yes' });
	c.status(r, 409, 'window not open');
	c.has(r.text, 'not open yet', 'says so');
	c.eq(one('SELECT count(*) FROM renewal'), 0, 'nothing stored');
});
await srv.stop();

// ------------------------------------------------- 2027: the renewal year
await srv.start('2027-05-01');
await test('2027-05: Cara is endorsed inside the cycle and owes nothing', async (c) => {
	cara.jar.clear();
	const imp = srv.importEndorsees(A, [{ number: 'IN-2027-0103',
	    name: 'Cara Cole', email: cara.email, category: 'IFS',
	    since: '2027-05-01' }]);
	c.eq(imp.status, 0, `import: ${imp.stderr}`);
	const v = await verdict(cara, 'IN-2027-0103');
	c.eq(v?.renewal?.required, false, 'less than a year at the deadline');
	c.eq(v?.renewal?.met, true, 'so met');
});
await srv.stop();

await test('2027-09-30: the day before the window, no reminder', async (c) => {
	const t = srv.tick('2027-09-30');
	c.eq(t.status, 0, `tick: ${t.stderr}`);
	c.has(t.stdout, '0 reminders queued', t.stdout);
	c.eq(subjects(ann.email).filter((s) => /window opens/.test(s)).length, 0,
	    'none yet');
});

// The scheduler inside serve sends the window reminders on October 1.
await srv.start('2027-10-01', 1);
await test('2027-10-01: the scheduler in serve sends the window reminder, once', async (c) => {
	let got = [];
	for (let i = 0; i < 100 && got.length < 2; i++) {
		got = sql(`SELECT recipient FROM outbox WHERE subject LIKE '%window opens%'`);
		await new Promise((r) => setTimeout(r, 100));
	}
	c.eq(got.map((x) => x.recipient).sort(), [ann.email, ben.email],
	    'Ann and Ben are reminded; Cara owes nothing this cycle');
	await new Promise((r) => setTimeout(r, 1500));	// a few more ticks
	c.eq(one(`SELECT count(*) FROM outbox WHERE subject LIKE '%window opens%'`),
	    2, 'every tick after sends nothing again');
	const body = srv.mailTo(ann.email).find((m) => /window opens/.test(m.subject));
	c.has(body?.body || '', 'not yet', 'the reminder says what is still short');
});
await srv.stop();
await test('2027-10-01: endorse tick the same day sends nothing again', async (c) => {
	const t = srv.tick('2027-10-01');
	c.has(t.stdout, 'tick 2027-10-01: 0 reminders queued', t.stdout);
});

await test('2027-11-01: 60 days before the deadline', async (c) => {
	const before = srv.lastMail();
	const t = srv.tick('2027-11-01');
	c.has(t.stdout, '2 reminders queued', t.stdout);
	c.eq(subjects(ann.email, before), ['Renewal of IN-2024-0101: 60 days left'],
	    'Ann');
	c.eq(subjects(ben.email, before), ['Renewal of IN-2025-0102: 60 days left'],
	    'Ben');
	c.eq(subjects(cara.email, before), [], 'not Cara');
});

await srv.start('2027-11-02');
const annEnd = one(`SELECT id FROM endorsement WHERE number = 'IN-2024-0101'`);
const benEnd = one(`SELECT id FROM endorsement WHERE number = 'IN-2025-0102'`);
await test('2027-11: Ann completes her hours and attests', async (c) => {
	await relogin(ann);
	let r = await ann.submit(`/endorsements/${annEnd}/attest`, { hours: 'yes',
	    ethics: 'yes', membership: 'yes' });
	c.status(r, 409, 'not enough hours yet');
	c.has(r.text, 'cannot be renewed yet', 'says so');
	c.has(r.text, 'hours of training', 'and what is short');
	await logEntry(ann, 'training', { title: 'DEI in home visiting',
	    date: '2027-10-15', hours: '17', topics: 'dei', role: 'attended' });
	await logEntry(ann, 'rsc_received', { provider: 'Robin Roe',
	    provider_endorsements: 'IMHM-C', format: 'group',
	    start: '2027-03-01', end: '2027-10-31', hours: '12', focus: 'practice' });
	const v = await verdict(ann, 'IN-2024-0101');
	c.eq(v?.renewal?.met, true, `met now: ${JSON.stringify(v?.renewal?.requirements?.map((x) => [x.id, x.have, x.need]))}`);
	r = await ann.submit(`/endorsements/${annEnd}/attest`, { hours: 'yes',
	    membership: 'yes' });
	c.status(r, 400, 'a box left unticked');
	c.has(r.text, 'ethics', 'names the field');
	c.eq(one('SELECT count(*) FROM renewal'), 0, 'nothing stored');
	const before = srv.lastMail();
	r = await ann.submit(`/endorsements/${annEnd}/attest`, { hours: 'yes',
	    ethics: 'yes', membership: 'yes' });
	c.redirect(r, '/renewal', 'attested');
	c.eq(one(`SELECT status FROM renewal WHERE endorsement = ${annEnd}`),
	    'attested', 'stored');
	c.eq(subjects(ann.email, before), ['IN-2024-0101 renewed for 2027'],
	    'a confirmation');
	c.status(await ann.submit(`/endorsements/${annEnd}/attest`, { hours: 'yes',
	    ethics: 'yes', membership: 'yes' }), 409, 'twice: refused');
	c.eq(one(`SELECT count(*) FROM audit WHERE what = 'renewal' AND action = 'attest'`),
	    1, 'one audit row');
	// What was attested stays as it was; more can be logged.
	const attested = one(`SELECT min(id) FROM log_entry WHERE account = (SELECT id FROM ` +
	    `account WHERE email = '${ann.email}') AND start >= 20089`);	/* 2025-01-01 */
	r = await ann.submit(`/renewal/log/${attested}/delete`);
	c.status(r, 409, 'an attested entry cannot be deleted');
	c.has(r.text, 'attested for a renewal', 'says why');
	c.status(await ann.submit(`/renewal/log/${attested}`, { title: 'x', date: '2026-01-01',
	    hours: '99', role: 'attended' }), 409, 'nor changed');
	// The membership the attestation relied on is locked as well.
	const member = one(`SELECT id FROM membership WHERE account = (SELECT id FROM ` +
	    `account WHERE email = '${ann.email}')`);
	r = await ann.submit(`/membership/${member}/delete`);
	c.status(r, 409, 'an attested membership cannot be deleted');
	c.has(r.text, 'relied on it', 'says why');
	c.eq(one(`SELECT count(*) FROM membership WHERE id = ${member}`), 1, 'kept');
	// Nor does a portfolio replaced whole (the API PUT) remove it.
	const app = (await ann.post('/api/v1/applications', { bearer: ann.token,
	    json: { association: A, category: 'IMHS' } })).json()?.id;
	r = await ann.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: ann.token,
	    json: { format: 'endorse-portfolio/1', association: A, category: 'IMHS',
	    membership: [{ start: '2025-01-01', end: '2027-12-31' },
	    { start: '2028-01-01', end: '2028-12-31' }] } });
	c.status(r, 200, 'a portfolio PUT');
	c.eq(one(`SELECT count(*) FROM membership WHERE id = ${member}`), 1,
	    'the locked membership stays');
	c.eq(one(`SELECT count(*) FROM membership WHERE account = (SELECT account FROM ` +
	    `membership WHERE id = ${member})`), 2, 'the same term is not stored twice; the new one is');
	r = await ann.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: ann.token,
	    json: { format: 'endorse-portfolio/1', association: A, category: 'IMHS', membership: [] } });
	c.status(r, 200, 'a portfolio PUT without memberships');
	c.eq(one(`SELECT count(*) FROM membership WHERE id = ${member}`), 1,
	    'the locked membership still stays');
	const n = one('SELECT count(*) FROM log_entry');
	c.redirect(await logEntry(ann, 'training', { title: 'After attesting',
	    date: '2027-11-01', hours: '1', role: 'attended' }), '/renewal#log-infancy-onward',
	    'a new entry can be logged');
	c.eq(one('SELECT count(*) FROM log_entry'), n + 1, 'stored');
});
await test('2027-11: Ben, short of hours, cannot attest', async (c) => {
	await relogin(ben);
	const r = await ben.submit(`/endorsements/${benEnd}/attest`, { hours: 'yes',
	    ethics: 'yes', membership: 'yes' });
	c.status(r, 409, 'refused');
	c.has(r.text, 'of 30 hours of training', 'what is short');
});

let renewalId;
await test('2027-11: the coordinator sees who renewed and draws an audit', async (c) => {
	await relogin(coord);
	let r = await coord.get('/coordinator/renewals');
	c.status(r, 200, 'renewals page');
	c.has(r.text, 'Ben Brown', 'Ben is listed as not renewed');
	c.lacks(r.text, 'Ann Adams (', 'Ann is not (she renewed)');
	r = await coord.get('/coordinator/renewals?show=all');
	c.has(r.text, 'Ann Adams', 'all: Ann too');
	c.status(await coord.submit('/coordinator/renewals/draw', { cycle: '2027',
	    percent: '0' }), 400, 'a bad percentage');
	c.status(await coord.submit('/coordinator/renewals/draw', { cycle: '2027',
	    percent: '10', seed: 'not hex' }), 400, 'a bad seed');
	c.eq(one('SELECT count(*) FROM audit_draw'), 0, 'nothing drawn');
	const before = srv.lastMail();
	r = await coord.submit('/coordinator/renewals/draw', { cycle: '2027',
	    percent: '50', seed: '00000000c0ffee00' });
	c.redirect(r, /^\/coordinator\/renewals\?cycle=2027/, 'drawn');
	c.eq(sql('SELECT percent, seed, population, drawn FROM audit_draw'),
	    [{ percent: 50, seed: '00000000c0ffee00', population: 1, drawn: 1 }],
	    'the draw and its seed are recorded');
	renewalId = one(`SELECT id FROM renewal WHERE endorsement = ${annEnd}`);
	c.eq(one(`SELECT status FROM renewal WHERE id = ${renewalId}`), 'audit',
	    'Ann is drawn');
	c.eq(subjects(ann.email, before), ['Your 2027 renewal is drawn for audit'],
	    'and told');
	c.eq(one(`SELECT count(*) FROM audit_item WHERE renewal = ${renewalId}`), 8,
	    'every entry of the cycle is under audit (not the 2024 one)');
	c.status(await coord.submit('/coordinator/renewals/draw', { cycle: '2027',
	    percent: '50' }), 409, 'one draw per cycle');
	r = await coord.get('/coordinator/renewals?cycle=2027');
	c.has(r.text, '00000000c0ffee00', 'the seed is shown');
});

await test('2027-11: Ann uploads evidence; entries under audit are locked', async (c) => {
	const ids = sql(`SELECT entry FROM audit_item WHERE renewal = ${renewalId} ORDER BY entry`)
	    .map((x) => x.entry);
	for (const id of ids) {
		const r = await ann.submitMultipart(`/renewal/log/${id}/evidence`,
		    (fd) => fd.append('file', new Blob([PDF]), `certificate-${id}.pdf`));
		c.redirect(r, '/renewal#log-infancy-onward', `evidence ${id}`);
	}
	const bad = await ann.submitMultipart(`/renewal/log/${ids[0]}/evidence`,
	    (fd) => fd.append('file', new Blob(['just text']), 'notes.txt'));
	c.status(bad, 400, 'not a PDF or image');
	c.has(bad.text, 'file', 'names the field');
	c.status(await ann.submit(`/renewal/log/${ids[0]}/delete`), 409,
	    'an entry under audit cannot be deleted');
	c.status(await ann.submit(`/renewal/log/${ids[0]}`, { title: 'x',
	    date: '2027-01-01', hours: '99', role: 'attended' }), 409,
	    'nor changed');
	const got = await coord.get(`/coordinator/evidence/${ids[0]}`);
	c.status(got, 200, 'the coordinator reads the evidence');
	c.ok(got.buf.equals(PDF), 'the same bytes');
	c.status(await ben.get(`/renewal/log/${ids[0]}/evidence`), 404,
	    "Ben cannot read Ann's evidence");
});

await test('2027-11: one entry rejected, the audit fails with a deadline', async (c) => {
	const items = sql(`SELECT i.entry, l.kind, l.data FROM audit_item i JOIN ` +
	    `log_entry l ON l.id = i.entry WHERE renewal = ${renewalId} ORDER BY i.entry`);
	const rsc = items.find((x) => x.kind === 'rsc_received' &&
	    JSON.parse(x.data).hours === 24);
	c.status(await coord.submit(`/coordinator/renewals/${renewalId}/items/${rsc.entry}`,
	    { decision: 'reject' }), 400, 'a rejection needs a note');
	const before = srv.lastMail();
	for (const it of items) {
		const rej = it.entry === rsc.entry;
		const r = await coord.submit(`/coordinator/renewals/${renewalId}/items/${it.entry}`,
		    rej ? { decision: 'reject', note: 'The letter is not signed by the provider' } :
		    { decision: 'accept' });
		c.redirect(r, `/coordinator/renewals/${renewalId}`, `decide ${it.entry}`);
	}
	c.eq(sql(`SELECT status, cure_by FROM renewal WHERE id = ${renewalId}`),
	    [{ status: 'cure', cure_by: '2027-12-02' }],
	    'without those 24 hours RSC is short: 30 days to cure');
	const m = srv.mailTo(ann.email, before);
	c.eq(m.map((x) => x.subject), ['Your 2027 renewal audit: action needed by December 2, 2027'],
	    'Ann is told');
	c.has(m[0]?.body || '', 'hours of RSC received', 'what is short');
	const page = await ann.get('/renewal');
	c.has(page.text, 'The letter is not signed by the provider', 'the note is shown');
	c.has(page.text, 'audit failed: to be put right, by December 2, 2027', 'and the deadline');
	// Issue 16, point 4: the page shows the audited verdict (accepted
	// entries only) and what is short, never the verdict on the whole log.
	c.ok(!page.text.includes('Every renewal requirement is met'),
	    'no "every requirement is met" under a failed audit');
	c.has(page.text, 'Judged on the entries accepted in the audit: not every renewal requirement is met',
	    'the audited verdict');
	c.ok(/Not met: <\/span>\d+ of 36 hours of RSC received/.test(page.text),
	    'the shortfall on the page: RSC received, counted on the accepted entries');
	c.has(page.text, 'To put the audit right by December 2, 2027', 'what to do, and by when');
	// A new entry of the cycle, with its evidence, joins the audit.
	// (dated on or before the server's day, 2027-11-02: a date in the
	// future is refused)
	c.redirect(await logEntry(ann, 'training', { title: 'Cure: reflective practice',
	    date: '2027-11-02', hours: '2', role: 'attended' }),
	    '/renewal#log-infancy-onward', 'a new entry during the cure');
	const added = one(`SELECT max(id) FROM log_entry`);
	c.eq(one(`SELECT status FROM audit_item WHERE entry = ${added} AND renewal = ${renewalId}`),
	    'pending', 'the new entry joins the audit');
	c.redirect(await ann.submitMultipart(`/renewal/log/${added}/evidence`,
	    (fd) => fd.append('file', new Blob([PDF]), 'certificate.pdf')),
	    '/renewal#log-infancy-onward', 'its evidence');
	c.redirect(await coord.submit(`/coordinator/renewals/${renewalId}/items/${added}`,
	    { decision: 'accept' }), `/coordinator/renewals/${renewalId}`, 'the new entry accepted');
	c.eq(one(`SELECT status FROM renewal WHERE id = ${renewalId}`), 'cure',
	    'RSC is still short: still to be put right');
	// Ann cures it: a new, signed letter.
	const r = await ann.submitMultipart(`/renewal/log/${rsc.entry}/evidence`,
	    (fd) => fd.append('file', new Blob([PDF]), 'signed-letter.pdf'));
	c.redirect(r, '/renewal#log-infancy-onward', 'new evidence');
	c.eq(one(`SELECT status FROM audit_item WHERE entry = ${rsc.entry}`), 'pending',
	    'asks the coordinator again');
	const b2 = srv.lastMail();
	c.redirect(await coord.submit(`/coordinator/renewals/${renewalId}/items/${rsc.entry}`,
	    { decision: 'accept' }), `/coordinator/renewals/${renewalId}`, 'accepted');
	c.eq(one(`SELECT status FROM renewal WHERE id = ${renewalId}`), 'renewed',
	    'the audit passed');
	c.eq(subjects(ann.email, b2), ['Your 2027 renewal audit passed'], 'Ann is told');
});
await test('2027: Ben\'s credential is in force: no bit set in the status lists', async (c) => {
	c.eq(await statusBit('IN-2025-0102', 'suspension'), false, 'suspension bit');
	c.eq(await statusBit('IN-2025-0102', 'revocation'), false, 'revocation bit');
});
await srv.stop();

await test('2027-12-01: 30-day reminder to Ben; memberships ending', async (c) => {
	const before = srv.lastMail();
	srv.tick('2027-12-01');
	c.eq(subjects(ben.email, before).sort(), ['Renewal of IN-2025-0102: 30 days left',
	    'Your infancy-onward membership ends December 31, 2027'].sort(), 'Ben');
	c.eq(subjects(ann.email, before), ['Your infancy-onward membership ends December 31, 2027'],
	    'Ann renewed: only her membership');
});
await test('2027-12-24: 7-day reminders', async (c) => {
	const before = srv.lastMail();
	srv.tick('2027-12-24');
	c.ok(subjects(ben.email, before).includes('Renewal of IN-2025-0102: 7 days left'),
	    'Ben: 7 days');
	srv.tick('2027-12-25');
	c.eq(srv.mailTo(ben.email, before).length, 2, 'the next day: nothing new');
});

// ------------------------------------------------- 2028: after the deadline
await test('2028-01-01: the window closes itself and Ben lapses', async (c) => {
	const before = srv.lastMail();
	const t = srv.tick('2028-01-01');
	c.has(t.stdout, '1 endorsement lapsed', t.stdout);
	c.eq(sql(`SELECT number, status FROM endorsement ORDER BY number`), [
		{ number: 'IN-2024-0101', status: 'active' },
		{ number: 'IN-2025-0102', status: 'lapsed' },
		{ number: 'IN-2027-0103', status: 'active' }], 'only Ben lapsed');
	c.eq(subjects(ben.email, before), ['Your endorsement IN-2025-0102 has lapsed'],
	    'and is told');
	c.eq(one(`SELECT lapsed FROM renewal_window WHERE cycle = 2027`), 1, 'the window is closed');
	c.has(srv.tick('2028-01-02').stdout, '0 endorsements lapsed', 'once');
});

await srv.start('2028-02-01');
await test('2028: the registry and verification say lapsed', async (c) => {
	const v = await new Client('public').get('/api/v1/verify/IN-2025-0102');
	c.eq(v.json()?.status, 'lapsed', 'verify API');
	const p = await new Client('public').get('/verify/IN-2025-0102');
	c.has(p.text, 'Lapsed', 'verify page');
	c.eq(await statusBit('IN-2025-0102', 'suspension'), true, 'the lapse sets the suspension bit');
	c.eq(await statusBit('IN-2025-0102', 'revocation'), false, 'not revoked');
});
await test('2028: Ben makes the hours up and is reinstated', async (c) => {
	await relogin(ben);
	let r = await ben.submit(`/endorsements/${benEnd}/reinstate`);
	c.status(r, 409, 'the hours are not made up yet');
	c.has(r.text, 'must be made up first', 'says so');
	c.redirect(await ben.submit('/membership', { term: `${A}/individual-1`,
	    start: '2028-01-01' }), '/membership', 'membership renewed');
	await logEntry(ben, 'training', { title: 'Catch-up course',
	    date: '2028-01-20', hours: '30', role: 'attended' });
	await logEntry(ben, 'rsc_received', { provider: 'Robin Roe',
	    provider_endorsements: 'IMHM-C', format: 'individual',
	    start: '2028-01-05', end: '2028-01-30', hours: '24', focus: 'practice' });
	r = await ben.submit(`/endorsements/${benEnd}/reinstate`);
	c.redirect(r, '/renewal', 'asked');
	c.eq(sql(`SELECT status, fee_owed FROM reinstatement`),
	    [{ status: 'requested', fee_owed: 50 }], 'the fee from the rule set');
	c.status(await ben.submit(`/endorsements/${benEnd}/reinstate`), 409, 'once');
	await relogin(coord);
	const list = await coord.get('/coordinator/renewals');
	c.has(list.text, 'IN-2025-0102', 'the coordinator sees the request');
	const rid = one('SELECT id FROM reinstatement');
	c.status(await coord.submit(`/coordinator/reinstatements/${rid}`,
	    { decision: 'refuse' }), 400, 'a refusal needs a note');
	const before = srv.lastMail();
	c.redirect(await coord.submit(`/coordinator/reinstatements/${rid}`,
	    { decision: 'approve' }), '/coordinator/renewals', 'approved');
	c.eq(one(`SELECT status FROM endorsement WHERE id = ${benEnd}`), 'active',
	    'active again');
	c.eq(one(`SELECT status FROM renewal WHERE endorsement = ${benEnd} AND cycle = 2027`),
	    'renewed', 'the 2027 cycle counts as renewed');
	c.eq(subjects(ben.email, before), ['IN-2025-0102: reinstatement approved'], 'told');
	const v = await new Client('public').get('/api/v1/verify/IN-2025-0102');
	c.eq(v.json()?.status, 'active', 'verification says active');
	c.eq(await statusBit('IN-2025-0102', 'suspension'), false, 'the reinstatement clears the bit');
});
await test('2028: Cara asks for inactive status', async (c) => {
	await relogin(cara);
	const id = one(`SELECT id FROM endorsement WHERE number = 'IN-2027-0103'`);
	c.status(await cara.submit(`/endorsements/${id}/inactive`), 400,
	    'without the confirmation box');
	c.redirect(await cara.submit(`/endorsements/${id}/inactive`, { confirm: 'yes' }),
	    '/renewal', 'inactive');
	c.eq(one(`SELECT status FROM endorsement WHERE id = ${id}`), 'inactive', 'stored');
	const v = await new Client('public').get('/api/v1/verify/IN-2027-0103');
	c.eq(v.json()?.status, 'inactive', 'verification says inactive');
	await relogin(ann);
	c.status(await ann.submit(`/endorsements/${id}/inactive`, { confirm: 'yes' }),
	    404, 'not by anyone else');
});
await srv.stop();

// ------------------------------------------------- Emerging ERS
await test('Emerging ERS: reminded before its deadline, lapsed after it', async (c) => {
	const imp = srv.importEndorsees(A, [{ number: 'IN-2028-0104',
	    name: 'Ann Adams', email: ann.email, category: 'ERS',
	    since: '2028-02-01' }], '2028-02-01');
	c.eq(imp.status, 0, `import: ${imp.stderr}`);
	// Issued through the workflow it carries its deadline
	// (workflow.c endorsement_issue); here the deadline is set directly.
	sql(`UPDATE endorsement SET emerging_until = '2030-02-01' WHERE number = 'IN-2028-0104'`);
	let before = srv.lastMail();
	srv.tick('2029-11-02');
	c.eq(subjects(ann.email, before).filter((s) => /Emerging/.test(s)).length, 0,
	    '91 days before: nothing yet');
	srv.tick('2029-11-03');
	c.eq(subjects(ann.email, before).filter((s) => /Emerging/.test(s)),
	    ['Emerging ERS IN-2028-0104: the full requirements are due February 1, 2030'],
	    '90 days before');
	// The body names the category and what it still owes in the rule
	// set's own words (rules/infancy-onward.rules, ERS's full path).
	const body = srv.mailTo(ann.email, before).find((m) => /Emerging/.test(m.subject))?.body || '';
	for (const s of ['Your Endorsed Reflective Supervisor add-on (ERS) IN-2028-0104 has Emerging status',
	    'by February 1, 2030 you need to meet its full requirements (At least 15 hours of training on the ' +
	    'provision of RSC; Provided RSC to infant/child-family ' +
	    'professionals for at least 1 year; 12 hours of RSC from a qualified provider about the RSC provided)'])
		c.ok(body.replace(/\s+/g, ' ').includes(s), `the mail says "${s}": ${body}`);
	before = srv.lastMail();
	srv.tick('2030-02-01');
	c.eq(one(`SELECT status FROM endorsement WHERE number = 'IN-2028-0104'`),
	    'active', 'on the deadline still active');
	srv.tick('2030-02-02');
	c.eq(one(`SELECT status FROM endorsement WHERE number = 'IN-2028-0104'`),
	    'lapsed', 'the day after: lapsed');
	c.ok(subjects(ann.email, before).includes('Your endorsement IN-2028-0104 has lapsed'),
	    'and Ann is told');
});

// ------------------------------------------------- the log's cap
// An endorsee's log in an association holds at most 5000 entries
// (MAX_LOG_ENTRIES, page-renew.c), counted in the transaction that adds:
// 24 saves at once on a log of 4998 store exactly two.
await srv.start('2028-03-01');
await test('the log takes 5000 entries and no more, on the page and the API', async (c) => {
	await relogin(ann);
	const acct = one(`SELECT id FROM account WHERE email = ${q(ann.email)}`);
	const count = () => one(`SELECT count(*) FROM log_entry WHERE account = ${acct} ` +
	    `AND association = ${q(A)}`);
	const data = JSON.stringify({ title: 'Filler', date: '2028-01-02', hours: 1, role: 'attended' });
	sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${4998 - count()})
	    INSERT INTO log_entry (account, association, kind, data, start, rec, created)
	    SELECT ${acct}, ${q(A)}, 'training', ${q(data)}, 0, zeroblob(15), 0 FROM n`);
	c.eq(count(), 4998, '4998 to start');
	const rs = await Promise.all(Array.from({ length: 24 }, (_, k) => logEntry(ann, 'training',
	    { title: `Race ${k}`, date: '2028-02-10', hours: '1', role: 'attended' })));
	const codes = rs.map((r) => r.status).sort();
	c.eq(codes.filter((s) => s === 303).length, 2, `two stored: ${codes}`);
	c.eq(codes.filter((s) => s === 409).length, 22, `22 refused: ${codes}`);
	c.has(rs.find((r) => r.status === 409)?.text || '', 'the log holds its most entries', 'says why');
	c.eq(count(), 5000, 'exactly 5000');
	const r = await ann.post(`/api/v1/log/training?association=${A}`, { bearer: ann.token,
	    json: { title: 'By the API', date: '2028-02-11', hours: 1, role: 'attended' } });
	c.status(r, 409, 'the API refuses too');
	c.eq(r.json()?.error, 'the log holds its most entries', `its error: ${r.text}`);
	c.eq(count(), 5000, 'still 5000');
	sql(`DELETE FROM log_entry WHERE id = (SELECT min(id) FROM log_entry WHERE account = ${acct} ` +
	    `AND data = ${q(data)})`);
	c.redirect(await logEntry(ann, 'training', { title: 'After one went', date: '2028-02-12',
	    hours: '1', role: 'attended' }), '/renewal#log-infancy-onward', 'one gone: the next is stored');
	c.eq(count(), 5000, '5000 again');
});
await srv.stop();

await test('the servers stopped cleanly, no sanitizer report', (c) => {
	c.eq(srv.problems, [], 'server problems');
});
const { pass, fail } = counts();
fs.writeFileSync(path.join(TMP, 'walk.counts'), `${pass} ${fail}\n`);
