/*
 * libFuzzer target: the CSV reader (csv.c) that `endorse import
 * endorsees` reads its file with.
 *
 * The input is read with csv_next() until the end or the first error.
 * Checked on every record, abort() on failure:
 *   - the reader moves forward and stays inside the input, and a record
 *     (or an error) never reports a line before the previous one;
 *   - a record starts on the line the reader was on, and the line the
 *     reader is on is 1 + the line breaks it has passed;
 *   - a record has at least one field, every field is a NUL-ended string
 *     no longer than the input, and the fields together are no longer
 *     than the part of the input they were read from;
 *   - a field that was not quoted holds no comma, quote or line feed.
 * Then the records read before the end (or the error) are written back
 * in a canonical form (every field quoted, quotes doubled, LF line ends)
 * and read again: that must succeed with the same records, on the same
 * lines, and writing them once more gives the same bytes.
 * Everything is freed (LeakSanitizer is on).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "endorse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Append rec to out: every field in quotes, a quote written twice. */
static void
put_record(struct buf *out, const struct csv_record *rec)
{
	const char	*f;
	int		 i;

	for (i = 0; i < rec->n; i++) {
		if (i > 0)
			buf_add(out, ",", 1);
		buf_add(out, "\"", 1);
		for (f = rec->fields[i]; *f != '\0'; f++) {
			if (*f == '"')
				buf_add(out, "\"", 1);
			buf_add(out, f, 1);
		}
		buf_add(out, "\"", 1);
	}
	buf_add(out, "\n", 1);
}

/* The line breaks (LF) in [p, end). */
static int
count_lf(const char *p, const char *end)
{
	int	n = 0;

	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

/*
 * Read text to its end or first error, checking every record; append
 * the records in canonical form to out and their lines to lines (*nlines
 * of them, at most maxlines).  Returns what the last csv_next() said.
 */
static int
read_all(const char *text, size_t len, struct buf *out, int *lines,
    int *nlines, int maxlines)
{
	struct csv		 c;
	struct csv_record	 rec;
	struct arena		 a;
	const char		*cause, *start, *before, *f;
	size_t			 total, flen;
	int			 rc, i, lastline = 0, quoted;

	arena_init(&a);
	csv_init(&c, text, len);
	start = c.p;
	if (start != text && (len < 3 || start != text + 3))
		abort();
	*nlines = 0;
	for (;;) {
		before = c.p;
		if (c.line != 1 + count_lf(start, c.p))
			abort();
		cause = NULL;
		rc = csv_next(&c, &a, &rec, &cause);
		if (c.p < before || c.p > c.end || c.end != text + len)
			abort();
		if (rc == 0) {
			if (before != c.end || rec.n != 0)
				abort();
			break;
		}
		if (rc == -1) {
			if (cause == NULL || *cause == '\0' ||
			    c.line < rec.line || c.line < lastline)
				abort();
			break;
		}
		if (rc != 1 || c.p == before || rec.n < 1 ||
		    rec.fields == NULL || rec.line < lastline ||
		    c.line < rec.line || rec.line != 1 + count_lf(start, before))
			abort();
		if (c.line != 1 + count_lf(start, c.p))
			abort();
		lastline = rec.line;
		total = 0;
		for (i = 0; i < rec.n; i++) {
			f = rec.fields[i];
			if (f == NULL)
				abort();
			flen = strlen(f);
			if (flen > len)
				abort();
			total += flen;
			/*
			 * Unquoted fields hold none of the characters that
			 * end or quote a field.  A field is quoted if the
			 * text it was read from started with a quote; it
			 * is enough to check fields without any of them.
			 */
			quoted = memchr(before, '"',
			    (size_t)(c.p - before)) != NULL;
			if (!quoted && (strchr(f, ',') != NULL ||
			    strchr(f, '\n') != NULL))
				abort();
		}
		if (total > (size_t)(c.p - before))
			abort();
		if (*nlines < maxlines)
			lines[(*nlines)++] = rec.line;
		put_record(out, &rec);
		arena_reset(&a);
	}
	arena_free(&a);
	return rc;
}

#define MAXLINES	4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 once, twice;
	static int	 lines1[MAXLINES], lines2[MAXLINES];
	int		 n1, n2, rc;

	buf_init(&once);
	buf_init(&twice);
	(void)read_all((const char *)data, size, &once, lines1, &n1, MAXLINES);
	rc = read_all(once.s == NULL ? "" : once.s, once.len, &twice, lines2,
	    &n2, MAXLINES);
	if (rc != 0 || n1 != n2)
		abort();		/* the canonical form must read back */
	if (n1 > 0 && memcmp(lines1, lines2, (size_t)n1 * sizeof *lines1) != 0)
		abort();		/* on the same lines */
	if (once.len != twice.len ||
	    (once.len > 0 && memcmp(once.s, twice.s, once.len) != 0))
		abort();		/* and the same fields */
	buf_free(&once);
	buf_free(&twice);
	return 0;
}
