/*
 * Endorsees for life, the scheduler: everything that happens by the
 * calendar (reminders, windows that ended, audits not cured, Emerging
 * deadlines, memberships ending), once a day per association in one
 * transaction, in the name of the scheduler (actor_system).  A read that
 * fails fails the association's tick (rolled back, logged, tried again at
 * the next interval): it is never taken for "nothing more to do".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"
#include "dom-life.h"
#include "dom-notify.h"
#include "dom-queue.h"
#include "banned.h"

/* --------------------------------------------------------- reminders */

/*
 * The reminder due today before a deadline: of the offsets whose day has
 * come, the smallest, so a scheduler that was stopped for a while sends
 * the latest reminder once, not every one it missed.  -1: none is due.
 */
static int
due_offset(const int *offs, int n, int32_t deadline, int32_t today)
{
	int	 i, best = -1;

	if (today > deadline)
		return -1;
	for (i = 0; i < n; i++)
		if (deadline - offs[i] <= today && (best < 0 || offs[i] < best))
			best = offs[i];
	return best;
}

/* 1 when this reminder had not been sent (it now counts as sent). */
static int
remind_once(const char *kind, int64_t ref, int32_t due, int days)
{
	struct dbq	*st = db_stmt(S_REMINDER_INSERT);
	char		 d[11];

	date_format(due, d);
	db_bind_text(st, "$kind", kind);
	db_bind_int(st, "$ref", ref);
	db_bind_text(st, "$due", d);
	db_bind_int(st, "$days", days);
	db_bind_int(st, "$now", db_now());
	return db_exec(st) == 0 && db_changes() == 1;
}

struct due_item {
	int64_t		 id, account;
	char		*number, *category, *shortfall;
};

struct due_ctx {
	struct arena	*a;
	struct due_item	*v;
	int		 n, max;
};

static void
due_collect(void *arg, const struct life_item *it)
{
	struct due_ctx	*c = arg;
	struct due_item	*d;
	char		 line[512];
	int		 i;

	if (it->state != ENDORSEMENT_ACTIVE || !it->ok ||
	    !it->res.required || it->rstate != RENEWAL_NONE)
		return;
	if (c->n == c->max) {
		c->max = c->max == 0 ? 64 : c->max * 2;
		c->v = xreallocarray(c->v, (size_t)c->max, sizeof *c->v);
	}
	d = &c->v[c->n++];
	d->id = it->id;
	d->account = it->account;
	d->number = arena_strdup(c->a, it->number);
	d->category = arena_strdup(c->a, it->category);
	d->shortfall = arena_strdup(c->a, "");
	for (i = 0; i < it->res.nreqs; i++)
		d->shortfall = arena_printf(c->a, "%s- %s: %s\n", d->shortfall,
		    it->res.reqs[i].met ? "met" : "not yet",
		    explain_result(&it->res.reqs[i], line, sizeof line));
}

static char *
account_email(struct arena *a, int64_t account)
{
	struct dbq		*st = db_stmt(S_ACCOUNT_BY_ID);
	struct row_account_by_id r;
	char			*e = NULL;

	db_bind_int(st, "$id", account);
	if (row_account_by_id(st, a, &r) == DB_ROW)
		e = r.email;
	db_reset(st);
	return e;
}

/* The day this installation first ran the tick (kept as a setting): a
   window that opened before it is not closed by the calendar. */
static int32_t
life_started(int32_t today)
{
	struct dbq		*st = db_stmt(S_SETTING_GET);
	struct row_setting_get	 g;
	int32_t			 d = DATE_NONE;
	char			 s[11];

	db_bind_text(st, "$key", "life_started");
	if (row_setting_get(st, NULL, &g) == DB_ROW &&
	    (g.value == NULL || date_parse(g.value, &d) != 0))
		d = DATE_NONE;
	db_reset(st);
	if (d != DATE_NONE)
		return d;
	date_format(today, s);
	st = db_stmt(S_SETTING_PUT);
	db_bind_text(st, "$key", "life_started");
	db_bind_text(st, "$value", s);
	db_exec(st);
	return today;
}

