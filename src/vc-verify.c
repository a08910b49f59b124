/*
 * Verifying a credential (vc.h): its JWS against a JWKS, its dates
 * against today, its status bits against the status lists, each refusal
 * a reason in words.  The server's /verify and `endorse verify` both
 * call vc_verify.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "vc.h"
#include "banned.h"

#define ENVELOPE	"data:application/vc+jwt,"

struct jws {
	json_t		*header, *payload;
	const char	*signed_part;	/* header.payload */
	unsigned char	*sig;
	size_t		 siglen;
};

static json_t *
part_json(struct arena *ar, const char *s, size_t n)
{
	unsigned char	*b;
	size_t		 len;

	if ((b = vc_unb64url(ar, s, n, &len)) == NULL)
		return NULL;
	return json_loadb((const char *)b, len, 0, NULL);
}

/* The JWT of text: itself, or the id of an EnvelopedVerifiableCredential
   (VC 2.0 §4.13), trimmed of white space. */
static const char *
jwt_of(struct arena *ar, const char *text)
{
	json_t		*o;
	const char	*id, *s;
	char		*t;
	size_t		 n;

	while (*text == ' ' || *text == '\t' || *text == '\n' ||
	    *text == '\r')
		text++;
	if (*text == '{') {
		if ((o = json_loads(text, 0, NULL)) == NULL)
			return NULL;
		id = json_string_value(json_object_get(o, "id"));
		s = id != NULL && strncmp(id, ENVELOPE, strlen(ENVELOPE)) == 0 ?
		    arena_strdup(ar, id + strlen(ENVELOPE)) : NULL;
		json_decref(o);
		return s;
	}
	t = arena_strdup(ar, text);
	for (n = strlen(t); n > 0 && strchr(" \t\r\n", t[n - 1]) != NULL; n--)
		t[n - 1] = '\0';
	return t;
}

static int
jws_parse(struct arena *ar, const char *jwt, struct jws *j)
{
	const char	*d1, *d2;

	memset(j, 0, sizeof *j);
	if ((d1 = strchr(jwt, '.')) == NULL || (d2 = strchr(d1 + 1, '.')) ==
	    NULL || strchr(d2 + 1, '.') != NULL)
		return -1;
	j->signed_part = arena_printf(ar, "%.*s", (int)(d2 - jwt), jwt);
	if ((j->header = part_json(ar, jwt, (size_t)(d1 - jwt))) == NULL)
		return -1;
	if ((j->payload = part_json(ar, d1 + 1, (size_t)(d2 - d1 - 1))) ==
	    NULL || (j->sig = vc_unb64url(ar, d2 + 1, strlen(d2 + 1),
	    &j->siglen)) == NULL || !json_is_object(j->payload)) {
		json_decref(j->payload);
		json_decref(j->header);
		return -1;
	}
	return 0;
}

static void
jws_free(struct jws *j)
{
	json_decref(j->header);
	json_decref(j->payload);
}

static int
sig_ok(struct arena *ar, const struct jws *j, json_t *key)
{
	const char	*x = json_string_value(json_object_get(key, "x"));
	unsigned char	*pk;
	size_t		 n;

	if (x == NULL || j->siglen != crypto_sign_BYTES || (pk =
	    vc_unb64url(ar, x, strlen(x), &n)) == NULL ||
	    n != crypto_sign_PUBLICKEYBYTES)
		return 0;
	return crypto_sign_verify_detached(j->sig,
	    (const unsigned char *)j->signed_part, strlen(j->signed_part),
	    pk) == 0;
}

/* The key of jwks that kid names, or NULL. */
static json_t *
key_of(json_t *jwks, const char *kid)
{
	json_t		*k;
	size_t		 i;
	const char	*s;

	json_array_foreach(json_object_get(jwks, "keys"), i, k)
		if ((s = json_string_value(json_object_get(k, "kid"))) != NULL &&
		    kid != NULL && strcmp(s, kid) == 0)
			return k;
	return NULL;
}

/* The signature by the key the header names, or why not. */
static const char *
signature(struct arena *ar, const struct jws *j, json_t *jwks,
    const char **kid)
{
	const char	*alg = json_string_value(json_object_get(j->header,
			    "alg"));
	json_t		*k, *other;
	size_t		 i;

	*kid = json_string_value(json_object_get(j->header, "kid"));
	if (alg == NULL || strcmp(alg, "EdDSA") != 0)
		return "the credential is not signed with EdDSA (Ed25519), the "
		    "only signature this issuer's credentials carry";
	if ((k = key_of(jwks, *kid)) == NULL)
		return arena_printf(ar, "the credential names a signing key "
		    "(%s) that no association publishes: it was not signed "
		    "by an association of this registry", *kid != NULL ? *kid :
		    "none");
	if (sig_ok(ar, j, k))
		return NULL;
	json_array_foreach(json_object_get(jwks, "keys"), i, other)
		if (other != k && sig_ok(ar, j, other))
			return arena_printf(ar, "the credential was signed with "
			    "a different key (%s) from the one it names (%s)",
			    json_string_value(json_object_get(other, "kid")),
			    *kid);
	return "the signature does not match the credential: it was changed "
	    "after it was signed, or signed with another key than the one it "
	    "names";
}

