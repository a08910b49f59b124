/*
 * The rules engine: one portfolio, one category of a rule set, one date in;
 * a checklist out, every requirement with have/need and every entry that
 * did not count with the reason.  Pure: no I/O, no globals, all results in
 * the caller's arena.  `endorse check`, the web checklist and the reviewer
 * screen all call check_eval(), so they cannot disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "banned.h"

const char *const unit_names[UNIT__N] = {
	"hours", "years", "families", "entries", "references", "level",
	"fact", "options",
};

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
};

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

static char *
datestr(struct ctx *c, int32_t d)
{
	char	*s = arena_alloc(c->a, 11);

	date_format(d, s);
	return s;
}

static char *
hrs(struct ctx *c, centi v)
{
	char	 tmp[32];

	centi_format(v, tmp, sizeof tmp);
	return arena_strdup(c->a, tmp);
}

static const char *
codes_words(struct ctx *c, const struct codes *codes)
{
	char	 buf[EXPLAIN_MAX];

	return arena_strdup(c->a, explain_codes(codes, buf, sizeof buf));
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

static int32_t
end_of(const struct period *p, int32_t as_of)
{
	return p->end == DATE_NONE || p->end > as_of ? as_of : p->end;
}

static void
ctx_init(struct ctx *c, const struct ruleset *rs, const struct portfolio *p,
    struct arena *a)
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
	c->providing = arena_alloc(a, (size_t)(p->n_rsc_provided + 1) *
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
	it = arena_alloc(c->a, (size_t)(n + 1) * sizeof *it);
	for (i = 0; i < n; i++) {
		struct item	*x = &it[i];
		int		 why = -1, arg = 0;

		x->index = i;
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

/* List an entry that did not count; the caller fills in the facts. */
struct excluded *
result_exclude_why(struct arena *a, struct req_result *res, const char *what,
    int index, int why)
{
	struct excluded	*nv, *e;

	if ((res->nex & 15) == 0) {
		nv = arena_alloc(a, (size_t)(res->nex + 16) * sizeof *nv);
		if (res->nex > 0)
			memcpy(nv, res->ex, (size_t)res->nex * sizeof *nv);
		res->ex = nv;
	}
	e = &res->ex[res->nex++];
	memset(e, 0, sizeof *e);
	e->what = what;
	e->index = index;
	e->why = why;
	e->req = res->req;
	return e;
}

/* List an entry that did not count, with a reason in words. */
void
result_exclude(struct arena *a, struct req_result *res, const char *what,
    int index, const char *why)
{
	result_exclude_why(a, res, what, index, WHY_TEXT)->text = why;
}

static void
exclude(struct ctx *c, struct req_result *res, const char *what, int index,
    const char *why)
{
	result_exclude(c->a, res, what, index, why);
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
	we = arena_alloc(c->a, (size_t)(nc + 1) * sizeof *we);
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


/* Hours: the share of each entry that counts, summed, or in a span. */
static void
eval_hours(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	struct item	*it, *cnt;
	int32_t		 cut = cutoff_of(c, r);
	int		 i, n, nc = 0;
	centi		 sum;
	struct excluded	*e;

	it = gather(c, r, &n);
	cnt = arena_alloc(c->a, (size_t)(n + 1) * sizeof *cnt);
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
		return;
	}
	span_window(c, r, res, cnt, nc);
}

/* Calendar experience: merged periods, after the cut-off, up to as_of. */
static void
eval_years(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	struct item	*it;
	struct period	*ps;
	int32_t		 cut = cutoff_of(c, r);
	int		 i, n, np = 0;
	long		 days = 0, need_days;

	it = gather(c, r, &n);
	ps = arena_alloc(c->a, (size_t)(n + 1) * sizeof *ps);
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

static void
eval_sum_count(struct ctx *c, const struct requirement *r,
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
			exclude(c, res, src_names[r->src], it[i].index,
			    "no hours");
			continue;
		}
		sum += r->kind == KIND_SUM ? it[i].amount : 1;
	}
	res->unit = r->kind == KIND_SUM ? UNIT_FAMILIES : UNIT_ENTRIES;
	res->have = sum * 100;
	res->need = r->need * 100;
	res->met = sum >= r->need;
}

