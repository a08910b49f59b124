/* The reports' percentile (dom-report.c) and charts (svg.c, drawn by
   templates/coord/chart.html). */
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "store.h"
#include "dom-report.h"
#include "svg.h"
#include "tmpl.h"
#include "unit.h"

void test_report_percentile(void);
void test_svg_ticks(void);
void test_svg_hbars(void);
void test_svg_empty(void);
void test_svg_one_point(void);
void test_svg_escape(void);

void
test_report_percentile(void)
{
	static const int one[] = { 7 }, five[] = { 10, 20, 30, 40, 50 },
	    four[] = { 5, 15, 25, 35 }, ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10 };
	int	 twenty[20], i;

	CHECK(report_percentile(NULL, 0, 50) == -1);
	CHECK(report_percentile(one, 0, 50) == -1);
	CHECK(report_percentile(one, 1, 50) == 7);
	CHECK(report_percentile(one, 1, 90) == 7);
	/* Nearest rank: ceil(p / 100 * n), 1-based. */
	CHECK(report_percentile(five, 5, 50) == 30);	/* rank 3 */
	CHECK(report_percentile(five, 5, 90) == 50);	/* rank 5 */
	CHECK(report_percentile(four, 4, 50) == 15);	/* rank 2 */
	CHECK(report_percentile(four, 4, 90) == 35);	/* rank 4 */
	CHECK(report_percentile(ten, 10, 50) == 5);	/* rank 5 */
	CHECK(report_percentile(ten, 10, 90) == 9);	/* rank 9 */
	CHECK(report_percentile(ten, 10, 100) == 10);
	CHECK(report_percentile(ten, 10, 1) == 1);
	for (i = 0; i < 20; i++)
		twenty[i] = 100 + i;
	CHECK(report_percentile(twenty, 20, 90) == 117);	/* rank 18 */
	CHECK(report_percentile(twenty, 20, 91) == 118);	/* rank 19 */
}

void
test_svg_ticks(void)
{
	static const struct {
		long	 max, step;
		int	 n;
	} t[] = {
		{ 0, 1, 1 }, { 1, 1, 1 }, { 5, 1, 5 }, { 7, 2, 4 },
		{ 10, 2, 5 }, { 11, 5, 3 }, { 100, 20, 5 }, { 101, 50, 3 },
		{ 12345, 5000, 3 },
	};
	size_t	 i;
	long	 step;
	int	 n;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		n = svg_ticks(t[i].max, &step);
		if (n != t[i].n || step != t[i].step)
			printf("#   max %ld: %d steps of %ld, want %d of %ld\n",
			    t[i].max, n, step, t[i].n, t[i].step);
		CHECK(n == t[i].n && step == t[i].step);
		CHECK(n * step >= t[i].max);
	}
}

/* Render a chart's view with the real template. */
static char *
render(json_t *chart)
{
	static struct tmpl_set	*set;
	struct buf		 b;
	char			*cause = NULL, *s;

	if (set == NULL && (set = tmpl_load("templates", &cause)) == NULL) {
		printf("#   %s\n", cause);
		free(cause);
		return xstrdup("");
	}
	buf_init(&b);
	if (tmpl_render(set, "coord/chart", chart, &b, &cause) != 0) {
		printf("#   %s\n", cause);
		free(cause);
	}
	s = xstrdup(b.s != NULL ? b.s : "");
	buf_free(&b);
	return s;
}

static json_t *
nth(json_t *c, const char *list, size_t i)
{
	return json_array_get(json_object_get(c, list), i);
}

static long
num(json_t *o, const char *k)
{
	return (long)json_integer_value(json_object_get(o, k));
}

void
test_svg_hbars(void)
{
	static const char *const groups[] = { "A", "B", "C", "D" };
	static const char *const series[] = { "median" };
	static const long vals[] = { 0, 50, 100, -1 };
	json_t	*c;
	char	*s;

	c = svg_hbars("x", "T", "D", groups, 4, series, 1, vals, "days");
	CHECK(!json_is_true(json_object_get(c, "empty")));
	/* Up to 100 in steps of 20: six ticks; the bars scale to 100. */
	CHECK(json_array_size(json_object_get(c, "lines")) == 7);
	CHECK(json_array_size(json_object_get(c, "rects")) == 3);
	CHECK(num(nth(c, "rects", 0), "w") == 0);
	CHECK(num(nth(c, "rects", 1), "w") == (SVG_W - 88) / 2);
	CHECK(num(nth(c, "rects", 2), "w") == SVG_W - 88);
	CHECK(json_array_size(json_object_get(c, "legend")) == 0);
	s = render(c);
	CHECK(strstr(s, ">50 days</text>") != NULL);
	CHECK(strstr(s, ">none</text>") != NULL);
	CHECK(strstr(s, ">100</text>") != NULL);
	CHECK(strstr(s, "role=\"img\"") != NULL);
	CHECK(strstr(s, "<title id=\"x-title\">T</title>") != NULL);
	CHECK(strstr(s, "<desc id=\"x-desc\">D</desc>") != NULL);
	CHECK(strstr(s, "viewBox=\"0 0 400 ") != NULL);
	free(s);
	json_decref(c);
}

