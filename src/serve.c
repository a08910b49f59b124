/*
 * `endorse serve`: configuration (a file of `key = value` lines, then
 * flags), the rule sets loaded once, the database created and migrated,
 * one coordinator account per association created when none exists, and
 * the HTTP server until SIGINT or SIGTERM.
 */
#include <sys/file.h>

#include <fcntl.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <sodium.h>

#include "web.h"
#include "cert.h"
#include "db-ops.h"
#include "dom-account.h"
#include "dom-life.h"
#include "banned.h"

struct config cfg;

static struct ruleset	**rulesets;
static struct rules_file *rulefiles;
static int		  nrulesets;

struct ruleset *
web_rules(const char *id)
{
	int	 i;

	for (i = 0; id != NULL && i < nrulesets; i++)
		if (strcmp(rulesets[i]->id, id) == 0)
			return rulesets[i];
	return NULL;
}

const char *
web_assoc_name(const char *id)
{
	const struct ruleset	*rs = web_rules(id);

	return rs != NULL ? rs->name : id;
}

const char *
web_category_title(const char *assoc, const char *code)
{
	const struct ruleset	*rs = web_rules(assoc);
	const struct category	*cat;

	if (rs == NULL || (cat = rules_category(rs, code)) == NULL)
		return code;
	return cat->title;
}

/*
 * A fee in words: "US$ 50", or, where the rule set gives no amount (no
 * seed does for VAIMH), "set by your association": never "US$ 0".
 */
const char *
web_fee_words(struct arena *a, const char *assoc, const char *code,
    int registration)
{
	const struct ruleset	*rs = web_rules(assoc);
	int			 fee;

	fee = rs == NULL ? -1 : registration ? workflow_regfee(rs, code) :
	    workflow_fee(rs, code);
	if (fee < 0)
		return "set by your association";
	return arena_printf(a, "US$ %d", fee);
}

/* A fee recorded as owed, in words: 0 where the rule set gives no amount
   is the association's own bill, not a fee of US$ 0. */
const char *
web_fee_owed(struct arena *a, const char *assoc, const char *code, int owed)
{
	const struct ruleset	*rs = web_rules(assoc);

	if (owed > 0 || (rs != NULL && workflow_fee(rs, code) >= 0))
		return arena_printf(a, "US$ %d", owed);
	return "set by your association";
}

struct ruleset **
web_rules_all(int *n)
{
	*n = nrulesets;
	return rulesets;
}

static void
config_defaults(void)
{
	cfg.listen_host = xstrdup("127.0.0.1");
	cfg.listen_port = 8080;
	cfg.db = xstrdup("endorse.db");
	cfg.threads = 4;
	cfg.max_body = 1024 * 1024;
	cfg.max_upload = 5 * 1024 * 1024;
	cfg.max_field = 64 * 1024;
	cfg.session_idle = 2 * 3600;
	cfg.session_max = 12 * 3600;
	cfg.login_failures = 5;
	cfg.login_window = 15 * 60;
	cfg.login_delay = 5;
	cfg.mail_per_recipient = 5;
	cfg.mail_per_account = 50;
	cfg.pw_ops = 2;
	cfg.pw_mem = 19 * 1024 * 1024;
	cfg.access_log = 1;
	cfg.max_connections = 1024;
	cfg.max_per_ip = 256;
	cfg.timeout = 30;
	cfg.request_time = 180;
	cfg.max_buffered_per_ip = 16L * 1024 * 1024;
	cfg.max_buffered = 256L * 1024 * 1024;
	cfg.max_reply = 64L * 1024 * 1024;
	cfg.quota_entries = 10000;
	cfg.quota_uploads = 100;
	cfg.quota_bytes = 100L * 1024 * 1024;
	cfg.smtp_from = xstrdup("endorse@localhost");
	cfg.smtp_max_attempts = 8;
	cfg.smtp_poll = 5;
	cfg.smtp_backoff = 60;
	cfg.tick_interval = 3600;
	cfg.stripe_api_base = xstrdup("https://api.stripe.com");
	cfg.stripe_tolerance = 300;
}

