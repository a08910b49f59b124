/*
 * The exam's domain (dom-exam.h): a coordinator's sessions and who sits
 * them, part 1, the two blind vignette scores and the result, each
 * change asked of exam_machine first and stored with its audit row and
 * its mail in one transaction.
 *
 * A vignette scorer sees an anonymous code and the session's date, never
 * who wrote the vignette: nothing here hands a scorer a name, e-mail or
 * application id.  Two different reviewers score each vignette, and an
 * examinee never scores their own.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "dom-app.h"
#include "dom-exam.h"
#include "dom-review.h"
#include "banned.h"

#define CODE_LEN	6	/* characters after "EX-" */
#define CODE_TRIES	10	/* new codes drawn when one is taken */
#define MAX_ASSOCS	32	/* associations one reviewer scores for */
#define MAX_VIGNETTES	500	/* listed per association */

#define FINAL	"this exam has its result; its scores are final"
#define BUSY	"the database is busy; try again"

/* Nothing to misread on a handwritten vignette: no 0/O, 1/I/L, U/V. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTWXYZ";

/* ------------------------------------------------------- the machine */

#define C	SM_WHO_COORDINATOR
#define R	SM_WHO_REVIEWER
#define S	SM_WHO_SYSTEM
static const struct sm_line exam_lines[] = {
	{ EXS_NEW,	  EXEV_REGISTER, EXS_REGISTERED, C },
	/* Part 1 may be corrected until the result is in. */
	{ EXS_REGISTERED, EXEV_PART1,	 EXS_PART1,	 C },
	{ EXS_PART1,	  EXEV_PART1,	 EXS_PART1,	 C },
	{ EXS_A,	  EXEV_PART1,	 EXS_PART1_A,	 C },
	{ EXS_PART1_A,	  EXEV_PART1,	 EXS_PART1_A,	 C },
	{ EXS_AB,	  EXEV_PART1,	 EXS_COMPLETE,	 C },
	{ EXS_COMPLETE,	  EXEV_PART1,	 EXS_COMPLETE,	 C },
	/* A vignette score is final; the second needs the first. */
	{ EXS_REGISTERED, EXEV_SCORE_A,	 EXS_A,		 R },
	{ EXS_PART1,	  EXEV_SCORE_A,	 EXS_PART1_A,	 R },
	{ EXS_A,	  EXEV_SCORE_B,	 EXS_AB,	 R },
	{ EXS_PART1_A,	  EXEV_SCORE_B,	 EXS_COMPLETE,	 R },
	/* The result follows from the marks, in the same transaction. */
	{ EXS_COMPLETE,	  EXEV_PASS,	 EXS_PASSED,	 S },
	{ EXS_COMPLETE,	  EXEV_FAIL,	 EXS_FAILED,	 S },
};
#undef C
#undef R
#undef S
static const char *const exam_states[EXS__N] = {
	NULL, "registered", "part 1 in", "score A in", "part 1 and score A in",
	"both vignette scores in", "complete", "passed", "failed"
};
static const char *const exam_events[EXEV__N] = {
	"registered", "given its part 1", "scored", "scored a second time",
	"passed", "failed"
};
const struct sm exam_machine = { "exam registration", exam_lines,
    (int)(sizeof exam_lines / sizeof exam_lines[0]), exam_states,
    exam_events };

/* The state a registration's row is in. */
static enum exam_state
exam_state(const struct row_exam_reg_get *g)
{
	int	 p = !g->part1_null;

	if (g->result != EXAMR_NONE)
		return g->result == EXAMR_PASS ? EXS_PASSED : EXS_FAILED;
	if (!g->score_a_null && !g->score_b_null)
		return p ? EXS_COMPLETE : EXS_AB;
	if (!g->score_a_null)
		return p ? EXS_PART1_A : EXS_A;
	return p ? EXS_PART1 : EXS_REGISTERED;
}

/* ------------------------------------------------------ when it counts */

/* The session's day has come (today by the server's clock). */
int
exam_started(const char *date)
{
	int32_t	 d;

	return date != NULL && date_parse(date, &d) == 0 && d <= web_today();
}

int
exam_counts(const char *date, enum exam_result result)
{
	return result != EXAMR_NONE && exam_started(date);
}

