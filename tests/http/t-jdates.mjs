// Issue 16, point 10 (what remained): dates as people write them in the US
// ("March 5, 2027") wherever people read a date: the dashboard, the
// memberships, /verify, the application's status, the checklist's texts,
// the coordinator's application page (its history in words, "cycle: 0;
// fee: 0" no more), the delivery of a mail in words ("waiting to be sent",
// not "queued"), a bar labelled by the requirement's text, not its id, and
// the mails (a membership reminder).  Machine formats keep ISO: the API's
// JSON, <input type=date> values.  (Today is ENDORSE_NOW=2026-11-23.)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { test, sql, one, q } from '../lib/client.mjs';
import { U, UNIQ, PDF, email, register, newApp, entryIds, upload, portfolioFor,
    apiToken } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const TMP = process.env.HTTP_TMP;
const DAY = Date.UTC(2026, 10, 23) / 1000;
const P = {};

const accountId = (u) => one(`SELECT id FROM account WHERE email = ${q(u.email)}`);

// The ISO dates a person reads on a page: its text without tags (so not
// in value="", datetime="" or href="").
function isoInText(html) {
	const text = html.replace(/<script[\s\S]*?<\/script>/g, '')
	    .replace(/<[^>]*>/g, ' ');
	return [...text.matchAll(/[^\n]{0,40}\b\d{4}-\d\d-\d\d\b[^\n]{0,20}/g)].map((m) => m[0].trim());
}

async function ready(c, u, app) {
	const g = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/golden/check/vaimh/IFS.json'), 'utf8'));
	const doc = portfolioFor(g, 'vaimh', 'IFS');
	doc.references = doc.references.map((x, i) => ({ ...x, email: `jd-${app}-${i}-${UNIQ}@example.org` }));
	const r = await u.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: u.token, json: doc });
	c.status(r, 200, 'PUT the IFS portfolio');
	doc.references.forEach((x, i) => sql(`INSERT INTO rating (application, email, name, relationship, hash, ` +
	    `status, expires, sent, answered, answers) VALUES (${app}, ${q(x.email)}, ${q(x.name)}, ` +
	    `${q(x.relationship)}, ${q(`jd-${app}-${i}-${UNIQ}`)}, 'completed', ${DAY + 86400 * 30}, ${DAY}, ` +
	    `${DAY}, '{}')`));
	for (const id of await entryIds(u, app, 'education'))
		await upload(u, app, id, PDF);
}

