// SPDX-License-Identifier: GPL-2.0
/*
 * Arming a probe set: a kprobe (and a kretprobe for a span) through
 * libtracefs on the first candidate the kernel has and accepts, and the
 * hits and misses of each after the run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracefs.h>

#include "probe_arm.h"
#include "probe_symbol.h"
#include "util.h"

/* One kprobe or kretprobe; NULL with the reason in @err when refused,
 * and the first probe another tracer holds kept in @ps->held. */
static struct tracefs_dynevent *arm_one(struct ib_probeset *ps, int ret,
					const char *event, const char *symbol,
					const char *fetch, unsigned int maxactive,
					char *err, size_t errlen)
{
	struct tracefs_dynevent *ev;
	char *cmd;

	/*
	 * A probe left by a run that was killed is ours to replace.  Written
	 * by hand: tracefs_dynevent_get() of libtracefs 1.6 crashes when
	 * nothing matches.
	 */
	cmd = ib_xasprintf("-:%s/%s", IB_PROBE_SYSTEM, event);
	if (tracefs_instance_file_append(NULL, "kprobe_events", cmd) < 0 &&
	    errno == EBUSY) {
		/* on in another instance: trace-cmd's, perf's, another run's */
		snprintf(err, errlen, "%s/%s is on in another tracer",
			 IB_PROBE_SYSTEM, event);
		if (!ps->held)
			ps->held = ib_xstrdup(err);
		free(cmd);
		return NULL;
	}
	free(cmd);
	if (ret && maxactive) {
		/*
		 * libtracefs 1.6 writes a kretprobe with maxactive as
		 * "r32::group/event", which the kernel refuses: write the
		 * definition here, then take libtracefs's handle of it (it
		 * exists, so tracefs_dynevent_get() has a match).
		 */
		cmd = ib_xasprintf("r%u:%s/%s %s %s", maxactive, IB_PROBE_SYSTEM,
				   event, symbol, fetch);
		if (tracefs_instance_file_append(NULL, "kprobe_events", cmd) < 0) {
			char *last = tracefs_error_last(NULL);

			snprintf(err, errlen, "kernel refused a kretprobe on %s (maxactive %u)%s%s",
				 symbol, maxactive, last ? ": " : "", last ? last : "");
			free(last);
			free(cmd);
			return NULL;
		}
		free(cmd);
		ev = tracefs_dynevent_get(TRACEFS_DYNEVENT_KRETPROBE,
					  IB_PROBE_SYSTEM, event);
		if (!ev)
			snprintf(err, errlen, "kretprobe on %s made but not found",
				 symbol);
		return ev;
	}
	if (ret)
		ev = tracefs_kretprobe_alloc(IB_PROBE_SYSTEM, event, symbol,
					     fetch, 0);
	else
		ev = tracefs_kprobe_alloc(IB_PROBE_SYSTEM, event, symbol,
					  fetch);
	if (!ev) {
		snprintf(err, errlen, "cannot describe probe: %s", strerror(errno));
		return NULL;
	}
	if (tracefs_dynevent_create(ev)) {
		char *last = tracefs_error_last(NULL);

		snprintf(err, errlen, "kernel refused a %s on %s%s%s",
			 ret ? "kretprobe" : "kprobe", symbol, last ? ": " : "",
			 last ? last : "");
		free(last);
		tracefs_dynevent_free(ev);
		return NULL;
	}
	return ev;
}

static void disarm_one(struct tracefs_dynevent **ev)
{
	if (!*ev)
		return;
	/*
	 * Not forced first: forcing disables the event in every instance,
	 * a walk of all event files that takes 70 ms a probe under TCG.
	 * Ours is off already; another instance may hold it, then force.
	 */
	if (tracefs_dynevent_destroy(*ev, false))
		tracefs_dynevent_destroy(*ev, true);
	tracefs_dynevent_free(*ev);
	*ev = NULL;
}

