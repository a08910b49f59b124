/*
 * The endorsee's pages: each endorsement's renewal for the current
 * cycle (lifecycle.c, by the engine of `endorse renewal`), attestation,
 * inactive status and reinstatement, and their API.  The log and its
 * evidence are page-log.c's, the coordinator's pages page-audit.c's;
 * every write is the domain's (dom-renewal.c, dom-audit.c).
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "page-renew.h"
#include "banned.h"

/* The renewal statuses as the endorsee and the coordinator read them. */
const char *
renew_words(enum renewal_status s)
{
	switch (s) {
	case RENEWAL_NONE:
		return "not renewed yet";
	case RENEWAL_ATTESTED:
		return "renewed (attested)";
	case RENEWAL_AUDIT:
		return "attested, drawn for audit: evidence asked for";
	case RENEWAL_CURE:
		return "audit failed: to be put right";
	case RENEWAL_RENEWED:
		return "renewed";
	case RENEWAL_LAPSED:
		return "not renewed: lapsed";
	default:
		return "?";
	}
}

/* The caller's own endorsement, or 404 (never saying whose it is). */
static int
endo_mine(struct req *r, int64_t id, struct dom_endo *e)
{
	if (dom_endo_get(&r->arena, id, e) != 0 ||
	    e->account != r->user.id) {
		view_error(r, 404, "there is no such endorsement of yours");
		return -1;
	}
	return 0;
}

/* Only an endorsee of the association keeps a log in it. */
int
renew_holds_in(struct req *r, const char *assoc)
{
	char	*assocs[16];
	int	 n, i;

	n = dom_held_assocs(&r->arena, r->user.id, assocs, 16);
	for (i = 0; i < n; i++)
		if (strcmp(assocs[i], assoc) == 0)
			return 1;
	return 0;
}

struct page_ctx {
	struct req	*r;
	json_t		*list;		/* the endorsements' views */
	json_t		*summaries[2];	/* training, rsc_received by index */
	const struct ruleset *rs;
	int		 in_window, closed;
	/* Endorsements whose audit failed: judged again afterwards on the
	   entries the coordinator accepted (audited_views). */
	int64_t		 cure_renewal[16];
	json_t		*cure_view[16];
	int		 ncure;
	const struct renew_form *form;	/* a failed form, or NULL */
};

/* An endorsement judged on the accepted entries of its audit: the verdict
   and checklist shown in place of the one on the whole log. */
struct audited_ctx {
	int64_t		 endorsement;
	json_t		*o;
};

static void
audited_item(void *arg, const struct life_item *it)
{
	struct audited_ctx	*ac = arg;
	json_t			*res, *rq;
	size_t			 i;

	if (it->id != ac->endorsement || !it->ok)
		return;
	res = view_checklist(report_renewal_object(&it->res));
	/* Indexes of the audited entries, not of the log: left out. */
	json_array_foreach(json_object_get(res, "requirements"), i, rq) {
		json_object_set_new(rq, "excluded", json_array());
		json_object_set_new(rq, "n_excluded", json_integer(0));
	}
	json_object_set_new(ac->o, "renewal", res);
	json_object_set_new(ac->o, "met", json_boolean(it->res.met));
	json_object_set_new(ac->o, "audited", json_true());
}

static void
audited_views(struct page_ctx *c, const char *assoc, int cycle,
    int32_t today)
{
	struct audited_ctx	 ac;
	int			 i;

	for (i = 0; i < c->ncure; i++) {
		ac.o = c->cure_view[i];
		ac.endorsement = json_integer_value(json_object_get(ac.o,
		    "id"));
		life_scan(assoc, c->r->user.id, cycle, today, DATE_NONE,
		    c->cure_renewal[i], audited_item, &ac);
	}
}

