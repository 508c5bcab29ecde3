// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench import: analyse a trace.dat recorded elsewhere (by a run's
 * own trace.dat, or by "trace-cmd record" on a lab machine that has only
 * trace-cmd), or a perf.data of "perf record", into the same cycles.csv
 * and meta.json a run writes.  A trace.dat is read with libtracecmd, a
 * perf.data's tracepoint samples by perf_data.c; both are decoded by the
 * run's own decoder.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "commands.h"
#include "cycles_csv.h"
#include "import.h"
#include "meta.h"
#include "modes.h"
#include "probe_pack.h"
#include "summary.h"
#include "trace_uname.h"
#include "util.h"

void cmd_import_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench import [options] -o OUT FILE\n\n"
		"Analyse a trace.dat (a run's own, or one recorded with trace-cmd record\n"
		"-e iommu_bench -e iommu -e %s on a machine without the\n"
		"collector) or a perf.data (perf record -a -e 'iommu_bench:*'\n"
		"-e 'iommu:*' -e '%s:*', the probes made by 'probes --perf')\n"
		"into OUT/{meta.json,cycles.csv}, as 'run' writes them.\n"
		"Cycles come from the module's iommu_bench events; probe events are\n"
		"matched to their roles by name through the probe packs.\n\n"
		"  -o, --out DIR       result directory; must not exist\n"
		"  -l, --label NAME    name of the kernel in results (default: its\n"
		"                      release, from the uname trace-cmd record keeps\n"
		"                      or the perf.data's header; else the file name)\n"
		"  -b, --boot N        boot number written to cycles.csv (default 1)\n"
		"  -p, --probes DIR    probe packs (default DATA/configs/probes)\n"
		"  -r, --release REL   the kernel it was recorded on, whose rules the\n"
		"                      packs count by (default: the uname trace-cmd\n"
		"                      record keeps, or perf's header; a run's own\n"
		"                      trace.dat keeps none: its meta.json's\n"
		"                      system.kernel_release)\n"
		"      --icount-shift N  it was recorded on QEMU's icount clock, 2^N ns\n"
		"                      an instruction (0-10; the run's meta.json\n"
		"                      icount_shift): lengths in guest instructions\n"
		"  -h, --help          this text\n\n"
		"Exit status: 0 done, 1 the file cannot be analysed, 2 bad usage.\n",
		IB_PROBE_SYSTEM, IB_PROBE_SYSTEM);
}

static const char *mode_name(long long mode)
{
	int i;

	for (i = 0; i < ib_nmodes; i++)
		if (ib_mode_table[i].mode == mode)
			return ib_mode_table[i].name;
	return "?";
}

static int write_rows(const char *dir, const struct ib_account *acc,
		      uint32_t boot, int shift)
{
	char *path = ib_xasprintf("%s/cycles.csv", dir);
	struct ib_afile *af = ib_afile_open(path);
	size_t i;

	free(path);
	if (!af)
		return -errno;
	ib_cycles_csv_header(ib_afile_stream(af), shift < 0 ? IB_UNIT_NS : IB_UNIT_INSN);
	for (i = 0; i < ib_account_ncycles(acc); i++) {
		const struct ib_cycle *c = ib_account_cycle(acc, i);
		struct ib_row row = { 0 };

		row.boot = boot;
		ib_strlcpy(row.dev, c->dev, sizeof(row.dev));
		row.cycle = c->cycle;
		row.ret = c->ret;
		row.phase_len[0] = c->phase_ns[0];
		row.phase_len[1] = c->phase_ns[1];
		ib_strlcpy(row.phase[0], ib_phase_name(c->phase[0]),
			   sizeof(row.phase[0]));
		ib_strlcpy(row.phase[1], ib_phase_name(c->phase[1]),
			   sizeof(row.phase[1]));
		ib_row_from_cycle(&row, c);
		if (shift >= 0)
			ib_row_to_insn(&row, shift);
		ib_cycles_csv_row(ib_afile_stream(af), &row);
	}
	return ib_afile_commit(af);
}

