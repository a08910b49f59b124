/*
 * Revoking and suspending (issue 19): the endorsement machine's lines for
 * it (life-move.c) and the reason's check (dom-revoke.c).
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-revoke.h"
#include "unit.h"

void	test_revoke_machine(void);
void	test_revoke_reason(void);

void
test_revoke_machine(void)
{
	const struct sm	*m = &endorsement_machine;
	const int	 from[] = { ENDORSEMENT_ACTIVE, LIFE_EMERGING,
	    ENDORSEMENT_LAPSED, ENDORSEMENT_INACTIVE, ENDORSEMENT_SUSPENDED };
	struct arena	 a;
	struct derr	 e;
	size_t		 i;

	arena_init(&a);
	/* Revoke: from every state but revoked, by a coordinator only. */
	for (i = 0; i < sizeof from / sizeof from[0]; i++) {
		CHECK(sm_apply(m, from[i], LIFEEV_REVOKE, SM_WHO_COORDINATOR,
		    &e, &a) == ENDORSEMENT_REVOKED);
		CHECK(sm_apply(m, from[i], LIFEEV_REVOKE, SM_WHO_APPLICANT,
		    &e, &a) == -1 && e.status == 403);
		CHECK(sm_apply(m, from[i], LIFEEV_REVOKE, SM_WHO_SYSTEM, &e,
		    &a) == -1 && e.status == 403);
	}
	/* Final: nothing leaves revoked. */
	for (i = 0; i < LIFEEV__N; i++)
		CHECK(sm_apply(m, ENDORSEMENT_REVOKED, (int)i, SM_WHO_ANY, &e,
		    &a) == -1 && e.status == 409);
	/* Suspend: a current (or inactive) endorsement, not a lapsed or a
	   suspended one. */
	CHECK(sm_apply(m, ENDORSEMENT_ACTIVE, LIFEEV_SUSPEND,
	    SM_WHO_COORDINATOR, &e, &a) == ENDORSEMENT_SUSPENDED);
	CHECK(sm_apply(m, life_state(ENDORSEMENT_ACTIVE, "2027-01-01"),
	    LIFEEV_SUSPEND, SM_WHO_COORDINATOR, &e, &a) ==
	    ENDORSEMENT_SUSPENDED);
	CHECK(sm_apply(m, ENDORSEMENT_LAPSED, LIFEEV_SUSPEND,
	    SM_WHO_COORDINATOR, &e, &a) == -1 && e.status == 409);
	CHECK(sm_apply(m, ENDORSEMENT_SUSPENDED, LIFEEV_SUSPEND,
	    SM_WHO_COORDINATOR, &e, &a) == -1 && e.status == 409);
	CHECK(sm_apply(m, ENDORSEMENT_ACTIVE, LIFEEV_SUSPEND, SM_WHO_APPLICANT,
	    &e, &a) == -1 && e.status == 403);
	/* Lift: a suspended one only, back to active. */
	CHECK(sm_apply(m, ENDORSEMENT_SUSPENDED, LIFEEV_LIFT,
	    SM_WHO_COORDINATOR, &e, &a) == ENDORSEMENT_ACTIVE);
	CHECK(sm_apply(m, ENDORSEMENT_ACTIVE, LIFEEV_LIFT, SM_WHO_COORDINATOR,
	    &e, &a) == -1 && e.status == 409);
	CHECK(sm_apply(m, ENDORSEMENT_SUSPENDED, LIFEEV_LIFT, SM_WHO_SYSTEM,
	    &e, &a) == -1 && e.status == 403);
	/* The clock stands still: a suspended one neither lapses nor goes
	   inactive nor is reinstated. */
	CHECK(sm_apply(m, ENDORSEMENT_SUSPENDED, LIFEEV_LAPSE, SM_WHO_SYSTEM,
	    &e, &a) == -1 && e.status == 409);
	CHECK(sm_apply(m, ENDORSEMENT_SUSPENDED, LIFEEV_INACTIVE,
	    SM_WHO_APPLICANT, &e, &a) == -1 && e.status == 409);
	CHECK(sm_apply(m, ENDORSEMENT_SUSPENDED, LIFEEV_REINSTATE,
	    SM_WHO_COORDINATOR, &e, &a) == -1 && e.status == 409);
	CHECK(strcmp(m->states[ENDORSEMENT_SUSPENDED], "suspended") == 0);
	CHECK(strcmp(m->states[LIFE_EMERGING], "Emerging") == 0);
	arena_free(&a);
}

void
test_revoke_reason(void)
{
	char	 long_reason[FIELD_TEXT_MAX + 2];

	memset(long_reason, 'x', sizeof long_reason - 1);
	long_reason[sizeof long_reason - 1] = '\0';
	CHECK(revoke_reason_problem(LIFEEV_REVOKE, NULL) != NULL);
	CHECK(revoke_reason_problem(LIFEEV_REVOKE, " \t\n") != NULL);
	CHECK(strstr(revoke_reason_problem(LIFEEV_SUSPEND, ""),
	    "suspension") != NULL);
	CHECK(revoke_reason_problem(LIFEEV_REVOKE, "Broke the Code") == NULL);
	CHECK(revoke_reason_problem(LIFEEV_LIFT, "") == NULL);
	CHECK(revoke_reason_problem(LIFEEV_LIFT, NULL) == NULL);
	CHECK(strcmp(revoke_reason_problem(LIFEEV_REVOKE, long_reason),
	    "enter at most 300 characters") == 0);
	long_reason[FIELD_TEXT_MAX] = '\0';
	CHECK(revoke_reason_problem(LIFEEV_REVOKE, long_reason) == NULL);
	CHECK(revoke_reason_problem(LIFEEV_SUSPEND, "\xff\xfe") != NULL);
}
