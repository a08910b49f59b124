-- Endorse schema, version 1.  Migrations are applied in order on start,
-- each in one transaction; PRAGMA user_version records the last applied.
-- Dates are TEXT 'YYYY-MM-DD'; times are INTEGER seconds since the epoch.

CREATE TABLE account (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name		TEXT NOT NULL,
	pwhash		TEXT NOT NULL,
	role		TEXT NOT NULL DEFAULT 'applicant'
			CHECK (role IN ('applicant', 'coordinator')),
	association	TEXT,
	created		INTEGER NOT NULL
);

-- A session is found by the hash of its cookie, never by the cookie.
CREATE TABLE session (
	id		TEXT PRIMARY KEY,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	csrf		TEXT NOT NULL,
	created		INTEGER NOT NULL,
	seen		INTEGER NOT NULL
);
CREATE INDEX session_account ON session (account);

CREATE TABLE api_token (
	id		INTEGER PRIMARY KEY,
	hash		TEXT NOT NULL UNIQUE,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	label		TEXT NOT NULL,
	created		INTEGER NOT NULL
);
CREATE INDEX api_token_account ON api_token (account);

CREATE TABLE password_reset (
	hash		TEXT PRIMARY KEY,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	expires		INTEGER NOT NULL,
	used		INTEGER
);

CREATE TABLE login_failure (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL COLLATE NOCASE,
	ip		TEXT NOT NULL,
	at		INTEGER NOT NULL
);
CREATE INDEX login_failure_email ON login_failure (email, at);
CREATE INDEX login_failure_ip ON login_failure (ip, at);

-- Outgoing mail.  Until SMTP delivery exists every message stays queued
-- here; a coordinator sees their association's, `endorse outbox` all.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	recipient	TEXT NOT NULL,
	subject		TEXT NOT NULL,
	body		TEXT NOT NULL,
	association	TEXT,
	secret		INTEGER NOT NULL DEFAULT 0,
	status		TEXT NOT NULL DEFAULT 'queued',
	created		INTEGER NOT NULL
);

CREATE TABLE membership (
	id		INTEGER PRIMARY KEY,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	association	TEXT NOT NULL,
	term		TEXT,
	start		TEXT NOT NULL,
	end		TEXT,		-- NULL: ongoing
	created		INTEGER NOT NULL
);
CREATE INDEX membership_account ON membership (account, association);

CREATE TABLE application (
	id		INTEGER PRIMARY KEY,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	association	TEXT NOT NULL,
	category	TEXT NOT NULL,
	status		TEXT NOT NULL DEFAULT 'draft',
	ethics_signed	TEXT,
	-- Parts of the portfolio no tab edits yet (exam, endorsements held):
	-- a JSON object kept as imported.
	extra		TEXT NOT NULL DEFAULT '{}',
	created		INTEGER NOT NULL,
	updated		INTEGER NOT NULL
);
CREATE INDEX application_account ON application (account);
CREATE INDEX application_association ON application (association);

-- One portfolio entry: kind is the portfolio key (education, work,
-- training, rsc_received, rsc_provided, leadership, references); data is
-- the entry's JSON object exactly as in endorse-portfolio/1.
CREATE TABLE entry (
	id		INTEGER PRIMARY KEY,
	application	INTEGER NOT NULL REFERENCES application ON DELETE CASCADE,
	kind		TEXT NOT NULL,
	data		TEXT NOT NULL,
	created		INTEGER NOT NULL
);
CREATE INDEX entry_application ON entry (application, kind, id);

CREATE TABLE transcript (
	entry		INTEGER PRIMARY KEY REFERENCES entry ON DELETE CASCADE,
	filename	TEXT NOT NULL,
	size		INTEGER NOT NULL,
	pdf		BLOB NOT NULL,
	created		INTEGER NOT NULL
);

CREATE TABLE setting (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL
);
