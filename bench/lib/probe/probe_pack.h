/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_probeset: the probe packs of configs/probes/ (which kernel functions
 * mark a release, an attach, hardware work; iommu-bench-probes(5)).
 * probe_symbol.h resolves them against a kernel's symbols, probe_arm.h
 * arms them as kprobes.
 */
#ifndef IB_PROBE_PACK_H
#define IB_PROBE_PACK_H

#include <stddef.h>
#include <stdio.h>

#include "event.h"

struct tracefs_dynevent;

/* Trace system of every kprobe we create. */
#define IB_PROBE_SYSTEM "iommu_bench_kp"

enum ib_probe_role {
	IB_ROLE_RELEASE,	/* entry + return: the release span, timed
				 * the same way on every kernel; the window
				 * in which release switches are counted */
	IB_ROLE_CORE,		/* entry + return: the kernel's own core
				 * release function, timed alone */
	IB_ROLE_ATTACH,		/* a driver attach_dev: a domain switch */
	IB_ROLE_HW,		/* hardware work: invalidation, context write */
	IB_ROLE_BLOCK,		/* a driver-internal block, not an attach_dev */
};

struct ib_probe {
	char *name;		/* event name, also the pack section */
	char *pack;		/* pack file it came from */
	enum ib_probe_role role;
	enum ib_hw_kind hw;
	char **symbols;		/* candidates, most preferred first */
	char *fetch;		/* kprobe fetch args, $argN = argument N */
	char *lost;		/* what is lost when no candidate is there */
	char *when_field;	/* a hit (span entry) counts only when this
				 * fetched field ... */
	unsigned long long when_value;	/* field has this value; NULL: always */
	int when_not;		/* ... has any value but this one */
	int when_removed;	/* ... or the kernel's BUS_NOTIFY_REMOVED_DEVICE,
				 * which the module's run_start event tells */
	char **arms_on;		/* kernel versions (MAJOR.MINOR) on which the
				 * pack says a candidate must arm */
	int clone_nofetch;	/* a compiler clone is taken, without the
				 * fetches (its arguments are unknown) */
	int in_release_driver;	/* an attach inside a release is the
				 * driver's own detach (no release_domain) */
	unsigned int in_release_before;	/* ... only on kernels older than
				 * this, MAJOR * 1000 + MINOR (0: all) */
	char *symbol;		/* the one armed; NULL if none */
	char *note;		/* why none, or which clone was taken */
	struct tracefs_dynevent *kprobe;	/* armed on entry */
	struct tracefs_dynevent *kretprobe;	/* a span's return */
	unsigned int maxactive;	/* span kretprobe instances; 0 default */
	/* from kprobe_profile after the run */
	unsigned long long hits, misses, ret_hits, ret_misses;
};

/* The one symbolic value "when" takes: known from the trace. */
#define IB_WHEN_REMOVED	"BUS_NOTIFY_REMOVED_DEVICE"

/* A span: a kprobe on entry and a kretprobe on return. */
#define ib_probe_is_span(p)	((p)->role == IB_ROLE_RELEASE || (p)->role == IB_ROLE_CORE)

/*
 * Is @p armed in the batches of @probes (enum ib_probes)?  all: every
 * probe but the core span; release, core: that span's two ends only.
 *
 * Return: 1 if it is, 0 if not (and for none).
 */
int ib_probe_in_batch(const struct ib_probe *p, int32_t probes);

/* Kernel's limit of kretprobe maxactive (KRETPROBE_MAXACTIVE_MAX). */
#define IB_MAXACTIVE_MAX	4096

struct ib_probeset {
	struct ib_probe *probes;
	int nprobes;
	char **tracepoints;	/* "system:event" */
	int ntracepoints;
	char *held;		/* a probe of ours another tracer has on */
	char **present;		/* the pack's "present": functions every
				 * version of its driver has (is it built?) */
};

/* Return: a new, empty probe set (ib_probeset_free() it), never NULL. */
struct ib_probeset *ib_probeset_create(void);
/*
 * Free @ps and its probes; NULL is ignored.  It does not touch the kernel:
 * ib_probeset_disarm() first.
 */
void ib_probeset_free(struct ib_probeset *ps);
/*
 * Add the pack file @path to @ps.
 *
 * Return: 0; or with the reason in @err, the file's negative errno when
 * it cannot be read, -EINVAL for a bad pack ("file:line: what").  On
 * -EINVAL, @ps may hold part of the pack.
 */
int ib_probeset_load(struct ib_probeset *ps, const char *path,
		     char *err, size_t errlen);
/*
 * Add the pack @text, named @name in messages and in each probe's pack.
 *
 * Return: 0, or -EINVAL for a bad pack with "name:line: what" in @err;
 * @ps may then hold part of the pack.
 */
int ib_probeset_load_text(struct ib_probeset *ps, const char *text,
			  const char *name, char *err, size_t errlen);
/* ib_probeset_load_driver(): @dir has no pack for the driver. */
#define IB_NO_DRIVER_PACK	1
/*
 * Add core.conf of @dir, and @driver's pack (@driver NULL: core only).
 *
 * Return: 0; IB_NO_DRIVER_PACK (not an error) when @dir has none for
 * @driver, core loaded; else as ib_probeset_load().
 */
int ib_probeset_load_driver(struct ib_probeset *ps, const char *dir,
			    const char *driver, char *err, size_t errlen);
/*
 * A kernel release's version ("6.12.118+deb12-amd64" -> 6012).
 *
 * Return: MAJOR * 1000 + MINOR; 0 when @release is NULL or starts
 * otherwise.
 */
unsigned int ib_kernel_version(const char *release);
/*
 * Apply the pack's rules that depend on the kernel version, for kernel
 * @release ("6.19.2-arm64"): an "in_release = driver before X.Y" attach
 * is the core's release switch on X.Y and later.  An unknown @release
 * (NULL, unparsable) changes nothing: a probe set starts with the older
 * kernels' rules.
 *
 * Return: how many probes' rules differ from those, 0 or more.
 */
int ib_probeset_set_release(struct ib_probeset *ps, const char *release);
/*
 * The kernel version a probe's rule changes at ("6.19"; the first such
 * probe's).
 *
 * Return: that version in a static buffer, or NULL when no rule of @ps
 * depends on the kernel.
 */
const char *ib_probeset_versioned(const struct ib_probeset *ps);
/*
 * Does the pack say @p arms on kernel @release ("6.12.117+deb12-amd64"),
 * by its arms_on?
 *
 * Return: 1 if it does, 0 if not or if @release is no version.
 */
int ib_probe_expected(const struct ib_probe *p, const char *release);
/* Return: the probe of @ps named @event_name, or NULL if none is. */
const struct ib_probe *ib_probeset_find(const struct ib_probeset *ps,
					const char *event_name);

#endif
