/*
 * Review: the coordinator's screen of one application (the checklist, the
 * reviewers and their recommendations, what is missing, the history, the
 * unlock and the decision), review cycles, the association's reviewers;
 * and the reviewer's list and form.
 *
 * Every coordinator handler first checks that the row (application,
 * cycle, reviewer) is of the caller's association, every reviewer
 * handler that the assignment is the caller's (S_ASSIGN_GET binds the
 * caller as $reviewer); anything else answers 404, as a missing row
 * would.  Every change is one transaction with its audit row and its
 * mail: all stored, or none.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "banned.h"

#define MAX_ASSIGN	16	/* assignments of one application read */
#define MAX_TEXT	10000	/* bytes of one comment or note */
#define MAX_CYCLE_NAME	200
#define MAX_COORDS	32	/* coordinators mailed per association */
#define MAX_MARKS	256	/* competency checkboxes read */

/* One reviewer on one application (S_ASSIGN_LIST_APP, S_ASSIGN_GET). */
struct asg {
	int64_t		 id;
	int64_t		 app;
	int64_t		 reviewer;
	char		*name;
	char		*email;
	char		*rec;		/* NULL: none yet */
	char		*missing;
	char		*comments;	/* {"tab": "text"} */
	char		*to_applicant;
	char		*competencies;	/* [index, ...] */
	int64_t		 done;		/* time, 0: a draft */
};

static const struct {
	const char	*value;
	const char	*label;		/* the reviewer's and coordinator's */
	const char	*decided;	/* the decision in the history */
} recs[] = {
	{ "endorse", "Endorse", "endorsed" },
	{ "exam", "Approve for the exam", "approved for the exam" },
	{ "defer", "Defer: more training or RSC is needed", "deferred" },
	{ "deny", "Deny", "denied" },
};
#define NRECS	(int)(sizeof recs / sizeof recs[0])

/* ------------------------------------------------------------- helpers */

/* The label of a recommendation, or the word itself. */
static const char *
rec_label(const char *v)
{
	int	 i;

	for (i = 0; v != NULL && i < NRECS; i++)
		if (strcmp(recs[i].value, v) == 0)
			return recs[i].label;
	return v != NULL ? v : "";
}

/* Whether a text is empty once spaces are left out: a note of blanks
   says nothing. */
static int
blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* A time as UTC "YYYY-MM-DD HH:MM", the history's and the lists'. */
static const char *
when(struct req *r, int64_t t)
{
	char	 d[11];
	int64_t	 s;

	if (t <= 0)
		return "";
	date_format((int32_t)(t / 86400), d);
	s = t % 86400;
	return arena_printf(&r->arena, "%s %02d:%02d", d, (int)(s / 3600),
	    (int)(s / 60 % 60));
}

static int
reviewers_needed(const char *assoc)
{
	const struct ruleset	*rs = web_rules(assoc);

	return rs != NULL && rs->workflow.reviewers > 0 ?
	    rs->workflow.reviewers : 1;
}

static int
agree_required(const char *assoc)
{
	const struct ruleset	*rs = web_rules(assoc);

	return rs != NULL && rs->workflow.agree;
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

/* The title of a tab a reviewer comments on ("ethics" is not a kind of
   entry but has a tab). */
static const char *
tab_title(const char *kind)
{
	const struct kdef	*kd = kind_find(kind);

	if (kd != NULL)
		return kd->title;
	return strcmp(kind, "ethics") == 0 ? "Code of Ethics" : kind;
}

/* An account's name and e-mail; 0, or -1 when it is gone. */
static int
account_of(struct req *r, int64_t id, char **name, char **email)
{
	struct dbq	*st = db_stmt(S_ACCOUNT_BY_ID);
	int		 rc = -1;

	db_bind_int(st, "$id", id);
	if (db_step(st) == DB_ROW) {
		if (name != NULL)
			*name = db_text(&r->arena, st, 1);
		if (email != NULL)
			*email = db_text(&r->arena, st, 2);
		rc = 0;
	}
	db_reset(st);
	return rc;
}

/* Copy the current row of S_ASSIGN_LIST_APP into s. */
static void
asg_row_app(struct req *r, struct dbq *st, struct asg *s)
{
	memset(s, 0, sizeof *s);
	s->id = db_col_int64(st, 0);
	s->reviewer = db_col_int64(st, 1);
	s->name = db_text(&r->arena, st, 2);
	s->email = db_text(&r->arena, st, 3);
	s->rec = db_text(&r->arena, st, 4);
	s->missing = db_text(&r->arena, st, 5);
	s->comments = db_text(&r->arena, st, 6);
	s->to_applicant = db_text(&r->arena, st, 7);
	s->competencies = db_text(&r->arena, st, 8);
	s->done = db_col_int64(st, 9);
}

/* The assignments of an application, oldest first; the count. */
static int
asg_list(struct req *r, int64_t app, struct asg *out, int max)
{
	struct dbq	*st = db_stmt(S_ASSIGN_LIST_APP);
	int		 n = 0;

	db_bind_int(st, "$app", app);
	while (n < max && db_step(st) == DB_ROW)
		asg_row_app(r, st, &out[n++]);
	db_reset(st);
	return n;
}

/* The caller's assignment id, or -1 when it is not theirs. */
static int
asg_get(struct req *r, int64_t id, struct asg *s)
{
	struct dbq	*st = db_stmt(S_ASSIGN_GET);
	int		 rc = -1;

	memset(s, 0, sizeof *s);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$reviewer", r->user.id);
	if (db_step(st) == DB_ROW) {
		s->id = db_col_int64(st, 0);
		s->app = db_col_int64(st, 1);
		s->reviewer = r->user.id;
		s->rec = db_text(&r->arena, st, 2);
		s->missing = db_text(&r->arena, st, 3);
		s->comments = db_text(&r->arena, st, 4);
		s->to_applicant = db_text(&r->arena, st, 5);
		s->competencies = db_text(&r->arena, st, 6);
		s->done = db_col_int64(st, 7);
		rc = 0;
	}
	db_reset(st);
	return rc;
}

/* How many are done. */
static int
asg_done(const struct asg *s, int n)
{
	int	 i, d = 0;

	for (i = 0; i < n; i++)
		d += s[i].done > 0;
	return d;
}

/* Whether the done recommendations differ. */
static int
asg_differ(const struct asg *s, int n)
{
	const char	*first = NULL;
	int		 i;

	for (i = 0; i < n; i++) {
		if (s[i].done <= 0 || s[i].rec == NULL)
			continue;
		if (first == NULL)
			first = s[i].rec;
		else if (strcmp(first, s[i].rec) != 0)
			return 1;
	}
	return 0;
}

/* The competencies an assignment marked, by name. */
static json_t *
asg_competencies(const struct ruleset *rs, const char *text)
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
		if (json_is_string(v) && !blank(json_string_value(v)))
			json_array_append_new(list, json_pack("{s:s, s:s}",
			    "tab", tab_title(key), "text",
			    json_string_value(v)));
	}
	json_decref(c);
	o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, "
	    "s:o, s:o}", "id", (json_int_t)s->id, "reviewer",
	    (json_int_t)s->reviewer, "name", s->name != NULL ? s->name : "",
	    "email", s->email != NULL ? s->email : "", "recommendation",
	    s->rec != NULL ? s->rec : "", "rec_label", rec_label(s->rec),
	    "done", s->done > 0, "done_at", when(r, s->done), "missing",
	    s->missing != NULL ? s->missing : "", "to_applicant",
	    s->to_applicant != NULL ? s->to_applicant : "", "comments", list,
	    "competencies", asg_competencies(rs, s->competencies));
	json_object_set_new(o, "n_competencies", json_integer((json_int_t)
	    json_array_size(json_object_get(o, "competencies"))));
	json_object_set_new(o, "n_comments", json_integer((json_int_t)
	    json_array_size(list)));
	return o;
}

