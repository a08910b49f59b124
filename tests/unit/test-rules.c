/* The rule-set reader: broken files, exact FILE:LINE messages. */
#include <stdlib.h>

#include "endorse.h"
#include "unit.h"

void test_rules_minimal(void);
void test_rules_errors(void);
void test_rules_shipped(void);

#define A "association t\n"
#define CAT "category X \"x\"\n"

void
test_rules_minimal(void)
{
	const char	*s = A "set s X\n" CAT "\trequire training # c\n"
	    "\t\thours training >= 12.5\n\t\trole attended provided\n"
	    "\trequire references\n\t\treferences >= 2\n"
	    "\t\tpattern colleague | student parent\n\t\tendorsed @s\nend\n";
	struct ruleset	*rs;
	char		*cause;

	rs = rules_parse("t.rules", s, strlen(s), &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
		return;
	}
	CHECK(rs->ncats == 1 && rs->cats[0].nreqs == 2);
	CHECK(rs->cats[0].reqs[0].need == 1250);
	CHECK(rs->cats[0].reqs[0].f.roles == 3);
	CHECK(rs->cats[0].reqs[1].nslots == 2);
	CHECK(rs->cats[0].reqs[1].slots[1] ==
	    ((1u << REL_STUDENT) | (1u << REL_PARENT)));
	CHECK(rs->cats[0].reqs[1].endorsed.n == 1);
	rules_free(rs);
}

static const struct {
	const char	*text;
	const char	*cause;
} bad[] = {
	{ "", "t.rules:0: no 'association' line" },
	{ "name \"x\"\n", "t.rules:1: the file must begin with 'association ID'" },
	{ "association other\n", "t.rules:1: association 'other' must live in other.rules" },
	{ A "categry X\n", "t.rules:2: unknown directive 'categry' (expected association, name, set, renewal or category)" },
	{ A CAT "\trequire training\n\t\thourz training >= 3\nend\n", "t.rules:4: unknown requirement line 'hourz'" },
	{ A CAT "\trequire training\n\t\thours lectures >= 3\nend\n", "t.rules:4: 'lectures' is not something to measure (expected training, rsc_received, rsc_provided, work or leadership)" },
	{ A CAT "\trequire training\n\t\thours training >= thirty\nend\n", "t.rules:4: hours: expected a number, not 'thirty'" },
	{ A CAT "\trequire training\n\t\thours training 30\nend\n", "t.rules:4: 'hours' needs '>= NUMBER'" },
	{ A CAT "\trequire work\n\t\tyears work >= 2\n\t\tservice 3\nend\n", "t.rules:5: '3' is not a service (expected promotion, prevention, treatment, rsc, policy, administration, research, teaching or other)" },
	{ A CAT "\trequire work\n\t\tyears work >= 2\n\t\tprovider IFS\nend\n", "t.rules:5: 'provider' does not apply to work ('work')" },
	{ A CAT "\trequire rsc\n\t\thours rsc_received >= 2\n\t\tprovider IFX\nend\n", "t.rules:5: unknown category 'IFX'" },
	{ A CAT "\trequire rsc\n\t\thours rsc_received >= 2\n\t\tprovider @nobody\nend\n", "t.rules:5: unknown set '@nobody' (define it with 'set nobody CODE ...' above)" },
	{ A CAT "\trequire training\n\t\ttext \"x\"\nend\n", "t.rules:3: requirement 'training' says nothing to measure (hours, years, months, sum, count, degree, transcripts, fact, references, holds or any)" },
	{ A CAT "\trequire training\n\t\thours training >= 3\n\t\thours training >= 4\nend\n", "t.rules:5: requirement 'training' already measures something; one measure per requirement" },
	{ A CAT "\trequire training\n\t\thours training >= 3\n\trequire training\n\t\thours training >= 4\nend\n", "t.rules:5: 'training' is already defined in X" },
	{ A CAT "\trequire training\n\t\thours training >= 3\n", "t.rules:4: category X is not closed with 'end'" },
	{ A CAT "end\n", "t.rules:3: category X has no requirements" },
	{ A CAT "\trequire e\n\t\tdegree >= phd\nend\n", "t.rules:4: 'phd' is not a degree level (expected none, cda, associate, bachelor, master or doctorate)" },
	{ A CAT "\trequire f\n\t\tfact weather\nend\n", "t.rules:4: 'fact' needs one of membership, ethics or exam" },
	{ A CAT "\trequire r\n\t\treferences >= 3\n\t\tpattern colleague | friend | student\nend\n", "t.rules:5: 'friend' is not a relationship (expected program_supervisor, rsc_provider, rsc_recipient, endorsed_professional, supervisor, colleague, trainer, consultant, supervisee, student, department_chair, parent, teacher, cda_mentor or board_member)" },
	{ A CAT "\trequire r\n\t\treferences >= 3\n\t\tpattern colleague | student\nend\n", "t.rules:3: references 'r' asks for 3 but its patterns have 2 slots" },
	{ A CAT "\trequire w\n\t\tany\n\t\toption \"a\"\n\t\t\trequire x\n\t\t\t\tfact ethics\n\tend\n", "t.rules:8: 'any' in 'w' needs at least two options" },
	{ A CAT "\trequire w\n\t\tany\n\t\trequire x\n\t\t\tfact ethics\n\tend\n", "t.rules:5: 'require' inside 'any' must follow an 'option' line" },
	{ A CAT "\trequire t\n\t\ttext \"unterminated\n", "t.rules:4: text is missing its closing quote" },
	{ A CAT "\trequire t\n\t\tspan 12 to 24 months\n\t\tfact ethics\nend\n", "t.rules:4: 'span' does not apply to a degree, fact or holds requirement ('t')" },
	{ A CAT "\trequire t\n\t\tfact ethics\n\trenew training\nend\n", "t.rules:5: 'renew' needs a 'renewal' block in this file" },
	{ A "renewal\n\tcycle 3 years from 2024\n\tprorate 4 1 1 1\nend\n" CAT "\trequire t\n\t\tfact ethics\nend\n", "t.rules:2: 'prorate 4' is longer than the 3-year cycle" },
	{ A "renewal\n\tcycle 3 years from 2024\n\tcap provided half\nend\n", "t.rules:4: 'cap provided' needs a percentage such as 50%" },
	{ A "renewal\n\tcycle three years from 2024\nend\n", "t.rules:3: cycle: expected a number, not 'three'" },
	{ A CAT "\trequire t\n\t\tfact ethics\n\trenew training.hours\nend\n", "t.rules:5: 'training.hours' is not a renewal requirement (expected training, training.dei, training.rsc_provision, rsc or membership)" },
	{ A "end\n", "t.rules:2: 'end' without an open category, renewal or any" },
	{ A CAT "\trequire t\n\t\tfact ethics\nend\n" CAT, "t.rules:6: category X is defined twice" },
	{ A "bad\x01line\n", "t.rules:2: control character in the line" },
	/* Found by fuzz-rules: a set naming itself grew without end. */
	{ A "set a A @a\n", "t.rules:2: unknown set '@a' (define it with 'set a CODE ...' above)" },
	/* Found while writing the fuzz dictionary: an empty focus. */
	{ A "renewal\n\tcycle 3 years from 2024\nend\n" CAT "\trequire t\n\t\tfact ethics\n\trenew rsc focus \"\"\nend\n", "t.rules:8: 'focus' needs practice or provision" },
};

