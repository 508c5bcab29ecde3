// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench run: arm the probes, drive cycles through the module, read
 * the trace back and write one result directory.
 *
 * The directory is built as OUT.partial and renamed to OUT when the run
 * succeeded, or to OUT.failed (with the reason in meta.json) when it did
 * not: a reader never sees half a result under OUT.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <event-parse.h>
#include <tracefs.h>

#include "../analysis/stats.h"
#include "account.h"
#include "commands.h"
#include "cycles_csv.h"
#include "decode.h"
#include "kmod_ctl.h"
#include "devcheck.h"
#include "modes.h"
#include "meta.h"
#include "probes.h"
#include "summary.h"
#include "tracing.h"
#include "util.h"

#include "run_state.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

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
		"  -o, --out DIR        result directory; must not exist\n"
		"  -l, --label NAME     name of this kernel in results (default: uname -r)\n"
		"  -b, --boot N         boot number written to cycles.csv (default 1)\n"
		"  -p, --probes DIR     probe packs (default DATA/configs/probes)\n"
		"      --buffer-kb N    trace buffer per CPU in KiB (default 8192)\n"
		"      --clock NAME     trace clock (default mono, as the module's ktime)\n"
		"      --no-trace       module timing only: the probe-effect baseline\n"
		"      --no-trace-dat   keep no OUT/trace.dat (kept when trace-cmd is\n"
		"                       installed: trace-cmd report and KernelShark open it)\n"
		"      --untraced       the probe effect: after each batch of cycles, as\n"
		"                       many again with every probe and event off; their\n"
		"                       rows have probes = 0, and the phases' medians with\n"
		"                       and without are compared in meta.json\n"
		"      --until-ci PCT   adaptive: after the -n cycles, go on until the\n"
		"                       bootstrap 95%% CI of the median release latency is\n"
		"                       within +-PCT %% of it, or a cap below is hit\n"
		"      --max-cycles N   cap of --until-ci (default 1000)\n"
		"      --max-seconds N  cap of --until-ci (default 600)\n"
		"      --control PATH   module control file (default %s)\n"
		"      --tracefs DIR    where tracefs is mounted (default: found or mounted)\n"
		"  -q, --quiet          no progress lines\n"
		"  -h, --help           this text\n\n"
		"Exit status: 0 done, 1 run failed (OUT.failed holds why), 2 bad usage.\n\n"
		"Modes (phase 1, phase 2):\n",
		IOMMU_BENCH_MAX_DEVICES, IOMMU_BENCH_MAX_CYCLES, IB_CONTROL_PATH);
	for (int i = 0; i < ib_nmodes; i++)
		fprintf(f, "  %-7s (%s, %s) %s\n", ib_mode_table[i].name,
			ib_mode_table[i].phase[0], ib_mode_table[i].phase[1],
			ib_mode_table[i].summary);
}

static int parse_devices(struct run_opts *o, const char *list)
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

