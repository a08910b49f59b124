/*
 * The rule-set reader's policy blocks (docs/rules-format.md): 'renewal',
 * 'membership' and 'workflow', each up to its 'end'.  A line of a block may
 * start with 'setting' (the association's own choice, no seed gives it);
 * every line is kept as written for `endorse rules show`.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "rules-int.h"
#include "banned.h"

const char *const remind_names[REMIND__N] = {
	"window", "deadline", "emerging", "membership",
};

/* "MM-DD" into month*100+day, a day of some year (02-29 is one). */
static int
parse_mmdd(struct parser *ps, const char *what, const char *s, int *out)
{
	static const int	 mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int			 i, m, d;

	for (i = 0; i < 5; i++)
		if (i == 2 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			break;
	if (i == 5 && s[5] == '\0') {
		m = (s[0] - '0') * 10 + (s[1] - '0');
		d = (s[3] - '0') * 10 + (s[4] - '0');
		if (m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1]) {
			*out = m * 100 + d;
			return 0;
		}
	}
	return rp_err(ps, "'%s': '%s' is not a month and day (MM-DD)", what, s);
}

/* "prorate YEARS TRAINING RSC_PROVISION RSC": hours owed by years endorsed. */
static int
renewal_prorate(struct parser *ps, struct renewal_policy *rp)
{
	struct prorate	*row;
	double		 d;
	int		 i;

	if (ps->ntok != 5)
		return rp_err(ps, "'prorate' reads 'prorate YEARS "
		    "TRAINING RSC_PROVISION RSC' (hours)");
	if (rp->nrows == PRORATE_MAX)
		return rp_err(ps, "more than %d prorate rows",
		    PRORATE_MAX);
	row = &rp->rows[rp->nrows];
	if (rp_int(ps, "prorate", ps->tok[1], 50, &row->years) != 0)
		return -1;
	if (row->years < 1)
		return rp_err(ps, "'prorate': YEARS starts at 1 (less "
		    "than a year endorsed needs no renewal)");
	for (i = 0; i < rp->nrows; i++)
		if (rp->rows[i].years == row->years)
			return rp_err(ps, "'prorate %d' is given twice",
			    row->years);
	for (i = 0; i < 3; i++) {
		if (rp_number(ps, "prorate", ps->tok[2 + i],
		    MAX_NEED_HOURS, &d) != 0)
			return -1;
		row->need[i] = (centi)(d * 100 + 0.5);
	}
	rp->nrows++;
	return 0;
}

/* "cap provided N%" or "cap volunteer N hours". */
static int
renewal_cap(struct parser *ps, struct renewal_policy *rp)
{
	double	 d;

	if (ps->ntok == 3 && strcmp(ps->tok[1], "provided") == 0) {
		size_t n = strlen(ps->tok[2]);
		char pct[16];

		if (n < 2 || n > 4 || ps->tok[2][n - 1] != '%')
			return rp_err(ps, "'cap provided' needs a "
			    "percentage such as 50%%");
		snprintf(pct, sizeof pct, "%.*s", (int)(n - 1),
		    ps->tok[2]);
		return rp_int(ps, "cap provided", pct, 100,
		    &rp->cap_provided_pct);
	}
	if (ps->ntok == 4 && strcmp(ps->tok[1], "volunteer") == 0 &&
	    strcmp(ps->tok[3], "hours") == 0) {
		if (rp_number(ps, "cap volunteer", ps->tok[2],
		    MAX_NEED_HOURS, &d) != 0)
			return -1;
		rp->cap_volunteer = (centi)(d * 100 + 0.5);
		return 0;
	}
	return rp_err(ps, "'cap' reads 'cap provided N%%' or 'cap "
	    "volunteer N hours'");
}