/* The latest result that counts (the rows come by session date) is a
   pass. */
int
exam_passed(const struct app *a)
{
	struct dbq			*st = db_stmt(S_EXAM_REG_LIST_APP);
	struct row_exam_reg_list_app	 row;
	enum exam_result		 last = EXAMR_NONE;

	db_bind_int(st, "$app", a->id);
	while (row_exam_reg_list_app(st, NULL, &row) == DB_ROW)
		if (exam_counts(row.date, row.result))
			last = row.result;
	db_reset(st);
	return last == EXAMR_PASS;
}

/* Scores of a session wait for its day: -1 with e (409, field). */
static int
exam_not_yet(struct arena *ar, const char *date, const char *field,
    struct derr *e)
{
	char	 b[DATE_US_MAX];

	if (exam_started(date))
		return 0;
	return derr_set(e, ar, 409, field, "the exam of %s has not taken "
	    "place yet: scores are entered from that day", date_us_text(date,
	    b, sizeof b));
}

/* ------------------------------------------------------------ helpers */

/* A registration with its session's date and association; -1 when there
   is none (the caller decides who may know that). */
static int
reg_get(struct arena *ar, int64_t id, struct row_exam_reg_get *g)
{
	struct dbq	*st = db_stmt(S_EXAM_REG_GET);
	int		 rc;

	memset(g, 0, sizeof *g);
	db_bind_int(st, "$id", id);
	rc = row_exam_reg_get(st, ar, g);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}

/* A day ("2026-12-01") as people in the US write it, for a mail or a
   message: "December 1, 2026". */
static const char *
us(struct arena *ar, const char *date)
{
	char	 b[DATE_US_MAX];

	return arena_strdup(ar, date_us_text(date, b, sizeof b));
}

/* "on December 1, 2026, online" / "on December 1, 2026 at 12 Main
   Street". */
static const char *
when_where(struct arena *ar, const char *date, const char *place)
{
	date = us(ar, date);
	if (strcmp(place, "online") == 0)
		return arena_printf(ar, "on %s, online", date);
	return arena_printf(ar, "on %s at %s", date, place);
}

/* The first day a failed examinee may sit the exam again. */
static const char *
retake_from(struct arena *ar, const struct ruleset *rs, const char *failed)
{
	int32_t	 d;
	char	 s[DATE_US_MAX];

	if (date_parse(failed, &d) != 0)
		return failed;
	date_us(d + rs->workflow.retake_days, s, sizeof s);
	return arena_strdup(ar, s);
}

/* A score as the session page shows it: its digits, "" for none. */
static const char *
score_text(struct arena *ar, int64_t v, int null)
{
	return null ? "" : arena_printf(ar, "%lld", (long long)v);
}

/* The mail of a result: the marks, and for a fail what failed and when
   the exam may be taken again. */
static const char *
result_mail(struct arena *ar, const struct ruleset *rs,
    const struct row_exam_reg_get *g, int p1, int p2)
{
	if (p1 && p2)
		return arena_printf(ar, "You passed the exam of %s.\n\n"
		    "Part 1: %d of %d questions (%d%% needed).\n"
		    "Vignettes: %d and %d of %d (%d together needed).\n\n"
		    "The exam requirement of your application is now met.\n",
		    us(ar, g->date), (int)g->part1, rs->workflow.exam_questions,
		    rs->workflow.exam_pass_pct, (int)g->score_a,
		    (int)g->score_b, rs->workflow.exam_part2_max,
		    2 * rs->workflow.exam_part2_pass);
	return arena_printf(ar, "You did not pass the exam of %s.\n\n"
	    "Part 1: %d of %d questions (%d%% needed)%s.\n"
	    "Vignettes: %d and %d of %d (%d together needed)%s.\n\n"
	    "You can take the exam again from %s; your coordinator "
	    "registers you for a session.\n", us(ar, g->date), (int)g->part1,
	    rs->workflow.exam_questions, rs->workflow.exam_pass_pct,
	    p1 ? ", passed" : ", not passed", (int)g->score_a,
	    (int)g->score_b, rs->workflow.exam_part2_max,
	    2 * rs->workflow.exam_part2_pass,
	    p2 ? ", passed" : ", not passed",
	    retake_from(ar, rs, g->date));
}

