/*
 * What references, submission, review, the exam and the decision share:
 * the audit log, status transitions, who reviews what, the state of a
 * rating, and issuing an endorsement.  Every function here runs inside
 * the caller's transaction: a change and its audit row and its mail are
 * stored together or not at all.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-queue.h"
#include "dom-app.h"
#include "dom-exam.h"
#include "dom-review.h"
#include "banned.h"

int
app_editable(const struct app *a)
{
	return a->status == APP_DRAFT ||
	    a->status == APP_DEFERRED;
}

/* Whether two names or addresses are the same: case and the blanks
   around them left out; an empty one is nobody's. */
static int
same_person(const char *x, const char *y)
{
	size_t	 nx, ny;

	if (x == NULL || y == NULL)
		return 0;
	while (*x == ' ' || *x == '\t')
		x++;
	while (*y == ' ' || *y == '\t')
		y++;
	for (nx = strlen(x); nx > 0 && (x[nx - 1] == ' ' ||
	    x[nx - 1] == '\t'); nx--)
		;
	for (ny = strlen(y); ny > 0 && (y[ny - 1] == ' ' ||
	    y[ny - 1] == '\t'); ny--)
		;
	return nx > 0 && nx == ny && strncasecmp(x, y, nx) == 0;
}

/* A string member of o, NULL when absent or not a string. */
static const char *
member_text(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Whether the person (name, email) is one of the portfolio's references
   or the provider of one of its RSC periods: a provider with an e-mail
   is matched by it, one without by name. */
static const char *
doc_conflict(json_t *doc, const char *name, const char *email)
{
	json_t		*e;
	const char	*m;
	size_t		 i;

	json_array_foreach(json_object_get(doc, "references"), i, e)
		if (same_person(member_text(e, "email"), email))
			return "a rater or a reference of this application";
	json_array_foreach(json_object_get(doc, "rsc_received"), i, e) {
		if ((m = member_text(e, "provider_email")) == NULL)
			m = member_text(e, "email");
		if (m != NULL && *m != '\0' ? same_person(m, email) :
		    same_person(member_text(e, "provider"), name))
			return "the applicant's RSC provider";
	}
	return NULL;
}

/*
 * The one rule of conflicts of interest: nobody reviews, scores or
 * decides an application in which they are the applicant, a rater (a
 * rating request to their account's e-mail, without case) or a
 * reference, or the applicant's RSC provider.  Why, as a noun phrase
 * ("a rater of this application"), or NULL when there is no conflict.
 */
const char *
app_conflict(struct arena *ar, int64_t account, const struct app *a)
{
	struct dbq			*st;
	struct row_account_by_id	 acc;
	struct row_rating_list		 row;
	const char			*why = NULL;
	json_t				*doc;
	int				 rc;

	if (account == a->account)
		return "the applicant";
	st = db_stmt(S_ACCOUNT_BY_ID);
	db_bind_int(st, "$id", account);
	rc = row_account_by_id(st, ar, &acc);
	db_reset(st);
	if (rc != DB_ROW)
		return "not a known account";
	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a->id);
	while (why == NULL && row_rating_list(st, NULL, &row) == DB_ROW)
		if (same_person(row.email, acc.email))
			why = "a rater or a reference of this application";
	db_reset(st);
	if (why != NULL)
		return why;
	doc = app_document(web_rules(a->association), a);
	why = doc_conflict(doc, acc.name, acc.email);
	json_decref(doc);
	return why;
}

/*
 * Whether account reviews application a now, and may read its review
 * material (ratings, portfolio, the review form) or submit a review: a
 * current reviewer of its association, an assignment in its current
 * round (made since the latest submission), and no conflict.  Why not
 * in words, or NULL when they may.
 */
