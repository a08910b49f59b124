/*
 * Money: the ledger of an account with its association (db/013): charges
 * as they arise, payments, waivers and refunds.  Only dom-money.c writes
 * the ledger.  Amounts are whole cents; the rule sets give whole dollars.
 *
 * For readers in SQL (the work queue, exports): the views of db/017,
 * ledger_app_totals (one row per application) and ledger_account_totals
 * (one per account and association), each with charged, paid, waived,
 * refunded and owed in cents, owed = charged - paid - waived + refunded.
 * A row missing from a view is nothing charged.  In C: money_totals().
 */
#ifndef DOM_MONEY_H
#define DOM_MONEY_H

#include <stdint.h>

#include "domain.h"

struct app;

struct money_totals {
	int64_t		 charged, paid, waived, refunded;
	int64_t		 owed;		/* charged - paid - waived + refunded */
	int		 n;		/* lines */
};
/* The totals of an account with an association, or of one application
   (app > 0).  0, or -1 when the store failed. */
int		 money_totals(int64_t account, const char *assoc, int64_t app,
		    struct money_totals *);

/* What an application owes, in words: its ledger's balance ("$75.00"),
   or, before anything is charged, what web_fee_owed() says of the
   recorded fee ("set by your association" where the rule set gives no
   amount). */
const char	*money_owed_words(struct arena *, const struct app *);
/* "$1,234.00" ("-$5.00" for a credit). */
const char	*money_words(struct arena *, int64_t cents);
/* "1234", "1,234.5", "$50.00" -> cents; -1 when not an amount of at
   most $1,000,000.00 with at most two decimals. */
int		 money_parse(const char *, int64_t *cents);

/* A charge of cents (nothing when cents <= 0) for what, in the caller's
   transaction with its audit row; app 0 for the account's own.  0/-1. */
int		 money_charge(const struct actor *, int64_t account,
		    const char *assoc, int64_t app, int64_t cents,
		    const char *what);
/* The registration and the processing fee of a submitted application,
   in the caller's transaction (none when the rule set gives no amount,
   or when its fees were charged at an earlier submission). */
int		 money_charge_submit(const struct actor *, struct arena *,
		    const struct app *);
/* What the rule set asks at submission (registration + processing, in
   cents; 0 when it gives no amount), and whether it must be paid first
   (workflow `setting fee due at submit`). */
int64_t		 money_submit_fees(const struct app *);
int		 money_due_at_submit(const char *assoc);
/* What remains to pay before submitting (cents; 0 when nothing is due
   first); money_due_refuse: -1 with e saying what to pay and how. */
int64_t		 money_due_before_submit(const struct app *);
int		 money_due_refuse(struct arena *, const struct app *,
		    struct derr *);

/* A payment, waiver or refund recorded by a coordinator. */
struct money_entry {
	enum ledger_kind	 kind;
	int64_t			 account;
	int64_t			 app;		/* 0: the account's own;
						   -1: none chosen */
	const char		*amount;	/* as typed */
	const char		*method;	/* payment: of money_methods */
	const char		*date;		/* YYYY-MM-DD */
	const char		*reference;
	const char		*reason;	/* waiver, refund: required */
};
extern const char *const money_methods[];	/* NULL-terminated */
/* The coordinator of the account's association records it (never on
   their own account); the line and its audit row in one transaction.
   0 and *id, or -1 with e (the field named: amount, method, date,
   reference, reason). */
int		 money_record(const struct actor *, struct arena *,
		    const struct money_entry *, int64_t *id, struct derr *);
/* A card payment confirmed by the processor's signed webhook: the event
   id stored once (a replay records nothing: *recorded 0), the session
   looked up (unknown: nothing), the payment line.  0, or -1 on a store
   failure. */
int		 money_card_paid(struct arena *, const char *event,
		    const char *session, int64_t cents, int *recorded);
/* A Checkout Session this server created, remembered for the webhook. */
int		 money_card_session(const char *session, int64_t account,
		    const char *assoc, int64_t app, int64_t cents);

/* An account's lines with an association, oldest first; one line. */
int		 money_lines(struct arena *, int64_t account, const char *assoc,
		    struct row_ledger_line **);
int		 money_line(struct arena *, int64_t id,
		    struct row_ledger_line *);

#endif
