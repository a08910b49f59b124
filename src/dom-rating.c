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
#include "dom-notify.h"
#include "dom-rating.h"
#include "banned.h"

#define A	SM_WHO_APPLICANT
#define C	SM_WHO_COORDINATOR
#define R	SM_WHO_RATER
#define S	SM_WHO_SYSTEM
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
	{ RATING_SENT,	 RATEV_REDIRECT, RATING_SENT,	   C },
	{ RATING_OPENED, RATEV_REDIRECT, RATING_SENT,	   C },
	{ RATING_SENT,	 RATEV_HAND,	 RATING_SENT,	   C },
	{ RATING_OPENED, RATEV_HAND,	 RATING_SENT,	   C },
	{ RATING_COMPLETED, RATEV_REPLACE, RATING_REVOKED, A },
	{ RATING_SENT,	 RATEV_REMIND,	 RATING_SENT,	   C | S },
	{ RATING_OPENED, RATEV_REMIND,	 RATING_SENT,	   C | S },
};
#undef A
#undef C
#undef R
#undef S
static const char *const rating_events[RATEV__N] = {
	"open", "complete", "decline", "void", "revoke", "renew the link of",
	"re-send to a corrected address", "hand the link over",
	"replace the completed rating of", "remind the rater of"
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

/* A reminder's mail: a fresh link, since only the old one's hash is
   kept; the outbox row tied to the request as mail_rater does. */
static int
mail_nudge(struct arena *arena, const struct app *a, int64_t rating,
    const char *to, const struct rating_nudge *nd, const char *link)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct dbq		*st;

	if (mail_send(&(struct mail){ to, arena_printf(arena, "Reminder: a "
	    "reference rating for %s", nd->applicant), arena_printf(arena,
	    "Hello,\n\n%s asked you for a reference rating for the %s (%s) "
	    "Endorsement of %s, and it is not answered yet.\n\nA new private "
	    "link, valid for %d days (the earlier link no longer opens):\n%s"
	    "\n\nIt opens the rating form and nothing else. You may also "
	    "decline there.\n", nd->applicant, web_category_title(
	    a->association, a->category), a->category, rs != NULL ? rs->name :
	    a->association, rs != NULL ? rs->workflow.link_days : 30, link),
	    a->association, 1 }) != 0)
		return -1;
	st = db_stmt(S_RATING_SET_OUTBOX);
	db_bind_int(st, "$outbox", db_last_id());
	db_bind_int(st, "$id", rating);
	return db_exec(st);
}

/* A scheduled reminder counts as sent once: 1 when it was not yet. */
static int
nudge_once(int64_t rating, const struct rating_nudge *nd)
{
	struct dbq	*st;

	if (nd->days == 0)
		return 1;
	st = db_stmt(S_REMINDER_INSERT);
	db_bind_text(st, "$kind", "rater");
	db_bind_int(st, "$ref", rating);
	db_bind_text(st, "$due", nd->due);
	db_bind_int(st, "$days", nd->days);
	db_bind_int(st, "$now", db_now());
	return db_exec(st) == 0 && db_changes() == 1;
}

/* Revoke request id of app, in status from, as who (SM_WHO_* bits) by
   ev (RATEV_REVOKE, or RATEV_REPLACE for a completed rating): the
   machine, then the row while it is still in from.  The other moves
   carry more than the status (a new hash, the answers, the time it was
   opened) and have their own statements. */
static int
rating_revoke_one(struct arena *arena, int64_t id, int64_t app,
    enum rating_status from, enum rating_event ev, unsigned who,
    struct derr *e)
{
	struct dbq	*st;
	int		 to;

	if ((to = sm_apply(&rating_machine, (int)from, (int)ev, who, e,
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
		if (rating_revoke_one(arena, id, app, from, RATEV_REVOKE,
		    SM_WHO_APPLICANT, NULL) != 0)
			return -1;
	}
	return -1;
}

/* Rows come oldest first: the last one to the address (without case)
   stands, as the portfolio reads it (app_rating_states). */
int
rating_latest(struct arena *arena, const struct app *a, const char *email,
    struct rating_last *last)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct dbq		*st;
	struct row_rating_list	 row;
	int			 found = 0;

	memset(last, 0, sizeof *last);
	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a->id);
	while (row_rating_list(st, NULL, &row) == DB_ROW) {
		if (strcasecmp(row.email, email) != 0)
			continue;
		found = row.status != RATING_REVOKED;
		last->id = row.id;
		last->status = row.status;
		last->state = rating_state(rs, row.status, row.expires,
		    row.answered, db_now());
		last->sent = row.sent;
		last->answered = row.answered;
	}
	db_reset(st);
	if (!found)
		return -1;
	last->state = arena_strdup(arena, last->state);
	last->replaces = last->status == RATING_COMPLETED ||
	    (rating_open_status(last->status) &&
	    strcmp(last->state, "expired") != 0);
	return 0;
}

