// Issue 16, point 13: several trainings at once.  The training tab links
// to a form of rows (GET /applications/#/trainings); "Add another row" is
// a submit button that shows the form again with one more row and what
// was typed; each row that is not empty is checked as the tab's form
// checks one entry, every problem shown by its row and field with what
// was typed kept, and the rows are stored together or not at all.  Three
// hours logged twice is two entries of three hours: six.
import { test, sql, errorSummary, Client } from '../lib/client.mjs';
import { UNIQ, email, register, newApp } from './common.mjs';

const P = {};
const trainings = (app) => sql(`SELECT json_extract(data, '$.title') AS title, ` +
    `json_extract(data, '$.hours') AS hours FROM entry WHERE application = ${Number(app)} AND ` +
    `kind = 'training' ORDER BY id`);

export async function run() {
	P.u = await register('JTrain', `Tia Trainings ${UNIQ}`, email('jtrain'), 'vaimh');
	P.app = await newApp(P.u, 'vaimh/IFS');
	const base = `/applications/${P.app}`;

	await test('trainings (16.13): the training tab links to a form of three empty rows', async (c) => {
		let r = await P.u.get(`${base}/tab/training`);
		c.has(r.text, `href="${base}/trainings"`, 'the tab links to it');
		r = await P.u.get(`${base}/trainings`);
		c.status(r, 200, 'the form');
		for (const n of [1, 2, 3])
			c.has(r.text, `id="f-title-${n}"`, `row ${n}`);
		c.lacks(r.text, 'id="f-title-4"', 'three rows');
		c.has(r.text, 'name="more"', 'an "Add another row" button');
		c.status(await new Client('anon').get(`${base}/trainings`), [303, 404], 'not for others');
	});

	await test('trainings (16.13): "Add another row" shows four rows with what was typed, and stores nothing', async (c) => {
		const r = await P.u.submit(`${base}/trainings`, { rows: '3', more: 'yes',
		    'title-1': `Kept ${UNIQ}`, 'date-1': '2026-03-05', 'hours-1': '3', 'role-1': 'attended' });
		c.status(r, 200, 'the form again');
		c.has(r.text, 'id="f-title-4"', 'a fourth row');
		c.has(r.text, `value="Kept ${UNIQ}"`, 'what was typed is kept');
		c.has(r.text, 'name="rows" value="4"', 'four rows');
		c.eq(trainings(P.app).length, 0, 'nothing stored');
	});

	await test('trainings (16.13): a bad row refuses them all, each problem by its row and field, typed values kept', async (c) => {
		const r = await P.u.submit(`${base}/trainings`, { rows: '3',
		    'title-1': `Good ${UNIQ}`, 'date-1': '2026-03-05', 'hours-1': '3', 'role-1': 'attended',
		    'title-2': `Bad ${UNIQ}`, 'date-2': '2027-05-01', 'hours-2': '0', 'role-2': 'attended',
		    'role-3': 'attended' });
		c.status(r, 400, 'refused');
		const sum = errorSummary(r.text) || '';
		c.has(sum, 'href="#f-date-2"', 'the summary links to row 2\'s date');
		c.has(sum, 'href="#f-hours-2"', 'and to its hours');
		c.has(sum, 'Training 2, Date: the date cannot be in the future', 'the row and field named');
		c.lacks(sum, 'f-title-3', 'the empty row is skipped');
		c.has(r.text, `value="Good ${UNIQ}"`, 'row 1 kept');
		c.has(r.text, `value="Bad ${UNIQ}"`, 'row 2 kept');
		c.has(r.text, 'aria-describedby="f-date-2-error"', 'the error describes its field');
		c.eq(trainings(P.app).length, 0, 'none stored: all or none');
	});

	await test('trainings (16.13): nothing typed is refused by the first row', async (c) => {
		const r = await P.u.submit(`${base}/trainings`, { rows: '3', 'role-1': 'attended' });
		c.status(r, 400, 'refused');
		c.has(errorSummary(r.text) || '', 'Training 1, Training title: enter at least one training', 'says so');
	});

	await test('trainings (16.13): three rows stored together; 3 hours logged twice are two entries, 6 hours', async (c) => {
		const r = await P.u.submit(`${base}/trainings`, { rows: '4',
		    'title-1': `Same ${UNIQ}`, 'date-1': '2026-03-05', 'hours-1': '3', 'role-1': 'attended',
		    'title-2': `Same ${UNIQ}`, 'date-2': '2026-03-05', 'hours-2': '3', 'role-2': 'attended',
		    'title-4': `Other ${UNIQ}`, 'date-4': '2026-04-01', 'hours-4': '1.5', 'role-4': 'provided',
		    'topics-4': 'dei' });
		c.redirect(r, `${base}/tab/training?added=3#entries`, 'stored');
		const t = trainings(P.app);
		c.eq(t.map((x) => x.title), [`Same ${UNIQ}`, `Same ${UNIQ}`, `Other ${UNIQ}`], 'three entries in order');
		c.eq(t.filter((x) => x.title === `Same ${UNIQ}`).reduce((s, x) => s + Number(x.hours), 0), 6, '3 + 3 = 6 hours');
		const tab = await P.u.get(`${base}/tab/training?added=3`);
		c.has(tab.text, '3 entries added.', 'the tab says so');
	});
}
