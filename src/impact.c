/*
 * Whom a rule change moves.  Every open application and every active
 * endorsement's current renewal cycle, judged by two versions of the rule
 * sets with the engine's own calls (check_eval on the portfolio the web
 * builds, app_document; renewal_eval through life_scan_rules), and those
 * whose verdict differs listed: the endorse-impact/1 document.  The
 * command line (`endorse rules impact`) prints it; `endorse serve` and
 * `endorse tick` keep each rule file they start with and, when one
 * changed, the document of that change for the coordinator's page
 * (/coordinator/rules).  No request, no HTTP: the store and the engine.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "dom-life.h"
#include "banned.h"

/* What a requirement came to. */
#define W_MET		"met"
#define W_EMERGING	"met as emerging"
#define W_UNMET		"not met"

/* Verdicts.  A rule set, a category or a renewal block missing on one
   side is a verdict of its own. */
#define V_NO_RULES	"no rules"
#define V_NOT_EVALUATED	"not evaluated"

/* A requirement's state: id in a rule set's arena or in ids[] below. */
struct rstate {
	const char	*id;
	const char	*word;
};

struct verdict {
	const char	*word;
	struct rstate	*reqs;
	int		 nreqs;
	int		 evaluated;	/* reqs are valid */
};

/* An active endorsement's renewal by the old rules (pass one). */
struct ritem {
	int64_t		 id;
	const char	*word;
	int		 r0, nr;	/* in pool */
	int		 evaluated;
};

struct ictx {
	int32_t		 today;
	struct arena	 a;		/* one item's, reset */
	/* renewals: the old side, then compared with the new */
	struct ritem	*items;
	int		 nitems, maxitems, next;
	struct rstate	*pool;
	int		 npool, maxpool;
	char		**ids;		/* renewal requirement ids, interned */
	int		 nids;
	const struct ruleset *rs_old, *rs_new;
	int		 cyc_old, cyc_new;
	int		 nrenewals;	/* active endorsements seen */
	json_t		**rmoves;
	int		 nrmoves, maxrmoves;
	json_t		*apps;
	int		 napps;
};

/* ------------------------------------------------------------ helpers */

static const char *
intern(struct ictx *x, const char *id)
{
	int	 i;

	for (i = 0; i < x->nids; i++)
		if (strcmp(x->ids[i], id) == 0)
			return x->ids[i];
	x->ids = xreallocarray(x->ids, (size_t)x->nids + 1, sizeof *x->ids);
	return x->ids[x->nids++] = xstrdup(id);
}

/* A checklist requirement's word: met, met only through an Emerging
   option, or not met. */
static const char *
req_word(const struct req_result *rr)
{
	int	 j;

	if (!rr->met)
		return W_UNMET;
	if (rr->nopts == 0)
		return W_MET;
	for (j = 0; j < rr->nopts; j++)
		if (rr->opts[j].met && rr->opts[j].opt->emerging_months == 0)
			return W_MET;
	return W_EMERGING;
}

static const struct ruleset *
find(const struct ruleset *const *v, int n, const char *id)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i]->id, id) == 0)
			return v[i];
	return NULL;
}

/*
 * The requirements whose state differs, those of one side only included
 * (their other state null), in the old side's order then the new's.
 * Only when both sides were judged: a side without rules has no
 * requirements to compare.
 */
static json_t *
changed(const struct verdict *o, const struct verdict *n)
{
	json_t	*arr = json_array();
	int	 i, j;

	if (!o->evaluated || !n->evaluated)
		return arr;
	for (i = 0; i < o->nreqs; i++) {
		for (j = 0; j < n->nreqs; j++)
			if (strcmp(o->reqs[i].id, n->reqs[j].id) == 0)
				break;
		if (j == n->nreqs)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:n}",
			    "id", o->reqs[i].id, "old", o->reqs[i].word,
			    "new"));
		else if (strcmp(o->reqs[i].word, n->reqs[j].word) != 0)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
			    "id", o->reqs[i].id, "old", o->reqs[i].word, "new",
			    n->reqs[j].word));
	}
	for (j = 0; j < n->nreqs; j++) {
		for (i = 0; i < o->nreqs; i++)
			if (strcmp(o->reqs[i].id, n->reqs[j].id) == 0)
				break;
		if (i == o->nreqs)
			json_array_append_new(arr, json_pack("{s:s, s:n, s:s}",
			    "id", n->reqs[j].id, "old", "new",
			    n->reqs[j].word));
	}
	return arr;
}

