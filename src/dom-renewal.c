/*
 * The endorsee's renewal as a domain (dom-renewal.h): the machines of a
 * renewal, an audit item and a reinstatement, the reads the renewal
 * pages show, and the endorsee's writes (the log, evidence, attestation,
 * inactive status, a reinstatement request).  The coordinator's writes
 * are in dom-audit.c.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-money.h"
#include "dom-renewal.h"
#include "banned.h"

#define MAX_LOG_ENTRIES	5000

#define A	SM_WHO_APPLICANT
#define C	SM_WHO_COORDINATOR
#define S	SM_WHO_SYSTEM
static const struct sm_line renewal_lines[] = {
	{ RENEWAL_NONE,	    RENEWEV_ATTEST,    RENEWAL_ATTESTED, A },
	{ RENEWAL_ATTESTED, RENEWEV_DRAW,      RENEWAL_AUDIT,	 C },
	{ RENEWAL_AUDIT,    RENEWEV_DECIDE,    RENEWAL_AUDIT,	 C },
	{ RENEWAL_CURE,	    RENEWEV_DECIDE,    RENEWAL_CURE,	 C },
	{ RENEWAL_AUDIT,    RENEWEV_PASS,      RENEWAL_RENEWED,	 C | S },
	{ RENEWAL_CURE,	    RENEWEV_PASS,      RENEWAL_RENEWED,	 C | S },
	{ RENEWAL_AUDIT,    RENEWEV_FAIL,      RENEWAL_CURE,	 C | S },
	{ RENEWAL_CURE,	    RENEWEV_FAIL,      RENEWAL_CURE,	 C | S },
	{ RENEWAL_NONE,	    RENEWEV_LAPSE,     RENEWAL_LAPSED,	 C | S },
	{ RENEWAL_CURE,	    RENEWEV_LAPSE,     RENEWAL_LAPSED,	 C | S },
	{ RENEWAL_LAPSED,   RENEWEV_REINSTATE, RENEWAL_RENEWED,	 C },
};
static const char *const renewal_events[RENEWEV__N] = {
	"attest", "draw for audit", "decide", "pass", "fail", "lapse",
	"reinstate"
};
const struct sm renewal_machine = { "renewal", renewal_lines,
    (int)(sizeof renewal_lines / sizeof renewal_lines[0]),
    renewal_status_names, renewal_events };

/* Decided again when the coordinator changes their mind, as before. */
static const struct sm_line item_lines[] = {
	{ ITEM_PENDING,	 ITEMEV_ACCEPT,	ITEM_ACCEPTED,	C },
	{ ITEM_PENDING,	 ITEMEV_REJECT,	ITEM_REJECTED,	C },
	{ ITEM_ACCEPTED, ITEMEV_ACCEPT,	ITEM_ACCEPTED,	C },
	{ ITEM_ACCEPTED, ITEMEV_REJECT,	ITEM_REJECTED,	C },
	{ ITEM_REJECTED, ITEMEV_ACCEPT,	ITEM_ACCEPTED,	C },
	{ ITEM_REJECTED, ITEMEV_REJECT,	ITEM_REJECTED,	C },
	{ ITEM_REJECTED, ITEMEV_REOPEN,	ITEM_PENDING,	A },
};
static const char *const item_events[ITEMEV__N] = {
	"accept", "reject", "reopen"
};
const struct sm item_machine = { "audit item", item_lines,
    (int)(sizeof item_lines / sizeof item_lines[0]), item_status_names,
    item_events };

