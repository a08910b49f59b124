/*
 * An application's portfolio in the store (declared in dom-app.h): its
 * entries one by one, a degree's transcript, the whole document at once
 * (an import).  The applicant's own changes, each checked by
 * app_writable.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "dom-renewal.h"
#include "banned.h"

/* ------------------------------------------------------------- entries */

/* The portfolio format takes at most MAX_TAB_ENTRIES entries of a kind;
   counted and added in one write transaction, so that saves at the same
   moment cannot pass the cap together. */
int
entry_add(const struct actor *who, struct arena *arena, const struct app *a,
    const char *kind, const char *title, json_t *data, struct derr *e)
{
	struct dbq		*st;
	struct row_entry_count	 row;
	char			*s;
	int64_t			 n = 0;
	int			 rc;

	if (app_writable(who, arena, a, e) != 0 ||
	    dom_text_check(data, arena, e) != 0)
		return -1;
	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	st = db_stmt(S_ENTRY_COUNT);
	db_bind_int(st, "$app", a->id);
	db_bind_text(st, "$kind", kind);
	if (row_entry_count(st, NULL, &row) == DB_ROW)
		n = row.n;
	db_reset(st);
	if (n >= MAX_TAB_ENTRIES) {
		db_rollback();
		return derr_set(e, arena, 409, NULL, "%s: at most %d entries; "
		    "merge some before adding more", title, MAX_TAB_ENTRIES);
	}
	s = json_dumps(data, JSON_COMPACT);
	if (dom_quota_check(a->account, 0, 1, 0, (long)strlen(s), arena,
	    e) != 0) {
		free(s);
		db_rollback();
		return -1;
	}
	st = db_stmt(S_ENTRY_INSERT);
	db_bind_int(st, "$app", a->id);
	db_bind_text(st, "$kind", kind);
	db_bind_text(st, "$data", s);
	db_bind_int(st, "$now", db_now());
	rc = db_exec(st);
	free(s);
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, arena, 500, NULL, "the entry could not be "
		    "stored");
	}
	return 0;
}

/*
 * Several entries of one kind at once (the training tab's rows, issue 16
 * point 13): all stored in one transaction or none, under the same
 * limits as one (the tab's entries, the account's quota).  0, or -1 and
 * e.
 */
int
entries_add(const struct actor *who, struct arena *arena, const struct app *a,
    const char *kind, const char *title, json_t *list, struct derr *e)
{
	struct dbq		*st;
	struct row_entry_count	 row;
	json_t			*data;
	char			*s;
	size_t			 i;
	long			 bytes = 0;
	int64_t			 n = 0;
	int			 rc = 0;

	if (app_writable(who, arena, a, e) != 0)
		return -1;
	json_array_foreach(list, i, data)
		if (dom_text_check(data, arena, e) != 0)
			return -1;
	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	st = db_stmt(S_ENTRY_COUNT);
	db_bind_int(st, "$app", a->id);
	db_bind_text(st, "$kind", kind);
	if (row_entry_count(st, NULL, &row) == DB_ROW)
		n = row.n;
	db_reset(st);
	if (n + (int64_t)json_array_size(list) > MAX_TAB_ENTRIES) {
		db_rollback();
		return derr_set(e, arena, 409, NULL, "%s: at most %d entries; "
		    "merge some before adding more", title, MAX_TAB_ENTRIES);
	}
	json_array_foreach(list, i, data) {
		s = json_dumps(data, JSON_COMPACT);
		bytes += (long)strlen(s);
		free(s);
	}
	if (dom_quota_check(a->account, 0, (long)json_array_size(list), 0,
	    bytes, arena, e) != 0) {
		db_rollback();
		return -1;
	}
	json_array_foreach(list, i, data) {
		s = json_dumps(data, JSON_COMPACT);
		st = db_stmt(S_ENTRY_INSERT);
		db_bind_int(st, "$app", a->id);
		db_bind_text(st, "$kind", kind);
		db_bind_text(st, "$data", s);
		db_bind_int(st, "$now", db_now());
		rc = db_exec(st);
		free(s);
		if (rc != 0)
			break;
	}
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, arena, 500, NULL, "the entries could not be "
		    "stored");
	}
	return 0;
}

