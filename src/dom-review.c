/*
 * Review's domain (dom-review.h): every change the coordinator's review
 * pages and the reviewer's form make, each one transaction with its
 * audit row and its mail (all stored, or none), and the reads those
 * changes and the pages share.  A row of another association answers
 * 404, as a missing one would.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web.h"
#include "dom-review.h"
#include "banned.h"

#define MAX_COORDS	32	/* coordinators mailed per association */

/* ------------------------------------------------------------ machines */

#define C	SM_WHO_COORDINATOR
#define R	SM_WHO_REVIEWER
static const struct sm_line cycle_lines[] = {
	{ CYCLE_OPEN,	CYCLEV_CLOSE,	CYCLE_CLOSED,	C },
};
static const char *const cycle_events[CYCLEV__N] = { "closed" };
const struct sm cycle_machine = { "review cycle", cycle_lines,
    (int)(sizeof cycle_lines / sizeof cycle_lines[0]), cycle_status_names,
    cycle_events };

static const struct sm_line asg_lines[] = {
	{ ASG_DRAFT,	ASGEV_SAVE,	ASG_DRAFT,	R },
	{ ASG_DRAFT,	ASGEV_SUBMIT,	ASG_DONE,	R },
};
static const char *const asg_states[ASG__N] = { "draft", "submitted" };
static const char *const asg_events[ASGEV__N] = { "saved", "submitted" };
const struct sm asg_machine = { "review", asg_lines,
    (int)(sizeof asg_lines / sizeof asg_lines[0]), asg_states, asg_events };
#undef C
#undef R

/* ----------------------------------------------------- recommendations */

/* The labels the reviewer and the coordinator choose from. */
static const char *const rec_labels[recommendation__N] = {
	[REC_NONE] = "",
	[REC_ENDORSE] = "Endorse",
	[REC_EXAM] = "Approve for the exam",
	[REC_DEFER] = "Defer: more training or RSC is needed",
	[REC_DENY] = "Deny",
};

/* The form's word is the store's: the one place the words are read. */
enum recommendation
rec_parse(const char *w)
{
	int	 i;

	if (w == NULL || *w == '\0')
		return REC_NONE;
	for (i = 0; i < recommendation__N; i++)
		if (recommendation_names[i] != NULL &&
		    strcmp(recommendation_names[i], w) == 0)
			return (enum recommendation)i;
	return recommendation__N;
}

const char *
rec_label(enum recommendation v)
{
	return (unsigned)v < recommendation__N ? rec_labels[v] : "";
}

/* A decision is stored as its word; an unknown one shows as itself. */
const char *
rec_word_label(const char *w)
{
	enum recommendation	 v = rec_parse(w);

	if (v == recommendation__N)
		return w;
	return rec_label(v);
}

/* A note of blanks says nothing. */
int
review_blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* The rule set says how many review an application; one at least. */
int
review_needed(const char *assoc)
{
	const struct ruleset	*rs = web_rules(assoc);

	return rs != NULL && rs->workflow.reviewers > 0 ?
	    rs->workflow.reviewers : 1;
}

int
review_agree(const char *assoc)
{
	const struct ruleset	*rs = web_rules(assoc);

	return rs != NULL && rs->workflow.agree;
}

/* --------------------------------------------------------------- reads */

int
review_asg_list(struct arena *ar, int64_t app, struct asg *out, int max)
{
	struct dbq			*st = db_stmt(S_ASSIGN_LIST_APP);
	struct row_assign_list_app	 row;
	struct asg			*s;
	int				 n = 0;

	db_bind_int(st, "$app", app);
	while (n < max && row_assign_list_app(st, ar, &row) == DB_ROW) {
		s = &out[n++];
		memset(s, 0, sizeof *s);
		s->id = row.id;
		s->app = app;
		s->reviewer = row.reviewer;
		s->name = row.name;
		s->email = row.email;
		s->rec = rec_parse(row.recommendation);
		s->missing = row.missing;
		s->comments = row.comments;
		s->to_applicant = row.to_applicant;
		s->competencies = row.competencies;
		s->done = row.done;
	}
	db_reset(st);
	return n;
}

