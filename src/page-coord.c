/*
 * The coordinator's pages: the work queue of their association (every
 * open application, filtered, searched, sorted and paged; bulk actions;
 * dom-queue.c), the
 * association's outgoing mail and its rule changes with whom each moved.
 * A coordinator sees their own association only (every statement binds
 * it); messages that carry a private link are listed without the link.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-review.h"
#include "dom-queue.h"
#include "dom-money.h"
#include "page-review.h"
#include "banned.h"

/* ------------------------------------------------------- the queue */

#define QUEUE_PAGE	50	/* rows of one page */
#define QUEUE_MAX_OLDER	3650	/* days */

/* What the page was asked, read and checked. */
struct queue_ask {
	struct queue_filter	 f;
	const char		*state, *category, *waiting, *older, *q;
	int			 page;
	int			 bad;		/* a value refused: ignored */
};

static void
queue_read_ask(struct req *r, struct queue_ask *k)
{
	const char	*s;
	char		*end;
	long		 n;

	memset(k, 0, sizeof *k);
	k->f.status = -1;
	k->f.wait = -1;
	k->f.sort = QS_DAYS;
	k->f.desc = 1;
	k->page = 1;
	if ((k->state = req_query(r, "state")) != NULL && *k->state != '\0' &&
	    (k->f.status = view_word(app_status_names, APP_DENIED,
	    k->state)) < 0)
		k->bad = 1;
	if ((k->category = req_query(r, "category")) != NULL &&
	    *k->category != '\0')
		k->f.category = k->category;
	if ((k->waiting = req_query(r, "waiting")) != NULL &&
	    *k->waiting != '\0' && (k->f.wait = view_word(wait_names,
	    WAIT__N, k->waiting)) < 0)
		k->bad = 1;
	if ((k->older = req_query(r, "older")) != NULL && *k->older != '\0') {
		n = strtol(k->older, &end, 10);
		if (*end != '\0' || n < 0 || n > QUEUE_MAX_OLDER)
			k->bad = 1;
		else
			k->f.older = (int)n;
	}
	if ((k->q = req_query(r, "q")) != NULL && *k->q != '\0')
		k->f.search = k->q;
	if ((s = req_query(r, "sort")) != NULL && *s != '\0') {
		n = view_word(queue_sort_names, QS__N, s);
		if (n < 0)
			k->bad = 1;
		else
			k->f.sort = (enum queue_sort)n;
		k->f.desc = (s = req_query(r, "dir")) != NULL &&
		    strcmp(s, "desc") == 0;
	}
	if (view_page_number(r, &k->page) != 0)
		k->bad = 1;
	k->f.offset = (k->page - 1) * QUEUE_PAGE;
	k->f.limit = QUEUE_PAGE + 1;
}

/* The page's address with these filters, sort and page. */
static const char *
queue_href_at(struct req *r, const char *at, const struct queue_ask *k,
    int sort, int desc, int page)
{
	struct buf	 b;
	const char	*s;
	const char	*const par[] = { "state", "category", "waiting",
			    "older", "q" };
	const char	*val[] = { k->state, k->category, k->waiting,
			    k->older, k->q };
	size_t		 i;

	buf_init(&b);
	buf_printf(&b, "%s?", at);
	for (i = 0; i < sizeof par / sizeof par[0]; i++)
		view_url_add(&b, par[i], val[i]);
	buf_printf(&b, "%ssort=%s&dir=%s", b.s[b.len - 1] == '?' ? "" : "&",
	    queue_sort_names[sort], desc ? "desc" : "asc");
	if (page > 1)
		buf_printf(&b, "&page=%d", page);
	s = arena_strdup(&r->arena, b.s);
	buf_free(&b);
	return s;
}

static const char *
queue_href(struct req *r, const struct queue_ask *k, int sort, int desc,
    int page)
{
	return queue_href_at(r, "/coordinator", k, sort, desc, page);
}

/* The column headers: each a link sorting by it (again: the other way). */
static const char *const queue_labels[QS__N] = {
	"Applicant", "Category", "Status", "Started", "Submitted",
	"Days in state", "Waiting on", "Next deadline"
};

