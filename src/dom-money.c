/*
 * Money: the ledger of db/013, its only writer.  A charge arises in the
 * transaction of the event that causes it (a submission, a reinstatement
 * request); a payment, a waiver or a refund is recorded by a coordinator
 * of the account's association, never on their own account, or (a card
 * payment) by the processor's signed webhook.  Every line has its row in
 * the audit log.  See dom-money.h for the totals readers in SQL.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-app.h"
#include "dom-money.h"
#include "banned.h"

#define MONEY_MAX	100000000LL	/* $1,000,000.00 */

const char *const money_methods[] = {
	"check", "cash", "card", "bank transfer", "money order", "other",
	NULL
};

int
money_totals(int64_t account, const char *assoc, int64_t app,
    struct money_totals *t)
{
	struct dbq		*st = db_stmt(S_LEDGER_TOTALS);
	struct row_ledger_totals row;
	int			 rc;

	memset(t, 0, sizeof *t);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	if (app > 0)
		db_bind_int(st, "$app", app);
	else
		db_bind_null(st, "$app");
	rc = row_ledger_totals(st, NULL, &row);
	db_reset(st);
	if (rc != DB_ROW)
		return -1;
	t->charged = row.charged;
	t->paid = row.paid;
	t->waived = row.waived;
	t->refunded = row.refunded;
	t->owed = row.charged - row.paid - row.waived + row.refunded;
	t->n = (int)row.n;
	return 0;
}

const char *
money_owed_words(struct arena *arena, const struct app *a)
{
	struct money_totals	 t;

	if (money_totals(a->account, a->association, a->id, &t) == 0 &&
	    t.n > 0)
		return money_words(arena, t.owed);
	return web_fee_owed(arena, a->association, a->category, a->fee_owed);
}

/* "$1,234.00": groups of three by commas, the cents always. */
const char *
money_words(struct arena *a, int64_t cents)
{
	char		 digits[32], out[48];
	uint64_t	 v = cents < 0 ? (uint64_t)-(cents + 1) + 1 :
			    (uint64_t)cents;
	size_t		 n, i, o = 0;

	snprintf(digits, sizeof digits, "%llu",
	    (unsigned long long)(v / 100));
	n = strlen(digits);
	if (cents < 0)
		out[o++] = '-';
	out[o++] = '$';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, sizeof out - o, ".%02u", (unsigned)(v % 100));
	return arena_strdup(a, out);
}

int
money_parse(const char *s, int64_t *cents)
{
	int64_t		 v = 0;
	int		 ndec = -1, ndig = 0;

	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	if (*s == '$')
		s++;
	for (; *s != '\0' && *s != ' '; s++) {
		if (*s == ',' && ndec < 0 && ndig > 0)
			continue;
		if (*s == '.' && ndec < 0) {
			ndec = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || ndec >= 2)
			return -1;
		if (ndec >= 0)
			ndec++;
		v = v * 10 + (*s - '0');
		if (++ndig > 12)
			return -1;
	}
	while (*s == ' ')
		s++;
	if (*s != '\0' || ndig == 0)
		return -1;
	if (ndec < 0)
		ndec = 0;
	for (; ndec < 2; ndec++)
		v *= 10;
	if (v > MONEY_MAX)
		return -1;
	*cents = v;
	return 0;
}

