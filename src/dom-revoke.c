/*
 * Revoking and suspending an endorsement from its page (issue 19): until
 * now only the CSV import could store one revoked.  A coordinator of the
 * endorsement's association revokes it (final), suspends it (withdrawn
 * for a while) or lifts a suspension, with a reason the holder is told.
 * The endorsement's machine (life-move.c) says which move is allowed
 * from where; the status, the date and reason, the audit row (who, when,
 * the reason: the endorsement's history) and the holder's notice are
 * written in one transaction.  Nobody acts on their own endorsement.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-registry.h"
#include "dom-revoke.h"
#include "banned.h"

static const char *const action_word[LIFEEV__N] = {
	[LIFEEV_REVOKE] = "revoke", [LIFEEV_SUSPEND] = "suspend",
	[LIFEEV_LIFT] = "lift",
};

const char *
revoke_reason_problem(enum life_event ev, const char *reason)
{
	const char	*p = reason != NULL ? reason : "";
	size_t		 n;

	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	n = strlen(p);
	if (n == 0 && ev != LIFEEV_LIFT)
		return ev == LIFEEV_REVOKE ? "give the reason for the "
		    "revocation; the endorsee is told it" : "give the reason "
		    "for the suspension; the endorsee is told it";
	if (strlen(reason != NULL ? reason : "") > FIELD_TEXT_MAX)
		return "enter at most 300 characters";
	if (n > 0 && !utf8_ok((const unsigned char *)p, n))
		return "enter the reason as text";
	return NULL;
}

/* The holder's notice of ev, in the arena. */
static const char *
notice_body(struct arena *a, const struct row_endorsement_get *g,
    enum life_event ev, const char *reason, const char *today)
{
	const char	*assoc = web_assoc_name(g->association);

	switch (ev) {
	case LIFEEV_REVOKE:
		return arena_printf(a, "%s revoked your %s endorsement %s on "
		    "%s.\n\nThe reason recorded: %s\n\nThe registry and the "
		    "verification page (%s/verify/%s) now show it as revoked. "
		    " A revocation is final.  If you believe it is a mistake, "
		    "write to %s's coordinators.\n", assoc, g->category,
		    g->number, today, reason, cfg.base_url, g->number, assoc);
	case LIFEEV_SUSPEND:
		return arena_printf(a, "%s suspended your %s endorsement %s "
		    "on %s.\n\nThe reason recorded: %s\n\nWhile it is "
		    "suspended, the registry and the verification page "
		    "(%s/verify/%s) show it as suspended, not current.  The "
		    "suspension can be lifted: write to %s's coordinators "
		    "about what it would take.\n", assoc, g->category,
		    g->number, today, reason, cfg.base_url, g->number, assoc);
	default:
		return arena_printf(a, "%s lifted the suspension of your %s "
		    "endorsement %s on %s.%s%s\n\nThe registry and the "
		    "verification page (%s/verify/%s) show it as active "
		    "again.\n", assoc, g->category, g->number, today,
		    *reason != '\0' ? "\n\nThe note recorded: " : "", reason,
		    cfg.base_url, g->number);
	}
}

static const char *
notice_subject(struct arena *a, const struct row_endorsement_get *g,
    enum life_event ev)
{
	return arena_printf(a, ev == LIFEEV_REVOKE ? "Your endorsement %s "
	    "has been revoked" : ev == LIFEEV_SUSPEND ? "Your endorsement %s "
	    "has been suspended" : "The suspension of your endorsement %s "
	    "has been lifted", g->number);
}

/* The endorsement of id when it is of the coordinator's association: 1,
   0 none, -1 a read failed. */
static int
read_theirs(const struct actor *who, struct arena *a, int64_t id,
    struct row_endorsement_get *g)
{
	struct dbq	*st = db_stmt(S_ENDORSEMENT_GET);
	int		 rc;

	db_bind_int(st, "$id", id);
	rc = row_endorsement_get(st, a, g);
	db_reset(st);
	if (rc == DB_ERROR)
		return -1;
	return rc == DB_ROW && who->kind == ACTOR_COORDINATOR &&
	    who->association != NULL && g->association != NULL &&
	    strcmp(who->association, g->association) == 0;
}

