/*
 * tmpl-parse.c and tmpl.c: the HTML template engine, a subset of mustache
 * compiled once at load into a tree of nodes.  Every value is written
 * through tmpl_escape(): there is no raw output ({{{ and {{& are parse
 * errors).
 *
 *	{{name}} {{a.b.c}} {{.}}	a value, escaped
 *	{{#name}}...{{/name}}		section: array, object or truthy value
 *	{{^name}}...{{/name}}		inverted section
 *	{{@index}} {{#@first}} {{#@last}}	inside an array section
 *	{{>a/b}} {{>*key}}		partial, dynamic partial
 *	{{! comment }}
 *
 * The view is a jansson value, borrowed (no reference is taken).
 */
#ifndef TMPL_H
#define TMPL_H

#include <stddef.h>

#include <jansson.h>

struct buf;

struct tmpl_set;
/* ---- tmpl-parse.c: loading and compiling ---- */
/* Load every *.html file under dir (recursively); a template's name is its path relative to dir without ".html", e.g. "layout", "apply/tab". Parse errors: NULL and *cause = "FILE:LINE: message" (malloc'd). */
/* (Names starting with '.' are skipped; a template is at most 1 MiB.) */
struct tmpl_set *tmpl_load(const char *dir, char **cause);
/* Same from memory, for tests and the fuzzer: n templates given as names[i], texts[i]. */
/* (There FILE in messages is the template's name; a name given twice is an error.) */
struct tmpl_set *tmpl_load_mem(int n, const char *const *names, const char *const *texts, char **cause);
void tmpl_free(struct tmpl_set *);
int  tmpl_has(const struct tmpl_set *, const char *name);

/* ---- tmpl.c: rendering and escaping ---- */
/* Render template name with the view; appends to out. -1 and *cause (malloc'd) on a missing template/partial or depth > 32 of partial nesting. */
/* (Also when one render would add more than 16 MiB or visit more than 2^24 nodes.  Causes say "FILE:LINE: message"; on error out is left as it was.) */
int  tmpl_render(const struct tmpl_set *, const char *name, json_t *view, struct buf *out, char **cause);
/* The one escaping function: & < > " ' as &amp; &lt; &gt; &quot; &#39; */
void tmpl_escape(struct buf *, const char *, size_t);

#endif
