/*
 * Review's domain: the assignments and their recommendations, and the
 * coordinator's unlock and decision (dom-review.c); the review cycles,
 * the association's reviewers and the pages' lists (dom-cycle.c).  Every
 * function takes an actor, an arena and plain values, opens and commits
 * its own transaction and answers 0, or -1 with a struct derr; the field
 * of a derr is the form field of the page the problem is shown beside.
 */
#ifndef DOM_REVIEW_H
#define DOM_REVIEW_H

#include <stdint.h>

#include "domain.h"

struct app;

#define REVIEW_MAX_ASSIGN	16	/* assignments of one application */
#define REVIEW_MAX_TEXT		10000	/* bytes of one comment or note */

/* One reviewer on one application. */
struct asg {
	int64_t			 id;
	int64_t			 app;
	int64_t			 reviewer;
	char			*name;
	char			*email;
	enum recommendation	 rec;		/* REC_NONE: none yet */
	char			*missing;
	char			*comments;	/* {"tab": "text"} */
	char			*to_applicant;
	char			*competencies;	/* [index, ...] */
	int64_t			 done;		/* time, 0: a draft */
};

/*
 * A review cycle's machine: an open cycle takes the submitted
 * applications of its association until a coordinator closes it.
 */
enum cycle_event { CYCLEV_CLOSE, CYCLEV__N };
extern const struct sm cycle_machine;

/*
 * An assignment's machine: the reviewer saves a draft as often as they
 * like, and submits it once; a submitted review is not changed.
 */
enum asg_state { ASG_DRAFT, ASG_DONE, ASG__N };
enum asg_event { ASGEV_SAVE, ASGEV_SUBMIT, ASGEV_REOPEN, ASGEV__N };
extern const struct sm asg_machine;

/* The SM_WHO_* bits of an actor (whether an account reviews is a row,
   an assignment, the caller's to check). */
unsigned		 review_who(const struct actor *);
/* Open a write transaction; -1 with e (503) when the store is busy. */
int			 review_begin(struct arena *, struct derr *);
/* A recommendation's word as its enum: REC_NONE for NULL or "",
   recommendation__N for a word that is none. */
enum recommendation	 rec_parse(const char *);
/* The label of a recommendation ("" for none). */
const char		*rec_label(enum recommendation);
/* Whether a text is empty once blanks are left out. */
int			 review_blank(const char *);
/* The reviewers an application of the association needs (at least 1),
   and whether they must agree. */
int			 review_needed(const char *assoc);
int			 review_agree(const char *assoc);

/* The assignments of this submission of an application, oldest first;
   the count. */
int		 review_asg_list(struct arena *, int64_t app, struct asg *,
		    int max);
/* Assignment id when it is reviewer's; 0, or -1. */
int		 review_asg_get(struct arena *, int64_t id, int64_t reviewer,
		    struct asg *);
/* How many of n are done; whether the done ones differ. */
int		 review_asg_done(const struct asg *, int n);
int		 review_asg_differ(const struct asg *, int n);

/*
 * The pages' reads, each a whole list of typed rows in the arena: the
 * count (the rows in *out).  An association's applications (with their
 * cycle and review counts), cycles, one cycle (0, or -1 when it is not
 * the association's) and its applications, reviewers, an application's
 * history, a reviewer's assignments, the association's outgoing mail.
 */
int		 review_apps(struct arena *, const char *assoc,
		    struct row_app_list_assoc **out);
int		 review_cycles(struct arena *, const char *assoc,
		    struct row_cycle_list **out);
int		 review_cycle_get(struct arena *, const char *assoc,
		    int64_t id, struct row_cycle_get *);
int		 review_cycle_apps(struct arena *, const char *assoc,
		    int64_t id, struct row_cycle_apps **out);
int		 review_reviewers(struct arena *, const char *assoc,
		    struct row_reviewer_list **out);
int		 review_history(struct arena *, int64_t app,
		    struct row_audit_list **out);
