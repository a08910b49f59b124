// The end-to-end walk, as a person would do it in a browser: only links,
// forms and buttons, no API.  Started by tests/e2e/run, which serves the
// application and sets:
//   E2E_BASE      http://127.0.0.1:PORT of a fresh `endorse serve`
//   E2E_CHROMIUM  the Chromium binary (Debian's /usr/bin/chromium)
//   E2E_OUT       the directory for screenshots (build/e2e)
//   E2E_EXAMPLE   examples/ifs.json, whose entries are typed into the tabs
// Prints "ok - e2e: STEP" / "not ok - e2e: STEP" lines, details as "#"
// lines; exits 1 when any step failed.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import {
	BASE, OUT, DESKTOP, PHONE, tally, ok, notOk, step, check, expect, Stop, Check,
	control, tinyPdf, watch, screenshot, arrived, checklist, freshPage, raterAnswers,
	coordinator, handOver, someone, registerIn, fits, usDate,
} from './lib.mjs';

const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const EXAMPLE = JSON.parse(fs.readFileSync(process.env.E2E_EXAMPLE, 'utf8'));

// ------------------------------------------------------------ the portfolio
// The words on the forms for the values of examples/ifs.json (src/form.c).
const WORDS = {
	level: { cda: 'CDA credential', associate: 'Associate degree',
	    bachelor: "Bachelor's degree", master: "Master's degree",
	    doctorate: 'Doctorate' },
	ages: { infant: 'Infants and toddlers (birth to 36 months)',
	    early_childhood: 'Young children (3 to 6 years)' },
	service: { promotion: 'Promotion',
	    prevention: 'Prevention / early intervention',
	    treatment: 'Treatment (dyadic clinical intervention)',
	    rsc: 'Providing reflective supervision/consultation',
	    policy: 'Policy', administration: 'Administration',
	    research: 'Research', teaching: 'Teaching', other: 'Other' },
	role: { attended: 'I attended it', provided: 'I provided (taught) it',
	    volunteer: "Volunteer work for an association's Endorsement" },
	format: { individual: 'Individual', group: 'Group',
	    peer: 'Peer group (does not count)' },
	focus: { practice: 'My own work with families',
	    provision: 'The RSC I provide to others' },
	topics: { dei: 'Diversity, equity and inclusion in IECMH',
	    rsc_provision: 'Providing reflective supervision/consultation' },
	relationship: { program_supervisor: 'Program supervisor',
	    rsc_provider: 'RSC provider', rsc_recipient: 'RSC recipient',
	    endorsed_professional: 'Endorsed professional',
	    supervisor: 'Supervisor', colleague: 'Colleague',
	    trainer: 'Trainer', consultant: 'Consultant',
	    supervisee: 'Supervisee', student: 'Student',
	    department_chair: 'Department chair',
	    parent: 'Parent / recipient of services', teacher: 'Teacher',
	    cda_mentor: 'CDA mentor', board_member: 'Board member' },
	scope: { local: 'Local', regional: 'Regional', state: 'State',
	    national: 'National', international: 'International' },
};
// Each tab's form: field name, label on the form, how it is filled.
const TABS = {
	education: { one: 'degree', fields: [
		['level', 'Level', 'select', 'level'],
		['degree', 'Degree as written', 'text'],
		['field', 'Field of study', 'text'],
		['institution', 'Institution', 'text'],
		['conferred', 'Date conferred', 'date']] },
	work: { one: 'position', fields: [
		['title', 'Position title', 'text'],
		['employer', 'Employer', 'text'],
		['start', 'Start date', 'date'],
		['end', 'End date', 'date'],
		['paid', 'Paid position', 'bool'],
		['supervised', 'I received supervision in this position', 'bool'],
		['licensed', 'Licensed practice', 'bool'],
		['ages', null, 'checks', 'ages'],
		['service', 'Kind of service', 'select', 'service'],
		['families', 'Families served', 'text']] },
	training: { one: 'training', fields: [
		['title', 'Training title', 'text'],
		['date', 'Date', 'date'],
		['hours', 'Hours', 'text'],
		['topics', null, 'checks', 'topics'],
		['role', 'Your role', 'select', 'role']] },
	rsc_received: { one: 'RSC period', fields: [
		['provider', "Provider's name", 'text'],
		['provider_endorsements', "Provider's endorsements", 'codes'],
		['format', 'Format', 'select', 'format'],
		['start', 'Start date', 'date'],
		['end', 'End date', 'date'],
		['hours', 'Hours', 'text'],
		['focus', 'Focus', 'select', 'focus']] },
	rsc_provided: { one: 'RSC you provide', fields: [
		['recipients', 'People you provide RSC to', 'text'],
		['start', 'Start date', 'date'],
		['end', 'End date', 'date']] },
	leadership: { one: 'activity', fields: [
		['activity', 'Activity', 'text'],
		['start', 'Start date', 'date'],
		['end', 'End date', 'date'],
		['paid', 'Paid', 'bool'],
		['level', 'Level', 'select', 'scope']] },
	references: { one: 'reference', fields: [
		['name', "Rater's name", 'text'],
		['email', "Rater's e-mail", 'text'],
		['relationship', 'Relationship to you', 'select', 'relationship'],
		['endorsements', "Rater's endorsements", 'codes']] },
};
const TAB_TITLES = { education: 'Education', work: 'Work',
    training: 'Training', rsc_received: 'RSC received',
    rsc_provided: 'RSC provided', leadership: 'Leadership',
    references: 'References' };

