-- Endorsees for life (issue 5): the endorsee's log, renewals with
-- attestation, audits with evidence, reminders, lapse and reinstatement.

-- The endorsee's log: training and RSC received after endorsement, one
-- log per person and association, serving every category they hold.
-- data is the entry exactly as in endorse-portfolio/1 (what an export
-- gives back); rec is the same entry typed, as the portfolio reader read
-- it when it was stored, so that a renewal is evaluated without parsing
-- JSON (lifecycle.c, bench/run renewal).  rec, little-endian: kind (0
-- training, 1 rsc_received), role (training: ROLE_*; RSC: FMT_*), bits
-- (training: TOPIC_* bits; RSC: FOCUS_*), one byte each; start, end
-- (days since 1970-01-01; INT32_MIN: no end) and hours (hundredths), four
-- bytes each; then an RSC provider's endorsements, space-separated.  One
-- column rather than eight halves the cost of reading 1.8 million of them
-- (bench/README.md).
CREATE TABLE log_entry (
	id		INTEGER PRIMARY KEY,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	association	TEXT NOT NULL,
	kind		TEXT NOT NULL CHECK (kind IN ('training', 'rsc_received')),
	data		TEXT NOT NULL,
	start		INTEGER NOT NULL,	-- day number, as in rec
	rec		BLOB NOT NULL CHECK (length(rec) >= 15),
	created		INTEGER NOT NULL
);
-- The evaluation reads an association's log in account order from this
-- index alone, so one person's entries are read together however the
-- table's rows are scattered.
CREATE INDEX log_entry_scan ON log_entry (association, account, id, rec);

-- Evidence for a logged entry (a certificate, a supervisor's letter):
-- one file per entry, replaced by a new upload.
CREATE TABLE evidence (
	entry		INTEGER PRIMARY KEY REFERENCES log_entry ON DELETE CASCADE,
	filename	TEXT NOT NULL,
	ctype		TEXT NOT NULL,
	size		INTEGER NOT NULL,
	content		BLOB NOT NULL,
	created		INTEGER NOT NULL
);

-- Emerging ERS: the date by which the full requirements must be met
-- ('YYYY-MM-DD'; NULL: not Emerging).  changed: when status last changed.
ALTER TABLE endorsement ADD COLUMN emerging_until TEXT;
ALTER TABLE endorsement ADD COLUMN changed TEXT;
CREATE INDEX endorsement_scan ON endorsement (association, account, id,
    number, category, since, status, emerging_until);
CREATE INDEX membership_scan ON membership (association, account, start,
    end);

-- An audit draw: the sample of a cycle's attested renewals, reproducible
-- from its seed (lifecycle.c life_sample()).
CREATE TABLE audit_draw (
	id		INTEGER PRIMARY KEY,
	association	TEXT NOT NULL,
	cycle		INTEGER NOT NULL,
	percent		INTEGER NOT NULL,
	seed		TEXT NOT NULL,
	population	INTEGER NOT NULL,
	drawn		INTEGER NOT NULL,
	actor		INTEGER REFERENCES account ON DELETE SET NULL,
	at		INTEGER NOT NULL,
	UNIQUE (association, cycle)
);

-- One endorsement's renewal in one cycle.  status: attested (renewed on
-- the endorsee's word), audit (drawn; evidence asked for), cure (the
-- audit failed: cure_by is the last day to put it right), renewed (an
-- audit passed, or a reinstatement), lapsed.
CREATE TABLE renewal (
	id		INTEGER PRIMARY KEY,
	endorsement	INTEGER NOT NULL REFERENCES endorsement ON DELETE CASCADE,
	cycle		INTEGER NOT NULL,
	status		TEXT NOT NULL CHECK (status IN ('attested', 'audit',
			    'cure', 'renewed', 'lapsed')),
	attested	INTEGER,		-- time
	statement	TEXT NOT NULL DEFAULT '{}',	-- what was attested
	draw		INTEGER REFERENCES audit_draw,
	cure_by		TEXT,
	changed		INTEGER NOT NULL,
	UNIQUE (endorsement, cycle)
);
CREATE INDEX renewal_cycle ON renewal (cycle, status);

-- An entry under audit: accepted or rejected by the coordinator.
CREATE TABLE audit_item (
	renewal		INTEGER NOT NULL REFERENCES renewal ON DELETE CASCADE,
	entry		INTEGER NOT NULL REFERENCES log_entry ON DELETE CASCADE,
	status		TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
			    ('pending', 'accepted', 'rejected')),
	note		TEXT NOT NULL DEFAULT '',
	decided		INTEGER,
	PRIMARY KEY (renewal, entry)
);
CREATE INDEX audit_item_entry ON audit_item (entry);

-- A renewal window a coordinator (or the scheduler, after the deadline)
-- closed: attestation stops and who did not renew lapses.
CREATE TABLE renewal_window (
	association	TEXT NOT NULL,
	cycle		INTEGER NOT NULL,
	closed		INTEGER NOT NULL,
	actor		INTEGER REFERENCES account ON DELETE SET NULL,
	lapsed		INTEGER NOT NULL,
	PRIMARY KEY (association, cycle)
);

-- Reminders sent: each (kind, row, deadline, offset) once.
CREATE TABLE reminder (
	kind		TEXT NOT NULL,
	ref		INTEGER NOT NULL,
	due		TEXT NOT NULL,
	days		INTEGER NOT NULL,
	sent		INTEGER NOT NULL,
	PRIMARY KEY (kind, ref, due, days)
);

-- A request to reinstate a lapsed or inactive endorsement.  status:
-- requested, approved, refused.
CREATE TABLE reinstatement (
	id		INTEGER PRIMARY KEY,
	endorsement	INTEGER NOT NULL REFERENCES endorsement ON DELETE CASCADE,
	status		TEXT NOT NULL DEFAULT 'requested' CHECK (status IN
			    ('requested', 'approved', 'refused')),
	fee_owed	INTEGER NOT NULL DEFAULT 0,
	note		TEXT NOT NULL DEFAULT '',
	requested	INTEGER NOT NULL,
	decided		INTEGER
);
CREATE INDEX reinstatement_endorsement ON reinstatement (endorsement);
