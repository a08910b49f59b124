/*
 * The coordinator's renewal pages: who renewed and who has not, closing
 * the window, the audit draw and its decisions on each entry, and the
 * reinstatement requests.  The writes are the domain's (dom-audit.c).
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "page-renew.h"
#include "dom-notify.h"
#include "banned.h"

#define COORD_ROWS	1000

struct coord_ctx {
	json_t		*rows, *names;
	int		 n, required, renewed, audit, cure, lapsed, due;
	int		 inactive, shown;
	const char	*show;		/* "due", "all" */
};

/* One endorsement of the association: counted, and listed when shown. */
static void
coord_item(void *arg, const struct life_item *it)
{
	struct coord_ctx	*c = arg;
	enum renewal_status	 rstate = it->rstate;
	json_t			*who;
	char			 key[32];
	int			 renewed, due;

	c->n++;
	if (it->state == ENDORSEMENT_INACTIVE)
		c->inactive++;
	if (rstate == RENEWAL_LAPSED)
		c->lapsed++;
	if (!it->ok || !it->res.required)
		return;
	c->required++;
	renewed = rstate == RENEWAL_ATTESTED || rstate == RENEWAL_RENEWED;
	due = rstate == RENEWAL_NONE && it->state == ENDORSEMENT_ACTIVE;
	c->renewed += renewed;
	c->due += due;
	c->audit += rstate == RENEWAL_AUDIT;
	c->cure += rstate == RENEWAL_CURE;
	if (strcmp(c->show, "all") != 0 && !due)
		return;
	if (c->shown++ >= COORD_ROWS)
		return;
	snprintf(key, sizeof key, "%lld", (long long)it->account);
	who = json_object_get(c->names, key);
	json_array_append_new(c->rows, json_pack("{s:I, s:s, s:s, s:s, s:s, "
	    "s:s, s:b, s:s, s:I}", "id", (json_int_t)it->id, "number",
	    it->number, "category", it->category, "status",
	    db_enum_word(endorsement_status, it->state),
	    "name", who != NULL ? json_string_value(json_array_get(who, 0)) :
	    "", "email", who != NULL ? json_string_value(json_array_get(who,
	    1)) : "", "met", it->res.met, "rwords", renew_words(rstate),
	    "renewal", (json_int_t)it->renewal));
}

/* Who renewed and who has not in a cycle, the draw, the requests. */
void
page_coord_renewals(struct req *r)
{
	const char		*assoc = r->user.association, *q;
	const struct ruleset	*rs = web_rules(assoc);
	struct coord_ctx	 c;
	json_t			*v, *list, *draw;
	char			 od[DATE_US_MAX], cd[DATE_US_MAX], *end;
	int			 cycle, closed, lapsed = 0;
	int32_t			 today = web_today(), open, close;
	long			 y;

	if (rs == NULL || !rs->renewal.defined) {
		view_error(r, 404, "this association has no renewal rules");
		return;
	}
	cycle = life_cycle(rs, today);
	if ((q = req_query(r, "cycle")) != NULL) {
		y = strtol(q, &end, 10);
		if (*end != '\0' || y < 1900 || y > 2199 ||
		    life_cycle(rs, date_from_ymd((int)y, 1, 1)) != y) {
			view_error(r, 400, arena_printf(&r->arena, "'%s' is "
			    "not a renewal year of %s", q, assoc));
			return;
		}
		cycle = (int)y;
	}
	memset(&c, 0, sizeof c);
	c.show = (q = req_query(r, "show")) != NULL && strcmp(q, "all") ==
	    0 ? "all" : "due";
	c.rows = json_array();
	c.names = dom_endorsee_names(assoc);
	life_scan(assoc, 0, cycle, today, DATE_NONE, 0, coord_item, &c);
	json_decref(c.names);
	life_window(rs, cycle, &open, &close);
	date_us(open, od, sizeof od);
	date_us(close, cd, sizeof cd);
	closed = life_closed(assoc, cycle, &lapsed);
	draw = dom_draw_view(assoc, cycle);
	list = dom_reinstate_requests(assoc);
	v = json_pack("{s:s, s:i, s:s, s:s, s:b, s:i, s:i, s:i, s:i, s:i, "
	    "s:i, s:i, s:i, s:i, s:o, s:b, s:o, s:i, s:b, s:b}",
	    "association", web_assoc_name(assoc), "cycle", cycle, "open", od,
	    "close", cd, "closed", closed, "lapsed_at_close", lapsed,
	    "n", c.n, "required", c.required, "renewed", c.renewed, "due",
	    c.due, "audit", c.audit, "cure", c.cure, "lapsed", c.lapsed,
	    "inactive", c.inactive, "rows", c.rows, "all",
	    strcmp(c.show, "all") == 0, "reinstatements", list, "n_shown",
	    c.shown, "more", c.shown > COORD_ROWS, "can_close", !closed &&
	    today >= open);
	if (draw != NULL)
		json_object_set_new(v, "draw", draw);
	view_page(r, 200, "coord/renewals", "Renewals", v);
}

