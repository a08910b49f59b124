// The endorsee at renewal (issue 16, point 3): a membership term bought in
// December for the next year is recorded as starting on January 1 of that
// year, not on the day it was paid.
import {
	test, sql, q, snapshot, unchanged, selectValue, fieldError, errorSummary,
} from '../lib/client.mjs';
import { UNIQ, email, register } from './common.mjs';

export async function run() {
	await test('membership bought ahead: the term starts January 1 of the year it is for', async (c) => {
		const u = await register('Ahead', `Ada Ahead-${UNIQ}`, email('ahead'));
		let r = await u.get('/membership');
		c.status(r, 200, 'GET /membership');
		c.has(r.text, 'Which year is it for?', 'the form asks which year the term is for');
		c.has(r.text, '<option value="ahead"', 'the next year is offered');
		c.eq(selectValue(r.text, 'for'), 'bought', 'outside December the year bought is chosen first');
		const last = () => sql(`SELECT m.start, m.end FROM membership m JOIN account a ` +
		    `ON a.id = m.account WHERE a.email = ${q(u.email)} ORDER BY m.id DESC LIMIT 1`)[0];
		const cases = [
			// vaimh: calendar year, no cutoff; paid 2026-11-20 for 2027.
			['vaimh/individual-1', '2026-11-20', 'ahead', '2027-01-01', '2027-12-31'],
			['vaimh/individual-1', '2026-11-20', 'bought', '2026-11-20', '2026-12-31'],
			// infancy-onward, 2 years bought ahead: 2027 and 2028.
			['infancy-onward/individual-2', '2026-11-01', 'ahead', '2027-01-01', '2028-12-31'],
		];
		for (const [term, start, year, first, end] of cases) {
			r = await u.submit('/membership', { term, start, for: year });
			c.redirect(r, '/membership', `add ${term} ${start} for ${year}`);
			c.eq(last(), { start: first, end }, `${term} bought ${start} for ${year}`);
		}
		r = await u.get('/membership');
		c.has(r.text, 'January 1, 2027 to December 31, 2027', 'listed from January 1 of the year it is for');
		c.has(r.text, '<strong>starts January 1, 2027</strong>', 'a term bought ahead is not called inactive');
	});

	await test('membership: the year it is for is checked beside the field, choices kept', async (c) => {
		const u = await register('Ahead2', `Abe Ahead-${UNIQ}`, email('ahead2'));
		const before = snapshot();
		const r = await u.submit('/membership', { term: 'vaimh/individual-1', start: '2026-11-20', for: 'someday' });
		c.status(r, 400, 'an unknown year choice');
		const got = fieldError(r.text, 'for');
		c.ok(got !== null && got.includes('choose the year the membership is for'), `error beside f-for: ${got}`);
		c.ok((errorSummary(r.text) || '').includes('href="#f-for"'), 'the summary links to the field');
		c.eq(selectValue(r.text, 'term'), 'vaimh/individual-1', 'chosen term kept');
		unchanged(c, before, 'nothing stored');
	});
}
