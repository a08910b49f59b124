// Whom a rule change moves: `endorse rules impact` on a database of a
// handful of applicants and endorsees, between a copy of the rules and a
// copy with two numbers changed (vaimh IFS training N -> N + 10, the
// 3-year renewal row's training M -> M + 5); then the coordinator's page
// after the server restarts on the changed rules.
//
// The rules are this suite's own copies of tests/fixtures/rules-897ac36/
// (frozen), so that edits of the shipped rules/ do not move what this
// suite expects.  The numbers changed are read from the copy.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { Server, TMP, ROOT } from '../lib/server.mjs';
import { person, relogin, completedRatings } from '../lib/fixtures.mjs';

const NOW = '2026-11-23';
const FIXTURE = path.join(ROOT, 'tests/fixtures/rules-897ac36');
const dirs = {};
for (const d of ['old', 'same', 'new', 'gone', 'bad'])
	fs.mkdirSync(dirs[d] = path.join(TMP, `rules-${d}`), { recursive: true });
for (const f of fs.readdirSync(FIXTURE).filter((f) => f.endsWith('.rules')))
	for (const d of ['old', 'same', 'new', 'gone', 'bad'])
		fs.copyFileSync(path.join(FIXTURE, f), path.join(dirs[d], f));

// The changed copy: IFS training N -> N + 10, prorate 3 training M -> M + 5.
const vaimh = fs.readFileSync(path.join(dirs.old, 'vaimh.rules'), 'utf8');
const ifs = vaimh.match(/^category IFS [\s\S]*?^end$/m)[0];
const N = Number(ifs.match(/^\t\thours training >= (\d+)$/m)[1]);
const M = Number(vaimh.match(/^\tprorate\s+3\s+(\d+)\s/m)[1]);
const changed = vaimh.replace(ifs, ifs.replace(/^(\t\thours training >= )\d+$/m,
    `$1${N + 10}`)).replace(/^(\tprorate\s+3\s+)(\d+)(\s)/m,
    (m, a, b, c) => a + String(M + 5).padEnd(b.length) + c);
fs.writeFileSync(path.join(dirs.new, 'vaimh.rules'), changed);
fs.rmSync(path.join(dirs.gone, 'infancy-onward.rules'));
// A broken number in the bad copy, at a line we know.
const badLines = vaimh.split('\n');
const badLine = badLines.findIndex((l) => /^\t\thours training >= \d+$/.test(l));
badLines[badLine] = '\t\thours training >= thirty';
fs.writeFileSync(path.join(dirs.bad, 'vaimh.rules'), badLines.join('\n'));

