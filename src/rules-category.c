/*
 * The rule-set reader's categories (docs/rules-format.md): the lines
 * between 'category' and 'end': title and track, requirements ('require',
 * 'advise') with what each measures and the filters on what counts,
 * 'any' with its options, and 'renew' lines.  A requirement is checked
 * whole when the next one opens (close_req).
 */
#include <string.h>

#include "rules-int.h"
#include "banned.h"

#define MAX_OPTIONS	8
#define MAX_SLOTS	8
#define MAX_PATTERNS	8

const char *const renew_ids[RENEW__N] = {
	"training", "training.dei", "training.rsc_provision", "rsc",
	"membership",
};

/* Filters, as bits, to check which apply to which source. */
enum {
	FL_ROLE = 0x1, FL_TOPIC = 0x2, FL_FORMAT = 0x4, FL_FOCUS = 0x8,
	FL_PROVIDER = 0x10, FL_AFTER = 0x20, FL_SPAN = 0x40, FL_WHILE = 0x80,
	FL_PAID = 0x100, FL_SUPERVISED = 0x200, FL_LICENSED = 0x400,
	FL_EITHER = 0x800, FL_SERVICE = 0x1000, FL_AGES = 0x2000,
	FL_SCOPE = 0x4000, FL_PATTERN = 0x8000, FL_ENDORSED = 0x10000,
	FL_SINCE = 0x20000, FL_ONLY = 0x40000,
};
static const struct {
	const char	*word;
	unsigned	 bit;
} filter_words[] = {
	{ "role", FL_ROLE }, { "topic", FL_TOPIC }, { "format", FL_FORMAT },
	{ "focus", FL_FOCUS }, { "provider", FL_PROVIDER },
	{ "after", FL_AFTER }, { "span", FL_SPAN }, { "while", FL_WHILE },
	{ "paid", FL_PAID }, { "supervised", FL_SUPERVISED },
	{ "licensed", FL_LICENSED }, { "either", FL_EITHER },
	{ "service", FL_SERVICE }, { "ages", FL_AGES }, { "level", FL_SCOPE },
	{ "pattern", FL_PATTERN }, { "endorsed", FL_ENDORSED },
	{ "since", FL_SINCE }, { "only-if", FL_ONLY },
};

static const char *const source_names[SRC__N] = {
	"", "training", "rsc_received", "rsc_provided", "work", "leadership",
};
/* Which filters make sense on which source. */
static const unsigned source_filters[SRC__N] = {
	0,
	FL_ROLE | FL_TOPIC | FL_AFTER | FL_SINCE,
	FL_FORMAT | FL_FOCUS | FL_PROVIDER | FL_AFTER | FL_SPAN | FL_WHILE,
	FL_AFTER,
	FL_PAID | FL_SUPERVISED | FL_LICENSED | FL_EITHER | FL_SERVICE |
	    FL_AGES | FL_AFTER,
	FL_PAID | FL_SCOPE | FL_AFTER,
};

/* "KEYWORD >= N": tokens from i must be ">=" and a number. */
static int
parse_atleast(struct parser *ps, int i, double max, double *out)
{
	if (i >= ps->ntok || strcmp(ps->tok[i], ">=") != 0)
		return rp_err(ps, "'%s' needs '>= NUMBER'", ps->tok[0]);
	if (i + 2 < ps->ntok)
		return rp_err(ps, "unexpected '%s' after the number",
		    ps->tok[i + 2]);
	return rp_number(ps, ps->tok[0], i + 1 < ps->ntok ?
	    ps->tok[i + 1] : NULL, max, out);
}

/* Words from token i on, each from the vocabulary, into a bit set. */
static int
parse_words(struct parser *ps, int i, const struct vocab *v, unsigned *out)
{
	struct buf	 b;
	int		 k;

	if (i >= ps->ntok)
		return rp_err(ps, "'%s' needs at least one %s", ps->tok[0],
		    v->what);
	*out = 0;
	for (; i < ps->ntok; i++) {
		if ((k = vocab_find(v, ps->tok[i])) < 0) {
			buf_init(&b);
			vocab_list(v, &b);
			rp_err(ps, "'%s' is not a %s (expected %s)", ps->tok[i],
			    v->what, b.s);
			buf_free(&b);
			return -1;
		}
		*out |= 1u << k;
	}
	return 0;
}

