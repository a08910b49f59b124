/*
 * Endorse: the web application's declarations, grouped by file.
 *
 * A request flows one way (docs/architecture.md):
 *   http.c (limits, body, cookies) -> route.c (table) -> page-*.c / api.c
 *   (role and ownership checked first, then the domain in app.c) ->
 *   db.c (one table of prepared statements) -> tmpl.c (escaping) -> reply.
 */
#ifndef WEB_H
#define WEB_H

#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "endorse.h"
#include "store.h"
#include "domain.h"

/* ---- config (serve.c) ---- */
struct config {
	char		*listen_host;
	int		 listen_port;
	char		*db;
	char		*base_url;
	char		*rules;
	char		*share;		/* templates/, static/, db/ */
	int		 threads;
	long		 max_body;	/* bytes, forms and JSON */
	long		 max_upload;	/* bytes, one transcript */
	long		 max_field;	/* bytes, one form field */
	int		 session_idle;	/* seconds */
	int		 session_max;	/* seconds */
	int		 login_failures;	/* per e-mail per window */
	int		 login_window;	/* seconds */
	int		 login_delay;	/* seconds, the first wait */
	char		*trusted_proxies; /* " a b ": normalized, or NULL */
	int		 mail_per_recipient;	/* messages per hour */
	int		 mail_per_account;	/* messages per day */
	long		 pw_ops;	/* Argon2id opslimit */
	long		 pw_mem;	/* Argon2id memlimit, bytes */
	int		 secure_cookies;
	int		 access_log;
	int		 max_connections;
	int		 max_per_ip;
	int		 timeout;	/* seconds idle per connection */
	int		 request_time;	/* seconds, one request in all */
	long		 max_buffered_per_ip;	/* body bytes held per address */
	long		 max_buffered;	/* body bytes held in all */
	long		 max_reply;	/* bytes of one answer */
	long		 quota_entries;	/* per account: entries and log */
	long		 quota_uploads;	/* per account: files stored */
	long		 quota_bytes;	/* per account: bytes stored */
	char		*smtp_host;	/* NULL or "": mail stays queued */
	int		 smtp_port;	/* 0: 587 with STARTTLS, else 25 */
	int		 smtp_starttls;
	char		*smtp_user;
	char		*smtp_password;
	char		*smtp_from;	/* envelope and From: address */
	int		 smtp_max_attempts;
	int		 smtp_poll;	/* seconds between looks at the outbox */
	int		 smtp_backoff;	/* seconds after the first failure */
	int		 tick_interval;	/* seconds between scheduler runs */
	char		*stripe_secret_key;	/* NULL or "": no card payments */
	char		*stripe_webhook_secret;	/* whsec_...: the webhook's */
	char		*stripe_api_base;	/* https://api.stripe.com */
	int		 stripe_tolerance;	/* seconds a signature lives */
};
extern struct config cfg;

/* ---- rules registry (serve.c): every rule set, loaded once ---- */
struct ruleset	*web_rules(const char *id);
struct ruleset	**web_rules_all(int *n);
/* An association's name, a category's title; the id or code itself when
   the rule set does not know it. */
const char	*web_assoc_name(const char *id);
const char	*web_category_title(const char *assoc, const char *code);
const char	*web_fee_words(struct arena *, const char *assoc,
		    const char *code, int registration);
const char	*web_fee_owed(struct arena *, const char *assoc,
		    const char *code, int owed);

/* ---- db.c: the store (store.h); the raw connection for the store's
   own files only ---- */
sqlite3		*db_conn(void);
sqlite3		*db_conn_try(char **);

/* ---- log.c: the server's structured log (stderr) ---- */
/* A line "ts=... level=LEVEL event=EVENT k=v ...": key and value strings
   in pairs up to a NULL key; values quoted and escaped as needed. */
void		 log_event(const char *level, const char *event, ...);

/* ---- http.c: requests and responses ---- */
enum method { M_GET, M_HEAD, M_POST, M_PUT, M_DELETE, M_OTHER };
enum urole { UR_ANON, UR_APPLICANT, UR_COORDINATOR };

struct user {
	int64_t		 id;
	char		*name;
	char		*email;
	int		 role;		/* enum urole */
	char		*association;	/* a coordinator's */
};

struct field {
	char		*name;
	char		*value;		/* data.s, or "" */
	size_t		 len;
	struct buf	 data;		/* grows by doubling, freed with req */
	char		*filename;	/* an uploaded file */
	char		*ctype;
};

