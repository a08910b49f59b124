/*
 * Outgoing mail.  Every message is written to the outbox table in the
 * caller's transaction, so a mail exists exactly when the change that
 * caused it was stored.  smtp.c delivers the outbox when an SMTP server is
 * configured and records each message's delivery; a coordinator sees
 * their association's on /coordinator/outbox, the operator all of them
 * with `endorse outbox`.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "web.h"
#include "banned.h"

/* A header value with CR or LF in it would end the header and start
   others (Bcc:, a second body): refuse it where it enters. */
static int
header_safe(const char *s)
{
	return s != NULL && *s != '\0' && strpbrk(s, "\r\n") == NULL;
}

int
mail_send(const struct mail *m)
{
	struct dbq	*st;

	if (!header_safe(m->to) || !header_safe(m->subject) ||
	    m->body == NULL) {
		fprintf(stderr, "endorse: mail: refused a message with CR or "
		    "LF in its recipient or subject\n");
		return -1;
	}
	st = db_stmt(S_OUTBOX_INSERT);
	db_bind_text(st, "$to", m->to);
	db_bind_text(st, "$subject", m->subject);
	db_bind_text(st, "$body", m->body);
	db_bind_text(st, "$assoc", m->association);
	db_bind_int(st, "$secret", m->secret);
	db_bind_int(st, "$now", db_now());
	return db_exec(st);
}

/*
 * Mail that a person causes is limited, so that the server cannot be
 * made to flood an address (reset links, rating requests, "you already
 * have an account") or to send without end from one account.  Counted
 * before the message is made, whatever happens after: a reset for an
 * address without an account counts as one with.
 */
int
mail_limit(struct arena *a, int64_t account, const char *to,
    struct derr *e)
{
	struct row_mail_log_count	 row;
	struct dbq			*st;
	int64_t				 now = db_now();
	int				 rc;

	st = db_stmt(S_MAIL_LOG_COUNT);
	db_bind_text(st, "$to", to);
	db_bind_int(st, "$hour", now - 3600);
	db_bind_int(st, "$account", account);
	db_bind_int(st, "$day", now - 86400);
	rc = row_mail_log_count(st, NULL, &row);
	db_reset(st);
	if (rc != DB_ROW)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	if (row.by_recipient >= cfg.mail_per_recipient)
		return derr_set(e, a, 429, NULL, "too many messages to %s: at "
		    "most %d an hour go to one address; try again later", to,
		    cfg.mail_per_recipient);
	if (account != 0 && row.by_account >= cfg.mail_per_account)
		return derr_set(e, a, 429, NULL, "too many messages from your "
		    "account: at most %d a day; try again tomorrow",
		    cfg.mail_per_account);
	st = db_stmt(S_MAIL_LOG_INSERT);
	db_bind_text(st, "$to", to);
	if (account != 0)
		db_bind_int(st, "$account", account);
	else
		db_bind_null(st, "$account");
	db_bind_int(st, "$now", now);
	if (db_exec(st) != 0)
		return derr_set(e, a, 503, NULL, "the database is busy; try "
		    "again");
	st = db_stmt(S_MAIL_LOG_PURGE);
	db_bind_int(st, "$before", now - 86400);
	db_exec(st);
	return 0;
}

static int
ascii_only(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/*
 * RFC 2047 "B" encoded-words of at most 39 bytes of text each (52 base64
 * characters, a word of 64 with its =?UTF-8?B? ?= frame), so that the
 * Subject: line stays under 78 characters; a word never ends inside a
 * UTF-8 sequence, as RFC 2047 section 5 asks.  Words are folded onto
 * lines of their own.
 */
static void
encode_words(struct buf *b, const char *s)
{
	char	 b64[64];
	size_t	 len = strlen(s), n;
	int	 first = 1;

	while (len > 0) {
		n = len < 39 ? len : 39;
		while (n < len && n > 1 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s, n,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", b64);
		first = 0;
		s += n;
		len -= n;
	}
}

static void
format_date(int64_t t, char out[64])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	snprintf(out, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
mail_format(struct buf *b, const char *from, const char *to,
    const char *subject, const char *body, int64_t date, const char *msgid)
{
	char		 d[64];
	const char	*p;

	format_date(date, d);
	buf_printf(b, "From: %s\r\nTo: %s\r\nSubject: ", from, to);
	if (ascii_only(subject))
		buf_puts(b, subject);
	else
		encode_words(b, subject);
	buf_printf(b, "\r\nDate: %s\r\nMessage-ID: <%s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n", d, msgid);
	/* Every line end becomes CRLF (bare LF and bare CR alike). */
	for (p = body; *p != '\0'; p++) {
		if (*p == '\r') {
			buf_add(b, "\r\n", 2);
			if (p[1] == '\n')
				p++;
		} else if (*p == '\n')
			buf_add(b, "\r\n", 2);
		else
			buf_add(b, p, 1);
	}
	if (p == body || (p[-1] != '\n' && p[-1] != '\r'))
		buf_add(b, "\r\n", 2);
}

/* A time as people in the US write it, to the minute: "March 5, 2027
   at 14:03 UTC" (issue 16). */
static void
format_when(int64_t t, char out[64])
{
	char	 d[DATE_US_MAX];

	snprintf(out, 64, "%s at %02d:%02d UTC", date_us((int32_t)(t /
	    86400), d, sizeof d), (int)(t % 86400 / 3600),
	    (int)(t % 3600 / 60));
}

/* An outbox row's delivery status in words, for the outbox pages, the
   applicant's and the coordinator's rating requests and `endorse
   outbox`: "waiting to be sent", "sent March 5, 2027", "retrying: ...",
   "failed after 4 attempts: reason". */
char *
mail_outbox_words(struct arena *a, enum outbox_status status, int attempts,
    const char *last_error, int64_t sent_at, int64_t next_try)
{
	char	 w[64];

	if (last_error == NULL)
		last_error = "no reason given";
	switch (status) {
	case OUTBOX_QUEUED:
		return arena_strdup(a, "waiting to be sent");
	case OUTBOX_SENT:
		return arena_printf(a, "sent %s", date_us((int32_t)(sent_at /
		    86400), w, sizeof w));
	case OUTBOX_RETRY:
		format_when(next_try, w);
		return arena_printf(a, "retrying: %d attempt%s failed (%s); "
		    "next try %s", attempts, attempts == 1 ? "" : "s",
		    last_error, w);
	case OUTBOX_FAILED:
		return arena_printf(a, "failed after %d attempt%s: %s",
		    attempts, attempts == 1 ? "" : "s", last_error);
	default:
		return arena_strdup(a, db_enum_word(outbox_status, status));
	}
}
