/*
 * The public registry's read side (dom-registry.h): the search copy of
 * every visible endorsement, searched in memory, and one endorsement
 * found by its number.  No request, no HTTP: registry.c's pages and API
 * call these and fill their views.
 */
#define _GNU_SOURCE		/* memmem */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-registry.h"
#include "banned.h"

/* The registry's words of each status. */
static const struct {
	const char	*word;
	const char	*note;
} statuses[endorsement_status__N] = {
	[ENDORSEMENT_ACTIVE] = { "Active", "the endorsement is current." },
	[ENDORSEMENT_LAPSED] = { "Lapsed", "the endorsement was not renewed "
	    "in time; it is not current." },
	[ENDORSEMENT_REVOKED] = { "Revoked", "the association withdrew the "
	    "endorsement; it is not current." },
	[ENDORSEMENT_INACTIVE] = { "Inactive", "the endorsee has put the "
	    "endorsement on hold; it is not current." },
	[ENDORSEMENT_SUSPENDED] = { "Suspended", "the association has "
	    "suspended the endorsement; it is not current while the "
	    "suspension lasts." },
};

/* The API's object of one endorsement: number, name, category,
   association, status, city. */
static json_t *
row_object(const struct row_endorsement_by_number *e)
{
	const char *const	 v[] = { e->number, e->name, e->category,
	    e->association, db_enum_word(endorsement_status, e->status),
	    e->city };
	static const char *const keys[] = { "number", "name", "category",
	    "association", "status", "city" };
	json_t			*o = json_object();
	size_t			 i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_object_set_new(o, keys[i], json_string(v[i] != NULL ?
		    v[i] : ""));
	return o;
}

const char *
registry_status_word(enum endorsement_status s)
{
	return (unsigned)s < endorsement_status__N ? statuses[s].word :
	    "Unknown";
}

const char *
registry_status_note(enum endorsement_status s)
{
	return (unsigned)s < endorsement_status__N ? statuses[s].note : "";
}

/* The page's words of one kind of row (association, category, status):
   made once per copy and shared by the page objects of its rows
   (jansson's reference counts are atomic; nothing changes them). */
struct words {
	char		*assoc, *category;
	enum endorsement_status status;
	json_t		*association_name, *category_title, *status_word;
};

/*
 * The search copy: every visible endorsement in the order the search
 * lists them (name, case ignored, then number), read in one read
 * transaction with the registry's version (db/006-registry-version.sql).
 * A search scans its hay, the rows' searched columns lowercased and laid
 * end to end, with memmem: a full name that matches a few rows reads
 * 20,000 of them in well under a millisecond, where the LIKE scan it
 * replaces took 21 ms (bench/README.md).  The worker threads share one
 * copy; a search that finds the version moved reads a new one, under the
 * lock, and the old one is freed by its last reader.
 */
struct copy {
	int64_t		 version;
	int		 refs;		/* under copy_lock */
	size_t		 n;
	struct buf	 text;		/* each row's 6 columns, NUL after each */
	size_t		*row;		/* [n]: where row i starts in text */
	size_t		*word;		/* [n]: row i's words in words */
	struct words	*words;
	size_t		 nwords;
	struct buf	 hay;		/* each row's name, category and city,
					   ASCII lowercase, NUL after each */
	size_t		*hay_at;	/* [n + 1]: where row i starts in hay */
};

static pthread_mutex_t	 copy_lock = PTHREAD_MUTEX_INITIALIZER;
static struct copy	*copy_now;	/* under copy_lock */

static void
copy_free(struct copy *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nwords; i++) {
		free(c->words[i].assoc);
		free(c->words[i].category);
		json_decref(c->words[i].association_name);
		json_decref(c->words[i].category_title);
		json_decref(c->words[i].status_word);
	}
	free(c->words);
	buf_free(&c->text);
	buf_free(&c->hay);
	free(c->row);
	free(c->word);
	free(c->hay_at);
	free(c);
}

/* The index in c->words of the words of a row of this association,
   category and status, added if new.  A registry has a few dozen kinds;
   rows of one kind often follow each other. */
static size_t
copy_words(struct copy *c, const char *assoc, const char *category,
    enum endorsement_status status)
{
	struct words	*w;
	size_t		 i;

