/*
 * The OpenBadgeCredential of an endorsement and the association's status
 * lists (vc.h, docs/credentials.md), signed with its current key.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "vc.h"
#include "banned.h"

#define STATUS_BITS	131072	/* W3C Bitstring Status List: at least
				   16 KB uncompressed (§3.1, §6.1) */
#define OB3_CONTEXT	"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#define VC_CONTEXT	"https://www.w3.org/ns/credentials/v2"

/* The key that signs for assoc, its secret in k (read into ar). */
static int
key_current(struct arena *ar, const char *assoc, struct row_vc_key *k)
{
	struct dbq	*st = db_stmt(S_VC_KEY_CURRENT);
	int		 rc;

	db_bind_text(st, "$assoc", assoc);
	rc = row_vc_key(st, ar, k);
	db_reset(st);
	return rc == DB_ROW && k->secret_len == crypto_sign_SECRETKEYBYTES ?
	    0 : -1;
}

static char *
status_url(struct arena *ar, const char *assoc, const char *purpose)
{
	return arena_printf(ar, "%s/associations/%s/status/%s.jwt",
	    cfg.base_url, assoc, purpose);
}

/*
 * Whether status sets the bit.  revocation: revoked (final).  suspension:
 * every other status but active (lapsed and inactive may be reinstated; a
 * status word this build does not know, "suspended" among them, counts as
 * suspended rather than good).
 */
int
vc_status_set(const char *status, const char *purpose)
{
	if (strcmp(purpose, "revocation") == 0)
		return strcmp(status, "revoked") == 0;
	return strcmp(status, "active") != 0 && strcmp(status, "revoked") != 0;
}

/* The salted hash of the holder's e-mail (OB3 §B.1.12 IdentityObject):
   the salt, keyed by the association's secret and the number, is the
   same for each fetch of one credential and differs between credentials,
   so hashes do not link them. */
static json_t *
identity(struct arena *ar, const struct row_vc_key *k, const char *number,
    const char *email)
{
	unsigned char	 s[8], h[crypto_hash_sha256_BYTES];
	char		 salt[sizeof s * 2 + 1], hex[sizeof h * 2 + 1];
	const char	*in;

	crypto_generichash(s, sizeof s, (const unsigned char *)number,
	    strlen(number), k->secret, 32);
	sodium_bin2hex(salt, sizeof salt, s, sizeof s);
	in = arena_printf(ar, "%s%s", email, salt);
	crypto_hash_sha256(h, (const unsigned char *)in, strlen(in));
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return json_pack("[{s:s,s:s,s:b,s:s,s:s}]", "type", "IdentityObject",
	    "identityHash", arena_printf(ar, "sha256$%s", hex), "hashed", 1,
	    "identityType", "emailAddress", "salt", salt);
}

static json_t *
achievement(struct arena *ar, const struct row_vc_endorsement *e,
    json_t *issuer)
{
	const char	*title = web_category_title(e->association,
			    e->category);
	const char	*assoc = web_assoc_name(e->association);

	/*
	 * "Certification" rather than "License": the seeds say the
	 * Endorsement is "not a training program, license, or certification"
	 * and "does not replace licensure" (seed 001); of OB3's two words it
	 * is not a government license, and OB3's Certification is the
	 * time-limited, renewable credential of a non-governmental body.
	 */
	return json_pack("{s:s,s:[s],s:s,s:s,s:{s:s},s:s,s:O,s:s}", "id",
	    arena_printf(ar, "%s/associations/%s/categories/%s", cfg.base_url,
	    e->association, e->category), "type", "Achievement", "name", title,
	    "description", arena_printf(ar, "%s (%s), an Endorsement of %s.",
	    title, e->category, assoc), "criteria", "narrative",
	    arena_printf(ar, "Met the requirements of %s's rule set for %s "
	    "(%s), reviewed and endorsed by %s; renewed as its rule set "
	    "requires.", assoc, title, e->category, assoc), "achievementType",
	    "Certification", "creator", issuer, "humanCode", e->category);
}

