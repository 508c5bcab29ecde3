/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommu_bench internals shared by the control file, the run loop, the
 * device checks, the drivers and the modes.
 */
#ifndef _IOMMU_BENCH_INTERNAL_H
#define _IOMMU_BENCH_INTERNAL_H

#include <linux/pci.h>
#include "uapi/iommu_bench.h"

#define IOMMU_BENCH_NAME_LEN	32
#define IOMMU_BENCH_OWNER_DRIVER	"iommu_bench_owner"
#define IOMMU_BENCH_DMA_DRIVER	"iommu_bench_dma"

/*
 * One device of a run, named by address: pci_dev pointers do not survive
 * a remove/rescan, so it is looked up again whenever it is needed.
 */
struct iommu_bench_target {
	u32 segment;
	u8 bus;
	u8 devfn;
	u16 flags;			/* IOMMU_BENCH_DEV_F_* */
	int group;			/* its IOMMU group's id then */
	bool hands_off;			/* changed by someone else: left be */
	char name[IOMMU_BENCH_NAME_LEN];
	char driver[IOMMU_BENCH_NAME_LEN];	/* bound when the run started, or "" */
	char override[IOMMU_BENCH_NAME_LEN];	/* its driver_override then, or "" */
};

struct iommu_bench_ctx {
	const struct iommu_bench_run *arg;
	const struct iommu_bench_mode_ops *ops;
	struct iommu_bench_target devs[IOMMU_BENCH_MAX_DEVICES];
	unsigned int ndevs;
	struct iommu_bench_target owner;
	bool owner_changed;	/* its driver was unbound for ours */
	bool drivers_off;	/* the devices cycle with no driver (owned) */
};

/**
 * struct iommu_bench_mode_ops - one release scenario
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
struct iommu_bench_mode_ops {
	const char *name;
	u32 phases[2];
	bool needs_owner;
	int (*check)(struct iommu_bench_ctx *ctx);
	int (*setup)(struct iommu_bench_ctx *ctx);
	int (*cycle)(struct iommu_bench_ctx *ctx, u32 cycle,
		     struct iommu_bench_timing *t);
	void (*teardown)(struct iommu_bench_ctx *ctx);
};

extern const struct iommu_bench_mode_ops iommu_bench_mode_remove_ops;
extern const struct iommu_bench_mode_ops iommu_bench_mode_unbind_ops;
extern const struct iommu_bench_mode_ops iommu_bench_mode_owned_ops;
extern const struct iommu_bench_mode_ops iommu_bench_mode_claim_ops;
extern const struct iommu_bench_mode_ops iommu_bench_mode_group_ops;

/* run.c */
int iommu_bench_run_execute(struct iommu_bench_run *arg);
/* Run @fn on each device in order, with cycle tracepoints and signals. */
int iommu_bench_each_device(struct iommu_bench_ctx *ctx, u32 cycle,
			    struct iommu_bench_timing *t,
			    int (*fn)(struct iommu_bench_ctx *ctx,
				      struct iommu_bench_target *dev,
				      u32 cycle, u64 ns[2]));
/* The driver @dev is on between cycles: "" for none. */
const char *iommu_bench_expected_driver(const struct iommu_bench_ctx *ctx,
					const struct iommu_bench_target *dev);

/* trace.c: the module's tracepoints */
void iommu_bench_trace_run_start(const struct iommu_bench_run *arg);
void iommu_bench_trace_run_end(int ret, u32 cycles_done);
void iommu_bench_trace_phase(const struct iommu_bench_target *dev, u32 cycle,
			     u32 phase, u64 ns);
void iommu_bench_trace_cycle_start(const struct iommu_bench_ctx *ctx,
				   const struct iommu_bench_target *dev,
				   u32 cycle);
void iommu_bench_trace_cycle_end(const struct iommu_bench_target *dev,
				 u32 cycle, int ret, u64 ns);

/* calibrate.c: IOMMU_BENCH_CALIBRATE */
long iommu_bench_ioctl_calibrate(struct iommu_bench_calibrate __user *uarg);
void iommu_bench_probe_target(const void *dom, const void *dev);

/* in_use.c: what a server is using, below a PCI device */
int iommu_bench_check_in_use(const struct iommu_bench_target *dev,
			     struct pci_dev *pdev);
int iommu_bench_check_unclaimed(struct pci_dev *pdev);
int iommu_bench_check_group_users(struct pci_dev *pdev,
				  const struct iommu_bench_ctx *ctx);

/* device.c */
struct pci_dev *iommu_bench_dev_get(const struct iommu_bench_target *dev);
int iommu_bench_dev_init(struct iommu_bench_target *dev,
			 const struct iommu_bench_dev *in);
int iommu_bench_check_removable(const struct iommu_bench_target *dev,
				struct pci_dev *pdev);
int iommu_bench_check_each_removable(struct iommu_bench_ctx *ctx);
int iommu_bench_recheck(const struct iommu_bench_ctx *ctx,
			struct iommu_bench_target *dev, u32 cycle);
bool iommu_bench_dev_is(const struct iommu_bench_target *dev,
			struct pci_dev *pdev);
bool iommu_bench_ctx_names(const struct iommu_bench_ctx *ctx,
			   struct pci_dev *pdev);
bool iommu_bench_dev_same_group(struct pci_dev *a, struct pci_dev *b);
int iommu_bench_group_id(struct pci_dev *pdev);
void iommu_bench_rescan_fn(struct pci_bus *bus, unsigned int devfn);
int iommu_bench_remove_rescan(struct iommu_bench_target *dev, u32 cycle,
			      u64 ns[2], const char *driver);

/* mode_remove.c: one remove + rescan cycle of every device */
int iommu_bench_remove_cycle(struct iommu_bench_ctx *ctx, u32 cycle,
			     struct iommu_bench_timing *t);

/* override.c: a rescanned device binds only the driver it had */
int iommu_bench_override_register(void);
void iommu_bench_override_unregister(void);
void iommu_bench_override_live(struct iommu_bench_ctx *ctx);

/* drivers.c */
int iommu_bench_drivers_register(void);
void iommu_bench_drivers_unregister(void);
bool iommu_bench_driver_is_ours(const struct device_driver *drv);
int iommu_bench_bind_owner(const struct iommu_bench_target *dev);
int iommu_bench_unbind(const struct iommu_bench_target *dev);
int iommu_bench_restore_driver(const struct iommu_bench_target *dev);
void iommu_bench_restore_each_driver(struct iommu_bench_ctx *ctx);
int iommu_bench_drive_then_restore(const struct iommu_bench_target *dev,
				   u32 cycle,
				   int (*op)(const struct iommu_bench_target *dev),
				   const u32 phases[2], u64 ns[2]);
int iommu_bench_driver_name(struct pci_dev *pdev, char *buf, size_t len);
int iommu_bench_get_override(struct pci_dev *pdev, char *buf, size_t len);
int iommu_bench_set_override(struct pci_dev *pdev, const char *name);
int iommu_bench_rebind(const struct iommu_bench_target *dev,
		       struct pci_dev *pdev, const char *driver);
int iommu_bench_dev_back(struct iommu_bench_target *dev, u32 cycle,
			 const char *driver);

/* faults.c: fault injection for the tests, only in a test build */
#ifdef IOMMU_BENCH_FAULTS
int iommu_bench_fault_probe(void);
void iommu_bench_fault_gap(void);
#else
static inline int iommu_bench_fault_probe(void)
{
	return 0;
}

static inline void iommu_bench_fault_gap(void)
{
}
#endif

#endif /* _IOMMU_BENCH_INTERNAL_H */
