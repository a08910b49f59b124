/*
 * The coordinator's work queue and reminders (dom-queue.h).  The store
 * gathers the facts of each open application in one statement per sort
 * (store-queue.def); whom it waits on, its deadline and whether its fee
 * is paid are decided here, per row, by the same rule the applicant's
 * status line asks (app_wait).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "dom-queue.h"
#include "dom-rating.h"
#include "banned.h"

const char *const wait_names[WAIT__N] = {
	"nobody", "applicant", "rater", "reviewer", "exam", "coordinator",
	"payment"
};
const char *const wait_titles[WAIT__N] = {
	"nobody", "the applicant", "a rater", "the reviewers", "the exam",
	"the coordinator", "the payment"
};
const char *const queue_sort_names[QS__N] = {
	"name", "category", "status", "started", "submitted", "days",
	"waiting", "deadline"
};

static const enum wait why_wait[WHY__N] = {
	[WHY_NONE] = WAIT_NOBODY, [WHY_RETURNED] = WAIT_APPLICANT,
	[WHY_READY] = WAIT_APPLICANT, [WHY_RATINGS] = WAIT_RATER,
	[WHY_CHECKLIST] = WAIT_APPLICANT, [WHY_CYCLE] = WAIT_COORDINATOR,
	[WHY_ASSIGN] = WAIT_COORDINATOR, [WHY_REVIEWS] = WAIT_REVIEWER,
	[WHY_PAYMENT] = WAIT_PAYMENT, [WHY_DECIDE] = WAIT_COORDINATOR,
	[WHY_EXAM] = WAIT_EXAM
};

enum wait
wait_of(enum wait_why w)
{
	return (unsigned)w < WHY__N ? why_wait[w] : WAIT_NOBODY;
}

/*
 * Whom an application waits on.  A draft (or a deferred one) waits on its
 * applicant once returned or ready, else on raters who have a request
 * open, else on the applicant's checklist.  A submission waits on a
 * cycle, then reviewers being assigned, then their reviews, then (a fee
 * unpaid) the payment, then the coordinator's decision; an approval for
 * the exam waits on the exam.
 */
enum wait_why
app_wait(const struct wait_facts *f)
{
	switch (f->status) {
	case APP_DRAFT:
	case APP_DEFERRED:
		if (f->returned)
			return WHY_RETURNED;
		if (f->ready)
			return WHY_READY;
		return f->pending > 0 ? WHY_RATINGS : WHY_CHECKLIST;
	case APP_SUBMITTED:
		if (f->assigned == 0)
			return f->in_cycle ? WHY_ASSIGN : WHY_CYCLE;
		if (f->done < f->assigned)
			return WHY_REVIEWS;
		return f->unpaid ? WHY_PAYMENT : WHY_DECIDE;
	case APP_EXAM:
		return WHY_EXAM;
	default:
		return WHY_NONE;
	}
}

int
queue_unpaid(int submitted, int fee_owed, int ledger_rows, int64_t charges,
    int64_t credits)
{
	if (ledger_rows > 0)
		return credits < charges;
	return submitted && fee_owed > 0;
}

/* ---------------------------------------------------------- the queue */

/* The statement of a sort the store serves, or S__N (sorted here);
   paged: the store's page (no filter on whom it waits on). */
static enum stmt
sort_stmt(enum queue_sort s, int desc, int paged)
{
	static const enum stmt asc[2][QS__N] = { {
		S_QUEUE_NAME, S_QUEUE_CATEGORY, S_QUEUE_STATUS,
		S_QUEUE_STARTED, S_QUEUE_SUBMITTED, S_QUEUE_SINCE, S__N, S__N
	}, {
		S_QUEUE_PAGE_NAME, S_QUEUE_PAGE_CATEGORY, S_QUEUE_PAGE_STATUS,
		S_QUEUE_PAGE_STARTED, S_QUEUE_PAGE_SUBMITTED,
		S_QUEUE_PAGE_SINCE, S__N, S__N
	} }, dsc[2][QS__N] = { {
		S_QUEUE_NAME_DESC, S_QUEUE_CATEGORY_DESC, S_QUEUE_STATUS_DESC,
		S_QUEUE_STARTED_DESC, S_QUEUE_SUBMITTED_DESC,
		S_QUEUE_SINCE_DESC, S__N, S__N
	}, {
		S_QUEUE_PAGE_NAME_DESC, S_QUEUE_PAGE_CATEGORY_DESC,
		S_QUEUE_PAGE_STATUS_DESC, S_QUEUE_PAGE_STARTED_DESC,
		S_QUEUE_PAGE_SUBMITTED_DESC, S_QUEUE_PAGE_SINCE_DESC, S__N, S__N
	} };

	/* Most days in the state first is the oldest since first. */
	if (s == QS_DAYS)
		desc = !desc;
	return (unsigned)s < QS__N ? (desc ? dsc : asc)[paged != 0][s] : S__N;
}