	for (i = c->nwords; i > 0; i--) {
		w = &c->words[i - 1];
		if (strcmp(w->category, category) == 0 &&
		    w->status == status && strcmp(w->assoc, assoc) == 0)
			return i - 1;
	}
	c->words = xreallocarray(c->words, c->nwords + 1, sizeof *c->words);
	w = &c->words[c->nwords];
	w->assoc = xstrdup(assoc);
	w->category = xstrdup(category);
	w->status = status;
	w->association_name = json_string(web_assoc_name(assoc));
	w->category_title = json_string(web_category_title(assoc, category));
	w->status_word = json_string(registry_status_word(status));
	return c->nwords++;
}

/* Add v to b, ASCII letters lowercased when lower, and a NUL. */
static void
add_column(struct buf *b, const char *v, int lower)
{
	const char	*s = v != NULL ? v : "";
	size_t		 at = b->len, i, n = strlen(s);

	buf_add(b, s, n);
	if (lower)
		for (i = at; i < at + n; i++)
			if (b->s[i] >= 'A' && b->s[i] <= 'Z')
				b->s[i] = (char)(b->s[i] - 'A' + 'a');
	buf_add(b, "", 1);	/* the NUL, inside len */
}

/* A new copy of the visible registry with its version, or NULL when the
   database cannot be read.  A GET's statements share one read
   transaction (route.c); outside one, the version is read first, so the
   rows are never older than it says (newer only costs a read again). */
static struct copy *
copy_read(void)
{
	struct copy		*c;
	struct dbq		*st;
	struct row_registry_version rv;
	struct row_registry_all	 e;
	const char		*col[6];
	size_t			 cap = 0;
	int			 i, rc;

	c = xcalloc(1, sizeof *c);
	buf_init(&c->text);
	buf_init(&c->hay);
	st = db_stmt(S_REGISTRY_VERSION);
	if ((rc = row_registry_version(st, NULL, &rv)) == DB_ROW)
		c->version = rv.n;
	db_reset(st);
	if (rc == DB_ERROR) {
		copy_free(c);
		return NULL;
	}
	st = db_stmt(S_REGISTRY_ALL);
	while ((rc = row_registry_all(st, NULL, &e)) == DB_ROW) {
		if (c->n + 1 >= cap) {
			cap = cap == 0 ? 1024 : 2 * cap;
			c->row = xreallocarray(c->row, cap, sizeof *c->row);
			c->word = xreallocarray(c->word, cap, sizeof *c->word);
			c->hay_at = xreallocarray(c->hay_at, cap,
			    sizeof *c->hay_at);
		}
		c->row[c->n] = c->text.len;
		col[0] = e.number;
		col[1] = e.name;
		col[2] = e.category;
		col[3] = e.association;
		col[4] = db_enum_word(endorsement_status, e.status);
		col[5] = e.city;
		for (i = 0; i < 6; i++)
			add_column(&c->text, col[i], 0);
		c->word[c->n] = copy_words(c, e.association != NULL ?
		    e.association : "", e.category != NULL ? e.category : "",
		    e.status);
		c->hay_at[c->n] = c->hay.len;
		add_column(&c->hay, e.name, 1);
		add_column(&c->hay, e.category, 1);
		add_column(&c->hay, e.city, 1);
		c->n++;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		copy_free(c);
		return NULL;
	}
	if (c->hay_at == NULL)
		c->hay_at = xreallocarray(NULL, 1, sizeof *c->hay_at);
	c->hay_at[c->n] = c->hay.len;
	return c;
}

/* The current copy, held (copy_release when done), or NULL. */
static struct copy *
copy_get(void)
{
	struct copy		*c, *old = NULL;
	struct dbq		*st;
	struct row_registry_version rv;
	int64_t			 version = -1;

	st = db_stmt(S_REGISTRY_VERSION);
	if (row_registry_version(st, NULL, &rv) == DB_ROW)
		version = rv.n;
	db_reset(st);
	pthread_mutex_lock(&copy_lock);
	if (copy_now == NULL || copy_now->version != version) {
		if ((c = copy_read()) != NULL) {
			if (copy_now != NULL && --copy_now->refs == 0)
				old = copy_now;
			c->refs = 1;		/* copy_now's */
			copy_now = c;
		}
	}
	if ((c = copy_now) != NULL)
		c->refs++;
	pthread_mutex_unlock(&copy_lock);
	copy_free(old);
	return c;
}

