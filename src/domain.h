/*
 * The domain layer's common ground: who acts, what went wrong, and the
 * state machines.
 *
 * A domain function (dom-*.c) takes an actor, an arena and plain values,
 * never a struct req; it opens and commits its own transaction, and
 * answers 0, or -1 with a struct derr saying what went wrong as data.
 * Pages, the API and the CLI call the same functions and map the derr to
 * their own answer (view_derr, api_derr, exit 2 for the CLI); nobody
 * parses a message to find a status or a field.
 */
#ifndef DOMAIN_H
#define DOMAIN_H

#include <stdint.h>

#include <jansson.h>

#include "store.h"

struct arena;

/* In whose name something is done. */
enum actor_kind {
	ACTOR_NOBODY,		/* not logged in */
	ACTOR_APPLICANT,	/* an account of role applicant */
	ACTOR_COORDINATOR,	/* an association's coordinator */
	ACTOR_SYSTEM,		/* the scheduler, the command line */
};
struct actor {
	enum actor_kind	 kind;
	int64_t		 id;		/* account; 0 for nobody and system */
	const char	*association;	/* a coordinator's */
	const char	*name;
	const char	*email;
	const char	*by;		/* who, for the audit log when id is 0
					   ("the command line", "scheduler") */
};
/* The scheduler's and the command line's actors. */
extern const struct actor actor_system;
extern const struct actor actor_cli;

/*
 * What went wrong: an HTTP status (400 a value refused, 403, 404, 409 a
 * state that does not allow it, 503 the database busy, 500 a fault), the
 * form field it is about (NULL: the whole request) and a sentence for
 * the person.  The message lives in the arena given to the function.
 */
struct derr {
	int		 status;
	const char	*field;
	const char	*message;
};
/* Fill e (when not NULL) and return -1. */
int		 derr_set(struct derr *, struct arena *, int status,
		    const char *field, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/* A store failure as a derr: 503 when the database was busy (try
   again), 409 on a constraint, 500 otherwise; what names the work. */
int		 derr_store(struct derr *, struct arena *, const char *what);

/*
 * A state machine is a table of (from, event, to, who may); sm_apply
 * finds the line for (from, event) and checks the actor's role.  The
 * states and events are each machine's enums; who is a set of
 * SM_WHO_* bits.
 */
#define SM_WHO_APPLICANT	0x01
#define SM_WHO_COORDINATOR	0x02
#define SM_WHO_REVIEWER		0x04
#define SM_WHO_RATER		0x08
#define SM_WHO_SYSTEM		0x10
#define SM_WHO_ANY		0xff
struct sm_line {
	int		 from;
	int		 event;
	int		 to;
	unsigned	 who;
};
struct sm {
	const char		*name;		/* "application" */
	const struct sm_line	*lines;
	int			 nlines;
	const char *const	*states;	/* words, for messages */
	const char *const	*events;
};
/* The SM_WHO_* bit of an actor's kind (0 for nobody). */
unsigned	 actor_who(const struct actor *);
/* The state after event from state from by who (SM_WHO_* bits of the
   actor in this case); -1 with e filled (409: not from this state; 403:
   not by this actor) otherwise. */
int		 sm_apply(const struct sm *, int from, int event, unsigned who,
		    struct derr *, struct arena *);

/*
 * The application's machine (dom.c).  A withdrawn draft is deleted, not
 * a state.  The applicant submits a draft or a deferred application; a
 * coordinator unlocks a submitted one (back to draft) or decides.  The
 * exam is the one way from submitted to endorsed that passes through
 * "exam"; a decision from exam cannot be the exam again.
 */
enum app_event {
	APPEV_SUBMIT, APPEV_UNLOCK, APPEV_ENDORSE, APPEV_EXAM, APPEV_DEFER,
	APPEV_DENY, APPEV__N
};
extern const struct sm app_machine;

/*
 * Limits on what one account stores (dom-quota.c).  Every stored string
 * (a form's field, an API or import document's value or member name) is
 * at most FIELD_TEXT_MAX bytes: dom_text_check says which is longer, 400.
 * dom_quota_check, in the caller's write transaction, says whether the
 * account may store add_entries more entries, add_uploads more files and
 * add_bytes more bytes (application skip left out: an import replaces
 * it) under cfg.quota_*: 413 naming the limit, or 503 when the store
 * could not count.
 */
#define FIELD_TEXT_MAX	300
int		 dom_text_check(json_t *, struct arena *, struct derr *);
int		 dom_quota_check(int64_t account, int64_t skip, long add_entries,
		    long add_uploads, long add_bytes, struct arena *,
		    struct derr *);

/* One row of the audit log, in the caller's transaction: what (table),
   row, action, detail (stolen; NULL for none).  0, or -1. */
int		 audit_write(const struct actor *, const char *what,
		    int64_t row, const char *action, json_t *detail);

#endif
