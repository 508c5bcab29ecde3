// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <tracefs.h>
#include <event-parse.h>
#include <kbuffer.h>

#include "tracing.h"
#include "util.h"

struct ib_tracing {
	struct tracefs_instance *inst;
	struct ib_tracing_info info;
	int ncpus;
	int *page_fd;		/* per CPU, -1 when pages are not kept */
	char **enabled;		/* "system" or "system/event": the full set */
	int nenabled;
	char **on;		/* what is on now, in the same names */
	int non;
	int (*cb)(struct tep_record *rec, void *ctx);
	void *ctx;
};

/* Instances "iommu_bench_<pid>" of collectors that were killed. */
static void remove_stale_instances(void)
{
	/* a POSIX basic regex (libtracefs compiles it so): no '+' */
	char **names = tracefs_instances("^iommu_bench_[0-9][0-9]*$"), **n;

	for (n = names; n && *n; n++) {
		pid_t pid = (pid_t)atoi(*n + strlen("iommu_bench_"));
		struct tracefs_instance *inst;

		if (pid <= 0 || !kill(pid, 0) || errno != ESRCH)
			continue;
		inst = tracefs_instance_alloc(NULL, *n);
		if (!inst)
			continue;
		tracefs_event_disable(inst, NULL, NULL);
		if (!tracefs_instance_destroy(inst))
			ib_info("removed tracefs instance %s, left by a collector that was killed",
				*n);
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

	int e;

	if (tracefs) {
		if (statfs(tracefs, &sfs) || sfs.f_type != IB_TRACEFS_MAGIC) {
			snprintf(err, errlen, "%s is not a tracefs mount", tracefs);
			errno = EINVAL;
			return NULL;
		}
		cur = ib_xstrdup(tracefs);
		tracefs_set_tracing_dir(cur);
		free(cur);
	}
	if (!tracefs_tracing_dir()) {
		snprintf(err, errlen,
			 "tracefs is not mounted and cannot be mounted (kernel without CONFIG_TRACING?)");
		errno = ENODEV;
		return NULL;
	}
	remove_stale_instances();
	tr = ib_xcalloc(1, sizeof(*tr));
	tr->ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (tr->ncpus < 1)
		tr->ncpus = 1;
	tr->page_fd = ib_xcalloc(tr->ncpus, sizeof(*tr->page_fd));
	memset(tr->page_fd, 0xff, tr->ncpus * sizeof(*tr->page_fd));
	tr->info.ncpus = tr->ncpus;
	tr->info.cpu = ib_xcalloc(tr->ncpus, sizeof(*tr->info.cpu));
	tr->inst = tracefs_instance_create(name);
	if (!tr->inst) {
		e = errno ? errno : EIO;
		snprintf(err, errlen, "cannot create tracefs instance %s: %s",
			 name, strerror(errno));
		free(tr->page_fd);
		free(tr->info.cpu);
		free(tr);
		errno = e;
		return NULL;
	}
	if (tracefs_instance_file_write(tr->inst, "trace_clock", clock) < 0) {
		snprintf(err, errlen, "trace clock '%s' not supported here",
			 clock);
		ib_tracing_destroy(tr);
		errno = EINVAL;
		return NULL;
	}
	if (tracefs_instance_set_buffer_size(tr->inst, buffer_kb, -1) < 0) {
		e = errno ? errno : EIO;
		snprintf(err, errlen, "cannot size trace buffer to %zu KiB per CPU",
			 buffer_kb);
		ib_tracing_destroy(tr);
		errno = e;
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
	int cpu, i;

	if (!tr)
		return;
	for (cpu = 0; cpu < tr->ncpus; cpu++)
		if (tr->page_fd[cpu] >= 0)
			close(tr->page_fd[cpu]);
	free(tr->page_fd);
	free(tr->info.cpu);
	for (i = 0; i < tr->nenabled; i++)
		free(tr->enabled[i]);
	free(tr->enabled);
	for (i = 0; i < tr->non; i++)
		free(tr->on[i]);
	free(tr->on);
	tracefs_trace_off(tr->inst);
	tracefs_event_disable(tr->inst, NULL, NULL);
	/* the marker's open file would keep the instance busy */
	tracefs_print_close(tr->inst);
	tracefs_instance_destroy(tr->inst);
	tracefs_instance_free(tr->inst);
	free(tr);
}

/* "system/event" or "system" on or off: its enable file, no regex. */
static int switch_one(struct ib_tracing *tr, const char *name, int on)
{
	char *file = ib_xasprintf("events/%s/enable", name);
	int ret = tracefs_instance_file_write(tr->inst, file, on ? "1" : "0");

	free(file);
	return ret < 0 ? -ENOENT : 0;
}

static int in(char *const *list, int n, const char *name)
{
	while (n--)
		if (!strcmp(list[n], name))
			return 1;
	return 0;
}

/*
 * Only what changes is switched: under TCG every kprobe armed or
 * disarmed costs the kernel a text patch of tens of milliseconds.
 */
static int set_on(struct ib_tracing *tr, const char *const *want, int nwant)
{
	char **on = ib_xcalloc(nwant + 1, sizeof(char *));
	int i, ret = 0;

	for (i = 0; i < tr->non; i++) {
		if (!in((char *const *)want, nwant, tr->on[i]) &&
		    switch_one(tr, tr->on[i], 0))
			ret = -EIO;
		free(tr->on[i]);
	}
	for (i = 0; i < nwant; i++) {
		if (!in(tr->on, tr->non, want[i]) && switch_one(tr, want[i], 1))
			ret = -EIO;
		on[i] = ib_xstrdup(want[i]);
	}
	free(tr->on);
	tr->on = on;
	tr->non = nwant;
	return ret;
}

int ib_tracing_enable(struct ib_tracing *tr, const char *system,
		      const char *event)
{
	char *name = event ? ib_xasprintf("%s/%s", system, event) :
			     ib_xstrdup(system);

	if (switch_one(tr, name, 1)) {
		free(name);
		return -ENOENT;
	}
	tr->enabled = ib_xrealloc(tr->enabled,
				  (tr->nenabled + 1) * sizeof(*tr->enabled));
	tr->enabled[tr->nenabled++] = name;
	tr->on = ib_xrealloc(tr->on, (tr->non + 1) * sizeof(*tr->on));
	tr->on[tr->non++] = ib_xstrdup(name);
	return 0;
}

int ib_tracing_pause(struct ib_tracing *tr)
{
	/* every event off: kprobes no longer enabled anywhere are disarmed */
	return set_on(tr, NULL, 0);
}

int ib_tracing_resume(struct ib_tracing *tr)
{
	return set_on(tr, (const char *const *)tr->enabled, tr->nenabled);
}

int ib_tracing_only(struct ib_tracing *tr, const char *const *events)
{
	int n = 0;

	while (events[n])
		n++;
	return set_on(tr, events, n);
}

int ib_tracing_mark(struct ib_tracing *tr, const char *text)
{
	return tracefs_printf(tr->inst, "%s", text) < 0 ? -EIO : 0;
}

int ib_tracing_on(struct ib_tracing *tr)
{
	return tracefs_trace_on(tr->inst) ? -EIO : 0;
}

int ib_tracing_off(struct ib_tracing *tr)
{
	return tracefs_trace_off(tr->inst) ? -EIO : 0;
}

static void parse_format(struct tep_handle *tep, const char *sys,
			 const char *ev)
{
	int size = 0;
	char *buf = tracefs_event_file_read(NULL, sys, ev, "format", &size);

	if (buf && size > 0)
		tep_parse_event(tep, buf, size, sys);
	free(buf);
}

struct tep_handle *ib_tracing_tep(const char *const *events)
{
	struct tep_handle *tep = tep_alloc();
	int size = 0;
	char *buf;

	if (!tep) {
		errno = ENOMEM;
		return NULL;
	}
	/* the ring buffer's page header, as libtracefs's own loader reads it */
	buf = tracefs_instance_file_read(NULL, "events/header_page", &size);
	if (!buf || tep_parse_header_page(tep, buf, size, sizeof(long))) {
		int e = buf ? EINVAL : ENOENT;

		free(buf);
		tep_free(tep);
		errno = e;
		return NULL;
	}
	free(buf);
	for (; *events; events++) {
		char *sys = ib_xstrdup(*events), *ev = strchr(sys, '/');
		char **names;
		int i;

		if (ev) {
			*ev++ = '\0';
			parse_format(tep, sys, ev);
		} else if ((names = tracefs_system_events(NULL, sys))) {
			for (i = 0; names[i]; i++)
				parse_format(tep, sys, names[i]);
			tracefs_list_free(names);
		}
		free(sys);
	}
	tep_set_cpus(tep, (int)sysconf(_SC_NPROCESSORS_CONF));
	tep_set_long_size(tep, tep_get_header_page_size(tep));
	return tep;
}

/* Keep every page read in @dir/cpuN, as trace-cmd record's per-CPU files. */
int ib_tracing_keep_pages(struct ib_tracing *tr, const char *dir)
{
	int cpu;

	for (cpu = 0; cpu < tr->ncpus; cpu++) {
		char *path;

		if (tr->page_fd[cpu] >= 0)
			close(tr->page_fd[cpu]);
		tr->page_fd[cpu] = -1;
		if (!dir)
			continue;
		path = ib_xasprintf("%s/cpu%d", dir, cpu);

		tr->page_fd[cpu] = open(path, O_WRONLY | O_CREAT | O_TRUNC |
					O_CLOEXEC, 0644);
		free(path);
		if (tr->page_fd[cpu] < 0)
			return -errno;
	}
	return 0;
}

static void read_overruns(struct ib_tracing *tr)
{
	int cpu;

	tr->info.overruns = 0;
	for (cpu = 0; cpu < tr->ncpus; cpu++) {
		char *path = ib_xasprintf("per_cpu/cpu%d/stats", cpu);
		char *text, *p;

		text = tracefs_instance_file_read(tr->inst, path, NULL);
		free(path);
		if (!text)
			continue;
		p = strstr(text, "overrun:");
		if (p) {
			tr->info.cpu[cpu].overruns = strtoull(p + 8, NULL, 10);
			tr->info.overruns += tr->info.cpu[cpu].overruns;
		}
		free(text);
	}
}

/* The read being made, for the watchdog. */
static volatile sig_atomic_t read_stopped;

static void read_watchdog(int sig)
{
	(void)sig;
	read_stopped = 1;
}

/* Hand every event of one ring-buffer page to the callback. */
static int read_page(struct ib_tracing *tr, struct kbuffer *kbuf, void *page,
		     int cpu)
{
	struct tep_record rec;
	unsigned long long ts;
	int missed, ret = 0;
	void *data;

	if (kbuffer_load_subbuffer(kbuf, page) < 0)
		return 0;
	missed = kbuffer_missed_events(kbuf);
	for (data = kbuffer_read_event(kbuf, &ts); data && !ret;
	     data = kbuffer_next_event(kbuf, &ts)) {
		memset(&rec, 0, sizeof(rec));
		rec.ts = ts;
		rec.data = data;
		rec.size = kbuffer_event_size(kbuf);
		rec.cpu = cpu;
		rec.missed_events = missed;
		if (missed)
			tr->info.missed++;
		missed = 0;
		tr->info.records++;
		tr->info.cpu[cpu].records++;
		ret = tr->cb(&rec, tr->ctx);
	}
	return ret;
}

static int read_cpu(struct ib_tracing *tr, struct kbuffer *kbuf, int cpu,
		    void *page, int page_size)
{
	struct tracefs_cpu *tcpu;
	int n, ret = 0;

	tcpu = tracefs_cpu_open(tr->inst, cpu, true);
	if (!tcpu)
		return errno == ENOENT ? 0 : -errno;
	/*
	 * Tracing is off: read full pages, then flush out the partly
	 * filled last one.
	 */
	while (!ret && !read_stopped &&
	       ((n = tracefs_cpu_read(tcpu, page, true)) > 0 ||
		(n = tracefs_cpu_flush(tcpu, page)) > 0)) {
		if (n < page_size)
			memset((char *)page + n, 0, page_size - n);
		if (tr->page_fd[cpu] >= 0)
			ret = ib_write_all(tr->page_fd[cpu], page, page_size);
		if (!ret)
			ret = read_page(tr, kbuf, page, cpu);
	}
	tracefs_cpu_close(tcpu);
	return ret;
}

int ib_tracing_read(struct ib_tracing *tr, struct tep_handle *tep,
		    int (*cb)(struct tep_record *rec, void *ctx), void *ctx)
{
	struct sigaction sa = { .sa_handler = read_watchdog }, old;
	int page_size = getpagesize(), cpu, ret = 0;
	struct kbuffer *kbuf;
	void *page;

	tr->cb = cb;
	tr->ctx = ctx;
	read_overruns(tr);
	if (!tep_get_long_size(tep))
		tep_set_long_size(tep, sizeof(long));
	kbuf = tep_kbuffer(tep);
	if (!kbuf)
		return -ENOMEM;
	page = ib_xcalloc(1, page_size);
	/*
	 * Tracing is off while we read: the buffers drain in well under a
	 * minute.  Should a read never end, stop it and say so rather than
	 * hang the run.
	 */
	read_stopped = 0;
	sigaction(SIGALRM, &sa, &old);
	alarm(IB_TRACING_READ_TIMEOUT);
	for (cpu = 0; cpu < tr->ncpus && !ret && !read_stopped; cpu++)
		ret = read_cpu(tr, kbuf, cpu, page, page_size);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	free(page);
	kbuffer_free(kbuf);
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