/*
 * When part 1 and both vignette scores are in, the result follows from
 * the rule set's pass marks and the applicant is told by mail, in the
 * caller's transaction.  Part 1 passes at exam_pass_pct percent of the
 * questions (integers: no rounding question arises); the vignettes pass
 * when the two scores average at least the pass score.  0, or -1 when
 * something could not be stored.
 */
static int
exam_finish(const struct actor *who, struct arena *ar, int64_t reg)
{
	const struct ruleset	*rs;
	struct row_exam_reg_get	 g;
	struct app		 a;
	struct dbq		*st;
	enum exam_result	 result;
	int			 p1, p2;

	if (reg_get(ar, reg, &g) != 0 || exam_state(&g) != EXS_COMPLETE)
		return 0;
	if ((rs = web_rules(g.association)) == NULL ||
	    app_read(ar, g.application, &a) != 0)
		return -1;
	p1 = g.part1 * 100 >= (int64_t)rs->workflow.exam_pass_pct *
	    rs->workflow.exam_questions;
	p2 = g.score_a + g.score_b >= 2 * (int64_t)rs->workflow.exam_part2_pass;
	result = p1 && p2 ? EXAMR_PASS : EXAMR_FAIL;
	if (sm_apply(&exam_machine, EXS_COMPLETE, p1 && p2 ? EXEV_PASS :
	    EXEV_FAIL, SM_WHO_SYSTEM, NULL, ar) < 0)
		return -1;
	st = db_stmt(S_EXAM_REG_RESULT);
	db_bind_enum(st, "$result", exam_result, result);
	db_bind_int(st, "$id", g.id);
	if (db_exec(st) != 0 || db_changes() != 1)
		return -1;
	if (audit_write(who, "exam", g.id, "result", json_pack("{s:I, s:s, "
	    "s:i, s:i, s:i}", "application", (json_int_t)g.application,
	    "result", db_enum_word(exam_result, result), "part1",
	    (int)g.part1, "score_a", (int)g.score_a, "score_b",
	    (int)g.score_b)) != 0)
		return -1;
	/* The mail says "passed" only when the rule the decision and the
	   checklist use says so. */
	if (p1 && p2 && !exam_passed(&a))
		return -1;
	return app_mail(ar, &a, "Your exam result",
	    result_mail(ar, rs, &g, p1, p2));
}

/* ------------------------------------------------------------ sessions */

/* The list of the coordinator's sessions, newest first, with how many
   sit each. */
json_t *
exam_sessions(const struct actor *who, struct arena *ar)
{
	struct dbq			*st = db_stmt(S_EXAM_SESSION_LIST);
	struct row_exam_session_list	 row;
	json_t				*list = json_array();

	(void)ar;
	db_bind_text(st, "$assoc", who->association);
	while (row_exam_session_list(st, NULL, &row) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I}",
		    "id", (json_int_t)row.id, "date", row.date, "place",
		    row.place, "n", (json_int_t)row.registered));
	db_reset(st);
	return list;
}

/* One session, only of the actor's association: another's answers as a
   missing one does, so a coordinator learns nothing of it. */
int
exam_session_get(const struct actor *who, struct arena *ar, int64_t id,
    struct exam_session *s, struct derr *e)
{
	struct dbq			*st = db_stmt(S_EXAM_SESSION_GET);
	struct row_exam_session_get	 row;
	int				 rc;

	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", who->association);
	if ((rc = row_exam_session_get(st, ar, &row)) == DB_ROW) {
		s->id = row.id;
		s->date = row.date;
		s->place = row.place;
	}
	db_reset(st);
	if (rc != DB_ROW)
		return derr_set(e, ar, 404, NULL, "there is no such exam "
		    "session");
	return 0;
}

/* Who sits a session, with names and scores: the coordinator knows who
   is who; only the scorers must not (exam_vignettes). */
