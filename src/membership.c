/*
 * Membership terms: which term a rule set sells under an id, and the day a
 * term bought on a given day ends.  Pure functions of the rule set's data
 * (the 'membership' block, docs/rules-format.md); no clock, no store.
 */
#include <string.h>

#include "endorse.h"
#include "banned.h"

const struct membership_term *
membership_term(const struct ruleset *rs, const char *id)
{
	int	 i;

	for (i = 0; i < rs->membership.nterms; i++)
		if (strcmp(rs->membership.terms[i].id, id) == 0)
			return &rs->membership.terms[i];
	return NULL;
}

/*
 * Terms run on the calendar year: an N-year term ends December 31 of the
 * N-th calendar year, counting the year it was bought as the first.  With
 * a cutoff (INfancy Onward: September 1), a term bought on or after the
 * cutoff does not count that year: the rest of it is free and the term
 * ends a year later.  The cutoff is compared as month and day, so a 02-29
 * cutoff means "after February" in a year without one.
 */
int32_t
membership_expiry(const struct membership_policy *mp,
    const struct membership_term *t, int32_t bought)
{
	int	 y, m, d, last;

	if (bought == DATE_NONE)
		return DATE_NONE;
	date_ymd(bought, &y, &m, &d);
	last = y + t->years - 1;
	if (mp->cutoff != 0 && m * 100 + d >= mp->cutoff)
		last++;
	return date_from_ymd(last, 12, 31);
}

int32_t
membership_start(int32_t bought, int ahead)
{
	int	 y, m, d;

	if (bought == DATE_NONE || !ahead)
		return bought;
	date_ymd(bought, &y, &m, &d);
	return date_from_ymd(y + 1, 1, 1);
}
