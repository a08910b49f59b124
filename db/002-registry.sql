-- The public registry and the audit log (issue 4).
--
-- One row per endorsement held: its number is the public handle (the
-- verification page is /verify/NUMBER), unique across associations.  An
-- endorsement imported from an association's old system has an account
-- (created or found by e-mail at import) that its holder claims through
-- the password reset link.  hidden: the endorsee keeps this category out
-- of the registry's search; it still verifies by its number.
CREATE TABLE endorsement (
	id		INTEGER PRIMARY KEY,
	number		TEXT NOT NULL UNIQUE,
	account		INTEGER REFERENCES account ON DELETE SET NULL,
	association	TEXT NOT NULL,
	category	TEXT NOT NULL,
	since		TEXT NOT NULL,		-- 'YYYY-MM-DD'
	status		TEXT NOT NULL DEFAULT 'active'
			CHECK (status IN ('active', 'lapsed', 'revoked',
			    'inactive')),
	name		TEXT NOT NULL,		-- as the registry shows it
	city		TEXT NOT NULL DEFAULT '',
	hidden		INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
	created		INTEGER NOT NULL
);
-- The search matches substrings (LIKE '%q%'), which no b-tree index
-- serves; these keep the listing's order and the per-person and
-- per-association look-ups cheap.  Full-text search (FTS5) when a
-- registry outgrows a scan of a few ten thousand rows.
CREATE INDEX endorsement_name ON endorsement (hidden, name COLLATE NOCASE);
CREATE INDEX endorsement_account ON endorsement (account);
CREATE INDEX endorsement_association ON endorsement (association, category);

-- Append-only: who (an account, NULL for the command line) did what to
-- which row, and the details as a JSON object.
CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	actor		INTEGER REFERENCES account ON DELETE SET NULL,
	what		TEXT NOT NULL,		-- 'endorsement', ...
	row_id		INTEGER NOT NULL,
	action		TEXT NOT NULL,		-- 'import', ...
	detail		TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_row ON audit (what, row_id, id);
