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
#include "eval-int.h"
#include "banned.h"

const char *const unit_names[UNIT__N] = {
	"hours", "years", "families", "entries", "references", "level",
	"fact", "options",
};

/* A date as people in the US write it ("March 5, 2027"), in the arena,
   for explanations that outlive the call: people read them (issue 16). */
static const char *
datestr(struct ctx *c, int32_t d)
{
	char	 s[DATE_US_MAX];

	if (d != c->as_of)
		return arena_strdup(c->a, date_us(d, s, sizeof s));
	/* as_of is most of them, several per checklist: worded once. */
	if (c->as_of_us == NULL)
		c->as_of_us = arena_strdup(c->a, date_us(d, s, sizeof s));
	return c->as_of_us;
}

/* A code list in words (explain.c's wording), for an explanation. */
static const char *
codes_words(struct ctx *c, const struct codes *codes)
{
	char	 buf[EXPLAIN_MAX];

	return arena_strdup(c->a, explain_codes(codes, buf, sizeof buf));
}

/* s then t, in the arena: arena_printf("%s%s") without the printf. */
static char *
concat(struct arena *a, const char *s, const char *t)
{
	size_t	 ns = strlen(s), nt = strlen(t);
	char	*p = arena_alloc_raw(a, ns + nt + 1);

	memcpy(p, s, ns);
	memcpy(p + ns, t, nt + 1);
	return p;
}