static void
copy_release(struct copy *c)
{
	int	 last;

	pthread_mutex_lock(&copy_lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&copy_lock);
	if (last)
		copy_free(c);
}

/* The API's object of row i of a copy (row_object's keys). */
static json_t *
copy_object(const struct copy *c, size_t i)
{
	static const char *const keys[] = { "number", "name", "category",
	    "association", "status", "city" };
	json_t		*o = json_object();
	const char	*v = c->text.s + c->row[i];
	size_t		 k;

	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		json_object_set_new(o, keys[k], json_string(v));
		v += strlen(v) + 1;
	}
	return o;
}

/* The page's object of row i: the columns and words the search page
   shows (templates/registry/search.html), the words shared. */
static json_t *
copy_page_object(const struct copy *c, size_t i)
{
	static const char *const keys[] = { "number", "name", "category",
	    NULL, NULL, "city" };
	const struct words	*w = &c->words[c->word[i]];
	json_t			*o = json_object();
	const char		*v = c->text.s + c->row[i];
	size_t			 k;

	for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		if (keys[k] != NULL)
			json_object_set_new(o, keys[k], json_string(v));
		v += strlen(v) + 1;
	}
	json_object_set(o, "association_name", w->association_name);
	json_object_set(o, "category_title", w->category_title);
	json_object_set(o, "status_word", w->status_word);
	json_object_set_new(o, "association", json_string(w->assoc));
	return o;
}

/* Whether every word of words (n of them, each NUL-ended) lies in row i's
   hay: its name, category or city.  A word holds no NUL, so a hit lies
   inside one column. */
static int
row_has_all(const struct copy *c, size_t i, char *const *words, size_t n)
{
	size_t	 k, from = c->hay_at[i], len = c->hay_at[i + 1] - from;

	for (k = 0; k < n; k++)
		if (memmem(c->hay.s + from, len, words[k],
		    strlen(words[k])) == NULL)
			return 0;
	return 1;
}

/* q lowercased (ASCII) and cut at spaces and tabs into *words, in the
   arena; their number.  *longest: the index of the longest. */
static size_t
split_words(struct arena *ar, const char *q, char ***words, size_t *longest)
{
	char	*t = arena_strdup(ar, q), *p;
	size_t	 n = 0, cap = strlen(q) / 2 + 1;

	*words = arena_alloc(ar, cap * sizeof **words);
	*longest = 0;
	for (p = t; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (p = t; *p != '\0';) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		(*words)[n] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (strlen((*words)[n]) > strlen((*words)[*longest]))
			*longest = n;
		n++;
	}
	return n;
}

/* At most 100 visible endorsements whose name, category or city holds
   every word of q (ASCII case ignored, as SQL's LIKE), in name order, as
   an array of the API's row objects, or the page's when page; NULL when
   the registry cannot be read.  The longest word finds the candidate
   rows; each is kept when it holds the others too. */
json_t *
registry_search(struct arena *ar, const char *q, int page)
{
	struct copy	*c;
	json_t		*a;
	char		**words;
	const char	*hit, *needle;
	size_t		 n, nw, i, lo, hi, mid, at = 0;

	a = json_array();
	if ((nw = split_words(ar, q, &words, &i)) == 0)
		return a;
	needle = words[i];
	n = strlen(needle);
	if ((c = copy_get()) == NULL) {
		json_decref(a);
		return NULL;
	}
	/* An empty registry has no hay at all (NULL). */
	while (json_array_size(a) < 100 && at < c->hay.len &&
	    (hit = memmem(c->hay.s + at, c->hay.len - at, needle, n)) !=
	    NULL) {
		/* The row holding the hit: the last one starting at or before
		   it. */
		lo = 0;
		hi = c->n;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (c->hay_at[mid] <= (size_t)(hit - c->hay.s))
				lo = mid;
			else
				hi = mid;
		}
		if (nw == 1 || row_has_all(c, lo, words, nw))
			json_array_append_new(a, page ?
			    copy_page_object(c, lo) : copy_object(c, lo));
		at = c->hay_at[lo + 1];
	}
	copy_release(c);
	return a;
}

