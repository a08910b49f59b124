/*
 * A CSV reader (RFC 4180) for `endorse import`: records of fields
 * separated by commas, ended by CRLF or LF; a field in double quotes may
 * hold commas, line breaks and quotes written twice ("").  Debian packages
 * no C CSV library that fits (a small, strict reader with line numbers),
 * and the format is small enough that a careful reader of its own, with
 * its unit tests (tests/unit/test-csv.c), is less to trust than a new
 * dependency.
 *
 * Strict where a lenient reader would guess: a quote inside an unquoted
 * field, anything but a comma or a line end after a closing quote, an
 * unterminated quoted field and a NUL byte are errors with the line they
 * are on.  Fields are copied into the caller's arena.
 */
#include <string.h>

#include "endorse.h"
#include "banned.h"

void
csv_init(struct csv *c, const char *text, size_t len)
{
	c->p = text;
	c->end = text + len;
	c->line = 1;
	/* A UTF-8 byte order mark, as spreadsheets write it. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		c->p += 3;
}

/* Append field b to the record, growing its array in the arena. */
static void
add_field(struct arena *a, struct csv_record *rec, int *cap, struct buf *b)
{
	char	**v;

	if (rec->n == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		v = arena_alloc(a, (size_t)*cap * sizeof *v);
		if (rec->n > 0)
			memcpy(v, rec->fields, (size_t)rec->n * sizeof *v);
		rec->fields = v;
	}
	rec->fields[rec->n] = arena_alloc(a, b->len + 1);
	if (b->len > 0)
		memcpy(rec->fields[rec->n], b->s, b->len);
	rec->fields[rec->n][b->len] = '\0';
	rec->n++;
	b->len = 0;
}

/*
 * The next record into rec (rec->line: the line it starts on): 1, or 0 at
 * the end of the text, or -1 with *cause and c->line at the error.  An
 * empty line is a record of one empty field; the line break after the
 * last record does not start another.
 */
int
csv_next(struct csv *c, struct arena *a, struct csv_record *rec,
    const char **cause)
{
	struct buf	 b;
	int		 cap = 0, rc = -1;
	char		 ch;

	rec->fields = NULL;
	rec->n = 0;
	rec->line = c->line;
	if (c->p >= c->end)
		return 0;
	buf_init(&b);
	for (;;) {
		/* At the start of a field. */
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					*cause = "a quoted field is not closed";
					goto out;
				}
				ch = *c->p++;
				if (ch == '\0') {
					*cause = "a NUL byte";
					goto out;
				}
				if (ch == '"') {
					if (c->p < c->end && *c->p == '"') {
						c->p++;
						buf_add(&b, "\"", 1);
						continue;
					}
					break;
				}
				if (ch == '\n')
					c->line++;
				buf_add(&b, &ch, 1);
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
			    !(*c->p == '\r' && c->p + 1 < c->end &&
			    c->p[1] == '\n')) {
				*cause = "a closing quote must be followed by "
				    "a comma or the end of the line";
				goto out;
			}
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
			    !(*c->p == '\r' && c->p + 1 < c->end &&
			    c->p[1] == '\n')) {
				if (*c->p == '"') {
					*cause = "a quote inside a field that "
					    "does not start with one (write "
					    "the field in quotes, the quote "
					    "twice)";
					goto out;
				}
				if (*c->p == '\0') {
					*cause = "a NUL byte";
					goto out;
				}
				buf_add(&b, c->p, 1);
				c->p++;
			}
		}
		add_field(a, rec, &cap, &b);
		if (c->p >= c->end)
			break;
		if (*c->p == ',') {
			c->p++;
			continue;
		}
		/* A line end: CRLF or LF. */
		c->p += *c->p == '\r' ? 2 : 1;
		c->line++;
		break;
	}
	rc = 1;
out:
	buf_free(&b);
	return rc;
}
