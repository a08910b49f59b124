/*
 * Issue 14, the visible-failure acceptance: a scan of the endorsements
 * that fails (a read error, not the end of the rows) must not close the
 * renewal window, or the endorsements it never reached would stay active
 * for good; one that succeeds closes it and lapses whoever had to renew.
 * db.c's test hook (db_test_fail_at) makes the Nth step from now fail as
 * an I/O error would; every N in turn, through the whole close.
 */
#include <stdlib.h>
#include <unistd.h>

#include "web.h"
#include "dom-life.h"
#include "unit.h"

void test_life_scan_fails(void);
void test_life_close_fails(void);
void test_life_machine(void);
int db_test_fail_at(int);

#define NEND	3

static struct ruleset *
life_rules(void)
{
	const char	*s = "association t\nrenewal\n\tcycle 1 years from "
	    "2024\n\tprorate 1 15 3 12\nend\ncategory X \"x\"\n\trequire "
	    "e\n\t\tfact ethics\n\trenew training\nend\n";
	char		*cause = NULL;
	struct ruleset	*rs;

	if ((rs = rules_parse("t.rules", s, strlen(s), &cause)) == NULL) {
		printf("#   %s\n", cause);
		free(cause);
	}
	return rs;
}

/* A fresh database with NEND accounts, each with an active endorsement
   of association t since 2020; its file name in path. */
static int
life_db(char *path, size_t len)
{
	struct dbq	*st;
	char		*cause = NULL, s[64];
	int		 i, fd, rc = 0;

	snprintf(path, len, "/tmp/endorse-unit-XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	if (db_init(path, "db", &cause) != 0) {
		printf("#   %s\n", cause);
		free(cause);
		return -1;
	}
	db_begin();
	for (i = 0; i < NEND && rc == 0; i++) {
		st = db_stmt(S_ACCOUNT_INSERT);
		snprintf(s, sizeof s, "p%d@example.org", i);
		db_bind_text(st, "$email", s);
		db_bind_text(st, "$name", s);
		db_bind_text(st, "$pwhash", "x");
		db_bind_text(st, "$role", "applicant");
		db_bind_null(st, "$assoc");
		db_bind_int(st, "$now", db_now());
		rc = db_exec(st);
		st = db_stmt(S_ENDORSEMENT_INSERT);
		snprintf(s, sizeof s, "T-%d", i);
		db_bind_text(st, "$number", s);
		db_bind_int(st, "$account", db_last_id());
		db_bind_text(st, "$assoc", "t");
		db_bind_text(st, "$category", "X");
		db_bind_text(st, "$since", "2020-01-01");
		db_bind_enum(st, "$status", endorsement_status,
		    ENDORSEMENT_ACTIVE);
		db_bind_text(st, "$name", s);
		db_bind_text(st, "$city", "");
		db_bind_int(st, "$now", db_now());
		if (rc == 0)
			rc = db_exec(st);
	}
	return rc == 0 ? db_commit() : -1;
}

