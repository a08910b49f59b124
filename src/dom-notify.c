/*
 * Mail to the coordinators when something arrives, and their internal
 * notes (dom-notify.h).
 *
 * A notice is made where its event happens (app_submit, the
 * resubmission, a rater's answer, the last recommendation of a round),
 * in that event's transaction: a coordinator who chose "as it happens"
 * gets it in the outbox at once, one who chose the daily digest gets it
 * in notify_pending, and the scheduler's tick of a later day mails the
 * held notices as one message and deletes them in one transaction, so
 * none is lost or mailed twice across ticks and restarts.
 *
 * These mails are not counted by mail_limit: none of them is sent at a
 * person's asking, each follows a change of state that happens once
 * (a submission, a rater's one answer, a round's last recommendation),
 * and the rating requests that lead to declined or void answers are
 * limited already where they are made.  A coordinator who finds them
 * too many chooses the digest.
 */
#include <stdio.h>
#include <string.h>

#include "web.h"
#include "dom-notify.h"
#include "banned.h"

#define NOTIFY_MAX_COORDS	64

struct notify_to {
	int64_t		 id;
	char		*email;
	int		 digest;
};

int
notify_coordinators(struct arena *ar, const struct app *a,
    const char *subject, const char *body)
{
	struct dbq			*st = db_stmt(S_NOTIFY_COORDINATORS);
	struct row_notify_coordinators	 row;
	struct notify_to		 to[NOTIFY_MAX_COORDS];
	int				 n = 0, i, rc;

	db_bind_text(st, "$assoc", a->association);
	while (n < NOTIFY_MAX_COORDS &&
	    (rc = row_notify_coordinators(st, ar, &row)) == DB_ROW) {
		/* A coordinator's own application is another's to handle:
		   they hear of it as its applicant, not as its coordinator. */
		if (row.id == a->account || row.email == NULL)
			continue;
		to[n].id = row.id;
		to[n].email = row.email;
		to[n++].digest = row.digest != 0;
	}
	db_reset(st);
	for (i = 0; i < n; i++) {
		if (!to[i].digest) {
			if (mail_send(&(struct mail){ to[i].email, subject,
			    body, a->association, 0 }) != 0)
				return -1;
			continue;
		}
		st = db_stmt(S_NOTIFY_HOLD);
		db_bind_int(st, "$account", to[i].id);
		db_bind_text(st, "$assoc", a->association);
		db_bind_text(st, "$subject", subject);
		db_bind_text(st, "$body", body);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) != 0)
			return -1;
	}
	return 0;
}

int
notify_digest_get(int64_t account)
{
	struct dbq		*st = db_stmt(S_NOTIFY_PREF_GET);
	struct row_notify_pref_get row;
	int			 digest = 0;

	db_bind_int(st, "$account", account);
	if (row_notify_pref_get(st, NULL, &row) == DB_ROW)
		digest = row.digest != 0;
	db_reset(st);
	return digest;
}

int
notify_digest_set(const struct actor *who, struct arena *ar, int digest,
    struct derr *e)
{
	struct dbq	*st;

	if (who->kind != ACTOR_COORDINATOR || who->association == NULL)
		return derr_set(e, ar, 403, NULL, "only a coordinator chooses "
		    "how they hear of new arrivals");
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, "the database is busy; try "
		    "again");
	st = db_stmt(S_NOTIFY_PREF_SET);
	db_bind_int(st, "$account", who->id);
	db_bind_int(st, "$digest", digest != 0);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || audit_write(who, "account", who->id,
	    "notices", json_pack("{s:s}", "mail", digest ? "one daily digest" :
	    "each as it happens")) != 0 || db_commit() != 0) {
		db_rollback();
		return derr_store(e, ar, "your choice");
	}
	return 0;
}

/* One coordinator's digest of one association: the held notices before
   the day `before` (a time), mailed as one and deleted, in one
   transaction.  1 when one was mailed, 0 when none was due, -1. */
