// SPDX-License-Identifier: GPL-2.0
/*
 * The comparison as terminal text, in the style of mmtests'
 * compare-kernels and ministat: one column per kernel, spread and
 * confidence beside every centre, and a verdict that says "no
 * significant difference" when that is what the boots say.
 */
#include <math.h>
#include <string.h>

#include "table.h"
#include "version.h"
#include "util.h"

#define COLW 24

static const char *p_text(double p, char *buf, size_t len)
{
	if (p < 0.001)
		snprintf(buf, len, "p < 0.001");
	else
		snprintf(buf, len, "p = %.3f", p);
	return buf;
}

static void head_row(FILE *f, const struct ib_table *t, const char *name,
		     const char *(*cell)(const struct ib_run_data *r))
{
	int i;

	fprintf(f, "%-26s", name);
	for (i = 0; i < t->nruns; i++)
		fprintf(f, " %*s", COLW, cell(&t->runs[i]));
	fprintf(f, "\n");
}

static const char *cell_label(const struct ib_run_data *r) { return r->label; }
static const char *cell_kernel(const struct ib_run_data *r) { return r->kernel; }
static const char *cell_release(const struct ib_run_data *r) { return r->release_fn; }
static const char *cell_core(const struct ib_run_data *r) { return r->core_fn; }

/* "-12.3% [-20.1, -3.2]*": the change against the baseline */
static void change_cell(const struct ib_sample_cmp *c, int i, char *cell,
			size_t len)
{
	const struct ib_shift *sh = &c->shift[i];

	if (!i)
		snprintf(cell, len, "-");
	else if (!c->comparable[i])
		snprintf(cell, len, c->why[i] == IB_WHY_OTHER_FN ?
			 "(other function)" : "(no samples)");
	else if (!sh->decidable)
		snprintf(cell, len, "(too few boots)");
	else
		snprintf(cell, len, "%+.1f%% [%+.1f, %+.1f]%s", ib_pct_of(sh->ratio),
			 ib_pct_of(sh->lo), ib_pct_of(sh->hi),
			 sh->verdict != IB_NO_DIFFERENCE ? "*" : " ");
}

/*
 * "+4 insn (+0.1%)*": the difference of the sides' medians of boot
 * medians, * where the rule calls it real (analysis/exact.h)
 */
static void exact_cell(const struct ib_sample_cmp *c, int i, char *cell,
		       size_t len)
{
	const struct ib_exact *e = &c->exact[i];

	if (!i)
		snprintf(cell, len, "-");
	else if (!c->comparable[i])
		snprintf(cell, len, c->why[i] == IB_WHY_OTHER_FN ?
			 "(other function)" : "(no samples)");
	else if (!e->decidable)
		snprintf(cell, len, "(too few boots)");
	else
		snprintf(cell, len, "%+.0f insn (%+.1f%%)%s", e->diff,
			 e->med_a ? 100 * e->diff / e->med_a : 0,
			 e->verdict != IB_NO_DIFFERENCE ? "*" : " ");
}

