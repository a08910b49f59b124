/*
 * References and submission.  The applicant asks each rater for a rating
 * from the references tab; the rater gets a private link (random, single
 * purpose, expiring, revocable; only its hash is stored) that opens one
 * form and nothing else.  A completed, declined or void form closes the
 * link.  The applicant sees each request's state and its mail's delivery,
 * can resend or take a fresh link to send another way, and reads a
 * completed form only where the association allows it and they did not
 * waive the right.  When the checklist is met (the exam aside, it comes
 * after review) the applicant submits: the portfolio locks, the
 * processing fee is owed and the application enters the open review
 * cycle.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "banned.h"

/* The rating scale of every item; "n" is "not enough information". */
static const char *const scale_values[] = { "1", "2", "3", "4", "n" };
static const char *const scale_words[] = { "Rarely", "Sometimes", "Often",
	"Consistently", "Not enough information to rate" };
#define NSCALE	5

/* The titles of vocab_domain's domains, in its order. */
static const char *const domain_titles[] = { "Reflection",
	"Working with Others", "Thinking" };

static const char *
fmt_day(struct req *r, int64_t t)
{
	char	 d[11];

	if (t <= 0)
		return NULL;
	date_format((int32_t)(t / 86400), d);
	return arena_strdup(&r->arena, d);
}

/* Whether the owner of the application may read its completed ratings. */
static int
applicant_may_read(const struct app *a)
{
	const struct ruleset	*rs = web_rules(a->association);

	return rs != NULL && rs->workflow.visible == VISIBLE_UNLESS_WAIVED &&
	    !a->waiver;
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
	json_t			*list = json_array(), *w, *notes;
	struct dbq		*st;
	const char		*status, *state, *mstatus;
	int64_t			 now = db_now();
	int			 mine = a->account == r->user.id;

	w = json_object();
	json_object_set_new(w, "status", json_string(db_enum_word(app_status, a->status)));
	json_object_set_new(w, "status_words", json_string(
	    a->status == APP_DRAFT ? "Draft" :
	    a->status == APP_SUBMITTED ? "Submitted: in review" :
	    a->status == APP_EXAM ? "Approved for the exam" :
	    a->status == APP_DEFERRED ? "Deferred: more to do, "
	    "then submit again" :
	    a->status == APP_DENIED ? "Denied" :
	    a->status == APP_ENDORSED ? "Endorsed" : db_enum_word(app_status, a->status)));
	json_object_set_new(w, "waiver", json_boolean(a->waiver));
	json_object_set_new(w, "visible_policy", json_boolean(rs != NULL &&
	    rs->workflow.visible == VISIBLE_UNLESS_WAIVED));
	json_object_set_new(w, "may_read", json_boolean(
	    may_read_ratings(r, a)));
	if (a->submitted > 0) {
		json_object_set_new(w, "submitted", json_string(fmt_day(r,
		    a->submitted)));
		json_object_set_new(w, "fee_owed", json_string(web_fee_owed(
		    &r->arena, a->association, a->category, a->fee_owed)));
	}
	if (a->decision != NULL)
		json_object_set_new(w, "decision", json_pack("{s:s, s:s}",
		    "what", a->decision, "note", a->decision_note != NULL ?
		    a->decision_note : ""));
	json_object_set_new(w, "fee", json_string(web_fee_words(&r->arena,
	    a->association, a->category, 0)));
	json_object_set_new(w, "registration_fee", json_string(web_fee_words(
	    &r->arena, a->association, a->category, 1)));
	json_object_set_new(w, "exams", app_exam_results(a));
	/* What the reviewers wrote for the applicant, once decided. */
	if (a->decision != NULL) {
		notes = json_array();
		st = db_stmt(S_ASSIGN_LIST_APP);
		db_bind_int(st, "$app", a->id);
		while (db_step(st) == DB_ROW)
			if (db_col_text(st, 7) != NULL &&
			    *db_col_text(st, 7) != '\0')
				json_array_append_new(notes, json_pack("{s:s}",
				    "text", (const char *)
				    db_col_text(st, 7)));
		db_reset(st);
		json_object_set_new(w, "notes", notes);
	}
	st = db_stmt(S_ENDORSEMENT_OF_APP);
	db_bind_int(st, "$app", a->id);
	if (db_step(st) == DB_ROW)
		json_object_set_new(w, "endorsement", json_pack("{s:s}",
		    "number", (const char *)db_col_text(st, 1)));
	db_reset(st);

	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a->id);
	while (db_step(st) == DB_ROW) {
		status = (const char *)db_col_text(st, 4);
		if (strcmp(status, "revoked") == 0)
			continue;
		state = rating_state(rs, status, db_col_int64(st, 5),
		    db_col_int64(st, 8), now);
		mstatus = (const char *)db_col_text(st, 9);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s?, s:s?, s:s, s:b, s:b, s:b}",
		    "id", (json_int_t)db_col_int64(st, 0),
		    "email", (const char *)db_col_text(st, 1),
		    "name", (const char *)db_col_text(st, 2),
		    "state", state, "state_words", refstatus_words(state),
		    "sent", fmt_day(r, db_col_int64(st, 6)),
		    "answered", fmt_day(r, db_col_int64(st, 8)),
		    "mail", mstatus == NULL ? "not queued" :
		    mail_status(&r->arena, mstatus, db_col_int(st, 10),
		    (const char *)db_col_text(st, 11),
		    db_col_int64(st, 12), db_col_int64(st, 13)),
		    "open", strcmp(state, "sent") == 0 ||
		    strcmp(state, "opened") == 0 || (strcmp(state, "expired") ==
		    0 && strcmp(status, "completed") != 0),
		    "readable", strcmp(status, "completed") == 0 &&
		    may_read_ratings(r, a),
		    "void", strcmp(state, "void") == 0));
	}
	db_reset(st);
	json_object_set_new(w, "ratings", list);
	json_object_set_new(w, "n_ratings",
	    json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(w, "mine", json_boolean(mine));
	json_object_set_new(v, "workflow", w);
}

