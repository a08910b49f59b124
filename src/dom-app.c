/*
 * Applications (dom-app.h): status changes through app_machine,
 * submission and the decision's store side.  No struct req here: an
 * actor, an arena and plain values in, 0 or -1 with a struct derr out.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "dom-notify.h"
#include "dom-money.h"
#include "dom-review.h"
#include "banned.h"

/* The machine's "applicant" is the person whose application it is, not
   any account of that role. */
unsigned
app_who(const struct actor *who, const struct app *a)
{
	unsigned	 bits = actor_who(who) & ~(unsigned)SM_WHO_APPLICANT;

	if (who != NULL && who->id > 0 && who->id == a->account)
		bits |= SM_WHO_APPLICANT;
	return bits;
}

/* One reader of the row for every caller: the page, the rater's answer
   and the scheduler all see the same struct app. */
int
app_read(struct arena *arena, int64_t id, struct app *a)
{
	struct dbq		*st;
	struct row_app_get	 row;
	int			 rc;

	memset(a, 0, sizeof *a);
	st = db_stmt(S_APP_GET);
	db_bind_int(st, "$id", id);
	if ((rc = row_app_get(st, arena, &row)) == DB_ROW) {
		a->id = row.id;
		a->account = row.account;
		a->association = row.association;
		a->category = row.category;
		a->status = row.status;
		a->ethics_signed = row.ethics_signed;
		a->updated = row.updated;
		a->submitted = row.submitted;
		a->fee_owed = (int)row.fee_owed;
		a->cycle = row.cycle;
		a->waiver = (int)row.waiver;
		a->decision = row.decision;
		a->decision_note = row.decision_note;
		a->returned = row.returned;
		a->return_note = row.return_note;
		a->return_entries = row.return_entries;
		a->round = row.round;
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* The applicant's address is read at the time of the mail: it may have
   changed since the application was opened. */
int
app_mail(struct arena *arena, const struct app *a, const char *subject,
    const char *body)
{
	struct dbq		*st = db_stmt(S_ACCOUNT_BY_ID);
	struct row_account_by_id row;
	char			*to = NULL;

	db_bind_int(st, "$id", a->account);
	if (row_account_by_id(st, arena, &row) == DB_ROW)
		to = row.email;
	db_reset(st);
	if (to == NULL)
		return -1;
	return mail_send(&(struct mail){ to, subject, body, a->association,
	    0 });
}

/* The word of a state, for the audit row's from and to. */
static const char *
status_word(int s)
{
	const char	*w = db_enum_word(app_status, s);

	return w != NULL ? w : "";
}

/* The machine first, then the row, which must still be where the caller
   saw it: a change made meanwhile is refused, never overwritten. */
int
app_set_status(const struct actor *who, struct arena *arena, int64_t app,
    enum app_status from, enum app_event ev, json_t *detail, struct derr *e)
{
	struct dbq	*st;
	int		 to;

	if ((to = sm_apply(&app_machine, (int)from, (int)ev, actor_who(who),
	    e, arena)) < 0) {
		json_decref(detail);
		return -1;
	}
	st = db_stmt(S_APP_SET_STATUS);
	db_bind_enum(st, "$status", app_status, to);
	db_bind_enum(st, "$from", app_status, from);
	db_bind_int(st, "$id", app);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_changes() != 1) {
		json_decref(detail);
		return derr_set(e, arena, 409, NULL, "the application changed "
		    "meanwhile; reload the page");
	}
	if (detail == NULL)
		detail = json_object();
	json_object_set_new(detail, "from", json_string(status_word(from)));
	json_object_set_new(detail, "to", json_string(status_word(to)));
	if (audit_write(who, "application", app, "status", detail) != 0)
		return derr_store(e, arena, "the change of status");
	return 0;
}

/* The decision word stored with a decision event. */
enum recommendation
app_event_rec(enum app_event ev)
{
	switch (ev) {
	case APPEV_ENDORSE:
		return REC_ENDORSE;
	case APPEV_EXAM:
		return REC_EXAM;
	case APPEV_DEFER:
		return REC_DEFER;
	case APPEV_DENY:
		return REC_DENY;
	default:
		return REC_NONE;
	}
}

/* A decision is a status change that also keeps what was decided and
   why, for the applicant's page and the audit. */
int
app_decide(const struct actor *who, struct arena *arena, int64_t app,
    enum app_status from, enum app_event ev, const char *note,
    json_t *detail, struct derr *e)
{
	enum recommendation	 rec = app_event_rec(ev);
	struct dbq		*st;
	int			 to;

	if (rec == REC_NONE) {
		json_decref(detail);
		return derr_set(e, arena, 400, "decision", "choose endorse, "
		    "exam, defer or deny");
	}
	if ((to = sm_apply(&app_machine, (int)from, (int)ev, actor_who(who),
	    e, arena)) < 0) {
		json_decref(detail);
		return -1;
	}
	if (note == NULL)
		note = "";
	st = db_stmt(S_APP_SET_DECISION);
	db_bind_enum(st, "$status", app_status, to);
	db_bind_enum(st, "$decision", recommendation, rec);
	db_bind_text(st, "$note", note);
	db_bind_int(st, "$id", app);
	db_bind_int(st, "$now", db_now());
	db_bind_enum(st, "$from", app_status, from);
	if (db_exec(st) != 0 || db_changes() != 1) {
		json_decref(detail);
		return derr_set(e, arena, 409, "decision", "the application "
		    "changed meanwhile; reload the page");
	}
	if (detail == NULL)
		detail = json_object();
	json_object_set_new(detail, "decision", json_string(
	    db_enum_word(recommendation, rec)));
	json_object_set_new(detail, "from", json_string(status_word(from)));
	json_object_set_new(detail, "to", json_string(status_word(to)));
	json_object_set_new(detail, "note", json_string(note));
	if (audit_write(who, "application", app, "decision", detail) != 0)
		return derr_store(e, arena, "the decision");
	return 0;
}

/* The review cycle open today for an association, 0 for none. */
int64_t
app_current_cycle(const char *assoc)
{
	struct dbq		*st = db_stmt(S_CYCLE_CURRENT);
	struct row_cycle_current row;
	char			 today[11];
	int64_t			 cycle = 0;

	date_format(web_today(), today);
	db_bind_text(st, "$assoc", assoc);
	db_bind_text(st, "$today", today);
	if (row_cycle_current(st, NULL, &row) == DB_ROW)
		cycle = row.id;
	db_reset(st);
	return cycle;
}

/* The status, the fee, the cycle, the dropped reviews, the audit row and
   the mail are one transaction: a submission is whole or not at all.  The
   applicant declares their answers true and complete first. */
int
app_submit(const struct actor *who, struct arena *arena,
    const struct app *a, int declared, struct derr *e)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct dbq		*st;
	int64_t			 cycle;
	int			 to, fee;

	if (rs == NULL)
		return derr_set(e, arena, 409, NULL, "the checklist is not yet "
		    "met: every requirement but the exam must be met before "
		    "you submit");
	if ((to = sm_apply(&app_machine, (int)a->status, APPEV_SUBMIT,
	    app_who(who, a), e, arena)) < 0)
		goto refused;
	if (!declared)
		return derr_set(e, arena, 400, "declare", "tick the box to "
		    "declare that your answers are true and complete");
	/* No amount in the rule set: the association bills it itself. */
	if ((fee = workflow_fee(rs, a->category)) < 0)
		fee = 0;
	if (money_due_refuse(arena, a, e) != 0)
		return -1;
	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	cycle = app_current_cycle(a->association);
	st = db_stmt(S_APP_SUBMIT);
	db_bind_enum(st, "$status", app_status, to);
	db_bind_enum(st, "$from", app_status, a->status);
	db_bind_int(st, "$fee", fee);
	if (cycle > 0)
		db_bind_int(st, "$cycle", cycle);
	else
		db_bind_null(st, "$cycle");
	db_bind_int(st, "$id", a->id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || db_changes() != 1 ||
	    money_charge_submit(who, arena, a) != 0)
		goto fail;
	/* After a return the round goes on: its reviews open again and its
	   people hear what changed.  Otherwise a review left unfinished when
	   the application came back (a deferral) belongs to no round now. */
	if (a->returned > 0) {
		if (review_resubmitted(arena, a) != 0)
			goto fail;
	} else {
		st = db_stmt(S_ASSIGN_CLEAR_OPEN);
		db_bind_int(st, "$app", a->id);
		if (db_exec(st) != 0 || notify_coordinators(arena, a,
		    "A new application was submitted", arena_printf(arena,
		    "%s submitted a %s (%s) application to %s.\n\n%s\n\n"
		    "%s/coordinator/applications/%lld\n", who->name != NULL ?
		    who->name : "An applicant", web_category_title(
		    a->association, a->category), a->category, rs->name,
		    cycle > 0 ? "It is in the current review cycle." : "No "
		    "review cycle is open: it waits for the next one.",
		    cfg.base_url, (long long)a->id)) != 0)
			goto fail;
	}
	if (audit_write(who, "application", a->id, "submit", json_pack(
	    "{s:s, s:s, s:i, s:I}", "from", status_word(a->status), "to",
	    status_word(to), "fee", fee, "cycle", (json_int_t)cycle)) != 0 ||
	    app_mail(arena, a, "Your application is submitted",
	    arena_printf(arena, "Your %s (%s) application to %s is submitted "
	    "and locked.\n\nProcessing fee: %s.\n\n%s\n", web_category_title(
	    a->association, a->category), a->category, rs->name,
	    web_fee_words(arena, a->association, a->category, 0), cycle > 0 ?
	    "It is in the current review cycle." : "It will enter the next "
	    "review cycle when the association opens one.")) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
refused:
	return derr_set(e, arena, 409, NULL, "the application could not be "
	    "submitted; reload the page and try again");
}

/* A rater who answered under a waiver was promised confidence: the
   waiver stays once someone has answered under it. */
int
app_set_waiver(const struct actor *who, struct arena *arena,
    const struct app *a, int on, struct derr *e)
{
	struct dbq		*st;
	struct row_rating_list	 row;
	int			 answered = 0;

	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a->id);
	while (row_rating_list(st, NULL, &row) == DB_ROW)
		if (row.answered != 0)
			answered = 1;
	db_reset(st);
	if (!on && a->waiver && answered)
		return derr_set(e, arena, 409, "waive", "waive: a rater has "
		    "answered under your waiver; it cannot be withdrawn now");
	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	st = db_stmt(S_APP_SET_WAIVER);
	db_bind_int(st, "$waiver", on);
	db_bind_int(st, "$id", a->id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || audit_write(who, "application", a->id,
	    "waiver", json_pack("{s:b}", "waived", on)) != 0 ||
	    db_commit() != 0) {
		db_rollback();
		return derr_set(e, arena, 503, NULL, "the waiver could not be "
		    "stored");
	}
	return 0;
}

