/*
 * Review cycles and the association's reviewers: the coordinator's lists
 * and forms.  Every statement binds the caller's association, so a row
 * of another answers 404 as a missing one would; the changes are
 * dom-review.c's.
 */
#include <string.h>

#include "web.h"
#include "page-review.h"
#include "dom-people.h"
#include "banned.h"

#define MAX_CYCLE_NAME	200

/* ------------------------------------------------------------- cycles */

static const struct rv_label cycle_labels[] = {
	{ "name", "Name" },
	{ "opens", "Opens" },
	{ "closes", "Closes" },
};

/* The cycles of the association and the form for a new one. */
static void
cycles_page(struct req *r, int status, json_t *errors)
{
	json_t			*v = json_object(), *list = json_array(), *f;
	struct row_cycle_list	*cy;
	int			 typed = status != 200, i, n;

	if (errors == NULL)
		errors = json_object();
	n = review_cycles(&r->arena, r->user.association, &cy);
	if (n < 0) {
		json_decref(v);
		json_decref(list);
		view_read_failed(r);
		return;
	}
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:b, s:i}", "id", (json_int_t)cy[i].id, "name",
		    cy[i].name, "opens", app_us_day(&r->arena, cy[i].opens),
		    "closes", app_us_day(&r->arena, cy[i].closes),
		    "status", db_enum_word(cycle_status, cy[i].status), "open",
		    cy[i].status == CYCLE_OPEN, "n_applications",
		    (int)cy[i].applications));
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
	rv_problems(v, errors, cycle_labels, 3);
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
	struct actor	 who = req_actor(r);
	struct derr	 e;
	int32_t		 o = 0, c = 0;
	int64_t		 id;

	if (review_blank(name))
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
	if (review_cycle_new(&who, &r->arena, name, opens, closes, c, &id,
	    &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/cycles/%lld", (long long)id);
}

/* The applications of the cycle with their review's progress. */
static void
cycle_apps(struct req *r, json_t *v)
{
	json_t			*list = json_array();
	struct row_cycle_apps	*p;
	int			 need, napps, nreviewed = 0;
	int			 ndecided = 0, reviewed, i;

	need = review_needed(r->user.association);
	napps = review_cycle_apps(&r->arena, r->user.association, r->id, &p);
	for (i = 0; i < napps; i++) {
		reviewed = p[i].assigned >= need &&
		    p[i].done == p[i].assigned;
		nreviewed += reviewed;
		ndecided += p[i].status != APP_SUBMITTED;
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:i, s:i, s:b}", "id", (json_int_t)p[i].id,
		    "category", p[i].category, "status", db_enum_word(
		    app_status, p[i].status), "name", p[i].name, "email",
		    p[i].email, "n_assigned", (int)p[i].assigned, "n_done",
		    (int)p[i].done, "reviewed", reviewed));
	}
	json_object_set_new(v, "n_applications", json_integer(napps));
	json_object_set_new(v, "applications", list);
	json_object_set_new(v, "progress", json_pack("{s:i, s:i, s:i, s:i}",
	    "applications", napps, "reviewed", nreviewed, "decided", ndecided,
	    "needed", need));
}

void
page_cycle(struct req *r)
{
	json_t			*v;
	struct row_cycle_get	 cy;

	if (review_cycle_get(&r->arena, r->user.association, r->id,
	    &cy) != 0) {
		view_error(r, 404, "there is no such review cycle");
		return;
	}
	v = json_object();
	json_object_set_new(v, "cycle", json_pack("{s:I, s:s, s:s, s:s, s:s, "
	    "s:b}", "id", (json_int_t)r->id, "name", cy.name, "opens",
	    app_us_day(&r->arena, cy.opens), "closes", app_us_day(&r->arena,
	    cy.closes), "status", db_enum_word(
	    cycle_status, cy.status), "open", cy.status == CYCLE_OPEN));
	cycle_apps(r, v);
	view_page(r, 200, "coord/cycle", "Review cycle", v);
}

void
page_cycle_close(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (review_cycle_close(&who, &r->arena, r->id, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/cycles/%lld", (long long)r->id);
}

/* ----------------------------------------------------------- reviewers */

/* The association's reviewers and the form to add one. */
static void
reviewers_page(struct req *r, int status, json_t *errors)
{
	json_t				*v = json_object();
	json_t				*list = json_array(), *f;
	struct row_reviewer_list	*rv;
	int				 i, n;

	if (errors == NULL)
		errors = json_object();
	n = review_reviewers(&r->arena, r->user.association, &rv);
	if (n < 0) {
		json_decref(v);
		json_decref(list);
		view_read_failed(r);
		return;
	}
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:i}",
		    "id", (json_int_t)rv[i].id, "name", rv[i].name, "email",
		    rv[i].email, "open", (int)rv[i].open));
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
	rv_problems(v, errors, &(struct rv_label){ "email",
	    "E-mail of the reviewer" }, 1);
	json_decref(errors);
	view_page(r, status, "coord/reviewers", "Reviewers", v);
}

void
page_reviewers(struct req *r)
{
	reviewers_page(r, 200, NULL);
}

void
page_reviewer_add(struct req *r)
{
	const char	*email = req_form(r, "email");
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (!account_email_ok(email)) {
		reviewers_page(r, 400, json_pack("{s:s}", "email", "enter an "
		    "e-mail address such as name@example.org"));
		return;
	}
	if (review_reviewer_add(&who, &r->arena, email, &e) != 0) {
		if (e.field != NULL)
			reviewers_page(r, e.status, json_pack("{s:s}",
			    e.field, e.message));
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/reviewers");
}

void
page_reviewer_remove(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	/* One way to remove a reviewer: the people page's (they keep
	   nothing: the role, their sessions and tokens, their open reviews
	   released), whichever page asked. */
	if (people_remove(&who, &r->arena, r->id, PEOPLE_REVIEWER, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/reviewers");
}