/* ------------------------------------------------------ rating requests */

/* A new token for a request: the link into out, the hash stored. */
static const char *
new_link(struct req *r, char hash[65])
{
	char	 tok[65];

	auth_random(tok);
	auth_hash_token(tok, hash);
	return arena_printf(&r->arena, "%s/rate/%s", cfg.base_url, tok);
}

/* Mail the rater their link; the outbox row is tied to the request so
   that the applicant sees whether it went out. */
static int
mail_rater(struct req *r, const struct app *a, int64_t rating,
    const char *to, const char *name, const char *link)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct dbq		*st;

	if (mail_send(&(struct mail){ to, arena_printf(&r->arena,
	    "A reference rating for %s", r->user.name), arena_printf(
	    &r->arena, "Dear %s,\n\n%s has applied for the %s (%s) "
	    "Endorsement of %s and asks you for a reference rating.\n\n"
	    "Your private link, valid for %d days:\n%s\n\nIt opens the "
	    "rating form and nothing else. You may also decline there.\n",
	    name, r->user.name, web_category_title(a->association,
	    a->category), a->category, rs != NULL ? rs->name : a->association,
	    rs != NULL ? rs->workflow.link_days : 30, link), a->association,
	    1 }) != 0)
		return -1;
	st = db_stmt(S_RATING_SET_OUTBOX);
	db_bind_int(st, "$outbox", db_last_id());
	db_bind_int(st, "$id", rating);
	return db_exec(st);
}

static int64_t
link_expiry(const struct app *a)
{
	const struct ruleset	*rs = web_rules(a->association);

	return db_now() + (int64_t)(rs != NULL ? rs->workflow.link_days : 30) *
	    86400;
}

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

