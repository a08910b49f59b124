/*
 * The web layer's side of applications: a request's user as the actor of
 * the domain's functions (app.c, workflow.c, dom-app.c), whether that
 * user may read or change an application, and the request-shaped
 * helpers the pages share.  Nothing here stores or decides: each
 * function hands plain values to the domain.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "banned.h"

int
app_get(struct req *r, int64_t id, struct app *a)
{
	return app_read(&r->arena, id, a);
}

int
app_load(struct req *r, int64_t id, int write, struct app *a)
{
	if (app_get(r, id, a) != 0)
		return 404;
	if (a->account == r->user.id)
		return 0;
	/* A coordinator reads the applications of their association. */
	if (!write && r->user.role == UR_COORDINATOR &&
	    r->user.association != NULL &&
	    strcmp(r->user.association, a->association) == 0)
		return 0;
	/* A reviewer reads the applications assigned to them. */
	if (!write && r->user.role != UR_ANON &&
	    app_is_reviewer_of(a->id, r->user.id))
		return 0;
	/* Someone else's: the same answer as a missing one. */
	return 404;
}

json_t *
app_portfolio(struct req *r, const struct app *a)
{
	(void)r;
	return app_document(web_rules(a->association), a);
}

/* "work[2].start: \"x\" is not a date" -> "work[2].start" */
static char *
cause_field(const char *cause)
{
	const char	*colon = strstr(cause, ": ");

	if (colon == NULL || strncmp(cause, "line ", 5) == 0)
		return NULL;
	return strndup(cause, (size_t)(colon - cause));
}

int
app_put_portfolio(struct req *r, const struct app *a, json_t *doc,
    char **field, char **cause)
{
	struct portfolio	*p;
	struct actor		 who;
	struct derr		 e;

	*field = NULL;
	*cause = NULL;
	if ((p = portfolio_from_json(doc, web_today(), cause)) == NULL) {
		*field = cause_field(*cause);
		return -1;
	}
	if (strcmp(p->association, a->association) != 0) {
		*field = xstrdup("association");
		xasprintf(cause, "association: this application is for %s, "
		    "not %s", a->association, p->association);
	} else if (strcmp(p->category, a->category) != 0) {
		*field = xstrdup("category");
		xasprintf(cause, "category: this application is for %s, not "
		    "%s; open a new application for another category",
		    a->category, p->category);
	}
	portfolio_free(p);
	if (*cause != NULL)
		return -1;

	who = req_actor(r);
	if (app_replace(&who, &r->arena, a, doc, &e) != 0) {
		*cause = xstrdup(e.message);
		if (e.field != NULL && *field == NULL)
			*field = xstrdup(e.field);
		return e.status == 400 ? -1 : e.status == 413 ? -3 : -2;
	}
	return 0;
}

int
audit_log(struct req *r, const char *what, int64_t row, const char *action,
    json_t *detail)
{
	struct actor	 who = req_actor(r);

	return audit_write(&who, what, row, action, detail);
}

int
app_notify(struct req *r, const struct app *a, const char *subject,
    const char *body)
{
	return app_mail(&r->arena, a, subject, body);
}

/*
 * Seed 001: "If you apply for FS or MHS, you can apply for ERS at the same
 * time".  An ERS add-on whose prerequisite is met by the person's open FS
 * or MHS application (the check's "decided_with") is decided together with
 * it: endorsed only once that one is, when the endorsement then held meets
 * the prerequisite.  NULL when nothing stands in the way, else why not,
 * naming the other application.
 */
const char *
app_decided_first(struct req *r, const struct app *a, json_t *check)
{
	return app_waits_for(&r->arena, a, check);
}

/* Whether a category's checklist may ride on an open application
   ('holds ... or-pending'), at any depth of alternatives. */
static int
rides_on_pending(const struct requirement *reqs, int n)
{
	int	 i, j;

	for (i = 0; i < n; i++) {
		if (reqs[i].kind == KIND_HOLDS && reqs[i].or_pending)
			return 1;
		for (j = 0; j < reqs[i].noptions; j++)
			if (rides_on_pending(reqs[i].options[j].reqs,
			    reqs[i].options[j].nreqs))
				return 1;
	}
	return 0;
}

/*
 * The open applications decided together with this one, for the
 * coordinator's page: the one its check rides on ("decided_with"), and
 * the person's other open applications (the portfolio's "pending") whose
 * check rides on this one.  An array of {id, category}.
 */