/* ------------------------------------------------------- applications */

/* The portfolio of one application, kept for the second rule set when
   it judges ratings alike (nearly always). */
struct doc {
	json_t			*json;
	struct portfolio	*p;
	const struct ruleset	*rs;
	int			 bad;		/* the reader refused it */
};

static void
doc_clear(struct doc *d)
{
	json_decref(d->json);
	portfolio_free(d->p);
	memset(d, 0, sizeof *d);
}

static void
app_side(struct ictx *x, const struct ruleset *rs, const struct app *a,
    struct doc *d, struct verdict *v)
{
	const struct category	*cat;
	struct check_result	 cr;
	char			*cause = NULL;
	int			 i;

	memset(v, 0, sizeof *v);
	if (rs == NULL || (cat = rules_category(rs, a->category)) == NULL) {
		v->word = V_NO_RULES;
		return;
	}
	if (d->json == NULL || d->rs->workflow.rating_valid_months !=
	    rs->workflow.rating_valid_months) {
		doc_clear(d);
		d->rs = rs;
		d->json = app_document(rs, a);
		if ((d->p = portfolio_from_json(d->json, x->today,
		    &cause)) == NULL) {
			d->bad = 1;
			free(cause);
		}
	}
	if (d->bad) {
		v->word = V_NOT_EVALUATED;
		return;
	}
	check_eval(rs, cat, d->p, &x->a, &cr);
	v->word = !cr.eligible ? "not eligible" : cr.emerging ? "emerging" :
	    "eligible";
	v->evaluated = 1;
	v->nreqs = cr.nreqs;
	v->reqs = arena_alloc(&x->a, ((size_t)cr.nreqs + 1) * sizeof *v->reqs);
	for (i = 0; i < cr.nreqs; i++) {
		v->reqs[i].id = cr.reqs[i].id;
		v->reqs[i].word = req_word(&cr.reqs[i]);
	}
}

/*
 * Open applications: every status before a decision that the applicant
 * or the coordinator still works on (db/004-workflow.sql): draft (being
 * built: a rule change moves what the applicant sees), submitted (in
 * review), exam (approved for the exam, the decision to come) and
 * deferred (editable again).  Endorsed and denied ones are decided.
 */
static int
impact_apps(struct ictx *x, const char *assoc)
{
	struct dbq		*st = db_stmt(S_IMPACT_APPS);
	struct row_impact_apps	 row;
	struct verdict		 vo, vn;
	struct doc		 d;
	struct app		 a;
	struct arena		 ra;
	json_t			*m;
	int			 rc;

	arena_init(&ra);
	memset(&d, 0, sizeof d);
	db_bind_text(st, "$assoc", assoc);
	while (arena_reset(&ra), (rc = row_impact_apps(st, &ra, &row)) ==
	    DB_ROW) {
		arena_reset(&x->a);
		memset(&a, 0, sizeof a);
		a.id = row.id;
		a.account = row.account;
		a.association = (char *)assoc;
		a.category = row.category;
		a.status = row.status;
		a.ethics_signed = row.ethics_signed;
		x->napps++;
		app_side(x, x->rs_old, &a, &d, &vo);
		app_side(x, x->rs_new, &a, &d, &vn);
		doc_clear(&d);
		if (strcmp(vo.word, vn.word) == 0)
			continue;
		m = json_pack("{s:I, s:s?, s:s, s:s, s:s, s:s, s:s}", "id",
		    (json_int_t)a.id, "name", row.name, "association", assoc,
		    "category", a.category, "status", db_enum_word(app_status,
		    a.status), "old", vo.word, "new", vn.word);
		json_object_set_new(m, "changed", changed(&vo, &vn));
		json_array_append_new(x->apps, m);
	}
	db_reset(st);
	arena_free(&ra);
	return rc == DB_ERROR ? -1 : 0;
}

