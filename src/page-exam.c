/*
 * The exam: the coordinator's sessions, who sits them and their part 1
 * scores; the reviewers' blind scoring of the written vignettes; and the
 * result once part 1 and both vignette scores are in.
 *
 * A vignette scorer sees an anonymous code and the session's date, never
 * who wrote the vignette: the association requires blind scoring, so no
 * name, e-mail or application id of an examinee reaches their page.  Two
 * different reviewers score each vignette, and an examinee never scores
 * their own.  These pages parse the forms and show the answers; every
 * change, with its audit row and its mail in one transaction, is
 * dom-exam.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-exam.h"
#include "banned.h"

#define PLACE_MAX	300	/* bytes of a session's place */

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

/* A score field as the domain takes it: the number, or -1 (refused
   there, with the field named) for anything but a whole number. */
static int64_t
score_field(struct req *r, const char *name)
{
	int64_t	 v;

	if (whole(req_form(r, name), INT64_MAX / 16, &v) != 0)
		return -1;
	return v;
}

/* An exam session of the coordinator's association; the 404 is sent for
   another association's, the same answer as for a missing one. */
static int
session_load(struct req *r, int64_t id, struct exam_session *s)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (exam_session_get(&who, &r->arena, id, s, &e) != 0) {
		view_derr(r, &e);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------ sessions (list) */

/* The association's sessions and the form to add one (with what was
   typed and its errors after a refusal). */
static void
sessions_page(struct req *r, int status, json_t *errors)
{
	struct actor	 who = req_actor(r);
	json_t		*v = json_object(), *fields;
	json_t		*list = exam_sessions(&who, &r->arena);
	int		 keep = errors != NULL;

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
	view_us_dates(list, "date");
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
	struct actor	 who = req_actor(r);
	struct derr	 e;
	char		*p = NULL;
	size_t		 n, i;
	int32_t		 d;
	int64_t		 id;

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
	if (exam_session_create(&who, &r->arena, date, p, &id, &e) != 0) {
		if (e.field != NULL)
			sessions_page(r, e.status, json_pack("{s:s}", e.field,
			    e.message));
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/exams/%lld", (long long)id);
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
	struct actor		 who = req_actor(r);
	json_t			*v = json_object(), *regs, *rows;
	json_t			*opts = json_array(), *f, *o;
	const char		*sel = errors != NULL ?
				    req_form(r, "application") : NULL;
	char			 id[32];
	size_t			 i;

	regs = exam_session_regs(&who, &r->arena, s->id);
	json_array_foreach(regs, i, o) {
		json_object_set_new(o, "value", json_string(json_string_value(
		    json_object_get(o, "part1"))));
		/* Every row has the key, so a row never finds another's
		   through the outward lookup. */
		json_object_set_new(o, "error", json_null());
		if (json_integer_value(json_object_get(o, "id")) == bad_reg) {
			json_object_set_new(o, "error", json_string(bad_msg));
			json_object_set_new(o, "value", json_string(
			    req_form(r, "part1") != NULL ?
			    req_form(r, "part1") : ""));
		}
	}

	rows = exam_eligible(&who, &r->arena, s->id);
	json_array_foreach(rows, i, o) {
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(
		    json_object_get(o, "id")));
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", id, "label", arena_printf(&r->arena, "%s (%s, "
		    "application %s)", json_string_value(json_object_get(o,
		    "name")), json_string_value(json_object_get(o,
		    "category")), id), "checked", sel != NULL &&
		    strcmp(sel, id) == 0));
	}
	json_decref(rows);
	f = view_field("application", "Applicant approved for the exam",
	    "select", NULL, errors, NULL);
	json_object_set_new(f, "options", opts);

	json_object_set_new(v, "session", json_pack("{s:I, s:s, s:s}", "id",
	    (json_int_t)s->id, "date", s->date, "place", s->place));
	view_us_dates(json_object_get(v, "session"), "date");
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
	    "Exam session of %s", json_string_value(json_object_get(
	    json_object_get(v, "session"), "date"))), v);
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
 * POST /coordinator/exams/#/register: an application of the association
 * approved for the exam sits the session under a fresh anonymous code
 * (exam_register: the registration, its audit row and the applicant's
 * mail in one transaction); a refusal of the application is shown on
 * the session's form.
 */
