// The test client of every suite that talks to a server: a fetch client
// with a cookie jar per user, form and multipart bodies, HTML field
// probes, the database read through the sqlite3 CLI, and TAP-like
// reporting.  Node 20, no npm packages.
// The server and its database: HTTP_BASE (http://127.0.0.1:PORT) and
// HTTP_DB from the environment (tests/lib/server.sh sets them), or
// useServer() (tests/lib/server.mjs, which may move to another port when
// it restarts its server).
import { execFileSync } from 'node:child_process';

export let BASE = process.env.HTTP_BASE;
export let DB = process.env.HTTP_DB;
export function useServer(base, db) {
	BASE = base;
	DB = db;
}

// ------------------------------------------------------------ reporting

let npass = 0, nfail = 0, suite = 'http';
export function counts() { return { pass: npass, fail: nfail }; }
// The word after "ok - " (every suite but http sets its own).
export function setSuite(name) { suite = name; }

function short(v, n = 300) {
	let s = typeof v === 'string' ? v : JSON.stringify(v);
	if (s === undefined) s = String(v);
	return s.length > n ? s.slice(0, n) + '...' : s;
}

// Sorted keys, so that two JSON values compare whatever their key order.
export function canon(v) {
	if (Array.isArray(v)) return v.map(canon);
	if (v !== null && typeof v === 'object') {
		const o = {};
		for (const k of Object.keys(v).sort()) o[k] = canon(v[k]);
		return o;
	}
	return v;
}
export function same(a, b) {
	return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

export class Check {
	constructor() { this.fails = []; }
	fail(msg) { this.fails.push(msg); return false; }
	ok(cond, msg) { return cond ? true : this.fail(msg); }
	eq(got, want, msg) {
		return same(got, want) ? true :
		    this.fail(`${msg}: got ${short(got)}, want ${short(want)}`);
	}
	status(res, want, msg) {
		const list = Array.isArray(want) ? want : [want];
		if (list.includes(res.status)) return true;
		return this.fail(`${msg}: status ${res.status}, want ` +
		    `${list.join(' or ')}; ${res.method} ${res.path}` +
		    (res.location ? ` -> ${res.location}` : '') +
		    `; body: ${short(bodyText(res), 400)}`);
	}
	redirect(res, where, msg) {
		if (!this.status(res, 303, msg)) return false;
		const ok = where instanceof RegExp ? where.test(res.location || '') :
		    res.location === where;
		return ok ? true : this.fail(`${msg}: Location ${res.location}, ` +
		    `want ${where}`);
	}
	has(text, s, msg) {
		return typeof text === 'string' && text.includes(s) ? true :
		    this.fail(`${msg}: ${short(s, 120)} not found in ` +
		    `${short(bodyText(text), 300)}`);
	}
	lacks(text, s, msg) {
		return typeof text === 'string' && !text.includes(s) ? true :
		    this.fail(`${msg}: ${short(s, 120)} should not be there`);
	}
}

function bodyText(x) {
	if (typeof x === 'string') {
		const m = x.match(/<main[^>]*>([\s\S]*?)<\/main>/);
		return (m ? m[1] : x).replace(/\s+/g, ' ');
	}
	return bodyText(x.text || '');
}

// Run one named group of assertions; prints one ok / not ok line.
export async function test(name, fn) {
	const c = new Check();
	try {
		await fn(c);
	} catch (e) {
		c.fail('exception: ' + (e && e.stack ? e.stack : e));
	}
	if (c.fails.length === 0) {
		npass++;
		console.log(`ok - ${suite}: ${name}`);
	} else {
		nfail++;
		console.log(`not ok - ${suite}: ${name}`);
		for (const f of c.fails.slice(0, 12))
			for (const l of String(f).split('\n').slice(0, 10))
				console.log('#   ' + l);
		if (c.fails.length > 12)
			console.log(`#   (${c.fails.length - 12} more)`);
	}
	return c.fails.length === 0;
}

// ------------------------------------------------------------ client

export function encodeForm(form) {
	const pairs = Array.isArray(form) ? form : Object.entries(form).flatMap(
	    ([k, v]) => Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]);
	return pairs.map(([k, v]) => encodeURIComponent(k) + '=' +
	    encodeURIComponent(v)).join('&');
}

