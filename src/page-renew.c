/*
 * The endorsee's pages: the log that serves every endorsement they hold
 * in an association, each endorsement's renewal for the current cycle
 * (lifecycle.c, by the engine of `endorse renewal`), attestation,
 * evidence for an audit, inactive status and reinstatement.  And the
 * coordinator's: who renewed and who has not, closing the window, the
 * audit draw and its decisions, reinstatements.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "banned.h"

#define MAX_LOG_ENTRIES	5000

static const char *
rstatus_words(const char *s)
{
	if (s == NULL)
		return "not renewed yet";
	if (strcmp(s, "attested") == 0)
		return "renewed (attested)";
	if (strcmp(s, "audit") == 0)
		return "attested, drawn for audit: evidence asked for";
	if (strcmp(s, "cure") == 0)
		return "audit failed: to be put right";
	if (strcmp(s, "renewed") == 0)
		return "renewed";
	if (strcmp(s, "lapsed") == 0)
		return "not renewed: lapsed";
	return s;
}

/* An endorsement of the caller; 0, or an answer was sent. */
struct endo {
	int64_t		 id, account;
	char		*number, *assoc, *category, *since, *status;
	char		*emerging_until, *changed, *name, *email;
};

static int
endo_get(struct req *r, int64_t id, struct endo *e)
{
	struct dbq	*st = db_stmt(S_ENDORSEMENT_GET);
	int		 found;

	memset(e, 0, sizeof *e);
	db_bind_int(st, "$id", id);
	if ((found = db_step(st) == DB_ROW)) {
		e->id = id;
		e->number = db_text(&r->arena, st, 1);
		e->account = db_col_int64(st, 2);
		e->assoc = db_text(&r->arena, st, 3);
		e->category = db_text(&r->arena, st, 4);
		e->since = db_text(&r->arena, st, 5);
		e->status = db_text(&r->arena, st, 6);
		e->emerging_until = db_text(&r->arena, st, 7);
		e->changed = db_text(&r->arena, st, 8);
		e->name = db_text(&r->arena, st, 9);
		e->email = db_text(&r->arena, st, 10);
	}
	/* An endorsement whose account was deleted belongs to no one. */
	if (found && db_col_null(st, 2))
		found = 0;
	db_reset(st);
	return found ? 0 : -1;
}

/* The associations the caller holds endorsements of (at most max). */
static int
held_assocs(struct req *r, char **assocs, int max)
{
	struct dbq	*st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
	const char	*a;
	int		 n = 0, j;

	db_bind_int(st, "$account", r->user.id);
	while (db_step(st) == DB_ROW && n < max) {
		a = (const char *)db_col_text(st, 2);
		for (j = 0; j < n && strcmp(assocs[j], a) != 0; j++)
			continue;
		if (j == n)
			assocs[n++] = arena_strdup(&r->arena, a);
	}
	db_reset(st);
	return n;
}

/* The caller's own endorsement, or 404 (never saying whose it is). */
static int
endo_mine(struct req *r, int64_t id, struct endo *e)
{
	if (endo_get(r, id, e) != 0 || e->account != r->user.id) {
		view_error(r, 404, "there is no such endorsement of yours");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------ the endorsee */

struct page_ctx {
	struct req	*r;
	json_t		*list;		/* the endorsements' views */
	json_t		*summaries[2];	/* training, rsc_received by index */
	const struct ruleset *rs;
	int		 in_window, closed;
};

/* "training[3]" -> the entry's summary, so a reason names the entry. */
static void
label_excluded(struct page_ctx *c, json_t *reqs)
{
	json_t		*rq, *ex, *s;
	size_t		 i, j;
	const char	*name;
	long		 k;

	json_array_foreach(reqs, i, rq) {
		json_array_foreach(json_object_get(rq, "excluded"), j, ex) {
			name = json_string_value(json_object_get(ex, "entry"));
			if (name == NULL)
				continue;
			if (strncmp(name, "training[", 9) == 0) {
				k = strtol(name + 9, NULL, 10);
				s = json_array_get(c->summaries[0], (size_t)k);
			} else if (strncmp(name, "rsc_received[", 13) == 0) {
				k = strtol(name + 13, NULL, 10);
				s = json_array_get(c->summaries[1], (size_t)k);
			} else
				s = NULL;
			if (s != NULL)
				json_object_set(ex, "entry", s);
		}
	}
}

static json_t *
audit_items(int64_t renewal)
{
	json_t		*items = json_array(), *e;
	struct dbq	*st = db_stmt(S_ITEM_LIST);
	const struct kdef *kd;
	char		 line[256];

	db_bind_int(st, "$renewal", renewal);
	while (db_step(st) == DB_ROW) {
		kd = kind_find((const char *)db_col_text(st, 3));
		e = json_loads((const char *)db_col_text(st, 4), 0,
		    NULL);
		if (kd == NULL || e == NULL) {
			json_decref(e);
			continue;
		}
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:b, s:b, s:b, s:s?}", "entry", (json_int_t)
		    db_col_int64(st, 0), "summary", form_summary(kd, e,
		    line, sizeof line), "status", (const char *)
		    db_col_text(st, 1), "note", (const char *)
		    db_col_text(st, 2), "pending", strcmp((const char *)
		    db_col_text(st, 1), "pending") == 0, "rejected",
		    strcmp((const char *)db_col_text(st, 1),
		    "rejected") == 0, "accepted", strcmp((const char *)
		    db_col_text(st, 1), "accepted") == 0, "file",
		    (const char *)db_col_text(st, 5)));
		json_decref(e);
	}
	db_reset(st);
	return items;
}

static void
page_item(void *arg, const struct life_item *it)
{
	struct page_ctx			*c = arg;
	const struct renewal_policy	*rp = &c->rs->renewal;
	json_t				*o, *res = NULL;
	int				 active;

	active = strcmp(it->status, "active") == 0;
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:b, s:s, s:s?}",
	    "id", (json_int_t)it->id, "number", it->number, "category",
	    it->category, "title", web_category_title(c->rs->id, it->category),
	    "status", it->status, "emerging_until", it->emerging_until,
	    "active", active, "rwords", rstatus_words(it->rstatus), "cure_by",
	    it->cure_by);
	if (it->ok) {
		res = view_checklist(report_renewal_object(&it->res));
		label_excluded(c, json_object_get(res, "requirements"));
		json_object_set_new(o, "renewal", res);
		json_object_set_new(o, "required",
		    json_boolean(it->res.required));
		json_object_set_new(o, "met", json_boolean(it->res.met));
		json_object_set_new(o, "years",
		    json_integer(it->res.years));
	} else
		json_object_set_new(o, "problem", json_string(it->cause));
	json_object_set_new(o, "can_attest", json_boolean(active && it->ok &&
	    it->res.required && it->rstatus == NULL && c->in_window &&
	    !c->closed));
	json_object_set_new(o, "attest_blocked", json_boolean(active &&
	    it->ok && it->res.required && !it->res.met &&
	    it->rstatus == NULL && c->in_window && !c->closed));
	if (it->renewal != 0 && it->rstatus != NULL &&
	    (strcmp(it->rstatus, "audit") == 0 ||
	    strcmp(it->rstatus, "cure") == 0)) {
		json_object_set_new(o, "audit", json_true());
		json_object_set_new(o, "items", audit_items(it->renewal));
	}
	json_object_set_new(o, "can_inactive", json_boolean(active &&
	    rp->inactive));
	if (!active && strcmp(it->status, "revoked") != 0 &&
	    rp->reinstate_months > 0) {
		json_object_set_new(o, "can_reinstate", json_true());
		json_object_set_new(o, "reinstate_fee",
		    json_integer(rp->reinstate_fee));
	}
	json_array_append_new(c->list, o);
}

