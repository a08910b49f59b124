/*
 * Stripe Checkout and its webhook's signature (stripe.c).
 */
#ifndef STRIPE_H
#define STRIPE_H

#include <stddef.h>
#include <stdint.h>

struct arena;

/* Whether card payments are on (stripe_secret_key set). */
int		 stripe_enabled(void);

/* 0 when header ("t=...,v1=...") signs body under secret, its time
   within tolerance seconds of now; else -1 and *why (words for the
   sender's log). */
int		 stripe_sig_check(const char *header, const char *body,
		    size_t len, const char *secret, int64_t now,
		    int tolerance, const char **why);

struct stripe_order {
	int64_t		 cents;
	const char	*name;		/* the line item's product name */
	const char	*success_url, *cancel_url;
	const char	*reference;	/* client_reference_id */
	const char	*account, *association, *application;	/* metadata */
};
/* A Checkout Session: 0 with *id and *url (in a), or -1 and *why. */
int		 stripe_session_create(struct arena *,
		    const struct stripe_order *, char **id, char **url,
		    const char **why);

#endif
