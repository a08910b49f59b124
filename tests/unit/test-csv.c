/* The CSV reader (src/csv.c): RFC 4180 records, line numbers, errors. */
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "unit.h"

void test_csv_simple(void);
void test_csv_quoted(void);
void test_csv_line_ends(void);
void test_csv_empty_fields(void);
void test_csv_errors(void);

/* Every record of text joined as "a|b|c@LINE;" into out; the last
   csv_next result (0, or -1 with "!cause@line"). */
static int
all(const char *text, char *out, size_t size)
{
	struct arena		 a;
	struct csv		 c;
	struct csv_record	 r;
	const char		*cause = NULL;
	size_t			 len = 0;
	int			 i, rc;

	arena_init(&a);
	out[0] = '\0';
	csv_init(&c, text, strlen(text));
	while ((rc = csv_next(&c, &a, &r, &cause)) == 1) {
		for (i = 0; i < r.n; i++)
			len += (size_t)snprintf(out + len, size - len, "%s%s",
			    i > 0 ? "|" : "", r.fields[i]);
		len += (size_t)snprintf(out + len, size - len, "@%d;", r.line);
	}
	if (rc == -1)
		snprintf(out + len, size - len, "!%s@%d", cause, c.line);
	arena_free(&a);
	return rc;
}

void
test_csv_simple(void)
{
	char	 out[512];

	CHECK(all("", out, sizeof out) == 0);
	CHECK_STR(out, "");
	CHECK(all("a,b,c\n1,2,3\n", out, sizeof out) == 0);
	CHECK_STR(out, "a|b|c@1;1|2|3@2;");
	/* No line break after the last record. */
	CHECK(all("a,b\nc,d", out, sizeof out) == 0);
	CHECK_STR(out, "a|b@1;c|d@2;");
	/* Spaces are data. */
	CHECK(all(" a , b \n", out, sizeof out) == 0);
	CHECK_STR(out, " a | b @1;");
	/* A byte order mark is not part of the first field. */
	CHECK(all("\xef\xbb\xbfnumber,name\n", out, sizeof out) == 0);
	CHECK_STR(out, "number|name@1;");
}

void
test_csv_quoted(void)
{
	char	 out[512];

	CHECK(all("\"a,b\",c\n", out, sizeof out) == 0);
	CHECK_STR(out, "a,b|c@1;");
	CHECK(all("\"say \"\"hi\"\"\",x\n", out, sizeof out) == 0);
	CHECK_STR(out, "say \"hi\"|x@1;");
	/* A line break inside quotes: the record starts on line 1, the next
	   on line 3. */
	CHECK(all("\"two\nlines\",x\nnext,y\n", out, sizeof out) == 0);
	CHECK_STR(out, "two\nlines|x@1;next|y@3;");
	CHECK(all("\"\",\"\"\n", out, sizeof out) == 0);
	CHECK_STR(out, "|@1;");
	CHECK(all("\"\"\"\"\n", out, sizeof out) == 0);
	CHECK_STR(out, "\"@1;");
	CHECK(all("x,\"last\"", out, sizeof out) == 0);
	CHECK_STR(out, "x|last@1;");
	/* UTF-8 passes through as bytes. */
	CHECK(all("Zoë,Ñandú\n", out, sizeof out) == 0);
	CHECK_STR(out, "Zoë|Ñandú@1;");
}

void
test_csv_line_ends(void)
{
	char	 out[512];

	CHECK(all("a,b\r\nc,d\r\n", out, sizeof out) == 0);
	CHECK_STR(out, "a|b@1;c|d@2;");
	CHECK(all("\"a\",\"b\"\r\n\"c\r\nd\",e\r\n", out, sizeof out) == 0);
	CHECK_STR(out, "a|b@1;c\r\nd|e@2;");
	/* A lone CR is data, not a line end. */
	CHECK(all("a\rb,c\n", out, sizeof out) == 0);
	CHECK_STR(out, "a\rb|c@1;");
	/* An empty line is a record of one empty field. */
	CHECK(all("a\n\nb\n", out, sizeof out) == 0);
	CHECK_STR(out, "a@1;@2;b@3;");
}

void
test_csv_empty_fields(void)
{
	char	 out[512];

	CHECK(all(",,\n", out, sizeof out) == 0);
	CHECK_STR(out, "||@1;");
	CHECK(all("a,\n", out, sizeof out) == 0);
	CHECK_STR(out, "a|@1;");
	CHECK(all("a,", out, sizeof out) == 0);
	CHECK_STR(out, "a|@1;");
	CHECK(all(",a\n", out, sizeof out) == 0);
	CHECK_STR(out, "|a@1;");
}

void
test_csv_errors(void)
{
	char	 out[512];

	CHECK(all("a,b\n\"open,c\nd\n", out, sizeof out) == -1);
	CHECK_STR(out, "a|b@1;!a quoted field is not closed@4");
	CHECK(all("ok\n\"a\"b,c\n", out, sizeof out) == -1);
	CHECK_STR(out, "ok@1;!a closing quote must be followed by a comma "
	    "or the end of the line@2");
	CHECK(all("\"a\"\r,c\n", out, sizeof out) == -1);
	CHECK_STR(out, "!a closing quote must be followed by a comma or the "
	    "end of the line@1");
	CHECK(all("x\nab\"c\n", out, sizeof out) == -1);
	CHECK_STR(out, "x@1;!a quote inside a field that does not start with "
	    "one (write the field in quotes, the quote twice)@2");
	{
		/* A NUL byte, quoted or not. */
		struct arena		 a;
		struct csv		 c;
		struct csv_record	 r;
		const char		*cause = NULL;

		arena_init(&a);
		csv_init(&c, "a\0b\n", 4);
		CHECK(csv_next(&c, &a, &r, &cause) == -1);
		CHECK_STR(cause, "a NUL byte");
		csv_init(&c, "\"a\0b\"\n", 6);
		CHECK(csv_next(&c, &a, &r, &cause) == -1);
		CHECK_STR(cause, "a NUL byte");
		arena_free(&a);
	}
}