struct header {
	const char	*name;
	char		*value;
};

struct req {
	struct arena	 arena;
	void		*conn;		/* struct MHD_Connection */
	int		 method;
	char		*path;
	char		 ip[64];
	/* body */
	void		*pp;		/* struct MHD_PostProcessor */
	struct buf	 body;		/* JSON or other raw body */
	int		 body_json;
	int		 body_form;
	long		 body_seen;
	int		 too_big;	/* HTTP status to answer, or 0 */
	const char	*too_big_why;
	struct field	*fields;
	int		 nfields, afields;
	/* who */
	struct user	 user;
	char		*sid;		/* session id hash, hex */
	char		*csrf;		/* the session's CSRF token */
	char		*pre;		/* anonymous CSRF cookie */
	int		 api;		/* bearer token */
	/* route parameters */
	int64_t		 id, id2;
	const char	*word;
	/* response */
	int		 status;
	struct buf	 out;
	const char	*ctype;
	struct header	 headers[8];
	int		 nheaders;
	const char	*log_error;
	/* limits (http.c) */
	const char	*route;		/* the route's pattern, for the log */
	int		 answered;	/* answered before the body was read */
	int		 identified;	/* auth_identify has run */
	int		 hdr_over;	/* more headers than headers[] holds */
	long		 held;		/* body bytes taken from guard_hold */
};

const char	*req_form(struct req *, const char *name);
/* All values of a repeated field (checkboxes); returns the count. */
int		 req_form_all(struct req *, const char *name,
		    const char **out, int max);
const struct field *req_file(struct req *, const char *name);
const char	*req_header(struct req *, const char *name);
const char	*req_cookie(struct req *, const char *name);
const char	*req_query(struct req *, const char *name);
/* Whether n bytes are well-formed UTF-8 without a NUL byte. */
int		 utf8_ok(const unsigned char *, size_t);
void		 reply_header(struct req *, const char *, const char *);
void		 reply_cookie(struct req *, const char *name,
		    const char *value, int max_age);