static int
parse_level(struct parser *ps, const char *s, int *out)
{
	struct buf	 b;

	if (s == NULL)
		return rp_err(ps, "'%s' needs a degree level", ps->tok[0]);
	if ((*out = vocab_find(&vocab_level, s)) < 0) {
		buf_init(&b);
		vocab_list(&vocab_level, &b);
		rp_err(ps, "'%s' is not a degree level (expected %s)", s, b.s);
		buf_free(&b);
		return -1;
	}
	return 0;
}

static int
parse_source(struct parser *ps, const char *s, int *out)
{
	int	 i;

	if (s == NULL)
		return rp_err(ps, "'%s' needs what to measure (training, "
		    "rsc_received, rsc_provided, work or leadership)",
		    ps->tok[0]);
	for (i = 1; i < SRC__N; i++)
		if (strcmp(source_names[i], s) == 0) {
			*out = i;
			return 0;
		}
	return rp_err(ps, "'%s' is not something to measure (expected "
	    "training, rsc_received, rsc_provided, work or leadership)", s);
}

static int
parse_tri(struct parser *ps, int *out)
{
	if (ps->ntok != 2 || (strcmp(ps->tok[1], "yes") != 0 &&
	    strcmp(ps->tok[1], "no") != 0))
		return rp_err(ps, "'%s' needs yes or no", ps->tok[0]);
	*out = strcmp(ps->tok[1], "yes") == 0 ? TRI_YES : TRI_NO;
	return 0;
}

/* Check the open requirement is complete and close it. */
static int
close_req(struct parser *ps)
{
	struct requirement	*r = ps->req;
	unsigned		 bad;
	size_t			 k;
	int			 save = ps->line;

	if (r == NULL)
		return 0;
	ps->line = r->line;
	if (!ps->req_measured)
		return rp_err(ps, "requirement '%s' says nothing to measure "
		    "(hours, years, months, sum, count, degree, transcripts, "
		    "fact, references, holds or any)", r->id);
	if (r->f.since_emerging && !r->only_emerging)
		return rp_err(ps, "'since emerging' in '%s' needs 'only-if "
		    "emerging': only a holder of Emerging status has a grant "
		    "date", r->id);
	if (r->kind == KIND_ANY && r->noptions < 2) {
		ps->line = save;
		return rp_err(ps, "'any' in '%s' needs at least two options",
		    r->id);
	}
	if (r->kind == KIND_REFERENCES)
		bad = ps->req_filters & ~(FL_PATTERN | FL_ENDORSED | FL_ONLY);
	else
		bad = ps->req_filters & ~(source_filters[r->src] | FL_ONLY);
	if (bad != 0) {
		for (k = 0; k < sizeof filter_words / sizeof *filter_words; k++)
			if (bad & filter_words[k].bit)
				break;
		ps->line = ps->filter_line[k];
		if (r->src == SRC_NONE)
			return rp_err(ps, "'%s' does not apply to a %s "
			    "requirement ('%s')", filter_words[k].word,
			    r->kind == KIND_REFERENCES ? "references" :
			    "degree, fact or holds", r->id);
		return rp_err(ps, "'%s' does not apply to %s ('%s')",
		    filter_words[k].word, source_names[r->src], r->id);
	}
	/* No slot names codes: no per-slot check at all (the common case). */
	if (r->kind == KIND_REFERENCES && r->slot_codes != NULL) {
		for (k = 0; k < (size_t)r->npatterns * (size_t)r->nslots; k++)
			if (r->slot_codes[k].n > 0)
				break;
		if (k == (size_t)r->npatterns * (size_t)r->nslots)
			r->slot_codes = NULL;
	}
	if (r->kind == KIND_REFERENCES && r->npatterns == 0) {
		r->nslots = (int)r->need;
		r->npatterns = 1;
		r->slots = arena_alloc(&ps->rs->arena,
		    (size_t)r->nslots * sizeof *r->slots);
		for (k = 0; k < (size_t)r->nslots; k++)
			r->slots[k] = (1u << REL__N) - 1;
	} else if (r->kind == KIND_REFERENCES && r->nslots != r->need)
		return rp_err(ps, "references '%s' asks for %ld but its "
		    "patterns have %d slots", r->id, (long)r->need, r->nslots);
	if (ps->codes_line != 0 && r->f.providers.n == 0 &&
	    r->endorsed.n == 0 && r->slot_codes == NULL) {
		ps->line = ps->codes_line;
		return rp_err(ps, "'setting codes' in '%s' needs codes to "
		    "check: 'provider', 'endorsed' or codes in a 'pattern'",
		    r->id);
	}
	ps->line = save;
	ps->req = NULL;
	ps->req_filters = 0;
	ps->req_measured = 0;
	ps->codes_line = 0;
	return 0;
}

