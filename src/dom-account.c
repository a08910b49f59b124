/*
 * The accounts' domain (dom-account.h).  Every write of the account
 * pages, of the API's accounts and tokens, of auth.c's sessions and of
 * `endorse import`'s accounts is here, read and written through the
 * store's typed rows.  A change of several rows runs in one transaction
 * of its own; a single statement (a session touched, a failure counted)
 * is one by itself.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-account.h"
#include "dom-renewal.h"
#include "banned.h"

#define RESET_SECONDS	3600
#define INVITE_SECONDS	(14 * 86400)	/* a claim link of an import */
#define NAME_LEN_MAX	200
#define LABEL_LEN_MAX	100

#define CREATE_FAILED	"the account could not be created; try again"
#define TAKEN		"an account with this e-mail exists; log in or " \
			    "reset its password"

/* A failed store as a derr: a busy database says so (503, try again);
   anything else is 500 with the caller's sentence. */
static int
failed(struct derr *e, struct arena *a, const char *msg)
{
	if (db_error() == DBE_BUSY)
		return derr_store(e, a, msg);
	return derr_set(e, a, 500, NULL, "%s", msg);
}

/* Shared with the import of endorsees and the reviewers' page. */
int
account_email_ok(const char *s)
{
	const char	*at;
	size_t		 n;

	if (s == NULL || (n = strlen(s)) < 3 || n > 254)
		return 0;
	at = strchr(s, '@');
	return at != NULL && at != s && strchr(at + 1, '@') == NULL &&
	    strchr(at + 1, '.') != NULL && at[1] != '.' && s[n - 1] != '.' &&
	    strpbrk(s, " \t\r\n<>\"'(),;:\\") == NULL;
}

/* The import links a row to the account of its e-mail; a registration
   refuses a taken one.  NOCASE in the schema makes any case the same. */
int64_t
account_id_of(const char *email)
{
	struct row_account_by_email	 row;
	struct dbq			*st;
	int64_t				 id = 0;

	st = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(st, "$email", email);
	if (row_account_by_email(st, NULL, &row) == DB_ROW)
		id = row.id;
	db_reset(st);
	return id;
}

/* The problems of a new account in the form's order; with check, *taken
   when the e-mail's is that an account has it (a registration does not
   ask: it must not tell). */
static json_t *
problems(const struct account_new *n, int check, int *taken)
{
	json_t		*errors = json_object();
	const char	*why;

	*taken = 0;
	if (n->name == NULL || *n->name == '\0')
		why = "enter your name";
	else if (strlen(n->name) > NAME_LEN_MAX)
		why = "at most 200 characters";
	else
		why = NULL;
	if (why != NULL)
		json_object_set_new(errors, "name", json_string(why));
	if (n->email == NULL || *n->email == '\0')
		json_object_set_new(errors, "email",
		    json_string("enter your e-mail address"));
	else if (!account_email_ok(n->email))
		json_object_set_new(errors, "email", json_string("enter an "
		    "e-mail address such as name@example.org"));
	if ((n->flags & ACCOUNT_NO_PASSWORD) == 0 &&
	    auth_password_problem(n->password, &why) != 0)
		json_object_set_new(errors, "password", json_string(why));
	if (n->association != NULL && *n->association != '\0' &&
	    web_rules(n->association) == NULL)
		json_object_set_new(errors, "association",
		    json_string("choose an association from the list"));
	if (check && json_object_get(errors, "email") == NULL &&
	    account_id_of(n->email) != 0) {
		json_object_set_new(errors, "email", json_string(TAKEN));
		*taken = 1;
	}
	if (json_object_size(errors) == 0) {
		json_decref(errors);
		return NULL;
	}
	return errors;
}

/* The registration form shows every problem at once, not the first;
   never that the address has an account (account_register). */
json_t *
account_problems(const struct account_new *n)
{
	int	 taken;

	return problems(n, 0, &taken);
}

/* Refuse with the first problem of the values: 409 when it is that the
   e-mail is taken, 400 otherwise; 0 when there is none. */
