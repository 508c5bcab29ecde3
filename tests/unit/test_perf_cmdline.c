// SPDX-License-Identifier: GPL-2.0
/*
 * Was a perf.data recorded system-wide?  perf record's command line, as
 * its HEADER_CMDLINE keeps it, read as perf's parse_options reads it:
 * options end at "--" or at the command, and an option's value is not
 * an option.  One ok line a row, the rows checked by what they want.
 */
#include "perf_data.h"
#include "tap.h"

#define MAXW 12

static const struct {
	const char *why;
	int want;
	const char *argv[MAXW];
} rows[] = {
	{ "-a with a command", 1, { "/usr/bin/perf", "record", "-q", "-a", "-o", "f", "-e", "x", "--", "run" } },
	{ "--all-cpus", 1, { "perf", "record", "--all-cpus", "-e", "x", "run" } },
	{ "-a in a cluster of flags (-ag)", 1, { "perf", "record", "-ag", "-e", "x", "run" } },
	{ "-a before a flag with a value (-ae X)", 1, { "perf", "record", "-ae", "x", "run" } },
	{ "no command: perf's default is -a", 1, { "perf", "record", "-e", "x" } },
	{ "no command, -o FILE", 1, { "perf", "record", "-o", "run", "-e", "x" } },
	{ "a command's own tasks", 0, { "perf", "record", "-e", "x", "--", "run", "-d", "d" } },
	{ "a command, no --", 0, { "perf", "record", "-q", "-e", "x", "run" } },
	{ "-a after -- is the command's", 0, { "perf", "record", "-e", "x", "--", "cmd", "-a" } },
	{ "-a after the command is the command's", 0, { "perf", "record", "-e", "x", "cmd", "-a" } },
	{ "-C after the command is the command's", 0, { "perf", "record", "-e", "x", "stress", "-C", "4" } },
	{ "-C: only some CPUs", 0, { "perf", "record", "-C", "0", "-e", "x" } },
	{ "--cpu=0: only some CPUs", 0, { "perf", "record", "--cpu=0", "-e", "x" } },
	{ "-p PID: one task", 0, { "perf", "record", "-p", "42", "-e", "x" } },
	{ "--uid U", 0, { "perf", "record", "--uid", "me", "-e", "x" } },
	{ "a value that looks like -a is a value (-e -a)", 0, { "perf", "record", "-e", "-a", "run" } },
	{ "a long option's separate value (--output -a)", 0, { "perf", "record", "--output", "-a", "run" } },
	{ "an attached value (-ofile) then the command", 0, { "perf", "record", "-oa", "run" } },
	{ "-z's optional value stays attached", 0, { "perf", "record", "-za", "run" } },
	{ "-- and nothing after it: no command", 1, { "perf", "record", "-e", "x", "--" } },
	{ "not perf record", -1, { "perf", "stat", "-a", "run" } },
};

/* every row that wants @want, one ok line each */
static void rows_wanting(int want)
{
	size_t i, n = sizeof(rows) / sizeof(rows[0]);

	for (i = 0; i < n; i++) {
		int argc = 0;

		if (rows[i].want != want)
			continue;
		while (argc < MAXW && rows[i].argv[argc])
			argc++;
		is_int(ib_perf_cmdline_system_wide(rows[i].argv, argc),
		       rows[i].want, "%s", rows[i].why);
	}
}

static void system_wide(void)
{
	rows_wanting(1);
}

static void some_tasks_only(void)
{
	rows_wanting(0);
}

static void not_perf_record(void)
{
	rows_wanting(-1);
}

static const struct tap_case cases[] = {
	TAP_CASE(system_wide),
	TAP_CASE(some_tasks_only),
	TAP_CASE(not_perf_record),
};

TAP_MAIN(cases)
