/* SPDX-License-Identifier: GPL-2.0 */
/* Arming a probe set as kprobes through libtracefs, and its hit counts. */
#ifndef IB_PROBE_ARM_H
#define IB_PROBE_ARM_H

#include "kallsyms.h"
#include "probe_pack.h"

/*
 * Create a kprobe (and kretprobe for releases) for each probe on the first
 * candidate this kernel has and accepts.  Missing probes are not an error:
 * their ->symbol stays NULL and ->note says why.  A probe another tracer
 * holds is named in @ps->held.
 *
 * Return: the number of probes armed.
 */
int ib_probeset_arm(struct ib_probeset *ps, const struct ib_kallsyms *ks,
		    const char *arch);
/*
 * Remove every probe ib_probeset_arm() made (before ib_probeset_free(),
 * which does not touch the kernel).
 */
void ib_probeset_disarm(struct ib_probeset *ps);
/*
 * Fill each armed probe's hits and misses from kprobe_profile.
 *
 * Return: 0, or a negative errno when kprobe_profile cannot be read.
 */
int ib_probeset_read_profile(struct ib_probeset *ps);

#endif
