/*
 * The store: SQLite with one connection per thread, WAL, foreign keys and
 * a busy timeout.  Every statement the program runs is in the table below
 * (openradtool style): prepared once per connection, bound by name, never
 * built at run time.  The schema is data too: db/NNN-*.sql, applied in
 * order on start, PRAGMA user_version counting what is applied.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"
#include "banned.h"

static const char *const sql[S__N] = {
[S_ACCOUNT_INSERT] = "INSERT INTO account (email, name, pwhash, role, "
    "association, created) VALUES ($email, $name, $pwhash, $role, $assoc, "
    "$now)",
[S_ACCOUNT_BY_EMAIL] = "SELECT id, name, email, pwhash, role, association "
    "FROM account WHERE email = $email",
[S_ACCOUNT_BY_ID] = "SELECT id, name, email, pwhash, role, association "
    "FROM account WHERE id = $id",
[S_ACCOUNT_SET_PASSWORD] = "UPDATE account SET pwhash = $pwhash "
    "WHERE id = $id",
[S_ACCOUNT_SET_NAME] = "UPDATE account SET name = $name WHERE id = $id",
[S_COORDINATOR_OF] = "SELECT id, email FROM account WHERE role = "
    "'coordinator' AND association = $assoc",
[S_SESSION_INSERT] = "INSERT INTO session (id, account, csrf, created, "
    "seen) VALUES ($id, $account, $csrf, $now, $now)",
[S_SESSION_GET] = "SELECT s.account, s.csrf, s.created, s.seen, a.name, "
    "a.email, a.role, a.association FROM session s JOIN account a ON "
    "a.id = s.account WHERE s.id = $id",
[S_SESSION_TOUCH] = "UPDATE session SET seen = $now WHERE id = $id",
[S_SESSION_DELETE] = "DELETE FROM session WHERE id = $id",
[S_SESSION_DELETE_ACCOUNT] = "DELETE FROM session WHERE account = $account "
    "AND id <> $keep",
[S_SESSION_PURGE] = "DELETE FROM session WHERE seen < $idle OR "
    "created < $max",
[S_TOKEN_INSERT] = "INSERT INTO api_token (hash, account, label, created) "
    "VALUES ($hash, $account, $label, $now)",
[S_TOKEN_GET] = "SELECT t.account, a.name, a.email, a.role, a.association "
    "FROM api_token t JOIN account a ON a.id = t.account "
    "WHERE t.hash = $hash",
[S_TOKEN_LIST] = "SELECT id, label, created FROM api_token "
    "WHERE account = $account ORDER BY id",
[S_TOKEN_DELETE] = "DELETE FROM api_token WHERE id = $id AND "
    "account = $account",
[S_RESET_INSERT] = "INSERT INTO password_reset (hash, account, expires) "
    "VALUES ($hash, $account, $expires)",
[S_RESET_GET] = "SELECT account FROM password_reset WHERE hash = $hash "
    "AND used IS NULL AND expires > $now",
[S_RESET_USE] = "UPDATE password_reset SET used = $now WHERE hash = $hash "
    "AND used IS NULL",
[S_RESET_CANCEL] = "UPDATE password_reset SET used = $now WHERE "
    "account = $account AND used IS NULL",
[S_FAIL_INSERT] = "INSERT INTO login_failure (email, ip, at) "
    "VALUES ($email, $ip, $now)",
[S_FAIL_COUNT] = "SELECT (SELECT count(*) FROM login_failure WHERE "
    "email = $email AND at > $since), (SELECT count(*) FROM login_failure "
    "WHERE ip = $ip AND at > $since)",
[S_FAIL_CLEAR] = "DELETE FROM login_failure WHERE email = $email",
[S_FAIL_PURGE] = "DELETE FROM login_failure WHERE at < $before",
[S_OUTBOX_INSERT] = "INSERT INTO outbox (recipient, subject, body, "
    "association, secret, created) VALUES ($to, $subject, $body, $assoc, "
    "$secret, $now)",
[S_OUTBOX_LIST] = "SELECT id, recipient, subject, body, secret, status, "
    "created, attempts, last_error, sent_at, next_try FROM outbox WHERE "
    "association = $assoc ORDER BY id DESC LIMIT 200",
[S_OUTBOX_ALL] = "SELECT id, recipient, subject, body, "
    "coalesce(association, '-'), status, attempts, last_error, sent_at, "
    "next_try FROM outbox ORDER BY id",
[S_OUTBOX_DUE] = "SELECT id, recipient, subject, body, attempts, created "
    "FROM outbox WHERE status IN ('queued', 'retry') AND next_try <= $now "
    "ORDER BY next_try, id LIMIT 1",
[S_OUTBOX_SENT] = "UPDATE outbox SET status = 'sent', attempts = "
    "attempts + 1, sent_at = $now, last_error = NULL WHERE id = $id",
[S_OUTBOX_RETRY] = "UPDATE outbox SET status = $status, attempts = "
    "attempts + 1, last_error = $error, next_try = $next WHERE id = $id",
[S_MEMBER_INSERT] = "INSERT INTO membership (account, association, term, "
    "start, end, created) VALUES ($account, $assoc, $term, $start, $end, "
    "$now)",
[S_MEMBER_LIST] = "SELECT id, association, term, start, end FROM "
    "membership WHERE account = $account AND ($assoc IS NULL OR "
    "association = $assoc) ORDER BY association, start, id",
[S_MEMBER_DELETE] = "DELETE FROM membership WHERE id = $id AND "
    "account = $account",
[S_MEMBER_CLEAR] = "DELETE FROM membership WHERE account = $account AND "
    "association = $assoc",
[S_APP_INSERT] = "INSERT INTO application (account, association, "
    "category, created, updated) VALUES ($account, $assoc, $category, "
    "$now, $now)",
[S_APP_GET] = "SELECT id, account, association, category, status, "
    "ethics_signed, updated, coalesce(submitted, 0), fee_owed, "
    "coalesce(cycle, 0), waiver, decision, decision_note FROM application "
    "WHERE id = $id",
[S_APP_LIST] = "SELECT id, association, category, status, updated FROM "
    "application WHERE account = $account ORDER BY id",
[S_APP_LIST_ASSOC] = "SELECT p.id, p.category, p.status, a.name, a.email, "
    "coalesce(c.name, ''), (SELECT count(*) FROM assignment s WHERE "
    "s.application = p.id AND s.assigned >= coalesce(p.submitted, 0)), "
    "(SELECT count(*) FROM assignment s WHERE s.application = p.id AND "
    "s.assigned >= coalesce(p.submitted, 0) AND s.done IS NOT NULL) FROM "
    "application p "
    "JOIN account a ON a.id = p.account LEFT JOIN review_cycle c ON "
    "c.id = p.cycle WHERE p.association = $assoc AND ($cycle IS NULL OR "
    "p.cycle = $cycle) ORDER BY p.id DESC LIMIT 500",
[S_APP_SET_ETHICS] = "UPDATE application SET ethics_signed = $date, "
    "updated = $now WHERE id = $id",
[S_APP_TOUCH] = "UPDATE application SET updated = $now WHERE id = $id",
[S_APP_DELETE] = "DELETE FROM application WHERE id = $id",
/* The person's other open applications in an association: draft,
   submitted, exam and deferred may still be endorsed; endorsed and denied
   are decided (a withdrawn application is deleted, not a status). */