static json_t *
queue_columns(struct req *r, const struct queue_ask *k)
{
	const char *const *label = queue_labels;
	json_t	*cols = json_array();
	int	 i, cur;

	for (i = 0; i < QS__N; i++) {
		cur = (int)k->f.sort == i;
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s, s:s}",
		    "key", queue_sort_names[i], "label", label[i], "href",
		    queue_href(r, k, i, cur ? !k->f.desc : i == QS_DAYS, 1),
		    "sort", !cur ? "" : k->f.desc ? "descending" :
		    "ascending"));
	}
	return cols;
}

static const char *
day_words(struct req *r, int64_t t)
{
	char	 d[DATE_US_MAX];

	if (t <= 0)
		return "";
	return arena_strdup(&r->arena, date_us((int32_t)(t / 86400), d,
	    sizeof d));
}

static json_t *
queue_row_json(struct req *r, const struct queue_row *q)
{
	const char	*w = wait_titles[q->wait];

	if (q->wait == WAIT_RATER && q->rater != NULL)
		w = arena_printf(&r->arena, "rater %s", q->rater);
	else if (q->wait == WAIT_REVIEWER)
		w = arena_printf(&r->arena, "the reviewers (%d of %d reviews "
		    "in)", q->done, q->assigned);
	return json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:s, s:i, "
	    "s:s, s:s, s:s, s:s?, s:b}", "id", (json_int_t)q->id, "name",
	    q->name, "email", q->email, "number", q->number, "category",
	    q->category, "status", db_enum_word(app_status, q->status),
	    "started", day_words(r, q->started), "submitted", day_words(r,
	    q->submitted), "days", q->days, "waiting", w, "waiting_word",
	    wait_names[q->wait], "deadline", day_words(r, q->deadline),
	    "unpaid", q->unpaid ? money_words(&r->arena, q->owed_cents >
	    q->paid_cents ? q->owed_cents - q->paid_cents : 0) : NULL,
	    "own", q->account == r->user.id);
}

static json_t *
queue_filters(struct req *r, const struct queue_ask *k)
{
	const struct ruleset	*rs = web_rules(r->user.association);
	const char		**codes, **titles;
	int			 i, n = rs != NULL ? rs->ncats : 0;

	codes = arena_alloc(&r->arena, (size_t)(n + 1) * sizeof *codes);
	titles = arena_alloc(&r->arena, (size_t)(n + 1) * sizeof *titles);
	for (i = 0; i < n; i++) {
		codes[i] = rs->cats[i].code;
		titles[i] = arena_printf(&r->arena, "%s (%s)",
		    rs->cats[i].title, rs->cats[i].code);
	}
	static const char *const dirs[] = { "asc", "desc" };
	static const char *const dir_labels[] = { "ascending",
	    "descending" };

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:s, s:s}", "sorts",
	    view_options(queue_sort_names, queue_labels, QS__N,
	    queue_sort_names[k->f.sort]), "dirs", view_options(dirs,
	    dir_labels, 2, dirs[k->f.desc != 0]), "states",
	    view_options(app_status_names, app_status_names, APP_DENIED,
	    k->state), "categories", view_options(codes, titles, n,
	    k->category), "waits", view_options(wait_names + 1,
	    wait_titles + 1, WAIT__N - 1, k->waiting), "older",
	    k->older != NULL ? k->older : "", "q", k->q != NULL ?
	    k->q : "");
}

static json_t *
queue_reviewers(struct req *r)
{
	struct row_reviewer_list	*rv;
	json_t				*o = json_array();
	int				 i, n;

	n = review_reviewers(&r->arena, r->user.association, &rv);
	for (i = 0; i < n; i++)
		json_array_append_new(o, json_pack("{s:I, s:s}", "id",
		    (json_int_t)rv[i].id, "name", rv[i].name));
	return o;
}

static const struct rv_label bulk_cycle_labels[] = {
	{ "cycle_name", "Name of the new cycle" },
	{ "cycle_opens", "Opens" },
	{ "cycle_closes", "Closes" },
};

