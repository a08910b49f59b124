/*
 * An association's people and the memberships it verifies (issue 17):
 * dom-membership.c confirms or rejects a membership an applicant
 * recorded, by hand or from the association's member roster (CSV).
 *
 * No struct req here: the pages and the CLI call these with an actor,
 * an arena and plain values, and map the struct derr they get back.
 */
#ifndef DOM_PEOPLE_H
#define DOM_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain.h"

struct arena;

/*
 * A membership's machine: the association confirms or rejects what an
 * applicant recorded, and may change its mind (a rejection needs a
 * reason).  Only a coordinator of the membership's association moves it.
 */
enum mship_event { MSEV_CONFIRM, MSEV_REJECT, MSEV__N };
extern const struct sm mship_machine;

/* The association's memberships, those waiting first (id 0: all, else
   that one).  The count, or -1. */
int		 mship_list(const struct actor *, struct arena *, int64_t id,
		    struct row_mship_assoc **);
/* Confirm (ev MSEV_CONFIRM) or reject (MSEV_REJECT, with a reason) the
   membership id of the coordinator's association.  0, or -1 and e (400
   field "reason": none given; 403 not a coordinator; 404 not the
   association's; 409 already so; 503; 500). */
int		 mship_decide(const struct actor *, struct arena *, int64_t id,
		    enum mship_event, const char *reason, struct derr *);

/*
 * The association's member roster, a CSV file with the header
 * "email,name,member_id,term_start,term_end" (docs/operations.md):
 * every recorded membership whose holder is on it (by e-mail, else by
 * name) with a term that overlaps the membership's period is confirmed,
 * with the member id, in one transaction.  *out gets {"rows": N,
 * "confirmed": [{name, email, member_id}], "unmatched_rows": [{line,
 * name, email}], "unmatched": [{name, email, start}]}.  0, or -1 and e
 * (400 the file, naming the line; 403; 503; 500).
 */
#define ROSTER_MAX_ROWS	50000
int		 mship_roster(const struct actor *, struct arena *,
		    const char *csv, size_t len, json_t **out, struct derr *);

#endif