[S_APP_OPEN_OF] = "SELECT id, category FROM application WHERE account = "
    "$account AND association = $assoc AND id <> $id AND status IN "
    "('draft', 'submitted', 'exam', 'deferred') ORDER BY id LIMIT 100",
[S_ENTRY_INSERT] = "INSERT INTO entry (application, kind, data, created) "
    "VALUES ($app, $kind, $data, $now)",
[S_ENTRY_GET] = "SELECT id, application, kind, data FROM entry WHERE "
    "id = $id AND application = $app",
[S_ENTRY_LIST] = "SELECT e.id, e.kind, e.data, t.filename FROM entry e "
    "LEFT JOIN transcript t ON t.entry = e.id WHERE e.application = $app "
    "ORDER BY e.kind, e.id",
[S_ENTRY_LIST_KIND] = "SELECT e.id, e.data, t.filename FROM entry e LEFT "
    "JOIN transcript t ON t.entry = e.id WHERE e.application = $app AND "
    "e.kind = $kind ORDER BY e.id",
[S_ENTRY_COUNT] = "SELECT count(*) FROM entry WHERE application = $app "
    "AND kind = $kind",
[S_ENTRY_UPDATE] = "UPDATE entry SET data = $data WHERE id = $id AND "
    "application = $app",
[S_ENTRY_DELETE] = "DELETE FROM entry WHERE id = $id AND application = $app",
[S_ENTRY_CLEAR] = "DELETE FROM entry WHERE application = $app",
[S_TRANSCRIPT_PUT] = "INSERT OR REPLACE INTO transcript (entry, filename, "
    "size, pdf, created) VALUES ($entry, $filename, $size, $pdf, $now)",
[S_TRANSCRIPT_GET] = "SELECT filename, pdf FROM transcript WHERE "
    "entry = $entry",
[S_TRANSCRIPT_DELETE] = "DELETE FROM transcript WHERE entry = $entry",
[S_SETTING_GET] = "SELECT value FROM setting WHERE key = $key",
[S_SETTING_PUT] = "INSERT OR REPLACE INTO setting (key, value) "
    "VALUES ($key, $value)",
[S_ENDORSEMENT_INSERT] = "INSERT INTO endorsement (number, account, "
    "association, category, since, status, name, city, created) VALUES "
    "($number, $account, $assoc, $category, $since, $status, $name, $city, "
    "$now)",
[S_ENDORSEMENT_BY_NUMBER] = "SELECT number, name, category, association, "
    "status, city, since, account FROM endorsement WHERE number = $number",
/* The registry's search copy (registry.c): its version, counted by
   db/006-registry-version.sql's triggers, and every visible row in the
   order the search lists them. */
[S_REGISTRY_VERSION] = "SELECT n FROM registry_version",
[S_REGISTRY_ALL] = "SELECT number, name, category, association, status, "
    "city FROM endorsement WHERE hidden = 0 ORDER BY name COLLATE NOCASE, "
    "number",
[S_AUDIT_INSERT] = "INSERT INTO audit (at, actor, what, row_id, action, "
    "detail) VALUES ($now, $actor, $what, $row, $action, $detail)",
/* Every row of an application's workflow (ratings, assignments, exam
   registrations, the endorsement) carries the application in its detail,
   so removed rows keep their history. */
