// SPDX-License-Identifier: GPL-2.0
/*
 * Probe packs (iommu-bench-probes(5)): their parsing, and the rules in
 * them that depend on the kernel version.  Nothing here reads the kernel:
 * probe_symbol.c resolves a pack against kallsyms, probe_arm.c arms it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "probe_pack.h"
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

/* What a probe's section may say (the keys of iommu-bench-probes(5)). */
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
	if (ib_conf_known_keys(conf, "", pack_keys, err, errlen)) {
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
		if (ib_conf_known_keys(conf, sec, probe_keys, err, errlen))
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
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
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
