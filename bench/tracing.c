// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <tracefs.h>
#include <event-parse.h>

#include "tracing.h"
#include "util.h"

struct ib_tracing {
	struct tracefs_instance *inst;
	struct ib_tracing_info info;
	int (*cb)(struct tep_record *rec, void *ctx);
	void *ctx;
};

/* Instances "iommu_bench_<pid>" of collectors that were killed. */
static void remove_stale_instances(void)
{
	char **names = tracefs_instances("^iommu_bench_[0-9]+$"), **n;

	for (n = names; n && *n; n++) {
		pid_t pid = (pid_t)atoi(*n + strlen("iommu_bench_"));
		struct tracefs_instance *inst;

		if (pid <= 0 || !kill(pid, 0) || errno != ESRCH)
			continue;
		inst = tracefs_instance_alloc(NULL, *n);
		if (!inst)
			continue;
		tracefs_event_disable(inst, NULL, NULL);
		tracefs_instance_destroy(inst);
		tracefs_instance_free(inst);
	}
	tracefs_list_free(names);
}

#define IB_TRACEFS_MAGIC 0x74726163	/* include/uapi/linux/magic.h */

struct ib_tracing *ib_tracing_create(const char *tracefs, const char *name,
				     size_t buffer_kb, const char *clock,
				     char *err, size_t errlen)
{
	struct ib_tracing *tr;
	struct statfs sfs;
	char *cur;

	if (tracefs) {
		if (statfs(tracefs, &sfs) || sfs.f_type != IB_TRACEFS_MAGIC) {
			snprintf(err, errlen, "%s is not a tracefs mount", tracefs);
			return NULL;
		}
		cur = ib_xstrdup(tracefs);
		tracefs_set_tracing_dir(cur);
		free(cur);
	}
	if (!tracefs_tracing_dir()) {
		snprintf(err, errlen,
			 "tracefs is not mounted and cannot be mounted (kernel without CONFIG_TRACING?)");
		return NULL;
	}
	remove_stale_instances();
	tr = ib_xcalloc(1, sizeof(*tr));
	tr->inst = tracefs_instance_create(name);
	if (!tr->inst) {
		snprintf(err, errlen, "cannot create tracefs instance %s: %s",
			 name, strerror(errno));
		free(tr);
		return NULL;
	}
	if (tracefs_instance_file_write(tr->inst, "trace_clock", clock) < 0) {
		snprintf(err, errlen, "trace clock '%s' not supported here",
			 clock);
		ib_tracing_destroy(tr);
		return NULL;
	}
	if (tracefs_instance_set_buffer_size(tr->inst, buffer_kb, -1) < 0) {
		snprintf(err, errlen, "cannot size trace buffer to %zu KiB per CPU",
			 buffer_kb);
		ib_tracing_destroy(tr);
		return NULL;
	}
	/* Start from an empty, stopped buffer. */
	tracefs_trace_off(tr->inst);
	tracefs_instance_file_write(tr->inst, "trace", "");
	cur = tracefs_get_clock(tr->inst);
	snprintf(tr->info.clock, sizeof(tr->info.clock), "%s",
		 cur ? cur : clock);
	free(cur);
	tr->info.buffer_kb = buffer_kb;
	return tr;
}

void ib_tracing_destroy(struct ib_tracing *tr)
{
	if (!tr)
		return;
	tracefs_trace_off(tr->inst);
	tracefs_event_disable(tr->inst, NULL, NULL);
	tracefs_instance_destroy(tr->inst);
	tracefs_instance_free(tr->inst);
	free(tr);
}

int ib_tracing_enable(struct ib_tracing *tr, const char *system,
		      const char *event)
{
	return tracefs_event_enable(tr->inst, system, event) ? -ENOENT : 0;
}

int ib_tracing_on(struct ib_tracing *tr)
{
	return tracefs_trace_on(tr->inst) ? -EIO : 0;
}

int ib_tracing_off(struct ib_tracing *tr)
{
	return tracefs_trace_off(tr->inst) ? -EIO : 0;
}

struct tep_handle *ib_tracing_tep(struct ib_tracing *tr)
{
	(void)tr;
	return tracefs_local_events(NULL);
}

static int iter_cb(struct tep_event *event, struct tep_record *rec, int cpu,
		   void *ctx)
{
	struct ib_tracing *tr = ctx;

	(void)event;
	rec->cpu = cpu;
	tr->info.records++;
	if (rec->missed_events)
		tr->info.missed++;
	return tr->cb(rec, tr->ctx);
}

static uint64_t read_overruns(struct ib_tracing *tr)
{
	uint64_t total = 0;
	int cpu;

	for (cpu = 0; cpu < 4096; cpu++) {
		char *path = ib_xasprintf("per_cpu/cpu%d/stats", cpu);
		char *text, *p;

		text = tracefs_instance_file_read(tr->inst, path, NULL);
		free(path);
		if (!text)
			break;
		p = strstr(text, "overrun:");
		if (p)
			total += strtoull(p + 8, NULL, 10);
		free(text);
	}
	return total;
}

/* The instance being read, for the watchdog. */
static struct tracefs_instance *reading;
static volatile sig_atomic_t read_stopped;

static void read_watchdog(int sig)
{
	(void)sig;
	read_stopped = 1;
	if (reading)
		tracefs_iterate_stop(reading);
}

int ib_tracing_read(struct ib_tracing *tr, struct tep_handle *tep,
		    int (*cb)(struct tep_record *rec, void *ctx), void *ctx)
{
	struct sigaction sa = { .sa_handler = read_watchdog }, old;
	int ret;

	tr->cb = cb;
	tr->ctx = ctx;
	tr->info.overruns = read_overruns(tr);
	/*
	 * Tracing is off while we read: the buffers drain in well under a
	 * minute.  Should a read never end, stop it and say so rather than
	 * hang the run.
	 */
	reading = tr->inst;
	read_stopped = 0;
	sigaction(SIGALRM, &sa, &old);
	alarm(IB_TRACING_READ_TIMEOUT);
	ret = tracefs_iterate_raw_events(tep, tr->inst, NULL, 0, iter_cb, tr);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	reading = NULL;
	if (read_stopped) {
		tr->info.read_timeouts++;
		return -ETIMEDOUT;
	}
	return ret;
}

const struct ib_tracing_info *ib_tracing_info(struct ib_tracing *tr)
{
	return &tr->info;
}

char *ib_tracing_dir(struct ib_tracing *tr)
{
	return tracefs_instance_get_dir(tr->inst);
}
