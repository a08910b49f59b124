/*
 * The coordinator's reports (dom-report.c): figures of one association's
 * applications, renewals and endorsees, computed from the store's rows
 * (store-report.def) for the reports page (page-reports.c).
 */
#ifndef DOM_REPORT_H
#define DOM_REPORT_H

#include <stdint.h>

#include "store.h"

struct arena;
struct actor;
struct derr;

#define REPORT_MONTHS_MAX	24	/* the longest period shown */
#define REPORT_CATS_MAX		64	/* categories of one association */
#define REPORT_CITIES		15	/* cities listed, the most first */

/* Days between two events over a set: how many, the median and the
   90th percentile (nearest rank; -1 when there is none). */
struct report_span {
	int		 n;
	int		 median;
	int		 p90;
};

struct report_cat {
	const char	*code;
	struct report_span to_submit;	/* started to first submitted */
	struct report_span to_decision;	/* submitted to decided */
};

struct report {
	int		 months;	/* of the period, 12 or 24 */
	int32_t		 since;		/* its first day */
	int32_t		 month_end[REPORT_MONTHS_MAX];	/* today for the last */
	int		 by_month[REPORT_MONTHS_MAX][app_status__N];
	int		 napps;		/* in all, whatever their date */
	int		 now[app_status__N];
	struct report_span wait[app_status__N];
	struct report_cat *cats;
	int		 ncats;
	struct row_report_renewal *renewals;
	int		 nrenewals;
	struct row_report_count *by_category;
	int		 ncategories;
	struct row_report_count *by_city;
	int		 ncities;
};

/*
 * The figures of the actor's association over the last months (12 or
 * 24; any other number is 12) up to today, in the arena.  Only an
 * association's coordinator may ask (403).  Runs in the caller's read
 * transaction.  0, or -1 and e.
 */
int		 report_build(const struct actor *, struct arena *, int months,
		    int32_t today, struct report *, struct derr *);
/* The p-th percentile (0 < p <= 100) of n values sorted ascending, by
   the nearest-rank method: the value of rank ceil(p / 100 * n), 1-based;
   -1 when n is 0. */
int		 report_percentile(const int *sorted, int n, int p);
/* Whether an application status is open (the application still moves):
   draft, submitted, exam, deferred. */
int		 report_open_status(enum app_status);

#endif