json_t *
exam_session_regs(const struct actor *who, struct arena *ar,
    int64_t session)
{
	struct dbq			*st = db_stmt(S_EXAM_REG_LIST_SESSION);
	struct row_exam_reg_list_session row;
	json_t				*list = json_array();

	(void)who;
	db_bind_int(st, "$session", session);
	while (row_exam_reg_list_session(st, NULL, &row) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:s, "
		    "s:s, s:s, s:s, s:s, s:b, s:b}", "id", (json_int_t)row.id,
		    "app", (json_int_t)row.application, "name", row.name,
		    "code", row.code, "part1", score_text(ar, row.part1,
		    row.part1_null), "score_a", score_text(ar, row.score_a,
		    row.score_a_null), "score_b", score_text(ar, row.score_b,
		    row.score_b_null), "result", row.result == EXAMR_NONE ?
		    "" : db_enum_word(exam_result, row.result), "passed",
		    row.result == EXAMR_PASS, "open",
		    row.result == EXAMR_NONE));
	db_reset(st);
	return list;
}

/* Who the register form offers: the association's applications approved
   for the exam that none of the refusals below would turn away. */
json_t *
exam_eligible(const struct actor *who, struct arena *ar, int64_t session)
{
	struct dbq		*st = db_stmt(S_EXAM_ELIGIBLE);
	struct row_exam_eligible row;
	json_t			*list = json_array();

	(void)ar;
	db_bind_text(st, "$assoc", who->association);
	db_bind_int(st, "$session", session);
	while (row_exam_eligible(st, NULL, &row) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "id",
		    (json_int_t)row.id, "name", row.name, "category",
		    row.category));
	db_reset(st);
	return list;
}

/* A new session and its audit row, in one transaction. */
int
exam_session_create(const struct actor *who, struct arena *ar,
    const char *date, const char *place, int64_t *id, struct derr *e)
{
	struct dbq	*st;
	int32_t		 d;
	char		 today[DATE_US_MAX], typed[DATE_US_MAX];

	if (date == NULL || date_parse(date, &d) != 0)
		return derr_set(e, ar, 400, "date", "enter a real date as "
		    "YYYY-MM-DD");
	if (d < web_today()) {
		date_us(web_today(), today, sizeof today);
		return derr_set(e, ar, 400, "date", "%s has passed: a session "
		    "is set for today (%s) or later", date_us(d, typed,
		    sizeof typed), today);
	}
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, BUSY);
	st = db_stmt(S_EXAM_SESSION_INSERT);
	db_bind_text(st, "$assoc", who->association);
	db_bind_text(st, "$date", date);
	db_bind_text(st, "$place", place);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	*id = db_last_id();
	if (audit_write(who, "exam_session", *id, "create", json_pack("{s:s, "
	    "s:s}", "date", date, "place", place)) != 0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, ar, 500, NULL, "the exam session could not be "
	    "stored");
}

/* -------------------------------------------------------- registering */

/*
 * Why application a may not sit session s, or NULL: it must be approved
 * for the exam, its category must have one, it must not have passed or
 * be waiting for a result, its latest fail must be retake_days before
 * the session, and it must not be registered for this session already.
 */
static const char *
register_refusal(struct arena *ar, const struct app *a,
    const struct exam_session *s)
{
	const struct ruleset		*rs = web_rules(a->association);
	struct dbq			*st;
	struct row_exam_reg_list_app	 g;
	struct row_exam_eligible	 el;
	const char			*why = NULL;
	char				*failed = NULL;
	int32_t				 sd, fd;
	int				 listed = 0;

	if (rs == NULL)
		return "the association's rule set is not loaded";
	if (a->status != APP_EXAM)
		return arena_printf(ar, "this application is not approved for "
		    "the exam (its status is %s)",
		    db_enum_word(app_status, a->status));
	if (!workflow_needs_exam(a))
		return "the application's category has no exam";
	st = db_stmt(S_EXAM_REG_LIST_APP);
	db_bind_int(st, "$app", a->id);
	while (why == NULL && row_exam_reg_list_app(st, NULL, &g) == DB_ROW) {
		if (g.result == EXAMR_NONE)
			why = arena_printf(ar, "already registered for the "
			    "exam of %s, which has no result yet", us(ar,
			    g.date));
		else if (g.result == EXAMR_PASS)
			why = arena_printf(ar, "has already passed the exam "
			    "(%s)", us(ar, g.date));
		else if (failed == NULL || strcmp(g.date, failed) > 0)
			failed = arena_strdup(ar, g.date);
	}
	db_reset(st);
	if (why != NULL)
		return why;
	if (failed != NULL && date_parse(failed, &fd) == 0 &&
	    date_parse(s->date, &sd) == 0 &&
	    sd - fd < rs->workflow.retake_days)
		return arena_printf(ar, "failed the exam of %s: can retake "
		    "from %s", us(ar, failed), retake_from(ar, rs, failed));
	st = db_stmt(S_EXAM_ELIGIBLE);
	db_bind_text(st, "$assoc", a->association);
	db_bind_int(st, "$session", s->id);
	while (!listed && row_exam_eligible(st, NULL, &el) == DB_ROW)
		listed = el.id == a->id;
	db_reset(st);
	if (!listed)
		return "already registered for this session";
	return NULL;
}

