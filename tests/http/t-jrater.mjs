// Issue 16, points 1 and 8, over HTTP:
// - once a rater is asked, the reference shows the request's state in
//   place of "Ask for a rating"; asking again where the request still
//   works or holds a completed rating needs the applicant's consent on a
//   page (no JavaScript), which says plainly that a completed rating is
//   discarded; without it nothing is mailed and nothing changes;
// - the rater: the error summary links each missing item to its radio
//   group; a form that would be void (too many "not enough information"
//   answers) is shown again with a warning and a "send anyway" choice,
//   and stored void only when sent anyway.
import { Client, test, one, q } from '../lib/client.mjs';
import { UNIQ, email, register, newApp, addEntry } from './common.mjs';

function linkIn(body) {
	const m = (body || '').match(/https?:\/\/\S+\/rate\/[0-9a-f]{64}/);
	return m ? m[0].replace(/^https?:\/\/[^/]+/, '') : undefined;
}
function lastMailTo(addr) {
	return one(`SELECT body FROM outbox WHERE recipient = ${q(addr)} ORDER BY id DESC LIMIT 1`);
}
function nMailTo(addr) {
	return Number(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(addr)}`));
}
function itemNames(html) {
	return [...new Set([...html.matchAll(/name="(item\d+)"/g)].map((x) => x[1]))];
}
// Every item answered: the first `unknown` with "not enough information".
async function answers(rater, link, unknown = 0, extra = {}) {
	const f = await rater.get(link);
	const form = { action: 'rate', recommend: 'yes', comments: `Kind ${UNIQ}`, ...extra };
	itemNames(f.text).forEach((m, i) => { form[m] = i < unknown ? 'n' : '4'; });
	return form;
}
function refState(tab, refId) {
	// The entry's list item: from its Edit link to the end of its <li>.
	const i = tab.indexOf(`/entries/${refId}"`);
	const j = tab.indexOf('</li>', i);
	return i < 0 ? '' : tab.slice(i, j);
}

async function asking() {
	const u = await register('jr', `Jay Rater-Asker ${UNIQ}`, email('jr-app'), 'vaimh');
	const app = await newApp(u, 'vaimh/IFS');
	const rater = email('jr-rater');
	const ref = await addEntry(u, app, 'references', { name: 'Rita Reed', email: rater,
	    relationship: 'supervisor' });
	const S = { u, app, ref, rater };

	await test('jrater: once asked, the reference shows the request\'s state, not "Ask for a rating"', async (c) => {
		let tab = await u.get(`/applications/${app}/tab/references`);
		c.has(refState(tab.text, ref), 'Ask for a rating', 'before asking: the button');
		c.status(await u.submit(`/applications/${app}/entries/${ref}/request`), 303, 'asks');
		tab = await u.get(`/applications/${app}/tab/references`);
		const li = refState(tab.text, ref);
		c.lacks(li, 'Ask for a rating', 'the button is gone once asked');
		c.has(li, 'Rating: Request sent', 'the state in its place');
		c.has(li, '(asked on November 23, 2026)', 'the day asked, as people write it');
		c.has(li, `href="/applications/${app}/entries/${ref}/request"`, 'asking again is a link to a page');
	});

	await test('jrater: asking again an open request needs consent; without it nothing is mailed', async (c) => {
		const n = nMailTo(rater);
		const link = linkIn(lastMailTo(rater));
		const r = await u.submit(`/applications/${app}/entries/${ref}/request`);
		c.status(r, 409, 'a second click without consent');
		c.has(r.text, 'Ask Rita Reed again?', 'the confirmation page');
		c.has(r.text, 'the link they have stops working', 'says what happens');
		c.has(r.text, 'name="replace" value="yes"', 'a form to confirm');
		c.eq(nMailTo(rater), n, 'no mail sent');
		c.status(await new Client('rr').get(link), 200, 'the rater\'s link still works');
		const g = await u.get(`/applications/${app}/entries/${ref}/request`);
		c.status(g, 200, 'the page is reached by a link too');
		c.has(g.text, 'Replace the request and ask again', 'its button');
		c.status(await u.submit(`/applications/${app}/entries/${ref}/request`, { replace: 'yes' }),
		    303, 'confirmed');
		c.eq(nMailTo(rater), n + 1, 'one new mail');
		c.status(await new Client('rr').get(link), 410, 'the old link is dead');
		S.link = linkIn(lastMailTo(rater));
	});

	await test('jrater: a completed rating is never discarded silently', async (c) => {
		const rr = new Client('rr2');
		c.status(await rr.submit(S.link, await answers(rr, S.link)), 200, 'the rater completes');
		const done = Number(one(`SELECT max(id) FROM rating WHERE application = ${app}`));
		c.eq(one(`SELECT status FROM rating WHERE id = ${done}`), 'completed', 'stored completed');
		let tab = await u.get(`/applications/${app}/tab/references`);
		c.has(refState(tab.text, ref), 'Rating: Rating completed on November 23, 2026', 'the state');
		const n = nMailTo(rater);
		let r = await u.submit(`/applications/${app}/entries/${ref}/request`);
		c.status(r, 409, 'asking again without consent');
		c.has(r.text, 'Asking again discards that completed rating', 'says plainly it is discarded');
		c.has(r.text, 'Discard the completed rating and ask again', 'the button says so too');
		c.eq(one(`SELECT status FROM rating WHERE id = ${done}`), 'completed', 'still completed');
		c.eq(nMailTo(rater), n, 'no mail');
		tab = await u.get(`/applications/${app}/tab/references`);
		c.has(refState(tab.text, ref), 'Rating completed', 'the reference still counts');
		r = await u.submit(`/applications/${app}/entries/${ref}/request`, { replace: 'yes' });
		c.status(r, 303, 'confirmed');
		c.eq(one(`SELECT status FROM rating WHERE id = ${done}`), 'revoked', 'the completed one replaced');
		c.eq(Number(one(`SELECT count(*) FROM audit WHERE what = 'rating' AND row_id = ${done} ` +
		    `AND action = 'replace'`)), 1, 'recorded in the history');
		c.eq(nMailTo(rater), n + 1, 'one new mail');
	});
}

