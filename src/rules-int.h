/*
 * The rule-set reader's internals (docs/rules-format.md), shared by
 *   rules-lex.c       a line into tokens, and the values tokens hold:
 *                     numbers, ids, category codes and @sets; the
 *                     FILE:LINE: message
 *   rules-parse.c     the file's structure: association, sets, where each
 *                     category and block begins; rules_parse()
 *   rules-category.c  the lines of a category: requirements, their
 *                     measures and filters, options, renew lines
 *   rules-policy.c    the renewal, membership and workflow blocks
 * Only rules-*.c include this header; the rule set itself is endorse.h's.
 * What one of those files lends another carries the prefix rp_ (rule
 * parser); what stays inside a file is static and has none.
 */
#ifndef RULES_INT_H
#define RULES_INT_H

#include <stdint.h>

#include "endorse.h"

#define MAX_TOKENS	64
#define MAX_NEED_HOURS	100000

/* A code referenced somewhere, checked once every category is known. */
struct coderef {
	const char	*code;
	int		 line;
};

struct parser {
	struct ruleset		*rs;
	const char		*file;
	int			 line;
	char			*cause;
	char			*tok[MAX_TOKENS];
	int			 ntok;
	uint64_t		 quoted;	/* bit per token: "text" */
	/* where we are */
	struct category		*cat;
	struct requirement	*req;		/* open requirement */
	unsigned		 req_filters;	/* FL_* seen on it */
	int			 filter_line[32];	/* by FL_* bit */
	int			 req_measured;
	int			 codes_line;	/* 'setting codes' on it, or 0 */
	struct requirement	*holder;	/* open 'any' */
	int			 in_renewal;
	int			 in_membership;
	int			 in_workflow;
	int			 calendar_line;	/* 'calendar-year' seen */
	int			 counts_line;	/* 'membership counts' seen */
	int			 setting;	/* the line says 'setting' */
	struct coderef		*refs;
	int			 nrefs, caprefs;
};

/* ---- rules-lex.c ---- */
/* Set the cause "FILE:LINE: message" (the first one only); returns -1. */
int	 rp_err(struct parser *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	*rp_push(struct arena *, void **, int *, size_t);
int	 rp_tokenize(struct parser *, char *);
int	 rp_number(struct parser *, const char *what, const char *,
	    double max, double *);
int	 rp_int(struct parser *, const char *what, const char *, int max,
	    int *);
int	 rp_is_code(const char *);
int	 rp_valid_id(const char *);
struct named_codes *rp_find_set(struct ruleset *, const char *);
int	 rp_codes(struct parser *, int, const char *const *stop,
	    struct codes *);

/* ---- rules-category.c ---- */
int	 rp_category_line(struct parser *);

/* ---- rules-policy.c ---- */
int	 rp_policy_line(struct parser *);

#endif
