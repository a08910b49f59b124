/*
 * The route table: method, path pattern, who may call it, handler.  A
 * pattern segment "#" takes a positive integer (req.id, then req.id2),
 * "*" one word (req.word).  Before a handler runs, this file checks that
 * the caller is who the route needs and, for every form POST, the CSRF
 * token; handlers then check ownership of the rows they touch (app.c).
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "banned.h"

const struct route routes[] = {
	{ M_GET,  "/", NEED_ANY, page_home },
	{ M_GET,  "/healthz", NEED_ANY, page_healthz },
	{ M_GET,  "/static/*", NEED_ANY, page_static },
	{ M_GET,  "/register", NEED_ANY, page_register_form },
	{ M_POST, "/register", NEED_ANY, page_register },
	{ M_GET,  "/login", NEED_ANY, page_login_form },
	{ M_POST, "/login", NEED_ANY, page_login },
	{ M_POST, "/logout", NEED_USER, page_logout },
	{ M_GET,  "/reset", NEED_ANY, page_reset_request_form },
	{ M_POST, "/reset", NEED_ANY, page_reset_request },
	{ M_GET,  "/reset/*", NEED_ANY, page_reset_form },
	{ M_POST, "/reset/*", NEED_ANY, page_reset },
	{ M_GET,  "/account", NEED_USER, page_account },
	{ M_POST, "/account/name", NEED_USER, page_account_name },
	{ M_POST, "/account/password", NEED_USER, page_account_password },
	{ M_POST, "/account/tokens", NEED_USER, page_token_new },
	{ M_POST, "/account/tokens/#/delete", NEED_USER, page_token_delete },
	{ M_GET,  "/membership", NEED_USER, page_membership },
	{ M_POST, "/membership", NEED_USER, page_membership_add },
	{ M_POST, "/membership/#/delete", NEED_USER, page_membership_delete },
	{ M_GET,  "/dashboard", NEED_USER, page_dashboard },
	{ M_GET,  "/fit", NEED_ANY, page_fit },
	{ M_GET,  "/registry", NEED_ANY, page_registry },
	{ M_GET,  "/verify/*", NEED_ANY, page_verify },
	{ M_GET,  "/applications/new", NEED_USER, page_app_new_form },
	{ M_POST, "/applications", NEED_USER, page_app_new },
	{ M_GET,  "/applications/#", NEED_USER, page_app },
	{ M_POST, "/applications/#/delete", NEED_USER, page_app_delete },
	{ M_GET,  "/applications/#/tab/*", NEED_USER, page_tab },
	{ M_GET,  "/applications/#/tab/*/new", NEED_USER, page_entry_new },
	{ M_POST, "/applications/#/tab/*", NEED_USER, page_entry_add },
	{ M_GET,  "/applications/#/entries/#", NEED_USER, page_entry_edit },
	{ M_POST, "/applications/#/entries/#", NEED_USER, page_entry_save },
	{ M_POST, "/applications/#/entries/#/delete", NEED_USER,
	    page_entry_delete },
	{ M_GET,  "/applications/#/entries/#/transcript", NEED_USER,
	    page_transcript_get },
	{ M_POST, "/applications/#/entries/#/transcript", NEED_USER,
	    page_transcript_put },
	{ M_POST, "/applications/#/entries/#/transcript/delete", NEED_USER,
	    page_transcript_delete },
	{ M_GET,  "/applications/#/ethics", NEED_USER, page_ethics },
	{ M_POST, "/applications/#/ethics", NEED_USER, page_ethics_sign },
	{ M_GET,  "/applications/#/export", NEED_USER, page_export },
	{ M_POST, "/applications/#/import", NEED_USER, page_import },
	{ M_POST, "/applications/#/entries/#/request", NEED_USER,
	    page_rating_request },
	{ M_POST, "/applications/#/ratings/#/resend", NEED_USER,
	    page_rating_resend },
	{ M_POST, "/applications/#/ratings/#/link", NEED_USER,
	    page_rating_link },
	{ M_POST, "/applications/#/ratings/#/revoke", NEED_USER,
	    page_rating_revoke },
	{ M_GET,  "/applications/#/ratings/#", NEED_USER, page_rating_read },
	{ M_POST, "/applications/#/waiver", NEED_USER, page_waiver },
	{ M_POST, "/applications/#/submit", NEED_USER, page_submit },
	{ M_GET,  "/rate/*", NEED_ANY, page_rate_form },
	{ M_POST, "/rate/*", NEED_ANY, page_rate },
	{ M_GET,  "/review", NEED_USER, page_review_list },
	{ M_GET,  "/review/#", NEED_USER, page_review },
	{ M_POST, "/review/#", NEED_USER, page_review_save },
	{ M_GET,  "/review/vignettes", NEED_USER, page_vignettes },
	{ M_POST, "/review/vignettes/#", NEED_USER, page_vignette_score },
	{ M_GET,  "/endorsements/*/certificate.pdf", NEED_USER,
	    page_certificate },
	{ M_POST, "/endorsements/#/hide", NEED_USER, page_endorsement_hide },
	{ M_GET,  "/renewal", NEED_USER, page_renewal },
	{ M_POST, "/renewal/log", NEED_USER, page_log_add },
	{ M_GET,  "/renewal/log/new", NEED_USER, page_log_new },
	{ M_GET,  "/renewal/log/#", NEED_USER, page_log_edit },
	{ M_POST, "/renewal/log/#", NEED_USER, page_log_save },
	{ M_POST, "/renewal/log/#/delete", NEED_USER, page_log_delete },
	{ M_GET,  "/renewal/log/#/evidence", NEED_USER, page_evidence_get },
	{ M_POST, "/renewal/log/#/evidence", NEED_USER, page_evidence_put },
	{ M_POST, "/endorsements/#/attest", NEED_USER, page_attest },
	{ M_POST, "/endorsements/#/inactive", NEED_USER, page_inactive },
	{ M_POST, "/endorsements/#/reinstate", NEED_USER, page_reinstate },
	{ M_GET,  "/endorsements/#/portfolio.json", NEED_USER,
	    page_renewal_export },
	{ M_GET,  "/coordinator", NEED_COORDINATOR, page_coord },
	{ M_GET,  "/coordinator/renewals", NEED_COORDINATOR,
	    page_coord_renewals },
	{ M_POST, "/coordinator/renewals/close", NEED_COORDINATOR,
	    page_coord_close },
	{ M_POST, "/coordinator/renewals/draw", NEED_COORDINATOR,
	    page_coord_draw },
	{ M_GET,  "/coordinator/renewals/#", NEED_COORDINATOR,
	    page_coord_renewal },
	{ M_POST, "/coordinator/renewals/#/items/#", NEED_COORDINATOR,
	    page_coord_item },
	{ M_GET,  "/coordinator/evidence/#", NEED_COORDINATOR,
	    page_coord_evidence },
	{ M_POST, "/coordinator/reinstatements/#", NEED_COORDINATOR,
	    page_coord_reinstate },
	{ M_GET,  "/coordinator/applications/#", NEED_COORDINATOR,
	    page_coord_app },
	{ M_POST, "/coordinator/applications/#/unlock", NEED_COORDINATOR,
	    page_coord_unlock },
	{ M_POST, "/coordinator/applications/#/assign", NEED_COORDINATOR,
	    page_coord_assign },
	{ M_POST, "/coordinator/applications/#/assignments/#/delete",
	    NEED_COORDINATOR, page_coord_unassign },
	{ M_POST, "/coordinator/applications/#/decide", NEED_COORDINATOR,
	    page_coord_decide },
	{ M_GET,  "/coordinator/cycles", NEED_COORDINATOR, page_cycles },
	{ M_POST, "/coordinator/cycles", NEED_COORDINATOR, page_cycle_new },
	{ M_GET,  "/coordinator/cycles/#", NEED_COORDINATOR, page_cycle },
	{ M_POST, "/coordinator/cycles/#/close", NEED_COORDINATOR,
	    page_cycle_close },
	{ M_GET,  "/coordinator/reviewers", NEED_COORDINATOR, page_reviewers },
	{ M_POST, "/coordinator/reviewers", NEED_COORDINATOR,
	    page_reviewer_add },
	{ M_POST, "/coordinator/reviewers/#/delete", NEED_COORDINATOR,
	    page_reviewer_remove },
	{ M_GET,  "/coordinator/exams", NEED_COORDINATOR, page_exams },
	{ M_POST, "/coordinator/exams", NEED_COORDINATOR, page_exam_new },
	{ M_GET,  "/coordinator/exams/#", NEED_COORDINATOR, page_exam },
	{ M_POST, "/coordinator/exams/#/register", NEED_COORDINATOR,
	    page_exam_register },
	{ M_POST, "/coordinator/exams/#/registrations/#", NEED_COORDINATOR,
	    page_exam_part1 },
	{ M_GET,  "/coordinator/outbox", NEED_COORDINATOR, page_outbox },
	{ M_GET,  "/coordinator/rules", NEED_COORDINATOR, page_coord_rules },
	{ M_GET,  "/coordinator/rules/#", NEED_COORDINATOR,
	    page_coord_rule_change },
	{ M_POST, "/api/v1/accounts", NEED_ANY, api_accounts },
	{ M_POST, "/api/v1/tokens", NEED_ANY, api_tokens },
	{ M_GET,  "/api/v1/registry", NEED_ANY, api_registry },
	{ M_GET,  "/api/v1/verify/*", NEED_ANY, api_verify },
	{ M_GET,  "/api/v1/applications", NEED_API, api_application_list },
	{ M_GET,  "/api/v1/renewal", NEED_API, api_renewal },
	{ M_POST, "/api/v1/log/*", NEED_API, api_log_add },
	{ M_GET,  "/api/v1/endorsements/#/portfolio", NEED_API,
	    api_endorsement_portfolio },
	{ M_POST, "/api/v1/applications", NEED_API, api_applications },
	{ M_GET,  "/api/v1/applications/#/portfolio", NEED_API,
	    api_portfolio_get },
	{ M_PUT,  "/api/v1/applications/#/portfolio", NEED_API,
	    api_portfolio_put },
	{ M_GET,  "/api/v1/applications/#/checklist", NEED_API,
	    api_checklist },
};
const int nroutes = (int)(sizeof routes / sizeof routes[0]);