[S_AUDIT_LIST] = "SELECT u.at, coalesce(a.name, json_extract(u.detail, "
    "'$.by'), 'the command line'), "
    "u.what, u.action, u.detail FROM audit u LEFT JOIN account a ON "
    "a.id = u.actor WHERE (u.what = 'application' AND u.row_id = $app) OR "
    "(u.what <> 'application' AND json_extract(u.detail, '$.application') "
    "= $app) ORDER BY u.id",
[S_RATING_INSERT] = "INSERT INTO rating (application, email, name, "
    "relationship, hash, expires, sent) VALUES ($app, $email, $name, $rel, "
    "$hash, $expires, $now)",
[S_RATING_REVOKE_EMAIL] = "UPDATE rating SET status = 'revoked' WHERE "
    "application = $app AND email = $email AND status IN ('sent', "
    "'opened')",
[S_RATING_BY_HASH] = "SELECT r.id, r.application, r.email, r.name, "
    "r.relationship, r.status, r.expires, p.association, p.category, "
    "a.name, p.waiver FROM rating r JOIN application p ON p.id = r.application JOIN "
    "account a ON a.id = p.account WHERE r.hash = $hash",
[S_RATING_GET] = "SELECT id, email, name, relationship, status, expires, "
    "sent, opened, answered, answers FROM rating WHERE id = $id AND "
    "application = $app",
/* The latest request per rater last, with its mail's delivery. */
[S_RATING_LIST] = "SELECT r.id, r.email, r.name, r.relationship, "
    "r.status, r.expires, r.sent, r.opened, r.answered, o.status, "
    "o.attempts, o.last_error, o.sent_at, o.next_try FROM rating r LEFT "
    "JOIN outbox o ON o.id = r.outbox WHERE r.application = $app ORDER BY "
    "r.id",
[S_RATING_OPEN] = "UPDATE rating SET status = 'opened', opened = $now "
    "WHERE id = $id AND status = 'sent'",
[S_RATING_ANSWER] = "UPDATE rating SET status = $status, answers = "
    "$answers, answered = $now WHERE id = $id AND status IN ('sent', "
    "'opened') AND expires > $now",
[S_RATING_REVOKE] = "UPDATE rating SET status = 'revoked' WHERE id = $id "
    "AND application = $app AND status IN ('sent', 'opened')",
[S_RATING_REHASH] = "UPDATE rating SET hash = $hash, expires = $expires, "
    "sent = $now, status = 'sent', opened = NULL WHERE id = $id AND "
    "application = $app AND status IN ('sent', 'opened')",
[S_RATING_SET_OUTBOX] = "UPDATE rating SET outbox = $outbox WHERE id = $id",
[S_APP_SUBMIT] = "UPDATE application SET status = 'submitted', submitted = "
    "$now, fee_owed = $fee, cycle = $cycle, updated = $now WHERE id = $id "
    "AND status IN ('draft', 'deferred')",
[S_APP_SET_STATUS] = "UPDATE application SET status = $status, updated = "
    "$now WHERE id = $id AND status = $from",
[S_APP_SET_WAIVER] = "UPDATE application SET waiver = $waiver, updated = "
    "$now WHERE id = $id",
[S_APP_SET_DECISION] = "UPDATE application SET status = $status, decision "
    "= $decision, decision_note = $note, updated = $now WHERE id = $id AND "
    "status = $from",
[S_CYCLE_INSERT] = "INSERT INTO review_cycle (association, name, opens, "
    "closes, created) VALUES ($assoc, $name, $opens, $closes, $now)",
[S_CYCLE_LIST] = "SELECT c.id, c.name, c.opens, c.closes, c.status, "
    "(SELECT count(*) FROM application p WHERE p.cycle = c.id) FROM "
    "review_cycle c WHERE c.association = $assoc ORDER BY c.opens DESC, "
    "c.id DESC",
[S_CYCLE_CURRENT] = "SELECT id FROM review_cycle WHERE association = "
    "$assoc AND status = 'open' AND closes >= $today ORDER BY closes, id "
    "LIMIT 1",
[S_CYCLE_CLOSE] = "UPDATE review_cycle SET status = 'closed' WHERE id = "
    "$id AND association = $assoc AND status = 'open'",
[S_CYCLE_ADOPT] = "UPDATE application SET cycle = $cycle WHERE "
    "association = $assoc AND status = 'submitted' AND (cycle IS NULL OR "
    "cycle IN (SELECT id FROM review_cycle WHERE status = 'closed'))",
[S_CYCLE_GET] = "SELECT id, name, opens, closes, status FROM review_cycle "
    "WHERE id = $id AND association = $assoc",
[S_REVIEWER_ADD] = "INSERT OR IGNORE INTO reviewer (account, association, "
    "created) VALUES ($account, $assoc, $now)",
[S_REVIEWER_LIST] = "SELECT a.id, a.name, a.email, (SELECT count(*) FROM "
    "assignment s WHERE s.reviewer = a.id AND s.done IS NULL) FROM "
    "reviewer r JOIN account a ON a.id = r.account WHERE r.association = "
    "$assoc ORDER BY a.name COLLATE NOCASE",
[S_REVIEWER_IS] = "SELECT 1 FROM reviewer WHERE account = $account AND "
    "association = $assoc",
[S_REVIEWER_REMOVE] = "DELETE FROM reviewer WHERE account = $account AND "
    "association = $assoc",
[S_ASSIGN_INSERT] = "INSERT INTO assignment (application, reviewer, "
    "assigned) VALUES ($app, $reviewer, $now)",
