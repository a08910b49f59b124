/*
 * References.  The applicant asks each rater for a rating
 * from the references tab; the rater gets a private link (random, single
 * purpose, expiring, revocable; only its hash is stored) that opens one
 * form and nothing else.  A completed, declined or void form closes the
 * link.  The link reaches only the rater: the applicant sees each
 * request's state and its mail's delivery and can have it mailed again;
 * where mail fails, the association's coordinator re-sends it to a
 * corrected address or takes it to hand to the rater.  The applicant
 * reads a completed form only where the association allows it and
 * neither they nor the form the rater was shown waived the right.
 * Submission is page-submit.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-app.h"
#include "dom-rating.h"
#include "dom-registry.h"
#include "dom-money.h"
#include "banned.h"

/* The rating scale of every item; "n" is "not enough information". */
static const char *const scale_values[] = { "1", "2", "3", "4", "n" };
static const char *const scale_words[] = { "Rarely", "Sometimes", "Often",
	"Consistently", "Not enough information to rate" };
#define NSCALE	5

/* The titles of vocab_domain's domains, in its order. */
static const char *const domain_titles[] = { "Reflection",
	"Working with Others", "Thinking" };

/* A day as people write it in the US ("March 5, 2027"); NULL for none. */
static const char *
us_day(struct req *r, int64_t t)
{
	char	 b[DATE_US_MAX];

	if (t <= 0)
		return NULL;
	return arena_strdup(&r->arena, date_us((int32_t)(t / 86400), b,
	    sizeof b));
}

/* Whether the owner of the application may read its completed ratings. */
static int
applicant_may_read(const struct app *a)
{
	return rating_applicant_may_read(a, 0);
}

/* Whether the caller may read the ratings of an application at all:
   its reviewers and coordinator always, its owner by the policy. */
static int
may_read_ratings(struct req *r, const struct app *a)
{
	if (a->account == r->user.id)
		return applicant_may_read(a);
	return 1;	/* app_load let a coordinator or reviewer in */
}

/* ------------------------------------------------------- the app's view */

void
workflow_view(struct req *r, const struct app *a, json_t *v)
{
	const struct ruleset	*rs = web_rules(a->association);
	json_t			*w;
	const char		*number;
	int			 mine = a->account == r->user.id;

	w = json_object();
	json_object_set_new(w, "status", json_string(db_enum_word(app_status,
	    a->status)));
	json_object_set_new(w, "status_words", json_string(
	    a->status == APP_DRAFT ? "Draft" :
	    a->status == APP_SUBMITTED ? (a->cycle > 0 ? "Submitted: in "
	    "review" : "Submitted") :
	    a->status == APP_EXAM ? "Approved for the exam" :
	    a->status == APP_DEFERRED ? "Deferred: more to do, "
	    "then submit again" :
	    a->status == APP_DENIED ? "Denied" :
	    a->status == APP_ENDORSED ? "Endorsed" :
	    db_enum_word(app_status, a->status)));
	json_object_set_new(w, "waiver", json_boolean(a->waiver));
	json_object_set_new(w, "visible_policy", json_boolean(rs != NULL &&
	    rs->workflow.visible == VISIBLE_UNLESS_WAIVED));
	json_object_set_new(w, "may_read", json_boolean(
	    may_read_ratings(r, a)));
	if (a->submitted > 0) {
		json_object_set_new(w, "submitted", json_string(us_day(r,
		    a->submitted)));
		json_object_set_new(w, "fee_owed", json_string(money_owed_words(
		    &r->arena, a)));
	}
	if (a->decision != REC_NONE)
		json_object_set_new(w, "decision", json_pack("{s:s, s:s}",
		    "what", db_enum_word(recommendation, a->decision), "note", a->decision_note != NULL ?
		    a->decision_note : ""));
	json_object_set_new(w, "fee", json_string(web_fee_words(&r->arena,
	    a->association, a->category, 0)));
	json_object_set_new(w, "registration_fee", json_string(web_fee_words(
	    &r->arena, a->association, a->category, 1)));
	json_object_set_new(w, "exams", app_exam_results(a));
	view_us_dates(json_object_get(w, "exams"), "date");
	/* What the reviewers wrote for the applicant, once decided. */
	if (a->decision != REC_NONE)
		json_object_set_new(w, "notes", app_reviewer_notes(a));
	if ((number = app_endorsement_number(&r->arena, a)) != NULL)
		json_object_set_new(w, "endorsement", json_pack("{s:s}",
		    "number", number));
	json_object_set_new(w, "ratings", rating_view(&r->arena, a, mine));
	json_object_set_new(w, "n_ratings", json_integer((json_int_t)
	    json_array_size(json_object_get(w, "ratings"))));
	json_object_set_new(w, "mine", json_boolean(mine));
	json_object_set_new(v, "workflow", w);
	json_object_set_new(v, "money", money_app_view(r, a));
}