/* Asking again where the latest request replaces: refused unless the
   applicant confirmed; a completed rating is discarded, recorded. */
static int
replace_latest(const struct actor *who, struct arena *arena,
    const struct app *a, const char *email, int replace, struct derr *e)
{
	struct rating_last	 last;

	if (rating_latest(arena, a, email, &last) != 0 || !last.replaces)
		return 0;
	if (!replace)
		return derr_set(e, arena, 409, "replace", "%s", last.status ==
		    RATING_COMPLETED ? "this rater has completed a rating; "
		    "asking again discards it: confirm that you want to "
		    "replace it" : "this rater has a request with a working "
		    "link; asking again replaces it: confirm, or resend it "
		    "instead");
	if (last.status != RATING_COMPLETED)
		return 0;	/* revoke_email() revokes the open one */
	if (rating_revoke_one(arena, last.id, a->id, last.status,
	    RATEV_REPLACE, app_who(who, a), e) != 0 ||
	    audit_write(who, "rating", last.id, "replace", json_pack("{s:I, "
	    "s:s}", "application", (json_int_t)a->id, "discarded",
	    "completed rating")) != 0)
		return derr_set(e, arena, 503, NULL, "the request could not "
		    "be stored; try again");
	return 0;
}

/* The replaced request, the new one, its mail and its audit row: one
   transaction, so a rater never holds two live links. */
