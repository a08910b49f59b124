/*
 * Money pages: the fee schedule (GET /fees, public, from the loaded rule
 * sets), the coordinator's ledger of an account (GET and POST
 * /coordinator/accounts/#/ledger: payments, waivers, refunds), the
 * applicant's part of their application page (money_app_view), a receipt
 * per payment (GET /receipts/N.pdf), card payment through Stripe Checkout
 * (POST /applications/#/pay) and its signed webhook (POST
 * /webhooks/stripe).  Every change is a function of dom-money.c.
 *
 * A coordinator's handler checks the account belongs to their
 * association (an application or a ledger line there) before it reads
 * anything else; anything else answers 404, as a missing row would.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"
#include "cert.h"
#include "dom-app.h"
#include "dom-money.h"
#include "stripe.h"
#include "banned.h"

/* ------------------------------------------------------- fee schedule */

/* A rule set's fee in dollars, in words: none given is the
   association's own bill, not $0.00. */
static const char *
fee_words(struct arena *a, int dollars)
{
	if (dollars < 0)
		return "set by your association";
	if (dollars == 0)
		return "none";
	return money_words(a, (int64_t)dollars * 100);
}

static json_t *
fees_assoc(struct req *r, const struct ruleset *rs)
{
	const struct renewal_policy	*rp = &rs->renewal;
	const struct membership_term	*t;
	json_t				*cats = json_array(), *terms;
	int				 i, reg, fee, any = 0;

	for (i = 0; i < rs->ncats; i++) {
		reg = workflow_regfee(rs, rs->cats[i].code);
		fee = workflow_fee(rs, rs->cats[i].code);
		any |= reg > 0 || fee > 0;
		json_array_append_new(cats, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s}", "code", rs->cats[i].code, "title",
		    rs->cats[i].title, "registration", fee_words(&r->arena,
		    reg), "processing", fee_words(&r->arena, fee), "total",
		    reg < 0 && fee < 0 ? "set by your association" :
		    money_words(&r->arena, (int64_t)((reg > 0 ? reg : 0) +
		    (fee > 0 ? fee : 0)) * 100)));
	}
	terms = json_array();
	for (i = 0; i < rs->membership.nterms; i++) {
		t = &rs->membership.terms[i];
		json_array_append_new(terms, json_pack("{s:s, s:s}", "title",
		    t->title, "fee", fee_words(&r->arena, t->fee)));
	}
	return json_pack("{s:s, s:s, s:o, s:b, s:b, s:o, s:s?, s:s, s:b}",
	    "id", rs->id, "name", rs->name, "categories", cats, "any_fee", any,
	    "has_terms",
	    json_array_size(terms) > 0, "terms", terms,
	    "buy_url", rs->membership.buy_url, "reinstate",
	    rp->reinstate_months <= 0 ? "not offered: apply again" :
	    rp->reinstate_fee <= 0 ? arena_printf(&r->arena, "within %d "
	    "months of a lapse, no fee", rp->reinstate_months) :
	    arena_printf(&r->arena, "within %d months of a lapse, for %s",
	    rp->reinstate_months, fee_words(&r->arena, rp->reinstate_fee)),
	    "due_at_submit", rs->workflow.fee_due_submit != 0);
}

void
page_fees(struct req *r)
{
	struct ruleset	**all;
	json_t		*list = json_array();
	int		 i, n;

	all = web_rules_all(&n);
	for (i = 0; i < n; i++)
		json_array_append_new(list, fees_assoc(r, all[i]));
	view_page(r, 200, "money/fees", "Fees", json_pack("{s:o}",
	    "associations", list));
}

/* ------------------------------------------------------------ ledger */

static const char *
kind_words(enum ledger_kind k)
{
	switch (k) {
	case LEDGER_CHARGE: return "Charge";
	case LEDGER_PAYMENT: return "Payment";
	case LEDGER_WAIVER: return "Waiver";
	default: return "Refund";
	}
}

static const char *
day_words(struct req *r, int64_t day)
{
	char	 out[40];

	return arena_strdup(&r->arena, date_us((int32_t)day, out,
	    sizeof out));
}

