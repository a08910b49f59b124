/*
 * Review: the coordinator's screen of one application (the checklist, the
 * reviewers and their recommendations, what is missing, the history, the
 * unlock and the decision), and what the review pages share.  Cycles and
 * the association's reviewers are page-cycle.c; the reviewer's list and
 * form page-reviewer.c; every change is a function of dom-review.c.
 *
 * Every coordinator handler first checks that the application is of the
 * caller's association; anything else answers 404, as a missing row
 * would.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "page-review.h"
#include "dom-notify.h"
#include "dom-money.h"
#include "banned.h"

/* ------------------------------------------------------------- helpers */

/* The history and the lists show times to the minute, in UTC. */
const char *
rv_when(struct req *r, int64_t t)
{
	char	 d[DATE_US_MAX];
	int64_t	 s;

	if (t <= 0)
		return "";
	date_us((int32_t)(t / 86400), d, sizeof d);
	s = t % 86400;
	return arena_printf(&r->arena, "%s at %02d:%02d", d, (int)(s / 3600),
	    (int)(s / 60 % 60));
}

/* A positive row id typed into a form ("12"), or 0. */
static int64_t
form_id(const char *s)
{
	char		*end;
	long long	 v;

	if (s == NULL || *s < '1' || *s > '9' || strlen(s) > 15)
		return 0;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? (int64_t)v : 0;
}

/* "ethics" is not a kind of entry but has a tab. */
const char *
rv_tab_title(const char *kind)
{
	const struct kdef	*kd = kind_find(kind);

	if (kd != NULL)
		return kd->title;
	return strcmp(kind, "ethics") == 0 ? "Code of Ethics" : kind;
}

/* The marks are indexes into the rule set's list of competencies. */
json_t *
rv_competencies(const struct ruleset *rs, const char *text)
{
	json_t		*marks, *out = json_array(), *m;
	json_int_t	 k;
	size_t		 i;

	marks = json_loads(text != NULL ? text : "[]", 0, NULL);
	json_array_foreach(marks, i, m) {
		if (!json_is_integer(m))
			continue;
		k = json_integer_value(m);
		if (rs != NULL && k >= 0 && k < rs->workflow.ncompetencies)
			json_array_append_new(out, json_pack("{s:s}", "name",
			    rs->workflow.competencies[k]));
	}
	json_decref(marks);
	return out;
}

/* An assignment for the coordinator's page. */
static json_t *
asg_view(struct req *r, const struct app *a, const struct asg *s)
{
	const struct ruleset	*rs = web_rules(a->association);
	json_t			*o, *c, *list = json_array(), *v;
	const char		*key;
	int			 i;

	c = json_loads(s->comments != NULL ? s->comments : "{}", 0, NULL);
	/* In the order of the tabs, then anything else stored. */
	for (i = 0; i <= nkinds; i++) {
		key = i < nkinds ? kinds[i].kind : "ethics";
		v = json_object_get(c, key);
		if (json_is_string(v) && !review_blank(json_string_value(v)))
			json_array_append_new(list, json_pack("{s:s, s:s}",
			    "tab", rv_tab_title(key), "text",
			    json_string_value(v)));
	}
	json_decref(c);
	o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, "
	    "s:o, s:o}", "id", (json_int_t)s->id, "reviewer",
	    (json_int_t)s->reviewer, "name", s->name != NULL ? s->name : "",
	    "email", s->email != NULL ? s->email : "", "recommendation",
	    s->rec != REC_NONE ? db_enum_word(recommendation, s->rec) : "",
	    "rec_label", rec_label(s->rec),
	    "done", s->done > 0, "done_at", rv_when(r, s->done), "missing",
	    s->missing != NULL ? s->missing : "", "to_applicant",
	    s->to_applicant != NULL ? s->to_applicant : "", "comments", list,
	    "competencies", rv_competencies(rs, s->competencies));
	json_object_set_new(o, "n_competencies", json_integer((json_int_t)
	    json_array_size(json_object_get(o, "competencies"))));
	json_object_set_new(o, "n_comments", json_integer((json_int_t)
	    json_array_size(list)));
	return o;
}

/* The words before an audit detail's value, by its key; a key not here
   is shown as it is stored. */
