/*
 * The portfolio's entry kinds as a table (kcgi style): each tab is a kind,
 * each field has a type, a label and its allowed values.  The same table
 * validates a submitted form into an endorse-portfolio/1 entry object and
 * describes the form to the template, so a field is declared once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"
#include "banned.h"

#define MAX_HOURS	10000
/*
 * A plausibility check, not a rule: RSC received at more than this many
 * hours a month on average is shown with a warning on the entry, never
 * refused.  Reflective supervision/consultation usually meets an hour or
 * two a week; 40 a month is a full week of it every month.
 */
#define RSC_PLAUSIBLE_MONTH_HOURS	40

static const char *const level_labels[] = { "CDA credential",
    "Associate degree", "Bachelor's degree", "Master's degree",
    "Doctorate" };
static const char *const age_labels[] = { "Infants and toddlers (birth to 36 months)",
    "Young children (3 to 6 years)" };
static const char *const service_labels[] = { "Promotion",
    "Prevention / early intervention",
    "Treatment (dyadic clinical intervention)",
    "Providing reflective supervision/consultation",
    "Policy", "Administration", "Research", "Teaching", "Other" };
static const char *const role_labels[] = { "I attended it",
    "I provided (taught) it",
    "Volunteer work for an association's Endorsement" };
static const char *const format_labels[] = { "Individual", "Group",
    "Peer group (does not count)" };
static const char *const focus_labels[] = { "My own work with families",
    "The RSC I provide to others" };
static const char *const rel_labels[] = { "Program supervisor",
    "RSC provider", "RSC recipient", "Endorsed professional", "Supervisor",
    "Colleague", "Trainer", "Consultant", "Supervisee", "Student",
    "Department chair", "Parent / recipient of services", "Teacher",
    "CDA mentor", "Board member" };
static const char *const refstatus_labels[] = { "Not yet asked",
    "Request sent", "Opened by the rater", "Rating completed",
    "Declined", "Expired", "Void (needs replacing)" };
/* A reference's state in words ("Rating completed"); revoked and
   unknown states read as not yet asked. */
const char *
refstatus_words(const char *status)
{
	int	 i;

	for (i = 0; i < vocab_refstatus.n; i++)
		if (status != NULL &&
		    strcmp(vocab_refstatus.names[i], status) == 0)
			return refstatus_labels[i];
	return refstatus_labels[0];
}

static const char *const scope_labels[] = { "Local", "Regional", "State",
    "National", "International" };

/* The tags of training the rules read; others may be typed freely. */
static const char *const topic_names[] = { "dei", "rsc_provision" };
static const char *const topic_labels[] = {
    "Diversity, equity and inclusion in IECMH",
    "Providing reflective supervision/consultation" };
static const struct vocab vocab_topics = { "topic", topic_names, 2 };