/* "training[3]" -> the entry's summary, so a reason names the entry. */
static void
label_excluded(struct page_ctx *c, json_t *reqs)
{
	json_t		*rq, *ex, *s;
	size_t		 i, j;
	const char	*name;
	long		 k;

	json_array_foreach(reqs, i, rq) {
		json_array_foreach(json_object_get(rq, "excluded"), j, ex) {
			name = json_string_value(json_object_get(ex, "entry"));
			if (name == NULL)
				continue;
			if (strncmp(name, "training[", 9) == 0) {
				k = strtol(name + 9, NULL, 10);
				s = json_array_get(c->summaries[0], (size_t)k);
			} else if (strncmp(name, "rsc_received[", 13) == 0) {
				k = strtol(name + 13, NULL, 10);
				s = json_array_get(c->summaries[1], (size_t)k);
			} else
				s = NULL;
			if (s != NULL)
				json_object_set(ex, "entry", s);
		}
	}
}

/* The attestation form as it was sent: the boxes ticked stay ticked, each
   missing one says why beside it. */
static void
attest_again(json_t *o, const struct renew_form *f)
{
	static const char *const ticked[3] = { "hours_ticked",
	    "ethics_ticked", "membership_ticked" };
	static const char *const error[3] = { "hours_error", "ethics_error",
	    "membership_error" };
	int	 i;

	for (i = 0; i < 3; i++) {
		if (f->ticked[i])
			json_object_set_new(o, ticked[i], json_true());
		if (f->why[i] != NULL)
			json_object_set_new(o, error[i],
			    json_string(view_words(f->why[i])));
	}
}

/* One endorsement of the renewal page: its judgement, what it may do. */
static void
page_item(void *arg, const struct life_item *it)
{
	struct page_ctx			*c = arg;
	const struct renewal_policy	*rp = &c->rs->renewal;
	json_t				*o, *res = NULL;
	enum endorsement_status		 state = it->state;
	enum renewal_status		 rstate = it->rstate;
	int				 active, none;

	active = state == ENDORSEMENT_ACTIVE;
	none = rstate == RENEWAL_NONE;
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:b, s:s, s:s?}",
	    "id", (json_int_t)it->id, "number", it->number, "category",
	    it->category, "title", web_category_title(c->rs->id, it->category),
	    "status",
	    db_enum_word(endorsement_status, it->state), "emerging_until", it->emerging_until,
	    "active", active, "rwords", renew_words(rstate), "cure_by",
	    it->cure_by);
	view_us_dates(o, "cure_by");
	view_us_dates(o, "emerging_until");
	if (it->ok) {
		res = view_checklist(report_renewal_object(&it->res));
		label_excluded(c, json_object_get(res, "requirements"));
		json_object_set_new(o, "renewal", res);
		json_object_set_new(o, "required",
		    json_boolean(it->res.required));
		json_object_set_new(o, "met", json_boolean(it->res.met));
		json_object_set_new(o, "years",
		    json_integer(it->res.years));
	} else
		json_object_set_new(o, "problem", json_string(it->cause));
	json_object_set_new(o, "can_attest", json_boolean(active && it->ok &&
	    it->res.required && none && c->in_window && !c->closed));
	json_object_set_new(o, "attest_blocked", json_boolean(active &&
	    it->ok && it->res.required && !it->res.met && none &&
	    c->in_window && !c->closed));
	if (it->renewal != 0 && (rstate == RENEWAL_AUDIT ||
	    rstate == RENEWAL_CURE)) {
		json_object_set_new(o, "audit", json_true());
		json_object_set_new(o, "items", dom_audit_items(it->renewal));
	}
	if (it->renewal != 0 && rstate == RENEWAL_CURE && c->ncure < 16) {
		c->cure_renewal[c->ncure] = it->renewal;
		c->cure_view[c->ncure++] = o;
		json_object_set_new(o, "cure", json_true());
	}
	if (c->form != NULL && c->form->endo == it->id)
		attest_again(o, c->form);
	json_object_set_new(o, "can_inactive", json_boolean(active &&
	    rp->inactive));
	if (!active && state != ENDORSEMENT_REVOKED &&
	    state != ENDORSEMENT_SUSPENDED &&
	    rp->reinstate_months > 0) {
		json_object_set_new(o, "can_reinstate", json_true());
		json_object_set_new(o, "reinstate_fee",
		    json_integer(rp->reinstate_fee));
	}
	json_array_append_new(c->list, o);
}

/* Every association the caller holds endorsements of: its window, its
   log and each endorsement judged for the current cycle. */
void
renew_page(struct req *r, int status, const char *problem)
{
	struct renew_form	 f;

	memset(&f, 0, sizeof f);
	if (problem != NULL)
		f.problem = problem;
	renew_page_form(r, status, &f);
}

