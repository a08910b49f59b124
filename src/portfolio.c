/*
 * The endorse-portfolio/1 reader (../shared/spec/portfolio.md), on jansson.
 *
 * Strict by design: a document we cannot read exactly is refused with the
 * JSON path of the first problem ("work[2].start: \"2021-13-01\" is not a
 * date"); nothing is guessed.  Unknown fields are refused too, so that a
 * misspelt optional field ("transcipt") is not silently read as absent.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "endorse.h"
#include "banned.h"

#define MAX_HOURS	100000		/* per entry */
#define MAX_COUNT	1000000		/* families, recipients */
#define MAX_ENTRIES	10000		/* per array */
#define MAX_FILE	(16 * 1024 * 1024)

struct rd {
	struct portfolio	*p;
	char			 path[256];
	char			*cause;
};

/* Report a problem at PATH(.key); returns -1 for the caller to return. */
static int __attribute__((format(printf, 3, 4)))
fail(struct rd *rd, const char *key, const char *fmt, ...)
{
	struct buf	 b;
	char		 msg[512];
	va_list		 ap;

	if (rd->cause != NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_puts(&b, rd->path);
	if (key != NULL) {
		if (rd->path[0] != '\0')
			buf_puts(&b, ".");
		buf_puts(&b, key);
	}
	buf_printf(&b, "%s%s", b.len > 0 ? ": " : "", msg);
	rd->cause = b.s;
	return -1;
}

/* The value as JSON text, shortened, for messages. */
static void
show(json_t *v, char *out, size_t sz)
{
	char	*s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	int	 n = 57;

	/* Shortened at a character's start: the message must stay UTF-8. */
	if (s != NULL && strlen(s) > 60)
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	if (s == NULL)
		snprintf(out, sz, "(value)");
	else if (strlen(s) > 60)
		snprintf(out, sz, "%.*s...", n, s);
	else
		snprintf(out, sz, "%s", s);
	free(s);
}

static const char *
type_word(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:	return "an object";
	case JSON_ARRAY:	return "an array";
	case JSON_STRING:	return "a string";
	case JSON_INTEGER:
	case JSON_REAL:		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:	return "a boolean";
	case JSON_NULL:		return "null";
	}
	return "a value";
}

static int
wrong_type(struct rd *rd, const char *key, json_t *v, const char *want)
{
	return fail(rd, key, "must be %s, not %s", want, type_word(v));
}

/* Refuse keys not in the list. */
static int
known_keys(struct rd *rd, json_t *obj, const char *const *keys)
{
	const char	*k;
	json_t		*v;
	int		 i, ok;

	json_object_foreach(obj, k, v) {
		ok = 0;
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(keys[i], k) == 0)
				ok = 1;
		if (!ok)
			return fail(rd, k, "unknown field");
	}
	return 0;
}

static json_t *
need(struct rd *rd, json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL)
		fail(rd, key, "is required");
	return v;
}

static int
get_string(struct rd *rd, json_t *obj, const char *key, int required,
    char **out)
{
	json_t	*v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || (!required && json_is_null(v))) {
		if (required)
			return fail(rd, key, "is required");
		return 0;
	}
	if (!json_is_string(v))
		return wrong_type(rd, key, v, "a string");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return fail(rd, key, "contains a NUL character");
	if (required && json_string_length(v) == 0)
		return fail(rd, key, "must not be empty");
	*out = arena_strdup(&rd->p->arena, json_string_value(v));
	return 0;
}

/* A date; null allowed when nullable (then DATE_NONE). */
static int
get_date(struct rd *rd, json_t *obj, const char *key, int required,
    int nullable, int32_t *out)
{
	json_t	*v = json_object_get(obj, key);
	char	 shown[80];

	*out = DATE_NONE;
	if (v == NULL) {
		if (required)
			return fail(rd, key, "is required");
		return 0;
	}
	if (json_is_null(v)) {
		if (!nullable)
			return fail(rd, key, "must be a date (YYYY-MM-DD), "
			    "not null");
		return 0;
	}
	if (!json_is_string(v))
		return wrong_type(rd, key, v, "a date (YYYY-MM-DD)");
	if (date_parse(json_string_value(v), out) != 0) {
		show(v, shown, sizeof shown);
		return fail(rd, key, "%s is not a date", shown);
	}
	return 0;
}

