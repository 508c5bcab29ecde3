// SPDX-License-Identifier: GPL-2.0
/*
 * What a host A/B needs of the machine, checked before a plan starts so
 * that it is refused with the reason instead of failing in a later boot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_ab.h"
#include "util.h"

/* A one-number /proc file: its value, or -1 when absent. */
static int proc_int(const char *path)
{
	char *s = ib_read_file(path, NULL);
	int v = s ? atoi(s) : -1;

	free(s);
	return v;
}

int ib_host_ab_has_tool(const char *tool)
{
	const char *path = getenv("PATH");
	char *dirs, *d, *save = NULL, *f;
	int found = 0;

	dirs = ib_xstrdup(path && *path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		f = ib_xasprintf("%s/%s", d, tool);
		found = !access(f, X_OK);
		free(f);
	}
	free(dirs);
	return found;
}

char *ib_host_ab_forbidden(void)
{
	char *lock = ib_read_file("/sys/kernel/security/lockdown", NULL);
	struct stat st;

	/* "none [integrity] confidentiality": the bracketed one is in force */
	if (lock && (strstr(lock, "[integrity]") || strstr(lock, "[confidentiality]"))) {
		char *why = ib_xasprintf("the kernel is locked down (%s): it refuses an unsigned kexec, an unsigned module and debugfs, where the module's control file is%s; Secure Boot locks it down by itself (boot without it, or with lockdown=none on a machine you may unlock)",
					 strstr(lock, "[integrity]") ? "integrity" : "confidentiality",
					 strstr(lock, "[confidentiality]") ? ", and tracefs" : "");
		free(lock);
		return why;
	}
	free(lock);
	if (proc_int("/proc/sys/kernel/kexec_load_disabled") == 1)
		return ib_xstrdup("kexec is disabled (kernel.kexec_load_disabled = 1, which only a reboot undoes)");
	if (proc_int("/proc/sys/kernel/modules_disabled") == 1)
		return ib_xstrdup("module loading is disabled (kernel.modules_disabled = 1)");
	if (stat("/sys/kernel/tracing", &st) || !S_ISDIR(st.st_mode))
		return ib_xstrdup("this kernel has no tracefs (/sys/kernel/tracing)");
	if (!ib_host_ab_has_tool("kexec"))
		return ib_xstrdup("no kexec in PATH (Debian's package kexec-tools)");
	return NULL;
}

char *ib_host_ab_module(const char *kernel)
{
	/* where DKMS and an external module's modules_install put it */
	static const char *const dirs[] = { "updates/dkms", "updates", "extra" };
	static const char *const exts[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };
	size_t d, e;
	char *f;

	for (d = 0; d < sizeof(dirs) / sizeof(*dirs); d++)
		for (e = 0; e < sizeof(exts) / sizeof(*exts); e++) {
			f = ib_xasprintf("/lib/modules/%s/%s/iommu_bench%s", kernel,
					 dirs[d], exts[e]);
			if (!access(f, R_OK))
				return f;
			free(f);
		}
	return NULL;
}

char *ib_host_ab_kernel_unfit(const char *kernel, const char *boot_dir)
{
	char *f, *mod, *why = NULL;

	f = ib_xasprintf("%s/vmlinuz-%s", boot_dir, kernel);
	if (access(f, R_OK))
		why = ib_xasprintf("kernel %s: no %s (is it installed?)", kernel, f);
	free(f);
	f = ib_xasprintf("%s/initrd.img-%s", boot_dir, kernel);
	if (!why && access(f, R_OK))
		why = ib_xasprintf("kernel %s: no %s", kernel, f);
	free(f);
	if (why)
		return why;
	mod = ib_host_ab_module(kernel);
	if (mod) {
		free(mod);
		return NULL;
	}
	f = ib_xasprintf("/lib/modules/%s/build", kernel);
	why = access(f, F_OK) ?
	      ib_xasprintf("kernel %s: no iommu_bench module, and no headers to build one (apt install linux-headers-%s; DKMS then builds it)",
			   kernel, kernel) :
	      ib_xasprintf("kernel %s: its headers are installed but the iommu_bench module is not built for it (dkms autoinstall -k %s)",
			   kernel, kernel);
	free(f);
	return why;
}

int ib_host_ab_systemd(void)
{
	struct stat st;

	return !stat("/run/systemd/system", &st) && S_ISDIR(st.st_mode);
}
