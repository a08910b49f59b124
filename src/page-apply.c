/*
 * The applicant's pages: dashboard, "which category fits me?", opening an
 * application, one tab per kind of entry with add / edit / delete, the
 * transcript upload, the Code of Ethics, import and export, and beside
 * all of them the live checklist from the engine.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "banned.h"

/* ------------------------------------------------------------- helpers */

/* The application, or an answer sent; write requires the owner and a
   draft (or a deferred application, which is editable again). */
int
load_or_deny(struct req *r, int64_t id, int write, struct app *a)
{
	int	 rc = app_load(r, id, write, a);

	if (rc == 404) {
		view_error(r, 404, "there is no such application");
		return -1;
	}
	if (write && !app_editable(a)) {
		view_error(r, 409, "this application is submitted and locked; "
		    "ask your coordinator to unlock it for changes");
		return -1;
	}
	return 0;
}

/* "training[3]" -> the entry's one-line summary, for the checklist. */
static void
label_excluded(json_t *reqs, json_t *doc)
{
	const struct kdef	*kd;
	json_t			*rq, *ex, *e, *alt;
	const char		*name, *br;
	char			 kind[32], line[256];
	size_t			 i, j, k;
	long			 idx;

	json_array_foreach(reqs, i, rq) {
		json_array_foreach(json_object_get(rq, "excluded"), j, ex) {
			name = json_string_value(json_object_get(ex, "entry"));
			if (name == NULL || (br = strchr(name, '[')) == NULL ||
			    (size_t)(br - name) >= sizeof kind)
				continue;
			snprintf(kind, sizeof kind, "%.*s", (int)(br - name),
			    name);
			idx = strtol(br + 1, NULL, 10);
			if ((kd = kind_find(kind)) == NULL || (e =
			    json_array_get(json_object_get(doc, kind),
			    (size_t)idx)) == NULL)
				continue;
			json_object_set_new(ex, "label", json_string(
			    form_summary(kd, e, line, sizeof line)));
			json_object_set_new(ex, "tab", json_string(kind));
		}
		json_array_foreach(json_object_get(rq, "alternatives"), k, alt)
			label_excluded(json_object_get(alt, "requirements"),
			    doc);
	}
}

/* A day ("2027-03-05") as people in the US write it: "March 5, 2027";
   anything else as it is (date_us_text). */
const char *
app_us_day(struct arena *ar, const char *ymd)
{
	char	 b[DATE_US_MAX];

	return ymd == NULL ? NULL : arena_strdup(ar, date_us_text(ymd, b,
	    sizeof b));
}

/* A time's day, as app_us_day(). */
static const char *
us_day(struct arena *ar, int64_t t)
{
	char	 b[DATE_US_MAX];

	return arena_strdup(ar, date_us((int32_t)(t / 86400), b, sizeof b));
}

/* Whom it waits on, and the coordinator's note while it is returned. */
static void
app_view_waiting(struct req *r, const struct app *a, json_t *v, json_t *check)
{
	const char	*w = app_waiting_on(&r->arena, a, app_ready(check));

	if (w != NULL)
		json_object_set_new(v, "waiting", json_string(w));
	if (a->returned > 0 && app_editable(a))
		json_object_set_new(v, "returned", json_pack("{s:s, s:s}",
		    "note", a->return_note != NULL ? a->return_note : "",
		    "on", us_day(&r->arena, a->returned)));
}

