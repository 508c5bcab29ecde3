/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host-ab on the machine itself: what the system allows (checked before a
 * plan starts), and what a boot does with the plan (host_ab_act.c).
 */
#ifndef IB_HOST_AB_H
#define IB_HOST_AB_H

#include "host_ab_plan.h"

#define IB_HOST_AB_STATE "/var/lib/iommu-bench/host-ab"
#define IB_HOST_AB_UNIT "iommu-bench-host-ab.service"
/* a boot's run longer than this hangs (--step-timeout): 4 hours */
#define IB_HOST_AB_STEP_TIMEOUT (4 * 3600)

/*
 * Why this system cannot run a host A/B (lockdown for confidentiality:
 * no kprobes nor tracefs; kexec or module loading disabled; no tracefs;
 * no kexec tool), as a malloc'd sentence; NULL when nothing forbids it.
 * Lockdown for integrity (Secure Boot's) does not: kexec_file_load boots
 * a signed kernel, and a signed module loads.
 */
char *ib_host_ab_forbidden(void);
/* Does this kernel load only signed modules (lockdown, sig_enforce)? */
int ib_host_ab_signed_only(void);
/*
 * Why kernel @kernel cannot take part (no vmlinuz or initrd in
 * @boot_dir, no module built for it, no headers to build one, a module
 * not signed where only signed ones load); NULL when it can.
 */
char *ib_host_ab_kernel_unfit(const char *kernel, const char *boot_dir);
/* The iommu_bench module built for @kernel (malloc'd path), or NULL. */
char *ib_host_ab_module(const char *kernel);
/* Does module file @path end in the trailer of a signature (sign-file's)? */
int ib_host_ab_module_signed(const char *path);
/* Is @tool an executable in PATH? */
int ib_host_ab_has_tool(const char *tool);
/* Is systemd this system's init? */
int ib_host_ab_systemd(void);

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
