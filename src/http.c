/*
 * HTTP on GNU libmicrohttpd (0.9.75, a thread pool).  This file owns the
 * limits (body, field and upload sizes), the body parsers (MHD's post
 * processor for forms and multipart, a capped buffer for JSON), cookies,
 * the security headers every response carries and the access log.  A
 * request gets its own arena, freed when MHD reports it complete.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "web.h"
#include "http-int.h"
#include "tmpl.h"
#include "banned.h"

static struct MHD_Daemon	*daemon_h;

#define CSP "default-src 'none'; style-src 'self'; img-src 'self'; " \
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const char *
req_form(struct req *r, const char *name)
{
	int	 i;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].filename == NULL &&
		    strcmp(r->fields[i].name, name) == 0)
			return r->fields[i].value;
	return NULL;
}

int
req_form_all(struct req *r, const char *name, const char **out, int max)
{
	int	 i, n = 0;

	for (i = 0; i < r->nfields && n < max; i++)
		if (r->fields[i].filename == NULL &&
		    strcmp(r->fields[i].name, name) == 0)
			out[n++] = r->fields[i].value;
	return n;
}

const struct field *
req_file(struct req *r, const char *name)
{
	int	 i;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].filename != NULL &&
		    strcmp(r->fields[i].name, name) == 0)
			return &r->fields[i];
	return NULL;
}

const char *
req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
req_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *
req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

void
reply_header(struct req *r, const char *name, const char *value)
{
	/* A broken invariant of the handlers, answered as an error by
	   respond(), not an end of the server. */
	if (r->nheaders == (int)(sizeof r->headers / sizeof r->headers[0])) {
		r->hdr_over = 1;
		return;
	}
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = arena_strdup(&r->arena, value);
	r->nheaders++;
}

void
reply_cookie(struct req *r, const char *name, const char *value, int max_age)
{
	char	*c;

	c = arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
	    name, value, cfg.secure_cookies ? "; Secure" : "",
	    max_age == 0 ? "; Max-Age=0" : "");
	reply_header(r, MHD_HTTP_HEADER_SET_COOKIE, c);
}

void
reply_redirect(struct req *r, const char *fmt, ...)
{
	va_list	 ap;
	char	 loc[1024];

	va_start(ap, fmt);
	vsnprintf(loc, sizeof loc, fmt, ap);
	va_end(ap);
	reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
	r->status = 303;
	r->ctype = "text/plain; charset=utf-8";
	buf_puts(&r->out, "See other\n");
}

void
reply_json(struct req *r, int status, json_t *o)
{
	char	*s;

	s = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
	json_decref(o);
	r->status = status;
	r->ctype = "application/json";
	r->out.len = 0;
	r->out.over = 0;
	buf_puts(&r->out, s != NULL ? s : "");
	buf_puts(&r->out, "\n");
	free(s);
}

/*
 * Make s valid UTF-8 in place, a byte that is no part of a character
 * becoming '?': json_string() refuses anything else, and the answer
 * would have no "error" (a value quoted in a message, a field's name).
 */
static void
utf8_fix(char *s)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 i = 0, n = strlen(s), len;

	while (i < n) {
		len = p[i] < 0x80 ? 1 : p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
		if (i + len <= n && utf8_ok(p + i, len))
			i += len;
		else
			p[i++] = '?';
	}
}

void
reply_error_json(struct req *r, int status, const char *field,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[2048];
	json_t	*o;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	utf8_fix(msg);
	o = json_object();
	json_object_set_new(o, "error", json_string(msg));
	if (field != NULL)
		json_object_set_new(o, "field", json_string(field));
	reply_json(r, status, o);
}

void
reply_text(struct req *r, int status, const char *ctype, const char *s,
    size_t n)
{
	r->status = status;
	r->ctype = ctype;
	r->out.len = 0;
	r->out.over = 0;
	buf_add(&r->out, s, n);
}

/* Collect one form field or a chunk of it; a field over its cap stops
   the body with 413 (nothing is stored from such a request), a
   multipart part without a name (MHD passes key NULL) with 400. */