export async function run() {
	P.u = await register('JDates', `Dee Dates ${UNIQ}`, email('jdates'), 'vaimh');
	P.u.token = await apiToken(P.u.email, P.u.password, 'jdates');
	P.number = `JD${UNIQ}-1`;
	sql(`INSERT INTO endorsement (number, account, association, category, since, status, name, city, ` +
	    `hidden, created) VALUES (${q(P.number)}, ${accountId(P.u)}, 'vaimh', 'IFS', '2020-01-02', ` +
	    `'active', ${q(P.u.name)}, '', 0, 0)`);

	await test('dates (16.10): the dashboard, the memberships and /verify write dates as March 5, 2027', async (c) => {
		c.redirect(await P.u.submit('/membership', { term: 'vaimh/individual-1', start: '2026-03-05' }),
		    '/membership', 'a membership recorded');
		let r = await P.u.get('/membership');
		c.has(r.text, 'Individual, 1 year: March 5, 2026 to December 31, 2026', 'the term in words');
		c.has(r.text, 'value="2026-11-23"', 'the date input keeps ISO');
		c.eq(isoInText(r.text), [], 'no ISO date read on /membership');
		r = await P.u.get('/dashboard');
		c.has(r.text, 'active until December 31, 2026', 'the membership on the dashboard');
		c.has(r.text, 'since January 2, 2020', 'the endorsement on the dashboard');
		c.eq(isoInText(r.text), [], 'no ISO date read on the dashboard');
		r = await P.u.get(`/verify/${P.number}`);
		c.has(r.text, '<dd>January 2, 2020</dd>', 'Endorsed since, in words');
		c.eq(isoInText(r.text), [], 'no ISO date read on /verify');
		r = await P.u.get(`/api/v1/verify/${P.number}`);
		c.eq(r.json()?.since, '2020-01-02', 'the API keeps ISO');
		r = await P.u.get('/account');
		c.ok(/\(created November 23, 2026\)/.test(r.text), 'an API token\'s day in words');
	});

	await test('dates (16.10): the application says "Submitted on November 23, 2026"; a bar is labelled by its requirement\'s text', async (c) => {
		P.app = await newApp(P.u, 'vaimh/IFS');
		let r = await P.u.get(`/applications/${P.app}`);
		c.ok(!/aria-label="[a-z_]+[0-9]*: /.test(r.text), 'no bar labelled by a requirement id');
		c.ok(/<progress max="100" value="\d+" aria-label="[A-Z][^"]*: /.test(r.text), 'bars labelled by words');
		await ready(c, P.u, P.app);
		c.redirect(await P.u.submit(`/applications/${P.app}/submit`, { declare: 'yes' }),
		    `/applications/${P.app}`, 'submitted');
		r = await P.u.get(`/applications/${P.app}`);
		c.has(r.text, 'Submitted on November 23, 2026.', 'the submission day in words');
		c.eq(isoInText(r.text), [], 'no ISO date read on the application');
		r = await P.u.get(`/applications/${P.app}/tab/references`);
		c.has(r.text, 'Rating completed on November 23, 2026', 'a rating\'s day in words');
		c.eq(isoInText(r.text), [], 'no ISO date read on the references tab');
		const eid = one(`SELECT id FROM entry WHERE application = ${P.app} AND kind = 'work' ORDER BY id LIMIT 1`);
		r = await P.u.get(`/applications/${P.app}/entries/${eid}`);
		c.has(r.text, 'You can read this entry but not change it', 'a locked entry, read only');
		c.eq(isoInText(r.text), [], 'no ISO date read on a read-only entry');
	});

	await test('dates (16.10): the coordinator\'s application: the history in words, no "cycle: 0; fee: 0", deliveries in words', async (c) => {
		const r = await U.cSame.get(`/coordinator/applications/${P.app}`);
		c.status(r, 200, 'the coordinator\'s page');
		c.lacks(r.text, 'cycle: 0', 'no "cycle: 0"');
		c.lacks(r.text, 'fee: 0', 'no "fee: 0"');
		c.has(r.text, 'from draft to submitted', 'the submission in words');
		c.ok(/<td data-label="When \(UTC\)">November 23, 2026 at \d\d:\d\d<\/td>/.test(r.text),
		    'the history\'s times in words');
		c.lacks(r.text, 'delivery: queued', 'no "queued"');
		c.has(r.text, '<tr><th scope="row">Submitted</th><td>November 23, 2026</td></tr>', 'the submission day in words');
		c.eq(isoInText(r.text), [], 'no ISO date read on the coordinator\'s application');
	});

	await test('dates (16.10): a mail waiting in the outbox is "waiting to be sent", not "queued"', async (c) => {
		const r = await U.cSame.get('/coordinator/outbox');
		c.has(r.text, '<span class="mail-status">waiting to be sent</span>', 'the delivery in words');
		c.lacks(r.text, '<span class="mail-status">queued</span>', 'never "queued"');
	});

	await test('dates (16.10): a mail (the membership reminder of `endorse tick`) writes its dates as December 31, 2026', async (c) => {
		// A copy of the suite's database: a tick there touches no test.
		const db = path.join(TMP, `jdates-${UNIQ}.db`);
		const to = `jd-tick-${UNIQ}@example.org`;
		const b = spawnSync('sqlite3', [process.env.HTTP_DB, `.backup ${db}`], { encoding: 'utf8' });
		c.eq(b.status, 0, `a copy of the database: ${b.stderr}`);
		const s = spawnSync('sqlite3', [db, `INSERT INTO account (email, name, pwhash, created) VALUES ` +
		    `('${to}', 'Tick Person', '!', 0); INSERT INTO membership (account, ` +
		    `association, start, end, created) VALUES ((SELECT id FROM account WHERE email = '${to}'), ` +
		    `'vaimh', '2026-01-01', '2026-12-31', 0);`], { encoding: 'utf8' });
		c.eq(s.status, 0, `the membership stored: ${s.stderr}`);
		const t = spawnSync(BIN, ['tick', '--db', db, '--rules', path.join(ROOT, 'rules'), '--now', '2026-12-01'],
		    { encoding: 'utf8', env: { ...process.env, ENDORSE_NOW: '2026-12-01' } });
		c.eq(t.status, 0, `the tick 30 days before its end: ${t.stderr}`);
		const m = spawnSync('sqlite3', [db, `SELECT subject || char(10) || body FROM outbox WHERE recipient = '${to}'`],
		    { encoding: 'utf8' }).stdout;
		c.has(m, 'Your vaimh membership ends December 31, 2026', 'the subject');
		c.has(m, 'ends on December 31, 2026.', 'the body');
		c.ok(!/\d{4}-\d\d-\d\d/.test(m), `no ISO date in the mail: ${m}`);
	});
}
