// Hostile input over HTTP, run by tests/hostile/run against a live server:
// thousands of generated bad requests (huge bodies, bad UTF-8, NUL bytes,
// over-long fields, deep JSON, wrong content types, path traversal, SQL and
// HTML/script injection in every field of every form found on the pages and
// every member of every JSON API call, bad cookies and CSRF tokens, odd
// methods, long URLs and headers) and, per group, one ok / not ok line:
// never a 5xx; /healthz after each batch; nothing stored from a refused
// request (the whole database before and after); a payload that is stored
// comes back escaped on every page that shows it and unchanged in the JSON
// exports.  Node 20, no npm packages; environment as tests/http (tests/lib/client.mjs),
// plus HOSTILE_TIMEOUT, HOSTILE_PER_IP (the server's lowered limits) and
// HOSTILE_SCALE (keep every Nth generated payload; default 1).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';

import {
	Client, test, counts, setSuite, snapshot, sql, one, q, unescapeHtml,
} from '../lib/client.mjs';
import { forgery } from './forge.mjs';

setSuite('hostile');
const BASE = process.env.HTTP_BASE;
const PORT = Number(new URL(BASE).port);
const ROOT = process.env.HTTP_ROOT;
const SCALE = Math.max(1, Number(process.env.HOSTILE_SCALE || 1));
const TIMEOUT = Number(process.env.HOSTILE_TIMEOUT || 30);
const PER_IP = Number(process.env.HOSTILE_PER_IP || 256);
const MAX_BODY = 1048576, MAX_UPLOAD = 5242880, MAX_FIELD = 65536;
const UNIQ = crypto.randomBytes(3).toString('hex');
const PW = 'correct horse battery';
const KINDS = ['education', 'work', 'training', 'rsc_received',
    'rsc_provided', 'leadership', 'references'];

// ------------------------------------------------------------ bookkeeping