int
review_asg_get(struct arena *ar, int64_t id, int64_t reviewer, struct asg *s)
{
	struct dbq		*st = db_stmt(S_ASSIGN_GET);
	struct row_assign_get	 row;
	int			 rc;

	memset(s, 0, sizeof *s);
	db_bind_int(st, "$id", id);
	db_bind_int(st, "$reviewer", reviewer);
	if ((rc = row_assign_get(st, ar, &row)) == DB_ROW) {
		s->id = row.id;
		s->app = row.application;
		s->reviewer = reviewer;
		s->rec = rec_parse(row.recommendation);
		s->missing = row.missing;
		s->comments = row.comments;
		s->to_applicant = row.to_applicant;
		s->competencies = row.competencies;
		s->done = row.done;
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

int
review_asg_done(const struct asg *s, int n)
{
	int	 i, d = 0;

	for (i = 0; i < n; i++)
		d += s[i].done > 0;
	return d;
}

int
review_asg_differ(const struct asg *s, int n)
{
	enum recommendation	 first = REC_NONE;
	int			 i;

	for (i = 0; i < n; i++) {
		if (s[i].done <= 0 || s[i].rec == REC_NONE)
			continue;
		if (first == REC_NONE)
			first = s[i].rec;
		else if (first != s[i].rec)
			return 1;
	}
	return 0;
}

/* Read every row of st into an array in the arena; the count. */
#define ROWS_READER(kind)						\
static int								\
rows_##kind(struct dbq *st, struct arena *ar, struct row_##kind **out)	\
{									\
	struct row_##kind	*v = NULL, *w;				\
	int			 n = 0, cap = 0;			\
									\
	for (;;) {							\
		if (n == cap) {						\
			cap = cap > 0 ? cap * 2 : 16;			\
			w = arena_alloc(ar, (size_t)cap * sizeof *w);	\
			if (n > 0)					\
				memcpy(w, v, (size_t)n * sizeof *w);	\
			v = w;						\
		}							\
		if (row_##kind(st, ar, &v[n]) != DB_ROW)		\
			break;						\
		n++;							\
	}								\
	db_reset(st);							\
	*out = v;							\
	return n;							\
}
ROWS_READER(app_list_assoc)
ROWS_READER(cycle_list)
ROWS_READER(cycle_apps)
ROWS_READER(reviewer_list)
ROWS_READER(audit_list)
ROWS_READER(assign_list_reviewer)
ROWS_READER(outbox_list)
#undef ROWS_READER

int
review_apps(struct arena *ar, const char *assoc,
    struct row_app_list_assoc **out)
{
	struct dbq	*st = db_stmt(S_APP_LIST_ASSOC);

	db_bind_text(st, "$assoc", assoc);
	return rows_app_list_assoc(st, ar, out);
}

int
review_cycles(struct arena *ar, const char *assoc, struct row_cycle_list **out)
{
	struct dbq	*st = db_stmt(S_CYCLE_LIST);

	db_bind_text(st, "$assoc", assoc);
	return rows_cycle_list(st, ar, out);
}

int
review_cycle_get(struct arena *ar, const char *assoc, int64_t id,
    struct row_cycle_get *c)
{
	struct dbq	*st = db_stmt(S_CYCLE_GET);
	int		 rc;

	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", assoc);
	rc = row_cycle_get(st, ar, c);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

int
review_cycle_apps(struct arena *ar, const char *assoc, int64_t id,
    struct row_cycle_apps **out)
{
	struct dbq	*st = db_stmt(S_CYCLE_APPS);

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$cycle", id);
	return rows_cycle_apps(st, ar, out);
}

int
review_reviewers(struct arena *ar, const char *assoc,
    struct row_reviewer_list **out)
{
	struct dbq	*st = db_stmt(S_REVIEWER_LIST);

	db_bind_text(st, "$assoc", assoc);
	return rows_reviewer_list(st, ar, out);
}

int
review_history(struct arena *ar, int64_t app, struct row_audit_list **out)
{
	struct dbq	*st = db_stmt(S_AUDIT_LIST);

	db_bind_int(st, "$app", app);
	return rows_audit_list(st, ar, out);
}

int
review_todo(struct arena *ar, int64_t reviewer,
    struct row_assign_list_reviewer **out)
{
	struct dbq	*st = db_stmt(S_ASSIGN_LIST_REVIEWER);

	db_bind_int(st, "$reviewer", reviewer);
	return rows_assign_list_reviewer(st, ar, out);
}

int
review_outbox(struct arena *ar, const char *assoc,
    struct row_outbox_list **out)
{
	struct dbq	*st = db_stmt(S_OUTBOX_LIST);

	db_bind_text(st, "$assoc", assoc);
	return rows_outbox_list(st, ar, out);
}

/* Application id in the transaction, when it is of the actor's
   association; 0, or -1 with e (404). */
static int
load_app(const struct actor *who, struct arena *ar, int64_t id,
    struct app *a, struct derr *e)
{
	struct dbq		*st = db_stmt(S_APP_GET);
	struct row_app_get	 row;
	int			 rc;

	memset(a, 0, sizeof *a);
	db_bind_int(st, "$id", id);
	rc = row_app_get(st, ar, &row);
	db_reset(st);
	if (rc != DB_ROW || who->association == NULL ||
	    strcmp(row.association, who->association) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such "
		    "application");
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
	return 0;
}

/* An account's name and e-mail; 0, or -1 when it is gone. */
static int
account_of(struct arena *ar, int64_t id, char **name, char **email)
{
	struct dbq		*st = db_stmt(S_ACCOUNT_BY_ID);
	struct row_account_by_id row;
	int			 rc;

	db_bind_int(st, "$id", id);
	if ((rc = row_account_by_id(st, ar, &row)) == DB_ROW) {
		if (name != NULL)
			*name = row.name;
		if (email != NULL)
			*email = row.email;
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Mail the applicant (in the caller's transaction); 0 or -1. */
static int
notify(struct arena *ar, const struct app *a, const char *subject,
    const char *body)
{
	char	*to = NULL;

	if (account_of(ar, a->account, NULL, &to) != 0 || to == NULL)
		return -1;
	return mail_send(&(struct mail){ to, subject, body, a->association,
	    0 });
}

/* Mail every coordinator of an association (in the caller's
   transaction); 0 or -1. */
static int
mail_coordinators(struct arena *ar, const char *assoc, const char *subject,
    const char *body)
{
	struct dbq			*st = db_stmt(S_COORDINATOR_OF);
	struct row_coordinator_of	 row;
	char				*to[MAX_COORDS];
	int				 n = 0, i;

	db_bind_text(st, "$assoc", assoc);
	while (n < MAX_COORDS && row_coordinator_of(st, ar, &row) == DB_ROW)
		to[n++] = row.email;
	db_reset(st);
	for (i = 0; i < n; i++)
		if (to[i] != NULL && mail_send(&(struct mail){ to[i], subject,
		    body, assoc, 0 }) != 0)
			return -1;
	return 0;
}

/* The machines' who bits of an actor: a coordinator is one; whether an
   account reviews is a row (an assignment), checked by the caller. */
static unsigned
who_bits(const struct actor *who)
{
	switch (who->kind) {
	case ACTOR_COORDINATOR:
		return SM_WHO_COORDINATOR;
	case ACTOR_APPLICANT:
		return SM_WHO_APPLICANT;
	case ACTOR_SYSTEM:
		return SM_WHO_SYSTEM;
	default:
		return 0;
	}
}

/* Open a write transaction; -1 with e (503) when the store is busy. */
static int
begin(struct arena *ar, struct derr *e)
{
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, "the database is busy; try "
		    "again");
	return 0;
}

/* Roll back and hand the caller's -1 on. */
static int
undo(void)
{
	db_rollback();
	return -1;
}

/* -------------------------------------------------------------- unlock */

int
review_unlock(const struct actor *who, struct arena *ar, int64_t id,
    const char *note, struct derr *e)
{
	struct app	 a;
	struct dbq	*st = NULL;
	int		 to;

	if (review_blank(note))
		return derr_set(e, ar, 400, "unlock-note", "say what the "
		    "applicant should change; it is mailed to them");
	if (strlen(note) > REVIEW_MAX_TEXT)
		return derr_set(e, ar, 400, "unlock-note", "at most %d "
		    "characters", REVIEW_MAX_TEXT);
	if (begin(ar, e) != 0)
		return -1;
	if (load_app(who, ar, id, &a, e) != 0)
		return undo();
	if ((to = sm_apply(&app_machine, a.status, APPEV_UNLOCK,
	    who_bits(who), e, ar)) >= 0) {
		st = db_stmt(S_APP_SET_STATUS);
		db_bind_enum(st, "$status", app_status, to);
		db_bind_enum(st, "$from", app_status, a.status);
		db_bind_int(st, "$id", a.id);
		db_bind_int(st, "$now", db_now());
	}
	if (to < 0 || db_exec(st) != 0 || db_changes() != 1 ||
	    audit_write(who, "application", a.id, "status", json_pack("{s:s, "
	    "s:s, s:s}", "note", note, "from", db_enum_word(app_status,
	    a.status), "to", db_enum_word(app_status, to))) != 0) {
		derr_set(e, ar, 409, "unlock-note", "only a submitted "
		    "application can be unlocked; this one is %s",
		    db_enum_word(app_status, a.status));
		return undo();
	}
	if (notify(ar, &a, "Your application was returned for changes",
	    arena_printf(ar, "Your %s (%s) application to %s was "
	    "returned to you for changes. It is open for editing again; "
	    "submit it once more when it is ready.\n\nFrom the coordinator:"
	    "\n%s\n\n%s/applications/%lld\n", web_category_title(
	    a.association, a.category), a.category,
	    web_assoc_name(a.association), note, cfg.base_url,
	    (long long)a.id)) != 0 || db_commit() != 0) {
		derr_set(e, ar, 500, NULL, "the application could not be "
		    "unlocked; nothing was changed");
		return undo();
	}
	return 0;
}

/* ------------------------------------------------------------ decision */

/* The applicant's mail about a decision: the decision, the note, what
   the reviewers wrote for them. */
static const char *
decision_mail(struct arena *ar, const struct app *a, enum recommendation dec,
    const char *note, const char *number, const struct asg *s, int n,
    const char **subject)
{
	struct buf	 b;
	char		*out;
	int		 i, any = 0;

	buf_init(&b);
	buf_printf(&b, "Your %s (%s) application to %s: ", web_category_title(
	    a->association, a->category), a->category,
	    web_assoc_name(a->association));
	if (dec == REC_ENDORSE) {
		*subject = "You are endorsed";
		buf_printf(&b, "you are endorsed. Your endorsement number is "
		    "%s; the public registry lists it.\n", number);
	} else if (dec == REC_EXAM) {
		*subject = "Your application is approved for the exam";
		buf_puts(&b, "the review approved it for the exam. The "
		    "coordinator will register you for an exam session.\n");
	} else if (dec == REC_DEFER) {
		*subject = "Your application was deferred";
		buf_puts(&b, "more is needed before it can be endorsed. It is "
		    "open for changes again: add what is missing and submit "
		    "it once more.\n");
	} else {
		*subject = "Your application was not approved";
		buf_puts(&b, "it was not approved.\n");
	}
	if (!review_blank(note))
		buf_printf(&b, "\nFrom the coordinator:\n%s\n", note);
	for (i = 0; i < n; i++) {
		if (review_blank(s[i].to_applicant))
			continue;
		if (!any++)
			buf_puts(&b, "\nFrom the reviewers:\n");
		buf_printf(&b, "%s\n", s[i].to_applicant);
	}
	buf_printf(&b, "\n%s/applications/%lld\n", cfg.base_url,
	    (long long)a->id);
	out = arena_strdup(ar, b.s);
	buf_free(&b);
	return out;
}

/* What the decision asks of the form, before the store is asked. */
static int
decide_check(struct arena *ar, const struct app *a, enum recommendation dec,
    const char *note, struct derr *e)
{
	if (dec == REC_NONE || dec == recommendation__N)
		return derr_set(e, ar, 400, "decision", "choose endorse, exam, "
		    "defer or deny");
	if (note != NULL && strlen(note) > REVIEW_MAX_TEXT)
		return derr_set(e, ar, 400, "note", "at most %d characters",
		    REVIEW_MAX_TEXT);
	if (dec == REC_EXAM && !workflow_needs_exam(a))
		return derr_set(e, ar, 400, "decision", "this category has no "
		    "exam");
	if (dec == REC_DEFER && review_blank(note))
		return derr_set(e, ar, 400, "note", "say what is missing: the "
		    "applicant reads it to know what to add");
	return 0;
}

/* The new status of the application, asked of its machine; and whether
   the reviews are in.  -1 with e. */
static int
decide_may(const struct actor *who, struct arena *ar, const struct app *a,
    enum recommendation dec, const struct asg *s, int n, struct derr *e)
{
	static const int	 ev[recommendation__N] = {
		[REC_ENDORSE] = APPEV_ENDORSE, [REC_EXAM] = APPEV_EXAM,
		[REC_DEFER] = APPEV_DEFER, [REC_DENY] = APPEV_DENY,
	};
	int			 to, ndone = review_asg_done(s, n);
	int			 need = review_needed(a->association);

	to = sm_apply(&app_machine, a->status, ev[dec], who_bits(who), e, ar);
	if (to < 0 && e != NULL && e->status == 409)
		return derr_set(e, ar, 409, "decision", "a decision is made "
		    "on a submitted application (after the exam: endorse, "
		    "defer or deny); this one is %s",
		    db_enum_word(app_status, a->status));
	if (to < 0)
		return -1;
	if (n < need)
		return derr_set(e, ar, 409, "decision", "%d reviewer%s must "
		    "review it first; %d %s assigned", need, need == 1 ? "" :
		    "s", n, n == 1 ? "is" : "are");
	if (ndone < n)
		return derr_set(e, ar, 409, "decision", "not every reviewer "
		    "is done: %d of %d recommendations submitted", ndone, n);
	return to;
}

int
review_decide(const struct actor *who, struct arena *ar, int64_t id,
    enum recommendation dec, const char *note,
    int (*issue)(void *, const struct app *, char **, const char **),
    void *arg, struct derr *e)
{
	struct app	 a;
	struct asg	 s[REVIEW_MAX_ASSIGN];
	struct dbq	*st;
	const char	*why = NULL, *subject, *body;
	char		*number = NULL;
	int		 n, to, rc;

	if (begin(ar, e) != 0)
		return -1;
	if (load_app(who, ar, id, &a, e) != 0 ||
	    decide_check(ar, &a, dec, note, e) != 0)
		return undo();
	n = review_asg_list(ar, a.id, s, REVIEW_MAX_ASSIGN);
	if ((to = decide_may(who, ar, &a, dec, s, n, e)) < 0)
		return undo();
	if (dec == REC_ENDORSE &&
	    (rc = issue(arg, &a, &number, &why)) != 0) {
		derr_set(e, ar, rc > 0 ? 409 : 500, rc > 0 ? "decision" :
		    NULL, "%s", why);
		return undo();
	}
	st = db_stmt(S_APP_SET_DECISION);
	db_bind_enum(st, "$status", app_status, to);
	db_bind_enum(st, "$decision", recommendation, dec);
	db_bind_text(st, "$note", note != NULL ? note : "");
	db_bind_int(st, "$id", a.id);
	db_bind_int(st, "$now", db_now());
	db_bind_enum(st, "$from", app_status, a.status);
	if (db_exec(st) != 0 || db_changes() != 1) {
		derr_set(e, ar, 409, "decision", "the application changed "
		    "meanwhile; reload the page");
		return undo();
	}
	body = decision_mail(ar, &a, dec, note, number, s, n, &subject);
	if (audit_write(who, "application", a.id, "decision", json_pack(
	    "{s:s, s:s, s:s, s:s, s:s?}", "decision",
	    db_enum_word(recommendation, dec), "from", db_enum_word(
	    app_status, a.status), "to", db_enum_word(app_status, to),
	    "note", note != NULL ? note : "", "number", number)) != 0 ||
	    notify(ar, &a, subject, body) != 0 || db_commit() != 0) {
		derr_set(e, ar, 500, NULL, "the decision could not be stored; "
		    "nothing was changed");
		return undo();
	}
	return 0;
}

/* --------------------------------------------------------- assignments */

/* Whether e-mail is one of the application's raters (any request) or
   references (the portfolio's entries). */
static int
rater_or_reference(const struct app *a, const char *email)
{
	struct dbq		*st;
	struct row_rating_list	 row;
	json_t			*doc, *e;
	const char		*m;
	size_t			 i;
	int			 found = 0;

	if (email == NULL)
		return 0;
	st = db_stmt(S_RATING_LIST);
	db_bind_int(st, "$app", a->id);
	while (!found && row_rating_list(st, NULL, &row) == DB_ROW)
		found = row.email != NULL && strcasecmp(row.email, email) == 0;
	db_reset(st);
	if (found)
		return 1;
	doc = app_document(web_rules(a->association), a);
	json_array_foreach(json_object_get(doc, "references"), i, e) {
		m = json_string_value(json_object_get(e, "email"));
		if (m != NULL && strcasecmp(m, email) == 0) {
			found = 1;
			break;
		}
	}
	json_decref(doc);
	return found;
}

/* Whether reviewer may review a: -1 with e when not. */
static int
assign_may(struct arena *ar, const struct app *a, int64_t id,
    const char *name, const char *email, struct derr *e)
{
	struct asg	 s[REVIEW_MAX_ASSIGN];
	int		 i, n, need;

	if (id == a->account)
		return derr_set(e, ar, 400, "reviewer", "the applicant cannot "
		    "review their own application");
	if (rater_or_reference(a, email))
		return derr_set(e, ar, 400, "reviewer", "%s is a rater or a "
		    "reference of this application and cannot review it",
		    name);
	/* This submission's reviewers: one who reviewed an earlier round
	   may review it again. */
	n = review_asg_list(ar, a->id, s, REVIEW_MAX_ASSIGN);
	for (i = 0; i < n; i++)
		if (s[i].reviewer == id)
			return derr_set(e, ar, 400, "reviewer", "%s already "
			    "reviews this application", name);
	need = review_needed(a->association);
	if (n >= need)
		return derr_set(e, ar, 409, "reviewer", "%s has %d reviewer%s "
		    "per application and this one has %d; remove one first",
		    web_assoc_name(a->association), need, need == 1 ? "" : "s",
		    n);
	return 0;
}

int
review_assign(const struct actor *who, struct arena *ar, int64_t app,
    int64_t id, struct derr *e)
{
	struct app	 a;
	struct dbq	*st;
	char		*name = NULL, *email = NULL;
	int64_t		 aid;

	if (begin(ar, e) != 0)
		return -1;
	if (load_app(who, ar, app, &a, e) != 0)
		return undo();
	if (a.status != APP_SUBMITTED && a.status != APP_EXAM) {
		derr_set(e, ar, 409, "reviewer", "reviewers are assigned to "
		    "submitted applications; this one is %s",
		    db_enum_word(app_status, a.status));
		return undo();
	}
	if (!workflow_is_reviewer(id, a.association) ||
	    account_of(ar, id, &name, &email) != 0) {
		derr_set(e, ar, 400, "reviewer", "this account is not a "
		    "reviewer of %s", web_assoc_name(a.association));
		return undo();
	}
	if (assign_may(ar, &a, id, name, email, e) != 0)
		return undo();
	st = db_stmt(S_ASSIGN_INSERT);
	db_bind_int(st, "$app", a.id);
	db_bind_int(st, "$reviewer", id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	aid = db_last_id();
	if (audit_write(who, "assignment", aid, "assign", json_pack("{s:I, "
	    "s:I}", "application", (json_int_t)a.id, "reviewer",
	    (json_int_t)id)) != 0 ||
	    mail_send(&(struct mail){ email, "An application to review",
	    arena_printf(ar, "Dear %s,\n\nYou are asked to review an "
	    "application for the %s (%s) Endorsement of %s.\n\nOpen it "
	    "(after logging in):\n%s/review/%lld\n", name, web_category_title(
	    a.association, a.category), a.category,
	    web_assoc_name(a.association), cfg.base_url, (long long)aid),
	    a.association, 0 }) != 0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	derr_set(e, ar, 500, NULL, "the reviewer could not be assigned; "
	    "nothing was changed");
	return undo();
}

int
review_unassign(const struct actor *who, struct arena *ar, int64_t app,
    int64_t id, struct derr *e)
{
	struct app	 a;
	struct asg	 s[REVIEW_MAX_ASSIGN];
	struct dbq	*st;
	int		 n, i;

	if (begin(ar, e) != 0)
		return -1;
	if (load_app(who, ar, app, &a, e) != 0)
		return undo();
	n = review_asg_list(ar, a.id, s, REVIEW_MAX_ASSIGN);
	for (i = 0; i < n && s[i].id != id; i++)
		;
	if (i == n) {
		derr_set(e, ar, 404, NULL, "there is no such assignment");
		return undo();
	}
	if (s[i].done > 0) {
		derr_set(e, ar, 409, "reviewer", "%s has submitted their "
		    "recommendation; a completed review is not removed",
		    s[i].name);
		return undo();
	}
	st = db_stmt(S_ASSIGN_DELETE);
	db_bind_int(st, "$id", s[i].id);
	db_bind_int(st, "$app", a.id);
	if (db_exec(st) != 0 || db_changes() != 1 || audit_write(who,
	    "assignment", s[i].id, "unassign", json_pack("{s:I, s:I}",
	    "application", (json_int_t)a.id, "reviewer",
	    (json_int_t)s[i].reviewer)) != 0 || db_commit() != 0) {
		derr_set(e, ar, 500, NULL, "the assignment could not be "
		    "removed");
		return undo();
	}
	return 0;
}

/* ------------------------------------------------------------- reviews */

/* After the last recommendation: tell the coordinators whether the
   reviewers agree. */
static int
review_complete(const struct actor *who, struct arena *ar,
    const struct app *a)
{
	struct asg	 s[REVIEW_MAX_ASSIGN];
	struct buf	 b;
	char		*body;
	int		 n, i, differ, rc;

	n = review_asg_list(ar, a->id, s, REVIEW_MAX_ASSIGN);
	if (n < review_needed(a->association) || review_asg_done(s, n) < n)
		return 0;
	differ = review_agree(a->association) && review_asg_differ(s, n);
	buf_init(&b);
	buf_printf(&b, "%s application %lld (%s, %s):\n\n", differ ?
	    "The reviewers disagree on" : "Every reviewer has submitted a "
	    "recommendation on", (long long)a->id, web_category_title(
	    a->association, a->category), a->category);
	for (i = 0; i < n; i++)
		buf_printf(&b, "- %s: %s\n", s[i].name, rec_label(s[i].rec));
	buf_printf(&b, "\n%s/coordinator/applications/%lld\n", cfg.base_url,
	    (long long)a->id);
	body = arena_strdup(ar, b.s);
	buf_free(&b);
	rc = mail_coordinators(ar, a->association, differ ? arena_printf(ar,
	    "Reviewers disagree on application %lld", (long long)a->id) :
	    arena_printf(ar, "Review complete on application %lld",
	    (long long)a->id), body);
	if (rc == 0 && differ)
		rc = audit_write(who, "application", a->id, "disagree",
		    json_object());
	return rc;
}

/* The assignment and its application, when both are there and the
   review may still change: -1 with e. */
static int
save_may(const struct actor *who, struct arena *ar, int64_t id,
    const struct review_form *f, struct asg *s, struct app *a,
    struct derr *e)
{
	struct dbq		*st;
	struct row_app_get	 row;
	int			 rc;

	if (review_asg_get(ar, id, who->id, s) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such review");
	st = db_stmt(S_APP_GET);
	db_bind_int(st, "$id", s->app);
	rc = row_app_get(st, ar, &row);
	db_reset(st);
	if (rc != DB_ROW)
		return derr_set(e, ar, 404, NULL, "there is no such review");
	memset(a, 0, sizeof *a);
	a->id = row.id;
	a->association = row.association;
	a->category = row.category;
	a->status = row.status;
	if (sm_apply(&asg_machine, s->done > 0 ? ASG_DONE : ASG_DRAFT,
	    f->final ? ASGEV_SUBMIT : ASGEV_SAVE, SM_WHO_REVIEWER, e, ar) < 0)
		return derr_set(e, ar, 409, "recommendation", "your "
		    "recommendation is submitted and can no longer be "
		    "changed");
	if (a->status != APP_SUBMITTED)
		return derr_set(e, ar, 409, "recommendation", "the "
		    "application is %s, not waiting for review; nothing was "
		    "saved", db_enum_word(app_status, a->status));
	return 0;
}

int
review_save(const struct actor *who, struct arena *ar, int64_t id,
    const struct review_form *f, struct derr *e)
{
	struct asg	 s;
	struct app	 a;
	struct dbq	*st;
	const char	*rec = f->rec == REC_NONE ? NULL :
			    db_enum_word(recommendation, f->rec);

	if (begin(ar, e) != 0)
		return -1;
	if (save_may(who, ar, id, f, &s, &a, e) != 0)
		return undo();
	st = db_stmt(S_ASSIGN_SAVE);
	db_bind_text(st, "$rec", rec);
	db_bind_text(st, "$missing", f->missing != NULL ? f->missing : "");
	db_bind_text(st, "$comments", f->comments);
	db_bind_text(st, "$to_applicant", f->to_applicant != NULL ?
	    f->to_applicant : "");
	db_bind_text(st, "$competencies", f->marks);
	if (f->final)
		db_bind_int(st, "$done", db_now());
	else
		db_bind_null(st, "$done");
	db_bind_int(st, "$id", s.id);
	db_bind_int(st, "$reviewer", who->id);
	if (db_exec(st) != 0 || db_changes() != 1 || audit_write(who,
	    "assignment", s.id, f->final ? "recommend" : "draft",
	    json_pack("{s:I, s:s?}", "application", (json_int_t)a.id,
	    "recommendation", rec)) != 0 || (f->final &&
	    review_complete(who, ar, &a) != 0) || db_commit() != 0) {
		derr_set(e, ar, 500, NULL, "the review could not be stored; "
		    "nothing was changed");
		return undo();
	}
	return 0;
}

/* -------------------------------------------------------------- cycles */

int
review_cycle_new(const struct actor *who, struct arena *ar, const char *name,
    const char *opens, const char *closes, int32_t closes_day, int64_t *id,
    struct derr *e)
{
	struct dbq	*st;
	int		 adopted = 0;

	if (begin(ar, e) != 0)
		return -1;
	st = db_stmt(S_CYCLE_INSERT);
	db_bind_text(st, "$assoc", who->association);
	db_bind_text(st, "$name", name);
	db_bind_text(st, "$opens", opens);
	db_bind_text(st, "$closes", closes);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	*id = db_last_id();
	/* Submitted applications waiting for a cycle join this one, unless
	   it is already over (a past cycle recorded for the books). */
	if (closes_day >= web_today()) {
		st = db_stmt(S_CYCLE_ADOPT);
		db_bind_int(st, "$cycle", *id);
		db_bind_text(st, "$assoc", who->association);
		if (db_exec(st) != 0)
			goto fail;
		adopted = db_changes();
	}
	if (audit_write(who, "cycle", *id, "create", json_pack("{s:s, s:s, "
	    "s:s, s:i}", "name", name, "opens", opens, "closes", closes,
	    "adopted", adopted)) != 0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	derr_set(e, ar, 500, NULL, "the cycle could not be stored; nothing "
	    "was changed");
	return undo();
}

int
review_cycle_close(const struct actor *who, struct arena *ar, int64_t id,
    struct derr *e)
{
	struct dbq		*st;
	struct row_cycle_get	 row;
	int			 rc, to;

	if (begin(ar, e) != 0)
		return -1;
	st = db_stmt(S_CYCLE_GET);
	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", who->association);
	rc = row_cycle_get(st, NULL, &row);
	db_reset(st);
	if (rc != DB_ROW) {
		derr_set(e, ar, 404, NULL, "there is no such review cycle");
		return undo();
	}
	to = sm_apply(&cycle_machine, row.status, CYCLEV_CLOSE, who_bits(who),
	    e, ar);
	if (to < 0) {
		if (e != NULL && e->status == 409)
			derr_set(e, ar, 409, NULL, "this review cycle is "
			    "already closed");
		return undo();
	}
	st = db_stmt(S_CYCLE_SET_STATUS);
	db_bind_enum(st, "$status", cycle_status, to);
	db_bind_enum(st, "$from", cycle_status, row.status);
	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", who->association);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		derr_set(e, ar, 409, NULL, "this review cycle is already "
		    "closed");
		return undo();
	}
	if (audit_write(who, "cycle", id, "close", json_object()) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	derr_set(e, ar, 500, NULL, "the cycle could not be closed");
	return undo();
}

/* ----------------------------------------------------------- reviewers */

int
review_reviewer_add(const struct actor *who, struct arena *ar,
    const char *email, struct derr *e)
{
	struct dbq			*st;
	struct row_account_by_email	 acc;
	struct row_reviewer_is		 yes;
	int64_t				 id = 0;
	int				 endorsed = 0;

	if (begin(ar, e) != 0)
		return -1;
	st = db_stmt(S_ACCOUNT_BY_EMAIL);
	db_bind_text(st, "$email", email);
	if (row_account_by_email(st, NULL, &acc) == DB_ROW)
		id = acc.id;
	db_reset(st);
	if (id != 0) {
		st = db_stmt(S_REVIEWER_ENDORSED);
		db_bind_int(st, "$account", id);
		db_bind_text(st, "$assoc", who->association);
		endorsed = row_reviewer_is(st, NULL, &yes) == DB_ROW;
		db_reset(st);
	}
	if (id == 0 || !endorsed) {
		derr_set(e, ar, 400, "email", "%s", id == 0 ? "no account has "
		    "this e-mail; the person registers first" : "this person "
		    "holds no active endorsement of this association");
		return undo();
	}
	st = db_stmt(S_REVIEWER_ADD);
	db_bind_int(st, "$account", id);
	db_bind_text(st, "$assoc", who->association);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() == 1 && audit_write(who, "reviewer", id, "add",
	    json_pack("{s:s}", "association", who->association)) != 0)
		goto fail;
	if (db_commit() != 0)
		goto fail;
	return 0;
fail:
	derr_set(e, ar, 500, NULL, "the reviewer could not be added");
	return undo();
}

int
review_reviewer_remove(const struct actor *who, struct arena *ar,
    int64_t account, struct derr *e)
{
	struct dbq	*st;

	if (begin(ar, e) != 0)
		return -1;
	st = db_stmt(S_REVIEWER_REMOVE);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", who->association);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		derr_set(e, ar, 404, NULL, "this account is not a reviewer of "
		    "the association");
		return undo();
	}
	if (audit_write(who, "reviewer", account, "remove", json_pack(
	    "{s:s}", "association", who->association)) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	derr_set(e, ar, 500, NULL, "the reviewer could not be removed");
	return undo();
}
