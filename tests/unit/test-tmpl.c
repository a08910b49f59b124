#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "endorse.h"
#include "tmpl.h"
#include "unit.h"

void test_tmpl_escape(void);
void test_tmpl_escape_attributes(void);
void test_tmpl_no_raw(void);
void test_tmpl_lookup(void);
void test_tmpl_truthiness(void);
void test_tmpl_sections(void);
void test_tmpl_index(void);
void test_tmpl_partials(void);
void test_tmpl_render_errors(void);
void test_tmpl_depth(void);
void test_tmpl_parse_errors(void);
void test_tmpl_load_errors(void);
void test_tmpl_numbers(void);
void test_tmpl_reals_as_printf(void);
void test_tmpl_whitespace_comments(void);
void test_tmpl_limits(void);
void test_tmpl_load_dir(void);

/*
 * Load the templates, render one with the view (JSON text) and return the
 * output, or "PARSE cause" / "RENDER cause".  The string lives until the
 * next call.
 */
static const char *
render_set(int n, const char *const *names, const char *const *texts,
    const char *name, const char *view)
{
	static char	*last;
	struct tmpl_set	*set;
	json_t		*v = NULL;
	json_error_t	 e;
	struct buf	 b;
	char		*cause;

	free(last);
	last = NULL;
	if (view != NULL &&
	    (v = json_loads(view, JSON_DECODE_ANY, &e)) == NULL) {
		xasprintf(&last, "VIEW %s", e.text);
		return last;
	}
	if ((set = tmpl_load_mem(n, names, texts, &cause)) == NULL) {
		xasprintf(&last, "PARSE %s", cause);
		free(cause);
		json_decref(v);
		return last;
	}
	buf_init(&b);
	if (tmpl_render(set, name, v, &b, &cause) != 0) {
		xasprintf(&last, "RENDER %s", cause);
		free(cause);
	} else
		last = xstrdup(b.s == NULL ? "" : b.s);
	buf_free(&b);
	tmpl_free(set);
	json_decref(v);
	return last;
}

static const char *
render1(const char *text, const char *view)
{
	const char	*names[] = { "t" };
	const char	*texts[] = { text };

	return render_set(1, names, texts, "t", view);
}

static const char *
escaped(const char *s, size_t n)
{
	static struct buf	 b;

	buf_free(&b);
	tmpl_escape(&b, s, n);
	return b.s == NULL ? "" : b.s;
}

void
test_tmpl_escape(void)
{
	CHECK_STR(escaped("&", 1), "&amp;");
	CHECK_STR(escaped("<", 1), "&lt;");
	CHECK_STR(escaped(">", 1), "&gt;");
	CHECK_STR(escaped("\"", 1), "&quot;");
	CHECK_STR(escaped("'", 1), "&#39;");
	CHECK_STR(escaped("", 0), "");
	CHECK_STR(escaped("plain text", 10), "plain text");
	CHECK_STR(escaped("a<b>&c\"d'e", 10),
	    "a&lt;b&gt;&amp;c&quot;d&#39;e");
	CHECK_STR(escaped("&amp;", 5), "&amp;amp;");	/* not idempotent */
	CHECK_STR(escaped("<<", 1), "&lt;");		/* the length counts */
	CHECK_STR(escaped("\xc3\xa9t\xc3\xa9", 6), "\xc3\xa9t\xc3\xa9");

	/* Through a template: every value, wherever it comes from. */
	CHECK_STR(render1("{{s}}", "{\"s\": \"<script>alert('x&y')</script>\"}"),
	    "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;");
	CHECK_STR(render1("{{#xs}}{{.}}{{/xs}}", "{\"xs\": [\"<\", \">\"]}"),
	    "&lt;&gt;");
	CHECK_STR(render1("{{a.b}}", "{\"a\": {\"b\": \"\\\"'\"}}"),
	    "&quot;&#39;");
	CHECK_STR(render1("{{.}}", "\"<&>\""), "&lt;&amp;&gt;");
	/* The template's own text is HTML, written as is. */
	CHECK_STR(render1("<b>&amp;</b>{{s}}", "{\"s\": \"<b>\"}"),
	    "<b>&amp;</b>&lt;b&gt;");
}