/* The applicant's own changes need the owner and an application open to
   changes; the pages check it first, this is the domain's own word. */
int
app_writable(const struct actor *who, struct arena *arena,
    const struct app *a, struct derr *e)
{
	if ((app_who(who, a) & SM_WHO_APPLICANT) == 0)
		return derr_set(e, arena, 404, NULL, "there is no such "
		    "application");
	if (!app_editable(a))
		return derr_set(e, arena, 409, NULL, "this application is "
		    "submitted and locked; ask your coordinator to unlock it "
		    "for changes");
	return 0;
}

/* The rule set decides what may be applied for: an association that is
   loaded, one of its categories. */
int
app_open(const struct actor *who, struct arena *arena, const char *assoc,
    const char *category, int64_t *id, struct derr *e)
{
	const struct ruleset	*rs;
	struct dbq		*st;

	if (assoc == NULL || *assoc == '\0')
		return derr_set(e, arena, 400, "association", "choose an "
		    "association");
	if ((rs = web_rules(assoc)) == NULL)
		return derr_set(e, arena, 400, "association", "there is no "
		    "such association");
	if (category == NULL || *category == '\0')
		return derr_set(e, arena, 400, "category", "choose a category");
	if (rules_category(rs, category) == NULL)
		return derr_set(e, arena, 400, "category", "the association "
		    "has no such category");
	/* One statement: atomic without a transaction of its own. */
	st = db_stmt(S_APP_INSERT);
	db_bind_int(st, "$account", who->id);
	db_bind_text(st, "$assoc", rs->id);
	db_bind_text(st, "$category", category);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		return derr_set(e, arena, 503, NULL, "the application could "
		    "not be stored");
	*id = db_last_id();
	return 0;
}