/*
 * @p on the first of its candidates that this kernel has and accepts;
 * the candidates passed over, and why, in @why.
 */
static void arm_probe(struct ib_probeset *ps, struct ib_probe *p,
		      const struct ib_kallsyms *ks, const char *fetch,
		      char *why, size_t whylen)
{
	char now[512];
	char **s;

	why[0] = '\0';
	for (s = p->symbols; *s; s++) {
		int drop = 0;
		const char *sym = ib_probe_candidate(p, *s, ks, now, sizeof(now),
						     &drop);

		if (sym)
			p->kprobe = arm_one(ps, 0, p->name, sym, drop ? "" : fetch,
					    0, now, sizeof(now));
		if (p->kprobe && ib_probe_is_span(p)) {
			char *rname = ib_xasprintf("%s_ret", p->name);

			p->kretprobe = arm_one(ps, 1, rname, sym, "", p->maxactive,
					       now, sizeof(now));
			free(rname);
			if (!p->kretprobe)
				disarm_one(&p->kprobe);
		}
		if (p->kprobe) {
			p->symbol = ib_xstrdup(sym);
			if (strcmp(sym, *s))
				p->note = ib_xasprintf("took compiler clone %s%s",
						       sym, drop ? " without its fetches" : "");
			else if (why[0])
				p->note = ib_xasprintf("took %s: %s", sym, why);
			return;
		}
		ib_probe_reason_add(why, whylen, now);
	}
}

int ib_probeset_arm(struct ib_probeset *ps, const struct ib_kallsyms *ks,
		    const char *arch)
{
	int i, armed = 0;

	for (i = 0; i < ps->nprobes; i++) {
		struct ib_probe *p = &ps->probes[i];
		char *fetch = ib_probe_fetch_for_arch(p->fetch, arch);
		char why[1024];

		free(p->note);
		p->note = NULL;
		if (!fetch) {
			p->note = ib_xasprintf("no argument registers known for %s",
					       arch);
			continue;
		}
		arm_probe(ps, p, ks, fetch, why, sizeof(why));
		if (!p->symbol)
			p->note = ib_xstrdup(why[0] ? why : "no candidate");
		armed += !!p->symbol;
		free(fetch);
	}
	return armed;
}

void ib_probeset_disarm(struct ib_probeset *ps)
{
	int i;

	for (i = 0; i < ps->nprobes; i++) {
		disarm_one(&ps->probes[i].kretprobe);
		disarm_one(&ps->probes[i].kprobe);
		free(ps->probes[i].symbol);
		ps->probes[i].symbol = NULL;
	}
}

/*
 * kprobe_profile: "  <event> <hits> <misses>" for every kprobe; a miss is
 * a hit the kernel could not record (a kretprobe out of instances, a
 * probe hit while another ran on that CPU).
 */
int ib_probeset_read_profile(struct ib_probeset *ps)
{
	char *text = tracefs_instance_file_read(NULL, "kprobe_profile", NULL);
	char *line, *save = NULL;
	int i;

	if (!text)
		return errno ? -errno : -EIO;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[256];
		unsigned long long hits, misses;
		const char *ev;

		if (sscanf(line, "%255s %llu %llu", name, &hits, &misses) != 3)
			continue;
		/* newer kernels print "system/event" */
		ev = strchr(name, '/') ? strchr(name, '/') + 1 : name;
		if (strchr(name, '/') &&
		    strncmp(name, IB_PROBE_SYSTEM "/", strlen(IB_PROBE_SYSTEM) + 1))
			continue;
		for (i = 0; i < ps->nprobes; i++) {
			struct ib_probe *p = &ps->probes[i];
			size_t n = strlen(p->name);

			if (!p->symbol || strncmp(ev, p->name, n))
				continue;
			if (!ev[n]) {
				p->hits = hits;
				p->misses = misses;
			} else if (!strcmp(ev + n, "_ret")) {
				p->ret_hits = hits;
				p->ret_misses = misses;
			}
		}
	}
	free(text);
	return 0;
}
