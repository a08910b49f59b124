/*
 * The coordinator's side of the renewal domain (dom-renewal.h): the
 * audit draw, the decisions on an audit's entries, the decisions on
 * reinstatement requests.  Each in its own transaction.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "dom-life.h"
#include "dom-renewal.h"
#include "banned.h"

/* The renewals of the association's cycle that are attested. */
static int
draw_population(const char *assoc, int cycle, int64_t **ids)
{
	struct dbq			*st = db_stmt(S_RENEWAL_ATTESTED);
	struct row_renewal_attested	 row;
	int				 n = 0;

	*ids = NULL;
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	while (row_renewal_attested(st, NULL, &row) == DB_ROW) {
		*ids = xreallocarray(*ids, (size_t)n + 1, sizeof **ids);
		(*ids)[n++] = row.id;
	}
	db_reset(st);
	return n;
}

/* Whether the cycle's sample is drawn already. */
static int
draw_exists(const char *assoc, int cycle)
{
	struct dbq	*st = db_stmt(S_DRAW_GET);
	int		 found;

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", cycle);
	found = db_step(st) == DB_ROW;
	db_reset(st);
	return found;
}

/* Every entry of the account dated in the cycle joins the audit. */
static int
draw_items(const struct ruleset *rs, const char *assoc, int cycle,
    int64_t renewal, int64_t account)
{
	struct dbq		*st, *ins;
	struct row_log_export	 row;
	int32_t			 from, to;
	int			 rc = 0;

	from = date_from_ymd(cycle - rs->renewal.cycle_years + 1, 1, 1);
	to = date_from_ymd(cycle, 12, 31);
	st = db_stmt(S_LOG_EXPORT);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$account", account);
	while (rc == 0 && row_log_export(st, NULL, &row) == DB_ROW) {
		if (row.start < from || row.start > to)
			continue;
		ins = db_stmt(S_ITEM_INSERT);
		db_bind_int(ins, "$renewal", renewal);
		db_bind_int(ins, "$entry", row.id);
		rc = db_exec(ins);
	}
	db_reset(st);
	return rc;
}

/* One drawn renewal: under audit, its entries listed, its endorsee
   told. */
static int
draw_one(const struct actor *who, struct arena *a, const struct ruleset *rs,
    int cycle, int64_t draw, int64_t renewal)
{
	struct row_renewal_get	 row;
	struct dbq		*st;
	const char		*to = NULL, *number = NULL;
	int64_t			 account = 0;
	int			 rc, next;

	if ((next = sm_apply(&renewal_machine, RENEWAL_ATTESTED,
	    RENEWEV_DRAW, actor_who(who), NULL, NULL)) < 0)
		return -1;
	st = db_stmt(S_RENEWAL_DRAW);
	db_bind_enum(st, "$status", renewal_status, next);
	db_bind_enum(st, "$from", renewal_status, RENEWAL_ATTESTED);
	db_bind_int(st, "$id", renewal);
	db_bind_int(st, "$draw", draw);
	db_bind_int(st, "$now", db_now());
	if ((rc = db_exec(st)) != 0)
		return rc;
	if (dom_renewal_get(a, renewal, &row) == 0) {
		account = row.account;
		number = row.number;
		to = row.email;
	}
	if ((rc = draw_items(rs, who->association, cycle, renewal,
	    account)) != 0)
		return rc;
	return life_mail(who->association, to, arena_printf(a, "Your %d "
	    "renewal is drawn for audit", cycle), arena_printf(a, "Your "
	    "renewal of %s for %d was drawn in the association's random "
	    "audit of renewals.  Please upload evidence (a certificate, a "
	    "letter from your RSC provider) for each entry of your log "
	    "listed on your renewal page: %s/renewal\n", number, cycle,
	    cfg.base_url));
}

/* The draw's row, each drawn renewal, and the audit row. */
static int
draw_store(const struct actor *who, struct arena *a,
    const struct ruleset *rs, int cycle, int pct, const char *seedhex,
    const int64_t *ids, int n, const int *pick, int k)
{
	struct dbq	*st;
	int64_t		 draw;
	int		 rc, i;

	st = db_stmt(S_DRAW_INSERT);
	db_bind_text(st, "$assoc", who->association);
	db_bind_int(st, "$cycle", cycle);
	db_bind_int(st, "$percent", pct);
	db_bind_text(st, "$seed", seedhex);
	db_bind_int(st, "$population", n);
	db_bind_int(st, "$drawn", k);
	db_bind_int(st, "$actor", who->id);
	db_bind_int(st, "$now", db_now());
	rc = db_exec(st);
	draw = db_last_id();
	for (i = 0; i < k && rc == 0; i++)
		rc = draw_one(who, a, rs, cycle, draw, ids[pick[i]]);
	if (rc == 0)
		rc = audit_write(who, "audit_draw", draw, "draw",
		    json_pack("{s:s, s:i, s:i, s:s, s:i, s:i}", "association",
		    who->association, "cycle", cycle, "percent", pct, "seed",
		    seedhex, "population", n, "drawn", k));
	return rc;
}