/* Withdrawing deletes: a withdrawn application is not a state to keep
   (its entries and requests go with it, ON DELETE CASCADE). */
int
app_withdraw(const struct actor *who, struct arena *arena,
    const struct app *a, struct derr *e)
{
	struct dbq	*st;

	if (app_writable(who, arena, a, e) != 0)
		return -1;
	st = db_stmt(S_APP_DELETE);
	db_bind_int(st, "$id", a->id);
	if (db_exec(st) != 0)
		return derr_set(e, arena, 500, NULL, "the application could "
		    "not be deleted");
	return 0;
}

/* The signature is a date: today's, or none when withdrawn. */
int
app_sign_ethics(const struct actor *who, struct arena *arena,
    const struct app *a, int on, struct derr *e)
{
	struct dbq	*st;
	char		 today[11];

	if (app_writable(who, arena, a, e) != 0)
		return -1;
	date_format(web_today(), today);
	st = db_stmt(S_APP_SET_ETHICS);
	db_bind_text(st, "$date", on ? today : NULL);
	db_bind_int(st, "$id", a->id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		return derr_set(e, arena, 500, NULL, "the signature could not "
		    "be stored");
	return 0;
}

/* The holder hides an endorsement from the registry's search (it still
   verifies by its number), or shows it again; audited. */
int
endorsement_hide(const struct actor *who, struct arena *arena, int64_t id,
    int hidden, struct derr *e)
{
	struct dbq	*st;

	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	st = db_stmt(S_ENDORSEMENT_HIDE);
	db_bind_int(st, "$hidden", hidden);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$account", who->id);
	if (db_exec(st) != 0 || db_changes() != 1) {
		db_rollback();
		return derr_set(e, arena, 404, NULL, "there is no such "
		    "endorsement of yours");
	}
	if (audit_write(who, "endorsement", id, hidden ? "hide" : "show",
	    NULL) != 0 || db_commit() != 0) {
		db_rollback();
		return derr_set(e, arena, 503, NULL, "the change could not be "
		    "stored");
	}
	return 0;
}

/* What the reviewers wrote for the applicant: [{text}]. */
json_t *
app_reviewer_notes(const struct app *a)
{
	struct dbq			*st;
	struct row_assign_list_app	 row;
	json_t				*notes = json_array();

	st = db_stmt(S_ASSIGN_LIST_APP);
	db_bind_int(st, "$app", a->id);
	while (row_assign_list_app(st, NULL, &row) == DB_ROW)
		if (row.to_applicant != NULL && *row.to_applicant != '\0')
			json_array_append_new(notes, json_pack("{s:s}",
			    "text", row.to_applicant));
	db_reset(st);
	return notes;
}

/* The number of the endorsement issued on the application, or NULL. */
const char *
app_endorsement_number(struct arena *arena, const struct app *a)
{
	struct dbq			*st;
	struct row_endorsement_of_app	 row;
	const char			*number = NULL;

	st = db_stmt(S_ENDORSEMENT_OF_APP);
	db_bind_int(st, "$app", a->id);
	if (row_endorsement_of_app(st, arena, &row) == DB_ROW)
		number = row.number;
	db_reset(st);
	return number;
}

/* The certificate is printed from the store's record, never from what
   the page was asked with. */
int
endorsement_read(struct arena *arena, const char *number,
    struct row_endorsement_by_number *row)
{
	struct dbq	*st;
	int		 rc;

	st = db_stmt(S_ENDORSEMENT_BY_NUMBER);
	db_bind_text(st, "$number", number);
	rc = row_endorsement_by_number(st, arena, row);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* ----------------------------------------------------- the dashboard */

/* The person's current memberships, for the dashboard. */
json_t *
member_current(int64_t account)
{
	struct dbq		*st;
	struct row_member_list	 row;
	json_t			*mem = json_array();
	char			 today[11];

	date_format(web_today(), today);
	st = db_stmt(S_MEMBER_LIST);
	db_bind_int(st, "$account", account);
	db_bind_null(st, "$assoc");
	while (row_member_list(st, NULL, &row) == DB_ROW) {
		if (strcmp(row.start, today) > 0 ||
		    (row.end != NULL && strcmp(row.end, today) < 0))
			continue;
		json_array_append_new(mem, json_pack("{s:s, s:s}",
		    "association", web_assoc_name(row.association), "end",
		    row.end != NULL ? row.end : "ongoing"));
	}
	db_reset(st);
	return mem;
}

/* A revoked or suspended endorsement's words for its holder: since when
   and the reason recorded (dom-revoke.c, or the import's). */
static void
withdrawn_note(json_t *o, const struct row_endorsement_of_account *row)
{
	char	 day[DATE_US_MAX];
	char	 note[FIELD_TEXT_MAX + 200];

	if (row->status != ENDORSEMENT_REVOKED &&
	    row->status != ENDORSEMENT_SUSPENDED)
		return;
	snprintf(note, sizeof note, "%s%s%s%s%s", row->status ==
	    ENDORSEMENT_REVOKED ? "revoked" : "suspended", row->withdrawn !=
	    NULL ? row->status == ENDORSEMENT_REVOKED ? " on " : " since " :
	    "", row->withdrawn != NULL ? date_us_text(row->withdrawn, day,
	    sizeof day) : "", row->withdrawn_reason != NULL ? ": " : "",
	    row->withdrawn_reason != NULL ? row->withdrawn_reason : "");
	json_object_set_new(o, "withdrawn_note", json_string(note));
	if (row->status == ENDORSEMENT_SUSPENDED)
		json_object_set_new(o, "suspended", json_true());
}

/* The person's endorsements, hidden or not, for the dashboard. */
json_t *
endorsement_list(int64_t account)
{
	struct dbq			*st;
	struct row_endorsement_of_account row;
	json_t				*ends = json_array(), *o;

	st = db_stmt(S_ENDORSEMENT_OF_ACCOUNT);
	db_bind_int(st, "$account", account);
	while (row_endorsement_of_account(st, NULL, &row) == DB_ROW) {
		o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id",
		    (json_int_t)row.id, "number", row.number, "association",
		    web_assoc_name(row.association), "category",
		    row.category, "since", row.since, "status",
		    db_enum_word(endorsement_status, row.status), "hidden",
		    row.hidden != 0, "active",
		    row.status == ENDORSEMENT_ACTIVE);
		withdrawn_note(o, &row);
		json_array_append_new(ends, o);
	}
	db_reset(st);
	return ends;
}

/* Ids only: each application is then loaded with its reader's access
   check (app_load), as any other page does. */
/* The person's applications as the API lists them: [{id, association,
   category, status}], or NULL when the read failed. */
json_t *
app_list_json(int64_t account)
{
	json_t			*list = json_array();
	struct row_app_list	 a;
	struct dbq		*st;
	int			 rc;

	st = db_stmt(S_APP_LIST);
	db_bind_int(st, "$account", account);
	while ((rc = row_app_list(st, NULL, &a)) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s}",
		    "id", (json_int_t)a.id, "association", a.association,
		    "category", a.category, "status",
		    db_enum_word(app_status, a.status)));
	db_reset(st);
	if (rc == DB_ERROR) {
		json_decref(list);
		return NULL;
	}
	return list;
}

