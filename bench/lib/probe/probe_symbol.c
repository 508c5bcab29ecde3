// SPDX-License-Identifier: GPL-2.0
/*
 * Which function of a kernel a probe goes on: the first of its candidates
 * kallsyms names once (a kprobe needs a unique name), a compiler clone
 * only where the pack knows what its fetches would read there; and the
 * definitions arming it would write (probe_arm.c arms them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_symbol.h"
#include "util.h"

void ib_probe_reason_add(char *err, size_t errlen, const char *one)
{
	size_t n = strnlen(err, errlen);

	if (n + 1 >= errlen)
		return;
	snprintf(err + n, errlen - n, "%s%s", n ? "; " : "", one);
}

const char *ib_probe_candidate(const struct ib_probe *p, const char *cand,
			       const struct ib_kallsyms *ks, char *err,
			       size_t errlen, int *drop_fetch)
{
	const char *sym = ib_kallsyms_find(ks, cand);
	int n = ib_kallsyms_count(ks, cand);

	err[0] = '\0';
	*drop_fetch = 0;
	if (!sym) {
		snprintf(err, errlen, "%s is not in kallsyms (inlined or absent)", cand);
		return NULL;
	}
	if (n > 1) {
		/* the kernel refuses it; say so, not EADDRNOTAVAIL */
		snprintf(err, errlen, "%s is %d functions (kprobes need a unique name)",
			 cand, n);
		return NULL;
	}
	if (!strcmp(sym, cand) || !p->fetch[0])
		return sym;
	/*
	 * An .isra or .constprop clone may take other arguments, in other
	 * registers: its fetches would read garbage.  Only a pack that says
	 * "clone = nofetch" (its accounting does without them) takes it.
	 */
	if (p->clone_nofetch && !p->when_field) {
		*drop_fetch = 1;
		return sym;
	}
	snprintf(err, errlen, "only the compiler clone %s is there, whose arguments the fetches may not match",
		 sym);
	return NULL;
}

const char *ib_probe_resolve(const struct ib_probe *p,
			     const struct ib_kallsyms *ks, char *err,
			     size_t errlen, int *drop_fetch, const char **cand)
{
	const char *sym = NULL;
	char one[256];
	char **s;

	err[0] = '\0';
	for (s = p->symbols; *s && !sym; s++) {
		sym = ib_probe_candidate(p, *s, ks, one, sizeof(one), drop_fetch);
		if (one[0])
			ib_probe_reason_add(err, errlen, one);
		if (sym && cand)
			*cand = *s;
	}
	return sym;
}

char *ib_probe_fetch_for_arch(const char *fetch, const char *arch)
{
	static const char *const x86_64[] = { "%di", "%si", "%dx", "%cx",
					      "%r8", "%r9" };
	static const char *const arm64[] = { "%x0", "%x1", "%x2", "%x3",
					     "%x4", "%x5" };
	const char *const *regs;
	size_t cap = strlen(fetch) * 2 + 1, len = 0;
	char *out = ib_xcalloc(1, cap);
	const char *s;

	if (!strcmp(arch, "x86_64"))
		regs = x86_64;
	else if (!strcmp(arch, "aarch64"))
		regs = arm64;
	else
		regs = NULL;

	for (s = fetch; *s; ) {
		if (!strncmp(s, "$arg", 4) && s[4] >= '1' && s[4] <= '6') {
			if (!regs) {
				free(out);
				errno = EINVAL;
				return NULL;
			}
			len += snprintf(out + len, cap - len, "%s",
					regs[s[4] - '1']);
			s += 5;
		} else {
			out[len++] = *s++;
		}
	}
	out[len] = '\0';
	return out;
}

/*
 * One probe as a kprobe_events definition (two lines for a release), or
 * as the perf probe commands that make the same events; "# ..." when
 * this kernel has none of its candidates.
 */
static void print_one(const struct ib_probe *p, const struct ib_kallsyms *ks,
		      const char *fetch, enum ib_probe_format fmt, FILE *out)
{
	char all[1024];
	int drop = 0;
	const char *sym = ib_probe_resolve(p, ks, all, sizeof(all), &drop, NULL);

	if (!sym) {
		fprintf(out, "# %s: %s; lost: %s\n", p->name,
			all[0] ? all : "no candidate", p->lost);
		return;
	}
	if (drop)
		fetch = "";
	if (fmt == IB_PROBE_FORMAT_PERF) {
		/* perf probe passes raw fetch args (registers, +OFF()) through */
		fprintf(out, "perf probe -q -a '%s:%s=%s%s%s'\n", IB_PROBE_SYSTEM,
			p->name, sym, fetch[0] ? " " : "", fetch);
		if (!ib_probe_is_span(p))
			return;
		/* perf 6.1 names every return probe EVENT__return */
		fprintf(out, "# %s's return: %s__return, not %s_ret", p->name,
			p->name, p->name);
		if (p->maxactive)
			fprintf(out, "; perf probe cannot ask for %u instances (misses: kprobe_profile)",
				p->maxactive);
		fprintf(out, "\nperf probe -q -a '%s:%s=%s%%return'\n",
			IB_PROBE_SYSTEM, p->name, sym);
		return;
	}
	fprintf(out, "p:%s/%s %s%s%s\n", IB_PROBE_SYSTEM, p->name, sym,
		fetch[0] ? " " : "", fetch);
	if (!ib_probe_is_span(p))
		return;
	if (p->maxactive)
		fprintf(out, "r%u:%s/%s_ret %s\n", p->maxactive,
			IB_PROBE_SYSTEM, p->name, sym);
	else
		fprintf(out, "r:%s/%s_ret %s\n", IB_PROBE_SYSTEM, p->name, sym);
}

int ib_probeset_print(const struct ib_probeset *ps,
		      const struct ib_kallsyms *ks, const char *arch,
		      int32_t probes, enum ib_probe_format fmt, FILE *out)
{
	int i;

	for (i = 0; i < ps->nprobes; i++) {
		char *fetch;

		if (!ib_probe_in_batch(&ps->probes[i], probes)) {
			fprintf(out, "# %s: not in '%s' batches\n", ps->probes[i].name,
				ib_probes_name(probes));
			continue;
		}
		fetch = ib_probe_fetch_for_arch(ps->probes[i].fetch, arch);

		if (!fetch) {
			fprintf(out, "# %s: no argument registers known for %s\n",
				ps->probes[i].name, arch);
			continue;
		}
		print_one(&ps->probes[i], ks, fetch, fmt, out);
		free(fetch);
	}
	return 0;
}
