-- Money (issue 17), beside the ledger of db/013: the card processor's
-- side.  stripe_session: each Checkout Session this server created, so a
-- webhook's session is one of ours (account, association, application,
-- the amount asked).  stripe_event: each webhook event id once, so a
-- second delivery of the same event records nothing (replay refused).
CREATE TABLE stripe_session (
	id		TEXT PRIMARY KEY,	-- Stripe's cs_...
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	association	TEXT NOT NULL,
	application	INTEGER REFERENCES application ON DELETE SET NULL,
	cents		INTEGER NOT NULL CHECK (cents > 0),
	created		INTEGER NOT NULL
);
CREATE TABLE stripe_event (
	id		TEXT PRIMARY KEY,	-- Stripe's evt_...
	type		TEXT NOT NULL,
	received	INTEGER NOT NULL
);
-- What is owed, for readers that want SQL (the work queue, exports):
-- one row per application, and per account with its association.
-- owed = charged - paid - waived + refunded (cents).
CREATE VIEW ledger_app_totals AS
SELECT application, account, association,
    sum(CASE WHEN kind = 'charge' THEN cents ELSE 0 END) AS charged,
    sum(CASE WHEN kind = 'payment' THEN cents ELSE 0 END) AS paid,
    sum(CASE WHEN kind = 'waiver' THEN cents ELSE 0 END) AS waived,
    sum(CASE WHEN kind = 'refund' THEN cents ELSE 0 END) AS refunded,
    sum(CASE kind WHEN 'charge' THEN cents WHEN 'refund' THEN cents
        ELSE -cents END) AS owed
FROM ledger WHERE application IS NOT NULL GROUP BY application;
CREATE VIEW ledger_account_totals AS
SELECT account, association,
    sum(CASE WHEN kind = 'charge' THEN cents ELSE 0 END) AS charged,
    sum(CASE WHEN kind = 'payment' THEN cents ELSE 0 END) AS paid,
    sum(CASE WHEN kind = 'waiver' THEN cents ELSE 0 END) AS waived,
    sum(CASE WHEN kind = 'refund' THEN cents ELSE 0 END) AS refunded,
    sum(CASE kind WHEN 'charge' THEN cents WHEN 'refund' THEN cents
        ELSE -cents END) AS owed
FROM ledger GROUP BY account, association;
