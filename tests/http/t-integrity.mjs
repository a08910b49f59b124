// The integrity of references and transcripts (issue 15, points 1, 3, 6
// and 16's transcript name), as an applicant, a rater and a coordinator
// act on them over HTTP:
// - a rater's link reaches only the rater: the applicant's "link to send
//   myself" is gone and no page of theirs carries a token; the coordinator
//   re-sends to a corrected address or hands the link over, recorded in
//   the history, and the rating shows the channel it came through;
// - the waiver the rater was shown binds the rating;
// - a transcript is an uploaded PDF, never a flag PUT or imported;
// - a transcript's file name that is not UTF-8 hides nothing.
import {
	Client, test, sql, one, q,
} from '../lib/client.mjs';
import {
	U, IFS_JSON, KINDS, PDF, UNIQ, email, register, fork, newApp, addEntry, upload,
	portfolioFor,
} from './common.mjs';

const TOKEN = /\/rate\/[0-9a-f]{64}/;

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
// Every item answered, as a rater would (the form's own item names).
async function rate(rater, link, recommend = 'yes') {
	const f = await rater.get(link);
	const form = { action: 'rate', recommend, comments: `Kind words ${UNIQ}` };
	for (const m of new Set([...f.text.matchAll(/name="(item\d+)"/g)].map((x) => x[1])))
		form[m] = '4';
	return rater.submit(link, form);
}
// The pages an applicant sees of their application.
async function applicantPages(u, app) {
	const list = [await u.get('/dashboard'), await u.get(`/applications/${app}`),
	    await u.get(`/applications/${app}/export`), await u.get(`/applications/${app}/ethics`),
	    await u.get(`/api/v1/applications/${app}/portfolio`, { bearer: u.token, cookies: false })];
	for (const k of KINDS)
		list.push(await u.get(`/applications/${app}/tab/${k}`));
	return list;
}

// An applicant of assoc with an IFS application and one reference asked:
// { u, app, ref, rid, rater (e-mail), link (the mailed one) }.
async function asked(tag, assoc) {
	const u = await register(tag, `Integrity ${tag}-${UNIQ}`, email(`int-${tag}`), assoc);
	const tok = await new Client('t').post('/api/v1/tokens',
	    { json: { email: u.email, password: u.password, label: 'integrity' } });
	u.token = tok.json().token;
	const app = await newApp(u, `${assoc}/IFS`);
	const rater = email(`int-rater-${tag}`);
	const ref = await addEntry(u, app, 'references', { name: `Rhea Rater ${tag}`, email: rater,
	    relationship: 'supervisor' });
	const r = await u.submit(`/applications/${app}/entries/${ref}/request`);
	if (r.status !== 303) throw new Error(`request ${tag}: ${r.status} ${r.text.slice(0, 300)}`);
	const rid = Number(one(`SELECT max(id) FROM rating WHERE application = ${app}`));
	return { u, app, ref, rid, rater, link: linkIn(lastMailTo(rater)) };
}

