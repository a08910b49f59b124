/*
 * Accounts: register, log in and out, password reset by a single-use
 * e-mailed link, the account page (name, password, API tokens) and the
 * membership terms a person holds with each association.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-account.h"
#include "dom-registry.h"
#include "banned.h"

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
	struct account_new	 n = { trimmed(r, "name"), trimmed(r, "email"),
				    req_form(r, "password"), ACCT_APPLICANT,
				    req_form(r, "association"),
				    ACCOUNT_WELCOME };
	struct actor		 who = req_actor(r);
	struct derr		 e;
	json_t			*errors;

	if ((errors = account_problems(&n)) != NULL) {
		register_page(r, 400, errors);
		return;
	}
	if (account_register(&who, &r->arena, &n, &e) != 0) {
		if (e.field != NULL)
			register_page(r, 400, json_pack("{s:s}", e.field,
			    e.message));
		else
			view_derr(r, &e);
		return;
	}
	/* The same answer for a new address and a known one (which got a
	   mail saying so): no session, the login page with a notice. */
	reply_redirect(r, "/login?registered=1");
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
		    "is changed: every session was logged out and your API "
		    "tokens were revoked. Log in with the new one."));
	else if (req_query(r, "registered") != NULL)
		json_object_set_new(v, "notice", json_string("Check your "
		    "e-mail: we sent a message to the address you gave. If the "
		    "account is new, log in with it now."));
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

