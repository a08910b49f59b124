/*
 * The coordinator's work queue and reminders (dom-queue.c): every open
 * application of an association with the dates, the days in its current
 * state, whom it waits on and its next deadline; filtered, searched,
 * sorted and paged.  Whom an application waits on is one rule, app_wait,
 * that the applicant's status line (app_waiting_on, workflow.c) and the
 * queue both ask.  Reminders to a rater who has not answered and a
 * reviewer who has not reviewed go out at the rule set's offsets
 * ('remind rater|reviewer DAYS...'), each once (the reminder table), in
 * the application's history (the audit table); the coordinator's manual
 * reminder is the same function.
 */
#ifndef DOM_QUEUE_H
#define DOM_QUEUE_H

#include <stdint.h>

#include "domain.h"
#include "store.h"

struct app;
struct arena;
struct ruleset;

/* Whom an application waits on; wait_names[] are the words of the
   queue's filter ("rater"), wait_titles[] those people read. */
enum wait {
	WAIT_NOBODY, WAIT_APPLICANT, WAIT_RATER, WAIT_REVIEWER, WAIT_EXAM,
	WAIT_COORDINATOR, WAIT_PAYMENT, WAIT__N
};
extern const char *const wait_names[WAIT__N];
extern const char *const wait_titles[WAIT__N];

/* Why, finer: each reason belongs to one enum wait (wait_of). */
enum wait_why {
	WHY_NONE,		/* decided: nobody */
	WHY_RETURNED,		/* returned for changes: the applicant */
	WHY_READY,		/* checklist met, not submitted: applicant */
	WHY_RATINGS,		/* rating requests not answered: a rater */
	WHY_CHECKLIST,		/* requirements unmet: the applicant */
	WHY_CYCLE,		/* submitted outside a cycle: coordinator */
	WHY_ASSIGN,		/* in a cycle, no reviewer: coordinator */
	WHY_REVIEWS,		/* reviews not all in: the reviewers */
	WHY_PAYMENT,		/* reviews in, the fee unpaid: payment */
	WHY_DECIDE,		/* reviews in: the coordinator decides */
	WHY_EXAM,		/* approved for the exam: the exam */
	WHY__N
};

/* What the rule reads of one application. */
struct wait_facts {
	enum app_status	 status;
	int		 returned;	/* back with its applicant */
	int		 ready;		/* every requirement but the exam met
					   (the queue does not evaluate the
					   checklist: 0 there) */
	int		 pending;	/* rating requests open, not expired */
	int		 assigned;	/* reviewers of the current round */
	int		 done;		/* of them, reviews submitted */
	int		 in_cycle;	/* in a review cycle */
	int		 unpaid;	/* see queue_unpaid */
};
enum wait_why	 app_wait(const struct wait_facts *);
/* The facts of application a from the store, ready given (the caller's
   checklist); -1 when the store fails. */
int		 queue_facts(const struct app *a, int ready,
		    struct wait_facts *);
enum wait	 wait_of(enum wait_why);

/*
 * Whether a fee is unpaid: with ledger rows (db/013), when payments and
 * waivers less refunds are below the charges; without, when a fee was
 * owed at submission (application.fee_owed > 0).
 */
int		 queue_unpaid(int submitted, int fee_owed, int ledger_rows,
		    int64_t charges, int64_t credits);

/* The columns the queue sorts by; QS_DAYS is days in the state. */
enum queue_sort {
	QS_NAME, QS_CATEGORY, QS_STATUS, QS_STARTED, QS_SUBMITTED, QS_DAYS,
	QS_WAITING, QS_DEADLINE, QS__N
};
extern const char *const queue_sort_names[QS__N];

#define QUEUE_WORDS	4	/* search words that count; more are ignored */

struct queue_filter {
	int		 status;	/* enum app_status, -1: every open one */
	const char	*category;	/* NULL: every category */
	int		 wait;		/* enum wait, -1: any */
	int		 older;		/* days in the state at least; 0: any */
	const char	*search;	/* words, each in the name, the e-mail
					   or an endorsement number; NULL */
	enum queue_sort	 sort;
	int		 desc;
	int		 offset;	/* rows skipped */
	int		 limit;		/* rows at most; 0: every one */
};

/* One row of the queue.  Times are seconds; 0: none. */
struct queue_row {
	int64_t		 id;
	int64_t		 account;
	char		*name;
	char		*email;
	char		*number;	/* endorsements held here, or NULL */
	char		*category;
	enum app_status	 status;
	int64_t		 started;
	int64_t		 submitted;
	int64_t		 since;		/* in its current state since */
	int		 days;		/* days since then */
	enum wait	 wait;
	enum wait_why	 why;
	char		*rater;		/* WAIT_RATER: who (the oldest) */
	int		 assigned;	/* reviewers of the current round */
	int		 done;		/* of them, reviews submitted */
	int64_t		 deadline;	/* a rater's link expiry, an exam */
	int64_t		 owed_cents;	/* charges (or fee_owed) */
	int64_t		 paid_cents;	/* payments + waivers - refunds */
	int		 unpaid;
};

/*
 * The open applications (draft, submitted, exam, deferred) of association
 * assoc that filter f lets through (NULL: every one, by days in state,
 * longest first), sorted and paged: *out (in the arena) and their count,
 * at most f->limit (ask one more to learn whether a next page exists);
 * -1 when the store fails.  The applications CSV reads it with NULL.
 */
int		 queue_apps(struct arena *, const char *assoc,
		    const struct queue_filter *f, struct queue_row **out);

/*
 * Remind whoever application id (of who's association) waits on: its
 * raters who have not answered (each gets a fresh link: only the hash of
 * the old one is kept), or its reviewers who have not reviewed.  0 with
 * *sent the number of messages; -1 with e (404: not the association's;
 * 409: it waits on nobody a reminder reaches; 429: mail limit).
 */
int		 queue_remind(const struct actor *who, struct arena *,
		    int64_t id, int *sent, struct derr *e);

/* The scheduler's reminders of one association at today (days since
   1970), each offset once: the number sent in *sent; -1 on a failure. */
int		 queue_tick(const struct ruleset *, int32_t today, int *sent);

#endif
