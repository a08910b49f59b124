/*
 * Tables written for spreadsheets and machines: CSV (RFC 4180) and XLSX.
 *
 * CSV: fields separated by commas, records ended by CRLF; a field holding
 * a comma, a quote, CR or LF is written in quotes with its quotes twice.
 * A text cell a spreadsheet would read as a formula (it begins with =,
 * +, -, @, a tab or CR: OWASP's "CSV injection") is written after an
 * apostrophe, which spreadsheets show as text; a number cell is written
 * as a number, a negative one too.  Days as ISO YYYY-MM-DD, money as
 * dollars with two decimals ("1234.50"), no thousands separator.
 *
 * XLSX: libxlsxwriter (Debian libxlsxwriter-dev) writes a workbook to a
 * file only: a temporary file made with mkstemp, read back and removed.
 * Texts are string cells (never formulas), days date cells shown as
 * yyyy-mm-dd, money numbers shown as #,##0.00.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <xlsxwriter.h>

#include "endorse.h"
#include "export.h"
#include "banned.h"

void
table_init(struct table *t, struct arena *a, const char *const *cols,
    int ncols)
{
	memset(t, 0, sizeof *t);
	t->arena = a;
	t->cols = cols;
	t->ncols = ncols;
}

static struct cell *
next_cell(struct table *t)
{
	struct cell	*v;

	if (t->ncells == t->cap) {
		t->cap = t->cap == 0 ? 256 : t->cap * 2;
		v = arena_alloc(t->arena, (size_t)t->cap * sizeof *v);
		if (t->ncells > 0)
			memcpy(v, t->cells, (size_t)t->ncells * sizeof *v);
		t->cells = v;
	}
	v = &t->cells[t->ncells++];
	memset(v, 0, sizeof *v);
	t->nrows = t->ncells / t->ncols;
	return v;
}

void
table_text(struct table *t, const char *s)
{
	struct cell	*c = next_cell(t);

	c->type = s != NULL ? CELL_TEXT : CELL_NULL;
	c->s = s;
}

void
table_int(struct table *t, int64_t i)
{
	struct cell	*c = next_cell(t);

	c->type = CELL_INT;
	c->i = i;
}

void
table_day(struct table *t, int64_t d)
{
	struct cell	*c = next_cell(t);

	c->type = d == DATE_NONE ? CELL_NULL : CELL_DATE;
	c->i = d;
}

void
table_time_day(struct table *t, int64_t at)
{
	table_day(t, at <= 0 ? DATE_NONE : at / 86400);
}

void
table_ymd(struct table *t, const char *s)
{
	int32_t	 d;

	if (s != NULL && date_parse(s, &d) == 0)
		table_day(t, d);
	else
		table_text(t, s != NULL && *s != '\0' ? s : NULL);
}

void
table_money(struct table *t, int64_t cents)
{
	struct cell	*c = next_cell(t);

	c->type = CELL_MONEY;
	c->i = cents;
}

void
table_null(struct table *t)
{
	next_cell(t)->type = CELL_NULL;
}

int
export_formula_like(const char *s)
{
	return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	    s[0] == '\t' || s[0] == '\r';
}

/* One text field, quoted when it must be, neutralised when formula-like. */
static void
csv_text(struct buf *b, const char *s, int neutral)
{
	const char	*p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (neutral && export_formula_like(s))
			buf_add(b, "'", 1);
		buf_puts(b, s);
		return;
	}
	buf_add(b, "\"", 1);
	if (neutral && export_formula_like(s))
		buf_add(b, "'", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_add(b, "\"", 1);
		buf_add(b, p, 1);
	}
	buf_add(b, "\"", 1);
}

static void
money_text(char *out, size_t sz, int64_t cents)
{
	uint64_t	 u = cents < 0 ? (uint64_t)0 - (uint64_t)cents :
			    (uint64_t)cents;

	snprintf(out, sz, "%s%llu.%02llu", cents < 0 ? "-" : "",
	    (unsigned long long)(u / 100), (unsigned long long)(u % 100));
}

int
table_csv(const struct table *t, struct buf *b, long max)
{
	const struct cell	*c;
	char			 tmp[32];
	int			 i, j;

	for (j = 0; j < t->ncols; j++) {
		if (j > 0)
			buf_add(b, ",", 1);
		csv_text(b, t->cols[j], 0);
	}
	buf_add(b, "\r\n", 2);
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++) {
			c = &t->cells[i * t->ncols + j];
			if (j > 0)
				buf_add(b, ",", 1);
			switch (c->type) {
			case CELL_TEXT:
				csv_text(b, c->s, 1);
				break;
			case CELL_INT:
				buf_printf(b, "%lld", (long long)c->i);
				break;
			case CELL_DATE:
				date_format((int32_t)c->i, tmp);
				buf_puts(b, tmp);
				break;
			case CELL_MONEY:
				money_text(tmp, sizeof tmp, c->i);
				buf_puts(b, tmp);
				break;
			case CELL_NULL:
				break;
			}
		}
		buf_add(b, "\r\n", 2);
		if (b->over || (max > 0 && (long)b->len > max))
			return -1;
	}
	return b->over || (max > 0 && (long)b->len > max) ? -1 : 0;
}