/* One line and its audit row, in the caller's transaction. */
static int
ledger_put(const struct actor *who, enum ledger_kind kind, int64_t account,
    const char *assoc, int64_t app, int64_t cents, const char *what,
    const char *method, const char *reference, const char *reason,
    int32_t day, int64_t *id)
{
	struct dbq	*st = db_stmt(S_LEDGER_INSERT);
	int64_t		 line;

	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	if (app > 0)
		db_bind_int(st, "$app", app);
	db_bind_enum(st, "$kind", ledger_kind, kind);
	db_bind_int(st, "$cents", cents);
	db_bind_text(st, "$what", what);
	db_bind_text(st, "$method", method);
	db_bind_text(st, "$reference", reference);
	db_bind_text(st, "$reason", reason);
	db_bind_int(st, "$day", day);
	if (who->id > 0)
		db_bind_int(st, "$actor", who->id);
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		return -1;
	line = db_last_id();
	if (id != NULL)
		*id = line;
	return audit_write(who, "ledger", line, db_enum_word(ledger_kind,
	    kind), app > 0 ? json_pack("{s:I, s:I, s:I, s:s, s:s?, s:s?, "
	    "s:s?}", "application", (json_int_t)app, "account",
	    (json_int_t)account, "cents", (json_int_t)cents, "what", what,
	    "method", method, "reference", reference, "reason", reason) :
	    json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s?}", "account",
	    (json_int_t)account, "cents", (json_int_t)cents, "what", what,
	    "method", method, "reference", reference, "reason", reason));
}

int
money_charge(const struct actor *who, int64_t account, const char *assoc,
    int64_t app, int64_t cents, const char *what)
{
	if (cents <= 0)
		return 0;
	return ledger_put(who, LEDGER_CHARGE, account, assoc, app, cents, what,
	    NULL, NULL, NULL, web_today(), NULL);
}

int64_t
money_submit_fees(const struct app *a)
{
	const struct ruleset	*rs = web_rules(a->association);
	int			 reg, fee;

	if (rs == NULL)
		return 0;
	reg = workflow_regfee(rs, a->category);
	fee = workflow_fee(rs, a->category);
	return (int64_t)(reg > 0 ? reg : 0) * 100 + (int64_t)(fee > 0 ?
	    fee : 0) * 100;
}

int
money_due_at_submit(const char *assoc)
{
	const struct ruleset	*rs = web_rules(assoc);

	return rs != NULL && rs->workflow.fee_due_submit;
}

int64_t
money_due_before_submit(const struct app *a)
{
	struct money_totals	 t;
	int64_t			 fees, in;

	if (!money_due_at_submit(a->association) ||
	    (fees = money_submit_fees(a)) <= 0 ||
	    money_totals(a->account, a->association, a->id, &t) != 0)
		return 0;
	/* Charged already (a resubmission): the charges say it. */
	if (t.charged > 0)
		return 0;
	in = t.paid + t.waived - t.refunded;
	return in >= fees ? 0 : fees - in;
}

int
money_due_refuse(struct arena *arena, const struct app *a, struct derr *e)
{
	int64_t	 due = money_due_before_submit(a);

	if (due <= 0)
		return 0;
	if (cfg.stripe_secret_key != NULL && *cfg.stripe_secret_key != '\0')
		return derr_set(e, arena, 409, NULL, "the fees are due before "
		    "you submit: pay %s (the registration and processing "
		    "fees) with Pay by card on your application's page, or "
		    "pay your coordinator, who records it; then submit",
		    money_words(arena, due));
	return derr_set(e, arena, 409, NULL, "the fees are due before you "
	    "submit: pay %s (the registration and processing fees) to your "
	    "coordinator, who records the payment; then submit",
	    money_words(arena, due));
}

/* A resubmission after a return charges nothing again: the application's
   charges are there from its first submission. */
int
money_charge_submit(const struct actor *who, struct arena *arena,
    const struct app *a)
{
	const struct ruleset	*rs = web_rules(a->association);
	struct money_totals	 t;
	int			 reg, fee;

	if (rs == NULL)
		return 0;
	if (money_totals(a->account, a->association, a->id, &t) != 0)
		return -1;
	if (t.charged > 0)
		return 0;
	reg = workflow_regfee(rs, a->category);
	fee = workflow_fee(rs, a->category);
	if (money_charge(who, a->account, a->association, a->id,
	    (int64_t)(reg > 0 ? reg : 0) * 100, arena_printf(arena,
	    "Registration fee, %s", a->category)) != 0)
		return -1;
	return money_charge(who, a->account, a->association, a->id,
	    (int64_t)(fee > 0 ? fee : 0) * 100, arena_printf(arena,
	    "Processing fee, %s", a->category));
}

