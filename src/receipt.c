/*
 * A receipt for one payment: one US Letter landscape page of PDF drawn
 * with the certificate's helpers (cert.c: the text fitted to its width,
 * the rules, the writer, the check of every field before drawing).
 */
#include <cairo.h>
#include <cairo-pdf.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "banned.h"

#define R_LEFT		72.0
#define R_VALUE		260.0
#define R_WIDTH		(CERT_PAGE_W - R_VALUE - 72.0)

static void
receipt_row(cairo_t *cr, const char *label, const char *value, double y)
{
	cairo_set_source_rgb(cr, 0.10, 0.20, 0.36);
	cert_text(cr, label, 1, 0, 13, R_VALUE - R_LEFT - 12, R_LEFT, y,
	    ALIGN_LEFT);
	cairo_set_source_rgb(cr, 0.10, 0.10, 0.10);
	cert_text(cr, value, 0, 0, 13, R_WIDTH, R_VALUE, y, ALIGN_LEFT);
}

static void
receipt_draw(cairo_t *cr, const struct receipt *rc)
{
	const char	*rows[][2] = {
		{ "Receipt number", rc->number },
		{ "Received from", rc->payer },
		{ "E-mail", rc->payer_email },
		{ "Amount", rc->amount },
		{ "Paid by", rc->method },
		{ "Date", rc->date },
		{ "Reference", rc->reference[0] != '\0' ? rc->reference :
		    "none" },
		{ "For", rc->what },
	};
	size_t		 i;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.10, 0.20, 0.36);
	cert_text(cr, rc->association, 1, 0, 22, CERT_PAGE_W - 144,
	    CERT_PAGE_W / 2, 90, ALIGN_CENTRE);
	cert_text(cr, "Receipt", 0, 0, 30, CERT_PAGE_W - 144,
	    CERT_PAGE_W / 2, 135, ALIGN_CENTRE);
	cert_rule(cr, 160, CERT_PAGE_W - 144, 1.5);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		receipt_row(cr, rows[i][0], rows[i][1], 205 + 34.0 * (double)i);
	cert_rule(cr, 205 + 34.0 * (double)i, CERT_PAGE_W - 144, 0.75);
	cairo_set_source_rgb(cr, 0.10, 0.10, 0.10);
	cert_text(cr, "Thank you. Keep this receipt for your records.", 0, 1,
	    11, CERT_PAGE_W - 144, CERT_PAGE_W / 2, 230 + 34.0 * (double)i,
	    ALIGN_CENTRE);
}

int
receipt_pdf(const struct receipt *rc, struct buf *out, char **cause)
{
	const char	*f[] = { rc->association, rc->payer, rc->payer_email,
			    rc->amount, rc->method, rc->date, rc->reference,
			    rc->what, rc->number };
	cairo_surface_t	*sf;
	cairo_t		*cr;
	cairo_status_t	 st;
	const char	*why;
	size_t		 i, start = out->len;

	*cause = NULL;
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i] == NULL || (why = cert_text_problem(f[i])) != NULL) {
			xasprintf(cause, "receipt field %zu: %s", i,
			    f[i] == NULL ? "missing" : why);
			return -1;
		}
	sf = cairo_pdf_surface_create_for_stream(cert_write, out, CERT_PAGE_W,
	    CERT_PAGE_H);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE,
	    "Receipt");
	cr = cairo_create(sf);
	receipt_draw(cr, rc);
	cairo_show_page(cr);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS) {
		xasprintf(cause, "cannot render the receipt: %s",
		    cairo_status_to_string(st));
		out->len = start;
		if (out->s != NULL)
			out->s[start] = '\0';
		return -1;
	}
	return 0;
}
