-- The applicants of `bench/run http`, bulk-inserted into a database that
-- `endorse serve` has created and migrated (the real schema), in one
-- transaction.  Run by bench/http/run with the sqlite3 CLI, after a first
-- statement that creates TEMP TABLE bench_param (n, now): n applicants,
-- now the time of the rows (seconds since the epoch).
--
-- Each applicant: an account (the password hash copied from a real
-- Argon2id hash, the vaimh bootstrap coordinator's: the applicants log in
-- with its password), a welcome message in the outbox (as registering
-- queues one), one membership term covering today (a calendar year, or
-- ongoing), one application (90 % vaimh, 10 % infancy-onward; the
-- categories weighted towards IFS, IMHS, IFA, ECFS; an exam passed in one
-- in five), and 5 to 20 portfolio entries across the tabs: one of each of
-- education, work, training, RSC received and references, then more drawn
-- mostly from training, references and RSC (the shapes of
-- examples/ifs.json, with leadership and RSC provided), each varied
-- (dates, hours, names, counts).
-- One applicant in five has a live session, so that the session lookup
-- searches a table of realistic size.  Deterministic: the same rows on
-- every run, but for the random session ids and CSRF tokens and the times
-- (relative to bench_param.now).

PRAGMA synchronous = OFF;
BEGIN;

CREATE TEMP TABLE seq AS
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
    WHERE i < (SELECT n FROM bench_param))
SELECT i,
    -- a well-mixed 31-bit number per applicant
    ((i * 2654435761) % 4294967291) >> 1 AS h
FROM s;

CREATE TEMP TABLE base AS SELECT
    (SELECT coalesce(max(id), 0) FROM account) AS account,
    (SELECT coalesce(max(id), 0) FROM membership) AS membership,
    (SELECT coalesce(max(id), 0) FROM application) AS application,
    (SELECT pwhash FROM account WHERE email = 'coordinator@vaimh.example')
	AS pwhash;

