/* The rule-set reader: broken files, exact FILE:LINE messages. */
#include <stdlib.h>

#include "endorse.h"
#include "unit.h"

void test_rules_minimal(void);
void test_rules_errors(void);
void test_rules_shipped(void);
void test_rules_membership(void);
void test_membership_expiry(void);
void test_membership_shipped(void);
void test_rules_workflow(void);
void test_rules_remind(void);
void test_rules_policy(void);

#define A "association t\n"
#define CAT "category X \"x\"\n"
#define M "membership\n\tcalendar-year\n"
#define TERM "\tterm i individual 1 year\n"
#define W "workflow\n"
#define REQ "\trequire e\n\t\tfact ethics\n"

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
	{ A "categry X\n", "t.rules:2: unknown directive 'categry' (expected association, name, set, renewal, membership or category)" },
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
	{ A "end\n", "t.rules:2: 'end' without an open category, renewal, membership or any" },
	{ A CAT "\trequire t\n\t\tfact ethics\nend\n" CAT, "t.rules:6: category X is defined twice" },
	{ A "bad\x01line\n", "t.rules:2: control character in the line" },
	/* Found by fuzz-rules: a set naming itself grew without end. */
	{ A "set a A @a\n", "t.rules:2: unknown set '@a' (define it with 'set a CODE ...' above)" },
	/* Found while writing the fuzz dictionary: an empty focus. */
	{ A "renewal\n\tcycle 3 years from 2024\nend\n" CAT "\trequire t\n\t\tfact ethics\n\trenew rsc focus \"\"\nend\n", "t.rules:8: 'focus' needs practice or provision" },
	{ A "renewal\n\tcycle 3 years from 2024\n\twindow 04-31 to 12-31\nend\n", "t.rules:4: 'window': '04-31' is not a month and day (MM-DD)" },
	/* The life of an endorsement: reminders, audits, reinstatement. */
	{ A "renewal\n\tcycle 3 years from 2024\n\tremind someday 30\nend\n", "t.rules:4: 'remind' reads 'remind window|deadline|emerging|membership DAYS...' (days before)" },
	{ A "renewal\n\tcycle 3 years from 2024\n\tremind deadline 30 30\nend\n", "t.rules:4: 'remind deadline': 30 is given twice" },
	{ A "renewal\n\tcycle 3 years from 2024\n\tremind deadline -1\nend\n", "t.rules:4: remind: expected a number, not '-1'" },
	{ A "renewal\n\tcycle 3 years from 2024\n\tremind deadline 7\n\tremind deadline 9\nend\n", "t.rules:5: 'remind deadline' is given twice" },
	{ A "renewal\n\tcycle 3 years from 2024\n\taudit cure 0 days\nend\n", "t.rules:4: 'audit cure': at least 1 day" },
	{ A "renewal\n\tcycle 3 years from 2024\n\taudit 30 days\nend\n", "t.rules:4: 'audit' reads 'audit cure N days'" },
	{ A "renewal\n\tcycle 3 years from 2024\n\tinactive maybe\nend\n", "t.rules:4: 'inactive' reads 'inactive allowed' or 'inactive no'" },
	{ A "renewal\n\tcycle 3 years from 2024\n\treinstate within 12 weeks\nend\n", "t.rules:4: 'reinstate' reads 'reinstate within N months [fee N]'" },
	{ A "renewal\n\tcycle 3 years from 2024\n\treinstate within 0 months\nend\n", "t.rules:4: 'reinstate within': at least 1 month" },
	{ A "renewal\n\tcycle 3 years from 2024\n\tgrace 3 days\nend\n", "t.rules:4: unknown renewal line 'grace' (expected cycle, window, prorate, cap, training, remind, audit, membership, inactive or reinstate)" },
	{ A "renewal\n\tcycle 3 years from 2024\n\tmembership grace 3\nend\n", "t.rules:4: 'membership' in 'renewal' reads 'membership grace N days'" },
	/* The membership block. */
	{ A M TERM "\tterm i agency 2 years\nend\n", "t.rules:5: membership term 'i' is defined twice" },
	{ A M "\tterm i family 1 year\nend\n", "t.rules:4: 'family' is not a kind of membership (expected individual or agency)" },
	{ A M "\tterm i individual 0 years\nend\n", "t.rules:4: 'term': a term runs 1 to 5 years, not 0" },
	{ A M "\tterm i individual 6 years\nend\n", "t.rules:4: 'term': a term runs 1 to 5 years, not 6" },
	{ A M "\tterm i individual one year\nend\n", "t.rules:4: term: expected a number, not 'one'" },
	{ A M "\tterm i individual 1.5 years\nend\n", "t.rules:4: term: expected a whole number, not '1.5'" },
	{ A M "\tterm i individual 1 month\nend\n", "t.rules:4: 'term': expected 'years' after the number, not 'month'" },
	{ A M "\tterm i individual 1\nend\n", "t.rules:4: 'term' reads 'term ID individual|agency N years [fee N] [extra N] [staff N] [\"title\"]'" },
	{ A M "\tterm Individual-1 individual 1 year\nend\n", "t.rules:4: 'term' needs an id in lower case, such as individual-1" },
	{ A "membership\n\tcalendar-year cutoff 09-31\n" TERM "end\n", "t.rules:3: 'cutoff': '09-31' is not a month and day (MM-DD)" },
	{ A "membership\n\tcalendar-year cutoff 13-01\n" TERM "end\n", "t.rules:3: 'cutoff': '13-01' is not a month and day (MM-DD)" },
	{ A "membership\n\tcalendar-year cutoff 9-1\n" TERM "end\n", "t.rules:3: 'cutoff': '9-1' is not a month and day (MM-DD)" },
	{ A "membership\n\tcalendar-year cutoff 09-01x\n" TERM "end\n", "t.rules:3: 'cutoff': '09-01x' is not a month and day (MM-DD)" },
	{ A "membership\n\tcalendar-year cutoff 01-01\n" TERM "end\n", "t.rules:3: 'cutoff 01-01' gives every term a free year; leave the cutoff out" },
	{ A "membership\n\tcalendar-year 09-01\n" TERM "end\n", "t.rules:3: 'calendar-year' reads 'calendar-year' or 'calendar-year cutoff MM-DD'" },
	{ A M "\tcalendar-year\n" TERM "end\n", "t.rules:4: 'calendar-year' is given twice" },
	{ A M TERM, "t.rules:4: 'membership' is not closed with 'end'" },
	{ A M TERM CAT "\trequire t\n\t\tfact ethics\nend\n", "t.rules:5: 'membership' is still open: close it with 'end'" },
	{ A M TERM "end\nmembership\n", "t.rules:6: 'membership' is given twice" },
	{ A "membership yearly\n", "t.rules:2: 'membership' stands alone; its lines follow, up to 'end'" },
	{ A M TERM "end now\n", "t.rules:5: 'end' stands alone" },
	{ A M "\tterms i individual 1 year\nend\n", "t.rules:4: unknown membership line 'terms' (expected calendar-year, term, membership counts or buy)" },
	{ A M TERM "\tmembership counts approved\nend\n", "t.rules:5: 'membership counts' reads 'membership counts recorded' or 'membership counts confirmed'" },
	{ A M TERM "\tmembership counts\nend\n", "t.rules:5: 'membership counts' reads 'membership counts recorded' or 'membership counts confirmed'" },
	{ A M TERM "\tsetting membership counts recorded\n\tmembership counts confirmed\nend\n", "t.rules:6: 'membership counts' is given twice" },
	{ A M "\tterm i individual 1 year cost 50\nend\n", "t.rules:4: unexpected 'cost' in 'term' (expected fee, extra, staff or a quoted title)" },
	{ A M "\tterm i individual 1 year Individual\nend\n", "t.rules:4: unexpected 'Individual' in 'term' (expected fee, extra, staff or a quoted title)" },
	{ A M "\tterm i individual 1 year \"I\" fee 50\nend\n", "t.rules:4: 'term': the quoted title comes last" },
	{ A M "\tterm i individual 1 year fee 50 fee 60\nend\n", "t.rules:4: 'fee' is given twice" },
	{ A M "\tterm i individual 1 year fee\nend\n", "t.rules:4: fee: expected a number" },
	{ A M "\tterm i individual 1 year fee fifty\nend\n", "t.rules:4: fee: expected a number, not 'fifty'" },
	{ A M "\tterm i individual 1 year fee 50 staff 5\nend\n", "t.rules:4: 'staff' applies to agency terms only" },
	{ A M "\tterm i agency 1 year fee 225 extra 45\nend\n", "t.rules:4: 'extra' needs 'staff': how many staff the fee covers" },
	{ A "membership\n" TERM "end\n", "t.rules:2: 'membership' needs a 'calendar-year' line (terms end December 31)" },
	{ A M "end\n", "t.rules:2: 'membership' needs at least one 'term' line" },
	{ A W "\tratings valid twelve months\nend\n" CAT "end\n", "t.rules:3: ratings valid: expected a number, not 'twelve'" },
	{ A W "\tratings valid 0 months\nend\n" CAT "end\n", "t.rules:3: 'ratings valid' needs at least 1 month" },
	{ A W "\tratings valid 12 years\nend\n" CAT "end\n", "t.rules:3: 'ratings' reads 'ratings valid N months', 'ratings link N days', 'ratings void N' or 'ratings visible never|unless-waived'" },
	{ A W "\tratings visible sometimes\nend\n" CAT "end\n", "t.rules:3: 'ratings visible' takes never or unless-waived, not 'sometimes'" },
	{ A W "\tremind applicant 14\nend\n" CAT "end\n", "t.rules:3: 'remind' reads 'remind rater|reviewer DAYS...' (days after the request or the assignment)" },
	{ A W "\tremind rater\nend\n" CAT "end\n", "t.rules:3: 'remind' reads 'remind rater|reviewer DAYS...' (days after the request or the assignment)" },
	{ A W "\tremind rater 28 14\nend\n" CAT "end\n", "t.rules:3: 'remind rater': the offsets go up (14 after 28)" },
	{ A W "\tremind rater 0\nend\n" CAT "end\n", "t.rules:3: 'remind rater': an offset is at least 1 day" },
	{ A W "\tremind reviewer two\nend\n" CAT "end\n", "t.rules:3: remind: expected a number, not 'two'" },
	{ A W "\tremind reviewer 14\n\tremind reviewer 21\nend\n" CAT "end\n", "t.rules:4: 'remind reviewer' is given twice" },
	{ A W "\treviewers 3\nend\n" CAT "end\n", "t.rules:3: reviewers: 3 is more than 2" },
	{ A W "\treviewers 1 agree\nend\n" CAT "end\n", "t.rules:3: 'agree' needs two reviewers" },
	{ A W "\treviewers 2 must\nend\n" CAT "end\n", "t.rules:3: 'reviewers' reads 'reviewers 1|2 [agree]'" },
	{ A W "\texam questions 60 pass 80\nend\n" CAT "end\n", "t.rules:3: 'exam' reads 'exam questions N pass N percent', 'exam vignette max N pass N' or 'exam retake N days'" },
	{ A W "\texam vignette max 10 pass 11\nend\n" CAT "end\n", "t.rules:3: 'exam vignette': the pass mark is between 1 and the maximum" },
	{ A W "\tnumber va\nend\n" CAT "end\n", "t.rules:3: 'number' needs a prefix in capitals, such as VA" },
	{ A W "\tfee 25\n\tfee 30\nend\n" CAT "end\n", "t.rules:4: a default 'fee' (without codes) is given twice" },
	{ A W "\tfee 25 ifs\nend\n" CAT "end\n", "t.rules:3: 'ifs' is not a category code (codes look like IFS or IMHM-C)" },
	{ A W "\titem feeling \"x\"\nend\n" CAT "end\n", "t.rules:3: 'feeling' is not a rating domain (expected reflection, working-with-others or thinking)" },
	{ A W "\titem reflection x\nend\n" CAT "end\n", "t.rules:3: 'item' reads 'item DOMAIN \"text\"'" },
	{ A W "\tcompetency Advocacy\nend\n" CAT "end\n", "t.rules:3: 'competency' reads 'competency \"text\"'" },
	{ A W "\titem thinking \"a\"\n\tratings void 2\nend\n" CAT "end\n", "t.rules:5: 'ratings void 2' can never happen with 1 rating items" },
	{ A W "\treviewer 2\nend\n" CAT "end\n", "t.rules:3: unknown workflow line 'reviewer' (expected ratings, reviewers, exam, number, fee, registration, ethics, item, competency or remind)" },
	/* Seed fidelity (issue 13): what the new lines refuse. */
	{ A CAT "\trequire t\n\t\thours training >= 3\n\t\tsince emerging\nend\n", "t.rules:3: 'since emerging' in 't' needs 'only-if emerging': only a holder of Emerging status has a grant date" },
	{ A CAT "\trequire w\n\t\tyears work >= 2\n\t\tonly-if emerging\n\t\tsince emerging\nend\n", "t.rules:6: 'since' does not apply to work ('w')" },
	{ A CAT "\trequire t\n\t\thours training >= 3\n\t\tonly-if later\nend\n", "t.rules:5: 'only-if' reads 'only-if emerging' (for a holder of this category with Emerging status)" },
	{ A CAT "\trequire p\n\t\tholds X or-pending X\nend\n", "t.rules:4: 'or-pending' ends the 'holds' line" },
	{ A CAT "\trequire r\n\t\treferences >= 2\n\t\tpattern X | colleague\nend\n", "t.rules:5: pattern slot 1: name the relationship before the codes its rater must hold" },
	{ A CAT "\trequire r\n\t\treferences >= 2\n\t\tpattern colleague X student | colleague\nend\n", "t.rules:5: 'student' is not a category code (codes look like IFS or IMHM-C)" },
	{ A CAT "\trequire s\n\t\tsum work staff >= 10\nend\n", "t.rules:4: 'sum' adds up 'work families' or 'work families staff'" },
	/* Verified codes (issue 15): a setting, on codes to check. */
	{ A CAT "\trequire rsc\n\t\thours rsc_received >= 2\n\t\tprovider X\n\t\tcodes verified\nend\n", "t.rules:6: no seed says how a provider's or rater's codes are checked: write 'setting codes verified' or 'setting codes declared' (an association setting)" },
	{ A CAT "\trequire rsc\n\t\thours rsc_received >= 2\n\t\tprovider X\n\t\tsetting codes checked\nend\n", "t.rules:6: a requirement's setting reads 'setting codes verified' or 'setting codes declared'" },
	{ A CAT "\trequire rsc\n\t\thours rsc_received >= 2\n\t\tsetting codes verified\nend\n", "t.rules:5: 'setting codes' in 'rsc' needs codes to check: 'provider', 'endorsed' or codes in a 'pattern'" },
	{ A CAT "\trequire rsc\n\t\thours rsc_received >= 2\n\t\tprovider X\n\t\tsetting codes verified\n\t\tsetting codes declared\nend\n", "t.rules:7: 'setting codes' is given twice in 'rsc'" },
	{ A "renewal\n\tcycle 3 years from 2024\n\ttraining received\nend\n", "t.rules:4: 'training' reads 'training attended' (only training received counts)" },
	{ A W "\tregistration x\nend\n" CAT "end\n", "t.rules:3: registration: expected a number, not 'x'" },
	{ A W "\tregistration 5\n\tregistration 6\nend\n" CAT "end\n", "t.rules:4: a default 'registration' (without codes) is given twice" },
	{ A "setting name \"x\"\n", "t.rules:2: unknown directive 'setting' (expected association, name, set, renewal, membership or category)" },
	{ A CAT "\trequire w\n\t\tany\n\t\toption \"a\"\n\t\toption \"b\"\n\t\t\trequire x\n\t\t\t\tfact ethics\n\tend\n", "t.rules:6: the option before this one has no requirements (only an Emerging option may have none: everything is then owed by its deadline)" },
	{ A W CAT "end\n", "t.rules:3: 'workflow' is still open: close it with 'end'" },
	{ A W "end\n" W "end\n" CAT "end\n", "t.rules:4: 'workflow' is given twice" },
	{ A W, "t.rules:2: 'workflow' is not closed with 'end'" },
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

