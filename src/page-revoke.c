/*
 * A coordinator's page of one endorsement of their association
 * (/coordinator/endorsements/NUMBER): what it is, its history, and the
 * forms that suspend it, lift a suspension or revoke it (dom-revoke.c).
 * Each form's POST first checks the reason and asks (a confirmation
 * page, no script needed); the POST of that page, confirmed=yes, acts.
 * A reason refused comes back by its field, as typed.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-revoke.h"
#include "banned.h"

static const char *const key[LIFEEV__N] = {
	[LIFEEV_REVOKE] = "revoke", [LIFEEV_SUSPEND] = "suspend",
	[LIFEEV_LIFT] = "lift",
};

/* The page, with a refused reason by the form of ev (ev < 0: none). */
static void
endorsement_page(struct req *r, int status, int64_t id, int ev,
    const char *typed, const char *problem)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;
	json_t		*v;

	if ((v = revoke_view(&who, &r->arena, id, &e)) == NULL) {
		view_derr(r, &e);
		return;
	}
	if (ev >= 0) {
		json_object_set_new(v, "n_errors", json_integer(1));
		json_object_set_new(v, "err_action", json_string(key[ev]));
		json_object_set_new(v, "err_message", json_string(problem));
		json_object_set_new(v, arena_printf(&r->arena, "%s_error",
		    key[ev]), json_string(problem));
		json_object_set_new(v, arena_printf(&r->arena, "%s_value",
		    key[ev]), json_string(typed != NULL ? typed : ""));
	}
	view_page(r, status, "coord/endorsement", arena_printf(&r->arena,
	    "Endorsement %s", r->word), v);
}

/* The endorsement of the path's number in the coordinator's association,
   or 0 after a 404. */
static int64_t
endorsement_of(struct req *r)
{
	struct actor	 who = req_actor(r);
	int64_t		 id = revoke_id_of(&who, r->word);

	if (id == 0)
		view_error(r, 404, "there is no such endorsement in your "
		    "association");
	return id;
}

/* GET /coordinator/endorsements/NUMBER */
void
page_coord_endorsement(struct req *r)
{
	int64_t	 id;

	if ((id = endorsement_of(r)) != 0)
		endorsement_page(r, 200, id, -1, NULL, NULL);
}

/* The confirmation page of ev with the reason carried on. */
static void
confirm(struct req *r, enum life_event ev, const char *reason)
{
	static const char *const title[LIFEEV__N] = {
		[LIFEEV_REVOKE] = "Revoke endorsement %s?",
		[LIFEEV_SUSPEND] = "Suspend endorsement %s?",
		[LIFEEV_LIFT] = "Lift the suspension of %s?",
	};
	static const char *const lead[LIFEEV__N] = {
		[LIFEEV_REVOKE] = "A revocation is final: the registry and "
		    "the verification page will show it as revoked, with "
		    "today's date, and the endorsee is mailed the reason.",
		[LIFEEV_SUSPEND] = "The registry and the verification page "
		    "will show it as suspended, not current, until the "
		    "suspension is lifted; the endorsee is mailed the reason.",
		[LIFEEV_LIFT] = "The endorsement becomes active again and "
		    "the endorsee is mailed that it is.",
	};
	static const char *const button[LIFEEV__N] = {
		[LIFEEV_REVOKE] = "Yes, revoke %s",
		[LIFEEV_SUSPEND] = "Yes, suspend %s",
		[LIFEEV_LIFT] = "Yes, lift the suspension of %s",
	};
	const char	*t = arena_printf(&r->arena, title[ev], r->word);
	json_t		*v;

	v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", t,
	    "lead", lead[ev], "reason", reason != NULL ? reason : "",
	    "action", arena_printf(&r->arena, "/coordinator/endorsements/%s/%s",
	    r->word, key[ev]), "button", arena_printf(&r->arena, button[ev],
	    r->word), "class", ev == LIFEEV_REVOKE ? "danger" : "secondary",
	    "number", r->word);
	view_page(r, 200, "coord/endorsement-confirm", t, v);
}

/* POST /coordinator/endorsements/NUMBER/{revoke,suspend,lift}: the
   reason checked and confirmation asked, or (confirmed=yes) done. */
static void
act(struct req *r, enum life_event ev)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;
	const char	*reason = req_form(r, "reason"), *c;
	int64_t		 id;
	int		 dry;

	if ((id = endorsement_of(r)) == 0)
		return;
	c = req_form(r, "confirmed");
	dry = c == NULL || strcmp(c, "yes") != 0;
	if (revoke_apply(&who, &r->arena, id, ev, reason, dry, &e) != 0) {
		if (e.field != NULL)
			endorsement_page(r, e.status, id, ev, reason,
			    e.message);
		else
			view_derr(r, &e);
		return;
	}
	if (dry)
		confirm(r, ev, reason);
	else
		reply_redirect(r, "/coordinator/endorsements/%s", r->word);
}

void
page_coord_revoke(struct req *r)
{
	act(r, LIFEEV_REVOKE);
}

void
page_coord_suspend(struct req *r)
{
	act(r, LIFEEV_SUSPEND);
}

void
page_coord_lift(struct req *r)
{
	act(r, LIFEEV_LIFT);
}
