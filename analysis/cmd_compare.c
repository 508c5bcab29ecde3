// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench compare: per-kernel release latency and switch counts side
 * by side, the first run as the baseline, and a latency CDF plot.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../bench/commands.h"
#include "../bench/cycles_csv.h"
#include "../bench/util.h"
#include "stats.h"

#define MAX_RUNS 8

struct run {
	const char *dir;
	char label[64];
	char kernel[128];
	char release_fn[64];
	char iommu[32];
	struct ib_row *rows;
	size_t nrows;
	double *lat_us;			/* per release, traced cycles */
	struct ib_summary lat, remove_ms, rescan_ms;
	uint64_t releases, cycles, devices;
	uint64_t sw[IB_WIN_NR - 1][3];	/* total, traced, untraced */
	uint64_t hw[IB_WIN_NR - 1][IB_HW_NR];
	int32_t target;
	int lost;
};

void cmd_compare_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench compare [options] RUN_A RUN_B [RUN ...]\n\n"
		"Compare result directories (each with meta.json and cycles.csv),\n"
		"RUN_A as the baseline.  Prints the table; with -o also writes it to\n"
		"DIR/compare.txt with the data and plot DIR/release_latency.png.\n\n"
		"  -o, --out DIR      where to write the table, data and plot\n"
		"      --allow-lost   use runs whose trace lost events\n"
		"  -h, --help         this text\n");
}

static const char *jstr(json_object *o, const char *path)
{
	char *copy = ib_xstrdup(path), *tok, *save = NULL;
	json_object *cur = o;
	const char *ret = NULL;

	for (tok = strtok_r(copy, ".", &save); tok && cur;
	     tok = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(cur, tok, &cur))
			cur = NULL;
	if (cur && json_object_get_type(cur) != json_type_null)
		ret = json_object_get_string(cur);
	free(copy);
	return ret;
}

static int load_run(struct run *r, const char *dir, char *err, size_t errlen)
{
	char *path = ib_xasprintf("%s/meta.json", dir);
	json_object *m = json_object_from_file(path);
	double *rm, *rs;
	size_t i, nl = 0;
	const char *v;
	int ret;

	memset(r, 0, sizeof(*r));
	r->dir = dir;
	if (!m) {
		snprintf(err, errlen, "%s: missing or not JSON", path);
		free(path);
		return -EINVAL;
	}
	free(path);
	v = jstr(m, "status");
	if (!v || strcmp(v, "ok")) {
		snprintf(err, errlen, "%s: run status is %s, not ok", dir,
			 v ? v : "missing");
		json_object_put(m);
		return -EINVAL;
	}
	snprintf(r->label, sizeof(r->label), "%s", jstr(m, "label") ?: dir);
	snprintf(r->kernel, sizeof(r->kernel), "%s",
		 jstr(m, "system.kernel_release") ?: "?");
	snprintf(r->release_fn, sizeof(r->release_fn), "%s",
		 jstr(m, "release_function") ?: "none");
	snprintf(r->iommu, sizeof(r->iommu), "%s",
		 jstr(m, "system.iommu_driver") ?: "none");
	v = jstr(m, "trace.lost_events");
	r->lost = v && !strcmp(v, "true");
	json_object_put(m);

	path = ib_xasprintf("%s/cycles.csv", dir);
	ret = ib_cycles_csv_read(path, &r->rows, &r->nrows, err, errlen);
	free(path);
	if (ret)
		return ret;
	if (!r->nrows) {
		snprintf(err, errlen, "%s: no cycles recorded", dir);
		return -EINVAL;
	}

	r->lat_us = ib_xcalloc(r->nrows, sizeof(double));
	rm = ib_xcalloc(r->nrows, sizeof(double));
	rs = ib_xcalloc(r->nrows, sizeof(double));
	r->target = IB_TARGET_NONE;
	for (i = 0; i < r->nrows; i++) {
		const struct ib_row *row = &r->rows[i];
		int w, k;

		rm[i] = row->remove_ns / 1e6;
		rs[i] = row->rescan_ns / 1e6;
		r->cycles++;
		if (!row->traced)
			continue;
		if (row->releases) {
			r->lat_us[nl++] = row->release_ns / 1e3 / row->releases;
			r->releases += row->releases;
		}
		for (w = 0; w < IB_WIN_NR - 1; w++) {
			r->sw[w][0] += row->sw[w].total;
			r->sw[w][1] += row->sw[w].traced;
			r->sw[w][2] += row->sw[w].untraced;
			for (k = 0; k < IB_HW_NR; k++)
				r->hw[w][k] += row->hw[w][k];
		}
		if (row->release_target != IB_TARGET_NONE) {
			if (r->target == IB_TARGET_NONE)
				r->target = row->release_target;
			else if (r->target != row->release_target)
				r->target = IB_TARGET_MIXED;
		}
	}
	ib_summary_compute(r->lat_us, nl, &r->lat);
	ib_summary_compute(rm, r->nrows, &r->remove_ms);
	ib_summary_compute(rs, r->nrows, &r->rescan_ms);
	free(rm);
	free(rs);
	return 0;
}