static int
refuse_values(const struct account_new *n, struct arena *a, struct derr *e)
{
	json_t		*errors;
	void		*it;
	const char	*key;
	int		 taken, status;

	if ((errors = problems(n, 1, &taken)) == NULL)
		return 0;
	it = json_object_iter(errors);
	key = json_object_iter_key(it);
	status = taken && strcmp(key, "email") == 0 ? 409 : 400;
	derr_set(e, a, status, arena_strdup(a, key), "%s",
	    json_string_value(json_object_iter_value(it)));
	json_decref(errors);
	return -1;
}

/*
 * The one place an account is inserted.  The values are checked here
 * whoever calls; only the system (the command line, the start of the
 * server) makes a coordinator.
 */
int
account_create(const struct actor *who, struct arena *a,
    const struct account_new *n, int64_t *id, struct derr *e)
{
	struct dbq	*st;
	char		 hash[128];
	int		 own = (n->flags & ACCOUNT_IN_CALLER) == 0;

	if (n->role != ACCT_APPLICANT && who->kind != ACTOR_SYSTEM)
		return derr_set(e, a, 403, NULL, "only the system makes a "
		    "coordinator's account");
	if (refuse_values(n, a, e) != 0)
		return -1;
	if (n->flags & ACCOUNT_NO_PASSWORD)
		snprintf(hash, sizeof hash, "!");
	else if (auth_hash_password(n->password, hash) != 0)
		return derr_set(e, a, 500, NULL, CREATE_FAILED);
	if (own && db_begin() != 0)
		return failed(e, a, CREATE_FAILED);
	st = db_stmt(S_ACCOUNT_INSERT);
	db_bind_text(st, "$email", n->email);
	db_bind_text(st, "$name", n->name);
	db_bind_text(st, "$pwhash", hash);
	db_bind_enum(st, "$role", account_role, n->role);
	if (n->role == ACCT_COORDINATOR)
		db_bind_text(st, "$assoc", n->association);
	else
		db_bind_null(st, "$assoc");
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0) {
		if (db_error() == DBE_CONSTRAINT)
			derr_set(e, a, 409, "email", TAKEN);
		else
			failed(e, a, CREATE_FAILED);
		if (own)
			db_rollback();
		return -1;
	}
	*id = db_last_id();
	if ((n->flags & ACCOUNT_WELCOME) && mail_send(&(struct mail){
	    n->email, "Welcome to Endorse", arena_printf(a, "Hello,\n\n"
	    "your Endorse account is ready. Log in at %s/login with this "
	    "e-mail address to build your Endorsement application.\n",
	    cfg.base_url), n->association != NULL &&
	    *n->association != '\0' ? n->association : NULL, 0 }) != 0) {
		if (own)
			db_rollback();
		return derr_set(e, a, 500, NULL, CREATE_FAILED);
	}
	if (own && db_commit() != 0)
		return failed(e, a, CREATE_FAILED);
	return 0;
}

/* ------------------------------------------------------------ logging in */

/* Bind email and ip to the pair's statement st and run it. */
static void
wait_exec(enum stmt s, const char *email, const char *ip, int64_t until)
{
	struct dbq	*st = db_stmt(s);

	db_bind_text(st, "$email", email);
	db_bind_text(st, "$ip", ip);
	if (s == S_WAIT_SET) {
		db_bind_int(st, "$until", until);
		db_bind_int(st, "$now", db_now());
	}
	db_exec(st);
}

/*
 * The throttling.  Past login_failures failures of an e-mail, or four
 * times as many from an address, within login_window, an attempt is
 * checked only once the wait of its own (e-mail, address) pair is over:
 * the first one is refused and sets the wait, login_delay seconds doubled
 * for each failure past the threshold, at most login_window.  A guesser
 * gets one check per wait and the waits grow; the right password gets
 * through once its wait is over, so that no one, at another address or
 * at the same one, can keep a person out for good.  0 when the attempt
 * may be checked, else the seconds to wait.
 */