static int
get_bool(struct rd *rd, json_t *obj, const char *key, int required, int *out)
{
	json_t	*v = json_object_get(obj, key);

	*out = 0;
	if (v == NULL) {
		if (required)
			return fail(rd, key, "is required");
		return 0;
	}
	if (!json_is_boolean(v))
		return wrong_type(rd, key, v, "true or false");
	*out = json_is_true(v);
	return 0;
}

static int
get_enum(struct rd *rd, json_t *obj, const char *key, int required,
    const struct vocab *voc, int dflt, int *out)
{
	json_t		*v = json_object_get(obj, key);
	struct buf	 b;
	char		 shown[80];
	int		 i;

	*out = dflt;
	if (v == NULL) {
		if (required)
			return fail(rd, key, "is required");
		return 0;
	}
	if (!json_is_string(v))
		return wrong_type(rd, key, v, "a string");
	if ((i = vocab_find(voc, json_string_value(v))) < 0) {
		show(v, shown, sizeof shown);
		buf_init(&b);
		vocab_list(voc, &b);
		fail(rd, key, "%s is not a known %s (expected %s)", shown,
		    voc->what, b.s);
		buf_free(&b);
		return -1;
	}
	*out = i;
	return 0;
}

/* A non-negative number of hours, to hundredths. */
static int
get_hours(struct rd *rd, json_t *obj, const char *key, centi *out)
{
	json_t	*v = json_object_get(obj, key);
	double	 h;
	char	 shown[80];

	if (v == NULL)
		return fail(rd, key, "is required");
	if (!json_is_number(v))
		return wrong_type(rd, key, v, "a number of hours");
	h = json_number_value(v);
	show(v, shown, sizeof shown);
	if (h < 0)
		return fail(rd, key, "%s is negative", shown);
	if (!(h <= MAX_HOURS))
		return fail(rd, key, "%s is more than %d hours", shown,
		    MAX_HOURS);
	*out = (centi)llround(h * 100);
	return 0;
}

static int
get_count(struct rd *rd, json_t *obj, const char *key, long dflt, long *out)
{
	json_t	*v = json_object_get(obj, key);
	char	 shown[80];

	*out = dflt;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v))
		return wrong_type(rd, key, v, "a whole number");
	show(v, shown, sizeof shown);
	if (json_integer_value(v) < 0)
		return fail(rd, key, "%s is negative", shown);
	if (json_integer_value(v) > MAX_COUNT)
		return fail(rd, key, "%s is more than %d", shown, MAX_COUNT);
	*out = (long)json_integer_value(v);
	return 0;
}

/* Optional array of strings into a bit set of a vocabulary. */
static int
get_enum_set(struct rd *rd, json_t *obj, const char *key,
    const struct vocab *voc, unsigned *out)
{
	json_t		*v = json_object_get(obj, key), *e;
	size_t		 i;
	int		 k;
	char		 shown[80], sub[32];
	struct buf	 b;

	*out = 0;
	if (v == NULL)
		return fail(rd, key, "is required");
	if (!json_is_array(v))
		return wrong_type(rd, key, v, "an array");
	json_array_foreach(v, i, e) {
		snprintf(sub, sizeof sub, "%s[%zu]", key, i);
		if (!json_is_string(e))
			return wrong_type(rd, sub, e, "a string");
		if ((k = vocab_find(voc, json_string_value(e))) < 0) {
			show(e, shown, sizeof shown);
			buf_init(&b);
			vocab_list(voc, &b);
			fail(rd, sub, "%s is not a known %s (expected %s)",
			    shown, voc->what, b.s);
			buf_free(&b);
			return -1;
		}
		*out |= 1u << k;
	}
	return 0;
}

