/*
 * The operator's verbs (docs/operations.md):
 *
 *   endorse backup [--config FILE] [--db FILE] BACKUP
 *	a consistent copy of the database while it serves: SQLite's online
 *	backup in one step (one read transaction, so one snapshot), written
 *	beside BACKUP and renamed over it only once complete.
 *   endorse restore [--config FILE] [--db FILE] BACKUP
 *	the database replaced by a checked backup, with the server stopped
 *	(refused while anything has the database open); the replaced file is
 *	kept as DB.before-restore-TIME; migrations are applied after.
 *   endorse doctor [--config FILE] [--db FILE] [--rules DIR] [--share DIR]
 *	what is wrong with an installation: database, migrations, rule
 *	files, templates, mail and address settings.  Exit 0 when nothing.
 */
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "web.h"
#include "db-ops.h"
#include "banned.h"

/* The positional argument of a verb: taken out of argv (the options
   parser sees only options).  NULL when there is none or more than one. */
static const char *
positional(int *argc, char **argv)
{
	const char	*file = NULL;
	int		 i, n = 0;

	for (i = 1; i < *argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == '-') {
			if (strcmp(argv[i], "--quiet") != 0)
				i++;	/* every other option takes a value */
			continue;
		}
		file = argv[i];
		n++;
		memmove(argv + i, argv + i + 1, (size_t)(*argc - i) *
		    sizeof *argv);
		(*argc)--;
		i--;
	}
	return n == 1 ? file : NULL;
}

/* The highest migration number in db/ of the share directory. */
static int
migrations_max(void)
{
	char		 dir[PATH_MAX + 8];
	DIR		*d;
	struct dirent	*de;
	int		 n, max = 0;

	snprintf(dir, sizeof dir, "%s/db", cfg.share);
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strlen(de->d_name) > 4 && strcmp(de->d_name +
		    strlen(de->d_name) - 4, ".sql") == 0 &&
		    (n = atoi(de->d_name)) > max)
			max = n;
	closedir(d);
	return max;
}

