/*
 * Endorsees for life: the log every endorsement of a person shares, the
 * renewal of each endorsement by its own category's rules (renewal.c, the
 * engine of `endorse renewal`), windows, audits, lapse, reminders and the
 * scheduler that sends them.
 *
 * An evaluation reads the store, never JSON: the log's typed columns
 * (db/005-renewal.sql) go straight into a struct portfolio, one account
 * at a time, from three scans in account order merged here.  The export
 * (life_portfolio) writes the same portfolio as endorse-portfolio/1, and a
 * test checks that `endorse renewal` on it agrees with every verdict.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "web.h"
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

/* Whether a cycle's window was closed; *lapsed (if given) then counts
   who lapsed when it closed. */
int
life_closed(const char *assoc, int cycle, int *lapsed)
{
	struct dbq	*st = db_stmt(S_WINDOW_GET);
	int		 closed;

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	closed = db_step(st) == DB_ROW;
	if (lapsed != NULL)
		*lapsed = closed ? db_col_int(st, 1) : 0;
	db_reset(st);
	return closed;
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

struct cursor {
	struct dbq	*st;
	int		 row;		/* a row is current */
};

static void
cursor_step(struct cursor *c)
{
	c->row = db_step(c->st) == DB_ROW;
}

/* Skip to account; 1 while the current row is account's. */
static int
cursor_at(struct cursor *c, int64_t account)
{
	while (c->row && db_col_int64(c->st, 0) < account)
		cursor_step(c);
	return c->row && db_col_int64(c->st, 0) == account;
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
 * Evaluate, for a cycle and as of today, the renewal of every endorsement
 * of an association (account 0) or of one account.  With audited (a
 * renewal's id) only the entries the coordinator accepted in that audit
 * count.  With until (not DATE_NONE), hours dated after the cycle's end
 * up to until count too (a reinstatement makes up a lapsed cycle).  fn
 * sees each endorsement with its result (valid until it
 * returns).  Returns the number of endorsements.  Call inside a
 * transaction, for one snapshot.
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
	const char		*assoc = rs->id;
	struct cursor		 ce, cl, cm;
	struct grow		 items = { .size = sizeof(struct life_item) };
	struct grow		 tr = { .size = sizeof(struct training) };
	struct grow		 rr = { .size = sizeof(struct rsc_received) };
	struct grow		 mm = { .size = sizeof(struct period) };
	struct grow		 hh = { .size = sizeof(struct held) };
	struct portfolio	 p;
	struct arena		 a, ea;
	int64_t			 acc;
	int			 i, n = 0, nact;

	const char		*s;

	arena_init(&a);
	arena_init(&ea);
	ce.st = db_stmt(S_LIFE_SCAN);
	db_bind_int(ce.st, "$cycle", cycle);
	cl.st = db_stmt(audited != 0 ? S_LOG_SCAN_AUDIT : S_LOG_SCAN);
	if (audited != 0)
		db_bind_int(cl.st, "$renewal", audited);
	cm.st = db_stmt(S_MEMBER_SCAN);
	for (i = 0; i < 3; i++) {
		struct dbq *st = i == 0 ? ce.st : i == 1 ? cl.st : cm.st;
		db_bind_text(st, "$assoc", assoc);
		db_bind_int(st, "$lo", account != 0 ? account : INT64_MIN);
		db_bind_int(st, "$hi", account != 0 ? account : INT64_MAX);
	}
	cursor_step(&ce);
	cursor_step(&cl);
	cursor_step(&cm);
	while (ce.row) {
		acc = db_col_int64(ce.st, 1);
		arena_reset(&a);
		items.n = tr.n = rr.n = mm.n = hh.n = 0;
		while (ce.row && db_col_int64(ce.st, 1) == acc) {
			struct life_item *it = grow_next(&items);
			memset(it, 0, sizeof *it);
			it->id = db_col_int64(ce.st, 0);
			it->account = acc;
			it->number = db_text(&a, ce.st, 2);
			it->category = db_text(&a, ce.st, 3);
			if (date_parse((const char *)db_col_text(ce.st,
			    4), &it->since) != 0)
				it->since = DATE_NONE;
			it->status = db_text(&a, ce.st, 5);
			it->emerging_until = db_text(&a, ce.st, 6);
			it->renewal = db_col_int64(ce.st, 7);
			it->rstatus = db_text(&a, ce.st, 8);
			it->cure_by = db_text(&a, ce.st, 9);
			cursor_step(&ce);
		}
		/* The log rows are read in the order the account keys them,
		   which is a scan of the (association, account, id) index. */
		while (cursor_at(&cl, acc)) {
			const unsigned char *rec = db_col_blob(cl.st,
			    1);
			int len = db_col_bytes(cl.st, 1);

			if (rec == NULL || len < LIFE_REC)
				;	/* the table's CHECK rules this out */
			else if (rec[0] == 0) {
				struct training *t = grow_next(&tr);
				t->role = rec[1];
				t->topics = rec[2];
				t->date = get32(rec + 3);
				t->hours = get32(rec + 11);
			} else {
				struct rsc_received *r = grow_next(&rr);
				r->format = rec[1];
				r->focus = rec[2];
				r->p.start = get32(rec + 3);
				r->p.end = get32(rec + 7);
				r->hours = get32(rec + 11);
				codes_read(&a, (const char *)rec + LIFE_REC,
				    (size_t)(len - LIFE_REC), &r->provider);
			}
			cursor_step(&cl);
		}
		while (cursor_at(&cm, acc)) {
			struct period *m = grow_next(&mm);
			if (date_parse((const char *)db_col_text(cm.st,
			    1), &m->start) != 0)
				m->start = DATE_NONE;
			s = (const char *)db_col_text(cm.st, 2);
			if (s == NULL || date_parse(s, &m->end) != 0)
				m->end = DATE_NONE;
			if (m->start == DATE_NONE)
				mm.n--;
			cursor_step(&cm);
		}
		/* Endorsements held: the active ones, and the one judged. */
		for (i = 0; i < items.n; i++) {
			struct life_item *it = (struct life_item *)items.v + i;
			if (strcmp(it->status, "active") == 0 &&
			    it->since != DATE_NONE) {
				struct held *h = grow_next(&hh);
				h->association = (char *)assoc;
				h->category = (char *)it->category;
				h->since = it->since;
			}
		}
		nact = hh.n;
		for (i = 0; i < items.n; i++) {
			struct life_item *it = (struct life_item *)items.v + i;
			char *cause = NULL;
			const struct category *cat;

			memset(&p, 0, sizeof p);
			p.association = (char *)assoc;
			p.category = (char *)it->category;
			p.as_of = today;
			p.ethics_signed = DATE_NONE;
			p.membership = mm.v;
			p.n_membership = mm.n;
			p.training = tr.v;
			p.n_training = tr.n;
			p.rsc_received = rr.v;
			p.n_rsc_received = rr.n;
			hh.n = nact;
			if (strcmp(it->status, "active") != 0 &&
			    it->since != DATE_NONE) {
				struct held *h = grow_next(&hh);
				h->association = (char *)assoc;
				h->category = (char *)it->category;
				h->since = it->since;
			}
			p.endorsements = hh.v;
			p.n_endorsements = hh.n;
			arena_reset(&ea);
			if ((cat = rules_category(rs, it->category)) ==
			    NULL)
				it->cause = "the rule set has no such category";
			else if (it->since == DATE_NONE)
				it->cause = "the endorsement has no valid date";
			else if (cat->nrenews == 0)
				it->cause = "an add-on: it renews with the "
				    "endorsement it is added to";
			else if (renewal_eval_until(rs, cat, &p, cycle, until,
			    &ea, &it->res, &cause) == 0)
				it->ok = 1;
			else {
				it->cause = arena_strdup(&a, cause);
				free(cause);
			}
			fn(arg, it);
			n++;
		}
	}
	db_reset(ce.st);
	db_reset(cl.st);
	db_reset(cm.st);
	free(items.v);
	free(tr.v);
	free(rr.v);
	free(mm.v);
	free(hh.v);
	arena_free(&a);
	arena_free(&ea);
	return n;
}

/* ------------------------------------------------------------ export */

/*
 * The portfolio an endorsement's renewal is judged on, as
 * endorse-portfolio/1: the association's log and memberships of its
 * holder, the endorsements held (the active ones and this one), as of
 * today.  NULL when there is no such endorsement.
 */
json_t *
life_portfolio(int64_t endorsement, int32_t today)
{
	struct dbq	*st;
	json_t		*o, *arr, *e, *tr, *rr;
	char		 d[11], *assoc = NULL, *cat = NULL;
	const char	*end;
	int64_t		 account = 0;
	struct arena	 a;

	arena_init(&a);
	st = db_stmt(S_ENDORSEMENT_GET);
	db_bind_int(st, "$id", endorsement);
	if (db_step(st) != DB_ROW || db_col_null(st, 2)) {
		db_reset(st);
		arena_free(&a);
		return NULL;
	}
	account = db_col_int64(st, 2);
	assoc = db_text(&a, st, 3);
	cat = db_text(&a, st, 4);
	date_format(today, d);
	o = json_pack("{s:s, s:s, s:s, s:s}", "format", "endorse-portfolio/1",
	    "association", assoc, "category", cat, "as_of", d);
	if (!db_col_null(st, 9))
		json_object_set_new(o, "applicant", json_pack("{s:s, s:s}",
		    "name", (const char *)db_col_text(st, 9), "email",
		    (const char *)db_col_text(st, 10)));
	db_reset(st);

	arr = json_array();
	st = db_stmt(S_MEMBER_LIST);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	while (db_step(st) == DB_ROW) {
		end = (const char *)db_col_text(st, 4);
		e = json_pack("{s:s, s:s?}", "start",
		    (const char *)db_col_text(st, 3), "end", end);
		if (end == NULL)
			json_object_set_new(e, "end", json_null());
		json_array_append_new(arr, e);
	}
	db_reset(st);
	json_object_set_new(o, "membership", arr);

	tr = json_array();
	rr = json_array();
	/* In the order of the scan that evaluates (life_scan). */
	st = db_stmt(S_LOG_EXPORT);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$account", account);
	while (db_step(st) == DB_ROW) {
		e = json_loads((const char *)db_col_text(st, 3), 0,
		    NULL);
		if (e == NULL)
			continue;
		json_array_append_new(strcmp((const char *)
		    db_col_text(st, 1), "training") == 0 ? tr : rr, e);
	}
	db_reset(st);
	json_object_set_new(o, "training", tr);
	json_object_set_new(o, "rsc_received", rr);

	arr = json_array();
	st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
	db_bind_int(st, "$account", account);
	while (db_step(st) == DB_ROW) {
		if (strcmp((const char *)db_col_text(st, 2), assoc) !=
		    0)
			continue;
		if (db_col_int64(st, 0) != endorsement &&
		    strcmp((const char *)db_col_text(st, 5),
		    "active") != 0)
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
		    "association", assoc, "category", (const char *)
		    db_col_text(st, 3), "since", (const char *)
		    db_col_text(st, 4)));
	}
	db_reset(st);
	json_object_set_new(o, "endorsements", arr);
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

/* ------------------------------------------------------- state changes */

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

/* An endorsement lapses: the registry and verification say so. */
int
life_lapse(struct req *r, int64_t endorsement, const char *why)
{
	struct dbq	*st;
	char		 today[11], *to = NULL, *number = NULL, *assoc = NULL;
	char		*cat = NULL, *body;
	const struct ruleset *rs;
	const struct category *c;
	struct arena	 a;
	int64_t		 account = 0, addons[8];
	int		 rc, i, nadd = 0;

	arena_init(&a);
	st = db_stmt(S_ENDORSEMENT_GET);
	db_bind_int(st, "$id", endorsement);
	if (db_step(st) == DB_ROW) {
		number = db_text(&a, st, 1);
		account = db_col_int64(st, 2);
		assoc = db_text(&a, st, 3);
		cat = db_text(&a, st, 4);
		to = db_text(&a, st, 10);
	}
	db_reset(st);
	if (number == NULL) {
		arena_free(&a);
		return -1;
	}
	date_format(web_today(), today);
	st = db_stmt(S_ENDORSEMENT_SET_STATUS);
	db_bind_text(st, "$status", "lapsed");
	db_bind_text(st, "$changed", today);
	db_bind_int(st, "$id", endorsement);
	rc = db_exec(st);
	if (rc == 0)
		rc = audit_log(r, "endorsement", endorsement, "lapse",
		    json_pack("{s:s, s:s}", "number", number, "why", why));
	/* An add-on (a category without renewal rules of its own, ERS)
	   lapses with the endorsement it is added to. */
	if (rc == 0 && (rs = web_rules(assoc)) != NULL &&
	    (c = rules_category(rs, cat)) != NULL && c->nrenews > 0) {
		st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
		db_bind_int(st, "$account", account);
		while (db_step(st) == DB_ROW && nadd < 8) {
			const struct category *k = rules_category(rs,
			    (const char *)db_col_text(st, 3));
			if (strcmp((const char *)db_col_text(st, 2),
			    assoc) == 0 && strcmp((const char *)
			    db_col_text(st, 5), "active") == 0 &&
			    k != NULL && k->nrenews == 0)
				addons[nadd++] = db_col_int64(st, 0);
		}
		db_reset(st);
	}
	if (rc == 0) {
		body = arena_printf(&a, "Your %s endorsement %s lapsed on %s: "
		    "%s.\n\nThe registry now shows it as lapsed.  You may "
		    "ask to have it reinstated where %s allows it: %s/renewal\n",
		    cat, number, today, why, web_assoc_name(assoc),
		    cfg.base_url);
		rc = life_mail(assoc, to, arena_printf(&a, "Your endorsement "
		    "%s has lapsed", number), body);
	}
	for (i = 0; i < nadd && rc == 0; i++)
		rc = life_lapse(r, addons[i], arena_printf(&a, "the endorsement "
		    "it is added to, %s, lapsed", number));
	arena_free(&a);
	return rc;
}

struct close_ctx {
	int64_t		*ids;
	int		 n, max;
	int		 want;		/* 0: not renewed, 1: everyone */
};

static void
close_collect(void *arg, const struct life_item *it)
{
	struct close_ctx	*c = arg;

	if (strcmp(it->status, "active") != 0 || !it->ok ||
	    !it->res.required || it->rstatus != NULL)
		return;
	if (c->n == c->max) {
		c->max = c->max == 0 ? 64 : c->max * 2;
		c->ids = xreallocarray(c->ids, (size_t)c->max,
		    sizeof *c->ids);
	}
	c->ids[c->n++] = it->id;
}

/*
 * Close a cycle's window: attestation stops, and every active endorsement
 * the cycle required that has no renewal lapses.  Those under audit go
 * on to their audit's end.  In the caller's transaction.
 */
int
life_close(struct req *r, const char *assoc, int cycle, int *lapsed)
{
	struct dbq		*st;
	struct close_ctx	 c;
	int			 i, rc = 0;
	int32_t			 open, close;
	char			 why[96];

	memset(&c, 0, sizeof c);
	*lapsed = 0;
	if (life_closed(assoc, cycle, NULL))
		return 1;
	life_window(web_rules(assoc), cycle, &open, &close);
	if (life_scan(assoc, 0, cycle, close, DATE_NONE, 0, close_collect,
	    &c) < 0)
		return -1;
	snprintf(why, sizeof why, "it was not renewed in the %d renewal "
	    "window", cycle);
	for (i = 0; i < c.n && rc == 0; i++) {
		st = db_stmt(S_RENEWAL_INSERT);
		db_bind_int(st, "$endorsement", c.ids[i]);
		db_bind_int(st, "$cycle", cycle);
		db_bind_text(st, "$status", "lapsed");
		db_bind_int(st, "$now", db_now());
		db_bind_text(st, "$statement", "{}");
		rc = db_exec(st);
		if (rc == 0)
			rc = life_lapse(r, c.ids[i], why);
	}
	if (rc == 0) {
		st = db_stmt(S_WINDOW_CLOSE);
		db_bind_text(st, "$assoc", assoc);
		db_bind_int(st, "$cycle", cycle);
		db_bind_int(st, "$now", db_now());
		if (r != NULL && r->user.id > 0)
			db_bind_int(st, "$actor", r->user.id);
		db_bind_int(st, "$lapsed", c.n);
		rc = db_exec(st);
	}
	if (rc == 0)
		rc = audit_log(r, "renewal_window", cycle, "close", json_pack(
		    "{s:s, s:i, s:i}", "association", assoc, "cycle", cycle,
		    "lapsed", c.n));
	free(c.ids);
	*lapsed = c.n;
	return rc;
}

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

/*
 * After a coordinator's decision on an entry under audit: once none is
 * pending, the renewal is judged on the accepted entries alone.  Met: the
 * audit passed.  Not met: the endorsee has the rule set's cure days
 * (counted from the first failure) to put it right.
 */
int
life_settle(struct req *r, int64_t renewal)
{
	struct dbq		*st;
	const struct ruleset	*rs;
	struct arena		*a = &r->arena;
	char			*assoc, *status, *cure_by, *number, *to, *why;
	char			 today[11], until[11];
	int64_t			 endorsement, account;
	int			 cycle, pending, met, rc;

	st = db_stmt(S_RENEWAL_GET);
	db_bind_int(st, "$id", renewal);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return -1;
	}
	endorsement = db_col_int64(st, 1);
	cycle = db_col_int(st, 2);
	status = db_text(a, st, 3);
	cure_by = db_text(a, st, 4);
	account = db_col_int64(st, 6);
	assoc = db_text(a, st, 7);
	number = db_text(a, st, 9);
	to = db_text(a, st, 11);
	db_reset(st);
	if ((rs = web_rules(assoc)) == NULL)
		return -1;
	if (strcmp(status, "audit") != 0 && strcmp(status, "cure") != 0)
		return 0;
	st = db_stmt(S_ITEM_PENDING);
	db_bind_int(st, "$renewal", renewal);
	pending = db_step(st) == DB_ROW ? db_col_int(st, 0) :
	    1;
	db_reset(st);
	if (pending > 0)
		return 0;
	met = life_judge(assoc, account, endorsement, cycle, web_today(),
	    DATE_NONE, renewal, a, &why);
	if (met < 0)
		return -1;
	date_format(web_today(), today);
	st = db_stmt(S_RENEWAL_SET);
	db_bind_int(st, "$id", renewal);
	db_bind_int(st, "$now", db_now());
	if (met) {
		db_bind_text(st, "$status", "renewed");
		if ((rc = db_exec(st)) == 0)
			rc = audit_log(r, "renewal", renewal, "audit-passed",
			    json_pack("{s:s, s:i}", "number", number, "cycle",
			    cycle));
		if (rc == 0)
			rc = life_mail(assoc, to, arena_printf(a, "Your %d "
			    "renewal audit passed", cycle), arena_printf(a,
			    "The audit of your renewal of %s for %d has "
			    "passed: the evidence you gave was accepted and "
			    "your endorsement is renewed.\n", number, cycle));
		return rc;
	}
	if (cure_by == NULL) {
		date_format(web_today() + rs->renewal.cure_days, until);
		cure_by = arena_strdup(a, until);
	}
	db_bind_text(st, "$status", "cure");
	db_bind_text(st, "$cure_by", cure_by);
	if ((rc = db_exec(st)) == 0)
		rc = audit_log(r, "renewal", renewal, "audit-failed",
		    json_pack("{s:s, s:i, s:s}", "number", number, "cycle",
		    cycle, "cure_by", cure_by));
	if (rc == 0)
		rc = life_mail(assoc, to, arena_printf(a, "Your %d renewal "
		    "audit: action needed by %s", cycle, cure_by),
		    arena_printf(a, "The audit of your renewal of %s for %d "
		    "did not pass: with the entries accepted so far, this is "
		    "short:\n\n%s\nThe coordinator's notes are on your renewal "
		    "page.  Upload better evidence for a rejected entry, or log "
		    "and document other hours from the cycle, by %s; after "
		    "that day the endorsement lapses.\n\n%s/renewal\n", number,
		    cycle, why, cure_by, cfg.base_url));
	(void)today;
	return rc;
}

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

	if (strcmp(it->status, "active") != 0 || !it->ok ||
	    !it->res.required || it->rstatus != NULL)
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
	struct dbq	*st = db_stmt(S_ACCOUNT_BY_ID);
	char		*e = NULL;

	db_bind_int(st, "$id", account);
	if (db_step(st) == DB_ROW)
		e = db_text(a, st, 2);
	db_reset(st);
	return e;
}

