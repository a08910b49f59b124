/*
 * libFuzzer target: the whole HTTP front end as a client sees it.
 *
 * LLVMFuzzerInitialize() runs `endorse serve` itself (serve_main(), in a
 * thread of its own, as main() would) on 127.0.0.1 and a free port, with
 * a fresh database in a temporary directory, the shipped rule sets
 * (./rules), templates and static files (./templates, ./static: run from
 * the repository root, as tests/fuzz/run does), small body and field
 * caps so that short inputs reach them, cheap password hashing and no
 * scheduler.  It then registers an applicant the way a browser does
 * (GET /register, POST /register, then POST /login) to have a session,
 * and gives it an application with an entry and an API token.
 *
 * Each input is a raw byte stream written to a fresh TCP connection,
 * which is then half-closed; what the server answers is read until it
 * closes the connection or has answered every request line of the input
 * (see exchange()).  Before it is sent, these words
 * in the input are replaced, so that seeds and mutations get past the
 * session and CSRF checks to the handlers behind them:
 *   @PRE@      a fixed pre-session cookie value (64 hex digits)
 *   @PRECSRF@  the CSRF token that goes with it (login, register, reset)
 *   @SID@      the applicant's session cookie value
 *   @CSRF@     the CSRF token of that session
 *   @APP@      the id of an application of that applicant (vaimh IFS)
 *   @ENTRY@    the id of an education entry in it
 *   @TOKEN@    an API bearer token of that applicant
 *   @LEN@      (first one only) the number of bytes from the end of
 *              the header block it is in to the end of the input, for a
 *              Content-Length that stays right when the words above
 *              change the length of a body
 * When a response sets or clears the session cookie (log out, log in,
 * password change) a new applicant is registered for the inputs after it.
 *
 * A finding, abort(): any response with a 5xx status (but 501 and 505,
 * libmicrohttpd's own answers to a method or an HTTP version it does not
 * implement, which are about the request, not the server), a server that
 * does not answer in time, and of course whatever ASan and UBSan see in
 * the server's threads.  Pipelined requests are all checked: the
 * responses are walked by their Content-Length.  FUZZ_HTTP_VERBOSE=1
 * in the environment prints each request line and the status it got.
 */
#define _GNU_SOURCE		/* memmem */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "web.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define IO_TIMEOUT	10	/* seconds for one exchange */
#define RESP_MAX	(4 * 1024 * 1024)

static int		 port;
static char		 dir[] = "/tmp/endorse-fuzz-http.XXXXXX";
static char		 pre[65], precsrf[65], sid[65], csrf[65];
static char		 app[24], entry[24], token[65];
static int		 nusers;
static volatile int	 served_rc = -1000;

static const char config_text[] =
"# tests/fuzz/fuzz-http.c: small caps, cheap hashing, no scheduler\n"
"threads = 1\n"
"max_body = 8192\n"
"max_upload = 16384\n"
"max_field = 1024\n"
"password_ops = 1\n"
"password_mem = 8192\n"
"timeout = 2\n"
"max_per_ip = 0\n"
"tick_interval = 0\n"
"access_log = 0\n"
"login_failures = 1000\n";

static void	fatal(const char *) __attribute__((noreturn));

static void
fatal(const char *what)
{
	fprintf(stderr, "fuzz-http: %s\n", what);
	abort();
}

static void *
serve_thread(void *arg)
{
	char	**argv = arg;
	int	  argc = 0;

	while (argv[argc] != NULL)
		argc++;
	served_rc = serve_main(argc, argv);
	return NULL;
}

/* A port nothing listens on now (the kernel's pick). */
static int
free_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 s, p;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		fatal("socket");
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) != 0)
		fatal("bind to a free port");
	p = ntohs(sin.sin_port);
	close(s);
	return p;
}