static int parse_opts(struct run_opts *o, int argc, char **argv)
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
		{ "no-trace", no_argument, NULL, 'N' },
		{ "no-trace-dat", no_argument, NULL, 'D' },
		{ "untraced", no_argument, NULL, 'u' },
		{ "control", required_argument, NULL, 'c' },
		{ "owner", required_argument, NULL, 'O' },
		{ "tracefs", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "until-ci", required_argument, NULL, 'U' },
		{ "max-cycles", required_argument, NULL, 'M' },
		{ "max-seconds", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	uint32_t kb;
	int c;

	o->cycles = 10;
	o->mi = ib_mode_find("remove");
	o->mode = o->mi->mode;
	o->mode_name = o->mi->name;
	o->clock = "mono";
	o->buffer_kb = 8192;
	o->boot = 1;
	o->control = IB_CONTROL_PATH;
	o->max_cycles = 1000;
	o->max_seconds = 600;
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
		case 'N':
			o->no_trace = 1;
			break;
		case 'D':
			o->no_trace_dat = 1;
			break;
		case 'u':
			o->untraced = 1;
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
			cmd_run_usage(stderr);
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
	if (o->untraced && o->no_trace) {
		ib_err("--untraced measures the probes' cost: it cannot go with --no-trace");
		return -1;
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

/* Refuse early, with the device's name, what sysfs already tells. */
static int check_devices(const struct run_opts *o)
{
	uint32_t i;

	for (i = 0; i <= o->ndevs; i++) {
		const char *name = i < o->ndevs ? o->names[i] : o->owner_name;
		char *p, *g;
		int ok, grouped;

		if (!name[0])
			continue;
		if (ib_dev_in_use(name))
			return -EBUSY;
		p = ib_xasprintf("/sys/bus/pci/devices/%s", name);
		g = ib_xasprintf("%s/iommu_group", p);
		ok = !access(p, F_OK);
		grouped = !access(g, F_OK);
		free(p);
		free(g);
		if (!ok) {
			ib_err("%s: no such PCI device", name);
			return -ENODEV;
		}
		if (!grouped) {
			ib_err("%s: has no IOMMU group (no IOMMU, or IOMMU off): nothing to measure",
			       name);
			return -EINVAL;
		}
	}
	return 0;
}

static int load_probes(struct run_state *s)
{
	const char *dir = s->o->probes_dir;
	const char *drv = ib_meta_iommu_driver();
	char err[512], *defdir = NULL;
	int ret;

	if (!dir)
		dir = defdir = ib_xasprintf("%s/configs/probes", ib_data_dir());
	s->ps = ib_probeset_create();
	ret = ib_probeset_load_driver(s->ps, dir, drv, err, sizeof(err));
	if (ret == IB_NO_DRIVER_PACK) {
		ib_warn("no probe pack %s/%s.conf for IOMMU driver %s: core probes only",
			dir, drv, drv);
		ret = 0;
	} else if (ret) {
		snprintf(s->error, sizeof(s->error), "probe pack: %s", err);
	} else if (!drv) {
		ib_warn("no IOMMU driver recognised in /sys/class/iommu: core probes only");
	}
	free(defdir);
	return ret;
}

static json_object *probes_json(const struct ib_probeset *ps)
{
	static const char *const roles[] = { "release", "attach", "hw", "block" };
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < ps->nprobes; i++) {
		const struct ib_probe *p = &ps->probes[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(p->name));
		json_object_object_add(o, "role",
				       json_object_new_string(roles[p->role]));
		json_object_object_add(o, "symbol", p->symbol ?
				       json_object_new_string(p->symbol) : NULL);
		json_object_object_add(o, "note", p->note ?
				       json_object_new_string(p->note) : NULL);
		if (!p->symbol && p->lost[0])
			json_object_object_add(o, "lost",
					       json_object_new_string(p->lost));
		if (p->symbol) {
			json_object_object_add(o, "hits", json_object_new_int64(p->hits));
			json_object_object_add(o, "misses",
					       json_object_new_int64(p->misses));
		}
		if (p->ret) {
			json_object_object_add(o, "maxactive",
					       json_object_new_int64(p->maxactive));
			json_object_object_add(o, "return_hits",
					       json_object_new_int64(p->ret_hits));
			json_object_object_add(o, "return_misses",
					       json_object_new_int64(p->ret_misses));
		}
		json_object_array_add(a, o);
	}
	return a;
}

static int setup_tracing(struct run_state *s)
{
	struct ib_kallsyms *ks;
	struct utsname u;
	char err[512], *name;
	int i, armed;

	name = ib_xasprintf("iommu_bench_%d", (int)getpid());
	s->tr = ib_tracing_create(s->o->tracefs, name, s->o->buffer_kb, s->o->clock, err,
				  sizeof(err));
	free(name);
	if (!s->tr) {
		snprintf(s->error, sizeof(s->error), "%s", err);
		return -ENODEV;
	}
	if (load_probes(s))
		return -EINVAL;
	ks = ib_kallsyms_load(NULL);
	if (!ks) {
		snprintf(s->error, sizeof(s->error), "/proc/kallsyms: %s",
			 strerror(errno));
		return -errno;
	}
	uname(&u);
	armed = ib_probeset_arm(s->ps, ks, u.machine);
	ib_kallsyms_free(ks);
	for (i = 0; i < s->ps->nprobes; i++) {
		const struct ib_probe *p = &s->ps->probes[i];

		if (!p->symbol)
			ib_warn("probe %s: %s%s%s", p->name, p->note,
				p->lost[0] ? "; lost: " : "", p->lost);
		else if (p->note && !s->o->quiet)
			ib_info("probe %s: %s", p->name, p->note);
	}
	if (!armed)
		ib_warn("no probe could be armed: only module timing is recorded");

	if (ib_tracing_enable(s->tr, "iommu_bench", NULL)) {
		snprintf(s->error, sizeof(s->error),
			 "no iommu_bench trace events: is the module loaded?");
		return -ENOENT;
	}
	for (i = 0; i < s->ps->ntracepoints; i++) {
		char *sys = ib_xstrdup(s->ps->tracepoints[i]);
		char *ev = strchr(sys, ':');

		*ev++ = '\0';
		if (ib_tracing_enable(s->tr, sys, ev) && !s->o->quiet)
			ib_info("tracepoint %s:%s is not in this kernel", sys, ev);
		free(sys);
	}
	for (i = 0; i < s->ps->nprobes; i++) {
		const struct ib_probe *p = &s->ps->probes[i];

		if (!p->symbol)
			continue;
		ib_tracing_enable(s->tr, IB_PROBE_SYSTEM, p->name);
		if (p->ret) {
			char *r = ib_xasprintf("%s_ret", p->name);

			ib_tracing_enable(s->tr, IB_PROBE_SYSTEM, r);
			free(r);
		}
	}
	return ib_run_tep_setup(s) ? -EIO : 0;
}

/* Lines the module wrote to the kernel log since @fd was opened. */
static void print_kmsg(int fd)
{
	char buf[2048];
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		char *msg;

		if (n <= 0)
			continue;
		buf[n] = '\0';
		msg = strchr(buf, ';');
		if (msg && strstr(msg, "iommu_bench: "))
			fprintf(stderr, "  kernel: %s", strstr(msg, "iommu_bench: "));
	}
}

