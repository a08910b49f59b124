/*
 * libFuzzer target: the validation of an application entry's form
 * (form.c, form_entry), as the entry pages call it with the fields
 * http.c has parsed.
 *
 * The input is lines: the first names the kind of entry (education,
 * work, training, rsc_received, rsc_provided, leadership, references;
 * anything else is read as the kind numbered by its first byte), every
 * other line is one field, NAME=VALUE (a line without '=' is a field with
 * an empty value; repeated names are repeated fields, as checkboxes
 * send).  A field that is not valid UTF-8 or holds a NUL is left out,
 * since http.c refuses such a form before any handler sees it.  The
 * fields go into a struct req as post_iter() would store them.
 *
 * Checked on every run, abort() on failure:
 *   - form_entry() gives an entry exactly when it reports no error;
 *   - every error and every member of the entry is a field of the kind;
 *   - an entry holds every required field, each of the JSON type its
 *     field type says (booleans, arrays of strings, strings for text
 *     and dates, numbers for hours and counts, null only for an open
 *     end date), text within 300 bytes, dates that date_parse() takes;
 *   - the same form validated again gives the same entry and errors;
 *   - form_view() and form_summary() of the entry (and form_view() of
 *     the refused form with its errors) do not fail.
 * Everything is freed (LeakSanitizer is on).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAXFIELDS	64

/* Whether name is a field of kd; its definition into *fdp. */
static int
is_field(const struct kdef *kd, const char *name, const struct fdef **fdp)
{
	int	 i;

	for (i = 0; i < kd->nfields; i++)
		if (strcmp(kd->fields[i].name, name) == 0) {
			if (fdp != NULL)
				*fdp = &kd->fields[i];
			return 1;
		}
	return 0;
}

static void
check_value(const struct fdef *fd, json_t *v)
{
	int32_t	 d;
	size_t	 i;

	switch (fd->type) {
	case F_BOOL:
		if (!json_is_boolean(v))
			abort();
		break;
	case F_MULTI:
	case F_TAGS:
		if (!json_is_array(v))
			abort();
		for (i = 0; i < json_array_size(v); i++)
			if (!json_is_string(json_array_get(v, i)))
				abort();
		break;
	case F_DATE_OPEN:
		if (json_is_null(v))
			break;
		/* FALLTHROUGH */
	case F_DATE:
		if (!json_is_string(v) ||
		    date_parse(json_string_value(v), &d) != 0)
			abort();
		break;
	case F_TEXT:
	case F_EMAIL:
	case F_ENUM:
		if (!json_is_string(v) || strlen(json_string_value(v)) > 300)
			abort();
		break;
	case F_HOURS:
	case F_COUNT:
		if (!json_is_number(v))
			abort();
		break;
	default:
		if (v == NULL)
			abort();
		break;
	}
}

static void
check(const struct kdef *kd, json_t *o, json_t *errors)
{
	const struct fdef	*fd;
	const char		*k;
	json_t			*v;
	int			 i;

	if ((o == NULL) != (json_object_size(errors) > 0))
		abort();
	json_object_foreach(errors, k, v) {
		if (!is_field(kd, k, NULL) || !json_is_string(v) ||
		    *json_string_value(v) == '\0')
			abort();
	}
	if (o == NULL)
		return;
	json_object_foreach(o, k, v) {
		if (!is_field(kd, k, &fd))
			abort();
		check_value(fd, v);
	}
	for (i = 0; i < kd->nfields; i++)
		if (kd->fields[i].required &&
		    json_object_get(o, kd->fields[i].name) == NULL)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req		 r;
	const struct kdef	*kd;
	const char		*p = (const char *)data, *end = p + size, *nl;
	const char		*eq;
	char			*kind, sum[512];
	json_t			*errors, *o, *errors2, *o2, *view;
	size_t			 len;
	int			 i;

	if (size == 0)
		return 0;
	memset(&r, 0, sizeof r);
	arena_init(&r.arena);
	nl = memchr(p, '\n', size);
	len = nl == NULL ? size : (size_t)(nl - p);
	kind = arena_alloc(&r.arena, len + 1);
	memcpy(kind, p, len);
	kind[len] = '\0';
	if ((kd = kind_find(kind)) == NULL)
		kd = &kinds[(unsigned char)*p % (unsigned)nkinds];
	p = nl == NULL ? end : nl + 1;
	r.fields = xcalloc(MAXFIELDS, sizeof *r.fields);
	while (p < end && r.nfields < MAXFIELDS) {
		struct field	*f = &r.fields[r.nfields];

		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl == NULL ? (size_t)(end - p) : (size_t)(nl - p);
		if (utf8_ok((const unsigned char *)p, len)) {
			eq = memchr(p, '=', len);
			f->name = arena_alloc(&r.arena, len + 1);
			memcpy(f->name, p, eq == NULL ? len : (size_t)(eq - p));
			f->name[eq == NULL ? len : (size_t)(eq - p)] = '\0';
			f->len = eq == NULL ? 0 : len - (size_t)(eq + 1 - p);
			f->value = arena_alloc(&r.arena, f->len + 1);
			if (f->len > 0)
				memcpy(f->value, eq + 1, f->len);
			f->value[f->len] = '\0';
			r.nfields++;
		}
		p = nl == NULL ? end : nl + 1;
	}

	errors = json_object();
	o = form_entry(&r, kd, errors);
	check(kd, o, errors);
	errors2 = json_object();
	o2 = form_entry(&r, kd, errors2);
	if (!json_equal(errors, errors2) || (o == NULL) != (o2 == NULL) ||
	    (o != NULL && !json_equal(o, o2)))
		abort();
	if (o != NULL) {
		view = form_view(kd, o, NULL, NULL);
		if (view == NULL)
			abort();
		json_decref(view);
		if (form_summary(kd, o, sum, sizeof sum) == NULL)
			abort();
	} else {
		view = form_view(kd, NULL, errors, &r);
		if (view == NULL)
			abort();
		json_decref(view);
	}
	json_decref(o);
	json_decref(o2);
	json_decref(errors);
	json_decref(errors2);
	for (i = 0; i < r.nfields; i++)
		buf_free(&r.fields[i].data);
	free(r.fields);
	arena_free(&r.arena);
	return 0;
}
