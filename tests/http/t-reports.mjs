// The coordinator's reports page (issue 17): GET /coordinator/reports.
// A server of its own on a database of its own: applications made
// through the API at one date (the server started with ENDORSE_NOW then),
// their submissions and decisions written as the domain writes them (the
// application's row and its audit row: the history the report reads),
// endorsees imported with the CLI, one of whom sets their registry city
// through the account page; then the server again at 2026-11-23 and the
// page read: its tables' figures (counts, medians, 90th percentiles by
// nearest rank), an SVG with title and desc per figure, the city
// escaped; another association's coordinator sees none of it, an
// applicant and a visitor are refused.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

import { Client, test } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';
import { UNIQ, TMP } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const PW = 'correct horse battery';
const DIR = path.join(TMP, 'reports');
const DB = path.join(DIR, 'endorse.db');
const CITY = '<script>alert("city")</script> Falls';
const START = '2026-01-05';

const day = (s) => Math.floor(Date.parse(s + 'T00:00:00Z') / 86400000);
const noon = (d) => d * 86400 + 12 * 3600;
const C = day(START);
const TODAY = day('2026-11-23');

function sql(q) {
	const out = execFileSync('sqlite3', ['-json', DB, q], { encoding: 'utf8' });
	return out.trim() === '' ? [] : JSON.parse(out);
}

// The nearest-rank percentile, written again here from its definition.
function rank(values, p) {
	const v = [...values].sort((a, b) => a - b);
	return v.length === 0 ? 'none' : String(v[Math.ceil(p / 100 * v.length) - 1]);
}

