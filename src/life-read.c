/*
 * Endorsees for life, the read model: cycles and windows, the log's typed
 * record, the scan that judges every endorsement of an association for a
 * cycle, the export of what one is judged on, and the audit's sample.
 * Nothing here writes but life_started's one setting (life-tick.c) and
 * the scan tells a failed read from the end of the rows: a scan that
 * failed answers -1, never a short list (issue 14).
 *
 * An evaluation reads the store, never JSON: the log's typed columns
 * (db/005-renewal.sql) go straight into a struct portfolio, one account
 * at a time, from three scans in account order merged here.  The export
 * (life_portfolio) writes the same portfolio as endorse-portfolio/1, and a
 * test checks that `endorse renewal` on it agrees with every verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-life.h"
#include "banned.h"

/* ------------------------------------------------------------ cycles */

int
life_cycle(const struct ruleset *rs, int32_t today)
{
	const struct renewal_policy	*rp = &rs->renewal;
	int				 y, m, d, off;

	if (!rp->defined || rp->cycle_years < 1)
		return 0;
	date_ymd(today, &y, &m, &d);
	off = ((y - rp->anchor) % rp->cycle_years + rp->cycle_years) %
	    rp->cycle_years;
	return off == 0 ? y : y + rp->cycle_years - off;
}

/* The window of a cycle: the rule set's, or the whole renewal year. */
void
life_window(const struct ruleset *rs, int cycle, int32_t *open,
    int32_t *close)
{
	const struct renewal_policy	*rp = &rs->renewal;

	if (rp->window_open != 0) {
		*open = date_from_ymd(cycle, rp->window_open / 100,
		    rp->window_open % 100);
		*close = date_from_ymd(cycle, rp->window_close / 100,
		    rp->window_close % 100);
	} else {
		*open = date_from_ymd(cycle, 1, 1);
		*close = date_from_ymd(cycle, 12, 31);
	}
}

/* Whether a cycle's window was closed: 1, 0, or -1 when the read failed
   (logged); *lapsed (if given) then counts who lapsed when it closed. */
int
life_window_state(const char *assoc, int cycle, int *lapsed)
{
	struct dbq		*st = db_stmt(S_WINDOW_GET);
	struct row_window_get	 w;
	int			 rc;

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	rc = row_window_get(st, NULL, &w);
	if (lapsed != NULL)
		*lapsed = rc == DB_ROW ? (int)w.lapsed : 0;
	db_reset(st);
	return rc == DB_ERROR ? -1 : rc == DB_ROW;
}

/* The same for the pages: a read that failed shows "not closed" (and
   the action the page offers then fails visibly). */
int
life_closed(const char *assoc, int cycle, int *lapsed)
{
	return life_window_state(assoc, cycle, lapsed) == 1;
}

/* ------------------------------------------------ log entries, typed */

/*
 * The typed columns of a log entry, as the portfolio reader reads it: the
 * entry goes into a one-entry portfolio, so what the log stores is exactly
 * what `endorse renewal` would read from the export.  *cause names the
 * field ("training[0].hours: ...", without the index).
 */
int
life_columns(const char *assoc, const char *kind, json_t *entry,
    struct life_cols *c, char **cause)
{
	struct portfolio	*p;
	json_t			*doc;
	char			*why, *dot;
	int			 i;

