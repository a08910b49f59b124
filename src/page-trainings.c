/*
 * Several trainings at once (issue 16, point 13): a form of rows, each
 * the training tab's fields named NAME-ROW ("title-2").  "Add another
 * row" is a submit button (no JavaScript): the page again with one more
 * row and what was typed.  Each row that is not empty is checked as the
 * tab's form checks one entry; a refusal shows every problem by its row
 * and field with what was typed kept; the rows are stored together in
 * one transaction or not at all (entries_add).
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "banned.h"

#define ROWS_FIRST	3
#define ROWS_MAX	12

/* The fields of one row as the tab's form names them: r's fields that
   end in "-ROW", without it, in the arena. */
static void
row_fields(struct req *r, int row, struct field **out, int *n)
{
	struct field	*f;
	char		 sfx[16];
	size_t		 len, sl;
	int		 i;

	snprintf(sfx, sizeof sfx, "-%d", row);
	sl = strlen(sfx);
	f = arena_alloc(&r->arena, (size_t)(r->nfields + 1) * sizeof *f);
	*n = 0;
	for (i = 0; i < r->nfields; i++) {
		len = strlen(r->fields[i].name);
		if (r->fields[i].filename != NULL || len <= sl ||
		    strcmp(r->fields[i].name + len - sl, sfx) != 0)
			continue;
		f[*n] = r->fields[i];
		f[*n].name = arena_printf(&r->arena, "%.*s", (int)(len - sl),
		    r->fields[i].name);
		(*n)++;
	}
	*out = f;
}

/* Whether a row was left empty: nothing typed but its role, which the
   form chooses for every row. */
static int
row_empty(struct req *r)
{
	static const char *const typed[] = { "title", "date", "hours",
	    "topics" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof typed / sizeof typed[0]; i++)
		if ((v = req_form(r, typed[i])) != NULL &&
		    v[strspn(v, " \t\r\n")] != '\0')
			return 0;
	return 1;
}

/* The number of rows the form had ("rows"), within bounds. */
static int
rows_of(const char *v)
{
	int	 n = v != NULL ? atoi(v) : 0;

	return n < 1 ? ROWS_FIRST : n > ROWS_MAX ? ROWS_MAX : n;
}

/* One row's fields for the template, named NAME-ROW, with what was typed
   (typed) and its errors; problems gets a line per error. */
static json_t *
row_view(struct req *r, const struct kdef *kd, int row, int typed,
    json_t *errors, json_t *problems)
{
	json_t		*fields, *def, *f, *e;
	struct field	*saved = r->fields, *mine;
	const char	*name;
	size_t		 i;
	int		 nsaved = r->nfields, n;

	def = json_pack("{s:s}", "role", "attended");
	row_fields(r, row, &mine, &n);
	r->fields = mine;
	r->nfields = typed ? n : 0;
	fields = form_view(kd, def, errors, typed && n > 0 ? r : NULL);
	r->fields = saved;
	r->nfields = nsaved;
	json_decref(def);
	json_array_foreach(fields, i, f) {
		name = arena_printf(&r->arena, "%s-%d", json_string_value(
		    json_object_get(f, "name")), row);
		if ((e = json_object_get(f, "error")) != NULL)
			json_array_append_new(problems, json_pack("{s:s, s:s}",
			    "href", arena_printf(&r->arena, "f-%s", name),
			    "message", arena_printf(&r->arena, "Training %d, "
			    "%s: %s", row, json_string_value(json_object_get(f,
			    "label")), json_string_value(e))));
		json_object_set_new(f, "name", json_string(name));
		/* What describes it, by the ids of this row's field (the
		   page's fields are finished by view_page, a row's here). */
		if (json_object_get(f, "hint") != NULL || e != NULL)
			json_object_set_new(f, "describedby", json_string(
			    arena_printf(&r->arena, "%s%s%s",
			    json_object_get(f, "hint") != NULL ? arena_printf(
			    &r->arena, "f-%s-hint", name) : "", json_object_get(
			    f, "hint") != NULL && e != NULL ? " " : "", e !=
			    NULL ? arena_printf(&r->arena, "f-%s-error", name) :
			    "")));
	}
	return json_pack("{s:i, s:o}", "n", row, "fields", fields);
}

/* The page of rows; errors[i] the errors of row i + 1 (or NULL). */
static void
rows_page(struct req *r, const struct app *a, int nrows, int typed,
    int status, json_t **errors)
{
	const struct kdef	*kd = kind_find("training");
	json_t			*v, *rows = json_array(), *problems;
	int			 i;

	problems = json_array();
	for (i = 0; i < nrows; i++)
		json_array_append_new(rows, row_view(r, kd, i + 1, typed,
		    errors != NULL ? errors[i] : NULL, problems));
	v = app_view(r, a, "training");
	json_object_set_new(v, "rows", rows);
	json_object_set_new(v, "n_rows", json_integer(nrows));
	json_object_set_new(v, "more", json_boolean(nrows < ROWS_MAX));
	json_object_set_new(v, "n_form_errors", json_integer((json_int_t)
	    json_array_size(problems)));
	json_object_set_new(v, "form_errors", problems);
	view_page(r, status, "apply/trainings", "Add several trainings", v);
}

void
page_trainings_form(struct req *r)
{
	struct app	 a;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	rows_page(r, &a, rows_of(req_query(r, "rows")), 0, 200, NULL);
}

/* Check each row that is not empty; the entries, or NULL with errors. */
static json_t *
rows_check(struct req *r, int nrows, json_t **errors)
{
	const struct kdef	*kd = kind_find("training");
	json_t			*list = json_array(), *e;
	struct field		*saved = r->fields, *mine;
	int			 i, n, bad = 0, nsaved = r->nfields;

	for (i = 0; i < nrows; i++) {
		row_fields(r, i + 1, &mine, &n);
		r->fields = mine;
		r->nfields = n;
		errors[i] = json_object();
		if (!row_empty(r)) {
			if ((e = form_entry(r, kd, errors[i])) != NULL)
				json_array_append_new(list, e);
			else
				bad = 1;
		}
		r->fields = saved;
		r->nfields = nsaved;
	}
	if (!bad && json_array_size(list) == 0) {
		json_object_set_new(errors[0], "title", json_string("enter at "
		    "least one training"));
		bad = 1;
	}
	if (bad) {
		json_decref(list);
		return NULL;
	}
	return list;
}

void
page_trainings_add(struct req *r)
{
	struct app	 a;
	struct actor	 who = req_actor(r);
	struct derr	 err;
	json_t		*errors[ROWS_MAX], *list;
	int		 nrows, i, rc;

	if (load_or_deny(r, r->id, 1, &a) != 0)
		return;
	nrows = rows_of(req_form(r, "rows"));
	if (req_form(r, "more") != NULL) {
		rows_page(r, &a, nrows < ROWS_MAX ? nrows + 1 : nrows, 1, 200,
		    NULL);
		return;
	}
	list = rows_check(r, nrows, errors);
	if (list == NULL) {
		rows_page(r, &a, nrows, 1, 400, errors);
		for (i = 0; i < nrows; i++)
			json_decref(errors[i]);
		return;
	}
	for (i = 0; i < nrows; i++)
		json_decref(errors[i]);
	rc = entries_add(&who, &r->arena, &a, "training", "Training", list,
	    &err);
	i = (int)json_array_size(list);
	json_decref(list);
	if (rc != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/applications/%lld/tab/training?added=%d#entries",
	    (long long)a.id, i);
}
