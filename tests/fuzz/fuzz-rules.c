/*
 * libFuzzer target: the rule-set reader, then the engine.
 *
 * The input is a rule file, parsed as "fuzz.rules": the parser requires
 * the association line of a file named X.rules to say X, so the inputs
 * say 'association fuzz' (tests/fuzz/run rewrites the shipped rule sets
 * that way when it copies them into the working corpus).  When
 * rules_parse() accepts the text, a fixed embedded portfolio (parsed once)
 * is evaluated with check_eval() against every category, and with
 * renewal_eval() for cycles 2024 to 2027 (errors ignored, causes freed).
 * The rule set is also described in words and the check reported as text
 * (to /dev/null): report_rules_show() reads every requirement the parser
 * built.  One arena is reused, reset between evaluations; everything is
 * freed (LeakSanitizer is on).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endorse.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Every array, every enumeration used at least once, endorsements held in
 * the 'fuzz' association for the usual category codes (renewal needs one
 * for the category renewed), dates around the 2025-2027 cycle.
 */
static const char portfolio_json[] =
"{\n"
"  \"format\": \"endorse-portfolio/1\",\n"
"  \"association\": \"fuzz\",\n"
"  \"category\": \"IFS\",\n"
"  \"as_of\": \"2027-11-30\",\n"
"  \"applicant\": { \"name\": \"Fuzz Example\", \"email\": \"f@example.org\" },\n"
"  \"membership\": [ { \"start\": \"2020-01-01\", \"end\": \"2025-12-31\" },\n"
"                  { \"start\": \"2026-02-01\", \"end\": null, \"type\": \"individual\" } ],\n"
"  \"ethics_signed\": \"2021-02-01\",\n"
"  \"education\": [\n"
"    { \"level\": \"cda\", \"conferred\": \"2010-06-01\" },\n"
"    { \"level\": \"bachelor\", \"degree\": \"BSW\", \"conferred\": \"2014-05-20\", \"transcript\": true },\n"
"    { \"level\": \"master\", \"degree\": \"MSW\", \"conferred\": \"2018-05-20\", \"transcript\": false },\n"
"    { \"level\": \"doctorate\", \"conferred\": \"2030-05-20\", \"transcript\": true }\n"
"  ],\n"
"  \"work\": [\n"
"    { \"start\": \"2012-01-04\", \"end\": \"2016-08-31\", \"paid\": false, \"supervised\": true,\n"
"      \"ages\": [\"infant\"], \"service\": \"prevention\", \"families\": 6 },\n"
"    { \"start\": \"2016-09-01\", \"end\": null, \"paid\": true, \"supervised\": true, \"licensed\": true,\n"
"      \"ages\": [\"infant\", \"early_childhood\"], \"service\": \"treatment\", \"families\": 12 },\n"
"    { \"start\": \"2019-01-01\", \"end\": \"2022-12-31\", \"paid\": true,\n"
"      \"ages\": [\"early_childhood\"], \"service\": \"policy\", \"families\": 0 },\n"
"    { \"start\": \"2028-01-01\", \"paid\": true, \"ages\": [], \"service\": \"research\" }\n"
"  ],\n"
"  \"training\": [\n"
"    { \"date\": \"2017-03-02\", \"hours\": 30, \"role\": \"attended\" },\n"
"    { \"date\": \"2019-05-10\", \"hours\": 15.5, \"topics\": [\"rsc_provision\"] },\n"
"    { \"date\": \"2025-02-10\", \"hours\": 6, \"topics\": [\"dei\", \"other\"], \"role\": \"attended\" },\n"
"    { \"date\": \"2025-06-10\", \"hours\": 20, \"role\": \"provided\" },\n"
"    { \"date\": \"2026-01-15\", \"hours\": 12.25, \"topics\": [\"rsc_provision\"], \"role\": \"volunteer\" },\n"
"    { \"date\": \"2027-03-01\", \"hours\": 25, \"role\": \"provided\" },\n"
"    { \"date\": \"2027-09-01\", \"hours\": 10, \"topics\": [\"dei\"], \"role\": \"attended\" },\n"
"    { \"date\": \"2028-01-01\", \"hours\": 5, \"role\": \"attended\" }\n"
"  ],\n"
"  \"rsc_received\": [\n"
"    { \"provider_endorsements\": [\"IMHM-C\", \"IFRS\"], \"format\": \"individual\",\n"
"      \"start\": \"2018-06-01\", \"end\": \"2019-12-31\", \"hours\": 52, \"focus\": \"practice\" },\n"
"    { \"provider_endorsements\": [\"ERS\"], \"format\": \"group\",\n"
"      \"start\": \"2020-01-01\", \"end\": null, \"hours\": 30, \"focus\": \"provision\" },\n"
"    { \"provider_endorsements\": [], \"format\": \"peer\", \"date\": \"2025-02-01\", \"hours\": 3 },\n"
"    { \"provider_endorsements\": [\"A\", \"B\"], \"format\": \"individual\", \"date\": \"2026-04-01\", \"hours\": 40 },\n"
"    { \"format\": \"group\", \"date\": \"2027-04-01\", \"hours\": 8, \"focus\": \"provision\" }\n"
"  ],\n"
"  \"rsc_provided\": [\n"
"    { \"recipients\": 2, \"start\": \"2019-01-01\", \"end\": \"2021-06-30\" },\n"
"    { \"recipients\": 0, \"start\": \"2022-01-01\" },\n"
"    { \"recipients\": 1, \"start\": \"2021-05-01\", \"end\": null }\n"
"  ],\n"
"  \"leadership\": [\n"
"    { \"activity\": \"board\", \"start\": \"2019-01-01\", \"end\": \"2023-01-01\", \"paid\": false, \"level\": \"state\" },\n"
"    { \"start\": \"2023-02-01\", \"paid\": true, \"level\": \"local\" },\n"
"    { \"start\": \"2024-01-01\", \"end\": \"2024-12-31\" }\n"
"  ],\n"
"  \"references\": [\n"
"    { \"name\": \"A\", \"relationship\": \"program_supervisor\", \"endorsements\": [\"IFS\"], \"status\": \"completed\" },\n"
"    { \"name\": \"B\", \"relationship\": \"rsc_provider\", \"endorsements\": [\"IMHM-C\"], \"status\": \"completed\" },\n"
"    { \"name\": \"C\", \"relationship\": \"colleague\", \"status\": \"completed\" },\n"
"    { \"name\": \"D\", \"relationship\": \"rsc_recipient\", \"status\": \"completed\" },\n"
"    { \"name\": \"E\", \"relationship\": \"student\", \"endorsements\": [\"A\"], \"status\": \"completed\" },\n"
"    { \"name\": \"F\", \"relationship\": \"parent\", \"status\": \"sent\" },\n"
"    { \"name\": \"G\", \"relationship\": \"colleague\", \"status\": \"declined\" }\n"
"  ],\n"
"  \"exam\": [ { \"date\": \"2019-03-01\", \"result\": \"fail\" },\n"
"            { \"date\": \"2020-03-01\", \"result\": \"pass\" } ],\n"
"  \"endorsements\": [\n"
"    { \"association\": \"fuzz\", \"category\": \"IFS\", \"since\": \"2025-06-15\" },\n"
"    { \"association\": \"fuzz\", \"category\": \"IFA\", \"since\": \"2020-01-01\" },\n"
"    { \"association\": \"fuzz\", \"category\": \"IMHS\", \"since\": \"2026-03-01\" },\n"
"    { \"association\": \"fuzz\", \"category\": \"IMHM-C\", \"since\": \"2019-01-01\" },\n"
"    { \"association\": \"fuzz\", \"category\": \"ERS\", \"since\": \"2024-09-01\" },\n"
"    { \"association\": \"fuzz\", \"category\": \"A\", \"since\": \"2023-01-01\" },\n"
"    { \"association\": \"fuzz\", \"category\": \"B\", \"since\": \"2027-06-01\" },\n"
"    { \"association\": \"fuzz\", \"category\": \"C\", \"since\": \"2030-01-01\" },\n"
"    { \"association\": \"vaimh\", \"category\": \"IFRS\", \"since\": \"2022-01-01\" }\n"
"  ]\n"
"}\n";

