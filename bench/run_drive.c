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
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kmod_ctl.h"
#include "modes.h"
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
		if (msg && strstr(msg, "iommu_bench: "))
			fprintf(stderr, "  kernel: %s", strstr(msg, "iommu_bench: "));
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
int ib_run_check_with_module(struct run_state *s)
{
	const struct run_opts *o = s->o;
	int kmsg = kmsg_open(), ret;
	uint32_t done;

	ret = ib_kmod_run(s->fd, IOMMU_BENCH_F_CHECK_ONLY, o->mode,
			  o->owner_name[0] ? &o->owner : NULL, o->devs,
			  o->ndevs, 1, 0, NULL, &done);
	if (ret) {
		ib_err("the module refused the run: %s", strerror(-ret));
		print_kmsg(kmsg);
		ret = 2;
	}
	if (kmsg >= 0)
		close(kmsg);
	return ret;
}

/*
 * How many cycles the next ioctl runs, 0 to stop: the -n cycles in tenths
 * (progress, and a mode's setup such as owned's claim is per ioctl), then
 * with --until-ci a CI check before every further tenth of what is done.
 */
static uint32_t next_chunk(struct run_state *s, uint32_t c, time_t start)
{
	const struct run_opts *o = s->o;
	uint32_t step = o->cycles >= 10 ? o->cycles / 10 : 1, more;

	if (c < o->cycles)
		return c + step <= o->cycles ? step : o->cycles - c;
	if (!o->until_ci)
		return 0;
	if (c >= o->max_cycles) {
		s->adaptive.stopped_by = "cycles";
		return 0;
	}
	if (time(NULL) - start >= (time_t)o->max_seconds) {
		s->adaptive.stopped_by = "time";
		return 0;
	}
	if (ib_run_ci_reached(s)) {
		s->adaptive.stopped_by = "ci";
		return 0;
	}
	if (!o->quiet)
		ib_info("%s: %u cycles, median %.1f us +- %.1f%% (target %.1f%%)",
			o->label, c, s->adaptive.median_us,
			s->adaptive.halfwidth_pct, o->until_ci);
	more = c / 10 > 5 ? c / 10 : 5;
	return c + more <= o->max_cycles ? more : o->max_cycles - c;
}

/* One ioctl of @n cycles, numbered on from the cycles done. */
static int run_batch(struct run_state *s, uint32_t n, int bare)
{
	const struct run_opts *o = s->o;
	uint32_t first = s->cycles_done, done = 0;
	int ret;

	ret = ib_kmod_run(s->fd, 0, o->mode, o->owner_name[0] ? &o->owner : NULL,
			  o->devs, o->ndevs, n, first,
			  s->timings + (size_t)first * o->ndevs, &done);
	memset(s->bare + first, bare, done);
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

int ib_run_drive(struct run_state *s)
{
	const struct run_opts *o = s->o;
	uint32_t c, n;
	time_t start = time(NULL);
	int ret = 0, kmsg, bare;

	kmsg = kmsg_open();
	if (s->tr && ib_tracing_on(s->tr)) {
		snprintf(s->error, sizeof(s->error), "cannot start tracing");
		ret = -EIO;
		goto out;
	}
	/* c counts the cycles with probes; with --untraced each batch of
	 * them is followed by as many without, numbered on after them */
	for (c = 0; !ret && (n = next_chunk(s, c, start)); c += n) {
		for (bare = 0; bare <= o->untraced && !ret; bare++) {
			if (stop_signal) {
				snprintf(s->error, sizeof(s->error),
					 "interrupted by signal %d after %u cycles",
					 (int)stop_signal, s->cycles_done);
				ret = -EINTR;
				break;
			}
			if (bare && ib_tracing_pause(s->tr)) {
				snprintf(s->error, sizeof(s->error),
					 "cannot turn the probes off for the untraced cycles");
				ret = -EIO;
				break;
			}
			ret = run_batch(s, n, bare);
			if (bare && ib_tracing_resume(s->tr) && !ret) {
				snprintf(s->error, sizeof(s->error),
					 "cannot turn the probes on again");
				ret = -EIO;
			}
		}
		if (!ret && !o->quiet && c + n <= o->cycles)
			ib_info("%s: cycle %u/%u done (%u devices)%s",
				o->label, c + n, o->cycles, o->ndevs,
				o->untraced ? ", and as many without probes" : "");
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
