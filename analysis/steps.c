// SPDX-License-Identifier: GPL-2.0
/*
 * A series step by step: each step's merged runs against the step
 * before, by the comparison's own model (ib_table of two runs), and
 * only what moved printed, under the patch that moved it.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "steps.h"
#include "version.h"
#include "util.h"

#define WIDTH	72
#define INDENT	"      "

struct ib_steps {
	int nclocks, nsteps;
	char *const *steps;
	int nexp[IB_STEPS_MAX_CLOCKS];
	struct ib_steps_exp *exp[IB_STEPS_MAX_CLOCKS][IB_STEPS_MAX_EXP];
};

/* The names of the counts on one line after the experiment's name. */
static const char *const count_label[IB_C_NR] = {
	[IB_C_REL_DETACH] = "detaches/release",
	[IB_C_REL_INTERNAL] = "driver-internal detaches/release",
	[IB_C_REL_SW] = "switches/release",
	[IB_C_REL_SW_TRACED] = "traced switches/release",
	[IB_C_REL_SW_UNTRACED] = "untraced switches/release",
	[IB_C_REL_SW_REDUNDANT] = "redundant switches/release",
	[IB_C_P1_SW] = "switches/%s",
	[IB_C_P2_SW] = "switches/%s",
	[IB_C_P2_SW_TRACED] = "traced switches/%s",
	[IB_C_P2_SW_UNTRACED] = "untraced switches/%s",
	[IB_C_P2_TRANSIENT] = "transient blocks/%s",
	[IB_C_REL_INVAL] = "invalidations/release",
	[IB_C_REL_CTX] = "context writes/release",
};

static int has_step(const char *run, const char *exp, const char *step)
{
	char *p = ib_xasprintf("%s/%s/%s/meta.json", run, exp, step);
	int ok = !access(p, R_OK);

	free(p);
	return ok;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The experiments of @run that hold every step, in name order. */
static int exp_names(const char *run, char *const *steps, int nsteps,
		     char ***names, int *n, char *err, size_t errlen)
{
	DIR *d = opendir(run);
	struct dirent *e;
	int k, cap = 0;

	*names = NULL;
	*n = 0;
	if (!d) {
		snprintf(err, errlen, "%s: %s", run, strerror(errno));
		return -errno;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !has_step(run, e->d_name, steps[0]))
			continue;
		for (k = 1; k < nsteps && has_step(run, e->d_name, steps[k]); k++)
			;
		if (k < nsteps) {
			snprintf(err, errlen, "%s/%s: no result of step %s",
				 run, e->d_name, steps[k]);
			break;
		}
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			*names = ib_xrealloc(*names, cap * sizeof(char *));
		}
		(*names)[(*n)++] = ib_xstrdup(e->d_name);
	}
	closedir(d);
	if (e)
		return -ENOENT;
	if (!*n) {
		snprintf(err, errlen, "%s: no experiment with a result of %s",
			 run, steps[0]);
		return -ENOENT;
	}
	if (*n > IB_STEPS_MAX_EXP) {
		snprintf(err, errlen, "%s: %d experiments, at most %d", run, *n,
			 IB_STEPS_MAX_EXP);
		return -EINVAL;
	}
	qsort(*names, *n, sizeof(char *), name_cmp);
	return 0;
}

static int load_exp(struct ib_steps_exp *x, const char *run, int nsteps,
		    char *const *steps, int allow_lost, char *err,
		    size_t errlen)
{
	int k, ret;

	for (k = 0; k < nsteps; k++) {
		char *dir = ib_xasprintf("%s/%s/%s", run, x->name, steps[k]);

		x->dirs[k] = dir;
		ret = ib_run_load(&x->runs[k], dir, 0, err, errlen);
		x->nloaded = k + 1;
		if (ret)
			return ret;
		if (x->runs[k].lost && !allow_lost) {
			snprintf(err, errlen, "%s/%s/%s: the trace lost events (--allow-lost uses it)",
				 run, x->name, steps[k]);
			return -EINVAL;
		}
		if (strcmp(x->runs[k].mode, x->runs[0].mode) ||
		    x->runs[k].unit != x->runs[0].unit) {
			snprintf(err, errlen, "%s/%s: step %s is another mode or clock than %s",
				 run, x->name, steps[k], steps[0]);
			return -EINVAL;
		}
		if (k) {
			ib_table_build(&x->pair[k], &x->runs[k - 1], 2);
			x->npairs = k;
		}
	}
	return 0;
}

