/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_exact: kernels compared on a clock that counts instructions (QEMU
 * icount).  There a boot repeats its path length to the instruction, or
 * nearly, so a rank test on 3 against 3 boots cannot decide while the
 * difference is plain.  The rule instead: each side's boot medians span
 * a range; the widest of the two ranges is the spread a kernel shows
 * against itself (the A/A spread, measured the same way).  Kernels are
 * called different only when every boot of one lies beyond every boot
 * of the other by more than that spread.
 */
#ifndef IB_EXACT_H
#define IB_EXACT_H

#include <stddef.h>

#include "boots.h"
#include "stats.h"

struct ib_exact {
	size_t na, nb;		/* boots */
	double med_a, med_b;	/* median of each side's boot medians */
	double lo_a, hi_a;	/* range of a's boot medians */
	double lo_b, hi_b;
	double diff;		/* med_b - med_a */
	double spread;		/* max(hi_a - lo_a, hi_b - lo_b) */
	double gap;		/* lo_b - hi_a, or hi_b - lo_a when b is
				 * lower: how far apart the ranges are
				 * (negative: they overlap) */
	int decidable;		/* each side has 2 boots or more */
	enum ib_verdict verdict;/* IB_SLOWER: b beyond a by more than the
				 * spread; IB_FASTER: below */
};

/**
 * ib_exact_compare - compare kernel @b against kernel @a by the rule above
 * @a: baseline kernel's boots (nboots and median are read)
 * @b: other kernel's boots
 * @e: result; with fewer than 2 boots on a side, no verdict
 *	(@e->decidable 0, IB_NO_DIFFERENCE)
 */
void ib_exact_compare(const struct ib_boots *a, const struct ib_boots *b,
		      struct ib_exact *e);

/*
 * The name of verdict @v on a path length, which is no time: not
 * "faster" or "slower".
 *
 * Return: "shorter", "longer" or "no difference".
 */
const char *ib_exact_verdict_name(enum ib_verdict v);

/**
 * ib_exact_aa - how often the rule calls one kernel different from itself
 * @median: the kernel's boot medians
 * @m: how many
 * @k: boots a side, as the comparison has them (2k <= m)
 * @different: set to the splits called different
 *
 * Every choice of two disjoint sets of @k boots, the first as "a" and the
 * second as "b", is compared.
 *
 * Return: the number of splits (0 when @m is below 2 @k or @k below 2).
 */
unsigned long ib_exact_aa(const double *median, size_t m, size_t k,
			  unsigned long *different);

#endif