void
test_rules_membership(void)
{
	const char	*s = A "membership\n\tcalendar-year cutoff 10-15\n"
	    "\tterm solo individual 2 years fee 95 \"Two years\"\n"
	    "\tterm shop agency 1 year staff 3 fee 200 extra 40\n"
	    "\tterm free individual 1 year\n"
	    "end\n" CAT "\trequire m\n\t\tfact membership\nend\n";
	const struct membership_term	*t;
	struct ruleset			*rs;
	char				*cause;

	rs = rules_parse("t.rules", s, strlen(s), &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
		return;
	}
	CHECK(rs->membership.defined && rs->membership.line == 2);
	CHECK(rs->membership.cutoff == 1015);
	CHECK(rs->membership.nterms == 3);
	t = membership_term(rs, "solo");
	CHECK(t != NULL && !t->agency && t->years == 2 && t->fee == 95 &&
	    t->extra == -1 && t->staff == -1 && t->line == 4);
	CHECK_STR(t != NULL ? t->title : NULL, "Two years");
	t = membership_term(rs, "shop");
	CHECK(t != NULL && t->agency && t->years == 1 && t->fee == 200 &&
	    t->extra == 40 && t->staff == 3);
	t = membership_term(rs, "free");
	CHECK(t != NULL && t->fee == -1 && t->years == 1);
	CHECK_STR(t != NULL ? t->title : NULL, "free");
	CHECK(membership_term(rs, "none") == NULL);
	rules_free(rs);

	/* Without the block: no policy, no terms. */
	s = A CAT "\trequire m\n\t\tfact membership\nend\n";
	rs = rules_parse("t.rules", s, strlen(s), &cause);
	CHECK(rs != NULL);
	if (rs != NULL) {
		CHECK(!rs->membership.defined && rs->membership.nterms == 0);
		CHECK(membership_term(rs, "solo") == NULL);
		rules_free(rs);
	} else
		free(cause);
}

