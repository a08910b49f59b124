/*
 * The reviewer's pages: the list of their reviews, and the form of one
 * (the application read only, its checklist, the completed ratings, the
 * comments, competencies and recommendation).  An assignment is found
 * with the caller bound as its reviewer, so another's answers 404; the
 * review is stored by dom-review.c.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "page-review.h"
#include "banned.h"

#define MAX_MARKS	256	/* competency checkboxes read */

void
page_review_list(struct req *r)
{
	json_t				*v = json_object(), *o;
	json_t				*todo = json_array();
	json_t				*done = json_array();
	struct ruleset			**all;
	struct row_assign_list_reviewer	*s;
	struct app			 a;
	int				 i, n, any = 0, readable;

	n = review_todo(&r->arena, r->user.id, &s);
	if (n < 0) {
		json_decref(v);
		json_decref(todo);
		json_decref(done);
		view_read_failed(r);
		return;
	}
	for (i = 0; i < n; i++) {
		/* What the reviewer may no longer review (removed, an
		   earlier round, a conflict): an open one is not theirs any
		   more, a finished one is listed without its link. */
		readable = app_read(&r->arena, s[i].application, &a) == 0 &&
		    review_refusal(&r->arena, r->user.id, &a) == NULL;
		if (!readable && s[i].done <= 0)
			continue;
		o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)s[i].id, "app",
		    (json_int_t)s[i].application, "association",
		    web_assoc_name(s[i].association), "category",
		    s[i].category, "title", web_category_title(
		    s[i].association, s[i].category), "status",
		    db_enum_word(app_status, s[i].status), "applicant",
		    s[i].name, "rec_label", rec_label(s[i].recommendation),
		    "done_at", rv_when(r, s[i].done));
		json_object_set_new(o, "readable", json_boolean(readable));
		json_array_append_new(s[i].done <= 0 ? todo : done, o);
	}
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
review_labels(struct req *r, struct rv_label **out)
{
	struct rv_label	*l;
	int		 i, n = 0;

	l = arena_alloc(&r->arena, (size_t)(nkinds + 5) * sizeof *l);
	l[n++] = (struct rv_label){ "competency", "Competencies evidenced" };
	for (i = 0; i < nkinds; i++)
		l[n++] = (struct rv_label){ arena_printf(&r->arena,
		    "comment_%s", kinds[i].kind), arena_printf(&r->arena,
		    "Comments on %s", kinds[i].title) };
	l[n++] = (struct rv_label){ "comment_ethics",
	    "Comments on the Code of Ethics" };
	l[n++] = (struct rv_label){ "to_applicant",
	    "Comment to the applicant" };
	l[n++] = (struct rv_label){ "recommendation", "Recommendation" };
	l[n++] = (struct rv_label){ "missing", "What is missing" };
	*out = l;
	return n;
}

/* The message of errors' field, or "". */
static const char *
error_of(json_t *errors, const char *field)
{
	json_t	*e = json_object_get(errors, field);

	return json_is_string(e) ? json_string_value(e) : "";
}

/* Competencies: checkboxes by index, the typed ones or the stored. */
static json_t *
review_marks(struct req *r, const struct ruleset *rs, const struct asg *s,
    int typed_in)
{
	json_t		*list = json_array(), *marks, *m;
	const char	*typed[MAX_MARKS];
	char		 name[64];
	int		 nt = 0, i, j, on;
	size_t		 k;

	marks = json_loads(s->competencies != NULL ? s->competencies : "[]",
	    0, NULL);
	if (typed_in)
		nt = req_form_all(r, "competency", typed, MAX_MARKS);
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
	return list;
}

/* A comment per tab, typed or stored. */
static json_t *
review_comments(struct req *r, const struct app *a, const struct asg *s,
    int typed_in, json_t *errors)
{
	json_t		*stored, *list = json_array(), *m;
	const char	*key, *val;
	char		 name[64];
	int		 i;

	stored = json_loads(s->comments != NULL ? s->comments : "{}", 0, NULL);
	for (i = 0; i <= nkinds; i++) {
		key = i < nkinds ? kinds[i].kind : "ethics";
		snprintf(name, sizeof name, "comment_%s", key);
		val = typed_in ? req_form(r, name) :
		    json_string_value(json_object_get(stored, key));
		m = rv_text_field(val, errors, name);
		json_object_set_new(m, "name", json_string(name));
		json_object_set_new(m, "tab", json_string(rv_tab_title(key)));
		json_object_set_new(m, "href", json_string(i < nkinds ?
		    arena_printf(&r->arena, "/applications/%lld/tab/%s",
		    (long long)a->id, key) : arena_printf(&r->arena,
		    "/applications/%lld/ethics", (long long)a->id)));
		json_array_append_new(list, m);
	}
	json_decref(stored);
	return list;
}

/* The recommendations to choose from, the typed or stored one checked. */
static json_t *
review_recs(const struct app *a, enum recommendation rec)
{
	json_t	*list = json_array();
	int	 i;

	for (i = REC_ENDORSE; i < recommendation__N; i++) {
		if (i == REC_EXAM && !workflow_needs_exam(a))
			continue;
		json_array_append_new(list, json_pack("{s:s, s:s, s:b}",
		    "value", db_enum_word(recommendation, i), "label",
		    rec_label((enum recommendation)i), "checked",
		    (int)rec == i));
	}
	return list;
}

