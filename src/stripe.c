/*
 * Stripe: card payments through Stripe Checkout, when stripe_secret_key
 * is set.  stripe_session_create() asks Stripe for a Checkout Session
 * (POST {stripe_api_base}/v1/checkout/sessions, form-encoded, the secret
 * key as a bearer token) and hands back its id and the address to send
 * the payer to.  stripe_sig_check() verifies a webhook's
 * Stripe-Signature header: "t=TIMESTAMP,v1=HEX[,v1=HEX...]", each v1 an
 * HMAC-SHA256 under the endpoint's secret of "TIMESTAMP.RAWBODY",
 * compared in constant time, the timestamp within the tolerance of the
 * server's clock.  Nothing here touches the store.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "web.h"
#include "stripe.h"
#include "banned.h"

#define STRIPE_MAX_V1	8

/* The value of one "k=v" item of the header, its length in *len. */
static const char *
sig_item(const char *p, const char **key, size_t *klen, size_t *len)
{
	const char	*eq, *end;

	end = p + strcspn(p, ",");
	eq = memchr(p, '=', (size_t)(end - p));
	if (eq == NULL)
		return NULL;
	*key = p;
	*klen = (size_t)(eq - p);
	*len = (size_t)(end - eq - 1);
	return eq + 1;
}

int
stripe_sig_check(const char *header, const char *body, size_t len,
    const char *secret, int64_t now, int tolerance, const char **why)
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 mac[crypto_auth_hmacsha256_BYTES];
	unsigned char			 got[crypto_auth_hmacsha256_BYTES];
	const char			*p, *key, *v, *v1[STRIPE_MAX_V1];
	char				 ts[24], *end;
	size_t				 klen, vlen, bin;
	long long			 t = -1;
	int				 nv1 = 0, i, ok = 0;

	if (secret == NULL || *secret == '\0') {
		*why = "no webhook secret is configured";
		return -1;
	}
	if (header == NULL || *header == '\0') {
		*why = "no Stripe-Signature header";
		return -1;
	}
	for (p = header; *p != '\0'; p += *p == ',' ? 1 : 0) {
		while (*p == ' ')
			p++;
		if ((v = sig_item(p, &key, &klen, &vlen)) == NULL) {
			*why = "the Stripe-Signature header is not "
			    "t=TIMESTAMP,v1=SIGNATURE";
			return -1;
		}
		if (klen == 1 && key[0] == 't' && vlen > 0 && vlen < 20) {
			snprintf(ts, sizeof ts, "%.*s", (int)vlen, v);
			t = strtoll(ts, &end, 10);
			if (*end != '\0' || t < 0)
				t = -1;
		} else if (klen == 2 && memcmp(key, "v1", 2) == 0 &&
		    vlen == 2 * sizeof mac && nv1 < STRIPE_MAX_V1)
			v1[nv1++] = v;
		p = v + vlen;
	}
	if (t < 0) {
		*why = "the Stripe-Signature header has no timestamp";
		return -1;
	}
	if (nv1 == 0) {
		*why = "the Stripe-Signature header has no v1 signature";
		return -1;
	}
	if (t < now - tolerance || t > now + tolerance) {
		*why = "the signature's timestamp is outside the tolerance "
		    "window";
		return -1;
	}
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts,
	    strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	for (i = 0; i < nv1; i++)
		if (sodium_hex2bin(got, sizeof got, v1[i], 2 * sizeof got,
		    NULL, &bin, NULL) == 0 && bin == sizeof got &&
		    sodium_memcmp(got, mac, sizeof mac) == 0)
			ok = 1;
	sodium_memzero(&st, sizeof st);
	if (!ok) {
		*why = "no v1 signature matches the body";
		return -1;
	}
	return 0;
}

int
stripe_enabled(void)
{
	return cfg.stripe_secret_key != NULL && *cfg.stripe_secret_key != '\0';
}

static pthread_once_t	 curl_once = PTHREAD_ONCE_INIT;
static int		 curl_ok;

static void
stripe_curl_init(void)
{
	curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static size_t
stripe_write(char *data, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (b->len + size * n > 256 * 1024)
		return 0;
	buf_add(b, data, size * n);
	return size * n;
}

/* "&name=value", the value escaped. */
static void
form_add(struct buf *b, CURL *c, const char *name, const char *value)
{
	char	*e = curl_easy_escape(c, value, 0);

	buf_printf(b, "%s%s=%s", b->len > 0 ? "&" : "", name,
	    e != NULL ? e : "");
	curl_free(e);
}

int
stripe_session_create(struct arena *a, const struct stripe_order *o,
    char **id, char **url, const char **why)
{
	struct curl_slist	*hdr = NULL;
	struct buf		 form, resp;
	CURL			*c;
	json_t			*j = NULL;
	const char		*s_id, *s_url;
	char			 cents[24], *auth;
	long			 code = 0;
	int			 rc = -1;

	*why = "the card processor could not be reached; try again later";
	pthread_once(&curl_once, stripe_curl_init);
	if (!curl_ok || (c = curl_easy_init()) == NULL)
		return -1;
	buf_init(&form);
	buf_init(&resp);
	snprintf(cents, sizeof cents, "%lld", (long long)o->cents);
	form_add(&form, c, "mode", "payment");
	form_add(&form, c, "line_items[0][price_data][currency]", "usd");
	form_add(&form, c, "line_items[0][price_data][unit_amount]", cents);
	form_add(&form, c, "line_items[0][price_data][product_data][name]",
	    o->name);
	form_add(&form, c, "line_items[0][quantity]", "1");
	form_add(&form, c, "success_url", o->success_url);
	form_add(&form, c, "cancel_url", o->cancel_url);
	form_add(&form, c, "client_reference_id", o->reference);
	form_add(&form, c, "metadata[account]", o->account);
	form_add(&form, c, "metadata[association]", o->association);
	form_add(&form, c, "metadata[application]", o->application);
	auth = arena_printf(a, "Authorization: Bearer %s",
	    cfg.stripe_secret_key);
	hdr = curl_slist_append(hdr, auth);
	curl_easy_setopt(c, CURLOPT_URL, arena_printf(a,
	    "%s/v1/checkout/sessions", cfg.stripe_api_base));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.s != NULL ? form.s : "");
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)form.len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, stripe_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (curl_easy_perform(c) != CURLE_OK)
		goto out;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code != 200 || resp.len == 0) {
		*why = "the card processor refused the payment session; try "
		    "again later or pay your coordinator";
		goto out;
	}
	j = json_loadb(resp.s, resp.len, 0, NULL);
	s_id = json_string_value(json_object_get(j, "id"));
	s_url = json_string_value(json_object_get(j, "url"));
	if (s_id == NULL || s_url == NULL || (strncmp(s_url, "https://", 8)
	    != 0 && strncmp(s_url, "http://", 7) != 0))
		goto out;
	*id = arena_strdup(a, s_id);
	*url = arena_strdup(a, s_url);
	rc = 0;
out:
	json_decref(j);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	buf_free(&form);
	buf_free(&resp);
	return rc;
}