static int
throttle_wait(const char *ip, const char *email)
{
	struct row_fail_count	 row;
	struct dbq		*st;
	int64_t			 now = db_now(), d, over;
	int			 rc;

	st = db_stmt(S_FAIL_COUNT);
	db_bind_text(st, "$email", email);
	db_bind_text(st, "$ip", ip);
	db_bind_int(st, "$since", now - cfg.login_window);
	rc = row_fail_count(st, NULL, &row);
	db_reset(st);
	if (rc != DB_ROW)
		return cfg.login_delay;	/* a store that fails: closed */
	over = row.by_email - cfg.login_failures;
	if (row.by_ip - 4 * (int64_t)cfg.login_failures > over)
		over = row.by_ip - 4 * (int64_t)cfg.login_failures;
	if (over < 0)
		return 0;
	if (!row.until_null) {
		if (now < row.until)
			return (int)(row.until - now);
		wait_exec(S_WAIT_DELETE, email, ip, 0);
		return 0;
	}
	for (d = cfg.login_delay; over > 0 && d < cfg.login_window; over--)
		d *= 2;
	if (d > cfg.login_window)
		d = cfg.login_window;
	wait_exec(S_WAIT_SET, email, ip, now + d);
	return (int)d;
}

/*
 * The login form, the password change and the API's tokens check a pair
 * the same way: a failure is counted before the answer (so that guessing
 * is throttled), a success clears the e-mail's failures and waits.  An
 * e-mail without an account (or without a password) costs the same
 * Argon2id work as one with, so the time of the answer does not tell.
 * Each write is one statement, its own transaction.
 */
int
account_authenticate(struct arena *a, const char *ip, const char *email,
    const char *pw, struct account *who, int *wait)
{
	struct row_account_by_email	 row;
	struct dbq			*st;
	int				 found, ok;

	*wait = 0;
	if (email == NULL || pw == NULL)
		return ACCOUNT_WRONG;
	if ((*wait = throttle_wait(ip, email)) > 0)
		return ACCOUNT_THROTTLED;
	st = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(st, "$email", email);
	found = row_account_by_email(st, a, &row) == DB_ROW;
	db_reset(st);
	if (found && row.pwhash != NULL && row.pwhash[0] == '$')
		ok = auth_check_password(row.pwhash, pw);
	else {
		auth_check_dummy(pw);
		ok = 0;
	}
	if (!ok) {
		st = db_stmt(S_FAIL_INSERT);
		db_bind_text(st, "$email", email);
		db_bind_text(st, "$ip", ip);
		db_bind_int(st, "$now", db_now());
		db_exec(st);
		return ACCOUNT_WRONG;
	}
	st = db_stmt(S_FAIL_CLEAR);
	db_bind_text(st, "$email", email);
	db_exec(st);
	st = db_stmt(S_WAIT_CLEAR);
	db_bind_text(st, "$email", email);
	db_exec(st);
	who->id = row.id;
	who->name = row.name;
	who->email = row.email;
	who->role = row.role;
	who->association = row.association;
	return ACCOUNT_OK;
}

/* The API acts for the account a password found, not for a session. */
struct actor
account_actor(const struct account *who)
{
	struct actor	 a = { ACTOR_APPLICANT, 0, NULL, NULL, NULL, NULL };

	a.kind = who->role == ACCT_COORDINATOR ? ACTOR_COORDINATOR :
	    ACTOR_APPLICANT;
	a.id = who->id;
	a.association = who->association;
	a.name = who->name;
	a.email = who->email;
	return a;
}

/* -------------------------------------------------- sessions and tokens */

/* The CSRF key outlives a restart: forms served before it stay good. */
int
session_key_load(char *hex, size_t size)
{
	struct row_setting_get	 row;
	struct dbq		*st;
	int			 rc = -1;

	st = db_stmt(S_SETTING_GET);
	db_bind_text(st, "$key", "csrf_key");
	if (row_setting_get(st, NULL, &row) == DB_ROW && row.value != NULL &&
	    strlen(row.value) < size) {
		snprintf(hex, size, "%s", row.value);
		rc = 0;
	}
	db_reset(st);
	return rc;
}

/* Kept as a setting (store-misc.def), written once at first start. */
int
session_key_store(const char *hex)
{
	struct dbq	*st;

	st = db_stmt(S_SETTING_PUT);
	db_bind_text(st, "$key", "csrf_key");
	db_bind_text(st, "$value", hex);
	return db_exec(st);
}

/* Every request with a cookie comes here first: one read, and a write
   only when the session ended or "seen" is a minute old. */
