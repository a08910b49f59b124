// The applicant's pages: opening and deleting applications, every tab
// (add, edit, delete, validation), transcripts and size limits, the Code of
// Ethics, import and export, and the coordinator's pages.
import fs from 'node:fs';
import path from 'node:path';

import {
	Client, test, sql, one, q, snapshot, unchanged, inputValue, selectValue,
	checked, fieldError, errorSummary, same,
} from '../lib/client.mjs';
import {
	U, F, SECRET_A, IFS_JSON, PDF, PDF2, TODAY, TMP, newApp, entryIds, addEntry,
	upload, entryData, portfolioFor, portfolioPart, runCheck, asStored,
} from './common.mjs';

function fieldErr(c, res, name, msg, what) {
	const got = fieldError(res.text, name);
	c.ok(got !== null && got.includes(msg),
	    `${what}: error beside f-${name}: ${JSON.stringify(got)}, want "${msg}"`);
	const sum = errorSummary(res.text) || '';
	c.ok(sum.includes(`href="#f-${name}"`) && sum.includes(msg),
	    `${what}: the error summary names f-${name} with "${msg}"`);
}

// Each tab: a valid form and the entry it stores, an edit, the required
// fields, and invalid forms with the message each wrong field gets.
const TABS = {
	education: {
		form: { level: 'master', degree: 'MSW', field: 'Social Work',
		    institution: 'State University', conferred: '2018-05-15' },
		want: { level: 'master', degree: 'MSW', field: 'Social Work',
		    institution: 'State University', conferred: '2018-05-15', transcript: false },
		edit: { level: 'doctorate', degree: 'PsyD', field: 'Psychology',
		    institution: '', conferred: '2021-06-01' },
		editWant: { level: 'doctorate', degree: 'PsyD', field: 'Psychology',
		    conferred: '2021-06-01', transcript: false },
		required: { level: 'choose one', conferred: 'this field is required' },
		bad: [
			[{ level: 'phd', degree: 'D'.repeat(301), field: 'F', institution: 'I', conferred: '2018-02-30' },
			    { level: 'choose from the list', degree: 'at most 300 characters',
			      conferred: 'enter a date as YYYY-MM-DD' }],
			[{ level: 'bachelor', degree: '', field: '', institution: '', conferred: '1899-12-31' },
			    { conferred: 'enter a date' }],
			[{ level: 'bachelor', degree: '', field: '', institution: '', conferred: '2200-01-01' },
			    { conferred: 'enter a date' }],
		],
	},
	work: {
		form: [['title', 'Home Visitor'], ['employer', 'Early Steps'], ['start', '2019-01-07'],
		    ['end', ''], ['paid', 'yes'], ['supervised', 'yes'], ['ages', 'infant'],
		    ['ages', 'early_childhood'], ['service', 'prevention'], ['families', '12']],
		want: { title: 'Home Visitor', employer: 'Early Steps', start: '2019-01-07', end: null,
		    paid: true, supervised: true, licensed: false, ages: ['infant', 'early_childhood'],
		    service: 'prevention', families: 12 },
		edit: [['title', 'Lead Home Visitor'], ['employer', 'Early Steps'], ['start', '2019-01-07'],
		    ['end', '2025-06-30'], ['licensed', 'yes'], ['ages', 'infant'], ['service', 'treatment'],
		    ['families', '0']],
		editWant: { title: 'Lead Home Visitor', employer: 'Early Steps', start: '2019-01-07',
		    end: '2025-06-30', paid: false, supervised: false, licensed: true, ages: ['infant'],
		    service: 'treatment', families: 0 },
		required: { title: 'this field is required', start: 'this field is required',
		    service: 'choose one', ages: 'choose at least one age group' },
		bad: [
			[[['title', 'T'], ['start', '2020-05-01'], ['end', '2020-04-30'], ['ages', 'toddler'],
			  ['service', 'magic'], ['families', '-1']],
			    { end: 'the end date is before the start date', ages: 'choose from the list',
			      service: 'choose from the list', families: 'cannot be negative' }],
			[[['title', 'T'], ['start', '2020-13-01'], ['service', 'prevention'], ['families', 'abc']],
			    { start: 'enter a date as YYYY-MM-DD', families: 'enter a whole number',
			      ages: 'choose at least one age group' }],
			[[['title', 'T'], ['start', '2020-01-01'], ['ages', 'infant'], ['service', 'other'],
			  ['families', '100001']],
			    { families: 'more than 100000' }],
		],
	},
	training: {
		form: [['title', 'Cultural humility'], ['date', '2021-03-02'], ['hours', '7.5'],
		    ['topics', 'dei'], ['role', 'attended']],
		want: { title: 'Cultural humility', date: '2021-03-02', hours: 7.5, topics: ['dei'],
		    role: 'attended' },
		edit: [['title', 'Cultural humility II'], ['date', '2021-03-09'], ['hours', '12'],
		    ['topics', 'dei'], ['topics', 'rsc_provision'], ['role', 'provided']],
		editWant: { title: 'Cultural humility II', date: '2021-03-09', hours: 12,
		    topics: ['dei', 'rsc_provision'], role: 'provided' },
		required: { title: 'this field is required', date: 'this field is required',
		    hours: 'this field is required', role: 'choose one' },
		bad: [
			[[['title', ''], ['date', 'yesterday'], ['hours', '-1'], ['topics', 'magic'], ['role', 'attended']],
			    { title: 'this field is required', date: 'enter a date as YYYY-MM-DD',
			      hours: 'hours cannot be negative', topics: 'choose from the list' }],
			[[['title', 'T'], ['date', '2021-01-01'], ['hours', '1.234'], ['role', 'teacher']],
			    { hours: 'use at most two decimal places', role: 'choose from the list' }],
			[[['title', 'T'], ['date', '2021-01-01'], ['hours', 'ten'], ['role', 'attended']],
			    { hours: 'enter a number of hours' }],
			[[['title', 'T'], ['date', '2021-01-01'], ['hours', '10001'], ['role', 'attended']],
			    { hours: 'more than 10000 hours in one entry' }],
		],
	},
	rsc_received: {
		form: { provider: 'Robin Roe', provider_endorsements: 'imhm-c, ERS', format: 'individual',
		    start: '2019-01-01', end: '2020-06-30', hours: '26', focus: 'practice' },
		want: { provider: 'Robin Roe', provider_endorsements: ['IMHM-C', 'ERS'],
		    format: 'individual', start: '2019-01-01', end: '2020-06-30', hours: 26, focus: 'practice' },
		edit: { provider: 'Robin Roe', provider_endorsements: 'IMHM-C', format: 'group',
		    start: '2019-01-01', end: '', hours: '30.25', focus: 'provision' },
		editWant: { provider: 'Robin Roe', provider_endorsements: ['IMHM-C'], format: 'group',
		    start: '2019-01-01', end: null, hours: 30.25, focus: 'provision' },
		required: { provider: 'this field is required', format: 'choose one',
		    start: 'this field is required', hours: 'this field is required', focus: 'choose one' },
		bad: [
			[{ provider: 'P', provider_endorsements: 'IMHM C!', format: 'online', start: '2019-01-01',
			   end: '', hours: '', focus: 'practice' },
			    { provider_endorsements: 'use category codes such as IMHM-C',
			      format: 'choose from the list', hours: 'this field is required' }],
		],
	},
	rsc_provided: {
		form: { recipients: '3', start: '2021-01-01', end: '' },
		want: { recipients: 3, start: '2021-01-01', end: null },
		edit: { recipients: '5', start: '2021-01-01', end: '2024-12-31' },
		editWant: { recipients: 5, start: '2021-01-01', end: '2024-12-31' },
		required: { recipients: 'this field is required', start: 'this field is required' },
		bad: [
			[{ recipients: 'x', start: '', end: '2020-01-01' },
			    { recipients: 'enter a whole number', start: 'this field is required' }],
		],
	},
	leadership: {
		form: { activity: 'Chair, regional group', start: '2020-01-01', end: '2022-12-31',
		    level: 'regional' },
		want: { activity: 'Chair, regional group', start: '2020-01-01', end: '2022-12-31',
		    paid: false, level: 'regional' },
		edit: { activity: 'Chair, state group', start: '2020-01-01', end: '', paid: 'yes', level: 'state' },
		editWant: { activity: 'Chair, state group', start: '2020-01-01', end: null, paid: true,
		    level: 'state' },
		required: { activity: 'this field is required', start: 'this field is required' },
		bad: [
			[{ activity: '', start: '2020-01-01', end: '2019-01-01', level: 'galactic' },
			    { activity: 'this field is required', end: 'the end date is before the start date',
			      level: 'choose from the list' }],
		],
	},
	references: {
		// No status field: a reference's status is its rating's (a
		// rater answers through their link), never typed.
		form: { name: 'Sam Lee', email: 'sam@example.org', relationship: 'program_supervisor',
		    endorsements: 'IFS' },
		want: { name: 'Sam Lee', email: 'sam@example.org', relationship: 'program_supervisor',
		    endorsements: ['IFS'] },
		edit: { name: 'Sam Lee', email: 'sam.lee@example.org', relationship: 'colleague',
		    endorsements: '' },
		editWant: { name: 'Sam Lee', email: 'sam.lee@example.org', relationship: 'colleague' },
		required: { name: 'this field is required', email: 'this field is required',
		    relationship: 'choose one' },
		bad: [
			[{ name: 'N', email: 'not-an-email', relationship: '', endorsements: '' },
			    { email: 'enter an e-mail address such as name@example.org',
			      relationship: 'choose one' }],
		],
	},
};

