// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench probe-check: every probe pack against one kernel's symbols.
 * Each probe names the function it would go on, or why there is none; a
 * probe its pack says arms on this kernel version ("arms_on") that finds
 * none is MISSING: the pack no longer fits the kernels it claims.
 */
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "commands.h"
#include "kallsyms.h"
#include "probe_symbol.h"
#include "util.h"

void cmd_probe_check_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench probe-check [options]\n\n"
		"Check every probe pack against a kernel's symbols.  For each pack whose\n"
		"driver the kernel has (one of the pack's \"present\" functions is in\n"
		"kallsyms), print per probe the function it would go on, or why none:\n"
		"inlined, absent, a name shared by several functions, or only a\n"
		"compiler clone whose arguments the fetches may not match.  A probe the\n"
		"pack says arms on this kernel version (\"arms_on\") with no function is\n"
		"MISSING.  Whether the kernel then accepts the kprobe is for 'probes'\n"
		"and kprobe_events to tell on that kernel.\n\n"
		"  -p, --probes DIR     probe packs (default DATA/configs/probes)\n"
		"  -k, --kallsyms FILE  the kernel's symbols (default /proc/kallsyms)\n"
		"  -r, --release REL    its release, as uname -r prints it (default: this\n"
		"                       kernel's; required with --kallsyms)\n"
		"  -h, --help           this text\n\n"
		"Exit status: 0 every probe a pack expects on this kernel has its\n"
		"function, 1 one is MISSING or kallsyms is unreadable, 2 bad usage or\n"
		"a bad probe pack.\n");
}

/* One probe's line; 1 when it is MISSING. */
static int check_one(const char *pack, const struct ib_probe *p,
		     const struct ib_kallsyms *ks, const char *release)
{
	const char *cand = NULL, *sym;
	char all[1024];
	int drop = 0, expected = ib_probe_expected(p, release);

	sym = ib_probe_resolve(p, ks, all, sizeof(all), &drop, &cand);
	if (sym)
		printf("%-16s %-24s %s%s\n", pack, p->name, sym,
		       drop ? " (compiler clone, armed without its fetches)" :
		       strcmp(sym, cand) ? " (compiler clone)" : "");
	else
		printf("%-16s %-24s %s: %s; lost: %s\n", pack, p->name,
		       expected ? "MISSING" : "none", all, p->lost);
	return !sym && expected;
}

/* One pack: 1 when a probe is MISSING, -1 when the pack is bad. */
static int check_pack(const char *path, const struct ib_kallsyms *ks,
		      const char *release)
{
	struct ib_probeset *ps = ib_probeset_create();
	const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char err[512];
	int i, missing = 0, built = 1;

	if (ib_probeset_load(ps, path, err, sizeof(err))) {
		ib_err("probe pack: %s", err);
		missing = -1;
		goto out;
	}
	if (ps->present && ps->present[0]) {
		built = 0;
		for (i = 0; ps->present[i]; i++)
			built |= ib_kallsyms_find(ks, ps->present[i]) != NULL;
	}
	if (!built) {
		printf("%-16s %-24s driver not in this kernel (no %s)\n", file,
		       "-", ps->present[0]);
		goto out;
	}
	for (i = 0; i < ps->nprobes; i++)
		missing |= check_one(file, &ps->probes[i], ks, release);
out:
	ib_probeset_free(ps);
	return missing;
}

int cmd_probe_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "probes", required_argument, NULL, 'p' },
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "release", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *dir = NULL, *kallsyms = NULL, *release = NULL;
	struct ib_kallsyms *ks = NULL;
	char err[512], *defdir = NULL, *pat = NULL;
	glob_t files = { 0 };
	struct utsname u;
	int c, r, ret = 2;
	size_t i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:k:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			dir = optarg;
			break;
		case 'k':
			kallsyms = optarg;
			break;
		case 'r':
			release = optarg;
			break;
		case 'h':
			cmd_probe_check_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_probe_check_usage, "probe-check");
			return 2;
		}
	}
	if (optind < argc) {
		ib_err("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if (kallsyms && !release) {
		ib_err("--kallsyms needs --release: the version its packs are checked for");
		return 2;
	}
	if (!release && !uname(&u))
		release = u.release;
	if (!ib_kernel_version(release)) {
		ib_err("release '%s' does not start with MAJOR.MINOR",
		       release ? release : "");
		return 2;
	}
	if (!dir)
		dir = defdir = ib_xasprintf("%s/configs/probes", ib_data_dir());
	pat = ib_xasprintf("%s/*.conf", dir);
	if (glob(pat, 0, NULL, &files)) {
		ib_err("%s: no probe pack (*.conf) there", dir);
		goto out;
	}
	ks = ib_kallsyms_load(kallsyms, err, sizeof(err));
	if (!ks) {
		ib_err("%s", err);
		ret = 1;
		goto out;
	}
	printf("# kernel %s: every probe pack of %s\n", release, dir);
	ret = 0;
	for (i = 0; i < files.gl_pathc && ret != 2; i++) {
		r = check_pack(files.gl_pathv[i], ks, release);
		if (r < 0)
			ret = 2;
		else if (r)
			ret = 1;
	}
out:
	globfree(&files);
	free(pat);
	ib_kallsyms_free(ks);
	free(defdir);
	return ret;
}