/* The lines and the totals, for either side's page. */
static json_t *
ledger_view(struct req *r, int64_t account, const char *assoc, int64_t app)
{
	struct row_ledger_line	*l;
	struct money_totals	 t;
	json_t			*lines = json_array();
	int			 i, n;

	n = money_lines(&r->arena, account, assoc, &l);
	for (i = 0; i < n; i++) {
		if (app > 0 && (l[i].application_null ||
		    l[i].application != app))
			continue;
		json_array_append_new(lines, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)l[i].id,
		    "day", day_words(r, l[i].on_day), "kind",
		    kind_words(l[i].kind), "what", l[i].kind == LEDGER_CHARGE ?
		    arena_printf(&r->arena, "Charge: %s", l[i].what) :
		    kind_words(l[i].kind), "amount",
		    money_words(&r->arena, l[i].cents), "method",
		    l[i].method != NULL ? l[i].method : "", "reference",
		    l[i].reference != NULL ? l[i].reference : "", "reason",
		    l[i].reason != NULL ? l[i].reason : "", "receipt",
		    l[i].kind == LEDGER_PAYMENT));
	}
	if (money_totals(account, assoc, app, &t) != 0)
		memset(&t, 0, sizeof t);
	return json_pack("{s:o, s:b, s:s, s:s, s:s, s:s, s:s, s:b}", "lines",
	    lines, "any", json_array_size(lines) > 0, "charged",
	    money_words(&r->arena, t.charged), "paid", money_words(&r->arena,
	    t.paid), "waived", money_words(&r->arena, t.waived), "refunded",
	    money_words(&r->arena, t.refunded), "owed", money_words(&r->arena,
	    t.owed), "owes", t.owed > 0);
}

/* The account when it is of the coordinator's association: 0, or -1
   with the 404 sent. */
static int
ledger_account(struct req *r, int64_t id, struct row_account_by_id *acct,
    struct row_money_apps **apps, int *napps)
{
	struct money_totals	 t;
	struct dbq		*st;
	int			 rc;

	*napps = 0;
	if (r->user.association == NULL)
		goto none;
	st = db_stmt(S_MONEY_APPS);
	db_bind_int(st, "$account", id);
	db_bind_text(st, "$assoc", r->user.association);
	*napps = rows_money_apps(st, &r->arena, apps);
	if (*napps <= 0 && (money_totals(id, r->user.association, 0, &t) !=
	    0 || t.n == 0))
		goto none;
	st = db_stmt(S_ACCOUNT_BY_ID);
	db_bind_int(st, "$id", id);
	rc = row_account_by_id(st, &r->arena, acct);
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
none:
	view_error(r, 404, "there is no such account");
	return -1;
}

static const struct {
	enum ledger_kind	 kind;
	const char		*word, *title, *button;
} forms[] = {
	{ LEDGER_PAYMENT, "payment", "Record a payment", "Record the payment" },
	{ LEDGER_WAIVER, "waiver", "Waive an amount", "Record the waiver" },
	{ LEDGER_REFUND, "refund", "Record a refund", "Record the refund" },
};
#define NFORMS	(int)(sizeof forms / sizeof forms[0])

/* Each field's hint and error named by aria-describedby (view_page does
   this only for a page's top-level fields). */
static void
described(struct req *r, json_t *fields)
{
	json_t		*f;
	const char	*n, *by;
	size_t		 i;

	json_array_foreach(fields, i, f) {
		if ((n = json_string_value(json_object_get(f, "name"))) == NULL)
			continue;
		by = "";
		if (json_object_get(f, "hint") != NULL)
			by = arena_printf(&r->arena, "f-%s-hint", n);
		if (json_object_get(f, "error") != NULL)
			by = arena_printf(&r->arena, "%s%sf-%s-error", by,
			    *by != '\0' ? " " : "", n);
		if (*by != '\0')
			json_object_set_new(f, "describedby", json_string(by));
	}
}