/* ----------------------------------------------------------- renewals */

static const char *
renewal_word(const struct life_item *it)
{
	if (it->ok)
		return !it->res.required ? "not required" : it->res.met ?
		    "met" : "not met";
	/* The engine's own reasons (lifecycle.c): no such category, an add-on
	   that renews with the endorsement it is added to. */
	if (it->cause == life_no_category)
		return V_NO_RULES;
	if (it->cause == life_addon)
		return "not required";
	return V_NOT_EVALUATED;
}

static void
item_verdict(struct ictx *x, const struct life_item *it, struct verdict *v)
{
	int	 i;

	memset(v, 0, sizeof *v);
	v->word = renewal_word(it);
	if (!it->ok)
		return;
	v->evaluated = 1;
	v->nreqs = it->res.nreqs;
	v->reqs = arena_alloc(&x->a, ((size_t)v->nreqs + 1) * sizeof *v->reqs);
	for (i = 0; i < v->nreqs; i++) {
		v->reqs[i].id = intern(x, it->res.reqs[i].id);
		v->reqs[i].word = it->res.reqs[i].met ? W_MET : W_UNMET;
	}
}

/* Pass one: the old rules' verdict of each active endorsement. */
static void
collect_old(void *arg, const struct life_item *it)
{
	struct ictx	*x = arg;
	struct verdict	 v;
	struct ritem	*ri;
	int		 i;

	if (it->state != ENDORSEMENT_ACTIVE)
		return;
	arena_reset(&x->a);
	item_verdict(x, it, &v);
	if (x->nitems == x->maxitems) {
		x->maxitems = x->maxitems == 0 ? 256 : x->maxitems * 2;
		x->items = xreallocarray(x->items, (size_t)x->maxitems,
		    sizeof *x->items);
	}
	ri = &x->items[x->nitems++];
	ri->id = it->id;
	ri->word = v.word;
	ri->evaluated = v.evaluated;
	ri->r0 = x->npool;
	ri->nr = v.nreqs;
	if (x->npool + v.nreqs > x->maxpool) {
		while (x->npool + v.nreqs > x->maxpool)
			x->maxpool = x->maxpool == 0 ? 1024 : x->maxpool * 2;
		x->pool = xreallocarray(x->pool, (size_t)x->maxpool,
		    sizeof *x->pool);
	}
	for (i = 0; i < v.nreqs; i++)
		x->pool[x->npool++] = v.reqs[i];
}

static void
ritem_verdict(struct ictx *x, const struct ritem *ri, struct verdict *v)
{
	memset(v, 0, sizeof *v);
	v->word = ri->word;
	v->evaluated = ri->evaluated;
	v->reqs = x->pool + ri->r0;
	v->nreqs = ri->nr;
}

/* A renewal whose verdict changed, named from the store. */
static void
renewal_move(struct ictx *x, int64_t id, const struct verdict *vo,
    const struct verdict *vn)
{
	struct dbq			*st = db_stmt(S_ENDORSEMENT_GET);
	struct row_endorsement_get	 e;
	json_t				*m;

	db_bind_int(st, "$id", id);
	if (row_endorsement_get(st, NULL, &e) != DB_ROW) {
		db_reset(st);
		return;
	}
	m = json_pack("{s:s, s:s?, s:s, s:s, s:s, s:s}", "endorsement",
	    e.number, "name", e.name, "association", e.association,
	    "category", e.category, "old", vo->word, "new", vn->word);
	db_reset(st);
	json_object_set_new(m, "old_cycle", x->cyc_old != 0 ?
	    json_integer(x->cyc_old) : json_null());
	json_object_set_new(m, "new_cycle", x->cyc_new != 0 ?
	    json_integer(x->cyc_new) : json_null());
	json_object_set_new(m, "changed", changed(vo, vn));
	if (x->nrmoves == x->maxrmoves) {
		x->maxrmoves = x->maxrmoves == 0 ? 64 : x->maxrmoves * 2;
		x->rmoves = xreallocarray(x->rmoves, (size_t)x->maxrmoves,
		    sizeof *x->rmoves);
	}
	x->rmoves[x->nrmoves++] = m;
}

