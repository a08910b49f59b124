/*
 * Accounts: register, log in and out, password reset by a single-use
 * e-mailed link, the account page (name, password, API tokens) and the
 * membership terms a person holds with each association.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "banned.h"

#define RESET_SECONDS	3600

/* Shared with the import of endorsees (cli-import.c). */
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

static const char *
trimmed(struct req *r, const char *name)
{
	const char	*v = req_form(r, name);
	char		*s;
	size_t		 n;

	if (v == NULL)
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	s = arena_strdup(&r->arena, v);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static json_t *
association_options(const char *selected, int optional)
{
	struct ruleset	**all;
	json_t		*a = json_array();
	int		 i, n;

	all = web_rules_all(&n);
	if (optional)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value",
		    "", "label", "Not decided yet", "checked",
		    selected == NULL || *selected == '\0'));
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value",
		    all[i]->id, "label", all[i]->name, "checked",
		    selected != NULL && strcmp(selected, all[i]->id) == 0));
	return a;
}

/* ------------------------------------------------------------ register */

/*
 * Validate and create an account; shared by the form and the API.
 * 0 and *id; -1 with errors[field] set; -2 on a store failure.
 */
int
account_create(struct req *r, const char *name, const char *email,
    const char *pw, const char *assoc, json_t *errors, int64_t *id)
{
	char		 hash[128];
	const char	*why;
	struct dbq	*st;
	int		 taken;

	if (name == NULL || *name == '\0')
		json_object_set_new(errors, "name",
		    json_string("enter your name"));
	else if (strlen(name) > 200)
		json_object_set_new(errors, "name",
		    json_string("at most 200 characters"));
	if (email == NULL || *email == '\0')
		json_object_set_new(errors, "email",
		    json_string("enter your e-mail address"));
	else if (!account_email_ok(email))
		json_object_set_new(errors, "email", json_string("enter an "
		    "e-mail address such as name@example.org"));
	if (auth_password_problem(pw, &why) != 0)
		json_object_set_new(errors, "password", json_string(why));
	if (assoc != NULL && *assoc != '\0' && web_rules(assoc) == NULL)
		json_object_set_new(errors, "association",
		    json_string("choose an association from the list"));
	if (json_object_get(errors, "email") == NULL) {
		st = db_stmt(S_ACCOUNT_BY_EMAIL);
		db_bind_text(st, "$email", email);
		taken = db_step(st) == DB_ROW;
		db_reset(st);
		if (taken)
			json_object_set_new(errors, "email", json_string(
			    "an account with this e-mail exists; log in or "
			    "reset its password"));
	}
	if (json_object_size(errors) > 0)
		return -1;
	if (auth_hash_password(pw, hash) != 0)
		return -2;
	if (db_begin() != 0)
		return -2;
	st = db_stmt(S_ACCOUNT_INSERT);
	db_bind_text(st, "$email", email);
	db_bind_text(st, "$name", name);
	db_bind_text(st, "$pwhash", hash);
	db_bind_text(st, "$role", "applicant");
	db_bind_null(st, "$assoc");
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0) {
		db_rollback();
		return -2;
	}
	*id = db_last_id();
	if (mail_send(&(struct mail){ email, "Welcome to Endorse",
	    arena_printf(&r->arena, "Dear %s,\n\nyour Endorse account is "
	    "ready. Log in at %s/login with this e-mail address to build "
	    "your Endorsement application.\n", name, cfg.base_url),
	    assoc != NULL && *assoc != '\0' ? assoc : NULL, 0 }) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		return -2;
	}
	return 0;
}

