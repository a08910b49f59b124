/*
 * The renewals and reinstatements queue (dom-queue-renew.h).  Which
 * renewal a cycle requires and its state are the renewal engine's
 * (life_scan); the store adds since when each renewal row is in its
 * state and its audit items still to review (store-queue.def).  The
 * filters, the search, the sort and the page are decided here.
 */
#define _GNU_SOURCE		/* qsort_r */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-queue-renew.h"
#include "dom-renewal.h"
#include "banned.h"

const char *const renew_show_names[RSH__N] = {
	"all", "due", "audit", "evidence", "cure", "lapsed"
};
const char *const renew_show_titles[RSH__N] = {
	"Every renewal", "Not attested", "Audit drawn",
	"Evidence pending review", "Cure deadline (audit failed)", "Lapsed"
};
const char *const renew_sort_names[RQ__N] = {
	"name", "number", "category", "status", "days", "deadline"
};

/* A renewal row's facts, by id. */
struct rfact {
	int64_t	 id, changed;
	int	 pending;
};

struct rscan {
	struct arena		*ar;
	const struct renew_filter *f;
	json_t			*names;
	struct rfact		*facts;
	int			 nfacts;
	int32_t			 open, close, today;
	struct renew_row	*v;
	int			 n, cap;
	struct renew_counts	*c;
	const char		*words[RENEW_WORDS];
	size_t			 lens[RENEW_WORDS];
	int			 nwords;
	int			 failed;
};

static int
by_fact(const void *a, const void *b)
{
	const struct rfact	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Whether word w (n bytes) is in s, whatever the case. */
static int
has_word(const char *s, const char *w, size_t n)
{
	for (; s != NULL && *s != '\0'; s++)
		if (strncasecmp(s, w, n) == 0)
			return 1;
	return 0;
}

/* Every search word in the name, the e-mail or the number. */
static int
matches(const struct rscan *s, const struct renew_row *q)
{
	int	 i;

	for (i = 0; i < s->nwords; i++)
		if (!has_word(q->name, s->words[i], s->lens[i]) &&
		    !has_word(q->email, s->words[i], s->lens[i]) &&
		    !has_word(q->number, s->words[i], s->lens[i]))
			return 0;
	return 1;
}

static int
shown(enum renew_show w, const struct renew_row *q)
{
	switch (w) {
	case RSH_DUE:
		return q->rstate == RENEWAL_NONE &&
		    q->state == ENDORSEMENT_ACTIVE;
	case RSH_AUDIT:
		return q->rstate == RENEWAL_AUDIT;
	case RSH_EVIDENCE:
		return q->pending > 0;
	case RSH_CURE:
		return q->rstate == RENEWAL_CURE;
	case RSH_LAPSED:
		return q->rstate == RENEWAL_LAPSED ||
		    q->state == ENDORSEMENT_LAPSED;
	default:
		return 1;
	}
}

/* The figures, as the renewals page has always counted them. */
static void
count(struct renew_counts *c, const struct life_item *it)
{
	c->n++;
	c->inactive += it->state == ENDORSEMENT_INACTIVE;
	c->lapsed += it->rstate == RENEWAL_LAPSED;
	if (!it->ok || !it->res.required)
		return;
	c->required++;
	c->renewed += it->rstate == RENEWAL_ATTESTED ||
	    it->rstate == RENEWAL_RENEWED;
	c->due += it->rstate == RENEWAL_NONE &&
	    it->state == ENDORSEMENT_ACTIVE;
	c->audit += it->rstate == RENEWAL_AUDIT;
	c->cure += it->rstate == RENEWAL_CURE;
}

/* Since when, and the deadline of one renewal. */
static void
row_dates(struct rscan *s, struct renew_row *q, const struct life_item *it)
{
	struct rfact	 key, *fa;
	int32_t		 d;

	q->since = (int64_t)s->open * 86400;
	if (it->renewal > 0) {
		key.id = it->renewal;
		fa = s->nfacts > 0 ? bsearch(&key, s->facts, (size_t)s->nfacts,
		    sizeof key, by_fact) : NULL;
		if (fa != NULL) {
			q->since = fa->changed;
			q->pending = fa->pending;
		}
	}
	q->days = (int64_t)s->today * 86400 > q->since ? (int)(((int64_t)
	    s->today * 86400 - q->since) / 86400) : 0;
	if (q->rstate == RENEWAL_NONE && q->state == ENDORSEMENT_ACTIVE)
		q->deadline = s->close;
	else if (q->rstate == RENEWAL_CURE && it->cure_by != NULL &&
	    date_parse(it->cure_by, &d) == 0) {
		q->deadline = d;
		q->cure = 1;
	}
}

static void
scan_one(void *arg, const struct life_item *it)
{
	struct rscan		*s = arg;
	struct renew_row	 q, *nv;
	json_t			*who;
	char			 key[32];

	count(s->c, it);
	if (!(it->ok && it->res.required) && it->renewal == 0)
		return;
	memset(&q, 0, sizeof q);
	q.endorsement = it->id;
	q.renewal = it->renewal;
	q.account = it->account;
	snprintf(key, sizeof key, "%lld", (long long)it->account);
	who = json_object_get(s->names, key);
	q.name = arena_strdup(s->ar, who != NULL ? json_string_value(
	    json_array_get(who, 0)) : "");
	q.email = arena_strdup(s->ar, who != NULL ? json_string_value(
	    json_array_get(who, 1)) : "");
	q.number = arena_strdup(s->ar, it->number);
	q.category = arena_strdup(s->ar, it->category);
	q.state = it->state;
	q.rstate = it->rstate;
	q.met = it->ok && it->res.met;
	row_dates(s, &q, it);
	if (!shown(s->f->show, &q) || !matches(s, &q))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 64 : 2 * s->cap;
		nv = arena_alloc(s->ar, (size_t)s->cap * sizeof *nv);
		if (s->n > 0)
			memcpy(nv, s->v, (size_t)s->n * sizeof *nv);
		s->v = nv;
	}
	s->v[s->n++] = q;
}

