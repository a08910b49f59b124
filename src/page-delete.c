/*
 * Deleting, asked first: each delete button of the applicant leads to a
 * page (GET .../delete) that says what will go and asks for the POST that
 * deletes; afterwards the page it returns to says what went.  A deleted
 * entry can be put back for a while (entry_undo in dom-entry.c).  No
 * script is needed: a link and a form.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "dom-account.h"
#include "banned.h"

/* The confirmation page: what goes (items [{text}]), the form that
   deletes (action, button) and the way back. */
static void
confirm_page(struct req *r, const char *title, const char *lead,
    json_t *items, const char *after, const char *action, const char *button,
    const char *back)
{
	json_t	*v = json_object();

	json_object_set_new(v, "lead", json_string(lead));
	json_object_set_new(v, "n_items", json_integer((json_int_t)
	    json_array_size(items)));
	json_object_set_new(v, "items", items);
	if (after != NULL)
		json_object_set_new(v, "after", json_string(after));
	json_object_set_new(v, "action", json_string(action));
	json_object_set_new(v, "button", json_string(button));
	json_object_set_new(v, "back", json_string(back));
	view_page(r, 200, "confirm", title, v);
}

static json_t *
item(const char *text)
{
	return json_pack("{s:s}", "text", text);
}

/* GET /applications/#/delete: the application with its entries,
   transcripts and rating requests. */
void
page_app_delete_ask(struct req *r)
{
	struct app	 a;
	json_t		*items = json_array(), *list, *o, *w;
	size_t		 i, n;
	int		 k, files = 0;

	if (load_or_deny(r, r->id, 1, &a) != 0) {
		json_decref(items);
		return;
	}
	for (k = 0; k < nkinds; k++) {
		list = entry_list(&a, kinds[k].kind);
		if ((n = json_array_size(list)) > 0)
			json_array_append_new(items, item(arena_printf(
			    &r->arena, "%s: %zu %s", kinds[k].title, n,
			    n == 1 ? "entry" : "entries")));
		json_array_foreach(list, i, o)
			files += json_is_string(json_object_get(o, "file"));
		json_decref(list);
	}
	if (files > 0)
		json_array_append_new(items, item(arena_printf(&r->arena,
		    "%d transcript%s (PDF)", files, files == 1 ? "" : "s")));
	w = json_object();
	workflow_view(r, &a, w);
	n = json_array_size(json_object_get(json_object_get(w, "workflow"),
	    "ratings"));
	json_decref(w);
	if (n > 0)
		json_array_append_new(items, item(arena_printf(&r->arena,
		    "%zu rating request%s: their links stop working", n,
		    n == 1 ? "" : "s")));
	confirm_page(r, arena_printf(&r->arena, "Delete your %s application?",
	    a.category), "This deletes the draft application and everything "
	    "in it:", items, "It cannot be undone.", arena_printf(&r->arena,
	    "/applications/%lld/delete", (long long)a.id),
	    "Yes, delete the application", arena_printf(&r->arena,
	    "/applications/%lld", (long long)a.id));
}

/* The entry r->id2 of the application r->id, writable: its kind and a
   line that names it; NULL with the answer sent. */
static const struct kdef *
entry_named(struct req *r, struct app *a, const char **line, int *file)
{
	const struct kdef	*kd = NULL;
	const char		*kind;
	json_t			*e, *list, *o;
	char			 s[256];
	size_t			 i;

	if (load_or_deny(r, r->id, 1, a) != 0)
		return NULL;
	if ((e = entry_read(&r->arena, a, r->id2, &kind)) == NULL ||
	    (kd = kind_find(kind)) == NULL) {
		json_decref(e);
		view_error(r, 404, "there is no such entry");
		return NULL;
	}
	*line = arena_strdup(&r->arena, form_summary(kd, e, s, sizeof s));
	json_decref(e);
	*file = 0;
	list = entry_list(a, kd->kind);
	json_array_foreach(list, i, o)
		if (json_integer_value(json_object_get(o, "id")) == r->id2)
			*file = json_is_string(json_object_get(o, "file"));
	json_decref(list);
	return kd;
}

