/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_tracing: our own tracefs instance (never the top-level buffer), with
 * a recorded clock and buffer size, read back per CPU after the run.
 */
#ifndef IB_TRACING_H
#define IB_TRACING_H

#include <stddef.h>
#include <stdint.h>

struct tep_handle;
struct tep_record;
struct ib_tracing;

struct ib_tracing_cpu {
	uint64_t records;
	uint64_t overruns;
};

struct ib_tracing_info {
	char clock[32];
	size_t buffer_kb;	/* per CPU */
	uint64_t overruns;	/* events the ring buffer dropped */
	uint64_t missed;	/* records flagged with missed events */
	uint64_t records;
	uint64_t read_timeouts;	/* reads stopped by the watchdog */
	int ncpus;
	struct ib_tracing_cpu *cpu;	/* [ncpus] */
};

/* Seconds a read of the buffers may take before it is stopped. */
#define IB_TRACING_READ_TIMEOUT	120

/*
 * Create tracefs instance @name with @buffer_kb KiB per CPU and trace
 * clock @clock, stopped and empty.  @tracefs: where tracefs is mounted,
 * or NULL to find or mount it.  Instances of collectors that were killed
 * are removed first, each said on stderr (ib_info(): an exception to the
 * library's silence, Documentation/libiommubench.md).
 *
 * Return: the instance (ib_tracing_destroy() it), or NULL with errno set
 * and the reason in @err (no tracefs, no permission, clock unknown, ...).
 */
struct ib_tracing *ib_tracing_create(const char *tracefs, const char *name,
				     size_t buffer_kb,
				     const char *clock, char *err,
				     size_t errlen);
/* Stop, disable every event and remove the instance; NULL is ignored. */
void ib_tracing_destroy(struct ib_tracing *tr);
/*
 * Enable @system/@event (@event NULL: the whole system) in the instance,
 * and keep it in the set ib_tracing_resume() brings back.
 *
 * Return: 0, or -ENOENT when it cannot be enabled (the kernel has no
 * such event).
 */
int ib_tracing_enable(struct ib_tracing *tr, const char *system,
		      const char *event);
/*
 * Disable every event (the kprobes are then disarmed, the cycles run
 * bare); ib_tracing_resume() enables again every one ib_tracing_enable()
 * enabled.  Only what changes is switched.
 *
 * Return: 0, or -EIO when an event could not be switched (the others
 * are).
 */
int ib_tracing_pause(struct ib_tracing *tr);
/* See ib_tracing_pause().  Return: 0, or -EIO as there. */
int ib_tracing_resume(struct ib_tracing *tr);
/*
 * Every event off, then only @events on ("system" or "system/event",
 * NULL-terminated); ib_tracing_resume() brings back the full set.
 *
 * Return: 0, or -EIO when an event could not be switched (the others
 * are).
 */
int ib_tracing_only(struct ib_tracing *tr, const char *const *events);
/*
 * Write @text to the instance's trace_marker (an ftrace:print event).
 *
 * Return: 0, or -EIO.
 */
int ib_tracing_mark(struct ib_tracing *tr, const char *text);
/* Start recording into the instance's buffers.  Return: 0, or -EIO. */
int ib_tracing_on(struct ib_tracing *tr);
/* Stop recording.  Return: 0, or -EIO. */
int ib_tracing_off(struct ib_tracing *tr);
/*
 * The formats of @events only ("system" or "system/event", NULL-ended),
 * after the probes exist; an event the kernel lacks is left out.  Not
 * tracefs_local_events_system(): it also parses all of /proc/kallsyms,
 * which decoding never needs (over a second a run under TCG).
 *
 * Return: a handle to tep_free(), or NULL with errno set (ENOENT: no
 * readable header_page; EINVAL: it does not parse).
 */
struct tep_handle *ib_tracing_tep(const char *const *events);
/*
 * Also write every page read to @dir/cpuN, the raw per-CPU files that
 * "trace-cmd restore" turns into a trace.dat; NULL stops (and closes
 * them).
 *
 * Return: 0, or a negative errno when a file cannot be created.
 */
int ib_tracing_keep_pages(struct ib_tracing *tr, const char *dir);
/*
 * Call @cb for every buffered record of every CPU, draining the buffers
 * (the caller turned tracing off), within IB_TRACING_READ_TIMEOUT
 * seconds; a non-zero return of @cb stops the read.
 *
 * Return: 0; that return of @cb; -ETIMEDOUT when the watchdog stopped
 * the read; another negative errno when a CPU's buffer cannot be read
 * or a page not kept.
 */
int ib_tracing_read(struct ib_tracing *tr, struct tep_handle *tep,
		    int (*cb)(struct tep_record *rec, void *ctx), void *ctx);
/* Return: the instance's clock, buffer size and counts (owned by @tr). */
const struct ib_tracing_info *ib_tracing_info(struct ib_tracing *tr);
/*
 * The instance's directory in tracefs.
 *
 * Return: the path (free() it), or NULL when libtracefs cannot say.
 */
char *ib_tracing_dir(struct ib_tracing *tr);

#endif