void
test_tmpl_escape_attributes(void)
{
	CHECK_STR(render1("<a title=\"{{t}}\">",
	    "{\"t\": \"\\\" onclick=\\\"evil()\"}"),
	    "<a title=\"&quot; onclick=&quot;evil()\">");
	CHECK_STR(render1("<a title='{{t}}'>", "{\"t\": \"' onmouseover='x\"}"),
	    "<a title='&#39; onmouseover=&#39;x'>");
	CHECK_STR(render1("<input value=\"{{v}}\">",
	    "{\"v\": \"\\\"><script>\"}"),
	    "<input value=\"&quot;&gt;&lt;script&gt;\">");
	CHECK_STR(render1("<a href=\"/x?a={{a}}&amp;b=1\">",
	    "{\"a\": \"1&b=2\"}"), "<a href=\"/x?a=1&amp;b=2&amp;b=1\">");
}

void
test_tmpl_no_raw(void)
{
	const char	*v = "{\"x\": \"<b>\"}";

	CHECK_STR(render1("{{{x}}}", v), "PARSE t:1: raw output is not allowed");
	CHECK_STR(render1("a\n{{&x}}", v),
	    "PARSE t:2: raw output is not allowed");
	CHECK_STR(render1("{{ & x }}", v),
	    "PARSE t:1: raw output is not allowed");
	CHECK_STR(render1("{{ {x} }}", v),
	    "PARSE t:1: raw output is not allowed");
	CHECK_STR(render1("{{#x}}\n\n{{{x}}}{{/x}}", v),
	    "PARSE t:3: raw output is not allowed");
	CHECK_STR(render1("{{{", v), "PARSE t:1: raw output is not allowed");
	/* What is allowed escapes. */
	CHECK_STR(render1("{{x}}|{{ x }}|{{#x}}{{x}}{{/x}}", v),
	    "&lt;b&gt;|&lt;b&gt;|&lt;b&gt;");
	/* A brace next to a tag is text, not a third brace. */
	CHECK_STR(render1("{ {{x}} }", v), "{ &lt;b&gt; }");
	CHECK_STR(render1("{{x}}}", v), "&lt;b&gt;}");
}

void
test_tmpl_lookup(void)
{
	const char	*v = "{\"name\": \"outer\", \"a\": {\"b\": {\"c\": \"deep\"},"
	    " \"name\": \"a\"}, \"list\": [{\"name\": \"inner\"}, {\"x\": 1}],"
	    " \"o\": {\"name\": null}, \"s\": \"str\"}";

	CHECK_STR(render1("{{name}}", v), "outer");
	CHECK_STR(render1("{{a.b.c}}", v), "deep");
	CHECK_STR(render1("{{a.name}}", v), "a");
	CHECK_STR(render1("[{{missing}}][{{a.missing}}][{{a.b.c.d}}]", v),
	    "[][][]");
	/* From the innermost context outwards. */
	CHECK_STR(render1("{{#list}}{{name}},{{/list}}", v), "inner,outer,");
	CHECK_STR(render1("{{#a}}{{name}} {{b.c}}{{/a}}", v), "a deep");
	CHECK_STR(render1("{{#a}}{{#b}}{{c}} {{name}}{{/b}}{{/a}}", v),
	    "deep a");
	CHECK_STR(render1("{{#list}}{{#a}}{{b.c}}{{/a}}{{/list}}", v),
	    "deepdeep");
	/* The first segment decides: no search outwards for the rest. */
	CHECK_STR(render1("{{#a}}[{{b.name}}]{{/a}}", v), "[]");
	/* A key held with null hides the outer one. */
	CHECK_STR(render1("{{#o}}[{{name}}]{{/o}}", v), "[]");
	/* Through a string: nothing. */
	CHECK_STR(render1("[{{s.length}}]", v), "[]");
	/* "." is the innermost context. */
	CHECK_STR(render1("{{#a}}{{#b}}[{{.}}]{{/b}}{{/a}}", v), "[]");
	CHECK_STR(render1("{{#list}}{{#x}}{{.}}{{/x}}{{/list}}", v), "");
	CHECK_STR(render1("{{.}}", "42"), "42");
	CHECK_STR(render1("[{{x}}]", "[1]"), "[]");
	CHECK_STR(render1("[{{x}}]", NULL), "[]");
}

