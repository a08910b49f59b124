/*
 * The exports of an association (issue 17): its applications, endorsees,
 * renewals, ledger and history as tables (export.h), for the
 * coordinator's downloads (page-export.c) and `endorse export`
 * (cli-export.c).  Every statement binds the association: a table holds
 * that association's rows only.  Days are ISO dates in the files;
 * amounts are cents, written as dollars.
 *
 * The applications table leaves the work queue's days_in_state and
 * waiting_on to the queue's own function (page-coord.c), added where the
 * two meet.
 */
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "store.h"
#include "domain.h"
#include "export.h"
#include "dom-queue.h"
#include "banned.h"

const char *const export_names[EXPORT_N] = {
	"applications", "endorsees", "renewals", "payments", "history",
};

const char *const export_about[EXPORT_N] = {
	"Every application: applicant, category, status, dates and fees.",
	"Every endorsee in the registry: number, name, category, since, "
	    "status and city.",
	"Every renewal: endorsement, cycle, status, attestation and cure "
	    "deadline.",
	"The ledger: every charge, payment, waiver and refund.",
	"The history of the applications and endorsements: what was done, "
	    "when and by whom.",
};

static const char *const apps_cols[] = { "id", "name", "email",
    "category", "status", "started", "submitted", "days_in_state",
    "waiting_on", "fee_owed", "fee_paid" };
static const char *const endorsee_cols[] = { "number", "name", "email",
    "category", "since", "status", "city", "hidden", "emerging_until" };
static const char *const renewal_cols[] = { "id", "number", "name",
    "category", "cycle", "status", "attested", "cure_by", "changed" };
static const char *const ledger_cols[] = { "id", "date", "kind", "amount",
    "name", "email", "application", "what", "method", "reference",
    "reason", "recorded_by" };
static const char *const audit_cols[] = { "id", "at", "what", "row",
    "application", "action", "actor", "detail" };
#define NC(v)	((int)(sizeof v / sizeof v[0]))

int
export_find(const char *name)
{
	int	 i;

	for (i = 0; i < EXPORT_N; i++)
		if (strcmp(name, export_names[i]) == 0)
			return i;
	return -1;
}

static int
by_id(const void *x, const void *y)
{
	const struct queue_row	*p = x, *q = y;

	return p->id < q->id ? -1 : p->id > q->id;
}

/* Every application; days_in_state and waiting_on from the work queue's
   one rule (queue_apps, dom-queue.c) for the open ones, "nobody" for a
   decided one. */
static int
apps(struct arena *a, const char *assoc, struct dbq *st,
    struct table *t)
{
	struct row_export_app	 r;
	struct queue_row	*open, key, *q;
	int64_t			 now = db_now();
	int			 rc, n;

	if ((n = queue_apps(a, assoc, NULL, &open)) < 0)
		return DB_ERROR;
	if (n > 1)
		qsort(open, (size_t)n, sizeof *open, by_id);
	table_init(t, a, apps_cols, NC(apps_cols));
	while ((rc = row_export_app(st, a, &r)) == DB_ROW) {
		key.id = r.id;
		q = n > 0 ? bsearch(&key, open, (size_t)n, sizeof *open,
		    by_id) : NULL;
		table_int(t, r.id);
		table_text(t, r.name);
		table_text(t, r.email);
		table_text(t, r.category);
		table_text(t, r.status);
		table_time_day(t, r.created);
		table_time_day(t, r.submitted);
		table_int(t, now > r.since ? (now - r.since) / 86400 : 0);
		table_text(t, wait_names[q != NULL ? q->wait : WAIT_NOBODY]);
		/* What is still owed: charged less paid, never below 0. */
		table_money(t, r.fee_charged > r.fee_paid ?
		    r.fee_charged - r.fee_paid : 0);
		table_money(t, r.fee_paid);
	}
	return rc;
}

static int
endorsees(struct arena *a, const char *assoc, struct dbq *st,
    struct table *t)
{
	struct row_export_endorsee	 r;
	int				 rc;