int
session_resume(struct arena *a, const char *hash, struct account *who,
    char **csrf)
{
	struct row_session_get	 s;
	struct dbq		*st;
	int64_t			 now = db_now();
	int			 live = 0;

	st = db_stmt(S_SESSION_GET);
	db_bind_text(st, "$id", hash);
	if (row_session_get(st, a, &s) == DB_ROW &&
	    now - s.seen <= cfg.session_idle &&
	    now - s.created <= cfg.session_max)
		live = 1;
	db_reset(st);
	if (!live) {
		session_close(hash);
		return -1;
	}
	who->id = s.account;
	who->name = s.name;
	who->email = s.email;
	who->role = s.role;
	who->association = s.association;
	*csrf = s.csrf;
	/* Write "seen" at most once a minute (a fifth of the idle time if
	   that is less), so that activity always keeps a session alive: most
	   requests only read. */
	if (now - s.seen >= (cfg.session_idle < 300 ? cfg.session_idle / 5 :
	    60)) {
		st = db_stmt(S_SESSION_TOUCH);
		db_bind_text(st, "$id", hash);
		db_bind_int(st, "$now", now);
		db_exec(st);
	}
	return 0;
}

/* One transaction for the rotation: the old session never outlives the
   new one.  The housekeeping after it may fail without harm. */
int
session_open(struct arena *a, int64_t account, const char *old,
    const char *hash, const char *csrf, struct derr *e)
{
	const char	*msg = "you could not be logged in; try again";
	struct dbq	*st;

	if (db_begin() != 0)
		return failed(e, a, msg);
	/* Rotate: whatever session came with the request ends here. */
	if (old != NULL) {
		st = db_stmt(S_SESSION_DELETE);
		db_bind_text(st, "$id", old);
		db_exec(st);
	}
	st = db_stmt(S_SESSION_INSERT);
	db_bind_text(st, "$id", hash);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$csrf", csrf);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0) {
		failed(e, a, msg);
		db_rollback();
		return -1;
	}
	if (db_commit() != 0)
		return failed(e, a, msg);
	/* Housekeeping at a moment that writes anyway: expired sessions and
	   failures older than the throttling window go. */
	st = db_stmt(S_SESSION_PURGE);
	db_bind_int(st, "$idle", db_now() - cfg.session_idle);
	db_bind_int(st, "$max", db_now() - cfg.session_max);
	db_exec(st);
	st = db_stmt(S_FAIL_PURGE);
	db_bind_int(st, "$before", db_now() - cfg.login_window);
	db_exec(st);
	st = db_stmt(S_WAIT_PURGE);
	db_bind_int(st, "$before", db_now() - cfg.login_window);
	db_exec(st);
	return 0;
}

/* Logging out, or a session found dead: the row goes. */
void
session_close(const char *hash)
{
	struct dbq	*st;

	st = db_stmt(S_SESSION_DELETE);
	db_bind_text(st, "$id", hash);
	db_exec(st);
}

/* A bearer token is its own login: the account it belongs to. */
int
token_account(struct arena *a, const char *hash, struct account *who)
{
	struct row_token_get	 t;
	struct dbq		*st;
	int			 rc = -1;

	st = db_stmt(S_TOKEN_GET);
	db_bind_text(st, "$hash", hash);
	if (row_token_get(st, a, &t) == DB_ROW) {
		who->id = t.account;
		who->name = t.name;
		who->email = t.email;
		who->role = t.role;
		who->association = t.association;
		rc = 0;
	}
	db_reset(st);
	return rc;
}

/* ------------------------------------------------------------- account */

/* The token's text is shown once; only its hash is stored. */
int
account_token_new(const struct actor *who, struct arena *a,
    const char *label, char out[65], struct derr *e)
{
	struct dbq	*st;
	char		 hash[65];

	if (label == NULL || strlen(label) > LABEL_LEN_MAX)
		return derr_set(e, a, 400, "label", "at most 100 characters");
	auth_random(out);
	auth_hash_token(out, hash);
	st = db_stmt(S_TOKEN_INSERT);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$account", who->id);
	db_bind_text(st, "$label", label);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		return failed(e, a, "the token could not be created");
	return 0;
}