/* A search word as a LIKE pattern: % and _ and \ taken literally. */
static char *
like_word(struct arena *ar, const char *w, size_t n)
{
	char	*p = arena_alloc(ar, 2 * n + 3), *q = p;
	size_t	 i;

	*q++ = '%';
	for (i = 0; i < n; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			*q++ = '\\';
		*q++ = w[i];
	}
	*q++ = '%';
	*q = '\0';
	return p;
}

static void
bind_filter(struct arena *ar, struct dbq *st, const char *assoc,
    const struct queue_filter *f, int64_t now)
{
	static const char *const par[QUEUE_WORDS] = {
		"$w1", "$w2", "$w3", "$w4"
	};
	const char	*s = f->search;
	size_t		 n;
	int		 k = 0;

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$now", now);
	if (f->status >= 0)
		db_bind_enum(st, "$status", app_status, f->status);
	if (f->category != NULL && *f->category != '\0')
		db_bind_text(st, "$category", f->category);
	if (f->older > 0)
		db_bind_int(st, "$before", now - (int64_t)f->older * 86400);
	while (s != NULL && k < QUEUE_WORDS) {
		s += strspn(s, " \t,");
		if ((n = strcspn(s, " \t,")) == 0)
			break;
		db_bind_text(st, par[k++], like_word(ar, s, n));
		s += n;
	}
}

/* One row of the store as a row of the queue, the rule applied. */
static void
row_fill(struct queue_row *q, const struct row_queue_row *r, int64_t now)
{
	struct wait_facts	 f;
	int32_t			 d;

	memset(q, 0, sizeof *q);
	q->id = r->id;
	q->account = r->account;
	q->name = r->name;
	q->email = r->email;
	q->number = r->number;
	q->category = r->category;
	q->status = r->status;
	q->started = r->created;
	q->submitted = r->submitted;
	q->since = r->since;
	q->days = now > r->since ? (int)((now - r->since) / 86400) : 0;
	q->unpaid = queue_unpaid(r->submitted > 0, (int)r->fee_owed,
	    (int)r->ledger_n, r->charges, r->credits);
	q->owed_cents = r->ledger_n > 0 ? r->charges : r->fee_owed * 100;
	q->paid_cents = r->ledger_n > 0 ? r->credits : 0;
	memset(&f, 0, sizeof f);
	f.status = r->status;
	f.returned = r->returned > 0;
	f.pending = (int)r->pending;
	f.assigned = (int)r->assigned;
	f.done = (int)r->done;
	f.in_cycle = r->cycle > 0;
	f.unpaid = q->unpaid;
	q->assigned = f.assigned;
	q->done = f.done;
	q->why = app_wait(&f);
	q->wait = wait_of(q->why);
	if (q->why == WHY_RATINGS) {
		q->rater = r->rater;
		q->deadline = r->rating_expires;
	} else if (q->why == WHY_EXAM && r->exam_date != NULL &&
	    date_parse(r->exam_date, &d) == 0)
		q->deadline = (int64_t)d * 86400;
}

/* Sorts the store does not serve: whom it waits on, the deadline (none
   last); then the days in the state, longest first, then the id. */