void
page_rating_request(struct req *r)
{
	struct app	 a;
	struct dbq	*st;
	json_t		*e = NULL;
	const char	*email, *name, *rel, *link;
	char		 hash[65];
	int64_t		 id;

	if (load_for_ratings(r, &a) != 0)
		return;
	st = db_stmt(S_ENTRY_GET);
	db_bind_int(st, "$id", r->id2);
	db_bind_int(st, "$app", a.id);
	if (db_step(st) == DB_ROW && strcmp((const char *)
	    db_col_text(st, 2), "references") == 0)
		e = json_loads((const char *)db_col_text(st, 3), 0,
		    NULL);
	db_reset(st);
	if (e == NULL) {
		view_error(r, 404, "there is no such reference");
		return;
	}
	email = arena_strdup(&r->arena, json_string_value(json_object_get(e,
	    "email")));
	name = arena_strdup(&r->arena, json_string_value(json_object_get(e,
	    "name")));
	rel = arena_strdup(&r->arena, json_string_value(json_object_get(e,
	    "relationship")));
	json_decref(e);
	if (email == NULL || name == NULL || rel == NULL) {
		view_error(r, 400, "the reference needs the rater's name, "
		    "e-mail and relationship");
		return;
	}
	if (strcasecmp(email, r->user.email) == 0) {
		view_error(r, 400, "email: you cannot rate yourself; ask "
		    "someone else");
		return;
	}
	link = new_link(r, hash);
	if (db_begin() != 0)
		goto busy;
	/* One open request per rater: a new one replaces the old link. */
	st = db_stmt(S_RATING_REVOKE_EMAIL);
	db_bind_int(st, "$app", a.id);
	db_bind_text(st, "$email", email);
	if (db_exec(st) != 0)
		goto fail;
	st = db_stmt(S_RATING_INSERT);
	db_bind_int(st, "$app", a.id);
	db_bind_text(st, "$email", email);
	db_bind_text(st, "$name", name);
	db_bind_text(st, "$rel", rel);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$expires", link_expiry(&a));
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	id = db_last_id();
	if (mail_rater(r, &a, id, email, name, link) != 0 ||
	    audit_log(r, "rating", id, "request", json_pack("{s:I, s:s}",
	    "application", (json_int_t)a.id, "email", email)) != 0 ||
	    db_commit() != 0)
		goto fail;
	back_to_refs(r, &a);
	return;
fail:
	db_rollback();
busy:
	view_error(r, 503, "the request could not be stored; try again");
}

/* A request of this application that is still open (sent or opened,
   expired or not): its e-mail and name into the arena; 0 or -1. */
static int
open_request(struct req *r, const struct app *a, char **email, char **name)
{
	struct dbq	*st = db_stmt(S_RATING_GET);
	const char	*status;
	int		 ok = 0;

	db_bind_int(st, "$id", r->id2);
	db_bind_int(st, "$app", a->id);
	if (db_step(st) == DB_ROW) {
		status = (const char *)db_col_text(st, 4);
		ok = strcmp(status, "sent") == 0 ||
		    strcmp(status, "opened") == 0;
		*email = db_text(&r->arena, st, 1);
		*name = db_text(&r->arena, st, 2);
	}
	db_reset(st);
	if (!ok)
		view_error(r, 404, "there is no open request with that number; "
		    "ask the rater again from the reference");
	return ok ? 0 : -1;
}

/* Resend (mail a fresh link) or take a fresh link to send another way:
   either way the old link stops working. */
static void
rating_relink(struct req *r, int by_mail)
{
	struct app	 a;
	struct dbq	*st;
	char		*email, *name, hash[65];
	const char	*link;
	json_t		*v;

	if (load_for_ratings(r, &a) != 0 || open_request(r, &a, &email,
	    &name) != 0)
		return;
	link = new_link(r, hash);
	if (db_begin() != 0)
		goto busy;
	st = db_stmt(S_RATING_REHASH);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$expires", link_expiry(&a));
	db_bind_int(st, "$now", db_now());
	db_bind_int(st, "$id", r->id2);
	db_bind_int(st, "$app", a.id);
	if (db_exec(st) != 0 || db_changes() != 1)
		goto fail;
	if (by_mail && mail_rater(r, &a, r->id2, email, name, link) != 0)
		goto fail;
	if (audit_log(r, "rating", r->id2, by_mail ? "resend" : "link",
	    json_pack("{s:I}", "application", (json_int_t)a.id)) != 0 ||
	    db_commit() != 0)
		goto fail;
	if (by_mail) {
		back_to_refs(r, &a);
		return;
	}
	/* Shown once: only its hash is kept. */
	v = app_view(r, &a, "references");
	json_object_set_new(v, "link", json_string(link));
	json_object_set_new(v, "rater", json_string(name));
	view_page(r, 200, "apply/link", "A new link for the rater", v);
	return;
fail:
	db_rollback();
busy:
	view_error(r, 503, "the link could not be renewed; try again");
}

void
page_rating_resend(struct req *r)
{
	rating_relink(r, 1);
}

void
page_rating_link(struct req *r)
{
	rating_relink(r, 0);
}