static void print_sample(FILE *f, const struct ib_table *t, enum ib_sample s)
{
	const struct ib_sample_cmp *c = &t->sample[s];
	static const char *const rows[] = {
		"boots", "n", "min", "median", "p90", "p99", "max",
		"boot medians", "sd of boots", "sd in a boot", "change",
		"p (boots)", "detectable",
	};
	static const char *const rows_insn[] = {
		"boots", "n", "min", "median", "p90", "p99", "max",
		"boot medians", "sd of boots", "sd in a boot", "difference",
		"", "real beyond",
	};
	char head[32], cell[64];
	size_t k;
	int i;

	snprintf(head, sizeof(head), "%s (%s)", ib_sample_name(t, s),
		 ib_sample_unit(t, s));
	for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		if (t->unit == IB_UNIT_INSN && !rows_insn[k][0])
			continue;	/* no p: the rule is no test */
		fprintf(f, "%-14s%-12s", k ? "" : head,
			t->unit == IB_UNIT_INSN ? rows_insn[k] : rows[k]);
		for (i = 0; i < t->nruns; i++) {
			const struct ib_summary *m = &c->s[i];
			const struct ib_boots *b = &c->b[i];
			const struct ib_shift *sh = &c->shift[i];

			if (!m->n && k >= 2 && k <= 9) {
				fprintf(f, " %*s", COLW, "-");	/* nothing timed */
				continue;
			}
			switch (k) {
			case 0: snprintf(cell, sizeof(cell), "%zu", b->nboots); break;
			case 1: snprintf(cell, sizeof(cell), "%zu", m->n); break;
			case 2: ib_fmt_len(t, cell, sizeof(cell), m->min); break;
			case 3: ib_fmt_len(t, cell, sizeof(cell), m->median); break;
			case 4: ib_fmt_len(t, cell, sizeof(cell), m->p90); break;
			case 5: ib_fmt_len(t, cell, sizeof(cell), m->p99); break;
			case 6: ib_fmt_len(t, cell, sizeof(cell), m->max); break;
			case 7: {
				char lo[32], hi[32];

				ib_fmt_len(t, lo, sizeof(lo), c->boot_lo[i]);
				ib_fmt_len(t, hi, sizeof(hi), c->boot_hi[i]);
				snprintf(cell, sizeof(cell), "%s-%s", lo, hi);
				break;
			}
			case 8:
				snprintf(cell, sizeof(cell), "%.1f%%",
					 (exp(b->between_sd) - 1) * 100);
				break;
			case 9:
				snprintf(cell, sizeof(cell), "%.1f%%",
					 (exp(b->within_sd) - 1) * 100);
				break;
			case 10:
				if (t->unit == IB_UNIT_INSN)
					exact_cell(c, i, cell, sizeof(cell));
				else
					change_cell(c, i, cell, sizeof(cell));
				break;
			case 11:
				if (t->unit == IB_UNIT_INSN)
					snprintf(cell, sizeof(cell), "-");
				else if (i && c->comparable[i])
					p_text(sh->p, cell, sizeof(cell));
				else
					snprintf(cell, sizeof(cell), "-");
				break;
			default:
				if (!i || !c->comparable[i])
					snprintf(cell, sizeof(cell), "-");
				else if (t->unit == IB_UNIT_INSN)
					snprintf(cell, sizeof(cell), "> %.0f insn",
						 c->exact[i].spread);
				else if (isinf(sh->mde))
					snprintf(cell, sizeof(cell), "none");
				else
					snprintf(cell, sizeof(cell), "%.1f%%", sh->mde * 100);
				break;
			}
			fprintf(f, " %*s", COLW, cell);
		}
		fprintf(f, "\n");
	}
}

static void print_counts(FILE *f, const struct ib_table *t)
{
	char cell[64], name[48];
	int i, c;

	for (c = 0; c < IB_C_NR; c++) {
		fprintf(f, "%-26s", ib_count_name(t, c, name, sizeof(name), 1));
		for (i = 0; i < t->nruns; i++) {
			int len;

			if (!t->count_known[c][i]) {
				fprintf(f, " %*s", COLW, "-");	/* nothing counted */
				continue;
			}
			ib_fmt_count(cell, sizeof(cell), t->count[c][i]);
			len = strlen(cell);
			if (i && t->count_known[c][0]) {
				char d[16];

				ib_fmt_count(d, sizeof(d), t->count[c][i] - t->count[c][0]);
				snprintf(cell + len, sizeof(cell) - len, " (%s%s)%*s",
					 t->count[c][i] >= t->count[c][0] ? "+" : "",
					 d, 2, "");
			}
			fprintf(f, " %*s", COLW, cell);
		}
		fprintf(f, "\n");
		if (c == IB_C_REL_SW_REDUNDANT) {
			fprintf(f, "%-26s", "  target domain");
			for (i = 0; i < t->nruns; i++)
				fprintf(f, " %*s", COLW,
					ib_target_name(t->runs[i].target));
			fprintf(f, "\n");
		}
	}
	fprintf(f, "%-26s", "probe hits per release");
	for (i = 0; i < t->nruns; i++) {
		snprintf(cell, sizeof(cell), "%.1f", t->hits[i]);
		fprintf(f, " %*s", COLW, t->runs[i].releases ? cell : "-");
	}
	fprintf(f, "\n");
}