async function delivery() {
	const S = await asked('deliv', 'vaimh');
	const C = U.cSame;

	await test('integrity: an applicant cannot get a rater\'s link (route refused, no token on any page)', async (c) => {
		c.ok(S.link, 'the request mailed the rater a link');
		const r = await S.u.submit(`/applications/${S.app}/ratings/${S.rid}/link`);
		c.status(r, [403, 404], 'the old "link to send myself" route');
		c.ok(!TOKEN.test(r.text), 'the refusal carries no token');
		c.status(await new Client('rater').get(S.link), 200, 'the mailed link still works');
		c.redirect(await S.u.submit(`/applications/${S.app}/ratings/${S.rid}/resend`),
		    `/applications/${S.app}/tab/references#ratings`, 'the applicant may still have it mailed again');
		S.link = linkIn(lastMailTo(S.rater));
		for (const p of await applicantPages(S.u, S.app)) {
			c.status(p, 200, `${p.path}`);
			c.ok(!TOKEN.test(p.text), `${p.path} shows a rating link`);
			c.lacks(p.text, 'send myself', `${p.path} offers a link to send myself`);
		}
		const tab = await S.u.get(`/applications/${S.app}/tab/references`);
		c.ok(/<td data-label="Delivery">(waiting to be sent|sent [^<]*|retrying[^<]*|failed[^<]*)<\/td>/.test(tab.text),
		    'the applicant sees the delivery state of the request');
		c.status(await S.u.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/link`), [403, 404],
		    'the applicant cannot take the coordinator\'s hand-over');
		c.status(await S.u.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/resend`,
		    { email: email('int-mine') }), [403, 404], 'nor re-send to an address of their choosing');
		c.eq(one(`SELECT email FROM rating WHERE id = ${S.rid}`), S.rater, 'the request is unchanged');
	});

	await test('integrity: the coordinator re-sends to a corrected address, recorded, the old link dead', async (c) => {
		const fixed = email('int-rater-fixed');
		let r = await U.cOther.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/resend`,
		    { email: fixed });
		c.status(r, 404, 'the other association\'s coordinator');
		r = await C.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/resend`, { email: 'not an address' });
		c.status(r, 400, 'a bad address');
		c.has(r.text, 'this is not an e-mail address', 'the problem');
		c.lacks(r.text, 'email: this is', 'in words, without the field name first');
		r = await C.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/resend`, { email: S.u.email });
		c.status(r, 400, 'the applicant\'s own address');
		const other = email('int-rater-other');
		const ref2 = await addEntry(S.u, S.app, 'references', { name: 'Otto Other', email: other,
		    relationship: 'colleague' });
		c.status(await S.u.submit(`/applications/${S.app}/entries/${ref2}/request`), 303, 'a second rater asked');
		r = await C.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/resend`, { email: other });
		c.status(r, 400, 'the address of another open request');
		c.has(r.text, 'another open request of this application goes to that address', 'says so');
		c.lacks(r.text, 'email: another', 'in words, without the field name first');
		c.eq(one(`SELECT email FROM rating WHERE id = ${S.rid}`), S.rater, 'nothing changed by the refusals');
		const before = nMailTo(fixed);
		r = await C.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/resend`, { email: fixed });
		c.redirect(r, `/coordinator/applications/${S.app}#ratings-h`, 're-send');
		c.eq(one(`SELECT email FROM rating WHERE id = ${S.rid}`), fixed, 'the request\'s address');
		c.eq(one(`SELECT channel FROM rating WHERE id = ${S.rid}`), 'resent', 'the channel');
		c.eq(JSON.parse(one(`SELECT data FROM entry WHERE id = ${S.ref}`)).email, fixed,
		    'the reference names the corrected address');
		c.eq(nMailTo(fixed), before + 1, 'a mail to the corrected address');
		const link2 = linkIn(lastMailTo(fixed));
		c.ok(link2 && link2 !== S.link, 'with a new link');
		const rater = new Client('rater-fixed');
		c.status(await rater.get(S.link), 404, 'the old link opens nothing');
		c.status(await rater.get(link2), 200, 'the new one opens the form');
		const page = await C.get(`/coordinator/applications/${S.app}`);
		c.has(page.text, 'rating: re-send', 'the history records the re-send');
		c.has(page.text, fixed, 'with the corrected address');
		c.has(page.text, 're-sent by the coordinator to a corrected address', 'the channel shows');
		const tab = await S.u.get(`/applications/${S.app}/tab/references`);
		c.ok(!TOKEN.test(tab.text), 'the applicant still sees no link');
		S.link = link2;
	});

	await test('integrity: the coordinator hands the link over once; the rating records the channel', async (c) => {
		const before = Number(one('SELECT count(*) FROM outbox'));
		let r = await U.cOther.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/link`);
		c.status(r, 404, 'the other association\'s coordinator');
		c.ok(!TOKEN.test(r.text), 'gets no link');
		r = await C.submit(`/coordinator/applications/${S.app}/ratings/${S.rid}/link`);
		c.status(r, 200, 'hand-over');
		const m = r.text.match(/value="https?:\/\/[^"]+(\/rate\/[0-9a-f]{64})"/);
		c.ok(m, 'the page shows the link');
		c.eq(Number(one('SELECT count(*) FROM outbox')), before, 'nothing mailed');
		const rater = new Client('rater-handed');
		c.status(await rater.get(S.link), 404, 'the mailed link died');
		if (!m) return;
		const page = await C.get(`/coordinator/applications/${S.app}`);
		c.ok(!TOKEN.test(page.text), 'the application page does not show it again');
		c.has(page.text, 'rating: hand over', 'the history records the hand-over');
		const tab = await S.u.get(`/applications/${S.app}/tab/references`);
		c.has(tab.text, 'handed to the rater by the coordinator', 'the applicant sees how it went');
		c.ok(!TOKEN.test(tab.text), 'and no link');
		c.status(await rate(rater, m[1]), 200, 'the rater answers through the handed link');
		c.eq(sql(`SELECT status, channel FROM rating WHERE id = ${S.rid}`),
		    [{ status: 'completed', channel: 'handed' }], 'completed, through the coordinator');
		r = await C.get(`/applications/${S.app}/ratings/${S.rid}`);
		c.status(r, 200, 'the coordinator reads the rating');
		c.has(r.text, 'handed to the rater by the coordinator', 'the rating shows its channel');
		c.has((await C.get(`/coordinator/applications/${S.app}`)).text,
		    'the link was handed to the rater by the coordinator', 'so does the application page');
	});

	await test('integrity: a coordinator cannot take the raters\' links of their own application', async (c) => {
		const C2 = await fork(C, 'cSame-own');
		const app = await newApp(C2, 'vaimh/IFS');
		const rater = email('int-rater-own');
		const ref = await addEntry(C2, app, 'references', { name: 'Oona Own', email: rater,
		    relationship: 'supervisor' });
		c.status(await C2.submit(`/applications/${app}/entries/${ref}/request`), 303, 'asks the rater');
		const rid = Number(one(`SELECT max(id) FROM rating WHERE application = ${app}`));
		const hash = one(`SELECT hash FROM rating WHERE id = ${rid}`);
		let r = await C2.submit(`/coordinator/applications/${app}/ratings/${rid}/link`);
		c.status(r, 403, 'no hand-over to themselves');
		c.ok(!TOKEN.test(r.text), 'no link shown');
		r = await C2.submit(`/coordinator/applications/${app}/ratings/${rid}/resend`, { email: email('int-own-alias') });
		c.status(r, 403, 'no re-send to an address of their choosing');
		c.eq(sql(`SELECT hash, email FROM rating WHERE id = ${rid}`), [{ hash, email: rater }],
		    'the request is unchanged');
	});
}

async function waiver() {
	await test('integrity: a waiver shown to the rater binds the rating (withdrawn while they write)', async (c) => {
		// Control: no waiver, the applicant reads (infancy-onward lets them).
		const K = await asked('open', 'infancy-onward');
		c.status(await rate(new Client('rater-open'), K.link), 200, 'the rater answers');
		c.status(await K.u.get(`/applications/${K.app}/ratings/${K.rid}`), 200,
		    'without a waiver the applicant reads it');

		const u = await register('W', `Integrity W-${UNIQ}`, email('int-waiver'), 'infancy-onward');
		const app = await newApp(u, 'infancy-onward/IFS');
		const rater = email('int-rater-waiver');
		const ref = await addEntry(u, app, 'references', { name: 'Walter Waived', email: rater,
		    relationship: 'supervisor' });
		c.redirect(await u.submit(`/applications/${app}/waiver`, { waive: 'yes' }),
		    `/applications/${app}/tab/references#ratings`, 'the applicant waives');
		c.status(await u.submit(`/applications/${app}/entries/${ref}/request`), 303, 'asks the rater');
		const rid = Number(one(`SELECT max(id) FROM rating WHERE application = ${app}`));
		const link = linkIn(lastMailTo(rater));
		const R = new Client('rater-waiver');
		const form = await R.get(link);
		c.status(form, 200, 'the rater opens the form');
		c.has(form.text, 'will not see your answers', 'told the applicant will not read it');
		c.redirect(await u.submit(`/applications/${app}/waiver`, { waive: 'no' }),
		    `/applications/${app}/tab/references#ratings`, 'the applicant withdraws the waiver while the rater writes');
		c.status(await rate(R, link), 200, 'the rater sends the form they were shown');
		const r = await u.get(`/applications/${app}/ratings/${rid}`);
		c.status(r, 403, 'the applicant cannot read a rating written under the waiver');
		c.lacks(r.text, `Kind words ${UNIQ}`, 'nor its comments');
		c.lacks((await u.get(`/applications/${app}/tab/references`)).text,
		    `/applications/${app}/ratings/${rid}"`, 'no link to read it on the tab');
		c.eq(one(`SELECT waiver FROM rating WHERE id = ${rid}`), 1, 'the rating records the waiver');
		c.status(await U.cOther.get(`/applications/${app}/ratings/${rid}`), 200, 'the coordinator reads it');
	});
}