/* The application's header, tabs and checklist for any of its pages. */
json_t *
app_view(struct req *r, const struct app *a, const char *current)
{
	json_t		*v = json_object(), *tabs = json_array(), *doc, *check;
	char		*cause = NULL;
	int		 i;

	json_object_set_new(v, "app", json_pack("{s:I, s:s, s:s, s:s, s:s, "
	    "s:b}", "id", (json_int_t)a->id, "association", a->association,
	    "association_name", web_assoc_name(a->association),
	    "category", a->category, "category_title",
	    web_category_title(a->association, a->category), "draft",
	    app_editable(a)));
	json_object_set_new(v, "mine", json_boolean(a->account == r->user.id));
	json_object_set_new(v, "editable", json_boolean(a->account ==
	    r->user.id && app_editable(a)));
	json_array_append_new(tabs, json_pack("{s:s, s:s, s:s, s:b}", "href",
	    arena_printf(&r->arena, "/applications/%lld", (long long)a->id),
	    "title", "Overview", "kind", "", "current",
	    strcmp(current, "") == 0));
	for (i = 0; i < nkinds; i++)
		json_array_append_new(tabs, json_pack("{s:s, s:s, s:s, s:b}",
		    "href", arena_printf(&r->arena, "/applications/%lld/tab/%s",
		    (long long)a->id, kinds[i].kind), "title", kinds[i].title,
		    "kind", kinds[i].kind, "current",
		    strcmp(current, kinds[i].kind) == 0));
	json_array_append_new(tabs, json_pack("{s:s, s:s, s:s, s:b}", "href",
	    arena_printf(&r->arena, "/applications/%lld/ethics",
	    (long long)a->id), "title", "Code of Ethics", "kind", "ethics",
	    "current", strcmp(current, "ethics") == 0));
	json_object_set_new(v, "tabs", tabs);
	doc = app_portfolio(r, a);
	if ((check = app_checklist(r, a, doc, &cause)) == NULL) {
		json_object_set_new(v, "check_error", json_string(cause));
		free(cause);
	} else {
		label_excluded(json_object_get(check, "requirements"), doc);
		tab_progress(r, tabs, doc, check);
		json_object_set_new(v, "can_submit", json_boolean(a->account ==
		    r->user.id && app_editable(a) && app_ready(check)));
		json_object_set_new(v, "ready_words", json_string(
		    app_exam_outstanding(check) ? "Ready to submit; the exam "
		    "comes after review" : "Every requirement is met"));
		json_object_set_new(v, "check", view_checklist(check));
	}
	workflow_view(r, a, v);
	app_view_waiting(r, a, v, check);
	json_object_set_new(v, "doc", doc);
	return v;
}

/* ----------------------------------------------------------- dashboard */

void
page_home(struct req *r)
{
	if (r->user.role != UR_ANON) {
		reply_redirect(r, r->user.role == UR_COORDINATOR ?
		    "/coordinator" : "/dashboard");
		return;
	}
	view_page(r, 200, "home", "Endorse", NULL);
}

void
page_healthz(struct req *r)
{
	if (db_ping() != 0) {
		reply_text(r, 503, "text/plain; charset=utf-8",
		    "database unavailable\n", 21);
		return;
	}
	reply_text(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}

/* A card's line of whom it waits on, and a return's note. */
static void
dashboard_waiting(struct req *r, const struct app *a, json_t *doc, json_t *o)
{
	json_t		*check;
	char		*cause = NULL;
	const char	*w;

	check = app_check(a, doc, &cause);
	free(cause);
	if ((w = app_waiting_on(&r->arena, a, app_ready(check))) != NULL)
		json_object_set_new(o, "waiting", json_string(w));
	json_decref(check);
	if (a->returned > 0 && app_editable(a))
		json_object_set_new(o, "returned_note", json_string(
		    a->return_note != NULL ? a->return_note : ""));
}

void
page_dashboard(struct req *r)
{
	json_t			*v = json_object(), *apps = json_array(), *o;
	json_t			*doc, *ends;
	struct app		 a;
	int64_t			 ids[64];
	int			 n = 0, i, met, total, eligible;

	n = app_ids_of(r->user.id, ids, 64);
	for (i = 0; i < n; i++) {
		if (app_load(r, ids[i], 0, &a) != 0)
			continue;
		o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
		    (json_int_t)a.id, "association",
		    web_assoc_name(a.association),
		    "category", a.category, "title",
		    web_category_title(a.association, a.category), "status",
		    db_enum_word(app_status, a.status));
		doc = app_portfolio(r, &a);
		if (app_check_summary(&a, doc, &met, &total, &eligible) == 0) {
			json_object_set_new(o, "n_met", json_integer(met));
			json_object_set_new(o, "n_total", json_integer(total));
			json_object_set_new(o, "eligible",
			    json_boolean(eligible));
		}
		dashboard_waiting(r, &a, doc, o);
		json_decref(doc);
		json_array_append_new(apps, o);
	}
	ends = endorsement_list(r->user.id);
	view_us_dates(ends, "since");
	json_object_set_new(v, "n_endorsements",
	    json_integer((json_int_t)json_array_size(ends)));
	json_object_set_new(v, "endorsements", ends);
	json_object_set_new(v, "reviewer", json_boolean(
	    reviewer_has_any(r->user.id)));
	json_object_set_new(v, "applications", apps);
	doc = member_current(r->user.id);
	view_us_dates(doc, "end");
	json_object_set_new(v, "memberships", doc);
	json_object_set_new(v, "app_deleted", json_boolean(req_query(r,
	    "deleted") != NULL));
	view_page(r, 200, "apply/dashboard", "Your applications", v);
}

