#!/usr/bin/env node
// Generate the synthetic portfolios of `bench/run rules`: endorse-portfolio/1
// documents, one per line (JSON Lines), deterministic (fixed seed), half IFS
// and half IMHS (alternating), association vaimh, as_of 2026-11-23, about 40
// entries each.
//
//   node bench/rules/gen-portfolios.mjs OUT.jsonl [COUNT [SEED]]
//
// Each portfolio is drawn around a plausible applicant and then disturbed,
// so that both verdicts occur and the engine's tricky paths are taken:
// entries before, spanning and after the degree conferral date (post-degree
// cut-off and proration), degrees conferred after as_of (no cut-off
// applied), RSC from providers who do and do not qualify, peer RSC, RSC
// spread over less than 12, 12 to 24 and more than 24 months, single
// sessions and ongoing periods, overlapping and unpaid/volunteer work,
// references in every status and relationship, endorsed and non-endorsed
// raters, membership periods that do or do not cover as_of, ethics signed
// or not (or later), exams passed and failed, transcripts on file or not.
import { createWriteStream } from 'node:fs';
import { formatDate, parseDate, addMonths } from '../jre/civil.js';

const out = process.argv[2];
const COUNT = +(process.argv[3] ?? 100000);
const SEED = +(process.argv[4] ?? 20261123);
if (!out || !(COUNT > 0)) {
	console.error('usage: gen-portfolios.mjs OUT.jsonl [COUNT [SEED]]');
	process.exit(2);
}

const AS_OF = parseDate('2026-11-23');

