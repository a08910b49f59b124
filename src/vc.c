/*
 * The credentials (vc.h, docs/credentials.md): base64url and the JWS,
 * the keys, the OpenBadgeCredential of an endorsement and the status
 * lists.  The verification is in vc-verify.c.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zlib.h>

#include "web.h"
#include "vc.h"
#include "banned.h"

char *
vc_b64url(struct arena *ar, const void *p, size_t n)
{
	size_t	 len = sodium_base64_encoded_len(n,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char	*s = arena_alloc(ar, len);

	sodium_bin2base64(s, len, p, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return s;
}

unsigned char *
vc_unb64url(struct arena *ar, const char *s, size_t n, size_t *len)
{
	unsigned char	*out = arena_alloc(ar, n / 4 * 3 + 3);
	const char	*end;

	if (sodium_base642bin(out, n / 4 * 3 + 3, s, n, NULL, len, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || end != s + n)
		return NULL;
	return out;
}

char *
vc_jwt_sign(struct arena *ar, const char *kid, const unsigned char *sk,
    json_t *payload)
{
	json_t		*h = json_pack("{s:s,s:s,s:s}", "alg", "EdDSA", "kid",
			    kid, "typ", "vc+jwt");
	char		*hs, *ps, *in;
	unsigned char	 sig[crypto_sign_BYTES];

	hs = json_dumps(h, JSON_COMPACT);
	ps = json_dumps(payload, JSON_COMPACT);
	json_decref(h);
	in = arena_printf(ar, "%s.%s", vc_b64url(ar, hs, strlen(hs)),
	    vc_b64url(ar, ps, strlen(ps)));
	free(hs);
	free(ps);
	crypto_sign_detached(sig, NULL, (const unsigned char *)in, strlen(in),
	    sk);
	return arena_printf(ar, "%s.%s", in, vc_b64url(ar, sig, sizeof sig));
}

char *
vc_bits_encode(struct arena *ar, const unsigned char *bits, size_t n)
{
	z_stream	 z;
	unsigned char	*out;
	size_t		 cap = compressBound((uLong)n) + 32;

	memset(&z, 0, sizeof z);
	/* 15 + 16: a gzip header and trailer, not zlib's. */
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	out = arena_alloc(ar, cap);
	z.next_in = (unsigned char *)(uintptr_t)bits;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		return NULL;
	}
	deflateEnd(&z);
	return vc_b64url(ar, out, z.total_out);
}

unsigned char *
vc_bits_decode(struct arena *ar, const char *s, size_t *n)
{
	z_stream	 z;
	unsigned char	*in, *out;
	size_t		 len, cap = 1 << 20;	/* 8,388,608 bits */
	int		 rc;

	if ((in = vc_unb64url(ar, s, strlen(s), &len)) == NULL)
		return NULL;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return NULL;
	out = arena_alloc(ar, cap);
	z.next_in = in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	if (rc != Z_STREAM_END)
		return NULL;
	*n = z.total_out;
	return out;
}

/* ---------------------------------------------------------------- keys */

static int
key_make(const char *assoc)
{
	unsigned char	 pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char	 sk[crypto_sign_SECRETKEYBYTES], h[8];
	char		 kid[sizeof h * 2 + 1];
	struct dbq	*st;
	int		 rc;

	crypto_sign_keypair(pk, sk);
	crypto_generichash(h, sizeof h, pk, sizeof pk, NULL, 0);
	sodium_bin2hex(kid, sizeof kid, h, sizeof h);
	st = db_stmt(S_VC_KEY_INSERT);
	db_bind_text(st, "$assoc", assoc);
	db_bind_text(st, "$kid", kid);
	db_bind_blob(st, "$public", pk, sizeof pk);
	db_bind_blob(st, "$secret", sk, sizeof sk);
	db_bind_int(st, "$now", db_now());
	rc = db_exec(st);
	sodium_memzero(sk, sizeof sk);
	return rc;
}