/* What a person typed, checked; the first problem in e. */
static int
money_entry_check(struct arena *arena, const struct money_entry *in,
    int64_t *cents, int32_t *day, struct derr *e)
{
	const char	*reason = in->reason != NULL ? in->reason : "";
	int		 i;

	if (in->app < 0)
		return derr_set(e, arena, 400, "application", "application: "
		    "choose what it is for");
	if (in->amount == NULL || *in->amount == '\0')
		return derr_set(e, arena, 400, "amount", "amount: enter the "
		    "amount, such as 50.00");
	if (money_parse(in->amount, cents) != 0 || *cents <= 0)
		return derr_set(e, arena, 400, "amount", "amount: enter an "
		    "amount in dollars and cents greater than $0.00 and at "
		    "most $1,000,000.00, such as 50.00");
	if (in->kind == LEDGER_PAYMENT) {
		for (i = 0; money_methods[i] != NULL && (in->method == NULL ||
		    strcmp(money_methods[i], in->method) != 0); i++)
			;
		if (money_methods[i] == NULL)
			return derr_set(e, arena, 400, "method", "method: "
			    "choose how it was paid");
		if (in->date == NULL || *in->date == '\0')
			return derr_set(e, arena, 400, "date", "date: enter "
			    "the day it was paid");
		if (date_parse(in->date, day) != 0)
			return derr_set(e, arena, 400, "date", "date: enter "
			    "a real date, such as 2026-11-23");
		if (*day > web_today())
			return derr_set(e, arena, 400, "date", "date: the "
			    "day it was paid cannot be in the future");
	} else {
		*day = web_today();
		while (*reason == ' ')
			reason++;
		if (*reason == '\0')
			return derr_set(e, arena, 400, "reason", "reason: say "
			    "why, for the history");
	}
	if ((in->reference != NULL && strlen(in->reference) >
	    FIELD_TEXT_MAX) || strlen(reason) > FIELD_TEXT_MAX)
		return derr_set(e, arena, 400, in->kind == LEDGER_PAYMENT ?
		    "reference" : "reason", "%s: at most %d characters",
		    in->kind == LEDGER_PAYMENT ? "reference" : "reason",
		    FIELD_TEXT_MAX);
	return 0;
}

/* Whether the account has an application or a line with the
   association (a coordinator records money only for their own). */
static int
account_of(struct arena *arena, const struct money_entry *in,
    const char *assoc, struct app *a)
{
	struct money_totals	 t;
	struct row_money_apps	 row;
	struct dbq		*st;
	int			 rc;

	if (in->app > 0)
		return app_read(arena, in->app, a) == 0 && a->account ==
		    in->account && strcmp(a->association, assoc) == 0 ? 0 : -1;
	st = db_stmt(S_MONEY_APPS);
	db_bind_int(st, "$account", in->account);
	db_bind_text(st, "$assoc", assoc);
	rc = row_money_apps(st, arena, &row);
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	if (money_totals(in->account, assoc, 0, &t) != 0 || t.n == 0)
		return -1;
	return 0;
}