[S_ASSIGN_LIST_APP] = "SELECT s.id, s.reviewer, a.name, a.email, "
    "s.recommendation, s.missing, s.comments, s.to_applicant, "
    "s.competencies, s.done FROM assignment s JOIN account a ON a.id = "
    "s.reviewer JOIN application p ON p.id = s.application WHERE "
    "s.application = $app AND s.assigned >= coalesce(p.submitted, 0) "
    "ORDER BY s.id",
[S_ASSIGN_LIST_REVIEWER] = "SELECT s.id, p.id, p.association, p.category, "
    "p.status, a.name, s.recommendation, s.done FROM assignment s JOIN "
    "application p ON p.id = s.application JOIN account a ON a.id = "
    "p.account WHERE s.reviewer = $reviewer ORDER BY s.done IS NOT NULL, "
    "s.id",
[S_ASSIGN_GET] = "SELECT s.id, s.application, s.recommendation, "
    "s.missing, s.comments, s.to_applicant, s.competencies, s.done FROM "
    "assignment s WHERE s.id = $id AND s.reviewer = $reviewer",
[S_ASSIGN_SAVE] = "UPDATE assignment SET recommendation = $rec, missing = "
    "$missing, comments = $comments, to_applicant = $to_applicant, "
    "competencies = $competencies, done = $done WHERE id = $id AND "
    "reviewer = $reviewer",
[S_ASSIGN_DELETE] = "DELETE FROM assignment WHERE id = $id AND "
    "application = $app AND done IS NULL",
[S_ASSIGN_CLEAR_OPEN] = "DELETE FROM assignment WHERE application = $app "
    "AND done IS NULL",
[S_ASSIGN_OF] = "SELECT id FROM assignment WHERE application = $app AND "
    "reviewer = $reviewer",
[S_EXAM_SESSION_INSERT] = "INSERT INTO exam_session (association, date, "
    "place, created) VALUES ($assoc, $date, $place, $now)",
[S_EXAM_SESSION_LIST] = "SELECT s.id, s.date, s.place, (SELECT count(*) "
    "FROM exam_registration g WHERE g.session = s.id) FROM exam_session s "
    "WHERE s.association = $assoc ORDER BY s.date DESC, s.id DESC",
[S_EXAM_SESSION_GET] = "SELECT id, date, place FROM exam_session WHERE "
    "id = $id AND association = $assoc",
[S_EXAM_REG_INSERT] = "INSERT INTO exam_registration (session, "
    "application, code, created) VALUES ($session, $app, $code, $now)",
[S_EXAM_REG_LIST_SESSION] = "SELECT g.id, g.application, a.name, g.code, "
    "g.part1, g.score_a, g.score_b, g.result FROM exam_registration g "
    "JOIN application p ON p.id = g.application JOIN account a ON a.id = "
    "p.account WHERE g.session = $session ORDER BY g.id",
[S_EXAM_REG_LIST_APP] = "SELECT g.id, s.date, s.place, g.part1, "
    "g.score_a, g.score_b, g.result FROM exam_registration g JOIN "
    "exam_session s ON s.id = g.session WHERE g.application = $app ORDER "
    "BY s.date, g.id",
[S_EXAM_REG_GET] = "SELECT g.id, g.session, g.application, g.part1, "
    "g.score_a, g.scorer_a, g.score_b, g.scorer_b, g.result, s.date, "
    "s.association FROM exam_registration g JOIN exam_session s ON s.id = "
    "g.session WHERE g.id = $id",
[S_EXAM_REG_PART1] = "UPDATE exam_registration SET part1 = $score WHERE "
    "id = $id AND result IS NULL",
[S_EXAM_REG_SCORE_A] = "UPDATE exam_registration SET score_a = $score, "
    "scorer_a = $scorer WHERE id = $id AND score_a IS NULL AND result IS "
    "NULL",
[S_EXAM_REG_SCORE_B] = "UPDATE exam_registration SET score_b = $score, "
    "scorer_b = $scorer WHERE id = $id AND score_b IS NULL AND score_a IS "
    "NOT NULL AND scorer_a <> $scorer AND result IS NULL",
[S_EXAM_REG_RESULT] = "UPDATE exam_registration SET result = $result "
    "WHERE id = $id AND result IS NULL",
/* Vignettes still to score, by code only, none this scorer scored. */
[S_EXAM_VIGNETTES] = "SELECT g.id, g.code, s.date, g.score_a IS NOT NULL "
    "FROM exam_registration g JOIN exam_session s ON s.id = g.session "
    "WHERE s.association = $assoc AND g.result IS NULL AND (g.score_a IS "
    "NULL OR (g.score_b IS NULL AND g.scorer_a <> $scorer)) ORDER BY "
    "s.date, g.id",
/* Applications approved for the exam that may be registered for this
   session: none registered in it, none passed, none waiting for a
   result. */
[S_EXAM_ELIGIBLE] = "SELECT p.id, a.name, p.category FROM application p "
    "JOIN account a ON a.id = p.account WHERE p.association = $assoc AND "
    "p.status = 'exam' AND NOT EXISTS (SELECT 1 FROM exam_registration g "
    "WHERE g.application = p.id AND (g.session = $session OR g.result IS "
    "NULL OR g.result = 'pass')) ORDER BY a.name COLLATE NOCASE, p.id",