/* expiry(policy, years, bought) == want, dates as YYYY-MM-DD. */
static void
expiry_is(const struct membership_policy *mp, int years, const char *bought,
    const char *want, int line)
{
	struct membership_term	 t;
	int32_t			 b;
	char			 got[11];

	memset(&t, 0, sizeof t);
	t.years = years;
	if (date_parse(bought, &b) != 0) {
		printf("#   line %d: bad date %s\n", line, bought);
		unit_failed = 1;
		return;
	}
	date_format(membership_expiry(mp, &t, b), got);
	if (strcmp(got, want) != 0) {
		printf("#   line %d: %d year(s) bought %s, cutoff %d: got %s, "
		    "want %s\n", line, years, bought, mp->cutoff, got, want);
		unit_failed = 1;
	}
}
#define EXPIRY(mp, years, bought, want) \
	expiry_is(mp, years, bought, want, __LINE__)

void
test_membership_expiry(void)
{
	struct membership_policy	 none, sep1, leap;
	struct membership_term		 t;

	memset(&none, 0, sizeof none);
	sep1 = leap = none;
	sep1.cutoff = 901;
	leap.cutoff = 229;

	/* No cutoff: the calendar year bought in is the first. */
	EXPIRY(&none, 1, "2025-01-01", "2025-12-31");
	EXPIRY(&none, 1, "2025-12-31", "2025-12-31");	/* one day */
	EXPIRY(&none, 1, "2026-01-01", "2026-12-31");
	EXPIRY(&none, 1, "2025-09-01", "2025-12-31");
	EXPIRY(&none, 2, "2025-06-30", "2026-12-31");
	EXPIRY(&none, 3, "2025-12-31", "2027-12-31");
	EXPIRY(&none, 5, "2024-02-29", "2028-12-31");

	/* Cutoff September 1 (INfancy Onward). */
	EXPIRY(&sep1, 1, "2025-01-01", "2025-12-31");
	EXPIRY(&sep1, 1, "2025-08-31", "2025-12-31");	/* the day before */
	EXPIRY(&sep1, 1, "2025-09-01", "2026-12-31");	/* on the cutoff */
	EXPIRY(&sep1, 1, "2025-09-02", "2026-12-31");
	EXPIRY(&sep1, 1, "2025-12-31", "2026-12-31");
	EXPIRY(&sep1, 1, "2026-01-01", "2026-12-31");
	EXPIRY(&sep1, 2, "2025-08-31", "2026-12-31");
	EXPIRY(&sep1, 2, "2025-09-01", "2027-12-31");
	EXPIRY(&sep1, 3, "2025-03-15", "2027-12-31");
	EXPIRY(&sep1, 3, "2025-10-01", "2028-12-31");
	EXPIRY(&sep1, 1, "2024-08-31", "2024-12-31");	/* leap year */
	EXPIRY(&sep1, 1, "2024-09-01", "2025-12-31");

	/* A 02-29 cutoff is "after February" in a common year. */
	EXPIRY(&leap, 1, "2024-02-28", "2024-12-31");
	EXPIRY(&leap, 1, "2024-02-29", "2025-12-31");
	EXPIRY(&leap, 1, "2025-02-28", "2025-12-31");
	EXPIRY(&leap, 1, "2025-03-01", "2026-12-31");

	memset(&t, 0, sizeof t);
	t.years = 1;
	CHECK(membership_expiry(&sep1, &t, DATE_NONE) == DATE_NONE);
}