/* Match path against pattern, filling the request's parameters. */
static int
match(struct req *r, const char *pat, const char *path)
{
	int64_t		 ids[2] = { 0, 0 };
	int		 nid = 0;
	const char	*word = NULL, *end;
	char		*num_end;
	long long	 v;
	size_t		 len;

	while (*pat != '\0') {
		if (*pat == '#') {
			if (*path < '1' || *path > '9')
				return 0;
			v = strtoll(path, &num_end, 10);
			if (v <= 0 || num_end - path > 15 || nid == 2)
				return 0;
			ids[nid++] = v;
			path = num_end;
			pat++;
		} else if (*pat == '*') {
			end = strchr(path, '/');
			len = end == NULL ? strlen(path) : (size_t)(end - path);
			if (len == 0 || len > 200)
				return 0;
			word = arena_printf(&r->arena, "%.*s", (int)len, path);
			path += len;
			pat++;
		} else if (*pat++ != *path++)
			return 0;
	}
	if (*path != '\0')
		return 0;
	r->id = ids[0];
	r->id2 = ids[1];
	r->word = word;
	return 1;
}

static int
is_api(const struct req *r)
{
	return strncmp(r->path, "/api/", 5) == 0;
}

static void
deny(struct req *r, int status, const char *msg)
{
	if (is_api(r))
		reply_error_json(r, status, NULL, "%s", msg);
	else if (status == 401) {
		/* A page that needs a login sends the browser there. */
		reply_redirect(r, "/login");
	} else
		view_error(r, status, msg);
}