/* Per device: the median release latency of the cycles that timed it. */
static void print_devices(FILE *f, const struct ib_table *t)
{
	int i;

	fprintf(f, "\nRelease %s by device (median %s, n releases):\n",
		t->unit == IB_UNIT_INSN ? "path length" : "latency",
		ib_sample_unit(t, IB_S_RELEASE));
	for (i = 0; i < t->nruns; i++) {
		const struct ib_run_data *r = &t->runs[i];
		int32_t want = r->timed ? IB_PROBES_RELEASE : IB_PROBES_ALL;
		double *v = ib_xcalloc(r->nrows + 1, sizeof(double));
		size_t a, b, n;

		for (a = 0; a < r->nrows; a++) {
			const char *dev = r->rows[a].dev;
			char cell[64];

			for (b = 0; b < a && strcmp(r->rows[b].dev, dev); b++)
				;
			if (b < a)
				continue;	/* seen */
			for (n = 0, b = a; b < r->nrows; b++)
				if (!strcmp(r->rows[b].dev, dev) && r->rows[b].traced &&
				    r->rows[b].releases && r->rows[b].probes == want &&
				    !(r->unit == IB_UNIT_INSN && r->rows[b].span_irqs))
					v[n++] = r->rows[b].release_len /
						 (r->unit == IB_UNIT_INSN ? 1 : 1e3) /
						 r->rows[b].releases;
			if (n) {
				char m[32];

				ib_fmt_len(t, m, sizeof(m), ib_median(v, n));
				snprintf(cell, sizeof(cell), "%s (n %zu)", m, n);
			} else {
				snprintf(cell, sizeof(cell), "- (n 0)");
			}
			fprintf(f, "  %-14.14s %-12s %24s\n", r->label, dev, cell);
		}
		free(v);
	}
}

/* The instruction clock's verdicts and what left cycles out. */
static void print_exact(FILE *f, const struct ib_table *t)
{
	char p[160], a[32], b[32];
	int i, s;

	fprintf(f, "\nVerdicts against %s (instructions: different only when every boot\n"
		"median of one kernel lies beyond every one of the other by more than\n"
		"the widest range of boot medians either kernel shows on its own):\n",
		t->runs[0].label);
	for (i = 1; i < t->nruns; i++) {
		for (s = 0; s < IB_S_NR; s++) {
			const struct ib_sample_cmp *c = &t->sample[s];
			const struct ib_exact *e = &c->exact[i];

			if (s >= IB_S_PHASE1)
				continue;	/* not kept on this clock */
			fprintf(f, "  %-14s %-8s ", t->runs[i].label,
				ib_sample_name(t, s));
			if (!c->comparable[i]) {
				fprintf(f, "no verdict: %s\n",
					ib_no_verdict_text(t, s, i, p, sizeof(p)));
				continue;
			}
			if (!e->decidable) {
				fprintf(f, "no verdict: %zu vs %zu boots (each side needs 2)\n",
					e->na, e->nb);
				continue;
			}
			ib_fmt_len(t, a, sizeof(a), e->med_a);
			ib_fmt_len(t, b, sizeof(b), e->med_b);
			fprintf(f, "%s: %s -> %s insn, %+.0f; ranges %s by %.0f, widest own range %.0f\n",
				ib_exact_verdict_name(e->verdict), a, b, e->diff,
				e->gap >= 0 ? "apart" : "overlap",
				e->gap >= 0 ? e->gap : -e->gap, e->spread);
		}
	}
	fprintf(f, "\nLeft out: timed cycles whose span an interrupt or a task switch\n"
		"entered (its instructions are not the path's):\n");
	for (i = 0; i < t->nruns; i++)
		fprintf(f, "  %-14s %llu of %llu\n", t->runs[i].label,
			(unsigned long long)t->runs[i].disturbed,
			(unsigned long long)t->runs[i].timed_cycles);
}