#define MAX_CYCLES	64

/* The cycles an account attested or renewed in an association. */
static int
attested_cycles(int64_t account, const char *assoc, int *out)
{
	struct dbq	*st = db_stmt(S_RENEWAL_CYCLES_OF);
	int		 n = 0;

	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	while (n < MAX_CYCLES && db_step(st) == DB_ROW)
		out[n++] = db_col_int(st, 0);
	db_reset(st);
	return n;
}

/*
 * Why a log entry cannot change, or NULL: it is under an open audit, or
 * it is dated in one of the cycles the endorsee attested (the
 * attestation was made on it).  New entries can always be added.
 */
static const char *
entry_lock(const char *assoc, int64_t entry, int32_t start,
    const int *cycles, int ncycles)
{
	const struct ruleset	*rs = web_rules(assoc);
	struct dbq		*st;
	const char		*why = NULL;
	int			 i;

	st = db_stmt(S_ITEM_OF_ENTRY);
	db_bind_int(st, "$entry", entry);
	if (db_step(st) == DB_ROW)
		why = "under audit";
	db_reset(st);
	for (i = 0; why == NULL && rs != NULL && i < ncycles; i++)
		if (start >= date_from_ymd(cycles[i] -
		    rs->renewal.cycle_years + 1, 1, 1) &&
		    start <= date_from_ymd(cycles[i], 12, 31))
			why = "attested for a renewal";
	return why;
}

/* The entries of one association's log, and their summaries by index
   in the order the evaluation reads them. */
static json_t *
log_entries(int64_t account, const char *assoc,
    json_t *summaries[2])
{
	json_t		*list = json_array(), *e;
	struct dbq	*st;
	const struct kdef *kd;
	char		 line[256];
	int64_t		 id;
	size_t		 idx;
	int		 cycles[MAX_CYCLES], ncycles;

	summaries[0] = json_array();
	summaries[1] = json_array();
	st = db_stmt(S_LOG_EXPORT);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$account", account);
	while (db_step(st) == DB_ROW) {
		const char *kind = (const char *)db_col_text(st, 1);
		kd = kind_find(kind);
		e = json_loads((const char *)db_col_text(st, 3), 0,
		    NULL);
		if (kd == NULL || e == NULL) {
			json_decref(e);
			continue;
		}
		json_array_append_new(summaries[kind[0] == 't' ? 0 : 1],
		    json_string(form_summary(kd, e, line, sizeof line)));
		json_decref(e);
	}
	db_reset(st);
	st = db_stmt(S_LOG_LIST);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	while (db_step(st) == DB_ROW) {
		kd = kind_find((const char *)db_col_text(st, 1));
		e = json_loads((const char *)db_col_text(st, 2), 0,
		    NULL);
		if (kd == NULL || e == NULL) {
			json_decref(e);
			continue;
		}
		id = db_col_int64(st, 0);
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s?, "
		    "s:I}", "id", (json_int_t)id, "kind", kd->title, "summary",
		    form_summary(kd, e, line, sizeof line), "file",
		    (const char *)db_col_text(st, 4), "start",
		    (json_int_t)db_col_int64(st, 3)));
		json_decref(e);
	}
	db_reset(st);
	/* Entries under audit or attested are not changed. */
	ncycles = attested_cycles(account, assoc, cycles);
	json_array_foreach(list, idx, e) {
		const char *why = entry_lock(assoc,
		    json_integer_value(json_object_get(e, "id")),
		    (int32_t)json_integer_value(json_object_get(e, "start")),
		    cycles, ncycles);
		if (why != NULL)
			json_object_set_new(e, "locked", json_string(why));
	}
	return list;
}

/* The renewal page, with a problem to show (an attestation refused). */
static void
renewal_page(struct req *r, int status, const char *problem)
{
	json_t		*v = json_object(), *groups = json_array(), *g;
	char		*assocs[16], od[11], cd[11];
	int		 n = 0, i, cycle;
	int32_t		 today = web_today(), open, close;
	struct page_ctx	 c;

	n = held_assocs(r, assocs, 16);
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof c);
		c.r = r;
		if ((c.rs = web_rules(assocs[i])) == NULL ||
		    !c.rs->renewal.defined)
			continue;
		cycle = life_cycle(c.rs, today);
		life_window(c.rs, cycle, &open, &close);
		date_format(open, od);
		date_format(close, cd);
		c.closed = life_closed(assocs[i], cycle, NULL);
		c.in_window = today >= open && today <= close;
		c.list = json_array();
		g = json_pack("{s:s, s:s, s:i, s:s, s:s, s:b, s:b, s:b}",
		    "assoc", assocs[i], "association",
		    web_assoc_name(assocs[i]), "cycle", cycle, "open", od,
		    "close", cd, "in_window", c.in_window, "closed", c.closed,
		    "before", today < open);
		json_object_set_new(g, "entries", log_entries(r->user.id,
		    assocs[i], c.summaries));
		life_scan(assocs[i], r->user.id, cycle, today, DATE_NONE, 0,
		    page_item, &c);
		json_object_set_new(g, "endorsements", c.list);
		json_decref(c.summaries[0]);
		json_decref(c.summaries[1]);
		json_array_append_new(groups, g);
	}
	json_object_set_new(v, "groups", groups);
	json_object_set_new(v, "n_groups", json_integer(
	    (json_int_t)json_array_size(groups)));
	if (problem != NULL)
		json_object_set_new(v, "problem", json_string(problem));
	view_page(r, status, "renew/renewal", "Renewal", v);
}

void
page_renewal(struct req *r)
{
	renewal_page(r, 200, NULL);
}

/* Whether the caller holds an endorsement of the association. */
static int
holds_in(struct req *r, const char *assoc)
{
	char	*assocs[16];
	int	 n = held_assocs(r, assocs, 16), i;

	for (i = 0; i < n; i++)
		if (strcmp(assocs[i], assoc) == 0)
			return 1;
	return 0;
}

/* An entry added during an audit of its cycle is part of the audit. */
static int
join_open_audits(struct req *r, const char *assoc, int64_t entry,
    int32_t start)
{
	const struct ruleset	*rs = web_rules(assoc);
	struct dbq		*st, *ins;
	int			 cycle, rc = 0;

	st = db_stmt(S_RENEWAL_OPEN_OF);
	db_bind_int(st, "$account", r->user.id);
	db_bind_text(st, "$assoc", assoc);
	while (rc == 0 && db_step(st) == DB_ROW) {
		cycle = db_col_int(st, 1);
		if (rs == NULL || start < date_from_ymd(cycle -
		    rs->renewal.cycle_years + 1, 1, 1) ||
		    start > date_from_ymd(cycle, 12, 31))
			continue;
		ins = db_stmt(S_ITEM_INSERT);
		db_bind_int(ins, "$renewal", db_col_int64(st, 0));
		db_bind_int(ins, "$entry", entry);
		rc = db_exec(ins);
	}
	db_reset(st);
	return rc;
}

/* The entries of the user's log in an association. */
static int
log_count(struct req *r, const char *assoc)
{
	struct dbq	*st = db_stmt(S_LOG_LIST);
	int		 n = 0;

	db_bind_int(st, "$account", r->user.id);
	db_bind_text(st, "$assoc", assoc);
	while (db_step(st) == DB_ROW)
		n++;
	db_reset(st);
	return n;
}

/*
 * Store a log entry (a new one, or id's new text).  0; -1 with *why; -2
 * with *why when the log is full (nothing stored either way).
 */
