/*
 * The public registry: search endorsees by name, category or city
 * (GET /registry, GET /api/v1/registry) and verify one endorsement by its
 * number (GET /verify/NUMBER, GET /api/v1/verify/NUMBER).  Public: anyone,
 * logged in or not, with or without a token.  An endorsement its holder
 * hid is left out of searches but still verifies: whoever has the number
 * was given it.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-registry.h"
#include "banned.h"

#define QUERY_MAX	200	/* bytes of a search */
#define NUMBER_MAX	64	/* bytes of a number, as the import takes */

/* The page's words for a row's object: titles from the rule set (a rule
   set no longer loaded leaves the codes as they are). */
static void
row_words(json_t *o, enum endorsement_status s)
{
	const char		*assoc, *code;

	assoc = json_string_value(json_object_get(o, "association"));
	code = json_string_value(json_object_get(o, "category"));
	json_object_set_new(o, "association_name",
	    json_string(web_assoc_name(assoc)));
	json_object_set_new(o, "category_title",
	    json_string(web_category_title(assoc, code)));
	json_object_set_new(o, "status_word",
	    json_string(registry_status_word(s)));
	json_object_set_new(o, "status_note",
	    json_string(registry_status_note(s)));
	json_object_set_new(o, "current", json_boolean(s ==
	    ENDORSEMENT_ACTIVE));
}

/*
 * The search text of ?q= trimmed, in *q; 0, or -1 when it is not UTF-8
 * or too long.  An empty or absent q searches nothing: the registry is
 * searched, not listed whole.
 */
static int
query(struct req *r, const char **q)
{
	const char	*v = req_query(r, "q");
	char		*s;
	size_t		 n;

	*q = "";
	if (v == NULL)
		return 0;
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n > QUERY_MAX || !utf8_ok((const unsigned char *)v, n))
		return -1;
	s = arena_alloc(&r->arena, n + 1);
	memcpy(s, v, n);
	s[n] = '\0';
	*q = s;
	return 0;
}

/* A coordinator's rows of their own association link to the
   endorsement's page (revoke, suspend: page-revoke.c). */
static void
manage_links(struct req *r, json_t *results)
{
	const char	*a;
	json_t		*o;
	size_t		 i;

	if (r->user.role != UR_COORDINATOR || r->user.association == NULL)
		return;
	json_array_foreach(results, i, o) {
		a = json_string_value(json_object_get(o, "association"));
		if (a != NULL && strcmp(a, r->user.association) == 0)
			json_object_set_new(o, "manage", json_true());
	}
}

static void	 withdrawn_words(struct req *, json_t *,
		    enum endorsement_status);

/* A revoked or suspended row of the search says since when ("Revoked on
   March 5, 2027"), read by its number: the search copy holds no date, and
   such rows are few. */
static void
withdrawn_dates(struct req *r, json_t *results)
{
	const char		*rv = registry_status_word(ENDORSEMENT_REVOKED);
	const char		*su = registry_status_word(ENDORSEMENT_SUSPENDED);
	const char		*w;
	json_t			*o, *e;
	enum endorsement_status	 s;
	size_t			 i;

	json_array_foreach(results, i, o) {
		w = json_string_value(json_object_get(o, "status_word"));
		if (w == NULL || (strcmp(w, rv) != 0 && strcmp(w, su) != 0) ||
		    (e = registry_find(json_string_value(json_object_get(o,
		    "number")), &s)) == NULL)
			continue;
		row_words(e, s);
		withdrawn_words(r, e, s);
		json_object_set(o, "status_word", json_object_get(e,
		    "status_word"));
		json_decref(e);
	}
}

void
page_registry(struct req *r)
{
	json_t		*v = json_object(), *results, *errors, *f;
	const char	*q;
	int		 status = 200;

	errors = json_object();
	if (query(r, &q) != 0) {
		json_object_set_new(errors, "q", json_string("enter at most "
		    "200 characters of text"));
		json_object_set_new(v, "n_errors", json_integer(1));
		q = "";
		status = 400;
	}
	f = view_field("q", "Name, category or city", "text", q, errors,
	    "off");
	json_object_set_new(v, "fields", json_pack("[o]", f));
	json_decref(errors);
	if ((results = registry_search(&r->arena, q, 1)) == NULL) {
		json_decref(v);
		view_error(r, 503, "the registry cannot be searched just now; "
		    "try again in a moment");
		return;
	}
	json_object_set_new(v, "q", json_string(q));
	json_object_set_new(v, "searched", json_boolean(*q != '\0'));
	json_object_set_new(v, "n", json_integer((json_int_t)
	    json_array_size(results)));
	json_object_set_new(v, "n_text", json_string(arena_printf(&r->arena,
	    "%zu endorsement%s", json_array_size(results),
	    json_array_size(results) == 1 ? "" : "s")));
	json_object_set_new(v, "full", json_boolean(json_array_size(results)
	    == 100));
	manage_links(r, results);
	withdrawn_dates(r, results);
	json_object_set_new(v, "results", results);
	view_page(r, status, "registry/search", "Registry of endorsees", v);
}

/* Whether s may be an endorsement number: letters, digits, - _ and . as
   the import takes them, at most NUMBER_MAX bytes. */
static int
number_like(const char *s)
{
	size_t	 n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' &&
		    s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') ||
		    s[n] == '-' || s[n] == '_' || s[n] == '.'))
			return 0;
	return n > 0 && n <= NUMBER_MAX;
}

/* The verification page: the form to type a number, with value kept and
   its problem (NULL: none) by the field, and the endorsement o if any. */