/* ------------------------------------------------------ rating requests */

/* The applicant's write access and a rule set with a rating form. */
static int
load_for_ratings(struct req *r, struct app *a)
{
	const struct ruleset	*rs;

	if (load_or_deny(r, r->id, 1, a) != 0)
		return -1;
	rs = web_rules(a->association);
	if (rs == NULL || rs->workflow.nitems == 0) {
		view_error(r, 409, "this association's rule set has no rating "
		    "form (a 'workflow' block with 'item' lines)");
		return -1;
	}
	return 0;
}

static void
back_to_refs(struct req *r, const struct app *a)
{
	reply_redirect(r, "/applications/%lld/tab/references#ratings",
	    (long long)a->id);
}

/* The reference entry id2 of the application: its rater's e-mail, name
   and relationship into the arena; 0, or -1 with the page sent. */
static int
reference_of(struct req *r, const struct app *a, const char **email,
    const char **name, const char **rel)
{
	const char	*kind;
	json_t		*e;

	e = entry_read(&r->arena, a, r->id2, &kind);
	if (e != NULL && strcmp(kind, "references") != 0) {
		json_decref(e);
		e = NULL;
	}
	if (e == NULL) {
		view_error(r, 404, "there is no such reference");
		return -1;
	}
	*email = arena_strdup(&r->arena, json_string_value(json_object_get(e,
	    "email")));
	*name = arena_strdup(&r->arena, json_string_value(json_object_get(e,
	    "name")));
	*rel = arena_strdup(&r->arena, json_string_value(json_object_get(e,
	    "relationship")));
	json_decref(e);
	if (*email == NULL || *name == NULL || *rel == NULL) {
		view_error(r, 400, "the reference needs the rater's name, "
		    "e-mail and relationship");
		return -1;
	}
	return 0;
}

/* The latest request of a reference's rater in words, for its entry
   and the page that asks again. */
static json_t *
request_view(struct req *r, const struct rating_last *last)
{
	return json_pack("{s:I, s:s, s:s?, s:s?, s:b, s:b, s:b}",
	    "rating", (json_int_t)last->id,
	    "state_words", refstatus_words(last->state),
	    "sent", us_day(r, last->sent),
	    "answered", us_day(r, last->answered),
	    "open", rating_open_status(last->status) &&
	    strcmp(last->state, "expired") != 0,
	    "completed", last->status == RATING_COMPLETED,
	    "replaces", last->replaces);
}

void
workflow_reference(struct req *r, const struct app *a, json_t *o,
    json_t *data)
{
	struct rating_last	 last;
	const char		*email;

	email = json_string_value(json_object_get(data, "email"));
	if (email != NULL && rating_latest(&r->arena, a, email, &last) == 0)
		json_object_set_new(o, "request", request_view(r, &last));
}

/* The page that asks before a request is replaced: what the rater has,
   and what asking again does to it, in words (status 200 when asked for,
   409 when a request came without the consent). */