/* The move's own 409 in words, before the machine's. */
static int
state_problem(struct derr *e, struct arena *a, enum endorsement_status s,
    enum life_event ev)
{
	if (s == ENDORSEMENT_REVOKED)
		return derr_set(e, a, 409, NULL, "this endorsement was "
		    "revoked; a revocation is final: it cannot be %s",
		    ev == LIFEEV_REVOKE ? "revoked again" : ev ==
		    LIFEEV_SUSPEND ? "suspended" : "lifted");
	if (ev == LIFEEV_LIFT && s != ENDORSEMENT_SUSPENDED)
		return derr_set(e, a, 409, NULL, "this endorsement is not "
		    "suspended: there is no suspension to lift");
	if (ev == LIFEEV_SUSPEND && s == ENDORSEMENT_SUSPENDED)
		return derr_set(e, a, 409, NULL, "this endorsement is "
		    "suspended already");
	if (ev == LIFEEV_SUSPEND && s == ENDORSEMENT_LAPSED)
		return derr_set(e, a, 409, NULL, "this endorsement has "
		    "lapsed: it is not current, there is nothing to suspend");
	return 0;
}

/* Write the move: status, dates, audit, the holder's notice. */
static int
write_move(const struct actor *who, struct arena *a,
    const struct row_endorsement_get *g, enum life_event ev, int to,
    const char *reason)
{
	struct dbq	*st = db_stmt(S_ENDORSEMENT_WITHDRAW);
	char		 iso[11], today[DATE_US_MAX];
	int		 rc;

	date_format(web_today(), iso);
	date_us(web_today(), today, sizeof today);
	db_bind_enum(st, "$status", endorsement_status, to);
	db_bind_text(st, "$changed", iso);
	if (ev == LIFEEV_LIFT) {
		db_bind_null(st, "$withdrawn");
		db_bind_null(st, "$reason");
	} else {
		db_bind_text(st, "$withdrawn", iso);
		db_bind_text(st, "$reason", reason);
	}
	db_bind_int(st, "$id", g->id);
	if ((rc = db_exec(st)) != 0)
		return rc;
	if ((rc = audit_write(who, "endorsement", g->id, action_word[ev],
	    json_pack("{s:s, s:s, s:s}", "number", g->number, "from",
	    db_enum_word(endorsement_status, g->status), "reason",
	    reason))) != 0)
		return rc;
	return life_mail(g->association, g->email, notice_subject(a, g, ev),
	    notice_body(a, g, ev, reason, today));
}

int
revoke_apply(const struct actor *who, struct arena *a, int64_t id,
    enum life_event ev, const char *reason, int dry, struct derr *e)
{
	struct row_endorsement_get	 g;
	const char			*p;
	char				*r;
	size_t				 n;
	int				 rc, to;

