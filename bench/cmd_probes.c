// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench probes: the kprobes a run would arm on this kernel, as
 * kprobe_events lines.  For a machine where the trace is recorded with
 * trace-cmd record rather than by the collector: append them to
 * kprobe_events, record, and analyse the file with iommu-bench import.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "commands.h"
#include "kallsyms.h"
#include "meta.h"
#include "probe_symbol.h"
#include "util.h"

void cmd_probes_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench probes [options]\n\n"
		"Print, as kprobe_events lines, the probes 'run' would arm on this kernel:\n"
		"core.conf and the pack of the IOMMU driver found in /sys/class/iommu,\n"
		"each on the first candidate function in kallsyms ('# ...' when none).\n"
		"A run arms them in batches; these are the probes of one batch kind.\n"
		"To record with trace-cmd instead of the collector:\n\n"
		"  iommu-bench probes >> /sys/kernel/tracing/kprobe_events\n"
		"  trace-cmd record -e iommu_bench -e iommu -e %s \\\n"
		"      iommu-bench run --no-trace -d DEVICES -o OUT\n"
		"  iommu-bench import -o OUT.imported trace.dat\n\n"
		"With --perf, as the perf probe commands that make the same events\n"
		"(import reads perf record's perf.data as it reads a trace.dat):\n\n"
		"  iommu-bench probes --perf | sh\n"
		"  perf record -a -e 'iommu_bench:*' -e 'iommu:*' -e '%s:*' \\\n"
		"      iommu-bench run --no-trace -d DEVICES -o OUT\n"
		"  perf probe -q -d '%s:*'\n"
		"  iommu-bench import -o OUT.imported perf.data\n\n"
		"  -p, --probes DIR     probe packs (default DATA/configs/probes)\n"
		"  -D, --driver NAME    the driver's pack (intel, amd, virtio, arm-smmu-v3,\n"
		"                       rockchip, mtk), not the one found\n"
		"  -b, --batch KIND     all (default: every probe but the core function's:\n"
		"                       the counts), release (the release span's two ends\n"
		"                       only: its latency, nothing fires inside it) or core\n"
		"  -k, --kallsyms FILE  symbols of another kernel (default /proc/kallsyms)\n"
		"  -a, --arch ARCH      its architecture (default uname -m)\n"
		"      --perf           print perf probe commands, not kprobe_events lines\n"
		"  -h, --help           this text\n\n"
		"Exit status: 0 printed (a probe this kernel cannot take as a '#'\n"
		"line), 1 kallsyms unreadable, 2 bad usage or a bad probe pack.\n",
		IB_PROBE_SYSTEM, IB_PROBE_SYSTEM, IB_PROBE_SYSTEM);
}

int cmd_probes(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "probes", required_argument, NULL, 'p' },
		{ "driver", required_argument, NULL, 'D' },
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "arch", required_argument, NULL, 'a' },
		{ "batch", required_argument, NULL, 'b' },
		{ "perf", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *dir = NULL, *driver = NULL, *kallsyms = NULL, *arch = NULL;
	struct ib_probeset *ps = NULL;
	struct ib_kallsyms *ks = NULL;
	char err[512], *defdir = NULL;
	struct utsname u;
	enum ib_probe_format fmt = IB_PROBE_FORMAT_KPROBE_EVENTS;
	int32_t batch = IB_PROBES_ALL;
	int c, ret = 2;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:D:k:a:b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			batch = ib_probes_parse(optarg);
			/* by name only: "1" is all in an old cycles.csv */
			if (batch <= IB_PROBES_NONE || strcmp(optarg, ib_probes_name(batch))) {
				ib_err("--batch '%s' is not all, release or core", optarg);
				return 2;
			}
			break;
		case 'p':
			dir = optarg;
			break;
		case 'P':
			fmt = IB_PROBE_FORMAT_PERF;
			break;
		case 'D':
			driver = optarg;
			break;
		case 'k':
			kallsyms = optarg;
			break;
		case 'a':
			arch = optarg;
			break;
		case 'h':
			cmd_probes_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_probes_usage, "probes");
			return 2;
		}
	}
	if (optind < argc) {
		ib_err("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if (!dir)
		dir = defdir = ib_xasprintf("%s/configs/probes", ib_data_dir());
	if (!driver)
		driver = ib_meta_iommu_driver();
	if (!arch && !uname(&u))
		arch = u.machine;
	ps = ib_probeset_create();
	ret = ib_probeset_load_driver(ps, dir, driver, err, sizeof(err));
	if (ret == IB_NO_DRIVER_PACK) {
		ib_err("no probe pack %s/%s.conf", dir, driver);
		ret = 2;
		goto out;
	} else if (ret) {
		ib_err("probe pack: %s", err);
		ret = 2;
		goto out;
	}
	ks = ib_kallsyms_load(kallsyms, err, sizeof(err));
	if (!ks) {
		ib_err("%s", err);
		ret = 1;
		goto out;
	}
	if (!driver)
		printf("# no IOMMU driver found: core probes only\n");
	ret = ib_probeset_print(ps, ks, arch ? arch : "?", batch, fmt, stdout) ? 1 : 0;
out:
	ib_kallsyms_free(ks);
	ib_probeset_free(ps);
	free(defdir);
	return ret;
}
