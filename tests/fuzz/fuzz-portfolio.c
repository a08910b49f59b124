/*
 * libFuzzer target: the endorse-portfolio/1 reader, then the engine.
 *
 * The input is a portfolio document.  When portfolio_parse() accepts it,
 * it is evaluated with check_eval() against every category of both
 * shipped rule sets (rules/vaimh.rules, rules/infancy-onward.rules) and
 * with renewal_eval() for cycle 2027; the renewal's error result is
 * ignored but its cause freed.  The results also go through the JSON
 * reports (to /dev/null), which read every field the engine filled in.
 * One arena is reused, reset between evaluations.  Everything is freed
 * (LeakSanitizer is on).
 *
 * The rules directory: $ENDORSE_RULES, else ./rules (run from the
 * repository root, as tests/fuzz/run does), else ../../rules next to the
 * binary (build/fuzz/portfolio).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "endorse.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const ids[] = { "vaimh", "infancy-onward" };
#define NSETS	(sizeof ids / sizeof ids[0])

static struct ruleset	*sets[NSETS];
static struct arena	 arena;
static FILE		*devnull;
static int		 loaded;

static int
try_dir(const char *dir)
{
	struct ruleset	*rs[NSETS];
	char		*cause;
	size_t		 i, j;

	for (i = 0; i < NSETS; i++) {
		if ((rs[i] = rules_load_id(dir, ids[i], &cause)) == NULL) {
			free(cause);
			for (j = 0; j < i; j++)
				rules_free(rs[j]);
			return -1;
		}
	}
	for (i = 0; i < NSETS; i++)
		sets[i] = rs[i];
	return 0;
}

static void
load_rules(const char *argv0)
{
	const char	*env = getenv("ENDORSE_RULES");
	char		 exe[4096], dir[4200], *slash;
	ssize_t		 n;

	if (loaded)
		return;
	loaded = 1;
	arena_init(&arena);
	if ((devnull = fopen("/dev/null", "w")) == NULL) {
		perror("fuzz-portfolio: /dev/null");
		abort();
	}
	if (env != NULL && try_dir(env) == 0)
		return;
	if (try_dir("rules") == 0)
		return;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 && argv0 != NULL) {
		snprintf(exe, sizeof exe, "%s", argv0);
		n = (ssize_t)strlen(exe);
	}
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(dir, sizeof dir, "%s/../../rules", exe);
			if (try_dir(dir) == 0)
				return;
		}
	}
	fprintf(stderr, "fuzz-portfolio: cannot load rules/vaimh.rules and "
	    "rules/infancy-onward.rules: run from the repository root or set "
	    "ENDORSE_RULES\n");
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	load_rules(*argc > 0 ? (*argv)[0] : NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct portfolio	*p;
	struct check_result	 cr;
	struct renewal_result	 rr;
	char			*cause;
	size_t			 i;
	int			 k;

	load_rules(NULL);
	p = portfolio_parse((const char *)data, size,
	    date_from_ymd(2026, 11, 23), &cause);
	if (p == NULL) {
		free(cause);
		return 0;
	}
	for (i = 0; i < NSETS; i++) {
		for (k = 0; k < sets[i]->ncats; k++) {
			const struct category *cat = &sets[i]->cats[k];

			check_eval(sets[i], cat, p, &arena, &cr);
			report_check_json(devnull, &cr);
			arena_reset(&arena);
			cause = NULL;
			if (renewal_eval(sets[i], cat, p, 2027, &arena, &rr,
			    &cause) != 0)
				free(cause);
			else
				report_renewal_json(devnull, &rr);
			arena_reset(&arena);
		}
	}
	portfolio_free(p);
	return 0;
}