/*
 * What an Emerging endorsement still owes, in the rule set's words: the
 * texts of the requirements of each full path ("option" without
 * "emerging") beside an Emerging one, "; " between them and " or "
 * between paths.  NULL when the category has no such choice.
 */
static char *
emerging_owed(struct arena *a, const struct category *cat)
{
	const struct requirement	*rq;
	const struct option		*op;
	struct buf			 b;
	char				*s;
	int				 i, j, k, emerging, paths = 0;

	if (cat == NULL)
		return NULL;
	buf_init(&b);
	for (i = 0; i < cat->nreqs; i++) {
		rq = &cat->reqs[i];
		for (j = 0, emerging = 0; j < rq->noptions; j++)
			if (rq->options[j].emerging_months > 0)
				emerging = 1;
		for (j = 0; emerging && j < rq->noptions; j++) {
			op = &rq->options[j];
			if (op->emerging_months > 0)
				continue;
			if (paths++ > 0)
				buf_puts(&b, " or ");
			for (k = 0; k < op->nreqs; k++)
				buf_printf(&b, "%s%s", k > 0 ? "; " : "",
				    op->reqs[k].text != NULL ?
				    op->reqs[k].text : op->reqs[k].id);
		}
	}
	/* And what a holder of Emerging status owes beyond them ('only-if
	   emerging': VAIMH's "15 more hours of training", seed 001). */
	for (i = 0; paths > 0 && i < cat->nreqs; i++)
		if (cat->reqs[i].only_emerging)
			buf_printf(&b, "; and %s", cat->reqs[i].text != NULL ?
			    cat->reqs[i].text : cat->reqs[i].id);
	s = paths > 0 ? arena_strdup(a, b.s) : NULL;
	buf_free(&b);
	return s;
}

/* What one association's tick works with. */
struct tick_ctx {
	const struct ruleset	*rs;
	const char		*assoc;
	int32_t			 today;
	int			 cycle;
	struct arena		 a;
	struct life_tick	*t;
};

/* The window opening and its deadline, to whoever has not renewed. */
static int
tick_remind(struct tick_ctx *k)
{
	const struct renewal_policy	*rp = &k->rs->renewal;
	struct due_ctx			 dc;
	struct due_item			*d;
	int32_t				 open, close, today = k->today;
	char				 od[DATE_US_MAX], cd[DATE_US_MAX];
	char				*to;
	int				 w, dl, i, closed, rc = 0;

	memset(&dc, 0, sizeof dc);
	dc.a = &k->a;
	life_window(k->rs, k->cycle, &open, &close);
	date_us(open, od, sizeof od);	/* for the mails only */
	date_us(close, cd, sizeof cd);
	if ((closed = life_window_state(k->assoc, k->cycle, NULL)) < 0)
		return -1;
	w = due_offset(rp->remind[REMIND_WINDOW], rp->nremind[REMIND_WINDOW],
	    open, today);
	dl = today >= open ? due_offset(rp->remind[REMIND_DEADLINE],
	    rp->nremind[REMIND_DEADLINE], close, today) : -1;
	if (!closed && (w >= 0 || dl >= 0) && life_scan_rules(k->rs, 0,
	    k->cycle, today, DATE_NONE, 0, due_collect, &dc) < 0)
		rc = -1;
	for (i = 0; i < dc.n && rc == 0; i++) {
		d = &dc.v[i];
		if (w >= 0 && remind_once("window", d->id, open, w) &&
		    (to = account_email(&k->a, d->account)) != NULL) {
			rc = life_mail(k->assoc, to, arena_printf(&k->a,
			    "Renewal of %s: the window opens %s", d->number,
			    od), arena_printf(&k->a, "The %d renewal window "
			    "for your %s endorsement %s opens on %s and closes "
			    "on %s.\n\nWhere you stand today:\n%s\nLog your "
			    "hours and attest at %s/renewal\n", k->cycle,
			    d->category, d->number, od, cd, d->shortfall,
			    cfg.base_url));
			k->t->sent++;
		}
		if (rc == 0 && dl >= 0 && remind_once("deadline", d->id, close,
		    dl) && (to = account_email(&k->a, d->account)) != NULL) {
			rc = life_mail(k->assoc, to, arena_printf(&k->a,
			    "Renewal of %s: %d day%s left", d->number,
			    close - today, close - today == 1 ? "" : "s"),
			    arena_printf(&k->a, "Your %s endorsement %s must "
			    "be renewed by %s, or it lapses.\n\nWhere you "
			    "stand today:\n%s\nLog your hours and attest at "
			    "%s/renewal\n", d->category, d->number, cd,
			    d->shortfall, cfg.base_url));
			k->t->sent++;
		}
	}
	free(dc.v);
	return rc;
}