const srv = await new Server('impact', dirs.old).init();
const { test, sql, one, q, Client, counts, setSuite } = srv.lib;
setSuite('impact');
const sha = (f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

// ------------------------------------------------------------ the data

const at = Date.UTC(2026, 10, 23, 12) / 1000;
function portfolio(assoc, hours, { rsc = true } = {}) {
	return {
		format: 'endorse-portfolio/1', association: assoc, category: 'IFS',
		membership: [{ start: '2026-01-01', end: '2026-12-31' }],
		ethics_signed: '2026-02-01',
		education: [{ level: 'bachelor', degree: 'BSW', field: 'Social Work',
		    institution: 'Example University', conferred: '2015-05-20',
		    transcript: true }],
		work: [{ title: 'Home Visitor', employer: 'Early Steps',
		    start: '2016-01-04', end: null, paid: true, supervised: true,
		    licensed: false, ages: ['infant'], service: 'prevention',
		    families: 14 }],
		training: [{ title: 'Foundations', date: '2021-05-10', hours,
		    topics: ['dei'], role: 'attended' }],
		rsc_received: rsc ? [{ provider: 'Robin Roe',
		    provider_endorsements: ['IMHM-C'], format: 'individual',
		    start: '2019-01-01', end: '2020-06-30', hours: 26,
		    focus: 'practice' }] : [],
		rsc_provided: [], leadership: [],
		references: [
			{ name: 'Sam Lee', email: 'sam@impact.example',
			    relationship: 'program_supervisor', endorsements: ['IFS'],
			    status: 'completed' },
			{ name: 'Robin Roe', email: 'robin@impact.example',
			    relationship: 'rsc_provider', endorsements: ['IMHM-C'],
			    status: 'completed' },
			{ name: 'Kim Park', email: 'kim@impact.example',
			    relationship: 'colleague', endorsements: [],
			    status: 'completed' },
		],
		exam: [], endorsements: [],
	};
}

// An applicant with one application, its portfolio and completed ratings
// (a reference counts only through its rating), then its status.
async function applicant(c, key, name, assoc, hours, status, opts) {
	const u = await person(srv, name, `${key}@impact.example`);
	let r = await u.post('/api/v1/applications', { bearer: u.token,
	    json: { association: assoc, category: 'IFS' } });
	c.status(r, 201, `${key}: application`);
	u.app = r.json()?.id;
	r = await u.req('PUT', `/api/v1/applications/${u.app}/portfolio`,
	    { bearer: u.token, json: portfolio(assoc, hours, opts) });
	c.status(r, 200, `${key}: portfolio`);
	completedRatings(srv, u.app, key, portfolio(assoc, hours).references, at);
	if (status !== 'draft')
		sql(`UPDATE application SET status = ${q(status)} WHERE id = ${u.app}`);
	return u;
}

// An endorsee: an imported endorsement, a membership over the cycle,
// training and RSC in the log (the renewal API).
async function endorsee(c, key, name, assoc, number, since, hours, status = 'active') {
	const u = await person(srv, name, `${key}@impact.example`);
	const imp = srv.importEndorsees(assoc, [{ number, name, email: u.email,
	    category: 'IFS', since }]);
	c.eq(imp.status, 0, `${key}: import: ${imp.stderr}`);
	sql(`INSERT INTO membership (account, association, start, end, created) ` +
	    `SELECT id, ${q(assoc)}, '2025-01-01', '2027-12-31', ${at} FROM ` +
	    `account WHERE email = ${q(u.email)}`);
	const log = async (kind, e) => {
		const r = await u.post(`/api/v1/log/${kind}?association=${assoc}`,
		    { bearer: u.token, json: e });
		c.status(r, 201, `${key}: ${kind} logged`);
	};
	await log('training', { title: 'Renewal training', date: '2025-07-01',
	    hours, topics: ['dei'], role: 'attended' });
	await log('rsc_received', { provider: 'Robin Roe',
	    provider_endorsements: ['IMHM-C'], format: 'individual',
	    start: '2025-07-01', end: '2026-06-30', hours: 40, focus: 'practice' });
	if (status !== 'active')
		sql(`UPDATE endorsement SET status = ${q(status)} WHERE number = ${q(number)}`);
	return u;
}

const P = {};
await srv.start(NOW);
await test('a database of applicants and endorsees, made through the API and the import', async (c) => {
	// vaimh IFS, exactly N hours: eligible, not after N + 10 (three open
	// statuses); with more hours, or short of RSC anyway, or decided: no move.
	P.ada = await applicant(c, 'ada', 'Ada <b>Draft</b> & Co', 'vaimh', N, 'draft');
	P.dee = await applicant(c, 'dee', 'Dee Submitted', 'vaimh', N, 'submitted');
	P.fay = await applicant(c, 'fay', 'Fay Deferred', 'vaimh', N, 'deferred');
	P.exa = await applicant(c, 'exa', 'Exa Exam', 'vaimh', N + 15, 'exam');
	P.ben = await applicant(c, 'ben', 'Ben Plenty', 'vaimh', N + 15, 'draft');
	P.cy = await applicant(c, 'cy', 'Cy Short', 'vaimh', N, 'draft', { rsc: false });
	P.eve = await applicant(c, 'eve', 'Eve Endorsed', 'vaimh', N, 'endorsed');
	P.gus = await applicant(c, 'gus', 'Gus Denied', 'vaimh', N, 'denied');
	P.io = await applicant(c, 'io', 'Io Onward', 'infancy-onward', N, 'draft');
	// Renewals in the 3-year row (endorsed since 2020): exactly M hours
	// moves; more, the 2-year row (since 2025-06-01), lapsed, or
	// infancy-onward's: no move.
	P.hal = await endorsee(c, 'hal', 'Hal Exact', 'vaimh', 'VA-2020-0001', '2020-01-01', M);
	P.ida = await endorsee(c, 'ida', 'Ida More', 'vaimh', 'VA-2020-0002', '2020-01-01', M + 10);
	P.jon = await endorsee(c, 'jon', 'Jon Recent', 'vaimh', 'VA-2025-0003', '2025-06-01', M);
	P.kay = await endorsee(c, 'kay', 'Kay Lapsed', 'vaimh', 'VA-2020-0004', '2020-01-01', M, 'lapsed');
	P.olu = await endorsee(c, 'olu', 'Olu Onward', 'infancy-onward', 'IO-2020-0005', '2020-01-01', M);
	// What the web says today, by the rules in force (the old ones).
	const check = async (u) => (await u.get(`/api/v1/applications/${u.app}/checklist`,
	    { bearer: u.token })).json();
	for (const k of ['ada', 'dee', 'fay', 'ben', 'exa'])
		c.eq((await check(P[k]))?.eligible, true, `${k}: eligible by the old rules`);
	c.eq((await check(P.cy))?.eligible, false, 'cy: not eligible (no RSC)');
	const ren = async (u, number) => ((await u.get('/api/v1/renewal',
	    { bearer: u.token })).json()?.endorsements || []).find((e) => e.number === number);
	c.eq((await ren(P.hal, 'VA-2020-0001'))?.renewal?.met, true, 'hal: renewal met by the old rules');
	c.eq((await ren(P.jon, 'VA-2025-0003'))?.renewal?.years_endorsed, 2, 'jon: the 2-year row');
});
await srv.stop();

// ------------------------------------------------------------ the command

function impact(args, now = NOW) {
	return srv.cli(['rules', 'impact', '--db', srv.db, ...args], now);
}
const lines = (s) => s.split('\n').filter((l) => l !== '');
const want = [
	`application ${P.ada.app}\tAda <b>Draft</b> & Co\tvaimh\tIFS\teligible -> not eligible\ttraining`,
	`application ${P.dee.app}\tDee Submitted\tvaimh\tIFS\teligible -> not eligible\ttraining`,
	`application ${P.fay.app}\tFay Deferred\tvaimh\tIFS\teligible -> not eligible\ttraining`,
	'renewal VA-2020-0001\tHal Exact\tvaimh\tIFS\tmet -> not met\trenewal.training',
	'3 applications and 1 renewals change verdict',
];

await test('a changed rule pair lists exactly whom it moves, and the summary', async (c) => {
	const r = impact([dirs.old, dirs.new]);
	c.eq(r.status, 0, `exit status (stderr: ${r.stderr})`);
	c.eq(r.stderr, '', 'nothing on stderr');
	c.eq(lines(r.stdout), want, 'the moves, one line each, then the summary');
});

await test('--format json: the same content', async (c) => {
	const r = impact(['--format', 'json', dirs.old, dirs.new]);
	c.eq(r.status, 0, `exit status (stderr: ${r.stderr})`);
	const d = JSON.parse(r.stdout);
	c.eq(d.format, 'endorse-impact/1', 'format');
	c.eq(d.as_of, NOW, 'as of ENDORSE_NOW');
	c.eq(d.summary, want[4], 'summary');
	c.eq(d.moved, { applications: 3, renewals: 1 }, 'moved');
	c.eq(d.evaluated, { applications: 7, renewals: 4 },
	    'evaluated: the 7 open applications, the 4 active endorsements');
	c.eq(d.applications.map((m) => [m.id, m.name, m.status, m.old, m.new, m.changed]),
	    [P.ada, P.dee, P.fay].map((u, i) => [u.app, ['Ada <b>Draft</b> & Co',
	    'Dee Submitted', 'Fay Deferred'][i], ['draft', 'submitted', 'deferred'][i],
	    'eligible', 'not eligible', [{ id: 'training', old: 'met', new: 'not met' }]]),
	    'applications');
	c.eq(d.renewals.map((m) => [m.endorsement, m.name, m.category, m.old, m.new,
	    m.old_cycle, m.new_cycle, m.changed]), [['VA-2020-0001', 'Hal Exact', 'IFS',
	    'met', 'not met', 2027, 2027, [{ id: 'renewal.training', old: 'met',
	    new: 'not met' }]]], 'renewals');
});

await test('an unchanged pair lists nothing', async (c) => {
	const r = impact([dirs.old, dirs.same]);
	c.eq(r.status, 0, `exit status (stderr: ${r.stderr})`);
	c.eq(r.stdout, '0 applications and 0 renewals change verdict\n', 'only the summary');
	const back = impact([dirs.new, dirs.old]);
	c.eq(lines(back.stdout), want.map((l) => l.replace('eligible -> not eligible',
	    'not eligible -> eligible').replace('met -> not met', 'not met -> met')),
	    'the change undone moves the same people back');
});

await test('a rule set missing on one side: no rules', async (c) => {
	const r = impact(['--format', 'json', dirs.old, dirs.gone]);
	c.eq(r.status, 0, `exit status (stderr: ${r.stderr})`);
	const d = JSON.parse(r.stdout);
	c.eq(d.applications.map((m) => [m.id, m.association, m.new, m.changed]),
	    [[P.io.app, 'infancy-onward', 'no rules', []]], 'the infancy-onward application');
	c.eq(d.renewals.map((m) => [m.endorsement, m.new, m.new_cycle]),
	    [['IO-2020-0005', 'no rules', null]], 'the infancy-onward renewal');
	c.eq(d.associations.find((a) => a.id === 'infancy-onward')?.new, null,
	    'no new file for infancy-onward');
});

await test('bad input exits 2 with a message and nothing on stdout', async (c) => {
	const cases = [
		[[dirs.old, path.join(TMP, 'nowhere')], `endorse: ${path.join(TMP, 'nowhere')}: No such file or directory`],
		[[dirs.old, path.join(dirs.old, 'vaimh.rules')], `endorse: ${path.join(dirs.old, 'vaimh.rules')}: not a directory`],
		[[dirs.old, dirs.bad], `endorse: ${path.join(dirs.bad, 'vaimh.rules')}:${badLine + 1}: hours: expected a number, not 'thirty'`],
		[[dirs.old], 'endorse: rules impact: expected OLD_DIR NEW_DIR'],
	];
	for (const [args, msg] of cases) {
		const r = impact(args);
		c.eq([r.status, r.stdout, r.stderr.trim()], [2, '', msg], args.join(' '));
	}
	let r = srv.cli(['rules', 'impact', dirs.old, dirs.new]);
	c.eq([r.status, r.stdout, r.stderr.trim()], [2, '',
	    'endorse: rules impact: --db FILE is required'], 'no --db');
	r = srv.cli(['rules', 'impact', '--db', path.join(TMP, 'none.db'), dirs.old, dirs.new]);
	c.eq([r.status, r.stdout, r.stderr.trim()], [2, '',
	    `endorse: ${path.join(TMP, 'none.db')}: no such database (--db FILE)`], 'no database');
	c.ok(!fs.existsSync(path.join(TMP, 'none.db')), 'and none made');
	const junk = path.join(TMP, 'junk.db');
	fs.writeFileSync(junk, 'this is not a database, but long enough to be read as one\n'.repeat(20));
	r = srv.cli(['rules', 'impact', '--db', junk, dirs.old, dirs.new]);
	c.eq([r.status, r.stdout], [2, ''], `a file that is no database: ${r.stderr}`);
	c.has(r.stderr, 'file is not a database', 'says so');
	r = srv.cli(['rules', 'impact', '--db', srv.db, '--format', 'yaml', dirs.old, dirs.new]);
	c.eq([r.status, r.stdout], [2, ''], 'a bad --format');
});

// ------------------------------------------------------------ the page

let vcoord, icoord;
await test('the first start recorded each rule file; an unchanged restart records nothing', async (c) => {
	c.eq(sql('SELECT association, sha256 FROM rule_version ORDER BY association'),
	    [{ association: 'infancy-onward', sha256: sha(path.join(dirs.old, 'infancy-onward.rules')) },
	    { association: 'vaimh', sha256: sha(path.join(dirs.old, 'vaimh.rules')) }],
	    'a version per association, by the SHA-256 of its file');
	c.eq(one('SELECT count(*) FROM rule_change'), 0, 'no change');
	c.eq(one('SELECT text FROM rule_version WHERE association = \'vaimh\''), vaimh,
	    'the text kept');
	await srv.start(NOW);
	c.eq(one('SELECT count(*) FROM rule_version'), 2, 'the same files: nothing more');
	vcoord = new Client('vaimh coordinator');
	Object.assign(vcoord, srv.coordinators.vaimh);
	icoord = new Client('infancy-onward coordinator');
	Object.assign(icoord, srv.coordinators['infancy-onward']);
	await relogin(vcoord);
	await relogin(icoord);
	const r = await vcoord.get('/coordinator/rules');
	c.status(r, 200, 'the page');
	c.has(r.text, 'No change recorded', 'no change yet');
	c.has(r.text, sha(path.join(dirs.old, 'vaimh.rules')).slice(0, 12), 'the version in force');
	c.has((await vcoord.get('/coordinator')).text, 'href="/coordinator/rules"',
	    'linked from the coordinator\'s page');
	await srv.stop();
});

await test('a restart on changed rules records the change and whom it moves', async (c) => {
	srv.rules = dirs.new;
	await srv.start(NOW);
	c.has(srv.out, 'rules of vaimh changed: 3 applications and 1 renewals change verdict',
	    'the server says so when it starts');
	c.eq(sql('SELECT association, applications, renewals FROM rule_change'),
	    [{ association: 'vaimh', applications: 3, renewals: 1 }], 'one change, of vaimh');
	const d = JSON.parse(one('SELECT impact FROM rule_change'));
	const cli = JSON.parse(impact(['--format', 'json', dirs.old, dirs.new]).stdout);
	// The server judges the association that changed: its own counts of
	// what it evaluated, the same moves.
	for (const k of ['format', 'as_of', 'applications', 'renewals', 'moved', 'summary'])
		c.eq(d[k], cli[k], `${k}: the same as the command line's`);
	c.eq(d.evaluated, { applications: 6, renewals: 3 }, 'evaluated: vaimh\'s');
	c.eq(d.associations.map((a) => a.id), ['vaimh'], 'vaimh only');
	await relogin(vcoord);
	const r = await vcoord.get('/coordinator/rules');
	c.status(r, 200, 'the page');
	c.has(r.text, '3 applications and 1 renewals change verdict', 'the summary');
	c.has(r.text, `<code>${sha(path.join(dirs.old, 'vaimh.rules')).slice(0, 12)}</code> was replaced by <code>${sha(path.join(dirs.new, 'vaimh.rules')).slice(0, 12)}</code>`,
	    'old hash -> new hash');
	for (const k of ['ada', 'dee', 'fay'])
		c.has(r.text, `<a href="/coordinator/applications/${P[k].app}">`, `${k} linked`);
	c.has(r.text, 'Ada &lt;b&gt;Draft&lt;/b&gt; &amp; Co', 'the name escaped');
	c.lacks(r.text, '<b>Draft</b>', 'never raw');
	c.has(r.text, '<td>VA-2020-0001</td><td>Hal Exact</td><td>IFS</td><td>met</td><td>not met</td><td>renewal.training</td>',
	    'the renewal by its number');
	for (const name of ['Ben Plenty', 'Cy Short', 'Eve Endorsed', 'Gus Denied', 'Exa Exam',
	    'Io Onward', 'Ida More', 'Jon Recent', 'Kay Lapsed', 'Olu Onward'])
		c.lacks(r.text, name, `${name} not listed`);
	const id = one('SELECT id FROM rule_change');
	const one1 = await vcoord.get(`/coordinator/rules/${id}`);
	c.status(one1, 200, 'the change by its id');
	c.has(one1.text, 'Hal Exact', 'with its moves');
	c.status(await vcoord.get(`/coordinator/rules/${id + 1}`), 404, 'a change that is not there');
});

await test('another association\'s coordinator, an applicant and nobody are refused', async (c) => {
	const id = one('SELECT id FROM rule_change');
	await relogin(icoord);
	let r = await icoord.get(`/coordinator/rules/${id}`);
	c.status(r, 404, 'infancy-onward\'s coordinator: vaimh\'s change is not found');
	c.lacks(r.text, 'Hal Exact', 'and shows none of it');
	r = await icoord.get('/coordinator/rules');
	c.status(r, 200, 'their own page');
	c.has(r.text, 'No change recorded', 'without vaimh\'s change');
	c.lacks(r.text, 'Ada &lt;b&gt;', 'no vaimh name');
	await relogin(P.ada);
	r = await P.ada.get('/coordinator/rules');
	c.status(r, 403, 'an applicant');
	c.lacks(r.text, 'Hal Exact', 'reads nothing');
	c.status(await P.ada.get(`/coordinator/rules/${id}`), 403, 'an applicant, by id');
	r = await new Client('nobody').get(`/coordinator/rules/${id}`);
	c.redirect(r, '/login', 'nobody is sent to log in');
	r = await P.ada.get(`/api/v1/applications/${P.ada.app}/checklist`, { bearer: P.ada.token });
	c.eq(r.json()?.eligible, false, 'and the web now judges by the new rules');
	await srv.stop();
});

await test('endorse tick records a change too, once', async (c) => {
	const t = srv.cli(['tick', '--db', srv.db, '--rules', dirs.old, '--share', ROOT,
	    '--now', NOW]);
	c.eq(t.status, 0, `tick: ${t.stderr}`);
	c.has(t.stdout, 'rules of vaimh changed: 3 applications and 1 renewals change verdict',
	    'the change back');
	const again = srv.cli(['tick', '--db', srv.db, '--rules', dirs.old, '--share', ROOT,
	    '--now', NOW]);
	c.lacks(again.stdout, 'changed', 'not twice');
	c.eq(one('SELECT count(*) FROM rule_change'), 2, 'two changes in all');
	const back = JSON.parse(one('SELECT impact FROM rule_change ORDER BY id DESC LIMIT 1'));
	c.eq(back.applications.map((m) => [m.id, m.old, m.new]), [P.ada, P.dee, P.fay].map((u) =>
	    [u.app, 'not eligible', 'eligible']), 'moved back');
});

// A previous version that the engine no longer reads: recorded, said.
await test('a previous version that no longer reads is recorded without its moves', async (c) => {
	sql(`UPDATE rule_version SET text = 'association vaimh\nnonsense here\n' ` +
	    `WHERE id = (SELECT max(id) FROM rule_version WHERE association = 'vaimh')`);
	const t = srv.cli(['tick', '--db', srv.db, '--rules', dirs.new, '--share', ROOT,
	    '--now', NOW]);
	c.eq(t.status, 0, `tick: ${t.stderr}`);
	c.has(t.stdout, 'rules of vaimh changed; whom it moves is not known:', 'says so');
	srv.rules = dirs.new;
	await srv.start(NOW);
	await relogin(vcoord);
	const r = await vcoord.get('/coordinator/rules');
	c.status(r, 200, 'the page');
	c.has(r.text, 'Whom this change moved is not known', 'the page says so');
	await srv.stop();
});

for (const p of srv.problems) {
	console.log('not ok - impact: the server or a command failed');
	for (const l of p.split('\n').slice(0, 30)) console.log('#   ' + l);
}
const n = counts();
fs.writeFileSync(path.join(TMP, 'impact.counts'), `${n.pass} ${n.fail}\n`);
