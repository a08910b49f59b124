/*
 * Endorsees from an association's old system (dom-import.h), moved in
 * all or nothing.  Each row becomes an endorsement in the registry with
 * an audit row, linked to the account of its e-mail address, created
 * when there is none with a password hash that matches no password
 * ("!"): its holder claims it through the password reset link, as anyone
 * who forgot a password would.  With IMPORT_INVITE each account is also
 * mailed a welcome with a claim link (account_invite), queued in the
 * import's transaction: every row and its mail, or nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-account.h"
#include "dom-import.h"
#include "banned.h"

#define NUMBER_MAX	64
#define TEXT_MAX	200

const char *const import_header[IMPORT_NCOLS] = { "number", "name",
    "email", "category", "since", "status", "city" };
#define NCOLS	IMPORT_NCOLS

static void problem(struct import_row *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* One problem of a row, a sentence. */
static void
problem(struct import_row *rw, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(&rw->problems, fmt, ap);
	va_end(ap);
	buf_add(&rw->problems, "\n", 1);
}

static char *
trim(char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Whether s holds a control character (a line break in a name, say). */
static int
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int
number_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			return 0;
	return 1;
}

static void
check_category(struct import_row *rw, const struct ruleset *rs)
{
	struct buf	 b;
	const char	*s = rw->f[IC_CATEGORY];
	int		 j;

	if (rules_category(rs, s) != NULL)
		return;
	buf_init(&b);
	for (j = 0; j < rs->ncats; j++)
		buf_printf(&b, "%s%s", j > 0 ? ", " : "", rs->cats[j].code);
	problem(rw, "category \"%s\" is not a category of %s (%s)", s, rs->id,
	    b.s != NULL ? b.s : "");
	buf_free(&b);
}

/* The checks of the text fields: number, name, e-mail, city. */
static void
check_texts(struct import_row *rw)
{
	char	*s;

	s = rw->f[IC_NUMBER];
	if (*s == '\0')
		problem(rw, "number is empty");
	else if (strlen(s) > NUMBER_MAX || !number_ok(s))
		problem(rw, "number \"%s\" is not 1 to %d letters, digits, "
		    "'-', '_' or '.'", s, NUMBER_MAX);
	s = rw->f[IC_NAME];
	if (*s == '\0')
		problem(rw, "name is empty");
	else if (strlen(s) > TEXT_MAX)
		problem(rw, "name is longer than %d bytes", TEXT_MAX);
	else if (has_control(s))
		problem(rw, "name holds a line break or another control "
		    "character");
	s = rw->f[IC_EMAIL];
	if (*s == '\0')
		problem(rw, "email is empty");
	else if (!account_email_ok(s))
		problem(rw, "email \"%s\" is not an e-mail address", s);
	if (strlen(rw->f[IC_CITY]) > TEXT_MAX)
		problem(rw, "city is longer than %d bytes", TEXT_MAX);
	else if (has_control(rw->f[IC_CITY]))
		problem(rw, "city holds a line break or another control "
		    "character");
}

/* Every check of one row that needs no other row, in column order. */
static void
check_row(struct import_row *rw, const struct ruleset *rs,
    struct csv_record *rec)
{
	int32_t		 d;
	size_t		 i;
	int		 j;
	char		*s;

	if (rec->n != NCOLS) {
		buf_printf(&rw->problems, "%d field%s, expected %d (%s",
		    rec->n, rec->n == 1 ? "" : "s", NCOLS, import_header[0]);
		for (j = 1; j < NCOLS; j++)
			buf_printf(&rw->problems, ",%s", import_header[j]);
		buf_puts(&rw->problems, ")\n");
		return;
	}
	for (j = 0; j < NCOLS; j++) {
		if (!utf8_ok((const unsigned char *)rec->fields[j],
		    strlen(rec->fields[j]))) {
			problem(rw, "%s is not valid UTF-8 text", import_header[j]);
			memset(rw->f, 0, sizeof rw->f);
			return;
		}
		rw->f[j] = trim(rec->fields[j]);
	}
	check_texts(rw);
	check_category(rw, rs);
	s = rw->f[IC_SINCE];
	if (date_parse(s, &d) != 0)
		problem(rw, "since \"%s\" is not a date (YYYY-MM-DD)", s);
	s = rw->f[IC_STATUS];
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	/* The word as the store's: its status, or a problem. */
	j = db_parse_enum(endorsement_status, s);
	rw->status = (enum endorsement_status)j;
	if (j == endorsement_status__N)
		problem(rw, "status \"%s\" is not active, lapsed, revoked or "
		    "inactive", s);
}