/* Entry id of application a: its data (the caller's to free) and kind
   (in the arena); NULL when there is none or its data is not JSON. */
json_t *
entry_read(struct arena *arena, const struct app *a, int64_t id,
    const char **kind)
{
	struct dbq		*st;
	struct row_entry_get	 row;
	json_t			*e = NULL;

	*kind = NULL;
	st = db_stmt(S_ENTRY_GET);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$app", a->id);
	if (row_entry_get(st, arena, &row) == DB_ROW) {
		*kind = row.kind;
		e = json_loads(row.data, 0, NULL);
	}
	db_reset(st);
	return e;
}

/* The entries of a kind, oldest first: [{id, data, file}], data parsed
   (an entry that is not JSON is left out), file the transcript's name. */
json_t *
entry_list(const struct app *a, const char *kind)
{
	struct dbq			*st;
	struct row_entry_list_kind	 row;
	json_t				*list = json_array(), *e;

	st = db_stmt(S_ENTRY_LIST_KIND);
	db_bind_int(st, "$app", a->id);
	db_bind_text(st, "$kind", kind);
	while (row_entry_list_kind(st, NULL, &row) == DB_ROW) {
		if ((e = json_loads(row.data, 0, NULL)) == NULL)
			continue;
		/* A name stored before names were checked may not be
		   UTF-8: the entry is shown with a plain one. */
		json_array_append_new(list, json_pack("{s:I, s:o, s:s?}",
		    "id", (json_int_t)row.id, "data", e, "file",
		    row.filename == NULL || utf8_ok((const unsigned char *)
		    row.filename, strlen(row.filename)) ? row.filename :
		    "transcript.pdf"));
	}
	db_reset(st);
	return list;
}

/* One statement, atomic by itself. */
static int
entry_update(const struct app *a, int64_t id, json_t *data)
{
	struct dbq	*st;
	char		*s;
	int		 rc;

	s = json_dumps(data, JSON_COMPACT);
	st = db_stmt(S_ENTRY_UPDATE);
	db_bind_text(st, "$data", s);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$app", a->id);
	rc = db_exec(st);
	free(s);
	return rc;
}

/* One statement: atomic without a transaction of its own. */
int
entry_save(const struct actor *who, struct arena *arena, const struct app *a,
    int64_t id, json_t *data, struct derr *e)
{
	if (app_writable(who, arena, a, e) != 0 ||
	    dom_text_check(data, arena, e) != 0)
		return -1;
	if (entry_update(a, id, data) != 0)
		return derr_set(e, arena, 500, NULL, "the entry could not be "
		    "stored");
	return 0;
}

/* The entry is kept (the application's last deleted one) for an undo,
   then deleted; a transcript goes with its entry (ON DELETE CASCADE). */
int
entry_delete(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t id, struct derr *e)
{
	struct dbq	*st;

	if (app_writable(who, arena, a, e) != 0)
		return -1;
	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	st = db_stmt(S_ENTRY_KEEP);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$app", a->id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	st = db_stmt(S_ENTRY_DELETE);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$app", a->id);
	if (db_exec(st) != 0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, arena, 500, NULL, "the entry could not be "
	    "deleted");
}

/* The application's last deleted entry while it may be restored: its
   data (the caller's), *kind and *entry (its former id); NULL for none. */
json_t *
entry_deleted(struct arena *arena, const struct app *a, const char **kind,
    int64_t *entry)
{
	struct dbq		*st;
	struct row_entry_kept	 row;
	json_t			*d = NULL;

	*kind = NULL;
	*entry = 0;
	st = db_stmt(S_ENTRY_KEPT);
	db_bind_int(st, "$app", a->id);
	if (row_entry_kept(st, arena, &row) == DB_ROW &&
	    row.deleted + ENTRY_UNDO_SECONDS >= db_now() &&
	    (d = json_loads(row.data, 0, NULL)) != NULL) {
		*kind = row.kind;
		*entry = row.entry;
	}
	db_reset(st);
	return d;
}

/* The last deleted entry back, as a new entry (its transcript was not
   kept: the flag goes); *kind is its tab's.  404 when there is none. */
