/*
 * The rule-set reader's tokens (docs/rules-format.md): a line split into
 * words and "quoted text", and the values a token holds (numbers, ids,
 * category codes and @sets).  Every problem is "FILE:LINE: message".
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules-int.h"
#include "banned.h"

#define MAX_CODES	256

int
rp_err(struct parser *ps, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	if (ps->cause != NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	xasprintf(&ps->cause, "%s:%d: %s", ps->file, ps->line, msg);
	return -1;
}

/* Grow an arena array by one element, returning the new element. */
void *
rp_push(struct arena *a, void **arr, int *n, size_t elem)
{
	void	*nv;

	/* Capacity is the next power of two at or above n. */
	if (*n == 0 || (*n & (*n - 1)) == 0) {
		nv = arena_alloc(a, (size_t)(*n == 0 ? 1 : *n * 2) * elem);
		if (*n > 0)
			memcpy(nv, *arr, (size_t)*n * elem);
		*arr = nv;
	}
	return (char *)*arr + (size_t)(*n)++ * elem;
}

/*
 * Split one line into tokens: words, "quoted text" (with \" and \\), and
 * '#' to the end of the line.  Writes NULs into the line.
 */
int
rp_tokenize(struct parser *ps, char *s)
{
	char	*out;

	ps->ntok = 0;
	ps->quoted = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (ps->ntok == MAX_TOKENS)
			return rp_err(ps, "line has more than %d words",
			    MAX_TOKENS);
		if (*s == '"') {
			out = ++s;
			ps->quoted |= (uint64_t)1 << ps->ntok;
			ps->tok[ps->ntok++] = out;
			for (;;) {
				if (*s == '\0')
					return rp_err(ps, "text is missing its "
					    "closing quote");
				if (*s == '"')
					break;
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*out++ = *s++;
			}
			s++;
			*out = '\0';
			if (*s != '\0' && *s != ' ' && *s != '\t' &&
			    *s != '\r' && *s != '#')
				return rp_err(ps, "expected a space after the "
				    "closing quote");
			continue;
		}
		ps->tok[ps->ntok++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' &&
		    *s != '#' && *s != '"')
			s++;
		if (*s == '"')
			return rp_err(ps, "unexpected quote inside '%.*s'",
			    (int)(s - ps->tok[ps->ntok - 1]),
			    ps->tok[ps->ntok - 1]);
		if (*s == '#') {
			*s = '\0';
			return 0;
		}
		if (*s != '\0')
			*s++ = '\0';
	}
}

int
rp_number(struct parser *ps, const char *what, const char *s, double max,
    double *out)
{
	char	*end;
	double	 d;

	if (s == NULL)
		return rp_err(ps, "%s: expected a number", what);
	errno = 0;
	d = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !(d >= 0) ||
	    !isdigit((unsigned char)s[0]))
		return rp_err(ps, "%s: expected a number, not '%s'", what, s);
	if (d > max)
		return rp_err(ps, "%s: %s is more than %g", what, s, max);
	*out = d;
	return 0;
}

int
rp_int(struct parser *ps, const char *what, const char *s, int max,
    int *out)
{
	double	 d;

	if (rp_number(ps, what, s, max, &d) != 0)
		return -1;
	if (d != (int)d)
		return rp_err(ps, "%s: expected a whole number, not '%s'", what,
		    s);
	*out = (int)d;
	return 0;
}

int
rp_is_code(const char *s)
{
	if (!isupper((unsigned char)*s))
		return 0;
	for (; *s != '\0'; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s)
		    && *s != '-')
			return 0;
	return 1;
}

int
rp_valid_id(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s)
		    && *s != '.' && *s != '_' && *s != '-')
			return 0;
	return 1;
}

struct named_codes *
rp_find_set(struct ruleset *rs, const char *name)
{
	int	 i;

	for (i = 0; i < rs->nsets; i++)
		if (strcmp(rs->sets[i].name, name) == 0)
			return &rs->sets[i];
	return NULL;
}

/* Add a code to a list once; a list holds at most MAX_CODES. */
static int
add_code(struct parser *ps, struct codes *c, const char *code)
{
	struct coderef	*r;
	int		 i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i], code) == 0)
			return 0;
	if (c->n == MAX_CODES)
		return rp_err(ps, "a list holds at most %d category codes",
		    MAX_CODES);

	i = c->n;
	*(uint64_t *)rp_push(&ps->rs->arena, (void **)&c->k, &i,
	    sizeof *c->k) = code_key(code);
	*(char **)rp_push(&ps->rs->arena, (void **)&c->v, &c->n,
	    sizeof *c->v) = (char *)code;
	if (ps->nrefs == ps->caprefs) {
		ps->caprefs = ps->caprefs == 0 ? 32 : ps->caprefs * 2;
		ps->refs = xreallocarray(ps->refs, (size_t)ps->caprefs,
		    sizeof *ps->refs);
	}
	r = &ps->refs[ps->nrefs++];
	r->code = code;
	r->line = ps->line;
	return 0;
}

/*
 * Category codes from token i up to a token in stop (or the end); @name
 * expands a set.  Returns the index after the last code.
 */
int
rp_codes(struct parser *ps, int i, const char *const *stop,
    struct codes *out)
{
	struct named_codes	*set;
	int			 j, start = i;

	for (; i < ps->ntok; i++) {
		for (j = 0; stop != NULL && stop[j] != NULL; j++)
			if (strcmp(ps->tok[i], stop[j]) == 0)
				goto done;
		if (ps->tok[i][0] == '@') {
			if ((set = rp_find_set(ps->rs, ps->tok[i] + 1)) == NULL)
				return rp_err(ps, "unknown set '%s' (define it "
				    "with 'set %s CODE ...' above)", ps->tok[i],
				    ps->tok[i] + 1);
			for (j = 0; j < set->codes.n; j++)
				if (add_code(ps, out, set->codes.v[j]) != 0)
					return -1;
			continue;
		}
		if (!rp_is_code(ps->tok[i]))
			return rp_err(ps, "'%s' is not a category code (codes "
			    "look like IFS or IMHM-C)", ps->tok[i]);
		if (add_code(ps, out, arena_strdup(&ps->rs->arena,
		    ps->tok[i])) != 0)
			return -1;
	}
done:
	if (i == start)
		return rp_err(ps, "'%s' needs at least one category code",
		    ps->tok[start - 1]);
	return i;
}
