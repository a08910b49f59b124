/*
 * The store's operator side (db-ops.h): whole database files for backup,
 * restore and doctor.  Like db.c, this file talks to SQLite directly; the
 * verbs themselves (cli-ops.c) do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "web.h"
#include "db-ops.h"
#include "banned.h"

struct dbfile {
	sqlite3		*db;
};

struct dbfile *
dbf_open(const char *file, int readonly, char **why)
{
	struct dbfile	*f = xcalloc(1, sizeof *f);

	if (sqlite3_open_v2(file, &f->db, readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		*why = xstrdup(sqlite3_errmsg(f->db));
		sqlite3_close(f->db);
		free(f);
		return NULL;
	}
	return f;
}

void
dbf_close(struct dbfile *f)
{
	if (f == NULL)
		return;
	sqlite3_close(f->db);
	free(f);
}

void
dbf_busy_timeout(struct dbfile *f, int ms)
{
	sqlite3_busy_timeout(f->db, ms);
}

/* One integer from a statement of the operator's checks; -1 when it did
   not run. */
static int
one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* "ok", or the first problem PRAGMA integrity_check reports (static). */
static const char *
integrity(sqlite3 *db)
{
	static char	 msg[512];
	sqlite3_stmt	*st;

	snprintf(msg, sizeof msg, "%s", "integrity_check did not run");
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		snprintf(msg, sizeof msg, "%s", (const char *)
		    sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return msg;
}

const char *
dbf_integrity(struct dbfile *f)
{
	const char	*s = integrity(f->db);

	return strcmp(s, "ok") == 0 ? NULL : s;
}

/* The copy is done: check it and make it one file. */
static int
copy_finish(sqlite3 *out, const char *dst, char **cause)
{
	if (strcmp(integrity(out), "ok") != 0) {
		xasprintf(cause, "%s: the copy fails integrity_check: %s", dst,
		    integrity(out));
		return -1;
	}
	/* One self-contained file, not a WAL database with its log. */
	if (sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", dst, sqlite3_errmsg(out));
		return -1;
	}
	return 0;
}

int
dbf_copy(struct dbfile *src, const char *dst, char **cause)
{
	sqlite3		*out;
	sqlite3_backup	*b;
	int		 rc;

	unlink(dst);
	if (sqlite3_open_v2(dst, &out, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", dst, sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	sqlite3_busy_timeout(src->db, 10000);
	if ((b = sqlite3_backup_init(out, "main", src->db, "main")) == NULL) {
		xasprintf(cause, "%s: %s", dst, sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	/* One step: every page under one read transaction of src. */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	    rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", dst, sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(dst);
		return -1;
	}
	if (copy_finish(out, dst, cause) != 0) {
		sqlite3_close(out);
		unlink(dst);
		return -1;
	}
	if (sqlite3_close(out) != SQLITE_OK) {
		xasprintf(cause, "%s: could not be closed", dst);
		return -1;
	}
	return 0;
}

int
dbf_schema(struct dbfile *f)
{
	return one_int(f->db, "PRAGMA user_version");
}

int
dbf_is_endorse(struct dbfile *f)
{
	return one_int(f->db, "SELECT count(*) FROM sqlite_master WHERE "
	    "name = 'account'") == 1;
}

int
dbf_leave_wal(struct dbfile *f)
{
	if (sqlite3_exec(f->db, "PRAGMA journal_mode=DELETE", NULL, NULL,
	    NULL) != SQLITE_OK || one_int(f->db, "SELECT 1 WHERE "
	    "(SELECT journal_mode FROM pragma_journal_mode) = 'delete'") != 1)
		return -1;
	return 0;
}

int
dbf_is_wal(struct dbfile *f)
{
	return one_int(f->db, "SELECT journal_mode = 'wal' FROM "
	    "pragma_journal_mode") == 1;
}

int
dbf_fk_problems(struct dbfile *f)
{
	return one_int(f->db, "SELECT count(*) FROM pragma_foreign_key_check");
}

int
dbf_coordinators(struct dbfile *f)
{
	return one_int(f->db, "SELECT count(*) FROM account WHERE role = "
	    "'coordinator'");
}

void
db_ops_no_memstatus(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
