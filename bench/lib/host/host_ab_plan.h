/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_plan: host-ab's plan of boots, kept on disk so that it outlives a
 * crash, a hung boot or a power loss.  Each step is one boot of one
 * kernel; a step is marked before the act that may not come back
 * (booting before the kexec, running before the run), so the next boot
 * knows what happened to it.
 */
#ifndef IB_HOST_AB_PLAN_H
#define IB_HOST_AB_PLAN_H

/* a run's time limit, but for 0 (no limit): 10 s to 7 days */
#define IB_HOST_AB_STEP_TIMEOUT_MIN 10
#define IB_HOST_AB_STEP_TIMEOUT_MAX (7 * 24 * 3600)

enum ib_step_state {
	IB_STEP_PENDING,
	IB_STEP_BOOTING,	/* kexec into its kernel asked for */
	IB_STEP_RUNNING,	/* its run started in its kernel's boot */
	IB_STEP_DONE,
	IB_STEP_FAILED,
};

/* How a boot hands on to the next kernel (--boot-by). */
enum ib_boot_by {
	IB_BOOT_KEXEC,		/* kexec only */
	IB_BOOT_REBOOT,		/* GRUB's one-time entry and a reboot only */
	IB_BOOT_AUTO,		/* kexec; a reboot where kexec is refused */
};

struct ib_plan_step {
	char *kernel;		/* uname -r of the boot */
	int boot;		/* its number among that kernel's boots, from 1 */
	enum ib_step_state state;
	char *why;		/* a failed step's reason; NULL otherwise */
};

enum ib_plan_state {
	IB_PLAN_ACTIVE,		/* steps left */
	IB_PLAN_RETURNING,	/* every step settled: back to the first kernel */
	IB_PLAN_STOPPED,	/* given up (why), going home */
	IB_PLAN_FINISHED,	/* compared, at home */
};

struct ib_plan {
	enum ib_plan_state state;
	char *why;		/* why it stopped */
	char *origin;		/* the kernel host-ab started from */
	char *out;		/* the result directory */
	char *boot_dir;		/* where vmlinuz-K and initrd.img-K are */
	int systemd;		/* the unit resumes it (else someone else) */
	int step_timeout;	/* a run's limit in seconds; 0: none */
	enum ib_boot_by boot_by;
	int homeward;		/* the kexec back to origin was asked for */
	char *acting_boot;	/* boot_id of the boot that marked a step
				 * booting or running */
	const char *this_boot;	/* this boot's boot_id (not saved): a step
				 * this boot marked is in progress, not failed */
	char **kernels;		/* NULL-terminated, in -k order */
	char **run_args;	/* NULL-terminated: iommu-bench run's options */
	struct ib_plan_step *steps;
	int nsteps;
};

/* What the boot that reads the plan does next. */
enum ib_plan_action {
	IB_ACT_NONE,		/* nothing: no plan left to do */
	IB_ACT_RUN,		/* run step *step here, in this boot */
	IB_ACT_KEXEC,		/* boot kernel *kernel */
	IB_ACT_COMPARE,		/* at home, every step settled: compare */
	IB_ACT_HOME_STOPPED,	/* at home, stopped: report and end */
};

/*
 * A plan of @rounds boots of each kernel of the NULL-terminated
 * @kernels, interleaved A B A B ...; the caller fills in the rest.
 *
 * Return: the plan (ib_plan_free() it), never NULL.
 */
struct ib_plan *ib_plan_create(char *const *kernels, int rounds);
/* Free @plan and its strings; NULL is ignored. */
void ib_plan_free(struct ib_plan *plan);

/*
 * Read the plan at @path into *@plan (NULL on failure; ib_plan_free()
 * it after).
 *
 * Return: 0, or a negative errno: the file's when it cannot be read,
 * -EINVAL when it is not a plan, or of another format.
 */
int ib_plan_load(const char *path, struct ib_plan **plan);
/*
 * Write @plan to @path, whole and synced (the directory too) before it
 * replaces the old one: a kexec may follow.
 *
 * Return: 0, or a negative errno.
 */
int ib_plan_save(const struct ib_plan *plan, const char *path);

/*
 * Settle the plan for a boot of kernel @current and say what comes next:
 * a step left booting in another kernel, or left running, failed (its
 * why says which); a kernel whose last two boots failed stops the plan.
 * Changes @plan (the caller saves it before acting); *@step or *@kernel
 * point into it.  A step that this boot (@plan->this_boot) marked is in
 * progress: IB_ACT_NONE, nothing is settled.
 *
 * Return: what this boot does next (enum ib_plan_action).
 */
enum ib_plan_action ib_plan_next(struct ib_plan *plan, const char *current,
				 struct ib_plan_step **step, const char **kernel);

/* Return: the name of step state @s in the plan's file ("pending", ...). */
const char *ib_step_state_name(enum ib_step_state s);
/* Return: the name of plan state @s in the plan's file ("active", ...). */
const char *ib_plan_state_name(enum ib_plan_state s);
/* Return: the --boot-by name of @b: "kexec", "reboot" or "auto". */
const char *ib_boot_by_name(enum ib_boot_by b);
/*
 * The --boot-by value @name.
 *
 * Return: its enum ib_boot_by, or -EINVAL when it names none.
 */
int ib_boot_by_find(const char *name);

#endif