/*
 * The audit draw: percent of the cycle's attested renewals, picked by a
 * seeded sample anyone can repeat (the seed is kept), each put under
 * audit with the entries of its cycle; once per cycle.
 */
int
dom_draw(const struct actor *who, struct arena *a, int cycle, int pct,
    int have_seed, uint64_t seed, struct derr *e)
{
	const struct ruleset	*rs = web_rules(who->association);
	int64_t			*ids = NULL;
	int			*pick, n, k, i, rc;
	unsigned char		 rnd[8];
	char			 seedhex[17];

	if (rs == NULL || !rs->renewal.defined)
		return derr_set(e, a, 404, NULL, "this association has no "
		    "renewal rules");
	if (!have_seed) {
		randombytes_buf(rnd, sizeof rnd);
		for (seed = 0, i = 0; i < 8; i++)
			seed = seed << 8 | rnd[i];
	}
	snprintf(seedhex, sizeof seedhex, "%016llx", (unsigned long long)seed);
	if (db_begin() != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	if (draw_exists(who->association, cycle)) {
		db_rollback();
		return derr_set(e, a, 409, NULL, "this cycle's audit sample "
		    "is drawn already");
	}
	if ((n = draw_population(who->association, cycle, &ids)) == 0) {
		db_rollback();
		return derr_set(e, a, 409, NULL, "no renewal of this cycle is "
		    "attested yet: nothing to draw from");
	}
	pick = xcalloc((size_t)n, sizeof *pick);
	k = life_sample(seed, n, pct, pick);
	rc = draw_store(who, a, rs, cycle, pct, seedhex, ids, n, pick, k);
	free(ids);
	free(pick);
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, a, 500, NULL, "the draw could not be "
		    "stored");
	}
	return 0;
}

/* The status of an entry's item in the renewal's audit; -1: none. */
static int
item_status_of(int64_t renewal, int64_t entry)
{
	struct dbq			*st = db_stmt(S_ITEM_OF_ENTRY);
	struct row_item_of_entry	 row;
	int				 status = -1;

	db_bind_int(st, "$entry", entry);
	while (row_item_of_entry(st, NULL, &row) == DB_ROW)
		if (row.renewal == renewal)
			status = (int)row.status;
	db_reset(st);
	return status;
}

/* A decision on an audit's entry, and the renewal settled, in one
   transaction. */
int
dom_item_decide(const struct actor *who, struct arena *a, int64_t renewal,
    int64_t entry, int accept, const char *note, struct derr *e)
{
	struct dbq	*st;
	int		 from, to, rc;

	if (db_begin() != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	if ((from = item_status_of(renewal, entry)) < 0) {
		db_rollback();
		return derr_set(e, a, 404, NULL, "that entry is not part of "
		    "this audit");
	}
	if ((to = sm_apply(&item_machine, from, accept ? ITEMEV_ACCEPT :
	    ITEMEV_REJECT, actor_who(who), e, a)) < 0) {
		db_rollback();
		return -1;
	}
	st = db_stmt(S_ITEM_DECIDE);
	db_bind_enum(st, "$status", item_status, to);
	db_bind_text(st, "$note", note);
	db_bind_int(st, "$now", db_now());
	db_bind_int(st, "$renewal", renewal);
	db_bind_int(st, "$entry", entry);
	rc = db_exec(st);
	if (rc == 0 && db_changes() != 1) {
		db_rollback();
		return derr_set(e, a, 404, NULL, "that entry is not part of "
		    "this audit");
	}
	if (rc == 0)
		rc = audit_write(who, "renewal", renewal, accept ? "accept" :
		    "reject", json_pack("{s:I, s:s}", "entry",
		    (json_int_t)entry, "note", note));
	if (rc == 0)
		rc = life_settle_as(who, renewal, e, a);
	if (rc != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, a, 500, NULL, "the decision could not be "
		    "stored");
	}
	return 0;
}

/* An approved reinstatement: active again, the lapsed cycle renewed. */
static int
reinstate_endorsement(const struct actor *who, int64_t eid,
    const char *today)
{
	struct dbq	*st;
	int		 rc, cycle, to;

	st = db_stmt(S_ENDORSEMENT_SET_STATUS);
	db_bind_enum(st, "$status", endorsement_status, ENDORSEMENT_ACTIVE);
	db_bind_text(st, "$changed", today);
	db_bind_int(st, "$id", eid);
	if ((rc = db_exec(st)) != 0 || (cycle = dom_lapsed_cycle(eid)) == 0)
		return rc;
	/* The lapsed cycle counts as renewed now. */
	if ((to = sm_apply(&renewal_machine, RENEWAL_LAPSED,
	    RENEWEV_REINSTATE, actor_who(who), NULL, NULL)) != RENEWAL_RENEWED)
		return -1;
	st = db_stmt(S_RENEWAL_SET_BY);
	db_bind_enum(st, "$status", renewal_status, to);
	db_bind_int(st, "$endorsement", eid);
	db_bind_int(st, "$cycle", cycle);
	db_bind_int(st, "$now", db_now());
	return db_exec(st);
}

