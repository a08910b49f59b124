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

#endif
