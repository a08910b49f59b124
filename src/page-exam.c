/*
 * The exam: the coordinator's sessions, who sits them and their part 1
 * scores; the reviewers' blind scoring of the written vignettes; and the
 * result once part 1 and both vignette scores are in.
 *
 * A vignette scorer sees an anonymous code and the session's date, never
 * who wrote the vignette: the association requires blind scoring, so no
 * name, e-mail or application id of an examinee reaches their page.  Two
 * different reviewers score each vignette, and an examinee never scores
 * their own.  Every change, its audit row and its mail are one
 * transaction.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "banned.h"

#define PLACE_MAX	300	/* bytes of a session's place */
#define CODE_LEN	6	/* characters after "EX-" */
#define CODE_TRIES	10	/* new codes tried on a UNIQUE conflict */
#define MAX_ASSOCS	32	/* associations one reviewer scores for */
#define MAX_VIGNETTES	500	/* listed per association */

/* Nothing to misread on a handwritten vignette: no 0/O, 1/I/L, U/V. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTWXYZ";

struct exam_session {
	int64_t		 id;
	char		*date;
	char		*place;
};

struct exam_reg {
	int64_t		 id;
	int64_t		 session;
	int64_t		 app;
	int		 has_part1, part1;
	int		 has_a, score_a;
	int64_t		 scorer_a;
	int		 has_b, score_b;
	int64_t		 scorer_b;
	char		*result;	/* NULL: not yet */
	char		*date;		/* the session's */
	char		*association;	/* the session's */
};

/* ------------------------------------------------------------- helpers */

/*
 * A whole number 0..max written as digits only (spaces around allowed:
 * a pasted score often has them); 0, or -1 for anything else, so that
 * "5.5", "-1", "1e2" and "" are refused rather than read as something.
 */
