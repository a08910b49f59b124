// People and records that several suites make the same way on a
// tests/lib/server.mjs server: a person with an account and an API token,
// a fresh login, completed ratings.

// Completed ratings of an application, stored as a rater's answer through
// the link would be (a reference counts only through its rating): answered
// 20 days before `at`, valid 20 days after it.
export function completedRatings(srv, app, key, refs, at) {
	const { sql, q } = srv.lib;
	for (const [i, ref] of refs.entries())
		sql(`INSERT INTO rating (application, email, name, relationship, ` +
		    `hash, status, expires, sent, answered, answers) VALUES ` +
		    `(${app}, ${q(ref.email)}, ${q(ref.name)}, ` +
		    `${q(ref.relationship)}, ${q(`${key}-${i}`)}, 'completed', ` +
		    `${at + 86400 * 20}, ${at - 86400 * 30}, ${at - 86400 * 20}, '{}')`);
}

// The transcripts of application app as an upload of each degree's PDF
// would store them: a degree counts as having one only through its file,
// whatever a document's "transcript" flag said; doc's flags say which.
export function uploadedTranscripts(srv, app, doc, at) {
	const { sql } = srv.lib;
	const ids = sql(`SELECT id FROM entry WHERE application = ${app} AND kind = 'education' ` +
	    'ORDER BY id').map((r) => r.id);
	for (const [i, e] of (doc.education || []).entries())
		if (e.transcript === true && ids[i] !== undefined)
			sql('INSERT INTO transcript (entry, filename, size, pdf, created) VALUES ' +
			    `(${ids[i]}, 'transcript.pdf', 9, CAST('%PDF-1.4\n' AS BLOB), ${at})`);
}

// A person with an account (made through the API) and a session.
export async function person(srv, name, email, pw = 'correct horse battery') {
	const { Client } = srv.lib;
	const u = new Client(name);
	Object.assign(u, { name, email, password: pw });
	const r = await u.post('/api/v1/accounts', { json: { name, email,
	    password: pw } });
	if (r.status !== 201) throw new Error(`account ${email}: ${r.status} ${r.text}`);
	const t = await u.post('/api/v1/tokens', { json: { email, password: pw,
	    label: 'renewal tests' } });
	if (t.status !== 201) throw new Error(`token ${email}: ${t.status} ${t.text}`);
	u.token = t.json().token;
	return u;
}

// Log in again (a restart at a later date has expired the session).
export async function relogin(u) {
	u.jar.clear();
	const r = await u.submit('/login', { email: u.email, password: u.password });
	if (r.status !== 303) throw new Error(`login ${u.email}: ${r.status} ${r.text.slice(0, 300)}`);
	return r;
}
