/*
 * The amounts the rules engine counts: a portfolio's entries gathered as
 * items through a requirement's filters, the post-degree cut-off and the
 * days spent providing RSC, and the requirements that add items up:
 * hours (shares and span windows), calendar years of merged periods, sums
 * and counts.  Split from rules-eval.c (issue 14); pure like it: no I/O,
 * no globals, all results in the caller's arena.
 */
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "eval-int.h"
#include "banned.h"

/* Entries being judged, whatever their source. */
struct item {
	int			 index;
	int32_t			 start, end;
	centi			 amount;
	int			 why;	/* WHY_*, or -1: counted */
	int			 arg;
	const struct codes	*codes;
};

static const char *const src_names[SRC__N] = {
	"", "training", "rsc_received", "rsc_provided", "work", "leadership",
};

/* A number of hours in words for an explanation, kept in the arena. */
static char *
hrs(struct ctx *c, centi v)
{
	char	 tmp[32];

	centi_format(v, tmp, sizeof tmp);
	return arena_strdup(c->a, tmp);
}

/* Sort and merge overlapping or touching periods in place; returns count. */
static int
merge(struct period *v, int n)
{
	struct period	 t;
	int		 i, j, k = 0;

	if (n == 0)
		return 0;
	/*
	 * Insertion sort: a portfolio's lists are short and often already
	 * in order; qsort would allocate and call through a pointer.
	 */
	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && v[j - 1].start > t.start; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
	for (i = 1; i < n; i++) {
		if (v[i].start <= v[k].end + 1) {
			if (v[i].end > v[k].end)
				v[k].end = v[i].end;
		} else
			v[++k] = v[i];
	}
	return k + 1;
}

/* The last day of a period that counts: open or later ends at as_of. */
static int32_t
end_of(const struct period *p, int32_t as_of)
{
	return p->end == DATE_NONE || p->end > as_of ? as_of : p->end;
}

/*
 * The facts every requirement shares, computed once per check: the
 * earliest degree at each level (the cut-offs) and the merged periods of
 * providing RSC.
 */
void
ev_ctx_init(struct ctx *c, const struct ruleset *rs,
    const struct portfolio *p, struct arena *a)
{
	int	 i, l;

	memset(c, 0, sizeof *c);
	c->rs = rs;
	c->p = p;
	c->a = a;
	c->as_of = p->as_of;
	for (l = 0; l < LEVEL__N; l++)
		c->cutoff[l] = DATE_NONE;
	for (i = 0; i < p->n_education; i++) {
		const struct education *e = &p->education[i];
		if (e->conferred > c->as_of)
			continue;
		for (l = 0; l <= e->level; l++)
			if (c->cutoff[l] == DATE_NONE ||
			    e->conferred < c->cutoff[l]) {
				c->cutoff[l] = e->conferred;
				c->cutoff_level[l] = e->level;
			}
	}
	c->providing = arena_alloc_raw(a, (size_t)(p->n_rsc_provided + 1) *
	    sizeof *c->providing);
	for (i = 0; i < p->n_rsc_provided; i++) {
		if (p->rsc_provided[i].recipients < 1 ||
		    p->rsc_provided[i].p.start > c->as_of)
			continue;
		c->providing[c->nproviding].start = p->rsc_provided[i].p.start;
		c->providing[c->nproviding].end =
		    end_of(&p->rsc_provided[i].p, c->as_of);
		c->nproviding++;
	}
	c->nproviding = merge(c->providing, c->nproviding);
}

/* Days of [a, b] on which the applicant was providing RSC. */
static long
providing_days(const struct ctx *c, int32_t a, int32_t b)
{
	long	 n = 0;
	int32_t	 lo, hi;
	int	 i;

	for (i = 0; i < c->nproviding; i++) {
		lo = a > c->providing[i].start ? a : c->providing[i].start;
		hi = b < c->providing[i].end ? b : c->providing[i].end;
		if (hi >= lo)
			n += hi - lo + 1;
	}
	return n;
}

/*
 * The post-degree cut-off of a requirement.  Where no qualifying degree is
 * on record the education requirement reports that; the cut-off then
 * cannot be placed and is not applied (one missing degree, one reason).
 */