int
app_ids_of(int64_t account, int64_t *ids, int max)
{
	struct dbq		*st;
	struct row_app_list	 row;
	int			 n = 0;

	st = db_stmt(S_APP_LIST);
	db_bind_int(st, "$account", account);
	while (n < max && row_app_list(st, NULL, &row) == DB_ROW)
		ids[n++] = row.id;
	db_reset(st);
	return n;
}

/* Whether the dashboard links to the reviewer's list. */
int
reviewer_has_any(int64_t account)
{
	struct dbq	*st;
	int		 yes;

	st = db_stmt(S_ASSIGN_LIST_REVIEWER);
	db_bind_int(st, "$reviewer", account);
	yes = db_step(st) == DB_ROW;
	db_reset(st);
	return yes;
}

/* ------------------------------------------------ issuing an endorsement */

/* Seed 001: an ERS add-on decided together with its FS or MHS
   application waits for that one; why, naming it, or NULL. */
const char *
app_waits_for(struct arena *arena, const struct app *a, json_t *check)
{
	json_t		*w = json_object_get(check, "decided_with");
	const char	*cat, *state = "";
	struct app	 o;
	json_int_t	 id;

	if (!json_is_object(w))
		return NULL;
	cat = json_string_value(json_object_get(w, "category"));
	id = json_integer_value(json_object_get(w, "application"));
	if (id > 0 && app_read(arena, id, &o) == 0 &&
	    o.account == a->account && app_editable(&o))
		state = " (it is not submitted yet)";
	if (id <= 0)
		return arena_printf(arena, "decide the %s application "
		    "first: the two are decided together", cat != NULL ? cat :
		    "other");
	return arena_printf(arena, "decide the %s application #%lld "
	    "first: the two are decided together%s", cat != NULL ? cat :
	    "other", (long long)id, state);
}

