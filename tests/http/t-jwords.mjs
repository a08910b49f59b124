// Issue 16, points 9 and 10: what cannot be true is refused by the field
// (the form, the API PUT and the import alike), what is unlikely is shown
// with a warning, an unmet requirement never shows a full bar; the words
// people read carry no source notes, no association ids, no ISO dates,
// and years read as years and months.  (Today is ENDORSE_NOW=2026-11-23.)
import { test, fieldError, Client } from '../lib/client.mjs';
import { UNIQ, IFS_JSON, email, register, newApp, apiToken, addEntry,
    portfolioFor } from './common.mjs';

const P = {};

function usDate(iso) {
	return new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-US',
	    { timeZone: 'UTC', month: 'long', day: 'numeric', year: 'numeric' });
}

export async function run() {
	P.u = await register('W', `Wren Words-${UNIQ}`, email('wren'), 'vaimh');
	P.app = await newApp(P.u, 'vaimh/IFS');
	P.u.token = await apiToken(P.u.email, P.u.password, 'words');
	const base = `/applications/${P.app}`;

	await test('words: a future or zero-hour training is refused by the field, nothing stored',
	    async (c) => {
		let r = await P.u.submit(`${base}/tab/training`, { title: 'Future course',
		    date: '2027-03-05', hours: '3', role: 'attended' });
		c.status(r, 400, 'a training dated after today');
		c.ok(/cannot be in the future/.test(fieldError(r.text, 'date') || ''),
		    `the date's message: ${fieldError(r.text, 'date')}`);
		c.has(r.text, 'value="Future course"', 'what was typed is kept');
		r = await P.u.submit(`${base}/tab/training`, { title: 'No hours',
		    date: '2026-03-05', hours: '0', role: 'attended' });
		c.status(r, 400, 'a training of 0 hours');
		c.ok(/more than 0/.test(fieldError(r.text, 'hours') || ''),
		    `the hours' message: ${fieldError(r.text, 'hours')}`);
		r = await P.u.get(`${base}/tab/training`);
		c.lacks(r.text, 'Future course', 'nothing stored');
		c.lacks(r.text, 'No hours', 'nothing stored');
	});

	await test('words: a degree conferred in 2031 and a job that starts next year are refused',
	    async (c) => {
		let r = await P.u.submit(`${base}/tab/education`, { level: 'master',
		    degree: 'MSW', conferred: '2031-05-20' });
		c.status(r, 400, 'conferred in 2031');
		c.ok(/cannot be in the future/.test(fieldError(r.text, 'conferred') || ''),
		    `conferred: ${fieldError(r.text, 'conferred')}`);
		r = await P.u.submit(`${base}/tab/work`, { title: 'Next job',
		    start: '2027-01-04', ages: 'infant', service: 'prevention' });
		c.status(r, 400, 'a job that starts next year');
		c.ok(/cannot be in the future/.test(fieldError(r.text, 'start') || ''),
		    `start: ${fieldError(r.text, 'start')}`);
		r = await P.u.submit(`${base}/tab/rsc_received`, { provider: 'Pat Later',
		    format: 'individual', start: '2027-02-01', hours: '4', focus: 'practice' });
		c.status(r, 400, 'RSC that starts next year');
		c.ok(/cannot be in the future/.test(fieldError(r.text, 'start') || ''),
		    `RSC start: ${fieldError(r.text, 'start')}`);
	});

	await test('words: the API PUT refuses a future training date and zero hours, by the field',
	    async (c) => {
		const api = new Client('api');
		let doc = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		doc.training[0].date = '2027-03-05';
		let r = await api.req('PUT', `/api/v1/applications/${P.app}/portfolio`,
		    { bearer: P.u.token, json: doc });
		c.status(r, 400, 'PUT with a training in 2027');
		c.ok(/future/.test(r.json()?.error || ''), `the error: ${r.text.slice(0, 300)}`);
		doc = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		doc.training[0].hours = 0;
		r = await api.req('PUT', `/api/v1/applications/${P.app}/portfolio`,
		    { bearer: P.u.token, json: doc });
		c.status(r, 400, 'PUT with a 0-hour training');
		c.ok(/more than 0/.test(r.json()?.error || ''), `the error: ${r.text.slice(0, 300)}`);
		r = await P.u.get(`${base}/tab/training`);
		c.has(r.text, 'None yet.', 'nothing of either stored');
	});

	await test('words: 800 hours of RSC in two months is kept with a warning on the tab',
	    async (c) => {
		// From a qualified provider: the hours count, the span (12 to 24
		// months) does not, so the requirement stays unmet at 800 of 24.
		await addEntry(P.u, P.app, 'rsc_received', { provider: 'Pat Busy',
		    provider_endorsements: 'IFRS', format: 'individual', start: '2026-08-01', end: '2026-09-30',
		    hours: '800', focus: 'practice' });
		const r = await P.u.get(`${base}/tab/rsc_received`);
		c.has(r.text, 'Pat Busy', 'stored and listed');
		c.ok(/<strong>Warning:<\/strong> Please check the hours: 800 hours in 2 months/
		    .test(r.text), 'the entry carries a warning');
		c.has(r.text, usDate('2026-08-01'), 'its start as people write dates in the US');
		c.lacks(r.text, '2026-08-01 ·', 'no ISO date in the list');
	});

	await test('words: an unmet requirement never shows a full bar', async (c) => {
		// An application of its own: only the 800 hours of RSC.
		const app2 = await newApp(P.u, 'vaimh/IFS');
		await addEntry(P.u, app2, 'rsc_received', { provider: 'Pat Busy',
		    provider_endorsements: 'IFRS', format: 'individual', start: '2026-08-01',
		    end: '2026-09-30', hours: '800', focus: 'practice' });
		const r = await P.u.get(`/applications/${app2}`);
		c.ok(/<li class="req unmet">[\s\S]{0,400}800 hours, but received over less than 12 months/
		    .test(r.text), 'the RSC requirement is unmet at 800 of 24 hours');
		const unmetFull = [...r.text.matchAll(/<li class="req unmet">[\s\S]*?<\/li>/g)]
		    .filter((m) => /<progress max="100" value="100"/.test(m[0].split('<details>')[0]));
		c.eq(unmetFull.length, 0, `unmet with a full bar: ${unmetFull.map((m) => m[0].slice(0, 300)).join(' | ')}`);
	});

	await test('words: requirement texts without source notes; years as years and months',
	    async (c) => {
		const api = new Client('api');
		const doc = portfolioFor(IFS_JSON, 'vaimh', 'IFS');
		let r = await api.req('PUT', `/api/v1/applications/${P.app}/portfolio`,
		    { bearer: P.u.token, json: doc });
		c.status(r, 200, 'PUT the example');
		for (const cat of ['IFS', 'IMHM-C']) {
			const a = cat === 'IFS' ? P.app : await newApp(P.u, `vaimh/${cat}`);
			r = await P.u.get(`/applications/${a}`);
			c.ok(!/\(seed [0-9]/i.test(r.text), `${cat}: a source note on the overview: ` +
			    (r.text.match(/.{80}\(seed [0-9].{40}/i) || [''])[0]);
		}
		r = await P.u.get(base);
		c.ok(!/[0-9]\.[0-9]+ of [0-9.]+ years?/.test(r.text),
		    `years as decimals: ${(r.text.match(/.{60}[0-9]\.[0-9]+ of [0-9.]+ years?/) || [''])[0]}`);
		c.ok(/[0-9]+ years?( [0-9]+ months?)? of [0-9]+ years?/.test(r.text),
		    'years read as years and months');
	});

	await test('words: no ids, file names or formats where people read', async (c) => {
		let r = await P.u.get('/membership');
		c.status(r, 200, 'the membership page');
		c.lacks(r.text, '>vaimh: ', 'the membership select shows the association by name');
		r = await P.u.get('/account');
		c.lacks(r.text, 'docs/api.md', 'no repository path on the account page');
		r = await P.u.get(`/applications/${P.app}`);
		c.lacks(r.text, 'endorse-portfolio/1', 'no format name on the application');
	});
}
