// Issue 16, points 5, 6 and 12: an error is shown on the form it came
// from, by its field, in words (no "pdf:" prefix), with what was typed
// kept and the error summary taking the focus (autofocus); a deletion is
// asked on a page first, says what went, and an entry's can be undone;
// the attestation reports every missing box and keeps the ticked ones.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, one, sql, q, errorSummary, checked } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';
import {
	U, PDF, email, register, newApp, addEntry, upload, entryData, entryIds,
} from './common.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
    '0000000d4944415478da63f8ffff3f0005fe02fea7d6a4480000000049454e44ae426082', 'hex');

// The page is the form again, not the dead end.
function onItsForm(c, res, status, what) {
	c.status(res, status, `${what}: status`);
	c.lacks(res.text, 'Go to the start page', `${what}: not the error page`);
	c.lacks(res.text, 'That did not work', `${what}: not the error page's title`);
}
// The words beside the input of id, and the summary linking to it,
// taking the focus.
function byField(c, res, errId, href, words, what) {
	const m = res.text.match(new RegExp(`<p class="error" id="${errId}">` +
	    '<span class="visually-hidden">Error: </span>([^<]*)</p>'));
	c.ok(m && m[1].includes(words), `${what}: "${words}" by the field (${errId}): ${m ? m[1] : 'none'}`);
	const s = errorSummary(res.text) || '';
	c.has(s, `href="#${href}"`, `${what}: the summary links to the field`);
	c.has(s, words, `${what}: the summary says it`);
	c.ok(/class="error-summary" role="alert" tabindex="-1" autofocus/.test(res.text),
	    `${what}: the summary takes the focus`);
}
function noPrefix(c, res, prefixes, what) {
	for (const p of prefixes)
		c.lacks(res.text, `>${p}: `, `${what}: no "${p}:" prefix`);
}
function multipart(u, url, field, buf, name) {
	return u.submitMultipart(url, (fd) => fd.append(field, new Blob([buf]), name));
}

// The attestation needs its window open: a server of this part's own on a
// day of the 2027 window, an endorsee of one whole year with the hours.
async function attestation() {
	const dir = path.join(process.env.HTTP_TMP, 'jerrors');
	fs.mkdirSync(dir, { recursive: true });
	const db = path.join(dir, 'jerrors.db');
	const root = process.env.HTTP_ROOT;
	const srv = await ownServer({ name: 'jerrors', bin: process.env.HTTP_BIN, root, db,
	    rules: path.join(root, 'rules'), env: { ...process.env, ENDORSE_NOW: '2027-06-01' } });
	try {
		const u = new Client('attest', srv.base);
		const mail = email('attest');
		await u.submit('/register', { name: 'Ana Attest', email: mail, password: 'a long password',
		    association: 'vaimh' });
		await u.submit('/login', { email: mail, password: 'a long password' });
		const csv = path.join(dir, 'e.csv');
		fs.writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
		    `VA-ATT-1,Ana Attest,${mail},IFS,2026-06-01,active,\n`);
		const imp = spawnSync(process.env.HTTP_BIN, ['import', 'endorsees', '--db', db,
		    '--association', 'vaimh', '--rules', path.join(root, 'rules'), csv], { encoding: 'utf8' });
		await u.submit('/membership', { term: 'vaimh/individual-1', start: '2026-06-01' });
		await u.submit('/membership', { term: 'vaimh/individual-1', start: '2027-01-01' });
		await u.submit('/renewal/log', { association: 'vaimh', kind: 'training', title: 'Attest training',
		    date: '2027-03-01', hours: '16', role: 'attended' });
		await u.submit('/renewal/log', { association: 'vaimh', kind: 'rsc_received', provider: 'Robin Roe',
		    provider_endorsements: 'IMHM-C', format: 'group', start: '2027-01-10', end: '2027-05-31',
		    hours: '12', focus: 'practice' });
		const endo = Number(spawnSync('sqlite3', [db, "SELECT id FROM endorsement WHERE number = 'VA-ATT-1'"],
		    { encoding: 'utf8' }).stdout.trim());
		await test('jerrors 12: the attestation reports every missing box and keeps the ticked one', async (c) => {
			c.eq(imp.status, 0, `import: ${imp.stderr}`);
			const page = await u.get('/renewal');
			c.has(page.text, `action="/endorsements/${endo}/attest"`, 'the attestation form is offered');
			const r = await u.submit(`/endorsements/${endo}/attest`, { ethics: 'yes' });
			onItsForm(c, r, 400, 'attest');
			byField(c, r, `hours-${endo}-error`, `hours-${endo}`, 'confirm the training and RSC', 'hours');
			byField(c, r, `membership-${endo}-error`, `membership-${endo}`, 'confirm your membership',
			    'membership');
			c.lacks(r.text, `id="ethics-${endo}-error"`, 'no error for the ticked box');
			c.eq(checked(r.text, `ethics-${endo}`), true, 'the ticked box stays ticked');
			c.eq(checked(r.text, `hours-${endo}`), false, 'the others stay unticked');
			noPrefix(c, r, ['hours', 'membership'], 'attest');
		});
	} finally {
		const code = await srv.stop();
		await test('jerrors: the part\'s own server exits 0 on SIGTERM, no sanitizer report', (c) => {
			c.eq(code, 0, 'exit status');
			c.ok(!/Sanitizer|runtime error/.test(srv.err), srv.err.slice(0, 500));
		});
	}
}

