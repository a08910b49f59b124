/*
 * The rule-set reader: one file per association (docs/rules-format.md).
 *
 * A line-oriented format a coordinator can read and edit: one directive
 * per line, '#' comments, quoted text.  Every problem is reported as
 * "FILE:LINE: message" and refuses the whole file: an association never
 * runs on half a rule set.
 *
 * This file reads the file's structure, a line at a time (rules_parse):
 * association, name, sets, where each category and block begins, and
 * checks the whole at the end.  rules-lex.c splits lines into tokens and
 * reads their values, rules-category.c reads the lines of a category,
 * rules-policy.c those of the renewal, membership and workflow blocks,
 * rules-load.c reads files and directories.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules-int.h"
#include "banned.h"

/* A line outside any category or block: a directive, or where one begins. */
static int
top_line(struct parser *ps)
{
	struct ruleset		*rs = ps->rs;
	struct named_codes	*set;
	struct codes		 codes;
	const char		*w = ps->tok[0];
	const char		*base, *dot;
	int			 i;

	if (strcmp(w, "association") == 0) {
		if (rs->id != NULL)
			return rp_err(ps, "'association' is given twice");
		if (ps->ntok != 2 || !rp_valid_id(ps->tok[1]))
			return rp_err(ps, "'association' needs one id in lower "
			    "case, such as vaimh");
		base = strrchr(ps->file, '/');
		base = base == NULL ? ps->file : base + 1;
		dot = strrchr(base, '.');
		if (dot != NULL && strcmp(dot, ".rules") == 0 &&
		    ((size_t)(dot - base) != strlen(ps->tok[1]) ||
		    strncmp(base, ps->tok[1], (size_t)(dot - base)) != 0))
			return rp_err(ps, "association '%s' must live in "
			    "%s.rules", ps->tok[1], ps->tok[1]);
		rs->id = arena_strdup(&rs->arena, ps->tok[1]);
		return 0;
	}
	if (rs->id == NULL)
		return rp_err(ps, "the file must begin with 'association ID'");
	if (strcmp(w, "name") == 0) {
		if (ps->ntok != 2)
			return rp_err(ps, "'name' needs one quoted name");
		rs->name = arena_strdup(&rs->arena, ps->tok[1]);
		return 0;
	}
	if (strcmp(w, "set") == 0) {
		if (ps->ntok < 3 || !rp_valid_id(ps->tok[1]))
			return rp_err(ps, "'set' reads 'set NAME CODE ...' "
			    "with a lower-case name");
		if (rp_find_set(rs, ps->tok[1]) != NULL)
			return rp_err(ps, "set '%s' is defined twice",
			    ps->tok[1]);
		/* Read the codes first: a set cannot name itself. */
		memset(&codes, 0, sizeof codes);
		if (rp_codes(ps, 2, NULL, &codes) < 0)
			return -1;
		set = rp_push(&rs->arena, (void **)&rs->sets, &rs->nsets,
		    sizeof *set);
		set->name = arena_strdup(&rs->arena, ps->tok[1]);
		set->codes = codes;
		return 0;
	}
	if (strcmp(w, "renewal") == 0) {
		if (ps->ntok != 1)
			return rp_err(ps, "'renewal' stands alone; its lines "
			    "follow, up to 'end'");
		if (rs->renewal.defined)
			return rp_err(ps, "'renewal' is given twice");
		rs->renewal.defined = 1;
		rs->renewal.line = ps->line;
		ps->in_renewal = 1;
		return 0;
	}
	if (strcmp(w, "membership") == 0) {
		if (ps->ntok != 1)
			return rp_err(ps, "'membership' stands alone; its "
			    "lines follow, up to 'end'");
		if (rs->membership.defined)
			return rp_err(ps, "'membership' is given twice");
		rs->membership.defined = 1;
		rs->membership.line = ps->line;
		ps->in_membership = 1;
		return 0;
	}
	if (strcmp(w, "workflow") == 0) {
		if (ps->ntok != 1)
			return rp_err(ps, "'workflow' stands alone; its lines "
			    "follow, up to 'end'");
		if (rs->workflow.defined)
			return rp_err(ps, "'workflow' is given twice");
		rs->workflow.defined = 1;
		rs->workflow.line = ps->line;
		ps->in_workflow = 1;
		return 0;
	}
	if (strcmp(w, "category") == 0) {
		if (ps->ntok < 2 || ps->ntok > 3 || !rp_is_code(ps->tok[1]))
			return rp_err(ps, "'category' reads 'category CODE "
			    "\"title\"' with a code such as IFS");
		for (i = 0; i < rs->ncats; i++)
			if (strcmp(rs->cats[i].code, ps->tok[1]) == 0)
				return rp_err(ps, "category %s is defined "
				    "twice", ps->tok[1]);
		ps->cat = rp_push(&rs->arena, (void **)&rs->cats, &rs->ncats,
		    sizeof *ps->cat);
		ps->cat->code = arena_strdup(&rs->arena, ps->tok[1]);
		ps->cat->title = arena_strdup(&rs->arena,
		    ps->ntok == 3 ? ps->tok[2] : ps->tok[1]);
		ps->cat->track = -1;
		ps->cat->line = ps->line;
		return 0;
	}
	if (strcmp(w, "end") == 0)
		return rp_err(ps, "'end' without an open category, renewal, "
		    "membership or any");
	return rp_err(ps, "unknown directive '%s' (expected association, name, "
	    "set, renewal, membership or category)", w);
}

