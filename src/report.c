/*
 * Output of the engine: endorse-check/1 and endorse-renewal/1 JSON (the
 * public contract of portfolio.md, written with jansson), the text a person
 * reads in a terminal, and the rule sets described in words.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "endorse.h"
#include "banned.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(12))

static json_t *
number(centi v)
{
	if (v % 100 == 0)
		return json_integer(v / 100);
	return json_real((double)v / 100.0);
}

static json_t *
req_json(const struct req_result *r, int advisory)
{
	json_t	*o = json_object(), *ex, *alts, *alt, *reqs;
	char	 buf[EXPLAIN_MAX], name[64];
	int	 i, j;

	json_object_set_new(o, "id", json_string(r->id));
	/* What people read for it (a bar's label), when the rule set
	   words it. */
	if (r->req != NULL && r->req->text != NULL)
		json_object_set_new(o, "text", json_string(r->req->text));
	json_object_set_new(o, "met", json_boolean(r->met));
	json_object_set_new(o, "have", number(r->have));
	json_object_set_new(o, "need", number(r->need));
	json_object_set_new(o, "unit", json_string(unit_names[r->unit]));
	json_object_set_new(o, "explain",
	    json_string(explain_result(r, buf, sizeof buf)));
	if (advisory)
		return o;
	ex = json_array();
	for (i = 0; i < r->nex; i++)
		json_array_append_new(ex, json_pack("{s:s, s:s}", "entry",
		    explain_entry(&r->ex[i], name, sizeof name), "why",
		    explain_why(&r->ex[i], buf, sizeof buf)));
	json_object_set_new(o, "excluded", ex);
	if (r->nopts == 0)
		return o;
	alts = json_array();
	for (i = 0; i < r->nopts; i++) {
		alt = json_object();
		json_object_set_new(alt, "label",
		    json_string(r->opts[i].opt->label));
		json_object_set_new(alt, "met", json_boolean(r->opts[i].met));
		if (r->opts[i].opt->emerging_months > 0)
			json_object_set_new(alt, "emerging_months",
			    json_integer(r->opts[i].opt->emerging_months));
		if (r->opts[i].held != NULL)
			json_object_set_new(alt, "closed",
			    json_string(r->opts[i].held));
		reqs = json_array();
		for (j = 0; j < r->opts[i].nreqs; j++)
			json_array_append_new(reqs,
			    req_json(&r->opts[i].reqs[j], 0));
		json_object_set_new(alt, "requirements", reqs);
		json_array_append_new(alts, alt);
	}
	json_object_set_new(o, "alternatives", alts);
	return o;
}

static void
dump(FILE *f, json_t *o)
{
	json_dumpf(o, f, JSON_FLAGS);
	fputc('\n', f);
	json_decref(o);
}

json_t *
report_check_object(const struct check_result *cr)
{
	json_t	*o = json_object(), *reqs = json_array(), *adv = json_array();
	char	 d[11];
	int	 i;

	date_format(cr->as_of, d);
	json_object_set_new(o, "format", json_string("endorse-check/1"));
	json_object_set_new(o, "association", json_string(cr->rs->id));
	json_object_set_new(o, "category", json_string(cr->cat->code));
	json_object_set_new(o, "as_of", json_string(d));
	json_object_set_new(o, "eligible", json_boolean(cr->eligible));
	if (cr->emerging) {
		date_format(cr->deadline, d);
		json_object_set_new(o, "status", json_string("emerging"));
		json_object_set_new(o, "deadline", json_string(d));
	}
	if (cr->with != NULL) {
		json_t *w = json_pack("{s:s, s:s}", "association",
		    cr->with->association, "category", cr->with->category);
		if (cr->with->application > 0)
			json_object_set_new(w, "application",
			    json_integer(cr->with->application));
		json_object_set_new(o, "decided_with", w);
	}
	for (i = 0; i < cr->nreqs; i++)
		json_array_append_new(reqs, req_json(&cr->reqs[i], 0));
	json_object_set_new(o, "requirements", reqs);
	for (i = 0; i < cr->nadvice; i++)
		json_array_append_new(adv, req_json(&cr->advice[i], 1));
	json_object_set_new(o, "advisories", adv);
	return o;
}