/* The account page lists the tokens so that one can be removed. */
int
account_tokens(const struct actor *who, struct arena *a,
    struct row_token_list **list)
{
	struct dbq	*st = db_stmt(S_TOKEN_LIST);

	db_bind_int(st, "$account", who->id);
	return rows_token_list(st, a, list);
}

/* Delete row id of the actor's own with statement s (its WHERE says
   account = $account); what names the row for the person. */
static int
delete_own(const struct actor *who, struct arena *a, enum stmt s,
    int64_t id, const char *what, struct derr *e)
{
	struct dbq	*st;

	st = db_stmt(s);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$account", who->id);
	if (db_exec(st) != 0)
		return failed(e, a, arena_printf(a, "the %s could not be "
		    "removed", what));
	if (db_changes() == 0)
		return derr_set(e, a, 404, NULL, "there is no such %s", what);
	return 0;
}

/* A token is removed by its holder only (the WHERE says so). */
int
account_token_delete(const struct actor *who, struct arena *a, int64_t id,
    struct derr *e)
{
	return delete_own(who, a, S_TOKEN_DELETE, id, "token", e);
}

/* The name on letters and on the registry; one statement. */
int
account_set_name(const struct actor *who, struct arena *a, const char *name,
    struct derr *e)
{
	struct dbq	*st;

	if (name == NULL || *name == '\0')
		return derr_set(e, a, 400, "name", "enter your name");
	if (strlen(name) > NAME_LEN_MAX)
		return derr_set(e, a, 400, "name", "at most 200 characters");
	st = db_stmt(S_ACCOUNT_SET_NAME);
	db_bind_text(st, "$name", name);
	db_bind_int(st, "$id", who->id);
	if (db_exec(st) != 0)
		return failed(e, a, "the name could not be changed");
	return 0;
}

/* In the caller's transaction: account's password hash is pwhash, its
   reset links are spent, its sessions but keep end and its API tokens
   are revoked; 0 or -1. */
static int
new_password(int64_t account, const char *pwhash, const char *keep)
{
	struct dbq	*st;

	st = db_stmt(S_ACCOUNT_SET_PASSWORD);
	db_bind_text(st, "$pwhash", pwhash);
	db_bind_int(st, "$id", account);
	if (db_exec(st) != 0)
		return -1;
	/* Every other link sent to this account ends. */
	st = db_stmt(S_RESET_CANCEL);
	db_bind_int(st, "$account", account);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		return -1;
	/* Whoever knew the old password is logged out, and loses the API
	   tokens they may have made with it. */
	st = db_stmt(S_SESSION_DELETE_ACCOUNT);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$keep", keep);
	if (db_exec(st) != 0)
		return -1;
	st = db_stmt(S_TOKEN_DELETE_ACCOUNT);
	db_bind_int(st, "$account", account);
	return db_exec(st);
}

/* A new password ends what the old one opened, but the session in use:
   one transaction, so that none of it happens alone. */
int
account_set_password(const struct actor *who, struct arena *a,
    const char *pw, const char *keep, struct derr *e)
{
	const char	*why, *msg = "the password could not be changed";
	char		 hash[128];

	if (auth_password_problem(pw, &why) != 0)
		return derr_set(e, a, 400, "password", "%s", why);
	if (auth_hash_password(pw, hash) != 0)
		return derr_set(e, a, 500, NULL, "%s", msg);
	if (db_begin() != 0)
		return failed(e, a, msg);
	if (new_password(who->id, hash, keep != NULL ? keep : "") != 0) {
		failed(e, a, msg);
		db_rollback();
		return -1;
	}
	if (db_commit() != 0)
		return failed(e, a, msg);
	return 0;
}

/* --------------------------------------------------------------- reset */

/* A reset link for account id, mailed to email after intro (which may
   not hold the recipient's name or any other text a stranger chose).
   The mail is queued in the same transaction as the link's row: no link
   without its mail, no mail with a link that is not stored. */
