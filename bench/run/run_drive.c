// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench run: driving the cycles.  One ioctl per batch of cycles,
 * the module checked first, a clean stop on a signal, and what the
 * module said in the kernel log shown when it refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "kmod_ctl.h"
#include "modes.h"
#include "probe_pack.h"
#include "tracing.h"
#include "util.h"

#include "run_state.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

void ib_run_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int ib_run_stop_signal(void)
{
	return stop_signal;
}

/*
 * One kernel log line, if the module wrote it: pr_err's "iommu_bench:
 * TEXT" as it is, and a device's "DRIVER DEVICE: iommu_bench: TEXT"
 * (pci_err) as "iommu_bench: DEVICE: TEXT".
 */
static void print_kmsg_line(const char *msg)
{
	const char *ours = strstr(msg, "iommu_bench: "), *dev;
	/* the text ends at the first newline: the record's SUBSYSTEM=, DEVICE= follow */
	int text = (int)strcspn(msg, "\n"), len;

	if (!ours || ours - msg >= text)
		return;
	text -= (int)(ours - msg);
	if (ours == msg || ours - msg < 3 || ours[-2] != ':') {
		fprintf(stderr, "  kernel: %.*s\n", text, ours);
		return;
	}
	/* the device's name: the word before ": iommu_bench: " */
	for (dev = ours - 2; dev > msg && dev[-1] != ' '; dev--)
		;
	len = (int)(ours - 2 - dev);
	text -= (int)strlen("iommu_bench: ");
	fprintf(stderr, "  kernel: iommu_bench: %.*s: %.*s\n", len, dev, text,
		ours + strlen("iommu_bench: "));
}

/* Lines the module wrote to the kernel log since @fd was opened. */
static void print_kmsg(int fd)
{
	char buf[2048];
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		char *msg;

		if (n <= 0)
			continue;
		buf[n] = '\0';
		msg = strchr(buf, ';');
		if (msg)
			print_kmsg_line(msg + 1);
	}
}

static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* The module checks every device before anything is armed or written. */
int ib_run_check_with_module(struct ib_run_state *s)
{
	const struct ib_run_opts *o = s->o;
	int kmsg = kmsg_open(), ret;
	uint32_t done;

	ret = ib_kmod_run(s->fd, IOMMU_BENCH_F_CHECK_ONLY, o->mode,
			  o->owner_name[0] ? &o->owner : NULL, o->devs,
			  o->ndevs, 1, 0, NULL, &done);
	if (ret) {
		ib_err("the module refused the run: %s", strerror(-ret));
		print_kmsg(kmsg);
		ret = IB_EXIT_REFUSED;
	}
	if (kmsg >= 0)
		close(kmsg);
	return ret;
}

/*
 * How many cycles of each batch the next chunk runs, 0 to stop: the -n
 * cycles in --chunks parts (each batch kind once per chunk, interleaved;
 * an ioctl per batch, and a mode's setup such as owned's claim is per
 * ioctl), then with --until-ci a look at the CI before every further
 * tenth of what is done.
 */
static uint32_t next_chunk(struct ib_run_state *s, uint32_t c, time_t start)
{
	const struct ib_run_opts *o = s->o;
	uint32_t step = (o->cycles + o->chunks - 1) / o->chunks, more;
	const char *cap = NULL;

	if (c < o->cycles)
		return c + step <= o->cycles ? step : o->cycles - c;
	if (!o->until_ci)
		return 0;
	s->adaptive.cycles = c;
	if (c >= o->max_cycles)
		cap = "cycles";
	else if (time(NULL) - start >= (time_t)o->max_seconds)
		cap = "time";
	/* a cap ends the run: its last look is at all the data there is */
	if (ib_run_ci_reached(s)) {
		s->adaptive.stopped_by = "ci";
		return 0;
	}
	if (cap) {
		s->adaptive.stopped_by = cap;
		return 0;
	}
	if (!o->quiet)
		ib_info("%s: %u cycles, median %.1f us, CI reaches %.1f%% (target %g%%)",
			o->label, c, s->adaptive.median_us,
			s->adaptive.reach_pct, o->until_ci);
	more = ib_run_next_more(c);
	return c + more <= o->max_cycles ? more : o->max_cycles - c;
}

/* One ioctl of @n cycles with @probes, numbered on from the cycles done. */
static int run_batch(struct ib_run_state *s, uint32_t n, int32_t probes)
{
	const struct ib_run_opts *o = s->o;
	uint32_t first = s->cycles_done, done = 0;
	int ret;

	ret = ib_kmod_run(s->fd, 0, o->mode, o->owner_name[0] ? &o->owner : NULL,
			  o->devs, o->ndevs, n, first,
			  s->timings + (size_t)first * o->ndevs, &done);
	memset(s->probes + first, probes, done);
	s->cycles_done += done;
	if (ret == -EINTR)
		snprintf(s->error, sizeof(s->error),
			 "interrupted by signal after %u cycles", s->cycles_done);
	else if (ret)
		snprintf(s->error, sizeof(s->error),
			 "module refused or failed cycle %u: %s", first + done,
			 strerror(-ret));
	return ret;
}

/*
 * Turn on what @probes names, and say so in the trace: the marker tells
 * the accounting (and an import of trace.dat) which cycles follow.
 */
