// The web's renewal verdicts against `endorse renewal` on the exported
// portfolio, over generated endorsees (a fixed seed): for every
// endorsement, GET /api/v1/renewal and `endorse renewal --cycle YEAR
// --format json` on GET /api/v1/endorsements/ID/portfolio must give the
// same endorse-renewal/1 document, and the renewal page the same verdict.
// Two rule sets: INfancy Onward's 3-year fixed cycle and an annual model
// (the same file with 'cycle 1 years', one prorate row).
import fs from 'node:fs';
import path from 'node:path';

import { Server, ROOT, TMP } from '../lib/server.mjs';
import { person, relogin } from '../lib/fixtures.mjs';

// The annual model: INfancy Onward's rules, renewed every year.
const rules = path.join(TMP, 'rules');
fs.mkdirSync(rules, { recursive: true });
for (const f of fs.readdirSync(path.join(ROOT, 'rules')))
	fs.copyFileSync(path.join(ROOT, 'rules', f), path.join(rules, f));
const annual = fs.readFileSync(path.join(ROOT, 'rules/infancy-onward.rules'), 'utf8')
    .replace(/^association infancy-onward$/m, 'association annual-test')
    .replace(/^name .*$/m, 'name "An association renewing every year"')
    .replace(/^\tcycle 3 years from 2024$/m, '\tcycle 1 years from 2024')
    .replace(/^\twindow 10-01 to 12-31$/m, '\twindow 01-01 to 12-31')
    .replace(/^\tprorate  [32] .*\n/gm, '')
    .replace(/^\tnumber IN$/m, '\tnumber AN');
fs.writeFileSync(path.join(rules, 'annual-test.rules'), annual);

const srv = await new Server('compare', rules).init();
const { test, sql, one, counts, setSuite } = srv.lib;
setSuite('renewal');