/* Whether the caller is who the route needs; if not, the answer is sent. */
static int
allowed(struct req *r, const struct route *rt)
{
	switch (rt->need) {
	case NEED_USER:
		if (r->user.role == UR_ANON || r->api) {
			deny(r, 401, "log in first");
			return 0;
		}
		break;
	case NEED_COORDINATOR:
		if (r->user.role == UR_ANON || r->api) {
			deny(r, 401, "log in first");
			return 0;
		}
		if (r->user.role != UR_COORDINATOR) {
			deny(r, 403, "this page is for coordinators");
			return 0;
		}
		break;
	case NEED_API:
		if (r->user.role == UR_ANON || !r->api) {
			deny(r, 401, "a bearer token is required "
			    "(Authorization: Bearer TOKEN)");
			return 0;
		}
		break;
	}
	return 1;
}

void
route_dispatch(struct req *r)
{
	const struct route	*rt = NULL;
	int			 i, method, path_matched = 0;

	auth_identify(r);
	method = r->method == M_HEAD ? M_GET : r->method;
	for (i = 0; i < nroutes; i++) {
		if (!match(r, routes[i].pattern, r->path))
			continue;
		path_matched = 1;
		if (routes[i].method == method) {
			rt = &routes[i];
			break;
		}
	}
	if (rt == NULL) {
		if (path_matched)
			deny(r, 405, "this address does not take that method");
		else
			deny(r, 404, "there is no such page");
		return;
	}
	/* Parameters again: a later pattern may have overwritten them. */
	match(r, rt->pattern, r->path);
	if (!allowed(r, rt))
		return;
	if (!is_api(r) && method == M_POST && !auth_csrf_ok(r)) {
		deny(r, 403, "the form has expired or did not come from this "
		    "site; go back, reload the page and try again");
		return;
	}
	/* A GET reads: one transaction gives its statements one snapshot
	   and takes the database's read lock once instead of per statement
	   (about a fifth of a dashboard's time, bench/README.md). */
	if (method == M_GET) {
		if (db_begin_read() != 0) {
			deny(r, 503, "the database is busy; try again");
			return;
		}
		rt->fn(r);
		db_commit();
		return;
	}
	rt->fn(r);
}