void
test_svg_empty(void)
{
	static const char *const groups[] = { "A", "B" };
	static const char *const series[] = { "a", "b" };
	static const long none[] = { -1, -1, -1, -1 }, zero[] = { 0, 0, 0, 0 };
	json_t	*c;
	char	*s;

	c = svg_hbars("x", "T", "D", groups, 0, series, 2, none, "");
	CHECK(json_is_true(json_object_get(c, "empty")));
	s = render(c);
	CHECK(strstr(s, "<svg") == NULL);
	free(s);
	json_decref(c);
	c = svg_hbars("x", "T", "D", groups, 2, series, 2, none, "");
	CHECK(json_is_true(json_object_get(c, "empty")));
	json_decref(c);
	c = svg_area("x", "T", "D", groups, 2, series, 2, zero);
	CHECK(json_is_true(json_object_get(c, "empty")));
	s = render(c);
	CHECK(strstr(s, "<svg") == NULL);
	free(s);
	json_decref(c);
	c = svg_area("x", "T", "D", groups, 0, series, 2, zero);
	CHECK(json_is_true(json_object_get(c, "empty")));
	json_decref(c);
}

void
test_svg_one_point(void)
{
	static const char *const x[] = { "Nov 2026", "Dec 2026" };
	static const char *const series[] = { "a", "b", "c" };
	static const long one[] = { 2, 0, 3 }, two[] = { 2, 0, 3, 1, 1, 1 };
	json_t	*c;
	char	*s;

	/* One point: a stacked column, a rectangle per layer not empty. */
	c = svg_area("x", "T", "D", x, 1, series, 3, one);
	CHECK(!json_is_true(json_object_get(c, "empty")));
	CHECK(json_array_size(json_object_get(c, "paths")) == 0);
	CHECK(json_array_size(json_object_get(c, "rects")) == 2);
	CHECK(json_array_size(json_object_get(c, "legend")) == 3);
	s = render(c);
	CHECK(strstr(s, ">Nov 2026</text>") != NULL);
	/* Up to 5 in steps of 1. */
	CHECK(strstr(s, ">5</text>") != NULL);
	CHECK(strstr(s, "<ul class=\"legend\"") != NULL);
	free(s);
	json_decref(c);
	/* Two points: a closed path per layer, the x labels at both ends. */
	c = svg_area("x", "T", "D", x, 2, series, 3, two);
	CHECK(json_array_size(json_object_get(c, "paths")) == 3);
	CHECK(json_array_size(json_object_get(c, "rects")) == 0);
	CHECK(strncmp(json_string_value(json_object_get(nth(c, "paths", 0),
	    "d")), "M40 ", 4) == 0);
	s = render(c);
	CHECK(strstr(s, "text-anchor=\"end\" class=\"tick\">Dec 2026") != NULL);
	CHECK(strstr(s, " Z\" class=\"s2\"") != NULL);
	free(s);
	json_decref(c);
}

void
test_svg_escape(void)
{
	static const char *const groups[] = { "<script>alert(\"x\")</script>",
	    "O'Hara & Sons" };
	static const char *const series[] = { "<b>a</b>", "b" };
	static const long vals[] = { 1, 2, 3, 4 };
	json_t	*c;
	char	*s;

	c = svg_hbars("x", "<i>T</i>", "D & \"d\"", groups, 2, series, 2, vals,
	    "");
	s = render(c);
	CHECK(strstr(s, "<script") == NULL);
	CHECK(strstr(s, "<b>") == NULL && strstr(s, "<i>") == NULL);
	CHECK(strstr(s, ">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
	    "</text>") != NULL);
	CHECK(strstr(s, ">O&#39;Hara &amp; Sons</text>") != NULL);
	CHECK(strstr(s, "<title id=\"x-title\">&lt;i&gt;T&lt;/i&gt;</title>")
	    != NULL);
	CHECK(strstr(s, "<desc id=\"x-desc\">D &amp; &quot;d&quot;</desc>")
	    != NULL);
	CHECK(strstr(s, "</span>&lt;b&gt;a&lt;/b&gt;</li>") != NULL);
	free(s);
	json_decref(c);
}