/* "remind window|deadline|emerging|membership DAYS...": days before. */
static int
renewal_remind(struct parser *ps, struct renewal_policy *rp)
{
	int	 i, j, k;

	for (k = 0; k < REMIND__N; k++)
		if (ps->ntok > 1 && strcmp(ps->tok[1],
		    remind_names[k]) == 0)
			break;
	if (k == REMIND__N || ps->ntok < 3)
		return rp_err(ps, "'remind' reads 'remind "
		    "window|deadline|emerging|membership DAYS...' "
		    "(days before)");
	if (rp->nremind[k] != 0)
		return rp_err(ps, "'remind %s' is given twice",
		    remind_names[k]);
	if (ps->ntok - 2 > REMIND_MAX)
		return rp_err(ps, "'remind %s': at most %d offsets",
		    remind_names[k], REMIND_MAX);
	for (i = 2; i < ps->ntok; i++) {
		if (rp_int(ps, "remind", ps->tok[i], 366,
		    &rp->remind[k][i - 2]) != 0)
			return -1;
		for (j = 0; j < i - 2; j++)
			if (rp->remind[k][j] == rp->remind[k][i - 2])
				return rp_err(ps, "'remind %s': %d is "
				    "given twice", remind_names[k],
				    rp->remind[k][j]);
	}
	rp->nremind[k] = ps->ntok - 2;
	return 0;
}

/* A line inside 'renewal' ... 'end'. */
static int
renewal_line(struct parser *ps)
{
	struct renewal_policy	*rp = &ps->rs->renewal;
	const char		*w = ps->tok[0];

	if (strcmp(w, "cycle") == 0) {
		if (ps->ntok != 5 || strcmp(ps->tok[2], "years") != 0 ||
		    strcmp(ps->tok[3], "from") != 0)
			return rp_err(ps, "'cycle' reads 'cycle N years from "
			    "YEAR'");
		if (rp_int(ps, "cycle", ps->tok[1], 10,
		    &rp->cycle_years) != 0 ||
		    rp_int(ps, "cycle", ps->tok[4], 2199,
		    &rp->anchor) != 0)
			return -1;
		if (rp->cycle_years < 1 || rp->anchor < 1900)
			return rp_err(ps, "'cycle': N from 1 to 10 years, YEAR "
			    "from 1900");
		return 0;
	}
	if (strcmp(w, "window") == 0) {
		if (ps->ntok != 4 || strcmp(ps->tok[2], "to") != 0)
			return rp_err(ps, "'window' reads 'window MM-DD to "
			    "MM-DD'");
		if (parse_mmdd(ps, "window", ps->tok[1],
		    &rp->window_open) != 0)
			return -1;
		return parse_mmdd(ps, "window", ps->tok[3], &rp->window_close);
	}
	if (strcmp(w, "prorate") == 0)
		return renewal_prorate(ps, rp);
	if (strcmp(w, "cap") == 0)
		return renewal_cap(ps, rp);
	if (strcmp(w, "training") == 0) {
		/* Seed 000: "12 training hours received per year". */
		if (ps->ntok != 2 || strcmp(ps->tok[1], "attended") != 0)
			return rp_err(ps, "'training' reads 'training "
			    "attended' (only training received counts)");
		rp->attended_only = 1;
		return 0;
	}
	if (strcmp(w, "remind") == 0)
		return renewal_remind(ps, rp);
	if (strcmp(w, "audit") == 0) {
		if (ps->ntok != 4 || strcmp(ps->tok[1], "cure") != 0 ||
		    strcmp(ps->tok[3], "days") != 0)
			return rp_err(ps, "'audit' reads 'audit cure N days'");
		if (rp_int(ps, "audit cure", ps->tok[2], 365,
		    &rp->cure_days) != 0)
			return -1;
		if (rp->cure_days < 1)
			return rp_err(ps, "'audit cure': at least 1 day");
		return 0;
	}
	if (strcmp(w, "membership") == 0) {
		if (ps->ntok != 4 || strcmp(ps->tok[1], "grace") != 0 ||
		    strcmp(ps->tok[3], "days") != 0)
			return rp_err(ps, "'membership' in 'renewal' reads "
			    "'membership grace N days'");
		return rp_int(ps, "membership grace", ps->tok[2], 365,
		    &rp->member_grace);
	}
	if (strcmp(w, "inactive") == 0) {
		if (ps->ntok != 2 || (strcmp(ps->tok[1], "allowed") != 0 &&
		    strcmp(ps->tok[1], "no") != 0))
			return rp_err(ps, "'inactive' reads 'inactive allowed' "
			    "or 'inactive no'");
		rp->inactive = strcmp(ps->tok[1], "allowed") == 0;
		return 0;
	}
	if (strcmp(w, "reinstate") == 0) {
		if ((ps->ntok != 4 && ps->ntok != 6) ||
		    strcmp(ps->tok[1], "within") != 0 ||
		    strcmp(ps->tok[3], "months") != 0 ||
		    (ps->ntok == 6 && strcmp(ps->tok[4], "fee") != 0))
			return rp_err(ps, "'reinstate' reads 'reinstate within "
			    "N months [fee N]'");
		if (rp_int(ps, "reinstate", ps->tok[2], 120,
		    &rp->reinstate_months) != 0 || (ps->ntok == 6 &&
		    rp_int(ps, "reinstate fee", ps->tok[5], 100000,
		    &rp->reinstate_fee) != 0))
			return -1;
		if (rp->reinstate_months < 1)
			return rp_err(ps, "'reinstate within': at least 1 "
			    "month");
		return 0;
	}
	return rp_err(ps, "unknown renewal line '%s' (expected cycle, window, "
	    "prorate, cap, training, remind, audit, membership, inactive or "
	    "reinstate)",
	    w);
}