/* One form's fields, what was typed kept when it is the form sent. */
static json_t *
ledger_fields(struct req *r, int k, int sent, json_t *errors,
    struct row_money_apps *apps, int napps)
{
	json_t		*fields = json_array(), *f, *opts;
	const char	*w = forms[k].word, *typed;
	char		 today[11];
	int		 i;

#define NAME(x)	arena_printf(&r->arena, "%s-%s", w, (x))
#define TYPED(x) (sent ? req_form(r, NAME(x)) : NULL)
	opts = json_array();
	typed = TYPED("application");
	for (i = 0; i < napps; i++)
		json_array_append_new(opts, json_pack("{s:s, s:s, s:b}",
		    "value", arena_printf(&r->arena, "%lld",
		    (long long)apps[i].id), "label", arena_printf(&r->arena,
		    "Application %lld (%s)", (long long)apps[i].id,
		    apps[i].category), "checked", typed != NULL ?
		    strtoll(typed, NULL, 10) == apps[i].id : i == 0));
	/* A reinstatement's fee is the account's own, of no application. */
	json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "0",
	    "label", "The account itself (a reinstatement, a membership)",
	    "checked", typed != NULL ? strcmp(typed, "0") == 0 : napps == 0));
	f = view_field(NAME("application"), "For", "select", NULL, errors,
	    NULL);
	json_object_set_new(f, "options", opts);
	json_array_append_new(fields, f);
	f = view_field(NAME("amount"), "Amount in dollars", "decimal",
	    TYPED("amount"), errors, NULL);
	json_object_set_new(f, "hint", json_string("For example 75.00"));
	json_array_append_new(fields, f);
	if (forms[k].kind == LEDGER_PAYMENT) {
		opts = json_array();
		typed = TYPED("method");
		for (i = 0; money_methods[i] != NULL; i++)
			json_array_append_new(opts, json_pack("{s:s, s:s, "
			    "s:b}", "value", money_methods[i], "label",
			    money_methods[i], "checked", typed != NULL &&
			    strcmp(typed, money_methods[i]) == 0));
		f = view_field(NAME("method"), "Paid by", "select", NULL,
		    errors, NULL);
		json_object_set_new(f, "options", opts);
		json_array_append_new(fields, f);
		date_format(web_today(), today);
		json_array_append_new(fields, view_field(NAME("date"),
		    "Day it was paid", "date", sent ? TYPED("date") : today,
		    errors, NULL));
		f = view_field(NAME("reference"), "Reference", "text",
		    TYPED("reference"), errors, "off");
		json_object_del(f, "required");
		json_object_set_new(f, "hint", json_string("A check number, "
		    "a transfer's reference"));
		json_array_append_new(fields, f);
	} else
		json_array_append_new(fields, view_field(NAME("reason"),
		    "Reason", "text", TYPED("reason"), errors, "off"));
#undef TYPED
#undef NAME
	described(r, fields);
	return fields;
}

/* The label of a form's field ("payment-amount"), for the summary. */
static const char *
field_label(const char *key)
{
	static const char *const labels[][2] = {
		{ "application", "For" }, { "amount", "Amount in dollars" },
		{ "method", "Paid by" }, { "date", "Day it was paid" },
		{ "reference", "Reference" }, { "reason", "Reason" },
	};
	const char	*f = strchr(key, '-');
	size_t		 i;

	f = f != NULL ? f + 1 : key;
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i][0], f) == 0)
			return labels[i][1];
	return f;
}

/* The coordinator's ledger page; sent: the kind of the form that came
   back with errors (field -> message, consumed), or -1. */
static void
ledger_page(struct req *r, int64_t id, int status, int sent, json_t *errors)
{
	struct row_account_by_id	 acct;
	struct row_money_apps		*apps;
	json_t				*v, *list, *problems = json_array(), *e;
	const char			*key;
	int				 k, napps, own;

	if (ledger_account(r, id, &acct, &apps, &napps) != 0) {
		json_decref(errors);
		json_decref(problems);
		return;
	}
	own = acct.id == r->user.id;
	/* Not "email" or "name": a field's template would find those. */
	v = json_pack("{s:I, s:s, s:s, s:o, s:b}", "account", (json_int_t)id,
	    "holder", acct.name, "holder_email", acct.email, "ledger",
	    ledger_view(r, id, r->user.association, 0), "own", own);
	list = json_array();
	for (k = 0; k < NFORMS && !own; k++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o}",
		    "kind", forms[k].word, "title", forms[k].title, "button",
		    forms[k].button, "fields", ledger_fields(r, k, k == sent,
		    k == sent ? errors : NULL, apps, napps)));
	json_object_set_new(v, "forms", list);
	json_object_set_new(v, "apps", json_array());
	for (k = 0; k < napps; k++)
		json_array_append_new(json_object_get(v, "apps"), json_pack(
		    "{s:I, s:s}", "id", (json_int_t)apps[k].id, "category",
		    apps[k].category));
	json_object_foreach(errors, key, e)
		json_array_append_new(problems, view_problem(key,
		    field_label(key), json_string_value(e)));
	json_object_set_new(v, "n_errors", json_integer((json_int_t)
	    json_array_size(problems)));
	json_object_set_new(v, "problems", problems);
	json_decref(errors);
	view_page(r, status, "money/ledger", arena_printf(&r->arena,
	    "Fees and payments: %s", acct.name), v);
}

