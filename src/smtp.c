/*
 * Delivery of the outbox over SMTP with libcurl.  `endorse serve` starts
 * one thread when smtp_host is set; it has its own SQLite connection,
 * looks for due messages (queued, or retry whose next_try has come) every
 * smtp_poll seconds, sends each in its own SMTP session and records the
 * outcome on the row: sent (sent_at), retry (attempts, last_error and
 * next_try after an exponential backoff: smtp_backoff seconds, doubled
 * per failure, at most an hour) or failed once smtp_max_attempts tries
 * have failed.  A message is taken from the store one at a time, so a
 * slow server delays the others but never holds a transaction open.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "web.h"
#include "banned.h"

#define SMTP_BACKOFF_MAX	3600	/* seconds between two tries, at most */

struct smtp_msg {
	int64_t	 id;
	char	*to;
	char	*subject;
	char	*body;
	int	 attempts;
	int64_t	 created;
};

struct smtp_upload {
	const char	*p;
	size_t		 left;
};

static pthread_t	 smtp_thread;
static int		 smtp_running;
static int		 smtp_stopping;
static pthread_mutex_t	 smtp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 smtp_wake = PTHREAD_COND_INITIALIZER;

static int
smtp_stop_requested(void)
{
	int	 s;

	pthread_mutex_lock(&smtp_lock);
	s = smtp_stopping;
	pthread_mutex_unlock(&smtp_lock);
	return s;
}

static size_t
smtp_read(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct smtp_upload	*u = arg;
	size_t			 n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(ptr, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* Called by libcurl about once a second and on progress: a non-zero
   answer ends the transfer, so that shutdown does not wait for a slow or
   silent server. */
static int
smtp_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	(void)arg;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return smtp_stop_requested();
}

/* One message in one SMTP session; 0, or -1 with err filled. */
static int
smtp_deliver(const struct smtp_msg *m, char *err, size_t errlen)
{
	CURL			*c;
	struct curl_slist	*rcpt = NULL;
	struct smtp_upload	 u;
	struct buf		 b;
	char			 url[1024], from[512], to[512], msgid[512];
	char			 errbuf[CURL_ERROR_SIZE];
	const char		*domain;
	CURLcode		 rc;
	long			 code = 0;
	int			 port;

	if ((domain = strrchr(cfg.smtp_from, '@')) != NULL &&
	    domain[1] != '\0')
		domain++;
	else
		domain = "localhost";
	/* Stable across retries, so a receiver can tell a repeat. */
	snprintf(msgid, sizeof msgid, "endorse.%lld.%lld@%s",
	    (long long)m->id, (long long)m->created, domain);
	snprintf(from, sizeof from, "<%s>", cfg.smtp_from);
	snprintf(to, sizeof to, "<%s>", m->to);
	port = cfg.smtp_port != 0 ? cfg.smtp_port :
	    cfg.smtp_starttls ? 587 : 25;
	snprintf(url, sizeof url, strchr(cfg.smtp_host, ':') != NULL ?
	    "smtp://[%s]:%d/%s" : "smtp://%s:%d/%s", cfg.smtp_host, port,
	    domain);

	buf_init(&b);
	mail_format(&b, cfg.smtp_from, m->to, m->subject, m->body,
	    m->created, msgid);
	u.p = b.s;
	u.left = b.len;
	if ((c = curl_easy_init()) == NULL) {
		buf_free(&b);
		snprintf(err, errlen, "libcurl did not start a transfer");
		return -1;
	}
	rcpt = curl_slist_append(rcpt, to);
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, smtp_progress);
	if (cfg.smtp_starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cfg.smtp_user != NULL && *cfg.smtp_user != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg.smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg.smtp_password != NULL ?
		    cfg.smtp_password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)b.len);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (code != 0)
			snprintf(err, errlen, "%s (server said %ld)",
			    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc),
			    code);
		else
			snprintf(err, errlen, "%s", errbuf[0] != '\0' ?
			    errbuf : curl_easy_strerror(rc));
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	buf_free(&b);
	return rc == CURLE_OK ? 0 : -1;
}

/* Seconds to wait after the attempts-th failed try. */
static int64_t
smtp_backoff(int attempts)
{
	int64_t	 d = cfg.smtp_backoff, cap = SMTP_BACKOFF_MAX;
	int	 i;

	if (cap < d)
		cap = d;
	for (i = 1; i < attempts && d < cap; i++)
		d *= 2;
	return d < cap ? d : cap;
}