	if (who->kind != ACTOR_COORDINATOR)
		return derr_set(e, a, 404, NULL, "there is no such "
		    "endorsement in your association");
	if ((p = revoke_reason_problem(ev, reason)) != NULL)
		return derr_set(e, a, 400, "reason", "%s", p);
	for (p = reason != NULL ? reason : ""; *p == ' ' || *p == '\t' ||
	    *p == '\r' || *p == '\n'; p++)
		continue;
	r = arena_strdup(a, p);
	for (n = strlen(r); n > 0 && (r[n - 1] == ' ' || r[n - 1] == '\t' ||
	    r[n - 1] == '\r' || r[n - 1] == '\n'); n--)
		r[n - 1] = '\0';
	if (db_begin() != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	if ((rc = read_theirs(who, a, id, &g)) != 1) {
		db_rollback();
		if (rc < 0)
			return derr_store(e, a, "the endorsement");
		return derr_set(e, a, 404, NULL, "there is no such "
		    "endorsement in your association");
	}
	if (g.account != 0 && g.account == who->id) {
		db_rollback();
		return derr_set(e, a, 403, NULL, "this is your own "
		    "endorsement: another coordinator of the association "
		    "decides about it");
	}
	if (state_problem(e, a, g.status, ev) != 0 ||
	    (to = sm_apply(&endorsement_machine, life_state(g.status,
	    g.emerging_until), ev, actor_who(who), e, a)) < 0) {
		db_rollback();
		return -1;
	}
	if (dry) {
		db_rollback();
		return 0;
	}
	if (write_move(who, a, &g, ev, to, r) != 0 || db_commit() != 0) {
		db_rollback();
		return derr_store(e, a, "the change of the endorsement");
	}
	return 0;
}

int64_t
revoke_id_of(const struct actor *who, const char *number)
{
	struct row_endorsement_id	 row;
	struct dbq			*st;
	int64_t				 id = 0;

	if (who->kind != ACTOR_COORDINATOR || who->association == NULL ||
	    number == NULL)
		return 0;
	st = db_stmt(S_ENDORSEMENT_ID_OF);
	db_bind_text(st, "$number", number);
	db_bind_text(st, "$assoc", who->association);
	if (row_endorsement_id(st, NULL, &row) == DB_ROW)
		id = row.id;
	db_reset(st);
	return id;
}

/* The history's words of an audit action. */
static const char *
history_word(const char *action)
{
	static const struct {
		const char	*action, *word;
	} w[] = {
		{ "import", "Imported" }, { "issue", "Endorsed" },
		{ "endorse", "Endorsed" }, { "lapse", "Lapsed" },
		{ "revoke", "Revoked" }, { "suspend", "Suspended" },
		{ "lift", "Suspension lifted" }, { "inactive", "Made inactive" },
		{ "reinstate", "Reinstated" },
	};
	size_t	 i;

	for (i = 0; i < sizeof w / sizeof w[0]; i++)
		if (action != NULL && strcmp(w[i].action, action) == 0)
			return w[i].word;
	return action != NULL ? action : "";
}

/* The endorsement's history from the audit log, in US dates. */
static json_t *
history(struct arena *a, int64_t id)
{
	struct row_endorsement_history	*h = NULL;
	struct dbq			*st = db_stmt(S_ENDORSEMENT_HISTORY);
	json_t				*list = json_array();
	char				 day[DATE_US_MAX];
	int				 i, n;

	db_bind_int(st, "$id", id);
	n = rows_endorsement_history(st, a, &h);
	for (i = 0; i < n; i++) {
		date_us((int32_t)(h[i].at / 86400), day, sizeof day);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}",
		    "at", day, "actor", h[i].actor != NULL ? h[i].actor : "",
		    "action", history_word(h[i].action), "reason",
		    h[i].reason != NULL ? h[i].reason : ""));
	}
	return list;
}

json_t *
revoke_view(const struct actor *who, struct arena *a, int64_t id,
    struct derr *e)
{
	struct row_endorsement_get	 g;
	json_t				*v;
	char				 d1[DATE_US_MAX], d2[DATE_US_MAX];
	int				 rc, s, own;

	if ((rc = read_theirs(who, a, id, &g)) != 1) {
		if (rc < 0)
			derr_store(e, a, "the endorsement");
		else
			derr_set(e, a, 404, NULL, "there is no such "
			    "endorsement in your association");
		return NULL;
	}
	s = life_state(g.status, g.emerging_until);
	own = g.account != 0 && g.account == who->id;
	v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, "
	    "s:b, s:b, s:b, s:b}", "id", (json_int_t)g.id,
	    "number", g.number, "name", g.holder != NULL ? g.holder : "",
	    "email", g.email != NULL ? g.email : "no account",
	    "category", g.category, "category_title",
	    web_category_title(g.association, g.category),
	    "since", date_us_text(g.since, d1, sizeof d1),
	    "status", db_enum_word(endorsement_status, g.status),
	    "status_word", registry_status_word(g.status),
	    "history", history(a, g.id), "own", own,
	    "can_revoke", !own && g.status != ENDORSEMENT_REVOKED,
	    "can_suspend", !own && (s == ENDORSEMENT_ACTIVE ||
	    s == LIFE_EMERGING || s == ENDORSEMENT_INACTIVE),
	    "can_lift", !own && s == ENDORSEMENT_SUSPENDED);
	if (v == NULL) {
		derr_set(e, a, 500, NULL, "the endorsement could not be shown");
		return NULL;
	}
	if (g.withdrawn != NULL)
		json_object_set_new(v, "withdrawn", json_string(date_us_text(
		    g.withdrawn, d2, sizeof d2)));
	if (g.withdrawn_reason != NULL)
		json_object_set_new(v, "reason", json_string(
		    g.withdrawn_reason));
	return v;
}
