/*
 * The JSON API (docs/api.md): accounts, bearer tokens, applications, the
 * portfolio (GET and PUT of endorse-portfolio/1) and the checklist
 * (endorse-check/1).  Errors are {"error", "field"} with a 4xx status.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-account.h"
#include "dom-app.h"
#include "banned.h"

/* The request's JSON object body, or NULL with the answer sent. */
static json_t *
body_object(struct req *r)
{
	json_error_t	 err;
	json_t		*o;

	if (!r->body_json) {
		reply_error_json(r, 415, NULL, "send the body as "
		    "application/json");
		return NULL;
	}
	o = json_loadb(r->body.s != NULL ? r->body.s : "", r->body.len,
	    JSON_REJECT_DUPLICATES, &err);
	if (o == NULL) {
		reply_error_json(r, 400, NULL, "line %d, column %d: not valid "
		    "JSON: %s", err.line, err.column, err.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		reply_error_json(r, 400, NULL, "the body must be a JSON object");
		return NULL;
	}
	return o;
}

/* A string member, or NULL with the answer sent (when required). */
static const char *
member(struct req *r, json_t *o, const char *key, int required, int *bad)
{
	json_t	*v = json_object_get(o, key);

	if (*bad)
		return NULL;
	if (v == NULL && !required)
		return NULL;
	if (v == NULL) {
		reply_error_json(r, 400, key, "%s is required", key);
		*bad = 1;
		return NULL;
	}
	if (!json_is_string(v)) {
		reply_error_json(r, 400, key, "%s must be a string", key);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

void
api_accounts(struct req *r)
{
	struct account_new	 n = { NULL, NULL, NULL, ACCT_APPLICANT, NULL,
				    ACCOUNT_WELCOME };
	struct actor		 who = req_actor(r);
	struct derr		 e;
	json_t			*o;
	int			 bad = 0;

	if ((o = body_object(r)) == NULL)
		return;
	n.name = member(r, o, "name", 1, &bad);
	n.email = member(r, o, "email", 1, &bad);
	n.password = member(r, o, "password", 1, &bad);
	if (bad) {
		json_decref(o);
		return;
	}
	if (account_register(&who, &r->arena, &n, &e) != 0) {
		/* A value's error names its member, as member() does. */
		if (e.field != NULL)
			e.message = arena_printf(&r->arena, "%s: %s", e.field,
			    e.message);
		api_derr(r, &e);
	} else	/* The same for a known address: no id, it would tell. */
		reply_json(r, 201, json_pack("{s:s, s:s}", "email", n.email,
		    "status", "check your e-mail: a new account is ready to "
		    "log in; a known address was told that it has one"));
	json_decref(o);
}

void
api_tokens(struct req *r)
{
	json_t		*o;
	const char	*email, *pw, *label;
	char		 tok[65];
	struct account	 acct;
	struct actor	 who;
	struct derr	 e;
	int		 bad = 0, rc, wait;

	if ((o = body_object(r)) == NULL)
		return;
	email = member(r, o, "email", 1, &bad);
	pw = member(r, o, "password", 1, &bad);
	label = member(r, o, "label", 0, &bad);
	if (bad) {
		json_decref(o);
		return;
	}
	if (label != NULL && strlen(label) > 100) {
		reply_error_json(r, 400, "label", "label: at most 100 "
		    "characters");
		json_decref(o);
		return;
	}
	rc = account_authenticate(&r->arena, r->ip, email, pw, &acct, &wait);
	if (rc == ACCOUNT_THROTTLED) {
		reply_header(r, "Retry-After", arena_printf(&r->arena, "%d",
		    wait));
		reply_error_json(r, 429, NULL, "too many failed attempts; try "
		    "again in %d seconds", wait);
	} else if (rc != ACCOUNT_OK)
		reply_error_json(r, 401, "password", "wrong e-mail or "
		    "password");
	else {
		who = account_actor(&acct);
		if (account_token_new(&who, &r->arena, label != NULL ? label :
		    "API", tok, &e) != 0)
			api_derr(r, &e);
		else
			reply_json(r, 201, json_pack("{s:s, s:I}", "token",
			    tok, "account", (json_int_t)acct.id));
	}
	json_decref(o);
}

void
api_application_list(struct req *r)
{
	json_t		*list;
	struct derr	 e;

	if ((list = app_list_json(r->user.id)) == NULL) {
		derr_set(&e, &r->arena, db_error() == DBE_BUSY ? 503 : 500,
		    NULL, db_error() == DBE_BUSY ? "the database is busy; "
		    "try again" : "the applications could not be read");
		api_derr(r, &e);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "applications", list));
}

void
api_applications(struct req *r)
{
	json_t		*o;
	const char	*assoc, *cat, *field, *why;
	int64_t		 id;
	int		 bad = 0, rc;

	if ((o = body_object(r)) == NULL)
		return;
	assoc = member(r, o, "association", 1, &bad);
	cat = member(r, o, "category", 1, &bad);
	if (bad) {
		json_decref(o);
		return;
	}
	rc = app_create(r, assoc, cat, &id, &field, &why);
	if (rc == -1)
		reply_error_json(r, 400, field, "%s: %s", field, why);
	else if (rc != 0)
		reply_error_json(r, 503, NULL, "%s", why);
	else
		reply_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
	json_decref(o);
}

static int
api_app(struct req *r, int write, struct app *a)
{
	if (app_load(r, r->id, write, a) != 0) {
		reply_error_json(r, 404, NULL, "there is no application %lld",
		    (long long)r->id);
		return -1;
	}
	if (write && !app_editable(a)) {
		reply_error_json(r, 409, NULL, "the application is submitted "
		    "and locked");
		return -1;
	}
	return 0;
}

void
api_portfolio_get(struct req *r)
{
	struct app	 a;

	if (api_app(r, 0, &a) == 0)
		reply_json(r, 200, app_portfolio(r, &a));
}

void
api_portfolio_put(struct req *r)
{
	struct app	 a;
	json_t		*doc;
	char		*field = NULL, *cause = NULL;
	int		 rc;

	if (api_app(r, 1, &a) != 0 || (doc = body_object(r)) == NULL)
		return;
	rc = app_put_portfolio(r, &a, doc, &field, &cause);
	if (rc == -1 || rc == -3)
		reply_error_json(r, rc == -1 ? 400 : 413, field, "%s", cause);
	else if (rc != 0)
		reply_error_json(r, 503, NULL, "%s", cause);
	else if (app_load(r, r->id, 0, &a) != 0)	/* as stored now */
		reply_error_json(r, 404, NULL, "there is no application %lld",
		    (long long)r->id);
	else
		reply_json(r, 200, app_portfolio(r, &a));
	free(field);
	free(cause);
	json_decref(doc);
}

void
api_checklist(struct req *r)
{
	struct app	 a;
	json_t		*doc, *check;
	char		*cause = NULL;

	if (api_app(r, 0, &a) != 0)
		return;
	doc = app_portfolio(r, &a);
	check = app_checklist(r, &a, doc, &cause);
	json_decref(doc);
	if (check == NULL) {
		reply_error_json(r, 409, NULL, "%s", cause);
		free(cause);
		return;
	}
	reply_json(r, 200, check);
}
