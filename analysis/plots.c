// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plots.h"
#include "util.h"

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

/* Append "name='value'; " to the -e expression. */
static char *gp_set(char *expr, const char *name, const char *value)
{
	char *q = gp_quote(value), *r;

	r = ib_xasprintf("%s%s=%s; ", expr, name, q);
	free(q);
	free(expr);
	return r;
}

static int gnuplot(const char *script, const char *expr)
{
	char *path = ib_xasprintf("%s/analysis/%s", ib_data_dir(), script);
	int status, ret = 0;
	pid_t pid;

	if (access(path, R_OK)) {
		ib_err("no plot script %s (make install, or IOMMU_BENCH_DATA=DIR holding analysis/*.gp)",
		       path);
		free(path);
		return -ENOENT;
	}
	pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-e", expr, path, (char *)NULL);
		fprintf(stderr, "iommu-bench: cannot run gnuplot: %s\n",
			strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		ib_err("gnuplot failed on %s", path);
		ret = -EIO;
	}
	free(path);
	return ret;
}

/* Run @script once per format, with @expr plus term and out. */
static int render(const char *script, const char *expr, const char *outdir,
		  const char *base)
{
	static const char *const terms[] = { "png", "svg" };
	size_t i;
	int ret = 0;

	for (i = 0; i < 2 && ret != -ENOENT; i++) {
		char *out = ib_xasprintf("%s/%s.%s", outdir, base, terms[i]);
		char *gpdir = ib_xasprintf("%s/analysis", ib_data_dir());
		char *e = gp_set(ib_xstrdup(expr), "term", terms[i]);

		e = gp_set(e, "gpdir", gpdir);
		free(gpdir);

		e = gp_set(e, "out", out);
		/* a missing script is said once, not once per format */
		ret = gnuplot(script, e) ?: ret;
		free(e);
		free(out);
	}
	return ret;
}

static char *subheading(const struct ib_table *t)
{
	const struct ib_run_data *r = &t->runs[0];

	return ib_xasprintf("%s IOMMU, %s mode, %u device%s, %u cycles x %u boots per kernel",
			    r->iommu, r->mode, r->ndevices,
			    r->ndevices == 1 ? "" : "s", r->cycles_per_boot,
			    r->boots);
}

static char *heading(const struct ib_table *t, const char *what);

/* heading and subheading variables of every plot */
static char *add_headings(char *expr, const struct ib_table *t,
			  const char *what)
{
	char *h = heading(t, what), *sub = subheading(t);

	expr = gp_set(expr, "heading", h);
	expr = gp_set(expr, "subheading", sub);
	/* every axis names its unit: time, or guest instructions */
	expr = gp_set(expr, "units", t->unit == IB_UNIT_INSN ?
		      "instructions instructions instructions" : "us ms ms");
	free(h);
	free(sub);
	return expr;
}

static char *heading(const struct ib_table *t, const char *what)
{
	char *kernels = ib_xstrdup(""), *h;
	int i;

	for (i = 0; i < t->nruns; i++) {
		char *k = ib_xasprintf("%s%s%s", kernels, i ? " vs " : "",
				       t->runs[i].label);

		free(kernels);
		kernels = k;
	}
	/* two lines: gnuplot's single-quoted strings keep "\n" as is */
	h = ib_xasprintf("%s: %s", what, kernels);
	free(kernels);
	return h;
}

static int write_values(const char *path, const double *v, size_t n, int cdf)
{
	double *s = ib_xcalloc(n + 1, sizeof(double));
	struct ib_summary sum;
	struct ib_afile *af;
	size_t i;

	if (n)		/* an empty series may have no array at all */
		memcpy(s, v, n * sizeof(double));
	ib_summary_compute(s, n, &sum);		/* sorts */
	af = ib_afile_open(path);
	if (!af) {
		free(s);
		return -errno;
	}
	for (i = 0; i < n; i++) {
		if (cdf)
			fprintf(ib_afile_stream(af), "%.3f %.6f\n", s[i],
				(double)(i + 1) / n);
		else
			fprintf(ib_afile_stream(af), "%.6f\n", s[i]);
	}
	free(s);
	return ib_afile_commit(af);
}

/* Appends run @i to @show, gnuplot's list of series with values. */
static void shown(char *show, size_t len, int i, size_t n)
{
	if (n)
		snprintf(show + strlen(show), len - strlen(show), "%s%d",
			 *show ? " " : "", i + 1);
}

