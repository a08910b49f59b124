/* The table writer (src/export.c): CSV as RFC 4180 with formula-like
   text neutralised, XLSX made and removed within its limit. */
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "endorse.h"
#include "export.h"
#include "unit.h"

void test_export_csv(void);
void test_export_csv_limit(void);
void test_export_xlsx(void);

static const char *const cols[] = { "id", "name", "day", "amount" };

static void
sample(struct table *t, struct arena *a)
{
	table_init(t, a, cols, 4);
	table_int(t, 1);
	table_text(t, "=1+2");
	table_day(t, 20780);
	table_money(t, 123450);
	table_int(t, -2);
	table_text(t, "Ruiz, \"Ana\"\r\nline");
	table_day(t, DATE_NONE);
	table_money(t, -5);
	table_int(t, 3);
	table_text(t, "+x");
	table_ymd(t, "2019-04-01");
	table_null(t);
	table_int(t, 4);
	table_text(t, "-y");
	table_time_day(t, 0);
	table_money(t, 7);
	table_int(t, 5);
	table_text(t, "@z\t");
	table_ymd(t, "soon");
	table_money(t, 0);
	table_int(t, 6);
	table_text(t, "\tt");
	table_text(t, NULL);
	table_money(t, 100);
}

void
test_export_csv(void)
{
	struct arena	 a;
	struct table	 t;
	struct buf	 b;

	arena_init(&a);
	buf_init(&b);
	sample(&t, &a);
	CHECK(t.nrows == 6);
	CHECK(table_csv(&t, &b, 0) == 0);
	buf_add(&b, "", 1);
	/* A negative number stays a number; formula-like text gets an
	   apostrophe, inside the quotes when it is quoted. */
	CHECK_STR(b.s, "id,name,day,amount\r\n"
	    "1,'=1+2,2026-11-23,1234.50\r\n"
	    "-2,\"Ruiz, \"\"Ana\"\"\r\nline\",,-0.05\r\n"
	    "3,'+x,2019-04-01,\r\n"
	    "4,'-y,,0.07\r\n"
	    "5,'@z\t,soon,0.00\r\n"
	    "6,'\tt,,1.00\r\n");
	CHECK(export_formula_like("=") && export_formula_like("\r") &&
	    !export_formula_like("a=") && !export_formula_like(""));
	buf_free(&b);
	arena_free(&a);
}

void
test_export_csv_limit(void)
{
	struct arena	 a;
	struct table	 t;
	struct buf	 b;

	arena_init(&a);
	buf_init(&b);
	sample(&t, &a);
	CHECK(table_csv(&t, &b, 40) == -1);
	buf_free(&b);
	arena_free(&a);
}

/* How many endorse-export-* files dir holds. */
static int
leftovers(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	int		 n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "endorse-export-", 15) == 0)
			n++;
	closedir(d);
	return n;
}

void
test_export_xlsx(void)
{
	struct arena	 a;
	struct table	 t;
	struct buf	 b;
	const char	*why = NULL;
	char		 dir[] = "/tmp/endorse-unit-XXXXXX";

	CHECK(mkdtemp(dir) != NULL);
	arena_init(&a);
	buf_init(&b);
	sample(&t, &a);
	CHECK(table_xlsx(&t, "sample", dir, &b, 0, &why) == 0);
	CHECK(b.len > 1000 && memcmp(b.s, "PK\3\4", 4) == 0);
	CHECK(leftovers(dir) == 0);
	b.len = 0;
	/* Over the limit: an error, and no file left behind. */
	CHECK(table_xlsx(&t, "sample", dir, &b, 100, &why) == -2);
	CHECK(leftovers(dir) == 0);
	/* A directory that is not there: an error with its reason. */
	CHECK(table_xlsx(&t, "sample", "/nonexistent-endorse", &b, 0,
	    &why) == -1 && why != NULL);
	buf_free(&b);
	arena_free(&a);
	rmdir(dir);
}