/* The bulk form's cycle fields, what was typed kept after a POST. */
static json_t *
bulk_cycle_fields(struct req *r, int typed, json_t *errors)
{
	json_t	*f = json_array();

	json_array_append_new(f, view_field("cycle_name", "Name of the new "
	    "cycle", "text", typed ? req_form(r, "cycle_name") : NULL, errors,
	    "off"));
	json_object_set_new(json_array_get(f, 0), "hint",
	    json_string("For example “Spring 2027”."));
	json_array_append_new(f, view_field("cycle_opens", "Opens", "date",
	    typed ? req_form(r, "cycle_opens") : NULL, errors, NULL));
	json_array_append_new(f, view_field("cycle_closes", "Closes", "date",
	    typed ? req_form(r, "cycle_closes") : NULL, errors, NULL));
	return f;
}

/*
 * The work queue (GET /coordinator), and after a bulk action its page
 * again with each application's outcome (results: NULL on a GET).
 */
static void
queue_page(struct req *r, int status, json_t *results, json_t *errors)
{
	struct queue_ask	 k;
	struct queue_row	*q;
	json_t			*v = json_object(), *rows = json_array(), *o;
	const char		*ticked[QUEUE_PAGE];
	int			 i, j, n, nt = 0, typed;

	queue_read_ask(r, &k);
	n = queue_apps(&r->arena, r->user.association, &k.f, &q);
	if (n < 0) {
		json_decref(v);
		json_decref(rows);
		json_decref(results);
		json_decref(errors);
		view_read_failed(r);
		return;
	}
	/* After a bulk action, the applications ticked stay ticked. */
	typed = results != NULL || errors != NULL;
	if (typed)
		nt = req_form_all(r, "app", ticked, QUEUE_PAGE);
	for (i = 0; i < n && i < QUEUE_PAGE; i++) {
		o = queue_row_json(r, &q[i]);
		for (j = 0; j < nt; j++)
			if (strtoll(ticked[j], NULL, 10) == q[i].id)
				json_object_set_new(o, "ticked", json_true());
		json_array_append_new(rows, o);
	}
	json_object_set_new(v, "cycle_fields", bulk_cycle_fields(r, typed,
	    errors));
	rv_problems(v, errors, bulk_cycle_labels, 3);
	json_object_set_new(v, "cycle_action", json_boolean(typed &&
	    req_form(r, "action") != NULL && strcmp(req_form(r, "action"),
	    "cycle") == 0));
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	json_object_set_new(v, "applications", rows);
	json_object_set_new(v, "columns", queue_columns(r, &k));
	json_object_set_new(v, "filter", queue_filters(r, &k));
	json_object_set_new(v, "reviewers", queue_reviewers(r));
	json_object_set_new(v, "bad", json_boolean(k.bad));
	if (n > 0)
		json_object_set_new(v, "range", json_string(arena_printf(
		    &r->arena, "%d to %d", k.f.offset + 1, k.f.offset +
		    (n < QUEUE_PAGE ? n : QUEUE_PAGE))));
	if (k.page > 1)
		json_object_set_new(v, "prev", json_string(queue_href(r, &k,
		    k.f.sort, k.f.desc, k.page - 1)));
	if (n > QUEUE_PAGE)
		json_object_set_new(v, "next", json_string(queue_href(r, &k,
		    k.f.sort, k.f.desc, k.page + 1)));
	/* The bulk form comes back to the same filters, sort and page. */
	json_object_set_new(v, "bulk", json_string(queue_href_at(r,
	    "/coordinator/bulk", &k, k.f.sort, k.f.desc, k.page)));
	json_object_set_new(v, "any", json_boolean(n > 0));
	json_object_set_new(v, "paged", json_boolean(k.page > 1 ||
	    n > QUEUE_PAGE));
	if (results != NULL) {
		json_object_set_new(v, "done", json_true());
		json_object_set_new(v, "results", results);
	}
	json_decref(errors);
	view_page(r, status, "coord/home", "Coordinator", v);
}

void
page_coord(struct req *r)
{
	queue_page(r, 200, NULL, NULL);
}

#define BULK_CYCLE_NAME	200	/* characters, as the cycle form */

/* The new cycle's fields checked as the cycle form checks them
   (page-cycle.c), and it must not be over: its errors by field. */