/* Mail every coordinator of an association (in the caller's
   transaction); 0 or -1. */
static int
mail_coordinators(struct req *r, const char *assoc, const char *subject,
    const char *body)
{
	struct dbq	*st = db_stmt(S_COORDINATOR_OF);
	char		*to[MAX_COORDS];
	int		 n = 0, i;

	db_bind_text(st, "$assoc", assoc);
	while (n < MAX_COORDS && db_step(st) == DB_ROW)
		to[n++] = db_text(&r->arena, st, 1);
	db_reset(st);
	for (i = 0; i < n; i++)
		if (to[i] != NULL && mail_send(&(struct mail){ to[i], subject,
		    body, assoc, 0 }) != 0)
			return -1;
	return 0;
}

/* An audit row's detail in words: "key: value, ...". */
static const char *
detail_words(struct req *r, const char *text)
{
	json_t		*o = json_loads(text != NULL ? text : "{}", 0, NULL);
	json_t		*val;
	const char	*key;
	struct buf	 b;
	char		*s, *out;

	if (!json_is_object(o)) {
		json_decref(o);
		return text != NULL ? text : "";
	}
	buf_init(&b);
	json_object_foreach(o, key, val) {
		if (b.len > 0)
			buf_puts(&b, "; ");
		if (json_is_string(val))
			buf_printf(&b, "%s: %s", key, json_string_value(val));
		else if (json_is_integer(val))
			buf_printf(&b, "%s: %lld", key,
			    (long long)json_integer_value(val));
		else if (json_is_null(val))
			buf_printf(&b, "%s: none", key);
		else {
			s = json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY);
			buf_printf(&b, "%s: %s", key, s != NULL ? s : "");
			free(s);
		}
	}
	json_decref(o);
	out = arena_strdup(&r->arena, b.len > 0 ? b.s : "");
	buf_free(&b);
	return out;
}

/* A field of a form and the label shown beside it. */
struct label {
	const char	*field;
	const char	*label;
};

/* A form's problems for the error summary, in the order of the form:
   errors is field -> message. */
static void
set_problems(json_t *v, json_t *errors, const struct label *labels, int n)
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

/* {"value": typed or stored, "error": message or ""}: every key the
   template asks is present, so nothing is found further out. */