void
report_check_json(FILE *f, const struct check_result *cr)
{
	dump(f, report_check_object(cr));
}

/*
 * One line per requirement; under a ✗ the entries that did not count.
 * Options of a requirement already met are listed without their details:
 * the applicant has nothing to do there.
 */
static void
req_text(FILE *f, const struct req_result *r, int depth, int quiet)
{
	char	 buf[EXPLAIN_MAX], name[64];
	int	 i, j;

	fprintf(f, "%*s%s %s: %s\n", depth * 4, "", r->met ? "\u2713" :
	    "\u2717", r->id, explain_result(r, buf, sizeof buf));
	if (!r->met && !quiet)
		for (i = 0; i < r->nex; i++)
			fprintf(f, "%*s    - %s: %s\n", depth * 4, "",
			    explain_entry(&r->ex[i], name, sizeof name),
			    explain_why(&r->ex[i], buf, sizeof buf));
	for (i = 0; i < r->nopts; i++) {
		fprintf(f, "%*s    %s option \"%s\"%s%s%s\n", depth * 4, "",
		    r->opts[i].met ? "\u2713" : "\u2717",
		    r->opts[i].opt->label,
		    r->opts[i].opt->emerging_months > 0 ? " (emerging)" : "",
		    r->opts[i].held != NULL ? ": " : "",
		    r->opts[i].held != NULL ? r->opts[i].held : "");
		for (j = 0; j < r->opts[i].nreqs; j++)
			req_text(f, &r->opts[i].reqs[j], depth + 2,
			    quiet || r->met);
	}
}

void
report_check_text(FILE *f, const struct check_result *cr)
{
	char	 d[11], buf[EXPLAIN_MAX];
	int	 i, unmet = 0;

	date_format(cr->as_of, d);
	fprintf(f, "%s %s (%s), as of %s\n", cr->rs->id, cr->cat->code,
	    cr->cat->title, d);
	for (i = 0; i < cr->nreqs; i++) {
		req_text(f, &cr->reqs[i], 0, 0);
		unmet += !cr->reqs[i].met;
	}
	for (i = 0; i < cr->nadvice; i++)
		fprintf(f, "  advisory %s: %s\n", cr->advice[i].id,
		    explain_result(&cr->advice[i], buf, sizeof buf));
	if (cr->eligible && cr->with != NULL)
		fprintf(f, "decided together with the open %s application\n",
		    cr->with->category);
	if (cr->eligible && cr->emerging) {
		date_format(cr->deadline, d);
		fprintf(f, "eligible as Emerging: the full requirements must "
		    "be met by %s\n", d);
	} else if (cr->eligible)
		fprintf(f, "eligible: all %d requirements met\n", cr->nreqs);
	else
		fprintf(f, "not eligible: %d of %d requirements not met\n",
		    unmet, cr->nreqs);
}

void
report_renewal_json(FILE *f, const struct renewal_result *rr)
{
	dump(f, report_renewal_object(rr));
}

/* The endorse-renewal/1 document, for the web pages and the API. */
json_t *
report_renewal_object(const struct renewal_result *rr)
{
	json_t	*o = json_object(), *reqs = json_array();
	int	 i;

	json_object_set_new(o, "format", json_string("endorse-renewal/1"));
	json_object_set_new(o, "association", json_string(rr->rs->id));
	json_object_set_new(o, "category", json_string(rr->cat->code));
	json_object_set_new(o, "cycle", json_integer(rr->cycle));
	json_object_set_new(o, "years_endorsed", json_integer(rr->years));
	json_object_set_new(o, "required", json_boolean(rr->required));
	json_object_set_new(o, "met", json_boolean(rr->met));
	for (i = 0; i < rr->nreqs; i++)
		json_array_append_new(reqs, req_json(&rr->reqs[i], 0));
	json_object_set_new(o, "requirements", reqs);
	return o;
}

