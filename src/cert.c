/*
 * The endorsement certificate: one US Letter landscape page of PDF, drawn
 * with cairo, with a QR code (libqrencode) of the verification URL so that
 * anyone holding the paper can check it is current.
 *
 * Text goes through cairo's toy text API in DejaVu Sans (fontconfig
 * substitutes another sans-serif face where DejaVu is missing).  The toy
 * API does no shaping and no font fallback: names in scripts DejaVu Sans
 * lacks would show empty boxes; pango would fix that at the price of a
 * dependency.  A line that is too wide is set smaller, down to TEXT_MIN,
 * and past that clipped at the border: nothing is ever cut short in a
 * buffer of ours.
 *
 * Every field is checked first (present, valid UTF-8, no control
 * characters), because cairo puts a context into an error state on bad
 * UTF-8 and would only say so after the page was drawn.
 */
#include <cairo.h>
#include <cairo-pdf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "banned.h"

#define PAGE_W		792.0	/* US Letter, landscape, in points */
#define PAGE_H		612.0
#define BORDER_OUT	20.0	/* inset of the heavy outer rule */
#define BORDER_IN	28.0	/* inset of the thin inner rule */
#define TEXT_W		652.0	/* widest centred line */
#define TEXT_MIN	6.0	/* no text is set smaller */
#define FONT		"DejaVu Sans"

#define QR_SIZE		150.0	/* the code and its quiet zone, square */
#define QR_QUIET	4	/* modules of white around the code */
#define QR_MODULE_MIN	1.6	/* smallest module that scans at 100 dpi */
#define QR_X		(PAGE_W - BORDER_IN - 22.0 - QR_SIZE)
#define QR_Y		(PAGE_H - BORDER_IN - 22.0 - QR_SIZE)

#define FOOT_X		(BORDER_IN + 34.0)	/* left edge of the footer */
#define FOOT_W		(QR_X - 20.0 - FOOT_X)

/* The ink: a dark navy for rules and headings, near-black for text. */
#define ACCENT(cr)	cairo_set_source_rgb((cr), 0.10, 0.20, 0.36)
#define INK(cr)		cairo_set_source_rgb((cr), 0.10, 0.10, 0.10)


/*
 * Why a field cannot be printed, or NULL: control characters (a line
 * break would draw as a box) and anything but well-formed UTF-8 (no
 * overlong forms, no surrogates, nothing past U+10FFFF).
 */
const char *
cert_text_problem(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned long		 cp, min;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return "contains a control character";
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf) {
			n = 1;
			cp = *p & 0x1f;
			min = 0x80;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			n = 2;
			cp = *p & 0x0f;
			min = 0x800;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			n = 3;
			cp = *p & 0x07;
			min = 0x10000;
		} else
			return "is not valid UTF-8";
		/* The NUL at the end is no continuation byte: this stops. */
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return "is not valid UTF-8";
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return "is not valid UTF-8";
		if (cp >= 0x80 && cp <= 0x9f)
			return "contains a control character";
		p += n + 1;
	}
	return NULL;
}

/* Refuse a certificate with a field missing or unprintable, by name. */
static int
cert_check(const struct cert *c, char **cause)
{
	const struct {
		const char	*name;
		const char	*value;
	} f[] = {
		{ "name", c->name },
		{ "category", c->category },
		{ "category_title", c->category_title },
		{ "association", c->association },
		{ "number", c->number },
		{ "since", c->since },
		{ "url", c->url },
	};
	const char	*why;
	int32_t		 day;
	size_t		 i;

	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (f[i].value == NULL || *f[i].value == '\0') {
			xasprintf(cause, "certificate %s is missing", f[i].name);
			return -1;
		}
		if ((why = cert_text_problem(f[i].value)) != NULL) {
			xasprintf(cause, "certificate %s %s", f[i].name, why);
			return -1;
		}
	}
	if (c->valid_through != NULL && (why = cert_text_problem(
	    c->valid_through)) != NULL) {
		xasprintf(cause, "certificate valid_through %s", why);
		return -1;
	}
	if (c->credential_url != NULL && (why = cert_text_problem(
	    c->credential_url)) != NULL) {
		xasprintf(cause, "certificate credential_url %s", why);
		return -1;
	}
	if (date_parse(c->since, &day) != 0) {
		xasprintf(cause, "certificate since is not a date (YYYY-MM-DD): "
		    "%s", c->since);
		return -1;
	}
	return 0;
}

/* cairo's stream writer: the PDF goes straight into the caller's buffer. */
cairo_status_t
cert_write(void *closure, const unsigned char *data, unsigned int len)
{
	buf_add(closure, (const char *)data, len);
	return CAIRO_STATUS_SUCCESS;
}