/* Whether {{#v}} and {{^v}} render, for every kind of value. */
void
test_tmpl_truthiness(void)
{
	static const struct {
		const char	*v;
		int		 renders;
	} cases[] = {
		{ "[1]", 1 }, { "[]", 0 }, { "{}", 1 }, { "{\"k\": 0}", 1 },
		{ "true", 1 }, { "false", 0 }, { "null", 0 }, { "5", 1 },
		{ "-1", 1 }, { "0", 0 }, { "0.5", 1 }, { "0.0", 0 },
		{ "\"x\"", 1 }, { "\"\"", 0 }, { "\"0\"", 1 },
	};
	char		 view[64];
	size_t		 i;
	int		 failed;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		failed = unit_failed;
		unit_failed = 0;
		snprintf(view, sizeof view, "{\"v\": %s}", cases[i].v);
		CHECK_STR(render1("{{#v}}yes{{/v}}", view),
		    cases[i].renders ? "yes" : "");
		CHECK_STR(render1("{{^v}}no{{/v}}", view),
		    cases[i].renders ? "" : "no");
		if (unit_failed)
			printf("#   value %s\n", cases[i].v);
		unit_failed |= failed;
	}
	CHECK_STR(render1("{{#v}}yes{{/v}}{{^v}}no{{/v}}", "{}"), "no");
}

void
test_tmpl_sections(void)
{
	/* Arrays: once per element, the element pushed. */
	CHECK_STR(render1("{{#xs}}<{{.}}>{{/xs}}", "{\"xs\": [\"a\", 2, true]}"),
	    "<a><2><true>");
	CHECK_STR(render1("{{#xs}}{{n}};{{/xs}}",
	    "{\"xs\": [{\"n\": 1}, {\"n\": 2}]}"), "1;2;");
	CHECK_STR(render1("{{#m}}({{#.}}{{.}}{{/.}}){{/m}}",
	    "{\"m\": [[1, 2], [], [3]]}"), "(12)()(3)");
	/* Objects: once, pushed. */
	CHECK_STR(render1("{{#u}}{{name}} <{{mail}}>{{/u}}",
	    "{\"u\": {\"name\": \"Ann\", \"mail\": \"a@x\"}}"), "Ann <a@x>");
	/* Scalars: once, the context unchanged. */
	CHECK_STR(render1("{{#s}}[{{s}}|{{t}}]{{/s}}",
	    "{\"s\": \"str\", \"t\": \"top\"}"), "[str|top]");
	CHECK_STR(render1("{{#n}}{{n}} items{{/n}}", "{\"n\": 3}"), "3 items");
	CHECK_STR(render1("{{#b}}{{.}}{{/b}}", "{\"b\": true}"), "");
	/* Dotted names and nesting. */
	CHECK_STR(render1("{{#a.b}}{{c}}{{/a.b}}",
	    "{\"a\": {\"b\": {\"c\": \"C\"}}}"), "C");
	CHECK_STR(render1("{{#a}}{{#b}}{{^c}}none{{/c}}{{/b}}{{/a}}",
	    "{\"a\": {\"b\": [1, 2]}}"), "nonenone");
	/* Inverted: no context is pushed, the block is rendered once. */
	CHECK_STR(render1("{{^xs}}empty {{t}}{{/xs}}",
	    "{\"xs\": [], \"t\": \"list\"}"), "empty list");
	CHECK_STR(render1("{{#xs}}{{.}}{{/xs}}{{^xs}}none{{/xs}}",
	    "{\"xs\": [1]}"), "1");
}

void
test_tmpl_index(void)
{
	const char	*v = "{\"xs\": [\"a\", \"b\", \"c\"], \"one\": [\"z\"],"
	    " \"m\": [[1, 2], [3]], \"os\": [{\"o\": {\"k\": \"K\"}},"
	    " {\"o\": {\"k\": \"L\"}}]}";
	const char	*names[] = { "t", "item" };
	const char	*texts[] = { "{{#xs}}{{>item}}{{/xs}}",
	    "{{@index}}{{#@first}}F{{/@first}}{{#@last}}L{{/@last}}" };

	CHECK_STR(render1("{{#xs}}{{@index}}:{{.}}{{^@last}}, {{/@last}}"
	    "{{/xs}}", v), "0:a, 1:b, 2:c");
	CHECK_STR(render1("{{#xs}}{{#@first}}[{{/@first}}{{.}}"
	    "{{#@last}}]{{/@last}}{{/xs}}", v), "[abc]");
	CHECK_STR(render1("{{#xs}}{{@first}},{{@last}};{{/xs}}", v),
	    "true,;,;,true;");
	CHECK_STR(render1("{{#one}}{{#@first}}F{{/@first}}{{#@last}}L"
	    "{{/@last}}{{@index}}{{/one}}", v), "FL0");
	CHECK_STR(render1("{{#xs}}{{#@index}}+{{/@index}}{{.}}{{/xs}}", v),
	    "a+b+c");
	/* Nested arrays: the innermost one. */
	CHECK_STR(render1("{{#m}}{{#.}}{{@index}}{{/.}}|{{@index}} {{/m}}", v),
	    "01|0 0|1 ");
	/* An object section inside an array still sees the array's. */
	CHECK_STR(render1("{{#os}}{{#o}}{{@index}}{{k}}{{/o}}{{/os}}", v),
	    "0K1L");
	/* Outside any array: no index, not first, not last. */
	CHECK_STR(render1("[{{@index}}{{@first}}{{#@first}}F{{/@first}}"
	    "{{#@last}}L{{/@last}}{{^@first}}nf{{/@first}}]", v), "[nf]");
	/* Partials see the loop. */
	CHECK_STR(render_set(2, names, texts, "t", v), "0F12L");
}

