/*
 * What the review pages share: page-review.c (the coordinator's
 * application), page-cycle.c (cycles and reviewers) and page-reviewer.c
 * (the reviewer's list and form).  Their domain is dom-review.h.
 */
#ifndef PAGE_REVIEW_H
#define PAGE_REVIEW_H

#include "dom-review.h"

/* A field of a form and the label shown beside it. */
struct rv_label {
	const char	*field;
	const char	*label;
};

/* A form's problems for the error summary, in the order of the form:
   errors is field -> message. */
void		 rv_problems(json_t *v, json_t *errors,
		    const struct rv_label *, int n);
/* {"value": typed or stored, "error": message or ""}. */
json_t		*rv_text_field(const char *value, json_t *errors,
		    const char *name);
/* A time as UTC "YYYY-MM-DD HH:MM" ("" for none). */
const char	*rv_when(struct req *, int64_t);
/* The title of a tab a reviewer comments on. */
const char	*rv_tab_title(const char *kind);
/* The competencies an assignment marked, by name. */
json_t		*rv_competencies(const struct ruleset *, const char *text);

#endif