static const struct fdef f_education[] = {
	{ "level", "Level", F_ENUM, 1, &vocab_degree, level_labels, NULL },
	{ "degree", "Degree as written", F_TEXT, 0, NULL, NULL,
	    "For example MSW, PsyD, BS" },
	{ "field", "Field of study", F_TEXT, 0, NULL, NULL, NULL },
	{ "institution", "Institution", F_TEXT, 0, NULL, NULL, NULL },
	{ "conferred", "Date conferred", F_DATE, 1, NULL, NULL,
	    "When the degree was awarded" },
};
static const struct fdef f_work[] = {
	{ "title", "Position title", F_TEXT, 1, NULL, NULL, NULL },
	{ "employer", "Employer", F_TEXT, 0, NULL, NULL, NULL },
	{ "start", "Start date", F_DATE, 1, NULL, NULL, NULL },
	{ "end", "End date", F_DATE_OPEN, 0, NULL, NULL,
	    "Leave empty if you still hold this position" },
	{ "paid", "Paid position", F_BOOL, 0, NULL, NULL, NULL },
	{ "supervised", "I received supervision in this position", F_BOOL, 0,
	    NULL, NULL, NULL },
	{ "licensed", "Licensed practice", F_BOOL, 0, NULL, NULL, NULL },
	{ "ages", "Ages served", F_MULTI, 0, &vocab_age, age_labels, NULL },
	{ "service", "Kind of service", F_ENUM, 1, &vocab_service,
	    service_labels, NULL },
	{ "families", "Families served", F_COUNT, 0, NULL, NULL,
	    "How many families you served in this position", "families" },
	/* Seed 003 (IMHM-C): "served a minimum of 10 families or
	   supervised staff"; absent is none. */
	{ "staff", "Staff you supervised in this position", F_COUNT, 0, NULL,
	    NULL, "A whole number; leave empty if you supervised no one",
	    "staff supervised" },
};
static const struct fdef f_training[] = {
	{ "title", "Training title", F_TEXT, 1, NULL, NULL, NULL },
	{ "date", "Date", F_DATE, 1, NULL, NULL, NULL },
	{ "hours", "Hours", F_HOURS, 1, NULL, NULL,
	    "Decimal hours, for example 1.5" },
	{ "topics", "Topics", F_TAGS, 0, &vocab_topics, topic_labels, NULL },
	{ "role", "Your role", F_ENUM, 1, &vocab_role, role_labels, NULL },
};
static const struct fdef f_rsc_received[] = {
	{ "provider", "Provider's name", F_TEXT, 1, NULL, NULL, NULL },
	{ "provider_endorsements", "Provider's endorsements", F_CODES, 0,
	    NULL, NULL, "Category codes at the time, separated by commas, "
	    "for example IMHM-C, ERS" },
	/* Issue 15: what the registry finds the provider by. */
	{ "provider_email", "Provider's e-mail", F_EMAIL, 0, NULL, NULL,
	    "Optional: with the name, finds the provider in the registry" },
	{ "provider_number", "Provider's endorsement number", F_TEXT, 0, NULL,
	    NULL, "Optional, for example VAIMH-2020-0012" },
	{ "format", "Format", F_ENUM, 1, &vocab_format, format_labels, NULL },
	{ "start", "Start date", F_DATE, 1, NULL, NULL, NULL },
	{ "end", "End date", F_DATE_OPEN, 0, NULL, NULL,
	    "Leave empty if it continues" },
	{ "hours", "Hours", F_HOURS, 1, NULL, NULL, NULL },
	{ "focus", "Focus", F_ENUM, 1, &vocab_focus, focus_labels, NULL },
};
static const struct fdef f_rsc_provided[] = {
	{ "recipients", "People you provide RSC to", F_COUNT, 1, NULL, NULL,
	    NULL },
	{ "start", "Start date", F_DATE, 1, NULL, NULL, NULL },
	{ "end", "End date", F_DATE_OPEN, 0, NULL, NULL,
	    "Leave empty if it continues" },
};
static const struct fdef f_leadership[] = {
	{ "activity", "Activity", F_TEXT, 1, NULL, NULL, NULL },
	{ "start", "Start date", F_DATE, 1, NULL, NULL, NULL },
	{ "end", "End date", F_DATE_OPEN, 0, NULL, NULL,
	    "Leave empty if it continues" },
	{ "paid", "Paid", F_BOOL, 0, NULL, NULL, NULL },
	{ "level", "Level", F_ENUM, 0, &vocab_scope, scope_labels, NULL },
};
static const struct fdef f_references[] = {
	{ "name", "Rater's name", F_TEXT, 1, NULL, NULL, NULL },
	{ "email", "Rater's e-mail", F_EMAIL, 1, NULL, NULL, NULL },
	{ "relationship", "Relationship to you", F_ENUM, 1,
	    &vocab_relationship, rel_labels, NULL },
	{ "endorsements", "Rater's endorsements", F_CODES, 0, NULL, NULL,
	    "Category codes, separated by commas, for example IFS" },
	{ "endorsement_number", "Rater's endorsement number", F_TEXT, 0, NULL,
	    NULL, "Optional, for example VAIMH-2020-0012" },
};

#define K(kind, title, one, f, intro) \
	{ kind, title, one, f, (int)(sizeof f / sizeof f[0]), intro }
