// Shared state and helpers of the HTTP tests: the people (U), the fixtures
// (F) and setup(), which registers them through the pages.
// Environment: HTTP_BASE (http://127.0.0.1:PORT), HTTP_DB (the server's
// SQLite file, read for assertions only), HTTP_BIN (the endorse binary),
// HTTP_ROOT (the source tree), HTTP_TMP (a scratch directory),
// HTTP_SERVER_OUT (the server's stdout: the coordinator passwords).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import {
	Client, test, same, sql, one, q,
} from '../lib/client.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const TMP = process.env.HTTP_TMP;
const TODAY = '2026-11-23';
const UNIQ = crypto.randomBytes(4).toString('hex');
// A's unique strings: no one but A (and A's coordinator) may ever see them.
const SECRET_A = `Zebra-${UNIQ}-Quokka`;
const SECRET_B = `Walrus-${UNIQ}-Ibis`;
const PW = 'correct horse battery';
const IFS_JSON = JSON.parse(fs.readFileSync(path.join(ROOT,
    'examples/ifs.json'), 'utf8'));
const GOLDEN_IFS = JSON.parse(fs.readFileSync(path.join(ROOT,
    'tests/golden/check/vaimh/IFS.json'), 'utf8'));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n');
const PDF2 = Buffer.from('%PDF-1.7\n% second transcript\n%%EOF\n');
const KINDS = ['education', 'work', 'training', 'rsc_received',
    'rsc_provided', 'leadership', 'references'];

const U = {};		// the people of the tests
const F = {};		// fixtures: ids of applications, entries, tokens

// ------------------------------------------------------------ helpers

function email(tag) { return `${tag}-${UNIQ}@example.org`; }

async function register(label, name, mail, association = '', pw = PW) {
	const u = new Client(label);
	const res = await u.submit('/register', { name, email: mail,
	    password: pw, association });
	Object.assign(u, { name, email: mail, password: pw, res });
	// A registration logs no one in (it answers a known address the
	// same way): the person logs in next.
	if (res.status === 303) u.login = await u.submit('/login',
	    { email: mail, password: pw });
	return u;
}

async function login(u, mail = u.email, pw = u.password) {
	return u.submit('/login', { email: mail, password: pw });
}

// A second, independent session of the same person.
async function fork(u, label) {
	const c = new Client(label);
	Object.assign(c, { email: u.email, password: u.password, name: u.name });
	const r = await login(c);
	if (r.status !== 303) throw new Error(`fork ${label}: login ${r.status}`);
	return c;
}

async function apiToken(mail, pw, label) {
	const r = await new Client('t').post('/api/v1/tokens',
	    { json: { email: mail, password: pw, label } });
	if (r.status !== 201) throw new Error(`token for ${mail}: ${r.status} ${r.text}`);
	return r.json().token;
}

async function newApp(u, choice) {
	const r = await u.submit('/applications', { choice });
	const m = (r.location || '').match(/^\/applications\/(\d+)$/);
	if (r.status !== 303 || !m)
		throw new Error(`new application ${choice}: ${r.status} ${r.location} ${r.text.slice(0, 300)}`);
	return Number(m[1]);
}

// Ids of the entries listed on a tab, in order.
async function entryIds(u, app, kind) {
	const r = await u.get(`/applications/${app}/tab/${kind}`);
	const ids = [...r.text.matchAll(new RegExp(
	    `href="/applications/${app}/entries/(\\d+)"`, 'g'))].map((m) => Number(m[1]));
	return [...new Set(ids)];
}

async function addEntry(u, app, kind, form) {
	const r = await u.submit(`/applications/${app}/tab/${kind}`, form);
	if (r.status !== 303) throw new Error(`add ${kind}: ${r.status} ${r.text.slice(0, 500)}`);
	const ids = await entryIds(u, app, kind);
	return ids[ids.length - 1];
}

async function upload(u, app, entry, buf, name = 'transcript.pdf', field = 'pdf') {
	return u.submitMultipart(`/applications/${app}/entries/${entry}/transcript`,
	    (fd) => fd.append(field, new Blob([buf], { type: 'application/pdf' }), name));
}

function entryData(id) {
	const d = one(`SELECT data FROM entry WHERE id = ${Number(id)}`);
	return d === undefined ? undefined : JSON.parse(d);
}

function portfolioFor(doc, assoc, cat) {
	return { ...structuredClone(doc), association: assoc, category: cat,
	    as_of: TODAY };
}

// A portfolio as the store gives it back: a reference's status is its
// rating's, "draft" until a rater answers, a degree's transcript is a PDF
// uploaded for it (none after a PUT or an import), and exams and
// endorsements held are the system's own records (none for the tests'
// applicants), whatever the document said; a provider's or rater's codes
// are "verified" only when the registry knows them (none of the tests'
// documents' people).
function asStored(doc) {
	const d = structuredClone(doc);
	if (Array.isArray(d.references))
		d.references = d.references.map((x) => ({ ...x, status: 'draft', verified: false }));
	if (Array.isArray(d.education))
		d.education = d.education.map((x) => ({ ...x, transcript: false }));
	if (Array.isArray(d.rsc_received))
		d.rsc_received = d.rsc_received.map((x) => ({ ...x, verified: false }));
	d.exam = [];
	d.endorsements = [];
	return d;
}

const PORTFOLIO_KEYS = ['membership', 'ethics_signed', 'education', 'work',
    'training', 'rsc_received', 'rsc_provided', 'leadership', 'references',
    'exam', 'endorsements'];
function portfolioPart(doc) {
	const o = {};
	for (const k of PORTFOLIO_KEYS) o[k] = doc ? doc[k] : undefined;
	return o;
}