// The entries to type: those of the example, with two changes the brief
// asks for: every reference has its rating completed, and a single RSC
// session ("date") is typed as a period of one day.
function entriesOf(kind) {
	return (EXAMPLE[kind] || []).map((e) => {
		const c = { ...e };
		if (kind === 'references')
			delete c.status;	/* the rater's answer sets it */
		if (c.date !== undefined && kind === 'rsc_received') {
			c.start = c.date;
			c.end = c.date;
			delete c.date;
		}
		return c;
	});
}

async function fillEntry(form, kind, entry) {
	for (const [name, label, how, words] of TABS[kind].fields) {
		const v = entry[name];
		switch (how) {
		case 'text':
		case 'date':
			await control(form, label).fill(v === undefined || v === null ?
			    '' : String(v));
			break;
		case 'codes':
			await control(form, label).fill((v || []).join(', '));
			break;
		case 'bool':
			await control(form, label).setChecked(v === true);
			break;
		case 'select':
			if (v === undefined || v === null)
				break;
			if (words === 'refstatus') {
				expect(v === 'completed', `status ${v} not mapped`);
				await control(form, label).selectOption({
				    label: 'Rating completed' });
			} else {
				expect(WORDS[words][v], `${name}: no words for ${v}`);
				await control(form, label).selectOption({
				    label: WORDS[words][v] });
			}
			break;
		case 'checks':
			for (const [val, word] of Object.entries(WORDS[words]))
				await form.getByLabel(word, { exact: true })
				    .setChecked((v || []).includes(val));
			break;
		}
	}
}

// ------------------------------------------------------------------- walk
const person = {
	name: EXAMPLE.applicant.name,
	email: `e2e-${Date.now()}@example.org`,
	password: 'correct horse battery staple',
};