static const struct sm_line reinstate_lines[] = {
	{ REINSTATE_NONE,      REINSTEV_REQUEST, REINSTATE_REQUESTED, A },
	{ REINSTATE_APPROVED,  REINSTEV_REQUEST, REINSTATE_REQUESTED, A },
	{ REINSTATE_REFUSED,   REINSTEV_REQUEST, REINSTATE_REQUESTED, A },
	{ REINSTATE_REQUESTED, REINSTEV_APPROVE, REINSTATE_APPROVED,  C },
	{ REINSTATE_REQUESTED, REINSTEV_REFUSE,	 REINSTATE_REFUSED,   C },
};
#undef A
#undef C
#undef S
/* The words with "none" after them, for the machine's messages. */
static const char *const reinstate_states[reinstate_status__N + 1] = {
	"requested", "approved", "refused", NULL
};
static const char *const reinstate_events[REINSTEV__N] = {
	"ask for", "approve", "refuse"
};
const struct sm reinstate_machine = { "reinstatement", reinstate_lines,
    (int)(sizeof reinstate_lines / sizeof reinstate_lines[0]),
    reinstate_states, reinstate_events };

/* The bits of an actor acting on what account holds: the holder acts
   as the endorsee (SM_WHO_APPLICANT) whatever their role. */
static unsigned
holder_who(const struct actor *who, int64_t account)
{
	if (who->id != 0 && who->id == account)
		return SM_WHO_APPLICANT;
	return actor_who(who) & ~(unsigned)SM_WHO_APPLICANT;
}

/* The account that holds a log entry; 0 when there is no such entry. */
static int64_t
entry_holder(int64_t entry)
{
	struct dbq		*st = db_stmt(S_LOG_GET);
	struct row_log_get	 row;
	int64_t			 account = 0;

	db_bind_int(st, "$id", entry);
	if (row_log_get(st, NULL, &row) == DB_ROW)
		account = row.account;
	db_reset(st);
	return account;
}

/* An endorsement and its holder, read once for every page that acts on
   one (the only reader of S_ENDORSEMENT_GET in the renewal pages). */
int
dom_endo_get(struct arena *a, int64_t id, struct dom_endo *e)
{
	struct dbq			*st = db_stmt(S_ENDORSEMENT_GET);
	struct row_endorsement_get	 row;

	memset(e, 0, sizeof *e);
	db_bind_int(st, "$id", id);
	if (row_endorsement_get(st, a, &row) != DB_ROW) {
		db_reset(st);
		return -1;
	}
	db_reset(st);
	/* An endorsement whose account was deleted belongs to no one. */
	if (row.account == 0)
		return -1;
	e->id = id;
	e->account = row.account;
	e->number = row.number;
	e->assoc = row.association;
	e->category = row.category;
	e->since = row.since;
	e->status = row.status;
	e->emerging_until = row.emerging_until;
	e->changed = row.changed;
	e->name = row.name;
	e->email = row.email;
	return 0;
}

/* ------------------------------------------------------------ reads */

/* The associations an account holds endorsements of, once each. */
int
dom_held_assocs(struct arena *ar, int64_t account, char **assocs, int max)
{
	struct dbq			*st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
	struct row_endorsement_of_account row;
	int				 n = 0, j;

	db_bind_int(st, "$account", account);
	while (n < max && row_endorsement_of_account(st, NULL, &row) ==
	    DB_ROW) {
		for (j = 0; j < n && strcmp(assocs[j], row.association) != 0;
		    j++)
			continue;
		if (j == n)
			assocs[n++] = arena_strdup(ar, row.association);
	}
	db_reset(st);
	return n;
}

/* The cycles whose attestation locks the entries dated in them. */
int
dom_attested_cycles(int64_t account, const char *assoc, int *out)
{
	struct dbq			*st = db_stmt(S_RENEWAL_CYCLES_OF);
	struct row_renewal_cycles_of	 row;
	int				 n = 0;

	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	while (n < DOM_MAX_CYCLES && row_renewal_cycles_of(st, NULL, &row) ==
	    DB_ROW)
		out[n++] = (int)row.cycle;
	db_reset(st);
	return n;
}

/*
 * Why a log entry cannot change, or NULL: it is under an open audit, or
 * it is dated in one of the cycles the endorsee attested (the
 * attestation was made on it).  New entries can always be added.
 */