void
report_renewal_text(FILE *f, const struct renewal_result *rr)
{
	char	 s[11], a[11], b[11];
	int	 i, unmet = 0;

	date_format(rr->since, s);
	date_format(rr->cycle_start, a);
	date_format(rr->cycle_end, b);
	fprintf(f, "%s %s renewal, cycle %s to %s; endorsed since %s "
	    "(%d whole year%s at the deadline)\n", rr->rs->id, rr->cat->code,
	    a, b, s, rr->years, rr->years == 1 ? "" : "s");
	if (!rr->required) {
		fprintf(f, "no renewal required this cycle: endorsed less than "
		    "a year at the deadline\n");
		return;
	}
	for (i = 0; i < rr->nreqs; i++) {
		req_text(f, &rr->reqs[i], 0, 0);
		unmet += !rr->reqs[i].met;
	}
	if (rr->met)
		fprintf(f, "renewal met: all %d requirements\n", rr->nreqs);
	else
		fprintf(f, "renewal not met: %d of %d requirements not met\n",
		    unmet, rr->nreqs);
}

void
report_rules_list(FILE *f, const struct ruleset *rs)
{
	int	 i;

	fprintf(f, "%s: %s (%s)\n", rs->id, rs->name, rs->file);
	for (i = 0; i < rs->ncats; i++)
		fprintf(f, "  %-10s %s%s\n", rs->cats[i].code,
		    rs->cats[i].title, rs->cats[i].track < 0 ? "" :
		    rs->cats[i].track == TRACK_INFANT ? ", infant track" :
		    ", early childhood track");
}

static void
codes_text(struct buf *b, const struct codes *c)
{
	char	 tmp[EXPLAIN_MAX];

	buf_puts(b, explain_codes(c, tmp, sizeof tmp));
}

static void
mask_text(struct buf *b, const struct vocab *v, unsigned mask)
{
	char	 tmp[EXPLAIN_MAX];

	buf_puts(b, explain_mask(v, mask, tmp, sizeof tmp));
}

/*
 * What a requirement measures, in words; 1 when its filters follow (an
 * amount of entries), 0 when it has none.
 */
static int
describe_measure(struct buf *b, const struct requirement *r)
{
	static const char *const src[SRC__N] = { "", "training",
	    "RSC received", "RSC provided", "work", "leadership" };
	static const char *const facts[] = { "active membership on the "
	    "evaluation date", "the Code of Ethics signed", "the latest "
	    "written exam passed" };
	char	 n[32];
	int	 i, k;

	centi_format(r->need, n, sizeof n);
	switch (r->kind) {
	case KIND_HOURS:
		buf_printf(b, "at least %s hours of %s", n, src[r->src]);
		break;
	case KIND_YEARS:
		if (r->need % 12 == 0)
			buf_printf(b, "at least %ld year%s of %s", r->need / 12,
			    r->need == 12 ? "" : "s", src[r->src]);
		else
			buf_printf(b, "at least %ld months of %s", r->need,
			    src[r->src]);
		buf_puts(b, " (calendar time, overlaps counted once)");
		break;
	case KIND_SUM:
		buf_printf(b, "at least %ld %s in work", r->need,
		    r->sum_staff ? "families served or staff supervised" :
		    "families served");
		break;
	case KIND_COUNT:
		buf_printf(b, "at least %ld %s entr%s", r->need, src[r->src],
		    r->need == 1 ? "y" : "ies");
		break;
	case KIND_DEGREE:
		buf_printf(b, "a %s or higher", level_words[r->need]);
		return 0;
	case KIND_TRANSCRIPTS:
		buf_printf(b, "an official transcript for a %s or higher",
		    level_words[r->need]);
		return 0;
	case KIND_FACT:
		buf_puts(b, facts[r->fact]);
		return 0;
	case KIND_HOLDS:
		buf_puts(b, "already endorsed as ");
		codes_text(b, &r->holds);
		if (r->or_pending)
			buf_puts(b, ", or applying for one at the same time "
			    "(decided together)");
		return 0;
	case KIND_REFERENCES:
		buf_printf(b, "%d completed reference ratings", r->nslots);
		for (k = 0; k < r->npatterns; k++) {
			buf_puts(b, k == 0 ? ", from: " : "; or from: ");
			for (i = 0; i < r->nslots; i++) {
				if (i > 0)
					buf_puts(b, " + ");
				if (r->slots[k * r->nslots + i] ==
				    (1u << REL__N) - 1)
					buf_puts(b, "anyone");
				else
					mask_text(b, &vocab_relationship,
					    r->slots[k * r->nslots + i]);
			}
		}
		if (r->endorsed.n > 0) {
			buf_puts(b, "; at least one rater endorsed as ");
			codes_text(b, &r->endorsed);
		}
		return 0;
	case KIND_ANY:
		buf_puts(b, "one of the options below");
		return 0;
	}
	return 1;
}

