/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommu_bench internals shared by the control file, the run loop, the
 * device checks, the drivers and the modes.
 */
#ifndef _IOMMU_BENCH_INTERNAL_H
#define _IOMMU_BENCH_INTERNAL_H

#include <linux/pci.h>
#include "uapi/iommu_bench.h"

#define IB_NAME_LEN	32

/*
 * One device of a run, named by address: pci_dev pointers do not survive
 * a remove/rescan, so it is looked up again whenever it is needed.
 */
struct ib_dev {
	u32 segment;
	u8 bus;
	u8 devfn;
	char name[IB_NAME_LEN];
	char driver[IB_NAME_LEN];	/* bound when the run started, or "" */
	char override[IB_NAME_LEN];	/* its driver_override then, or "" */
};

struct ib_run {
	const struct iommu_bench_run *arg;
	const struct ib_mode_ops *ops;
	struct ib_dev devs[IOMMU_BENCH_MAX_DEVICES];
	unsigned int ndevs;
	struct ib_dev owner;
	bool owner_changed;	/* its driver was unbound for ours */
	bool drivers_off;	/* the devices cycle with no driver (owned) */
};

/**
 * struct ib_mode_ops - one release scenario
 * @name: mode name, as in trace events and dmesg
 * @phases: the tracepoint phases of ns[0] and ns[1]
 * @needs_owner: the run names an owner device
 * @check: may the run's devices take part?  0 or -errno, with a pr_err
 * @setup: before the cycles of one ioctl (may be NULL)
 * @cycle: one cycle of every device; fills @t[i] for device i.  Every
 *	device is present and as it was found when this returns.
 * @teardown: after the cycles, also on error, in a worker (no signal
 *	pending): restores what setup did, every device on its driver
 */
struct ib_mode_ops {
	const char *name;
	u32 phases[2];
	bool needs_owner;
	int (*check)(struct ib_run *run);
	int (*setup)(struct ib_run *run);
	int (*cycle)(struct ib_run *run, u32 cycle,
		     struct iommu_bench_timing *t);
	void (*teardown)(struct ib_run *run);
};

extern const struct ib_mode_ops ib_mode_remove_ops;
extern const struct ib_mode_ops ib_mode_unbind_ops;
extern const struct ib_mode_ops ib_mode_owned_ops;
extern const struct ib_mode_ops ib_mode_claim_ops;
extern const struct ib_mode_ops ib_mode_group_ops;

/* run.c */
int ib_run_execute(struct iommu_bench_run *arg);
/* Run @fn on each device in order, with cycle tracepoints and signals. */
int ib_each_device(struct ib_run *run, u32 cycle,
		   struct iommu_bench_timing *t,
		   int (*fn)(struct ib_run *run, const struct ib_dev *dev,
			     u32 cycle, u64 ns[2]));
void ib_trace_phase(const struct ib_dev *dev, u32 cycle, u32 phase, u64 ns);
void ib_trace_cycle_start(const struct ib_dev *dev, u32 cycle);
void ib_trace_cycle_end(const struct ib_dev *dev, u32 cycle, int ret, u64 ns);

/* calibrate.c: IOMMU_BENCH_CALIBRATE */
long ib_ioctl_calibrate(struct iommu_bench_calibrate __user *uarg);
void iommu_bench_probe_target(const void *dom, const void *dev);

/* device.c */
struct pci_dev *ib_dev_get(const struct ib_dev *dev);
int ib_dev_init(struct ib_dev *dev, const struct iommu_bench_dev *in);
int ib_dev_check_removable(struct pci_dev *pdev);
int ib_check_each_removable(struct ib_run *run);
bool ib_dev_is(const struct ib_dev *dev, struct pci_dev *pdev);
bool ib_run_names(const struct ib_run *run, struct pci_dev *pdev);
bool ib_dev_same_group(struct pci_dev *a, struct pci_dev *b);
int ib_remove_rescan(const struct ib_dev *dev, u32 cycle, u64 ns[2],
		     const char *driver);

/* mode_remove.c: one remove + rescan cycle of every device */
int ib_remove_cycle(struct ib_run *run, u32 cycle,
		    struct iommu_bench_timing *t);

/* drivers.c */
int ib_drivers_register(void);
void ib_drivers_unregister(void);
int ib_bind_owner(const struct ib_dev *dev);
int ib_unbind(const struct ib_dev *dev);
int ib_restore_driver(const struct ib_dev *dev);
void ib_restore_each_driver(struct ib_run *run);
int ib_drive_then_restore(const struct ib_dev *dev, u32 cycle,
			  int (*op)(const struct ib_dev *dev),
			  const u32 phases[2], u64 ns[2]);
void ib_driver_name(struct pci_dev *pdev, char *buf, size_t len);
void ib_get_override(struct pci_dev *pdev, char *buf, size_t len);
int ib_set_override(struct pci_dev *pdev, const char *name);
int ib_attach_named(struct pci_dev *pdev, const char *name);
int ib_rebind(const struct ib_dev *dev, struct pci_dev *pdev,
	      const char *driver);
int ib_dev_back(const struct ib_dev *dev, u32 cycle, const char *driver);

#endif /* _IOMMU_BENCH_INTERNAL_H */
