/*
 * /coordinator/memberships: the association's memberships, each recorded
 * one to confirm or reject (with a reason the applicant reads), and the
 * member roster to import (a CSV file; the columns are in the page and
 * in docs/operations.md).  The route lets coordinators only; every row
 * read is the coordinator's association's (dom-membership.c).
 */
#include <stdio.h>
#include <string.h>

#include "web.h"
#include "dom-people.h"
#include "page-review.h"
#include "banned.h"

static const char *
period_words(struct req *r, const char *start, const char *end)
{
	char	 a[40], b[40];

	if (end == NULL)
		return arena_printf(&r->arena, "from %s",
		    date_us_text(start, a, sizeof a));
	return arena_printf(&r->arena, "%s to %s", date_us_text(start, a,
	    sizeof a), date_us_text(end, b, sizeof b));
}

/* One membership for the list: its holder, period, status and forms. */
static json_t *
mship_view(struct req *r, const struct row_mship_assoc *m, json_t *errors)
{
	const char	*key = arena_printf(&r->arena, "reason-%lld",
			    (long long)m->id);
	json_t		*e = json_object_get(errors, key);

	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, "
	    "s:s, s:b}", "id", (json_int_t)m->id, "name", m->name, "email",
	    m->email, "period", period_words(r, m->start, m->end), "status",
	    m->status < membership_status__N ?
	    membership_status_names[m->status] : "", "reason",
	    m->reason != NULL ? m->reason : "", "member_id",
	    m->member_id != NULL ? m->member_id : "", "confirmable",
	    m->status != MSTAT_CONFIRMED, "rejectable",
	    m->status != MSTAT_REJECTED, "error", json_is_string(e) ?
	    json_string_value(e) : "", "invalid", e != NULL);
}

/* The page; errors: field -> message (stolen), roster: an import's
   result (stolen) or NULL. */
static void
roster_page(struct req *r, int status, json_t *errors, json_t *roster)
{
	struct actor		 who = req_actor(r);
	const struct ruleset	*rs = web_rules(r->user.association);
	struct row_mship_assoc	*m;
	json_t			*v, *list = json_array(), *probs, *e;
	const char		*key;
	int			 i, n;

	if (errors == NULL)
		errors = json_object();
	if ((n = mship_list(&who, &r->arena, 0, &m)) < 0) {
		json_decref(list);
		json_decref(errors);
		json_decref(roster);
		view_read_failed(r);
		return;
	}
	v = json_object();
	probs = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(list, mship_view(r, &m[i], errors));
		key = arena_printf(&r->arena, "reason-%lld",
		    (long long)m[i].id);
		if ((e = json_object_get(errors, key)) != NULL)
			json_array_append_new(probs, json_pack("{s:s, s:s, "
			    "s:O}", "href", key, "label", arena_printf(
			    &r->arena, "Reason for %s", m[i].name), "message",
			    e));
	}
	if (json_object_get(errors, "roster") != NULL)
		json_array_append_new(probs, json_pack("{s:s, s:s, s:O}",
		    "href", "roster", "label", "Member roster", "message",
		    json_object_get(errors, "roster")));
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	json_object_set_new(v, "confirmed_only", json_boolean(rs != NULL &&
	    rs->membership.confirmed));
	json_object_set_new(v, "n_memberships", json_integer(n));
	json_object_set_new(v, "memberships", list);
	json_object_set_new(v, "n_errors", json_integer((json_int_t)
	    json_array_size(probs)));
	json_object_set_new(v, "problems", probs);
	json_object_set_new(v, "roster_error", json_string(json_is_string(
	    json_object_get(errors, "roster")) ? json_string_value(
	    json_object_get(errors, "roster")) : ""));
	if (roster != NULL) {
		json_object_set_new(roster, "n_confirmed", json_integer(
		    (json_int_t)json_array_size(json_object_get(roster,
		    "confirmed"))));
		json_object_set_new(roster, "n_unmatched", json_integer(
		    (json_int_t)json_array_size(json_object_get(roster,
		    "unmatched"))));
		json_object_set_new(roster, "n_unmatched_rows", json_integer(
		    (json_int_t)json_array_size(json_object_get(roster,
		    "unmatched_rows"))));
		json_object_set_new(v, "roster", roster);
	}
	json_decref(errors);
	view_page(r, status, "coord/memberships", "Memberships", v);
}

void
page_memberships(struct req *r)
{
	roster_page(r, 200, NULL, NULL);
}

/* A derr as the page again when it is about a field, else the error
   page. */
static void
roster_failed(struct req *r, const struct derr *e, const char *field)
{
	if (e->status == 400 && e->field != NULL)
		roster_page(r, 400, json_pack("{s:s}", field, e->message),
		    NULL);
	else
		view_derr(r, e);
}

void
page_membership_confirm(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (mship_decide(&who, &r->arena, r->id, MSEV_CONFIRM, NULL,
	    &e) != 0) {
		roster_failed(r, &e, "roster");
		return;
	}
	reply_redirect(r, "/coordinator/memberships#m-%lld", (long long)r->id);
}

void
page_membership_reject(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (mship_decide(&who, &r->arena, r->id, MSEV_REJECT,
	    req_form(r, "reason"), &e) != 0) {
		roster_failed(r, &e, arena_printf(&r->arena, "reason-%lld",
		    (long long)r->id));
		return;
	}
	reply_redirect(r, "/coordinator/memberships#m-%lld", (long long)r->id);
}

void
page_roster_import(struct req *r)
{
	struct actor		 who = req_actor(r);
	const struct field	*f = req_file(r, "roster");
	struct derr		 e;
	json_t			*out;

	if (f == NULL || f->len == 0) {
		roster_page(r, 400, json_pack("{s:s}", "roster", "choose the "
		    "member roster file (.csv)"), NULL);
		return;
	}
	if (mship_roster(&who, &r->arena, f->value, f->len, &out, &e) != 0) {
		roster_failed(r, &e, "roster");
		return;
	}
	roster_page(r, 200, NULL, out);
}
