// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench compare: runs side by side, the first as the baseline, with
 * the statistics a reviewer asks for, as text, JSON, CSV, plots and a
 * cover-letter block.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"
#include "plots.h"
#include "runs.h"
#include "table.h"

void cmd_compare_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench compare [options] RUN_A [RUN_B ...]\n\n"
		"Compare result directories (each with meta.json and cycles.csv), RUN_A\n"
		"as the baseline, up to %d runs.  Prints the table: per kernel and timed\n"
		"quantity (the release span, the kernel's core release function, each\n"
		"phase) its boots, n, min, median, p90, p99, max, the range of its boot\n"
		"medians and their spread between and within boots; against RUN_A the\n"
		"change with its exact CI and p, the boot being the unit (Hodges-Lehmann\n"
		"shift of the boot medians, Wilcoxon rank-sum), a verdict, and the\n"
		"smallest change the design detects; each kernel's A/A noise floor (the\n"
		"same method on halves of its own boots); the probe effect; and the\n"
		"switch and hardware-work counts per release.  With one RUN: its own\n"
		"statistics and noise floor, no verdict.\n\n"
		"  -o, --out DIR       also write DIR/compare.{txt,json,csv},\n"
		"                      DIR/cover-letter.txt and the plots (PNG and SVG)\n"
		"      --cover-letter  print the <= 72-column cover-letter block instead\n"
		"                      of the table (at most 3 runs)\n"
		"      --reproduce CMD the command line the cover letter names\n"
		"      --allow-lost    use runs whose trace lost events\n"
		"      --no-plots      -o without the plots (where gnuplot is not installed)\n"
		"      --probed        time the release from the cycles with every probe\n"
		"                      armed instead of its ends alone: what the probes\n"
		"                      inside the span do to a verdict\n"
		"  -h, --help          this text\n\n"
		"Exit status: 0 compared; 1 a RUN cannot be read, lost events\n"
		"(without --allow-lost), RUNs of different modes, or -o DIR cannot be\n"
		"written; 2 bad usage, or -o DIR holds files compare did not write.\n",
		IB_MAX_RUNS);
}

static int write_text(const char *path, const struct ib_table *t, int cover,
		      const char *reproduce)
{
	struct ib_afile *af = ib_afile_open(path);

	if (!af)
		return -errno;
	if (cover)
		ib_table_print_cover_letter(t, ib_afile_stream(af), reproduce);
	else
		ib_table_print(t, ib_afile_stream(af));
	return ib_afile_commit(af);
}

/* A name compare writes: its tables, the cover letter, plots, plot data. */
static int compare_file(const char *name)
{
	static const char *const fixed[] = {
		"compare.txt", "compare.json", "compare.csv", "cover-letter.txt",
		"counts.dat", "release_latency.png", "release_latency.svg",
		"phases.png", "phases.svg", "counts.png", "counts.svg",
	};
	static const char *const per_run[] = {
		"latency-", "release-", "phaseA-", "phaseB-",
	};
	size_t i, n;
	char *end;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(name, fixed[i]))
			return 1;
	for (i = 0; i < sizeof(per_run) / sizeof(per_run[0]); i++) {
		n = strlen(per_run[i]);
		if (!strncmp(name, per_run[i], n) && strtol(name + n, &end, 10) > 0 &&
		    !strcmp(end, ".dat"))
			return 1;
	}
	return 0;
}

/*
 * An existing -o DIR is replaced only when it holds a comparison and
 * nothing else: a rerun leaves no file of the last one (another
 * baseline's cover letter) beside the new tables, and no other file is
 * ever deleted.
 */
static int check_outdir(const char *outdir)
{
	struct dirent *e;
	DIR *d = opendir(outdir);
	int ret = 0;

	if (!d && errno == ENOENT)
		return 0;
	if (!d) {
		ret = -errno;
		ib_err("-o %s: %s", outdir, strerror(-ret));
		return ret;
	}
	while (!ret && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    (!compare_file(e->d_name) || e->d_type != DT_REG)) {
			ib_err("%s holds %s, which compare did not write: give -o a new directory",
			       outdir, e->d_name);
			ret = -EEXIST;
		}
	closedir(d);
	return ret;
}