static void
eval_degree(struct ctx *c, const struct requirement *r,
    struct req_result *res)
{
	const struct portfolio	*p = c->p;
	int			 i, best = LEVEL_NONE, ok = 0, any = 0;

	for (i = 0; i < p->n_education; i++) {
		const struct education *e = &p->education[i];
		if (e->conferred > c->as_of) {
			exclude(c, res, "education", i, arena_printf(c->a,
			    "conferred after %s", datestr(c, c->as_of)));
			continue;
		}
		if (r->kind == KIND_TRANSCRIPTS) {
			if (e->level < r->need)
				continue;
			any = 1;
			if (e->transcript)
				ok = 1;
			else {
				exclude(c, res, "education", i, "no official "
				    "transcript on file");
			}
		} else if (e->level > best)
			best = e->level;
	}
	if (r->kind == KIND_TRANSCRIPTS) {
		/*
		 * Transcripts are asked of the degrees claimed.  With no
		 * degree at the level yet the education requirement says so;
		 * one missing degree, one reason.
		 */
		res->unit = UNIT_FACT;
		res->have = ok || !any ? 100 : 0;
		res->need = 100;
		res->met = ok || !any;
		if (!any)
			res->explain = arena_printf(c->a, "%s: no %s or higher "
			    "on record yet (see education)", r->text != NULL ?
			    r->text : "transcripts", level_words[r->need]);
		return;
	}
	res->unit = UNIT_LEVEL;
	res->have = best * 100;
	res->need = r->need * 100;
	res->met = best >= r->need;
}

static void
eval_fact(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	const struct portfolio	*p = c->p;
	int			 i, ok = 0, latest = -1;

	switch (r->fact) {
	case FACT_MEMBERSHIP:
		for (i = 0; i < p->n_membership; i++)
			if (p->membership[i].start <= c->as_of &&
			    (p->membership[i].end == DATE_NONE ||
			    p->membership[i].end >= c->as_of))
				ok = 1;
		if (!ok)
			res->explain = arena_printf(c->a, "%s: no membership "
			    "period covers %s", r->text != NULL ? r->text :
			    "active membership", datestr(c, c->as_of));
		break;
	case FACT_ETHICS:
		ok = p->ethics_signed != DATE_NONE &&
		    p->ethics_signed <= c->as_of;
		if (!ok && p->ethics_signed != DATE_NONE)
			res->explain = arena_printf(c->a, "%s: signed %s, after "
			    "%s", r->text != NULL ? r->text : "Code of Ethics",
			    datestr(c, p->ethics_signed), datestr(c, c->as_of));
		else if (!ok)
			res->explain = arena_printf(c->a, "%s: not signed",
			    r->text != NULL ? r->text : "Code of Ethics");
		break;
	case FACT_EXAM:
		for (i = 0; i < p->n_exam; i++) {
			if (p->exam[i].date > c->as_of) {
				exclude(c, res, "exam", i, arena_printf(c->a,
				    "dated after %s", datestr(c, c->as_of)));
				continue;
			}
			if (latest < 0 || p->exam[i].date >=
			    p->exam[latest].date)
				latest = i;
		}
		ok = latest >= 0 && p->exam[latest].result == RESULT_PASS;
		if (latest < 0)
			res->explain = arena_printf(c->a, "%s: no exam on "
			    "record by %s", r->text != NULL ? r->text :
			    "written exam", datestr(c, c->as_of));
		else if (!ok)
			res->explain = arena_printf(c->a, "%s: the latest "
			    "exam (%s) was not passed", r->text != NULL ?
			    r->text : "written exam",
			    datestr(c, p->exam[latest].date));
		break;
	}
	res->unit = UNIT_FACT;
	res->have = ok ? 100 : 0;
	res->need = 100;
	res->met = ok;
}