static int32_t
cutoff_of(const struct ctx *c, const struct requirement *r)
{
	if (r->f.after == LEVEL_NONE)
		return DATE_NONE;
	return c->cutoff[r->f.after];
}

/*
 * An entry of each source as an item (its dates and amount) and the first
 * of the source's filters it fails: a WHY_* with its argument in *arg, or
 * -1 when it passes them.
 */
static int
item_training(const struct ctx *c, const struct filter *f, int i,
    struct item *x, int *arg)
{
	const struct training *t = &c->p->training[i];

	x->start = x->end = t->date;
	x->amount = t->hours;
	if (f->roles != 0 && !(f->roles & (1u << t->role))) {
		*arg = t->role;
		return WHY_ROLE;
	}
	if (f->topics != 0 && !(t->topics & f->topics))
		return WHY_TOPIC;
	return -1;
}

static int
item_rsc_received(const struct ctx *c, const struct filter *f, int i,
    struct item *x, int *arg)
{
	const struct rsc_received *s = &c->p->rsc_received[i];

	x->start = s->p.start;
	x->end = end_of(&s->p, c->as_of);
	x->amount = s->hours;
	if (f->formats != 0 && !(f->formats & (1u << s->format))) {
		*arg = s->format;
		return WHY_FORMAT;
	}
	if (f->focus != 0 && !(f->focus & (1u << s->focus))) {
		*arg = s->focus;
		return WHY_FOCUS;
	}
	if (f->providers.n > 0 && !codes_meet(&s->provider, &f->providers)) {
		x->codes = &s->provider;
		return WHY_PROVIDER;
	}
	if (f->providers.n > 0 && f->verified && !s->verified)
		return WHY_DECLARED;
	return -1;
}

static int
item_rsc_provided(const struct ctx *c, int i, struct item *x)
{
	const struct rsc_provided *s = &c->p->rsc_provided[i];

	x->start = s->p.start;
	x->end = end_of(&s->p, c->as_of);
	return s->recipients < 1 ? WHY_NO_RECIPIENTS : -1;
}

static int
item_work(const struct ctx *c, const struct filter *f, int i,
    struct item *x, int *arg)
{
	const struct work *w = &c->p->work[i];

	x->start = w->p.start;
	x->end = end_of(&w->p, c->as_of);
	x->amount = w->families;
	if (f->paid == TRI_YES && !w->paid)
		return WHY_UNPAID;
	if (f->paid == TRI_NO && w->paid)
		return WHY_PAID;
	if (f->either != 0 &&
	    !(((f->either & EITHER_PAID) && w->paid) ||
	    ((f->either & EITHER_SUPERVISED) && w->supervised) ||
	    ((f->either & EITHER_LICENSED) && w->licensed)))
		return WHY_EITHER;
	if (f->supervised == TRI_YES && !w->supervised)
		return WHY_UNSUPERVISED;
	if (f->licensed == TRI_YES && !w->licensed)
		return WHY_UNLICENSED;
	if (f->services != 0 && !(f->services & (1u << w->service))) {
		*arg = w->service;
		return WHY_SERVICE;
	}
	if (f->ages != 0 && !(f->ages & w->ages))
		return WHY_AGES;
	return -1;
}

static int
item_leadership(const struct ctx *c, const struct filter *f, int i,
    struct item *x, int *arg)
{
	const struct leadership *l = &c->p->leadership[i];

	x->start = l->p.start;
	x->end = end_of(&l->p, c->as_of);
	if (f->paid == TRI_YES && !l->paid)
		return WHY_UNPAID;
	if (f->paid == TRI_NO && l->paid)
		return WHY_PAID;
	if (f->scopes != 0 && (l->scope < 0 ||
	    !(f->scopes & (1u << l->scope)))) {
		*arg = l->scope;
		return WHY_SCOPE;
	}
	return -1;
}