/*
 * What the checklist says of the endorsement to issue: *until, the
 * deadline of Emerging status (the ERS add-on without its 12 months of
 * providing RSC) or NULL; -1 and e (409) when it waits for an open
 * application decided together with it.
 */
static int
grant_terms(struct arena *arena, const struct app *a, char **until,
    struct derr *e)
{
	json_t		*doc, *check;
	const char	*dl, *why;
	char		*cause = NULL;

	*until = NULL;
	doc = app_document(web_rules(a->association), a);
	check = app_checklist(NULL, a, doc, &cause);
	json_decref(doc);
	free(cause);
	if ((why = app_waits_for(arena, a, check)) != NULL) {
		json_decref(check);
		return derr_set(e, arena, 409, "decision", "%s", why);
	}
	dl = json_string_value(json_object_get(check, "deadline"));
	if (check != NULL && json_is_string(json_object_get(check, "status")) &&
	    strcmp(json_string_value(json_object_get(check, "status")),
	    "emerging") == 0 && dl != NULL)
		*until = arena_strdup(arena, dl);
	json_decref(check);
	return 0;
}

/* Held already (an Emerging ERS applying with the full requirements):
   the same endorsement, its deadline met (was) or kept (until). */
static int
grant_again(const struct actor *who, struct arena *arena, const struct app *a,
    int64_t id, const char *number, const char *was, const char *until,
    struct derr *e)
{
	struct dbq	*st;

