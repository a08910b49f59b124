/*
 * Rule files (docs/rules-format.md): one read and parsed, a directory of
 * them with their texts, one by association id; freeing a rule set and
 * finding a category in it.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "banned.h"

#define MAX_RULES_FILE	(4 * 1024 * 1024)


/* A rule file's text into b (NUL-terminated); -1 with *cause. */
int
rules_read(const char *file, struct buf *b, char **cause)
{
	char		 chunk[8192];
	size_t		 n;
	FILE		*f;

	buf_init(b);
	if ((f = fopen(file, "rb")) == NULL) {
		xasprintf(cause, "%s: %s", file, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > MAX_RULES_FILE) {
			fclose(f);
			buf_free(b);
			xasprintf(cause, "%s: larger than 4 MiB", file);
			return -1;
		}
		buf_add(b, chunk, n);
	}
	fclose(f);
	if (b->s == NULL)
		buf_add(b, "", 0);
	return 0;
}

struct ruleset *
rules_load(const char *file, char **cause)
{
	struct ruleset	*rs;
	struct buf	 b;

	if (rules_read(file, &b, cause) != 0)
		return NULL;
	rs = rules_parse(file, b.s, b.len, cause);
	buf_free(&b);
	return rs;
}

static int
by_file(const void *a, const void *b)
{
	const struct rules_file	*x = a, *y = b;

	return strcmp(x->rs->file, y->rs->file);
}

/*
 * Every DIR/NAME.rules, in the order of their names, each with the text
 * it was read from.  One bad file refuses the whole directory (its cause
 * is FILE:LINE: message), as does an association in two files.  An empty
 * directory gives none.
 */
int
rules_load_dir(const char *dir, struct rules_file **out, int *nout,
    char **cause)
{
	struct rules_file	*v = NULL;
	struct dirent		*de;
	struct buf		 b;
	DIR			*d;
	char			*path;
	size_t			 len;
	int			 n = 0, i, j;

	*out = NULL;
	*nout = 0;
	if ((d = opendir(dir)) == NULL) {
		xasprintf(cause, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 7 || strcmp(de->d_name + len - 6, ".rules") != 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (rules_read(path, &b, cause) != 0) {
			free(path);
			goto fail;
		}
		v = xreallocarray(v, (size_t)n + 1, sizeof *v);
		v[n].rs = rules_parse(path, b.s, b.len, cause);
		free(path);
		if (v[n].rs == NULL) {
			buf_free(&b);
			goto fail;
		}
		v[n].text = b.s;
		v[n].len = b.len;
		n++;
	}
	closedir(d);
	d = NULL;
	if (n > 1)
		qsort(v, (size_t)n, sizeof *v, by_file);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(v[i].rs->id, v[j].rs->id) == 0) {
				xasprintf(cause, "%s: association %s is also "
				    "the one of %s", v[i].rs->file,
				    v[i].rs->id, v[j].rs->file);
				goto fail;
			}
	*out = v;
	*nout = n;
	return 0;
fail:
	if (d != NULL)
		closedir(d);
	rules_files_free(v, n);
	return -1;
}

void
rules_files_free(struct rules_file *v, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		rules_free(v[i].rs);
		free(v[i].text);
	}
	free(v);
}

struct ruleset *
rules_load_id(const char *dir, const char *id, char **cause)
{
	struct ruleset	*rs;
	char		*path;
	const char	*s;

	for (s = id; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s)
		    && *s != '-' && *s != '_')
			break;
	if (*id == '\0' || *s != '\0') {
		xasprintf(cause, "'%s' is not an association id", id);
		return NULL;
	}
	xasprintf(&path, "%s/%s.rules", dir, id);
	rs = rules_load(path, cause);
	free(path);
	return rs;
}

void
rules_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	arena_free(&rs->arena);
	free(rs);
}

const struct category *
rules_category(const struct ruleset *rs, const char *code)
{
	int	 i;

	for (i = 0; i < rs->ncats; i++)
		if (strcmp(rs->cats[i].code, code) == 0)
			return &rs->cats[i];
	return NULL;
}