const char *
dom_entry_lock(const char *assoc, int64_t entry, int32_t start,
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

/*
 * Whether a membership of an account in assoc (YYYY-MM-DD dates, end NULL:
 * ongoing) covers a day of a cycle the account attested: the attestation
 * was made on it, as on the log entries dated in the cycle, and it stays
 * as it was (dom_entry_lock).  0 or the cycle.
 */
int
dom_member_lock(int64_t account, const char *assoc, const char *start,
    const char *end)
{
	const struct ruleset	*rs = web_rules(assoc);
	int			 cycles[DOM_MAX_CYCLES], i, n;
	int32_t			 s, t;

	if (rs == NULL || start == NULL || date_parse(start, &s) != 0)
		return 0;
	if (end == NULL || date_parse(end, &t) != 0)
		t = INT32_MAX;
	n = dom_attested_cycles(account, assoc, cycles);
	for (i = 0; i < n; i++)
		if (s <= date_from_ymd(cycles[i], 12, 31) &&
		    t >= date_from_ymd(cycles[i] - rs->renewal.cycle_years +
		    1, 1, 1))
			return cycles[i];
	return 0;
}

/* A membership of the account's may be removed: 0, or -1 and a 409 when
   an attestation relies on it (a term not the account's is left to the
   delete, which finds none). */
int
dom_member_removable(int64_t account, int64_t id, struct arena *a,
    struct derr *e)
{
	struct dbq		*st = db_stmt(S_MEMBER_LIST);
	struct row_member_list	*m;
	int			 i, n, cycle;

	db_bind_int(st, "$account", account);
	db_bind_null(st, "$assoc");
	if ((n = rows_member_list(st, a, &m)) < 0)
		return derr_store(e, a, "the memberships");
	for (i = 0; i < n; i++)
		if (m[i].id == id && (cycle = dom_member_lock(account,
		    m[i].association, m[i].start, m[i].end)) != 0)
			return derr_set(e, a, 409, NULL, "this membership "
			    "is locked: your renewal attestation for %d "
			    "relied on it, so it cannot be deleted", cycle);
	return 0;
}

/*
 * In the caller's transaction (a portfolio replaced whole): the account's
 * memberships in assoc removed but those an attestation relies on or the
 * association confirmed or rejected, which
 * are kept and listed in *kept ({start, end}) so that the same term in
 * the new document is not stored twice.  0 or -1.
 */
int
dom_member_clear(struct arena *a, int64_t account, const char *assoc,
    json_t **kept)
{
	struct dbq		*st = db_stmt(S_MEMBER_LIST);
	struct row_member_list	*m;
	int			 i, n;

	*kept = json_array();
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	if ((n = rows_member_list(st, a, &m)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		/* The association's verdict (confirmed, rejected) stays too:
		   it is not the applicant's to erase by sending it again. */
		if (m[i].status != MSTAT_RECORDED || dom_member_lock(account,
		    assoc, m[i].start, m[i].end) != 0) {
			json_array_append_new(*kept, json_pack("{s:s, s:s?}",
			    "start", m[i].start, "end", m[i].end));
			continue;
		}
		st = db_stmt(S_MEMBER_DELETE);
		db_bind_int(st, "$id", m[i].id);
		db_bind_int(st, "$account", account);
		if (db_exec(st) != 0)
			return -1;
	}
	return 0;
}

/* Whether membership m ({start, end}) of a document is one of kept. */
int
dom_member_kept(json_t *kept, json_t *m)
{
	json_t		*k;
	size_t		 i;

	json_array_foreach(kept, i, k)
		if (json_equal(json_object_get(k, "start"),
		    json_object_get(m, "start")) &&
		    json_equal(json_object_get(k, "end") != NULL ?
		    json_object_get(k, "end") : json_null(),
		    json_object_get(m, "end") != NULL ?
		    json_object_get(m, "end") : json_null()))
			return 1;
	return 0;
}

/* A log entry with its kind and data; the page checks whose it is. */
int
dom_entry_get(struct arena *a, int64_t id, struct dom_entry *le)
{
	struct dbq		*st = db_stmt(S_LOG_GET);
	struct row_log_get	 row;
	int			 ok = 0;

	memset(le, 0, sizeof *le);
	db_bind_int(st, "$id", id);
	if (row_log_get(st, a, &row) == DB_ROW) {
		le->id = id;
		le->account = row.account;
		le->assoc = row.association;
		le->kd = kind_find(row.kind);
		le->data = json_loads(row.data, 0, NULL);
		le->start = (int32_t)row.start;
		ok = le->kd != NULL && le->data != NULL;
	}
	db_reset(st);
	if (!ok) {
		json_decref(le->data);
		le->data = NULL;
		return -1;
	}
	return 0;
}

/* An entry's evidence, copied into the arena. */
int
dom_evidence_get(struct arena *a, int64_t entry, const char **ctype,
    const void **content, size_t *len)
{
	struct dbq		*st = db_stmt(S_EVIDENCE_GET);
	struct row_evidence_get	 row;
	int			 rc;

	db_bind_int(st, "$entry", entry);
	rc = row_evidence_get(st, a, &row);
	db_reset(st);
	if (rc != DB_ROW)
		return -1;
	*ctype = row.ctype;
	*content = row.content;
	*len = row.content_len;
	return 0;
}

/* An audit's entries, for the endorsee and the coordinator. */
json_t *
dom_audit_items(int64_t renewal)
{
	json_t			*items = json_array(), *e;
	struct dbq		*st = db_stmt(S_ITEM_LIST);
	struct row_item_list	 row;
	const struct kdef	*kd;
	char			 line[256];

	db_bind_int(st, "$renewal", renewal);
	while (row_item_list(st, NULL, &row) == DB_ROW) {
		kd = kind_find(row.kind);
		e = json_loads(row.data, 0, NULL);
		if (kd == NULL || e == NULL) {
			json_decref(e);
			continue;
		}
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:b, s:b, s:b, s:s?}", "entry", (json_int_t)row.entry,
		    "summary", form_summary(kd, e, line, sizeof line),
		    "status", db_enum_word(item_status, row.status), "note",
		    row.note, "pending", row.status == ITEM_PENDING,
		    "rejected", row.status == ITEM_REJECTED, "accepted",
		    row.status == ITEM_ACCEPTED, "file", row.filename));
		json_decref(e);
	}
	db_reset(st);
	return items;
}