static const struct ritem *
ritem_find(struct ictx *x, int64_t id)
{
	int	 i;

	/* Both passes read one snapshot in one order: the next item is the
	   one, unless the old side had no rules (no items at all). */
	if (x->next < x->nitems && x->items[x->next].id == id)
		return &x->items[x->next++];
	for (i = 0; i < x->nitems; i++)
		if (x->items[i].id == id)
			return &x->items[i];
	return NULL;
}

/* Pass two: the new rules' verdict, compared. */
static void
compare_new(void *arg, const struct life_item *it)
{
	struct ictx		*x = arg;
	const struct ritem	*ri;
	struct verdict		 vo, vn;

	if (it->state != ENDORSEMENT_ACTIVE)
		return;
	arena_reset(&x->a);
	x->nrenewals++;
	item_verdict(x, it, &vn);
	if (x->cyc_old != 0 && (ri = ritem_find(x, it->id)) != NULL)
		ritem_verdict(x, ri, &vo);
	else {
		memset(&vo, 0, sizeof vo);
		vo.word = V_NO_RULES;
	}
	if (strcmp(vo.word, vn.word) != 0)
		renewal_move(x, it->id, &vo, &vn);
}

/*
 * The current renewal cycle of each side (life_cycle: the one whose
 * December 31 is on or after today), every active endorsement judged by
 * both.  A side without the rule set or its renewal block: no rules.
 */
static int
impact_renewals(struct ictx *x)
{
	struct verdict	 vo, vn;
	int		 i;

	x->cyc_old = x->rs_old != NULL ? life_cycle(x->rs_old, x->today) : 0;
	x->cyc_new = x->rs_new != NULL ? life_cycle(x->rs_new, x->today) : 0;
	x->nitems = x->npool = x->next = 0;
	if (x->cyc_old == 0 && x->cyc_new == 0)
		return 0;
	if (x->cyc_old != 0 && life_scan_rules(x->rs_old, 0, x->cyc_old,
	    x->today, DATE_NONE, 0, collect_old, x) < 0)
		return -1;
	if (x->cyc_new != 0)
		return life_scan_rules(x->rs_new, 0, x->cyc_new, x->today,
		    DATE_NONE, 0, compare_new, x) < 0 ? -1 : 0;
	/* The new side has no renewal rules: every one moves to none. */
	memset(&vn, 0, sizeof vn);
	vn.word = V_NO_RULES;
	for (i = 0; i < x->nitems; i++) {
		x->nrenewals++;
		ritem_verdict(x, &x->items[i], &vo);
		if (strcmp(vo.word, vn.word) != 0)
			renewal_move(x, x->items[i].id, &vo, &vn);
	}
	return 0;
}

static int
by_number(const void *a, const void *b)
{
	json_t *const	*x = a, *const *y = b;
	int		 c;

	c = strcmp(json_string_value(json_object_get(*x, "association")),
	    json_string_value(json_object_get(*y, "association")));
	if (c != 0)
		return c;
	return strcmp(json_string_value(json_object_get(*x, "endorsement")),
	    json_string_value(json_object_get(*y, "endorsement")));
}

static int
by_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ------------------------------------------------------------- the run */

