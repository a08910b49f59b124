/*
 * An association's people (dom-people.h): who coordinates it and who
 * reviews for it, given by the command line (`endorse user add`) or by
 * a coordinator on /coordinator/people, and taken away there.  Each
 * change in one transaction with its audit row and its mail.
 */
#include <string.h>

#include "web.h"
#include "dom-account.h"
#include "dom-people.h"
#include "dom-review.h"
#include "banned.h"

const char *const people_role_names[PEOPLE__N] = { "coordinator",
    "reviewer" };

int
people_role_parse(const char *s)
{
	int	 i;

	for (i = 0; s != NULL && i < PEOPLE__N; i++)
		if (strcmp(s, people_role_names[i]) == 0)
			return i;
	return -1;
}

int
people_coordinators(struct arena *a, const char *assoc,
    struct row_people_coord **out)
{
	struct dbq	*st = db_stmt(S_PEOPLE_COORDS);

	db_bind_text(st, "$assoc", assoc);
	return rows_people_coord(st, a, out);
}

/* Who may change the association's people: the command line, or one of
   its coordinators. */
static int
people_may(const struct actor *who, struct arena *a, const char *assoc,
    struct derr *e)
{
	if (who->kind == ACTOR_SYSTEM || (who->kind == ACTOR_COORDINATOR &&
	    who->association != NULL && assoc != NULL &&
	    strcmp(who->association, assoc) == 0))
		return 0;
	return derr_set(e, a, 403, NULL, "only a coordinator of the "
	    "association invites or removes its people");
}

/* The invitation: a link to choose a password when the account has none
   (pwhash "!"), else a note to log in. */
static int
people_mail(struct arena *a, int64_t id, const char *email,
    const char *pwhash, enum people_role role, const char *assoc,
    const char *assoc_name)
{
	const char	*link = NULL, *what;

	what = role == PEOPLE_COORDINATOR ? "a coordinator" : "a reviewer";
	if (pwhash == NULL || strcmp(pwhash, "!") == 0)
		if ((link = account_claim_link(a, id)) == NULL)
			return -1;
	return mail_send(&(struct mail){ email, arena_printf(a, "You are %s "
	    "of %s in Endorse", what, assoc_name), link != NULL ?
	    arena_printf(a, "Hello,\n\nyou are now %s of %s in Endorse. To "
	    "accept, choose a password for your account: open\n\n  %s\n\n"
	    "The link works once. Then log in at %s/login with this e-mail "
	    "address.\n", what, assoc_name, link, cfg.base_url) :
	    arena_printf(a, "Hello,\n\nyou are now %s of %s in Endorse. Log "
	    "in at %s/login with this e-mail address as before.\n", what,
	    assoc_name, cfg.base_url), assoc, link != NULL });
}

/* In the transaction: the coordinator's role for the account of email,
   made when there is none. */
static int
coord_add(struct arena *a, const char *assoc, const char *email,
    const char *name, int64_t *id, char **pwhash, int *created,
    struct derr *e)
{
	struct dbq			*st = db_stmt(S_ACCOUNT_BY_EMAIL);
	struct row_account_by_email	 acc;
	struct row_people_count		 apps;
	struct account_new		 n;
	const char			*at;
	int				 found;

	db_bind_text(st, "$email", email);
	found = row_account_by_email(st, a, &acc) == DB_ROW;
	db_reset(st);
	if (!found) {
		at = strchr(email, '@');
		memset(&n, 0, sizeof n);
		n.name = name != NULL && *name != '\0' ? name :
		    arena_printf(a, "%.*s", (int)(at - email), email);
		n.email = email;
		n.role = ACCT_COORDINATOR;
		n.association = assoc;
		n.flags = ACCOUNT_NO_PASSWORD | ACCOUNT_IN_CALLER;
		*created = 1;
		*pwhash = NULL;
		return account_create(&actor_system, a, &n, id, e);
	}
	*id = acc.id;
	*pwhash = acc.pwhash;
	if (acc.role == ACCT_COORDINATOR)
		return derr_set(e, a, 409, "email", "%s", acc.association !=
		    NULL && strcmp(acc.association, assoc) == 0 ? "this "
		    "person is a coordinator of the association already" :
		    "this person coordinates another association");
	st = db_stmt(S_PEOPLE_APPS);
	db_bind_int(st, "$account", acc.id);
	found = row_people_count(st, NULL, &apps) == DB_ROW && apps.n > 0;
	db_reset(st);
	if (found)
		return derr_set(e, a, 409, "email", "this account applies for "
		    "an endorsement; a coordinator needs an account of their "
		    "own");
	st = db_stmt(S_PEOPLE_SET_ROLE);
	db_bind_enum(st, "$role", account_role, ACCT_COORDINATOR);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$id", acc.id);
	if (db_exec(st) != 0)
		return derr_store(e, a, "the account");
	return 0;
}