int ib_steps_load(struct ib_steps **stp, char *const *runs, int nruns,
		  char *const *steps, int nsteps, int allow_lost, char *err,
		  size_t errlen)
{
	struct ib_steps *st = ib_xcalloc(1, sizeof(*st));
	int c, i, n, ret = 0;
	char **names;

	*stp = st;
	if (nruns < 1 || nruns > IB_STEPS_MAX_CLOCKS || nsteps < 2 ||
	    nsteps > IB_STEPS_MAX) {
		snprintf(err, errlen, "%d runs and %d steps: 1 or %d runs, 2 to %d steps",
			 nruns, nsteps, IB_STEPS_MAX_CLOCKS, IB_STEPS_MAX);
		return -EINVAL;
	}
	st->nsteps = nsteps;
	st->steps = steps;
	for (c = 0; c < nruns && !ret; c++) {
		ret = exp_names(runs[c], steps, nsteps, &names, &n, err, errlen);
		for (i = 0; i < n; i++) {
			if (!ret) {
				struct ib_steps_exp *x = ib_xcalloc(1, sizeof(*x));

				st->exp[c][st->nexp[c]++] = x;
				ib_strlcpy(x->name, names[i], sizeof(x->name));
				ret = load_exp(x, runs[c], nsteps, steps,
					       allow_lost, err, errlen);
			}
			free(names[i]);
		}
		free(names);
		st->nclocks = c + 1;
		if (!ret && c && st->exp[c][0]->runs[0].unit ==
				 st->exp[0][0]->runs[0].unit) {
			snprintf(err, errlen, "%s and %s are on one clock: give one run per clock",
				 runs[0], runs[c]);
			ret = -EINVAL;
		}
	}
	return ret;
}

void ib_steps_free(struct ib_steps *st)
{
	int c, i, k;

	if (!st)
		return;
	for (c = 0; c < st->nclocks; c++)
		for (i = 0; i < st->nexp[c]; i++) {
			struct ib_steps_exp *x = st->exp[c][i];

			for (k = 1; k <= x->npairs; k++)
				ib_table_free(&x->pair[k]);
			for (k = 0; k < x->nloaded; k++) {
				ib_run_free(&x->runs[k]);
				free(x->dirs[k]);
			}
			free(x);
		}
	free(st);
}

/*
 * A line of the block, at most WIDTH columns: a longer one is broken at
 * its last blank before WIDTH and goes on under INDENT and two more
 * (a figure is never cut); with @cut, cut instead, with "..", and never
 * inside a UTF-8 character (a subject line).
 */
static void vline(FILE *f, int cut, const char *fmt, va_list ap)
{
	char buf[512], *p = buf, *brk;
	size_t len;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (cut && strlen(buf) > WIDTH) {
		len = WIDTH - 2;
		while (len && (buf[len] & 0xc0) == 0x80)
			len--;
		strcpy(buf + len, "..");
	}
	while (strlen(p) > WIDTH - (p == buf ? 0 : strlen(INDENT "  "))) {
		size_t room = WIDTH - (p == buf ? 0 : strlen(INDENT "  "));

		for (brk = p + room; brk > p && *brk != ' '; brk--)
			;
		while (brk > p && brk[-1] == ' ')
			brk--;
		if (brk == p)
			break;		/* one long word: as it is */
		fprintf(f, "%s%.*s\n", p == buf ? "" : INDENT "  ", (int)(brk - p), p);
		p = brk + strspn(brk, " ");
	}
	fprintf(f, "%s%s\n", p == buf ? "" : INDENT "  ", p);
}