/* The summaries of an account's entries, in the evaluation's order. */
static void
log_summaries(int64_t account, const char *assoc, json_t *summaries[2])
{
	struct dbq		*st;
	struct row_log_export	 row;
	const struct kdef	*kd;
	json_t			*e;
	char			 line[256];

	summaries[0] = json_array();
	summaries[1] = json_array();
	st = db_stmt(S_LOG_EXPORT);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$account", account);
	while (row_log_export(st, NULL, &row) == DB_ROW) {
		kd = kind_find(row.kind);
		e = json_loads(row.data, 0, NULL);
		if (kd == NULL || e == NULL) {
			json_decref(e);
			continue;
		}
		json_array_append_new(summaries[row.kind[0] == 't' ? 0 : 1],
		    json_string(form_summary(kd, e, line, sizeof line)));
		json_decref(e);
	}
	db_reset(st);
}

/* An account's log in an association, each entry with its lock. */
json_t *
dom_log_entries(int64_t account, const char *assoc, json_t *summaries[2])
{
	json_t			*list = json_array(), *e;
	struct dbq		*st;
	struct row_log_list	 row;
	const struct kdef	*kd;
	const char		*why;
	char			 line[256];
	size_t			 idx;
	int			 cycles[DOM_MAX_CYCLES], ncycles;

	log_summaries(account, assoc, summaries);
	st = db_stmt(S_LOG_LIST);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	while (row_log_list(st, NULL, &row) == DB_ROW) {
		kd = kind_find(row.kind);
		e = json_loads(row.data, 0, NULL);
		if (kd == NULL || e == NULL) {
			json_decref(e);
			continue;
		}
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s?, "
		    "s:I}", "id", (json_int_t)row.id, "kind", kd->title,
		    "summary", form_summary(kd, e, line, sizeof line), "file",
		    row.filename, "start", (json_int_t)row.start));
		json_decref(e);
	}
	db_reset(st);
	/* Entries under audit or attested are not changed. */
	ncycles = dom_attested_cycles(account, assoc, cycles);
	json_array_foreach(list, idx, e) {
		why = dom_entry_lock(assoc,
		    json_integer_value(json_object_get(e, "id")),
		    (int32_t)json_integer_value(json_object_get(e, "start")),
		    cycles, ncycles);
		if (why != NULL)
			json_object_set_new(e, "locked", json_string(why));
	}
	return list;
}