static enum MHD_Result
post_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *ctype, const char *enc,
    const char *data, uint64_t off, size_t size)
{
	struct req	*r = cls;
	struct field	*f = NULL;
	long		 cap;

	(void)kind;
	(void)enc;
	if (r->too_big != 0)
		return MHD_NO;
	if (key == NULL) {
		r->too_big = 400;
		r->too_big_why = "a form part without a name";
		return MHD_NO;
	}
	if (r->nfields > 0 && off > 0 &&
	    strcmp(r->fields[r->nfields - 1].name, key) == 0)
		f = &r->fields[r->nfields - 1];
	if (f == NULL) {
		if (r->nfields == 500) {
			r->too_big = 413;
			r->too_big_why = "too many form fields";
			return MHD_NO;
		}
		if (r->nfields == r->afields) {
			r->afields = r->afields == 0 ? 16 : r->afields * 2;
			r->fields = xreallocarray(r->fields, r->afields,
			    sizeof *r->fields);
		}
		f = &r->fields[r->nfields++];
		memset(f, 0, sizeof *f);
		f->name = arena_strdup(&r->arena, key);
		if (filename != NULL) {
			f->filename = arena_strdup(&r->arena, filename);
			f->ctype = arena_strdup(&r->arena,
			    ctype != NULL ? ctype : "");
		}
		buf_init(&f->data);
		f->value = (char *)"";
	}
	cap = f->filename != NULL ? cfg.max_upload : cfg.max_field;
	if ((long)(f->len + size) > cap) {
		r->too_big = 413;
		r->too_big_why = arena_printf(&r->arena,
		    "%s: larger than %ld bytes", key, cap);
		return MHD_NO;
	}
	if (size == 0)
		return MHD_YES;
	/* A buffer that doubles: an upload arrives in many chunks. */
	buf_add(&f->data, data, size);
	f->value = f->data.s;
	f->len = f->data.len;
	return MHD_YES;
}

/* Whether n bytes are well-formed UTF-8 without NUL (RFC 3629). */
int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t		 i = 0, k, len;
	unsigned int	 c;

	while (i < n) {
		c = s[i];
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		/* Overlong forms, surrogates and code points past U+10FFFF. */
		if ((c == 0xe0 && s[i + 1] < 0xa0) ||
		    (c == 0xed && s[i + 1] > 0x9f) ||
		    (c == 0xf0 && s[i + 1] < 0x90) ||
		    (c == 0xf4 && s[i + 1] > 0x8f))
			return 0;
		i += len;
	}
	return 1;
}

/* Every text field of a form must be text: a clear 400 otherwise. */
static const char *
form_text_problem(struct req *r)
{
	int	 i;

	for (i = 0; i < r->nfields; i++) {
		if (r->fields[i].filename != NULL)
			continue;
		if (!utf8_ok((const unsigned char *)r->fields[i].value,
		    r->fields[i].len))
			return arena_printf(&r->arena, "%.64s: not valid "
			    "UTF-8 text (or it contains a NUL byte)",
			    utf8_ok((const unsigned char *)r->fields[i].name,
			    strlen(r->fields[i].name)) ? r->fields[i].name :
			    "a field");
	}
	return NULL;
}

static int
parse_method(const char *m)
{
	static const char *const names[] = { "GET", "HEAD", "POST", "PUT",
	    "DELETE" };
	int	 i;

	for (i = 0; i < 5; i++)
		if (strcmp(m, names[i]) == 0)
			return i;
	return M_OTHER;
}

/* An address as inet_ntop writes it (an IPv4-mapped IPv6 address as
   IPv4): 0, or -1 when s is not one. */
static int
ip_normal(const char *s, size_t n, char *out, size_t sz)
{
	struct in6_addr	 bin;	/* room and alignment for either family */
	char		 one[INET6_ADDRSTRLEN + 1];
	int		 af;

	if (n == 0 || n >= sizeof one)
		return -1;
	memcpy(one, s, n);
	one[n] = '\0';
	af = strchr(one, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(af, one, &bin) != 1)
		return -1;
	if (af == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&bin))
		return inet_ntop(AF_INET, (unsigned char *)&bin + 12, out,
		    sz) == NULL ? -1 : 0;
	return inet_ntop(af, &bin, out, sz) == NULL ? -1 : 0;
}

static int
ip_trusted(const char *ip)
{
	const char	*p = cfg.trusted_proxies;
	size_t		 n = strlen(ip);

	if (n == 0)
		return 0;
	for (; p != NULL && (p = strstr(p, ip)) != NULL; p += n)
		if (p[-1] == ' ' && p[n] == ' ')
			return 1;
	return 0;
}

