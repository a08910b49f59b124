/*
 * The link of an e-mail address change (dom-email.c): GET shows the new
 * address and a button, so that a mail program opening the link changes
 * nothing; POST makes the change.  Whoever holds the link may follow it,
 * logged in or not: it proves the new address, the password was checked
 * when the change was asked.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-account.h"
#include "banned.h"

#define SPENT	"this link has expired or was already used; ask for a " \
		    "new one on your account page"

void
page_email_confirm_form(struct req *r)
{
	const char	*to = account_email_pending(&r->arena, r->word);

	if (to == NULL) {
		view_error(r, 404, SPENT);
		return;
	}
	view_page(r, 200, "account/email", "Confirm your new e-mail address",
	    json_pack("{s:s, s:s}", "token", r->word, "new_email", to));
}

void
page_email_confirm(struct req *r)
{
	const char	*to = NULL;
	struct derr	 e;

	if (account_email_confirm(&r->arena, r->word, &to, &e) != 0) {
		view_derr(r, &e);
		return;
	}
	view_page(r, 200, "account/email", "Your e-mail address is changed",
	    json_pack("{s:b, s:s, s:b}", "done", 1, "new_email", to,
	    "logged_in", r->user.id != 0));
}