static int
by_key(const struct queue_row *a, const struct queue_row *b, int wait,
    int desc)
{
	int64_t	 ka, kb;

	if (wait) {
		ka = a->wait;
		kb = b->wait;
	} else {
		ka = a->deadline > 0 ? a->deadline : INT64_MAX;
		kb = b->deadline > 0 ? b->deadline : INT64_MAX;
	}
	if (ka != kb)
		return (ka < kb ? -1 : 1) * (desc ? -1 : 1);
	if (a->since != b->since)
		return a->since < b->since ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static int
by_wait(const void *a, const void *b)
{
	return by_key(a, b, 1, 0);
}

static int
by_wait_desc(const void *a, const void *b)
{
	return by_key(a, b, 1, 1);
}

static int
by_deadline(const void *a, const void *b)
{
	return by_key(a, b, 0, 0);
}

static int
by_deadline_desc(const void *a, const void *b)
{
	return by_key(a, b, 0, 1);
}

int
queue_apps(struct arena *ar, const char *assoc, const struct queue_filter *f,
    struct queue_row **out)
{
	static const struct queue_filter all = { -1, NULL, -1, 0, NULL,
	    QS_DAYS, 1, 0, 0 };
	struct row_queue_row	 r;
	struct queue_row	*v = NULL, *nv;
	struct dbq		*st;
	enum stmt		 s;
	int64_t			 now = db_now();
	int			 n = 0, cap = 0, skip, here, paged, rc;

	if (f == NULL)
		f = &all;
	/* Sorted here: every row is read, then sorted, then paged.  No
	   filter on whom it waits on: the store pages. */
	paged = f->wait < 0;
	s = sort_stmt(f->sort, f->desc, paged);
	here = s == S__N;
	if (here)
		paged = 0;
	st = db_stmt(here ? S_QUEUE_SINCE : s);
	bind_filter(ar, st, assoc, f, now);
	if (paged) {
		db_bind_int(st, "$lim", f->limit > 0 ? f->limit : -1);
		db_bind_int(st, "$off", f->offset);
	}
	skip = here || paged ? 0 : f->offset;
	while ((rc = row_queue_row(st, ar, &r)) == DB_ROW) {
		if (!here && f->limit > 0 && n >= f->limit)
			break;
		if (n == cap) {
			cap = cap == 0 ? 64 : 2 * cap;
			nv = arena_alloc(ar, (size_t)cap * sizeof *v);
			if (n > 0)
				memcpy(nv, v, (size_t)n * sizeof *v);
			v = nv;
		}
		row_fill(&v[n], &r, now);
		if (f->wait >= 0 && (int)v[n].wait != f->wait)
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		n++;
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return -1;
	if (here && n > 0) {
		qsort(v, (size_t)n, sizeof *v, f->sort == QS_WAITING ?
		    (f->desc ? by_wait_desc : by_wait) : (f->desc ?
		    by_deadline_desc : by_deadline));
		if (f->offset >= n)
			n = 0;
		else {
			v += f->offset;
			n -= f->offset;
		}
		if (f->limit > 0 && n > f->limit)
			n = f->limit;
	}
	*out = v;
	return n;
}

/* ------------------------------------------------------- the reminders */

/*
 * The facts of one application for app_wait (ready: the checklist's,
 * which the caller evaluated).  -1 when the store fails.
 */
int
queue_facts(const struct app *a, int ready, struct wait_facts *f)
{
	struct row_queue_rater_open	 ro;
	struct row_assign_list_app	 as;
	struct row_queue_ledger		 lg;
	struct dbq			*st;
	int				 rc;

	memset(f, 0, sizeof *f);
	f->status = a->status;
	f->returned = a->returned > 0;
	f->ready = ready;
	f->in_cycle = a->cycle > 0;
	st = db_stmt(S_QUEUE_RATER_OPEN);
	db_bind_int(st, "$app", a->id);
	db_bind_int(st, "$now", db_now());
	while ((rc = row_queue_rater_open(st, NULL, &ro)) == DB_ROW)
		f->pending++;
	db_reset(st);
	if (rc == DB_ERROR)
		return -1;
	/* Assigned and done, of the current round. */
	st = db_stmt(S_ASSIGN_LIST_APP);
	db_bind_int(st, "$app", a->id);
	while ((rc = row_assign_list_app(st, NULL, &as)) == DB_ROW) {
		f->assigned++;
		f->done += as.done > 0;
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return -1;
	st = db_stmt(S_QUEUE_LEDGER);
	db_bind_int(st, "$app", a->id);
	rc = row_queue_ledger(st, NULL, &lg);
	db_reset(st);
	if (rc != DB_ROW)
		return -1;
	f->unpaid = queue_unpaid(a->submitted > 0, a->fee_owed,
	    (int)lg.ledger_n, lg.charges, lg.credits);
	return 0;
}

static const char *
applicant_name(struct arena *ar, int64_t account)
{
	struct row_account_by_id	 acc;
	struct dbq			*st = db_stmt(S_ACCOUNT_BY_ID);
	const char			*name = "An applicant";

	db_bind_int(st, "$id", account);
	if (row_account_by_id(st, ar, &acc) == DB_ROW && acc.name != NULL &&
	    *acc.name != '\0')
		name = acc.name;
	db_reset(st);
	return name;
}

/*
 * Remind the reviewer of assignment as, by who; days > 0: the scheduler's
 * offset, recorded (due the day of the assignment) and sent once.  Its
 * own transaction with the history's row.  1 when sent, 0 when it had
 * been, -1 with e.
 */
static int
remind_reviewer(const struct actor *who, struct arena *ar, const struct app *a,
    const struct row_queue_asg_due *as, int days, struct derr *e)
{
	struct dbq	*st;
	char		 due[11], day[DATE_US_MAX];

	date_format((int32_t)(as->assigned / 86400), due);
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, "the database is busy; try "
		    "again");
	if (days > 0) {
		st = db_stmt(S_REMINDER_INSERT);
		db_bind_text(st, "$kind", "reviewer");
		db_bind_int(st, "$ref", as->id);
		db_bind_text(st, "$due", due);
		db_bind_int(st, "$days", days);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) != 0 || db_changes() != 1) {
			db_rollback();
			return 0;
		}
	}
	if (mail_limit(ar, who->id, as->email, e) != 0) {
		db_rollback();
		return -1;
	}
	if (mail_send(&(struct mail){ as->email, arena_printf(ar, "Reminder: "
	    "a review for %s", web_assoc_name(a->association)), arena_printf(ar,
	    "Hello %s,\n\nyou were asked on %s to review application %lld "
	    "(%s, %s), and your review is not submitted yet.\n\nYour reviews: "
	    "%s/review/%lld\n", as->name, date_us((int32_t)(as->assigned /
	    86400), day, sizeof day), (long long)a->id, web_category_title(
	    a->association, a->category), a->category, cfg.base_url,
	    (long long)a->id), a->association, 0 }) != 0 ||
	    audit_write(who, "assignment", as->id, "remind", json_pack("{s:I, "
	    "s:s, s:i}", "application", (json_int_t)a->id, "reviewer",
	    as->name, "days", days)) != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, ar, 503, NULL, "the reminder could not be "
		    "stored; try again");
	}
	return 1;
}