static int
dial(void)
{
	struct sockaddr_in	 sin;
	struct timeval		 tv = { IO_TIMEOUT, 0 };
	int			 s;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		fatal("socket");
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	if (connect(s, (struct sockaddr *)&sin, sizeof sin) != 0) {
		close(s);
		return -1;
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	return s;
}

/*
 * The response starting at *p (before end), walked by Content-Length:
 * 0 when no status line starts there; else its *status and 1 when its
 * head is not complete, 2 with *p past the head when the body it
 * announces is missing or cut short (a HEAD response announces a body it
 * does not send), 3 with *p past the body.
 */
static int
next_response(const char **p, const char *end, long *status)
{
	const char	*hend, *cl;
	long		 body;

	if (end - *p < 12 || strncmp(*p, "HTTP/1.", 7) != 0)
		return 0;
	*status = strtol(*p + 9, NULL, 10);
	if ((hend = memmem(*p, (size_t)(end - *p), "\r\n\r\n", 4)) == NULL)
		return 1;
	cl = memmem(*p, (size_t)(hend - *p), "\r\nContent-Length: ", 18);
	body = cl != NULL ? strtol(cl + 18, NULL, 10) : 0;
	*p = hend + 4;
	if (body < 0 || body > end - *p)
		return 2;
	*p += body;
	return 3;
}

/*
 * How many complete responses resp holds; a response whose body is
 * missing entirely counts too, when it ends the bytes.  *exact: whether
 * the last one ends the bytes.
 */
static int
count_responses(const struct buf *resp, int *exact)
{
	const char	*p = resp->s, *end;
	long		 status;
	int		 n = 0, k;

	*exact = 0;
	if (p == NULL)
		return 0;
	end = p + resp->len;
	while ((k = next_response(&p, end, &status)) >= 2) {
		if (k == 2) {
			if (p == end) {
				n++;
				*exact = 1;
			}
			break;
		}
		n++;
		*exact = p == end;
	}
	return n;
}

/* The request lines an input seems to hold: its "HTTP/1." (at least 1). */
static int
count_requests(const char *p, size_t n)
{
	const char	*end = p + n, *q;
	int		 k = 0;

	while ((q = memmem(p, (size_t)(end - p), "HTTP/1.", 7)) != NULL) {
		k++;
		p = q + 7;
	}
	return k > 0 ? k : 1;
}

/*
 * Send req, half-close, read the answer into resp.  MHD keeps an HTTP/1.1
 * connection open after a half-close until its timeout, so reading stops
 * early: when as many complete responses as the input has request lines
 * have come, or nothing has come for FIRST_MS (the server waits for more
 * of an incomplete request: not a finding) or, after a complete
 * response, for IDLE_MS.  0, or -1 if the server did not close nor
 * finish an answer in IO_TIMEOUT seconds.
 */
#define FIRST_MS	1000
#define IDLE_MS		100

static int
exchange(const char *req, size_t len, struct buf *resp)
{
	struct pollfd	 pfd;
	char		 b[16384];
	ssize_t		 n;
	size_t		 off = 0;
	time_t		 t0 = time(NULL);
	int		 s, want, got, exact = 0;

	resp->len = 0;
	if ((s = dial()) == -1)
		fatal("cannot connect to the server");
	while (off < len) {
		n = send(s, req + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;		/* the server closed early: fine */
		off += (size_t)n;
	}
	shutdown(s, SHUT_WR);
	want = count_requests(req, len);
	for (;;) {
		pfd.fd = s;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, exact ? IDLE_MS : FIRST_MS) == 0) {
			if (resp->len == 0 || exact)
				break;
			if (time(NULL) - t0 > IO_TIMEOUT) {
				close(s);
				return -1;
			}
			continue;
		}
		n = recv(s, b, sizeof b, 0);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECONNRESET)
				break;
			close(s);
			return -1;
		}
		if (resp->len < RESP_MAX)
			buf_add(resp, b, (size_t)n);
		got = count_responses(resp, &exact);
		if (got >= want && exact)
			break;
	}
	close(s);
	buf_add(resp, "", 1);	/* a NUL after the bytes, for strstr */
	resp->len--;
	return 0;
}

