/*
 * The credentials on the command line (vc.h, docs/credentials.md):
 * the signing keys made at setup, `endorse keys rotate` and
 * `endorse verify`, which checks a credential offline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "web.h"
#include "vc.h"
#include "banned.h"

#define VC_FILE_MAX	(4 << 20)	/* bytes of a file verify reads */
#define VC_STATUS_MAX	8

int
vc_keys_setup_all(void)
{
	struct ruleset	**all;
	const char	**ids;
	int		 i, n, rc;

	all = web_rules_all(&n);
	ids = xreallocarray(NULL, (size_t)(n > 0 ? n : 1), sizeof *ids);
	for (i = 0; i < n; i++)
		ids[i] = all[i]->id;
	rc = vc_keys_setup(ids, n);
	free(ids);
	if (rc != 0)
		fprintf(stderr, "endorse: the signing keys could not be made\n");
	fflush(stdout);
	return rc;
}

/* `endorse keys rotate --association ID`: a new key signs from now on. */
int
keys_main(int argc, char **argv)
{
	struct arena	 a;
	const char	*assoc;
	char		*kid;
	int		 rc;

	if (argc < 2 || strcmp(argv[1], "rotate") != 0) {
		fprintf(stderr, "usage: endorse keys rotate --association ID "
		    "[--config FILE] [--db FILE] [--rules DIR]\n");
		return EXIT_BAD_INPUT;
	}
	if ((rc = admin_setup(argc - 1, argv + 1)) != 0 ||
	    (assoc = admin_association()) == NULL ||
	    web_rules(assoc) == NULL || (rc = admin_db()) != 0) {
		if (rc == 0)
			fprintf(stderr, "endorse: keys rotate: --association: "
			    "%s\n", admin_association() == NULL ? "required" :
			    "no rule set has this association");
		fprintf(stderr, "usage: endorse keys rotate --association ID "
		    "[--config FILE] [--db FILE] [--rules DIR]\n");
		db_shutdown();
		config_free();
		return EXIT_BAD_INPUT;
	}
	arena_init(&a);
	rc = sodium_init() < 0 || vc_keys_rotate(&a, assoc, &kid) != 0;
	if (rc == 0)
		printf("%s signs with a new key: %s (the old keys stay "
		    "published for the credentials they signed)\n", assoc, kid);
	else
		fprintf(stderr, "endorse: keys rotate: the key could not be "
		    "stored\n");
	arena_free(&a);
	db_shutdown();
	config_free();
	return rc;
}

static char *
slurp(struct arena *ar, const char *file)
{
	FILE	*f;
	char	*s;
	size_t	 n;

	if ((f = fopen(file, "r")) == NULL)
		return NULL;
	s = arena_alloc(ar, VC_FILE_MAX + 1);
	n = fread(s, 1, VC_FILE_MAX + 1, f);
	fclose(f);
	if (n > VC_FILE_MAX)
		return NULL;
	s[n] = '\0';
	return s;
}

struct statuses {
	const char	*jwt[VC_STATUS_MAX];
	int		 n;
};

/* The status list among the files whose id is url. */
static const char *
file_status(struct arena *ar, const char *url, void *arg)
{
	struct statuses	*s = arg;
	const char	*d1, *d2, *id;
	unsigned char	*p;
	size_t		 len;
	json_t		*o;
	int		 i, same;

	for (i = 0; i < s->n; i++) {
		if ((d1 = strchr(s->jwt[i], '.')) == NULL ||
		    (d2 = strchr(d1 + 1, '.')) == NULL ||
		    (p = vc_unb64url(ar, d1 + 1, (size_t)(d2 - d1 - 1),
		    &len)) == NULL ||
		    (o = json_loadb((const char *)p, len, 0, NULL)) == NULL)
			continue;
		id = json_string_value(json_object_get(o, "id"));
		same = id != NULL && strcmp(id, url) == 0;
		json_decref(o);
		if (same)
			return s->jwt[i];
	}
	return NULL;
}

static int
verify_usage(const char *field, const char *why)
{
	if (field != NULL)
		fprintf(stderr, "endorse: verify: %s: %s\n", field, why);
	fprintf(stderr, "usage: endorse verify FILE --jwks FILE [--status "
	    "FILE]... [--date YYYY-MM-DD]\n");
	return EXIT_BAD_INPUT;
}

/* The options of verify; 0, or EXIT_BAD_INPUT after the message. */
static int
verify_opts(struct arena *a, int argc, char **argv, const char **file,
    const char **jwks, struct statuses *st, int32_t *today)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' && *file == NULL) {
			*file = argv[i];
			continue;
		}
		if (i + 1 >= argc)
			return verify_usage(argv[i], "needs a value");
		if (strcmp(argv[i], "--jwks") == 0)
			*jwks = argv[++i];
		else if (strcmp(argv[i], "--status") == 0 &&
		    st->n < VC_STATUS_MAX) {
			if ((st->jwt[st->n++] = slurp(a, argv[++i])) == NULL)
				return verify_usage("--status", "cannot read "
				    "the file");
		} else if (strcmp(argv[i], "--date") == 0) {
			if (date_parse(argv[++i], today) != 0)
				return verify_usage("--date", "not a date "
				    "(YYYY-MM-DD)");
		} else
			return verify_usage(argv[i], "unknown option");
	}
	if (*file == NULL || *jwks == NULL)
		return verify_usage(*file == NULL ? "FILE" : "--jwks",
		    "required");
	return 0;
}

/* `endorse verify FILE --jwks FILE [--status FILE]... [--date DATE]`:
   0 valid and current, 1 not, 2 bad input. */
int
verify_main(int argc, char **argv)
{
	struct arena	 a;
	struct statuses	 st = { { NULL }, 0 };
	struct vc_check	 v;
	const char	*file = NULL, *jwks_file = NULL, *text;
	json_t		*jwks = NULL;
	int32_t		 today = date_today();
	int		 rc;

	if (sodium_init() < 0)
		return 1;
	arena_init(&a);
	if ((rc = verify_opts(&a, argc, argv, &file, &jwks_file, &st,
	    &today)) != 0)
		goto out;
	if ((text = slurp(&a, file)) == NULL) {
		rc = verify_usage("FILE", "cannot read it");
		goto out;
	}
	if ((jwks = json_load_file(jwks_file, 0, NULL)) == NULL ||
	    !json_is_array(json_object_get(jwks, "keys"))) {
		rc = verify_usage("--jwks", "not a JWKS (a JSON object with "
		    "\"keys\")");
		goto out;
	}
	vc_verify(&a, text, jwks, file_status, &st, today, &v);
	if (!v.input)
		rc = verify_usage("FILE", v.reason);
	else if (v.current)
		printf("valid: signed by %s with key %s; current%s\n",
		    v.issuer != NULL ? v.issuer : "no name", v.kid,
		    v.status_checked ? " (status list "
		    "checked)" : " (status not checked: give --status FILE)");
	else if (v.signature)
		printf("not current: the signature is valid (%s, key %s), but "
		    "%s\n", v.issuer != NULL ? v.issuer : "no name", v.kid,
		    v.reason);
	else
		printf("not valid: %s\n", v.reason);
	if (v.input)
		rc = v.current ? 0 : 1;
out:
	json_decref(jwks);
	arena_free(&a);
	return rc;
}
