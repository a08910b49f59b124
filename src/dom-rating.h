/*
 * References (dom-rating.c): the rating request's lifecycle as one state
 * machine, and the writes that move it.  A request is sent; the rater
 * opens it, then completes it, declines it or leaves a void form (too
 * many "not enough information" answers); the applicant revokes an open
 * one (or a newer request to the same rater replaces it, or a completed
 * rating, only when the applicant confirmed they discard it) or renews its
 * link, which mails it again.  The link reaches only the rater: where
 * mail fails, the coordinator re-sends it to a corrected address or hands
 * it over, and the request records the channel of its live link.  The
 * applicant's waiver shown on the form binds the rating.
 */
#ifndef DOM_RATING_H
#define DOM_RATING_H

#include <stdint.h>

#include "domain.h"

struct app;
struct arena;

enum rating_event {
	RATEV_OPEN, RATEV_COMPLETE, RATEV_DECLINE, RATEV_VOID, RATEV_REVOKE,
	RATEV_RELINK, RATEV_REDIRECT, RATEV_HAND, RATEV_REPLACE, RATEV_REMIND,
	RATEV__N
};
extern const struct sm rating_machine;

/* Whether a request is still open to the rater (sent or opened). */
int		 rating_open_status(enum rating_status);

/* The latest request to a rater of an application (revoked: none). */
struct rating_last {
	int64_t			 id;
	enum rating_status	 status;
	const char		*state;		/* rating_state()'s word */
	int64_t			 sent;
	int64_t			 answered;
	int			 replaces;	/* asking again needs consent */
};
/*
 * The latest request of application a to rater email into *last; 0, or
 * -1 when none stands (never asked, or withdrawn).  Asking again
 * replaces it (last->replaces) where its link still works (the rater's
 * link dies) or it holds a completed rating (discarded: the reference
 * counts again only once the new form is sent).
 */
int		 rating_latest(struct arena *, const struct app *,
		    const char *email, struct rating_last *);

/*
 * The applicant asks rater email (name, relationship) of application a
 * for a rating, in its own transaction: a new request stored and mailed
 * with a fresh link.  Where the latest request to the rater replaces
 * (rating_latest), only with replace set: its open link is revoked, a
 * completed rating discarded (RATEV_REPLACE), both recorded in the
 * history; without it nothing changes and e says so (409, field
 * "replace").  0, or -1 and e.
 */
int		 rating_request(const struct actor *, struct arena *,
		    const struct app *, const char *email, const char *name,
		    const char *rel, int replace, struct derr *);

/*
 * The applicant mails the rater of open request rating of application a
 * a fresh link (the old one stops working).  0, or -1 and e (404 no open
 * request).
 */
int		 rating_relink(const struct actor *, struct arena *,
		    const struct app *, int64_t rating, struct derr *);
/*
 * The coordinator of a's association re-sends open request rating to a
 * corrected address email: the request and the reference naming the old
 * address take the new one, a fresh link is mailed there, the old link
 * dies; recorded in the history.  0, or -1 and e (400 on field "email").
 */
int		 rating_redirect(const struct actor *, struct arena *,
		    const struct app *, int64_t rating, const char *email,
		    struct derr *);
/*
 * The coordinator of a's association takes a fresh link for open request
 * rating into *link (shown to them once, to hand to the rater; *rater the
 * rater's name); nothing is mailed, the old link dies; recorded in the
 * history.  0, or -1 and e.
 */
int		 rating_hand(const struct actor *, struct arena *,
		    const struct app *, int64_t rating, const char **link,
		    const char **rater, struct derr *);

/*
 * A reminder to the rater of open request rating of a, by the coordinator
 * of a's association or the scheduler: a fresh link is mailed (only the
 * hash of the old one is kept; it stops working), the request stays
 * open, the history says so.  nd: the applicant's name for the mail, and
 * for a scheduled one the offset (days after the request, due the day
 * the request was made): recorded, so that it is sent once (409 the
 * second time); days 0, by hand, is not recorded.  0, or -1 and e (429:
 * mail limit).
 */
struct rating_nudge {
	const char	*applicant;
	const char	*due;		/* YYYY-MM-DD */
	int		 days;
};
int		 rating_remind(const struct actor *, struct arena *,
		    const struct app *, int64_t rating,
		    const struct rating_nudge *, struct derr *);

/* The applicant withdraws the open request rating of application a. */
int		 rating_revoke(const struct actor *, struct arena *,
		    const struct app *, int64_t rating, struct derr *);

/* The rater is shown the form of request rating (in status from) under
   waiver (the applicant's, or one shown before): recorded on the rating,
   where it binds, and the request marked opened, in its own transaction
   (the caller has none open).  0, or -1 and e (503). */
int		 rating_shown(struct arena *, int64_t rating,
		    enum rating_status from, int waiver, struct derr *);
/* Whether the owner of a may read a completed rating recorded under
   rating_waiver: the policy, their waiver now, and the rating's. */
int		 rating_applicant_may_read(const struct app *a,
		    int rating_waiver);
/* How a rating's live link reached the rater, in words. */
const char	*rating_channel_words(enum rating_channel);

/*
 * The rater's answer (ev RATEV_COMPLETE, RATEV_DECLINE or RATEV_VOID,
 * answers the stored JSON text) to request rating of application app,
 * which was in status from: stored, audited and the applicant told, in
 * one transaction.  0, or -1 and e (410 answered already or gone).
 */
int		 rating_answer(struct arena *, int64_t rating, int64_t app,
		    enum rating_status from, enum rating_event ev,
		    const char *rater, const char *answers, struct derr *);

/* Request id of application app into row (its text in the arena); 0,
   or -1 when there is none. */
int		 rating_get(struct arena *, int64_t id, int64_t app,
		    struct row_rating_get *);
/* The request of a rater's link token (its hash is what is kept); 0, or
   -1 when no request has it. */
int		 rating_by_token(struct arena *, const char *token,
		    struct row_rating_by_hash *);
/* The application's requests but the revoked, for its page: [{id, email,
   name, state, state_words, sent, answered, mail (the delivery), open,
   readable, void, channel, channel_words, handed}]; for the applicant
   (applicant set) readable by rating_applicant_may_read, for the staff
   every completed one. */
json_t		*rating_view(struct arena *, const struct app *, int applicant);

#endif
