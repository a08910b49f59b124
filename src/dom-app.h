/*
 * Applications (dom-app.c): their status, submission and decision, the
 * entries of their portfolio, memberships and the waiver.  Every change
 * of an application's status passes through app_set_status or
 * app_decide, which ask app_machine (dom.c) first.
 */
#ifndef DOM_APP_H
#define DOM_APP_H

#include <stdint.h>

#include <jansson.h>

#include "domain.h"

struct app;
struct arena;

/* The SM_WHO_* bits of an actor, for sm_apply. */
unsigned	 actor_who(const struct actor *);

/* The same, the applicant's bit only for the application's owner: the
   machine's "applicant" is the person whose application it is. */
unsigned	 app_who(const struct actor *, const struct app *);

/* Application id into a (its text in the arena), whoever asks; 0, or -1
   when there is none. */
int		 app_read(struct arena *, int64_t id, struct app *);

/* Mail the applicant of a (queued in the caller's transaction); 0 or
   -1. */
int		 app_mail(struct arena *, const struct app *,
		    const char *subject, const char *body);

/*
 * Move application app from status from by event ev, in the caller's
 * transaction: app_machine gives the new status (or -1 with e: 409 not
 * from this status, 403 not by this actor); the row changes only while
 * it is still in from (else -1, 409 "the application changed meanwhile;
 * reload the page"); an audit row "status" holds detail (stolen; NULL
 * for none) with from and to added.  0, or -1 and e.
 */
int		 app_set_status(const struct actor *, struct arena *,
		    int64_t app, enum app_status from, enum app_event ev,
		    json_t *detail, struct derr *);

/*
 * A coordinator's decision on application app in status from: ev is
 * APPEV_ENDORSE, APPEV_EXAM, APPEV_DEFER or APPEV_DENY.  In the caller's
 * transaction: app_machine gives the new status; the status, the
 * decision (the event's recommendation) and note (NULL: "") are stored
 * while it is still in from (else -1, 409 "the application changed
 * meanwhile; reload the page"); an audit row "decision" holds detail
 * (stolen; NULL for none; e.g. {"number": ...}) with decision, from, to
 * and note added.  0, or -1 and e.
 */
int		 app_decide(const struct actor *, struct arena *,
		    int64_t app, enum app_status from, enum app_event ev,
		    const char *note, json_t *detail, struct derr *);

/* The recommendation a decision event stores (REC_NONE for an event that
   is not a decision). */
enum recommendation app_event_rec(enum app_event);

/*
 * The applicant submits application a (its checklist met, which the
 * caller checks): in its own transaction, the status by app_machine, the
 * fee the rule set asks, the open review cycle, unfinished reviews of an
 * earlier round dropped, the audit row and the mail.  0, or -1 and e.
 */
int		 app_submit(const struct actor *, struct arena *,
		    const struct app *, struct derr *);

/* The applicant waives (on) or keeps the right to read their completed
   ratings; refused (409) once a rater answered under a waiver. */
int		 app_set_waiver(const struct actor *, struct arena *,
		    const struct app *, int on, struct derr *);

#endif
