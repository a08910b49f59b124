/*
 * An endorsee's endorsements: the printable certificate (PDF with a QR
 * code to the public verification page and the address of the signed
 * credential, cert.c; the credential itself in vc-web.c) and hiding a
 * category from the registry's search (it still verifies by its number).  Only the
 * holder, or their association's coordinator, gets the certificate.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "cert.h"
#include "dom-app.h"
#include "dom-registry.h"
#include "banned.h"

void
page_certificate(struct req *r)
{
	struct row_endorsement_by_number row;
	struct cert			 c;
	struct buf			 pdf;
	char				*cause = NULL, *assoc = NULL;
	char				*category = NULL, *name = NULL;
	char				*since = NULL;
	enum endorsement_status		 status = ENDORSEMENT_INACTIVE;
	int64_t				 account = 0;
	int				 found = 0;

	if (endorsement_read(&r->arena, r->word, &row) == 0) {
		found = 1;
		name = row.name;
		category = row.category;
		assoc = row.association;
		status = row.status;
		since = row.since;
		account = row.account;
	}
	if (!found || (account != r->user.id && !(r->user.role ==
	    UR_COORDINATOR && r->user.association != NULL &&
	    strcmp(r->user.association, assoc) == 0))) {
		view_error(r, 404, "there is no such endorsement of yours");
		return;
	}
	if (status != ENDORSEMENT_ACTIVE) {
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
	c.valid_through = registry_valid_through(&r->arena, assoc);
	c.credential_url = arena_printf(&r->arena, "%s/api/v1/credentials/%s",
	    cfg.base_url, r->word);
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
	struct actor	 who = req_actor(r);
	struct derr	 e;
	const char	*h = req_form(r, "hidden");

	if (h == NULL || (strcmp(h, "yes") != 0 && strcmp(h, "no") != 0)) {
		view_error(r, 400, "hidden: answer yes or no");
		return;
	}
	if (endorsement_hide(&who, &r->arena, r->id, strcmp(h, "yes") == 0,
	    &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/dashboard");
}