static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* The module checks every device before anything is armed or written. */
static int check_with_module(struct run_state *s)
{
	const struct run_opts *o = s->o;
	int kmsg = kmsg_open(), ret;
	uint32_t done;

	ret = ib_kmod_run(s->fd, IOMMU_BENCH_F_CHECK_ONLY, o->mode,
			  o->owner_name[0] ? &o->owner : NULL, o->devs,
			  o->ndevs, 1, 0, NULL, &done);
	if (ret) {
		ib_err("the module refused the run: %s", strerror(-ret));
		print_kmsg(kmsg);
		ret = 2;
	}
	if (kmsg >= 0)
		close(kmsg);
	return ret;
}

/*
 * How many cycles the next ioctl runs, 0 to stop: the -n cycles in tenths
 * (progress, and a mode's setup such as owned's claim is per ioctl), then
 * with --until-ci a CI check before every further tenth of what is done.
 */
static uint32_t next_chunk(struct run_state *s, uint32_t c, time_t start)
{
	const struct run_opts *o = s->o;
	uint32_t step = o->cycles >= 10 ? o->cycles / 10 : 1, more;

	if (c < o->cycles)
		return c + step <= o->cycles ? step : o->cycles - c;
	if (!o->until_ci)
		return 0;
	if (c >= o->max_cycles) {
		s->adaptive.stopped_by = "cycles";
		return 0;
	}
	if (time(NULL) - start >= (time_t)o->max_seconds) {
		s->adaptive.stopped_by = "time";
		return 0;
	}
	if (ib_run_ci_reached(s)) {
		s->adaptive.stopped_by = "ci";
		return 0;
	}
	if (!o->quiet)
		ib_info("%s: %u cycles, median %.1f us +- %.1f%% (target %.1f%%)",
			o->label, c, s->adaptive.median_us,
			s->adaptive.halfwidth_pct, o->until_ci);
	more = c / 10 > 5 ? c / 10 : 5;
	return c + more <= o->max_cycles ? more : o->max_cycles - c;
}

/* One ioctl of @n cycles, numbered on from the cycles done. */
static int run_batch(struct run_state *s, uint32_t n, int bare)
{
	const struct run_opts *o = s->o;
	uint32_t first = s->cycles_done, done = 0;
	int ret;

	ret = ib_kmod_run(s->fd, 0, o->mode, o->owner_name[0] ? &o->owner : NULL,
			  o->devs, o->ndevs, n, first,
			  s->timings + (size_t)first * o->ndevs, &done);
	memset(s->bare + first, bare, done);
	s->cycles_done += done;
	if (ret == -EINTR)
		snprintf(s->error, sizeof(s->error),
			 "interrupted by signal after %u cycles", s->cycles_done);
	else if (ret)
		snprintf(s->error, sizeof(s->error),
			 "module refused or failed cycle %u: %s", first + done,
			 strerror(-ret));
	return ret;
}