/* Windows that ended close themselves: this cycle's or the last one's,
   if this installation ran when they opened. */
static int
tick_close(struct tick_ctx *k, int32_t started)
{
	const struct renewal_policy	*rp = &k->rs->renewal;
	struct derr			 e;
	int32_t				 open, close;
	int				 c, n, rc = 0;

	for (c = k->cycle; rc == 0 && c >= k->cycle - rp->cycle_years;
	    c -= rp->cycle_years) {
		life_window(k->rs, c, &open, &close);
		if (close >= k->today || open < started)
			continue;
		rc = life_close_rules(&actor_system, k->rs, c, &n, &e, &k->a);
		if (rc == 1)
			rc = 0;
		else if (rc == 0)
			k->t->lapsed += n;
	}
	return rc;
}

/* Failed audits not cured in time: the renewal and the endorsement
   lapse. */
static int
tick_cure(struct tick_ctx *k)
{
	struct dbq			*st;
	struct row_renewal_cure_due	 due;
	struct row_renewal_get		 g;
	struct derr			 e;
	char				 od[11];
	int64_t				*ids = NULL, id;
	int				 nids = 0, i, rc = 0, step;

	date_format(k->today, od);
	st = db_stmt(S_RENEWAL_CURE_DUE);
	db_bind_text(st, "$assoc", k->assoc);
	db_bind_text(st, "$today", od);
	while ((step = row_renewal_cure_due(st, NULL, &due)) == DB_ROW) {
		ids = xreallocarray(ids, (size_t)nids + 1, sizeof *ids);
		ids[nids++] = due.id;
	}
	db_reset(st);
	if (step == DB_ERROR)
		rc = -1;
	for (i = 0; i < nids && rc == 0; i++) {
		st = db_stmt(S_RENEWAL_GET);
		db_bind_int(st, "$id", ids[i]);
		step = row_renewal_get(st, NULL, &g);
		id = step == DB_ROW ? g.endorsement : 0;
		db_reset(st);
		if (step == DB_ERROR) {
			rc = -1;
			break;
		}
		st = db_stmt(S_RENEWAL_SET);
		db_bind_int(st, "$id", ids[i]);
		db_bind_enum(st, "$status", renewal_status, RENEWAL_LAPSED);
		db_bind_int(st, "$now", db_now());
		if ((rc = db_exec(st)) == 0 && id != 0)
			rc = life_lapse(&actor_system, id, "a failed renewal "
			    "audit was not put right by its deadline", &e,
			    &k->a);
		k->t->lapsed++;
	}
	free(ids);
	return rc;
}

/* The Emerging reminder: the category's code, title and full
   requirements as its rule set words them. */
static int
emerging_mail(struct tick_ctx *k, const struct row_emerging_list *r)
{
	const struct category	*cat = rules_category(k->rs, r->category);
	const char		*code = r->category, *s;
	char			*owed = emerging_owed(&k->a, cat);
	char			 us[DATE_US_MAX];

	s = date_us_text(r->emerging_until, us, sizeof us);

	return life_mail(k->assoc, r->email, arena_printf(&k->a,
	    "Emerging %s %s: the full requirements are due %s", code,
	    r->number, s), arena_printf(&k->a, "Your %s (%s) %s has "
	    "Emerging status: by %s you need to meet its full "
	    "requirements%s%s%s.  Apply for %s again with them before then; "
	    "after that day it lapses.\n\n%s/dashboard\n", cat != NULL ?
	    cat->title : code, code, r->number, s, owed != NULL ? " (" : "",
	    owed != NULL ? owed : "", owed != NULL ? ")" : "", code,
	    cfg.base_url));
}