/* The terms of the shipped rule sets, as rules.md and the seeds give them. */
void
test_membership_shipped(void)
{
	static const struct {
		const char	*id;
		int		 agency, years, fee, extra, staff;
	} io[] = {
		{ "individual-1", 0, 1, 50, -1, -1 },
		{ "individual-2", 0, 2, 95, -1, -1 },
		{ "individual-3", 0, 3, 135, -1, -1 },
		{ "agency-1", 1, 1, 225, 45, 5 },
		{ "agency-2", 1, 2, 425, 85, 5 },
		{ "agency-3", 1, 3, 600, 120, 5 },
	};
	const struct membership_term	*t;
	struct ruleset			*rs;
	char				*cause, d[11];
	size_t				 i;

	rs = rules_load("rules/infancy-onward.rules", &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
	} else {
		CHECK(rs->membership.defined);
		CHECK(rs->membership.cutoff == 901);
		CHECK(rs->membership.nterms == (int)(sizeof io / sizeof io[0]));
		for (i = 0; i < sizeof io / sizeof io[0]; i++) {
			t = membership_term(rs, io[i].id);
			CHECK(t != NULL);
			if (t == NULL) {
				printf("#   no term %s\n", io[i].id);
				continue;
			}
			CHECK(t->agency == io[i].agency);
			CHECK(t->years == io[i].years);
			CHECK(t->fee == io[i].fee);
			CHECK(t->extra == io[i].extra);
			CHECK(t->staff == io[i].staff);
		}
		/* A 1-year membership bought on September 1 runs a year on. */
		if ((t = membership_term(rs, "individual-1")) != NULL) {
			date_format(membership_expiry(&rs->membership, t,
			    date_from_ymd(2025, 9, 1)), d);
			CHECK_STR(d, "2026-12-31");
			date_format(membership_expiry(&rs->membership, t,
			    date_from_ymd(2025, 8, 31)), d);
			CHECK_STR(d, "2025-12-31");
		}
		rules_free(rs);
	}

	rs = rules_load("rules/vaimh.rules", &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
	} else {
		CHECK(rs->membership.defined);
		CHECK(rs->membership.cutoff == 0);
		CHECK(rs->membership.nterms == 1);
		t = membership_term(rs, "individual-1");
		CHECK(t != NULL && !t->agency && t->years == 1 &&
		    t->fee == -1 && t->extra == -1 && t->staff == -1);
		/* Renewed annually by December 31: no free months. */
		if (t != NULL) {
			date_format(membership_expiry(&rs->membership, t,
			    date_from_ymd(2025, 11, 30)), d);
			CHECK_STR(d, "2025-12-31");
		}
		rules_free(rs);
	}
}