/* The cells into the sheet; 0 or -1. */
static int
xlsx_cells(const struct table *t, lxw_workbook *wb, lxw_worksheet *ws)
{
	const struct cell	*c;
	lxw_format		*bold, *day, *money;
	lxw_datetime		 dt;
	lxw_error		 e = LXW_NO_ERROR;
	int			 i, j, y, m, d;

	bold = workbook_add_format(wb);
	format_set_bold(bold);
	day = workbook_add_format(wb);
	format_set_num_format(day, "yyyy-mm-dd");
	money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0.00");
	for (j = 0; j < t->ncols && e == LXW_NO_ERROR; j++)
		e = worksheet_write_string(ws, 0, (lxw_col_t)j, t->cols[j],
		    bold);
	for (i = 0; i < t->nrows && e == LXW_NO_ERROR; i++)
		for (j = 0; j < t->ncols && e == LXW_NO_ERROR; j++) {
			c = &t->cells[i * t->ncols + j];
			switch (c->type) {
			case CELL_TEXT:
				/* An empty string is no cell to Excel. */
				if (*c->s != '\0')
					e = worksheet_write_string(ws,
					    (lxw_row_t)i + 1, (lxw_col_t)j,
					    c->s, NULL);
				break;
			case CELL_INT:
				e = worksheet_write_number(ws,
				    (lxw_row_t)i + 1, (lxw_col_t)j,
				    (double)c->i, NULL);
				break;
			case CELL_DATE:
				date_ymd((int32_t)c->i, &y, &m, &d);
				memset(&dt, 0, sizeof dt);
				dt.year = y;
				dt.month = (uint8_t)m;
				dt.day = (uint8_t)d;
				e = worksheet_write_datetime(ws,
				    (lxw_row_t)i + 1, (lxw_col_t)j, &dt, day);
				break;
			case CELL_MONEY:
				e = worksheet_write_number(ws,
				    (lxw_row_t)i + 1, (lxw_col_t)j,
				    (double)c->i / 100.0, money);
				break;
			case CELL_NULL:
				break;
			}
		}
	return e == LXW_NO_ERROR ? 0 : -1;
}

/* The file's bytes into b: 0, -1 or -2 (over max). */
static int
slurp_file(const char *path, struct buf *b, long max)
{
	FILE		*f;
	struct stat	 sb;
	char		 chunk[65536];
	size_t		 n;
	int		 rc = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if (fstat(fileno(f), &sb) != 0)
		rc = -1;
	else if (max > 0 && sb.st_size > max)
		rc = -2;
	while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(b, chunk, n);
		if (b->over)
			rc = -2;
	}
	if (rc == 0 && ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

int
table_xlsx(const struct table *t, const char *sheet, const char *dir,
    struct buf *b, long max, const char **why)
{
	lxw_workbook_options	 opt;
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_error		 e;
	char			 path[4096];
	int			 fd, rc;

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (snprintf(path, sizeof path, "%s/endorse-export-XXXXXX",
	    dir) >= (int)sizeof path) {
		*why = "the temporary directory's name is too long";
		return -1;
	}
	if ((fd = mkstemp(path)) == -1) {
		*why = strerror(errno);
		return -1;
	}
	close(fd);
	memset(&opt, 0, sizeof opt);
	opt.tmpdir = (char *)dir;
	if ((wb = workbook_new_opt(path, &opt)) == NULL) {
		unlink(path);
		*why = "the workbook could not be made";
		return -1;
	}
	if ((ws = workbook_add_worksheet(wb, sheet)) == NULL ||
	    xlsx_cells(t, wb, ws) != 0) {
		workbook_close(wb);
		unlink(path);
		*why = "a cell could not be written";
		return -1;
	}
	/* workbook_close writes the file and frees the workbook. */
	if ((e = workbook_close(wb)) != LXW_NO_ERROR) {
		unlink(path);
		*why = lxw_strerror(e);
		return -1;
	}
	rc = slurp_file(path, b, max);
	unlink(path);
	if (rc == -1)
		*why = "the workbook could not be read back";
	return rc;
}