void
page_money_ledger(struct req *r)
{
	ledger_page(r, r->id, 200, -1, NULL);
}

void
page_money_record(struct req *r)
{
	struct actor		 who = req_actor(r);
	struct money_entry	 in;
	struct derr		 e;
	struct row_account_by_id acct;
	struct row_money_apps	*apps;
	const char		*kind = req_form(r, "kind"), *w;
	int64_t			 line;
	int			 k, napps;

	if (ledger_account(r, r->id, &acct, &apps, &napps) != 0)
		return;
	for (k = 0; k < NFORMS && (kind == NULL ||
	    strcmp(kind, forms[k].word) != 0); k++)
		;
	if (k == NFORMS) {
		view_error(r, 400, "choose a payment, a waiver or a refund");
		return;
	}
	w = forms[k].word;
#define F(x)	req_form(r, arena_printf(&r->arena, "%s-%s", w, (x)))
	memset(&in, 0, sizeof in);
	in.kind = forms[k].kind;
	in.account = r->id;
	/* Nothing chosen: -1, which the domain refuses beside the field. */
	in.app = F("application") != NULL && *F("application") != '\0' ?
	    strtoll(F("application"), NULL, 10) : -1;
	in.amount = F("amount");
	in.method = F("method");
	in.date = F("date");
	in.reference = F("reference");
	in.reason = F("reason");
#undef F
	if (money_record(&who, &r->arena, &in, &line, &e) != 0) {
		if (e.field == NULL || e.status != 400) {
			view_derr(r, &e);
			return;
		}
		ledger_page(r, r->id, 400, k, json_pack("{s:s}",
		    arena_printf(&r->arena, "%s-%s", w, e.field),
		    view_words(e.message)));
		return;
	}
	reply_redirect(r, "/coordinator/accounts/%lld/ledger#line-%lld",
	    (long long)r->id, (long long)line);
}

/* ------------------------------------------------- the applicant's side */

json_t *
money_app_view(struct req *r, const struct app *a)
{
	json_t		*v = ledger_view(r, a->account, a->association, a->id);
	int64_t		 due = 0;
	struct money_totals t;

	if (money_totals(a->account, a->association, a->id, &t) == 0)
		due = t.owed > 0 ? t.owed : money_due_before_submit(a);
	json_object_set_new(v, "mine", json_boolean(a->account == r->user.id));
	json_object_set_new(v, "can_pay", json_boolean(stripe_enabled() &&
	    due > 0 && a->account == r->user.id));
	json_object_set_new(v, "pay_amount", json_string(money_words(
	    &r->arena, due)));
	json_object_set_new(v, "due_first", json_boolean(t.charged == 0 &&
	    due > 0));
	json_object_set_new(v, "app_id", json_integer((json_int_t)a->id));
	return v;
}

/* --------------------------------------------------------- receipts */

void
page_receipt(struct req *r)
{
	struct row_ledger_line	 l;
	struct receipt		 rc;
	struct buf		 pdf;
	char			*end, *cause = NULL, day[40];
	long long		 id;

	id = r->word != NULL ? strtoll(r->word, &end, 10) : 0;
	if (id <= 0 || strcmp(end, ".pdf") != 0 || money_line(&r->arena,
	    id, &l) != 0 || l.kind != LEDGER_PAYMENT || (l.account !=
	    r->user.id && (r->user.role != UR_COORDINATOR ||
	    r->user.association == NULL || strcmp(r->user.association,
	    l.association) != 0))) {
		view_error(r, 404, "there is no such receipt");
		return;
	}
	memset(&rc, 0, sizeof rc);
	rc.association = web_assoc_name(l.association);
	rc.payer = l.payer;
	rc.payer_email = l.payer_email;
	rc.amount = money_words(&r->arena, l.cents);
	rc.method = l.method != NULL ? l.method : "";
	rc.date = date_us((int32_t)l.on_day, day, sizeof day);
	rc.reference = l.reference != NULL ? l.reference : "";
	rc.what = l.application_null ? "Fees" : arena_printf(&r->arena,
	    "Fees of application %lld", (long long)l.application);
	rc.number = arena_printf(&r->arena, "%s-%06lld", l.association, id);
	buf_init(&pdf);
	if (receipt_pdf(&rc, &pdf, &cause) != 0) {
		view_error(r, 500, "the receipt could not be drawn");
		free(cause);
		buf_free(&pdf);
		return;
	}
	reply_header(r, "Content-Disposition", arena_printf(&r->arena,
	    "inline; filename=\"receipt-%lld.pdf\"", id));
	reply_text(r, 200, "application/pdf", pdf.s, pdf.len);
	buf_free(&pdf);
}