/* "require ID" or "advise ID": open a requirement in the right list. */
static int
open_req(struct parser *ps, int advisory)
{
	struct requirement	**list, *r;
	struct option		*o;
	int			 *n, i;

	if (close_req(ps) != 0)
		return -1;
	if (ps->ntok != 2 || !rp_valid_id(ps->tok[1]))
		return rp_err(ps, "'%s' needs one id in lower case, such as "
		    "training or rsc.provision", ps->tok[0]);
	if (ps->holder != NULL) {
		if (advisory)
			return rp_err(ps, "'advise' cannot stand inside 'any'");
		if (ps->holder->noptions == 0)
			return rp_err(ps, "'require' inside 'any' must follow "
			    "an 'option' line");
		o = &ps->holder->options[ps->holder->noptions - 1];
		list = &o->reqs;
		n = &o->nreqs;
	} else if (advisory) {
		list = &ps->cat->advice;
		n = &ps->cat->nadvice;
	} else {
		list = &ps->cat->reqs;
		n = &ps->cat->nreqs;
	}
	for (i = 0; i < *n; i++)
		if (strcmp((*list)[i].id, ps->tok[1]) == 0)
			return rp_err(ps, "'%s' is already defined in %s",
			    ps->tok[1], ps->cat->code);
	r = rp_push(&ps->rs->arena, (void **)list, n, sizeof *r);
	r->id = arena_strdup(&ps->rs->arena, ps->tok[1]);
	r->line = ps->line;
	r->f.paid = r->f.supervised = r->f.licensed = TRI_ANY;
	ps->req = r;
	return 0;
}

static int
measure(struct parser *ps, enum kind kind)
{
	if (ps->req_measured)
		return rp_err(ps, "requirement '%s' already measures "
		    "something; one measure per requirement", ps->req->id);
	ps->req_measured = 1;
	ps->req->kind = kind;
	return 0;
}

/* "hours|years|months|count SOURCE >= N": an amount from one source. */
static int
req_amount(struct parser *ps, struct requirement *r, const char *w)
{
	double	 d;
	int	 src = SRC_NONE;

	if (measure(ps, w[0] == 'h' ? KIND_HOURS : w[0] == 'c' ?
	    KIND_COUNT : KIND_YEARS) != 0 ||
	    parse_source(ps, ps->ntok > 1 ? ps->tok[1] : NULL,
	    &src) != 0)
		return -1;
	r->src = src;
	if (r->kind == KIND_HOURS && src != SRC_TRAINING &&
	    src != SRC_RSC_RECEIVED)
		return rp_err(ps, "'hours' counts training or "
		    "rsc_received, not %s", ps->tok[1]);
	if (r->kind == KIND_YEARS && (src == SRC_TRAINING ||
	    src == SRC_RSC_RECEIVED))
		return rp_err(ps, "'%s' measures time in work, "
		    "leadership or rsc_provided, not %s", w,
		    ps->tok[1]);
	if (parse_atleast(ps, 2, r->kind == KIND_HOURS ?
	    MAX_NEED_HOURS : 1000, &d) != 0)
		return -1;
	if (r->kind == KIND_HOURS)
		r->need = (centi)(d * 100 + 0.5);
	else if (r->kind == KIND_COUNT)
		r->need = (centi)d;
	else
		r->need = (centi)(d * (w[0] == 'y' ? 12 : 1) + 0.5);
	if (r->kind == KIND_COUNT && r->need != d)
		return rp_err(ps, "'count' needs a whole number");
	return 0;
}