/* Whether rec is the header line. */
static int
is_header(struct csv_record *rec)
{
	int	 j;

	if (rec->n != NCOLS)
		return 0;
	for (j = 0; j < NCOLS; j++)
		if (strcmp(trim(rec->fields[j]), import_header[j]) != 0)
			return 0;
	return 1;
}

int
import_parse(struct import *im, struct arena *a, const struct ruleset *rs,
    const char *text, size_t len)
{
	struct csv		 c;
	struct csv_record	 rec;
	struct buf		 b;
	const char		*why;
	int			 rc, j;

	memset(im, 0, sizeof *im);
	csv_init(&c, text, len);
	rc = csv_next(&c, a, &rec, &why);
	if (rc == -1) {
		im->header = arena_strdup(a, why);
		im->syntax_line = c.line;
		return -1;
	}
	if (rc != 1 || !is_header(&rec)) {
		buf_init(&b);
		buf_puts(&b, "the first line must be ");
		for (j = 0; j < NCOLS; j++)
			buf_printf(&b, "%s%s", j > 0 ? "," : "", import_header[j]);
		im->header = arena_strdup(a, b.s);
		im->syntax_line = 1;
		buf_free(&b);
		return -1;
	}
	while ((rc = csv_next(&c, a, &rec, &why)) == 1) {
		/* A blank line (at the end, say) is no record. */
		if (rec.n == 1 && rec.fields[0][0] == '\0')
			continue;
		im->rows = xreallocarray(im->rows, im->n + 1,
		    sizeof *im->rows);
		memset(&im->rows[im->n], 0, sizeof im->rows[im->n]);
		im->rows[im->n].line = rec.line;
		buf_init(&im->rows[im->n].problems);
		check_row(&im->rows[im->n], rs, &rec);
		im->n++;
	}
	/* The reader stops at a syntax error: what follows is unread. */
	if (rc == -1) {
		im->syntax = arena_strdup(a, why);
		im->syntax_line = c.line;
	}
	return 0;
}

static int
by_number(const void *a, const void *b)
{
	const struct import_row	*x = *(const struct import_row *const *)a;
	const struct import_row	*y = *(const struct import_row *const *)b;
	int			 c;

	if ((c = strcmp(x->f[IC_NUMBER], y->f[IC_NUMBER])) != 0)
		return c;
	return x->line - y->line;
}

/* Numbers twice in the file (the later rows are reported) or already in
   the registry. */
static void
check_numbers(struct import *im)
{
	struct import_row	**v;
	struct dbq		*st;
	int			 i, k, first = 0, have;

	v = xreallocarray(NULL, im->n > 0 ? im->n : 1, sizeof *v);
	for (i = k = 0; i < im->n; i++)
		if (im->rows[i].f[IC_NUMBER] != NULL &&
		    *im->rows[i].f[IC_NUMBER] != '\0')
			v[k++] = &im->rows[i];
	qsort(v, k, sizeof *v, by_number);
	for (i = 0; i < k; i++) {
		/* Every repeat names the first row of its number. */
		if (i > 0 && strcmp(v[i]->f[IC_NUMBER],
		    v[first]->f[IC_NUMBER]) == 0) {
			problem(v[i], "number \"%s\" is also on line %d",
			    v[i]->f[IC_NUMBER], v[first]->line);
			continue;
		}
		first = i;
		st = db_stmt(S_ENDORSEMENT_BY_NUMBER);
		db_bind_text(st, "$number", v[i]->f[IC_NUMBER]);
		have = db_step(st) == DB_ROW;
		db_reset(st);
		if (have)
			problem(v[i], "number \"%s\" is already in the "
			    "registry", v[i]->f[IC_NUMBER]);
	}
	free(v);
}

/* The account of row's e-mail, created when there is none, in the
   import's transaction; 0, or -1. */