/* ------------------------------------------------ which category fits */

/*
 * Seed 001's scope-of-work flow chart as data: what you do with or for
 * 0-6-year-olds, then how, gives a category family; the ages give the
 * track.  The answer names only categories the association defines.
 */
static const struct {
	const char	*work, *how, *family, *why;
} fit_table[] = {
	{ "individuals", NULL, "FA", "You provide direct services that "
	    "promote growth and development to children, caregivers or "
	    "teachers." },
	{ "dyads", "prevention", "FS", "You work with caregivers and young "
	    "children together in prevention or early intervention." },
	{ "dyads", "treatment", "MHS", "You provide clinical intervention "
	    "(dyadic therapy) to caregivers and young children together." },
	{ "supervisor", "prevention", "FS", "You supervise direct service in "
	    "prevention or early intervention; with the RSC add-on (ERS) you "
	    "can be endorsed as a provider of RSC." },
	{ "supervisor", "treatment", "MHM-C", "You supervise clinical "
	    "intervention and provide reflective supervision/consultation." },
	{ "supervisor", "none", "FA", "You support direct service workers "
	    "without direct service experience of your own." },
	{ "administrator", "prevention", "FS", "You administer prevention or "
	    "early intervention programs with direct service experience." },
	{ "administrator", "treatment", "MHS", "You administer clinical "
	    "programs with clinical experience of your own." },
	{ "administrator", "none", "FA", "You support direct service workers "
	    "without direct service experience of your own." },
	{ "policy", NULL, "MHM-P", "You promote IECMH through policy, "
	    "programs, systems or government." },
	{ "research", NULL, "MHM-RF", "You promote IECMH through research or "
	    "university teaching." },
};

static const char *
fit_code(const struct ruleset *rs, const char *family, const char *ages,
    char *out, size_t sz)
{
	int	 ec = ages != NULL && strcmp(ages, "early_childhood") == 0;

	if (strncmp(family, "MH", 2) == 0)
		snprintf(out, sz, "%s%s", ec ? "EC" : "I", family);
	else
		snprintf(out, sz, "%s%s", ec ? "EC" : "I", family);
	return rules_category(rs, out) != NULL ? out : NULL;
}