/* 'remind rater|reviewer DAYS...' in the workflow block, as a setting. */
void
test_rules_remind(void)
{
	const char	*s = A W "\tsetting remind rater 14 28\n"
	    "\tsetting remind reviewer 7\nend\n" CAT REQ "end\n";
	struct ruleset	*rs;
	char		*cause = NULL;
	int		 i;

	rs = rules_parse("t.rules", s, strlen(s), &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
		return;
	}
	CHECK(rs->workflow.nremind_rater == 2);
	CHECK(rs->workflow.remind_rater[0] == 14);
	CHECK(rs->workflow.remind_rater[1] == 28);
	CHECK(rs->workflow.nremind_reviewer == 1);
	CHECK(rs->workflow.remind_reviewer[0] == 7);
	rules_free(rs);
	/* The shipped rule sets give both, as settings. */
	for (i = 0; i < 2; i++) {
		rs = rules_load(i == 0 ? "rules/vaimh.rules" :
		    "rules/infancy-onward.rules", &cause);
		CHECK(rs != NULL);
		if (rs == NULL) {
			printf("#   %s\n", cause);
			free(cause);
			continue;
		}
		CHECK(rs->workflow.nremind_rater == 2 &&
		    rs->workflow.remind_rater[0] == 14 &&
		    rs->workflow.remind_rater[1] == 28);
		CHECK(rs->workflow.nremind_reviewer == 1 &&
		    rs->workflow.remind_reviewer[0] == 14);
		rules_free(rs);
	}
}