static void
register_page(struct req *r, int status, json_t *errors)
{
	json_t	*v = json_object(), *fields = json_array(), *f;

	json_array_append_new(fields, view_field("name", "Your name", "text",
	    req_form(r, "name"), errors, "name"));
	json_array_append_new(fields, view_field("email", "E-mail", "email",
	    req_form(r, "email"), errors, "email"));
	f = view_field("password", "Password", "password", NULL, errors,
	    "new-password");
	json_object_set_new(f, "hint", json_string("At least 10 characters"));
	json_array_append_new(fields, f);
	f = view_field("association", "Association you apply with", "select",
	    NULL, errors, NULL);
	json_object_set_new(f, "required", json_false());
	json_object_set_new(f, "options", association_options(
	    req_form(r, "association"), 1));
	json_array_append_new(fields, f);
	json_object_set_new(v, "fields", fields);
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
	json_decref(errors);
	view_page(r, status, "account/register", "Create an account", v);
}

void
page_register_form(struct req *r)
{
	register_page(r, 200, NULL);
}

void
page_register(struct req *r)
{
	json_t		*errors = json_object();
	int64_t		 id;
	int		 rc;

	rc = account_create(r, trimmed(r, "name"), trimmed(r, "email"),
	    req_form(r, "password"), req_form(r, "association"), errors, &id);
	if (rc == -1) {
		register_page(r, 400, errors);
		return;
	}
	json_decref(errors);
	if (rc != 0 || auth_login(r, id) != 0) {
		view_error(r, 500, "the account could not be created; try again");
		return;
	}
	reply_redirect(r, "/dashboard");
}

/* --------------------------------------------------------------- login */

static void
login_page(struct req *r, int status, const char *error)
{
	json_t	*v = json_object(), *fields = json_array(), *errors = NULL;

	if (error != NULL)
		errors = json_pack("{s:s}", "password", error);
	json_array_append_new(fields, view_field("email", "E-mail", "email",
	    req_form(r, "email"), NULL, "username"));
	json_array_append_new(fields, view_field("password", "Password",
	    "password", NULL, errors, "current-password"));
	json_object_set_new(v, "fields", fields);
	if (error != NULL)
		json_object_set_new(v, "n_errors", json_integer(1));
	if (req_query(r, "reset") != NULL)
		json_object_set_new(v, "notice", json_string("Your password "
		    "is changed. Log in with the new one."));
	json_decref(errors);
	view_page(r, status, "account/login", "Log in", v);
}

void
page_login_form(struct req *r)
{
	if (r->user.role != UR_ANON) {
		reply_redirect(r, r->user.role == UR_COORDINATOR ?
		    "/coordinator" : "/dashboard");
		return;
	}
	login_page(r, 200, NULL);
}

/* Check e-mail and password with throttling: the account id, 0 on a
   wrong pair, -1 when throttled. */
int64_t
account_authenticate(struct req *r, const char *email, const char *pw)
{
	struct dbq	*st;
	int64_t		 id = 0;
	char		*hash = NULL;

	if (email == NULL || pw == NULL)
		return 0;
	if (auth_throttled(r, email))
		return -1;
	st = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(st, "$email", email);
	if (db_step(st) == DB_ROW) {
		id = db_col_int64(st, 0);
		hash = db_text(&r->arena, st, 3);
	}
	db_reset(st);
	if (hash == NULL || !auth_check_password(hash, pw)) {
		auth_failed(r, email);
		return 0;
	}
	auth_succeeded(email);
	return id;
}

void
page_login(struct req *r)
{
	struct dbq	*st;
	int64_t		 id;
	int		 coord;

	id = account_authenticate(r, trimmed(r, "email"),
	    req_form(r, "password"));
	if (id == -1) {
		login_page(r, 429, "too many failed attempts; wait 15 minutes "
		    "or reset your password");
		return;
	}
	if (id == 0) {
		login_page(r, 400, "wrong e-mail or password");
		return;
	}
	if (auth_login(r, id) != 0) {
		view_error(r, 500, "you could not be logged in; try again");
		return;
	}
	st = db_stmt(S_ACCOUNT_BY_ID);
	db_bind_int(st, "$id", id);
	coord = db_step(st) == DB_ROW && strcmp((const char *)
	    db_col_text(st, 4), "coordinator") == 0;
	db_reset(st);
	reply_redirect(r, coord ? "/coordinator" : "/dashboard");
}

void
page_logout(struct req *r)
{
	auth_logout(r);
	reply_redirect(r, "/");
}

