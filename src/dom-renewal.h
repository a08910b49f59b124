/*
 * The endorsee's renewal as a domain (dom-renewal.c): the log of
 * training and RSC and its evidence, attestation, inactive status and
 * reinstatement; the coordinator's audit draw, its decisions on each
 * entry and on reinstatements.  Each function takes an actor, an arena
 * and plain values, runs in its own transaction and answers 0, or -1
 * with a struct derr.  The three statuses (a renewal's, an audit item's,
 * a reinstatement's) change only through their machines below.
 */
#ifndef DOM_RENEWAL_H
#define DOM_RENEWAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain.h"

struct kdef;

/*
 * A renewal: the endorsee attests; the coordinator draws it for audit,
 * decides its entries (the renewal stays where it is), and the audit
 * passes or fails (cure); a cure not made in time, or no renewal by the
 * window's close, lapses; reinstatement counts a lapsed cycle renewed.
 * In the three machines SM_WHO_APPLICANT is the endorsement's holder,
 * whatever their role.
 */
enum renewal_event {
	RENEWEV_ATTEST, RENEWEV_DRAW, RENEWEV_DECIDE, RENEWEV_PASS,
	RENEWEV_FAIL, RENEWEV_LAPSE, RENEWEV_REINSTATE, RENEWEV__N
};
extern const struct sm renewal_machine;

/* An audit item: accepted or rejected (and decided again); new evidence
   for a rejected one asks the coordinator again. */
enum item_event {
	ITEMEV_ACCEPT, ITEMEV_REJECT, ITEMEV_REOPEN, ITEMEV__N
};
extern const struct sm item_machine;

/* A reinstatement: asked for when none is open, then decided once.
   REINSTATE_NONE: the endorsement has no request yet. */
#define REINSTATE_NONE	reinstate_status__N
enum reinstate_event {
	REINSTEV_REQUEST, REINSTEV_APPROVE, REINSTEV_REFUSE, REINSTEV__N
};
extern const struct sm reinstate_machine;


/* A derr with this field: the problem is the endorsement's as a whole,
   shown on the renewal page rather than as an error page. */
#define DOM_RENEWAL_PAGE	"renewal"

/* An endorsement with its holder. */
struct dom_endo {
	int64_t			 id, account;	/* account 0: deleted */
	char			*number, *assoc, *category, *since;
	enum endorsement_status	 status;
	char			*emerging_until, *changed, *name, *email;
};
int		 dom_endo_get(struct arena *, int64_t, struct dom_endo *);

/* ---- reads ---- */
/* The associations an account holds endorsements of (at most max). */
int		 dom_held_assocs(struct arena *, int64_t account,
		    char **assocs, int max);
#define DOM_MAX_CYCLES	64
/* The cycles an account attested or renewed in an association. */
int		 dom_attested_cycles(int64_t account, const char *assoc,
		    int *out);
/* Why an entry cannot change (under audit, attested), or NULL. */
const char	*dom_entry_lock(const char *assoc, int64_t entry,
		    int32_t start, const int *cycles, int ncycles);
/* The cycle whose attestation relies on a membership [start, end] of
   the account in assoc (it covers a day of it), or 0. */
int		 dom_member_lock(int64_t account, const char *assoc,
		    const char *start, const char *end);
/* 0, or -1 and a 409 when an attestation relies on membership id. */
int		 dom_member_removable(int64_t account, int64_t id,
		    struct arena *, struct derr *);
/* In a transaction: the account's memberships in assoc removed but the
   locked ones, listed in *kept (the caller frees it); 0 or -1. */
int		 dom_member_clear(struct arena *, int64_t account,
		    const char *assoc, json_t **kept);
/* Whether a document's membership {start, end} is one of kept. */
int		 dom_member_kept(json_t *kept, json_t *m);
/* One log entry, when it is the account's (account 0: anyone's). */
struct dom_entry {
	int64_t			 id, account;
	char			*assoc;
	const struct kdef	*kd;
	json_t			*data;		/* the caller's to free */
	int32_t			 start;
};
int		 dom_entry_get(struct arena *, int64_t id, struct dom_entry *);
/* The uploaded evidence of an entry; -1 when there is none. */
int		 dom_evidence_get(struct arena *, int64_t entry,
		    const char **ctype, const void **content, size_t *len);
/* The entries of an audit, as the pages show them. */
json_t		*dom_audit_items(int64_t renewal);
/* An account's log in an association for its page; summaries[0..1] get
   the training and RSC summaries in the order the evaluation reads. */
json_t		*dom_log_entries(int64_t account, const char *assoc,
		    json_t *summaries[2]);
/* The latest reinstatement's status of an endorsement (or NONE). */
int		 dom_reinstate_last(int64_t endorsement);
/* The cycle an endorsement lapsed in; 0 when it lapsed otherwise. */
int		 dom_lapsed_cycle(int64_t endorsement);
/* A renewal with its endorsement and endorsee; -1 when there is none. */
int		 dom_renewal_get(struct arena *, int64_t,
		    struct row_renewal_get *);
/* The coordinator's renewals page: names by account, the draw (or NULL),
   the open reinstatement requests. */
json_t		*dom_endorsee_names(const char *assoc);
json_t		*dom_draw_view(const char *assoc, int cycle);
json_t		*dom_reinstate_requests(const char *assoc);

/* ---- writes ---- */
/* Store a log entry: a new one (id 0) or id's new text; *out its id.
   409 when the log is full; 400 with the entry's field when refused;
   503 busy, 500 not stored. */
int		 dom_log_store(const struct actor *, struct arena *,
		    const char *assoc, const struct kdef *, json_t *entry,
		    int64_t id, int64_t *out, struct derr *);
int		 dom_log_delete(const struct actor *, struct arena *,
		    int64_t entry, const char *assoc, struct derr *);
int		 dom_evidence_put(const struct actor *, struct arena *,
		    int64_t entry, const char *assoc, const char *filename,
		    const void *content, size_t len, struct derr *);
int		 dom_attest(const struct actor *, struct arena *,
		    const struct dom_endo *, int cycle, int32_t today,
		    struct derr *);
int		 dom_inactive(const struct actor *, struct arena *,
		    const struct dom_endo *, const char *today, struct derr *);
int		 dom_reinstate_request(const struct actor *, struct arena *,
		    const struct dom_endo *, int fee, struct derr *);
/* The coordinator's audit draw of percent of the cycle's attested
   renewals; a random seed unless have_seed. */
int		 dom_draw(const struct actor *, struct arena *, int cycle,
		    int percent, int have_seed, uint64_t seed, struct derr *);
/* A decision on an audit's entry; the renewal is judged (life_settle_as)
   in the same transaction. */
int		 dom_item_decide(const struct actor *, struct arena *,
		    int64_t renewal, int64_t entry, int accept,
		    const char *note, struct derr *);
/* The coordinator closes the cycle's window (life_close_as) in a
   transaction of its own: 0, or -1 with e (409 when closed already). */
int		 dom_window_close(const struct actor *, struct arena *,
		    int cycle, struct derr *);
/* A coordinator's decision ("approve", "refuse", as the form says it)
   on a reinstatement request of their association. */
int		 dom_reinstate_decide(const struct actor *, struct arena *,
		    int64_t id, const char *decision, const char *note,
		    const char *today, struct derr *);

#endif