/* The workflow block: what it sets, the defaults, a fee per category. */
void
test_rules_workflow(void)
{
	const char	*s = A W "\tratings valid 6 months\n\tratings link 14 days\n"
	    "\tratings void 2\n\tratings visible unless-waived\n"
	    "\treviewers 2 agree\n\texam questions 50 pass 70 percent\n"
	    "\texam vignette max 5 pass 3\n\texam retake 30 days\n"
	    "\tnumber TX\n\tfee 25\n\tfee 300 X\n"
	    "\titem reflection \"a\"\n\titem thinking \"b\"\n"
	    "\tcompetency \"Advocacy\"\nend\n" CAT REQ "end\n"
	    "category Y \"y\"\n" REQ "end\n";
	const char	*d = A CAT REQ "end\n";
	struct ruleset	*rs;
	char		*cause = NULL;

	rs = rules_parse("t.rules", s, strlen(s), &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		printf("#   %s\n", cause);
		free(cause);
		return;
	}
	CHECK(rs->workflow.rating_valid_months == 6);
	CHECK(rs->workflow.link_days == 14);
	CHECK(rs->workflow.void_unknown == 2);
	CHECK(rs->workflow.visible == VISIBLE_UNLESS_WAIVED);
	CHECK(rs->workflow.reviewers == 2 && rs->workflow.agree);
	CHECK(rs->workflow.exam_questions == 50);
	CHECK(rs->workflow.exam_pass_pct == 70);
	CHECK(rs->workflow.exam_part2_max == 5);
	CHECK(rs->workflow.exam_part2_pass == 3);
	CHECK(rs->workflow.retake_days == 30);
	CHECK_STR(rs->workflow.number_prefix, "TX");
	CHECK(rs->workflow.nitems == 2);
	CHECK_STR(rs->workflow.items[1].domain, "thinking");
	CHECK_STR(rs->workflow.items[1].text, "b");
	CHECK(rs->workflow.ncompetencies == 1);
	CHECK(workflow_fee(rs, "X") == 300);
	CHECK(workflow_fee(rs, "Y") == 25);
	/* No 'remind' line: no reminders. */
	CHECK(rs->workflow.nremind_rater == 0);
	CHECK(rs->workflow.nremind_reviewer == 0);
	rules_free(rs);

	rs = rules_parse("t.rules", d, strlen(d), &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		free(cause);
		return;
	}
	CHECK(rs->workflow.rating_valid_months == 12);
	CHECK(rs->workflow.void_unknown == 6);
	CHECK(rs->workflow.visible == VISIBLE_NEVER);
	CHECK(rs->workflow.reviewers == 1 && !rs->workflow.agree);
	CHECK(rs->workflow.nitems == 0);
	CHECK_STR(rs->workflow.number_prefix, "T");
	/* No fee line: no amount is known ("set by your association"). */
	CHECK(workflow_fee(rs, "X") == -1);
	CHECK(workflow_regfee(rs, "X") == -1);
	rules_free(rs);

	/* The shipped sets: VAIMH two reviewers who agree, its ratings kept
	   from applicants; INfancy Onward's fees as seed 004 lists them. */
	rs = rules_load("rules/vaimh.rules", &cause);
	CHECK(rs != NULL);
	if (rs != NULL) {
		CHECK(rs->workflow.reviewers == 2 && rs->workflow.agree);
		CHECK(rs->workflow.visible == VISIBLE_NEVER);
		CHECK(rs->workflow.nitems == 15);
		CHECK(rs->workflow.ncompetencies == 15);
		rules_free(rs);
	} else
		free(cause);
	rs = rules_load("rules/infancy-onward.rules", &cause);
	CHECK(rs != NULL);
	if (rs != NULL) {
		CHECK(workflow_fee(rs, "IFA") == 25);
		CHECK(workflow_fee(rs, "ECFS") == 50);
		CHECK(workflow_fee(rs, "ECMHM-C") == 300);
		CHECK(workflow_fee(rs, "ERS") == 50);
		rules_free(rs);
	} else
		free(cause);
}