/* The evidence upload that failed: its words beside its input. */
static void
entry_again(json_t *entries, const struct renew_form *f)
{
	json_t	*e;
	size_t	 i;

	json_array_foreach(entries, i, e)
		if (json_integer_value(json_object_get(e, "id")) == f->entry)
			json_object_set_new(e, "file_error",
			    json_string(view_words(f->entry_error)));
}

void
renew_page_form(struct req *r, int status, struct renew_form *f)
{
	json_t		*v = json_object(), *groups = json_array(), *g;
	char		*assocs[16], od[DATE_US_MAX], cd[DATE_US_MAX];
	int		 n = 0, i, cycle;
	int32_t		 today = web_today(), open, close;
	struct page_ctx	 c;

	n = dom_held_assocs(&r->arena, r->user.id, assocs, 16);
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof c);
		c.r = r;
		c.form = f;
		if ((c.rs = web_rules(assocs[i])) == NULL ||
		    !c.rs->renewal.defined)
			continue;
		cycle = life_cycle(c.rs, today);
		life_window(c.rs, cycle, &open, &close);
		date_us(open, od, sizeof od);
		date_us(close, cd, sizeof cd);
		c.closed = life_closed(assocs[i], cycle, NULL);
		c.in_window = today >= open && today <= close;
		c.list = json_array();
		g = json_pack("{s:s, s:s, s:i, s:s, s:s, s:b, s:b, s:b}",
		    "assoc", assocs[i], "association",
		    web_assoc_name(assocs[i]), "cycle", cycle, "open", od,
		    "close", cd, "in_window", c.in_window, "closed", c.closed,
		    "before", today < open);
		json_object_set_new(g, "entries", dom_log_entries(r->user.id,
		    assocs[i], c.summaries));
		if (f->entry != 0)
			entry_again(json_object_get(g, "entries"), f);
		life_scan(assocs[i], r->user.id, cycle, today, DATE_NONE, 0,
		    page_item, &c);
		audited_views(&c, assocs[i], cycle, today);
		json_object_set_new(g, "endorsements", c.list);
		json_decref(c.summaries[0]);
		json_decref(c.summaries[1]);
		json_array_append_new(groups, g);
	}
	json_object_set_new(v, "groups", groups);
	json_object_set_new(v, "n_groups", json_integer(
	    (json_int_t)json_array_size(groups)));
	if (f->problem != NULL)
		json_object_set_new(v, "problem",
		    json_string(view_words(f->problem)));
	if (f->problems != NULL) {
		json_object_set_new(v, "n_form_errors", json_integer(
		    (json_int_t)json_array_size(f->problems)));
		json_object_set_new(v, "form_errors", f->problems);
		f->problems = NULL;
	}
	view_page(r, status, "renew/renewal", "Renewal", v);
}

/* GET /renewal. */
void
page_renewal(struct req *r)
{
	renew_page(r, 200, NULL);
}

/* A derr of the domain: on the renewal page when it is about the
   endorsement as a whole, else as an error page. */
static void
renew_derr(struct req *r, const struct derr *e)
{
	if (e->field != NULL && strcmp(e->field, DOM_RENEWAL_PAGE) == 0)
		renew_page(r, e->status, e->message);
	else
		view_derr(r, e);
}

/* The endorsee attests their renewal: the three boxes ticked, inside
   the open window; the domain judges and stores it. */
