-- The registry of `bench/run load`, after bench/http/gen-db.sql (same
-- database, same TEMP TABLE bench_param): every bulk application with a
-- passed exam (one in five, gen-db.sql's "extra") gets an active
-- endorsement of its category, as deciding it would issue one, so that
-- GET /registry?q=... searches about 20,000 visible rows (one in twenty
-- hidden by its holder), each with a city.  Deterministic.

PRAGMA synchronous = OFF;
BEGIN;

CREATE TEMP TABLE city(k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO city(k, v) VALUES (0, 'Richmond'), (1, 'Norfolk'),
    (2, 'Roanoke'), (3, 'Arlington'), (4, 'Charlottesville'),
    (5, 'Lynchburg'), (6, 'Harrisonburg'), (7, 'Alexandria'),
    (8, 'Blacksburg'), (9, 'Fredericksburg'), (10, 'Winchester'),
    (11, 'Danville');

INSERT INTO endorsement (number, account, association, category, since,
    status, name, city, hidden, created)
SELECT printf('%s-%s-%06d', CASE p.association WHEN 'vaimh' THEN 'VA'
	ELSE 'IO' END, substr(p.extra ->> '$.exam[0].date', 1, 4), p.id),
    p.account, p.association, p.category, p.extra ->> '$.exam[0].date',
    'active', a.name, c.v, CASE WHEN p.id % 20 = 7 THEN 1 ELSE 0 END,
    bp.now - 86400 * 10
FROM application p JOIN account a ON a.id = p.account
JOIN city c ON c.k = (p.id * 7) % 12, bench_param bp
WHERE a.email LIKE 'applicant%@bench.example'
    AND p.extra ->> '$.exam[0].result' = 'pass'
ORDER BY p.id;

COMMIT;