/* ------------------------------------------------------ card payments */

void
page_money_pay(struct req *r)
{
	struct app		 a;
	struct money_totals	 t;
	struct stripe_order	 o;
	const char		*why;
	char			*sid, *url;
	int64_t			 due;

	/* Only the applicant pays for their application. */
	if (app_get(r, r->id, &a) != 0 || a.account != r->user.id) {
		view_error(r, 404, "there is no such application");
		return;
	}
	if (!stripe_enabled()) {
		view_error(r, 404, "card payments are not taken here; pay "
		    "your coordinator");
		return;
	}
	if (money_totals(a.account, a.association, a.id, &t) != 0) {
		view_read_failed(r);
		return;
	}
	due = t.owed > 0 ? t.owed : money_due_before_submit(&a);
	if (due <= 0) {
		view_error(r, 409, "nothing is owed on this application");
		return;
	}
	memset(&o, 0, sizeof o);
	o.cents = due;
	o.name = arena_printf(&r->arena, "%s fees, %s (application %lld)",
	    web_assoc_name(a.association), a.category, (long long)a.id);
	o.success_url = arena_printf(&r->arena, "%s/applications/%lld?paid=1",
	    cfg.base_url, (long long)a.id);
	o.cancel_url = arena_printf(&r->arena, "%s/applications/%lld",
	    cfg.base_url, (long long)a.id);
	o.reference = arena_printf(&r->arena, "%lld", (long long)a.id);
	o.account = arena_printf(&r->arena, "%lld", (long long)a.account);
	o.association = a.association;
	o.application = o.reference;
	if (stripe_session_create(&r->arena, &o, &sid, &url, &why) != 0) {
		view_error(r, 502, why);
		return;
	}
	if (money_card_session(sid, a.account, a.association, a.id, due) !=
	    0) {
		view_read_failed(r);
		return;
	}
	reply_redirect(r, "%s", url);
}

/* The processor's word on a payment.  The body is checked against its
   signature before anything in it is read. */
void
page_stripe_webhook(struct req *r)
{
	json_t		*ev, *obj;
	const char	*why, *type, *eid, *sid, *paid;
	int		 recorded;

	if (stripe_sig_check(req_header(r, "Stripe-Signature"), r->body.s !=
	    NULL ? r->body.s : "", r->body.len, cfg.stripe_webhook_secret,
	    (int64_t)time(NULL), cfg.stripe_tolerance, &why) != 0) {
		reply_text(r, 400, "text/plain; charset=utf-8", why,
		    strlen(why));
		return;
	}
	ev = json_loadb(r->body.s != NULL ? r->body.s : "", r->body.len, 0,
	    NULL);
	type = json_string_value(json_object_get(ev, "type"));
	eid = json_string_value(json_object_get(ev, "id"));
	obj = json_object_get(json_object_get(ev, "data"), "object");
	sid = json_string_value(json_object_get(obj, "id"));
	paid = json_string_value(json_object_get(obj, "payment_status"));
	if (eid == NULL || type == NULL) {
		json_decref(ev);
		why = "not an event";
		reply_text(r, 400, "text/plain; charset=utf-8", why,
		    strlen(why));
		return;
	}
	recorded = 0;
	if (strcmp(type, "checkout.session.completed") == 0 && sid != NULL &&
	    (paid == NULL || strcmp(paid, "paid") == 0) &&
	    money_card_paid(&r->arena, eid, sid, json_integer_value(
	    json_object_get(obj, "amount_total")), &recorded) != 0) {
		json_decref(ev);
		reply_text(r, 503, "text/plain; charset=utf-8", "busy\n", 5);
		return;
	}
	json_decref(ev);
	why = recorded ? "recorded\n" : "nothing to record\n";
	reply_text(r, 200, "text/plain; charset=utf-8", why, strlen(why));
}