/*
 * "term ID individual|agency N years [fee N] [extra N] [staff N] ["title"]":
 * one membership an association sells.  The title must be quoted, so that
 * a misspelt word is reported rather than taken for one.
 */
static int
term_line(struct parser *ps)
{
	struct membership_term	*t;
	const char		*title = NULL;
	int			 i, agency, years = 0, *field;
	int			 fee = -1, extra = -1, staff = -1;

	if (ps->ntok < 5)
		return rp_err(ps, "'term' reads 'term ID individual|agency N "
		    "years [fee N] [extra N] [staff N] [\"title\"]'");
	if (!rp_valid_id(ps->tok[1]))
		return rp_err(ps, "'term' needs an id in lower case, such as "
		    "individual-1");
	if (membership_term(ps->rs, ps->tok[1]) != NULL)
		return rp_err(ps, "membership term '%s' is defined twice",
		    ps->tok[1]);
	if (strcmp(ps->tok[2], "individual") == 0)
		agency = 0;
	else if (strcmp(ps->tok[2], "agency") == 0)
		agency = 1;
	else
		return rp_err(ps, "'%s' is not a kind of membership (expected "
		    "individual or agency)", ps->tok[2]);
	if (rp_int(ps, "term", ps->tok[3], 1000, &years) != 0)
		return -1;
	if (years < 1 || years > MEMBERSHIP_MAX_YEARS)
		return rp_err(ps, "'term': a term runs 1 to %d years, not %d",
		    MEMBERSHIP_MAX_YEARS, years);
	if (strcmp(ps->tok[4], "year") != 0 && strcmp(ps->tok[4], "years") != 0)
		return rp_err(ps, "'term': expected 'years' after the number, "
		    "not '%s'", ps->tok[4]);
	for (i = 5; i < ps->ntok; i++) {
		if (ps->quoted & ((uint64_t)1 << i)) {
			if (i != ps->ntok - 1)
				return rp_err(ps, "'term': the quoted title "
				    "comes last");
			title = ps->tok[i];
			continue;
		}
		if (strcmp(ps->tok[i], "fee") == 0)
			field = &fee;
		else if (strcmp(ps->tok[i], "extra") == 0)
			field = &extra;
		else if (strcmp(ps->tok[i], "staff") == 0)
			field = &staff;
		else
			return rp_err(ps, "unexpected '%s' in 'term' (expected "
			    "fee, extra, staff or a quoted title)", ps->tok[i]);
		if (*field != -1)
			return rp_err(ps, "'%s' is given twice", ps->tok[i]);
		if (rp_int(ps, ps->tok[i], i + 1 < ps->ntok ?
		    ps->tok[i + 1] : NULL, 1000000, field) != 0)
			return -1;
		i++;
	}
	if (!agency && (extra != -1 || staff != -1))
		return rp_err(ps, "'%s' applies to agency terms only",
		    extra != -1 ? "extra" : "staff");
	if (extra != -1 && staff == -1)
		return rp_err(ps, "'extra' needs 'staff': how many staff the "
		    "fee covers");

	t = rp_push(&ps->rs->arena, (void **)&ps->rs->membership.terms,
	    &ps->rs->membership.nterms, sizeof *t);
	t->id = arena_strdup(&ps->rs->arena, ps->tok[1]);
	t->title = arena_strdup(&ps->rs->arena,
	    title != NULL ? title : ps->tok[1]);
	t->agency = agency;
	t->years = years;
	t->fee = fee;
	t->extra = extra;
	t->staff = staff;
	t->line = ps->line;
	return 0;
}

