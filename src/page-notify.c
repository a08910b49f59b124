/*
 * The coordinator's choice of how they hear of new arrivals
 * (/coordinator/notices): each mail as it happens, or one daily digest
 * (dom-notify.c).
 */
#include <string.h>

#include "web.h"
#include "dom-notify.h"
#include "page-renew.h"
#include "banned.h"

static void
notices_page(struct req *r, int status, const char *error, int saved)
{
	json_t	*v = json_object(), *opts = json_array();
	int	 digest = notify_digest_get(r->user.id);

	json_array_append_new(opts, json_pack("{s:s, s:s, s:s, s:b}", "value",
	    "each", "label", "Each as it happens", "hint", "A mail for every "
	    "new submission, resubmission, declined or void rating and "
	    "finished review round.", "checked", !digest));
	json_array_append_new(opts, json_pack("{s:s, s:s, s:s, s:b}", "value",
	    "digest", "label", "One daily digest", "hint", "The day's notices "
	    "gathered into one mail, sent the next day.", "checked", digest));
	json_object_set_new(v, "options", opts);
	json_object_set_new(v, "email", json_string(r->user.email != NULL ?
	    r->user.email : ""));
	if (error != NULL) {
		json_object_set_new(v, "error", json_string(error));
		json_object_set_new(v, "n_errors", json_integer(1));
		json_object_set_new(v, "problems", json_pack("[{s:s, s:s, s:s}]",
		    "href", "mail", "label", "Mail about new arrivals",
		    "message", error));
	}
	if (saved)
		json_object_set_new(v, "notice", json_string(digest ?
		    "Saved: you get one daily digest." : "Saved: you get each "
		    "mail as it happens."));
	view_page(r, status, "coord/notices", "Mail about new arrivals", v);
}

void
page_coord_notices(struct req *r)
{
	const char	*q = req_query(r, "saved");

	notices_page(r, 200, NULL, q != NULL && strcmp(q, "1") == 0);
}

void
page_coord_notices_set(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;
	const char	*v = req_form(r, "mail");
	int		 digest;

	if (v != NULL && strcmp(v, "digest") == 0)
		digest = 1;
	else if (v != NULL && strcmp(v, "each") == 0)
		digest = 0;
	else {
		notices_page(r, 400, "choose how you want to hear of new "
		    "arrivals", 0);
		return;
	}
	if (notify_digest_set(&who, &r->arena, digest, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/notices?saved=1");
}

/* --------------------------------------------- notes on an endorsee */

/* The renewal of the request's id when it is of the coordinator's
   association; -1 otherwise (nothing sent). */
static int
renewal_of(struct req *r, struct row_renewal_get *row)
{
	if (dom_renewal_get(&r->arena, r->id, row) != 0 ||
	    r->user.association == NULL || row->association == NULL ||
	    strcmp(row->association, r->user.association) != 0)
		return -1;
	return 0;
}

void
notes_renewal_view(struct req *r, json_t *v, const char *why)
{
	struct row_renewal_get	 row;
	struct row_note_list	*nt;
	struct actor		 who = req_actor(r);
	json_t			*list = json_array();
	const char		*typed = why != NULL ? req_form(r, "internal") :
				    NULL;
	char			 d[64];
	int			 i, n;

	if (renewal_of(r, &row) != 0 || row.account == who.id) {
		json_decref(list);
		return;
	}
	n = note_list(&who, &r->arena, NOTE_ENDORSEMENT, row.endorsement,
	    row.account, &nt);
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}",
		    "at", arena_printf(&r->arena, "%s %02d:%02d", date_us(
		    (int32_t)(nt[i].created / 86400), d, sizeof d),
		    (int)(nt[i].created % 86400 / 3600), (int)(nt[i].created %
		    3600 / 60)), "author", nt[i].author, "text", nt[i].text));
	json_object_set_new(v, "notes", json_pack("{s:o, s:s, s:s}", "list",
	    list, "value", typed != NULL ? typed : "", "error", why != NULL ?
	    why : ""));
	if (why != NULL) {
		json_object_set_new(v, "n_form_errors", json_integer(1));
		json_object_set_new(v, "form_errors", json_pack("[o]",
		    view_problem("f-internal", "Internal note", why)));
	}
}

void
page_coord_renewal_note(struct req *r)
{
	struct row_renewal_get	 row;
	struct actor		 who = req_actor(r);
	struct derr		 e;

	if (renewal_of(r, &row) != 0) {
		view_error(r, 404, "there is no such renewal in your "
		    "association");
		return;
	}
	if (note_add(&who, &r->arena, NOTE_ENDORSEMENT, row.endorsement,
	    row.account, req_form(r, "internal"), &e) != 0) {
		if (e.field != NULL)
			page_coord_renewal_refused(r, e.status, e.message);
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/renewals/%lld#notes-h",
	    (long long)r->id);
}
