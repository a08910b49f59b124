/*
 * The exam's domain (dom-exam.c): sessions, who sits them, part 1, the
 * blind vignette scores and the result.  Every function takes an actor,
 * an arena and plain values, runs its own transaction and answers 0, or
 * -1 with a struct derr (domain.h).
 */
#ifndef DOM_EXAM_H
#define DOM_EXAM_H

#include <stdint.h>

#include <jansson.h>

#include "domain.h"

struct app;
struct arena;

/*
 * A registration's state, derived from its row: which of part 1, score A
 * and score B are in, and the result.  Part 1 and the vignette scores
 * come in any order; score B needs score A; COMPLETE (all three, no
 * result yet) lasts only inside the transaction that decides the result.
 * EXS_NEW is an application not registered yet.
 */
enum exam_state {
	EXS_NEW, EXS_REGISTERED, EXS_PART1, EXS_A, EXS_PART1_A, EXS_AB,
	EXS_COMPLETE, EXS_PASSED, EXS_FAILED, EXS__N
};
/* Register (a coordinator), record or correct part 1 (a coordinator),
   a vignette score (a reviewer), the result (decided by the system). */
enum exam_event {
	EXEV_REGISTER, EXEV_PART1, EXEV_SCORE_A, EXEV_SCORE_B, EXEV_PASS,
	EXEV_FAIL, EXEV__N
};
extern const struct sm exam_machine;

struct exam_session {
	int64_t		 id;
	char		*date;
	char		*place;
};

/*
 * When an exam counts, the one rule every page uses: a session's scores
 * are entered from its day on (exam_started), and a result counts when
 * it is in and its session's day has come.  exam_passed: the latest
 * result that counts is a pass; the result mail, the decision and the
 * checklist (app_exam_results) all ask these.
 */
int		 exam_started(const char *date);
int		 exam_counts(const char *date, enum exam_result);
int		 exam_passed(const struct app *);

/* The coordinator's sessions: [{id, date, place, n registered}]. */
json_t		*exam_sessions(const struct actor *, struct arena *);
/* A session of the coordinator's association; 404 for another's, the
   same answer as for a missing one. */
int		 exam_session_get(const struct actor *, struct arena *,
		    int64_t id, struct exam_session *, struct derr *);
/* A session's registrations: [{id, app, name, code, part1, score_a,
   score_b (text, "" for none), result ("" for none), passed, open}]. */
json_t		*exam_session_regs(const struct actor *, struct arena *,
		    int64_t session);
/* Who may be registered for the session: [{id, name, category}]. */
json_t		*exam_eligible(const struct actor *, struct arena *,
		    int64_t session);
/* The vignettes the actor may still score, blind, per association they
   review for: [{association, vignettes: [{id, code, date, second}]}]. */
json_t		*exam_vignettes(const struct actor *, struct arena *);

/* A new session of the actor's association with its audit row; *id.
   A date before today is refused (400, field "date"). */
int		 exam_session_create(const struct actor *, struct arena *,
		    const char *date, const char *place, int64_t *id,
		    struct derr *);
/* Application app sits session under a fresh code, mailed with the
   date and place; *reg.  A refusal of the application names the field
   "application". */
int		 exam_register(const struct actor *, struct arena *,
		    int64_t session, int64_t app, int64_t *reg, struct derr *);
/* Part 1 of registration reg (of session), -1 for a value that was not
   a whole number; a refused value names the field "part1". */
int		 exam_part1(const struct actor *, struct arena *,
		    int64_t session, int64_t reg, int64_t score, struct derr *);
/* A vignette score by a reviewer, -1 for a value that was not a whole
   number; a refused value names the field "score". */
int		 exam_score(const struct actor *, struct arena *, int64_t reg,
		    int64_t score, struct derr *);

#endif
