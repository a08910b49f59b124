/*
 * The public registry's read side (dom-registry.c), for registry.c's
 * pages and API.
 */
#ifndef DOM_REGISTRY_H
#define DOM_REGISTRY_H

#include <jansson.h>

#include "store.h"

struct arena;
struct actor;
struct derr;

/* At most 100 visible endorsements whose name, category or city holds
   every word of q (ASCII case ignored; words cut at spaces), in name order: the API's objects (number, name,
   category, association, status, city), or the search page's when page.
   An empty q finds nothing.  NULL when the registry cannot be read. */
json_t		*registry_search(struct arena *, const char *q, int page);
/* An endorsement by its number, as the API's object with "since" (and
   "withdrawn", the date it was revoked or suspended, when known); NULL
   when none has it.  *status: its status. */
json_t		*registry_find(const char *number, enum endorsement_status *);
/* Mark each rsc_received and references entry of a portfolio document
   "verified": true when the registry knows its provider or rater (by
   number, or by name and e-mail) holding every code the entry names,
   else false.  Whatever the document said is replaced.  First a rater's
   own statement on a completed rating of application app replaces the
   codes (and number) the applicant typed for that rater. */
void		 registry_mark(json_t *doc, int64_t app);
/* A rater's statement of their endorsement on the rating form (codes as
   typed, a number; either may be NULL or empty) into answers
   ("endorsements", "endorsement_number"); a problem into errors under
   the field's name. */
void		 registry_stated(const char *codes, const char *number,
		    json_t *answers, json_t *errors);
/* The end of the current renewal cycle of an association ("December 31,
   2027"), in the arena; NULL when its rule set has none. */
const char	*registry_valid_through(struct arena *, const char *assoc);
/* The city the registry shows with account's endorsements, in the arena
   ("" none); NULL when it holds none. */
const char	*registry_city(struct arena *, int64_t account);
/* The holder sets that city ("" none), audited; 0, or -1 and e (400 on
   "city", 404 no endorsement, 503). */
int		 registry_set_city(const struct actor *, struct arena *,
		    const char *city, struct derr *);
/* A status as the registry words it ("Active", and why it is current
   or not). */
const char	*registry_status_word(enum endorsement_status);
const char	*registry_status_note(enum endorsement_status);

#endif
