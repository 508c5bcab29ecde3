// SPDX-License-Identifier: GPL-2.0
/*
 * What a boot does with host-ab's plan: run its step, kexec (or reboot)
 * into the next kernel, and back home compare.  Every change of a step's state is on
 * disk before the act it announces, so the boot after a crash knows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host_ab.h"
#include "util.h"

struct act {
	struct ib_plan *plan;
	char *path;		/* the plan's file */
	char *log;		/* OUT/host-ab.log */
	const char *current;	/* this boot's kernel */
};

/* A line on stdout (the journal, under the unit) and in OUT/host-ab.log. */
static void say(const struct act *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(const struct act *a, const char *fmt, ...)
{
	char stamp[32];
	time_t t = time(NULL);
	va_list ap;
	FILE *f;

	strftime(stamp, sizeof(stamp), "%F %T", localtime(&t));
	va_start(ap, fmt);
	printf("host-ab: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	f = fopen(a->log, "a");
	if (!f)
		return;
	va_start(ap, fmt);
	fprintf(f, "%s %s: ", stamp, a->current);
	vfprintf(f, fmt, ap);
	fprintf(f, "\n");
	va_end(ap);
	fclose(f);
}

/* @argv started, its output appended to @log: its pid, or -1. */
static pid_t spawn_start(char *const argv[], const char *log)
{
	pid_t pid;
	int fd;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;
	fd = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Wait for child @pid at most @secs seconds (0: for ever): its exit
 * status as a shell gives it, or -1 (errno ETIMEDOUT: still running).
 * On a pidfd (Linux 5.3): nothing wakes up on the machine under test
 * while its run is timed; without one (an older kernel, a seccomp
 * filter), waitpid once a second.
 */
static int wait_within(pid_t pid, int secs)
{
	struct pollfd pfd = { .events = POLLIN };
	int status, r = 1, t;

	if (secs > 0) {
		pfd.fd = syscall(SYS_pidfd_open, pid, 0);
		if (pfd.fd >= 0) {
			while ((r = poll(&pfd, 1, secs * 1000)) < 0 && errno == EINTR)
				;
			close(pfd.fd);
		} else {
			for (t = 0, r = 0; t < secs; t++) {
				if (waitpid(pid, &status, WNOHANG) > 0)
					return exit_status(status);
				sleep(1);
			}
		}
		if (!r) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return exit_status(status);
}

/* Run @argv with stdout and stderr to @log (appended): its exit status. */
static int spawn(char *const argv[], const char *log)
{
	pid_t pid = spawn_start(argv, log);

	return pid < 0 ? -1 : wait_within(pid, 0);
}

/*
 * @argv, at most @secs seconds (0: no limit), then SIGTERM (with SIGCONT:
 * a stopped run gets it too; the collector then restores every device
 * and keeps what it recorded), and SIGKILL a minute later.  Its status,
 * or -1; *@why says how a run that did not finish was stopped.
 */
static int spawn_within(char *const argv[], const char *log, int secs, char **why)
{
	pid_t pid = spawn_start(argv, log);
	int rc;

	*why = NULL;
	if (pid < 0)
		return -1;
	rc = wait_within(pid, secs);
	if (rc != -1 || errno != ETIMEDOUT)
		return rc;
	kill(pid, SIGTERM);
	kill(pid, SIGCONT);
	rc = wait_within(pid, 60);
	if (rc == -1 && errno == ETIMEDOUT) {
		kill(pid, SIGKILL);
		rc = wait_within(pid, 60);
		*why = ib_xasprintf("did not finish in %d s: killed (SIGKILL)%s", secs,
				    rc == -1 ? ", and still not gone a minute later" : "");
	} else {
		*why = ib_xasprintf("did not finish in %d s: stopped (SIGTERM)", secs);
	}
	return rc == -1 ? -1 : rc ? rc : 1;
}

static int save(const struct act *a)
{
	int ret = ib_plan_save(a->plan, a->path);

	if (ret)
		ib_err("%s: %s", a->path, strerror(-ret));
	return ret;
}

static char *self(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return ib_xstrdup("iommu-bench");
	buf[n] = '\0';
	return ib_xstrdup(buf);
}

/* One step's run: the module in, the experiment, the module out. */
static int run_step(struct act *a, struct ib_plan_step *s)
{
	char *dir = ib_xasprintf("%s/%s.b%d", a->plan->out, s->kernel, s->boot);
	char *log = ib_xasprintf("%s.log", dir), *exe = self(), *mod, *b, *late, *argv[64];
	int n = 0, rc, loaded, i;
	struct stat st;

	loaded = !stat("/sys/module/iommu_bench", &st);
	mod = ib_host_ab_module(a->current);
	rc = 0;
	if (!loaded && !mod) {
		rc = -1;
		s->why = ib_xasprintf("no iommu_bench module for %s", a->current);
	} else if (!loaded && (rc = spawn((char *[]){ "insmod", mod, NULL }, log))) {
		s->why = ib_xasprintf("insmod %s exited %d (see %s)", mod, rc, log);
	}
	free(mod);
	if (!rc) {
		b = ib_xasprintf("%d", s->boot);
		argv[n++] = exe;
		argv[n++] = "run";
		for (i = 0; a->plan->run_args[i] && n < 56; i++)
			argv[n++] = a->plan->run_args[i];
		argv[n++] = "-l";
		argv[n++] = s->kernel;
		argv[n++] = "-b";
		argv[n++] = b;
		argv[n++] = "-o";
		argv[n++] = dir;
		argv[n] = NULL;
		say(a, "boot %d of %s: %s run ... -o %s", s->boot, s->kernel, exe, dir);
		rc = spawn_within(argv, log, a->plan->step_timeout, &late);
		free(b);
		if (late)
			s->why = ib_xasprintf("iommu-bench run %s (see %s)", late, log);
		else if (rc)
			s->why = ib_xasprintf("iommu-bench run exited %d (see %s)", rc, log);
		free(late);
		if (!loaded && spawn((char *[]){ "rmmod", "iommu_bench", NULL }, log) && !rc) {
			rc = -1;
			s->why = ib_xasprintf("rmmod iommu_bench failed (see %s)", log);
		}
	}
	s->state = rc ? IB_STEP_FAILED : IB_STEP_DONE;
	say(a, "boot %d of %s: %s%s%s", s->boot, s->kernel, ib_step_state_name(s->state),
	    s->why ? ": " : "", s->why ? s->why : "");
	free(dir);
	free(log);
	free(exe);
	return rc;
}

/*
 * This boot's command line for the next, without what the boot loader
 * added about the old image, and with panic=10 unless it has a panic=:
 * a panicking boot then resets instead of hanging, and the plan goes on.
 */
static char *next_cmdline(void)
{
	char *line = ib_read_file("/proc/cmdline", NULL), *out, *w, *save = NULL;
	size_t len = 16;
	int panic = 0;

	if (!line)
		line = ib_xstrdup("");
	len += strlen(line);
	out = ib_xcalloc(len, 1);
	for (w = strtok_r(line, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		if (!strncmp(w, "BOOT_IMAGE=", 11) || !strncmp(w, "initrd=", 7))
			continue;
		panic |= !strncmp(w, "panic=", 6);
		strcat(out, *out ? " " : "");
		strcat(out, w);
	}
	if (!panic)
		strcat(out, *out ? " panic=10" : "panic=10");
	free(line);
	return out;
}

/* Load @kernel and boot it: returns only when that failed (-1). */
static int kexec_into(struct act *a, const char *kernel)
{
	char *img = ib_xasprintf("%s/vmlinuz-%s", a->plan->boot_dir, kernel);
	char *initrd = ib_xasprintf("--initrd=%s/initrd.img-%s", a->plan->boot_dir, kernel);
	char *cmd = next_cmdline(), *append = ib_xasprintf("--append=%s", cmd);
	int rc;

	say(a, "kexec into %s", kernel);
	/*
	 * kexec_file_load first: under lockdown (Secure Boot) the only one
	 * allowed, for a signed kernel; kexec_load where the kernel has no
	 * kexec_file_load (or its image is one it will not check)
	 */
	rc = spawn((char *[]){ "kexec", "-s", "-l", img, initrd, append, NULL }, a->log);
	if (rc)
		rc = spawn((char *[]){ "kexec", "-l", img, initrd, append, NULL }, a->log);
	if (!rc) {
		if (a->plan->systemd) {
			/* a clean shutdown first; this unit ends meanwhile */
			rc = spawn((char *[]){ "systemctl", "--no-block", "kexec", NULL }, a->log);
			if (!rc)
				exit(0);
		} else {
			sync();
			rc = spawn((char *[]){ "kexec", "-e", NULL }, a->log);
		}
	}
	say(a, "kexec into %s failed (%d; see %s)", kernel, rc, a->log);
	free(img);
	free(initrd);
	free(cmd);
	free(append);
	return -1;
}

/*
 * Boot @kernel by GRUB's one-time entry and a reboot: returns only when
 * that failed (-1).  The kernel's command line is then GRUB's, not this
 * boot's.
 */
static int reboot_into(struct act *a, const char *kernel)
{
	char *cfg = ib_read_file(IB_GRUB_CFG, NULL);
	char *entry = cfg ? ib_grub_entry(cfg, kernel) : NULL;
	int rc = -1;

	if (!entry) {
		say(a, "reboot into %s: no entry for it in %s", kernel, IB_GRUB_CFG);
		free(cfg);
		return -1;
	}
	say(a, "reboot into %s (GRUB entry %s)", kernel, entry);
	rc = spawn((char *[]){ "grub-reboot", entry, NULL }, a->log);
	if (!rc) {
		sync();
		if (a->plan->systemd) {
			rc = spawn((char *[]){ "systemctl", "--no-block", "reboot", NULL }, a->log);
			if (!rc)
				exit(0);
		} else {
			rc = spawn((char *[]){ "reboot", NULL }, a->log);
			/* reboot(8) returns as the shutdown begins */
			if (!rc)
				exit(0);
		}
	}
	say(a, "reboot into %s failed (%d; see %s)", kernel, rc, a->log);
	free(entry);
	free(cfg);
	return -1;
}

/* Hand this boot on to @kernel as the plan says: returns only when that failed. */
static int boot_into(struct act *a, const char *kernel)
{
	if (a->plan->boot_by != IB_BOOT_REBOOT && !kexec_into(a, kernel))
		return 0;
	if (a->plan->boot_by == IB_BOOT_KEXEC)
		return -1;
	if (a->plan->boot_by == IB_BOOT_AUTO)
		say(a, "kexec refused: a reboot instead (--boot-by auto)");
	return reboot_into(a, kernel);
}

/*
 * GRUB clears its one-time entry as it boots it, but not where it cannot
 * write its environment (root on btrfs, LVM, RAID): then every later
 * boot would be that kernel's.  Cleared here, once the boot is under way.
 */
static void grub_once_cleared(struct act *a)
{
	char *env = ib_read_file(IB_GRUB_ENV, NULL);
	const char *p = env;

	/* "next_entry=ENTRY" a line of its own, ENTRY not empty */
	while (p && (p = strstr(p, "next_entry=")) &&
	       !((p == env || p[-1] == '\n') && p[11] && p[11] != '\n'))
		p += 11;
	if (p && ib_host_ab_has_tool("grub-editenv")) {
		say(a, "GRUB's one-time entry was left set (GRUB could not write its environment): cleared");
		spawn((char *[]){ "grub-editenv", IB_GRUB_ENV, "unset", "next_entry", NULL }, a->log);
	}
	free(env);
}

/* Each kernel's boots merged, then the comparison in OUT/compare. */
static int compare(struct act *a)
{
	struct ib_plan *p = a->plan;
	char *exe = self(), **argv, *merged, *cmp;
	int i, k, n, rc = 0, nk = 0;

	while (p->kernels[nk])
		nk++;
	argv = ib_xcalloc(p->nsteps + nk + 8, sizeof(*argv));
	/* derived from the boots: a compare cut short by a crash is redone */
	for (k = 0; k <= nk; k++) {
		merged = ib_xasprintf("%s/%s", p->out, k < nk ? p->kernels[k] : "compare");
		if (!access(merged, F_OK))
			ib_rmtree(merged);
		free(merged);
	}
	for (k = 0; k < nk && !rc; k++) {
		n = 0;
		argv[n++] = exe;
		argv[n++] = "merge";
		argv[n++] = "-o";
		argv[n++] = merged = ib_xasprintf("%s/%s", p->out, p->kernels[k]);
		for (i = 0; i < p->nsteps; i++)
			if (p->steps[i].state == IB_STEP_DONE &&
			    !strcmp(p->steps[i].kernel, p->kernels[k]))
				argv[n++] = ib_xasprintf("%s/%s.b%d", p->out, p->kernels[k],
							 p->steps[i].boot);
		argv[n] = NULL;
		if (n == 4) {
			say(a, "%s: no boot done, nothing to compare", p->kernels[k]);
			rc = 1;
		} else if ((rc = spawn(argv, a->log))) {
			say(a, "iommu-bench merge of %s exited %d (see %s)", p->kernels[k], rc, a->log);
		}
		for (i = 3; i < n; i++)
			free(argv[i]);
	}
	if (!rc) {
		n = 0;
		argv[n++] = exe;
		argv[n++] = "compare";
		if (!ib_host_ab_has_tool("gnuplot")) {
			say(a, "no gnuplot here: the comparison without its plots");
			argv[n++] = "--no-plots";
		}
		argv[n++] = "-o";
		argv[n++] = cmp = ib_xasprintf("%s/compare", p->out);
		for (k = 0; k < nk; k++)
			argv[n++] = ib_xasprintf("%s/%s", p->out, p->kernels[k]);
		argv[n] = NULL;
		rc = spawn(argv, a->log);
		if (rc)
			say(a, "iommu-bench compare exited %d (see %s)", rc, a->log);
		else
			say(a, "compared: %s/cover-letter.txt", cmp);
		for (i = n - nk - 1; i < n; i++)
			free(argv[i]);
	}
	free(argv);
	free(exe);
	return rc ? 1 : 0;
}

/* The plan ends: kept with the results, so the unit finds none. */
static void end_plan(struct act *a)
{
	if (ib_host_ab_retire(a->plan, a->path))
		return;
	if (a->plan->systemd)
		spawn((char *[]){ "systemctl", "disable", IB_HOST_AB_UNIT, NULL }, a->log);
}

int ib_host_ab_retire(const struct ib_plan *plan, const char *path)
{
	char *to = ib_xasprintf("%s/plan.json", plan->out), *dir;
	int ret = ib_plan_save(plan, to), fd;

	/* a copy, not a rename: OUT may be on another file system */
	if (!ret && unlink(path))
		ret = -errno;
	if (ret)
		ib_err("%s -> %s: %s", path, to, strerror(-ret));
	dir = ib_xstrdup(path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
	free(to);
	return ret;
}

int ib_host_ab_lock(const char *state_dir)
{
	char *f = ib_xasprintf("%s/lock", state_dir);
	int fd = open(f, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		ib_err("%s: %s", f, strerror(errno));
	else if (flock(fd, LOCK_EX | LOCK_NB)) {
		ib_err("another host-ab acts on the plan in %s now (a run takes its time): try again after it",
		       state_dir);
		close(fd);
		fd = -1;
	}
	free(f);
	return fd;
}

/* /proc/sys/kernel/random/boot_id: tells this boot from any other */
static char *boot_id(void)
{
	char *s = ib_read_file("/proc/sys/kernel/random/boot_id", NULL);

	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

int ib_host_ab_resume(const char *state_dir)
{
	struct act a = { 0 };
	struct ib_plan_step *step;
	enum ib_plan_action act;
	const char *kernel;
	enum ib_step_state *was;
	char *this_boot;
	struct utsname u;
	int ret = 0, i, lock;

	a.path = ib_xasprintf("%s/plan.json", state_dir);
	if (access(a.path, F_OK) && errno == ENOENT) {
		printf("host-ab: no plan in %s: nothing to do\n", state_dir);
		free(a.path);
		return 0;
	}
	/* one resume at a time: a second one would fail a run in progress */
	lock = ib_host_ab_lock(state_dir);
	ret = lock < 0 ? -EAGAIN : ib_plan_load(a.path, &a.plan);
	if (ret) {
		if (ret != -EAGAIN)
			ib_err("%s: %s", a.path, ret == -EINVAL ? "not a host-ab plan" :
			       strerror(-ret));
		free(a.path);
		if (lock >= 0)
			close(lock);
		return 1;
	}
	a.plan->this_boot = this_boot = boot_id();
	uname(&u);
	a.current = u.release;
	a.log = ib_xasprintf("%s/host-ab.log", a.plan->out);
	if (a.plan->boot_by != IB_BOOT_KEXEC)
		grub_once_cleared(&a);
	ret = 0;
	was = ib_xcalloc(a.plan->nsteps, sizeof(*was));
	for (;;) {
		for (i = 0; i < a.plan->nsteps; i++)
			was[i] = a.plan->steps[i].state;
		act = ib_plan_next(a.plan, a.current, &step, &kernel);
		for (i = 0; i < a.plan->nsteps; i++)
			if (was[i] != IB_STEP_FAILED && a.plan->steps[i].state == IB_STEP_FAILED)
				say(&a, "boot %d of %s failed: %s", a.plan->steps[i].boot,
				    a.plan->steps[i].kernel, a.plan->steps[i].why);
		if (act == IB_ACT_NONE)
			break;
		if (save(&a)) {
			ret = 1;
			break;
		}
		if (act == IB_ACT_RUN) {
			run_step(&a, step);
			/* done is on disk at once: a crash now keeps the run */
			save(&a);
			continue;
		}
		if (act == IB_ACT_KEXEC) {
			boot_into(&a, kernel);
			/* not booted: that boot failed, and the plan stops */
			for (step = a.plan->steps; step < a.plan->steps + a.plan->nsteps; step++)
				if (step->state == IB_STEP_BOOTING) {
					step->state = IB_STEP_FAILED;
					step->why = ib_xasprintf("booting %s failed (%s)", kernel,
								 ib_boot_by_name(a.plan->boot_by));
				}
			/* the way home failed: what there is, is compared here */
			if (a.plan->state == IB_PLAN_ACTIVE) {
				a.plan->state = IB_PLAN_STOPPED;
				a.plan->why = ib_xasprintf("booting %s failed (%s)", kernel,
							   ib_boot_by_name(a.plan->boot_by));
			}
			a.plan->homeward = 1;
			continue;
		}
		if (act == IB_ACT_COMPARE) {
			ret = compare(&a);
			a.plan->state = IB_PLAN_FINISHED;
		} else {
			say(&a, "stopped: %s", a.plan->why ? a.plan->why : "?");
			ret = 1;
		}
		end_plan(&a);
		break;
	}
	free(was);
	free(this_boot);
	close(lock);
	ib_plan_free(a.plan);
	free(a.path);
	free(a.log);
	return ret;
}
