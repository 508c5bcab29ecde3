// SPDX-License-Identifier: GPL-2.0
/* iommu-bench run: its usage text and options. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kmod_ctl.h"
#include "modes.h"
#include "util.h"

#include "run_state.h"

void cmd_run_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench run -d DEVICES -o OUT [options]\n\n"
		"Drive IOMMU release cycles through the iommu_bench module on the\n"
		"named PCI functions, trace them, and write OUT/{meta.json,cycles.csv}.\n\n"
		"  -d, --devices LIST   PCI functions DDDD:BB:DD.F, comma or space separated\n"
		"                       (at most %d); nothing else is touched\n"
		"  -n, --cycles N       cycles per device (default 10, at most %d)\n"
		"  -m, --mode MODE      remove (default), unbind, owned, claim or group;\n"
		"                       see 'Modes' below\n"
		"      --owner DEV      owned mode: the device whose driver claims the group\n"
		"      --force-net DEV  take DEV (one of -d) although a network interface\n"
		"                       on it is up; the kernel logs it (every other use,\n"
		"                       a disk, a console, a VM's device, is always refused)\n"
		"  -o, --out DIR        result directory; must not exist\n"
		"  -l, --label NAME     name of this kernel in results (default: uname -r)\n"
		"  -b, --boot N         boot number written to cycles.csv (default 1)\n"
		"  -p, --probes DIR     probe packs (default DATA/configs/probes)\n"
		"      --buffer-kb N    trace buffer per CPU in KiB (default 8192)\n"
		"      --clock NAME     trace clock (default mono, as the module's ktime)\n"
		"      --icount-shift N the machine's clock counts instructions, 2^N ns\n"
		"                       each (QEMU -icount shift=N, 0-10): every length\n"
		"                       is written in guest instructions, never as time,\n"
		"                       and a timed span that an interrupt or a task\n"
		"                       switch entered is counted apart\n"
		"      --no-trace       module timing only: the probe-effect baseline\n"
		"      --no-trace-dat   keep no OUT/trace.dat (kept when trace-cmd is\n"
		"                       installed: trace-cmd report and KernelShark open it)\n"
		"      --batches LIST   which probes each batch of cycles runs with, in\n"
		"                       turn (default all,release,core): all (every probe:\n"
		"                       the switch and hardware-work counts), release (only\n"
		"                       the release span's two ends: its latency, with no\n"
		"                       probe inside it), core (only the kernel's own core\n"
		"                       release function's ends), none (nothing: the probe\n"
		"                       effect on the phases); -n cycles of each; the list\n"
		"                       is separated by commas, spaces or +\n"
		"      --chunks N       run the -n cycles in N rounds of every batch kind,\n"
		"                       interleaved (default 3; an ioctl per batch); the\n"
		"                       trace is read after each round, so a round, not\n"
		"                       the run, must fit --buffer-kb\n"
		"      --untraced       add none to the batches\n"
		"      --no-probe-cost  do not measure what one probe hit costs (by default\n"
		"                       after the cycles, on the module's empty function)\n"
		"      --until-ci PCT   adaptive: after the -n cycles, go on until the\n"
		"                       95%% CI of the median release latency (order\n"
		"                       statistics, corrected for the repeated looks) is\n"
		"                       within +-PCT %% of it, or a cap below is hit\n"
		"      --max-cycles N   cap of --until-ci (default 1000)\n"
		"      --max-seconds N  cap of --until-ci (default 600)\n"
		"      --control PATH   module control file (default %s)\n"
		"      --tracefs DIR    where tracefs is mounted (default: found or mounted)\n"
		"  -q, --quiet          no progress lines\n"
		"  -h, --help           this text\n\n"
		"Exit status: 0 done; 1 the run failed (OUT.failed holds why, or\n"
		"nothing is written if a signal came before the first cycle);\n"
		"2 bad usage (an option, an OUT that exists, a device that does not);\n"
		"3 refused before anything was touched or written: the module is not\n"
		"loaded, a device is unsafe or unfit to cycle, tracing cannot be set up.\n\n"
		"Modes (phase 1, phase 2):\n",
		IOMMU_BENCH_MAX_DEVICES, IOMMU_BENCH_MAX_CYCLES, IB_CONTROL_PATH);
	for (int i = 0; i < ib_nmodes; i++)
		fprintf(f, "  %-7s (%s, %s) %s\n", ib_mode_table[i].name,
			ib_mode_table[i].phase[0], ib_mode_table[i].phase[1],
			ib_mode_table[i].summary);
}

static int parse_devices(struct ib_run_opts *o, const char *list)
{
	char **w;
	int n, i;
	uint32_t j;

	w = ib_split_words(list, &n);
	for (i = 0; i < n; i++) {
		if (o->ndevs == IOMMU_BENCH_MAX_DEVICES) {
			ib_err("more than %d devices", IOMMU_BENCH_MAX_DEVICES);
			goto fail;
		}
		if (ib_pci_parse(w[i], &o->devs[o->ndevs])) {
			ib_err("'%s' is not a PCI address (DDDD:BB:DD.F)", w[i]);
			goto fail;
		}
		ib_pci_format(&o->devs[o->ndevs], o->names[o->ndevs], IB_DEV_LEN);
		for (j = 0; j < o->ndevs; j++)
			if (!strcmp(o->names[j], o->names[o->ndevs])) {
				ib_err("device %s named twice", o->names[j]);
				goto fail;
			}
		o->ndevs++;
	}
	ib_free_words(w);
	return 0;
fail:
	ib_free_words(w);
	return -EINVAL;
}

static int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v,
		     const char *what)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || x < min || x > max) {
		ib_err("%s '%s' is not a number in %u..%u", what, s, min, max);
		return -EINVAL;
	}
	*v = (uint32_t)x;
	return 0;
}

int ib_run_plan_has(const struct ib_run_opts *o, int32_t probes)
{
	int i;

	for (i = 0; i < o->nplan; i++)
		if (o->plan[i] == probes)
			return 1;
	return 0;
}

/* "all,release,core": each probe set once, in the order given. */
static int parse_plan(struct ib_run_opts *o, const char *list)
{
	char **w, *copy, *c;
	int n, i, ret = 0;

	/* "+" too: the lab's kernel command line has commas for spaces */
	copy = ib_xstrdup(list);
	for (c = copy; (c = strchr(c, '+')); )
		*c = ',';
	w = ib_split_words(copy, &n);
	free(copy);
	o->nplan = 0;
	for (i = 0; i < n && !ret; i++) {
		int32_t p = ib_probes_parse(w[i]);

		/* by name only: "0" and "1" are an old cycles.csv's */
		if (p < 0 || strcmp(w[i], ib_probes_name(p))) {
			ib_err("--batches: '%s' is not all, release, core or none",
			       w[i]);
			ret = -EINVAL;
		} else if (ib_run_plan_has(o, p)) {
			ib_err("--batches: %s named twice", w[i]);
			ret = -EINVAL;
		} else {
			o->plan[o->nplan++] = p;
		}
	}
	if (!ret && !o->nplan) {
		ib_err("--batches: empty list");
		ret = -EINVAL;
	}
	ib_free_words(w);
	return ret;
}

