// The coordinator's exports (/coordinator/exports/NAME.csv and .xlsx) and
// the web import of endorsees (/coordinator/import): the CSV is RFC 4180
// (CRLF, quotes doubled) with formula-like text neutralised, the XLSX
// holds the same rows, each coordinator exports their own association
// only; the import previews every row's problems, stores nothing before
// the confirmation, and refuses a confirmation that is not the preview's.
import { spawnSync } from 'node:child_process';

import { test, sql, one, q, Client } from '../lib/client.mjs';
import { U, F, UNIQ, register, newApp } from './common.mjs';

// A strict RFC 4180 reader: records of fields, CRLF line ends; a quote
// inside an unquoted field, a bare LF between records or text after a
// closing quote is an error.
export function parseCsv(text) {
	const rows = [];
	let i = 0;
	const n = text.length;
	while (i < n) {
		const row = [];
		for (;;) {
			let f = '';
			if (text[i] === '"') {
				i++;
				for (;;) {
					if (i >= n) throw new Error('unterminated quote');
					if (text[i] === '"') {
						if (text[i + 1] === '"') { f += '"'; i += 2; continue; }
						i++;
						break;
					}
					f += text[i++];
				}
			} else {
				while (i < n && text[i] !== ',' && text[i] !== '\r') {
					if (text[i] === '"') throw new Error(`a quote inside a field at ${i}`);
					if (text[i] === '\n') throw new Error(`a bare LF at ${i}`);
					f += text[i++];
				}
			}
			row.push(f);
			if (text[i] === ',') { i++; continue; }
			if (text[i] === '\r' && text[i + 1] === '\n') { i += 2; break; }
			throw new Error(`after a field at ${i}: ${JSON.stringify(text.slice(i, i + 10))}`);
		}
		rows.push(row);
	}
	return rows;
}

// The rows of the first sheet of an XLSX (Python's zipfile): texts from
// the shared strings (_xHHHH_ escapes read), numbers as written, dates (style yyyy-mm-dd) as
// ISO days, money (#,##0.00) with two decimals.
export function readXlsx(buf) {
	const py = String.raw`
import sys, zipfile, io, re, json, datetime
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
ss = [re.sub(r'<[^>]+>', '', m) for m in re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S)]
styles = z.read('xl/styles.xml').decode()
fmts = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
xfs = re.findall(r'<xf [^>]*numFmtId="(\d+)"', styles.split('<cellXfs')[1])
sheet = z.read('xl/worksheets/sheet1.xml').decode()
def unx(s):
    s = re.sub(r'_x([0-9A-Fa-f]{4})_', lambda m: chr(int(m.group(1), 16)), s)
    return s.replace('&lt;', '<').replace('&gt;', '>').replace('&quot;', '"').replace('&amp;', '&')
def col(ref):
    n = 0
    for ch in re.match(r'[A-Z]+', ref).group(0): n = n * 26 + ord(ch) - 64
    return n - 1
rows = []
for r in re.findall(r'<row [^>]*>(.*?)</row>', sheet, re.S):
    out = []
    for attrs, body in re.findall(r'<c ([^>]*?)(?:/>|>(.*?)</c>)', r, re.S):
        ref = re.search(r'r="([A-Z]+\d+)"', attrs).group(1)
        t = re.search(r't="(\w+)"', attrs)
        s = re.search(r's="(\d+)"', attrs)
        v = re.search(r'<v>(.*?)</v>', body or '')
        if '<f>' in (body or ''): val = 'FORMULA'
        elif t and t.group(1) == 's': val = unx(ss[int(v.group(1))])
        else:
            fmt = fmts.get(xfs[int(s.group(1))], '') if s else ''
            x = float(v.group(1))
            if fmt == 'yyyy-mm-dd': val = (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(x))).isoformat()
            elif fmt == '#,##0.00': val = '%.2f' % x
            else: val = str(int(x)) if x == int(x) else str(x)
        while len(out) < col(ref): out.append('')
        out.append(val)
    rows.append(out)
print(json.dumps(rows))
`;
	const p = spawnSync('python3', ['-c', py], { input: buf, encoding: 'utf8' });
	if (p.status !== 0) throw new Error('python3: ' + p.stderr);
	return JSON.parse(p.stdout);
}

