/*
 * Applications and their portfolios: who may read or change one, the
 * portfolio document assembled from the store, a whole portfolio replaced
 * in one transaction, and the checklist computed by the same engine as
 * `endorse check` (check_eval) on that very document.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "dom-registry.h"
#include "banned.h"

int32_t
web_today(void)
{
	return (int32_t)(db_now() / 86400);
}

static void
set_date(json_t *o, const char *key, const char *d)
{
	json_object_set_new(o, key, d != NULL ? json_string(d) : json_null());
}

/* The memberships of the applicant in the application's association. */
static json_t *
doc_memberships(const struct app *a)
{
	struct dbq		*st;
	struct row_member_list	 row;
	json_t			*arr = json_array(), *e;

	st = db_stmt(S_MEMBER_LIST);
	db_bind_int(st, "$account", a->account);
	db_bind_text(st, "$assoc", a->association);
	while (row_member_list(st, NULL, &row) == DB_ROW) {
		e = json_pack("{s:s}", "start", row.start);
		set_date(e, "end", row.end);
		if (row.term != NULL)
			json_object_set_new(e, "type", json_string(row.term));
		/* The association's verdict (db/016), never the applicant's. */
		if (row.status != MSTAT_RECORDED &&
		    row.status < membership_status__N)
			json_object_set_new(e, "status", json_string(
			    membership_status_names[row.status]));
		if (row.status == MSTAT_REJECTED && row.reason != NULL)
			json_object_set_new(e, "reason",
			    json_string(row.reason));
		json_array_append_new(arr, e);
	}
	db_reset(st);
	return arr;
}

/* The entries, each into the array of its kind (o has one per kind).  A
   degree's transcript is the PDF stored with it, never a flag that was
   typed, imported or PUT. */
static void
doc_entries(const struct app *a, json_t *o)
{
	struct dbq		*st;
	struct row_entry_list	 row;
	json_t			*arr, *e;

	st = db_stmt(S_ENTRY_LIST);
	db_bind_int(st, "$app", a->id);
	while (row_entry_list(st, NULL, &row) == DB_ROW) {
		e = json_loads(row.data, 0, NULL);
		if (json_is_object(e) && strcmp(row.kind, "education") == 0)
			json_object_set_new(e, "transcript", json_boolean(
			    row.filename != NULL));
		if (e != NULL && (arr = json_object_get(o, row.kind)) != NULL)
			json_array_append_new(arr, e);
		else
			json_decref(e);
	}
	db_reset(st);
}

/* The applicant's active endorsements, this system's records. */
static json_t *
doc_endorsements(const struct app *a)
{
	struct dbq			*st;
	struct row_endorsement_of_account row;
	json_t				*arr = json_array(), *e;

	st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
	db_bind_int(st, "$account", a->account);
	while (row_endorsement_of_account(st, NULL, &row) == DB_ROW) {
		if (row.status != ENDORSEMENT_ACTIVE)
			continue;
		e = json_pack("{s:s, s:s, s:s}", "association",
		    row.association, "category", row.category, "since",
		    row.since);
		/* Held with Emerging status until then (an ERS add-on
		   granted as Emerging): applying again, the holder owes the
		   full requirements, not Emerging once more. */
		set_date(e, "emerging_until", row.emerging_until);
		json_array_append_new(arr, e);
	}
	db_reset(st);
	return arr;
}

/*
 * The person's other open applications in this association, decided
 * together with this one (an ERS add-on applied for with its FS or MHS):
 * the store's, whatever a document said.  Open are draft, submitted, exam
 * and deferred (S_APP_OPEN_OF); endorsed and denied are decided, and a
 * withdrawn application is deleted.
 */
static json_t *
doc_pending(const struct app *a)
{
	struct dbq		*st;
	struct row_app_open_of	 row;
	json_t			*arr = json_array();

	st = db_stmt(S_APP_OPEN_OF);
	db_bind_int(st, "$account", a->account);
	db_bind_text(st, "$assoc", a->association);
	db_bind_int(st, "$id", a->id);
	while (row_app_open_of(st, NULL, &row) == DB_ROW)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I}",
		    "association", a->association, "category", row.category,
		    "application", (json_int_t)row.id));
	db_reset(st);
	return arr;
}

