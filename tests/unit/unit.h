/* A minimal test harness: TAP-like lines, counted by tests/run. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,	\
		    #cond);						\
		unit_failed = 1;					\
	}								\
} while (0)
#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ == NULL || strcmp(g_, w_) != 0) {			\
		printf("#   %s:%d: got  \"%s\"\n#   want \"%s\"\n",	\
		    __FILE__, __LINE__, g_ == NULL ? "(null)" : g_, w_);\
		unit_failed = 1;					\
	}								\
} while (0)

struct unit_test {
	const char	*name;
	void		(*fn)(void);
};

#endif
