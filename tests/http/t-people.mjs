// People (issue 17, point 1): a coordinator invites another coordinator
// or a reviewer on /coordinator/people (a mail with a link to choose a
// password, then the invited logs in to their role), and removes access
// after a confirmation page: the removed keep nothing (role, sessions, API
// tokens; a reviewer's open reviews released and the application no
// longer readable).  The last coordinator cannot be removed, nor anyone
// by another association's coordinator.  Everything in the history.
// (`endorse user add` is tested in tests/cli/run.)
import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

import { Client, test, sql, one, q } from '../lib/client.mjs';
import { U, UNIQ, TMP, PW, email, register, newApp, apiToken } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const DAY = Date.UTC(2026, 10, 23) / 1000;

const idOf = (mail) => Number(one(`SELECT id FROM account WHERE email = ${q(mail)}`));
const lastMail = (to) => sql(`SELECT subject, body, secret FROM outbox WHERE recipient = ${q(to)} ` +
    'ORDER BY id DESC LIMIT 1')[0];

// An endorsee of vaimh (a reviewer must be one), moved in with the CLI
// and linked to their existing account.
function endorse(u, number) {
	const f = path.join(TMP, `people-${number}.csv`);
	fs.writeFileSync(f, 'number,name,email,category,since,status,city\n' +
	    `${number},${u.name},${u.email},IFS,2020-01-01,active,Richmond\n`);
	return spawnSync(BIN, ['import', 'endorsees', '--db', process.env.HTTP_DB, '--association',
	    'vaimh', '--rules', path.join(ROOT, 'rules'), f], { encoding: 'utf8',
	    env: { ...process.env, ENDORSE_NOW: '2026-11-23' } });
}

async function claim(c, mail, pw) {
	const m = (lastMail(mail)?.body || '').match(/\/reset\/([0-9a-f]{64})/);
	if (!c.ok(m, `a link in the mail to ${mail}`)) return null;
	const u = new Client(mail);
	c.status(await u.get(`/reset/${m[1]}`), 200, 'the link opens');
	c.redirect(await u.submit(`/reset/${m[1]}`, { password: pw }), '/login?reset=1', 'a password chosen');
	return u;
}