// mulberry32: small, fast, and the same sequence on every machine.
let state = SEED >>> 0;
function rnd() {
	state = (state + 0x6D2B79F5) >>> 0;
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (a, b) => a + Math.floor(rnd() * (b - a + 1));	// a..b
const chance = (p) => rnd() < p;
const pick = (v) => v[Math.floor(rnd() * v.length)];
const D = formatDate;

// Pick by weight: [[weight, value], ...].
function weighted(pairs) {
	let total = 0;
	for (const [w] of pairs)
		total += w;
	let x = rnd() * total;
	for (const [w, v] of pairs) {
		if ((x -= w) < 0)
			return v;
	}
	return pairs[pairs.length - 1][1];
}

const QUALIFIED = ['IFRS', 'IMHM-C', 'ECMHM-C', 'ERS'];
const UNQUALIFIED = ['IFS', 'IMHS', 'IMHM-P', 'IFA', 'ECFS'];
const ENDORSED_RATERS = ['IFS', 'IFRS', 'IMHS', 'IMHM-C', 'IMHM-P',
	'IMHM-RF', 'ECFS', 'ECMHS', 'ECMHM-C', 'ECMHM-P', 'ECMHM-RF'];
const SERVICES = ['promotion', 'prevention', 'treatment', 'rsc', 'policy',
	'administration', 'research', 'teaching', 'other'];
const RELATIONSHIPS = ['program_supervisor', 'rsc_provider', 'rsc_recipient',
	'endorsed_professional', 'supervisor', 'colleague', 'trainer',
	'consultant', 'supervisee', 'student', 'department_chair', 'parent',
	'teacher', 'cda_mentor', 'board_member'];
const NOT_COMPLETED = ['draft', 'sent', 'opened', 'declined', 'expired',
	'void'];
const HOURS = [0.5, 0.75, 1, 1, 1.5, 2, 2, 2.25, 3, 3, 4, 4.5, 6, 7.5, 8];

// End of a period: ongoing (null or absent) or a date.
function setEnd(o, end) {
	if (end === null || end >= AS_OF + 400 && chance(0.5)) {
		if (chance(0.7))
			o.end = null;	// else absent: also ongoing
	} else
		o.end = D(end);
}

function period(start, end) {
	const o = { start: D(start) };
	setEnd(o, end);
	return o;
}

function education(cat) {
	const need = cat === 'IFS' ? 'bachelor' : 'master';
	const ed = [];
	const level = cat === 'IFS' ?
	    weighted([[3, 'cda'], [4, 'associate'], [70, 'bachelor'],
	    [20, 'master'], [3, 'doctorate']]) :
	    weighted([[6, 'bachelor'], [80, 'master'], [14, 'doctorate']]);
	let conferred = ri(parseDate('2004-01-01'), parseDate('2024-06-30'));
	// The qualifying degree still in progress: conferred after as_of.
	const future = chance(0.04);
	if (future)
		conferred = AS_OF + ri(30, 400);
	const main = { level, degree: pick(['BA', 'BSW', 'MSW', 'MA', 'PsyD',
	    'MEd', 'BS', 'PhD']), conferred: D(conferred) };
	if (level === 'master' || level === 'doctorate')
		main.transcript = weighted([[93, true], [4, false],
		    [3, undefined]]);
	else if (chance(0.6))
		main.transcript = chance(0.8);
	if (main.transcript === undefined)
		delete main.transcript;
	if (chance(0.5))
		main.institution = pick(['VCU', 'UVA', 'George Mason',
		    'Old Dominion', 'JMU']);
	ed.push(main);
	// Lower degrees earlier; now and then an odd order (a master's
	// recorded before the bachelor's) or a later higher degree.
	if ((level === 'master' || level === 'doctorate') && chance(0.85)) {
		const when = chance(0.03) ? conferred + ri(100, 900) :
		    conferred - ri(700, 2600);
		ed.push({ level: 'bachelor', degree: 'BA', conferred: D(when),
		    transcript: chance(0.5) });
	}
	if (level === 'doctorate' && chance(0.7))
		ed.push({ level: 'master', degree: 'MA', conferred:
		    D(conferred - ri(400, 1500)), transcript: chance(0.7) });
	if (level === 'bachelor' && chance(0.2))
		ed.push({ level: 'associate', degree: 'AA', conferred:
		    D(conferred - ri(500, 1200)) });
	if (!future && chance(0.06))
		ed.push({ level: level === 'master' ? 'doctorate' : 'master',
		    degree: 'MSW', conferred: D(Math.min(conferred +
		    ri(300, 2500), AS_OF + ri(-200, 300))),
		    transcript: chance(0.6) });
	// Shuffle: the engine must not depend on order.
	for (let i = ed.length - 1; i > 0; i--) {
		const j = ri(0, i);
		[ed[i], ed[j]] = [ed[j], ed[i]];
	}
	return { ed, anchor: conferred, need };
}

function work(cat, anchor) {
	const w = [];
	const ifs = cat === 'IFS';
	// The qualifying job or jobs: start somewhere around the degree date,
	// post-degree time mostly above two years, sometimes near or below.
	let start = anchor + ri(-500, 500);
	if (start > AS_OF - 30)
		start = AS_OF - ri(30, 900);
	const post = weighted([[84, () => ri(800, 3200)],
	    [14, () => ri(640, 820)], [6, () => ri(60, 600)]])();
	let end = Math.max(start, anchor) + post - 1;
	let ongoing = false;
	if (end >= AS_OF) {
		end = AS_OF;
		ongoing = chance(0.7);
	}
	// Split into 1-3 segments with gaps or overlaps.
	const nseg = weighted([[50, 1], [35, 2], [15, 3]]);
	let s = start;
	const len = Math.max(30, Math.floor((end - start + 1) / nseg));
	let fam = weighted([[92, () => ri(10, 40)], [8, () => ri(2, 11)]])();
	for (let k = 0; k < nseg && s <= end; k++) {
		const e = k === nseg - 1 ? end : Math.max(s, Math.min(end,
		    s + len - 1 + ri(-40, 60)));
		const job = {
			title: pick(['Home Visitor', 'Early Interventionist',
			    'Infant Mental Health Therapist', 'Clinician',
			    'Parent Educator']),
			start: D(s),
			paid: chance(0.99),
			supervised: ifs ? chance(0.7) : chance(0.98),
			licensed: chance(0.3),
			ages: weighted([[75, ['infant']], [23, ['infant',
			    'early_childhood']], [2, ['early_childhood']]]),
			service: ifs ? weighted([[97, 'prevention'],
			    [3, 'treatment']]) : weighted([[97, 'treatment'],
			    [3, 'prevention']]),
			families: 0,
		};
		const f = k === nseg - 1 ? fam : ri(0, fam);
		fam -= f;
		job.families = f;
		if (chance(0.05))
			delete job.families;	// default 0
		if (!job.supervised && chance(0.5))
			delete job.supervised;	// default false
		if (k === nseg - 1 && ongoing)
			setEnd(job, null);
		else
			job.end = D(e);
		w.push(job);
		// The next segment: a gap, touching, or overlapping.
		s = e + weighted([[40, 1], [30, ri(2, 120)],
		    [30, -ri(1, 200)]]);
		if (s < start)
			s = start;
	}
	// Other jobs: any service, volunteer or paid, any ages, overlapping,
	// before the degree, sometimes in the future.
	const nother = ri(2, 5);
	for (let k = 0; k < nother; k++) {
		const st = ri(anchor - 3000, AS_OF + 60);
		const en = st + ri(30, 1500);
		const job = {
			start: D(st),
			paid: chance(0.6),
			supervised: chance(0.5),
			licensed: chance(0.2),
			ages: weighted([[40, ['infant']], [25, ['infant',
			    'early_childhood']], [25, ['early_childhood']],
			    [10, []]]),
			service: weighted([[25, 'prevention'], [20, 'treatment'],
			    [55, pick(SERVICES)]]),
			families: ri(0, 6),
		};
		if (chance(0.4))
			job.employer = pick(['Early Steps', 'Healthy Families',
			    'Part C', 'CSB', 'Head Start']);
		if (en >= AS_OF && chance(0.5))
			setEnd(job, null);
		else
			job.end = D(Math.min(en, AS_OF + 200));
		w.push(job);
	}
	return w;
}

function training(anchor) {
	const t = [];
	const n = ri(10, 16);
	// Attended hours: mostly enough, sometimes not.
	const scale = weighted([[94, 1], [6, 0.45]]);
	for (let k = 0; k < n; k++) {
		const h = pick(HOURS);
		const e = {
			date: D(chance(0.03) ? AS_OF + ri(1, 200) :
			    ri(anchor - 2000, AS_OF)),
			hours: scale === 1 ? h + pick([1, 2, 3]) :
			    Math.round(h * 100 * scale) / 100,
		};
		if (chance(0.25))
			e.topics = pick([['dei'], ['rsc_provision'], ['dei',
			    'rsc_provision'], [], ['attachment']]);
		const role = weighted([[80, 'attended'], [10, 'provided'],
		    [5, 'volunteer'], [5, undefined]]);
		if (role !== undefined)
			e.role = role;
		if (chance(0.3))
			e.title = pick(['DC:0-5', 'Reflective practice',
			    'Cultural humility', 'Attachment', 'NCAST']);
		t.push(e);
	}
	return t;
}

function rscReceived(cat, anchor) {
	const r = [];
	const need = cat === 'IFS' ? 24 : 50;
	// The main block of RSC: starts around the degree date, spread over
	// fewer than 12 months (too short), 12 to 24 (right) or more than 24
	// months (then only the best 24-month window counts).
	let start = anchor + weighted([[15, () => ri(-300, 0)],
	    [85, () => ri(0, 2500)]])();
	const months = weighted([[5, () => ri(4, 11)], [80, () => ri(12, 24)],
	    [15, () => ri(25, 40)]])();
	// Mostly over by as_of; now and then still going (then cut at as_of).
	const latest = addMonths(AS_OF, -months) - (chance(0.9) ?
	    ri(0, 300) : -ri(30, 200));
	if (start > latest)
		start = Math.min(latest, AS_OF - 10);
	let stop = addMonths(start, months) - 1;
	if (stop > AS_OF)
		stop = AS_OF;
	const total = need * weighted([[88, () => 1.3 + rnd() * 0.9],
	    [12, () => 0.55 + rnd() * 0.5]])();
	const n = ri(5, 10);
	const provider = weighted([[90, () => [pick(QUALIFIED)]],
	    [6, () => [pick(UNQUALIFIED), pick(QUALIFIED)]],
	    [4, () => [pick(UNQUALIFIED)]]])();
	const span = Math.max(1, stop - start);
	// Entries at the first and last day of the block, the rest inside.
	for (let k = 0; k < n; k++) {
		let s = k === 0 ? start : start + ri(0, span);
		const single = chance(0.35) || k === n - 1;
		let e;
		if (k === n - 1)
			s = stop;
		const o = {};
		if (chance(0.5))
			o.provider = pick(['Robin Roe', 'Ari Bell', 'Lee Chen']);
		// The first and the last entry of the block mostly count (they
		// make the span); the others now and then do not.
		const edge = (k === 0 || k === n - 1) && chance(0.96);
		o.provider_endorsements = edge || chance(0.93) ? provider :
		    pick([[pick(QUALIFIED)], [pick(UNQUALIFIED)], []]);
		if (o.provider_endorsements.length === 0 && chance(0.5))
			delete o.provider_endorsements;
		o.format = edge ? 'individual' : weighted([[60, 'individual'],
		    [35, 'group'], [5, 'peer']]);
		if (single)
			o.date = D(s);
		else {
			e = Math.min(stop, s + ri(20, 180));
			o.start = D(s);
			o.end = D(e);
		}
		o.hours = Math.round(total / n * (0.6 + rnd() * 0.8) * 4) / 4;
		if (chance(0.8))
			o.focus = chance(0.85) ? 'practice' : 'provision';
		r.push(o);
	}
	// Others: older (before the degree, or spanning it), ongoing, from
	// unqualified providers, peer groups, future sessions.
	const nother = ri(2, 5);
	for (let k = 0; k < nother; k++) {
		const kind = ri(0, 5);
		const o = {
			provider_endorsements: pick([[pick(QUALIFIED)],
			    [pick(UNQUALIFIED)], [], [pick(QUALIFIED),
			    pick(UNQUALIFIED)]]),
			format: weighted([[45, 'individual'], [30, 'group'],
			    [25, 'peer']]),
			hours: pick(HOURS) * ri(1, 4),
		};
		if (kind === 0) {		// before the degree
			o.date = D(anchor - ri(1, 1500));
		} else if (kind === 1) {	// spanning the degree date
			o.start = D(anchor - ri(1, 300));
			o.end = D(anchor + ri(0, 300));
		} else if (kind === 2) {	// ongoing, long
			o.start = D(ri(Math.min(anchor, AS_OF - 30),
			    AS_OF - 30));
			setEnd(o, null);
		} else if (kind === 3) {	// in the future
			o.date = D(AS_OF + ri(1, 90));
		} else {			// anywhere
			const s = ri(anchor - 1000, AS_OF);
			o.start = D(s);
			o.end = D(Math.min(AS_OF + 100, s + ri(0, 400)));
		}
		r.push(o);
	}
	// Order by date as an applicant would list them, mostly.
	if (chance(0.7))
		r.sort((a, b) => (a.date ?? a.start) < (b.date ?? b.start) ?
		    -1 : 1);
	return r;
}

function ref(relationship) {
	const o = { name: `Rater ${ri(1, 999)}`, relationship };
	if (chance(0.5))
		o.email = `r${ri(1, 9999)}@example.org`;
	o.endorsements = weighted([[72, () => [pick(ENDORSED_RATERS)]],
	    [10, () => ['ERS']], [8, () => ['IFA']], [17, () => []]])();
	if (o.endorsements.length === 0 && chance(0.5))
		delete o.endorsements;
	o.status = chance(0.97) ? 'completed' : pick(NOT_COMPLETED);
	return o;
}

function references(cat) {
	const v = [];
	if (chance(0.97))
		v.push(ref('program_supervisor'));
	if (chance(0.97))
		v.push(ref('rsc_provider'));
	// The third: mostly a role the category accepts; supervisee counts
	// for IMHS but not for IFS.
	v.push(ref(chance(0.92) ? pick(['supervisor', 'trainer', 'consultant',
	    'colleague']) : pick(['supervisee', 'parent', 'student'])));
	const extra = weighted([[40, 0], [35, 1], [20, 2], [5, 3]]);
	for (let k = 0; k < extra; k++)
		v.push(ref(chance(0.3) ? pick(['program_supervisor',
		    'rsc_provider', 'colleague']) : pick(RELATIONSHIPS)));
	for (let i = v.length - 1; i > 0; i--) {
		const j = ri(0, i);
		[v[i], v[j]] = [v[j], v[i]];
	}
	return v;
}

function membership() {
	const m = [];
	const years = ri(0, 2);
	for (let k = years; k >= 1; k--)
		m.push({ start: `${2026 - k}-01-01`, end: `${2026 - k}-12-31` });
	m.push(weighted([
		[84, () => ({ start: '2026-01-01', end: '2026-12-31' })],
		[6, () => ({ start: D(AS_OF - ri(10, 300)), end: null })],
		[4, () => ({ start: '2026-01-01', end: '2026-11-23' })],
		[5, () => ({ start: '2025-01-01', end: '2025-12-31' })],
		[5, () => ({ start: '2026-11-24', end: '2027-11-23' })],
	])());
	if (chance(0.1))
		m[m.length - 1].type = 'individual';
	return m;
}

function exams(cat) {
	const pass = () => ({ date: D(AS_OF - ri(20, 900)), result: 'pass' });
	if (cat === 'IFS')
		return chance(0.8) ? [] : [pass()];
	const d1 = AS_OF - ri(200, 1500), d2 = d1 + ri(0, 150);
	return weighted([
		[6, () => []],
		[78, () => [pass()]],
		[8, () => [{ date: D(d1), result: 'fail' },
		    { date: D(d2), result: 'pass' }]],
		[4, () => [{ date: D(d1), result: 'pass' },
		    { date: D(d2), result: 'fail' }]],
		[5, () => [{ date: D(d1), result: 'fail' }]],
		[3, () => [pass(), { date: D(AS_OF + ri(1, 60)),
		    result: 'fail' }]],
		[2, () => [{ date: D(d1), result: 'fail' },
		    { date: D(d1), result: 'pass' }]],	// same day: the later
	])();
}

function portfolio(n) {
	const cat = n % 2 === 0 ? 'IFS' : 'IMHS';
	const { ed, anchor } = education(cat);
	const p = {
		format: 'endorse-portfolio/1',
		association: 'vaimh',
		category: cat,
		as_of: D(AS_OF),
		applicant: { name: `Applicant ${n}`,
		    email: `a${n}@example.org` },
		membership: membership(),
	};
	const ethics = weighted([[92, () => D(AS_OF - ri(1, 600))],
	    [3, () => null], [3, () => D(AS_OF + ri(1, 60))],
	    [2, () => undefined]])();
	if (ethics !== undefined)
		p.ethics_signed = ethics;
	p.education = ed;
	p.work = work(cat, anchor);
	p.training = training(anchor);
	p.rsc_received = rscReceived(cat, anchor);
	const nprov = weighted([[60, 0], [30, 1], [10, 2]]);
	p.rsc_provided = [];
	for (let k = 0; k < nprov; k++) {
		const s = ri(Math.min(anchor, AS_OF - 30), AS_OF);
		const o = period(s, chance(0.5) ? null : Math.min(AS_OF,
		    s + ri(30, 900)));
		if (chance(0.8))
			o.recipients = ri(0, 4);
		p.rsc_provided.push(o);
	}
	const nlead = ri(0, 3);
	p.leadership = [];
	for (let k = 0; k < nlead; k++) {
		const s = ri(anchor - 1000, AS_OF);
		const o = { activity: 'Committee', ...period(s, chance(0.4) ?
		    null : Math.min(AS_OF, s + ri(60, 1200))) };
		o.paid = chance(0.4);
		if (chance(0.8))
			o.level = pick(['local', 'regional', 'state',
			    'national', 'international']);
		p.leadership.push(o);
	}
	p.references = references(cat);
	p.exam = exams(cat);
	p.endorsements = chance(0.15) ? [{ association: 'vaimh',
	    category: pick(['IFA', 'IFS']), since: D(AS_OF - ri(100, 2000)) }] :
	    [];
	return p;
}

const ws = createWriteStream(out);
let chunk = [];
for (let n = 0; n < COUNT; n++) {
	chunk.push(JSON.stringify(portfolio(n)));
	if (chunk.length === 1000) {
		if (!ws.write(chunk.join('\n') + '\n'))
			await new Promise((r) => ws.once('drain', r));
		chunk = [];
	}
}
if (chunk.length > 0)
	ws.write(chunk.join('\n') + '\n');
ws.end();
await new Promise((r, j) => { ws.on('finish', r); ws.on('error', j); });
