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
#include "dom-import.h"
#include "banned.h"

#define CSV_MAX		(64L * 1024 * 1024)	/* bytes of one file */

static void
usage(void)
{
	fprintf(stderr, "usage: endorse import endorsees --db FILE "
	    "--association ID [--rules DIR] [--invite --base-url URL] "
	    "FILE.csv\n");
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

/* Each problem of each row as FILE:LINE: problem, then a syntax error. */
static void
print_problems(const struct import *im, const char *file)
{
	const char	*p, *nl;
	int		 i;

	for (i = 0; i < im->n; i++)
		for (p = im->rows[i].problems.s; p != NULL && *p != '\0';
		    p = nl + 1) {
			nl = strchr(p, '\n');
			fprintf(stderr, "%s:%d: %.*s\n", file,
			    im->rows[i].line, (int)(nl - p), p);
		}
	if (im->syntax != NULL)
		fprintf(stderr, "%s:%d: %s\n", file, im->syntax_line,
		    im->syntax);
}

/* Read, check and (when every row is right) store; the exit status. */
static int
import_endorsees(const char *db, const char *assoc, const char *rules,
    const char *file, int invite)
{
	struct ruleset		*rs;
	struct arena		 a;
	struct buf		 text;
	struct import		 im;
	struct derr		 e;
	char			 dir[PATH_MAX + 64], *cause = NULL, *share;
	int			 status = EXIT_BAD_INPUT;

	if ((rs = rules_load_id(rules, assoc, &cause)) == NULL) {
		fprintf(stderr, "endorse: --association: no rule set for "
		    "\"%s\" (%s)\n", assoc, cause);
		free(cause);
		return EXIT_BAD_INPUT;
	}
	memset(&im, 0, sizeof im);
	buf_init(&text);
	arena_init(&a);
	if (slurp(file, &text) != 0)
		goto out;
	if (import_parse(&im, &a, rs, text.s != NULL ? text.s : "",
	    text.len) != 0) {
		fprintf(stderr, "%s:%d: %s\n", file, im.syntax_line, im.header);
		goto out;
	}
	snprintf(dir, sizeof dir, "%s/db", (share = share_default()));
	free(share);
	if (db_init(db, dir, &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		free(cause);
		goto out;
	}
	if (import_run(&actor_cli, &a, rs, &im, file, IMPORT_STORE |
	    (invite ? IMPORT_INVITE : 0), &e) != 0) {
		if (e.status == 503)
			fprintf(stderr, "endorse: %s: the database is busy\n",
			    db);
		else
			fprintf(stderr, "endorse: %s: nothing imported (the "
			    "database refused a row)\n", file);
		status = 1;
		goto out;
	}
	if (im.bad > 0) {
		print_problems(&im, file);
		fprintf(stderr, "endorse: %s: nothing imported (%d row%s with "
		    "problems)\n", file, im.bad, im.bad == 1 ? "" : "s");
		goto out;
	}
	printf("imported %d endorsee%s%s\n", im.n, im.n == 1 ? "" : "s",
	    invite ? (im.n == 1 ? ", invited by mail" :
	    ", each invited by mail") : "");
	status = 0;
out:
	db_shutdown();
	import_free(&im);
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