static void print_verdicts(FILE *f, const struct ib_table *t)
{
	char p[160];
	int i, s;

	if (t->unit == IB_UNIT_INSN) {
		print_exact(f, t);
		return;
	}

	fprintf(f, "\nVerdicts against %s (%s):\n", t->runs[0].label, ib_method_text);
	for (i = 1; i < t->nruns; i++) {
		for (s = 0; s < IB_S_NR; s++) {
			const struct ib_sample_cmp *c = &t->sample[s];
			const struct ib_shift *sh = &c->shift[i];

			fprintf(f, "  %-14s %-8s ", t->runs[i].label,
				ib_sample_name(t, s));
			if (!c->comparable[i])
				fprintf(f, "no verdict: %s\n",
					ib_no_verdict_text(t, s, i, p, sizeof(p)));
			else if (!sh->decidable)
				fprintf(f, "no verdict: %zu vs %zu boots cannot reach p < %.2f (smallest p %.3f)\n",
					sh->na, sh->nb, IB_ALPHA, sh->min_p);
			else
				fprintf(f, "%s: %+.1f%% [%+.1f%%, %+.1f%%] (%.1f%% CI), %s, %zu vs %zu boots; detectable %.0f%%\n",
					ib_verdict_name(sh->verdict), ib_pct_of(sh->ratio),
					ib_pct_of(sh->lo), ib_pct_of(sh->hi), sh->conf * 100,
					p_text(sh->p, p, sizeof(p)), sh->na, sh->nb,
					sh->mde * 100);
		}
	}
}

static void print_noise_floor(FILE *f, const struct ib_table *t)
{
	int i;

	if (t->unit == IB_UNIT_INSN)
		return;	/* the rule's own spread is its noise floor */
	fprintf(f, "\nA/A noise floor (the same method on halves of each kernel's own boots):\n");
	for (i = 0; i < t->nruns; i++) {
		const struct ib_aa *aa = &t->sample[IB_S_RELEASE].aa[i];

		if (!aa->splits)
			fprintf(f, "  %-14s %zu boot%s: no halves to compare\n",
				t->runs[i].label, aa->boots, aa->boots == 1 ? "" : "s");
		else if (!aa->decidable)
			fprintf(f, "  %-14s %zu boots: halves of %zu and %zu cannot reach p < %.2f\n",
				t->runs[i].label, aa->boots, aa->size1, aa->size2, IB_ALPHA);
		else
			fprintf(f, "  %-14s release called different in %lu of %lu splits (%.1f%%)\n",
				t->runs[i].label, aa->different, aa->splits, aa->rate * 100);
	}
	for (i = 1; i < t->nruns; i++) {
		const struct ib_shift *sh = &t->sample[IB_S_RELEASE].shift[i];

		if (sh->decidable)
			fprintf(f, "  %-14s against %s: the test's size, its A/A rate, %.1f%% at %zu vs %zu boots\n",
				t->runs[i].label, t->runs[0].label,
				100 * (1 - sh->conf), sh->na, sh->nb);
	}
}

