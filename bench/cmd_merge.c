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
		"  -h, --help      this text\n\n"
		"Exit status: 0 merged; 1 a RUN cannot be read or merged (another\n"
		"kernel, a boot held twice, a run that did not finish), nothing\n"
		"written; 2 bad usage, OUT exists or cannot be made.\n");
}

static json_object *read_meta(const char *dir, char *err, size_t errlen)
{
	char *path = ib_xasprintf("%s/meta.json", dir);
	json_object *m = json_object_from_file(path), *st;

	if (!m) {
		snprintf(err, errlen, "%s: unreadable or not JSON", path);
	} else if (ib_meta_validate(m, path, err, errlen)) {
		json_object_put(m);
		m = NULL;
	} else if (!json_object_object_get_ex(m, "status", &st) ||
		   strcmp(json_object_get_string(st), "ok")) {
		snprintf(err, errlen, "%s: run did not finish ok", path);
		json_object_put(m);
		m = NULL;
	}
	free(path);
	return m;
}

static const char *field(json_object *m, const char *path)
{
	json_object *o = ib_meta_get(m, path, NULL);

	return o ? json_object_get_string(o) : "?";
}

/*
 * A merge is of boots of one kernel, in one mode, on one IOMMU, each boot
 * once: anything else pools what a comparison must keep apart, or counts
 * a boot twice as if it were two.  @b is a boot of run @m.
 */
static int same_kernel(json_object *first, const char *fdir, json_object *b,
		       json_object *m, const char *dir)
{
	static const char *const keys[] = {
		"system.kernel_release", "system.iommu_driver", "config.mode",
	};
	size_t k;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *a = field(first, keys[k]);
		const char *v = field(b, keys[k]);

		/* a merged run's boot may keep only what it adds */
		if (!strcmp(v, "?"))
			v = field(m, keys[k]);

		if (strcmp(a, v)) {
			ib_err("%s has %s %s, %s has %s: merge joins boots of one kernel and mode",
			       dir, strchr(keys[k], '.') + 1, v, fdir, a);
			return -EINVAL;
		}
	}
	return 0;
}

/* Adds @boot's key to @seen, or says where that boot was seen already. */
static int new_boot(json_object *seen, json_object *boot, const char *dir)
{
	char *key = ib_meta_boot_key(boot);
	json_object *where;

	if (!key)
		return 0;
	if (json_object_object_get_ex(seen, key, &where)) {
		ib_err("%s and %s hold the same boot (%s): a boot merged twice would count as two",
		       json_object_get_string(where), dir, key);
		free(key);
		return -EINVAL;
	}
	json_object_object_add(seen, key, json_object_new_string(dir));
	free(key);
	return 0;
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

/*
 * One RUN's boots (a merged run brings each of its own) after those
 * already in @boots, its rows renumbered on into @csv.
 */
static int add_run(const char *dir, const char *first_dir, json_object **meta,
		   json_object *boots, json_object *seen, FILE *csv,
		   enum ib_unit unit, uint32_t *next_boot)
{
	json_object *m, *inner;
	struct ib_row *rows;
	enum ib_unit u;
	char err[512], *path;
	size_t n, k;
	int ret = -EINVAL;

	m = read_meta(dir, err, sizeof(err));
	if (!m) {
		ib_err("%s", err);
		return -EINVAL;
	}
	if (!*meta && json_object_deep_copy(m, meta, NULL)) {
		ib_err("out of memory");
		goto out;
	}
	if (!json_object_object_get_ex(m, "boots", &inner))
		inner = NULL;
	for (k = 0; k < (inner ? json_object_array_length(inner) : 1); k++) {
		json_object *b = inner ? json_object_array_get_idx(inner, k) : m;

		if (same_kernel(*meta, first_dir, b, m, dir) || new_boot(seen, b, dir))
			goto out;
		if (!json_object_object_get_ex(b, "dir", NULL))
			json_object_object_add(b, "dir", json_object_new_string(dir));
		json_object_array_add(boots, json_object_get(b));
	}
	path = ib_xasprintf("%s/cycles.csv", dir);
	ret = ib_cycles_csv_read(path, &rows, &n, &u, err, sizeof(err));
	free(path);
	if (ret) {
		ib_err("%s", err);
		goto out;
	}
	/* instructions and time are no one quantity */
	if (u != unit) {
		ib_err("%s counts lengths in %s, %s in %s: merge joins boots on one clock",
		       dir, ib_unit_name(u), first_dir, ib_unit_name(unit));
		free(rows);
		ret = -EINVAL;
		goto out;
	}
	*next_boot = renumber_boots(rows, n, *next_boot);
	for (k = 0; k < n; k++)
		ib_cycles_csv_row(csv, &rows[k]);
	free(rows);
out:
	json_object_put(m);
	return ret;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	json_object *meta = NULL, *boots, *seen;
	const char *out = NULL;
	char *partial, *path;
	struct ib_afile *af = NULL;
	uint32_t next_boot = 1;
	enum ib_unit unit;
	int c, i, ret = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (c == 'o') {
			out = optarg;
		} else if (c == 'h') {
			cmd_merge_usage(stdout);
			return 0;
		} else {
			ib_usage_short(cmd_merge_usage, "merge");
			return 2;
		}
	}
	if (!out || optind >= argc) {
		ib_usage_short(cmd_merge_usage, "merge");
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
	/* the first RUN's clock is the merge's: the others must match */
	path = ib_xasprintf("%s/meta.json", argv[optind]);
	meta = json_object_from_file(path);
	free(path);
	unit = IB_UNIT_NS;
	if (meta && json_object_object_get_ex(meta, "clock_unit", &boots) &&
	    ib_unit_parse(json_object_get_string(boots)) >= 0)
		unit = (enum ib_unit)ib_unit_parse(json_object_get_string(boots));
	json_object_put(meta);
	meta = NULL;
	ib_cycles_csv_header(ib_afile_stream(af), unit);
	boots = json_object_new_array();
	seen = json_object_new_object();
	for (i = optind; i < argc; i++)
		if (add_run(argv[i], argv[optind], &meta, boots, seen,
			    ib_afile_stream(af), unit, &next_boot)) {
			json_object_put(boots);
			json_object_put(seen);
			goto out;
		}
	json_object_put(seen);
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