static int
whole(const char *s, int64_t max, int64_t *out)
{
	int64_t	 v = 0;
	int	 n = 0;

	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++n > 15)
			return -1;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ')
		s++;
	if (n == 0 || *s != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

/* An exam session of the coordinator's association; the 404 is sent for
   another association's, the same answer as for a missing one. */
static int
session_load(struct req *r, int64_t id, struct exam_session *s)
{
	struct dbq	*st = db_stmt(S_EXAM_SESSION_GET);
	int		 found = 0;

	db_bind_int(st, "$id", id);
	db_bind_text(st, "$assoc", r->user.association);
	if (db_step(st) == DB_ROW) {
		found = 1;
		s->id = db_col_int64(st, 0);
		s->date = db_text(&r->arena, st, 1);
		s->place = db_text(&r->arena, st, 2);
	}
	db_reset(st);
	if (!found) {
		view_error(r, 404, "there is no such exam session");
		return -1;
	}
	return 0;
}

/* A registration with its session's date and association; -1 when there
   is none (the caller decides who may know that). */
static int
reg_load(struct req *r, int64_t id, struct exam_reg *g)
{
	struct dbq	*st = db_stmt(S_EXAM_REG_GET);
	int		 found = 0;

	memset(g, 0, sizeof *g);
	db_bind_int(st, "$id", id);
	if (db_step(st) == DB_ROW) {
		found = 1;
		g->id = db_col_int64(st, 0);
		g->session = db_col_int64(st, 1);
		g->app = db_col_int64(st, 2);
		if ((g->has_part1 = !db_col_null(st, 3)))
			g->part1 = db_col_int(st, 3);
		if ((g->has_a = !db_col_null(st, 4)))
			g->score_a = db_col_int(st, 4);
		g->scorer_a = db_col_int64(st, 5);
		if ((g->has_b = !db_col_null(st, 6)))
			g->score_b = db_col_int(st, 6);
		g->scorer_b = db_col_int64(st, 7);
		g->result = db_text(&r->arena, st, 8);
		g->date = db_text(&r->arena, st, 9);
		g->association = db_text(&r->arena, st, 10);
	}
	db_reset(st);
	return found ? 0 : -1;
}

/* "on 2026-12-01 online" / "on 2026-12-01 at 12 Main Street". */
static const char *
when_where(struct req *r, const char *date, const char *place)
{
	if (strcmp(place, "online") == 0)
		return arena_printf(&r->arena, "on %s, online", date);
	return arena_printf(&r->arena, "on %s at %s", date, place);
}

/* The first day a failed examinee may sit the exam again. */
static const char *
retake_from(struct req *r, const struct ruleset *rs, const char *failed)
{
	int32_t	 d;
	char	 s[11];

	if (date_parse(failed, &d) != 0)
		return failed;
	date_format(d + rs->workflow.retake_days, s);
	return arena_strdup(&r->arena, s);
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
exam_finish(struct req *r, int64_t reg)
{
	const struct ruleset	*rs;
	struct exam_reg		 g;
	struct app		 a;
	struct dbq		*st;
	const char		*body, *result;
	int			 p1, p2;

	if (reg_load(r, reg, &g) != 0 || g.result != NULL || !g.has_part1 ||
	    !g.has_a || !g.has_b)
		return 0;
	if ((rs = web_rules(g.association)) == NULL ||
	    app_get(r, g.app, &a) != 0)
		return -1;
	p1 = g.part1 * 100 >= rs->workflow.exam_pass_pct *
	    rs->workflow.exam_questions;
	p2 = g.score_a + g.score_b >= 2 * rs->workflow.exam_part2_pass;
	result = p1 && p2 ? "pass" : "fail";
	st = db_stmt(S_EXAM_REG_RESULT);
	db_bind_text(st, "$result", result);
	db_bind_int(st, "$id", g.id);
	if (db_exec(st) != 0 || db_changes() != 1)
		return -1;
	if (audit_log(r, "exam", g.id, "result", json_pack("{s:I, s:s, s:i, "
	    "s:i, s:i}", "application", (json_int_t)g.app, "result", result,
	    "part1", g.part1, "score_a", g.score_a, "score_b",
	    g.score_b)) != 0)
		return -1;
	if (p1 && p2)
		body = arena_printf(&r->arena, "You passed the exam of %s.\n\n"
		    "Part 1: %d of %d questions (%d%% needed).\n"
		    "Vignettes: %d and %d of %d (%d together needed).\n\n"
		    "The exam requirement of your application is now met.\n",
		    g.date, g.part1, rs->workflow.exam_questions,
		    rs->workflow.exam_pass_pct, g.score_a, g.score_b,
		    rs->workflow.exam_part2_max,
		    2 * rs->workflow.exam_part2_pass);
	else
		body = arena_printf(&r->arena, "You did not pass the exam of "
		    "%s.\n\n"
		    "Part 1: %d of %d questions (%d%% needed)%s.\n"
		    "Vignettes: %d and %d of %d (%d together needed)%s.\n\n"
		    "You can take the exam again from %s; your coordinator "
		    "registers you for a session.\n", g.date, g.part1,
		    rs->workflow.exam_questions, rs->workflow.exam_pass_pct,
		    p1 ? ", passed" : ", not passed", g.score_a, g.score_b,
		    rs->workflow.exam_part2_max,
		    2 * rs->workflow.exam_part2_pass,
		    p2 ? ", passed" : ", not passed",
		    retake_from(r, rs, g.date));
	return app_notify(r, &a, "Your exam result", body);
}

/* ------------------------------------------------------ sessions (list) */

/* The association's sessions and the form to add one (with what was
   typed and its errors after a refusal). */
static void
sessions_page(struct req *r, int status, json_t *errors)
{
	json_t		*v = json_object(), *list = json_array(), *fields;
	struct dbq	*st = db_stmt(S_EXAM_SESSION_LIST);
	int		 keep = errors != NULL;

	db_bind_text(st, "$assoc", r->user.association);
	while (db_step(st) == DB_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I}",
		    "id", (json_int_t)db_col_int64(st, 0), "date",
		    (const char *)db_col_text(st, 1), "place",
		    (const char *)db_col_text(st, 2), "n",
		    (json_int_t)db_col_int64(st, 3)));
	db_reset(st);
	fields = json_pack("[o, o]",
	    view_field("date", "Date", "date", keep ? req_form(r, "date") :
	    NULL, errors, NULL),
	    view_field("place", "Place", "text", keep ? req_form(r, "place") :
	    NULL, errors, NULL));
	json_object_set_new(json_array_get(fields, 1), "hint",
	    json_string("\"online\", or the address where it is held"));
	json_object_set_new(v, "association",
	    json_string(web_assoc_name(r->user.association)));
	json_object_set_new(v, "n_sessions",
	    json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(v, "sessions", list);
	json_object_set_new(v, "fields", fields);
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
	json_decref(errors);
	view_page(r, status, "exam/sessions", "Exam sessions", v);
}

/* GET /coordinator/exams: the list and an empty form. */
void
page_exams(struct req *r)
{
	sessions_page(r, 200, NULL);
}

/* POST /coordinator/exams: a date and a place, each checked so that a
   refusal names its field; the session is stored with its audit row. */
void
page_exam_new(struct req *r)
{
	const char	*date = req_form(r, "date");
	const char	*place = req_form(r, "place");
	json_t		*errors = json_object();
	char		*p = NULL;
	size_t		 n, i;
	int32_t		 d;
	int64_t		 id;
	struct dbq	*st;

	if (date == NULL || *date == '\0')
		json_object_set_new(errors, "date", json_string("enter the "
		    "date of the session"));
	else if (date_parse(date, &d) != 0)
		json_object_set_new(errors, "date", json_string("enter a real "
		    "date as YYYY-MM-DD"));
	if (place != NULL) {
		while (*place == ' ' || *place == '\t')
			place++;
		p = arena_strdup(&r->arena, place);
		for (n = strlen(p); n > 0 && (p[n - 1] == ' ' ||
		    p[n - 1] == '\t'); n--)
			p[n - 1] = '\0';
	}
	if (p == NULL || *p == '\0')
		json_object_set_new(errors, "place", json_string("enter "
		    "\"online\" or the address of the session"));
	else if (strlen(p) > PLACE_MAX)
		json_object_set_new(errors, "place", json_string(arena_printf(
		    &r->arena, "at most %d bytes", PLACE_MAX)));
	else {
		for (i = 0; p[i] != '\0'; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
				break;
		if (p[i] != '\0')
			json_object_set_new(errors, "place", json_string("one "
			    "line of text, without control characters"));
	}
	if (json_object_size(errors) > 0) {
		sessions_page(r, 400, errors);
		return;
	}
	json_decref(errors);
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_EXAM_SESSION_INSERT);
	db_bind_text(st, "$assoc", r->user.association);
	db_bind_text(st, "$date", date);
	db_bind_text(st, "$place", p);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	id = db_last_id();
	if (audit_log(r, "exam_session", id, "create", json_pack("{s:s, s:s}",
	    "date", date, "place", p)) != 0 || db_commit() != 0)
		goto fail;
	reply_redirect(r, "/coordinator/exams/%lld", (long long)id);
	return;
fail:
	db_rollback();
	view_error(r, 500, "the exam session could not be stored");
}

/* ------------------------------------------------------- one session */

/*
 * A session: its registrations with names and scores (the coordinator
 * knows who is who; only scorers must not), the form to register an
 * application approved for the exam, and per registration the part 1
 * form.  errors holds the register form's; bad_reg and bad_msg a part 1
 * form's, whose typed value is kept.
 */
static void
session_page(struct req *r, const struct exam_session *s, int status,
    json_t *errors, int64_t bad_reg, const char *bad_msg)
{
	const struct ruleset	*rs = web_rules(r->user.association);
	json_t			*v = json_object(), *regs = json_array();
	json_t			*opts = json_array(), *f, *o;
	struct dbq		*st;
	const char		*sel = errors != NULL ?
				    req_form(r, "application") : NULL;
	const char		*result, *name;
	char			 id[32];
	int64_t			 rid;

	st = db_stmt(S_EXAM_REG_LIST_SESSION);
	db_bind_int(st, "$session", s->id);
	while (db_step(st) == DB_ROW) {
		rid = db_col_int64(st, 0);
		result = (const char *)db_col_text(st, 7);
		o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, "
		    "s:b}", "id", (json_int_t)rid, "app",
		    (json_int_t)db_col_int64(st, 1), "name",
		    (const char *)db_col_text(st, 2), "code",
		    (const char *)db_col_text(st, 3), "part1",
		    db_col_null(st, 4) ? "" :
		    (const char *)db_col_text(st, 4), "score_a",
		    db_col_null(st, 5) ? "" :
		    (const char *)db_col_text(st, 5), "score_b",
		    db_col_null(st, 6) ? "" :
		    (const char *)db_col_text(st, 6), "result",
		    result != NULL ? result : "", "passed", result != NULL &&
		    strcmp(result, "pass") == 0, "open", result == NULL);
		json_object_set_new(o, "value", json_string(json_string_value(
		    json_object_get(o, "part1"))));
		/* Every row has the key, so a row never finds another's
		   through the outward lookup. */
		json_object_set_new(o, "error", json_null());
		if (rid == bad_reg) {
			json_object_set_new(o, "error", json_string(bad_msg));
			json_object_set_new(o, "value", json_string(
			    req_form(r, "part1") != NULL ?
			    req_form(r, "part1") : ""));
		}
		json_array_append_new(regs, o);
	}
	db_reset(st);

	st = db_stmt(S_EXAM_ELIGIBLE);
	db_bind_text(st, "$assoc", r->user.association);
	db_bind_int(st, "$session", s->id);
	while (db_step(st) == DB_ROW) {
		snprintf(id, sizeof id, "%lld",
		    (long long)db_col_int64(st, 0));
		name = (const char *)db_col_text(st, 1);
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", id, "label", arena_printf(&r->arena, "%s (%s, "
		    "application %s)", name, (const char *)
		    db_col_text(st, 2), id), "checked", sel != NULL &&
		    strcmp(sel, id) == 0));
	}
	db_reset(st);
	f = view_field("application", "Applicant approved for the exam",
	    "select", NULL, errors, NULL);
	json_object_set_new(f, "options", opts);

	json_object_set_new(v, "session", json_pack("{s:I, s:s, s:s}", "id",
	    (json_int_t)s->id, "date", s->date, "place", s->place));
	json_object_set_new(v, "n_regs",
	    json_integer((json_int_t)json_array_size(regs)));
	json_object_set_new(v, "registrations", regs);
	json_object_set_new(v, "n_eligible",
	    json_integer((json_int_t)json_array_size(opts)));
	json_object_set_new(v, "show_form", json_boolean(
	    json_array_size(opts) > 0 || errors != NULL));
	json_object_set_new(v, "fields", json_pack("[o]", f));
	if (rs != NULL)
		json_object_set_new(v, "marks", json_pack("{s:i, s:i, s:i, "
		    "s:i, s:i}", "questions", rs->workflow.exam_questions,
		    "pct", rs->workflow.exam_pass_pct, "max",
		    rs->workflow.exam_part2_max, "pass",
		    rs->workflow.exam_part2_pass, "both",
		    2 * rs->workflow.exam_part2_pass));
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors",
		    json_integer((json_int_t)json_object_size(errors)));
	if (bad_msg != NULL)
		json_object_set_new(v, "part1_error", json_string(bad_msg));
	json_decref(errors);
	view_page(r, status, "exam/session", arena_printf(&r->arena,
	    "Exam session of %s", s->date), v);
}

