/*
 * The template engine's internals, shared by
 *   tmpl-parse.c  loading: templates compiled into nodes, the set
 *   tmpl.c        rendering and escaping
 * Only those two include this header; the interface is tmpl.h.  What one
 * lends the other carries the prefix ti_ (template internals).
 */
#ifndef TMPL_INT_H
#define TMPL_INT_H

#include <stddef.h>

#include "endorse.h"

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

/* The template of that name in a loaded set, or NULL (tmpl-parse.c). */
const struct tmpl *ti_find(const struct tmpl_set *, const char *);

#endif