/* Rename into place and make the rename durable. */
static int
install(const char *tmp, const char *file, char **cause)
{
	char	 dir[PATH_MAX], *slash;
	int	 fd;

	if ((fd = open(tmp, O_RDONLY)) >= 0) {
		fsync(fd);
		close(fd);
	}
	if (rename(tmp, file) != 0) {
		xasprintf(cause, "%s: %s", file, strerror(errno));
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", file);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

int
backup_main(int argc, char **argv)
{
	const char	*file = positional(&argc, argv);
	struct dbfile	*db;
	struct stat	 sb;
	char		*cause = NULL, tmp[PATH_MAX];
	int		 rc = EXIT_BAD_INPUT;

	if (file == NULL || admin_setup(argc, argv) != 0) {
		fprintf(stderr, "usage: endorse backup [--config FILE] [--db "
		    "FILE] BACKUP\n");
		config_free();
		return EXIT_BAD_INPUT;
	}
	if (stat(cfg.db, &sb) != 0) {
		fprintf(stderr, "endorse: %s: no such database (--db FILE)\n",
		    cfg.db);
		config_free();
		return EXIT_BAD_INPUT;
	}
	if ((db = dbf_open(cfg.db, 0, &cause)) == NULL) {
		fprintf(stderr, "endorse: %s: %s\n", cfg.db, cause);
		free(cause);
		config_free();
		return EXIT_BAD_INPUT;
	}
	snprintf(tmp, sizeof tmp, "%s.partial", file);
	if (dbf_copy(db, tmp, &cause) == 0 && install(tmp, file, &cause) == 0) {
		printf("backup of %s written to %s\n", cfg.db, file);
		rc = 0;
	} else {
		fprintf(stderr, "endorse: backup: %s\n", cause);
		rc = 1;
	}
	free(cause);
	dbf_close(db);
	config_free();
	return rc;
}

int
restore_main(int argc, char **argv)
{
	const char	*file = positional(&argc, argv);
	struct dbfile	*src = NULL, *cur = NULL;
	const char	*ic;
	struct stat	 sb;
	char		*cause = NULL, tmp[PATH_MAX], kept[PATH_MAX + 64];
	char		 stamp[32];
	time_t		 now = time(NULL);
	int		 v, max, rc = EXIT_BAD_INPUT, lockfd = -1;

	if (file == NULL || admin_setup(argc, argv) != 0) {
		fprintf(stderr, "usage: endorse restore [--config FILE] [--db "
		    "FILE] BACKUP\n");
		config_free();
		return EXIT_BAD_INPUT;
	}
	/* The backup: an Endorse database, whole, not newer than this. */
	if (stat(file, &sb) != 0 || (src = dbf_open(file, 1, &cause)) ==
	    NULL) {
		fprintf(stderr, "endorse: restore: %s: %s\n", file,
		    stat(file, &sb) != 0 ? strerror(errno) : cause);
		goto out;
	}
	max = migrations_max();
	if ((ic = dbf_integrity(src)) != NULL) {
		fprintf(stderr, "endorse: restore: %s is not a sound SQLite "
		    "database: %s\n", file, ic);
		goto out;
	}
	if (!dbf_is_endorse(src) || (v = dbf_schema(src)) < 1) {
		fprintf(stderr, "endorse: restore: %s is not an Endorse "
		    "database\n", file);
		goto out;
	}
	if (v > max) {
		fprintf(stderr, "endorse: restore: %s is from a newer Endorse "
		    "(schema %d, this one knows %d)\n", file, v, max);
		goto out;
	}
	/* The database: no server may have it (serve holds a shared flock
	   on it), and no one else may have it open (leaving WAL mode needs
	   every other connection closed, and checkpoints the log). */
	if (stat(cfg.db, &sb) == 0) {
		if ((lockfd = open(cfg.db, O_RDONLY)) < 0 ||
		    flock(lockfd, LOCK_EX | LOCK_NB) != 0 ||
		    (cur = dbf_open(cfg.db, 0, &cause)) == NULL ||
		    dbf_leave_wal(cur) != 0) {
			fprintf(stderr, "endorse: restore: %s is in use: stop "
			    "endorse serve first\n", cfg.db);
			goto out;
		}
		dbf_close(cur);
		cur = NULL;
	}
	rc = 1;
	snprintf(tmp, sizeof tmp, "%s.restoring", cfg.db);
	free(cause);
	cause = NULL;
	if (dbf_copy(src, tmp, &cause) != 0) {
		fprintf(stderr, "endorse: restore: %s\n", cause);
		goto out;
	}
	if (stat(cfg.db, &sb) == 0) {
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&now));
		snprintf(kept, sizeof kept, "%s.before-restore-%s", cfg.db,
		    stamp);
		if (rename(cfg.db, kept) != 0) {
			fprintf(stderr, "endorse: restore: %s: %s\n", cfg.db,
			    strerror(errno));
			unlink(tmp);
			goto out;
		}
		printf("the replaced database is kept as %s\n", kept);
	}
	if (install(tmp, cfg.db, &cause) != 0) {
		fprintf(stderr, "endorse: restore: %s\n", cause);
		goto out;
	}
	dbf_close(src);
	src = NULL;
	if (admin_db() != 0)	/* migrations, WAL */
		goto out;
	db_shutdown();
	printf("restored %s from %s\n", cfg.db, file);
	rc = 0;
out:
	free(cause);
	dbf_close(cur);
	dbf_close(src);
	if (lockfd >= 0)
		close(lockfd);
	config_free();
	return rc;
}

/* ------------------------------------------------------------ doctor */

struct doctor {
	int	 problems;
};