/* List an entry that did not count; the caller fills in the facts. */
struct excluded *
result_exclude_why(struct arena *a, struct req_result *res, const char *what,
    int index, int why)
{
	struct excluded	*nv, *e;

	if ((res->nex & 15) == 0) {
		nv = arena_alloc_raw(a, (size_t)(res->nex + 16) *
		    sizeof *nv);
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

/* result_exclude() in the evaluation's arena: the common case, shorter. */
static void
exclude(struct ctx *c, struct req_result *res, const char *what, int index,
    const char *why)
{
	result_exclude(c->a, res, what, index, why);
}

/*
 * Education: the highest degree conferred by as_of, or (transcripts) an
 * official transcript for a degree at the level.
 */
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

/*
 * A membership period covering as_of, and whether it counts: a rejected
 * one never does; a recorded one unless the rule set's membership block
 * says 'membership counts confirmed'.  The line says which status the
 * counting period has ("yes (confirmed)"); a covering one that does not
 * count is listed as not counted, with why.
 */
static void
eval_membership(struct ctx *c, const struct requirement *r,
    struct req_result *res)
{
	const struct portfolio	*p = c->p;
	const struct member	*m;
	const char		*text = r->text != NULL ? r->text :
				    "active membership";
	int			 i, best = -1, covered = 0;

	for (i = 0; i < p->n_membership; i++) {
		m = &p->membership[i];
		if (m->start > c->as_of || (m->end != DATE_NONE &&
		    m->end < c->as_of))
			continue;
		covered = 1;
		if (m->status == MEMBER_REJECTED)
			exclude(c, res, "membership", i, arena_printf(c->a,
			    "rejected by the association%s%s",
			    m->reason != NULL ? ": " : "",
			    m->reason != NULL ? m->reason : ""));
		else if (m->status == MEMBER_RECORDED &&
		    c->rs->membership.confirmed)
			exclude(c, res, "membership", i, "recorded, not yet "
			    "confirmed by the association");
		else if (best < 0 || m->status == MEMBER_CONFIRMED)
			best = i;
	}
	res->unit = UNIT_FACT;
	res->met = best >= 0;
	res->have = res->met ? 100 : 0;
	res->need = 100;
	if (res->met)	/* every applicant's: no printf on this path */
		res->explain = concat(c->a, text,
		    p->membership[best].status == MEMBER_CONFIRMED ?
		    ": yes (confirmed)" : ": yes (recorded)");
	else if (covered)
		res->explain = arena_printf(c->a, "%s: no membership the "
		    "association %s covers %s", text,
		    c->rs->membership.confirmed ? "confirmed" : "accepts",
		    datestr(c, c->as_of));
	else
		res->explain = arena_printf(c->a, "%s: no membership "
		    "period covers %s", text, datestr(c, c->as_of));
}

/*
 * The yes/no facts: membership covering as_of, the Code of Ethics signed,
 * the latest exam passed; each says why when not.
 */
static void
eval_fact(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	const struct portfolio	*p = c->p;
	int			 i, ok = 0, latest = -1;

	switch (r->fact) {
	case FACT_MEMBERSHIP:
		eval_membership(c, r, res);
		return;
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
	int			 verified;	/* codes count when verified */
	int			 owner[MAX_REFS];	/* slot, or -1 */
	int			 seen[MAX_REFS];
	int			 banned_ref, banned_slot;
};

/* Whether a rater holds one of want: declared codes count unless the
   requirement counts only those verified in the registry. */
static int
rater_holds(const struct reference *r, const struct codes *want,
    int verified)
{
	return codes_meet(&r->endorsements, want) && (!verified ||
	    r->verified);
}

/*
 * Whether a reference may fill a slot: completed, a relationship the slot
 * allows, the endorsements it asks, and not the one set aside for this try.
 */
static int
usable(const struct match *m, int ref, int slot)
{
	const struct reference	*r = &m->p->references[ref];

	return ref != m->banned_ref && r->status == REFST_COMPLETED &&
	    (m->slots[slot] & (1u << r->relationship)) &&
	    (m->codes == NULL || m->codes[slot].n == 0 ||
	    rater_holds(r, &m->codes[slot], m->verified));
}

/*
 * Kuhn's augmenting path from a slot: a free usable reference, or one whose
 * slot can move to another; 1 when found.
 */
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

/*
 * The size of a maximum matching of the slots (but the banned one) to
 * references.
 */
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

/*
 * References: the first pattern whose slots can all be filled, with an
 * endorsed rater where asked; ratings that cannot count are listed with
 * why.
 */
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
	m.verified = r->f.verified;
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
			if (!rater_holds(&p->references[i], &r->endorsed,
			    r->f.verified))
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
				    "fills none of the slots still open%s",
				    vocab_relationship.names[
				    p->references[i].relationship],
				    r->f.verified && !p->references[i].verified &&
				    p->references[i].endorsements.n > 0 ?
				    " (the rater's endorsements are declared, "
				    "not verified in the registry)" : ""));
	}
	res->unit = UNIT_REFERENCES;
	res->have = best * 100;
	res->need = r->nslots * 100;
	res->met = ok;
	if (!ok && slots_ok)
		res->explain = arena_printf(c->a, "%d of %d completed ratings "
		    "in the required roles, but none of the raters holds %s%s",
		    r->nslots, r->nslots, codes_words(c, &r->endorsed),
		    r->f.verified ? " verified in the registry (declared "
		    "codes do not count here)" : "");
}

/*
 * A prerequisite endorsement held by as_of, or (or-pending) an open
 * application for one, the two then decided together.
 */
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

/*
 * Alternatives: every option evaluated in full so the checklist shows them
 * all; met when one is.
 */
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

/*
 * One requirement by its kind; the result starts zeroed so each kind fills
 * in only what it has.
 */
static void
eval_req(struct ctx *c, const struct requirement *r, struct req_result *res)
{
	memset(res, 0, sizeof *res);
	res->req = r;
	res->id = r->id;
	switch (r->kind) {
	case KIND_HOURS:
		ev_hours(c, r, res);
		break;
	case KIND_YEARS:
		ev_years(c, r, res);
		break;
	case KIND_SUM:
	case KIND_COUNT:
		ev_sum_count(c, r, res);
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

/*
 * The entry point (endorse.h): every requirement and advice line of the
 * category, eligibility, and Emerging status with its deadline.
 */
int
check_eval(const struct ruleset *rs, const struct category *cat,
    const struct portfolio *p, struct arena *a, struct check_result *out)
{
	struct ctx	 c;
	int		 i, j, n, ok, skip, full;

	ev_ctx_init(&c, rs, p, a);
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
