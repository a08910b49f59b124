/*
 * The coordinator's reports page: GET /coordinator/reports[?months=24].
 * The figures come from dom-report.c, the charts' shapes from svg.c;
 * this file puts both in the view of templates/coord/reports.html, where
 * every chart has its figures in a table beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-report.h"
#include "svg.h"
#include "banned.h"

/* The states in words, for the page. */
static const char *const state_words[app_status__N] = {
	[APP_DRAFT] = "Draft", [APP_SUBMITTED] = "Submitted",
	[APP_EXAM] = "Approved for the exam", [APP_DEFERRED] = "Deferred",
	[APP_DENIED] = "Denied", [APP_ENDORSED] = "Endorsed",
};
static const char *const months_short[12] = { "Jan", "Feb", "Mar", "Apr",
	"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const series_days[] = { "median", "90th percentile" };

/* A number of days for a table: the number, or "none". */
static json_t *
days_text(int d)
{
	char	 s[24];

	if (d < 0)
		return json_string("none");
	snprintf(s, sizeof s, "%d", d);
	return json_string(s);
}

static json_t *
span_view(const struct report_span *s)
{
	return json_pack("{s:i, s:o, s:o}", "n", s->n, "median",
	    days_text(s->median), "p90", days_text(s->p90));
}

/* Applications by state at each month's end: the chart and the rows. */
static void
states_view(struct req *r, const struct report *rep, json_t *v)
{
	const char	*x[REPORT_MONTHS_MAX];
	long		 vals[REPORT_MONTHS_MAX * app_status__N];
	json_t		*rows = json_array(), *cells, *heads = json_array();
	char		 us[DATE_US_MAX];
	int		 m, s, y, mo, d, total;

	for (s = 0; s < app_status__N; s++)
		json_array_append_new(heads, json_pack("{s:s}", "name",
		    state_words[s]));
	for (m = 0; m < rep->months; m++) {
		date_ymd(rep->month_end[m], &y, &mo, &d);
		x[m] = arena_printf(&r->arena, "%s %d", months_short[mo - 1],
		    y);
		cells = json_array();
		for (total = 0, s = 0; s < app_status__N; s++) {
			vals[m * app_status__N + s] = rep->by_month[m][s];
			total += rep->by_month[m][s];
			json_array_append_new(cells, json_pack("{s:i}", "n",
			    rep->by_month[m][s]));
		}
		json_array_append_new(rows, json_pack("{s:s, s:o, s:i}",
		    "date", date_us(rep->month_end[m], us, sizeof us), "cells",
		    cells, "total", total));
	}
	json_object_set_new(v, "state_heads", heads);
	json_object_set_new(v, "state_rows", rows);
	json_object_set_new(v, "states_chart", svg_area("chart-states",
	    "Applications by state at each month's end",
	    arena_printf(&r->arena, "A stacked area chart: for each month from "
	    "%s to %s, how many applications were in each state (%s, %s, %s, "
	    "%s, %s, %s) at its end. The table below gives the figures.",
	    x[0], x[rep->months - 1], state_words[0], state_words[1],
	    state_words[2], state_words[3], state_words[4], state_words[5]),
	    x, rep->months, (const char *const *)state_words, app_status__N,
	    vals));
}

static int
cat_cmp(const void *a, const void *b)
{
	return strcmp(((const struct report_cat *)a)->code,
	    ((const struct report_cat *)b)->code);
}

/* Median and p90 days by category, a chart for each of the two spans. */
static void
durations_view(struct req *r, struct report *rep, json_t *v)
{
	const char	**g;
	long		*sub, *dec;
	json_t		*rows = json_array();
	int		 i, n = 0;

	qsort(rep->cats, (size_t)rep->ncats, sizeof *rep->cats, cat_cmp);
	g = arena_alloc(&r->arena, (size_t)(rep->ncats + 1) * sizeof *g);
	sub = arena_alloc(&r->arena, (size_t)(rep->ncats + 1) * 2 * sizeof *sub);
	dec = arena_alloc(&r->arena, (size_t)(rep->ncats + 1) * 2 * sizeof *dec);
	for (i = 0; i < rep->ncats; i++) {
		const struct report_cat *c = &rep->cats[i];

		json_array_append_new(rows, json_pack("{s:s, s:s, s:o, s:o}",
		    "code", c->code, "title", web_category_title(
		    r->user.association, c->code), "submit", span_view(
		    &c->to_submit), "decide", span_view(&c->to_decision)));
		if (c->to_submit.n == 0 && c->to_decision.n == 0)
			continue;
		g[n] = c->code;
		sub[2 * n] = c->to_submit.median;
		sub[2 * n + 1] = c->to_submit.p90;
		dec[2 * n] = c->to_decision.median;
		dec[2 * n + 1] = c->to_decision.p90;
		n++;
	}
	json_object_set_new(v, "durations", rows);
	json_object_set_new(v, "submit_chart", svg_hbars("chart-submit",
	    "Days from start to submission, by category", "A bar chart: for "
	    "each category, the median and the 90th percentile of the days "
	    "from starting an application to submitting it, for submissions "
	    "in the period. The table below gives the figures.", g, n,
	    series_days, 2, sub, "days"));
	json_object_set_new(v, "decide_chart", svg_hbars("chart-decide",
	    "Days from submission to decision, by category", "A bar chart: for "
	    "each category, the median and the 90th percentile of the days "
	    "from submitting an application to its decision, for decisions "
	    "in the period. The table below gives the figures.", g, n,
	    series_days, 2, dec, "days"));
}

/* Where applications wait: days in each open state, and how many are in
   each state now. */
static void
waits_view(const struct report *rep, json_t *v)
{
	const char	*g[app_status__N];
	long		 vals[app_status__N * 2];
	json_t		*rows = json_array();
	int		 s, n = 0;

	for (s = 0; s < app_status__N; s++) {
		json_array_append_new(rows, json_pack("{s:s, s:i, s:b, s:o}",
		    "state", state_words[s], "now", rep->now[s], "open",
		    report_open_status(s), "wait", span_view(&rep->wait[s])));
		if (!report_open_status(s) || rep->wait[s].n == 0)
			continue;
		g[n] = state_words[s];
		vals[2 * n] = rep->wait[s].median;
		vals[2 * n + 1] = rep->wait[s].p90;
		n++;
	}
	json_object_set_new(v, "waits", rows);
	json_object_set_new(v, "wait_chart", svg_hbars("chart-wait",
	    "Days spent in each state", "A bar chart: for each state an "
	    "application waits in, the median and the 90th percentile of the "
	    "days spent in it, counting stays that ended in the period and "
	    "those still going on. The table below gives the figures.", g, n,
	    series_days, 2, vals, "days"));
}

/* Renewal compliance per cycle. */
static void
renewals_view(struct req *r, const struct report *rep, json_t *v)
{
	static const char *const series[] = { "attested", "audited", "cured",
	    "renewed", "lapsed" };
	const char	**g;
	long		*vals;
	json_t		*rows = json_array();
	int		 i;

	g = arena_alloc(&r->arena, (size_t)(rep->nrenewals + 1) * sizeof *g);
	vals = arena_alloc(&r->arena, (size_t)(rep->nrenewals + 1) * 5 *
	    sizeof *vals);
	for (i = 0; i < rep->nrenewals; i++) {
		const struct row_report_renewal *c = &rep->renewals[i];

		g[i] = arena_printf(&r->arena, "Cycle %lld",
		    (long long)c->cycle);
		vals[5 * i] = c->attested;
		vals[5 * i + 1] = c->audited;
		vals[5 * i + 2] = c->cured;
		vals[5 * i + 3] = c->renewed;
		vals[5 * i + 4] = c->lapsed;
		json_array_append_new(rows, json_pack("{s:I, s:I, s:I, s:I, "
		    "s:I, s:I, s:I}", "cycle", (json_int_t)c->cycle, "total",
		    (json_int_t)c->total, "attested", (json_int_t)c->attested,
		    "audited", (json_int_t)c->audited, "cured",
		    (json_int_t)c->cured, "renewed", (json_int_t)c->renewed,
		    "lapsed", (json_int_t)c->lapsed));
	}
	json_object_set_new(v, "renewals", rows);
	json_object_set_new(v, "renewal_chart", svg_hbars("chart-renewals",
	    "Renewals per cycle", "A bar chart: for each renewal cycle, how "
	    "many renewals were attested, drawn for audit, cured after a "
	    "failed audit, renewed and lapsed. The table below gives the "
	    "figures.", g, rep->nrenewals, series, 5, vals, ""));
}

/* Active endorsees by category or by city: rows and a chart. */
static void
counts_view(struct req *r, const struct row_report_count *c, int n,
    int cities, json_t *v)
{
	static const char *const series[] = { "endorsees" };
	const char	**g;
	long		*vals;
	json_t		*rows = json_array();
	int		 i;

	g = arena_alloc(&r->arena, (size_t)(n + 1) * sizeof *g);
	vals = arena_alloc(&r->arena, (size_t)(n + 1) * sizeof *vals);
	for (i = 0; i < n; i++) {
		if (cities)
			g[i] = c[i].label != NULL && *c[i].label != '\0' ?
			    c[i].label : "(no city given)";
		else
			g[i] = arena_printf(&r->arena, "%s (%s)",
			    web_category_title(r->user.association, c[i].label),
			    c[i].label);
		vals[i] = c[i].n;
		json_array_append_new(rows, json_pack("{s:s, s:I}", "label",
		    g[i], "n", (json_int_t)c[i].n));
	}
	json_object_set_new(v, cities ? "by_city" : "by_category", rows);
	json_object_set_new(v, cities ? "city_chart" : "category_chart",
	    svg_hbars(cities ? "chart-city" : "chart-category", cities ?
	    "Active endorsees by city" : "Active endorsees by category",
	    cities ? "A bar chart: the number of active endorsees in each "
	    "city the registry shows, the most first. The table below gives "
	    "the figures." : "A bar chart: the number of active endorsees "
	    "in each category. The table below gives the figures.", g, n,
	    series, 1, vals, ""));
}

void
page_reports(struct req *r)
{
	struct actor	 who = req_actor(r);
	struct report	 rep;
	struct derr	 e;
	const char	*q = req_query(r, "months");
	json_t		*v;
	char		 us[DATE_US_MAX];
	int		 months = q != NULL && strcmp(q, "24") == 0 ? 24 : 12;

	if (report_build(&who, &r->arena, months, web_today(), &rep,
	    &e) != 0) {
		view_derr(r, &e);
		return;
	}
	v = json_pack("{s:s, s:i, s:b, s:b, s:s, s:i, s:b}", "association",
	    web_assoc_name(r->user.association), "months", rep.months,
	    "months12", rep.months == 12, "months24", rep.months == 24,
	    "since", date_us(rep.since, us, sizeof us), "napps", rep.napps,
	    "no_apps", rep.napps == 0);
	states_view(r, &rep, v);
	durations_view(r, &rep, v);
	waits_view(&rep, v);
	renewals_view(r, &rep, v);
	counts_view(r, rep.by_category, rep.ncategories, 0, v);
	counts_view(r, rep.by_city, rep.ncities, 1, v);
	json_object_set_new(v, "has_renewals", json_boolean(rep.nrenewals > 0));
	json_object_set_new(v, "has_endorsees", json_boolean(
	    rep.ncategories > 0));
	view_page(r, 200, "coord/reports", "Reports", v);
}