/*
 * The portfolio document of an application, read from the store as of
 * today, its ratings judged by rule set rs (how long a completed rating
 * counts: the rule set in force, or the one a rule change is compared
 * with, impact.c).  No request: the web, the API and `endorse rules
 * impact` build the same document.
 */
json_t *
app_document(const struct ruleset *rs, const struct app *a)
{
	json_t				*o, *e, *states;
	struct dbq			*st;
	struct row_account_by_id	 acc;
	const char			*state;
	char				 today[11];
	int				 i;
	size_t				 idx;

	o = json_object();
	json_object_set_new(o, "format", json_string("endorse-portfolio/1"));
	json_object_set_new(o, "association", json_string(a->association));
	json_object_set_new(o, "category", json_string(a->category));
	date_format(web_today(), today);
	json_object_set_new(o, "as_of", json_string(today));

	st = db_stmt(S_ACCOUNT_BY_ID);
	db_bind_int(st, "$id", a->account);
	if (row_account_by_id(st, NULL, &acc) == DB_ROW)
		json_object_set_new(o, "applicant", json_pack("{s:s, s:s}",
		    "name", acc.name, "email", acc.email));
	db_reset(st);

	json_object_set_new(o, "membership", doc_memberships(a));
	set_date(o, "ethics_signed", a->ethics_signed);
	for (i = 0; i < nkinds; i++)
		json_object_set_new(o, kinds[i].kind, json_array());
	doc_entries(a, o);

	/* A reference's status is its rating's, never what was typed or
	   imported: only a rater's own answer through their link counts. */
	states = app_rating_states(rs, a);
	json_array_foreach(json_object_get(o, "references"), idx, e) {
		state = rating_state_of(states, json_string_value(
		    json_object_get(e, "email")));
		json_object_set_new(e, "status", json_string(state != NULL ?
		    state : "draft"));
	}
	json_decref(states);
	/* Verified in the registry or declared: the registry's word, never
	   the document's (dom-registry.c). */
	registry_mark(o, a->id);

	/* Like the ratings, exams and endorsements held are this system's
	   records (an exam sat here, an endorsement issued or moved in with
	   `endorse import endorsees`), never what a document claims. */
	json_object_set_new(o, "exam", app_exam_results(a));
	json_object_set_new(o, "endorsements", doc_endorsements(a));
	json_object_set_new(o, "pending", doc_pending(a));
	return o;
}

json_t *
app_check(const struct app *a, json_t *doc, char **cause)
{
	const struct ruleset	*rs;
	const struct category	*cat;
	struct portfolio	*p;
	struct check_result	 cr;
	struct arena		 ar;
	json_t			*o;

	*cause = NULL;
	if ((rs = web_rules(a->association)) == NULL ||
	    (cat = rules_category(rs, a->category)) == NULL) {
		xasprintf(cause, "the rule set %s/%s is not installed",
		    a->association, a->category);
		return NULL;
	}
	if ((p = portfolio_from_json(doc, web_today(), cause)) == NULL)
		return NULL;
	arena_init(&ar);
	check_eval(rs, cat, p, &ar, &cr);
	o = report_check_object(&cr);
	arena_free(&ar);
	portfolio_free(p);
	return o;
}

/* The dashboard's figures only: no report, no words (a cheap path). */
int
app_check_summary(const struct app *a, json_t *doc, int *met, int *total,
    int *eligible)
{
	const struct ruleset	*rs;
	const struct category	*cat;
	struct portfolio	*p;
	struct check_result	 cr;
	struct arena		 ar;
	char			*cause = NULL;
	int			 i;

	if ((rs = web_rules(a->association)) == NULL ||
	    (cat = rules_category(rs, a->category)) == NULL)
		return -1;
	if ((p = portfolio_from_json(doc, web_today(), &cause)) == NULL) {
		free(cause);
		return -1;
	}
	arena_init(&ar);
	check_eval(rs, cat, p, &ar, &cr);
	*met = 0;
	for (i = 0; i < cr.nreqs; i++)
		*met += cr.reqs[i].met != 0;
	*total = cr.nreqs;
	*eligible = cr.eligible;
	arena_free(&ar);
	portfolio_free(p);
	return 0;
}