static void print_probe_effect(FILE *f, const struct ib_table *t)
{
	int i, s, k;

	fprintf(f, "\nProbe effect: hits inside the release span with every probe on, one\n"
		"hit's cost measured in each boot, and what every probe added against\n"
		"the cycles timed with the span's ends only (per boot, paired):\n");
	for (i = 0; i < t->nruns; i++) {
		const struct ib_run_data *r = &t->runs[i];

		if (!r->releases) {
			fprintf(f, "  %-14s no traced release\n", r->label);
			continue;
		}
		fprintf(f, "  %-14s %.1f hits/release", r->label, t->hits[i]);
		if (t->unit == IB_UNIT_INSN) {
			fprintf(f, "\n");
			continue;
		}
		if (r->cost.measured[IB_COST_KPROBE_DEV])
			fprintf(f, " x %.2f us = %.1f us", r->cost.hit_ns[IB_COST_KPROBE_DEV] / 1e3,
				t->hits[i] * r->cost.hit_ns[IB_COST_KPROBE_DEV] / 1e3);
		if (!r->timed) {
			fprintf(f, "; timed with every probe armed: they are inside its latency\n");
			continue;
		}
		for (s = 0; s < IB_S_NR; s++) {
			const struct ib_paired *e = &t->sample[s].effect[i];

			if (!t->sample[s].has_effect[i])
				continue;
			fprintf(f, "; %s %+.1f%%%s", ib_sample_name(t, s), ib_pct_of(e->ratio),
				e->verdict != IB_NO_DIFFERENCE ? "*" : "");
		}
		fprintf(f, "\n");
		if (!r->cost.measured[IB_COST_KPROBE])
			continue;
		fprintf(f, "  %-14s one hit:", "");
		for (k = 0; k < IB_COST_NR; k++)
			if (r->cost.measured[k])
				fprintf(f, " %s %.2f us", ib_cost_kind_name(k),
					r->cost.hit_ns[k] / 1e3);
		fprintf(f, "\n");
	}
	fprintf(f, "  (* over the boots, p < %.2f; with 5 boots or fewer no paired\n"
		"  difference can be significant)\n", IB_ALPHA);
}

void ib_table_print(const struct ib_table *t, FILE *f)
{
	const struct ib_run_data *r0 = &t->runs[0];
	int s;

	fprintf(f, "iommu-bench %s compare: %s mode, %s IOMMU, %u device%s, "
		"%u cycles x %u boots per kernel\n\n", IB_VERSION, r0->mode,
		r0->iommu, r0->ndevices, r0->ndevices == 1 ? "" : "s",
		r0->cycles_per_boot, r0->boots);
	head_row(f, t, "", cell_label);
	head_row(f, t, "kernel", cell_kernel);
	head_row(f, t, "release span", cell_release);
	head_row(f, t, "core function", cell_core);
	for (s = 0; s < IB_S_NR; s++) {
		/* instructions: the phases sleep, and are not kept */
		if (!t->sample[s].s[0].n &&
		    (s == IB_S_CORE || t->unit == IB_UNIT_INSN))
			continue;
		fprintf(f, "\n");
		print_sample(f, t, s);
	}
	fprintf(f, "\n");
	print_counts(f, t);
	print_devices(f, t);
	print_verdicts(f, t);
	print_noise_floor(f, t);
	print_probe_effect(f, t);
	if (t->unit == IB_UNIT_INSN) {
		fprintf(f, "\nLengths are guest instructions, counted by QEMU's icount clock\n"
			"(shift %d): the kernel's CPU path length in this emulated machine,\n"
			"not time.  IOMMU and device emulation cost the guest no instructions:\n"
			"their work is in the invalidation and context-write counts.  The\n"
			"phases sleep, and the clock counts skipped idle time too: they are\n"
			"not measured on it (the TCG comparison times them).\n"
			"difference: the median of %s's boot medians minus the baseline's;\n"
			"* real by the rule above.  release is the span of %s for a\n"
			"removed device, counted with only its two ends armed.  Counts are\n"
			"exact, from the cycles with every probe.\n", r0->icount_shift,
			"each kernel", r0->release_fn);
		return;
	}
	fprintf(f, "\nchange: the ratio of boot medians against %s, minus 1, with its\n"
		"exact CI; * significant: the CI excludes 0, as p < %.2f does.\n"
		"detectable: the change this design finds with 80%% power.  release\n"
		"is the span of %s for a removed device, timed with only\n"
		"its two ends armed; core is each kernel's own core function, timed\n"
		"alone (a verdict only where both kernels have the same one).  Counts\n"
		"are exact, from the cycles with every probe.  Under QEMU TCG only\n"
		"ratios within one run mean anything.\n", r0->label, IB_ALPHA,
		r0->release_fn);
}