int
entry_undo(const struct actor *who, struct arena *arena, const struct app *a,
    const char *title, const char **kind, struct derr *e)
{
	struct dbq	*st;
	json_t		*d;
	int64_t		 old;
	int		 rc;

	if (app_writable(who, arena, a, e) != 0)
		return -1;
	if ((d = entry_deleted(arena, a, kind, &old)) == NULL)
		return derr_set(e, arena, 404, NULL, "there is no deleted "
		    "entry to restore: an undo lasts %d minutes, until the "
		    "next deletion", ENTRY_UNDO_SECONDS / 60);
	if (json_object_get(d, "transcript") != NULL)
		json_object_set_new(d, "transcript", json_false());
	rc = entry_add(who, arena, a, *kind, title != NULL ? title : *kind, d,
	    e);
	json_decref(d);
	if (rc != 0)
		return -1;
	st = db_stmt(S_ENTRY_KEPT_DROP);
	db_bind_int(st, "$app", a->id);
	(void)db_exec(st);
	return 0;
}

/* The file and the entry's flag change together: the tab never shows a
   transcript that is not there.  The name is the upload's last path
   segment when it is UTF-8 and short (as evidence names are), else
   "transcript.pdf": a name the pages cannot show would hide the degree. */
int
transcript_put(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t entry, json_t *data, const char *filename,
    const void *pdf, size_t len, struct derr *e)
{
	struct dbq	*st;
	const char	*base;

	if (app_writable(who, arena, a, e) != 0)
		return -1;
	base = filename == NULL ? "" : strrchr(filename, '/') != NULL ?
	    strrchr(filename, '/') + 1 : filename;
	if (*base == '\0' || strlen(base) >= 200 ||
	    !utf8_ok((const unsigned char *)base, strlen(base)))
		base = "transcript.pdf";
	if (db_begin() != 0)
		goto fail;
	if (dom_quota_check(a->account, 0, 0, 1, (long)len, arena, e) != 0) {
		db_rollback();
		return -1;
	}
	st = db_stmt(S_TRANSCRIPT_PUT);
	db_bind_int(st, "$entry", entry);
	db_bind_text(st, "$filename", base);
	db_bind_int(st, "$size", (int64_t)len);
	db_bind_blob(st, "$pdf", pdf, len);
	db_bind_int(st, "$now", db_now());
	json_object_set_new(data, "transcript", json_true());
	if (db_exec(st) != 0 || entry_update(a, entry, data) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, arena, 500, NULL, "the transcript could not be "
	    "stored");
}

/* The file and the flag go together, as they came. */
int
transcript_delete(const struct actor *who, struct arena *arena,
    const struct app *a, int64_t entry, json_t *data, struct derr *e)
{
	struct dbq	*st;

	if (app_writable(who, arena, a, e) != 0)
		return -1;
	if (db_begin() != 0)
		goto fail;
	st = db_stmt(S_TRANSCRIPT_DELETE);
	db_bind_int(st, "$entry", entry);
	json_object_set_new(data, "transcript", json_false());
	if (db_exec(st) != 0 || entry_update(a, entry, data) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, arena, 500, NULL, "the transcript could not be "
	    "removed");
}

/* The uploaded PDF of an entry, a copy the caller frees (a PDF may be
   larger than a request's arena holds); NULL when none was uploaded. */
void *
transcript_read(int64_t entry, size_t *len)
{
	struct dbq			*st;
	struct row_transcript_get	 row;
	void				*p = NULL;

	st = db_stmt(S_TRANSCRIPT_GET);
	db_bind_int(st, "$entry", entry);
	if (row_transcript_get(st, NULL, &row) == DB_ROW) {
		*len = row.pdf_len;
		p = xmalloc(row.pdf_len + 1);
		if (row.pdf_len > 0)
			memcpy(p, row.pdf, row.pdf_len);
	}
	db_reset(st);
	return p;
}

/* The entries of a kind of a portfolio document, in the caller's
   transaction. */
