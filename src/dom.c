/*
 * The domain layer's common ground (domain.h): errors as data, the state
 * machines' one function, the audit log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "endorse.h"
#include "domain.h"
#include "banned.h"

const struct actor actor_system = { ACTOR_SYSTEM, 0, NULL, "scheduler",
    NULL, "the scheduler" };
const struct actor actor_cli = { ACTOR_SYSTEM, 0, NULL, "command line",
    NULL, "the command line" };

int
derr_set(struct derr *e, struct arena *a, int status, const char *field,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 buf[512];

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	e->status = status;
	e->field = field;
	e->message = arena_strdup(a, buf);
	return -1;
}

int
derr_store(struct derr *e, struct arena *a, const char *what)
{
	switch (db_error()) {
	case DBE_BUSY:
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	case DBE_CONSTRAINT:
		return derr_set(e, a, 409, NULL, "%s: it conflicts with what "
		    "is stored", what);
	default:
		return derr_set(e, a, 500, NULL, "%s could not be stored",
		    what);
	}
}

unsigned
actor_who(const struct actor *who)
{
	if (who == NULL)
		return 0;
	switch (who->kind) {
	case ACTOR_APPLICANT:
		return SM_WHO_APPLICANT;
	case ACTOR_COORDINATOR:
		return SM_WHO_COORDINATOR;
	case ACTOR_SYSTEM:
		return SM_WHO_SYSTEM;
	default:
		return 0;
	}
}

int
sm_apply(const struct sm *m, int from, int event, unsigned who,
    struct derr *e, struct arena *a)
{
	int	 i, seen = 0;

	for (i = 0; i < m->nlines; i++) {
		if (m->lines[i].from != from || m->lines[i].event != event)
			continue;
		seen = 1;
		if ((m->lines[i].who & who) != 0)
			return m->lines[i].to;
	}
	if (seen)
		return derr_set(e, a, 403, NULL, "you may not %s this %s",
		    m->events[event], m->name);
	return derr_set(e, a, 409, NULL, "the %s is %s: it cannot be %s now",
	    m->name, m->states[from] != NULL ? m->states[from] : "new",
	    m->events[event]);
}

#define A	SM_WHO_APPLICANT
#define C	SM_WHO_COORDINATOR
static const struct sm_line app_lines[] = {
	{ APP_DRAFT,	 APPEV_SUBMIT,	APP_SUBMITTED,	A },
	{ APP_DEFERRED,	 APPEV_SUBMIT,	APP_SUBMITTED,	A },
	{ APP_SUBMITTED, APPEV_UNLOCK,	APP_DRAFT,	C },
	{ APP_SUBMITTED, APPEV_ENDORSE,	APP_ENDORSED,	C },
	{ APP_SUBMITTED, APPEV_EXAM,	APP_EXAM,	C },
	{ APP_SUBMITTED, APPEV_DEFER,	APP_DEFERRED,	C },
	{ APP_SUBMITTED, APPEV_DENY,	APP_DENIED,	C },
	{ APP_EXAM,	 APPEV_ENDORSE,	APP_ENDORSED,	C },
	{ APP_EXAM,	 APPEV_DEFER,	APP_DEFERRED,	C },
	{ APP_EXAM,	 APPEV_DENY,	APP_DENIED,	C },
};
#undef A
#undef C
static const char *const app_events[APPEV__N] = {
	"submit", "unlock", "endorse", "approve for the exam", "defer", "deny"
};
const struct sm app_machine = { "application", app_lines,
    (int)(sizeof app_lines / sizeof app_lines[0]), app_status_names,
    app_events };

int
audit_write(const struct actor *who, const char *what, int64_t row,
    const char *action, json_t *detail)
{
	struct dbq	*st;
	char		*text;
	int		 rc;

	if (detail == NULL)
		detail = json_object();
	text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	st = db_stmt(S_AUDIT_INSERT);
	db_bind_int(st, "$now", db_now());
	if (who != NULL && who->id > 0)
		db_bind_int(st, "$actor", who->id);
	else
		db_bind_null(st, "$actor");
	db_bind_text(st, "$what", what);
	db_bind_int(st, "$row", row);
	db_bind_text(st, "$action", action);
	db_bind_text(st, "$detail", text != NULL ? text : "{}");
	rc = db_exec(st);
	free(text);
	return rc;
}
