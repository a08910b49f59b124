#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "unit.h"

void test_form_shown_long_list(void);
void test_buf_over(void);

/* The value of field name in form_view's fields, or NULL. */
static const char *
field_value_of(json_t *fields, const char *name)
{
	json_t	*f;
	size_t	 i;

	json_array_foreach(fields, i, f)
		if (strcmp(json_string_value(json_object_get(f, "name")),
		    name) == 0)
			return json_string_value(json_object_get(f, "value"));
	return NULL;
}

/*
 * A list field whose stored strings join to more than the form's buffer
 * (an import may store any strings): shown() stops at the buffer's end
 * (it used to step its pointer past it) on a whole UTF-8 character, so
 * the field still shows text instead of losing its value.
 */
void
test_form_shown_long_list(void)
{
	const struct kdef	*kd = kind_find("training");
	json_t			*entry, *tags, *fields;
	const char		*v;
	char			 big[1400];
	size_t			 i;

	CHECK(kd != NULL);
	if (kd == NULL)
		return;
	/* 2 bytes, then two-byte characters: the 1,024-byte buffer ends in
	   the middle of one. */
	big[0] = 'x';
	big[1] = 'y';
	for (i = 2; i + 2 < sizeof big; i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[i] = '\0';
	tags = json_array();
	json_array_append_new(tags, json_string(big));
	for (i = 0; i < 50; i++)
		json_array_append_new(tags, json_string("dei"));
	entry = json_pack("{s:s, s:o}", "title", "t", "topics", tags);
	fields = form_view(kd, entry, NULL, NULL);
	v = field_value_of(fields, "topics");
	CHECK(v != NULL);
	if (v != NULL) {
		CHECK(strlen(v) < 1024 && strlen(v) > 1000);
		CHECK(utf8_ok((const unsigned char *)v, strlen(v)));
		CHECK(strncmp(v, "xy\xc3\xa9", 4) == 0);
	}
	json_decref(fields);
	json_decref(entry);
	/* Short lists are joined whole. */
	entry = json_pack("{s:[s, s]}", "topics", "dei", "rsc_provision");
	fields = form_view(kd, entry, NULL, NULL);
	CHECK_STR(field_value_of(fields, "topics"), "dei, rsc_provision");
	json_decref(fields);
	json_decref(entry);
}

/* A buffer past its cap drops the rest and says so; nothing aborts. */
void
test_buf_over(void)
{
	struct buf	 b;
	char		 chunk[100];

	memset(chunk, 'a', sizeof chunk);
	buf_init(&b);
	b.max = 250;
	buf_add(&b, chunk, 100);
	buf_add(&b, chunk, 100);
	CHECK(!b.over && b.len == 200);
	buf_add(&b, chunk, 100);
	CHECK(b.over && b.len == 200);
	buf_printf(&b, "%s", "more");
	CHECK(b.over && b.len == 200);
	buf_free(&b);
	CHECK(!b.over && b.len == 0);
}