	if (was == NULL || until != NULL)
		return audit_write(who, "endorsement", id, "confirm",
		    json_pack("{s:s, s:I}", "number", number, "application",
		    (json_int_t)a->id)) != 0 ? derr_set(e, arena, 500,
		    NULL, "the endorsement could not be stored") : 0;
	st = db_stmt(S_ENDORSEMENT_SET_EMERGING);
	db_bind_int(st, "$id", id);
	if (db_exec(st) != 0 || audit_write(who, "endorsement", id,
	    "emerging-met", json_pack("{s:s, s:s, s:I}", "number", number,
	    "was", was, "application", (json_int_t)a->id)) != 0)
		return derr_set(e, arena, 500, NULL, "the endorsement could "
		    "not be stored");
	return 0;
}

/* The endorsement the application's category held by its account, if
   any: *id, *number, *was (its Emerging deadline) into the arena. */
static void
grant_held(struct arena *arena, const struct app *a, int64_t *id,
    char **number, char **was)
{
	struct dbq			*st;
	struct row_endorsement_held	 held;

	*id = 0;
	*number = *was = NULL;
	st = db_stmt(S_ENDORSEMENT_HELD);
	db_bind_int(st, "$account", a->account);
	db_bind_text(st, "$assoc", a->association);
	db_bind_text(st, "$category", a->category);
	if (row_endorsement_held(st, arena, &held) == DB_ROW) {
		*id = held.id;
		*number = held.number;
		*was = held.emerging_until;
	}
	db_reset(st);
}