/* Which entries count for a requirement, in words: its filters. */
static void
describe_filters(struct buf *b, const struct filter *f)
{
	if (f->roles) {
		buf_puts(b, "; role ");
		mask_text(b, &vocab_role, f->roles);
	}
	if (f->topics)
		buf_printf(b, "; tagged %s", f->topics & TOPIC_DEI ? "dei" :
		    "rsc_provision");
	if (f->formats) {
		buf_puts(b, "; format ");
		mask_text(b, &vocab_format, f->formats);
	}
	if (f->focus) {
		buf_puts(b, "; about ");
		buf_puts(b, f->focus & (1u << FOCUS_PROVISION) ?
		    "the RSC the applicant provides" :
		    "the applicant's practice");
	}
	if (f->providers.n) {
		buf_puts(b, "; from a provider endorsed as ");
		codes_text(b, &f->providers);
	}
	if (f->while_providing)
		buf_puts(b, "; received while providing RSC");
	if (f->paid == TRI_YES)
		buf_puts(b, "; paid");
	if (f->paid == TRI_NO)
		buf_puts(b, "; unpaid");
	if (f->either)
		buf_puts(b, "; paid, or supervised");
	if (f->supervised == TRI_YES)
		buf_puts(b, "; supervised");
	if (f->licensed == TRI_YES)
		buf_puts(b, "; licensed");
	if (f->services) {
		buf_puts(b, "; service ");
		mask_text(b, &vocab_service, f->services);
	}
	if (f->ages) {
		buf_puts(b, "; with ages ");
		mask_text(b, &vocab_age, f->ages);
	}
	if (f->scopes) {
		buf_puts(b, "; at the ");
		mask_text(b, &vocab_scope, f->scopes);
		buf_puts(b, " level");
	}
	if (f->after)
		buf_printf(b, "; after the first %s", level_words[f->after]);
	if (f->span_max)
		buf_printf(b, "; within a span of %d to %d months",
		    f->span_min, f->span_max);
}

/* What the engine will count for a requirement, in words. */
static void
describe(struct buf *b, const struct requirement *r)
{
	if (describe_measure(b, r))
		describe_filters(b, &r->f);
}

static void
show_req(FILE *f, const struct requirement *r, int depth)
{
	struct buf	 b;
	int		 i, j;

	buf_init(&b);
	describe(&b, r);
	fprintf(f, "%*s- %s: %s\n%*s  counts: %s\n", depth * 4, "", r->id,
	    r->text != NULL ? r->text : r->id, depth * 4, "", b.s);
	buf_free(&b);
	/* No seed says how a provider's or rater's codes are checked: the
	   association's setting, its default shown when left out. */
	if (r->f.providers.n > 0 || r->endorsed.n > 0 || r->slot_codes != NULL)
		fprintf(f, "%*s  %s\n", depth * 4, "", r->f.verified ?
		    "[setting] codes verified: a provider's or rater's codes "
		    "count only when verified in the registry" :
		    "[setting, default] codes declared: the codes given "
		    "count, verified in the registry or not");
	for (i = 0; i < r->noptions; i++) {
		fprintf(f, "%*s    option \"%s\"", depth * 4, "",
		    r->options[i].label);
		if (r->options[i].emerging_months > 0)
			fprintf(f, " (Emerging status: the full requirements "
			    "within %d months)", r->options[i].emerging_months);
		fputc('\n', f);
		for (j = 0; j < r->options[i].nreqs; j++)
			show_req(f, &r->options[i].reqs[j], depth + 2);
	}
}

