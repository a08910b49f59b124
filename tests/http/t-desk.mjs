// Issue 17, the coordinator's desk: the work queue (/coordinator) with its
// dates, days in state, whom each application waits on and the next
// deadline; filters, search, sort and pages; the bulk actions (a reminder,
// a reviewer) with each refusal named; the reminders to raters at the
// rule set's offsets (`endorse tick` on a server of this part's own, its
// clock moved), each once, in the history.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, one, sql, q } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';
import { U, UNIQ, email, register, newApp, addEntry, fork } from './common.mjs';

const LINK = /https?:\/\/\S+(\/rate\/[0-9a-f]{64})/;

// The rows of a queue page: id, the cell "Waiting on" and its word.
function rows(html) {
	return [...html.matchAll(/<tr><td data-label="Select">.*?value="(\d+)".*?<\/tr>/gs)].map((m) => {
		const w = m[0].match(/<td data-label="Waiting on" class="wait-(\w+)">([^<]*)<\/td>/);
		const dl = m[0].match(/<td data-label="Next deadline">([^<]*)<\/td>/);
		const days = m[0].match(/<td data-label="Days in state">(\d+)<\/td>/);
		return { id: Number(m[1]), word: w && w[1], waiting: w && w[2], deadline: dl && dl[1],
		    days: days && Number(days[1]), html: m[0] };
	});
}
const ids = (html) => rows(html).map((r) => r.id);
const rowOf = (html, id) => rows(html).find((r) => r.id === id);

async function ask(u, app, name, rater) {
	const ref = await addEntry(u, app, 'references', { name, email: rater, relationship: 'supervisor' });
	const r = await u.submit(`/applications/${app}/entries/${ref}/request`);
	if (r.status !== 303) throw new Error(`request: ${r.status}`);
	return Number(one(`SELECT max(id) FROM rating WHERE application = ${app}`));
}

// Whom an application waits on, from the store's facts (the test's own
// reading of the rule, to compare with the page's).
function expected(id) {
	const a = sql(`SELECT status, returned, cycle, submitted, fee_owed, coalesce(round, submitted, 0) AS round ` +
	    `FROM application WHERE id = ${id}`)[0];
	const now = Date.UTC(2026, 10, 23) / 1000;
	if (a.status === 'draft' || a.status === 'deferred') {
		if (a.returned) return 'applicant';
		const n = Number(one(`SELECT count(*) FROM rating WHERE application = ${id} AND status IN ` +
		    `('sent', 'opened') AND answered IS NULL AND expires > ${now}`));
		return n > 0 ? 'rater' : 'applicant';
	}
	if (a.status === 'exam') return 'exam';
	if (a.status !== 'submitted') return 'nobody';
	const s = sql(`SELECT count(*) AS n, count(done) AS d FROM assignment WHERE application = ${id} ` +
	    `AND assigned >= ${a.round}`)[0];
	if (Number(s.n) === 0) return 'coordinator';
	if (Number(s.d) < Number(s.n)) return 'reviewer';
	const l = sql(`SELECT count(*) AS n, coalesce(sum(CASE kind WHEN 'charge' THEN cents ELSE 0 END), 0) AS c, ` +
	    `coalesce(sum(CASE kind WHEN 'charge' THEN 0 WHEN 'refund' THEN -cents ELSE cents END), 0) AS p ` +
	    `FROM ledger WHERE application = ${id}`)[0];
	const unpaid = Number(l.n) > 0 ? Number(l.p) < Number(l.c) : Number(a.fee_owed) > 0;
	return unpaid ? 'payment' : 'coordinator';
}