async function walk(browser) {
	const ctx = await browser.newContext({ viewport: DESKTOP });
	ctx.setDefaultTimeout(10000);
	const page = await ctx.newPage();
	watch(page);
	let appUrl;

	await step('home page', async () => {
		const r = await page.goto(`${BASE}/`);
		expect(r.ok(), `GET / answered ${r.status()}`);
		await arrived(page, 'home');
		expect(await page.getByRole('heading', { level: 1 }).count() === 1,
		    'the home page has one h1');
	});

	await step('register a new account', async () => {
		await page.getByRole('main').getByRole('link',
		    { name: 'Create an account' }).click();
		await page.waitForURL('**/register');
		await arrived(page, 'register');
		const form = page.locator('form[action="/register"]');
		await control(form, 'Your name').fill(person.name);
		await control(form, 'E-mail').fill(person.email);
		await control(form, 'Password').fill(person.password);
		await control(form, 'Association you apply with').selectOption(
		    { label: 'Virginia Association for Infant Mental Health' });
		await screenshot(page, 'register-filled');
		await form.getByRole('button', { name: 'Create the account' }).click();
		// A registration logs no one in: the login page says a mail
		// went out, and the person logs in.
		await page.waitForURL('**/login?registered=1');
		const login = page.locator('form[action="/login"]');
		await control(login, 'E-mail').fill(person.email);
		await control(login, 'Password').fill(person.password);
		await login.getByRole('button', { name: 'Log in' }).click();
		await page.waitForURL('**/dashboard');
		await arrived(page, 'dashboard-new');
		const main = page.getByRole('main');
		expect(await main.getByText('You have no application yet.').count() === 1,
		    'the new dashboard says there is no application');
		expect(await main.getByText('You have no active membership recorded')
		    .count() === 1, 'the new dashboard asks for a membership');
	});

	await step('record a VAIMH membership', async () => {
		await page.getByRole('navigation', { name: 'Main' })
		    .getByRole('link', { name: 'Membership' }).click();
		await page.waitForURL('**/membership');
		await arrived(page, 'membership');
		const form = page.locator('form[action="/membership"]');
		await control(form, 'Membership').selectOption(
		    { label: 'Virginia Association for Infant Mental Health: Individual, 1 year' });
		await control(form, 'Bought on').fill(EXAMPLE.membership[0].start);
		await form.getByRole('button', { name: 'Record it' }).click();
		await page.waitForURL('**/membership');
		await arrived(page, 'membership-recorded');
		const item = page.locator('ul.entries > li').first();
		const text = await item.innerText();
		expect(/Virginia Association for Infant Mental Health/.test(text) &&
		    text.includes(`${usDate(EXAMPLE.membership[0].start)} to ` +
		    `${usDate(EXAMPLE.membership[0].end)}`) && /\bactive\b/.test(text) &&
		    !/not active/.test(text),
		    `the membership list shows "${text}", not an active ` +
		    `VAIMH membership ${EXAMPLE.membership[0].start} to ` +
		    `${EXAMPLE.membership[0].end}`);
		await page.getByRole('link', { name: 'Applications' }).click();
		await page.waitForURL('**/dashboard');
		await arrived(page, 'dashboard-member');
		const main = await page.getByRole('main').innerText();
		expect(main.includes('Membership of Virginia Association for Infant ' +
		    `Mental Health: active until ${usDate(EXAMPLE.membership[0].end)}`),
		    'the dashboard shows the active membership');
	});

	await step('"Which category fits me?" proposes IFS', async () => {
		await page.getByRole('main').getByRole('link',
		    { name: 'Which category fits me?' }).click();
		await page.waitForURL('**/fit');
		await arrived(page, 'fit');
		await page.getByLabel('provide direct service to caregiver-child dyads')
		    .check();
		await page.getByLabel('Prevention and/or early intervention').check();
		await page.getByLabel('Infants and toddlers (birth to 3 years)').check();
		await page.getByRole('button', { name: 'Propose a category' }).click();
		await page.waitForURL(/\/fit\?/);
		await arrived(page, 'fit-answered');
		const props = page.locator('section[aria-labelledby="prop-h"] li.card');
		const texts = await props.allInnerTexts();
		expect(texts.some((t) => t.includes('Infant Family Specialist (IFS)') &&
		    t.includes('Virginia Association for Infant Mental Health')),
		    `no IFS proposal of VAIMH among: ${JSON.stringify(texts)}`);
	});
	await check('"Which category fits me?" keeps the answers chosen',
	    async () => {
		const lost = [];
		for (const l of ['provide direct service to caregiver-child dyads',
		    'Prevention and/or early intervention',
		    'Infants and toddlers (birth to 3 years)'])
			if (!(await page.getByLabel(l).isChecked()))
				lost.push(l);
		expect(lost.length === 0, 'after "Propose a category" these ' +
		    `answers are no longer chosen: ${lost.join('; ')}`);
	});

	await step('open a VAIMH IFS application', async () => {
		await page.getByRole('link', { name: 'Apply for Infant Family Specialist (IFS) with Virginia Association for Infant Mental Health' }).click();
		await page.waitForURL('**/applications/new?**');
		await arrived(page, 'application-new');
		const form = page.locator('form[action="/applications"]');
		const sel = control(form, 'Association and category');
		expect(await sel.inputValue() === 'vaimh/IFS',
		    `the category is not preselected: "${await sel.inputValue()}"`);
		await form.getByRole('button', { name: 'Open the application' }).click();
		await page.waitForURL(/\/applications\/\d+$/);
		appUrl = page.url();
		await arrived(page, 'application-overview');
		const h1 = await page.getByRole('heading', { level: 1 }).innerText();
		expect(h1.includes('Infant Family Specialist (IFS)'), `h1 is "${h1}"`);
		const c = await checklist(page);
		expect(c.verdict === 'Not all requirements are met yet.',
		    `a new application's verdict is "${c.verdict}"`);
		expect(!c.unmet.some((t) => /membership/i.test(t)),
		    `membership is not met: ${c.unmet.join(' | ')}`);
	});

	const tabNav = () => page.getByRole('navigation', { name: 'Application' });
	async function openTab(kind) {
		await tabNav().getByRole('link', { name: TAB_TITLES[kind],
		    exact: true }).click();
		await page.waitForURL(`**/tab/${kind}`);
		const cur = await tabNav().locator('[aria-current="page"]').innerText();
		expect(cur === TAB_TITLES[kind], `the current tab is "${cur}"`);
	}
	const addForm = (kind) => page.locator(`form[action$="/tab/${kind}"]`);
	async function add(kind, entry, n) {
		const form = addForm(kind);
		await fillEntry(form, kind, entry);
		await form.getByRole('button', { name: `Add the ${TABS[kind].one}` })
		    .click();
		await page.waitForURL(`**/tab/${kind}#entries`);
		await arrived(page, `${kind}-${n}-added`);
		const alert = page.locator('.error-summary');
		if (await alert.count() > 0)
			throw new Check(`the form refused entry ${n}: ` +
			    await alert.innerText());
		const count = await page.locator('ul.entries > li').count();
		expect(count === n, `${count} entries listed after adding ${n}`);
	}
	async function fillTab(kind, hook) {
		await openTab(kind);
		await arrived(page, kind);
		const list = entriesOf(kind);
		if (list.length === 0)
			expect(await page.getByText('None yet.').count() === 1,
			    'an empty tab says "None yet."');
		for (let i = 0; i < list.length; i++) {
			if (hook)
				await hook(list[i], i);
			await add(kind, list[i], i + 1);
		}
	}
	async function expectMet(what, re) {
		const c = await checklist(page);
		const un = c.unmet.filter((t) => re.test(t));
		expect(un.length === 0, `${what} still unmet: ${un.join(' | ')}`);
	}

	await step('education tab: a degree and its transcript (PDF upload)',
	    async () => {
		await fillTab('education');
		const pdf = path.join(OUT, 'transcript.pdf');
		fs.writeFileSync(pdf, tinyPdf());
		const li = page.locator('ul.entries > li').first();
		await li.getByLabel(/^Transcript \(PDF\)/).setInputFiles(pdf);
		await li.getByRole('button', { name: /^Upload/ }).click();
		await page.waitForURL('**/tab/education#entries');
		await arrived(page, 'education-transcript');
		const t = await page.locator('.transcript').first().innerText();
		expect(/Transcript: transcript\.pdf/.test(t),
		    `after the upload the entry shows "${t}"`);
		const href = await page.getByRole('link', { name: 'transcript.pdf' })
		    .getAttribute('href');
		const r = await page.request.get(new URL(href, BASE).href);
		const body = await r.body();
		expect(r.ok() && body.equals(tinyPdf()),
		    `the stored transcript differs (${r.status()}, ${body.length} bytes)`);
		await expectMet('education', /bachelor's degree or higher/i);
	});

	await step('work tab: the position', async () => {
		await fillTab('work');
		await expectMet('work', /years of paid|families/i);
	});

	await step('training tab: a validation error keeps what was typed',
	    async () => {
		await openTab('training');
		await arrived(page, 'training');
		const t = entriesOf('training')[0];
		const form = addForm('training');
		await fillEntry(form, 'training', { ...t, hours: 'abc' });
		await form.getByRole('button', { name: 'Add the training' }).click();
		await page.waitForLoadState('load');
		await arrived(page, 'training-error');
		const f = addForm('training');
		const hours = f.locator('#f-hours');
		const err = f.locator('#f-hours-error');
		expect(await err.count() === 1 && await err.isVisible(),
		    'no error shown for Hours');
		const msg = await err.innerText();
		expect(/number of hours/i.test(msg), `the error says "${msg}"`);
		// Beside the field: in the same block, announced with it.
		const same = await err.evaluate((e) => e.closest('.field') ===
		    document.getElementById('f-hours').closest('.field'));
		expect(same, 'the error is not in the field\'s block');
		expect(await hours.getAttribute('aria-invalid') === 'true',
		    'Hours is not marked aria-invalid');
		const by = (await hours.getAttribute('aria-describedby')) || '';
		expect(by.split(/\s+/).includes('f-hours-error'),
		    `Hours is not described by its error (aria-describedby="${by}")`);
		expect(await hours.inputValue() === 'abc',
		    `Hours shows "${await hours.inputValue()}", not what was typed`);
		const title = await control(f, 'Training title').inputValue();
		expect(title === t.title, `the title shows "${title}", not "${t.title}"`);
		expect(await control(f, 'Date').inputValue() === t.date,
		    'the date typed was lost');
		for (const [val, word] of Object.entries(WORDS.topics))
			expect(await f.getByLabel(word, { exact: true }).isChecked() ===
			    (t.topics || []).includes(val), `topic ${val} changed`);
		expect(await control(f, 'Your role').inputValue() === t.role,
		    'the role chosen was lost');
		const summary = page.locator('.error-summary');
		expect(await summary.count() === 1, 'no error summary');
		expect(await summary.getByRole('link').first().getAttribute('href') ===
		    '#f-hours', 'the summary does not link to the Hours field');
		expect(await page.locator('ul.entries > li').count() === 0,
		    'the refused training was stored');
		// The person corrects the hours and sends the form again.
		await hours.fill(String(t.hours));
		await f.getByRole('button', { name: 'Add the training' }).click();
		await page.waitForURL('**/tab/training#entries');
		await arrived(page, 'training-corrected');
		expect(await page.locator('ul.entries > li').count() === 1,
		    'the corrected training was not stored');
	});

	await step('training tab: the other trainings', async () => {
		const list = entriesOf('training');
		for (let i = 1; i < list.length; i++)
			await add('training', list[i], i + 1);
		await expectMet('training', /clock hours of relationship-based training/i);
	});

	await step('RSC received tab', async () => {
		await fillTab('rsc_received');
		await expectMet('RSC', /clock hours of RSC/);
	});
	await step('RSC provided tab', async () => fillTab('rsc_provided'));
	await step('leadership tab', async () => fillTab('leadership'));
	await step('references tab: ask each rater for a rating', async () => {
		await fillTab('references');
		const n = entriesOf('references').length;
		for (let i = 0; i < n; i++) {
			await page.locator('ul.entries > li').nth(i)
			    .getByRole('button', { name: /^Ask for a rating/ }).click();
			await page.waitForURL('**/tab/references#ratings');
		}
		await arrived(page, 'references-asked');
		const rows = await page.locator('table tbody tr').allInnerTexts();
		expect(rows.length === n && rows.every((t) => t.includes('Request sent')),
		    `the requests do not all show "Request sent": ${rows.join(' | ')}`);
	});

	// Each rater, with no account, opens the private link (handed over
	// here by the association's coordinator, as where mail is blocked: the
	// applicant is never shown a rater's link) and rates.
	await step('raters answer through their private links', async () => {
		const n = entriesOf('references').length;
		expect(await page.getByRole('button', { name: /send myself/ }).count() === 0,
		    'the applicant is offered a rater\'s link');
		const K = await coordinator(browser);
		for (let i = 0; i < n; i++) {
			const link = await handOver(K, appUrl.match(/(\d+)$/)[1], `rater-link-${i + 1}`);
			await raterAnswers(browser, link, `rater-${i + 1}`);
		}
		await K.ctx.close();
		await openTab('references');
		const rows = await page.locator('table tbody tr').allInnerTexts();
		expect(rows.every((t) => t.includes('Rating completed')),
		    `not every request shows "Rating completed": ${rows.join(' | ')}`);
		await expectMet('references', /Three ratings/i);
	});

	await step('sign the Code of Ethics', async () => {
		await tabNav().getByRole('link', { name: 'Code of Ethics' }).click();
		await page.waitForURL('**/ethics');
		await arrived(page, 'ethics');
		const c0 = await checklist(page);
		expect(c0.unmet.length === 1 && /ethics/i.test(c0.unmet[0]),
		    `before signing, unmet: ${c0.unmet.join(' | ') || 'none'}`);
		await page.getByLabel('I have read the Code of Ethics and the ' +
		    'Endorsement Agreement and I agree to them').check();
		await page.getByRole('button', { name: 'Sign' }).click();
		await page.waitForURL('**/ethics');
		await arrived(page, 'ethics-signed');
		const s = await page.getByRole('status').first().innerText();
		expect(s.includes(`Signed on ${usDate(EXAMPLE.as_of)}`),
		    `after signing the page says "${s}"`);
	});

	await step('the checklist shows all requirements met', async () => {
		await tabNav().getByRole('link', { name: 'Overview' }).click();
		await page.waitForURL(appUrl);
		await arrived(page, 'checklist');
		const c = await checklist(page);
		expect(c.verdict.startsWith('All requirements are met.'),
		    `the verdict is "${c.verdict}"; unmet: ${c.unmet.join(' | ')}`);
		const m = /^Checklist: (\d+) of (\d+) met$/.exec(c.heading);
		expect(m && m[1] === m[2] && +m[1] > 0,
		    `the checklist heading is "${c.heading}"`);
		await page.getByRole('navigation', { name: 'Main' })
		    .getByRole('link', { name: 'Applications' }).click();
		await page.waitForURL('**/dashboard');
		await arrived(page, 'dashboard-ready');
		const card = await page.locator('li.card').first().innerText();
		expect(card.includes(`${m[1]} of ${m[2]} requirements met: ready`),
		    `the dashboard card says "${card}"`);
	});

	const state = await ctx.storageState();
	await ctx.close();
	return { state, appUrl };
}

// An IMHM-C applicant from an imported portfolio to an endorsement, every
// step through the pages: three raters, submission, two reviewers, the
// exam (part 1 and two blind vignette scores), the decision, the registry.
async function mentor(browser) {
	const tag = Date.now().toString(36);
	const pw = 'correct horse battery staple';
	const log = fs.readFileSync(process.env.E2E_SERVER_LOG, 'utf8');
	const cm = log.match(/^coordinator for vaimh created: log in as (\S+) with password (\S+) /m);
	expect(cm, 'the server printed no vaimh coordinator');
	const doc = JSON.parse(fs.readFileSync(path.join(process.env.E2E_ROOT,
	    'tests/golden/check/vaimh/IMHM-C.json'), 'utf8'));
	doc.references = doc.references.map((r, i) => ({ ...r, status: 'draft',
	    email: `mentor-rater${i}-${tag}@example.org` }));
	doc.exam = [];
	delete doc.as_of;
	const file = path.join(OUT, 'imhm-c.json');
	fs.writeFileSync(file, JSON.stringify(doc));
	let P, C, R, appUrl, appId, number;

	await step('mentor: an IMHM-C applicant imports a portfolio', async () => {
		P = await registerIn(browser, `Morgan Mentor ${tag}`, `mentor-${tag}@example.org`, pw);
		await P.page.goto(`${BASE}/applications/new`);
		const form = P.page.locator('form[action="/applications"]');
		await control(form, 'Association and category').selectOption('vaimh/IMHM-C');
		await form.getByRole('button', { name: 'Open the application' }).click();
		await P.page.waitForURL(/\/applications\/\d+$/);
		appUrl = P.page.url();
		appId = appUrl.match(/(\d+)$/)[1];
		await P.page.getByLabel('Replace this draft with a portfolio file').setInputFiles(file);
		await P.page.getByRole('button', { name: 'Import' }).click();
		await P.page.waitForURL(/imported=1/);
		await arrived(P.page, 'mentor-imported');
		const c = await checklist(P.page);
		expect(c.unmet.some((t) => /references|ratings/i.test(t)),
		    `the references should wait for raters; unmet: ${c.unmet.join(' | ')}`);
		expect(c.unmet.some((t) => /transcripts/i.test(t)),
		    `the file's transcript flags should not count; unmet: ${c.unmet.join(' | ')}`);
	});

	await step('mentor: the transcripts uploaded on the education tab', async () => {
		await P.page.goto(`${appUrl}/tab/education`);
		const pdf = path.join(OUT, 'transcript.pdf');
		fs.writeFileSync(pdf, tinyPdf());
		const n = await P.page.locator('ul.entries > li').count();
		for (let i = 0; i < n; i++) {
			const li = P.page.locator('ul.entries > li').nth(i);
			await li.getByLabel(/^Transcript \(PDF\)/).setInputFiles(pdf);
			await li.getByRole('button', { name: /^Upload/ }).click();
			await P.page.waitForURL('**/tab/education#entries');
		}
		await arrived(P.page, 'mentor-transcripts');
		const c = await checklist(P.page);
		expect(!c.unmet.some((t) => /transcripts/i.test(t)),
		    `the uploaded transcripts should count; unmet: ${c.unmet.join(' | ')}`);
	});

	await step('mentor: three raters answer through their links', async () => {
		await P.page.goto(`${appUrl}/tab/references`);
		for (let i = 0; i < 3; i++) {
			await P.page.locator('ul.entries > li').nth(i)
			    .getByRole('button', { name: /^Ask for a rating/ }).click();
			await P.page.waitForURL('**/tab/references#ratings');
		}
		// The coordinator hands each link over (the first open request
		// on their page, oldest first).
		const K = await coordinator(browser);
		const rate = async (row, name, unknown) => {
			const link = await handOver(K, appId, null);
			await raterAnswers(browser, link, name, unknown);
			await P.page.goto(`${appUrl}/tab/references`);
		};
		// The first rater cannot say enough: six "not enough information"
		// answers void the form, and the applicant asks again.
		await rate(0, 'mentor-rater-1-void', 6);
		await arrived(P.page, 'mentor-references-void');
		const first = await P.page.locator('table tbody tr').first().innerText();
		expect(first.includes('the form needs replacing'), `the voided row says "${first}"`);
		await P.page.locator('ul.entries > li').first()
		    .getByRole('button', { name: /^Ask again/ }).click();
		await P.page.waitForURL('**/tab/references#ratings');
		// The voided request is listed first, the new one last.
		await rate(3, 'mentor-rater-1', 0);
		for (let i = 1; i < 3; i++)
			await rate(i, `mentor-rater-${i + 1}`, 0);
		await K.ctx.close();
		await arrived(P.page, 'mentor-references');
		const rows = await P.page.locator('table tbody tr').allInnerTexts();
		expect(rows.filter((t) => t.includes('Rating completed')).length === 3 &&
		    rows.filter((t) => t.includes('Void')).length === 1, `rows: ${rows.join(' | ')}`);
	});

	await step('mentor: the coordinator opens a cycle and makes two endorsed reviewers', async () => {
		C = await someone(browser, cm[1], cm[2], '/coordinator');
		await arrived(C.page, 'coord-home');
		await C.page.getByRole('link', { name: 'Review cycles' }).click();
		let form = C.page.locator('form[action="/coordinator/cycles"]');
		await control(form, 'Name').fill(`Winter ${tag}`);
		await control(form, 'Opens').fill('2026-11-01');
		await control(form, 'Closes').fill('2027-01-31');
		await form.getByRole('button', { name: 'Open the cycle' }).click();
		await C.page.waitForURL(/\/coordinator\/cycles\/\d+$/);
		await arrived(C.page, 'coord-cycle');
		R = [];
		const csv = ['number,name,email,category,since,status,city'];
		for (let i = 0; i < 2; i++) {
			const email = `mentor-reviewer${i}-${tag}@example.org`;
			R.push({ email, ...(await registerIn(browser, `Reviewer ${i} ${tag}`, email, pw)) });
			csv.push(`E2E-${tag}-${i},Reviewer ${i} ${tag},${email},IMHM-C,2015-01-01,active,Richmond`);
		}
		const f = path.join(OUT, 'reviewers.csv');
		fs.writeFileSync(f, csv.join('\n') + '\n');
		const p = spawnSync(process.env.E2E_BIN, ['import', 'endorsees', '--db', process.env.E2E_DB,
		    '--association', 'vaimh', '--rules', path.join(process.env.E2E_ROOT, 'rules'), f],
		    { encoding: 'utf8' });
		expect(p.status === 0, `import endorsees: ${p.stderr}`);
		await C.page.goto(`${BASE}/coordinator/reviewers`);
		for (const r of R) {
			form = C.page.locator('form[action="/coordinator/reviewers"]');
			await control(form, 'E-mail of the reviewer').fill(r.email);
			await form.getByRole('button', { name: 'Add the reviewer' }).click();
			await C.page.waitForURL('**/coordinator/reviewers');
		}
		await arrived(C.page, 'coord-reviewers');
	});

	await step('mentor: the applicant submits', async () => {
		await P.page.goto(appUrl);
		await P.page.getByRole('link', { name: 'Submit the application' }).click();
		await P.page.waitForURL(`${appUrl}/submit`);
		await P.page.getByLabel(/I declare that the answers/).check();
		await P.page.getByRole('button', { name: 'Submit the application' }).click();
		await P.page.waitForURL(appUrl);
		await arrived(P.page, 'mentor-submitted');
		const s = await P.page.getByRole('heading', { name: /^Status:/ }).innerText();
		expect(s.includes('Submitted'), `the status says "${s}"`);
	});

	const appPage = `${BASE}/coordinator/applications/${appId}`;
	await step('mentor: the coordinator assigns both reviewers', async () => {
		for (let i = 0; i < 2; i++) {
			await C.page.goto(appPage);
			const form = C.page.locator(`form[action="/coordinator/applications/${appId}/assign"]`);
			await control(form, 'Reviewer').selectOption({ index: 1 });
			await form.getByRole('button', { name: 'Assign the reviewer' }).click();
			await C.page.waitForURL(`**/coordinator/applications/${appId}*`);
		}
		await arrived(C.page, 'coord-assigned');
	});

	async function recommend(r, i, label) {
		await r.page.goto(`${BASE}/review`);
		await arrived(r.page, `reviewer-${i}-list`);
		await r.page.getByRole('link', { name: `Application ${appId}` }).click();
		await r.page.waitForURL(/\/review\/\d+$/);
		await arrived(r.page, `reviewer-${i}-review`);
		await r.page.locator('input[name="competency"]').first().check();
		await r.page.getByLabel(label, { exact: true }).check();
		await control(r.page.locator('form[action^="/review/"]'), 'Comment to the applicant')
		    .fill('Well documented reflective practice.');
		await r.page.getByRole('button', { name: 'Submit the recommendation' }).click();
		await r.page.waitForURL(/\/review/);
		await arrived(r.page, `reviewer-${i}-done`);
	}
	async function decide(label, note) {
		await C.page.goto(appPage);
		const form = C.page.locator(`form[action="/coordinator/applications/${appId}/decide"]`);
		await form.getByLabel(label, { exact: true }).check();
		await control(form, 'Note to the applicant').fill(note);
		await form.getByRole('button', { name: 'Record the decision' }).click();
		await C.page.waitForURL(`**/coordinator/applications/${appId}*`);
		await arrived(C.page, `coord-decided-${label.replace(/\W+/g, '-')}`);
	}

	await step('mentor: both reviewers approve for the exam; so does the coordinator', async () => {
		for (let i = 0; i < 2; i++)
			await recommend(R[i], i + 1, 'Approve for the exam');
		await decide('Approve for the exam', 'Approved for the written exam.');
		await P.page.goto(appUrl);
		const s = await P.page.getByRole('heading', { name: /^Status:/ }).innerText();
		expect(s.includes('Approved for the exam'), `the status says "${s}"`);
	});

	await step('mentor: the exam session, part 1 and two blind vignette scores', async () => {
		await C.page.goto(`${BASE}/coordinator/exams`);
		let form = C.page.locator('form[action="/coordinator/exams"]');
		await control(form, 'Date').fill('2026-11-23');
		await control(form, 'Place').fill('online');
		await form.getByRole('button', { name: 'Add the session' }).click();
		await C.page.waitForURL(/\/coordinator\/exams\/\d+$/);
		await arrived(C.page, 'coord-exam');
		form = C.page.locator('form[action$="/register"]');
		await control(form, 'Applicant approved for the exam').selectOption({ index: 1 });
		await form.getByRole('button', { name: 'Register' }).click();
		await C.page.waitForURL(/\/coordinator\/exams\/\d+/);
		await C.page.getByLabel(/^Part 1 score/).first().fill('54');
		await C.page.getByRole('button', { name: /^Save/ }).first().click();
		await C.page.waitForURL(/\/coordinator\/exams\/\d+/);
		await arrived(C.page, 'coord-exam-part1');
		for (let i = 0; i < 2; i++) {
			await R[i].page.goto(`${BASE}/review/vignettes`);
			await arrived(R[i].page, `vignettes-${i + 1}`);
			const main = await R[i].page.getByRole('main').innerText();
			expect(!main.includes('Morgan Mentor'), 'the scorer sees the examinee\'s name');
			await R[i].page.getByLabel(/^Score of /).first().fill(i === 0 ? '8' : '7');
			await R[i].page.getByRole('button', { name: /^Save/ }).first().click();
			await R[i].page.waitForURL(/\/review\/vignettes$/);
		}
		await P.page.goto(appUrl);
		await arrived(P.page, 'mentor-exam-passed');
		const c = await checklist(P.page);
		expect(c.unmet.length === 0, `unmet after the exam: ${c.unmet.join(' | ')}`);
	});

	await step('mentor: endorsed; the number verifies in the public registry', async () => {
		await decide('Endorse', 'Congratulations.');
		await P.page.goto(`${BASE}/dashboard`);
		await arrived(P.page, 'mentor-endorsed');
		const link = P.page.getByRole('link', { name: /^VA-\d{4}-\d{4}$/ }).first();
		number = await link.innerText();
		const cert = await P.page.request.get(`${BASE}/endorsements/${number}/certificate.pdf`);
		expect(cert.ok() && cert.headers()['content-type'] === 'application/pdf',
		    `the certificate answered ${cert.status()} ${cert.headers()['content-type']}`);
		const { ctx: pub, page: pp } = await freshPage(browser);
		await pp.goto(`${BASE}/registry?q=${encodeURIComponent(`Morgan Mentor ${tag}`)}`);
		await arrived(pp, 'registry-mentor');
		await pp.getByRole('link', { name: number }).click();
		await pp.waitForURL(`**/verify/${number}`);
		await arrived(pp, 'verify-mentor');
		const text = await pp.getByRole('main').innerText();
		expect(/active/i.test(text) && text.includes('IMHM-C'), `the verification page says "${text}"`);
		await pub.close();
	});
	await step('mentor: the endorsee logs training on the renewal page', async () => {
		await P.page.goto(`${BASE}/dashboard`);
		await P.page.getByRole('link', { name: 'Your log and renewal' }).click();
		await P.page.waitForURL('**/renewal');
		await arrived(P.page, 'renewal');
		let text = await P.page.getByRole('main').innerText();
		expect(text.includes(number) && text.includes('Renewal cycle 2027'),
		    `the renewal page says "${text.slice(0, 300)}"`);
		await P.page.getByRole('link', { name: 'Log training' }).first().click();
		await P.page.waitForURL(/\/renewal\/log\/new/);
		await arrived(P.page, 'renewal-log-new');
		const form = P.page.locator('form[action="/renewal/log"]');
		const entry = { title: 'Mentoring reflective practice', date: '2026-11-23',
		    hours: 20, topics: ['rsc_provision'], role: 'attended' };
		await fillEntry(form, 'training', { ...entry, hours: 'many' });
		await form.getByRole('button', { name: 'Log the training' }).click();
		await arrived(P.page, 'renewal-log-error');
		expect(await P.page.getByRole('alert').count() > 0, 'no error summary for "many" hours');
		await fillEntry(P.page.locator('form[action="/renewal/log"]'), 'training', entry);
		await P.page.locator('form[action="/renewal/log"]')
		    .getByRole('button', { name: 'Log the training' }).click();
		await P.page.waitForURL('**/renewal#log-vaimh');
		await arrived(P.page, 'renewal-logged');
		text = await P.page.getByRole('main').innerText();
		expect(text.includes('Mentoring reflective practice'), 'the entry is not in the log');
		expect(/20 of 15 hours of training/.test(text), `the verdict: "${text.slice(0, 600)}"`);
	});

	await step('mentor: the coordinator sees who has not renewed', async () => {
		await C.page.goto(`${BASE}/coordinator`);
		await C.page.getByRole('link', { name: 'Renewals' }).click();
		await C.page.waitForURL('**/coordinator/renewals');
		await arrived(C.page, 'coordinator-renewals');
		const text = await C.page.getByRole('main').innerText();
		expect(text.includes(number), `the renewals page lists ${number}: "${text.slice(0, 400)}"`);
	});
	for (const x of [P, C, ...R])
		await x.ctx.close();
}

// The key pages once more on a phone, 360 px wide.
async function phone(browser, state, appUrl) {
	const ctx = await browser.newContext({ viewport: PHONE, isMobile: true,
	    hasTouch: true, deviceScaleFactor: 1, storageState: state });
	ctx.setDefaultTimeout(10000);
	const page = await ctx.newPage();
	watch(page);
	const pages = [
		['dashboard', `${BASE}/dashboard`],
		['training', `${appUrl}/tab/training`],
		['checklist', appUrl],
	];
	for (const [name, url] of pages) {
		await step(`phone 360 px: ${name}`, async () => {
			const r = await page.goto(url);
			expect(r.ok(), `GET ${url} answered ${r.status()}`);
			await arrived(page, `phone-${name}`);
			await fits(page);
		});
	}
	await ctx.close();
}

const t0 = Date.now();
let browser;
try {
	browser = await chromium.launch({ executablePath: CHROMIUM,
	    headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
	// E2E_ONLY=walk: the walk alone; E2E_ONLY=WORD: the journeys named so.
	const only = process.env.E2E_ONLY;
	if (!only || only === 'walk') {
		try {
			const { state, appUrl } = await walk(browser);
			await phone(browser, state, appUrl);
			await mentor(browser);
		} catch (e) {
			if (!(e instanceof Stop))
				throw e;
			console.log(`# the walk stopped at "${e.message}"`);
		}
	}
	// The journeys, each a module of its own (tests/e2e/j-*.mjs): a
	// journey's failed step stops that journey only.
	const here = path.dirname(fileURLToPath(import.meta.url));
	for (const f of fs.readdirSync(here).filter((x) => /^j-.*\.mjs$/.test(x) &&
	    (!only || x.includes(only))).sort()) {
		try {
			await (await import(path.join(here, f))).journey(browser);
		} catch (e) {
			if (!(e instanceof Stop))
				notOk(`journey ${f}`, e.stack || e.message);
			else
				console.log(`# the journey ${f} stopped at "${e.message}"`);
		}
	}
} catch (e) {
	if (!(e instanceof Stop))
		notOk('walk', e.stack || e.message);
	else
		console.log(`# the walk stopped at "${e.message}"`);
} finally {
	if (browser)
		await browser.close();
}
const { passed, failed, shot } = tally();
console.log(`# ${shot} screenshots; browser walk ${((Date.now() - t0) / 1000)
    .toFixed(1)} s`);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
