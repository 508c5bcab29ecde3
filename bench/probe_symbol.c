// SPDX-License-Identifier: GPL-2.0
/*
 * Which function of a kernel a probe goes on: the first of its candidates
 * kallsyms names once (a kprobe needs a unique name), a compiler clone
 * only where the pack knows what its fetches would read there; and on
 * which kernel versions the pack says it must find one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes.h"
#include "util.h"

const char *ib_probe_candidate(const struct ib_probe *p, const char *cand,
			       const struct ib_kallsyms *ks, char **why,
			       int *drop_fetch)
{
	const char *sym = ib_kallsyms_find(ks, cand);
	int n = ib_kallsyms_count(ks, cand);

	*why = NULL;
	*drop_fetch = 0;
	if (!sym) {
		*why = ib_xasprintf("%s is not in kallsyms (inlined or absent)", cand);
		return NULL;
	}
	if (n > 1) {
		/* the kernel refuses it; say so, not EADDRNOTAVAIL */
		*why = ib_xasprintf("%s is %d functions (kprobes need a unique name)",
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
	*why = ib_xasprintf("only the compiler clone %s is there, whose arguments the fetches may not match",
			    sym);
	return NULL;
}

const char *ib_probe_resolve(const struct ib_probe *p,
			     const struct ib_kallsyms *ks, char **why,
			     int *drop_fetch, const char **cand)
{
	const char *sym = NULL;
	char *one, *all = NULL, **s;

	for (s = p->symbols; *s && !sym; s++) {
		sym = ib_probe_candidate(p, *s, ks, &one, drop_fetch);
		if (one) {
			char *both = all ? ib_xasprintf("%s; %s", all, one) :
				     ib_xstrdup(one);

			free(all);
			free(one);
			all = both;
		}
		if (sym && cand)
			*cand = *s;
	}
	*why = all;
	return sym;
}

unsigned int ib_kernel_version(const char *release)
{
	unsigned int maj, min;

	if (!release || sscanf(release, "%u.%u", &maj, &min) != 2 || !maj ||
	    maj > 999 || min > 999)
		return 0;
	return maj * 1000 + min;
}

int ib_probeset_set_release(struct ib_probeset *ps, const char *release)
{
	unsigned int ver = ib_kernel_version(release);
	int i, changed = 0;

	if (!ver)
		return 0;
	for (i = 0; i < ps->nprobes; i++) {
		struct ib_probe *p = &ps->probes[i];

		if (p->in_release_before) {
			p->in_release_driver = ver < p->in_release_before;
			changed += !p->in_release_driver;
		}
	}
	return changed;
}

const char *ib_probeset_versioned(const struct ib_probeset *ps)
{
	static char v[16];
	int i;

	for (i = 0; i < ps->nprobes; i++)
		if (ps->probes[i].in_release_before) {
			snprintf(v, sizeof(v), "%u.%u", ps->probes[i].in_release_before / 1000,
				 ps->probes[i].in_release_before % 1000);
			return v;
		}
	return NULL;
}

int ib_probe_expected(const struct ib_probe *p, const char *release)
{
	unsigned int ver = ib_kernel_version(release);
	char **v;

	if (!ver)
		return 0;
	for (v = p->arms_on; v && *v; v++)
		if (ib_kernel_version(*v) == ver)
			return 1;
	return 0;
}

/*
 * One probe as a kprobe_events definition (two lines for a release), or
 * as the perf probe commands that make the same events; "# ..." when
 * this kernel has none of its candidates.
 */
static void print_one(const struct ib_probe *p, const struct ib_kallsyms *ks,
		      const char *fetch, enum ib_probe_format fmt, FILE *out)
{
	char *all;
	int drop = 0;
	const char *sym = ib_probe_resolve(p, ks, &all, &drop, NULL);

	if (!sym) {
		fprintf(out, "# %s: %s; lost: %s\n", p->name,
			all ? all : "no candidate", p->lost);
		free(all);
		return;
	}
	free(all);
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