void
page_attest(struct req *r)
{
	static const struct {
		const char	*name, *why;
	} boxes[] = {
		{ "hours", "hours: confirm the training and RSC you logged" },
		{ "ethics", "ethics: re-agree to the Code of Ethics" },
		{ "membership", "membership: confirm your membership is "
		    "active" },
	};
	const struct ruleset	*rs;
	struct dom_endo		 e;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	struct renew_form	 f;
	char			 od[DATE_US_MAX], cd[DATE_US_MAX];
	int			 cycle, i, closed;
	int32_t			 today = web_today(), open, close;

	if (endo_mine(r, r->id, &e) != 0)
		return;
	if ((rs = web_rules(e.assoc)) == NULL || !rs->renewal.defined) {
		view_error(r, 409, "this association has no renewal rules");
		return;
	}
	if (e.status != ENDORSEMENT_ACTIVE) {
		view_error(r, 409, "only an active endorsement is renewed");
		return;
	}
	memset(&f, 0, sizeof f);
	f.endo = e.id;
	f.problems = json_array();
	for (i = 0; i < 3; i++) {
		f.ticked[i] = req_form(r, boxes[i].name) != NULL &&
		    strcmp(req_form(r, boxes[i].name), "yes") == 0;
		if (f.ticked[i])
			continue;
		f.why[i] = boxes[i].why;
		json_array_append_new(f.problems, view_problem(arena_printf(
		    &r->arena, "%s-%lld", boxes[i].name, (long long)e.id),
		    e.number, boxes[i].why));
	}
	if (json_array_size(f.problems) > 0) {
		renew_page_form(r, 400, &f);
		return;
	}
	json_decref(f.problems);
	cycle = life_cycle(rs, today);
	life_window(rs, cycle, &open, &close);
	date_us(open, od, sizeof od);
	date_us(close, cd, sizeof cd);
	closed = life_closed(e.assoc, cycle, NULL);
	if (today < open || today > close || closed) {
		view_error(r, 409, arena_printf(&r->arena, "the %d renewal "
		    "window is %s (%s to %s)", cycle, closed ? "closed" :
		    today < open ? "not open yet" : "over", od, cd));
		return;
	}
	if (dom_attest(&who, &r->arena, &e, cycle, today, &err) != 0) {
		renew_derr(r, &err);
		return;
	}
	reply_redirect(r, "/renewal");
}

