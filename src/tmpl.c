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
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "tmpl.h"
#include "banned.h"

#define TMPL_MAX_FILE	(1024 * 1024)	/* one template's text */
#define TMPL_MAX_NEST	64		/* sections in one template */
#define TMPL_MAX_DEPTH	32		/* partials in partials */
#define TMPL_MAX_DIRS	16		/* directory levels */
#define TMPL_MAX_OUT	(16u << 20)	/* bytes one render adds */
#define TMPL_MAX_STEPS	(1ul << 24)	/* nodes one render visits */
#define NAME_SHOWN	64		/* name bytes in messages */

/* A name in a message: at most NAME_SHOWN bytes, for "%.*s". */
#define SHOWN(n)	((int)((n) > NAME_SHOWN ? NAME_SHOWN : (n)))

enum node_type {
	NODE_TEXT,		/* template text, written as is */
	NODE_VALUE,		/* {{name}} */
	NODE_SECTION,		/* {{#name}} */
	NODE_INVERTED,		/* {{^name}} */
	NODE_PARTIAL,		/* {{>name}} */
	NODE_DYNAMIC,		/* {{>*name}} */
};

enum special {
	SPECIAL_NONE,		/* a.b.c: nseg segments */
	SPECIAL_DOT,		/* . */
	SPECIAL_INDEX,		/* @index */
	SPECIAL_FIRST,		/* @first */
	SPECIAL_LAST,		/* @last */
};

struct path {
	const char	**seg;
	int		  nseg;
	enum special	  special;
};

struct tmpl;
struct node {
	enum node_type		 type;
	int			 line;
	const char		*s;	/* text; else the tag's name */
	size_t			 len;
	struct path		 path;	/* value, sections, dynamic */
	struct node		*kids;	/* sections */
	size_t			 nkids;
	const struct tmpl	*partial; /* NODE_PARTIAL; NULL: missing */
};

struct tmpl {
	const char	*name;
	const char	*file;		/* for messages */
	struct node	*nodes;
	size_t		 nnodes;
};

struct tmpl_set {
	struct arena	 arena;		/* names, texts, nodes */
	struct tmpl	*v;		/* sorted by name once loaded */
	size_t		 n, cap;
};

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

/* ---- the parser ---- */

struct parser {
	struct arena	*arena;
	const char	*file;
	const char	*s;		/* the text, in the arena */
	size_t		 len, pos;
	int		 line;
	int		 nest;		/* open sections */
	char		*cause;
};

static int
perr(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	xasprintf(&p->cause, "%s:%d: %s", p->file, line, msg);
	return -1;
}

static int
count_lines(const char *s, size_t n)
{
	const char	*end = s + n;
	int		 lines = 0;

	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		lines++;
		s++;
	}
	return lines;
}

/* Where "xx" (two c) starts in s[0..n), or NULL. */
static const char *
find_pair(const char *s, size_t n, char c)
{
	const char	*end = s + n, *q;

	while (s < end && (q = memchr(s, c, (size_t)(end - s))) != NULL) {
		if (q + 1 < end && q[1] == c)
			return q;
		s = q + 1;
	}
	return NULL;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*t = arena_alloc(a, n + 1);

	memcpy(t, s, n);
	return t;
}

/*
 * A value's name: ".", @index, @first, @last, or segments of letters,
 * digits, '_' and '-' joined by single dots.  Fills in the path.
 */
static int
parse_path(struct parser *p, int line, const char *s, size_t n,
    int specials, struct path *pa)
{
	size_t	 i, start;
	int	 k;

	memset(pa, 0, sizeof *pa);
	if (n == 0)
		return perr(p, line, "empty name");
	if (n == 1 && s[0] == '.') {
		pa->special = SPECIAL_DOT;
		return 0;
	}
	if (s[0] == '@' && specials) {
		if (n == 6 && memcmp(s, "@index", 6) == 0)
			pa->special = SPECIAL_INDEX;
		else if (n == 6 && memcmp(s, "@first", 6) == 0)
			pa->special = SPECIAL_FIRST;
		else if (n == 5 && memcmp(s, "@last", 5) == 0)
			pa->special = SPECIAL_LAST;
		else
			return perr(p, line, "unknown name \"%.*s\" (@index, "
			    "@first and @last are known)", SHOWN(n), s);
		return 0;
	}
	pa->nseg = 1;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && i > 0 && i + 1 < n && s[i - 1] != '.')
			pa->nseg++;
		else if (!name_char(s[i]))
			return perr(p, line, "bad name \"%.*s\"",
			    SHOWN(n), s);
	}
	pa->seg = arena_alloc(p->arena, pa->nseg * sizeof *pa->seg);
	for (i = start = 0, k = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		pa->seg[k++] = arena_strndup(p->arena, s + start, i - start);
		start = i + 1;
	}
	return 0;
}