static json_t *
text_field(const char *value, json_t *errors, const char *name)
{
	json_t	*e = errors != NULL ? json_object_get(errors, name) : NULL;

	return json_pack("{s:s, s:s}", "value", value != NULL ? value : "",
	    "error", json_is_string(e) ? json_string_value(e) : "");
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

static const struct label coord_labels[] = {
	{ "reviewer", "Reviewer" },
	{ "unlock-note", "What to change" },
	{ "decision", "Decision" },
	{ "note", "Note to the applicant" },
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

/* The coordinator's page of one application; errors (field -> message,
   consumed) and the typed values are shown when status is not 200. */
static void
coord_app_page(struct req *r, const struct app *a, int status,
    json_t *errors)
{
	struct asg		 s[MAX_ASSIGN];
	json_t			*v, *c, *list, *opts, *f, *doc;
	struct dbq		*st;
	const char		*typed_rev = NULL, *typed_dec = NULL;
	const char		*typed_note = NULL, *typed_unlock = NULL;
	const char		*first;
	char			*cycle = NULL, sub[11];
	int			 n, ndone, need, i, open, can_decide, exam;
	int64_t			 id;

	if (errors == NULL)
		errors = json_object();
	if (status != 200) {
		typed_rev = req_form(r, "reviewer");
		typed_dec = req_form(r, "decision");
		if (json_object_get(errors, "unlock-note") != NULL)
			typed_unlock = req_form(r, "note");
		else
			typed_note = req_form(r, "note");
	}
	v = app_view(r, a, "");
	n = asg_list(r, a->id, s, MAX_ASSIGN);
	ndone = asg_done(s, n);
	need = reviewers_needed(a->association);
	open = a->status == APP_SUBMITTED ||
	    a->status == APP_EXAM;
	exam = workflow_needs_exam(a);

	if (a->cycle > 0) {
		st = db_stmt(S_CYCLE_GET);
		db_bind_int(st, "$id", a->cycle);
		db_bind_text(st, "$assoc", a->association);
		if (db_step(st) == DB_ROW)
			cycle = db_text(&r->arena, st, 1);
		db_reset(st);
	}
	sub[0] = '\0';
	if (a->submitted > 0)
		date_format((int32_t)(a->submitted / 86400), sub);
	doc = json_object_get(json_object_get(v, "doc"), "applicant");
	c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b, "
	    "s:b, s:i, s:i, s:i}",
	    "applicant", json_string_value(json_object_get(doc, "name")) !=
	    NULL ? json_string_value(json_object_get(doc, "name")) : "",
	    "applicant_email", json_string_value(json_object_get(doc,
	    "email")) != NULL ?
	    json_string_value(json_object_get(doc, "email")) : "",
	    "status", db_enum_word(app_status, a->status), "submitted", sub, "fee_owed", web_fee_owed(
	    &r->arena, a->association, a->category, a->fee_owed),
	    "cycle", cycle != NULL ? cycle : "", "cycle_id",
	    (json_int_t)a->cycle, "decision", a->decision != NULL ?
	    rec_label(a->decision) : "", "decision_note",
	    a->decision_note != NULL ? a->decision_note : "", "needs_exam",
	    exam, "agree", agree_required(a->association), "n_assigned", n,
	    "n_done", ndone, "n_needed", need);

	/* Reviewers and what they recommend. */
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, asg_view(r, a, &s[i]));
	json_object_set_new(c, "assignments", list);
	json_object_set_new(c, "disagree", json_boolean(
	    agree_required(a->association) && asg_differ(s, n)));
	list = coord_missing(r, v, n, ndone, need);
	if ((first = app_decided_first(r, a, json_object_get(v, "check"))) !=
	    NULL)
		json_array_append_new(list, json_pack("{s:s}", "text", first));
	json_object_set_new(c, "missing", list);
	json_object_set_new(c, "together", app_decided_together(r, a,
	    json_object_get(v, "doc"), json_object_get(v, "check")));

	/* Assign: the association's reviewers not yet on it. */
	opts = json_array();
	st = db_stmt(S_REVIEWER_LIST);
	db_bind_text(st, "$assoc", a->association);
	while (db_step(st) == DB_ROW) {
		id = db_col_int64(st, 0);
		for (i = 0; i < n && s[i].reviewer != id; i++)
			;
		if (i < n || id == a->account)
			continue;
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", arena_printf(&r->arena, "%lld", (long long)id),
		    "label", arena_printf(&r->arena, "%s (%s), %d open",
		    (const char *)db_col_text(st, 1),
		    (const char *)db_col_text(st, 2),
		    db_col_int(st, 3)), "checked", typed_rev != NULL &&
		    form_id(typed_rev) == id));
	}
	db_reset(st);
	json_object_set_new(c, "can_assign", json_boolean(open && n < need));
	json_object_set_new(c, "n_candidates", json_integer((json_int_t)
	    json_array_size(opts)));
	f = view_field("reviewer", "Reviewer", "select", NULL, errors, NULL);
	json_object_set_new(f, "hint", json_string("Raters, references and "
	    "the applicant cannot review it."));
	json_object_set_new(f, "options", opts);
	json_object_set_new(v, "assign_fields", json_pack("[o]", f));

	/* Unlock, then the decision. */
	json_object_set_new(c, "can_unlock", json_boolean(a->status == APP_SUBMITTED));
	json_object_set_new(c, "unlock_note", text_field(typed_unlock, errors,
	    "unlock-note"));
	can_decide = open;
	json_object_set_new(c, "can_decide", json_boolean(can_decide));
	json_object_set_new(c, "reviews_ready", json_boolean(n >= need &&
	    ndone == n));
	opts = json_array();
	for (i = 0; i < NRECS; i++) {
		if (strcmp(recs[i].value, "exam") == 0 && (!exam ||
		    a->status == APP_EXAM))
			continue;
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", recs[i].value, "label", recs[i].label, "checked",
		    typed_dec != NULL && strcmp(typed_dec, recs[i].value) ==
		    0));
	}
	json_object_set_new(c, "decide", json_pack("{s:o, s:o, s:s}",
	    "options", opts, "note", text_field(typed_note, errors, "note"),
	    "error", json_is_string(json_object_get(errors, "decision")) ?
	    json_string_value(json_object_get(errors, "decision")) : ""));
	json_object_set_new(c, "reviewer_error", json_string(
	    json_is_string(json_object_get(errors, "reviewer")) ?
	    json_string_value(json_object_get(errors, "reviewer")) : ""));

	/* The history, oldest first. */
	list = json_array();
	st = db_stmt(S_AUDIT_LIST);
	db_bind_int(st, "$app", a->id);
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s}", "at", when(r, db_col_int64(st, 0)), "actor",
		    (const char *)db_col_text(st, 1), "what",
		    (const char *)db_col_text(st, 2), "action",
		    (const char *)db_col_text(st, 3), "detail",
		    detail_words(r, (const char *)db_col_text(st, 4))));
	db_reset(st);
	json_object_set_new(c, "history", list);
	json_object_set_new(v, "coord", c);
	set_problems(v, errors, coord_labels, (int)(sizeof coord_labels /
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

/* Roll back and show the page again with one problem. */
static void
coord_refuse(struct req *r, const struct app *a, int status,
    const char *field, const char *msg)
{
	db_rollback();
	coord_app_page(r, a, status, json_pack("{s:s}", field, msg));
}

void
page_coord_unlock(struct req *r)
{
	struct app	 a;
	const char	*note = req_form(r, "note");

	if (coord_app(r, r->id, &a) != 0)
		return;
	if (blank(note)) {
		coord_refuse(r, &a, 400, "unlock-note", "say what the "
		    "applicant should change; it is mailed to them");
		return;
	}
	if (strlen(note) > MAX_TEXT) {
		coord_refuse(r, &a, 400, "unlock-note", arena_printf(&r->arena,
		    "at most %d characters", MAX_TEXT));
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	if (app_transition(r, &a, "submitted", "draft", json_pack("{s:s}",
	    "note", note)) != 0) {
		coord_refuse(r, &a, 409, "unlock-note", arena_printf(&r->arena,
		    "only a submitted application can be unlocked; this one "
		    "is %s", db_enum_word(app_status, a.status)));
		return;
	}
	if (app_notify(r, &a, "Your application was returned for changes",
	    arena_printf(&r->arena, "Your %s (%s) application to %s was "
	    "returned to you for changes. It is open for editing again; "
	    "submit it once more when it is ready.\n\nFrom the coordinator:"
	    "\n%s\n\n%s/applications/%lld\n", web_category_title(a.association,
	    a.category), a.category, web_assoc_name(a.association), note,
	    cfg.base_url, (long long)a.id)) != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 500, "the application could not be unlocked; "
		    "nothing was changed");
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld", (long long)a.id);
}

/* Whether e-mail is one of the application's raters (any request) or
   references (the portfolio's entries). */
static int
rater_or_reference(struct req *r, const struct app *a, const char *email)
{
	struct dbq	*st;
	json_t		*doc, *e;
	const char	*m;
	size_t		 i;
	int		 found = 0;

	if (email == NULL)
		return 0;
	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a->id);
	while (!found && db_step(st) == DB_ROW)
		found = strcasecmp((const char *)db_col_text(st, 1),
		    email) == 0;
	db_reset(st);
	if (found)
		return 1;
	doc = app_portfolio(r, a);
	json_array_foreach(json_object_get(doc, "references"), i, e) {
		m = json_string_value(json_object_get(e, "email"));
		if (m != NULL && strcasecmp(m, email) == 0) {
			found = 1;
			break;
		}
	}
	json_decref(doc);
	return found;
}

void
page_coord_assign(struct req *r)
{
	struct app	 a;
	struct asg	 s[MAX_ASSIGN];
	struct dbq	*st;
	int64_t		 id, aid;
	char		*name = NULL, *email = NULL;
	int		 i, n, need;

	if (coord_app(r, r->id, &a) != 0)
		return;
	if ((id = form_id(req_form(r, "reviewer"))) == 0) {
		coord_refuse(r, &a, 400, "reviewer", "choose a reviewer");
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	if (a.status != APP_SUBMITTED && a.status != APP_EXAM) {
		coord_refuse(r, &a, 409, "reviewer", arena_printf(&r->arena,
		    "reviewers are assigned to submitted applications; this "
		    "one is %s", db_enum_word(app_status, a.status)));
		return;
	}
	if (!workflow_is_reviewer(id, a.association) ||
	    account_of(r, id, &name, &email) != 0) {
		coord_refuse(r, &a, 400, "reviewer", arena_printf(&r->arena,
		    "this account is not a reviewer of %s",
		    web_assoc_name(a.association)));
		return;
	}
	if (id == a.account) {
		coord_refuse(r, &a, 400, "reviewer", "the applicant cannot "
		    "review their own application");
		return;
	}
	if (rater_or_reference(r, &a, email)) {
		coord_refuse(r, &a, 400, "reviewer", arena_printf(&r->arena,
		    "%s is a rater or a reference of this application and "
		    "cannot review it", name));
		return;
	}
	/* This submission's reviewers: one who reviewed an earlier round
	   may review it again. */
	n = asg_list(r, a.id, s, MAX_ASSIGN);
	for (i = 0; i < n; i++)
		if (s[i].reviewer == id) {
			coord_refuse(r, &a, 400, "reviewer", arena_printf(
			    &r->arena, "%s already reviews this application",
			    name));
			return;
		}
	need = reviewers_needed(a.association);
	if (n >= need) {
		coord_refuse(r, &a, 409, "reviewer", arena_printf(&r->arena,
		    "%s has %d reviewer%s per application and this one has "
		    "%d; remove one first", web_assoc_name(a.association), need,
		    need == 1 ? "" : "s", n));
		return;
	}
	st = db_stmt(S_ASSIGN_INSERT);
	db_bind_int(st, "$app", a.id);
	db_bind_int(st, "$reviewer", id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	aid = db_last_id();
	if (audit_log(r, "assignment", aid, "assign", json_pack("{s:I, s:I}",
	    "application", (json_int_t)a.id, "reviewer", (json_int_t)id)) !=
	    0 ||
	    mail_send(&(struct mail){ email, "An application to review",
	    arena_printf(&r->arena, "Dear %s,\n\nYou are asked to review an "
	    "application for the %s (%s) Endorsement of %s.\n\nOpen it "
	    "(after logging in):\n%s/review/%lld\n", name, web_category_title(
	    a.association, a.category), a.category, web_assoc_name(a.association),
	    cfg.base_url, (long long)aid), a.association, 0 }) != 0 ||
	    db_commit() != 0)
		goto fail;
	reply_redirect(r, "/coordinator/applications/%lld#reviewers",
	    (long long)a.id);
	return;
fail:
	db_rollback();
	view_error(r, 500, "the reviewer could not be assigned; nothing was "
	    "changed");
}

void
page_coord_unassign(struct req *r)
{
	struct app	 a;
	struct asg	 s[MAX_ASSIGN];
	struct dbq	*st;
	int		 n, i;

	if (coord_app(r, r->id, &a) != 0)
		return;
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	n = asg_list(r, a.id, s, MAX_ASSIGN);
	for (i = 0; i < n && s[i].id != r->id2; i++)
		;
	if (i == n) {
		db_rollback();
		view_error(r, 404, "there is no such assignment");
		return;
	}
	if (s[i].done > 0) {
		coord_refuse(r, &a, 409, "reviewer", arena_printf(&r->arena,
		    "%s has submitted their recommendation; a completed review "
		    "is not removed", s[i].name));
		return;
	}
	st = db_stmt(S_ASSIGN_DELETE);
	db_bind_int(st, "$id", s[i].id);
	db_bind_int(st, "$app", a.id);
	if (db_exec(st) != 0 || db_changes() != 1 || audit_log(r,
	    "assignment", s[i].id, "unassign", json_pack("{s:I, s:I}",
	    "application", (json_int_t)a.id, "reviewer",
	    (json_int_t)s[i].reviewer)) != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 500, "the assignment could not be removed");
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld#reviewers",
	    (long long)a.id);
}

/* The exam requirement of a checklist is met (or there is none). */
static int
exam_met(json_t *check)
{
	json_t		*rq;
	const char	*id;
	size_t		 i;

	json_array_foreach(json_object_get(check, "requirements"), i, rq) {
		id = json_string_value(json_object_get(rq, "id"));
		if (id != NULL && strcmp(id, "exam") == 0)
			return json_is_true(json_object_get(rq, "met"));
	}
	return 1;
}

/* The applicant's mail about a decision: the decision, the note, what
   the reviewers wrote for them. */
static const char *
decision_mail(struct req *r, const struct app *a, const char *dec,
    const char *note, const char *number, const struct asg *s, int n,
    const char **subject)
{
	struct buf	 b;
	char		*out;
	int		 i, any = 0;

	buf_init(&b);
	buf_printf(&b, "Your %s (%s) application to %s: ", web_category_title(
	    a->association, a->category), a->category,
	    web_assoc_name(a->association));
	if (strcmp(dec, "endorse") == 0) {
		*subject = "You are endorsed";
		buf_printf(&b, "you are endorsed. Your endorsement number is "
		    "%s; the public registry lists it.\n", number);
	} else if (strcmp(dec, "exam") == 0) {
		*subject = "Your application is approved for the exam";
		buf_puts(&b, "the review approved it for the exam. The "
		    "coordinator will register you for an exam session.\n");
	} else if (strcmp(dec, "defer") == 0) {
		*subject = "Your application was deferred";
		buf_puts(&b, "more is needed before it can be endorsed. It is "
		    "open for changes again: add what is missing and submit "
		    "it once more.\n");
	} else {
		*subject = "Your application was not approved";
		buf_puts(&b, "it was not approved.\n");
	}
	if (!blank(note))
		buf_printf(&b, "\nFrom the coordinator:\n%s\n", note);
	for (i = 0; i < n; i++) {
		if (blank(s[i].to_applicant))
			continue;
		if (!any++)
			buf_puts(&b, "\nFrom the reviewers:\n");
		buf_printf(&b, "%s\n", s[i].to_applicant);
	}
	buf_printf(&b, "\n%s/applications/%lld\n", cfg.base_url,
	    (long long)a->id);
	out = arena_strdup(&r->arena, b.s);
	buf_free(&b);
	return out;
}

void
page_coord_decide(struct req *r)
{
	static const char *const to[] = { "endorsed", "exam", "deferred",
	    "denied" };
	struct app	 a;
	struct asg	 s[MAX_ASSIGN];
	struct dbq	*st;
	const char	*dec = req_form(r, "decision");
	const char	*note = req_form(r, "note"), *why = NULL, *subject;
	const char	*body;
	json_t		*doc, *check;
	char		*cause = NULL, *number = NULL;
	int		 k, n, ndone, need, ready, exam_ok, rc;

	if (coord_app(r, r->id, &a) != 0)
		return;
	for (k = 0; dec != NULL && k < NRECS; k++)
		if (strcmp(dec, recs[k].value) == 0)
			break;
	if (dec == NULL || k == NRECS) {
		coord_refuse(r, &a, 400, "decision", "choose endorse, exam, "
		    "defer or deny");
		return;
	}
	if (note != NULL && strlen(note) > MAX_TEXT) {
		coord_refuse(r, &a, 400, "note", arena_printf(&r->arena,
		    "at most %d characters", MAX_TEXT));
		return;
	}
	if (strcmp(dec, "exam") == 0 && !workflow_needs_exam(&a)) {
		coord_refuse(r, &a, 400, "decision", "this category has no "
		    "exam");
		return;
	}
	if (strcmp(dec, "defer") == 0 && blank(note)) {
		coord_refuse(r, &a, 400, "note", "say what is missing: the "
		    "applicant reads it to know what to add");
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	if (!(a.status == APP_SUBMITTED || (a.status == APP_EXAM && strcmp(dec, "exam") != 0))) {
		coord_refuse(r, &a, 409, "decision", arena_printf(&r->arena,
		    "a decision is made on a submitted application (after the "
		    "exam: endorse, defer or deny); this one is %s",
		    db_enum_word(app_status, a.status)));
		return;
	}
	n = asg_list(r, a.id, s, MAX_ASSIGN);
	ndone = asg_done(s, n);
	need = reviewers_needed(a.association);
	if (n < need) {
		coord_refuse(r, &a, 409, "decision", arena_printf(&r->arena,
		    "%d reviewer%s must review it first; %d %s assigned", need,
		    need == 1 ? "" : "s", n, n == 1 ? "is" : "are"));
		return;
	}
	if (ndone < n) {
		coord_refuse(r, &a, 409, "decision", arena_printf(&r->arena,
		    "not every reviewer is done: %d of %d recommendations "
		    "submitted", ndone, n));
		return;
	}
	if (strcmp(dec, "endorse") == 0) {
		doc = app_portfolio(r, &a);
		check = app_checklist(r, &a, doc, &cause);
		ready = app_ready(check);
		exam_ok = !workflow_needs_exam(&a) || exam_met(check);
		json_decref(doc);
		json_decref(check);
		free(cause);
		if (!ready || !exam_ok) {
			coord_refuse(r, &a, 409, "decision", !ready ? "the "
			    "checklist is not met: every requirement must be "
			    "met to endorse" : "the exam is not passed yet; "
			    "approve for the exam first");
			return;
		}
		if ((rc = endorsement_issue(r, &a, &number, &why)) > 0) {
			coord_refuse(r, &a, 409, "decision", why);
			return;
		}
		if (rc != 0) {
			db_rollback();
			view_error(r, 500, why);
			return;
		}
	}
	st = db_stmt(S_APP_SET_DECISION);
	db_bind_text(st, "$status", to[k]);
	db_bind_text(st, "$decision", dec);
	db_bind_text(st, "$note", note != NULL ? note : "");
	db_bind_int(st, "$id", a.id);
	db_bind_int(st, "$now", db_now());
	db_bind_text(st, "$from", db_enum_word(app_status, a.status));
	if (db_exec(st) != 0 || db_changes() != 1) {
		coord_refuse(r, &a, 409, "decision", "the application changed "
		    "meanwhile; reload the page");
		return;
	}
	body = decision_mail(r, &a, dec, note, number, s, n, &subject);
	if (audit_log(r, "application", a.id, "decision", json_pack("{s:s, "
	    "s:s, s:s, s:s, s:s?}", "decision", dec, "from", db_enum_word(app_status, a.status), "to",
	    to[k], "note", note != NULL ? note : "", "number", number)) != 0 ||
	    app_notify(r, &a, subject, body) != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 500, "the decision could not be stored; nothing "
		    "was changed");
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld", (long long)a.id);
}

/* ------------------------------------------------------------- cycles */

static const struct label cycle_labels[] = {
	{ "name", "Name" },
	{ "opens", "Opens" },
	{ "closes", "Closes" },
};

/* The cycles of the association and the form for a new one. */
static void
cycles_page(struct req *r, int status, json_t *errors)
{
	json_t		*v = json_object(), *list = json_array(), *f;
	struct dbq	*st;
	int		 typed = status != 200;

	if (errors == NULL)
		errors = json_object();
	st = db_stmt(S_CYCLE_LIST);
	db_bind_text(st, "$assoc", r->user.association);
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:b, s:i}", "id", (json_int_t)db_col_int64(st,
		    0), "name", (const char *)db_col_text(st, 1),
		    "opens", (const char *)db_col_text(st, 2), "closes",
		    (const char *)db_col_text(st, 3), "status",
		    (const char *)db_col_text(st, 4), "open",
		    strcmp((const char *)db_col_text(st, 4), "open") ==
		    0, "n_applications", db_col_int(st, 5)));
	db_reset(st);
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	json_object_set_new(v, "n_cycles", json_integer((json_int_t)
	    json_array_size(list)));
	json_object_set_new(v, "cycles", list);
	f = json_array();
	json_array_append_new(f, view_field("name", "Name", "text", typed ?
	    req_form(r, "name") : NULL, errors, "off"));
	json_object_set_new(json_array_get(f, 0), "hint",
	    json_string("For example “Spring 2027”."));
	json_array_append_new(f, view_field("opens", "Opens", "date", typed ?
	    req_form(r, "opens") : NULL, errors, NULL));
	json_array_append_new(f, view_field("closes", "Closes", "date",
	    typed ? req_form(r, "closes") : NULL, errors, NULL));
	json_object_set_new(json_array_get(f, 2), "hint", json_string(
	    "Submitted applications enter the open cycle that closes "
	    "soonest."));
	json_object_set_new(v, "cycle_fields", f);
	set_problems(v, errors, cycle_labels, 3);
	json_decref(errors);
	view_page(r, status, "coord/cycles", "Review cycles", v);
}

