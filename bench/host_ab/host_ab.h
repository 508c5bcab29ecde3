/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host-ab on the machine itself: what a boot does with the plan
 * (host_ab_act.c); what the system allows is host_ab_preflight.h's.
 */
#ifndef IB_HOST_AB_H
#define IB_HOST_AB_H

#include "host_ab_plan.h"
#include "host_ab_preflight.h"

#define IB_HOST_AB_STATE "/var/lib/iommu-bench/host-ab"
#define IB_HOST_AB_UNIT "iommu-bench-host-ab.service"
/* a boot's run longer than this hangs (--step-timeout): 4 hours */
#define IB_HOST_AB_STEP_TIMEOUT (4 * 3600)

/*
 * The lock that one host-ab at a time holds on the plan in @state_dir:
 * its fd, or -1 (said why) when another holds it.
 */
int ib_host_ab_lock(const char *state_dir);
/* The plan at @path ends: written to OUT/plan.json, @path removed. 0 or -errno. */
int ib_host_ab_retire(const struct ib_plan *plan, const char *path);
/*
 * Settle the plan at @state_dir/plan.json for this boot and act on it
 * until the boot is handed on (a kexec), or the plan ends: a run, the
 * kexec into the next step's kernel, and at home the comparison.
 * Returns the command's exit status (0: nothing left to do or compared;
 * 1: a step's act or the comparison failed, or the plan stopped).
 */
int ib_host_ab_resume(const char *state_dir);

#endif