static int
set_listen(const char *v)
{
	const char	*colon = strrchr(v, ':');
	char		*end;
	long		 port;

	if (colon == NULL || colon == v)
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		return -1;
	free(cfg.listen_host);
	cfg.listen_host = strndup(v, (size_t)(colon - v));
	if (cfg.listen_host[0] == '[') {	/* [::1]:8080 */
		memmove(cfg.listen_host, cfg.listen_host + 1,
		    strlen(cfg.listen_host));
		cfg.listen_host[strcspn(cfg.listen_host, "]")] = '\0';
	}
	cfg.listen_port = (int)port;
	return 0;
}

static int
set_long(const char *v, long min, long max, long *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* The SMTP and card settings that are text (smtp_host may be empty: no
   delivery; stripe_secret_key empty: no card payments):
   0, -1 with *cause for a bad value, -2 for a name not one of them. */
static int
config_smtp(const char *key, const char *v, char **cause)
{
	char	**p;

	if (strcmp(key, "smtp_host") == 0)
		p = &cfg.smtp_host;
	else if (strcmp(key, "stripe_secret_key") == 0)
		p = &cfg.stripe_secret_key;
	else if (strcmp(key, "stripe_webhook_secret") == 0)
		p = &cfg.stripe_webhook_secret;
	else if (strcmp(key, "stripe_api_base") == 0)
		p = &cfg.stripe_api_base;
	else if (strcmp(key, "smtp_user") == 0)
		p = &cfg.smtp_user;
	else if (strcmp(key, "smtp_password") == 0)
		p = &cfg.smtp_password;
	else if (strcmp(key, "smtp_from") == 0) {
		if (*v == '\0' || strpbrk(v, "<>\r\n \t") != NULL ||
		    strchr(v, '@') == NULL) {
			xasprintf(cause, "smtp_from: '%s' is not a bare e-mail "
			    "address", v);
			return -1;
		}
		p = &cfg.smtp_from;
	} else
		return -2;
	free(*p);
	*p = xstrdup(v);
	return 0;
}

/*
 * trusted_proxies: addresses separated by commas or blanks, kept as
 * " a b " in the form inet_ntop writes them, which is how http.c's
 * client_ip prints a peer; empty: none.  0, or -1 with *cause.
 */
static int
config_proxies(const char *v, char **cause)
{
	struct buf	 b;
	struct in6_addr	 bin;	/* room and alignment for either family */
	char		 one[INET6_ADDRSTRLEN + 1], norm[INET6_ADDRSTRLEN];
	size_t		 n;
	int		 af;

	buf_init(&b);
	buf_puts(&b, " ");
	while (*v != '\0') {
		n = strcspn(v, ", \t");
		if (n == 0) {
			v++;
			continue;
		}
		snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n :
		    sizeof one - 1), v);
		af = strchr(one, ':') != NULL ? AF_INET6 : AF_INET;
		if (n >= sizeof one || inet_pton(af, one, &bin) != 1)
			goto bad;
		/* client_ip prints an IPv4-mapped peer as IPv4. */
		if (af == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&bin)) {
			af = AF_INET;
			memmove(&bin, (unsigned char *)&bin + 12, 4);
		}
		if (inet_ntop(af, &bin, norm, sizeof norm) == NULL)
			goto bad;
		buf_printf(&b, "%s ", norm);
		v += n;
	}
	free(cfg.trusted_proxies);
	cfg.trusted_proxies = NULL;
	if (b.len > 1)
		cfg.trusted_proxies = xstrdup(b.s);
	buf_free(&b);
	return 0;
bad:
	xasprintf(cause, "trusted_proxies: '%.*s' is not an IPv4 or IPv6 "
	    "address", (int)n, v);
	buf_free(&b);
	return -1;
}