/* A partial's name: letters, digits, '_', '-', '.' and '/'. */
static int
check_partial(struct parser *p, int line, const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return perr(p, line, "empty name");
	for (i = 0; i < n; i++) {
		if (!name_char(s[i]) && s[i] != '.' && s[i] != '/')
			return perr(p, line, "bad partial name \"%.*s\"",
			    SHOWN(n), s);
	}
	return 0;
}

struct nodes {
	struct node	*v;
	size_t		 n, cap;
};

static struct node *
nodes_add(struct nodes *ns, enum node_type type, int line)
{
	struct node	*nd;

	if (ns->n == ns->cap) {
		ns->cap = ns->cap == 0 ? 8 : ns->cap * 2;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
	}
	nd = &ns->v[ns->n++];
	memset(nd, 0, sizeof *nd);
	nd->type = type;
	nd->line = line;
	return nd;
}

static int parse_block(struct parser *, const char *, char, int,
    struct node **, size_t *);

/*
 * {{/name}} (c, clen: the tag's text after the braces): 0 when it closes
 * the section open, {{#close}} or {{^close}} of open_line, else -1.
 */
static int
tag_close(struct parser *p, int line, const char *c, size_t clen,
    const char *close, char sigil, int open_line)
{
	c++;
	clen--;
	trim(&c, &clen);
	if (clen == 0)
		return perr(p, line, "empty name");
	if (close == NULL)
		return perr(p, line, "{{/%.*s}} closes no section",
		    SHOWN(clen), c);
	if (strlen(close) != clen || memcmp(close, c, clen) != 0)
		return perr(p, line, "{{/%.*s}} does not close "
		    "{{%c%.*s}} of line %d", SHOWN(clen), c,
		    sigil, SHOWN(strlen(close)), close, open_line);
	return 0;
}

/* {{#name}} or {{^name}}: a section node and its nodes up to {{/name}}. */
static int
tag_section(struct parser *p, struct nodes *ns, int line, const char *c,
    size_t clen)
{
	struct node	*nd;

	nd = nodes_add(ns, c[0] == '#' ? NODE_SECTION : NODE_INVERTED, line);
	c++;
	clen--;
	trim(&c, &clen);
	if (parse_path(p, line, c, clen, 1, &nd->path) != 0)
		return -1;
	if (p->nest == TMPL_MAX_NEST)
		return perr(p, line, "sections nested deeper than %d",
		    TMPL_MAX_NEST);
	nd->s = arena_strndup(p->arena, c, clen);
	nd->len = clen;
	p->nest++;
	if (parse_block(p, nd->s, nd->type == NODE_SECTION ? '#' : '^', line,
	    &nd->kids, &nd->nkids) != 0)
		return -1;
	p->nest--;
	return 0;
}

/* {{>name}} or {{>*path}}: a partial, named or dynamic. */
static int
tag_partial(struct parser *p, struct nodes *ns, int line, const char *c,
    size_t clen)
{
	struct node	*nd;

	c++;
	clen--;
	trim(&c, &clen);
	if (clen > 0 && c[0] == '*') {
		nd = nodes_add(ns, NODE_DYNAMIC, line);
		c++;
		clen--;
		trim(&c, &clen);
		if (parse_path(p, line, c, clen, 0, &nd->path) != 0)
			return -1;
	} else {
		nd = nodes_add(ns, NODE_PARTIAL, line);
		if (check_partial(p, line, c, clen) != 0)
			return -1;
	}
	nd->s = arena_strndup(p->arena, c, clen);
	nd->len = clen;
	return 0;
}

/*
 * Parse nodes up to the end of the text (close == NULL) or up to
 * {{/close}} of the section opened on open_line with sigil '#' or '^'.
 * The nodes are moved to the arena.
 */
static int
parse_block(struct parser *p, const char *close, char sigil, int open_line,
    struct node **out, size_t *nout)
{
	struct nodes	 ns = { NULL, 0, 0 };
	struct node	*nd;
	const char	*s, *open, *end, *c;
	size_t		 left, tlen, clen;
	int		 line;