static int drive(struct run_state *s)
{
	const struct run_opts *o = s->o;
	uint32_t c, n;
	time_t start = time(NULL);
	int ret = 0, kmsg, bare;

	kmsg = kmsg_open();
	if (s->tr && ib_tracing_on(s->tr)) {
		snprintf(s->error, sizeof(s->error), "cannot start tracing");
		ret = -EIO;
		goto out;
	}
	/* c counts the cycles with probes; with --untraced each batch of
	 * them is followed by as many without, numbered on after them */
	for (c = 0; !ret && (n = next_chunk(s, c, start)); c += n) {
		for (bare = 0; bare <= o->untraced && !ret; bare++) {
			if (stop_signal) {
				snprintf(s->error, sizeof(s->error),
					 "interrupted by signal %d after %u cycles",
					 (int)stop_signal, s->cycles_done);
				ret = -EINTR;
				break;
			}
			if (bare && ib_tracing_pause(s->tr)) {
				snprintf(s->error, sizeof(s->error),
					 "cannot turn the probes off for the untraced cycles");
				ret = -EIO;
				break;
			}
			ret = run_batch(s, n, bare);
			if (bare && ib_tracing_resume(s->tr) && !ret) {
				snprintf(s->error, sizeof(s->error),
					 "cannot turn the probes on again");
				ret = -EIO;
			}
		}
		if (!ret && !o->quiet && c + n <= o->cycles)
			ib_info("%s: cycle %u/%u done (%u devices)%s",
				o->label, c + n, o->cycles, o->ndevs,
				o->untraced ? ", and as many without probes" : "");
	}
	if (s->tr)
		ib_tracing_off(s->tr);
	if (ret) {
		ib_err("%s", s->error);
		print_kmsg(kmsg);
	}
out:
	if (kmsg >= 0)
		close(kmsg);
	return ret;
}

static int write_cycles(struct run_state *s, const struct ib_account *acc)
{
	const struct run_opts *o = s->o;
	char *path = ib_xasprintf("%s/cycles.csv", s->partial);
	struct ib_afile *af = ib_afile_open(path);
	size_t nacc = acc ? ib_account_ncycles(acc) : 0, next = 0, k;
	uint32_t i;
	int ret;

	free(path);
	if (!af)
		return -errno;
	ib_cycles_csv_header(ib_afile_stream(af));
	for (i = 0; i < s->cycles_done * o->ndevs; i++) {
		const struct iommu_bench_timing *t = &s->timings[i];
		struct ib_row row = { 0 };

		row.boot = o->boot;
		strcpy(row.dev, o->names[t->dev_index]);
		row.cycle = t->cycle;
		row.probes = !o->no_trace && !s->bare[t->cycle];
		row.phase_ns[0] = t->ns[0];
		row.phase_ns[1] = t->ns[1];
		snprintf(row.phase[0], sizeof(row.phase[0]), "%s", o->mi->phase[0]);
		snprintf(row.phase[1], sizeof(row.phase[1]), "%s", o->mi->phase[1]);
		row.release_target = IB_TARGET_NONE;
		/*
		 * The accounted cycles come in the ioctl's order: look from
		 * just after the last match, so a long run stays linear.
		 */
		for (k = row.probes ? 0 : nacc; k < nacc;
		     k++, next = (next + 1) % nacc) {
			const struct ib_cycle *c = ib_account_cycle(acc, next);

			if (c->cycle == t->cycle && !strcmp(c->dev, row.dev)) {
				ib_row_from_cycle(&row, c);
				next = (next + 1) % nacc;
				break;
			}
		}
		ib_cycles_csv_row(ib_afile_stream(af), &row);
	}
	ret = ib_afile_commit(af);
	return ret;
}

/* Hits the kernel could not record, over every probe. */
static unsigned long long probe_misses(const struct ib_probeset *ps)
{
	unsigned long long n = 0;
	int i;

	for (i = 0; ps && i < ps->nprobes; i++)
		n += ps->probes[i].misses + ps->probes[i].ret_misses;
	return n;
}