/* --------------------------------------------------------------- reset */

void
page_reset_request_form(struct req *r)
{
	json_t	*v = json_object(), *fields = json_array();

	json_array_append_new(fields, view_field("email", "E-mail", "email",
	    NULL, NULL, "username"));
	json_object_set_new(v, "fields", fields);
	view_page(r, 200, "account/reset-request", "Reset your password", v);
}

void
page_reset_request(struct req *r)
{
	const char	*email = trimmed(r, "email");
	struct dbq	*st;
	char		 tok[65], hash[65];
	int64_t		 id = 0;

	if (email != NULL && account_email_ok(email)) {
		st = db_stmt(S_ACCOUNT_BY_EMAIL);
		db_bind_text(st, "$email", email);
		if (db_step(st) == DB_ROW)
			id = db_col_int64(st, 0);
		db_reset(st);
	} else {
		json_t	*v = json_object(), *fields = json_array(), *errors;

		errors = json_pack("{s:s}", "email", "enter the e-mail address "
		    "of your account");
		json_array_append_new(fields, view_field("email", "E-mail",
		    "email", email, errors, "username"));
		json_decref(errors);
		json_object_set_new(v, "fields", fields);
		json_object_set_new(v, "n_errors", json_integer(1));
		view_page(r, 400, "account/reset-request",
		    "Reset your password", v);
		return;
	}
	if (id > 0) {
		auth_random(tok);
		auth_hash_token(tok, hash);
		if (db_begin() != 0)
			goto fail;
		st = db_stmt(S_RESET_INSERT);
		db_bind_text(st, "$hash", hash);
		db_bind_int(st, "$account", id);
		db_bind_int(st, "$expires", db_now() + RESET_SECONDS);
		if (db_exec(st) != 0 || mail_send(&(struct mail){ email,
		    "Reset your Endorse password", arena_printf(&r->arena,
		    "Someone asked to reset the password of this account. "
		    "To choose a new one, open\n\n  %s/reset/%s\n\nwithin an "
		    "hour. The link works once. If it was not you, ignore "
		    "this message.\n", cfg.base_url, tok), NULL, 1 }) != 0 ||
		    db_commit() != 0)
			goto fail;
	}
	/* The same answer whether or not the account exists. */
	view_page(r, 200, "account/reset-sent", "Check your e-mail",
	    json_pack("{s:s}", "email", email));
	return;
fail:
	db_rollback();
	view_error(r, 500, "the link could not be sent; try again");
}

static int64_t
reset_account(struct req *r, char hash[65])
{
	struct dbq	*st;
	int64_t		 id = 0;

	if (strlen(r->word) != 64)
		return 0;
	auth_hash_token(r->word, hash);
	st = db_stmt(S_RESET_GET);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$now", db_now());
	if (db_step(st) == DB_ROW)
		id = db_col_int64(st, 0);
	db_reset(st);
	return id;
}

static void
reset_page(struct req *r, int status, json_t *errors)
{
	json_t	*v = json_object(), *fields = json_array(), *f;

	f = view_field("password", "New password", "password", NULL, errors,
	    "new-password");
	json_object_set_new(f, "hint", json_string("At least 10 characters"));
	json_array_append_new(fields, f);
	json_object_set_new(v, "fields", fields);
	json_object_set_new(v, "token", json_string(r->word));
	if (errors != NULL)
		json_object_set_new(v, "n_errors", json_integer(1));
	json_decref(errors);
	view_page(r, status, "account/reset", "Choose a new password", v);
}

void
page_reset_form(struct req *r)
{
	char	 hash[65];

	if (reset_account(r, hash) == 0) {
		view_error(r, 404, "this link has expired or was already used; "
		    "ask for a new one on the password reset page");
		return;
	}
	reset_page(r, 200, NULL);
}