static void
good(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
bad(struct doctor *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
good(const char *fmt, ...)
{
	va_list	 ap;

	printf("ok       ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void
bad(struct doctor *d, const char *fmt, ...)
{
	va_list	 ap;

	d->problems++;
	printf("PROBLEM  ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The database: sound, consistent, migrated, in WAL mode, with a
   coordinator. */
static void
doctor_db(struct doctor *d)
{
	struct dbfile	*db;
	struct stat	 sb;
	int		 v, max = migrations_max(), fk;
	const char	*ic;
	char		*why = NULL;

	if (stat(cfg.db, &sb) != 0) {
		bad(d, "database %s: %s (endorse serve creates it; check "
		    "--db or db =)", cfg.db, strerror(errno));
		return;
	}
	if ((db = dbf_open(cfg.db, 0, &why)) == NULL) {
		bad(d, "database %s: %s", cfg.db, why);
		free(why);
		return;
	}
	dbf_busy_timeout(db, 5000);
	if ((ic = dbf_integrity(db)) == NULL)
		good("database %s: integrity_check ok (%lld bytes)", cfg.db,
		    (long long)sb.st_size);
	else
		bad(d, "database %s: integrity_check: %s (restore the last "
		    "backup: docs/operations.md)", cfg.db, ic);
	if ((fk = dbf_fk_problems(db)) == 0)
		good("database: foreign keys consistent");
	else
		bad(d, "database: %d rows break a foreign key", fk);
	v = dbf_schema(db);
	if (max < 0)
		bad(d, "migrations: no %s/db directory (check --share)",
		    cfg.share);
	else if (v == max)
		good("database: schema %d, the latest", v);
	else if (v < max)
		bad(d, "database: schema %d, migrations up to %d not applied "
		    "yet (endorse serve applies them at start)", v, max);
	else
		bad(d, "database: schema %d is newer than this binary's %d",
		    v, max);
	if (dbf_is_wal(db))
		good("database: WAL mode");
	else
		bad(d, "database: not in WAL mode (endorse serve sets it)");
	if (dbf_coordinators(db) < 1)
		bad(d, "database: no coordinator account (endorse serve "
		    "creates one per association at start)");
	dbf_close(db);
}

static void
doctor_rules(struct doctor *d)
{
	struct ruleset	**all;
	int		  n, i;
	char		  dir[PATH_MAX + 16], *cause = NULL;

	all = web_rules_all(&n);
	for (i = 0; i < n; i++)
		good("rules %s: %d categories%s%s", all[i]->id, all[i]->ncats,
		    all[i]->renewal.defined ? ", renewal" : "",
		    all[i]->membership.defined ? ", membership" : "");
	snprintf(dir, sizeof dir, "%s/templates", cfg.share);
	if (view_init(dir, &cause) == 0)
		good("templates %s: all compile", dir);
	else
		bad(d, "templates: %s", cause);
	free(cause);
	view_free();
}

static void
doctor_mail(struct doctor *d)
{
	struct addrinfo	 hints, *res = NULL;
	char		 port[16];
	int		 fd = -1, e;

	if (strncmp(cfg.base_url, "http://", 7) != 0 &&
	    strncmp(cfg.base_url, "https://", 8) != 0)
		bad(d, "base_url %s: not an http:// or https:// address",
		    cfg.base_url);
	else if (strstr(cfg.base_url, "127.0.0.1") != NULL ||
	    strstr(cfg.base_url, "localhost") != NULL)
		bad(d, "base_url %s: links in mail point to this machine; "
		    "set base_url to the public address", cfg.base_url);
	else
		good("base_url %s", cfg.base_url);
	if (strncmp(cfg.base_url, "https://", 8) == 0 && !cfg.secure_cookies)
		bad(d, "secure_cookies is 0 behind https: set it to 1");
	if (cfg.smtp_host == NULL || *cfg.smtp_host == '\0') {
		bad(d, "smtp_host is not set: mail stays queued (read it with "
		    "endorse outbox)");
		return;
	}
	if (strchr(cfg.smtp_from, '@') == NULL)
		bad(d, "smtp_from %s: not an address", cfg.smtp_from);
	snprintf(port, sizeof port, "%d", cfg.smtp_port != 0 ? cfg.smtp_port :
	    cfg.smtp_starttls ? 587 : 25);
	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(cfg.smtp_host, port, &hints, &res)) != 0) {
		bad(d, "smtp_host %s: %s", cfg.smtp_host, gai_strerror(e));
		return;
	}
	if ((fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol))
	    < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0)
		bad(d, "smtp_host %s:%s: cannot connect: %s", cfg.smtp_host,
		    port, strerror(errno));
	else
		good("smtp_host %s:%s answers%s", cfg.smtp_host, port,
		    cfg.smtp_starttls ? " (STARTTLS required)" : "");
	if (fd >= 0)
		close(fd);
	freeaddrinfo(res);
}

int
doctor_main(int argc, char **argv)
{
	struct doctor	 d;

	memset(&d, 0, sizeof d);
	if (admin_setup(argc, argv) != 0) {
		printf("PROBLEM  the configuration or the rule files (above)\n");
		fprintf(stderr, "usage: endorse doctor [--config FILE] [--db "
		    "FILE] [--rules DIR] [--share DIR]\n");
		config_free();
		return 1;
	}
	doctor_db(&d);
	doctor_rules(&d);
	doctor_mail(&d);
	if (d.problems == 0)
		printf("nothing wrong found\n");
	else
		printf("%d problem%s\n", d.problems, d.problems == 1 ? "" :
		    "s");
	config_free();
	return d.problems == 0 ? 0 : 1;
}
