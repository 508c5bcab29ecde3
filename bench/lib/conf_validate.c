// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench config check: an experiment or a kernel set read whole
 * before the lab boots anything, every key known and every value of its
 * kind, the error naming file and line.  A typo found after twenty boots
 * (or never: an unknown key is a default silently taken) costs an hour.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "conf_validate.h"
#include "event.h"
#include "kmod_ctl.h"
#include "modes.h"
#include "util.h"

#define FAIL(c, sec, key, ...) do {					\
	int n_ = snprintf(err, errlen, "%s:%d: [%s] %s: ", ib_conf_name(c), \
			  ib_conf_line(c, sec, key), sec, key);		\
	if (n_ > 0 && (size_t)n_ < errlen)				\
		snprintf(err + n_, errlen - n_, __VA_ARGS__);		\
	return -EINVAL;							\
} while (0)

static int whole(const char *v, long min, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	return !errno && end != v && !*end && n >= min && n <= max;
}

/* The whole numbers of experiments, each in its range. */
static const struct range {
	const char *section, *key;
	long min, max;
} ranges[] = {
	{ "experiment", "cycles", 1, IOMMU_BENCH_MAX_CYCLES },
	{ "experiment", "max_cycles", 1, IOMMU_BENCH_MAX_CYCLES },
	{ "experiment", "rounds", 1, 100 },
	{ "experiment", "chunks", 1, 1000 },
	{ "lab", "cpus", 1, 64 },
	{ "lab", "memory_mb", 256, 65536 },
	{ "lab", "icount_shift", 0, 10 },
};

static int in_range(const struct ib_conf *c, const char *s, char *err,
		    size_t errlen)
{
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (strcmp(ranges[i].section, s))
			continue;
		v = ib_conf_get(c, s, ranges[i].key);
		if (v && !whole(v, ranges[i].min, ranges[i].max))
			FAIL(c, s, ranges[i].key, "'%s' is not in %ld..%ld", v,
			     ranges[i].min, ranges[i].max);
	}
	return 0;
}

static int pci_list(const char *v, int min)
{
	struct iommu_bench_dev d;
	char **w;
	int n, i, ok;

	w = ib_split_words(v, &n);
	ok = n >= min;
	for (i = 0; ok && i < n; i++)
		ok = !ib_pci_parse(w[i], &d);
	ib_free_words(w);
	return ok;
}

/*
 * The experiment's kernel set @kset: ab = A B names two of its kernels,
 * and each kernel's arch is the lab machine's (SMMUv3: arm64's virt).
 */
static int kernel_set_fits(const struct ib_conf *c, const char *kset,
			   char *err, size_t errlen)
{
	const char *v = ib_conf_get(c, "experiment", "ab"), *s, *arch;
	const char *iommu = ib_conf_get_or(c, "lab", "iommu", "intel-iommu");
	const char *want = strcmp(iommu, "smmuv3") ? "amd64" : "arm64";
	struct ib_conf *k;
	char **w;
	int n, i, ok = 1;

	k = ib_conf_load(kset, err, errlen);
	if (!k)
		return -EINVAL;
	for (i = 0; (s = ib_conf_section(k, i)); i++) {
		arch = ib_conf_get_or(k, s, "arch", "amd64");
		if (strcmp(arch, want)) {
			snprintf(err, errlen, "%s:%d: [lab] iommu: kernel %s of %s is %s; iommu %s boots %s kernels",
				 ib_conf_name(c), ib_conf_line(c, "lab", "iommu"),
				 s, kset, arch, iommu, want);
			ib_conf_free(k);
			return -EINVAL;
		}
	}
	if (v) {
		w = ib_split_words(v, &n);
		ok = n == 2 && strcmp(w[0], w[1]);
		for (i = 0; ok && i < n; i++)
			ok = ib_conf_line(k, w[i], NULL) > 0;
		ib_free_words(w);
	}
	ib_conf_free(k);
	if (!ok)
		FAIL(c, "experiment", "ab", "'%s' is not two kernels of %s", v, kset);
	return 0;
}