void
page_rating_revoke(struct req *r)
{
	struct app	 a;
	struct dbq	*st;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_RATING_REVOKE);
	db_bind_int(st, "$id", r->id2);
	db_bind_int(st, "$app", a.id);
	if (db_exec(st) != 0 || db_changes() != 1) {
		db_rollback();
		view_error(r, 404, "there is no open request with that number");
		return;
	}
	if (audit_log(r, "rating", r->id2, "revoke", json_pack("{s:I}",
	    "application", (json_int_t)a.id)) != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 503, "the request could not be revoked");
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
	struct dbq		*st;
	json_t			*v, *answers = NULL;
	char			*name = NULL, *status = NULL, *text = NULL;
	int64_t			 answered = 0;

	if (load_or_deny(r, r->id, 0, &a) != 0)
		return;
	rs = web_rules(a.association);
	st = db_stmt(S_RATING_GET);
	db_bind_int(st, "$id", r->id2);
	db_bind_int(st, "$app", a.id);
	if (db_step(st) == DB_ROW) {
		name = db_text(&r->arena, st, 2);
		status = db_text(&r->arena, st, 4);
		answered = db_col_int64(st, 8);
		text = db_text(&r->arena, st, 9);
	}
	db_reset(st);
	if (status == NULL || rs == NULL) {
		view_error(r, 404, "there is no such rating");
		return;
	}
	/* The applicant is told a void form needs replacing, never what
	   it said; a completed one only where the policy lets them. */
	if (!may_read_ratings(r, &a) || (a.account == r->user.id &&
	    strcmp(status, "completed") != 0)) {
		view_error(r, 403, "your association does not let applicants "
		    "read their reference ratings" );
		return;
	}
	if (strcmp(status, "completed") != 0 && strcmp(status, "void") != 0 &&
	    strcmp(status, "declined") != 0) {
		view_error(r, 404, "this rating has not been answered");
		return;
	}
	if (text != NULL)
		answers = json_loads(text, 0, NULL);
	v = app_view(r, &a, "references");
	json_object_set_new(v, "rater", json_string(name));
	json_object_set_new(v, "state_words", json_string(
	    refstatus_words(status)));
	json_object_set_new(v, "answered", json_string(fmt_day(r, answered)));
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
	struct dbq	*st;
	const char	*w = req_form(r, "waive");
	int		 on, answered = 0;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	if (w == NULL || (strcmp(w, "yes") != 0 && strcmp(w, "no") != 0)) {
		view_error(r, 400, "waive: answer yes or no");
		return;
	}
	on = strcmp(w, "yes") == 0;
	/* A rater who answered under a waiver was promised confidence. */
	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a.id);
	while (db_step(st) == DB_ROW)
		if (!db_col_null(st, 8))
			answered = 1;
	db_reset(st);
	if (!on && a.waiver && answered) {
		view_error(r, 409, "waive: a rater has answered under your "
		    "waiver; it cannot be withdrawn now");
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_APP_SET_WAIVER);
	db_bind_int(st, "$waiver", on);
	db_bind_int(st, "$id", a.id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || audit_log(r, "application", a.id, "waiver",
	    json_pack("{s:b}", "waived", on)) != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 503, "the waiver could not be stored");
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
	char		*status;
	int64_t		 expires;
	char		*association;
	char		*category;
	char		*applicant;
	int		 waiver;
};

/* The request of a link, or an answer sent: unknown links, used ones and
   expired ones open nothing. */