[S_REVIEWER_ASSOCS] = "SELECT association FROM reviewer WHERE account = "
    "$account ORDER BY association",
[S_ENDORSEMENT_COUNT_PREFIX] = "SELECT count(*) FROM endorsement WHERE "
    "number LIKE $pat ESCAPE '\\'",
[S_ENDORSEMENT_ISSUE] = "INSERT INTO endorsement (number, account, "
    "association, category, since, status, name, city, created, "
    "application) VALUES ($number, $account, $assoc, $category, $since, "
    "'active', $name, $city, $now, $app)",
[S_ENDORSEMENT_OF_ACCOUNT] = "SELECT id, number, association, category, "
    "since, status, hidden, name, emerging_until FROM endorsement WHERE "
    "account = $account ORDER BY since, id",
[S_ENDORSEMENT_HIDE] = "UPDATE endorsement SET hidden = $hidden WHERE id = "
    "$id AND account = $account",
[S_ENDORSEMENT_OF_APP] = "SELECT id, number FROM endorsement WHERE "
    "application = $app",
[S_LOG_INSERT] = "INSERT INTO log_entry (account, association, kind, data, "
    "start, rec, created) VALUES ($account, $assoc, $kind, $data, $start, "
    "$rec, $now)",
[S_LOG_UPDATE] = "UPDATE log_entry SET data = $data, start = $start, rec = "
    "$rec WHERE id = $id AND account = $account",
[S_LOG_DELETE] = "DELETE FROM log_entry WHERE id = $id AND account = "
    "$account",
[S_LOG_GET] = "SELECT id, account, association, kind, data, start FROM "
    "log_entry WHERE id = $id",
[S_LOG_LIST] = "SELECT l.id, l.kind, l.data, l.start, v.filename FROM "
    "log_entry l LEFT JOIN evidence v ON v.entry = l.id WHERE l.account = "
    "$account AND l.association = $assoc ORDER BY l.start DESC, l.id DESC",
/* The scans read one association in account order (lifecycle.c merges
   them); one account is the range $lo = $hi. */
[S_LOG_SCAN] = "SELECT account, rec, id FROM log_entry WHERE association = "
    "$assoc AND account BETWEEN $lo AND $hi ORDER BY account, id",
/* The same entries as written, in the same order (the export). */
[S_LOG_EXPORT] = "SELECT id, kind, start, data FROM log_entry WHERE "
    "association = $assoc AND account = $account ORDER BY account, id",
/* Under audit only the entries the coordinator accepted count. */
[S_LOG_SCAN_AUDIT] = "SELECT l.account, l.rec, l.id FROM log_entry l JOIN "
    "audit_item i ON i.entry = l.id AND i.renewal = $renewal AND i.status = "
    "'accepted' WHERE l.association = $assoc AND l.account BETWEEN $lo AND "
    "$hi ORDER BY l.account, l.id",
[S_MEMBER_SCAN] = "SELECT account, start, end FROM membership WHERE "
    "association = $assoc AND account BETWEEN $lo AND $hi ORDER BY account",
[S_LIFE_SCAN] = "SELECT e.id, e.account, e.number, e.category, e.since, "
    "e.status, e.emerging_until, r.id, r.status, r.cure_by FROM endorsement "
    "e LEFT JOIN renewal r ON r.endorsement = e.id AND r.cycle = $cycle "
    "WHERE e.association = $assoc AND e.account BETWEEN $lo AND $hi ORDER "
    "BY e.account, e.id",
[S_EVIDENCE_PUT] = "INSERT OR REPLACE INTO evidence (entry, filename, ctype, "
    "size, content, created) VALUES ($entry, $filename, $ctype, $size, "
    "$content, $now)",
[S_EVIDENCE_GET] = "SELECT filename, ctype, content FROM evidence WHERE "
    "entry = $entry",
[S_RENEWAL_INSERT] = "INSERT INTO renewal (endorsement, cycle, status, "
    "attested, statement, changed) VALUES ($endorsement, $cycle, $status, "
    "$attested, $statement, $now)",
[S_RENEWAL_GET] = "SELECT r.id, r.endorsement, r.cycle, r.status, "
    "r.cure_by, r.draw, e.account, e.association, e.category, e.number, "
    "a.name, a.email, r.attested, r.statement FROM renewal r JOIN "
    "endorsement e ON e.id = r.endorsement LEFT JOIN account a ON a.id = "
    "e.account WHERE r.id = $id",
[S_RENEWAL_SET] = "UPDATE renewal SET status = $status, cure_by = $cure_by, "
    "changed = $now WHERE id = $id",
[S_RENEWAL_ATTESTED] = "SELECT r.id FROM renewal r JOIN endorsement e ON "
    "e.id = r.endorsement WHERE e.association = $assoc AND r.cycle = $cycle "
    "AND r.status = 'attested' ORDER BY r.id",
[S_RENEWAL_DRAW] = "UPDATE renewal SET status = 'audit', draw = $draw, "
    "changed = $now WHERE id = $id AND status = 'attested'",
[S_RENEWAL_OPEN_OF] = "SELECT r.id, r.cycle FROM renewal r JOIN endorsement "
    "e ON e.id = r.endorsement WHERE e.account = $account AND "
    "e.association = $assoc AND r.status IN ('audit', 'cure')",