const struct kdef kinds[] = {
	K("education", "Education", "degree", f_education,
	    "Degrees and credentials, with a transcript for each (PDF)."),
	K("work", "Work", "position", f_work,
	    "Positions, paid or volunteer, with the ages and families served "
	    "and the staff supervised."),
	K("training", "Training", "training", f_training,
	    "In-service training, with hours and topics."),
	K("rsc_received", "RSC received", "RSC period", f_rsc_received,
	    "Reflective supervision/consultation you received."),
	K("rsc_provided", "RSC provided", "RSC you provide", f_rsc_provided,
	    "Reflective supervision/consultation you provide to others."),
	K("leadership", "Leadership", "activity", f_leadership,
	    "Leadership in the field: committees, groups, presentations."),
	K("references", "References", "reference", f_references,
	    "The people you ask for a reference rating."),
};
const int nkinds = (int)(sizeof kinds / sizeof kinds[0]);

const struct kdef *
kind_find(const char *k)
{
	int	 i;

	for (i = 0; k != NULL && i < nkinds; i++)
		if (strcmp(kinds[i].kind, k) == 0)
			return &kinds[i];
	return NULL;
}

static void
err(json_t *errors, const char *field, const char *msg)
{
	if (json_object_get(errors, field) == NULL)
		json_object_set_new(errors, field, json_string(msg));
}

static int
blank(const char *s)
{
	if (s == NULL)
		return 1;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0';
}

/* Hours: a decimal with at most two places, 0 to MAX_HOURS. */
static json_t *
parse_hours(const char *s, const char **why)
{
	char	*end;
	double	 v;

	v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || *end != '\0' || !isfinite(v)) {
		*why = "enter a number of hours, for example 1.5";
		return NULL;
	}
	if (v < 0) {
		*why = "hours cannot be negative";
		return NULL;
	}
	if (v > MAX_HOURS) {
		*why = "more than 10000 hours in one entry";
		return NULL;
	}
	if (fabs(v * 100 - round(v * 100)) > 1e-6) {
		*why = "use at most two decimal places";
		return NULL;
	}
	v = round(v * 100) / 100;
	if (v == floor(v))
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *
parse_count(const char *s, const char **why)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (end == s || *end != '\0') {
		*why = "enter a whole number";
		return NULL;
	}
	if (v < 0) {
		*why = "cannot be negative";
		return NULL;
	}
	if (v > 100000) {
		*why = "more than 100000";
		return NULL;
	}
	return json_integer(v);
}