/* The sort: its key, then the days in the state (longest first), then
   the endorsement. */
static int
by_sort(const void *a, const void *b, void *arg)
{
	const struct renew_filter *f = arg;
	const struct renew_row	*x = a, *y = b;
	int64_t			 kx = 0, ky = 0;
	int			 c = 0;

	switch (f->sort) {
	case RQ_NAME:
		c = strcasecmp(x->name, y->name);
		break;
	case RQ_NUMBER:
		c = strcmp(x->number, y->number);
		break;
	case RQ_CATEGORY:
		c = strcmp(x->category, y->category);
		break;
	case RQ_STATUS:
		kx = x->rstate;
		ky = y->rstate;
		break;
	case RQ_DAYS:
		kx = x->days;
		ky = y->days;
		break;
	default:
		kx = x->deadline > 0 ? x->deadline : INT32_MAX;
		ky = y->deadline > 0 ? y->deadline : INT32_MAX;
		break;
	}
	if (c == 0 && kx != ky)
		c = kx < ky ? -1 : 1;
	if (c != 0)
		return f->desc ? -c : c;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	return x->endorsement < y->endorsement ? -1 :
	    x->endorsement > y->endorsement;
}

static int
read_facts(struct rscan *s, const char *assoc, int cycle)
{
	struct row_queue_renewal	*r;
	struct dbq			*st = db_stmt(S_QUEUE_RENEWALS);
	int				 i, n;

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	if ((n = rows_queue_renewal(st, s->ar, &r)) < 0)
		return -1;
	s->facts = arena_alloc(s->ar, (size_t)(n + 1) * sizeof *s->facts);
	for (i = 0; i < n; i++) {
		s->facts[i].id = r[i].id;
		s->facts[i].changed = r[i].changed;
		s->facts[i].pending = (int)r[i].pending;
	}
	s->nfacts = n;
	qsort(s->facts, (size_t)n, sizeof *s->facts, by_fact);
	return 0;
}

int
queue_renewals(struct arena *ar, const char *assoc, int32_t today,
    const struct renew_filter *f, struct renew_row **out,
    struct renew_counts *c)
{
	const struct ruleset	*rs = web_rules(assoc);
	struct rscan		 s;
	const char		*w = f->search;
	size_t			 n;

	memset(&s, 0, sizeof s);
	memset(c, 0, sizeof *c);
	*out = NULL;
	if (rs == NULL)
		return -1;
	s.ar = ar;
	s.f = f;
	s.c = c;
	s.today = today;
	life_window(rs, f->cycle, &s.open, &s.close);
	while (w != NULL && s.nwords < RENEW_WORDS) {
		w += strspn(w, " \t,");
		if ((n = strcspn(w, " \t,")) == 0)
			break;
		s.words[s.nwords] = w;
		s.lens[s.nwords++] = n;
		w += n;
	}
	if (read_facts(&s, assoc, f->cycle) != 0)
		return -1;
	s.names = dom_endorsee_names(assoc);
	life_scan(assoc, 0, f->cycle, today, DATE_NONE, 0, scan_one, &s);
	json_decref(s.names);
	if (s.n > 0)
		qsort_r(s.v, (size_t)s.n, sizeof *s.v, by_sort, (void *)f);
	if (f->offset >= s.n)
		return 0;
	*out = s.v + f->offset;
	s.n -= f->offset;
	return f->limit > 0 && s.n > f->limit ? f->limit : s.n;
}

int
queue_reinstatements(struct arena *ar, const char *assoc, int status,
    struct reinstate_row **out)
{
	struct row_queue_reinstate	*r;
	struct dbq			*st = db_stmt(S_QUEUE_REINSTATE);
	int64_t				 now = db_now();
	int				 i, n;

	db_bind_text(st, "$assoc", assoc);
	if (status >= 0)
		db_bind_enum(st, "$status", reinstate_status, status);
	if ((n = rows_queue_reinstate(st, ar, &r)) < 0)
		return -1;
	*out = arena_alloc(ar, (size_t)(n + 1) * sizeof **out);
	for (i = 0; i < n; i++) {
		(*out)[i].id = r[i].id;
		(*out)[i].name = r[i].name;
		(*out)[i].email = r[i].email;
		(*out)[i].number = r[i].number;
		(*out)[i].category = r[i].category;
		(*out)[i].status = r[i].status;
		(*out)[i].fee = (int)r[i].fee_owed;
		(*out)[i].requested = r[i].requested;
		(*out)[i].days = now > r[i].requested ? (int)((now -
		    r[i].requested) / 86400) : 0;
	}
	return n;
}
