/*
 * Endorse: internal declarations, grouped by file (tmux style).
 *
 * The rules engine is a pure function: a portfolio, a rule set and a date
 * in, a checklist with reasons out.  Nothing here knows a category name:
 * categories, numbers and filters come from the rule files in rules/.
 */
#ifndef ENDORSE_H
#define ENDORSE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ENDORSE_VERSION "0.1.0"

/* Exit codes of check and renewal (portfolio.md). */
#define EXIT_ELIGIBLE	0
#define EXIT_NOT_MET	1
#define EXIT_BAD_INPUT	2

/* A date is a day number (days since 1970-01-01); DATE_NONE is "absent". */
#define DATE_NONE	INT32_MIN

/* Hours are held in hundredths, so that sums are exact. */
typedef long centi;

/* ---- util.c ---- */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

int	 date_parse(const char *, int32_t *);
void	 date_format(int32_t, char [11]);
/* "March 5, 2027": at least DATE_US_MAX bytes. */
#define DATE_US_MAX	24
const char *date_us(int32_t, char *, size_t);
const char *date_us_text(const char *, char *, size_t);
int32_t	 date_today(void);
int32_t	 date_from_ymd(int, int, int);
void	 date_ymd(int32_t, int *, int *, int *);
int32_t	 date_add_months(int32_t, int);
int	 whole_years_between(int32_t, int32_t);

/* Print hundredths as a decimal without trailing zeros ("12.5", "30"). */
void	 centi_format(centi, char *, size_t);
/* 948 (hundredths of a year) as "9 years 6 months". */
const char *years_text(centi, char *, size_t);

/* A growable string with a size cap. */
/* A growable buffer.  It grows to max bytes (0: BUF_MAX); what would
   pass that is dropped and over set, for the owner to answer as an error
   (http.c: an error page instead of the reply) rather than end the
   process. */