static int
rater_load(struct req *r, struct rater *rt)
{
	struct dbq	*st;
	char		 hash[65];
	int		 found = 0;

	memset(rt, 0, sizeof *rt);
	if (strlen(r->word) != 64) {
		view_error(r, 404, "this rating link is not valid");
		return -1;
	}
	auth_hash_token(r->word, hash);
	st = db_stmt(S_RATING_BY_HASH);
	db_bind_text(st, "$hash", hash);
	if (db_step(st) == DB_ROW) {
		found = 1;
		rt->id = db_col_int64(st, 0);
		rt->app = db_col_int64(st, 1);
		rt->email = db_text(&r->arena, st, 2);
		rt->name = db_text(&r->arena, st, 3);
		rt->status = db_text(&r->arena, st, 5);
		rt->expires = db_col_int64(st, 6);
		rt->association = db_text(&r->arena, st, 7);
		rt->category = db_text(&r->arena, st, 8);
		rt->applicant = db_text(&r->arena, st, 9);
		rt->waiver = db_col_int(st, 10);
	}
	db_reset(st);
	if (!found) {
		view_error(r, 404, "this rating link is not valid");
		return -1;
	}
	if (strcmp(rt->status, "revoked") == 0) {
		view_error(r, 410, "this link was withdrawn; if you were "
		    "sent a newer one, use that");
		return -1;
	}
	if (strcmp(rt->status, "sent") != 0 &&
	    strcmp(rt->status, "opened") != 0) {
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

static void
rater_page(struct req *r, const struct rater *rt, int status,
    json_t *errors)
{
	const struct ruleset	*rs = web_rules(rt->association);
	json_t			*v = json_object();
	const char		*rec = status == 400 ? req_form(r, "recommend") :
				    NULL;

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
	json_object_set_new(v, "expires", json_string(fmt_day(r,
	    rt->expires)));
	json_object_set_new(v, "domains", items_view(rs, NULL, 1,
	    status == 400 ? r : NULL, errors));
	json_object_set_new(v, "comments", json_string(status == 400 &&
	    req_form(r, "comments") != NULL ? req_form(r, "comments") : ""));
	json_object_set_new(v, "rec_yes", json_boolean(rec != NULL &&
	    strcmp(rec, "yes") == 0));
	json_object_set_new(v, "rec_no", json_boolean(rec != NULL &&
	    strcmp(rec, "no") == 0));
	if (errors != NULL && json_object_size(errors) > 0) {
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
		json_object_set(v, "errors", errors);
		if (json_object_get(errors, "recommend") != NULL)
			json_object_set(v, "recommend_error",
			    json_object_get(errors, "recommend"));
	}
	json_decref(errors);
	view_page(r, status, "rate/form", arena_printf(&r->arena,
	    "A reference rating for %s", rt->applicant), v);
}

void
page_rate_form(struct req *r)
{
	struct rater	 rt;
	struct dbq	*st;

	if (rater_load(r, &rt) != 0)
		return;
	/* "opened" for the applicant; best effort inside the GET's read
	   transaction (a lost race only leaves it "sent"). */
	st = db_stmt(S_RATING_OPEN);
	db_bind_int(st, "$id", rt.id);
	db_bind_int(st, "$now", db_now());
	db_step(st);
	db_reset(st);
	rater_page(r, &rt, 200, NULL);
}

void
page_rate(struct req *r)
{
	const struct ruleset	*rs;
	struct rater		 rt;
	struct app		 a;
	struct dbq		*st;
	json_t			*errors, *items, *answers;
	const char		*action = req_form(r, "action");
	const char		*v, *rec, *comments, *state, *subject;
	char			 name[16], *text;
	int			 i, j, unknown = 0, rc;

	if (rater_load(r, &rt) != 0)
		return;
	rs = web_rules(rt.association);
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
			rater_page(r, &rt, 400, errors);
			return;
		}
		state = "declined";
	} else {
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
				json_array_append_new(items,
				    json_integer(j + 1));
		}
		rec = req_form(r, "recommend");
		if (rec == NULL || (strcmp(rec, "yes") != 0 &&
		    strcmp(rec, "no") != 0))
			json_object_set_new(errors, "recommend", json_string(
			    "say whether you recommend the applicant"));
		answers = json_pack("{s:o, s:s, s:b}", "items", items,
		    "comments", comments, "recommend", rec != NULL &&
		    strcmp(rec, "yes") == 0);
		state = unknown >= rs->workflow.void_unknown ? "void" :
		    "completed";
	}
	if (json_object_size(errors) > 0) {
		json_decref(answers);
		rater_page(r, &rt, 400, errors);
		return;
	}
	json_decref(errors);
	text = json_dumps(answers, JSON_COMPACT);
	json_decref(answers);
	if (db_begin() != 0) {
		free(text);
		view_error(r, 503, "the database is busy; your answers were not "
		    "stored; send the form again");
		return;
	}
	st = db_stmt(S_RATING_ANSWER);
	db_bind_text(st, "$status", state);
	db_bind_text(st, "$answers", text);
	db_bind_int(st, "$id", rt.id);
	db_bind_int(st, "$now", db_now());
	rc = db_exec(st);
	free(text);
	if (rc != 0 || db_changes() != 1) {
		db_rollback();
		view_error(r, 410, "this form has been answered already");
		return;
	}
	/* The rater has no account: the row is read for the notice. */
	if (app_get(r, rt.app, &a) != 0) {
		db_rollback();
		view_error(r, 410, "this application no longer exists");
		return;
	}
	subject = strcmp(state, "completed") == 0 ? "A reference rating is "
	    "complete" : strcmp(state, "declined") == 0 ? "A rater declined "
	    "your request" : "A reference form needs replacing";
	if (audit_log(r, "rating", rt.id, state, json_pack("{s:I, s:s}",
	    "application", (json_int_t)rt.app, "by", "the rater")) != 0 ||
	    app_notify(r, &a,
	    subject, arena_printf(&r->arena, "%s\n\nRater: %s\n\n%s\n",
	    subject, rt.name, strcmp(state, "void") == 0 ? "The form has too "
	    "many \"not enough information\" answers to count. Ask this rater "
	    "again, or ask someone who knows your work better." :
	    strcmp(state, "declined") == 0 ? "Ask someone else from your "
	    "references tab." : "It now counts toward your references.")) !=
	    0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 503, "your answers were not stored; send the form "
		    "again");
		return;
	}
	view_page(r, 200, "rate/done", "Thank you", json_pack("{s:b, s:s}",
	    "declined", strcmp(state, "declined") == 0, "applicant",
	    rt.applicant));
}

