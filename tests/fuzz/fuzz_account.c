// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the accounting state machine on any event stream -
 * events of unknown devices, out of order, unmatched returns, attaches
 * outside cycles.  Each 8 input bytes make one event.  Whatever comes,
 * every window's counts stay consistent: traced + untraced = total,
 * redundant <= total, no more cycles than cycle_start events, and every
 * cycle's probe set is one there is.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "account.h"

static const char *const devs[] = {
	"0000:00:10.0", "0000:00:11.0", "0000:01:02.0", "",
};
static const int32_t types[] = {
	IB_DOM_BLOCKED, IB_DOM_DMA, IB_DOM_IDENTITY, IB_DOM_UNKNOWN,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ib_account *acc = ib_account_create();
	uint64_t ts = 0, starts = 0;
	size_t i, k;
	int w;

	for (i = 0; i + 8 <= size; i += 8) {
		const uint8_t *b = data + i;
		struct ib_event e = { 0 };

		ts += b[0] & 3;			/* equal stamps too */
		e.ts = ts;
		e.kind = b[1] % IB_EV_NR;
		snprintf(e.dev, sizeof(e.dev), "%s", devs[b[2] & 3]);
		e.pid = (b[2] >> 2) & 3;
		e.cpu = b[2] >> 4;
		e.cycle = b[3] & 3;
		e.phase = b[4] % IB_PHASE_NR;
		e.dom_type = types[b[5] & 3];
		e.dom = (b[5] >> 2) & 3;	/* 0: unknown, else a domain */
		e.hw = b[6] % IB_HW_NR;
		e.ret = (int8_t)b[7];
		e.ns = b[7];
		/* spans of other bus events; markers; run_start's constant */
		e.other = b[7] & 1;
		e.when_removed = (b[7] >> 1) & 1;
		e.arg = (b[7] >> 2) & 3;
		e.probes = (b[7] >> 4) - 2;	/* out of range too */
		starts += e.kind == IB_EV_CYCLE_START;
		ib_account_event(acc, &e);
	}
	ib_account_finish(acc);
	if (ib_account_ncycles(acc) > starts)
		__builtin_trap();
	for (k = 0; k < ib_account_ncycles(acc); k++) {
		const struct ib_cycle *c = ib_account_cycle(acc, k);

		if (c->probes < 0 || c->probes >= IB_PROBES_NR)
			__builtin_trap();
		for (w = 0; w < IB_NWIN; w++) {
			const struct ib_switch_count *s = &c->sw[w];

			if (s->traced + s->untraced != s->total ||
			    s->redundant > s->total)
				__builtin_trap();
		}
	}
	ib_account_free(acc);
	return 0;
}
