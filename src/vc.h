/*
 * Verifiable credentials (issue 19, docs/credentials.md): each endorsement
 * as an Open Badges 3.0 OpenBadgeCredential signed as a VC-JWT (EdDSA,
 * Ed25519, libsodium), the association's keys (db/019-keys.sql) published
 * as a JWKS and a did:web document, two W3C Bitstring Status Lists per
 * association derived from the endorsements' statuses at each request,
 * and the verification of a credential in words.
 */
#ifndef VC_H
#define VC_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct arena;

/* base64url without padding (RFC 7515 §2); NULL: not base64url. */
char		*vc_b64url(struct arena *, const void *, size_t);
unsigned char	*vc_unb64url(struct arena *, const char *, size_t,
		    size_t *len);
/* A JWS compact of payload, header {alg EdDSA, kid, typ vc+jwt}. */
char		*vc_jwt_sign(struct arena *, const char *kid,
		    const unsigned char *sk, json_t *payload);
/* bits GZIP-compressed then base64url (the status list's encodedList);
   and back, NULL when not such. */
char		*vc_bits_encode(struct arena *, const unsigned char *, size_t);
unsigned char	*vc_bits_decode(struct arena *, const char *, size_t *);

/* The keys: one made for each association that has none (-1: a store
   error); a new one that signs from now on, the others kept. */
int		 vc_keys_setup(const char *const *assocs, int n);
int		 vc_keys_rotate(struct arena *, const char *assoc,
		    char **kid);
char		*vc_did(struct arena *, const char *assoc);
json_t		*vc_jwks(struct arena *, const char *assoc);
json_t		*vc_did_document(struct arena *, const char *assoc);

/* The credential of an endorsement number: 0, 404 (none, or hidden when
   public), 503 (no key or a store error). */
int		 vc_credential(struct arena *, const char *number, int public,
		    char **jwt, char **assoc);
/* The association's status list for purpose "revocation" or "suspension";
   -1 on a store error. */
int		 vc_status_list(struct arena *, const char *assoc,
		    const char *purpose, char **jwt);
/* Whether an endorsement's status word sets its bit in purpose's list. */
int		 vc_status_set(const char *status, const char *purpose);
#define VC_PURPOSES	{ "revocation", "suspension" }

/* What a verification found. */
struct vc_check {
	int		 input;		/* 0: not a credential at all */
	int		 signature;	/* 1: signed by the key it names */
	int		 current;	/* 1: signed, in its dates, no bit set */
	int		 status_checked;
	const char	*reason;	/* why not, in words */
	const char	*issuer;	/* the issuer's name */
	const char	*kid;
	const char	*subject;	/* the holder's name */
	const char	*achievement;
	const char	*valid_from, *valid_until;	/* as dates people read */
};
/* The status list credential (a VC-JWT) at url, or NULL. */
typedef const char *(*vc_status_fn)(struct arena *, const char *url,
		    void *);
/* text: a VC-JWT, or the JSON of an EnvelopedVerifiableCredential. */
void		 vc_verify(struct arena *, const char *text, json_t *jwks,
		    vc_status_fn, void *, int32_t today, struct vc_check *);

#endif