void
test_tmpl_partials(void)
{
	const char	*names[] = { "layout", "apply/tab", "card", "t" };
	const char	*texts[] = {
		"<main>{{>*content}}</main>",
		"<h1>{{title}}</h1>{{#users}}{{>card}}{{/users}}",
		"<p>{{name}} ({{title}})</p>",
		"{{> card }}|{{#u}}{{>card}}{{/u}}",
	};
	const char	*dn[] = { "list", "a", "b" };
	const char	*dt[] = { "{{#xs}}{{>*kind}}{{/xs}}", "A{{n}}", "B{{n}}" };
	const char	*v = "{\"content\": \"apply/tab\", \"title\": \"T<\","
	    " \"users\": [{\"name\": \"A\"}, {\"name\": \"B\","
	    " \"title\": \"own\"}], \"u\": {\"name\": \"U\"}, \"name\": \"N\"}";

	CHECK_STR(render_set(4, names, texts, "layout", v),
	    "<main><h1>T&lt;</h1><p>A (T&lt;)</p><p>B (own)</p></main>");
	CHECK_STR(render_set(4, names, texts, "apply/tab", v),
	    "<h1>T&lt;</h1><p>A (T&lt;)</p><p>B (own)</p>");
	CHECK_STR(render_set(4, names, texts, "t", v),
	    "<p>N (T&lt;)</p>|<p>U (T&lt;)</p>");
	CHECK_STR(render_set(4, names, texts, "layout",
	    "{\"content\": \"card\", \"name\": \"N\"}"), "<main><p>N ()</p></main>");
	/* A dynamic partial's name is looked up like any value. */
	CHECK_STR(render_set(3, dn, dt, "list", "{\"kind\": \"a\", \"xs\": "
	    "[{\"n\": 1}, {\"n\": 2, \"kind\": \"b\"}, {\"n\": 3}]}"), "A1B2A3");
}

void
test_tmpl_render_errors(void)
{
	const char	*names[] = { "layout", "p", "t" };
	const char	*texts[] = { "a\n{{>*content}}", "x\n\n{{>nope}}",
	    "{{#a}}{{>p}}{{/a}}" };
	struct tmpl_set	*set;
	struct buf	 b;
	char		*cause;
	json_t		*v;

	CHECK_STR(render_set(3, names, texts, "layout", "{\"content\": \"zz\"}"),
	    "RENDER layout:2: {{>*content}}: no template \"zz\"");
	CHECK_STR(render_set(3, names, texts, "layout", "{\"content\": 3}"),
	    "RENDER layout:2: {{>*content}}: the value is not a string");
	CHECK_STR(render_set(3, names, texts, "layout", "{}"),
	    "RENDER layout:2: {{>*content}}: the value is not a string");
	CHECK_STR(render_set(3, names, texts, "layout", "{\"content\": \"p\"}"),
	    "RENDER p:3: no template \"nope\"");
	CHECK_STR(render_set(3, names, texts, "missing", "{}"),
	    "RENDER no template \"missing\"");
	/* A missing partial is an error only when rendered. */
	CHECK_STR(render_set(3, names, texts, "t", "{}"), "");
	CHECK_STR(render_set(3, names, texts, "t", "{\"a\": 1}"),
	    "RENDER p:3: no template \"nope\"");

	/* On error the output is left as it was; on success appended. */
	set = tmpl_load_mem(3, names, texts, &cause);
	CHECK(set != NULL);
	if (set == NULL) {
		printf("#   %s\n", cause);
		free(cause);
		return;
	}
	CHECK(tmpl_has(set, "layout") && tmpl_has(set, "p") &&
	    tmpl_has(set, "t"));
	CHECK(!tmpl_has(set, "nope") && !tmpl_has(set, "") &&
	    !tmpl_has(set, "lay"));
	v = json_pack("{s:s}", "content", "p");
	buf_init(&b);
	buf_puts(&b, "keep");
	CHECK(tmpl_render(set, "layout", v, &b, &cause) == -1);
	CHECK_STR(b.s, "keep");
	CHECK(b.len == 4);
	free(cause);
	json_object_set_new(v, "content", json_string("t"));
	CHECK(tmpl_render(set, "layout", v, &b, &cause) == 0);
	CHECK_STR(b.s, "keepa\n");
	buf_free(&b);
	json_decref(v);
	tmpl_free(set);
	tmpl_free(NULL);
}

