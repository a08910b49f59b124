// Open Badges 3.0 credentials (issue 19, docs/credentials.md): endorsees
// imported with `endorse import endorsees` get a VC-JWT that the npm
// `jose` package (an independent JWS implementation) verifies with the key
// from the served JWKS and from the association's did:web document; the
// credential passes the OB3 fields of tests/http/ob3-schema.json; the
// status lists' bits follow the endorsement's status; /verify and
// `endorse verify` accept a good credential and refuse a tampered one, a
// wrong key, an expired one and a revoked one with the reason in words.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import * as jose from 'jose';

import { Client, test, sql, one, q, DB, BASE } from '../lib/client.mjs';
import { ownServer } from '../lib/own.mjs';
import { UNIQ, TMP, U } from './common.mjs';

const ROOT = process.env.HTTP_ROOT;
const BIN = process.env.HTTP_BIN;
const num = (n) => `VC${UNIQ}-${n}`;
const R = {
	good: { number: num(1), name: `Vera ${UNIQ} Credent`, email: `vera-${UNIQ}@example.org`, category: 'IFS', since: '2019-04-01', status: 'active' },
	later: { number: num(2), name: `Lapse ${UNIQ} Later`, email: `lapse-${UNIQ}@example.org`, category: 'IFA', since: '2020-02-03', status: 'active' },
	revoked: { number: num(3), name: `Revo ${UNIQ} Ked`, email: `revo-${UNIQ}@example.org`, category: 'IFA', since: '2018-05-06', status: 'revoked' },
	hidden: { number: num(4), name: `Hid ${UNIQ} Den`, email: `hid-${UNIQ}@example.org`, category: 'IFA', since: '2021-06-30', status: 'active' },
};
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/http/ob3-schema.json'), 'utf8'));

// The few keywords ob3-schema.json uses ("contains": every listed word).
function validate(s, v, at = '$') {
	const errs = [];
	if (s.const !== undefined && v !== s.const) errs.push(`${at}: not ${s.const}`);
	if (s.enum && !s.enum.includes(v)) errs.push(`${at}: not one of ${s.enum}`);
	if (s.type === 'object' && (typeof v !== 'object' || v === null || Array.isArray(v))) return [`${at}: not an object`];
	if (s.type === 'array' && !Array.isArray(v)) return [`${at}: not an array`];
	if (s.type === 'string' && typeof v !== 'string') return [`${at}: not a string`];
	if (s.type === 'boolean' && typeof v !== 'boolean') return [`${at}: not a boolean`];
	if (s.pattern && !new RegExp(s.pattern).test(v)) errs.push(`${at}: ${v} does not match ${s.pattern}`);
	for (const k of s.required || []) if (!(k in v)) errs.push(`${at}.${k}: missing`);
	for (const [k, sub] of Object.entries(s.properties || {}))
		if (v && k in v) errs.push(...validate(sub, v[k], `${at}.${k}`));
	if (s.minItems && v.length < s.minItems) errs.push(`${at}: fewer than ${s.minItems}`);
	(s.prefixItems || []).forEach((sub, i) => errs.push(...validate(sub, v[i], `${at}[${i}]`)));
	for (const w of s.contains || []) if (!v.includes(w)) errs.push(`${at}: lacks ${w}`);
	if (s.items) v.forEach((x, i) => errs.push(...validate(s.items, x, `${at}[${i}]`)));
	return errs;
}

function bit(list, index) {
	const bits = zlib.gunzipSync(Buffer.from(list.credentialSubject.encodedList, 'base64url'));
	return { len: bits.length, set: (bits[Math.floor(index / 8)] & (0x80 >> (index % 8))) !== 0 };
}

function verifyCli(file, ...more) {
	return spawnSync(BIN, ['verify', file, ...more], { encoding: 'utf8' });
}

