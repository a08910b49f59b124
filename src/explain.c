/*
 * Results in words.  The engine records what it found (numbers, dates,
 * the reason an entry did not count); this file says it, only when a
 * report, a page or an API answer asks.  Every sentence a person reads
 * about a requirement comes from here or from the rule file's text.
 */
#include <stdarg.h>
#include <string.h>

#include "endorse.h"
#include "banned.h"

/* A bounded writer over a caller's buffer. */
struct out {
	char	*s;
	size_t	 sz, len;
};

static void __attribute__((format(printf, 2, 3)))
put(struct out *o, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (o->len + 1 >= o->sz)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->s + o->len, o->sz - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n < o->sz - o->len ? (size_t)n :
		    o->sz - o->len - 1;
}

static void
put_codes(struct out *o, const struct codes *c)
{
	int	 i;

	for (i = 0; i < c->n; i++)
		put(o, "%s%s", i == 0 ? "" : i == c->n - 1 ? " or " : ", ",
		    c->v[i]);
}

static void
put_mask(struct out *o, const struct vocab *v, unsigned mask)
{
	int	 i, n = 0, total = 0;

	for (i = 0; i < v->n; i++)
		total += (mask >> i) & 1;
	for (i = 0; i < v->n; i++) {
		if (!((mask >> i) & 1))
			continue;
		put(o, "%s%s", n == 0 ? "" : n == total - 1 ? " or " : ", ",
		    v->names[i]);
		n++;
	}
}

static void
put_hours(struct out *o, centi v)
{
	char	 tmp[32];

	centi_format(v, tmp, sizeof tmp);
	put(o, "%s", tmp);
}

static void
put_date(struct out *o, int32_t d)
{
	char	 tmp[DATE_US_MAX];

	put(o, "%s", date_us(d, tmp, sizeof tmp));
}

/* The names of the bits set in mask: "a, b or c". */
const char *
explain_mask(const struct vocab *v, unsigned mask, char *buf, size_t sz)
{
	struct out	 o = { buf, sz, 0 };

	buf[0] = '\0';
	put_mask(&o, v, mask);
	return buf;
}

/* "A, B or C". */
const char *
explain_codes(const struct codes *c, char *buf, size_t sz)
{
	struct out	 o = { buf, sz, 0 };

	buf[0] = '\0';
	put_codes(&o, c);
	return buf;
}

const char *
explain_entry(const struct excluded *e, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s[%d]", e->what, e->index);
	return buf;
}

/* The reasons whose words never change, by enum why. */
static const char *const why_words[] = {
	[WHY_DECLARED] = "the provider's endorsement is declared, not "
	    "verified in the registry (this requirement counts verified "
	    "codes only)",
	[WHY_NO_RECIPIENTS] = "no recipients",
	[WHY_UNPAID] = "unpaid",
	[WHY_UNSUPERVISED] = "not supervised",
	[WHY_UNLICENSED] = "not licensed practice",
	[WHY_NOT_PROVIDING] = "received while the applicant was not "
	    "providing RSC",
	[WHY_EMERGING_HELD] = "already held with Emerging status",
};

/* "only A of B hours fall": the start of a part that counted. */
static void
put_part(struct out *o, const struct excluded *e)
{
	put(o, "only ");
	put_hours(o, e->a);
	put(o, " of ");
	put_hours(o, e->b);
	put(o, " hours fall");
}

/*
 * Why an entry did not count, in words: one switch with a case per enum
 * why (the compiler's -Wswitch names a reason left without words), the
 * fixed sentences in why_words above.
 */
