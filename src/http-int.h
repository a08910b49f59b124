/*
 * http.c and http-guard.c: what a request may hold of the server while it
 * is read (buffered body bytes per address and in all; its total time).
 */
#ifndef HTTP_INT_H
#define HTTP_INT_H

#include <microhttpd.h>

/* 0, or the status to refuse with (429 this address, 503 the server). */
int	 guard_hold(const char *ip, long n);
void	 guard_release(const char *ip, long n);
enum MHD_Result guard_accept(void *, const struct sockaddr *, socklen_t);
void	 guard_notify(void *, struct MHD_Connection *, void **,
	    enum MHD_ConnectionNotificationCode);
void	 guard_request_done(struct MHD_Connection *);
int	 guard_expired(struct MHD_Connection *);
int	 guard_start(void);
void	 guard_stop(void);

#endif
