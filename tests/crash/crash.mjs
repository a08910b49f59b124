// Crash safety: `endorse serve` under a write load is killed with SIGKILL
// at random moments and restarted on the same database; after every
// restart, every write the server acknowledged must be there, the database
// must pass PRAGMA integrity_check, and nothing half-written may be
// visible.  Node 20, no npm packages; the server is started and stopped by
// tests/lib/server.mjs, the requests and SQL go through
// tests/lib/client.mjs.
//
// The load: CRASH_CLIENTS applicants (default 20), each on an application
// of its own, one request at a time: a training entry by the tab's form
// (POST /applications/#/tab/training) or a whole portfolio by the API (PUT
// /api/v1/applications/#/portfolio), every entry titled with a marker that
// names the write ("tab c3 s17", "put c3 s18 e2/5").  Each applicant keeps
// the list of its entries as the acknowledged writes make it (the model)
// and the one request in flight.  Raters answer rating forms through their
// private links (/rate/TOKEN, read from the outbox), the comments naming
// the rating.  Two readers fetch portfolios meanwhile and check that each
// shows whole writes only.
//
// After each restart, for every applicant: the stored entries are exactly
// the model, or the model with the request in flight applied; the model
// as it was before an acknowledged write counts that write as lost;
// anything else is half-written.  For every rating: acknowledged ones are
// completed with their answers; a rating's status, answers, answered time,
// audit row and notice agree.
//
// Environment: CRASH_BIN, CRASH_ROOT, CRASH_TMP; CRASH_KILLS (default 20),
// CRASH_CLIENTS (20), CRASH_SEED (random; printed).
process.env.RENEWAL_BIN = process.env.CRASH_BIN;
process.env.RENEWAL_ROOT = process.env.CRASH_ROOT;
process.env.RENEWAL_TMP = process.env.CRASH_TMP;
const { Server } = await import('../lib/server.mjs');
const { person, relogin } = await import('../lib/fixtures.mjs');

const KILLS = Number(process.env.CRASH_KILLS || 20);
const NCLIENTS = Number(process.env.CRASH_CLIENTS || 20);
const NRATERS = 3;
const NREADERS = 2;
const NOW = '2026-11-23';
let seed = Number(process.env.CRASH_SEED || Math.floor(Math.random() * 2 ** 31));
console.log(`# crash: seed ${seed} (CRASH_SEED=${seed} repeats the choices)`);