/* GET /applications/#/entries/#/delete. */
void
page_entry_delete_ask(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;
	const char		*line;
	int			 file;

	if ((kd = entry_named(r, &a, &line, &file)) == NULL)
		return;
	confirm_page(r, arena_printf(&r->arena, "Delete this %s?", kd->one),
	    arena_printf(&r->arena, "This deletes from %s:", kd->title),
	    json_pack("[o]", item(line)), file ? "Its transcript is deleted "
	    "with it. You can undo the deletion for an hour, without the "
	    "transcript." : "You can undo the deletion for an hour.",
	    arena_printf(&r->arena, "/applications/%lld/entries/%lld/delete",
	    (long long)a.id, (long long)r->id2), arena_printf(&r->arena,
	    "Yes, delete the %s", kd->one), arena_printf(&r->arena,
	    "/applications/%lld/tab/%s#entries", (long long)a.id, kd->kind));
}

/* GET /applications/#/entries/#/transcript/delete. */
void
page_transcript_delete_ask(struct req *r)
{
	const struct kdef	*kd;
	struct app		 a;
	const char		*line;
	int			 file;

	if ((kd = entry_named(r, &a, &line, &file)) == NULL)
		return;
	if (!file) {
		view_error(r, 404, "no transcript was uploaded for this "
		    "degree");
		return;
	}
	confirm_page(r, "Remove this transcript?", "This removes the "
	    "transcript (PDF) of:", json_pack("[o]", item(line)), "The degree "
	    "stays; upload the transcript again to count it.",
	    arena_printf(&r->arena,
	    "/applications/%lld/entries/%lld/transcript/delete",
	    (long long)a.id, (long long)r->id2), "Yes, remove the transcript",
	    arena_printf(&r->arena, "/applications/%lld/tab/education#entries",
	    (long long)a.id));
}

/* POST /applications/#/undo: the last deleted entry back on its tab. */
void
page_entry_undo(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 err;
	const char	*kind = NULL;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	if (entry_undo(&who, &r->arena, &a, NULL, &kind, &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/applications/%lld/tab/%s?restored=1#entries",
	    (long long)a.id, kind);
}

/* What the tab says after a deletion (?deleted=1): the entry that went,
   and the undo while it lasts; after an undo (?restored=1), that. */
void
delete_notice(struct req *r, const struct app *a, const struct kdef *kd,
    json_t *v)
{
	const char	*kind;
	json_t		*d;
	int64_t		 old;
	char		 s[256];

	if (req_query(r, "restored") != NULL) {
		json_object_set_new(v, "restored", json_true());
		return;
	}
	if (req_query(r, "deleted") == NULL)
		return;
	if ((d = entry_deleted(&r->arena, a, &kind, &old)) == NULL ||
	    strcmp(kind, kd->kind) != 0) {
		json_decref(d);
		return;
	}
	json_object_set_new(v, "deleted", json_pack("{s:s}", "summary",
	    form_summary(kd, d, s, sizeof s)));
	json_decref(d);
}

/* GET /membership/#/delete. */
void
page_membership_delete_ask(struct req *r)
{
	struct actor		 who = req_actor(r);
	struct row_member_list	*m;
	const struct ruleset	*rs;
	int			 n, i;

	if ((n = account_memberships(&who, &r->arena, &m)) < 0) {
		view_read_failed(r);
		return;
	}
	for (i = 0; i < n; i++)
		if (m[i].id == r->id)
			break;
	if (i == n) {
		view_error(r, 404, "there is no such membership of yours");
		return;
	}
	rs = web_rules(m[i].association);
	confirm_page(r, "Remove this membership?", "This removes the "
	    "membership you recorded:", json_pack("[o]", item(arena_printf(
	    &r->arena, "%s: %s to %s", rs != NULL ? rs->name :
	    m[i].association, m[i].start, m[i].end != NULL ? m[i].end :
	    "ongoing"))), "Record it again if you remove it by mistake.",
	    arena_printf(&r->arena, "/membership/%lld/delete",
	    (long long)r->id), "Yes, remove the membership", "/membership");
}