/* "2026-12-31T23:59:59Z" as a date, or DATE_NONE-like -1. */
static int32_t
when(const char *s)
{
	char		 d[11];
	int32_t		 v;

	if (s == NULL || strlen(s) < 10)
		return -1;
	memcpy(d, s, 10);
	d[10] = '\0';
	return date_parse(d, &v) == 0 ? v : -1;
}

/* The bit of one BitstringStatusListEntry: 1 set, 0 clear, -1 unknown. */
static int
status_bit(struct arena *ar, json_t *entry, json_t *jwks, vc_status_fn fn,
    void *arg)
{
	const char	*url = json_string_value(json_object_get(entry,
			    "statusListCredential"));
	const char	*idx = json_string_value(json_object_get(entry,
			    "statusListIndex")), *jwt, *kid, *enc;
	struct jws	 j;
	unsigned char	*bits;
	size_t		 n;
	long long	 i;
	char		*end;
	int		 bit = -1;

	if (url == NULL || idx == NULL || fn == NULL ||
	    (jwt = fn(ar, url, arg)) == NULL || jws_parse(ar, jwt, &j) != 0)
		return -1;
	i = strtoll(idx, &end, 10);
	enc = json_string_value(json_object_get(json_object_get(j.payload,
	    "credentialSubject"), "encodedList"));
	if (*end == '\0' && i >= 0 && signature(ar, &j, jwks, &kid) == NULL &&
	    enc != NULL && (bits = vc_bits_decode(ar, enc, &n)) != NULL &&
	    (size_t)i / 8 < n)
		bit = (bits[i / 8] & (0x80 >> (i % 8))) != 0;
	jws_free(&j);
	return bit;
}

/* The dates and the status of a signed credential. */
static void
currency(struct arena *ar, json_t *c, json_t *jwks, vc_status_fn fn,
    void *arg, int32_t today, struct vc_check *v)
{
	char		 buf[DATE_US_MAX];
	int32_t		 from = when(json_string_value(json_object_get(c,
			    "validFrom")));
	int32_t		 until = when(json_string_value(json_object_get(c,
			    "validUntil")));
	json_t		*e;
	const char	*purpose;
	size_t		 i;
	int		 bit, unknown = 0;

	if (from >= 0)
		v->valid_from = arena_strdup(ar, date_us(from, buf, sizeof buf));
	if (until >= 0)
		v->valid_until = arena_strdup(ar, date_us(until, buf,
		    sizeof buf));
	if (from < 0 || from > today) {
		v->reason = from < 0 ? "the credential has no date it is valid "
		    "from" : arena_printf(ar, "the credential is not valid "
		    "before %s", v->valid_from);
		return;
	}
	if (until >= 0 && until < today) {
		v->reason = arena_printf(ar, "the credential expired on %s: "
		    "its validity ended with that renewal cycle", v->valid_until);
		return;
	}
	json_array_foreach(json_object_get(c, "credentialStatus"), i, e) {
		purpose = json_string_value(json_object_get(e,
		    "statusPurpose"));
		if ((bit = status_bit(ar, e, jwks, fn, arg)) < 0) {
			unknown = 1;
			continue;
		}
		if (bit == 1 && purpose != NULL && strcmp(purpose,
		    "revocation") == 0) {
			v->reason = "the association has revoked this "
			    "credential";
			return;
		}
		if (bit == 1) {
			v->reason = "the association has suspended this "
			    "credential: the endorsement is not in force (it "
			    "lapsed, was made inactive or was suspended)";
			return;
		}
	}
	v->status_checked = !unknown && i > 0;
	v->current = 1;
}

static const char *
dup(struct arena *ar, const char *s)
{
	return s == NULL ? NULL : arena_strdup(ar, s);
}

/* The key's DID is the issuer's: "DID#..." (a key of one association
   does not sign for another). */
static int
issuer_key(json_t *c, const char *kid)
{
	json_t		*i = json_object_get(c, "issuer");
	const char	*id = json_string_value(json_is_object(i) ?
			    json_object_get(i, "id") : i);

	return id != NULL && kid != NULL && strncmp(kid, id, strlen(id)) ==
	    0 && kid[strlen(id)] == '#';
}

void
vc_verify(struct arena *ar, const char *text, json_t *jwks, vc_status_fn fn,
    void *arg, int32_t today, struct vc_check *v)
{
	struct jws	 j;
	const char	*jwt;
	json_t		*s;

	memset(v, 0, sizeof *v);
	if ((jwt = jwt_of(ar, text)) == NULL || jws_parse(ar, jwt, &j) != 0) {
		v->reason = "this is not a credential: give the text of the "
		    ".jwt file (three parts separated by dots) or the .json "
		    "file that holds it";
		return;
	}
	v->input = 1;
	s = json_object_get(j.payload, "credentialSubject");
	v->issuer = dup(ar, json_string_value(json_object_get(
	    json_object_get(j.payload, "issuer"), "name")));
	v->subject = dup(ar, json_string_value(json_object_get(s, "name")));
	v->achievement = dup(ar, json_string_value(json_object_get(
	    json_object_get(s, "achievement"), "name")));
	v->reason = signature(ar, &j, jwks, &v->kid);
	v->kid = dup(ar, v->kid);
	if (v->reason == NULL && !issuer_key(j.payload, v->kid))
		v->reason = "the credential was signed with a key of another "
		    "association than the issuer it names";
	if (v->reason == NULL) {
		v->signature = 1;
		currency(ar, j.payload, jwks, fn, arg, today, v);
	}
	jws_free(&j);
}
