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
#include "dom-app.h"
#include "dom-exam.h"
#include "dom-notify.h"
#include "dom-review.h"
#include "banned.h"


/* ------------------------------------------------------------- machine */

#define R	SM_WHO_REVIEWER
#define A	SM_WHO_APPLICANT
/* A resubmission after a return for changes opens the round's submitted
   reviews again, their comments kept (dom-return.c). */
static const struct sm_line asg_lines[] = {
	{ ASG_DRAFT,	ASGEV_SAVE,	ASG_DRAFT,	R },
	{ ASG_DRAFT,	ASGEV_SUBMIT,	ASG_DONE,	R },
	{ ASG_DONE,	ASGEV_REOPEN,	ASG_DRAFT,	A },
};
#undef A
static const char *const asg_states[ASG__N] = { "draft", "submitted" };
static const char *const asg_events[ASGEV__N] = { "save", "submit",
    "reopen after a resubmission" };
const struct sm asg_machine = { "review", asg_lines,
    (int)(sizeof asg_lines / sizeof asg_lines[0]), asg_states, asg_events };
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
	return (enum recommendation)db_parse_enum(recommendation, w);
}

/* The label shown for a recommendation ("" for none). */
const char *
rec_label(enum recommendation v)
{
	return (unsigned)v < recommendation__N ? rec_labels[v] : "";
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

/* Whether the rule set asks the reviewers to agree (a disagreement is
   mailed to the coordinators and logged). */
int
review_agree(const char *assoc)
{
	const struct ruleset	*rs = web_rules(assoc);

	return rs != NULL && rs->workflow.agree;
}

/* --------------------------------------------------------------- reads */

/* Only this submission's assignments (the store compares their time
   with the submission's): an earlier round's reviews are history. */
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

/* The reviewer is bound in the statement: another's assignment is not
   found, as a missing one would not be. */
int
review_asg_get(struct arena *ar, int64_t id, int64_t reviewer,
    struct asg *s)
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

/* A review counts once submitted; a draft is not a recommendation. */
int
review_asg_done(const struct asg *s, int n)
{
	int	 i, d = 0;

	for (i = 0; i < n; i++)
		d += s[i].done > 0;
	return d;
}

/* Whether the submitted recommendations differ: a draft or none yet
   is no disagreement. */
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

/* Application id in the transaction, when it is of the actor's
   association; 0, or -1 with e (404). */
static int
load_app(const struct actor *who, struct arena *ar, int64_t id,
    struct app *a, const char *field, struct derr *e)
{
	const char	*why;

	if (app_read(ar, id, a) != 0 || who->association == NULL ||
	    strcmp(a->association, who->association) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such "
		    "application");
	/* A coordinator in conflict leaves it to another (field: where the
	   page shows it). */
	if ((why = review_coord_conflict(who, ar, a)) != NULL)
		return derr_set(e, ar, 403, field, "%s", why);
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

/* Roll back and hand the caller's -1 on. */
static int
undo(void)
{
	db_rollback();
	return -1;
}

/* -------------------------------------------------------------- unlock */

/*
 * The coordinator returns a submitted application to its applicant for
 * changes: the machine says whether it may, the note is mailed.  The
 * note is checked first: it is what the applicant reads.
 */
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
	if (review_begin(ar, e) != 0)
		return -1;
	if (load_app(who, ar, id, &a, "unlock-note", e) != 0)
		return undo();
	to = sm_apply(&app_machine, a.status, APPEV_UNLOCK, review_who(who),
	    e, ar);
	if (to < 0 && e != NULL && e->status != 409)
		return undo();
	/* The note and the entries as they are stay with the application:
	   the applicant's pages show the note, the resubmission says what
	   changed since. */
	if (to >= 0) {
		st = db_stmt(S_APP_RETURN);
		db_bind_enum(st, "$status", app_status, to);
		db_bind_enum(st, "$from", app_status, a.status);
		db_bind_text(st, "$note", note);
		db_bind_text(st, "$entries", review_entries_snapshot(ar, a.id));
		db_bind_int(st, "$id", a.id);
		db_bind_int(st, "$now", db_now());
	}
	/* Not from this state, or changed meanwhile: the same answer. */
	if (to < 0 || db_exec(st) != 0 || db_changes() != 1 ||
	    audit_write(who, "application", a.id, "status", json_pack("{s:s, "
	    "s:s, s:s}", "note", note, "from", db_enum_word(app_status,
	    a.status), "to", db_enum_word(app_status, to))) != 0) {
		derr_set(e, ar, 409, "unlock-note", "only a submitted "
		    "application can be unlocked; this one is %s",
		    db_enum_word(app_status, a.status));
		return undo();
	}
	if (app_mail(ar, &a, "Your application was returned for changes",
	    arena_printf(ar, "Your %s (%s) application to %s was "
	    "returned to you for changes. It is open for editing again; "
	    "submit it once more when it is ready. Its reviewers stay and "
	    "see what you change.\n\nFrom the coordinator:"
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

	to = sm_apply(&app_machine, a->status, ev[dec], review_who(who), e, ar);
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

/*
 * To endorse, in the decision's transaction: the checklist met, the exam
 * passed when the category has one, then the endorsement issued.  0 with
 * *number; 1 and *why when it may not (nothing stored), -1 and *why.
 */
static int
decide_issue(const struct actor *who, struct arena *ar, const struct app *a,
    char **number, const char **why)
{
	struct derr	 e;
	json_t		*doc, *check;
	char		*cause = NULL;
	int		 ready, exam_ok;

	doc = app_document(web_rules(a->association), a);
	check = app_check(a, doc, &cause);
	ready = app_ready(check);
	/* The one rule of when an exam counts (dom-exam.c), which the
	   result mail and the checklist use too. */
	exam_ok = !workflow_needs_exam(a) || exam_passed(a);
	json_decref(doc);
	json_decref(check);
	free(cause);
	if (!ready || !exam_ok) {
		*why = !ready ? "the checklist is not met: every requirement "
		    "must be met to endorse" : "the exam is not passed yet; "
		    "approve for the exam first";
		return 1;
	}
	if (endorsement_grant(who, ar, a, number, &e) == 0)
		return 0;
	*why = e.message;
	return e.status == 409 ? 1 : -1;
}

/* Whether every reviewer recommends the same side and the decision
   takes the other: all deny and it endorses or approves for the exam,
   all endorse or approve and it denies.  The recommendation shared. */
static enum recommendation
decide_against(enum recommendation dec, const struct asg *s, int n)
{
	int	 i, deny = 0, yes = 0;

	for (i = 0; i < n; i++) {
		deny += s[i].rec == REC_DENY;
		yes += s[i].rec == REC_ENDORSE || s[i].rec == REC_EXAM;
	}
	if (n > 0 && deny == n && (dec == REC_ENDORSE || dec == REC_EXAM))
		return REC_DENY;
	if (n > 0 && yes == n && dec == REC_DENY)
		return s[0].rec;
	return REC_NONE;
}

/* A decision against unanimous reviewers says why, in reason. */
static int
decide_reason(struct arena *ar, enum recommendation dec, const char *reason,
    const struct asg *s, int n, struct derr *e)
{
	enum recommendation	 all = decide_against(dec, s, n);

	if (reason != NULL && strlen(reason) > REVIEW_MAX_TEXT)
		return derr_set(e, ar, 400, "reason", "at most %d characters",
		    REVIEW_MAX_TEXT);
	if (all != REC_NONE && review_blank(reason))
		return derr_set(e, ar, 400, "reason", "every reviewer "
		    "recommends \"%s\": write why you decide otherwise; the "
		    "application's history keeps it", rec_label(all));
	return 0;
}

/*
 * The decision: the form checked, the machine asked, the reviews in;
 * an endorsement is issued in the same transaction as the status, the
 * audit row and the applicant's mail, so a decision is all or nothing.
 */
int
review_decide(const struct actor *who, struct arena *ar, int64_t id,
    enum recommendation dec, const char *note, const char *reason,
    struct derr *e)
{
	struct app	 a;
	struct asg	 s[REVIEW_MAX_ASSIGN];
	struct dbq	*st;
	const char	*why = NULL, *subject, *body;
	char		*number = NULL;
	json_t		*detail;
	int		 n, to, rc;

	if (review_begin(ar, e) != 0)
		return -1;
	if (load_app(who, ar, id, &a, "decision", e) != 0 ||
	    decide_check(ar, &a, dec, note, e) != 0)
		return undo();
	n = review_asg_list(ar, a.id, s, REVIEW_MAX_ASSIGN);
	if ((to = decide_may(who, ar, &a, dec, s, n, e)) < 0 ||
	    decide_reason(ar, dec, reason, s, n, e) != 0)
		return undo();
	if (dec == REC_ENDORSE &&
	    (rc = decide_issue(who, ar, &a, &number, &why)) != 0) {
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
	detail = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "decision",
	    db_enum_word(recommendation, dec), "from", db_enum_word(
	    app_status, a.status), "to", db_enum_word(app_status, to),
	    "note", note != NULL ? note : "", "number", number);
	if (detail != NULL && !review_blank(reason))
		json_object_set_new(detail, "reason", json_string(reason));
	if (audit_write(who, "application", a.id, "decision", detail) != 0 ||
	    app_mail(ar, &a, subject, body) != 0 || db_commit() != 0) {
		derr_set(e, ar, 500, NULL, "the decision could not be stored; "
		    "nothing was changed");
		return undo();
	}
	return 0;
}

/* --------------------------------------------------------- assignments */

/* Whether reviewer may review a: -1 with e when not. */
static int
assign_may(struct arena *ar, const struct app *a, int64_t id,
    const char *name, struct derr *e)
{
	struct asg	 s[REVIEW_MAX_ASSIGN];
	const char	*why;
	int		 i, n, need;

	if (id == a->account)
		return derr_set(e, ar, 400, "reviewer", "the applicant cannot "
		    "review their own application");
	if ((why = app_conflict(ar, id, a)) != NULL)
		return derr_set(e, ar, 400, "reviewer", "%s is %s and cannot "
		    "review it (a conflict of interest)", name, why);
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

/* A reviewer of the association who is not the applicant, a rater or a
   reference, while the application needs reviewers; they are mailed. */
int
review_assign(const struct actor *who, struct arena *ar, int64_t app,
    int64_t id, struct derr *e)
{
	struct app	 a;
	struct dbq	*st;
	char		*name = NULL, *email = NULL;
	int64_t		 aid;

	if (review_begin(ar, e) != 0)
		return -1;
	if (load_app(who, ar, app, &a, "reviewer", e) != 0)
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
	if (assign_may(ar, &a, id, name, e) != 0)
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

/* Only an open assignment is removed: a submitted review is part of
   the decision's record. */
int
review_unassign(const struct actor *who, struct arena *ar, int64_t app,
    int64_t id, struct derr *e)
{
	struct app	 a;
	struct asg	 s[REVIEW_MAX_ASSIGN];
	struct dbq	*st;
	int		 n, i;

	if (review_begin(ar, e) != 0)
		return -1;
	if (load_app(who, ar, app, &a, "reviewer", e) != 0)
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
	rc = notify_coordinators(ar, a, differ ? arena_printf(ar,
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
	if (review_asg_get(ar, id, who->id, s) != 0 ||
	    app_read(ar, s->app, a) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such review");
	/* A removed reviewer, an earlier round's, one in conflict: their
	   review no longer counts, as if there were none. */
	if (review_refusal(ar, who->id, a) != NULL)
		return derr_set(e, ar, 404, NULL, "there is no such review");
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

/* The reviewer's form, stored as a draft or submitted once (the
   assignment's machine); the last submitted review tells the
   coordinators. */
int
review_save(const struct actor *who, struct arena *ar, int64_t id,
    const struct review_form *f, struct derr *e)
{
	struct asg	 s;
	struct app	 a;
	struct dbq	*st;
	const char	*rec = f->rec == REC_NONE ? NULL :
			    db_enum_word(recommendation, f->rec);

	if (review_begin(ar, e) != 0)
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
