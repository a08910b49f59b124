// The shipped rule files against their previous version (issue 13): the
// rules of commit 897ac36, frozen in tests/fixtures/rules-897ac36/, and
// rules/ as it is.  A database built for it holds one application or
// endorsement per reading that changed, each meeting the old rules and
// failing the new (or the reverse), and some that neither change moves;
// `endorse rules impact` must list exactly the first.
import fs from 'node:fs';
import path from 'node:path';

import { Server, TMP, ROOT } from '../lib/server.mjs';
import { person, completedRatings, uploadedTranscripts } from '../lib/fixtures.mjs';

const NOW = '2026-11-23';
const OLD = path.join(ROOT, 'tests/fixtures/rules-897ac36');
const NEW = path.join(ROOT, 'rules');
const GOLD = path.join(ROOT, 'tests/golden/check');

const srv = await new Server('shipped', NEW).init();
const { test, sql, q, counts, setSuite } = srv.lib;
setSuite('impact');

const at = Date.UTC(2026, 10, 23, 12) / 1000;
const golden = (assoc, cat) => JSON.parse(fs.readFileSync(
    path.join(GOLD, assoc, `${cat}.json`), 'utf8'));

// An application of a portfolio; its references count only through
// completed ratings (made here as a rater's answer would be stored).
async function applicant(c, key, doc, { hold = [], status = 'draft' } = {}) {
	const u = await person(srv, doc.applicant?.name || key, `${key}@shipped.example`);
	for (const [i, h] of hold.entries()) {
		const imp = srv.importEndorsees(h.association, [{ number:
		    `${key.toUpperCase()}-${i}`, name: u.name, email: u.email,
		    category: h.category, since: h.since }]);
		c.eq(imp.status, 0, `${key}: import ${h.category}: ${imp.stderr}`);
	}
	let r = await u.post('/api/v1/applications', { bearer: u.token,
	    json: { association: doc.association, category: doc.category } });
	c.status(r, 201, `${key}: application`);
	u.app = r.json()?.id;
	const refs = (doc.references || []).map((ref, i) => ({ ...ref,
	    email: `${key}-ref${i}@shipped.example` }));
	r = await u.req('PUT', `/api/v1/applications/${u.app}/portfolio`,
	    { bearer: u.token, json: { ...doc, references: refs, endorsements: [] } });
	c.status(r, 200, `${key}: portfolio`);
	completedRatings(srv, u.app, key, refs, at);
	uploadedTranscripts(srv, u.app, doc, at);
	if (status !== 'draft')
		sql(`UPDATE application SET status = ${q(status)} WHERE id = ${u.app}`);
	return u;
}

// A passed exam, as the coordinator records one (a Mentor's application).
function passed(u, assoc) {
	sql(`INSERT INTO exam_session (association, date, place, created) ` +
	    `VALUES (${q(assoc)}, '2026-10-01', 'online', ${at})`);
	sql(`INSERT INTO exam_registration (session, application, code, part1, ` +
	    `result, created) VALUES ((SELECT max(id) FROM exam_session), ` +
	    `${u.app}, ${q(`X${u.app}`)}, 55, 'pass', ${at})`);
	sql(`UPDATE application SET status = 'exam' WHERE id = ${u.app}`);
}

// An endorsee with a membership over the cycle and a renewal log.
async function endorsee(c, key, assoc, number, training, rsc, category = 'IFS') {
	const u = await person(srv, `Endorsee ${key}`, `${key}@shipped.example`);
	const imp = srv.importEndorsees(assoc, [{ number, name: u.name,
	    email: u.email, category, since: '2020-01-01' }]);
	c.eq(imp.status, 0, `${key}: import: ${imp.stderr}`);
	sql(`INSERT INTO membership (account, association, start, end, created) ` +
	    `SELECT id, ${q(assoc)}, '2024-01-01', '2027-12-31', ${at} FROM ` +
	    `account WHERE email = ${q(u.email)}`);
	for (const [kind, list] of [['training', training], ['rsc_received', rsc]])
		for (const e of list) {
			const r = await u.post(`/api/v1/log/${kind}?association=${assoc}`,
			    { bearer: u.token, json: e });
			c.status(r, 201, `${key}: ${kind} logged`);
		}
	return u;
}
const T = (date, hours, role = 'attended', topics = []) => ({ title: 'Training',
    date, hours, topics, role });
const R = (start, end, hours, codes = ['IMHM-C'], focus = 'practice') => ({
    provider: 'Robin Roe', provider_endorsements: codes, format: 'individual',
    start, end, hours, focus });