void
page_cycles(struct req *r)
{
	cycles_page(r, 200, NULL);
}

void
page_cycle_new(struct req *r)
{
	const char	*name = req_form(r, "name");
	const char	*opens = req_form(r, "opens");
	const char	*closes = req_form(r, "closes");
	json_t		*errors = json_object();
	struct dbq	*st;
	int32_t		 o = 0, c = 0;
	int64_t		 id;
	int		 adopted = 0;

	if (blank(name))
		json_object_set_new(errors, "name", json_string("give the "
		    "cycle a name"));
	else if (strlen(name) > MAX_CYCLE_NAME)
		json_object_set_new(errors, "name", json_string(arena_printf(
		    &r->arena, "at most %d characters", MAX_CYCLE_NAME)));
	if (opens == NULL || date_parse(opens, &o) != 0)
		json_object_set_new(errors, "opens", json_string("enter the "
		    "date it opens as YYYY-MM-DD"));
	if (closes == NULL || date_parse(closes, &c) != 0)
		json_object_set_new(errors, "closes", json_string("enter the "
		    "date it closes as YYYY-MM-DD"));
	else if (json_object_get(errors, "opens") == NULL && c < o)
		json_object_set_new(errors, "closes", json_string("a cycle "
		    "closes on or after the day it opens"));
	if (json_object_size(errors) > 0) {
		cycles_page(r, 400, errors);
		return;
	}
	json_decref(errors);
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_CYCLE_INSERT);
	db_bind_text(st, "$assoc", r->user.association);
	db_bind_text(st, "$name", name);
	db_bind_text(st, "$opens", opens);
	db_bind_text(st, "$closes", closes);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	id = db_last_id();
	/* Submitted applications waiting for a cycle join this one, unless
	   it is already over (a past cycle recorded for the books). */
	if (c >= web_today()) {
		st = db_stmt(S_CYCLE_ADOPT);
		db_bind_int(st, "$cycle", id);
		db_bind_text(st, "$assoc", r->user.association);
		if (db_exec(st) != 0)
			goto fail;
		adopted = db_changes();
	}
	if (audit_log(r, "cycle", id, "create", json_pack("{s:s, s:s, s:s, "
	    "s:i}", "name", name, "opens", opens, "closes", closes,
	    "adopted", adopted)) != 0 || db_commit() != 0)
		goto fail;
	reply_redirect(r, "/coordinator/cycles/%lld", (long long)id);
	return;
