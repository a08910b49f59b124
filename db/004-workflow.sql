-- From "my portfolio is ready" to "I am endorsed" (issue 4): reference
-- ratings, submission, review cycles, reviewers, the exam.
--
-- application.status: draft (the applicant edits), submitted (locked,
-- waiting for or in a review cycle), exam (approved for the exam),
-- deferred (more training or RSC; editable again and resubmittable),
-- denied, endorsed.  review is 'disagree' when two reviewers who must
-- agree did not.
-- application.extra (001) is no longer read: a portfolio's exams and
-- endorsements held come from exam_registration and endorsement.
ALTER TABLE application ADD COLUMN submitted INTEGER;	-- time
ALTER TABLE application ADD COLUMN fee_owed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application ADD COLUMN cycle INTEGER REFERENCES review_cycle;
-- 1: the applicant waived the right to read completed ratings.
ALTER TABLE application ADD COLUMN waiver INTEGER NOT NULL DEFAULT 0;
-- What the coordinator's decision told the applicant.
ALTER TABLE application ADD COLUMN decision TEXT;
ALTER TABLE application ADD COLUMN decision_note TEXT;
CREATE INDEX application_cycle ON application (cycle);

-- A rating request: the rater's private link is found by the hash of its
-- token, never by the token.  A request belongs to the application and
-- the rater's e-mail (not to one entry), so editing or re-importing the
-- references keeps it.  status: sent, opened, completed, declined, void
-- (too many "not enough information" answers), revoked (by the
-- applicant, or replaced by a newer request to the same rater).  A sent
-- or opened request whose expires has passed reads as expired.  answers:
-- {"items": [1..5 or null per item], "comments": "...", "recommend":
-- true|false} or, declined, {"reason": "..."}.
CREATE TABLE rating (
	id		INTEGER PRIMARY KEY,
	application	INTEGER NOT NULL REFERENCES application
			ON DELETE CASCADE,
	email		TEXT NOT NULL COLLATE NOCASE,
	name		TEXT NOT NULL,
	relationship	TEXT NOT NULL,
	hash		TEXT NOT NULL UNIQUE,
	status		TEXT NOT NULL DEFAULT 'sent'
			CHECK (status IN ('sent', 'opened', 'completed',
			    'declined', 'void', 'revoked')),
	expires		INTEGER NOT NULL,
	sent		INTEGER NOT NULL,
	opened		INTEGER,
	answered	INTEGER,
	answers		TEXT,
	outbox		INTEGER REFERENCES outbox ON DELETE SET NULL
);
CREATE INDEX rating_application ON rating (application, email, id);

-- Review cycles of an association: submitted applications enter the open
-- cycle whose closing date is the nearest still to come.
CREATE TABLE review_cycle (
	id		INTEGER PRIMARY KEY,
	association	TEXT NOT NULL,
	name		TEXT NOT NULL,
	opens		TEXT NOT NULL,		-- 'YYYY-MM-DD'
	closes		TEXT NOT NULL,
	status		TEXT NOT NULL DEFAULT 'open'
			CHECK (status IN ('open', 'closed')),
	created		INTEGER NOT NULL
);
CREATE INDEX review_cycle_association ON review_cycle (association, status);

-- Accounts a coordinator made reviewers of their association.
CREATE TABLE reviewer (
	account		INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	association	TEXT NOT NULL,
	created		INTEGER NOT NULL,
	PRIMARY KEY (account, association)
);

-- One reviewer on one application, for one submission: the assignments
-- of the current round are those made since application.submitted, so a
-- deferred or unlocked application submitted again is reviewed anew
-- (the earlier rounds stay, with their audit rows).  recommendation: endorse, exam,
-- defer, deny (NULL: not yet).  comments: {"tab": "text", ...};
-- to_applicant: what the applicant may read; competencies: the indices of
-- the rule set's competency list marked evidenced.
CREATE TABLE assignment (
	id		INTEGER PRIMARY KEY,
	application	INTEGER NOT NULL REFERENCES application
			ON DELETE CASCADE,
	reviewer	INTEGER NOT NULL REFERENCES account ON DELETE CASCADE,
	assigned	INTEGER NOT NULL,
	recommendation	TEXT CHECK (recommendation IN ('endorse', 'exam',
			    'defer', 'deny')),
	missing		TEXT NOT NULL DEFAULT '',
	comments	TEXT NOT NULL DEFAULT '{}',
	to_applicant	TEXT NOT NULL DEFAULT '',
	competencies	TEXT NOT NULL DEFAULT '[]',
	done		INTEGER
);
CREATE INDEX assignment_application ON assignment (application, assigned);
CREATE INDEX assignment_reviewer ON assignment (reviewer, done);

-- Exam sessions and who sits them.  Part 1 is multiple choice (a score
-- out of the rule set's number of questions); part 2 is written
-- vignettes scored by two reviewers who see only the examinee's code.
CREATE TABLE exam_session (
	id		INTEGER PRIMARY KEY,
	association	TEXT NOT NULL,
	date		TEXT NOT NULL,
	place		TEXT NOT NULL,		-- an address, or "online"
	created		INTEGER NOT NULL
);
CREATE TABLE exam_registration (
	id		INTEGER PRIMARY KEY,
	session		INTEGER NOT NULL REFERENCES exam_session
			ON DELETE CASCADE,
	application	INTEGER NOT NULL REFERENCES application
			ON DELETE CASCADE,
	code		TEXT NOT NULL UNIQUE,	-- what vignette scorers see
	part1		INTEGER,
	score_a		INTEGER,
	scorer_a	INTEGER REFERENCES account ON DELETE SET NULL,
	score_b		INTEGER,
	scorer_b	INTEGER REFERENCES account ON DELETE SET NULL,
	result		TEXT CHECK (result IN ('pass', 'fail')),
	created		INTEGER NOT NULL,
	UNIQUE (session, application)
);
CREATE INDEX exam_registration_application ON exam_registration (application);

-- Endorsements issued here point at the application they came from.
ALTER TABLE endorsement ADD COLUMN application INTEGER
	REFERENCES application ON DELETE SET NULL;