/* Emerging status (an ERS add-on's): reminded before its deadline,
   lapsed after it. */
static int
tick_emerging(struct tick_ctx *k)
{
	const struct renewal_policy	*rp = &k->rs->renewal;
	struct dbq			*st;
	struct row_emerging_list	 r;
	struct derr			 e;
	int32_t				 until;
	int64_t				*ids = NULL;
	int				 nids = 0, i, o, rc = 0, step;

	st = db_stmt(S_EMERGING_LIST);
	db_bind_text(st, "$assoc", k->assoc);
	while (rc == 0 && (step = row_emerging_list(st, &k->a, &r)) ==
	    DB_ROW) {
		if (r.emerging_until == NULL ||
		    date_parse(r.emerging_until, &until) != 0)
			continue;
		if (k->today > until) {
			ids = xreallocarray(ids, (size_t)nids + 1,
			    sizeof *ids);
			ids[nids++] = r.id;
			continue;
		}
		o = due_offset(rp->remind[REMIND_EMERGING],
		    rp->nremind[REMIND_EMERGING], until, k->today);
		if (o >= 0 && remind_once("emerging", r.id, until, o)) {
			rc = emerging_mail(k, &r);
			k->t->sent++;
		}
	}
	db_reset(st);
	if (rc == 0 && step == DB_ERROR)
		rc = -1;
	for (i = 0; i < nids && rc == 0; i++) {
		rc = life_lapse(&actor_system, ids[i], "the Emerging deadline "
		    "passed without the full requirements met", &e, &k->a);
		k->t->lapsed++;
	}
	free(ids);
	return rc;
}

/* Memberships about to end, with nothing after them. */
static int
tick_members(struct tick_ctx *k)
{
	const struct renewal_policy	*rp = &k->rs->renewal;
	struct dbq			*st;
	struct row_member_ending	 r;
	int32_t				 end;
	char				 eu[DATE_US_MAX];
	char				 od[11], cd[11];
	int				 i, o, maxo, rc = 0, step;

	for (i = 0, maxo = -1; i < rp->nremind[REMIND_MEMBERSHIP]; i++)
		if (rp->remind[REMIND_MEMBERSHIP][i] > maxo)
			maxo = rp->remind[REMIND_MEMBERSHIP][i];
	if (maxo < 0)
		return 0;
	date_format(k->today, od);
	date_format(k->today + maxo, cd);
	st = db_stmt(S_MEMBER_ENDING);
	db_bind_text(st, "$assoc", k->assoc);
	db_bind_text(st, "$from", od);
	db_bind_text(st, "$to", cd);
	while (rc == 0 && (step = row_member_ending(st, &k->a, &r)) ==
	    DB_ROW) {
		if (r.end == NULL || date_parse(r.end, &end) != 0)
			continue;
		o = due_offset(rp->remind[REMIND_MEMBERSHIP],
		    rp->nremind[REMIND_MEMBERSHIP], end, k->today);
		if (o < 0 || !remind_once("membership", r.id, end, o))
			continue;
		date_us(end, eu, sizeof eu);
		rc = life_mail(k->assoc, r.email, arena_printf(&k->a,
		    "Your %s membership ends %s", k->rs->id, eu),
		    arena_printf(&k->a, "Your membership of %s ends on %s.  "
		    "Applicants and endorsees keep an active membership "
		    "throughout; renew it at %s/membership\n",
		    web_assoc_name(k->assoc), eu, cfg.base_url));
		k->t->sent++;
	}
	db_reset(st);
	if (rc == 0 && step == DB_ERROR)
		rc = -1;
	return rc;
}

