/*
 * Mail to the coordinators and internal notes (dom-notify.c).
 */
#ifndef DOM_NOTIFY_H
#define DOM_NOTIFY_H

#include <stdint.h>

#include "domain.h"

struct app;
struct arena;

/*
 * Tell the coordinators of the application's association that something
 * arrived (a submission, a resubmission, a declined or void rating, a
 * finished review round), in the caller's transaction: a mail now to
 * each who chose "as it happens", a notice held for the daily digest of
 * each who chose the digest.  A coordinator who is the applicant is not
 * told of their own application.  0, or -1 (the caller rolls back).
 */
int		 notify_coordinators(struct arena *, const struct app *,
		    const char *subject, const char *body);

/* A coordinator's choice: 1 for one daily digest, 0 for each mail as it
   happens (the default). */
int		 notify_digest_get(int64_t account);
/* Store the choice of a coordinator (403 for anyone else). */
int		 notify_digest_set(const struct actor *, struct arena *,
		    int digest, struct derr *);
/*
 * The scheduler's part (life-tick.c): every notice held before the day
 * today goes out, one digest per coordinator and association, each in
 * its own transaction with the deletion of what it carries.  The number
 * of digests mailed in *sent; 0, or -1 (a database failure: what was not
 * mailed stays held for the next tick).  Notices held for someone who is
 * no longer a coordinator of the association are dropped unread.
 */
int		 notify_digest_tick(int32_t today, int *sent);

/* What a note is on. */
#define NOTE_APPLICATION	"application"
#define NOTE_ENDORSEMENT	"endorsement"

/*
 * An internal note by a coordinator on row (of kind what) whose person
 * is account about (the applicant, the endorsee), for the association's
 * coordinators only: text required, at most FIELD_TEXT_MAX bytes (400,
 * field "internal").  The caller has checked that the row is of the
 * coordinator's association; a coordinator who is the person it is about
 * neither writes nor reads its notes (403; none listed).  Notes are
 * never edited: a correction is a new note.
 */
int		 note_add(const struct actor *, struct arena *, const char *what,
		    int64_t row, int64_t about, const char *text, struct derr *);
/* The notes on a row for who, oldest first, in *out (in the arena);
   their number, or -1. */
int		 note_list(const struct actor *, struct arena *, const char *what,
		    int64_t row, int64_t about, struct row_note_list **out);

/* page-notify.c and page-audit.c: the internal notes on a renewal's
   endorsement and their form, into the renewal page's view (why: the
   refusal of the note typed, or NULL); the page again with a refusal. */
struct req;
void		 notes_renewal_view(struct req *, json_t *, const char *why);
void		 page_coord_renewal_refused(struct req *, int status,
		    const char *why);

#endif