	*cause = NULL;
	memset(c, 0, sizeof *c);
	doc = json_pack("{s:s, s:s, s:s, s:[O]}", "format",
	    "endorse-portfolio/1", "association", assoc, "category", "log",
	    kind, entry);
	if (doc == NULL) {
		*cause = xstrdup("the entry is not an object");
		return -1;
	}
	p = portfolio_from_json(doc, 0, &why);
	json_decref(doc);
	if (p == NULL) {
		/* "training[0].hours: ..." -> "hours: ..." */
		dot = strchr(why, '.');
		*cause = xstrdup(dot != NULL && strchr(why, '[') < dot ?
		    dot + 1 : why);
		free(why);
		return -1;
	}
	if (strcmp(kind, "training") == 0 && p->n_training == 1) {
		c->start = c->end = p->training[0].date;
		c->hours = p->training[0].hours;
		c->role = p->training[0].role;
		c->bits = (int)p->training[0].topics;
	} else if (strcmp(kind, "rsc_received") == 0 &&
	    p->n_rsc_received == 1) {
		const struct rsc_received *s = &p->rsc_received[0];
		size_t n = 0;

		c->start = s->p.start;
		c->end = s->p.end;
		c->hours = s->hours;
		c->role = s->format;
		c->bits = s->focus;
		for (i = 0; i < s->provider.n; i++) {
			size_t l = strlen(s->provider.v[i]);
			if (n + l + 2 > sizeof c->providers)
				break;
			if (n > 0)
				c->providers[n++] = ' ';
			memcpy(c->providers + n, s->provider.v[i], l);
			n += l;
		}
		c->providers[n] = '\0';
	} else {
		portfolio_free(p);
		xasprintf(cause, "'%s' is not a kind of log entry", kind);
		return -1;
	}
	portfolio_free(p);
	return 0;
}

static void
put32(unsigned char *p, int32_t v)
{
	uint32_t	 u = (uint32_t)v;

	p[0] = u & 0xff;
	p[1] = (u >> 8) & 0xff;
	p[2] = (u >> 16) & 0xff;
	p[3] = (u >> 24) & 0xff;
}

