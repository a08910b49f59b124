/*
 * The route table, built from routes.def: method, path pattern, who may
 * call it, handler.  A pattern segment "#" takes a positive integer
 * (req.id, then req.id2), "*" one word (req.word).  Before a handler
 * runs, this file checks that the caller is who the route needs and, for
 * every form POST, the CSRF token; handlers then check ownership of the
 * rows they touch (app.c).
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "banned.h"

const struct route routes[] = {
#define ROUTE(method, pattern, need, fn)	{ method, pattern, need, fn },
#include "routes.def"
#undef ROUTE
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
	switch (rt->need & NEED_MASK) {
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

const struct route *
route_find(struct req *r, int *path_matched)
{
	int	 i, method;

	*path_matched = 0;
	method = r->method == M_HEAD ? M_GET : r->method;
	for (i = 0; i < nroutes; i++) {
		if (!match(r, routes[i].pattern, r->path))
			continue;
		*path_matched = 1;
		if (routes[i].method == method) {
			/* Parameters again: a later pattern may have
			   overwritten them. */
			match(r, routes[i].pattern, r->path);
			return &routes[i];
		}
	}
	return NULL;
}

/* The caller of a route that takes a file, known before the file is
   read: nobody buffers megabytes for an anonymous client. */
int
route_upload_ok(struct req *r, const struct route *rt)
{
	if (!r->identified) {
		auth_identify(r);
		r->identified = 1;
	}
	return allowed(r, rt);
}

void
route_dispatch(struct req *r)
{
	const struct route	*rt;
	int			 method, path_matched;

	if (!r->identified) {
		auth_identify(r);
		r->identified = 1;
	}
	method = r->method == M_HEAD ? M_GET : r->method;
	rt = route_find(r, &path_matched);
	if (rt == NULL) {
		if (path_matched)
			deny(r, 405, "this address does not take that method");
		else
			deny(r, 404, "there is no such page");
		return;
	}
	if (!allowed(r, rt))
		return;
	if (!is_api(r) && method == M_POST && (rt->need & SIGNED_BODY) == 0 &&
	    !auth_csrf_ok(r)) {
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