/* After the last line: every code named must be a category here. */
static int
check_refs(struct parser *ps)
{
	int	 i, j;

	for (i = 0; i < ps->nrefs; i++) {
		for (j = 0; j < ps->rs->ncats; j++)
			if (strcmp(ps->rs->cats[j].code, ps->refs[i].code) == 0)
				break;
		if (j == ps->rs->ncats) {
			ps->line = ps->refs[i].line;
			return rp_err(ps, "unknown category '%s'",
			    ps->refs[i].code);
		}
	}
	for (i = 0; i < ps->rs->ncats; i++) {
		if (ps->rs->cats[i].nrenews > 0 && !ps->rs->renewal.defined) {
			ps->line = ps->rs->cats[i].renews[0].line;
			return rp_err(ps, "'renew' needs a 'renewal' block in "
			    "this file");
		}
	}
	if (ps->rs->renewal.defined) {
		ps->line = ps->rs->renewal.line;
		if (ps->rs->renewal.cycle_years == 0)
			return rp_err(ps, "'renewal' needs a 'cycle' line");
		for (i = 0; i < ps->rs->renewal.nrows; i++)
			if (ps->rs->renewal.rows[i].years >
			    ps->rs->renewal.cycle_years)
				return rp_err(ps, "'prorate %d' is longer than "
				    "the %d-year cycle",
				    ps->rs->renewal.rows[i].years,
				    ps->rs->renewal.cycle_years);
	}
	return 0;
}

struct ruleset *
rules_parse(const char *file, const char *text, size_t len, char **cause)
{
	struct parser	 ps;
	char		*copy, *line, *nl;
	size_t		 i;
	int		 rc = 0;

	memset(&ps, 0, sizeof ps);
	ps.file = file;
	ps.rs = xcalloc(1, sizeof *ps.rs);
	ps.rs->workflow.rating_valid_months = 12;
	ps.rs->workflow.link_days = 30;
	ps.rs->workflow.void_unknown = 6;
	ps.rs->workflow.reviewers = 1;
	ps.rs->workflow.exam_questions = 60;
	ps.rs->workflow.exam_pass_pct = 80;
	ps.rs->workflow.exam_part2_max = 10;
	ps.rs->workflow.exam_part2_pass = 7;
	ps.rs->workflow.retake_days = 90;
	arena_init(&ps.rs->arena);
	ps.rs->file = arena_strdup(&ps.rs->arena, file);
	ps.rs->renewal.cap_provided_pct = -1;
	ps.rs->renewal.cap_volunteer = -1;
	ps.rs->renewal.cure_days = 30;
	ps.rs->renewal.member_grace = 30;
	copy = arena_alloc(&ps.rs->arena, len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (line = copy; rc == 0 && line < copy + len + 1; line = nl + 1) {
		ps.line++;
		if ((nl = memchr(line, '\n', (size_t)(copy + len - line))) ==
		    NULL)
			nl = copy + len;
		*nl = '\0';
		for (i = 0; line + i < nl; i++) {
			unsigned char c = (unsigned char)line[i];
			if (c == 0 || (c < 0x20 && c != '\t' && c != '\r')) {
				rc = rp_err(&ps, "control character in the "
				    "line");
				break;
			}
		}
		if (rc != 0 || (rc = rp_tokenize(&ps, line)) != 0 ||
		    ps.ntok == 0)
			continue;
		if (ps.in_renewal || ps.in_membership || ps.in_workflow)
			rc = rp_policy_line(&ps);
		else if (ps.cat != NULL)
			rc = rp_category_line(&ps);
		else
			rc = top_line(&ps);
	}
	if (rc == 0) {
		ps.line--;	/* the line after the last newline */
		if (ps.cat != NULL)
			rc = rp_err(&ps, "category %s is not closed with 'end'",
			    ps.cat->code);
		else if (ps.in_renewal)
			rc = rp_err(&ps, "'renewal' is not closed with 'end'");
		else if (ps.in_membership)
			rc = rp_err(&ps, "'membership' is not closed with "
			    "'end'");
		else if (ps.in_workflow)
			rc = rp_err(&ps, "'workflow' is not closed with 'end'");
		else if (ps.rs->id == NULL)
			rc = rp_err(&ps, "no 'association' line");
		else if (ps.rs->ncats == 0)
			rc = rp_err(&ps, "no categories");
		else
			rc = check_refs(&ps);
	}
	free(ps.refs);
	if (rc != 0) {
		*cause = ps.cause;
		rules_free(ps.rs);
		return NULL;
	}
	if (ps.rs->name == NULL)
		ps.rs->name = ps.rs->id;
	if (ps.rs->workflow.number_prefix == NULL) {
		ps.rs->workflow.number_prefix = arena_strdup(&ps.rs->arena,
		    ps.rs->id);
		for (i = 0; ps.rs->workflow.number_prefix[i] != '\0'; i++)
			ps.rs->workflow.number_prefix[i] = (char)toupper(
			    (unsigned char)ps.rs->workflow.number_prefix[i]);
	}
	*cause = NULL;
	return ps.rs;
}
