/*
 * The engine on small inline rule sets: one behaviour per test, each shown
 * both met and unmet.
 */
#include <stdlib.h>

#include "endorse.h"
#include "unit.h"

void test_eval_merge(void);
void test_eval_span(void);
void test_eval_prorate_degree(void);
void test_eval_references_distinct(void);
void test_eval_emerging(void);
void test_eval_while_providing(void);
void test_eval_membership_counts(void);

struct fixture {
	struct ruleset		*rs;
	struct portfolio	*p;
	struct arena		 a;
	struct check_result	 cr;
};

/* Evaluate portfolio body (inside the object) against rule text. */
static int
run(struct fixture *f, const char *rules, const char *body)
{
	char	*cause, *json;

	memset(f, 0, sizeof *f);
	arena_init(&f->a);
	if ((f->rs = rules_parse("t.rules", rules, strlen(rules),
	    &cause)) == NULL) {
		printf("#   rules: %s\n", cause);
		free(cause);
		return -1;
	}
	xasprintf(&json, "{\"format\":\"endorse-portfolio/1\",\"association\":"
	    "\"t\",\"category\":\"X\",\"as_of\":\"2026-11-23\"%s}", body);
	f->p = portfolio_parse(json, strlen(json), 0, &cause);
	free(json);
	if (f->p == NULL) {
		printf("#   portfolio: %s\n", cause);
		free(cause);
		return -1;
	}
	check_eval(f->rs, &f->rs->cats[0], f->p, &f->a, &f->cr);
	return 0;
}

static void
done(struct fixture *f)
{
	arena_free(&f->a);
	portfolio_free(f->p);
	rules_free(f->rs);
}

#define YEARS "association t\ncategory X\n\trequire work\n" \
	"\t\tyears work >= 2\n\t\tpaid yes\nend\n"
#define WORK(s, e) "{\"start\":\"" s "\",\"end\":\"" e "\",\"paid\":true," \
	"\"ages\":[\"infant\"],\"service\":\"prevention\"}"

/* Overlapping periods count once: two jobs in the same year are a year. */
void
test_eval_merge(void)
{
	struct fixture	 f;

	if (run(&f, YEARS, ",\"work\":[" WORK("2020-01-01", "2020-12-31") ","
	    WORK("2020-06-01", "2021-05-31") "]") == 0) {
		CHECK(!f.cr.reqs[0].met);
		CHECK(f.cr.reqs[0].have == 141);	/* 517 days */
		done(&f);
	}
	if (run(&f, YEARS, ",\"work\":[" WORK("2020-01-01", "2020-12-31") ","
	    WORK("2021-01-01", "2021-12-30") "]") == 0) {
		CHECK(f.cr.reqs[0].met);	/* 730 days exactly */
		done(&f);
	}
	if (run(&f, YEARS, ",\"work\":[" WORK("2020-01-01", "2020-12-31") ","
	    WORK("2021-01-01", "2021-12-29") "]") == 0) {
		CHECK(!f.cr.reqs[0].met);	/* 729 days */
		CHECK(f.cr.reqs[0].have == 199);
		done(&f);
	}
}

#define SPAN "association t\ncategory X\n\trequire rsc\n" \
	"\t\thours rsc_received >= 24\n\t\tspan 12 to 24 months\nend\n"
#define RSC(d, h) "{\"format\":\"group\",\"date\":\"" d "\",\"hours\":" #h "}"

/* The best 24-month window counts; hours outside it are listed. */
void
test_eval_span(void)
{
	struct fixture	 f;

	if (run(&f, SPAN, ",\"rsc_received\":[" RSC("2018-01-10", 10) ","
	    RSC("2021-01-01", 12) "," RSC("2022-06-01", 12) "]") == 0) {
		CHECK(f.cr.reqs[0].met);
		CHECK(f.cr.reqs[0].have == 2400);
		CHECK(f.cr.reqs[0].nex == 1);
		if (f.cr.reqs[0].nex == 1) {
			char name[64], why[EXPLAIN_MAX];

			CHECK_STR(explain_entry(&f.cr.reqs[0].ex[0], name,
			    sizeof name), "rsc_received[0]");
			CHECK_STR(explain_why(&f.cr.reqs[0].ex[0], why,
			    sizeof why), "outside the 24-month span counted "
			    "(January 1, 2021 to December 31, 2022)");
		}
		done(&f);
	}
	/* The same hours over 25 months: no window holds them all. */
	if (run(&f, SPAN, ",\"rsc_received\":[" RSC("2021-01-01", 12) ","
	    RSC("2023-02-01", 12) "]") == 0) {
		CHECK(!f.cr.reqs[0].met);
		CHECK(f.cr.reqs[0].have == 1200);
		done(&f);
	}
	/* All 24 hours within 3 months: too short a span. */
	if (run(&f, SPAN, ",\"rsc_received\":[" RSC("2021-01-01", 12) ","
	    RSC("2021-03-01", 12) "]") == 0) {
		CHECK(!f.cr.reqs[0].met);
		CHECK(strstr(f.cr.reqs[0].explain, "span 12 to 24") != NULL);
		done(&f);
	}
}

