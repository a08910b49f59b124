-- Throttling without a lock an attacker can hold (dom-account.c).  When an
-- e-mail or an address has failed too often lately, an attempt for an
-- (e-mail, address) pair is checked only once that pair's own wait has
-- passed: the first attempt is refused with "try again in N seconds" and
-- sets the wait (until), the one after it is checked.  An attacker's
-- waits are theirs: they do not keep a person at another address (or the
-- same address, once their wait has passed) out.
CREATE TABLE login_wait (
	email		TEXT NOT NULL COLLATE NOCASE,
	ip		TEXT NOT NULL,
	until		INTEGER NOT NULL,
	at		INTEGER NOT NULL,
	PRIMARY KEY (email, ip)
);
CREATE INDEX login_wait_at ON login_wait (at);

-- The mail that a person may cause (mail.c mail_limit): rating requests,
-- password resets, registrations.  Counted per recipient (per hour) and
-- per sending account (per day); account is NULL for a request without a
-- login.  Rows older than a day go.
CREATE TABLE mail_log (
	id		INTEGER PRIMARY KEY,
	recipient	TEXT NOT NULL COLLATE NOCASE,
	account		INTEGER,
	at		INTEGER NOT NULL
);
CREATE INDEX mail_log_recipient ON mail_log (recipient, at);
CREATE INDEX mail_log_account ON mail_log (account, at);
CREATE INDEX mail_log_at ON mail_log (at);
