/* Money: amounts in words and typed, the Stripe webhook's signature, and
   the rule line that makes the fees due at submission. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "dom-money.h"
#include "stripe.h"
#include "unit.h"

void test_money_words(void);
void test_money_parse(void);
void test_stripe_signature(void);
void test_rules_fee_due(void);

void
test_money_words(void)
{
	struct arena	 a;

	arena_init(&a);
	CHECK_STR(money_words(&a, 0), "$0.00");
	CHECK_STR(money_words(&a, 5), "$0.05");
	CHECK_STR(money_words(&a, 7500), "$75.00");
	CHECK_STR(money_words(&a, 123400), "$1,234.00");
	CHECK_STR(money_words(&a, 123456789), "$1,234,567.89");
	CHECK_STR(money_words(&a, 100000), "$1,000.00");
	CHECK_STR(money_words(&a, 99999), "$999.99");
	CHECK_STR(money_words(&a, -500), "-$5.00");
	arena_free(&a);
}

void
test_money_parse(void)
{
	static const struct {
		const char	*s;
		int64_t		 cents;	/* -1: refused */
	} t[] = {
		{ "50", 5000 }, { "50.5", 5050 }, { "50.05", 5005 },
		{ "$1,234.00", 123400 }, { " 75.00 ", 7500 }, { "0.01", 1 },
		{ "1000000", 100000000 }, { "50.", 5000 }, { ".5", 50 },
		{ "", -1 }, { "abc", -1 }, { "50.001", -1 }, { "-5", -1 },
		{ "1000000.01", -1 }, { "5 0", -1 }, { "1e3", -1 },
		{ ",5", -1 }, { "$", -1 }, { "12.3.4", -1 },
	};
	int64_t		 c;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		c = -1;
		if (money_parse(t[i].s, &c) != 0)
			c = -1;
		if (c != t[i].cents) {
			printf("#   money_parse(\"%s\") = %lld, want %lld\n",
			    t[i].s, (long long)c, (long long)t[i].cents);
			unit_failed = 1;
		}
	}
	CHECK(money_parse(NULL, &c) != 0);
}

/* "t=T,v1=HEX" of body under secret. */
static void
sign(char *out, size_t sz, const char *secret, long long t, const char *body)
{
	crypto_auth_hmacsha256_state	 st;
	unsigned char			 mac[32];
	char				 ts[24], hex[65];

	snprintf(ts, sizeof ts, "%lld", t);
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts,
	    strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body,
	    strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, sz, "t=%s,v1=%s", ts, hex);
}

void
test_stripe_signature(void)
{
	const char	*sec = "whsec_test", *body = "{\"id\":\"evt_1\"}";
	const char	*why;
	char		 h[200], h2[400];
	long long	 now = 1795000000;

	CHECK(sodium_init() >= 0);
	sign(h, sizeof h, sec, now, body);
	CHECK(stripe_sig_check(h, body, strlen(body), sec, now, 300,
	    &why) == 0);
	/* Within the window either way; outside it refused. */
	CHECK(stripe_sig_check(h, body, strlen(body), sec, now + 300, 300,
	    &why) == 0);
	CHECK(stripe_sig_check(h, body, strlen(body), sec, now + 301, 300,
	    &why) != 0 && strstr(why, "tolerance") != NULL);
	CHECK(stripe_sig_check(h, body, strlen(body), sec, now - 301, 300,
	    &why) != 0);
	/* Another body, another secret. */
	CHECK(stripe_sig_check(h, "{\"id\":\"evt_2\"}", 14, sec, now, 300,
	    &why) != 0 && strstr(why, "matches") != NULL);
	CHECK(stripe_sig_check(h, body, strlen(body), "whsec_other", now, 300,
	    &why) != 0);
	/* One good v1 among others (a secret being rolled) is enough. */
	snprintf(h2, sizeof h2, "t=%lld,v1=%064d,%s,v0=abc", now, 0,
	    strchr(h, ',') + 1);
	CHECK(stripe_sig_check(h2, body, strlen(body), sec, now, 300,
	    &why) == 0);
	/* Malformed headers. */
	CHECK(stripe_sig_check(NULL, body, strlen(body), sec, now, 300,
	    &why) != 0);
	CHECK(stripe_sig_check("", body, strlen(body), sec, now, 300,
	    &why) != 0);
	CHECK(stripe_sig_check("v1=00", body, strlen(body), sec, now, 300,
	    &why) != 0);
	snprintf(h2, sizeof h2, "t=%lld", now);
	CHECK(stripe_sig_check(h2, body, strlen(body), sec, now, 300,
	    &why) != 0 && strstr(why, "v1") != NULL);
	snprintf(h2, sizeof h2, "t=x%s", strchr(h, ','));
	CHECK(stripe_sig_check(h2, body, strlen(body), sec, now, 300,
	    &why) != 0);
	CHECK(stripe_sig_check(h, body, strlen(body), "", now, 300,
	    &why) != 0);
}

void
test_rules_fee_due(void)
{
	const char	*ok = "association t\nworkflow\n\tfee 50\n"
	    "\tsetting fee due at submit\nend\ncategory X \"x\"\n"
	    "\trequire e\n\t\tfact ethics\nend\n";
	const char	*plain = "association t\nworkflow\n\tfee 50\nend\n"
	    "category X \"x\"\n\trequire e\n\t\tfact ethics\nend\n";
	const char	*bad[] = {
		"association t\nworkflow\n\tfee due at submit\nend\n",
		"association t\nworkflow\n\tsetting fee due\nend\n",
		"association t\nworkflow\n\tsetting fee due at once\nend\n",
	};
	struct ruleset	*rs;
	char		*cause = NULL;
	size_t		 i;

	rs = rules_parse("t.rules", ok, strlen(ok), &cause);
	CHECK(rs != NULL && rs->workflow.fee_due_submit == 1 &&
	    workflow_fee(rs, "X") == 50);
	rules_free(rs);
	free(cause);
	cause = NULL;
	rs = rules_parse("t.rules", plain, strlen(plain), &cause);
	CHECK(rs != NULL && rs->workflow.fee_due_submit == 0);
	rules_free(rs);
	free(cause);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		rs = rules_parse("t.rules", bad[i], strlen(bad[i]), &cause);
		CHECK(rs == NULL && cause != NULL &&
		    strstr(cause, "fee due") != NULL);
		rules_free(rs);
		free(cause);
	}
}
