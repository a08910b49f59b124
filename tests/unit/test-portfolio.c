/* The portfolio reader: every kind of unreadable input, exact messages. */
#include <stdlib.h>

#include "endorse.h"
#include "unit.h"

void test_portfolio_minimal(void);
void test_portfolio_errors(void);

#define HEAD "{\"format\":\"endorse-portfolio/1\",\"association\":\"vaimh\"," \
	"\"category\":\"IFS\",\"as_of\":\"2026-11-23\""

void
test_portfolio_minimal(void)
{
	struct portfolio	*p;
	char			*cause;
	const char		*s = HEAD ",\"rsc_received\":[{\"format\":"
	    "\"group\",\"date\":\"2020-01-01\",\"hours\":1.5}]}";

	p = portfolio_parse(s, strlen(s), 0, &cause);
	CHECK(p != NULL);
	if (p == NULL) {
		printf("#   %s\n", cause);
		free(cause);
		return;
	}
	CHECK_STR(p->association, "vaimh");
	CHECK(p->n_rsc_received == 1);
	CHECK(p->rsc_received[0].hours == 150);
	CHECK(p->rsc_received[0].p.start == p->rsc_received[0].p.end);
	CHECK(p->rsc_received[0].focus == FOCUS_PRACTICE);
	CHECK(p->ethics_signed == DATE_NONE);
	portfolio_free(p);
}

static const struct {
	const char	*json;
	const char	*cause;
} bad[] = {
	{ "", "line 1, column 0: not valid JSON: '[' or '{' expected near end of file" },
	{ HEAD "} x", "line 1, column 94: not valid JSON: end of file expected near 'x'" },
	{ "[]", "a portfolio must be a JSON object, not an array" },
	{ "{\"format\":\"endorse-portfolio/2\"}", "format: \"endorse-portfolio/2\" is not \"endorse-portfolio/1\"" },
	{ "{}", "format: is required" },
	{ "{\"format\":\"endorse-portfolio/1\",\"category\":\"IFS\"}", "association: is required" },
	{ HEAD ",\"as_of\":\"2026-11-23\"}", "line 1, column 99: not valid JSON: duplicate object key near '\"as_of\"'" },
	{ HEAD ",\"work\":[{\"start\":\"2021-13-01\",\"paid\":true,\"ages\":[],\"service\":\"prevention\"}]}", "work[0].start: \"2021-13-01\" is not a date" },
	{ HEAD ",\"work\":[{\"start\":\"2021-01-01\",\"paid\":true,\"ages\":[],\"service\":\"prevention\"},{\"start\":\"2021-01-01\",\"paid\":\"yes\",\"ages\":[],\"service\":\"prevention\"}]}", "work[1].paid: must be true or false, not a string" },
	{ HEAD ",\"work\":[{\"start\":\"2021-01-01\",\"paid\":true,\"ages\":[\"toddler\"],\"service\":\"prevention\"}]}", "work[0].ages[0]: \"toddler\" is not a known age group (expected infant or early_childhood)" },
	{ HEAD ",\"work\":[{\"start\":\"2021-01-01\",\"end\":\"2020-01-01\",\"paid\":true,\"ages\":[],\"service\":\"prevention\"}]}", "work[0].end: is before start (2021-01-01)" },
	{ HEAD ",\"work\":[{\"start\":\"2021-01-01\",\"paid\":true,\"ages\":[],\"service\":\"prevention\",\"families\":-2}]}", "work[0].families: -2 is negative" },
	{ HEAD ",\"work\":[{\"start\":\"2021-01-01\",\"paid\":true,\"ages\":[]}]}", "work[0].service: is required" },
	{ HEAD ",\"training\":[{\"date\":\"2021-01-01\",\"hours\":-3}]}", "training[0].hours: -3 is negative" },
	{ HEAD ",\"training\":[{\"date\":\"2021-01-01\",\"hours\":\"6\"}]}", "training[0].hours: must be a number of hours, not a string" },
	{ HEAD ",\"training\":[{\"date\":\"2021-01-01\",\"hours\":6,\"role\":\"taught\"}]}", "training[0].role: \"taught\" is not a known role (expected attended, provided or volunteer)" },
	{ HEAD ",\"training\":[{\"date\":\"2021-01-01\",\"hours\":6,\"hourz\":6}]}", "training[0].hourz: unknown field" },
	{ HEAD ",\"training\":{}}", "training: must be an array, not an object" },
	{ HEAD ",\"training\":[3]}", "training[0]: must be an object, not a number" },
	{ HEAD ",\"rsc_received\":[{\"format\":\"peer-group\",\"date\":\"2020-01-01\",\"hours\":1}]}", "rsc_received[0].format: \"peer-group\" is not a known format (expected individual, group or peer)" },
	{ HEAD ",\"rsc_received\":[{\"format\":\"group\",\"hours\":1}]}", "rsc_received[0].start: is required (or give a single session's date)" },
	{ HEAD ",\"rsc_received\":[{\"format\":\"group\",\"date\":\"2020-01-01\",\"start\":\"2020-01-01\",\"hours\":1}]}", "rsc_received[0].date: give either date or start/end, not both" },
	{ HEAD ",\"education\":[{\"level\":\"phd\",\"conferred\":\"2010-01-01\"}]}", "education[0].level: \"phd\" is not a known level (expected cda, associate, bachelor, master or doctorate)" },
	{ HEAD ",\"education\":[{\"level\":\"master\"}]}", "education[0].conferred: is required" },
	{ HEAD ",\"education\":[{\"level\":\"none\",\"conferred\":\"2010-01-01\"}]}", "education[0].level: \"none\" is not a known level (expected cda, associate, bachelor, master or doctorate)" },
	{ HEAD ",\"references\":[{\"relationship\":\"friend\",\"status\":\"completed\"}]}", "references[0].relationship: \"friend\" is not a known relationship (expected program_supervisor, rsc_provider, rsc_recipient, endorsed_professional, supervisor, colleague, trainer, consultant, supervisee, student, department_chair, parent, teacher, cda_mentor or board_member)" },
	{ HEAD ",\"references\":[{\"relationship\":\"colleague\"}]}", "references[0].status: is required" },
	{ HEAD ",\"exam\":[{\"date\":\"2026-01-01\",\"result\":\"passed\"}]}", "exam[0].result: \"passed\" is not a known result (expected pass or fail)" },
	{ HEAD ",\"ethics_signed\":\"yesterday\"}", "ethics_signed: \"yesterday\" is not a date" },
	{ HEAD ",\"applicant\":{\"name\":7}}", "applicant.name: must be a string, not a number" },
	{ HEAD ",\"endorsements\":[{\"association\":\"vaimh\",\"category\":\"IFS\"}]}", "endorsements[0].since: is required" },
	{ HEAD ",\"training\":[{\"date\":\"2021-01-01\",\"hours\":1e9}]}", "training[0].hours: 1000000000.0 is more than 100000 hours" },
};

void
test_portfolio_errors(void)
{
	struct portfolio	*p;
	char			*cause;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = portfolio_parse(bad[i].json, strlen(bad[i].json), 0,
		    &cause);
		CHECK(p == NULL);
		if (p != NULL) {
			printf("#   accepted: %s\n", bad[i].json);
			portfolio_free(p);
			continue;
		}
		CHECK_STR(cause, bad[i].cause);
		free(cause);
	}
}