[S_RENEWAL_CURE_DUE] = "SELECT r.id FROM renewal r JOIN endorsement e ON "
    "e.id = r.endorsement WHERE e.association = $assoc AND r.status = "
    "'cure' AND r.cure_by < $today",
[S_DRAW_INSERT] = "INSERT INTO audit_draw (association, cycle, percent, "
    "seed, population, drawn, actor, at) VALUES ($assoc, $cycle, $percent, "
    "$seed, $population, $drawn, $actor, $now)",
[S_DRAW_GET] = "SELECT id, percent, seed, population, drawn, at FROM "
    "audit_draw WHERE association = $assoc AND cycle = $cycle",
[S_ITEM_INSERT] = "INSERT OR IGNORE INTO audit_item (renewal, entry) "
    "VALUES ($renewal, $entry)",
[S_ITEM_LIST] = "SELECT i.entry, i.status, i.note, l.kind, l.data, "
    "v.filename FROM audit_item i JOIN log_entry l ON l.id = i.entry LEFT "
    "JOIN evidence v ON v.entry = i.entry WHERE i.renewal = $renewal ORDER "
    "BY l.start, l.id",
[S_ITEM_DECIDE] = "UPDATE audit_item SET status = $status, note = $note, "
    "decided = $now WHERE renewal = $renewal AND entry = $entry",
[S_ITEM_PENDING] = "SELECT count(*) FROM audit_item WHERE renewal = "
    "$renewal AND status = 'pending'",
/* New evidence for a rejected entry asks the coordinator again. */
[S_ITEM_REOPEN] = "UPDATE audit_item SET status = 'pending', decided = "
    "NULL WHERE entry = $entry AND status = 'rejected' AND renewal IN "
    "(SELECT id FROM renewal WHERE status IN ('audit', 'cure'))",
[S_ITEM_OF_ENTRY] = "SELECT i.renewal, i.status, i.note FROM audit_item i "
    "JOIN renewal r ON r.id = i.renewal WHERE i.entry = $entry AND "
    "r.status IN ('audit', 'cure')",
[S_WINDOW_GET] = "SELECT closed, lapsed FROM renewal_window WHERE "
    "association = $assoc AND cycle = $cycle",
[S_WINDOW_CLOSE] = "INSERT INTO renewal_window (association, cycle, closed, "
    "actor, lapsed) VALUES ($assoc, $cycle, $now, $actor, $lapsed)",
[S_REMINDER_INSERT] = "INSERT OR IGNORE INTO reminder (kind, ref, due, days, "
    "sent) VALUES ($kind, $ref, $due, $days, $now)",
[S_ENDORSEMENT_GET] = "SELECT e.id, e.number, e.account, e.association, "
    "e.category, e.since, e.status, e.emerging_until, e.changed, a.name, "
    "a.email FROM endorsement e LEFT JOIN account a ON a.id = e.account "
    "WHERE e.id = $id",
[S_ENDORSEMENT_SET_STATUS] = "UPDATE endorsement SET status = $status, "
    "changed = $changed WHERE id = $id",
[S_ENDORSEMENT_SET_EMERGING] = "UPDATE endorsement SET emerging_until = "
    "$until WHERE id = $id",
[S_ENDORSEMENT_HELD] = "SELECT id, number, emerging_until FROM endorsement "
    "WHERE account = $account AND association = $assoc AND category = "
    "$category AND status = 'active'",
[S_EMERGING_LIST] = "SELECT e.id, e.number, e.emerging_until, a.email, "
    "a.name, e.category FROM endorsement e JOIN account a ON a.id = "
    "e.account WHERE e.association = $assoc AND e.status = 'active' AND "
    "e.emerging_until IS NOT NULL",
/* Memberships ending in [$from, $to] that no other period continues. */
[S_MEMBER_ENDING] = "SELECT m.id, m.end, a.email, a.name FROM membership m "
    "JOIN account a ON a.id = m.account WHERE m.association = $assoc AND "
    "m.end BETWEEN $from AND $to AND NOT EXISTS (SELECT 1 FROM membership "
    "n WHERE n.account = m.account AND n.association = m.association AND "
    "n.id <> m.id AND n.start <= date(m.end, '+1 day') AND (n.end IS NULL "
    "OR n.end > m.end))",
[S_REINSTATE_INSERT] = "INSERT INTO reinstatement (endorsement, fee_owed, "
    "requested) VALUES ($endorsement, $fee, $now)",
[S_REINSTATE_LIST] = "SELECT r.id, r.endorsement, e.number, e.category, "
    "a.name, r.fee_owed, r.requested, e.status FROM reinstatement r JOIN "
    "endorsement e ON e.id = r.endorsement LEFT JOIN account a ON a.id = "
    "e.account WHERE e.association = $assoc AND r.status = 'requested' "
    "ORDER BY r.id",
[S_REINSTATE_GET] = "SELECT r.id, r.endorsement, r.status, e.association "
    "FROM reinstatement r JOIN endorsement e ON e.id = r.endorsement WHERE "
    "r.id = $id",
[S_REINSTATE_DECIDE] = "UPDATE reinstatement SET status = $status, note = "
    "$note, decided = $now WHERE id = $id AND status = 'requested'",
[S_REINSTATE_OPEN] = "SELECT id, status, note, fee_owed FROM reinstatement "
    "WHERE endorsement = $endorsement ORDER BY id DESC LIMIT 1",
[S_RENEWAL_LAPSED] = "SELECT cycle FROM renewal WHERE endorsement = "
    "$endorsement AND status = 'lapsed' ORDER BY cycle DESC LIMIT 1",