/* Print to stdout and, if open, the saved table. */
static void out(FILE *saved, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (saved) {
		va_start(ap, fmt);
		vfprintf(saved, fmt, ap);
		va_end(ap);
	}
}

static double per(uint64_t x, uint64_t n)
{
	return n ? (double)x / n : 0;
}

static void row_value(FILE *f, const char *group, const char *name,
		      const struct run *runs, int n,
		      double (*get)(const struct run *), const char *fmt,
		      int pct)
{
	char cell[64];
	int i;

	out(f, "%-18s %-16s", group, name);
	for (i = 0; i < n; i++) {
		double v = get(&runs[i]), base = get(&runs[0]);
		int len = snprintf(cell, sizeof(cell), fmt, v);

		if (pct && i && base != 0)
			snprintf(cell + len, sizeof(cell) - len, " (%+.1f%%)",
				 (v - base) * 100.0 / base);
		out(f, " %22s", cell);
	}
	out(f, "\n");
}

#define GETTER(name, expr) \
	static double name(const struct run *r) { return (expr); }

GETTER(g_n, (double)r->lat.n)
GETTER(g_med, r->lat.median)
GETTER(g_p90, r->lat.p90)
GETTER(g_min, r->lat.min)
GETTER(g_max, r->lat.max)
GETTER(g_rm, r->remove_ms.median)
GETTER(g_rs, r->rescan_ms.median)
GETTER(g_sw, per(r->sw[IB_WIN_RELEASE][0], r->releases))
GETTER(g_swt, per(r->sw[IB_WIN_RELEASE][1], r->releases))
GETTER(g_swu, per(r->sw[IB_WIN_RELEASE][2], r->releases))
GETTER(g_psw, per(r->sw[IB_WIN_PROBE][0], r->cycles))
GETTER(g_pswt, per(r->sw[IB_WIN_PROBE][1], r->cycles))
GETTER(g_pswu, per(r->sw[IB_WIN_PROBE][2], r->cycles))
GETTER(g_inval, per(r->hw[IB_WIN_RELEASE][IB_HW_INVAL], r->releases))
GETTER(g_ctx, per(r->hw[IB_WIN_RELEASE][IB_HW_CTX], r->releases))

static void print_table(FILE *f, const struct run *runs, int n)
{
	int i;

	out(f, "%-35s", "");
	for (i = 0; i < n; i++)
		out(f, " %22s", runs[i].label);
	out(f, "\n%-35s", "kernel");
	for (i = 0; i < n; i++)
		out(f, " %22s", runs[i].kernel);
	out(f, "\n%-35s", "release function");
	for (i = 0; i < n; i++)
		out(f, " %22s", runs[i].release_fn);
	out(f, "\n\n");
	row_value(f, "release latency", "n", runs, n, g_n, "%.0f", 0);
	row_value(f, "(us per release)", "median", runs, n, g_med, "%.1f", 1);
	row_value(f, "", "p90", runs, n, g_p90, "%.1f", 1);
	row_value(f, "", "min", runs, n, g_min, "%.1f", 0);
	row_value(f, "", "max", runs, n, g_max, "%.1f", 0);
	row_value(f, "cycle phases", "remove ms (med)", runs, n, g_rm, "%.2f", 1);
	row_value(f, "", "rescan ms (med)", runs, n, g_rs, "%.2f", 1);
	row_value(f, "switches/release", "total", runs, n, g_sw, "%.2f", 0);
	row_value(f, "", "traced", runs, n, g_swt, "%.2f", 0);
	row_value(f, "", "untraced", runs, n, g_swu, "%.2f", 0);
	out(f, "%-18s %-16s", "", "target");
	for (i = 0; i < n; i++)
		out(f, " %22s", ib_target_name(runs[i].target));
	out(f, "\n");
	row_value(f, "switches/re-probe", "total", runs, n, g_psw, "%.2f", 0);
	row_value(f, "", "traced", runs, n, g_pswt, "%.2f", 0);
	row_value(f, "", "untraced", runs, n, g_pswu, "%.2f", 0);
	row_value(f, "hw work/release", "invalidations", runs, n, g_inval,
		  "%.2f", 0);
	row_value(f, "", "context writes", runs, n, g_ctx, "%.2f", 0);
	out(f, "\n(n) releases in traced cycles; %% change against %s;\n"
	    "lower latency is better.  TCG timings are relative only.\n",
	    runs[0].label);
}