/* Free tags: any strings; the ones the rules read become bits. */
static int
get_topics(struct rd *rd, json_t *obj, const char *key, unsigned *out)
{
	json_t	*v = json_object_get(obj, key), *e;
	size_t	 i;
	char	 sub[32];

	*out = 0;
	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return wrong_type(rd, key, v, "an array of tags");
	json_array_foreach(v, i, e) {
		snprintf(sub, sizeof sub, "%s[%zu]", key, i);
		if (!json_is_string(e))
			return wrong_type(rd, sub, e, "a string");
		if (strcmp(json_string_value(e), "dei") == 0)
			*out |= TOPIC_DEI;
		else if (strcmp(json_string_value(e), "rsc_provision") == 0)
			*out |= TOPIC_RSC_PROVISION;
	}
	return 0;
}

static int
get_codes(struct rd *rd, json_t *obj, const char *key, struct codes *out)
{
	json_t	*v = json_object_get(obj, key), *e;
	size_t	 i;
	char	 sub[48];

	out->v = NULL;
	out->n = 0;
	if (v == NULL)
		return 0;
	if (!json_is_array(v))
		return wrong_type(rd, key, v, "an array of category codes");
	if (json_array_size(v) > 64)
		return fail(rd, key, "has more than 64 codes");
	out->v = arena_alloc(&rd->p->arena, (json_array_size(v) + 1) *
	    sizeof *out->v);
	out->k = arena_alloc(&rd->p->arena, (json_array_size(v) + 1) *
	    sizeof *out->k);
	json_array_foreach(v, i, e) {
		snprintf(sub, sizeof sub, "%s[%zu]", key, i);
		if (!json_is_string(e) || json_string_length(e) == 0)
			return wrong_type(rd, sub, e, "a category code");
		out->v[out->n] = arena_strdup(&rd->p->arena,
		    json_string_value(e));
		out->k[out->n] = code_key(out->v[out->n]);
		out->n++;
	}
	return 0;
}

/* start/end with end >= start; end null or absent means ongoing. */
static int
get_period(struct rd *rd, json_t *obj, struct period *p)
{
	char	 a[11];

	if (get_date(rd, obj, "start", 1, 0, &p->start) != 0 ||
	    get_date(rd, obj, "end", 0, 1, &p->end) != 0)
		return -1;
	if (p->end != DATE_NONE && p->end < p->start) {
		date_format(p->start, a);
		return fail(rd, "end", "is before start (%s)", a);
	}
	return 0;
}

/*
 * Walk an optional top-level array of objects, calling fn on each with the
 * path set to "key[i]".
 */
typedef int (*entry_fn)(struct rd *, json_t *, void *);

static int
each(struct rd *rd, json_t *root, const char *key, size_t elem, void **arr,
    int *n, entry_fn fn)
{
	json_t	*v = json_object_get(root, key), *e;
	size_t	 i;

	*arr = NULL;
	*n = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return wrong_type(rd, key, v, "an array");
	if (json_array_size(v) > MAX_ENTRIES)
		return fail(rd, key, "has more than %d entries", MAX_ENTRIES);
	*arr = arena_alloc(&rd->p->arena, json_array_size(v) * elem);
	json_array_foreach(v, i, e) {
		snprintf(rd->path, sizeof rd->path, "%s[%zu]", key, i);
		if (!json_is_object(e))
			return wrong_type(rd, NULL, e, "an object");
		if (fn(rd, e, (char *)*arr + i * elem) != 0)
			return -1;
		(*n)++;
	}
	rd->path[0] = '\0';
	return 0;
}

static int
rd_membership(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "start", "end", "type", "status",
	    "reason", NULL };
	struct member	*m = out;
	struct period	 p;
	char		*type, *st = NULL;

	if (known_keys(rd, o, keys) != 0 || get_period(rd, o, &p) != 0 ||
	    get_string(rd, o, "type", 0, &type) != 0 ||
	    get_string(rd, o, "status", 0, &st) != 0 ||
	    get_string(rd, o, "reason", 0, &m->reason) != 0)
		return -1;
	m->start = p.start;
	m->end = p.end;
	m->status = MEMBER_RECORDED;
	if (st != NULL && strcmp(st, "confirmed") == 0)
		m->status = MEMBER_CONFIRMED;
	else if (st != NULL && strcmp(st, "rejected") == 0)
		m->status = MEMBER_REJECTED;
	else if (st != NULL && strcmp(st, "recorded") != 0)
		return fail(rd, "status", "'%s' is not recorded, confirmed "
		    "or rejected", st);
	return 0;
}

