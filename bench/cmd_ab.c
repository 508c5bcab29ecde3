// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench ab: the lab A/B of a patch author's own change, kernels
 * built from their git tree.  The work is lab/ab.sh's; this is its entry
 * in the command table, with options checked here.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

void cmd_ab_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench ab --tree DIR --base REV --patched REV [options]\n\n"
		"Build the kernel at REV and at the patched REV from the git tree DIR\n"
		"(tinyconfig + the lab fragment; the tree itself is not touched), boot\n"
		"each in the emulated lab, run the experiment on both and print the\n"
		"comparison and the cover-letter text.  Builds are cached outside the\n"
		"tree: the patched kernel rebuilds only what the change touches.\n\n"
		"  -t, --tree DIR          a Linux git tree\n"
		"  -b, --base REV          the kernel without the change\n"
		"  -p, --patched REV       the kernel with it\n"
		"  -e, --experiment FILE   default configs/experiments/default.conf\n"
		"  -f, --fragment FILE     config fragment, repeatable (default\n"
		"                          configs/kernels/lab.fragment)\n"
		"  -h, --help              this text\n\n"
		"Exit status: 2 bad usage, or not run from a source tree (ab boots the\n"
		"emulated lab in lab/); else lab/ab.sh's: 0 compared, non-zero a\n"
		"kernel build, a boot or the comparison failed.\n");
}

int cmd_ab(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "base", required_argument, NULL, 'b' },
		{ "patched", required_argument, NULL, 'p' },
		{ "experiment", required_argument, NULL, 'e' },
		{ "fragment", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *tree = NULL, *base = NULL, *patched = NULL, *exp = NULL;
	char *args[16], *script;
	int nfrag = 0, n = 0, c, i;
	const char *frags[8];

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:b:p:e:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': tree = optarg; break;
		case 'b': base = optarg; break;
		case 'p': patched = optarg; break;
		case 'e': exp = optarg; break;
		case 'f':
			if (nfrag == 8) {
				ib_err("at most 8 fragments");
				return 2;
			}
			frags[nfrag++] = optarg;
			break;
		case 'h':
			cmd_ab_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_ab_usage, "ab");
			return 2;
		}
	}
	if (!tree || !base || !patched || optind < argc) {
		ib_err("ab needs --tree, --base and --patched");
		ib_usage_short(cmd_ab_usage, "ab");
		return 2;
	}
	if (access(tree, F_OK)) {
		ib_err("%s: %s", tree, strerror(errno));
		return 2;
	}
	script = ib_xasprintf("%s/lab/ab.sh", ib_data_dir());
	if (access(script, X_OK)) {
		ib_err("ab runs the emulated lab of a source tree (%s: %s): run it from a clone of iommu-bench",
		       script, strerror(errno));
		free(script);
		return 2;
	}
	args[n++] = script;
	args[n++] = (char *)tree;
	args[n++] = (char *)base;
	args[n++] = (char *)patched;
	if (exp || nfrag)
		args[n++] = (char *)(exp ? exp : "configs/experiments/default.conf");
	for (i = 0; i < nfrag; i++)
		args[n++] = (char *)frags[i];
	args[n] = NULL;
	execv(script, args);
	ib_err("cannot run %s: %s", script, strerror(errno));
	free(script);
	return 1;
}