static int
digest_one(struct arena *ar, int32_t today, int64_t before)
{
	struct dbq			*st;
	struct row_notify_due_account	 who;
	struct row_notify_pending_list	*p;
	struct buf			 b;
	char				 day[64];
	int64_t				 last = 0;
	int				 n, i, rc;

	if (db_begin() != 0)
		return -1;
	st = db_stmt(S_NOTIFY_DUE_ACCOUNT);
	db_bind_int(st, "$before", before);
	rc = row_notify_due_account(st, ar, &who);
	db_reset(st);
	if (rc != DB_ROW) {
		db_rollback();
		return rc == DB_DONE ? 0 : -1;
	}
	st = db_stmt(S_NOTIFY_PENDING_LIST);
	db_bind_int(st, "$account", who.account);
	db_bind_text(st, "$assoc", who.association);
	db_bind_int(st, "$before", before);
	if ((n = rows_notify_pending_list(st, ar, &p)) <= 0) {
		db_rollback();
		return -1;
	}
	buf_init(&b);
	buf_printf(&b, "What arrived for %s before %s, oldest first (%d "
	    "notice%s).\n", web_assoc_name(who.association), date_us(today,
	    day, sizeof day), n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "\n%d. %s (%s)\n\n%s\n", i + 1, p[i].subject,
		    date_us((int32_t)(p[i].created / 86400), day, sizeof day),
		    p[i].body);
		last = p[i].id;
	}
	buf_printf(&b, "\nYou chose one daily digest; to have each mail as it "
	    "happens instead:\n%s/coordinator/notices\n", cfg.base_url);
	rc = mail_send(&(struct mail){ who.email, arena_printf(ar, "Daily "
	    "digest: %d notice%s for %s", n, n == 1 ? "" : "s",
	    web_assoc_name(who.association)), b.s, who.association, 0 });
	buf_free(&b);
	st = db_stmt(S_NOTIFY_PENDING_DELETE);
	db_bind_int(st, "$account", who.account);
	db_bind_text(st, "$assoc", who.association);
	db_bind_int(st, "$before", before);
	db_bind_int(st, "$last", last);
	if (rc != 0 || db_exec(st) != 0 || db_changes() != n ||
	    db_commit() != 0) {
		db_rollback();
		return -1;
	}
	return 1;
}

int
notify_digest_tick(int32_t today, int *sent)
{
	struct arena	 ar;
	int		 rc, guard;

	*sent = 0;
	if (db_begin() != 0)
		return -1;
	if (db_exec(db_stmt(S_NOTIFY_PENDING_PURGE)) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		return -1;
	}
	arena_init(&ar);
	/* Each digest deletes what it mailed: the loop ends when none is
	   due; the guard only bounds a store that would not delete. */
	for (guard = 0; guard < 100000; guard++) {
		rc = digest_one(&ar, today, (int64_t)today * 86400);
		arena_reset(&ar);
		if (rc <= 0)
			break;
		(*sent)++;
	}
	arena_free(&ar);
	return rc < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- notes */

int
note_add(const struct actor *who, struct arena *ar, const char *what,
    int64_t row, int64_t about, const char *text, struct derr *e)
{
	struct dbq	*st;
	const char	*p;

	if (who->kind != ACTOR_COORDINATOR || who->association == NULL)
		return derr_set(e, ar, 403, NULL, "only the association's "
		    "coordinators write internal notes");
	if (who->id == about)
		return derr_set(e, ar, 403, NULL, "the notes on your own "
		    "record are for the other coordinators");
	for (p = text != NULL ? text : ""; *p == ' ' || *p == '\t' ||
	    *p == '\r' || *p == '\n'; p++)
		;
	if (*p == '\0')
		return derr_set(e, ar, 400, "internal", "write the note");
	if (strlen(text) > FIELD_TEXT_MAX)
		return derr_set(e, ar, 400, "internal", "the note is too long: "
		    "at most %d characters", FIELD_TEXT_MAX);
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, "the database is busy; try "
		    "again");
	st = db_stmt(S_NOTE_INSERT);
	db_bind_text(st, "$assoc", who->association);
	db_bind_text(st, "$what", what);
	db_bind_int(st, "$row", row);
	db_bind_int(st, "$author", who->id);
	db_bind_text(st, "$text", text);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_commit() != 0) {
		db_rollback();
		return derr_store(e, ar, "the note");
	}
	return 0;
}

int
note_list(const struct actor *who, struct arena *ar, const char *what,
    int64_t row, int64_t about, struct row_note_list **out)
{
	struct dbq	*st;

	*out = NULL;
	if (who->kind != ACTOR_COORDINATOR || who->association == NULL ||
	    who->id == about)
		return 0;
	st = db_stmt(S_NOTE_LIST);
	db_bind_text(st, "$assoc", who->association);
	db_bind_text(st, "$what", what);
	db_bind_int(st, "$row", row);
	return rows_note_list(st, ar, out);
}