int
vc_keys_setup(const char *const *assocs, int n)
{
	struct row_vc_key k;
	struct dbq	*st;
	int		 i, have;

	for (i = 0; i < n; i++) {
		if (db_begin() != 0)
			return -1;
		st = db_stmt(S_VC_KEY_CURRENT);
		db_bind_text(st, "$assoc", assocs[i]);
		have = row_vc_key(st, NULL, &k);
		db_reset(st);
		if (have == DB_ERROR || (have == DB_DONE &&
		    key_make(assocs[i]) != 0)) {
			db_rollback();
			return -1;
		}
		if (db_commit() != 0)
			return -1;
		if (have == DB_DONE)
			printf("signing key for %s made (it lives in the "
			    "database: back it up)\n", assocs[i]);
	}
	return 0;
}

int
vc_keys_rotate(struct arena *ar, const char *assoc, char **kid)
{
	struct row_vc_key k;
	struct dbq	*st;

	if (db_begin() != 0)
		return -1;
	st = db_stmt(S_VC_KEY_RETIRE);
	db_bind_text(st, "$assoc", assoc);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0 || key_make(assoc) != 0) {
		db_rollback();
		return -1;
	}
	st = db_stmt(S_VC_KEY_CURRENT);
	db_bind_text(st, "$assoc", assoc);
	if (row_vc_key(st, ar, &k) != DB_ROW) {
		db_reset(st);
		db_rollback();
		return -1;
	}
	db_reset(st);
	*kid = arena_printf(ar, "%s#%s", vc_did(ar, assoc), k.kid);
	return db_commit();
}

/* did:web of BASE/associations/ID: the host (its port's colon as %3A)
   and each path segment after a colon. */
char *
vc_did(struct arena *ar, const char *assoc)
{
	const char	*u = cfg.base_url, *p;
	char		*s, *q;
	size_t		 i, n;

	if ((p = strstr(u, "://")) != NULL)
		u = p + 3;
	n = strlen(u);
	while (n > 0 && u[n - 1] == '/')
		n--;
	q = s = arena_alloc(ar, n * 3 + 1);
	for (i = 0; i < n; i++) {
		if (u[i] == ':') {
			memcpy(q, "%3A", 3);
			q += 3;
		} else
			*q++ = u[i] == '/' ? ':' : u[i];
	}
	*q = '\0';
	return arena_printf(ar, "did:web:%s:associations:%s", s, assoc);
}

static json_t *
jwk(struct arena *ar, const struct row_vc_key *k)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "kty", "OKP", "crv",
	    "Ed25519", "x", vc_b64url(ar, k->public, k->public_len), "kid",
	    arena_printf(ar, "%s#%s", vc_did(ar, k->association), k->kid),
	    "alg", "EdDSA", "use", "sig");
}

json_t *
vc_jwks(struct arena *ar, const char *assoc)
{
	struct row_vc_key k;
	struct dbq	*st = db_stmt(S_VC_KEY_ALL);
	json_t		*keys = json_array();
	int		 rc;

	if (assoc != NULL)
		db_bind_text(st, "$assoc", assoc);
	else
		db_bind_null(st, "$assoc");
	while ((rc = row_vc_key(st, ar, &k)) == DB_ROW)
		json_array_append_new(keys, jwk(ar, &k));
	db_reset(st);
	if (rc == DB_ERROR) {
		json_decref(keys);
		return NULL;
	}
	return json_pack("{s:o}", "keys", keys);
}

json_t *
vc_did_document(struct arena *ar, const char *assoc)
{
	json_t		*jwks, *vm = json_array(), *refs = json_array(), *k;
	const char	*did = vc_did(ar, assoc);
	size_t		 i;

	if ((jwks = vc_jwks(ar, assoc)) == NULL) {
		json_decref(vm);
		json_decref(refs);
		return NULL;
	}
	json_array_foreach(json_object_get(jwks, "keys"), i, k) {
		const char *id = json_string_value(json_object_get(k, "kid"));

		json_array_append_new(vm, json_pack("{s:s,s:s,s:s,s:O}",
		    "id", id, "type", "JsonWebKey", "controller", did,
		    "publicKeyJwk", k));
		json_array_append_new(refs, json_string(id));
	}
	json_decref(jwks);
	return json_pack("{s:[s,s],s:s,s:o,s:O,s:o}", "@context",
	    "https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1",
	    "id", did, "verificationMethod", vm, "assertionMethod", refs,
	    "authentication", refs);
}
