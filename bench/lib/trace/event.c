// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "util.h"

static const char *const kind_names[IB_EV_NR] = {
	[IB_EV_CYCLE_START] = "cycle_start",
	[IB_EV_PHASE_END] = "phase_end",
	[IB_EV_CYCLE_END] = "cycle_end",
	[IB_EV_RELEASE_ENTRY] = "release_entry",
	[IB_EV_RELEASE_EXIT] = "release_exit",
	[IB_EV_ATTACH] = "attach",
	[IB_EV_CORE_ATTACH] = "core_attach",
	[IB_EV_HW] = "hw",
	[IB_EV_BLOCK] = "block",
	[IB_EV_CORE_ENTRY] = "core_entry",
	[IB_EV_CORE_EXIT] = "core_exit",
	[IB_EV_MARK] = "mark",
	[IB_EV_RUN_START] = "run_start",
	[IB_EV_IRQ] = "irq",
	[IB_EV_OTHER] = "other",
};

const char *const ib_interrupt_events[] = {
	"irq/irq_handler_entry", "irq/softirq_entry", "ipi/ipi_entry",
	"sched/sched_switch",
	/* x86's system vectors: the local APIC timer and the IPIs */
	"irq_vectors/local_timer_entry", "irq_vectors/reschedule_entry",
	"irq_vectors/call_function_entry",
	"irq_vectors/call_function_single_entry",
	"irq_vectors/irq_work_entry", "irq_vectors/spurious_apic_entry",
	"irq_vectors/error_apic_entry", "irq_vectors/x86_platform_ipi_entry",
	NULL
};

static const char *const probes_names[IB_PROBES_NR] = {
	[IB_PROBES_NONE] = "none",
	[IB_PROBES_ALL] = "all",
	[IB_PROBES_RELEASE] = "release",
	[IB_PROBES_CORE] = "core",
};

const char *ib_probes_name(int32_t probes)
{
	return probes >= 0 && probes < IB_PROBES_NR ? probes_names[probes] : "?";
}

int32_t ib_probes_parse(const char *s)
{
	int32_t i;

	if (!strcmp(s, "0"))
		return IB_PROBES_NONE;
	if (!strcmp(s, "1"))
		return IB_PROBES_ALL;
	for (i = 0; i < IB_PROBES_NR; i++)
		if (!strcmp(s, probes_names[i]))
			return i;
	return -EINVAL;
}

static const char *const phase_names[IB_PHASE_NR] = {
	"remove", "rescan", "unbind", "bind", "claim", "release",
};

const char *ib_phase_name(uint32_t phase)
{
	return phase < IB_PHASE_NR ? phase_names[phase] : "?";
}

const char *ib_ev_kind_name(enum ib_ev_kind kind)
{
	return kind < IB_EV_NR ? kind_names[kind] : "?";
}

const char *ib_dom_type_name(int32_t type)
{
	switch (type) {
	case IB_DOM_UNKNOWN:
		return "unknown";
	case IB_DOM_BLOCKED:
		return "blocked";
	case IB_DOM_UNMANAGED:
		return "unmanaged";
	case IB_DOM_DMA:
		return "dma";
	case IB_DOM_DMA_FQ:
		return "dma_fq";
	case IB_DOM_IDENTITY:
		return "identity";
	default:
		return "other";
	}
}

struct keyed {
	struct ib_event ev;
	size_t index;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->ev.ts != y->ev.ts)
		return x->ev.ts < y->ev.ts ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

void ib_events_sort(struct ib_event *ev, size_t n)
{
	struct keyed *k = ib_xcalloc(n, sizeof(*k));
	size_t i;

	for (i = 0; i < n; i++) {
		k[i].ev = ev[i];
		k[i].index = i;
	}
	qsort(k, n, sizeof(*k), cmp_keyed);
	for (i = 0; i < n; i++)
		ev[i] = k[i].ev;
	free(k);
}