json_t *
app_decided_together(struct req *r, const struct app *a, json_t *doc,
    json_t *check)
{
	const struct ruleset	*rs = web_rules(a->association);
	const struct category	*cat;
	json_t			*list = json_array(), *w, *p, *od, *oc;
	const char		*code;
	struct app		 o;
	char			*cause;
	json_int_t		 id;
	size_t			 i;

	w = json_object_get(check, "decided_with");
	code = json_string_value(json_object_get(w, "category"));
	if ((id = json_integer_value(json_object_get(w, "application"))) > 0)
		json_array_append_new(list, json_pack("{s:I, s:s}", "id", id,
		    "category", code != NULL ? code : ""));
	json_array_foreach(json_object_get(doc, "pending"), i, p) {
		id = json_integer_value(json_object_get(p, "application"));
		if (id <= 0 || app_get(r, id, &o) != 0 ||
		    o.account != a->account || rs == NULL ||
		    (cat = rules_category(rs, o.category)) == NULL ||
		    !rides_on_pending(cat->reqs, cat->nreqs))
			continue;
		cause = NULL;
		od = app_portfolio(r, &o);
		oc = app_checklist(r, &o, od, &cause);
		w = json_object_get(oc, "decided_with");
		if (json_integer_value(json_object_get(w, "application")) ==
		    a->id)
			json_array_append_new(list, json_pack("{s:I, s:s}",
			    "id", (json_int_t)o.id, "category", o.category));
		json_decref(oc);
		json_decref(od);
		free(cause);
	}
	return list;
}

json_t *
app_checklist(struct req *r, const struct app *a, json_t *doc, char **cause)
{
	(void)r;
	return app_check(a, doc, cause);
}

/* The tab a requirement of the checklist reads (by the part of its id
   before a dot); NULL for one no tab serves (membership, exam, ...). */
static const char *
req_tab(const char *id)
{
	static const struct {
		const char	*id;
		const char	*tab;
	} map[] = {
		{ "education", "education" }, { "transcripts", "education" },
		{ "work", "work" }, { "training", "training" },
		{ "rsc", "rsc_received" }, { "rsc_providing", "rsc_provided" },
		{ "leadership", "leadership" }, { "references", "references" },
		{ "ethics", "ethics" },
	};
	size_t	 i, n = id != NULL ? strcspn(id, ".") : 0;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strlen(map[i].id) == n && strncmp(map[i].id, id, n) == 0)
			return map[i].tab;
	return NULL;
}

/* Each tab's progress on the overview: its entries, and how many of the
   checklist's requirements it serves are met ("3 entries; 1 of 2
   requirements met"), with the unmet ones' texts. */
void
tab_progress(struct req *r, json_t *tabs, json_t *doc, json_t *check)
{
	json_t		*t, *rq, *unmet;
	const char	*kind, *tab;
	size_t		 i, j, n;
	int		 met, total;

	json_array_foreach(tabs, i, t) {
		kind = json_string_value(json_object_get(t, "kind"));
		if (kind == NULL || *kind == '\0')
			continue;
		met = total = 0;
		unmet = json_array();
		json_array_foreach(json_object_get(check, "requirements"), j,
		    rq) {
			if ((tab = req_tab(json_string_value(json_object_get(rq,
			    "id")))) == NULL || strcmp(tab, kind) != 0)
				continue;
			total++;
			if (json_is_true(json_object_get(rq, "met")))
				met++;
			else if (json_object_get(rq, "explain") != NULL)
				json_array_append(unmet,
				    json_object_get(rq, "explain"));
		}
		n = json_array_size(json_object_get(doc, kind));
		json_object_set_new(t, "progress", json_string(strcmp(kind,
		    "ethics") == 0 ? (met == total && total > 0 ? "signed" :
		    "not signed yet") : total == 0 ? arena_printf(&r->arena,
		    "%zu entr%s; no requirement of this category", n, n == 1 ?
		    "y" : "ies") : arena_printf(&r->arena, "%zu entr%s; %d of "
		    "%d requirement%s met", n, n == 1 ? "y" : "ies", met, total,
		    total == 1 ? "" : "s")));
		json_object_set_new(t, "all_met", json_boolean(total > 0 &&
		    met == total));
		json_object_set_new(t, "unmet", unmet);
	}
}
