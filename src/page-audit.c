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
#include "dom-queue-renew.h"
#include "banned.h"

#define RENEW_PAGE	50	/* rows of one page */

/* What the renewals page was asked, read and checked. */
struct renew_ask {
	struct renew_filter	 f;
	const char		*show, *q, *reinst;
	int			 page, rstatus;
	int			 bad;		/* a value refused: ignored */
};

/* The filters, the sort and the page; the cycle is the caller's. */
static void
renew_read_ask(struct req *r, struct renew_ask *k)
{
	const char	*s;
	long		 n;

	k->f.show = RSH_DUE;
	k->f.sort = RQ_DAYS;
	k->f.desc = 1;
	k->page = 1;
	k->rstatus = -1;
	if ((k->show = req_query(r, "show")) != NULL && *k->show != '\0') {
		if ((n = view_word(renew_show_names, RSH__N, k->show)) < 0)
			k->bad = 1;
		else
			k->f.show = (enum renew_show)n;
	}
	k->show = renew_show_names[k->f.show];
	if ((k->q = req_query(r, "q")) != NULL && *k->q != '\0')
		k->f.search = k->q;
	if ((k->reinst = req_query(r, "reinst")) != NULL &&
	    *k->reinst != '\0' && (k->rstatus = view_word(reinstate_status_names,
	    REINSTATE_REFUSED + 1, k->reinst)) < 0)
		k->bad = 1;
	if ((s = req_query(r, "sort")) != NULL && *s != '\0') {
		if ((n = view_word(renew_sort_names, RQ__N, s)) < 0)
			k->bad = 1;
		else
			k->f.sort = (enum renew_sort)n;
		k->f.desc = (s = req_query(r, "dir")) != NULL &&
		    strcmp(s, "desc") == 0;
	}
	if (view_page_number(r, &k->page) != 0)
		k->bad = 1;
	k->f.offset = (k->page - 1) * RENEW_PAGE;
	k->f.limit = RENEW_PAGE + 1;
}

/* The page's address with these filters, sort and page. */
static const char *
renew_href(struct req *r, const struct renew_ask *k, int sort, int desc,
    int page)
{
	struct buf	 b;
	const char	*s;

	buf_init(&b);
	buf_printf(&b, "/coordinator/renewals?cycle=%d", k->f.cycle);
	view_url_add(&b, "show", k->show);
	view_url_add(&b, "q", k->q);
	view_url_add(&b, "reinst", k->reinst);
	buf_printf(&b, "&sort=%s&dir=%s", renew_sort_names[sort], desc ?
	    "desc" : "asc");
	if (page > 1)
		buf_printf(&b, "&page=%d", page);
	s = arena_strdup(&r->arena, b.s);
	buf_free(&b);
	return s;
}

static const char *const renew_labels[RQ__N] = {
	"Endorsee", "Number", "Category", "Status", "Days in state",
	"Next deadline"
};

/* The column headers: each a link sorting by it (again: the other way). */
static json_t *
renew_columns(struct req *r, const struct renew_ask *k)
{
	json_t	*cols = json_array();
	int	 i, cur;

	for (i = 0; i < RQ__N; i++) {
		cur = (int)k->f.sort == i;
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s}",
		    "label", renew_labels[i], "href", renew_href(r, k, i, cur ?
		    !k->f.desc : i == RQ_DAYS, 1), "sort", !cur ? "" :
		    k->f.desc ? "descending" : "ascending"));
	}
	return cols;
}

static json_t *
renew_filters(const struct renew_ask *k)
{
	static const char *const dirs[] = { "asc", "desc" };
	static const char *const dir_labels[] = { "ascending",
	    "descending" };
	static const char *const rs[] = { "requested", "approved",
	    "refused" };

	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:s}", "cycle",
	    k->f.cycle, "shows", view_options(renew_show_names,
	    renew_show_titles, RSH__N, k->show), "sorts",
	    view_options(renew_sort_names, renew_labels, RQ__N,
	    renew_sort_names[k->f.sort]), "dirs", view_options(dirs,
	    dir_labels, 2, dirs[k->f.desc != 0]), "reinsts",
	    view_options(rs, rs, 3, k->reinst), "q", k->q != NULL ? k->q : "");
}

static const char *
day_us(struct req *r, int32_t d)
{
	char	 b[DATE_US_MAX];

	return d <= 0 ? "" : arena_strdup(&r->arena, date_us(d, b, sizeof b));
}