CREATE TEMP TABLE firstname(k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO firstname(v) VALUES ('Dana'), ('Sam'), ('Robin'), ('Kim'),
    ('Alex'), ('Jordan'), ('Taylor'), ('Morgan'), ('Casey'), ('Riley'),
    ('Avery'), ('Quinn'), ('Jamie'), ('Drew'), ('Parker'), ('Reese');
CREATE TEMP TABLE lastname(k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO lastname(v) VALUES ('Example'), ('Lee'), ('Roe'), ('Park'),
    ('Nguyen'), ('Garcia'), ('Smith'), ('Johnson'), ('Brown'), ('Davis'),
    ('Martinez'), ('Lopez'), ('Wilson'), ('Anderson'), ('Thomas'),
    ('Moore'), ('Jackson'), ('White'), ('Harris'), ('Clark');

-- Category by weight (k = 0..19).
CREATE TEMP TABLE catpick(k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO catpick(k, v) VALUES (0, 'IFS'), (1, 'IFS'), (2, 'IFS'),
    (3, 'IFS'), (4, 'IFS'), (5, 'IMHS'), (6, 'IMHS'), (7, 'IMHS'),
    (8, 'IMHS'), (9, 'IFA'), (10, 'IFA'), (11, 'IFA'), (12, 'ECFS'),
    (13, 'ECFS'), (14, 'ECMHS'), (15, 'ECFA'), (16, 'IFRS'),
    (17, 'IMHM-C'), (18, 'IMHM-P'), (19, 'ERS');

-- The kind of each entry after the first five (k = 0..19).
CREATE TEMP TABLE kindpick(k INTEGER PRIMARY KEY, v TEXT);
INSERT INTO kindpick(k, v) VALUES (0, 'training'), (1, 'training'),
    (2, 'training'), (3, 'training'), (4, 'training'), (5, 'training'),
    (6, 'training'), (7, 'training'), (8, 'references'), (9, 'references'),
    (10, 'references'), (11, 'rsc_received'), (12, 'rsc_received'),
    (13, 'rsc_received'), (14, 'work'), (15, 'work'), (16, 'education'),
    (17, 'leadership'), (18, 'leadership'), (19, 'rsc_provided');

-- Entry shapes (examples/ifs.json and the other tabs), varied below.
CREATE TEMP TABLE tpl(kind TEXT, k INTEGER, data TEXT,
    PRIMARY KEY (kind, k));
INSERT INTO tpl VALUES
('education', 0, '{"level":"bachelor","degree":"BSW","field":"Social Work","institution":"Example University","conferred":"2015-05-20","transcript":true}'),
('education', 1, '{"level":"master","degree":"MSW","field":"Social Work","institution":"State University","conferred":"2017-05-18","transcript":true}'),
('education', 2, '{"level":"associate","degree":"AA","field":"Early Childhood Education","institution":"Community College","conferred":"2012-06-01","transcript":false}'),
('education', 3, '{"level":"master","degree":"MA","field":"Counseling","institution":"Example University","conferred":"2018-12-15","transcript":true}'),
('education', 4, '{"level":"cda","degree":"CDA","field":"Infant/Toddler","institution":"Council for Professional Recognition","conferred":"2014-03-10"}'),
('education', 5, '{"level":"doctorate","degree":"PhD","field":"Developmental Psychology","institution":"State University","conferred":"2020-08-30","transcript":true}'),
('work', 0, '{"title":"Home Visitor","employer":"Early Steps","start":"2016-01-04","end":null,"paid":true,"supervised":true,"licensed":false,"ages":["infant"],"service":"prevention","families":14}'),
('work', 1, '{"title":"Early Intervention Specialist","employer":"Infant & Toddler Connection","start":"2017-09-01","end":"2021-06-30","paid":true,"supervised":true,"licensed":false,"ages":["infant","early_childhood"],"service":"treatment","families":22}'),
('work', 2, '{"title":"Family Support Worker","employer":"Healthy Families","start":"2014-02-10","end":"2016-12-31","paid":true,"supervised":true,"licensed":false,"ages":["infant"],"service":"promotion","families":9}'),
('work', 3, '{"title":"Clinician","employer":"Community Services Board","start":"2019-03-01","end":null,"paid":true,"supervised":true,"licensed":true,"ages":["infant","early_childhood"],"service":"treatment","families":31}'),
('work', 4, '{"title":"Volunteer Doula","employer":"Birth Partners","start":"2013-05-01","end":"2015-04-30","paid":false,"supervised":false,"licensed":false,"ages":["infant"],"service":"other","families":5}'),
('work', 5, '{"title":"Program Manager","employer":"Early Head Start","start":"2020-07-01","end":null,"paid":true,"supervised":false,"licensed":false,"ages":["early_childhood"],"service":"administration","families":40}'),
('training', 0, '{"title":"Cultural humility in home visiting","date":"2021-03-02","hours":6,"topics":["dei"],"role":"attended"}'),
('training', 1, '{"title":"Infant mental health foundations","date":"2021-05-10","hours":24,"topics":[],"role":"attended"}'),
('training', 2, '{"title":"Attachment and relationships","date":"2020-10-14","hours":12,"topics":[],"role":"attended"}'),
('training', 3, '{"title":"Reflective practice in early intervention","date":"2022-02-08","hours":8,"topics":[],"role":"provided"}'),
('training', 4, '{"title":"Trauma-informed care for young children","date":"2019-11-20","hours":15,"topics":[],"role":"attended"}'),
('training', 5, '{"title":"Racial equity in infant mental health","date":"2022-09-01","hours":4,"topics":["dei"],"role":"attended"}'),
('training', 6, '{"title":"DC:0-5 diagnostic classification","date":"2023-04-17","hours":16,"topics":[],"role":"attended"}'),
('training', 7, '{"title":"Parent-infant observation","date":"2018-06-05","hours":3,"topics":[],"role":"volunteer"}'),
('rsc_received', 0, '{"provider":"Robin Roe","provider_endorsements":["IMHM-C"],"format":"individual","start":"2019-01-01","end":"2020-06-30","hours":26,"focus":"practice"}'),
('rsc_received', 1, '{"provider":"Peer group","provider_endorsements":[],"format":"peer","date":"2020-02-01","hours":3,"focus":"practice"}'),
('rsc_received', 2, '{"provider":"Alex Park","provider_endorsements":["IFRS"],"format":"group","start":"2021-01-15","end":"2022-12-15","hours":30,"focus":"practice"}'),
('rsc_received', 3, '{"provider":"Jordan Lee","provider_endorsements":["ERS","IMHS"],"format":"individual","start":"2022-03-01","end":null,"hours":18,"focus":"practice"}'),
('rsc_received', 4, '{"provider":"Casey Moore","provider_endorsements":["IMHM-C"],"format":"individual","start":"2018-05-01","end":"2019-04-30","hours":12,"focus":"provision"}'),
('rsc_provided', 0, '{"recipients":3,"start":"2021-09-01","end":null}'),
('rsc_provided', 1, '{"recipients":1,"start":"2019-01-10","end":"2022-06-30"}'),
('leadership', 0, '{"activity":"Committee","start":"2020-01-01","end":null,"paid":false,"level":"state"}'),
('leadership', 1, '{"activity":"Conference presentation","start":"2022-04-21","end":"2022-04-21","paid":false,"level":"national"}'),
('leadership', 2, '{"activity":"Reflective practice group facilitator","start":"2019-09-01","end":"2023-05-31","paid":true,"level":"local"}'),
('references', 0, '{"name":"Sam Lee","email":"sam@example.org","relationship":"program_supervisor","endorsements":["IFS"],"status":"completed"}'),
('references', 1, '{"name":"Robin Roe","email":"robin@example.org","relationship":"rsc_provider","endorsements":["IMHM-C"],"status":"completed"}'),
('references', 2, '{"name":"Kim Park","email":"kim@example.org","relationship":"colleague","endorsements":[],"status":"sent"}'),
('references', 3, '{"name":"Taylor Smith","email":"taylor@example.org","relationship":"supervisor","endorsements":["IMHS"],"status":"opened"}'),
('references', 4, '{"name":"Morgan Davis","email":"morgan@example.org","relationship":"endorsed_professional","endorsements":["IFRS"],"status":"completed"}'),
('references', 5, '{"name":"Riley Clark","email":"riley@example.org","relationship":"trainer","endorsements":[],"status":"draft"}');
CREATE TEMP TABLE ntpl AS SELECT kind, count(*) AS n FROM tpl GROUP BY kind;

INSERT INTO account (id, email, name, pwhash, role, association, created)
SELECT b.account + s.i, printf('applicant%06d@bench.example', s.i),
    f.v || ' ' || l.v, b.pwhash, 'applicant', NULL,
    p.now - 86400 * 400 + s.i * 300
FROM seq s, base b, bench_param p
JOIN firstname f ON f.k = 1 + s.h % 16
JOIN lastname l ON l.k = 1 + (s.h >> 4) % 20;

INSERT INTO outbox (recipient, subject, body, association, secret, status,
    created)
SELECT a.email, 'Welcome to Endorse', printf('Dear %s,' || char(10) ||
    char(10) || 'your Endorse account is ready. Log in at ' ||
    'http://127.0.0.1:8080/login with this e-mail address to build your ' ||
    'Endorsement application.' || char(10), a.name), NULL, 0, 'queued',
    a.created
FROM seq s, base b JOIN account a ON a.id = b.account + s.i;

-- 90 % vaimh, 10 % infancy-onward.
CREATE TEMP TABLE assoc AS
SELECT i, CASE WHEN (h >> 9) % 10 = 0 THEN 'infancy-onward' ELSE 'vaimh' END
    AS v FROM seq;

-- A calendar year covering today, or (one in four) ongoing.
INSERT INTO membership (id, account, association, term, start, end, created)
SELECT b.membership + s.i, b.account + s.i, a.v, NULL,
    date(p.now, 'unixepoch', 'start of year'),
    CASE WHEN (s.h >> 12) % 4 = 0 THEN NULL ELSE
    date(p.now, 'unixepoch', 'start of year', '+1 year', '-1 day') END,
    p.now - 86400 * 300 + s.i * 200
FROM seq s, base b, bench_param p JOIN assoc a ON a.i = s.i;

INSERT INTO application (id, account, association, category, status,
    ethics_signed, extra, created, updated, state_since)
SELECT b.application + s.i, b.account + s.i, a.v, c.v, 'draft',
    CASE WHEN (s.h >> 14) % 10 < 8 THEN
    date(p.now, 'unixepoch', printf('-%d days', 1 + (s.h >> 3) % 600))
    END,
    CASE WHEN (s.h >> 17) % 5 = 0 THEN
    printf('{"exam":[{"date":"%s","result":"pass"}],"endorsements":[]}',
    date(p.now, 'unixepoch', printf('-%d days', 20 + (s.h >> 5) % 900)))
    ELSE '{}' END,
    p.now - 86400 * 300 + s.i * 200, p.now - 86400 * 30 + s.i * 20,
    p.now - 86400 * 300 + s.i * 200
FROM seq s, base b, bench_param p
JOIN assoc a ON a.i = s.i
JOIN catpick c ON c.k = (s.h >> 6) % 20;

-- Entries: slot j of applicant i, 5 + (h >> 20) % 16 slots (5 to 20).
CREATE TEMP TABLE slot AS
WITH RECURSIVE j(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM j WHERE j < 19)
SELECT s.i, j.j,
    ((s.i * 40503 + j.j * 2654435761 + s.h) % 4294967291) >> 1 AS g,
    CASE j.j WHEN 0 THEN 'education' WHEN 1 THEN 'work'
    WHEN 2 THEN 'training' WHEN 3 THEN 'rsc_received'
    WHEN 4 THEN 'references' END AS first_kind
FROM seq s, j WHERE j.j < 5 + (s.h >> 20) % 16;

INSERT INTO entry (application, kind, data, created)
SELECT b.application + x.i, x.kind,
    CASE x.kind
    WHEN 'education' THEN json_set(t.data,
	'$.conferred', date(t.data ->> '$.conferred', printf('%+d days',
	    x.g % 1500 - 750)))
    WHEN 'work' THEN json_set(t.data,
	'$.start', date(t.data ->> '$.start', printf('%+d days',
	    x.g % 900 - 450)),
	'$.end', CASE WHEN t.data ->> '$.end' IS NULL THEN NULL ELSE
	    date(t.data ->> '$.end', printf('%+d days', x.g % 300)) END,
	'$.families', 1 + (x.g >> 4) % 40)
    WHEN 'training' THEN json_set(t.data,
	'$.date', date('2016-01-01', printf('+%d days', x.g % 3600)),
	'$.hours', 1 + (x.g >> 4) % 24)
    WHEN 'rsc_received' THEN json_set(t.data,
	'$.hours', 1 + (x.g >> 4) % 40)
    WHEN 'references' THEN json_set(t.data,
	'$.name', (SELECT v FROM firstname WHERE k = 1 + x.g % 16) || ' ' ||
	    (SELECT v FROM lastname WHERE k = 1 + (x.g >> 4) % 20),
	'$.email', printf('ref%d@example.org', x.g % 100000))
    WHEN 'leadership' THEN json_set(t.data,
	'$.start', date(t.data ->> '$.start', printf('%+d days',
	    x.g % 600 - 300)),
	'$.end', CASE WHEN t.data ->> '$.end' IS NULL THEN NULL ELSE
	    date(t.data ->> '$.end', printf('%+d days', x.g % 600 - 300)) END)
    ELSE json_set(t.data, '$.recipients', x.g % 6)
    END,
    p.now - 86400 * 200 + x.i * 150 + x.j
FROM (SELECT sl.i, sl.j, sl.g, coalesce(sl.first_kind, kp.v) AS kind
    FROM slot sl JOIN kindpick kp ON kp.k = (sl.g >> 8) % 20) x
JOIN ntpl n ON n.kind = x.kind
JOIN tpl t ON t.kind = x.kind AND t.k = (x.g >> 12) % n.n
, base b, bench_param p
ORDER BY x.i, x.j;

INSERT INTO session (id, account, csrf, created, seen)
SELECT lower(hex(randomblob(32))), b.account + s.i,
    lower(hex(randomblob(32))), p.now - 3600, p.now - 600
FROM seq s, base b, bench_param p WHERE s.i % 5 = 0;

COMMIT;