static int lost_events(const struct run_state *s)
{
	const struct ib_tracing_info *ti = ib_tracing_info(s->tr);

	return ti->overruns || ti->missed || ti->read_timeouts ||
	       probe_misses(s->ps);
}

static json_object *trace_json(struct run_state *s, const struct ib_account *acc)
{
	const struct ib_tracing_info *ti = ib_tracing_info(s->tr);
	const struct ib_account_stats *st = ib_account_stats(acc);
	json_object *o = json_object_new_object(), *k;
	char *dir = ib_tracing_dir(s->tr);
	int i;

	json_object_object_add(o, "instance_dir",
			       dir ? json_object_new_string(dir) : NULL);
	free(dir);
	json_object_object_add(o, "clock", json_object_new_string(ti->clock));
	json_object_object_add(o, "buffer_kb_per_cpu",
			       json_object_new_int64(ti->buffer_kb));
	json_object_object_add(o, "records", json_object_new_int64(ti->records));
	json_object_object_add(o, "overruns", json_object_new_int64(ti->overruns));
	json_object_object_add(o, "records_after_loss",
			       json_object_new_int64(ti->missed));
	json_object_object_add(o, "read_timeouts",
			       json_object_new_int64(ti->read_timeouts));
	json_object_object_add(o, "probe_misses",
			       json_object_new_int64(probe_misses(s->ps)));
	json_object_object_add(o, "lost_events",
			       json_object_new_boolean(lost_events(s)));
	/* each event's own CPU is in trace.dat; here, how they spread */
	k = json_object_new_array();
	for (i = 0; i < ti->ncpus; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "cpu", json_object_new_int(i));
		json_object_object_add(c, "records",
				       json_object_new_int64(ti->cpu[i].records));
		json_object_object_add(c, "overruns",
				       json_object_new_int64(ti->cpu[i].overruns));
		json_object_array_add(k, c);
	}
	json_object_object_add(o, "cpus", k);
	ib_meta_add_account(o, st);
	/* the collector's own cost, after the cycles (and between them
	 * with --until-ci) */
	json_object_object_add(o, "collector_read_ms", json_object_new_double(s->read_ms));
	json_object_object_add(o, "collector_account_ms",
			       json_object_new_double(s->account_ms));
	return o;
}

/*
 * --untraced: each phase's median with probes against without, from the
 * module's own timing of the interleaved batches; printed and recorded.
 */
static json_object *probe_effect_json(const struct run_state *s)
{
	const struct run_opts *o = s->o;
	size_t n = (size_t)s->cycles_done * o->ndevs, i, np = 0, nb = 0;
	double *with = ib_xcalloc(n + 1, sizeof(double));
	double *without = ib_xcalloc(n + 1, sizeof(double));
	json_object *j = json_object_new_object();
	char line[256];
	int len = 0, ph;

	for (ph = 0; ph < 2; ph++) {
		json_object *x = json_object_new_object();
		double a, b;

		np = nb = 0;
		for (i = 0; i < n; i++) {
			const struct iommu_bench_timing *t = &s->timings[i];

			if (s->bare[t->cycle])
				without[nb++] = t->ns[ph];
			else
				with[np++] = t->ns[ph];
		}
		a = ib_median(with, np);
		b = ib_median(without, nb);
		json_object_object_add(x, "with_probes_median_ns", json_object_new_double(a));
		json_object_object_add(x, "without_median_ns", json_object_new_double(b));
		json_object_object_add(x, "change_pct",
				       json_object_new_double(b ? (a - b) / b * 100 : 0));
		json_object_object_add(j, o->mi->phase[ph], x);
		len += snprintf(line + len, sizeof(line) - len, "%s%s %+.1f%%",
				ph ? ", " : "", o->mi->phase[ph], b ? (a - b) / b * 100 : 0);
	}
	json_object_object_add(j, "cycles_with_probes", json_object_new_int64(np));
	json_object_object_add(j, "cycles_without", json_object_new_int64(nb));
	if (!o->quiet)
		ib_info("%s: probe effect (median, %zu device-cycles with probes, %zu without): %s",
			o->label, np, nb, line);
	free(with);
	free(without);
	return j;
}

