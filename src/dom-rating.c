/*
 * References (dom-rating.h): the rating request's machine and the writes
 * that move a request along it.  Each change reads the request's status,
 * asks rating_machine, and updates the row only while it is still in
 * that status.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-app.h"
#include "dom-rating.h"
#include "banned.h"

#define A	SM_WHO_APPLICANT
#define R	SM_WHO_RATER
static const struct sm_line rating_lines[] = {
	{ RATING_SENT,	 RATEV_OPEN,	 RATING_OPENED,	   R },
	{ RATING_SENT,	 RATEV_COMPLETE, RATING_COMPLETED, R },
	{ RATING_OPENED, RATEV_COMPLETE, RATING_COMPLETED, R },
	{ RATING_SENT,	 RATEV_DECLINE,	 RATING_DECLINED,  R },
	{ RATING_OPENED, RATEV_DECLINE,	 RATING_DECLINED,  R },
	{ RATING_SENT,	 RATEV_VOID,	 RATING_VOID,	   R },
	{ RATING_OPENED, RATEV_VOID,	 RATING_VOID,	   R },
	{ RATING_SENT,	 RATEV_REVOKE,	 RATING_REVOKED,   A },
	{ RATING_OPENED, RATEV_REVOKE,	 RATING_REVOKED,   A },
	{ RATING_SENT,	 RATEV_RELINK,	 RATING_SENT,	   A },
	{ RATING_OPENED, RATEV_RELINK,	 RATING_SENT,	   A },
};
#undef A
#undef R
static const char *const rating_events[RATEV__N] = {
	"open", "complete", "decline", "void", "revoke", "renew the link of"
};
const struct sm rating_machine = { "rating request", rating_lines,
    (int)(sizeof rating_lines / sizeof rating_lines[0]),
    rating_status_names, rating_events };

/* The rater has no account: their audit rows name no one. */
static const struct actor actor_rater = { ACTOR_NOBODY, 0, NULL, "rater",
    NULL, "the rater" };

/* Sent and opened requests still wait for the rater (expired or not). */
int
rating_open_status(enum rating_status s)
{
	return s == RATING_SENT || s == RATING_OPENED;
}

/* A new token: the link for the rater, its hash kept. */
static const char *
new_link(struct arena *arena, char hash[65])
{
	char	 tok[65];

	auth_random(tok);
	auth_hash_token(tok, hash);
	return arena_printf(arena, "%s/rate/%s", cfg.base_url, tok);
}

static int64_t
link_expiry(const struct app *a)
{
	const struct ruleset	*rs = web_rules(a->association);

	return db_now() + (int64_t)(rs != NULL ? rs->workflow.link_days : 30) *
	    86400;
}

/* Mail the rater their link; the outbox row is tied to the request so
   that the applicant sees whether it went out. */
static int
mail_rater(const struct actor *who, struct arena *arena, const struct app *a,
    int64_t rating, const char *to, const char *name, const char *link)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct dbq		*st;

	(void)name;	/* typed by the applicant: not in the greeting */
	if (mail_send(&(struct mail){ to, arena_printf(arena,
	    "A reference rating for %s", who->name), arena_printf(
	    arena, "Hello,\n\n%s has applied for the %s (%s) "
	    "Endorsement of %s and asks you for a reference rating.\n\n"
	    "Your private link, valid for %d days:\n%s\n\nIt opens the "
	    "rating form and nothing else. You may also decline there.\n",
	    who->name, web_category_title(a->association,
	    a->category), a->category, rs != NULL ? rs->name : a->association,
	    rs != NULL ? rs->workflow.link_days : 30, link), a->association,
	    1 }) != 0)
		return -1;
	st = db_stmt(S_RATING_SET_OUTBOX);
	db_bind_int(st, "$outbox", db_last_id());
	db_bind_int(st, "$id", rating);
	return db_exec(st);
}

/* Revoke request id of app, in status from, as who (SM_WHO_* bits):
   the machine, then the row while it is still in from.  The other moves
   carry more than the status (a new hash, the answers, the time it was
   opened) and have their own statements. */
static int
rating_revoke_one(struct arena *arena, int64_t id, int64_t app,
    enum rating_status from, unsigned who, struct derr *e)
{
	struct dbq	*st;
	int		 to;

	if ((to = sm_apply(&rating_machine, (int)from, RATEV_REVOKE, who, e,
	    arena)) < 0)
		return -1;
	st = db_stmt(S_RATING_REVOKE);
	db_bind_enum(st, "$status", rating_status, to);
	db_bind_enum(st, "$from", rating_status, from);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$app", app);
	if (db_exec(st) != 0 || db_changes() != 1)
		return -1;
	return 0;
}

/* One open request per rater: a new one replaces the old link.  Each
   open request to the address (without case) is revoked in turn. */
