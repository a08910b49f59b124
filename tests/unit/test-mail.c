/* Outgoing mail: the RFC 5322 text handed to SMTP, the header-injection
   guard, the delivery status in words. */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "unit.h"

void test_mail_format(void);
void test_mail_format_encoded_subject(void);
void test_mail_refuses_crlf(void);
void test_mail_status(void);

void
test_mail_format(void)
{
	struct buf	 b;

	buf_init(&b);
	mail_format(&b, "endorse@example.org", "ann@example.org",
	    "Welcome to Endorse", "Dear Ann,\n\nline two\r\nend", 1795435200,
	    "endorse.7.1795435200@example.org");
	CHECK_STR(b.s, "From: endorse@example.org\r\n"
	    "To: ann@example.org\r\n"
	    "Subject: Welcome to Endorse\r\n"
	    "Date: Mon, 23 Nov 2026 12:00:00 +0000\r\n"
	    "Message-ID: <endorse.7.1795435200@example.org>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n"
	    "Dear Ann,\r\n\r\nline two\r\nend\r\n");
	buf_free(&b);

	/* A body that ends with a line end gets no second one; a bare CR
	   is a line end too. */
	buf_init(&b);
	mail_format(&b, "f@x", "t@x", "s", "a\rb\n", 0, "m@x");
	CHECK(strstr(b.s, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n") != NULL);
	CHECK(strlen(b.s) > 8 &&
	    strcmp(b.s + strlen(b.s) - 8, "\r\na\r\nb\r\n") == 0);
	buf_free(&b);
}

void
test_mail_format_encoded_subject(void)
{
	struct buf	 b;
	char		 subject[64];

	buf_init(&b);
	mail_format(&b, "f@x", "t@x", "R\xc3\xa9initialisez votre mot de "
	    "passe Endorse, s\xe2\x80\x99il vous pla\xc3\xaet", "x", 0, "m@x");
	CHECK(strstr(b.s, "Subject: =?UTF-8?B?UsOpaW5pdGlhbGlzZXogdm90cmUgbW90"
	    "IGRlIHBhc3NlIEVuZG9y?=\r\n =?UTF-8?B?c2UsIHPigJlpbCB2b3VzIHBsYcOu"
	    "dA==?=\r\nDate: ") != NULL);
	buf_free(&b);

	/* An encoded-word never splits a UTF-8 sequence: 38 ASCII bytes
	   and then a two-byte letter across the 39-byte mark. */
	memset(subject, 'a', 38);
	memcpy(subject + 38, "\xc3\xa9", 3);
	buf_init(&b);
	mail_format(&b, "f@x", "t@x", subject, "x", 0, "m@x");
	CHECK(strstr(b.s, "Subject: =?UTF-8?B?YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh"
	    "YWFhYWFhYWFhYWFhYWE=?=\r\n =?UTF-8?B?w6k=?=\r\n") != NULL);
	buf_free(&b);
}

/* Refused before the store is touched (no database is open here). */
void
test_mail_refuses_crlf(void)
{
	CHECK(mail_send(&(struct mail){ "ann@example.org\r\nBcc: x@evil",
	    "Hello", "body", NULL, 0 }) == -1);
	CHECK(mail_send(&(struct mail){ "ann@example.org\n", "Hello",
	    "body", NULL, 0 }) == -1);
	CHECK(mail_send(&(struct mail){ "ann@example.org",
	    "Hello\r\nX-Injected: 1", "body", NULL, 0 }) == -1);
	CHECK(mail_send(&(struct mail){ "ann@example.org", "Hello\r",
	    "body", NULL, 0 }) == -1);
	CHECK(mail_send(&(struct mail){ "", "Hello", "body", NULL, 0 }) == -1);
}

void
test_mail_status(void)
{
	struct arena	 a;

	arena_init(&a);
	CHECK_STR(mail_outbox_words(&a, OUTBOX_QUEUED, 0, NULL, 0, 0),
	    "waiting to be sent");
	CHECK_STR(mail_outbox_words(&a, OUTBOX_SENT, 1, NULL, 1795435200, 0),
	    "sent November 23, 2026");
	CHECK_STR(mail_outbox_words(&a, OUTBOX_RETRY, 1, "Couldn't connect", 0,
	    1795435260), "retrying: 1 attempt failed (Couldn't connect); "
	    "next try November 23, 2026 at 12:01 UTC");
	CHECK_STR(mail_outbox_words(&a, OUTBOX_FAILED, 8, "550 no such user", 0, 0),
	    "failed after 8 attempts: 550 no such user");
	arena_free(&a);
}