void
page_reset(struct req *r)
{
	const char	*pw = req_form(r, "password"), *why;
	char		 hash[65], pwhash[128];
	struct dbq	*st;
	int64_t		 id;

	if ((id = reset_account(r, hash)) == 0) {
		view_error(r, 404, "this link has expired or was already used; "
		    "ask for a new one on the password reset page");
		return;
	}
	if (auth_password_problem(pw, &why) != 0) {
		reset_page(r, 400, json_pack("{s:s}", "password", why));
		return;
	}
	if (auth_hash_password(pw, pwhash) != 0 || db_begin() != 0)
		goto fail;
	st = db_stmt(S_RESET_USE);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_changes() != 1)
		goto fail;
	/* Every other link sent to this account ends with this one. */
	st = db_stmt(S_RESET_CANCEL);
	db_bind_int(st, "$account", id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	st = db_stmt(S_ACCOUNT_SET_PASSWORD);
	db_bind_text(st, "$pwhash", pwhash);
	db_bind_int(st, "$id", id);
	if (db_exec(st) != 0)
		goto fail;
	/* Every session of the account ends: whoever knew the old password
	   is logged out. */
	st = db_stmt(S_SESSION_DELETE_ACCOUNT);
	db_bind_int(st, "$account", id);
	db_bind_text(st, "$keep", "");
	if (db_exec(st) != 0 || db_commit() != 0)
		goto fail;
	reply_redirect(r, "/login?reset=1");
	return;
fail:
	db_rollback();
	view_error(r, 500, "the password could not be changed; try again");
}

/* ------------------------------------------------------------- account */

static void
account_page(struct req *r, int status, json_t *errors, const char *token,
    const char *notice)
{
	json_t		*v = json_object(), *names = json_array(), *pws, *toks;
	json_t		*f;
	struct dbq	*st;
	char		 d[11];

	json_array_append_new(names, view_field("name", "Your name", "text",
	    r->nfields > 0 && req_form(r, "name") != NULL ?
	    req_form(r, "name") : r->user.name, errors, "name"));
	pws = json_array();
	json_array_append_new(pws, view_field("current", "Current password",
	    "password", NULL, errors, "current-password"));
	f = view_field("password", "New password", "password", NULL, errors,
	    "new-password");
	json_object_set_new(f, "hint", json_string("At least 10 characters"));
	json_array_append_new(pws, f);
	toks = json_array();
	st = db_stmt(S_TOKEN_LIST);
	db_bind_int(st, "$account", r->user.id);
	while (db_step(st) == DB_ROW) {
		date_format((int32_t)(db_col_int64(st, 2) / 86400), d);
		json_array_append_new(toks, json_pack("{s:I, s:s, s:s}", "id",
		    (json_int_t)db_col_int64(st, 0), "label",
		    (const char *)db_col_text(st, 1), "created", d));
	}
	db_reset(st);
	json_object_set_new(v, "account_email", json_string(r->user.email));
	json_object_set_new(v, "name_fields", names);
	json_object_set_new(v, "password_fields", pws);
	json_object_set_new(v, "tokens", toks);
	json_object_set_new(v, "label_field", json_pack("[o]", view_field(
	    "label", "What the token is for", "text", errors != NULL ?
	    req_form(r, "label") : NULL, errors, "off")));
	if (token != NULL)
		json_object_set_new(v, "new_token", json_string(token));
	if (notice != NULL)
		json_object_set_new(v, "notice", json_string(notice));
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
	json_decref(errors);
	view_page(r, status, "account/account", "Your account", v);
}

void
page_account(struct req *r)
{
	account_page(r, 200, NULL, NULL, NULL);
}

void
page_account_name(struct req *r)
{
	const char	*name = trimmed(r, "name");
	struct dbq	*st;

	if (name == NULL || *name == '\0' || strlen(name) > 200) {
		account_page(r, 400, json_pack("{s:s}", "name", name == NULL ||
		    *name == '\0' ? "enter your name" :
		    "at most 200 characters"), NULL, NULL);
		return;
	}
	st = db_stmt(S_ACCOUNT_SET_NAME);
	db_bind_text(st, "$name", name);
	db_bind_int(st, "$id", r->user.id);
	if (db_exec(st) != 0) {
		view_error(r, 500, "the name could not be changed");
		return;
	}
	r->user.name = arena_strdup(&r->arena, name);
	account_page(r, 200, NULL, NULL, "Your name is changed.");
}