	(void)assoc;
	table_init(t, a, endorsee_cols, NC(endorsee_cols));
	while ((rc = row_export_endorsee(st, a, &r)) == DB_ROW) {
		table_text(t, r.number);
		table_text(t, r.name);
		table_text(t, r.email);
		table_text(t, r.category);
		table_ymd(t, r.since);
		table_text(t, r.status);
		table_text(t, r.city);
		table_int(t, r.hidden);
		table_ymd(t, r.emerging_until);
	}
	return rc;
}

static int
renewals(struct arena *a, const char *assoc, struct dbq *st,
    struct table *t)
{
	struct row_export_renewal	 r;
	int				 rc;

	(void)assoc;
	table_init(t, a, renewal_cols, NC(renewal_cols));
	while ((rc = row_export_renewal(st, a, &r)) == DB_ROW) {
		table_int(t, r.id);
		table_text(t, r.number);
		table_text(t, r.name);
		table_text(t, r.category);
		table_int(t, r.cycle);
		table_text(t, r.status);
		table_time_day(t, r.attested);
		table_ymd(t, r.cure_by);
		table_time_day(t, r.changed);
	}
	return rc;
}

static int
ledger(struct arena *a, const char *assoc, struct dbq *st,
    struct table *t)
{
	struct row_export_ledger	 r;
	int				 rc;

	(void)assoc;
	table_init(t, a, ledger_cols, NC(ledger_cols));
	while ((rc = row_export_ledger(st, a, &r)) == DB_ROW) {
		table_int(t, r.id);
		table_day(t, r.on_day);
		table_text(t, r.kind);
		table_money(t, r.cents);
		table_text(t, r.name);
		table_text(t, r.email);
		if (r.application_null)
			table_null(t);
		else
			table_int(t, r.application);
		table_text(t, r.what);
		table_text(t, r.method);
		table_text(t, r.reference);
		table_text(t, r.reason);
		table_text(t, r.actor);
	}
	return rc;
}

/* "2026-11-23T10:00:00Z": a history's times keep the hour. */
static const char *
iso_time(struct arena *a, int64_t at)
{
	char	 d[11];
	int64_t	 s = at % 86400;

	date_format((int32_t)(at / 86400), d);
	return arena_printf(a, "%sT%02d:%02d:%02dZ", d, (int)(s / 3600),
	    (int)(s / 60 % 60), (int)(s % 60));
}

static int
history(struct arena *a, const char *assoc, struct dbq *st,
    struct table *t)
{
	struct row_export_audit	 r;
	int			 rc;

	(void)assoc;
	table_init(t, a, audit_cols, NC(audit_cols));
	while ((rc = row_export_audit(st, a, &r)) == DB_ROW) {
		table_int(t, r.id);
		table_text(t, iso_time(a, r.at));
		table_text(t, r.what);
		table_int(t, r.row_id);
		if (r.application_null)
			table_null(t);
		else
			table_int(t, r.application);
		table_text(t, r.action);
		table_text(t, r.actor);
		table_text(t, r.detail);
	}
	return rc;
}

/* A failed read: 503 when the database was busy, else 500. */
static int
derr_read(struct derr *e, struct arena *a)
{
	if (db_error() == DBE_BUSY)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	return derr_set(e, a, 500, NULL, "the export could not be read");
}

int
export_table(struct arena *a, const char *assoc, int which,
    struct table *t, struct derr *e)
{
	static const enum stmt	 stmts[EXPORT_N] = { S_EXPORT_APPS,
				    S_EXPORT_ENDORSEES, S_EXPORT_RENEWALS,
				    S_EXPORT_LEDGER, S_EXPORT_AUDIT };
	static int		 (*const fns[EXPORT_N])(struct arena *,
				    const char *, struct dbq *,
				    struct table *) = { apps,
				    endorsees, renewals, ledger, history };
	struct dbq		*st;
	int			 rc;

	if (which < 0 || which >= EXPORT_N)
		return derr_set(e, a, 404, NULL, "there is no such export");
	st = db_stmt(stmts[which]);
	db_bind_text(st, "$assoc", assoc);
	rc = fns[which](a, assoc, st, t);
	db_reset(st);
	if (rc == DB_ERROR)
		return derr_read(e, a);
	return 0;
}
