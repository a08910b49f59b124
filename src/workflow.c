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
audit_log(struct req *r, const char *what, int64_t row, const char *action,
    json_t *detail)
{
	struct actor	 who = req_actor(r);

	return audit_write(&who, what, row, action, detail);
}

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

/*
 * Transitional, for the one caller that still names statuses by word
 * (page-review.c's unlock): the event is the machine's line from one to
 * the other, and app_set_status does the rest as the request's user.
 */
int
app_transition(struct req *r, const struct app *a, const char *from,
    const char *to, json_t *detail)
{
	struct actor	 who = req_actor(r);
	int		 i, f = -1, t = -1;

	for (i = 0; i < app_status__N; i++) {
		if (app_status_names[i] == NULL)
			continue;
		if (strcmp(app_status_names[i], from) == 0)
			f = i;
		if (strcmp(app_status_names[i], to) == 0)
			t = i;
	}
	for (i = 0; i < app_machine.nlines; i++)
		if (app_machine.lines[i].from == f &&
		    app_machine.lines[i].to == t)
			break;
	if (f < 0 || t < 0 || i == app_machine.nlines) {
		json_decref(detail);
		return -1;
	}
	return app_set_status(&who, &r->arena, a->id, (enum app_status)f,
	    (enum app_event)app_machine.lines[i].event, detail, NULL);
}

int
app_notify(struct req *r, const struct app *a, const char *subject,
    const char *body)
{
	return app_mail(&r->arena, a, subject, body);
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

/*
 * Seed 001: "If you apply for FS or MHS, you can apply for ERS at the same
 * time".  An ERS add-on whose prerequisite is met by the person's open FS
 * or MHS application (the check's "decided_with") is decided together with
 * it: endorsed only once that one is, when the endorsement then held meets
 * the prerequisite.  NULL when nothing stands in the way, else why not,
 * naming the other application.
 */
const char *
app_decided_first(struct req *r, const struct app *a, json_t *check)
{
	return app_waits_for(&r->arena, a, check);
}

/* Whether a category's checklist may ride on an open application
   ('holds ... or-pending'), at any depth of alternatives. */
static int
rides_on_pending(const struct requirement *reqs, int n)
{
	int	 i, j;

	for (i = 0; i < n; i++) {
		if (reqs[i].kind == KIND_HOLDS && reqs[i].or_pending)
			return 1;
		for (j = 0; j < reqs[i].noptions; j++)
			if (rides_on_pending(reqs[i].options[j].reqs,
			    reqs[i].options[j].nreqs))
				return 1;
	}
	return 0;
}

/*
 * The open applications decided together with this one, for the
 * coordinator's page: the one its check rides on ("decided_with"), and
 * the person's other open applications (the portfolio's "pending") whose
 * check rides on this one.  An array of {id, category}.
 */
json_t *
app_decided_together(struct req *r, const struct app *a, json_t *doc,
    json_t *check)
{
	const struct ruleset	*rs = web_rules(a->association);
	const struct category	*cat;
	json_t			*list = json_array(), *w, *p, *od, *oc;
	const char		*code;
	struct app		 o;
	char			*cause;
	json_int_t		 id;
	size_t			 i;

	w = json_object_get(check, "decided_with");
	code = json_string_value(json_object_get(w, "category"));
	if ((id = json_integer_value(json_object_get(w, "application"))) > 0)
		json_array_append_new(list, json_pack("{s:I, s:s}", "id", id,
		    "category", code != NULL ? code : ""));
	json_array_foreach(json_object_get(doc, "pending"), i, p) {
		id = json_integer_value(json_object_get(p, "application"));
		if (id <= 0 || app_get(r, id, &o) != 0 ||
		    o.account != a->account || rs == NULL ||
		    (cat = rules_category(rs, o.category)) == NULL ||
		    !rides_on_pending(cat->reqs, cat->nreqs))
			continue;
		cause = NULL;
		od = app_portfolio(r, &o);
		oc = app_checklist(r, &o, od, &cause);
		w = json_object_get(oc, "decided_with");
		if (json_integer_value(json_object_get(w, "application")) ==
		    a->id)
			json_array_append_new(list, json_pack("{s:I, s:s}",
			    "id", (json_int_t)o.id, "category", o.category));
		json_decref(oc);
		json_decref(od);
		free(cause);
	}
	return list;
}

/* Transitional, for page-review.c's decision: endorsement_grant as the
   request's user; 1 and *why when it waits for the application decided
   together with it, -1 and *why when it failed. */
int
endorsement_issue(struct req *r, const struct app *a, char **number,
    const char **why)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (endorsement_grant(&who, &r->arena, a, number, &e) == 0)
		return 0;
	*why = e.message;
	return e.status == 409 ? 1 : -1;
}