static const struct {
	const char	*key, *words;
} detail_keys[] = {
	{ "cycle", "review cycle" }, { "fee", "fee owed US$" },
	{ "decision", "decision:" }, { "note", "note:" },
	{ "number", "endorsement" }, { "reason", "reason:" },
	{ "recommendation", "recommendation:" }, { "reviewer", "reviewer" },
	{ "rater", "rater" }, { "email", "address" }, { "by", "by" },
	{ "code", "code" }, { "date", "on" }, { "session", "exam session" },
	{ "category", "category" }, { "since", "since" },
	{ "emerging_until", "Emerging until" }, { "waived", "ratings waived" },
};

/* One detail of an audit row in words, or NULL to leave it out: the
   application itself (the page is its own), zeros, empty values and
   "none"; dates as people in the US write them (issue 16). */
static const char *
detail_one(struct req *r, const char *key, json_t *val)
{
	const char	*words = key, *v;
	char		 us[DATE_US_MAX];
	size_t		 i;
	int32_t		 d;

	if (strcmp(key, "application") == 0 || json_is_null(val) ||
	    json_is_false(val) || (json_is_integer(val) &&
	    json_integer_value(val) == 0))
		return NULL;
	for (i = 0; i < sizeof detail_keys / sizeof detail_keys[0]; i++)
		if (strcmp(detail_keys[i].key, key) == 0)
			words = detail_keys[i].words;
	if (json_is_true(val))
		return words;
	if (json_is_integer(val))
		return arena_printf(&r->arena, "%s%s%lld", words,
		    words[strlen(words) - 1] == '$' ? "" : " ",
		    (long long)json_integer_value(val));
	if (!json_is_string(val))
		return NULL;
	v = json_string_value(val);
	if (*v == '\0' || strcmp(v, "none") == 0)
		return NULL;
	if (date_parse(v, &d) == 0)
		v = date_us(d, us, sizeof us);
	return arena_printf(&r->arena, "%s %s", words, v);
}

/* An audit row's detail in words: "from draft to submitted; review cycle
   2; fee owed US$50", without what says nothing ("cycle: 0; fee: 0"). */
static const char *
detail_words(struct req *r, const char *text)
{
	json_t		*o = json_loads(text != NULL ? text : "{}", 0, NULL);
	json_t		*val, *from, *to;
	const char	*key, *w;
	struct buf	 b;
	char		*out;

	if (!json_is_object(o)) {
		json_decref(o);
		return text != NULL ? text : "";
	}
	buf_init(&b);
	from = json_object_get(o, "from");
	to = json_object_get(o, "to");
	if (json_is_string(from) && json_is_string(to)) {
		buf_printf(&b, "from %s to %s", json_string_value(from),
		    json_string_value(to));
		json_object_del(o, "from");
		json_object_del(o, "to");
	}
	json_object_foreach(o, key, val) {
		if ((w = detail_one(r, key, val)) == NULL)
			continue;
		if (b.len > 0)
			buf_puts(&b, "; ");
		buf_puts(&b, w);
	}
	json_decref(o);
	out = arena_strdup(&r->arena, b.len > 0 ? b.s : "");
	buf_free(&b);
	return out;
}

/* The summary at the top of a form links each problem to its field. */
void
rv_problems(json_t *v, json_t *errors, const struct rv_label *labels, int n)
{
	json_t		*list = json_array(), *e;
	int		 i;

	for (i = 0; i < n; i++)
		if ((e = json_object_get(errors, labels[i].field)) != NULL)
			json_array_append_new(list, json_pack("{s:s, s:s, "
			    "s:O}", "href", labels[i].field, "label",
			    labels[i].label, "message", e));
	json_object_set_new(v, "n_errors", json_integer((json_int_t)
	    json_array_size(list)));
	json_object_set_new(v, "problems", list);
}

/* Every key the template asks is present, so nothing is found further
   out. */
json_t *
rv_text_field(const char *value, json_t *errors, const char *name)
{
	json_t	*e = errors != NULL ? json_object_get(errors, name) : NULL;

	return json_pack("{s:s, s:s}", "value", value != NULL ? value : "",
	    "error", json_is_string(e) ? json_string_value(e) : "");
}

/* The message of errors' field, or "". */
static const char *
error_of(json_t *errors, const char *field)
{
	json_t	*e = json_object_get(errors, field);

	return json_is_string(e) ? json_string_value(e) : "";
}

/* ------------------------------------------ the coordinator's application */