static json_t *
bulk_cycle_check(struct req *r, int32_t *closes_day)
{
	const char	*name = req_form(r, "cycle_name");
	const char	*opens = req_form(r, "cycle_opens");
	const char	*closes = req_form(r, "cycle_closes");
	json_t		*errors = json_object();
	int32_t		 o = 0, c = 0;

	if (review_blank(name))
		json_object_set_new(errors, "cycle_name", json_string("give "
		    "the cycle a name"));
	else if (strlen(name) > BULK_CYCLE_NAME)
		json_object_set_new(errors, "cycle_name", json_string(
		    arena_printf(&r->arena, "at most %d characters",
		    BULK_CYCLE_NAME)));
	if (opens == NULL || date_parse(opens, &o) != 0)
		json_object_set_new(errors, "cycle_opens", json_string("enter "
		    "the date it opens as YYYY-MM-DD"));
	if (closes == NULL || date_parse(closes, &c) != 0)
		json_object_set_new(errors, "cycle_closes", json_string(
		    "enter the date it closes as YYYY-MM-DD"));
	else if (json_object_get(errors, "cycle_opens") == NULL && c < o)
		json_object_set_new(errors, "cycle_closes", json_string("a "
		    "cycle closes on or after the day it opens"));
	else if (c < web_today())
		json_object_set_new(errors, "cycle_closes", json_string("the "
		    "applications join an open cycle: it closes today or "
		    "later"));
	*closes_day = c;
	return errors;
}

/*
 * Open a review cycle for the applications ticked (action=cycle): a new
 * open cycle that only they join (dom-cycle.c), each refusal named.
 */
static void
bulk_cycle(struct req *r, const char **ids, int n)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;
	json_t		*res, *errors;
	const char	*name = req_form(r, "cycle_name"), **why;
	int64_t		*v, id = 0;
	int32_t		 closes;
	int		 i, rc, bad = 0;
	char		*end;

	if (json_object_size(errors = bulk_cycle_check(r, &closes)) > 0) {
		queue_page(r, 400, NULL, errors);
		return;
	}
	json_decref(errors);
	res = json_array();
	if (n == 0) {
		json_array_append_new(res, json_pack("{s:s, s:b}", "text",
		    "No application was ticked: tick the ones to act on.",
		    "refused", 1));
		queue_page(r, 422, res, NULL);
		return;
	}
	v = arena_alloc(&r->arena, (size_t)n * sizeof *v);
	why = arena_alloc(&r->arena, (size_t)n * sizeof *why);
	for (i = 0; i < n; i++) {
		v[i] = strtoll(ids[i], &end, 10);
		if (*end != '\0')
			v[i] = 0;
	}
	memset(&e, 0, sizeof e);
	rc = review_cycle_new_for(&who, &r->arena, name, req_form(r,
	    "cycle_opens"), req_form(r, "cycle_closes"), closes, v, n, why,
	    &id, &e);
	if (rc != 0 && e.status != 409) {
		json_decref(res);
		view_derr(r, &e);
		return;
	}
	if (rc == 0)
		json_array_append_new(res, json_pack("{s:s, s:b, s:s}", "text",
		    arena_printf(&r->arena, "Review cycle %s opened.", name),
		    "refused", 0, "href", arena_printf(&r->arena,
		    "/coordinator/cycles/%lld", (long long)id)));
	else
		json_array_append_new(res, json_pack("{s:s, s:b}", "text",
		    arena_printf(&r->arena, "Refused: %s.", e.message),
		    "refused", 1));
	for (i = 0; i < n; i++) {
		bad |= why[i] != NULL;
		json_array_append_new(res, json_pack("{s:s, s:b}", "text",
		    why[i] == NULL ? arena_printf(&r->arena, "Application "
		    "%lld: joined the cycle %s", (long long)v[i], name) :
		    arena_printf(&r->arena, "Application %lld: refused: %s",
		    (long long)v[i], why[i]), "refused", why[i] != NULL));
	}
	queue_page(r, rc != 0 || bad ? 422 : 200, res, NULL);
}

/*
 * A bulk action on the applications ticked (app=ID, several): remind
 * whoever each waits on, or assign reviewer=ID to each; every one through
 * the domain, each outcome (or refusal) named on the page.
 */
