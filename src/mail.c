/*
 * Outgoing mail.  Every message is written to the outbox table in the
 * caller's transaction, so a mail exists exactly when the change that
 * caused it was stored.  A transport (SMTP with libcurl, issue 4) reads
 * the outbox and records delivery; until then messages stay queued and a
 * coordinator sees their association's on /coordinator/outbox.
 */
#include "web.h"
#include "banned.h"

int
mail_send(const struct mail *m)
{
	sqlite3_stmt	*st;

	st = db_stmt(S_OUTBOX_INSERT);
	db_bind_text(st, "$to", m->to);
	db_bind_text(st, "$subject", m->subject);
	db_bind_text(st, "$body", m->body);
	db_bind_text(st, "$assoc", m->association);
	db_bind_int(st, "$secret", m->secret);
	db_bind_int(st, "$now", db_now());
	return db_exec(st);
}