/* "EX-" and CODE_LEN letters, uniformly from the alphabet. */
static void
exam_code(char out[4 + CODE_LEN])
{
	size_t	 i;

	memcpy(out, "EX-", 3);
	for (i = 0; i < CODE_LEN; i++)
		out[3 + i] = code_alphabet[randombytes_uniform(
		    sizeof code_alphabet - 1)];
	out[3 + CODE_LEN] = '\0';
}

/* Store registration of a for s under a code no other registration has
   (the statement inserts nothing for a taken one: draw another); *code,
   *reg.  0, or -1. */
static int
register_insert(const struct exam_session *s, const struct app *a,
    char code[4 + CODE_LEN], int64_t *reg)
{
	struct dbq	*st;
	int		 tries;

	for (tries = 0; tries < CODE_TRIES; tries++) {
		exam_code(code);
		st = db_stmt(S_EXAM_REG_INSERT);
		db_bind_int(st, "$session", s->id);
		db_bind_int(st, "$app", a->id);
		db_bind_text(st, "$code", code);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) != 0)
			return -1;
		if (db_changes() == 1) {
			*reg = db_last_id();
			return 0;
		}
	}
	return -1;
}

/*
 * An application of the association approved for the exam sits the
 * session under a fresh anonymous code; the registration, its audit row
 * and the applicant's mail (date, place, code) are one transaction, and
 * every check runs inside it.
 */
int
exam_register(const struct actor *who, struct arena *ar, int64_t session,
    int64_t app, int64_t *reg, struct derr *e)
{
	struct exam_session	 s;
	struct app		 a;
	const char		*why;
	char			 code[4 + CODE_LEN];

	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, BUSY);
	if (exam_session_get(who, ar, session, &s, e) != 0) {
		db_rollback();
		return -1;
	}
	/* Another association's application: as if there were none. */
	if (app_read(ar, app, &a) != 0 || who->association == NULL ||
	    strcmp(a.association, who->association) != 0) {
		db_rollback();
		return derr_set(e, ar, 404, NULL, "there is no such "
		    "application");
	}
	if ((why = register_refusal(ar, &a, &s)) != NULL) {
		db_rollback();
		return derr_set(e, ar, 409, "application", "%s", why);
	}
	if (sm_apply(&exam_machine, EXS_NEW, EXEV_REGISTER,
	    who->kind == ACTOR_COORDINATOR ? SM_WHO_COORDINATOR : 0, e,
	    ar) < 0) {
		db_rollback();
		return -1;
	}
	if (register_insert(&s, &a, code, reg) != 0)
		goto fail;
	if (audit_write(who, "exam", *reg, "register", json_pack("{s:I, s:I, "
	    "s:s, s:s}", "application", (json_int_t)a.id, "session",
	    (json_int_t)s.id, "date", s.date, "code", code)) != 0)
		goto fail;
	if (app_mail(ar, &a, "You are registered for the exam",
	    arena_printf(ar, "You are registered for the exam %s.\n\n"
	    "Your exam code is %s. Write this code, and not your name, on "
	    "your vignette answers: they are scored without knowing who "
	    "wrote them.\n", when_where(ar, s.date, s.place), code)) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, ar, 500, NULL, "the registration could not be "
	    "stored");
}

/* ------------------------------------------------------------- scores */

/* Nobody scores an exam of an application they are in conflict with
   (dom-review.h): 403 with e. */
