/* Whom an application waits on (dom-queue.c: app_wait, queue_unpaid). */
#include <string.h>

#include "web.h"
#include "dom-queue.h"
#include "unit.h"

void test_app_wait(void);

static enum wait
waits(enum app_status st, int returned, int ready, int pending, int assigned,
    int done, int in_cycle, int unpaid)
{
	struct wait_facts	 f;

	memset(&f, 0, sizeof f);
	f.status = st;
	f.returned = returned;
	f.ready = ready;
	f.pending = pending;
	f.assigned = assigned;
	f.done = done;
	f.in_cycle = in_cycle;
	f.unpaid = unpaid;
	return wait_of(app_wait(&f));
}

void
test_app_wait(void)
{
	/* A draft: the applicant, unless raters have requests open. */
	CHECK(waits(APP_DRAFT, 0, 0, 0, 0, 0, 0, 0) == WAIT_APPLICANT);
	CHECK(waits(APP_DRAFT, 0, 0, 2, 0, 0, 0, 0) == WAIT_RATER);
	CHECK(waits(APP_DEFERRED, 0, 0, 1, 0, 0, 0, 0) == WAIT_RATER);
	/* Returned for changes, or ready: the applicant, raters or not. */
	CHECK(waits(APP_DRAFT, 1, 0, 2, 0, 0, 0, 0) == WAIT_APPLICANT);
	CHECK(waits(APP_DRAFT, 0, 1, 2, 0, 0, 0, 0) == WAIT_APPLICANT);
	/* Submitted: a cycle and reviewers (the coordinator), reviews. */
	CHECK(waits(APP_SUBMITTED, 0, 0, 0, 0, 0, 0, 0) == WAIT_COORDINATOR);
	CHECK(app_wait(&(struct wait_facts){ .status = APP_SUBMITTED }) ==
	    WHY_CYCLE);
	CHECK(app_wait(&(struct wait_facts){ .status = APP_SUBMITTED,
	    .in_cycle = 1 }) == WHY_ASSIGN);
	CHECK(waits(APP_SUBMITTED, 0, 0, 0, 2, 1, 1, 0) == WAIT_REVIEWER);
	CHECK(waits(APP_SUBMITTED, 0, 0, 0, 2, 1, 1, 1) == WAIT_REVIEWER);
	/* Reviews in: the payment when unpaid, else the decision. */
	CHECK(waits(APP_SUBMITTED, 0, 0, 0, 2, 2, 1, 1) == WAIT_PAYMENT);
	CHECK(waits(APP_SUBMITTED, 0, 0, 0, 2, 2, 1, 0) == WAIT_COORDINATOR);
	CHECK(waits(APP_EXAM, 0, 0, 0, 2, 2, 1, 1) == WAIT_EXAM);
	CHECK(waits(APP_ENDORSED, 0, 0, 0, 0, 0, 0, 0) == WAIT_NOBODY);
	CHECK(waits(APP_DENIED, 0, 0, 3, 0, 0, 0, 1) == WAIT_NOBODY);
	/* Paid: by the ledger when it has rows, else fee_owed. */
	CHECK(queue_unpaid(1, 75, 0, 0, 0) == 1);
	CHECK(queue_unpaid(0, 75, 0, 0, 0) == 0);
	CHECK(queue_unpaid(1, 0, 0, 0, 0) == 0);
	CHECK(queue_unpaid(1, 75, 2, 7500, 7500) == 0);
	CHECK(queue_unpaid(1, 75, 3, 7500, 2500) == 1);
	CHECK(queue_unpaid(1, 75, 3, 7500, 10000 - 5000) == 1);
	CHECK(strcmp(wait_names[WAIT_RATER], "rater") == 0);
}
