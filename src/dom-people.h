/*
 * An association's people and the memberships it verifies (issue 17):
 * dom-people.c gives an account a coordinator's or a reviewer's role in
 * an association (`endorse user add`, /coordinator/people) and takes it
 * away; dom-membership.c confirms or rejects a membership an applicant
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

/*
 * The roles, one way each: a coordinator is an account of role
 * coordinator with the association (account.role, account.association);
 * a reviewer a row of the reviewer table (an endorsee of the
 * association, as review_reviewer_add checks).
 */
enum people_role { PEOPLE_COORDINATOR, PEOPLE_REVIEWER, PEOPLE__N };
extern const char *const people_role_names[PEOPLE__N];
/* "coordinator" or "reviewer" as its role; -1 for anything else. */
int		 people_role_parse(const char *);

/*
 * Give the account of email the role in assoc (its name assoc_name, for
 * the mail).  A coordinator's account is made when there is none (name,
 * else the address before '@'; no password); a reviewer must already
 * hold an active endorsement of the association.  The person is mailed:
 * a link to choose a password when the account has none, else a note
 * to log in.  who: the command line, or a coordinator of assoc.  0 and
 * *created (1: a new account), or -1 and e (400 "email"; 403; 409 the
 * role is held already, or the account is another association's
 * coordinator or an applicant's; 503; 500).
 */
int		 people_add(const struct actor *, struct arena *,
		    enum people_role, const char *assoc, const char *assoc_name,
		    const char *email, const char *name, int *created,
		    struct derr *);
/*
 * Take the role in the coordinator's association away from account:
 * the removed keep nothing (a coordinator's role and association, the
 * association's reviewer row, open assignments released for another
 * reviewer, every session, API token and unused reset link).  The last
 * coordinator cannot be removed.  0, or -1 and e (403; 404 no such
 * person in the association; 409 the last coordinator; 503; 500).
 */
int		 people_remove(const struct actor *, struct arena *,
		    int64_t account, enum people_role, struct derr *);
/* The association's coordinators; the count, or -1. */
int		 people_coordinators(struct arena *, const char *assoc,
		    struct row_people_coord **);

#endif
