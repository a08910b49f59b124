/*
 * Charts as views of shapes (svg.h), drawn by templates/coord/chart.html.
 *
 * The coordinates are whole units of a viewBox SVG_W wide, so the
 * template prints integers and the chart scales to the page's width
 * (width 100%); at 375 px a unit is a little less than a pixel and the
 * 14-unit text stays readable.  Colours are classes (s0 to s7, in
 * static/style.css), the same for the HTML legend under a chart.
 */
#include <stdio.h>
#include <string.h>

#include "endorse.h"
#include "svg.h"
#include "banned.h"

#define PAD		8	/* around the plot */
#define VALUE_W		80	/* right of the bars: "1234 days" */
#define LABEL_H		18	/* a group's label above its bars */
#define BAR_H		14
#define BAR_STEP	17	/* a bar and the gap under it */
#define GROUP_GAP	6
#define AXIS_H		24	/* the tick labels under an axis */
#define AREA_H		220
#define AREA_L		40	/* the y axis's labels */
#define AREA_R		14
#define AREA_T		10
#define AREA_B		28
#define XLABELS		3	/* at most, under an area chart */

int
svg_ticks(long max, long *step)
{
	static const long	 nice[] = { 1, 2, 5 };
	long			 p, s = 1, n;
	int			 i;

	if (max <= 0) {
		*step = 1;
		return 1;
	}
	for (p = 1; ; p *= 10) {
		for (i = 0; i < 3; i++)
			if ((s = nice[i] * p) * 5 >= max)
				break;
		if (i < 3 || p > max)
			break;
	}
	*step = s;
	n = (max + s - 1) / s;
	return n < 1 ? 1 : (int)n;
}

static json_t *
chart_new(const char *id, const char *title, const char *desc)
{
	return json_pack("{s:s, s:i, s:s, s:s, s:b, s:[], s:[], s:[], s:[], "
	    "s:[]}", "id", id, "w", SVG_W, "title", title, "desc", desc,
	    "empty", 0, "lines", "rects", "paths", "texts", "legend");
}

static void
add_line(json_t *c, long x1, long y1, long x2, long y2, const char *cls)
{
	json_array_append_new(json_object_get(c, "lines"), json_pack(
	    "{s:I, s:I, s:I, s:I, s:s}", "x1", (json_int_t)x1, "y1",
	    (json_int_t)y1, "x2", (json_int_t)x2, "y2", (json_int_t)y2,
	    "cls", cls));
}

static void
add_rect(json_t *c, long x, long y, long w, long h, int series)
{
	char	 cls[8];

	snprintf(cls, sizeof cls, "s%d", series % SVG_SERIES_MAX);
	json_array_append_new(json_object_get(c, "rects"), json_pack(
	    "{s:I, s:I, s:I, s:I, s:s}", "x", (json_int_t)x, "y",
	    (json_int_t)y, "w", (json_int_t)w, "h", (json_int_t)h, "cls", cls));
}

static void
add_text(json_t *c, long x, long y, const char *text, const char *anchor,
    const char *cls)
{
	json_array_append_new(json_object_get(c, "texts"), json_pack(
	    "{s:I, s:I, s:s, s:s, s:s}", "x", (json_int_t)x, "y",
	    (json_int_t)y, "text", text, "anchor", anchor, "cls", cls));
}

static void
add_legend(json_t *c, const char *const *series, int nseries)
{
	char	 cls[8];
	int	 s;

	if (nseries < 2)
		return;
	for (s = 0; s < nseries; s++) {
		snprintf(cls, sizeof cls, "s%d", s % SVG_SERIES_MAX);
		json_array_append_new(json_object_get(c, "legend"), json_pack(
		    "{s:s, s:s}", "name", series[s], "cls", cls));
	}
}

static void
set_empty(json_t *c, int h)
{
	json_object_set_new(c, "empty", json_true());
	json_object_set_new(c, "h", json_integer(h));
}

static void
tick_text(char *s, size_t n, long v)
{
	snprintf(s, n, "%ld", v);
}

/* The bars of one group from y; the y after them. */
static long
hbar_group(json_t *c, long y, const long *v, int nseries, long top,
    const char *unit)
{
	long	 w, pw = SVG_W - PAD - VALUE_W;
	char	 s[48];
	int	 i;

	for (i = 0; i < nseries; i++, y += BAR_STEP) {
		if (v[i] < 0) {
			add_text(c, PAD + 4, y + BAR_H - 2, "none", "start", "val");
			continue;
		}
		w = v[i] * pw / top;
		add_rect(c, PAD, y, w, BAR_H, i);
		snprintf(s, sizeof s, "%ld%s%s", v[i], *unit != '\0' ? " " : "",
		    unit);
		add_text(c, PAD + w + 4, y + BAR_H - 2, s, "start", "val");
	}
	return y;
}