/* The membership terms the association sells, in words. */
static void
show_membership(FILE *f, const struct membership_policy *mp)
{
	const struct membership_term	*t;
	int				 i;

	fprintf(f, "Membership: terms end December 31");
	if (mp->cutoff != 0)
		fprintf(f, "; bought on or after %02d-%02d, a term runs a year "
		    "longer", mp->cutoff / 100, mp->cutoff % 100);
	fputc('\n', f);
	for (i = 0; i < mp->nterms; i++) {
		t = &mp->terms[i];
		fprintf(f, "  - %s", t->id);
		if (strcmp(t->title, t->id) != 0)
			fprintf(f, " \"%s\"", t->title);
		fprintf(f, ": %s, %d year%s", t->agency ? "agency" :
		    "individual", t->years, t->years == 1 ? "" : "s");
		if (t->fee >= 0)
			fprintf(f, ", $%d", t->fee);
		else
			fprintf(f, ", no fee given");
		if (t->staff >= 0)
			fprintf(f, " for %d staff", t->staff);
		if (t->extra >= 0)
			fprintf(f, ", $%d each additional", t->extra);
		fputc('\n', f);
	}
}

/* A fee, and whether a seed gives it: "set by your association" if none. */
static void
show_fee(FILE *f, const char *what, const struct workflow_fee *fee)
{
	if (fee == NULL)
		fprintf(f, "%s: set by your association (no seed gives an "
		    "amount)\n", what);
	else
		fprintf(f, "%s: US$ %d [%s]\n", what, fee->amount,
		    fee->setting ? "setting" : "seed");
}

/*
 * The settings that run the association's workflow and renewal, as the
 * rule file writes them, each marked "seed" (a seed gives it; the file's
 * comment cites it) or "setting" (the association's own choice), and the
 * defaults of those the file leaves out.
 */
void
report_rules_policy(FILE *f, const struct ruleset *rs)
{
	static const struct {
		const char	*block, *key, *dflt;
	} dflts[] = {
		{ "workflow", "ratings valid", "ratings valid 12 months" },
		{ "workflow", "ratings link", "ratings link 30 days" },
		{ "workflow", "ratings void", "ratings void 6" },
		{ "workflow", "ratings visible", "ratings visible never" },
		{ "workflow", "reviewers", "reviewers 1" },
		{ "workflow", "exam questions", "exam questions 60 pass 80 "
		    "percent" },
		{ "workflow", "exam vignette", "exam vignette max 10 pass 7" },
		{ "workflow", "exam retake", "exam retake 90 days" },
		{ "renewal", "window", "window: the whole renewal year" },
		{ "renewal", "audit cure", "audit cure 30 days" },
		{ "renewal", "membership grace", "membership grace 30 days" },
		{ "renewal", "inactive", "inactive no" },
		{ "renewal", "reinstate", "reinstate: none (a new "
		    "application instead)" },
	};
	const struct policy_line	*pl;
	const char			*last = NULL;
	size_t				 k, n;
	int				 i, given;

	fprintf(f, "Settings of %s ([seed]: a seed gives it; [setting]: the "
	    "association's choice):\n", rs->id);
	for (i = 0; i < rs->npolicy; i++) {
		pl = &rs->policy[i];
		/* The rating items and competencies are the Competency
		   Guidelines' words, not settings: not repeated here. */
		if (strncmp(pl->text, "item ", 5) == 0 ||
		    strncmp(pl->text, "competency ", 11) == 0)
			continue;
		if (last == NULL || strcmp(last, pl->block) != 0)
			fprintf(f, "  %s:\n", pl->block);
		last = pl->block;
		fprintf(f, "    [%s] %s\n", pl->setting ? "setting" : "seed",
		    pl->text);
	}
	for (k = 0; k < sizeof dflts / sizeof *dflts; k++) {
		if (strcmp(dflts[k].block, "renewal") == 0 &&
		    !rs->renewal.defined)
			continue;
		n = strlen(dflts[k].key);
		for (i = 0, given = 0; i < rs->npolicy && !given; i++)
			given = strncmp(rs->policy[i].text, dflts[k].key, n) ==
			    0 && (rs->policy[i].text[n] == ' ' ||
			    rs->policy[i].text[n] == '\0');
		if (!given)
			fprintf(f, "    [setting, default] %s (%s)\n",
			    dflts[k].dflt, dflts[k].block);
	}
}

