/*
 * What the renewal pages share (page-renew.c the endorsee's, page-log.c
 * the log and its evidence, page-audit.c the coordinator's).
 */
#ifndef PAGE_RENEW_H
#define PAGE_RENEW_H

#include "dom-renewal.h"

struct req;
struct life_item;

/* A renewal's status in words, for the endorsee and the coordinator. */
const char	*renew_words(enum renewal_status);
/* A scanned endorsement's statuses as enums. */
/* Whether the caller holds an endorsement of the association. */
int		 renew_holds_in(struct req *, const char *assoc);
/* An entry's evidence as an attachment, or 404. */
void		 renew_evidence_send(struct req *, int64_t entry);
/* The renewal page, with a problem to show (an attestation refused). */
void		 renew_page(struct req *, int status, const char *problem);
/* A form of the renewal page that failed, shown again by its fields: the
   attestation of endo with its boxes as sent, or the evidence of a log
   entry; problems [{href, label, message}] (consumed) link to them. */
struct renew_form {
	int64_t		 endo;
	int		 ticked[3];	/* hours, ethics, membership */
	const char	*why[3];	/* each box's problem, or NULL */
	int64_t		 entry;
	const char	*entry_error;
	const char	*problem;	/* about the page as a whole */
	json_t		*problems;
};
void		 renew_page_form(struct req *, int status,
		    struct renew_form *);

#endif
