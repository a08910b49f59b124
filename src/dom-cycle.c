/*
 * Review's domain, the association's side (dom-review.h): review cycles
 * and their machine, the association's reviewers, and the lists the
 * coordinator's and the reviewer's pages read.  Every change is one
 * transaction with its audit row.
 */
#include <string.h>

#include "web.h"
#include "dom-review.h"
#include "dom-app.h"
#include "banned.h"

#define C	SM_WHO_COORDINATOR
static const struct sm_line cycle_lines[] = {
	{ CYCLE_OPEN,	CYCLEV_CLOSE,	CYCLE_CLOSED,	C },
};
static const char *const cycle_events[CYCLEV__N] = { "close" };
const struct sm cycle_machine = { "review cycle", cycle_lines,
    (int)(sizeof cycle_lines / sizeof cycle_lines[0]), cycle_status_names,
    cycle_events };
#undef C

/* The machines' who bits of an actor: a coordinator is one; whether an
   account reviews is a row (an assignment), checked by the caller. */
unsigned
review_who(const struct actor *who)
{
	switch (who->kind) {
	case ACTOR_COORDINATOR:
		return SM_WHO_COORDINATOR;
	case ACTOR_APPLICANT:
		return SM_WHO_APPLICANT;
	case ACTOR_SYSTEM:
		return SM_WHO_SYSTEM;
	default:
		return 0;
	}
}

/* Open a write transaction; -1 with e (503) when the store is busy. */
int
review_begin(struct arena *ar, struct derr *e)
{
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, "the database is busy; try "
		    "again");
	return 0;
}

/* Roll back and hand the caller's -1 on. */
static int
undo(void)
{
	db_rollback();
	return -1;
}

/* --------------------------------------------------------------- reads */

#undef ROWS_READER

/* The coordinator's list of the association's applications. */
int
review_apps(struct arena *ar, const char *assoc,
    struct row_app_list_assoc **out)
{
	struct dbq	*st = db_stmt(S_APP_LIST_ASSOC);

	db_bind_text(st, "$assoc", assoc);
	return rows_app_list_assoc(st, ar, out);
}

/* The association's cycles, the latest first. */
int
review_cycles(struct arena *ar, const char *assoc, struct row_cycle_list **out)
{
	struct dbq	*st = db_stmt(S_CYCLE_LIST);

	db_bind_text(st, "$assoc", assoc);
	return rows_cycle_list(st, ar, out);
}

/* The association is bound: another's cycle answers as a missing one. */
int
review_cycle_get(struct arena *ar, const char *assoc, int64_t id,
    struct row_cycle_get *c)
{
	struct dbq	*st = db_stmt(S_CYCLE_GET);
	int		 rc;

	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", assoc);
	rc = row_cycle_get(st, ar, c);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* A cycle's applications, for its progress page. */
int
review_cycle_apps(struct arena *ar, const char *assoc, int64_t id,
    struct row_cycle_apps **out)
{
	struct dbq	*st = db_stmt(S_CYCLE_APPS);

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", id);
	return rows_cycle_apps(st, ar, out);
}

/* The association's reviewers with their open assignments. */
int
review_reviewers(struct arena *ar, const char *assoc,
    struct row_reviewer_list **out)
{
	struct dbq	*st = db_stmt(S_REVIEWER_LIST);

	db_bind_text(st, "$assoc", assoc);
	return rows_reviewer_list(st, ar, out);
}

/* An application's audit rows, its assignments' included. */
int
review_history(struct arena *ar, int64_t app, struct row_audit_list **out)
{
	struct dbq	*st = db_stmt(S_AUDIT_LIST);

	db_bind_int(st, "$app", app);
	return rows_audit_list(st, ar, out);
}

/* A reviewer's assignments, the open ones first. */
int
review_todo(struct arena *ar, int64_t reviewer,
    struct row_assign_list_reviewer **out)
{
	struct dbq	*st = db_stmt(S_ASSIGN_LIST_REVIEWER);

	db_bind_int(st, "$reviewer", reviewer);
	return rows_assign_list_reviewer(st, ar, out);
}

/* The association's latest outgoing mail. */
int
review_outbox(struct arena *ar, const char *assoc,
    struct row_outbox_list **out)
{
	struct dbq	*st = db_stmt(S_OUTBOX_LIST);