const P = {};
await srv.start(NOW);
await test('shipped rules: a database of whom the seed readings move', async (c) => {
	// Point 8, seed 003: IFA's reference 2 must hold IFS, IMHS or IMHM;
	// IFRS there met the old reading.
	const ifa = golden('vaimh', 'IFA');
	ifa.references[1].endorsements = ['IFRS'];
	P.ifa = await applicant(c, 'ifa', ifa);
	// Point 4, seed 003: IFRS leadership at the regional or state level.
	const ifrs = golden('vaimh', 'IFRS');
	ifrs.leadership[0].level = 'local';
	P.ifrs = await applicant(c, 'ifrs', ifrs, { status: 'submitted' });
	// Point 7, seed 001: VAIMH's ERS asks RSC about the provision, no
	// hours: 6 hours met the new reading, not the old 12.
	const ers = golden('vaimh', 'ERS');
	P.ers = await applicant(c, 'ers', ers, { hold: ers.endorsements });
	// Point 7, seed 001: an ERS applied for with an open IFS application.
	const ride = golden('vaimh', 'ERS-with-IFS');
	P.ride = await applicant(c, 'ride', ride);
	let r = await P.ride.post('/api/v1/applications', { bearer: P.ride.token,
	    json: { association: 'vaimh', category: 'IFS' } });
	c.status(r, 201, 'ride: the IFS application beside it');
	P.ride.base = r.json()?.id;
	// Point 6, seed 004: Indiana's Emerging ERS asks no training up front.
	const ioers = golden('infancy-onward', 'ERS-emerging');
	P.ioers = await applicant(c, 'ioers', ioers, { hold: ioers.endorsements });
	// Point 1, seeds 000 and 004: the Mentor-Clinical's training is 30 +
	// 3 + 15 (VAIMH) and 33 + 15 (Indiana): 47 hours met the old readings.
	const vc = golden('vaimh', 'IMHM-C');
	vc.training[0].hours = 17.5;
	vc.work[1].families = 10;	/* families alone, as both readings count */
	P.vc = await applicant(c, 'vc', vc);
	passed(P.vc, 'vaimh');
	const ic = golden('infancy-onward', 'IMHM-C');
	ic.training[0].hours = 22;
	P.ic = await applicant(c, 'ic', ic);
	passed(P.ic, 'infancy-onward');
	// Point 9, seed 003: families or supervised staff (the golden: 7
	// families and 5 staff), exam passed: moved the other way.
	P.staff = await applicant(c, 'staff', golden('vaimh', 'IMHM-C'));
	passed(P.staff, 'vaimh');
	// Not moved: goldens the changes leave alone.
	P.ifs = await applicant(c, 'ifs', golden('vaimh', 'IFS'));
	P.ioifs = await applicant(c, 'ioifs', golden('infancy-onward', 'IFS'));
	// Point 2, seed 000: VAIMH renewal counts training received only.
	P.taught = await endorsee(c, 'taught', 'vaimh', 'VA-2020-0001',
	    [T('2025-03-01', 35), T('2026-04-01', 15, 'provided')],
	    [R('2025-02-01', '2026-10-31', 36)]);
	// Point 3, seed 000: a Mentor-Clinical's renewal RSC from an MHM-C
	// counts whatever its focus ("should also focus on the RSC you
	// provide").
	P.mhmc = await endorsee(c, 'mhmc', 'vaimh', 'VA-2020-0004',
	    [T('2025-03-01', 27), T('2025-09-01', 9, 'attended', ['dei']),
	    T('2026-02-01', 9, 'attended', ['rsc_provision'])],
	    [R('2025-02-01', '2026-10-31', 24), R('2025-02-01', '2026-10-31',
	    12, ['IMHM-C'], 'provision')], 'IMHM-C');
	// Point 5, seeds 000/004: RSC across the cycle's start counts its
	// share.  That is the engine's reading, the same under both rule
	// files: `rules impact` compares rule files under one engine, so it
	// does not move (tests/golden/renewal/io-rsc-span-* show it).
	P.span = await endorsee(c, 'span', 'infancy-onward', 'IN-2020-0002',
	    [T('2025-03-01', 45)], [R('2024-07-01', '2025-06-30', 24, ['IFS', 'ERS']),
	    R('2025-07-01', '2026-10-31', 25)]);
	// Not moved: received training, RSC inside the cycle.
	P.plain = await endorsee(c, 'plain', 'vaimh', 'VA-2020-0003',
	    [T('2025-03-01', 45)], [R('2025-02-01', '2026-10-31', 36)]);
});
await srv.stop();

const lines = (s) => s.split('\n').filter((l) => l !== '');
await test('shipped rules against 897ac36: exactly the applications and renewals the seed readings move', async (c) => {
	const r = srv.cli(['rules', 'impact', '--db', srv.db, OLD, NEW], NOW);
	c.eq(r.status, 0, `exit status (stderr: ${r.stderr})`);
	c.eq(lines(r.stdout), [
		`application ${P.ioers.app}\tHannah Brooks\tinfancy-onward\tERS\tnot eligible -> emerging\t-training.rsc_provision, pathway`,
		`application ${P.ic.app}\tRenee Whitfield\tinfancy-onward\tIMHM-C\teligible -> not eligible\ttraining`,
		`application ${P.ifa.app}\tMaria Alvarez\tvaimh\tIFA\teligible -> not eligible\treferences`,
		`application ${P.ifrs.app}\tTamika Brooks\tvaimh\tIFRS\teligible -> not eligible\tleadership`,
		`application ${P.ers.app}\tNicole Foster\tvaimh\tERS\tnot eligible -> eligible\tpathway`,
		`application ${P.ride.app}\tKeisha Monroe\tvaimh\tERS\tnot eligible -> eligible\tprerequisite, pathway`,
		`application ${P.vc.app}\tRebecca Lindqvist\tvaimh\tIMHM-C\teligible -> not eligible\ttraining`,
		`application ${P.staff.app}\tRebecca Lindqvist\tvaimh\tIMHM-C\tnot eligible -> eligible\twork.families`,
		'renewal VA-2020-0001\tEndorsee taught\tvaimh\tIFS\tmet -> not met\trenewal.training',
		'renewal VA-2020-0004\tEndorsee mhmc\tvaimh\tIMHM-C\tnot met -> met\trenewal.rsc',
		'8 applications and 2 renewals change verdict',
	], 'the moves, then the summary');
});

for (const p of srv.problems) {
	console.log('not ok - impact: the server or a command failed');
	for (const l of p.split('\n').slice(0, 30)) console.log('#   ' + l);
}
const n = counts();
fs.writeFileSync(path.join(TMP, 'shipped.counts'), `${n.pass} ${n.fail}\n`);
