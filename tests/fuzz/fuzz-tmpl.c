/*
 * libFuzzer target: the template compiler, then the renderer.
 *
 * The input is split on the byte 0x01 into up to three templates named
 * "a", "b" and "c/d" (a fourth 0x01 and what follows belong to "c/d"), so
 * that static partials ({{>b}}), dynamic ones ({{>*content}}, the view
 * says "b") and recursion ({{>a}}, {{>*self}}) are reached.  When
 * tmpl_load_mem() accepts them, each is rendered with a fixed view (parsed
 * once) that holds every kind of JSON value, nested objects, arrays of
 * mixed elements and strings full of the characters HTML escapes.
 *
 * Checked on every run, abort() on failure:
 *   - escaping: a character of < > " ' that appears in no template text
 *     cannot appear in the output, since every value is escaped;
 *   - a failed render leaves the output buffer as it was;
 *   - tmpl_escape() of the raw input leaves none of those characters.
 * Everything is freed (LeakSanitizer is on).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endorse.h"
#include "tmpl.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NTMPL	3
static const char *const names[NTMPL] = { "a", "b", "c/d" };

static const char view_json[] =
"{\n"
"  \"s\": \"<script>alert('x') & \\\"y\\\"</script>\",\n"
"  \"name\": \"top<\", \"n\": 30, \"zero\": 0, \"neg\": -7,\n"
"  \"r\": 12.5, \"q\": 0.25, \"tiny\": -0.001, \"big\": 1e300,\n"
"  \"t\": true, \"f\": false, \"nil\": null, \"e\": \"\",\n"
"  \"ea\": [], \"eo\": {},\n"
"  \"list\": [\n"
"    { \"name\": \"A<\", \"n\": 1, \"list\": [] },\n"
"    { \"name\": \"B'\", \"sub\": { \"name\": \"C\\\"\", \"t\": false } },\n"
"    \"str>\", 3, 0.5, true, null, [1, [\"<\", 2]]\n"
"  ],\n"
"  \"o\": { \"o\": { \"o\": { \"s\": \"deep&\" } }, \"name\": \"O'\" },\n"
"  \"content\": \"b\", \"self\": \"a\", \"other\": \"c/d\",\n"
"  \"missing\": \"nope\", \"bad\": 5\n"
"}\n";

static json_t	*view;

static void
setup(void)
{
	json_error_t	 e;

	if (view != NULL)
		return;
	if ((view = json_loads(view_json, 0, &e)) == NULL) {
		fprintf(stderr, "fuzz-tmpl: the embedded view does not parse: "
		    "line %d: %s\n", e.line, e.text);
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setup();
	return 0;
}

/* The characters escaping removes, which values can therefore not add. */
static const char special[] = "<>\"'";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tmpl_set	*set;
	struct buf	 out;
	char		*texts[NTMPL], *cause;
	const char	*p, *end, *sep;
	int		 n, i, k, in_text[sizeof special - 1];
	size_t		 len;

	setup();

	/* Escaping alone. */
	buf_init(&out);
	tmpl_escape(&out, (const char *)data, size);
	for (k = 0; special[k] != '\0'; k++) {
		if (out.len > 0 && memchr(out.s, special[k], out.len) != NULL)
			abort();
	}
	buf_free(&out);

	p = (const char *)data;
	end = p + size;
	for (n = 0; n < NTMPL; n++) {
		sep = n + 1 < NTMPL ? memchr(p, 0x01, (size_t)(end - p)) : NULL;
		len = sep == NULL ? (size_t)(end - p) : (size_t)(sep - p);
		texts[n] = xmalloc(len + 1);
		memcpy(texts[n], p, len);
		texts[n][len] = '\0';
		if (sep == NULL) {
			n++;
			break;
		}
		p = sep + 1;
	}
	for (k = 0; special[k] != '\0'; k++) {
		in_text[k] = 0;
		for (i = 0; i < n; i++)
			in_text[k] |= strchr(texts[i], special[k]) != NULL;
	}

	set = tmpl_load_mem(n, names, (const char *const *)texts, &cause);
	if (set == NULL) {
		free(cause);
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (!tmpl_has(set, names[i]))
			abort();
		buf_init(&out);
		buf_add(&out, "P", 1);
		if (tmpl_render(set, names[i], view, &out, &cause) != 0) {
			if (out.len != 1 || strcmp(out.s, "P") != 0)
				abort();	/* left half-rendered */
			free(cause);
		}
		for (k = 0; special[k] != '\0'; k++) {
			if (!in_text[k] &&
			    memchr(out.s, special[k], out.len) != NULL)
				abort();	/* a value went out unescaped */
		}
		buf_free(&out);
	}
	if (tmpl_has(set, "nope"))
		abort();
	tmpl_free(set);
done:
	for (i = 0; i < n; i++)
		free(texts[i]);
	return 0;
}
