/*
 * The command line: a table of commands (tmux cmd-*.c style), each with
 * its usage and an exec function returning the exit status.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "endorse.h"
#include "web.h"
#include "banned.h"

struct opts {
	const char	*rules;
	const char	*format;
	const char	*db;
	int		 cycle;
	char		*args[8];
	int		 nargs;
};

/* A verb, or with sub a verb's subcommand ("rules impact"). */
struct command {
	const char	*name;
	const char	*sub;
	const char	*usage;
	int		 (*exec)(struct opts *);
	int		 takes_db;	/* --db FILE */
};

static const char *argv0 = "endorse";

static int
bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "endorse: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return EXIT_BAD_INPUT;
}

/* $ENDORSE_RULES, else rules/ beside the build directory, else ./rules. */
const char *
rules_default_dir(const char *a0)
{
	static char	 dir[PATH_MAX + 32];
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;
	struct stat	 st;

	(void)a0;
	if (getenv("ENDORSE_RULES") != NULL)
		return getenv("ENDORSE_RULES");
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(dir, sizeof dir, "%s/../rules", exe);
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
				return dir;
			snprintf(dir, sizeof dir, "%s/../share/endorse/rules",
			    exe);
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
				return dir;
		}
	}
	return "rules";
}

static const char *
rules_dir(struct opts *o)
{
	return o->rules != NULL ? o->rules : rules_default_dir(argv0);
}