int
rating_request(const struct actor *who, struct arena *arena,
    const struct app *a, const char *email, const char *name,
    const char *rel, int replace, struct derr *e)
{
	struct dbq	*st;
	const char	*link;
	char		 hash[65];
	int64_t		 id;

	if (db_begin() != 0)
		goto busy;
	if (replace_latest(who, arena, a, email, replace, e) != 0) {
		db_rollback();
		return -1;
	}
	if (mail_limit(arena, who->id, email, e) != 0) {
		db_rollback();
		return -1;
	}
	link = new_link(arena, hash);
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

/* The coordinator of the application's association, or 404 as for a
   request that is not there; never for their own application (its
   raters' links would reach the applicant). */
static int
coord_of(const struct actor *who, struct arena *arena, const struct app *a,
    struct derr *e)
{
	if (who == NULL || who->kind != ACTOR_COORDINATOR ||
	    who->association == NULL ||
	    strcmp(who->association, a->association) != 0)
		return derr_set(e, arena, 404, NULL, "there is no such request");
	if (who->id == a->account)
		return derr_set(e, arena, 403, NULL, "this is your own "
		    "application: another coordinator of the association "
		    "re-sends or hands over its raters' links");
	return 0;
}

/* The reference entries of application app that name the rater at from
   name them at to: the portfolio matches a reference with its rating by
   the address.  In the caller's transaction. */
static int
move_reference(const struct app *a, const char *from, const char *to)
{
	struct dbq			*st, *up;
	struct row_entry_list_kind	 row;
	json_t				*d;
	const char			*em;
	char				*s;
	int				 rc = 0;

	st = db_stmt(S_ENTRY_LIST_KIND);
	db_bind_int(st, "$app", a->id);
	db_bind_text(st, "$kind", "references");
	while (rc == 0 && row_entry_list_kind(st, NULL, &row) == DB_ROW) {
		if ((d = json_loads(row.data, 0, NULL)) == NULL)
			continue;
		em = json_string_value(json_object_get(d, "email"));
		if (em != NULL && strcasecmp(em, from) == 0) {
			json_object_set_new(d, "email", json_string(to));
			s = json_dumps(d, JSON_COMPACT);
			up = db_stmt(S_ENTRY_UPDATE);
			db_bind_text(up, "$data", s);
			db_bind_int(up, "$id", row.id);
			db_bind_int(up, "$app", a->id);
			rc = db_exec(up);
			free(s);
		}
		json_decref(d);
	}
	db_reset(st);
	return rc;
}

/*
 * A fresh link for open request rating of a by event ev (RATEV_RELINK,
 * RATEV_REDIRECT, RATEV_HAND): the old hash is replaced, so the old link
 * opens nothing from now on; the request records the channel of the new
 * one; it is mailed to email unless handed over (then into *link, to be
 * shown once).  One transaction with its audit row.
 */
static int
relink(const struct actor *who, struct arena *arena, const struct app *a,
    int64_t rating, enum rating_event ev, const char *email,
    const char **link, const struct rating_nudge *nd, struct derr *e)
{
	struct row_rating_get	 row;
	struct dbq		*st;
	const char		*to_email;
	char			 hash[65];
	int			 to;
	enum rating_channel	 ch = ev == RATEV_HAND ? CHANNEL_HANDED :
				    ev == RATEV_REDIRECT ? CHANNEL_RESENT :
				    CHANNEL_MAIL;

	/* A reminder keeps the channel the request has (below). */

	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	if (rating_get(arena, rating, a->id, &row) != 0 ||
	    !rating_open_status(row.status)) {
		db_rollback();
		return derr_set(e, arena, 404, NULL, "there is no open "
		    "request with that number; ask the rater again from the "
		    "reference");
	}
	if ((to = sm_apply(&rating_machine, (int)row.status, (int)ev,
	    app_who(who, a), e, arena)) < 0) {
		db_rollback();
		return -1;
	}
	/* The applicant's resend goes to the address the request has: one
	   the coordinator corrected stays "resent". */
	if ((ev == RATEV_RELINK || ev == RATEV_REMIND) &&
	    row.channel == CHANNEL_RESENT)
		ch = CHANNEL_RESENT;
	to_email = email != NULL ? email : row.email;
	if (ev != RATEV_HAND && mail_limit(arena, who->id, to_email, e) != 0) {
		db_rollback();
		return -1;
	}
	*link = new_link(arena, hash);
	st = db_stmt(S_RATING_REHASH);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$expires", link_expiry(a));
	db_bind_int(st, "$now", db_now());
	db_bind_enum(st, "$channel", rating_channel, ch);
	db_bind_text(st, "$email", to_email);
	db_bind_int(st, "$id", rating);
	db_bind_int(st, "$app", a->id);
	db_bind_enum(st, "$status", rating_status, to);
	db_bind_enum(st, "$from", rating_status, row.status);
	if (db_exec(st) != 0 || db_changes() != 1)
		goto fail;
	if (email != NULL && strcasecmp(email, row.email) != 0 &&
	    move_reference(a, row.email, email) != 0)
		goto fail;
	if (nd != NULL) {
		if (!nudge_once(rating, nd)) {
			db_rollback();
			return derr_set(e, arena, 409, NULL, "this reminder "
			    "was sent already");
		}
		if (mail_nudge(arena, a, rating, to_email, nd, *link) != 0 ||
		    audit_write(who, "rating", rating, "remind", json_pack(
		    "{s:I, s:s, s:i, s:s}", "application", (json_int_t)a->id,
		    "rater", row.name, "days", nd->days, "link", "a new link "
		    "was mailed; the earlier one no longer opens")) != 0 ||
		    db_commit() != 0)
			goto fail;
		return 0;
	}
	if (ev != RATEV_HAND && mail_rater(who, arena, a, rating, to_email,
	    row.name, *link) != 0)
		goto fail;
	if (audit_write(who, "rating", rating, ev == RATEV_HAND ? "hand over" :
	    ev == RATEV_REDIRECT ? "re-send" : "resend", ev == RATEV_REDIRECT ?
	    json_pack("{s:I, s:s, s:s, s:s}", "application",
	    (json_int_t)a->id, "rater", row.name, "from", row.email, "to",
	    to_email) : json_pack("{s:I, s:s}", "application",
	    (json_int_t)a->id, "rater", row.name)) != 0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, arena, 503, NULL, "the link could not be renewed; "
	    "try again");
}

/* The applicant's resend: the rater's own address, by mail only. */
int
rating_relink(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t rating, struct derr *e)
{
	const char	*link;

	return relink(who, arena, a, rating, RATEV_RELINK, NULL, &link, NULL,
	    e);
}

int
rating_remind(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t rating, const struct rating_nudge *nd,
    struct derr *e)
{
	const char	*link;

	return relink(who, arena, a, rating, RATEV_REMIND, NULL, &link, nd,
	    e);
}

/* Whether a request of a other than rating, still open, goes to email:
   one open request per rater. */
static int
open_elsewhere(const struct app *a, int64_t rating, const char *email)
{
	struct dbq		*st;
	struct row_rating_list	 row;
	int			 found = 0;

	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a->id);
	while (!found && row_rating_list(st, NULL, &row) == DB_ROW)
		found = row.id != rating && rating_open_status(row.status) &&
		    strcasecmp(row.email, email) == 0;
	db_reset(st);
	return found;
}