/* Whether a reinstatement is open: the latest request's status. */
int
dom_reinstate_last(int64_t endorsement)
{
	struct dbq			*st = db_stmt(S_REINSTATE_OPEN);
	struct row_reinstate_open	 row;
	int				 status = REINSTATE_NONE;

	db_bind_int(st, "$endorsement", endorsement);
	if (row_reinstate_open(st, NULL, &row) == DB_ROW)
		status = (int)row.status;
	db_reset(st);
	return status;
}

/* The cycle a reinstatement makes up. */
int
dom_lapsed_cycle(int64_t endorsement)
{
	struct dbq			*st = db_stmt(S_RENEWAL_LAPSED);
	struct row_renewal_lapsed	 row;
	int				 cycle = 0;

	db_bind_int(st, "$endorsement", endorsement);
	if (row_renewal_lapsed(st, NULL, &row) == DB_ROW)
		cycle = (int)row.cycle;
	db_reset(st);
	return cycle;
}

/* The one reader of S_RENEWAL_GET here. */
int
dom_renewal_get(struct arena *a, int64_t id, struct row_renewal_get *row)
{
	struct dbq	*st = db_stmt(S_RENEWAL_GET);
	int		 rc;

	db_bind_int(st, "$id", id);
	rc = row_renewal_get(st, a, row);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Account id (as text) -> [name, email], for the coordinator's list. */
json_t *
dom_endorsee_names(const char *assoc)
{
	struct dbq			*st = db_stmt(S_ENDORSEE_NAMES);
	struct row_endorsee_names	 row;
	json_t				*names = json_object();
	char				 key[32];

	db_bind_text(st, "$assoc", assoc);
	while (row_endorsee_names(st, NULL, &row) == DB_ROW) {
		snprintf(key, sizeof key, "%lld", (long long)row.account);
		json_object_set_new(names, key, json_pack("[s, s]", row.name,
		    row.email));
	}
	db_reset(st);
	return names;
}

/* The cycle's draw as the coordinator's page shows it, or NULL. */
json_t *
dom_draw_view(const char *assoc, int cycle)
{
	struct dbq		*st = db_stmt(S_DRAW_GET);
	struct row_draw_get	 row;
	json_t			*draw = NULL;

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	if (row_draw_get(st, NULL, &row) == DB_ROW)
		draw = json_pack("{s:i, s:s, s:i, s:i}", "percent",
		    (int)row.percent, "seed", row.seed, "population",
		    (int)row.population, "drawn", (int)row.drawn);
	db_reset(st);
	return draw;
}

/* The association's open reinstatement requests. */
json_t *
dom_reinstate_requests(const char *assoc)
{
	struct dbq			*st = db_stmt(S_REINSTATE_LIST);
	struct row_reinstate_list	 row;
	json_t				*list = json_array();

	db_bind_text(st, "$assoc", assoc);
	while (row_reinstate_list(st, NULL, &row) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:i, s:s}", "id", (json_int_t)row.id, "number",
		    row.number, "category", row.category, "name", row.name,
		    "fee", (int)row.fee_owed, "status", row.status));
	db_reset(st);
	return list;
}

/* ----------------------------------------------------------- writes */

/* The entries of an account's log in an association. */
static int
log_count(int64_t account, const char *assoc)
{
	struct dbq	*st = db_stmt(S_LOG_LIST);
	int		 n = 0;

	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	while (db_step(st) == DB_ROW)
		n++;
	db_reset(st);
	return n;
}