int		 review_todo(struct arena *, int64_t reviewer,
		    struct row_assign_list_reviewer **out);
int		 review_outbox(struct arena *, const char *assoc,
		    struct row_outbox_list **out);

/*
 * Conflicts of interest and who reviews what now (workflow.c).  Why
 * account may not review, score or decide application a (the applicant,
 * a rater or reference, the applicant's RSC provider), as a noun phrase,
 * or NULL.
 */
const char	*app_conflict(struct arena *, int64_t account,
		    const struct app *);
/* Why account may not read a's review material or review it now (not a
   current reviewer of its association, no assignment in its current
   round, a conflict), or NULL when they may. */
const char	*review_refusal(struct arena *, int64_t account,
		    const struct app *);
/* How many coordinators assoc has besides account. */
int		 review_other_coordinators(const char *assoc,
		    int64_t account);
/* Why the actor, a coordinator, may not decide on or assign reviewers to
   a (a conflict: another coordinator of the association does), or NULL. */
const char	*review_coord_conflict(const struct actor *, struct arena *,
		    const struct app *);

/* dom-return.c: the entries of an application as kept at a return, and
   the resubmission after it: the round's reviews open again (comments
   kept), the coordinators and reviewers told what changed.  In the
   caller's transaction; 0 or -1. */
char		*review_entries_snapshot(struct arena *, int64_t app);
const char	*review_entries_changed(struct arena *, const char *before,
		    int64_t app);
int		 review_resubmitted(struct arena *, const struct app *);
/* Unlock a submitted application of the coordinator's association with
   a note mailed to the applicant. */
int		 review_unlock(const struct actor *, struct arena *,
		    int64_t app, const char *note, struct derr *);
/*
 * Decide on an application through the application's machine, with the
 * note; the applicant is mailed.  To endorse, the checklist must be met
 * (and the exam passed where there is one); the endorsement is issued in
 * the decision's transaction.  A decision against unanimous reviewers
 * (all deny and it endorses or approves for the exam, all endorse or
 * approve and it denies) needs reason, which the history keeps.
 */
int		 review_decide(const struct actor *, struct arena *,
		    int64_t app, enum recommendation, const char *note,
		    const char *reason, struct derr *);
/* Assign a reviewer to an application, or remove an open assignment. */
int		 review_assign(const struct actor *, struct arena *,
		    int64_t app, int64_t reviewer, struct derr *);
int		 review_unassign(const struct actor *, struct arena *,
		    int64_t app, int64_t asg, struct derr *);
/* Store the reviewer's review of assignment id: a draft, or the final
   recommendation (final); comments and marks are JSON texts. */
struct review_form {
	enum recommendation	 rec;
	const char		*missing;
	const char		*to_applicant;
	const char		*comments;
	const char		*marks;
	int			 final;
};
int		 review_save(const struct actor *, struct arena *, int64_t id,
		    const struct review_form *, struct derr *);

/* A new cycle of the actor's association (closes: its last day), which
   adopts the submitted applications waiting; *id. */
int		 review_cycle_new(const struct actor *, struct arena *,
		    const char *name, const char *opens, const char *closes,
		    int32_t closes_day, int64_t *id, struct derr *);
/* The same, adopting only ids[n], each of the actor's association,
   submitted and in no open cycle: why[i] NULL when it joined, else why
   not; when none may, 409 and no cycle. */
int		 review_cycle_new_for(const struct actor *, struct arena *,
		    const char *name, const char *opens, const char *closes,
		    int32_t closes_day, const int64_t *ids, int n,
		    const char **why, int64_t *id, struct derr *);
int		 review_cycle_close(const struct actor *, struct arena *,
		    int64_t id, struct derr *);
/* Add a reviewer to the actor's association by e-mail (removal is
   people_remove, dom-people.h). */
int		 review_reviewer_add(const struct actor *, struct arena *,
		    const char *email, struct derr *);

#endif