/* One setting by name; -1 with *cause on a bad name or value. */
static int
config_set(const char *key, const char *v, char **cause)
{
	static const struct {
		const char	*name;
		long		 min, max;
		size_t		 off;
		int		 is_int;
	} nums[] = {
#define N(n, lo, hi, f, i) { n, lo, hi, offsetof(struct config, f), i }
		N("threads", 1, 256, threads, 1),
		N("max_body", 1024, 1L << 30, max_body, 0),
		N("max_upload", 1024, 1L << 30, max_upload, 0),
		N("max_field", 64, 1L << 24, max_field, 0),
		N("session_idle", 300, 86400 * 30, session_idle, 1),
		N("session_max", 60, 86400 * 90, session_max, 1),
		N("login_failures", 1, 1000, login_failures, 1),
		N("login_window", 1, 86400, login_window, 1),
		N("login_delay", 1, 3600, login_delay, 1),
		N("mail_per_recipient", 1, 10000, mail_per_recipient, 1),
		N("mail_per_account", 1, 100000, mail_per_account, 1),
		N("password_ops", 1, 20, pw_ops, 0),
		N("password_mem", 8192, 1L << 30, pw_mem, 0),
		N("access_log", 0, 1, access_log, 1),
		N("max_connections", 1, 100000, max_connections, 1),
		N("max_per_ip", 0, 100000, max_per_ip, 1),
		N("timeout", 1, 3600, timeout, 1),
		N("request_time", 1, 86400, request_time, 1),
		N("max_buffered_per_ip", 1024, 1L << 34, max_buffered_per_ip,
		    0),
		N("max_buffered", 1024, 1L << 36, max_buffered, 0),
		N("max_reply", 1024, 64L * 1024 * 1024, max_reply, 0),
		N("quota_entries", 1, 1000000, quota_entries, 0),
		N("quota_uploads", 0, 1000000, quota_uploads, 0),
		N("quota_bytes", 1024, 1L << 40, quota_bytes, 0),
		N("secure_cookies", 0, 1, secure_cookies, 1),
		N("smtp_port", 0, 65535, smtp_port, 1),
		N("smtp_starttls", 0, 1, smtp_starttls, 1),
		N("smtp_max_attempts", 1, 1000, smtp_max_attempts, 1),
		N("smtp_poll", 1, 3600, smtp_poll, 1),
		N("smtp_backoff", 1, 86400, smtp_backoff, 1),
		N("tick_interval", 0, 86400, tick_interval, 1),
		N("stripe_tolerance", 1, 86400, stripe_tolerance, 1),
#undef N
	};
	long	 n;
	size_t	 i;

	if (strcmp(key, "listen") == 0) {
		if (set_listen(v) != 0) {
			xasprintf(cause, "listen: '%s' is not HOST:PORT", v);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "db") == 0 || strcmp(key, "base_url") == 0 ||
	    strcmp(key, "rules") == 0 || strcmp(key, "share") == 0) {
		char	**p = key[0] == 'd' ? &cfg.db : key[0] == 'b' ?
		    &cfg.base_url : key[0] == 'r' ? &cfg.rules : &cfg.share;
		if (*v == '\0') {
			xasprintf(cause, "%s: empty", key);
			return -1;
		}
		free(*p);
		*p = xstrdup(v);
		return 0;
	}
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		if (strcmp(key, nums[i].name) != 0)
			continue;
		if (set_long(v, nums[i].min, nums[i].max, &n) != 0) {
			xasprintf(cause, "%s: '%s' is not a whole number from "
			    "%ld to %ld", key, v, nums[i].min, nums[i].max);
			return -1;
		}
		if (nums[i].is_int)
			*(int *)((char *)&cfg + nums[i].off) = (int)n;
		else
			*(long *)((char *)&cfg + nums[i].off) = n;
		return 0;
	}
	if ((n = config_smtp(key, v, cause)) != -2)
		return (int)n;
	if (strcmp(key, "trusted_proxies") == 0)
		return config_proxies(v, cause);
	xasprintf(cause, "unknown setting '%s'", key);
	return -1;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int
config_file(const char *file)
{
	FILE	*f;
	char	 line[1024], *eq, *cause = NULL;
	int	 n = 0;

	if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "endorse: %s: %s\n", file, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		n++;
		if (*trim(line) == '\0' || *trim(line) == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			fprintf(stderr, "endorse: %s:%d: expected key = value\n",
			    file, n);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		if (config_set(trim(line), trim(eq + 1), &cause) != 0) {
			fprintf(stderr, "endorse: %s:%d: %s\n", file, n, cause);
			free(cause);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* The directory holding templates/, static/ and db/: beside the binary's
   directory in a build tree, else the installed share directory. */
char *
share_default(void)
{
	char		 exe[PATH_MAX], dir[PATH_MAX + 64], *slash;
	ssize_t		 n;
	struct stat	 st;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(dir, sizeof dir, "%s/../templates", exe);
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
				snprintf(dir, sizeof dir, "%s/..", exe);
				return xstrdup(dir);
			}
			snprintf(dir, sizeof dir, "%s/../share/endorse", exe);
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
				return xstrdup(dir);
		}
	}
	return xstrdup(".");
}