int
people_add(const struct actor *who, struct arena *a, enum people_role role,
    const char *assoc, const char *assoc_name, const char *email,
    const char *name, int *created, struct derr *e)
{
	struct actor			 as = *who;
	struct dbq			*st;
	struct row_account_by_email	 acc;
	char				*pwhash = NULL;
	int64_t				 id = 0;

	*created = 0;
	if (people_may(who, a, assoc, e) != 0)
		return -1;
	if (!account_email_ok(email))
		return derr_set(e, a, 400, "email", "enter an e-mail address "
		    "such as name@example.org");
	as.association = assoc;
	if (role == PEOPLE_REVIEWER) {
		/* The reviewers' one way in, with its rule (an endorsee). */
		if (review_reviewer_add(&as, a, email, e) != 0)
			return -1;
		st = db_stmt(S_ACCOUNT_BY_EMAIL);
		db_bind_text(st, "$email", email);
		if (row_account_by_email(st, a, &acc) == DB_ROW) {
			id = acc.id;
			pwhash = acc.pwhash;
		}
		db_reset(st);
		if (db_begin() != 0)
			return derr_store(e, a, "the invitation");
	} else {
		if (db_begin() != 0)
			return derr_store(e, a, "the account");
		if (coord_add(a, assoc, email, name, &id, &pwhash, created,
		    e) != 0) {
			db_rollback();
			return -1;
		}
		if (audit_write(who, "account", id, "coordinator-add",
		    json_pack("{s:s, s:b}", "association", assoc, "created",
		    *created)) != 0) {
			db_rollback();
			return derr_store(e, a, "the account");
		}
	}
	if (people_mail(a, id, email, pwhash, role, assoc, assoc_name) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		return derr_store(e, a, "the invitation");
	}
	return 0;
}

/* In the transaction: the reviewer's open assignments in assoc released
   (another reviewer may be assigned), each in the history. */
static int
release_open(const struct actor *who, struct arena *a, int64_t account,
    const char *assoc)
{
	struct dbq		*st = db_stmt(S_PEOPLE_OPEN);
	struct row_people_open	*o;
	int			 i, n;

	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	if ((n = rows_people_open(st, a, &o)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		st = db_stmt(S_PEOPLE_RELEASE);
		db_bind_int(st, "$id", o[i].id);
		if (db_exec(st) != 0 || audit_write(who, "assignment",
		    o[i].id, "release", json_pack("{s:I, s:I, s:s}",
		    "application", (json_int_t)o[i].application, "reviewer",
		    (json_int_t)account, "why",
		    "the reviewer was removed")) != 0)
			return -1;
	}
	return 0;
}

/* In the transaction: the account's sessions, API tokens and unused
   reset links end, as a password change ends them. */
static int
revoke_all(int64_t account)
{
	struct dbq	*st;

	st = db_stmt(S_SESSION_DELETE_ACCOUNT);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$keep", "");
	if (db_exec(st) != 0)
		return -1;
	st = db_stmt(S_TOKEN_DELETE_ACCOUNT);
	db_bind_int(st, "$account", account);
	if (db_exec(st) != 0)
		return -1;
	st = db_stmt(S_RESET_CANCEL);
	db_bind_int(st, "$account", account);
	db_bind_int(st, "$now", db_now());
	return db_exec(st);
}

/* In the transaction: the coordinator's role of account in assoc ends,
   unless they are its last. */
static int
coord_remove(struct arena *a, const char *assoc, int64_t account,
    struct derr *e)
{
	struct row_people_coord	*c;
	struct dbq		*st;
	int			 i, n;

	if ((n = people_coordinators(a, assoc, &c)) < 0)
		return derr_store(e, a, "the coordinators");
	for (i = 0; i < n && c[i].id != account; i++)
		continue;
	if (i == n)
		return derr_set(e, a, 404, NULL, "this person is not a "
		    "coordinator of the association");
	if (n == 1)
		return derr_set(e, a, 409, NULL, "the last coordinator of the "
		    "association cannot be removed: invite another "
		    "coordinator first");
	st = db_stmt(S_PEOPLE_SET_ROLE);
	db_bind_enum(st, "$role", account_role, ACCT_APPLICANT);
	db_bind_null(st, "$assoc");
	db_bind_int(st, "$id", account);
	if (db_exec(st) != 0)
		return derr_store(e, a, "the coordinator");
	return 0;
}

int
people_remove(const struct actor *who, struct arena *a, int64_t account,
    enum people_role role, struct derr *e)
{
	const char	*assoc = who->association;
	struct dbq	*st;
	int		 was_reviewer;

	if (who->kind != ACTOR_COORDINATOR || assoc == NULL)
		return derr_set(e, a, 403, NULL, "only a coordinator of the "
		    "association removes its people");
	if (db_begin() != 0)
		return derr_store(e, a, "the people");
	if (role == PEOPLE_COORDINATOR && coord_remove(a, assoc, account,
	    e) != 0) {
		db_rollback();
		return -1;
	}
	st = db_stmt(S_REVIEWER_REMOVE);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	if (db_exec(st) != 0)
		goto fail;
	was_reviewer = db_changes() == 1;
	if (role == PEOPLE_REVIEWER && !was_reviewer) {
		db_rollback();
		return derr_set(e, a, 404, NULL, "this person is not a "
		    "reviewer of the association");
	}
	if (release_open(who, a, account, assoc) != 0 ||
	    revoke_all(account) != 0 ||
	    audit_write(who, "account", account, role == PEOPLE_COORDINATOR ?
	    "coordinator-remove" : "reviewer-remove", json_pack("{s:s, s:b}",
	    "association", assoc, "reviewer", was_reviewer)) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_store(e, a, "the people");
}