static int select_probes(struct ib_run_state *s, int32_t probes)
{
	char *only[40] = { "iommu_bench" }, *mark;
	int n = 1, i, k, ret;

	if (!s->tr)
		return 0;
	switch (probes) {
	case IB_PROBES_ALL:
		ret = ib_tracing_resume(s->tr);
		break;
	case IB_PROBES_NONE:
		ret = ib_tracing_pause(s->tr);
		break;
	default:
		/* the module's events place the spans; nothing else fires */
		for (i = 0; i < s->ps->nprobes && n < 7; i++) {
			const struct ib_probe *p = &s->ps->probes[i];

			if (!p->symbol || !ib_probe_in_batch(p, probes))
				continue;
			only[n++] = ib_xasprintf("%s/%s", IB_PROBE_SYSTEM, p->name);
			only[n++] = ib_xasprintf("%s/%s_ret", IB_PROBE_SYSTEM, p->name);
		}
		/* what interrupts a timed span, where the kernel has it */
		k = n;
		for (i = 0; i < s->nirq && n < 39; i++)
			only[n++] = s->irq[i];
		only[n] = NULL;
		ret = ib_tracing_only(s->tr, (const char *const *)only);
		for (n = k; --n;)
			free(only[n]);
		break;
	}
	mark = ib_xasprintf("%s%s\n", IB_MARK_PREFIX, ib_probes_name(probes));
	if (!ret)
		ret = ib_tracing_mark(s->tr, mark);
	free(mark);
	if (ret)
		snprintf(s->error, sizeof(s->error),
			 "cannot switch the probes to '%s'", ib_probes_name(probes));
	return ret ? -EIO : 0;
}

static int ib_pci_present(const char *pci)
{
	char *p = ib_xasprintf("/sys/bus/pci/devices/%s", pci);
	int ok = !access(p, F_OK);

	free(p);
	return ok;
}

/* @pci's driver and IOMMU group, as sysfs says: "DRIVER GROUP" */
static void dev_snapshot(const char *pci, char *buf, size_t len)
{
	char *dir = ib_xasprintf("/sys/bus/pci/devices/%s", pci);
	char *drv = ib_link_base(dir, "driver"), *grp = ib_link_base(dir, "iommu_group");

	snprintf(buf, len, "%s %s", drv ? drv : "-", grp ? grp : "-");
	free(drv);
	free(grp);
	free(dir);
}

/*
 * Between two batches (two ioctls), is every device on the driver and in
 * the group it had when the run started?  The module checks each device
 * before each of its cycles, but takes what it finds at each ioctl's start
 * as it was found.
 */
static int devs_unchanged(struct ib_run_state *s, int first)
{
	const struct ib_run_opts *o = s->o;
	char now[sizeof(s->dev_was[0])];
	uint32_t i;

	for (i = 0; i <= o->ndevs; i++) {
		const char *name = i < o->ndevs ? o->names[i] : o->owner_name;

		if (!name[0])
			continue;
		/* one that is gone is the module's to report, by its ioctl */
		if (!first && !ib_pci_present(name))
			continue;
		dev_snapshot(name, now, sizeof(now));
		if (first) {
			memcpy(s->dev_was[i], now, sizeof(now));
		} else if (strcmp(now, s->dev_was[i])) {
			snprintf(s->error, sizeof(s->error),
				 "%s: its driver or IOMMU group changed during the run (driver and group '%s', now '%s'): stopped, left so",
				 name, s->dev_was[i], now);
			return -EBUSY;
		}
	}
	return 0;
}

int ib_run_drive(struct ib_run_state *s)
{
	const struct ib_run_opts *o = s->o;
	uint32_t c, n;
	time_t start = time(NULL);
	int ret = 0, kmsg, k;

	kmsg = kmsg_open();
	devs_unchanged(s, 1);
	if (s->tr && ib_tracing_on(s->tr)) {
		snprintf(s->error, sizeof(s->error), "cannot start tracing");
		ret = -EIO;
		goto out;
	}
	/* c counts the cycles of each batch; the batches of one chunk are
	 * numbered on one after the other */
	for (c = 0; !ret && (n = next_chunk(s, c, start)); c += n) {
		for (k = 0; k < o->nplan && !ret; k++) {
			if (stop_signal) {
				snprintf(s->error, sizeof(s->error),
					 "interrupted by signal %d after %u cycles",
					 (int)stop_signal, s->cycles_done);
				ret = -EINTR;
				break;
			}
			ret = devs_unchanged(s, 0);
			if (!ret)
				ret = select_probes(s, o->plan[k]);
			if (!ret)
				ret = run_batch(s, n, o->plan[k]);
		}
		if (!ret && !o->quiet && c + n <= o->cycles)
			ib_info("%s: cycle %u/%u done (%u devices, %d batch%s each)",
				o->label, c + n, o->cycles, o->ndevs, o->nplan,
				o->nplan == 1 ? "" : "es");
		/*
		 * Empty the buffers between chunks, tracing on: a chunk need
		 * only fit them, not the run (an adaptive look drains too).
		 */
		if (!ret && s->tr && c + n < o->cycles && ib_run_drain(s))
			ret = -EIO;
	}
	if (s->tr)
		ib_tracing_off(s->tr);
	if (ret) {
		ib_err("%s", s->error);
		print_kmsg(kmsg);
	}
out:
	if (kmsg >= 0)
		close(kmsg);
	return ret;
}