/* ------------------------------------------------------------ submission */

void
page_submit(struct req *r)
{
	const struct ruleset	*rs;
	struct app		 a;
	struct dbq		*st;
	json_t			*doc, *check;
	char			*cause = NULL;
	int64_t			 cycle = 0;
	char			 today[11];
	int			 ready, fee;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	rs = web_rules(a.association);
	doc = app_portfolio(r, &a);
	check = app_checklist(r, &a, doc, &cause);
	ready = app_ready(check);
	json_decref(doc);
	json_decref(check);
	free(cause);
	if (!ready || rs == NULL) {
		view_error(r, 409, "the checklist is not yet met: every "
		    "requirement but the exam must be met before you submit");
		return;
	}
	/* No amount in the rule set: the association bills it itself. */
	if ((fee = workflow_fee(rs, a.category)) < 0)
		fee = 0;
	date_format(web_today(), today);
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_CYCLE_CURRENT);
	db_bind_text(st, "$assoc", a.association);
	db_bind_text(st, "$today", today);
	if (db_step(st) == DB_ROW)
		cycle = db_col_int64(st, 0);
	db_reset(st);
	st = db_stmt(S_APP_SUBMIT);
	db_bind_int(st, "$fee", fee);
	if (cycle > 0)
		db_bind_int(st, "$cycle", cycle);
	else
		db_bind_null(st, "$cycle");
	db_bind_int(st, "$id", a.id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_changes() != 1)
		goto fail;
	/* A review left unfinished when the application came back to the
	   applicant belongs to no round now. */
	st = db_stmt(S_ASSIGN_CLEAR_OPEN);
	db_bind_int(st, "$app", a.id);
	if (db_exec(st) != 0)
		goto fail;
	if (audit_log(r, "application", a.id, "submit", json_pack("{s:s, "
	    "s:s, s:i, s:I}", "from", db_enum_word(app_status, a.status), "to", "submitted", "fee", fee,
	    "cycle", (json_int_t)cycle)) != 0 || app_notify(r, &a,
	    "Your application is submitted", arena_printf(&r->arena,
	    "Your %s (%s) application to %s is submitted and locked.\n\n"
	    "Processing fee: %s.\n\n%s\n", web_category_title(
	    a.association, a.category), a.category, rs->name, web_fee_words(
	    &r->arena, a.association, a.category, 0), cycle > 0 ?
	    "It is in the current review cycle." : "It will enter the next "
	    "review cycle when the association opens one.")) != 0 ||
	    db_commit() != 0)
		goto fail;
	reply_redirect(r, "/applications/%lld", (long long)a.id);
	return;
fail:
	db_rollback();
	view_error(r, 409, "the application could not be submitted; reload "
	    "the page and try again");
}
