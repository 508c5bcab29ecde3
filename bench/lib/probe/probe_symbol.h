/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which function of a kernel each probe of a pack goes on (kallsyms),
 * and the kprobe_events definitions that arming it would write.
 */
#ifndef IB_PROBE_SYMBOL_H
#define IB_PROBE_SYMBOL_H

#include <stddef.h>
#include <stdio.h>

#include "kallsyms.h"
#include "probe_pack.h"

/*
 * Replace $argN in @fetch by @arch's calling-convention register.
 *
 * Return: the fetch args (malloc'd), or NULL with errno EINVAL when
 * @arch's registers are unknown and @fetch has an $argN.
 */
char *ib_probe_fetch_for_arch(const char *fetch, const char *arch);
/* How ib_probeset_print() writes a probe */
enum ib_probe_format {
	IB_PROBE_FORMAT_KPROBE_EVENTS,	/* lines for kprobe_events */
	IB_PROBE_FORMAT_PERF,		/* perf probe commands, same events */
};
/*
 * Write the kprobe_events definitions arming @ps would make on a kernel
 * with @ks (the first candidate it has), for tools that arm by hand:
 * those of one batch kind, @probes (enum ib_probes): IB_PROBES_ALL every
 * probe but the core span, _RELEASE or _CORE that span's two ends only;
 * as @fmt says.  Return: 0.
 */
int ib_probeset_print(const struct ib_probeset *ps,
		      const struct ib_kallsyms *ks, const char *arch,
		      int32_t probes, enum ib_probe_format fmt, FILE *out);
/*
 * The kallsyms name @p goes on for its candidate @cand.
 * *@drop_fetch: a clone taken without the pack's fetches.
 *
 * Return: the name (in @ks), or NULL with the reason in @err: this kernel
 * has no such function, has it under more than one name, or only as a
 * compiler clone the pack cannot fetch from.
 */
const char *ib_probe_candidate(const struct ib_probe *p, const char *cand,
			       const struct ib_kallsyms *ks, char *err,
			       size_t errlen, int *drop_fetch);
/*
 * The first of @p's candidates this kernel has (*@cand: which; @cand may
 * be NULL).  @err holds every passed-over candidate's reason, "; "-joined
 * (empty when the first was taken).
 *
 * Return: the kallsyms name, or NULL when no candidate is there.
 */
const char *ib_probe_resolve(const struct ib_probe *p,
			     const struct ib_kallsyms *ks, char *err,
			     size_t errlen, int *drop_fetch, const char **cand);
/*
 * Append reason @one to the "; "-joined reasons in @err (@errlen bytes,
 * cut if need be).
 */
void ib_probe_reason_add(char *err, size_t errlen, const char *one);

#endif