/*
 * The application, when it is of the coordinator's association; else a
 * 404 is sent.  app_load() would also let in a coordinator who reviews or
 * owns an application elsewhere: these pages are the association's.
 */
static int
coord_app(struct req *r, int64_t id, struct app *a)
{
	if (app_load(r, id, 0, a) != 0 || r->user.association == NULL ||
	    strcmp(a->association, r->user.association) != 0) {
		view_error(r, 404, "there is no such application");
		return -1;
	}
	return 0;
}

static const struct rv_label coord_labels[] = {
	{ "reviewer", "Reviewer" },
	{ "unlock-note", "What to change" },
	{ "decision", "Decision" },
	{ "note", "Note to the applicant" },
	{ "reason", "Reason for deciding against the reviewers" },
	{ "internal", "Internal note" },
};

/* What stands between the application and a decision, in words. */
static json_t *
coord_missing(struct req *r, json_t *v, int nasg, int ndone, int need)
{
	json_t		*list = json_array(), *rq;
	const char	*ex;
	size_t		 i;

	json_array_foreach(json_object_get(json_object_get(v, "check"),
	    "requirements"), i, rq) {
		if (json_is_true(json_object_get(rq, "met")))
			continue;
		ex = json_string_value(json_object_get(rq, "explain"));
		json_array_append_new(list, json_pack("{s:s}", "text",
		    ex != NULL ? ex : json_string_value(json_object_get(rq,
		    "id"))));
	}
	if (nasg < need)
		json_array_append_new(list, json_pack("{s:s}", "text",
		    arena_printf(&r->arena, "%d of %d reviewers assigned", nasg,
		    need)));
	if (ndone < nasg)
		json_array_append_new(list, json_pack("{s:s}", "text",
		    arena_printf(&r->arena, "%d of %d recommendations "
		    "submitted", ndone, nasg)));
	return list;
}

/* A string of the applicant's part of the document, or "". */
static const char *
doc_text(json_t *doc, const char *key)
{
	const char	*s = json_string_value(json_object_get(doc, key));

	return s != NULL ? s : "";
}

/* The head of the coordinator's view: the application and its cycle,
   and the review's counts. */
static json_t *
coord_head(struct req *r, const struct app *a, json_t *v, int n, int ndone,
    int need)
{
	struct row_cycle_get	 cy;
	json_t			*doc;
	char			*cycle = NULL, sub[DATE_US_MAX];

	if (a->cycle > 0 && review_cycle_get(&r->arena, a->association,
	    a->cycle, &cy) == 0)
		cycle = cy.name;
	sub[0] = '\0';
	if (a->submitted > 0)
		date_us((int32_t)(a->submitted / 86400), sub, sizeof sub);
	doc = json_object_get(json_object_get(v, "doc"), "applicant");
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b, "
	    "s:b, s:i, s:i, s:i}",
	    "applicant", doc_text(doc, "name"),
	    "applicant_email", doc_text(doc, "email"),
	    "status", db_enum_word(app_status, a->status), "submitted", sub,
	    "fee_owed", money_owed_words(&r->arena, a),
	    "cycle", cycle != NULL ? cycle : "", "cycle_id",
	    (json_int_t)a->cycle, "decision", rec_label(a->decision), "decision_note",
	    a->decision_note != NULL ? a->decision_note : "", "needs_exam",
	    workflow_needs_exam(a), "agree", review_agree(a->association),
	    "n_assigned", n, "n_done", ndone, "n_needed", need);
}

/* Assign: the association's reviewers not yet on it, as the options of
   the form's select. */
static json_t *
coord_candidates(struct req *r, const struct app *a, const struct asg *s,
    int n, const char *typed)
{
	struct row_reviewer_list	*rv;
	json_t				*opts = json_array();
	int				 i, j, nrv;

	nrv = review_reviewers(&r->arena, a->association, &rv);
	for (j = 0; j < nrv; j++) {
		for (i = 0; i < n && s[i].reviewer != rv[j].id; i++)
			;
		if (i < n || rv[j].id == a->account)
			continue;
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", arena_printf(&r->arena, "%lld",
		    (long long)rv[j].id), "label", arena_printf(&r->arena,
		    "%s (%s), %d open", rv[j].name, rv[j].email,
		    (int)rv[j].open), "checked", typed != NULL &&
		    form_id(typed) == rv[j].id));
	}
	return opts;
}

