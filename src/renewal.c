/*
 * Renewal of an endorsement for one cycle (portfolio.md, `endorse
 * renewal`).  The cycle, the proration table and the caps come from the
 * rule set's renewal block; which parts apply to a category from its
 * 'renew' lines.  Pure, like check_eval().
 */
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "banned.h"

struct rctx {
	const struct portfolio	*p;
	struct arena		*a;
	int32_t			 from, to;	/* hours count in [from, to] */
	/* The cycle's days as people read them ("March 5, 2027"). */
	char			 from_s[DATE_US_MAX], to_s[DATE_US_MAX];
	const char		*after, *before;	/* made when first needed */
};

static char *
hrs(struct arena *a, centi v)
{
	char	 tmp[32];

	centi_format(v, tmp, sizeof tmp);
	return arena_strdup(a, tmp);
}

static void
excl(struct rctx *c, struct req_result *res, const char *what, int i,
    const char *why)
{
	result_exclude(c->a, res, what, i, why);
}

static const char *
outside(struct rctx *c, int32_t d)
{
	/* One sentence each per evaluation, however many entries. */
	if (d > c->to)
		return c->after != NULL ? c->after : (c->after =
		    arena_printf(c->a, "dated after %s", c->to_s));
	if (d < c->from)
		return c->before != NULL ? c->before : (c->before =
		    arena_printf(c->a, "dated before %s (the cycle or the "
		    "endorsement had not begun)", c->from_s));
	return NULL;
}

static int
holds_any(const struct portfolio *p, const struct codes *codes, int32_t by)
{
	int	 i, j;

	for (i = 0; i < p->n_endorsements; i++) {
		if (p->endorsements[i].since > by)
			continue;
		for (j = 0; j < codes->n; j++)
			if (strcmp(p->endorsements[i].category,
			    codes->v[j]) == 0)
				return 1;
	}
	return 0;
}

static int
by_date(const void *a, const void *b)
{
	const struct training *const *x = a, *const *y = b;

	return ((*x)->date > (*y)->date) - ((*x)->date < (*y)->date);
}

/*
 * Renewal training: attended hours count in full; hours the endorsee
 * provided count up to cap_provided_pct of the need, volunteer hours up to
 * cap_volunteer.  Entries past a cap are listed with the cap.
 */
static void
renew_training(struct rctx *c, const struct renewal_policy *rp,
    unsigned topic, struct req_result *res)
{
	const struct portfolio	*p = c->p;
	const struct training	**prov;
	centi			 att = 0, pv = 0, vol = 0, cap_p, cap_v;
	centi			 used_p = 0, used_v = 0, take;
	int			 i, n = 0, idx;
	const char		*why;

	prov = arena_alloc(c->a, (size_t)(p->n_training + 1) * sizeof *prov);
	for (i = 0; i < p->n_training; i++) {
		const struct training *t = &p->training[i];
		if ((why = outside(c, t->date)) != NULL) {
			excl(c, res, "training", i, why);
			continue;
		}
		/* Seed 000: "12 training hours received per year". */
		if (rp->attended_only && t->role != ROLE_ATTENDED) {
			excl(c, res, "training", i, t->role == ROLE_PROVIDED ?
			    "training the endorsee provided to others: only "
			    "training received counts" : "volunteer work: "
			    "only training received counts");
			continue;
		}
		if (topic != 0 && !(t->topics & topic)) {
			excl(c, res, "training", i, topic == TOPIC_DEI ?
			    "not tagged dei (diversity, equity and "
			    "inclusion)" : "not tagged rsc_provision (on "
			    "providing RSC)");
			continue;
		}
		if (t->role == ROLE_ATTENDED)
			att += t->hours;
		else
			prov[n++] = t;
	}
	/* Caps apply in date order, so the earliest hours count first. */
	qsort(prov, (size_t)n, sizeof *prov, by_date);
	cap_p = rp->cap_provided_pct < 0 ? -1 :
	    res->need * rp->cap_provided_pct / 100;
	cap_v = rp->cap_volunteer;
	for (i = 0; i < n; i++) {
		const struct training *t = prov[i];
		centi *used = t->role == ROLE_PROVIDED ? &used_p : &used_v;
		centi cap = t->role == ROLE_PROVIDED ? cap_p : cap_v;

		idx = (int)(t - p->training);
		take = t->hours;
		if (cap >= 0 && *used + take > cap)
			take = cap - *used;
		*used += take;
		if (t->role == ROLE_PROVIDED)
			pv += take;
		else
			vol += take;
		if (take < t->hours)
			excl(c, res, "training", idx, arena_printf(c->a,
			    "%s of %s hours count: %s hours are capped at %s",
			    hrs(c->a, take), hrs(c->a, t->hours),
			    t->role == ROLE_PROVIDED ? "provided training" :
			    "volunteer", t->role == ROLE_PROVIDED ?
			    arena_printf(c->a, "%d%% of the %s needed "
			    "(%s)", rp->cap_provided_pct, hrs(c->a,
			    res->need), hrs(c->a, cap)) : hrs(c->a, cap)));
	}
	res->have = att + pv + vol;
	res->met = res->have >= res->need;
}