/*
 * PREFIX-YEAR-NNNN, the next number of the association that year.  The
 * count runs in the caller's write transaction (BEGIN IMMEDIATE), so two
 * decisions cannot take the same number; the UNIQUE constraint would
 * refuse it anyway.
 */
int
endorsement_grant(const struct actor *who, struct arena *arena,
    const struct app *a, char **number, struct derr *e)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct dbq		*st;
	struct row_endorsement_count_prefix cnt;
	struct row_account_by_id acc;
	char			 today[11], *name = NULL, *until, *was;
	int			 y, m, d, n = 0;
	int64_t			 id;

	*number = NULL;
	if (rs == NULL)
		return derr_set(e, arena, 500, NULL, "the association's rule "
		    "set is not loaded");
	date_ymd(web_today(), &y, &m, &d);
	date_format(web_today(), today);
	st = db_stmt(S_ENDORSEMENT_COUNT_PREFIX);
	db_bind_text(st, "$pat", arena_printf(arena, "%s-%04d-%%",
	    rs->workflow.number_prefix, y));
	if (row_endorsement_count_prefix(st, NULL, &cnt) == DB_ROW)
		n = (int)cnt.n;
	db_reset(st);
	st = db_stmt(S_ACCOUNT_BY_ID);
	db_bind_int(st, "$id", a->account);
	if (row_account_by_id(st, arena, &acc) == DB_ROW)
		name = acc.name;
	db_reset(st);
	if (name == NULL)
		return derr_set(e, arena, 500, NULL, "the applicant's account "
		    "is gone");
	if (grant_terms(arena, a, &until, e) != 0)
		return -1;
	grant_held(arena, a, &id, number, &was);
	if (*number != NULL && id != 0)
		return grant_again(who, arena, a, id, *number, was, until, e);
	*number = arena_printf(arena, "%s-%04d-%04d",
	    rs->workflow.number_prefix, y, n + 1);
	st = db_stmt(S_ENDORSEMENT_ISSUE);
	db_bind_text(st, "$number", *number);
	db_bind_int(st, "$account", a->account);
	db_bind_text(st, "$assoc", a->association);
	db_bind_text(st, "$category", a->category);
	db_bind_text(st, "$since", today);
	db_bind_text(st, "$name", name);
	db_bind_text(st, "$city", "");
	db_bind_int(st, "$app", a->id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		return derr_set(e, arena, 500, NULL, "the endorsement could "
		    "not be stored");
	id = db_last_id();
	if (until != NULL) {
		st = db_stmt(S_ENDORSEMENT_SET_EMERGING);
		db_bind_int(st, "$id", id);
		db_bind_text(st, "$until", until);
		if (db_exec(st) != 0)
			return derr_set(e, arena, 500, NULL, "the endorsement "
			    "could not be stored");
	}
	if (audit_write(who, "endorsement", id, "issue", json_pack("{s:s, "
	    "s:s, s:s, s:I, s:s?}", "number", *number, "category",
	    a->category, "since", today, "application", (json_int_t)a->id,
	    "emerging_until", until)) != 0)
		return derr_set(e, arena, 500, NULL, "the endorsement could "
		    "not be stored");
	return 0;
}