/* "Reminders to a WHO: 14 and 28 days after." */
static void
show_remind(FILE *f, const char *who, const int *days, int n)
{
	int	 i;

	if (n == 0)
		return;
	fprintf(f, "Reminders to a %s:", who);
	for (i = 0; i < n; i++)
		fprintf(f, "%s %d", i == 0 ? "" : i == n - 1 ? " and" : ",",
		    days[i]);
	fprintf(f, " day%s after the %s\n", n == 1 && days[0] == 1 ? "" : "s",
	    strncmp(who, "rater", 5) == 0 ? "request" : "assignment");
}

void
report_rules_show(FILE *f, const struct ruleset *rs,
    const struct category *cat)
{
	const struct renewal_policy	*rp = &rs->renewal;
	char				 a[32], b2[32], c[32];
	int				 i;

	fprintf(f, "%s %s: %s\n", rs->id, cat->code, cat->title);
	fprintf(f, "Requirements (all must be met):\n");
	for (i = 0; i < cat->nreqs; i++)
		show_req(f, &cat->reqs[i], 0);
	if (cat->nadvice > 0)
		fprintf(f, "Advisories (not required):\n");
	for (i = 0; i < cat->nadvice; i++)
		show_req(f, &cat->advice[i], 0);
	show_fee(f, "Registration fee", workflow_fee_line(rs->workflow.regfees,
	    rs->workflow.nregfees, cat->code));
	show_fee(f, "Processing fee", workflow_fee_line(rs->workflow.fees,
	    rs->workflow.nfees, cat->code));
	if (rs->membership.defined)
		show_membership(f, &rs->membership);
	show_remind(f, "rater who has not answered",
	    rs->workflow.remind_rater, rs->workflow.nremind_rater);
	show_remind(f, "reviewer who has not reviewed",
	    rs->workflow.remind_reviewer, rs->workflow.nremind_reviewer);
	if (cat->nrenews == 0)
		return;
	fprintf(f, "Renewal: every %d year%s, cycles ending December 31 of "
	    "%d, %d, ...", rp->cycle_years, rp->cycle_years == 1 ? "" : "s",
	    rp->anchor, rp->anchor + rp->cycle_years);
	if (rp->window_open)
		fprintf(f, "; window %02d-%02d to %02d-%02d",
		    rp->window_open / 100, rp->window_open % 100,
		    rp->window_close / 100, rp->window_close % 100);
	fputc('\n', f);
	for (i = 0; i < rp->nrows; i++) {
		centi_format(rp->rows[i].need[0], a, sizeof a);
		centi_format(rp->rows[i].need[1], b2, sizeof b2);
		centi_format(rp->rows[i].need[2], c, sizeof c);
		fprintf(f, "  endorsed %d year%s: %s h training, %s h on "
		    "providing RSC, %s h RSC received\n", rp->rows[i].years,
		    rp->rows[i].years == 1 ? "" : "s", a, b2, c);
	}
	if (rp->cap_provided_pct >= 0)
		fprintf(f, "  at most %d%% of the training hours from training "
		    "the endorsee provided\n", rp->cap_provided_pct);
	if (rp->cap_volunteer >= 0) {
		centi_format(rp->cap_volunteer, a, sizeof a);
		fprintf(f, "  at most %s hours from volunteer Endorsement "
		    "work\n", a);
	}
	if (rp->attended_only)
		fprintf(f, "  only training received counts (not training "
		    "provided to others, not volunteer work)\n");
	for (i = 0; i < cat->nrenews; i++) {
		const struct renew *rn = &cat->renews[i];
		struct buf bb;

		buf_init(&bb);
		buf_printf(&bb, "  - renewal.%s", renew_ids[rn->id]);
		if (rn->per_year > 0) {
			centi_format(rn->per_year, a, sizeof a);
			buf_printf(&bb, ": %s hours per year endorsed", a);
		} else if (rn->id != RENEW_MEMBERSHIP)
			buf_puts(&bb, ": hours from the table");
		if (rn->if_holds.n > 0) {
			buf_puts(&bb, "; only for holders of ");
			codes_text(&bb, &rn->if_holds);
		}
		if (rn->providers.n > 0) {
			buf_puts(&bb, "; from a provider endorsed as ");
			codes_text(&bb, &rn->providers);
		}
		if (rn->focus & (1u << FOCUS_PROVISION))
			buf_puts(&bb, "; about the RSC the endorsee provides");
		fprintf(f, "%s\n", bb.s);
		buf_free(&bb);
	}
}
