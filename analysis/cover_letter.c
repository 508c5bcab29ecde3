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
#include "../bench/commands.h"
#include "../bench/util.h"

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

/* The verdict of run @i, as sentences of at most 72 columns. */
static void verdict_text(FILE *f, const struct ib_table *t, int i)
{
	const struct ib_sample_cmp *c = &t->sample[IB_S_RELEASE];
	const struct ib_shift *sh = &c->shift[i];
	const struct ib_run_data *r0 = &t->runs[0];

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
	fprintf(f, "\n%-22s", "release, median us");
	for (i = 0; i < t->nruns; i++) {
		if (!rel->s[i].n)
			snprintf(cell, sizeof(cell), "-");
		else if (i && rel->comparable[i] && rel->shift[i].decidable)
			snprintf(cell, sizeof(cell), "%.1f %+.0f%%%s",
				 rel->s[i].median, ib_pct_of(rel->shift[i].ratio),
				 rel->shift[i].verdict != IB_NO_DIFFERENCE ? "*" : "");
		else
			snprintf(cell, sizeof(cell), "%.1f", rel->s[i].median);
		fprintf(f, " %15s", cell);
	}
	fprintf(f, "\n%-22s", "  boot medians");
	for (i = 0; i < t->nruns; i++) {
		snprintf(cell, sizeof(cell), rel->s[i].n ? "%.0f-%.0f" : "-",
			 rel->boot_lo[i], rel->boot_hi[i]);
		fprintf(f, " %15s", cell);
	}
	fprintf(f, "\n%-22s", "  p90 us");
	for (i = 0; i < t->nruns; i++) {
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
	noise_text(f, t);
	fprintf(f, "Method: per-boot medians; Hodges-Lehmann shift, exact CI,\n"
		"exact Wilcoxon rank-sum (Hollander, Wolfe & Chicken 2014,\n"
		"4.1-4.3).  * significant: the CI excludes 0.\n");
	fprintf(f, "Latency: %s for a removed device, entry to\n"
		"return, in cycles with only its own two probes armed.\n",
		r0->release_fn);
	for (i = 0; i < t->nruns; i++)
		if (!t->runs[i].timed && t->runs[i].releases)
			fprintf(f, "%s: timed with every probe on (%.1f inside).\n",
				t->runs[i].label, t->hits[i]);
	if (reproduce)
		fprintf(f, "Reproduce: %s\n", reproduce);
	return 0;
}
