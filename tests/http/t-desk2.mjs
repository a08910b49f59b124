// Issue 17, the coordinator's desk, part two: the renewals and
// reinstatements queue (/coordinator/renewals: filters, search, sort,
// pages) and the bulk action "open a review cycle for the selected"
// (POST /coordinator/bulk, action=cycle: only the ticked applications join
// it, each refusal named).  On a server of this part's own, its clock in
// the 2027 renewal window of infancy-onward (2027-10-01 to 2027-12-31).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, sql, one, q, useServer, BASE, DB, fieldError, unescapeHtml } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';

const NOW = '2027-11-15';
const IO = 'infancy-onward';
const N = 57;		// endorsees: 52 not attested, more than a page of 50

// The rows of the renewals queue: endorsement id, and its cells.
function rrows(html) {
	return [...html.matchAll(/<tr data-endorsement="(\d+)">(.*?)<\/tr>/gs)].map((m) => {
		const cell = (l) => {
			const c = m[2].match(new RegExp(`<td data-label="${l}"[^>]*>(.*?)</td>`, 's'));
			return c ? unescapeHtml(c[1].replace(/<[^>]+>/g, '')) : null;
		};
		return { id: Number(m[1]), name: cell('Endorsee'), number: cell('Number'), status: cell('Status'),
		    days: Number(cell('Days in state')), deadline: cell('Next deadline') };
	});
}
const numbers = (html) => rrows(html).map((r) => r.number);
const num = (i) => `IN-2024-${String(1000 + i)}`;
// The ids of the applications listed on the work queue.
const appIds = (html) => [...html.matchAll(/name="app" value="(\d+)"/g)].map((m) => Number(m[1]));

async function login(label, base, who) {
	const u = new Client(label, base);
	const r = await u.submit('/login', { email: who.email, password: who.password });
	if (r.status !== 303) throw new Error(`${label}: login ${r.status}`);
	return u;
}