/* "buy URL" or "ethics URL": an address on the association's site the
   pages link to (http:// or https://, no spaces or quotes), into *dst. */
static int
url_line(struct parser *ps, char **dst)
{
	const char	*u = ps->ntok == 2 ? ps->tok[1] : "";
	size_t		 i;

	if (*dst != NULL)
		return rp_err(ps, "'%s' is given twice", ps->tok[0]);
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return rp_err(ps, "'%s' reads '%s \"https://...\"'",
		    ps->tok[0], ps->tok[0]);
	for (i = 0; u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == '"' || u[i] == '<' ||
		    u[i] == '>' || u[i] == 0x7f)
			return rp_err(ps, "'%s': the address holds a space, a "
			    "quote or a control character", ps->tok[0]);
	*dst = arena_strdup(&ps->rs->arena, u);
	return 0;
}

/*
 * "membership counts recorded|confirmed": whether a membership the
 * applicant recorded counts as it is, or only once the association has
 * confirmed it.  A rejected one never counts.
 */
static int
counts_line(struct parser *ps, struct membership_policy *mp)
{
	if (ps->counts_line != 0)
		return rp_err(ps, "'membership counts' is given twice");
	if (ps->ntok != 3 || (strcmp(ps->tok[2], "recorded") != 0 &&
	    strcmp(ps->tok[2], "confirmed") != 0))
		return rp_err(ps, "'membership counts' reads 'membership "
		    "counts recorded' or 'membership counts confirmed'");
	mp->confirmed = strcmp(ps->tok[2], "confirmed") == 0;
	ps->counts_line = ps->line;
	return 0;
}

/* A line inside 'membership' ... 'end'. */
static int
membership_line(struct parser *ps)
{
	struct membership_policy	*mp = &ps->rs->membership;
	const char			*w = ps->tok[0];

	if (strcmp(w, "calendar-year") == 0) {
		if (ps->calendar_line != 0)
			return rp_err(ps, "'calendar-year' is given twice");
		if (ps->ntok != 1 && (ps->ntok != 3 ||
		    strcmp(ps->tok[1], "cutoff") != 0))
			return rp_err(ps, "'calendar-year' reads "
			    "'calendar-year' or 'calendar-year cutoff MM-DD'");
		if (ps->ntok == 3) {
			if (parse_mmdd(ps, "cutoff", ps->tok[2],
			    &mp->cutoff) != 0)
				return -1;
			/* Every term would run a year longer. */
			if (mp->cutoff == 101)
				return rp_err(ps, "'cutoff 01-01' gives every "
				    "term a free year; leave the cutoff out");
		}
		ps->calendar_line = ps->line;
		return 0;
	}
	if (strcmp(w, "term") == 0)
		return term_line(ps);
	if (strcmp(w, "membership") == 0 && ps->ntok >= 2 &&
	    strcmp(ps->tok[1], "counts") == 0)
		return counts_line(ps, mp);
	if (strcmp(w, "buy") == 0)
		return url_line(ps, &mp->buy_url);
	if (strcmp(w, "end") == 0)
		return rp_err(ps, "'end' stands alone");
	if (strcmp(w, "category") == 0 || strcmp(w, "renewal") == 0 ||
	    strcmp(w, "set") == 0 || strcmp(w, "membership") == 0 ||
	    strcmp(w, "workflow") == 0)
		return rp_err(ps, "'membership' is still open: close it with "
		    "'end'");
	return rp_err(ps, "unknown membership line '%s' (expected "
	    "calendar-year, term, membership counts or buy)", w);
}

