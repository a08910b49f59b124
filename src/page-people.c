/*
 * /coordinator/people: the association's coordinators and reviewers, a
 * form to invite another by e-mail (people_add: a new account gets a
 * link to choose a password), and removal asked first on a page of its
 * own (no script).  The route lets coordinators only; every read and
 * change is of the coordinator's own association (dom-people.c).
 */
#include <string.h>

#include "web.h"
#include "dom-people.h"
#include "dom-review.h"
#include "page-review.h"
#include "banned.h"

static const struct rv_label people_labels[] = {
	{ "role", "Role" }, { "email", "E-mail" }, { "name", "Name" },
};

/* The invitation form's fields, with what was typed after a refusal. */
static json_t *
people_fields(struct req *r, int status, json_t *errors)
{
	json_t		*fields = json_array(), *f, *o = json_array();
	const char	*role = status != 200 ? req_form(r, "role") : NULL;
	int		 i;

	f = view_field("role", "Role", "select", NULL, errors, NULL);
	for (i = 0; i < PEOPLE__N; i++)
		json_array_append_new(o, json_pack("{s:s, s:s, s:b}", "value",
		    people_role_names[i], "label", i == PEOPLE_COORDINATOR ?
		    "Coordinator" : "Reviewer (holds an active endorsement of "
		    "the association)", "checked", role != NULL &&
		    strcmp(role, people_role_names[i]) == 0));
	json_object_set_new(f, "options", o);
	json_array_append_new(fields, f);
	json_array_append_new(fields, view_field("email", "E-mail", "email",
	    status != 200 ? req_form(r, "email") : NULL, errors, "off"));
	f = view_field("name", "Name", "text", status != 200 ?
	    req_form(r, "name") : NULL, errors, "off");
	json_object_set_new(f, "required", json_false());
	json_object_set_new(f, "hint", json_string("For a new account; a "
	    "person who has one keeps their name."));
	json_array_append_new(fields, f);
	return fields;
}

static void
people_page(struct req *r, int status, json_t *errors)
{
	const char			*assoc = r->user.association;
	struct row_people_coord		*c;
	struct row_reviewer_list	*rv;
	json_t				*v, *coords, *revs;
	int				 i, nc, nr;

	if (errors == NULL)
		errors = json_object();
	if ((nc = people_coordinators(&r->arena, assoc, &c)) < 0 ||
	    (nr = review_reviewers(&r->arena, assoc, &rv)) < 0) {
		json_decref(errors);
		view_read_failed(r);
		return;
	}
	v = json_object();
	coords = json_array();
	revs = json_array();
	for (i = 0; i < nc; i++)
		json_array_append_new(coords, json_pack("{s:I, s:s, s:s, s:b, "
		    "s:b, s:b}", "id", (json_int_t)c[i].id, "name", c[i].name,
		    "email", c[i].email, "you", c[i].id == r->user.id,
		    "invited", c[i].pwhash != NULL && strcmp(c[i].pwhash,
		    "!") == 0, "removable", nc > 1));
	for (i = 0; i < nr; i++)
		json_array_append_new(revs, json_pack("{s:I, s:s, s:s, s:i}",
		    "id", (json_int_t)rv[i].id, "name", rv[i].name, "email",
		    rv[i].email, "open", (int)rv[i].open));
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(assoc)));
	json_object_set_new(v, "coordinators", coords);
	json_object_set_new(v, "last", json_boolean(nc <= 1));
	json_object_set_new(v, "n_reviewers", json_integer(nr));
	json_object_set_new(v, "reviewers", revs);
	json_object_set_new(v, "invited", json_boolean(status == 200 &&
	    req_query(r, "invited") != NULL));
	json_object_set_new(v, "removed", json_boolean(status == 200 &&
	    req_query(r, "removed") != NULL));
	json_object_set_new(v, "fields", people_fields(r, status, errors));
	rv_problems(v, errors, people_labels, 3);
	json_decref(errors);
	view_page(r, status, "coord/people", "People", v);
}

void
page_people(struct req *r)
{
	people_page(r, 200, NULL);
}