/*
 * One line of text at size points, set smaller if it would be wider than
 * maxw, centred on x or starting at it, baseline y.  Measured by advance,
 * so the centre is the typographic one.
 */
void
cert_text(cairo_t *cr, const char *s, int bold, int italic, double size,
    double maxw, double x, double y, enum align align)
{
	cairo_text_extents_t	 te;

	cairo_select_font_face(cr, FONT,
	    italic ? CAIRO_FONT_SLANT_OBLIQUE : CAIRO_FONT_SLANT_NORMAL,
	    bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, s, &te);
	if (te.x_advance > maxw) {
		size = size * maxw / te.x_advance;
		if (size < TEXT_MIN)
			size = TEXT_MIN;
		cairo_set_font_size(cr, size);
		cairo_text_extents(cr, s, &te);
	}
	if (align == ALIGN_CENTRE)
		x -= te.x_advance / 2;
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
}

/* A horizontal rule in the accent colour, centred on the page. */
void
cert_rule(cairo_t *cr, double y, double w, double lw)
{
	ACCENT(cr);
	cairo_set_line_width(cr, lw);
	cairo_move_to(cr, (PAGE_W - w) / 2, y);
	cairo_line_to(cr, (PAGE_W + w) / 2, y);
	cairo_stroke(cr);
}

/*
 * The QR code of url, or NULL with *cause.  A URL so long that a module
 * would be smaller than QR_MODULE_MIN is refused: a code that does not
 * scan is worse than none.  Done before any drawing, so that a refusal
 * costs no fonts and no PDF.
 */
static QRcode *
cert_qr_encode(const char *url, char **cause)
{
	QRcode	*qr;

	errno = 0;
	qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL) {
		xasprintf(cause, "certificate url cannot be a QR code: %s",
		    errno != 0 ? strerror(errno) : "unknown error");
		return NULL;
	}
	if (QR_SIZE / (qr->width + 2 * QR_QUIET) < QR_MODULE_MIN) {
		xasprintf(cause, "certificate url is too long for a QR code "
		    "that scans (%d modules)", qr->width);
		QRcode_free(qr);
		return NULL;
	}
	return qr;
}

/*
 * Draw the code QR_SIZE points square with its quiet zone, top left at
 * (x, y).  Dark modules are filled as one path of horizontal runs, so a
 * rasteriser leaves no hairline seams between neighbours.
 */
static void
cert_qr_draw(cairo_t *cr, const QRcode *qr, double x, double y)
{
	double	 m;
	int	 r, c, c0, w;

	w = qr->width;
	m = QR_SIZE / (w + 2 * QR_QUIET);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, QR_SIZE, QR_SIZE);
	cairo_fill(cr);

	x += QR_QUIET * m;
	y += QR_QUIET * m;
	for (r = 0; r < w; r++) {
		for (c = 0; c < w; c++) {
			if ((qr->data[r * w + c] & 1) == 0)
				continue;
			for (c0 = c; c < w && (qr->data[r * w + c] & 1); c++)
				/* nothing */;
			cairo_rectangle(cr, x + c0 * m, y + r * m,
			    (c - c0) * m, m);
		}
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_fill(cr);
}