void
test_tmpl_depth(void)
{
	const char	*names[] = { "loop", "a", "b" };
	const char	*texts[] = { "x{{>loop}}", "{{#v}}{{>b}}{{/v}}",
	    "\n{{>a}}" };
	char		*cn[40], *ct[40];
	const char	*r;
	int		 i, k;

	CHECK_STR(render_set(3, names, texts, "loop", "{}"),
	    "RENDER loop:1: partials nested deeper than 32");
	CHECK_STR(render_set(3, names, texts, "a", "{\"v\": [1]}"),
	    "RENDER a:1: partials nested deeper than 32");
	CHECK_STR(render_set(3, names, texts, "a", "{\"v\": []}"), "");

	/* A chain p0 -> p1 -> ... -> pK: 32 levels of partials, not 33. */
	for (k = 32; k <= 33; k++) {
		for (i = 0; i <= k; i++) {
			xasprintf(&cn[i], "p%d", i);
			if (i < k)
				xasprintf(&ct[i], "%d{{>p%d}}", i % 10, i + 1);
			else
				ct[i] = xstrdup("end");
		}
		r = render_set(k + 1, (const char *const *)cn,
		    (const char *const *)ct, "p0", "{}");
		if (k == 32)
			CHECK_STR(r, "0123456789012345678901234567890"
			    "1end");
		else
			CHECK_STR(r, "RENDER p32:1: partials nested deeper "
			    "than 32");
		for (i = 0; i <= k; i++) {
			free(cn[i]);
			free(ct[i]);
		}
	}
}