/*
 * Where it was recorded: the uname trace-cmd record kept (else the
 * --release given), and the IOMMU driver whose pack's probes it holds.
 */
static json_object *system_json(const struct ib_import *im,
				const struct ib_trace_uname *u, const char *release)
{
	json_object *o = json_object_new_object();

	if (!u->release[0] && release)
		json_object_object_add(o, "kernel_release",
				       json_object_new_string(release));
	if (u->release[0]) {
		json_object_object_add(o, "kernel_release",
				       json_object_new_string(u->release));
		/* absent, not null, when unknown: meta.json says a string */
		if (u->version[0])
			json_object_object_add(o, "kernel_version",
					       json_object_new_string(u->version));
		json_object_object_add(o, "machine",
				       json_object_new_string(u->machine));
	}
	json_object_object_add(o, "iommu_driver", im->driver[0] ?
			       json_object_new_string(im->driver) : NULL);
	json_object_object_add(o, "from", json_object_new_string(
		im->perf ? "the perf.data's header and probes" :
		u->release[0] ? "the trace.dat's uname and probes" :
		release ? "--release and the trace.dat's probes (it keeps no uname)" :
			  "the trace.dat's probes (it keeps no uname)"));
	return o;
}

static json_object *meta_json(const struct ib_import *im, const char *file,
			      const char *label, const struct ib_trace_uname *u,
			      const char *release)
{
	const struct ib_account *acc = im->acc;
	json_object *m = json_object_new_object(), *t, *a, *devs;
	uint32_t max_cycle = 0;
	char now[32];
	size_t i, j;
	int k;

	ib_meta_now(now, sizeof(now));
	json_object_object_add(m, "tool", json_object_new_string("iommu-bench"));
	json_object_object_add(m, "tool_version", json_object_new_string(IB_VERSION));
	json_object_object_add(m, "label", json_object_new_string(label));
	json_object_object_add(m, "imported_from", json_object_new_string(file));
	json_object_object_add(m, "system", system_json(im, u, release));
	json_object_object_add(m, "started", json_object_new_string(now));
	json_object_object_add(m, "status", json_object_new_string("ok"));
	json_object_object_add(m, "release_probe", im->release_probe ?
			       json_object_new_string(im->release_probe) : NULL);
	a = json_object_new_object();
	json_object_object_add(a, "mode", json_object_new_string(mode_name(im->mode)));
	devs = json_object_new_array();
	for (i = 0; i < ib_account_ncycles(acc); i++) {
		const struct ib_cycle *c = ib_account_cycle(acc, i);
		int seen = 0;

		if (c->cycle > max_cycle)
			max_cycle = c->cycle;
		for (j = 0; j < json_object_array_length(devs) && !seen; j++)
			seen = !strcmp(json_object_get_string(
				json_object_array_get_idx(devs, j)), c->dev);
		if (!seen)
			json_object_array_add(devs, json_object_new_string(c->dev));
	}
	json_object_object_add(a, "devices", devs);
	json_object_object_add(a, "cycles", json_object_new_int64(
		ib_account_ncycles(acc) ? max_cycle + 1 : 0));
	json_object_object_add(a, "traced", json_object_new_boolean(1));
	json_object_object_add(m, "config", a);

	t = json_object_new_object();
	json_object_object_add(t, "records", json_object_new_int64(im->records));
	json_object_object_add(t, "records_after_loss", json_object_new_int64(im->missed));
	json_object_object_add(t, "lost_events",
			       json_object_new_boolean(im->missed || im->perf_info.lost));
	if (im->perf) {
		json_object *pf = json_object_new_object();

		json_object_object_add(pf, "samples",
				       json_object_new_int64(im->perf_info.samples));
		json_object_object_add(pf, "lost_samples",
				       json_object_new_int64(im->perf_info.lost));
		json_object_object_add(pf, "system_wide", im->perf_info.system_wide < 0 ?
				       NULL : json_object_new_boolean(im->perf_info.system_wide));
		json_object_object_add(t, "perf", pf);
	}
	a = json_object_new_array();
	for (k = 0; k < im->ncpus; k++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "cpu", json_object_new_int(k));
		json_object_object_add(c, "records",
				       json_object_new_int64(im->cpu_records[k]));
		json_object_array_add(a, c);
	}
	json_object_object_add(t, "cpus", a);
	ib_meta_add_account(t, ib_account_stats(im->acc));
	json_object_object_add(m, "trace", t);
	return m;
}