/*
 * References: a pattern's slots each filled by a different completed rating
 * whose relationship the slot allows (bipartite matching, Kuhn's
 * algorithm), and, where asked, one rater in the match holding one of the
 * named endorsements: try each endorsed rater in each slot it may fill and
 * match the rest.
 */
#define MAX_REFS	100
struct match {
	const struct portfolio	*p;
	const unsigned		*slots;
	const struct codes	*codes;		/* per slot; n 0: any */
	int			 nslots;
	int			 owner[MAX_REFS];	/* slot, or -1 */
	int			 seen[MAX_REFS];
	int			 banned_ref, banned_slot;
};

static int
usable(const struct match *m, int ref, int slot)
{
	const struct reference	*r = &m->p->references[ref];

	return ref != m->banned_ref && r->status == REFST_COMPLETED &&
	    (m->slots[slot] & (1u << r->relationship)) &&
	    (m->codes == NULL || m->codes[slot].n == 0 ||
	    codes_meet(&r->endorsements, &m->codes[slot]));
}

static int
augment(struct match *m, int slot, int nrefs)
{
	int	 i;

	for (i = 0; i < nrefs; i++) {
		if (m->seen[i] || !usable(m, i, slot))
			continue;
		m->seen[i] = 1;
		if (m->owner[i] < 0 || augment(m, m->owner[i], nrefs)) {
			m->owner[i] = slot;
			return 1;
		}
	}
	return 0;
}

static int
matching(struct match *m, int nrefs)
{
	int	 i, s, n = 0;

	for (i = 0; i < nrefs; i++)
		m->owner[i] = -1;
	for (s = 0; s < m->nslots; s++) {
		if (s == m->banned_slot)
			continue;
		memset(m->seen, 0, (size_t)nrefs * sizeof *m->seen);
		n += augment(m, s, nrefs);
	}
	return n;
}

static void
eval_references(struct ctx *c, const struct requirement *r,
    struct req_result *res)
{
	const struct portfolio	*p = c->p;
	struct match		 m;
	int			 i, k, s, n, ok = 0, best = 0, slots_ok = 0;
	int			 best_k = -1;
	int			 nrefs = p->n_references;

	if (nrefs > MAX_REFS)
		nrefs = MAX_REFS;
	for (i = 0; i < p->n_references; i++) {
		if (i >= MAX_REFS)
			exclude(c, res, "references", i, "beyond the first "
			    "100 references");
		else if (p->references[i].status != REFST_COMPLETED)
			exclude(c, res, "references", i, arena_printf(c->a,
			    "status is %s: only completed ratings count",
			    vocab_refstatus.names[p->references[i].status]));
	}
	m.banned_ref = m.banned_slot = -1;
	m.p = p;
	m.codes = NULL;
	m.nslots = r->nslots;
	for (k = 0; k < r->npatterns && !ok; k++) {
		m.slots = r->slots + (size_t)k * (size_t)r->nslots;
		m.codes = r->slot_codes != NULL ? r->slot_codes + (size_t)k *
		    (size_t)r->nslots : NULL;
		m.banned_ref = m.banned_slot = -1;
		n = matching(&m, nrefs);
		if (n > best || best_k < 0) {
			best = n;
			best_k = k;
		}
		if (n < r->nslots)
			continue;
		slots_ok = 1;
		if (r->endorsed.n == 0) {
			ok = 1;
			break;
		}
		for (i = 0; i < nrefs && !ok; i++) {
			if (!codes_meet(&p->references[i].endorsements,
			    &r->endorsed))
				continue;
			for (s = 0; s < r->nslots && !ok; s++) {
				m.banned_ref = m.banned_slot = -1;
				if (!usable(&m, i, s))
					continue;
				m.banned_ref = i;
				m.banned_slot = s;
				ok = matching(&m, nrefs) == r->nslots - 1;
			}
		}
	}
	if (!ok && !slots_ok && best_k >= 0) {
		/* Say which completed ratings fit none of the open slots. */
		m.slots = r->slots + (size_t)best_k * (size_t)r->nslots;
		m.codes = r->slot_codes != NULL ? r->slot_codes +
		    (size_t)best_k * (size_t)r->nslots : NULL;
		m.banned_ref = m.banned_slot = -1;
		matching(&m, nrefs);
		for (i = 0; i < nrefs; i++)
			if (p->references[i].status == REFST_COMPLETED &&
			    m.owner[i] < 0)
				exclude(c, res, "references", i,
				    arena_printf(c->a, "a rating from a %s "
				    "fills none of the slots still open",
				    vocab_relationship.names[
				    p->references[i].relationship]));
	}
	res->unit = UNIT_REFERENCES;
	res->have = best * 100;
	res->need = r->nslots * 100;
	res->met = ok;
	if (!ok && slots_ok)
		res->explain = arena_printf(c->a, "%d of %d completed ratings "
		    "in the required roles, but none of the raters holds %s",
		    r->nslots, r->nslots, codes_words(c, &r->endorsed));
}