/* The value of the first `name="csrf" value="..."` in a page. */
static int
find_csrf(const struct buf *resp, char out[65])
{
	const char	*p;

	if (resp->s == NULL ||
	    (p = strstr(resp->s, "name=\"csrf\" value=\"")) == NULL)
		return -1;
	p += strlen("name=\"csrf\" value=\"");
	if (strspn(p, "0123456789abcdef") != 64)
		return -1;
	memcpy(out, p, 64);
	out[64] = '\0';
	return 0;
}

/*
 * POST a form with the session; the number at the end of the Location
 * it redirects to into id (unless NULL), or fatal().
 */
static void
post_form(const char *path, const char *form, char id[24])
{
	struct buf	 req, resp;
	const char	*p;
	size_t		 n;

	buf_init(&req);
	buf_init(&resp);
	buf_printf(&req, "POST %s HTTP/1.1\r\nHost: fuzz\r\nCookie: "
	    "endorse_session=%s\r\nContent-Type: application/"
	    "x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n"
	    "csrf=%s&%s", path, sid, strlen(form) + 70, csrf, form);
	if (exchange(req.s, req.len, &resp) != 0 || resp.s == NULL ||
	    (p = strstr(resp.s, "\r\nLocation: ")) == NULL) {
		fprintf(stderr, "%.*s\n", (int)resp.len, resp.s);
		fatal("a setup POST was refused");
	}
	if (id == NULL)
		goto done;
	p += strcspn(p + 2, "\r") + 2;
	while (p[-1] >= '0' && p[-1] <= '9')
		p--;
	if ((n = strspn(p, "0123456789")) == 0 || n >= 24)
		fatal("a setup POST redirected to no id");
	memcpy(id, p, n);
	id[n] = '\0';
done:
	buf_free(&req);
	buf_free(&resp);
}

/*
 * Register a new applicant and keep its session and CSRF token; give it
 * an application with an entry.
 */