static int
put_entries(const struct app *a, json_t *doc, const char *kind)
{
	struct dbq	*st;
	json_t		*e;
	size_t		 i;
	char		*s;
	int		 rc;

	json_array_foreach(json_object_get(doc, kind), i, e) {
		/* A transcript is an uploaded PDF: a replaced entry has none
		   (its file went with it), whatever the document says. */
		if (strcmp(kind, "education") == 0 && json_is_object(e))
			json_object_set_new(e, "transcript", json_false());
		/* The registry says what is verified (registry_mark). */
		json_object_del(e, "verified");
		s = json_dumps(e, JSON_COMPACT);
		st = db_stmt(S_ENTRY_INSERT);
		db_bind_int(st, "$app", a->id);
		db_bind_text(st, "$kind", kind);
		db_bind_text(st, "$data", s);
		db_bind_int(st, "$now", db_now());
		rc = db_exec(st);
		free(s);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* An imported entry is held to what the form refuses (entry_check):
   "training[2].date: the date cannot be in the future ...". */
static int
entry_refused(const struct kdef *kd, json_t *v, size_t i,
    struct arena *arena, struct derr *e)
{
	json_t		*errors = json_object();
	const char	*field;
	json_t		*msg;
	char		 where[96];
	int		 rc = 0;

	if (entry_check(kd, v, date_today(), errors) > 0) {
		json_object_foreach(errors, field, msg) {
			snprintf(where, sizeof where, "%s[%zu].%s", kd->kind,
			    i, field);
			rc = derr_set(e, arena, 400,
			    arena_strdup(arena, where), "%s",
			    json_string_value(msg));
			break;
		}
	}
	json_decref(errors);
	return rc;
}

/* The whole portfolio replaced in one transaction: entries, the
   memberships in the association, the ethics signature.  Nothing of an
   import half stored. */
int
app_replace(const struct actor *who, struct arena *arena, const struct app *a,
    json_t *doc, struct derr *e)
{
	struct dbq	*st;
	json_t		*m, *v, *kept = NULL;
	size_t		 i;
	long		 n = 0, bytes = 0;
	int		 k;

	if (app_writable(who, arena, a, e) != 0 ||
	    dom_text_check(doc, arena, e) != 0)
		return -1;
	for (k = 0; k < nkinds; k++)
		json_array_foreach(json_object_get(doc, kinds[k].kind), i, v) {
			n++;
			bytes += (long)json_dumpb(v, NULL, 0, JSON_COMPACT);
			if (entry_refused(&kinds[k], v, i, arena, e) != 0)
				return -1;
		}
	if (db_begin() != 0)
		goto fail;
	/* The application's entries and files go: counted without them. */
	if (dom_quota_check(a->account, a->id, n, 0, bytes, arena, e) != 0) {
		db_rollback();
		return -1;
	}
	st = db_stmt(S_ENTRY_CLEAR);
	db_bind_int(st, "$app", a->id);
	if (db_exec(st) != 0)
		goto fail;
	for (k = 0; k < nkinds; k++)
		if (put_entries(a, doc, kinds[k].kind) != 0)
			goto fail;
	/* Memberships an attestation relies on stay (dom_member_lock). */
	if (dom_member_clear(arena, a->account, a->association, &kept) != 0)
		goto fail;
	json_array_foreach(json_object_get(doc, "membership"), i, m) {
		if (dom_member_kept(kept, m))
			continue;
		st = db_stmt(S_MEMBER_INSERT);
		db_bind_int(st, "$account", a->account);
		db_bind_text(st, "$assoc", a->association);
		v = json_object_get(m, "type");
		db_bind_text(st, "$term", json_is_string(v) ?
		    json_string_value(v) : NULL);
		db_bind_text(st, "$start",
		    json_string_value(json_object_get(m, "start")));
		v = json_object_get(m, "end");
		db_bind_text(st, "$end", json_is_string(v) ?
		    json_string_value(v) : NULL);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) != 0)
			goto fail;
	}
	st = db_stmt(S_APP_SET_ETHICS);
	v = json_object_get(doc, "ethics_signed");
	db_bind_text(st, "$date", json_is_string(v) ? json_string_value(v) :
	    NULL);
	db_bind_int(st, "$id", a->id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_commit() != 0)
		goto fail;
	json_decref(kept);
	return 0;
fail:
	db_rollback();
	json_decref(kept);
	return derr_set(e, arena, 500, NULL, "the portfolio could not be "
	    "stored; nothing was changed");
}