static int experiment(const struct ib_conf *c, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"mode", "cycles", "rounds", "devices", "owner", "batches",
		"probe_effect", "chunks", "until_ci", "max_cycles", "kernels",
		"ab", NULL,
	};
	const char *s = "experiment", *v;
	char **w, *end;
	int n, i;

	if (ib_conf_known_keys(c, s, keys, err, errlen))
		return -EINVAL;
	v = ib_conf_get(c, s, "mode");
	if (v && !ib_mode_find(v))
		FAIL(c, s, "mode", "'%s' is no mode (iommu-bench run --help lists them)", v);
	if (in_range(c, s, err, errlen))
		return -EINVAL;
	v = ib_conf_get(c, s, "until_ci");
	if (v && !(strtod(v, &end) > 0 && !*end && strtod(v, NULL) <= 100))
		FAIL(c, s, "until_ci", "'%s' is not a percentage in (0, 100]", v);
	v = ib_conf_get(c, s, "devices");
	if (!v || !pci_list(v, 1))
		FAIL(c, s, "devices", "'%s' is not a list of PCI addresses (DDDD:BB:DD.F)",
		     v ? v : "");
	v = ib_conf_get(c, s, "owner");
	if (v && !pci_list(v, 1))
		FAIL(c, s, "owner", "'%s' is not a PCI address", v);
	v = ib_conf_get(c, s, "probe_effect");
	if (v && strcmp(v, "on") && strcmp(v, "off"))
		FAIL(c, s, "probe_effect", "'%s' is not on or off", v);
	w = ib_split_words(ib_conf_get_or(c, s, "batches", "all"), &n);
	for (i = 0; i < n && ib_probes_parse(w[i]) >= 0 && !strchr("01", w[i][0]); i++)
		;
	ib_free_words(w);
	if (i < n || !n)
		FAIL(c, s, "batches", "each word must be all, release, core or none");
	v = ib_conf_get(c, s, "kernels");
	if (!v || access(v, R_OK))
		FAIL(c, s, "kernels", "no kernel set '%s' (a path from the tree's top)",
		     v ? v : "");
	return kernel_set_fits(c, v, err, errlen);
}

static int files_exist(const struct ib_conf *c, const char *s,
		       const char *key, const char *what, char *err,
		       size_t errlen);

static int lab(const struct ib_conf *c, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"iommu", "cpus", "memory_mb", "endpoints", "bind", "clock",
		"icount_shift", "cmdline", "patches", NULL,
	};
	static const char *const iommus[] = {
		"intel-iommu", "intel-iommu-sm", "amd-iommu", "virtio-iommu",
		"smmuv3", "none", NULL,
	};
	const char *s = "lab", *v;
	char **w;
	int n, i, k;

	if (ib_conf_known_keys(c, s, keys, err, errlen))
		return -EINVAL;
	v = ib_conf_get_or(c, s, "iommu", "intel-iommu");
	for (k = 0; iommus[k] && strcmp(iommus[k], v); k++)
		;
	if (!iommus[k])
		FAIL(c, s, "iommu", "'%s' is not intel-iommu, intel-iommu-sm, amd-iommu, virtio-iommu, smmuv3 or none", v);
	if (in_range(c, s, err, errlen))
		return -EINVAL;
	/* tcg: the guest's clock is the host's; icount: it counts
	 * instructions (lab/boot.sh IB_ICOUNT) */
	v = ib_conf_get_or(c, s, "clock", "tcg");
	if (strcmp(v, "tcg") && strcmp(v, "icount"))
		FAIL(c, s, "clock", "'%s' is not tcg or icount", v);
	if (!strcmp(v, "tcg") && ib_conf_get_or(c, s, "icount_shift", NULL))
		FAIL(c, s, "icount_shift", "goes with clock = icount");
	w = ib_split_words(ib_conf_get_or(c, s, "endpoints", ""), &n);
	for (i = 0; i < n; i++) {
		const char *at = strchr(w[i], '@');

		if (!at || at == w[i] || !at[1])
			break;
	}
	ib_free_words(w);
	if (i < n)
		FAIL(c, s, "endpoints", "each word must be QEMU-DEVICE@SLOT (e1000e@10)");
	/*
	 * kernel parameters the lab adds, words between blanks (a value may
	 * hold commas); ib.* are the guest's own, and "--" would hand the
	 * rest of the line to init
	 */
	v = ib_conf_get_or(c, s, "cmdline", "");
	while (*v) {
		size_t word = strcspn(v, " \t"), name = strcspn(v, "= \t");

		if (!name || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_.-") < name ||
		    !strncmp(v, "ib.", 3) || (word == 2 && !strncmp(v, "--", 2)))
			FAIL(c, s, "cmdline", "each word must be a kernel parameter NAME[=VALUE], not ib.* or --");
		v += word;
		v += strspn(v, " \t");
	}
	/* the lab-only patches a kernel built for this lab needs (ab) */
	return files_exist(c, s, "patches", "no patch series", err, errlen);
}