void
page_coord_bulk(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;
	json_t		*res = json_array();
	const char	*act = req_form(r, "action"), *ids[QUEUE_PAGE];
	const char	*msg;
	char		*end;
	int64_t		 id, rev = 0;
	int		 i, n, sent, rc, bad = 0;

	n = req_form_all(r, "app", ids, QUEUE_PAGE);
	if (act != NULL && strcmp(act, "cycle") == 0) {
		json_decref(res);
		bulk_cycle(r, ids, n);
		return;
	}
	if (act == NULL || (strcmp(act, "remind") != 0 &&
	    strcmp(act, "assign") != 0)) {
		json_decref(res);
		view_error(r, 400, "choose what to do with the applications "
		    "ticked");
		return;
	}
	if (strcmp(act, "assign") == 0) {
		rev = strtoll(req_form(r, "reviewer") != NULL ?
		    req_form(r, "reviewer") : "", &end, 10);
		if (rev <= 0 || *end != '\0')
			rev = 0;
	}
	if (n == 0)
		json_array_append_new(res, json_pack("{s:s, s:b}", "text",
		    "No application was ticked: tick the ones to act on.",
		    "refused", 1));
	for (i = 0; i < n; i++) {
		id = strtoll(ids[i], &end, 10);
		memset(&e, 0, sizeof e);
		if (id <= 0 || *end != '\0') {
			rc = derr_set(&e, &r->arena, 400, NULL, "there is no "
			    "such application");
			id = 0;
		} else if (rev == 0 && strcmp(act, "assign") == 0)
			rc = derr_set(&e, &r->arena, 400, NULL, "choose a "
			    "reviewer to assign");
		else if (rev != 0)
			rc = review_assign(&who, &r->arena, id, rev, &e);
		else
			rc = queue_remind(&who, &r->arena, id, &sent, &e);
		if (rc == 0 && rev != 0)
			msg = "reviewer assigned";
		else if (rc == 0)
			msg = arena_printf(&r->arena, "%d reminder%s sent",
			    sent, sent == 1 ? "" : "s");
		else
			msg = arena_printf(&r->arena, "refused: %s", e.message);
		bad |= rc != 0;
		json_array_append_new(res, json_pack("{s:s, s:b}", "text",
		    arena_printf(&r->arena, "Application %lld: %s", (long long)id,
		    msg), "refused", rc != 0));
	}
	queue_page(r, bad ? 422 : 200, res, NULL);
}

void
page_outbox(struct req *r)
{
	json_t			*v = json_object(), *list = json_array();
	struct row_outbox_list	*m;
	char			 d[11];
	int			 i, n;

	n = review_outbox(&r->arena, r->user.association, &m);
	if (n < 0) {
		json_decref(v);
		json_decref(list);
		view_read_failed(r);
		return;
	}
	for (i = 0; i < n; i++) {
		date_format((int32_t)(m[i].created / 86400), d);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s, s:s}", "id", (json_int_t)m[i].id,
		    "to", m[i].recipient, "subject", m[i].subject, "body",
		    m[i].secret ? "(this message carries a private link and "
		    "is shown only to its recipient)" : m[i].body, "status",
		    mail_outbox_words(&r->arena, m[i].status,
		    (int)m[i].attempts, m[i].last_error, m[i].sent_at,
		    m[i].next_try), "state", db_enum_word(outbox_status,
		    m[i].status), "date", d));
	}
	json_object_set_new(v, "messages", list);
	json_object_set_new(v, "smtp", json_boolean(cfg.smtp_host != NULL &&
	    *cfg.smtp_host != '\0'));
	view_page(r, 200, "coord/outbox", "Outgoing mail", v);
}

/* ------------------------------------------------------- rule changes */

#define MAX_MOVES_SHOWN	1000	/* of each kind on the page */
#define HASH_SHOWN	12	/* hex digits of a version's SHA-256 */

/* A time as UTC "YYYY-MM-DD HH:MM". */
static const char *
at_words(struct req *r, int64_t t)
{
	char	 d[11];
	int64_t	 s = t % 86400;

	date_format((int32_t)(t / 86400), d);
	return arena_printf(&r->arena, "%s %02d:%02d UTC", d, (int)(s / 3600),
	    (int)(s / 60 % 60));
}

static const char *
short_hash(struct req *r, const char *h)
{
	return arena_printf(&r->arena, "%.*s", HASH_SHOWN, h != NULL ? h : "");
}