void
page_fit(struct req *r)
{
	const char		*work = req_query(r, "work");
	const char		*how = req_query(r, "how");
	const char		*ages = req_query(r, "ages");
	const char		*assoc = req_query(r, "association");
	const struct ruleset	*rs;
	json_t			*v = json_object(), *props = json_array();
	char			 code[32];
	struct ruleset		**all;
	size_t			 i;
	int			 j, n, needs_how = 0;

	/* The answers stay chosen: one flag per answer given. */
	json_object_set_new(v, "q", json_object());
	if (work != NULL && strlen(work) < 32)
		json_object_set_new(json_object_get(v, "q"),
		    arena_printf(&r->arena, "work_%s", work), json_true());
	if (how != NULL && strlen(how) < 32)
		json_object_set_new(json_object_get(v, "q"),
		    arena_printf(&r->arena, "how_%s", how), json_true());
	if (ages != NULL && strlen(ages) < 32)
		json_object_set_new(json_object_get(v, "q"),
		    arena_printf(&r->arena, "ages_%s", ages), json_true());
	for (i = 0; work != NULL && i < sizeof fit_table /
	    sizeof fit_table[0]; i++) {
		if (strcmp(fit_table[i].work, work) != 0)
			continue;
		if (fit_table[i].how != NULL && (how == NULL || *how == '\0')) {
			needs_how = 1;
			continue;
		}
		if (fit_table[i].how != NULL && strcmp(fit_table[i].how,
		    how) != 0)
			continue;
		all = web_rules_all(&n);
		for (j = 0; j < n; j++) {
			rs = all[j];
			if (assoc != NULL && *assoc != '\0' &&
			    strcmp(assoc, rs->id) != 0)
				continue;
			if (fit_code(rs, fit_table[i].family, ages, code,
			    sizeof code) == NULL)
				continue;
			json_array_append_new(props, json_pack("{s:s, s:s, "
			    "s:s, s:s, s:s}", "association", rs->id,
			    "association_name", rs->name, "category", code,
			    "title", rules_category(rs, code)->title, "why",
			    fit_table[i].why));
		}
		break;
	}
	if (work != NULL && json_array_size(props) == 0 && needs_how)
		json_object_set_new(v, "needs_how", json_true());
	json_object_set_new(v, "proposals", props);
	json_object_set_new(v, "answered", json_boolean(work != NULL &&
	    json_array_size(props) > 0));
	json_object_set_new(v, "no_fit", json_boolean(work != NULL &&
	    !needs_how && json_array_size(props) == 0));
	view_page(r, 200, "apply/fit", "Which category fits me?", v);
}

/* --------------------------------------------------- open application */

/* The API's and the form's way in: app_open as the request's user. */
int
app_create(struct req *r, const char *assoc, const char *category,
    int64_t *id, const char **field, const char **why)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (app_open(&who, &r->arena, assoc, category, id, &e) == 0)
		return 0;
	*field = e.field;
	*why = e.message;
	return e.status == 400 ? -1 : -2;
}

static void
app_new_page(struct req *r, int status, const char *error)
{
	json_t			*v = json_object(), *f, *opts = json_array();
	json_t			*errors = NULL;
	struct ruleset		**all;
	const char		*sel = req_form(r, "choice"), *val;
	int			 i, j, n;

	if (sel == NULL && req_query(r, "association") != NULL &&
	    req_query(r, "category") != NULL)
		sel = arena_printf(&r->arena, "%s/%s",
		    req_query(r, "association"), req_query(r, "category"));
	all = web_rules_all(&n);
	for (i = 0; i < n; i++)
		for (j = 0; j < all[i]->ncats; j++) {
			val = arena_printf(&r->arena, "%s/%s", all[i]->id,
			    all[i]->cats[j].code);
			json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
			    "value", val, "label", arena_printf(&r->arena,
			    "%s: %s (%s)", all[i]->id, all[i]->cats[j].title,
			    all[i]->cats[j].code), "checked", sel != NULL &&
			    strcmp(sel, val) == 0));
		}
	if (error != NULL)
		errors = json_pack("{s:s}", "choice", error);
	f = view_field("choice", "Association and category", "select", NULL,
	    errors, NULL);
	json_object_set_new(f, "options", opts);
	json_object_set_new(v, "fields", json_pack("[o]", f));
	if (error != NULL)
		json_object_set_new(v, "n_errors", json_integer(1));
	json_decref(errors);
	view_page(r, status, "apply/new", "Open an application", v);
}

void
page_app_new_form(struct req *r)
{
	app_new_page(r, 200, NULL);
}