void
test_tmpl_parse_errors(void)
{
	static const struct {
		const char	*text;
		const char	*cause;
	} bad[] = {
		{ "a\n{{x", "t:2: unterminated tag" },
		{ "a\n{{x}", "t:2: unterminated tag" },
		{ "{{", "t:1: unterminated tag" },
		{ "{{! never closed\n}", "t:1: unterminated tag" },
		{ "{{{x}}}", "t:1: raw output is not allowed" },
		{ "\n\n{{&x}}", "t:3: raw output is not allowed" },
		{ "{{}}", "t:1: empty name" },
		{ "\n{{ \t }}", "t:2: empty name" },
		{ "{{#}}{{/}}", "t:1: empty name" },
		{ "{{^ }}", "t:1: empty name" },
		{ "{{#a}}{{/ }}", "t:1: empty name" },
		{ "{{>}}", "t:1: empty name" },
		{ "{{> * }}", "t:1: empty name" },
		{ "{{#a}}\n{{/b}}", "t:2: {{/b}} does not close {{#a}} of line 1" },
		{ "{{^a}}\n{{#b}}\n{{/a}}{{/b}}",
		    "t:3: {{/a}} does not close {{#b}} of line 2" },
		{ "{{#a.b}}{{/a}}", "t:1: {{/a}} does not close {{#a.b}} of line 1" },
		{ "x\n{{#a}}\n{{#b}}\n{{/b}}\n", "t:2: {{#a}} is not closed" },
		{ "{{^a}}", "t:1: {{^a}} is not closed" },
		{ "{{#a}}{{/a}}\n{{/a}}", "t:2: {{/a}} closes no section" },
		{ "{{a b}}", "t:1: bad name \"a b\"" },
		{ "{{a..b}}", "t:1: bad name \"a..b\"" },
		{ "{{.a}}", "t:1: bad name \".a\"" },
		{ "{{a.}}", "t:1: bad name \"a.\"" },
		{ "{{#a<}}{{/a<}}", "t:1: bad name \"a<\"" },
		{ "{{@foo}}", "t:1: unknown name \"@foo\" (@index, @first and "
		    "@last are known)" },
		{ "{{a.@index}}", "t:1: bad name \"a.@index\"" },
		{ "{{>a b}}", "t:1: bad partial name \"a b\"" },
		{ "{{>*@index}}", "t:1: bad name \"@index\"" },
		{ "{{>*a b}}", "t:1: bad name \"a b\"" },
		{ "{{=<% %>=}}", "t:1: changing the delimiters is not supported" },
		/* Lines are counted through comments and tags. */
		{ "{{! a\nb\nc }}\n{{x", "t:4: unterminated tag" },
		{ "{{\nx\n}}{{/y}}", "t:3: {{/y}} closes no section" },
		{ "{{#a\n}}{{/a}}\n{{/b}}", "t:3: {{/b}} closes no section" },
		{ "\r\n\r\n{{}}", "t:3: empty name" },
	};
	struct buf	 b;
	size_t		 i;
	int		 k;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char	*r = render1(bad[i].text, "{}");

		if (strncmp(r, "PARSE ", 6) != 0) {
			printf("#   accepted case %zu: %s\n", i, bad[i].text);
			unit_failed = 1;
			continue;
		}
		CHECK_STR(r + 6, bad[i].cause);
	}

	/* 64 nested sections are fine, 65 are not. */
	for (k = 64; k <= 65; k++) {
		buf_init(&b);
		for (i = 0; i < (size_t)k; i++)
			buf_puts(&b, "{{#a}}\n");
		for (i = 0; i < (size_t)k; i++)
			buf_puts(&b, "{{/a}}");
		if (k == 64)
			CHECK_STR(render1(b.s, "{\"a\": true}"),
			    "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
			    "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
			    "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"
			    "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n");
		else
			CHECK_STR(render1(b.s, "{}"),
			    "PARSE t:65: sections nested deeper than 64");
		buf_free(&b);
	}
}

void
test_tmpl_load_errors(void)
{
	const char	*names[] = { "ok", "bad/one", "ok" };
	const char	*texts[] = { "{{x}}", "\n{{#x}}", "again" };
	const char	*nonames[] = { "" };
	struct tmpl_set	*set;
	char		*cause;

	/* The first bad template is reported, by its name. */
	CHECK_STR(render_set(2, names, texts, "ok", "{}"),
	    "PARSE bad/one:2: {{#x}} is not closed");
	texts[1] = "fine";
	CHECK_STR(render_set(3, names, texts, "ok", "{}"),
	    "PARSE ok: template \"ok\" is given twice");
	CHECK_STR(render_set(1, nonames, texts, "", "{}"),
	    "PARSE template 0 has no name or no text");
	/* No templates at all is a set, an empty one. */
	set = tmpl_load_mem(0, names, texts, &cause);
	CHECK(set != NULL && !tmpl_has(set, "ok"));
	tmpl_free(set);
}

void
test_tmpl_numbers(void)
{
	static const struct {
		const char	*v;
		const char	*out;
	} cases[] = {
		{ "30", "30" }, { "-7", "-7" }, { "0", "0" },
		{ "9007199254740993", "9007199254740993" },
		{ "-9223372036854775808", "-9223372036854775808" },
		{ "30.0", "30" }, { "12.5", "12.5" }, { "0.25", "0.25" },
		{ "100.10", "100.1" }, { "2.999", "3" }, { "0.004", "0" },
		{ "-0.001", "0" }, { "-1.5", "-1.5" }, { "0.0", "0" },
		{ "1e20", "100000000000000000000" }, { "7.25e2", "725" },
		{ "true", "true" }, { "false", "" }, { "null", "" },
		{ "{\"a\": 1}", "" }, { "[1, 2]", "" }, { "\"30.50\"", "30.50" },
	};
	char		 view[64];
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(view, sizeof view, "{\"v\": %s}", cases[i].v);
		CHECK_STR(render1("{{v}}", view), cases[i].out);
	}
	CHECK_STR(render1("{{.}}", "12.5"), "12.5");
	CHECK_STR(render1("{{#xs}}{{.}} {{/xs}}", "{\"xs\": [1, 1.5, 0.75]}"),
	    "1 1.5 0.75 ");
}

