/*
 * The accounts' domain (dom-account.c): creating an account (the
 * registration form, the API, `endorse import`, the coordinators made at
 * start), logging in with throttling, sessions and API tokens (for
 * auth.c), password resets by an e-mailed link, an account's name and
 * password, and the membership terms a person holds.
 *
 * No struct req here: the pages, the API and auth.c parse the request,
 * call these with an actor, an arena and plain values, and map the
 * struct derr they get back (view_derr, api_derr).
 */
#ifndef DOM_ACCOUNT_H
#define DOM_ACCOUNT_H

#include <stdint.h>

#include <jansson.h>

#include "domain.h"

struct arena;

/* An account as a session, a token or a login finds it. */
struct account {
	int64_t			 id;
	char			*name;
	char			*email;
	enum account_role	 role;
	char			*association;	/* a coordinator's */
};

/* A new account (account_create). */
struct account_new {
	const char		*name;
	const char		*email;
	const char		*password;	/* checked, then hashed */
	enum account_role	 role;
	/* A coordinator's association.  An applicant's is only checked and
	   named in the welcome mail: the application chooses it later. */
	const char		*association;
	int			 flags;		/* ACCOUNT_* */
};
/* Mail the welcome letter (a registration). */
#define ACCOUNT_WELCOME		0x01
/* No password: "!" is stored, which no Argon2id string is, and the
   holder claims the account through a password reset link (`endorse
   import`). */
#define ACCOUNT_NO_PASSWORD	0x02
/* In the caller's transaction (the import's all or nothing): nothing
   begun, committed or rolled back here. */
#define ACCOUNT_IN_CALLER	0x04

/* Whether s looks like one e-mail address (no display name, no list);
   declared in web.h too, for page-review.c. */
int		 account_email_ok(const char *);
/* Every problem of a new account's values as field -> sentence, in the
   order of the form; NULL when there is none.  The form shows them all;
   account_create refuses with the first. */
json_t		*account_problems(const struct account_new *);
/* Create an account: 0 and *id; or -1 and e (400 a value, with its field;
   409 the e-mail is taken; 403 a coordinator made by someone else than
   the system; 503 busy; 500). */
int		 account_create(const struct actor *, struct arena *,
		    const struct account_new *, int64_t *id, struct derr *);
/* A registration (the form, the API): the same answer, in the same time,
   whether or not the address has an account; a known address is mailed
   that it has one, with a reset link.  0, or -1 and e (400 a value, with
   its field; 429 the mail limit; 503; 500).  No id: it would tell. */
int		 account_register(const struct actor *, struct arena *,
		    const struct account_new *, struct derr *);
/* The account of an e-mail address (any case); 0 when there is none. */
int64_t		 account_id_of(const char *email);

/* What account_authenticate found. */
#define ACCOUNT_OK		0
#define ACCOUNT_WRONG		(-1)	/* no such pair */
#define ACCOUNT_THROTTLED	(-2)	/* too many failures lately */
/*
 * Check an e-mail and password, counting failures by e-mail and by the
 * client's address (ip) for the throttling: ACCOUNT_OK with *who filled
 * (in the arena), ACCOUNT_WRONG, or ACCOUNT_THROTTLED with *wait the
 * seconds before this e-mail may be tried again from this address.
 */
int		 account_authenticate(struct arena *, const char *ip,
		    const char *email, const char *pw, struct account *who,
		    int *wait);
/* The actor of an account found by a login or a token. */
struct actor	 account_actor(const struct account *);

/* The CSRF key's hex text into hex; 0, or -1 when none is stored (or it
   does not fit). */
int		 session_key_load(char *hex, size_t size);
int		 session_key_store(const char *hex);
/* The live session of a cookie's hash: 0 with *who and *csrf (in the
   arena), its "seen" written at most once a minute; -1 when it is not
   there or has expired (then it is deleted). */
int		 session_resume(struct arena *, const char *hash,
		    struct account *who, char **csrf);
/* Store a session (hash and CSRF token) for an account, ending old (the
   hash of the session that came with the request, or NULL); expired
   sessions and old login failures go at the same time.  0, or -1 and e. */
int		 session_open(struct arena *, int64_t account, const char *old,
		    const char *hash, const char *csrf, struct derr *);
void		 session_close(const char *hash);
/* The account of an API token's hash: 0 with *who, or -1. */
int		 token_account(struct arena *, const char *hash,
		    struct account *who);

/* A new API token of the actor's account: its text in out (hex); 0, or
   -1 and e. */
int		 account_token_new(const struct actor *, struct arena *,
		    const char *label, char out[65], struct derr *);
/* The actor's tokens, oldest first, in the arena: their number. */
int		 account_tokens(const struct actor *, struct arena *,
		    struct row_token_list **);
/* Remove a token of the actor's own: 0, or -1 and e (404 no such). */
int		 account_token_delete(const struct actor *, struct arena *,
		    int64_t id, struct derr *);
/* The actor's name: 0, or -1 and e (400 on the field "name"). */
int		 account_set_name(const struct actor *, struct arena *,
		    const char *name, struct derr *);
/* The actor's password: its reset links are cancelled, every session
   but keep (the one in use) ends and every API token is revoked.  0, or
   -1 and e (400 on "password"). */
int		 account_set_password(const struct actor *, struct arena *,
		    const char *pw, const char *keep, struct derr *);

/* Mail a password reset link to the account of email, if there is one
   (the caller answers the same either way); 0, or -1 and e (429 over the
   mail limit of the address, whether or not it has an account). */
int		 account_reset_send(const struct actor *, struct arena *,
		    const char *email, struct derr *);
/* A claim link to account id ("BASE/reset/TOKEN", lasting as long as an
   import's invitation), in the caller's transaction; NULL on failure. */
const char	*account_claim_link(struct arena *, int64_t id);
/* Invite an imported endorsee (number, of the association named
   assoc_name) to claim the account id by a one-time link mailed to email,
   in the caller's transaction; 0, or -1. */
int		 account_invite(struct arena *, int64_t id, const char *email,
		    const char *assoc_name, const char *number);
/* The account a reset link's token may still reset; 0 when none. */
int64_t		 account_reset_find(const char *token);
/* Use a reset link: the new password; every other link, every session
   and every API token of the account end.  0, or -1 and e (400 on
   "password", 404 the link is spent). */
int		 account_reset_password(const struct actor *, struct arena *,
		    const char *token, const char *pw, struct derr *);

/* A change of the actor's e-mail address (dom-email.c): a link to the
   new address, a word to the old; the caller checked the password.  0,
   or -1 and e (400 on "new_email"; 429 the mail limit; 500).  The same
   answer whether or not another account has the address. */
int		 account_email_request(const struct actor *, struct arena *,
		    const char *email, struct derr *);
/* The new address of a link that still works, or NULL. */
const char	*account_email_pending(struct arena *, const char *token);
/* Follow a link: 0 and *to the account's new address, or -1 and e (404
   the link is spent; 409 the address has an account now). */
int		 account_email_confirm(struct arena *, const char *token,
		    const char **to, struct derr *);

/* The actor's membership terms, in the arena: their number. */
int		 account_memberships(const struct actor *, struct arena *,
		    struct row_member_list **);
/* Record a membership term of the actor's; 0, or -1 and e. */
int		 membership_add(const struct actor *, struct arena *,
		    const char *assoc, const char *term, const char *start,
		    const char *end, struct derr *);
/* Remove a term of the actor's own: 0, or -1 and e (404 no such). */
int		 membership_delete(const struct actor *, struct arena *,
		    int64_t id, struct derr *);

#endif
