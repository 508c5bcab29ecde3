// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench probe-cost: what one probe hit costs on this machine, each
 * kind the packs use, measured on the module's empty function.  A run
 * measures it too (meta.json probe_cost); this is the same, alone.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands.h"
#include "cycles_csv.h"
#include "kmod_ctl.h"
#include "probe_cost.h"
#include "util.h"

/* calls of one --spin measurement */
#define SPIN_CALLS	9

void cmd_probe_cost_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench probe-cost [options]\n\n"
		"Measure what one probe hit costs here, for each kind of probe the\n"
		"packs use: a static tracepoint, a kprobe without and with fetch\n"
		"arguments (a device name; a domain, its type and a name), and a\n"
		"span's two ends (kprobe and kretprobe).  Each is armed in turn on\n"
		"the module's empty function (iommu_bench.ko must be loaded) and its\n"
		"calls timed against unprobed calls: nanoseconds per hit, as a probe\n"
		"inside a timed span adds them to it.\n\n"
		"  -j, --json          print JSON (as in a run's meta.json)\n"
		"      --bare          only time the calls, nothing armed: run it once\n"
		"                      alone and once under another tool's probe on\n"
		"                      iommu_bench_probe_target (function_graph, perf,\n"
		"                      bpftrace): the difference is that tool's cost\n"
		"      --spin N        time one call of the empty function with N turns\n"
		"                      of the module's two-instruction loop (0-%u), %u\n"
		"                      times, and print the least and the median: on a\n"
		"                      clock that counts instructions, the length grows\n"
		"                      by exactly 2 per turn\n"
		"      --icount-shift S the clock counts instructions, 2^S ns each (QEMU\n"
		"                      -icount shift=S): print instructions, not ns\n"
		"                      (not with --json but with --spin)\n"
		"      --control PATH  module control file (default %s)\n"
		"  -h, --help          this text\n\n"
		"Exit status: 0 measured, 1 could not measure, 2 bad usage.\n",
		IOMMU_BENCH_MAX_SPIN, SPIN_CALLS, IB_CONTROL_PATH);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * One call with @spin turns, SPIN_CALLS times: the least is the call with
 * nothing else in it (an interrupt only adds), the median how often that
 * is so.  In instructions where @shift >= 0.
 */
static int spin(int fd, uint32_t turns, int shift, int json)
{
	uint64_t v[SPIN_CALLS];
	const char *u = shift < 0 ? "ns" : "insn";
	int i, ret;

	for (i = 0; i < SPIN_CALLS; i++) {
		ret = ib_kmod_calibrate(fd, 1, 0, turns, &v[i]);
		if (ret) {
			ib_err("the module cannot spin: %s", strerror(-ret));
			return 1;
		}
		if (shift >= 0)
			v[i] = ib_ns_to_insn(v[i], shift);
	}
	qsort(v, SPIN_CALLS, sizeof(v[0]), cmp_u64);
	if (json)
		printf("{ \"spin\": %u, \"unit\": \"%s\", \"calls\": %d, \"least\": %llu, \"median\": %llu }\n",
		       turns, shift < 0 ? "ns" : "instructions", SPIN_CALLS,
		       (unsigned long long)v[0],
		       (unsigned long long)v[SPIN_CALLS / 2]);
	else
		printf("spin %u: least %llu %s, median %llu %s (%d calls)\n", turns,
		       (unsigned long long)v[0], u,
		       (unsigned long long)v[SPIN_CALLS / 2], u, SPIN_CALLS);
	return 0;
}

int cmd_probe_cost(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "bare", no_argument, NULL, 'b' },
		{ "control", required_argument, NULL, 'c' },
		{ "spin", required_argument, NULL, 's' },
		{ "icount-shift", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *control = IB_CONTROL_PATH;
	struct ib_probe_cost pc;
	struct utsname u;
	char err[256];
	int c, fd, json = 0, bare = 0, k, ret, shift = -1;
	long turns = -1;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'b':
			bare = 1;
			break;
		case 'c':
			control = optarg;
			break;
		case 's':
			turns = strtol(optarg, &end, 10);
			if (end == optarg || *end || turns < 0 ||
			    turns > IOMMU_BENCH_MAX_SPIN) {
				ib_err("--spin '%s' is not a whole number of turns 0-%u",
				       optarg, IOMMU_BENCH_MAX_SPIN);
				return 2;
			}
			break;
		case 'I':
			shift = (int)strtol(optarg, &end, 10);
			if (end == optarg || *end || shift < 0 || shift > 10) {
				ib_err("--icount-shift '%s' is not a shift 0-10", optarg);
				return 2;
			}
			break;
		case 'h':
			cmd_probe_cost_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_probe_cost_usage, "probe-cost");
			return 2;
		}
	}
	if (optind < argc) {
		ib_err("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	/* meta.json's probe_cost is in ns: instructions there would pass for time */
	if (json && shift >= 0 && turns < 0) {
		ib_err("--json writes nanoseconds (meta.json's probe_cost): leave out --icount-shift, or --json");
		return 2;
	}
	fd = ib_kmod_open(control, err, sizeof(err));
	if (fd < 0) {
		ib_err("%s: %s", control, err);
		return 1;
	}
	if (turns >= 0) {
		ret = spin(fd, (uint32_t)turns, shift, json);
		close(fd);
		return ret;
	}
	uname(&u);
	if (bare) {
		ret = ib_probe_cost_bare(fd, &pc);
		snprintf(err, sizeof(err), "the module cannot calibrate: %s",
			 strerror(-ret));
	} else {
		ret = ib_probe_cost_measure(fd, u.machine, &pc, err, sizeof(err));
	}
	close(fd);
	if (ret) {
		ib_err("%s", err);
		return 1;
	}
	if (json) {
		json_object *j = ib_probe_cost_json(&pc);

		printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
		json_object_put(j);
		return 0;
	}
	/* on an instruction clock: the same figures, 2^shift ns each */
	printf("one %scall: %.1f %s (%u calls x %u)\n",
	       bare ? "" : "unprobed ", shift < 0 ? pc.bare_ns : pc.bare_ns / (1 << shift),
	       shift < 0 ? "ns" : "insn", pc.calls, pc.rounds);
	for (k = 0; !bare && k < IB_COST_NR; k++) {
		if (pc.measured[k])
			printf("%-14s %9.1f %s a hit\n", ib_cost_kind_name(k),
			       shift < 0 ? pc.hit_ns[k] : pc.hit_ns[k] / (1 << shift),
			       shift < 0 ? "ns" : "insn");
		else
			printf("%-14s %9s (the kernel refused the probe)\n",
			       ib_cost_kind_name(k), "-");
	}
	return 0;
}
