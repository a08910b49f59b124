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

#define ROW(name, cols)
#define STMT(id, row, text)
#define E(c, w)		w,
#undef ENUM
#define ENUM(t, vals)	const char *const t##_names[] = { vals };
#include STORE_DEFS_INCLUDE
#undef ENUM
#undef E
#define ENUM(t, vals)
#undef STMT
#undef ROW

/* The table: each statement's SQL and the row it returns. */
struct stmtdef {
	const char	*sql;
	enum rowkind	 row;
	const char	*name;
};
#define ROW(name, cols)
#define STMT(id, row, text)	[id] = { text, ROWK_##row, #id },
static const struct stmtdef sql[S__N] = {
#include STORE_DEFS_INCLUDE
};
#undef STMT
#undef ROW

/* Each row's column names, in order, as its reader reads them. */
#define C_INT(n)	#n,
#define C_INTN(n)	#n,
#define C_TEXT(n)	#n,
#define C_BLOB(n)	#n,
#define C_ENUM(n, t)	#n,
#define STMT(id, row, text)
#define ROW(name, cols)	static const char *const cols_##name[] = { cols NULL };
#include STORE_DEFS_INCLUDE
#undef ROW
#define ROW(name, cols)	[ROWK_##name] = { #name, cols_##name },
static const struct {
	const char		*name;
	const char *const	*cols;
} rowk[ROWK__N] = {
	[ROWK_none] = { "none", NULL },
#include STORE_DEFS_INCLUDE
};
#undef ROW
#undef STMT
#undef C_INT
#undef C_INTN
#undef C_TEXT
#undef C_BLOB
#undef C_ENUM

/* A statement of the table on one connection. */
struct dbq {
	sqlite3_stmt	*st;
	enum stmt	 id;
};

/* A thread's connection: its statements, and whether a step of the open
   transaction failed (db_commit refuses then). */