/* An entry added during an audit of its cycle is part of the audit. */
static int
join_open_audits(int64_t account, const char *assoc, int64_t entry,
    int32_t start)
{
	const struct ruleset		*rs = web_rules(assoc);
	struct dbq			*st, *ins;
	struct row_renewal_open_of	 row;
	int				 rc = 0;

	st = db_stmt(S_RENEWAL_OPEN_OF);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	while (rc == 0 && row_renewal_open_of(st, NULL, &row) == DB_ROW) {
		if (rs == NULL || start < date_from_ymd((int)row.cycle -
		    rs->renewal.cycle_years + 1, 1, 1) ||
		    start > date_from_ymd((int)row.cycle, 12, 31))
			continue;
		ins = db_stmt(S_ITEM_INSERT);
		db_bind_int(ins, "$renewal", row.id);
		db_bind_int(ins, "$entry", entry);
		rc = db_exec(ins);
	}
	db_reset(st);
	return rc;
}

/*
 * The field a refusal of life_columns names ("hours: ..."), if the kind
 * has it: lifecycle.c still says it in its message, so it is found here,
 * once, for every caller.
 */
static const char *
cause_field(const struct kdef *kd, const char *cause)
{
	const char	*colon = strchr(cause, ':');
	int		 i;

	if (colon == NULL)
		return NULL;
	for (i = 0; i < kd->nfields; i++)
		if (strlen(kd->fields[i].name) == (size_t)(colon - cause) &&
		    strncmp(kd->fields[i].name, cause, (size_t)(colon -
		    cause)) == 0)
			return kd->fields[i].name;
	return NULL;
}

/* The new entry or id's new text, its audits joined, and the audit row,
   in the transaction dom_log_store opened. */
static int
log_write(const struct actor *who, const char *assoc,
    const struct kdef *kd, const char *text, const struct life_cols *c,
    int64_t *id)
{
	struct dbq	*st;
	const char	*action = *id == 0 ? "add" : "edit";
	int		 rc;

	st = db_stmt(*id == 0 ? S_LOG_INSERT : S_LOG_UPDATE);
	db_bind_int(st, "$account", who->id);
	db_bind_text(st, "$data", text);
	life_bind_cols(st, kd->kind, c);
	if (*id == 0) {
		db_bind_text(st, "$assoc", assoc);
		db_bind_text(st, "$kind", kd->kind);
		db_bind_int(st, "$now", db_now());
	} else
		db_bind_int(st, "$id", *id);
	rc = db_exec(st);
	if (rc == 0 && *id == 0) {
		*id = db_last_id();
		rc = join_open_audits(who->id, assoc, *id, c->start);
	}
	if (rc == 0)
		rc = audit_write(who, "log_entry", *id, action,
		    json_pack("{s:s, s:s}", "association", assoc, "kind",
		    kd->kind));
	return rc;
}

/* A log entry stored: the rules' columns, the cap, the audits it
   joins and the audit row, in one transaction. */
int
dom_log_store(const struct actor *who, struct arena *a, const char *assoc,
    const struct kdef *kd, json_t *entry, int64_t id, int64_t *out,
    struct derr *e)
{
	struct life_cols	 c;
	char			*cause = NULL, *s;
	int			 rc;

	if (dom_text_check(entry, a, e) != 0)
		return -1;
	if (life_columns(assoc, kd->kind, entry, &c, &cause) != 0) {
		rc = derr_set(e, a, 400, cause_field(kd, cause), "%s", cause);
		free(cause);
		return rc;
	}
	if (db_begin() != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	/* Counted in the transaction that adds: saves at the same moment
	   cannot pass the cap together. */
	if (id == 0 && log_count(who->id, assoc) >= MAX_LOG_ENTRIES) {
		db_rollback();
		return derr_set(e, a, 409, NULL, "the log holds its most "
		    "entries");
	}
	s = json_dumps(entry, JSON_COMPACT);
	if (dom_quota_check(who->id, 0, id == 0 ? 1 : 0, 0, (long)strlen(s),
	    a, e) != 0) {
		free(s);
		db_rollback();
		return -1;
	}
	rc = log_write(who, assoc, kd, s, &c, &id);
	free(s);
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, a, 500, NULL, "the entry could not be "
		    "stored");
	}
	*out = id;
	return 0;
}

