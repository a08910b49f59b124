-- Mail to the coordinators and internal notes (issue 17).
-- notify_pref: how a coordinator hears of an arrival (a submission, a
-- resubmission, a declined or void rating, a finished review round):
-- digest 0, each mail as it happens (the default, also when there is no
-- row); 1, one digest a day.  notify_pending holds a digest's notices
-- until the scheduler's tick of a later day mails them in one message
-- and deletes them, in one transaction: a notice is mailed once.
CREATE TABLE notify_pref (
	account		INTEGER PRIMARY KEY REFERENCES account ON DELETE CASCADE,
	digest		INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),
	updated		INTEGER NOT NULL
);
CREATE TABLE notify_pending (
	id		INTEGER PRIMARY KEY,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	association	TEXT NOT NULL,
	subject		TEXT NOT NULL,
	body		TEXT NOT NULL,
	created		INTEGER NOT NULL
);
CREATE INDEX notify_pending_account ON notify_pending (account, id);

-- A coordinator's internal note on an application or an endorsement,
-- read by the association's coordinators only (never the applicant, a
-- reviewer, the API or an applicant's export: no statement of theirs
-- reads this table).  A note is never changed or deleted by anyone: a
-- correction is a new note.  It goes with the application it is on.
CREATE TABLE note (
	id		INTEGER PRIMARY KEY,
	association	TEXT NOT NULL,
	what		TEXT NOT NULL CHECK (what IN ('application',
			    'endorsement')),
	row_id		INTEGER NOT NULL,
	author		INTEGER REFERENCES account ON DELETE SET NULL,
	text		TEXT NOT NULL,
	created		INTEGER NOT NULL
);
CREATE INDEX note_row ON note (what, row_id, id);
CREATE TRIGGER note_application_gone AFTER DELETE ON application BEGIN
	DELETE FROM note WHERE what = 'application' AND row_id = old.id;
END;