static void
renew_rsc(struct rctx *c, const struct renew *rn, struct req_result *res)
{
	const struct portfolio	*p = c->p;
	const char		*why;
	int			 i;

	res->have = 0;
	for (i = 0; i < p->n_rsc_received; i++) {
		const struct rsc_received *s = &p->rsc_received[i];
		int32_t end = s->p.end == DATE_NONE ? p->as_of : s->p.end;
		centi part = s->hours;

		/* An entry spanning the counted days' bounds (the cycle's,
		   the endorsement's start, the evaluation date) counts the
		   share of its hours on the days inside them, pro rata by
		   days, truncated to hundredths. */
		if (s->p.start <= c->to && end >= c->from &&
		    (s->p.start < c->from || end > c->to) && end >= s->p.start) {
			int32_t lo = s->p.start > c->from ? s->p.start : c->from;
			int32_t hi = end < c->to ? end : c->to;
			long in = (long)hi - lo + 1, all = (long)end -
			    s->p.start + 1;
			part = (centi)((long long)s->hours * in / all);
		}
		why = end < c->from ? outside(c, end) : s->p.start > c->to ?
		    outside(c, s->p.start) : NULL;
		if (why != NULL)
			excl(c, res, "rsc_received", i, why);
		/* portfolio.md: peer groups never count. */
		else if (s->format == FMT_PEER)
			excl(c, res, "rsc_received", i, "peer supervision "
			    "does not count");
		else if (rn->focus != 0 && !(rn->focus & (1u << s->focus)))
			excl(c, res, "rsc_received", i, "about the "
			    "endorsee's own practice, not about the RSC they "
			    "provide");
		else if (rn->providers.n > 0 && !codes_meet(&s->provider,
		    &rn->providers))
			excl(c, res, "rsc_received", i, "the provider does not "
			    "hold a qualifying endorsement");
		else {
			res->have += part;
			if (part < s->hours)
				excl(c, res, "rsc_received", i, arena_printf(
				    c->a, "%s of %s hours count: the share of "
				    "its days from %s to %s", hrs(c->a, part),
				    hrs(c->a, s->hours), c->from_s, c->to_s));
		}
	}
	res->met = res->have >= res->need;
}

/* The first day after d on which a membership starts; DATE_NONE: none. */
static int32_t
next_start(const struct portfolio *p, int32_t d, int32_t to)
{
	int32_t	 n = DATE_NONE;
	int	 i;

	for (i = 0; i < p->n_membership; i++)
		if (p->membership[i].start > d && p->membership[i].start <= to &&
		    (n == DATE_NONE || p->membership[i].start < n))
			n = p->membership[i].start;
	return n;
}