/* A corrected address: never the applicant's own (nobody rates
   themselves), nor one another open request of the application has. */
int
rating_redirect(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t rating, const char *email, struct derr *e)
{
	struct row_account_by_id	 acc;
	struct dbq			*st;
	const char			*link;
	int				 self = 0;

	if (coord_of(who, arena, a, e) != 0)
		return -1;
	if (email == NULL || *email == '\0')
		return derr_set(e, arena, 400, "email", "email: enter the "
		    "rater's corrected e-mail address");
	if (!account_email_ok(email))
		return derr_set(e, arena, 400, "email", "email: this is not "
		    "an e-mail address");
	st = db_stmt(S_ACCOUNT_BY_ID);
	db_bind_int(st, "$id", a->account);
	if (row_account_by_id(st, arena, &acc) == DB_ROW)
		self = strcasecmp(acc.email, email) == 0;
	db_reset(st);
	if (self)
		return derr_set(e, arena, 400, "email", "email: this is the "
		    "applicant's own address; a rater cannot be the applicant");
	if (open_elsewhere(a, rating, email))
		return derr_set(e, arena, 400, "email", "email: another open "
		    "request of this application goes to that address");
	return relink(who, arena, a, rating, RATEV_REDIRECT, email, &link,
	    NULL, e);
}