// A small deterministic generator (mulberry32).
let seed = 20271115;
function rand() {
	seed |= 0; seed = seed + 0x6D2B79F5 | 0;
	let t = Math.imul(seed ^ seed >>> 15, 1 | seed);
	t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
	return ((t ^ t >>> 14) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
function day(s) { return Date.parse(s + 'T00:00:00Z') / 86400000; }
function iso(d) { return new Date(d * 86400000).toISOString().slice(0, 10); }

const NOW = '2027-11-15';
const CATS = ['IFS', 'IMHS', 'IMHM-C', 'ECFS', 'IFA', 'ECMHS'];
const PROVIDERS = [['IMHM-C'], ['ECMHM-C'], ['ERS'], ['IFS'], [], ['IMHS', 'ERS']];
const N = 36;

function trainingEntry() {
	const topics = [];
	if (rand() < 0.2) topics.push('dei');
	if (rand() < 0.2) topics.push('rsc_provision');
	if (rand() < 0.1) topics.push('home-visiting');
	return { title: 'Course ' + int(1, 999), date: iso(int(day('2023-06-01'),
	    day("2027-11-15"))), hours: int(2, 40) / 2, topics,
	    role: pick(['attended', 'attended', 'attended', 'provided', 'volunteer']) };
}
function rscEntry() {
	const s = int(day('2023-06-01'), day('2027-10-01'));
	const e = { provider: 'Provider ' + int(1, 99),
	    provider_endorsements: pick(PROVIDERS),
	    format: pick(['individual', 'individual', 'group', 'peer']),
	    hours: int(4, 40) / 2, focus: pick(['practice', 'practice', 'provision']) };
	if (rand() < 0.2) e.date = iso(s);
	else { e.start = iso(s); e.end = iso(s + int(0, 200)); }
	return e;
}

const people = [];
await srv.start('2027-07-01');
await test('compare: generated endorsees with memberships and logs', async (c) => {
	const rows = { 'infancy-onward': [], 'annual-test': [] };
	for (let i = 0; i < N; i++) {
		const u = await person(srv, `Gen ${i}`, `gen${i}@compare.example`);
		u.assoc = i % 3 === 2 ? 'annual-test' : 'infancy-onward';
		u.number = `${u.assoc === 'annual-test' ? 'AN' : 'IN'}-G-${i}`;
		rows[u.assoc].push({ number: u.number, name: u.name, email: u.email,
		    category: pick(CATS), since: iso(int(day('2019-01-01'), day('2027-06-30'))) });
		if (rand() < 0.15)
			rows[u.assoc].push({ number: u.number + '-ERS', name: u.name,
			    email: u.email, category: 'ERS', since: iso(int(day('2022-01-01'),
			    day('2027-01-01'))) });
		people.push(u);
	}
	for (const a of Object.keys(rows)) {
		const r = srv.importEndorsees(a, rows[a], NOW);
		c.eq(r.status, 0, `import ${a}: ${r.stderr}`);
	}
	for (const u of people) {
		await relogin(u);
		// Memberships, sometimes with a gap.
		for (let y = 2023; y <= 2027; y++) {
			if (rand() < 0.1) continue;
			const r = await u.submit('/membership', { term: `${u.assoc}/individual-1`,
			    start: `${y}-01-01` });
			c.redirect(r, '/membership', `membership ${u.email} ${y}`);
		}
		for (let k = int(4, 30); k > 0; k--) {
			const kind = rand() < 0.65 ? 'training' : 'rsc_received';
			const r = await u.post(`/api/v1/log/${kind}?association=${u.assoc}`,
			    { bearer: u.token, json: kind === 'training' ? trainingEntry() : rscEntry() });
			c.status(r, 201, `log ${u.email}`);
		}
	}
	c.ok(one('SELECT count(*) FROM log_entry') > N * 3, 'logs stored');
});
await test('compare: a bad log entry over the API names the field, stores nothing', async (c) => {
	const u = people[0], before = one('SELECT count(*) FROM log_entry');
	let r = await u.post(`/api/v1/log/training?association=${u.assoc}`,
	    { bearer: u.token, json: { title: 'x', date: '2027-02-30', hours: 2,
	    role: 'attended' } });
	c.status(r, 400, 'a date that does not exist');
	c.has(r.text, 'date', 'names the field');
	r = await u.post(`/api/v1/log/training?association=${u.assoc}`,
	    { bearer: u.token, json: { title: 'x', date: '2027-02-03', hours: -2,
	    role: 'attended' } });
	c.status(r, 400, 'negative hours');
	c.has(r.text, 'hours', 'names the field');
	r = await u.post(`/api/v1/log/exam?association=${u.assoc}`,
	    { bearer: u.token, json: {} });
	c.status(r, 404, 'not a kind of log entry');
	r = await u.post('/api/v1/log/training?association=vaimh',
	    { bearer: u.token, json: trainingEntry() });
	c.status(r, 400, 'an association the endorsee holds nothing of');
	c.eq(one('SELECT count(*) FROM log_entry'), before, 'nothing stored');
});
await srv.stop();

await srv.start(NOW);
let compared = 0, met = 0, required = 0;
const byAssoc = { 'infancy-onward': { required: 0, met: 0 },
    'annual-test': { required: 0, met: 0 } };
await test('compare: every web verdict equals endorse renewal on the export', async (c) => {
	for (const u of people) {
		const r = await u.get('/api/v1/renewal', { bearer: u.token });
		c.status(r, 200, `renewal of ${u.email}`);
		await relogin(u);
		const page = await u.get('/renewal');
		for (const e of r.json()?.endorsements || []) {
			if (!e.renewal) {
				c.ok(e.category === 'ERS', `${e.number}: no verdict: ${e.problem}`);
				continue;
			}
			const p = await u.get(`/api/v1/endorsements/${e.id}/portfolio`,
			    { bearer: u.token });
			c.status(p, 200, `export ${e.number}`);
			const f = path.join(srv.dir, `${e.number}.json`);
			fs.writeFileSync(f, p.text);
			const cli = srv.cli(['renewal', '--cycle', String(e.renewal.cycle),
			    '--rules', rules, '--format', 'json', f], NOW);
			let doc;
			try { doc = JSON.parse(cli.stdout); } catch { doc = undefined; }
			c.eq(e.renewal, doc, `${e.number} (${e.category}): web and CLI`);
			c.eq(cli.status, e.renewal.met ? 0 : 1, `${e.number}: exit status`);
			const card = page.text.slice(page.text.indexOf(`id="e-${e.id}"`));
			const shown = card.slice(0, card.indexOf('</div>'));
			if (e.renewal.required)
				c.has(shown, e.renewal.met ? 'Every renewal requirement is met' :
				    'Not every renewal requirement is met yet',
				    `${e.number}: the page says the same`);
			compared++;
			if (e.renewal.required) {
				required++;
				byAssoc[u.assoc].required++;
				if (e.renewal.met) { met++; byAssoc[u.assoc].met++; }
			}
		}
	}
	c.ok(compared >= N, `compared ${compared} endorsements`);
	c.ok(required > 5 && met > 0 && met < required,
	    `both verdicts occur: ${met} of ${required} met`);
	c.ok(sql(`SELECT DISTINCT association FROM endorsement`).length === 2,
	    'both rule sets');
});
await test('compare: the annual model renews every year', async (c) => {
	const u = people.find((x) => x.assoc === 'annual-test');
	const r = await u.get('/api/v1/renewal', { bearer: u.token });
	const e = (r.json()?.endorsements || []).find((x) => x.renewal);
	c.eq(e?.renewal?.cycle, 2027, 'the cycle of 2027-11-15 is 2027');
	const page = await u.get('/renewal');
	c.has(page.text, 'Renewal cycle 2027: the window is January 1, 2027 to December 31, 2027',
	    'its window is the year');
	const r26 = await u.get('/api/v1/renewal?cycle=2026', { bearer: u.token });
	c.status(r26, 200, '2026 is a renewal year too');
	const i = (await people.find((x) => x.assoc === 'infancy-onward')
	    .get('/api/v1/renewal?cycle=2026', { bearer: people.find((x) =>
	    x.assoc === 'infancy-onward').token }));
	c.status(i, 400, 'but not for the 3-year cycle');
	const one26 = (r26.json()?.endorsements || []).find((x) => x.renewal);
	c.ok(!one26 || one26.renewal.years_endorsed <= 1, 'at most one year counts');
});
await test('compare: the coordinator and `endorse renewals` count the same', async (c) => {
	for (const a of Object.keys(byAssoc)) {
		const out = srv.cli(['renewals', '--db', srv.db, '--rules', rules,
		    '--share', ROOT, '--association', a, '--now', NOW], NOW);
		const m = out.stdout.match(/(\d+) endorsements evaluated in [\d.]+ s: (\d+) required, (\d+) met/);
		c.ok(m, `renewals ${a}: ${out.stdout} ${out.stderr}`);
		if (m) {
			c.eq(Number(m[2]), byAssoc[a].required, `${a}: required`);
			c.eq(Number(m[3]), byAssoc[a].met, `${a}: met`);
		}
	}
});
await test('compare: a coordinator closes the annual window; whoever has not renewed lapses', async (c) => {
	const { Client } = srv.lib;
	const co = new Client('annual coordinator');
	Object.assign(co, srv.coordinators['annual-test']);
	await relogin(co);
	const active = () => one(`SELECT count(*) FROM endorsement WHERE association = ` +
	    `'annual-test' AND status = 'active'`);
	const before = active();
	let r = await co.submit('/coordinator/renewals/close', { cycle: '2027' });
	c.status(r, 400, 'without the confirmation');
	c.has(r.text, 'confirm', 'names the field');
	c.eq(active(), before, 'nothing lapsed');
	c.status(await co.submit('/coordinator/renewals/close', { cycle: '2026', confirm: 'yes' }),
	    409, 'an old cycle: nothing to lapse there twice');
	r = await co.submit('/coordinator/renewals/close', { cycle: '2027', confirm: 'yes' });
	c.redirect(r, '/coordinator/renewals?cycle=2027', 'closed');
	const renewable = byAssoc['annual-test'].required;
	c.eq(one(`SELECT lapsed FROM renewal_window WHERE association = 'annual-test' AND cycle = 2027`),
	    renewable, 'every required endorsement lapsed (none attested)');
	c.eq(one(`SELECT count(*) FROM renewal_window WHERE association = 'infancy-onward'`), 0,
	    'the other association is untouched');
	c.status(await co.submit('/coordinator/renewals/close', { cycle: '2027', confirm: 'yes' }), 409,
	    'closed already');
	const u = people.find((x) => x.assoc === 'annual-test');
	const e = sql(`SELECT id, status FROM endorsement WHERE account = (SELECT id FROM account ` +
	    `WHERE email = '${u.email}') AND category <> 'ERS'`)[0];
	await relogin(u);
	if (e.status === 'lapsed')
		c.status(await u.submit(`/endorsements/${e.id}/attest`, { hours: 'yes', ethics: 'yes',
		    membership: 'yes' }), 409, 'a lapsed endorsement cannot attest');
});
await srv.stop();
await test('compare: the servers stopped cleanly, no sanitizer report', (c) => {
	c.eq(srv.problems, [], 'server problems');
});
const { pass, fail } = counts();
fs.writeFileSync(path.join(TMP, 'compare.counts'), `${pass} ${fail}\n`);