fail:
	db_rollback();
	view_error(r, 500, "the cycle could not be stored; nothing was "
	    "changed");
}

void
page_cycle(struct req *r)
{
	json_t		*v = json_object(), *list = json_array();
	struct dbq	*st;
	const char	*status;
	int		 nasg, ndone, need, napps = 0, nreviewed = 0;
	int		 ndecided = 0;

	st = db_stmt(S_CYCLE_GET);
	db_bind_int(st, "$id", r->id);
	db_bind_text(st, "$assoc", r->user.association);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		json_decref(v);
		json_decref(list);
		view_error(r, 404, "there is no such review cycle");
		return;
	}
	json_object_set_new(v, "cycle", json_pack("{s:I, s:s, s:s, s:s, s:s, "
	    "s:b}", "id", (json_int_t)r->id, "name", (const char *)
	    db_col_text(st, 1), "opens", (const char *)
	    db_col_text(st, 2), "closes", (const char *)
	    db_col_text(st, 3), "status", (const char *)
	    db_col_text(st, 4), "open", strcmp((const char *)
	    db_col_text(st, 4), "open") == 0));
	db_reset(st);
	need = reviewers_needed(r->user.association);
	st = db_stmt(S_APP_LIST_ASSOC);
	db_bind_text(st, "$assoc", r->user.association);
	db_bind_int(st, "$cycle", r->id);
	while (db_step(st) == DB_ROW) {
		status = (const char *)db_col_text(st, 2);
		nasg = db_col_int(st, 6);
		ndone = db_col_int(st, 7);
		napps++;
		nreviewed += nasg >= need && ndone == nasg;
		ndecided += strcmp(status, "submitted") != 0;
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:i, s:i, s:b}", "id",
		    (json_int_t)db_col_int64(st, 0), "category",
		    (const char *)db_col_text(st, 1), "status", status,
		    "name", (const char *)db_col_text(st, 3), "email",
		    (const char *)db_col_text(st, 4), "n_assigned",
		    nasg, "n_done", ndone, "reviewed", nasg >= need &&
		    ndone == nasg));
	}
	db_reset(st);
	json_object_set_new(v, "n_applications", json_integer(napps));
	json_object_set_new(v, "applications", list);
	json_object_set_new(v, "progress", json_pack("{s:i, s:i, s:i, s:i}",
	    "applications", napps, "reviewed", nreviewed, "decided", ndecided,
	    "needed", need));
	view_page(r, 200, "coord/cycle", "Review cycle", v);
}

