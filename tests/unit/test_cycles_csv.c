// SPDX-License-Identifier: GPL-2.0
/* cycles.csv: what is written reads back the same; bad files are refused. */
#include <unistd.h>

#include "../../bench/cycles_csv.h"
#include "tap.h"

static char path[] = "/tmp/ib-test-csv-XXXXXX";

static int write_text(const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	return fclose(f);
}

int main(void)
{
	struct ib_row in = {
		.boot = 2, .dev = "0000:00:10.0", .cycle = 7, .ret = -19,
		.phase = { "remove", "rescan" },
		.phase_ns = { 123456789012ULL, 5 }, .traced = 1,
		.cycle_ns = 9, .releases = 1, .release_ns = 4000,
		.release_target = IB_DOM_BLOCKED, .probes = IB_PROBES_RELEASE,
		.release_hits = 3, .core_calls = 2, .core_ns = 8000,
	};
	struct ib_row *rows = NULL;
	char err[256];
	size_t n = 0;
	FILE *f;
	int fd;

	tap_plan(17);
	fd = mkstemp(path);
	close(fd);
	in.sw[IB_WIN_RELEASE].total = 1;
	in.sw[IB_WIN_RELEASE].untraced = 1;
	in.sw[IB_WIN_RELEASE].redundant = 1;
	in.sw[IB_WIN_PHASE2].total = 1;
	in.sw[IB_WIN_PHASE2].traced = 1;
	in.sw[IB_WIN_PHASE2].transient = 3;
	in.hw[IB_WIN_PHASE1][IB_HW_CTX] = 4;
	in.hw[IB_WIN_RELEASE][IB_HW_INVAL] = 2;
	in.hw[IB_WIN_RELEASE][IB_HW_CTX] = 1;
	f = fopen(path, "w");
	ib_cycles_csv_header(f);
	ib_cycles_csv_row(f, &in);
	fclose(f);

	ok(!ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)), "written file reads");
	is_int(n, 1, "one row");
	ok(n == 1 && !memcmp(&rows[0], &in, sizeof(in)), "row round-trips field for field");
	free(rows);

	write_text("cycle,device,release_ns,extra\n3,0000:00:11.0,77,zz\n");
	ok(!ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) && n == 1 &&
	   rows[0].cycle == 3 && rows[0].release_ns == 77,
	   "columns found by name, unknown ones ignored");
	free(rows);

	write_text("a,b\n1,2\n");
	ok(ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) &&
	   strstr(err, "not a cycles.csv"), "foreign CSV refused");
	write_text("device,cycle,release_ns\nx,1\n");
	ok(ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) &&
	   strstr(err, ":2: 2 fields, header has 3"), "short row refused with line");
	write_text("device,cycle,release_ns\nx,1,99999999999999999999\n");
	ok(ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) &&
	   strstr(err, "bad release_ns"), "number out of range refused");
	write_text("");
	ok(ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) &&
	   strstr(err, "empty"), "empty file refused");
	/* found by the fuzz target: a column named twice was read twice */
	write_text("device,cycle,release_ns,cycle\nx,1,5,2\n");
	ok(ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) &&
	   strstr(err, "column cycle appears twice"), "a column named twice is refused");
	/* found by the fuzz target: a blank first line made the next one a row */
	write_text("\n\t\n");
	ok(ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) &&
	   strstr(err, "not a cycles.csv"), "blank lines before no header refused");
	write_text("\ndevice,cycle,release_ns\nx,1,5\n");
	ok(!ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) && n == 1 &&
	   rows[0].release_ns == 5, "the header is the first line that is not blank");
	free(rows);
	/* which probes were on: by name; an older file's 0 and 1 read too */
	write_text("device,release_ns,probes\nx,5,core\ny,6,1\nz,7,0\n");
	ok(!ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) && n == 3 &&
	   rows[0].probes == IB_PROBES_CORE && rows[1].probes == IB_PROBES_ALL &&
	   rows[2].probes == IB_PROBES_NONE, "probes: core, and an old file's 1 and 0");
	free(rows);
	write_text("device,release_ns\nx,5\n");
	ok(!ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) && n == 1 &&
	   rows[0].probes == IB_PROBES_ALL, "a file without the column had every probe on");
	free(rows);
	write_text("device,release_ns,probes\nx,5,some\n");
	ok(ib_cycles_csv_read(path, &rows, &n, err, sizeof(err)) &&
	   strstr(err, "bad probes 'some'"), "an unknown probe set is refused");
	is_str(ib_probes_name(IB_PROBES_RELEASE), "release", "probe set names");
	is_int(ib_target_parse("blocked"), IB_DOM_BLOCKED, "target names parse");
	is_str(ib_target_name(IB_TARGET_MIXED), "mixed", "mixed target name");
	unlink(path);
	return tap_done();
}