	db_bind_text(st, "$assoc", assoc);
	return rows_outbox_list(st, ar, out);
}

/* -------------------------------------------------------------- cycles */

/*
 * Whether application id may join a new cycle of who's association: of
 * the association, submitted, in no open cycle.  NULL, or why not.
 */
static const char *
cycle_refusal(const struct actor *who, struct arena *ar, int64_t id)
{
	struct row_cycle_get	 cy;
	struct dbq		*st;
	struct app		 a;
	int			 rc;

	if (id <= 0 || app_read(ar, id, &a) != 0 || a.association == NULL ||
	    strcmp(a.association, who->association) != 0)
		return "there is no such application";
	if (a.status != APP_SUBMITTED)
		return arena_printf(ar, "its status is %s: only a submitted "
		    "application joins a review cycle", db_enum_word(app_status,
		    a.status));
	if (a.cycle <= 0)
		return NULL;
	st = db_stmt(S_CYCLE_GET);
	db_bind_int(st, "$id", a.cycle);
	db_bind_text(st, "$assoc", who->association);
	rc = row_cycle_get(st, ar, &cy);
	db_reset(st);
	if (rc == DB_ROW && cy.status == CYCLE_OPEN)
		return arena_printf(ar, "it is already in the review cycle "
		    "%s", cy.name);
	return NULL;
}

/* Application id joins cycle c, in its history. */
static int
cycle_adopt_one(const struct actor *who, int64_t c, const char *name,
    int64_t id)
{
	struct dbq	*st = db_stmt(S_QUEUE_CYCLE_ADOPT_ONE);

	db_bind_int(st, "$cycle", c);
	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", who->association);
	if (db_exec(st) != 0 || db_changes() != 1)
		return -1;
	return audit_write(who, "application", id, "cycle", json_pack("{s:I, "
	    "s:s}", "cycle", (json_int_t)c, "name", name));
}

/*
 * A cycle is created open; the applications waiting for one join it in
 * the same transaction, so none is left out between the two: every one
 * (ids NULL), or only those of ids[n] that may (why[i]: NULL when it
 * joined, else why not; none may: 409 and no cycle).
 */
static int
cycle_create(const struct actor *who, struct arena *ar, const char *name,
    const char *opens, const char *closes, int32_t closes_day,
    const int64_t *ids, int n, const char **why, int64_t *id,
    struct derr *e)
{
	struct dbq	*st;
	json_t		*list = NULL, *detail;
	int		 adopted = 0, i;

	if (review_begin(ar, e) != 0)
		return -1;
	if (ids != NULL) {
		for (i = 0; i < n; i++)
			if ((why[i] = cycle_refusal(who, ar, ids[i])) == NULL)
				adopted++;
		if (adopted == 0) {
			derr_set(e, ar, 409, NULL, "none of the applications "
			    "ticked can join a review cycle; no cycle was "
			    "opened");
			return undo();
		}
		adopted = 0;
		list = json_array();
	}
	st = db_stmt(S_CYCLE_INSERT);
	db_bind_text(st, "$assoc", who->association);
	db_bind_text(st, "$name", name);
	db_bind_text(st, "$opens", opens);
	db_bind_text(st, "$closes", closes);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	*id = db_last_id();
	for (i = 0; ids != NULL && i < n; i++) {
		if (why[i] != NULL)
			continue;
		if (cycle_adopt_one(who, *id, name, ids[i]) != 0)
			goto fail;
		json_array_append_new(list, json_integer((json_int_t)ids[i]));
		adopted++;
	}
	/* Submitted applications waiting for a cycle join this one, unless
	   it is already over (a past cycle recorded for the books). */
	if (ids == NULL && closes_day >= web_today()) {
		st = db_stmt(S_CYCLE_ADOPT);
		db_bind_int(st, "$cycle", *id);
		db_bind_text(st, "$assoc", who->association);
		if (db_exec(st) != 0)
			goto fail;
		adopted = db_changes();
	}
	detail = json_pack("{s:s, s:s, s:s, s:i}", "name", name, "opens",
	    opens, "closes", closes, "adopted", adopted);
	if (list != NULL)
		json_object_set_new(detail, "applications", list);
	list = NULL;
	if (audit_write(who, "cycle", *id, "create", detail) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	json_decref(list);
	derr_set(e, ar, 500, NULL, "the cycle could not be stored; nothing "
	    "was changed");
	return undo();
}

int
review_cycle_new(const struct actor *who, struct arena *ar,
    const char *name, const char *opens, const char *closes,
    int32_t closes_day, int64_t *id, struct derr *e)
{
	return cycle_create(who, ar, name, opens, closes, closes_day, NULL,
	    0, NULL, id, e);
}

int
review_cycle_new_for(const struct actor *who, struct arena *ar,
    const char *name, const char *opens, const char *closes,
    int32_t closes_day, const int64_t *ids, int n, const char **why,
    int64_t *id, struct derr *e)
{
	return cycle_create(who, ar, name, opens, closes, closes_day, ids,
	    n, why, id, e);
}

/* Close a cycle as its machine allows: an open one, once. */
int
review_cycle_close(const struct actor *who, struct arena *ar, int64_t id,
    struct derr *e)
{
	struct dbq		*st;
	struct row_cycle_get	 row;
	int			 rc, to;