void
page_login(struct req *r)
{
	struct account	 who;
	int		 rc, wait;

	rc = account_authenticate(&r->arena, r->ip, trimmed(r, "email"),
	    req_form(r, "password"), &who, &wait);
	if (rc == ACCOUNT_THROTTLED) {
		reply_header(r, "Retry-After", arena_printf(&r->arena, "%d",
		    wait));
		login_page(r, 429, arena_printf(&r->arena, "too many failed "
		    "attempts; try again in %d seconds, or reset your "
		    "password", wait));
		return;
	}
	if (rc != ACCOUNT_OK) {
		login_page(r, 400, "wrong e-mail or password");
		return;
	}
	if (auth_login(r, who.id) != 0) {
		view_error(r, 500, "you could not be logged in; try again");
		return;
	}
	reply_redirect(r, who.role == ACCT_COORDINATOR ? "/coordinator" :
	    "/dashboard");
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
	json_t		*v, *fields, *errors;
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (email == NULL || !account_email_ok(email)) {
		v = json_object();
		fields = json_array();
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
	if (account_reset_send(&who, &r->arena, email, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	/* The same answer whether or not the account exists. */
	view_page(r, 200, "account/reset-sent", "Check your e-mail",
	    json_pack("{s:s}", "email", email));
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
	if (account_reset_find(r->word) == 0) {
		view_error(r, 404, "this link has expired or was already used; "
		    "ask for a new one on the password reset page");
		return;
	}
	reset_page(r, 200, NULL);
}

void
page_reset(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (account_reset_find(r->word) == 0) {
		view_error(r, 404, "this link has expired or was already used; "
		    "ask for a new one on the password reset page");
		return;
	}
	if (account_reset_password(&who, &r->arena, r->word,
	    req_form(r, "password"), &e) != 0) {
		if (e.field != NULL)
			reset_page(r, 400, json_pack("{s:s}", e.field,
			    e.message));
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/login?reset=1");
}

/* ------------------------------------------------------------- account */

/* The city the registry shows, for a person holding an endorsement:
   what was typed after a failed try, else the stored one. */
static void
city_field(struct req *r, json_t *v, json_t *errors)
{
	const char	*city = registry_city(&r->arena, r->user.id);
	json_t		*f;

	if (city == NULL)
		return;
	if (errors != NULL && json_object_get(errors, "city") != NULL)
		city = req_form(r, "city") != NULL ? req_form(r, "city") : "";
	f = view_field("city", "Your city", "text", city, errors,
	    "address-level2");
	json_object_set_new(f, "hint", json_string("Shown with your "
	    "endorsements in the public registry, and searched; leave it "
	    "empty to show none"));
	json_object_set_new(f, "describedby", json_string(errors != NULL &&
	    json_object_get(errors, "city") != NULL ?
	    "f-city-hint f-city-error" : "f-city-hint"));
	json_object_set_new(v, "city_field", json_pack("[o]", f));
}

static void
account_page(struct req *r, int status, json_t *errors, const char *token,
    const char *notice)
{
	json_t			*v = json_object(), *names = json_array(), *pws;
	json_t			*toks, *f;
	struct actor		 who = req_actor(r);
	struct row_token_list	*list;
	char			 d[DATE_US_MAX];
	int			 i, n;

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
	n = account_tokens(&who, &r->arena, &list);
	for (i = 0; i < n; i++) {
		date_us((int32_t)(list[i].created / 86400), d, sizeof d);
		json_array_append_new(toks, json_pack("{s:I, s:s, s:s}", "id",
		    (json_int_t)list[i].id, "label", list[i].label, "created",
		    d));
	}
	json_object_set_new(v, "account_email", json_string(r->user.email));
	json_object_set_new(v, "email_fields", json_pack("[o, o]",
	    view_field("new_email", "New e-mail address", "email",
	    errors != NULL ? req_form(r, "new_email") : NULL, errors, "email"),
	    view_field("email_password", "Current password", "password", NULL,
	    errors, "current-password")));
	city_field(r, v, errors);
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

/* A form of the account page refused: the page again with the error by
   its field, or the error page when no field is to blame. */
static void
account_failed(struct req *r, const struct derr *e)
{
	if (e->field != NULL)
		account_page(r, 400, json_pack("{s:s}", e->field, e->message),
		    NULL, NULL);
	else
		view_derr(r, e);
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
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (account_set_name(&who, &r->arena, name, &e) != 0) {
		account_failed(r, &e);
		return;
	}
	r->user.name = arena_strdup(&r->arena, name);
	account_page(r, 200, NULL, NULL, "Your name is changed.");
}

void
page_account_city(struct req *r)
{
	const char	*city = trimmed(r, "city");
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (registry_set_city(&who, &r->arena, city, &e) != 0) {
		account_failed(r, &e);
		return;
	}
	account_page(r, 200, NULL, NULL, city != NULL && *city != '\0' ?
	    "The registry shows your city now." : "The registry shows no "
	    "city for you now.");
}

void
page_account_password(struct req *r)
{
	const char	*cur = req_form(r, "current");
	struct actor	 who = req_actor(r);
	struct account	 me;
	struct derr	 e;
	int		 rc, wait;

	rc = account_authenticate(&r->arena, r->ip, r->user.email,
	    cur != NULL ? cur : "", &me, &wait);
	if (rc != ACCOUNT_OK) {
		if (rc == ACCOUNT_THROTTLED)
			reply_header(r, "Retry-After", arena_printf(&r->arena,
			    "%d", wait));
		account_page(r, rc == ACCOUNT_THROTTLED ? 429 : 400,
		    json_pack("{s:s}", "current", rc == ACCOUNT_THROTTLED ?
		    arena_printf(&r->arena, "too many failed attempts; try "
		    "again in %d seconds", wait) :
		    "this is not your current password"), NULL, NULL);
		return;
	}
	if (account_set_password(&who, &r->arena, req_form(r, "password"),
	    r->sid, &e) != 0) {
		account_failed(r, &e);
		return;
	}
	account_page(r, 200, NULL, NULL, "Your password is changed: other "
	    "sessions were logged out and your API tokens were revoked.");
}

/* POST /account/email: a new address, confirmed by a link mailed to it
   (account_email_request); the current password first, counted like a
   login's. */
void
page_account_email(struct req *r)
{
	const char	*cur = req_form(r, "email_password");
	const char	*to = trimmed(r, "new_email");
	struct actor	 who = req_actor(r);
	struct account	 me;
	struct derr	 e;
	int		 rc, wait;

	rc = account_authenticate(&r->arena, r->ip, r->user.email,
	    cur != NULL ? cur : "", &me, &wait);
	if (rc != ACCOUNT_OK) {
		if (rc == ACCOUNT_THROTTLED)
			reply_header(r, "Retry-After", arena_printf(&r->arena,
			    "%d", wait));
		account_page(r, rc == ACCOUNT_THROTTLED ? 429 : 400,
		    json_pack("{s:s}", "email_password", rc ==
		    ACCOUNT_THROTTLED ? arena_printf(&r->arena, "too many "
		    "failed attempts; try again in %d seconds", wait) :
		    "this is not your current password"), NULL, NULL);
		return;
	}
	if (account_email_request(&who, &r->arena, to, &e) != 0) {
		if (e.status == 429)
			account_page(r, 429, json_pack("{s:s}", "new_email",
			    e.message), NULL, NULL);
		else
			account_failed(r, &e);
		return;
	}
	account_page(r, 200, NULL, NULL, arena_printf(&r->arena, "We sent a "
	    "link to %s: open it within 24 hours to make it your address. "
	    "Until then you log in with %s.", to, r->user.email));
}

void
page_token_new(struct req *r)
{
	const char	*label = trimmed(r, "label");
	struct actor	 who = req_actor(r);
	struct derr	 e;
	char		 tok[65];

	if (label == NULL || *label == '\0' || strlen(label) > 100) {
		account_page(r, 400, json_pack("{s:s}", "label", label ==
		    NULL || *label == '\0' ? "say what the token is for" :
		    "at most 100 characters"), NULL, NULL);
		return;
	}
	if (account_token_new(&who, &r->arena, label, tok, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	account_page(r, 200, NULL, tok, NULL);
}

void
page_token_delete(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (account_token_delete(&who, &r->arena, r->id, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/account");
}

/* ---------------------------------------------------------- membership */

/*
 * Which year a term is for: the year it was bought, or the next one (a
 * term paid in December for the coming year starts January 1).  In
 * December the next year is the likelier answer and is chosen first.
 */
static json_t *
year_field(struct req *r, json_t *errors)
{
	const char	*v = req_form(r, "for");
	json_t		*f, *o;
	int		 y, m, d;

	date_ymd(web_today(), &y, &m, &d);
	if (v == NULL)
		v = m == 12 ? "ahead" : "bought";
	o = json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]", "value", "bought",
	    "label", "The year I bought it", "checked", strcmp(v, "bought") ==
	    0, "value", "ahead", "label", "The next year (bought ahead)",
	    "checked", strcmp(v, "ahead") == 0);
	f = view_field("for", "Which year is it for?", "select", NULL, errors,
	    NULL);
	json_object_set_new(f, "hint", json_string("a term bought in "
	    "December for the coming year starts on January 1"));
	json_object_set_new(f, "options", o);
	return f;
}

static void
membership_page(struct req *r, int status, json_t *errors)
{
	json_t			*v = json_object(), *list = json_array(), *f;
	json_t			*terms = json_array(), *fields = json_array();
	json_t			*buy = json_array();
	struct ruleset		**all;
	const struct ruleset	*rs;
	struct actor		 who = req_actor(r);
	struct row_member_list	*m;
	const char		*end;
	char			 today[11];
	int			 i, j, n;

	date_format(web_today(), today);
	if ((n = account_memberships(&who, &r->arena, &m)) < 0) {
		json_decref(v);
		json_decref(list);
		json_decref(terms);
		json_decref(fields);
		json_decref(buy);
		json_decref(errors);
		view_read_failed(r);
		return;
	}
	for (i = 0; i < n; i++) {
		end = m[i].end;
		rs = web_rules(m[i].association);
		f = json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
		    (json_int_t)m[i].id, "association",
		    rs != NULL ? rs->name : m[i].association, "start",
		    app_us_day(&r->arena, m[i].start), "end", end != NULL ?
		    app_us_day(&r->arena, end) : "ongoing", "active",
		    strcmp(m[i].start, today) <= 0 &&
		    (end == NULL || strcmp(end, today) >= 0));
		/* A term bought ahead: not lapsed, only not begun. */
		json_object_set_new(f, "ahead", json_boolean(
		    strcmp(m[i].start, today) > 0));
		if (m[i].term != NULL && rs != NULL &&
		    membership_term(rs, m[i].term))
			json_object_set_new(f, "term", json_string(
			    membership_term(rs, m[i].term)->title));
		json_array_append_new(list, f);
	}
	all = web_rules_all(&n);
	for (i = 0; i < n; i++)
		if (all[i]->membership.buy_url != NULL)
			json_array_append_new(buy, json_pack("{s:s, s:s}",
			    "name", all[i]->name, "url",
			    all[i]->membership.buy_url));
	json_object_set_new(v, "has_buy", json_boolean(json_array_size(buy)));
	json_object_set_new(v, "buy", buy);
	for (i = 0; i < n; i++)
		for (j = 0; j < all[i]->membership.nterms; j++)
			json_array_append_new(terms, json_pack(
			    "{s:s, s:s, s:b}", "value", arena_printf(&r->arena,
			    "%s/%s", all[i]->id, all[i]->membership.terms[j].id),
			    "label", arena_printf(&r->arena, "%s: %s",
			    all[i]->name, all[i]->membership.terms[j].title),
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
	json_array_append_new(fields, year_field(r, errors));
	json_object_set_new(v, "memberships", list);
	json_object_set_new(v, "removed", json_boolean(req_query(r, "removed")
	    != NULL));
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
	const char			*yr = req_form(r, "for");
	const struct ruleset		*rs = NULL;
	const struct membership_term	*mt = NULL;
	json_t				*errors = json_object();
	struct actor			 who = req_actor(r);
	struct derr			 e;
	char				 end[11], first[11], *assoc = NULL;
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
	if (yr == NULL)		/* a client without the question */
		yr = "bought";
	if (strcmp(yr, "bought") != 0 && strcmp(yr, "ahead") != 0)
		json_object_set_new(errors, "for", json_string("choose the "
		    "year the membership is for"));
	if (json_object_size(errors) > 0) {
		membership_page(r, 400, errors);
		return;
	}
	json_decref(errors);
	d = membership_start(d, strcmp(yr, "ahead") == 0);
	date_format(d, first);
	date_format(membership_expiry(&rs->membership, mt, d), end);
	if (membership_add(&who, &r->arena, rs->id, mt->id, first, end,
	    &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/membership");
}

void
page_membership_delete(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (membership_delete(&who, &r->arena, r->id, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/membership?removed=1");
}
