/*
 * The HTML template engine: a subset of mustache, compiled once.
 *
 * tmpl_load() reads every template of a directory and compiles each into
 * an array of nodes (text, value, section, inverted section, partial,
 * dynamic partial), a section holding its own array; tmpl_render() walks
 * those arrays with a jansson view.  The template text is the only thing
 * written as is: every value goes through tmpl_escape(), and there is no
 * syntax for raw output, so no template can print unescaped data however
 * it is written.
 *
 * The context stack is a chain of frames on the C stack (struct ctx), so
 * that a render allocates nothing but its output.  Static partials are
 * resolved to their template at load time; a dynamic partial ({{>*key}})
 * is found by binary search at render time.  A render is bounded: partials
 * nest at most TMPL_MAX_DEPTH deep, and runaway output or work (nested
 * loops over large arrays) stops with an error instead of exhausting
 * memory.
 *
 * This file renders and escapes; tmpl-parse.c loads and compiles, and
 * tmpl-int.h holds the nodes the two share.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "tmpl.h"
#include "tmpl-int.h"
#include "banned.h"

#define TMPL_MAX_DEPTH	32		/* partials in partials */
#define TMPL_MAX_OUT	(16u << 20)	/* bytes one render adds */
#define TMPL_MAX_STEPS	(1ul << 24)	/* nodes one render visits */

/* ---- escaping ---- */

