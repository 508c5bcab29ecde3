/* SPDX-License-Identifier: GPL-2.0 */
/* ib_stats: order statistics of one sample. */
#ifndef IB_STATS_H
#define IB_STATS_H

#include <stddef.h>

struct ib_summary {
	size_t n;
	double min, max, mean, stddev;
	double median, p90, p99;
};

/*
 * Summarise @v (sorted in place).  Percentiles interpolate linearly
 * between order statistics (Hyndman & Fan type 7, R's default).  n == 0
 * gives all zeros.
 */
void ib_summary_compute(double *v, size_t n, struct ib_summary *s);
/* Percentile @p (0..100) of sorted @v. */
double ib_percentile_sorted(const double *v, size_t n, double p);

#endif
