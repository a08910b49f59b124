-- Revoking and suspending an endorsement from its page (issue 19).
--
-- status gains 'suspended': withdrawn for a while by the association,
-- not current, lifted back to active.  withdrawn: the date
-- ('YYYY-MM-DD') the endorsement was revoked or suspended, and
-- withdrawn_reason the coordinator's reason as recorded (the holder is
-- told it; the public registry shows the date only).  NULL for an
-- endorsement revoked before this (the CSV import did not record one).
-- Who did it and when is in the audit log (what 'endorsement', action
-- 'revoke', 'suspend', 'lift').
--
-- SQLite cannot change a CHECK in place: the table is rebuilt (SQLite's
-- "making other kinds of table schema changes", the 12 steps).  db.c runs
-- each migration with foreign keys off and checks them before it commits,
-- so dropping the old table does not cascade to renewal and
-- reinstatement, whose REFERENCES name the table, not the copy.
CREATE TABLE endorsement_new (
	id		INTEGER PRIMARY KEY,
	number		TEXT NOT NULL UNIQUE,
	account		INTEGER REFERENCES account ON DELETE SET NULL,
	association	TEXT NOT NULL,
	category	TEXT NOT NULL,
	since		TEXT NOT NULL,		-- 'YYYY-MM-DD'
	status		TEXT NOT NULL DEFAULT 'active'
			CHECK (status IN ('active', 'lapsed', 'revoked',
			    'inactive', 'suspended')),
	name		TEXT NOT NULL,		-- as the registry shows it
	city		TEXT NOT NULL DEFAULT '',
	hidden		INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
	created		INTEGER NOT NULL,
	application	INTEGER REFERENCES application ON DELETE SET NULL,
	emerging_until	TEXT,
	changed		TEXT,
	withdrawn	TEXT,			-- 'YYYY-MM-DD'
	withdrawn_reason TEXT
);
INSERT INTO endorsement_new (id, number, account, association, category,
    since, status, name, city, hidden, created, application, emerging_until,
    changed, withdrawn, withdrawn_reason)
    SELECT id, number, account, association, category, since, status, name,
    city, hidden, created, application, emerging_until, changed,
    CASE WHEN status = 'revoked' THEN changed END, NULL FROM endorsement;
DROP TABLE endorsement;
ALTER TABLE endorsement_new RENAME TO endorsement;

-- Every index and trigger of the old table, as 002, 005 and 006 made them.
CREATE INDEX endorsement_name ON endorsement (hidden, name COLLATE NOCASE);
CREATE INDEX endorsement_account ON endorsement (account);
CREATE INDEX endorsement_association ON endorsement (association, category);
CREATE INDEX endorsement_scan ON endorsement (association, account, id,
    number, category, since, status, emerging_until);
CREATE TRIGGER registry_version_insert AFTER INSERT ON endorsement
BEGIN
	UPDATE registry_version SET n = n + 1;
END;
CREATE TRIGGER registry_version_delete AFTER DELETE ON endorsement
BEGIN
	UPDATE registry_version SET n = n + 1;
END;
CREATE TRIGGER registry_version_update AFTER UPDATE OF number, association,
    category, status, name, city, hidden, withdrawn ON endorsement
BEGIN
	UPDATE registry_version SET n = n + 1;
END;
UPDATE registry_version SET n = n + 1;
