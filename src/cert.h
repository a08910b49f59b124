/*
 * Endorse: the endorsement certificate, a one-page PDF (cert.c).
 */
#ifndef CERT_H
#define CERT_H

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
};

/*
 * Render the certificate as a PDF into out (appended); 0, or -1 with
 * *cause (malloc'd, caller frees) on failure, out then as it was.
 */
int	 cert_pdf(const struct cert *, struct buf *out, char **cause);
/* Free the font caches; call when no certificate is drawn any more. */
void	 cert_release(void);

#endif