static int32_t
get32(const unsigned char *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* $start and $rec, the typed record (db/005-renewal.sql). */
void
life_bind_cols(struct dbq *st, const char *kind, const struct life_cols *c)
{
	unsigned char	 rec[LIFE_REC + sizeof c->providers];
	size_t		 n = strlen(c->providers);

	rec[0] = strcmp(kind, "training") == 0 ? 0 : 1;
	rec[1] = (unsigned char)c->role;
	rec[2] = (unsigned char)c->bits;
	put32(rec + 3, c->start);
	put32(rec + 7, c->end);
	put32(rec + 11, (int32_t)c->hours);
	memcpy(rec + LIFE_REC, c->providers, n);
	db_bind_int(st, "$start", c->start);
	db_bind_blob(st, "$rec", rec, LIFE_REC + n);
}

/* ---------------------------------------------------- the evaluation */

struct grow {
	void	*v;
	int	 n, max;
	size_t	 size;
};

static void *
grow_next(struct grow *g)
{
	if (g->n == g->max) {
		g->max = g->max == 0 ? 16 : g->max * 2;
		g->v = xreallocarray(g->v, (size_t)g->max, g->size);
	}
	return (char *)g->v + (size_t)g->n++ * g->size;
}

/* The provider codes of a record: n bytes, space-separated. */
static void
codes_read(struct arena *a, const char *s, size_t n, struct codes *out)
{
	char	*copy, *p, *w;
	size_t	 i;
	int	 k = 1;

	memset(out, 0, sizeof *out);
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		k += s[i] == ' ';
	out->v = arena_alloc(a, (size_t)k * sizeof *out->v);
	out->k = arena_alloc(a, (size_t)k * sizeof *out->k);
	copy = arena_alloc(a, n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	for (p = copy; (w = p) != NULL && *w != '\0'; ) {
		if ((p = strchr(w, ' ')) != NULL)
			*p++ = '\0';
		out->v[out->n] = w;
		out->k[out->n] = code_key(w);
		out->n++;
	}
}

/*
 * The three scans of life_scan, each a typed row read ahead: the
 * endorsements (with this cycle's renewal), the log and the memberships,
 * all in account order.  rc is the last step's DB_ROW, DB_DONE or
 * DB_ERROR; failed is set by any DB_ERROR, so a read that failed is
 * never taken for the end of the rows.
 */
struct scan {
	struct dbq		*qe, *ql, *qm;
	int			 audited;	/* ql is S_LOG_SCAN_AUDIT */
	int			 re, rl, rm;
	int			 failed;
	struct row_life_scan	 e;
	struct row_log_scan	 l;
	struct row_member_scan	 m;
};

static int
scan_rc(struct scan *s, int rc)
{
	if (rc == DB_ERROR)
		s->failed = 1;
	return rc;
}

static void
scan_e(struct scan *s)
{
	s->re = scan_rc(s, row_life_scan(s->qe, NULL, &s->e));
}

static void
scan_l(struct scan *s)
{
	struct row_log_scan_audit	 r;

	if (!s->audited) {
		s->rl = scan_rc(s, row_log_scan(s->ql, NULL, &s->l));
		return;
	}
	s->rl = scan_rc(s, row_log_scan_audit(s->ql, NULL, &r));
	s->l.account = r.account;
	s->l.rec = r.rec;
	s->l.rec_len = r.rec_len;
	s->l.id = r.id;
}

static void
scan_m(struct scan *s)
{
	s->rm = scan_rc(s, row_member_scan(s->qm, NULL, &s->m));
}

/* Bind and start the three scans, for one account or all (0). */
static void
scan_open(struct scan *s, const char *assoc, int64_t account, int cycle,
    int64_t audited)
{
	struct dbq	*q[3];
	int		 i;

	memset(s, 0, sizeof *s);
	s->qe = db_stmt(S_LIFE_SCAN);
	db_bind_int(s->qe, "$cycle", cycle);
	s->audited = audited != 0;
	s->ql = db_stmt(audited != 0 ? S_LOG_SCAN_AUDIT : S_LOG_SCAN);
	if (audited != 0)
		db_bind_int(s->ql, "$renewal", audited);
	s->qm = db_stmt(S_MEMBER_SCAN);
	q[0] = s->qe;
	q[1] = s->ql;
	q[2] = s->qm;
	for (i = 0; i < 3; i++) {
		db_bind_text(q[i], "$assoc", assoc);
		db_bind_int(q[i], "$lo", account != 0 ? account : INT64_MIN);
		db_bind_int(q[i], "$hi", account != 0 ? account : INT64_MAX);
	}
	scan_e(s);
	scan_l(s);
	scan_m(s);
}

static void
scan_close(struct scan *s)
{
	db_reset(s->qe);
	db_reset(s->ql);
	db_reset(s->qm);
}

/* What one account brings to the evaluation, reused account after
   account. */
struct acct {
	struct grow	 items, tr, rr, mm, hh;
	int		 nact;		/* endorsements held: the active */
};

/* The endorsements of the current row's account, into the arena. */
static int64_t
scan_items(struct scan *s, struct acct *ac, struct arena *a)
{
	int64_t			 acc = s->e.account;
	struct life_item	*it;

	while (s->re == DB_ROW && s->e.account == acc) {
		it = grow_next(&ac->items);
		memset(it, 0, sizeof *it);
		it->id = s->e.id;
		it->account = acc;
		it->number = arena_strdup(a, s->e.number);
		it->category = arena_strdup(a, s->e.category);
		if (s->e.since == NULL || date_parse(s->e.since,
		    &it->since) != 0)
			it->since = DATE_NONE;
		it->state = s->e.status;
		it->emerging_until = s->e.emerging_until == NULL ? NULL :
		    arena_strdup(a, s->e.emerging_until);
		it->renewal = s->e.renewal;
		it->rstate = s->e.renewal_status;
		it->cure_by = s->e.cure_by == NULL ? NULL :
		    arena_strdup(a, s->e.cure_by);
		scan_e(s);
	}
	return acc;
}

/* The log rows of account, read in the order the account keys them,
   which is a scan of the (association, account, id) index. */
static void
scan_log(struct scan *s, struct acct *ac, struct arena *a, int64_t acc)
{
	const unsigned char	*rec;
	struct training		*t;
	struct rsc_received	*r;

	while (s->rl == DB_ROW && s->l.account < acc)
		scan_l(s);
	for (; s->rl == DB_ROW && s->l.account == acc; scan_l(s)) {
		rec = s->l.rec;
		if (rec == NULL || s->l.rec_len < LIFE_REC)
			continue;	/* the table's CHECK rules this out */
		if (rec[0] == 0) {
			t = grow_next(&ac->tr);
			t->role = rec[1];
			t->topics = rec[2];
			t->date = get32(rec + 3);
			t->hours = get32(rec + 11);
		} else {
			r = grow_next(&ac->rr);
			r->format = rec[1];
			r->focus = rec[2];
			r->p.start = get32(rec + 3);
			r->p.end = get32(rec + 7);
			r->hours = get32(rec + 11);
			codes_read(a, (const char *)rec + LIFE_REC,
			    s->l.rec_len - LIFE_REC, &r->provider);
		}
	}
}

/* The memberships of account, and the endorsements it holds. */
static void
scan_members(struct scan *s, struct acct *ac, const char *assoc,
    int64_t acc)
{
	struct member		*m;
	struct held		*h;
	struct life_item	*it;
	int			 i;

	while (s->rm == DB_ROW && s->m.account < acc)
		scan_m(s);
	for (; s->rm == DB_ROW && s->m.account == acc; scan_m(s)) {
		m = grow_next(&ac->mm);
		m->status = MEMBER_RECORDED;
		m->reason = NULL;
		if (s->m.start == NULL || date_parse(s->m.start,
		    &m->start) != 0)
			m->start = DATE_NONE;
		if (s->m.end == NULL || date_parse(s->m.end, &m->end) != 0)
			m->end = DATE_NONE;
		if (m->start == DATE_NONE)
			ac->mm.n--;
	}
	/* Endorsements held: the active ones, and the one judged. */
	for (i = 0; i < ac->items.n; i++) {
		it = (struct life_item *)ac->items.v + i;
		if (it->state == ENDORSEMENT_ACTIVE &&
		    it->since != DATE_NONE) {
			h = grow_next(&ac->hh);
			h->association = (char *)assoc;
			h->category = (char *)it->category;
			h->since = it->since;
		}
	}
	ac->nact = ac->hh.n;
}

const char life_no_category[] = "the rule set has no such category";
const char life_addon[] = "an add-on: it renews with the endorsement it is "
    "added to";

/* Judge one endorsement of the account on its portfolio. */
static void
scan_judge(const struct ruleset *rs, struct acct *ac, struct life_item *it,
    int cycle, int32_t today, int32_t until, struct arena *a,
    struct arena *ea)
{
	const char		*assoc = rs->id;
	const struct category	*cat;
	struct portfolio	 p;
	struct held		*h;
	char			*cause = NULL;

	memset(&p, 0, sizeof p);
	p.association = (char *)assoc;
	p.category = (char *)it->category;
	p.as_of = today;
	p.ethics_signed = DATE_NONE;
	p.membership = ac->mm.v;
	p.n_membership = ac->mm.n;
	p.training = ac->tr.v;
	p.n_training = ac->tr.n;
	p.rsc_received = ac->rr.v;
	p.n_rsc_received = ac->rr.n;
	ac->hh.n = ac->nact;
	if (it->state != ENDORSEMENT_ACTIVE && it->since != DATE_NONE) {
		h = grow_next(&ac->hh);
		h->association = (char *)assoc;
		h->category = (char *)it->category;
		h->since = it->since;
	}
	p.endorsements = ac->hh.v;
	p.n_endorsements = ac->hh.n;
	arena_reset(ea);
	if ((cat = rules_category(rs, it->category)) == NULL)
		it->cause = life_no_category;
	else if (it->since == DATE_NONE)
		it->cause = "the endorsement has no valid date";
	else if (cat->nrenews == 0)
		it->cause = life_addon;
	else if (renewal_eval_until(rs, cat, &p, cycle, until, ea, &it->res,
	    &cause) == 0)
		it->ok = 1;
	else {
		it->cause = arena_strdup(a, cause);
		free(cause);
	}
}

/*
 * Evaluate, for a cycle and as of today, the renewal of every endorsement
 * of an association (account 0) or of one account.  With audited (a
 * renewal's id) only the entries the coordinator accepted in that audit
 * count.  With until (not DATE_NONE), hours dated after the cycle's end
 * up to until count too (a reinstatement makes up a lapsed cycle).  fn
 * sees each endorsement with its result (valid until it
 * returns).  Returns the number of endorsements, or -1 when the rule
 * set is unknown or a read failed (logged): then fn may have seen some of
 * them, never all, and the caller must not act as if it saw every one.
 * Call inside a transaction, for one snapshot.
 */
int
life_scan(const char *assoc, int64_t account, int cycle, int32_t today,
    int32_t until, int64_t audited, life_fn fn, void *arg)
{
	const struct ruleset	*rs = web_rules(assoc);

	if (rs == NULL)
		return -1;
	return life_scan_rules(rs, account, cycle, today, until, audited, fn,
	    arg);
}

/* The same by a rule set of one's own (the association is its id): a
   rule change judged by both versions (impact.c). */
int
life_scan_rules(const struct ruleset *rs, int64_t account, int cycle,
    int32_t today, int32_t until, int64_t audited, life_fn fn, void *arg)
{
	struct scan		 s;
	struct acct		 ac;
	struct arena		 a, ea;
	struct life_item	*it;
	int64_t			 acc;
	int			 i, n = 0;

	memset(&ac, 0, sizeof ac);
	ac.items.size = sizeof(struct life_item);
	ac.tr.size = sizeof(struct training);
	ac.rr.size = sizeof(struct rsc_received);
	ac.mm.size = sizeof(struct member);
	ac.hh.size = sizeof(struct held);
	arena_init(&a);
	arena_init(&ea);
	scan_open(&s, rs->id, account, cycle, audited);
	while (s.re == DB_ROW && !s.failed) {
		arena_reset(&a);
		ac.items.n = ac.tr.n = ac.rr.n = ac.mm.n = ac.hh.n = 0;
		acc = scan_items(&s, &ac, &a);
		scan_log(&s, &ac, &a, acc);
		scan_members(&s, &ac, rs->id, acc);
		/* An account half read is not judged. */
		if (s.failed)
			break;
		for (i = 0; i < ac.items.n; i++) {
			it = (struct life_item *)ac.items.v + i;
			scan_judge(rs, &ac, it, cycle, today, until, &a, &ea);
			fn(arg, it);
			n++;
		}
	}
	scan_close(&s);
	free(ac.items.v);
	free(ac.tr.v);
	free(ac.rr.v);
	free(ac.mm.v);
	free(ac.hh.v);
	arena_free(&a);
	arena_free(&ea);
	if (s.failed) {
		log_event("error", "life_scan", "association", rs->id, "error",
		    "a read of the endorsements failed; the scan stopped",
		    (const char *)NULL);
		return -1;
	}
	return n;
}

/* ------------------------------------------------------------ export */

/* The holder's memberships of the association, as the export writes
   them. */
static json_t *
export_members(int64_t account, const char *assoc)
{
	struct dbq		*st = db_stmt(S_MEMBER_LIST);
	struct row_member_list	 m;
	json_t			*arr = json_array(), *e;

	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	while (row_member_list(st, NULL, &m) == DB_ROW) {
		e = json_pack("{s:s, s:s?}", "start", m.start, "end", m.end);
		if (m.end == NULL)
			json_object_set_new(e, "end", json_null());
		json_array_append_new(arr, e);
	}
	db_reset(st);
	return arr;
}

/* The log, in the order of the scan that evaluates (life_scan). */
static void
export_log(json_t *o, int64_t account, const char *assoc)
{
	struct dbq		*st = db_stmt(S_LOG_EXPORT);
	struct row_log_export	 l;
	json_t			*tr = json_array(), *rr = json_array(), *e;

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$account", account);
	while (row_log_export(st, NULL, &l) == DB_ROW) {
		if (l.data == NULL ||
		    (e = json_loads(l.data, 0, NULL)) == NULL)
			continue;
		json_array_append_new(l.kind != NULL &&
		    strcmp(l.kind, "training") == 0 ? tr : rr, e);
	}
	db_reset(st);
	json_object_set_new(o, "training", tr);
	json_object_set_new(o, "rsc_received", rr);
}

/* The endorsements held: the active ones of the association, and this
   one. */
static json_t *
export_held(int64_t account, const char *assoc, int64_t endorsement)
{
	struct dbq			*st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
	struct row_endorsement_of_account e;
	json_t				*arr = json_array();

	db_bind_int(st, "$account", account);
	while (row_endorsement_of_account(st, NULL, &e) == DB_ROW) {
		if (e.association == NULL || strcmp(e.association, assoc) != 0)
			continue;
		if (e.id != endorsement && e.status != ENDORSEMENT_ACTIVE)
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
		    "association", assoc, "category", e.category, "since",
		    e.since));
	}
	db_reset(st);
	return arr;
}