/* "sum work families [staff] >= N". */
static int
req_sum(struct parser *ps, struct requirement *r)
{
	double	 d;

	if (measure(ps, KIND_SUM) != 0)
		return -1;
	if (ps->ntok < 3 || strcmp(ps->tok[1], "work") != 0 ||
	    strcmp(ps->tok[2], "families") != 0)
		return rp_err(ps, "'sum' adds up 'work families' or "
		    "'work families staff'");
	r->src = SRC_WORK;
	r->sum_staff = ps->ntok > 3 && strcmp(ps->tok[3], "staff") == 0;
	if (parse_atleast(ps, 3 + r->sum_staff, 1000000, &d) != 0)
		return -1;
	r->need = (centi)d;
	return 0;
}

/* "degree|transcripts >= LEVEL". */
static int
req_level(struct parser *ps, struct requirement *r, const char *w)
{
	int	 k;

	if (measure(ps, w[0] == 'd' ? KIND_DEGREE :
	    KIND_TRANSCRIPTS) != 0)
		return -1;
	if (ps->ntok != 3 || strcmp(ps->tok[1], ">=") != 0)
		return rp_err(ps, "'%s' needs '>= LEVEL' (cda, "
		    "associate, bachelor, master or doctorate)", w);
	if (parse_level(ps, ps->tok[2], &k) != 0)
		return -1;
	r->need = k;
	return 0;
}

/* "fact membership|ethics|exam". */
static int
req_fact(struct parser *ps, struct requirement *r)
{
	static const char *const facts[] = { "membership", "ethics", "exam",
	    NULL };
	int	 i;

	if (measure(ps, KIND_FACT) != 0)
		return -1;
	for (i = 0; facts[i] != NULL; i++)
		if (ps->ntok == 2 && strcmp(ps->tok[1], facts[i]) == 0)
			break;
	if (facts[i] == NULL)
		return rp_err(ps, "'fact' needs one of membership, "
		    "ethics or exam");
	r->fact = i;
	return 0;
}

/* "any": the requirement holds options; it stays open as their holder. */
static int
req_any(struct parser *ps, struct requirement *r)
{
	if (ps->holder != NULL)
		return rp_err(ps, "'any' cannot be nested in 'any'");
	if (ps->ntok != 1)
		return rp_err(ps, "'any' stands alone on its line; "
		    "options follow");
	if (measure(ps, KIND_ANY) != 0)
		return -1;
	ps->holder = r;
	ps->req = NULL;
	ps->req_filters = 0;
	ps->req_measured = 0;
	ps->codes_line = 0;
	return 0;
}

/* Room for one more pattern of nslots slots, the old ones copied. */
static void
pattern_grow(struct parser *ps, struct requirement *r, int nslots)
{
	size_t		 n = (size_t)(r->npatterns + 1) * (size_t)nslots;
	size_t		 old = (size_t)r->npatterns * (size_t)nslots;
	unsigned	*nv;
	struct codes	*nc;

	nv = arena_alloc(&ps->rs->arena, n * sizeof *nv);
	nc = arena_alloc(&ps->rs->arena, n * sizeof *nc);
	memset(nc, 0, n * sizeof *nc);
	if (r->npatterns > 0) {
		memcpy(nv, r->slots, old * sizeof *nv);
		memcpy(nc, r->slot_codes, old * sizeof *nc);
	}
	r->slots = nv;
	r->slot_codes = nc;
}

