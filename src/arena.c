/*
 * A bump allocator: a portfolio or one evaluation allocates here and frees
 * everything at once.  arena_reset keeps the first chunk for reuse, so a
 * loop of evaluations allocates nothing after the first.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "banned.h"

#define CHUNK_MIN	(16u * 1024)
#define ALIGN		16u

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size, used;
	unsigned char		 data[];
};

void
arena_init(struct arena *a)
{
	a->head = NULL;
}

/* Uninitialised memory: for arrays the caller fills in whole (the rules
   engine's per-evaluation scratch), where zeroing is wasted work. */
void *
arena_alloc_raw(struct arena *a, size_t n)
{
	struct arena_chunk	*c = a->head;
	size_t			 size;
	void			*p;

	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	if (c == NULL || c->size - c->used < n) {
		size = n > CHUNK_MIN ? n : CHUNK_MIN;
		if (c != NULL && c->size * 2 > size && c->size < 1024 * 1024)
			size = c->size * 2;
		c = xmalloc(sizeof *c + size);
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	void	*p = arena_alloc_raw(a, n);

	return memset(p, 0, n);
}

char *
arena_strdup(struct arena *a, const char *s)
{
	size_t	 n = strlen(s) + 1;
	char	*p = arena_alloc(a, n);

	memcpy(p, s, n);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	 small[256], *p;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(p, small, (size_t)n + 1);
	else {
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return p;
}

/* Free all but the largest (first-allocated last) chunk and empty it. */
void
arena_reset(struct arena *a)
{
	struct arena_chunk	*c, *next, *keep = NULL;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (keep == NULL || c->size > keep->size) {
			free(keep);
			keep = c;
		} else
			free(c);
	}
	if (keep != NULL) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}
