-- The entry an applicant deleted last, kept for an undo (dom-entry.c
-- entry_undo): one row per application, replaced by the next deletion,
-- gone with its application.  Its transcript is not kept.
CREATE TABLE deleted_entry (
	application	INTEGER PRIMARY KEY REFERENCES application ON DELETE CASCADE,
	entry		INTEGER NOT NULL,
	kind		TEXT NOT NULL,
	data		TEXT NOT NULL,
	deleted		INTEGER NOT NULL
);