// The rows of the table of that id: each row's cells' text.
function table(html, id) {
	const m = html.match(new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`));
	if (!m) return null;
	const body = m[1].split('<tbody>')[1] || '';
	return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
	    [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]));
}

function start(now) {
	return ownServer({ name: 'reports', bin: BIN, root: ROOT, db: DB,
	    rules: path.join(ROOT, 'rules'), env: { ...process.env, ENDORSE_NOW: now } });
}

async function login(base, email, password) {
	const u = new Client(email, base);
	const r = await u.submit('/login', { email, password });
	if (r.status !== 303) throw new Error(`login ${email}: ${r.status}`);
	return u;
}

async function applicant(base, tag, assoc, category) {
	const u = new Client(tag, base);
	const email = `${tag}-${UNIQ}@reports.example`;
	let r = await u.post('/api/v1/accounts', { json: { name: `${tag} ${UNIQ}`, email, password: PW } });
	if (r.status !== 201) throw new Error(`account ${tag}: ${r.status} ${r.text}`);
	r = await u.post('/api/v1/tokens', { json: { email, password: PW, label: 'reports' } });
	const token = r.json()?.token;
	if (category === null) return { email };
	r = await u.post('/api/v1/applications', { bearer: token, json: { association: assoc, category } });
	if (r.status !== 201) throw new Error(`application ${tag}: ${r.status} ${r.text}`);
	return { email, app: r.json().id };
}

// A change of status as app_set_status, app_submit and the decisions
// write it: the row, and the audit row with "from" and "to".
function move(app, from, to, d) {
	const action = to === 'submitted' ? 'submit' : ['exam', 'deferred', 'denied',
	    'endorsed'].includes(to) ? 'decision' : 'status';
	sql(`UPDATE application SET status = '${to}', updated = ${noon(d)}` +
	    (to === 'submitted' ? `, submitted = coalesce(submitted, ${noon(d)})` : '') +
	    ` WHERE id = ${app}; INSERT INTO audit (at, actor, what, row_id, action, detail) ` +
	    `VALUES (${noon(d)}, NULL, 'application', ${app}, '${action}', ` +
	    `json_object('from', '${from}', 'to', '${to}'))`);
}

const P = {};

export async function run() {
	fs.mkdirSync(DIR, { recursive: true });
	for (const f of ['', '-wal', '-shm']) fs.rmSync(DB + f, { force: true });
	let srv = await start(START);
	const coord = {};
	for (const m of srv.out.matchAll(/^coordinator for (\S+) created: log in as (\S+) with password (\S+) /gm))
		coord[m[1]] = { email: m[2], password: m[3] };

	await test('reports: applications, endorsees and renewals made at their dates', async (c) => {
		// IFS: submitted 10, 20, 30, 40, 50 days after starting; decided
		// 5, 15, 25, 35 days after (the fifth still waits); IMHS: 7 and 9
		// days, undecided.
		P.ifs = [];
		for (let i = 0; i < 5; i++)
			P.ifs.push(await applicant(srv.base, `ifs${i}`, 'vaimh', 'IFS'));
		P.imhs = [await applicant(srv.base, 'imhs0', 'vaimh', 'IMHS'),
		    await applicant(srv.base, 'imhs1', 'vaimh', 'IMHS')];
		c.eq(sql(`SELECT count(*) AS n FROM application WHERE created / 86400 = ${C}`)[0].n, 7,
		    'the seven applications are started on the server\'s day');
		const ends = ['denied', 'deferred', 'endorsed', 'denied'];
		P.ifs.forEach((a, i) => {
			move(a.app, 'draft', 'submitted', C + 10 * (i + 1));
			if (i < 4)
				move(a.app, 'submitted', ends[i], C + 10 * (i + 1) + 5 + 10 * i);
		});
		move(P.imhs[0].app, 'draft', 'submitted', C + 7);
		move(P.imhs[1].app, 'draft', 'submitted', C + 9);
		// Endorsees: imported, one of them sets their city on the account page.
		P.end = await applicant(srv.base, 'endorsee', 'vaimh', null);
		const csv = path.join(DIR, 'endorsees.csv');
		fs.writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
		    `RP${UNIQ}-1,Ann Endorsee,${P.end.email},IMHS,2020-01-01,active,Norfolk\n` +
		    `RP${UNIQ}-2,Bo Endorsee,bo-${UNIQ}@reports.example,IFS,2020-01-01,active,Richmond\n` +
		    `RP${UNIQ}-3,Cy Endorsee,cy-${UNIQ}@reports.example,IFS,2020-01-01,active,Richmond\n` +
		    `RP${UNIQ}-4,Di Endorsee,di-${UNIQ}@reports.example,IFS,2020-01-01,lapsed,Richmond\n`);
		const imp = spawnSync(BIN, ['import', 'endorsees', '--db', DB, '--association', 'vaimh',
		    '--rules', path.join(ROOT, 'rules'), csv], { encoding: 'utf8',
		    env: { ...process.env, ENDORSE_NOW: START } });
		c.eq(imp.status, 0, `import: ${imp.stderr}`);
		const e = await login(srv.base, P.end.email, PW);
		const rc = await e.submit('/account/city', { city: CITY });
		c.status(rc, 200, 'the endorsee sets a city');
		c.has(rc.text, 'The registry shows your city now.', 'the city is stored');
		// Renewals of cycle 2026: attested; drawn, failed, cured; lapsed.
		const en = sql(`SELECT id, number FROM endorsement WHERE number LIKE 'RP${UNIQ}-%' ORDER BY number`);
		sql(`INSERT INTO audit_draw (association, cycle, percent, seed, population, drawn, at) ` +
		    `VALUES ('vaimh', 2026, 10, 'seed', 2, 1, ${noon(C)}); ` +
		    `INSERT INTO renewal (endorsement, cycle, status, attested, changed) VALUES ` +
		    `(${en[0].id}, 2026, 'attested', ${noon(C)}, ${noon(C)}), ` +
		    `(${en[1].id}, 2026, 'renewed', ${noon(C)}, ${noon(C)}), ` +
		    `(${en[3].id}, 2026, 'lapsed', NULL, ${noon(C)}); ` +
		    `UPDATE renewal SET draw = (SELECT max(id) FROM audit_draw) WHERE endorsement = ${en[1].id}; ` +
		    `INSERT INTO audit (at, what, row_id, action, detail) SELECT ${noon(C)}, 'renewal', id, ` +
		    `'audit-failed', '{}' FROM renewal WHERE endorsement = ${en[1].id}`);
	});
	await srv.stop();
	srv = await start('2026-11-23');
	// One more started today, a draft.
	P.late = await applicant(srv.base, 'late', 'vaimh', 'IFS');
	const cv = await login(srv.base, coord.vaimh.email, coord.vaimh.password);
	const page = await cv.get('/coordinator/reports');

	await test('reports: median and 90th percentile days by category (nearest rank)', async (c) => {
		c.status(page, 200, 'the coordinator reads the page');
		const rows = table(page.text, 't-durations');
		c.ok(rows !== null, 'the table of durations');
		const ifs = rows?.find((r) => /\(IFS\)/.test(r[0]));
		const imhs = rows?.find((r) => /\(IMHS\)/.test(r[0]));
		const sub = [10, 20, 30, 40, 50], dec = [5, 15, 25, 35];
		c.eq(ifs?.slice(1), ['5', rank(sub, 50), rank(sub, 90), '4', rank(dec, 50), rank(dec, 90)],
		    'IFS: 5 submitted, 30 and 50 days; 4 decided, 15 and 35 days');
		c.eq(ifs?.slice(1), ['5', '30', '50', '4', '15', '35'], 'the same by hand');
		c.eq(imhs?.slice(1), ['2', '7', '9', '0', 'none', 'none'], 'IMHS: 7 and 9 days; none decided');
	});

	await test('reports: how many are in each state now, and the days spent in each', async (c) => {
		const rows = table(page.text, 't-waits');
		const by = Object.fromEntries((rows || []).map((r) => [r[0], r.slice(1)]));
		// Draft stays: each application's days before its submission, and
		// the late one's (0 days, still going on).
		const drafts = [10, 20, 30, 40, 50, 7, 9, 0];
		// Submitted stays: the four decided, the fifth and the two IMHS
		// still waiting today.
		const subs = [5, 15, 25, 35, TODAY - (C + 50), TODAY - (C + 7), TODAY - (C + 9)];
		const deferred = [TODAY - (C + 20 + 15)];
		c.eq(by.Draft, ['1', '8', rank(drafts, 50), rank(drafts, 90)], 'draft: 1 now; its stays');
		c.eq(by.Submitted, ['3', '7', rank(subs, 50), rank(subs, 90)], 'submitted: 3 now; its stays');
		c.eq(by.Deferred, ['1', '1', rank(deferred, 50), rank(deferred, 90)], 'deferred: 1 now');
		c.eq(by['Approved for the exam'], ['0', '0', 'none', 'none'], 'the exam: none');
		c.eq(by.Denied, ['2', 'decided: no wait'], 'denied: 2');
		c.eq(by.Endorsed, ['1', 'decided: no wait'], 'endorsed: 1');
	});

	await test('reports: applications by state at each month\'s end', async (c) => {
		const rows = table(page.text, 't-states');
		c.eq(rows?.length, 12, 'twelve months');
		// Columns: month, draft, submitted, exam, deferred, denied, endorsed, in all.
		c.eq(rows?.[0], ['December 31, 2025', '0', '0', '0', '0', '0', '0', '0'], 'none before they started');
		c.eq(rows?.[1], ['January 31, 2026', '3', '3', '0', '0', '1', '0', '7'],
		    'January: three drafts, three submitted, one denied');
		c.eq(rows?.[11], ['November 23, 2026', '1', '3', '0', '1', '2', '1', '8'], 'today');
		const r24 = await cv.get('/coordinator/reports?months=24');
		c.eq(table(r24.text, 't-states')?.length, 24, '?months=24: twenty-four months');
		c.has(r24.text, '<option value="24" selected>', 'the period chosen stays selected');
	});

	await test('reports: renewals per cycle and endorsees by category and city', async (c) => {
		c.eq(table(page.text, 't-renewals'), [['2026', '3', '2', '1', '1', '1', '1']],
		    'cycle 2026: 3 renewals, 2 attested, 1 audited, 1 cured, 1 renewed, 1 lapsed');
		const cats = table(page.text, 't-categories');
		c.eq(cats?.map((r) => r[1]), ['2', '1'], 'two active IFS endorsees, one IMHS (the lapsed one not counted)');
		c.ok(/\(IFS\)$/.test(cats?.[0]?.[0] || ''), 'IFS first');
		const cities = table(page.text, 't-cities');
		c.eq(cities?.[0], ['Richmond', '2'], 'Richmond: 2');
		c.eq(cities?.[1], ['&lt;script&gt;alert(&quot;city&quot;)&lt;/script&gt; Falls', '1'],
		    'the city the endorsee typed, escaped in the table');
		c.lacks(page.text, '<script>', 'no script element anywhere');
		c.has(page.text, '>&lt;script&gt;alert(&quot;city&quot;)&lt;/script&gt; Falls</text>',
		    'the city escaped in the chart');
	});

	await test('reports: an SVG per figure, with a title and a description', async (c) => {
		const svgs = [...page.text.matchAll(/<svg class="chart"[^>]*>\s*<title id="([^"]+)">([^<]+)<\/title>\s*<desc id="([^"]+)">([^<]+)<\/desc>/g)];
		c.eq(svgs.map((m) => m[1]), ['chart-states-title', 'chart-submit-title', 'chart-decide-title',
		    'chart-wait-title', 'chart-renewals-title', 'chart-category-title', 'chart-city-title'],
		    'seven charts, each titled');
		c.ok(svgs.every((m) => m[4].length > 40), 'each described');
		c.ok(/<svg class="chart" viewBox="0 0 400 \d+" width="100%" role="img" aria-labelledby="chart-states-title chart-states-desc"/.test(page.text),
		    'scaled to the width, an image labelled by its title and description');
		c.eq((page.text.match(/<svg /g) || []).length, 7, 'no other svg');
	});

	await test('reports: another association\'s coordinator sees none of it; an applicant and a visitor are refused', async (c) => {
		const co = await login(srv.base, coord['infancy-onward'].email, coord['infancy-onward'].password);
		const r = await co.get('/coordinator/reports');
		c.status(r, 200, 'infancy-onward\'s coordinator reads their own reports');
		c.has(r.text, 'No applications yet', 'their association has no application');
		c.lacks(r.text, 'Richmond', 'not vaimh\'s endorsees');
		c.lacks(r.text, '<svg', 'no chart of nothing');
		c.has(r.text, 'No renewals yet', 'nor vaimh\'s renewals');
		const a = await login(srv.base, P.ifs[0].email, PW);
		const ra = await a.get('/coordinator/reports');
		c.status(ra, 403, 'an applicant: 403');
		c.lacks(ra.text, 'Richmond', 'nothing shown');
		const rv = await new Client('visitor', srv.base).get('/coordinator/reports');
		c.status(rv, [303, 401], 'a visitor: sent to log in');
		c.lacks(rv.text, 'Richmond', 'nothing shown');
	});
	const code = await srv.stop();
	await test('reports: the server stopped cleanly', async (c) => {
		c.eq(code, 0, 'exit status');
		c.lacks(srv.err, 'runtime error', 'no sanitizer report');
		c.lacks(srv.err, 'ERROR: AddressSanitizer', 'no sanitizer report');
	});
}
