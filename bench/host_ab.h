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

/* update-grub's menu, and GRUB's environment (grub-reboot's next_entry) */
#define IB_GRUB_CFG "/boot/grub/grub.cfg"
#define IB_GRUB_ENV "/boot/grub/grubenv"

/*
 * Why this system cannot run a host A/B (lockdown for confidentiality:
 * no kprobes nor tracefs; module loading disabled; no tracefs), as a
 * malloc'd sentence; NULL when nothing forbids it.  Lockdown for
 * integrity (Secure Boot's) does not: a signed module loads.
 */
char *ib_host_ab_forbidden(void);
/*
 * Why kexec cannot boot the next kernel here (kexec_load_disabled, no
 * kexec tool); NULL when nothing refuses it.  Under Secure Boot,
 * kexec_file_load boots a signed kernel.
 */
char *ib_host_ab_kexec_refused(void);
/*
 * GRUB's entry that boots @kernel in update-grub's menu @cfg (a
 * grub.cfg's text), as grub-reboot takes it: "SUBMENU>ENTRY" by id
 * where there is one, by title else; not a recovery (single-user) one.
 * malloc'd; NULL when no entry boots it.
 */
char *ib_grub_entry(const char *cfg, const char *kernel);
/*
 * Why a reboot by GRUB's one-time entry cannot boot each of @kernels
 * (NULL-terminated) here: no grub-reboot, no IB_GRUB_CFG, no next_entry
 * in it, a kernel without an entry; NULL when it can.
 */
char *ib_grub_unfit(char *const *kernels);
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