/* Where it was recorded: trace-cmd's uname, or a perf.data's header. */
static int file_uname(const struct ib_import *im, const char *file,
		      struct ib_trace_uname *u)
{
	if (!im->perf)
		return ib_trace_uname_read(file, u);
	memset(u, 0, sizeof(*u));
	ib_strlcpy(u->release, im->perf_info.osrelease, sizeof(u->release));
	ib_strlcpy(u->machine, im->perf_info.arch, sizeof(u->machine));
	return u->release[0] ? 0 : -ENOENT;
}

/*
 * What the recording lacks that makes counts low, said before they are
 * written: perf's lost samples, a perf record without -a (another
 * task's release work is not in it), an event group not recorded, and a
 * --release that is not the kernel it was recorded on.
 */
static void warn_recording(const struct ib_import *im, const char *file,
			   const struct ib_trace_uname *u, const char *release)
{
	if (im->perf_info.lost)
		ib_warn("%s: perf lost %llu samples: counts are incomplete (record with a larger -m)",
			file, (unsigned long long)im->perf_info.lost);
	if (im->perf && im->perf_info.system_wide == 0)
		ib_warn("%s: recorded without -a: only the command's own tasks (or -C's CPUs) were traced, so switches and releases in kernel threads and workqueues may be missing",
			file);
	if (im->perf && im->perf_info.system_wide < 0)
		ib_warn("%s: its command line is not in it: cannot tell whether it was recorded with -a",
			file);
	if (!im->has_attach)
		ib_warn("%s: no iommu:attach_device_to_domain in it: no domain switch is counted (record -e iommu)",
			file);
	if (!im->release_probe)
		ib_warn("%s: no release probe of the packs in it: no release latency (record the %s probes)",
			file, IB_PROBE_SYSTEM);
	if (release && u->release[0] && strcmp(release, u->release))
		ib_warn("%s: recorded on %s, counted by the rules of --release %s",
			file, u->release, release);
}