/* "IMHM-C, ERS" into ["IMHM-C", "ERS"]: letters, digits and '-'. */
static json_t *
parse_codes(const char *s, const char **why)
{
	json_t	*a = json_array();
	char	 code[32];
	size_t	 n;

	for (;;) {
		while (*s == ' ' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		for (n = 0; *s != '\0' && *s != ',' && *s != ' '; s++) {
			if (!((*s >= 'A' && *s <= 'Z') ||
			    (*s >= 'a' && *s <= 'z') ||
			    (*s >= '0' && *s <= '9') || *s == '-') ||
			    n == sizeof code - 1) {
				*why = "use category codes such as IMHM-C, "
				    "separated by commas";
				json_decref(a);
				return NULL;
			}
			code[n++] = (*s >= 'a' && *s <= 'z') ?
			    (char)(*s - 'a' + 'A') : *s;
		}
		code[n] = '\0';
		json_array_append_new(a, json_string(code));
	}
	return a;
}

json_t *
form_codes(const char *s, const char **why)
{
	return parse_codes(s, why);
}

static int
plausible_email(const char *s)
{
	const char	*at = strchr(s, '@');

	return at != NULL && at != s && strchr(at + 1, '.') != NULL &&
	    strchr(at + 1, '@') == NULL && strpbrk(s, " \t<>\"'") == NULL &&
	    strlen(s) <= 254 && at[1] != '.' && s[strlen(s) - 1] != '.';
}

static json_t *
field_value(struct req *r, const struct fdef *fd, json_t *errors)
{
	const char	*v = req_form(r, fd->name), *why = NULL;
	const char	*many[32];
	json_t		*out = NULL, *a;
	int32_t		 d;
	int		 i, n, k;

	switch (fd->type) {
	case F_BOOL:
		return json_boolean(v != NULL && strcmp(v, "yes") == 0);
	case F_MULTI:
	case F_TAGS:
		n = req_form_all(r, fd->name, many, 32);
		a = json_array();
		for (i = 0; i < n; i++) {
			if ((k = vocab_find(fd->vocab, many[i])) < 0) {
				err(errors, fd->name, "choose from the list");
				json_decref(a);
				return NULL;
			}
			json_array_append_new(a, json_string(many[i]));
		}
		return a;
	}
	if (blank(v)) {
		if (fd->required)
			err(errors, fd->name, fd->type == F_ENUM ?
			    "choose one" : "this field is required");
		else if (fd->type == F_DATE_OPEN)
			return json_null();
		return NULL;
	}
	if (strlen(v) > FIELD_TEXT_MAX) {
		char	 msg[64];

		snprintf(msg, sizeof msg, "at most %d characters",
		    FIELD_TEXT_MAX);
		err(errors, fd->name, msg);
		return NULL;
	}
	switch (fd->type) {
	case F_TEXT:
		out = json_string(v);
		break;
	case F_EMAIL:
		if (!plausible_email(v))
			why = "enter an e-mail address such as "
			    "name@example.org";
		else
			out = json_string(v);
		break;
	case F_DATE:
	case F_DATE_OPEN:
		/* date_parse() takes 1900 to 2199 only. */
		if (date_parse(v, &d) != 0)
			why = "enter a date as YYYY-MM-DD";
		else
			out = json_string(v);
		break;
	case F_HOURS:
		out = parse_hours(v, &why);
		break;
	case F_COUNT:
		out = parse_count(v, &why);
		break;
	case F_ENUM:
		if (vocab_find(fd->vocab, v) < 0)
			why = "choose from the list";
		else
			out = json_string(v);
		break;
	case F_CODES:
		out = parse_codes(v, &why);
		break;
	}
	if (out == NULL)
		err(errors, fd->name, why != NULL ? why : "not valid");
	return out;
}

json_t *
form_entry(struct req *r, const struct kdef *kd, json_t *errors)
{
	json_t		*o = json_object(), *v, *s, *e;
	int32_t		 ds, de;
	int		 i;

	for (i = 0; i < kd->nfields; i++) {
		v = field_value(r, &kd->fields[i], errors);
		if (v != NULL)
			json_object_set_new(o, kd->fields[i].name, v);
	}
	s = json_object_get(o, "start");
	e = json_object_get(o, "end");
	if (json_is_string(s) && json_is_string(e) &&
	    date_parse(json_string_value(s), &ds) == 0 &&
	    date_parse(json_string_value(e), &de) == 0 && de < ds)
		err(errors, "end", "the end date is before the start date");
	if (strcmp(kd->kind, "work") == 0 &&
	    json_array_size(json_object_get(o, "ages")) == 0 &&
	    json_object_get(errors, "ages") == NULL)
		err(errors, "ages", "choose at least one age group");
	entry_check(kd, o, date_today(), errors);
	if (json_object_size(errors) > 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Dates of what already happened: not after today. */
static const struct {
	const char	*field;
	const char	*msg;
} past_dates[] = {
	{ "conferred", "the date conferred cannot be in the future; add the "
	    "degree once it is awarded" },
	{ "date", "the date cannot be in the future; add the training once "
	    "it has taken place" },
	{ "start", "the start date cannot be in the future; add it once it "
	    "has begun" },
};

int
entry_check(const struct kdef *kd, json_t *o, int32_t today, json_t *errors)
{
	const struct fdef	*fd;
	json_t			*v;
	int32_t			 d;
	size_t			 j;
	int			 i, n = 0;

	for (i = 0; kd != NULL && json_is_object(o) && i < kd->nfields; i++) {
		fd = &kd->fields[i];
		v = json_object_get(o, fd->name);
		if (fd->type == F_HOURS && json_is_number(v) &&
		    json_number_value(v) <= 0) {
			err(errors, fd->name, "enter the hours, more than 0");
			n++;
		}
		if (fd->type != F_DATE || !json_is_string(v) ||
		    date_parse(json_string_value(v), &d) != 0 || d <= today)
			continue;
		for (j = 0; j < sizeof past_dates / sizeof past_dates[0]; j++)
			if (strcmp(past_dates[j].field, fd->name) == 0) {
				err(errors, fd->name, past_dates[j].msg);
				n++;
			}
	}
	return n;
}

const char *
entry_warning(const struct kdef *kd, json_t *o, int32_t today, char *out,
    size_t sz)
{
	json_t	*s, *e;
	int32_t	 ds, de;
	double	 hours, months;

	if (kd == NULL || strcmp(kd->kind, "rsc_received") != 0)
		return NULL;
	s = json_object_get(o, "start");
	e = json_object_get(o, "end");
	hours = json_number_value(json_object_get(o, "hours"));
	if (!json_is_string(s) || date_parse(json_string_value(s), &ds) != 0)
		return NULL;
	if (!json_is_string(e) || date_parse(json_string_value(e), &de) != 0)
		de = today;
	/* Whole months or part of one, the shortest counted as one. */
	months = (de - ds + 1) / 30.44;
	if (months < 1)
		months = 1;
	if (hours / months <= RSC_PLAUSIBLE_MONTH_HOURS)
		return NULL;
	snprintf(out, sz, "Please check the hours: %g hours in %.0f "
	    "month%s is more than %d hours a month of reflective "
	    "supervision/consultation", hours, months,
	    months < 1.5 ? "" : "s", RSC_PLAUSIBLE_MONTH_HOURS);
	return out;
}

/* The length of s's first n bytes without a character cut short at the
   end. */
static size_t
utf8_whole(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 p = n, len;

	while (p > 0 && (u[p - 1] & 0xc0) == 0x80)
		p--;
	if (p == 0 || u[p - 1] < 0x80)
		return n;
	len = u[p - 1] >= 0xf0 ? 4 : u[p - 1] >= 0xe0 ? 3 : 2;
	return p - 1 + len <= n ? n : p - 1;
}

/* The text a field shows: what was typed, else the stored value. */
static const char *
shown(struct req *r, const struct fdef *fd, json_t *entry, char *tmp,
    size_t sz)
{
	json_t	*v, *e;
	size_t	 i, n = 0;
	int	 k;

	if (r != NULL && r->nfields > 0)
		return req_form(r, fd->name);
	if (entry == NULL)
		return NULL;
	v = json_object_get(entry, fd->name);
	/* A single RSC session imported as "date" edits as start = end. */
	if (v == NULL && (strcmp(fd->name, "start") == 0 ||
	    strcmp(fd->name, "end") == 0))
		v = json_object_get(entry, "date");
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(tmp, sz, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	if (json_is_real(v)) {
		snprintf(tmp, sz, "%.2f", json_real_value(v));
		return tmp;
	}
	if (json_is_array(v)) {
		/* Joined while they fit; the text ends on a whole UTF-8
		   character, so that it stays text (json_string). */
		tmp[0] = '\0';
		json_array_foreach(v, i, e) {
			if (!json_is_string(e))
				continue;
			k = snprintf(tmp + n, sz - n, "%s%s", n > 0 ? ", " : "",
			    json_string_value(e));
			if (k < 0 || (size_t)k >= sz - n) {
				n = utf8_whole(tmp, sz - 1);
				tmp[n] = '\0';
				break;
			}
			n += (size_t)k;
		}
		return tmp;
	}
	return NULL;
}

static int
checked(struct req *r, const struct fdef *fd, json_t *entry,
    const char *value)
{
	const char	*many[32];
	json_t		*v, *e;
	size_t		 i;
	int		 n, k;

	if (r != NULL && r->nfields > 0) {
		n = req_form_all(r, fd->name, many, 32);
		for (k = 0; k < n; k++)
			if (strcmp(many[k], value) == 0)
				return 1;
		return 0;
	}
	v = entry != NULL ? json_object_get(entry, fd->name) : NULL;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_string(v))
		return strcmp(json_string_value(v), value) == 0;
	json_array_foreach(v, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e),
		    value) == 0)
			return 1;
	return 0;
}

json_t *
form_view(const struct kdef *kd, json_t *entry, json_t *errors,
    struct req *r)
{
	json_t			*fields = json_array(), *f, *opts, *sv;
	const struct fdef	*fd;
	const char		*v;
	char			 tmp[1024];
	int			 i, j;

	for (i = 0; i < kd->nfields; i++) {
		fd = &kd->fields[i];
		f = json_object();
		json_object_set_new(f, "name", json_string(fd->name));
		json_object_set_new(f, "label", json_string(fd->label));
		json_object_set_new(f, "required", json_boolean(fd->required));
		if (fd->hint != NULL)
			json_object_set_new(f, "hint", json_string(fd->hint));
		if (errors != NULL && json_object_get(errors, fd->name))
			json_object_set(f, "error",
			    json_object_get(errors, fd->name));
		v = shown(r, fd, entry, tmp, sizeof tmp);
		if (fd->type == F_HOURS && v != NULL && entry != NULL &&
		    (r == NULL || r->nfields == 0)) {
			/* 12.50 -> 12.5 */
			size_t	 n = strlen(tmp);
			if (v == tmp && strchr(tmp, '.') != NULL) {
				while (n > 0 && tmp[n - 1] == '0')
					tmp[--n] = '\0';
				if (n > 0 && tmp[n - 1] == '.')
					tmp[--n] = '\0';
			}
		}
		if (v != NULL && (sv = json_string(v)) != NULL)
			json_object_set_new(f, "value", sv);
		switch (fd->type) {
		case F_TEXT:
		case F_CODES:
			json_object_set_new(f, "text", json_true());
			break;
		case F_EMAIL:
			json_object_set_new(f, "email", json_true());
			break;
		case F_DATE:
		case F_DATE_OPEN:
			json_object_set_new(f, "date", json_true());
			break;
		case F_HOURS:
			json_object_set_new(f, "decimal", json_true());
			break;
		case F_COUNT:
			json_object_set_new(f, "count", json_true());
			break;
		case F_BOOL:
			json_object_set_new(f, "bool", json_true());
			json_object_set_new(f, "checked", json_boolean(
			    checked(r, fd, entry, "yes")));
			break;
		case F_ENUM:
		case F_MULTI:
		case F_TAGS:
			json_object_set_new(f, fd->type == F_ENUM ? "select" :
			    "checkboxes", json_true());
			opts = json_array();
			for (j = 0; j < fd->vocab->n; j++)
				json_array_append_new(opts, json_pack(
				    "{s:s, s:s, s:b}", "value",
				    fd->vocab->names[j], "label",
				    fd->words[j], "checked",
				    checked(r, fd, entry,
				    fd->vocab->names[j])));
			json_object_set_new(f, "options", opts);
			break;
		}
		json_array_append_new(fields, f);
	}
	return fields;
}

/* An entry in one line for the tab's list. */
const char *
form_summary(const struct kdef *kd, json_t *e, char *out, size_t sz)
{
	const struct fdef	*fd;
	struct buf		 b;
	json_t			*v;
	char			 tmp[64];
	int			 i, j;

	buf_init(&b);
	for (i = 0; i < kd->nfields; i++) {
		fd = &kd->fields[i];
		v = json_object_get(e, fd->name);
		if (v == NULL || json_is_null(v) || fd->type == F_BOOL ||
		    fd->type == F_MULTI || fd->type == F_TAGS ||
		    fd->type == F_CODES)
			continue;
		if (b.len > 0)
			buf_puts(&b, " · ");
		if (fd->type == F_ENUM && json_is_string(v)) {
			j = vocab_find(fd->vocab, json_string_value(v));
			buf_puts(&b, j >= 0 ? fd->words[j] :
			    json_string_value(v));
		} else if (json_is_string(v) && (fd->type == F_DATE ||
		    fd->type == F_DATE_OPEN))
			buf_puts(&b, date_us_text(json_string_value(v), tmp,
			    sizeof tmp));
		else if (json_is_string(v))
			buf_puts(&b, json_string_value(v));
		else if (json_is_number(v)) {
			snprintf(tmp, sizeof tmp, "%g%s%s",
			    json_number_value(v), fd->type == F_HOURS ? " h" :
			    fd->unit != NULL ? " " : "", fd->unit != NULL ?
			    fd->unit : "");
			buf_puts(&b, tmp);
		}
	}
	snprintf(out, sz, "%s", b.s != NULL ? b.s : "(empty)");
	buf_free(&b);
	return out;
}
