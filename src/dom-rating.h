/*
 * References (dom-rating.c): the rating request's lifecycle as one state
 * machine, and the writes that move it.  A request is sent; the rater
 * opens it, then completes it, declines it or leaves a void form (too
 * many "not enough information" answers); the applicant revokes an open
 * one (or a newer request to the same rater replaces it) or renews its
 * link, which sends it again.
 */
#ifndef DOM_RATING_H
#define DOM_RATING_H

#include <stdint.h>

#include "domain.h"

struct app;
struct arena;

enum rating_event {
	RATEV_OPEN, RATEV_COMPLETE, RATEV_DECLINE, RATEV_VOID, RATEV_REVOKE,
	RATEV_RELINK, RATEV__N
};
extern const struct sm rating_machine;

/* Whether a request is still open to the rater (sent or opened). */
int		 rating_open_status(enum rating_status);

/*
 * The applicant asks rater email (name, relationship) of application a
 * for a rating, in its own transaction: an open request to the same
 * rater is revoked, a new one stored and mailed with a fresh link.
 * 0, or -1 and e.
 */
int		 rating_request(const struct actor *, struct arena *,
		    const struct app *, const char *email, const char *name,
		    const char *rel, struct derr *);

/*
 * A fresh link for the open request rating of application a (the old
 * one stops working): mailed (by_mail) or into *link to be shown once;
 * *rater the rater's name.  0, or -1 and e (404 no open request).
 */
int		 rating_relink(const struct actor *, struct arena *,
		    const struct app *, int64_t rating, int by_mail,
		    const char **link, const char **rater, struct derr *);

/* The applicant withdraws the open request rating of application a. */
int		 rating_revoke(const struct actor *, struct arena *,
		    const struct app *, int64_t rating, struct derr *);

/* The rater opened the form: best effort, in the caller's (read)
   transaction; a lost race leaves it sent. */
void		 rating_opened(int64_t rating, enum rating_status from);

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
   name, state, state_words, sent, answered, mail, open, readable,
   void}]; readable only when may_read. */
json_t		*rating_view(struct arena *, const struct app *, int may_read);

#endif