/* The page itself: borders, the centred block, the footer and the code. */
static void
cert_draw(cairo_t *cr, const struct cert *c, const QRcode *qr)
{
	char	*s, us[DATE_US_MAX];

	/* Two rules around the page; everything else clipped 8 pt inside. */
	ACCENT(cr);
	cairo_set_line_width(cr, 4);
	cairo_rectangle(cr, BORDER_OUT, BORDER_OUT, PAGE_W - 2 * BORDER_OUT,
	    PAGE_H - 2 * BORDER_OUT);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.75);
	cairo_rectangle(cr, BORDER_IN, BORDER_IN, PAGE_W - 2 * BORDER_IN,
	    PAGE_H - 2 * BORDER_IN);
	cairo_stroke(cr);
	cairo_rectangle(cr, BORDER_IN + 8, BORDER_IN + 8,
	    PAGE_W - 2 * BORDER_IN - 16, PAGE_H - 2 * BORDER_IN - 16);
	cairo_clip(cr);

	ACCENT(cr);
	cert_text(cr, "Infant and Early Childhood Mental Health "
	    "Endorsement\xc2\xae", 1, 0, 22, TEXT_W, PAGE_W / 2, 96,
	    ALIGN_CENTRE);
	INK(cr);
	cert_text(cr, c->association, 0, 0, 15, TEXT_W, PAGE_W / 2, 126,
	    ALIGN_CENTRE);
	cert_rule(cr, 146, 220, 1.5);

	INK(cr);
	cert_text(cr, "This certifies that", 0, 1, 14, TEXT_W, PAGE_W / 2,
	    200, ALIGN_CENTRE);
	cert_text(cr, c->name, 1, 0, 34, TEXT_W, PAGE_W / 2, 252,
	    ALIGN_CENTRE);
	cert_rule(cr, 268, 420, 0.75);

	INK(cr);
	cert_text(cr, "holds the endorsement", 0, 1, 14, TEXT_W, PAGE_W / 2,
	    300, ALIGN_CENTRE);
	ACCENT(cr);
	cert_text(cr, c->category_title, 1, 0, 20, TEXT_W, PAGE_W / 2, 334,
	    ALIGN_CENTRE);
	cert_text(cr, c->category, 0, 0, 14, TEXT_W, PAGE_W / 2, 358,
	    ALIGN_CENTRE);

	INK(cr);
	/* The day as people in the US write it (issue 16). */
	xasprintf(&s, "Endorsement number %s, since %s", c->number,
	    date_us_text(c->since, us, sizeof us));
	cert_text(cr, s, 0, 0, 13, TEXT_W, PAGE_W / 2, 396, ALIGN_CENTRE);
	free(s);
	if (c->valid_through != NULL) {
		xasprintf(&s, "Valid through %s", c->valid_through);
		cert_text(cr, s, 0, 0, 13, TEXT_W, PAGE_W / 2, 416,
		    ALIGN_CENTRE);
		free(s);
	}

	/* The footer, left of the code, its lines level with the code; the
	   code stays the page a phone opens, the signed credential's address
	   printed above it (docs/credentials.md). */
	if (c->credential_url != NULL) {
		xasprintf(&s, "Signed credential: %s", c->credential_url);
		cert_text(cr, s, 0, 0, 9, FOOT_W, FOOT_X, QR_Y + QR_SIZE / 2 -
		    18, ALIGN_LEFT);
		free(s);
	}
	xasprintf(&s, "Verify at %s", c->url);
	cert_text(cr, s, 0, 0, 11, FOOT_W, FOOT_X, QR_Y + QR_SIZE / 2,
	    ALIGN_LEFT);
	free(s);
	cert_text(cr, "Endorsement is not a license.", 0, 1, 10, FOOT_W,
	    FOOT_X, QR_Y + QR_SIZE / 2 + 18, ALIGN_LEFT);

	cert_qr_draw(cr, qr, QR_X, QR_Y);
}

/*
 * The certificate as PDF, appended to out.  On failure out is as it was
 * and *cause says why; cairo's own status is checked after the surface is
 * finished, since that is when it writes (and may fail to write) the file.
 */
int
cert_pdf(const struct cert *c, struct buf *out, char **cause)
{
	cairo_surface_t	*sf;
	cairo_t		*cr;
	cairo_status_t	 st;
	QRcode		*qr;
	char		*title;
	size_t		 start = out->len;

	*cause = NULL;
	if (c == NULL) {
		*cause = xstrdup("no certificate");
		return -1;
	}
	if (cert_check(c, cause) != 0)
		return -1;
	if ((qr = cert_qr_encode(c->url, cause)) == NULL)
		return -1;

	sf = cairo_pdf_surface_create_for_stream(cert_write, out, PAGE_W,
	    PAGE_H);
	if ((st = cairo_surface_status(sf)) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(sf);
		QRcode_free(qr);
		xasprintf(cause, "cannot create the certificate: %s",
		    cairo_status_to_string(st));
		goto fail;
	}
	/* Metadata: cairo 1.16 or later (Debian 12 has 1.16). */
	xasprintf(&title, "Endorsement certificate: %s", c->name);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
	free(title);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR,
	    "Endorse " ENDORSE_VERSION);

	cr = cairo_create(sf);
	cert_draw(cr, c, qr);
	QRcode_free(qr);
	cairo_show_page(cr);
	st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(sf);
	cairo_surface_destroy(sf);
	if (st != CAIRO_STATUS_SUCCESS) {
		xasprintf(cause, "cannot render the certificate: %s",
		    cairo_status_to_string(st));
		goto fail;
	}
	return 0;

fail:
	out->len = start;
	if (out->s != NULL)
		out->s[start] = '\0';
	return -1;
}

/*
 * cairo and fontconfig keep font caches for the life of the process;
 * fontconfig's are held in offset-encoded pointers LeakSanitizer cannot
 * follow.  Free them when no certificate will be drawn again (the
 * server's shutdown, the end of a test), so that only real leaks show.
 */
void
cert_release(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
