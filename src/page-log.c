/*
 * The endorsee's log: the training and RSC entries that serve every
 * endorsement they hold in an association, the evidence uploaded for
 * them, and the API that adds an entry.  The writes are the domain's
 * (dom-renewal.c).
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "page-renew.h"
#include "banned.h"

struct logent {
	int64_t			 id;
	char			*assoc;
	const struct kdef	*kd;
	json_t			*data;
	const char		*locked;	/* why it cannot change */
};

/* The caller's log entry, or 404. */
static int
logent_mine(struct req *r, int64_t id, struct logent *le)
{
	struct dom_entry	 de;
	int			 cycles[DOM_MAX_CYCLES], n;

	memset(le, 0, sizeof *le);
	if (dom_entry_get(&r->arena, id, &de) != 0 ||
	    de.account != r->user.id) {
		if (de.data != NULL)
			json_decref(de.data);
		view_error(r, 404, "there is no such entry in your log");
		return -1;
	}
	le->id = id;
	le->assoc = de.assoc;
	le->kd = de.kd;
	le->data = de.data;
	n = dom_attested_cycles(r->user.id, le->assoc, cycles);
	le->locked = dom_entry_lock(le->assoc, id, de.start, cycles, n);
	return 0;
}

/* The form of an entry, new or edited, with its errors. */
static void
log_entry_page(struct req *r, struct logent *le, int status, json_t *data,
    json_t *errors)
{
	json_t	*v;

	v = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:b}", "id",
	    (json_int_t)le->id, "one", le->kd->one, "kind", le->kd->kind,
	    "assoc", le->assoc, "association", web_assoc_name(le->assoc),
	    "fields", form_view(le->kd, data, errors, status == 400 ? r :
	    NULL), "locked", le->locked != NULL);
	if (errors != NULL && json_object_size(errors) > 0)
		json_object_set_new(v, "n_errors", json_integer(
		    (json_int_t)json_object_size(errors)));
	json_decref(errors);
	view_page(r, status, "renew/entry", le->id != 0 ? "Edit a log entry" :
	    "Log an entry", v);
}

/* The form again with the domain's refusal on its field (the title
   when it names none). */
static void
log_refused(struct req *r, struct logent *le, json_t *e, json_t *errors,
    const struct derr *err)
{
	json_object_set_new(errors, err->field != NULL ? err->field :
	    "title", json_string(err->message));
	log_entry_page(r, le, 400, e, errors);
}

/* POST /renewal/log: a new entry, checked by the form and the rules. */
void
page_log_add(struct req *r)
{
	const char		*assoc = req_form(r, "association");
	const char		*kind = req_form(r, "kind");
	const struct kdef	*kd;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	json_t			*errors, *e;
	int64_t			 id = 0;
	struct logent		 le;

	if (assoc == NULL || !renew_holds_in(r, assoc)) {
		view_error(r, 400, "association: you hold no endorsement of "
		    "that association");
		return;
	}
	if (kind == NULL || (strcmp(kind, "training") != 0 &&
	    strcmp(kind, "rsc_received") != 0) ||
	    (kd = kind_find(kind)) == NULL) {
		view_error(r, 400, "kind: the log takes training or "
		    "rsc_received");
		return;
	}
	memset(&le, 0, sizeof le);
	le.assoc = (char *)assoc;
	le.kd = kd;
	errors = json_object();
	if ((e = form_entry(r, kd, errors)) == NULL) {
		log_entry_page(r, &le, 400, NULL, errors);
		return;
	}
	if (dom_log_store(&who, &r->arena, assoc, kd, e, 0, &id, &err) != 0) {
		if (err.status == 409) {
			json_decref(errors);
			view_error(r, 409, err.message);
		} else
			log_refused(r, &le, e, errors, &err);
		json_decref(e);
		return;
	}
	json_decref(e);
	json_decref(errors);
	reply_redirect(r, "/renewal#log-%s", assoc);
}


/* The form to log an entry: /renewal/log/new?association=ID&kind=KIND. */
void
page_log_new(struct req *r)
{
	const char	*assoc = req_query(r, "association");
	const char	*kind = req_query(r, "kind");
	struct logent	 le;
	json_t		*def;

	memset(&le, 0, sizeof le);
	if (assoc == NULL || !renew_holds_in(r, assoc)) {
		view_error(r, 400, "association: you hold no endorsement of "
		    "that association");
		return;
	}
	if (kind == NULL || (strcmp(kind, "training") != 0 &&
	    strcmp(kind, "rsc_received") != 0)) {
		view_error(r, 400, "kind: the log takes training or "
		    "rsc_received");
		return;
	}
	le.assoc = (char *)assoc;
	le.kd = kind_find(kind);
	def = kind[0] == 't' ? json_pack("{s:s}", "role", "attended") :
	    json_pack("{s:s}", "focus", "practice");
	log_entry_page(r, &le, 200, def, NULL);
	json_decref(def);
}

/* The form of one of the caller's entries. */
void
page_log_edit(struct req *r)
{
	struct logent	 le;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	log_entry_page(r, &le, 200, le.data, NULL);
	json_decref(le.data);
}

