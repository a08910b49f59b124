/*
 * `endorse user add --role coordinator|reviewer --association ID [--name
 * NAME] [--config FILE] [--db FILE] [--rules DIR] [--base-url URL] EMAIL`:
 * give an account a coordinator's or a reviewer's role in an association
 * (people_add, dom-people.c: the same function as /coordinator/people).
 * A coordinator's account is made when there is none, without a
 * password: the person is mailed a link to choose one.  Exit 2 with a
 * message naming the field on a bad role, an unknown association or a
 * bad e-mail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "dom-account.h"
#include "dom-people.h"
#include "banned.h"

#define USER_USAGE "usage: endorse user add --role coordinator|reviewer " \
	"--association ID [--name NAME] [--config FILE] [--db FILE] " \
	"[--rules DIR] [--base-url URL] EMAIL\n"

/* Take "--opt VALUE" out of argv into *out (the last one given). */
static int
take(int *argc, char **argv, const char *opt, const char **out)
{
	int	 i;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], opt) != 0)
			continue;
		if (i + 1 >= *argc)
			return -1;
		*out = argv[i + 1];
		memmove(argv + i, argv + i + 2, (size_t)(*argc - i - 1) *
		    sizeof *argv);
		*argc -= 2;
		i--;
	}
	return 0;
}

/* The one argument that is not an option (the e-mail), taken out. */
static const char *
take_email(int *argc, char **argv)
{
	const char	*email = NULL;
	int		 i;

	for (i = 1; i < *argc; i++) {
		if (argv[i][0] == '-') {
			i++;		/* an option's value */
			continue;
		}
		if (email != NULL)
			return NULL;
		email = argv[i];
		memmove(argv + i, argv + i + 1, (size_t)(*argc - i) *
		    sizeof *argv);
		(*argc)--;
		i--;
	}
	return email;
}

static int
user_fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "endorse: user add: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	config_free();
	return EXIT_BAD_INPUT;
}

int
user_main(int argc, char **argv)
{
	const char	*role_s = NULL, *assoc = NULL, *name = NULL, *email;
	struct arena	 a;
	struct derr	 e;
	int		 role, rc, created;

	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		fputs(USER_USAGE, stderr);
		return EXIT_BAD_INPUT;
	}
	argv++;
	argc--;
	if (take(&argc, argv, "--role", &role_s) != 0 ||
	    take(&argc, argv, "--association", &assoc) != 0 ||
	    take(&argc, argv, "--name", &name) != 0 ||
	    (email = take_email(&argc, argv)) == NULL) {
		fputs(USER_USAGE, stderr);
		return EXIT_BAD_INPUT;
	}
	if ((role = people_role_parse(role_s)) < 0)
		return user_fail("--role: '%s' is not coordinator or reviewer",
		    role_s != NULL ? role_s : "");
	if (!account_email_ok(email))
		return user_fail("EMAIL: '%s' is not an e-mail address such "
		    "as name@example.org", email);
	if ((rc = admin_setup(argc, argv)) != 0) {
		fputs(USER_USAGE, stderr);
		config_free();
		return rc;
	}
	if (assoc == NULL || web_rules(assoc) == NULL)
		return user_fail("--association: no rule set for \"%s\"",
		    assoc != NULL ? assoc : "");
	if ((rc = admin_db()) != 0) {
		config_free();
		return rc;
	}
	arena_init(&a);
	rc = people_add(&actor_cli, &a, (enum people_role)role, assoc,
	    web_assoc_name(assoc), email, name, &created, &e);
	if (rc == 0)
		printf("%s is a %s of %s%s; mailed\n", email,
		    people_role_names[role], assoc, created ?
		    " (a new account, without a password)" : "");
	else
		fprintf(stderr, "endorse: user add: %s%s%s\n", e.field != NULL ?
		    "EMAIL: " : "", e.field != NULL && strcmp(e.field,
		    "email") == 0 ? email : "", e.field != NULL ?
		    arena_printf(&a, ": %s", e.message) : e.message);
	arena_free(&a);
	db_shutdown();
	config_free();
	return rc == 0 ? 0 : e.status >= 500 ? 1 : EXIT_BAD_INPUT;
}
