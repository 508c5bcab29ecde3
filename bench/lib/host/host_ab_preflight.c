// SPDX-License-Identifier: GPL-2.0
/*
 * What a host A/B needs of the machine, checked before a plan starts so
 * that it is refused with the reason instead of failing in a later boot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_ab_preflight.h"
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

/* The lockdown level in force: "none", "integrity", "confidentiality". */
static char *lockdown(void)
{
	char *s = ib_read_file("/sys/kernel/security/lockdown", NULL);
	const char *lv = "none";

	/* "none [integrity] confidentiality": the bracketed one */
	if (s && strstr(s, "[integrity]"))
		lv = "integrity";
	else if (s && strstr(s, "[confidentiality]"))
		lv = "confidentiality";
	free(s);
	return ib_xstrdup(lv);
}

int ib_host_ab_signed_only(void)
{
	char *lv = lockdown(), *enforce;
	int only = strcmp(lv, "none");

	enforce = ib_read_file("/sys/module/module/parameters/sig_enforce", NULL);
	only |= enforce && enforce[0] == 'Y';
	free(lv);
	free(enforce);
	return only;
}

int ib_host_ab_forbidden(char *err, size_t errlen)
{
	char *lv = lockdown();
	int confidential = !strcmp(lv, "confidentiality");
	struct stat st;

	free(lv);
	if (confidential) {
		snprintf(err, errlen, "the kernel is locked down for confidentiality: it forbids kprobes and tracefs, which every run needs (boot with lockdown=integrity or none)");
		return -EPERM;
	}
	if (proc_int("/proc/sys/kernel/modules_disabled") == 1) {
		snprintf(err, errlen, "module loading is disabled (kernel.modules_disabled = 1)");
		return -EPERM;
	}
	if (stat("/sys/kernel/tracing", &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "this kernel has no tracefs (/sys/kernel/tracing)");
		return -ENOENT;
	}
	return 0;
}

int ib_host_ab_kexec_refused(char *err, size_t errlen)
{
	if (proc_int("/proc/sys/kernel/kexec_load_disabled") == 1) {
		snprintf(err, errlen, "kexec is disabled (kernel.kexec_load_disabled = 1)");
		return -EPERM;
	}
	if (!ib_host_ab_has_tool("kexec")) {
		snprintf(err, errlen, "no kexec in PATH (Debian's package kexec-tools)");
		return -ENOENT;
	}
	return 0;
}

int ib_host_ab_module_signed(const char *path)
{
	static const char magic[] = "~Module signature appended~\n";
	char buf[sizeof(magic) - 1];
	FILE *f = fopen(path, "rb");
	int ok;

	if (!f)
		return 0;
	ok = !fseek(f, -(long)sizeof(buf), SEEK_END) && fread(buf, 1, sizeof(buf), f) == sizeof(buf) &&
	     !memcmp(buf, magic, sizeof(buf));
	fclose(f);
	return ok;
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

int ib_host_ab_kernel_unfit(const char *kernel, const char *boot_dir,
			    char *err, size_t errlen)
{
	char *f, *mod;
	int ret = 0;

	f = ib_xasprintf("%s/vmlinuz-%s", boot_dir, kernel);
	if (access(f, R_OK)) {
		snprintf(err, errlen, "kernel %s: no %s (is it installed?)", kernel, f);
		ret = -ENOENT;
	}
	free(f);
	f = ib_xasprintf("%s/initrd.img-%s", boot_dir, kernel);
	if (!ret && access(f, R_OK)) {
		snprintf(err, errlen, "kernel %s: no %s", kernel, f);
		ret = -ENOENT;
	}
	free(f);
	if (ret)
		return ret;
	mod = ib_host_ab_module(kernel);
	/* compressed modules carry the signature inside: not checked here */
	if (mod && strstr(mod, ".ko") && !strcmp(strstr(mod, ".ko"), ".ko") &&
	    ib_host_ab_signed_only() && !ib_host_ab_module_signed(mod)) {
		snprintf(err, errlen, "kernel %s: %s is not signed, and this kernel loads only signed modules (lockdown or module.sig_enforce): DKMS signs with its MOK key once it is enrolled (mokutil --import /var/lib/dkms/mok.pub, then reboot), dkms autoinstall -k %s --force",
			 kernel, mod, kernel);
		ret = -EKEYREJECTED;
	}
	if (mod) {
		free(mod);
		return ret;
	}
	f = ib_xasprintf("/lib/modules/%s/build", kernel);
	if (access(f, F_OK))
		snprintf(err, errlen, "kernel %s: no iommu_bench module, and no headers to build one (apt install linux-headers-%s; DKMS then builds it)",
			 kernel, kernel);
	else
		snprintf(err, errlen, "kernel %s: its headers are installed but the iommu_bench module is not built for it (dkms autoinstall -k %s)",
			 kernel, kernel);
	free(f);
	return -ENOENT;
}

int ib_host_ab_systemd(void)
{
	struct stat st;

	return !stat("/run/systemd/system", &st) && S_ISDIR(st.st_mode);
}
