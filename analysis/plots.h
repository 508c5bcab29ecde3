/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_plots: the data files and gnuplot runs behind a comparison's
 * pictures, each as PNG and SVG: latency CDF, box per phase, stacked
 * switch and hardware-work counts.
 */
#ifndef IB_PLOTS_H
#define IB_PLOTS_H

#include "table.h"

/* Write every plot into @outdir; 0 or -errno (gnuplot failed, ...). */
int ib_plots_write(const struct ib_table *t, const char *outdir);

#endif