/*
 * The client: the peer, unless the peer is a trusted proxy (the setting
 * trusted_proxies).  Then X-Forwarded-For is read from the right, each
 * proxy having appended the address it saw: the right-most address that
 * is not itself a trusted proxy is the client.  A malformed entry stops
 * the walk at the last address a trusted proxy vouched for, so what the
 * client wrote on the left never counts.
 */
static void
client_ip(struct MHD_Connection *c, char *out, size_t sz)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;
	const char			*xff, *end, *b, *p, *q;
	char				 peer[INET6_ADDRSTRLEN];
	char				 one[INET6_ADDRSTRLEN];

	snprintf(out, sz, "?");
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    peer, sizeof peer);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr, peer,
		    sizeof peer);
	else
		return;
	if (ip_normal(peer, strlen(peer), out, sz) != 0)
		snprintf(out, sz, "%s", peer);
	if (!ip_trusted(out) || (xff = MHD_lookup_connection_value(c,
	    MHD_HEADER_KIND, "X-Forwarded-For")) == NULL)
		return;
	for (end = xff + strlen(xff); end > xff; end = b) {
		for (b = end; b > xff && b[-1] != ','; b--)
			;
		for (p = b; p < end && (*p == ' ' || *p == '\t'); p++)
			;
		for (q = end; q > p && (q[-1] == ' ' || q[-1] == '\t'); q--)
			;
		if (ip_normal(p, (size_t)(q - p), one, sizeof one) != 0)
			return;
		snprintf(out, sz, "%s", one);
		if (!ip_trusted(one))
			return;
		if (b > xff)
			b--;	/* the comma */
	}
}

static void
req_free(struct req *r)
{
	int	 i;

	if (r->pp != NULL)
		MHD_destroy_post_processor(r->pp);
	guard_release(r->ip, r->held);
	buf_free(&r->body);
	buf_free(&r->out);
	for (i = 0; i < r->nfields; i++)
		buf_free(&r->fields[i].data);
	free(r->fields);
	arena_free(&r->arena);
	free(r);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)toe;
	guard_request_done(c);
	if (*con_cls != NULL)
		req_free(*con_cls);
	*con_cls = NULL;
}

/* Whether Content-Type s is type, with or without parameters: a longer
   name that begins the same ("application/jsonx") is another type. */
static int
ctype_is(const char *s, const char *type)
{
	size_t	 n = strlen(type);

	return s != NULL && strncasecmp(s, type, n) == 0 &&
	    (s[n] == '\0' || s[n] == ';' || s[n] == ' ' || s[n] == '\t');
}

/* Refuse the request's body before it is read: status and why are
   answered when it has arrived, and nothing of it is kept meanwhile. */
static void
refuse(struct req *r, int status, const char *why)
{
	r->too_big = status;
	r->too_big_why = why;
}

/*
 * The body's route and caller, known from the headers before a byte of
 * the body is kept: a file only to a route that takes one (TAKES_FILE) and
 * only from a caller it allows; a body over its cap refused by its
 * Content-Length.  A refused body is read and dropped.
 */
static void
req_body_plan(struct req *r, const struct route *rt)
{
	const char	*cl, *ct;
	long		 cap;
	int		 multipart;

	ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	multipart = ctype_is(ct, "multipart/form-data");
	if (rt == NULL)
		return;		/* 404 or 405: no body is read */
	if (multipart && (rt->need & TAKES_FILE) == 0) {
		refuse(r, 415, "this address takes no file: send the form "
		    "as application/x-www-form-urlencoded");
		return;
	}
	cap = multipart ? cfg.max_upload + cfg.max_body : cfg.max_body;
	cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL && strtoll(cl, NULL, 10) > cap) {
		refuse(r, 413, arena_printf(&r->arena,
		    "request body larger than %ld bytes", cap));
		return;
	}
	if (multipart && !route_upload_ok(r, rt)) {
		r->answered = 1;
		refuse(r, r->status, "");
		return;
	}
	if (ctype_is(ct, "application/json"))
		r->body_json = 1;
	else if (ctype_is(ct, "application/x-www-form-urlencoded") ||
	    multipart) {
		r->body_form = 1;
		r->pp = MHD_create_post_processor(r->conn, 16 * 1024,
		    post_iter, r);
		if (r->pp == NULL)
			refuse(r, 400, "unreadable form encoding");
	}
}