static void
smtp_msg_free(struct smtp_msg *m)
{
	free(m->to);
	free(m->subject);
	free(m->body);
}

/* Deliver the most overdue message: 1 when one was tried, 0 when none is
   due (or the store failed: the next poll tries again). */
static int
smtp_one(void)
{
	struct dbq		*st;
	struct row_outbox_due	 due;
	struct smtp_msg		 m;
	char			 err[CURL_ERROR_SIZE + 64], ids[24], att[16];
	int64_t			 now = db_now();
	int			 attempts, rc;

	st = db_stmt(S_OUTBOX_DUE);
	db_bind_int(st, "$now", now);
	/* None due, or the read failed (logged by the store): either way
	   the next poll looks again. */
	if (row_outbox_due(st, NULL, &due) != DB_ROW) {
		db_reset(st);
		return 0;
	}
	m.id = due.id;
	m.to = xstrdup(due.recipient);
	m.subject = xstrdup(due.subject);
	m.body = xstrdup(due.body);
	m.attempts = (int)due.attempts;
	m.created = due.created;
	db_reset(st);

	rc = smtp_deliver(&m, err, sizeof err);
	if (rc != 0 && smtp_stop_requested()) {
		/* Interrupted by shutdown: not an attempt; the row stays
		   due for the next start. */
		smtp_msg_free(&m);
		return 0;
	}
	attempts = m.attempts + 1;
	if (rc == 0) {
		st = db_stmt(S_OUTBOX_SENT);
		db_bind_int(st, "$id", m.id);
		db_bind_int(st, "$now", db_now());
	} else {
		st = db_stmt(S_OUTBOX_RETRY);
		db_bind_int(st, "$id", m.id);
		db_bind_text(st, "$error", err);
		if (attempts >= cfg.smtp_max_attempts) {
			db_bind_enum(st, "$status", outbox_status,
			    OUTBOX_FAILED);
			db_bind_int(st, "$next", 0);
			snprintf(ids, sizeof ids, "%lld", (long long)m.id);
			snprintf(att, sizeof att, "%d", attempts);
			log_event("error", "smtp-failed", "message", ids,
			    "attempts", att, "error", err, (const char *)NULL);
		} else {
			db_bind_enum(st, "$status", outbox_status,
			    OUTBOX_RETRY);
			db_bind_int(st, "$next", db_now() +
			    smtp_backoff(attempts));
			snprintf(ids, sizeof ids, "%lld", (long long)m.id);
			snprintf(att, sizeof att, "%d", attempts);
			log_event("warning", "smtp-retry", "message", ids,
			    "attempts", att, "error", err, (const char *)NULL);
		}
	}
	smtp_msg_free(&m);
	return db_exec(st) == 0 ? 1 : 0;
}

static void *
smtp_loop(void *arg)
{
	struct timespec	 ts;
	int		 stop;

	(void)arg;
	for (;;) {
		while (!smtp_stop_requested() && smtp_one() == 1)
			continue;
		pthread_mutex_lock(&smtp_lock);
		if (!smtp_stopping) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += cfg.smtp_poll;
			pthread_cond_timedwait(&smtp_wake, &smtp_lock, &ts);
		}
		stop = smtp_stopping;
		pthread_mutex_unlock(&smtp_lock);
		if (stop)
			break;
	}
	db_shutdown();
	return NULL;
}

int
smtp_start(void)
{
	if (cfg.smtp_host == NULL || *cfg.smtp_host == '\0')
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "endorse: smtp: libcurl did not start\n");
		return -1;
	}
	smtp_stopping = 0;
	if (pthread_create(&smtp_thread, NULL, smtp_loop, NULL) != 0) {
		fprintf(stderr, "endorse: smtp: no delivery thread\n");
		curl_global_cleanup();
		return -1;
	}
	smtp_running = 1;
	return 0;
}

/* Wake the thread, let it finish (or abort) the message in hand, join. */
void
smtp_stop(void)
{
	if (!smtp_running)
		return;
	pthread_mutex_lock(&smtp_lock);
	smtp_stopping = 1;
	pthread_cond_signal(&smtp_wake);
	pthread_mutex_unlock(&smtp_lock);
	pthread_join(smtp_thread, NULL);
	smtp_running = 0;
	curl_global_cleanup();
}