export async function run() {
	const A = await register('JE', 'Jo Errors', email('jerrors'), 'vaimh');
	const app = await newApp(A, 'vaimh/IFS');
	const edu = await addEntry(A, app, 'education', { level: 'bachelor', degree: 'BSW',
	    field: 'Social Work', institution: 'Errors University', conferred: '2015-05-20' });

	// ---------------------------------------------------------- point 5
	await test('jerrors 5: a transcript upload without a file is shown on the tab by its input', async (c) => {
		const r = await A.submitMultipart(`/applications/${app}/entries/${edu}/transcript`,
		    (fd) => fd.append('other', 'x'));
		onItsForm(c, r, 400, 'no file');
		byField(c, r, `entry-${edu}-error`, `pdf-${edu}`, 'choose a PDF file of the transcript', 'no file');
		c.has(r.text, `aria-describedby="entry-${edu}-error"`, 'the file input is described by the error');
		noPrefix(c, r, ['pdf'], 'no file');
	});
	await test('jerrors 5: a PNG for a transcript is refused on the tab by its input', async (c) => {
		const r = await multipart(A, `/applications/${app}/entries/${edu}/transcript`, 'pdf', PNG, 'scan.png');
		onItsForm(c, r, 400, 'PNG');
		byField(c, r, `entry-${edu}-error`, `pdf-${edu}`, 'the file is not a PDF document', 'PNG');
		noPrefix(c, r, ['pdf'], 'PNG');
		c.eq(one(`SELECT count(*) FROM transcript WHERE entry = ${edu}`), 0, 'nothing stored');
	});
	await test('jerrors 5: asking yourself for a rating is refused on the references tab', async (c) => {
		const ref = await addEntry(A, app, 'references', { name: 'Jo Errors', email: A.email,
		    relationship: 'colleague' });
		const r = await A.submit(`/applications/${app}/entries/${ref}/request`);
		onItsForm(c, r, 400, 'self rating');
		byField(c, r, `entry-${ref}-error`, `ask-${ref}`, 'you cannot rate yourself', 'self rating');
		noPrefix(c, r, ['email'], 'self rating');
		c.eq(one(`SELECT count(*) FROM rating WHERE application = ${app}`), 0, 'no request');
	});
	await test('jerrors 5: a bad import file is shown on the application page by its input', async (c) => {
		let r = await A.submitMultipart(`/applications/${app}/import`, (fd) => fd.append('x', 'y'));
		onItsForm(c, r, 400, 'no file');
		byField(c, r, 'f-portfolio-error', 'f-portfolio', 'choose the portfolio file', 'no import file');
		noPrefix(c, r, ['portfolio'], 'no import file');
		r = await multipart(A, `/applications/${app}/import`, 'portfolio', Buffer.from('{"oops": '), 'p.json');
		onItsForm(c, r, 400, 'not JSON');
		byField(c, r, 'f-portfolio-error', 'f-portfolio', 'not a portfolio file', 'not JSON');
		noPrefix(c, r, ['portfolio'], 'not JSON');
		c.ok(entryData(edu) !== undefined, 'nothing changed');
	});

	// An endorsee of vaimh with a log entry: evidence, attestation, audit.
	const csv = path.join(process.env.HTTP_TMP, 'jerrors-endorsees.csv');
	fs.writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
	    `VA-JERR-1,Jo Errors,${A.email},IFS,2024-01-01,active,\n`);
	const imp = spawnSync(process.env.HTTP_BIN, ['import', 'endorsees', '--db', process.env.HTTP_DB,
	    '--association', 'vaimh', '--rules', path.join(process.env.HTTP_ROOT, 'rules'), csv],
	    { encoding: 'utf8' });
	const endo = Number(one("SELECT id FROM endorsement WHERE number = 'VA-JERR-1'"));
	await A.submit('/renewal/log', { association: 'vaimh', kind: 'training', title: 'Errors log',
	    date: '2026-06-01', hours: '3', role: 'attended' });
	const log = Number(one(`SELECT max(id) FROM log_entry WHERE data LIKE '%Errors log%'`));
	await test('jerrors 5: a bad evidence upload is shown on the renewal page by its input', async (c) => {
		c.eq(imp.status, 0, `import: ${imp.stderr}`);
		c.ok(endo > 0 && log > 0, `endorsement ${endo}, log entry ${log}`);
		let r = await A.submitMultipart(`/renewal/log/${log}/evidence`, (fd) => fd.append('x', 'y'));
		onItsForm(c, r, 400, 'no evidence file');
		byField(c, r, `ev-${log}-error`, `ev-${log}`, 'choose the file of the evidence', 'no evidence file');
		noPrefix(c, r, ['file'], 'no evidence file');
		r = await multipart(A, `/renewal/log/${log}/evidence`, 'file', Buffer.from('just some text'), 'notes.txt');
		onItsForm(c, r, 400, 'a text file');
		c.ok(new RegExp(`<p class="error" id="ev-${log}-error">`).test(r.text), 'a text file: by the field');
		noPrefix(c, r, ['file'], 'a text file');
		c.eq(one(`SELECT count(*) FROM evidence WHERE entry = ${log}`), 0, 'nothing stored');
	});
	await test('jerrors 5: rejecting evidence without a note is shown on the audit page by the note', async (c) => {
		const now = Math.floor(Date.now() / 1000);
		sql(`INSERT INTO renewal (endorsement, cycle, status, changed) VALUES (${endo}, 2027, 'audit', ${now})`);
		const ren = Number(one(`SELECT id FROM renewal WHERE endorsement = ${endo} AND cycle = 2027`));
		sql(`INSERT INTO audit_item (renewal, entry) VALUES (${ren}, ${log})`);
		const r = await U.cSame.submit(`/coordinator/renewals/${ren}/items/${log}`,
		    { decision: 'reject', note: '' });
		onItsForm(c, r, 400, 'reject without a note');
		byField(c, r, `n-${log}-error`, `n-${log}`, 'say why the evidence is rejected', 'reject without a note');
		noPrefix(c, r, ['note'], 'reject without a note');
		c.eq(one(`SELECT status FROM audit_item WHERE renewal = ${ren}`), 'pending', 'nothing decided');
		const long = 'x'.repeat(2001);
		const r2 = await U.cSame.submit(`/coordinator/renewals/${ren}/items/${log}`,
		    { decision: 'reject', note: long });
		onItsForm(c, r2, 400, 'a note too long');
		c.has(r2.text, `value="${long}"`, 'what was typed is kept');
	});

	// ---------------------------------------------------------- point 12
	await attestation();
	await test('jerrors 12: a failed entry form puts the focus on its error summary', async (c) => {
		const r = await A.submit(`/applications/${app}/tab/training`, { title: '' });
		c.status(r, 400, 'refused');
		c.ok(/class="error-summary" role="alert" tabindex="-1" autofocus/.test(r.text), 'autofocus on the summary');
	});

	// ---------------------------------------------------------- point 6
	await test('jerrors 6: deleting an entry is asked on a page, said, and can be undone', async (c) => {
		const tr = await addEntry(A, app, 'training', { title: 'Undo Me Training', date: '2021-02-03',
		    hours: '4', role: 'attended' });
		const data = entryData(tr);
		let r = await A.get(`/applications/${app}/tab/training`);
		c.has(r.text, `href="/applications/${app}/entries/${tr}/delete"`, 'the delete button leads to a page');
		c.lacks(r.text, `action="/applications/${app}/entries/${tr}/delete"`, 'no one-click delete');
		r = await A.get(`/applications/${app}/entries/${tr}/delete`);
		c.status(r, 200, 'the confirm page');
		c.has(r.text, 'Undo Me Training', 'names the entry');
		c.has(r.text, `action="/applications/${app}/entries/${tr}/delete"`, 'the confirm form');
		c.has(r.text, 'name="csrf"', 'with its token');
		c.eq(entryData(tr), data, 'asking deletes nothing');
		r = await A.submit(`/applications/${app}/entries/${tr}/delete`);
		c.redirect(r, `/applications/${app}/tab/training?deleted=1#entries`, 'deleted');
		c.eq(entryData(tr), undefined, 'gone');
		r = await A.get(`/applications/${app}/tab/training?deleted=1`);
		c.has(r.text, 'Deleted: Undo Me Training', 'says what was deleted');
		c.has(r.text, `action="/applications/${app}/undo"`, 'offers an undo');
		r = await A.submit(`/applications/${app}/undo`);
		c.redirect(r, `/applications/${app}/tab/training?restored=1#entries`, 'undone');
		const ids = await entryIds(A, app, 'training');
		c.eq(entryData(ids[ids.length - 1]), data, 'the entry is back as it was');
		r = await A.submit(`/applications/${app}/undo`);
		c.status(r, 404, 'nothing more to undo');
	});
	await test('jerrors 6: removing a transcript and a membership is asked on a page', async (c) => {
		await upload(A, app, edu, PDF);
		let r = await A.get(`/applications/${app}/tab/education`);
		c.has(r.text, `href="/applications/${app}/entries/${edu}/transcript/delete"`, 'a link, not a form');
		r = await A.get(`/applications/${app}/entries/${edu}/transcript/delete`);
		c.status(r, 200, 'the confirm page');
		c.has(r.text, 'Errors University', 'names the degree');
		r = await A.submit(`/applications/${app}/entries/${edu}/transcript/delete`);
		c.redirect(r, `/applications/${app}/tab/education?removed=1#entries`, 'removed');
		r = await A.get(`/applications/${app}/tab/education?removed=1`);
		c.has(r.text, 'The transcript was removed.', 'says so');
		// Someone without a renewal (a renewal locks the terms it relied on).
		const M = await register('JM', 'Mo Member', email('jmember'), 'vaimh');
		await M.submit('/membership', { term: 'vaimh/individual-1', start: '2026-02-01' });
		const mem = Number(one(`SELECT max(m.id) FROM membership m JOIN account a ON a.id = m.account WHERE a.email = ${q(M.email)}`));
		r = await M.get('/membership');
		c.has(r.text, `href="/membership/${mem}/delete"`, 'a link, not a form');
		r = await M.get(`/membership/${mem}/delete`);
		c.status(r, 200, 'the confirm page');
		c.has(r.text, '2026-02-01', 'names the membership');
		c.status(await A.get(`/membership/${mem}/delete`), 404, "not someone else's");
		r = await M.submit(`/membership/${mem}/delete`);
		c.redirect(r, '/membership?removed=1', 'removed');
		c.has((await M.get('/membership?removed=1')).text, 'The membership was removed.', 'says so');
	});
	await test('jerrors 6: deleting an application lists what goes with it', async (c) => {
		const other = await newApp(A, 'vaimh/IFS');
		const e = await addEntry(A, other, 'education', { level: 'master', degree: 'MSW',
		    field: 'Social Work', institution: 'Gone University', conferred: '2018-05-20' });
		await upload(A, other, e, PDF);
		await addEntry(A, other, 'training', { title: 'Gone Training', date: '2021-02-03', hours: '4',
		    role: 'attended' });
		let r = await A.get(`/applications/${other}`);
		c.has(r.text, `href="/applications/${other}/delete"`, 'a link to the confirm page');
		c.lacks(r.text, `action="/applications/${other}/delete"`, 'no one-click delete');
		r = await A.get(`/applications/${other}/delete`);
		c.status(r, 200, 'the confirm page');
		for (const s of ['Education: 1 entry', 'Training: 1 entry', '1 transcript (PDF)'])
			c.has(r.text, s, `lists ${s}`);
		c.eq(one(`SELECT count(*) FROM application WHERE id = ${other}`), 1, 'asking deletes nothing');
		r = await A.submit(`/applications/${other}/delete`);
		c.redirect(r, '/dashboard?deleted=1', 'deleted');
		c.has((await A.get('/dashboard?deleted=1')).text, 'The application was deleted', 'says so');
	});
}
