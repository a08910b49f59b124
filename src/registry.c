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
#include "banned.h"

#define QUERY_MAX	200	/* bytes of a search */

static const struct {
	const char	*status;
	const char	*word;
	const char	*note;
} statuses[] = {
	{ "active", "Active", "the endorsement is current." },
	{ "lapsed", "Lapsed", "the endorsement was not renewed in time; "
	    "it is not current." },
	{ "revoked", "Revoked", "the association withdrew the endorsement; "
	    "it is not current." },
	{ "inactive", "Inactive", "the endorsee has put the endorsement on "
	    "hold; it is not current." },
};

static int
status_index(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (s != NULL && strcmp(statuses[i].status, s) == 0)
			return (int)i;
	return -1;
}

/* The API's object of one row: number, name, category, association,
   status, city (the columns of both statements, in that order). */
static json_t *
row_object(sqlite3_stmt *st)
{
	static const char *const keys[] = { "number", "name", "category",
	    "association", "status", "city" };
	json_t		*o = json_object();
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		v = (const char *)sqlite3_column_text(st, (int)i);
		json_object_set_new(o, keys[i], json_string(v != NULL ? v :
		    ""));
	}
	return o;
}

/* The page's words for a row's object: titles from the rule set (a rule
   set no longer loaded leaves the codes as they are). */
static void
row_words(json_t *o)
{
	const char		*assoc, *code;
	int			 s;

	assoc = json_string_value(json_object_get(o, "association"));
	code = json_string_value(json_object_get(o, "category"));
	json_object_set_new(o, "association_name",
	    json_string(web_assoc_name(assoc)));
	json_object_set_new(o, "category_title",
	    json_string(web_category_title(assoc, code)));
	s = status_index(json_string_value(json_object_get(o, "status")));
	json_object_set_new(o, "status_word", json_string(s >= 0 ?
	    statuses[s].word : "Unknown"));
	json_object_set_new(o, "status_note", json_string(s >= 0 ?
	    statuses[s].note : ""));
	json_object_set_new(o, "current", json_boolean(s == 0));
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

/* At most 100 visible endorsements whose name, category or city holds q
   (ASCII case ignored), as an array of row objects. */
static json_t *
search(struct req *r, const char *q)
{
	sqlite3_stmt	*st;
	json_t		*a = json_array();
	char		*pat, *p;

	if (*q == '\0')
		return a;
	/* Escape LIKE's wildcards and the escape character itself. */
	pat = p = arena_alloc(&r->arena, 2 * strlen(q) + 3);
	*p++ = '%';
	for (; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*p++ = '\\';
		*p++ = *q;
	}
	*p++ = '%';
	*p = '\0';
	st = db_stmt(S_ENDORSEMENT_SEARCH);
	db_bind_text(st, "$pat", pat);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, row_object(st));
	sqlite3_reset(st);
	return a;
}

/* The row of an endorsement number with "since", or NULL. */
static json_t *
find(const char *number)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	st = db_stmt(S_ENDORSEMENT_BY_NUMBER);
	db_bind_text(st, "$number", number);
	if (sqlite3_step(st) == SQLITE_ROW) {
		o = row_object(st);
		json_object_set_new(o, "since", json_string((const char *)
		    sqlite3_column_text(st, 6)));
	}
	sqlite3_reset(st);
	return o;
}

void
page_registry(struct req *r)
{
	json_t		*v = json_object(), *results, *row, *errors, *f;
	const char	*q;
	size_t		 i;
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
	results = search(r, q);
	json_array_foreach(results, i, row)
		row_words(row);
	json_object_set_new(v, "q", json_string(q));
	json_object_set_new(v, "searched", json_boolean(*q != '\0'));
	json_object_set_new(v, "n", json_integer((json_int_t)
	    json_array_size(results)));
	json_object_set_new(v, "n_text", json_string(arena_printf(&r->arena,
	    "%zu endorsement%s", json_array_size(results),
	    json_array_size(results) == 1 ? "" : "s")));
	json_object_set_new(v, "full", json_boolean(json_array_size(results)
	    == 100));
	json_object_set_new(v, "results", results);
	view_page(r, status, "registry/search", "Registry of endorsees", v);
}

void
page_verify(struct req *r)
{
	json_t	*o;

	if ((o = find(r->word)) == NULL) {
		view_error(r, 404, "no endorsement has this number; check it "
		    "against the certificate, or search the registry");
		return;
	}
	row_words(o);
	view_page(r, 200, "registry/verify", "Verify an endorsement",
	    json_pack("{s:o}", "e", o));
}

void
api_registry(struct req *r)
{
	const char	*q;

	if (query(r, &q) != 0) {
		reply_error_json(r, 400, "q", "q must be at most %d bytes of "
		    "UTF-8 text", QUERY_MAX);
		return;
	}
	reply_json(r, 200, json_pack("{s:o}", "results", search(r, q)));
}

void
api_verify(struct req *r)
{
	json_t	*o;

	if ((o = find(r->word)) == NULL) {
		reply_error_json(r, 404, NULL, "no endorsement has this number");
		return;
	}
	reply_json(r, 200, o);
}
