// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tracefs.h>

#include "conf.h"
#include "probes.h"
#include "util.h"

static void free_probe(struct ib_probe *p)
{
	free(p->name);
	free(p->pack);
	ib_free_words(p->symbols);
	free(p->fetch);
	free(p->lost);
	free(p->when_field);
	free(p->note);
	ib_free_words(p->arms_on);
}

/* arms_on: kernel versions as MAJOR.MINOR, nothing else */
static int bad_versions(char **v)
{
	unsigned int maj, min;
	int n;

	for (; v && *v; v++)
		if (sscanf(*v, "%u.%u%n", &maj, &min, &n) != 2 || (*v)[n])
			return 1;
	return 0;
}

/* "driver", or "driver before MAJOR.MINOR": 0, or -1 for anything else */
static int parse_in_release(struct ib_probe *p, const char *v)
{
	unsigned int maj, min;
	int n = 0;

	p->in_release_driver = !strcmp(v, "driver");
	if (p->in_release_driver)
		return 0;
	if (strncmp(v, "driver before ", 14) ||
	    sscanf(v + 14, "%u.%u%n", &maj, &min, &n) != 2 || v[14 + n] ||
	    !ib_kernel_version(v + 14))
		return -1;
	p->in_release_driver = 1;
	p->in_release_before = ib_kernel_version(v + 14);
	return 0;
}

struct ib_probeset *ib_probeset_create(void)
{
	return ib_xcalloc(1, sizeof(struct ib_probeset));
}

void ib_probeset_free(struct ib_probeset *ps)
{
	int i;

	if (!ps)
		return;
	ib_probeset_disarm(ps);
	free(ps->held);
	for (i = 0; i < ps->nprobes; i++)
		free_probe(&ps->probes[i]);
	ib_free_words(ps->present);
	for (i = 0; i < ps->ntracepoints; i++)
		free(ps->tracepoints[i]);
	free(ps->tracepoints);
	free(ps->probes);
	free(ps);
}