struct conn {
	sqlite3		*db;
	struct dbq	 q[S__N];
	int		 failed;
	enum dberr	 err;
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
		sqlite3_finalize(c->q[i].st);
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

/* create: SQLITE_OPEN_CREATE for db_init, 0 for a thread's connection
   (a database moved away is an error, not a new empty file). */
static sqlite3 *
open_db(const char *file, int create, char **cause)
{
	sqlite3	*db;
	char	*err = NULL;

	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE | create |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
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

/* The calling thread's connection, opened now if it has none; NULL and
   *cause if the database cannot be opened (no descriptor left, the file
   moved away).  The server's workers call this before they take a
   connection (http-guard.c guard_accept), so no request meets the abort
   of db_conn below. */
sqlite3 *
db_conn_try(char **cause)
{
	struct conn	*c;

	pthread_once(&conn_once, conn_key_init);
	if ((c = pthread_getspecific(conn_key)) != NULL)
		return c->db;
	c = xcalloc(1, sizeof *c);
	if ((c->db = open_db(db_file, 0, cause)) == NULL) {
		free(c);
		return NULL;
	}
	pthread_setspecific(conn_key, c);
	return c->db;
}

/* The calling thread's connection.  Not being able to open it is fatal
   here: the command line and the server's own threads open theirs when
   they start, the workers theirs before they accept (db_conn_try). */
sqlite3 *
db_conn(void)
{
	sqlite3	*db;
	char	*cause = NULL;

	if ((db = db_conn_try(&cause)) == NULL) {
		fprintf(stderr, "endorse: %s\n", cause);
		abort();
	}
	return db;
}

static struct conn *
conn_get(void)
{
	db_conn();
	return pthread_getspecific(conn_key);
}

struct dbq *
db_stmt(enum stmt s)
{
	struct conn	*c = conn_get();
	struct dbq	*q = &c->q[s];

	if (q->st == NULL) {
		/* db_init prepared and checked every statement of the table
		   on this database: failing here is a broken invariant. */
		if (sqlite3_prepare_v3(c->db, sql[s].sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &q->st, NULL) != SQLITE_OK) {
			fprintf(stderr, "endorse: statement %s: %s\n",
			    sql[s].name, sqlite3_errmsg(c->db));
			abort();
		}
		q->id = s;
	} else {
		sqlite3_reset(q->st);
		sqlite3_clear_bindings(q->st);
	}
	return q;
}

static int
param(struct dbq *q, const char *name)
{
	int	 i = sqlite3_bind_parameter_index(q->st, name);

	/* Binding a name the statement lacks is a programming error. */
	if (i == 0) {
		fprintf(stderr, "endorse: no parameter %s in: %s\n", name,
		    sqlite3_sql(q->st));
		abort();
	}
	return i;
}

void
db_bind_text(struct dbq *q, const char *name, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(q->st, param(q, name));
	else
		sqlite3_bind_text(q->st, param(q, name), v, -1,
		    SQLITE_TRANSIENT);
}

void
db_bind_int(struct dbq *q, const char *name, int64_t v)
{
	sqlite3_bind_int64(q->st, param(q, name), v);
}

void
db_bind_blob(struct dbq *q, const char *name, const void *v, size_t n)
{
	sqlite3_bind_blob64(q->st, param(q, name), v, n, SQLITE_TRANSIENT);
}

void
db_bind_null(struct dbq *q, const char *name)
{
	sqlite3_bind_null(q->st, param(q, name));
}

/*
 * Tests only (tests/unit/test-lifescan.c): after db_test_fail_at(N), N > 0,
 * the Nth db_step of this thread from now fails as an I/O error would
 * (SQLITE_IOERR), so a test can show what a failed read does to the code
 * above it.  db_test_fail_at(0) disarms it and answers what was left (0:
 * it fired).  Nothing in the program calls it; it costs one comparison
 * per step.
 */
static _Thread_local int db_test_fail_step;
int	db_test_fail_at(int);

int
db_test_fail_at(int n)
{
	int	 old = db_test_fail_step;

	db_test_fail_step = n;
	return old;
}

int
db_step(struct dbq *q)
{
	struct conn	*c;
	int		 rc, injected = 0;

	if (db_test_fail_step > 0 && --db_test_fail_step == 0) {
		rc = SQLITE_IOERR;
		injected = 1;
	} else
		rc = sqlite3_step(q->st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	c = conn_get();
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		c->err = DBE_BUSY;
		break;
	case SQLITE_CONSTRAINT:
		c->err = DBE_CONSTRAINT;
		break;
	default:
		c->err = DBE_FAULT;
		break;
	}
	log_event("error", "sql", "error", injected ? "disk I/O error "
	    "(injected by a test)" : sqlite3_errmsg(c->db), "sql",
	    sqlite3_sql(q->st), (const char *)NULL);
	if (!sqlite3_get_autocommit(c->db))
		c->failed = 1;
	sqlite3_reset(q->st);
	return DB_ERROR;
}

int
db_exec(struct dbq *q)
{
	int	 rc = db_step(q);

	sqlite3_reset(q->st);
	return rc == DB_ERROR ? -1 : 0;
}

void
db_reset(struct dbq *q)
{
	sqlite3_reset(q->st);
}

enum dberr
db_error(void)
{
	return conn_get()->err;
}

int
db_begin(void)
{
	conn_get()->failed = 0;
	return db_exec(db_stmt(S_BEGIN));
}

int
db_begin_read(void)
{
	conn_get()->failed = 0;
	return db_exec(db_stmt(S_BEGIN_READ));
}

int
db_commit(void)
{
	struct conn	*c = conn_get();

	if (c->failed) {
		log_event("error", "sql", "error", "commit refused: a step of "
		    "this transaction failed", (const char *)NULL);
		db_rollback();
		return -1;
	}
	if (db_exec(db_stmt(S_COMMIT)) != 0) {
		db_rollback();
		return -1;
	}
	return 0;
}

void
db_rollback(void)
{
	struct conn	*c = conn_get();
	struct dbq	*q;

	if (!sqlite3_get_autocommit(c->db)) {
		q = db_stmt(S_ROLLBACK);
		sqlite3_step(q->st);
		sqlite3_reset(q->st);
	}
	c->failed = 0;
}

/* Whether the database answers a read (the health probe). */
int
db_ping(void)
{
	struct dbq	*q = db_stmt(S_SETTING_GET);
	int		 rc;

	db_bind_text(q, "$key", "csrf_key");
	rc = db_step(q);
	sqlite3_reset(q->st);
	return rc == DB_ROW ? 0 : -1;
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

void
db_bind_word(struct dbq *q, const char *name, const char *const *words,
    int n, int v)
{
	/* A constant outside its enum (a word the store did not know, read
	   as TYPE__N) binds NULL, which no status equals: the statement then
	   changes nothing, and the process lives on. */
	if (v < 0 || v >= n) {
		log_event("error", "sql", "error", "a status outside its enum",
		    "param", name, (const char *)NULL);
		db_bind_null(q, name);
		return;
	}
	db_bind_text(q, name, words[v]);
}

int
db_word(const char *const *words, int n, const char *w)
{
	int	 k;

	if (w != NULL && *w == '\0')
		w = NULL;
	for (k = 0; k < n; k++)
		if (w == NULL ? words[k] == NULL :
		    words[k] != NULL && strcmp(w, words[k]) == 0)
			return k;
	return n;
}

/* The readers of the rows (store.h). */

/* A reader used on another statement's rows: a bug, logged, not fatal. */
static int
wrong_reader(const struct dbq *q, const char *row)
{
	log_event("error", "sql", "error", "a row read from a statement of "
	    "another row", "row", row, "statement", sql[q->id].name,
	    (const char *)NULL);
	return DB_ERROR;
}

static int
col_enum(sqlite3_stmt *st, int i, const char *const *words, int n,
    const char *type)
{
	const char	*t = (const char *)sqlite3_column_text(st, i);
	int		 k = db_word(words, n, t);

	if (k == n)
		log_event("error", "sql", "error", "a status the program "
		    "does not know", "type", type, "word", t == NULL ? "NULL" :
		    t, (const char *)NULL);
	return k;
}

static char *
col_text(struct arena *a, sqlite3_stmt *st, int i)
{
	const unsigned char	*t = sqlite3_column_text(st, i);

	if (t == NULL || a == NULL)
		return (char *)t;
	return arena_strdup(a, (const char *)t);
}

static void *
col_blob(struct arena *a, sqlite3_stmt *st, int i, size_t *len)
{
	const void	*b = sqlite3_column_blob(st, i);
	void		*p;

	*len = (size_t)sqlite3_column_bytes(st, i);
	if (b == NULL || a == NULL)
		return (void *)b;
	p = arena_alloc(a, *len + 1);
	memcpy(p, b, *len);
	return p;
}

#define C_INT(n)	r->n = sqlite3_column_int64(st, i++);
#define C_INTN(n)	r->n##_null = sqlite3_column_type(st, i) == \
			    SQLITE_NULL; r->n = sqlite3_column_int64(st, i++);
#define C_TEXT(n)	r->n = col_text(a, st, i++);
#define C_BLOB(n)	r->n = col_blob(a, st, i++, &r->n##_len);
#define C_ENUM(n, t)	r->n = (enum t)col_enum(st, i++, t##_names, t##__N, #t);
#define STMT(id, row, text)
#define ROW(name, cols)							\
int									\
row_##name(struct dbq *q, struct arena *a, struct row_##name *r)	\
{									\
	sqlite3_stmt	*st = q->st;					\
	int		 i = 0, rc;					\
									\
	if (sql[q->id].row != ROWK_##name)				\
		return wrong_reader(q, #name);				\
	if ((rc = db_step(q)) != DB_ROW)				\
		return rc;						\
	cols								\
	(void)a;							\
	(void)i;							\
	return DB_ROW;							\
}									\
									\
int									\
rows_##name(struct dbq *q, struct arena *a, struct row_##name **out)	\
{									\
	struct row_##name	*v = NULL, *w;				\
	int			 n = 0, cap = 0, rc;			\
									\
	for (;;) {							\
		if (n == cap) {						\
			cap = cap > 0 ? cap * 2 : 16;			\
			w = arena_alloc(a, (size_t)cap * sizeof *w);	\
			if (n > 0)					\
				memcpy(w, v, (size_t)n * sizeof *w);	\
			v = w;						\
		}							\
		if ((rc = row_##name(q, a, &v[n])) != DB_ROW)		\
			break;						\
		n++;							\
	}								\
	sqlite3_reset(q->st);						\
	*out = v;							\
	return rc == DB_ERROR ? -1 : n;					\
}
#include STORE_DEFS_INCLUDE
#undef ROW
#undef STMT
#undef C_INT
#undef C_INTN
#undef C_TEXT
#undef C_BLOB

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

/* Whether the foreign keys hold (PRAGMA foreign_key_check finds no row):
   0, or -1 and *cause naming the first table that breaks one. */
static int
fk_check(sqlite3 *db, const char *path, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		xasprintf(cause, "%s: a row of %s breaks its foreign key",
		    path, (const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Apply db/NNN-*.sql above the database's user_version, each in one
   transaction with the version bump.  Foreign keys are off while they
   run (SQLite's way to rebuild a table: dropping the old one must not
   cascade to the rows that point at it, db/020) and checked before each
   commits. */
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
		if (sqlite3_exec(db, "PRAGMA foreign_keys=OFF", NULL, NULL,
		    NULL) != SQLITE_OK ||
		    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
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
		if (fk_check(db, path, cause) != 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			goto out;
		}
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			xasprintf(cause, "%s: %s", path, sqlite3_errmsg(db));
			goto out;
		}
	}
	rc = 0;
out:
	sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/*
 * Whether text prepares on db and returns exactly the columns cols (a
 * NULL-terminated list; NULL: no columns), by name and in order; 0, or
 * -1 and *cause.
 */
int
db_check_columns(struct sqlite3 *db, const char *name, const char *text,
    const char *rowname, const char *const *cols, char **cause)
{
	sqlite3_stmt	*st;
	int		 i, n;

	if (sqlite3_prepare_v2(db, text, -1, &st, NULL) != SQLITE_OK) {
		xasprintf(cause, "statement %s does not prepare: %s", name,
		    sqlite3_errmsg(db));
		return -1;
	}
	n = sqlite3_column_count(st);
	for (i = 0; cols != NULL && cols[i] != NULL && i < n; i++)
		if (strcmp(cols[i], sqlite3_column_name(st, i)) != 0)
			break;
	if (cols == NULL ? n != 0 : (i != n || cols[i] != NULL)) {
		xasprintf(cause, "statement %s returns %d columns (column %d "
		    "is \"%s\"); its row %s reads \"%s\"", name, n, i,
		    i < n ? sqlite3_column_name(st, i) : "", rowname,
		    cols == NULL ? "nothing" : cols[i] == NULL ? "no more" :
		    cols[i]);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * Prepare every statement of the table once and check that each SELECT
 * returns the columns its row's reader reads: a table that does not
 * match the schema or its readers stops the server here, at start,
 * never on a request.
 */
static int
check_table(sqlite3 *db, char **cause)
{
	int	 s;

	for (s = 0; s < S__N; s++)
		if (db_check_columns(db, sql[s].name, sql[s].sql,
		    rowk[sql[s].row].name, rowk[sql[s].row].cols, cause) != 0)
			return -1;
	return 0;
}

int
db_init(const char *file, const char *migrations, char **cause)
{
	sqlite3	*db;
	int	 rc;

	*cause = NULL;
	if ((db = open_db(file, SQLITE_OPEN_CREATE, cause)) == NULL)
		return -1;
	rc = migrate(db, migrations, cause);
	if (rc == 0)
		rc = check_table(db, cause);
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