const char *
review_refusal(struct arena *ar, int64_t account, const struct app *a)
{
	struct dbq	*st = db_stmt(S_ASSIGN_CURRENT);
	const char	*why;
	int		 yes;

	db_bind_int(st, "$app", a->id);
	db_bind_int(st, "$reviewer", account);
	yes = db_step(st) == DB_ROW;
	db_reset(st);
	if (!yes)
		return "you are not a reviewer of this application's current "
		    "round";
	if ((why = app_conflict(ar, account, a)) != NULL)
		return arena_printf(ar, "you are %s and cannot review it",
		    why);
	return NULL;
}

int
app_is_reviewer_of(int64_t app, int64_t account)
{
	struct arena	 ar;
	struct app	 a;
	int		 yes;

	arena_init(&ar);
	yes = app_read(&ar, app, &a) == 0 &&
	    review_refusal(&ar, account, &a) == NULL;
	arena_free(&ar);
	return yes;
}

/* The coordinators of assoc other than account. */
int
review_other_coordinators(const char *assoc, int64_t account)
{
	struct dbq			*st = db_stmt(S_COORDINATOR_OF);
	struct row_coordinator_of	 row;
	int				 n = 0;

	db_bind_text(st, "$assoc", assoc);
	while (row_coordinator_of(st, NULL, &row) == DB_ROW)
		n += row.id != account;
	db_reset(st);
	return n;
}

const char *
review_coord_conflict(const struct actor *who, struct arena *ar,
    const struct app *a)
{
	const char	*why, *name = web_assoc_name(a->association);

	if (who->kind != ACTOR_COORDINATOR ||
	    (why = app_conflict(ar, who->id, a)) == NULL)
		return NULL;
	if (review_other_coordinators(a->association, who->id) == 0)
		return arena_printf(ar, "you are %s: another coordinator of "
		    "%s decides it, and %s has no other coordinator; ask the "
		    "operator to add one", why, name, name);
	return arena_printf(ar, "you are %s: another coordinator of %s "
	    "decides it and assigns its reviewers", why, name);
}

int
workflow_is_reviewer(int64_t account, const char *assoc)
{
	struct dbq	*st = db_stmt(S_REVIEWER_IS);
	int		 yes;

	if (assoc == NULL)
		return 0;
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	yes = db_step(st) == DB_ROW;
	db_reset(st);
	return yes;
}

/* The exam is a requirement of the category's rules (id "exam"), never a
   list of codes in C. */
int
workflow_needs_exam(const struct app *a)
{
	const struct ruleset	*rs = web_rules(a->association);
	const struct category	*cat;
	int			 i;

	if (rs == NULL || (cat = rules_category(rs, a->category)) == NULL)
		return 0;
	for (i = 0; i < cat->nreqs; i++)
		if (strcmp(cat->reqs[i].id, "exam") == 0)
			return 1;
	return 0;
}

const char *
rating_state(const struct ruleset *rs, enum rating_status status,
    int64_t expires, int64_t answered, int64_t now)
{
	int32_t	 valid_until;
	int	 months = rs != NULL ? rs->workflow.rating_valid_months : 12;

	if (status == RATING_SENT || status == RATING_OPENED)
		return expires <= now ? "expired" : db_enum_word(rating_status,
		    status);
	if (status == RATING_COMPLETED && answered > 0) {
		valid_until = date_add_months((int32_t)(answered / 86400),
		    months);
		if ((int32_t)(now / 86400) > valid_until)
			return "expired";
	}
	return db_enum_word(rating_status, status);
}