/* Every rule set of cfg.rules, once, with the text each was read from
   (impact_record() keeps a version of each). */
static int
load_rules(void)
{
	char	*cause = NULL;
	int	 i;

	if (rules_load_dir(cfg.rules, &rulefiles, &nrulesets, &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		free(cause);
		return -1;
	}
	if (nrulesets == 0) {
		fprintf(stderr, "endorse: no rule sets in %s\n", cfg.rules);
		return -1;
	}
	rulesets = xreallocarray(NULL, (size_t)nrulesets, sizeof *rulesets);
	for (i = 0; i < nrulesets; i++)
		rulesets[i] = rulefiles[i].rs;
	return 0;
}

/* A coordinator for every association that has none, printed once. */
static int
bootstrap_coordinators(void)
{
	struct account_new	 n = { "Coordinator", NULL, NULL,
				    ACCT_COORDINATOR, NULL, 0 };
	struct row_coordinator_of c;
	struct arena		 a;
	struct derr		 e;
	struct dbq		*st;
	char			 pw[65], email[256];
	int64_t			 id;
	int			 i, have, rc;

	for (i = 0; i < nrulesets; i++) {
		st = db_stmt(S_COORDINATOR_OF);
		db_bind_text(st, "$assoc", rulesets[i]->id);
		if ((have = row_coordinator_of(st, NULL, &c)) == DB_ROW)
			printf("coordinator for %s: %s (forgot the password? "
			    "ask for a reset link on /reset and read it with "
			    "`endorse outbox --db %s`)\n", rulesets[i]->id,
			    c.email, cfg.db);
		db_reset(st);
		if (have == DB_ERROR)
			return -1;
		if (have == DB_ROW)
			continue;
		auth_random(pw);
		pw[20] = '\0';
		snprintf(email, sizeof email, "coordinator@%s.example",
		    rulesets[i]->id);
		n.email = email;
		n.password = pw;
		n.association = rulesets[i]->id;
		arena_init(&a);
		rc = account_create(&actor_system, &a, &n, &id, &e);
		if (rc != 0)
			fprintf(stderr, "endorse: coordinator for %s: %s\n",
			    rulesets[i]->id, e.message);
		arena_free(&a);
		if (rc != 0)
			return -1;
		printf("coordinator for %s created: log in as %s with password "
		    "%s (change it on /account)\n", rulesets[i]->id, email, pw);
	}
	fflush(stdout);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: endorse serve [--config FILE] [--listen "
	    "HOST:PORT] [--db FILE] [--base-url URL] [--rules DIR] "
	    "[--share DIR] [--threads N] [--quiet]\n");
}

/*
 * The options of serve, tick and renewals: --config FILE first, then the
 * flags over it.  extra (NULL: none) takes a command's own options: it
 * returns how many arguments it used, 0 for not its own, -1 for bad.
 */
static int
options(int argc, char **argv, int (*extra)(int, char **))
{
	static const char *const flags[][2] = {
		{ "--listen", "listen" }, { "--db", "db" },
		{ "--base-url", "base_url" }, { "--rules", "rules" },
		{ "--share", "share" }, { "--threads", "threads" },
		{ "--tick-interval", "tick_interval" },
	};
	char		*cause = NULL;
	int		 i, j, k, done;

	config_defaults();
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc &&
		    config_file(argv[i + 1]) != 0)
			return -1;
	for (i = 1; i < argc; i++) {
		done = 0;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			i++;
			continue;
		}
		if (strcmp(argv[i], "--quiet") == 0) {
			cfg.access_log = 0;
			continue;
		}
		if (extra != NULL && (k = extra(argc - i, argv + i)) != 0) {
			if (k < 0)
				return -1;
			i += k - 1;
			continue;
		}
		for (j = 0; j < (int)(sizeof flags / sizeof flags[0]); j++) {
			if (strcmp(argv[i], flags[j][0]) != 0 || i + 1 >= argc)
				continue;
			if (config_set(flags[j][1], argv[++i], &cause) != 0) {
				fprintf(stderr, "endorse: %s\n", cause);
				free(cause);
				return -1;
			}
			done = 1;
			break;
		}
		if (!done) {
			fprintf(stderr, "endorse: %s: unknown or incomplete "
			    "option '%s'\n", argv[0], argv[i]);
			return -1;
		}
	}
	if (cfg.rules == NULL)
		cfg.rules = xstrdup(rules_default_dir(argv[0]));
	if (cfg.share == NULL)
		cfg.share = share_default();
	if (cfg.base_url == NULL)
		xasprintf(&cfg.base_url, "http://%s:%d", cfg.listen_host,
		    cfg.listen_port);
	return 0;
}