/* "pattern REL... | REL... | ...": one slot per group. */
static int
req_pattern(struct parser *ps, struct requirement *r)
{
	unsigned	 bits, *slot;
	int		 i, k, nslots;

	if (r->npatterns == MAX_PATTERNS)
		return rp_err(ps, "more than %d patterns",
		    MAX_PATTERNS);
	nslots = 1;
	for (i = 1; i < ps->ntok; i++)
		nslots += strcmp(ps->tok[i], "|") == 0;
	if (nslots > MAX_SLOTS)
		return rp_err(ps, "a pattern has at most %d slots",
		    MAX_SLOTS);
	if (r->npatterns > 0 && nslots != r->nslots)
		return rp_err(ps, "every pattern of '%s' needs %d "
		    "slots, this one has %d", r->id, r->nslots, nslots);
	pattern_grow(ps, r, nslots);
	slot = r->slots + (size_t)r->npatterns * (size_t)nslots;
	r->nslots = nslots;
	r->npatterns++;
	bits = 0;
	k = 0;
	for (i = 1; i <= ps->ntok; i++) {
		if (i == ps->ntok || strcmp(ps->tok[i], "|") == 0) {
			if (bits == 0)
				return rp_err(ps, "pattern slot %d is "
				    "empty", k + 1);
			slot[k++] = bits;
			bits = 0;
			continue;
		}
		/* A code or @set: the rater in this slot must hold
		   one of them (seed 003: "An Endorsed Professional
		   (IFS, IMHS, or IMHM)"). */
		if (ps->tok[i][0] == '@' || rp_is_code(ps->tok[i])) {
			static const char *const stop[] = { "|",
			    NULL };
			struct codes *sc = &r->slot_codes[(size_t)(
			    r->npatterns - 1) * (size_t)nslots +
			    (size_t)k];
			int next;

			if (bits == 0)
				return rp_err(ps, "pattern slot %d: "
				    "name the relationship before the "
				    "codes its rater must hold", k + 1);
			if ((next = rp_codes(ps, i, stop, sc)) < 0)
				return -1;
			i = next - 1;
			continue;
		}
		{
			int rel = vocab_find(&vocab_relationship,
			    ps->tok[i]);
			struct buf b;

			if (rel < 0) {
				buf_init(&b);
				vocab_list(&vocab_relationship, &b);
				rp_err(ps, "'%s' is not a relationship "
				    "(expected %s)", ps->tok[i], b.s);
				buf_free(&b);
				return -1;
			}
			bits |= 1u << rel;
		}
	}
	return 0;
}

/* "topic dei|rsc_provision...". */
static int
req_topic(struct parser *ps, struct requirement *r)
{
	int	 i;

	if (ps->ntok < 2)
		return rp_err(ps, "'topic' needs dei or rsc_provision");
	for (i = 1; i < ps->ntok; i++) {
		if (strcmp(ps->tok[i], "dei") == 0)
			r->f.topics |= TOPIC_DEI;
		else if (strcmp(ps->tok[i], "rsc_provision") == 0)
			r->f.topics |= TOPIC_RSC_PROVISION;
		else
			return rp_err(ps, "'%s' is not a topic the "
			    "rules read (expected dei or "
			    "rsc_provision)", ps->tok[i]);
	}
	return 0;
}

/* "either paid|supervised|licensed...": one of them must hold. */
static int
req_either(struct parser *ps, struct requirement *r)
{
	int	 i;

	if (ps->ntok < 3)
		return rp_err(ps, "'either' needs two or more of paid, "
		    "supervised, licensed");
	for (i = 1; i < ps->ntok; i++) {
		if (strcmp(ps->tok[i], "paid") == 0)
			r->f.either |= EITHER_PAID;
		else if (strcmp(ps->tok[i], "supervised") == 0)
			r->f.either |= EITHER_SUPERVISED;
		else if (strcmp(ps->tok[i], "licensed") == 0)
			r->f.either |= EITHER_LICENSED;
		else
			return rp_err(ps, "'either': '%s' is not paid, "
			    "supervised or licensed", ps->tok[i]);
	}
	return 0;
}

/* "span MIN to MAX months". */
static int
req_span(struct parser *ps, struct requirement *r)
{
	if (ps->ntok != 5 || strcmp(ps->tok[2], "to") != 0 ||
	    strcmp(ps->tok[4], "months") != 0)
		return rp_err(ps, "'span' reads 'span MIN to MAX "
		    "months'");
	if (rp_int(ps, "span", ps->tok[1], 600, &r->f.span_min) != 0 ||
	    rp_int(ps, "span", ps->tok[3], 600, &r->f.span_max) != 0)
		return -1;
	if (r->f.span_max < 1 || r->f.span_min > r->f.span_max)
		return rp_err(ps, "'span': MAX must be at least 1 and "
		    "not less than MIN");
	return 0;
}

