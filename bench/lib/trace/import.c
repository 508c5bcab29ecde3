// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <event-parse.h>
#include <trace-cmd.h>
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/common_interface_defs.h>
#define IB_SANITIZED 1
#endif
#endif

#include "decode.h"
#include "import.h"
#include "perf_data.h"
#include "util.h"

struct reader {
	struct ib_import *im;
	struct tep_handle *tep;
	struct ib_decoder *dec;
	struct tep_event *run_start;
};

/*
 * The packs whose events this file holds: core always, and of the driver
 * packs the one with most probe events present (a machine has one IOMMU
 * driver; packs may reuse names).
 */
static struct ib_probeset *load_packs(const char *dir, struct tep_handle *tep,
				      char *driver, size_t driver_len,
				      char *err, size_t errlen)
{
	char *core = ib_xasprintf("%s/core.conf", dir), *pat, *best = NULL;
	struct ib_probeset *ps;
	int best_n = 0;
	glob_t g;
	size_t i;

	pat = ib_xasprintf("%s/*.conf", dir);
	if (!glob(pat, 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc; i++) {
			struct ib_probeset *one;
			char e[256];
			int j, n = 0;

			if (!strcmp(g.gl_pathv[i], core))
				continue;
			one = ib_probeset_create();
			if (!ib_probeset_load(one, g.gl_pathv[i], e, sizeof(e)))
				for (j = 0; j < one->nprobes; j++)
					n += !!tep_find_event_by_name(tep, IB_PROBE_SYSTEM,
								      one->probes[j].name);
			ib_probeset_free(one);
			if (n > best_n) {
				best_n = n;
				free(best);
				best = ib_xstrdup(g.gl_pathv[i]);
			}
		}
		globfree(&g);
	}
	/* the driver's name is its pack's: DIR/NAME.conf */
	if (best)
		*strrchr(best, '.') = '\0';
	ib_strlcpy(driver, best ? strrchr(best, '/') + 1 : "", driver_len);
	ps = ib_probeset_create();
	if (ib_probeset_load_driver(ps, dir, best ? strrchr(best, '/') + 1 : NULL,
				    err, errlen)) {
		ib_probeset_free(ps);
		ps = NULL;
	}
	free(best);
	free(pat);
	free(core);
	return ps;
}

static int take_record(struct reader *r, struct tep_record *rec, int cpu)
{
	struct ib_import *im = r->im;
	struct ib_event ev;

	im->records++;
	if (rec->missed_events)
		im->missed++;
	if (cpu >= 0 && cpu < im->ncpus)
		im->cpu_records[cpu]++;
	rec->cpu = cpu;
	if (r->run_start && im->mode < 0 &&
	    tep_data_type(r->tep, rec) == r->run_start->id) {
		unsigned long long v;

		if (!tep_get_field_val(NULL, r->run_start, "mode", rec, &v, 0))
			im->mode = (long long)v;
	}
	/*
	 * Records come in time order across CPUs and buffers: account each
	 * at once, so memory does not grow with the trace (only with its
	 * cycles).
	 */
	if (ib_decoder_decode(r->dec, rec, &ev))
		ib_account_event(im->acc, &ev);
	return 0;
}

static int record_cb(struct tracecmd_input *h, struct tep_record *rec, int cpu,
		     void *ctx)
{
	(void)h;
	return take_record(ctx, rec, cpu);
}

static int perf_cb(struct tep_record *rec, void *ctx)
{
	return take_record(ctx, rec, rec->cpu);
}

/* Every buffer of the file, the top one and each instance (-B), merged. */
static int read_all(struct tracecmd_input *h, struct reader *r)
{
	int i, n = tracecmd_buffer_instances(h), nh = 1, ret = -EIO;
	struct tracecmd_input **hs = ib_xcalloc(n + 1, sizeof(*hs));

	hs[0] = h;
	for (i = 0; i < n; i++) {
		hs[nh] = tracecmd_buffer_instance_handle(h, i);
		if (!hs[nh])
			goto out;
		nh++;
	}
	ret = tracecmd_iterate_events_multi(hs, nh, record_cb, r) < 0 ? -EIO : 0;
out:
	for (i = 1; i < nh; i++)
		tracecmd_close(hs[i]);
	free(hs);
	return ret;
}

/*
 * libtraceevent dereferences NULL on some damaged event formats (a
 * SIGSEGV in tep_parse_event); a damaged file must get an error, not
 * kill the collector.  The headers are opened in a child first: it
 * costs one parse of the formats, not of the events.
 */
static void crashed(int sig)
{
	_exit(64 + sig);
}

static int open_tracedat(const char *file)
{
	return tracecmd_open(file, 0) ? 0 : 3;
}

static int open_perf_data(const char *file)
{
	char e[256];

	return ib_perf_data_open(file, IB_PROBE_SYSTEM, e, sizeof(e)) ? 0 : 3;
}

/*
 * @try opens @file in a child: 0 read, 3 refused.  @lib and @what name
 * the library and the kind of file in the error.
 */
