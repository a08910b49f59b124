/*
 * Tables for export (export.c): a header of column names and rows of
 * typed cells, written as CSV (RFC 4180) or as an XLSX workbook
 * (libxlsxwriter).  A table and its cells live in the caller's arena.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stdint.h>

struct arena;
struct buf;

enum cell_type {
	CELL_NULL,	/* empty */
	CELL_TEXT,	/* s */
	CELL_INT,	/* i */
	CELL_DATE,	/* i: days since 1970-01-01 */
	CELL_MONEY,	/* i: cents */
};

struct cell {
	enum cell_type	 type;
	const char	*s;
	int64_t		 i;
};

struct table {
	struct arena		*arena;
	const char *const	*cols;
	int			 ncols;
	int			 nrows;
	struct cell		*cells;		/* nrows * ncols, row by row */
	int			 ncells, cap;
};

void		 table_init(struct table *, struct arena *,
		    const char *const *cols, int ncols);
/* The next cell, left to right and row by row (a NULL text is empty). */
void		 table_text(struct table *, const char *);
void		 table_int(struct table *, int64_t);
/* A day (days since 1970-01-01); DATE_NONE: empty. */
void		 table_day(struct table *, int64_t);
/* A time in seconds since the epoch as its UTC day; 0: empty. */
void		 table_time_day(struct table *, int64_t);
/* "YYYY-MM-DD" text as a day; NULL or another text as it is. */
void		 table_ymd(struct table *, const char *);
void		 table_money(struct table *, int64_t cents);
void		 table_null(struct table *);

/* The table as CSV into b: 0, or -1 when it is longer than max bytes
   (b then holds a part; free it). */
int		 table_csv(const struct table *, struct buf *, long max);
/* The table as an XLSX workbook of one sheet named sheet into b, made
   in a temporary file in dir (removed before it returns): 0, -1 (the
   file could not be made: *why) or -2 (longer than max bytes). */
int		 table_xlsx(const struct table *, const char *sheet,
		    const char *dir, struct buf *, long max, const char **why);
/* Whether a text written to a spreadsheet cell would be read as a
   formula (a leading =, +, -, @, tab or CR): CSV writes it after an
   apostrophe. */
int		 export_formula_like(const char *);



/* ---- dom-export.c: the association's exports ---- */
struct derr;
/* The exports by name: "applications", "endorsees", "renewals",
   "payments" (the ledger), "history" (the audit rows). */
#define EXPORT_N	5
extern const char *const export_names[EXPORT_N];
/* What each holds, a sentence for the exports page. */
extern const char *const export_about[EXPORT_N];
/* The index of an export's name, or -1. */
int		 export_find(const char *name);
/* Export which of association assoc into t (in arena a), in the
   caller's read transaction (a GET's; the CLI opens one): 0, or -1 and
   e (503 busy, 500). */
int		 export_table(struct arena *, const char *assoc, int which,
		    struct table *, struct derr *);
#endif
