-- What an association made of a membership its applicant recorded (issue
-- 17): 'recorded' (as the applicant entered it; what every membership was
-- before), 'confirmed' by a coordinator by hand or from the association's
-- member roster, or 'rejected' with the coordinator's reason (never
-- counts).  The rule set's 'membership counts recorded|confirmed' says
-- whether a recorded one counts.  Set by the association only: an
-- applicant's document never carries it into the store.
-- member_id: the association's number for the member, from the roster.
-- verified: when, verified_by: which coordinator.
ALTER TABLE membership ADD COLUMN status TEXT NOT NULL DEFAULT 'recorded'
	CHECK (status IN ('recorded', 'confirmed', 'rejected'));
ALTER TABLE membership ADD COLUMN reason TEXT;
ALTER TABLE membership ADD COLUMN member_id TEXT;
ALTER TABLE membership ADD COLUMN verified INTEGER;
ALTER TABLE membership ADD COLUMN verified_by INTEGER
	REFERENCES account ON DELETE SET NULL;
CREATE INDEX membership_association ON membership (association, status);
