// SPDX-License-Identifier: GPL-2.0
/*
 * The comparison as a block for a patch cover letter: at most 72
 * columns, the counts a reviewer of a release patch reads, and one
 * sentence per kernel that says what the boots allow, with the method,
 * its noise floor and what the design could have detected.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "table.h"
#include "version.h"
#include "util.h"

/* The cover letter's narrower labels: 21 columns at most. */
static const char *cover_name(const struct ib_table *t, enum ib_count c,
			      char *buf, size_t len)
{
	static const char *const names[IB_C_NR] = {
		[IB_C_REL_DETACH] = "detaches/release",
		[IB_C_REL_INTERNAL] = "  by the driver",
		[IB_C_REL_SW] = "switches/release",
		[IB_C_REL_SW_TRACED] = "  traced",
		[IB_C_REL_SW_UNTRACED] = "  untraced",
		[IB_C_REL_SW_REDUNDANT] = "  redundant",
		[IB_C_P1_SW] = "switches/%s",
		[IB_C_P2_SW] = "switches/%s",
		[IB_C_P2_SW_TRACED] = "  traced",
		[IB_C_P2_SW_UNTRACED] = "  untraced",
		[IB_C_P2_TRANSIENT] = "  transient blocks",
		[IB_C_REL_INVAL] = "invalidations/release",
		[IB_C_REL_CTX] = "ctx writes/release",
	};
	/* only the phase rows have a %s: the first phase's or the second's */
	snprintf(buf, len, names[c],
		 t->runs[0].phase[c == IB_C_P1_SW ? 0 : 1]);
	return buf;
}

/* The instruction rule's verdict of run @i (analysis/exact.h). */
static void exact_text(FILE *f, const struct ib_table *t, int i)
{
	const struct ib_sample_cmp *c = &t->sample[IB_S_RELEASE];
	const struct ib_exact *e = &c->exact[i];

	fprintf(f, "%s vs %s, release path length:\n", t->runs[i].label,
		t->runs[0].label);
	if (!e->decidable) {
		fprintf(f, "no verdict: %zu vs %zu boots (each side needs 2).\n",
			e->na, e->nb);
		return;
	}
	fprintf(f, "%s: %+.0f instructions; the boots' ranges are %.0f\n"
		"%s, the widest range of one kernel's own boots %.0f.\n",
		ib_exact_verdict_name(e->verdict), e->diff,
		e->gap >= 0 ? e->gap : -e->gap,
		e->gap >= 0 ? "apart" : "overlapping", e->spread);
}

/* The verdict of run @i, as sentences of at most 72 columns. */
static void verdict_text(FILE *f, const struct ib_table *t, int i)
{
	const struct ib_sample_cmp *c = &t->sample[IB_S_RELEASE];
	const struct ib_shift *sh = &c->shift[i];
	const struct ib_run_data *r0 = &t->runs[0];

	if (t->unit == IB_UNIT_INSN) {
		if (c->comparable[i]) {
			exact_text(f, t, i);
			return;
		}
	}

	fprintf(f, "%s vs %s, release latency:\n", t->runs[i].label, r0->label);
	if (!c->comparable[i]) {
		char why[160];

		fprintf(f, "no verdict: %s.\n",
			ib_no_verdict_text(t, IB_S_RELEASE, i, why, sizeof(why)));
		return;
	}
	if (!sh->decidable) {
		fprintf(f, "undecided: %zu vs %zu boots cannot reach p < %.2f\n"
			"(median %+.1f%%).\n", sh->na, sh->nb, IB_ALPHA,
			ib_pct_of(sh->ratio));
		return;
	}
	fprintf(f, "%s: %+.1f%% (%.0f%% CI %+.1f%% to %+.1f%%),\n"
		"p = %.3f, %zu vs %zu boots; this design detects a change\n"
		"of %.0f%% with 80%% power.\n", ib_verdict_name(sh->verdict),
		ib_pct_of(sh->ratio), floor(sh->conf * 100), ib_pct_of(sh->lo),
		ib_pct_of(sh->hi), sh->p, sh->na, sh->nb, sh->mde * 100);
}

/*
 * How often the method calls identical kernels different: measured on
 * halves of each kernel's own boots when they are enough to decide, and
 * always the exact test's size at this design's boots (1 - the CI's
 * level), which is that rate by construction.
 */
static void noise_text(FILE *f, const struct ib_table *t)
{
	const struct ib_shift *sh = &t->sample[IB_S_RELEASE].shift[1];
	unsigned long splits = 0, diff = 0;
	int i;

	for (i = 0; i < t->nruns; i++) {
		const struct ib_aa *aa = &t->sample[IB_S_RELEASE].aa[i];

		if (aa->decidable) {
			splits += aa->splits;
			diff += aa->different;
		}
	}
	if (splits)
		fprintf(f, "A/A: halves of each kernel's own boots were called\n"
			"different in %lu of %lu splits (%.1f%%).\n", diff, splits,
			100.0 * diff / splits);
	else if (t->nruns > 1 && t->sample[IB_S_RELEASE].comparable[1] &&
		 sh->decidable)
		fprintf(f, "A/A: identical kernels are called different with\n"
			"probability %.1f%% at %zu vs %zu boots (the exact test's size).\n",
			100 * (1 - sh->conf), sh->na, sh->nb);
}