static int write_summary(const char *dir, const struct ib_account *acc)
{
	char *path = ib_xasprintf("%s/summary.json", dir);
	json_object *j = ib_summary_json(acc);
	int ret = ib_meta_write(path, j);

	json_object_put(j);
	free(path);
	return ret;
}

static json_object *adaptive_json(const struct run_state *s)
{
	json_object *j = json_object_new_object();

	json_object_object_add(j, "target_pct", json_object_new_double(s->o->until_ci));
	json_object_object_add(j, "reached", json_object_new_boolean(
		s->adaptive.stopped_by && !strcmp(s->adaptive.stopped_by, "ci")));
	json_object_object_add(j, "stopped_by", s->adaptive.stopped_by ?
			       json_object_new_string(s->adaptive.stopped_by) :
			       json_object_new_string("error"));
	json_object_object_add(j, "halfwidth_pct",
			       json_object_new_double(s->adaptive.halfwidth_pct));
	json_object_object_add(j, "median_us",
			       json_object_new_double(s->adaptive.median_us));
	json_object_object_add(j, "releases", json_object_new_int64(s->adaptive.n));
	json_object_object_add(j, "max_cycles", json_object_new_int64(s->o->max_cycles));
	json_object_object_add(j, "max_seconds", json_object_new_int64(s->o->max_seconds));
	return j;
}

static json_object *opts_json(const struct run_opts *o)
{
	json_object *j = json_object_new_object(), *d = json_object_new_array();
	uint32_t i;

	for (i = 0; i < o->ndevs; i++)
		json_object_array_add(d, json_object_new_string(o->names[i]));
	json_object_object_add(j, "mode", json_object_new_string(o->mode_name));
	json_object_object_add(j, "devices", d);
	json_object_object_add(j, "cycles", json_object_new_int64(o->cycles));
	json_object_object_add(j, "boot", json_object_new_int64(o->boot));
	json_object_object_add(j, "traced", json_object_new_boolean(!o->no_trace));
	return j;
}

static const char *release_symbol(const struct ib_probeset *ps)
{
	int i;

	for (i = 0; ps && i < ps->nprobes; i++)
		if (ps->probes[i].role == IB_ROLE_RELEASE && ps->probes[i].symbol)
			return ps->probes[i].symbol;
	return NULL;
}

