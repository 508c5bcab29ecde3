// SPDX-License-Identifier: GPL-2.0
/* cycles.csv: what is written reads back the same; bad files are refused. */
#include <unistd.h>

#include "cycles_csv.h"
#include "util.h"
#include "tap.h"

static char path[] = "/tmp/ib-test-csv-XXXXXX";

/* static: the padding memcmp() compares is zero on both sides */
static const struct ib_row in = {
	.boot = 2, .dev = "0000:00:10.0", .cycle = 7, .ret = -19,
	.phase = { "remove", "rescan" },
	.phase_len = { 123456789012ULL, 5 }, .traced = 1,
	.cycle_len = 9, .releases = 1, .release_len = 4000,
	.release_target = IB_DOM_BLOCKED, .probes = IB_PROBES_RELEASE,
	.release_hits = 3, .core_calls = 2, .core_len = 8000,
	.span_irqs = 1,
	.sw = {
		[IB_WIN_RELEASE] = { .total = 1, .untraced = 1, .redundant = 1 },
		[IB_WIN_PHASE2] = { .total = 1, .traced = 1, .transient = 3 },
	},
	.hw = {
		[IB_WIN_PHASE1] = { [IB_HW_CTX] = 4 },
		[IB_WIN_RELEASE] = { [IB_HW_INVAL] = 2, [IB_HW_CTX] = 1 },
	},
};

static int write_text(const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	return fclose(f);
}

/* the file of the row @in, its lengths in @unit */
static void write_in(enum ib_unit unit)
{
	FILE *f = fopen(path, "w");

	ib_cycles_csv_header(f, unit);
	ib_cycles_csv_row(f, &in);
	fclose(f);
}

/*
 * The file as written, its header and row lines apart, to edit; 0 when
 * it is no text (the case that asked then checks nothing, and fails).
 */
static int written_lines(char **hdr, char **row)
{
	char *text;

	write_in(IB_UNIT_NS);
	text = ib_read_file(path, NULL);
	if (!text || !strchr(text, '\n')) {
		free(text);
		return 0;
	}
	*hdr = strndup(text, strchr(text, '\n') - text);
	*row = ib_xstrdup(strchr(text, '\n') + 1);
	(*row)[strcspn(*row, "\n")] = '\0';
	free(text);
	return 1;
}

/* span_irqs, the last column, is newer than the oldest files */
static void drop_span_irqs(char *hdr, char *row)
{
	*strrchr(hdr, ',') = '\0';
	*strrchr(row, ',') = '\0';
}

static void row_round_trips(void)
{
	struct ib_row *rows = NULL;
	char err[256];
	size_t n = 0;

	write_in(IB_UNIT_NS);
	ok(!ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)), "written file reads");
	is_int(n, 1, "one row");
	ok(n == 1 && !memcmp(&rows[0], &in, sizeof(in)), "row round-trips field for field");
	free(rows);
}

static void crlf_file_reads(void)
{
	struct ib_row *rows = NULL;
	char err[256], *hdr, *row, *v;
	size_t n = 0;
	int text = written_lines(&hdr, &row);

	ok(text, "the written file is text");
	if (!text)
		return;
	/* CRLF: every line ends in "\r\n", the last column reads */
	v = ib_xasprintf("%s\r\n%s\r\n", hdr, row);
	write_text(v);
	free(v);
	ok(!ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) && n == 1 &&
	   !memcmp(&rows[0], &in, sizeof(in)), "a CRLF file reads the same");
	free(rows);
	free(hdr);
	free(row);
}

static void file_without_span_irqs_reads(void)
{
	struct ib_row *rows = NULL;
	char err[256], *hdr, *row, *v;
	size_t n = 0;

	if (!written_lines(&hdr, &row))
		return;
	/* without the newest column a file reads, as 0 */
	drop_span_irqs(hdr, row);
	v = ib_xasprintf("%s\n%s\n", hdr, row);
	write_text(v);
	free(v);
	ok(!ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) && n == 1 &&
	   rows[0].span_irqs == 0 && rows[0].core_len == 8000,
	   "a file without span_irqs (older) reads, as 0");
	free(rows);
	free(hdr);
	free(row);
}

