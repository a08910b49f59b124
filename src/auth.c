/*
 * Who is asking: passwords (Argon2id through libsodium), sessions kept in
 * the database and found by the hash of their cookie, API bearer tokens
 * (also stored hashed), CSRF tokens and login throttling.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "banned.h"

#define SESSION_COOKIE	"endorse_session"
#define PRE_COOKIE	"endorse_pre"

static unsigned char	 csrf_key[crypto_auth_KEYBYTES];

/* Load (or create) the server's CSRF key; once, before threads start. */
int
auth_init(void)
{
	struct dbq	*st;
	char		 hex[2 * crypto_auth_KEYBYTES + 1];
	size_t		 n;

	if (sodium_init() < 0)
		return -1;
	st = db_stmt(S_SETTING_GET);
	db_bind_text(st, "$key", "csrf_key");
	if (db_step(st) == DB_ROW &&
	    sodium_hex2bin(csrf_key, sizeof csrf_key,
	    (const char *)db_col_text(st, 0),
	    (size_t)db_col_bytes(st, 0), NULL, &n, NULL) == 0 &&
	    n == sizeof csrf_key) {
		db_reset(st);
		return 0;
	}
	db_reset(st);
	crypto_auth_keygen(csrf_key);
	sodium_bin2hex(hex, sizeof hex, csrf_key, sizeof csrf_key);
	st = db_stmt(S_SETTING_PUT);
	db_bind_text(st, "$key", "csrf_key");
	db_bind_text(st, "$value", hex);
	return db_exec(st);
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

static void
set_user(struct req *r, struct dbq *st, int first)
{
	const char	*role;

	r->user.id = db_col_int64(st, 0);
	r->user.name = db_text(&r->arena, st, first);
	r->user.email = db_text(&r->arena, st, first + 1);
	role = (const char *)db_col_text(st, first + 2);
	r->user.role = role != NULL && strcmp(role, "coordinator") == 0 ?
	    UR_COORDINATOR : UR_APPLICANT;
	r->user.association = db_text(&r->arena, st, first + 3);
}

static void
identify_bearer(struct req *r)
{
	const char	*h = req_header(r, "Authorization");
	char		 hash[65];
	struct dbq	*st;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0 ||
	    !is_hex64(h + 7))
		return;
	auth_hash_token(h + 7, hash);
	st = db_stmt(S_TOKEN_GET);
	db_bind_text(st, "$hash", hash);
	if (db_step(st) == DB_ROW) {
		set_user(r, st, 1);
		r->api = 1;
	}
	db_reset(st);
}

void
auth_identify(struct req *r)
{
	const char	*c;
	char		 hash[65];
	struct dbq	*st;
	int64_t		 now = db_now(), created, seen;
	int		 live = 0;

	if (strncmp(r->path, "/api/", 5) == 0) {
		identify_bearer(r);
		return;
	}
	if ((c = req_cookie(r, PRE_COOKIE)) != NULL && is_hex64(c))
		r->pre = arena_strdup(&r->arena, c);
	if ((c = req_cookie(r, SESSION_COOKIE)) == NULL || !is_hex64(c))
		return;
	auth_hash_token(c, hash);
	st = db_stmt(S_SESSION_GET);
	db_bind_text(st, "$id", hash);
	if (db_step(st) == DB_ROW) {
		created = db_col_int64(st, 2);
		seen = db_col_int64(st, 3);
		if (now - seen <= cfg.session_idle &&
		    now - created <= cfg.session_max) {
			live = 1;
			set_user(r, st, 4);
			r->csrf = db_text(&r->arena, st, 1);
			r->sid = arena_strdup(&r->arena, hash);
		}
	}
	db_reset(st);
	if (!live) {
		st = db_stmt(S_SESSION_DELETE);
		db_bind_text(st, "$id", hash);
		db_exec(st);
		memset(&r->user, 0, sizeof r->user);
		return;
	}
	/* Write "seen" at most once a minute: most requests only read. */
	if (now - seen > 60) {
		st = db_stmt(S_SESSION_TOUCH);
		db_bind_text(st, "$id", hash);
		db_bind_int(st, "$now", now);
		db_exec(st);
	}
}

int
auth_login(struct req *r, int64_t account)
{
	char		 tok[65], hash[65], csrf[65];
	struct dbq	*st;

	/* Rotate: whatever session came with the request ends here. */
	if (r->sid != NULL) {
		st = db_stmt(S_SESSION_DELETE);
		db_bind_text(st, "$id", r->sid);
		db_exec(st);
	}
	auth_random(tok);
	auth_random(csrf);
	auth_hash_token(tok, hash);
	st = db_stmt(S_SESSION_INSERT);
	db_bind_text(st, "$id", hash);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$csrf", csrf);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		return -1;
	reply_cookie(r, SESSION_COOKIE, tok, -1);
	r->sid = arena_strdup(&r->arena, hash);
	/* Housekeeping at a moment that writes anyway: expired sessions and
	   failures older than the throttling window go. */
	st = db_stmt(S_SESSION_PURGE);
	db_bind_int(st, "$idle", db_now() - cfg.session_idle);
	db_bind_int(st, "$max", db_now() - cfg.session_max);
	db_exec(st);
	st = db_stmt(S_FAIL_PURGE);
	db_bind_int(st, "$before", db_now() - cfg.login_window);
	db_exec(st);
	r->csrf = arena_strdup(&r->arena, csrf);
	return 0;
}

void
auth_logout(struct req *r)
{
	struct dbq	*st;

	if (r->sid != NULL) {
		st = db_stmt(S_SESSION_DELETE);
		db_bind_text(st, "$id", r->sid);
		db_exec(st);
	}
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

int
auth_throttled(struct req *r, const char *email)
{
	struct dbq	*st;
	int		 by_email = 0, by_ip = 0;

	st = db_stmt(S_FAIL_COUNT);
	db_bind_text(st, "$email", email);
	db_bind_text(st, "$ip", r->ip);
	db_bind_int(st, "$since", db_now() - cfg.login_window);
	if (db_step(st) == DB_ROW) {
		by_email = db_col_int(st, 0);
		by_ip = db_col_int(st, 1);
	}
	db_reset(st);
	return by_email >= cfg.login_failures ||
	    by_ip >= 4 * cfg.login_failures;
}

void
auth_failed(struct req *r, const char *email)
{
	struct dbq	*st;

	st = db_stmt(S_FAIL_INSERT);
	db_bind_text(st, "$email", email);
	db_bind_text(st, "$ip", r->ip);
	db_bind_int(st, "$now", db_now());
	db_exec(st);
}

void
auth_succeeded(const char *email)
{
	struct dbq	*st;

	st = db_stmt(S_FAIL_CLEAR);
	db_bind_text(st, "$email", email);
	db_exec(st);
}

int
auth_token_new(int64_t account, const char *label, char out[65])
{
	char		 hash[65];
	struct dbq	*st;

	auth_random(out);
	auth_hash_token(out, hash);
	st = db_stmt(S_TOKEN_INSERT);
	db_bind_text(st, "$hash", hash);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$label", label);
	db_bind_int(st, "$now", db_now());
	return db_exec(st);
}