/* The last day from d on that one run of memberships covers; d - 1: none. */
static int32_t
covered_to(const struct rctx *c, int32_t d)
{
	const struct portfolio	*p = c->p;
	int32_t			 best;
	int			 i, moved = 1;

	while (d <= c->to && moved) {
		moved = 0;
		best = d - 1;
		for (i = 0; i < p->n_membership; i++) {
			const struct member *m = &p->membership[i];
			int32_t e = m->end == DATE_NONE ? c->to : m->end;
			if (m->start <= d && e >= d && e > best)
				best = e;
		}
		if (best >= d) {
			d = best + 1;
			moved = 1;
		}
	}
	return d - 1;
}

/*
 * Membership must cover every day from the cycle's start to its check.
 * Terms run on the calendar year, so a gap that begins on January 1 and
 * ends within the rule set's grace ('membership grace N days', a setting)
 * is forgiven: a membership renewed a few days late in the new year.
 */
static void
renew_membership(struct rctx *c, int grace, struct req_result *res)
{
	int32_t		 d = c->from, next;
	int		 y, m, dd;
	char		 gap[DATE_US_MAX], nx[DATE_US_MAX], last[DATE_US_MAX];
	const char	*forgiven = NULL;

	for (;;) {
		d = covered_to(c, d) + 1;
		if (d > c->to)
			break;
		next = next_start(c->p, d, c->to);
		date_ymd(d, &y, &m, &dd);
		if (next == DATE_NONE || m != 1 || dd != 1 || next - d > grace)
			break;
		date_us(d, gap, sizeof gap);
		date_us(next - 1, last, sizeof last);
		forgiven = arena_printf(c->a, "%s%s%s to %s", forgiven != NULL ?
		    forgiven : "", forgiven != NULL ? ", " : "", gap, last);
		d = next;
	}
	res->met = d > c->to;
	res->have = res->met ? 100 : 0;
	res->need = 100;
	res->unit = UNIT_FACT;
	date_us(d, gap, sizeof gap);
	if (res->met) {
		res->explain = forgiven == NULL ? arena_printf(c->a, "active "
		    "membership from %s to %s: yes", c->from_s, c->to_s) :
		    arena_printf(c->a, "active membership from %s to %s: yes "
		    "(no membership covers %s, within the %d-day grace at the "
		    "start of a year)", c->from_s, c->to_s, forgiven, grace);
		return;
	}
	next = next_start(c->p, d, c->to);
	if (next == DATE_NONE) {
		res->explain = arena_printf(c->a, "active membership from %s "
		    "to %s: no membership covers %s: record the membership you "
		    "held on %s", c->from_s, c->to_s, gap, gap);
		return;
	}
	date_us(next, nx, sizeof nx);
	res->explain = arena_printf(c->a, "active membership from %s to %s: "
	    "no membership covers %s; the next starts %s, and renewal needs "
	    "one from %s (grace %d days at the start of a year): record the "
	    "membership you held on %s (a term bought ahead for a year "
	    "starts January 1)", c->from_s, c->to_s, gap, nx, gap, grace, gap);
}

int
renewal_eval(const struct ruleset *rs, const struct category *cat,
    const struct portfolio *p, int cycle, struct arena *a,
    struct renewal_result *out, char **cause)
{
	return renewal_eval_until(rs, cat, p, cycle, DATE_NONE, a, out, cause);
}

/* The same, with hours dated after the cycle's end up to until (when it
   is later) counted too: making up a lapsed cycle to be reinstated. */
int
renewal_eval_until(const struct ruleset *rs, const struct category *cat,
    const struct portfolio *p, int cycle, int32_t until, struct arena *a,
    struct renewal_result *out, char **cause)
{
	const struct renewal_policy	*rp = &rs->renewal;
	const struct prorate		*row = NULL;
	struct rctx			 c;
	int32_t				 last;
	int				 i, k, off;
	centi				 need;
	static const char *const what[RENEW__N] = {
		"hours of training",
		"hours of training on diversity, equity and inclusion",
		"hours of training on providing RSC",
		"hours of RSC received",
		"",
	};

