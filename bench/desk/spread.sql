-- The applications of bench/http/gen-db.sql spread over the states a
-- coordinator's queue shows (bench/desk/run), after gen-db.sql, with the
-- same TEMP TABLE bench_param (n, now).  By a well-mixed number per
-- application (h, as gen-db.sql draws it): 35 % drafts with nothing
-- asked, 20 % drafts with one to three rating requests unanswered (links
-- sent 1 to 60 days ago), 5 % returned drafts, 15 % submitted in a cycle
-- with two reviewers (one in three with both reviews in), 10 % submitted
-- outside a cycle, 5 % approved for an exam (a session to come), 10 %
-- deferred.  In its state since 0 to 400 days, submitted before that.
PRAGMA synchronous = OFF;
BEGIN;

CREATE TEMP TABLE pick AS
SELECT p.id, p.account, ((p.id * 2654435761) % 4294967291) >> 1 AS h
FROM application p WHERE p.account IN (SELECT id FROM account WHERE email
    LIKE 'applicant%@bench.example');

CREATE TEMP TABLE spread AS
SELECT id, account, h, (h >> 3) % 100 AS r,
    (SELECT now FROM bench_param) - 86400 * ((h >> 11) % 400) - 3600 AS since
FROM pick;

INSERT INTO review_cycle (association, name, opens, closes, status, created)
SELECT a, 'Bench cycle', date(now, 'unixepoch', '-60 days'),
    date(now, 'unixepoch', '+60 days'), 'open', now
FROM bench_param, (SELECT 'vaimh' AS a UNION ALL SELECT 'infancy-onward');

INSERT INTO exam_session (association, date, place, created)
SELECT a, date(now, 'unixepoch', '+30 days'), 'online', now
FROM bench_param, (SELECT 'vaimh' AS a UNION ALL SELECT 'infancy-onward');

UPDATE application SET
    status = CASE WHEN s.r < 60 THEN 'draft' WHEN s.r < 85 THEN 'submitted'
	WHEN s.r < 90 THEN 'exam' ELSE 'deferred' END,
    state_since = s.since,
    returned = CASE WHEN s.r >= 55 AND s.r < 60 THEN s.since END,
    submitted = CASE WHEN s.r >= 60 THEN s.since - 86400 * (s.h % 30) END,
    round = CASE WHEN s.r >= 60 THEN s.since - 86400 * (s.h % 30) END,
    fee_owed = CASE WHEN s.r >= 60 THEN 75 ELSE 0 END,
    cycle = CASE WHEN s.r >= 60 AND s.r < 75 THEN (SELECT c.id FROM
	review_cycle c WHERE c.association = application.association AND
	c.name = 'Bench cycle') END
FROM spread s WHERE s.id = application.id;

-- Rating requests unanswered: one to three per such draft.
INSERT INTO rating (application, email, name, relationship, hash, status,
    expires, sent, requested)
SELECT s.id, printf('rater%d-%d@bench.example', s.id, k.k),
    printf('Rater %d-%d', s.id, k.k), 'supervisor',
    printf('%064x', s.id * 4 + k.k), 'sent',
    b.now + 86400 * (30 - (s.h >> 5) % 60 % 29),
    b.now - 86400 * (1 + (s.h >> 5) % 60), b.now - 86400 * (1 + (s.h >> 5) % 60)
FROM spread s, bench_param b,
    (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) k
WHERE s.r >= 35 AND s.r < 55 AND k.k <= s.h % 3;

-- Two reviewers on each submission in a cycle (the coordinators' own
-- accounts stand in: a reviewer is any account).
INSERT INTO assignment (application, reviewer, assigned, done,
    recommendation)
SELECT s.id, c.id, s.since + 3600, CASE WHEN s.h % 3 = 0 THEN s.since +
    86400 END, CASE WHEN s.h % 3 = 0 THEN 'endorse' END
FROM spread s JOIN application p ON p.id = s.id
JOIN account c ON c.role = 'coordinator'
WHERE s.r >= 60 AND s.r < 75;

INSERT INTO exam_registration (session, application, code, created)
SELECT x.id, s.id, printf('B%07d', s.id), s.since
FROM spread s JOIN application p ON p.id = s.id
JOIN exam_session x ON x.association = p.association
WHERE s.r >= 85 AND s.r < 90;

COMMIT;
ANALYZE;