/* A filter line (filter_words), what it says into the requirement. */
static int
req_filter(struct parser *ps, struct requirement *r, unsigned bit)
{
	switch (bit) {
	case FL_ROLE:
		return parse_words(ps, 1, &vocab_role, &r->f.roles);
	case FL_FORMAT:
		return parse_words(ps, 1, &vocab_format, &r->f.formats);
	case FL_FOCUS:
		return parse_words(ps, 1, &vocab_focus, &r->f.focus);
	case FL_SERVICE:
		return parse_words(ps, 1, &vocab_service, &r->f.services);
	case FL_AGES:
		return parse_words(ps, 1, &vocab_age, &r->f.ages);
	case FL_SCOPE:
		return parse_words(ps, 1, &vocab_scope, &r->f.scopes);
	case FL_TOPIC:
		return req_topic(ps, r);
	case FL_PROVIDER:
		return rp_codes(ps, 1, NULL, &r->f.providers) < 0 ? -1 : 0;
	case FL_ENDORSED:
		return rp_codes(ps, 1, NULL, &r->endorsed) < 0 ? -1 : 0;
	case FL_AFTER:
		if (ps->ntok != 2)
			return rp_err(ps, "'after' needs one degree level");
		return parse_level(ps, ps->tok[1], &r->f.after);
	case FL_SPAN:
		return req_span(ps, r);
	case FL_SINCE:
		if (ps->ntok != 2 || strcmp(ps->tok[1], "emerging") != 0)
			return rp_err(ps, "'since' reads 'since emerging' "
			    "(dated on or after the Emerging status was "
			    "granted)");
		r->f.since_emerging = 1;
		return 0;
	case FL_ONLY:
		if (ps->ntok != 2 || strcmp(ps->tok[1], "emerging") != 0)
			return rp_err(ps, "'only-if' reads 'only-if emerging' "
			    "(for a holder of this category with Emerging "
			    "status)");
		r->only_emerging = 1;
		ps->cat->emerging = 1;
		return 0;
	case FL_WHILE:
		if (ps->ntok != 2 || strcmp(ps->tok[1], "providing") != 0)
			return rp_err(ps, "'while' reads 'while providing'");
		r->f.while_providing = 1;
		return 0;
	case FL_PAID:
		return parse_tri(ps, &r->f.paid);
	case FL_SUPERVISED:
		return parse_tri(ps, &r->f.supervised);
	case FL_LICENSED:
		return parse_tri(ps, &r->f.licensed);
	case FL_EITHER:
		return req_either(ps, r);
	case FL_PATTERN:
		return req_pattern(ps, r);
	}
	return rp_err(ps, "unknown requirement line '%s'", ps->tok[0]);
}

/*
 * "setting codes verified" or "setting codes declared": whether the codes
 * a provider or rater is said to hold count only when found in the
 * registry.  No seed says so (the seeds name the codes a provider must
 * hold, not how they are checked): it is the association's setting, and
 * the line must say so; without it declared codes count.
 */
static int
req_codes(struct parser *ps, struct requirement *r)
{
	int	 i = strcmp(ps->tok[0], "setting") == 0;

	if (!i)
		return rp_err(ps, "no seed says how a provider's or rater's "
		    "codes are checked: write 'setting codes verified' or "
		    "'setting codes declared' (an association setting)");
	if (ps->ntok != 3 || strcmp(ps->tok[1], "codes") != 0 ||
	    (strcmp(ps->tok[2], "verified") != 0 &&
	    strcmp(ps->tok[2], "declared") != 0))
		return rp_err(ps, "a requirement's setting reads 'setting "
		    "codes verified' or 'setting codes declared'");
	if (ps->codes_line != 0)
		return rp_err(ps, "'setting codes' is given twice in '%s'",
		    r->id);
	ps->codes_line = ps->line;
	r->f.verified = strcmp(ps->tok[2], "verified") == 0;
	return 0;
}