	for (;;) {
		s = p->s + p->pos;
		left = p->len - p->pos;
		open = find_pair(s, left, '{');
		tlen = open == NULL ? left : (size_t)(open - s);
		if (tlen > 0) {
			nd = nodes_add(&ns, NODE_TEXT, p->line);
			nd->s = s;
			nd->len = tlen;
			p->line += count_lines(s, tlen);
		}
		if (open == NULL) {
			p->pos = p->len;
			if (close != NULL) {
				perr(p, open_line, "{{%c%.*s}} is not closed",
				    sigil, SHOWN(strlen(close)), close);
				goto fail;
			}
			break;
		}
		line = p->line;
		p->pos += tlen + 2;
		s = p->s + p->pos;
		left = p->len - p->pos;
		if (left > 0 && s[0] == '{') {
			perr(p, line, "raw output is not allowed");
			goto fail;
		}
		if ((end = find_pair(s, left, '}')) == NULL) {
			perr(p, line, "unterminated tag");
			goto fail;
		}
		c = s;
		clen = (size_t)(end - s);
		p->line += count_lines(c, clen);
		p->pos += clen + 2;
		trim(&c, &clen);
		if (clen == 0) {
			perr(p, line, "empty name");
			goto fail;
		}
		switch (c[0]) {
		case '!':
			continue;
		case '{':
		case '&':
			perr(p, line, "raw output is not allowed");
			goto fail;
		case '=':
			perr(p, line, "changing the delimiters is not "
			    "supported");
			goto fail;
		case '/':
			if (tag_close(p, line, c, clen, close, sigil,
			    open_line) != 0)
				goto fail;
			goto done;
		case '#':
		case '^':
			if (tag_section(p, &ns, line, c, clen) != 0)
				goto fail;
			break;
		case '>':
			if (tag_partial(p, &ns, line, c, clen) != 0)
				goto fail;
			break;
		default:
			nd = nodes_add(&ns, NODE_VALUE, line);
			if (parse_path(p, line, c, clen, 1, &nd->path) != 0)
				goto fail;
			nd->s = arena_strndup(p->arena, c, clen);
			nd->len = clen;
			break;
		}
	}
done:
	*nout = ns.n;
	*out = NULL;
	if (ns.n > 0) {
		*out = arena_alloc(p->arena, ns.n * sizeof **out);
		memcpy(*out, ns.v, ns.n * sizeof **out);
	}
	free(ns.v);
	return 0;
fail:
	free(ns.v);
	return -1;
}

/* ---- the set ---- */

static struct tmpl_set *
set_new(void)
{
	struct tmpl_set	*set = xcalloc(1, sizeof *set);

	arena_init(&set->arena);
	return set;
}

void
tmpl_free(struct tmpl_set *set)
{
	if (set == NULL)
		return;
	arena_free(&set->arena);
	free(set->v);
	free(set);
}

/* Compile one template into the set; file is the name used in messages. */
static int
set_add(struct tmpl_set *set, const char *name, const char *file,
    const char *text, size_t len, char **cause)
{
	struct parser	 p;
	struct tmpl	*t;
	char		*copy;

	if (len > TMPL_MAX_FILE) {
		xasprintf(cause, "%s: larger than 1 MiB", file);
		return -1;
	}
	copy = arena_alloc(&set->arena, len + 1);
	memcpy(copy, text, len);
	memset(&p, 0, sizeof p);
	p.arena = &set->arena;
	p.file = arena_strdup(&set->arena, file);
	p.s = copy;
	p.len = len;
	p.line = 1;

	if (set->n == set->cap) {
		set->cap = set->cap == 0 ? 16 : set->cap * 2;
		set->v = xreallocarray(set->v, set->cap, sizeof *set->v);
	}
	t = &set->v[set->n];
	t->name = arena_strdup(&set->arena, name);
	t->file = p.file;
	if (parse_block(&p, NULL, 0, 0, &t->nodes, &t->nnodes) != 0) {
		*cause = p.cause;
		return -1;
	}
	set->n++;
	return 0;
}

static int
tmpl_cmp(const void *a, const void *b)
{
	const struct tmpl	*ta = a, *tb = b;

	return strcmp(ta->name, tb->name);
}

static const struct tmpl *
set_find(const struct tmpl_set *set, const char *name)
{
	struct tmpl	 key;

	if (set->n == 0)
		return NULL;
	key.name = name;
	return bsearch(&key, set->v, set->n, sizeof *set->v, tmpl_cmp);
}

static void
resolve(const struct tmpl_set *set, struct node *nodes, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (nodes[i].type == NODE_PARTIAL)
			nodes[i].partial = set_find(set, nodes[i].s);
		else if (nodes[i].nkids > 0)
			resolve(set, nodes[i].kids, nodes[i].nkids);
	}
}

/* Sort, refuse duplicates, point static partials at their template. */
static int
set_finish(struct tmpl_set *set, char **cause)
{
	size_t	 i;

	if (set->n > 0)
		qsort(set->v, set->n, sizeof *set->v, tmpl_cmp);
	for (i = 1; i < set->n; i++) {
		if (strcmp(set->v[i - 1].name, set->v[i].name) == 0) {
			xasprintf(cause, "%s: template \"%s\" is given twice",
			    set->v[i].file, set->v[i].name);
			return -1;
		}
	}
	for (i = 0; i < set->n; i++)
		resolve(set, set->v[i].nodes, set->v[i].nnodes);
	return 0;
}