static int
reset_mail(struct arena *a, int64_t id, const char *email, const char *subject,
    const char *intro, struct derr *e)
{
	const char	*msg = "the link could not be sent; try again";
	struct dbq	*st;
	char		 tok[65], hash[65];

	auth_random(tok);
	auth_hash_token(tok, hash);
	if (db_begin() != 0)
		return failed(e, a, msg);
	st = db_stmt(S_RESET_INSERT);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$account", id);
	db_bind_int(st, "$expires", db_now() + RESET_SECONDS);
	if (db_exec(st) != 0) {
		failed(e, a, msg);
		db_rollback();
		return -1;
	}
	if (mail_send(&(struct mail){ email, subject, arena_printf(a, "%s"
	    "To choose a new password, open\n\n  %s/reset/%s\n\nwithin an "
	    "hour. The link works once. If it was not you, ignore this "
	    "message.\n", intro, cfg.base_url, tok), NULL, 1 }) != 0) {
		db_rollback();
		return derr_set(e, a, 500, NULL, "%s", msg);
	}
	if (db_commit() != 0)
		return failed(e, a, msg);
	return 0;
}

/* A claim link (a reset link that lasts INVITE_SECONDS) to the account
   id, inside the caller's transaction: "BASE/reset/TOKEN" in a, or NULL
   when it could not be stored.  An invitation's mail carries it. */
const char *
account_claim_link(struct arena *a, int64_t id)
{
	struct dbq	*st;
	char		 tok[65], hash[65];

	auth_random(tok);
	auth_hash_token(tok, hash);
	st = db_stmt(S_RESET_INSERT);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$account", id);
	db_bind_int(st, "$expires", db_now() + INVITE_SECONDS);
	if (db_exec(st) != 0)
		return NULL;
	return arena_printf(a, "%s/reset/%s", cfg.base_url, tok);
}

/* An invitation to an imported endorsee: a claim link to the account
   id, mailed to email, inside the caller's transaction, so that an
   import stores its rows and queues its mail together or not at all.
   0, or -1. */
int
account_invite(struct arena *a, int64_t id, const char *email,
    const char *assoc_name, const char *number)
{
	const char	*link;

	if ((link = account_claim_link(a, id)) == NULL)
		return -1;
	return mail_send(&(struct mail){ email, arena_printf(a, "Your "
	    "endorsement %s is in the %s registry", number, assoc_name),
	    arena_printf(a, "Hello,\n\n%s keeps its registry of endorsements "
	    "in Endorse now, and your endorsement %s is in it. To claim your "
	    "account, choose a password: open\n\n  %s\n\nwithin "
	    "%d days. The link works once. Then log in at %s/login with this "
	    "e-mail address. If you forgot your password later, ask for a new "
	    "link on the login page.\n", assoc_name, number, link,
	    INVITE_SECONDS / 86400, cfg.base_url), NULL, 1 });
}

/* Mail a reset link if the address has an account.  The limit on mail
   to one address is counted first, whether or not it has one, so that
   a refusal (429) does not tell either. */
int
account_reset_send(const struct actor *who, struct arena *a,
    const char *email, struct derr *e)
{
	int64_t		 id;

	if (email == NULL || mail_limit(a, who->id, email, e) != 0)
		return email == NULL ? 0 : -1;
	if ((id = account_id_of(email)) == 0)
		return 0;
	return reset_mail(a, id, email, "Reset your Endorse password",
	    "Hello,\n\nsomeone asked to reset the password of your Endorse "
	    "account. ", e);
}

/*
 * A registration answers the same whether or not the address has an
 * account, in the same time: a new address gets its account and the
 * welcome letter, a known one a letter saying so with a reset link, and
 * the password is hashed either way.  The mail limit is counted first.
 * 0, or -1 and e (400 a value, with its field; 429 the mail limit; 503;
 * 500).
 */