static int write_cdf(const char *path, const struct run *r)
{
	struct ib_afile *af = ib_afile_open(path);
	size_t i;

	if (!af)
		return -errno;
	for (i = 0; i < r->lat.n; i++)
		fprintf(ib_afile_stream(af), "%.3f %.6f\n", r->lat_us[i],
			(double)(i + 1) / r->lat.n);
	return ib_afile_commit(af);
}

/* gnuplot string literal: single quotes, a quote doubled. */
static char *gp_quote(const char *s)
{
	char *out = ib_xcalloc(2 * strlen(s) + 3, 1), *o = out;

	*o++ = '\'';
	for (; *s; s++) {
		if (*s == '\'')
			*o++ = '\'';
		*o++ = *s;
	}
	*o++ = '\'';
	return out;
}

static char *gp_set(char *expr, const char *name, const char *value)
{
	char *q = gp_quote(value), *r;

	r = ib_xasprintf("%s%s=%s; ", expr, name, q);
	free(q);
	free(expr);
	return r;
}

static int plot(const char *outdir, const struct run *runs, int n)
{
	char *png = ib_xasprintf("%s/release_latency.png", outdir);
	char *script = ib_xasprintf("%s/analysis/latency_cdf.gp", ib_data_dir());
	char *expr = ib_xasprintf("n=%d; ", n), *heading;
	int i, status, ret = 0;
	pid_t pid;

	for (i = 0; i < n; i++) {
		char *dat = ib_xasprintf("%s/latency-%d.dat", outdir, i + 1);
		char *title = ib_xasprintf("%s (%s)", runs[i].label,
					   runs[i].release_fn);
		char var[8];

		if (write_cdf(dat, &runs[i])) {
			ib_err("cannot write %s", dat);
			ret = -EIO;
		}
		snprintf(var, sizeof(var), "f%d", i + 1);
		expr = gp_set(expr, var, dat);
		snprintf(var, sizeof(var), "t%d", i + 1);
		expr = gp_set(expr, var, title);
		free(dat);
		free(title);
	}
	heading = ib_xasprintf("IOMMU release latency: %s IOMMU, %llu releases per kernel",
			       runs[0].iommu,
			       (unsigned long long)runs[0].releases);
	expr = gp_set(expr, "heading", heading);
	expr = gp_set(expr, "out", png);
	pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-e", expr, script, (char *)NULL);
		fprintf(stderr, "iommu-bench: cannot run gnuplot: %s\n",
			strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		ib_err("gnuplot failed on %s", script);
		ret = -EIO;
	}
	free(heading);
	free(expr);
	free(script);
	free(png);
	return ret;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "allow-lost", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct run runs[MAX_RUNS];
	const char *outdir = NULL;
	int allow_lost = 0, n = 0, c, i, ret = 1;
	FILE *saved = NULL;
	struct ib_afile *af = NULL;
	char err[512];

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'L':
			allow_lost = 1;
			break;
		case 'h':
			cmd_compare_usage(stdout);
			return 0;
		default:
			cmd_compare_usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 2 || argc - optind > MAX_RUNS) {
		ib_err("compare needs 2 to %d runs", MAX_RUNS);
		return 2;
	}
	for (i = optind; i < argc; i++, n++) {
		if (load_run(&runs[n], argv[i], err, sizeof(err))) {
			ib_err("%s", err);
			goto done;
		}
		if (runs[n].lost && !allow_lost) {
			ib_err("%s: its trace lost events; counts are incomplete (--allow-lost to use it anyway)",
			       argv[i]);
			n++;
			goto done;
		}
	}
	if (outdir) {
		char *path;

		if (mkdir(outdir, 0755) && errno != EEXIST) {
			ib_err("cannot create %s: %s", outdir, strerror(errno));
			goto done;
		}
		path = ib_xasprintf("%s/compare.txt", outdir);
		af = ib_afile_open(path);
		free(path);
		if (!af) {
			ib_err("cannot write in %s: %s", outdir, strerror(errno));
			goto done;
		}
		saved = ib_afile_stream(af);
	}
	print_table(saved, runs, n);
	ret = 0;
	if (af) {
		ret = ib_afile_commit(af) ? 1 : 0;
		af = NULL;
		if (!ret && plot(outdir, runs, n))
			ret = 1;
	}
done:
	if (af)
		ib_afile_abort(af);
	for (i = 0; i < n; i++) {
		free(runs[i].rows);
		free(runs[i].lat_us);
	}
	return ret;
}
