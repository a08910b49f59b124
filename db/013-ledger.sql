-- The money of an account with its association (issue 17): an append-only
-- ledger.  A charge arises when something is owed (a registration or a
-- processing fee at submission, an exam, a renewal, a reinstatement, a
-- membership term); a payment is recorded by a coordinator or by the
-- card processor's signed webhook; a waiver or a refund carries its
-- reason.  Amounts are whole cents, always positive: the kind says which
-- way they go.  What is owed is charges - payments - waivers + refunds.
-- application: the application the line belongs to, NULL for an account's
-- own (membership, renewal, reinstatement).  on_day: the day it happened
-- (days since 1970-01-01, as the store keeps dates); created: seconds.
CREATE TABLE ledger (
	id		INTEGER PRIMARY KEY,
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	association	TEXT NOT NULL,
	application	INTEGER REFERENCES application ON DELETE SET NULL,
	kind		TEXT NOT NULL CHECK (kind IN
			    ('charge', 'payment', 'waiver', 'refund')),
	cents		INTEGER NOT NULL CHECK (cents > 0),
	what		TEXT NOT NULL,		-- "Processing fee, IFS", ...
	method		TEXT,			-- payment: check, cash, card, ...
	reference	TEXT,			-- a check number, a Stripe id
	reason		TEXT,			-- waiver, refund
	on_day		INTEGER NOT NULL,
	actor		INTEGER REFERENCES account ON DELETE SET NULL,
	created		INTEGER NOT NULL
);
CREATE INDEX ledger_account ON ledger (account, association, id);
CREATE INDEX ledger_application ON ledger (application);
CREATE INDEX ledger_association ON ledger (association, kind, on_day);