/* GET /coordinator/exams/#: one session of the coordinator's own
   association. */
void
page_exam(struct req *r)
{
	struct exam_session	 s;

	if (session_load(r, r->id, &s) != 0)
		return;
	session_page(r, &s, 200, NULL, 0, NULL);
}

/*
 * Why application a may not sit session s, or NULL: it must be approved
 * for the exam, its category must have one, it must not have passed or
 * be waiting for a result, its latest fail must be retake_days before
 * the session, and it must not be registered for this session already.
 */
static const char *
register_refusal(struct req *r, const struct app *a,
    const struct exam_session *s)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct dbq		*st;
	const char		*why = NULL, *result, *date;
	char			*failed = NULL;
	int32_t			 sd, fd;
	int			 listed = 0;

	if (rs == NULL)
		return "the association's rule set is not loaded";
	if (a->status != APP_EXAM)
		return arena_printf(&r->arena, "this application is not "
		    "approved for the exam (its status is %s)", db_enum_word(app_status, a->status));
	if (!workflow_needs_exam(a))
		return "the application's category has no exam";
	st = db_stmt(S_EXAM_REG_LIST_APP);
	db_bind_int(st, "$app", a->id);
	while (why == NULL && db_step(st) == DB_ROW) {
		date = (const char *)db_col_text(st, 1);
		result = (const char *)db_col_text(st, 6);
		if (result == NULL)
			why = arena_printf(&r->arena, "already registered for "
			    "the exam of %s, which has no result yet", date);
		else if (strcmp(result, "pass") == 0)
			why = arena_printf(&r->arena, "has already passed the "
			    "exam (%s)", date);
		else if (failed == NULL || strcmp(date, failed) > 0)
			failed = arena_strdup(&r->arena, date);
	}
	db_reset(st);
	if (why != NULL)
		return why;
	if (failed != NULL && date_parse(failed, &fd) == 0 &&
	    date_parse(s->date, &sd) == 0 &&
	    sd - fd < rs->workflow.retake_days)
		return arena_printf(&r->arena, "failed the exam of %s: can "
		    "retake from %s", failed, retake_from(r, rs, failed));
	st = db_stmt(S_EXAM_ELIGIBLE);
	db_bind_text(st, "$assoc", a->association);
	db_bind_int(st, "$session", s->id);
	while (!listed && db_step(st) == DB_ROW)
		listed = db_col_int64(st, 0) == a->id;
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