/* A log entry deleted, with its audit row. */
int
dom_log_delete(const struct actor *who, struct arena *a, int64_t entry,
    const char *assoc, struct derr *e)
{
	struct dbq	*st;

	if (db_begin() != 0)
		goto fail;
	st = db_stmt(S_LOG_DELETE);
	db_bind_int(st, "$id", entry);
	db_bind_int(st, "$account", who->id);
	if (db_exec(st) != 0 || audit_write(who, "log_entry", entry, "delete",
	    json_pack("{s:s}", "association", assoc)) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, a, 500, NULL, "the entry could not be deleted");
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

/* New evidence for a rejected entry asks the coordinator again: each of
   its open audit items the machine lets reopen. */
static int
evidence_reopen(const struct actor *who, int64_t entry)
{
	struct dbq			*st = db_stmt(S_ITEM_OF_ENTRY);
	struct row_item_of_entry	 row;
	unsigned			 bits;
	int				 to = -1;

	bits = holder_who(who, entry_holder(entry));
	db_bind_int(st, "$entry", entry);
	while (row_item_of_entry(st, NULL, &row) == DB_ROW)
		if (row.status == ITEM_REJECTED)
			to = sm_apply(&item_machine, (int)row.status,
			    ITEMEV_REOPEN, bits, NULL, NULL);
	db_reset(st);
	if (to < 0)
		return 0;
	st = db_stmt(S_ITEM_REOPEN);
	db_bind_enum(st, "$status", item_status, to);
	db_bind_enum(st, "$from", item_status, ITEM_REJECTED);
	db_bind_int(st, "$entry", entry);
	return db_exec(st);
}

/* An entry's evidence stored (PDF, PNG or JPEG by its bytes); a
   rejected entry is asked about again. */
int
dom_evidence_put(const struct actor *who, struct arena *a, int64_t entry,
    const char *assoc, const char *filename, const void *content,
    size_t len, struct derr *e)
{
	const char	*ctype, *base;
	struct dbq	*st;

	if ((ctype = evidence_type(content, len)) == NULL)
		return derr_set(e, a, 400, "file", "file: the evidence must "
		    "be a PDF, PNG or JPEG file");
	base = filename == NULL ? "" : strrchr(filename, '/') != NULL ?
	    strrchr(filename, '/') + 1 : filename;
	if (db_begin() != 0)
		goto fail;
	if (dom_quota_check(who->id, 0, 0, 1, (long)len, a, e) != 0) {
		db_rollback();
		return -1;
	}
	st = db_stmt(S_EVIDENCE_PUT);
	db_bind_int(st, "$entry", entry);
	db_bind_text(st, "$filename", *base != '\0' && strlen(base) < 200 &&
	    utf8_ok((const unsigned char *)base, strlen(base)) ? base :
	    "evidence");
	db_bind_text(st, "$ctype", ctype);
	db_bind_int(st, "$size", (int64_t)len);
	db_bind_blob(st, "$content", content, len);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || evidence_reopen(who, entry) != 0 ||
	    audit_write(who, "log_entry", entry, "evidence",
	    json_pack("{s:s, s:I}", "association", assoc, "size",
	    (json_int_t)len)) != 0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, a, 500, NULL, "the evidence could not be stored");
}

/*
 * The attestation: judged again in the transaction that stores it (the
 * log may have changed since the page), then the renewal, its audit row
 * and the endorsee's mail.
 */