int
account_register(const struct actor *who, struct arena *a,
    const struct account_new *n, struct derr *e)
{
	json_t		*errors;
	void		*it;
	char		 hash[128];
	int64_t		 id;
	int		 taken;

	if ((errors = problems(n, 0, &taken)) != NULL) {
		it = json_object_iter(errors);
		derr_set(e, a, 400, arena_strdup(a, json_object_iter_key(it)),
		    "%s", json_string_value(json_object_iter_value(it)));
		json_decref(errors);
		return -1;
	}
	if (mail_limit(a, who->id, n->email, e) != 0)
		return -1;
	if ((id = account_id_of(n->email)) == 0) {
		if (account_create(who, a, n, &id, e) == 0)
			return 0;
		if (e == NULL || e->status != 409)
			return -1;
		/* Taken in the meantime: answer as for a known address. */
		id = account_id_of(n->email);
	} else if (auth_hash_password(n->password, hash) != 0)
		return derr_set(e, a, 500, NULL, CREATE_FAILED);
	if (id == 0)
		return derr_set(e, a, 500, NULL, CREATE_FAILED);
	return reset_mail(a, id, n->email, "Your Endorse account",
	    arena_printf(a, "Hello,\n\nsomeone (perhaps you) tried to create "
	    "an Endorse account with this e-mail address, which already has "
	    "one. Log in at %s/login. If you forgot your password: ",
	    cfg.base_url), e);
}

/* The account of a reset link's token hash (hex) while it may be used;
   0 when none. */
static int64_t
reset_of(const char *hash)
{
	struct row_reset_get	 row;
	struct dbq		*st;
	int64_t			 id = 0;

	st = db_stmt(S_RESET_GET);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$now", db_now());
	if (row_reset_get(st, NULL, &row) == DB_ROW)
		id = row.account;
	db_reset(st);
	return id;
}

/* The reset form is shown only for a link that still works. */
int64_t
account_reset_find(const char *token)
{
	char	 hash[65];

	if (token == NULL || strlen(token) != 64)
		return 0;
	auth_hash_token(token, hash);
	return reset_of(hash);
}

/* The link is spent in the transaction that sets the password, so that
   two uses of one link cannot both succeed. */
int
account_reset_password(const struct actor *who, struct arena *a,
    const char *token, const char *pw, struct derr *e)
{
	const char	*why, *msg = "the password could not be changed; try "
			    "again";
	struct dbq	*st;
	char		 hash[65], pwhash[128];
	int64_t		 id;

	(void)who;
	if (auth_password_problem(pw, &why) != 0)
		return derr_set(e, a, 400, "password", "%s", why);
	if (token == NULL || strlen(token) != 64)
		return derr_set(e, a, 404, NULL, "this link has expired or was "
		    "already used; ask for a new one on the password reset "
		    "page");
	auth_hash_token(token, hash);
	if (auth_hash_password(pw, pwhash) != 0)
		return derr_set(e, a, 500, NULL, "%s", msg);
	if (db_begin() != 0)
		return failed(e, a, msg);
	if ((id = reset_of(hash)) == 0) {
		db_rollback();
		return derr_set(e, a, 404, NULL, "this link has expired or was "
		    "already used; ask for a new one on the password reset "
		    "page");
	}
	st = db_stmt(S_RESET_USE);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_changes() != 1 ||
	    new_password(id, pwhash, "") != 0) {
		failed(e, a, msg);
		db_rollback();
		return -1;
	}
	if (db_commit() != 0)
		return failed(e, a, msg);
	return 0;
}

/* ---------------------------------------------------------- membership */

/* The membership page lists the terms the person bought. */
int
account_memberships(const struct actor *who, struct arena *a,
    struct row_member_list **list)
{
	struct dbq	*st = db_stmt(S_MEMBER_LIST);

	db_bind_int(st, "$account", who->id);
	db_bind_null(st, "$assoc");
	return rows_member_list(st, a, list);
}

/* The page checks the term and computes its end from the rules; this
   stores it. */
int
membership_add(const struct actor *who, struct arena *a, const char *assoc,
    const char *term, const char *start, const char *end, struct derr *e)
{
	struct dbq	*st;

	st = db_stmt(S_MEMBER_INSERT);
	db_bind_int(st, "$account", who->id);
	db_bind_text(st, "$assoc", assoc);
	db_bind_text(st, "$term", term);
	db_bind_text(st, "$start", start);
	db_bind_text(st, "$end", end);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		return failed(e, a, "the membership could not be recorded");
	return 0;
}

/* A term is removed by its holder only (the WHERE says so). */
int
membership_delete(const struct actor *who, struct arena *a, int64_t id,
    struct derr *e)
{
	if (dom_member_removable(who->id, id, a, e) != 0)
		return -1;
	return delete_own(who, a, S_MEMBER_DELETE, id, "membership", e);
}