/* The link handed to the coordinator, who gives it to the rater. */
int
rating_hand(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t rating, const char **link,
    const char **rater, struct derr *e)
{
	struct row_rating_get	 row;

	if (coord_of(who, arena, a, e) != 0)
		return -1;
	if (relink(who, arena, a, rating, RATEV_HAND, NULL, link, NULL,
	    e) != 0)
		return -1;
	*rater = rating_get(arena, rating, a->id, &row) == 0 ? row.name :
	    "the rater";
	return 0;
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
	    rating_revoke_one(arena, rating, a->id, row.status, RATEV_REVOKE,
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

/*
 * "opened" tells the applicant the rater saw the form, and the waiver
 * the form showed binds the rating (S_RATING_SHOWN keeps the strongest
 * shown).  Its own transaction: the form is shown only once this is
 * stored.
 */
int
rating_shown(struct arena *arena, int64_t rating, enum rating_status from,
    int waiver, struct derr *e)
{
	struct dbq	*st;
	int		 to;

	if (db_begin() != 0)
		goto busy;
	st = db_stmt(S_RATING_SHOWN);
	db_bind_int(st, "$waiver", waiver != 0);
	db_bind_int(st, "$id", rating);
	if (db_exec(st) != 0)
		goto fail;
	if ((to = sm_apply(&rating_machine, (int)from, RATEV_OPEN,
	    SM_WHO_RATER, NULL, NULL)) >= 0) {
		st = db_stmt(S_RATING_OPEN);
		db_bind_enum(st, "$status", rating_status, to);
		db_bind_enum(st, "$from", rating_status, from);
		db_bind_int(st, "$id", rating);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) != 0)
			goto fail;
	}
	if (db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
busy:
	return derr_set(e, arena, 503, NULL, "the form could not be opened; "
	    "reload the page");
}

/* The applicant reads a completed rating only where the association lets
   applicants read them, they have not waived it, and the rating was not
   written under a waiver (what the rater was shown binds). */
int
rating_applicant_may_read(const struct app *a, int rating_waiver)
{
	const struct ruleset	*rs = web_rules(a->association);

	return rs != NULL && rs->workflow.visible == VISIBLE_UNLESS_WAIVED &&
	    !a->waiver && !rating_waiver;
}

/* How the live link reached the rater, for reviewers and coordinators. */
const char *
rating_channel_words(enum rating_channel ch)
{
	switch (ch) {
	case CHANNEL_RESENT:
		return "re-sent by the coordinator to a corrected address";
	case CHANNEL_HANDED:
		return "handed to the rater by the coordinator";
	default:
		return "mailed to the rater";
	}
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

/* A declined or void rating leaves the application a reference short:
   its coordinators are told, in the answer's transaction. */
static int
rating_notify(struct arena *arena, const struct app *a, int to,
    const char *rater)
{
	if (to != RATING_DECLINED && to != RATING_VOID)
		return 0;
	return notify_coordinators(arena, a, to == RATING_DECLINED ?
	    arena_printf(arena, "A rater declined on application %lld",
	    (long long)a->id) : arena_printf(arena, "A rating on application "
	    "%lld is void", (long long)a->id), arena_printf(arena, "%s on "
	    "the %s (%s) application %lld.\n\nRater: %s\n\nThe applicant "
	    "is asked to %s.\n\n%s/coordinator/applications/%lld\n",
	    to == RATING_DECLINED ? "A rater declined the request for a "
	    "reference rating" : "A reference form came back with too many "
	    "\"not enough information\" answers to count", web_category_title(
	    a->association, a->category), a->category, (long long)a->id, rater,
	    to == RATING_DECLINED ? "ask someone else" : "ask this rater "
	    "again or someone else", cfg.base_url, (long long)a->id));
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
	/* The rater has no account: the row is read for the notice, and
	   for the waiver in force now, which binds too. */
	if (app_read(arena, app, &a) != 0) {
		db_rollback();
		return derr_set(e, arena, 410, NULL, "this application no "
		    "longer exists");
	}
	st = db_stmt(S_RATING_ANSWER);
	db_bind_enum(st, "$status", rating_status, to);
	db_bind_enum(st, "$from", rating_status, from);
	db_bind_text(st, "$answers", answers);
	db_bind_int(st, "$waiver", a.waiver != 0);
	db_bind_int(st, "$id", rating);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_changes() != 1)
		goto answered;
	body = answer_mail(arena, to, rater, &subject);
	if (audit_write(&actor_rater, "rating", rating, db_enum_word(
	    rating_status, to), json_pack("{s:I, s:s}", "application",
	    (json_int_t)app, "by", "the rater")) != 0 ||
	    app_mail(arena, &a, subject, body) != 0 ||
	    rating_notify(arena, &a, to, rater) != 0 || db_commit() != 0) {
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

/* A day of a time, for the page, as people in the US write it ("March
   5, 2027"); NULL for none. */
static const char *
day_of(struct arena *arena, int64_t t)
{
	char	 d[DATE_US_MAX];

	if (t <= 0)
		return NULL;
	return arena_strdup(arena, date_us((int32_t)(t / 86400), d,
	    sizeof d));
}

/* The delivery of a request's live link: its mail's (queued, retrying,
   sent, failed: the outbox's status) or the coordinator's hand-over. */
static const char *
delivery_words(struct arena *arena, const struct row_rating_list *rt)
{
	if (rt->channel == CHANNEL_HANDED)
		return "not mailed: handed to the rater by the coordinator";
	if (rt->mail_status == OUTBOX_NONE)
		return "no mail sent";
	return mail_outbox_words(arena, rt->mail_status, (int)rt->attempts,
	    rt->last_error, rt->sent_at, rt->next_try);
}

/* Each request as the applicant's page shows it: its state as the
   portfolio sees it, its mail's delivery, what may be done with it. */
json_t *
rating_view(struct arena *arena, const struct app *a, int applicant)
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
		    "s:s, s:s?, s:s?, s:s, s:b, s:b, s:b, s:s, s:s, s:b}",
		    "id", (json_int_t)rt.id, "email", rt.email,
		    "name", rt.name,
		    "state", state, "state_words", refstatus_words(state),
		    "sent", day_of(arena, rt.sent),
		    "answered", day_of(arena, rt.answered),
		    "mail", delivery_words(arena, &rt),
		    "open", rating_open_status(rt.status),
		    "readable", rt.status == RATING_COMPLETED && (!applicant ||
		    rating_applicant_may_read(a, (int)rt.waiver)),
		    "void", rt.status == RATING_VOID,
		    "channel", db_enum_word(rating_channel, rt.channel),
		    "channel_words", rating_channel_words(rt.channel),
		    "handed", rt.channel == CHANNEL_HANDED));
	}
	db_reset(st);
	return list;
}