/* A line inside a requirement: its text, what it measures, a filter. */
static int
req_line(struct parser *ps)
{
	struct requirement	*r = ps->req;
	const char		*w = ps->tok[0];
	double			 d;
	int			 i;
	size_t			 f;

	if (r == NULL)
		return rp_err(ps, "'%s' must follow a 'require' or 'advise' "
		    "line", w);
	if (strcmp(w, "text") == 0) {
		if (ps->ntok != 2)
			return rp_err(ps, "'text' needs one quoted text");
		r->text = arena_strdup(&ps->rs->arena, ps->tok[1]);
		return 0;
	}
	if (strcmp(w, "hours") == 0 || strcmp(w, "years") == 0 ||
	    strcmp(w, "months") == 0 || strcmp(w, "count") == 0)
		return req_amount(ps, r, w);
	if (strcmp(w, "sum") == 0)
		return req_sum(ps, r);
	if (strcmp(w, "degree") == 0 || strcmp(w, "transcripts") == 0)
		return req_level(ps, r, w);
	if (strcmp(w, "fact") == 0)
		return req_fact(ps, r);
	if (strcmp(w, "references") == 0) {
		if (measure(ps, KIND_REFERENCES) != 0 ||
		    parse_atleast(ps, 1, MAX_SLOTS, &d) != 0)
			return -1;
		r->need = (centi)d;
		if (r->need != d || r->need < 1)
			return rp_err(ps, "'references' needs a whole number "
			    "from 1 to %d", MAX_SLOTS);
		return 0;
	}
	if (strcmp(w, "holds") == 0) {
		static const char *const stop[] = { "or-pending", NULL };

		if (measure(ps, KIND_HOLDS) != 0 ||
		    (i = rp_codes(ps, 1, stop, &r->holds)) < 0)
			return -1;
		if (i < ps->ntok && (i != ps->ntok - 1))
			return rp_err(ps, "'or-pending' ends the 'holds' line");
		r->or_pending = i < ps->ntok;
		return 0;
	}
	if (strcmp(w, "any") == 0)
		return req_any(ps, r);
	if (strcmp(w, "setting") == 0 || strcmp(w, "codes") == 0)
		return req_codes(ps, r);

	/* Filters. */
	for (f = 0; f < sizeof filter_words / sizeof *filter_words; f++)
		if (strcmp(filter_words[f].word, w) == 0)
			break;
	if (f == sizeof filter_words / sizeof *filter_words)
		return rp_err(ps, "unknown requirement line '%s'", w);
	if ((ps->req_filters & filter_words[f].bit) &&
	    filter_words[f].bit != FL_PATTERN)
		return rp_err(ps, "'%s' is given twice in '%s'", w, r->id);
	ps->req_filters |= filter_words[f].bit;
	ps->filter_line[f] = ps->line;
	return req_filter(ps, r, filter_words[f].bit);
}

static int
option_line(struct parser *ps)
{
	struct requirement	*h = ps->holder;
	struct option		*o;

	if (close_req(ps) != 0)
		return -1;
	if (h->noptions == MAX_OPTIONS)
		return rp_err(ps, "more than %d options", MAX_OPTIONS);
	if (ps->ntok != 2 && !(ps->ntok == 5 &&
	    strcmp(ps->tok[2], "emerging") == 0 &&
	    strcmp(ps->tok[4], "months") == 0))
		return rp_err(ps, "'option' reads 'option \"label\"' or "
		    "'option \"label\" emerging N months'");
	if (h->noptions > 0 && h->options[h->noptions - 1].nreqs == 0 &&
	    h->options[h->noptions - 1].emerging_months == 0)
		return rp_err(ps, "the option before this one has no "
		    "requirements (only an Emerging option may have none: "
		    "everything is then owed by its deadline)");
	o = rp_push(&ps->rs->arena, (void **)&h->options, &h->noptions,
	    sizeof *o);
	o->label = arena_strdup(&ps->rs->arena, ps->tok[1]);
	if (ps->ntok == 5 && (rp_int(ps, "emerging", ps->tok[3], 120,
	    &o->emerging_months) != 0 || o->emerging_months < 1))
		return rp_err(ps, "'emerging' needs a number of months, 1 to "
		    "120");
	if (o->emerging_months > 0)
		ps->cat->emerging = 1;
	return 0;
}