async function renewals(srv, dir, coords) {
	const root = process.env.HTTP_ROOT, rules = path.join(root, 'rules');
	const csv = path.join(dir, 'endorsees.csv');
	const rows = [];
	for (let i = 1; i <= N; i++)
		rows.push([num(i), `Rena Queue-${String(i).padStart(2, '0')}`, `rena${i}@desk2.example`, 'IFS',
		    '2024-06-01', 'active', ''].join(','));
	fs.writeFileSync(csv, 'number,name,email,category,since,status,city\n' + rows.join('\n') + '\n');
	const imp = spawnSync(process.env.HTTP_BIN, ['import', 'endorsees', '--db', srv.db, '--association', IO,
	    '--rules', rules, csv], { encoding: 'utf8', env: { ...process.env, ENDORSE_NOW: NOW } });
	const eid = (i) => Number(one(`SELECT id FROM endorsement WHERE number = ${q(num(i))}`));
	const t = (d) => Date.UTC(...d.split('-').map((x, k) => k === 1 ? Number(x) - 1 : Number(x))) / 1000;
	// The states, as the renewal engine leaves them (dom-audit.c).
	const ren = (i, status, changed, extra = '') => {
		sql(`INSERT INTO renewal (endorsement, cycle, status, attested, changed${extra ? ', cure_by' : ''}) ` +
		    `VALUES (${eid(i)}, 2027, '${status}', ${t('2027-10-05')}, ${t(changed)}${extra ? `, '${extra}'` : ''})`);
		return Number(one('SELECT max(id) FROM renewal'));
	};
	// Audit items name log entries; the queue counts them only (the
	// entries themselves are not needed: the sqlite3 shell checks no
	// foreign key).
	let nent = 900000;
	const entry = () => ++nent;
	await test('desk2: setup: 57 endorsees imported; renewals attested, drawn, in cure, lapsed; reinstatements', (c) => {
		c.eq(imp.status, 0, `import: ${imp.stderr}`);
		ren(1, 'attested', '2027-10-05');
		const r2 = ren(2, 'audit', '2027-10-20');
		sql(`INSERT INTO audit_item (renewal, entry, status) VALUES (${r2}, ${entry()}, 'pending'), ` +
		    `(${r2}, ${entry()}, 'pending')`);
		const r3 = ren(3, 'audit', '2027-10-21');
		sql(`INSERT INTO audit_item (renewal, entry, status, decided) VALUES (${r3}, ${entry()}, 'accepted', 1)`);
		ren(4, 'cure', '2027-11-01', '2028-01-31');
		ren(5, 'lapsed', '2027-11-02');
		sql(`UPDATE endorsement SET status = 'lapsed' WHERE id = ${eid(5)}`);
		sql(`INSERT INTO reinstatement (endorsement, status, fee_owed, requested, decided) VALUES ` +
		    `(${eid(6)}, 'refused', 0, ${t('2027-11-01')}, ${t('2027-11-02')}), ` +
		    `(${eid(5)}, 'requested', 50, ${t('2027-11-10')}, NULL)`);
		c.eq(Number(one("SELECT count(*) FROM renewal")), 5, 'five renewal rows');
	});
	const C = await login('desk2-io', srv.base, coords[IO]);
	const get = (qs) => C.get(`/coordinator/renewals?cycle=2027${qs}`);

	await test('desk2: renewals: not attested by default, 50 a page, the longest in its state first', async (c) => {
		let r = await C.get('/coordinator/renewals');
		c.status(r, 200, 'GET /coordinator/renewals');
		const list = rrows(r.text);
		c.eq(list.length, 50, 'a page of 50');
		c.ok(!numbers(r.text).some((n) => [num(1), num(2), num(3), num(4), num(5)].includes(n)),
		    'not attested only: no attested, drawn, cure or lapsed one');
		c.eq(list[0].status, 'not renewed yet · requirements not met', 'the status in words');
		c.eq(list[0].days, 45, 'since the window opened (October 1): 45 days');
		c.eq(list[0].deadline, 'December 31, 2027 (attestation)', 'the attestation deadline, a US date');
		c.has(r.text, 'rel="next"', 'a next page');
		c.has(r.text, 'Showing 1 to 50.', 'the range');
		const next = unescapeHtml(r.text.match(/<a href="([^"]+)" rel="next">/)[1]);
		c.has(next, 'show=due', 'the next page keeps the filter');
		r = await C.get(next);
		c.eq(rrows(r.text).length, N - 5 - 50, 'page 2: the other two not attested');
		c.has(r.text, 'Showing 51 to 52.', 'its range');
		c.has(r.text, 'rel="prev"', 'a previous page');
	});

	await test('desk2: renewals: each filter', async (c) => {
		let r = await get('&show=all');
		c.eq(rrows(r.text).length, 50, 'every renewal: a full page');
		r = await get('&show=all&page=2');
		c.eq(rrows(r.text).length, N - 50, 'and the rest');
		r = await get('&show=audit');
		c.eq(numbers(r.text).sort(), [num(2), num(3)], 'audit drawn: two');
		c.has(rrows(r.text).find((x) => x.number === num(2)).status, '(2 items to review)', 'its items pending');
		r = await get('&show=evidence');
		c.eq(numbers(r.text), [num(2)], 'evidence pending review: only the one with items pending');
		r = await get('&show=cure');
		c.eq(numbers(r.text), [num(4)], 'in cure');
		c.eq(rrows(r.text)[0].deadline, 'January 31, 2028 (cure)', 'its cure deadline');
		c.eq(rrows(r.text)[0].days, 14, 'in cure since November 1');
		r = await get('&show=lapsed');
		c.eq(numbers(r.text), [num(5)], 'lapsed');
		c.eq(rrows(r.text)[0].deadline, 'none', 'no deadline');
		r = await get('&show=nonsense');
		c.status(r, 200, 'an unknown filter');
		c.has(r.text, 'A filter was not understood', 'is said and left out');
	});

	await test('desk2: renewals: search by name, e-mail or number, every word must match', async (c) => {
		let r = await get('&show=all&q=Queue-07');
		c.eq(numbers(r.text), [num(7)], 'by name');
		r = await get(`&show=all&q=${encodeURIComponent('rena12@desk2')}`);
		c.eq(numbers(r.text), [num(12)], 'by e-mail');
		r = await get(`&show=all&q=${encodeURIComponent(num(33))}`);
		c.eq(numbers(r.text), [num(33)], 'by number');
		r = await get(`&show=all&q=${encodeURIComponent('queue-07 IN-2024')}`);
		c.eq(numbers(r.text), [num(7)], 'two words, both match, any case');
		r = await get(`&show=all&q=${encodeURIComponent('Queue-07 Queue-08')}`);
		c.eq(numbers(r.text), [], 'two words, not both: none');
		c.has(r.text, 'No renewal matches.', 'said');
		r = await get('&show=all&q=%25');
		c.eq(numbers(r.text), [], 'a % is a character, not a wildcard');
	});

	await test('desk2: renewals: sort by each column, links with aria-sort, and the sort form', async (c) => {
		let r = await get('&show=all&sort=name&dir=asc');
		c.eq(numbers(r.text).slice(0, 2), [num(1), num(2)], 'by name, ascending');
		c.has(r.text, '<th scope="col" aria-sort="ascending"><a href="/coordinator/renewals?cycle=2027&amp;show=all&amp;sort=name&amp;dir=desc">Endorsee',
		    'the sorted heading says so and links the other way');
		c.has(r.text, '<option value="name" selected>Endorsee</option>', 'the sort form (phones) shows it');
		r = await get('&show=all&sort=name&dir=desc');
		c.eq(numbers(r.text)[0], num(N), 'by name, descending');
		c.has(r.text, 'aria-sort="descending"', 'said');
		r = await get('&show=all&sort=number&dir=desc');
		c.eq(numbers(r.text)[0], num(N), 'by number');
		r = await get('&show=all&sort=status&dir=desc');
		c.eq(numbers(r.text)[0], num(5), 'by status: lapsed last in order, first descending');
		r = await get('&show=all&sort=days&dir=asc');
		c.eq(numbers(r.text)[0], num(5), 'by days in state: the newest state (lapsed November 2) first');
		r = await get('&show=all&sort=deadline&dir=asc');
		c.ok(rrows(r.text)[0].deadline.startsWith('December 31, 2027'), 'by deadline: the attestation ones first');
		r = await get('&show=all&sort=deadline&dir=desc');
		c.eq(rrows(r.text).filter((x) => x.deadline !== 'none')[0].number, num(4),
		    'descending (as on the applications queue, none first): the cure deadline of January 31 before December 31');
		r = await get('&show=all&sort=category&dir=asc');
		c.eq(rrows(r.text).length, 50, 'by category');
	});

	await test('desk2: reinstatement requests: listed, the requested first, with status and age, filterable', async (c) => {
		let r = await get('&show=all');
		const cards = [...r.text.matchAll(/<div class="card" data-reinstatement="\d+"><p>([^<]*)<\/p>/g)].map((m) => unescapeHtml(m[1]));
		c.eq(cards.length, 2, 'both');
		c.has(cards[0], `${num(5)} IFS, requested, asked November 10, 2027 (5 days ago), fee US$50 owed`, 'requested first, its age');
		c.has(cards[1], `${num(6)} IFS, refused, asked November 1, 2027 (14 days ago)`, 'then the refused one');
		c.eq((r.text.match(/action="\/coordinator\/reinstatements\/\d+"/g) || []).length, 1, 'a decision form for the requested one only');
		r = await get('&reinst=refused');
		c.has(r.text, num(6), 'filtered: refused');
		c.lacks(r.text, 'data-reinstatement="' + one(`SELECT id FROM reinstatement WHERE status = 'requested'`) + '"', 'not the requested one');
	});

	await test('desk2: renewals: the close and draw forms still work; another association sees none of it', async (c) => {
		const r = await get('&show=all');
		c.has(r.text, 'action="/coordinator/renewals/draw"', 'the draw form');
		c.has(r.text, 'action="/coordinator/renewals/close"', 'the close form');
		c.status(await C.submit('/coordinator/renewals/draw', { cycle: '2027', percent: '0' }), 400, 'a bad percentage');
		const o = await login('desk2-va', srv.base, coords.vaimh);
		const x = await o.get('/coordinator/renewals?cycle=2027&show=all');
		c.lacks(x.text, 'Rena Queue', "vaimh's coordinator sees no infancy-onward endorsee");
		c.lacks(x.text, num(1), 'nor a number');
	});
}

