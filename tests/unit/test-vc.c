/* The credentials' pieces (src/vc.c, vc-verify.c): base64url, a VC-JWT
   signed and verified (tampered, wrong key, expired and revoked each
   refused with its reason), and the gzip bitstring of a status list. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "endorse.h"
#include "vc.h"
#include "unit.h"

void test_vc_b64url(void);
void test_vc_jwt(void);
void test_vc_bits(void);

void
test_vc_b64url(void)
{
	struct arena	 a;
	unsigned char	*p;
	size_t		 n;

	arena_init(&a);
	CHECK(sodium_init() >= 0);
	CHECK_STR(vc_b64url(&a, "", 0), "");
	CHECK_STR(vc_b64url(&a, "f", 1), "Zg");
	CHECK_STR(vc_b64url(&a, "\xfb\xff\xbf", 3), "-_-_");
	CHECK_STR(vc_b64url(&a, "{\"a\":1}", 7), "eyJhIjoxfQ");
	CHECK((p = vc_unb64url(&a, "eyJhIjoxfQ", 10, &n)) != NULL && n == 7 &&
	    memcmp(p, "{\"a\":1}", 7) == 0);
	/* Padding and the other alphabet are refused. */
	CHECK(vc_unb64url(&a, "Zg==", 4, &n) == NULL);
	CHECK(vc_unb64url(&a, "+/+/", 4, &n) == NULL);
	arena_free(&a);
}

#define DID	"did:web:example.org:associations:a"

static unsigned char pk[crypto_sign_PUBLICKEYBYTES];
static unsigned char sk[crypto_sign_SECRETKEYBYTES];
static const char *status_jwt;

static json_t *
sample(void)
{
	return json_pack("{s:s,s:{s:s,s:s},s:s,s:s,s:{s:s},s:[{s:s,s:s,s:s,"
	    "s:s}]}", "id", "urn:x", "issuer", "id", DID, "name", "A",
	    "validFrom", "2026-01-01T00:00:00Z", "validUntil",
	    "2026-12-31T23:59:59Z", "credentialSubject", "name", "Zoe",
	    "credentialStatus", "type", "BitstringStatusListEntry",
	    "statusPurpose", "revocation", "statusListIndex", "13",
	    "statusListCredential", "https://example.org/s.jwt");
}

static const char *
status_of(struct arena *ar, const char *url, void *arg)
{
	(void)ar;
	(void)arg;
	return strcmp(url, "https://example.org/s.jwt") == 0 ? status_jwt :
	    NULL;
}

static void
verify(struct arena *a, const char *jwt, json_t *jwks, int32_t day,
    struct vc_check *v)
{
	vc_verify(a, jwt, jwks, status_of, NULL, day, v);
}

void
test_vc_jwt(void)
{
	struct arena	 a;
	struct vc_check	 v;
	unsigned char	 bits[16384], pk2[32], sk2[64];
	json_t		*c = sample(), *jwks, *list;
	char		*jwt, *bad, *dot;
	int32_t		 june = date_from_ymd(2026, 6, 1);

	arena_init(&a);
	CHECK(sodium_init() >= 0);
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	jwks = json_pack("{s:[{s:s,s:s,s:s,s:s}]}", "keys", "kty", "OKP", "crv",
	    "Ed25519", "kid", DID "#k1", "x", vc_b64url(&a, pk, sizeof pk));
	memset(bits, 0, sizeof bits);
	list = json_pack("{s:s,s:{s:s}}", "id", "https://example.org/s.jwt",
	    "credentialSubject", "encodedList", vc_bits_encode(&a, bits,
	    sizeof bits));
	status_jwt = vc_jwt_sign(&a, DID "#k1", sk, list);
	jwt = vc_jwt_sign(&a, DID "#k1", sk, c);
	verify(&a, jwt, jwks, june, &v);
	CHECK(v.signature && v.current && v.status_checked);
	CHECK_STR(v.issuer, "A");
	CHECK_STR(v.valid_until, "December 31, 2026");
	/* Expired, and not yet valid. */
	verify(&a, jwt, jwks, date_from_ymd(2027, 1, 1), &v);
	CHECK(v.signature && !v.current && strstr(v.reason,
	    "expired on December 31, 2026") != NULL);
	verify(&a, jwt, jwks, date_from_ymd(2025, 1, 1), &v);
	CHECK(!v.current && strstr(v.reason, "not valid before") != NULL);
	/* Tampered: a byte of the payload changed. */
	bad = strdup(jwt);
	dot = strchr(bad, '.');
	dot[5] = dot[5] == 'A' ? 'B' : 'A';
	verify(&a, bad, jwks, june, &v);
	CHECK(!v.signature && (v.reason == NULL || !v.input ||
	    strstr(v.reason, "changed after it was signed") != NULL));
	free(bad);
	/* Signed by another key that names k1. */
	verify(&a, vc_jwt_sign(&a, DID "#k1", sk2, c), jwks, june, &v);
	CHECK(!v.signature && strstr(v.reason, "changed after") != NULL);
	verify(&a, vc_jwt_sign(&a, DID "#k9", sk, c), jwks, june, &v);
	CHECK(!v.signature && strstr(v.reason, "no association publishes") !=
	    NULL);
	/* Revoked: bit 13 set. */
	bits[1] = 0x80 >> 5;
	json_object_set_new(json_object_get(list, "credentialSubject"),
	    "encodedList", json_string(vc_bits_encode(&a, bits, sizeof bits)));
	status_jwt = vc_jwt_sign(&a, DID "#k1", sk, list);
	verify(&a, jwt, jwks, june, &v);
	CHECK(v.signature && !v.current && strstr(v.reason, "revoked") != NULL);
	/* Not a credential. */
	verify(&a, "nothing", jwks, june, &v);
	CHECK(!v.input);
	json_decref(c);
	json_decref(list);
	json_decref(jwks);
	arena_free(&a);
}

void
test_vc_bits(void)
{
	struct arena	 a;
	unsigned char	 bits[16384], *back, *raw;
	char		*enc;
	size_t		 n;

	arena_init(&a);
	memset(bits, 0, sizeof bits);
	bits[0] = 0x80;		/* index 0 is the left-most bit */
	bits[16383] = 0x01;
	CHECK((enc = vc_bits_encode(&a, bits, sizeof bits)) != NULL);
	/* GZIP (RFC 1952): the magic bytes, then deflate. */
	CHECK((raw = vc_unb64url(&a, enc, strlen(enc), &n)) != NULL &&
	    raw[0] == 0x1f && raw[1] == 0x8b && n < 200);
	CHECK((back = vc_bits_decode(&a, enc, &n)) != NULL && n == sizeof bits
	    && memcmp(back, bits, n) == 0);
	CHECK(vc_bits_decode(&a, "eyJhIjoxfQ", &n) == NULL);
	arena_free(&a);
}