/* At the block's 'end': it must say how terms run and sell one. */
static int
close_membership(struct parser *ps)
{
	int	 save = ps->line;

	ps->in_membership = 0;
	ps->line = ps->rs->membership.line;
	if (ps->calendar_line == 0)
		return rp_err(ps, "'membership' needs a 'calendar-year' line "
		    "(terms end December 31)");
	if (ps->rs->membership.nterms == 0)
		return rp_err(ps, "'membership' needs at least one 'term' "
		    "line");
	ps->line = save;
	return 0;
}

/*
 * "exam questions N pass N percent", "exam vignette max N pass N" or
 * "exam retake N days".
 */
static int
workflow_exam(struct parser *ps, struct workflow_policy *wp)
{
	if (ps->ntok == 6 && strcmp(ps->tok[1], "questions") == 0 &&
	    strcmp(ps->tok[3], "pass") == 0 &&
	    strcmp(ps->tok[5], "percent") == 0) {
		if (rp_int(ps, "exam questions", ps->tok[2], 1000,
		    &wp->exam_questions) != 0 || rp_int(ps,
		    "exam pass", ps->tok[4], 100, &wp->exam_pass_pct)
		    != 0)
			return -1;
		if (wp->exam_questions < 1 || wp->exam_pass_pct < 1)
			return rp_err(ps, "'exam questions' needs at "
			    "least 1 question and a pass mark above 0");
		return 0;
	}
	if (ps->ntok == 6 && strcmp(ps->tok[1], "vignette") == 0 &&
	    strcmp(ps->tok[2], "max") == 0 &&
	    strcmp(ps->tok[4], "pass") == 0) {
		if (rp_int(ps, "exam vignette max", ps->tok[3], 1000,
		    &wp->exam_part2_max) != 0 || rp_int(ps,
		    "exam vignette pass", ps->tok[5], 1000,
		    &wp->exam_part2_pass) != 0)
			return -1;
		if (wp->exam_part2_max < 1 || wp->exam_part2_pass < 1 ||
		    wp->exam_part2_pass > wp->exam_part2_max)
			return rp_err(ps, "'exam vignette': the pass "
			    "mark is between 1 and the maximum");
		return 0;
	}
	if (ps->ntok == 4 && strcmp(ps->tok[1], "retake") == 0 &&
	    strcmp(ps->tok[3], "days") == 0)
		return rp_int(ps, "exam retake", ps->tok[2], 3650,
		    &wp->retake_days);
	return rp_err(ps, "'exam' reads 'exam questions N pass N "
	    "percent', 'exam vignette max N pass N' or 'exam retake "
	    "N days'");
}

/* "fee N [CODE ...]" or "registration N [CODE ...]": without codes, the
   default. */
static int
workflow_fees(struct parser *ps, struct workflow_policy *wp, const char *w)
{
	struct workflow_fee	**list, *fee;
	int			*nlist, i, n = 0;

	list = w[0] == 'f' ? &wp->fees : &wp->regfees;
	nlist = w[0] == 'f' ? &wp->nfees : &wp->nregfees;
	if (ps->ntok < 2)
		return rp_err(ps, "'%s' reads '%s N [CODE ...]'", w, w);
	if (rp_int(ps, w, ps->tok[1], 100000, &n) != 0)
		return -1;
	for (i = 0; ps->ntok == 2 && i < *nlist; i++)
		if ((*list)[i].codes.n == 0)
			return rp_err(ps, "a default '%s' (without "
			    "codes) is given twice", w);
	fee = rp_push(&ps->rs->arena, (void **)list, nlist,
	    sizeof *fee);
	fee->amount = n;
	fee->setting = ps->setting;
	if (ps->ntok == 2)
		return 0;
	return rp_codes(ps, 2, NULL, &fee->codes) < 0 ? -1 : 0;
}

/*
 * "ratings valid N months", "ratings link N days", "ratings void N" or
 * "ratings visible never|unless-waived".
 */