static struct req *
req_new(struct MHD_Connection *c, const char *url, const char *method)
{
	struct req		*r;
	const struct route	*rt;
	int			 path_matched;

	r = xcalloc(1, sizeof *r);
	arena_init(&r->arena);
	buf_init(&r->body);
	buf_init(&r->out);
	r->out.max = (size_t)cfg.max_reply;
	r->conn = c;
	r->method = parse_method(method);
	r->path = arena_strdup(&r->arena, url);
	client_ip(c, r->ip, sizeof r->ip);
	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
	rt = route_find(r, &path_matched);
	r->route = rt != NULL ? rt->pattern : NULL;
	if (r->method == M_POST || r->method == M_PUT)
		req_body_plan(r, rt);
	return r;
}

/* Drop what the body has left in memory: it will not be used. */
static void
req_drop_body(struct req *r)
{
	int	 i;

	buf_free(&r->body);
	for (i = 0; i < r->nfields; i++)
		buf_free(&r->fields[i].data);
	r->nfields = 0;
	guard_release(r->ip, r->held);
	r->held = 0;
}

/* One chunk of the body: counted against its cap and against what the
   server holds per address and in all, then parsed or kept. */
static void
req_body_chunk(struct req *r, const char *data, size_t size)
{
	long	 cap;
	int	 rc;

	cap = r->body_form ? cfg.max_upload + cfg.max_body : cfg.max_body;
	r->body_seen += (long)size;
	if (r->too_big == 0 && r->body_seen > cap)
		refuse(r, 413, arena_printf(&r->arena,
		    "request body larger than %ld bytes", cap));
	if (r->too_big == 0 && (r->pp != NULL || r->body_json)) {
		if ((rc = guard_hold(r->ip, (long)size)) != 0) {
			refuse(r, rc, rc == 429 ? "this address is sending "
			    "too much at once; try again in a minute" :
			    "the server is busy receiving; try again in a "
			    "minute");
			req_drop_body(r);
			return;
		}
		r->held += (long)size;
	}
	if (r->too_big != 0)
		return;
	if (r->pp != NULL) {
		if (MHD_post_process(r->pp, data, size) != MHD_YES &&
		    r->too_big == 0)
			refuse(r, 400, "unreadable form body");
	} else if (r->body_json)
		buf_add(&r->body, data, size);
	if (r->too_big != 0)
		req_drop_body(r);
}

static void
add_security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
}

/*
 * An answer the handler could not finish (larger than cfg.max_reply, more
 * headers than a request holds) is replaced by an error: the process
 * goes on.
 */
static void
reply_check(struct req *r)
{
	const char	*why;

	if (!r->out.over && !r->hdr_over)
		return;
	why = r->out.over ? arena_printf(&r->arena, "the answer would be "
	    "larger than the server sends (%ld bytes); ask the coordinator",
	    cfg.max_reply) : "the answer could not be made";
	r->log_error = r->out.over ? "reply larger than max_reply" :
	    "too many response headers";
	r->nheaders = 0;
	r->hdr_over = 0;
	r->out.len = 0;
	r->out.over = 0;
	if (strncmp(r->path, "/api/", 5) == 0)
		reply_error_json(r, 500, NULL, "%s", why);
	else
		view_error(r, 500, why);
	if (r->out.over || r->hdr_over) {	/* not even the error page */
		r->out.len = 0;
		r->out.over = 0;
		r->nheaders = 0;
		r->ctype = "text/plain; charset=utf-8";
		buf_puts(&r->out, "the answer could not be made\n");
	}
}

/* What the access log shows of the path: the route's pattern (a token in
   "/rate/TOKEN" or "/reset/TOKEN" is a secret), or for a path that no
   route takes its first segment only. */
static const char *
log_path(struct req *r)
{
	size_t	 n;

	if (r->route != NULL)
		return r->route;
	n = strcspn(r->path + (r->path[0] == '/'), "/?") +
	    (r->path[0] == '/');
	if (r->path[n] == '\0')
		return arena_printf(&r->arena, "%.*s", (int)(n > 64 ? 64 : n),
		    r->path);
	return arena_printf(&r->arena, "%.*s/...", (int)(n > 64 ? 64 : n),
	    r->path);
}