static int
revoke_email(struct arena *arena, int64_t app, const char *email)
{
	struct dbq		*st;
	struct row_rating_list	 row;
	enum rating_status	 from = RATING_SENT;
	int64_t			 id;
	int			 n;

	for (n = 0; n < 1000; n++) {
		id = 0;
		st = db_stmt(S_RATING_LIST);
		db_bind_int(st, "$app", app);
		while (row_rating_list(st, NULL, &row) == DB_ROW)
			if (rating_open_status(row.status) &&
			    strcasecmp(row.email, email) == 0) {
				id = row.id;
				from = row.status;
				break;
			}
		db_reset(st);
		if (id == 0)
			return 0;
		if (rating_revoke_one(arena, id, app, from, SM_WHO_APPLICANT,
		    NULL) != 0)
			return -1;
	}
	return -1;
}

/* The replaced request, the new one, its mail and its audit row: one
   transaction, so a rater never holds two live links. */
int
rating_request(const struct actor *who, struct arena *arena,
    const struct app *a, const char *email, const char *name,
    const char *rel, struct derr *e)
{
	struct dbq	*st;
	const char	*link;
	char		 hash[65];
	int64_t		 id;

	if (mail_limit(arena, who->id, email, e) != 0)
		return -1;
	link = new_link(arena, hash);
	if (db_begin() != 0)
		goto busy;
	if (revoke_email(arena, a->id, email) != 0)
		goto fail;
	st = db_stmt(S_RATING_INSERT);
	db_bind_int(st, "$app", a->id);
	db_bind_text(st, "$email", email);
	db_bind_text(st, "$name", name);
	db_bind_text(st, "$rel", rel);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$expires", link_expiry(a));
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	id = db_last_id();
	if (mail_rater(who, arena, a, id, email, name, link) != 0 ||
	    audit_write(who, "rating", id, "request", json_pack("{s:I, s:s}",
	    "application", (json_int_t)a->id, "email", email)) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
busy:
	return derr_set(e, arena, 503, NULL, "the request could not be "
	    "stored; try again");
}

/* One reader of a request for the applicant's and the coordinator's
   pages and for the changes here. */
int
rating_get(struct arena *arena, int64_t id, int64_t app,
    struct row_rating_get *row)
{
	struct dbq	*st = db_stmt(S_RATING_GET);
	int		 rc;

	db_bind_int(st, "$id", id);
	db_bind_int(st, "$app", app);
	rc = row_rating_get(st, arena, row);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* The old hash is replaced, so the old link opens nothing from now on. */
int
rating_relink(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t rating, int by_mail, const char **link,
    const char **rater, struct derr *e)
{
	struct row_rating_get	 row;
	struct dbq		*st;
	char			 hash[65];
	int			 to;

	if (rating_get(arena, rating, a->id, &row) != 0 ||
	    !rating_open_status(row.status))
		return derr_set(e, arena, 404, NULL, "there is no open "
		    "request with that number; ask the rater again from the "
		    "reference");
	if ((to = sm_apply(&rating_machine, (int)row.status, RATEV_RELINK,
	    app_who(who, a), e, arena)) < 0)
		return -1;
	*rater = row.name;
	if (by_mail && mail_limit(arena, who->id, row.email, e) != 0)
		return -1;
	*link = new_link(arena, hash);
	if (db_begin() != 0)
		goto busy;
	st = db_stmt(S_RATING_REHASH);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$expires", link_expiry(a));
	db_bind_int(st, "$now", db_now());
	db_bind_int(st, "$id", rating);
	db_bind_int(st, "$app", a->id);
	db_bind_enum(st, "$status", rating_status, to);
	db_bind_enum(st, "$from", rating_status, row.status);
	if (db_exec(st) != 0 || db_changes() != 1)
		goto fail;
	if (by_mail && mail_rater(who, arena, a, rating, row.email, row.name,
	    *link) != 0)
		goto fail;
	if (audit_write(who, "rating", rating, by_mail ? "resend" : "link",
	    json_pack("{s:I}", "application", (json_int_t)a->id)) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
busy:
	return derr_set(e, arena, 503, NULL, "the link could not be renewed; "
	    "try again");
}

/* The applicant withdraws a request; its link opens nothing after. */
int
rating_revoke(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t rating, struct derr *e)
{
	struct row_rating_get	 row;

	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	if (rating_get(arena, rating, a->id, &row) != 0 ||
	    !rating_open_status(row.status) ||
	    rating_revoke_one(arena, rating, a->id, row.status,
	    app_who(who, a), NULL) != 0) {
		db_rollback();
		return derr_set(e, arena, 404, NULL, "there is no open request "
		    "with that number");
	}
	if (audit_write(who, "rating", rating, "revoke", json_pack("{s:I}",
	    "application", (json_int_t)a->id)) != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, arena, 503, NULL, "the request could not be "
		    "revoked");
	}
	return 0;
}

/* "opened" tells the applicant the rater saw the form. */
void
rating_opened(int64_t rating, enum rating_status from)
{
	struct dbq	*st;
	int		 to;

	if ((to = sm_apply(&rating_machine, (int)from, RATEV_OPEN,
	    SM_WHO_RATER, NULL, NULL)) < 0)
		return;
	st = db_stmt(S_RATING_OPEN);
	db_bind_enum(st, "$status", rating_status, to);
	db_bind_enum(st, "$from", rating_status, from);
	db_bind_int(st, "$id", rating);
	db_bind_int(st, "$now", db_now());
	db_step(st);
	db_reset(st);
}

/* What the applicant is told of an answer. */
static const char *
answer_mail(struct arena *arena, int to, const char *rater,
    const char **subject)
{
	*subject = to == RATING_COMPLETED ? "A reference rating is "
	    "complete" : to == RATING_DECLINED ? "A rater declined "
	    "your request" : "A reference form needs replacing";
	return arena_printf(arena, "%s\n\nRater: %s\n\n%s\n", *subject, rater,
	    to == RATING_VOID ? "The form has too many \"not enough "
	    "information\" answers to count. Ask this rater again, or ask "
	    "someone who knows your work better." : to == RATING_DECLINED ?
	    "Ask someone else from your references tab." : "It now counts "
	    "toward your references.");
}

/* The answer, its audit row and the applicant's notice are stored
   together: a rater told "thank you" has been counted. */
int
rating_answer(struct arena *arena, int64_t rating, int64_t app,
    enum rating_status from, enum rating_event ev, const char *rater,
    const char *answers, struct derr *e)
{
	struct dbq	*st;
	struct app	 a;
	const char	*subject, *body;
	int		 to;

	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "your answers were not stored; send the form again");
	if ((to = sm_apply(&rating_machine, (int)from, (int)ev, SM_WHO_RATER,
	    NULL, arena)) < 0)
		goto answered;
	st = db_stmt(S_RATING_ANSWER);
	db_bind_enum(st, "$status", rating_status, to);
	db_bind_enum(st, "$from", rating_status, from);
	db_bind_text(st, "$answers", answers);
	db_bind_int(st, "$id", rating);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_changes() != 1)
		goto answered;
	/* The rater has no account: the row is read for the notice. */
	if (app_read(arena, app, &a) != 0) {
		db_rollback();
		return derr_set(e, arena, 410, NULL, "this application no "
		    "longer exists");
	}
	body = answer_mail(arena, to, rater, &subject);
	if (audit_write(&actor_rater, "rating", rating, db_enum_word(
	    rating_status, to), json_pack("{s:I, s:s}", "application",
	    (json_int_t)app, "by", "the rater")) != 0 ||
	    app_mail(arena, &a, subject, body) != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, arena, 503, NULL, "your answers were not "
		    "stored; send the form again");
	}
	return 0;
