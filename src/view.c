/*
 * Pages: every HTML response is a template rendered inside the layout by
 * tmpl.c, which escapes every value it prints; handlers hand over data
 * (a jansson view), never HTML.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "tmpl.h"
#include "banned.h"

static struct tmpl_set	*templates;

int
view_init(const char *dir, char **cause)
{
	if ((templates = tmpl_load(dir, cause)) == NULL)
		return -1;
	if (!tmpl_has(templates, "layout")) {
		xasprintf(cause, "%s: no layout.html", dir);
		tmpl_free(templates);
		templates = NULL;
		return -1;
	}
	return 0;
}

void
view_free(void)
{
	tmpl_free(templates);
	templates = NULL;
}

/* Ids for a list of fields: the input's, and what describes it (hint,
   error), so the template needs no logic for aria-describedby. */
static void
finish_fields(json_t *fields)
{
	json_t		*f;
	const char	*name;
	char		 by[300];
	size_t		 i;

	json_array_foreach(fields, i, f) {
		if ((name = json_string_value(json_object_get(f, "name"))) ==
		    NULL || json_object_get(f, "label") == NULL)
			continue;
		by[0] = '\0';
		if (json_object_get(f, "hint") != NULL)
			snprintf(by, sizeof by, "f-%s-hint", name);
		if (json_object_get(f, "error") != NULL)
			snprintf(by + strlen(by), sizeof by - strlen(by),
			    "%sf-%s-error", by[0] != '\0' ? " " : "", name);
		if (by[0] != '\0')
			json_object_set_new(f, "describedby", json_string(by));
	}
}

void
view_page(struct req *r, int status, const char *name, const char *title,
    json_t *v)
{
	char		*cause = NULL;
	const char	*key;
	json_t		*val;

	if (v == NULL)
		v = json_object();
	json_object_foreach(v, key, val)
		if (strstr(key, "fields") != NULL || strcmp(key, "label_field")
		    == 0)
			finish_fields(val);
	json_object_set_new(v, "title", json_string(title));
	json_object_set_new(v, "content", json_string(name));
	if (r->user.role != UR_ANON)
		json_object_set_new(v, "user", json_pack("{s:s, s:b}",
		    "name", r->user.name, "coordinator",
		    r->user.role == UR_COORDINATOR));
	json_object_set_new(v, "csrf", json_string(auth_csrf_token(r)));
	/* The mail limits, for the hint beside each form that sends mail. */
	json_object_set_new(v, "mail_limits", json_pack("{s:i, s:i}",
	    "recipient", cfg.mail_per_recipient, "account",
	    cfg.mail_per_account));
	r->out.len = 0;
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	if (tmpl_render(templates, "layout", v, &r->out, &cause) != 0) {
		r->log_error = arena_strdup(&r->arena, cause);
		free(cause);
		r->out.len = 0;
		buf_puts(&r->out, "<!doctype html><title>Error</title>"
		    "<p>This page could not be shown.</p>\n");
		r->status = 500;
	}
	json_decref(v);
}

/*
 * Words for people: a message without the field name the domain and the
 * API put first ("pdf: choose a PDF file" -> "choose a PDF file").  A
 * page shows the error beside its field, so the name adds nothing; the
 * API's JSON keeps it (docs/api.md).
 */
const char *
view_words(const char *msg)
{
	const char	*p;

	if (msg == NULL)
		return "";
	if (!islower((unsigned char)*msg))
		return msg;
	for (p = msg; *p != '\0' && (isalnum((unsigned char)*p) ||
	    strchr("_[].", *p) != NULL); p++)
		;
	if (p[0] == ':' && p[1] == ' ' && p[2] != '\0')
		return p + 2;
	return msg;
}

/* One problem of a form, for partials/problems.html: the summary links
   to the input (its id), the same words go beside it. */
json_t *
view_problem(const char *href, const char *label, const char *msg)
{
	return json_pack("{s:s, s:s, s:s}", "href", href, "label", label,
	    "message", view_words(msg));
}

void
view_error(struct req *r, int status, const char *msg)
{
	const char	*title;

	switch (status) {
	case 400: title = "That did not work"; break;
	case 403: title = "Not allowed"; break;
	case 404: title = "Not found"; break;
	case 405: title = "Not allowed"; break;
	case 413: title = "Too large"; break;
	case 429: title = "Too many attempts"; break;
	default: title = "Something went wrong"; break;
	}
	view_page(r, status, "error", title, json_pack("{s:s, s:i}",
	    "message", view_words(msg), "status", status));
}

static void
busy_header(struct req *r, const struct derr *e)
{
	if (e->status == 503)
		reply_header(r, "Retry-After", "1");
}