/* A string member of o, or "". */
static const char *
str_of(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* The completed ratings, for the reader of the application. */
static json_t *
review_ratings(struct req *r, const struct app *a, json_t *v)
{
	json_t		*list = json_array(), *rt;
	size_t		 k;

	json_array_foreach(json_object_get(json_object_get(v, "workflow"),
	    "ratings"), k, rt)
		if (json_is_true(json_object_get(rt, "readable")))
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, "
			    "s:s}", "href", arena_printf(&r->arena,
			    "/applications/%lld/ratings/%lld", (long long)a->id,
			    (long long)json_integer_value(json_object_get(rt,
			    "id"))), "name", str_of(rt, "name"), "answered",
			    str_of(rt, "answered"), "channel_words",
			    str_of(rt, "channel_words")));
	return list;
}

/* The codes of an entry as words ("IMHM-C, ERS"), in the arena. */
static const char *
codes_text(struct req *r, json_t *codes)
{
	json_t		*c;
	size_t		 i;
	const char	*s = "";

	json_array_foreach(codes, i, c)
		if (json_is_string(c))
			s = arena_printf(&r->arena, "%s%s%s", s, *s != '\0' ?
			    ", " : "", json_string_value(c));
	return *s != '\0' ? s : "no endorsement given";
}

/* Each RSC provider and rater with the codes given and whether the
   registry verified them (registry_mark) or they are declared. */
static json_t *
review_credentials(struct req *r, json_t *doc)
{
	static const struct {
		const char	*kind, *role, *who, *codes;
	} k[] = {
		{ "rsc_received", "RSC provider", "provider",
		    "provider_endorsements" },
		{ "references", "Rater", "name", "endorsements" },
	};
	json_t		*list = json_array(), *e;
	size_t		 i, j;

	for (j = 0; j < sizeof k / sizeof k[0]; j++)
		json_array_foreach(json_object_get(doc, k[j].kind), i, e)
			json_array_append_new(list, json_pack("{s:s, s:s, "
			    "s:s, s:b}", "role", k[j].role, "who",
			    str_of(e, k[j].who), "codes", codes_text(r,
			    json_object_get(e, k[j].codes)), "verified",
			    json_is_true(json_object_get(e, "verified"))));
	return list;
}

/* The reviewer's page: the application read only, its checklist, the
   completed ratings and the form (stored values, or the typed ones when
   status is not 200); errors is consumed. */
static void
review_page(struct req *r, const struct app *a, const struct asg *s,
    int status, json_t *errors)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct rv_label		*labels;
	json_t			*v, *w, *list;
	int			 typed_in = status != 200, nl;

	if (errors == NULL)
		errors = json_object();
	v = app_view(r, a, "");
	w = json_pack("{s:I, s:b, s:s, s:s, s:s}", "id", (json_int_t)s->id,
	    "done", s->done > 0, "done_at", rv_when(r, s->done), "rec_label",
	    rec_label(s->rec), "status", db_enum_word(app_status, a->status));
	json_object_set_new(w, "applicant", json_string(str_of(
	    json_object_get(json_object_get(v, "doc"), "applicant"),
	    "name")));
	json_object_set_new(w, "open", json_boolean(s->done <= 0 &&
	    a->status == APP_SUBMITTED));
	json_object_set_new(w, "competencies", review_marks(r, rs, s,
	    typed_in));
	json_object_set_new(w, "competency_error", json_string(
	    error_of(errors, "competency")));
	json_object_set_new(w, "comments", review_comments(r, a, s, typed_in,
	    errors));
	json_object_set_new(w, "to_applicant", rv_text_field(typed_in ?
	    req_form(r, "to_applicant") : s->to_applicant, errors,
	    "to_applicant"));
	json_object_set_new(w, "missing", rv_text_field(typed_in ?
	    req_form(r, "missing") : s->missing, errors, "missing"));
	json_object_set_new(w, "recommend", json_pack("{s:o, s:s}", "options",
	    review_recs(a, typed_in ? rec_parse(req_form(r,
	    "recommendation")) : s->rec), "error", error_of(errors,
	    "recommendation")));
	if (s->done > 0)
		json_object_set_new(w, "marked", rv_competencies(rs,
		    s->competencies));
	list = review_ratings(r, a, v);
	json_object_set_new(w, "n_ratings", json_integer((json_int_t)
	    json_array_size(list)));
	json_object_set_new(w, "ratings", list);
	json_object_set_new(w, "credentials", review_credentials(r,
	    json_object_get(v, "doc")));
	json_object_set_new(v, "reviewing", w);
	nl = review_labels(r, &labels);
	rv_problems(v, errors, labels, nl);
	json_decref(errors);
	view_page(r, status, "review/review", arena_printf(&r->arena,
	    "Review of application %lld", (long long)a->id), v);
}