static int
rd_education(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "level", "degree", "field",
	    "institution", "conferred", "transcript", NULL };
	struct education	*e = out;
	char			*s;

	if (known_keys(rd, o, keys) != 0 ||
	    get_enum(rd, o, "level", 1, &vocab_degree, 0, &e->level) != 0)
		return -1;
	e->level += LEVEL_CDA;	/* vocab_degree starts at cda */
	if (get_string(rd, o, "degree", 0, &e->degree) != 0 ||
	    get_string(rd, o, "field", 0, &s) != 0 ||
	    get_string(rd, o, "institution", 0, &s) != 0 ||
	    get_date(rd, o, "conferred", 1, 0, &e->conferred) != 0 ||
	    get_bool(rd, o, "transcript", 0, &e->transcript) != 0)
		return -1;
	return 0;
}

static int
rd_work(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "title", "employer", "start",
	    "end", "paid", "supervised", "licensed", "ages", "service",
	    "families", "staff", NULL };
	struct work	*w = out;
	char		*s;

	if (known_keys(rd, o, keys) != 0 ||
	    get_string(rd, o, "title", 0, &s) != 0 ||
	    get_string(rd, o, "employer", 0, &s) != 0 ||
	    get_period(rd, o, &w->p) != 0 ||
	    get_bool(rd, o, "paid", 1, &w->paid) != 0 ||
	    get_bool(rd, o, "supervised", 0, &w->supervised) != 0 ||
	    get_bool(rd, o, "licensed", 0, &w->licensed) != 0 ||
	    get_enum_set(rd, o, "ages", &vocab_age, &w->ages) != 0 ||
	    get_enum(rd, o, "service", 1, &vocab_service, 0, &w->service) != 0 ||
	    get_count(rd, o, "families", 0, &w->families) != 0 ||
	    get_count(rd, o, "staff", 0, &w->staff) != 0)
		return -1;
	return 0;
}

static int
rd_training(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "title", "date", "hours",
	    "topics", "role", NULL };
	struct training	*t = out;
	char		*s;

	if (known_keys(rd, o, keys) != 0 ||
	    get_string(rd, o, "title", 0, &s) != 0 ||
	    get_date(rd, o, "date", 1, 0, &t->date) != 0 ||
	    get_hours(rd, o, "hours", &t->hours) != 0 ||
	    get_topics(rd, o, "topics", &t->topics) != 0 ||
	    get_enum(rd, o, "role", 0, &vocab_role, ROLE_ATTENDED,
	    &t->role) != 0)
		return -1;
	return 0;
}

static int
rd_rsc_received(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "provider",
	    "provider_endorsements", "format", "start", "end", "date",
	    "hours", "focus", "provider_email", "provider_number",
	    "verified", NULL };
	struct rsc_received	*r = out;
	char			*s;

	if (known_keys(rd, o, keys) != 0 ||
	    get_string(rd, o, "provider", 0, &s) != 0 ||
	    get_codes(rd, o, "provider_endorsements", &r->provider) != 0 ||
	    get_enum(rd, o, "format", 1, &vocab_format, 0, &r->format) != 0 ||
	    get_hours(rd, o, "hours", &r->hours) != 0 ||
	    get_enum(rd, o, "focus", 0, &vocab_focus, FOCUS_PRACTICE,
	    &r->focus) != 0 ||
	    get_string(rd, o, "provider_email", 0, &s) != 0 ||
	    get_string(rd, o, "provider_number", 0, &s) != 0 ||
	    get_bool(rd, o, "verified", 0, &r->verified) != 0)
		return -1;
	if (json_object_get(o, "date") != NULL) {
		if (json_object_get(o, "start") != NULL ||
		    json_object_get(o, "end") != NULL)
			return fail(rd, "date", "give either date or "
			    "start/end, not both");
		if (get_date(rd, o, "date", 1, 0, &r->p.start) != 0)
			return -1;
		r->p.end = r->p.start;
		return 0;
	}
	if (json_object_get(o, "start") == NULL)
		return fail(rd, "start", "is required (or give a single "
		    "session's date)");
	return get_period(rd, o, &r->p);
}