int
money_record(const struct actor *who, struct arena *arena,
    const struct money_entry *in, int64_t *id, struct derr *e)
{
	struct money_totals	 t;
	struct app		 a;
	const char		*what;
	int64_t			 cents;
	int32_t			 day;

	if (who->kind != ACTOR_COORDINATOR || who->association == NULL)
		return derr_set(e, arena, 403, NULL, "only the association's "
		    "coordinator records money");
	if (account_of(arena, in, who->association, &a) != 0)
		return derr_set(e, arena, 404, NULL, "there is no such "
		    "account");
	if (who->id == in->account)
		return derr_set(e, arena, 403, NULL, "you cannot record money "
		    "on your own account: another coordinator of the "
		    "association does");
	if (in->kind == LEDGER_CHARGE)
		return derr_set(e, arena, 400, NULL, "charges arise from the "
		    "rule set's fees");
	if (money_entry_check(arena, in, &cents, &day, e) != 0)
		return -1;
	if (db_begin() != 0)
		return derr_set(e, arena, 503, NULL, "the database is busy; "
		    "try again");
	if (money_totals(in->account, who->association, in->app, &t) != 0)
		goto fail;
	if (in->kind == LEDGER_REFUND && cents > t.paid - t.refunded) {
		db_rollback();
		return derr_set(e, arena, 400, "amount", "amount: a refund "
		    "cannot be more than was paid and not yet refunded (%s)",
		    money_words(arena, t.paid - t.refunded));
	}
	if (in->kind == LEDGER_WAIVER && cents > t.owed) {
		db_rollback();
		return derr_set(e, arena, 400, "amount", "amount: a waiver "
		    "cannot be more than is owed (%s)", money_words(arena,
		    t.owed > 0 ? t.owed : 0));
	}
	what = in->kind == LEDGER_PAYMENT ? "Payment" : in->kind ==
	    LEDGER_WAIVER ? "Waiver" : "Refund";
	if (ledger_put(who, in->kind, in->account, who->association, in->app,
	    cents, what, in->kind == LEDGER_PAYMENT ? in->method : NULL,
	    in->reference != NULL && *in->reference != '\0' ? in->reference :
	    NULL, in->kind != LEDGER_PAYMENT ? in->reason : NULL, day,
	    id) != 0 ||
	    db_commit() != 0)
		goto fail;
	return 0;
fail:
	db_rollback();
	return derr_store(e, arena, "the line");
}

int
money_card_session(const char *session, int64_t account, const char *assoc,
    int64_t app, int64_t cents)
{
	struct dbq	*st = db_stmt(S_STRIPE_SESSION_INSERT);

	db_bind_text(st, "$id", session);
	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	if (app > 0)
		db_bind_int(st, "$app", app);
	db_bind_int(st, "$cents", cents);
	db_bind_int(st, "$now", db_now());
	return db_exec(st);
}

int
money_card_paid(struct arena *arena, const char *event, const char *session,
    int64_t cents, int *recorded)
{
	static const struct actor card = { ACTOR_SYSTEM, 0, NULL, NULL, NULL,
	    "the card processor" };
	struct dbq			*st;
	struct row_stripe_session	 s;
	int				 rc;

	*recorded = 0;
	if (db_begin() != 0)
		return -1;
	st = db_stmt(S_STRIPE_EVENT_INSERT);
	db_bind_text(st, "$id", event);
	db_bind_text(st, "$type", "checkout.session.completed");
	db_bind_int(st, "$now", db_now());
	if (db_exec(st) != 0)
		goto fail;
	if (db_changes() == 0)		/* a replay */
		return db_commit();
	st = db_stmt(S_STRIPE_SESSION_GET);
	db_bind_text(st, "$id", session);
	rc = row_stripe_session(st, arena, &s);
	db_reset(st);
	if (rc == DB_ERROR)
		goto fail;
	if (rc == DB_ROW && cents > 0) {
		if (ledger_put(&card, LEDGER_PAYMENT, s.account, s.association,
		    s.application_null ? 0 : s.application, cents, "Payment",
		    "card", session, NULL, web_today(), NULL) != 0)
			goto fail;
		*recorded = 1;
	}
	return db_commit();
fail:
	db_rollback();
	*recorded = 0;
	return -1;
}

int
money_lines(struct arena *arena, int64_t account, const char *assoc,
    struct row_ledger_line **out)
{
	struct dbq	*st = db_stmt(S_LEDGER_LIST);

	db_bind_int(st, "$account", account);
	db_bind_text(st, "$assoc", assoc);
	return rows_ledger_line(st, arena, out);
}

int
money_line(struct arena *arena, int64_t id, struct row_ledger_line *out)
{
	struct dbq	*st = db_stmt(S_LEDGER_GET);
	int		 rc;

	db_bind_int(st, "$id", id);
	rc = row_ledger_line(st, arena, out);
	db_reset(st);
	return rc == DB_ROW ? 0 : -1;
}