/*
 * The portfolio an endorsement's renewal is judged on, as
 * endorse-portfolio/1: the association's log and memberships of its
 * holder, the endorsements held (the active ones and this one), as of
 * today.  NULL when there is no such endorsement.
 */
json_t *
life_portfolio(int64_t endorsement, int32_t today)
{
	struct dbq			*st;
	struct row_endorsement_get	 g;
	json_t				*o;
	char				 d[11];
	struct arena			 a;

	arena_init(&a);
	st = db_stmt(S_ENDORSEMENT_GET);
	db_bind_int(st, "$id", endorsement);
	if (row_endorsement_get(st, &a, &g) != DB_ROW || g.account_null) {
		db_reset(st);
		arena_free(&a);
		return NULL;
	}
	db_reset(st);
	date_format(today, d);
	o = json_pack("{s:s, s:s, s:s, s:s}", "format", "endorse-portfolio/1",
	    "association", g.association, "category", g.category, "as_of", d);
	if (g.name != NULL)
		json_object_set_new(o, "applicant", json_pack("{s:s, s:s}",
		    "name", g.name, "email", g.email));
	json_object_set_new(o, "membership", export_members(g.account,
	    g.association));
	export_log(o, g.account, g.association);
	json_object_set_new(o, "endorsements", export_held(g.account,
	    g.association, endorsement));
	arena_free(&a);
	return o;
}

