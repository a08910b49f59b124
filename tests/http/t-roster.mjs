// Membership verification (issue 17, point 2): a coordinator of the
// association confirms or rejects (with a reason) a membership an
// applicant recorded, or imports the member roster (CSV) and the recorded
// memberships found on it (by e-mail, else by name) are confirmed; the
// checklist says "recorded" or "confirmed", a rejected membership never
// counts, and with 'membership counts confirmed' (a server of its own) a
// recorded-only membership is unmet and a confirmed one met.  Another
// association's coordinator and the applicant cannot confirm; an
// applicant's document saying "confirmed" is stored as recorded.
import fs from 'node:fs';
import path from 'node:path';

import { Client, test, sql, one, q } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';
import { U, UNIQ, TMP, GOLDEN_IFS, email, register, newApp, apiToken, PW } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;

// An applicant with an IFS application whose portfolio (the golden one,
// every requirement met) carries one 2026 membership, as they PUT it.
async function applicant(label, tag, base, extra = {}) {
	const u = base ? new Client(label, base) : await register(label,
	    `${label} Member-${UNIQ}`, email(tag), 'vaimh');
	if (base) {
		Object.assign(u, { name: `${label} Member-${UNIQ}`, email: email(tag), password: PW });
		await u.submit('/register', { name: u.name, email: u.email, password: PW,
		    association: 'vaimh' });
		await u.submit('/login', { email: u.email, password: PW });
	}
	const app = await newApp(u, 'vaimh/IFS');
	const tok = await (base ? ownToken(base, u) : apiToken(u.email, PW, 'roster'));
	const api = new Client('api', base);
	const doc = { ...structuredClone(GOLDEN_IFS), association: 'vaimh', category: 'IFS' };
	delete doc.as_of;
	doc.membership = [{ start: '2026-01-01', end: '2026-12-31', ...extra }];
	const r = await api.req('PUT', `/api/v1/applications/${app}/portfolio`, { bearer: tok, json: doc });
	if (r.status !== 200) throw new Error(`PUT ${label}: ${r.status} ${r.text.slice(0, 300)}`);
	Object.assign(u, { app, tok, api });
	return u;
}

async function ownToken(base, u) {
	const r = await new Client('t', base).post('/api/v1/tokens',
	    { json: { email: u.email, password: PW, label: 'roster' } });
	return r.json()?.token;
}

async function membershipReq(u) {
	const r = await u.api.req('GET', `/api/v1/applications/${u.app}/checklist`, { bearer: u.tok });
	return (r.json()?.requirements || []).find((x) => x.id === 'membership');
}

function mshipOf(u) {
	return sql(`SELECT m.id, m.status, m.reason, m.member_id FROM membership m JOIN account a ` +
	    `ON a.id = m.account WHERE a.email = ${q(u.email)}`)[0] || {};
}

function rosterCsv(lines) {
	return 'email,name,member_id,term_start,term_end\n' + lines.join('\n') + '\n';
}

async function importRoster(c, csv) {
	return c.submitMultipart('/coordinator/memberships/roster', (fd) =>
	    fd.append('roster', new Blob([csv], { type: 'text/csv' }), 'roster.csv'));
}