/* The verification page: the number's form (value, why) and the
   credential's (text, vwhy), with an endorsement o or a credential's
   verification vc. */
static void
verify_full(struct req *r, int status, const char *value, const char *why,
    json_t *o, const char *text, const char *vwhy, json_t *vc)
{
	json_t	*v = json_object(), *errors = json_object(), *f;

	if (why != NULL) {
		json_object_set_new(errors, "number", json_string(why));
		json_object_set_new(v, "n_errors", json_integer(1));
	}
	f = view_field("number", "Endorsement number", "text", value, errors,
	    "off");
	json_object_set_new(f, "hint", json_string("As printed on the "
	    "certificate, for example VA-0001"));
	json_object_set_new(f, "describedby", json_string(why != NULL ?
	    "f-number-hint f-number-error" : "f-number-hint"));
	json_object_set_new(v, "fields", json_pack("[o]", f));
	json_decref(errors);
	if (o != NULL)
		json_object_set_new(v, "e", o);
	json_object_set_new(v, "vc_text", json_string(text));
	if (vwhy != NULL)
		json_object_set_new(v, "vc_error", json_string(vwhy));
	if (vc != NULL)
		json_object_set_new(v, "vc", vc);
	view_page(r, status, "registry/verify", vc != NULL || vwhy != NULL ?
	    "Verify a credential" : "Verify an endorsement", v);
}

static void
verify_page(struct req *r, int status, const char *value, const char *why,
    json_t *o)
{
	verify_full(r, status, value, why, o, "", NULL, NULL);
}

void
verify_credential_page(struct req *r, int status, const char *text,
    const char *why, json_t *vc)
{
	verify_full(r, status, "", NULL, NULL, text, why, vc);
}

/* A revoked or suspended endorsement's status with its date in words
   ("Revoked on March 5, 2027", "Suspended since ..."), when the date is
   known (the import stores none). */
static void
withdrawn_words(struct req *r, json_t *o, enum endorsement_status s)
{
	const char	*w = json_string_value(json_object_get(o, "withdrawn"));
	char		 day[DATE_US_MAX];

	if (w == NULL || (s != ENDORSEMENT_REVOKED &&
	    s != ENDORSEMENT_SUSPENDED))
		return;
	json_object_set_new(o, "status_word", json_string(arena_printf(
	    &r->arena, "%s %s", s == ENDORSEMENT_REVOKED ? "Revoked on" :
	    "Suspended since", date_us_text(w, day, sizeof day))));
}

/* The endorsement of number with the page's words, or NULL. */
static json_t *
verify_find(struct req *r, const char *number)
{
	json_t			*o;
	enum endorsement_status	 s;
	const char		*through;

	if (!number_like(number) || (o = registry_find(number, &s)) == NULL)
		return NULL;
	row_words(o, s);
	view_us_dates(o, "since");
	withdrawn_words(r, o, s);
	if (s == ENDORSEMENT_ACTIVE && (through = registry_valid_through(
	    &r->arena, json_string_value(json_object_get(o,
	    "association")))) != NULL)
		json_object_set_new(o, "valid_through", json_string(through));
	return o;
}

#define NOT_FOUND	"no endorsement has this number; check it against " \
			    "the certificate, or search the registry"

/* GET /verify: the form; ?number= typed goes to its page, or back to the
   form with the problem by the field. */
void
page_verify_form(struct req *r)
{
	const char	*n = req_query(r, "number");
	json_t		*o;
	char		*t;
	size_t		 k;

	if (n == NULL) {
		verify_page(r, 200, "", NULL, NULL);
		return;
	}
	while (*n == ' ' || *n == '\t')
		n++;
	t = arena_strdup(&r->arena, n);
	for (k = strlen(t); k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t');
	    k--)
		t[k - 1] = '\0';
	if (*t == '\0')
		verify_page(r, 400, "", "enter the number printed on the "
		    "certificate", NULL);
	else if (strlen(t) > NUMBER_MAX || !utf8_ok((const unsigned char *)t,
	    strlen(t)) || !number_like(t))
		verify_page(r, 400, strlen(t) > QUERY_MAX ? "" : t, "an "
		    "endorsement number has only letters, digits, - _ and .",
		    NULL);
	else if ((o = verify_find(r, t)) != NULL) {
		json_decref(o);
		reply_redirect(r, "/verify/%s", t);
	} else
		verify_page(r, 404, t, NOT_FOUND, NULL);
}

void
page_verify(struct req *r)
{
	json_t	*o;

	if ((o = verify_find(r, r->word)) == NULL) {
		verify_page(r, 404, number_like(r->word) ? r->word : "",
		    NOT_FOUND, NULL);
		return;
	}
	verify_page(r, 200, json_string_value(json_object_get(o, "number")),
	    NULL, o);
}

void
api_registry(struct req *r)
{
	json_t		*results;
	const char	*q;

	if (query(r, &q) != 0) {
		reply_error_json(r, 400, "q", "q must be at most %d bytes of "
		    "UTF-8 text", QUERY_MAX);
		return;
	}
	if ((results = registry_search(&r->arena, q, 0)) == NULL) {
		reply_error_json(r, 503, NULL, "the registry cannot be searched "
		    "just now; try again in a moment");
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "results", results));
}

void
api_verify(struct req *r)
{
	json_t			*o;
	enum endorsement_status	 s;

	if ((o = registry_find(r->word, &s)) == NULL) {
		reply_error_json(r, 404, NULL, "no endorsement has this number");
		return;
	}
	reply_json(r, 200, o);
}

