/*
 * The coordinator's pages: the applications of their association, the
 * association's outgoing mail and its rule changes with whom each moved.
 * A coordinator sees their own association only (every statement binds
 * it); messages that carry a private link are listed without the link.
 */
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-review.h"
#include "banned.h"

void
page_coord(struct req *r)
{
	json_t			*v = json_object(), *apps = json_array();
	struct row_app_list_assoc *p;
	int			 i, n;

	n = review_apps(&r->arena, r->user.association, &p);
	if (n < 0) {
		json_decref(v);
		json_decref(apps);
		view_read_failed(r);
		return;
	}
	for (i = 0; i < n; i++)
		json_array_append_new(apps, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s, s:i, s:i, s:b}", "id", (json_int_t)p[i].id,
		    "category", p[i].category, "status", p[i].status, "name",
		    p[i].name, "email", p[i].email, "cycle", p[i].cycle_name,
		    "n_assigned", (int)p[i].assigned, "n_done",
		    (int)p[i].done, "own", p[i].email != NULL &&
		    r->user.email != NULL &&
		    strcasecmp(p[i].email, r->user.email) == 0));
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	json_object_set_new(v, "applications", apps);
	view_page(r, 200, "coord/home", "Coordinator", v);
}

void
page_outbox(struct req *r)
{
	json_t			*v = json_object(), *list = json_array();
	struct row_outbox_list	*m;
	char			 d[11];
	int			 i, n;

	n = review_outbox(&r->arena, r->user.association, &m);
	if (n < 0) {
		json_decref(v);
		json_decref(list);
		view_read_failed(r);
		return;
	}
	for (i = 0; i < n; i++) {
		date_format((int32_t)(m[i].created / 86400), d);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s, s:s}", "id", (json_int_t)m[i].id,
		    "to", m[i].recipient, "subject", m[i].subject, "body",
		    m[i].secret ? "(this message carries a private link and "
		    "is shown only to its recipient)" : m[i].body, "status",
		    mail_outbox_words(&r->arena, m[i].status,
		    (int)m[i].attempts, m[i].last_error, m[i].sent_at,
		    m[i].next_try), "state", db_enum_word(outbox_status,
		    m[i].status), "date", d));
	}
	json_object_set_new(v, "messages", list);
	json_object_set_new(v, "smtp", json_boolean(cfg.smtp_host != NULL &&
	    *cfg.smtp_host != '\0'));
	view_page(r, 200, "coord/outbox", "Outgoing mail", v);
}

/* ------------------------------------------------------- rule changes */

#define MAX_MOVES_SHOWN	1000	/* of each kind on the page */
#define HASH_SHOWN	12	/* hex digits of a version's SHA-256 */

/* A time as UTC "YYYY-MM-DD HH:MM". */
static const char *
at_words(struct req *r, int64_t t)
{
	char	 d[11];
	int64_t	 s = t % 86400;

	date_format((int32_t)(t / 86400), d);
	return arena_printf(&r->arena, "%s %02d:%02d UTC", d, (int)(s / 3600),
	    (int)(s / 60 % 60));
}

static const char *
short_hash(struct req *r, const char *h)
{
	return arena_printf(&r->arena, "%.*s", HASH_SHOWN, h != NULL ? h : "");
}

/*
 * The moves of one kind ("applications" or "renewals") as rows of the
 * page, the first MAX_MOVES_SHOWN, with their count and whether there are
 * more, set in the view as KIND, n_KIND and more_KIND.
 */
static void
moves_view(json_t *c, json_t *doc, const char *kind)
{
	json_t		*rows = json_array(), *m, *row;
	json_t		*list = json_object_get(doc, kind);
	struct buf	 b;
	size_t		 i, n = json_array_size(list);
	int		 renewals = strcmp(kind, "renewals") == 0;
	char		 key[32];

	json_array_foreach(list, i, m) {
		if (i == MAX_MOVES_SHOWN)
			break;
		buf_init(&b);
		impact_ids(m, &b);
		row = json_pack("{s:O?, s:O?, s:O?, s:O?, s:s}", "name",
		    json_object_get(m, "name"), "category",
		    json_object_get(m, "category"), "old", json_object_get(m,
		    "old"), "new", json_object_get(m, "new"), "ids", b.s != NULL ?
		    b.s : "");
		buf_free(&b);
		if (row == NULL)
			continue;
		if (renewals)
			json_object_set(row, "number", json_object_get(m,
			    "endorsement"));
		else {
			json_object_set(row, "id", json_object_get(m, "id"));
			json_object_set(row, "status", json_object_get(m,
			    "status"));
		}
		json_array_append_new(rows, row);
	}
	snprintf(key, sizeof key, "n_%s", kind);
	json_object_set_new(c, key, json_integer((json_int_t)n));
	snprintf(key, sizeof key, "more_%s", kind);
	json_object_set_new(c, key, json_boolean(n > MAX_MOVES_SHOWN));
	json_object_set_new(c, kind, rows);
}

/*
 * A rule change of the caller's association: id, or the latest (id 0).
 * The association is bound in the statement: another's change is not
 * found, and answers as a missing one would.
 */
static void
rule_change_page(struct req *r, int64_t id)
{
	json_t			*v = json_object(), *list = json_array();
	json_t			*doc, *c;
	struct rule_change	 rc, *all;
	json_error_t		 err;
	char			*sha;
	int64_t			 at;
	int			 i, n;

	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	if (impact_version_last(&r->arena, r->user.association, &sha, &at))
		json_object_set_new(v, "current", json_pack("{s:s, s:s}",
		    "sha", short_hash(r, sha), "at", at_words(r, at)));

	if (impact_change_get(&r->arena, r->user.association, id, &rc)) {
		c = json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
		    (json_int_t)rc.id, "at", at_words(r, rc.at), "old",
		    short_hash(r, rc.old_sha), "new", short_hash(r,
		    rc.new_sha), "latest", id == 0);
		doc = rc.impact != NULL ? json_loads(rc.impact, 0, &err) :
		    NULL;
		if (json_is_string(json_object_get(doc, "error")))
			json_object_set(c, "error", json_object_get(doc,
			    "error"));
		else if (doc != NULL) {
			json_object_set(c, "as_of", json_object_get(doc,
			    "as_of"));
			json_object_set_new(c, "summary", json_string(
			    impact_summary(doc)));
			moves_view(c, doc, "applications");
			moves_view(c, doc, "renewals");
			json_object_set_new(c, "shown", json_integer(
			    MAX_MOVES_SHOWN));
		} else
			json_object_set_new(c, "error", json_string("the "
			    "stored result does not read"));
		json_decref(doc);
		json_object_set_new(v, "change", c);
	} else if (id > 0) {
		json_decref(v);
		json_decref(list);
		view_error(r, 404, "there is no such rule change");
		return;
	}

	n = impact_change_list(&r->arena, r->user.association, &all);
	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:i, s:i}", "id", (json_int_t)all[i].id, "at", at_words(r,
		    all[i].at), "old", short_hash(r, all[i].old_sha), "new",
		    short_hash(r, all[i].new_sha), "applications",
		    all[i].applications, "renewals", all[i].renewals));
	json_object_set_new(v, "n_changes", json_integer((json_int_t)n));
	json_object_set_new(v, "changes", list);
	view_page(r, 200, "coord/rules", "Rule changes", v);
}

void
page_coord_rules(struct req *r)
{
	rule_change_page(r, 0);
}

void
page_coord_rule_change(struct req *r)
{
	rule_change_page(r, r->id);
}