static enum MHD_Result
respond(struct MHD_Connection *c, struct req *r, int64_t started)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;
	struct timespec		 ts;
	int			 i;

	reply_check(r);
	resp = MHD_create_response_from_buffer(r->out.len,
	    r->out.s == NULL ? (void *)"" : r->out.s, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	add_security_headers(resp);
	if (strncmp(r->path, "/static/", 8) != 0)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "no-store");
	for (i = 0; i < r->nheaders; i++)
		MHD_add_response_header(resp, r->headers[i].name,
		    r->headers[i].value);
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	if (cfg.access_log) {
		char status[8], bytes[24], us[24], user[24];

		clock_gettime(CLOCK_MONOTONIC, &ts);
		snprintf(status, sizeof status, "%d", r->status);
		snprintf(bytes, sizeof bytes, "%zu", r->out.len);
		snprintf(us, sizeof us, "%lld", (long long)((ts.tv_sec *
		    1000000LL + ts.tv_nsec / 1000) - started));
		snprintf(user, sizeof user, "%lld", (long long)r->user.id);
		log_event(r->status >= 500 ? "error" : "info", "access",
		    "ip", r->ip, "method", r->method == M_OTHER ? "OTHER" :
		    (const char *[]){ "GET", "HEAD", "POST", "PUT",
		    "DELETE" }[r->method], "path", log_path(r), "status",
		    status, "bytes", bytes, "us", us, "user", user,
		    r->log_error != NULL ? "error" : NULL, r->log_error,
		    (const char *)NULL);
	}
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data,
    size_t *size, void **con_cls)
{
	struct req	*r = *con_cls;
	struct timespec	 ts;
	int64_t		 started;

	(void)cls;
	(void)version;
	if (r == NULL) {
		*con_cls = req_new(c, url, method);
		return MHD_YES;
	}
	/* Past its time (cfg.request_time): closed without an answer. */
	if (guard_expired(c)) {
		req_drop_body(r);
		return MHD_NO;
	}
	if (*size != 0) {
		req_body_chunk(r, data, *size);
		*size = 0;
		return MHD_YES;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	started = ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
	/* Destroying the post processor delivers a value it still holds. */
	if (r->pp != NULL) {
		if (MHD_destroy_post_processor(r->pp) != MHD_YES &&
		    r->too_big == 0)
			refuse(r, 400, "unreadable form body");
		r->pp = NULL;
	}
	if (r->too_big == 0 && r->body_form &&
	    (r->too_big_why = form_text_problem(r)) != NULL)
		r->too_big = 400;
	if (r->answered)
		;		/* route_upload_ok answered */
	else if (r->too_big != 0) {
		if (strncmp(r->path, "/api/", 5) == 0)
			reply_error_json(r, r->too_big, NULL, "%s",
			    r->too_big_why);
		else
			view_error(r, r->too_big, r->too_big_why);
	} else
		route_dispatch(r);
	db_rollback();		/* a handler that failed mid-transaction */
	return respond(c, r, started);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * MHD's unescaping of the path and the query arguments, except that
 * "%00" stays as it is: a NUL would cut a C string short, and
 * "/static/style.css%00.png" or "/healthz%00" answered as the shorter path.
 */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char	*w = s, *r = s;
	int	 hi, lo;

	(void)cls;
	(void)c;
	while (*r != '\0') {
		if (r[0] == '%' && (hi = hexval(r[1])) >= 0 &&
		    (lo = hexval(r[2])) >= 0 && (hi != 0 || lo != 0)) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* Resolve "host:port" for MHD; 0 or -1. */
static int
listen_addr(struct sockaddr_storage *ss)
{
	struct addrinfo	 hints, *res;
	char		 port[16];

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof port, "%d", cfg.listen_port);
	if (getaddrinfo(cfg.listen_host, port, &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

int
http_serve(void)
{
	struct sockaddr_storage	 ss;
	unsigned int		 flags;

	if (listen_addr(&ss) != 0) {
		fprintf(stderr, "endorse: cannot resolve listen address %s\n",
		    cfg.listen_host);
		return -1;
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
	    MHD_USE_EPOLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	daemon_h = MHD_start_daemon(flags, (uint16_t)cfg.listen_port,
	    guard_accept, NULL, on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg.threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg.max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)cfg.max_per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg.timeout,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, guard_notify, NULL,
	    MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
	    MHD_OPTION_END);
	if (daemon_h == NULL) {
		fprintf(stderr, "endorse: cannot listen on %s:%d\n",
		    cfg.listen_host, cfg.listen_port);
		return -1;
	}
	if (guard_start() != 0) {
		fprintf(stderr, "endorse: cannot start the request watchdog\n");
		http_stop();
		return -1;
	}
	return 0;
}

void
http_stop(void)
{
	guard_stop();
	if (daemon_h != NULL)
		MHD_stop_daemon(daemon_h);
	daemon_h = NULL;
}