static int
log_store(struct req *r, const char *assoc, const struct kdef *kd,
    json_t *e, int64_t id, int64_t *out, const char **why)
{
	struct life_cols	 c;
	struct dbq		*st;
	char			*cause = NULL, *s;
	const char		*action = id == 0 ? "add" : "edit";
	int			 rc;

	if (life_columns(assoc, kd->kind, e, &c, &cause) != 0) {
		*why = arena_strdup(&r->arena, cause);
		free(cause);
		return -1;
	}
	s = json_dumps(e, JSON_COMPACT);
	if (db_begin() != 0) {
		free(s);
		*why = "the database is busy; try again";
		return -1;
	}
	/* Counted in the transaction that adds: saves at the same moment
	   cannot pass the cap together. */
	if (id == 0 && log_count(r, assoc) >= MAX_LOG_ENTRIES) {
		db_rollback();
		free(s);
		*why = "the log holds its most entries";
		return -2;
	}
	st = db_stmt(id == 0 ? S_LOG_INSERT : S_LOG_UPDATE);
	db_bind_int(st, "$account", r->user.id);
	db_bind_text(st, "$data", s);
	life_bind_cols(st, kd->kind, &c);
	if (id == 0) {
		db_bind_text(st, "$assoc", assoc);
		db_bind_text(st, "$kind", kd->kind);
		db_bind_int(st, "$now", db_now());
	} else
		db_bind_int(st, "$id", id);
	rc = db_exec(st);
	free(s);
	if (rc == 0 && id == 0) {
		id = db_last_id();
		rc = join_open_audits(r, assoc, id, c.start);
	}
	if (rc == 0)
		rc = audit_log(r, "log_entry", id, action,
		    json_pack("{s:s, s:s}", "association", assoc, "kind",
		    kd->kind));
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		*why = "the entry could not be stored";
		return -1;
	}
	*out = id;
	return 0;
}

/* The field a reader's message names ("hours: ..."), if the kind has it;
   else def. */
static const char *
why_field(struct req *r, const struct kdef *kd, const char *why,
    const char *def)
{
	const char	*colon = strchr(why, ':');
	int		 i;

	if (colon == NULL)
		return def;
	for (i = 0; i < kd->nfields; i++)
		if (strlen(kd->fields[i].name) == (size_t)(colon - why) &&
		    strncmp(kd->fields[i].name, why, (size_t)(colon - why)) ==
		    0)
			return arena_strdup(&r->arena, kd->fields[i].name);
	return def;
}

struct logent {
	int64_t			 id;
	char			*assoc;
	const struct kdef	*kd;
	json_t			*data;
	const char		*locked;	/* why it cannot change */
};

/* The caller's log entry, or 404. */
static int
logent_mine(struct req *r, int64_t id, struct logent *le)
{
	struct dbq	*st = db_stmt(S_LOG_GET);
	int		 ok = 0, cycles[MAX_CYCLES], n;
	int32_t		 start = 0;

	memset(le, 0, sizeof *le);
	db_bind_int(st, "$id", id);
	if (db_step(st) == DB_ROW &&
	    db_col_int64(st, 1) == r->user.id) {
		le->id = id;
		le->assoc = db_text(&r->arena, st, 2);
		le->kd = kind_find((const char *)db_col_text(st, 3));
		le->data = json_loads((const char *)db_col_text(st,
		    4), 0, NULL);
		start = (int32_t)db_col_int64(st, 5);
		ok = le->kd != NULL && le->data != NULL;
	}
	db_reset(st);
	if (!ok) {
		json_decref(le->data);
		view_error(r, 404, "there is no such entry in your log");
		return -1;
	}
	n = attested_cycles(r->user.id, le->assoc, cycles);
	le->locked = entry_lock(le->assoc, id, start, cycles, n);
	return 0;
}

static void
log_entry_page(struct req *r, struct logent *le, int status, json_t *data,
    json_t *errors)
{
	json_t	*v;

	v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:b}", "id",
	    (json_int_t)le->id, "one", le->kd->one, "kind", le->kd->kind,
	    "assoc", le->assoc, "association", web_assoc_name(le->assoc),
	    "fields", form_view(le->kd, data, errors, status == 400 ? r :
	    NULL), "locked", le->locked != NULL);
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors", json_integer(
		    (json_int_t)json_object_size(errors)));
	json_decref(errors);
	view_page(r, status, "renew/entry", le->id != 0 ? "Edit a log entry" :
	    "Log an entry", v);
}

void
page_log_add(struct req *r)
{
	const char		*assoc = req_form(r, "association");
	const char		*kind = req_form(r, "kind"), *why = NULL;
	const struct kdef	*kd;
	json_t			*errors, *e;
	int64_t			 id = 0;
	struct logent		 le;
	int			 rc;

	if (assoc == NULL || !holds_in(r, assoc)) {
		view_error(r, 400, "association: you hold no endorsement of "
		    "that association");
		return;
	}
	if (kind == NULL || (strcmp(kind, "training") != 0 &&
	    strcmp(kind, "rsc_received") != 0) ||
	    (kd = kind_find(kind)) == NULL) {
		view_error(r, 400, "kind: the log takes training or "
		    "rsc_received");
		return;
	}
	memset(&le, 0, sizeof le);
	le.assoc = (char *)assoc;
	le.kd = kd;
	errors = json_object();
	if ((e = form_entry(r, kd, errors)) == NULL) {
		log_entry_page(r, &le, 400, NULL, errors);
		return;
	}
	if ((rc = log_store(r, assoc, kd, e, 0, &id, &why)) == -2) {
		json_decref(e);
		json_decref(errors);
		view_error(r, 409, why);
		return;
	}
	if (rc != 0) {
		json_decref(e);
		json_object_set_new(errors, why_field(r, kd, why, "title"),
		    json_string(why));
		log_entry_page(r, &le, 400, e, errors);
		json_decref(e);
		return;
	}
	json_decref(e);
	json_decref(errors);
	reply_redirect(r, "/renewal#log-%s", assoc);
}


/* The form to log an entry: /renewal/log/new?association=ID&kind=KIND. */
void
page_log_new(struct req *r)
{
	const char	*assoc = req_query(r, "association");
	const char	*kind = req_query(r, "kind");
	struct logent	 le;
	json_t		*def;

	memset(&le, 0, sizeof le);
	if (assoc == NULL || !holds_in(r, assoc)) {
		view_error(r, 400, "association: you hold no endorsement of "
		    "that association");
		return;
	}
	if (kind == NULL || (strcmp(kind, "training") != 0 &&
	    strcmp(kind, "rsc_received") != 0)) {
		view_error(r, 400, "kind: the log takes training or "
		    "rsc_received");
		return;
	}
	le.assoc = (char *)assoc;
	le.kd = kind_find(kind);
	def = kind[0] == 't' ? json_pack("{s:s}", "role", "attended") :
	    json_pack("{s:s}", "focus", "practice");
	log_entry_page(r, &le, 200, def, NULL);
	json_decref(def);
}

void
page_log_edit(struct req *r)
{
	struct logent	 le;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	log_entry_page(r, &le, 200, le.data, NULL);
	json_decref(le.data);
}