json_t *
impact_run(const struct ruleset *const *old, int nold,
    const struct ruleset *const *new, int nnew, int32_t today, char **cause)
{
	struct ictx	 x;
	const char	**assocs;
	json_t		*doc, *av, *rv, *list;
	char		 d[11];
	int		 i, j, n = 0, rc = 0;

	*cause = NULL;
	memset(&x, 0, sizeof x);
	x.today = today;
	arena_init(&x.a);
	x.apps = json_array();

	/* Every association of either side, in the order of their ids. */
	assocs = xcalloc((size_t)nold + (size_t)nnew + 1, sizeof *assocs);
	for (i = 0; i < nold + nnew; i++) {
		const char *id = i < nold ? old[i]->id : new[i - nold]->id;
		for (j = 0; j < n; j++)
			if (strcmp(assocs[j], id) == 0)
				break;
		if (j == n)
			assocs[n++] = id;
	}
	qsort(assocs, (size_t)n, sizeof *assocs, by_id);
	list = json_array();
	for (i = 0; i < n && rc == 0; i++) {
		x.rs_old = find(old, nold, assocs[i]);
		x.rs_new = find(new, nnew, assocs[i]);
		json_array_append_new(list, json_pack("{s:s, s:s?, s:s?}", "id",
		    assocs[i], "old", x.rs_old != NULL ? x.rs_old->file : NULL,
		    "new", x.rs_new != NULL ? x.rs_new->file : NULL));
		if ((rc = impact_apps(&x, assocs[i])) != 0)
			xasprintf(cause, "%s: the applications could not be "
			    "read", assocs[i]);
		else if ((rc = impact_renewals(&x)) != 0)
			xasprintf(cause, "%s: the endorsements could not be "
			    "read", assocs[i]);
	}
	free(assocs);
	arena_free(&x.a);
	free(x.items);
	free(x.pool);
	for (i = 0; i < x.nids; i++)
		free(x.ids[i]);
	free(x.ids);
	if (rc != 0) {
		for (i = 0; i < x.nrmoves; i++)
			json_decref(x.rmoves[i]);
		free(x.rmoves);
		json_decref(x.apps);
		json_decref(list);
		return NULL;
	}
	if (x.nrmoves > 1)
		qsort(x.rmoves, (size_t)x.nrmoves, sizeof *x.rmoves, by_number);
	rv = json_array();
	for (i = 0; i < x.nrmoves; i++)
		json_array_append_new(rv, x.rmoves[i]);
	free(x.rmoves);
	av = x.apps;
	date_format(today, d);
	doc = json_pack("{s:s, s:s, s:o, s:{s:i, s:i}, s:o, s:o, s:{s:i, "
	    "s:i}}", "format", "endorse-impact/1", "as_of", d, "associations",
	    list, "evaluated", "applications", x.napps, "renewals",
	    x.nrenewals, "applications", av, "renewals", rv, "moved",
	    "applications", (int)json_array_size(av), "renewals",
	    (int)json_array_size(rv));
	json_object_set_new(doc, "summary", json_string(impact_summary(doc)));
	return doc;
}

const char *
impact_summary(json_t *doc)
{
	static _Thread_local char	 s[96];
	json_t				*m = json_object_get(doc, "moved");

	snprintf(s, sizeof s, "%lld applications and %lld renewals change "
	    "verdict", (long long)json_integer_value(json_object_get(m,
	    "applications")), (long long)json_integer_value(json_object_get(m,
	    "renewals")));
	return s;
}

/* The requirement ids of a move: "training", "+new.id", "-gone.id". */
void
impact_ids(json_t *move, struct buf *b)
{
	json_t		*c;
	size_t		 i;

	json_array_foreach(json_object_get(move, "changed"), i, c)
		buf_printf(b, "%s%s%s", i > 0 ? ", " : "",
		    json_is_null(json_object_get(c, "old")) ? "+" :
		    json_is_null(json_object_get(c, "new")) ? "-" : "",
		    json_string_value(json_object_get(c, "id")));
}

/*
 * One line each, tab-separated: "application ID" or "renewal NUMBER",
 * name, association, category, "OLD -> NEW", the requirement ids; then
 * the summary.
 */
