// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench ab: a patch author's own change or series, kernels built
 * from their git tree and measured in the lab, each patch on its own.
 * The work is lab/ab.sh's; this is its entry in the command table, with
 * the options checked and every path made absolute here.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"


void cmd_ab_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench ab --tree DIR (--series BASE..HEAD | --base REV --patched REV)\n"
		"                      [options]\n\n"
		"Measure your own kernel change in the emulated lab.  With --series, the\n"
		"kernel at BASE and at each commit of BASE..HEAD (at most 7) is built\n"
		"from the git tree DIR, booted (interleaved) and run through every\n"
		"experiment; each step is compared with the one before it and a block\n"
		"of at most 72 columns says what each patch changed, by its subject\n"
		"(iommu-bench steps), with the cover letter of the whole against BASE.\n"
		"--base and --patched: the two kernels alone.  The tree is only read.\n"
		"Builds are cached by content: a base with the files of an installed\n"
		"Debian linux-source is that package's kernel, each step rebuilds only\n"
		"what its diff touches, and a second or interrupted run builds nothing\n"
		"already built.  A step that does not build or boot is reported with\n"
		"its errors after the steps before it.\n\n"
		"  -t, --tree DIR          a Linux git tree\n"
		"  -s, --series BASE..HEAD every commit after BASE up to HEAD, in turn\n"
		"  -b, --base REV          the kernel without the change\n"
		"  -p, --patched REV       the kernel with it\n"
		"  -e, --experiment FILE   repeatable (default configs/experiments/\n"
		"                          default.conf and owned.conf; arm64: smmuv3.conf)\n"
		"  -i, --iommu NAME        the lab's IOMMU instead of the experiments'\n"
		"                          (intel-iommu, intel-iommu-sm, amd-iommu,\n"
		"                          virtio-iommu, smmuv3, none)\n"
		"  -a, --arch ARCH         amd64 (default) or arm64 (cross-built, SMMUv3)\n"
		"  -c, --clock CLOCK       tcg (time, default), icount (instructions) or both\n"
		"  -j, --jobs N            make -j for the kernel builds\n"
		"  -k, --keep              copy each step's kernel (image, config,\n"
		"                          System.map, initramfs) into the result\n"
		"  -f, --fragment FILE     config fragment, repeatable (default\n"
		"                          configs/kernels/lab.fragment)\n"
		"  -h, --help              this text\n\n"
		"IB_ROUNDS and IB_CYCLES cut the experiments' boots and cycles down.\n"
		"Writes results/ab-<UTC time>/ (.failed when a step failed): steps.txt,\n"
		"each clock's run, the build logs, and kernels/ with --keep.\n\n"
		"Exit status: 2 bad usage, or not run from a source tree (ab boots the\n"
		"emulated lab in lab/); else lab/ab.sh's: 0 measured, 1 a step did not\n"
		"build or boot, or the lab failed.\n");
}

/* @v is one of @list (NULL-terminated); else an error naming --@opt. */
static int one_of(const char *opt, const char *v, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (!strcmp(v, list[i]))
			return 1;
	ib_err("--%s %s: not one of the choices (iommu-bench ab --help)", opt, v);
	return 0;
}

/* @path made absolute (lab/ab.sh runs from the data directory). */
static char *abs_path(const char *opt, const char *path)
{
	char buf[PATH_MAX];

	if (!realpath(path, buf)) {
		ib_err("--%s %s: %s", opt, path, strerror(errno));
		return NULL;
	}
	return ib_xstrdup(buf);
}

