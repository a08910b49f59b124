/*
 * Endorsees for life, the transitions: the endorsement's state machine
 * and the changes it allows (a lapse, a window closed, an audit settled),
 * each in the name of an actor and in the caller's transaction, so the
 * scheduler (life-tick.c) and the coordinator's pages compose them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-life.h"
#include "banned.h"

#define A	SM_WHO_APPLICANT
#define C	SM_WHO_COORDINATOR
#define S	SM_WHO_SYSTEM
static const struct sm_line endorsement_lines[] = {
	{ ENDORSEMENT_ACTIVE,	LIFEEV_LAPSE,	  ENDORSEMENT_LAPSED,	C | S },
	{ LIFE_EMERGING,	LIFEEV_LAPSE,	  ENDORSEMENT_LAPSED,	C | S },
	{ ENDORSEMENT_INACTIVE,	LIFEEV_LAPSE,	  ENDORSEMENT_LAPSED,	C | S },
	{ ENDORSEMENT_ACTIVE,	LIFEEV_INACTIVE,  ENDORSEMENT_INACTIVE,	A },
	{ ENDORSEMENT_LAPSED,	LIFEEV_REINSTATE, ENDORSEMENT_ACTIVE,	C },
	{ ENDORSEMENT_INACTIVE,	LIFEEV_REINSTATE, ENDORSEMENT_ACTIVE,	C },
	{ LIFE_EMERGING,	LIFEEV_FULL,	  ENDORSEMENT_ACTIVE,	C | S },
	{ ENDORSEMENT_ACTIVE,	LIFEEV_REVOKE,	  ENDORSEMENT_REVOKED,	C },
	{ LIFE_EMERGING,	LIFEEV_REVOKE,	  ENDORSEMENT_REVOKED,	C },
	{ ENDORSEMENT_LAPSED,	LIFEEV_REVOKE,	  ENDORSEMENT_REVOKED,	C },
	{ ENDORSEMENT_INACTIVE,	LIFEEV_REVOKE,	  ENDORSEMENT_REVOKED,	C },
	{ ENDORSEMENT_SUSPENDED, LIFEEV_REVOKE,	  ENDORSEMENT_REVOKED,	C },
	{ ENDORSEMENT_ACTIVE,	LIFEEV_SUSPEND,	  ENDORSEMENT_SUSPENDED, C },
	{ LIFE_EMERGING,	LIFEEV_SUSPEND,	  ENDORSEMENT_SUSPENDED, C },
	{ ENDORSEMENT_INACTIVE,	LIFEEV_SUSPEND,	  ENDORSEMENT_SUSPENDED, C },
	{ ENDORSEMENT_SUSPENDED, LIFEEV_LIFT,	  ENDORSEMENT_ACTIVE,	C },
};
#undef A
#undef C
#undef S
static const char *const endorsement_states[endorsement_status__N + 1] = {
	"active", "lapsed", "revoked", "inactive", "suspended", "Emerging"
};
static const char *const endorsement_events[LIFEEV__N] = {
	"lapse", "make inactive", "reinstate", "make fully endorsed",
	"revoke", "suspend", "lift the suspension of"
};
const struct sm endorsement_machine = { "endorsement", endorsement_lines,
    (int)(sizeof endorsement_lines / sizeof endorsement_lines[0]),
    endorsement_states, endorsement_events };

/* Emerging is an active endorsement with a deadline. */
int
life_state(enum endorsement_status s, const char *emerging_until)
{
	if (s == ENDORSEMENT_ACTIVE && emerging_until != NULL)
		return LIFE_EMERGING;
	return (int)s;
}

/* Mail an endorsee, queued in the caller's transaction (nobody: 0). */
int
life_mail(const char *assoc, const char *to, const char *subject,
    const char *body)
{
	struct mail	 m;

	if (to == NULL)
		return 0;
	memset(&m, 0, sizeof m);
	m.to = to;
	m.subject = subject;
	m.body = body;
	m.association = assoc;
	return mail_send(&m);
}

/*
 * The add-ons (categories without renewal rules of their own, ERS) of an
 * endorsement's holder that are active in its association: they lapse
 * with it.  At most max; -1 when the read failed.
 */
static int
lapse_addons(const struct row_endorsement_get *g, int64_t *out, int max)
{
	const struct ruleset		*rs;
	const struct category		*c, *k;
	struct dbq			*st;
	struct row_endorsement_of_account e;
	int				 n = 0, rc;

	if ((rs = web_rules(g->association)) == NULL ||
	    (c = rules_category(rs, g->category)) == NULL || c->nrenews == 0)
		return 0;
	st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
	db_bind_int(st, "$account", g->account);
	while (n < max && (rc = row_endorsement_of_account(st, NULL, &e)) ==
	    DB_ROW) {
		k = rules_category(rs, e.category);
		if (e.association != NULL &&
		    strcmp(e.association, g->association) == 0 &&
		    e.status == ENDORSEMENT_ACTIVE && k != NULL &&
		    k->nrenews == 0)
			out[n++] = e.id;
	}
	db_reset(st);
	return rc == DB_ERROR ? -1 : n;
}

