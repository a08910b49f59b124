/*
 * What references, submission, review, the exam and the decision share:
 * the audit log, status transitions, who reviews what, the state of a
 * rating, and issuing an endorsement.  Every function here runs inside
 * the caller's transaction: a change and its audit row and its mail are
 * stored together or not at all.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "banned.h"

int
app_editable(const struct app *a)
{
	return a->status == APP_DRAFT ||
	    a->status == APP_DEFERRED;
}

int
app_is_reviewer_of(int64_t app, int64_t account)
{
	struct dbq	*st = db_stmt(S_ASSIGN_OF);
	int		 yes;

	db_bind_int(st, "$app", app);
	db_bind_int(st, "$reviewer", account);
	yes = db_step(st) == DB_ROW;
	db_reset(st);
	return yes;
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

json_t *
app_exam_results(const struct app *a)
{
	json_t				*arr = json_array();
	struct dbq			*st = db_stmt(S_EXAM_REG_LIST_APP);
	struct row_exam_reg_list_app	 row;

	db_bind_int(st, "$app", a->id);
	while (row_exam_reg_list_app(st, NULL, &row) == DB_ROW)
		if (row.result != EXAMR_NONE)
			json_array_append_new(arr, json_pack("{s:s, s:s}",
			    "date", row.date, "result", db_enum_word(
			    exam_result, row.result)));
	db_reset(st);
	return arr;
}