/* The entity of each byte that has one, by index into entities[]. */
static const unsigned char escapes[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct {
	const char	*s;
	size_t		 len;
} entities[] = {
	{ NULL, 0 }, { "&amp;", 5 }, { "&lt;", 4 }, { "&gt;", 4 },
	{ "&quot;", 6 }, { "&#39;", 5 },
};

/*
 * The one escaping function (tmpl.h): runs of plain bytes copied at once,
 * each special byte as its entity.
 */
void
tmpl_escape(struct buf *b, const char *s, size_t n)
{
	size_t		 i, run = 0;
	unsigned	 e;

	for (i = 0; i < n; i++) {
		if ((e = escapes[(unsigned char)s[i]]) == 0)
			continue;
		if (i > run)
			buf_add(b, s + run, i - run);
		buf_add(b, entities[e].s, entities[e].len);
		run = i + 1;
	}
	if (n > run)
		buf_add(b, s + run, n - run);
}

/* ---- rendering ---- */

/* A frame of the context stack; count > 0 for an element of an array. */
struct ctx {
	json_t			*v;
	const struct ctx	*up;
	size_t			 index, count;
};

struct render {
	const struct tmpl_set	*set;
	struct buf		*out;
	size_t			 start;	/* out->len on entry */
	unsigned long		 steps;
	int			 depth;		/* partials */
	char			*cause;
};

/* Sections and partials recurse into render_nodes(), declared ahead. */
static int
render_nodes(struct render *, const struct tmpl *, const struct node *,
    size_t, const struct ctx *);

/*
 * A render error as "FILE:LINE: message" at the node that failed; returns
 * -1.
 */
static int
rerr(struct render *r, const struct tmpl *t, const struct node *nd,
    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
rerr(struct render *r, const struct tmpl *t, const struct node *nd,
    const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	xasprintf(&r->cause, "%s:%d: %s", t->file, nd->line, msg);
	return -1;
}

/*
 * Mustache lookup: the first segment from the innermost context outwards
 * (the first object holding the key, even with a null value, wins), the
 * others down from there.
 */
static json_t *
lookup(const struct ctx *c, const struct path *pa)
{
	json_t	*v = NULL;
	int	 i;

	if (pa->special == SPECIAL_DOT)
		return c->v;
	for (; c != NULL; c = c->up) {
		if (json_is_object(c->v) &&
		    (v = json_object_get(c->v, pa->seg[0])) != NULL)
			break;
	}
	for (i = 1; v != NULL && i < pa->nseg; i++)
		v = json_is_object(v) ? json_object_get(v, pa->seg[i]) : NULL;
	return v;
}

/* The innermost element of an array section, for @index and friends. */
static const struct ctx *
array_frame(const struct ctx *c)
{
	for (; c != NULL; c = c->up) {
		if (c->count > 0)
			return c;
	}
	return NULL;
}

/*
 * Whether @index (not the first), @first or @last holds in the innermost
 * array; outside an array none does.
 */
static int
special_true(const struct ctx *c, enum special sp)
{
	const struct ctx	*a = array_frame(c);

	if (a == NULL)
		return 0;
	switch (sp) {
	case SPECIAL_INDEX:
		return a->index != 0;
	case SPECIAL_FIRST:
		return a->index == 0;
	case SPECIAL_LAST:
		return a->index + 1 == a->count;
	default:
		return 0;
	}
}

/*
 * Numbers are formatted by hand: snprintf was half the time of rendering
 * a page of numbers.  The digits of v end at end; returns the first.
 */
static char *
format_int(long long v, char *end)
{
	unsigned long long	 u;
	char			*p = end;

	u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return p;
}

/*
 * "%.2f" without trailing zeros: 30, 12.5, 0.25.  Below 1e9 the value in
 * hundredths is rounded by hand: a*100 is within 2^-15 of the exact
 * product there, so rounding it to the nearest integer gives what "%.2f"
 * gives unless the exact product is near a half, which snprintf decides.
 */
static size_t
format_real(double d, char *s, size_t size)
{
	unsigned long long	 h;
	double			 a = fabs(d), c;
	char			 tmp[32], *p;
	int			 n;

	if (a < 1e9 && size >= 16) {
		c = a * 100;
		if (fabs(c - floor(c) - 0.5) > 1e-3) {
			h = (unsigned long long)(c + 0.5);
			p = tmp + sizeof tmp;
			if (h % 100 != 0) {
				if (h % 10 != 0)
					*--p = (char)('0' + h % 10);
				*--p = (char)('0' + h / 10 % 10);
				*--p = '.';
			}
			p = format_int((long long)(h / 100), p);
			if (d < 0 && h != 0)
				*--p = '-';
			n = (int)(tmp + sizeof tmp - p);
			memcpy(s, p, (size_t)n);
			return (size_t)n;
		}
	}
	n = snprintf(s, size, "%.2f", d);
	if (n < 0 || (size_t)n >= size)
		return 0;
	if (memchr(s, '.', (size_t)n) != NULL) {
		while (s[n - 1] == '0')
			n--;
		if (s[n - 1] == '.')
			n--;
	}
	if (n == 2 && s[0] == '-' && s[1] == '0') {	/* -0.001 */
		s[0] = '0';
		n = 1;
	}
	return (size_t)n;
}

/*
 * A value as text, escaped: strings, numbers (formatted by hand) and true;
 * null, false and containers print nothing.
 */
static void
put_value(struct buf *out, json_t *v)
{
	char	 s[512], *p;

	if (v == NULL)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		tmpl_escape(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		p = format_int(json_integer_value(v), s + sizeof s);
		tmpl_escape(out, p, (size_t)(s + sizeof s - p));
		break;
	case JSON_REAL:
		tmpl_escape(out, s, format_real(json_real_value(v), s,
		    sizeof s));
		break;
	case JSON_TRUE:
		tmpl_escape(out, "true", 4);
		break;
	default:
		break;
	}
}

/* Whether {{#name}} renders its block. */
static int
truthy(json_t *v)
{
	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE:
		return 1;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	default:
		return 0;
	}
}

/*
 * {{#name}}: once per array element, once inside an object, or once in
 * place for any other truthy value.
 */
static int
render_section(struct render *r, const struct tmpl *t, const struct node *nd,
    const struct ctx *c)
{
	struct ctx	 sub;
	json_t		*v;
	size_t		 i, n;

	if (nd->path.special >= SPECIAL_INDEX) {
		if (!special_true(c, nd->path.special))
			return 0;
		return render_nodes(r, t, nd->kids, nd->nkids, c);
	}
	v = lookup(c, &nd->path);
	if (json_is_array(v)) {
		n = json_array_size(v);
		sub.up = c;
		sub.count = n;
		for (i = 0; i < n; i++) {
			sub.v = json_array_get(v, i);
			sub.index = i;
			if (render_nodes(r, t, nd->kids, nd->nkids, &sub) != 0)
				return -1;
		}
		return 0;
	}
	if (json_is_object(v)) {
		sub.v = v;
		sub.up = c;
		sub.index = sub.count = 0;
		return render_nodes(r, t, nd->kids, nd->nkids, &sub);
	}
	if (truthy(v))
		return render_nodes(r, t, nd->kids, nd->nkids, c);
	return 0;
}

/*
 * A partial in the current context one level deeper, so that recursion
 * stops at TMPL_MAX_DEPTH.
 */
static int
render_partial(struct render *r, const struct tmpl *t, const struct node *nd,
    const struct tmpl *pt, const struct ctx *c)
{
	int	 rc;

	if (r->depth == TMPL_MAX_DEPTH)
		return rerr(r, t, nd, "partials nested deeper than %d",
		    TMPL_MAX_DEPTH);
	r->depth++;
	rc = render_nodes(r, pt, pt->nodes, pt->nnodes, c);
	r->depth--;
	return rc;
}

/*
 * Walk a node array into out, counting steps and output so that a render
 * stays bounded.
 */
static int
render_nodes(struct render *r, const struct tmpl *t, const struct node *nodes,
    size_t n, const struct ctx *c)
{
	const struct node	*nd;
	const struct tmpl	*pt;
	const struct ctx	*a;
	json_t			*v;
	char			 num[32], *p;
	size_t			 i;

	for (i = 0; i < n; i++) {
		nd = &nodes[i];
		if (++r->steps > TMPL_MAX_STEPS)
			return rerr(r, t, nd, "more than %lu steps: a runaway "
			    "loop?", TMPL_MAX_STEPS);
		switch (nd->type) {
		case NODE_TEXT:
			buf_add(r->out, nd->s, nd->len);
			break;
		case NODE_VALUE:
			switch (nd->path.special) {
			case SPECIAL_INDEX:
				if ((a = array_frame(c)) != NULL) {
					p = format_int((long long)a->index,
					    num + sizeof num);
					tmpl_escape(r->out, p,
					    (size_t)(num + sizeof num - p));
				}
				break;
			case SPECIAL_FIRST:
			case SPECIAL_LAST:
				if (special_true(c, nd->path.special))
					tmpl_escape(r->out, "true", 4);
				break;
			default:
				put_value(r->out, lookup(c, &nd->path));
				break;
			}
			break;
		case NODE_SECTION:
			if (render_section(r, t, nd, c) != 0)
				return -1;
			break;
		case NODE_INVERTED:
			if (nd->path.special >= SPECIAL_INDEX ?
			    special_true(c, nd->path.special) :
			    truthy(lookup(c, &nd->path)))
				break;
			if (render_nodes(r, t, nd->kids, nd->nkids, c) != 0)
				return -1;
			break;
		case NODE_PARTIAL:
			if (nd->partial == NULL)
				return rerr(r, t, nd, "no template \"%.*s\"",
				    SHOWN(nd->len), nd->s);
			if (render_partial(r, t, nd, nd->partial, c) != 0)
				return -1;
			break;
		case NODE_DYNAMIC:
			v = lookup(c, &nd->path);
			if (!json_is_string(v))
				return rerr(r, t, nd, "{{>*%.*s}}: the value "
				    "is not a string", SHOWN(nd->len), nd->s);
			if ((pt = ti_find(r->set, json_string_value(v))) ==
			    NULL)
				return rerr(r, t, nd, "{{>*%.*s}}: no template "
				    "\"%.*s\"", SHOWN(nd->len), nd->s,
				    NAME_SHOWN, json_string_value(v));
			if (render_partial(r, t, nd, pt, c) != 0)
				return -1;
			break;
		}
		if (r->out->len - r->start > TMPL_MAX_OUT)
			return rerr(r, t, nd, "output larger than %u MiB",
			    TMPL_MAX_OUT / 1024 / 1024);
	}
	return 0;
}

/*
 * The entry point (tmpl.h): name rendered with view as the root context; on
 * error out is as it was.
 */
int
tmpl_render(const struct tmpl_set *set, const char *name, json_t *view,
    struct buf *out, char **cause)
{
	struct render		 r;
	struct ctx		 root;
	const struct tmpl	*t;

	if ((t = ti_find(set, name)) == NULL) {
		xasprintf(cause, "no template \"%s\"", name);
		return -1;
	}
	memset(&r, 0, sizeof r);
	r.set = set;
	r.out = out;
	r.start = out->len;
	root.v = view;
	root.up = NULL;
	root.index = root.count = 0;
	if (render_nodes(&r, t, t->nodes, t->nnodes, &root) != 0) {
		/* Nothing half-rendered is left behind. */
		if (out->s != NULL) {
			out->len = r.start;
			out->s[out->len] = '\0';
		}
		*cause = r.cause;
		return -1;
	}
	return 0;
}
