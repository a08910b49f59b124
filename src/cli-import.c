/*
 * `endorse import endorsees --db FILE --association ID [--rules DIR]
 * FILE.csv`: an association's endorsees from its old system, moved in all
 * or nothing.  The CSV (RFC 4180, src/csv.c) has the header
 * number,name,email,category,since,status,city; every row with a problem
 * is reported as FILE:LINE: problem (the line the record starts on), and
 * one problem anywhere imports nothing.  Each row becomes an endorsement
 * in the registry with an audit row, linked to the account of its e-mail
 * address, created when there is none with a password hash that matches
 * no password ("!"): its holder claims it through the password reset
 * link, as anyone who forgot a password would.  With --invite (and
 * --base-url URL, the address the links point to) each endorsee is also
 * mailed a welcome with a claim link (account_invite), queued in the
 * import's transaction: every row and its mail, or nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-account.h"
#include "banned.h"

#define CSV_MAX		(64L * 1024 * 1024)	/* bytes of one file */
#define NUMBER_MAX	64
#define TEXT_MAX	200

static const char *const header[] = { "number", "name", "email",
    "category", "since", "status", "city" };
#define NCOLS	((int)(sizeof header / sizeof header[0]))
enum { C_NUMBER, C_NAME, C_EMAIL, C_CATEGORY, C_SINCE, C_STATUS, C_CITY };

struct row {
	int			 line;
	char			*f[NCOLS];	/* trimmed; status in lower
						   case */
	enum endorsement_status	 status;	/* f[C_STATUS] read */
	int64_t			 account;	/* once stored */
	struct buf		 problems;	/* "FILE:LINE: problem\n"
						   lines */
};

static void
usage(void)
{
	fprintf(stderr, "usage: endorse import endorsees --db FILE "
	    "--association ID [--rules DIR] [--invite --base-url URL] "
	    "FILE.csv\n");
}

