// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a run's trace back: decode every record of our instance into
 * struct ib_event after every chunk (--chunks) and at every look of an
 * adaptive run (each read drains the buffers), then account the whole
 * time-ordered stream once.  A chunk longer than the buffers hold (the
 * interrupt events fill them first) overruns them: meta.json says so.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <event-parse.h>
#include <tracefs.h>

#include "decode.h"
#include "run_state.h"
#include "tracing.h"
#include "util.h"

int ib_run_tep_setup(struct ib_run_state *s)
{
	/* ftrace/print: the collector's own markers */
	static const char *const ours[] = { "iommu_bench", "iommu", IB_PROBE_SYSTEM,
					    "ftrace/print" };
	const char *events[sizeof(ours) / sizeof(ours[0]) + 32];
	size_t n, i;

	for (n = 0; n < sizeof(ours) / sizeof(ours[0]); n++)
		events[n] = ours[n];
	for (i = 0; ib_interrupt_events[i] && n < sizeof(events) / sizeof(events[0]) - 1; i++)
		events[n++] = ib_interrupt_events[i];
	events[n] = NULL;
	s->tep = ib_tracing_tep(events);
	if (!s->tep) {
		snprintf(s->error, sizeof(s->error), "cannot read event formats");
		return -1;
	}
	s->dec = ib_decoder_create(s->tep, s->ps, s->error, sizeof(s->error));
	return s->dec ? 0 : -1;
}

static int collect_cb(struct tep_record *rec, void *ctx)
{
	struct ib_run_state *s = ctx;

	if (s->nev == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		s->ev = ib_xrealloc(s->ev, s->cap * sizeof(*s->ev));
	}
	if (ib_decoder_decode(s->dec, rec, &s->ev[s->nev]))
		s->nev++;
	return 0;
}

int ib_run_drain(struct ib_run_state *s)
{
	double t0 = ib_now_ms();
	int ret = ib_tracing_read(s->tr, s->tep, collect_cb, s);

	s->read_ms += ib_now_ms() - t0;
	if (ret == -ETIMEDOUT) {
		snprintf(s->error, sizeof(s->error),
			 "reading the trace back took over %d s and was stopped: events are missing",
			 IB_TRACING_READ_TIMEOUT);
		return -1;
	}
	if (ret < 0) {
		snprintf(s->error, sizeof(s->error), "cannot read trace buffers");
		return -1;
	}
	return 0;
}

struct ib_account *ib_run_account(struct ib_run_state *s)
{
	struct ib_account *acc;
	double t0 = ib_now_ms();
	size_t i;

	ib_events_sort(s->ev, s->nev);
	acc = ib_account_create();
	for (i = 0; i < s->nev; i++)
		ib_account_event(acc, &s->ev[i]);
	ib_account_finish(acc);
	s->account_ms += ib_now_ms() - t0;
	return acc;
}