export async function run() {
	const R = {};
	R.a = await applicant('Rona', 'ro-a');
	// A document that says "confirmed" is the applicant's word: dropped.
	R.f = await applicant('Forge', 'ro-f', undefined, { status: 'confirmed' });

	await test('roster: a recorded membership counts by default and the checklist says "recorded"; an applicant\'s "confirmed" is stored as recorded', async (c) => {
		const rq = await membershipReq(R.a);
		c.eq(rq?.met, true, 'met');
		c.has(rq?.explain, 'yes (recorded)', 'the line says recorded');
		c.eq(mshipOf(R.f).status, 'recorded', 'the forged status is not stored');
		const doc = (await R.f.api.req('GET', `/api/v1/applications/${R.f.app}/portfolio`,
		    { bearer: R.f.tok })).json();
		c.eq(doc?.membership?.[0]?.status, undefined, 'the portfolio shows no status');
		c.has((await membershipReq(R.f))?.explain, 'yes (recorded)', 'the forger\'s line says recorded');
	});

	await test('roster: the applicant and another association\'s coordinator cannot confirm; the page is the coordinator\'s', async (c) => {
		const id = mshipOf(R.a).id;
		const page = await U.cSame.get('/coordinator/memberships');
		c.status(page, 200, 'the coordinator reads the page');
		c.has(page.text, R.a.name, 'the member is listed');
		c.has(page.text, 'January 1, 2026 to December 31, 2026', 'US dates');
		c.lacks((await U.cOther.get('/coordinator/memberships')).text, R.a.name,
		    'another association does not see it');
		c.status(await R.a.get('/coordinator/memberships'), [403, 404], 'the applicant may not read it');
		c.status(await R.a.submit(`/coordinator/memberships/${id}/confirm`), [403, 404],
		    'the applicant may not confirm their own');
		c.status(await U.cOther.submit(`/coordinator/memberships/${id}/confirm`), 404,
		    'another association\'s coordinator');
		c.eq(mshipOf(R.a).status, 'recorded', 'still recorded');
	});

	await test('roster: a rejection needs a reason; rejected never counts and says why; confirmed says so; both in the history', async (c) => {
		const id = mshipOf(R.a).id;
		const r = await U.cSame.submit(`/coordinator/memberships/${id}/reject`, { reason: '' });
		c.status(r, 400, 'no reason');
		c.has(r.text, 'say why the membership is rejected', 'the page says why');
		c.has(r.text, `Reason for ${R.a.name}: say why the membership is rejected`, 'the error summary');
		c.has(r.text, `id="f-reason-${id}"`, 'the field');
		c.has(r.text, 'aria-invalid="true"', 'marked invalid');
		c.eq(mshipOf(R.a).status, 'recorded', 'still recorded');
		c.redirect(await U.cSame.submit(`/coordinator/memberships/${id}/reject`,
		    { reason: 'Not on our member list' }), `/coordinator/memberships#m-${id}`, 'rejected');
		c.eq(mshipOf(R.a).status, 'rejected', 'stored');
		c.eq(mshipOf(R.a).reason, 'Not on our member list', 'with its reason');
		let rq = await membershipReq(R.a);
		c.eq(rq?.met, false, 'a rejected membership does not count');
		c.has(JSON.stringify(rq), 'rejected by the association: Not on our member list',
		    'the checklist says why');
		const app = await R.a.get(`/applications/${R.a.app}`);
		c.has(app.text, 'rejected by the association: Not on our member list',
		    'the applicant reads it on the application page');
		// Sending the portfolio again does not undo the association's verdict.
		const doc = (await R.a.api.req('GET', `/api/v1/applications/${R.a.app}/portfolio`,
		    { bearer: R.a.tok })).json();
		c.eq(doc?.membership?.[0]?.status, 'rejected', 'the portfolio shows the status');
		doc.membership[0].status = 'confirmed';
		c.status(await R.a.api.req('PUT', `/api/v1/applications/${R.a.app}/portfolio`,
		    { bearer: R.a.tok, json: doc }), 200, 'the applicant PUTs it back as confirmed');
		c.eq(sql(`SELECT status FROM membership WHERE account = (SELECT id FROM account ` +
		    `WHERE email = ${q(R.a.email)})`).map((x) => x.status), ['rejected'], 'still rejected, once');
		c.redirect(await U.cSame.submit(`/coordinator/memberships/${id}/confirm`),
		    `/coordinator/memberships#m-${id}`, 'confirmed');
		c.eq(mshipOf(R.a).status, 'confirmed', 'stored');
		rq = await membershipReq(R.a);
		c.eq(rq?.met, true, 'counts');
		c.has(rq?.explain, 'yes (confirmed)', 'the line says confirmed');
		c.status(await U.cSame.submit(`/coordinator/memberships/${id}/confirm`), 409,
		    'confirmed twice');
		c.eq(sql(`SELECT action FROM audit WHERE what = 'membership' AND row_id = ${id} ` +
		    'ORDER BY id').map((x) => x.action), ['reject', 'confirm'], 'the history');
	});

	await test('roster: an imported roster confirms the recorded memberships on it (by e-mail, then name); the unmatched are shown', async (c) => {
		R.e = await applicant('Emil', 'ro-e');
		R.n = await applicant('Nina', 'ro-n');
		R.x = await applicant('Xavi', 'ro-x');
		R.o = await applicant('Otto', 'ro-o');
		const bad = await importRoster(U.cSame, 'mail,name\nx,y\n');
		c.status(bad, 400, 'a wrong header');
		c.has(bad.text, 'email,name,member_id,term_start,term_end', 'names the columns');
		const csv = rosterCsv([
			`${R.e.email.toUpperCase()},Someone Else,M-100,2026-01-01,2026-12-31`,
			`,${R.n.name},M-200,2026-01-01,2026-12-31`,
			// Otto's roster term ended before his membership began.
			`${R.o.email},${R.o.name},M-300,2024-01-01,2024-12-31`,
			`nobody-${UNIQ}@example.org,Nobody Here,M-400,,`,
		]);
		const r = await importRoster(U.cSame, csv);
		c.status(r, 200, 'imported');
		c.has(r.text, 'Roster imported', 'the result');
		c.has(r.text, '4 members on the roster', 'the count');
		c.eq(mshipOf(R.e).status, 'confirmed', 'by e-mail (any case)');
		c.eq(mshipOf(R.e).member_id, 'M-100', 'with the member id');
		c.eq(mshipOf(R.n).status, 'confirmed', 'by name');
		c.eq(mshipOf(R.x).status, 'recorded', 'not on the roster');
		c.eq(mshipOf(R.o).status, 'recorded', 'on the roster for another term');
		c.has(r.text, 'Recorded memberships not on the roster', 'the unmatched memberships');
		c.has(r.text, R.x.name, 'Xavi shown');
		c.has(r.text, 'Nobody Here', 'the unmatched roster line shown');
		c.eq(mshipOf(R.a).status, 'confirmed', 'a verdict already given is left');
		c.eq(Number(one(`SELECT count(*) FROM audit WHERE what = 'membership' AND ` +
		    `action = 'confirm' AND json_extract(detail, '$.how') = 'roster'`)) >= 2, true,
		    'in the history');
		c.status(await importRoster(R.x, csv), [403, 404], 'an applicant may not import');
	});

	await test('roster: with \'membership counts confirmed\' a recorded-only membership is unmet and a confirmed one met', async (c) => {
		const dir = path.join(TMP, 'roster');
		const rules = path.join(dir, 'rules');
		fs.mkdirSync(rules, { recursive: true });
		for (const f of fs.readdirSync(path.join(ROOT, 'rules')))
			fs.writeFileSync(path.join(rules, f), fs.readFileSync(path.join(ROOT, 'rules', f), 'utf8')
			    .replace('setting membership counts recorded', 'setting membership counts confirmed'));
		const srv = await ownServer({ name: 'roster', bin: BIN, root: ROOT, rules,
		    db: path.join(dir, 'endorse.db'), env: { ...process.env, ENDORSE_NOW: '2026-11-23' } });
		try {
			const m = srv.out.match(/^coordinator for vaimh created: log in as (\S+) with password (\S+) /m);
			const coord = new Client('RoCoord', srv.base);
			c.redirect(await coord.submit('/login', { email: m[1], password: m[2] }), '/coordinator',
			    'the coordinator logs in');
			const u = await applicant('Cora', 'ro-c', srv.base);
			let rq = await membershipReq(u);
			c.eq(rq?.met, false, 'recorded only: unmet');
			c.has(JSON.stringify(rq), 'recorded, not yet confirmed by the association', 'says why');
			let page = await u.get(`/applications/${u.app}`);
			c.has(page.text, 'not yet confirmed by the association', 'the applicant reads it');
			page = await coord.get('/coordinator/memberships');
			c.has(page.text, 'counts a membership only once you confirm it', 'the page says the rule');
			const id = page.text.match(/action="\/coordinator\/memberships\/(\d+)\/confirm"/)?.[1];
			c.redirect(await coord.submit(`/coordinator/memberships/${id}/confirm`),
			    `/coordinator/memberships#m-${id}`, 'confirmed');
			rq = await membershipReq(u);
			c.eq(rq?.met, true, 'confirmed: met');
			c.has(rq?.explain, 'yes (confirmed)', 'says confirmed');
		} finally {
			const code = await srv.stop();
			c.eq(code, 0, 'its server exits 0');
			c.ok(!/ERROR: (Address|Leak)Sanitizer|runtime error:/.test(srv.err),
			    `no sanitizer report: ${srv.err.slice(-2000)}`);
		}
	});
}