int ib_table_print_cover_letter(const struct ib_table *t, FILE *f,
				const char *reproduce)
{
	const struct ib_run_data *r0 = &t->runs[0];
	const struct ib_sample_cmp *rel = &t->sample[IB_S_RELEASE];
	int insn = t->unit == IB_UNIT_INSN;
	char cell[48];
	int i, c;

	if (t->nruns > 3)
		return -E2BIG;
	fprintf(f, "Release path, measured with iommu-bench %s: %s mode,\n"
		"%s IOMMU, %u device%s, %u cycles x %u boots per kernel.\n\n",
		IB_VERSION, r0->mode, r0->iommu, r0->ndevices,
		r0->ndevices == 1 ? "" : "s", r0->cycles_per_boot, r0->boots);
	fprintf(f, "%-22s", "");
	for (i = 0; i < t->nruns; i++)
		fprintf(f, " %15.15s", t->runs[i].label);
	/*
	 * The headline is the median of the boot medians: the figures the
	 * change is computed from (as a shift of boot medians in time, as
	 * their difference in instructions), not the pooled median.
	 */
	fprintf(f, "\n%-22s", insn ? "release insn, boots" : "release us, boots");
	for (i = 0; i < t->nruns; i++) {
		double med = rel->b[i].nboots ?
			     ib_median(rel->b[i].median, rel->b[i].nboots) : 0;
		char m[32];

		ib_fmt_len(t, m, sizeof(m), med);
		if (!insn)
			snprintf(m, sizeof(m), "%.1f", med);
		if (!rel->s[i].n)
			snprintf(cell, sizeof(cell), "-");
		else if (insn && i && rel->comparable[i] && rel->exact[i].decidable)
			snprintf(cell, sizeof(cell), "%s %+.0f%s", m,
				 rel->exact[i].diff,
				 ib_sample_differs(t, IB_S_RELEASE, i) ? "*" : "");
		else if (!insn && i && rel->comparable[i] && rel->shift[i].decidable)
			snprintf(cell, sizeof(cell), "%s %+.0f%%%s", m,
				 ib_pct_of(rel->shift[i].ratio),
				 ib_sample_differs(t, IB_S_RELEASE, i) ? "*" : "");
		else
			snprintf(cell, sizeof(cell), "%s", m);
		fprintf(f, " %15s", cell);
	}
	fprintf(f, "\n%-22s", "  boot medians");
	for (i = 0; i < t->nruns; i++) {
		snprintf(cell, sizeof(cell), rel->s[i].n ? "%.0f-%.0f" : "-",
			 rel->boot_lo[i], rel->boot_hi[i]);
		fprintf(f, " %15s", cell);
	}
	fprintf(f, "\n%-22s", insn ? "  left out (irq)" : "  p90 us");
	for (i = 0; i < t->nruns; i++) {
		if (insn)
			snprintf(cell, sizeof(cell), "%llu/%llu",
				 (unsigned long long)t->runs[i].disturbed,
				 (unsigned long long)t->runs[i].timed_cycles);
		else
			snprintf(cell, sizeof(cell), rel->s[i].n ? "%.1f" : "-",
				 rel->s[i].p90);
		fprintf(f, " %15s", cell);
	}
	fprintf(f, "\n");
	for (c = 0; c < IB_C_NR; c++) {
		char name[48];

		/* the cover letter keeps what a reviewer of a release patch reads */
		if (c == IB_C_P1_SW || c == IB_C_P2_SW_TRACED ||
		    c == IB_C_P2_SW_UNTRACED)
			continue;
		fprintf(f, "%-22s", cover_name(t, c, name, sizeof(name)));
		for (i = 0; i < t->nruns; i++) {
			ib_fmt_count(cell, sizeof(cell), t->count[c][i]);
			fprintf(f, " %15s", t->count_known[c][i] ? cell : "-");
		}
		fprintf(f, "\n");
		if (c == IB_C_REL_SW_REDUNDANT) {
			fprintf(f, "%-22s", "  target domain");
			for (i = 0; i < t->nruns; i++)
				fprintf(f, " %15s", ib_target_name(t->runs[i].target));
			fprintf(f, "\n");
		}
	}
	fprintf(f, "\n");
	for (i = 1; i < t->nruns; i++)
		verdict_text(f, t, i);
	if (insn) {
		fprintf(f, "Unit: guest instructions, counted by QEMU's icount clock\n"
			"(shift %d): the kernel's CPU path length in this emulated\n"
			"machine, not time.  IOMMU and device hardware time are not\n"
			"in it: their work is the invalidation and context-write\n"
			"counts above.  Cycles an interrupt entered are left out.\n"
			"Rule: different (*) only when every boot median of one\n"
			"kernel lies beyond every one of the other by more than the\n"
			"widest range either kernel's own boots show.\n",
			r0->icount_shift);
	} else {
		noise_text(f, t);
		fprintf(f, "Method: per-boot medians; Hodges-Lehmann shift, exact CI,\n"
			"exact Wilcoxon rank-sum (Hollander, Wolfe & Chicken 2014,\n"
			"4.1-4.3).  * significant: the CI excludes 0.  The %%\n"
			"is that shift, beside the median of the boot medians.\n");
	}
	fprintf(f, "%s: %s for a removed device, entry to\n"
		"return, in cycles with only its own two probes armed.\n",
		insn ? "Path length" : "Latency", r0->release_fn);
	for (i = 0; i < t->nruns; i++)
		if (!t->runs[i].timed && t->runs[i].releases)
			fprintf(f, "%s: timed with every probe on (%.1f inside).\n",
				t->runs[i].label, t->hits[i]);
	/* a long command on a line of its own, to keep 72 columns */
	if (reproduce && strlen(reproduce) + strlen("Reproduce: ") > 72)
		fprintf(f, "Reproduce:\n  %s\n", reproduce);
	else if (reproduce)
		fprintf(f, "Reproduce: %s\n", reproduce);
	return 0;
}