/* The caller's assignment and its application; -1 after a 404. */
static int
review_of(struct req *r, struct asg *s, struct app *a)
{
	if (review_asg_get(&r->arena, r->id, r->user.id, s) != 0 ||
	    app_load(r, s->app, 0, a) != 0) {
		view_error(r, 404, "there is no such review");
		return -1;
	}
	return 0;
}

void
page_review(struct req *r)
{
	struct asg	 s;
	struct app	 a;

	if (review_of(r, &s, &a) != 0)
		return;
	review_page(r, &a, &s, 200, NULL);
}

/* The typed competencies: marks, the JSON text to store; errors filled. */
static char *
review_read_marks(struct req *r, const struct ruleset *rs, json_t *errors)
{
	const char	*vals[MAX_MARKS];
	json_t		*m = json_array();
	char		*end, *out;
	long		 k;
	int		 n, i, j, seen[MAX_MARKS];

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
	out = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	return out;
}

/* The typed review: errors filled, the JSON texts to store. */
static void
review_read(struct req *r, const struct app *a, int final, json_t *errors,
    char **comments, char **marks)
{
	const char		*t, *key;
	json_t			*c = json_object();
	enum recommendation	 rec;
	char			 name[64];
	int			 i;

	*marks = review_read_marks(r, web_rules(a->association), errors);
	for (i = 0; i <= nkinds; i++) {
		key = i < nkinds ? kinds[i].kind : "ethics";
		snprintf(name, sizeof name, "comment_%s", key);
		t = req_form(r, name);
		if (t != NULL && strlen(t) > REVIEW_MAX_TEXT)
			json_object_set_new(errors, name, json_string(
			    arena_printf(&r->arena, "at most %d characters",
			    REVIEW_MAX_TEXT)));
		else if (!review_blank(t))
			json_object_set_new(c, key, json_string(t));
	}
	for (i = 0; i < 2; i++) {
		key = i == 0 ? "to_applicant" : "missing";
		t = req_form(r, key);
		if (t != NULL && strlen(t) > REVIEW_MAX_TEXT)
			json_object_set_new(errors, key, json_string(
			    arena_printf(&r->arena, "at most %d characters",
			    REVIEW_MAX_TEXT)));
	}
	rec = rec_parse(req_form(r, "recommendation"));
	if (rec == recommendation__N)
		json_object_set_new(errors, "recommendation",
		    json_string("choose endorse, exam, defer or deny"));
	else if (rec == REC_EXAM && !workflow_needs_exam(a))
		json_object_set_new(errors, "recommendation",
		    json_string("this category has no exam"));
	else if (rec == REC_NONE && final)
		json_object_set_new(errors, "recommendation", json_string(
		    "choose a recommendation to submit it"));
	if (final && rec == REC_DEFER && review_blank(req_form(r, "missing")))
		json_object_set_new(errors, "missing", json_string("say what "
		    "is missing when you recommend deferral"));
	*comments = json_dumps(c, JSON_COMPACT);
	json_decref(c);
}

/* What the page checks before it reads the form: the same refusals as
   the domain's, so a finished review is not reported as a bad form. */
static int
review_may(struct req *r, const struct app *a, const struct asg *s)
{
	if (s->done > 0) {
		review_page(r, a, s, 409, json_pack("{s:s}",
		    "recommendation", "your recommendation is submitted and "
		    "can no longer be changed"));
		return -1;
	}
	if (a->status != APP_SUBMITTED) {
		review_page(r, a, s, 409, json_pack("{s:s}",
		    "recommendation", arena_printf(&r->arena, "the "
		    "application is %s, not waiting for review; nothing was "
		    "saved", db_enum_word(app_status, a->status))));
		return -1;
	}
	return 0;
}

void
page_review_save(struct req *r)
{
	struct asg		 s;
	struct app		 a;
	struct actor		 who = req_actor(r);
	struct derr		 e;
	struct review_form	 f;
	json_t			*errors;
	const char		*fin = req_form(r, "final");
	char			*comments = NULL, *marks = NULL;
	int			 rc;

	memset(&f, 0, sizeof f);
	f.final = fin != NULL && strcmp(fin, "yes") == 0;
	if (review_of(r, &s, &a) != 0 || review_may(r, &a, &s) != 0)
		return;
	errors = json_object();
	review_read(r, &a, f.final, errors, &comments, &marks);
	if (json_object_size(errors) > 0) {
		free(comments);
		free(marks);
		review_page(r, &a, &s, 400, errors);
		return;
	}
	json_decref(errors);
	f.rec = rec_parse(req_form(r, "recommendation"));
	f.missing = req_form(r, "missing");
	f.to_applicant = req_form(r, "to_applicant");
	f.comments = comments;
	f.marks = marks;
	rc = review_save(&who, &r->arena, s.id, &f, &e);
	free(comments);
	free(marks);
	if (rc != 0) {
		if (e.field != NULL)
			review_page(r, &a, &s, e.status, json_pack("{s:s}",
			    e.field, e.message));
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/review/%lld%s", (long long)s.id, f.final ? "" :
	    "?saved=1");
}