/* The user's command line, for the cover letters' Reproduce line. */
static void set_reproduce(int argc, char **argv)
{
	size_t len = strlen("iommu-bench ab") + 1;
	char *s;
	int i;

	for (i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = ib_xcalloc(len, 1);
	strcpy(s, "iommu-bench ab");
	for (i = 1; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	setenv("IB_REPRODUCE", s, 1);
	free(s);
}

int cmd_ab(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "series", required_argument, NULL, 's' },
		{ "base", required_argument, NULL, 'b' },
		{ "patched", required_argument, NULL, 'p' },
		{ "experiment", required_argument, NULL, 'e' },
		{ "iommu", required_argument, NULL, 'i' },
		{ "arch", required_argument, NULL, 'a' },
		{ "clock", required_argument, NULL, 'c' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "keep", no_argument, NULL, 'k' },
		{ "fragment", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const char *const iommus[] = {
		"intel-iommu", "intel-iommu-sm", "amd-iommu", "virtio-iommu",
		"smmuv3", "none", NULL,
	};
	static const char *const arches[] = { "amd64", "arm64", NULL };
	static const char *const clocks[] = { "tcg", "icount", "both", NULL };
	/* each option gives at most two words, and 10 more after them */
	char **args = ib_xcalloc(2 * argc + 12, sizeof(char *));
	char *tree = NULL, *script, *base_buf = NULL, *end;
	const char *base = NULL, *patched = NULL, *series = NULL, *dots;
	int n = 0, c, i, ret = 2;
	long jobs;

	optind = 1;
	script = ib_xasprintf("%s/lab/ab.sh", ib_data_dir());
	args[n++] = script;
	while ((c = getopt_long(argc, argv, "t:s:b:p:e:i:a:c:j:kf:h", longopts,
				NULL)) != -1) {
		char *v = optarg;

		switch (c) {
		case 't':
			free(tree);
			if (!(tree = abs_path("tree", optarg)))
				goto out;
			break;
		case 's':
			series = optarg;
			break;
		case 'b':
			base = optarg;
			break;
		case 'p':
			patched = optarg;
			break;
		case 'e':
		case 'f':
			if (!(v = abs_path(c == 'e' ? "experiment" : "fragment", optarg)))
				goto out;
			/* fall through */
		case 'i':
		case 'a':
		case 'c':
			if ((c == 'i' && !one_of("iommu", v, iommus)) ||
			    (c == 'a' && !one_of("arch", v, arches)) ||
			    (c == 'c' && !one_of("clock", v, clocks)))
				goto out;
			args[n++] = ib_xasprintf("-%c", c);
			args[n++] = c == 'e' || c == 'f' ? v : ib_xstrdup(v);
			break;
		case 'j':
			jobs = strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > 1024) {
				ib_err("--jobs %s: not a number from 1 to 1024", optarg);
				goto out;
			}
			args[n++] = ib_xstrdup("-j");
			args[n++] = ib_xstrdup(optarg);
			break;
		case 'k':
			args[n++] = ib_xstrdup("-k");
			break;
		case 'h':
			cmd_ab_usage(stdout);
			ret = 0;
			goto out;
		default:
			ib_usage_short(cmd_ab_usage, "ab");
			goto out;
		}
	}
	if (!tree || optind < argc || !series == !(base || patched) ||
	    (!series && (!base || !patched))) {
		ib_err("ab needs --tree and either --series BASE..HEAD or --base and --patched");
		ib_usage_short(cmd_ab_usage, "ab");
		goto out;
	}
	if (series) {
		dots = strstr(series, "..");
		if (!dots || dots == series || !dots[2] || strchr(dots + 2, '.') == dots + 2) {
			ib_err("--series %s: give BASE..HEAD (two revisions)", series);
			goto out;
		}
		base_buf = ib_xstrdup(series);
		base_buf[dots - series] = '\0';
		base = base_buf;
		patched = dots + 2;
		args[n++] = ib_xstrdup("-s");
	}
	if (access(script, X_OK)) {
		ib_err("ab runs the emulated lab of a source tree (%s: %s): run it from a clone of iommu-bench",
		       script, strerror(errno));
		goto out;
	}
	args[n++] = ib_xstrdup("-t");
	args[n++] = tree;
	args[n++] = ib_xstrdup("-b");
	args[n++] = ib_xstrdup(base);
	args[n++] = ib_xstrdup("-p");
	args[n++] = ib_xstrdup(patched);
	args[n] = NULL;
	set_reproduce(argc, argv);
	execv(script, args);
	ib_err("cannot run %s: %s", script, strerror(errno));
	ret = 1;
	tree = NULL;
out:
	free(tree);
	free(base_buf);
	for (i = 0; i < n; i++)
		free(args[i]);
	free(args);
	return ret;
}