/*
 * POST /coordinator/exams/#/register: an application of the association
 * approved for the exam sits the session under a fresh anonymous code;
 * the registration, its audit row and the applicant's mail (date, place,
 * code) are one transaction, and every check runs inside it.
 */
void
page_exam_register(struct req *r)
{
	struct exam_session	 s;
	struct app		 a;
	struct dbq		*st;
	const char		*why;
	char			 code[4 + CODE_LEN];
	int64_t			 app_id, reg;
	int			 tries;

	if (session_load(r, r->id, &s) != 0)
		return;
	if (whole(req_form(r, "application"), INT64_MAX / 16, &app_id) != 0 ||
	    app_id == 0) {
		session_page(r, &s, 400, json_pack("{s:s}", "application",
		    "choose an applicant approved for the exam"), 0, NULL);
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	/* Another association's application: as if there were none. */
	if (app_get(r, app_id, &a) != 0 ||
	    strcmp(a.association, r->user.association) != 0) {
		db_rollback();
		view_error(r, 404, "there is no such application");
		return;
	}
	if ((why = register_refusal(r, &a, &s)) != NULL) {
		db_rollback();
		session_page(r, &s, 409, json_pack("{s:s}", "application", why),
		    0, NULL);
		return;
	}
	/* (session, application) is known free, so a UNIQUE conflict is
	   the code's: draw another. */
	for (tries = 0;; tries++) {
		exam_code(code);
		st = db_stmt(S_EXAM_REG_INSERT);
		db_bind_int(st, "$session", s.id);
		db_bind_int(st, "$app", a.id);
		db_bind_text(st, "$code", code);
		db_bind_int(st, "$now", db_now());
		if (db_exec(st) == 0)
			break;
		if (tries + 1 == CODE_TRIES || sqlite3_extended_errcode(
		    db_conn()) != SQLITE_CONSTRAINT_UNIQUE)
			goto fail;
	}
	reg = db_last_id();
	if (audit_log(r, "exam", reg, "register", json_pack("{s:I, s:I, s:s, "
	    "s:s}", "application", (json_int_t)a.id, "session",
	    (json_int_t)s.id, "date", s.date, "code", code)) != 0)
		goto fail;
	if (app_notify(r, &a, "You are registered for the exam",
	    arena_printf(&r->arena, "You are registered for the exam %s.\n\n"
	    "Your exam code is %s. Write this code, and not your name, on "
	    "your vignette answers: they are scored without knowing who "
	    "wrote them.\n", when_where(r, s.date, s.place), code)) != 0 ||
	    db_commit() != 0)
		goto fail;
	reply_redirect(r, "/coordinator/exams/%lld#reg-%lld", (long long)s.id,
	    (long long)reg);
	return;
fail:
	db_rollback();
	view_error(r, 500, "the registration could not be stored");
}

/* POST /coordinator/exams/#/registrations/#: the part 1 score, which may
   be corrected until the result is in; it may be the last score in. */
void
page_exam_part1(struct req *r)
{
	const struct ruleset	*rs;
	struct exam_session	 s;
	struct exam_reg		 g;
	struct dbq		*st;
	int64_t			 score;

	if (session_load(r, r->id, &s) != 0)
		return;
	if (reg_load(r, r->id2, &g) != 0 || g.session != s.id ||
	    strcmp(g.association, r->user.association) != 0) {
		view_error(r, 404, "there is no such registration");
		return;
	}
	if ((rs = web_rules(g.association)) == NULL) {
		view_error(r, 500, "the association's rule set is not loaded");
		return;
	}
	if (whole(req_form(r, "part1"), rs->workflow.exam_questions,
	    &score) != 0) {
		session_page(r, &s, 400, NULL, g.id, arena_printf(&r->arena,
		    "part1: enter a whole number from 0 to %d",
		    rs->workflow.exam_questions));
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	st = db_stmt(S_EXAM_REG_PART1);
	db_bind_int(st, "$score", score);
	db_bind_int(st, "$id", g.id);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		view_error(r, 409, "this exam has its result; its scores are "
		    "final");
		return;
	}
	if (audit_log(r, "exam", g.id, "part1", json_pack("{s:I, s:I}",
	    "application", (json_int_t)g.app, "part1",
	    (json_int_t)score)) != 0 || exam_finish(r, g.id) != 0 ||
	    db_commit() != 0)
		goto fail;
	reply_redirect(r, "/coordinator/exams/%lld#reg-%lld", (long long)s.id,
	    (long long)g.id);
	return;
fail:
	db_rollback();
	view_error(r, 500, "the score could not be stored");
}

/* ---------------------------------------------------------- vignettes */

/*
 * The vignettes the caller may still score, per association they
 * review: code and session date only (blind scoring).  Their own exam is
 * left out.  bad_reg and bad_msg: a score form's error, its typed value
 * kept.  Someone who reviews for no association is told so (any user may
 * ask; the page shows them nothing).
 */
static void
vignettes_page(struct req *r, int status, int64_t bad_reg,
    const char *bad_msg)
{
	const struct ruleset	*rs;
	json_t			*v = json_object(), *groups = json_array();
	json_t			*list, *o;
	struct dbq		*st;
	struct exam_reg		 g;
	struct app		 a;
	char			*assocs[MAX_ASSOCS];
	char			*codes[MAX_VIGNETTES];
	int64_t			 ids[MAX_VIGNETTES];
	int			 nassoc = 0, n, i, j, total = 0;

	st = db_stmt(S_REVIEWER_ASSOCS);
	db_bind_int(st, "$account", r->user.id);
	while (nassoc < MAX_ASSOCS && db_step(st) == DB_ROW)
		assocs[nassoc++] = db_text(&r->arena, st, 0);
	db_reset(st);
	for (i = 0; i < nassoc; i++) {
		n = 0;
		st = db_stmt(S_EXAM_VIGNETTES);
		db_bind_text(st, "$assoc", assocs[i]);
		db_bind_int(st, "$scorer", r->user.id);
		while (n < MAX_VIGNETTES && db_step(st) == DB_ROW) {
			ids[n] = db_col_int64(st, 0);
			codes[n++] = db_text(&r->arena, st, 1);
		}
		db_reset(st);
		list = json_array();
		for (j = 0; j < n; j++) {
			if (reg_load(r, ids[j], &g) != 0 ||
			    app_get(r, g.app, &a) != 0 ||
			    a.account == r->user.id)
				continue;
			/* The code and the date: nothing of g.app. */
			o = json_pack("{s:I, s:s, s:s, s:b, s:n, s:s}", "id",
			    (json_int_t)g.id, "code", codes[j], "date", g.date,
			    "second", g.has_a, "error", "value", "");
			if (g.id == bad_reg) {
				json_object_set_new(o, "error",
				    json_string(bad_msg));
				json_object_set_new(o, "value", json_string(
				    req_form(r, "score") != NULL ?
				    req_form(r, "score") : ""));
			}
			json_array_append_new(list, o);
		}
		rs = web_rules(assocs[i]);
		total += (int)json_array_size(list);
		json_array_append_new(groups, json_pack("{s:s, s:o, s:i, s:i}",
		    "association", web_assoc_name(assocs[i]), "vignettes", list,
		    "max", rs != NULL ? rs->workflow.exam_part2_max : 0,
		    "n", (int)json_array_size(list)));
	}
	json_object_set_new(v, "groups", groups);
	json_object_set_new(v, "reviewer", json_boolean(nassoc > 0));
	json_object_set_new(v, "n_total", json_integer(total));
	if (bad_msg != NULL)
		json_object_set_new(v, "score_error", json_string(bad_msg));
	view_page(r, status, "exam/vignettes", "Vignettes to score", v);
}

/* GET /review/vignettes: what the caller may score, blind. */
void
page_vignettes(struct req *r)
{
	vignettes_page(r, 200, 0, NULL);
}

/*
 * POST /review/vignettes/#: one vignette score.  The first goes to score A,
 * the second to score B, which needs a different reviewer (the statement
 * refuses the same one too); it may complete the result.
 */
void
page_vignette_score(struct req *r)
{
	const struct ruleset	*rs;
	struct exam_reg		 g;
	struct app		 a;
	struct dbq		*st;
	const char		*slot;
	int64_t			 score;

	/* Someone who does not review for the association learns nothing,
	   not even that the registration exists. */
	if (reg_load(r, r->id, &g) != 0 ||
	    !workflow_is_reviewer(r->user.id, g.association) ||
	    app_get(r, g.app, &a) != 0) {
		view_error(r, 404, "there is no such vignette to score");
		return;
	}
	if (a.account == r->user.id) {
		view_error(r, 403, "you cannot score your own exam");
		return;
	}
	if ((rs = web_rules(g.association)) == NULL) {
		view_error(r, 500, "the association's rule set is not loaded");
		return;
	}
	if (g.result != NULL) {
		view_error(r, 409, "this exam has its result; its scores are "
		    "final");
		return;
	}
	if (whole(req_form(r, "score"), rs->workflow.exam_part2_max,
	    &score) != 0) {
		vignettes_page(r, 400, g.id, arena_printf(&r->arena, "score: "
		    "enter a whole number from 0 to %d",
		    rs->workflow.exam_part2_max));
		return;
	}
	if (db_begin() != 0) {
		view_error(r, 503, "the database is busy; try again");
		return;
	}
	/* Again inside the transaction: another scorer may have been
	   first. */
	if (reg_load(r, r->id, &g) != 0)
		goto fail;
	if (g.has_a && g.scorer_a == r->user.id) {
		db_rollback();
		view_error(r, 409, "you have already scored this vignette");
		return;
	}
	slot = g.has_a ? "b" : "a";
	st = db_stmt(g.has_a ? S_EXAM_REG_SCORE_B : S_EXAM_REG_SCORE_A);
	db_bind_int(st, "$score", score);
	db_bind_int(st, "$scorer", r->user.id);
	db_bind_int(st, "$id", g.id);
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		view_error(r, 409, g.has_b ? "this vignette has both its "
		    "scores" : "this vignette cannot take your score now; "
		    "reload the list");
		return;
	}
	if (audit_log(r, "exam", g.id, "score", json_pack("{s:I, s:s, s:I}",
	    "application", (json_int_t)g.app, "slot", slot, "score",
	    (json_int_t)score)) != 0 || exam_finish(r, g.id) != 0 ||
	    db_commit() != 0)
		goto fail;
	reply_redirect(r, "/review/vignettes");
	return;
fail:
	db_rollback();
	view_error(r, 500, "the score could not be stored");
}
