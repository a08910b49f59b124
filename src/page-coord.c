/*
 * The coordinator's pages: the applications of their association and the
 * association's outgoing mail.  A coordinator sees their own association
 * only; messages that carry a private link are listed without the link.
 */
#include <string.h>

#include "web.h"
#include "banned.h"

void
page_coord(struct req *r)
{
	json_t			*v = json_object(), *apps = json_array();
	sqlite3_stmt		*st;

	st = db_stmt(S_APP_LIST_ASSOC);
	db_bind_text(st, "$assoc", r->user.association);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(apps, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s, s:i, s:i}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0),
		    "category", (const char *)sqlite3_column_text(st, 1),
		    "status", (const char *)sqlite3_column_text(st, 2), "name",
		    (const char *)sqlite3_column_text(st, 3), "email",
		    (const char *)sqlite3_column_text(st, 4), "cycle",
		    (const char *)sqlite3_column_text(st, 5), "n_assigned",
		    sqlite3_column_int(st, 6), "n_done",
		    sqlite3_column_int(st, 7)));
	sqlite3_reset(st);
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	json_object_set_new(v, "applications", apps);
	view_page(r, 200, "coord/home", "Coordinator", v);
}

void
page_outbox(struct req *r)
{
	json_t		*v = json_object(), *list = json_array();
	sqlite3_stmt	*st;
	const char	*status;
	char		 d[11];
	int		 secret;

	st = db_stmt(S_OUTBOX_LIST);
	db_bind_text(st, "$assoc", r->user.association);
	while (sqlite3_step(st) == SQLITE_ROW) {
		secret = sqlite3_column_int(st, 4);
		status = (const char *)sqlite3_column_text(st, 5);
		date_format((int32_t)(sqlite3_column_int64(st, 6) / 86400), d);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s, s:s}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0),
		    "to", (const char *)sqlite3_column_text(st, 1), "subject",
		    (const char *)sqlite3_column_text(st, 2), "body", secret ?
		    "(this message carries a private link and is shown only "
		    "to its recipient)" : (const char *)sqlite3_column_text(st,
		    3), "status", mail_status(&r->arena, status,
		    sqlite3_column_int(st, 7),
		    (const char *)sqlite3_column_text(st, 8),
		    sqlite3_column_int64(st, 9), sqlite3_column_int64(st, 10)),
		    "state", status, "date", d));
	}
	sqlite3_reset(st);
	json_object_set_new(v, "messages", list);
	json_object_set_new(v, "smtp", json_boolean(cfg.smtp_host != NULL &&
	    *cfg.smtp_host != '\0'));
	view_page(r, 200, "coord/outbox", "Outgoing mail", v);
}
