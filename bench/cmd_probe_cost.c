// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench probe-cost: what one probe hit costs on this machine, each
 * kind the packs use, measured on the module's empty function.  A run
 * measures it too (meta.json probe_cost); this is the same, alone.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands.h"
#include "kmod_ctl.h"
#include "probe_cost.h"
#include "util.h"

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
		"      --control PATH  module control file (default %s)\n"
		"  -h, --help          this text\n\n"
		"Exit status: 0 measured, 1 could not measure, 2 bad usage.\n",
		IB_CONTROL_PATH);
}

int cmd_probe_cost(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "bare", no_argument, NULL, 'b' },
		{ "control", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *control = IB_CONTROL_PATH, *why = NULL;
	struct ib_probe_cost pc;
	struct utsname u;
	char err[256];
	int c, fd, json = 0, bare = 0, k, ret;

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
	fd = ib_kmod_open(control, &why);
	if (fd < 0) {
		ib_err("%s: %s", control, why);
		return 1;
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
	printf("one %scall: %.1f ns (%u calls x %u)\n",
	       bare ? "" : "unprobed ", pc.bare_ns, pc.calls, pc.rounds);
	for (k = 0; !bare && k < IB_COST_NR; k++) {
		if (pc.measured[k])
			printf("%-14s %9.1f ns a hit\n", ib_cost_kind_name(k),
			       pc.hit_ns[k]);
		else
			printf("%-14s %9s (the kernel refused the probe)\n",
			       ib_cost_kind_name(k), "-");
	}
	return 0;
}