[S_ENDORSEE_NAMES] = "SELECT e.account, a.name, a.email FROM "
    "endorsement e JOIN account a ON a.id = e.account WHERE e.association "
    "= $assoc GROUP BY e.account",
[S_RENEWAL_SET_BY] = "UPDATE renewal SET status = 'renewed', changed = $now "
    "WHERE endorsement = $endorsement AND cycle = $cycle",
/* The cycles an account renewed (or attested) in an association. */
[S_RENEWAL_CYCLES_OF] = "SELECT DISTINCT r.cycle FROM renewal r JOIN "
    "endorsement e ON e.id = r.endorsement WHERE e.account = $account AND "
    "e.association = $assoc AND r.status IN ('attested', 'audit', 'cure', "
    "'renewed')",
/* The applications a rule change may move: every one not decided yet,
   that its applicant or the coordinator still works on (impact.c). */
[S_IMPACT_APPS] = "SELECT p.id, p.account, p.category, p.status, "
    "p.ethics_signed, a.name FROM application p JOIN account a ON a.id = "
    "p.account WHERE p.association = $assoc AND p.status IN ('draft', "
    "'submitted', 'exam', 'deferred') ORDER BY p.id",
[S_RULEV_LAST] = "SELECT id, sha256, text, installed_at FROM rule_version "
    "WHERE association = $assoc ORDER BY id DESC LIMIT 1",
[S_RULEV_INSERT] = "INSERT INTO rule_version (association, sha256, text, "
    "installed_at) VALUES ($assoc, $sha256, $text, $now)",
[S_RULE_CHANGE_INSERT] = "INSERT INTO rule_change (association, "
    "old_version, new_version, at, applications, renewals, impact) VALUES "
    "($assoc, $old, $new, $now, $apps, $renewals, $impact)",
/* One change of the association: $id, or the latest ($id NULL). */
[S_RULE_CHANGE_GET] = "SELECT c.id, c.at, o.sha256, n.sha256, "
    "c.applications, c.renewals, c.impact FROM rule_change c JOIN "
    "rule_version o ON o.id = c.old_version JOIN rule_version n ON n.id = "
    "c.new_version WHERE c.association = $assoc AND ($id IS NULL OR c.id = "
    "$id) ORDER BY c.id DESC LIMIT 1",
[S_RULE_CHANGE_LIST] = "SELECT c.id, c.at, o.sha256, n.sha256, "
    "c.applications, c.renewals FROM rule_change c JOIN rule_version o ON "
    "o.id = c.old_version JOIN rule_version n ON n.id = c.new_version "
    "WHERE c.association = $assoc ORDER BY c.id DESC LIMIT 100",
[S_BEGIN] = "BEGIN IMMEDIATE",
[S_BEGIN_READ] = "BEGIN",
[S_COMMIT] = "COMMIT",
[S_ROLLBACK] = "ROLLBACK",
};

struct conn {
	sqlite3		*db;
	sqlite3_stmt	*st[S__N];
};

static char		*db_file;
static pthread_key_t	 conn_key;
static pthread_once_t	 conn_once = PTHREAD_ONCE_INIT;

static void
conn_close(void *p)
{
	struct conn	*c = p;
	int		 i;

	if (c == NULL)
		return;
	for (i = 0; i < S__N; i++)
		sqlite3_finalize(c->st[i]);
	sqlite3_close(c->db);
	free(c);
}

static void
conn_key_init(void)
{
	pthread_key_create(&conn_key, conn_close);
}

/*
 * Wait for another connection's lock.  SQLite's own handler
 * (sqlite3_busy_timeout) sleeps 1, 2, 5, 10, ... 100 ms between tries; a
 * write transaction of this server holds the lock for a fraction of a
 * millisecond, so a worker thread that sleeps that long leaves all its
 * connections waiting (strace counted 717 such sleeps in 10 s of
 * bench/run load's mix at 256 connections).  Here: a try every 100 us,
 * for up to 5 s as before, timed from the first try (one connection per
 * thread, and a thread waits on one statement at a time).
 */
#define BUSY_WAIT_NS	100000L
#define BUSY_MAX_S	5
static _Thread_local struct timespec	 busy_since;

static int
busy_wait(void *arg, int tries)
{
	struct timespec	 now, ts = { 0, BUSY_WAIT_NS };

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (tries == 0)
		busy_since = now;
	else if (now.tv_sec - busy_since.tv_sec > BUSY_MAX_S ||
	    (now.tv_sec - busy_since.tv_sec == BUSY_MAX_S &&
	    now.tv_nsec >= busy_since.tv_nsec))
		return 0;
	nanosleep(&ts, NULL);
	return 1;
}

static sqlite3 *
open_db(const char *file, char **cause)
{
	sqlite3	*db;
	char	*err = NULL;

	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", file, sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_handler(db, busy_wait, NULL);
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	    "PRAGMA synchronous=NORMAL;", NULL, NULL, &err) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", file, err);
		sqlite3_free(err);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

sqlite3 *
db_conn(void)
{
	struct conn	*c;
	char		*cause = NULL;

	pthread_once(&conn_once, conn_key_init);
	if ((c = pthread_getspecific(conn_key)) != NULL)
		return c->db;
	c = xcalloc(1, sizeof *c);
	if ((c->db = open_db(db_file, &cause)) == NULL) {
		fprintf(stderr, "endorse: %s\n", cause);
		abort();
	}
	pthread_setspecific(conn_key, c);
	return c->db;
}