static json_t *
credential(struct arena *ar, const struct row_vc_endorsement *e,
    const struct row_vc_key *k)
{
	const struct ruleset *rs = web_rules(e->association);
	const char	*did = vc_did(ar, e->association);
	json_t		*issuer, *subject, *status, *c;
	const char	*const purposes[] = VC_PURPOSES;
	size_t		 i;
	int		 y;

	issuer = json_pack("{s:s,s:[s],s:s,s:s}", "id", did, "type",
	    "Profile", "name", web_assoc_name(e->association), "url",
	    arena_printf(ar, "%s/associations/%s", cfg.base_url,
	    e->association));
	subject = json_pack("{s:[s],s:s,s:o}", "type", "AchievementSubject",
	    "name", e->name, "achievement", achievement(ar, e, issuer));
	if (e->email != NULL)
		json_object_set_new(subject, "identifier", identity(ar, k,
		    e->number, e->email));
	status = json_array();
	for (i = 0; i < sizeof purposes / sizeof *purposes; i++)
		json_array_append_new(status, json_pack("{s:s,s:s,s:s,s:s,"
		    "s:s}", "id", arena_printf(ar, "%s#%lld", status_url(ar,
		    e->association, purposes[i]), (long long)e->id), "type",
		    "BitstringStatusListEntry", "statusPurpose", purposes[i],
		    "statusListIndex", arena_printf(ar, "%lld",
		    (long long)e->id), "statusListCredential", status_url(ar,
		    e->association, purposes[i])));
	c = json_pack("{s:[s,s],s:s,s:[s,s],s:s,s:o,s:s,s:o,s:o,s:s,s:s}",
	    "@context", VC_CONTEXT, OB3_CONTEXT, "id",
	    arena_printf(ar, "%s/api/v1/credentials/%s", cfg.base_url,
	    e->number), "type", "VerifiableCredential", "OpenBadgeCredential",
	    "name", web_category_title(e->association, e->category), "issuer",
	    issuer, "validFrom", arena_printf(ar, "%sT00:00:00Z", e->since),
	    "credentialSubject", subject, "credentialStatus", status,
	    "iss", did, "jti", arena_printf(ar, "%s/api/v1/credentials/%s",
	    cfg.base_url, e->number));
	/* The end of the current renewal cycle, as the registry says it
	   (registry_valid_through); none without renewal. */
	if (rs != NULL && (y = life_cycle(rs, web_today())) != 0)
		json_object_set_new(c, "validUntil", json_string(
		    arena_printf(ar, "%d-12-31T23:59:59Z", y)));
	return c;
}

int
vc_credential(struct arena *ar, const char *number, int public, char **jwt,
    char **assoc)
{
	struct row_vc_endorsement e;
	struct row_vc_key k;
	struct dbq	*st;
	json_t		*c;
	int		 rc;

	/* Read in the caller's transaction (a GET's). */
	st = db_stmt(S_VC_ENDORSEMENT);
	db_bind_text(st, "$number", number);
	rc = row_vc_endorsement(st, ar, &e);
	db_reset(st);
	if (rc != DB_ROW || (public && e.hidden))
		return rc == DB_ERROR ? 503 : 404;
	if (key_current(ar, e.association, &k) != 0)
		return 503;
	c = credential(ar, &e, &k);
	*jwt = vc_jwt_sign(ar, arena_printf(ar, "%s#%s", vc_did(ar,
	    e.association), k.kid), k.secret, c);
	*assoc = e.association;
	json_decref(c);
	sodium_memzero(k.secret, k.secret_len);
	return 0;
}

/* The bits of purpose for every endorsement of assoc, index = its id. */
static unsigned char *
status_bits(struct arena *ar, const char *assoc, const char *purpose,
    size_t *n)
{
	struct row_vc_status s;
	struct row_vc_status *all;
	struct dbq	*st = db_stmt(S_VC_STATUS);
	unsigned char	*bits;
	size_t		 nbits = STATUS_BITS;
	int		 i, count;

	db_bind_text(st, "$assoc", assoc);
	if ((count = rows_vc_status(st, ar, &all)) < 0)
		return NULL;
	if (count > 0 && (size_t)all[count - 1].id >= nbits)
		nbits = ((size_t)all[count - 1].id / STATUS_BITS + 1) *
		    STATUS_BITS;
	bits = arena_alloc(ar, nbits / 8);
	memset(bits, 0, nbits / 8);
	for (i = 0; i < count; i++) {
		s = all[i];
		/* The first index is the left-most bit (§3.1). */
		if (s.id >= 0 && vc_status_set(s.status, purpose))
			bits[s.id / 8] |= (unsigned char)(0x80 >> (s.id % 8));
	}
	*n = nbits / 8;
	return bits;
}

int
vc_status_list(struct arena *ar, const char *assoc, const char *purpose,
    char **jwt)
{
	struct row_vc_key k;
	unsigned char	*bits;
	const char	*url = status_url(ar, assoc, purpose);
	char		*enc, today[11];
	size_t		 n;
	json_t		*c;

	if (key_current(ar, assoc, &k) != 0 ||
	    (bits = status_bits(ar, assoc, purpose, &n)) == NULL)
		return -1;
	if ((enc = vc_bits_encode(ar, bits, n)) == NULL)
		return -1;
	date_format(web_today(), today);
	c = json_pack("{s:[s],s:s,s:[s,s],s:{s:s,s:s},s:s,s:{s:s,s:s,s:s,"
	    "s:s},s:s}", "@context", VC_CONTEXT, "id", url, "type",
	    "VerifiableCredential", "BitstringStatusListCredential", "issuer",
	    "id", vc_did(ar, assoc), "name", web_assoc_name(assoc),
	    "validFrom", arena_printf(ar, "%sT00:00:00Z", today),
	    "credentialSubject", "id", arena_printf(ar, "%s#list", url),
	    "type", "BitstringStatusList", "statusPurpose", purpose,
	    "encodedList", enc, "iss", vc_did(ar, assoc));
	*jwt = vc_jwt_sign(ar, arena_printf(ar, "%s#%s", vc_did(ar, assoc),
	    k.kid), k.secret, c);
	json_decref(c);
	sodium_memzero(k.secret, k.secret_len);
	return 0;
}
