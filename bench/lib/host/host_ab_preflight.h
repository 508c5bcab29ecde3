/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Before a host A/B starts: what this system allows (lockdown, kexec,
 * module signing), GRUB's entries for each kernel, and the module built
 * for it.  Each check returns 0 when it passes, or a negative errno with
 * the reason, one sentence, in @err.
 */
#ifndef IB_HOST_AB_PREFLIGHT_H
#define IB_HOST_AB_PREFLIGHT_H

#include <limits.h>
#include <stddef.h>

/* update-grub's menu, and GRUB's environment (grub-reboot's next_entry) */
#define IB_GRUB_CFG "/boot/grub/grub.cfg"
#define IB_GRUB_ENV "/boot/grub/grubenv"

/*
 * Room for any reason of these checks: a boot directory of PATH_MAX and
 * kernel releases of 64 characters (utsname's) fit.
 */
#define IB_HOST_AB_WHY_LEN	(PATH_MAX + 1024)

/*
 * Can this system run a host A/B at all?  Lockdown for confidentiality
 * forbids kprobes and tracefs; module loading may be disabled; the kernel
 * may have no tracefs.  Lockdown for integrity (Secure Boot's) does not
 * forbid it: a signed module loads.
 *
 * Return: 0 when nothing forbids it; -EPERM (lockdown, module loading
 * disabled) or -ENOENT (no tracefs) with the reason in @err.
 */
int ib_host_ab_forbidden(char *err, size_t errlen);
/*
 * Can kexec boot the next kernel here?  Under Secure Boot,
 * kexec_file_load boots a signed kernel.
 *
 * Return: 0 when nothing refuses it; -EPERM (kexec_load_disabled) or
 * -ENOENT (no kexec tool in PATH) with the reason in @err.
 */
int ib_host_ab_kexec_refused(char *err, size_t errlen);
/*
 * GRUB's entry that boots @kernel in update-grub's menu @cfg (a
 * grub.cfg's text), as grub-reboot takes it: "SUBMENU>ENTRY" by id
 * where there is one, by title else; not a recovery (single-user) one.
 *
 * Return: the entry (malloc'd), or NULL when no entry boots @kernel.
 */
char *ib_grub_entry(const char *cfg, const char *kernel);
/*
 * Can a reboot by GRUB's one-time entry boot each of @kernels
 * (NULL-terminated) here?
 *
 * Return: 0 when it can; with the reason in @err, -ENOENT (no
 * grub-reboot, a kernel without an entry), the negative errno of reading
 * IB_GRUB_CFG, or -EOPNOTSUPP (the menu does not boot next_entry).
 */
int ib_grub_unfit(char *const *kernels, char *err, size_t errlen);
/*
 * Does this kernel load only signed modules (lockdown, sig_enforce)?
 *
 * Return: 1 if it does, 0 if not.
 */
int ib_host_ab_signed_only(void);
/*
 * Can kernel @kernel take part: a vmlinuz and an initrd in @boot_dir, an
 * iommu_bench module built for it, signed where only signed ones load?
 *
 * Return: 0 when it can; with the reason in @err (which package or
 * command would help), -ENOENT (no image, no initrd, no module) or
 * -EKEYREJECTED (an unsigned module where only signed ones load).
 */
int ib_host_ab_kernel_unfit(const char *kernel, const char *boot_dir,
			    char *err, size_t errlen);
/*
 * The iommu_bench module built for @kernel, where DKMS or an external
 * module's modules_install puts it (updates/dkms, updates, extra; .ko,
 * compressed or not).
 *
 * Return: its path (malloc'd), or NULL when there is none.
 */
char *ib_host_ab_module(const char *kernel);
/*
 * Does module file @path end in the trailer of a signature (sign-file's)?
 *
 * Return: 1 if it does, 0 if not or if @path cannot be read.
 */
int ib_host_ab_module_signed(const char *path);
/*
 * Is @tool an executable in PATH (or, with PATH unset or empty, in
 * /usr/sbin, /usr/bin, /sbin or /bin)?
 *
 * Return: 1 if it is, 0 if not.
 */
int ib_host_ab_has_tool(const char *tool);
/*
 * Is systemd this system's init (/run/systemd/system is a directory)?
 *
 * Return: 1 if it is, 0 if not.
 */
int ib_host_ab_systemd(void);

#endif