static int
account_for(const struct actor *who, struct arena *a,
    const struct import_row *rw, int64_t *id, int *created)
{
	struct account_new	 n = { rw->f[IC_NAME], rw->f[IC_EMAIL], NULL,
				    ACCT_APPLICANT, NULL,
				    ACCOUNT_NO_PASSWORD | ACCOUNT_IN_CALLER };

	*created = (*id = account_id_of(rw->f[IC_EMAIL])) == 0;
	if (!*created)
		return 0;
	return account_create(who, a, &n, id, NULL);
}

/* What the import records of a row it stores revoked or suspended, as
   revoking from the endorsement's page does (dom-revoke.c): the reason
   in words; no date, which only the association's old records know. */
static int
imported_withdrawn(int64_t id, enum endorsement_status s, const char *source)
{
	struct dbq	*st = db_stmt(S_ENDORSEMENT_IMPORTED_WITHDRAWN);
	char		 reason[FIELD_TEXT_MAX + 1];

	snprintf(reason, sizeof reason, "%s in the association's records "
	    "before this registry (imported from %s)", s ==
	    ENDORSEMENT_REVOKED ? "revoked" : "suspended", source);
	db_bind_text(st, "$reason", reason);
	db_bind_int(st, "$id", id);
	return db_exec(st);
}

/* Store every row: its account, endorsement and audit row; 0 or -1. */
static int
store(const struct actor *who, struct arena *a, struct import *im,
    const char *source, const struct ruleset *rs, int invite)
{
	struct import_row	*rows = im->rows;
	struct dbq		*st;
	int64_t			 account, id;
	int			 i, j, created;

	for (i = 0; i < im->n; i++) {
		if (account_for(who, a, &rows[i], &account, &created) != 0)
			return -1;
		st = db_stmt(S_ENDORSEMENT_INSERT);
		db_bind_text(st, "$number", rows[i].f[IC_NUMBER]);
		db_bind_int(st, "$account", account);
		db_bind_text(st, "$assoc", rs->id);
		db_bind_text(st, "$category", rows[i].f[IC_CATEGORY]);
		db_bind_text(st, "$since", rows[i].f[IC_SINCE]);
		db_bind_enum(st, "$status", endorsement_status,
		    rows[i].status);
		db_bind_text(st, "$name", rows[i].f[IC_NAME]);
		db_bind_text(st, "$city", rows[i].f[IC_CITY]);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) != 0)
			return -1;
		id = db_last_id();
		if ((rows[i].status == ENDORSEMENT_REVOKED ||
		    rows[i].status == ENDORSEMENT_SUSPENDED) &&
		    imported_withdrawn(id, rows[i].status, source) != 0)
			return -1;
		if (audit_write(who, "endorsement", id, "import",
		    json_pack("{s:s, s:i, s:I, s:b, s:s, s:s, s:s}", "file",
		    source, "line", rows[i].line, "account",
		    (json_int_t)account, "account_created", created,
		    "category", rows[i].f[IC_CATEGORY], "since",
		    rows[i].f[IC_SINCE], "status", rows[i].f[IC_STATUS])) != 0)
			return -1;
		/* One welcome to an account, however many rows it holds. */
		for (j = 0; j < i && rows[j].account != account; j++)
			continue;
		rows[i].account = account;
		if (invite && j == i && account_invite(a, account,
		    rows[i].f[IC_EMAIL], rs->name, rows[i].f[IC_NUMBER]) != 0)
			return -1;
	}
	return 0;
}

int
import_run(const struct actor *who, struct arena *a,
    const struct ruleset *rs, struct import *im, const char *source,
    int flags, struct derr *e)
{
	int	 i;

	/* One write transaction from the first look at the registry's
	   numbers to the last row stored. */
	if (db_begin() != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	check_numbers(im);
	for (i = im->bad = 0; i < im->n; i++)
		if (im->rows[i].problems.len > 0)
			im->bad++;
	if (im->syntax != NULL)
		im->bad++;
	if (im->bad > 0 || !(flags & IMPORT_STORE)) {
		db_rollback();
		return 0;
	}
	if (store(who, a, im, source, rs, flags & IMPORT_INVITE) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		return derr_store(e, a, "the import");
	}
	return 0;
}

void
import_free(struct import *im)
{
	int	 i;

	for (i = 0; i < im->n; i++)
		buf_free(&im->rows[i].problems);
	free(im->rows);
	memset(im, 0, sizeof *im);
}