/* Write an endorsement's new status, changed today. */
static int
status_write(int64_t endorsement, enum endorsement_status to)
{
	struct dbq	*st = db_stmt(S_ENDORSEMENT_SET_STATUS);
	char		 today[11];

	date_format(web_today(), today);
	db_bind_enum(st, "$status", endorsement_status, to);
	db_bind_text(st, "$changed", today);
	db_bind_int(st, "$id", endorsement);
	return db_exec(st);
}

/*
 * One event of an endorsement's machine, the status written (and
 * nothing else: the caller audits and mails).  In the caller's
 * transaction; the new status, or -1 with e (404, 409 not from this
 * state, 403 not by this actor, the store's).
 */
int
life_move(const struct actor *who, int64_t endorsement, enum life_event ev,
    struct derr *e, struct arena *ea)
{
	struct dbq			*st = db_stmt(S_ENDORSEMENT_GET);
	struct row_endorsement_get	 g;
	int				 rc, to;

	db_bind_int(st, "$id", endorsement);
	rc = row_endorsement_get(st, NULL, &g);
	if (rc == DB_ROW)
		rc = life_state(g.status, g.emerging_until);
	else
		rc = rc == DB_ERROR ? derr_store(e, ea, "the endorsement") :
		    derr_set(e, ea, 404, NULL, "no such endorsement");
	db_reset(st);
	if (rc < 0)
		return -1;
	if ((to = sm_apply(&endorsement_machine, rc, ev, actor_who(who), e,
	    ea)) < 0)
		return -1;
	if (status_write(endorsement, (enum endorsement_status)to) != 0)
		return derr_store(e, ea, "the endorsement");
	return to;
}

int
life_lapse(const struct actor *who, int64_t endorsement, const char *why,
    struct derr *e, struct arena *ea)
{
	struct dbq			*st;
	struct row_endorsement_get	 g;
	char				 today[DATE_US_MAX], *body;
	struct arena			 a;
	int64_t				 addons[8];
	int				 rc, i, nadd = 0;

	arena_init(&a);
	st = db_stmt(S_ENDORSEMENT_GET);
	db_bind_int(st, "$id", endorsement);
	rc = row_endorsement_get(st, &a, &g);
	db_reset(st);
	if (rc != DB_ROW) {
		arena_free(&a);
		if (rc == DB_ERROR)
			return derr_store(e, ea, "the lapse");
		return derr_set(e, ea, 404, NULL, "no such endorsement");
	}
	/* Lapsed already (an audit not cured of a lapsed one): done.
	   Suspended: the clock stands still until the suspension is
	   lifted (dom-life.h). */
	if (g.status == ENDORSEMENT_LAPSED ||
	    g.status == ENDORSEMENT_SUSPENDED) {
		arena_free(&a);
		return 0;
	}
	if (sm_apply(&endorsement_machine, life_state(g.status,
	    g.emerging_until), LIFEEV_LAPSE, actor_who(who), e, ea) < 0) {
		arena_free(&a);
		return -1;
	}
	date_us(web_today(), today, sizeof today);	/* for the mail */
	rc = status_write(endorsement, ENDORSEMENT_LAPSED);
	if (rc == 0)
		rc = audit_write(who, "endorsement", endorsement, "lapse",
		    json_pack("{s:s, s:s}", "number", g.number, "why", why));
	if (rc == 0 && (nadd = lapse_addons(&g, addons, 8)) < 0)
		rc = -1;
	if (rc == 0) {
		body = arena_printf(&a, "Your %s endorsement %s lapsed on %s: "
		    "%s.\n\nThe registry now shows it as lapsed.  You may "
		    "ask to have it reinstated where %s allows it: "
		    "%s/renewal\n",
		    g.category, g.number, today, why,
		    web_assoc_name(g.association), cfg.base_url);
		rc = life_mail(g.association, g.email, arena_printf(&a,
		    "Your endorsement %s has lapsed", g.number), body);
	}
	if (rc != 0)
		derr_store(e, ea, "the lapse");
	for (i = 0; i < nadd && rc == 0; i++)
		rc = life_lapse(who, addons[i], arena_printf(&a, "the "
		    "endorsement it is added to, %s, lapsed", g.number), e, ea);
	arena_free(&a);
	return rc;
}

