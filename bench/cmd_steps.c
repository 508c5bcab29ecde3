// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench steps: a series measured step by step, each change put on
 * the patch that made it (ab --series prints this block).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "util.h"
#include "steps.h"

void cmd_steps_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench steps [options] -r RUN [-r RUN] STEP STEP...\n\n"
		"A patch series step by step: STEP are the kernels of lab runs (RUN/EXP/\n"
		"STEP/, as lab/run-experiment.sh writes them), the base first, then the\n"
		"base with patch 1, with patches 1 and 2, ...  Each step is compared\n"
		"with the one before it in every experiment of RUN, and only what moved\n"
		"is printed under that patch: switch and hardware-work counts per\n"
		"release (exact), each device's release target, and the release latency\n"
		"when its verdict is a change.  Prints a block of at most 72 columns\n"
		"for a cover letter.  Up to %d steps.\n\n"
		"  -r, --run DIR         a run directory; a second one on the other clock\n"
		"                        (TCG time and icount instructions)\n"
		"  -s, --subject TEXT    one per STEP, in order: the line that names it\n"
		"                        (its commit's subject)\n"
		"  -n, --patches N       the series has N patches, of which the STEPs\n"
		"                        are the first (a later one failed)\n"
		"  -o, --out FILE        also write the block to FILE\n"
		"      --allow-lost      use runs whose trace lost events\n"
		"  -h, --help            this text\n\n"
		"Exit status: 0 printed; 1 a run cannot be read or FILE written; 2 bad\n"
		"usage.\n", IB_STEPS_MAX);
}

int cmd_steps(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "run", required_argument, NULL, 'r' },
		{ "subject", required_argument, NULL, 's' },
		{ "patches", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "allow-lost", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char *runs[IB_STEPS_MAX_CLOCKS], *subjects[IB_STEPS_MAX];
	int nruns = 0, nsubj = 0, allow_lost = 0, npatches = 0, nsteps, c;
	int ret = 1;
	char *end;
	long lval;
	const char *out = NULL;
	struct ib_steps *st;
	char err[512];

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:s:n:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (nruns == IB_STEPS_MAX_CLOCKS) {
				ib_err("at most %d runs: one per clock", IB_STEPS_MAX_CLOCKS);
				return 2;
			}
			runs[nruns++] = optarg;
			break;
		case 's':
			if (nsubj == IB_STEPS_MAX) {
				ib_err("at most %d subjects: one per step", IB_STEPS_MAX);
				return 2;
			}
			subjects[nsubj++] = optarg;
			break;
		case 'n':
			lval = strtol(optarg, &end, 10);
			npatches = lval;
			if (*end || lval < 1 || lval > 64) {
				ib_err("--patches %s: not a number from 1 to 64", optarg);
				return 2;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'L':
			allow_lost = 1;
			break;
		case 'h':
			cmd_steps_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_steps_usage, "steps");
			return 2;
		}
	}
	nsteps = argc - optind;
	if (!nruns || nsteps < 2 || nsteps > IB_STEPS_MAX) {
		ib_err("steps needs -r RUN and 2 to %d steps, the base first", IB_STEPS_MAX);
		ib_usage_short(cmd_steps_usage, "steps");
		return 2;
	}
	if (npatches && npatches < nsteps - 1) {
		ib_err("--patches %d: %d steps after the base were given", npatches,
		       nsteps - 1);
		return 2;
	}
	if (nsubj && nsubj != nsteps) {
		ib_err("%d subjects for %d steps: give one per step or none", nsubj, nsteps);
		return 2;
	}
	if (ib_steps_load(&st, runs, nruns, argv + optind, nsteps, allow_lost,
			  err, sizeof(err))) {
		ib_err("%s", err);
		goto done;
	}
	ib_steps_print(st, nsubj ? subjects : NULL, npatches, stdout);
	ret = 0;
	if (out) {
		struct ib_afile *af = ib_afile_open(out);

		if (af)
			ib_steps_print(st, nsubj ? subjects : NULL, npatches,
				       ib_afile_stream(af));
		if (!af || ib_afile_commit(af)) {
			ib_err("cannot write %s: %s", out, strerror(errno));
			ret = 1;
		}
	}
done:
	ib_steps_free(st);
	return ret;
}
