/*
 * The command line: a table of commands (tmux cmd-*.c style).  Each is a
 * descriptor: its name (and subcommand), its usage line, a line of help
 * and the function that runs it and returns the exit status.  The usage
 * that `endorse help` and a wrong command print is made from the table,
 * and README.md's list of commands is the same lines.
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

/* The options of the engine's commands, parsed here (cmd_opts). */
struct opts {
	const char	*rules;
	const char	*format;
	const char	*db;
	int		 cycle;
	char		*args[8];
	int		 nargs;
};

/*
 * A verb, or with sub a verb's subcommand ("rules impact").  A command
 * runs either main, which reads its own options from argv (the verb
 * first, as argv[0]; the server's and the operator's verbs), or exec,
 * with the options parsed into struct opts.
 */
struct command {
	const char	*name;
	const char	*sub;
	const char	*usage;		/* after "endorse " */
	const char	*help;
	int		 (*main)(int, char **);
	int		 (*exec)(struct opts *);
	int		 flags;
#define CMD_DB		0x1	/* takes --db FILE */
#define CMD_SUBARG	0x2	/* exec reads the subcommand as its first
				   argument: options may come before it */
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

/*
 * Every command, in the order of the usage (README.md lists the same
 * lines).  A usage line says the options the command reads, as its own
 * "usage:" message does where it has one.
 */
static const struct command commands[] = {
	{ "serve", NULL, "serve [--config FILE] [--listen HOST:PORT] "
	    "[--db FILE] [--base-url URL] [--rules DIR] [--share DIR] "
	    "[--threads N] [--tick-interval SECONDS] [--quiet]",
	    "run the web application and its JSON API", serve_main, NULL,
	    0 },
	{ "outbox", NULL, "outbox --db FILE",
	    "print the mail queued in a database, each with its delivery "
	    "status", outbox_main, NULL, 0 },
	{ "tick", NULL, "tick [--config FILE] [--db FILE] [--rules DIR] "
	    "[--now YYYY-MM-DD]",
	    "once, what serve's scheduler does: reminders, ended windows, "
	    "lapses", tick_main, NULL, 0 },
	{ "renewals", NULL, "renewals --association ID [--cycle YEAR] "
	    "[--now YYYY-MM-DD] [--list] [--config FILE] [--db FILE] "
	    "[--rules DIR]",
	    "judge every endorsement of an association for a renewal cycle",
	    renewals_main, NULL, 0 },
	{ "backup", NULL, "backup [--config FILE] [--db FILE] BACKUP",
	    "write a consistent copy of the database, while the server runs",
	    backup_main, NULL, 0 },
	{ "restore", NULL, "restore [--config FILE] [--db FILE] BACKUP",
	    "replace the database by a checked backup, the server stopped",
	    restore_main, NULL, 0 },
	{ "doctor", NULL, "doctor [--config FILE] [--db FILE] [--rules DIR] "
	    "[--share DIR]",
	    "say what is wrong with an installation", doctor_main, NULL, 0 },
	{ "import", NULL, "import endorsees --db FILE --association ID "
	    "[--rules DIR] [--invite --base-url URL] FILE.csv",
	    "import an association's endorsees from a CSV file, all or "
	    "nothing", import_main, NULL, 0 },
	{ "export", NULL, "export NAME --association ID [--format csv|xlsx] "
	    "[--output FILE] [--config FILE] [--db FILE] [--rules DIR]",
	    "write an association's applications, endorsees, renewals, "
	    "payments or history as CSV or XLSX", export_main, NULL, 0 },
	{ "keys", NULL, "keys rotate --association ID [--config FILE] "
	    "[--db FILE] [--rules DIR]",
	    "give an association a new signing key for its credentials (the "
	    "old ones stay published)", keys_main, NULL, 0 },
	{ "verify", NULL, "verify FILE --jwks FILE [--status FILE]... "
	    "[--date YYYY-MM-DD]",
	    "check a credential offline: its signature, dates and status "
	    "(0 valid and current, 1 not)", verify_main, NULL, 0 },
	{ "user", NULL, "user add --role coordinator|reviewer --association "
	    "ID [--name NAME] [--config FILE] [--db FILE] [--rules DIR] "
	    "[--base-url URL] EMAIL",
	    "give an account a coordinator's or reviewer's role in an "
	    "association (made and invited by mail if missing)", user_main,
	    NULL, 0 },
	{ "check", NULL, "check [--rules DIR] [--format text|json] "
	    "PORTFOLIO.json",
	    "evaluate a portfolio against its association's rule set",
	    NULL, cmd_check, 0 },
	{ "renewal", NULL, "renewal --cycle YEAR [--rules DIR] [--format "
	    "text|json] PORTFOLIO.json",
	    "evaluate the renewal of a portfolio's endorsement for a cycle",
	    NULL, cmd_renewal, 0 },
	{ "rules", "list", "rules list [--rules DIR] ASSOC",
	    "list an association's categories", NULL, cmd_rules, CMD_SUBARG },
	{ "rules", "show", "rules show [--rules DIR] ASSOC [CATEGORY]",
	    "what a category (or each) requires, its fees, the settings",
	    NULL, cmd_rules, CMD_SUBARG },
	{ "rules", "check", "rules check FILE...",
	    "validate rule files after an edit (FILE:LINE: message)", NULL,
	    cmd_rules, CMD_SUBARG },
	{ "rules", "impact", "rules impact --db FILE [--format text|json] "
	    "OLD_DIR NEW_DIR",
	    "whom replacing the rule files of OLD_DIR by NEW_DIR would move",
	    NULL, cmd_impact, CMD_DB },
	{ "version", NULL, "version", "print the version", NULL, cmd_version,
	    0 },
	{ "help", NULL, "help", "print this", NULL, cmd_help, 0 },
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

/* The usage lines, from the table; with help, each with its line of help. */
static void
usage(FILE *f, int help)
{
	int	 i;

	fprintf(f, "usage:\n");
	for (i = 0; i < NCOMMANDS; i++) {
		fprintf(f, "  endorse %s\n", commands[i].usage);
		if (help)
			fprintf(f, "      %s\n", commands[i].help);
	}
	fprintf(f, "check and renewal exit 0 eligible/met, 1 not eligible/not "
	    "met, 2 bad input\n");
}

static int
cmd_help(struct opts *o)
{
	(void)o;
	usage(stdout, 1);
	return 0;
}

/*
 * The command argv names: the entry whose subcommand is argv[2], else the
 * verb's own entry, else one whose exec reads the subcommand itself (so
 * `endorse rules --rules DIR list ASSOC` is rules list, as ever); NULL
 * for none.
 */
static const struct command *
cmd_find(int argc, char **argv)
{
	int	 i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, argv[1]) == 0 &&
		    commands[i].sub != NULL && argc > 2 &&
		    strcmp(commands[i].sub, argv[2]) == 0)
			return &commands[i];
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, argv[1]) == 0 &&
		    commands[i].sub == NULL)
			return &commands[i];
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, argv[1]) == 0 &&
		    (commands[i].flags & CMD_SUBARG))
			return &commands[i];
	return NULL;
}