static json_t *
renew_row_json(struct req *r, const struct renew_row *q)
{
	const char	*st = renew_words(q->rstate);

	if (q->rstate == RENEWAL_NONE && q->state != ENDORSEMENT_ACTIVE)
		st = arena_printf(&r->arena, "not renewed: the endorsement is "
		    "%s", db_enum_word(endorsement_status, q->state));
	if (q->pending > 0)
		st = arena_printf(&r->arena, "%s (%d item%s to review)", st,
		    q->pending, q->pending == 1 ? "" : "s");
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:i, "
	    "s:s, s:s, s:I}", "id", (json_int_t)q->endorsement, "name",
	    q->name, "email", q->email, "number", q->number, "category",
	    q->category, "status", st, "word", q->rstate == RENEWAL_NONE ?
	    "none" : db_enum_word(renewal_status, q->rstate), "met", q->met,
	    "days", q->days, "deadline", day_us(r, q->deadline), "what",
	    q->deadline <= 0 ? "" : q->cure ? "cure" : "attestation",
	    "renewal", (json_int_t)q->renewal);
}

static json_t *
renew_reinstatements(struct req *r, const struct renew_ask *k)
{
	struct reinstate_row	*x;
	json_t			*list = json_array();
	int			 i, n;

	n = queue_reinstatements(&r->arena, r->user.association, k->rstatus,
	    &x);
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:i, s:s, s:b, s:s, s:s}", "id", (json_int_t)x[i].id,
		    "number", x[i].number, "category", x[i].category, "name",
		    x[i].name, "email", x[i].email, "fee", x[i].fee, "status",
		    db_enum_word(reinstate_status, x[i].status), "open",
		    x[i].status == REINSTATE_REQUESTED, "requested",
		    day_us(r, (int32_t)(x[i].requested / 86400)), "age",
		    x[i].days == 0 ? "today" : arena_printf(&r->arena, "%d day%s "
		    "ago", x[i].days, x[i].days == 1 ? "" : "s")));
	return list;
}

/* The list of the page: the renewals that the filters let through, the
   figures, the pages, the reinstatement requests. */
static int
renew_list(struct req *r, json_t *v, struct renew_ask *k)
{
	struct renew_counts	 c;
	struct renew_row	*q;
	json_t			*rows = json_array();
	int			 i, n;

	n = queue_renewals(&r->arena, r->user.association, web_today(),
	    &k->f, &q, &c);
	if (n < 0) {
		json_decref(rows);
		return -1;
	}
	for (i = 0; i < n && i < RENEW_PAGE; i++)
		json_array_append_new(rows, renew_row_json(r, &q[i]));
	json_object_set_new(v, "rows", rows);
	json_object_set_new(v, "any", json_boolean(n > 0));
	if (n > 0)
		json_object_set_new(v, "range", json_string(arena_printf(
		    &r->arena, "%d to %d", k->f.offset + 1, k->f.offset +
		    (n < RENEW_PAGE ? n : RENEW_PAGE))));
	if (k->page > 1)
		json_object_set_new(v, "prev", json_string(renew_href(r, k,
		    k->f.sort, k->f.desc, k->page - 1)));
	if (n > RENEW_PAGE)
		json_object_set_new(v, "next", json_string(renew_href(r, k,
		    k->f.sort, k->f.desc, k->page + 1)));
	json_object_set_new(v, "paged", json_boolean(k->page > 1 ||
	    n > RENEW_PAGE));
	json_object_set_new(v, "columns", renew_columns(r, k));
	json_object_set_new(v, "filter", renew_filters(k));
	json_object_set_new(v, "bad", json_boolean(k->bad));
	json_object_set_new(v, "shown_title", json_string(
	    renew_show_titles[k->f.show]));
	json_object_set_new(v, "reinstatements", renew_reinstatements(r, k));
	json_object_set_new(v, "counts", json_pack("{s:i, s:i, s:i, s:i, s:i, "
	    "s:i, s:i, s:i}", "n", c.n, "required", c.required, "renewed",
	    c.renewed, "due", c.due, "audit", c.audit, "cure", c.cure,
	    "lapsed", c.lapsed, "inactive", c.inactive));
	return 0;
}

/* The renewals queue of a cycle, its figures, the window's and the
   draw's forms, the reinstatement requests. */
void
page_coord_renewals(struct req *r)
{
	const char		*assoc = r->user.association, *q;
	const struct ruleset	*rs = web_rules(assoc);
	struct renew_ask	 k;
	json_t			*v, *draw;
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
	memset(&k, 0, sizeof k);
	k.f.cycle = cycle;
	renew_read_ask(r, &k);
	life_window(rs, cycle, &open, &close);
	date_us(open, od, sizeof od);
	date_us(close, cd, sizeof cd);
	closed = life_closed(assoc, cycle, &lapsed);
	v = json_pack("{s:s, s:i, s:s, s:s, s:b, s:i, s:b}", "association",
	    web_assoc_name(assoc), "cycle", cycle, "open", od, "close", cd,
	    "closed", closed, "lapsed_at_close", lapsed, "can_close",
	    !closed && today >= open);
	if (renew_list(r, v, &k) != 0) {
		json_decref(v);
		view_read_failed(r);
		return;
	}
	if ((draw = dom_draw_view(assoc, cycle)) != NULL)
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
