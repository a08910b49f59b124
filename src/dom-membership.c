/*
 * Membership verification (dom-people.h): a coordinator confirms or
 * rejects a membership an applicant recorded in their association, or
 * imports the association's member roster and the recorded memberships
 * found on it are confirmed.  The status lives on the membership row
 * (db/016); app.c puts it in the portfolio document the rules engine
 * reads, and an applicant's document never sets it (app_replace stores
 * what they send as recorded).  Each change is in the audit table.
 */
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-people.h"
#include "banned.h"

#define C	SM_WHO_COORDINATOR
static const struct sm_line mship_lines[] = {
	{ MSTAT_RECORDED,  MSEV_CONFIRM, MSTAT_CONFIRMED, C },
	{ MSTAT_RECORDED,  MSEV_REJECT,	 MSTAT_REJECTED,  C },
	{ MSTAT_CONFIRMED, MSEV_REJECT,	 MSTAT_REJECTED,  C },
	{ MSTAT_REJECTED,  MSEV_CONFIRM, MSTAT_CONFIRMED, C },
};
#undef C
static const char *const mship_events[MSEV__N] = { "confirm", "reject" };
const struct sm mship_machine = { "membership", mship_lines,
    (int)(sizeof mship_lines / sizeof mship_lines[0]),
    membership_status_names, mship_events };

int
mship_list(const struct actor *who, struct arena *a, int64_t id,
    struct row_mship_assoc **list)
{
	struct dbq	*st;

	*list = NULL;
	if (who->kind != ACTOR_COORDINATOR || who->association == NULL)
		return 0;
	st = db_stmt(S_MSHIP_ASSOC);
	db_bind_text(st, "$assoc", who->association);
	if (id > 0)
		db_bind_int(st, "$id", id);
	else
		db_bind_null(st, "$id");
	return rows_mship_assoc(st, a, list);
}

/* Set a membership's status, in the caller's transaction, with its
   audit row.  0, or -1. */
static int
mship_set(const struct actor *who, const struct row_mship_assoc *m,
    enum membership_status to, const char *reason, const char *member_id,
    const char *how)
{
	struct dbq	*st = db_stmt(S_MSHIP_SET);

	db_bind_enum(st, "$status", membership_status, to);
	if (reason != NULL)
		db_bind_text(st, "$reason", reason);
	else
		db_bind_null(st, "$reason");
	if (member_id != NULL && *member_id != '\0')
		db_bind_text(st, "$member_id", member_id);
	else
		db_bind_null(st, "$member_id");
	db_bind_int(st, "$now", db_now());
	if (who->id > 0)
		db_bind_int(st, "$actor", who->id);
	else
		db_bind_null(st, "$actor");
	db_bind_int(st, "$id", m->id);
	db_bind_text(st, "$assoc", who->association);
	if (db_exec(st) != 0)
		return -1;
	return audit_write(who, "membership", m->id,
	    to == MSTAT_CONFIRMED ? "confirm" : "reject",
	    json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s}", "account",
	    (json_int_t)m->account, "association", who->association,
	    "start", m->start, "reason", reason, "member_id",
	    member_id != NULL && *member_id != '\0' ? member_id : NULL,
	    "how", how));
}

int
mship_decide(const struct actor *who, struct arena *a, int64_t id,
    enum mship_event ev, const char *reason, struct derr *e)
{
	struct row_mship_assoc	*m;
	int			 n, to;

	if (who->kind != ACTOR_COORDINATOR || who->association == NULL)
		return derr_set(e, a, 403, NULL, "only a coordinator of the "
		    "association verifies its memberships");
	if (db_begin() != 0)
		return derr_store(e, a, "the membership");
	if ((n = mship_list(who, a, id, &m)) < 0) {
		db_rollback();
		return derr_store(e, a, "the membership");
	}
	if (n == 0) {
		db_rollback();
		return derr_set(e, a, 404, NULL, "no such membership in your "
		    "association");
	}
	if (ev == MSEV_REJECT && (reason == NULL || *reason == '\0')) {
		db_rollback();
		return derr_set(e, a, 400, "reason", "say why the membership "
		    "is rejected: the applicant reads it");
	}
	if ((to = sm_apply(&mship_machine, (int)m->status, ev,
	    actor_who(who), e, a)) < 0) {
		db_rollback();
		return -1;
	}
	if (mship_set(who, m, (enum membership_status)to, ev == MSEV_REJECT ?
	    reason : NULL, NULL, "by hand") != 0 || db_commit() != 0) {
		db_rollback();
		return derr_store(e, a, "the membership");
	}
	return 0;
}

/* ------------------------------------------------------------- roster */

struct roster_row {
	const char	*email, *name, *member_id, *from, *to;
	int		 line, used;
};

static int
valid_day(const char *s)
{
	int32_t	 d;

	return *s == '\0' || date_parse(s, &d) == 0;
}

/* The roster's rows after its header; -1 and e on the first problem. */
static int
roster_read(struct arena *a, const char *text, size_t len,
    struct roster_row **out, int *n, struct derr *e)
{
	static const char *const head[] = { "email", "name", "member_id",
	    "term_start", "term_end" };
	struct csv		 c;
	struct csv_record	 rec;
	struct roster_row	*r;
	const char		*cause;
	int			 i, rc, cap = 0;

