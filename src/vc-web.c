/*
 * The credentials on the web (vc.h, docs/credentials.md): the VC-JWT of
 * an endorsement, the keys (JWKS, did:web), the status lists, the
 * holder's downloads and /verify for a pasted or uploaded credential.
 */
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "vc.h"
#include "dom-app.h"
#include "banned.h"

#define VC_TEXT_MAX	65536	/* bytes of a pasted credential */

static void
reply_json_file(struct req *r, json_t *o)
{
	char	*s;

	if (o == NULL) {
		view_error(r, 503, "the keys cannot be read just now; try "
		    "again in a moment");
		return;
	}
	s = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
	reply_header(r, "Access-Control-Allow-Origin", "*");
	reply_text(r, 200, "application/json", s, strlen(s));
	free(s);
}

/* GET /api/v1/credentials/NUMBER: anyone, a visible endorsement. */
void
api_credential(struct req *r)
{
	char	*jwt, *assoc;
	int	 rc;

	if ((rc = vc_credential(&r->arena, r->word, 1, &jwt, &assoc)) != 0) {
		reply_error_json(r, rc, NULL, rc == 404 ? "no endorsement "
		    "has this number" : "the credential cannot be signed just "
		    "now; try again in a moment");
		return;
	}
	reply_header(r, "Access-Control-Allow-Origin", "*");
	reply_text(r, 200, "application/vc+jwt", jwt, strlen(jwt));
}

void
page_jwks(struct req *r)
{
	reply_json_file(r, vc_jwks(&r->arena, NULL));
}

void
page_did(struct req *r)
{
	if (web_rules(r->word) == NULL) {
		view_error(r, 404, "there is no such association");
		return;
	}
	reply_json_file(r, vc_did_document(&r->arena, r->word));
}

static void
status_list(struct req *r, const char *purpose)
{
	char	*jwt;

	if (web_rules(r->word) == NULL) {
		view_error(r, 404, "there is no such association");
		return;
	}
	if (vc_status_list(&r->arena, r->word, purpose, &jwt) != 0) {
		view_error(r, 503, "the status list cannot be made just now; "
		    "try again in a moment");
		return;
	}
	reply_header(r, "Access-Control-Allow-Origin", "*");
	reply_header(r, "Cache-Control", "no-cache");
	reply_text(r, 200, "application/vc+jwt", jwt, strlen(jwt));
}

void
page_status_revocation(struct req *r)
{
	status_list(r, "revocation");
}

void
page_status_suspension(struct req *r)
{
	status_list(r, "suspension");
}

/* The holder's (or their coordinator's) credential, or a 404 page. */
static char *
holder_credential(struct req *r)
{
	struct row_endorsement_by_number e;
	char	*jwt, *assoc;

	if (endorsement_read(&r->arena, r->word, &e) != 0 ||
	    (e.account != r->user.id && !(r->user.role == UR_COORDINATOR &&
	    r->user.association != NULL && strcmp(r->user.association,
	    e.association) == 0))) {
		view_error(r, 404, "there is no such endorsement of yours");
		return NULL;
	}
	if (vc_credential(&r->arena, r->word, 0, &jwt, &assoc) != 0) {
		view_error(r, 503, "the credential cannot be signed just now; "
		    "try again in a moment");
		return NULL;
	}
	return jwt;
}

void
page_credential_jwt(struct req *r)
{
	char	*jwt;

	if ((jwt = holder_credential(r)) == NULL)
		return;
	reply_header(r, "Content-Disposition", arena_printf(&r->arena,
	    "attachment; filename=\"endorsement-%s.jwt\"", r->word));
	reply_text(r, 200, "application/vc+jwt", jwt, strlen(jwt));
}

/* The credential as a VC 2.0 EnvelopedVerifiableCredential (§4.13): the
   JSON a wallet imports, the signed JWT inside it. */
void
page_credential_json(struct req *r)
{
	char	*jwt, *s;
	json_t	*o;

	if ((jwt = holder_credential(r)) == NULL)
		return;
	o = json_pack("{s:[s],s:s,s:s}", "@context",
	    "https://www.w3.org/ns/credentials/v2", "id",
	    arena_printf(&r->arena, "data:application/vc+jwt,%s", jwt), "type",
	    "EnvelopedVerifiableCredential");
	s = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
	reply_header(r, "Content-Disposition", arena_printf(&r->arena,
	    "attachment; filename=\"endorsement-%s.json\"", r->word));
	reply_text(r, 200, "application/json", s, strlen(s));
	free(s);
}

/* The status list at url, when it is one of this server's. */
static const char *
own_status(struct arena *ar, const char *url, void *arg)
{
	const char	*const purposes[] = VC_PURPOSES;
	const char	*p;
	char		*assoc, *jwt;
	size_t		 i, n = strlen(cfg.base_url);

	(void)arg;
	if (strncmp(url, cfg.base_url, n) != 0 || strncmp(url + n,
	    "/associations/", 14) != 0)
		return NULL;
	assoc = arena_strdup(ar, url + n + 14);
	if ((p = strchr(assoc, '/')) == NULL)
		return NULL;
	assoc[p - assoc] = '\0';
	for (i = 0; i < sizeof purposes / sizeof *purposes; i++)
		if (strcmp(p + 1, arena_printf(ar, "status/%s.jwt",
		    purposes[i])) == 0 && web_rules(assoc) != NULL &&
		    vc_status_list(ar, assoc, purposes[i], &jwt) == 0)
			return jwt;
	return NULL;
}

/* POST /verify: a pasted credential, or an uploaded .jwt or .json. */
void
page_verify_credential(struct req *r)
{
	const struct field *f = req_file(r, "file");
	const char	*text = req_form(r, "credential");
	struct vc_check	 v;
	json_t		*jwks, *o;

	if ((text == NULL || text[strspn(text, " \t\r\n")] == '\0') &&
	    f != NULL && f->len > 0)
		text = arena_printf(&r->arena, "%.*s", (int)f->len,
		    f->data.s);
	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0') {
		verify_credential_page(r, 400, "", "paste a credential, or "
		    "choose its file", NULL);
		return;
	}
	if (strlen(text) > VC_TEXT_MAX) {
		verify_credential_page(r, 400, "", "a credential is at most "
		    "64 KB of text", NULL);
		return;
	}
	if ((jwks = vc_jwks(&r->arena, NULL)) == NULL) {
		view_error(r, 503, "the keys cannot be read just now; try "
		    "again in a moment");
		return;
	}
	vc_verify(&r->arena, text, jwks, own_status, NULL, web_today(), &v);
	json_decref(jwks);
	if (!v.input) {
		verify_credential_page(r, 400, text, v.reason, NULL);
		return;
	}
	o = json_pack("{s:b,s:b,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:b}",
	    "signature", v.signature, "current", v.current, "reason",
	    v.reason, "issuer", v.issuer, "kid", v.kid, "subject", v.subject,
	    "achievement", v.achievement, "valid_from", v.valid_from,
	    "valid_until", v.valid_until, "status_checked", v.status_checked);
	verify_credential_page(r, 200, text, NULL, o);
}