void
view_derr(struct req *r, const struct derr *e)
{
	busy_header(r, e);
	view_error(r, e->status, e->message);
}

void
api_derr(struct req *r, const struct derr *e)
{
	busy_header(r, e);
	reply_error_json(r, e->status, e->field, "%s", e->message);
}

void
view_read_failed(struct req *r)
{
	struct derr	 e;

	if (db_error() == DBE_BUSY)
		derr_set(&e, &r->arena, 503, NULL, "the database is busy; "
		    "try again");
	else
		derr_set(&e, &r->arena, 500, NULL, "the page could not be "
		    "read; try again");
	view_derr(r, &e);
}

struct actor
req_actor(const struct req *r)
{
	struct actor	 a = { ACTOR_NOBODY, 0, NULL, NULL, NULL, NULL };

	if (r == NULL)
		return a;
	a.id = r->user.id;
	a.name = r->user.name;
	a.email = r->user.email;
	a.association = r->user.association;
	a.kind = r->user.role == UR_APPLICANT ? ACTOR_APPLICANT :
	    r->user.role == UR_COORDINATOR ? ACTOR_COORDINATOR : ACTOR_NOBODY;
	return a;
}

static void
number_text(json_t *o, const char *from, const char *to)
{
	json_t	*v = json_object_get(o, from);
	char	 s[32];

	if (json_is_integer(v))
		snprintf(s, sizeof s, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(s, sizeof s, "%.2f", json_real_value(v));
	else
		return;
	if (strchr(s, '.') != NULL) {
		size_t n = strlen(s);
		while (s[n - 1] == '0')
			s[--n] = '\0';
		if (s[n - 1] == '.')
			s[--n] = '\0';
	}
	json_object_set_new(o, to, json_string(s));
}

static void	 bar_label(json_t *);

/* Progress for the template: percent, and numbers in words. */
static void
decorate(json_t *req)
{
	json_t		*alts, *alt, *sub;
	const char	*unit;
	double		 have, need;
	size_t		 i, j;
	int		 pct;
	char		 yt[48];

	have = json_number_value(json_object_get(req, "have"));
	need = json_number_value(json_object_get(req, "need"));
	pct = need <= 0 ? 100 : (int)(100.0 * have / need);
	if (pct > 100)
		pct = 100;
	if (pct < 0)
		pct = 0;
	/* The bar is have/need of what counted, capped: an unmet
	   requirement never shows a full bar (issue 16). */
	if (json_is_true(json_object_get(req, "met")))
		pct = 100;
	else if (pct > 95)
		pct = 95;
	json_object_set_new(req, "pct", json_integer(pct));
	number_text(req, "have", "have_text");
	number_text(req, "need", "need_text");
	unit = json_string_value(json_object_get(req, "unit"));
	/* After the need, with its space: " hours"; none for years. */
	snprintf(yt, sizeof yt, "%s%s", unit != NULL ? " " : "",
	    unit != NULL ? unit : "");
	json_object_set_new(req, "unit_words", json_string(yt));
	if (unit != NULL && strcmp(unit, "years") == 0) {
		/* "9 years 6 months of 2 years", not "9.48 of 2 years". */
		json_object_set_new(req, "have_text", json_string(years_text(
		    (centi)llround(have * 100), yt, sizeof yt)));
		json_object_set_new(req, "need_text", json_string(years_text(
		    (centi)llround(need * 100), yt, sizeof yt)));
		json_object_set_new(req, "unit_words", json_string(""));
	}
	json_object_set_new(req, "fact", json_boolean(unit == NULL ||
	    strcmp(unit, "fact") == 0 || strcmp(unit, "level") == 0 ||
	    strcmp(unit, "options") == 0));
	json_object_set_new(req, "n_excluded", json_integer((json_int_t)
	    json_array_size(json_object_get(req, "excluded"))));
	bar_label(req);
	/* Every key the template asks of a requirement is present, so that
	   a nested one never finds its parent's (mustache looks outward). */
	if ((alts = json_object_get(req, "alternatives")) == NULL)
		json_object_set_new(req, "alternatives", json_array());
	if (json_object_get(req, "excluded") == NULL)
		json_object_set_new(req, "excluded", json_array());
	json_array_foreach(alts, i, alt) {
		/* Why an option is not open to this applicant ("already held
		   with Emerging status"), or nothing. */
		if (json_object_get(alt, "closed") == NULL)
			json_object_set_new(alt, "closed", json_string(""));
		json_array_foreach(json_object_get(alt, "requirements"), j, sub)
			decorate(sub);
	}
}

/* What a requirement's bar is called: its text and the numbers ("Served
   at least 10 families ...: 14 of 10 families"), or its explanation when
   the rule set gives it no text (the renewal's), never its id (issue
   16). */
static void
bar_label(json_t *req)
{
	const char	*text;
	char		 s[1024];

	text = json_string_value(json_object_get(req, "text"));
	if (text == NULL) {
		json_object_set(req, "bar_label", json_object_get(req,
		    "explain"));
		return;
	}
	snprintf(s, sizeof s, "%s: %s of %s%s", text, json_string_value(
	    json_object_get(req, "have_text")), json_string_value(
	    json_object_get(req, "need_text")), json_string_value(
	    json_object_get(req, "unit_words")));
	json_object_set_new(req, "bar_label", json_string(s));
}

/* The date under key of o, or of each object of the array o, as people
   in the US write it ("March 5, 2027"): for pages only (issue 16). */
void
view_us_dates(json_t *o, const char *key)
{
	json_t	*v;
	size_t	 i;
	char	 us[DATE_US_MAX];

	if (json_is_array(o)) {
		json_array_foreach(o, i, v)
			view_us_dates(v, key);
		return;
	}
	v = json_object_get(o, key);
	if (json_is_string(v))
		json_object_set_new(o, key, json_string(date_us_text(
		    json_string_value(v), us, sizeof us)));
}

json_t *
view_checklist(json_t *check)
{
	json_t	*r;
	size_t	 i;
	int	 met = 0, n = 0;

	json_array_foreach(json_object_get(check, "requirements"), i, r) {
		decorate(r);
		n++;
		met += json_is_true(json_object_get(r, "met"));
	}
	json_object_set_new(check, "n_met", json_integer(met));
	json_object_set_new(check, "n_advice", json_integer((json_int_t)
	    json_array_size(json_object_get(check, "advisories"))));
	json_object_set_new(check, "n_total", json_integer(n));
	/* A renewal's "3 whole years", "1 whole year", "0 whole years". */
	if ((r = json_object_get(check, "years_endorsed")) != NULL &&
	    json_is_integer(r))
		json_object_set_new(check, "years_words", json_sprintf(
		    "%lld whole year%s", (long long)json_integer_value(r),
		    json_integer_value(r) == 1 ? "" : "s"));
	return check;
}

/* One input for the field partial (templates/partials/field.html). */
json_t *
view_field(const char *name, const char *label, const char *type,
    const char *value, json_t *errors, const char *autocomplete)
{
	json_t	*f = json_object(), *e, *s;

	json_object_set_new(f, "name", json_string(name));
	json_object_set_new(f, "label", json_string(label));
	json_object_set_new(f, type, json_true());
	json_object_set_new(f, "required", json_true());
	if (value != NULL && (s = json_string(value)) != NULL)
		json_object_set_new(f, "value", s);
	if (errors != NULL && (e = json_object_get(errors, name)) != NULL)
		json_object_set(f, "error", e);
	if (autocomplete != NULL)
		json_object_set_new(f, "autocomplete",
		    json_string(autocomplete));
	return f;
}

/* The index of w among the n words (a NULL word never matches), or -1:
   a query's value read against the words a page offers. */
int
view_word(const char *const *words, int n, const char *w)
{
	int	 i;

	for (i = 0; w != NULL && i < n; i++)
		if (words[i] != NULL && strcmp(words[i], w) == 0)
			return i;
	return -1;
}

/* "&par=value" (no "&" right after the "?") with the value %-encoded
   (RFC 3986 unreserved kept); nothing for an empty value. */
void
view_url_add(struct buf *b, const char *par, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	if (s == NULL || *s == '\0')
		return;
	buf_printf(b, "%s%s=", b->len > 0 && b->s[b->len - 1] == '?' ? "" :
	    "&", par);
	for (; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~", *s) != NULL)
			buf_add(b, s, 1);
		else
			buf_printf(b, "%%%c%c", hex[(unsigned char)*s >> 4],
			    hex[(unsigned char)*s & 15]);
	}
}

/* The query's page number (1 when not asked) in *page; -1 when it is not
   a whole number from 1 to 100,000 (*page left as it was). */
int
view_page_number(struct req *r, int *page)
{
	const char	*s;
	char		*end;
	long		 n;

	if ((s = req_query(r, "page")) == NULL || *s == '\0')
		return 0;
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < 1 || n > 100000)
		return -1;
	*page = (int)n;
	return 0;
}

/* A select's options (value, label), the one asked marked selected. */
json_t *
view_options(const char *const *words, const char *const *labels, int n,
    const char *asked)
{
	json_t	*o = json_array();
	int	 i;

	for (i = 0; i < n; i++)
		json_array_append_new(o, json_pack("{s:s, s:s, s:b}", "value",
		    words[i], "label", labels[i], "selected", asked != NULL &&
		    strcmp(asked, words[i]) == 0));
	return o;
}