static int32_t
life_started(int32_t today)
{
	struct dbq	*st = db_stmt(S_SETTING_GET);
	int32_t		 d = DATE_NONE;
	char		 s[11];

	db_bind_text(st, "$key", "life_started");
	if (db_step(st) == DB_ROW &&
	    date_parse((const char *)db_col_text(st, 0), &d) != 0)
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

/* One association's reminders and deadlines, in one transaction. */
static int
tick_assoc(const struct ruleset *rs, int32_t today, int32_t started,
    struct life_tick *t)
{
	const struct renewal_policy	*rp = &rs->renewal;
	const char			*assoc = rs->id;
	struct arena			 a;
	struct due_ctx			 dc;
	struct dbq			*st;
	int32_t				 open, close, until, end;
	int				 cycle, c, w, dl, i, n, o, closed, rc = 0;
	const struct category		*cat;
	char				 od[11], cd[11], *to, *s, *code, *owed;
	int64_t				 id, *ids = NULL;
	int				 nids = 0, maxo;

	arena_init(&a);
	memset(&dc, 0, sizeof dc);
	dc.a = &a;
	cycle = life_cycle(rs, today);
	life_window(rs, cycle, &open, &close);
	date_format(open, od);
	date_format(close, cd);
	closed = life_closed(assoc, cycle, NULL);

	/* The window opening and its deadline, to whoever has not renewed. */
	w = due_offset(rp->remind[REMIND_WINDOW], rp->nremind[REMIND_WINDOW],
	    open, today);
	dl = today >= open ? due_offset(rp->remind[REMIND_DEADLINE],
	    rp->nremind[REMIND_DEADLINE], close, today) : -1;
	if (!closed && (w >= 0 || dl >= 0) && life_scan(assoc, 0, cycle,
	    today, DATE_NONE, 0, due_collect, &dc) < 0)
		rc = -1;
	for (i = 0; i < dc.n && rc == 0; i++) {
		struct due_item *d = &dc.v[i];
		if (w >= 0 && remind_once("window", d->id, open, w) &&
		    (to = account_email(&a, d->account)) != NULL) {
			rc = life_mail(assoc, to, arena_printf(&a, "Renewal of "
			    "%s: the window opens %s", d->number, od),
			    arena_printf(&a, "The %d renewal window for your %s "
			    "endorsement %s opens on %s and closes on %s.\n\n"
			    "Where you stand today:\n%s\nLog your hours and "
			    "attest at %s/renewal\n", cycle, d->category,
			    d->number, od, cd, d->shortfall, cfg.base_url));
			t->sent++;
		}
		if (rc == 0 && dl >= 0 && remind_once("deadline", d->id, close,
		    dl) && (to = account_email(&a, d->account)) != NULL) {
			rc = life_mail(assoc, to, arena_printf(&a, "Renewal of "
			    "%s: %d day%s left", d->number, close - today,
			    close - today == 1 ? "" : "s"), arena_printf(&a,
			    "Your %s endorsement %s must be renewed by %s, or "
			    "it lapses.\n\nWhere you stand today:\n%s\nLog "
			    "your hours and attest at %s/renewal\n",
			    d->category, d->number, cd, d->shortfall,
			    cfg.base_url));
			t->sent++;
		}
	}

	/* Windows that ended close themselves: this cycle's or the last
	   one's, if this installation ran when they opened. */
	for (c = cycle; rc == 0 && c >= cycle - rp->cycle_years;
	    c -= rp->cycle_years) {
		life_window(rs, c, &open, &close);
		if (close >= today || open < started)
			continue;
		rc = life_close(NULL, assoc, c, &n);
		if (rc == 1)
			rc = 0;
		else if (rc == 0)
			t->lapsed += n;
	}

	/* Failed audits not cured in time. */
	date_format(today, od);
	st = db_stmt(S_RENEWAL_CURE_DUE);
	db_bind_text(st, "$assoc", assoc);
	db_bind_text(st, "$today", od);
	while (rc == 0 && db_step(st) == DB_ROW) {
		ids = xreallocarray(ids, (size_t)nids + 1, sizeof *ids);
		ids[nids++] = db_col_int64(st, 0);
	}
	db_reset(st);
	for (i = 0; i < nids && rc == 0; i++) {
		st = db_stmt(S_RENEWAL_GET);
		db_bind_int(st, "$id", ids[i]);
		id = db_step(st) == DB_ROW ?
		    db_col_int64(st, 1) : 0;
		db_reset(st);
		st = db_stmt(S_RENEWAL_SET);
		db_bind_int(st, "$id", ids[i]);
		db_bind_text(st, "$status", "lapsed");
		db_bind_int(st, "$now", db_now());
		if ((rc = db_exec(st)) == 0 && id != 0)
			rc = life_lapse(NULL, id, "a failed renewal audit was "
			    "not put right by its deadline");
		t->lapsed++;
	}
	free(ids);

	/* Emerging status (an ERS add-on's): reminded before its deadline,
	   lapsed after it. */
	st = db_stmt(S_EMERGING_LIST);
	db_bind_text(st, "$assoc", assoc);
	ids = NULL;
	nids = 0;
	while (rc == 0 && db_step(st) == DB_ROW) {
		if (date_parse((const char *)db_col_text(st, 2),
		    &until) != 0)
			continue;
		id = db_col_int64(st, 0);
		if (today > until) {
			ids = xreallocarray(ids, (size_t)nids + 1,
			    sizeof *ids);
			ids[nids++] = id;
			continue;
		}
		o = due_offset(rp->remind[REMIND_EMERGING],
		    rp->nremind[REMIND_EMERGING], until, today);
		if (o >= 0 && remind_once("emerging", id, until, o)) {
			/* The category's code, title and full requirements
			   as its rule set words them. */
			s = db_text(&a, st, 2);
			code = db_text(&a, st, 5);
			cat = rules_category(rs, code);
			owed = emerging_owed(&a, cat);
			rc = life_mail(assoc, (const char *)
			    db_col_text(st, 3), arena_printf(&a,
			    "Emerging %s %s: the full requirements are due "
			    "%s", code, (const char *)db_col_text(st,
			    1), s), arena_printf(&a, "Your %s (%s) %s has "
			    "Emerging status: by %s you need to meet its full "
			    "requirements%s%s%s.  Apply for %s again with them "
			    "before then; after that day it lapses.\n\n"
			    "%s/dashboard\n", cat != NULL ? cat->title : code,
			    code, (const char *)db_col_text(st, 1), s,
			    owed != NULL ? " (" : "", owed != NULL ? owed : "",
			    owed != NULL ? ")" : "", code, cfg.base_url));
			t->sent++;
		}
	}
	db_reset(st);
	for (i = 0; i < nids && rc == 0; i++) {
		rc = life_lapse(NULL, ids[i], "the Emerging deadline "
		    "passed without the full requirements met");
		t->lapsed++;
	}
	free(ids);

	/* Memberships about to end, with nothing after them. */
	for (i = 0, maxo = -1; i < rp->nremind[REMIND_MEMBERSHIP]; i++)
		if (rp->remind[REMIND_MEMBERSHIP][i] > maxo)
			maxo = rp->remind[REMIND_MEMBERSHIP][i];
	if (maxo >= 0 && rc == 0) {
		date_format(today + maxo, cd);
		st = db_stmt(S_MEMBER_ENDING);
		db_bind_text(st, "$assoc", assoc);
		db_bind_text(st, "$from", od);
		db_bind_text(st, "$to", cd);
		while (rc == 0 && db_step(st) == DB_ROW) {
			if (date_parse((const char *)db_col_text(st,
			    1), &end) != 0)
				continue;
			o = due_offset(rp->remind[REMIND_MEMBERSHIP],
			    rp->nremind[REMIND_MEMBERSHIP], end, today);
			if (o < 0 || !remind_once("membership",
			    db_col_int64(st, 0), end, o))
				continue;
			s = db_text(&a, st, 1);
			rc = life_mail(assoc, (const char *)
			    db_col_text(st, 2), arena_printf(&a,
			    "Your %s membership ends %s", rs->id, s),
			    arena_printf(&a, "Your membership of %s ends on "
			    "%s.  Applicants and endorsees keep an active "
			    "membership throughout; renew it at "
			    "%s/membership\n", web_assoc_name(assoc), s,
			    cfg.base_url));
			t->sent++;
		}
		db_reset(st);
	}
	free(dc.v);
	arena_free(&a);
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
	int		  n, i, rc = 0;
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