static void
new_session(void)
{
	struct buf	 req, resp;
	const char	*p;
	char		 body[512];
	int		 n;

	buf_init(&req);
	buf_init(&resp);
	nusers++;
	buf_printf(&req, "GET /register HTTP/1.1\r\nHost: fuzz\r\n"
	    "Cookie: endorse_pre=%s\r\n\r\n", pre);
	if (exchange(req.s, req.len, &resp) != 0 || find_csrf(&resp,
	    precsrf) != 0)
		fatal("GET /register gave no CSRF token");
	req.len = 0;
	n = snprintf(body, sizeof body, "csrf=%s&name=Fuzz+%d&email=fuzz%d"
	    "%%40example.org&password=correct+horse+battery+staple&"
	    "association=vaimh", precsrf, nusers, nusers);
	buf_printf(&req, "POST /register HTTP/1.1\r\nHost: fuzz\r\n"
	    "Cookie: endorse_pre=%s\r\nContent-Type: "
	    "application/x-www-form-urlencoded\r\n"
	    "Content-Length: %d\r\n\r\n%s", pre, n, body);
	if (exchange(req.s, req.len, &resp) != 0 || resp.s == NULL ||
	    strstr(resp.s, "/login?registered=1") == NULL) {
		fprintf(stderr, "%.*s\n", (int)resp.len, resp.s);
		fatal("POST /register was not accepted");
	}
	/* A registration logs no one in: log in as a browser would. */
	req.len = 0;
	n = snprintf(body, sizeof body, "csrf=%s&email=fuzz%d%%40example.org&"
	    "password=correct+horse+battery+staple", precsrf, nusers);
	buf_printf(&req, "POST /login HTTP/1.1\r\nHost: fuzz\r\n"
	    "Cookie: endorse_pre=%s\r\nContent-Type: "
	    "application/x-www-form-urlencoded\r\n"
	    "Content-Length: %d\r\n\r\n%s", pre, n, body);
	if (exchange(req.s, req.len, &resp) != 0 || resp.s == NULL ||
	    (p = strstr(resp.s, "endorse_session=")) == NULL ||
	    strspn(p + 16, "0123456789abcdef") != 64) {
		fprintf(stderr, "%.*s\n", (int)resp.len, resp.s);
		fatal("POST /login gave no session");
	}
	memcpy(sid, p + 16, 64);
	sid[64] = '\0';
	req.len = 0;
	buf_printf(&req, "GET /account HTTP/1.1\r\nHost: fuzz\r\n"
	    "Cookie: endorse_session=%s\r\n\r\n", sid);
	if (exchange(req.s, req.len, &resp) != 0 || find_csrf(&resp,
	    csrf) != 0)
		fatal("GET /account gave no CSRF token");
	buf_free(&req);
	buf_free(&resp);
	post_form("/applications", "choice=vaimh%2FIFS", app);
	snprintf(body, sizeof body, "/applications/%s/tab/education", app);
	post_form(body, "level=bachelor&degree=BA&field=Psychology&"
	    "institution=MSU&conferred=2015-05-01", NULL);
	buf_init(&req);
	buf_init(&resp);
	buf_printf(&req, "GET %s HTTP/1.1\r\nHost: fuzz\r\nCookie: "
	    "endorse_session=%s\r\n\r\n", body, sid);
	if (exchange(req.s, req.len, &resp) != 0 || resp.s == NULL ||
	    (p = strstr(resp.s, "/entries/")) == NULL ||
	    (n = (int)strspn(p + 9, "0123456789")) == 0 || n >= 24)
		fatal("the education tab shows no entry");
	memcpy(entry, p + 9, (size_t)n);
	entry[n] = '\0';
	req.len = 0;
	n = snprintf(body, sizeof body, "{\"email\": \"fuzz%d@example.org\", "
	    "\"password\": \"correct horse battery staple\"}", nusers);
	buf_printf(&req, "POST /api/v1/tokens HTTP/1.1\r\nHost: fuzz\r\n"
	    "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
	    "%s", n, body);
	if (exchange(req.s, req.len, &resp) != 0 || resp.s == NULL ||
	    (p = strstr(resp.s, "\"token\": \"")) == NULL ||
	    strspn(p + 10, "0123456789abcdef") < 16 ||
	    strspn(p + 10, "0123456789abcdef") > 64)
		fatal("POST /api/v1/tokens gave no token");
	n = (int)strspn(p + 10, "0123456789abcdef");
	memcpy(token, p + 10, (size_t)n);
	token[n] = '\0';
	buf_free(&req);
	buf_free(&resp);
}

static void
cleanup(void)
{
	char	 cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz-http: could not remove %s\n", dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char	 cfgfile[64], db[64], listen[32];
	static char	*sargv[] = { "serve", "--config", cfgfile, "--listen",
	    listen, "--db", db, "--rules", "rules", "--share", ".", "--quiet",
	    NULL };
	struct stat	 st;
	pthread_t	 t;
	FILE		*f;
	int		 i, s;

	(void)argc;
	(void)argv;
	if (stat("templates/layout.html", &st) != 0 ||
	    stat("rules/vaimh.rules", &st) != 0)
		fatal("run from the repository root (templates/, rules/)");
	unsetenv("ENDORSE_NOW");
	if (mkdtemp(dir) == NULL)
		fatal("mkdtemp");
	atexit(cleanup);
	snprintf(cfgfile, sizeof cfgfile, "%s/endorse.conf", dir);
	snprintf(db, sizeof db, "%s/endorse.db", dir);
	if ((f = fopen(cfgfile, "w")) == NULL ||
	    fputs(config_text, f) == EOF || fclose(f) != 0)
		fatal("cannot write the configuration");
	port = free_port();
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	if (pthread_create(&t, NULL, serve_thread, sargv) != 0)
		fatal("pthread_create");
	pthread_detach(t);
	for (i = 0; i < 3000; i++) {
		if (served_rc != -1000)
			fatal("endorse serve stopped while starting");
		if ((s = dial()) != -1) {
			close(s);
			break;
		}
		usleep(10000);
	}
	if (i == 3000)
		fatal("endorse serve did not start in 30 s");
	memset(pre, 'a', 64);
	pre[64] = '\0';
	new_session();
	return 0;
}

