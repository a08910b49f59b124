/*
 * What a request may hold of the server while it is read (http.c): the
 * bytes of request bodies buffered, per client address and in all, and
 * the time one request may take from its first byte to its answer.
 * MHD's own timeout (cfg.timeout) is an idle timeout: a client that sends
 * one byte every few seconds keeps it from firing.  A watchdog thread
 * shuts the socket of a connection whose current request has taken longer
 * than cfg.request_time; MHD then sees the end of the stream and closes
 * the connection, freeing what it held.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "web.h"
#include "http-int.h"
#include "banned.h"

/* One client address holding buffered body bytes. */
struct ip_held {
	struct ip_held	*next;
	char		 ip[64];
	long		 bytes;
};

/* One open connection: its socket and when its current request began. */
struct guard_slot {
	struct guard_slot	*prev, *next;
	int		 fd;
	time_t		 since;
	int		 shut;
};

static pthread_mutex_t	 guard_mu = PTHREAD_MUTEX_INITIALIZER;
static struct ip_held	*held_list;
static long		 held_total;
static struct guard_slot	*slots;
static pthread_t	 watchdog;
static int		 watchdog_on, watchdog_stop;

static time_t
now_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * Take n more buffered bytes for a request from ip: 0, or the HTTP
 * status to refuse with (429: this address holds its most, 503: the
 * server holds its most) and nothing taken.
 */
int
guard_hold(const char *ip, long n)
{
	struct ip_held	*h;
	int		 rc = 0;

	pthread_mutex_lock(&guard_mu);
	for (h = held_list; h != NULL; h = h->next)
		if (strcmp(h->ip, ip) == 0)
			break;
	if (held_total + n > cfg.max_buffered)
		rc = 503;
	else if ((h != NULL ? h->bytes : 0) + n > cfg.max_buffered_per_ip)
		rc = 429;
	else {
		if (h == NULL) {
			h = xcalloc(1, sizeof *h);
			snprintf(h->ip, sizeof h->ip, "%s", ip);
			h->next = held_list;
			held_list = h;
		}
		h->bytes += n;
		held_total += n;
	}
	pthread_mutex_unlock(&guard_mu);
	return rc;
}

/* Give back n bytes that guard_hold took for ip. */
void
guard_release(const char *ip, long n)
{
	struct ip_held	*h, **pp;

	if (n <= 0)
		return;
	pthread_mutex_lock(&guard_mu);
	for (pp = &held_list; (h = *pp) != NULL; pp = &h->next)
		if (strcmp(h->ip, ip) == 0)
			break;
	if (h != NULL) {
		h->bytes -= n;
		held_total -= n;
		if (h->bytes <= 0) {
			*pp = h->next;
			free(h);
		}
	}
	pthread_mutex_unlock(&guard_mu);
}

/* The accept policy (MHD_start_daemon's apc), called in the worker thread that will serve
   the connection: that thread's database connection is opened here, so a
   worker that cannot open it (no descriptor left, the file moved away)
   refuses the client, who may try again, instead of ending the process
   on the request's first statement.  It tries again on the next one. */
enum MHD_Result
guard_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	char	*cause = NULL;

	(void)cls;
	(void)addr;
	(void)len;
	if (db_conn_try(&cause) != NULL)
		return MHD_YES;
	fprintf(stderr, "endorse: connection refused: %s\n", cause);
	free(cause);
	return MHD_NO;
}

/* MHD_OPTION_NOTIFY_CONNECTION: a connection opened or closed.  MHD
   reports the close before it closes the socket, so the watchdog never
   shuts a descriptor that has been given to another connection. */
void
guard_notify(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo	*ci;
	struct guard_slot			*s;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(c,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		s = xcalloc(1, sizeof *s);
		s->fd = ci != NULL ? ci->connect_fd : -1;
		s->since = now_mono();
		pthread_mutex_lock(&guard_mu);
		s->next = slots;
		if (slots != NULL)
			slots->prev = s;
		slots = s;
		pthread_mutex_unlock(&guard_mu);
		*ctx = s;
		return;
	}
	if ((s = *ctx) == NULL)
		return;
	pthread_mutex_lock(&guard_mu);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		slots = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	pthread_mutex_unlock(&guard_mu);
	free(s);
	*ctx = NULL;
}

/* The connection's next request starts its clock now (a kept-alive
   connection waits between requests under MHD's idle timeout). */
void
guard_request_done(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo	*ci;
	struct guard_slot			*s;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (s = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&guard_mu);
	s->since = now_mono();
	pthread_mutex_unlock(&guard_mu);
}

/* Whether the request on c has taken longer than cfg.request_time. */
int
guard_expired(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo	*ci;
	struct guard_slot			*s;
	int				 over;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (s = ci->socket_context) == NULL)
		return 0;
	pthread_mutex_lock(&guard_mu);
	over = now_mono() - s->since > cfg.request_time;
	pthread_mutex_unlock(&guard_mu);
	return over;
}

static void *
watchdog_main(void *arg)
{
	struct guard_slot	*s;
	time_t		 now;
	int		 n, stop;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&guard_mu);
		stop = watchdog_stop;
		now = now_mono();
		n = 0;
		for (s = slots; s != NULL && !stop; s = s->next)
			if (!s->shut && s->fd >= 0 &&
			    now - s->since > cfg.request_time) {
				shutdown(s->fd, SHUT_RDWR);
				s->shut = 1;
				n++;
			}
		pthread_mutex_unlock(&guard_mu);
		if (stop)
			return NULL;
		if (n > 0) {
			char	 num[16], secs[16];

			snprintf(num, sizeof num, "%d", n);
			snprintf(secs, sizeof secs, "%d", cfg.request_time);
			log_event("warning", "request_time", "closed", num,
			    "limit_s", secs, (const char *)NULL);
		}
		usleep(250 * 1000);
	}
}

int
guard_start(void)
{
	watchdog_stop = 0;
	if (pthread_create(&watchdog, NULL, watchdog_main, NULL) != 0)
		return -1;
	watchdog_on = 1;
	return 0;
}

void
guard_stop(void)
{
	if (!watchdog_on)
		return;
	pthread_mutex_lock(&guard_mu);
	watchdog_stop = 1;
	pthread_mutex_unlock(&guard_mu);
	pthread_join(watchdog, NULL);
	watchdog_on = 0;
}
