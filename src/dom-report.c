/*
 * The coordinator's reports: figures of one association computed in C
 * from a few reads (store-report.def).
 *
 * An application's timeline is its creation (a draft) followed by each
 * change of status the audit table holds for it (the "to" of the rows
 * app_set_status, app_submit and the decisions write).  An application
 * with no such row (imported, or older than the audit log) is read from
 * its own columns: a draft when created, submitted at `submitted`, and
 * its status now since its last change (`updated`).  Days are whole UTC
 * days between two events' dates.  From the timelines:
 *
 *  - the state of every application at each month's end (today for the
 *    current month), for the chart of states over time;
 *  - start to submission: creation to the first submission, counted in
 *    the period when that submission falls in it;
 *  - submission to decision: the first submission of a round to the
 *    decision that ends it (exam, deferred, denied or endorsed); a return
 *    for changes keeps the round, as review does; counted when the
 *    decision falls in the period;
 *  - waits: each stay in an open state (draft, submitted, exam,
 *    deferred), those that ended in the period and those still going on
 *    (to today).
 *
 * Percentiles are by the nearest-rank method (report_percentile).
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-report.h"
#include "banned.h"

#define DECIDED(s)	((s) == APP_EXAM || (s) == APP_DEFERRED || \
			    (s) == APP_DENIED || (s) == APP_ENDORSED)

/* A growing list of day counts (malloc'd; ivec_free). */
struct ivec {
	int		*v;
	int		 n, cap;
};

static void
ivec_add(struct ivec *x, int d)
{
	if (x->n == x->cap) {
		x->cap = x->cap == 0 ? 16 : x->cap * 2;
		x->v = xreallocarray(x->v, (size_t)x->cap, sizeof *x->v);
	}
	x->v[x->n++] = d < 0 ? 0 : d;
}