/* The options and arguments of an exec command from argv[first] on; 0,
   or the exit status after a message. */
static int
cmd_opts(const struct command *cmd, int argc, char **argv, int first,
    struct opts *o)
{
	char	*end;
	long	 y;
	int	 i;

	memset(o, 0, sizeof *o);
	for (i = first; i < argc; i++) {
		if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			o->rules = argv[++i];
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc &&
		    (cmd->flags & CMD_DB))
			o->db = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			o->format = argv[++i];
			if (strcmp(o->format, "text") != 0 &&
			    strcmp(o->format, "json") != 0)
				return bad("--format: '%s' is not text or json",
				    o->format);
		} else if (strcmp(argv[i], "--cycle") == 0 && i + 1 < argc) {
			y = strtol(argv[++i], &end, 10);
			if (*end != '\0' || y < 1900 || y > 2199)
				return bad("--cycle: '%s' is not a year",
				    argv[i]);
			o->cycle = (int)y;
		} else if (argv[i][0] == '-' && argv[i][1] == '-')
			return bad("unknown or incomplete option '%s'", argv[i]);
		else if (o->nargs == 8)
			return bad("too many arguments%s", "");
		else
			o->args[o->nargs++] = argv[i];
	}
	return 0;
}

int
cli_main(int argc, char **argv)
{
	const struct command	*cmd;
	struct opts		 o;
	int			 rc;

	if (argc > 0)
		argv0 = argv[0];
	if (argc < 2) {
		usage(stderr, 0);
		return EXIT_BAD_INPUT;
	}
	if ((cmd = cmd_find(argc, argv)) == NULL) {
		fprintf(stderr, "endorse: unknown command '%s'\n", argv[1]);
		usage(stderr, 0);
		return EXIT_BAD_INPUT;
	}
	if (cmd->main != NULL)
		return cmd->main(argc - 1, argv + 1);
	/* The subcommand is past, or (CMD_SUBARG) an argument of exec. */
	if ((rc = cmd_opts(cmd, argc, argv, cmd->sub != NULL &&
	    !(cmd->flags & CMD_SUBARG) ? 3 : 2, &o)) != 0)
		return rc;
	return cmd->exec(&o);
}
