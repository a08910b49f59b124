/*
 * Charts drawn by the server (svg.c): a chart is computed here as a view
 * of plain shapes (lines, rectangles, paths, texts, all in whole units
 * of a viewBox), which templates/coord/chart.html draws as inline SVG.
 * Every text (a title, a category's name, a city a user typed) reaches
 * the page through the template engine's escaping like any other value:
 * this module writes no markup.
 */
#ifndef SVG_H
#define SVG_H

#include <jansson.h>

#define SVG_W		400	/* the viewBox's width: fits 375 px */
#define SVG_SERIES_MAX	8	/* colours (classes s0 to s7) */

/*
 * The axis of a chart up to max (>= 0): the step between ticks, 1, 2 or
 * 5 times a power of ten, at least max / 5, and the number of steps that
 * reach max (at least 1); the ticks are 0, step, ... nsteps * step.
 */
int		 svg_ticks(long max, long *step);

/*
 * Horizontal bars: ngroups groups (a label each), nseries bars in each
 * (values[g * nseries + s], a negative value: no bar, "none"), an axis
 * of ticks under them.  unit follows each value ("days", or "").  The
 * view: id, w, h, title, desc, empty (no group, or every value missing),
 * lines, rects, paths, texts and legend (the series' names with their
 * classes, when more than one).
 */
json_t		*svg_hbars(const char *id, const char *title, const char *desc,
		    const char *const *groups, int ngroups,
		    const char *const *series, int nseries, const long *values,
		    const char *unit);
/*
 * A stacked area over nx points of x (labels xlabels, some shown under
 * the axis), nseries layers (values[x * nseries + s] >= 0), a y axis of
 * ticks.  One point is drawn as a stacked column.  The same view.
 */
json_t		*svg_area(const char *id, const char *title, const char *desc,
		    const char *const *xlabels, int nx,
		    const char *const *series, int nseries, const long *values);

#endif
