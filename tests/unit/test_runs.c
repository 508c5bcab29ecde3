// SPDX-License-Identifier: GPL-2.0
/*
 * A result directory as the analysis reads it: each value with its boot;
 * latency from the cycles that timed its span alone, counts from those
 * with every probe, the phases from every cycle but those; one probe
 * hit's cost as the median of the boots'.
 */
#include <stdlib.h>
#include <unistd.h>

#include "runs.h"
#include "tap.h"

static char dir[] = "/tmp/ib-test-run-XXXXXX";

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* boot @b, @probes: ns of the release span 1000 * (kind + 1) * b */
static void row(FILE *f, uint32_t b, uint32_t cycle, int32_t probes)
{
	struct ib_row r = {
		.boot = b, .dev = "0000:00:10.0", .cycle = cycle,
		.phase = { "remove", "rescan" }, .traced = probes != IB_PROBES_NONE,
		.probes = probes, .release_target = IB_TARGET_NONE,
		.phase_len = { 1000000 * (probes + 1), 2000000 },
	};

	if (probes == IB_PROBES_ALL || probes == IB_PROBES_RELEASE) {
		r.releases = 1;
		r.release_len = 1000 * (probes + 1) * b;
	}
	if (probes == IB_PROBES_ALL) {
		r.release_hits = 4;
		r.sw[IB_WIN_RELEASE].total = 1;
		r.release_target = IB_DOM_BLOCKED;
	}
	if (probes == IB_PROBES_CORE) {
		r.core_calls = 1;
		r.core_len = 500 * b;
	}
	ib_cycles_csv_row(f, &r);
}

static const char meta_json[] =
	"{\"status\":\"ok\",\"label\":\"k\",\"release_function\":\"iommu_bus_notifier\","
	"\"core_function\":\"iommu_deinit_device\",\"config\":{\"mode\":\"remove\"},"
	"\"boots\":[{\"probe_cost\":{\"hit_ns\":{\"kprobe\":100,\"kprobe_dev\":null}}},"
	"{\"probe_cost\":{\"hit_ns\":{\"kprobe\":300}}},{}]}";

/* cycles.csv: three boots of every kind, the boots out of order; or none */
static void write_cycles(int with_rows)
{
	char path[256];
	uint32_t b, c = 0;
	int k;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cycles.csv", dir);
	f = fopen(path, "w");
	ib_cycles_csv_header(f, IB_UNIT_NS);
	for (b = 3; with_rows && b >= 1; b--)
		for (k = 0; k < IB_PROBES_NR; k++)
			row(f, b, c++, k);
	fclose(f);
}

/* the whole run, loaded as the analysis loads it with @flags; 0 if it did */
static int load_run(struct ib_run_data *r, unsigned int flags, char *err)
{
	write_file("meta.json", meta_json);
	write_cycles(1);
	return ib_run_load(r, dir, flags, err, 256);
}

static void run_loads(void)
{
	struct ib_run_data r;
	char err[256] = "";

	ok(!load_run(&r, 0, err), "loads%s%s", err[0] ? ": " : "", err);
	is_int(r.boots, 3, "three boots, counted from the rows");
	ok(r.timed, "it has cycles that timed the release alone");
	ib_run_free(&r);
}

static void release_latency_by_boot(void)
{
	struct ib_run_data r;
	char err[256] = "";

	load_run(&r, 0, err);
	is_int(r.s[IB_S_RELEASE].n, 3, "release latency from the release-only cycles, one a boot");
	ok(r.s[IB_S_RELEASE].v[0] == 3 * 3.0 && r.s[IB_S_RELEASE].boot[0] == 3,
	   "... each with its boot (%g us in boot %u)",
	   r.s[IB_S_RELEASE].v[0], r.s[IB_S_RELEASE].boot[0]);
	ib_run_free(&r);
}

