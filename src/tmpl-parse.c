/*
 * The template engine's compiler (tmpl.c renders): tmpl_load() and
 * tmpl_load_mem() read templates and parse each into an array of nodes,
 * a section holding its own array; the set is sorted by name and static
 * partials are resolved to their template once, at load.  Every error
 * says "FILE:LINE: message".  Split from tmpl.c (issue 14).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "tmpl.h"
#include "tmpl-int.h"
#include "banned.h"

#define TMPL_MAX_FILE	(1024 * 1024)	/* one template's text */
#define TMPL_MAX_NEST	64		/* sections in one template */
#define TMPL_MAX_DIRS	16		/* directory levels */

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

/* A parse error as "FILE:LINE: message"; parsing stops there; returns -1. */
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

/* Newlines in s[0..n): p->line stays right across text and tags. */
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

/* The whitespace mustache ignores around a tag's name. */
static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Strip that whitespace from both ends of a tag's text. */
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

/* The bytes a segment of a name may hold. */
static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/*
 * A NUL-terminated copy of n bytes in the set's arena, to live as long as
 * the templates.
 */
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

/*
 * A zeroed node at the end of a growing array (moved to the arena when its
 * block is complete).
 */
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

/* An empty set and its arena. */
static struct tmpl_set *
set_new(void)
{
	struct tmpl_set	*set = xcalloc(1, sizeof *set);

	arena_init(&set->arena);
	return set;
}

/* tmpl.h: a set is its arena and its array of templates; NULL is fine. */
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

/* Templates by name, for qsort and bsearch. */
static int
tmpl_cmp(const void *a, const void *b)
{
	const struct tmpl	*ta = a, *tb = b;

	return strcmp(ta->name, tb->name);
}

/* The template of that name, or NULL: the set is sorted once loaded. */
const struct tmpl *
ti_find(const struct tmpl_set *set, const char *name)
{
	struct tmpl	 key;

	if (set->n == 0)
		return NULL;
	key.name = name;
	return bsearch(&key, set->v, set->n, sizeof *set->v, tmpl_cmp);
}

/*
 * Point each static partial at its template, into sections too, so that a
 * render looks nothing up.
 */
static void
resolve(const struct tmpl_set *set, struct node *nodes, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (nodes[i].type == NODE_PARTIAL)
			nodes[i].partial = ti_find(set, nodes[i].s);
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

/*
 * tmpl.h: templates from memory (tests, the fuzzer); the name is also the
 * FILE of messages.
 */
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

/*
 * Files by template name, so that templates load in one order whatever
 * readdir returns.
 */
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

/*
 * A template's text into b, refused past TMPL_MAX_FILE while reading so a
 * huge file is never held whole.
 */
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

/*
 * tmpl.h: every template under dir, read in name order and compiled; NULL
 * and *cause on the first problem.
 */
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

/*
 * tmpl.h: whether the set has a template, for checks at start-up (view.c
 * looks for the layout).
 */
int
tmpl_has(const struct tmpl_set *set, const char *name)
{
	return ti_find(set, name) != NULL;
}