function pairsOf(form) {
	return Array.isArray(form) ? form : Object.entries(form);
}
// Every text-like field typed must come back in the form.
function keptTyped(c, html, form, what) {
	const seen = new Set();
	for (const [k, v] of pairsOf(form)) {
		if (seen.has(k)) continue;
		seen.add(k);
		const shown = inputValue(html, k);
		if (shown !== undefined) {
			c.eq(shown, v, `${what}: typed ${k} kept`);
			continue;
		}
		const sel = selectValue(html, k);
		if (sel !== undefined) {
			// A select can only keep a value it offers.
			if (v !== '' && html.includes(`<option value="${v}"`))
				c.eq(sel, v, `${what}: chosen ${k} kept`);
			continue;
		}
		if (v === 'yes' && checked(html, `f-${k}`) !== undefined) {
			c.ok(checked(html, `f-${k}`), `${what}: ticked ${k} kept`);
			continue;
		}
		const box = checked(html, `f-${k}-${v}`);
		if (box !== undefined) c.ok(box, `${what}: ticked ${k}=${v} kept`);
	}
}

export async function run() {
	// ---------------------------------------------------------- open, delete
	await test('open an application: choices, preselection, validation, success', async (c) => {
		let r = await U.A.get('/applications/new');
		c.status(r, 200, 'GET /applications/new');
		c.has(r.text, '<option value="vaimh/IFS"', 'vaimh/IFS offered');
		c.has(r.text, '<option value="infancy-onward/ECMHM-C"', 'infancy-onward/ECMHM-C offered');
		r = await U.A.get('/applications/new?association=infancy-onward&category=IFA');
		c.eq(selectValue(r.text, 'choice'), 'infancy-onward/IFA', 'preselected from the query');
		const before = snapshot();
		for (const [choice, msg] of [['', 'choose an association and a category'],
		    ['vaimh', 'choose an association and a category'],
		    ['atlantis/IFS', 'there is no such association'],
		    ['vaimh/NOPE', 'the association has no such category'],
		    ['vaimh/', 'choose a category']]) {
			r = await U.A.submit('/applications', { choice });
			c.status(r, 400, `choice ${JSON.stringify(choice)}`);
			fieldErr(c, r, 'choice', msg, `choice ${JSON.stringify(choice)}`);
		}
		r = await U.A.submit('/applications', { choice: 'vaimh/NOPE' });
		c.eq(selectValue(r.text, 'choice'), null, 'an unknown choice is not selected');
		unchanged(c, before, 'refused applications');
		r = await U.A.submit('/applications', { choice: 'vaimh/IFA' });
		c.redirect(r, /^\/applications\/\d+$/, 'open vaimh/IFA');
		const id = Number((r.location || '').split('/').pop());
		c.eq(sql(`SELECT association, category, status FROM application WHERE id = ${id}`),
		    [{ association: 'vaimh', category: 'IFA', status: 'draft' }], 'stored');
		r = await U.A.get('/dashboard');
		c.has(r.text, `href="/applications/${id}"`, 'listed on the dashboard');
		F.appIFA = id;
	});

	for (const choice of ['vaimh/IFS', 'vaimh/IFA', 'vaimh/ECFA', 'vaimh/ERS', 'infancy-onward/IFA',
	    'infancy-onward/ERS', 'infancy-onward/ECMHM-C']) {
		await test(`the application page renders with its checklist (${choice})`, async (c) => {
			const id = await newApp(U.A, choice);
			const r = await U.A.get(`/applications/${id}`);
			c.status(r, 200, `GET /applications/${id} (${choice})`);
			c.has(r.text, `(${choice.split('/')[1]})</h1>`, 'its title');
			c.has(r.text, 'Checklist:', 'with the checklist');
			const t = await U.A.get(`/applications/${id}/tab/work`);
			c.status(t, 200, `GET its work tab (${choice})`);
			await U.A.submit(`/applications/${id}/delete`);
		});
	}

	await test('delete an application: gone with its entries', async (c) => {
		const id = await newApp(U.A, 'vaimh/IFS');
		const e = await addEntry(U.A, id, 'training', { title: 'To be deleted', date: '2020-01-01',
		    hours: '1', role: 'attended' });
		let r = await U.A.submit(`/applications/${id}/delete`);
		c.redirect(r, '/dashboard?deleted=1', 'delete');
		c.eq(one(`SELECT count(*) FROM application WHERE id = ${id}`), 0, 'application row gone');
		c.eq(one(`SELECT count(*) FROM entry WHERE id = ${e}`), 0, 'entry rows gone');
		r = await U.A.get(`/applications/${id}`);
		c.status(r, 404, 'the page is gone');
		r = await U.A.submit(`/applications/${id}/delete`);
		c.status(r, 404, 'delete again');
	});

	// ---------------------------------------------------------- tabs
	F.appTabs = await newApp(U.A, 'vaimh/IFS');
	for (const kind of Object.keys(TABS)) {
		const t = TABS[kind];
		const base = `/applications/${F.appTabs}`;
		await test(`tab ${kind}: add, shown, edit, delete`, async (c) => {
			let r = await U.A.get(`${base}/tab/${kind}`);
			c.status(r, 200, `GET tab ${kind}`);
			c.has(r.text, `action="${base}/tab/${kind}"`, 'the add form');
			r = await U.A.get(`${base}/tab/${kind}/new`);
			c.status(r, 200, `GET tab ${kind}/new`);
			c.has(r.text, `action="${base}/tab/${kind}"`, 'the add form on /new');
			r = await U.A.submit(`${base}/tab/${kind}`, t.form);
			c.redirect(r, `${base}/tab/${kind}#entries`, `add ${kind}`);
			const ids = await entryIds(U.A, F.appTabs, kind);
			const id = ids[ids.length - 1];
			if (!c.ok(id, 'the new entry is listed with an edit link')) return;
			c.eq(entryData(id), t.want, `${kind} stored as endorse-portfolio/1`);
			r = await U.A.get(`${base}/tab/${kind}`);
			const first = pairsOf(t.form).find(([k]) => ['title', 'provider', 'activity', 'name',
			    'degree', 'start'].includes(k));
			// Dates read as people write them in the US (issue 16).
			const shown = first[0] === 'start' ? new Date(`${first[1]}T00:00:00Z`)
			    .toLocaleDateString('en-US', { timeZone: 'UTC', month: 'long', day: 'numeric',
			    year: 'numeric' }) : first[1];
			c.has(r.text, shown, 'the tab lists it');
			r = await new Client('api').get(`/api/v1/applications/${F.appTabs}/portfolio`,
			    { bearer: U.A.token });
			// The registry's verdict on the codes joins the entry (issue 15).
			c.ok((r.json()?.[kind] || []).some((e) => same(e, kind === 'references' ?
			    { ...t.want, status: 'draft', verified: false } : kind === 'rsc_received' ?
			    { ...t.want, verified: false } : t.want)), 'in the portfolio (API)');
			r = await U.A.get(`${base}/entries/${id}`);
			c.status(r, 200, 'the edit page');
			for (const [k, v] of pairsOf(t.form)) {
				if (inputValue(r.text, k) === undefined || v === '') continue;
				const want = Array.isArray(t.want[k]) ? t.want[k].join(', ') : v;
				c.eq(inputValue(r.text, k), want, `edit form shows ${k}`);
			}
			for (const [k, v] of pairsOf(t.form))
				if (selectValue(r.text, k) !== undefined)
					c.eq(selectValue(r.text, k), v, `edit form selects ${k}`);
			r = await U.A.submit(`${base}/entries/${id}`, t.edit);
			c.redirect(r, `${base}/tab/${kind}#entries`, `save ${kind}`);
			c.eq(entryData(id), t.editWant, `${kind} after the edit`);
			r = await U.A.submit(`${base}/entries/${id}/delete`);
			c.redirect(r, `${base}/tab/${kind}?deleted=1#entries`, `delete ${kind}`);
			c.eq(entryData(id), undefined, 'the entry is gone');
			c.ok(!(await entryIds(U.A, F.appTabs, kind)).includes(id), 'no longer listed');
			r = await U.A.submit(`${base}/entries/${id}/delete`);
			c.status(r, 404, 'delete again');
			r = await U.A.get(`${base}/entries/${id}`);
			c.status(r, 404, 'edit page of a deleted entry');
		});

		await test(`tab ${kind}: every validation error beside its field, typed values kept, nothing stored`, async (c) => {
			const before = snapshot();
			const empty = pairsOf(t.form).filter(([k]) => !['paid', 'supervised', 'licensed', 'ages',
			    'topics'].includes(k)).map(([k]) => [k, '']);
			let r = await U.A.submit(`${base}/tab/${kind}`, empty);
			c.status(r, 400, `${kind} all empty`);
			for (const [f, msg] of Object.entries(t.required))
				fieldErr(c, r, f, msg, `${kind} empty ${f}`);
			const nErr = (r.text.match(/<p class="error" id="f-/g) || []).length;
			c.eq(nErr, Object.keys(t.required).length, `${kind}: only the required fields complain`);
			for (const [form, errs] of t.bad) {
				r = await U.A.submit(`${base}/tab/${kind}`, form);
				c.status(r, 400, `${kind} ${JSON.stringify(form).slice(0, 80)}`);
				for (const [f, msg] of Object.entries(errs))
					fieldErr(c, r, f, msg, `${kind} ${f}`);
				const n = (r.text.match(/<p class="error" id="f-/g) || []).length;
				c.eq(n, Object.keys(errs).length, `${kind}: exactly the wrong fields complain`);
				keptTyped(c, r.text, form, kind);
			}
			unchanged(c, before, `invalid ${kind} entries`);
			// The edit form validates the same way and keeps what was typed.
			const id = await addEntry(U.A, F.appTabs, kind, t.form);
			const mid = snapshot();
			const [form, errs] = t.bad[0];
			r = await U.A.submit(`${base}/entries/${id}`, form);
			c.status(r, 400, `${kind} edit with errors`);
			for (const [f, msg] of Object.entries(errs))
				fieldErr(c, r, f, msg, `${kind} edit ${f}`);
			keptTyped(c, r.text, form, `${kind} edit`);
			unchanged(c, mid, `invalid edit of ${kind}`);
			c.eq(entryData(id), t.want, 'the entry is as before');
			await U.A.submit(`${base}/entries/${id}/delete`);
		});
	}

	await test('entries made through the forms form a portfolio endorse check reads', async (c) => {
		const id = await newApp(U.A, 'vaimh/IFS');
		for (const kind of Object.keys(TABS))
			await addEntry(U.A, id, kind, TABS[kind].form);
		const r = await U.A.get(`/applications/${id}/export`);
		c.status(r, 200, 'export');
		const file = path.join(TMP, `forms-${id}.json`);
		fs.writeFileSync(file, r.buf);
		const out = runCheck(file);
		c.ok(out.status === 0 || out.status === 1, `endorse check exit ${out.status}: ${out.stderr}`);
		const api = await new Client('api').get(`/api/v1/applications/${id}/checklist`, { bearer: U.A.token });
		c.status(api, 200, 'the checklist of the same portfolio');
		const page = await U.A.get(`/applications/${id}`);
		c.lacks(page.text, 'class="error"', 'no checklist error on the page');
	});

	await test('what applicants type is escaped in pages', async (c) => {
		const nasty = `Fish & <b>"chips"</b>'s <script>alert(1)</script>`;
		const id = await addEntry(U.A, F.appTabs, 'training', { title: nasty, date: '2021-01-01',
		    hours: '1', role: 'attended' });
		let r = await U.A.get(`/applications/${F.appTabs}/tab/training`);
		c.lacks(r.text, '<script>alert(1)</script>', 'no raw script on the tab');
		c.lacks(r.text, '<b>"chips"</b>', 'no raw markup on the tab');
		c.has(r.text, 'Fish &amp; &lt;b&gt;&quot;chips&quot;&lt;/b&gt;&#39;s &lt;script&gt;', 'escaped');
		r = await U.A.get(`/applications/${F.appTabs}/entries/${id}`);
		c.eq(inputValue(r.text, 'title'), nasty, 'the edit form shows it exactly');
		c.lacks(r.text, '<script>alert(1)</script>', 'no raw script in the edit form');
		c.eq(entryData(id).title, nasty, 'stored exactly');
		await U.A.submit(`/applications/${F.appTabs}/entries/${id}/delete`);
		const e = await addEntry(U.A, F.appTabs, 'education', TABS.education.form);
		r = await upload(U.A, F.appTabs, e, PDF, '<img src=x onerror=alert(1)>.pdf');
		c.redirect(r, `/applications/${F.appTabs}/tab/education#entries`, 'upload with a nasty name');
		r = await U.A.get(`/applications/${F.appTabs}/tab/education`);
		c.lacks(r.text, '<img src=x', 'no raw markup from a file name');
		c.has(r.text, '&lt;img src=x onerror=alert(1)&gt;.pdf', 'the file name escaped');
		await U.A.submit(`/applications/${F.appTabs}/entries/${e}/delete`);
	});

	await test('an unknown tab is 404', async (c) => {
		c.status(await U.A.get(`/applications/${F.appTabs}/tab/hobbies`), 404, 'GET tab hobbies');
		const before = snapshot();
		c.status(await U.A.submit(`/applications/${F.appTabs}/tab/hobbies`, { title: 'x' }), 404,
		    'POST tab hobbies');
		unchanged(c, before, 'POST to an unknown tab');
	});

	// ---------------------------------------------------------- transcripts
	await test('transcript: a tiny PDF is accepted, listed, downloaded, removed', async (c) => {
		const e = await addEntry(U.A, F.appTabs, 'education', TABS.education.form);
		const base = `/applications/${F.appTabs}/entries/${e}/transcript`;
		let r = await U.A.get(base);
		c.status(r, 404, 'no transcript yet');
		r = await upload(U.A, F.appTabs, e, PDF, 'my transcript.pdf');
		c.redirect(r, `/applications/${F.appTabs}/tab/education#entries`, 'upload');
		c.eq(entryData(e).transcript, true, 'the entry notes the transcript');
		c.eq(sql(`SELECT filename, size FROM transcript WHERE entry = ${e}`),
		    [{ filename: 'my transcript.pdf', size: PDF.length }], 'stored');
		r = await U.A.get(`/applications/${F.appTabs}/tab/education`);
		c.has(r.text, `<a href="${base}">my transcript.pdf</a>`, 'listed with a link');
		r = await U.A.get(base);
		c.status(r, 200, 'download');
		c.eq(r.ctype, 'application/pdf', 'content type');
		c.ok(r.buf.equals(PDF), 'the same bytes');
		c.ok(/^attachment/.test(r.headers.get('content-disposition') || ''), 'as an attachment');
		r = await upload(U.A, F.appTabs, e, PDF2, '../../etc/evil.pdf');
		c.redirect(r, `/applications/${F.appTabs}/tab/education#entries`, 'replace');
		c.eq(sql(`SELECT filename, size FROM transcript WHERE entry = ${e}`),
		    [{ filename: 'evil.pdf', size: PDF2.length }], 'replaced, the name without its path');
		// The edit of the degree keeps the flag.
		r = await U.A.submit(`/applications/${F.appTabs}/entries/${e}`, TABS.education.edit);
		c.eq(entryData(e).transcript, true, 'an edit keeps the transcript flag');
		r = await U.A.submit(`${base}/delete`);
		c.redirect(r, `/applications/${F.appTabs}/tab/education?removed=1#entries`, 'remove');
		c.eq(entryData(e).transcript, false, 'flag cleared');
		c.eq(one(`SELECT count(*) FROM transcript WHERE entry = ${e}`), 0, 'row gone');
		c.status(await U.A.get(base), 404, 'download after removal');
		F.eEduTabs = e;
	});

	await test('transcript: refuses what is not a PDF (400), a missing file, a non-degree entry', async (c) => {
		const e = F.eEduTabs;
		const before = snapshot();
		let r = await upload(U.A, F.appTabs, e, Buffer.from('hello, this is not a PDF at all\n'), 'fake.pdf');
		c.status(r, 400, 'a text file named .pdf');
		c.has(r.text, 'the file is not a PDF document', 'message');
		r = await upload(U.A, F.appTabs, e, Buffer.from('%PDF-1.4\nno end of file marker here\n'), 'cut.pdf');
		c.status(r, 400, 'a PDF header without %%EOF');
		r = await upload(U.A, F.appTabs, e, Buffer.from('%PDF-%%EOF'), 'tiny.pdf');
		c.status(r, 400, 'ten bytes');
		r = await upload(U.A, F.appTabs, e, Buffer.alloc(0), 'empty.pdf');
		c.status(r, 400, 'an empty file');
		r = await U.A.submitMultipart(`/applications/${F.appTabs}/entries/${e}/transcript`, () => {});
		c.status(r, 400, 'no file at all');
		c.has(r.text, 'choose a PDF file', 'message');
		const w = await addEntry(U.A, F.appTabs, 'work', TABS.work.form);
		const mid = snapshot();
		r = await upload(U.A, F.appTabs, w, PDF);
		c.status(r, 404, 'a transcript on a work entry');
		unchanged(c, mid, 'transcript on a work entry');
		unchanged(c, { ...before, entry: mid.entry }, 'refused uploads');
	});

	await test('transcript: a 4.9 MiB PDF, in many chunks, is stored whole', async (c) => {
		const e = F.eEduTabs;
		const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4.9 * 1024 * 1024, 0x41),
		    Buffer.from('\n%%EOF\n')]);
		let r = await upload(U.A, F.appTabs, e, big, 'big.pdf');
		c.redirect(r, `/applications/${F.appTabs}/tab/education#entries`, 'upload');
		c.eq(one(`SELECT size FROM transcript WHERE entry = ${e}`), big.length, 'stored size');
		r = await U.A.get(`/applications/${F.appTabs}/entries/${e}/transcript`);
		c.ok(r.buf.equals(big), 'the same bytes back');
		await U.A.submit(`/applications/${F.appTabs}/entries/${e}/transcript/delete`);
	});

	await test('transcript removal on a non-degree entry is refused and leaves the entry alone', async (c) => {
		const w = await addEntry(U.A, F.appTabs, 'work', TABS.work.form);
		const before = snapshot();
		const r = await U.A.submit(`/applications/${F.appTabs}/entries/${w}/transcript/delete`);
		c.status(r, 404, 'POST .../transcript/delete on a work entry');
		unchanged(c, before, 'transcript/delete on a work entry');
		c.eq(entryData(w), TABS.work.want, 'the work entry is unchanged');
		const chk = await new Client('api').get(`/api/v1/applications/${F.appTabs}/checklist`,
		    { bearer: U.A.token });
		c.status(chk, 200, 'the checklist still evaluates');
		await U.A.submit(`/applications/${F.appTabs}/entries/${w}/delete`);
	});

	await test('bodies over the limits get 413 and store nothing', async (c) => {
		const e = F.eEduTabs;
		const before = snapshot();
		// One file over 5 MiB (max_upload).
		let r = await upload(U.A, F.appTabs, e, Buffer.concat([Buffer.from('%PDF-1.4\n'),
		    Buffer.alloc(5 * 1024 * 1024 + 1, 0x20), Buffer.from('\n%%EOF\n')]));
		c.status(r, 413, 'a 5 MiB + transcript');
		// A multipart body over max_upload + max_body.
		r = await upload(U.A, F.appTabs, e, Buffer.alloc(6 * 1024 * 1024 + 10, 0x41));
		c.status(r, 413, 'a 6 MiB multipart body');
		// A form body over 1 MiB (max_body).
		const tok = await U.A.csrf();
		r = await U.A.post(`/applications/${F.appTabs}/tab/training`, { form: { csrf: tok,
		    title: 'big', date: '2021-01-01', hours: '1', role: 'attended',
		    pad: 'p'.repeat(1100 * 1024) } });
		c.status(r, 413, 'a 1.1 MiB form');
		// One field over 64 KiB (max_field) inside a small body.
		r = await U.A.post(`/applications/${F.appTabs}/tab/training`, { form: { csrf: tok,
		    title: 't'.repeat(70 * 1024), date: '2021-01-01', hours: '1', role: 'attended' } });
		c.status(r, 413, 'a 70 KiB field');
		c.has(r.text, 'larger than', 'says why');
		// More than 500 fields.
		r = await U.A.post(`/applications/${F.appTabs}/tab/training`, { form: [['csrf', tok],
		    ['title', 'many'], ['date', '2021-01-01'], ['hours', '1'], ['role', 'attended'],
		    ...Array.from({ length: 501 }, (_, i) => ['topics', 'dei'])] });
		c.status(r, 413, '501 fields');
		for (const h of ['content-security-policy', 'x-content-type-options', 'x-frame-options'])
			c.ok(r.headers.get(h), `413 carries ${h}`);
		// A JSON body over 1 MiB.
		const doc = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		doc.work[0].title = 'w'.repeat(1100 * 1024);
		r = await new Client('api').req('PUT', `/api/v1/applications/${F.appTabs}/portfolio`,
		    { bearer: U.A.token, json: doc });
		c.status(r, 413, 'a 1.1 MiB JSON body');
		c.ok(r.json() && typeof r.json().error === 'string', `API 413 is JSON: ${r.text.slice(0, 200)}`);
		unchanged(c, before, 'bodies over the limits');
	});

	// ---------------------------------------------------------- ethics
	await test('ethics: sign (validation first), withdraw; the checklist follows', async (c) => {
		const id = F.appTabs;
		const ethicsMet = async () => {
			const r = await new Client('api').get(`/api/v1/applications/${id}/checklist`, { bearer: U.A.token });
			return (r.json()?.requirements || []).find((q2) => q2.id === 'ethics')?.met;
		};
		let r = await U.A.get(`/applications/${id}/ethics`);
		c.status(r, 200, 'GET ethics');
		c.has(r.text, 'id="f-agree"', 'the agree box');
		c.eq(await ethicsMet(), false, 'ethics unmet before');
		const before = snapshot();
		r = await U.A.submit(`/applications/${id}/ethics`, {});
		c.status(r, 400, 'sign without ticking');
		fieldErr(c, r, 'agree', 'tick the box to sign', 'unticked');
		r = await U.A.submit(`/applications/${id}/ethics`, { agree: 'no' });
		c.status(r, 400, 'agree=no');
		unchanged(c, before, 'refused signatures');
		r = await U.A.submit(`/applications/${id}/ethics`, { agree: 'yes' });
		c.redirect(r, `/applications/${id}/ethics`, 'sign');
		c.eq(one(`SELECT ethics_signed FROM application WHERE id = ${id}`), TODAY, 'signed today');
		r = await U.A.get(`/applications/${id}/ethics`);
		c.has(r.text, 'Signed on November 23, 2026.', 'the page says so');
		c.has(r.text, 'name="withdraw"', 'and offers to withdraw');
		c.eq(await ethicsMet(), true, 'ethics met');
		r = await U.A.submit(`/applications/${id}/ethics`, { withdraw: 'yes' });
		c.redirect(r, `/applications/${id}/ethics`, 'withdraw');
		c.eq(one(`SELECT ethics_signed FROM application WHERE id = ${id}`), null, 'withdrawn');
		c.eq(await ethicsMet(), false, 'ethics unmet again');
	});

	// A tab holds at most 1000 entries (MAX_TAB_ENTRIES, page-apply.c),
	// counted and added in one transaction: 24 saves at once on a tab of
	// 998 store exactly two.  (Counted outside it, concurrent saves could
	// pass the cap; that window is microseconds wide, so this shows the
	// cap met and refused, and catches the race only when it is hit.)
	await test('a tab takes 1000 entries and no more, even from saves at the same moment', async (c) => {
		const id = await newApp(U.A, 'vaimh/IFS');
		const row = JSON.stringify({ title: 'Filler', date: '2021-01-01', hours: 1, role: 'attended' });
		sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 998)
		    INSERT INTO entry (application, kind, data, created)
		    SELECT ${id}, 'training', ${q(row)}, 0 FROM n`);
		const count = () => one(`SELECT count(*) FROM entry WHERE application = ${id} AND kind = 'training'`);
		c.eq(count(), 998, '998 to start');
		const tok = await U.A.csrf();
		const save = (k) => U.A.post(`/applications/${id}/tab/training`, { form: { csrf: tok,
		    title: `Race ${k}`, date: '2021-02-01', hours: '2', role: 'attended' } });
		const rs = await Promise.all(Array.from({ length: 24 }, (_, k) => save(k)));
		const codes = rs.map((r) => r.status).sort();
		c.eq(codes.filter((s) => s === 303).length, 2, `two saves stored: ${codes}`);
		c.eq(codes.filter((s) => s === 409).length, 22, `22 refused: ${codes}`);
		c.eq(count(), 1000, 'exactly 1000 stored');
		const refused = rs.find((r) => r.status === 409);
		c.has(refused?.text || '', 'at most 1000 entries; merge some before adding more', 'says why');
		const r = await save('late');
		c.status(r, 409, 'a full tab refuses the next save');
		c.eq(count(), 1000, 'still 1000');
		sql(`DELETE FROM entry WHERE application = ${id} AND kind = 'training' AND data = ${q(row)}
		    AND id = (SELECT min(id) FROM entry WHERE application = ${id})`);
		c.status(await save('after'), 303, 'one deleted: the next save is stored');
		c.eq(count(), 1000, '1000 again');
	});

	// ---------------------------------------------------------- import, export
	await test('import a portfolio file through the page (multipart); export gives it back', async (c) => {
		const id = await newApp(U.A, 'vaimh/IFS');
		await addEntry(U.A, id, 'training', TABS.training.form);
		const doc = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		let r = await U.A.submitMultipart(`/applications/${id}/import`, (fd) =>
		    fd.append('portfolio', new Blob([JSON.stringify(doc)], { type: 'application/json' }), 'ifs.json'));
		c.redirect(r, `/applications/${id}?imported=1`, 'import');
		r = await U.A.get(`/applications/${id}/export`);
		c.status(r, 200, 'export');
		c.ok(r.ctype.startsWith('application/json'), `export type ${r.ctype}`);
		c.eq(r.headers.get('content-disposition'),
		    `attachment; filename="endorse-portfolio-${id}.json"`, 'export disposition');
		const got = r.json();
		c.eq(got?.format, 'endorse-portfolio/1', 'format');
		c.eq(got?.as_of, TODAY, 'as_of is today');
		c.eq(got?.applicant, { name: U.A.name, email: U.A.email }, 'the applicant is the account');
		c.eq(portfolioPart(got), portfolioPart(asStored(doc)), 'every entry as imported (the typed entry replaced)');
		F.appImported = id;
	});

	await test('import of an invalid file: 400 and nothing changed', async (c) => {
		const id = F.appImported;
		const before = snapshot();
		const send = (text, name = 'p.json') => U.A.submitMultipart(`/applications/${id}/import`, (fd) =>
		    fd.append('portfolio', new Blob([text], { type: 'application/json' }), name));
		let r = await send('{"format": "endorse-portfolio/1", ');
		c.status(r, 400, 'not JSON');
		c.has(r.text, 'not valid JSON', 'message');
		const bad = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		bad.work[0].start = '2016-02-30';
		r = await send(JSON.stringify(bad));
		c.status(r, 400, 'a bad date');
		c.has(r.text, 'work[0].start', 'names the field');
		c.has(r.text, 'Nothing was changed.', 'says nothing changed');
		r = await send(JSON.stringify(portfolioFor(IFS_JSON, 'vaimh', 'IFA')));
		c.status(r, 400, 'another category');
		c.has(r.text, 'category: this application is for IFS', 'names the category');
		r = await send(JSON.stringify({ ...portfolioFor(IFS_JSON, 'vaimh', 'IFS'), hobby: 'chess' }));
		c.status(r, 400, 'an unknown field');
		c.has(r.text, 'hobby', 'names the unknown field');
		r = await U.A.submitMultipart(`/applications/${id}/import`, () => {});
		c.status(r, 400, 'no file');
		r = await send('');
		c.status(r, 400, 'an empty file');
		unchanged(c, before, 'invalid imports');
	});

	// ---------------------------------------------------------- coordinator
	await test('coordinator: /coordinator lists only their association', async (c) => {
		let r = await U.cSame.get('/coordinator');
		c.status(r, 200, 'vaimh coordinator');
		c.has(r.text, 'Coordinator: ', 'title');
		c.has(r.text, `href="/applications/${F.appA}"`, "A's vaimh application listed");
		c.has(r.text, U.A.email, "with A's e-mail");
		c.lacks(r.text, `href="/applications/${F.appB}"`, "B's infancy-onward application not listed");
		c.lacks(r.text, U.B.email, "B's e-mail not shown");
		const vaimh = sql("SELECT id FROM application WHERE association = 'vaimh'").map((x) => x.id);
		const listed = [...r.text.matchAll(/href="\/applications\/(\d+)"/g)].map((m) => Number(m[1]));
		c.eq([...new Set(listed)].sort((a, b) => a - b), vaimh.sort((a, b) => a - b),
		    'exactly the vaimh applications');
		r = await U.cOther.get('/coordinator');
		c.status(r, 200, 'infancy-onward coordinator');
		c.has(r.text, `href="/applications/${F.appB}"`, "B's application listed");
		c.lacks(r.text, `href="/applications/${F.appA}"`, "A's application not listed");
		c.lacks(r.text, U.A.email, "A's e-mail not shown");
		r = await U.cSame.get(`/applications/${F.appA}/tab/work`);
		c.status(r, 200, "A's coordinator reads A's tab");
		c.has(r.text, 'read only', 'marked read only');
		c.lacks(r.text, `action="/applications/${F.appA}/tab/work"`, 'no add form for the coordinator');
	});

	await test("coordinator: the read-only entry page shows the entry it lets them read", async (c) => {
		const r = await U.cSame.get(`/applications/${F.appA}/entries/${F.eWorkA}`);
		c.status(r, 200, "A's coordinator opens A's work entry");
		c.has(r.text, 'You can read this entry but not change it.', 'read only');
		c.lacks(r.text, `action="/applications/${F.appA}/entries/${F.eWorkA}"`, 'no save form');
		c.has(r.text, SECRET_A, "the entry's title is shown");
	});

	await test('coordinator: /coordinator/outbox shows their association mail, never a private link', async (c) => {
		let r = await U.cSame.get('/coordinator/outbox');
		c.status(r, 200, 'vaimh outbox');
		c.has(r.text, `To ${U.A.email}`, "A's welcome mail (A registered with vaimh)");
		c.has(r.text, 'Welcome to Endorse', 'subject');
		c.lacks(r.text, U.B.email, "B's mail (infancy-onward) not shown");
		c.lacks(r.text, '/reset/', 'no reset link');
		r = await U.cOther.get('/coordinator/outbox');
		c.status(r, 200, 'infancy-onward outbox');
		c.has(r.text, `To ${U.B.email}`, "B's welcome mail");
		c.lacks(r.text, U.A.email, "A's mail not shown");
	});
}