/* The decisions the coordinator may choose from now. */
static json_t *
coord_decisions(const struct app *a, const char *typed)
{
	json_t	*opts = json_array();
	int	 i, exam = workflow_needs_exam(a);

	for (i = REC_ENDORSE; i < recommendation__N; i++) {
		if (i == REC_EXAM && (!exam || a->status == APP_EXAM))
			continue;
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", db_enum_word(recommendation, i), "label",
		    rec_label((enum recommendation)i), "checked",
		    typed != NULL && (int)rec_parse(typed) == i));
	}
	return opts;
}

/* The history, oldest first: the audit rows and the internal notes
   (dom-notify.c; their own table, so that nothing that reads the audit
   for the applicant, a reviewer or an export can show one) merged by
   time. */
static json_t *
coord_history(struct req *r, const struct app *a)
{
	struct row_audit_list	*h;
	struct row_note_list	*nt;
	struct actor		 who = req_actor(r);
	json_t			*list = json_array();
	int			 i, j, n, m;

	n = review_history(&r->arena, a->id, &h);
	m = note_list(&who, &r->arena, NOTE_APPLICATION, a->id, a->account,
	    &nt);
	for (i = j = 0; i < n || j < m; ) {
		if (j >= m || (i < n && h[i].at <= nt[j].created)) {
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, "
			    "s:s, s:s}", "at", rv_when(r, h[i].at), "actor",
			    h[i].actor, "what", h[i].what, "action",
			    h[i].action, "detail", detail_words(r,
			    h[i].detail)));
			i++;
		} else {
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, "
			    "s:s, s:s, s:b}", "at", rv_when(r, nt[j].created),
			    "actor", nt[j].author, "what", "internal note",
			    "action", "coordinators only", "detail",
			    nt[j].text, "note", 1));
			j++;
		}
	}
	return list;
}

/* The coordinator's page of one application; errors (field -> message,
   consumed) and the typed values are shown when status is not 200. */
static void
coord_app_page(struct req *r, const struct app *a, int status,
    json_t *errors)
{
	struct asg		 s[REVIEW_MAX_ASSIGN];
	struct actor		 who = req_actor(r);
	json_t			*v, *c, *list, *f;
	const char		*typed_rev = NULL, *typed_dec = NULL;
	const char		*typed_note = NULL, *typed_unlock = NULL;
	const char		*first, *conflict, *typed_reason = NULL;
	int			 n, ndone, need, i, open;

	if (errors == NULL)
		errors = json_object();
	if (status != 200) {
		typed_rev = req_form(r, "reviewer");
		typed_dec = req_form(r, "decision");
		if (json_object_get(errors, "unlock-note") != NULL)
			typed_unlock = req_form(r, "note");
		else
			typed_note = req_form(r, "note");
		typed_reason = req_form(r, "reason");
	}
	v = app_view(r, a, "");
	n = review_asg_list(&r->arena, a->id, s, REVIEW_MAX_ASSIGN);
	ndone = review_asg_done(s, n);
	need = review_needed(a->association);
	open = a->status == APP_SUBMITTED || a->status == APP_EXAM;
	c = coord_head(r, a, v, n, ndone, need);
	/* The coordinator's own application (or one they rated): another
	   coordinator assigns and decides; the page says who can. */
	conflict = review_coord_conflict(&who, &r->arena, a);
	json_object_set_new(c, "conflict", json_string(conflict != NULL ?
	    conflict : ""));
	if (conflict != NULL)
		open = 0;

	/* Reviewers and what they recommend. */
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, asg_view(r, a, &s[i]));
	json_object_set_new(c, "assignments", list);
	json_object_set_new(c, "disagree", json_boolean(
	    review_agree(a->association) && review_asg_differ(s, n)));
	list = coord_missing(r, v, n, ndone, need);
	if ((first = app_decided_first(r, a, json_object_get(v, "check"))) !=
	    NULL)
		json_array_append_new(list, json_pack("{s:s}", "text", first));
	json_object_set_new(c, "missing", list);
	json_object_set_new(c, "together", app_decided_together(r, a,
	    json_object_get(v, "doc"), json_object_get(v, "check")));

	list = coord_candidates(r, a, s, n, typed_rev);
	json_object_set_new(c, "can_assign", json_boolean(open && n < need));
	json_object_set_new(c, "n_candidates", json_integer((json_int_t)
	    json_array_size(list)));
	f = view_field("reviewer", "Reviewer", "select", NULL, errors, NULL);
	json_object_set_new(f, "hint", json_string("Raters, references and "
	    "the applicant cannot review it."));
	json_object_set_new(f, "options", list);
	json_object_set_new(v, "assign_fields", json_pack("[o]", f));

	/* Unlock, then the decision. */
	json_object_set_new(c, "can_unlock", json_boolean(
	    a->status == APP_SUBMITTED && conflict == NULL));
	json_object_set_new(c, "unlock_note", rv_text_field(typed_unlock,
	    errors, "unlock-note"));
	json_object_set_new(c, "can_decide", json_boolean(open));
	json_object_set_new(c, "reviews_ready", json_boolean(n >= need &&
	    ndone == n));
	json_object_set_new(c, "decide", json_pack("{s:o, s:o, s:o, s:s}",
	    "options", coord_decisions(a, typed_dec), "note",
	    rv_text_field(typed_note, errors, "note"), "reason",
	    rv_text_field(typed_reason, errors, "reason"), "error",
	    error_of(errors, "decision")));
	json_object_set_new(c, "reviewer_error", json_string(error_of(errors,
	    "reviewer")));

	json_object_set_new(c, "history", coord_history(r, a));
	json_object_set_new(c, "can_note", json_boolean(a->account !=
	    who.id));
	json_object_set_new(c, "internal", rv_text_field(status != 200 ?
	    req_form(r, "internal") : NULL, errors, "internal"));
	json_object_set_new(c, "account", json_integer(
	    (json_int_t)a->account));
	json_object_set_new(v, "coord", c);
	rv_problems(v, errors, coord_labels, (int)(sizeof coord_labels /
	    sizeof coord_labels[0]));
	json_decref(errors);
	view_page(r, status, "coord/app", arena_printf(&r->arena,
	    "Application %lld (%s)", (long long)a->id, a->category), v);
}

