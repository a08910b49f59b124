/*
 * `endorse export NAME --association ID [--format csv|xlsx] [--output
 * FILE] [--config FILE] [--db FILE] [--rules DIR]`: one of an
 * association's exports (dom-export.c), the same file the coordinator
 * downloads from /coordinator/exports, as CSV on stdout by default.
 * A wrong name, format or association is exit 2 with the field named.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "export.h"
#include "banned.h"

static void
usage(void)
{
	fprintf(stderr, "usage: endorse export NAME --association ID "
	    "[--format csv|xlsx] [--output FILE] [--config FILE] "
	    "[--db FILE] [--rules DIR]\n");
}

/* The names in a sentence: "applications, endorsees, ... or history". */
static void
names(FILE *f)
{
	int	 i;

	for (i = 0; i < EXPORT_N; i++)
		fprintf(f, "%s%s", i == 0 ? "" : i == EXPORT_N - 1 ? " or " :
		    ", ", export_names[i]);
}

/* Take NAME, --format and --output out of argv (admin_setup reads the
   rest); -1 with the problem said. */
static int
own_args(int *argc, char **argv, const char **name, const char **format,
    const char **output, const char **assoc)
{
	int	 i, k, take;

	for (i = 1, k = 1; i < *argc; i++) {
		take = 0;
		if ((strcmp(argv[i], "--format") == 0 ||
		    strcmp(argv[i], "--output") == 0) && i + 1 < *argc) {
			*(argv[i][2] == 'f' ? format : output) = argv[i + 1];
			i++;
			continue;
		}
		if (strcmp(argv[i], "--association") == 0 && i + 1 < *argc)
			*assoc = argv[i + 1];
		if (argv[i][0] != '-' && (i == 1 || argv[i - 1][0] != '-' ||
		    strcmp(argv[i - 1], "--quiet") == 0)) {
			if (*name != NULL) {
				fprintf(stderr, "endorse: export: one NAME, "
				    "not '%s' and '%s'\n", *name, argv[i]);
				return -1;
			}
			*name = argv[i];
			take = 1;
		}
		if (!take)
			argv[k++] = argv[i];
	}
	*argc = k;
	argv[k] = NULL;
	return 0;
}

static int
check_args(const char *name, const char *format, const char *assoc,
    int *which, int *xlsx)
{
	if (name == NULL || (*which = export_find(name)) < 0) {
		fprintf(stderr, "endorse: export: NAME: %s%s%sis not an "
		    "export: ", name != NULL ? "'" : "", name != NULL ? name :
		    "", name != NULL ? "' " : "");
		names(stderr);
		fputc('\n', stderr);
		return -1;
	}
	if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
		fprintf(stderr, "endorse: export: --format: '%s' is not csv "
		    "or xlsx\n", format);
		return -1;
	}
	*xlsx = format[0] == 'x';
	if (assoc == NULL) {
		fprintf(stderr, "endorse: export: --association is "
		    "required\n");
		return -1;
	}
	return 0;
}

/* The file's bytes to output (NULL, "-": stdout); 0 or 1. */
static int
put(const char *output, const struct buf *b)
{
	FILE	*f = stdout;

	if (output != NULL && strcmp(output, "-") != 0 &&
	    (f = fopen(output, "wb")) == NULL) {
		fprintf(stderr, "endorse: %s: %s\n", output, strerror(errno));
		return 1;
	}
	if ((b->len > 0 && fwrite(b->s, 1, b->len, f) != b->len) ||
	    fflush(f) != 0) {
		fprintf(stderr, "endorse: %s: %s\n", output != NULL ? output :
		    "stdout", strerror(errno));
		if (f != stdout)
			fclose(f);
		return 1;
	}
	if (f != stdout && fclose(f) != 0) {
		fprintf(stderr, "endorse: %s: %s\n", output, strerror(errno));
		return 1;
	}
	return 0;
}

int
export_main(int argc, char **argv)
{
	const char	*name = NULL, *format = "csv", *output = NULL;
	const char	*assoc = NULL, *why = NULL;
	struct arena	 a;
	struct table	 t;
	struct derr	 e;
	struct buf	 b;
	int		 which = -1, xlsx = 0, rc;

	if (own_args(&argc, argv, &name, &format, &output, &assoc) != 0 ||
	    check_args(name, format, assoc, &which, &xlsx) != 0) {
		usage();
		return EXIT_BAD_INPUT;
	}
	if ((rc = admin_setup(argc, argv)) != 0) {
		usage();
		config_free();
		return rc;
	}
	if (web_rules(assoc) == NULL) {
		fprintf(stderr, "endorse: export: --association: no rule set "
		    "'%s'\n", assoc);
		config_free();
		return EXIT_BAD_INPUT;
	}
	if ((rc = admin_db()) != 0) {
		config_free();
		return rc;
	}
	arena_init(&a);
	buf_init(&b);
	rc = 1;
	if (db_begin_read() != 0)
		fprintf(stderr, "endorse: export: the database is busy\n");
	else if (export_table(&a, assoc, which, &t, &e) != 0)
		fprintf(stderr, "endorse: export: %s\n", e.message);
	else if (xlsx && table_xlsx(&t, name, NULL, &b, 0, &why) != 0)
		fprintf(stderr, "endorse: export: %s\n", why != NULL ? why :
		    "the workbook could not be made");
	else if (!xlsx && table_csv(&t, &b, 0) != 0)
		fprintf(stderr, "endorse: export: larger than %u MB\n",
		    BUF_MAX / 1024 / 1024);
	else
		rc = put(output, &b);
	db_commit();
	buf_free(&b);
	arena_free(&a);
	db_shutdown();
	config_free();
	return rc;
}