/* The reference: "%.2f", trailing zeros and dot stripped, "-0" as "0". */
static void
real_reference(struct buf *b, double d)
{
	char	 s[512];
	int	 n;

	n = snprintf(s, sizeof s, "%.2f", d);
	while (s[n - 1] == '0')
		n--;
	if (s[n - 1] == '.')
		n--;
	if (n == 2 && s[0] == '-' && s[1] == '0')
		n = 1, s[0] = '0';
	buf_add(b, s, (size_t)n);
	buf_add(b, " ", 1);
}

/* The engine formats reals by hand; it must agree with snprintf. */
void
test_tmpl_reals_as_printf(void)
{
	const char	*names[] = { "t" };
	const char	*texts[] = { "{{#xs}}{{.}} {{/xs}}" };
	static const double edges[] = { 0.125, 0.375, 1.005, 2.675, 1.115,
	    0.285, 1e-300, -1e-300, 0.005, -0.005, 0.015, 999999999.995,
	    999999999.994, 1e9, 1e9 - 0.005, 1e9 + 0.5, 123456789.125,
	    4503599627370495.5, 1e15, 1e300, -1e300, 1.7976931348623157e308,
	    0.0, -0.0, 99.995, 99.994999, 99.9950001 };
	struct tmpl_set	*set;
	struct buf	 want, got;
	json_t		*xs, *v;
	char		*cause;
	double		 d;
	unsigned long	 x = 12345;
	int		 i;

	xs = json_array();
	buf_init(&want);
	for (i = 0; i < (int)(sizeof edges / sizeof edges[0]); i++) {
		json_array_append_new(xs, json_real(edges[i]));
		real_reference(&want, edges[i]);
	}
	for (i = -30000; i <= 30000; i++) {	/* every thousandth */
		d = i / 1000.0;
		json_array_append_new(xs, json_real(d));
		real_reference(&want, d);
	}
	for (i = 0; i < 30000; i++) {		/* spread over magnitudes */
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		d = (double)(x >> 11) / (double)(1ul << 53);
		d = ldexp(d, (int)(x % 48) - 12) * (x & 1 ? -1 : 1);
		json_array_append_new(xs, json_real(d));
		real_reference(&want, d);
	}
	v = json_pack("{s:o}", "xs", xs);
	set = tmpl_load_mem(1, names, texts, &cause);
	CHECK(set != NULL);
	buf_init(&got);
	CHECK(set != NULL && tmpl_render(set, "t", v, &got, &cause) == 0);
	CHECK(got.len == want.len);
	CHECK(got.s != NULL && memcmp(got.s, want.s, want.len) == 0);
	if (got.s != NULL && (got.len != want.len ||
	    memcmp(got.s, want.s, want.len) != 0)) {
		size_t	 k, start = 0;

		for (k = 0; k < got.len && k < want.len &&
		    got.s[k] == want.s[k]; k++)
			if (got.s[k] == ' ')
				start = k + 1;
		printf("#   first difference: got \"%.24s\" want \"%.24s\"\n",
		    got.s + start, want.s + start);
	}
	buf_free(&got);
	buf_free(&want);
	json_decref(v);
	tmpl_free(set);
}

void
test_tmpl_whitespace_comments(void)
{
	const char	*names[] = { "t", "p/q" };
	const char	*texts[] = {
		"{{ name }}|{{\tname\n}}|{{# xs }}{{ . }}{{/ xs }}|"
		"{{^ no }}-{{/ no }}|{{ > p/q }}|{{>* which }}|{{ ! note }}",
		"Q",
	};

	CHECK_STR(render_set(2, names, texts, "t",
	    "{\"name\": \"n\", \"xs\": [1, 2], \"which\": \"p/q\"}"),
	    "n|n|12|-|Q|Q|");
	CHECK_STR(render1("a{{! hidden <script> {{x}}b", "{\"x\": 1}"), "ab");
	CHECK_STR(render1("a{{!\nline\n}}b", "{}"), "ab");
	CHECK_STR(render1("  {{#a}}\n  x\n  {{/a}}\n", "{\"a\": 1}"),
	    "  \n  x\n  \n");
	CHECK_STR(render1("", "{}"), "");
	CHECK_STR(render1("no tags } { here", "{}"), "no tags } { here");
}

