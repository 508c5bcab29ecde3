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
 * NULL and @err filled on failure (no tracefs, no permission, ...).
 * @tracefs: where tracefs is mounted, or NULL to find or mount it.
 */
struct ib_tracing *ib_tracing_create(const char *tracefs, const char *name,
				     size_t buffer_kb,
				     const char *clock, char *err,
				     size_t errlen);
/* Remove the instance; safe on NULL. */
void ib_tracing_destroy(struct ib_tracing *tr);
int ib_tracing_enable(struct ib_tracing *tr, const char *system,
		      const char *event);
/*
 * Disable every event (the kprobes are then disarmed, the cycles run
 * bare), and enable again every one ib_tracing_enable() enabled.
 */
int ib_tracing_pause(struct ib_tracing *tr);
int ib_tracing_resume(struct ib_tracing *tr);
/*
 * Every event off, then only @events on ("system" or "system/event",
 * NULL-terminated); ib_tracing_resume() brings back the full set.
 */
int ib_tracing_only(struct ib_tracing *tr, const char *const *events);
/* Write @text to the instance's trace_marker (an ftrace:print event). */
int ib_tracing_mark(struct ib_tracing *tr, const char *text);
int ib_tracing_on(struct ib_tracing *tr);
int ib_tracing_off(struct ib_tracing *tr);
/*
 * The formats of @events only ("system" or "system/event", NULL-ended),
 * after the probes exist; caller frees with tep_free.  Not
 * tracefs_local_events_system(): it also parses all of /proc/kallsyms,
 * which decoding never needs (over a second a run under TCG).
 */
struct tep_handle *ib_tracing_tep(const char *const *events);
/*
 * Also write every page read to @dir/cpuN, the raw per-CPU files that
 * "trace-cmd restore" turns into a trace.dat; NULL stops (and closes
 * them).  0 or -errno.
 */
int ib_tracing_keep_pages(struct ib_tracing *tr, const char *dir);
/* Call @cb for every buffered record of every CPU, draining the buffers. */
int ib_tracing_read(struct ib_tracing *tr, struct tep_handle *tep,
		    int (*cb)(struct tep_record *rec, void *ctx), void *ctx);
const struct ib_tracing_info *ib_tracing_info(struct ib_tracing *tr);
/* The instance's directory; caller frees. */
char *ib_tracing_dir(struct ib_tracing *tr);

#endif
