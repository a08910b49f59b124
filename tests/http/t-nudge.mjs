// Issue 17, mail to the coordinators and internal notes, on a server of
// its own (a second coordinator, one who applies, and the digest setting
// would change what the other parts count on the suite's server):
// - a new submission, a resubmission (with what changed), a declined and
//   a void rating, a finished review round each mail the association's
//   coordinators, never the coordinator who is the applicant;
// - a coordinator who chooses the daily digest gets nothing as it
//   happens; `endorse tick` of a later day mails one digest of the held
//   notices, the same day or a second tick nothing;
// - internal notes: a coordinator adds and sees them in the history;
//   the applicant, a reviewer, another association's coordinator and
//   the coordinator who is the applicant neither see (page, API, export)
//   nor post them; an empty or too long note is refused by its field.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	Client, test, sql, one, q, useServer, fieldError, errorSummary,
} from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';
import { UNIQ, PDF, email, register, newApp, entryIds, upload, portfolioFor, apiToken } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const DIR = path.join(process.env.HTTP_TMP, 'nudge');
const DB = path.join(DIR, 'endorse.db');
const DAY = Date.UTC(2026, 10, 23) / 1000;
const P = {};
const X = {};
let nend = 0;

const accountId = (u) => one(`SELECT id FROM account WHERE email = ${q(u.email)}`);
const mails = (to, subject) => sql(`SELECT subject, body FROM outbox WHERE recipient = ${q(to)} AND ` +
    `subject LIKE ${q(subject)} ORDER BY id`);
