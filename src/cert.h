/*
 * Endorse: the endorsement certificate, a one-page PDF (cert.c).
 */
#ifndef CERT_H
#define CERT_H

#include <cairo.h>

#include "endorse.h"

/* What a certificate says; every field but valid_through is required,
   UTF-8. */
struct cert {
	const char	*name;		/* the endorsee, UTF-8 */
	const char	*category;	/* code, e.g. "IMHM-C" */
	const char	*category_title;	/* "Infant Mental Health Mentor - Clinical" */
	const char	*association;	/* association's full name */
	const char	*number;	/* endorsement number */
	const char	*since;		/* YYYY-MM-DD */
	const char	*url;		/* the verification URL the QR encodes */
	const char	*valid_through;	/* "December 31, 2027", the end of
					   the renewal cycle; NULL: none */
	const char	*credential_url; /* the signed credential's address
					   (Open Badges 3.0); NULL: none */
};

/*
 * Render the certificate as a PDF into out (appended); 0, or -1 with
 * *cause (malloc'd, caller frees) on failure, out then as it was.
 */
int	 cert_pdf(const struct cert *, struct buf *out, char **cause);
/* Free the font caches; call when no certificate is drawn any more. */
void	 cert_release(void);

/*
 * The drawing the receipt (receipt.c) shares with the certificate: the
 * page is US Letter landscape; text in DejaVu Sans, set smaller to fit
 * maxw; a rule centred on the page; cairo's writer into a struct buf;
 * why a field cannot be printed (control characters, bad UTF-8), or
 * NULL.
 */
#define CERT_PAGE_W	792.0
#define CERT_PAGE_H	612.0
enum align { ALIGN_CENTRE, ALIGN_LEFT };
void		 cert_text(cairo_t *, const char *, int bold, int italic,
		    double size, double maxw, double x, double y, enum align);
void		 cert_rule(cairo_t *, double y, double w, double lw);
cairo_status_t	 cert_write(void *, const unsigned char *, unsigned int);
const char	*cert_text_problem(const char *);

/* A receipt for one payment (receipt.c), every field UTF-8. */
struct receipt {
	const char	*association;	/* its full name */
	const char	*payer, *payer_email;
	const char	*amount;	/* "$75.00" */
	const char	*method;	/* "check" */
	const char	*date;		/* "November 23, 2026" */
	const char	*reference;	/* "" when none */
	const char	*what;		/* "Payment" */
	const char	*number;	/* the receipt number */
};
/* The receipt as one page of PDF appended to out; 0, or -1 with *cause
   (malloc'd). */
int		 receipt_pdf(const struct receipt *, struct buf *out,
		    char **cause);

#endif