sqlite3_stmt *
db_stmt(enum stmt s)
{
	struct conn	*c;

	db_conn();
	c = pthread_getspecific(conn_key);
	if (c->st[s] == NULL) {
		if (sqlite3_prepare_v3(c->db, sql[s], -1,
		    SQLITE_PREPARE_PERSISTENT, &c->st[s], NULL) != SQLITE_OK) {
			/* A statement of the table that does not prepare is
			   a bug in this file, found by the first test. */
			fprintf(stderr, "endorse: statement %d: %s\n", (int)s,
			    sqlite3_errmsg(c->db));
			abort();
		}
	} else {
		sqlite3_reset(c->st[s]);
		sqlite3_clear_bindings(c->st[s]);
	}
	return c->st[s];
}

static int
param(sqlite3_stmt *st, const char *name)
{
	int	 i = sqlite3_bind_parameter_index(st, name);

	/* Binding a name the statement lacks is a programming error. */
	if (i == 0) {
		fprintf(stderr, "endorse: no parameter %s in: %s\n", name,
		    sqlite3_sql(st));
		abort();
	}
	return i;
}

void
db_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, param(st, name));
	else
		sqlite3_bind_text(st, param(st, name), v, -1,
		    SQLITE_TRANSIENT);
}

void
db_bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	sqlite3_bind_int64(st, param(st, name), v);
}

void
db_bind_blob(sqlite3_stmt *st, const char *name, const void *v, size_t n)
{
	sqlite3_bind_blob64(st, param(st, name), v, n, SQLITE_TRANSIENT);
}

void
db_bind_null(sqlite3_stmt *st, const char *name)
{
	sqlite3_bind_null(st, param(st, name));
}

int
db_exec(sqlite3_stmt *st)
{
	int	 rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_event("error", "sql", "error",
		    sqlite3_errmsg(sqlite3_db_handle(st)), "sql",
		    sqlite3_sql(st), (const char *)NULL);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int
db_begin(void)
{
	return db_exec(db_stmt(S_BEGIN));
}

int
db_begin_read(void)
{
	return db_exec(db_stmt(S_BEGIN_READ));
}

int
db_commit(void)
{
	return db_exec(db_stmt(S_COMMIT));
}

void
db_rollback(void)
{
	if (!sqlite3_get_autocommit(db_conn()))
		db_exec(db_stmt(S_ROLLBACK));
}

int64_t
db_last_id(void)
{
	return sqlite3_last_insert_rowid(db_conn());
}

int
db_changes(void)
{
	return sqlite3_changes(db_conn());
}

char *
db_text(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	return t == NULL ? NULL : arena_strdup(a, (const char *)t);
}

/*
 * Seconds since the epoch.  ENDORSE_NOW=YYYY-MM-DD starts the clock at
 * noon of that day and lets it run (tests and demos with a fixed date).
 * The first call happens before any thread starts.
 */
int64_t
db_now(void)
{
	static int64_t	 offset = -1;
	const char	*e;
	int32_t		 d;

	if (offset == -1) {
		offset = 0;
		if ((e = getenv("ENDORSE_NOW")) != NULL &&
		    date_parse(e, &d) == 0)
			offset = (int64_t)d * 86400 + 12 * 3600 -
			    (int64_t)time(NULL);
	}
	return (int64_t)time(NULL) + offset;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Apply db/NNN-*.sql above the database's user_version, each in one
   transaction with the version bump. */
static int
migrate(sqlite3 *db, const char *dir, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, path[4096], *err = NULL, *text;
	sqlite3_stmt	*st;
	int		 n = 0, i, version = 0, num, rc = -1;
	size_t		 len;
	FILE		*f;
	struct buf	 b;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if ((d = opendir(dir)) == NULL) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".sql") == 0) {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (i = 0; i < n; i++) {
		num = atoi(names[i]);
		if (num <= version)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((f = fopen(path, "r")) == NULL) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			goto out;
		}
		buf_init(&b);
		while ((len = fread(path, 1, sizeof path, f)) > 0)
			buf_add(&b, path, len);
		fclose(f);
		buf_printf(&b, "\n;PRAGMA user_version = %d;", num);
		text = b.s;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
		    SQLITE_OK || sqlite3_exec(db, text, NULL, NULL, &err) !=
		    SQLITE_OK) {
			xasprintf(cause, "%s: %s", path,
			    err != NULL ? err : sqlite3_errmsg(db));
			sqlite3_free(err);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			buf_free(&b);
			goto out;
		}
		buf_free(&b);
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
db_init(const char *file, const char *migrations, char **cause)
{
	sqlite3	*db;
	int	 rc;

	*cause = NULL;
	if ((db = open_db(file, cause)) == NULL)
		return -1;
	rc = migrate(db, migrations, cause);
	sqlite3_close(db);
	if (rc == 0) {
		free(db_file);
		db_file = xstrdup(file);
	}
	return rc;
}

/* Close the calling thread's connection (the others close at exit). */
void
db_shutdown(void)
{
	struct conn	*c;

	pthread_once(&conn_once, conn_key_init);
	if ((c = pthread_getspecific(conn_key)) != NULL) {
		conn_close(c);
		pthread_setspecific(conn_key, NULL);
	}
}