static struct portfolio	*folio;
static struct arena	 arena;
static FILE		*devnull;

static void
setup(void)
{
	char	*cause;

	if (folio != NULL)
		return;
	arena_init(&arena);
	if ((devnull = fopen("/dev/null", "w")) == NULL) {
		perror("fuzz-rules: /dev/null");
		abort();
	}
	folio = portfolio_parse(portfolio_json, sizeof portfolio_json - 1,
	    date_from_ymd(2027, 11, 30), &cause);
	if (folio == NULL) {
		fprintf(stderr, "fuzz-rules: the embedded portfolio does not "
		    "parse: %s\n", cause);
		free(cause);
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setup();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset		*rs;
	struct check_result	 cr;
	struct renewal_result	 rr;
	char			*cause;
	int			 k, cycle;

	setup();
	rs = rules_parse("fuzz.rules", (const char *)data, size, &cause);
	if (rs == NULL) {
		free(cause);
		return 0;
	}
	report_rules_list(devnull, rs);
	for (k = 0; k < rs->ncats; k++) {
		const struct category *cat = &rs->cats[k];

		if (rules_category(rs, cat->code) == NULL)
			abort();	/* a parsed category must be found */
		report_rules_show(devnull, rs, cat);
		check_eval(rs, cat, folio, &arena, &cr);
		report_check_text(devnull, &cr);
		arena_reset(&arena);
		for (cycle = 2024; cycle <= 2027; cycle++) {
			cause = NULL;
			if (renewal_eval(rs, cat, folio, cycle, &arena, &rr,
			    &cause) != 0)
				free(cause);
			else
				report_renewal_text(devnull, &rr);
			arena_reset(&arena);
		}
	}
	rules_free(rs);
	return 0;
}