const nMails = (to) => Number(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(to)}`));
const NOTE = `Called the supervisor ${UNIQ}: confirmed the dates`;

function hold(u) {
	sql(`INSERT INTO endorsement (number, account, association, category, since, status, name, city, ` +
	    `hidden, created) VALUES (${q(`NG${UNIQ}-${++nend}`)}, ${accountId(u)}, 'vaimh', 'IFS', ` +
	    `'2020-01-01', 'active', ${q(u.name)}, '', 1, 0)`);
}

// An IFS portfolio meeting the checklist, its ratings completed, its
// transcripts uploaded (as t-jsubmit.mjs makes one).
async function ready(u, app) {
	const g = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/golden/check/vaimh/IFS.json'), 'utf8'));
	const doc = portfolioFor(g, 'vaimh', 'IFS');
	doc.references = doc.references.map((x, i) => ({ ...x, email: `ng-${app}-${i}-${UNIQ}@example.org` }));
	const r = await u.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: u.token, json: doc });
	if (r.status !== 200) throw new Error(`PUT portfolio: ${r.status} ${r.text.slice(0, 300)}`);
	doc.references.forEach((x, i) => sql(`INSERT INTO rating (application, email, name, relationship, hash, ` +
	    `status, expires, sent, answered, answers) VALUES (${app}, ${q(x.email)}, ${q(x.name)}, ` +
	    `${q(x.relationship)}, ${q(`ng-${app}-${i}-${UNIQ}`)}, 'completed', ${DAY + 86400 * 30}, ${DAY}, ` +
	    `${DAY}, '{}')`));
	for (const id of await entryIds(u, app, 'education'))
		await upload(u, app, id, PDF);
}

async function person(tag, name) {
	const u = await register(tag, `${name} ${UNIQ}`, email(tag.toLowerCase()), 'vaimh');
	u.token = await apiToken(u.email, u.password, 'nudge');
	return u;
}

function coordinator(srv, assoc) {
	const m = srv.out.match(new RegExp(`^coordinator for ${assoc} created: log in as (\\S+) with password (\\S+) `, 'm'));
	const u = new Client(`coord-${assoc}`);
	Object.assign(u, { email: m[1], password: m[2] });
	return u;
}

function tick(now) {
	return spawnSync(BIN, ['tick', '--db', DB, '--rules', path.join(ROOT, 'rules'), '--share', ROOT,
	    '--now', now], { encoding: 'utf8', env: { ...process.env, ENDORSE_NOW: now } });
}

// A reference the applicant asks to rate: the rater's link from the mail.
async function askRater(u, app, tag) {
	const rater = email(tag);
	const r = await u.submit(`/applications/${app}/tab/references`, { name: `Rae ${tag}`, email: rater,
	    relationship: 'colleague', endorsements: '' });
	if (r.status !== 303) throw new Error(`reference ${tag}: ${r.status}`);
	const ids = await entryIds(u, app, 'references');
	const a = await u.submit(`/applications/${app}/entries/${ids[ids.length - 1]}/request`);
	if (a.status !== 303) throw new Error(`ask ${tag}: ${a.status} ${a.text.slice(0, 300)}`);
	const body = one(`SELECT body FROM outbox WHERE recipient = ${q(rater)} ORDER BY id DESC LIMIT 1`) || '';
	return (body.match(/\/rate\/[0-9a-f]{64}/) || [])[0];
}

export async function run() {
	fs.mkdirSync(DIR, { recursive: true });
	const before = [process.env.HTTP_BASE, process.env.HTTP_DB];
	const srv = await ownServer({ name: 'nudge', bin: BIN, root: ROOT, db: DB,
	    rules: path.join(ROOT, 'rules'), env: { ...process.env, ENDORSE_NOW: '2026-11-23' } });
	useServer(srv.base, DB);
	try {
		await nudge(srv);
	} finally {
		useServer(...before);
		const code = await srv.stop();
		await test("nudge: the part's own server exits 0 on SIGTERM, no sanitizer report", (c) => {
			c.eq(code, 0, 'exit status');
			c.ok(!/ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: /.test(srv.err),
			    `server stderr:\n${srv.err.split('\n').slice(0, 40).join('\n')}`);
		});
	}
}

async function nudge(srv) {
	P.c1 = coordinator(srv, 'vaimh');
	P.cOther = coordinator(srv, 'infancy-onward');
	for (const u of [P.c1, P.cOther])
		if ((await u.submit('/login', { email: u.email, password: u.password })).status !== 303)
			throw new Error(`login ${u.email}`);
	P.app = await person('NgApp', 'Nia Newcomer');
	P.rv1 = await person('NgRvOne', 'Ray Reader');
	P.rv2 = await person('NgRvTwo', 'Roz Reader');
	P.c2 = await person('NgCoordApp', 'Cora Coordinator');
	for (const u of [P.rv1, P.rv2]) {
		hold(u);
		if ((await P.c1.submit('/coordinator/reviewers', { email: u.email })).status !== 303)
			throw new Error(`reviewer ${u.label}`);
	}
	X.app = await newApp(P.app, 'vaimh/IFS');
	await ready(P.app, X.app);
	X.c2app = await newApp(P.c2, 'vaimh/IFS');
	await ready(P.c2, X.c2app);
	// Cora becomes the association's second coordinator, with her own
	// application under way.
	sql(`UPDATE account SET role = 'coordinator', association = 'vaimh' WHERE id = ${accountId(P.c2)}`);

	// ------------------------------------------------------------ the four events
	await test('nudge: a new submission mails every coordinator of the association (outbox page too)', async (c) => {
		c.redirect(await P.app.submit(`/applications/${X.app}/submit`, { declare: 'yes' }),
		    `/applications/${X.app}`, 'submitted');
		for (const u of [P.c1, P.c2]) {
			const m = mails(u.email, 'A new application was submitted');
			c.eq(m.length, 1, `${u.label}: one mail`);
			c.has(m[0]?.body || '', P.app.name, `${u.label}: who submitted`);
			c.has(m[0]?.body || '', `/coordinator/applications/${X.app}`, `${u.label}: the link`);
		}
		c.eq(mails(P.cOther.email, 'A new application was submitted').length, 0, "not the other association's");
		const r = await P.c1.get('/coordinator/outbox');
		c.has(r.text, 'A new application was submitted', "on the coordinator's outbox page");
	});

	await test("nudge: a coordinator's own submission mails the other coordinators, never them", async (c) => {
		const n = nMails(P.c2.email);
		c.redirect(await P.c2.submit(`/applications/${X.c2app}/submit`, { declare: 'yes' }),
		    `/applications/${X.c2app}`, 'Cora submits her own');
		const m = mails(P.c1.email, 'A new application was submitted');
		c.eq(m.length, 2, 'the other coordinator is mailed');
		c.has(m[1]?.body || '', `/coordinator/applications/${X.c2app}`, 'about her application');
		c.eq(mails(P.c2.email, 'A new application was submitted').length, 1, 'Cora: no coordinator mail of her own');
		c.eq(nMails(P.c2.email), n + 1, 'Cora gets only her applicant mail');
		c.eq(mails(P.c2.email, 'Your application is submitted').length, 1, 'which is the applicant mail');
	});

	await test('nudge: a declined and a void rating mail the coordinators, not the applicant-coordinator', async (c) => {
		X.app2 = await newApp(P.app, 'vaimh/IFS');
		const decline = await askRater(P.app, X.app2, 'ng-decline');
		const rr = new Client('rater');
		c.status(await rr.get(decline), 200, 'the rater opens the form');
		c.status(await rr.submit(decline, { action: 'decline' }), 200, 'declines');
		let m = mails(P.c1.email, `A rater declined on application ${X.app2}`);
		c.eq(m.length, 1, 'the coordinator is mailed of the declined rating');
		c.has(m[0]?.body || '', 'Rae ng-decline', 'naming the rater');
		c.eq(mails(P.c2.email, `A rater declined on application ${X.app2}`).length, 1, 'and the second coordinator');
		// A void rating on Cora's own application.
		const voidLink = await askRater(P.c2, X.c2app2 = await newApp(P.c2, 'vaimh/IFS'), 'ng-void');
		const f = await rr.get(voidLink);
		const form = { action: 'rate', recommend: 'yes', comments: 'Hardly know them', anyway: 'yes' };
		for (const it of new Set([...f.text.matchAll(/name="(item\d+)"/g)].map((x) => x[1])))
			form[it] = 'n';
		c.status(await rr.submit(voidLink, form), 200, 'a form of "not enough information", sent anyway');
		c.eq(one(`SELECT status FROM rating WHERE application = ${X.c2app2}`), 'void', 'stored void');
		m = mails(P.c1.email, `A rating on application ${X.c2app2} is void`);
		c.eq(m.length, 1, 'the other coordinator is mailed of the void rating');
		c.eq(mails(P.c2.email, `A rating on application ${X.c2app2} is void`).length, 0,
		    'Cora, its applicant, gets no coordinator mail');
	});

	await test('nudge: a finished review round (every reviewer recommended) mails the coordinators', async (c) => {
		for (const u of [P.rv1, P.rv2]) {
			c.redirect(await P.c1.submit(`/coordinator/applications/${X.app}/assign`,
			    { reviewer: String(accountId(u)) }), `/coordinator/applications/${X.app}#reviewers`, `assign ${u.label}`);
			X[u.label] = one(`SELECT id FROM assignment WHERE application = ${X.app} AND reviewer = ${accountId(u)}`);
		}
		c.redirect(await P.rv1.submit(`/review/${X.NgRvOne}`, { recommendation: 'endorse', final: 'yes' }),
		    `/review/${X.NgRvOne}`, 'the first recommends');
		c.eq(mails(P.c1.email, `Review complete on application ${X.app}`).length, 0, 'one of two: no mail yet');
		c.redirect(await P.rv2.submit(`/review/${X.NgRvTwo}`, { recommendation: 'endorse', final: 'yes' }),
		    `/review/${X.NgRvTwo}`, 'the second recommends');
		for (const u of [P.c1, P.c2]) {
			const m = mails(u.email, `Review complete on application ${X.app}`);
			c.eq(m.length, 1, `${u.label}: mailed once`);
			c.has(m[0]?.body || '', `${P.rv2.name}: `, `${u.label}: the recommendations`);
		}
	});

	await test("nudge: a finished round on a coordinator's own application mails the others, not her", async (c) => {
		for (const u of [P.rv1, P.rv2]) {
			c.redirect(await P.c1.submit(`/coordinator/applications/${X.c2app}/assign`,
			    { reviewer: String(accountId(u)) }), `/coordinator/applications/${X.c2app}#reviewers`, `assign ${u.label}`);
			const asg = one(`SELECT id FROM assignment WHERE application = ${X.c2app} AND reviewer = ${accountId(u)}`);
			c.redirect(await u.submit(`/review/${asg}`, { recommendation: 'endorse', final: 'yes' }),
			    `/review/${asg}`, `${u.label} recommends`);
		}
		c.eq(mails(P.c1.email, `Review complete on application ${X.c2app}`).length, 1, 'the other coordinator is mailed');
		c.eq(mails(P.c2.email, `Review complete on application ${X.c2app}`).length, 0, 'Cora is not');
	});

	await test('nudge: a resubmission after a return mails the coordinators what changed', async (c) => {
		c.redirect(await P.c1.submit(`/coordinator/applications/${X.app}/unlock`,
		    { note: 'Add your newest training.' }), `/coordinator/applications/${X.app}`, 'returned');
		c.redirect(await P.app.submit(`/applications/${X.app}/tab/training`, { title: 'Reflective practice',
		    date: '2025-03-01', hours: '12', role: 'attended' }), `/applications/${X.app}/tab/training#entries`, 'a training added');
		c.redirect(await P.app.submit(`/applications/${X.app}/submit`, { declare: 'yes' }),
		    `/applications/${X.app}`, 'resubmitted');
		for (const u of [P.c1, P.c2]) {
			const m = mails(u.email, 'An application returned for changes was submitted again');
			c.eq(m.length, 1, `${u.label}: mailed`);
			c.has(m[0]?.body || '', 'An entry on the Training tab was added.', `${u.label}: what changed`);
			c.has(m[0]?.body || '', 'Add your newest training.', `${u.label}: the note at the return`);
		}
		c.eq(mails(P.c1.email, 'A new application was submitted').length, 2, 'not mailed as a new submission');
	});

	// ------------------------------------------------------------ internal notes
	await test('notes: a coordinator adds a note; it is in the history with author and time', async (c) => {
		let r = await P.c1.get(`/coordinator/applications/${X.app}`);
		c.has(r.text, `action="/coordinator/applications/${X.app}/notes"`, 'the note form');
		c.has(r.text, 'name="csrf"', 'with its CSRF token');
		c.redirect(await P.c1.submit(`/coordinator/applications/${X.app}/notes`, { internal: NOTE }),
		    `/coordinator/applications/${X.app}#history-h`, 'added');
		r = await P.c1.get(`/coordinator/applications/${X.app}`);
		c.has(r.text, NOTE, 'shown');
		c.has(r.text, 'internal note: coordinators only', 'marked internal in the history');
		c.ok(/<tr class="note"><td data-label="When \(UTC\)">November 2\d, 2026 at \d\d:\d\d<\/td><td data-label="Who">Coordinator/.test(r.text),
		    'with the time and the author');
		c.has((await P.c2.get(`/coordinator/applications/${X.app}`)).text, NOTE, 'the other coordinator sees it');
		c.eq(one(`SELECT count(*) FROM note WHERE row_id = ${X.app}`), 1, 'stored once');
	});

	await test('notes: an empty note is refused by its field; a long one too, what was typed kept', async (c) => {
		let r = await P.c1.submit(`/coordinator/applications/${X.app}/notes`, { internal: '  ' });
		c.status(r, 400, 'empty');
		c.has(fieldError(r.text, 'internal') || '', 'write the note', 'the message by the field');
		c.has(errorSummary(r.text) || '', 'href="#f-internal"', 'the summary links to it');
		const long = `Long ${UNIQ} ` + 'x'.repeat(300);
		r = await P.c1.submit(`/coordinator/applications/${X.app}/notes`, { internal: long });
		c.status(r, 400, 'too long');
		c.has(fieldError(r.text, 'internal') || '', 'at most 300 characters', 'the limit named');
		c.has(r.text, `>${long}</textarea>`, 'what was typed is kept');
		c.eq(one(`SELECT count(*) FROM note WHERE row_id = ${X.app}`), 1, 'nothing stored');
	});

	await test('notes: the applicant, a reviewer, another association and the API see no note', async (c) => {
		const api = new Client('api');
		for (const [who, u, url] of [
			['the applicant', P.app, `/applications/${X.app}`],
			['the applicant', P.app, `/applications/${X.app}/export`],
			['the applicant', P.app, '/dashboard'],
			['a reviewer', P.rv1, `/review/${X.NgRvOne}`],
			['a reviewer', P.rv1, `/applications/${X.app}`],
			["another association's coordinator", P.cOther, `/coordinator/applications/${X.app}`],
		]) {
			const r = await u.get(url);
			c.lacks(r.text, NOTE, `${who}: ${url}`);
			c.lacks(r.text, 'internal note', `${who}: ${url}: no trace`);
		}
		for (const url of [`/api/v1/applications/${X.app}/portfolio`, `/api/v1/applications/${X.app}/checklist`,
		    '/api/v1/applications']) {
			const r = await api.get(url, { bearer: P.app.token });
			c.status(r, 200, `API ${url}`);
			c.lacks(r.text, NOTE, `API ${url}`);
		}
		c.status(await P.cOther.get(`/coordinator/applications/${X.app}`), 404, 'another association: 404');
	});

	await test('notes: the applicant, a reviewer and another association cannot post one (403/404)', async (c) => {
		for (const [who, u, want] of [['the applicant', P.app, 403], ['a reviewer', P.rv1, 403],
		    ["another association's coordinator", P.cOther, 404]])
			c.status(await u.submit(`/coordinator/applications/${X.app}/notes`, { internal: `By ${who} ${UNIQ}` }),
			    want, who);
		c.eq(one(`SELECT count(*) FROM note WHERE row_id = ${X.app}`), 1, 'nothing stored');
	});

	await test("notes: on a coordinator's own application the other coordinator notes; she neither sees nor posts", async (c) => {
		const own = `About Cora ${UNIQ}`;
		c.redirect(await P.c1.submit(`/coordinator/applications/${X.c2app}/notes`, { internal: own }),
		    `/coordinator/applications/${X.c2app}#history-h`, 'the other coordinator adds it');
		let r = await P.c2.get(`/coordinator/applications/${X.c2app}`);
		c.status(r, 200, 'Cora reads her application as coordinator');
		c.lacks(r.text, own, 'without the note');
		c.lacks(r.text, `/coordinator/applications/${X.c2app}/notes`, 'and without the form');
		r = await P.c2.submit(`/coordinator/applications/${X.c2app}/notes`, { internal: `Mine ${UNIQ}` });
		c.status(r, 403, 'her own note refused');
		c.lacks((await P.c2.get(`/applications/${X.c2app}`)).text, own, 'nor as applicant');
		c.eq(one(`SELECT count(*) FROM note WHERE row_id = ${X.c2app}`), 1, 'only the other\'s note');
	});

	await test('notes: on an endorsee (the renewal page): a coordinator adds and sees; the endorsee and others neither see nor post', async (c) => {
		const endo = one(`SELECT id FROM endorsement WHERE account = ${accountId(P.rv1)}`);
		X.ren = Number(one(`INSERT INTO renewal (endorsement, cycle, status, changed) VALUES (${endo}, 2026, ` +
		    `'attested', ${DAY}) RETURNING id`));
		const url = `/coordinator/renewals/${X.ren}`;
		let r = await P.c1.get(url);
		c.status(r, 200, 'the renewal page');
		c.has(r.text, `action="${url}/notes"`, 'the note form');
		r = await P.c1.submit(`${url}/notes`, { internal: '' });
		c.status(r, 400, 'an empty note');
		c.has(fieldError(r.text, 'internal') || '', 'write the note', 'by its field');
		c.has(r.text, 'href="#f-internal"', 'the summary links to it');
		const text = `Endorsee note ${UNIQ}: moved to Norfolk`;
		c.redirect(await P.c1.submit(`${url}/notes`, { internal: text }), `${url}#notes-h`, 'added');
		r = await P.c1.get(url);
		c.has(r.text, text, 'shown');
		c.has(r.text, 'November 23, 2026', 'with its day');
		c.has(r.text, '· Coordinator</p>', 'and its author');
		c.eq(one(`SELECT count(*) FROM note WHERE what = 'endorsement' AND row_id = ${endo}`), 1, 'stored once');
		for (const [who, u, path] of [['the endorsee', P.rv1, '/renewal'], ['the endorsee', P.rv1, '/dashboard'],
		    ['the endorsee', P.rv1, `/endorsements/${endo}/portfolio.json`], ["another association's coordinator", P.cOther, url]])
			c.lacks((await u.get(path)).text, text, `${who}: ${path}`);
		const api = await new Client('api').get('/api/v1/renewal', { bearer: P.rv1.token });
		c.lacks(api.text, text, 'the API');
		c.status(await P.cOther.get(url), 404, 'another association: 404');
		c.status(await P.cOther.submit(`${url}/notes`, { internal: 'x' }), 404, 'another association cannot post');
		c.status(await P.rv1.submit(`${url}/notes`, { internal: 'x' }), 403, 'the endorsee cannot post');
		c.eq(one(`SELECT count(*) FROM note WHERE what = 'endorsement' AND row_id = ${endo}`), 1, 'nothing more stored');
	});

	// ------------------------------------------------------------ the digest
	await test('digest: the settings page; a bad choice is refused by its field; others cannot reach it', async (c) => {
		let r = await P.c1.get('/coordinator/notices');
		c.status(r, 200, 'GET /coordinator/notices');
		c.ok(/id="f-mail-each"[^>]* checked/.test(r.text), 'as it happens by default');
		r = await P.c1.submit('/coordinator/notices', { mail: 'weekly' });
		c.status(r, 400, 'an unknown choice');
		c.has(fieldError(r.text, 'mail') || '', 'choose how you want', 'by its field');
		c.has((await P.c1.get('/coordinator/outbox')).text, 'href="/coordinator/notices"', 'linked from the outbox');
		for (const u of [P.app, P.rv1])
			c.status(await u.get('/coordinator/notices'), 403, `${u.label} cannot`);
		c.status(await P.app.submit('/coordinator/notices', { mail: 'digest' }), 403, 'nor post');
		c.eq(one('SELECT count(*) FROM notify_pref WHERE digest = 1'), 0, 'nothing stored');
	});

	await test('digest: chosen, the notices are held; a tick the same day sends nothing; the next day one digest, once', async (c) => {
		c.redirect(await P.c1.submit('/coordinator/notices', { mail: 'digest' }), '/coordinator/notices?saved=1', 'saved');
		c.ok(/id="f-mail-digest"[^>]* checked/.test((await P.c1.get('/coordinator/notices')).text), 'shown chosen');
		const n1 = nMails(P.c1.email), n2 = nMails(P.c2.email);
		X.app3 = await newApp(P.rv1, 'vaimh/IFS');
		await ready(P.rv1, X.app3);
		c.redirect(await P.rv1.submit(`/applications/${X.app3}/submit`, { declare: 'yes' }),
		    `/applications/${X.app3}`, 'a submission');
		const decline = await askRater(P.rv1, X.app3b = await newApp(P.rv1, 'vaimh/IFS'), 'ng-decline2');
		const rr = new Client('rater2');
		await rr.get(decline);
		c.status(await rr.submit(decline, { action: 'decline' }), 200, 'and a declined rating');
		c.eq(nMails(P.c1.email), n1, 'the digest coordinator: nothing as it happens');
		c.eq(nMails(P.c2.email), n2 + 2, 'the other: both as they happen');
		c.eq(one(`SELECT count(*) FROM notify_pending WHERE account = ${accountId(P.c1)}`), 2, 'two held');
		// A notice held for someone no longer a coordinator (access
		// removed) is not theirs to read: dropped, never mailed.
		sql(`INSERT INTO notify_pending (account, association, subject, body, created) VALUES ` +
		    `(${accountId(P.app)}, 'vaimh', 'Held for a former coordinator', 'x', ${DAY})`);
		let t = tick('2026-11-23');
		c.eq(t.status, 0, `tick: ${t.stderr}`);
		c.eq(nMails(P.c1.email), n1, 'a tick the same day: no digest');
		t = tick('2026-11-24');
		c.eq(t.status, 0, `tick the next day: ${t.stderr}`);
		const d = mails(P.c1.email, 'Daily digest: %');
		c.eq(d.length, 1, 'one digest');
		c.has(d[0]?.subject || '', 'Daily digest: 2 notices', 'of two notices');
		for (const s of ['A new application was submitted', `A rater declined on application ${X.app3b}`,
		    `/coordinator/applications/${X.app3}`, 'November 23, 2026'])
			c.has(d[0]?.body || '', s, `the digest: ${s}`);
		c.eq(one('SELECT count(*) FROM notify_pending'), 0, 'nothing held any more');
		c.eq(mails(P.app.email, 'Daily digest: %').length, 0, 'no digest for a former coordinator');
		t = tick('2026-11-24');
		c.eq(mails(P.c1.email, 'Daily digest: %').length, 1, 'a second tick sends it not again');
		t = tick('2026-11-25');
		c.eq(mails(P.c1.email, 'Daily digest: %').length, 1, 'nor the day after (nothing new)');
	});
}
