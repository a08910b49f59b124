/* Endorsees for life: the rule data of the renewal block, cycles and
   windows, the audit sample, late hours for a reinstatement. */
#include <stdlib.h>

#include "web.h"
#include "unit.h"

void test_rules_life(void);
void test_life_cycle(void);
void test_life_sample(void);
void test_renewal_until(void);

#define A "association t\n"
#define CAT "category X \"x\"\n\trequire e\n\t\tfact ethics\n" \
	"\trenew training\nend\n"

static struct ruleset *
parse(const char *s)
{
	struct ruleset	*rs;
	char		*cause = NULL;

	rs = rules_parse("t.rules", s, strlen(s), &cause);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
	}
	return rs;
}

void
test_rules_life(void)
{
	struct ruleset	*rs;

	rs = parse(A "renewal\n\tcycle 3 years from 2024\n"
	    "\tprorate 3 45 9 36\n\tremind window 14 0\n"
	    "\tremind deadline 60 30 7\n\taudit cure 21 days\n"
	    "\tinactive allowed\n\treinstate within 6 months fee 75\nend\n"
	    CAT);
	CHECK(rs != NULL);
	if (rs != NULL) {
		CHECK(rs->renewal.nremind[REMIND_WINDOW] == 2);
		CHECK(rs->renewal.remind[REMIND_WINDOW][0] == 14);
		CHECK(rs->renewal.remind[REMIND_WINDOW][1] == 0);
		CHECK(rs->renewal.nremind[REMIND_DEADLINE] == 3);
		CHECK(rs->renewal.remind[REMIND_DEADLINE][2] == 7);
		CHECK(rs->renewal.nremind[REMIND_EMERGING] == 0);
		CHECK(rs->renewal.cure_days == 21);
		CHECK(rs->renewal.inactive == 1);
		CHECK(rs->renewal.reinstate_months == 6);
		CHECK(rs->renewal.reinstate_fee == 75);
		rules_free(rs);
	}
	/* The defaults: 30 days to cure, no inactive status, no
	   reinstatement (a new application), no reminders. */
	rs = parse(A "renewal\n\tcycle 1 years from 2024\n"
	    "\tprorate 1 15 3 12\nend\n" CAT);
	CHECK(rs != NULL);
	if (rs != NULL) {
		CHECK(rs->renewal.cure_days == 30);
		CHECK(rs->renewal.inactive == 0);
		CHECK(rs->renewal.reinstate_months == 0);
		CHECK(rs->renewal.nremind[REMIND_DEADLINE] == 0);
		rules_free(rs);
	}
}

void
test_life_cycle(void)
{
	struct ruleset	*rs;
	int32_t		 o, c;

	rs = parse(A "renewal\n\tcycle 3 years from 2024\n"
	    "\twindow 10-01 to 12-31\n\tprorate 3 45 9 36\nend\n" CAT);
	CHECK(rs != NULL);
	if (rs == NULL)
		return;
	CHECK(life_cycle(rs, date_from_ymd(2024, 12, 31)) == 2024);
	CHECK(life_cycle(rs, date_from_ymd(2025, 1, 1)) == 2027);
	CHECK(life_cycle(rs, date_from_ymd(2027, 10, 1)) == 2027);
	CHECK(life_cycle(rs, date_from_ymd(2028, 1, 1)) == 2030);
	CHECK(life_cycle(rs, date_from_ymd(2019, 6, 1)) == 2021);
	life_window(rs, 2027, &o, &c);
	CHECK(o == date_from_ymd(2027, 10, 1) && c == date_from_ymd(2027, 12,
	    31));
	rules_free(rs);
	/* The annual model without a window line: the whole year. */
	rs = parse(A "renewal\n\tcycle 1 years from 2024\n"
	    "\tprorate 1 15 3 12\nend\n" CAT);
	CHECK(rs != NULL);
	if (rs == NULL)
		return;
	CHECK(life_cycle(rs, date_from_ymd(2026, 3, 5)) == 2026);
	life_window(rs, 2026, &o, &c);
	CHECK(o == date_from_ymd(2026, 1, 1) && c == date_from_ymd(2026, 12,
	    31));
	rules_free(rs);
}

void
test_life_sample(void)
{
	int	 a[100], b[100], d[100], i, k, k2, same = 1;

	/* 10% of 95 rounded up is 10, distinct, ascending, in range. */
	k = life_sample(0xc0ffee, 95, 10, a);
	CHECK(k == 10);
	for (i = 0; i < k; i++) {
		CHECK(a[i] >= 0 && a[i] < 95);
		if (i > 0)
			CHECK(a[i] > a[i - 1]);
	}
	/* The same seed draws the same sample; another seed another. */
	k2 = life_sample(0xc0ffee, 95, 10, b);
	CHECK(k2 == k && memcmp(a, b, sizeof a[0] * (size_t)k) == 0);
	k2 = life_sample(0xc0ffef, 95, 10, d);
	for (i = 0; i < k2 && i < k; i++)
		same &= a[i] == d[i];
	CHECK(k2 == k && !same);
	/* 100% is everyone; one in a population of one. */
	CHECK(life_sample(7, 12, 100, a) == 12 && a[0] == 0 && a[11] == 11);
	CHECK(life_sample(7, 1, 1, a) == 1 && a[0] == 0);
}

/* A reinstatement makes a lapsed cycle up with hours logged after it. */
void
test_renewal_until(void)
{
	const char		*doc = "{\"format\": \"endorse-portfolio/1\","
	    "\"association\": \"t\", \"category\": \"X\", \"as_of\": "
	    "\"2028-03-01\", \"training\": ["
	    "{\"title\": \"a\", \"date\": \"2027-06-01\", \"hours\": 10, "
	    "\"role\": \"attended\"},"
	    "{\"title\": \"b\", \"date\": \"2028-02-01\", \"hours\": 5, "
	    "\"role\": \"attended\"},"
	    "{\"title\": \"c\", \"date\": \"2028-02-20\", \"hours\": 5, "
	    "\"role\": \"attended\"}],"
	    "\"endorsements\": [{\"association\": \"t\", \"category\": \"X\", "
	    "\"since\": \"2026-06-01\"}]}";
	struct ruleset		*rs;
	struct portfolio	*p;
	struct renewal_result	 rr;
	struct arena		 a;
	char			*cause = NULL;

	rs = parse(A "renewal\n\tcycle 3 years from 2024\n"
	    "\tprorate 1 15 3 12\nend\n" CAT);
	p = portfolio_parse(doc, strlen(doc), 0, &cause);
	CHECK(rs != NULL && p != NULL);
	if (rs == NULL || p == NULL) {
		free(cause);
		rules_free(rs);
		portfolio_free(p);
		return;
	}
	arena_init(&a);
	CHECK(renewal_eval(rs, &rs->cats[0], p, 2027, &a, &rr, &cause) == 0);
	CHECK(rr.required && !rr.met && rr.reqs[0].have == 1000);
	CHECK(renewal_eval_until(rs, &rs->cats[0], p, 2027,
	    date_from_ymd(2028, 2, 10), &a, &rr, &cause) == 0);
	CHECK(rr.met && rr.reqs[0].have == 1500);
	CHECK(renewal_eval_until(rs, &rs->cats[0], p, 2027,
	    date_from_ymd(2028, 3, 1), &a, &rr, &cause) == 0);
	CHECK(rr.reqs[0].have == 2000);
	arena_free(&a);
	portfolio_free(p);
	rules_free(rs);
}
