/*
 * The server's log: one line per event on stderr, logfmt-style
 *
 *	ts=2026-12-01T23:50:00Z level=info event=access ip=127.0.0.1 ...
 *
 * so a log shipper (journald, Loki, any grep) reads fields, not prose.  A
 * value is written bare when it is plain, else in double quotes with \",
 * \\ and control bytes escaped (\n, \t, \xNN): whatever a client puts in
 * a path or a field, a line stays one event.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web.h"
#include "banned.h"

static void
put_value(struct buf *b, const char *v)
{
	const unsigned char	*p;
	int			 plain = *v != '\0';
	char			 esc[8];

	for (p = (const unsigned char *)v; *p != '\0' && plain; p++)
		if (*p <= ' ' || *p == '"' || *p == '=' || *p == '\\' ||
		    *p == 0x7f)
			plain = 0;
	if (plain) {
		buf_add(b, v, strlen(v));
		return;
	}
	buf_add(b, "\"", 1);
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			buf_add(b, esc, 2);
		} else if (*p == '\n')
			buf_add(b, "\\n", 2);
		else if (*p == '\t')
			buf_add(b, "\\t", 2);
		else if (*p < ' ' || *p == 0x7f) {
			snprintf(esc, sizeof esc, "\\x%02x", *p);
			buf_add(b, esc, 4);
		} else
			buf_add(b, (const char *)p, 1);
	}
	buf_add(b, "\"", 1);
}

/* level, event, then key, value pairs (strings) up to a NULL key. */
void
log_event(const char *level, const char *event, ...)
{
	struct buf	 b;
	va_list		 ap;
	const char	*k, *v;
	char		 ts[32];
	time_t		 now = (time_t)db_now();
	struct tm	 tm;

	buf_init(&b);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_printf(&b, "ts=%s level=%s event=%s", ts, level, event);
	va_start(ap, event);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		buf_printf(&b, " %s=", k);
		put_value(&b, v != NULL ? v : "");
	}
	va_end(ap);
	buf_add(&b, "\n", 1);
	/* One write: lines of two threads do not interleave. */
	fwrite(b.s, 1, b.len, stderr);
	fflush(stderr);
	buf_free(&b);
}
