/*
 * The web layer's entry points into the endorsement's lifecycle, with
 * the signatures the pages (page-renew.c) call: each turns the request
 * into its actor and calls the domain (dom-life.h).  They go when the
 * pages call the domain themselves.
 */
#include <string.h>

#include "web.h"
#include "dom-life.h"
#include "banned.h"

/* Close a window as the request's coordinator: 0, 1 closed already, -1. */
int
life_close(struct req *r, const char *assoc, int cycle, int *lapsed)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	return life_close_as(&who, assoc, cycle, lapsed, &e, &r->arena);
}

/* Settle an audit as the request's coordinator: 0 or -1. */
int
life_settle(struct req *r, int64_t renewal)
{
	struct actor	 who = req_actor(r);
	struct derr	 e;

	return life_settle_as(&who, renewal, &e, &r->arena);
}
