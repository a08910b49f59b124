/*
 * A change of an account's e-mail address (dom-account.h; issue 16,
 * point 13).  The holder asks with the new address and the current
 * password; a single-use link, stored as the hash of its token like a
 * password reset, goes to the NEW address, and the OLD one is told
 * (without the link).  The address changes only when the link is
 * followed.  An address another account has is refused without saying
 * so on the page: the holder is told the same as for a free one, and the
 * mail to that address says it has an account already, as a
 * registration does.  Sessions and API tokens stay.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-account.h"
#include "banned.h"

#define EMAIL_SECONDS	(24 * 3600)
#define SPENT		"this link has expired or was already used; ask " \
			    "for a new one on your account page"

/* The mails of a request, in the transaction of its row. */
static int
email_mails(struct arena *a, const struct actor *who, const char *to,
    const char *tok)
{
	int	 rc;

	if (tok != NULL)
		rc = mail_send(&(struct mail){ to, "Confirm your new Endorse "
		    "e-mail address", arena_printf(a, "Hello,\n\nsomeone "
		    "asked to make this the e-mail address of an Endorse "
		    "account. To confirm it, open\n\n  %s/account/email/%s\n\n"
		    "within 24 hours. The link works once. Until then nothing "
		    "changes; if it was not you, ignore this message.\n",
		    cfg.base_url, tok), NULL, 1 });
	else
		rc = mail_send(&(struct mail){ to, "Your Endorse account",
		    arena_printf(a, "Hello,\n\nsomeone asked to make this the "
		    "e-mail address of an Endorse account, but this address "
		    "has an Endorse account of its own, and one address "
		    "serves one account. Nothing changes. Log in at %s/login; "
		    "if you forgot your password, ask for a new one at "
		    "%s/reset.\n", cfg.base_url, cfg.base_url), NULL, 0 });
	if (rc != 0)
		return -1;
	return mail_send(&(struct mail){ who->email, "Your Endorse e-mail "
	    "address is to change", arena_printf(a, "Hello,\n\nsomeone "
	    "logged in to your Endorse account asked to change its e-mail "
	    "address to %s. The change happens only when the link mailed "
	    "there is opened; until then you log in with this address. If "
	    "it was not you, change your password at %s/account and tell "
	    "your association's coordinator.\n", to, cfg.base_url), NULL,
	    0 });
}

/*
 * Ask to change the actor's address to email (the caller has checked the
 * current password).  The mail limit of the new address is counted
 * first, whether or not it has an account.  0, or -1 and e (400 on
 * "new_email"; 429 the mail limit; 503; 500).
 */
int
account_email_request(const struct actor *who, struct arena *a,
    const char *email, struct derr *e)
{
	const char	*msg = "the link could not be sent; try again";
	struct dbq	*st;
	char		 tok[65], hash[65];
	int64_t		 other;

	if (email == NULL || *email == '\0')
		return derr_set(e, a, 400, "new_email", "enter the new e-mail "
		    "address");
	if (!account_email_ok(email))
		return derr_set(e, a, 400, "new_email", "enter an e-mail "
		    "address such as name@example.org");
	if (who->email != NULL && strcasecmp(email, who->email) == 0)
		return derr_set(e, a, 400, "new_email", "this is your address "
		    "already; enter the new one");
	if (mail_limit(a, who->id, email, e) != 0)
		return -1;
	other = account_id_of(email);
	if (db_begin() != 0)
		return derr_store(e, a, "the request");
	if (other == 0) {
		auth_random(tok);
		auth_hash_token(tok, hash);
		st = db_stmt(S_EMAIL_CHANGE_INSERT);
		db_bind_text(st, "$hash", hash);
		db_bind_int(st, "$account", who->id);
		db_bind_text(st, "$email", email);
		db_bind_int(st, "$expires", db_now() + EMAIL_SECONDS);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) != 0)
			goto fail;
	}
	if (email_mails(a, who, email, other == 0 ? tok : NULL) != 0 ||
	    audit_write(who, "account", who->id, "email-change-asked",
	    json_pack("{s:s}", "to", email)) != 0)
		goto fail;
	if (db_commit() != 0)
		return derr_store(e, a, "the request");
	return 0;
fail:
	db_rollback();
	return derr_set(e, a, 500, NULL, "%s", msg);
}

/* The new address a link's token would make, in the arena; NULL when the
   link is spent or unknown. */
const char *
account_email_pending(struct arena *a, const char *token)
{
	struct row_email_change_get	 row;
	struct dbq			*st;
	const char			*to = NULL;
	char				 hash[65];

	if (token == NULL || strlen(token) != 64)
		return NULL;
	auth_hash_token(token, hash);
	st = db_stmt(S_EMAIL_CHANGE_GET);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$now", db_now());
	if (row_email_change_get(st, a, &row) == DB_ROW)
		to = row.email;
	db_reset(st);
	return to;
}

/*
 * Follow a link: the account's address becomes the new one, the link and
 * every other pending change and reset link of the account are spent (a
 * reset link went to the old address), in one transaction.  Sessions and
 * API tokens stay.  0 and *to, or -1 and e (404 the link is spent; 409
 * the address has an account now).
 */
int
account_email_confirm(struct arena *a, const char *token, const char **to,
    struct derr *e)
{
	struct row_email_change_get	 row;
	struct row_account_by_id	 old;
	struct actor			 self;
	struct dbq			*st;
	char				 hash[65];
	int				 step;

	if (token == NULL || strlen(token) != 64)
		return derr_set(e, a, 404, NULL, SPENT);
	auth_hash_token(token, hash);
	if (db_begin() != 0)
		return derr_store(e, a, "the change");
	st = db_stmt(S_EMAIL_CHANGE_GET);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$now", db_now());
	step = row_email_change_get(st, a, &row);
	db_reset(st);
	if (step != DB_ROW) {
		db_rollback();
		return derr_set(e, a, 404, NULL, SPENT);
	}
	if (account_id_of(row.email) != 0) {
		db_rollback();
		return derr_set(e, a, 409, NULL, "this address has an Endorse "
		    "account of its own now; nothing was changed");
	}
	st = db_stmt(S_ACCOUNT_BY_ID);
	db_bind_int(st, "$id", row.account);
	step = row_account_by_id(st, a, &old);
	db_reset(st);
	if (step != DB_ROW)
		goto fail;
	memset(&self, 0, sizeof self);
	self.kind = old.role == ACCT_COORDINATOR ? ACTOR_COORDINATOR :
	    ACTOR_APPLICANT;
	self.id = old.id;
	self.name = old.name;
	self.email = old.email;
	self.association = old.association;
	st = db_stmt(S_EMAIL_CHANGE_USE);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_changes() != 1)
		goto fail;
	st = db_stmt(S_ACCOUNT_SET_EMAIL);
	db_bind_text(st, "$email", row.email);
	db_bind_int(st, "$id", row.account);
	if (db_exec(st) != 0)
		goto fail;
	st = db_stmt(S_EMAIL_CHANGE_CANCEL);
	db_bind_int(st, "$account", row.account);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	st = db_stmt(S_RESET_CANCEL);
	db_bind_int(st, "$account", row.account);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || audit_write(&self, "account", row.account,
	    "email-changed", json_pack("{s:s, s:s}", "from", old.email, "to",
	    row.email)) != 0)
		goto fail;
	if (db_commit() != 0)
		return derr_store(e, a, "the change");
	*to = row.email;
	return 0;
fail:
	db_rollback();
	return derr_store(e, a, "the change");
}