/* An entry changed, unless an audit or an attestation holds it. */
void
page_log_save(struct req *r)
{
	struct logent	 le;
	struct actor	 who = req_actor(r);
	struct derr	 err;
	json_t		*errors, *e;
	int64_t		 id = r->id;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	if (le.locked != NULL) {
		json_decref(le.data);
		view_error(r, 409, arena_printf(&r->arena, "this entry is %s: "
		    "it cannot be changed; upload evidence for it, or log "
		    "another entry", le.locked));
		return;
	}
	errors = json_object();
	if ((e = form_entry(r, le.kd, errors)) == NULL) {
		log_entry_page(r, &le, 400, le.data, errors);
		json_decref(le.data);
		return;
	}
	if (dom_log_store(&who, &r->arena, le.assoc, le.kd, e, r->id, &id,
	    &err) != 0) {
		log_refused(r, &le, e, errors, &err);
		json_decref(e);
		json_decref(le.data);
		return;
	}
	json_decref(errors);
	json_decref(e);
	json_decref(le.data);
	reply_redirect(r, "/renewal#log-%s", le.assoc);
}

/* An entry deleted, unless an audit or an attestation holds it. */
void
page_log_delete(struct req *r)
{
	struct logent	 le;
	struct actor	 who = req_actor(r);
	struct derr	 err;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	json_decref(le.data);
	if (le.locked != NULL) {
		view_error(r, 409, arena_printf(&r->arena, "this entry is %s: "
		    "it cannot be deleted", le.locked));
		return;
	}
	if (dom_log_delete(&who, &r->arena, le.id, le.assoc, &err) != 0) {
		view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/renewal#log-%s", le.assoc);
}

/* The evidence of an entry uploaded (replacing any before it). */
/* The renewal page again, the upload's problem beside its input. */
static void
evidence_again(struct req *r, int64_t entry, int status, const char *why)
{
	struct renew_form	 f;

	memset(&f, 0, sizeof f);
	f.entry = entry;
	f.entry_error = why;
	f.problems = json_pack("[o]", view_problem(arena_printf(&r->arena,
	    "ev-%lld", (long long)entry), "Evidence", why));
	renew_page_form(r, status, &f);
}

void
page_evidence_put(struct req *r)
{
	struct logent		 le;
	const struct field	*f;
	struct actor		 who = req_actor(r);
	struct derr		 err;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	json_decref(le.data);
	f = req_file(r, "file");
	if (f == NULL || f->len == 0) {
		evidence_again(r, le.id, 400, "file: choose the file of the "
		    "evidence (a PDF, PNG or JPEG)");
		return;
	}
	if (dom_evidence_put(&who, &r->arena, le.id, le.assoc, f->filename,
	    f->value, f->len, &err) != 0) {
		if (err.status == 400 || err.status == 413)
			evidence_again(r, le.id, err.status, err.message);
		else
			view_derr(r, &err);
		return;
	}
	reply_redirect(r, "/renewal#log-%s", le.assoc);
}

void
renew_evidence_send(struct req *r, int64_t entry)
{
	const char	*ctype;
	const void	*content;
	size_t		 len;

	if (dom_evidence_get(&r->arena, entry, &ctype, &content, &len) != 0) {
		view_error(r, 404, "no evidence has been uploaded for this "
		    "entry");
		return;
	}
	reply_header(r, "Content-Disposition", "attachment");
	reply_text(r, 200, ctype, content, len);
}

/* The caller's own evidence, back. */
void
page_evidence_get(struct req *r)
{
	struct logent	 le;

	if (logent_mine(r, r->id, &le) != 0)
		return;
	json_decref(le.data);
	renew_evidence_send(r, le.id);
}

/* POST /api/v1/log/KIND?association=ID: one entry, as in
   endorse-portfolio/1, added to the caller's log. */
void
api_log_add(struct req *r)
{
	const char		*assoc = req_query(r, "association");
	const struct kdef	*kd = NULL;
	struct actor		 who = req_actor(r);
	struct derr		 err;
	json_error_t		 jerr;
	json_t			*e;
	int64_t			 id = 0;
	int			 rc;

	if (strcmp(r->word, "training") == 0 ||
	    strcmp(r->word, "rsc_received") == 0)
		kd = kind_find(r->word);
	if (kd == NULL) {
		reply_error_json(r, 404, NULL, "the log takes training or "
		    "rsc_received");
		return;
	}
	if (assoc == NULL || !renew_holds_in(r, assoc)) {
		reply_error_json(r, 400, "association", "you hold no "
		    "endorsement of that association");
		return;
	}
	if (!r->body_json) {
		reply_error_json(r, 415, NULL, "the body must be JSON "
		    "(Content-Type: application/json)");
		return;
	}
	e = json_loadb(r->body.s != NULL ? r->body.s : "", r->body.len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (e == NULL || !json_is_object(e)) {
		json_decref(e);
		reply_error_json(r, 400, NULL, "the body is not a JSON object");
		return;
	}
	rc = dom_log_store(&who, &r->arena, assoc, kd, e, 0, &id, &err);
	json_decref(e);
	if (rc != 0 && err.status != 400)
		reply_error_json(r, err.status, NULL, "%s", err.message);
	else if (rc != 0)
		reply_error_json(r, 400, err.field != NULL ? err.field :
		    kd->kind, "%s", err.message);
	else
		reply_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}
