/* Unit tests: each prints "ok - NAME" or "not ok - NAME". */
#include <stdio.h>

#include "endorse.h"
#include "unit.h"

int unit_failed;

#define T(name) void name(void);
#include "tests.def"
#undef T

static const struct unit_test tests[] = {
#define T(name) { #name, name },
#include "tests.def"
#undef T
};

int
main(void)
{
	size_t	 i;
	int	 bad = 0;

	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		unit_failed = 0;
		tests[i].fn();
		printf("%s - unit: %s\n", unit_failed ? "not ok" : "ok",
		    tests[i].name);
		bad |= unit_failed;
	}
	return bad;
}