/* The end of the current renewal cycle of an association's rule set
   ("December 31, 2027"), in the arena; NULL when it has no cycle. */
const char *
registry_valid_through(struct arena *ar, const char *assoc)
{
	static const char *const month[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	const struct ruleset	*rs;
	int			 y, m, d;

	if ((rs = web_rules(assoc)) == NULL ||
	    (y = life_cycle(rs, web_today())) == 0)
		return NULL;
	date_ymd(date_from_ymd(y, 12, 31), &y, &m, &d);
	return arena_printf(ar, "%s %d, %d", month[m - 1], d, y);
}

/* The row of an endorsement number with "since", or NULL; *status its
   status. */
json_t *
registry_find(const char *number, enum endorsement_status *status)
{
	struct dbq			*st;
	struct row_endorsement_by_number e;
	json_t				*o = NULL;

	st = db_stmt(S_ENDORSEMENT_BY_NUMBER);
	db_bind_text(st, "$number", number);
	if (row_endorsement_by_number(st, NULL, &e) == DB_ROW) {
		o = row_object(&e);
		*status = e.status;
		json_object_set_new(o, "since", json_string(e.since));
		if (e.withdrawn != NULL)
			json_object_set_new(o, "withdrawn", json_string(
			    e.withdrawn));
	}
	db_reset(st);
	return o;
}


/* ---------------------------------------------------------------- city */

#define CITY_MAX	100	/* bytes of a city */

/* The city the registry shows for account's endorsements, in the arena
   ("" none); NULL when the account holds no endorsement. */
const char *
registry_city(struct arena *ar, int64_t account)
{
	struct row_endorsement_city	 row;
	struct dbq			*st;
	const char			*city = NULL;

	st = db_stmt(S_ENDORSEMENT_CITY_OF);
	db_bind_int(st, "$account", account);
	if (row_endorsement_city(st, ar, &row) == DB_ROW)
		city = row.city != NULL ? row.city : "";
	db_reset(st);
	return city;
}

/* The holder sets the city the registry shows with each of their
   endorsements ("" none); audited.  0, or -1 and e (400 on "city", 404
   no endorsement, 503). */
int
registry_set_city(const struct actor *who, struct arena *ar,
    const char *city, struct derr *e)
{
	struct dbq	*st;
	size_t		 i, n = city != NULL ? strlen(city) : 0;

	if (n > CITY_MAX)
		return derr_set(e, ar, 400, "city", "enter at most %d "
		    "characters", CITY_MAX);
	for (i = 0; i < n; i++)
		if ((unsigned char)city[i] < ' ' || city[i] == 0x7f)
			return derr_set(e, ar, 400, "city", "enter the city "
			    "on one line");
	if (n > 0 && !utf8_ok((const unsigned char *)city, n))
		return derr_set(e, ar, 400, "city", "enter the city as text");
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, "the database is busy; try "
		    "again");
	st = db_stmt(S_ENDORSEMENT_SET_CITY);
	db_bind_text(st, "$city", n > 0 ? city : "");
	db_bind_int(st, "$account", who->id);
	if (db_exec(st) != 0 || db_changes() < 1) {
		db_rollback();
		return derr_set(e, ar, 404, NULL, "you hold no endorsement "
		    "to show a city with");
	}
	if (audit_write(who, "account", who->id, "registry_city",
	    json_pack("{s:s}", "city", n > 0 ? city : "")) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		return derr_set(e, ar, 503, NULL, "the city could not be "
		    "stored; try again");
	}
	return 0;
}

/* ------------------------------------------------ verified or declared */

#define HELD_MAX	32	/* categories of one person read */

/* The categories statement s finds for a person (a text bound to $key and
   the name), added to held; the new count. */
static int
held_by(enum stmt s, const char *key, const char *name, char **held, int n)
{
	struct dbq		*st;
	struct row_registry_codes row;

	if (key == NULL || *key == '\0' || name == NULL || *name == '\0')
		return n;
	st = db_stmt(s);
	db_bind_text(st, s == S_REGISTRY_CODES_BY_NUMBER ? "$number" :
	    "$email", key);
	db_bind_text(st, "$name", name);
	while (n < HELD_MAX && row_registry_codes(st, NULL, &row) == DB_ROW)
		if ((held[n] = strdup(row.category)) != NULL)
			n++;
	db_reset(st);
	return n;
}