static void samples_by_cycle_kind(void)
{
	struct ib_run_data r;
	char err[256] = "";

	load_run(&r, 0, err);
	ok(r.probed[IB_S_RELEASE].n == 3 && r.probed[IB_S_RELEASE].v[2] == 2.0,
	   "the all-probe latency apart: the probe effect");
	ok(r.s[IB_S_CORE].n == 3 && r.s[IB_S_CORE].v[1] == 1.0, "the core function from its own cycles");
	ok(r.s[IB_S_PHASE1].n == 9 && r.probed[IB_S_PHASE1].n == 3,
	   "phases from every cycle but the all-probe ones, which are the probed side");
	ib_run_free(&r);
}

static void counts_from_all_probe_cycles(void)
{
	struct ib_run_data r;
	char err[256] = "";

	load_run(&r, 0, err);
	ok(r.traced_cycles == 3 && r.sw[IB_WIN_RELEASE].total == 3 && r.release_hits == 12,
	   "counts and hits from the all-probe cycles only");
	ok(r.target == IB_DOM_BLOCKED, "the release target from them");
	ib_run_free(&r);
}

static void meta_facts(void)
{
	struct ib_run_data r;
	char err[256] = "";

	load_run(&r, 0, err);
	ok(r.cost.measured[IB_COST_KPROBE] && r.cost.hit_ns[IB_COST_KPROBE] == 200 &&
	   !r.cost.measured[IB_COST_KPROBE_DEV], "one hit's cost: the median of the boots that measured it");
	is_str(r.core_fn, "iommu_deinit_device", "the core function's name");
	ib_run_free(&r);
}

static void probed_only(void)
{
	struct ib_run_data r;
	char err[256] = "";

	ok(!load_run(&r, IB_LOAD_PROBED, err) && !r.timed &&
	   r.s[IB_S_RELEASE].n == 3 && r.s[IB_S_RELEASE].v[0] == 6.0,
	   "--probed: the release from the all-probe cycles, as if no others");
	ib_run_free(&r);
}

static void no_cycles_refused(void)
{
	struct ib_run_data r;
	char err[256] = "";

	write_file("meta.json", meta_json);
	write_cycles(0);
	ok(ib_run_load(&r, dir, 0, err, sizeof(err)) && strstr(err, "no cycles"),
	   "a run with no cycles is refused: %s", err);
	ib_run_free(&r);
}

static void meta_of_wrong_type_refused(void)
{
	struct ib_run_data r;
	char err[256] = "";

	write_cycles(0);
	write_file("meta.json", "{\"status\":\"ok\",\"config\":{\"mode\":\"remove\"},\"boots\":{}}");
	ok(ib_run_load(&r, dir, 0, err, sizeof(err)) &&
	   strstr(err, "boots is not an array of objects"),
	   "a meta.json field of the wrong type is named, not asserted on: %s", err);
	ib_run_free(&r);
	write_file("meta.json", "{\"status\":\"ok\",\"config\":{\"mode\":\"remove\","
		   "\"devices\":\"0000:00:10.0\"}}");
	ok(ib_run_load(&r, dir, 0, err, sizeof(err)) &&
	   strstr(err, "config.devices is not an array of strings"),
	   "... config.devices too: %s", err);
	ib_run_free(&r);
}

static const struct tap_case cases[] = {
	TAP_CASE(run_loads),
	TAP_CASE(release_latency_by_boot),
	TAP_CASE(samples_by_cycle_kind),
	TAP_CASE(counts_from_all_probe_cycles),
	TAP_CASE(meta_facts),
	TAP_CASE(probed_only),
	TAP_CASE(no_cycles_refused),
	TAP_CASE(meta_of_wrong_type_refused),
};

int main(void)
{
	char path[256];
	int ret;

	if (!mkdtemp(dir))
		tap_bail("no temporary directory %s", dir);
	ret = TAP_RUN(cases);
	snprintf(path, sizeof(path), "%s/meta.json", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/cycles.csv", dir);
	unlink(path);
	if (rmdir(dir))
		ret = 1;
	return ret;
}