const char *
explain_why(const struct excluded *e, char *buf, size_t sz)
{
	const struct filter	*f = e->req != NULL ? &e->req->f : NULL;
	struct out		 o = { buf, sz, 0 };

	buf[0] = '\0';
	switch ((enum why)e->why) {
	case WHY_TEXT:
		return e->text;
	case WHY_ROLE:
		put(&o, "%s training: only ", vocab_role.names[e->arg]);
		put_mask(&o, &vocab_role, f->roles);
		put(&o, " training counts here");
		break;
	case WHY_TOPIC:
		put(&o, "%s", f->topics & TOPIC_DEI ? "not tagged dei "
		    "(diversity, equity and inclusion)" : "not tagged "
		    "rsc_provision (on providing RSC)");
		break;
	case WHY_FORMAT:
		if (e->arg == FMT_PEER)
			put(&o, "peer supervision does not count");
		else
			put(&o, "%s RSC does not count here",
			    vocab_format.names[e->arg]);
		break;
	case WHY_FOCUS:
		put(&o, "%s", e->arg == FOCUS_PRACTICE ? "about the "
		    "applicant's own practice, not about the RSC they "
		    "provide" : "about providing RSC, not about the "
		    "applicant's own practice");
		break;
	case WHY_PROVIDER:
		if (e->codes == NULL || e->codes->n == 0) {
			put(&o, "the provider's endorsement is not given (must "
			    "hold ");
			put_codes(&o, &f->providers);
			put(&o, ")");
		} else {
			put(&o, "the provider holds ");
			put_codes(&o, e->codes);
			put(&o, ", not ");
			put_codes(&o, &f->providers);
		}
		break;
	case WHY_DECLARED:
	case WHY_NO_RECIPIENTS:
	case WHY_UNPAID:
	case WHY_UNSUPERVISED:
	case WHY_UNLICENSED:
	case WHY_NOT_PROVIDING:
	case WHY_EMERGING_HELD:
		put(&o, "%s", why_words[e->why]);
		break;
	case WHY_PAID:
		put(&o, "%s", e->req->src == SRC_LEADERSHIP ? "paid (this "
		    "counts leadership beyond paid work)" : "paid (this counts "
		    "unpaid work only)");
		break;
	case WHY_EITHER:
		put(&o, "%s", f->either == (EITHER_PAID | EITHER_SUPERVISED) ?
		    "neither paid nor supervised" : "none of the required "
		    "conditions (paid, supervised, licensed)");
		break;
	case WHY_SERVICE:
		put(&o, "service is %s; counts: ", vocab_service.names[e->arg]);
		put_mask(&o, &vocab_service, f->services);
		break;
	case WHY_AGES:
		put(&o, "not with the ages of this track (");
		put_mask(&o, &vocab_age, f->ages);
		put(&o, ")");
		break;
	case WHY_SCOPE:
		put(&o, "level is %s; counts: ", e->arg < 0 ? "not given" :
		    vocab_scope.names[e->arg]);
		put_mask(&o, &vocab_scope, f->scopes);
		break;
	case WHY_AFTER_ASOF:
		put(&o, "dated after ");
		put_date(&o, e->date);
		break;
	case WHY_BEFORE_DEGREE:
		put(&o, "before the %s (conferred ", level_words[e->arg]);
		put_date(&o, e->date);
		put(&o, ")");
		break;
	case WHY_PART_DEGREE:
		put_part(&o, e);
		put(&o, " after the %s (conferred ", level_words[e->arg]);
		put_date(&o, e->date);
		put(&o, ")");
		break;
	case WHY_PART_PROVIDING:
		put_part(&o, e);
		put(&o, " while the applicant was providing RSC");
		break;
	case WHY_SPAN_LONG:
		put(&o, "one entry over more than the %d-month span", f->span_max);
		break;
	case WHY_SPAN_OUTSIDE:
		put(&o, "outside the %d-month span counted (", f->span_max);
		put_date(&o, e->date);
		put(&o, " to ");
		put_date(&o, e->date2);
		put(&o, ")");
		break;
	case WHY_BEFORE_EMERGING:
		put(&o, "dated before the Emerging status was granted (");
		put_date(&o, e->date);
		put(&o, "): only training since then counts");
		break;
	case WHY_YEARS_CUT:
		put(&o, "counted only from the %s (conferred ",
		    level_words[e->arg]);
		put_date(&o, e->date);
		put(&o, ")");
		break;
	}
	return buf;
}

/* The requirement's line: its own words, or have/need and the rule text. */
const char *
explain_result(const struct req_result *res, char *buf, size_t sz)
{
	const struct requirement	*r = res->req;
	const char			*text;
	struct out			 o = { buf, sz, 0 };
	char				 tmp[48];

	if (res->explain != NULL)
		return res->explain;
	text = r != NULL && r->text != NULL ? r->text : res->id;
	buf[0] = '\0';
	switch (res->unit) {
	case UNIT_YEARS:
		put(&o, "%s of ", years_text(res->have, tmp, sizeof tmp));
		put(&o, "%s: %s", years_text(res->need, tmp, sizeof tmp),
		    text);
		break;
	case UNIT_HOURS:
	case UNIT_FAMILIES:
	case UNIT_ENTRIES:
	case UNIT_REFERENCES:
		put_hours(&o, res->have);
		put(&o, " of ");
		put_hours(&o, res->need);
		put(&o, " %s: %s", res->unit == UNIT_HOURS ? "hours" :
		    res->unit == UNIT_FAMILIES ? (r != NULL &&
		    r->sum_staff ? "families or supervised staff" :
		    "families") :
		    res->unit == UNIT_ENTRIES ? "entries" : "references", text);
		break;
	case UNIT_LEVEL:
		put(&o, "%s: %s on record", text, res->have == 0 ?
		    "no degree" : level_words[res->have / 100]);
		break;
	case UNIT_OPTIONS:
		put(&o, "%s: %s", text, res->met ? "met by one of the options" :
		    "none of the options met");
		break;
	default:
		put(&o, "%s: %s", text, res->met ? "yes" : "no");
		break;
	}
	return buf;
}