/* E-mail addresses compare without case (the rating table's NOCASE). */
static void
email_key(const char *email, char *key, size_t len)
{
	size_t	 i;

	snprintf(key, len, "%s", email != NULL ? email : "");
	for (i = 0; key[i] != '\0'; i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (char)(key[i] - 'A' + 'a');
}

const char *
rating_state_of(json_t *states, const char *email)
{
	char	 key[320];

	email_key(email, key, sizeof key);
	return json_string_value(json_object_get(states, key));
}

json_t *
app_rating_states(const struct ruleset *rs, const struct app *a)
{
	json_t			*o = json_object();
	struct dbq		*st = db_stmt(S_RATING_LIST);
	struct row_rating_list	 row;
	char			 key[320];
	int64_t			 now = db_now();

	db_bind_int(st, "$app", a->id);
	while (row_rating_list(st, NULL, &row) == DB_ROW) {
		email_key(row.email, key, sizeof key);
		/* Rows come oldest first: the latest request wins.  A
		   revoked one leaves the reference a draft again. */
		json_object_set_new(o, key, json_string(row.status ==
		    RATING_REVOKED ? "draft" : rating_state(rs, row.status,
		    row.expires, row.answered, now)));
	}
	db_reset(st);
	return o;
}

int
app_ready(json_t *check)
{
	json_t		*rq;
	const char	*id;
	size_t		 i;

	if (check == NULL)
		return 0;
	json_array_foreach(json_object_get(check, "requirements"), i, rq) {
		id = json_string_value(json_object_get(rq, "id"));
		if (id != NULL && strcmp(id, "exam") == 0)
			continue;
		if (!json_is_true(json_object_get(rq, "met")))
			return 0;
	}
	return 1;
}

/* Whether the checklist has an exam requirement not yet met. */
int
app_exam_outstanding(json_t *check)
{
	json_t		*rq;
	const char	*id;
	size_t		 i;

	json_array_foreach(json_object_get(check, "requirements"), i, rq) {
		id = json_string_value(json_object_get(rq, "id"));
		if (id != NULL && strcmp(id, "exam") == 0 &&
		    !json_is_true(json_object_get(rq, "met")))
			return 1;
	}
	return 0;
}

json_t *
app_exam_results(const struct app *a)
{
	json_t				*arr = json_array();
	struct dbq			*st = db_stmt(S_EXAM_REG_LIST_APP);
	struct row_exam_reg_list_app	 row;

	db_bind_int(st, "$app", a->id);
	while (row_exam_reg_list_app(st, NULL, &row) == DB_ROW)
		if (exam_counts(row.date, row.result))
			json_array_append_new(arr, json_pack("{s:s, s:s}",
			    "date", row.date, "result", db_enum_word(
			    exam_result, row.result)));
	db_reset(st);
	return arr;
}


/*
 * Whom the application is waiting on, in one sentence for its applicant
 * (the same words as the mails: a submission outside a cycle waits for
 * one), or NULL once decided: the rule is app_wait (dom-queue.c), the
 * coordinator's queue asks it too.  ready: every requirement but the
 * exam is met.
 */
const char *
app_waiting_on(struct arena *ar, const struct app *a, int ready)
{
	struct wait_facts	 f;

	if (queue_facts(a, ready, &f) != 0)
		return NULL;
	switch (app_wait(&f)) {
	case WHY_RETURNED:
		return "Waiting on you: the coordinator returned it for "
		    "changes; make them and submit it again.";
	case WHY_READY:
		return "Waiting on you: check your answers and submit it.";
	case WHY_RATINGS:
		return arena_printf(ar, "Waiting on your raters: %d rating "
		    "request%s not answered yet.", f.pending, f.pending == 1 ?
		    " is" : "s are");
	case WHY_CHECKLIST:
		return "Waiting on you: meet the checklist, then submit it.";
	case WHY_CYCLE:
		return "Waiting on a review cycle: it enters the next one the "
		    "association opens.";
	case WHY_ASSIGN:
		return "Waiting on the coordinator to assign its reviewers.";
	case WHY_REVIEWS:
		return arena_printf(ar, "Waiting on the reviewers: %d of %d "
		    "reviews submitted.", f.done, f.assigned);
	case WHY_PAYMENT:
		return "Waiting on the payment: every reviewer has submitted a "
		    "review, and the fee is not paid yet.";
	case WHY_DECIDE:
		return "Waiting on the coordinator's decision: every reviewer "
		    "has submitted a review.";
	case WHY_EXAM:
		return "Waiting on the exam: the coordinator registers you for "
		    "an exam session.";
	default:
		return NULL;
	}
}