/* Whether who may act on a: their association's, not their own. */
static int
queue_may(const struct actor *who, struct arena *ar, const struct app *a,
    struct derr *e)
{
	if (who->association == NULL || a->association == NULL ||
	    strcmp(who->association, a->association) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such "
		    "application");
	if (who->id > 0 && who->id == a->account)
		return derr_set(e, ar, 403, NULL, "your own application: "
		    "another coordinator sends its reminders");
	return 0;
}

int
queue_remind(const struct actor *who, struct arena *ar, int64_t id,
    int *sent, struct derr *e)
{
	struct row_queue_rater_open	*ro;
	struct row_queue_asg_due	*as;
	struct rating_nudge		 nd;
	struct wait_facts		 f;
	struct app			 a;
	struct dbq			*st;
	enum wait			 w;
	int				 i, n, rc;

	*sent = 0;
	if (app_read(ar, id, &a) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such "
		    "application");
	if (queue_may(who, ar, &a, e) != 0)
		return -1;
	if (queue_facts(&a, 0, &f) != 0)
		return derr_set(e, ar, 503, NULL, "the database is busy; try "
		    "again");
	w = wait_of(app_wait(&f));
	if (w == WAIT_RATER) {
		st = db_stmt(S_QUEUE_RATER_OPEN);
		db_bind_int(st, "$app", a.id);
		db_bind_int(st, "$now", db_now());
		n = rows_queue_rater_open(st, ar, &ro);
		nd.applicant = applicant_name(ar, a.account);
		nd.due = NULL;
		nd.days = 0;
		for (i = 0; i < n; i++) {
			if (rating_remind(who, ar, &a, ro[i].id, &nd, e) != 0)
				return -1;
			(*sent)++;
		}
		return n < 0 ? derr_set(e, ar, 503, NULL, "the database is "
		    "busy; try again") : 0;
	}
	if (w == WAIT_REVIEWER) {
		st = db_stmt(S_QUEUE_ASG_DUE);
		db_bind_int(st, "$app", a.id);
		db_bind_text(st, "$assoc", a.association);
		n = rows_queue_asg_due(st, ar, &as);
		for (i = 0; i < n; i++) {
			if ((rc = remind_reviewer(who, ar, &a, &as[i], 0,
			    e)) < 0)
				return -1;
			*sent += rc;
		}
		return n < 0 ? derr_set(e, ar, 503, NULL, "the database is "
		    "busy; try again") : 0;
	}
	return derr_set(e, ar, 409, NULL, "it waits on %s: a reminder goes "
	    "to raters who have not answered and reviewers who have not "
	    "reviewed", wait_titles[w]);
}