// splitmix32: the random choices repeat with the seed (the kill moments
// only roughly: they land in whatever the server is doing then).
function rnd() {
	seed = (seed + 0x9e3779b9) | 0;
	let z = seed;
	z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
	z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
	return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
}
function rint(lo, hi) { return lo + Math.floor(rnd() * (hi - lo + 1)); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let npass = 0, nfail = 0;
function report(ok, name, details = []) {
	if (ok) {
		npass++;
		console.log(`ok - crash: ${name}`);
	} else {
		nfail++;
		console.log(`not ok - crash: ${name}`);
		for (const d of details.slice(0, 15))
			console.log('#   ' + String(d).slice(0, 400));
		if (details.length > 15)
			console.log(`#   (${details.length - 15} more)`);
	}
	return ok;
}

const srv = await new Server('crash').init();
const { sql, one, q } = srv.lib;
const sanitizer = /ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: \w+Sanitizer/;

// ------------------------------------------------------------ the load

const S = { flightIn: 0, flightOut: 0, gen: 0, ratersBusy: 0, paused: true, kills: 0, acked: 0, lost: 0, halves: [],
    readerFails: [], unexpected: [], integrity: true };
let resume = null, resumed = Promise.resolve();
function pause() {
	S.paused = true;
	resumed = new Promise((r) => { resume = r; });
}
pause();

function trainingEntry(title, hours) {
	return { title, date: '2021-03-02', hours, topics: [], role: 'attended' };
}

// One request; a network error (the server died) is { status: 0 }.
async function attempt(fn) {
	try {
		return await fn();
	} catch (e) {
		return { status: 0, error: String(e && e.cause ? e.cause.code ||
		    e.cause : e) };
	}
}

class Applicant {
	constructor(i, u, app) {
		Object.assign(this, { i, u, app, seq: 0, model: [],
		    history: [[]], pending: null, busy: false, lostGen: -1 });
	}
	doc(titles) {
		return { format: 'endorse-portfolio/1', association: 'vaimh',
		    category: 'IFS', applicant: { name: this.u.name,
		    email: this.u.email }, membership: [{ start: '2026-01-01',
		    end: '2026-12-31' }], ethics_signed: '2026-02-01',
		    training: titles.map((t, j) => trainingEntry(t, j + 1)) };
	}
	async step() {
		const s = ++this.seq;
		let after, res;
		if (this.model.length < 12 && rnd() < 0.5) {
			const title = `tab c${this.i} s${s}`;
			after = [...this.model, title];
			this.pending = after;
			res = await attempt(() => this.u.submit(
			    `/applications/${this.app}/tab/training`,
			    { title, date: '2021-03-02', hours: '1.5',
			    role: 'attended' }));
			if (res.status === 303 && res.location ===
			    `/applications/${this.app}/tab/training#entries`)
				return this.ack(after);
		} else {
			const n = rint(1, 8);
			after = [];
			for (let j = 1; j <= n; j++)
				after.push(`put c${this.i} s${s} e${j}/${n}`);
			this.pending = after;
			res = await attempt(() => this.u.req('PUT',
			    `/api/v1/applications/${this.app}/portfolio`,
			    { json: this.doc(after), bearer: this.u.token }));
			if (res.status === 200) {
				const got = (res.json()?.training || []).map((e) => e.title);
				if (JSON.stringify(got) !== JSON.stringify(after))
					S.unexpected.push(`c${this.i} PUT s${s}: the reply ` +
					    `shows ${JSON.stringify(got)}`);
				return this.ack(after);
			}
		}
		if (res.status === 0) {
			// Died with the server: settled at the next check.
			this.lostGen = S.gen;
			return;
		}
		// Refused (busy, or a cap): must not have been applied.
		this.pending = null;
		if (!S.paused)
			S.unexpected.push(`c${this.i} s${s}: status ${res.status} ` +
			    `${(res.error || res.text || '').slice(0, 200)}`);
	}
	ack(after) {
		this.model = after;
		this.pending = null;
		this.history.push(after);
		S.acked++;
	}
	async loop() {
		for (;;) {
			while (!S.done && (S.paused || this.lostGen === S.gen))
				await (S.paused ? resumed : sleep(20));
			if (S.done)
				return;
			this.busy = true;
			await this.step();
			this.busy = false;
		}
	}
}

// Whole writes only: entries from at most one PUT, all of it and in
// order, followed by this applicant's tab entries.
function shapeProblem(i, titles) {
	let k = 0;
	const m = titles[0] && titles[0].match(/^put c(\d+) s(\d+) e1\/(\d+)$/);
	if (m) {
		const n = Number(m[3]);
		for (let j = 1; j <= n; j++)
			if (titles[j - 1] !== `put c${i} s${m[2]} e${j}/${n}`)
				return `a part of PUT s${m[2]}: ${JSON.stringify(titles)}`;
		k = n;
	}
	for (; k < titles.length; k++)
		if (!new RegExp(`^tab c${i} s\\d+$`).test(titles[k]))
			return `not one whole version: ${JSON.stringify(titles)}`;
	return null;
}

async function reader(apps) {
	for (;;) {
		while (S.paused)
			await resumed;
		if (S.done)
			return;
		const a = apps[rint(0, apps.length - 1)];
		const r = await attempt(() => a.u.get(
		    `/api/v1/applications/${a.app}/portfolio`,
		    { bearer: a.u.token, cookies: false }));
		if (r.status === 200) {
			const p = shapeProblem(a.i, (r.json()?.training || [])
			    .map((e) => e.title));
			if (p !== null) {
				S.readerFails.push(`reader, c${a.i}: ${p}`);
				S.halves.push(S.readerFails.at(-1));
			}
		}
		await sleep(rint(5, 30));
	}
}

// ------------------------------------------------------------ ratings

const ratings = [];		// { id, path, state: 'open' | 'flight' | 'acked' | 'done' }
let nextRating = 0;

async function rater() {
	const { Client } = srv.lib;
	for (;;) {
		while (S.paused)
			await resumed;
		if (S.done)
			return;
		const rt = ratings.slice(nextRating).find((x) => x.state === 'open');
		if (rt === undefined) {
			await sleep(50);
			continue;
		}
		nextRating = ratings.indexOf(rt) + 1;
		rt.state = 'flight';
		S.ratersBusy++;
		const c = new Client(`rater ${rt.id}`);
		const form = { action: 'rate', recommend: 'yes',
		    comments: `rate r${rt.id}` };
		for (let i = 0; i < 15; i++)
			form[`item${i}`] = String(1 + (i % 4));
		const res = await attempt(() => c.submit(rt.path, form));
		S.ratersBusy--;
		if (res.status === 200 && /Thank you/.test(res.text)) {
			rt.state = 'acked';
			S.acked++;
		} else if (res.status !== 0) {
			rt.state = 'open';
			if (!S.paused)
				S.unexpected.push(`rating ${rt.id}: status ${res.status}`);
		}
		await sleep(rint(50, 250));
	}
}

// ------------------------------------------------------------ checks

function checkApplicants(apps, n) {
	const rows = sql('SELECT application AS a, json_extract(data, ' +
	    "'$.title') AS t FROM entry WHERE application IN (" +
	    apps.map((a) => a.app).join(',') + ') ORDER BY id');
	const got = new Map(apps.map((a) => [a.app, []]));
	for (const r of rows)
		got.get(r.a).push(r.t);
	const bad = [];
	let present = 0, lost = 0;
	for (const a of apps) {
		const have = got.get(a.app), hs = JSON.stringify(have);
		const p = shapeProblem(a.i, have);
		if (hs === JSON.stringify(a.model)) {
			present += a.history.length;
			if (a.pending)
				S.flightOut++;
		} else if (a.pending && hs === JSON.stringify(a.pending)) {
			// The write in flight was committed: it now counts.
			a.model = a.pending;
			S.flightIn++;
			present += a.history.length;
		} else {
			// An older version: the acknowledged writes after it are lost.
			const k = a.history.map((h) => JSON.stringify(h))
			    .lastIndexOf(hs);
			if (k >= 0 && p === null) {
				lost += a.history.length - 1 - k;
				bad.push(`c${a.i}: ${a.history.length - 1 - k} ` +
				    `acknowledged write(s) lost: have ${hs}, acknowledged ` +
				    JSON.stringify(a.model));
			} else {
				S.halves.push(`c${a.i}: ${p || 'neither the acknowledged ' +
				    'version nor the one in flight'}: have ${hs}, ` +
				    `acknowledged ${JSON.stringify(a.model)}, in flight ` +
				    JSON.stringify(a.pending));
				bad.push(S.halves.at(-1));
			}
			a.model = have;
		}
		a.pending = null;
		a.history = [a.model];
	}
	S.lost += lost;
	return { bad, present };
}

function checkRatings() {
	const rows = sql('SELECT r.id, r.status, r.answers, r.answered, ' +
	    "(SELECT count(*) FROM audit WHERE what = 'rating' AND row_id = " +
	    "r.id AND action = 'completed') AS audits FROM rating r WHERE " +
	    'r.id IN (' + (ratings.map((x) => x.id).join(',') || '0') + ')');
	const by = new Map(rows.map((r) => [r.id, r]));
	const bad = [];
	let present = 0;
	for (const rt of ratings) {
		const r = by.get(rt.id);
		if (r === undefined) {
			bad.push(`rating ${rt.id}: the row is gone`);
			continue;
		}
		let ans = null;
		try { ans = r.answers === null ? null : JSON.parse(r.answers); } catch {}
		const done = r.status === 'completed';
		const agree = done ? ans !== null && ans.comments === `rate r${rt.id}` &&
		    Array.isArray(ans.items) && ans.items.length === 15 &&
		    r.answered !== null && r.audits === 1 :
		    ['sent', 'opened'].includes(r.status) && r.answers === null &&
		    r.answered === null && r.audits === 0;
		if (!agree) {
			S.halves.push(`rating ${rt.id}: status ${r.status}, answers ` +
			    `${String(r.answers).slice(0, 80)}, answered ${r.answered}, ` +
			    `${r.audits} audit row(s)`);
			bad.push(S.halves.at(-1));
		}
		if (rt.state === 'acked' || rt.state === 'done') {
			if (done)
				present++;
			else {
				S.lost++;
				bad.push(`rating ${rt.id}: acknowledged, but ${r.status}`);
			}
			rt.state = done ? 'done' : 'lost';
		} else if (rt.state === 'flight') {
			rt.state = done ? 'done' : 'open';
		} else if (done) {
			bad.push(`rating ${rt.id}: completed, never sent`);
		}
	}
	// The notices: one per completed rating of these applications.
	const notices = one("SELECT count(*) FROM outbox WHERE subject = " +
	    "'A reference rating is complete'");
	const completed = rows.filter((r) => r.status === 'completed').length;
	if (notices !== completed)
		bad.push(`${completed} ratings completed, ${notices} notices`);
	return { bad, present };
}

function integrity() {
	const r = sql('PRAGMA integrity_check');
	const v = r.map((x) => Object.values(x)[0]);
	return v.length === 1 && v[0] === 'ok' ? null : v.slice(0, 5).join('; ');
}

function serverReports(what) {
	if (sanitizer.test(srv.stderr))
		report(false, `${what}: no sanitizer report`, srv.stderr
		    .split('\n').filter((l) => l.trim() !== '').slice(0, 15));
}

// ------------------------------------------------------------ main

async function main() {
	await srv.start(NOW);
	// Applicants, an application each, a first portfolio.
	const apps = [];
	for (let i = 0; i < NCLIENTS; i++) {
		const u = await person(srv, `Crash Applicant ${i}`,
		    `crash-${i}@example.org`);
		await relogin(u);
		const r = await u.submit('/applications', { choice: 'vaimh/IFS' });
		const m = (r.location || '').match(/^\/applications\/(\d+)$/);
		if (!m)
			throw new Error(`application ${i}: ${r.status} ${r.text.slice(0, 200)}`);
		const a = new Applicant(i, u, Number(m[1]));
		apps.push(a);
	}
	// Rating requests: a few applications with many references each.
	const nratings = Math.max(30, KILLS * 10);
	const perApp = 40;
	for (let k = 0; k * perApp < nratings; k++) {
		const u = await person(srv, `Crash Rated ${k}`,
		    `crash-rated-${k}@example.org`);
		await relogin(u);
		const r = await u.submit('/applications', { choice: 'vaimh/IFS' });
		const app = Number((r.location || '').match(/(\d+)$/)[1]);
		const refs = [];
		for (let j = 0; j < perApp && k * perApp + j < nratings; j++)
			refs.push({ name: `Rater ${k}.${j}`, email:
			    `rater-${k}-${j}@example.org`, relationship: 'colleague',
			    endorsements: [], status: 'draft' });
		const put = await u.req('PUT', `/api/v1/applications/${app}/portfolio`,
		    { bearer: u.token, json: { format: 'endorse-portfolio/1',
		    association: 'vaimh', category: 'IFS', applicant: { name: u.name,
		    email: u.email }, references: refs } });
		if (put.status !== 200)
			throw new Error(`references: ${put.status} ${put.text.slice(0, 300)}`);
		const ents = sql(`SELECT id FROM entry WHERE application = ${app} ` +
		    "AND kind = 'references' ORDER BY id");
		for (const e of ents) {
			const rq = await u.submit(`/applications/${app}/entries/${e.id}/request`, {});
			if (rq.status !== 303)
				throw new Error(`request: ${rq.status} ${rq.text.slice(0, 300)}`);
		}
	}
	for (const r of sql('SELECT r.id, o.body FROM rating r JOIN outbox o ON ' +
	    "o.id = r.outbox WHERE r.status = 'sent' ORDER BY r.id")) {
		const m = r.body.match(/\/rate\/([0-9a-f]{64})/);
		if (m)
			ratings.push({ id: r.id, path: `/rate/${m[1]}`, state: 'open' });
	}
	report(ratings.length === nratings && apps.length === NCLIENTS,
	    `${NCLIENTS} applicants with an application each, ${ratings.length} ` +
	    'rating links read from the outbox',
	    [`${ratings.length} links, want ${nratings}`]);

	const loops = [...apps.map((a) => a.loop()),
	    ...Array.from({ length: NRATERS }, rater),
	    ...Array.from({ length: NREADERS }, () => reader(apps))];

	let allHeld = true;
	for (let k = 1; k <= KILLS; k++) {
		// Load for a while, then SIGKILL with requests in flight.
		S.paused = false;
		S.gen++;
		resume();
		const ms = rint(150, 1200);
		await sleep(ms);
		const inflight = apps.filter((a) => a.busy).length;
		pause();
		srv.proc.kill('SIGKILL');
		const ex = await srv.exited;
		srv.proc = null;
		S.kills++;
		serverReports(`kill ${k}`);
		if (ex.sig !== 'SIGKILL')
			report(false, `kill ${k}: the server died of SIGKILL`,
			    [`exit ${ex.code} ${ex.sig}`, srv.stderr.slice(-2000)]);
		// Every request of the load settles (fails or is answered).
		while (apps.some((a) => a.busy) || S.ratersBusy > 0)
			await sleep(10);
		await srv.start(NOW);
		const integ = integrity();
		if (integ !== null)
			S.integrity = false;
		const A = checkApplicants(apps, k);
		const R = checkRatings();
		const bad = [...A.bad, ...R.bad, ...(integ ? [`integrity_check: ${integ}`] : []),
		    ...S.readerFails.splice(0), ...S.unexpected.splice(0)];
		if (bad.length)
			allHeld = false;
		report(bad.length === 0, `kill ${k} after ${ms} ms of load ` +
		    `(${inflight} applicant requests in flight), restart: every ` +
		    `acknowledged write there (${S.acked} so far), integrity ok, ` +
		    'nothing half-written', bad);
	}
	S.done = true;
	S.paused = false;
	resume();
	await Promise.all(loops);
	serverReports('last restart');
	await srv.stop();
	report(srv.problems.length === 0, 'the server exits 0 on SIGTERM, no ' +
	    'sanitizer report', srv.problems);
	report(S.halves.length === 0, 'no half-written portfolio or rating, ever',
	    S.halves);
	report(allHeld && S.lost === 0, `every acknowledged write survived ` +
	    `${S.kills} kills (of the writes cut off by a kill, ${S.flightIn} ` +
	    `had committed, ${S.flightOut} had not)`);
	console.log(`crash: ${S.kills} kills, ${S.acked} acknowledged, ` +
	    `${S.lost} lost, integrity ${S.integrity ? 'ok' : 'FAILED'}`);
}

try {
	await main();
} catch (e) {
	report(false, 'the test ran to the end', [e && e.stack ? e.stack : e]);
	if (srv.proc)
		srv.proc.kill('SIGKILL');
	console.log(`crash: ${S.kills} kills, ${S.acked} acknowledged, ` +
	    `${S.lost} lost, integrity ${S.integrity ? 'ok' : 'FAILED'}`);
}
process.exit(nfail === 0 ? 0 : 1);
