/*
 * bench-rules: time check_eval() over many portfolios.
 *
 *   bench-rules RULES_DIR PORTFOLIOS.jsonl VERDICTS_OUT [REPS]
 *
 * Reads every portfolio (JSON Lines, endorse-portfolio/1) and the rule set
 * vaimh first; parsing is not timed.  Then one untimed pass writes the
 * verdicts (first "# CODE ID..." per category of the rule set, its
 * requirement ids in rule-file order; then one line per portfolio: "E BITS",
 * E the eligible flag, BITS one 0/1 per requirement) and REPS timed
 * passes (default 5) call only check_eval() on every portfolio, with one
 * arena reset between evaluations, timed with CLOCK_MONOTONIC.  Prints the
 * median pass as metric lines; every pass goes to stderr.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "endorse.h"

static double
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	struct portfolio	**ps = NULL;
	const struct category	**cats = NULL;
	struct ruleset		*rs;
	struct check_result	 cr;
	struct arena		 a;
	FILE			*f, *vf;
	char			*line = NULL, *cause;
	size_t			 cap = 0;
	ssize_t			 len;
	int			 n = 0, alloc = 0, i, j, r, reps = 5, eligible = 0;
	int			*verdict, *check;
	double			*pass_ns, t0, t1, median;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: bench-rules RULES_DIR PORTFOLIOS.jsonl "
		    "VERDICTS_OUT [REPS]\n");
		return 2;
	}
	if (argc == 5 && (reps = atoi(argv[4])) < 1)
		reps = 1;
	if ((rs = rules_load_id(argv[1], "vaimh", &cause)) == NULL) {
		fprintf(stderr, "bench-rules: %s\n", cause);
		return 2;
	}
	if ((f = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 2;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (n == alloc) {
			alloc = alloc == 0 ? 1024 : alloc * 2;
			ps = xreallocarray(ps, (size_t)alloc, sizeof *ps);
			cats = xreallocarray(cats, (size_t)alloc, sizeof *cats);
		}
		if ((ps[n] = portfolio_parse(line, (size_t)len, DATE_NONE,
		    &cause)) == NULL) {
			fprintf(stderr, "%s:%d: %s\n", argv[2], n + 1, cause);
			return 2;
		}
		if (strcmp(ps[n]->association, "vaimh") != 0 ||
		    (cats[n] = rules_category(rs, ps[n]->category)) == NULL) {
			fprintf(stderr, "%s:%d: not a vaimh category\n",
			    argv[2], n + 1);
			return 2;
		}
		if (ps[n]->as_of == DATE_NONE) {
			fprintf(stderr, "%s:%d: as_of is required here\n",
			    argv[2], n + 1);
			return 2;
		}
		n++;
	}
	free(line);
	fclose(f);
	if (n == 0) {
		fprintf(stderr, "bench-rules: no portfolios in %s\n", argv[2]);
		return 2;
	}

	verdict = xcalloc((size_t)n, sizeof *verdict);
	check = xcalloc((size_t)n, sizeof *check);
	pass_ns = xcalloc((size_t)reps, sizeof *pass_ns);
	arena_init(&a);

	/* Untimed: the verdicts, requirement by requirement. */
	if ((vf = fopen(argv[3], "w")) == NULL) {
		perror(argv[3]);
		return 2;
	}
	for (i = 0; i < rs->ncats; i++) {	/* "# CODE ID..." per category */
		fprintf(vf, "# %s", rs->cats[i].code);
		for (j = 0; j < rs->cats[i].nreqs; j++)
			fprintf(vf, " %s", rs->cats[i].reqs[j].id);
		fputc('\n', vf);
	}
	for (i = 0; i < n; i++) {
		verdict[i] = check_eval(rs, cats[i], ps[i], &a, &cr);
		eligible += verdict[i];
		fprintf(vf, "%d ", cr.eligible);
		for (j = 0; j < cr.nreqs; j++)
			fputc(cr.reqs[j].met ? '1' : '0', vf);
		fputc('\n', vf);
		arena_reset(&a);
	}
	if (fclose(vf) != 0) {
		perror(argv[3]);
		return 2;
	}

	/* Timed: check_eval() only. */
	for (r = 0; r < reps; r++) {
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			check[i] = check_eval(rs, cats[i], ps[i], &a, &cr);
			arena_reset(&a);
		}
		t1 = now_ns();
		pass_ns[r] = t1 - t0;
		for (i = 0; i < n; i++)
			if (check[i] != verdict[i]) {
				fprintf(stderr, "bench-rules: portfolio %d: "
				    "verdict changed between passes\n", i + 1);
				return 1;
			}
		fprintf(stderr, "bench-rules: pass %d: %.0f ns/eval\n", r + 1,
		    pass_ns[r] / n);
	}
	qsort(pass_ns, (size_t)reps, sizeof *pass_ns, dbl_cmp);
	median = reps % 2 ? pass_ns[reps / 2] :
	    (pass_ns[reps / 2 - 1] + pass_ns[reps / 2]) / 2;

	printf("rules.portfolios: %d portfolios\n", n);
	printf("rules.eligible: %.1f %%\n", 100.0 * eligible / n);
	printf("rules.ns_per_eval: %.0f ns\n", median / n);
	printf("rules.evals_per_s: %.0f evals/s\n", n / (median / 1e9));

	arena_free(&a);
	for (i = 0; i < n; i++)
		portfolio_free(ps[i]);
	free(ps);
	free(cats);
	free(verdict);
	free(check);
	free(pass_ns);
	rules_free(rs);
	return 0;
}