void
page_people_invite(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;
	int		 role, created;

	if ((role = people_role_parse(req_form(r, "role"))) < 0) {
		people_page(r, 400, json_pack("{s:s}", "role", "choose "
		    "coordinator or reviewer"));
		return;
	}
	if (people_add(&who, &r->arena, (enum people_role)role,
	    r->user.association, web_assoc_name(r->user.association),
	    req_form(r, "email"), req_form(r, "name"), &created, &e) != 0) {
		if (e.field != NULL && e.status < 500)
			people_page(r, e.status, json_pack("{s:s}", e.field,
			    e.message));
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/people?invited=1");
}

/* The person of the association in role, for the confirmation page:
   their name, or NULL (the page answers 404). */
static const char *
people_name(struct req *r, enum people_role role, int *last)
{
	struct row_people_coord		*c;
	struct row_reviewer_list	*rv;
	int				 i, n;

	*last = 0;
	if (role == PEOPLE_COORDINATOR) {
		n = people_coordinators(&r->arena, r->user.association, &c);
		for (i = 0; i < n; i++)
			if (c[i].id == r->id) {
				*last = n == 1;
				return c[i].name;
			}
		return NULL;
	}
	n = review_reviewers(&r->arena, r->user.association, &rv);
	for (i = 0; i < n; i++)
		if (rv[i].id == r->id)
			return rv[i].name;
	return NULL;
}

/* GET .../remove: what removal takes away, and the button. */
static void
people_remove_ask(struct req *r, enum people_role role)
{
	const char	*name, *what;
	json_t		*v, *items;
	int		 last;

	if ((name = people_name(r, role, &last)) == NULL) {
		view_error(r, 404, "this person is not one of the "
		    "association's people");
		return;
	}
	if (last) {
		view_error(r, 409, "the last coordinator of the association "
		    "cannot be removed: invite another coordinator first");
		return;
	}
	what = role == PEOPLE_COORDINATOR ? "coordinator" : "reviewer";
	items = json_array();
	json_array_append_new(items, json_pack("{s:s}", "text", arena_printf(
	    &r->arena, "the %s's role in %s", what,
	    web_assoc_name(r->user.association))));
	if (role == PEOPLE_REVIEWER)
		json_array_append_new(items, json_pack("{s:s}", "text", "their "
		    "open reviews, released for another reviewer; they can no "
		    "longer read the applications"));
	json_array_append_new(items, json_pack("{s:s}", "text", "every "
	    "session and API token of the account: they are logged out"));
	v = json_object();
	json_object_set_new(v, "lead", json_string(arena_printf(&r->arena,
	    "%s%s keeps nothing of this:", name, r->id == r->user.id ?
	    " (you)" : "")));
	json_object_set_new(v, "n_items", json_integer((json_int_t)
	    json_array_size(items)));
	json_object_set_new(v, "items", items);
	json_object_set_new(v, "after", json_string("Their account and what "
	    "they did stay, in the history."));
	json_object_set_new(v, "action", json_string(arena_printf(&r->arena,
	    "/coordinator/people/%ss/%lld/remove", what, (long long)r->id)));
	json_object_set_new(v, "button", json_string(arena_printf(&r->arena,
	    "Remove %s", name)));
	json_object_set_new(v, "back", json_string("/coordinator/people"));
	view_page(r, 200, "confirm", arena_printf(&r->arena, "Remove %s as "
	    "%s?", name, what), v);
}

static void
people_remove_do(struct req *r, enum people_role role)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (people_remove(&who, &r->arena, r->id, role, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	/* Who removed themself is logged out with it. */
	if (r->id == r->user.id)
		reply_redirect(r, "/login");
	else
		reply_redirect(r, "/coordinator/people?removed=1");
}

void
page_people_coord_ask(struct req *r)
{
	people_remove_ask(r, PEOPLE_COORDINATOR);
}

void
page_people_coord_remove(struct req *r)
{
	people_remove_do(r, PEOPLE_COORDINATOR);
}

void
page_people_reviewer_ask(struct req *r)
{
	people_remove_ask(r, PEOPLE_REVIEWER);
}

void
page_people_reviewer_remove(struct req *r)
{
	people_remove_do(r, PEOPLE_REVIEWER);
}