void
page_log_save(struct req *r)
{
	struct logent	 le;
	json_t		*errors, *e;
	const char	*why = NULL;
	int64_t		 id = r->id;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	if (le.locked != NULL) {
		json_decref(le.data);
		view_error(r, 409, arena_printf(&r->arena, "this entry is %s: "
		    "it cannot be changed; upload evidence for it, or log "
		    "another entry", le.locked));
		return;
	}
	errors = json_object();
	if ((e = form_entry(r, le.kd, errors)) == NULL) {
		log_entry_page(r, &le, 400, le.data, errors);
		json_decref(le.data);
		return;
	}
	if (log_store(r, le.assoc, le.kd, e, r->id, &id, &why) != 0) {
		json_object_set_new(errors, why_field(r, le.kd, why, "title"),
		    json_string(why));
		log_entry_page(r, &le, 400, e, errors);
		json_decref(e);
		json_decref(le.data);
		return;
	}
	json_decref(errors);
	json_decref(e);
	json_decref(le.data);
	reply_redirect(r, "/renewal#log-%s", le.assoc);
}

void
page_log_delete(struct req *r)
{
	struct logent	 le;
	struct dbq	*st;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	json_decref(le.data);
	if (le.locked != NULL) {
		view_error(r, 409, arena_printf(&r->arena, "this entry is %s: "
		    "it cannot be deleted", le.locked));
		return;
	}
	if (db_begin() != 0)
		goto fail;
	st = db_stmt(S_LOG_DELETE);
	db_bind_int(st, "$id", le.id);
	db_bind_int(st, "$account", r->user.id);
	if (db_exec(st) != 0 || audit_log(r, "log_entry", le.id, "delete",
	    json_pack("{s:s}", "association", le.assoc)) != 0 ||
	    db_commit() != 0)
		goto fail;
	reply_redirect(r, "/renewal#log-%s", le.assoc);
	return;
fail:
	db_rollback();
	view_error(r, 500, "the entry could not be deleted");
}