static void
eval_holds(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	const struct portfolio	*p = c->p;
	int			 i, j, ok = 0;

	for (i = 0; i < p->n_endorsements; i++) {
		for (j = 0; j < r->holds.n; j++) {
			if (strcmp(p->endorsements[i].category,
			    r->holds.v[j]) != 0)
				continue;
			if (p->endorsements[i].since <= c->as_of)
				ok = 1;
			else
				exclude(c, res, "endorsements", i,
				    arena_printf(c->a, "held only from %s",
				    datestr(c, p->endorsements[i].since)));
		}
	}
	/* Seed 001: "If you apply for FS or MHS, you can apply for ERS at
	   the same time": an open application for one of them, in the same
	   association, is decided together with this one. */
	for (i = 0; !ok && r->or_pending && i < p->n_pending; i++) {
		if (strcmp(p->pending[i].association, p->association) != 0)
			continue;
		for (j = 0; j < r->holds.n && c->with == NULL; j++)
			if (strcmp(p->pending[i].category, r->holds.v[j]) == 0)
				c->with = &p->pending[i];
	}
	res->unit = UNIT_FACT;
	res->have = ok || c->with != NULL ? 100 : 0;
	res->need = 100;
	res->met = ok || c->with != NULL;
	if (!ok && c->with != NULL)
		res->explain = arena_printf(c->a, "%s: applying for %s at the "
		    "same time; the two are decided together, and this one "
		    "only if that one is endorsed", r->text != NULL ? r->text :
		    "prerequisite endorsement", c->with->category);
	else if (!ok)
		res->explain = arena_printf(c->a, "%s: holds none of %s%s",
		    r->text != NULL ? r->text : "prerequisite endorsement",
		    codes_words(c, &r->holds), r->or_pending ? " and has no "
		    "open application for one" : "");
}

static void eval_req(struct ctx *, const struct requirement *,
    struct req_result *);

static void
eval_any(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	int	 i, j, nmet = 0;

	res->opts = arena_alloc(c->a, (size_t)r->noptions *
	    sizeof *res->opts);
	res->nopts = r->noptions;
	for (i = 0; i < r->noptions; i++) {
		struct option_result *o = &res->opts[i];
		o->opt = &r->options[i];
		o->reqs = arena_alloc(c->a, (size_t)o->opt->nreqs *
		    sizeof *o->reqs);
		o->nreqs = o->opt->nreqs;
		o->met = 1;
		for (j = 0; j < o->nreqs; j++) {
			eval_req(c, &o->opt->reqs[j], &o->reqs[j]);
			o->met &= o->reqs[j].met;
		}
		/* Emerging status is granted once: its holder completes the
		   full requirements by the deadline, not Emerging again. */
		if (o->opt->emerging_months > 0 &&
		    c->emerging_since != DATE_NONE) {
			o->met = 0;
			o->held = arena_printf(c->a, "already held with "
			    "Emerging status since %s, until %s: the full "
			    "requirements are what is owed",
			    datestr(c, c->emerging_since),
			    datestr(c, c->emerging_until));
		}
		nmet += o->met;
	}
	res->unit = UNIT_OPTIONS;
	res->have = nmet * 100;
	res->need = 100;
	res->met = nmet > 0;
}