	*out = NULL;
	*n = 0;
	csv_init(&c, text, len);
	if ((rc = csv_next(&c, a, &rec, &cause)) <= 0 || rec.n != 5)
		return derr_set(e, a, 400, "roster", "the first line must be "
		    "the header email,name,member_id,term_start,term_end");
	for (i = 0; i < 5; i++)
		if (strcasecmp(rec.fields[i], head[i]) != 0)
			return derr_set(e, a, 400, "roster", "the first line "
			    "must be the header email,name,member_id,"
			    "term_start,term_end (column %d is \"%s\")",
			    i + 1, rec.fields[i]);
	while ((rc = csv_next(&c, a, &rec, &cause)) == 1) {
		if (rec.n == 1 && rec.fields[0][0] == '\0')
			continue;
		if (rec.n != 5)
			return derr_set(e, a, 400, "roster", "line %d has %d "
			    "columns, not 5", rec.line, rec.n);
		if ((rec.fields[0][0] == '\0' && rec.fields[1][0] == '\0') ||
		    !valid_day(rec.fields[3]) || !valid_day(rec.fields[4]))
			return derr_set(e, a, 400, "roster", "line %d needs "
			    "an e-mail or a name, and dates as YYYY-MM-DD",
			    rec.line);
		if (*n == ROSTER_MAX_ROWS)
			return derr_set(e, a, 400, "roster", "more than %d "
			    "members in one file", ROSTER_MAX_ROWS);
		if (*n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			r = arena_alloc(a, (size_t)cap * sizeof *r);
			if (*n > 0)
				memcpy(r, *out, (size_t)*n * sizeof *r);
			*out = r;
		}
		r = &(*out)[(*n)++];
		r->email = rec.fields[0];
		r->name = rec.fields[1];
		r->member_id = rec.fields[2];
		r->from = rec.fields[3];
		r->to = rec.fields[4];
		r->line = rec.line;
		r->used = 0;
	}
	if (rc < 0)
		return derr_set(e, a, 400, "roster", "line %d: %s", c.line,
		    cause);
	return 0;
}

/* Whether roster row r's term overlaps membership m's period (an empty
   date: open on that side). */
static int
roster_overlaps(const struct roster_row *r, const struct row_mship_assoc *m)
{
	if (*r->to != '\0' && strcmp(m->start, r->to) > 0)
		return 0;
	if (*r->from != '\0' && m->end != NULL && strcmp(m->end, r->from) < 0)
		return 0;
	return 1;
}

/* The roster row of membership m: by e-mail first, then by name. */
static struct roster_row *
roster_find(struct roster_row *rows, int n, const struct row_mship_assoc *m)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (*rows[i].email != '\0' && strcasecmp(rows[i].email,
		    m->email) == 0 && roster_overlaps(&rows[i], m))
			return &rows[i];
	for (i = 0; i < n; i++)
		if (*rows[i].email == '\0' && strcasecmp(rows[i].name,
		    m->name) == 0 && roster_overlaps(&rows[i], m))
			return &rows[i];
	return NULL;
}

int
mship_roster(const struct actor *who, struct arena *a, const char *csv,
    size_t len, json_t **out, struct derr *e)
{
	struct roster_row	*rows, *r;
	struct row_mship_assoc	*m;
	json_t			*done, *left, *unused;
	int			 i, n, nrows;

	*out = NULL;
	if (who->kind != ACTOR_COORDINATOR || who->association == NULL)
		return derr_set(e, a, 403, NULL, "only a coordinator of the "
		    "association imports its roster");
	if (roster_read(a, csv, len, &rows, &nrows, e) != 0)
		return -1;
	if (db_begin() != 0)
		return derr_store(e, a, "the memberships");
	if ((n = mship_list(who, a, 0, &m)) < 0)
		goto fail;
	done = json_array();
	left = json_array();
	for (i = 0; i < n; i++) {
		if (m[i].status != MSTAT_RECORDED)
			continue;
		if ((r = roster_find(rows, nrows, &m[i])) == NULL) {
			json_array_append_new(left, json_pack("{s:s, s:s, s:s}",
			    "name", m[i].name, "email", m[i].email, "start",
			    m[i].start));
			continue;
		}
		r->used = 1;
		if (mship_set(who, &m[i], MSTAT_CONFIRMED, NULL, r->member_id,
		    "roster") != 0) {
			json_decref(done);
			json_decref(left);
			goto fail;
		}
		json_array_append_new(done, json_pack("{s:s, s:s, s:s, s:s}",
		    "name", m[i].name, "email", m[i].email, "member_id",
		    r->member_id, "start", m[i].start));
	}
	if (db_commit() != 0) {
		json_decref(done);
		json_decref(left);
		goto fail;
	}
	unused = json_array();
	for (i = 0; i < nrows; i++)
		if (!rows[i].used)
			json_array_append_new(unused, json_pack(
			    "{s:i, s:s, s:s}", "line", rows[i].line, "name",
			    rows[i].name, "email", rows[i].email));
	*out = json_pack("{s:i, s:o, s:o, s:o}", "rows", nrows, "confirmed",
	    done, "unmatched", left, "unmatched_rows", unused);
	return 0;
fail:
	db_rollback();
	return derr_store(e, a, "the memberships");
}