void
page_account_password(struct req *r)
{
	const char	*cur = req_form(r, "current"), *pw, *why;
	char		 hash[128];
	struct dbq	*st;
	int64_t		 id;

	pw = req_form(r, "password");
	id = account_authenticate(r, r->user.email, cur != NULL ? cur : "");
	if (id <= 0) {
		account_page(r, id == -1 ? 429 : 400, json_pack("{s:s}",
		    "current", id == -1 ? "too many failed attempts; wait 15 "
		    "minutes" : "this is not your current password"), NULL,
		    NULL);
		return;
	}
	if (auth_password_problem(pw, &why) != 0) {
		account_page(r, 400, json_pack("{s:s}", "password", why), NULL,
		    NULL);
		return;
	}
	if (auth_hash_password(pw, hash) != 0 || db_begin() != 0)
		goto fail;
	st = db_stmt(S_ACCOUNT_SET_PASSWORD);
	db_bind_text(st, "$pwhash", hash);
	db_bind_int(st, "$id", r->user.id);
	if (db_exec(st) != 0)
		goto fail;
	st = db_stmt(S_RESET_CANCEL);
	db_bind_int(st, "$account", r->user.id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	/* Other sessions end; this one goes on. */
	st = db_stmt(S_SESSION_DELETE_ACCOUNT);
	db_bind_int(st, "$account", r->user.id);
	db_bind_text(st, "$keep", r->sid);
	if (db_exec(st) != 0 || db_commit() != 0)
		goto fail;
	account_page(r, 200, NULL, NULL, "Your password is changed; other "
	    "sessions were logged out.");
	return;
fail:
	db_rollback();
	view_error(r, 500, "the password could not be changed");
}

void
page_token_new(struct req *r)
{
	const char	*label = trimmed(r, "label");
	char		 tok[65];

	if (label == NULL || *label == '\0' || strlen(label) > 100) {
		account_page(r, 400, json_pack("{s:s}", "label", label ==
		    NULL || *label == '\0' ? "say what the token is for" :
		    "at most 100 characters"), NULL, NULL);
		return;
	}
	if (auth_token_new(r->user.id, label, tok) != 0) {
		view_error(r, 500, "the token could not be created");
		return;
	}
	account_page(r, 200, NULL, tok, NULL);
}

/* Delete row r->id of the caller's own (the statement's WHERE says
   account = $account), then go back. */
static void
delete_own(struct req *r, enum stmt s, const char *what, const char *back)
{
	struct dbq	*st;

	st = db_stmt(s);
	db_bind_int(st, "$id", r->id);
	db_bind_int(st, "$account", r->user.id);
	if (db_exec(st) != 0) {
		view_error(r, 500, arena_printf(&r->arena, "the %s could not "
		    "be removed", what));
		return;
	}
	if (db_changes() == 0) {
		view_error(r, 404, arena_printf(&r->arena, "there is no such "
		    "%s", what));
		return;
	}
	reply_redirect(r, "%s", back);
}

void
page_token_delete(struct req *r)
{
	delete_own(r, S_TOKEN_DELETE, "token", "/account");
}

/* ---------------------------------------------------------- membership */

static void
membership_page(struct req *r, int status, json_t *errors)
{
	json_t			*v = json_object(), *list = json_array(), *f;
	json_t			*terms = json_array(), *fields = json_array();
	struct ruleset		**all;
	const struct ruleset	*rs;
	struct dbq		*st;
	const char		*assoc, *term, *end;
	char			 today[11];
	int			 i, j, n;

	date_format(web_today(), today);
	st = db_stmt(S_MEMBER_LIST);
	db_bind_int(st, "$account", r->user.id);
	db_bind_null(st, "$assoc");
	while (db_step(st) == DB_ROW) {
		assoc = (const char *)db_col_text(st, 1);
		term = (const char *)db_col_text(st, 2);
		end = (const char *)db_col_text(st, 4);
		rs = web_rules(assoc);
		f = json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
		    (json_int_t)db_col_int64(st, 0), "association",
		    rs != NULL ? rs->name : assoc, "start",
		    (const char *)db_col_text(st, 3), "end",
		    end != NULL ? end : "ongoing", "active",
		    strcmp((const char *)db_col_text(st, 3), today) <= 0
		    && (end == NULL || strcmp(end, today) >= 0));
		if (term != NULL && rs != NULL && membership_term(rs, term))
			json_object_set_new(f, "term", json_string(
			    membership_term(rs, term)->title));
		json_array_append_new(list, f);
	}
	db_reset(st);
	all = web_rules_all(&n);
	for (i = 0; i < n; i++)
		for (j = 0; j < all[i]->membership.nterms; j++)
			json_array_append_new(terms, json_pack(
			    "{s:s, s:s, s:b}", "value", arena_printf(&r->arena,
			    "%s/%s", all[i]->id, all[i]->membership.terms[j].id),
			    "label", arena_printf(&r->arena, "%s: %s",
			    all[i]->id, all[i]->membership.terms[j].title),
			    "checked", req_form(r, "term") != NULL &&
			    strcmp(req_form(r, "term"), arena_printf(&r->arena,
			    "%s/%s", all[i]->id,
			    all[i]->membership.terms[j].id)) == 0));
	f = view_field("term", "Membership", "select", NULL, errors, NULL);
	json_object_set_new(f, "options", terms);
	json_array_append_new(fields, f);
	f = view_field("start", "Bought on", "date", req_form(r, "start") !=
	    NULL ? req_form(r, "start") : today, errors, NULL);
	json_object_set_new(f, "hint", json_string("YYYY-MM-DD; the term "
	    "ends on December 31 as the association's rules say"));
	json_array_append_new(fields, f);
	json_object_set_new(v, "memberships", list);
	json_object_set_new(v, "fields", fields);
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
	json_decref(errors);
	view_page(r, status, "account/membership", "Membership", v);
}