void
page_cycle_close(struct req *r)
{
	struct dbq	*st;
	int		 exists;

	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_CYCLE_GET);
	db_bind_int(st, "$id", r->id);
	db_bind_text(st, "$assoc", r->user.association);
	exists = db_step(st) == DB_ROW;
	db_reset(st);
	if (!exists) {
		db_rollback();
		view_error(r, 404, "there is no such review cycle");
		return;
	}
	st = db_stmt(S_CYCLE_CLOSE);
	db_bind_int(st, "$id", r->id);
	db_bind_text(st, "$assoc", r->user.association);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		view_error(r, 409, "this review cycle is already closed");
		return;
	}
	if (audit_log(r, "cycle", r->id, "close", json_object()) != 0 ||
	    db_commit() != 0)
		goto fail;
	reply_redirect(r, "/coordinator/cycles/%lld", (long long)r->id);
	return;
fail:
	db_rollback();
	view_error(r, 500, "the cycle could not be closed");
}

/* ----------------------------------------------------------- reviewers */

/* The association's reviewers and the form to add one. */
static void
reviewers_page(struct req *r, int status, json_t *errors)
{
	json_t		*v = json_object(), *list = json_array(), *f;
	struct dbq	*st;

	if (errors == NULL)
		errors = json_object();
	st = db_stmt(S_REVIEWER_LIST);
	db_bind_text(st, "$assoc", r->user.association);
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:i}",
		    "id", (json_int_t)db_col_int64(st, 0), "name",
		    (const char *)db_col_text(st, 1), "email",
		    (const char *)db_col_text(st, 2), "open",
		    db_col_int(st, 3)));
	db_reset(st);
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	json_object_set_new(v, "n_reviewers", json_integer((json_int_t)
	    json_array_size(list)));
	json_object_set_new(v, "reviewers", list);
	f = view_field("email", "E-mail of the reviewer", "email",
	    status != 200 ? req_form(r, "email") : NULL, errors, "off");
	json_object_set_new(f, "hint", json_string("The person needs an "
	    "account here and an active endorsement of this association."));
	json_object_set_new(v, "email_fields", json_pack("[o]", f));
	set_problems(v, errors, &(struct label){ "email",
	    "E-mail of the reviewer" }, 1);
	json_decref(errors);
	view_page(r, status, "coord/reviewers", "Reviewers", v);
}

void
page_reviewers(struct req *r)
{
	reviewers_page(r, 200, NULL);
}

/* Whether account holds an active endorsement of the association. */
static int
endorsed_by(int64_t account, const char *assoc)
{
	struct dbq	*st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
	int		 yes = 0;

	db_bind_int(st, "$account", account);
	while (!yes && db_step(st) == DB_ROW)
		yes = strcmp((const char *)db_col_text(st, 2),
		    assoc) == 0 && strcmp((const char *)db_col_text(st,
		    5), "active") == 0;
	db_reset(st);
	return yes;
}

void
page_reviewer_add(struct req *r)
{
	const char	*email = req_form(r, "email");
	struct dbq	*st;
	int64_t		 id = 0;

	if (!account_email_ok(email)) {
		reviewers_page(r, 400, json_pack("{s:s}", "email", "enter an "
		    "e-mail address such as name@example.org"));
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(st, "$email", email);
	if (db_step(st) == DB_ROW)
		id = db_col_int64(st, 0);
	db_reset(st);
	if (id == 0 || !endorsed_by(id, r->user.association)) {
		db_rollback();
		reviewers_page(r, 400, json_pack("{s:s}", "email", id == 0 ?
		    "no account has this e-mail; the person registers first" :
		    "this person holds no active endorsement of this "
		    "association"));
		return;
	}
	st = db_stmt(S_REVIEWER_ADD);
	db_bind_int(st, "$account", id);
	db_bind_text(st, "$assoc", r->user.association);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() == 1 && audit_log(r, "reviewer", id, "add",
	    json_pack("{s:s}", "association", r->user.association)) != 0)
		goto fail;
	if (db_commit() != 0)
		goto fail;
	reply_redirect(r, "/coordinator/reviewers");
	return;
fail:
	db_rollback();
	view_error(r, 500, "the reviewer could not be added");
}

void
page_reviewer_remove(struct req *r)
{
	struct dbq	*st;

	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_REVIEWER_REMOVE);
	db_bind_int(st, "$account", r->id);
	db_bind_text(st, "$assoc", r->user.association);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		view_error(r, 404, "this account is not a reviewer of the "
		    "association");
		return;
	}
	if (audit_log(r, "reviewer", r->id, "remove", json_pack("{s:s}",
	    "association", r->user.association)) != 0 || db_commit() != 0)
		goto fail;
	reply_redirect(r, "/coordinator/reviewers");
	return;
fail:
	db_rollback();
	view_error(r, 500, "the reviewer could not be removed");
}

/* ------------------------------------------------------------ reviewer */

void
page_review_list(struct req *r)
{
	json_t			*v = json_object(), *todo = json_array();
	json_t			*done = json_array(), *o;
	struct ruleset		**all;
	struct dbq		*st;
	const char		*assoc, *cat;
	int			 i, n, any = 0;

	st = db_stmt(S_ASSIGN_LIST_REVIEWER);
	db_bind_int(st, "$reviewer", r->user.id);
	while (db_step(st) == DB_ROW) {
		assoc = (const char *)db_col_text(st, 2);
		cat = (const char *)db_col_text(st, 3);
		o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)db_col_int64(st, 0), "app",
		    (json_int_t)db_col_int64(st, 1), "association",
		    web_assoc_name(assoc), "category", cat, "title",
		    web_category_title(assoc, cat), "status",
		    (const char *)db_col_text(st, 4), "applicant",
		    (const char *)db_col_text(st, 5), "rec_label",
		    rec_label((const char *)db_col_text(st, 6)),
		    "done_at", when(r, db_col_int64(st, 7)));
		json_array_append_new(db_col_null(st, 7) ? todo : done, o);
	}
	db_reset(st);
	all = web_rules_all(&n);
	for (i = 0; i < n && !any; i++)
		any = workflow_is_reviewer(r->user.id, all[i]->id);
	json_object_set_new(v, "n_todo", json_integer((json_int_t)
	    json_array_size(todo)));
	json_object_set_new(v, "n_finished", json_integer((json_int_t)
	    json_array_size(done)));
	json_object_set_new(v, "todo", todo);
	json_object_set_new(v, "finished", done);
	json_object_set_new(v, "vignettes", json_boolean(any));
	view_page(r, 200, "review/list", "Your reviews", v);
}

