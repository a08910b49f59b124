/*
 * Small helpers: checked allocation, dates, bounded strings.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "endorse.h"
#include "banned.h"

static void
oom(void)
{
	fputs("endorse: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		oom();
	if ((p = realloc(p, n * sz == 0 ? 1 : n * sz)) == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	size_t	 n = strlen(s) + 1;
	char	*p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	*out = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(*out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return n;
}

/* Days from civil, after Howard Hinnant's algorithm. */
int32_t
date_from_ymd(int y, int m, int d)
{
	int		 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void
date_ymd(int32_t z, int *yp, int *mp, int *dp)
{
	int		 era, doe, yoe, y, doy, mp_, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp_ = (5 * doy + 2) / 153;
	d = doy - (153 * mp_ + 2) / 5 + 1;
	m = mp_ < 10 ? mp_ + 3 : mp_ - 9;
	*yp = y + (m <= 2);
	*mp = m;
	*dp = d;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Strict YYYY-MM-DD, years 1900-2199. */
int
date_parse(const char *s, int32_t *out)
{
	int	 y, m, d, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

void
date_format(int32_t day, char out[11])
{
	int	 y, m, d;

	date_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* A day as people in the US write it: "March 5, 2027" (issue 16).  For
   pages and mails; JSON, CSV and the API keep YYYY-MM-DD. */
const char *
date_us(int32_t day, char *out, size_t sz)
{
	static const char *const month[] = { "January", "February",
	    "March", "April", "May", "June", "July", "August", "September",
	    "October", "November", "December" };
	int	 y, m, d;

	date_ymd(day, &y, &m, &d);
	if (m < 1 || m > 12)
		m = 1;
	snprintf(out, sz, "%s %d, %d", month[m - 1], d, y);
	return out;
}

/* "2027-03-05" as "March 5, 2027"; anything else as it came. */
const char *
date_us_text(const char *iso, char *out, size_t sz)
{
	int32_t	 d;

	if (iso != NULL && date_parse(iso, &d) == 0)
		return date_us(d, out, sz);
	snprintf(out, sz, "%s", iso != NULL ? iso : "");
	return out;
}

/* Hundredths of a year in years and whole months: 948 is "9 years 6
   months", 200 "2 years", 50 "6 months" (issue 16). */
const char *
years_text(centi v, char *out, size_t sz)
{
	long	 months = v < 0 ? 0 : (v * 12 + 50) / 100;
	long	 y = months / 12, m = months % 12;

	if (y > 0 && m > 0)
		snprintf(out, sz, "%ld year%s %ld month%s", y, y == 1 ? "" :
		    "s", m, m == 1 ? "" : "s");
	else if (m > 0)
		snprintf(out, sz, "%ld month%s", m, m == 1 ? "" : "s");
	else
		snprintf(out, sz, "%ld year%s", y, y == 1 ? "" : "s");
	return out;
}

/* ENDORSE_NOW=YYYY-MM-DD fixes the clock for tests. */
int32_t
date_today(void)
{
	const char	*now = getenv("ENDORSE_NOW");
	int32_t		 d;
	time_t		 t;
	struct tm	 tm;

	if (now != NULL && date_parse(now, &d) == 0)
		return d;
	t = time(NULL);
	gmtime_r(&t, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The same day N months later, clamped to the month's end. */
int32_t
date_add_months(int32_t day, int months)
{
	int	 y, m, d, dim;

	date_ymd(day, &y, &m, &d);
	if (months >= 0) {
		/* The common case (a span, a deadline): no negative
		   remainders to correct. */
		m += months - 1;
		y += m / 12;
		m = m % 12 + 1;
	} else {
		m += months;
		y += (m - 1) / 12 - ((m - 1) < 0 && (m - 1) % 12 != 0);
		m = ((m - 1) % 12 + 12) % 12 + 1;
	}
	dim = days_in_month(y, m);
	return date_from_ymd(y, m, d > dim ? dim : d);
}

/* Whole years from a to b (b >= a): anniversaries passed. */
int
whole_years_between(int32_t a, int32_t b)
{
	int	 ya, ma, da, yb, mb, db, n;

	if (b < a)
		return 0;
	date_ymd(a, &ya, &ma, &da);
	date_ymd(b, &yb, &mb, &db);
	n = yb - ya;
	if (mb < ma || (mb == ma && db < da))
		n--;
	return n;
}

void
centi_format(centi c, char *out, size_t sz)
{
	const char	*sign = c < 0 ? "-" : "";
	long		 a = c < 0 ? -c : c;

	if (a % 100 == 0)
		snprintf(out, sz, "%s%ld", sign, a / 100);
	else if (a % 10 == 0)
		snprintf(out, sz, "%s%ld.%ld", sign, a / 100, (a % 100) / 10);
	else
		snprintf(out, sz, "%s%ld.%02ld", sign, a / 100, a % 100);
}

void
buf_init(struct buf *b)
{
	b->s = NULL;
	b->len = b->cap = b->max = 0;
	b->over = 0;
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	size_t	 want, max = b->max != 0 && b->max < BUF_MAX ? b->max :
		    BUF_MAX;

	if (b->over || n > max - b->len) {
		b->over = 1;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		want = b->cap == 0 ? 64 : b->cap;
		while (want < b->len + n + 1)
			want *= 2;
		b->s = xreallocarray(b->s, want, 1);
		b->cap = want;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 aq;
	char	*s;
	int	 n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		b->over = 1;
		return;
	}
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	buf_add(b, s, (size_t)n);
	free(s);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_free(struct buf *b)
{
	free(b->s);
	buf_init(b);
}