async function queue() {
	const C = U.cSame;
	const Q = encodeURIComponent(`Desk ${UNIQ}`);
	const D = await register('desk-D', `Dora Deskwait-${UNIQ}`, email('desk-d'), 'vaimh');
	const appD = await newApp(D, 'vaimh/IFS');
	const raterD = email('desk-rater');
	const ratingD = await ask(D, appD, 'Rita Deskrater', raterD);
	const firstLink = one(`SELECT body FROM outbox WHERE recipient = ${q(raterD)} ORDER BY id DESC LIMIT 1`).match(LINK)[1];
	const E = await register('desk-E', `Eli Deskidle-${UNIQ}`, email('desk-e'), 'vaimh');
	const appE = await newApp(E, 'vaimh/IFS');

	await test('desk: the queue shows each open application with its dates, days in state, whom it waits on and the deadline', async (c) => {
		const r = await C.get(`/coordinator?q=${Q}`);
		c.status(r, 200, 'GET /coordinator');
		const d = rowOf(r.text, appD), e = rowOf(r.text, appE);
		c.ok(d && e, `both listed: ${ids(r.text)}`);
		c.eq(d && d.word, 'rater', 'D waits on a rater');
		c.eq(d && d.waiting, 'rater Rita Deskrater', 'named');
		c.eq(d && d.deadline, 'December 23, 2026', "the rater's link expires in 30 days, a US date");
		c.has(d ? d.html : '', 'data-label="Started">November 23, 2026', 'started');
		c.has(d ? d.html : '', 'data-label="Submitted">not yet', 'not submitted');
		c.eq(d && d.days, 0, 'days in state');
		c.eq(e && e.word, 'applicant', 'E waits on its applicant');
		c.eq(e && e.deadline, 'none', 'no deadline');
		c.has(r.text, 'name="csrf"', 'the bulk form carries the CSRF token');
	});

	await test('desk: filters (waiting on, state, category, older than) and their unmet cases', async (c) => {
		let r = await C.get(`/coordinator?waiting=rater&q=${Q}`);
		c.eq(ids(r.text), [appD], 'waiting on a rater: D only');
		r = await C.get(`/coordinator?waiting=applicant&q=${Q}`);
		c.eq(ids(r.text), [appE], 'waiting on the applicant: E only');
		r = await C.get(`/coordinator?waiting=reviewer&q=${Q}`);
		c.eq(ids(r.text), [], 'waiting on reviewers: neither');
		c.has(r.text, 'No open application matches.', 'says so');
		r = await C.get(`/coordinator?state=draft&q=${Q}`);
		c.eq(ids(r.text).sort(), [appD, appE].sort(), 'state draft: both');
		r = await C.get(`/coordinator?state=submitted&q=${Q}`);
		c.eq(ids(r.text), [], 'state submitted: neither');
		r = await C.get(`/coordinator?category=IFS&q=${Q}`);
		c.eq(ids(r.text).sort(), [appD, appE].sort(), 'category IFS: both');
		r = await C.get(`/coordinator?category=IMHS&q=${Q}`);
		c.eq(ids(r.text), [], 'category IMHS: neither');
		r = await C.get(`/coordinator?older=1&q=${Q}`);
		c.eq(ids(r.text), [], 'older than 1 day: neither (both today)');
		r = await C.get(`/coordinator?older=0&q=${Q}`);
		c.eq(ids(r.text).length, 2, 'older than 0 days: both');
		r = await C.get('/coordinator?waiting=somebody');
		c.status(r, 200, 'an unknown filter word');
		c.has(r.text, 'A filter was not understood', 'is said and left out');
	});

	await test('desk: search by name, e-mail, several words (each must match)', async (c) => {
		let r = await C.get(`/coordinator?q=${encodeURIComponent(`Deskwait-${UNIQ}`)}`);
		c.eq(ids(r.text), [appD], 'by name');
		r = await C.get(`/coordinator?q=${encodeURIComponent(email('desk-e'))}`);
		c.eq(ids(r.text), [appE], 'by e-mail');
		r = await C.get(`/coordinator?q=${encodeURIComponent(`dora desk-d-${UNIQ}`)}`);
		c.eq(ids(r.text), [appD], 'two words, any case');
		r = await C.get(`/coordinator?q=${encodeURIComponent(`Dora Eli ${UNIQ}`)}`);
		c.eq(ids(r.text), [], 'words of two people: nobody');
		r = await C.get(`/coordinator?q=${encodeURIComponent('100%_')}`);
		c.status(r, 200, '% and _ are taken literally');
		c.eq(ids(r.text), [], 'nobody matches them');
	});

	await test('desk: every column sorts both ways, aria-sort on the sorted one, no JavaScript', async (c) => {
		let r = await C.get(`/coordinator?sort=name&dir=asc&q=${Q}`);
		c.has(r.text, 'aria-sort="ascending"><a href="/coordinator?q=', 'the sorted column says so');
		c.eq(ids(r.text), [appD, appE], 'by name: Dora before Eli');
		c.has(r.text, `sort=name&amp;dir=desc`, 'its heading links to the other way');
		r = await C.get(`/coordinator?sort=name&dir=desc&q=${Q}`);
		c.has(r.text, 'aria-sort="descending"', 'descending');
		c.eq(ids(r.text), [appE, appD], 'by name the other way');
		r = await C.get(`/coordinator?sort=waiting&dir=asc&q=${Q}`);
		c.eq(ids(r.text), [appE, appD], 'by whom it waits on: applicant before rater');
		r = await C.get(`/coordinator?sort=deadline&dir=asc&q=${Q}`);
		c.eq(ids(r.text), [appD, appE], 'by deadline: none last');
		for (const k of ['category', 'status', 'started', 'submitted', 'days'])
			for (const dir of ['asc', 'desc']) {
				r = await C.get(`/coordinator?sort=${k}&dir=${dir}&q=${Q}`);
				c.eq(ids(r.text).sort(), [appD, appE].sort(), `sort ${k} ${dir}`);
			}
		c.lacks(r.text, '<script', 'no script');
	});

	await test('desk: pages of 50, Next and Previous keep the filters', async (c) => {
		const open = () => Number(one("SELECT count(*) FROM application WHERE association = 'vaimh' AND " +
		    "status IN ('draft', 'submitted', 'exam', 'deferred')"));
		for (let i = 0; open() <= 50; i++) {
			const u = await register(`desk-p${i}`, `Page Filler ${i} ${UNIQ}`, email(`fill-p${i}`), 'vaimh');
			await newApp(u, 'vaimh/IFS');
		}
		const n = open();
		let r = await C.get('/coordinator?sort=started&dir=asc');
		c.eq(rows(r.text).length, 50, 'page 1: 50 rows');
		c.has(r.text, 'rel="next"', 'a next page');
		c.lacks(r.text, 'rel="prev"', 'no previous page');
		const next = r.text.match(/href="([^"]+)" rel="next"/)[1].replace(/&amp;/g, '&');
		c.ok(next.includes('sort=started') && next.includes('page=2'), `the link keeps the sort: ${next}`);
		const first = ids(r.text);
		r = await C.get(next);
		c.eq(rows(r.text).length, n - 50 > 50 ? 50 : n - 50, 'page 2: the rest');
		c.has(r.text, 'rel="prev"', 'a previous page');
		c.eq(ids(r.text).filter((x) => first.includes(x)), [], 'no row twice');
		const all = sql("SELECT id FROM application WHERE association = 'vaimh' AND status IN " +
		    "('draft', 'submitted', 'exam', 'deferred') ORDER BY created, id").map((x) => Number(x.id));
		c.eq(first, all.slice(0, 50), 'started, oldest first, as the store has them');
	});

	await test('desk: whom each open application waits on, for every kind present, is the rule\'s', async (c) => {
		const seen = {};
		for (let p = 1; p < 20; p++) {
			const r = await C.get(`/coordinator?sort=started&dir=asc&page=${p}`);
			const rs = rows(r.text);
			for (const x of rs) {
				seen[x.word] = (seen[x.word] || 0) + 1;
				c.eq(x.word, expected(x.id), `application ${x.id}`);
			}
			if (!r.text.includes('rel="next"')) break;
		}
		c.ok(seen.rater > 0 && seen.applicant > 0, `kinds seen: ${JSON.stringify(seen)}`);
	});

	await test('desk: a bulk reminder to D\'s rater: a fresh link mailed, the old one dead, in the history', async (c) => {
		const before = Number(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(raterD)}`));
		const q0 = await C.get(`/coordinator?waiting=rater&q=${Q}`);
		c.has(q0.text, `action="/coordinator/bulk?waiting=rater&amp;q=`, 'the bulk form keeps the filters');
		const r = await C.submit(`/coordinator/bulk?waiting=rater&q=${Q}`, { action: 'remind', app: [String(appD)] });
		c.status(r, 200, 'POST /coordinator/bulk');
		c.eq(ids(r.text), [appD], 'the queue comes back filtered');
		c.has(r.text, `Application ${appD}: 1 reminder sent`, 'the outcome, per application');
		c.eq(Number(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(raterD)}`)), before + 1, 'one mail');
		const body = one(`SELECT body FROM outbox WHERE recipient = ${q(raterD)} ORDER BY id DESC LIMIT 1`);
		c.has(body, 'it is not answered yet', 'a reminder');
		c.has(body, `Dora Deskwait-${UNIQ}`, "with the applicant's name");
		const link = body.match(LINK);
		c.ok(link && link[1] !== firstLink, 'a new link');
		const rater = new Client('desk-rater');
		c.status(await rater.get(link[1]), 200, 'the new link opens the form');
		c.status(await rater.get(firstLink), 404, 'the old one no longer does');
		c.eq(one(`SELECT action FROM audit WHERE what = 'rating' AND row_id = ${ratingD} ORDER BY id DESC LIMIT 1`),
		    'remind', 'audited');
		const h = await C.get(`/coordinator/applications/${appD}`);
		c.has(h.text, 'remind', 'in the history');
		c.has(h.text, 'a new link was mailed', 'which says the link was re-issued');
	});

	await test('desk: bulk refusals are named per application (waits on the applicant, another association, no action, not a reviewer)', async (c) => {
		const before = Number(one('SELECT count(*) FROM outbox'));
		let r = await C.submit('/coordinator/bulk', { action: 'remind', app: [String(appE), 'x'] });
		c.status(r, 422, 'a refusal answers 422');
		c.has(r.text, `Application ${appE}: refused: it waits on the applicant`, 'E waits on its applicant');
		c.has(r.text, 'Application 0: refused: there is no such application', 'a value that is no number');
		const other = Number(one("SELECT min(id) FROM application WHERE association = 'infancy-onward'"));
		r = await C.submit('/coordinator/bulk', { action: 'remind', app: [String(other)] });
		c.has(r.text, `Application ${other}: refused: there is no such application`, "another association's application");
		r = await U.cOther.submit('/coordinator/bulk', { action: 'remind', app: [String(appD)] });
		c.has(r.text, `Application ${appD}: refused: there is no such application`, 'nor the other coordinator on ours');
		c.lacks(r.text, `Deskwait-${UNIQ}`, "and they see nothing of it");
		r = await C.submit('/coordinator/bulk', { action: 'assign', app: [String(appD)] });
		c.has(r.text, 'refused: choose a reviewer to assign', 'no reviewer chosen');
		const mId = one(`SELECT id FROM account WHERE email = ${q(U.M.email)}`);
		r = await C.submit('/coordinator/bulk', { action: 'assign', reviewer: String(mId), app: [String(appD)] });
		c.has(r.text, `Application ${appD}: refused: reviewers are assigned to submitted applications`, 'a draft takes no reviewer');
		const sub = one("SELECT min(id) FROM application WHERE association = 'vaimh' AND status = 'submitted'");
		if (sub) {
			r = await C.submit('/coordinator/bulk', { action: 'assign', reviewer: String(mId), app: [String(sub)] });
			c.has(r.text, 'refused: this account is not a reviewer of', 'someone not a reviewer of the association');
		}
		r = await C.submit('/coordinator/bulk', { action: 'remind' });
		c.has(r.text, 'No application was ticked', 'nothing ticked');
		c.status(await C.submit('/coordinator/bulk', { action: 'delete', app: [String(appD)] }), 400, 'an unknown action');
		c.eq(Number(one('SELECT count(*) FROM outbox')), before, 'nothing mailed');
	});

	await test("desk: a coordinator's own application: no reminder by them (refused, nothing mailed)", async (c) => {
		const C2 = await fork(C, 'desk-own');
		const app = await newApp(C2, 'vaimh/IFS');
		await ask(C2, app, 'Oli Ownrater', email('desk-own-rater'));
		const before = Number(one('SELECT count(*) FROM outbox'));
		const r = await C.submit('/coordinator/bulk', { action: 'remind', app: [String(app)] });
		c.has(r.text, `Application ${app}: refused: your own application`, 'refused, named');
		c.eq(Number(one('SELECT count(*) FROM outbox')), before, 'nothing mailed');
		one(`DELETE FROM application WHERE id = ${app} RETURNING id`);
	});

	await test('desk: only coordinators: an applicant gets no queue; the other coordinator sees none of ours', async (c) => {
		const r = await D.get('/coordinator');
		c.ok(r.status === 403 || r.status === 404 || (r.status === 303 && r.location !== '/coordinator'),
		    `an applicant: ${r.status}`);
		c.lacks(r.text, raterD, 'nothing of the queue');
		const o = await U.cOther.get(`/coordinator?q=${Q}`);
		c.status(o, 200, "the other association's coordinator");
		c.lacks(o.text, `Deskwait-${UNIQ}`, 'does not list D');
		const before = Number(one('SELECT count(*) FROM outbox'));
		const a = await new Client('anon').post('/coordinator/bulk', { form: { action: 'remind', app: String(appD) } });
		c.ok(a.status === 403 || (a.status === 303 && a.location === '/login'), `anonymous: ${a.status} ${a.location}`);
		c.eq(Number(one('SELECT count(*) FROM outbox')), before, 'nothing mailed');
	});
}

// The scheduler's reminders on a server of this part's own: its clock at
// the request, then `endorse tick` on the days around the offsets.
async function reminders() {
	const dir = path.join(process.env.HTTP_TMP, 'desk');
	fs.mkdirSync(dir, { recursive: true });
	const db = path.join(dir, 'desk.db');
	const root = process.env.HTTP_ROOT;
	const rules = path.join(root, 'rules');
	const srv = await ownServer({ name: 'desk', bin: process.env.HTTP_BIN, root, db, rules,
	    env: { ...process.env, ENDORSE_NOW: '2026-11-23' } });
	const dbq = (s) => spawnSync('sqlite3', [db, s], { encoding: 'utf8' }).stdout.trim();
	const tick = (day) => spawnSync(process.env.HTTP_BIN, ['tick', '--db', db, '--rules', rules,
	    '--share', root, '--now', day], { encoding: 'utf8', env: { ...process.env, ENDORSE_NOW: day } });
	try {
		const u = new Client('desk-tick', srv.base);
		const mail = email('desk-tick');
		await u.submit('/register', { name: 'Tia Tick', email: mail, password: 'a long password',
		    association: 'vaimh' });
		await u.submit('/login', { email: mail, password: 'a long password' });
		const r0 = await u.submit('/applications', { choice: 'vaimh/IFS' });
		const app = Number((r0.location || '').split('/').pop());
		const rater = email('desk-tick-rater');
		const ref = await (async () => {
			const r = await u.submit(`/applications/${app}/tab/references`, { name: 'Rex Late', email: rater,
			    relationship: 'supervisor' });
			if (r.status !== 303) throw new Error(`reference: ${r.status}`);
			return Number(dbq(`SELECT max(id) FROM entry WHERE application = ${app}`));
		})();
		await u.submit(`/applications/${app}/entries/${ref}/request`);
		const rid = Number(dbq(`SELECT max(id) FROM rating WHERE application = ${app}`));
		const sent = () => Number(dbq(`SELECT count(*) FROM outbox WHERE recipient = '${rater}' AND subject LIKE 'Reminder:%'`));
		const audits = () => dbq(`SELECT group_concat(json_extract(detail, '$.days')) FROM audit WHERE what = 'rating' ` +
		    `AND row_id = ${rid} AND action = 'remind'`);
		await test('desk: reminders to a rater at 14 and 28 days (the rule set\'s offsets), each once, in the history', (c) => {
			c.ok(rid > 0, 'a request');
			let t = tick('2026-12-06');
			c.eq(t.status, 0, `tick: ${t.stderr}`);
			c.eq(sent(), 0, 'day 13: none');
			t = tick('2026-12-07');
			c.eq(t.status, 0, `tick: ${t.stderr}`);
			c.eq(sent(), 1, 'day 14: one reminder');
			const body = dbq(`SELECT body FROM outbox WHERE recipient = '${rater}' ORDER BY id DESC LIMIT 1`);
			c.ok(LINK.test(body), 'with a working link');
			c.eq(dbq(`SELECT count(*) FROM rating WHERE id = ${rid} AND status = 'sent'`), '1', 'the request still open');
			tick('2026-12-07');
			tick('2026-12-10');
			c.eq(sent(), 1, 'the same day again, and later: not again');
			tick('2026-12-21');
			c.eq(sent(), 2, 'day 28: the second');
			tick('2026-12-22');
			c.eq(sent(), 2, 'then none');
			c.eq(audits(), '14,28', 'each in the history with its offset');
			c.eq(dbq(`SELECT count(*) FROM reminder WHERE kind = 'rater' AND ref = ${rid}`), '2', 'recorded once each');
		});
		await test('desk: an answered request is not reminded', (c) => {
			dbq(`UPDATE rating SET status = 'completed', answered = 1 WHERE id = ${rid}`);
			tick('2027-01-30');
			c.eq(sent(), 2, 'no reminder after the answer');
		});
		await test('desk: a reminder to a reviewer who has not reviewed at 14 days, once, in the history', (c) => {
			// The application submitted on 2027-02-01 with a reviewer (the
			// vaimh coordinator's account) assigned that day.
			const t0 = Date.UTC(2027, 1, 1) / 1000 + 3600;
			const rev = Number(dbq("SELECT id FROM account WHERE role = 'coordinator' AND association = 'vaimh'"));
			dbq(`UPDATE application SET status = 'submitted', submitted = ${t0}, round = ${t0} WHERE id = ${app}`);
			dbq(`INSERT INTO assignment (application, reviewer, assigned) VALUES (${app}, ${rev}, ${t0})`);
			const to = dbq(`SELECT email FROM account WHERE id = ${rev}`);
			const n = () => Number(dbq(`SELECT count(*) FROM outbox WHERE recipient = '${to}' AND subject LIKE 'Reminder: a review%'`));
			tick('2027-02-14');
			c.eq(n(), 0, 'day 13: none');
			tick('2027-02-15');
			c.eq(n(), 1, 'day 14: one');
			c.has(dbq(`SELECT body FROM outbox WHERE recipient = '${to}' ORDER BY id DESC LIMIT 1`), `/review/${app}`,
			    'with the link to the review');
			tick('2027-02-15');
			tick('2027-03-20');
			c.eq(n(), 1, 'never again (one offset)');
			c.eq(dbq(`SELECT count(*) FROM audit WHERE what = 'assignment' AND action = 'remind' AND ` +
			    `json_extract(detail, '$.application') = ${app}`), '1', 'in the history');
			dbq(`UPDATE assignment SET done = ${t0 + 86400}, recommendation = 'endorse' WHERE application = ${app}`);
		});
	} finally {
		const code = await srv.stop();
		await test('desk: the part\'s own server exits 0 on SIGTERM, no sanitizer report', (c) => {
			c.eq(code, 0, 'exit status');
			c.ok(!/Sanitizer|runtime error/.test(srv.err), srv.err.slice(0, 500));
		});
	}
}

export async function run() {
	await queue();
	await reminders();
}