/* Collect the source's entries as items: dates, amount, first reason. */
static struct item *
gather(struct ctx *c, const struct requirement *r, int *np)
{
	const struct portfolio	*p = c->p;
	const struct filter	*f = &r->f;
	struct item		*it;
	int32_t			 cut = cutoff_of(c, r);
	int			 i, n = 0;

	switch (r->src) {
	case SRC_TRAINING:	n = p->n_training; break;
	case SRC_RSC_RECEIVED:	n = p->n_rsc_received; break;
	case SRC_RSC_PROVIDED:	n = p->n_rsc_provided; break;
	case SRC_WORK:		n = p->n_work; break;
	case SRC_LEADERSHIP:	n = p->n_leadership; break;
	default:		break;
	}
	it = arena_alloc_raw(c->a, (size_t)(n + 1) * sizeof *it);
	for (i = 0; i < n; i++) {
		struct item	*x = &it[i];
		int		 why = -1, arg = 0;

		x->index = i;
		x->amount = 0;
		x->codes = NULL;
		switch (r->src) {
		case SRC_TRAINING:
			why = item_training(c, f, i, x, &arg);
			break;
		case SRC_RSC_RECEIVED:
			why = item_rsc_received(c, f, i, x, &arg);
			break;
		case SRC_RSC_PROVIDED:
			why = item_rsc_provided(c, i, x);
			break;
		case SRC_WORK:
			why = item_work(c, f, i, x, &arg);
			break;
		case SRC_LEADERSHIP:
			why = item_leadership(c, f, i, x, &arg);
			break;
		default:
			break;
		}
		if (why < 0 && x->start > c->as_of)
			why = WHY_AFTER_ASOF;
		if (why < 0 && cut != DATE_NONE && x->end < cut)
			why = WHY_BEFORE_DEGREE;
		x->why = why;
		x->arg = arg;
	}
	/* The rarer filters after the loop, so that the common path pays
	   nothing for them: 'since emerging' (training dated before the
	   Emerging grant does not count) and 'sum work families staff'. */
	if (f->since_emerging && c->emerging_since != DATE_NONE)
		for (i = 0; i < n; i++)
			if (it[i].why < 0 && it[i].start < c->emerging_since)
				it[i].why = WHY_BEFORE_EMERGING;
	if (r->sum_staff)
		for (i = 0; i < n; i++)
			it[i].amount += p->work[i].staff;
	*np = n;
	return it;
}

/* An item's own reason, with the facts explain.c needs. */
static struct excluded *
exclude_item(struct ctx *c, struct req_result *res,
    const struct requirement *r, const struct item *x, int why)
{
	struct excluded	*e;

	e = result_exclude_why(c->a, res, src_names[r->src], x->index, why);
	e->arg = x->arg;
	e->codes = x->codes;
	switch (why) {
	case WHY_AFTER_ASOF:
		e->date = c->as_of;
		break;
	case WHY_BEFORE_EMERGING:
		e->date = c->emerging_since;
		break;
	case WHY_BEFORE_DEGREE:
	case WHY_PART_DEGREE:
	case WHY_YEARS_CUT:
		e->date = cutoff_of(c, r);
		e->arg = c->cutoff_level[r->f.after];
		break;
	}
	return e;
}