static int
rd_rsc_provided(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "recipients", "start", "end",
	    NULL };
	struct rsc_provided	*r = out;

	if (known_keys(rd, o, keys) != 0 ||
	    get_count(rd, o, "recipients", 1, &r->recipients) != 0 ||
	    get_period(rd, o, &r->p) != 0)
		return -1;
	return 0;
}

static int
rd_leadership(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "activity", "start", "end",
	    "paid", "level", NULL };
	struct leadership	*l = out;
	char			*s;

	if (known_keys(rd, o, keys) != 0 ||
	    get_string(rd, o, "activity", 0, &s) != 0 ||
	    get_period(rd, o, &l->p) != 0 ||
	    get_bool(rd, o, "paid", 0, &l->paid) != 0 ||
	    get_enum(rd, o, "level", 0, &vocab_scope, -1, &l->scope) != 0)
		return -1;
	return 0;
}

static int
rd_reference(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "name", "email", "relationship",
	    "endorsements", "status", "endorsement_number", "verified",
	    NULL };
	struct reference	*r = out;
	char			*s;

	if (known_keys(rd, o, keys) != 0 ||
	    get_string(rd, o, "name", 0, &r->name) != 0 ||
	    get_string(rd, o, "email", 0, &s) != 0 ||
	    get_enum(rd, o, "relationship", 1, &vocab_relationship, 0,
	    &r->relationship) != 0 ||
	    get_codes(rd, o, "endorsements", &r->endorsements) != 0 ||
	    get_enum(rd, o, "status", 1, &vocab_refstatus, 0,
	    &r->status) != 0 ||
	    get_string(rd, o, "endorsement_number", 0, &s) != 0 ||
	    get_bool(rd, o, "verified", 0, &r->verified) != 0)
		return -1;
	return 0;
}

static int
rd_exam(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "date", "result", NULL };
	struct exam	*e = out;

	if (known_keys(rd, o, keys) != 0 ||
	    get_date(rd, o, "date", 1, 0, &e->date) != 0 ||
	    get_enum(rd, o, "result", 1, &vocab_result, 0, &e->result) != 0)
		return -1;
	return 0;
}

static int
rd_held(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "association", "category",
	    "since", "emerging_until", NULL };
	struct held	*h = out;

	if (known_keys(rd, o, keys) != 0 ||
	    get_string(rd, o, "association", 1, &h->association) != 0 ||
	    get_string(rd, o, "category", 1, &h->category) != 0 ||
	    get_date(rd, o, "since", 1, 0, &h->since) != 0 ||
	    get_date(rd, o, "emerging_until", 0, 1, &h->emerging_until) != 0)
		return -1;
	return 0;
}

/* An open application of the same person, decided together with this
   one (an ERS add-on applied for with its FS or MHS). */
static int
rd_pending(struct rd *rd, json_t *o, void *out)
{
	static const char *const keys[] = { "association", "category",
	    "application", NULL };
	struct pending	*q = out;
	long		 id;

	if (known_keys(rd, o, keys) != 0 ||
	    get_string(rd, o, "association", 1, &q->association) != 0 ||
	    get_string(rd, o, "category", 1, &q->category) != 0 ||
	    get_count(rd, o, "application", 0, &id) != 0)
		return -1;
	q->application = id;
	return 0;
}