/* The review form's fields in order, for its error summary: the tabs'
   comments follow form.c's kinds. */
static int
review_labels(struct req *r, struct label **out)
{
	struct label	*l;
	int		 i, n = 0;

	l = arena_alloc(&r->arena, (size_t)(nkinds + 5) * sizeof *l);
	l[n++] = (struct label){ "competency", "Competencies evidenced" };
	for (i = 0; i < nkinds; i++)
		l[n++] = (struct label){ arena_printf(&r->arena, "comment_%s",
		    kinds[i].kind), arena_printf(&r->arena, "Comments on %s",
		    kinds[i].title) };
	l[n++] = (struct label){ "comment_ethics",
	    "Comments on the Code of Ethics" };
	l[n++] = (struct label){ "to_applicant", "Comment to the applicant" };
	l[n++] = (struct label){ "recommendation", "Recommendation" };
	l[n++] = (struct label){ "missing", "What is missing" };
	*out = l;
	return n;
}

/* The reviewer's page: the application read only, its checklist, the
   completed ratings and the form (stored values, or the typed ones when
   status is not 200); errors is consumed. */
static void
review_page(struct req *r, const struct app *a, const struct asg *s,
    int status, json_t *errors)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct label		*labels;
	json_t			*v, *w, *list, *stored, *marks, *m, *rt;
	const char		*typed[MAX_MARKS], *key, *val, *rec;
	char			 name[64];
	int			 typed_in = status != 200, nt = 0, i, j, on, nl;
	size_t			 k;

	if (errors == NULL)
		errors = json_object();
	v = app_view(r, a, "");
	w = json_pack("{s:I, s:b, s:s, s:s, s:s}", "id", (json_int_t)s->id,
	    "done", s->done > 0, "done_at", when(r, s->done), "rec_label",
	    rec_label(s->rec), "status", db_enum_word(app_status, a->status));
	json_object_set_new(w, "applicant", json_string(json_string_value(
	    json_object_get(json_object_get(json_object_get(v, "doc"),
	    "applicant"), "name")) != NULL ? json_string_value(
	    json_object_get(json_object_get(json_object_get(v, "doc"),
	    "applicant"), "name")) : ""));
	json_object_set_new(w, "open", json_boolean(s->done <= 0 &&
	    a->status == APP_SUBMITTED));

	/* Competencies: checkboxes by index. */
	marks = json_loads(s->competencies != NULL ? s->competencies : "[]",
	    0, NULL);
	if (typed_in)
		nt = req_form_all(r, "competency", typed, MAX_MARKS);
	list = json_array();
	for (i = 0; rs != NULL && i < rs->workflow.ncompetencies; i++) {
		snprintf(name, sizeof name, "%d", i);
		on = 0;
		if (typed_in) {
			for (j = 0; j < nt && !on; j++)
				on = strcmp(typed[j], name) == 0;
		} else
			json_array_foreach(marks, k, m)
				on |= json_is_integer(m) &&
				    json_integer_value(m) == i;
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "value", name, "label", rs->workflow.competencies[i],
		    "checked", on));
	}
	json_decref(marks);
	json_object_set_new(w, "competencies", list);
	json_object_set_new(w, "competency_error", json_string(
	    json_is_string(json_object_get(errors, "competency")) ?
	    json_string_value(json_object_get(errors, "competency")) : ""));

	/* A comment per tab. */
	stored = json_loads(s->comments != NULL ? s->comments : "{}", 0, NULL);
	list = json_array();
	for (i = 0; i <= nkinds; i++) {
		key = i < nkinds ? kinds[i].kind : "ethics";
		snprintf(name, sizeof name, "comment_%s", key);
		val = typed_in ? req_form(r, name) :
		    json_string_value(json_object_get(stored, key));
		m = text_field(val, errors, name);
		json_object_set_new(m, "name", json_string(name));
		json_object_set_new(m, "tab", json_string(tab_title(key)));
		json_object_set_new(m, "href", json_string(i < nkinds ?
		    arena_printf(&r->arena, "/applications/%lld/tab/%s",
		    (long long)a->id, key) : arena_printf(&r->arena,
		    "/applications/%lld/ethics", (long long)a->id)));
		json_array_append_new(list, m);
	}
	json_decref(stored);
	json_object_set_new(w, "comments", list);
	json_object_set_new(w, "to_applicant", text_field(typed_in ?
	    req_form(r, "to_applicant") : s->to_applicant, errors,
	    "to_applicant"));
	json_object_set_new(w, "missing", text_field(typed_in ?
	    req_form(r, "missing") : s->missing, errors, "missing"));

	/* The recommendation. */
	rec = typed_in ? req_form(r, "recommendation") : s->rec;
	list = json_array();
	for (i = 0; i < NRECS; i++) {
		if (strcmp(recs[i].value, "exam") == 0 &&
		    !workflow_needs_exam(a))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "value", recs[i].value, "label", recs[i].label, "checked",
		    rec != NULL && strcmp(rec, recs[i].value) == 0));
	}
	json_object_set_new(w, "recommend", json_pack("{s:o, s:s}", "options",
	    list, "error", json_is_string(json_object_get(errors,
	    "recommendation")) ? json_string_value(json_object_get(errors,
	    "recommendation")) : ""));
	if (s->done > 0)
		json_object_set_new(w, "marked", asg_competencies(rs,
		    s->competencies));

	/* The completed ratings, for the reader of the application. */
	list = json_array();
	json_array_foreach(json_object_get(json_object_get(v, "workflow"),
	    "ratings"), k, rt)
		if (json_is_true(json_object_get(rt, "readable")))
			json_array_append_new(list, json_pack("{s:s, s:s, s:s}",
			    "href", arena_printf(&r->arena,
			    "/applications/%lld/ratings/%lld", (long long)a->id,
			    (long long)json_integer_value(json_object_get(rt,
			    "id"))), "name", json_string_value(json_object_get(
			    rt, "name")) != NULL ? json_string_value(
			    json_object_get(rt, "name")) : "", "answered",
			    json_string_value(json_object_get(rt, "answered"))
			    != NULL ? json_string_value(json_object_get(rt,
			    "answered")) : ""));
	json_object_set_new(w, "n_ratings", json_integer((json_int_t)
	    json_array_size(list)));
	json_object_set_new(w, "ratings", list);
	json_object_set_new(v, "reviewing", w);
	nl = review_labels(r, &labels);
	set_problems(v, errors, labels, nl);
	json_decref(errors);
	view_page(r, status, "review/review", arena_printf(&r->arena,
	    "Review of application %lld", (long long)a->id), v);
}

void
page_review(struct req *r)
{
	struct asg	 s;
	struct app	 a;

	if (asg_get(r, r->id, &s) != 0 || app_load(r, s.app, 0, &a) != 0) {
		view_error(r, 404, "there is no such review");
		return;
	}
	review_page(r, &a, &s, 200, NULL);
}

