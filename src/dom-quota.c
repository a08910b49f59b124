/*
 * What one account may store (domain.h): strings of at most FIELD_TEXT_MAX
 * bytes wherever they come from (the forms check the same constant in
 * form.c; the API, the JSON import and the log's API come through here),
 * and per-account quotas on entries, uploaded files and bytes
 * (cfg.quota_entries, quota_uploads, quota_bytes).  A portfolio export
 * is the account's entries and files, so the quotas also bound its size.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "banned.h"

/* The first string (value or member name) in v longer than FIELD_TEXT_MAX,
   with the member it is in; depth-first, in document order. */
static const char *
text_long(json_t *v, const char *in, int depth)
{
	const char	*k, *bad;
	json_t		*e;
	size_t		 i;

	if (depth > 64)
		return in;
	if (json_is_string(v))
		return json_string_length(v) > FIELD_TEXT_MAX ? in : NULL;
	if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			if (strlen(k) > FIELD_TEXT_MAX)
				return "a member name";
			if ((bad = text_long(e, k, depth + 1)) != NULL)
				return bad;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if ((bad = text_long(e, in, depth + 1)) != NULL)
				return bad;
	}
	return NULL;
}

int
dom_text_check(json_t *v, struct arena *a, struct derr *e)
{
	const char	*bad;

	if ((bad = text_long(v, "", 0)) == NULL)
		return 0;
	if (*bad == '\0' || strcmp(bad, "a member name") == 0)
		return derr_set(e, a, 400, NULL, "a value longer than %d "
		    "characters: at most %d", FIELD_TEXT_MAX, FIELD_TEXT_MAX);
	/* The name lives in the document, which the caller may free before
	   it reports the error: the arena's copy. */
	return derr_set(e, a, 400, arena_printf(a, "%.64s", bad),
	    "%.64s: at most %d characters", bad, FIELD_TEXT_MAX);
}

int
dom_quota_check(int64_t account, int64_t skip, long add_entries,
    long add_uploads, long add_bytes, struct arena *a, struct derr *e)
{
	struct dbq		*st = db_stmt(S_QUOTA_USAGE);
	struct row_quota_usage	 u;
	int			 rc;

	db_bind_int(st, "$account", account);
	db_bind_int(st, "$skip", skip);
	rc = row_quota_usage(st, NULL, &u);
	db_reset(st);
	if (rc != DB_ROW)
		return derr_store(e, a, "the account's storage");
	if (u.entries + add_entries > cfg.quota_entries)
		return derr_set(e, a, 413, NULL, "your account holds its most "
		    "entries (quota_entries = %ld, in applications and logs "
		    "together); delete some before adding more",
		    cfg.quota_entries);
	if (u.uploads + add_uploads > cfg.quota_uploads)
		return derr_set(e, a, 413, NULL, "your account holds its most "
		    "uploaded files (quota_uploads = %ld); delete some before "
		    "adding more", cfg.quota_uploads);
	if (u.bytes + add_bytes > cfg.quota_bytes)
		return derr_set(e, a, 413, NULL, "your account would store more "
		    "than %ld bytes (quota_bytes); delete some entries or "
		    "files first", cfg.quota_bytes);
	return 0;
}