static void line(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void line(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(f, 0, fmt, ap);
	va_end(ap);
}

static void cut_line(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void cut_line(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(f, 1, fmt, ap);
	va_end(ap);
}

/* Each device's release target over its traced cycles (or mixed). */
static int32_t dev_target(const struct ib_run_data *r, const char *dev)
{
	int32_t t = IB_TARGET_NONE;
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct ib_row *row = &r->rows[i];

		if (strcmp(row->dev, dev) || !row->traced ||
		    row->release_target == IB_TARGET_NONE)
			continue;
		if (t == IB_TARGET_NONE)
			t = row->release_target;
		else if (t != row->release_target)
			t = IB_TARGET_MIXED;
	}
	return t;
}

/* The counts and targets of step @k that differ from step @k - 1. */
static int print_counts(FILE *f, const struct ib_steps_exp *x, int k)
{
	const struct ib_table *t = &x->pair[k];
	const struct ib_run_data *a = &x->runs[k - 1], *b = &x->runs[k];
	char va[32], vb[32], label[64];
	int c, moved = 0;
	size_t i, j;

	/* a count per release means nothing without releases: say so */
	if (!a->releases != !b->releases) {
		line(f, INDENT "%s: %s", x->name, b->releases ?
		     "releases traced again" : "no release traced any more");
		moved++;
	}
	for (c = 0; c < IB_C_NR; c++) {
		if (!t->count_known[c][0] || !t->count_known[c][1] ||
		    fabs(t->count[c][0] - t->count[c][1]) < 1e-9)
			continue;
		snprintf(label, sizeof(label), count_label[c],
			 a->phase[c == IB_C_P1_SW ? 0 : 1]);
		ib_fmt_count(va, sizeof(va), t->count[c][0]);
		ib_fmt_count(vb, sizeof(vb), t->count[c][1]);
		line(f, INDENT "%s: %s %s -> %s", x->name, label, va, vb);
		moved++;
	}
	/* per device: a patch may move one device's target and no other;
	 * the devices of either step (b's rows, then a's that b lacks) */
	for (i = 0; i < b->nrows + a->nrows; i++) {
		const struct ib_run_data *in = i < b->nrows ? b : a;
		size_t at = i < b->nrows ? i : i - b->nrows;
		const char *dev = in->rows[at].dev;
		int32_t ta, tb;

		for (j = 0; j < at && strcmp(in->rows[j].dev, dev); j++)
			;
		if (j < at)
			continue;
		if (in == a) {
			for (j = 0; j < b->nrows && strcmp(b->rows[j].dev, dev); j++)
				;
			if (j < b->nrows)
				continue;
		}
		ta = dev_target(a, dev);
		tb = dev_target(b, dev);
		if (ta == tb)
			continue;
		line(f, INDENT "%s: %s released to %s -> %s", x->name, dev,
		     ta == IB_TARGET_NONE ? "(no switch)" : ib_target_name(ta),
		     tb == IB_TARGET_NONE ? "(no switch)" : ib_target_name(tb));
		moved++;
	}
	return moved;
}

/*
 * The release latency of step @k against step @k - 1 when it moved
 * (a verdict); @decided and @boots say what the others could show.
 */
static int print_latency(FILE *f, const struct ib_steps_exp *x, int k,
			 int *decided, size_t *boots)
{
	const struct ib_table *t = &x->pair[k];
	const struct ib_sample_cmp *c = &t->sample[IB_S_RELEASE];
	size_t fewer;

	if (!c->comparable[1]) {
		char why[160];

		line(f, INDENT "%s: no latency verdict: %s", x->name,
		     ib_no_verdict_text(t, IB_S_RELEASE, 1, why, sizeof(why)));
		return 1;
	}
	if (t->unit == IB_UNIT_INSN) {
		const struct ib_exact *e = &c->exact[1];

		fewer = e->na < e->nb ? e->na : e->nb;
		if (!*boots || fewer < *boots)
			*boots = fewer;
		*decided += e->decidable;
		if (e->verdict == IB_NO_DIFFERENCE)
			return 0;
		line(f, INDENT "%s: release path %+.0f insn (ranges %.0f apart)",
		     x->name, e->diff, e->gap >= 0 ? e->gap : -e->gap);
		return 1;
	}
	fewer = c->shift[1].na < c->shift[1].nb ? c->shift[1].na :
		c->shift[1].nb;
	if (!*boots || fewer < *boots)
		*boots = fewer;
	*decided += c->shift[1].decidable;
	if (c->shift[1].verdict == IB_NO_DIFFERENCE)
		return 0;
	line(f, INDENT "%s: release %+.1f%% (%.0f%% CI %+.1f%% to %+.1f%%)",
	     x->name, ib_pct_of(c->shift[1].ratio),
	     floor(c->shift[1].conf * 100), ib_pct_of(c->shift[1].lo),
	     ib_pct_of(c->shift[1].hi));
	return 1;
}

static const char *clock_name(const struct ib_steps *st, int c)
{
	return st->exp[c][0]->runs[0].unit == IB_UNIT_INSN ?
	       "instructions" : "TCG time";
}

static void print_step(const struct ib_steps *st, char *const *subjects,
		       int npatches, int k, FILE *f)
{
	char num[24];
	int c, i, moved = 0;

	if (k)
		snprintf(num, sizeof(num), "%d/%d", k,
			 npatches ? npatches : st->nsteps - 1);
	else
		snprintf(num, sizeof(num), "base");
	cut_line(f, "%-5s %s", num, subjects ? subjects[k] : st->steps[k]);
	if (!k)
		return;
	/* counts are exact and the same on either clock: the first's */
	for (i = 0; i < st->nexp[0]; i++)
		moved += print_counts(f, st->exp[0][i], k);
	if (!moved)
		line(f, INDENT "no count and no release target changed");
	for (c = 0; c < st->nclocks; c++) {
		int decided = 0, lat = 0;
		size_t boots = 0;

		for (i = 0; i < st->nexp[c]; i++)
			lat += print_latency(f, st->exp[c][i], k, &decided, &boots);
		if (lat)
			continue;
		if (decided)
			line(f, INDENT "latency (%s): no significant change", clock_name(st, c));
		else
			line(f, INDENT "latency (%s): undecided, %zu boot%s a step",
			     clock_name(st, c), boots, boots == 1 ? "" : "s");
	}
}

void ib_steps_print(const struct ib_steps *st, char *const *subjects,
		    int npatches, FILE *f)
{
	const struct ib_run_data *r = &st->exp[0][0]->runs[0];
	int c, i, k;

	line(f, "Per patch, measured with iommu-bench %s: each step against",
	     IB_VERSION);
	line(f, "the step before it, on the %s IOMMU of the emulated lab.", r->iommu);
	for (i = 0; i < st->nexp[0]; i++) {
		const struct ib_run_data *x = &st->exp[0][i]->runs[0];

		line(f, "  %s: %s mode, %u device%s, %u cycles x %u boot%s",
		     st->exp[0][i]->name, x->mode, x->ndevices,
		     x->ndevices == 1 ? "" : "s", x->cycles_per_boot, x->boots,
		     x->boots == 1 ? "" : "s");
	}
	fprintf(f, "\n");
	for (k = 0; k < st->nsteps; k++)
		print_step(st, subjects, npatches, k, f);
	fprintf(f, "\n");
	line(f, "Counts are exact, from every traced release; a step lists");
	line(f, "only what moved from the step before.");
	for (c = 0; c < st->nclocks; c++) {
		if (st->exp[c][0]->runs[0].unit == IB_UNIT_INSN)
			line(f, "Instructions: different only when every boot median of one");
		else
			line(f, "TCG time: a change only when its exact CI excludes 0");
		if (st->exp[c][0]->runs[0].unit == IB_UNIT_INSN)
			line(f, "step lies beyond the other's by more than their spread.");
		else
			line(f, "(boot medians, Hodges-Lehmann, Wilcoxon rank-sum).");
	}
}