static int parse_role(const char *s, enum ib_probe_role *role,
		      enum ib_hw_kind *hw, const char *kind)
{
	*hw = IB_HW_NR;
	if (!strcmp(s, "release")) {
		*role = IB_ROLE_RELEASE;
	} else if (!strcmp(s, "core")) {
		*role = IB_ROLE_CORE;
	} else if (!strcmp(s, "attach")) {
		*role = IB_ROLE_ATTACH;
	} else if (!strcmp(s, "block")) {
		*role = IB_ROLE_BLOCK;
	} else if (!strcmp(s, "hw")) {
		*role = IB_ROLE_HW;
		if (!kind)
			return -EINVAL;
		if (!strcmp(kind, "inval"))
			*hw = IB_HW_INVAL;
		else if (!strcmp(kind, "ctx"))
			*hw = IB_HW_CTX;
		else
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	return 0;
}

/*
 * "when = action=3": the probe's hit (a span's entry) counts only when
 * the fetch arg named action holds 3.  iommu_bus_notifier() is called for
 * every bus event and only BUS_NOTIFY_REMOVED_DEVICE releases, whose
 * value changed (3, then 2 since 6.4): "when = action=BUS_NOTIFY_REMOVED_DEVICE"
 * (spans only) takes it from the module's run_start event in the trace.
 * On other probes it picks one meaning of a function that does two:
 * AMD's dev_update_dte(dev_data, set) clears the DTE when set=0.
 */
static int parse_when(struct ib_probe *p, const char *v)
{
	const char *eq = strchr(v, '=');
	char *end, *field;
	const char *f;
	size_t n;

	if (!eq || eq == v || !eq[1])
		return -EINVAL;
	n = eq - v;
	/* "dom!=0": any value but this one (6.1 SMMUv3's no-op detach) */
	if (eq[-1] == '!') {
		if (--n == 0 || !strcmp(eq + 1, IB_WHEN_REMOVED))
			return -EINVAL;
		p->when_not = 1;
	}
	errno = 0;
	if (!strcmp(eq + 1, IB_WHEN_REMOVED)) {
		if (!ib_probe_is_span(p))
			return -EINVAL;
		p->when_removed = 1;
	} else {
		p->when_value = strtoull(eq + 1, &end, 0);
		if (errno || *end)
			return -EINVAL;
	}
	field = ib_xasprintf("%.*s", (int)n, v);
	/* the field must be one the fetch names: "NAME=..." */
	for (f = p->fetch; f && (f = strstr(f, field)); f += n)
		if ((f == p->fetch || f[-1] == ' ') && f[n] == '=')
			break;
	if (!f) {
		free(field);
		return -EINVAL;
	}
	p->when_field = field;
	return 0;
}

/* What a probe's section may say (configs/probes/README's keys). */
static const char *const probe_keys[] = {
	"role", "kind", "symbols", "fetch", "when", "lost", "maxactive",
	"arms_on", "clone", "in_release", NULL,
};
static const char *const pack_keys[] = { "tracepoints", "present", NULL };

int ib_probeset_load_text(struct ib_probeset *ps, const char *text,
			  const char *name, char *err, size_t errlen)
{
	struct ib_conf *conf = ib_conf_parse(text, name, err, errlen);
	const char *sec, *v, *v2;
	char **tps;
	int i, j, n;

	if (!conf)
		return -EINVAL;
	if (ib_conf_check_keys(conf, "", pack_keys, err, errlen)) {
		ib_conf_free(conf);
		return -EINVAL;
	}
	ib_free_words(ps->present);
	ps->present = ib_split_words(ib_conf_get_or(conf, "", "present", ""),
				     NULL);
	tps = ib_split_words(ib_conf_get_or(conf, "", "tracepoints", ""), &n);
	for (j = 0; j < n; j++) {
		if (!strchr(tps[j], ':')) {
			snprintf(err, errlen, "%s:%d: tracepoint '%s' is not system:event",
				 name, ib_conf_line(conf, "", "tracepoints"), tps[j]);
			ib_free_words(tps);
			ib_conf_free(conf);
			return -EINVAL;
		}
		ps->tracepoints = ib_xrealloc(ps->tracepoints,
					      (ps->ntracepoints + 1) * sizeof(char *));
		ps->tracepoints[ps->ntracepoints++] = ib_xstrdup(tps[j]);
	}
	ib_free_words(tps);

	for (i = 0; (sec = ib_conf_section(conf, i)); i++) {
		struct ib_probe p = { 0 };
		char *end;
		int nsym;

		if (ib_probeset_find(ps, sec)) {
			snprintf(err, errlen, "%s:%d: probe [%s] already defined by another pack",
				 name, ib_conf_line(conf, sec, NULL), sec);
			goto fail;
		}
		if (ib_conf_check_keys(conf, sec, probe_keys, err, errlen))
			goto fail;
		v = ib_conf_get(conf, sec, "role");
		if (!v || parse_role(v, &p.role, &p.hw,
				     ib_conf_get(conf, sec, "kind"))) {
			snprintf(err, errlen,
				 "%s:%d: [%s]: role must be release, core, attach, block or hw (hw needs kind = inval|ctx)",
				 name, ib_conf_line(conf, sec, "role"), sec);
			goto fail;
		}
		p.fetch = ib_xstrdup(ib_conf_get_or(conf, sec, "fetch", ""));
		v = ib_conf_get(conf, sec, "when");
		if (v && parse_when(&p, v)) {
			snprintf(err, errlen,
				 "%s:%d: [%s]: when = '%s' is not FIELD=NUMBER or FIELD!=NUMBER (or FIELD=" IB_WHEN_REMOVED "), a field of its fetch (" IB_WHEN_REMOVED " on a span only)",
				 name, ib_conf_line(conf, sec, "when"), sec, v);
			free(p.when_field);
			free(p.fetch);
			goto fail;
		}
		p.symbols = ib_split_words(ib_conf_get_or(conf, sec, "symbols", ""),
					   &nsym);
		if (!nsym) {
			ib_free_words(p.symbols);
			free(p.fetch);
			free(p.when_field);
			snprintf(err, errlen, "%s:%d: [%s]: no symbols", name,
				 ib_conf_line(conf, sec, "symbols"), sec);
			goto fail;
		}
		p.name = ib_xstrdup(sec);
		p.pack = ib_xstrdup(name);
		p.lost = ib_xstrdup(ib_conf_get_or(conf, sec, "lost", ""));
		p.arms_on = ib_split_words(ib_conf_get_or(conf, sec, "arms_on", ""),
					   NULL);
		v = ib_conf_get_or(conf, sec, "clone", "");
		p.clone_nofetch = !strcmp(v, "nofetch");
		v2 = ib_conf_get_or(conf, sec, "in_release", "");
		if ((v[0] && !p.clone_nofetch) || bad_versions(p.arms_on) ||
		    (v2[0] && (parse_in_release(&p, v2) || p.role != IB_ROLE_ATTACH))) {
			snprintf(err, errlen,
				 "%s:%d: [%s]: clone must be nofetch, arms_on a list of MAJOR.MINOR, in_release driver or driver before MAJOR.MINOR (on an attach)",
				 name, ib_conf_line(conf, sec, v[0] ? "clone" :
						    v2[0] ? "in_release" : "arms_on"),
				 sec);
			free_probe(&p);
			goto fail;
		}
		v = ib_conf_get_or(conf, sec, "maxactive", "0");
		errno = 0;
		p.maxactive = strtoul(v, &end, 10);
		if (errno || end == v || *end || p.maxactive > IB_MAXACTIVE_MAX ||
		    (p.maxactive && !ib_probe_is_span(&p))) {
			snprintf(err, errlen,
				 "%s:%d: [%s]: maxactive must be 0..%d, and only on a release or core probe",
				 name, ib_conf_line(conf, sec, "maxactive"), sec,
				 IB_MAXACTIVE_MAX);
			free_probe(&p);
			goto fail;
		}
		ps->probes = ib_xrealloc(ps->probes,
					 (ps->nprobes + 1) * sizeof(p));
		ps->probes[ps->nprobes++] = p;
	}
	ib_conf_free(conf);
	return 0;
fail:
	ib_conf_free(conf);
	return -EINVAL;
}

int ib_probeset_load(struct ib_probeset *ps, const char *path,
		     char *err, size_t errlen)
{
	char *text = ib_read_file(path, NULL);
	int ret;

	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	ret = ib_probeset_load_text(ps, text, path, err, errlen);
	free(text);
	return ret;
}

int ib_probeset_load_driver(struct ib_probeset *ps, const char *dir,
			    const char *driver, char *err, size_t errlen)
{
	char *path = ib_xasprintf("%s/core.conf", dir);
	int ret = ib_probeset_load(ps, path, err, errlen);

	free(path);
	if (ret || !driver)
		return ret;
	path = ib_xasprintf("%s/%s.conf", dir, driver);
	if (access(path, F_OK))
		ret = IB_NO_DRIVER_PACK;
	else
		ret = ib_probeset_load(ps, path, err, errlen);
	free(path);
	return ret;
}

int ib_probe_in_batch(const struct ib_probe *p, int32_t probes)
{
	switch (probes) {
	case IB_PROBES_ALL:
		return p->role != IB_ROLE_CORE;
	case IB_PROBES_RELEASE:
		return p->role == IB_ROLE_RELEASE;
	case IB_PROBES_CORE:
		return p->role == IB_ROLE_CORE;
	default:
		return 0;
	}
}

const struct ib_probe *ib_probeset_find(const struct ib_probeset *ps,
					const char *event_name)
{
	int i;

	for (i = 0; i < ps->nprobes; i++)
		if (!strcmp(ps->probes[i].name, event_name))
			return &ps->probes[i];
	return NULL;
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

/* One kprobe or kretprobe; NULL with *@why set when refused, and the
 * first probe another tracer holds kept in @ps->held. */
static void *arm_one(struct ib_probeset *ps, int ret, const char *event,
		     const char *symbol, const char *fetch,
		     unsigned int maxactive, char **why)
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
		*why = ib_xasprintf("%s/%s is on in another tracer", IB_PROBE_SYSTEM,
				    event);
		if (!ps->held)
			ps->held = ib_xstrdup(*why);
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

			*why = ib_xasprintf("kernel refused a kretprobe on %s (maxactive %u)%s%s",
					    symbol, maxactive, last ? ": " : "",
					    last ? last : "");
			free(last);
			free(cmd);
			return NULL;
		}
		free(cmd);
		ev = tracefs_dynevent_get(TRACEFS_DYNEVENT_KRETPROBE,
					  IB_PROBE_SYSTEM, event);
		if (!ev)
			*why = ib_xasprintf("kretprobe on %s made but not found",
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
		*why = ib_xasprintf("cannot describe probe: %s", strerror(errno));
		return NULL;
	}
	if (tracefs_dynevent_create(ev)) {
		char *last = tracefs_error_last(NULL);

		*why = ib_xasprintf("kernel refused a %s on %s%s%s",
				    ret ? "kretprobe" : "kprobe", symbol,
				    last ? ": " : "", last ? last : "");
		free(last);
		tracefs_dynevent_free(ev);
		return NULL;
	}
	return ev;
}