/* Everything into DIR.partial, then in DIR's place: never half a set. */
static int write_all(const char *outdir, const struct ib_table *t,
		     const char *reproduce, int plots)
{
	char *tmp = ib_xasprintf("%s.partial", outdir);
	char *old = ib_xasprintf("%s.old", outdir), *p;
	int ret = 0;

	if ((!access(tmp, F_OK) && ib_rmtree(tmp)) || mkdir(tmp, 0755)) {
		ib_err("cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -EIO;
	}
	p = ib_xasprintf("%s/compare.txt", tmp);
	ret |= write_text(p, t, 0, NULL);
	free(p);
	p = ib_xasprintf("%s/compare.json", tmp);
	ret |= ib_table_write_json(t, p);
	free(p);
	p = ib_xasprintf("%s/compare.csv", tmp);
	ret |= ib_table_write_csv(t, p);
	free(p);
	if (t->nruns <= 3) {
		p = ib_xasprintf("%s/cover-letter.txt", tmp);
		ret |= write_text(p, t, 1, reproduce);
		free(p);
	}
	if (ret)
		ib_err("cannot write the tables in %s", tmp);
	if (!ret && plots && ib_plots_write(t, tmp))
		ret = -EIO;
	/* the old set moves aside until the new one is in place */
	if (!ret && !access(outdir, F_OK) && rename(outdir, old)) {
		ib_err("cannot move %s aside: %s", outdir, strerror(errno));
		ret = -EIO;
	}
	if (!ret && rename(tmp, outdir)) {
		ib_err("cannot put %s in place of %s: %s", tmp, outdir,
		       strerror(errno));
		if (!access(old, F_OK))
			rename(old, outdir);
		ret = -EIO;
	}
	if (!access(old, F_OK) && !ret && ib_rmtree(old))
		ib_warn("could not remove %s", old);
	if (ret && ib_rmtree(tmp))
		ib_warn("could not remove %s", tmp);
	free(tmp);
	free(old);
	return ret;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "cover-letter", no_argument, NULL, 'c' },
		{ "reproduce", required_argument, NULL, 'r' },
		{ "allow-lost", no_argument, NULL, 'L' },
		{ "probed", no_argument, NULL, 'P' },
		{ "no-plots", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct ib_run_data runs[IB_MAX_RUNS] = { 0 };
	const char *outdir = NULL, *reproduce = NULL;
	int allow_lost = 0, cover = 0, plots = 1, n = 0, c, i, ret = 1;
	unsigned int flags = 0;
	struct ib_table t;
	char err[512];

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': {
			/* "DIR/" would put DIR.partial inside DIR */
			size_t len = strlen(optarg);

			while (len > 1 && optarg[len - 1] == '/')
				optarg[--len] = '\0';
			outdir = optarg;
			break;
		}
		case 'c':
			cover = 1;
			break;
		case 'r':
			reproduce = optarg;
			break;
		case 'L':
			allow_lost = 1;
			break;
		case 'P':
			flags |= IB_LOAD_PROBED;
			break;
		case 'N':
			plots = 0;
			break;
		case 'h':
			cmd_compare_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_compare_usage, "compare");
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > IB_MAX_RUNS) {
		ib_err("compare needs 1 to %d runs", IB_MAX_RUNS);
		return 2;
	}
	if (cover && argc - optind > 3) {
		ib_err("a cover letter holds at most 3 runs in 72 columns");
		return 2;
	}
	if (outdir && check_outdir(outdir))
		return 2;
	for (i = optind; i < argc; i++, n++) {
		if (ib_run_load(&runs[n], argv[i], flags, err, sizeof(err))) {
			ib_err("%s", err);
			n++;
			goto done;
		}
		if (runs[n].lost && !allow_lost) {
			ib_err("%s: its trace lost events; counts are incomplete (--allow-lost to use it anyway)",
			       argv[i]);
			n++;
			goto done;
		}
	}
	/* a comparison of kernels holds the experiment still */
	for (i = 1; i < n; i++)
		if (runs[i].unit != runs[0].unit) {
			ib_err("%s counts lengths in %s, %s in %s: instructions and time cannot be compared",
			       runs[i].dir, ib_unit_name(runs[i].unit), runs[0].dir,
			       ib_unit_name(runs[0].unit));
			goto done;
		} else if (strcmp(runs[i].mode, runs[0].mode)) {
			ib_err("%s ran in %s mode, %s in %s mode: compare runs of one experiment",
			       runs[i].dir, runs[i].mode, runs[0].dir, runs[0].mode);
			goto done;
		} else if (runs[i].ndevices != runs[0].ndevices) {
			ib_warn("%s cycled %u devices, %s %u: not the same experiment?",
				runs[i].dir, runs[i].ndevices, runs[0].dir,
				runs[0].ndevices);
		}
	ib_table_build(&t, runs, n);
	if (cover)
		ib_table_print_cover_letter(&t, stdout, reproduce);
	else
		ib_table_print(&t, stdout);
	ret = 0;
	if (outdir && write_all(outdir, &t, reproduce, plots))
		ret = 1;
	ib_table_free(&t);
done:
	for (i = 0; i < n; i++)
		ib_run_free(&runs[i]);
	return ret;
}