static int
int_cmp(const void *a, const void *b)
{
	int	 x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

int
report_percentile(const int *sorted, int n, int p)
{
	long	 rank;

	if (n <= 0 || sorted == NULL)
		return -1;
	if (p < 1)
		p = 1;
	if (p > 100)
		p = 100;
	rank = ((long)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

/* The count, median and p90 of x; x freed. */
static struct report_span
span_of(struct ivec *x)
{
	struct report_span	 s;

	if (x->n > 0)
		qsort(x->v, (size_t)x->n, sizeof *x->v, int_cmp);
	s.n = x->n;
	s.median = report_percentile(x->v, x->n, 50);
	s.p90 = report_percentile(x->v, x->n, 90);
	free(x->v);
	memset(x, 0, sizeof *x);
	return s;
}

int
report_open_status(enum app_status s)
{
	return s == APP_DRAFT || s == APP_SUBMITTED || s == APP_EXAM ||
	    s == APP_DEFERRED;
}

/* One event of a timeline: the state entered and its day. */
struct ev {
	enum app_status	 to;
	int32_t		 day;
};

/* What the scan gathers beside the report. */
struct acc {
	struct report	*rep;
	int32_t		 today;
	struct ivec	 submit[REPORT_CATS_MAX], decide[REPORT_CATS_MAX];
	struct ivec	 wait[app_status__N];
};

static int32_t
day_of(int64_t t)
{
	return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

/* The category's index, added when new; -1 past REPORT_CATS_MAX. */
static int
cat_index(struct report *rep, struct arena *ar, const char *code)
{
	int	 i;

	for (i = 0; i < rep->ncats; i++)
		if (strcmp(rep->cats[i].code, code) == 0)
			return i;
	if (rep->ncats == REPORT_CATS_MAX)
		return -1;
	rep->cats[i].code = arena_strdup(ar, code);
	rep->ncats++;
	return i;
}

/* The timeline of an application without audit rows. */
static int
timeline_plain(const struct row_report_app *a, struct ev *e)
{
	int	 n = 0;

	e[n++] = (struct ev){ APP_DRAFT, day_of(a->created) };
	if (a->status == APP_DRAFT)
		return n;
	if (!a->submitted_null)
		e[n++] = (struct ev){ APP_SUBMITTED, day_of(a->submitted) };
	if (a->status != APP_SUBMITTED || a->submitted_null)
		e[n++] = (struct ev){ a->status, day_of(a->updated) };
	return n;
}

/* Fold one application's timeline into the figures. */
static void
fold(struct acc *c, int cat, const struct ev *e, int n)
{
	struct report	*rep = c->rep;
	int		 i, m, first_sub = -1;
	int32_t		 end, round = DATE_NONE;

	/* Its state at each month's end. */
	for (m = 0, i = 0; m < rep->months; m++) {
		if (e[0].day > rep->month_end[m])
			continue;
		while (i + 1 < n && e[i + 1].day <= rep->month_end[m])
			i++;
		rep->by_month[m][e[i].to]++;
	}
	for (i = 0; i < n; i++) {
		if (e[i].to == APP_SUBMITTED) {
			if (first_sub < 0) {
				first_sub = i;
				if (cat >= 0 && e[i].day >= rep->since)
					ivec_add(&c->submit[cat],
					    e[i].day - e[0].day);
			}
			if (round == DATE_NONE)
				round = e[i].day;
		} else if (DECIDED(e[i].to) && round != DATE_NONE) {
			if (cat >= 0 && e[i].day >= rep->since)
				ivec_add(&c->decide[cat], e[i].day - round);
			round = DATE_NONE;
		}
		end = i + 1 < n ? e[i + 1].day : c->today;
		if (report_open_status(e[i].to) && end >= rep->since)
			ivec_add(&c->wait[e[i].to], end - e[i].day);
	}
}

/* The moves (audit rows) of the association, in application order. */
static int
read_moves(struct arena *ar, const char *assoc, struct row_report_move **mv)
{
	struct dbq	*st = db_stmt(S_REPORT_MOVES);

	db_bind_text(st, "$assoc", assoc);
	return rows_report_move(st, ar, mv);
}

/* Every application, its timeline folded in as it is read. */
static int
scan_apps(struct acc *c, struct arena *ar, const char *assoc)
{
	struct row_report_move	*mv;
	struct row_report_app	 a;
	struct dbq		*st;
	struct ev		*e = NULL;
	int			 nmv, k = 0, n, cap = 0, rc, cat;
	int			 w;

	if ((nmv = read_moves(ar, assoc, &mv)) < 0)
		return -1;
	st = db_stmt(S_REPORT_APPS);
	db_bind_text(st, "$assoc", assoc);
	while ((rc = row_report_app(st, NULL, &a)) == DB_ROW) {
		while (k < nmv && mv[k].app < a.id)
			k++;
		if (cap < nmv - k + 4) {
			cap = nmv - k + 4;
			e = xreallocarray(e, (size_t)cap, sizeof *e);
		}
		if (k < nmv && mv[k].app == a.id) {
			n = 0;
			e[n++] = (struct ev){ APP_DRAFT, day_of(a.created) };
			for (; k < nmv && mv[k].app == a.id; k++)
				if ((w = db_parse_enum(app_status,
				    mv[k].to_status)) < app_status__N)
					e[n++] = (struct ev){ w,
					    day_of(mv[k].at) };
		} else
			n = timeline_plain(&a, e);
		c->rep->napps++;
		if (a.status < app_status__N)
			c->rep->now[a.status]++;
		cat = cat_index(c->rep, ar, a.category != NULL ? a.category :
		    "");
		fold(c, cat, e, n);
	}
	free(e);
	return rc == DB_DONE ? 0 : -1;
}

/* The period: the first day of the month months - 1 before today's,
   and each month's last day (today for the current one). */
static void
period(struct report *rep, int32_t today)
{
	int	 y, m, d, i;
	int32_t	 first;

	date_ymd(today, &y, &m, &d);
	first = date_from_ymd(y, m, 1);
	rep->since = date_add_months(first, -(rep->months - 1));
	for (i = 0; i < rep->months; i++)
		rep->month_end[i] = i == rep->months - 1 ? today :
		    date_add_months(rep->since, i + 1) - 1;
}

static int
read_counts(struct arena *ar, const char *assoc, struct report *rep)
{
	struct dbq	*st;

	st = db_stmt(S_REPORT_RENEWALS);
	db_bind_text(st, "$assoc", assoc);
	if ((rep->nrenewals = rows_report_renewal(st, ar, &rep->renewals)) < 0)
		return -1;
	st = db_stmt(S_REPORT_BY_CATEGORY);
	db_bind_text(st, "$assoc", assoc);
	if ((rep->ncategories = rows_report_count(st, ar,
	    &rep->by_category)) < 0)
		return -1;
	st = db_stmt(S_REPORT_BY_CITY);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$limit", REPORT_CITIES);
	if ((rep->ncities = rows_report_count(st, ar, &rep->by_city)) < 0)
		return -1;
	return 0;
}

int
report_build(const struct actor *who, struct arena *ar, int months,
    int32_t today, struct report *rep, struct derr *e)
{
	struct acc	*c;
	int		 i, rc;

	if (who == NULL || who->kind != ACTOR_COORDINATOR ||
	    who->association == NULL)
		return derr_set(e, ar, 403, NULL, "the reports are for an "
		    "association's coordinators");
	memset(rep, 0, sizeof *rep);
	rep->months = months == 24 ? 24 : 12;
	period(rep, today);
	rep->cats = arena_alloc(ar, REPORT_CATS_MAX * sizeof *rep->cats);
	memset(rep->cats, 0, REPORT_CATS_MAX * sizeof *rep->cats);
	c = xcalloc(1, sizeof *c);
	c->rep = rep;
	c->today = today;
	rc = scan_apps(c, ar, who->association);
	for (i = 0; i < REPORT_CATS_MAX; i++) {
		rep->cats[i].to_submit = span_of(&c->submit[i]);
		rep->cats[i].to_decision = span_of(&c->decide[i]);
	}
	for (i = 0; i < app_status__N; i++)
		rep->wait[i] = span_of(&c->wait[i]);
	free(c);
	if (rc != 0 || read_counts(ar, who->association, rep) != 0)
		return derr_store(e, ar, "the reports");
	return 0;
}