export async function run() {
	const P = {};
	P.newc = { email: email('pp-coord'), name: `Nell Newcoord ${UNIQ}` };

	await test('people: a coordinator invites a coordinator: a new account, a mail with a link; they accept and coordinate', async (c) => {
		const page = await U.cSame.get('/coordinator/people');
		c.status(page, 200, 'the page');
		c.has(page.text, 'Invite a coordinator or a reviewer', 'the form');
		let r = await U.cSame.submit('/coordinator/people', { role: 'coordinator', email: 'not-an-address' });
		c.status(r, 400, 'a bad e-mail');
		c.has(r.text, 'enter an e-mail address such as name@example.org', 'says why');
		r = await U.cSame.submit('/coordinator/people', { role: 'owner', email: P.newc.email });
		c.status(r, 400, 'a bad role');
		c.has(r.text, 'choose coordinator or reviewer', 'says why');
		c.eq(one(`SELECT count(*) FROM account WHERE email = ${q(P.newc.email)}`), 0, 'nothing made');
		c.redirect(await U.cSame.submit('/coordinator/people', { role: 'coordinator', ...P.newc }),
		    '/coordinator/people?invited=1', 'invited');
		c.eq(sql(`SELECT role, association, pwhash, name FROM account WHERE email = ${q(P.newc.email)}`)[0],
		    { role: 'coordinator', association: 'vaimh', pwhash: '!', name: P.newc.name }, 'the account');
		const mail = lastMail(P.newc.email);
		c.has(mail?.subject, 'You are a coordinator of Virginia Association for Infant Mental Health', 'the mail');
		c.eq(mail?.secret, 1, 'a private link');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'account' AND action = 'coordinator-add' AND ` +
		    `row_id = ${idOf(P.newc.email)} AND actor = ${idOf(U.cSame.email)}`), 1, 'in the history, by whom');
		const u = await claim(c, P.newc.email, PW);
		if (!u) return;
		c.redirect(await u.submit('/login', { email: P.newc.email, password: PW }), '/coordinator', 'logs in as a coordinator');
		c.has((await u.get('/coordinator/people')).text, P.newc.name, 'sees the people');
		Object.assign(P.newc, { client: u, tok: await apiToken(P.newc.email, PW, 'pp') });
		c.lacks((await U.cOther.get('/coordinator/people')).text, P.newc.name, 'not another association\'s');
		r = await U.cSame.submit('/coordinator/people', { role: 'coordinator', email: P.newc.email });
		c.status(r, 409, 'invited twice');
	});

	await test('people: a reviewer (an endorsee) invited; removal asks first, then the removed reviewer keeps nothing', async (c) => {
		P.rev = await register('PpRev', `Rita Reviewer ${UNIQ}`, email('pp-rev'), 'vaimh');
		let r = await U.cSame.submit('/coordinator/people', { role: 'reviewer', email: P.rev.email });
		c.status(r, 400, 'not an endorsee yet');
		c.has(r.text, 'holds no active endorsement', 'says why');
		c.eq(endorse(P.rev, `PP${UNIQ}`).status, 0, 'endorsed');
		c.redirect(await U.cSame.submit('/coordinator/people', { role: 'reviewer', email: P.rev.email }),
		    '/coordinator/people?invited=1', 'invited');
		c.has(lastMail(P.rev.email)?.body, 'you are now a reviewer', 'mailed');
		c.has(lastMail(P.rev.email)?.body, '/login', 'to log in as before');
		const rid = idOf(P.rev.email);
		// An application under review, assigned to them.
		const appl = await register('PpApp', `Abe Applicant ${UNIQ}`, email('pp-app'), 'vaimh');
		const app = await newApp(appl, 'vaimh/IFS');
		one(`UPDATE application SET status = 'submitted', submitted = ${DAY} WHERE id = ${app} RETURNING id`);
		const asg = one(`INSERT INTO assignment (application, reviewer, assigned) VALUES (${app}, ${rid}, ` +
		    `${DAY + 10}) RETURNING id`);
		const tok = await apiToken(P.rev.email, PW, 'pp-rev');
		c.status(await P.rev.get(`/review/${asg}`), 200, 'the review while a reviewer');
		c.status(await P.rev.get(`/applications/${app}`), 200, 'the application while a reviewer');
		c.status(await U.cOther.get(`/coordinator/people/reviewers/${rid}/remove`), 404, 'another association: not found');
		c.status(await U.cOther.submit(`/coordinator/people/reviewers/${rid}/remove`), 404, 'nor removed');
		const ask = await U.cSame.get(`/coordinator/people/reviewers/${rid}/remove`);
		c.status(ask, 200, 'the confirmation page');
		c.has(ask.text, 'keeps nothing', 'says what goes');
		c.has(ask.text, `action="/coordinator/people/reviewers/${rid}/remove"`, 'the form');
		c.eq(one(`SELECT count(*) FROM reviewer WHERE account = ${rid}`), 1, 'asking removes nothing');
		const mark = Number(one('SELECT max(id) FROM audit'));
		c.redirect(await U.cSame.submit(`/coordinator/people/reviewers/${rid}/remove`),
		    '/coordinator/people?removed=1', 'removed');
		c.eq(one(`SELECT count(*) FROM reviewer WHERE account = ${rid}`), 0, 'the role is gone');
		c.eq(one(`SELECT count(*) FROM assignment WHERE id = ${asg}`), 0, 'the open review released');
		c.eq(one(`SELECT count(*) FROM session WHERE account = ${rid}`), 0, 'their sessions ended');
		c.eq(one(`SELECT count(*) FROM api_token WHERE account = ${rid}`), 0, 'their tokens ended');
		c.status(await new Client('t').get('/api/v1/applications', { bearer: tok }), 401, 'the token refused');
		c.redirect(await P.rev.get('/dashboard'), /^\/login/, 'the old session is logged out');
		c.redirect(await P.rev.submit('/login', { email: P.rev.email, password: PW }), '/dashboard', 'logs in again');
		c.status(await P.rev.get(`/review/${asg}`), 404, 'the review is gone');
		const r2 = await P.rev.get(`/applications/${app}`);
		c.ok(r2.status === 403 || r2.status === 404, `the application: ${r2.status}`);
		c.eq(sql(`SELECT action FROM audit WHERE id > ${mark} AND ((what = 'account' AND row_id = ${rid}) OR ` +
		    `(what = 'assignment' AND row_id = ${asg})) ORDER BY id`).map((x) => x.action),
		    ['release', 'reviewer-remove'], 'in the history');
		c.status(await U.cSame.submit(`/coordinator/people/reviewers/${rid}/remove`), 404, 'removed twice');
	});

	await test('people: a coordinator removed keeps nothing; the last coordinator cannot be removed; another association cannot', async (c) => {
		const nid = idOf(P.newc.email);
		const other = idOf(U.cOther.email);
		c.status(await U.cOther.submit(`/coordinator/people/coordinators/${nid}/remove`), 404, 'by another association');
		c.eq(one(`SELECT role FROM account WHERE id = ${nid}`), 'coordinator', 'still a coordinator');
		// infancy-onward has one coordinator: they cannot remove themself.
		const page = await U.cOther.get('/coordinator/people');
		c.has(page.text, 'The last coordinator of the association cannot be removed', 'the page says why');
		c.lacks(page.text, `/coordinator/people/coordinators/${other}/remove`, 'no remove link');
		let r = await U.cOther.get(`/coordinator/people/coordinators/${other}/remove`);
		c.status(r, 409, 'the confirmation page refuses');
		c.has(r.text, 'invite another coordinator first', 'says why');
		r = await U.cOther.submit(`/coordinator/people/coordinators/${other}/remove`);
		c.status(r, 409, 'the removal refused');
		c.eq(one(`SELECT role FROM account WHERE id = ${other}`), 'coordinator', 'still the coordinator');
		c.status(await P.newc.client.get('/coordinator'), 200, 'the new coordinator works');
		c.status(await U.cSame.get(`/coordinator/people/coordinators/${nid}/remove`), 200, 'asked first');
		c.redirect(await U.cSame.submit(`/coordinator/people/coordinators/${nid}/remove`),
		    '/coordinator/people?removed=1', 'removed');
		c.eq(sql(`SELECT role, association FROM account WHERE id = ${nid}`)[0],
		    { role: 'applicant', association: null }, 'role and association gone');
		c.eq(one(`SELECT count(*) FROM session WHERE account = ${nid}`), 0, 'sessions ended');
		c.status(await new Client('t').get('/api/v1/applications', { bearer: P.newc.tok }), 401, 'the token refused');
		c.redirect(await P.newc.client.get('/coordinator'), /^\/login/, 'logged out');
		c.redirect(await P.newc.client.submit('/login', { email: P.newc.email, password: PW }), '/dashboard',
		    'logs in as an applicant');
		c.status(await P.newc.client.get('/coordinator'), 403, 'no coordinator page');
		c.eq(one(`SELECT count(*) FROM audit WHERE what = 'account' AND action = 'coordinator-remove' AND ` +
		    `row_id = ${nid}`), 1, 'in the history');
	});
}
