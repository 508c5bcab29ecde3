// SPDX-License-Identifier: GPL-2.0
/* The configs/ file parser: what it accepts, and what it refuses by line. */
#include "conf.h"
#include "tap.h"

static int refuses(const char *text, const char *want)
{
	char err[256] = "";
	struct ib_conf *c = ib_conf_parse(text, "t.conf", err, sizeof(err));

	if (c) {
		ib_conf_free(c);
		return 0;
	}
	if (!strstr(err, want)) {
		printf("#   error was '%s'\n", err);
		return 0;
	}
	return 1;
}

/* one file with every shape a value can take */
static struct ib_conf *sample(void)
{
	char err[256];

	return ib_conf_parse("top = 1\n# comment\n[a]\nk = v w  # tail\n"
			     "[b-2]\n  spaced   =   x = y \nempty =\n",
			     "t.conf", err, sizeof(err));
}

static void valid_file_parses(void)
{
	struct ib_conf *c = sample();

	ok(c != NULL, "valid file parses");
	ok(!strcmp(ib_conf_section(c, 0), "a") && !strcmp(ib_conf_section(c, 1), "b-2") &&
	   !ib_conf_section(c, 2), "sections in file order");
	ib_conf_free(c);
}

static void values_trimmed(void)
{
	struct ib_conf *c = sample();

	is_str(ib_conf_get(c, "", "top"), "1", "key before any section");
	is_str(ib_conf_get(c, "a", "k"), "v w", "value trimmed, comment dropped");
	is_str(ib_conf_get(c, "b-2", "spaced"), "x = y", "value may hold '='");
	is_str(ib_conf_get(c, "b-2", "empty"), "", "empty value");
	ib_conf_free(c);
}

static void absent_key(void)
{
	struct ib_conf *c = sample();

	ok(ib_conf_get(c, "a", "nope") == NULL, "absent key is NULL");
	is_str(ib_conf_get_or(c, "a", "nope", "def"), "def", "default for absent key");
	ib_conf_free(c);
}

static void malformed_lines_refused(void)
{
	ok(refuses("[a]\njunk\n", "t.conf:2: expected 'key = value'"),
	   "line without '=' refused with its line number");
	ok(refuses("[a\n", "t.conf:1: bad section header"), "unclosed header refused");
	ok(refuses("[a b]\n", "bad section name"), "section name with space refused");
}

static void duplicates_refused(void)
{
	ok(refuses("[a]\n[a]\n", "section [a] given twice"), "duplicate section refused");
	ok(refuses("[a]\nk=1\nk=2\n", "t.conf:3: key 'k' given twice"),
	   "duplicate key refused");
}

static void missing_file_named(void)
{
	char err[256];

	ok(ib_conf_load("/nonexistent/x.conf", err, sizeof(err)) == NULL &&
	   strstr(err, "No such file"), "missing file names the error");
}

static const struct tap_case cases[] = {
	TAP_CASE(valid_file_parses),
	TAP_CASE(values_trimmed),
	TAP_CASE(absent_key),
	TAP_CASE(malformed_lines_refused),
	TAP_CASE(duplicates_refused),
	TAP_CASE(missing_file_named),
};

TAP_MAIN(cases)