static int
rd_root(struct rd *rd, json_t *root, int32_t today)
{
	static const char *const keys[] = { "format", "association",
	    "category", "as_of", "applicant", "membership", "ethics_signed",
	    "education", "work", "training", "rsc_received", "rsc_provided",
	    "leadership", "references", "exam", "endorsements", "pending",
	    NULL };
	static const char *const akeys[] = { "name", "email", NULL };
	struct portfolio	*p = rd->p;
	json_t			*v, *a;
	char			 shown[80];

	if (!json_is_object(root))
		return fail(rd, NULL, "a portfolio must be a JSON object, "
		    "not %s", type_word(root));
	if ((v = need(rd, root, "format")) == NULL)
		return -1;
	if (!json_is_string(v) ||
	    strcmp(json_string_value(v), "endorse-portfolio/1") != 0) {
		show(v, shown, sizeof shown);
		return fail(rd, "format", "%s is not \"endorse-portfolio/1\"",
		    shown);
	}
	if (known_keys(rd, root, keys) != 0 ||
	    get_string(rd, root, "association", 1, &p->association) != 0 ||
	    get_string(rd, root, "category", 1, &p->category) != 0 ||
	    get_date(rd, root, "as_of", 0, 0, &p->as_of) != 0 ||
	    get_date(rd, root, "ethics_signed", 0, 1, &p->ethics_signed) != 0)
		return -1;
	if (p->as_of == DATE_NONE)
		p->as_of = today;
	if ((a = json_object_get(root, "applicant")) != NULL) {
		if (!json_is_object(a))
			return wrong_type(rd, "applicant", a, "an object");
		snprintf(rd->path, sizeof rd->path, "applicant");
		if (known_keys(rd, a, akeys) != 0 ||
		    get_string(rd, a, "name", 0, &p->name) != 0 ||
		    get_string(rd, a, "email", 0, &p->email) != 0)
			return -1;
		rd->path[0] = '\0';
	}
#define EACH(key, field, fn) \
	each(rd, root, key, sizeof *p->field, (void **)&p->field, \
	    &p->n_##field, fn)
	if (EACH("membership", membership, rd_membership) != 0 ||
	    EACH("education", education, rd_education) != 0 ||
	    EACH("work", work, rd_work) != 0 ||
	    EACH("training", training, rd_training) != 0 ||
	    EACH("rsc_received", rsc_received, rd_rsc_received) != 0 ||
	    EACH("rsc_provided", rsc_provided, rd_rsc_provided) != 0 ||
	    EACH("leadership", leadership, rd_leadership) != 0 ||
	    EACH("references", references, rd_reference) != 0 ||
	    EACH("exam", exam, rd_exam) != 0 ||
	    EACH("endorsements", endorsements, rd_held) != 0 ||
	    EACH("pending", pending, rd_pending) != 0)
		return -1;
#undef EACH
	return 0;
}

struct portfolio *
portfolio_from_json(json_t *root, int32_t today, char **cause)
{
	struct rd	 rd;

	*cause = NULL;
	memset(&rd, 0, sizeof rd);
	rd.p = xcalloc(1, sizeof *rd.p);
	arena_init(&rd.p->arena);
	rd.p->ethics_signed = DATE_NONE;
	if (rd_root(&rd, root, today) != 0) {
		portfolio_free(rd.p);
		*cause = rd.cause != NULL ? rd.cause :
		    xstrdup("unreadable portfolio");
		return NULL;
	}
	return rd.p;
}

struct portfolio *
portfolio_parse(const char *text, size_t len, int32_t today, char **cause)
{
	struct portfolio	*p;
	json_error_t		 err;
	json_t			*root;

	*cause = NULL;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		xasprintf(cause, "line %d, column %d: not valid JSON: %s",
		    err.line, err.column, err.text);
		return NULL;
	}
	p = portfolio_from_json(root, today, cause);
	json_decref(root);
	return p;
}

struct portfolio *
portfolio_load(const char *file, int32_t today, char **cause)
{
	struct portfolio	*p;
	struct buf		 b;
	char			 chunk[8192], *inner;
	size_t			 n;
	FILE			*f;

	*cause = NULL;
	if (strcmp(file, "-") == 0)
		f = stdin;
	else if ((f = fopen(file, "rb")) == NULL) {
		xasprintf(cause, "%s: %s", file, strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > MAX_FILE) {
			xasprintf(cause, "%s: larger than %d MiB", file,
			    MAX_FILE / (1024 * 1024));
			break;
		}
		buf_add(&b, chunk, n);
	}
	if (*cause == NULL && ferror(f))
		xasprintf(cause, "%s: %s", file, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (*cause != NULL) {
		buf_free(&b);
		return NULL;
	}
	p = portfolio_parse(b.s == NULL ? "" : b.s, b.len, today, &inner);
	buf_free(&b);
	if (p == NULL) {
		xasprintf(cause, "%s: %s", file, inner);
		free(inner);
	}
	return p;
}

void
portfolio_free(struct portfolio *p)
{
	if (p == NULL)
		return;
	arena_free(&p->arena);
	free(p);
}