void		 reply_redirect(struct req *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 reply_json(struct req *, int status, json_t *);
void		 reply_error_json(struct req *, int status, const char *field,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void		 reply_text(struct req *, int status, const char *ctype,
		    const char *, size_t);
int		 http_serve(void);
void		 http_stop(void);

/* ---- route.c ---- */
struct route {
	int		 method;
	const char	*pattern;	/* "/applications/#/entries/#" */
	int		 need;		/* enum need, | TAKES_FILE */
	void		 (*fn)(struct req *);
};
enum need { NEED_ANY, NEED_USER, NEED_COORDINATOR, NEED_API };
#define NEED_MASK	0xff
#define TAKES_FILE	0x100	/* multipart/form-data with a file */
#define SIGNED_BODY	0x200	/* no CSRF token: the body is signed (a
				   webhook, checked by its handler) */
/* The route for the request's method and path (its parameters filled),
   or NULL; *path_matched whether some method's route has that path. */
const struct route *route_find(struct req *, int *path_matched);
/* Whether the caller may send a file to rt (TAKES_FILE): checked when
   the headers are in, before the body is read; if not, the answer is in
   the request. */
int		 route_upload_ok(struct req *, const struct route *);
void		 route_dispatch(struct req *);
extern const struct route routes[];
extern const int nroutes;

/* ---- auth.c: passwords, sessions, CSRF, tokens, throttling ---- */
int		 auth_hash_password(const char *pw, char out[128]);
int		 auth_check_password(const char *hash, const char *pw);
/* The same work as auth_check_password without an account (timing). */
void		 auth_check_dummy(const char *pw);
/* Find the request's user from its cookie or bearer token. */
void		 auth_identify(struct req *);
/* Start a session (rotating any old one); sets the cookie. */
int		 auth_login(struct req *, int64_t account);
void		 auth_logout(struct req *);
/* The CSRF token for the forms of this request (session or anonymous). */
const char	*auth_csrf_token(struct req *);
int		 auth_csrf_ok(struct req *);
/* Random URL-safe token and its storage hash (hex). */
void		 auth_random(char out[65]);
void		 auth_hash_token(const char *tok, char out[65]);
int		 auth_password_problem(const char *pw, const char **why);
int		 auth_init(void);

/* ---- mail.c: outgoing mail (an outbox; SMTP delivers it later) ---- */
struct mail {
	const char	*to;
	const char	*subject;
	const char	*body;
	const char	*association;	/* NULL: account mail */
	int		 secret;	/* carries a private link */
};
/* Queue a message; -1 (nothing stored) for CR or LF in the recipient or
   subject, which would let them write headers of their own. */
int		 mail_send(const struct mail *);
/* The limits on mail a person causes (a rating request, a reset, a
   registration): at most mail_per_recipient messages an hour to one
   address and mail_per_account a day from one account (0: no account,
   the address's limit only).  0 and the message counted, or -1 and e
   (429, the limit named; 503). */
int		 mail_limit(struct arena *, int64_t account, const char *to,
		    struct derr *);
/* An outbox row's delivery status in words ("sent 2026-11-23 10:00 UTC",
   "retrying: ...", "failed after ..."). */
char		*mail_outbox_words(struct arena *, enum outbox_status,
		    int attempts, const char *last_error, int64_t sent_at,
		    int64_t next_try);
/* The RFC 5322 text of a message (CRLF line ends, a non-ASCII subject
   RFC 2047-encoded) into b; date is seconds since the epoch. */
void		 mail_format(struct buf *b, const char *from, const char *to,
		    const char *subject, const char *body, int64_t date,
		    const char *msgid);

/* ---- smtp.c: the thread delivering the outbox (cfg.smtp_host set) ---- */
int		 smtp_start(void);
void		 smtp_stop(void);

/* ---- app.c: applications and their portfolios ---- */
struct app {
	int64_t		 id;
	int64_t		 account;
	char		*association;
	char		*category;
	enum app_status	 status;
	char		*ethics_signed;
	int64_t		 updated;
	int64_t		 submitted;	/* time, 0: never */
	int		 fee_owed;
	int64_t		 cycle;		/* review cycle, 0: none yet */
	int		 waiver;	/* waived reading ratings */
	enum recommendation decision;	/* REC_NONE: not decided */
	char		*decision_note;
	int64_t		 returned;	/* time of a return for changes, 0 */
	char		*return_note;	/* the coordinator's note, or NULL */
	char		*return_entries; /* the entries at the return (JSON) */
	int64_t		 round;		/* time the review round began, 0 */
};
/* The same without a request, its ratings judged by rule set rs (NULL:
   the defaults); app_portfolio() is this with the rule set in force. */
json_t		*app_document(const struct ruleset *, const struct app *);
/* Evaluate: the endorse-check/1 object, or NULL with *cause. */
json_t		*app_check(const struct app *, json_t *portfolio, char **cause);
int		 app_check_summary(const struct app *, json_t *portfolio,
		    int *met, int *total, int *eligible);
int32_t		 web_today(void);
/* /verify with a credential's form: its text, the problem, or the
   verification's words (registry.c, vc-web.c). */
void		 verify_credential_page(struct req *, int, const char *,
		    const char *, json_t *);

/* ---- web-app.c: the request's side of applications ---- */
/* Application id whoever asks (for the workflow's own use: a rater's
   answer, an exam result to mail); 0, or -1 when there is none. */
int		 app_get(struct req *, int64_t id, struct app *);
/* Load application id if the user may read it; 0, or an HTTP status. */
int		 app_load(struct req *, int64_t id, int write, struct app *);
/* The portfolio document of an application (endorse-portfolio/1). */
json_t		*app_portfolio(struct req *, const struct app *);
/* Replace the whole portfolio in one transaction; 0, or -1 (a value
   refused), -3 (over a quota, 413) or -2 (the store) with *field and
   *cause set (nothing stored). */
int		 app_put_portfolio(struct req *, const struct app *,
		    json_t *doc, char **field, char **cause);
/* app_check for a page. */
json_t		*app_checklist(struct req *, const struct app *,
		    json_t *portfolio, char **cause);
/* Append to the audit log as the request's user (audit_write). */
int		 audit_log(struct req *, const char *what, int64_t row,
		    const char *action, json_t *detail);
/* Mail the applicant (queued in the caller's transaction). */
int		 app_notify(struct req *, const struct app *,
		    const char *subject, const char *body);
/* Why an application cannot be endorsed before the open one decided
   together with it (the check's "decided_with"), or NULL. */
const char	*app_decided_first(struct req *, const struct app *,
		    json_t *check);
/* The open applications decided together with this one, either way:
   [{id, category}]. */
json_t		*app_decided_together(struct req *, const struct app *,
		    json_t *doc, json_t *check);

/* ---- workflow.c: what references, review, exam and decision share ---- */
/* Whether account is assigned to review the application. */
int		 app_is_reviewer_of(int64_t app, int64_t account);
/* Whether account is a reviewer of the association. */
int		 workflow_is_reviewer(int64_t account, const char *assoc);
/* Whether the application's category has an exam requirement. */
int		 workflow_needs_exam(const struct app *);
/* A rating's state as the portfolio and the applicant see it: the stored
   status, "expired" for a link past its date, or for a completed rating
   older than the rule set's validity. */
const char	*rating_state(const struct ruleset *, enum rating_status,
		    int64_t expires, int64_t answered, int64_t now);
/* For each rater e-mail of an application, the state of their latest
   request (an object e-mail -> state, lower-cased keys), a completed
   rating's validity the rule set's (NULL: 12 months). */
json_t		*app_rating_states(const struct ruleset *,
		    const struct app *);
/* The state in app_rating_states() of a rater's e-mail, or NULL. */
const char	*rating_state_of(json_t *states, const char *email);
/* The checklist for submission: 1 when every requirement but the exam
   (which comes after review) is met. */
int		 app_ready(json_t *check);
/* Whether the checklist has an exam requirement not yet met. */
int		 app_exam_outstanding(json_t *check);
/* Whom the application waits on, a sentence; NULL once decided. */
const char	*app_waiting_on(struct arena *, const struct app *,
		    int ready);
/* The application's exam results from its registrations (portfolio
   "exam" entries). */
json_t		*app_exam_results(const struct app *);

/* Whether the applicant may change the application (draft, deferred). */
int		 app_editable(const struct app *);

/* ---- life-read.c, life-move.c, life-tick.c: endorsees for life ---- */
/* The renewal cycle a day belongs to (the first whose December 31 is on or
   after it), 0 without a renewal block; its attestation window. */
int		 life_cycle(const struct ruleset *, int32_t today);
void		 life_window(const struct ruleset *, int cycle, int32_t *open,
		    int32_t *close);
/* Whether a cycle's window is closed (*lapsed: who lapsed then). */
int		 life_closed(const char *assoc, int cycle, int *lapsed);
/* A log entry typed as the portfolio reader reads it (db/005). */
struct life_cols {
	int32_t		 start, end;
	centi		 hours;
	int		 role, bits;
	char		 providers[256];
};
int		 life_columns(const char *assoc, const char *kind,
		    json_t *entry, struct life_cols *, char **cause);
/* Bind $start and $rec (the record's fixed part is LIFE_REC bytes). */
#define LIFE_REC	15
void		 life_bind_cols(struct dbq *, const char *kind,
		    const struct life_cols *);
/* One endorsement and its renewal for a cycle, as life_scan() gives it. */
struct life_item {
	int64_t			 id, account;
	const char		*number, *category;
	const char		*emerging_until;	/* NULL: not Emerging */
	int32_t			 since;
	int64_t			 renewal;		/* 0: no renewal row */
	const char		*cure_by;
	/* The statuses (db_enum_word gives their words for display). */
	enum endorsement_status	 state;
	enum renewal_status	 rstate;		/* NONE: no renewal */
	int			 ok;			/* res is valid */
	const char		*cause;			/* or why not */
	struct renewal_result	 res;
};
typedef void	 (*life_fn)(void *, const struct life_item *);
int		 life_scan(const char *assoc, int64_t account, int cycle,
		    int32_t today, int32_t until, int64_t audited, life_fn,
		    void *);
int		 life_scan_rules(const struct ruleset *, int64_t account,
		    int cycle, int32_t today, int32_t until, int64_t audited,
		    life_fn, void *);
/* One endorsement judged: 1 met, 0 not (what is short in *shortfall, in
   the arena), -1 none. */
int		 life_judge(const char *assoc, int64_t account,
		    int64_t endorsement, int cycle, int32_t today,
		    int32_t until, int64_t audited, struct arena *,
		    char **shortfall);
/* The portfolio an endorsement's renewal is judged on (the export). */
json_t		*life_portfolio(int64_t endorsement, int32_t today);
/* An audit's sample: indices into n attested renewals, ascending. */
int		 life_sample(uint64_t seed, int n, int percent, int *out);
/* Mail an endorsee (queued in the caller's transaction). */
int		 life_mail(const char *assoc, const char *to,
		    const char *subject, const char *body);
struct life_tick {
	int		 sent, lapsed;
};
int		 life_tick(int32_t today, struct life_tick *);
int		 life_start(void);
void		 life_stop(void);

/* ---- impact.c: whom a rule change moves ---- */
/* Every open application and active endorsement (its current renewal
   cycle) of the associations of either side, judged by both: the
   endorse-impact/1 document of those whose verdict differs, or NULL with
   *cause.  Call inside a read transaction, for one snapshot. */
json_t		*impact_run(const struct ruleset *const *old, int nold,
		    const struct ruleset *const *new, int nnew, int32_t today,
		    char **cause);
/* "N applications and M renewals change verdict" (a static buffer). */
const char	*impact_summary(json_t *);
/* A move's requirement ids: "training, +added, -removed". */
void		 impact_ids(json_t *move, struct buf *);
/* The document as text: a line per move, then the summary. */
void		 impact_text(FILE *, json_t *);
void		 impact_sha256(const char *, size_t, char [65]);
/* Record each rule file the program starts with and, for one that
   changed since the last recorded, whom the change moves (a line on
   stdout says so); 0, or -1 with *cause. */
int		 impact_record(const struct rules_file *, int n, int32_t today,
		    char **cause);
/* A recorded rule change, as the coordinator's page reads it. */
struct rule_change {
	int64_t		 id;
	int64_t		 at;		/* time */
	char		*old_sha, *new_sha;
	int		 applications, renewals;
	char		*impact;	/* the endorse-impact/1 text; NULL in
					   a list */
};
/* The association's rule file version in force: 1 (sha, at), 0 none. */
int		 impact_version_last(struct arena *, const char *assoc,
		    char **sha, int64_t *at);
/* Its change id (0: the latest): 1 found, 0 not (another association's
   is not found either). */
int		 impact_change_get(struct arena *, const char *assoc, int64_t id,
		    struct rule_change *);
/* Its latest 100 changes, newest first, without their documents. */
int		 impact_change_list(struct arena *, const char *assoc,
		    struct rule_change **);

/* ---- page-apply.c: shared by the workflow's pages ---- */
/* Load the application or send the answer (404, 409); 0 or -1. */
int		 load_or_deny(struct req *, int64_t id, int write,
		    struct app *);
/* The view of any page of an application: header, tabs, checklist. */
json_t		*app_view(struct req *, const struct app *, const char *tab);
struct kdef;
/* A tab again with the failed form of one of its entries (a transcript
   upload, a rating request): why beside it, a summary linking to href. */
void		 tab_page_entry(struct req *, const struct app *,
		    const struct kdef *, int status, json_t *errors,
		    int64_t entry, const char *href, const char *why);

/* ---- page-delete.c: what a tab says after a deletion or an undo ---- */
void		 delete_notice(struct req *, const struct app *,
		    const struct kdef *, json_t *v);
/* "2027-03-05" as "March 5, 2027" (page-apply.c). */
/* Each tab's progress on the overview (web-app.c): its entries, and the
   checklist's requirements it serves, met or not. */
void		 tab_progress(struct req *, json_t *tabs, json_t *doc,
		    json_t *check);
const char	*app_us_day(struct arena *, const char *ymd);

/* ---- page-rate.c: shared by the workflow's pages ---- */
/* The application's workflow state into its view (status, ratings,
   submission, decision, exam, endorsement). */
void		 workflow_view(struct req *, const struct app *, json_t *v);
/* A reference entry o of the tabs (data its fields) gets "request": the
   state of the latest request to its rater, shown in place of the
   "Ask for a rating" button once asked. */
void		 workflow_reference(struct req *, const struct app *,
		    json_t *o, json_t *data);

/* ---- form.c: entry kinds, their fields, validation ---- */
enum ftype { F_TEXT, F_EMAIL, F_DATE, F_DATE_OPEN, F_HOURS, F_COUNT,
	F_BOOL, F_ENUM, F_MULTI, F_CODES, F_TAGS };
struct fdef {
	const char		*name;
	const char		*label;
	int			 type;
	int			 required;
	const struct vocab	*vocab;
	const char *const	*words;	/* labels of vocab values */
	const char		*hint;
	const char		*unit;	/* after a count in the summary */
};
struct kdef {
	const char		*kind;		/* "training": the JSON key */
	const char		*title;		/* "Training" */
	const char		*one;		/* "training" */
	const struct fdef	*fields;
	int			 nfields;
	const char		*intro;
};
extern const struct kdef kinds[];
const char	*refstatus_words(const char *status);
extern const int nkinds;
const struct kdef *kind_find(const char *);
/* "IMHM-C, ERS" into ["IMHM-C", "ERS"], or NULL and *why. */
json_t		*form_codes(const char *, const char **why);
/* Validate the form into an entry object; NULL with errors (an object
   field name -> message) when a field is wrong. */
json_t		*form_entry(struct req *, const struct kdef *, json_t *errors);
/* What cannot be true of an entry of kind kd on day today (a date
   conferred, of training or a start after today; zero hours) into
   errors; the number of problems.  The form, the API and an import use
   it alike. */
int		 entry_check(const struct kdef *, json_t *entry, int32_t today,
		    json_t *errors);
/* What is unlikely but possible (many RSC hours a month), in words into
   out; NULL when nothing is. */
const char	*entry_warning(const struct kdef *, json_t *entry,
		    int32_t today, char *out, size_t sz);
/* The view of a form: every field with its value, error and options. */
const char	*form_summary(const struct kdef *, json_t *, char *, size_t);
json_t		*form_view(const struct kdef *, json_t *entry, json_t *errors,
		    struct req *);

/* ---- view.c: templates and page scaffolding ---- */
int		 view_init(const char *dir, char **cause);
void		 view_free(void);
/* Render template name inside the layout with view v (consumed). */
void		 view_page(struct req *, int status, const char *tmpl,
		    const char *title, json_t *v);
void		 view_error(struct req *, int status, const char *msg);
const char	*view_words(const char *msg);
json_t		*view_problem(const char *href, const char *label,
		    const char *msg);
/* A domain's refusal or failure as a page (503 with Retry-After). */
void		 view_derr(struct req *, const struct derr *);
/* A read of the store that failed, as a page (503 when busy, else 500). */
void		 view_read_failed(struct req *);
/* The same as an API answer: {"error": message, "field": field}. */
void		 api_derr(struct req *, const struct derr *);
/* The request's user as the domain's actor (nobody for NULL). */
struct actor	 req_actor(const struct req *);
/* key's date (of o, or of each object of the array o) as "March 5, 2027". */
void		 view_us_dates(json_t *o, const char *key);
json_t		*view_checklist(json_t *check);
int		 view_word(const char *const *, int, const char *);
void		 view_url_add(struct buf *, const char *par, const char *);
int		 view_page_number(struct req *, int *);
json_t		*view_options(const char *const *, const char *const *, int,
		    const char *);
json_t		*view_field(const char *name, const char *label,
		    const char *type, const char *value, json_t *errors,
		    const char *autocomplete);

/* ---- dom-account.c (dom-account.h): shared with page-review.c ---- */
/* Whether s looks like one e-mail address (no display name, no list). */
int		 account_email_ok(const char *);
/* ---- page-apply.c: shared with the API ---- */
/* Open an application; 0 and *id, or -1 with *field and *why. */
int		 app_create(struct req *, const char *assoc,
		    const char *category, int64_t *id, const char **field,
		    const char **why);

/* ---- page-money.c: the money part of the applicant's page ---- */
json_t		*money_app_view(struct req *, const struct app *);

/* ---- handlers: one per route of routes.def ---- */
#define ROUTE(method, pattern, need, fn)	void fn(struct req *);
#include "routes.def"
#undef ROUTE

/* ---- serve.c ---- */
int	 serve_main(int, char **);
int	 outbox_main(int, char **);
int	 tick_main(int, char **);
/* The options (--config FILE and the serve flags, --now, --association,
   --cycle) and rule sets of an administration verb; its database, which
   must exist (and is migrated); the configuration freed.  0 or
   EXIT_BAD_INPUT, the message on stderr. */
int	 admin_setup(int, char **);
int	 admin_db(void);
const char *admin_association(void);
/* A signing key for every association that has none (vc-cli.c). */
int	 vc_keys_setup_all(void);
int	 keys_main(int, char **);
int	 verify_main(int, char **);
void	 config_free(void);
int	 renewals_main(int, char **);
/* templates/, static/ and db/: beside the build tree or installed. */
char	*share_default(void);

/* ---- cli-ops.c: the operator's verbs ---- */
int	 backup_main(int, char **);
int	 restore_main(int, char **);
int	 doctor_main(int, char **);

/* ---- page-static.c ---- */
void	 static_free(void);

/* ---- cli-import.c ---- */
int	 import_main(int, char **);

/* ---- cli-export.c ---- */
int	 export_main(int, char **);
/* ---- cli-user.c: `endorse user add` ---- */
int	 user_main(int, char **);

#endif
