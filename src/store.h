/*
 * The store: SQLite behind one table of statements (db.c).
 *
 * Every statement is a line STMT(S_NAME, row, "SQL") in one of the
 * store-*.def files, grouped by area; a SELECT names the row it returns,
 * declared beside it as ROW(name, C_INT(id) C_TEXT(status) ...).  This
 * header turns those lines into the enum of statements, one struct per
 * row and one reader per row.  db_init prepares every statement once and
 * checks each row's column names against sqlite3_column_name, so a column
 * added in the middle of a SELECT, or a reader that no longer matches its
 * SQL, stops the server at start instead of shifting values silently.
 *
 * Outside db.c (and the store's own files) nothing calls sqlite3_: a
 * statement is a struct dbq, stepped with db_step (row / done / error)
 * or read with its row's reader.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

struct arena;

#define STORE_DEFS_INCLUDE "store-all.def"

/* The statuses (store-enum.def): enum TYPE and TYPE_names, its words. */
#define ROW(name, cols)
#define STMT(id, row, sql)
#define E(c, w)		c,
#define ENUM(t, vals)	enum t { vals t##__N }; \
			extern const char *const t##_names[];
#include STORE_DEFS_INCLUDE
#undef ENUM
#undef E
#define ENUM(t, vals)
#undef STMT
#undef ROW

/* The statements, in the order of the .def files. */
#define ROW(name, cols)
#define STMT(id, row, sql)	id,
enum stmt {
#include STORE_DEFS_INCLUDE
	S__N
};
#undef STMT
#undef ROW

/* The rows: struct row_NAME and its kind. */
#define C_INT(n)	int64_t n;
/* An integer that may be NULL: n, and n_null set when it is. */
#define C_INTN(n)	int64_t n; int n##_null;
/* Text copied into the reader's arena; NULL for SQL NULL.  With a NULL
   arena the pointer is the statement's own, valid until the next step. */
#define C_TEXT(n)	char *n;
#define C_BLOB(n)	void *n; size_t n##_len;
/* A status word read as its enum (store-enum.def); a word the enum does
   not know reads as TYPE__N, and is logged. */
#define C_ENUM(n, t)	enum t n;
#define STMT(id, row, sql)
#define ROW(name, cols)	struct row_##name { cols };
#include STORE_DEFS_INCLUDE
#undef ROW
#define ROW(name, cols)	ROWK_##name,
enum rowkind {
	ROWK_none,
#include STORE_DEFS_INCLUDE
	ROWK__N
};
#undef ROW
#undef STMT
#undef C_INT
#undef C_INTN
#undef C_TEXT
#undef C_BLOB
#undef C_ENUM

/* A prepared statement of the table, reset and unbound when handed out. */
struct dbq;

/* What a step gave. */
enum dbstep { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };
/* Why the last failed step failed. */
enum dberr { DBE_NONE, DBE_BUSY, DBE_CONSTRAINT, DBE_FAULT };

/*
 * The readers: row_NAME(q, arena, &row) steps q and, on DB_ROW, fills
 * the row.  DB_DONE at the end; DB_ERROR (logged, the transaction marked
 * failed) when the step failed.  A reader used on a statement whose row
 * is another kind is a bug: logged, and DB_ERROR.
 * rows_NAME(q, arena, &array) reads every row into an array in the arena
 * and resets q: the count, or -1 when a step failed (no short list).
 */
#define STMT(id, row, sql)
#define ROW(name, cols)	int row_##name(struct dbq *, struct arena *, \
			    struct row_##name *); \
			int rows_##name(struct dbq *, struct arena *, \
			    struct row_##name **);
#include STORE_DEFS_INCLUDE
#undef ROW
#undef STMT

/* Open (creating and migrating) the database, then prepare and check every
   statement of the table; -1 and *cause. */
int		 db_init(const char *file, const char *migrations, char **cause);
void		 db_shutdown(void);
/* The check db_init makes of each statement (exposed for the tests). */
struct sqlite3;
int		 db_check_columns(struct sqlite3 *, const char *name,
		    const char *sql, const char *rowname,
		    const char *const *cols, char **cause);
/* A reset prepared statement; bind by name ("$id"). */
struct dbq	*db_stmt(enum stmt);
void		 db_bind_text(struct dbq *, const char *, const char *);
void		 db_bind_int(struct dbq *, const char *, int64_t);
void		 db_bind_blob(struct dbq *, const char *, const void *, size_t);
void		 db_bind_null(struct dbq *, const char *);
/* Bind a status as its word: db_bind_enum(q, "$status", app_status, v). */
void		 db_bind_word(struct dbq *, const char *, const char *const *,
		    int, int);
#define db_bind_enum(q, p, t, v) db_bind_word((q), (p), t##_names, \
			    t##__N, (int)(v))
/* The constant of a word (from a form, a CSV file), or TYPE__N when the
   enum has no such word (NULL and "" are the NULL constant's, if any). */
int		 db_word(const char *const *, int, const char *);
#define db_parse_enum(t, w) db_word(t##_names, t##__N, (w))
/* A status's word, for display only (NULL for the NULL constant). */
#define db_enum_word(t, v) ((unsigned)(v) < t##__N ? t##_names[(v)] : "?")
/*
 * One step: DB_ROW, DB_DONE, or DB_ERROR.  An error is logged, and marks
 * the connection's open transaction failed: db_commit then refuses (and
 * rolls back), so a write that half happened is never committed.
 */
int		 db_step(struct dbq *);
/* Step a statement that returns no row (or whose row is not wanted): 0,
   or -1 after DB_ERROR. */
int		 db_exec(struct dbq *);
/* Done with a statement before its last row. */
void		 db_reset(struct dbq *);
/* Why the last failed step of this thread failed. */
enum dberr	 db_error(void);
int		 db_begin(void);
/* A read transaction: one snapshot (and one lock) for a whole page. */
int		 db_begin_read(void);
/* 0; or -1 when the commit failed or a step of the transaction failed
   (the transaction is then rolled back). */
int		 db_commit(void);
void		 db_rollback(void);
/* 0 when the database answers a read (its key is there), else -1. */
int		 db_ping(void);
int64_t		 db_last_id(void);
int		 db_changes(void);
int64_t		 db_now(void);

#endif