/* PDF, PNG or JPEG, by their first bytes. */
static const char *
evidence_type(const char *s, size_t n)
{
	if (n >= 5 && memcmp(s, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(s, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(s, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	return NULL;
}

void
page_evidence_put(struct req *r)
{
	struct logent		 le;
	const struct field	*f;
	const char		*ctype = NULL, *base;
	struct dbq		*st;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	json_decref(le.data);
	f = req_file(r, "file");
	if (f == NULL || f->len == 0) {
		view_error(r, 400, "file: choose the file of the evidence (a "
		    "PDF, PNG or JPEG)");
		return;
	}
	if ((ctype = evidence_type(f->value, f->len)) == NULL) {
		view_error(r, 400, "file: the evidence must be a PDF, PNG or "
		    "JPEG file");
		return;
	}
	base = f->filename == NULL ? "" : strrchr(f->filename, '/') != NULL ?
	    strrchr(f->filename, '/') + 1 : f->filename;
	if (db_begin() != 0)
		goto fail;
	st = db_stmt(S_EVIDENCE_PUT);
	db_bind_int(st, "$entry", le.id);
	db_bind_text(st, "$filename", *base != '\0' && strlen(base) < 200 &&
	    utf8_ok((const unsigned char *)base, strlen(base)) ? base :
	    "evidence");
	db_bind_text(st, "$ctype", ctype);
	db_bind_int(st, "$size", (int64_t)f->len);
	db_bind_blob(st, "$content", f->value, f->len);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	/* New evidence for a rejected entry asks the coordinator again. */
	st = db_stmt(S_ITEM_REOPEN);
	db_bind_int(st, "$entry", le.id);
	if (db_exec(st) != 0 || audit_log(r, "log_entry", le.id, "evidence",
	    json_pack("{s:s, s:I}", "association", le.assoc, "size",
	    (json_int_t)f->len)) != 0 || db_commit() != 0)
		goto fail;
	reply_redirect(r, "/renewal#log-%s", le.assoc);
	return;
fail:
	db_rollback();
	view_error(r, 500, "the evidence could not be stored");
}

static void
evidence_send(struct req *r, int64_t entry)
{
	struct dbq	*st = db_stmt(S_EVIDENCE_GET);

	db_bind_int(st, "$entry", entry);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		view_error(r, 404, "no evidence has been uploaded for this "
		    "entry");
		return;
	}
	reply_header(r, "Content-Disposition", "attachment");
	reply_text(r, 200, arena_strdup(&r->arena, (const char *)
	    db_col_text(st, 1)), db_col_blob(st, 2),
	    (size_t)db_col_bytes(st, 2));
	db_reset(st);
}

void
page_evidence_get(struct req *r)
{
	struct logent	 le;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	json_decref(le.data);
	evidence_send(r, le.id);
}

void
page_attest(struct req *r)
{
	static const struct {
		const char	*name, *why;
	} boxes[] = {
		{ "hours", "hours: confirm the training and RSC you logged" },
		{ "ethics", "ethics: re-agree to the Code of Ethics" },
		{ "membership", "membership: confirm your membership is "
		    "active" },
	};
	const struct ruleset	*rs;
	struct endo		 e;
	struct dbq		*st;
	char			*short_by = NULL, *stmt, od[11], cd[11];
	int			 cycle, met, i, closed;
	int32_t			 today = web_today(), open, close;

	if (endo_mine(r, r->id, &e) != 0)
		return;
	if ((rs = web_rules(e.assoc)) == NULL || !rs->renewal.defined) {
		view_error(r, 409, "this association has no renewal rules");
		return;
	}
	if (strcmp(e.status, "active") != 0) {
		view_error(r, 409, "only an active endorsement is renewed");
		return;
	}
	for (i = 0; i < 3; i++)
		if (req_form(r, boxes[i].name) == NULL ||
		    strcmp(req_form(r, boxes[i].name), "yes") != 0) {
			renewal_page(r, 400, boxes[i].why);
			return;
		}
	cycle = life_cycle(rs, today);
	life_window(rs, cycle, &open, &close);
	date_format(open, od);
	date_format(close, cd);
	closed = life_closed(e.assoc, cycle, NULL);
	if (today < open || today > close || closed) {
		view_error(r, 409, arena_printf(&r->arena, "the %d renewal "
		    "window is %s (%s to %s)", cycle, closed ? "closed" :
		    today < open ? "not open yet" : "over", od, cd));
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	met = life_judge(e.assoc, r->user.id, e.id, cycle, today, DATE_NONE,
	    0, &r->arena, &short_by);
	if (met <= 0) {
		db_rollback();
		renewal_page(r, 409, met < 0 ?
		    "this endorsement cannot be judged" : arena_printf(
		    &r->arena, "%s cannot be renewed yet: %s", e.number,
		    short_by));
		return;
	}
	stmt = arena_printf(&r->arena, "{\"hours\":true,\"ethics\":true,"
	    "\"membership\":true,\"cycle\":%d}", cycle);
	st = db_stmt(S_RENEWAL_INSERT);
	db_bind_int(st, "$endorsement", e.id);
	db_bind_int(st, "$cycle", cycle);
	db_bind_text(st, "$status", "attested");
	db_bind_int(st, "$attested", db_now());
	db_bind_text(st, "$statement", stmt);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0) {
		db_rollback();
		view_error(r, 409, "this endorsement is already renewed for "
		    "this cycle");
		return;
	}
	if (audit_log(r, "renewal", db_last_id(), "attest", json_pack("{s:s, "
	    "s:i}", "number", e.number, "cycle", cycle)) != 0 ||
	    life_mail(e.assoc, e.email, arena_printf(&r->arena,
	    "%s renewed for %d", e.number, cycle), arena_printf(&r->arena,
	    "You attested the renewal of your %s endorsement %s for the %d "
	    "cycle.  Keep the evidence of the hours you logged: a sample of "
	    "renewals is audited.\n", e.category, e.number, cycle)) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		view_error(r, 500, "the renewal could not be stored");
		return;
	}
	reply_redirect(r, "/renewal");
}

void
page_inactive(struct req *r)
{
	const struct ruleset	*rs;
	struct endo		 e;
	struct dbq		*st;
	char			 today[11];

	if (endo_mine(r, r->id, &e) != 0)
		return;
	rs = web_rules(e.assoc);
	if (rs == NULL || !rs->renewal.inactive) {
		view_error(r, 409, arena_printf(&r->arena, "%s does not offer "
		    "inactive status", web_assoc_name(e.assoc)));
		return;
	}
	if (strcmp(e.status, "active") != 0) {
		view_error(r, 409, "only an active endorsement can become "
		    "inactive");
		return;
	}
	if (req_form(r, "confirm") == NULL ||
	    strcmp(req_form(r, "confirm"), "yes") != 0) {
		renewal_page(r, 400, "confirm: tick the box "
		    "to confirm you want inactive status");
		return;
	}
	date_format(web_today(), today);
	if (db_begin() != 0)
		goto fail;
	st = db_stmt(S_ENDORSEMENT_SET_STATUS);
	db_bind_text(st, "$status", "inactive");
	db_bind_text(st, "$changed", today);
	db_bind_int(st, "$id", e.id);
	if (db_exec(st) != 0 || audit_log(r, "endorsement", e.id, "inactive",
	    json_pack("{s:s}", "number", e.number)) != 0 ||
	    life_mail(e.assoc, e.email, arena_printf(&r->arena,
	    "%s is now inactive", e.number), arena_printf(&r->arena, "Your %s "
	    "endorsement %s is inactive from %s: it needs no renewal and the "
	    "registry shows it as inactive.  Ask for reinstatement when you "
	    "return.\n", e.category, e.number, today)) != 0 ||
	    db_commit() != 0)
		goto fail;
	reply_redirect(r, "/renewal");
	return;
fail:
	db_rollback();
	view_error(r, 500, "the change could not be stored");
}

/* The cycle an endorsement lapsed in (its latest 'lapsed' renewal); 0
   when it lapsed otherwise (an Emerging deadline). */
static int
lapsed_cycle(int64_t endorsement)
{
	struct dbq	*st = db_stmt(S_RENEWAL_LAPSED);
	int		 cycle = 0;

	db_bind_int(st, "$endorsement", endorsement);
	if (db_step(st) == DB_ROW)
		cycle = db_col_int(st, 0);
	db_reset(st);
	return cycle;
}

void
page_reinstate(struct req *r)
{
	const struct ruleset	*rs;
	struct endo		 e;
	struct dbq		*st;
	char			*short_by = NULL;
	int32_t			 changed, today = web_today();
	int			 cycle, met;

	if (endo_mine(r, r->id, &e) != 0)
		return;
	rs = web_rules(e.assoc);
	if (rs == NULL || rs->renewal.reinstate_months == 0) {
		view_error(r, 409, arena_printf(&r->arena, "%s does not "
		    "reinstate endorsements: apply again",
		    web_assoc_name(e.assoc)));
		return;
	}
	if (strcmp(e.status, "lapsed") != 0 &&
	    strcmp(e.status, "inactive") != 0) {
		view_error(r, 409, "only a lapsed or inactive endorsement is "
		    "reinstated");
		return;
	}
	st = db_stmt(S_REINSTATE_OPEN);
	db_bind_int(st, "$endorsement", e.id);
	met = db_step(st) == DB_ROW && strcmp((const char *)
	    db_col_text(st, 1), "requested") == 0;
	db_reset(st);
	if (met) {
		view_error(r, 409, "reinstatement is already asked for");
		return;
	}
	if (strcmp(e.status, "lapsed") == 0) {
		if (e.changed == NULL || date_parse(e.changed, &changed) != 0 ||
		    date_add_months(changed, rs->renewal.reinstate_months) <
		    today) {
			view_error(r, 409, arena_printf(&r->arena, "%s lapsed "
			    "more than %d months ago: apply again",
			    e.number, rs->renewal.reinstate_months));
			return;
		}
		/* The lapsed cycle made up: its requirements, with hours
		   logged since its end counting too. */
		cycle = lapsed_cycle(e.id);
		met = cycle == 0 ? 1 : life_judge(e.assoc, r->user.id, e.id, cycle, today,
		    today, 0, &r->arena, &short_by);
		if (met <= 0) {
			renewal_page(r, 409, met < 0 ?
			    "this endorsement cannot be judged" :
			    arena_printf(&r->arena, "to reinstate %s, the %d "
			    "renewal must be made up first: %s", e.number,
			    cycle, short_by));
			return;
		}
	}
	if (db_begin() != 0)
		goto fail;
	st = db_stmt(S_REINSTATE_INSERT);
	db_bind_int(st, "$endorsement", e.id);
	db_bind_int(st, "$fee", rs->renewal.reinstate_fee);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || audit_log(r, "reinstatement", db_last_id(),
	    "request", json_pack("{s:s, s:i}", "number", e.number, "fee",
	    rs->renewal.reinstate_fee)) != 0 || db_commit() != 0)
		goto fail;
	reply_redirect(r, "/renewal");
	return;
fail:
	db_rollback();
	view_error(r, 500, "the request could not be stored");
}

void
page_renewal_export(struct req *r)
{
	struct endo	 e;
	json_t		*doc;

	if (endo_mine(r, r->id, &e) != 0)
		return;
	if ((doc = life_portfolio(e.id, web_today())) == NULL) {
		view_error(r, 404, "there is no such endorsement of yours");
		return;
	}
	reply_header(r, "Content-Disposition", "attachment");
	reply_json(r, 200, doc);
}

/* --------------------------------------------------- the coordinator */

#define COORD_ROWS	1000

struct coord_ctx {
	json_t		*rows, *names;
	int		 n, required, renewed, audit, cure, lapsed, due;
	int		 inactive, shown;
	const char	*show;		/* "due", "all" */
};

static void
coord_item(void *arg, const struct life_item *it)
{
	struct coord_ctx	*c = arg;
	json_t			*who;
	char			 key[32];
	int			 renewed, due;

	c->n++;
	if (strcmp(it->status, "inactive") == 0)
		c->inactive++;
	if (it->rstatus != NULL && strcmp(it->rstatus, "lapsed") == 0)
		c->lapsed++;
	if (!it->ok || !it->res.required)
		return;
	c->required++;
	renewed = it->rstatus != NULL && (strcmp(it->rstatus, "attested") ==
	    0 || strcmp(it->rstatus, "renewed") == 0);
	due = it->rstatus == NULL && strcmp(it->status, "active") == 0;
	c->renewed += renewed;
	c->due += due;
	c->audit += it->rstatus != NULL && strcmp(it->rstatus, "audit") == 0;
	c->cure += it->rstatus != NULL && strcmp(it->rstatus, "cure") == 0;
	if (strcmp(c->show, "all") != 0 && !due)
		return;
	if (c->shown++ >= COORD_ROWS)
		return;
	snprintf(key, sizeof key, "%lld", (long long)it->account);
	who = json_object_get(c->names, key);
	json_array_append_new(c->rows, json_pack("{s:I, s:s, s:s, s:s, s:s, "
	    "s:s, s:b, s:s, s:I}", "id", (json_int_t)it->id, "number",
	    it->number, "category", it->category, "status", it->status,
	    "name", who != NULL ? json_string_value(json_array_get(who, 0)) :
	    "", "email", who != NULL ? json_string_value(json_array_get(who,
	    1)) : "", "met", it->res.met, "rwords", rstatus_words(it->rstatus),
	    "renewal", (json_int_t)it->renewal));
}

void
page_coord_renewals(struct req *r)
{
	const char		*assoc = r->user.association, *q;
	const struct ruleset	*rs = web_rules(assoc);
	struct coord_ctx	 c;
	json_t			*v, *list, *draw = NULL;
	struct dbq		*st;
	char			 od[11], cd[11], key[32], *end;
	int			 cycle, closed, lapsed = 0;
	int32_t			 today = web_today(), open, close;
	long			 y;

	if (rs == NULL || !rs->renewal.defined) {
		view_error(r, 404, "this association has no renewal rules");
		return;
	}
	cycle = life_cycle(rs, today);
	if ((q = req_query(r, "cycle")) != NULL) {
		y = strtol(q, &end, 10);
		if (*end != '\0' || y < 1900 || y > 2199 ||
		    life_cycle(rs, date_from_ymd((int)y, 1, 1)) != y) {
			view_error(r, 400, arena_printf(&r->arena, "cycle: "
			    "'%s' is not a renewal year of %s", q, assoc));
			return;
		}
		cycle = (int)y;
	}
	memset(&c, 0, sizeof c);
	c.show = (q = req_query(r, "show")) != NULL && strcmp(q, "all") ==
	    0 ? "all" : "due";
	c.rows = json_array();
	c.names = json_object();
	st = db_stmt(S_ENDORSEE_NAMES);
	db_bind_text(st, "$assoc", assoc);
	while (db_step(st) == DB_ROW) {
		snprintf(key, sizeof key, "%lld",
		    (long long)db_col_int64(st, 0));
		json_object_set_new(c.names, key, json_pack("[s, s]",
		    (const char *)db_col_text(st, 1),
		    (const char *)db_col_text(st, 2)));
	}
	db_reset(st);
	life_scan(assoc, 0, cycle, today, DATE_NONE, 0, coord_item, &c);
	json_decref(c.names);
	life_window(rs, cycle, &open, &close);
	date_format(open, od);
	date_format(close, cd);
	closed = life_closed(assoc, cycle, &lapsed);
	st = db_stmt(S_DRAW_GET);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	if (db_step(st) == DB_ROW)
		draw = json_pack("{s:i, s:s, s:i, s:i}", "percent",
		    db_col_int(st, 1), "seed", (const char *)
		    db_col_text(st, 2), "population",
		    db_col_int(st, 3), "drawn",
		    db_col_int(st, 4));
	db_reset(st);
	list = json_array();
	st = db_stmt(S_REINSTATE_LIST);
	db_bind_text(st, "$assoc", assoc);
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:i, s:s}", "id", (json_int_t)db_col_int64(st, 0),
		    "number", (const char *)db_col_text(st, 2),
		    "category", (const char *)db_col_text(st, 3),
		    "name", (const char *)db_col_text(st, 4), "fee",
		    db_col_int(st, 5), "status", (const char *)
		    db_col_text(st, 7)));
	db_reset(st);
	v = json_pack("{s:s, s:i, s:s, s:s, s:b, s:i, s:i, s:i, s:i, s:i, "
	    "s:i, s:i, s:i, s:i, s:o, s:b, s:o, s:i, s:b, s:b}",
	    "association", web_assoc_name(assoc), "cycle", cycle, "open", od,
	    "close", cd, "closed", closed, "lapsed_at_close", lapsed,
	    "n", c.n, "required", c.required, "renewed", c.renewed, "due",
	    c.due, "audit", c.audit, "cure", c.cure, "lapsed", c.lapsed,
	    "inactive", c.inactive, "rows", c.rows, "all",
	    strcmp(c.show, "all") == 0, "reinstatements", list, "n_shown",
	    c.shown, "more", c.shown > COORD_ROWS, "can_close", !closed &&
	    today >= open);
	if (draw != NULL)
		json_object_set_new(v, "draw", draw);
	view_page(r, 200, "coord/renewals", "Renewals", v);
}