static int
renew_line(struct parser *ps)
{
	static const char *const stop[] = { "per-year", "if-holds",
	    "provider", "focus", NULL };
	struct renew	*rn;
	double		 d;
	int		 i, k;

	if (close_req(ps) != 0)
		return -1;
	if (ps->ntok < 2)
		return rp_err(ps, "'renew' needs what: training, training.dei, "
		    "training.rsc_provision, rsc or membership");
	for (k = 0; k < RENEW__N; k++)
		if (strcmp(renew_ids[k], ps->tok[1]) == 0)
			break;
	if (k == RENEW__N)
		return rp_err(ps, "'%s' is not a renewal requirement (expected "
		    "training, training.dei, training.rsc_provision, rsc or "
		    "membership)", ps->tok[1]);
	for (i = 0; i < ps->cat->nrenews; i++)
		if (ps->cat->renews[i].id == k)
			return rp_err(ps, "'renew %s' is given twice in %s",
			    ps->tok[1], ps->cat->code);
	rn = rp_push(&ps->rs->arena, (void **)&ps->cat->renews,
	    &ps->cat->nrenews, sizeof *rn);
	rn->id = k;
	rn->line = ps->line;
	for (i = 2; i < ps->ntok;) {
		if (strcmp(ps->tok[i], "per-year") == 0) {
			if (k == RENEW_MEMBERSHIP)
				return rp_err(ps, "'per-year' does not apply "
				    "to membership");
			if (rp_number(ps, "per-year", i + 1 < ps->ntok ?
			    ps->tok[i + 1] : NULL, 1000, &d) != 0)
				return -1;
			rn->per_year = (centi)(d * 100 + 0.5);
			i += 2;
		} else if (strcmp(ps->tok[i], "if-holds") == 0) {
			if ((i = rp_codes(ps, i + 1, stop,
			    &rn->if_holds)) < 0)
				return -1;
		} else if (strcmp(ps->tok[i], "provider") == 0) {
			if (k != RENEW_RSC)
				return rp_err(ps, "'provider' applies to "
				    "'renew rsc' only");
			if ((i = rp_codes(ps, i + 1, stop,
			    &rn->providers)) < 0)
				return -1;
		} else if (strcmp(ps->tok[i], "focus") == 0) {
			if (k != RENEW_RSC)
				return rp_err(ps, "'focus' applies to "
				    "'renew rsc' only");
			if (i + 1 >= ps->ntok ||
			    vocab_find(&vocab_focus, ps->tok[i + 1]) < 0)
				return rp_err(ps, "'focus' needs practice or "
				    "provision");
			rn->focus = 1u << vocab_find(&vocab_focus,
			    ps->tok[i + 1]);
			i += 2;
		} else
			return rp_err(ps, "unexpected '%s' in 'renew' "
			    "(expected per-year, if-holds, provider or focus)",
			    ps->tok[i]);
	}
	return 0;
}

/*
 * A line inside a category: its end, title or track, a requirement
 * (require, advise, and the lines inside one), an option of an 'any',
 * a renew line.
 */
int
rp_category_line(struct parser *ps)
{
	const char	*w = ps->tok[0];
	int		 k;

	if (strcmp(w, "end") == 0) {
		if (ps->ntok != 1)
			return rp_err(ps, "'end' stands alone");
		if (close_req(ps) != 0)
			return -1;
		if (ps->holder != NULL) {
			if (ps->holder->noptions < 2)
				return rp_err(ps, "'any' in '%s' needs at "
				    "least two options", ps->holder->id);
			if (ps->holder->options[ps->holder->noptions - 1].nreqs
			    == 0 && ps->holder->options[ps->holder->noptions -
			    1].emerging_months == 0)
				return rp_err(ps, "option '%s' has no "
				    "requirements", ps->holder->options[
				    ps->holder->noptions - 1].label);
			ps->holder = NULL;
			return 0;
		}
		if (ps->cat->nreqs == 0)
			return rp_err(ps, "category %s has no requirements",
			    ps->cat->code);
		ps->cat = NULL;
		return 0;
	}
	if (strcmp(w, "option") == 0) {
		if (ps->holder == NULL)
			return rp_err(ps, "'option' belongs inside 'any'");
		return option_line(ps);
	}
	if (strcmp(w, "require") == 0 || strcmp(w, "advise") == 0)
		return open_req(ps, w[0] == 'a');
	if (ps->holder != NULL && ps->req == NULL)
		return rp_err(ps, "inside 'any' expected 'option' or "
		    "'require', not '%s'", w);
	if (ps->req == NULL && strcmp(w, "title") == 0) {
		if (ps->ntok != 2)
			return rp_err(ps, "'title' needs one quoted title");
		ps->cat->title = arena_strdup(&ps->rs->arena, ps->tok[1]);
		return 0;
	}
	if (ps->req == NULL && strcmp(w, "track") == 0) {
		if (ps->ntok != 2 || (k = vocab_find(&vocab_track,
		    ps->tok[1])) < 0)
			return rp_err(ps, "'track' needs infant or "
			    "early_childhood");
		ps->cat->track = k;
		return 0;
	}
	if (strcmp(w, "renew") == 0) {
		if (ps->holder != NULL)
			return rp_err(ps, "'renew' cannot stand inside 'any'");
		return renew_line(ps);
	}
	if (strcmp(w, "category") == 0)
		return rp_err(ps, "category %s is still open: close it with "
		    "'end'", ps->cat->code);
	return req_line(ps);
}
