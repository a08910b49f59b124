// Issue 16, points 13 and 14: what the applicant and the public were
// missing.  An endorsee imported with `endorse import endorsees --invite`
// gets a welcome with a claim link that works once; /verify takes a typed
// number; the registry is searched with several words.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { Client, test, one, q, DB, BASE, errorSummary, inputValue } from '../lib/client.mjs';
import { UNIQ, TMP, U, F, register, email } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const PW = 'claimed by invitation 7';

const E = {
	dana: { number: `J${UNIQ}-1`, name: `Dana ${UNIQ} Rivera`, email: `dana-${UNIQ}@example.org`,
	    category: 'IFS', since: '2019-04-01', status: 'active', city: 'Richmond' },
	dan: { number: `J${UNIQ}-2`, name: `Dan ${UNIQ} Rivers`, email: `danr-${UNIQ}@example.org`,
	    category: 'IFA', since: '2020-04-01', status: 'active', city: 'Roanoke' },
};

function importInvite(c) {
	const lines = ['number,name,email,category,since,status,city'];
	for (const e of Object.values(E))
		lines.push([e.number, e.name, e.email, e.category, e.since, e.status, e.city].join(','));
	const file = path.join(TMP, 'jfeatures.csv');
	fs.writeFileSync(file, lines.join('\n') + '\n');
	const p = spawnSync(BIN, ['import', 'endorsees', '--db', DB, '--association', 'vaimh',
	    '--rules', path.join(ROOT, 'rules'), '--invite', '--base-url', BASE, file],
	    { encoding: 'utf8' });
	c.eq(p.status, 0, `exit status (stderr: ${p.stderr})`);
	c.eq(p.stdout, 'imported 2 endorsees, each invited by mail\n', 'stdout');
}