// The answer of a denied request must carry nothing of A's.
function noLeak(c, res, what) {
	for (const s of [SECRET_A, U.A.email, U.A.name])
		c.lacks(res.text, s, `${what}: body shows A's data`);
}

function runCheck(file) {
	const p = spawnSync(BIN, ['check', '--format', 'json', '--rules',
	    path.join(ROOT, 'rules'), file], { encoding: 'utf8' });
	return { status: p.status, stdout: p.stdout, stderr: p.stderr,
	    json: (() => { try { return JSON.parse(p.stdout); } catch { return undefined; } })() };
}

// eligible and each requirement's id/met/have/need, alternatives included.
function verdicts(check) {
	const reqs = (list) => (list || []).map((r) => ({
		id: r.id, met: r.met, have: r.have, need: r.need,
		alternatives: (r.alternatives || []).map((a) => reqs(a.requirements)),
	}));
	return { eligible: check.eligible, requirements: reqs(check.requirements) };
}

// ------------------------------------------------------------ setup

async function setup() {
	await test('healthz answers 200 ok', async (c) => {
		const r = await new Client('x').get('/healthz');
		c.status(r, 200, 'GET /healthz');
		c.eq(r.text, 'ok\n', 'body');
	});
	const out = fs.readFileSync(process.env.HTTP_SERVER_OUT, 'utf8');
	const coords = {};
	for (const m of out.matchAll(/^coordinator for (\S+) created: log in as (\S+) with password (\S+) \(change it on \/account\)$/gm))
		coords[m[1]] = { email: m[2], password: m[3] };
	await test('setup: a coordinator per association was printed', (c) => {
		c.ok(coords.vaimh && coords['infancy-onward'],
		    `coordinators: ${JSON.stringify(Object.keys(coords))}`);
		c.eq(sql("SELECT association FROM account WHERE role = 'coordinator' " +
		    'ORDER BY association').map((r) => r.association),
		    ['infancy-onward', 'vaimh'], 'coordinator accounts');
	});
	U.A = await register('A', `Alice Marker-${UNIQ}`, email('alice'), 'vaimh');
	U.B = await register('B', `Bob Other-${UNIQ}`, email('bob'), 'infancy-onward');
	U.M = await register('M', `Mia Matrix-${UNIQ}`, email('mia'));
	U.cSame = new Client('cSame');
	Object.assign(U.cSame, coords.vaimh, { name: 'Coordinator' });
	U.cOther = new Client('cOther');
	Object.assign(U.cOther, coords['infancy-onward'], { name: 'Coordinator' });
	await test('setup: applicants register, coordinators log in', async (c) => {
		for (const k of ['A', 'B', 'M'])
			{ c.redirect(U[k].res, '/login?registered=1', `register ${k}`); c.redirect(U[k].login, '/dashboard', `login ${k}`); }
		for (const k of ['cSame', 'cOther'])
			c.redirect(await login(U[k]), '/coordinator', `login ${k}`);
		for (const k of ['A', 'B', 'M', 'cSame', 'cOther'])
			c.ok(U[k].cookie('endorse_session'), `${k} has a session cookie`);
	});
	for (const k of ['A', 'B', 'cSame', 'cOther', 'M'])
		U[k].token = await apiToken(U[k].email, U[k].password, `setup ${k}`);

	F.appA = await newApp(U.A, 'vaimh/IFS');
	F.eWorkA = await addEntry(U.A, F.appA, 'work', [['title', `Home Visitor ${SECRET_A}`],
	    ['employer', 'Early Steps'], ['start', '2016-01-04'], ['end', ''], ['paid', 'yes'],
	    ['supervised', 'yes'], ['ages', 'infant'], ['service', 'prevention'], ['families', '14']]);
	F.eEduA = await addEntry(U.A, F.appA, 'education', { level: 'bachelor',
	    degree: 'BSW', field: 'Social Work', institution: `Uni ${SECRET_A}`,
	    conferred: '2015-05-20' });
	F.upA = await upload(U.A, F.appA, F.eEduA, PDF);
	F.appB = await newApp(U.B, 'infancy-onward/IFS');
	F.eWorkB = await addEntry(U.B, F.appB, 'training', { title: `Course ${SECRET_B}`,
	    date: '2021-01-01', hours: '3', role: 'attended' });
	await test('setup: A and B each have an application with entries', (c) => {
		c.ok(F.appA > 0 && F.eWorkA > 0 && F.eEduA > 0, `A: ${JSON.stringify(F)}`);
		c.ok(F.appB > 0 && F.eWorkB > 0, `B: ${JSON.stringify(F)}`);
		c.redirect(F.upA, `/applications/${F.appA}/tab/education#entries`,
		    'transcript upload');
		c.eq(one(`SELECT account FROM application WHERE id = ${F.appA}`),
		    one(`SELECT id FROM account WHERE email = ${q(U.A.email)}`), 'A owns appA');
	});
}

// ------------------------------------------------------------ route table

function routeTable() {
	const table = fs.readFileSync(path.join(ROOT, 'src/routes.def'), 'utf8');
	return [...table.matchAll(/ROUTE\(\s*M_(GET|POST|PUT|DELETE),\s*"([^"]+)"/g)]
	    .map((m) => `${m[1]} ${m[2]}`);
}

export {
	setup, U, F, UNIQ, SECRET_A, SECRET_B, PW, IFS_JSON, GOLDEN_IFS, PDF, PDF2,
	KINDS, TODAY, TMP, email, register, login, fork, apiToken, newApp,
	entryIds, addEntry, upload, entryData, portfolioFor, portfolioPart,
	noLeak, runCheck, verdicts, routeTable, asStored,
};

