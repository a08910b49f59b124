/*
 * The store's operator side (db-ops.c): a database file opened outside
 * the table of statements, for `endorse backup`, `restore` and `doctor`
 * (cli-ops.c), which work on whole files: a copy by the backup API,
 * integrity and schema checks.  The SQL they need is here, in the store.
 */
#ifndef DB_OPS_H
#define DB_OPS_H

/* An open database file (not the server's connection). */
struct dbfile;

/* Open file read-only or read-write; NULL and *why (SQLite's words,
   free it) when it cannot be opened. */
struct dbfile	*dbf_open(const char *file, int readonly, char **why);
void		 dbf_close(struct dbfile *);
/* Wait up to ms for another connection's lock. */
void		 dbf_busy_timeout(struct dbfile *, int ms);
/* NULL when PRAGMA integrity_check says ok; else its first problem (or
   that it did not run), valid until the next call. */
const char	*dbf_integrity(struct dbfile *);
/* A consistent copy of src into dst (a new file, replaced if there),
   checked and in rollback-journal mode: one self-contained file.
   0, or -1 and *cause. */
int		 dbf_copy(struct dbfile *src, const char *dst, char **cause);
/* The schema version (PRAGMA user_version); -1 when it cannot be read. */
int		 dbf_schema(struct dbfile *);
/* Whether it is an Endorse database (it has the account table). */
int		 dbf_is_endorse(struct dbfile *);
/* Leave WAL mode, which needs every other connection closed: 0 once the
   journal mode is "delete", -1 when someone else has the file open. */
int		 dbf_leave_wal(struct dbfile *);
int		 dbf_is_wal(struct dbfile *);
/* Rows that break a foreign key; coordinator accounts. */
int		 dbf_fk_problems(struct dbfile *);
int		 dbf_coordinators(struct dbfile *);
/* SQLite keeps no memory statistics (they take a global mutex on every
   allocation, and nothing reads them). */
void		 db_ops_no_memstatus(void);

#endif