json_t *
svg_hbars(const char *id, const char *title, const char *desc,
    const char *const *groups, int ngroups, const char *const *series,
    int nseries, const long *values, const char *unit)
{
	json_t	*c = chart_new(id, title, desc);
	long	 max = -1, step, top, x, y = 4, pw = SVG_W - PAD - VALUE_W;
	int	 g, i, n;
	char	 s[32];

	for (i = 0; i < ngroups * nseries; i++)
		if (values[i] > max)
			max = values[i];
	if (ngroups <= 0 || nseries <= 0 || max < 0) {
		set_empty(c, 0);
		return c;
	}
	if (unit == NULL)
		unit = "";
	n = svg_ticks(max, &step);
	top = n * step;
	add_legend(c, series, nseries);
	for (g = 0; g < ngroups; g++) {
		add_text(c, PAD + 4, y + LABEL_H - 4, groups[g], "start", "lbl");
		y = hbar_group(c, y + LABEL_H, values + g * nseries, nseries,
		    top, unit) + GROUP_GAP;
	}
	for (i = 0; i <= n; i++) {
		x = PAD + i * step * pw / top;
		add_line(c, x, 2, x, y, i == 0 ? "axis" : "grid");
		tick_text(s, sizeof s, i * step);
		add_text(c, x, y + 17, s, i == 0 ? "start" : "middle", "tick");
	}
	add_line(c, PAD, y, PAD + pw, y, "axis");
	json_object_set_new(c, "h", json_integer(y + AXIS_H));
	return c;
}

/* The y of value v on an area chart's axis up to top. */
static long
area_y(long v, long top)
{
	return AREA_T + (AREA_H - AREA_T - AREA_B) * (top - v) / top;
}

/* Layer s as a closed path between its lower and upper edges. */
static void
area_layer(json_t *c, const long *values, int nx, int nseries, int s,
    long top)
{
	long		 pw = SVG_W - AREA_L - AREA_R, lo, hi, x;
	struct buf	 b;
	char		 cls[8];
	int		 i, k;

	buf_init(&b);
	for (i = 0; i < nx; i++) {
		for (hi = 0, k = 0; k <= s; k++)
			hi += values[i * nseries + k];
		x = AREA_L + i * pw / (nx - 1);
		buf_printf(&b, "%s%ld %ld", i == 0 ? "M" : " L", x,
		    area_y(hi, top));
	}
	for (i = nx - 1; i >= 0; i--) {
		for (lo = 0, k = 0; k < s; k++)
			lo += values[i * nseries + k];
		x = AREA_L + i * pw / (nx - 1);
		buf_printf(&b, " L%ld %ld", x, area_y(lo, top));
	}
	buf_puts(&b, " Z");
	snprintf(cls, sizeof cls, "s%d", s % SVG_SERIES_MAX);
	json_array_append_new(json_object_get(c, "paths"), json_pack(
	    "{s:s, s:s}", "d", b.s, "cls", cls));
	buf_free(&b);
}

/* One point: a stacked column in the middle. */
static void
area_column(json_t *c, const long *values, int nseries, long top)
{
	long	 pw = SVG_W - AREA_L - AREA_R, lo = 0, hi;
	int	 s;

	for (s = 0; s < nseries; s++) {
		hi = lo + values[s];
		if (hi > lo)
			add_rect(c, AREA_L + pw * 3 / 8, area_y(hi, top),
			    pw / 4, area_y(lo, top) - area_y(hi, top), s);
		lo = hi;
	}
}

static void
area_axes(json_t *c, const char *const *xlabels, int nx, int n, long step)
{
	long	 pw = SVG_W - AREA_L - AREA_R, top = n * step, x, y;
	int	 i, every = (nx + XLABELS - 1) / XLABELS;
	char	 s[32];

	for (i = 0; i <= n; i++) {
		y = area_y(i * step, top);
		add_line(c, AREA_L, y, AREA_L + pw, y, i == 0 ? "axis" :
		    "grid");
		tick_text(s, sizeof s, i * step);
		add_text(c, AREA_L - 4, y + 4, s, "end", "tick");
	}
	add_line(c, AREA_L, AREA_T, AREA_L, AREA_H - AREA_B, "axis");
	for (i = 0; i < nx; i++) {
		if ((nx - 1 - i) % every != 0)
			continue;
		x = nx == 1 ? AREA_L + pw / 2 : AREA_L + i * pw / (nx - 1);
		add_text(c, x, AREA_H - AREA_B + 18, xlabels[i], nx == 1 ?
		    "middle" : i == nx - 1 ? "end" : i == 0 ? "start" :
		    "middle", "tick");
	}
}

json_t *
svg_area(const char *id, const char *title, const char *desc,
    const char *const *xlabels, int nx, const char *const *series,
    int nseries, const long *values)
{
	json_t	*c = chart_new(id, title, desc);
	long	 max = 0, sum, step;
	int	 i, s, n;

	for (i = 0; i < nx; i++) {
		for (sum = 0, s = 0; s < nseries; s++)
			sum += values[i * nseries + s] > 0 ?
			    values[i * nseries + s] : 0;
		if (sum > max)
			max = sum;
	}
	if (nx <= 0 || nseries <= 0 || max == 0) {
		set_empty(c, 0);
		return c;
	}
	n = svg_ticks(max, &step);
	add_legend(c, series, nseries);
	area_axes(c, xlabels, nx, n, step);
	if (nx == 1)
		area_column(c, values, nseries, n * step);
	else
		for (s = 0; s < nseries; s++)
			area_layer(c, values, nx, nseries, s, n * step);
	json_object_set_new(c, "h", json_integer(AREA_H));
	return c;
}