static int
score_conflict(const struct actor *who, struct arena *ar,
    const struct row_exam_reg_get *g, struct derr *e)
{
	struct app	 a;
	const char	*why;

	if (app_read(ar, g->application, &a) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such "
		    "registration");
	if ((why = app_conflict(ar, who->id, &a)) != NULL)
		return derr_set(e, ar, 403, NULL, "you cannot score this "
		    "exam: you are %s (a conflict of interest)", why);
	return 0;
}

/*
 * Part 1, which may be corrected until the result is in; it may be the
 * last score in, and then decides the result.  The registration must be
 * of the session and of the coordinator's association (404 otherwise,
 * as for none).
 */
int
exam_part1(const struct actor *who, struct arena *ar, int64_t session,
    int64_t reg, int64_t score, struct derr *e)
{
	const struct ruleset	*rs;
	struct row_exam_reg_get	 g;
	struct dbq		*st;
	int			 from;

	if (reg_get(ar, reg, &g) != 0 || g.session != session ||
	    who->association == NULL ||
	    strcmp(g.association, who->association) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such "
		    "registration");
	if ((rs = web_rules(g.association)) == NULL)
		return derr_set(e, ar, 500, NULL, "the association's rule set "
		    "is not loaded");
	if (score < 0 || score > rs->workflow.exam_questions)
		return derr_set(e, ar, 400, "part1", "part1: enter a whole "
		    "number from 0 to %d", rs->workflow.exam_questions);
	if (score_conflict(who, ar, &g, e) != 0 ||
	    exam_not_yet(ar, g.date, "part1", e) != 0)
		return -1;
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, BUSY);
	if (reg_get(ar, reg, &g) != 0)
		goto fail;
	from = exam_state(&g);
	if (sm_apply(&exam_machine, from, EXEV_PART1,
	    who->kind == ACTOR_COORDINATOR ? SM_WHO_COORDINATOR : 0, e,
	    ar) < 0) {
		db_rollback();
		if (from == EXS_PASSED || from == EXS_FAILED)
			return derr_set(e, ar, 409, NULL, FINAL);
		return -1;
	}
	st = db_stmt(S_EXAM_REG_PART1);
	db_bind_int(st, "$score", score);
	db_bind_int(st, "$id", g.id);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		return derr_set(e, ar, 409, NULL, FINAL);
	}
	if (audit_write(who, "exam", g.id, "part1", json_pack("{s:I, s:I}",
	    "application", (json_int_t)g.application, "part1",
	    (json_int_t)score)) != 0 || exam_finish(who, ar, g.id) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, ar, 500, NULL, "the score could not be stored");
}

/*
 * Who may score registration g, and with what: a reviewer of its
 * association (404 for anyone else: they learn nothing, not even that
 * it exists), never the examinee, a whole number up to the rule set's
 * maximum, and not once the result is in.  0, or -1 and e.
 */
static int
score_allowed(const struct actor *who, struct arena *ar,
    const struct row_exam_reg_get *g, int64_t score, struct derr *e)
{
	const struct ruleset	*rs;
	struct app		 a;
	int			 from;

	if (!workflow_is_reviewer(who->id, g->association) ||
	    app_read(ar, g->application, &a) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such vignette "
		    "to score");
	if (a.account == who->id)
		return derr_set(e, ar, 403, NULL, "you cannot score your own "
		    "exam");
	if (score_conflict(who, ar, g, e) != 0)
		return -1;
	if ((rs = web_rules(g->association)) == NULL)
		return derr_set(e, ar, 500, NULL, "the association's rule set "
		    "is not loaded");
	from = exam_state(g);
	if (from == EXS_PASSED || from == EXS_FAILED)
		return derr_set(e, ar, 409, NULL, FINAL);
	if (score < 0 || score > rs->workflow.exam_part2_max)
		return derr_set(e, ar, 400, "score", "score: enter a whole "
		    "number from 0 to %d", rs->workflow.exam_part2_max);
	return exam_not_yet(ar, g->date, "score", e);
}

/*
 * One vignette score.  The first goes to score A, the second to score
 * B, which needs a different reviewer (the statement refuses the same
 * one too); it may complete the result.
 */