static void problem(struct row *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* One "FILE:LINE: problem" line of a row. */
static void
problem(struct row *rw, const char *file, const char *fmt, ...)
{
	va_list	 ap;

	buf_printf(&rw->problems, "%s:%d: ", file, rw->line);
	va_start(ap, fmt);
	buf_vprintf(&rw->problems, fmt, ap);
	va_end(ap);
	buf_add(&rw->problems, "\n", 1);
}

/* The whole file in b; -1 with the reason printed. */
static int
slurp(const char *file, struct buf *b)
{
	FILE	*f;
	char	 chunk[65536];
	size_t	 n;

	if ((f = fopen(file, "rb")) == NULL) {
		fprintf(stderr, "endorse: %s: %s\n", file, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if ((long)(b->len + n) > CSV_MAX) {
			fprintf(stderr, "endorse: %s: larger than %ld MB\n",
			    file, CSV_MAX / 1024 / 1024);
			fclose(f);
			return -1;
		}
		buf_add(b, chunk, n);
	}
	if (ferror(f)) {
		fprintf(stderr, "endorse: %s: %s\n", file, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
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

/* Every check of one row that needs no other row. */
static void
check_row(struct row *rw, const char *file, const struct ruleset *rs,
    struct csv_record *rec)
{
	struct buf	 b;
	int32_t		 d;
	size_t		 i;
	int		 j;
	char		*s;

	if (rec->n != NCOLS) {
		buf_printf(&rw->problems, "%s:%d: %d field%s, expected %d "
		    "(%s", file, rw->line, rec->n, rec->n == 1 ? "" : "s",
		    NCOLS, header[0]);
		for (j = 1; j < NCOLS; j++)
			buf_printf(&rw->problems, ",%s", header[j]);
		buf_puts(&rw->problems, ")\n");
		return;
	}
	for (j = 0; j < NCOLS; j++) {
		if (!utf8_ok((const unsigned char *)rec->fields[j],
		    strlen(rec->fields[j]))) {
			problem(rw, file, "%s is not valid UTF-8 text",
			    header[j]);
			return;
		}
		rw->f[j] = trim(rec->fields[j]);
	}
	s = rw->f[C_NUMBER];
	if (*s == '\0')
		problem(rw, file, "number is empty");
	else if (strlen(s) > NUMBER_MAX || !number_ok(s))
		problem(rw, file, "number \"%s\" is not 1 to %d letters, "
		    "digits, '-', '_' or '.'", s, NUMBER_MAX);
	s = rw->f[C_NAME];
	if (*s == '\0')
		problem(rw, file, "name is empty");
	else if (strlen(s) > TEXT_MAX)
		problem(rw, file, "name is longer than %d bytes", TEXT_MAX);
	else if (has_control(s))
		problem(rw, file, "name holds a line break or another control "
		    "character");
	s = rw->f[C_EMAIL];
	if (*s == '\0')
		problem(rw, file, "email is empty");
	else if (!account_email_ok(s))
		problem(rw, file, "email \"%s\" is not an e-mail address", s);
	s = rw->f[C_CATEGORY];
	if (rules_category(rs, s) == NULL) {
		buf_init(&b);
		for (j = 0; j < rs->ncats; j++)
			buf_printf(&b, "%s%s", j > 0 ? ", " : "",
			    rs->cats[j].code);
		problem(rw, file, "category \"%s\" is not a category of %s "
		    "(%s)", s, rs->id, b.s != NULL ? b.s : "");
		buf_free(&b);
	}
	s = rw->f[C_SINCE];
	if (date_parse(s, &d) != 0)
		problem(rw, file, "since \"%s\" is not a date (YYYY-MM-DD)", s);
	s = rw->f[C_STATUS];
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	/* The word as the store's: its status, or a problem. */
	j = db_parse_enum(endorsement_status, s);
	rw->status = (enum endorsement_status)j;
	if (j == endorsement_status__N)
		problem(rw, file, "status \"%s\" is not active, lapsed, "
		    "revoked or inactive", s);
	if (strlen(rw->f[C_CITY]) > TEXT_MAX)
		problem(rw, file, "city is longer than %d bytes", TEXT_MAX);
	else if (has_control(rw->f[C_CITY]))
		problem(rw, file, "city holds a line break or another control "
		    "character");
}

static int
by_number(const void *a, const void *b)
{
	const struct row	*x = *(const struct row *const *)a;
	const struct row	*y = *(const struct row *const *)b;
	int			 c;

	if ((c = strcmp(x->f[C_NUMBER], y->f[C_NUMBER])) != 0)
		return c;
	return x->line - y->line;
}

/* Numbers twice in the file (the later rows are reported) or already in
   the registry. */
static void
check_numbers(struct row *rows, int n, const char *file)
{
	struct row	**v;
	struct dbq	*st;
	int		 i, k, first = 0, have;

	v = xreallocarray(NULL, n > 0 ? n : 1, sizeof *v);
	for (i = k = 0; i < n; i++)
		if (rows[i].f[C_NUMBER] != NULL && *rows[i].f[C_NUMBER] != '\0')
			v[k++] = &rows[i];
	qsort(v, k, sizeof *v, by_number);
	for (i = 0; i < k; i++) {
		/* Every repeat names the first row of its number. */
		if (i > 0 && strcmp(v[i]->f[C_NUMBER], v[first]->f[C_NUMBER])
		    == 0) {
			problem(v[i], file, "number \"%s\" is also on line %d",
			    v[i]->f[C_NUMBER], v[first]->line);
			continue;
		}
		first = i;
		st = db_stmt(S_ENDORSEMENT_BY_NUMBER);
		db_bind_text(st, "$number", v[i]->f[C_NUMBER]);
		have = db_step(st) == DB_ROW;
		db_reset(st);
		if (have)
			problem(v[i], file, "number \"%s\" is already in the "
			    "registry", v[i]->f[C_NUMBER]);
	}
	free(v);
}

/* The account of row's e-mail, created when there is none, in the
   import's transaction; 0, or -1. */
static int
account_for(struct arena *a, const struct row *rw, int64_t *id,
    int *created)
{
	struct account_new	 n = { rw->f[C_NAME], rw->f[C_EMAIL], NULL,
				    ACCT_APPLICANT, NULL,
				    ACCOUNT_NO_PASSWORD | ACCOUNT_IN_CALLER };

	*created = (*id = account_id_of(rw->f[C_EMAIL])) == 0;
	if (!*created)
		return 0;
	return account_create(&actor_cli, a, &n, id, NULL);
}

/* Store every row: its account, endorsement and audit row; 0 or -1. */
static int
store(struct arena *a, struct row *rows, int n, const char *file,
    const struct ruleset *rs, int invite)
{
	struct dbq	*st;
	int64_t		 account, id;
	int		 i, j, created;

	for (i = 0; i < n; i++) {
		if (account_for(a, &rows[i], &account, &created) != 0)
			return -1;
		st = db_stmt(S_ENDORSEMENT_INSERT);
		db_bind_text(st, "$number", rows[i].f[C_NUMBER]);
		db_bind_int(st, "$account", account);
		db_bind_text(st, "$assoc", rs->id);
		db_bind_text(st, "$category", rows[i].f[C_CATEGORY]);
		db_bind_text(st, "$since", rows[i].f[C_SINCE]);
		db_bind_enum(st, "$status", endorsement_status,
		    rows[i].status);
		db_bind_text(st, "$name", rows[i].f[C_NAME]);
		db_bind_text(st, "$city", rows[i].f[C_CITY]);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) != 0)
			return -1;
		id = db_last_id();
		if (audit_write(&actor_cli, "endorsement", id, "import",
		    json_pack("{s:s, s:i, s:I, s:b, s:s, s:s, s:s}", "file",
		    file, "line", rows[i].line, "account",
		    (json_int_t)account, "account_created", created,
		    "category", rows[i].f[C_CATEGORY], "since",
		    rows[i].f[C_SINCE], "status", rows[i].f[C_STATUS])) != 0)
			return -1;
		/* One welcome to an account, however many rows it holds. */
		for (j = 0; j < i && rows[j].account != account; j++)
			continue;
		rows[i].account = account;
		if (invite && j == i && account_invite(a, account,
		    rows[i].f[C_EMAIL], rs->name, rows[i].f[C_NUMBER]) != 0)
			return -1;
	}
	return 0;
}

/* Read, check and (when every row is right) store; the exit status. */
static int
import_endorsees(const char *db, const char *assoc, const char *rules,
    const char *file, int invite)
{
	struct ruleset		*rs;
	struct arena		 a;
	struct buf		 text;
	struct csv		 c;
	struct csv_record	 rec;
	struct row		*rows = NULL;
	const char		*why;
	char			 dir[PATH_MAX + 64], *cause = NULL, *share;
	int			 n = 0, i, j, rc, bad = 0, status = EXIT_BAD_INPUT;

	if ((rs = rules_load_id(rules, assoc, &cause)) == NULL) {
		fprintf(stderr, "endorse: --association: no rule set for "
		    "\"%s\" (%s)\n", assoc, cause);
		free(cause);
		return EXIT_BAD_INPUT;
	}
	buf_init(&text);
	arena_init(&a);
	if (slurp(file, &text) != 0)
		goto out;
	csv_init(&c, text.s != NULL ? text.s : "", text.len);
	rc = csv_next(&c, &a, &rec, &why);
	if (rc == 1 && rec.n == NCOLS) {
		for (j = 0; j < NCOLS; j++)
			if (strcmp(trim(rec.fields[j]), header[j]) != 0)
				break;
	} else
		j = 0;
	if (rc == -1) {
		fprintf(stderr, "%s:%d: %s\n", file, c.line, why);
		goto out;
	}
	if (j != NCOLS) {
		fprintf(stderr, "%s:1: the first line must be ", file);
		for (j = 0; j < NCOLS; j++)
			fprintf(stderr, "%s%s", j > 0 ? "," : "", header[j]);
		fputc('\n', stderr);
		goto out;
	}
	snprintf(dir, sizeof dir, "%s/db", (share = share_default()));
	free(share);
	if (db_init(db, dir, &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		free(cause);
		goto out;
	}
	/* One write transaction from the first look at the registry's
	   numbers to the last row stored. */
	if (db_begin() != 0) {
		fprintf(stderr, "endorse: %s: the database is busy\n", db);
		status = 1;
		goto out;
	}
	while ((rc = csv_next(&c, &a, &rec, &why)) == 1) {
		/* A blank line (at the end, say) is no record. */
		if (rec.n == 1 && rec.fields[0][0] == '\0')
			continue;
		rows = xreallocarray(rows, n + 1, sizeof *rows);
		memset(&rows[n], 0, sizeof rows[n]);
		rows[n].line = rec.line;
		buf_init(&rows[n].problems);
		check_row(&rows[n], file, rs, &rec);
		n++;
	}
	check_numbers(rows, n, file);
	for (i = 0; i < n; i++)
		if (rows[i].problems.len > 0) {
			fputs(rows[i].problems.s, stderr);
			bad++;
		}
	/* The reader stops at a syntax error: what follows is unread. */
	if (rc == -1) {
		fprintf(stderr, "%s:%d: %s\n", file, c.line, why);
		bad++;
	}
	if (bad > 0) {
		db_rollback();
		fprintf(stderr, "endorse: %s: nothing imported (%d row%s with "
		    "problems)\n", file, bad, bad == 1 ? "" : "s");
		goto out;
	}
	if (store(&a, rows, n, file, rs, invite) != 0 || db_commit() != 0) {
		db_rollback();
		fprintf(stderr, "endorse: %s: nothing imported (the database "
		    "refused a row)\n", file);
		status = 1;
		goto out;
	}
	printf("imported %d endorsee%s%s\n", n, n == 1 ? "" : "s",
	    invite ? (n == 1 ? ", invited by mail" : ", each invited by mail") :
	    "");
	status = 0;
out:
	db_shutdown();
	for (i = 0; i < n; i++)
		buf_free(&rows[i].problems);
	free(rows);
	arena_free(&a);
	buf_free(&text);
	rules_free(rs);
	return status;
}

int
import_main(int argc, char **argv)
{
	const char	*db = NULL, *assoc = NULL, *rules = NULL, *file = NULL;
	const char	*base = NULL;
	int		 i, invite = 0, rc;

	if (argc < 2 || strcmp(argv[1], "endorsees") != 0) {
		usage();
		return EXIT_BAD_INPUT;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--association") == 0 && i + 1 < argc)
			assoc = argv[++i];
		else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			rules = argv[++i];
		else if (strcmp(argv[i], "--base-url") == 0 && i + 1 < argc)
			base = argv[++i];
		else if (strcmp(argv[i], "--invite") == 0)
			invite = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "endorse: import: unknown or "
			    "incomplete option '%s'\n", argv[i]);
			usage();
			return EXIT_BAD_INPUT;
		} else if (file != NULL) {
			usage();
			return EXIT_BAD_INPUT;
		} else
			file = argv[i];
	}
	if (db == NULL || assoc == NULL || file == NULL) {
		usage();
		return EXIT_BAD_INPUT;
	}
	if (invite && (base == NULL || (strncmp(base, "http://", 7) != 0 &&
	    strncmp(base, "https://", 8) != 0))) {
		fprintf(stderr, "endorse: import: --invite needs --base-url "
		    "URL, the http:// or https:// address the claim links "
		    "point to\n");
		return EXIT_BAD_INPUT;
	}
	if (rules == NULL)
		rules = rules_default_dir(argv[0]);
	db_now();
	cfg.base_url = base != NULL ? xstrdup(base) : NULL;
	rc = import_endorsees(db, assoc, rules, file, invite);
	free(cfg.base_url);
	cfg.base_url = NULL;
	return rc;
}