	memset(out, 0, sizeof *out);
	out->rs = rs;
	out->cat = cat;
	out->cycle = cycle;
	if (!rp->defined || cat->nrenews == 0) {
		xasprintf(cause, "%s has no renewal rules for %s", rs->id,
		    cat->code);
		return -1;
	}
	off = ((cycle - rp->anchor) % rp->cycle_years + rp->cycle_years) %
	    rp->cycle_years;
	if (off != 0) {
		xasprintf(cause, "--cycle %d is not a renewal year for %s "
		    "(cycles end %d, %d, %d, ...)", cycle, rs->id,
		    cycle - off, cycle - off + rp->cycle_years,
		    cycle - off + 2 * rp->cycle_years);
		return -1;
	}
	for (i = 0; i < p->n_endorsements; i++)
		if (strcmp(p->endorsements[i].association, rs->id) == 0 &&
		    strcmp(p->endorsements[i].category, cat->code) == 0)
			break;
	if (i == p->n_endorsements) {
		xasprintf(cause, "endorsements: the portfolio holds no %s %s "
		    "endorsement to renew (its since date is needed)",
		    rs->id, cat->code);
		return -1;
	}
	out->since = p->endorsements[i].since;
	out->cycle_start = date_from_ymd(cycle - rp->cycle_years + 1, 1, 1);
	out->cycle_end = date_from_ymd(cycle, 12, 31);
	out->years = whole_years_between(out->since, out->cycle_end + 1);
	if (out->years > rp->cycle_years)
		out->years = rp->cycle_years;
	for (i = 0; i < rp->nrows; i++)
		if (rp->rows[i].years <= out->years &&
		    (row == NULL || rp->rows[i].years > row->years))
			row = &rp->rows[i];
	out->required = out->years >= 1 && row != NULL;
	out->met = 1;
	if (!out->required)
		return 0;

	memset(&c, 0, sizeof c);
	c.p = p;
	c.a = a;
	c.from = out->since > out->cycle_start ? out->since : out->cycle_start;
	last = until != DATE_NONE && until > out->cycle_end ? until :
	    out->cycle_end;
	c.to = p->as_of < last ? p->as_of : last;
	date_us(c.from, c.from_s, sizeof c.from_s);
	date_us(c.to, c.to_s, sizeof c.to_s);
	out->reqs = arena_alloc(a, (size_t)cat->nrenews * sizeof *out->reqs);
	for (k = 0; k < cat->nrenews; k++) {
		const struct renew *rn = &cat->renews[k];
		struct req_result *res = &out->reqs[out->nreqs];

		if (rn->if_holds.n > 0 && !holds_any(p, &rn->if_holds,
		    out->cycle_end))
			continue;
		memset(res, 0, sizeof *res);
		res->id = arena_printf(a, "renewal.%s", renew_ids[rn->id]);
		res->unit = UNIT_HOURS;
		if (rn->per_year > 0)
			need = rn->per_year * out->years;
		else if (rn->id == RENEW_TRAINING)
			need = row->need[0];
		else if (rn->id == RENEW_RSC_PROVISION)
			need = row->need[1];
		else if (rn->id == RENEW_RSC)
			need = row->need[2];
		else
			need = 0;
		res->need = need;
		switch (rn->id) {
		case RENEW_TRAINING:
			renew_training(&c, rp, 0, res);
			break;
		case RENEW_DEI:
			renew_training(&c, rp, TOPIC_DEI, res);
			break;
		case RENEW_RSC_PROVISION:
			renew_training(&c, rp, TOPIC_RSC_PROVISION, res);
			break;
		case RENEW_RSC:
			renew_rsc(&c, rn, res);
			break;
		case RENEW_MEMBERSHIP:
			renew_membership(&c, rp->member_grace, res);
			break;
		}
		if (res->explain == NULL)
			res->explain = c.from == c.to ? arena_printf(a,
			    "%s of %s %s on %s", hrs(a, res->have),
			    hrs(a, res->need), what[rn->id], c.from_s) :
			    arena_printf(a, "%s of %s %s from %s to %s",
			    hrs(a, res->have), hrs(a, res->need),
			    what[rn->id], c.from_s, c.to_s);
		out->met &= res->met;
		out->nreqs++;
	}
	return 0;
}