void
page_coord_app(struct req *r)
{
	struct app	 a;

	if (coord_app(r, r->id, &a) != 0)
		return;
	coord_app_page(r, &a, 200, NULL);
}

/* Show the page again with one problem. */
static void
coord_refuse(struct req *r, const struct app *a, int status,
    const char *field, const char *msg)
{
	coord_app_page(r, a, status, json_pack("{s:s}", field, msg));
}

/* A refusal of the domain: beside its field on the page, or alone. */
static void
coord_derr(struct req *r, const struct app *a, const struct derr *e)
{
	if (e->field != NULL)
		coord_refuse(r, a, e->status, e->field, e->message);
	else
		view_derr(r, e);
}

void
page_coord_unlock(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (coord_app(r, r->id, &a) != 0)
		return;
	if (review_unlock(&who, &r->arena, a.id, req_form(r, "note"),
	    &e) != 0) {
		coord_derr(r, &a, &e);
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld", (long long)a.id);
}

void
page_coord_assign(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;
	int64_t		 id;

	if (coord_app(r, r->id, &a) != 0)
		return;
	if ((id = form_id(req_form(r, "reviewer"))) == 0) {
		coord_refuse(r, &a, 400, "reviewer", "choose a reviewer");
		return;
	}
	if (review_assign(&who, &r->arena, a.id, id, &e) != 0) {
		coord_derr(r, &a, &e);
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld#reviewers",
	    (long long)a.id);
}

void
page_coord_unassign(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (coord_app(r, r->id, &a) != 0)
		return;
	if (review_unassign(&who, &r->arena, a.id, r->id2, &e) != 0) {
		coord_derr(r, &a, &e);
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld#reviewers",
	    (long long)a.id);
}

void
page_coord_decide(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (coord_app(r, r->id, &a) != 0)
		return;
	if (review_decide(&who, &r->arena, a.id, rec_parse(req_form(r,
	    "decision")), req_form(r, "note"), req_form(r, "reason"),
	    &e) != 0) {
		coord_derr(r, &a, &e);
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld", (long long)a.id);
}

/* An internal note (dom-notify.c): refused beside its field, what was
   typed kept. */
void
page_coord_note(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (coord_app(r, r->id, &a) != 0)
		return;
	if (note_add(&who, &r->arena, NOTE_APPLICATION, a.id, a.account,
	    req_form(r, "internal"), &e) != 0) {
		coord_derr(r, &a, &e);
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld#history-h",
	    (long long)a.id);
}