void
page_exam_register(struct req *r)
{
	struct exam_session	 s;
	struct actor		 who = req_actor(r);
	struct derr		 e;
	int64_t			 app_id, reg;

	if (session_load(r, r->id, &s) != 0)
		return;
	if (whole(req_form(r, "application"), INT64_MAX / 16, &app_id) != 0 ||
	    app_id == 0) {
		session_page(r, &s, 400, json_pack("{s:s}", "application",
		    "choose an applicant approved for the exam"), 0, NULL);
		return;
	}
	if (exam_register(&who, &r->arena, s.id, app_id, &reg, &e) != 0) {
		if (e.field != NULL)
			session_page(r, &s, e.status, json_pack("{s:s}",
			    e.field, e.message), 0, NULL);
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/exams/%lld#reg-%lld", (long long)s.id,
	    (long long)reg);
}

/* POST /coordinator/exams/#/registrations/#: the part 1 score, which may
   be corrected until the result is in; it may be the last score in. */
void
page_exam_part1(struct req *r)
{
	struct exam_session	 s;
	struct actor		 who = req_actor(r);
	struct derr		 e;

	if (session_load(r, r->id, &s) != 0)
		return;
	if (exam_part1(&who, &r->arena, s.id, r->id2, score_field(r, "part1"),
	    &e) != 0) {
		if (e.field != NULL)
			session_page(r, &s, e.status, NULL, r->id2,
			    e.message);
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/coordinator/exams/%lld#reg-%lld", (long long)s.id,
	    (long long)r->id2);
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
	struct actor		 who = req_actor(r);
	json_t			*v = json_object(), *groups = json_array();
	json_t			*found, *grp, *list, *o;
	const char		*assoc;
	size_t			 i, j;
	int			 total = 0;

	found = exam_vignettes(&who, &r->arena);
	json_array_foreach(found, i, grp) {
		assoc = json_string_value(json_object_get(grp, "association"));
		list = json_object_get(grp, "vignettes");
		view_us_dates(list, "date");
		json_array_foreach(list, j, o) {
			json_object_set_new(o, "error", json_null());
			json_object_set_new(o, "value", json_string(""));
			if (json_integer_value(json_object_get(o, "id")) ==
			    bad_reg) {
				json_object_set_new(o, "error",
				    json_string(bad_msg));
				json_object_set_new(o, "value", json_string(
				    req_form(r, "score") != NULL ?
				    req_form(r, "score") : ""));
			}
		}
		rs = web_rules(assoc);
		total += (int)json_array_size(list);
		json_array_append_new(groups, json_pack("{s:s, s:O, s:i, s:i}",
		    "association", web_assoc_name(assoc), "vignettes", list,
		    "max", rs != NULL ? rs->workflow.exam_part2_max : 0,
		    "n", (int)json_array_size(list)));
	}
	json_object_set_new(v, "groups", groups);
	json_object_set_new(v, "reviewer", json_boolean(
	    json_array_size(found) > 0));
	json_object_set_new(v, "n_total", json_integer(total));
	json_decref(found);
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
 * POST /review/vignettes/#: one vignette score (exam_score: score A,
 * then score B by another reviewer; it may complete the result).  A
 * refused value is shown on the list with what was typed.
 */
void
page_vignette_score(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	if (exam_score(&who, &r->arena, r->id, score_field(r, "score"),
	    &e) != 0) {
		if (e.field != NULL)
			vignettes_page(r, e.status, r->id, e.message);
		else
			view_derr(r, &e);
		return;
	}
	reply_redirect(r, "/review/vignettes");
}
