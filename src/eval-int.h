/*
 * The rules engine's internals, shared by
 *   rules-eval.c    check_eval(): each requirement by its kind; degrees,
 *                   facts, references, held endorsements, alternatives
 *                   and Emerging status
 *   rules-gather.c  the amounts: entries gathered through the filters,
 *                   the post-degree cut-off, days providing RSC; hours
 *                   (with span windows), years, sums and counts
 * Only those two include this header; the results are endorse.h's.  What
 * one lends the other carries the prefix ev_ (evaluation); what stays
 * inside a file is static and has none.
 */
#ifndef EVAL_INT_H
#define EVAL_INT_H

#include <stdint.h>

#include "endorse.h"

/* One evaluation: its inputs and the facts computed once for all of it. */
struct ctx {
	const struct ruleset	*rs;
	const struct portfolio	*p;
	struct arena		*a;
	int32_t			 as_of;
	int32_t			 cutoff[LEVEL__N];	/* first degree >= level */
	int			 cutoff_level[LEVEL__N];	/* and its level */
	struct period		*providing;		/* merged rsc_provided */
	int			 nproviding;
	const struct pending	*with;		/* 'holds ... or-pending' */
	/* The category is held with Emerging status, granted on this day
	   (DATE_NONE: not held so). */
	int32_t			 emerging_since;
	int32_t			 emerging_until;
	/* The last hours requirement without a span window and its result:
	   one with the same source and filters (an 'advise' repeating a
	   'require' with a higher need) reuses the sum and the exclusions. */
	const struct requirement *hours_req;
	const struct req_result	*hours_res;
	const char		*as_of_us;	/* as_of in words, once asked */
};

/* ---- rules-gather.c ---- */
/* Fill in c for one portfolio and rule set (as_of, cut-offs, providing). */
void	 ev_ctx_init(struct ctx *, const struct ruleset *,
	    const struct portfolio *, struct arena *);
/* The requirements that add up entries: hours, years, sum and count. */
void	 ev_hours(struct ctx *, const struct requirement *,
	    struct req_result *);
void	 ev_years(struct ctx *, const struct requirement *,
	    struct req_result *);
void	 ev_sum_count(struct ctx *, const struct requirement *,
	    struct req_result *);

#endif