static int finish(struct run_state *s, int ret)
{
	char now[32], *path, *final;

	ib_meta_now(now, sizeof(now));
	json_object_object_add(s->meta, "finished", json_object_new_string(now));
	json_object_object_add(s->meta, "status",
			       json_object_new_string(ret ? "failed" : "ok"));
	json_object_object_add(s->meta, "error", ret ?
			       json_object_new_string(s->error) : NULL);
	json_object_object_add(s->meta, "cycles_done",
			       json_object_new_int64(s->cycles_done));
	path = ib_xasprintf("%s/meta.json", s->partial);
	if (ib_meta_write(path, s->meta)) {
		ib_err("%s: %s", path, strerror(errno));
		ret = ret ? ret : -EIO;
	}
	free(path);
	final = ret ? ib_xasprintf("%s.failed", s->o->out) :
		      ib_xstrdup(s->o->out);
	if (rename(s->partial, final)) {
		ib_err("cannot rename %s to %s: %s", s->partial, final,
		       strerror(errno));
		ret = ret ? ret : -EIO;
	} else if (ret) {
		ib_err("run failed; what was recorded is in %s", final);
	} else if (!s->o->quiet) {
		ib_info("results in %s", final);
	}
	free(final);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct run_state s = { .o = &o, .fd = -1 };
	struct ib_account *acc = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	struct utsname u;
	const char *why = NULL;
	char now[32];
	int ret;

	if (parse_opts(&o, argc, argv))
		return 2;
	uname(&u);
	if (!o.label)
		o.label = u.release;
	if (!access(o.out, F_OK)) {
		ib_err("%s exists: results are never overwritten", o.out);
		return 2;
	}
	if (check_devices(&o))
		return 2;
	s.fd = ib_kmod_open(o.control, &why);
	if (s.fd < 0) {
		ib_err("%s: %s", o.control, why);
		return 2;
	}
	ret = check_with_module(&s);
	if (ret)
		goto out;
	s.meta = json_object_new_object();
	json_object_object_add(s.meta, "tool", json_object_new_string("iommu-bench"));
	json_object_object_add(s.meta, "tool_version",
			       json_object_new_string(IB_VERSION));
	json_object_object_add(s.meta, "uapi_version",
			       json_object_new_int(IOMMU_BENCH_ABI_VERSION));
	json_object_object_add(s.meta, "label", json_object_new_string(o.label));
	ib_meta_now(now, sizeof(now));
	json_object_object_add(s.meta, "started", json_object_new_string(now));
	json_object_object_add(s.meta, "system", ib_meta_system());
	json_object_object_add(s.meta, "config", opts_json(&o));
	s.cycles_cap = (o.until_ci ? o.max_cycles : o.cycles) * (o.untraced ? 2 : 1);
	s.timings = ib_xcalloc((size_t)s.cycles_cap * o.ndevs, sizeof(*s.timings));
	s.bare = ib_xcalloc(s.cycles_cap, 1);

	/* Nothing is written until tracing is set up: bad setup, no result. */
	if (!o.no_trace && setup_tracing(&s)) {
		ib_err("%s", s.error);
		ret = 2;
		goto out;
	}
	s.partial = ib_xasprintf("%s.partial", o.out);
	if (mkdir(s.partial, 0755)) {
		ib_err("cannot create %s: %s", s.partial, strerror(errno));
		ret = 2;
		goto out;
	}
	if (s.tr)
		ib_run_tracedat_begin(&s);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	ret = drive(&s);
	if (s.tr) {
		if (!o.quiet)
			ib_info("%s: reading the trace back", o.label);
		if (ib_run_drain(&s)) {
			ib_err("%s", s.error);
			ret = ret ? ret : -EIO;
		}
		acc = ib_run_account(&s);
		if (ib_probeset_read_profile(s.ps))
			ib_warn("cannot read kprobe_profile: probe misses unknown");
		ib_run_tracedat_end(&s);
		json_object_object_add(s.meta, "trace_dat",
				       ib_run_tracedat_json(&s));
	}
	if (o.untraced && s.cycles_done)
		json_object_object_add(s.meta, "probe_effect", probe_effect_json(&s));
	if (o.until_ci) {
		json_object_object_add(s.meta, "until_ci", adaptive_json(&s));
		if (!ret && strcmp(s.adaptive.stopped_by, "ci"))
			ib_warn("--until-ci %.1f%% not reached: stopped by the %s cap at +-%.1f%% after %u cycles",
				o.until_ci, s.adaptive.stopped_by,
				s.adaptive.halfwidth_pct, s.cycles_done);
		else if (!ret && !o.quiet)
			ib_info("--until-ci %.1f%% reached after %u cycles: +-%.1f%%",
				o.until_ci, s.cycles_done, s.adaptive.halfwidth_pct);
	}
	if (s.ps) {
		json_object_object_add(s.meta, "probes", probes_json(s.ps));
		json_object_object_add(s.meta, "release_function",
				       release_symbol(s.ps) ?
				       json_object_new_string(release_symbol(s.ps)) :
				       NULL);
	}
	if (acc) {
		json_object_object_add(s.meta, "trace", trace_json(&s, acc));
		if (probe_misses(s.ps))
			ib_warn("probes missed %llu hits (meta.json probes[].misses): raise maxactive of the release probe in its pack",
				probe_misses(s.ps));
		if (lost_events(&s))
			ib_warn("the trace lost events: counts in this run are incomplete (see meta.json trace.lost_events)");
	}
	if (write_cycles(&s, acc) && !ret) {
		snprintf(s.error, sizeof(s.error), "cannot write cycles.csv: %s",
			 strerror(errno));
		ret = -EIO;
	}
	if (acc && write_summary(s.partial, acc) && !ret) {
		snprintf(s.error, sizeof(s.error), "cannot write summary.json: %s",
			 strerror(errno));
		ret = -EIO;
	}
	ret = finish(&s, ret) ? 1 : 0;
out:
	ib_account_free(acc);
	ib_decoder_free(s.dec);
	if (s.tep)
		tep_free(s.tep);
	/* The instance first: an enabled kprobe cannot be removed. */
	ib_tracing_destroy(s.tr);
	ib_probeset_free(s.ps);
	json_object_put(s.meta);
	free(s.ev);
	free(s.timings);
	free(s.bare);
	free(s.partial);
	free(s.pages);
	free(s.tracedat_note);
	close(s.fd);
	return ret;
}