static void
life_db_free(const char *path)
{
	char	 p[128];

	db_shutdown();
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* How many of the endorsements are lapsed. */
static int
life_lapsed(void)
{
	struct dbq			*st;
	struct row_endorsement_get	 g;
	int				 i, n = 0;

	for (i = 1; i <= NEND; i++) {
		st = db_stmt(S_ENDORSEMENT_GET);
		db_bind_int(st, "$id", i);
		if (row_endorsement_get(st, NULL, &g) == DB_ROW &&
		    g.status == ENDORSEMENT_LAPSED)
			n++;
		db_reset(st);
	}
	return n;
}

static void
count_item(void *arg, const struct life_item *it)
{
	(void)it;
	(*(int *)arg)++;
}

/* A scan whose Nth step fails answers -1, never a shorter list. */
void
test_life_scan_fails(void)
{
	struct ruleset	*rs = life_rules();
	char		 path[64];
	int		 n, seen, rc, fired, clean = 0;

	CHECK(rs != NULL);
	if (rs == NULL || life_db(path, sizeof path) != 0) {
		CHECK(0);
		return;
	}
	for (n = 1; n < 64 && !clean; n++) {
		seen = 0;
		db_begin_read();
		db_test_fail_at(n);
		rc = life_scan_rules(rs, 0, 2025, date_from_ymd(2025, 12, 31),
		    DATE_NONE, 0, count_item, &seen);
		fired = db_test_fail_at(0) == 0;
		db_rollback();
		if (fired) {
			CHECK(rc == -1);
			CHECK(seen < NEND);
		} else {
			CHECK(rc == NEND);
			CHECK(seen == NEND);
			clean = 1;
		}
	}
	CHECK(clean);
	rules_free(rs);
	life_db_free(path);
}

/*
 * Closing the 2025 window with the Nth step failing, for every N until
 * one runs clean: the close answers -1, the window is not closed and
 * nobody lapsed; when the scan itself failed, not even in the failed
 * transaction.  Without a failure the window closes and every
 * endorsement lapses.
 */
void
test_life_close_fails(void)
{
	struct ruleset	*rs = life_rules();
	struct arena	 a;
	struct derr	 e;
	char		 path[64];
	int		 n, rc, fired, lapsed, marked, clean = 0, scanfail = 0;

	CHECK(rs != NULL);
	if (rs == NULL || life_db(path, sizeof path) != 0) {
		CHECK(0);
		return;
	}
	if (cfg.base_url == NULL)
		cfg.base_url = xstrdup("https://endorse.example");
	arena_init(&a);
	for (n = 1; n < 400 && !clean; n++) {
		db_begin();
		db_test_fail_at(n);
		rc = life_close_rules(&actor_system, rs, 2025, &lapsed, &e, &a);
		fired = db_test_fail_at(0) == 0;
		if (!fired) {
			CHECK(rc == 0);
			CHECK(lapsed == NEND);
			CHECK(db_commit() == 0);
			CHECK(life_window_state("t", 2025, NULL) == 1);
			CHECK(life_lapsed() == NEND);
			clean = 1;
			break;
		}
		CHECK(rc == -1);
		/* Nothing lapsed yet: the failure was in the scan (or the
		   window's own read), and the window is not even marked in
		   the transaction that failed. */
		if (lapsed == 0 && life_lapsed() == 0) {
			marked = life_window_state("t", 2025, NULL);
			CHECK(marked == 0);
			scanfail++;
		}
		CHECK(db_commit() == -1);
		CHECK(life_window_state("t", 2025, NULL) == 0);
		CHECK(life_lapsed() == 0);
	}
	CHECK(clean);
	CHECK(scanfail > NEND);
	/* Closed: a second close says so and changes nothing. */
	db_begin();
	CHECK(life_close_rules(&actor_system, rs, 2025, &lapsed, &e, &a) == 1);
	db_rollback();
	arena_free(&a);
	rules_free(rs);
	life_db_free(path);
}

/* The endorsement's machine: who may move it, and from where. */
void
test_life_machine(void)
{
	const struct sm	*m = &endorsement_machine;
	struct arena	 a;
	struct derr	 e;

	arena_init(&a);
	CHECK(sm_apply(m, ENDORSEMENT_ACTIVE, LIFEEV_LAPSE, SM_WHO_SYSTEM, &e,
	    &a) == ENDORSEMENT_LAPSED);
	CHECK(sm_apply(m, life_state(ENDORSEMENT_ACTIVE, "2026-01-01"),
	    LIFEEV_LAPSE, SM_WHO_SYSTEM, &e, &a) == ENDORSEMENT_LAPSED);
	CHECK(sm_apply(m, ENDORSEMENT_ACTIVE, LIFEEV_INACTIVE,
	    SM_WHO_APPLICANT, &e, &a) == ENDORSEMENT_INACTIVE);
	CHECK(sm_apply(m, ENDORSEMENT_ACTIVE, LIFEEV_INACTIVE, SM_WHO_SYSTEM,
	    &e, &a) == -1 && e.status == 403);
	CHECK(sm_apply(m, ENDORSEMENT_REVOKED, LIFEEV_LAPSE, SM_WHO_SYSTEM,
	    &e, &a) == -1 && e.status == 409);
	CHECK(sm_apply(m, ENDORSEMENT_LAPSED, LIFEEV_REINSTATE,
	    SM_WHO_COORDINATOR, &e, &a) == ENDORSEMENT_ACTIVE);
	CHECK(actor_who(&actor_system) == SM_WHO_SYSTEM);
	arena_free(&a);
}
