/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * iommu_bench: the whole contract between the iommu_bench module and the
 * iommu-bench collector.
 *
 * The module exposes the misc device /dev/iommu_bench.  A run is one
 * IOMMU_BENCH_RUN ioctl on it; IOMMU_BENCH_CALIBRATE times calls
 * of an empty function, so that the collector can measure what one probe
 * hit costs on this machine.  In the style of iommufd, the argument
 * starts with its own size so that the structure can grow: the kernel
 * accepts a shorter structure from an older caller and a longer one whose
 * unknown tail is zero.
 *
 * ABI versions: 1, a debugfs control file and 16-bit PCI segments; 2,
 * /dev/iommu_bench (debugfs passes no compat_ioctl on, so 32-bit callers
 * got ENOTTY, and lockdown hides debugfs files that take ioctls) and
 * 32-bit segments (VMD and Hyper-V number theirs from 0x10000); 3, the
 * device flags.  A caller's version says which fields it knows: the
 * module takes every version from IOMMU_BENCH_ABI_MIN_VERSION to its
 * own, and a field a version lacks must be zero (a newer field comes as
 * a longer structure or in a field that was reserved).
 *
 * The ioctls are 'B' 0x80-0x81, which no driver listed in the kernel's
 * Documentation/userspace-api/ioctl/ioctl-number.rst uses ('B' there:
 * 00-1F, 00-0F and C0-FF).
 */
#ifndef _UAPI_IOMMU_BENCH_H
#define _UAPI_IOMMU_BENCH_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define IOMMU_BENCH_ABI_VERSION		3
#define IOMMU_BENCH_ABI_MIN_VERSION	2
#define IOMMU_BENCH_CONTROL		"/dev/iommu_bench"

#define IOMMU_BENCH_MAX_DEVICES		16
#define IOMMU_BENCH_MAX_CYCLES		100000

/*
 * Each mode's cycle has two timed phases, ns[0] and ns[1] of the timing.
 */
enum iommu_bench_mode {
	/* each device: PCI stop + remove, then rescan of its bus */
	IOMMU_BENCH_MODE_REMOVE = 1,
	/* each device: driver unbind, then bind again; no IOMMU release */
	IOMMU_BENCH_MODE_UNBIND = 2,
	/*
	 * @owner is bound to the module's driver_managed_dma driver, which
	 * claims DMA ownership of its group (the group goes to the blocked
	 * domain, as under VFIO); then each device, all of @owner's group,
	 * is removed and rescanned.  Ownership is released, and every
	 * driver restored, before the ioctl returns.
	 */
	IOMMU_BENCH_MODE_OWNED = 3,
	/*
	 * each device: bind the owning driver (claim: group to blocked),
	 * unbind it (release: group back to its default domain)
	 */
	IOMMU_BENCH_MODE_CLAIM = 4,
	/*
	 * every non-bridge device of one IOMMU group, all named: remove each
	 * in turn (ns[0] each), then one rescan (ns[1], in every entry)
	 */
	IOMMU_BENCH_MODE_GROUP = 5,
};

/* Phase numbers of the iommu_bench:phase_end tracepoint. */
enum iommu_bench_phase {
	IOMMU_BENCH_PHASE_REMOVE,
	IOMMU_BENCH_PHASE_RESCAN,
	IOMMU_BENCH_PHASE_UNBIND,
	IOMMU_BENCH_PHASE_BIND,
	IOMMU_BENCH_PHASE_CLAIM,
	IOMMU_BENCH_PHASE_RELEASE,
};

/* Check the request and every device, then return without cycling. */
#define IOMMU_BENCH_F_CHECK_ONLY	(1U << 0)
#define IOMMU_BENCH_F_ALL		IOMMU_BENCH_F_CHECK_ONLY

/*
 * Take the device although a network interface on it is up (the module
 * refuses it otherwise, and says so; with this flag it logs it).  Only
 * for a device named in @devs, never for a disk, a console or a device
 * a VM holds: those are refused whatever the caller asks.
 */
#define IOMMU_BENCH_DEV_F_NET_UP	(1U << 0)
#define IOMMU_BENCH_DEV_F_ALL		IOMMU_BENCH_DEV_F_NET_UP