static int
cycle_field(struct req *r, const struct ruleset *rs, int *cycle)
{
	const char	*q = req_form(r, "cycle");
	char		*end;
	long		 y;

	y = q != NULL ? strtol(q, &end, 10) : 0;
	if (q == NULL || *end != '\0' || y < 1900 || y > 2199 ||
	    life_cycle(rs, date_from_ymd((int)y, 1, 1)) != y) {
		view_error(r, 400, "cycle: not a renewal year of this "
		    "association");
		return -1;
	}
	*cycle = (int)y;
	return 0;
}

void
page_coord_close(struct req *r)
{
	const struct ruleset	*rs = web_rules(r->user.association);
	int			 cycle, lapsed, rc;
	int32_t			 open, close;

	if (rs == NULL || !rs->renewal.defined) {
		view_error(r, 404, "this association has no renewal rules");
		return;
	}
	if (cycle_field(r, rs, &cycle) != 0)
		return;
	/* Only the current window: an old cycle was the old system's. */
	if (cycle != life_cycle(rs, web_today())) {
		view_error(r, 409, arena_printf(&r->arena, "only the current "
		    "cycle's window (%d) can be closed", life_cycle(rs,
		    web_today())));
		return;
	}
	life_window(rs, cycle, &open, &close);
	if (web_today() < open) {
		view_error(r, 409, "the window has not opened yet");
		return;
	}
	/* Whoever has not renewed lapses: not on a stray click. */
	if (req_form(r, "confirm") == NULL ||
	    strcmp(req_form(r, "confirm"), "yes") != 0) {
		view_error(r, 400, "confirm: tick the box to confirm that "
		    "whoever has not renewed lapses");
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	rc = life_close(r, r->user.association, cycle, &lapsed);
	if (rc != 0) {
		db_rollback();
		view_error(r, rc == 1 ? 409 : 500, rc == 1 ? "the window is "
		    "closed already" : "the window could not be closed");
		return;
	}
	if (db_commit() != 0) {
		view_error(r, 500, "the window could not be closed");
		return;
	}
	reply_redirect(r, "/coordinator/renewals?cycle=%d", cycle);
}

void
page_coord_draw(struct req *r)
{
	const char		*assoc = r->user.association;
	const struct ruleset	*rs = web_rules(assoc);
	const char		*ps = req_form(r, "percent");
	const char		*ss = req_form(r, "seed");
	struct dbq		*st;
	int64_t			*ids = NULL, draw, rid, account;
	int			*pick, n = 0, k, i, cycle, rc = 0;
	long			 pct;
	uint64_t		 seed = 0;
	unsigned char		 rnd[8];
	char			 seedhex[17], *end;
	struct arena		*a = &r->arena;

	if (rs == NULL || !rs->renewal.defined) {
		view_error(r, 404, "this association has no renewal rules");
		return;
	}
	if (cycle_field(r, rs, &cycle) != 0)
		return;
	pct = ps != NULL ? strtol(ps, &end, 10) : 0;
	if (ps == NULL || *ps == '\0' || *end != '\0' || pct < 1 ||
	    pct > 100) {
		view_error(r, 400, "percent: a whole number from 1 to 100");
		return;
	}
	if (ss != NULL && *ss != '\0') {
		if (strlen(ss) > 16 || strspn(ss, "0123456789abcdef") !=
		    strlen(ss)) {
			view_error(r, 400, "seed: up to 16 lower-case "
			    "hexadecimal digits, or empty for a random one");
			return;
		}
		seed = strtoull(ss, NULL, 16);
	} else {
		randombytes_buf(rnd, sizeof rnd);
		for (i = 0; i < 8; i++)
			seed = seed << 8 | rnd[i];
	}
	snprintf(seedhex, sizeof seedhex, "%016llx", (unsigned long long)seed);
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_DRAW_GET);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	i = db_step(st) == DB_ROW;
	db_reset(st);
	if (i) {
		db_rollback();
		view_error(r, 409, "this cycle's audit sample is drawn already");
		return;
	}
	st = db_stmt(S_RENEWAL_ATTESTED);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	while (db_step(st) == DB_ROW) {
		ids = xreallocarray(ids, (size_t)n + 1, sizeof *ids);
		ids[n++] = db_col_int64(st, 0);
	}
	db_reset(st);
	if (n == 0) {
		db_rollback();
		view_error(r, 409, "no renewal of this cycle is attested yet: "
		    "nothing to draw from");
		return;
	}
	pick = xcalloc((size_t)n, sizeof *pick);
	k = life_sample(seed, n, (int)pct, pick);
	st = db_stmt(S_DRAW_INSERT);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	db_bind_int(st, "$percent", pct);
	db_bind_text(st, "$seed", seedhex);
	db_bind_int(st, "$population", n);
	db_bind_int(st, "$drawn", k);
	db_bind_int(st, "$actor", r->user.id);
	db_bind_int(st, "$now", db_now());
	rc = db_exec(st);
	draw = db_last_id();
	for (i = 0; i < k && rc == 0; i++) {
		char *to = NULL, *number = NULL;
		rid = ids[pick[i]];
		st = db_stmt(S_RENEWAL_DRAW);
		db_bind_int(st, "$id", rid);
		db_bind_int(st, "$draw", draw);
		db_bind_int(st, "$now", db_now());
		if ((rc = db_exec(st)) != 0)
			break;
		st = db_stmt(S_RENEWAL_GET);
		db_bind_int(st, "$id", rid);
		account = 0;
		if (db_step(st) == DB_ROW) {
			account = db_col_int64(st, 6);
			number = db_text(a, st, 9);
			to = db_text(a, st, 11);
		}
		db_reset(st);
		/* Every entry of the account dated in the cycle. */
		st = db_stmt(S_LOG_EXPORT);
		db_bind_text(st, "$assoc", assoc);
		db_bind_int(st, "$account", account);
		while (rc == 0 && db_step(st) == DB_ROW) {
			int32_t d = (int32_t)db_col_int64(st, 2);
			struct dbq *ins;
			if (d < date_from_ymd(cycle - rs->renewal.cycle_years +
			    1, 1, 1) || d > date_from_ymd(cycle, 12, 31))
				continue;
			ins = db_stmt(S_ITEM_INSERT);
			db_bind_int(ins, "$renewal", rid);
			db_bind_int(ins, "$entry", db_col_int64(st,
			    0));
			rc = db_exec(ins);
		}
		db_reset(st);
		if (rc == 0)
			rc = life_mail(assoc, to, arena_printf(a, "Your %d "
			    "renewal is drawn for audit", cycle), arena_printf(a,
			    "Your renewal of %s for %d was drawn in the "
			    "association's random audit of renewals.  Please "
			    "upload evidence (a certificate, a letter from your "
			    "RSC provider) for each entry of your log listed on "
			    "your renewal page: %s/renewal\n", number, cycle,
			    cfg.base_url));
	}
	if (rc == 0)
		rc = audit_log(r, "audit_draw", draw, "draw", json_pack("{s:s, "
		    "s:i, s:i, s:s, s:i, s:i}", "association", assoc, "cycle",
		    cycle, "percent", (int)pct, "seed", seedhex, "population",
		    n, "drawn", k));
	free(ids);
	free(pick);
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 500, "the draw could not be stored");
		return;
	}
	reply_redirect(r, "/coordinator/renewals?cycle=%d&show=all", cycle);
}