export async function run() {
	await test('jfeatures: import --invite mails each endorsee a claim link that works once', async (c) => {
		importInvite(c);
		const e = E.dana;
		const body = one(`SELECT body FROM outbox WHERE recipient = ${q(e.email)} ORDER BY id DESC LIMIT 1`) || '';
		c.has(body, `your endorsement ${e.number} is in it`, 'the welcome names the endorsement');
		const link = (body.match(/\/reset\/[0-9a-f]{64}/) || [])[0];
		c.ok(link, `a claim link in the welcome: ${body}`);
		if (!link) return;
		const u = new Client('invited');
		c.status(await u.get(link), 200, 'the claim link opens');
		let r = await u.submit(link, { password: PW });
		c.redirect(r, '/login?reset=1', 'password chosen');
		r = await u.submit('/login', { email: e.email, password: PW });
		c.redirect(r, '/dashboard', 'logs in with it');
		const v = new Client('invited-again');
		r = await v.get(link);
		c.status(r, 404, 'the claim link works once: a second visit');
		r = await v.submit(link, { password: 'another password 99' });
		c.ok(r.status === 404 || r.status === 403, `a second use refused: ${r.status}`);
		r = await v.submit('/login', { email: e.email, password: 'another password 99' });
		c.status(r, 400, 'the second use set nothing');
	});

	const anon = new Client('public-j');

	await test('jfeatures: /verify has a box for a typed number; found goes to its page, errors by the field', async (c) => {
		let r = await anon.get('/verify');
		c.status(r, 200, 'the form');
		c.has(r.text, 'name="number"', 'a number box');
		c.has(r.text, 'action="/verify"', 'sent to /verify');
		r = await anon.get('/verify?number=' + encodeURIComponent(` ${E.dana.number} `));
		c.redirect(r, `/verify/${E.dana.number}`, 'a known number (spaces trimmed)');
		r = await anon.get('/verify?number=' + encodeURIComponent(`J${UNIQ}-404`));
		c.status(r, 404, 'an unknown number');
		c.has(errorSummary(r.text), 'no endorsement has this number', 'said in the error summary');
		c.eq(inputValue(r.text, 'number'), `J${UNIQ}-404`, 'what was typed is kept');
		r = await anon.get('/verify?number=' + encodeURIComponent('a b/c'));
		c.status(r, 400, 'not a number');
		c.has(r.text, 'only letters, digits', 'says what a number holds');
		r = await anon.get('/verify?number=');
		c.status(r, 400, 'empty');
		c.has(r.text, 'enter the number printed on the certificate', 'asks for it');
		r = await anon.get(`/verify/J${UNIQ}-404`);
		c.status(r, 404, 'an unknown number in the path');
		c.has(r.text, 'name="number"', 'the box to try another');
	});

	await test('jfeatures: the registry is searched with several words, each matching name, city or category', async (c) => {
		const num = (r) => (r.json()?.results || []).map((x) => x.number).sort();
		let r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(`Dana Rivera ${UNIQ} IFS`));
		c.eq(num(r), [E.dana.number], 'name words and the category');
		r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(`rivera ${UNIQ} richmond`));
		c.eq(num(r), [E.dana.number], 'a name word and the city, case ignored');
		r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(`Riv ${UNIQ}`));
		c.eq(num(r), [E.dana.number, E.dan.number].sort(), 'a shared word finds both');
		r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(`Dana ${UNIQ} IFA`));
		c.eq(num(r), [], 'every word must match: Dana is IFS');
		r = await anon.get('/registry?q=' + encodeURIComponent(`Dana   Rivera ${UNIQ}`));
		c.has(r.text, `/verify/${E.dana.number}`, 'the page, spaces between words');
	});

	await test('jfeatures: "valid through" the end of the renewal cycle on the verify page and the certificate', async (c) => {
		let r = await anon.get(`/verify/${E.dana.number}`);
		c.status(r, 200, 'verify page');
		c.has(r.text, '<dt>Valid through</dt><dd>December 31, 2027', 'vaimh: cycles of 3 years ending 2024, 2027');
		const u = new Client('invited-cert');
		r = await u.submit('/login', { email: E.dana.email, password: PW });
		c.redirect(r, '/dashboard', 'the claimed account logs in');
		r = await u.get(`/endorsements/${E.dana.number}/certificate.pdf`);
		c.status(r, 200, 'the certificate');
		const file = path.join(TMP, `cert-${UNIQ}.pdf`);
		fs.writeFileSync(file, r.buf);
		const p = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
		c.has(p.stdout || '', 'Valid through December 31, 2027', `the PDF's text: ${p.stderr}`);
	});

	await test('jfeatures: the ethics page links to the association\'s Code of Ethics (rule set), no text of our own', async (c) => {
		let r = await U.A.get(`/applications/${F.appA}/ethics`);
		c.status(r, 200, 'vaimh ethics page');
		c.has(r.text, '<a href="https://www.vaimh.org">Read the Code of Ethics', 'the rule set\'s address');
		c.lacks(r.text, 'to practise within the scope', 'no paraphrase of a code we do not hold');
		r = await U.B.get(`/applications/${F.appB}/ethics`);
		c.has(r.text, 'href="https://infancy-onward.myeasy.org/"', 'infancy-onward: its own');
	});

	await test('jfeatures: the membership page links to where each association sells it', async (c) => {
		const r = await U.A.get('/membership');
		c.status(r, 200, 'membership page');
		c.has(r.text, '<a href="https://www.vaimh.org/vaimh-membership">Buy or renew a membership of Virginia Association for Infant Mental Health</a>', 'vaimh (seed 000)');
		c.has(r.text, 'href="https://infancy-onward.myeasy.org/"', 'infancy-onward (seed 004)');
	});

	await test('jfeatures: the endorsee sets the city the registry shows (account page), errors by the field', async (c) => {
		const u = new Client('city');
		let r = await u.submit('/login', { email: E.dana.email, password: PW });
		c.redirect(r, '/dashboard', 'logs in');
		r = await u.get('/account');
		c.eq(inputValue(r.text, 'city'), 'Richmond', 'the city box holds the imported city');
		r = await u.submit('/account/city', { city: `Fredericksburg${UNIQ}` });
		c.status(r, 200, 'saved');
		c.has(r.text, 'The registry shows your city now.', 'says so');
		r = await anon.get('/api/v1/registry?q=' + encodeURIComponent(`Fredericksburg${UNIQ}`));
		c.eq((r.json()?.results || []).map((x) => x.number), [E.dana.number], 'the registry finds it by the new city');
		r = await u.submit('/account/city', { city: 'x'.repeat(101) });
		c.status(r, 400, 'too long');
		c.has(errorSummary(r.text), 'Your city: enter at most 100 characters', 'in the error summary, in words');
		c.eq(inputValue(r.text, 'city'), 'x'.repeat(101), 'what was typed is kept');
		const none = await register('J', `Nora None ${UNIQ}`, email('nora-j'), 'vaimh');
		r = await none.get('/account');
		c.lacks(r.text, 'name="city"', 'no city box for someone with no endorsement');
		r = await none.submit('/account/city', { city: 'Nowhere' });
		c.status(r, 404, 'and no city stored for them');
	});

	await test('jfeatures: the overview shows each tab\'s entries and the requirements it serves, met or not', async (c) => {
		const u = await register('P', `Pia Progress ${UNIQ}`, email('pia-j'), 'vaimh');
		let r = await u.submit('/applications', { choice: 'vaimh/IFS' });
		const app = (r.location || '').match(/\/applications\/(\d+)/)?.[1];
		c.ok(app, `an application: ${r.status} ${r.location}`);
		if (!app) return;
		r = await u.get(`/applications/${app}`);
		c.status(r, 200, 'overview');
		const text = r.text.replace(/<[^>]+>/g, '');
		c.has(text, 'Education: 0 entries; 0 of 1 requirement met', 'education');
		c.has(text, 'Training: 0 entries; 0 of 1 requirement met', 'training');
		c.has(text, 'Work: 0 entries; 0 of 2 requirements met', 'work (years and families)');
		c.has(text, 'RSC provided: 0 entries; no requirement of this category', 'a tab IFS does not need');
		c.has(text, 'Code of Ethics: not signed yet', 'ethics');
		c.has(text, 'Not met: 0 of 30 hours', 'what is unmet, under its tab');
	});
}