void
config_free(void)
{
	rules_files_free(rulefiles, nrulesets);
	free(rulesets);
	rulefiles = NULL;
	rulesets = NULL;
	nrulesets = 0;
	free(cfg.listen_host);
	free(cfg.db);
	free(cfg.base_url);
	free(cfg.rules);
	free(cfg.share);
	free(cfg.smtp_host);
	free(cfg.smtp_user);
	free(cfg.smtp_password);
	free(cfg.smtp_from);
	free(cfg.stripe_secret_key);
	free(cfg.stripe_webhook_secret);
	free(cfg.stripe_api_base);
	free(cfg.trusted_proxies);
}

int
serve_main(int argc, char **argv)
{
	char		 dir[PATH_MAX + 64], *cause = NULL;
	sigset_t	 set;
	int		 i, sig, rc = EXIT_BAD_INPUT, dbfd = -1;

	if (options(argc, argv, NULL) != 0) {
		usage();
		return EXIT_BAD_INPUT;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "endorse: libsodium did not start\n");
		return 1;
	}
	db_now();
	/*
	 * glibc's fastbins make every allocation of a kilobyte or more
	 * consolidate them first, and a request allocates many small JSON
	 * values next to a few larger arena blocks: without fastbins (small
	 * blocks still go through the per-thread cache) a dashboard takes
	 * about a fifth less CPU (bench/README.md).
	 */
	mallopt(M_MXFAST, 0);
	/* SQLite's memory statistics take a global mutex on every
	   allocation; nothing here reads them. */
	db_ops_no_memstatus();
	if (load_rules() != 0)
		goto out;
	snprintf(dir, sizeof dir, "%s/templates", cfg.share);
	if (view_init(dir, &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		goto out;
	}
	snprintf(dir, sizeof dir, "%s/db", cfg.share);
	if (db_init(cfg.db, dir, &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		goto out;
	}
	rc = 1;
	if (auth_init() != 0 || bootstrap_coordinators() != 0 ||
	    vc_keys_setup_all() != 0)
		goto out;
	/* Each rule file as installed; a changed one with whom it moves. */
	if (impact_record(rulefiles, nrulesets, web_today(), &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		goto out;
	}
	db_shutdown();
	/* While it serves, `endorse restore` must not replace the file
	   under it: a shared flock(2) on the database, which restore asks
	   for exclusively (SQLite's own locks are fcntl(2) ones, apart). */
	if ((dbfd = open(cfg.db, O_RDONLY)) < 0 ||
	    flock(dbfd, LOCK_SH | LOCK_NB) != 0) {
		fprintf(stderr, "endorse: %s: being restored; try again\n",
		    cfg.db);
		goto out;
	}

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (smtp_start() != 0)
		goto out;
	if (life_start() != 0) {
		smtp_stop();
		goto out;
	}
	if (http_serve() != 0) {
		life_stop();
		smtp_stop();
		goto out;
	}
	printf("endorse: serving %s on %s:%d (database %s)\n", cfg.base_url,
	    cfg.listen_host, cfg.listen_port, cfg.db);
	fflush(stdout);
	sigwait(&set, &sig);
	http_stop();
	life_stop();
	smtp_stop();
	rc = 0;
out:
	free(cause);
	db_shutdown();
	view_free();
	static_free();
	cert_release();
	config_free();
	if (dbfd >= 0)
		close(dbfd);
	(void)i;
	return rc;
}

/*
 * `endorse outbox --db FILE`: the operator's view of outgoing mail, every
 * association's and the account messages (password reset links) that no
 * coordinator page shows, each with its delivery status.  Without
 * smtp_host this is how a link reaches a person on a test installation.
 */
int
outbox_main(int argc, char **argv)
{
	const char	*db = NULL;
	char		 dir[PATH_MAX + 64], *cause = NULL, *share;
	struct dbq	*st;
	struct row_outbox_all o;
	struct arena	 a;
	int		 i, n = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else {
			fprintf(stderr, "usage: endorse outbox --db FILE\n");
			return EXIT_BAD_INPUT;
		}
	}
	if (db == NULL) {
		fprintf(stderr, "usage: endorse outbox --db FILE\n");
		return EXIT_BAD_INPUT;
	}
	share = share_default();
	snprintf(dir, sizeof dir, "%s/db", share);
	free(share);
	if (db_init(db, dir, &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		free(cause);
		return EXIT_BAD_INPUT;
	}
	arena_init(&a);
	st = db_stmt(S_OUTBOX_ALL);
	while ((rc = row_outbox_all(st, NULL, &o)) == DB_ROW) {
		printf("--- %lld %s to %s [%s]\nSubject: %s\n\n%s\n",
		    (long long)o.id, mail_outbox_words(&a, o.status,
		    (int)o.attempts, o.last_error, o.sent_at, o.next_try),
		    o.recipient, o.association, o.subject, o.body);
		arena_reset(&a);
		n++;
	}
	db_reset(st);
	arena_free(&a);
	db_shutdown();
	if (rc == DB_ERROR) {
		fprintf(stderr, "endorse: the outbox could not be read\n");
		return 1;
	}
	printf("%d message%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* ------------------------------------------------ tick and renewals */

static const char	*opt_now, *opt_assoc;
static int		 opt_cycle;

static int
admin_option(int argc, char **argv)
{
	char	*end;
	long	 y;
	int32_t	 d;

	if (argc < 2)
		return 0;
	if (strcmp(argv[0], "--now") == 0) {
		if (date_parse(argv[1], &d) != 0) {
			fprintf(stderr, "endorse: --now: '%s' is not a date "
			    "(YYYY-MM-DD)\n", argv[1]);
			return -1;
		}
		opt_now = argv[1];
		return 2;
	}
	if (strcmp(argv[0], "--association") == 0) {
		opt_assoc = argv[1];
		return 2;
	}
	if (strcmp(argv[0], "--cycle") == 0) {
		y = strtol(argv[1], &end, 10);
		if (*end != '\0' || y < 1900 || y > 2199) {
			fprintf(stderr, "endorse: --cycle: '%s' is not a "
			    "year\n", argv[1]);
			return -1;
		}
		opt_cycle = (int)y;
		return 2;
	}
	return 0;
}

/* The --association of an administration verb, or NULL. */
const char *
admin_association(void)
{
	return opt_assoc;
}

/* Options and rule sets of an administration verb. */
int
admin_setup(int argc, char **argv)
{
	if (options(argc, argv, admin_option) != 0)
		return EXIT_BAD_INPUT;
	/* --now: the clock of db_now(), before its first reading. */
	if (opt_now != NULL)
		setenv("ENDORSE_NOW", opt_now, 1);
	db_now();
	db_ops_no_memstatus();
	return load_rules() != 0 ? EXIT_BAD_INPUT : 0;
}

/* Its database, which must exist: a typo makes no new one. */
int
admin_db(void)
{
	char		 dir[PATH_MAX + 64], *cause = NULL;
	struct stat	 sb;

	if (stat(cfg.db, &sb) != 0) {
		fprintf(stderr, "endorse: %s: no such database (--db FILE)\n",
		    cfg.db);
		return EXIT_BAD_INPUT;
	}
	snprintf(dir, sizeof dir, "%s/db", cfg.share);
	if (db_init(cfg.db, dir, &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		free(cause);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

/*
 * `endorse tick [--config FILE] [--db FILE] [--now DATE]`: what the
 * scheduler inside `endorse serve` does every tick_interval seconds, once,
 * for a cron job or a test: the reminders due, windows that ended, audits
 * not cured, Emerging deadlines.  Mail goes into the outbox.
 */
int
tick_main(int argc, char **argv)
{
	struct life_tick	 t;
	char			 d[11], *cause = NULL;
	int			 rc;

	if ((rc = admin_setup(argc, argv)) != 0 || (rc = admin_db()) != 0) {
		fprintf(stderr, "usage: endorse tick [--config FILE] [--db "
		    "FILE] [--rules DIR] [--now YYYY-MM-DD]\n");
		config_free();
		return rc;
	}
	/* A rule change installed since the last start or tick. */
	if (impact_record(rulefiles, nrulesets, web_today(), &cause) != 0) {
		fprintf(stderr, "endorse: %s\n", cause);
		free(cause);
		db_shutdown();
		config_free();
		return 1;
	}
	rc = life_tick(web_today(), &t);
	date_format(web_today(), d);
	if (rc == 0)
		printf("tick %s: %d reminder%s queued, %d endorsement%s "
		    "lapsed\n", d, t.sent, t.sent == 1 ? "" : "s", t.lapsed,
		    t.lapsed == 1 ? "" : "s");
	else
		fprintf(stderr, "endorse: tick %s failed\n", d);
	db_shutdown();
	config_free();
	return rc == 0 ? 0 : 1;
}

struct count_ctx {
	int	 n, required, met;
	int	 list;
};

static void
count_one(void *arg, const struct life_item *it)
{
	struct count_ctx	*c = arg;

	c->n++;
	if (it->ok && it->res.required)
		c->required++;
	if (it->ok && it->res.required && it->res.met)
		c->met++;
	if (c->list)
		printf("%s\t%s\t%s\t%s\t%s\n", it->number, it->category,
		    db_enum_word(endorsement_status, it->state), !it->ok ?
		    "error" : !it->res.required ? "not-required" :
		    it->res.met ? "met" : "not-met", it->rstate == RENEWAL_NONE
		    ? "-" : db_enum_word(renewal_status, it->rstate));
}

/*
 * `endorse renewals --association ID [--cycle YEAR] [--now DATE] [--list]`:
 * every endorsement of an association judged for a cycle from the
 * database, as the coordinator's renewals page does; the last line
 * counts them and says how long the evaluation took (bench/run renewal).
 */
int
renewals_main(int argc, char **argv)
{
	struct count_ctx	 c;
	struct ruleset		*rs = NULL;
	struct timespec		 t0, t1;
	int			 i, rc, n;

	memset(&c, 0, sizeof c);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--list") == 0) {
			c.list = 1;
			memmove(argv + i, argv + i + 1,
			    (size_t)(argc - i) * sizeof *argv);
			argc--;
			break;
		}
	if ((rc = admin_setup(argc, argv)) != 0 || opt_assoc == NULL ||
	    (rs = web_rules(opt_assoc)) == NULL || !rs->renewal.defined ||
	    (opt_cycle != 0 && life_cycle(rs, date_from_ymd(opt_cycle, 1, 1)) !=
	    opt_cycle) || admin_db() != 0) {
		if (rc == 0 && opt_assoc == NULL)
			fprintf(stderr, "endorse: renewals: --association is "
			    "required\n");
		else if (rc == 0 && (rs == NULL || !rs->renewal.defined))
			fprintf(stderr, "endorse: renewals: no rule set "
			    "'%s' with a renewal block\n", opt_assoc);
		else if (rc == 0 && opt_cycle != 0 && life_cycle(rs,
		    date_from_ymd(opt_cycle, 1, 1)) != opt_cycle)
			fprintf(stderr, "endorse: renewals: --cycle %d is not "
			    "a renewal year of %s\n", opt_cycle, opt_assoc);
		fprintf(stderr, "usage: endorse renewals --association ID "
		    "[--cycle YEAR] [--now YYYY-MM-DD] [--list] [--db FILE] "
		    "[--rules DIR]\n");
		db_shutdown();
		config_free();
		return EXIT_BAD_INPUT;
	}
	if (opt_cycle == 0)
		opt_cycle = life_cycle(rs, web_today());
	clock_gettime(CLOCK_MONOTONIC, &t0);
	db_begin_read();
	n = life_scan(opt_assoc, 0, opt_cycle, web_today(), DATE_NONE, 0,
	    count_one, &c);
	db_commit();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rc = n < 0 ? 1 : 0;
	if (n >= 0)
		printf("%d endorsements evaluated in %.3f s: %d required, %d "
		    "met, %d not met\n", c.n, (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, c.required, c.met,
		    c.required - c.met);
	db_shutdown();
	config_free();
	return rc;
}