static void
eval_req(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	memset(res, 0, sizeof *res);
	res->req = r;
	res->id = r->id;
	switch (r->kind) {
	case KIND_HOURS:
		eval_hours(c, r, res);
		break;
	case KIND_YEARS:
		eval_years(c, r, res);
		break;
	case KIND_SUM:
	case KIND_COUNT:
		eval_sum_count(c, r, res);
		break;
	case KIND_DEGREE:
	case KIND_TRANSCRIPTS:
		eval_degree(c, r, res);
		break;
	case KIND_FACT:
		eval_fact(c, r, res);
		break;
	case KIND_REFERENCES:
		eval_references(c, r, res);
		break;
	case KIND_HOLDS:
		eval_holds(c, r, res);
		break;
	case KIND_ANY:
		eval_any(c, r, res);
		break;
	}
}

int
check_eval(const struct ruleset *rs, const struct category *cat,
    const struct portfolio *p, struct arena *a, struct check_result *out)
{
	struct ctx	 c;
	int		 i, j, n, ok, skip, full;

	ctx_init(&c, rs, p, a);
	memset(out, 0, sizeof *out);
	out->rs = rs;
	out->cat = cat;
	out->as_of = p->as_of;
	c.emerging_since = c.emerging_until = DATE_NONE;
	for (i = 0; cat->emerging && i < p->n_endorsements; i++) {
		const struct held *h = &p->endorsements[i];
		if (h->emerging_until != DATE_NONE &&
		    strcmp(h->association, rs->id) == 0 &&
		    strcmp(h->category, cat->code) == 0) {
			c.emerging_since = h->since;
			c.emerging_until = h->emerging_until;
		}
	}
	out->reqs = arena_alloc(a, (size_t)cat->nreqs * sizeof *out->reqs);
	/* 'only-if emerging': owed by a holder of Emerging status only; for
	   anyone else it is not part of the checklist. */
	skip = cat->emerging && c.emerging_since == DATE_NONE;
	for (i = 0, n = 0, ok = 1; i < cat->nreqs; i++) {
		if (skip && cat->reqs[i].only_emerging)
			continue;
		eval_req(&c, &cat->reqs[i], &out->reqs[n]);
		ok &= out->reqs[n].met;
		n++;
	}
	out->nreqs = n;
	out->eligible = ok;
	out->with = ok ? c.with : NULL;
	out->advice = arena_alloc(a, (size_t)(cat->nadvice + 1) *
	    sizeof *out->advice);
	out->nadvice = cat->nadvice;
	for (i = 0; i < cat->nadvice; i++)
		eval_req(&c, &cat->advice[i], &out->advice[i]);

	/*
	 * Emerging status: eligible, but every 'any' that holds is met only
	 * through an emerging option.  The deadline is the longest.
	 */
	if (out->eligible) {
		for (i = 0; i < out->nreqs; i++) {
			const struct req_result *rr = &out->reqs[i];
			if (rr->nopts == 0)
				continue;
			full = 0;
			for (j = 0; j < rr->nopts; j++)
				if (rr->opts[j].met &&
				    rr->opts[j].opt->emerging_months == 0)
					full = 1;
			if (full)
				continue;
			for (j = 0; j < rr->nopts; j++) {
				int32_t dl;
				if (!rr->opts[j].met)
					continue;
				out->emerging = 1;
				dl = date_add_months(p->as_of,
				    rr->opts[j].opt->emerging_months);
				if (dl > out->deadline)
					out->deadline = dl;
			}
		}
	}
	return out->eligible;
}
