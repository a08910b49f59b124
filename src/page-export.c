/*
 * The coordinator's exports: GET /coordinator/exports lists them,
 * /coordinator/exports/NAME.csv and NAME.xlsx download one (dom-export.c
 * makes the table, export.c writes it).  A coordinator exports their own
 * association's rows only: the association is the session's, bound in
 * every statement; no parameter names another.
 */
#include <string.h>

#include "web.h"
#include "export.h"
#include "banned.h"

#define CT_CSV	"text/csv; charset=utf-8"
#define CT_XLSX	"application/vnd.openxmlformats-officedocument." \
		"spreadsheetml.sheet"

void
page_coord_exports(struct req *r)
{
	json_t	*v = json_object(), *list = json_array();
	int	 i;

	for (i = 0; i < EXPORT_N; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "name",
		    export_names[i], "about", export_about[i]));
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	json_object_set_new(v, "exports", list);
	view_page(r, 200, "coord/exports", "Exports", v);
}

/* NAME.csv or NAME.xlsx: the export's index and *xlsx, or -1. */
static int
export_of(struct req *r, int *xlsx)
{
	const char	*dot = strrchr(r->word, '.');
	char		*name;

	if (dot == NULL)
		return -1;
	if (strcmp(dot, ".csv") == 0)
		*xlsx = 0;
	else if (strcmp(dot, ".xlsx") == 0)
		*xlsx = 1;
	else
		return -1;
	name = arena_printf(&r->arena, "%.*s", (int)(dot - r->word),
	    r->word);
	return export_find(name);
}

void
page_coord_export_file(struct req *r)
{
	struct table	 t;
	struct derr	 e;
	struct buf	 b;
	const char	*why = NULL;
	char		 d[11];
	int		 which, xlsx = 0, rc;

	if ((which = export_of(r, &xlsx)) < 0) {
		view_error(r, 404, "there is no such export");
		return;
	}
	if (export_table(&r->arena, r->user.association, which, &t, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	buf_init(&b);
	if (xlsx)
		rc = table_xlsx(&t, export_names[which], NULL, &b,
		    cfg.max_reply, &why);
	else
		rc = table_csv(&t, &b, cfg.max_reply);
	if (rc != 0) {
		buf_free(&b);
		if (rc == -1 && xlsx) {
			r->log_error = why;
			view_error(r, 500, "the workbook could not be made");
		} else
			view_error(r, 500, arena_printf(&r->arena, "the "
			    "export is larger than this server sends in one "
			    "answer (max_reply, %ld bytes)", cfg.max_reply));
		return;
	}
	date_format(web_today(), d);
	reply_header(r, "Content-Disposition", arena_printf(&r->arena,
	    "attachment; filename=\"%s-%s-%s.%s\"", r->user.association,
	    export_names[which], d, xlsx ? "xlsx" : "csv"));
	reply_text(r, 200, xlsx ? CT_XLSX : CT_CSV, b.s != NULL ? b.s : "",
	    b.len);
	buf_free(&b);
}