let nreq = 0;
const bad = [];		// 5xx and raw payloads seen, reported by the next group
const htmlSeen = [];	// [path, text] of every HTML answer, for the escaping check
// Markup of a payload that escaping would have turned into text.
const RAW = [/<script/i, /<img src=x/i, /<svg[\s/]/i, /"><img/i, /'><svg/i,
    /"\s*autofocus onfocus=/i, /<\/textarea><b>/i];

function inspect(res) {
	nreq++;
	if (res.status >= 500)
		bad.push(`${res.status} on ${res.method} ${res.path.slice(0, 120)}: ` +
		    `${String(res.text || '').replace(/\s+/g, ' ').slice(0, 200)}`);
	if (/text\/html/.test(res.ctype || '') && res.text) {
		for (const re of RAW)
			if (re.test(res.text)) {
				const m = res.text.match(re);
				bad.push(`raw markup ${re} in ${res.method} ${res.path.slice(0, 100)}: ...` +
				    res.text.slice(Math.max(0, m.index - 60), m.index + 80) + '...');
			}
		if (htmlSeen.length < 20000) htmlSeen.push([res.path, res.text]);
	}
	return res;
}
// Take the 5xx and raw markup collected since the last call into check c.
function drain(c) {
	for (const b of bad.splice(0)) c.fail(b);
}

// Every request of the test goes through Client.req: counted, inspected.
const origReq = Client.prototype.req;
Client.prototype.req = async function (method, p, opts) {
	let res;
	try {
		res = await origReq.call(this, method, p, opts);
	} catch (e) {
		// A kept-alive connection the server closed for idleness (its
		// timeout is short here) while the event loop was busy: once more.
		if (method !== 'GET' || !/other side closed|ECONNRESET/.test(String(e.cause)))
			throw new Error(`${method} ${p.slice(0, 100)}: ${e.message}: ${e.cause}`);
		res = await origReq.call(this, method, p, opts);
	}
	return inspect(res);
};

function scaled(list) { return list.filter((_, i) => i % SCALE === 0); }

// The store before and after: names the tables that moved.
function moved(before, after = snapshot()) {
	return [...new Set([...Object.keys(before), ...Object.keys(after)])]
	    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

async function healthy(c, what) {
	const r = await new Client('health').get('/healthz');
	c.ok(r.status === 200 && r.text === 'ok\n', `${what}: /healthz answered ` +
	    `${r.status} ${r.text.slice(0, 80)}`);
}

// ------------------------------------------------------------ raw sockets

// Send bytes as they are (no URL normalisation, any method, any header)
// and read the answer until the server closes: {status, head, body};
// status 0 when the server closed without answering, -1 on our timeout.
function raw(bytes, ms = 15000) {
	return new Promise((resolve) => {
		const chunks = [];
		let done = false;
		const s = net.connect(PORT, '127.0.0.1');
		const finish = (st) => {
			if (done) return;
			done = true;
			clearTimeout(t);
			s.destroy();
			const buf = Buffer.concat(chunks);
			const text = buf.toString('latin1');
			const sep = text.indexOf('\r\n\r\n');
			const head = sep < 0 ? text : text.slice(0, sep);
			const m = head.match(/^HTTP\/1\.[01] (\d{3})/);
			resolve({ status: m ? Number(m[1]) : st, head,
			    body: sep < 0 ? '' : text.slice(sep + 4), buf });
		};
		const t = setTimeout(() => finish(-1), ms);
		s.on('data', (d) => chunks.push(d));
		s.on('end', () => finish(0));
		s.on('close', () => finish(0));
		s.on('error', () => finish(0));
		s.on('connect', () => s.end(bytes, () => {}));
	});
}
async function rawReq(c, what, bytes, want, o = {}) {
	const r = await raw(bytes);
	nreq++;
	const st = r.status;
	if (st >= 500 && !(st === 505 && o.allow505))
		c.fail(`${what}: ${st} ${r.body.slice(0, 200).replace(/\s+/g, ' ')}`);
	else if (want !== undefined && !want(st, r))
		c.fail(`${what}: status ${st}; ${r.head.split('\r\n')[0]} ` +
		    `${r.body.slice(0, 160).replace(/\s+/g, ' ')}`);
	if (/text\/html/i.test(r.head))
		for (const re of RAW)
			if (re.test(r.body)) c.fail(`${what}: raw markup ${re} in the answer`);
	return r;
}
const is4xx = (st) => st >= 400 && st < 500;
function httpReq(method, target, headers = {}, body = '') {
	const b = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
	let h = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`;
	for (const [k, v] of Object.entries(headers)) h += `${k}: ${v}\r\n`;
	if (b.length > 0 || method === 'POST' || method === 'PUT')
		if (!Object.keys(headers).some((k) => /^(content-length|transfer-encoding)$/i.test(k)))
			h += `Content-Length: ${b.length}\r\n`;
	return Buffer.concat([Buffer.from(h + '\r\n', 'latin1'), b]);
}

// ------------------------------------------------------------ payloads

let nmark = 0;
// Each payload carries a marker h0st(N) so a stored one can be traced
// back to the request that sent it.
function payloads(field) {
	const list = [];
	const add = (kind, f) => { const id = ++nmark; list.push({ kind, id, v: f(`h0st(${id})`) }); };
	add('script', (m) => `<script>${m}</script>`);
	add('img', (m) => `"><img src=x onerror=${m}>`);
	add('svg', (m) => `'><svg onload=${m}>`);
	add('attr', (m) => `" autofocus onfocus="${m}`);
	add('textarea', (m) => `</textarea><b>${m}</b>`);
	add('js-url', (m) => `javascript:${m}`);
	add('template', (m) => `{{${m}}}{{{csrf}}}{{#x}}`);
	add('entities', (m) => `&lt;b&gt; &amp;amp; &#x3c;i&#62; ${m}`);
	add('sqli', (m) => `' OR '1'='1' -- ${m}`);
	add('sqli', (m) => `'); DROP TABLE account; -- ${m}`);
	add('sqli', (m) => `" OR 1=1 UNION SELECT password_hash FROM account -- ${m}`);
	add('sqli', (m) => `%' OR 1=1; -- \\' ${m}`);
	add('sqli', (m) => `1; SELECT sqlite_version(); ${m}`);
	add('crlf', (m) => `a\r\nSet-Cookie: h0st=1\r\n\r\n${m}`);
	add('unicode', (m) => `\u202e\ufeff\u0301Zoë 🦓 ${m} \u2028`);
	add('nul', (m) => `a\u0000b ${m}`);
	add('control', (m) => `\u0001\u0007\u001b[31m ${m}`);
	add('long', (m) => m + 'A'.repeat(MAX_FIELD + 1));
	add('long', (m) => m + 'é'.repeat(2000));
	for (const v of ['-1', '0', '99999999999999999999', '1e308', 'NaN', '0x10',
	    ' 1', '2021-02-30', '9999-99-99', '-0001-01-01', '', ' ', '[]', '{}'])
		list.push({ kind: 'odd', id: 0, v });
	// Bytes that are not UTF-8 (raw percent escapes in the form body).
	for (const e of ['%C3%28', '%FF%FE', '%C0%AF', '%ED%A0%80', '%F4%90%80%80',
	    '%E2%82', '%80', 'ok%00ok', '%F0%9F%98'])
		list.push({ kind: 'badutf8', id: 0, enc: e });
	void field;
	return scaled(list);
}

function formBody(pairs) {
	return pairs.map(([k, v]) => encodeURIComponent(k) + '=' +
	    (typeof v === 'object' ? v.enc : encodeURIComponent(v))).join('&');
}

// ------------------------------------------------------------ forms

// The forms of an HTML page: action, method, enctype and fields with the
// value the page offers (inputs, the selected or first option, textareas).
function parseForms(html) {
	const forms = [];
	for (const fm of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
		const attr = (s, n) => { const m = s.match(new RegExp(`\\s${n}="([^"]*)"`)); return m ? unescapeHtml(m[1]) : undefined; };
		const f = { action: attr(fm[1], 'action'), method: (attr(fm[1], 'method') || 'get').toLowerCase(),
		    enctype: attr(fm[1], 'enctype') || '', fields: [], file: false };
		const body = fm[2];
		for (const m of body.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
			const name = attr(m[2], 'name');
			if (name === undefined) continue;
			const type = (attr(m[2], 'type') || m[1]).toLowerCase();
			let value = attr(m[2], 'value') ?? '';
			if (type === 'file') { f.file = true; continue; }
			if (type === 'submit' || type === 'button') continue;
			if ((type === 'checkbox' || type === 'radio')) {
				if (f.fields.some((x) => x.name === name)) continue;
			}
			if (m[1] === 'select') {
				const end = body.indexOf('</select>', m.index);
				const opts = [...body.slice(m.index, end).matchAll(/<option value="([^"]*)"( selected)?/g)];
				const sel = opts.find((o) => o[2]) || opts.find((o) => o[1] !== '') || opts[0];
				value = sel ? unescapeHtml(sel[1]) : '';
			} else if (m[1] === 'textarea') {
				const end = body.indexOf('</textarea>', m.index);
				value = unescapeHtml(body.slice(body.indexOf('>', m.index) + 1, end));
			}
			f.fields.push({ name, type, value });
		}
		forms.push(f);
	}
	return forms;
}

// Values that make a form valid, so that a payload in one field is what
// decides whether the request is refused (by field name; else the page's).
const VALID = {
	title: 'A title', employer: 'Early Steps', start: '2016-01-04', end: '', date: '2021-01-01',
	hours: '2', role: 'attended', families: '3', conferred: '2015-05-20', degree: 'BSW',
	name: 'Rae Rater', relationship: 'colleague', opens: '2026-01-01', closes: '2026-12-31',
	place: 'online', label: 'a label', note: 'a note', paid: 'yes', supervised: 'yes',
	provider: 'Pat Provider', recipients: '2', activity: 'Board work', format: 'individual',
	email: `rae-${UNIQ}@example.org`,
};

// Forms whose success would end the test's session or its fixtures, and
// forms that only confirm (a button, no field); uploads have their group.
const SKIP = /\/logout$|\/delete$|\/submit$|\/close$|\/draw$|\/inactive$|\/link$|\/revoke$|\/resend$|\/request$|\/unlock$|\/decide$|\/attest$|\/reinstate$|\/account\/password$/;

// ------------------------------------------------------------ the people

const P = {};	// H (applicant and endorsee), C (coordinator), their ids

async function setup() {
	const out = fs.readFileSync(process.env.HTTP_SERVER_OUT, 'utf8');
	const m = out.match(/^coordinator for vaimh created: log in as (\S+) with password (\S+) /m);
	P.C = new Client('C');
	await test('setup: an applicant registers, the coordinator logs in, a token and an application', async (c) => {
		c.ok(m, 'the coordinator of vaimh was printed');
		P.H = new Client('H');
		P.H.email = `h-${UNIQ}@example.org`;
		let r = await P.H.submit('/register', { name: 'Hostile Harry', email: P.H.email,
		    password: PW, association: 'vaimh' });
		c.status(r, 303, 'register');
		// A registration logs no one in: Harry logs in next.
		r = await P.H.submit('/login', { email: P.H.email, password: PW });
		c.status(r, 303, 'Harry logs in');
		r = await P.C.submit('/login', { email: m[1], password: m[2] });
		c.status(r, 303, 'coordinator logs in');
		r = await new Client('t').post('/api/v1/tokens', { json: { email: P.H.email, password: PW } });
		c.status(r, 201, 'token');
		P.token = r.json()?.token;
		r = await P.H.submit('/applications', { choice: 'vaimh/IFS' });
		P.app = Number((r.location || '').match(/(\d+)$/)?.[1]);
		c.ok(P.app > 0, `application: ${r.status} ${r.location}`);
		// An entry of every kind, so that every edit form exists.
		for (const k of KINDS) {
			const f = parseForms((await P.H.get(`/applications/${P.app}/tab/${k}/new`)).text)
			    .find((x) => x.method === 'post' && x.action === `/applications/${P.app}/tab/${k}`);
			if (!f) { c.fail(`no form on the ${k} tab`); continue; }
			const pairs = f.fields.map((x) => [x.name, x.name === 'csrf' ? x.value : VALID[x.name] ?? x.value]);
			if (k === 'references') pairs.push(['email', `rae-${UNIQ}@example.org`]);
			r = await P.H.post(f.action, { form: pairs });
			c.status(r, 303, `add a ${k} entry`);
		}
		// H is an endorsee too (the renewal pages and their forms).
		const csv = path.join(process.env.HTTP_TMP, 'hostile-endorsees.csv');
		fs.writeFileSync(csv, 'number,name,email,category,since,status,city\n' +
		    `VA-HOSTILE-1,Hostile Harry,${P.H.email},IFS,2025-01-01,active,Richmond\n`);
		const imp = spawnSync(process.env.HTTP_BIN, ['import', 'endorsees', '--db',
		    process.env.HTTP_DB, '--association', 'vaimh', '--rules', path.join(ROOT, 'rules'), csv],
		    { encoding: 'utf8' });
		c.eq(imp.status, 0, `import: ${imp.stderr}`);
		r = await P.H.submit('/renewal/log', { association: 'vaimh', kind: 'training',
		    title: 'Log one', date: '2025-06-01', hours: '3', role: 'attended' });
		c.status(r, 303, 'a log entry');
		drain(c);
	});
}

// The pages whose forms are fuzzed, per client.
async function pages() {
	const a = P.app;
	const list = [['anon', '/register'], ['anon', '/login'], ['anon', '/reset'],
	    ['H', '/account'], ['H', '/membership'], ['H', '/applications/new'], ['H', `/applications/${a}/ethics`],
	    ['H', '/renewal'], ['H', '/renewal/log/new'],
	    ['C', '/coordinator/cycles'], ['C', '/coordinator/reviewers'], ['C', '/coordinator/exams'],
	    ['C', '/coordinator/renewals'], ['C', `/coordinator/applications/${a}`]];
	for (const k of KINDS) list.push(['H', `/applications/${a}/tab/${k}/new`]);
	for (const k of KINDS) {
		const t = (await P.H.get(`/applications/${a}/tab/${k}`)).text;
		const ids = [...new Set([...t.matchAll(new RegExp(`href="/applications/${a}/entries/(\\d+)"`, 'g'))]
		    .map((x) => x[1]))];
		if (ids.length) list.push(['H', `/applications/${a}/entries/${ids[0]}`]);
	}
	const log = one('SELECT min(id) FROM log_entry');
	if (log) list.push(['H', `/renewal/log/${log}`]);
	return list;
}

function clientFor(who) {
	return who === 'anon' ? new Client('anon') : P[who];
}

// Every field of every form, every payload: one group per form.
const stored = new Map();	// marker id -> { v, where }
async function fuzzForms() {
	const seen = new Set();
	const targets = [];
	for (const [who, page] of await pages()) {
		const u = clientFor(who);
		const r = await u.get(page);
		for (const f of parseForms(r.text)) {
			if (f.method !== 'post' || !f.action || SKIP.test(f.action)) continue;
			if (f.action.includes('/login') && who !== 'anon') continue;
			const key = `${who} ${f.action}`;
			if (seen.has(key)) continue;
			seen.add(key);
			targets.push({ who, page, f });
		}
	}
	await test(`forms: ${targets.length} forms found on ${new Set(targets.map((t) => t.page)).size} pages, ` +
	    'each with its fields', (c) => {
		c.ok(targets.length >= 20, `only ${targets.length} forms: ${targets.map((t) => t.f.action).join(' ')}`);
		for (const t of targets)
			c.ok(t.f.fields.some((x) => x.name === 'csrf'), `${t.f.action}: no csrf field`);
	});
	// Login and register last: their failures are counted per address.
	targets.sort((x, y) => Number(/login|register|reset/.test(x.f.action)) - Number(/login|register|reset/.test(y.f.action)));
	for (const { who, page, f } of targets) {
		const names = f.fields.filter((x) => x.name !== 'csrf' && x.type !== 'hidden').map((x) => x.name);
		if (names.length === 0) continue;	// an upload only: its own group
		let sent = 0, refused = 0, accepted = 0;
		await test(`forms: ${f.action.replace(/\d+/g, '#')} (${who}): every payload in each of ` +
		    `${names.length} fields [${names.join(', ')}]; no 5xx, refused ones store nothing`, async (c) => {
			let u = clientFor(who);
			let tok = who === 'anon' ? await u.csrf() : u.lastCsrf;
			if (who !== 'anon') {
				const pg = await u.get(page);
				tok = (pg.text.match(/name="csrf" value="([0-9a-f]{64})"/) || [])[1];
			}
			for (const name of names) {
				const rejected = [];
				let before = snapshot();
				let mixed = false;
				for (const p of payloads(name)) {
					const pairs = f.fields.map((x) => [x.name, x.name === 'csrf' ? tok :
					    x.name === name ? (p.enc ? p : p.v) : /email/.test(x.name) && who === 'anon' ?
					    `r${nmark}-${UNIQ}@example.org` : VALID[x.name] ?? x.value]);
					if (f.action === '/login' && name !== 'password')
						pairs.find((x) => x[0] === 'password')[1] = 'wrong password';
					const r = await u.post(f.action, { body: formBody(pairs),
					    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
					sent++;
					if (r.status >= 400 && r.status < 500) {
						refused++;
						rejected.push(pairs);
					} else {
						accepted++;
						mixed = true;
						if (p.id) stored.set(p.id, { v: p.v, where: `${f.action} ${name}` });
						if (who === 'anon') {	// a new session (register)
							u = new Client('anon');
							tok = await u.csrf();
						}
					}
					if (r.setCookies.some((s) => /^h0st=/.test(s)) || r.headers.get('h0st'))
						c.fail(`${f.action} ${name}: a header was injected`);
				}
				if (mixed && rejected.length > 0) {
					// Again, the refused ones only, as one all-refused batch.
					before = snapshot();
					for (const pairs of rejected) {
						const fixed = pairs.map(([k, v]) => [k, k === 'csrf' ? tok : v]);
						const r = await u.post(f.action, { body: formBody(fixed),
						    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
						sent++;
						if (!(r.status >= 400 && r.status < 500))
							c.fail(`${f.action} ${name}: refused once, then ${r.status}`);
					}
				}
				if (!mixed || rejected.length > 0) {
					const mv = moved(before).filter((t) => t !== 'login_failure');
					c.ok(mv.length === 0, `${f.action} ${name}: refused requests changed ${mv.join(', ')}`);
				}
			}
			drain(c);
			await healthy(c, f.action);
		});
		void sent; void refused; void accepted;
	}
}

// ------------------------------------------------------------ escaping

// Where a stored payload shows: every page of H, C and the public ones.
async function crawl() {
	const a = P.app;
	const list = [[P.H, '/dashboard'], [P.H, '/account'], [P.H, '/membership'], [P.H, `/applications/${a}`],
	    [P.H, `/applications/${a}/ethics`], [P.H, '/renewal'], [P.C, '/coordinator'],
	    [P.C, `/coordinator/applications/${a}`], [P.C, '/coordinator/cycles'], [P.C, '/coordinator/reviewers'],
	    [P.C, '/coordinator/exams'], [P.C, '/coordinator/renewals'], [P.C, '/coordinator/outbox'],
	    [new Client('x'), '/registry?q=Hostile']];
	for (const k of KINDS) list.push([P.H, `/applications/${a}/tab/${k}`]);
	const texts = [];
	const visit = async (u, p) => { const r = await u.get(p); texts.push([p, r.text, r.ctype]); return r; };
	for (const [u, p] of list) await visit(u, p);
	// Each entry, log entry, cycle and exam page linked from those.
	const more = new Set();
	for (const [, t] of texts)
		for (const m of t.matchAll(/href="(\/(?:applications\/\d+\/entries\/\d+|renewal\/log\/\d+|coordinator\/cycles\/\d+|coordinator\/exams\/\d+))"/g))
			more.add(m[1]);
	for (const p of [...more].slice(0, 400))
		await visit(p.startsWith('/coordinator') ? P.C : P.H, p);
	return texts;
}

function escapeHtml(s) {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
	    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function strings(v, out = []) {
	if (typeof v === 'string') out.push(v);
	else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
	else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
	return out;
}

async function escaping() {
	// What is in the store now (a later value may have replaced one).
	const dump = JSON.stringify(snapshot());
	for (const id of [...stored.keys()])
		if (!dump.includes(`h0st(${id})`)) stored.delete(id);
	const texts = await crawl();
	await test(`escaping: ${stored.size} stored payloads come back escaped on the ${texts.length} ` +
	    'pages that show them, never raw', (c) => {
		drain(c);
		let shown = 0;
		const nowhere = [];
		const byMark = new Map();
		for (const pt of texts)
			for (const m of new Set([...pt[1].matchAll(/h0st\((\d+)\)/g)].map((x) => Number(x[1]))))
				(byMark.get(m) || byMark.set(m, []).get(m)).push(pt);
		for (const [id, { v, where }] of stored) {
			const mark = `h0st(${id})`;
			const pagesWith = byMark.get(id) || [];
			if (pagesWith.length === 0) { nowhere.push(`${where} #${id}`); continue; }
			shown++;
			// The escaped form where the value is shown whole (a long
			// value may be cut or a text normalised: its marker then
			// needs the escaped characters before it at least).
			const esc = escapeHtml(v.replace(/\r\n?/g, '\n'));
			const head = escapeHtml(v.slice(0, v.indexOf(mark)));
			for (const [p, t] of pagesWith)
				c.ok(t.includes(esc) || t.includes(head + mark) || !/[<>"'&]/.test(v.slice(0, v.indexOf(mark))),
				    `${where} #${id}: shown on ${p} but not as ${esc.slice(0, 80)}`);
		}
		c.ok(stored.size === 0 || shown > 0, 'no stored payload is shown anywhere');
		if (nowhere.length) console.log(`# hostile: stored but shown on no page crawled: ${nowhere.length} ` +
		    `(${[...new Set(nowhere.map((x) => x.replace(/ #\d+$/, '')))].join('; ').slice(0, 300)})`);
		console.log(`# hostile: ${shown} stored payloads shown, escaped`);
	});
	await test('escaping: stored payloads come back unchanged in the JSON exports', async (c) => {
		const docs = [];
		let r = await P.H.get(`/applications/${P.app}/export`);
		docs.push(['export', r.json()]);
		r = await new Client('api').get(`/api/v1/applications/${P.app}/portfolio`, { bearer: P.token });
		docs.push(['api portfolio', r.json()]);
		const end = one("SELECT id FROM endorsement WHERE number = 'VA-HOSTILE-1'");
		r = await new Client('api').get(`/api/v1/endorsements/${end}/portfolio`, { bearer: P.token });
		docs.push(['api endorsement portfolio', r.json()]);
		let checked = 0;
		for (const [name, d] of docs) {
			if (!c.ok(d !== undefined, `${name}: not JSON`)) continue;
			for (const s of strings(d)) {
				const m = s.match(/h0st\((\d+)\)/);
				if (!m || !stored.has(Number(m[1]))) continue;
				checked++;
				const v = stored.get(Number(m[1])).v;
				c.ok(s === v || s === v.trim(), `${name}: ${JSON.stringify(s).slice(0, 80)} is not ` +
				    `what was sent, ${JSON.stringify(v).slice(0, 80)}`);
			}
		}
		c.ok(checked > 0, 'no stored payload in any export');
		drain(c);
	});
}

// ------------------------------------------------------------ JSON API

function deep(n, open = '[', close = ']') { return open.repeat(n) + close.repeat(n); }

async function fuzzApi() {
	const api = () => new Client('api');
	const tokenOpts = (o) => ({ ...o, bearer: P.token });
	const calls = [
		{ name: 'POST /api/v1/accounts', path: '/api/v1/accounts', base: () => ({ name: 'Api Person',
		    email: `api${++nmark}-${UNIQ}@example.org`, password: PW }), opts: (o) => o },
		{ name: 'POST /api/v1/tokens', path: '/api/v1/tokens', base: () => ({ email: `nobody-${UNIQ}@example.org`,
		    password: PW, label: 'x' }), opts: (o) => o, neverStore: true },
		{ name: 'POST /api/v1/applications', path: '/api/v1/applications', base: () => ({ association: 'vaimh',
		    category: 'IFS' }), opts: tokenOpts },
		{ name: 'POST /api/v1/log/training', path: '/api/v1/log/training?association=vaimh', base: () => ({
		    title: 'Api log', date: '2025-07-01', hours: 2, role: 'attended' }), opts: tokenOpts },
	];
	for (const call of calls) {
		await test(`api: ${call.name}: payloads and wrong types in every member; deep JSON; ` +
		    'no 5xx, refused ones store nothing', async (c) => {
			for (const key of Object.keys(call.base())) {
				const before = snapshot();
				let acceptedAny = false;
				const values = [...payloads(key).filter((p) => !p.enc).map((p) => p.v), 0, -1, 1e308, true,
				    null, [], {}, ['x'], { a: 'b' }, 'x'.repeat(MAX_BODY / 4)];
				for (const v of values) {
					const body = { ...call.base(), [key]: v };
					const r = await api().post(call.path, call.opts({ json: body }));
					if (r.status < 400) acceptedAny = true;
					c.ok(r.status < 400 || r.ctype.startsWith('application/json'),
					    `${call.name} ${key}: error answer not JSON`);
					if (r.status >= 400 && r.status !== 413 && r.status !== 429)
						c.ok(typeof r.json()?.error === 'string', `${call.name} ${key}: no "error"`);
				}
				if (call.neverStore || !acceptedAny)
					c.eq(moved(before).filter((t) => t !== 'login_failure'), [], `${call.name} ${key}: the store changed`);
			}
			// Bodies that are not a JSON object, all refused.
			const before = snapshot();
			const bodies = [deep(5000), deep(100000), deep(3000, '{"a":', '}'), `{"a":${deep(4000)}}`,
			    '', 'null', '[]', '"x"', '{', '{"a":1,"a":2}', '{"email":"\\u0000"}',
			    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
			    Buffer.from('{"name":"a\u0000b"}'), '{"a":"\\ud800"}', '1e999999', '{"a":1e999999}',
			    ' '.repeat(1000) + '{}x', '\ufeff{}'];
			for (const b of bodies) {
				const r = await api().post(call.path, call.opts({ body: b,
				    headers: { 'Content-Type': 'application/json' } }));
				c.ok(is4xx(r.status), `${call.name}: body ${String(b).slice(0, 40)}: status ${r.status}`);
			}
			// Wrong content types.
			for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data',
			    'application/jsonx', 'application/xml', '', 'application/json; charset=latin1']) {
				if (ct.startsWith('application/json;')) continue;
				const h = ct === '' ? {} : { 'Content-Type': ct };
				const r = await api().post(call.path, call.opts({ body: JSON.stringify(call.base()), headers: h }));
				c.ok(is4xx(r.status), `${call.name}: Content-Type ${ct || '(none)'}: status ${r.status}`);
				c.ok(typeof r.json()?.error === 'string', `${call.name}: Content-Type ${ct || '(none)'}: no "error"`);
			}
			c.eq(moved(before).filter((t) => t !== 'login_failure'), [], `${call.name}: bad bodies changed the store`);
			drain(c);
			await healthy(c, call.name);
		});
	}
	// The portfolio PUT: a payload in every string of the document.
	await test('api: PUT portfolio: a payload in every string member of every entry; accepted ones ' +
	    'read back unchanged, refused ones store nothing', async (c) => {
		const url = `/api/v1/applications/${P.app}/portfolio`;
		const doc = (await api().get(url, { bearer: P.token })).json();
		if (!c.ok(doc && typeof doc === 'object', 'GET portfolio')) return;
		const paths = [];
		const walk = (v, p) => {
			if (typeof v === 'string') paths.push(p);
			else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
			else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk(v[k], [...p, k]);
		};
		walk(doc, []);
		const set = (d, p, v) => { const o = structuredClone(d); let x = o; for (const k of p.slice(0, -1)) x = x[k]; x[p[p.length - 1]] = v; return o; };
		const list = payloads('p').filter((p) => !p.enc && p.kind !== 'odd');
		let ok = 0, refused = 0;
		const ignored = new Set();
		for (const p of paths) {
			const before = snapshot();
			let acc = false;
			for (const pl of list) {
				const r = await api().req('PUT', url, { json: set(doc, p, pl.v), bearer: P.token });
				if (r.status === 200) {
					acc = true;
					ok++;
					const back = (await api().get(url, { bearer: P.token })).json();
					let x = back, orig = doc;
					for (const k of p) { x = x?.[k]; orig = orig?.[k]; }
					// Stored as sent, or a member the store does not take
					// from the document (the applicant's name is the account's).
					if (x !== pl.v && x === orig) { ignored.add(p.join('.')); continue; }
					c.ok(x === pl.v, `${p.join('.')}: ${JSON.stringify(pl.v).slice(0, 60)} read back as ` +
					    `${JSON.stringify(x).slice(0, 60)}`);
					if (pl.id) stored.set(pl.id, { v: pl.v, where: `PUT portfolio ${p.join('.')}` });
				} else refused++;
			}
			if (!acc) c.eq(moved(before), [], `${p.join('.')}: refused PUTs changed the store`);
		}
		// Put a portfolio with every payload back, so the pages show them.
		console.log(`# hostile: PUT portfolio: ${paths.length} string members, ${ok} accepted, ${refused} refused; ` +
		    `not taken from the document: ${[...ignored].join(', ') || 'none'}`);
		drain(c);
		await healthy(c, 'PUT portfolio');
	});
}

// ------------------------------------------------------------ limits

async function limits() {
	const form = (u, p, body, ct = 'application/x-www-form-urlencoded') =>
	    u.post(p, { body, headers: { 'Content-Type': ct } });
	await test(`limits: bodies over max_body (${MAX_BODY}) and uploads over max_upload (${MAX_UPLOAD}) ` +
	    'answer 413, store nothing', async (c) => {
		const before = snapshot();
		const tok = (await P.H.get('/account')).text.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
		const big = `csrf=${tok}&label=` + 'a'.repeat(MAX_BODY + 10);
		let r = await form(P.H, '/account/tokens', big);
		c.status(r, 413, 'form body over max_body');
		r = await form(P.H, '/account/tokens', `csrf=${tok}&label=` + 'a'.repeat(MAX_FIELD + 1));
		c.status(r, 413, 'one field over max_field');
		c.has(r.text, 'larger than 65536 bytes', 'names the limit');
		r = await form(P.H, '/account/tokens', `csrf=${tok}&` + Array.from({ length: 600 }, (_, i) => `f${i}=1`).join('&'));
		c.status(r, 413, 'more than 500 fields');
		r = await new Client('api').post('/api/v1/applications', { bearer: P.token,
		    json: JSON.stringify({ association: 'vaimh', category: 'IFS', pad: 'x'.repeat(MAX_BODY) }) });
		c.status(r, 413, 'JSON body over max_body');
		c.ok(typeof r.json()?.error === 'string', 'a JSON error');
		// An over-long form field whose name is not UTF-8, at the API: the
		// message names the field and must still be a JSON string.
		r = await new Client('api').post('/api/v1/applications', { bearer: P.token,
		    body: '%FF%FEx=' + 'a'.repeat(MAX_FIELD + 1), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		c.status(r, 413, 'API, form field over max_field');
		c.ok(typeof r.json()?.error === 'string', `its answer has an "error": ${r.text.slice(0, 100)}`);
		// A value quoted (shortened) in a message, cut inside a character.
		r = await new Client('api').post('/api/v1/log/training?association=vaimh', { bearer: P.token,
		    json: { title: 'x', date: 'é'.repeat(100), hours: 2, role: 'attended' } });
		c.status(r, 400, 'a long non-ASCII date');
		c.ok(typeof r.json()?.error === 'string', `its answer has an "error": ${r.text.slice(0, 100)}`);
		const edu = one(`SELECT min(id) FROM entry WHERE application = ${P.app} AND kind = 'education'`);
		for (const [what, size] of [['upload over max_upload', MAX_UPLOAD + 1], ['upload over max_upload + max_body', MAX_UPLOAD + MAX_BODY + 1]]) {
			const fd = new FormData();
			fd.append('csrf', tok);
			fd.append('pdf', new Blob([Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(size)])]), 't.pdf');
			r = await P.H.post(`/applications/${P.app}/entries/${edu}/transcript`, { multipart: fd });
			c.status(r, 413, what);
		}
		// A multipart text field is capped like a form field (on a route
		// that takes a file: any other refuses multipart unread, 415).
		const fd = new FormData();
		fd.append('csrf', tok);
		fd.append('label', 'x'.repeat(MAX_FIELD + 1));
		r = await P.H.post(`/applications/${P.app}/entries/${edu}/transcript`, { multipart: fd });
		c.status(r, 413, 'multipart field over max_field');
		r = await P.H.post('/account/tokens', { multipart: fd });
		c.status(r, 415, 'multipart to a route that takes no file');
		c.eq(moved(before), [], 'the store changed');
		drain(c);
		await healthy(c, 'limits');
	});
	await test('limits: odd Content-Length and Transfer-Encoding over raw sockets: 4xx, never 5xx', async (c) => {
		const before = snapshot();
		const ck = `Cookie: endorse_session=${P.H.cookie('endorse_session')}`;
		void ck;
		for (const [what, h, b] of [
			['negative length', { 'Content-Type': 'application/json', 'Content-Length': '-5' }, '{}'],
			['non-numeric length', { 'Content-Type': 'application/json', 'Content-Length': 'abc' }, '{}'],
			['length past 2^63', { 'Content-Type': 'application/json', 'Content-Length': '99999999999999999999999' }, '{}'],
			['two lengths', { 'Content-Type': 'application/json', 'Content-Length': '2', 'content-length': '3' }, '{}x'],
			['chunked over max_body', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
			    `${(MAX_BODY + 100).toString(16)}\r\n${'a'.repeat(MAX_BODY + 100)}\r\n0\r\n\r\n`],
			['bad chunk size', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, 'zz\r\n{}\r\n0\r\n\r\n'],
		]) await rawReq(c, what, httpReq('POST', '/api/v1/applications', { Authorization: `Bearer ${P.token}`, ...h }, b),
		    (st) => is4xx(st) || st === 0);
		c.eq(moved(before), [], 'the store changed');
		await healthy(c, 'raw bodies');
	});
	await test('limits: long URLs and headers, NUL and bad bytes in the request line: 4xx or closed, never 5xx', async (c) => {
		for (const n of [2000, 8000, 30000, 70000, 200000])
			await rawReq(c, `URL of ${n} bytes`, httpReq('GET', '/registry?q=' + 'a'.repeat(n)), (st) => st === 200 || is4xx(st) || st === 0);
		for (const n of [2000, 30000, 70000])
			await rawReq(c, `path of ${n} bytes`, httpReq('GET', '/' + 'a/'.repeat(n / 2)), (st) => is4xx(st) || st === 0);
		for (const n of [8000, 40000, 100000])
			await rawReq(c, `a header of ${n} bytes`, httpReq('GET', '/', { 'X-Long': 'b'.repeat(n) }), (st) => st === 200 || is4xx(st) || st === 0);
		await rawReq(c, '2000 headers', httpReq('GET', '/', Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`X-H${i}`, 'v']))),
		    (st) => st === 200 || is4xx(st) || st === 0);
		await rawReq(c, 'a cookie header of 60000 bytes', httpReq('GET', '/dashboard', { Cookie: 'a=' + 'c'.repeat(60000) }),
		    (st) => st === 303 || is4xx(st) || st === 0);
		for (const [what, line] of [['NUL in the path', 'GET /he\0althz HTTP/1.1'], ['a raw 0xff in the path', 'GET /\xff\xfe HTTP/1.1'],
		    ['%00 in the path', 'GET /healthz%00 HTTP/1.1'], ['no version', 'GET /healthz'], ['HTTP/9.9', 'GET /healthz HTTP/9.9'],
		    ['garbage', '\x16\x03\x01\x02\x00\x01\x00'], ['absolute URI', 'GET http://evil.example/healthz HTTP/1.1'],
		    ['asterisk', 'OPTIONS * HTTP/1.1'], ['bare LF', 'GET /healthz HTTP/1.1\nHost: x\n\n'],
		    ['space in path', 'GET /heal thz HTTP/1.1'], ['%-escape of a slash', 'GET /applications%2f1 HTTP/1.1'],
		    ['bad %-escape', 'GET /registry?q=%zz%f HTTP/1.1'], ['%C0%AE in the query', 'GET /registry?q=%C0%AE%FF HTTP/1.1'],
		    ['query of NULs', 'GET /registry?q=%00%00 HTTP/1.1']]) {
			const bytes = line.includes('\n') ? Buffer.from(line, 'latin1') :
			    Buffer.from(line + '\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'latin1');
			// 505 is MHD's own answer to an HTTP version it does not speak;
			// "%2f" is a slash once unescaped (a login redirect here).
			await rawReq(c, what, bytes, (st) => st === 200 || st === 303 || is4xx(st) || st === 0 ||
			    (st === 505 && what === 'HTTP/9.9'), { allow505: what === 'HTTP/9.9' });
		}
		// A %00 is not a NUL that cuts the path short (it stays "%00").
		for (const t of ['/healthz%00', '/healthz%00.png', '/static/style.css%00.png'])
			await rawReq(c, `GET ${t}`, httpReq('GET', t), (st) => st === 404);
		await healthy(c, 'long requests');
	});
	await test('limits: path traversal on /static and elsewhere (plain, %-encoded, double-encoded, backslashes): ' +
	    'never a file outside static/', async (c) => {
		const targets = ['/static/../../etc/passwd', '/static/..%2f..%2fetc%2fpasswd', '/static/%2e%2e/%2e%2e/etc/passwd',
		    '/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/static/%252e%252e%252fetc%252fpasswd', '/static/..\\..\\etc\\passwd',
		    '/static/..%5c..%5cetc%5cpasswd', '/static/....//....//etc/passwd', '/static/..', '/static/.', '/static/',
		    '/static//etc/passwd', '/static/%2fetc%2fpasswd', '/static/style.css%00.png', '/static/style.css/..',
		    '/static/..%c0%af..%c0%afetc/passwd', '/static/..%e0%80%af/etc/passwd', '//etc/passwd', '/../../etc/passwd',
		    '/%2e%2e/%2e%2e/etc/passwd', '/static/../db/001-init.sql', '/static/..%2fdb%2f001-init.sql',
		    '/static/..%2f..%2f..%2f..%2f..%2f..%2fproc%2fself%2fenviron', '/static/../templates/layout.html',
		    '/verify/..%2f..%2fetc%2fpasswd', '/rate/..%2f..%2fetc%2fpasswd', '/reset/..%2f..', '/applications/1/tab/..%2f..',
		    '/endorsements/..%2f..%2fetc%2fpasswd/certificate.pdf', '/static/' + '../'.repeat(100) + 'etc/passwd'];
		for (const t of targets) {
			const r = await rawReq(c, `GET ${t}`, httpReq('GET', t), (st) => is4xx(st) || st === 303 || st === 0);
			c.ok(!/root:x?:0:0|CREATE TABLE|\{\{|PATH=/.test(r.body), `GET ${t}: a file's contents leaked`);
		}
		// Encoded slashes must not reach a file, and style.css is the only one.
		c.status(await new Client('x').get('/static/style.css'), 200, 'the real stylesheet');
		await healthy(c, 'traversal');
	});
	await test('limits: odd methods on every kind of route: 4xx, never 5xx, nothing stored', async (c) => {
		const before = snapshot();
		const paths = ['/', '/healthz', '/login', '/register', `/applications/${P.app}`, '/api/v1/applications',
		    `/api/v1/applications/${P.app}/portfolio`, '/static/style.css', '/no/such/page', '/coordinator'];
		for (const m of ['DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'FOO', 'get', 'Post',
		    'M'.repeat(300), 'G\x01T']) {
			for (const p of paths) {
				const target = m === 'CONNECT' ? '127.0.0.1:80' : p;
				await rawReq(c, `${m.slice(0, 20)} ${target}`, httpReq(m, target, {
				    Cookie: `endorse_session=${P.H.cookie('endorse_session')}` }),
				    (st) => is4xx(st) || st === 0 || (st === 200 && /^(get)$/.test(m)) || st === 303 ||
				    (st === 501 && !/^[A-Z]+$/.test(m)));
				if (m === 'CONNECT') break;
			}
		}
		// HEAD answers like GET without a body.
		const r = await raw(httpReq('HEAD', '/healthz'));
		nreq++;
		c.eq(r.status, 200, 'HEAD /healthz');
		c.eq(moved(before), [], 'the store changed');
		await healthy(c, 'methods');
	});
	await test('limits: uploads with wrong types, names and content types; deep JSON in an import: 4xx, nothing stored', async (c) => {
		const before = snapshot();
		const tok = (await P.H.get('/account')).text.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
		const edu = one(`SELECT min(id) FROM entry WHERE application = ${P.app} AND kind = 'education'`);
		const imp = `/applications/${P.app}/import`;
		const up = async (p, field, content, name, type) => {
			const fd = new FormData();
			fd.append('csrf', tok);
			fd.append(field, new Blob([content], { type }), name);
			return P.H.post(p, { multipart: fd });
		};
		const tr = `/applications/${P.app}/entries/${edu}/transcript`;
		for (const [content, name, type] of [['not a pdf', 't.pdf', 'application/pdf'], ['', 'empty.pdf', 'application/pdf'],
		    ['%PDF-1.4', '../../etc/passwd', 'application/pdf'], ['%PDF-1.4', '<script>x</script>.pdf', 'text/html'],
		    ['%PDF-1.4', 'a\u0000b.pdf', 'application/pdf'], [Buffer.from([0xff, 0xfe, 0x00]), 't.pdf', 'application/pdf']]) {
			const r = await up(tr, 'pdf', content, name, type);
			if (content.length >= 8 && String(content).startsWith('%PDF-')) {
				c.ok(r.status < 500, `transcript named ${name}: ${r.status}`);
				continue;
			}
			c.ok(is4xx(r.status), `transcript ${JSON.stringify(String(content).slice(0, 20))} named ${name}: ${r.status}`);
		}
		// Undo what the named ones may have stored before comparing.
		const bodies = [deep(5000), deep(3000, '{"a":', '}'), '{', '[]', 'null', Buffer.from([0xc3, 0x28]),
		    '{"association":"vaimh","category":"IFS","work":' + deep(4000) + '}'];
		const before2 = snapshot();
		for (const b of bodies) {
			const r = await up(imp, 'portfolio', b, 'p.json', 'application/json');
			c.ok(is4xx(r.status), `import of ${String(b).slice(0, 30)}: ${r.status}`);
		}
		// Multipart without a boundary, with a bad one, form fields as text/plain.
		for (const [ct, b] of [['multipart/form-data', `--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${tok}\r\n--x--\r\n`],
		    ['multipart/form-data; boundary=', 'x'], ['multipart/form-data; boundary=' + 'b'.repeat(5000), 'x'],
		    ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${tok}`],
		    ['text/plain', `csrf=${tok}&label=x`], ['application/json', JSON.stringify({ csrf: tok, label: 'x' })],
		    ['application/x-www-form-urlencoded; charset=latin1', `csrf=${tok}&label=%FF`], ['', `csrf=${tok}&label=x`]]) {
			const r = await P.H.post('/account/tokens', { body: b, headers: ct ? { 'Content-Type': ct } : {} });
			c.ok(is4xx(r.status), `POST /account/tokens as ${ct.slice(0, 50) || '(no type)'}: ${r.status}`);
		}
		c.eq(moved(before2), [], 'the store changed (imports, content types)');
		void before;
		drain(c);
		await healthy(c, 'uploads');
	});
}

// ------------------------------------------------------------ auth

async function auth() {
	const table = fs.readFileSync(path.join(ROOT, 'src/routes.def'), 'utf8');
	const all = [...table.matchAll(/ROUTE\(\s*M_POST,\s*"([^"]+)",([^)]*)\)/g)].filter((m) => !m[1].startsWith('/api/'));
	// A route whose body is signed (the card processor's webhook) takes no
	// form and no CSRF token: without its signature it is a 400, and
	// nothing is stored either way.
	const posts = all.filter((m) => !/SIGNED_BODY/.test(m[2])).map((m) => m[1]);
	const signed = all.filter((m) => /SIGNED_BODY/.test(m[2])).map((m) => m[1]);
	const concrete = (p) => p.replace(/#/g, () => String(P.app)).replace(/\*/g, 'training');
	await test(`auth: every one of ${posts.length} form POST routes with bad CSRF tokens (none, short, long, ` +
	    'non-hex, upper case, another session\'s, repeated): 403, nothing stored', async (c) => {
		const before = snapshot();
		const other = new Client('other');
		await other.submit('/register', { name: 'Other', email: `o-${UNIQ}@example.org`, password: PW });
		// The forms before failed many logins from this address: the
		// right password gets in once the wait it names is over.
		for (let i = 0; i < 3; i++) {
			const l = await other.submit('/login', { email: `o-${UNIQ}@example.org`, password: PW });
			if (l.status !== 429) break;
			await new Promise((res) => setTimeout(res, 1000 * (Number(l.headers.get('retry-after')) + 0.5)));
		}
		const otherTok = (await other.get('/account')).text.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
		const mine = (await P.H.get('/account')).text.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
		const before2 = snapshot();
		const toks = [null, '', 'abc', 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), mine.toUpperCase(),
		    otherTok, mine + '\u0000', `${'0'.repeat(64)}`, ' ' + mine.slice(1), ['x', mine]];
		for (const p of scaled(posts)) {
			for (const t of toks) {
				const pairs = [['title', 'x'], ['name', 'x'], ['label', 'x']];
				if (Array.isArray(t)) pairs.unshift(...t.map((x) => ['csrf', x]));
				else if (t !== null) pairs.unshift(['csrf', t]);
				const r = await P.H.post(concrete(p), { form: pairs });
				// A NUL byte is refused before the token is looked at.
				c.ok(r.status === 403 || (r.status === 400 && /\u0000/.test(t)),
				    `${p} with csrf ${JSON.stringify(t).slice(0, 20)}: ${r.status}`);
			}
		}
		c.ok(signed.length > 0, 'the signed webhook route is in the table');
		for (const p of signed)
			for (const t of toks.slice(0, 4)) {
				const r = await P.H.post(p, { form: t === null ? [['title', 'x']] : [['csrf', t], ['title', 'x']] });
				c.eq(r.status, 400, `${p} (signed) with csrf ${JSON.stringify(t)} and no signature`);
			}
		c.eq(moved(before2), [], 'the store changed');
		void before;
		drain(c);
		await healthy(c, 'csrf');
	});
	await test('auth: bad session cookies and bearer tokens: treated as nobody, never 5xx, nothing stored', async (c) => {
		const before = snapshot();
		const sid = P.H.cookie('endorse_session');
		const cookies = ['endorse_session=', 'endorse_session=x', `endorse_session=${'f'.repeat(64)}`,
		    `endorse_session=${sid.toUpperCase()}`, `endorse_session=${sid}x`, `endorse_session=${sid.slice(1)}`,
		    `endorse_session="${sid}"`, `endorse_session=${'a'.repeat(5000)}`, "endorse_session=' OR 1=1 --",
		    'endorse_session=%00', 'endorse_session=<script>', `endorse_session=x; endorse_session=${sid}x`,
		    'endorse_pre=; endorse_session=;', ';;;===;;', 'endorse_session', '=x', `endorse_pre=${'z'.repeat(64)}`];
		for (const ck of cookies) {
			const u = new Client('bad');
			const r = await u.get('/dashboard', { headers: { Cookie: ck } });
			// MHD takes the quotes off a quoted value (RFC 6265): the same secret.
			c.ok((r.status === 303 && r.location === '/login') || (r.status === 200 && ck.includes('"')),
			    `Cookie ${ck.slice(0, 40)}: ${r.status} ${r.location}`);
			const r2 = await u.post('/account/name', { headers: { Cookie: ck }, form: { name: 'Hijacked' } });
			c.ok(r2.status === 303 || r2.status === 403, `POST with Cookie ${ck.slice(0, 40)}: ${r2.status}`);
		}
		for (const ck of ['endorse_session=\u0001', 'endorse_session=\u00ff\u00fe']) {
			await rawReq(c, `raw Cookie ${JSON.stringify(ck)}`, httpReq('GET', '/dashboard', { Cookie: ck }),
			    (st) => st === 303 || is4xx(st) || st === 0);
		}
		for (const auth of ['Bearer', 'Bearer ', 'Bearer x', `Bearer ${'f'.repeat(64)}`, `Bearer ${P.token.toUpperCase()}`,
		    `Bearer ${P.token}x`, `bearer ${P.token}`, `Basic ${Buffer.from('a:b').toString('base64')}`,
		    `Bearer ${P.token} ${P.token}`, "Bearer ' OR 1=1 --", `Bearer ${'a'.repeat(10000)}`, 'Bearer%20x']) {
			const r = await new Client('api').get('/api/v1/applications', { headers: { Authorization: auth } });
			c.ok(r.status === 401 || (auth === `bearer ${P.token}` && r.status === 200),
			    `Authorization ${auth.slice(0, 30)}: ${r.status}`);
			const r2 = await new Client('api').req('PUT', `/api/v1/applications/${P.app}/portfolio`,
			    { headers: { Authorization: auth }, json: { association: 'vaimh' } });
			c.ok(r2.status === 401 || (auth === `bearer ${P.token}` && r2.status === 400), `PUT with ${auth.slice(0, 30)}: ${r2.status}`);
		}
		c.eq(moved(before), [], 'the store changed');
		drain(c);
		await healthy(c, 'cookies');
	});
	await test('auth: reflected input (search, fit, verify, 404 paths) is escaped', async (c) => {
		const xs = ['<script>h0st(0)</script>', '"><img src=x onerror=h0st(0)>', "'><svg onload=h0st(0)>"];
		for (const x of xs) {
			const e = encodeURIComponent(x);
			for (const p of [`/registry?q=${e}`, `/registry?category=${e}&city=${e}`, `/fit?work=${e}&ages=${e}`,
			    `/verify/${e}`, `/${e}`, `/applications/${P.app}/tab/${e}`, `/login?next=${e}`, `/reset/${e}`,
			    `/api/v1/registry?q=${e}`, `/api/v1/verify/${e}`]) {
				const r = await P.H.get(p);
				c.ok(r.status < 500, `${p}: ${r.status}`);
			}
		}
		drain(c);
	});
}

// Limits that need connections held open: per address and idle timeout.
async function connections() {
	await test(`limits: at most max_per_ip (${PER_IP}) connections per address; an idle one is closed ` +
	    `after timeout (${TIMEOUT} s)`, async (c) => {
		const open = [];
		const opened = () => new Promise((resolve) => {
			const s = net.connect(PORT, '127.0.0.1');
			const rec = { s, closedAt: 0, data: '' };
			s.on('connect', () => resolve(rec));
			s.on('data', (d) => { rec.data += d; });
			s.on('close', () => { rec.closedAt = Date.now(); });
			s.on('error', () => { rec.closedAt = rec.closedAt || Date.now(); resolve(rec); });
		});
		// Wait until the fetch pool's own idle connections have gone.
		await new Promise((r) => setTimeout(r, 500));
		const t0 = Date.now();
		for (let i = 0; i < PER_IP + 4; i++) open.push(await opened());
		await new Promise((r) => setTimeout(r, 700));
		const closed = open.filter((x) => x.closedAt !== 0).length;
		c.ok(closed >= 4 && closed <= 4 + 6, `${PER_IP + 4} opened, ${closed} closed at once (want at least 4)`);
		// The idle ones go after the timeout.
		await new Promise((r) => setTimeout(r, TIMEOUT * 1000 + 2500));
		const still = open.filter((x) => x.closedAt === 0).length;
		c.ok(still === 0, `${still} idle connections still open after ${TIMEOUT + 2.5} s`);
		const first = open.filter((x) => x.closedAt > t0 + 1000).map((x) => x.closedAt - t0);
		if (first.length)
			c.ok(Math.min(...first) >= (TIMEOUT - 1) * 1000, `an idle connection closed after ${Math.min(...first)} ms`);
		for (const x of open) x.s.destroy();
		nreq += open.length;
		await healthy(c, 'connections');
	});
}

// Login throttling, last: its failures stay counted for this address.
async function throttling() {
	await test('limits: login_failures (5) wrong passwords for one e-mail, then 429 even with the right one', async (c) => {
		const who = new Client('T');
		const mail = `t-${UNIQ}@example.org`;
		let r = await who.submit('/register', { name: 'Throttled', email: mail, password: PW });
		c.status(r, 303, 'register');
		for (let i = 0; i < 5; i++) {
			r = await new Client('x').submit('/login', { email: mail, password: 'wrong password' });
			c.ok(r.status === 400 || r.status === 401 || r.status === 429, `wrong password ${i + 1}: ${r.status}`);
		}
		r = await new Client('x').submit('/login', { email: mail, password: PW });
		c.status(r, 429, 'the right password after 5 failures');
		c.has(r.text, 'too many failed attempts', 'says why');
		r = await new Client('x').post('/api/v1/tokens', { json: { email: mail, password: PW } });
		c.status(r, 429, 'the API token login too');
		drain(c);
	});
}

async function main() {
	const t0 = Date.now();
	await setup();
	await limits();
	await fuzzApi();
	await fuzzForms();
	await escaping();
	await auth();
	await forgery({ pw: PW, uniq: UNIQ, drain });
	await connections();
	await throttling();
	await test('the server is up at the end', async (c) => { await healthy(c, 'end'); drain(c); });
	const { pass, fail } = counts();
	console.log(`# hostile: ${nreq} requests sent in ${((Date.now() - t0) / 1000).toFixed(1)} s ` +
	    `(HOSTILE_SCALE=${SCALE}); ${pass} passed, ${fail} failed`);
	void sql; void q;
}

main().catch((e) => {
	console.log('not ok - hostile: test client crashed');
	console.log('#   ' + String(e && e.stack ? e.stack : e).split('\n').join('\n#   '));
	process.exit(1);
});
