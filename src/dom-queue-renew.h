/*
 * The renewals and reinstatements queue of an association
 * (dom-queue-renew.c): every renewal of its endorsees in a cycle, with
 * the endorsee, the status, since when, the next deadline (attestation,
 * cure), filtered (not attested, audit drawn, evidence pending, cure,
 * lapsed), searched, sorted and paged; and its reinstatement requests,
 * the ones requested first.
 */
#ifndef DOM_QUEUE_RENEW_H
#define DOM_QUEUE_RENEW_H

#include <stdint.h>

#include "store.h"

struct arena;

/* The filters: renew_show_names[] are the words of the page's query
   ("due"), renew_show_titles[] those people read. */
enum renew_show {
	RSH_ALL, RSH_DUE, RSH_AUDIT, RSH_EVIDENCE, RSH_CURE, RSH_LAPSED,
	RSH__N
};
extern const char *const renew_show_names[RSH__N];
extern const char *const renew_show_titles[RSH__N];

/* The columns it sorts by; RQ_DAYS is days in the state. */
enum renew_sort {
	RQ_NAME, RQ_NUMBER, RQ_CATEGORY, RQ_STATUS, RQ_DAYS, RQ_DEADLINE,
	RQ__N
};
extern const char *const renew_sort_names[RQ__N];

#define RENEW_WORDS	4	/* search words that count */

struct renew_filter {
	int		 cycle;
	enum renew_show	 show;
	const char	*search;	/* words, each in the name, the e-mail
					   or the number; NULL: any */
	enum renew_sort	 sort;
	int		 desc;
	int		 offset;
	int		 limit;		/* 0: every one */
};

/* One renewal (an endorsement the cycle requires renewed, or one with a
   renewal row).  Days are days since 1970; 0: none. */
struct renew_row {
	int64_t			 endorsement, renewal, account;
	const char		*name, *email, *number, *category;
	enum endorsement_status	 state;
	enum renewal_status	 rstate;	/* NONE: not attested */
	int			 met;		/* requirements met */
	int64_t			 since;		/* in the state since (s) */
	int			 days;
	int32_t			 deadline;	/* attestation or cure */
	int			 cure;		/* the deadline is a cure's */
	int			 pending;	/* audit items to review */
};

/* The cycle in figures (every endorsement, whatever the filter). */
struct renew_counts {
	int		 n, required, renewed, due, audit, cure, lapsed;
	int		 inactive;
};

/*
 * The renewals of association assoc in f->cycle that f lets through,
 * sorted and paged into *out (arena): their number (at most f->limit;
 * ask one more to learn whether a next page exists), the figures in *c;
 * -1 when the store fails.
 */
int		 queue_renewals(struct arena *, const char *assoc,
		    int32_t today, const struct renew_filter *f,
		    struct renew_row **out, struct renew_counts *c);

/* One reinstatement request. */
struct reinstate_row {
	int64_t			 id;
	const char		*name, *email, *number, *category;
	enum reinstate_status	 status;
	int			 fee;		/* dollars owed */
	int64_t			 requested;	/* time */
	int			 days;		/* since requested */
};

/* The association's reinstatement requests of status (-1: every one),
   the requested ones first, oldest first; -1 when the store fails. */
int		 queue_reinstatements(struct arena *, const char *assoc,
		    int status, struct reinstate_row **out);

#endif