void
page_app_new(struct req *r)
{
	const char	*choice = req_form(r, "choice"), *slash, *field, *why;
	char		*assoc = NULL;
	int64_t		 id;
	int		 rc;

	if (choice == NULL || (slash = strchr(choice, '/')) == NULL) {
		app_new_page(r, 400, "choose an association and a category");
		return;
	}
	assoc = arena_printf(&r->arena, "%.*s", (int)(slash - choice), choice);
	rc = app_create(r, assoc, slash + 1, &id, &field, &why);
	if (rc == -1) {
		app_new_page(r, 400, why);
		return;
	}
	if (rc != 0) {
		view_error(r, 500, why);
		return;
	}
	reply_redirect(r, "/applications/%lld", (long long)id);
}

/* ---------------------------------------------------- application pages */

void
page_app(struct req *r)
{
	struct app	 a;
	json_t		*v;

	if (load_or_deny(r, r->id, 0, &a) != 0)
		return;
	v = app_view(r, &a, "");
	view_page(r, 200, "apply/app", arena_printf(&r->arena, "%s "
	    "application", a.category), v);
}

void
page_app_delete(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	if (app_withdraw(&who, &r->arena, &a, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/dashboard?deleted=1");
}

static json_t *
default_entry(const struct kdef *kd)
{
	if (strcmp(kd->kind, "training") == 0)
		return json_pack("{s:s}", "role", "attended");
	if (strcmp(kd->kind, "rsc_received") == 0)
		return json_pack("{s:s}", "focus", "practice");
	if (strcmp(kd->kind, "work") == 0)
		return json_pack("{s:b}", "paid", 1);
	return json_object();
}

/* A tab: its entries, the add form (with errors and what was typed), the
   checklist. */
static void
tab_page(struct req *r, const struct app *a, const struct kdef *kd,
    int status, json_t *errors)
{
	tab_page_entry(r, a, kd, status, errors, 0, NULL, NULL);
}

/* The same with an entry's form that failed (a transcript upload, a
   rating request): its words beside it, the summary linking to href. */
void
tab_page_entry(struct req *r, const struct app *a, const struct kdef *kd,
    int status, json_t *errors, int64_t entry, const char *href,
    const char *why)
{
	json_t		*v, *list, *o, *e, *def;
	char		 line[256];
	size_t		 i;

	v = app_view(r, a, kd->kind);
	list = entry_list(a, kd->kind);
	json_array_foreach(list, i, o) {
		e = json_object_get(o, "data");
		json_object_set_new(o, "summary", json_string(form_summary(kd,
		    e, line, sizeof line)));
		if (entry_warning(kd, e, web_today(), line, sizeof line))
			json_object_set_new(o, "warning", json_string(line));
		json_object_set_new(o, "reference", json_boolean(strcmp(
		    kd->kind, "references") == 0));
		if (strcmp(kd->kind, "references") == 0)
			workflow_reference(r, a, o, e);
		json_object_set_new(o, "education", json_boolean(strcmp(
		    kd->kind, "education") == 0));
		json_object_set_new(o, "transcript", json_boolean(
		    json_is_string(json_object_get(o, "file"))));
		json_object_del(o, "data");
		if (entry != 0 && json_integer_value(json_object_get(o,
		    "id")) == entry)
			json_object_set_new(o, "entry_error",
			    json_string(view_words(why)));
	}
	if (entry != 0) {
		json_object_set_new(v, "n_form_errors", json_integer(1));
		json_object_set_new(v, "form_errors", json_pack("[o]",
		    view_problem(href, "", why)));
	}
	def = default_entry(kd);
	json_object_set_new(v, "kind", json_pack("{s:s, s:s, s:s, s:s, s:b, "
	    "s:b}", "kind", kd->kind, "title", kd->title, "one", kd->one,
	    "intro", kd->intro, "references", strcmp(kd->kind, "references") ==
	    0, "several", strcmp(kd->kind, "training") == 0));
	/* After several trainings were added at once (page-trainings.c). */
	if (req_query(r, "added") != NULL && atoi(req_query(r, "added")) > 0)
		json_object_set_new(v, "added", json_integer(atoi(req_query(r,
		    "added"))));
	json_object_set_new(v, "n_entries",
	    json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(v, "entries", list);
	delete_notice(r, a, kd, v);
	json_object_set_new(v, "transcript_removed", json_boolean(req_query(r,
	    "removed") != NULL));
	json_object_set_new(v, "fields", form_view(kd, def, errors,
	    status == 400 ? r : NULL));
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
	json_decref(def);
	json_decref(errors);
	view_page(r, status, "apply/tab", arena_printf(&r->arena, "%s: %s",
	    a->category, kd->title), v);
}

static const struct kdef *
tab_kind(struct req *r)
{
	const struct kdef	*kd = kind_find(r->word);

	if (kd == NULL)
		view_error(r, 404, "there is no such tab");
	return kd;
}

void
page_tab(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;

	if ((kd = tab_kind(r)) == NULL || load_or_deny(r, r->id, 0, &a) != 0)
		return;
	tab_page(r, &a, kd, 200, NULL);
}

void
page_entry_new(struct req *r)
{
	page_tab(r);
}

void
page_entry_add(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	json_t			*errors, *e;
	int			 rc;

	if ((kd = tab_kind(r)) == NULL || load_or_deny(r, r->id, 1, &a) != 0)
		return;
	errors = json_object();
	if ((e = form_entry(r, kd, errors)) == NULL) {
		tab_page(r, &a, kd, 400, errors);
		return;
	}
	json_decref(errors);
	if (strcmp(kd->kind, "education") == 0)
		json_object_set_new(e, "transcript", json_false());
	rc = entry_add(&who, &r->arena, &a, kd->kind, kd->title, e, &err);
	json_decref(e);
	if (rc != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/applications/%lld/tab/%s#entries",
	    (long long)a.id, kd->kind);
}

/* The entry r->id2 of application a: its kind and data. */
static json_t *
entry_load(struct req *r, const struct app *a, const struct kdef **kd)
{
	const char	*kind;
	json_t		*e;

	e = entry_read(&r->arena, a, r->id2, &kind);
	*kd = kind != NULL ? kind_find(kind) : NULL;
	if (e == NULL || *kd == NULL) {
		json_decref(e);
		view_error(r, 404, "there is no such entry");
		return NULL;
	}
	return e;
}

/* The application r->id and its entry r->id2; NULL with the answer sent. */
static json_t *
app_entry(struct req *r, int write, struct app *a, const struct kdef **kd)
{
	if (load_or_deny(r, r->id, write, a) != 0)
		return NULL;
	return entry_load(r, a, kd);
}

/* The date fields of a read-only entry ("2016-01-04") in words
   ("January 4, 2016"). */
static void
readonly_dates(json_t *fields)
{
	json_t	*f;
	size_t	 i;

	json_array_foreach(fields, i, f)
		if (json_is_true(json_object_get(f, "date")))
			view_us_dates(f, "value");
}

static void
entry_page(struct req *r, const struct app *a, const struct kdef *kd,
    json_t *e, int status, json_t *errors)
{
	json_t	*v;

	v = app_view(r, a, kd->kind);
	json_object_set_new(v, "kind", json_pack("{s:s, s:s, s:s}", "kind",
	    kd->kind, "title", kd->title, "one", kd->one));
	json_object_set_new(v, "entry_id", json_integer((json_int_t)r->id2));
	json_object_set_new(v, "fields", form_view(kd, e, errors,
	    status == 400 ? r : NULL));
	/* Read only, its dates are read as people write them. */
	if (!json_is_true(json_object_get(v, "editable")))
		readonly_dates(json_object_get(v, "fields"));
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
	json_decref(errors);
	view_page(r, status, "apply/entry", arena_printf(&r->arena,
	    "Edit %s", kd->one), v);
}

void
page_entry_edit(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;
	json_t			*e;

	if ((e = app_entry(r, 0, &a, &kd)) == NULL)
		return;
	entry_page(r, &a, kd, e, 200, NULL);
	json_decref(e);
}

void
page_entry_save(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	json_t			*old, *e, *errors, *t;
	int			 rc;

	if ((old = app_entry(r, 1, &a, &kd)) == NULL)
		return;
	errors = json_object();
	if ((e = form_entry(r, kd, errors)) == NULL) {
		entry_page(r, &a, kd, old, 400, errors);
		json_decref(old);
		return;
	}
	json_decref(errors);
	/* The transcript flag belongs to the upload, not the form. */
	if ((t = json_object_get(old, "transcript")) != NULL)
		json_object_set(e, "transcript", t);
	json_decref(old);
	rc = entry_save(&who, &r->arena, &a, r->id2, e, &err);
	json_decref(e);
	if (rc != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/applications/%lld/tab/%s#entries",
	    (long long)a.id, kd->kind);
}

void
page_entry_delete(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	json_t			*e;

	if ((e = app_entry(r, 1, &a, &kd)) == NULL)
		return;
	json_decref(e);
	if (entry_delete(&who, &r->arena, &a, r->id2, &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/applications/%lld/tab/%s?deleted=1#entries",
	    (long long)a.id, kd->kind);
}

/* ---------------------------------------------------------- transcripts */

/* A PDF by its content: the header at the start, an end-of-file marker
   near the end.  The name and the browser's content type prove nothing. */
static int
is_pdf(const char *s, size_t n)
{
	size_t	 i, from;

	if (n < 16 || memcmp(s, "%PDF-", 5) != 0)
		return 0;
	from = n > 1024 ? n - 1024 : 0;
	for (i = from; i + 5 <= n; i++)
		if (memcmp(s + i, "%%EOF", 5) == 0)
			return 1;
	return 0;
}

void
page_transcript_put(struct req *r)
{
	const struct kdef	*kd;
	const struct field	*f;
	struct app		 a;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	json_t			*e;
	const char		*why = NULL;
	int			 rc;

	if ((e = app_entry(r, 1, &a, &kd)) == NULL)
		return;
	if (strcmp(kd->kind, "education") != 0) {
		json_decref(e);
		view_error(r, 404, "only a degree has a transcript");
		return;
	}
	f = req_file(r, "pdf");
	if (f == NULL || f->len == 0)
		why = "choose a PDF file of the transcript";
	else if (!is_pdf(f->value, f->len))
		why = "the file is not a PDF document: choose the transcript "
		    "as a PDF";
	rc = why != NULL ? -1 : transcript_put(&who, &r->arena, &a, r->id2,
	    e, f->filename, f->value, f->len, &err);
	json_decref(e);
	if (rc != 0 && (why != NULL || err.status == 400 ||
	    err.status == 413)) {
		tab_page_entry(r, &a, kd, why != NULL ? 400 : err.status, NULL,
		    r->id2, arena_printf(&r->arena, "pdf-%lld",
		    (long long)r->id2), why != NULL ? why : err.message);
		return;
	} else if (rc != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/applications/%lld/tab/education#entries",
	    (long long)a.id);
}

void
page_transcript_get(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;
	json_t			*e;
	void			*pdf;
	size_t			 len = 0;

	if ((e = app_entry(r, 0, &a, &kd)) == NULL)
		return;
	json_decref(e);
	if ((pdf = transcript_read(r->id2, &len)) == NULL) {
		view_error(r, 404, "no transcript was uploaded for this "
		    "degree");
		return;
	}
	reply_text(r, 200, "application/pdf", pdf, len);
	reply_header(r, "Content-Disposition",
	    "attachment; filename=\"transcript.pdf\"");
	free(pdf);
}

void
page_transcript_delete(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	json_t			*e;
	int			 rc;

	if ((e = app_entry(r, 1, &a, &kd)) == NULL)
		return;
	if (strcmp(kd->kind, "education") != 0) {
		json_decref(e);
		view_error(r, 404, "only a degree has a transcript");
		return;
	}
	rc = transcript_delete(&who, &r->arena, &a, r->id2, e, &err);
	json_decref(e);
	if (rc != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/applications/%lld/tab/education?removed=1#entries",
	    (long long)a.id);
}

/* --------------------------------------------------------------- ethics */

static void
ethics_page(struct req *r, const struct app *a, int status,
    const char *error)
{
	json_t			*v = app_view(r, a, "ethics"), *f, *errors = NULL;
	const struct ruleset	*rs = web_rules(a->association);

	if (rs != NULL && rs->workflow.ethics_url != NULL)
		json_object_set_new(v, "ethics_url",
		    json_string(rs->workflow.ethics_url));
	if (error != NULL)
		errors = json_pack("{s:s}", "agree", error);
	f = view_field("agree", "I have read the Code of Ethics and the "
	    "Endorsement Agreement and I agree to them", "bool", NULL, errors,
	    NULL);
	json_object_set_new(v, "fields", json_pack("[o]", f));
	json_object_set_new(v, "signed", a->ethics_signed != NULL ?
	    json_string(app_us_day(&r->arena, a->ethics_signed)) :
	    json_null());
	if (error != NULL)
		json_object_set_new(v, "n_errors", json_integer(1));
	json_decref(errors);
	view_page(r, status, "apply/ethics", "Code of Ethics", v);
}

void
page_ethics(struct req *r)
{
	struct app	 a;

	if (load_or_deny(r, r->id, 0, &a) != 0)
		return;
	ethics_page(r, &a, 200, NULL);
}

void
page_ethics_sign(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 err;
	const char	*agree = req_form(r, "agree");
	const char	*withdraw = req_form(r, "withdraw");

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	if (withdraw == NULL && (agree == NULL || strcmp(agree, "yes") != 0)) {
		ethics_page(r, &a, 400, "tick the box to sign");
		return;
	}
	if (app_sign_ethics(&who, &r->arena, &a, withdraw == NULL,
	    &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/applications/%lld/ethics", (long long)a.id);
}

/* ------------------------------------------------------ import, export */

void
page_export(struct req *r)
{
	struct app	 a;

	if (load_or_deny(r, r->id, 0, &a) != 0)
		return;
	reply_json(r, 200, app_portfolio(r, &a));
	reply_header(r, "Content-Disposition", arena_printf(&r->arena,
	    "attachment; filename=\"endorse-portfolio-%lld.json\"",
	    (long long)a.id));
}

/* The application page again, the import's problem beside its input. */
static void
import_again(struct req *r, const struct app *a, int status, const char *why)
{
	json_t	*v = app_view(r, a, "");

	/* A problem in the file keeps its path ("work[0].start: ..."): it
	   says where in the file, not which field of this page. */
	json_object_set_new(v, "import_error", json_string(why));
	view_page(r, status, "apply/app", arena_printf(&r->arena,
	    "%s application", a->category), v);
}

void
page_import(struct req *r)
{
	const struct field	*f;
	struct app		 a;
	json_error_t		 jerr;
	json_t			*doc;
	char			*field = NULL, *cause = NULL;
	int			 rc;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	if ((f = req_file(r, "portfolio")) == NULL || f->len == 0) {
		import_again(r, &a, 400, "choose the portfolio file (.json) "
		    "you downloaded or wrote");
		return;
	}
	doc = json_loadb(f->value, f->len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		import_again(r, &a, 400, arena_printf(&r->arena, "the file is "
		    "not a portfolio file (line %d, column %d: not valid JSON: "
		    "%s)", jerr.line, jerr.column, jerr.text));
		return;
	}
	if ((rc = app_put_portfolio(r, &a, doc, &field, &cause)) != 0) {
		import_again(r, &a, rc == -3 ? 413 : 400, cause);
	} else
		reply_redirect(r, "/applications/%lld?imported=1",
		    (long long)a.id);
	json_decref(doc);
	free(field);
	free(cause);
}