int
exam_score(const struct actor *who, struct arena *ar, int64_t reg,
    int64_t score, struct derr *e)
{
	struct row_exam_reg_get	 g;
	struct dbq		*st;
	const char		*both;
	int			 ev;

	if (reg_get(ar, reg, &g) != 0)
		return derr_set(e, ar, 404, NULL, "there is no such vignette "
		    "to score");
	if (score_allowed(who, ar, &g, score, e) != 0)
		return -1;
	if (db_begin() != 0)
		return derr_set(e, ar, 503, NULL, BUSY);
	/* Again inside the transaction: another scorer may have been
	   first. */
	if (reg_get(ar, reg, &g) != 0)
		goto fail;
	if (!g.score_a_null && g.scorer_a == who->id) {
		db_rollback();
		return derr_set(e, ar, 409, NULL, "you have already scored "
		    "this vignette");
	}
	both = !g.score_b_null ? "this vignette has both its scores" :
	    "this vignette cannot take your score now; reload the list";
	ev = g.score_a_null ? EXEV_SCORE_A : EXEV_SCORE_B;
	/* score_allowed found a reviewer of the association. */
	if (sm_apply(&exam_machine, exam_state(&g), ev, SM_WHO_REVIEWER, e,
	    ar) < 0) {
		db_rollback();
		return derr_set(e, ar, 409, NULL, "%s", both);
	}
	st = db_stmt(ev == EXEV_SCORE_B ? S_EXAM_REG_SCORE_B :
	    S_EXAM_REG_SCORE_A);
	db_bind_int(st, "$score", score);
	db_bind_int(st, "$scorer", who->id);
	db_bind_int(st, "$id", g.id);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		return derr_set(e, ar, 409, NULL, "%s", both);
	}
	if (audit_write(who, "exam", g.id, "score", json_pack("{s:I, s:s, "
	    "s:I}", "application", (json_int_t)g.application, "slot",
	    ev == EXEV_SCORE_B ? "b" : "a", "score", (json_int_t)score)) != 0 ||
	    exam_finish(who, ar, g.id) != 0 || db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_set(e, ar, 500, NULL, "the score could not be stored");
}

/* ---------------------------------------------------------- vignettes */

/* One association's vignettes the actor may still score, code and date
   only; their own exam is left out. */
static json_t *
vignettes_of(const struct actor *who, struct arena *ar, const char *assoc)
{
	struct dbq		*st = db_stmt(S_EXAM_VIGNETTES);
	struct row_exam_vignettes row;
	struct row_exam_reg_get	 g;
	struct app		 a;
	json_t			*list = json_array();
	char			*codes[MAX_VIGNETTES];
	int64_t			 ids[MAX_VIGNETTES];
	int			 n = 0, j;

	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$scorer", who->id);
	while (n < MAX_VIGNETTES && row_exam_vignettes(st, ar, &row) ==
	    DB_ROW) {
		ids[n] = row.id;
		codes[n++] = row.code;
	}
	db_reset(st);
	for (j = 0; j < n; j++) {
		if (reg_get(ar, ids[j], &g) != 0 ||
		    app_read(ar, g.application, &a) != 0 ||
		    app_conflict(ar, who->id, &a) != NULL ||
		    !exam_started(g.date))
			continue;
		/* The code and the date: nothing of g.application. */
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b}",
		    "id", (json_int_t)g.id, "code", codes[j], "date", g.date,
		    "second", !g.score_a_null));
	}
	return list;
}

/* Per association the actor reviews for, what they may still score:
   blind, so codes and dates only. */
json_t *
exam_vignettes(const struct actor *who, struct arena *ar)
{
	struct dbq		*st = db_stmt(S_REVIEWER_ASSOCS);
	struct row_reviewer_assocs row;
	json_t			*groups = json_array();
	char			*assocs[MAX_ASSOCS];
	int			 nassoc = 0, i;

	db_bind_int(st, "$account", who->id);
	while (nassoc < MAX_ASSOCS && row_reviewer_assocs(st, ar, &row) ==
	    DB_ROW)
		assocs[nassoc++] = row.association;
	db_reset(st);
	for (i = 0; i < nassoc; i++)
		json_array_append_new(groups, json_pack("{s:s, s:o}",
		    "association", assocs[i], "vignettes",
		    vignettes_of(who, ar, assocs[i])));
	return groups;
}