/*
 * Issue 13: a line no seed gives is marked 'setting' and `rules show`
 * says so; fees come from 'fee' and 'registration' lines, and a category
 * without one has no amount (-1), never 0.
 */
void
test_rules_policy(void)
{
	const char	*d = A W "\tsetting ratings valid 6 months\n"
	    "\tfee 50 X\n\tregistration 15 X\n\tsetting registration 3\n"
	    "end\n" CAT "\trequire t\n\t\tfact ethics\nend\n";
	struct ruleset	*rs, *io, *va;
	char		*cause;

	rs = rules_parse("t.rules", d, strlen(d), &cause);
	CHECK(rs != NULL);
	if (rs == NULL) {
		free(cause);
		return;
	}
	CHECK(rs->workflow.rating_valid_months == 6);
	CHECK(rs->npolicy == 4);
	if (rs->npolicy == 4) {
		CHECK_STR(rs->policy[0].text, "ratings valid 6 months");
		CHECK(rs->policy[0].setting == 1);
		CHECK_STR(rs->policy[1].text, "fee 50 X");
		CHECK(rs->policy[1].setting == 0);
		CHECK_STR(rs->policy[1].block, "workflow");
	}
	CHECK(workflow_fee(rs, "X") == 50);
	CHECK(workflow_regfee(rs, "X") == 15);
	CHECK(workflow_regfee(rs, "Y") == 3);	/* the default line */
	CHECK(workflow_fee(rs, "Y") == -1);
	rules_free(rs);

	io = rules_load("rules/infancy-onward.rules", &cause);
	va = rules_load("rules/vaimh.rules", &cause);
	CHECK(io != NULL && va != NULL);
	if (io != NULL && va != NULL) {
		/* Seed 004's table: registration $15 / $25 / $25 / $25, "-"
		   for the ERS add-on; processing $25 / $50 / $50 / $300 / $50. */
		CHECK(workflow_regfee(io, "IFA") == 15);
		CHECK(workflow_regfee(io, "ECFS") == 25);
		CHECK(workflow_regfee(io, "IMHM-C") == 25);
		CHECK(workflow_regfee(io, "ERS") == 0);
		CHECK(workflow_fee(io, "ECMHM-RF") == 300);
		/* No seed gives VAIMH's fees. */
		CHECK(workflow_fee(va, "IFS") == -1);
		CHECK(workflow_regfee(va, "IFS") == -1);
		/* Indiana's September cut-off is a setting, its cycle seed. */
		CHECK(io->membership.cutoff == 901);
		CHECK(io->policy[0].setting == 0);	/* cycle 3 years */
	}
	if (io != NULL)
		rules_free(io);
	if (va != NULL)
		rules_free(va);
}