void
page_membership(struct req *r)
{
	membership_page(r, 200, NULL);
}

void
page_membership_add(struct req *r)
{
	const char			*term = req_form(r, "term");
	const char			*start = trimmed(r, "start"), *slash;
	const struct ruleset		*rs = NULL;
	const struct membership_term	*mt = NULL;
	json_t				*errors = json_object();
	struct dbq			*st;
	char				 end[11], *assoc = NULL;
	int32_t				 d = 0;

	if (term != NULL && (slash = strchr(term, '/')) != NULL) {
		assoc = arena_printf(&r->arena, "%.*s", (int)(slash - term),
		    term);
		if ((rs = web_rules(assoc)) != NULL)
			mt = membership_term(rs, slash + 1);
	}
	if (mt == NULL)
		json_object_set_new(errors, "term",
		    json_string("choose a membership from the list"));
	if (start == NULL || date_parse(start, &d) != 0)
		json_object_set_new(errors, "start",
		    json_string("enter a date as YYYY-MM-DD"));
	else if (d < date_from_ymd(1990, 1, 1) || d > web_today() + 366)
		json_object_set_new(errors, "start", json_string("enter a date "
		    "from 1990 to a year from today"));
	if (json_object_size(errors) > 0) {
		membership_page(r, 400, errors);
		return;
	}
	json_decref(errors);
	date_format(membership_expiry(&rs->membership, mt, d), end);
	st = db_stmt(S_MEMBER_INSERT);
	db_bind_int(st, "$account", r->user.id);
	db_bind_text(st, "$assoc", rs->id);
	db_bind_text(st, "$term", mt->id);
	db_bind_text(st, "$start", start);
	db_bind_text(st, "$end", end);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0) {
		view_error(r, 500, "the membership could not be recorded");
		return;
	}
	reply_redirect(r, "/membership");
}

void
page_membership_delete(struct req *r)
{
	delete_own(r, S_MEMBER_DELETE, "membership", "/membership");
}