// ------------------------------------------------ bulk: open a cycle for the ticked

async function register(base, label, association) {
	const u = new Client(label, base);
	const mail = `${label}@desk2.example`;
	await u.submit('/register', { name: `Bea ${label}`, email: mail, password: 'a long password', association });
	await u.submit('/login', { email: mail, password: 'a long password' });
	const r = await u.submit('/applications', { choice: association === 'vaimh' ? 'vaimh/IFS' : 'infancy-onward/IFS' });
	const id = Number((r.location || '').split('/').pop());
	if (!(id > 0)) throw new Error(`${label}: no application (${r.status} ${r.location})`);
	return id;
}

async function bulkCycle(srv, coords) {
	const C = await login('desk2-cv', srv.base, coords.vaimh);
	const O = await login('desk2-co', srv.base, coords[IO]);
	const now = Date.UTC(2027, 10, 15) / 1000;
	const submit = (id) => sql(`UPDATE application SET status = 'submitted', submitted = ${now}, state_since = ${now} WHERE id = ${id}`);
	const ids = {};
	for (const k of ['a1', 'a2', 'a3', 'a4']) ids[k] = await register(srv.base, `desk2-${k}`, 'vaimh');
	ids.b1 = await register(srv.base, 'desk2-b1', IO);
	submit(ids.a4);
	const cycleOf = (id) => one(`SELECT coalesce(cycle, 0) FROM application WHERE id = ${id}`);
	const ncycles = () => Number(one('SELECT count(*) FROM review_cycle'));
	const form = (over) => ({ action: 'cycle', cycle_name: 'Winter 2027', cycle_opens: '2027-11-15',
	    cycle_closes: '2027-12-31', app: [String(ids.a1), String(ids.a3), String(ids.a4), String(ids.b1)], ...over });

	await test('desk2: bulk cycle: setup: one application already in a cycle (the cycle form adopts it)', async (c) => {
		const r = await C.submit('/coordinator/cycles', { name: 'Autumn 2027', opens: '2027-11-01', closes: '2027-12-15' });
		c.status(r, 303, 'the cycle form still opens a cycle');
		c.ok(cycleOf(ids.a4) > 0, 'and adopts every submitted application waiting (unchanged)');
		submit(ids.a1);
		submit(ids.a2);
		submit(ids.b1);
		c.eq([cycleOf(ids.a1), cycleOf(ids.a2)], [0, 0], 'two submitted since, in no cycle');
	});

	await test('desk2: bulk cycle: dates checked as the cycle form does, errors by field, what was typed kept', async (c) => {
		const before = ncycles();
		let r = await C.submit('/coordinator/bulk', form({ cycle_closes: '2027-11-01' }));
		c.status(r, 400, 'closes before it opens');
		c.eq(fieldError(r.text, 'cycle_closes'), 'a cycle closes on or after the day it opens', 'by field');
		c.has(r.text, 'value="Winter 2027"', 'the name typed kept');
		c.has(r.text, 'id="f-act-cycle" name="action" value="cycle" checked', 'the action kept');
		c.ok(new RegExp(`value="${ids.a1}" id="app-${ids.a1}" aria-label="[^"]*" checked`).test(r.text), 'the ticks kept');
		c.has(r.text, 'There is a problem', 'the summary');
		r = await C.submit('/coordinator/bulk', form({ cycle_opens: '15/11/2027', cycle_name: '' }));
		c.status(r, 400, 'a bad date and no name');
		c.eq(fieldError(r.text, 'cycle_opens'), 'enter the date it opens as YYYY-MM-DD', 'opens');
		c.eq(fieldError(r.text, 'cycle_name'), 'give the cycle a name', 'name');
		r = await C.submit('/coordinator/bulk', form({ cycle_opens: '2027-01-01', cycle_closes: '2027-02-01' }));
		c.status(r, 400, 'a cycle already over');
		c.eq(fieldError(r.text, 'cycle_closes'), 'the applications join an open cycle: it closes today or later', 'said');
		r = await C.submit('/coordinator/bulk', form({ app: [] }));
		c.status(r, 422, 'nothing ticked');
		c.has(r.text, 'No application was ticked', 'said');
		c.eq(ncycles(), before, 'no cycle opened');
		c.eq(cycleOf(ids.a1), 0, 'nothing adopted');
	});

	await test("desk2: bulk cycle: another association's coordinator adopts nothing", async (c) => {
		const before = ncycles();
		const r = await O.submit('/coordinator/bulk', form({ app: [String(ids.a1), String(ids.a2)] }));
		c.status(r, 422, 'refused');
		c.has(r.text, `Application ${ids.a1}: refused: there is no such application`, 'each named as missing');
		c.has(r.text, 'no cycle was opened', 'no cycle');
		c.eq(ncycles(), before, 'none');
		c.eq([cycleOf(ids.a1), cycleOf(ids.a2)], [0, 0], 'untouched');
		const a = await new Client('anon', srv.base).post('/coordinator/bulk', { form: { action: 'cycle', app: String(ids.a1) } });
		c.ok(a.status === 403 || (a.status === 303 && a.location === '/login'), `anonymous: ${a.status} ${a.location}`);
		const ap = new Client('desk2-a2', srv.base);
		await ap.submit('/login', { email: 'desk2-a2@desk2.example', password: 'a long password' });
		const x = await ap.submit('/coordinator/bulk', form({}));
		c.ok(x.status === 403 || x.status === 404, `an applicant: ${x.status}`);
		c.eq(ncycles(), before, 'still none');
	});

	await test('desk2: bulk cycle: only the ticked applications join the new open cycle; each refusal named; in the history', async (c) => {
		const r = await C.submit('/coordinator/bulk', form({}));
		c.status(r, 422, 'some refused');
		c.has(r.text, 'Review cycle Winter 2027 opened.', 'opened');
		c.has(r.text, `Application ${ids.a1}: joined the cycle Winter 2027`, 'a1 joined');
		c.has(r.text, `Application ${ids.a3}: refused: its status is draft: only a submitted application joins a review cycle`, 'a draft refused');
		c.has(r.text, `Application ${ids.a4}: refused: it is already in the review cycle Autumn 2027`, 'one in a cycle refused');
		c.has(r.text, `Application ${ids.b1}: refused: there is no such application`, "another association's refused");
		const cy = sql("SELECT id, status FROM review_cycle WHERE name = 'Winter 2027'");
		c.eq(cy.length === 1 && cy[0].status, 'open', 'one open cycle');
		c.eq(cycleOf(ids.a1), cy[0].id, 'a1 in it');
		c.eq(cycleOf(ids.a2), 0, 'a2, submitted but not ticked, untouched');
		c.ok(cycleOf(ids.a4) !== cy[0].id, 'a4 stays in its cycle');
		c.eq(cycleOf(ids.b1), 0, 'b1 untouched');
		c.eq(one(`SELECT json_extract(detail, '$.applications') FROM audit WHERE what = 'cycle' AND row_id = ${cy[0].id}`),
		    `[${ids.a1}]`, "the cycle's history names the one adopted");
		c.eq(Number(one(`SELECT count(*) FROM audit WHERE what = 'application' AND row_id = ${ids.a1} AND action = 'cycle'`)), 1,
		    "and the application's history has it");
		const h = await C.get(`/coordinator/cycles/${cy[0].id}`);
		c.status(h, 200, 'the cycle page');
		const all = await C.submit('/coordinator/bulk', form({ app: [String(ids.a2)], cycle_name: 'Only a2' }));
		c.status(all, 200, 'all accepted: 200');
		c.eq(appIds(all.text).includes(ids.a2), true, 'the queue comes back');
	});
}

export async function run() {
	const dir = path.join(process.env.HTTP_TMP, 'desk2');
	fs.mkdirSync(dir, { recursive: true });
	const db = path.join(dir, 'desk2.db');
	const root = process.env.HTTP_ROOT;
	const srv = await ownServer({ name: 'desk2', bin: process.env.HTTP_BIN, root, db, rules: path.join(root, 'rules'),
	    env: { ...process.env, ENDORSE_NOW: NOW } });
	const coords = {};
	for (const m of srv.out.matchAll(/^coordinator for (\S+) created: log in as (\S+) with password (\S+) /gm))
		coords[m[1]] = { email: m[2], password: m[3] };
	const base = BASE, mainDb = DB;
	useServer(srv.base, db);
	try {
		await renewals(srv, dir, coords);
		await bulkCycle(srv, coords);
	} finally {
		useServer(base, mainDb);
		const code = await srv.stop();
		await test("desk2: the part's own server exits 0 on SIGTERM, no sanitizer report", (c) => {
			c.eq(code, 0, 'exit status');
			c.ok(!/Sanitizer|runtime error/.test(srv.err), srv.err.slice(0, 500));
		});
	}
}