/* A PCI function named by segment:bus:devfn, never by a kernel pointer. */
struct iommu_bench_dev {
	__u32 segment;			/* PCI domain */
	__u8 bus;
	__u8 devfn;
	__u16 flags;			/* IOMMU_BENCH_DEV_F_*; 0 in version 2 */
};

/* One entry of the per-cycle timing array the kernel fills in. */
struct iommu_bench_timing {
	__u32 dev_index;		/* index into iommu_bench_run.devs */
	__u32 cycle;			/* first_cycle + n */
	__aligned_u64 ns[2];		/* the mode's two phases */
};

/**
 * struct iommu_bench_run - IOMMU_BENCH_RUN argument
 * @size: sizeof(struct iommu_bench_run) as the caller knows it
 * @version: IOMMU_BENCH_ABI_MIN_VERSION..IOMMU_BENCH_ABI_VERSION
 * @mode: enum iommu_bench_mode
 * @flags: IOMMU_BENCH_F_*, other bits must be 0
 * @cycles: cycles to run, 1..IOMMU_BENCH_MAX_CYCLES
 * @first_cycle: cycle number of the first cycle, carried in trace events
 * @ndevs: entries used in @devs, 1..IOMMU_BENCH_MAX_DEVICES
 * @__reserved: must be 0
 * @owner: OWNED: the device bound to the owning driver (its @flags 0);
 *	zero otherwise
 * @devs: the devices to cycle, each once per cycle, in this order
 * @timings_uptr: user pointer to @timings_len struct iommu_bench_timing,
 *	or 0 for none
 * @timings_len: number of entries at @timings_uptr; when non-zero it must
 *	be at least @cycles * @ndevs
 * @cycles_done: out: cycles completed, also on error
 */
struct iommu_bench_run {
	__u32 size;
	__u32 version;
	__u32 mode;
	__u32 flags;
	__u32 cycles;
	__u32 first_cycle;
	__u32 ndevs;
	__u32 __reserved;
	struct iommu_bench_dev owner;
	struct iommu_bench_dev devs[IOMMU_BENCH_MAX_DEVICES];
	__aligned_u64 timings_uptr;
	__u32 timings_len;
	__u32 cycles_done;
};

#define IOMMU_BENCH_MAX_CALLS		1000000

/* Fire the iommu_bench:probe_target tracepoint in every call. */
#define IOMMU_BENCH_CAL_F_TRACEPOINT	(1U << 0)
#define IOMMU_BENCH_CAL_F_ALL		IOMMU_BENCH_CAL_F_TRACEPOINT

/**
 * struct iommu_bench_calibrate - IOMMU_BENCH_CALIBRATE argument
 * @size: sizeof(struct iommu_bench_calibrate) as the caller knows it
 * @version: IOMMU_BENCH_ABI_MIN_VERSION..IOMMU_BENCH_ABI_VERSION
 * @calls: calls of iommu_bench_probe_target(dom, dev), 1..MAX_CALLS; its
 *	@dom points to a __u32 0 and @dev to a pointer to the string
 *	"iommu_bench_cal", as a struct device starts with its name pointer,
 *	so the probe packs' fetch arguments read them
 * @flags: IOMMU_BENCH_CAL_F_*, other bits must be 0
 * @ns: out: ktime of all the calls, from before the first to after the last
 * @spin: turns of a fixed loop in each call, 0..IOMMU_BENCH_MAX_SPIN
 *	(iommu_bench_spin(): two instructions a turn on x86-64 and arm64,
 *	as the module's disassembly shows): known extra work, so that a
 *	clock that counts instructions can be shown to count them
 * @__reserved: must be 0
 *
 * @spin and @__reserved came later: a caller whose @size ends at @ns
 * spins 0 turns.
 */
struct iommu_bench_calibrate {
	__u32 size;
	__u32 version;
	__u32 calls;
	__u32 flags;
	__aligned_u64 ns;
	__u32 spin;
	__u32 __reserved;
};

#define IOMMU_BENCH_MAX_SPIN		1000000

#define IOMMU_BENCH_TYPE	'B'
#define IOMMU_BENCH_RUN		_IO(IOMMU_BENCH_TYPE, 0x80)
#define IOMMU_BENCH_CALIBRATE	_IO(IOMMU_BENCH_TYPE, 0x81)

#endif /* _UAPI_IOMMU_BENCH_H */