export class Client {
	// base: the server (t-pages runs one of its own); HTTP_BASE if none.
	constructor(label, base = BASE) {
		this.label = label;
		this.base = base;
		this.jar = new Map();
	}
	cookie(name) { return this.jar.get(name); }
	store(sc) {
		const first = sc.split(';')[0];
		const eq = first.indexOf('=');
		const name = first.slice(0, eq).trim(), value = first.slice(eq + 1);
		if (/;\s*Max-Age=0/i.test(sc) || value === '') this.jar.delete(name);
		else this.jar.set(name, value);
	}
	// opts: form (object or pairs), json (value or string), multipart
	// (FormData), body (raw), headers, bearer, cookies (false: none)
	async req(method, path, opts = {}) {
		const headers = { ...(opts.headers || {}) };
		if (opts.cookies !== false && this.jar.size > 0)
			headers.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`)
			    .join('; ');
		let body;
		if (opts.form !== undefined) {
			body = encodeForm(opts.form);
			headers['Content-Type'] ??=
			    'application/x-www-form-urlencoded';
		} else if (opts.json !== undefined) {
			body = typeof opts.json === 'string' ? opts.json :
			    JSON.stringify(opts.json);
			headers['Content-Type'] ??= 'application/json';
		} else if (opts.multipart !== undefined) {
			body = opts.multipart;
		} else if (opts.body !== undefined) {
			body = opts.body;
		}
		if (opts.bearer) headers.Authorization = 'Bearer ' + opts.bearer;
		const res = await fetch(this.base + path, { method, headers, body,
		    redirect: 'manual' });
		const buf = Buffer.from(await res.arrayBuffer());
		const setCookies = res.headers.getSetCookie();
		for (const sc of setCookies) this.store(sc);
		const text = buf.toString('utf8');
		if (/name="csrf" value="[0-9a-f]{64}"/.test(text))
			this.lastCsrf = text.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
		return {
			method, path, status: res.status, headers: res.headers, buf,
			text, setCookies, location: res.headers.get('location'),
			ctype: res.headers.get('content-type') || '',
			json() {
				try { return JSON.parse(text); } catch { return undefined; }
			},
		};
	}
	get(path, opts) { return this.req('GET', path, opts); }
	post(path, opts) { return this.req('POST', path, opts); }
	// The CSRF token of this client's forms (the session's, or the
	// anonymous one bound to the endorse_pre cookie).
	async csrf() {
		const r = await this.get('/reset');
		const m = r.text.match(/name="csrf" value="([0-9a-f]{64})"/);
		if (!m) throw new Error(`${this.label}: no csrf token on /reset ` +
		    `(status ${r.status})`);
		return m[1];
	}
	// POST a form with this client's CSRF token added.
	async submit(path, form = {}) {
		const tok = await this.csrf();
		const pairs = Array.isArray(form) ? [...form] :
		    Object.entries(form).flatMap(([k, v]) => Array.isArray(v) ?
		    v.map((x) => [k, x]) : [[k, v]]);
		pairs.unshift(['csrf', tok]);
		return this.post(path, { form: pairs });
	}
	async submitMultipart(path, build) {
		const fd = new FormData();
		fd.append('csrf', await this.csrf());
		build(fd);
		return this.post(path, { multipart: fd });
	}
	clone(label) {
		const c = new Client(label, this.base);
		for (const [k, v] of this.jar) c.jar.set(k, v);
		Object.assign(c, { email: this.email, password: this.password,
		    name: this.name });
		return c;
	}
}

// ------------------------------------------------------------ HTML probes

export function unescapeHtml(s) {
	return s.replace(/&(amp|lt|gt|quot|#39);/g, (m, e) =>
	    ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);
}
function inputTag(html, id) {
	const m = html.match(new RegExp(`<input[^>]*\\sid="${id}"[^>]*>`));
	return m ? m[0] : undefined;
}
// The value shown in text/date/number input f-NAME (undefined: no input).
export function inputValue(html, name) {
	const t = inputTag(html, 'f-' + name);
	if (t === undefined) return undefined;
	const m = t.match(/\svalue="([^"]*)"/);
	return m ? unescapeHtml(m[1]) : null;
}
export function selectValue(html, name) {
	const m = html.match(new RegExp(`<select id="f-${name}"[\\s\\S]*?</select>`));
	if (!m) return undefined;
	const o = m[0].match(/<option value="([^"]*)" selected>/);
	return o ? unescapeHtml(o[1]) : null;
}
export function checked(html, id) {
	const t = inputTag(html, id);
	return t === undefined ? undefined : /\schecked[\s>]/.test(t);
}
export function fieldError(html, name) {
	const m = html.match(new RegExp(`<p class="error" id="f-${name}-error">` +
	    `<span class="visually-hidden">Error: </span>([^<]*)</p>`));
	return m ? unescapeHtml(m[1]) : null;
}
export function errorSummary(html) {
	const m = html.match(/<div class="error-summary" role="alert"[^>]*>[\s\S]*?<\/div>/);
	return m ? unescapeHtml(m[0]) : null;
}
export function csrfOf(html) {
	const m = html.match(/name="csrf" value="([0-9a-f]{64})"/);
	return m ? m[1] : null;
}

// ------------------------------------------------------------ database

export function sql(q) {
	const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 5000',
	    DB, q], { encoding: 'utf8' });
	return out.trim() === '' ? [] : JSON.parse(out);
}
export function one(q) {
	const rows = sql(q);
	return rows.length ? Object.values(rows[0])[0] : undefined;
}
export function q(s) { return "'" + String(s).replace(/'/g, "''") + "'"; }

// Everything a request could store, table by table, from one `.dump`:
// sessions without their "seen" time (any request may refresh it), login
// failures, login waits and the mail log left out (they are counted, not
// stored data).
export function snapshot() {
	const out = execFileSync('sqlite3', ['-cmd', '.timeout 5000', DB, '.dump'],
	    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
	const tables = {};
	for (let line of out.split('\n')) {
		const m = line.match(/^INSERT INTO "?(\w+)"? /);
		if (!m || ['login_failure', 'login_wait', 'mail_log'].includes(m[1]))
			continue;
		if (m[1] === 'session') line = line.replace(/,\d+\);$/, ');');
		(tables[m[1]] ||= []).push(line);
	}
	for (const t of ['account', 'session', 'api_token', 'password_reset', 'outbox',
	    'membership', 'application', 'entry', 'transcript', 'setting'])
		tables[t] ||= [];
	return tables;
}
// Assert the store is as in snapshot `before`, naming the tables that moved.
export function unchanged(c, before, msg) {
	const after = snapshot();
	const moved = [...new Set([...Object.keys(before), ...Object.keys(after)])]
	    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
	return c.ok(moved.length === 0, `${msg}: the store changed (${moved.join(', ')})`);
}