static void disarm_one(void **ev)
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

int ib_probeset_arm(struct ib_probeset *ps, const struct ib_kallsyms *ks,
		    const char *arch)
{
	int i, armed = 0;

	for (i = 0; i < ps->nprobes; i++) {
		struct ib_probe *p = &ps->probes[i];
		char *fetch = ib_probe_fetch_for_arch(p->fetch, arch);
		char *why = NULL, **s;

		free(p->note);
		p->note = NULL;
		if (!fetch) {
			p->note = ib_xasprintf("no argument registers known for %s",
					       arch);
			continue;
		}
		for (s = p->symbols; *s; s++) {
			char *now = NULL;
			int drop = 0;
			const char *sym = ib_probe_candidate(p, *s, ks, &now,
							     &drop);

			if (sym)
				p->entry = arm_one(ps, 0, p->name, sym,
						   drop ? "" : fetch, 0, &now);
			if (p->entry && ib_probe_is_span(p)) {
				char *rname = ib_xasprintf("%s_ret", p->name);

				p->ret = arm_one(ps, 1, rname, sym, "",
						 p->maxactive, &now);
				free(rname);
				if (!p->ret)
					disarm_one(&p->entry);
			}
			if (p->entry) {
				p->symbol = ib_xstrdup(sym);
				if (strcmp(sym, *s))
					p->note = ib_xasprintf("took compiler clone %s%s",
							       sym, drop ? " without its fetches" : "");
				else if (why)
					p->note = ib_xasprintf("took %s: %s", sym, why);
				break;
			}
			if (why && now) {	/* keep every candidate's reason */
				char *both = ib_xasprintf("%s; %s", why, now);

				free(now);
				now = both;
			}
			free(why);
			why = now;
		}
		if (!p->symbol)
			p->note = why ? why : ib_xstrdup("no candidate");
		else
			free(why);
		armed += !!p->symbol;
		free(fetch);
	}
	return armed;
}

void ib_probeset_disarm(struct ib_probeset *ps)
{
	int i;

	for (i = 0; i < ps->nprobes; i++) {
		disarm_one(&ps->probes[i].ret);
		disarm_one(&ps->probes[i].entry);
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
		return -errno;
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