static int plot_cdf(const struct ib_table *t, const char *outdir)
{
	char *expr = ib_xasprintf("n=%d; ", t->nruns), show[64] = "";
	int i, ret = 0;

	for (i = 0; i < t->nruns; i++) {
		const struct ib_run_data *r = &t->runs[i];
		char *dat = ib_xasprintf("%s/latency-%d.dat", outdir, i + 1);
		char *title = ib_xasprintf("%s (%s)", r->label, r->release_fn);
		char var[16];

		if (write_values(dat, r->s[IB_S_RELEASE].v, r->s[IB_S_RELEASE].n, 1))
			ret = -EIO;
		shown(show, sizeof(show), i, r->s[IB_S_RELEASE].n);
		snprintf(var, sizeof(var), "f%d", i + 1);
		expr = gp_set(expr, var, dat);
		snprintf(var, sizeof(var), "t%d", i + 1);
		expr = gp_set(expr, var, title);
		free(dat);
		free(title);
	}
	expr = gp_set(expr, "show", show);
	expr = add_headings(expr, t, t->unit == IB_UNIT_INSN ?
			    "Release path length CDF (guest instructions)" :
			    "Release latency CDF");
	if (!ret)
		ret = render("latency_cdf.gp", expr, outdir, "release_latency");
	free(expr);
	return ret;
}

static int plot_box(const struct ib_table *t, const char *outdir)
{
	char *expr = ib_xasprintf("n=%d; ", t->nruns), show[3][64] = { "" };
	int i, ret = 0;

	for (i = 0; i < t->nruns; i++) {
		const struct ib_run_data *r = &t->runs[i];
		const struct { const char *name; const double *v; size_t n; } ph[] = {
			{ "release", r->s[IB_S_RELEASE].v, r->s[IB_S_RELEASE].n },
			{ "phaseA", r->s[IB_S_PHASE1].v, r->s[IB_S_PHASE1].n },
			{ "phaseB", r->s[IB_S_PHASE2].v, r->s[IB_S_PHASE2].n },
		};
		char var[16];
		size_t k;

		for (k = 0; k < 3; k++) {
			char *dat = ib_xasprintf("%s/%s-%d.dat", outdir, ph[k].name, i + 1);

			if (write_values(dat, ph[k].v, ph[k].n, 0))
				ret = -EIO;
			shown(show[k], sizeof(show[k]), i, ph[k].n);
			snprintf(var, sizeof(var), "%s%d", ph[k].name, i + 1);
			expr = gp_set(expr, var, dat);
			free(dat);
		}
		snprintf(var, sizeof(var), "t%d", i + 1);
		expr = gp_set(expr, var, r->label);
	}
	expr = gp_set(expr, "nameA", t->runs[0].phase[0]);
	expr = gp_set(expr, "nameB", t->runs[0].phase[1]);
	expr = gp_set(expr, "show_release", show[0]);
	expr = gp_set(expr, "show_phaseA", show[1]);
	expr = gp_set(expr, "show_phaseB", show[2]);
	expr = add_headings(expr, t, "Phases");
	if (!ret)
		ret = render("phase_box.gp", expr, outdir, "phases");
	free(expr);
	return ret;
}

static int plot_counts(const struct ib_table *t, const char *outdir)
{
	char *dat = ib_xasprintf("%s/counts.dat", outdir), *expr;
	struct ib_afile *af = ib_afile_open(dat);
	int i, ret;

	if (!af) {
		free(dat);
		return -errno;
	}
	fprintf(ib_afile_stream(af),
		"# label rel_traced rel_untraced rel_needed rel_redundant "
		"p2_traced p2_untraced p2_transient inval ctx\n");
	for (i = 0; i < t->nruns; i++) {
		static const int cols[][2] = {	/* a column: one count, or a - b */
			{ IB_C_REL_SW_TRACED, -1 }, { IB_C_REL_SW_UNTRACED, -1 },
			{ IB_C_REL_SW, IB_C_REL_SW_REDUNDANT },
			{ IB_C_REL_SW_REDUNDANT, -1 }, { IB_C_P2_SW_TRACED, -1 },
			{ IB_C_P2_SW_UNTRACED, -1 }, { IB_C_P2_TRANSIENT, -1 },
			{ IB_C_REL_INVAL, -1 }, { IB_C_REL_CTX, -1 },
		};
		size_t k;

		fprintf(ib_afile_stream(af), "\"%s\"", t->runs[i].label);
		for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
			int a = cols[k][0], b = cols[k][1];

			/* "?": nothing was counted (gnuplot's missing value) */
			if (!t->count_known[a][i])
				fprintf(ib_afile_stream(af), " ?");
			else
				fprintf(ib_afile_stream(af), " %g", t->count[a][i] -
					(b < 0 ? 0 : t->count[b][i]));
		}
		fprintf(ib_afile_stream(af), "\n");
	}
	ret = ib_afile_commit(af);
	expr = gp_set(ib_xstrdup(""), "data", dat);
	expr = gp_set(expr, "nameB", t->runs[0].phase[1]);
	expr = add_headings(expr, t, "Domain switches and hardware work");
	if (!ret)
		ret = render("counts_bars.gp", expr, outdir, "counts");
	free(expr);
	free(dat);
	return ret;
}

int ib_plots_write(const struct ib_table *t, const char *outdir)
{
	int ret = 0;

	if (plot_cdf(t, outdir))
		ret = -EIO;
	if (plot_box(t, outdir))
		ret = -EIO;
	if (plot_counts(t, outdir))
		ret = -EIO;
	return ret;
}