int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "label", required_argument, NULL, 'l' },
		{ "boot", required_argument, NULL, 'b' },
		{ "probes", required_argument, NULL, 'p' },
		{ "release", required_argument, NULL, 'r' },
		{ "icount-shift", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *out = NULL, *label = NULL, *probes = NULL, *release = NULL, *file;
	char err[512], *defdir = NULL, *partial = NULL, *path, *end, *base = NULL;
	struct ib_import *im = NULL;
	struct ib_trace_uname u;
	json_object *meta = NULL;
	unsigned long boot = 1;
	int c, ret = 1, usage, shift = -1;
	uint64_t incomplete;

	memset(&u, 0, sizeof(u));
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:l:b:p:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'b':
			errno = 0;
			boot = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || boot > 1000000) {
				ib_err("--boot: '%s' is not a number from 0 to 1000000",
				       optarg);
				return 2;
			}
			break;
		case 'p':
			probes = optarg;
			break;
		case 'r':
			if (!ib_kernel_version(optarg)) {
				ib_err("--release: '%s' is not a kernel release (MAJOR.MINOR...)",
				       optarg);
				return 2;
			}
			release = optarg;
			break;
		case 'I':
			errno = 0;
			shift = (int)strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || shift < 0 || shift > 10) {
				ib_err("--icount-shift: '%s' is not a shift from 0 to 10",
				       optarg);
				return 2;
			}
			break;
		case 'h':
			cmd_import_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_import_usage, "import");
			return 2;
		}
	}
	if (optind != argc - 1 || !out) {
		ib_err(!out ? "import needs -o OUT" :
		       "import takes exactly one trace file");
		ib_usage_short(cmd_import_usage, "import");
		return 2;
	}
	file = argv[optind];
	if (!access(out, F_OK)) {
		ib_err("%s exists: results are never overwritten", out);
		return 2;
	}
	if (access(file, R_OK)) {
		ib_err("%s: %s", file, strerror(errno));
		return 2;
	}
	if (!probes)
		probes = defdir = ib_xasprintf("%s/configs/probes", ib_data_dir());
	im = ib_import_read(file, probes, release, &usage, err, sizeof(err));
	if (im && !file_uname(im, file, &u) && !release &&
	    ib_probeset_set_release(im->ps, u.release)) {
		/* the packs count this kernel by other rules: again by those */
		ib_import_free(im);
		im = ib_import_read(file, probes, u.release, &usage, err, sizeof(err));
	}
	if (!im) {
		ib_err("%s", err);
		ret = usage ? 2 : 1;
		goto out;
	}
	if (im->missed)
		ib_warn("%s: the trace lost events: counts are incomplete", file);
	warn_recording(im, file, &u, release);
	incomplete = ib_account_stats(im->acc)->incomplete_cycles;
	if (incomplete == ib_account_ncycles(im->acc)) {
		ib_err("%s: none of its %llu cycles has a complete trace (a cycle_end for each cycle_start)",
		       file, (unsigned long long)incomplete);
		goto out;
	}
	if (incomplete)
		ib_warn("%s: %llu of %zu cycles have no complete trace: their rows say traced 0 (meta.json trace.incomplete_cycles)",
			file, (unsigned long long)incomplete,
			ib_account_ncycles(im->acc));
	if (!u.release[0] && !release && ib_probeset_versioned(im->ps))
		ib_info("%s: the packs count it by their rules for kernels before %s (--release says which kernel it is)",
			file, ib_probeset_versioned(im->ps));
	if (!u.release[0] && !release)
		ib_info("%s keeps no uname (trace-cmd record keeps one, restore does not): the kernel is not known",
			file);
	if (!label)
		label = u.release[0] ? u.release : release;
	if (!label) {
		base = ib_xstrdup(file);
		label = basename(base);
	}
	partial = ib_xasprintf("%s.partial", out);
	if (mkdir(partial, 0755)) {
		ib_err("cannot create %s: %s", partial, strerror(errno));
		ret = 2;
		goto out;
	}
	meta = meta_json(im, file, label, &u, release);
	json_object_object_add(meta, "clock_unit", json_object_new_string(
		ib_unit_name(shift < 0 ? IB_UNIT_NS : IB_UNIT_INSN)));
	if (shift >= 0)
		json_object_object_add(meta, "icount_shift", json_object_new_int(shift));
	path = ib_xasprintf("%s/meta.json", partial);
	ret = write_rows(partial, im->acc, (uint32_t)boot, shift) ||
	      ib_meta_write(path, meta);
	free(path);
	if (!ret) {
		json_object *sum = ib_summary_json(im->acc, shift);

		path = ib_xasprintf("%s/summary.json", partial);
		ret = ib_meta_write(path, sum);
		json_object_put(sum);
		free(path);
	}
	if (ret || rename(partial, out)) {
		ib_err("cannot write %s: %s", out, strerror(errno));
		ib_rmtree(partial);
		ret = 1;
		goto out;
	}
	ret = 0;
out:
	json_object_put(meta);
	ib_import_free(im);
	free(defdir);
	free(partial);
	free(base);
	return ret;
}