int ib_run_parse_opts(struct ib_run_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "devices", required_argument, NULL, 'd' },
		{ "cycles", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' },
		{ "label", required_argument, NULL, 'l' },
		{ "boot", required_argument, NULL, 'b' },
		{ "probes", required_argument, NULL, 'p' },
		{ "buffer-kb", required_argument, NULL, 'B' },
		{ "clock", required_argument, NULL, 'C' },
		{ "icount-shift", required_argument, NULL, 'I' },
		{ "no-trace", no_argument, NULL, 'N' },
		{ "no-trace-dat", no_argument, NULL, 'D' },
		{ "untraced", no_argument, NULL, 'u' },
		{ "batches", required_argument, NULL, 'P' },
		{ "no-probe-cost", no_argument, NULL, 'K' },
		{ "chunks", required_argument, NULL, 'H' },
		{ "control", required_argument, NULL, 'c' },
		{ "owner", required_argument, NULL, 'O' },
		{ "force-net", required_argument, NULL, 'F' },
		{ "tracefs", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "until-ci", required_argument, NULL, 'U' },
		{ "max-cycles", required_argument, NULL, 'M' },
		{ "max-seconds", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct iommu_bench_dev force[IOMMU_BENCH_MAX_DEVICES];
	uint32_t kb, nforce = 0, i, j;
	int c, untraced = 0;

	o->cycles = 10;
	o->mi = ib_mode_find("remove");
	o->mode = o->mi->mode;
	o->mode_name = o->mi->name;
	o->clock = "mono";
	o->icount_shift = -1;
	o->buffer_kb = 8192;
	o->boot = 1;
	o->control = IB_CONTROL_PATH;
	o->max_cycles = 1000;
	o->max_seconds = 600;
	o->probe_cost = 1;
	o->chunks = 3;
	o->nplan = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:n:m:o:l:b:p:qh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_devices(o, optarg))
				return -EINVAL;
			break;
		case 'n':
			if (parse_u32(optarg, 1, IOMMU_BENCH_MAX_CYCLES,
				      &o->cycles, "cycles"))
				return -EINVAL;
			break;
		case 'm':
			o->mi = ib_mode_find(optarg);
			if (!o->mi) {
				ib_err("unknown mode '%s' (known: remove, unbind, owned, claim, group)",
				       optarg);
				return -EINVAL;
			}
			o->mode = o->mi->mode;
			o->mode_name = o->mi->name;
			break;
		case 'O':
			if (ib_pci_parse(optarg, &o->owner)) {
				ib_err("owner '%s' is not a PCI address (DDDD:BB:DD.F)",
				       optarg);
				return -EINVAL;
			}
			ib_pci_format(&o->owner, o->owner_name, IB_DEV_LEN);
			break;
		case 'F':
			if (nforce == IOMMU_BENCH_MAX_DEVICES ||
			    ib_pci_parse(optarg, &force[nforce])) {
				ib_err("--force-net '%s': not a PCI address (DDDD:BB:DD.F), or too many",
				       optarg);
				return -EINVAL;
			}
			nforce++;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'l':
			o->label = optarg;
			break;
		case 'b':
			if (parse_u32(optarg, 0, 1000000, &o->boot, "boot"))
				return -EINVAL;
			break;
		case 'p':
			o->probes_dir = optarg;
			break;
		case 'B':
			if (parse_u32(optarg, 64, 4u << 20, &kb, "buffer-kb"))
				return -EINVAL;
			o->buffer_kb = kb;
			break;
		case 'C':
			o->clock = optarg;
			break;
		case 'I': {
			uint32_t shift;

			if (parse_u32(optarg, 0, 10, &shift, "icount-shift"))
				return -EINVAL;
			o->icount_shift = (int)shift;
			break;
		}
		case 'N':
			o->no_trace = 1;
			break;
		case 'D':
			o->no_trace_dat = 1;
			break;
		case 'u':
			untraced = 1;
			break;
		case 'P':
			if (parse_plan(o, optarg))
				return -EINVAL;
			break;
		case 'K':
			o->probe_cost = 0;
			break;
		case 'H':
			if (parse_u32(optarg, 1, IOMMU_BENCH_MAX_CYCLES,
				      &o->chunks, "chunks"))
				return -EINVAL;
			break;
		case 'c':
			o->control = optarg;
			break;
		case 'T':
			o->tracefs = optarg;
			break;
		case 'U': {
			char *end;

			o->until_ci = strtod(optarg, &end);
			if (*end == '%')
				end++;
			if (end == optarg || *end || !(o->until_ci > 0) ||
			    o->until_ci > 100) {
				ib_err("--until-ci '%s' is not a percentage in (0, 100]",
				       optarg);
				return -EINVAL;
			}
			break;
		}
		case 'M':
			if (parse_u32(optarg, 1, IOMMU_BENCH_MAX_CYCLES,
				      &o->max_cycles, "max-cycles"))
				return -EINVAL;
			break;
		case 'S':
			if (parse_u32(optarg, 1, 86400, &o->max_seconds,
				      "max-seconds"))
				return -EINVAL;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			cmd_run_usage(stdout);
			exit(0);
		default:
			ib_usage_short(cmd_run_usage, "run");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		ib_err("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if (!o->ndevs) {
		ib_err("no devices: name them with -d (nothing is chosen for you)");
		return -EINVAL;
	}
	/* named per device: the flag goes to that device alone */
	for (i = 0; i < nforce; i++) {
		for (j = 0; j < o->ndevs; j++)
			if (!memcmp(&force[i], &o->devs[j], sizeof(force[i])))
				break;
		if (j == o->ndevs) {
			char name[IB_DEV_LEN];

			ib_pci_format(&force[i], name, sizeof(name));
			ib_err("--force-net %s: not one of the devices of -d", name);
			return -EINVAL;
		}
		o->devs[j].flags |= IOMMU_BENCH_DEV_F_NET_UP;
	}
	if (!o->out) {
		ib_err("no result directory: give -o OUT");
		return -EINVAL;
	}
	if (o->mi->needs_owner && !o->owner_name[0]) {
		ib_err("%s mode needs --owner DEV: the device whose driver claims the group",
		       o->mode_name);
		return -EINVAL;
	}
	if (!o->mi->needs_owner && o->owner_name[0]) {
		ib_err("--owner goes with owned mode only");
		return -EINVAL;
	}
	if ((untraced || o->nplan) && o->no_trace) {
		ib_err("--untraced and --batches choose probes: they cannot go with --no-trace");
		return -EINVAL;
	}
	if (!o->nplan && !o->no_trace)
		parse_plan(o, "all,release,core");
	if (o->no_trace) {
		o->plan[o->nplan++] = IB_PROBES_NONE;
		o->probe_cost = 0;
	} else if (untraced && !ib_run_plan_has(o, IB_PROBES_NONE)) {
		o->plan[o->nplan++] = IB_PROBES_NONE;
	}
	if (o->until_ci && o->no_trace) {
		ib_err("--until-ci needs the trace: it cannot go with --no-trace");
		return -EINVAL;
	}
	if (o->until_ci && o->max_cycles < o->cycles) {
		ib_err("--max-cycles %u is below -n %u", o->max_cycles, o->cycles);
		return -EINVAL;
	}
	return 0;
}
