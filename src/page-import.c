/*
 * The coordinator's import of endorsees (the CSV of `endorse import
 * endorsees`): GET /coordinator/import, the upload form; POST
 * /coordinator/import, a preview of every row with its problems, nothing
 * stored; POST /coordinator/import/confirm stores the previewed file and
 * mails each new endorsee a claim link (dom-import.c, as the CLI's
 * --invite).  The preview's form carries the file itself (base64) and a
 * digest of it (and its name) keyed by the session's CSRF token and
 * bound to the association: the confirmation stores exactly what was
 * previewed, in this session, or nothing.  The file travels back as a
 * form field: at most max_field bytes of base64 (64 KB by default, some
 * 400 rows); a larger file is for `endorse import endorsees`.
 */
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "dom-import.h"
#include "banned.h"

#define DIGEST_HEX	(2 * crypto_generichash_BYTES + 1)

/* The digest of text for this session and association, as hex. */
static void
digest(struct req *r, const char *name, const char *text, size_t len,
    char hex[DIGEST_HEX])
{
	crypto_generichash_state st;
	unsigned char		 key[crypto_generichash_KEYBYTES];
	unsigned char		 out[crypto_generichash_BYTES];
	const char		*tok = auth_csrf_token(r);

	crypto_generichash(key, sizeof key, (const unsigned char *)tok,
	    strlen(tok), NULL, 0);
	crypto_generichash_init(&st, key, sizeof key, sizeof out);
	crypto_generichash_update(&st, (const unsigned char *)
	    r->user.association, strlen(r->user.association) + 1);
	crypto_generichash_update(&st, (const unsigned char *)name,
	    strlen(name) + 1);
	crypto_generichash_update(&st, (const unsigned char *)text, len);
	crypto_generichash_final(&st, out, sizeof out);
	sodium_bin2hex(hex, DIGEST_HEX, out, sizeof out);
}

/* The upload form, with why (NULL: none) beside the file field. */
static void
form_page(struct req *r, int status, const char *why, int imported)
{
	json_t	*v = json_object();

	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	if (why != NULL)
		json_object_set_new(v, "file_error", json_string(why));
	if (imported > 0)
		json_object_set_new(v, "imported", json_integer(imported));
	view_page(r, status, "coord/import", "Import endorsees", v);
}

void
page_coord_import_form(struct req *r)
{
	const char	*n = req_query(r, "imported");
	long		 k = n != NULL ? strtol(n, NULL, 10) : 0;

	form_page(r, 200, NULL, k > 0 && k < 1000000 ? (int)k : 0);
}

/* One row of the preview: its fields and its problems. */
static json_t *
row_view(const struct import_row *rw)
{
	json_t		*o, *probs = json_array();
	const char	*p, *nl;
	int		 j;

	o = json_pack("{s:i}", "line", rw->line);
	for (j = 0; j < IMPORT_NCOLS; j++)
		json_object_set_new(o, import_header[j], json_string(
		    rw->f[j] != NULL ? rw->f[j] : ""));
	for (p = rw->problems.s; p != NULL && *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		json_array_append_new(probs, json_stringn(p, (size_t)(nl - p)));
	}
	json_object_set_new(o, "ok", json_boolean(json_array_size(probs) ==
	    0));
	json_object_set_new(o, "problems", probs);
	return o;
}

/* The preview of a checked file: every row, and the confirmation when
   nothing is wrong. */
static void
preview_page(struct req *r, int status, const struct import *im,
    const char *text, size_t len, const char *name)
{
	json_t	*v = json_object(), *rows = json_array();
	char	 hex[DIGEST_HEX], *b64;
	size_t	 n;
	int	 i;

	for (i = 0; i < im->n; i++)
		json_array_append_new(rows, row_view(&im->rows[i]));
	json_object_set_new(v, "association", json_string(
	    web_assoc_name(r->user.association)));
	json_object_set_new(v, "file", json_string(name));
	json_object_set_new(v, "rows", rows);
	json_object_set_new(v, "n", json_integer(im->n));
	json_object_set_new(v, "one", json_boolean(im->n == 1));
	json_object_set_new(v, "bad", json_integer(im->bad));
	if (im->syntax != NULL)
		json_object_set_new(v, "syntax", json_pack("{s:i, s:s}",
		    "line", im->syntax_line, "why", im->syntax));
	if (im->bad == 0 && im->n > 0) {
		n = sodium_base64_encoded_len(len,
		    sodium_base64_VARIANT_ORIGINAL);
		b64 = arena_alloc(&r->arena, n);
		sodium_bin2base64(b64, n, (const unsigned char *)text, len,
		    sodium_base64_VARIANT_ORIGINAL);
		digest(r, name, text, len, hex);
		json_object_set_new(v, "confirm", json_pack("{s:s, s:s, s:s}",
		    "text", b64, "digest", hex, "name", name));
	}
	view_page(r, status, "coord/import-preview", "Import endorsees: "
	    "preview", v);
}

/*
 * Check text and, with flags IMPORT_STORE, store it: the preview (also
 * after a store that found a problem), the form again for a file that
 * is no import, or the redirect after the store.
 */
static void
import_text(struct req *r, const char *text, size_t len, const char *name,
    int flags)
{
	struct ruleset	*rs = web_rules(r->user.association);
	struct import	 im;
	struct derr	 e;
	struct actor	 who = req_actor(r);

	if (rs == NULL) {
		view_error(r, 404, "your association has no rule set here");
		return;
	}
	if (import_parse(&im, &r->arena, rs, text, len) != 0) {
		form_page(r, 400, arena_printf(&r->arena, "line %d of the "
		    "file: %s", im.syntax_line, im.header), 0);
		import_free(&im);
		return;
	}
	if (import_run(&who, &r->arena, rs, &im, name, flags, &e) != 0)
		view_derr(r, &e);
	else if (im.n == 0)
		form_page(r, 400, "the file has its header line and no "
		    "endorsee", 0);
	else if ((flags & IMPORT_STORE) && im.bad == 0)
		reply_redirect(r, "/coordinator/import?imported=%d", im.n);
	else
		preview_page(r, (flags & IMPORT_STORE) ? 409 : im.bad > 0 ?
		    400 : 200, &im, text, len, name);
	import_free(&im);
}

void
page_coord_import(struct req *r)
{
	const struct field	*f = req_file(r, "csv");

	if (f == NULL || f->len == 0) {
		form_page(r, 400, "choose the CSV file of endorsees to "
		    "import", 0);
		return;
	}
	import_text(r, f->value, f->len, f->filename != NULL &&
	    *f->filename != '\0' ? f->filename : "upload.csv", 0);
}

void
page_coord_import_confirm(struct req *r)
{
	const char	*b64 = req_form(r, "text"), *d = req_form(r, "digest");
	const char	*name = req_form(r, "name");
	unsigned char	*text;
	size_t		 n, len;
	char		 hex[DIGEST_HEX];

	if (b64 == NULL || d == NULL || name == NULL ||
	    strlen(d) != DIGEST_HEX - 1)
		goto tampered;
	n = strlen(b64);
	text = arena_alloc(&r->arena, n + 1);
	if (sodium_base642bin(text, n + 1, b64, n, NULL, &len, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0)
		goto tampered;
	text[len] = '\0';
	digest(r, name, (const char *)text, len, hex);
	if (sodium_memcmp(hex, d, DIGEST_HEX - 1) != 0)
		goto tampered;
	import_text(r, (const char *)text, len, name, IMPORT_STORE |
	    IMPORT_INVITE);
	return;
tampered:
	form_page(r, 400, "the file to import is not the one previewed in "
	    "this session: upload it again", 0);
}