answered:
	db_rollback();
	return derr_set(e, arena, 410, NULL, "this form has been answered "
	    "already");
}

/* Only the hash of a token is stored: a leaked database opens no form. */
int
rating_by_token(struct arena *arena, const char *token,
    struct row_rating_by_hash *row)
{
	struct dbq	*st;
	char		 hash[65];
	int		 rc;

	auth_hash_token(token, hash);
	st = db_stmt(S_RATING_BY_HASH);
	db_bind_text(st, "$hash", hash);
	rc = row_rating_by_hash(st, arena, row);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* A day of a time, for the page; NULL for none. */
static const char *
day_of(struct arena *arena, int64_t t)
{
	char	 d[11];

	if (t <= 0)
		return NULL;
	date_format((int32_t)(t / 86400), d);
	return arena_strdup(arena, d);
}

/* Each request as the applicant's page shows it: its state as the
   portfolio sees it, its mail's delivery, what may be done with it. */
json_t *
rating_view(struct arena *arena, const struct app *a, int may_read)
{
	const struct ruleset	*rs = web_rules(a->association);
	json_t			*list = json_array();
	struct dbq		*st;
	struct row_rating_list	 rt;
	const char		*state;
	int64_t			 now = db_now();

	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a->id);
	while (row_rating_list(st, NULL, &rt) == DB_ROW) {
		if (rt.status == RATING_REVOKED)
			continue;
		state = rating_state(rs, rt.status, rt.expires, rt.answered,
		    now);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s?, s:s?, s:s, s:b, s:b, s:b}",
		    "id", (json_int_t)rt.id, "email", rt.email,
		    "name", rt.name,
		    "state", state, "state_words", refstatus_words(state),
		    "sent", day_of(arena, rt.sent),
		    "answered", day_of(arena, rt.answered),
		    "mail", rt.mail_status == OUTBOX_NONE ? "not queued" :
		    mail_outbox_words(arena, rt.mail_status, (int)rt.attempts,
		    rt.last_error, rt.sent_at, rt.next_try),
		    "open", rating_open_status(rt.status),
		    "readable", rt.status == RATING_COMPLETED && may_read,
		    "void", rt.status == RATING_VOID));
	}
	db_reset(st);
	return list;
}
