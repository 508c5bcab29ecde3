/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Before a host A/B starts: what this system allows (lockdown, kexec,
 * module signing), GRUB's entries for each kernel, and the module built
 * for it.  The checks return why not, as a malloc'd sentence, or NULL.
 */
#ifndef IB_HOST_AB_PREFLIGHT_H
#define IB_HOST_AB_PREFLIGHT_H

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

#endif