void
impact_text(FILE *f, json_t *doc)
{
	json_t		*m;
	struct buf	 b;
	size_t		 i;
	int		 k;

	for (k = 0; k < 2; k++)
		json_array_foreach(json_object_get(doc, k == 0 ?
		    "applications" : "renewals"), i, m) {
			buf_init(&b);
			impact_ids(m, &b);
			if (k == 0)
				fprintf(f, "application %lld",
				    (long long)json_integer_value(
				    json_object_get(m, "id")));
			else
				fprintf(f, "renewal %s", json_string_value(
				    json_object_get(m, "endorsement")));
			fprintf(f, "\t%s\t%s\t%s\t%s -> %s\t%s\n",
			    json_is_string(json_object_get(m, "name")) ?
			    json_string_value(json_object_get(m, "name")) : "",
			    json_string_value(json_object_get(m,
			    "association")), json_string_value(
			    json_object_get(m, "category")), json_string_value(
			    json_object_get(m, "old")), json_string_value(
			    json_object_get(m, "new")), b.s != NULL ? b.s : "");
			buf_free(&b);
		}
	fprintf(f, "%s\n", json_string_value(json_object_get(doc, "summary")));
}

/* ------------------------------------------------- installed versions */

void
impact_sha256(const char *text, size_t len, char out[65])
{
	unsigned char	 h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/*
 * One rule file as the program starts with it: recorded when it is the
 * association's first, or when its hash is not the last one recorded;
 * then the change from that last one is judged (impact_run over the
 * association, the previous text read again) and kept with it.  Two
 * processes starting at once record a change once: the write checks the
 * last version again.  0, 1 when a change was recorded (*doc: its
 * document), -1 with *cause.
 */
static int
record_one(const struct rules_file *rf, int32_t today, json_t **doc,
    char **cause)
{
	struct dbq		*st;
	struct row_rulev_last	 rv;
	const struct ruleset	*o1[1], *n1[1];
	struct ruleset		*old = NULL;
	char			 hash[65], *file = NULL, *why = NULL, *text;
	char			*last = NULL, *impact;
	int64_t			 last_id = 0, new_id;
	json_t			*d = NULL;
	struct arena		 a;

	*doc = NULL;
	arena_init(&a);
	impact_sha256(rf->text, rf->len, hash);
	if (db_begin_read() != 0)
		goto db;
	st = db_stmt(S_RULEV_LAST);
	db_bind_text(st, "$assoc", rf->rs->id);
	if (row_rulev_last(st, &a, &rv) == DB_ROW) {
		last_id = rv.id;
		last = rv.sha256;
		text = rv.text;
		if (last != NULL && strcmp(last, hash) != 0) {
			/* The previous version, read again as it was. */
			xasprintf(&file, "%s (the previous version, %.8s)",
			    rf->rs->file, last);
			old = rules_parse(file, text != NULL ? text : "",
			    text != NULL ? strlen(text) : 0, &why);
		}
	}
	db_reset(st);
	if (last != NULL && strcmp(last, hash) == 0) {
		db_commit();
		arena_free(&a);
		return 0;
	}
	if (last != NULL && old != NULL) {
		o1[0] = old;
		n1[0] = rf->rs;
		if ((d = impact_run(o1, 1, n1, 1, today, &why)) == NULL)
			d = json_pack("{s:s}", "error", why);
	} else if (last != NULL)
		d = json_pack("{s:s}", "error", why);
	db_commit();
	free(why);
	rules_free(old);
	free(file);

	if (db_begin() != 0)
		goto db;
	st = db_stmt(S_RULEV_LAST);
	db_bind_text(st, "$assoc", rf->rs->id);
	if (row_rulev_last(st, NULL, &rv) == DB_ROW ? rv.id != last_id :
	    last_id != 0) {
		/* Another process recorded it meanwhile. */
		db_reset(st);
		db_rollback();
		json_decref(d);
		arena_free(&a);
		return 0;
	}
	db_reset(st);
	st = db_stmt(S_RULEV_INSERT);
	db_bind_text(st, "$assoc", rf->rs->id);
	db_bind_text(st, "$sha256", hash);
	db_bind_text(st, "$text", rf->text);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	new_id = db_last_id();
	if (d != NULL) {
		impact = json_dumps(d, JSON_COMPACT);
		st = db_stmt(S_RULE_CHANGE_INSERT);
		db_bind_text(st, "$assoc", rf->rs->id);
		db_bind_int(st, "$old", last_id);
		db_bind_int(st, "$new", new_id);
		db_bind_int(st, "$now", db_now());
		db_bind_int(st, "$apps", json_integer_value(json_object_get(
		    json_object_get(d, "moved"), "applications")));
		db_bind_int(st, "$renewals", json_integer_value(json_object_get(
		    json_object_get(d, "moved"), "renewals")));
		db_bind_text(st, "$impact", impact != NULL ? impact : "{}");
		free(impact);
		if (db_exec(st) != 0)
			goto fail;
	}
	if (db_commit() != 0)
		goto fail;
	arena_free(&a);
	*doc = d;
	return d != NULL ? 1 : 0;
fail:
	db_rollback();
db:
	json_decref(d);
	arena_free(&a);
	xasprintf(cause, "%s: the rule version could not be recorded",
	    rf->rs->id);
	return -1;
}

int
impact_record(const struct rules_file *files, int n, int32_t today,
    char **cause)
{
	json_t		*d;
	const char	*err;
	int		 i, rc;

	*cause = NULL;
	for (i = 0; i < n; i++) {
		if ((rc = record_one(&files[i], today, &d, cause)) < 0)
			return -1;
		if (rc == 0)
			continue;
		if ((err = json_string_value(json_object_get(d, "error"))) !=
		    NULL)
			printf("rules of %s changed; whom it moves is not "
			    "known: %s\n", files[i].rs->id, err);
		else
			printf("rules of %s changed: %s (/coordinator/rules)\n",
			    files[i].rs->id, json_string_value(
			    json_object_get(d, "summary")));
		json_decref(d);
	}
	fflush(stdout);
	return 0;
}

/* ------------------------------------------- the recorded changes, read */

int
impact_version_last(struct arena *a, const char *assoc, char **sha,
    int64_t *at)
{
	struct dbq		*st = db_stmt(S_RULEV_LAST);
	struct row_rulev_last	 rv;
	int			 found = 0;

	db_bind_text(st, "$assoc", assoc);
	if (row_rulev_last(st, a, &rv) == DB_ROW) {
		*sha = rv.sha256;
		*at = rv.installed_at;
		found = 1;
	}
	db_reset(st);
	return found;
}

int
impact_change_get(struct arena *a, const char *assoc, int64_t id,
    struct rule_change *c)
{
	struct dbq			*st = db_stmt(S_RULE_CHANGE_GET);
	struct row_rule_change_get	 g;
	int				 found = 0;

	db_bind_text(st, "$assoc", assoc);
	if (id > 0)
		db_bind_int(st, "$id", id);
	else
		db_bind_null(st, "$id");
	if (row_rule_change_get(st, a, &g) == DB_ROW) {
		c->id = g.id;
		c->at = g.at;
		c->old_sha = g.old_sha256;
		c->new_sha = g.new_sha256;
		c->applications = (int)g.applications;
		c->renewals = (int)g.renewals;
		c->impact = g.impact;
		found = 1;
	}
	db_reset(st);
	return found;
}

int
impact_change_list(struct arena *a, const char *assoc,
    struct rule_change **out)
{
	struct dbq			*st = db_stmt(S_RULE_CHANGE_LIST);
	struct row_rule_change_list	 l;
	struct rule_change		*v;
	int				 n = 0;

	/* The statement's LIMIT is 100. */
	v = arena_alloc(a, 100 * sizeof *v);
	db_bind_text(st, "$assoc", assoc);
	while (n < 100 && row_rule_change_list(st, a, &l) == DB_ROW) {
		v[n].id = l.id;
		v[n].at = l.at;
		v[n].old_sha = l.old_sha256;
		v[n].new_sha = l.new_sha256;
		v[n].applications = (int)l.applications;
		v[n].renewals = (int)l.renewals;
		v[n].impact = NULL;
		n++;
	}
	db_reset(st);
	*out = v;
	return n;
}