#define POST "association t\ncategory X\n\trequire rsc\n" \
	"\t\thours rsc_received >= 10\n\t\tafter bachelor\nend\n"
#define EDU ",\"education\":[{\"level\":\"master\",\"conferred\":" \
	"\"2020-01-01\"}]"

/* Hours of an entry that spans the degree count by their share after it. */
void
test_eval_prorate_degree(void)
{
	struct fixture	 f;

	/* 2019-01-01..2020-12-31 is 731 days, 366 of them after 2020-01-01 */
	if (run(&f, POST, EDU ",\"rsc_received\":[{\"format\":\"group\","
	    "\"start\":\"2019-01-01\",\"end\":\"2020-12-31\",\"hours\":19}]")
	    == 0) {
		CHECK(!f.cr.reqs[0].met);
		CHECK(f.cr.reqs[0].have == 951);
		CHECK(f.cr.reqs[0].nex == 1);
		done(&f);
	}
	if (run(&f, POST, EDU ",\"rsc_received\":[{\"format\":\"group\","
	    "\"start\":\"2020-01-01\",\"end\":\"2020-12-31\",\"hours\":10}]")
	    == 0) {
		CHECK(f.cr.reqs[0].met);
		done(&f);
	}
}

#define REFS "association t\nset e X\ncategory X\n\trequire references\n" \
	"\t\treferences >= 2\n\t\tpattern program_supervisor | " \
	"program_supervisor colleague\n\t\tendorsed @e\nend\n"
#define REF(rel, end, st) "{\"relationship\":\"" rel "\",\"endorsements\":" \
	end ",\"status\":\"" st "\"}"

/* One rater fills one slot; the endorsed rater must be among those used. */
void
test_eval_references_distinct(void)
{
	struct fixture	 f;

	if (run(&f, REFS, ",\"references\":[" REF("program_supervisor",
	    "[\"X\"]", "completed") "]") == 0) {
		CHECK(!f.cr.reqs[0].met);
		CHECK(f.cr.reqs[0].have == 100);
		done(&f);
	}
	if (run(&f, REFS, ",\"references\":[" REF("colleague", "[]",
	    "completed") "," REF("program_supervisor", "[\"X\"]",
	    "completed") "]") == 0) {
		CHECK(f.cr.reqs[0].met);
		done(&f);
	}
	/* The endorsed rater's form is not completed: not met. */
	if (run(&f, REFS, ",\"references\":[" REF("colleague", "[]",
	    "completed") "," REF("program_supervisor", "[]", "completed") ","
	    REF("program_supervisor", "[\"X\"]", "opened") "]") == 0) {
		CHECK(!f.cr.reqs[0].met);
		CHECK(f.cr.reqs[0].nex == 1);
		done(&f);
	}
	/* Two supervisors, the endorsed one fits either slot. */
	if (run(&f, REFS, ",\"references\":[" REF("program_supervisor", "[]",
	    "completed") "," REF("program_supervisor", "[\"X\"]",
	    "completed") "]") == 0) {
		CHECK(f.cr.reqs[0].met);
		done(&f);
	}
}

#define EMERGING "association t\ncategory X\n\trequire path\n\t\tany\n" \
	"\t\toption \"full\"\n\t\t\trequire p\n\t\t\t\tmonths rsc_provided >= 12\n" \
	"\t\toption \"emerging\" emerging 24 months\n\t\t\trequire t\n" \
	"\t\t\t\thours training >= 20\n\t\tend\nend\n"

