/*
 * An endorsee's endorsements: the printable certificate (PDF with a QR
 * code to the public verification page, cert.c) and hiding a category
 * from the registry's search (it still verifies by its number).  Only the
 * holder, or their association's coordinator, gets the certificate.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "cert.h"
#include "banned.h"

void
page_certificate(struct req *r)
{
	struct dbq		*st;
	struct cert		 c;
	struct buf		 pdf;
	char			*cause = NULL, *assoc = NULL, *category = NULL;
	char			*name = NULL, *since = NULL, *status = NULL;
	int64_t			 account = 0;
	int			 found = 0;

	st = db_stmt(S_ENDORSEMENT_BY_NUMBER);
	db_bind_text(st, "$number", r->word);
	if (db_step(st) == DB_ROW) {
		found = 1;
		name = db_text(&r->arena, st, 1);
		category = db_text(&r->arena, st, 2);
		assoc = db_text(&r->arena, st, 3);
		status = db_text(&r->arena, st, 4);
		since = db_text(&r->arena, st, 6);
		account = db_col_int64(st, 7);
	}
	db_reset(st);
	if (!found || (account != r->user.id && !(r->user.role ==
	    UR_COORDINATOR && r->user.association != NULL &&
	    strcmp(r->user.association, assoc) == 0))) {
		view_error(r, 404, "there is no such endorsement of yours");
		return;
	}
	if (strcmp(status, "active") != 0) {
		view_error(r, 409, "a certificate is printed for an active "
		    "endorsement only");
		return;
	}
	c.name = name;
	c.category = category;
	c.category_title = web_category_title(assoc, category);
	c.association = web_assoc_name(assoc);
	c.number = r->word;
	c.since = since;
	c.url = arena_printf(&r->arena, "%s/verify/%s", cfg.base_url,
	    r->word);
	buf_init(&pdf);
	if (cert_pdf(&c, &pdf, &cause) != 0) {
		r->log_error = arena_strdup(&r->arena, cause);
		free(cause);
		buf_free(&pdf);
		view_error(r, 500, "the certificate could not be made");
		return;
	}
	reply_header(r, "Content-Disposition", arena_printf(&r->arena,
	    "inline; filename=\"endorsement-%s.pdf\"", r->word));
	reply_text(r, 200, "application/pdf", pdf.s, pdf.len);
	buf_free(&pdf);
}

void
page_endorsement_hide(struct req *r)
{
	struct dbq	*st;
	const char	*h = req_form(r, "hidden");

	if (h == NULL || (strcmp(h, "yes") != 0 && strcmp(h, "no") != 0)) {
		view_error(r, 400, "hidden: answer yes or no");
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_ENDORSEMENT_HIDE);
	db_bind_int(st, "$hidden", strcmp(h, "yes") == 0);
	db_bind_int(st, "$id", r->id);
	db_bind_int(st, "$account", r->user.id);
	if (db_exec(st) != 0 || db_changes() != 1) {
		db_rollback();
		view_error(r, 404, "there is no such endorsement of yours");
		return;
	}
	if (audit_log(r, "endorsement", r->id, strcmp(h, "yes") == 0 ?
	    "hide" : "show", NULL) != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 503, "the change could not be stored");
		return;
	}
	reply_redirect(r, "/dashboard");
}