/* The typed review: errors filled, the JSON texts to store. */
static void
review_read(struct req *r, const struct app *a, int final, json_t *errors,
    char **comments, char **marks)
{
	const struct ruleset	*rs = web_rules(a->association);
	const char		*vals[MAX_MARKS], *rec, *t, *key;
	json_t			*c = json_object(), *m = json_array();
	char			 name[64], *end;
	long			 k;
	int			 n, i, j, seen[MAX_MARKS];

	memset(seen, 0, sizeof seen);
	n = req_form_all(r, "competency", vals, MAX_MARKS);
	for (i = 0; i < n; i++) {
		k = strtol(vals[i], &end, 10);
		if (*vals[i] == '\0' || *end != '\0' || k < 0 || rs == NULL ||
		    k >= rs->workflow.ncompetencies || k >= MAX_MARKS) {
			json_object_set_new(errors, "competency", json_string(
			    "mark competencies from the list only"));
			break;
		}
		seen[k] = 1;
	}
	for (j = 0; j < MAX_MARKS; j++)
		if (seen[j])
			json_array_append_new(m, json_integer(j));
	for (i = 0; i <= nkinds; i++) {
		key = i < nkinds ? kinds[i].kind : "ethics";
		snprintf(name, sizeof name, "comment_%s", key);
		t = req_form(r, name);
		if (t != NULL && strlen(t) > MAX_TEXT)
			json_object_set_new(errors, name, json_string(
			    arena_printf(&r->arena, "at most %d characters",
			    MAX_TEXT)));
		else if (!blank(t))
			json_object_set_new(c, key, json_string(t));
	}
	for (i = 0; i < 2; i++) {
		key = i == 0 ? "to_applicant" : "missing";
		t = req_form(r, key);
		if (t != NULL && strlen(t) > MAX_TEXT)
			json_object_set_new(errors, key, json_string(
			    arena_printf(&r->arena, "at most %d characters",
			    MAX_TEXT)));
	}
	rec = req_form(r, "recommendation");
	if (rec != NULL && *rec != '\0') {
		for (i = 0; i < NRECS; i++)
			if (strcmp(rec, recs[i].value) == 0)
				break;
		if (i == NRECS)
			json_object_set_new(errors, "recommendation",
			    json_string("choose endorse, exam, defer or deny"));
		else if (strcmp(rec, "exam") == 0 && !workflow_needs_exam(a))
			json_object_set_new(errors, "recommendation",
			    json_string("this category has no exam"));
	} else if (final)
		json_object_set_new(errors, "recommendation", json_string(
		    "choose a recommendation to submit it"));
	if (final && rec != NULL && strcmp(rec, "defer") == 0 &&
	    blank(req_form(r, "missing")))
		json_object_set_new(errors, "missing", json_string("say what "
		    "is missing when you recommend deferral"));
	*comments = json_dumps(c, JSON_COMPACT);
	*marks = json_dumps(m, JSON_COMPACT);
	json_decref(c);
	json_decref(m);
}

/* After the last recommendation: tell the coordinators whether the
   reviewers agree. */
static int
review_complete(struct req *r, const struct app *a)
{
	struct asg	 s[MAX_ASSIGN];
	struct buf	 b;
	char		*body;
	int		 n, i, differ, rc;

	n = asg_list(r, a->id, s, MAX_ASSIGN);
	if (n < reviewers_needed(a->association) || asg_done(s, n) < n)
		return 0;
	differ = agree_required(a->association) && asg_differ(s, n);
	buf_init(&b);
	buf_printf(&b, "%s application %lld (%s, %s):\n\n", differ ?
	    "The reviewers disagree on" : "Every reviewer has submitted a "
	    "recommendation on", (long long)a->id, web_category_title(
	    a->association, a->category), a->category);
	for (i = 0; i < n; i++)
		buf_printf(&b, "- %s: %s\n", s[i].name, rec_label(s[i].rec));
	buf_printf(&b, "\n%s/coordinator/applications/%lld\n", cfg.base_url,
	    (long long)a->id);
	body = arena_strdup(&r->arena, b.s);
	buf_free(&b);
	rc = mail_coordinators(r, a->association, differ ? arena_printf(
	    &r->arena, "Reviewers disagree on application %lld",
	    (long long)a->id) : arena_printf(&r->arena, "Review complete on "
	    "application %lld", (long long)a->id), body);
	if (rc == 0 && differ)
		rc = audit_log(r, "application", a->id, "disagree",
		    json_object());
	return rc;
}

void
page_review_save(struct req *r)
{
	struct asg	 s;
	struct app	 a;
	struct dbq	*st;
	json_t		*errors;
	const char	*rec, *fin = req_form(r, "final");
	char		*comments = NULL, *marks = NULL;
	int		 final = fin != NULL && strcmp(fin, "yes") == 0, rc;

	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	if (asg_get(r, r->id, &s) != 0 || app_load(r, s.app, 0, &a) != 0) {
		db_rollback();
		view_error(r, 404, "there is no such review");
		return;
	}
	if (s.done > 0) {
		db_rollback();
		review_page(r, &a, &s, 409, json_pack("{s:s}",
		    "recommendation", "your recommendation is submitted and "
		    "can no longer be changed"));
		return;
	}
	if (a.status != APP_SUBMITTED) {
		db_rollback();
		review_page(r, &a, &s, 409, json_pack("{s:s}",
		    "recommendation", arena_printf(&r->arena, "the "
		    "application is %s, not waiting for review; nothing was "
		    "saved", db_enum_word(app_status, a.status))));
		return;
	}
	errors = json_object();
	review_read(r, &a, final, errors, &comments, &marks);
	if (json_object_size(errors) > 0) {
		db_rollback();
		free(comments);
		free(marks);
		review_page(r, &a, &s, 400, errors);
		return;
	}
	json_decref(errors);
	rec = req_form(r, "recommendation");
	st = db_stmt(S_ASSIGN_SAVE);
	db_bind_text(st, "$rec", rec != NULL && *rec != '\0' ? rec : NULL);
	db_bind_text(st, "$missing", req_form(r, "missing") != NULL ?
	    req_form(r, "missing") : "");
	db_bind_text(st, "$comments", comments);
	db_bind_text(st, "$to_applicant", req_form(r, "to_applicant") !=
	    NULL ? req_form(r, "to_applicant") : "");
	db_bind_text(st, "$competencies", marks);
	if (final)
		db_bind_int(st, "$done", db_now());
	else
		db_bind_null(st, "$done");
	db_bind_int(st, "$id", s.id);
	db_bind_int(st, "$reviewer", r->user.id);
	rc = db_exec(st);
	free(comments);
	free(marks);
	if (rc != 0 || db_changes() != 1 || audit_log(r, "assignment", s.id,
	    final ? "recommend" : "draft", json_pack("{s:I, s:s?}",
	    "application", (json_int_t)a.id, "recommendation", rec != NULL &&
	    *rec != '\0' ? rec : NULL)) != 0 || (final &&
	    review_complete(r, &a) != 0) || db_commit() != 0) {
		db_rollback();
		view_error(r, 500, "the review could not be stored; nothing "
		    "was changed");
		return;
	}
	reply_redirect(r, "/review/%lld%s", (long long)s.id, final ? "" :
	    "?saved=1");
}
