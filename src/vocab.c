/*
 * The enumerations of endorse-portfolio/1 (portfolio.md), shared by the
 * portfolio reader and the rule parser so both accept the same words.
 */
#include <string.h>

#include "endorse.h"
#include "banned.h"

#define VOCAB(var, label, ...)						\
	static const char *const var##_names[] = { __VA_ARGS__ };	\
	const struct vocab var = { label, var##_names,			\
	    (int)(sizeof var##_names / sizeof var##_names[0]) }

VOCAB(vocab_level, "level", "none", "cda", "associate", "bachelor", "master",
    "doctorate");
/* The portfolio's education levels: vocab_level without "none". */
VOCAB(vocab_degree, "level", "cda", "associate", "bachelor", "master",
    "doctorate");
VOCAB(vocab_age, "age group", "infant", "early_childhood");
VOCAB(vocab_service, "service", "promotion", "prevention", "treatment", "rsc",
    "policy", "administration", "research", "teaching", "other");
VOCAB(vocab_role, "role", "attended", "provided", "volunteer");
VOCAB(vocab_format, "format", "individual", "group", "peer");
VOCAB(vocab_focus, "focus", "practice", "provision");
VOCAB(vocab_relationship, "relationship", "program_supervisor",
    "rsc_provider", "rsc_recipient", "endorsed_professional", "supervisor",
    "colleague", "trainer", "consultant", "supervisee", "student",
    "department_chair", "parent", "teacher", "cda_mentor", "board_member");
VOCAB(vocab_refstatus, "status", "draft", "sent", "opened", "completed",
    "declined", "expired", "void");
VOCAB(vocab_result, "result", "pass", "fail");
/* The domains of a reference rating form (a rule set's 'item' lines). */
VOCAB(vocab_domain, "domain", "reflection", "working-with-others",
    "thinking");
VOCAB(vocab_scope, "level", "local", "regional", "state", "national",
    "international");
VOCAB(vocab_track, "track", "infant", "early_childhood");

const char *const level_words[LEVEL__N] = {
	"no degree", "CDA credential", "associate degree",
	"bachelor's degree", "master's degree", "doctorate",
};

int
vocab_find(const struct vocab *v, const char *s)
{
	int	 i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->names[i], s) == 0)
			return i;
	return -1;
}

void
vocab_list(const struct vocab *v, struct buf *b)
{
	int	 i;

	for (i = 0; i < v->n; i++) {
		if (i > 0)
			buf_puts(b, i == v->n - 1 ? " or " : ", ");
		buf_puts(b, v->names[i]);
	}
}

/* Codes are a few characters: compare in line, no call. */
static inline int
code_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* FNV-1a: equal codes have equal keys, so unequal keys skip a compare. */
uint64_t
code_key(const char *s)
{
	uint64_t	 h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Whether any code of have is among want (on the engine's hot path). */
int
codes_meet(const struct codes *have, const struct codes *want)
{
	int	 i, j;

	for (i = 0; i < have->n; i++)
		for (j = 0; j < want->n; j++)
			if ((have->k == NULL || want->k == NULL ||
			    have->k[i] == want->k[j]) &&
			    code_eq(have->v[i], want->v[j]))
				return 1;
	return 0;
}