// A master's degree with "transcript": true and no file.
function forged(cat) {
	const d = portfolioFor(IFS_JSON, 'vaimh', cat);
	d.education = [{ level: 'master', degree: 'MSW', field: 'Social Work',
	    institution: `Forged U ${UNIQ}`, conferred: '2015-05-20', transcript: true }];
	return d;
}
async function transcriptsMet(u, app) {
	const r = await u.get(`/api/v1/applications/${app}/checklist`, { bearer: u.token, cookies: false });
	const rq = (r.json()?.requirements || []).find((x) => x.id === 'transcripts');
	return rq ? rq.met : `no transcripts requirement (${r.status})`;
}

async function transcripts() {
	const u = await register('T', `Integrity T-${UNIQ}`, email('int-transcript'), 'vaimh');
	const tok = await new Client('t').post('/api/v1/tokens',
	    { json: { email: u.email, password: u.password, label: 'integrity' } });
	u.token = tok.json().token;

	await test('integrity: a transcript flag PUT through the API meets nothing; an uploaded PDF does', async (c) => {
		const app = await newApp(u, 'vaimh/IMHS');
		const r = await u.req('PUT', `/api/v1/applications/${app}/portfolio`,
		    { json: forged('IMHS'), bearer: u.token, cookies: false });
		c.status(r, 200, 'PUT');
		c.eq(r.json()?.education?.[0]?.transcript, false, 'the answer shows no transcript');
		c.eq(await transcriptsMet(u, app), false, 'the transcript requirement is not met by a flag');
		const g = await u.get(`/api/v1/applications/${app}/portfolio`, { bearer: u.token, cookies: false });
		c.eq(g.json()?.education?.[0]?.transcript, false, 'GET shows no transcript');
		const edu = Number(one(`SELECT id FROM entry WHERE application = ${app} AND kind = 'education'`));
		c.redirect(await upload(u, app, edu, PDF), `/applications/${app}/tab/education#entries`, 'upload the PDF');
		c.eq(await transcriptsMet(u, app), true, 'the uploaded PDF meets it');
	});

	await test('integrity: a transcript flag in an imported file meets nothing', async (c) => {
		const app = await newApp(u, 'vaimh/IMHS');
		const r = await u.submitMultipart(`/applications/${app}/import`, (fd) =>
		    fd.append('portfolio', new Blob([JSON.stringify(forged('IMHS'))],
		    { type: 'application/json' }), 'p.json'));
		c.redirect(r, `/applications/${app}?imported=1`, 'import');
		c.eq(await transcriptsMet(u, app), false, 'the transcript requirement is not met by a flag');
		const tab = await u.get(`/applications/${app}/tab/education`);
		c.has(tab.text, 'No transcript yet', 'the tab says there is none');
		c.lacks(tab.text, 'noted (imported)', 'and does not count the flag');
	});

	await test('integrity: a transcript file name that is not UTF-8 hides nothing', async (c) => {
		const app = await newApp(u, 'vaimh/IMHS');
		const inst = `Bytes U ${UNIQ}`;
		const edu = await addEntry(u, app, 'education', { level: 'master', degree: 'MSW',
		    field: 'Social Work', institution: inst, conferred: '2015-05-20' });
		const tokCsrf = await u.csrf();
		const b = `----int${UNIQ}`;
		const body = Buffer.concat([
			Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${tokCsrf}\r\n` +
			    `--${b}\r\nContent-Disposition: form-data; name="pdf"; filename="tr-`),
			Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
			Buffer.from('.pdf"\r\nContent-Type: application/pdf\r\n\r\n'), PDF,
			Buffer.from(`\r\n--${b}--\r\n`)]);
		const r = await u.post(`/applications/${app}/entries/${edu}/transcript`,
		    { body, headers: { 'Content-Type': `multipart/form-data; boundary=${b}` } });
		c.redirect(r, `/applications/${app}/tab/education#entries`, 'upload');
		const name = one(`SELECT filename FROM transcript WHERE entry = ${edu}`);
		c.ok(name !== undefined && !/[\ufffd]/.test(name), `a name the pages can show (${name})`);
		const tab = await u.get(`/applications/${app}/tab/education`);
		c.status(tab, 200, 'the tab');
		c.has(tab.text, inst, 'the degree is shown');
		c.has(tab.text, `/applications/${app}/entries/${edu}/transcript"`, 'with its transcript');
		c.eq(await transcriptsMet(u, app), true, 'and it counts');
	});
}

export async function run() {
	await delivery();
	await waiver();
	await transcripts();
}