/* The form's cycle: a renewal year of the rule set; 0, or 400 sent. */
static int
cycle_field(struct req *r, const struct ruleset *rs, int *cycle)
{
	const char	*q = req_form(r, "cycle");
	char		*end;
	long		 y;

	y = q != NULL ? strtol(q, &end, 10) : 0;
	if (q == NULL || *end != '\0' || y < 1900 || y > 2199 ||
	    life_cycle(rs, date_from_ymd((int)y, 1, 1)) != y) {
		view_error(r, 400, "That is not a renewal year of this "
		    "association");
		return -1;
	}
	*cycle = (int)y;
	return 0;
}

/* The coordinator closes the current window: who has not renewed
   lapses. */
void
page_coord_close(struct req *r)
{
	const struct ruleset	*rs = web_rules(r->user.association);
	struct actor		 who = req_actor(r);
	struct derr		 err;
	int			 cycle;
	int32_t			 open, close;

	if (rs == NULL || !rs->renewal.defined) {
		view_error(r, 404, "this association has no renewal rules");
		return;
	}
	if (cycle_field(r, rs, &cycle) != 0)
		return;
	/* Only the current window: an old cycle was the old system's. */
	if (cycle != life_cycle(rs, web_today())) {
		view_error(r, 409, arena_printf(&r->arena, "only the current "
		    "cycle's window (%d) can be closed", life_cycle(rs,
		    web_today())));
		return;
	}
	life_window(rs, cycle, &open, &close);
	if (web_today() < open) {
		view_error(r, 409, "the window has not opened yet");
		return;
	}
	/* Whoever has not renewed lapses: not on a stray click. */
	if (req_form(r, "confirm") == NULL ||
	    strcmp(req_form(r, "confirm"), "yes") != 0) {
		view_error(r, 400, "confirm: tick the box to confirm that "
		    "whoever has not renewed lapses");
		return;
	}
	if (dom_window_close(&who, &r->arena, cycle, &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/coordinator/renewals?cycle=%d", cycle);
}

/* The audit draw: percent and seed from the form, the rest the
   domain's. */
void
page_coord_draw(struct req *r)
{
	const struct ruleset	*rs = web_rules(r->user.association);
	const char		*ps = req_form(r, "percent");
	const char		*ss = req_form(r, "seed");
	struct actor		 who = req_actor(r);
	struct derr		 err;
	int			 cycle, have_seed = 0;
	long			 pct;
	uint64_t		 seed = 0;
	char			*end;

	if (rs == NULL || !rs->renewal.defined) {
		view_error(r, 404, "this association has no renewal rules");
		return;
	}
	if (cycle_field(r, rs, &cycle) != 0)
		return;
	pct = ps != NULL ? strtol(ps, &end, 10) : 0;
	if (ps == NULL || *ps == '\0' || *end != '\0' || pct < 1 ||
	    pct > 100) {
		view_error(r, 400, "percent: a whole number from 1 to 100");
		return;
	}
	if (ss != NULL && *ss != '\0') {
		if (strlen(ss) > 16 || strspn(ss, "0123456789abcdef") !=
		    strlen(ss)) {
			view_error(r, 400, "The draw code is up to 16 "
			    "characters, digits 0 to 9 and letters a to f; "
			    "leave it empty for a random draw");
			return;
		}
		seed = strtoull(ss, NULL, 16);
		have_seed = 1;
	}
	if (dom_draw(&who, &r->arena, cycle, (int)pct, have_seed, seed,
	    &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/coordinator/renewals?cycle=%d&show=all", cycle);
}

/* A renewal of the coordinator's association, or 404. */
static int
coord_renewal(struct req *r, int64_t id, json_t **out,
    enum renewal_status *status)
{
	struct row_renewal_get	 row;

	if (dom_renewal_get(&r->arena, id, &row) != 0 ||
	    strcmp(row.association, r->user.association) != 0) {
		view_error(r, 404, "there is no such renewal in your "
		    "association");
		return -1;
	}
	*status = row.status;
	*out = json_pack("{s:I, s:i, s:s, s:s, s:s?, s:s, s:s?, s:s?}",
	    "id", (json_int_t)id, "cycle", (int)row.cycle, "status",
	    db_enum_word(renewal_status, row.status), "rwords",
	    renew_words(row.status), "cure_by", row.cure_by, "number",
	    row.number, "name", row.name, "email", row.email);
	view_us_dates(*out, "cure_by");
	return 0;
}

/* One renewal under audit, with its entries; with a decision on entry
   that failed, its words beside its note and the note as typed. */
/* The renewal page; entry is the entry whose decision was refused for
   why, or -1 when the internal note was (page-notify.c), or 0. */
static void
audit_page(struct req *r, int status, int64_t entry, const char *why)
{
	json_t			*v, *items, *it;
	enum renewal_status	 rstatus;
	const char		*note = req_form(r, "note");
	size_t			 i;

	if (coord_renewal(r, r->id, &v, &rstatus) != 0)
		return;
	items = dom_audit_items(r->id);
	json_array_foreach(items, i, it)
		if (entry != 0 && json_integer_value(json_object_get(it,
		    "entry")) == entry) {
			json_object_set_new(it, "note_error",
			    json_string(view_words(why)));
			json_object_set_new(it, "typed", json_string(
			    note != NULL ? note : ""));
		}
	if (entry > 0) {
		json_object_set_new(v, "n_form_errors", json_integer(1));
		json_object_set_new(v, "form_errors", json_pack("[o]",
		    view_problem(arena_printf(&r->arena, "n-%lld",
		    (long long)entry), "Note", why)));
	}
	json_object_set_new(v, "n_items", json_integer((json_int_t)
	    json_array_size(items)));
	json_object_set_new(v, "items", items);
	notes_renewal_view(r, v, entry < 0 ? why : NULL);
	json_object_set_new(v, "open", json_boolean(sm_apply(&renewal_machine,
	    rstatus, RENEWEV_DECIDE, SM_WHO_COORDINATOR, NULL, NULL) >= 0));
	view_page(r, status, "coord/renewal", "Renewal audit", v);
}

void
page_coord_renewal(struct req *r)
{
	audit_page(r, 200, 0, NULL);
}

/* The renewal page again with the internal note refused (page-notify.c). */
void
page_coord_renewal_refused(struct req *r, int status, const char *why)
{
	audit_page(r, status, -1, why);
}

/* A decision on one entry of an audit. */
void
page_coord_item(struct req *r)
{
	const char		*d = req_form(r, "decision");
	const char		*note = req_form(r, "note");
	struct actor		 who = req_actor(r);
	struct derr		 err;
	json_t			*v;
	enum renewal_status	 status;

	if (coord_renewal(r, r->id, &v, &status) != 0)
		return;
	json_decref(v);
	if (sm_apply(&renewal_machine, status, RENEWEV_DECIDE,
	    SM_WHO_COORDINATOR, NULL, NULL) < 0) {
		view_error(r, 409, "this renewal is not under audit");
		return;
	}
	if (d == NULL || (strcmp(d, "accept") != 0 &&
	    strcmp(d, "reject") != 0)) {
		view_error(r, 400, "decision: accept or reject");
		return;
	}
	if (note == NULL)
		note = "";
	if (strcmp(d, "reject") == 0 && *note == '\0') {
		audit_page(r, 400, r->id2, "say why the evidence is rejected; "
		    "the endorsee reads it");
		return;
	}
	if (strlen(note) > 2000) {
		audit_page(r, 400, r->id2, "the note is too long: at most "
		    "2000 characters");
		return;
	}
	if (dom_item_decide(&who, &r->arena, r->id, r->id2,
	    strcmp(d, "accept") == 0, note, &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/coordinator/renewals/%lld", (long long)r->id);
}

/* The evidence of an entry of the coordinator's association. */
void
page_coord_evidence(struct req *r)
{
	struct dom_entry	 de;

	if (dom_entry_get(&r->arena, r->id, &de) != 0 ||
	    strcmp(de.assoc, r->user.association) != 0) {
		json_decref(de.data);
		view_error(r, 404, "there is no such entry in your "
		    "association");
		return;
	}
	json_decref(de.data);
	renew_evidence_send(r, r->id);
}

/* A decision on a reinstatement request. */
void
page_coord_reinstate(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 err;
	char		 today[11];

	date_format(web_today(), today);
	if (dom_reinstate_decide(&who, &r->arena, r->id,
	    req_form(r, "decision"), req_form(r, "note"), today,
	    &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/coordinator/renewals");
}