/* A renewal of the coordinator's association, or 404. */
static int
coord_renewal(struct req *r, int64_t id, json_t **out, int *cycle,
    char **status)
{
	struct dbq	*st = db_stmt(S_RENEWAL_GET);
	int		 ok = 0;

	db_bind_int(st, "$id", id);
	if (db_step(st) == DB_ROW && strcmp((const char *)
	    db_col_text(st, 7), r->user.association) == 0) {
		ok = 1;
		*cycle = db_col_int(st, 2);
		*status = db_text(&r->arena, st, 3);
		*out = json_pack("{s:I, s:i, s:s, s:s, s:s?, s:s, s:s?, s:s?}",
		    "id", (json_int_t)id, "cycle", *cycle, "status", *status,
		    "rwords", rstatus_words(*status), "cure_by", (const char *)
		    db_col_text(st, 4), "number", (const char *)
		    db_col_text(st, 9), "name", (const char *)
		    db_col_text(st, 10), "email", (const char *)
		    db_col_text(st, 11));
	}
	db_reset(st);
	if (!ok)
		view_error(r, 404, "there is no such renewal in your "
		    "association");
	return ok ? 0 : -1;
}

void
page_coord_renewal(struct req *r)
{
	json_t	*v;
	char	*status;
	int	 cycle;

	if (coord_renewal(r, r->id, &v, &cycle, &status) != 0)
		return;
	json_object_set_new(v, "items", audit_items(r->id));
	json_object_set_new(v, "open", json_boolean(strcmp(status, "audit") ==
	    0 || strcmp(status, "cure") == 0));
	view_page(r, 200, "coord/renewal", "Renewal audit", v);
}

void
page_coord_item(struct req *r)
{
	const char	*d = req_form(r, "decision"), *note = req_form(r, "note");
	struct dbq	*st;
	json_t		*v;
	char		*status;
	int		 cycle, rc;

	if (coord_renewal(r, r->id, &v, &cycle, &status) != 0)
		return;
	json_decref(v);
	if (strcmp(status, "audit") != 0 && strcmp(status, "cure") != 0) {
		view_error(r, 409, "this renewal is not under audit");
		return;
	}
	if (d == NULL || (strcmp(d, "accept") != 0 &&
	    strcmp(d, "reject") != 0)) {
		view_error(r, 400, "decision: accept or reject");
		return;
	}
	if (note == NULL)
		note = "";
	if (strcmp(d, "reject") == 0 && *note == '\0') {
		view_error(r, 400, "note: say why the evidence is rejected; "
		    "the endorsee reads it");
		return;
	}
	if (strlen(note) > 2000) {
		view_error(r, 400, "note: at most 2000 characters");
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_ITEM_DECIDE);
	db_bind_text(st, "$status", strcmp(d, "accept") == 0 ? "accepted" :
	    "rejected");
	db_bind_text(st, "$note", note);
	db_bind_int(st, "$now", db_now());
	db_bind_int(st, "$renewal", r->id);
	db_bind_int(st, "$entry", r->id2);
	rc = db_exec(st);
	if (rc == 0 && db_changes() != 1) {
		db_rollback();
		view_error(r, 404, "that entry is not part of this audit");
		return;
	}
	if (rc == 0)
		rc = audit_log(r, "renewal", r->id, strcmp(d, "accept") == 0 ?
		    "accept" : "reject", json_pack("{s:I, s:s}", "entry",
		    (json_int_t)r->id2, "note", note));
	if (rc == 0)
		rc = life_settle(r, r->id);
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 500, "the decision could not be stored");
		return;
	}
	reply_redirect(r, "/coordinator/renewals/%lld", (long long)r->id);
}

void
page_coord_evidence(struct req *r)
{
	struct dbq	*st = db_stmt(S_LOG_GET);
	int		 ok;

	db_bind_int(st, "$id", r->id);
	ok = db_step(st) == DB_ROW && strcmp((const char *)
	    db_col_text(st, 2), r->user.association) == 0;
	db_reset(st);
	if (!ok) {
		view_error(r, 404, "there is no such entry in your "
		    "association");
		return;
	}
	evidence_send(r, r->id);
}