struct tmpl_set *
tmpl_load_mem(int n, const char *const *names, const char *const *texts,
    char **cause)
{
	struct tmpl_set	*set = set_new();
	int		 i;

	for (i = 0; i < n; i++) {
		if (names[i] == NULL || *names[i] == '\0' || texts[i] == NULL) {
			xasprintf(cause, "template %d has no name or no text",
			    i);
			goto fail;
		}
		if (set_add(set, names[i], names[i], texts[i],
		    strlen(texts[i]), cause) != 0)
			goto fail;
	}
	if (set_finish(set, cause) != 0)
		goto fail;
	return set;
fail:
	tmpl_free(set);
	return NULL;
}

struct found {
	char	*name;		/* "apply/tab" */
	char	*path;		/* "templates/apply/tab.html" */
};
struct walk {
	struct found	*v;
	size_t		 n, cap;
};

static int
found_cmp(const void *a, const void *b)
{
	const struct found	*fa = a, *fb = b;

	return strcmp(fa->name, fb->name);
}

/* Collect the *.html files under dir/rel, skipping names starting '.'. */
static int
walk_dir(struct walk *w, const char *dir, const char *rel, int level,
    char **cause)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*path, *sub;
	size_t		 len;
	int		 rc = 0;

	if (*rel == '\0')
		path = xstrdup(dir);
	else
		xasprintf(&path, "%s/%s", dir, rel);
	if ((d = opendir(path)) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (*rel == '\0')
			sub = xstrdup(de->d_name);
		else
			xasprintf(&sub, "%s/%s", rel, de->d_name);
		xasprintf(&path, "%s/%s", dir, sub);
		len = strlen(sub);
		if (stat(path, &st) != 0) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (level == TMPL_MAX_DIRS) {
				xasprintf(cause, "%s: directories nested "
				    "deeper than %d", path, TMPL_MAX_DIRS);
				rc = -1;
			} else
				rc = walk_dir(w, dir, sub, level + 1, cause);
		} else if (S_ISREG(st.st_mode) && len > 5 &&
		    strcmp(sub + len - 5, ".html") == 0) {
			if (w->n == w->cap) {
				w->cap = w->cap == 0 ? 32 : w->cap * 2;
				w->v = xreallocarray(w->v, w->cap,
				    sizeof *w->v);
			}
			sub[len - 5] = '\0';
			w->v[w->n].name = sub;
			w->v[w->n].path = path;
			w->n++;
			continue;
		}
		free(sub);
		free(path);
	}
	closedir(d);
	return rc;
}

static int
read_file(const char *path, struct buf *b, char **cause)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;
	int	 rc = 0;

	if ((f = fopen(path, "rb")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > TMPL_MAX_FILE) {
			xasprintf(cause, "%s: larger than 1 MiB", path);
			rc = -1;
			break;
		}
		buf_add(b, chunk, n);
	}
	if (rc == 0 && ferror(f)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	fclose(f);
	return rc;
}

struct tmpl_set *
tmpl_load(const char *dir, char **cause)
{
	struct tmpl_set	*set = set_new();
	struct walk	 w = { NULL, 0, 0 };
	struct buf	 b;
	size_t		 i;
	int		 rc;

	rc = walk_dir(&w, dir, "", 0, cause);
	if (rc == 0 && w.n > 0)
		qsort(w.v, w.n, sizeof *w.v, found_cmp);
	for (i = 0; rc == 0 && i < w.n; i++) {
		buf_init(&b);
		rc = read_file(w.v[i].path, &b, cause);
		if (rc == 0)
			rc = set_add(set, w.v[i].name, w.v[i].path,
			    b.s == NULL ? "" : b.s, b.len, cause);
		buf_free(&b);
	}
	for (i = 0; i < w.n; i++) {
		free(w.v[i].name);
		free(w.v[i].path);
	}
	free(w.v);
	if (rc == 0)
		rc = set_finish(set, cause);
	if (rc != 0) {
		tmpl_free(set);
		return NULL;
	}
	return set;
}

int
tmpl_has(const struct tmpl_set *set, const char *name)
{
	return set_find(set, name) != NULL;
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

static int
render_nodes(struct render *, const struct tmpl *, const struct node *,
    size_t, const struct ctx *);

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
			if ((pt = set_find(r->set, json_string_value(v))) ==
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

int
tmpl_render(const struct tmpl_set *set, const char *name, json_t *view,
    struct buf *out, char **cause)
{
	struct render		 r;
	struct ctx		 root;
	const struct tmpl	*t;

	if ((t = set_find(set, name)) == NULL) {
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