struct close_ctx {
	int64_t		*ids;
	int		 n, max;
};

static void
close_collect(void *arg, const struct life_item *it)
{
	struct close_ctx	*c = arg;

	if (it->state != ENDORSEMENT_ACTIVE || !it->ok ||
	    !it->res.required || it->rstate != RENEWAL_NONE)
		return;
	if (c->n == c->max) {
		c->max = c->max == 0 ? 64 : c->max * 2;
		c->ids = xreallocarray(c->ids, (size_t)c->max,
		    sizeof *c->ids);
	}
	c->ids[c->n++] = it->id;
}

/* Mark the window closed, with who closed it and how many lapsed. */
static int
close_mark(const struct actor *who, const char *assoc, int cycle, int n)
{
	struct dbq	*st = db_stmt(S_WINDOW_CLOSE);

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	db_bind_int(st, "$now", db_now());
	if (who != NULL && who->id > 0)
		db_bind_int(st, "$actor", who->id);
	db_bind_int(st, "$lapsed", n);
	if (db_exec(st) != 0)
		return -1;
	return audit_write(who, "renewal_window", cycle, "close", json_pack(
	    "{s:s, s:i, s:i}", "association", assoc, "cycle", cycle,
	    "lapsed", n));
}

/*
 * Close a cycle's window: attestation stops, and every active endorsement
 * the cycle required that has no renewal lapses.  Those under audit go
 * on to their audit's end.  The window is marked closed only after a
 * scan that read every endorsement: a scan that failed (a read error, not
 * the end of the rows) would leave the ones it never reached active for
 * good, so it closes nothing and answers -1 (issue 14).
 */
int
life_close_rules(const struct actor *who, const struct ruleset *rs,
    int cycle, int *lapsed, struct derr *e, struct arena *ea)
{
	const char		*assoc = rs->id;
	struct dbq		*st;
	struct close_ctx	 c;
	int			 i, rc = 0;
	int32_t			 open, close;
	char			 why[96];

	memset(&c, 0, sizeof c);
	*lapsed = 0;
	if ((rc = life_window_state(assoc, cycle, NULL)) != 0)
		return rc == 1 ? 1 : derr_store(e, ea, "closing the window");
	life_window(rs, cycle, &open, &close);
	if (life_scan_rules(rs, 0, cycle, close, DATE_NONE, 0, close_collect,
	    &c) < 0) {
		free(c.ids);
		return derr_set(e, ea, 503, NULL, "the endorsements could not "
		    "all be read; the window stays open");
	}
	snprintf(why, sizeof why, "it was not renewed in the %d renewal "
	    "window", cycle);
	for (i = 0; i < c.n && rc == 0; i++) {
		st = db_stmt(S_RENEWAL_INSERT);
		db_bind_int(st, "$endorsement", c.ids[i]);
		db_bind_int(st, "$cycle", cycle);
		db_bind_enum(st, "$status", renewal_status, RENEWAL_LAPSED);
		db_bind_int(st, "$now", db_now());
		db_bind_text(st, "$statement", "{}");
		if ((rc = db_exec(st)) != 0)
			derr_store(e, ea, "closing the window");
		else
			rc = life_lapse(who, c.ids[i], why, e, ea);
	}
	if (rc == 0 && (rc = close_mark(who, assoc, cycle, c.n)) != 0)
		derr_store(e, ea, "closing the window");
	free(c.ids);
	*lapsed = c.n;
	return rc;
}

/* The same by the association's id. */
int
life_close_as(const struct actor *who, const char *assoc, int cycle,
    int *lapsed, struct derr *e, struct arena *ea)
{
	const struct ruleset	*rs = web_rules(assoc);

	*lapsed = 0;
	if (rs == NULL)
		return derr_set(e, ea, 404, NULL, "no such association");
	return life_close_rules(who, rs, cycle, lapsed, e, ea);
}

/*
 * A coordinator closes a window by hand, in a transaction of its own:
 * 0, or -1 with e (409 closed already, the store's, or 503 when the
 * endorsements could not all be read).
 */
int
life_window_close(const struct actor *who, const char *assoc, int cycle,
    int *lapsed, struct derr *e, struct arena *ea)
{
	int	 rc;

	*lapsed = 0;
	if (db_begin() != 0)
		return derr_store(e, ea, "closing the window");
	rc = life_close_as(who, assoc, cycle, lapsed, e, ea);
	if (rc != 0) {
		db_rollback();
		if (rc == 1)
			derr_set(e, ea, 409, NULL, "the window is closed "
			    "already");
		return -1;
	}
	if (db_commit() != 0)
		return derr_store(e, ea, "closing the window");
	return 0;
}