/* Load the portfolio and its rule set and category; 0 or exit status. */
static int
load(struct opts *o, struct portfolio **pp, struct ruleset **rsp,
    const struct category **catp)
{
	const char	*file = o->args[0];
	char		*cause;
	struct buf	 b;
	int		 i;

	if ((*pp = portfolio_load(file, date_today(), &cause)) == NULL) {
		fprintf(stderr, "endorse: %s\n", cause);
		free(cause);
		return EXIT_BAD_INPUT;
	}
	if ((*rsp = rules_load_id(rules_dir(o), (*pp)->association,
	    &cause)) == NULL) {
		fprintf(stderr, "endorse: %s: association: no rule set for "
		    "\"%s\" (%s)\n", file, (*pp)->association, cause);
		free(cause);
		portfolio_free(*pp);
		return EXIT_BAD_INPUT;
	}
	if ((*catp = rules_category(*rsp, (*pp)->category)) == NULL) {
		buf_init(&b);
		for (i = 0; i < (*rsp)->ncats; i++)
			buf_printf(&b, "%s%s", i > 0 ? ", " : "",
			    (*rsp)->cats[i].code);
		fprintf(stderr, "endorse: %s: category: \"%s\" is not a "
		    "category of %s (%s)\n", file, (*pp)->category,
		    (*rsp)->id, b.s);
		buf_free(&b);
		rules_free(*rsp);
		portfolio_free(*pp);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

static int
want_json(struct opts *o)
{
	return o->format != NULL && strcmp(o->format, "json") == 0;
}

static int
cmd_check(struct opts *o)
{
	struct portfolio	*p;
	struct ruleset		*rs;
	const struct category	*cat;
	struct check_result	 cr;
	struct arena		 a;
	int			 rc;

	if (o->nargs != 1)
		return bad("check: expected one portfolio file%s", "");
	if ((rc = load(o, &p, &rs, &cat)) != 0)
		return rc;
	arena_init(&a);
	check_eval(rs, cat, p, &a, &cr);
	if (want_json(o))
		report_check_json(stdout, &cr);
	else
		report_check_text(stdout, &cr);
	rc = cr.eligible ? EXIT_ELIGIBLE : EXIT_NOT_MET;
	arena_free(&a);
	rules_free(rs);
	portfolio_free(p);
	return rc;
}

static int
cmd_renewal(struct opts *o)
{
	struct portfolio	*p;
	struct ruleset		*rs;
	const struct category	*cat;
	struct renewal_result	 rr;
	struct arena		 a;
	char			*cause;
	int			 rc;

	if (o->nargs != 1)
		return bad("renewal: expected one portfolio file%s", "");
	if (o->cycle == 0)
		return bad("renewal: --cycle YEAR is required%s", "");
	if ((rc = load(o, &p, &rs, &cat)) != 0)
		return rc;
	arena_init(&a);
	if (renewal_eval(rs, cat, p, o->cycle, &a, &rr, &cause) != 0) {
		fprintf(stderr, "endorse: %s: %s\n", o->args[0], cause);
		free(cause);
		rc = EXIT_BAD_INPUT;
	} else {
		if (want_json(o))
			report_renewal_json(stdout, &rr);
		else
			report_renewal_text(stdout, &rr);
		rc = rr.met ? EXIT_ELIGIBLE : EXIT_NOT_MET;
	}
	arena_free(&a);
	rules_free(rs);
	portfolio_free(p);
	return rc;
}

static int
cmd_rules(struct opts *o)
{
	struct ruleset		*rs;
	const struct category	*cat;
	char			*cause;
	int			 i, rc = 0;

	if (o->nargs >= 2 && strcmp(o->args[0], "check") == 0) {
		/* Validate rule files, as a coordinator does after editing. */
		for (i = 1; i < o->nargs; i++) {
			if ((rs = rules_load(o->args[i], &cause)) == NULL) {
				fprintf(stderr, "%s\n", cause);
				free(cause);
				rc = EXIT_BAD_INPUT;
				continue;
			}
			printf("%s: ok, %d categories\n", o->args[i], rs->ncats);
			rules_free(rs);
		}
		return rc;
	}
	if (o->nargs < 2 || o->nargs > 3 || (strcmp(o->args[0], "list") != 0 &&
	    strcmp(o->args[0], "show") != 0))
		return bad("rules: usage: endorse rules list|show ASSOC "
		    "[CATEGORY] | endorse rules check FILE...%s", "");
	if ((rs = rules_load_id(rules_dir(o), o->args[1], &cause)) == NULL) {
		fprintf(stderr, "endorse: %s\n", cause);
		free(cause);
		return EXIT_BAD_INPUT;
	}
	if (strcmp(o->args[0], "list") == 0 || o->nargs == 2) {
		if (o->nargs == 3) {
			rules_free(rs);
			return bad("rules list takes no category%s", "");
		}
		if (strcmp(o->args[0], "list") == 0)
			report_rules_list(stdout, rs);
		else
			for (i = 0; i < rs->ncats; i++) {
				report_rules_show(stdout, rs, &rs->cats[i]);
				fputc('\n', stdout);
			}
		if (strcmp(o->args[0], "show") == 0)
			report_rules_policy(stdout, rs);
	} else if ((cat = rules_category(rs, o->args[2])) == NULL) {
		fprintf(stderr, "endorse: \"%s\" is not a category of %s\n",
		    o->args[2], rs->id);
		rc = EXIT_BAD_INPUT;
	} else {
		report_rules_show(stdout, rs, cat);
		report_rules_policy(stdout, rs);
	}
	rules_free(rs);
	return rc;
}

/*
 * `endorse rules impact --db FILE [--format text|json] OLD_DIR NEW_DIR`:
 * whom replacing the rule files of OLD_DIR by those of NEW_DIR would move
 * (impact.c), as of today (ENDORSE_NOW fixes it).  Exit 0 whether anyone
 * moves or not; 2 when a directory, a rule file or the database cannot be
 * read, with nothing on stdout.
 */
static int
cmd_impact(struct opts *o)
{
	struct rules_file	*f[2] = { NULL, NULL };
	const struct ruleset	**rs[2] = { NULL, NULL };
	struct stat		 sb;
	json_t			*doc = NULL;
	char			*cause = NULL, *share, dir[PATH_MAX + 64];
	int			 n[2] = { 0, 0 }, i, k, rc = EXIT_BAD_INPUT;

	if (o->nargs != 2)
		return bad("rules impact: expected OLD_DIR NEW_DIR%s", "");
	if (o->db == NULL)
		return bad("rules impact: --db FILE is required%s", "");
	for (k = 0; k < 2; k++) {
		if (stat(o->args[k], &sb) != 0) {
			fprintf(stderr, "endorse: %s: %s\n", o->args[k],
			    strerror(errno));
			goto out;
		}
		if (!S_ISDIR(sb.st_mode)) {
			fprintf(stderr, "endorse: %s: not a directory\n",
			    o->args[k]);
			goto out;
		}
		if (rules_load_dir(o->args[k], &f[k], &n[k], &cause) != 0) {
			fprintf(stderr, "endorse: %s\n", cause);
			goto out;
		}
		rs[k] = xcalloc((size_t)n[k] + 1, sizeof *rs[k]);
		for (i = 0; i < n[k]; i++)
			rs[k][i] = f[k][i].rs;
	}
	/* An existing database: a typo makes no new one. */
	if (stat(o->db, &sb) != 0) {
		fprintf(stderr, "endorse: %s: no such database (--db FILE)\n",
		    o->db);
		goto out;
	}
	share = share_default();
	snprintf(dir, sizeof dir, "%s/db", share);
	free(share);
	if (db_init(o->db, dir, &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		goto out;
	}
	if (db_begin_read() != 0) {
		fprintf(stderr, "endorse: %s: the database cannot be read\n",
		    o->db);
		db_shutdown();
		goto out;
	}
	doc = impact_run(rs[0], n[0], rs[1], n[1], web_today(), &cause);
	db_commit();
	db_shutdown();
	if (doc == NULL) {
		fprintf(stderr, "endorse: %s: %s\n", o->db, cause);
		goto out;
	}
	if (want_json(o)) {
		json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else
		impact_text(stdout, doc);
	rc = 0;
out:
	json_decref(doc);
	free(cause);
	for (k = 0; k < 2; k++) {
		free(rs[k]);
		rules_files_free(f[k], n[k]);
	}
	return rc;
}

static int cmd_help(struct opts *);

static int
cmd_version(struct opts *o)
{
	(void)o;
	printf("endorse %s\n", ENDORSE_VERSION);
	return 0;
}

static const struct command commands[] = {
	{ "check", NULL, "check [--rules DIR] [--format text|json] "
	    "PORTFOLIO.json", cmd_check, 0 },
	{ "renewal", NULL, "renewal --cycle YEAR [--rules DIR] [--format "
	    "text|json] PORTFOLIO.json", cmd_renewal, 0 },
	{ "rules", NULL, "rules list ASSOC | rules show ASSOC [CATEGORY] | "
	    "rules check FILE...  [--rules DIR]", cmd_rules, 0 },
	{ "rules", "impact", "rules impact --db FILE [--format text|json] "
	    "OLD_DIR NEW_DIR", cmd_impact, 1 },
	{ "version", NULL, "version", cmd_version, 0 },
	{ "help", NULL, "help", cmd_help, 0 },
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

static void
usage(FILE *f)
{
	int	 i;

	fprintf(f, "usage:\n");
	fprintf(f, "  endorse serve [--config FILE] [--listen HOST:PORT] "
	    "[--db FILE] [--base-url URL] [--rules DIR] [--share DIR] "
	    "[--threads N] [--quiet]\n");
	fprintf(f, "  endorse outbox --db FILE\n");
	fprintf(f, "  endorse tick [--config FILE] [--db FILE] [--now "
	    "YYYY-MM-DD]\n");
	fprintf(f, "  endorse renewals --association ID [--cycle YEAR] "
	    "[--now YYYY-MM-DD] [--list] [--db FILE]\n");
	fprintf(f, "  endorse backup [--config FILE] [--db FILE] BACKUP | "
	    "restore [--config FILE] [--db FILE] BACKUP\n");
	fprintf(f, "  endorse doctor [--config FILE] [--db FILE] [--rules "
	    "DIR]\n");
	fprintf(f, "  endorse import endorsees --db FILE --association ID "
	    "[--rules DIR] FILE.csv\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  endorse %s\n", commands[i].usage);
	fprintf(f, "exit status: 0 eligible/met, 1 not eligible/not met, "
	    "2 unreadable input or rules\n");
}

static int
cmd_help(struct opts *o)
{
	(void)o;
	usage(stdout);
	return 0;
}

int
cli_main(int argc, char **argv)
{
	const struct command	*cmd = NULL;
	struct opts		 o;
	char			*end;
	long			 y;
	int			 i;

	if (argc > 0)
		argv0 = argv[0];
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (strcmp(argv[1], "serve") == 0)
		return serve_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "outbox") == 0)
		return outbox_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "import") == 0)
		return import_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "tick") == 0)
		return tick_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "renewals") == 0)
		return renewals_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "backup") == 0)
		return backup_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "restore") == 0)
		return restore_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "doctor") == 0)
		return doctor_main(argc - 1, argv + 1);
	/* A subcommand's own entry first, else the verb's. */
	for (i = 0; i < NCOMMANDS && cmd == NULL; i++)
		if (strcmp(commands[i].name, argv[1]) == 0 &&
		    commands[i].sub != NULL && argc > 2 &&
		    strcmp(commands[i].sub, argv[2]) == 0)
			cmd = &commands[i];
	for (i = 0; i < NCOMMANDS && cmd == NULL; i++)
		if (strcmp(commands[i].name, argv[1]) == 0 &&
		    commands[i].sub == NULL)
			cmd = &commands[i];
	if (cmd == NULL) {
		fprintf(stderr, "endorse: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	memset(&o, 0, sizeof o);
	for (i = cmd->sub != NULL ? 3 : 2; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			o.rules = argv[++i];
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc &&
		    cmd->takes_db)
			o.db = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			o.format = argv[++i];
			if (strcmp(o.format, "text") != 0 &&
			    strcmp(o.format, "json") != 0)
				return bad("--format: '%s' is not text or json",
				    o.format);
		} else if (strcmp(argv[i], "--cycle") == 0 && i + 1 < argc) {
			y = strtol(argv[++i], &end, 10);
			if (*end != '\0' || y < 1900 || y > 2199)
				return bad("--cycle: '%s' is not a year",
				    argv[i]);
			o.cycle = (int)y;
		} else if (argv[i][0] == '-' && argv[i][1] == '-')
			return bad("unknown or incomplete option '%s'", argv[i]);
		else if (o.nargs == 8)
			return bad("too many arguments%s", "");
		else
			o.args[o.nargs++] = argv[i];
	}
	return cmd->exec(&o);
}