void
test_eval_emerging(void)
{
	struct fixture	 f;
	char		 d[11];

	if (run(&f, EMERGING, ",\"training\":[{\"date\":\"2026-01-01\","
	    "\"hours\":20}]") == 0) {
		CHECK(f.cr.eligible && f.cr.emerging);
		date_format(f.cr.deadline, d);
		CHECK_STR(d, "2028-11-23");
		done(&f);
	}
	if (run(&f, EMERGING, ",\"training\":[{\"date\":\"2026-01-01\","
	    "\"hours\":20}],\"rsc_provided\":[{\"start\":\"2024-01-01\"}]")
	    == 0) {
		CHECK(f.cr.eligible && !f.cr.emerging);
		done(&f);
	}
	if (run(&f, EMERGING, ",\"training\":[{\"date\":\"2026-01-01\","
	    "\"hours\":19}]") == 0) {
		CHECK(!f.cr.eligible && !f.cr.emerging);
		done(&f);
	}
}

#define WHILE "association t\ncategory X\n\trequire rsc\n" \
	"\t\thours rsc_received >= 5\n\t\twhile providing\nend\n"

void
test_eval_while_providing(void)
{
	struct fixture	 f;

	if (run(&f, WHILE, ",\"rsc_provided\":[{\"start\":\"2022-01-01\","
	    "\"end\":\"2022-12-31\"}],\"rsc_received\":[" RSC("2021-06-01", 5)
	    "," RSC("2022-06-01", 4) "]") == 0) {
		CHECK(!f.cr.reqs[0].met);
		CHECK(f.cr.reqs[0].have == 400);
		done(&f);
	}
	if (run(&f, WHILE, ",\"rsc_provided\":[{\"start\":\"2021-01-01\","
	    "\"end\":\"2022-12-31\"}],\"rsc_received\":[" RSC("2021-06-01", 5)
	    "]") == 0) {
		CHECK(f.cr.reqs[0].met);
		done(&f);
	}
}

#define MSHIP(counts) "association t\nmembership\n\tcalendar-year\n" \
	"\tterm i individual 1 year\n" counts "end\ncategory X\n" \
	"\trequire m\n\t\tfact membership\nend\n"
#define MEMBER(st) ",\"membership\":[{\"start\":\"2026-01-01\"," \
	"\"end\":\"2026-12-31\"" st "}]"

/*
 * 'membership counts': recorded (the default, and written out) lets a
 * recorded membership count; confirmed only one the association
 * confirmed; a rejected one never counts, with its reason shown.
 */
void
test_eval_membership_counts(void)
{
	struct fixture	 f;
	char		 buf[256];

	if (run(&f, MSHIP(""), MEMBER("")) == 0) {
		CHECK(!f.rs->membership.confirmed);
		CHECK(f.cr.reqs[0].met);
		CHECK_STR(explain_result(&f.cr.reqs[0], buf, sizeof buf),
		    "active membership: yes (recorded)");
		done(&f);
	}
	if (run(&f, MSHIP("\tsetting membership counts recorded\n"),
	    MEMBER("")) == 0) {
		CHECK(!f.rs->membership.confirmed && f.cr.reqs[0].met);
		done(&f);
	}
	if (run(&f, MSHIP("\tsetting membership counts confirmed\n"),
	    MEMBER("")) == 0) {
		CHECK(f.rs->membership.confirmed);
		CHECK(!f.cr.reqs[0].met);
		CHECK(f.cr.reqs[0].nex == 1);
		CHECK_STR(explain_result(&f.cr.reqs[0], buf, sizeof buf),
		    "active membership: no membership the association "
		    "confirmed covers November 23, 2026");
		done(&f);
	}
	if (run(&f, MSHIP("\tsetting membership counts confirmed\n"),
	    MEMBER(",\"status\":\"confirmed\"")) == 0) {
		CHECK(f.cr.reqs[0].met);
		CHECK_STR(explain_result(&f.cr.reqs[0], buf, sizeof buf),
		    "active membership: yes (confirmed)");
		done(&f);
	}
	if (run(&f, MSHIP(""), MEMBER(",\"status\":\"rejected\","
	    "\"reason\":\"not on our list\"")) == 0) {
		CHECK(!f.cr.reqs[0].met && f.cr.reqs[0].nex == 1);
		CHECK_STR(f.cr.reqs[0].nex == 1 ? f.cr.reqs[0].ex[0].text :
		    NULL, "rejected by the association: not on our list");
		done(&f);
	}
}