/* One association's reminders and deadlines, in one transaction. */
static int
tick_assoc(const struct ruleset *rs, int32_t today, int32_t started,
    struct life_tick *t)
{
	struct tick_ctx	 k;
	int		 rc;

	memset(&k, 0, sizeof k);
	k.rs = rs;
	k.assoc = rs->id;
	k.today = today;
	k.t = t;
	k.cycle = life_cycle(rs, today);
	arena_init(&k.a);
	rc = tick_remind(&k);
	if (rc == 0)
		rc = tick_close(&k, started);
	if (rc == 0)
		rc = tick_cure(&k);
	if (rc == 0)
		rc = tick_emerging(&k);
	if (rc == 0)
		rc = tick_members(&k);
	arena_free(&k.a);
	return rc;
}

/*
 * Everything that happens by the calendar, for every association: the
 * reminders due today (each sent once), windows that ended, audits not
 * cured, Emerging deadlines.  Run by the scheduler in `endorse serve` and
 * by `endorse tick`; running it twice a day changes nothing.
 */
int
life_tick(int32_t today, struct life_tick *t)
{
	struct ruleset	**all;
	int		  n, i, rc = 0, digests;
	int32_t		  started;

	memset(t, 0, sizeof *t);
	all = web_rules_all(&n);
	if (db_begin() != 0)
		return -1;
	started = life_started(today);
	if (db_commit() != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (!all[i]->renewal.defined)
			continue;
		if (db_begin() != 0)
			return -1;
		if ((rc = tick_assoc(all[i], today, started, t)) != 0)
			db_rollback();
		else
			rc = db_commit();
	}
	/* The coordinators' daily digests, each in its own transaction. */
	if (notify_digest_tick(today, &digests) != 0)
		rc = -1;
	/* Raters and reviewers reminded at the workflow's offsets, each
	   reminder in its own transaction with its history (dom-queue.c). */
	for (i = 0; i < n; i++)
		if (queue_tick(all[i], today, &t->sent) != 0)
			rc = -1;
	return rc;
}

/* --------------------------------------------------------- scheduler */

static pthread_t	 tick_thread;
static int		 tick_running, tick_stopping;
static pthread_mutex_t	 tick_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 tick_wake = PTHREAD_COND_INITIALIZER;

static void *
tick_loop(void *arg)
{
	struct life_tick	 t;
	struct timespec		 ts;
	int			 stop;

	(void)arg;
	for (;;) {
		if (life_tick(web_today(), &t) != 0)
			log_event("error", "tick", "error", "the tick failed; "
			    "it runs again at the next interval",
			    (const char *)NULL);
		else if (t.sent > 0 || t.lapsed > 0) {
			char sent[16], lapsed[16];

			snprintf(sent, sizeof sent, "%d", t.sent);
			snprintf(lapsed, sizeof lapsed, "%d", t.lapsed);
			log_event("info", "tick", "reminders", sent, "lapsed",
			    lapsed, (const char *)NULL);
		}
		pthread_mutex_lock(&tick_lock);
		if (!tick_stopping) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += cfg.tick_interval;
			pthread_cond_timedwait(&tick_wake, &tick_lock, &ts);
		}
		stop = tick_stopping;
		pthread_mutex_unlock(&tick_lock);
		if (stop)
			break;
	}
	db_shutdown();
	return NULL;
}

int
life_start(void)
{
	if (cfg.tick_interval <= 0)
		return 0;
	tick_stopping = 0;
	if (pthread_create(&tick_thread, NULL, tick_loop, NULL) != 0) {
		fprintf(stderr, "endorse: no scheduler thread\n");
		return -1;
	}
	tick_running = 1;
	return 0;
}

void
life_stop(void)
{
	if (!tick_running)
		return;
	pthread_mutex_lock(&tick_lock);
	tick_stopping = 1;
	pthread_cond_signal(&tick_wake);
	pthread_mutex_unlock(&tick_lock);
	pthread_join(tick_thread, NULL);
	tick_running = 0;
}