void
page_coord_reinstate(struct req *r)
{
	const char	*d = req_form(r, "decision"), *note = req_form(r, "note");
	struct dbq	*st;
	struct endo	 e;
	int64_t		 eid = 0;
	char		 today[11];
	int		 rc, ok = 0, cycle;

	st = db_stmt(S_REINSTATE_GET);
	db_bind_int(st, "$id", r->id);
	if (db_step(st) == DB_ROW && strcmp((const char *)
	    db_col_text(st, 3), r->user.association) == 0) {
		ok = strcmp((const char *)db_col_text(st, 2),
		    "requested") == 0 ? 1 : 2;
		eid = db_col_int64(st, 1);
	}
	db_reset(st);
	if (ok == 0) {
		view_error(r, 404, "there is no such request in your "
		    "association");
		return;
	}
	if (ok == 2) {
		view_error(r, 409, "this request is decided already");
		return;
	}
	if (d == NULL || (strcmp(d, "approve") != 0 &&
	    strcmp(d, "refuse") != 0)) {
		view_error(r, 400, "decision: approve or refuse");
		return;
	}
	if (note == NULL)
		note = "";
	if ((strcmp(d, "refuse") == 0 && *note == '\0') ||
	    strlen(note) > 2000) {
		view_error(r, 400, "note: say why (at most 2000 characters); "
		    "the endorsee reads it");
		return;
	}
	if (endo_get(r, eid, &e) != 0) {
		view_error(r, 404, "the endorsement is gone");
		return;
	}
	date_format(web_today(), today);
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_REINSTATE_DECIDE);
	db_bind_text(st, "$status", strcmp(d, "approve") == 0 ? "approved" :
	    "refused");
	db_bind_text(st, "$note", note);
	db_bind_int(st, "$now", db_now());
	db_bind_int(st, "$id", r->id);
	rc = db_exec(st);
	if (rc == 0 && strcmp(d, "approve") == 0) {
		st = db_stmt(S_ENDORSEMENT_SET_STATUS);
		db_bind_text(st, "$status", "active");
		db_bind_text(st, "$changed", today);
		db_bind_int(st, "$id", eid);
		rc = db_exec(st);
		/* The lapsed cycle counts as renewed now. */
		if (rc == 0 && (cycle = lapsed_cycle(eid)) != 0) {
			st = db_stmt(S_RENEWAL_SET_BY);
			db_bind_int(st, "$endorsement", eid);
			db_bind_int(st, "$cycle", cycle);
			db_bind_int(st, "$now", db_now());
			rc = db_exec(st);
		}
	}
	if (rc == 0)
		rc = audit_log(r, "endorsement", eid, strcmp(d, "approve") ==
		    0 ? "reinstate" : "reinstate-refused", json_pack("{s:s, "
		    "s:s, s:I}", "number", e.number, "note", note,
		    "reinstatement", (json_int_t)r->id));
	if (rc == 0)
		rc = life_mail(e.assoc, e.email, arena_printf(&r->arena,
		    "%s: reinstatement %s", e.number, strcmp(d, "approve") ==
		    0 ? "approved" : "refused"), strcmp(d, "approve") == 0 ?
		    arena_printf(&r->arena, "Your %s endorsement %s is active "
		    "again from %s.%s%s\n", e.category, e.number, today,
		    *note != '\0' ? "\n\n" : "", note) : arena_printf(
		    &r->arena, "Your request to reinstate %s was refused:\n\n"
		    "%s\n", e.number, note));
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		view_error(r, 500, "the decision could not be stored");
		return;
	}
	reply_redirect(r, "/coordinator/renewals");
}

/* ------------------------------------------------------------ the API */

struct api_ctx {
	json_t		*list;
};

static void
api_item(void *arg, const struct life_item *it)
{
	struct api_ctx	*c = arg;
	json_t		*o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?}", "id",
	    (json_int_t)it->id, "number", it->number, "category",
	    it->category, "status", it->status, "renewal_status", it->rstatus,
	    "emerging_until", it->emerging_until);
	if (it->ok)
		json_object_set_new(o, "renewal",
		    report_renewal_object(&it->res));
	else
		json_object_set_new(o, "problem", json_string(it->cause));
	json_array_append_new(c->list, o);
}

/* GET /api/v1/renewal: every endorsement of the caller judged for its
   association's current cycle (or ?cycle=YEAR), as endorse-renewal/1. */
void
api_renewal(struct req *r)
{
	struct api_ctx		 c;
	char			*assocs[16], *end;
	const char		*q = req_query(r, "cycle");
	const struct ruleset	*rs;
	int			 n = 0, i, cycle;
	long			 y = 0;

	if (q != NULL) {
		y = strtol(q, &end, 10);
		if (*end != '\0' || y < 1900 || y > 2199) {
			reply_error_json(r, 400, "cycle", "'%s' is not a year",
			    q);
			return;
		}
	}
	c.list = json_array();
	n = held_assocs(r, assocs, 16);
	for (i = 0; i < n; i++) {
		if ((rs = web_rules(assocs[i])) == NULL ||
		    !rs->renewal.defined)
			continue;
		cycle = y != 0 ? (int)y : life_cycle(rs, web_today());
		if (life_cycle(rs, date_from_ymd(cycle, 1, 1)) != cycle) {
			json_decref(c.list);
			reply_error_json(r, 400, "cycle", "%d is not a renewal "
			    "year of %s", cycle, assocs[i]);
			return;
		}
		life_scan(assocs[i], r->user.id, cycle, web_today(),
		    DATE_NONE, 0, api_item, &c);
	}
	reply_json(r, 200, json_pack("{s:o}", "endorsements", c.list));
}

/* POST /api/v1/log/KIND?association=ID: one entry, as in
   endorse-portfolio/1, added to the caller's log. */
void
api_log_add(struct req *r)
{
	const char		*assoc = req_query(r, "association");
	const struct kdef	*kd = NULL;
	const char		*why = NULL;
	json_error_t		 err;
	json_t			*e;
	int64_t			 id = 0;
	int			 rc;

	if (strcmp(r->word, "training") == 0 ||
	    strcmp(r->word, "rsc_received") == 0)
		kd = kind_find(r->word);
	if (kd == NULL) {
		reply_error_json(r, 404, NULL, "the log takes training or "
		    "rsc_received");
		return;
	}
	if (assoc == NULL || !holds_in(r, assoc)) {
		reply_error_json(r, 400, "association", "you hold no "
		    "endorsement of that association");
		return;
	}
	if (!r->body_json) {
		reply_error_json(r, 415, NULL, "the body must be JSON "
		    "(Content-Type: application/json)");
		return;
	}
	e = json_loadb(r->body.s != NULL ? r->body.s : "", r->body.len,
	    JSON_REJECT_DUPLICATES, &err);
	if (e == NULL || !json_is_object(e)) {
		json_decref(e);
		reply_error_json(r, 400, NULL, "the body is not a JSON object");
		return;
	}
	if ((rc = log_store(r, assoc, kd, e, 0, &id, &why)) == -2) {
		json_decref(e);
		reply_error_json(r, 409, NULL, "%s", why);
		return;
	}
	if (rc != 0) {
		json_decref(e);
		reply_error_json(r, 400, why_field(r, kd, why, kd->kind), "%s",
		    why);
		return;
	}
	json_decref(e);
	reply_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* GET /api/v1/endorsements/ID/portfolio: what its renewal is judged on. */
void
api_endorsement_portfolio(struct req *r)
{
	struct endo	 e;
	json_t		*doc;

	if (endo_get(r, r->id, &e) != 0 || e.account != r->user.id ||
	    (doc = life_portfolio(e.id, web_today())) == NULL) {
		reply_error_json(r, 404, NULL, "there is no such endorsement "
		    "of yours");
		return;
	}
	reply_json(r, 200, doc);
}