/* ------------------------------------------------------------ audits */

/* splitmix64: a small, well-known generator, the same on every machine. */
static uint64_t
mix_next(uint64_t *s)
{
	uint64_t	 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * The sample of an audit: of n attested renewals (in the order of their
 * ids), percent of them rounded up, chosen by a Fisher-Yates shuffle
 * driven by the seed.  The same seed and population give the same sample,
 * so a draw can be checked afterwards.  out gets indices, ascending.
 */
int
life_sample(uint64_t seed, int n, int percent, int *out)
{
	int	*idx, i, j, k, t;

	k = (int)(((long)n * percent + 99) / 100);
	if (k > n)
		k = n;
	idx = xcalloc((size_t)n + 1, sizeof *idx);
	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = 0; i < k; i++) {
		j = i + (int)(mix_next(&seed) % (uint64_t)(n - i));
		t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
	/* ascending, for a stable listing */
	for (i = 1; i < k; i++)
		for (j = i; j > 0 && idx[j - 1] > idx[j]; j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	memcpy(out, idx, (size_t)k * sizeof *out);
	free(idx);
	return k;
}


/* ------------------------------------------------------------ judge */

struct one_ctx {
	int64_t			 id;
	int			 found, met;
	struct arena		*a;
	char			*shortfall;	/* what is short, in words */
};

static void
one_collect(void *arg, const struct life_item *it)
{
	struct one_ctx	*c = arg;
	char		 line[512];
	int		 i;

	if (it->id != c->id)
		return;
	c->found = 1;
	c->met = it->ok && it->res.met;
	c->shortfall = arena_strdup(c->a, "");
	if (!it->ok) {
		c->shortfall = arena_strdup(c->a, it->cause);
		return;
	}
	for (i = 0; i < it->res.nreqs; i++)
		if (!it->res.reqs[i].met)
			c->shortfall = arena_printf(c->a, "%s%s- %s\n",
			    c->shortfall, "", explain_result(&it->res.reqs[i],
			    line, sizeof line));
}

/* Evaluate one endorsement; 1 met, 0 not (shortfall in words), -1. */
int
life_judge(const char *assoc, int64_t account, int64_t endorsement,
    int cycle, int32_t today, int32_t until, int64_t audited,
    struct arena *a, char **shortfall)
{
	struct one_ctx	 c;

	memset(&c, 0, sizeof c);
	c.id = endorsement;
	c.a = a;
	if (life_scan(assoc, account, cycle, today, until, audited,
	    one_collect, &c) < 0 || !c.found)
		return -1;
	if (shortfall != NULL)
		*shortfall = c.shortfall;
	return c.met;
}
