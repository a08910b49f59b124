/*
 * The endorsement's lifecycle as a domain (life-read.c, life-move.c,
 * life-tick.c): its state machine, and the changes of state in the name
 * of an actor rather than of a request.  The read model's older entry
 * points (life_scan, life_cycle, ...) stay declared in web.h.
 */
#ifndef DOM_LIFE_H
#define DOM_LIFE_H

#include <stdint.h>

#include "domain.h"

struct arena;
struct ruleset;

/*
 * The endorsement's machine.  Its states are enum endorsement_status
 * (store-enum.def) and LIFE_EMERGING: an active endorsement with an
 * Emerging deadline (emerging_until), which lapses like an active one
 * when the deadline passes.  Revoked is final: no line leaves it.
 * Suspended is withdrawn by the association until lifted: the renewal
 * clock stands still (no reminder, no lapse) and lifting returns it to
 * active (Emerging again when it has a deadline).
 */
#define LIFE_EMERGING	endorsement_status__N
enum life_event {
	LIFEEV_LAPSE,		/* not renewed, audit not cured, deadline */
	LIFEEV_INACTIVE,	/* the endorsee asks for inactive status */
	LIFEEV_REINSTATE,	/* a reinstatement approved */
	LIFEEV_FULL,		/* Emerging: the full requirements met */
	LIFEEV_REVOKE,		/* a coordinator revokes, for good */
	LIFEEV_SUSPEND,		/* a coordinator suspends, for a while */
	LIFEEV_LIFT,		/* a coordinator lifts the suspension */
	LIFEEV__N
};
extern const struct sm endorsement_machine;
/* The machine's state of an endorsement. */
int		 life_state(enum endorsement_status,
		    const char *emerging_until);

/* The scan's own reasons for not judging an endorsement (its cause is
   then this very string, to compare by address): no such category; an
   add-on, which renews with the endorsement it is added to. */
extern const char life_no_category[];
extern const char life_addon[];

/* Whether a cycle's window is closed: 1, 0, or -1 (a read failed). */
int		 life_window_state(const char *assoc, int cycle, int *lapsed);

/*
 * One event of the machine on an endorsement, the status written (the
 * caller audits and mails): the new state, or -1 with e.  In the
 * caller's transaction.  For the pages that change a status (inactive,
 * reinstated: page-renew.c).
 */
int		 life_move(const struct actor *, int64_t endorsement,
		    enum life_event, struct derr *, struct arena *);
/*
 * An endorsement lapses (and the add-ons that renew with it): the
 * registry and verification say so, the endorsee is mailed.  In the
 * caller's transaction; 0, or -1 with e.  Already lapsed: nothing to do.
 */
int		 life_lapse(const struct actor *, int64_t endorsement,
		    const char *why, struct derr *, struct arena *);
/*
 * Close a cycle's window by the association's rule set: every active
 * endorsement the cycle required that has no renewal lapses.  In the
 * caller's transaction: 0; 1 when it was closed already; -1 with e when a
 * read or a write failed (the window then is not marked closed).
 */
int		 life_close_rules(const struct actor *, const struct ruleset *,
		    int cycle, int *lapsed, struct derr *, struct arena *);
int		 life_close_as(const struct actor *, const char *assoc,
		    int cycle, int *lapsed, struct derr *, struct arena *);
/* The same in a transaction of its own: 0, or -1 with e (409 when it
   was closed already). */
int		 life_window_close(const struct actor *, const char *assoc,
		    int cycle, int *lapsed, struct derr *, struct arena *);
/* Judge a renewal under audit once no entry is pending (life-move.c).
   In the caller's transaction; 0, or -1 with e. */
int		 life_settle_as(const struct actor *, int64_t renewal,
		    struct derr *, struct arena *);

#endif