static int
workflow_ratings(struct parser *ps, struct workflow_policy *wp)
{
	if (strcmp(ps->tok[1], "valid") == 0 && ps->ntok == 4 &&
	    strcmp(ps->tok[3], "months") == 0) {
		if (rp_int(ps, "ratings valid", ps->tok[2], 120,
		    &wp->rating_valid_months) != 0)
			return -1;
		return wp->rating_valid_months < 1 ? rp_err(ps, "'ratings "
		    "valid' needs at least 1 month") : 0;
	}
	if (strcmp(ps->tok[1], "link") == 0 && ps->ntok == 4 &&
	    strcmp(ps->tok[3], "days") == 0) {
		if (rp_int(ps, "ratings link", ps->tok[2], 365,
		    &wp->link_days) != 0)
			return -1;
		return wp->link_days < 1 ? rp_err(ps, "'ratings link' needs "
		    "at least 1 day") : 0;
	}
	if (strcmp(ps->tok[1], "void") == 0 && ps->ntok == 3) {
		if (rp_int(ps, "ratings void", ps->tok[2], 100,
		    &wp->void_unknown) != 0)
			return -1;
		return wp->void_unknown < 1 ? rp_err(ps, "'ratings void' "
		    "needs at least 1") : 0;
	}
	if (strcmp(ps->tok[1], "visible") == 0 && ps->ntok == 3) {
		if (strcmp(ps->tok[2], "never") == 0)
			wp->visible = VISIBLE_NEVER;
		else if (strcmp(ps->tok[2], "unless-waived") == 0)
			wp->visible = VISIBLE_UNLESS_WAIVED;
		else
			return rp_err(ps, "'ratings visible' takes "
			    "never or unless-waived, not '%s'",
			    ps->tok[2]);
		return 0;
	}
	return rp_err(ps, "'ratings' reads 'ratings valid N months', "
	    "'ratings link N days', 'ratings void N' or 'ratings "
	    "visible never|unless-waived'");
}

/*
 * "remind rater DAYS..." or "remind reviewer DAYS...": days after the
 * request (the assignment) that one not answered (not reviewed) is
 * reminded, each offset once, increasing.
 */
static int
workflow_remind(struct parser *ps, struct workflow_policy *wp)
{
	int	*v, *n, i;

	if (ps->ntok >= 3 && strcmp(ps->tok[1], "rater") == 0) {
		v = wp->remind_rater;
		n = &wp->nremind_rater;
	} else if (ps->ntok >= 3 && strcmp(ps->tok[1], "reviewer") == 0) {
		v = wp->remind_reviewer;
		n = &wp->nremind_reviewer;
	} else
		return rp_err(ps, "'remind' reads 'remind rater|reviewer "
		    "DAYS...' (days after the request or the assignment)");
	if (*n != 0)
		return rp_err(ps, "'remind %s' is given twice", ps->tok[1]);
	if (ps->ntok - 2 > REMIND_MAX)
		return rp_err(ps, "'remind %s': at most %d offsets",
		    ps->tok[1], REMIND_MAX);
	for (i = 2; i < ps->ntok; i++) {
		if (rp_int(ps, "remind", ps->tok[i], 366, &v[i - 2]) != 0)
			return -1;
		if (v[i - 2] < 1)
			return rp_err(ps, "'remind %s': an offset is at least "
			    "1 day", ps->tok[1]);
		if (i > 2 && v[i - 2] <= v[i - 3])
			return rp_err(ps, "'remind %s': the offsets go up "
			    "(%d after %d)", ps->tok[1], v[i - 2], v[i - 3]);
	}
	*n = ps->ntok - 2;
	return 0;
}

/*
 * A line inside 'workflow' ... 'end'.  Each setting is one line that
 * starts with its name, so a misspelt one is reported, never ignored:
 *   ratings valid N months | ratings link N days | ratings void N
 *   ratings visible never|unless-waived
 *   reviewers 1|2 [agree]
 *   exam questions N pass N percent | exam vignette max N pass N
 *   exam retake N days
 *   number PREFIX
 *   fee N [CODE ...] | fee due at submit
 *   item reflection|working-with-others|thinking "text"
 *   competency "text"
 *   remind rater|reviewer DAYS...
 */