/* The first @LEN@ in out replaced by the length of the body after it. */
static void
fix_len(struct buf *out)
{
	struct buf	 b;
	const char	*at, *body;
	size_t		 off;

	if (out->s == NULL || (at = memmem(out->s, out->len, "@LEN@", 5)) ==
	    NULL)
		return;
	off = (size_t)(at - out->s);
	if ((body = memmem(at, out->len - off, "\r\n\r\n", 4)) == NULL)
		return;
	body += 4;
	buf_init(&b);
	buf_add(&b, out->s, off);
	buf_printf(&b, "%zu", out->len - (size_t)(body - out->s));
	buf_add(&b, at + 5, out->len - off - 5);
	buf_free(out);
	*out = b;
}

/* Input with the @...@ words replaced. */
static void
expand(const char *p, size_t n, struct buf *out)
{
	static const struct {
		const char	*word;
		const char	*value;
	} words[] = {
		{ "@PRE@", pre }, { "@PRECSRF@", precsrf },
		{ "@SID@", sid }, { "@CSRF@", csrf },
		{ "@APP@", app }, { "@ENTRY@", entry }, { "@TOKEN@", token },
	};
	const char	*end = p + n, *at;
	size_t		 i, len;

	while (p < end) {
		if ((at = memchr(p, '@', (size_t)(end - p))) == NULL) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(at - p));
		p = at;
		for (i = 0; i < sizeof words / sizeof words[0]; i++) {
			len = strlen(words[i].word);
			if ((size_t)(end - p) >= len &&
			    memcmp(p, words[i].word, len) == 0) {
				buf_puts(out, words[i].value);
				p += len;
				break;
			}
		}
		if (i == sizeof words / sizeof words[0])
			buf_add(out, p++, 1);
	}
	fix_len(out);
}

/*
 * Every status in the responses; abort() on a 5xx.  The responses are
 * walked by Content-Length; whatever does not start with a status line
 * ends the walk (a HEAD response has none of the body it announces).
 */
static void
check_statuses(const struct buf *resp, const struct buf *req)
{
	const char	*p = resp->s, *end, *start;
	long		 status;
	int		 k;

	if (p == NULL)
		return;
	end = p + resp->len;
	for (start = p; (k = next_response(&p, end, &status)) > 0;
	    start = p) {
		if (status >= 500 && status <= 599 && status != 501 &&
		    status != 505) {
			fprintf(stderr, "fuzz-http: status %ld\n--- request "
			    "(%zu bytes)\n%.*s\n--- response\n%.*s\n---\n",
			    status, req->len, (int)(req->len > 4096 ? 4096 :
			    req->len), req->s, (int)(end - start > 4096 ? 4096 :
			    end - start), start);
			abort();
		}
		if (k < 3)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 req, resp;

	buf_init(&req);
	buf_init(&resp);
	expand((const char *)data, size, &req);
	if (req.len == 0)
		buf_add(&req, "", 0);
	if (exchange(req.s == NULL ? "" : req.s, req.len, &resp) != 0) {
		fprintf(stderr, "fuzz-http: no answer in %d s\n", IO_TIMEOUT);
		abort();
	}
	if (served_rc != -1000)
		fatal("endorse serve stopped");
	if (getenv("FUZZ_HTTP_VERBOSE") != NULL)
		fprintf(stderr, "fuzz-http: %.*s -> %.*s\n",
		    (int)strcspn(req.s == NULL ? "" : req.s, "\r\n"),
		    req.s == NULL ? "" : req.s,
		    (int)strcspn(resp.s == NULL ? "" : resp.s, "\r\n"),
		    resp.s == NULL ? "" : resp.s);
	check_statuses(&resp, &req);
	/* A new session cookie (or none): the next inputs need another. */
	if (resp.s != NULL &&
	    strstr(resp.s, "\r\nSet-Cookie: endorse_session=") != NULL)
		new_session();
	buf_free(&req);
	buf_free(&resp);
	return 0;
}