/* The request of the coordinator's association, checked in the order
   the page always answered: which, decided, the decision, the note. */
static int
reinstate_check(const struct actor *who, struct arena *a, int64_t id,
    const char *d, const char *note, int64_t *eid, struct derr *e)
{
	struct dbq			*st = db_stmt(S_REINSTATE_GET);
	struct row_reinstate_get	 row;
	int				 found = 0;

	db_bind_int(st, "$id", id);
	if (row_reinstate_get(st, NULL, &row) == DB_ROW &&
	    strcmp(row.association, who->association) == 0) {
		found = 1;
		*eid = row.endorsement;
		if (sm_apply(&reinstate_machine, (int)row.status,
		    REINSTEV_APPROVE, actor_who(who), NULL, NULL) < 0)
			found = 2;
	}
	db_reset(st);
	if (found == 0)
		return derr_set(e, a, 404, NULL, "there is no such request "
		    "in your association");
	if (found == 2)
		return derr_set(e, a, 409, NULL, "this request is decided "
		    "already");
	if (d == NULL || (strcmp(d, "approve") != 0 &&
	    strcmp(d, "refuse") != 0))
		return derr_set(e, a, 400, "decision", "decision: approve or "
		    "refuse");
	if ((strcmp(d, "refuse") == 0 && *note == '\0') ||
	    strlen(note) > 2000)
		return derr_set(e, a, 400, "note", "note: say why (at most "
		    "2000 characters); the endorsee reads it");
	return 0;
}

/* The decision's row, the endorsement when approved, audit and mail. */
static int
reinstate_store(const struct actor *who, struct arena *a, int64_t id,
    int approve, const char *note, const struct dom_endo *en,
    const char *today)
{
	struct dbq	*st;
	char		 us[DATE_US_MAX];
	int		 rc, to;

	to = sm_apply(&reinstate_machine, REINSTATE_REQUESTED, approve ?
	    REINSTEV_APPROVE : REINSTEV_REFUSE, actor_who(who), NULL, NULL);
	if (to < 0)
		return -1;
	st = db_stmt(S_REINSTATE_DECIDE);
	db_bind_enum(st, "$status", reinstate_status, to);
	db_bind_text(st, "$note", note);
	db_bind_int(st, "$now", db_now());
	db_bind_int(st, "$id", id);
	rc = db_exec(st);
	if (rc == 0 && approve)
		rc = reinstate_endorsement(who, en->id, today);
	if (rc == 0)
		rc = audit_write(who, "endorsement", en->id, approve ?
		    "reinstate" : "reinstate-refused", json_pack("{s:s, "
		    "s:s, s:I}", "number", en->number, "note", note,
		    "reinstatement", (json_int_t)id));
	if (rc == 0)
		rc = life_mail(en->assoc, en->email, arena_printf(a, "%s: "
		    "reinstatement %s", en->number, approve ? "approved" :
		    "refused"), approve ? arena_printf(a, "Your %s "
		    "endorsement %s is active again from %s.%s%s\n",
		    en->category, en->number, date_us_text(today, us,
		    sizeof us), *note != '\0' ? "\n\n" :
		    "", note) : arena_printf(a, "Your request to reinstate %s "
		    "was refused:\n\n%s\n", en->number, note));
	return rc;
}

/* A reinstatement decided: checked, then stored in one transaction. */
int
dom_reinstate_decide(const struct actor *who, struct arena *a, int64_t id,
    const char *d, const char *note, const char *today, struct derr *e)
{
	struct dom_endo	 en;
	int64_t		 eid = 0;
	int		 approve;

	if (note == NULL)
		note = "";
	if (reinstate_check(who, a, id, d, note, &eid, e) != 0)
		return -1;
	approve = strcmp(d, "approve") == 0;
	if (dom_endo_get(a, eid, &en) != 0)
		return derr_set(e, a, 404, NULL, "the endorsement is gone");
	if (db_begin() != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	if (reinstate_store(who, a, id, approve, note, &en, today) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		return derr_set(e, a, 500, NULL, "the decision could not be "
		    "stored");
	}
	return 0;
}

/* The window closed in one transaction. */
int
dom_window_close(const struct actor *who, struct arena *a, int cycle,
    struct derr *e)
{
	int	 rc, lapsed;

	if (db_begin() != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	if ((rc = life_close_as(who, who->association, cycle, &lapsed, e,
	    a)) != 0) {
		db_rollback();
		if (rc == 1)
			return derr_set(e, a, 409, NULL, "the window is "
			    "closed already");
		return derr_set(e, a, 500, NULL, "the window could not be "
		    "closed");
	}
	if (db_commit() != 0)
		return derr_set(e, a, 500, NULL, "the window could not be "
		    "closed");
	return 0;
}