static int
workflow_line(struct parser *ps)
{
	struct workflow_policy	*wp = &ps->rs->workflow;
	struct rating_item	*it;
	char			**comp;
	const char		*w = ps->tok[0];
	int			 n = 0;

	if (strcmp(w, "ratings") == 0 && ps->ntok >= 3)
		return workflow_ratings(ps, wp);
	if (strcmp(w, "reviewers") == 0) {
		if (ps->ntok < 2 || ps->ntok > 3 || (ps->ntok == 3 &&
		    strcmp(ps->tok[2], "agree") != 0))
			return rp_err(ps, "'reviewers' reads 'reviewers 1|2 "
			    "[agree]'");
		if (rp_int(ps, "reviewers", ps->tok[1], 2, &n) != 0)
			return -1;
		if (n < 1)
			return rp_err(ps, "'reviewers' is 1 or 2");
		if (n == 1 && ps->ntok == 3)
			return rp_err(ps, "'agree' needs two reviewers");
		wp->reviewers = n;
		wp->agree = ps->ntok == 3;
		return 0;
	}
	if (strcmp(w, "exam") == 0)
		return workflow_exam(ps, wp);
	if (strcmp(w, "remind") == 0)
		return workflow_remind(ps, wp);
	if (strcmp(w, "number") == 0) {
		if (ps->ntok != 2 || !rp_is_code(ps->tok[1]))
			return rp_err(ps, "'number' needs a prefix in "
			    "capitals, such as VA");
		wp->number_prefix = arena_strdup(&ps->rs->arena, ps->tok[1]);
		return 0;
	}
	if (strcmp(w, "fee") == 0 && ps->ntok >= 2 &&
	    strcmp(ps->tok[1], "due") == 0) {
		if (ps->ntok != 4 || strcmp(ps->tok[2], "at") != 0 ||
		    strcmp(ps->tok[3], "submit") != 0)
			return rp_err(ps, "'fee due' reads 'fee due at submit'");
		/* No seed says the fees are due before submission. */
		if (!ps->setting)
			return rp_err(ps, "no seed makes the fees due at "
			    "submission: write 'setting fee due at submit'");
		wp->fee_due_submit = 1;
		return 0;
	}
	if (strcmp(w, "fee") == 0 || strcmp(w, "registration") == 0)
		return workflow_fees(ps, wp, w);
	if (strcmp(w, "ethics") == 0)
		return url_line(ps, &wp->ethics_url);
	if (strcmp(w, "item") == 0) {
		if (ps->ntok != 3 || !(ps->quoted & ((uint64_t)1 << 2)))
			return rp_err(ps, "'item' reads 'item DOMAIN "
			    "\"text\"'");
		if (vocab_find(&vocab_domain, ps->tok[1]) < 0)
			return rp_err(ps, "'%s' is not a rating domain "
			    "(expected reflection, working-with-others or "
			    "thinking)", ps->tok[1]);
		if (wp->nitems >= 100)
			return rp_err(ps, "at most 100 rating items");
		it = rp_push(&ps->rs->arena, (void **)&wp->items, &wp->nitems,
		    sizeof *it);
		it->domain = arena_strdup(&ps->rs->arena, ps->tok[1]);
		it->text = arena_strdup(&ps->rs->arena, ps->tok[2]);
		return 0;
	}
	if (strcmp(w, "competency") == 0) {
		if (ps->ntok != 2 || !(ps->quoted & ((uint64_t)1 << 1)))
			return rp_err(ps, "'competency' reads 'competency "
			    "\"text\"'");
		if (wp->ncompetencies >= 100)
			return rp_err(ps, "at most 100 competencies");
		comp = rp_push(&ps->rs->arena, (void **)&wp->competencies,
		    &wp->ncompetencies, sizeof *comp);
		*comp = arena_strdup(&ps->rs->arena, ps->tok[1]);
		return 0;
	}
	if (strcmp(w, "end") == 0)
		return rp_err(ps, "'end' stands alone");
	if (strcmp(w, "category") == 0 || strcmp(w, "renewal") == 0 ||
	    strcmp(w, "set") == 0 || strcmp(w, "membership") == 0 ||
	    strcmp(w, "workflow") == 0)
		return rp_err(ps, "'workflow' is still open: close it with "
		    "'end'");
	return rp_err(ps, "unknown workflow line '%s' (expected ratings, "
	    "reviewers, exam, number, fee, registration, ethics, item, "
	    "competency or remind)", w);
}