static int trial_open(const char *file, int (*try)(const char *), const char *lib,
		      const char *what, char *err, size_t errlen)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 0;	/* no child: the open below is the trial */
	if (!pid) {
		static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
		struct sigaction sa = { .sa_handler = crashed };
		size_t i;

		/* ours, not a sanitizer's report: the parent says what it means */
		for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
			sigaction(fatal[i], &sa, NULL);
#ifdef IB_SANITIZED
		/* a fuzzer's crash handler is the parent's, not this child's */
		__sanitizer_set_death_callback(NULL);
#endif
		_exit(try(file));
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 0;
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3))
		return 0;	/* read, or refused: the open below says which */
	if (WIFSIGNALED(status) || (WEXITSTATUS(status) > 64 && WEXITSTATUS(status) < 64 + NSIG))
		snprintf(err, errlen, "%s: %s crashed reading its headers (%s): a damaged %s",
			 file, lib, strsignal(WIFSIGNALED(status) ? WTERMSIG(status) :
					      WEXITSTATUS(status) - 64), what);
	else
		snprintf(err, errlen, "%s: %s failed reading its headers (exit %d): a damaged %s",
			 file, lib, WEXITSTATUS(status), what);
	return -EINVAL;
}

struct ib_import *ib_import_read(const char *file, const char *probes_dir,
				 const char *release, int *usage, char *err,
				 size_t errlen)
{
	struct ib_import *im = ib_xcalloc(1, sizeof(*im));
	struct reader r = { .im = im };
	struct tracecmd_input *h = NULL;
	struct ib_perf_data *pd = NULL;
	int k;

	*usage = 0;
	im->mode = -1;
	tracecmd_set_loglevel(TEP_LOG_NONE);
	if (ib_perf_data_is(file)) {
		if (trial_open(file, open_perf_data, "libtraceevent", "perf.data",
			       err, errlen))
			goto fail;
		pd = ib_perf_data_open(file, IB_PROBE_SYSTEM, err, errlen);
		if (!pd)
			goto fail;
		im->perf = 1;
		r.tep = ib_perf_data_tep(pd);
	} else {
		if (trial_open(file, open_tracedat, "libtracecmd", "trace.dat",
			       err, errlen))
			goto fail;
		h = tracecmd_open(file, 0);
		if (!h) {
			snprintf(err, errlen, "%s: not a trace.dat that trace-cmd can read, nor a perf.data",
				 file);
			goto fail;
		}
		r.tep = tracecmd_get_tep(h);
	}
	im->ncpus = tep_get_cpus(r.tep);
	if (im->ncpus < 0)
		im->ncpus = 0;
	im->cpu_records = ib_xcalloc(im->ncpus ? im->ncpus : 1, sizeof(uint64_t));
	if (!tep_find_event_by_name(r.tep, "iommu_bench", "cycle_start")) {
		snprintf(err, errlen,
			 "%s: no iommu_bench:cycle_start event format: record with -e iommu_bench while the module runs",
			 file);
		goto fail;
	}
	r.run_start = tep_find_event_by_name(r.tep, "iommu_bench", "run_start");
	im->has_attach = !!tep_find_event_by_name(r.tep, "iommu",
						  "attach_device_to_domain");
	im->ps = load_packs(probes_dir, r.tep, im->driver, sizeof(im->driver),
			    err, errlen);
	if (!im->ps) {
		*usage = 1;
		goto fail;
	}
	ib_probeset_set_release(im->ps, release);
	for (k = 0; k < im->ps->nprobes; k++)
		if (im->ps->probes[k].role == IB_ROLE_RELEASE &&
		    tep_find_event_by_name(r.tep, IB_PROBE_SYSTEM,
					   im->ps->probes[k].name))
			im->release_probe = im->ps->probes[k].name;
	r.dec = ib_decoder_create(r.tep, im->ps, err, errlen);
	if (!r.dec) {
		char *why = ib_xstrdup(err);

		snprintf(err, errlen, "%s: %s", file, why);
		free(why);
		goto fail;
	}
	im->acc = ib_account_create();
	if (pd) {
		char why[256];

		if (ib_perf_data_iterate(pd, perf_cb, &r, why, sizeof(why))) {
			snprintf(err, errlen, "%s: %s", file, why);
			goto fail;
		}
		im->perf_info = *ib_perf_data_info(pd);
	} else if (read_all(h, &r)) {
		snprintf(err, errlen, "%s: cannot read its events", file);
		goto fail;
	}
	ib_account_finish(im->acc);
	if (!ib_account_ncycles(im->acc)) {
		snprintf(err, errlen, "%s: no cycle of the module in this trace",
			 file);
		goto fail;
	}
	ib_decoder_free(r.dec);
	if (h)
		tracecmd_close(h);
	ib_perf_data_close(pd);
	return im;
fail:
	ib_decoder_free(r.dec);
	if (h)
		tracecmd_close(h);
	ib_perf_data_close(pd);
	ib_import_free(im);
	errno = EINVAL;
	return NULL;
}

void ib_import_free(struct ib_import *im)
{
	if (!im)
		return;
	ib_account_free(im->acc);
	ib_probeset_free(im->ps);
	free(im->cpu_records);
	free(im);
}