#define BUF_MAX (64u * 1024 * 1024)
struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	int	 over;
};
void	 buf_init(struct buf *);
void	 buf_add(struct buf *, const char *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
void	 buf_free(struct buf *);

/* ---- arena.c: bump allocation, freed all at once ---- */
struct arena_chunk;
struct arena {
	struct arena_chunk	*head;
};
void	 arena_init(struct arena *);
void	*arena_alloc(struct arena *, size_t);
void	*arena_alloc_raw(struct arena *, size_t);	/* not zeroed */
char	*arena_strdup(struct arena *, const char *);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 arena_reset(struct arena *);
void	 arena_free(struct arena *);

/* ---- vocab.c: the portfolio's enumerations, by name ---- */
enum level { LEVEL_NONE, LEVEL_CDA, LEVEL_ASSOCIATE, LEVEL_BACHELOR,
	LEVEL_MASTER, LEVEL_DOCTORATE, LEVEL__N };
enum age { AGE_INFANT, AGE_EARLY_CHILDHOOD, AGE__N };
enum service { SVC_PROMOTION, SVC_PREVENTION, SVC_TREATMENT, SVC_RSC,
	SVC_POLICY, SVC_ADMINISTRATION, SVC_RESEARCH, SVC_TEACHING,
	SVC_OTHER, SVC__N };
enum role { ROLE_ATTENDED, ROLE_PROVIDED, ROLE_VOLUNTEER, ROLE__N };
enum format { FMT_INDIVIDUAL, FMT_GROUP, FMT_PEER, FMT__N };
enum focus { FOCUS_PRACTICE, FOCUS_PROVISION, FOCUS__N };
enum relationship { REL_PROGRAM_SUPERVISOR, REL_RSC_PROVIDER,
	REL_RSC_RECIPIENT, REL_ENDORSED_PROFESSIONAL, REL_SUPERVISOR,
	REL_COLLEAGUE, REL_TRAINER, REL_CONSULTANT, REL_SUPERVISEE,
	REL_STUDENT, REL_DEPARTMENT_CHAIR, REL_PARENT, REL_TEACHER,
	REL_CDA_MENTOR, REL_BOARD_MEMBER, REL__N };
enum refstatus { REFST_DRAFT, REFST_SENT, REFST_OPENED, REFST_COMPLETED,
	REFST_DECLINED, REFST_EXPIRED, REFST_VOID, REFST__N };
enum result { RESULT_PASS, RESULT_FAIL, RESULT__N };
enum scope { SCOPE_LOCAL, SCOPE_REGIONAL, SCOPE_STATE, SCOPE_NATIONAL,
	SCOPE_INTERNATIONAL, SCOPE__N };
enum track { TRACK_INFANT, TRACK_EARLY_CHILDHOOD, TRACK__N };

struct vocab {
	const char		*what;	/* "service", "relationship", ... */
	const char *const	*names;
	int			 n;
};
extern const struct vocab vocab_level, vocab_degree, vocab_age, vocab_service, vocab_role,
    vocab_format, vocab_focus, vocab_relationship, vocab_refstatus,
    vocab_result, vocab_scope, vocab_track, vocab_domain;
int	 vocab_find(const struct vocab *, const char *);
/* "a, b or c" into a buffer, for error messages. */
void	 vocab_list(const struct vocab *, struct buf *);
extern const char *const level_words[LEVEL__N];	/* "bachelor's degree" */
struct codes;
/* Whether any code of have is among want; a code's key (FNV-1a): equal
   codes have equal keys. */
int	 codes_meet(const struct codes *have, const struct codes *want);
uint64_t code_key(const char *);

/* ---- portfolio.c: endorse-portfolio/1 ---- */
struct period {
	int32_t	 start;
	int32_t	 end;		/* DATE_NONE: ongoing */
};
/*
 * A membership period and what the association made of it: recorded by
 * the applicant, confirmed by the association (by hand or from its
 * roster), or rejected (never counts).  The status is the store's, never
 * the applicant's: a document they send has its status dropped.
 */
enum member_status { MEMBER_RECORDED, MEMBER_CONFIRMED, MEMBER_REJECTED };
struct member {
	int32_t	 start;
	int32_t	 end;		/* DATE_NONE: ongoing */
	int	 status;	/* enum member_status */
	char	*reason;	/* a rejection's; NULL */
};
struct codes {			/* category codes such as IMHM-C */
	char		**v;
	uint64_t	 *k;		/* code_key() of each, to compare fast */
	int		  n;
};
struct education {
	int	 level;
	char	*degree;
	int32_t	 conferred;
	int	 transcript;
};
struct work {
	struct period	 p;
	int		 paid, supervised, licensed;
	unsigned	 ages;		/* bit per enum age */
	int		 service;
	long		 families;
	long		 staff;		/* staff supervised in the position */
};
struct training {
	int32_t		 date;
	centi		 hours;
	unsigned	 topics;	/* TOPIC_* bits of the tags rules read */
	int		 role;
};
#define TOPIC_DEI		0x1
#define TOPIC_RSC_PROVISION	0x2
struct rsc_received {
	struct period	 p;		/* a single session: start == end */
	centi		 hours;
	int		 format;
	int		 focus;
	struct codes	 provider;
	int		 verified;	/* provider's codes found in the registry */
};
struct rsc_provided {
	struct period	 p;
	long		 recipients;
};
struct leadership {
	struct period	 p;
	int		 paid;
	int		 scope;		/* -1: not given */
};
struct reference {
	char		*name;
	int		 relationship;
	int		 status;
	struct codes	 endorsements;
	int		 verified;	/* rater's codes found in the registry */
};
struct exam {
	int32_t	 date;
	int	 result;
};
struct held {
	char	*association;
	char	*category;
	int32_t	 since;
	int32_t	 emerging_until;	/* DATE_NONE: not Emerging */
};
struct pending {
	char	*association;
	char	*category;
	long	 application;		/* 0: not given */
};

#define ARRAY(type, name) type *name; int n_##name
struct portfolio {
	struct arena	 arena;
	char		*association;
	char		*category;
	int32_t		 as_of;
	char		*name;
	char		*email;
	int32_t		 ethics_signed;	/* DATE_NONE: not signed */
	ARRAY(struct member, membership);
	ARRAY(struct education, education);
	ARRAY(struct work, work);
	ARRAY(struct training, training);
	ARRAY(struct rsc_received, rsc_received);
	ARRAY(struct rsc_provided, rsc_provided);
	ARRAY(struct leadership, leadership);
	ARRAY(struct reference, references);
	ARRAY(struct exam, exam);
	ARRAY(struct held, endorsements);
	ARRAY(struct pending, pending);
};

/*
 * Read a portfolio from text.  On error returns NULL and sets *cause to
 * "PATH: problem" (caller prefixes the file name).  today is used when
 * as_of is absent.
 */
struct portfolio *portfolio_parse(const char *, size_t, int32_t today,
	    char **cause);
struct portfolio *portfolio_load(const char *file, int32_t today,
	    char **cause);
struct json_t;
/* The same from a parsed document (the web application's store). */
struct portfolio *portfolio_from_json(struct json_t *, int32_t today,
	    char **cause);
void	 portfolio_free(struct portfolio *);

/* ---- rules-parse.c: the rule-set format (docs/rules-format.md) ---- */
enum kind { KIND_HOURS, KIND_YEARS, KIND_SUM, KIND_COUNT, KIND_DEGREE,
	KIND_TRANSCRIPTS, KIND_FACT, KIND_REFERENCES, KIND_HOLDS, KIND_ANY };
enum source { SRC_NONE, SRC_TRAINING, SRC_RSC_RECEIVED, SRC_RSC_PROVIDED,
	SRC_WORK, SRC_LEADERSHIP, SRC__N };
enum fact { FACT_MEMBERSHIP, FACT_ETHICS, FACT_EXAM };
enum tri { TRI_ANY, TRI_YES, TRI_NO };

struct filter {
	unsigned	 roles, formats, focus, services, ages, scopes;
	unsigned	 topics;	/* any of */
	int		 paid, supervised, licensed;	/* enum tri */
	unsigned	 either;	/* EITHER_* bits: one must hold */
	struct codes	 providers;	/* empty: any */
	int		 after;		/* LEVEL_NONE: no cut-off */
	int		 while_providing;
	int		 span_min, span_max;	/* months; 0: no window */
	int		 since_emerging;	/* dated on or after the grant of
					   the Emerging status held */
	int		 verified;	/* 'setting codes verified': a
					   provider's or rater's codes count
					   only when found in the registry */
};
#define EITHER_PAID		0x1
#define EITHER_SUPERVISED	0x2
#define EITHER_LICENSED		0x4

struct option;
struct requirement {
	char		*id;
	char		*text;
	int		 line;
	enum kind	 kind;
	enum source	 src;
	centi		 need;		/* hours: centi; years: months;
					   sum/count/references: number;
					   degree/transcripts: level */
	int		 fact;
	struct filter	 f;
	/* references */
	unsigned	*slots;		/* patterns * nslots relationship masks */
	struct codes	*slot_codes;	/* the same, the codes a slot's rater
					   must hold (n 0: any) */
	int		 npatterns, nslots;
	struct codes	 endorsed;
	/* holds */
	struct codes	 holds;
	int		 or_pending;	/* an open application decided
					   together with this one will do */
	/* sum work: families, and with sum_staff the staff supervised */
	int		 sum_staff;
	/* only for a holder of this category with Emerging status */
	int		 only_emerging;
	/* any */
	struct option	*options;
	int		 noptions;
};
struct option {
	char			*label;
	int			 emerging_months;	/* 0: a full path */
	struct requirement	*reqs;
	int			 nreqs;
};

enum renew_id { RENEW_TRAINING, RENEW_DEI, RENEW_RSC_PROVISION, RENEW_RSC,
	RENEW_MEMBERSHIP, RENEW__N };
struct renew {
	int		 id;		/* enum renew_id */
	int		 line;
	centi		 per_year;	/* 0: from the proration table */
	struct codes	 if_holds;	/* empty: always */
	struct codes	 providers;
	unsigned	 focus;
};
#define PRORATE_MAX	8
#define REMIND_MAX	8
/* What a reminder is about: the renewal window opening, its deadline
   (December 31 of the renewal year), an Emerging ERS deadline, the end
   of a membership. */
enum remind { REMIND_WINDOW, REMIND_DEADLINE, REMIND_EMERGING,
	REMIND_MEMBERSHIP, REMIND__N };
struct prorate {
	int	 years;
	centi	 need[3];		/* training, rsc_provision, rsc */
};
struct renewal_policy {
	int		 defined;
	int		 line;
	int		 cycle_years;
	int		 anchor;	/* a year in which a cycle ends */
	int		 window_open, window_close;	/* month*100+day */
	struct prorate	 rows[PRORATE_MAX];
	int		 nrows;
	int		 cap_provided_pct;	/* -1: no cap */
	centi		 cap_volunteer;		/* -1: no cap */
	int		 attended_only;	/* only training received counts */
	/* The life of an endorsement (the web application's): reminders
	   in days before each deadline, the days an audited endorsee has
	   to cure a failed audit, whether an endorsee may be inactive,
	   how long after a lapse and at what fee reinstatement is open
	   (0 months: a new application instead). */
	int		 remind[REMIND__N][REMIND_MAX];
	int		 nremind[REMIND__N];
	int		 cure_days;
	int		 member_grace;	/* days a membership may start late
					   in a year (renew membership) */
	int		 inactive;
	int		 reinstate_months;
	int		 reinstate_fee;
};

/*
 * Membership terms an association sells (the 'membership' block).  Terms
 * run on the calendar year: they end December 31.  With a cutoff, a term
 * bought on or after it runs a year longer (the rest of the year is free).
 */
#define MEMBERSHIP_MAX_YEARS	5
struct membership_term {
	char		*id;		/* "individual-1" */
	char		*title;		/* the id when none is given */
	int		 agency;	/* 0: an individual membership */
	int		 years;		/* 1 to MEMBERSHIP_MAX_YEARS */
	int		 fee, extra, staff;	/* whole dollars; -1: not given */
	int		 line;
};
struct membership_policy {
	int			 defined;
	int			 line;
	int			 cutoff;	/* month*100+day; 0: none */
	struct membership_term	*terms;
	int			 nterms;
	char			*buy_url;	/* where to buy a term; NULL */
	int			 confirmed;	/* 'membership counts confirmed':
						   only a membership the
						   association confirmed counts */
};

/*
 * How an association runs the workflow (the 'workflow' block): rating
 * links and validity, who may read ratings, reviewers, the exam, fees and
 * the endorsement number.  Defaults apply to what the block leaves out.
 */
struct rating_item {
	char		*domain;	/* "reflection" */
	char		*text;
};
struct workflow_fee {
	struct codes	 codes;		/* empty: every other category */
	int		 amount;	/* US$ */
	int		 setting;	/* marked 'setting': no seed gives it */
};
#define VISIBLE_NEVER		0	/* the applicant never reads a rating */
#define VISIBLE_UNLESS_WAIVED	1	/* reads it unless they waived */
struct workflow_policy {
	int			 defined;
	int			 line;
	int			 rating_valid_months;	/* a completed rating */
	int			 link_days;		/* a rater's link */
	int			 void_unknown;	/* "not enough info" voids */
	int			 visible;	/* VISIBLE_* */
	int			 reviewers;	/* 1 or 2 per application */
	int			 agree;		/* two must agree */
	int			 exam_questions;	/* part 1 */
	int			 exam_pass_pct;
	int			 exam_part2_max;	/* a vignette score */
	int			 exam_part2_pass;
	int			 retake_days;
	char			*number_prefix;
	char			*ethics_url;	/* the Code of Ethics; NULL */
	struct rating_item	*items;
	int			 nitems;
	char			**competencies;
	int			 ncompetencies;
	struct workflow_fee	*fees;
	int			 nfees;
	struct workflow_fee	*regfees;	/* registration fees */
	int			 nregfees;
	/* Reminders to a rater who has not answered and a reviewer who has
	   not reviewed: days after the request or the assignment ('remind
	   rater|reviewer DAYS...'); none when the block leaves them out. */
	int			 remind_rater[REMIND_MAX];
	int			 nremind_rater;
	int			 remind_reviewer[REMIND_MAX];
	int			 nremind_reviewer;
	int			 fee_due_submit;	/* paid before submitting */
};

struct category {
	char			*code;
	char			*title;
	int			 track;		/* -1: both */
	int			 line;
	struct requirement	*reqs;
	int			 nreqs;
	struct requirement	*advice;
	int			 nadvice;
	struct renew		*renews;
	int			 nrenews;
	int			 emerging;	/* an Emerging option or an
					   'only-if emerging': whether a
					   check looks for the status held */
};
struct named_codes {
	char		*name;
	struct codes	 codes;
};
/*
 * A line of the renewal, membership or workflow block, as written, and
 * whether the file marks it 'setting' (the association's own choice, no
 * seed gives it) or not (a seed gives it; the file's comment cites it).
 * `endorse rules show` lists them.
 */
struct policy_line {
	const char	*block;		/* "renewal", "membership", "workflow" */
	char		*text;
	int		 setting;
	int		 line;
};
struct ruleset {
	char			*id;
	char			*name;
	char			*file;
	struct category		*cats;
	int			 ncats;
	struct named_codes	*sets;
	int			 nsets;
	struct renewal_policy	 renewal;
	struct membership_policy membership;
	struct workflow_policy	 workflow;
	struct policy_line	*policy;
	int			 npolicy;
	struct arena		 arena;
};

/* Parse rule text; on error NULL and *cause = "FILE:LINE: message". */
struct ruleset	*rules_parse(const char *file, const char *text, size_t len,
		    char **cause);

/* ---- rules-category.c: the lines of a category ---- */
extern const char *const renew_ids[RENEW__N];	/* "training", ... */

/* ---- rules-policy.c: the renewal, membership and workflow blocks ---- */
extern const char *const remind_names[REMIND__N];
/* The processing and the registration fee of a category (US$); -1 when
   the rule set gives none: "set by your association", never 0. */
int		 workflow_fee(const struct ruleset *, const char *code);
int		 workflow_regfee(const struct ruleset *, const char *code);
const struct workflow_fee *workflow_fee_line(const struct workflow_fee *,
		    int, const char *code);

/* ---- rules-load.c: rule files, one or a directory of them ---- */
struct ruleset	*rules_load(const char *file, char **cause);
/* A rule file's text into b (initialised here); -1 with *cause. */
int		 rules_read(const char *file, struct buf *, char **cause);
/* Every DIR/NAME.rules in name order, each with the text it was read from
   (a rule change is recorded by that text, impact.c); -1 with *cause
   (FILE:LINE: message) when one does not read. */
struct rules_file {
	struct ruleset	*rs;
	char		*text;
	size_t		 len;
};
int		 rules_load_dir(const char *dir, struct rules_file **, int *n,
		    char **cause);
void		 rules_files_free(struct rules_file *, int n);
/* Load DIR/ID.rules. */
struct ruleset	*rules_load_id(const char *dir, const char *id, char **cause);
void		 rules_free(struct ruleset *);
const struct category *rules_category(const struct ruleset *, const char *);

/* ---- membership.c: membership terms and when they end ---- */
/* The term with this id, or NULL. */
const struct membership_term *membership_term(const struct ruleset *,
	    const char *id);
/* The last day of a term bought on a day; DATE_NONE for DATE_NONE. */
int32_t	 membership_expiry(const struct membership_policy *,
	    const struct membership_term *, int32_t bought);
/* The first day of a term bought on a day: that day, or January 1 of the
   next year for a term bought ahead for the next year. */
int32_t	 membership_start(int32_t bought, int ahead);

/* ---- rules-eval.c: the engine ---- */
enum unit { UNIT_HOURS, UNIT_YEARS, UNIT_FAMILIES, UNIT_ENTRIES,
	UNIT_REFERENCES, UNIT_LEVEL, UNIT_FACT, UNIT_OPTIONS, UNIT__N };
extern const char *const unit_names[UNIT__N];

/*
 * Why an entry did not count.  The engine records the reason and its
 * facts; explain.c turns them into words only when a report asks, so an
 * evaluation formats no text it does not need.
 */
enum why { WHY_TEXT, WHY_ROLE, WHY_TOPIC, WHY_FORMAT, WHY_FOCUS,
	WHY_PROVIDER, WHY_NO_RECIPIENTS, WHY_UNPAID, WHY_PAID, WHY_EITHER,
	WHY_UNSUPERVISED, WHY_UNLICENSED, WHY_SERVICE, WHY_AGES, WHY_SCOPE,
	WHY_AFTER_ASOF, WHY_BEFORE_DEGREE, WHY_PART_DEGREE, WHY_NOT_PROVIDING,
	WHY_PART_PROVIDING, WHY_SPAN_LONG, WHY_SPAN_OUTSIDE, WHY_YEARS_CUT,
	WHY_BEFORE_EMERGING, WHY_EMERGING_HELD, WHY_DECLARED };
struct excluded {
	const char			*what;	/* "rsc_received" */
	int				 index;
	int				 why;	/* enum why */
	int				 arg;	/* enum value, level, months */
	int32_t				 date, date2;
	centi				 a, b;
	const struct requirement	*req;
	const struct codes		*codes;	/* the entry's codes */
	const char			*text;	/* WHY_TEXT */
};
struct option_result;
struct req_result {
	const struct requirement *req;
	const char		*id;
	int			 met;
	centi			 have, need;	/* in hundredths of the unit */
	int			 unit;
	const char		*explain;
	struct excluded		*ex;
	int			 nex;
	struct option_result	*opts;
	int			 nopts;
};
struct option_result {
	const struct option	*opt;
	int			 met;
	const char		*held;	/* not open to this applicant: why */
	struct req_result	*reqs;
	int			 nreqs;
};
struct check_result {
	const struct ruleset	*rs;
	const struct category	*cat;
	int32_t			 as_of;
	int			 eligible;
	int			 emerging;	/* eligible only as emerging */
	int32_t			 deadline;	/* emerging: meet in full by */
	/* Eligible only with an open application of the same person
	   decided together with this one (struct pending); NULL: none. */
	const struct pending	*with;
	struct req_result	*reqs;
	int			 nreqs;
	struct req_result	*advice;
	int			 nadvice;
};

/* Evaluate; results are allocated in the arena (reset it between calls). */
int	 check_eval(const struct ruleset *, const struct category *,
	    const struct portfolio *, struct arena *, struct check_result *);
/* List an entry of a result that did not count: with the reason in words,
   or by its enum why (the caller fills in the facts explain.c reads). */
void	 result_exclude(struct arena *, struct req_result *, const char *what,
	    int index, const char *why);
struct excluded *result_exclude_why(struct arena *, struct req_result *,
	    const char *what, int index, int why);

/* ---- explain.c: results in words ---- */
#define EXPLAIN_MAX	1024
/* The entry's name ("training[3]"), the reason, the requirement's line. */
const char *explain_codes(const struct codes *, char *, size_t);
const char *explain_mask(const struct vocab *, unsigned, char *, size_t);
const char *explain_entry(const struct excluded *, char *, size_t);
const char *explain_why(const struct excluded *, char *, size_t);
const char *explain_result(const struct req_result *, char *, size_t);

/* ---- renewal.c ---- */
struct renewal_result {
	const struct ruleset	*rs;
	const struct category	*cat;
	int			 cycle;
	int32_t			 cycle_start, cycle_end;
	int32_t			 since;
	int			 years;
	int			 required;
	int			 met;
	struct req_result	*reqs;
	int			 nreqs;
};
/* -1 with *cause when the cycle or endorsement cannot be evaluated. */
int	 renewal_eval(const struct ruleset *, const struct category *,
	    const struct portfolio *, int cycle, struct arena *,
	    struct renewal_result *, char **cause);
int	 renewal_eval_until(const struct ruleset *, const struct category *,
	    const struct portfolio *, int cycle, int32_t until,
	    struct arena *, struct renewal_result *, char **cause);

/* ---- report.c: JSON and text output ---- */
void	 report_check_json(FILE *, const struct check_result *);
/* The endorse-check/1 document, for the web pages and the API. */
struct json_t *report_check_object(const struct check_result *);
void	 report_check_text(FILE *, const struct check_result *);
void	 report_renewal_json(FILE *, const struct renewal_result *);
struct json_t *report_renewal_object(const struct renewal_result *);
void	 report_renewal_text(FILE *, const struct renewal_result *);
void	 report_rules_list(FILE *, const struct ruleset *);
void	 report_rules_show(FILE *, const struct ruleset *,
	    const struct category *);
void	 report_rules_policy(FILE *, const struct ruleset *);

/* ---- csv.c: an RFC 4180 reader ---- */
struct csv {
	const char	*p, *end;
	int		 line;		/* the line c->p is on, from 1 */
};
struct csv_record {
	char		**fields;	/* in the caller's arena */
	int		  n;
	int		  line;		/* the line the record starts on */
};
void	 csv_init(struct csv *, const char *, size_t);
/* The next record: 1, 0 at the end, -1 with *cause (c->line: where). */
int	 csv_next(struct csv *, struct arena *, struct csv_record *,
	    const char **cause);

/* ---- cli.c ---- */
int	 cli_main(int, char **);
/* The default rules directory: $ENDORSE_RULES, else rules/ beside the
   build directory or ../share/endorse/rules beside the binary, else
   ./rules. */
const char	*rules_default_dir(const char *argv0);

#endif
