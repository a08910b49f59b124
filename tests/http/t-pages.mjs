// Golden pages: the HTML of a fixed set of pages, byte for byte, against
// tests/http/pages/NAME.html, so that a change of the web code that moves
// one byte of a page is seen.  UPDATE=1 writes the files instead.
//
// The part runs an `endorse serve` of its own on a fresh database, so that
// every id, count and list on the pages is the same whatever the other
// parts did before it; its people, application, ratings, endorsement and
// log are made through the pages as a person would, the endorsement held
// through `endorse import endorsees` as t-access does.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const DIR = path.join(process.env.HTTP_TMP, 'pages');
const DB = path.join(DIR, 'endorse.db');
const GOLDEN = 'tests/http/pages';
const PW = 'correct horse battery';
const UPDATE = process.env.UPDATE === '1';
// The stored pages are of this date, whoever runs the part.
const ENV = { ...process.env, ENDORSE_NOW: '2026-11-23' };

// Only what differs between runs by design is normalised; everything else
// is compared as it is:
// - CSRF tokens: random per session;
// - a rater's link token (/rate/ and 64 hex digits): random per request;
// - the time of day of today's events: ENDORSE_NOW starts the clock at
//   noon of 2026-11-23 and lets it run, so "November 23, 2026 at 12:00"
//   may be a minute or more later (only the minutes after 12: are
//   replaced).
function normalise(html) {
	return html
	    .replace(/(name="csrf" value=")[0-9a-f]{64}"/g, '$1CSRF"')
	    .replace(/\/rate\/[0-9a-f]{64}/g, '/rate/TOKEN')
	    .replace(/\b2026-11-23 12:\d\d\b/g, '2026-11-23 12:MM')
	    .replace(/\bNovember 23, 2026 at 12:\d\d\b/g, 'November 23, 2026 at 12:MM');
}

// The first line where two texts differ: its number, want and got (cut
// around the first differing column when long).
function firstDiff(want, got) {
	const w = want.split('\n'), g = got.split('\n');
	for (let i = 0; ; i++) {
		if (w[i] === g[i]) continue;
		const a = w[i] ?? '(end of file)', b = g[i] ?? '(end of file)';
		let col = 0;
		while (a[col] === b[col]) col++;
		const cut = (s) => s.length <= 160 ? s : (col > 60 ? '...' : '') +
		    s.slice(Math.max(0, col - 60), col + 100) + (col + 100 < s.length ? '...' : '');
		return [`line ${i + 1}:`, `  want ${JSON.stringify(cut(a))}`,
		    `  got  ${JSON.stringify(cut(b))}`].join('\n');
	}
}

// One page, GET as u: 200 and, normalised, the bytes of its stored file.
async function page(name, u, url) {
	const file = `${GOLDEN}/${name}.html`;
	await test(UPDATE ? `page ${name} written to ${file} (UPDATE=1)` :
	    `page ${name} is byte-identical to ${file}`, async (c) => {
		const r = await u.get(url);
		if (!c.status(r, 200, `GET ${url} as ${u.label}`))
			return;
		const got = normalise(r.text);
		const abs = path.join(ROOT, file);
		if (UPDATE) {
			fs.mkdirSync(path.dirname(abs), { recursive: true });
			fs.writeFileSync(abs, got);
			return;
		}
		if (!fs.existsSync(abs))
			return c.fail(`no ${file}: run with UPDATE=1 to write it`);
		const want = fs.readFileSync(abs, 'utf8');
		if (want !== got)
			c.fail(`GET ${url} as ${u.label} differs from ${file}, ` +
			    firstDiff(want, got));
	});
}

// ------------------------------------------------------------ the server

async function start() {
	fs.mkdirSync(DIR, { recursive: true });
	return ownServer({ name: 'pages', bin: BIN, root: ROOT, db: DB,
	    rules: path.join(ROOT, 'rules'), env: ENV });
}

// ------------------------------------------------------------ the data

// A step of the setup: anything but the expected status stops it.
function step(what, r, want = 303) {
	if (r.status !== want)
		throw new Error(`${what}: status ${r.status}, want ${want}; ` +
		    r.text.slice(0, 400));
	return r;
}

async function person(srv, label, name, email) {
	const u = new Client(label, srv.base);
	Object.assign(u, { name, email, password: PW });
	step(`register ${email}`, await u.submit('/register',
	    { name, email, password: PW, association: 'vaimh' }));
	// A registration logs no one in: the person logs in next.
	step(`log in ${email}`, await u.submit('/login', { email, password: PW }));
	return u;
}

// Each kind's entries, as typed into the tab's form.
const ENTRIES = [
	['education', { level: 'bachelor', degree: 'BSW', field: 'Social Work',
	    institution: 'Golden University', conferred: '2015-05-20' }],
	['work', [['title', 'Home Visitor'], ['employer', 'Early Steps'], ['start', '2016-01-04'],
	    ['end', ''], ['paid', 'yes'], ['supervised', 'yes'], ['ages', 'infant'],
	    ['service', 'prevention'], ['families', '14'], ['staff', '']]],
	['training', [['title', 'Cultural humility in home visiting'], ['date', '2021-03-02'],
	    ['hours', '6'], ['topics', 'dei'], ['role', 'attended']]],
	['training', { title: 'Infant mental health foundations', date: '2021-05-10',
	    hours: '24', role: 'attended' }],
	['rsc_received', { provider: 'Robin Roe', provider_endorsements: 'IMHM-C',
	    format: 'individual', start: '2019-01-01', end: '2020-06-30', hours: '26',
	    focus: 'practice' }],
	['leadership', { activity: 'Board of the local early intervention council',
	    start: '2022-01-01', end: '', level: 'local' }],
	['references', { name: 'Sam Lee', email: 'sam.lee@example.org',
	    relationship: 'program_supervisor', endorsements: 'IFS' }],
	['references', { name: 'Robin Roe', email: 'robin.roe@example.org',
	    relationship: 'rsc_provider', endorsements: 'IMHM-C' }],
	['references', { name: 'Kim Park', email: 'kim.park@example.org',
	    relationship: 'colleague', endorsements: '' }],
];
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n');

// Answers of the vaimh rating form (15 items), recommending.
function answers() {
	const f = { action: 'rate', recommend: 'yes', comments: 'Warm & steady <work> with families.' };
	for (let i = 0; i < 15; i++)
		f[`item${i}`] = String(1 + (i % 4));
	return f;
}

// An applicant's IFS application: membership, ethics, an entry of each
// kind but RSC provided, a transcript, three raters asked; their links
// (none answered yet) and the application's id are returned.
async function applicant(P) {
	step('membership', await P.submit('/membership',
	    { term: 'vaimh/individual-1', start: '2026-01-01' }));
	const r = step('new application', await P.submit('/applications',
	    { choice: 'vaimh/IFS' }));
	const app = Number(r.location.match(/^\/applications\/(\d+)$/)[1]);
	for (const [kind, form] of ENTRIES)
		step(`add ${kind}`, await P.submit(`/applications/${app}/tab/${kind}`, form));
	const edu = (await P.get(`/applications/${app}/tab/education`)).text
	    .match(new RegExp(`/applications/${app}/entries/(\\d+)`))[1];
	step('transcript', await P.submitMultipart(
	    `/applications/${app}/entries/${edu}/transcript`, (fd) =>
	    fd.append('pdf', new Blob([PDF], { type: 'application/pdf' }), 'transcript.pdf')));
	step('ethics', await P.submit(`/applications/${app}/ethics`, { agree: 'yes' }));
	const refs = (await P.get(`/applications/${app}/tab/references`)).text;
	for (const m of new Set(refs.match(new RegExp(`/applications/${app}/entries/\\d+/request`, 'g'))))
		step(`request ${m}`, await P.submit(m));
	// The links as the raters get them: in their mail (the part's own
	// database; the applicant is never shown one).
	const bodies = spawnSync('sqlite3', [DB, 'SELECT body FROM outbox WHERE ' +
	    "subject LIKE 'A reference rating for %' ORDER BY id"], { encoding: 'utf8' }).stdout;
	const links = [...bodies.matchAll(/\/rate\/[0-9a-f]{64}/g)].map((m) => m[0]);
	if (links.length !== 3)
		throw new Error(`${links.length} rating links, want 3`);
	return { app, links };
}

// ------------------------------------------------------------ the pages

export async function run() {
	const srv = await start();
	try {
		await pages(srv);
	} finally {
		const code = await srv.stop();
		await test("pages: the part's own server exits 0 on SIGTERM, no sanitizer report", (c) => {
			c.eq(code, 0, 'exit status');
			c.ok(!/ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: /.test(srv.err),
			    `server stderr:\n${srv.err.split('\n').slice(0, 40).join('\n')}`);
		});
	}
}

async function pages(srv) {
	const S = {};
	await test('pages: setup: Pat applies for IFS and asks three raters', async () => {
		const m = srv.out.match(/^coordinator for vaimh created: log in as (\S+) with password (\S+) /m);
		S.coord = new Client('coordinator', srv.base);
		step('coordinator login', await S.coord.submit('/login', { email: m[1], password: m[2] }));
		S.P = await person(srv, 'applicant', 'Pat Golden', 'pat.golden@example.org');
		S.E = await person(srv, 'endorsee', 'Eve Holder', 'eve.holder@example.org');
		Object.assign(S, await applicant(S.P));
	});
	if (S.links === undefined)
		return;
	const rater = new Client('rater', srv.base);
	await page('rate', rater, S.links[0]);

	await test('pages: setup: the raters answer, Pat submits, Eve holds IFS, logs hours and reviews', async () => {
		const { coord, P, E, app } = S;
		for (const l of S.links)
			step(`rating ${l}`, await rater.submit(l, answers()), 200);
		step('submit', await P.submit(`/applications/${app}/submit`, { declare: 'yes' }));
		const csv = path.join(DIR, 'endorsees.csv');
		fs.writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
		    `VA-GOLDEN-1,Eve Holder,${E.email},IFS,2023-03-15,active,Richmond\n`);
		const imp = spawnSync(BIN, ['import', 'endorsees', '--db', DB, '--association',
		    'vaimh', '--rules', path.join(ROOT, 'rules'), csv], { encoding: 'utf8', env: ENV });
		if (imp.status !== 0)
			throw new Error(`import endorsees: ${imp.stderr}`);
		step('log training', await E.submit('/renewal/log', { association: 'vaimh',
		    kind: 'training', title: 'Reflective practice day', date: '2025-06-01',
		    hours: '6', role: 'attended' }));
		step('log rsc', await E.submit('/renewal/log', { association: 'vaimh',
		    kind: 'rsc_received', provider: 'Robin Roe', format: 'group',
		    start: '2025-01-01', end: '2025-12-31', hours: '12', focus: 'practice' }));
		step('add reviewer', await coord.submit('/coordinator/reviewers', { email: E.email }));
		const cand = (await coord.get(`/coordinator/applications/${app}`)).text
		    .match(/<option value="(\d+)"[^>]*>Eve Holder /);
		step('assign', await coord.submit(`/coordinator/applications/${app}/assign`,
		    { reviewer: cand[1] }));
		S.review = (await E.get('/review')).text.match(/href="(\/review\/\d+)"/)[1];
	});
	if (S.review === undefined)
		return;

	const { coord, P, E, app } = S;
	await page('dashboard', P, '/dashboard');
	await page('application', P, `/applications/${app}`);
	await page('tab-training', P, `/applications/${app}/tab/training`);
	await page('tab-references', P, `/applications/${app}/tab/references`);
	await page('coord-dashboard', coord, '/coordinator');
	await page('coord-application', coord, `/coordinator/applications/${app}`);
	await page('dashboard-endorsee', E, '/dashboard');
	await page('review', E, S.review);
	await page('renewal', E, '/renewal');
}
