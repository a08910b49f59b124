/*
 * Applications (dom-app.c, dom-entry.c): their status, submission and
 * decision, the endorsement a decision issues, the entries of their
 * portfolio and its import, memberships, the ethics signature and the
 * waiver.  Every change of an application's status passes through
 * app_set_status, app_decide or app_submit, which ask app_machine
 * (dom.c) first.
 */
#ifndef DOM_APP_H
#define DOM_APP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain.h"

struct app;
struct arena;


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

/* The applicant's own changes need the owner and an application open to
   changes (draft, deferred); 0, or -1 and e (404, 409). */
int		 app_writable(const struct actor *, struct arena *,
		    const struct app *, struct derr *);

/* ---- the application's status (dom-app.c) ---- */

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
/* The review cycle open today for an association, 0 for none. */
int64_t		 app_current_cycle(const char *assoc);
int		 app_submit(const struct actor *, struct arena *,
		    const struct app *, int declared, struct derr *);

/* The applicant waives (on) or keeps the right to read their completed
   ratings; refused (409) once a rater answered under a waiver. */
int		 app_set_waiver(const struct actor *, struct arena *,
		    const struct app *, int on, struct derr *);

/* ---- the applicant's own changes (dom-app.c, dom-entry.c) ----
   Each checks that the actor owns the application and that it is open
   to changes (app_writable: 404, 409), then stores. */

/* Open an application of a category of association assoc; 0 and *id, or
   -1 and e (400 with field "association" or "category"; 503). */
int		 app_open(const struct actor *, struct arena *,
		    const char *assoc, const char *category, int64_t *id,
		    struct derr *);
/* Withdraw (delete) an application. */
int		 app_withdraw(const struct actor *, struct arena *,
		    const struct app *, struct derr *);
/* Sign the Code of Ethics today (on), or withdraw the signature. */
int		 app_sign_ethics(const struct actor *, struct arena *,
		    const struct app *, int on, struct derr *);

/* The most entries of one kind an application holds. */
#define MAX_TAB_ENTRIES	1000
/* Add an entry of kind (its tab's title for the message) with data;
   409 past MAX_TAB_ENTRIES. */
int		 entry_add(const struct actor *, struct arena *,
		    const struct app *, const char *kind, const char *title,
		    json_t *data, struct derr *);
/* Add the entries of list (each an object) of kind in one transaction,
   all or none; 409 past MAX_TAB_ENTRIES. */
int		 entries_add(const struct actor *, struct arena *,
		    const struct app *, const char *kind, const char *title,
		    json_t *list, struct derr *);
/* Entry id of the application: its data (the caller's) and *kind (in
   the arena); NULL when there is none. */
json_t		*entry_read(struct arena *, const struct app *, int64_t id,
		    const char **kind);
/* The entries of a kind: [{id, data, file}], file the transcript's. */
json_t		*entry_list(const struct app *, const char *kind);
int		 entry_save(const struct actor *, struct arena *,
		    const struct app *, int64_t id, json_t *data,
		    struct derr *);
int		 entry_delete(const struct actor *, struct arena *,
		    const struct app *, int64_t id, struct derr *);
/* How long a deleted entry may be restored (a product choice, not an
   association's rule): long enough to notice a wrong click. */
#define ENTRY_UNDO_SECONDS	(60 * 60)
/* The last deleted entry while it may be restored (its data, *kind and
   former *entry), and its restoring as a new entry. */
json_t		*entry_deleted(struct arena *, const struct app *,
		    const char **kind, int64_t *entry);
int		 entry_undo(const struct actor *, struct arena *,
		    const struct app *, const char *title, const char **kind,
		    struct derr *);
/* A degree's transcript stored or removed with its entry's flag (data,
   the entry as read, gets "transcript"). */
int		 transcript_put(const struct actor *, struct arena *,
		    const struct app *, int64_t entry, json_t *data,
		    const char *filename, const void *pdf, size_t len,
		    struct derr *);
int		 transcript_delete(const struct actor *, struct arena *,
		    const struct app *, int64_t entry, json_t *data,
		    struct derr *);
/* The transcript of an entry, a copy the caller frees; NULL for none. */
void		*transcript_read(int64_t entry, size_t *len);

/* Replace the whole portfolio of the application by document doc (the
   caller has checked it: portfolio_from_json, its association and
   category); nothing is stored on failure. */
int		 app_replace(const struct actor *, struct arena *,
		    const struct app *, json_t *doc, struct derr *);

/* ---- endorsements (dom-app.c) ---- */

/*
 * Issue the endorsement of application a (decided endorse), in the
 * caller's write transaction: the next number of the association that
 * year, or the one held already (an Emerging ERS meeting its full
 * requirements), the audit row.  0 and *number in the arena; -1 and e:
 * 409 when it waits for the application decided together with it
 * (nothing stored), 500 when it could not be stored.
 */
int		 endorsement_grant(const struct actor *, struct arena *,
		    const struct app *, char **number, struct derr *);
/* Why an application waits for the open one decided together with it
   (the check's "decided_with"), or NULL. */
const char	*app_waits_for(struct arena *, const struct app *,
		    json_t *check);

/*
 * Issue the endorsement of application a (decided endorse), in the
 * caller's write transaction: the next number of the association that
 * year, or the one held already (an Emerging ERS meeting its full
 * requirements), the audit row.  0 and *number in the arena; -1 and e:
 * 409 when it waits for the application decided together with it
 * (nothing stored), 500 when it could not be stored.
 */
int		 endorsement_grant(const struct actor *, struct arena *,
		    const struct app *, char **number, struct derr *);
/* Why an application waits for the open one decided together with it
   (the check's "decided_with"), or NULL. */
const char	*app_waits_for(struct arena *, const struct app *,
		    json_t *check);

/* The holder (the actor) hides endorsement id from the registry's
   search, or shows it; 404 when it is not theirs. */
int		 endorsement_hide(const struct actor *, struct arena *,
		    int64_t id, int hidden, struct derr *);

/* ---- reads for the pages (dom-app.c) ---- */

/* What the reviewers wrote for the applicant: [{text}]. */
json_t		*app_reviewer_notes(const struct app *);
/* The number of the endorsement issued on the application, or NULL. */
const char	*app_endorsement_number(struct arena *, const struct app *);
/* The endorsement of a number into row (text in the arena); 0, or -1. */
int		 endorsement_read(struct arena *, const char *number,
		    struct row_endorsement_by_number *);

/* For the dashboard: the account's current memberships [{association,
   end}], its endorsements [{id, number, association, category, since,
   status, hidden, active}], its applications' ids (at most max), and
   whether it reviews anything. */
json_t		*member_current(int64_t account);
json_t		*endorsement_list(int64_t account);
int		 app_ids_of(int64_t account, int64_t *ids, int max);
json_t		*app_list_json(int64_t account);
int		 reviewer_has_any(int64_t account);

#endif