export async function run() {
	const anon = new Client('vc-public');
	await test('vc: endorsees imported (one revoked by the CSV) and every association has a signing key', async (c) => {
		const lines = ['number,name,email,category,since,status,city'];
		for (const e of Object.values(R))
			lines.push([e.number, e.name, e.email, e.category, e.since, e.status, 'Richmond'].join(','));
		const file = path.join(TMP, 'vc.csv');
		fs.writeFileSync(file, lines.join('\n') + '\n');
		const p = spawnSync(BIN, ['import', 'endorsees', '--db', DB, '--association', 'vaimh',
		    '--rules', path.join(ROOT, 'rules'), file], { encoding: 'utf8' });
		c.eq(p.status, 0, `import exit (stderr ${p.stderr})`);
		sql(`UPDATE endorsement SET hidden = 1 WHERE number = ${q(R.hidden.number)}`);
		c.eq(one(`SELECT count(DISTINCT association) FROM vc_key`), 2, 'a key per association');
	});

	let jwks, did, jwt, cred, id;
	await test('vc: the JWKS and the did:web document publish the keys, each with its kid', async (c) => {
		const r = await anon.get('/.well-known/jwks.json');
		c.status(r, 200, 'jwks');
		jwks = r.json();
		c.ok(jwks.keys.length >= 2 && jwks.keys.every((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && k.kid && k.x), 'Ed25519 keys with kid');
		const d = await anon.get('/associations/vaimh/did.json');
		c.status(d, 200, 'did.json');
		did = d.json();
		c.eq(did.id, `did:web:${new URL(BASE).host.replace(':', '%3A')}:associations:vaimh`, 'the did:web of BASE/associations/vaimh');
		c.ok(did.verificationMethod.every((m) => m.id.startsWith(did.id + '#') && m.publicKeyJwk.x), 'methods under the DID');
		c.status(await anon.get('/associations/nosuch/did.json'), 404, 'unknown association');
	});

	await test('vc: GET /api/v1/credentials/NUMBER is a VC-JWT that jose verifies with the JWKS and the did.json key', async (c) => {
		const r = await anon.get(`/api/v1/credentials/${R.good.number}`);
		c.status(r, 200, 'credential');
		c.eq((r.headers?.get?.('content-type') || r.ctype || ''), 'application/vc+jwt', 'content type');
		jwt = r.text.trim();
		const { payload, protectedHeader } = await jose.jwtVerify(jwt, jose.createLocalJWKSet(jwks));
		c.eq(protectedHeader.alg, 'EdDSA', 'alg');
		c.eq(protectedHeader.typ, 'vc+jwt', 'typ');
		const m = did.verificationMethod.find((x) => x.id === protectedHeader.kid);
		c.ok(m, 'the kid is a verification method of the issuer DID');
		if (m) await jose.compactVerify(jwt, await jose.importJWK(m.publicKeyJwk, 'EdDSA'));
		cred = payload;
		c.eq(cred.issuer.id, did.id, 'issuer is the association DID');
		c.eq(cred.credentialSubject.name, R.good.name, 'subject name');
		c.eq(cred.credentialSubject.achievement.achievementType, 'Certification', 'achievementType');
		c.eq(cred.validFrom, '2019-04-01T00:00:00Z', 'validFrom = date endorsed');
		// vaimh: 'cycle 3 years from 2024', so on 2026-11-23 the cycle ends 2027.
		c.eq(cred.validUntil, '2027-12-31T23:59:59Z', 'validUntil the end of the renewal cycle');
		c.lacks(JSON.stringify(cred), R.good.email, 'the e-mail only hashed');
		c.eq(validate(SCHEMA, cred), [], 'OB3 schema');
		id = Number(one(`SELECT id FROM endorsement WHERE number = ${q(R.good.number)}`));
		c.eq(cred.credentialStatus.map((s) => s.statusListIndex), [String(id), String(id)], 'index = the endorsement id');
		// Refusals of the schema check itself.
		c.ok(validate(SCHEMA, { ...cred, issuer: { id: 'x' } }).length > 0, 'a bad issuer fails the schema');
		c.status(await anon.get(`/api/v1/credentials/${R.hidden.number}`), 404, 'hidden: 404');
		c.status(await anon.get(`/api/v1/credentials/NOPE-${UNIQ}`), 404, 'unknown: 404');
	});

	const lists = async (c) => {
		const out = {};
		for (const p of ['revocation', 'suspension']) {
			const r = await anon.get(`/associations/vaimh/status/${p}.jwt`);
			c.status(r, 200, `${p} list`);
			out[p] = (await jose.jwtVerify(r.text.trim(), jose.createLocalJWKSet(jwks))).payload;
			out[p + 'Jwt'] = r.text.trim();
		}
		return out;
	};
	const idOf = (n) => Number(one(`SELECT id FROM endorsement WHERE number = ${q(n)}`));
	await test('vc: the status lists (gzip, 16 KB) set the bits of a lapse, clear them on reinstatement, and of the CSV revocation', async (c) => {
		let L = await lists(c);
		c.eq(bit(L.suspension, idOf(R.later.number)).len, 16384, '16 KB uncompressed');
		c.eq(bit(L.suspension, idOf(R.later.number)).set, false, 'active: suspension bit clear');
		c.eq(bit(L.revocation, idOf(R.revoked.number)).set, true, 'revoked by the import: revocation bit set');
		c.eq(bit(L.revocation, idOf(R.good.number)).set, false, 'active: revocation bit clear');
		sql(`UPDATE endorsement SET status = 'lapsed' WHERE number = ${q(R.later.number)}`);
		L = await lists(c);
		c.eq(bit(L.suspension, idOf(R.later.number)).set, true, 'lapsed: suspension bit set');
		sql(`UPDATE endorsement SET status = 'active' WHERE number = ${q(R.later.number)}`);
		L = await lists(c);
		c.eq(bit(L.suspension, idOf(R.later.number)).set, false, 'reinstated: clear again');
	});

	await test('vc: /verify says valid for the credential pasted, and refuses tampered, wrong-key and revoked ones in words', async (c) => {
		let r = await anon.submit('/verify', { credential: jwt });
		c.status(r, 200, 'verify good');
		c.has(r.text, '<strong>Valid</strong>', 'valid');
		c.has(r.text, 'Virginia', 'by the association');
		const [h, p, s] = jwt.split('.');
		const bad = JSON.parse(Buffer.from(p, 'base64url'));
		bad.credentialSubject.name = 'Mallory';
		r = await anon.submit('/verify', { credential: [h, Buffer.from(JSON.stringify(bad)).toString('base64url'), s].join('.') });
		c.has(r.text, 'it was changed after it was signed', 'tampered');
		const { privateKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519' });
		const forged = await new jose.CompactSign(Buffer.from(JSON.stringify(cred)))
		    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: JSON.parse(Buffer.from(h, 'base64url')).kid }).sign(privateKey);
		r = await anon.submit('/verify', { credential: forged });
		c.has(r.text, 'Not valid', 'wrong key');
		c.has(r.text, 'signed with another key', 'wrong key in words');
		const unk = await new jose.CompactSign(Buffer.from(JSON.stringify(cred)))
		    .setProtectedHeader({ alg: 'EdDSA', kid: 'did:web:evil#k' }).sign(privateKey);
		r = await anon.submit('/verify', { credential: unk });
		c.has(r.text, 'no association publishes', 'unknown key');
		const rv = (await anon.get(`/api/v1/credentials/${R.revoked.number}`)).text.trim();
		r = await anon.submit('/verify', { credential: rv });
		c.has(r.text, 'has revoked this credential', 'revoked');
		r = await anon.submit('/verify', { credential: JSON.stringify({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: 'data:application/vc+jwt,' + jwt }) });
		c.has(r.text, '<strong>Valid</strong>', 'the JSON envelope');
		r = await anon.submit('/verify', { credential: 'hello' });
		c.status(r, 400, 'not a credential');
		c.has(r.text, 'id="f-credential-error"', 'error by the field');
		r = await anon.submit('/verify', { credential: '' });
		c.status(r, 400, 'empty');
		r = await anon.submitMultipart('/verify', (fd) => fd.append('file', new Blob([jwt]), 'x.jwt'));
		c.has(r.text, '<strong>Valid</strong>', 'uploaded file');
	});

	await test('vc: /verify on a server past the cycle says the credential expired', async (c) => {
		// The same base URL: the keys' ids are under its did:web.
		const config = path.join(TMP, 'vc-later.conf');
		fs.writeFileSync(config, `base_url = ${BASE}\n`);
		const srv = await ownServer({ name: 'vc-later', bin: BIN, root: ROOT, db: DB, rules: path.join(ROOT, 'rules'), config,
		    env: { ...process.env, ENDORSE_NOW: '2028-02-01' } });
		try {
			const r = await new Client('vc-later', srv.base).submit('/verify', { credential: jwt });
			c.status(r, 200, 'verify');
			c.has(r.text, 'expired on December 31, 2027', 'expired in words');
		} finally { await srv.stop(); }
	});

	await test('vc: `endorse verify` offline: 0 valid, 1 tampered / wrong key / expired / revoked with the reason, 2 bad input', async (c) => {
		const d = path.join(TMP, 'vc');
		fs.mkdirSync(d, { recursive: true });
		const f = (n, s) => { fs.writeFileSync(path.join(d, n), s); return path.join(d, n); };
		const J = f('jwks.json', JSON.stringify(jwks));
		const L = await lists(c);
		const S = ['--status', f('rev.jwt', L.revocationJwt), '--status', f('sus.jwt', L.suspensionJwt)];
		let p = verifyCli(f('good.jwt', jwt), '--jwks', J, ...S);
		c.eq(p.status, 0, `good exit (${p.stdout}${p.stderr})`);
		c.has(p.stdout, 'valid: signed by', 'good words');
		const [h, pl, s] = jwt.split('.');
		const t = JSON.parse(Buffer.from(pl, 'base64url'));
		t.validUntil = '2099-12-31T23:59:59Z';
		p = verifyCli(f('bad.jwt', [h, Buffer.from(JSON.stringify(t)).toString('base64url'), s].join('.')), '--jwks', J);
		c.eq(p.status, 1, 'tampered exit');
		c.has(p.stdout, 'changed after it was signed', 'tampered words');
		p = verifyCli(path.join(d, 'good.jwt'), '--jwks', J, '--date', '2028-01-05');
		c.eq(p.status, 1, 'expired exit');
		c.has(p.stdout, 'expired on December 31, 2027', 'expired words');
		const rv = (await anon.get(`/api/v1/credentials/${R.revoked.number}`)).text.trim();
		p = verifyCli(f('rev-cred.jwt', rv), '--jwks', J, ...S);
		c.eq(p.status, 1, 'revoked exit');
		c.has(p.stdout, 'revoked', 'revoked words');
		p = verifyCli(path.join(d, 'good.jwt'), '--jwks', f('other.json', JSON.stringify({ keys: [] })));
		c.eq(p.status, 1, 'no such key exit');
		c.has(p.stdout, 'no association publishes', 'wrong key words');
		p = verifyCli(path.join(d, 'good.jwt'), '--jwks', J, '--date', 'soon');
		c.eq(p.status, 2, 'bad date exit');
		c.has(p.stderr, '--date', 'names the field');
		p = verifyCli(f('junk.jwt', 'junk'), '--jwks', J);
		c.eq(p.status, 2, 'not a credential exit');
	});

	await test('vc: the holder downloads the credential (.jwt, and .json as an EnvelopedVerifiableCredential); nobody else', async (c) => {
		sql(`UPDATE endorsement SET account = (SELECT id FROM account WHERE email = ${q(U.A.email)}) WHERE number = ${q(R.good.number)}`);
		const dash = await U.A.get('/dashboard');
		c.has(dash.text, `/endorsements/${R.good.number}/credential.jwt`, 'the dashboard offers it');
		let r = await U.A.get(`/endorsements/${R.good.number}/credential.jwt`);
		c.status(r, 200, 'jwt');
		await jose.jwtVerify(r.text.trim(), jose.createLocalJWKSet(jwks));
		r = await U.A.get(`/endorsements/${R.good.number}/credential.json`);
		c.status(r, 200, 'json');
		c.eq(r.json().type, 'EnvelopedVerifiableCredential', 'enveloped');
		// The certificate's QR code stays the /verify page; the credential's
		// address is printed above it.
		const pdf = await U.A.get(`/endorsements/${R.good.number}/certificate.pdf`);
		c.status(pdf, 200, 'certificate');
		const words = spawnSync('pdftotext', ['-', '-'], { input: pdf.buf, encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
		c.has(words, `Signed credential: ${BASE}/api/v1/credentials/${R.good.number}`, 'the certificate prints the credential URL');
		c.status(await U.B.get(`/endorsements/${R.good.number}/credential.jwt`), 404, 'another person: 404');
		c.status(await U.cOther.get(`/endorsements/${R.good.number}/credential.json`), 404, 'another association: 404');
	});

	await test('vc: `endorse keys rotate` makes a new key; the old credential still verifies, new ones use the new kid', async (c) => {
		let p = spawnSync(BIN, ['keys', 'rotate', '--db', DB, '--rules', path.join(ROOT, 'rules')], { encoding: 'utf8' });
		c.eq(p.status, 2, 'no --association: exit 2');
		c.has(p.stderr, '--association', 'names the field');
		p = spawnSync(BIN, ['keys', 'rotate', '--association', 'nosuch', '--db', DB, '--rules', path.join(ROOT, 'rules')], { encoding: 'utf8' });
		c.eq(p.status, 2, 'unknown association: exit 2');
		p = spawnSync(BIN, ['keys', 'rotate', '--association', 'vaimh', '--db', DB, '--rules', path.join(ROOT, 'rules')], { encoding: 'utf8' });
		c.eq(p.status, 0, `rotate (${p.stderr})`);
		const k2 = (await anon.get('/.well-known/jwks.json')).json();
		c.eq(k2.keys.length, jwks.keys.length + 1, 'the old key stays published');
		await jose.jwtVerify(jwt, jose.createLocalJWKSet(k2));
		const nj = (await anon.get(`/api/v1/credentials/${R.good.number}`)).text.trim();
		c.ok(jose.decodeProtectedHeader(nj).kid !== jose.decodeProtectedHeader(jwt).kid, 'a new kid signs');
		const r = await anon.submit('/verify', { credential: jwt });
		c.has(r.text, '<strong>Valid</strong>', 'the old credential still valid');
	});
}