/* An active endorsement becomes inactive, where the rules offer it. */
void
page_inactive(struct req *r)
{
	const struct ruleset	*rs;
	struct dom_endo		 e;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	char			 today[11];

	if (endo_mine(r, r->id, &e) != 0)
		return;
	rs = web_rules(e.assoc);
	if (rs == NULL || !rs->renewal.inactive) {
		view_error(r, 409, arena_printf(&r->arena, "%s does not offer "
		    "inactive status", web_assoc_name(e.assoc)));
		return;
	}
	if (e.status != ENDORSEMENT_ACTIVE) {
		view_error(r, 409, "only an active endorsement can become "
		    "inactive");
		return;
	}
	if (req_form(r, "confirm") == NULL ||
	    strcmp(req_form(r, "confirm"), "yes") != 0) {
		renew_page(r, 400, "confirm: tick the box "
		    "to confirm you want inactive status");
		return;
	}
	date_format(web_today(), today);
	if (dom_inactive(&who, &r->arena, &e, today, &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/renewal");
}

/* A lapsed endorsement is reinstated within the rule set's months, its
   lapsed cycle made up: its requirements, with hours logged since its
   end counting too.  0, or the answer was sent. */
static int
reinstate_made_up(struct req *r, const struct ruleset *rs,
    const struct dom_endo *e)
{
	char		*short_by = NULL;
	int32_t		 changed, today = web_today();
	int		 cycle, met;

	if (e->changed == NULL || date_parse(e->changed, &changed) != 0 ||
	    date_add_months(changed, rs->renewal.reinstate_months) <
	    today) {
		view_error(r, 409, arena_printf(&r->arena, "%s lapsed "
		    "more than %d months ago: apply again",
		    e->number, rs->renewal.reinstate_months));
		return -1;
	}
	cycle = dom_lapsed_cycle(e->id);
	met = cycle == 0 ? 1 : life_judge(e->assoc, r->user.id, e->id, cycle,
	    today, today, 0, &r->arena, &short_by);
	if (met <= 0) {
		renew_page(r, 409, met < 0 ?
		    "this endorsement cannot be judged" :
		    arena_printf(&r->arena, "to reinstate %s, the %d "
		    "renewal must be made up first: %s", e->number,
		    cycle, short_by));
		return -1;
	}
	return 0;
}

/* A lapsed or inactive endorsement asked back, within the rules. */
void
page_reinstate(struct req *r)
{
	const struct ruleset	*rs;
	struct dom_endo		 e;
	struct actor		 who = req_actor(r);
	struct derr		 err;

	if (endo_mine(r, r->id, &e) != 0)
		return;
	rs = web_rules(e.assoc);
	if (rs == NULL || rs->renewal.reinstate_months == 0) {
		view_error(r, 409, arena_printf(&r->arena, "%s does not "
		    "reinstate endorsements: apply again",
		    web_assoc_name(e.assoc)));
		return;
	}
	if (e.status != ENDORSEMENT_LAPSED &&
	    e.status != ENDORSEMENT_INACTIVE) {
		view_error(r, 409, "only a lapsed or inactive endorsement is "
		    "reinstated");
		return;
	}
	if (dom_reinstate_last(e.id) == REINSTATE_REQUESTED) {
		view_error(r, 409, "reinstatement is already asked for");
		return;
	}
	if (e.status == ENDORSEMENT_LAPSED &&
	    reinstate_made_up(r, rs, &e) != 0)
		return;
	if (dom_reinstate_request(&who, &r->arena, &e,
	    rs->renewal.reinstate_fee, &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/renewal");
}

/* The portfolio a renewal is judged on, as a download. */
void
page_renewal_export(struct req *r)
{
	struct dom_endo	 e;
	json_t		*doc;

	if (endo_mine(r, r->id, &e) != 0)
		return;
	if ((doc = life_portfolio(e.id, web_today())) == NULL) {
		view_error(r, 404, "there is no such endorsement of yours");
		return;
	}
	reply_header(r, "Content-Disposition", "attachment");
	reply_json(r, 200, doc);
}

/* ------------------------------------------------------------ the API */

struct api_ctx {
	json_t		*list;
};

/* One endorsement of the API's answer. */
static void
api_item(void *arg, const struct life_item *it)
{
	struct api_ctx	*c = arg;
	json_t		*o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?}", "id",
	    (json_int_t)it->id, "number", it->number, "category",
	    it->category, "status",
	    db_enum_word(endorsement_status, it->state), "renewal_status",
	    db_enum_word(renewal_status, it->rstate),
	    "emerging_until", it->emerging_until);
	if (it->ok)
		json_object_set_new(o, "renewal",
		    report_renewal_object(&it->res));
	else
		json_object_set_new(o, "problem", json_string(it->cause));
	json_array_append_new(c->list, o);
}

/* GET /api/v1/renewal: every endorsement of the caller judged for its
   association's current cycle (or ?cycle=YEAR), as endorse-renewal/1. */
void
api_renewal(struct req *r)
{
	struct api_ctx		 c;
	char			*assocs[16], *end;
	const char		*q = req_query(r, "cycle");
	const struct ruleset	*rs;
	int			 n = 0, i, cycle;
	long			 y = 0;

	if (q != NULL) {
		y = strtol(q, &end, 10);
		if (*end != '\0' || y < 1900 || y > 2199) {
			reply_error_json(r, 400, "cycle", "'%s' is not a year",
			    q);
			return;
		}
	}
	c.list = json_array();
	n = dom_held_assocs(&r->arena, r->user.id, assocs, 16);
	for (i = 0; i < n; i++) {
		if ((rs = web_rules(assocs[i])) == NULL ||
		    !rs->renewal.defined)
			continue;
		cycle = y != 0 ? (int)y : life_cycle(rs, web_today());
		if (life_cycle(rs, date_from_ymd(cycle, 1, 1)) != cycle) {
			json_decref(c.list);
			reply_error_json(r, 400, "cycle", "%d is not a renewal "
			    "year of %s", cycle, assocs[i]);
			return;
		}
		life_scan(assocs[i], r->user.id, cycle, web_today(),
		    DATE_NONE, 0, api_item, &c);
	}
	reply_json(r, 200, json_pack("{s:o}", "endorsements", c.list));
}

/* GET /api/v1/endorsements/ID/portfolio: what its renewal is judged on. */
void
api_endorsement_portfolio(struct req *r)
{
	struct dom_endo	 e;
	json_t		*doc;

	if (dom_endo_get(&r->arena, r->id, &e) != 0 ||
	    e.account != r->user.id ||
	    (doc = life_portfolio(e.id, web_today())) == NULL) {
		reply_error_json(r, 404, NULL, "there is no such endorsement "
		    "of yours");
		return;
	}
	reply_json(r, 200, doc);
}