/* The offset due after days elapsed: the largest reached; -1: none. */
static int
offset_due(const int *offs, int n, int elapsed)
{
	int	 i, best = -1;

	for (i = 0; i < n; i++)
		if (offs[i] <= elapsed && offs[i] > best)
			best = offs[i];
	return best;
}

static int
sent_already(const char *kind, int64_t ref, const char *due, int days)
{
	struct row_queue_reminder_sent	 r;
	struct dbq			*st = db_stmt(S_QUEUE_REMINDER_SENT);
	int				 rc;

	db_bind_text(st, "$kind", kind);
	db_bind_int(st, "$ref", ref);
	db_bind_text(st, "$due", due);
	db_bind_int(st, "$days", days);
	rc = row_queue_reminder_sent(st, NULL, &r);
	db_reset(st);
	return rc != DB_ROW ? -1 : r.n > 0;
}

/* The scheduler's reminders to raters; a refusal (a mail limit, a request
   answered meanwhile) waits for the next tick. */
static int
tick_raters(const struct ruleset *rs, struct arena *ar, int32_t today,
    int *sent)
{
	const struct workflow_policy	*wp = &rs->workflow;
	struct row_queue_rater_due	*r;
	struct rating_nudge		 nd;
	struct derr			 e;
	struct dbq			*st;
	struct app			 a;
	char				 due[11];
	int				 i, n, d, k;

	st = db_stmt(S_QUEUE_RATER_DUE);
	db_bind_text(st, "$assoc", rs->id);
	db_bind_int(st, "$now", db_now());
	db_bind_int(st, "$after", ((int64_t)today - wp->remind_rater[0] + 1) *
	    86400 - 1);
	if ((n = rows_queue_rater_due(st, ar, &r)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		d = (int32_t)(r[i].base / 86400);
		if ((k = offset_due(wp->remind_rater, wp->nremind_rater,
		    today - d)) < 0)
			continue;
		date_format(d, due);
		if (sent_already("rater", r[i].id, due, k) != 0 ||
		    app_read(ar, r[i].application, &a) != 0)
			continue;
		nd.applicant = applicant_name(ar, a.account);
		nd.due = due;
		nd.days = k;
		memset(&e, 0, sizeof e);
		if (rating_remind(&actor_system, ar, &a, r[i].id, &nd, &e) == 0)
			(*sent)++;
		else
			log_event("warn", "remind", "rating", arena_printf(ar,
			    "%lld", (long long)r[i].id), "error", e.message, NULL);
	}
	return 0;
}

static int
tick_reviewers(const struct ruleset *rs, struct arena *ar, int32_t today,
    int *sent)
{
	const struct workflow_policy	*wp = &rs->workflow;
	struct row_queue_asg_due	*as;
	struct derr			 e;
	struct dbq			*st;
	struct app			 a;
	int				 i, n, k, rc;

	st = db_stmt(S_QUEUE_ASG_DUE);
	db_bind_text(st, "$assoc", rs->id);
	db_bind_int(st, "$after", ((int64_t)today - wp->remind_reviewer[0] +
	    1) * 86400 - 1);
	if ((n = rows_queue_asg_due(st, ar, &as)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((k = offset_due(wp->remind_reviewer, wp->nremind_reviewer,
		    today - (int32_t)(as[i].assigned / 86400))) < 0 ||
		    app_read(ar, as[i].application, &a) != 0)
			continue;
		memset(&e, 0, sizeof e);
		if ((rc = remind_reviewer(&actor_system, ar, &a, &as[i], k,
		    &e)) > 0)
			(*sent)++;
		else if (rc < 0)
			log_event("warn", "remind", "assignment", arena_printf(
			    ar, "%lld", (long long)as[i].id), "error", e.message,
			    NULL);
	}
	return 0;
}

int
queue_tick(const struct ruleset *rs, int32_t today, int *sent)
{
	struct arena	 ar;
	int		 rc = 0;

	arena_init(&ar);
	if (rs->workflow.nremind_rater > 0)
		rc = tick_raters(rs, &ar, today, sent);
	if (rc == 0 && rs->workflow.nremind_reviewer > 0)
		rc = tick_reviewers(rs, &ar, today, sent);
	arena_free(&ar);
	return rc;
}