/* The audit passed: the renewal is renewed, the endorsee told. */
static int
settle_pass(const struct actor *who, const struct row_renewal_get *g,
    struct arena *a)
{
	struct dbq	*st = db_stmt(S_RENEWAL_SET);
	int		 rc;

	db_bind_int(st, "$id", g->id);
	db_bind_int(st, "$now", db_now());
	db_bind_enum(st, "$status", renewal_status, RENEWAL_RENEWED);
	if ((rc = db_exec(st)) == 0)
		rc = audit_write(who, "renewal", g->id, "audit-passed",
		    json_pack("{s:s, s:i}", "number", g->number, "cycle",
		    (int)g->cycle));
	if (rc == 0)
		rc = life_mail(g->association, g->email, arena_printf(a,
		    "Your %d renewal audit passed", (int)g->cycle),
		    arena_printf(a, "The audit of your renewal of %s for %d "
		    "has passed: the evidence you gave was accepted and your "
		    "endorsement is renewed.\n", g->number, (int)g->cycle));
	return rc;
}

/* The audit failed: the endorsee has until cure_by (the first failure's
   day plus the rule set's cure days) to put it right. */
static int
settle_fail(const struct actor *who, const struct ruleset *rs,
    const struct row_renewal_get *g, const char *why, struct arena *a)
{
	struct dbq	*st = db_stmt(S_RENEWAL_SET);
	const char	*cure_by = g->cure_by, *by;
	char		 until[11], us[DATE_US_MAX];
	int		 rc, cycle = (int)g->cycle;

	if (cure_by == NULL) {
		date_format(web_today() + rs->renewal.cure_days, until);
		cure_by = arena_strdup(a, until);
	}
	db_bind_int(st, "$id", g->id);
	db_bind_int(st, "$now", db_now());
	db_bind_enum(st, "$status", renewal_status, RENEWAL_CURE);
	db_bind_text(st, "$cure_by", cure_by);
	if ((rc = db_exec(st)) == 0)
		rc = audit_write(who, "renewal", g->id, "audit-failed",
		    json_pack("{s:s, s:i, s:s}", "number", g->number, "cycle",
		    cycle, "cure_by", cure_by));
	by = date_us_text(cure_by, us, sizeof us);
	if (rc == 0)
		rc = life_mail(g->association, g->email, arena_printf(a,
		    "Your %d renewal audit: action needed by %s", cycle,
		    by), arena_printf(a, "The audit of your renewal of "
		    "%s for %d did not pass: with the entries accepted so far, "
		    "this is short:\n\n%s\nThe coordinator's notes are on your "
		    "renewal page.  Upload better evidence for a rejected "
		    "entry, or log and document other hours from the cycle, by "
		    "%s; after that day the endorsement lapses.\n\n"
		    "%s/renewal\n", g->number, cycle, why, by,
		    cfg.base_url));
	return rc;
}

/*
 * After a coordinator's decision on an entry under audit: once none is
 * pending, the renewal is judged on the accepted entries alone.  Met: the
 * audit passed.  Not met: the endorsee has the rule set's cure days
 * (counted from the first failure) to put it right.
 */
int
life_settle_as(const struct actor *who, int64_t renewal, struct derr *e,
    struct arena *a)
{
	struct dbq			*st;
	const struct ruleset		*rs;
	struct row_renewal_get		 g;
	struct row_item_pending		 p;
	char				*why;
	int				 rc, met;

	st = db_stmt(S_RENEWAL_GET);
	db_bind_int(st, "$id", renewal);
	rc = row_renewal_get(st, a, &g);
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_ERROR ? derr_store(e, a, "the audit") :
		    derr_set(e, a, 404, NULL, "no such renewal");
	if ((rs = web_rules(g.association)) == NULL)
		return derr_set(e, a, 404, NULL, "no such association");
	if (g.status != RENEWAL_AUDIT && g.status != RENEWAL_CURE)
		return 0;
	st = db_stmt(S_ITEM_PENDING);
	db_bind_int(st, "$renewal", renewal);
	rc = row_item_pending(st, NULL, &p);
	db_reset(st);
	if (rc == DB_ERROR)
		return derr_store(e, a, "the audit");
	if (rc != DB_ROW || p.n > 0)
		return 0;
	met = life_judge(g.association, g.account, g.endorsement,
	    (int)g.cycle, web_today(), DATE_NONE, renewal, a, &why);
	if (met < 0)
		return derr_set(e, a, 500, NULL, "the renewal could not be "
		    "judged");
	rc = met ? settle_pass(who, &g, a) : settle_fail(who, rs, &g, why, a);
	return rc != 0 ? derr_store(e, a, "the audit") : 0;
}