int
dom_attest(const struct actor *who, struct arena *a,
    const struct dom_endo *en, int cycle, int32_t today, struct derr *e)
{
	struct dbq	*st;
	char		*short_by = NULL, *stmt;
	int		 met, to;

	if ((to = sm_apply(&renewal_machine, RENEWAL_NONE, RENEWEV_ATTEST,
	    holder_who(who, en->account), e, a)) < 0)
		return -1;
	if (db_begin() != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	met = life_judge(en->assoc, who->id, en->id, cycle, today, DATE_NONE,
	    0, a, &short_by);
	if (met <= 0) {
		db_rollback();
		if (met < 0)
			return derr_set(e, a, 409, DOM_RENEWAL_PAGE, "this "
			    "endorsement cannot be judged");
		return derr_set(e, a, 409, DOM_RENEWAL_PAGE, "%s cannot be "
		    "renewed yet: %s", en->number, short_by);
	}
	stmt = arena_printf(a, "{\"hours\":true,\"ethics\":true,"
	    "\"membership\":true,\"cycle\":%d}", cycle);
	st = db_stmt(S_RENEWAL_INSERT);
	db_bind_int(st, "$endorsement", en->id);
	db_bind_int(st, "$cycle", cycle);
	db_bind_enum(st, "$status", renewal_status, to);
	db_bind_int(st, "$attested", db_now());
	db_bind_text(st, "$statement", stmt);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0) {
		db_rollback();
		return derr_set(e, a, 409, NULL, "this endorsement is already "
		    "renewed for this cycle");
	}
	if (audit_write(who, "renewal", db_last_id(), "attest",
	    json_pack("{s:s, s:i}", "number", en->number, "cycle", cycle)) !=
	    0 || life_mail(en->assoc, en->email, arena_printf(a, "%s renewed "
	    "for %d", en->number, cycle), arena_printf(a, "You attested the "
	    "renewal of your %s endorsement %s for the %d cycle.  Keep the "
	    "evidence of the hours you logged: a sample of renewals is "
	    "audited.\n", en->category, en->number, cycle)) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		return derr_set(e, a, 500, NULL, "the renewal could not be "
		    "stored");
	}
	return 0;
}

/* An endorsement made inactive, its endorsee told. */
int
dom_inactive(const struct actor *who, struct arena *a,
    const struct dom_endo *en, const char *today, struct derr *e)
{
	struct dbq	*st;
	char		 us[DATE_US_MAX];

	if (db_begin() != 0)
		goto fail;
	st = db_stmt(S_ENDORSEMENT_SET_STATUS);
	db_bind_enum(st, "$status", endorsement_status,
	    ENDORSEMENT_INACTIVE);
	db_bind_text(st, "$changed", today);
	db_bind_int(st, "$id", en->id);
	if (db_exec(st) != 0 || audit_write(who, "endorsement", en->id,
	    "inactive", json_pack("{s:s}", "number", en->number)) != 0 ||
	    life_mail(en->assoc, en->email, arena_printf(a, "%s is now "
	    "inactive", en->number), arena_printf(a, "Your %s endorsement %s "
	    "is inactive from %s: it needs no renewal and the registry shows "
	    "it as inactive.  Ask for reinstatement when you return.\n",
	    en->category, en->number, date_us_text(today, us, sizeof us))) !=
	    0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, a, 500, NULL, "the change could not be stored");
}

/* A reinstatement asked for, when none is open. */
int
dom_reinstate_request(const struct actor *who, struct arena *a,
    const struct dom_endo *en, int fee, struct derr *e)
{
	struct dbq	*st;

	if (db_begin() != 0)
		goto fail;
	if (sm_apply(&reinstate_machine, dom_reinstate_last(en->id),
	    REINSTEV_REQUEST, holder_who(who, en->account), NULL,
	    NULL) < 0) {
		db_rollback();
		return derr_set(e, a, 409, NULL, "reinstatement is already "
		    "asked for");
	}
	st = db_stmt(S_REINSTATE_INSERT);
	db_bind_int(st, "$endorsement", en->id);
	db_bind_int(st, "$fee", fee);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || audit_write(who, "reinstatement",
	    db_last_id(), "request", json_pack("{s:s, s:i}", "number",
	    en->number, "fee", fee)) != 0 || money_charge(who, en->account,
	    en->assoc, 0, (int64_t)fee * 100, arena_printf(a, "Reinstatement "
	    "fee, %s", en->number)) != 0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, a, 500, NULL, "the request could not be stored");
}
