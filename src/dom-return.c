/*
 * A return for changes and the resubmission after it (dom-review.h).  A
 * return keeps the review round: the round's reviewers stay assigned
 * with their comments, and when the applicant submits again their
 * reviews open once more and they, with the coordinators, are told by
 * mail what the applicant changed since the return.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "dom-review.h"
#include "dom-notify.h"
#include "banned.h"

/* The entries of an application as {"id": "kind\tdata\tfile"}: kept at a
   return to say at the resubmission what changed. */
char *
review_entries_snapshot(struct arena *ar, int64_t app)
{
	struct dbq		*st = db_stmt(S_ENTRY_LIST);
	struct row_entry_list	 row;
	json_t			*o = json_object();
	char			 key[24], *s, *out;

	db_bind_int(st, "$app", app);
	while (row_entry_list(st, ar, &row) == DB_ROW) {
		snprintf(key, sizeof key, "%lld", (long long)row.id);
		json_object_set_new(o, key, json_string(arena_printf(ar,
		    "%s\t%s\t%s", row.kind, row.data, row.filename != NULL ?
		    row.filename : "")));
	}
	db_reset(st);
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	out = arena_strdup(ar, s != NULL ? s : "{}");
	free(s);
	return out;
}

/* "An entry on the Training tab" for the kind at the start of a snapshot value. */
static const char *
entry_words(struct arena *ar, const char *v)
{
	size_t	 n = strcspn(v, "\t");
	int	 i;

	for (i = 0; i < nkinds; i++)
		if (strlen(kinds[i].kind) == n &&
		    strncmp(kinds[i].kind, v, n) == 0)
			return arena_printf(ar, "An entry on the %s tab",
			    kinds[i].title);
	return "An entry";
}

/*
 * What changed in the entries since the return, one line each ("- An
 * entry on the Training tab was added."), or a line saying nothing did.
 * An entry whose data or transcript differs is changed.
 */
const char *
review_entries_changed(struct arena *ar, const char *before, int64_t app)
{
	json_t		*old, *now, *v;
	const char	*key, *was, *is;
	struct buf	 b;
	char		*out;
	int		 n = 0;

	old = json_loads(before != NULL ? before : "{}", 0, NULL);
	now = json_loads(review_entries_snapshot(ar, app), 0, NULL);
	if (old == NULL)
		old = json_object();
	buf_init(&b);
	json_object_foreach(now, key, v) {
		is = json_string_value(v);
		was = json_string_value(json_object_get(old, key));
		if (is == NULL || (was != NULL && strcmp(was, is) == 0))
			continue;
		n++;
		buf_printf(&b, "- %s was %s.\n", entry_words(ar, is),
		    was == NULL ? "added" : "changed");
	}
	json_object_foreach(old, key, v)
		if (json_object_get(now, key) == NULL &&
		    json_string_value(v) != NULL) {
			n++;
			buf_printf(&b, "- %s was removed.\n", entry_words(ar,
			    json_string_value(v)));
		}
	json_decref(old);
	json_decref(now);
	if (n == 0)
		buf_puts(&b, "No entry was added, changed or removed.\n");
	out = arena_strdup(ar, b.s != NULL ? b.s : "");
	buf_free(&b);
	return out;
}

/* The round's reviews open again (their comments stay); the
   coordinators and each of the round's reviewers are mailed what
   changed.  a is the application as it was before the resubmission. */
int
review_resubmitted(struct arena *ar, const struct app *a)
{
	struct dbq	*st;
	struct asg	 s[REVIEW_MAX_ASSIGN];
	const char	*changed, *what, *who = "The applicant";
	struct derr	 e;
	int		 n, i;

	if (sm_apply(&asg_machine, ASG_DONE, ASGEV_REOPEN, SM_WHO_APPLICANT,
	    &e, ar) < 0)
		return -1;
	st = db_stmt(S_ASSIGN_REOPEN);
	db_bind_int(st, "$app", a->id);
	db_bind_int(st, "$round", a->round);
	if (db_exec(st) != 0)
		return -1;
	changed = review_entries_changed(ar, a->return_entries, a->id);
	st = db_stmt(S_ACCOUNT_BY_ID);
	db_bind_int(st, "$id", a->account);
	{
		struct row_account_by_id row;

		if (row_account_by_id(st, ar, &row) == DB_ROW &&
		    row.name != NULL)
			who = row.name;
	}
	db_reset(st);
	what = arena_printf(ar, "%s's %s (%s) application to %s was "
	    "submitted again after it was returned for changes.\n\nThe "
	    "coordinator's note at the return:\n%s\n\nWhat changed since "
	    "the return:\n%s", who, web_category_title(a->association,
	    a->category), a->category, web_assoc_name(a->association),
	    a->return_note != NULL ? a->return_note : "", changed);
	if (notify_coordinators(ar, a,
	    "An application returned for changes was submitted again",
	    arena_printf(ar, "%s\n%s/coordinator/applications/%lld\n", what,
	    cfg.base_url, (long long)a->id)) != 0)
		return -1;
	n = review_asg_list(ar, a->id, s, REVIEW_MAX_ASSIGN);
	for (i = 0; i < n; i++)
		if (s[i].email != NULL && mail_send(&(struct mail){
		    s[i].email, "An application you review was submitted "
		    "again", arena_printf(ar, "%s\nYour review is open again "
		    "with your earlier comments: revise it if you need to and "
		    "submit it once more (after logging in):\n%s/review/%lld\n",
		    what, cfg.base_url, (long long)s[i].id), a->association,
		    0 }) != 0)
			return -1;
	return 0;
}