static const char *
text_of(json_t *e, const char *key)
{
	return json_string_value(json_object_get(e, key));
}

/*
 * Whether the person an entry names (number, or e-mail, with the name)
 * holds, in the registry, every code the entry gives; no code: nothing
 * to verify.
 */
static int
holds_all(json_t *codes, const char *number, const char *name,
    const char *email)
{
	char		*held[HELD_MAX];
	json_t		*c;
	size_t		 i;
	int		 n, j, ok;

	if (!json_is_array(codes) || json_array_size(codes) == 0)
		return 0;
	n = held_by(S_REGISTRY_CODES_BY_NUMBER, number, name, held, 0);
	n = held_by(S_REGISTRY_CODES_BY_EMAIL, email, name, held, n);
	ok = n > 0;
	json_array_foreach(codes, i, c) {
		for (j = 0; ok && j < n; j++)
			if (json_is_string(c) && strcasecmp(held[j],
			    json_string_value(c)) == 0)
				break;
		if (j == n)
			ok = 0;
	}
	for (j = 0; j < n; j++)
		free(held[j]);
	return ok;
}

#define STATED_NUMBER_MAX	64	/* bytes of a rater's number */

void
registry_stated(const char *codes, const char *number, json_t *answers,
    json_t *errors)
{
	json_t		*a = NULL;
	const char	*why = NULL;

	if (codes != NULL && strlen(codes) > 300)
		json_object_set_new(errors, "endorsements", json_string(
		    "at most 300 characters"));
	else if (codes != NULL && (a = form_codes(codes, &why)) == NULL)
		json_object_set_new(errors, "endorsements", json_string(why));
	else if (codes != NULL && json_array_size(a) == 0)
		json_decref(a);
	else if (codes != NULL)
		json_object_set_new(answers, "endorsements", a);
	while (number != NULL && *number == ' ')
		number++;
	if (number != NULL && (strlen(number) > STATED_NUMBER_MAX ||
	    !utf8_ok((const unsigned char *)number, strlen(number))))
		json_object_set_new(errors, "endorsement_number", json_string(
		    "at most 64 characters"));
	else if (number != NULL && *number != '\0')
		json_object_set_new(answers, "endorsement_number",
		    json_string(number));
}

/* The codes (and number) raters stated on their completed ratings
   replace what the applicant typed for them: the latest rating of each
   e-mail that states any. */
static void
rater_statements(json_t *doc, int64_t app)
{
	struct dbq		*st = db_stmt(S_RATING_STATED);
	struct row_rating_stated row;
	json_t			*ans, *e, *codes;
	size_t			 i;
	const char		*mail;

	db_bind_int(st, "$app", app);
	while (row_rating_stated(st, NULL, &row) == DB_ROW) {
		if ((ans = json_loads(row.answers, 0, NULL)) == NULL)
			continue;
		codes = json_object_get(ans, "endorsements");
		json_array_foreach(json_object_get(doc, "references"), i, e) {
			mail = json_string_value(json_object_get(e, "email"));
			if (!json_is_array(codes) || mail == NULL ||
			    strcasecmp(mail, row.email) != 0)
				continue;
			json_object_set(e, "endorsements", codes);
			if (json_object_get(ans, "endorsement_number") != NULL)
				json_object_set(e, "endorsement_number",
				    json_object_get(ans,
				    "endorsement_number"));
		}
		json_decref(ans);
	}
	db_reset(st);
}

void
registry_mark(json_t *doc, int64_t app)
{
	json_t	*e;
	size_t	 i;

	if (app > 0)
		rater_statements(doc, app);

	json_array_foreach(json_object_get(doc, "rsc_received"), i, e)
		json_object_set_new(e, "verified", json_boolean(holds_all(
		    json_object_get(e, "provider_endorsements"),
		    text_of(e, "provider_number"), text_of(e, "provider"),
		    text_of(e, "provider_email"))));
	json_array_foreach(json_object_get(doc, "references"), i, e)
		json_object_set_new(e, "verified", json_boolean(holds_all(
		    json_object_get(e, "endorsements"),
		    text_of(e, "endorsement_number"), text_of(e, "name"),
		    text_of(e, "email"))));
}