static void
ask_page(struct req *r, const struct app *a, int status, const char *name,
    const char *email, const struct rating_last *last)
{
	json_t	*v = app_view(r, a, "references");

	json_object_set_new(v, "entry", json_integer((json_int_t)r->id2));
	json_object_set_new(v, "rater", json_string(name));
	json_object_set_new(v, "rater_email", json_string(email));
	json_object_set_new(v, "request", request_view(r, last));
	view_page(r, status, "rate/replace", arena_printf(&r->arena,
	    "Ask %s again?", name), v);
}

/* Asking the rater of a reference that has a request: the confirmation
   page, else back to the tab (its button asks). */
void
page_rating_ask(struct req *r)
{
	struct app		 a;
	struct rating_last	 last;
	const char		*email, *name, *rel;

	if (load_for_ratings(r, &a) != 0 ||
	    reference_of(r, &a, &email, &name, &rel) != 0)
		return;
	if (rating_latest(&r->arena, &a, email, &last) != 0 ||
	    !last.replaces) {
		back_to_refs(r, &a);
		return;
	}
	ask_page(r, &a, 200, name, email, &last);
}

void
page_rating_request(struct req *r)
{
	struct app		 a;
	struct actor		 who = req_actor(r);
	struct derr		 e;
	struct rating_last	 last;
	const char		*email, *name, *rel, *yes;

	if (load_for_ratings(r, &a) != 0 ||
	    reference_of(r, &a, &email, &name, &rel) != 0)
		return;
	if (strcasecmp(email, r->user.email) == 0) {
		tab_page_entry(r, &a, kind_find("references"), 400, NULL, r->id2,
		    arena_printf(&r->arena, "ask-%lld", (long long)r->id2),
		    "the rater's e-mail is your own: you cannot rate yourself; "
		    "edit the reference to name someone who knows your work");
		return;
	}
	yes = req_form(r, "replace");
	if (rating_request(&who, &r->arena, &a, email, name, rel,
	    yes != NULL && strcmp(yes, "yes") == 0, &e) != 0) {
		/* Asked again without consent: the page that asks. */
		if (e.status == 409 && e.field != NULL &&
		    strcmp(e.field, "replace") == 0 &&
		    rating_latest(&r->arena, &a, email, &last) == 0) {
			ask_page(r, &a, 409, name, email, &last);
			return;
		}
		view_derr(r, &e);
		return;
	}
	back_to_refs(r, &a);
}

/* Mail the rater a fresh link; the old one stops working.  The
   applicant never sees a link: it reaches the rater only. */