async function rating() {
	const u = await register('jr2', `Jo Rated ${UNIQ}`, email('jr2-app'), 'vaimh');
	const app = await newApp(u, 'vaimh/IFS');
	const rater = email('jr2-rater');
	const ref = await addEntry(u, app, 'references', { name: 'Vera Void', email: rater,
	    relationship: 'colleague' });
	await u.submit(`/applications/${app}/entries/${ref}/request`);
	const link = linkIn(lastMailTo(rater));
	const rid = Number(one(`SELECT max(id) FROM rating WHERE application = ${app}`));
	const rr = new Client('vv');

	await test('jrater: the rater\'s error summary links every missing item to its radio group', async (c) => {
		const form = await answers(rr, link);
		const names = itemNames((await rr.get(link)).text);
		const missing = names.slice(1, 4);
		for (const m of missing) delete form[m];
		delete form.recommend;
		const r = await rr.submit(link, form);
		c.status(r, 400, 'sent with items missing');
		const sum = (r.text.match(/<div class="error-summary"[\s\S]*?<\/div>/) || [''])[0];
		for (const m of missing) {
			c.has(sum, `href="#f-${m}-1"`, `the summary links ${m}`);
			c.has(r.text, `id="f-${m}-1"`, `${m}'s first choice has that id`);
		}
		c.has(sum, 'href="#f-recommend-yes"', 'and the recommendation');
		c.eq((sum.match(/<a href=/g) || []).length, missing.length + 1, 'one link per problem');
		c.ok(/checked/.test(r.text), 'the answers given are kept');
	});

	await test('jrater: a form that will not count is warned, and stored void only when sent anyway', async (c) => {
		const form = await answers(rr, link, 6);
		let r = await rr.submit(link, form);
		c.status(r, 200, 'sent with six "not enough information"');
		c.has(r.text, 'This form will not count', 'warned');
		c.has(r.text, 'name="anyway" value="yes"', 'a "send anyway" choice');
		c.lacks(r.text, '<h1>Thank you</h1>', 'not thanked yet');
		c.eq(one(`SELECT status FROM rating WHERE id = ${rid}`), 'opened', 'nothing stored');
		c.ok((r.text.match(/value="n" checked/g) || []).length === 6, 'the answers kept');
		r = await rr.submit(link, { ...form, anyway: 'yes' });
		c.status(r, 200, 'sent anyway');
		c.has(r.text, 'Thank you', 'thanked');
		c.eq(one(`SELECT status FROM rating WHERE id = ${rid}`), 'void', 'stored void');
	});
}

export async function run() {
	await asking();
	await rating();
}
