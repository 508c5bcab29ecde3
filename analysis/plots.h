/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_plots: the data files and gnuplot runs behind a comparison's
 * pictures, each as PNG and SVG: latency CDF, box per phase, stacked
 * switch and hardware-work counts.
 */
#ifndef IB_PLOTS_H
#define IB_PLOTS_H

#include "table.h"

/*
 * Write every plot of @t into @outdir: each plot's data files, then
 * gnuplot's PNG and SVG; a failed plot does not stop the others.  A
 * missing plot script and a gnuplot that fails are said on stderr
 * (ib_err(): an exception to the library's silence,
 * Documentation/libiommubench.md).
 *
 * Return: 0, or -EIO when a plot failed (no script, no gnuplot, a data
 * file not written).
 */
int ib_plots_write(const struct ib_table *t, const char *outdir);

#endif