void
test_tmpl_limits(void)
{
	const char	*names[] = { "t", "big" };
	const char	*texts[] = { "{{#a}}{{#a}}{{>big}}{{/a}}{{/a}}", NULL };
	char		*big;
	json_t		*v;
	const char	*r;
	struct buf	 b;
	size_t		 i;

	/* 64 KiB of text, 300 times: more than 16 MiB of output. */
	big = xmalloc(65537);
	memset(big, 'x', 65536);
	big[65536] = '\0';
	texts[1] = big;
	buf_init(&b);
	buf_puts(&b, "{\"a\": [");
	for (i = 0; i < 20; i++)
		buf_printf(&b, "%s%zu", i > 0 ? ", " : "", i);
	buf_puts(&b, "]}");
	r = render_set(2, names, texts, "t", b.s);
	CHECK_STR(r, "RENDER big:1: output larger than 16 MiB");
	free(big);
	texts[1] = "";
	CHECK_STR(render_set(2, names, texts, "t", b.s), "");
	buf_free(&b);

	/* Loops in loops, with no output: 200^4 steps stop. */
	v = json_array();
	for (i = 0; i < 200; i++)
		json_array_append_new(v, json_false());
	v = json_pack("{s:o}", "a", v);
	big = json_dumps(v, 0);
	r = render1("{{#a}}{{#a}}{{#a}}{{#a}}{{.}}{{/a}}{{/a}}{{/a}}{{/a}}",
	    big);
	CHECK_STR(r, "RENDER t:1: more than 16777216 steps: a runaway loop?");
	free(big);
	json_decref(v);
}

static void
write_file(const char *dir, const char *rel, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", dir, rel);
	if ((f = fopen(path, "w")) == NULL) {
		printf("#   cannot write %s\n", path);
		unit_failed = 1;
	} else {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

static void
remove_file(const char *dir, const char *rel)
{
	char	*path;

	xasprintf(&path, "%s/%s", dir, rel);
	if (remove(path) != 0) {
		printf("#   cannot remove %s\n", path);
		unit_failed = 1;
	}
	free(path);
}

void
test_tmpl_load_dir(void)
{
	char		 dir[] = "/tmp/test-tmpl.XXXXXX";
	char		*sub, *cause, *want;
	struct tmpl_set	*set;
	struct buf	 b;
	json_t		*v;

	if (mkdtemp(dir) == NULL) {
		printf("#   mkdtemp failed\n");
		unit_failed = 1;
		return;
	}
	xasprintf(&sub, "%s/apply", dir);
	CHECK(mkdir(sub, 0700) == 0);
	write_file(dir, "layout.html", "<main>{{>*content}}</main>\n");
	write_file(dir, "apply/tab.html", "<p>{{name}}</p>");
	write_file(dir, ".hidden.html", "{{{");
	write_file(dir, "notes.txt", "{{{");
	write_file(dir, "apply/tab.html~", "{{{");

	set = tmpl_load(dir, &cause);
	CHECK(set != NULL);
	if (set != NULL) {
		CHECK(tmpl_has(set, "layout") && tmpl_has(set, "apply/tab"));
		CHECK(!tmpl_has(set, ".hidden") && !tmpl_has(set, "notes") &&
		    !tmpl_has(set, "layout.html") && !tmpl_has(set, "tab"));
		v = json_pack("{s:s, s:s}", "content", "apply/tab",
		    "name", "<Ann>");
		buf_init(&b);
		CHECK(tmpl_render(set, "layout", v, &b, &cause) == 0);
		CHECK_STR(b.s, "<main><p>&lt;Ann&gt;</p></main>\n");
		buf_free(&b);
		json_decref(v);
		tmpl_free(set);
	} else {
		printf("#   %s\n", cause);
		free(cause);
	}

	/* A parse error names the file and the line. */
	write_file(dir, "apply/bad.html", "ok\n{{#x}}\n{{/y}}\n");
	CHECK(tmpl_load(dir, &cause) == NULL);
	xasprintf(&want, "%s/apply/bad.html:3: {{/y}} does not close {{#x}} "
	    "of line 2", dir);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	remove_file(dir, "apply/bad.html");

	remove_file(dir, "layout.html");
	remove_file(dir, "apply/tab.html");
	remove_file(dir, "apply/tab.html~");
	remove_file(dir, ".hidden.html");
	remove_file(dir, "notes.txt");
	CHECK(rmdir(sub) == 0);
	CHECK(rmdir(dir) == 0);

	/* A missing directory. */
	CHECK(tmpl_load(dir, &cause) == NULL);
	xasprintf(&want, "%s: No such file or directory", dir);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	free(sub);
}