void
test_rules_errors(void)
{
	struct ruleset	*rs;
	char		*cause;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rs = rules_parse("t.rules", bad[i].text, strlen(bad[i].text),
		    &cause);
		CHECK(rs == NULL);
		if (rs != NULL) {
			printf("#   accepted case %zu\n", i);
			rules_free(rs);
			continue;
		}
		CHECK_STR(cause, bad[i].cause);
		free(cause);
	}
}

/* The shipped rule sets load, with every category the issue names. */
void
test_rules_shipped(void)
{
	static const char *const vaimh[] = { "IFA", "IFS", "IFRS", "IMHS",
	    "IMHM-C", "IMHM-P", "IMHM-RF", "ECFA", "ECFS", "ECMHS",
	    "ECMHM-C", "ECMHM-P", "ECMHM-RF", "ERS", NULL };
	static const char *const io[] = { "IFA", "IFS", "IMHS", "IMHM-C",
	    "IMHM-P", "IMHM-RF", "ECFA", "ECFS", "ECMHS", "ECMHM-C",
	    "ECMHM-P", "ECMHM-RF", "ERS", NULL };
	struct ruleset	*rs;
	char		*cause;
	int		 i;

	rs = rules_load("rules/vaimh.rules", &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
	} else {
		for (i = 0; vaimh[i] != NULL; i++)
			CHECK(rules_category(rs, vaimh[i]) != NULL);
		CHECK(rs->ncats == i);
		rules_free(rs);
	}
	rs = rules_load("rules/infancy-onward.rules", &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
	} else {
		for (i = 0; io[i] != NULL; i++)
			CHECK(rules_category(rs, io[i]) != NULL);
		CHECK(rs->ncats == i);
		CHECK(rs->renewal.cycle_years == 3 && rs->renewal.anchor == 2024);
		CHECK(rs->renewal.cap_provided_pct == 50);
		CHECK(rs->renewal.cap_volunteer == 1000);
		rules_free(rs);
	}
}
