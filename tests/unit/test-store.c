/*
 * The store and the domain's common ground: typed rows checked against
 * their SQL, a failed step that makes the commit refuse, the state
 * machine's one function.
 */
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "web.h"
#include "unit.h"

void	test_store_columns(void);
void	test_store_rows(void);
void	test_store_failed_commit(void);
void	test_sm_apply(void);

/* A SELECT whose columns are not its row's, by name or by number, is
   refused; one that matches passes. */
void
test_store_columns(void)
{
	static const char *const two[] = { "id", "email", NULL };
	static const char *const swapped[] = { "email", "id", NULL };
	static const char *const one[] = { "id", NULL };
	sqlite3		*db;
	char		*cause = NULL;

	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "CREATE TABLE t (id INTEGER, email TEXT)",
	    NULL, NULL, NULL) == SQLITE_OK);
	CHECK(db_check_columns(db, "S_T", "SELECT id, email FROM t", "t", two,
	    &cause) == 0);
	CHECK(db_check_columns(db, "S_T", "SELECT id, email FROM t", "t",
	    swapped, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "reads \"email\"") != NULL);
	free(cause);
	cause = NULL;
	CHECK(db_check_columns(db, "S_T", "SELECT id, email FROM t", "t", one,
	    &cause) == -1);
	free(cause);
	cause = NULL;
	/* An expression needs its AS name. */
	CHECK(db_check_columns(db, "S_T", "SELECT count(*) FROM t", "t", one,
	    &cause) == -1);
	free(cause);
	cause = NULL;
	CHECK(db_check_columns(db, "S_T", "SELECT count(*) AS id FROM t", "t",
	    one, &cause) == 0);
	/* A statement that returns no row has no columns. */
	CHECK(db_check_columns(db, "S_T", "DELETE FROM t", "none", NULL,
	    &cause) == 0);
	CHECK(db_check_columns(db, "S_T", "SELECT id FROM t", "none", NULL,
	    &cause) == -1);
	free(cause);
	sqlite3_close(db);
}

static char	 dbdir[64];

static int
open_store(void)
{
	char	 file[96], *cause = NULL;

	snprintf(dbdir, sizeof dbdir, "/tmp/endorse-unit-XXXXXX");
	if (mkdtemp(dbdir) == NULL)
		return -1;
	snprintf(file, sizeof file, "%s/t.db", dbdir);
	if (db_init(file, "db", &cause) != 0) {
		printf("#   db_init: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static void
close_store(void)
{
	char	 cmd[128];

	db_shutdown();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dbdir);
	if (system(cmd) != 0)
		printf("#   could not remove %s\n", dbdir);
}

static int
add_account(const char *email)
{
	struct dbq	*q = db_stmt(S_ACCOUNT_INSERT);

	db_bind_text(q, "$email", email);
	db_bind_text(q, "$name", "Pat");
	db_bind_text(q, "$pwhash", "x");
	db_bind_text(q, "$role", "applicant");
	db_bind_null(q, "$assoc");
	db_bind_int(q, "$now", 1);
	return db_exec(q);
}

/* A typed row reads the columns by name, then says done. */
void
test_store_rows(void)
{
	struct row_account_by_email	 r;
	struct arena			 a;
	struct dbq			*q;

	if (open_store() != 0) {
		CHECK(!"the store opens");
		return;
	}
	arena_init(&a);
	CHECK(add_account("pat@example.org") == 0);
	q = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(q, "$email", "pat@example.org");
	CHECK(row_account_by_email(q, &a, &r) == DB_ROW);
	CHECK_STR(r.email, "pat@example.org");
	CHECK_STR(r.name, "Pat");
	CHECK(r.role == ACCT_APPLICANT);
	CHECK(r.association == NULL);
	CHECK(r.id > 0);
	CHECK(row_account_by_email(q, &a, &r) == DB_DONE);
	db_reset(q);
	q = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(q, "$email", "nobody@example.org");
	CHECK(row_account_by_email(q, &a, &r) == DB_DONE);
	db_reset(q);
	arena_free(&a);
	close_store();
}

/* A step that fails inside a transaction makes the commit refuse and
   roll back what the transaction had done; outside one, nothing is
   marked. */
void
test_store_failed_commit(void)
{
	struct row_account_by_email	 r;
	struct dbq			*q;

	if (open_store() != 0) {
		CHECK(!"the store opens");
		return;
	}
	CHECK(add_account("one@example.org") == 0);
	CHECK(db_begin() == 0);
	CHECK(add_account("two@example.org") == 0);
	/* The same e-mail again: a constraint refuses the step. */
	CHECK(add_account("one@example.org") == -1);
	CHECK(db_error() == DBE_CONSTRAINT);
	CHECK(db_commit() == -1);
	q = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(q, "$email", "two@example.org");
	CHECK(row_account_by_email(q, NULL, &r) == DB_DONE);
	db_reset(q);
	/* A clean transaction commits. */
	CHECK(db_begin() == 0);
	CHECK(add_account("three@example.org") == 0);
	CHECK(db_commit() == 0);
	q = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(q, "$email", "three@example.org");
	CHECK(row_account_by_email(q, NULL, &r) == DB_ROW);
	db_reset(q);
	close_store();
}

/* The application's machine: who may do what from where. */
void
test_sm_apply(void)
{
	struct arena	 a;
	struct derr	 e;

	arena_init(&a);
	CHECK(sm_apply(&app_machine, APP_DRAFT, APPEV_SUBMIT,
	    SM_WHO_APPLICANT, &e, &a) == APP_SUBMITTED);
	CHECK(sm_apply(&app_machine, APP_DEFERRED, APPEV_SUBMIT,
	    SM_WHO_APPLICANT, &e, &a) == APP_SUBMITTED);
	CHECK(sm_apply(&app_machine, APP_SUBMITTED, APPEV_EXAM,
	    SM_WHO_COORDINATOR, &e, &a) == APP_EXAM);
	CHECK(sm_apply(&app_machine, APP_EXAM, APPEV_ENDORSE,
	    SM_WHO_COORDINATOR, &e, &a) == APP_ENDORSED);
	/* Not by this actor: 403. */
	CHECK(sm_apply(&app_machine, APP_DRAFT, APPEV_SUBMIT,
	    SM_WHO_COORDINATOR, &e, &a) == -1);
	CHECK(e.status == 403);
	CHECK(sm_apply(&app_machine, APP_SUBMITTED, APPEV_ENDORSE,
	    SM_WHO_APPLICANT, &e, &a) == -1);
	CHECK(e.status == 403);
	/* Not from this state: 409, naming the state. */
	CHECK(sm_apply(&app_machine, APP_EXAM, APPEV_EXAM,
	    SM_WHO_COORDINATOR, &e, &a) == -1);
	CHECK(e.status == 409);
	CHECK(sm_apply(&app_machine, APP_ENDORSED, APPEV_SUBMIT,
	    SM_WHO_APPLICANT, &e, &a) == -1);
	CHECK(e.status == 409 && strstr(e.message, "endorsed") != NULL);
	CHECK(sm_apply(&app_machine, APP_DRAFT, APPEV_UNLOCK,
	    SM_WHO_COORDINATOR, &e, &a) == -1);
	CHECK(e.status == 409);
	arena_free(&a);
}
