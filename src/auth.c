/*
 * Who is asking: passwords (Argon2id through libsodium), sessions kept in
 * the database and found by the hash of their cookie, API bearer tokens
 * (also stored hashed) and CSRF tokens.  The rows themselves are
 * dom-account.c's: this file holds the cryptography and the cookies,
 * and no statement of the store.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "dom-account.h"
#include "banned.h"

#define SESSION_COOKIE	"endorse_session"
#define PRE_COOKIE	"endorse_pre"

static unsigned char	 csrf_key[crypto_auth_KEYBYTES];
/* An Argon2id string with the server's parameters, checked when there is
   no account to check (auth_check_dummy); made once by auth_init. */
static char		 dummy_hash[crypto_pwhash_STRBYTES];

/* Load (or create) the server's CSRF key; once, before threads start. */
int
auth_init(void)
{
	char	 hex[2 * crypto_auth_KEYBYTES + 1];
	size_t	 n;

	if (sodium_init() < 0)
		return -1;
	auth_random(hex);
	if (auth_hash_password(hex, dummy_hash) != 0)
		return -1;
	if (session_key_load(hex, sizeof hex) == 0 &&
	    sodium_hex2bin(csrf_key, sizeof csrf_key, hex, strlen(hex), NULL,
	    &n, NULL) == 0 && n == sizeof csrf_key)
		return 0;
	crypto_auth_keygen(csrf_key);
	sodium_bin2hex(hex, sizeof hex, csrf_key, sizeof csrf_key);
	return session_key_store(hex);
}

int
auth_hash_password(const char *pw, char out[128])
{
	return crypto_pwhash_str(out, pw, strlen(pw),
	    (unsigned long long)cfg.pw_ops, (size_t)cfg.pw_mem);
}

int
auth_check_password(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/*
 * The work of a password check when there is no hash to check (no such
 * e-mail, or an account without a password): the same Argon2id
 * verification, so that the time of the answer does not tell whether an
 * account exists.  Never true.
 */
void
auth_check_dummy(const char *pw)
{
	char	 h[crypto_pwhash_STRBYTES], tok[65];

	/* The answer is known (no password matches a random one); the work
	   is the point. */
	if (dummy_hash[0] != '\0') {
		if (crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw)) == 0)
			return;
		return;
	}
	/* Before auth_init (the command line): make one as expensive. */
	auth_random(tok);
	if (auth_hash_password(tok, h) == 0 &&
	    crypto_pwhash_str_verify(h, pw, strlen(pw)) == 0)
		return;
}

int
auth_password_problem(const char *pw, const char **why)
{
	size_t	 n = pw == NULL ? 0 : strlen(pw);

	if (n == 0)
		*why = "enter a password";
	else if (n < 10)
		*why = "use at least 10 characters";
	else if (n > 256)
		*why = "use at most 256 characters";
	else
		return 0;
	return -1;
}

void
auth_random(char out[65])
{
	unsigned char	 b[32];

	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, 65, b, sizeof b);
}

void
auth_hash_token(const char *tok, char out[65])
{
	unsigned char	 h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)tok,
	    strlen(tok), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int
is_hex64(const char *s)
{
	int	 i;

	if (s == NULL)
		return 0;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[64] == '\0';
}

/* The request's user is the account a session or a token found. */
static void
set_user(struct req *r, const struct account *who)
{
	r->user.id = who->id;
	r->user.name = who->name;
	r->user.email = who->email;
	r->user.role = who->role == ACCT_COORDINATOR ? UR_COORDINATOR :
	    UR_APPLICANT;
	r->user.association = who->association;
}

static void
identify_bearer(struct req *r)
{
	const char	*h = req_header(r, "Authorization");
	char		 hash[65];
	struct account	 who;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 ||
	    !is_hex64(h + 7))
		return;
	auth_hash_token(h + 7, hash);
	if (token_account(&r->arena, hash, &who) == 0) {
		set_user(r, &who);
		r->api = 1;
	}
}

void
auth_identify(struct req *r)
{
	const char	*c;
	char		 hash[65];
	struct account	 who;

	if (strncmp(r->path, "/api/", 5) == 0) {
		identify_bearer(r);
		return;
	}
	if ((c = req_cookie(r, PRE_COOKIE)) != NULL && is_hex64(c))
		r->pre = arena_strdup(&r->arena, c);
	if ((c = req_cookie(r, SESSION_COOKIE)) == NULL || !is_hex64(c))
		return;
	auth_hash_token(c, hash);
	if (session_resume(&r->arena, hash, &who, &r->csrf) != 0) {
		memset(&r->user, 0, sizeof r->user);
		return;
	}
	set_user(r, &who);
	r->sid = arena_strdup(&r->arena, hash);
}

int
auth_login(struct req *r, int64_t account)
{
	char		 tok[65], hash[65], csrf[65];

	auth_random(tok);
	auth_random(csrf);
	auth_hash_token(tok, hash);
	if (session_open(&r->arena, account, r->sid, hash, csrf, NULL) != 0)
		return -1;
	reply_cookie(r, SESSION_COOKIE, tok, -1);
	r->sid = arena_strdup(&r->arena, hash);
	r->csrf = arena_strdup(&r->arena, csrf);
	return 0;
}

void
auth_logout(struct req *r)
{
	if (r->sid != NULL)
		session_close(r->sid);
	reply_cookie(r, SESSION_COOKIE, "", 0);
	r->sid = NULL;
	r->csrf = NULL;
	memset(&r->user, 0, sizeof r->user);
}

static void
pre_token(const char *pre, char out[65])
{
	unsigned char	 mac[crypto_auth_BYTES];

	crypto_auth(mac, (const unsigned char *)pre, strlen(pre), csrf_key);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

/*
 * A logged-in form carries the session's token.  An anonymous form (log
 * in, register, reset) carries an HMAC of a random cookie, so that a
 * login form needs no session row (double submit, signed).
 */
const char *
auth_csrf_token(struct req *r)
{
	char	 pre[65], tok[65];

	if (r->csrf != NULL)
		return r->csrf;
	if (r->pre == NULL) {
		auth_random(pre);
		r->pre = arena_strdup(&r->arena, pre);
		reply_cookie(r, PRE_COOKIE, pre, -1);
	}
	pre_token(r->pre, tok);
	return arena_strdup(&r->arena, tok);
}

int
auth_csrf_ok(struct req *r)
{
	const char	*got = req_form(r, "csrf");
	char		 want[65];

	if (got == NULL || strlen(got) != 64)
		return 0;
	if (r->csrf != NULL)
		return sodium_memcmp(got, r->csrf, 64) == 0;
	if (r->pre == NULL)
		return 0;
	pre_token(r->pre, want);
	return sodium_memcmp(got, want, 64) == 0;
}
