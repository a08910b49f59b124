/*
 * Submission.  GET /applications/#/submit is the "check your answers"
 * page: the portfolio in short with a link to change each part, the
 * checklist, the fee, what happens next (the review cycle, the reviewers,
 * the exam) and a declaration to tick.  The POST submits (app_submit:
 * the portfolio locks, the processing fee is owed and the application
 * enters the open review cycle or waits for the next); an unticked
 * declaration comes back to this page, by its box.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "banned.h"

/* The portfolio in short: each tab with its number of entries. */
static json_t *
submit_summary(struct req *r, const struct app *a, json_t *doc)
{
	json_t	*arr = json_array();
	size_t	 n;
	int	 i;

	for (i = 0; i < nkinds; i++) {
		n = json_array_size(json_object_get(doc, kinds[i].kind));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
		    "title", kinds[i].title, "href", arena_printf(&r->arena,
		    "/applications/%lld/tab/%s", (long long)a->id,
		    kinds[i].kind), "words", n == 0 ? "nothing entered" :
		    arena_printf(&r->arena, "%zu %s", n, n == 1 ? "entry" :
		    "entries")));
	}
	json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "title",
	    "Code of Ethics", "href", arena_printf(&r->arena,
	    "/applications/%lld/ethics", (long long)a->id), "words",
	    a->ethics_signed != NULL ? arena_printf(&r->arena, "signed on %s",
	    app_us_day(&r->arena, a->ethics_signed)) : "not signed"));
	return arr;
}

static void
next_add(json_t *arr, const char *text)
{
	json_array_append_new(arr, json_pack("{s:s}", "text", text));
}

/* What happens after submitting, from the rule set and the cycles:
   no typical time, as neither gives one. */
static json_t *
submit_next(struct req *r, const struct app *a, int exam)
{
	const struct ruleset	*rs = web_rules(a->association);
	json_t			*arr = json_array();
	int			 nrev = rs != NULL ? rs->workflow.reviewers : 0;

	next_add(arr, "The portfolio is locked; "
	    "your coordinator can return it to you for changes.");
	next_add(arr, app_current_cycle(
	    a->association) > 0 ? "It enters the review cycle open now." :
	    "No review cycle is open now: it waits for the next one the "
	    "association opens.");
	next_add(arr, nrev > 0 ? arena_printf(
	    &r->arena, "The coordinator assigns %d reviewer%s, who read the "
	    "portfolio and the ratings and recommend a decision.", nrev,
	    nrev == 1 ? "" : "s") : "The coordinator assigns reviewers, "
	    "who read the portfolio and the ratings and recommend a "
	    "decision.");
	next_add(arr, exam ? "This category has an "
	    "exam: it comes after review, when the coordinator approves the "
	    "application for it and registers you for a session." :
	    "This category has no exam: the decision follows the review.");
	next_add(arr, "The association's rule set "
	    "gives no typical time for review; your coordinator can tell "
	    "you.");
	return arr;
}

static void
submit_page(struct req *r, const struct app *a, int status,
    const char *error)
{
	json_t		*v = app_view(r, a, "submit"), *errors = NULL, *check;
	json_t		*doc = json_object_get(v, "doc");
	int		 ready, exam;

	check = json_object_get(v, "check");
	ready = json_is_true(json_object_get(v, "can_submit"));
	exam = app_exam_outstanding(check);
	if (error != NULL) {
		errors = json_pack("{s:s}", "declare", error);
		json_object_set_new(v, "n_errors", json_integer(1));
	}
	json_object_set_new(v, "fields", json_pack("[o]", view_field(
	    "declare", "I declare that the answers in this application are "
	    "true and complete to the best of my knowledge", "bool", NULL,
	    errors, NULL)));
	json_decref(errors);
	json_object_set_new(v, "ready", json_boolean(ready));
	json_object_set_new(v, "exam_after", json_boolean(exam));
	json_object_set_new(v, "summary", submit_summary(r, a, doc));
	json_object_set_new(v, "next", submit_next(r, a, exam));
	view_page(r, status, "apply/submit", "Check your answers", v);
}

void
page_submit_check(struct req *r)
{
	struct app	 a;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	submit_page(r, &a, 200, NULL);
}

void
page_submit(struct req *r)
{
	struct app		 a;
	struct actor		 who = req_actor(r);
	struct derr		 e;
	json_t			*doc, *check;
	const char		*declare = req_form(r, "declare");
	char			*cause = NULL;
	int			 ready;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	doc = app_portfolio(r, &a);
	check = app_checklist(r, &a, doc, &cause);
	ready = app_ready(check);
	json_decref(doc);
	json_decref(check);
	free(cause);
	if (!ready) {
		view_error(r, 409, "the checklist is not yet met: every "
		    "requirement but the exam must be met before you submit");
		return;
	}
	if (app_submit(&who, &r->arena, &a, declare != NULL &&
	    strcmp(declare, "yes") == 0, &e) != 0) {
		if (e.field != NULL && strcmp(e.field, "declare") == 0)
			submit_page(r, &a, e.status, e.message);
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/applications/%lld", (long long)a.id);
}
