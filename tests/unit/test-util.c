#include <stdlib.h>

#include "endorse.h"
#include "unit.h"

void test_dates(void);
void test_dates_invalid(void);
void test_add_months(void);
void test_whole_years(void);
void test_centi(void);

void
test_dates(void)
{
	int32_t	 d;
	char	 s[11];
	int	 y, m, dd;

	CHECK(date_parse("1970-01-01", &d) == 0 && d == 0);
	CHECK(date_parse("2024-02-29", &d) == 0);
	date_format(d, s);
	CHECK_STR(s, "2024-02-29");
	date_ymd(d, &y, &m, &dd);
	CHECK(y == 2024 && m == 2 && dd == 29);
	CHECK(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28) == 2);
}

void
test_dates_invalid(void)
{
	int32_t	 d;

	CHECK(date_parse("2021-13-01", &d) != 0);
	CHECK(date_parse("2023-02-29", &d) != 0);
	CHECK(date_parse("1900-02-29", &d) != 0);
	CHECK(date_parse("2021-1-01", &d) != 0);
	CHECK(date_parse("2021-01-01T", &d) != 0);
	CHECK(date_parse("", &d) != 0);
	CHECK(date_parse("20a1-01-01", &d) != 0);
}

void
test_add_months(void)
{
	char	 s[11];

	date_format(date_add_months(date_from_ymd(2019, 1, 31), 1), s);
	CHECK_STR(s, "2019-02-28");
	date_format(date_add_months(date_from_ymd(2019, 11, 15), 24), s);
	CHECK_STR(s, "2021-11-15");
	date_format(date_add_months(date_from_ymd(2019, 3, 15), -3), s);
	CHECK_STR(s, "2018-12-15");
}

void
test_whole_years(void)
{
	CHECK(whole_years_between(date_from_ymd(2025, 1, 1),
	    date_from_ymd(2028, 1, 1)) == 3);
	CHECK(whole_years_between(date_from_ymd(2025, 1, 2),
	    date_from_ymd(2028, 1, 1)) == 2);
	CHECK(whole_years_between(date_from_ymd(2027, 6, 1),
	    date_from_ymd(2028, 1, 1)) == 0);
}

void
test_centi(void)
{
	char	 s[32];

	centi_format(3000, s, sizeof s);
	CHECK_STR(s, "30");
	centi_format(1250, s, sizeof s);
	CHECK_STR(s, "12.5");
	centi_format(33, s, sizeof s);
	CHECK_STR(s, "0.33");
	centi_format(-150, s, sizeof s);
	CHECK_STR(s, "-1.5");
}