	if (review_begin(ar, e) != 0)
		return -1;
	st = db_stmt(S_CYCLE_GET);
	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", who->association);
	rc = row_cycle_get(st, NULL, &row);
	db_reset(st);
	if (rc != DB_ROW) {
		derr_set(e, ar, 404, NULL, "there is no such review cycle");
		return undo();
	}
	to = sm_apply(&cycle_machine, row.status, CYCLEV_CLOSE, review_who(who),
	    e, ar);
	if (to < 0) {
		if (e != NULL && e->status == 409)
			derr_set(e, ar, 409, NULL, "this review cycle is "
			    "already closed");
		return undo();
	}
	st = db_stmt(S_CYCLE_SET_STATUS);
	db_bind_enum(st, "$status", cycle_status, to);
	db_bind_enum(st, "$from", cycle_status, row.status);
	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", who->association);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		derr_set(e, ar, 409, NULL, "this review cycle is already "
		    "closed");
		return undo();
	}
	if (audit_write(who, "cycle", id, "close", json_object()) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	derr_set(e, ar, 500, NULL, "the cycle could not be closed");
	return undo();
}

/* ----------------------------------------------------------- reviewers */

/* Only an endorsee of the association reviews for it; adding one twice
   changes nothing and logs nothing. */
int
review_reviewer_add(const struct actor *who, struct arena *ar,
    const char *email, struct derr *e)
{
	struct dbq			*st;
	struct row_account_by_email	 acc;
	struct row_reviewer_is		 yes;
	int64_t				 id = 0;
	int				 endorsed = 0;

	if (review_begin(ar, e) != 0)
		return -1;
	st = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(st, "$email", email);
	if (row_account_by_email(st, NULL, &acc) == DB_ROW)
		id = acc.id;
	db_reset(st);
	if (id != 0) {
		st = db_stmt(S_REVIEWER_ENDORSED);
		db_bind_int(st, "$account", id);
		db_bind_text(st, "$assoc", who->association);
		endorsed = row_reviewer_is(st, NULL, &yes) == DB_ROW;
		db_reset(st);
	}
	if (id == 0 || !endorsed) {
		derr_set(e, ar, 400, "email", "%s", id == 0 ? "no account has "
		    "this e-mail; the person registers first" : "this person "
		    "holds no active endorsement of this association");
		return undo();
	}
	st = db_stmt(S_REVIEWER_ADD);
	db_bind_int(st, "$account", id);
	db_bind_text(st, "$assoc", who->association);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() == 1 && audit_write(who, "reviewer", id, "add",
	    json_pack("{s:s}", "association", who->association)) != 0)
		goto fail;
	if (db_commit() != 0)
		goto fail;
	return 0;
fail:
	derr_set(e, ar, 500, NULL, "the reviewer could not be added");
	return undo();
}