static void bad_columns_refused(void)
{
	struct ib_row *rows = NULL;
	char err[256], *hdr, *row, *v, *mixed, *w;
	size_t n = 0;

	if (!written_lines(&hdr, &row))
		return;
	drop_span_irqs(hdr, row);
	/* a column missing would read as 0 in every row: core_ns here */
	v = ib_xasprintf("%.*s\n%.*s\n", (int)(strrchr(hdr, ',') - hdr), hdr,
			 (int)(strrchr(row, ',') - row), row);
	write_text(v);
	free(v);
	ok(ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) &&
	   strstr(err, ":1: no core_ns column"), "a missing column is named");
	/* one length in instructions among lengths in ns */
	v = ib_xasprintf("%s\n%s\n", hdr, row);
	*strstr(v, "core_ns") = '\0';
	mixed = ib_xasprintf("%score_insn%s", v, strstr(hdr, "core_ns") + 7);
	w = ib_xasprintf("%s\n%s\n", mixed, row);
	write_text(w);
	ok(ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) &&
	   strstr(err, "one file, one unit"),
	   "lengths in two units refused: %s", err);
	free(mixed);
	free(w);
	free(v);
	v = ib_xasprintf("%s,extra\n%s,1\n", hdr, row);
	write_text(v);
	free(v);
	ok(ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) &&
	   strstr(err, ":1: unknown column 'extra'"), "an unknown column is named");
	v = ib_xasprintf("%s,cycle\n%s,2\n", hdr, row);
	write_text(v);
	free(v);
	ok(ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) &&
	   strstr(err, "column cycle appears twice"), "a column named twice is refused");
	free(hdr);
	free(row);
}

/* a file in instructions: its columns say so, and it reads back */
static void instruction_file(void)
{
	struct ib_row *rows = NULL;
	enum ib_unit unit = IB_UNIT_NS;
	char err[256], *text;
	size_t n = 0;

	write_in(IB_UNIT_INSN);
	text = ib_read_file(path, NULL);
	ok(text && strstr(text, ",release_insn,") && strstr(text, "phase1_insn") &&
	   !strstr(text, "_ns"), "an instruction file names no ns column");
	free(text);
	ok(!ib_cycles_csv_read(path, &rows, &n, &unit, err, sizeof(err)) &&
	   unit == IB_UNIT_INSN && n == 1 && !memcmp(&rows[0], &in, sizeof(in)),
	   "an instruction file reads back, its unit with it");
	free(rows);
	ok(ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) &&
	   strstr(err, "lengths in instructions, where time is wanted"),
	   "a reader of time refuses instructions");
}

static void ns_to_insn(void)
{
	is_int(ib_ns_to_insn(12433 * 16, 4), 12433, "ns to instructions at shift 4");
	is_int(ib_ns_to_insn(25, 4), 2, "a length off the grid rounds to nearest");
	is_int(ib_ns_to_insn(6680, 0), 6680, "shift 0: one ns, one instruction");
}

static void other_files_refused(void)
{
	struct ib_row *rows = NULL;
	char err[256];
	size_t n = 0;

	write_text("a,b\n1,2\n");
	ok(ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) &&
	   strstr(err, "unknown column 'a'"), "foreign CSV refused");
	write_text("");
	ok(ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) &&
	   strstr(err, "empty"), "empty file refused");
	/* found by the fuzz target: a blank first line made the next one a row */
	write_text("\n\t\n");
	ok(ib_cycles_csv_read(path, &rows, &n, NULL, err, sizeof(err)) &&
	   strstr(err, "empty"), "blank lines and no header refused");
}

static void value_names(void)
{
	is_str(ib_probes_name(IB_PROBES_RELEASE), "release", "probe set names");
	is_int(ib_target_parse("blocked"), IB_DOM_BLOCKED, "target names parse");
	is_str(ib_target_name(IB_TARGET_MIXED), "mixed", "mixed target name");
}

static const struct tap_case cases[] = {
	TAP_CASE(row_round_trips),
	TAP_CASE(crlf_file_reads),
	TAP_CASE(file_without_span_irqs_reads),
	TAP_CASE(bad_columns_refused),
	TAP_CASE(instruction_file),
	TAP_CASE(ns_to_insn),
	TAP_CASE(other_files_refused),
	TAP_CASE(value_names),
};

TAP_MAIN_TMPFILE(cases, path)