const COLS = ['id', 'name', 'email', 'category', 'status', 'started', 'submitted', 'days_in_state', 'waiting_on',
    'fee_owed', 'fee_paid'];
const NASTY = [`=cmd|' /C calc'!A0 ${UNIQ}`, `+SUM(1) ${UNIQ}`, `-2+3 ${UNIQ}`, `@A1 ${UNIQ}`];
const ROUND = `Round "Trip", ${UNIQ}\r\nsecond line`;

function rowOf(rows, id) { return rows.find((r) => r[0] === String(id)); }

export async function run() {
	// Four applicants whose names a spreadsheet would run, and one whose
	// name holds quotes, a comma and a line break (set in the store: no
	// form takes a line break in a name).
	const people = [];
	for (let i = 0; i < NASTY.length; i++) {
		const u = await register(`X${i}`, `Formula ${i} ${UNIQ}`, `formula${i}-${UNIQ}@example.org`, 'vaimh');
		const app = await newApp(u, 'vaimh/IFS');
		sql(`UPDATE account SET name = ${q(NASTY[i])} WHERE email = ${q(u.email)}`);
		people.push({ u, app, name: NASTY[i] });
	}
	sql(`UPDATE account SET name = ${q(ROUND)} WHERE email = ${q(U.A.email)}`);
	// The ledger of appA: a charge of $100, a payment of $50, a waiver of
	// $10 and a refund of $5: paid 55.00, owed 45.00.
	const acct = one(`SELECT account FROM application WHERE id = ${F.appA}`);
	for (const [kind, cents] of [['charge', 10000], ['payment', 5000], ['waiver', 1000], ['refund', 500]])
		sql(`INSERT INTO ledger (account, association, application, kind, cents, what, on_day, created) ` +
		    `VALUES (${acct}, 'vaimh', ${F.appA}, '${kind}', ${cents}, 'Processing fee ${UNIQ}', 20780, 0)`);
	const c = U.cSame;

	await test('exports: the page lists the five exports in both formats, linked from the coordinator\'s home', async (t) => {
		const r = await c.get('/coordinator/exports');
		t.status(r, 200, 'GET /coordinator/exports');
		for (const n of ['applications', 'endorsees', 'renewals', 'payments', 'history']) {
			t.has(r.text, `href="/coordinator/exports/${n}.csv"`, `${n}.csv`);
			t.has(r.text, `href="/coordinator/exports/${n}.xlsx"`, `${n}.xlsx`);
		}
		t.has((await c.get('/coordinator')).text, 'href="/coordinator/exports"', 'the link on /coordinator');
	});

	let csvRows;
	await test('exports: applications.csv has a header and one row per application of the association', async (t) => {
		const r = await c.get('/coordinator/exports/applications.csv');
		t.status(r, 200, 'GET applications.csv');
		t.eq(r.ctype, 'text/csv; charset=utf-8', 'Content-Type');
		t.ok(/^attachment; filename="vaimh-applications-\d{4}-\d{2}-\d{2}\.csv"$/.test(r.headers.get('content-disposition')),
		    `Content-Disposition: ${r.headers.get('content-disposition')}`);
		t.ok(r.text.endsWith('\r\n'), 'CRLF at the end');
		try { csvRows = parseCsv(r.text); } catch (e) { t.fail(`a strict CSV parse: ${e.message}`); return; }
		t.eq(csvRows[0], COLS, 'the header row');
		const ids = sql("SELECT id FROM application WHERE association = 'vaimh' ORDER BY id").map((x) => String(x.id));
		t.eq(csvRows.slice(1).map((x) => x[0]), ids, 'one row per application of vaimh, in order');
		t.ok(csvRows.every((x) => x.length === COLS.length), 'every row has every column');
		t.ok(!rowOf(csvRows, F.appB), 'no application of infancy-onward');
	});

	await test('exports: a name beginning with =, +, - or @ comes out after an apostrophe', (t) => {
		if (!csvRows) return t.fail('no CSV');
		for (const p of people) {
			const row = rowOf(csvRows, p.app);
			t.eq(row && row[1], "'" + p.name, `application ${p.app}`);
		}
	});

	await test('exports: quotes, a comma and a line break round-trip; the ledger\'s fees; ISO dates', (t) => {
		if (!csvRows) return t.fail('no CSV');
		const row = rowOf(csvRows, F.appA);
		t.eq(row && row[1], ROUND, 'the name as stored');
		t.eq(row && row[2], U.A.email, 'email');
		t.eq(row && row.slice(3, 5), ['IFS', 'draft'], 'category, status');
		t.ok(row && /^\d{4}-\d{2}-\d{2}$/.test(row[5]), `started as YYYY-MM-DD: ${row && row[5]}`);
		t.eq(row && row[6], '', 'submitted: empty for a draft');
		t.eq(row && row.slice(9), ['45.00', '55.00'], 'fee_owed and fee_paid from the ledger');
	});

	await test('exports: days_in_state from the store, waiting_on by the work queue\'s rule', async (t) => {
		if (!csvRows) return t.fail('no CSV');
		const apps = sql("SELECT id, status, coalesce(state_since, updated) AS since FROM application WHERE association = 'vaimh'");
		const words = ['nobody', 'applicant', 'rater', 'reviewer', 'exam', 'coordinator', 'payment'];
		for (const a of apps) {
			const row = rowOf(csvRows, a.id);
			if (!row) { t.fail(`no row for ${a.id}`); continue; }
			t.ok(words.includes(row[8]), `application ${a.id}: waiting_on is a word of the queue: ${row[8]}`);
			if (a.status === 'endorsed' || a.status === 'denied')
				t.eq(row[8], 'nobody', `application ${a.id} (${a.status}) waits on nobody`);
			t.ok(/^\d+$/.test(row[7]), `application ${a.id}: days_in_state a whole number: ${row[7]}`);
		}
		t.eq(rowOf(csvRows, F.appA)?.[8], 'applicant', 'a draft with requirements unmet waits on its applicant');
		// Moved back 40 days in its state: the export says 40 more.
		const before = Number(rowOf(csvRows, F.appA)?.[7]);
		sql(`UPDATE application SET state_since = state_since - 40 * 86400 WHERE id = ${F.appA}`);
		const again = parseCsv((await U.cSame.get('/coordinator/exports/applications.csv')).text);
		t.eq(Number(rowOf(again, F.appA)?.[7]), before + 40, 'days_in_state follows state_since');
		sql(`UPDATE application SET state_since = state_since + 40 * 86400 WHERE id = ${F.appA}`);
		// The queue page says the same of it.
		const q = await U.cSame.get(`/coordinator?q=${encodeURIComponent(U.A.email)}`);
		t.has(q.text, `/coordinator/applications/${F.appA}`, 'the queue lists it');
	});

	await test('exports: applications.xlsx opens with zipfile and holds the same rows', async (t) => {
		const r = await c.get('/coordinator/exports/applications.xlsx');
		t.status(r, 200, 'GET applications.xlsx');
		t.eq(r.ctype, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Content-Type');
		t.ok(/^attachment; filename="vaimh-applications-\d{4}-\d{2}-\d{2}\.xlsx"$/.test(r.headers.get('content-disposition')),
		    'Content-Disposition');
		let rows;
		try { rows = readXlsx(r.buf); } catch (e) { t.fail(e.message); return; }
		if (!csvRows) return t.fail('no CSV');
		// The CSV's apostrophe is the CSV's own: an XLSX text cell is
		// never a formula.
		const want = csvRows.map((row) => row.map((v) => /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v));
		t.eq(rows, want, 'the same rows as the CSV');
		t.ok(!rows.flat().includes('FORMULA'), 'no formula cell');
	});

	await test('exports: endorsees, renewals, payments and history are CSV and XLSX with their headers', async (t) => {
		const heads = {
			endorsees: 'number,name,email,category,since,status,city,hidden,emerging_until',
			renewals: 'id,number,name,category,cycle,status,attested,cure_by,changed',
			payments: 'id,date,kind,amount,name,email,application,what,method,reference,reason,recorded_by',
			history: 'id,at,what,row,application,action,actor,detail',
		};
		for (const [n, h] of Object.entries(heads)) {
			const r = await c.get(`/coordinator/exports/${n}.csv`);
			t.status(r, 200, `${n}.csv`);
			t.eq(r.text.split('\r\n')[0], h, `${n}: header`);
			const x = await c.get(`/coordinator/exports/${n}.xlsx`);
			t.status(x, 200, `${n}.xlsx`);
			t.eq(x.buf.subarray(0, 2).toString(), 'PK', `${n}.xlsx is a zip`);
		}
		const pay = parseCsv((await c.get('/coordinator/exports/payments.csv')).text);
		t.eq(pay.filter((x) => x[7] === `Processing fee ${UNIQ}`).map((x) => `${x[2]} ${x[3]} ${x[6]}`),
		    [`charge 100.00 ${F.appA}`, `payment 50.00 ${F.appA}`, `waiver 10.00 ${F.appA}`, `refund 5.00 ${F.appA}`],
		    'the ledger\'s lines, dollars, the application');
		t.ok(pay.slice(1).every((x) => x[1] === '2026-11-23'), 'dates as ISO days');
		const hist = parseCsv((await c.get('/coordinator/exports/history.csv')).text);
		t.ok(hist.some((x) => x[2] === 'application' && x[3] === String(F.appA)), 'history: a row of appA');
		t.ok(!hist.some((x) => x[4] === String(F.appB)), 'history: nothing of infancy-onward\'s appB');
		t.ok(hist.slice(1).every((x) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(x[1])), 'ISO times');
	});

	await test('exports: another association\'s coordinator gets their own rows, an applicant 403, unknown 404', async (t) => {
		const o = await U.cOther.get('/coordinator/exports/applications.csv');
		t.status(o, 200, 'cOther');
		const rows = parseCsv(o.text);
		t.ok(!rowOf(rows, F.appA), 'no application of vaimh');
		t.ok(!!rowOf(rows, F.appB), 'their own application');
		t.lacks(o.text, UNIQ + '\r\nsecond', 'not A\'s name');
		for (const p of ['/coordinator/exports', '/coordinator/exports/applications.csv', '/coordinator/exports/applications.xlsx']) {
			const r = await U.A.get(p);
			t.ok(r.status === 403 || r.status === 404, `applicant ${p}: ${r.status}`);
			t.lacks(r.text, U.A.email + ',', `applicant ${p}: no row`);
		}
		const anon = await new Client('anon').get('/coordinator/exports/applications.csv');
		t.ok(anon.status === 303 || anon.status === 403 || anon.status === 401, `anonymous: ${anon.status}`);
		for (const p of ['people.csv', 'applications.pdf', 'applications', '..%2Fapplications.csv', 'applications.csv.csv'])
			t.status(await c.get(`/coordinator/exports/${p}`), 404, p);
	});

	await importTests();
}

const H = 'number,name,email,category,since,status,city';

async function uploadCsv(c, text, name = 'endorsees.csv') {
	return c.submitMultipart('/coordinator/import', (fd) =>
	    fd.append('csv', new Blob([text], { type: 'text/csv' }), name));
}

function hidden(html, name) {
	const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
	return m ? m[1].replace(/&#43;/g, '+').replace(/&#x2B;/gi, '+').replace(/&#61;/g, '=').replace(/&amp;/g, '&') : undefined;
}

async function importTests() {
	const c = U.cSame;
	const n = (k) => `W${UNIQ}-${k}`;
	const good = [H,
	    `${n(1)},"Wren, Ada ${UNIQ}",wren-${UNIQ}@example.org,IFS,2019-04-01,active,Richmond`,
	    `${n(2)},Olu ${UNIQ},olu-${UNIQ}@example.org,ERS,2020-01-02,lapsed,"Norfolk"`].join('\r\n') + '\r\n';
	const bad = [H,
	    `${n(3)},Ok ${UNIQ},ok-${UNIQ}@example.org,IFS,2019-04-01,active,Richmond`,
	    `${n(3)},,not-an-address,IFZ,2019-13-01,gone,Richmond`,
	    'too,few'].join('\r\n') + '\r\n';
	const stored = () => one(`SELECT count(*) FROM endorsement WHERE number LIKE ${q(`W${UNIQ}-%`)}`);
	const mails = () => one(`SELECT count(*) FROM outbox WHERE recipient LIKE ${q(`%-${UNIQ}@example.org`)} AND subject LIKE 'Your endorsement W%'`);

	await test('import: the form takes a CSV file; none chosen is an error by the field', async (t) => {
		const r = await c.get('/coordinator/import');
		t.status(r, 200, 'GET /coordinator/import');
		t.has(r.text, 'enctype="multipart/form-data"', 'an upload form');
		t.has(r.text, 'name="csv"', 'the file field');
		const e = await c.submitMultipart('/coordinator/import', () => {});
		t.status(e, 400, 'no file');
		t.has(e.text, 'id="f-csv-error"', 'the error beside the field');
		t.has(e.text, 'choose the CSV file of endorsees to import', 'in words');
		const h = await uploadCsv(c, 'a,b\r\n1,2\r\n');
		t.status(h, 400, 'a wrong header');
		t.has(h.text, 'line 1 of the file: the first line must be number,name,email,category,since,status,city', 'said');
		t.status(await U.A.submitMultipart('/coordinator/import', () => {}), 403, 'an applicant');
	});

	await test('import: the preview shows each row\'s problems in words and stores nothing', async (t) => {
		const r = await uploadCsv(c, bad, 'bad.csv');
		t.status(r, 400, 'a file with problems');
		for (const s of ['email &quot;not-an-address&quot; is not an e-mail address',
		    'name is empty', 'category &quot;IFZ&quot; is not a category of vaimh',
		    'since &quot;2019-13-01&quot; is not a date (YYYY-MM-DD)',
		    'status &quot;gone&quot; is not active, lapsed, revoked or inactive',
		    `number &quot;${n(3)}&quot; is also on line 2`,
		    '2 fields, expected 7 (number,name,email,category,since,status,city)'])
			t.has(r.text, s, s);
		t.has(r.text, 'id="line-2"', 'the right row is listed too');
		t.lacks(r.text, '/coordinator/import/confirm', 'no import button');
		t.eq(stored(), 0, 'nothing stored');
	});

	let form;
	await test('import: a right file is previewed, nothing stored before the confirmation', async (t) => {
		const r = await uploadCsv(c, good, 'good.csv');
		t.status(r, 200, 'preview');
		t.has(r.text, `Wren, Ada ${UNIQ}`, 'row 1');
		t.has(r.text, 'Import 2 endorsees', 'the button');
		form = { text: hidden(r.text, 'text'), digest: hidden(r.text, 'digest'), name: hidden(r.text, 'name') };
		t.ok(form.text && form.digest && form.name === 'good.csv', `the form: ${JSON.stringify(form).slice(0, 200)}`);
		t.eq(stored(), 0, 'nothing stored');
		t.eq(mails(), 0, 'no mail');
	});

	await test('import: a tampered confirmation is refused and stores nothing', async (t) => {
		if (!form) return t.fail('no preview');
		const other = Buffer.from(good.replace('Olu', 'Eve')).toString('base64');
		let r = await c.submit('/coordinator/import/confirm', { ...form, text: other });
		t.status(r, 400, 'another text, the same digest');
		t.has(r.text, 'the file to import is not the one previewed in this session', 'said');
		r = await c.submit('/coordinator/import/confirm', { ...form, name: 'other.csv' });
		t.status(r, 400, 'another name');
		r = await c.submit('/coordinator/import/confirm', { ...form, digest: '0'.repeat(64) });
		t.status(r, 400, 'another digest');
		r = await U.cOther.submit('/coordinator/import/confirm', form);
		t.status(r, 400, 'another coordinator\'s session');
		t.eq(stored(), 0, 'nothing stored');
	});

	await test('import: the confirmation stores the rows and queues an invitation each', async (t) => {
		if (!form) return t.fail('no preview');
		const r = await c.submit('/coordinator/import/confirm', form);
		t.redirect(r, '/coordinator/import?imported=2', 'stored');
		t.eq(stored(), 2, 'two endorsements');
		t.eq(one(`SELECT group_concat(association || ' ' || name, ';') FROM (SELECT * FROM endorsement WHERE number LIKE ${q(`W${UNIQ}-%`)} ORDER BY number)`),
		    `vaimh Wren, Ada ${UNIQ};vaimh Olu ${UNIQ}`, 'as previewed');
		t.eq(mails(), 2, 'an invitation each');
		t.eq(one(`SELECT count(*) FROM outbox WHERE recipient = ${q(`wren-${UNIQ}@example.org`)} AND secret = 1 AND body LIKE '%/reset/%'`), 1,
		    'with a claim link');
		t.has((await c.get(r.location)).text, '2 endorsements imported', 'said on the form');
		const again = await c.submit('/coordinator/import/confirm', form);
		t.status(again, 409, 'the same confirmation twice');
		t.has(again.text, 'is already in the registry', 'the numbers are taken now');
		t.eq(stored(), 2, 'still two');
	});
}