void
page_rating_resend(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (load_for_ratings(r, &a) != 0)
		return;
	if (rating_relink(&who, &r->arena, &a, r->id2, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	back_to_refs(r, &a);
}

/* The coordinator's application of their own association, else 404. */
static int
coord_rating_app(struct req *r, struct app *a)
{
	if (app_load(r, r->id, 0, a) != 0 || r->user.association == NULL ||
	    strcmp(a->association, r->user.association) != 0) {
		view_error(r, 404, "there is no such application");
		return -1;
	}
	return 0;
}

void
page_coord_rating_resend(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (coord_rating_app(r, &a) != 0)
		return;
	if (rating_redirect(&who, &r->arena, &a, r->id2, req_form(r, "email"),
	    &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/applications/%lld#ratings-h",
	    (long long)a.id);
}

/* Shown once, to the coordinator only: only its hash is kept. */
void
page_coord_rating_link(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;
	const char	*link, *name;
	json_t		*v;

	if (coord_rating_app(r, &a) != 0)
		return;
	if (rating_hand(&who, &r->arena, &a, r->id2, &link, &name, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	v = app_view(r, &a, "");
	json_object_set_new(v, "link", json_string(link));
	json_object_set_new(v, "rater", json_string(name));
	view_page(r, 200, "coord/rating-link", "A link to hand to the rater",
	    v);
}

void
page_rating_revoke(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	if (rating_revoke(&who, &r->arena, &a, r->id2, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	back_to_refs(r, &a);
}

/* The items of a rule set with the answers given (or typed), for the
   rater's form and for reading a completed one. */
static json_t *
items_view(const struct ruleset *rs, json_t *answers, int editable,
    struct req *typed, json_t *errors)
{
	json_t		*domains = json_array(), *d, *items, *opts, *ans;
	const char	*chosen, *word;
	char		 name[16];
	size_t		 k;
	int		 i, j, on;

	for (k = 0; k < (size_t)vocab_domain.n &&
	    k < sizeof domain_titles / sizeof domain_titles[0]; k++) {
		items = json_array();
		for (i = 0; i < rs->workflow.nitems; i++) {
			if (strcmp(rs->workflow.items[i].domain,
			    vocab_domain.names[k]) != 0)
				continue;
			snprintf(name, sizeof name, "item%d", i);
			chosen = NULL;
			if (typed != NULL)
				chosen = req_form(typed, name);
			else if ((ans = json_array_get(answers, (size_t)i)) !=
			    NULL)
				chosen = json_is_integer(ans) ?
				    scale_values[json_integer_value(ans) - 1] :
				    "n";
			opts = json_array();
			word = NULL;
			for (j = 0; j < NSCALE; j++) {
				on = chosen != NULL &&
				    strcmp(chosen, scale_values[j]) == 0;
				if (on)
					word = scale_words[j];
				json_array_append_new(opts, json_pack("{s:s, "
				    "s:s, s:s, s:b}", "name", name, "value",
				    scale_values[j], "label", scale_words[j],
				    "checked", on));
			}
			json_array_append_new(items, json_pack("{s:s, s:s, "
			    "s:o, s:b, s:s?, s:s?}", "name", name, "text",
			    rs->workflow.items[i].text, "options", opts,
			    "editable", editable, "error", errors != NULL ?
			    json_string_value(json_object_get(errors, name)) :
			    NULL, "answer", word));
		}
		if (json_array_size(items) == 0) {
			json_decref(items);
			continue;
		}
		d = json_pack("{s:s, s:o}", "title", domain_titles[k],
		    "items", items);
		json_array_append_new(domains, d);
	}
	return domains;
}

void
page_rating_read(struct req *r)
{
	struct app		 a;
	const struct ruleset	*rs;
	struct row_rating_get	 row;
	json_t			*v, *answers = NULL;
	const char		*name, *status, *text;
	int64_t			 answered;

	if (load_or_deny(r, r->id, 0, &a) != 0)
		return;
	rs = web_rules(a.association);
	if (rating_get(&r->arena, r->id2, a.id, &row) != 0 || rs == NULL) {
		view_error(r, 404, "there is no such rating");
		return;
	}
	/* The applicant is told a void form needs replacing, never what
	   it said; a completed one only where the policy lets them. */
	if (a.account == r->user.id && (row.status != RATING_COMPLETED ||
	    !rating_applicant_may_read(&a, (int)row.waiver))) {
		view_error(r, 403, applicant_may_read(&a) && row.waiver ?
		    "this rating was written under your waiver of the right "
		    "to read it: the rater was promised it stays confidential" :
		    "your association does not let applicants read their "
		    "reference ratings");
		return;
	}
	if (row.status != RATING_COMPLETED && row.status != RATING_VOID &&
	    row.status != RATING_DECLINED) {
		view_error(r, 404, "this rating has not been answered");
		return;
	}
	name = row.name;
	answered = row.answered;
	text = row.answers;
	status = db_enum_word(rating_status, row.status);
	if (text != NULL)
		answers = json_loads(text, 0, NULL);
	v = app_view(r, &a, "references");
	json_object_set_new(v, "rater", json_string(name));
	json_object_set_new(v, "state_words", json_string(
	    refstatus_words(status)));
	json_object_set_new(v, "answered", json_string(us_day(r, answered)));
	json_object_set_new(v, "channel_words", json_string(
	    rating_channel_words(row.channel)));
	json_object_set_new(v, "domains", items_view(rs,
	    json_object_get(answers, "items"), 0, NULL, NULL));
	json_object_set(v, "comments", json_object_get(answers, "comments"));
	json_object_set(v, "reason", json_object_get(answers, "reason"));
	if (json_object_get(answers, "recommend") != NULL)
		json_object_set_new(v, "recommend", json_string(json_is_true(
		    json_object_get(answers, "recommend")) ? "Recommends" :
		    "Does not recommend"));
	json_decref(answers);
	view_page(r, 200, "apply/rating", arena_printf(&r->arena,
	    "Rating by %s", name), v);
}

void
page_waiver(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 e;
	const char	*w = req_form(r, "waive");

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	if (w == NULL || (strcmp(w, "yes") != 0 && strcmp(w, "no") != 0)) {
		view_error(r, 400, "waive: answer yes or no");
		return;
	}
	if (app_set_waiver(&who, &r->arena, &a, strcmp(w, "yes") == 0,
	    &e) != 0) {
		view_derr(r, &e);
		return;
	}
	back_to_refs(r, &a);
}

/* ------------------------------------------------------- the rater's form */

struct rater {
	int64_t		 id;
	int64_t		 app;
	char		*email;
	char		*name;
	enum rating_status status;
	int64_t		 expires;
	char		*association;
	char		*category;
	char		*applicant;
	int		 waiver;	/* the applicant's now, or shown before */
};

/* The request of a link, or an answer sent: unknown links, used ones and
   expired ones open nothing. */
static int
rater_load(struct req *r, struct rater *rt)
{
	struct row_rating_by_hash	 row;
	int				 found = 0;

	memset(rt, 0, sizeof *rt);
	if (strlen(r->word) != 64) {
		view_error(r, 404, "this rating link is not valid");
		return -1;
	}
	if (rating_by_token(&r->arena, r->word, &row) == 0) {
		found = 1;
		rt->id = row.id;
		rt->app = row.application;
		rt->email = row.email;
		rt->name = row.name;
		rt->status = row.status;
		rt->expires = row.expires;
		rt->association = row.association;
		rt->category = row.category;
		rt->applicant = row.applicant;
		rt->waiver = row.waiver != 0 || row.shown_waiver != 0;
	}
	if (!found) {
		view_error(r, 404, "this rating link is not valid");
		return -1;
	}
	if (rt->status == RATING_REVOKED) {
		view_error(r, 410, "this link was withdrawn; if you were "
		    "sent a newer one, use that");
		return -1;
	}
	if (!rating_open_status(rt->status)) {
		view_error(r, 410, "this form has been answered; thank you");
		return -1;
	}
	if (rt->expires <= db_now()) {
		view_error(r, 410, "this link has expired; ask the applicant "
		    "for a new one");
		return -1;
	}
	if (web_rules(rt->association) == NULL ||
	    web_rules(rt->association)->workflow.nitems == 0) {
		view_error(r, 404, "this rating link is not valid");
		return -1;
	}
	return 0;
}

/* The error summary's lines, in the order of the form, each linking to
   its field (a radio group: its first choice). */
static json_t *
error_list(const struct ruleset *rs, json_t *errors)
{
	static const char *const tail[][3] = {
		{ "recommend", "f-recommend-yes", "Your recommendation" },
		{ "endorsements", "f-endorsements", "Your own endorsements" },
		{ "endorsement_number", "f-endorsement_number",
		    "Your endorsement number" },
		{ "comments", "f-comments", "Comments" },
		{ "reason", "f-reason", "Why you decline" },
	};
	json_t		*list = json_array();
	const char	*msg;
	char		 name[16];
	size_t		 k;
	int		 i;

	for (i = 0; i < rs->workflow.nitems; i++) {
		snprintf(name, sizeof name, "item%d", i);
		if ((msg = json_string_value(json_object_get(errors,
		    name))) != NULL)
			json_array_append_new(list, json_pack("{s:s++, s:s, "
			    "s:s}", "href", "#f-", name, "-1", "item",
			    rs->workflow.items[i].text, "error", msg));
	}
	for (k = 0; k < sizeof tail / sizeof tail[0]; k++)
		if ((msg = json_string_value(json_object_get(errors,
		    tail[k][0]))) != NULL)
			json_array_append_new(list, json_pack("{s:s+, s:s, "
			    "s:s}", "href", "#", tail[k][1], "item",
			    tail[k][2], "error", msg));
	return list;
}

/* The rater's form: fresh (status 200, typed 0), or what was typed with
   its errors (400), or with the warning that unknown "not enough
   information" answers make it void, and the choice to send it anyway. */
static void
rater_page(struct req *r, const struct rater *rt, int status,
    json_t *errors, int typed, int unknown)
{
	const struct ruleset	*rs = web_rules(rt->association);
	json_t			*v = json_object();
	const char		*rec = typed ? req_form(r, "recommend") : NULL;

	json_object_set_new(v, "token", json_string(r->word));
	json_object_set_new(v, "rater", json_string(rt->name));
	json_object_set_new(v, "applicant", json_string(rt->applicant));
	json_object_set_new(v, "category", json_string(rt->category));
	json_object_set_new(v, "category_title", json_string(
	    web_category_title(rt->association, rt->category)));
	json_object_set_new(v, "association", json_string(rs->name));
	/* The rater is told before answering who will read the form. */
	json_object_set_new(v, "confidential", json_boolean(
	    rs->workflow.visible == VISIBLE_NEVER || rt->waiver));
	json_object_set_new(v, "void_unknown",
	    json_integer(rs->workflow.void_unknown));
	if (unknown > 0)
		json_object_set_new(v, "warn_void", json_pack("{s:i}",
		    "unknown", unknown));
	json_object_set_new(v, "expires", json_string(us_day(r,
	    rt->expires)));
	json_object_set_new(v, "domains", items_view(rs, NULL, 1,
	    typed ? r : NULL, errors));
	json_object_set_new(v, "comments", json_string(typed &&
	    req_form(r, "comments") != NULL ? req_form(r, "comments") : ""));
	json_object_set_new(v, "stated", json_pack("{s:s, s:s}", "endorsements",
	    typed && req_form(r, "endorsements") != NULL ?
	    req_form(r, "endorsements") : "", "number", typed &&
	    req_form(r, "endorsement_number") != NULL ? req_form(r,
	    "endorsement_number") : ""));
	json_object_set_new(v, "rec_yes", json_boolean(rec != NULL &&
	    strcmp(rec, "yes") == 0));
	json_object_set_new(v, "rec_no", json_boolean(rec != NULL &&
	    strcmp(rec, "no") == 0));
	if (errors != NULL && json_object_size(errors) > 0) {
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
		json_object_set_new(v, "error_list", error_list(rs, errors));
		json_object_set(v, "errors", errors);
		json_object_set(json_object_get(v, "stated"), "error",
		    json_object_get(errors, "endorsements") != NULL ?
		    json_object_get(errors, "endorsements") :
		    json_object_get(errors, "endorsement_number"));
		if (json_object_get(errors, "recommend") != NULL)
			json_object_set(v, "recommend_error",
			    json_object_get(errors, "recommend"));
		if (json_object_get(errors, "reason") != NULL)
			json_object_set(v, "reason_error",
			    json_object_get(errors, "reason"));
	}
	json_decref(errors);
	view_page(r, status, "rate/form", arena_printf(&r->arena,
	    "A reference rating for %s", rt->applicant), v);
}

void
page_rate_form(struct req *r)
{
	struct rater	 rt;

	struct derr	 e;
	int		 rc;

	if (rater_load(r, &rt) != 0)
		return;
	/* The waiver this form shows binds the rating: it is stored before
	   the form is shown, in a transaction of its own (the GET's read
	   transaction ends here and a new one reads the rest). */
	db_commit();
	rc = rating_shown(&r->arena, rt.id, rt.status, rt.waiver, &e);
	if (db_begin_read() != 0 && rc == 0)
		rc = derr_set(&e, &r->arena, 503, NULL, "the database is "
		    "busy; reload the page");
	if (rc != 0) {
		view_derr(r, &e);
		return;
	}
	rater_page(r, &rt, 200, NULL, 0, 0);
}

/* The rated form's answers (or a decline's reason) as stored, and the
   event they make; errors filled for what must be answered again. */
static json_t *
rater_answers(struct req *r, const struct ruleset *rs, const char *comments,
    json_t *errors, enum rating_event *ev, int *nunknown)
{
	json_t		*items;
	const char	*v, *rec;
	char		 name[16];
	int		 i, j, unknown = 0;

	items = json_array();
	for (i = 0; i < rs->workflow.nitems; i++) {
		snprintf(name, sizeof name, "item%d", i);
		v = req_form(r, name);
		for (j = 0; v != NULL && j < NSCALE; j++)
			if (strcmp(v, scale_values[j]) == 0)
				break;
		if (v == NULL || j == NSCALE) {
			json_object_set_new(errors, name, json_string(
			    "choose one answer, or \"not enough "
			    "information to rate\""));
			json_array_append_new(items, json_null());
			continue;
		}
		if (j == NSCALE - 1) {
			unknown++;
			json_array_append_new(items, json_null());
		} else
			json_array_append_new(items, json_integer(j + 1));
	}
	rec = req_form(r, "recommend");
	if (rec == NULL || (strcmp(rec, "yes") != 0 &&
	    strcmp(rec, "no") != 0))
		json_object_set_new(errors, "recommend", json_string(
		    "say whether you recommend the applicant"));
	*ev = unknown >= rs->workflow.void_unknown ? RATEV_VOID :
	    RATEV_COMPLETE;
	*nunknown = unknown;
	items = json_pack("{s:o, s:s, s:b}", "items", items, "comments",
	    comments, "recommend", rec != NULL && strcmp(rec, "yes") == 0);
	/* The rater's own statement of their endorsement (issue 15). */
	registry_stated(req_form(r, "endorsements"), req_form(r,
	    "endorsement_number"), items, errors);
	return items;
}

void
page_rate(struct req *r)
{
	struct rater		 rt;
	struct derr		 e;
	json_t			*errors, *answers;
	const char		*action = req_form(r, "action");
	const char		*comments;
	enum rating_event	 ev = RATEV_DECLINE;
	char			*text;
	const char		*anyway = req_form(r, "anyway");
	int			 rc, unknown = 0;

	if (rater_load(r, &rt) != 0)
		return;
	errors = json_object();
	comments = req_form(r, "comments");
	if (comments == NULL)
		comments = "";
	if (strlen(comments) > 10000)
		json_object_set_new(errors, "comments", json_string("at most "
		    "10,000 characters"));
	if (action != NULL && strcmp(action, "decline") == 0) {
		answers = json_pack("{s:s}", "reason",
		    req_form(r, "reason") != NULL ? req_form(r, "reason") : "");
		if (strlen(json_string_value(json_object_get(answers,
		    "reason"))) > 10000) {
			json_decref(answers);
			json_object_set_new(errors, "reason", json_string("at "
			    "most 10,000 characters"));
			rater_page(r, &rt, 400, errors, 1, 0);
			return;
		}
	} else
		answers = rater_answers(r, web_rules(rt.association), comments,
		    errors, &ev, &unknown);
	if (json_object_size(errors) > 0) {
		json_decref(answers);
		rater_page(r, &rt, 400, errors, 1, 0);
		return;
	}
	json_decref(errors);
	/* A form that will not count is sent only once the rater has been
	   told so and chose to send it anyway. */
	if (ev == RATEV_VOID && (anyway == NULL || strcmp(anyway, "yes") !=
	    0)) {
		json_decref(answers);
		rater_page(r, &rt, 200, NULL, 1, unknown);
		return;
	}
	text = json_dumps(answers, JSON_COMPACT);
	json_decref(answers);
	rc = rating_answer(&r->arena, rt.id, rt.app, rt.status, ev, rt.name,
	    text, &e);
	free(text);
	if (rc != 0) {
		view_derr(r, &e);
		return;
	}
	view_page(r, 200, "rate/done", "Thank you", json_pack("{s:b, s:s}",
	    "declined", ev == RATEV_DECLINE, "applicant", rt.applicant));
}
