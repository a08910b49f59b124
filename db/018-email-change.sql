-- A change of an account's e-mail address waits for the new address to
-- be proved: a single-use link mailed to it, found by the hash of its
-- token (never the token), like a password reset (issue 16, point 13).
CREATE TABLE email_change (
	hash		TEXT PRIMARY KEY,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	email		TEXT NOT NULL,
	expires		INTEGER NOT NULL,
	used		INTEGER,
	created		INTEGER NOT NULL
);
CREATE INDEX email_change_account ON email_change (account);
