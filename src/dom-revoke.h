/*
 * Revoking, suspending and lifting a suspension (dom-revoke.c): a
 * coordinator's actions on an endorsement of their association, each
 * with its reason recorded, the holder mailed, in one transaction.
 */
#ifndef DOM_REVOKE_H
#define DOM_REVOKE_H

#include <stdint.h>

#include <jansson.h>

#include "dom-life.h"

struct arena;
struct actor;
struct derr;

/*
 * Event ev (LIFEEV_REVOKE, LIFEEV_SUSPEND, LIFEEV_LIFT) on endorsement id
 * by a coordinator of its association, with reason (required to revoke
 * or suspend, at most FIELD_TEXT_MAX bytes; optional to lift).  The
 * status, the date and reason, the audit row and the holder's notice are
 * written together.  0, or -1 and e: 400 on "reason", 404 not an
 * endorsement of the coordinator's association, 403 their own, 409 not
 * from its state, 503.  dry: check all that and write nothing (the
 * confirmation page is asked only for a move that can be made).
 */
int		 revoke_apply(const struct actor *, struct arena *, int64_t id,
		    enum life_event ev, const char *reason, int dry,
		    struct derr *);
/* The reason's problem in words, or NULL when it will do. */
const char	*revoke_reason_problem(enum life_event, const char *reason);
/*
 * The coordinator's view of endorsement id: number, name, email,
 * category, association, since (US), status, status_word, withdrawn (US),
 * reason, history [{at, actor, action, reason}], and which actions its
 * state allows (can_revoke, can_suspend, can_lift).  NULL and e (404
 * not theirs, 503).  In the caller's transaction, if any (a GET's).
 */
json_t		*revoke_view(const struct actor *, struct arena *, int64_t id,
		    struct derr *);
/* The endorsement's id of number in the coordinator's association, or
   0 when none. */
int64_t		 revoke_id_of(const struct actor *, const char *number);

#endif
