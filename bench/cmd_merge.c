// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench merge: the lab boots each kernel several times, interleaved
 * with the other kernels, to average out boot-to-boot drift.  This joins
 * one kernel's boots into a single result a comparison can read.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "cycles_csv.h"
#include "meta.h"
#include "util.h"

void cmd_merge_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench merge -o OUT RUN [RUN ...]\n\n"
		"Join the result directories of several boots of one kernel into OUT\n"
		"(meta.json lists every boot; cycles.csv holds all rows).  The boot is\n"
		"the unit of compare's verdicts: the boots of the RUNs are numbered\n"
		"anew, 1, 2, ..., in the order given, so that two runs that both say\n"
		"boot 1 stay two boots.  Every RUN must have finished with status ok.\n\n"
		"  -o, --out DIR   merged result; must not exist\n"
		"  -h, --help      this text\n");
}

static json_object *read_meta(const char *dir, char *err, size_t errlen)
{
	char *path = ib_xasprintf("%s/meta.json", dir);
	json_object *m = json_object_from_file(path), *st;

	if (!m) {
		snprintf(err, errlen, "%s: unreadable or not JSON", path);
	} else if (!json_object_object_get_ex(m, "status", &st) ||
		   strcmp(json_object_get_string(st), "ok")) {
		snprintf(err, errlen, "%s: run did not finish ok", path);
		json_object_put(m);
		m = NULL;
	}
	free(path);
	return m;
}

/*
 * The boot is the unit of every verdict: two runs that both say "boot 1"
 * are two boots.  Each run's boots become new boots of the merge,
 * numbered on from @next in the order they come; returns the next free.
 */
static uint32_t renumber_boots(struct ib_row *rows, size_t n, uint32_t next)
{
	uint32_t *old = NULL;
	size_t nold = 0, k, b;

	for (k = 0; k < n; k++) {
		for (b = 0; b < nold && old[b] != rows[k].boot; b++)
			;
		if (b == nold) {
			old = ib_xrealloc(old, (nold + 1) * sizeof(*old));
			old[nold++] = rows[k].boot;
		}
		rows[k].boot = next + (uint32_t)b;
	}
	free(old);
	return next + (uint32_t)nold;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	json_object *meta = NULL, *boots;
	const char *out = NULL;
	char err[512], *partial, *path;
	struct ib_afile *af = NULL;
	uint32_t next_boot = 1;
	int c, i, ret = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (c == 'o') {
			out = optarg;
		} else if (c == 'h') {
			cmd_merge_usage(stdout);
			return 0;
		} else {
			cmd_merge_usage(stderr);
			return 2;
		}
	}
	if (!out || optind >= argc) {
		cmd_merge_usage(stderr);
		return 2;
	}
	if (!access(out, F_OK)) {
		ib_err("%s exists: results are never overwritten", out);
		return 2;
	}
	partial = ib_xasprintf("%s.partial", out);
	if (mkdir(partial, 0755)) {
		ib_err("cannot create %s: %s", partial, strerror(errno));
		free(partial);
		return 2;
	}
	path = ib_xasprintf("%s/cycles.csv", partial);
	af = ib_afile_open(path);
	free(path);
	if (!af) {
		ib_err("cannot write in %s: %s", partial, strerror(errno));
		goto out;
	}
	ib_cycles_csv_header(ib_afile_stream(af));
	boots = json_object_new_array();
	for (i = optind; i < argc; i++) {
		json_object *m = read_meta(argv[i], err, sizeof(err));
		struct ib_row *rows;
		size_t n, k;

		if (!m) {
			ib_err("%s", err);
			json_object_put(boots);
			goto out;
		}
		path = ib_xasprintf("%s/cycles.csv", argv[i]);
		if (ib_cycles_csv_read(path, &rows, &n, err, sizeof(err))) {
			ib_err("%s", err);
			free(path);
			json_object_put(m);
			json_object_put(boots);
			goto out;
		}
		free(path);
		next_boot = renumber_boots(rows, n, next_boot);
		for (k = 0; k < n; k++)
			ib_cycles_csv_row(ib_afile_stream(af), &rows[k]);
		free(rows);
		if (!meta && json_object_deep_copy(m, &meta, NULL)) {
			ib_err("out of memory");
			json_object_put(m);
			json_object_put(boots);
			goto out;
		}
		json_object_object_add(m, "dir", json_object_new_string(argv[i]));
		json_object_array_add(boots, m);
	}
	/* The first boot's facts stand for the kernel; each boot is kept. */
	json_object_object_add(meta, "boots", boots);
	if (ib_afile_commit(af)) {
		af = NULL;
		ib_err("cannot write cycles.csv in %s", partial);
		goto out;
	}
	af = NULL;
	path = ib_xasprintf("%s/meta.json", partial);
	if (ib_meta_write(path, meta)) {
		ib_err("%s: %s", path, strerror(errno));
		free(path);
		goto out;
	}
	free(path);
	if (rename(partial, out)) {
		ib_err("cannot rename %s: %s", partial, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (af)
		ib_afile_abort(af);
	if (ret && ib_rmtree(partial))
		ib_warn("could not remove %s", partial);
	json_object_put(meta);
	free(partial);
	return ret;
}