/*
 * The moves of one kind ("applications" or "renewals") as rows of the
 * page, the first MAX_MOVES_SHOWN, with their count and whether there are
 * more, set in the view as KIND, n_KIND and more_KIND.
 */
static void
moves_view(json_t *c, json_t *doc, const char *kind)
{
	json_t		*rows = json_array(), *m, *row;
	json_t		*list = json_object_get(doc, kind);
	struct buf	 b;
	size_t		 i, n = json_array_size(list);
	int		 renewals = strcmp(kind, "renewals") == 0;
	char		 key[32];

	json_array_foreach(list, i, m) {
		if (i == MAX_MOVES_SHOWN)
			break;
		buf_init(&b);
		impact_ids(m, &b);
		row = json_pack("{s:O?, s:O?, s:O?, s:O?, s:s}", "name",
		    json_object_get(m, "name"), "category",
		    json_object_get(m, "category"), "old", json_object_get(m,
		    "old"), "new", json_object_get(m, "new"), "ids", b.s != NULL ?
		    b.s : "");
		buf_free(&b);
		if (row == NULL)
			continue;
		if (renewals)
			json_object_set(row, "number", json_object_get(m,
			    "endorsement"));
		else {
			json_object_set(row, "id", json_object_get(m, "id"));
			json_object_set(row, "status", json_object_get(m,
			    "status"));
		}
		json_array_append_new(rows, row);
	}
	snprintf(key, sizeof key, "n_%s", kind);
	json_object_set_new(c, key, json_integer((json_int_t)n));
	snprintf(key, sizeof key, "more_%s", kind);
	json_object_set_new(c, key, json_boolean(n > MAX_MOVES_SHOWN));
	json_object_set_new(c, kind, rows);
}

/*
 * A rule change of the caller's association: id, or the latest (id 0).
 * The association is bound in the statement: another's change is not
 * found, and answers as a missing one would.
 */
static void
rule_change_page(struct req *r, int64_t id)
{
	json_t			*v = json_object(), *list = json_array();
	json_t			*doc, *c;
	struct rule_change	 rc, *all;
	json_error_t		 err;
	char			*sha;
	int64_t			 at;
	int			 i, n;

	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	if (impact_version_last(&r->arena, r->user.association, &sha, &at))
		json_object_set_new(v, "current", json_pack("{s:s, s:s}",
		    "sha", short_hash(r, sha), "at", at_words(r, at)));

	if (impact_change_get(&r->arena, r->user.association, id, &rc)) {
		c = json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
		    (json_int_t)rc.id, "at", at_words(r, rc.at), "old",
		    short_hash(r, rc.old_sha), "new", short_hash(r,
		    rc.new_sha), "latest", id == 0);
		doc = rc.impact != NULL ? json_loads(rc.impact, 0, &err) :
		    NULL;
		if (json_is_string(json_object_get(doc, "error")))
			json_object_set(c, "error", json_object_get(doc,
			    "error"));
		else if (doc != NULL) {
			json_object_set(c, "as_of", json_object_get(doc,
			    "as_of"));
			json_object_set_new(c, "summary", json_string(
			    impact_summary(doc)));
			moves_view(c, doc, "applications");
			moves_view(c, doc, "renewals");
			json_object_set_new(c, "shown", json_integer(
			    MAX_MOVES_SHOWN));
		} else
			json_object_set_new(c, "error", json_string("the "
			    "stored result does not read"));
		json_decref(doc);
		json_object_set_new(v, "change", c);
	} else if (id > 0) {
		json_decref(v);
		json_decref(list);
		view_error(r, 404, "there is no such rule change");
		return;
	}

	n = impact_change_list(&r->arena, r->user.association, &all);
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:i, s:i}", "id", (json_int_t)all[i].id, "at", at_words(r,
		    all[i].at), "old", short_hash(r, all[i].old_sha), "new",
		    short_hash(r, all[i].new_sha), "applications",
		    all[i].applications, "renewals", all[i].renewals));
	json_object_set_new(v, "n_changes", json_integer((json_int_t)n));
	json_object_set_new(v, "changes", list);
	view_page(r, 200, "coord/rules", "Rule changes", v);
}

void
page_coord_rules(struct req *r)
{
	rule_change_page(r, 0);
}

void
page_coord_rule_change(struct req *r)
{
	rule_change_page(r, r->id);
}