/* Every word of [@s] @key names a readable file or directory. */
static int files_exist(const struct ib_conf *c, const char *s,
		       const char *key, const char *what, char *err,
		       size_t errlen)
{
	char **w;
	int n, i;

	w = ib_split_words(ib_conf_get_or(c, s, key, ""), &n);
	for (i = 0; i < n && !access(w[i], R_OK); i++)
		;
	if (i < n)
		snprintf(err, errlen, "%s:%d: [%s] %s: %s %s", ib_conf_name(c),
			 ib_conf_line(c, s, key), s, key, what, w[i]);
	ib_free_words(w);
	return i < n ? -EINVAL : 0;
}

static int kernel(const struct ib_conf *c, const char *s, char *err,
		  size_t errlen)
{
	static const char *const keys[] = {
		"role", "arch", "image", "release", "source", "fragments",
		"patches", NULL,
	};
	const char *v;

	if (ib_conf_known_keys(c, s, keys, err, errlen))
		return -EINVAL;
	v = ib_conf_get(c, s, "role");
	if (!v || (strcmp(v, "before") && strcmp(v, "after") && strcmp(v, "patched")))
		FAIL(c, s, "role", "'%s' is not before, after or patched", v ? v : "");
	if (!ib_conf_get(c, s, "source") == !ib_conf_get(c, s, "image"))
		FAIL(c, s, "source", "a kernel has either image (and release) or source");
	if (ib_conf_get(c, s, "image") && !ib_conf_get(c, s, "release"))
		FAIL(c, s, "image", "needs release = the package's uname -r pattern");
	v = ib_conf_get_or(c, s, "arch", "amd64");
	if (strcmp(v, "amd64") && strcmp(v, "arm64"))
		FAIL(c, s, "arch", "'%s' is not amd64 or arm64", v);
	if (ib_conf_get(c, s, "source") && !ib_conf_get(c, s, "fragments"))
		FAIL(c, s, "source", "needs fragments = the config fragments");
	if (files_exist(c, s, "fragments", "no file", err, errlen))
		return -EINVAL;
	/* one or more series, applied in the order named */
	return files_exist(c, s, "patches", "no patch series", err, errlen);
}

int ib_conf_validate(const struct ib_conf *c, char *err, size_t errlen)
{
	static const char *const none[] = { NULL };
	const char *s;
	int i, ret;

	if (ib_conf_known_keys(c, "", none, err, errlen))
		return -EINVAL;
	if (ib_conf_line(c, "experiment", NULL) > 0) {
		for (i = 0; (s = ib_conf_section(c, i)); i++)
			if (strcmp(s, "experiment") && strcmp(s, "lab")) {
				snprintf(err, errlen, "%s:%d: [%s]: an experiment has [experiment] and [lab] only",
					 ib_conf_name(c), ib_conf_line(c, s, NULL), s);
				return -EINVAL;
			}
		ret = experiment(c, err, errlen);
		return ret ? ret : lab(c, err, errlen);
	}
	for (i = 0; (s = ib_conf_section(c, i)); i++)
		if ((ret = kernel(c, s, err, errlen)))
			return ret;
	if (!i) {
		snprintf(err, errlen, "%s: neither an experiment ([experiment]) nor a kernel set",
			 ib_conf_name(c));
		return -EINVAL;
	}
	return 0;
}