/* At the block's 'end': the void threshold must be reachable. */
static int
close_workflow(struct parser *ps)
{
	struct workflow_policy	*wp = &ps->rs->workflow;

	ps->in_workflow = 0;
	if (wp->nitems > 0 && wp->void_unknown > wp->nitems)
		return rp_err(ps, "'ratings void %d' can never happen with %d "
		    "rating items", wp->void_unknown, wp->nitems);
	return 0;
}

/* The fee line for a category: its own, else the default; NULL: none. */
const struct workflow_fee *
workflow_fee_line(const struct workflow_fee *fees, int nfees,
    const char *code)
{
	const struct workflow_fee	*dflt = NULL;
	int				 i, j;

	for (i = 0; i < nfees; i++) {
		if (fees[i].codes.n == 0)
			dflt = &fees[i];
		for (j = 0; j < fees[i].codes.n; j++)
			if (strcmp(fees[i].codes.v[j], code) == 0)
				return &fees[i];
	}
	return dflt;
}

int
workflow_fee(const struct ruleset *rs, const char *code)
{
	const struct workflow_fee *f = workflow_fee_line(rs->workflow.fees,
	    rs->workflow.nfees, code);

	return f != NULL ? f->amount : -1;
}

int
workflow_regfee(const struct ruleset *rs, const char *code)
{
	const struct workflow_fee *f = workflow_fee_line(rs->workflow.regfees,
	    rs->workflow.nregfees, code);

	return f != NULL ? f->amount : -1;
}

/*
 * "setting ..." before a renewal, membership or workflow line marks it
 * the association's own choice (no seed gives it): drop the word, note it.
 */
static void
policy_prefix(struct parser *ps)
{
	ps->setting = 0;
	if (ps->ntok >= 2 && strcmp(ps->tok[0], "setting") == 0 &&
	    !(ps->quoted & 1)) {
		memmove(ps->tok, ps->tok + 1, (size_t)(ps->ntok - 1) *
		    sizeof *ps->tok);
		ps->ntok--;
		ps->quoted >>= 1;
		ps->setting = 1;
	}
}

/* Keep the line as written, for `endorse rules show`. */
static void
policy_record(struct parser *ps, const char *block)
{
	struct policy_line	*pl;
	struct buf		 b;
	int			 i;

	buf_init(&b);
	for (i = 0; i < ps->ntok; i++)
		buf_printf(&b, (ps->quoted & ((uint64_t)1 << i)) ? "%s\"%s\"" :
		    "%s%s", i > 0 ? " " : "", ps->tok[i]);
	pl = rp_push(&ps->rs->arena, (void **)&ps->rs->policy, &ps->rs->npolicy,
	    sizeof *pl);
	pl->block = block;
	pl->text = arena_strdup(&ps->rs->arena, b.s);
	pl->setting = ps->setting;
	pl->line = ps->line;
	buf_free(&b);
}

/*
 * A line inside a renewal, membership or workflow block: the block's
 * 'end', or one of its lines, recorded as written.
 */
int
rp_policy_line(struct parser *ps)
{
	int	 rc = 0;

	if (ps->in_renewal) {
		if (strcmp(ps->tok[0], "end") == 0 && ps->ntok == 1)
			ps->in_renewal = 0;
		else {
			policy_prefix(ps);
			if ((rc = renewal_line(ps)) == 0)
				policy_record(ps, "renewal");
		}
	} else if (ps->in_membership) {
		if (strcmp(ps->tok[0], "end") == 0 && ps->ntok == 1)
			rc = close_membership(ps);
		else {
			policy_prefix(ps);
			if ((rc = membership_line(ps)) == 0)
				policy_record(ps, "membership");
		}
	} else if (ps->in_workflow) {
		if (strcmp(ps->tok[0], "end") == 0 && ps->ntok == 1)
			rc = close_workflow(ps);
		else {
			policy_prefix(ps);
			if ((rc = workflow_line(ps)) == 0)
				policy_record(ps, "workflow");
		}
	}
	return rc;
}