/* Items by start date, then by position: insertion sort (see merge). */
static void
item_sort(struct item *v, int n)
{
	struct item	 t;
	int		 i, j;

	for (i = 1; i < n; i++) {
		t = v[i];
		for (j = i; j > 0 && (v[j - 1].start > t.start ||
		    (v[j - 1].start == t.start && v[j - 1].index > t.index));
		    j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/*
 * Within a span: the best window of span_max months that starts with an
 * entry; the hours in it must cover at least span_min months from first
 * start to last end.  The counted items cnt[0..nc) are sorted here; those
 * outside the window are listed as excluded.
 */
static void
span_window(struct ctx *c, const struct requirement *r, struct req_result *res,
    struct item *cnt, int nc)
{
	int32_t		 wend, best_s = 0, best_e = 0;
	int		 i, j, best_valid = 0, have_best = 0;
	centi		 sum, best = 0;
	int		 span_days_ok = 0;
	int32_t		*we;
	struct excluded	*e;

	item_sort(cnt, nc);
	we = arena_alloc_raw(c->a, (size_t)(nc + 1) * sizeof *we);
	for (i = 0; i < nc; i++)
		we[i] = date_add_months(cnt[i].start, r->f.span_max) - 1;
	for (i = 0; i < nc; i++) {
		int32_t last = cnt[i].end;
		int valid;

		wend = we[i];
		if (cnt[i].end > wend)
			continue;	/* one entry longer than the span */
		sum = 0;
		for (j = i; j < nc; j++) {
			if (cnt[j].end > wend)
				continue;
			sum += cnt[j].amount;
			if (cnt[j].end > last)
				last = cnt[j].end;
		}
		if (have_best && best_valid && sum <= best)
			continue;	/* cannot beat the window we have */
		valid = last >= date_add_months(cnt[i].start,
		    r->f.span_min) - 1;
		if (!have_best || (valid && !best_valid) ||
		    (valid == best_valid && sum > best)) {
			have_best = 1;
			best_valid = valid;
			best = sum;
			best_s = cnt[i].start;
			best_e = wend;
			span_days_ok = valid;
		}
	}
	res->have = best;
	for (i = 0; i < nc; i++) {
		if (have_best && cnt[i].start >= best_s &&
		    cnt[i].end <= best_e)
			continue;
		if (cnt[i].end > we[i])
			exclude_item(c, res, r, &cnt[i], WHY_SPAN_LONG);
		else {
			e = exclude_item(c, res, r, &cnt[i],
			    WHY_SPAN_OUTSIDE);
			e->date = best_s;
			e->date2 = best_e;
		}
	}
	res->met = have_best && span_days_ok && best >= r->need;
	if (have_best && !span_days_ok && best >= r->need)
		res->explain = arena_printf(c->a, "%s hours, but received "
		    "over less than %d months: the hours must span %d to %d "
		    "months", hrs(c, best), r->f.span_min, r->f.span_min,
		    r->f.span_max);
}

/* Whether two requirements gather and count the same entries alike. */
static int
same_filters(const struct requirement *a, const struct requirement *b)
{
	const struct filter	*f = &a->f, *g = &b->f;

	return a->src == b->src && a->sum_staff == b->sum_staff &&
	    f->roles == g->roles && f->formats == g->formats &&
	    f->focus == g->focus && f->services == g->services &&
	    f->ages == g->ages && f->scopes == g->scopes &&
	    f->topics == g->topics && f->paid == g->paid &&
	    f->supervised == g->supervised && f->licensed == g->licensed &&
	    f->either == g->either && f->after == g->after &&
	    f->providers.n == g->providers.n &&
	    (f->providers.n == 0 || f->providers.v == g->providers.v) &&
	    f->while_providing == g->while_providing &&
	    f->span_min == g->span_min && f->span_max == g->span_max &&
	    f->since_emerging == g->since_emerging &&
	    f->verified == g->verified;
}

/*
 * Hours without a span window, as an earlier requirement with the same
 * filters found them: its sum, and its exclusions as this one's.  1 when
 * reused.
 */
static int
hours_again(struct ctx *c, const struct requirement *r,
    struct req_result *res)
{
	const struct req_result	*prev = c->hours_res;
	int			 i;

	if (prev == NULL || r->f.span_max != 0 ||
	    !same_filters(c->hours_req, r))
		return 0;
	if (prev->nex > 0) {
		res->ex = arena_alloc_raw(c->a, (size_t)((prev->nex + 15) &
		    ~15) * sizeof *res->ex);
		memcpy(res->ex, prev->ex, (size_t)prev->nex * sizeof *res->ex);
		for (i = 0; i < prev->nex; i++)
			res->ex[i].req = r;
	}
	res->nex = prev->nex;
	res->have = prev->have;
	res->need = r->need;
	res->unit = UNIT_HOURS;
	res->met = res->have >= r->need;
	return 1;
}

/* Hours: the share of each entry that counts, summed, or in a span. */
void
ev_hours(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	struct item	*it, *cnt;
	int32_t		 cut = cutoff_of(c, r);
	int		 i, n, nc = 0;
	centi		 sum;
	struct excluded	*e;

	if (hours_again(c, r, res))
		return;
	it = gather(c, r, &n);
	cnt = arena_alloc_raw(c->a, (size_t)(n + 1) * sizeof *cnt);
	for (i = 0; i < n; i++) {
		if (it[i].why >= 0) {
			exclude_item(c, res, r, &it[i], it[i].why);
			continue;
		}
		if (cut != DATE_NONE && it[i].start < cut) {
			/* Partly before the degree: the share after counts. */
			centi part = (centi)((double)it[i].amount *
			    (it[i].end - cut + 1) /
			    (it[i].end - it[i].start + 1));
			e = exclude_item(c, res, r, &it[i], WHY_PART_DEGREE);
			e->a = part;
			e->b = it[i].amount;
			it[i].amount = part;
			it[i].start = cut;
		}
		if (r->f.while_providing) {
			/* Only the share received while providing counts. */
			long days = it[i].end - it[i].start + 1;
			long in = providing_days(c, it[i].start, it[i].end);
			centi part;

			if (in == 0) {
				exclude_item(c, res, r, &it[i],
				    WHY_NOT_PROVIDING);
				continue;
			}
			if (in < days) {
				part = (centi)((double)it[i].amount * in / days);
				e = exclude_item(c, res, r, &it[i],
				    WHY_PART_PROVIDING);
				e->a = part;
				e->b = it[i].amount;
				it[i].amount = part;
			}
		}
		cnt[nc++] = it[i];
	}
	sum = 0;
	for (i = 0; i < nc; i++)
		sum += cnt[i].amount;
	res->have = sum;
	res->need = r->need;
	res->unit = UNIT_HOURS;
	if (r->f.span_max == 0) {
		res->met = sum >= r->need;
		c->hours_req = r;
		c->hours_res = res;
		return;
	}
	span_window(c, r, res, cnt, nc);
}

/* Calendar experience: merged periods, after the cut-off, up to as_of. */
void
ev_years(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	struct item	*it;
	struct period	*ps;
	int32_t		 cut = cutoff_of(c, r);
	int		 i, n, np = 0;
	long		 days = 0, need_days;

	it = gather(c, r, &n);
	ps = arena_alloc_raw(c->a, (size_t)(n + 1) * sizeof *ps);
	for (i = 0; i < n; i++) {
		if (it[i].why >= 0) {
			exclude_item(c, res, r, &it[i], it[i].why);
			continue;
		}
		ps[np].start = it[i].start;
		ps[np].end = it[i].end;
		if (cut != DATE_NONE && ps[np].start < cut) {
			exclude_item(c, res, r, &it[i], WHY_YEARS_CUT);
			ps[np].start = cut;
		}
		np++;
	}
	np = merge(ps, np);
	for (i = 0; i < np; i++)
		days += ps[i].end - ps[i].start + 1;
	/* A year is 365 days, a month 365/12: 24 months is 730 days. */
	need_days = ((long)r->need * 365 + 11) / 12;
	res->unit = UNIT_YEARS;
	res->have = days * 100 / 365;
	res->need = (centi)r->need * 100 / 12;
	res->met = days >= need_days;
	if (!res->met && res->have >= res->need)
		res->have = res->need - 1;
}

/* Sums (families) and counts (entries) of the items that pass. */
void
ev_sum_count(struct ctx *c, const struct requirement *r,
    struct req_result *res)
{
	struct item	*it;
	int		 i, n;
	centi		 sum = 0;

	it = gather(c, r, &n);
	for (i = 0; i < n; i++) {
		if (it[i].why >= 0) {
			exclude_item(c, res, r, &it[i], it[i].why);
			continue;
		}
		/* 'while providing': an entry counts if any of its days
		   fell while the applicant was providing RSC. */
		if (r->f.while_providing && r->src == SRC_RSC_RECEIVED &&
		    providing_days(c, it[i].start, it[i].end) == 0) {
			exclude_item(c, res, r, &it[i], WHY_NOT_PROVIDING);
			continue;
		}
		/* Counting sessions received or attended: one of no hours
		   is not one. */
		if (r->kind == KIND_COUNT && it[i].amount <= 0 &&
		    (r->src == SRC_RSC_RECEIVED || r->src == SRC_TRAINING)) {
			result_exclude(c->a, res, src_names[r->src],
			    it[i].index, "no hours");
			continue;
		}
		sum += r->kind == KIND_SUM ? it[i].amount : 1;
	}
	res->unit = r->kind == KIND_SUM ? UNIT_FAMILIES : UNIT_ENTRIES;
	res->have = sum * 100;
	res->need = r->need * 100;
	res->met = sum >= r->need;
}
