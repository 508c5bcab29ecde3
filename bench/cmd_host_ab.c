// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench host-ab: an experiment's boots on this machine, kernels
 * interleaved A B A B ... by kexec or a reboot, resumed at each boot by a systemd unit
 * from a plan kept on disk, and compared back in the kernel it started
 * from.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "commands.h"
#include "conf.h"
#include "host_ab.h"
#include "modes.h"
#include "util.h"

void cmd_host_ab_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench host-ab start -e EXPERIMENT -k KERNEL -k KERNEL [options]\n"
		"       iommu-bench host-ab resume|status|abort [--state DIR]\n\n"
		"Run an experiment's boots on this machine: kexec (or reboot, -b) into\n"
		"each kernel in turn (A B A B ..., 'rounds' boots of each), run the\n"
		"experiment in each boot, come back to the kernel it started from and\n"
		"there merge each kernel's boots and compare them (OUT/compare:\n"
		"tables, plots, cover-letter.txt).  A systemd unit (" IB_HOST_AB_UNIT ") resumes\n"
		"the plan at every boot; the plan is on disk, so a boot that crashes\n"
		"or hangs (and is reset) is marked failed and the plan goes on; a\n"
		"kernel whose last two boots failed stops it, and host-ab goes home.\n\n"
		"start: check, write the plan, and boot the first boot's kernel.\n"
		"  -e, --experiment FILE  its [experiment]: mode, cycles, rounds, devices,\n"
		"                         owner, batches, chunks, probe_effect, until_ci\n"
		"                         (its kernels and [lab] are the emulated lab's)\n"
		"  -k, --kernel RELEASE   an installed kernel (uname -r), twice or more;\n"
		"                         the first is the baseline of the comparison\n"
		"  -o, --out DIR          results, one directory per boot; must not exist\n"
		"  -d, --devices LIST     this machine's devices instead of the experiment's\n"
		"  -r, --rounds N         boots of each kernel instead of the experiment's\n"
		"      --boot-dir DIR     where vmlinuz-RELEASE and initrd.img-RELEASE are\n"
		"                         (default /boot)\n"
		"      --no-systemd       no unit: something else runs 'host-ab resume' at\n"
		"                         every boot, and kexec is done without a shutdown\n"
		"  -b, --boot-by HOW      how a boot hands on to the next kernel: kexec;\n"
		"                         reboot (GRUB's one-time entry, grub-reboot, and\n"
		"                         a firmware reboot: each boot as from power-on);\n"
		"                         auto (default): kexec, a reboot where kexec is\n"
		"                         refused (disabled, or a kernel it will not load)\n"
		"  -t, --step-timeout S   a boot's run not done in S seconds hangs: it is\n"
		"                         stopped (SIGTERM, then SIGKILL a minute later),\n"
		"                         the boot marked failed, the plan goes on\n"
		"                         (default 14400; 10 to 604800, or 0: no limit)\n"
		"  -n, --dry-run          check and print the plan; change nothing\n"
		"resume: settle this boot's step and go on (the unit's command).\n"
		"status: the plan, a line per boot.\n"
		"abort:  stop the plan where it is (results kept); no kexec.\n"
		"      --state DIR        the plan's directory (default " IB_HOST_AB_STATE ")\n"
		"  -h, --help             this text\n\n"
		"Each kernel needs the iommu_bench module built for it (the DKMS package\n"
		"builds it for each kernel with headers).  start refuses, naming why,\n"
		"under lockdown for confidentiality (no kprobes), with module loading\n"
		"disabled, without tracefs, where neither kexec nor GRUB can boot the\n"
		"kernels, when a kernel has no module, or an unsigned one where only\n"
		"signed modules load (Secure Boot: DKMS signs with its enrolled MOK\n"
		"key).  kexec_file_load boots each kernel (signed,\n"
		"under Secure Boot), else kexec_load.  Each boot gets this boot's\n"
		"command line, plus panic=10 unless it has a panic=.  Where kexec is\n"
		"refused, a kernel needs an entry in update-grub's menu (" IB_GRUB_CFG ")\n"
		"and boots with that entry's command line.\n\n"
		"Exit status: 0 done (start: the first boot asked for; resume: nothing\n"
		"left, or compared); 1 a step, the comparison or the plan failed, or no\n"
		"plan (status, abort); 2 bad usage, experiment, device or OUT; 3 this\n"
		"machine or a kernel refused (nothing was changed).\n");
}

struct start_opts {
	const char *exp, *out, *devices, *boot_dir, *state;
	char *kernels[9];
	int nkernels, rounds, no_systemd, dry_run, step_timeout, boot_by;
};

/* iommu-bench run's options for the experiment's [experiment] */
static char **run_args(const struct ib_conf *c, const struct start_opts *o)
{
	const char *s = "experiment", *v;
	char **w = ib_xcalloc(24, sizeof(*w));
	int n = 0;

	w[n++] = ib_xstrdup("-m");
	w[n++] = ib_xstrdup(ib_conf_get_or(c, s, "mode", "remove"));
	w[n++] = ib_xstrdup("-n");
	w[n++] = ib_xstrdup(ib_conf_get_or(c, s, "cycles", "10"));
	w[n++] = ib_xstrdup("-d");
	w[n++] = ib_xstrdup(o->devices ? o->devices : ib_conf_get_or(c, s, "devices", ""));
	if ((v = ib_conf_get(c, s, "owner"))) {
		w[n++] = ib_xstrdup("--owner");
		w[n++] = ib_xstrdup(v);
	}
	w[n++] = ib_xstrdup("--batches");
	w[n++] = ib_xstrdup(ib_conf_get_or(c, s, "batches", "all release core"));
	w[n++] = ib_xstrdup("--chunks");
	w[n++] = ib_xstrdup(ib_conf_get_or(c, s, "chunks", "3"));
	if (!strcmp(ib_conf_get_or(c, s, "probe_effect", "off"), "on"))
		w[n++] = ib_xstrdup("--untraced");
	if ((v = ib_conf_get(c, s, "until_ci"))) {
		w[n++] = ib_xstrdup("--until-ci");
		w[n++] = ib_xstrdup(v);
		w[n++] = ib_xstrdup("--max-cycles");
		w[n++] = ib_xstrdup(ib_conf_get_or(c, s, "max_cycles", "1000"));
	}
	w[n++] = ib_xstrdup("-q");
	return w;
}

/* The experiment's devices are this machine's PCI functions? */
static char *devices_missing(char **args)
{
	char **w, *why = NULL, *f;
	int n, i;

	for (i = 0; args[i] && strcmp(args[i], "-d"); i++)
		;
	w = ib_split_words(args[i] ? args[i + 1] : "", &n);
	if (!n)
		why = ib_xstrdup("the experiment names no devices (devices = or -d)");
	for (i = 0; i < n && !why; i++) {
		f = ib_xasprintf("/sys/bus/pci/devices/%s", w[i]);
		if (access(f, F_OK))
			why = ib_xasprintf("no PCI function %s here (iommu-bench devices lists them; -d names this machine's)",
					   w[i]);
		free(f);
	}
	ib_free_words(w);
	return why;
}

static void print_plan(const struct ib_plan *p, FILE *f)
{
	int i;

	fprintf(f, "plan: %s%s%s; from %s, results in %s\n", ib_plan_state_name(p->state),
		p->why ? ": " : "", p->why ? p->why : "", p->origin, p->out);
	fprintf(f, "boots by %s\n", p->boot_by == IB_BOOT_KEXEC ? "kexec" :
		p->boot_by == IB_BOOT_REBOOT ? "reboot (GRUB's one-time entry)" :
		"kexec, else reboot (GRUB's one-time entry)");
	if (p->step_timeout)
		fprintf(f, "each run stopped after %d s (--step-timeout)\n", p->step_timeout);
	else
		fprintf(f, "each run without a time limit (--step-timeout 0)\n");
	for (i = 0; i < p->nsteps; i++)
		fprintf(f, "  %2d  %-28s boot %-3d %s%s%s\n", i + 1, p->steps[i].kernel,
			p->steps[i].boot, ib_step_state_name(p->steps[i].state),
			p->steps[i].why ? ": " : "", p->steps[i].why ? p->steps[i].why : "");
}

/* in one of systemd's unit directories (make install's PREFIX among them) */
static int unit_installed(void)
{
	static const char *const dirs[] = {
		"/etc/systemd/system", "/usr/local/lib/systemd/system",
		"/lib/systemd/system", "/usr/lib/systemd/system",
	};
	size_t i;
	char *f;
	int found = 0;

	for (i = 0; i < sizeof(dirs) / sizeof(*dirs) && !found; i++) {
		f = ib_xasprintf("%s/%s", dirs[i], IB_HOST_AB_UNIT);
		found = !access(f, R_OK);
		free(f);
	}
	return found;
}

/* The way home: this kernel's image and initrd where the others are. */
static char *home_unfit(const struct ib_plan *p)
{
	char *f = ib_xasprintf("%s/vmlinuz-%s", p->boot_dir, p->origin), *why = NULL;

	if (access(f, R_OK))
		why = ib_xasprintf("this kernel, %s, has no %s: host-ab could not come home to compare",
				   p->origin, f);
	free(f);
	f = ib_xasprintf("%s/initrd.img-%s", p->boot_dir, p->origin);
	if (!why && access(f, R_OK))
		why = ib_xasprintf("this kernel, %s, has no %s: host-ab could not come home to compare",
				   p->origin, f);
	free(f);
	return why;
}

/*
 * Can each boot be handed on as --boot-by says?  auto where kexec is
 * refused becomes reboot, said on stdout; NULL, or why not.
 */
static char *boot_by_unfit(struct ib_plan *p)
{
	char kexec[IB_HOST_AB_WHY_LEN], grub[IB_HOST_AB_WHY_LEN];
	char *why = NULL, **all;
	int refused = 0, unfit, i, n = 0;

	if (p->boot_by != IB_BOOT_REBOOT)
		refused = ib_host_ab_kexec_refused(kexec, sizeof(kexec)) < 0;
	if (p->boot_by == IB_BOOT_KEXEC || (p->boot_by == IB_BOOT_AUTO && !refused))
		return refused ? ib_xstrdup(kexec) : NULL;
	/* every kernel of the plan, and home */
	while (p->kernels[n])
		n++;
	all = ib_xcalloc(n + 2, sizeof(*all));
	for (i = 0; i < n; i++)
		all[i] = p->kernels[i];
	all[n] = p->origin;
	unfit = ib_grub_unfit(all, grub, sizeof(grub)) < 0;
	free(all);
	if (unfit && refused)
		why = ib_xasprintf("%s, and a reboot cannot take its place: %s", kexec, grub);
	else if (unfit)
		why = ib_xasprintf("--boot-by reboot: %s", grub);
	else if (refused)
		printf("host-ab: %s: each boot by a reboot instead (GRUB's one-time entry)\n", kexec);
	if (!unfit)
		p->boot_by = IB_BOOT_REBOOT;
	return why;
}

static int refuse(char *why)
{
	ib_err("host-ab refused: %s", why);
	free(why);
	return IB_EXIT_REFUSED;
}

static int start(struct start_opts *o)
{
	char err[512], reason[IB_HOST_AB_WHY_LEN], *why, *path, *out;
	struct ib_plan *p = NULL;
	struct ib_conf *c;
	struct utsname u;
	int i, j, rounds;
	struct stat st;

	if (!o->exp || o->nkernels < 2 || !o->out) {
		ib_err("host-ab start needs -e EXPERIMENT, -o OUT and two -k KERNEL or more");
		return 2;
	}
	for (i = 0; i < o->nkernels; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(o->kernels[i], o->kernels[j])) {
				ib_err("kernel %s named twice", o->kernels[i]);
				return 2;
			}
	c = ib_conf_load(o->exp, err, sizeof(err));
	if (!c) {
		ib_err("%s", err);
		return 2;
	}
	if (ib_conf_line(c, "experiment", NULL) <= 0 ||
	    !ib_mode_find(ib_conf_get_or(c, "experiment", "mode", "remove"))) {
		ib_err("%s: no [experiment], or its mode is none of run's (iommu-bench config check %s)",
		       o->exp, o->exp);
		ib_conf_free(c);
		return 2;
	}
	rounds = o->rounds ? o->rounds : atoi(ib_conf_get_or(c, "experiment", "rounds", "5"));
	if (rounds < 1 || rounds > 100) {
		ib_err("rounds %d: from 1 to 100 boots of each kernel", rounds);
		ib_conf_free(c);
		return 2;
	}
	/* the unit resumes the plan from the default state directory only */
	if (!o->no_systemd && strcmp(o->state, IB_HOST_AB_STATE)) {
		ib_err("--state %s: the unit resumes a plan in %s only (--no-systemd for another)",
		       o->state, IB_HOST_AB_STATE);
		ib_conf_free(c);
		return 2;
	}
	if (!o->dry_run && !access(o->out, F_OK)) {
		ib_err("%s exists: host-ab writes a new result directory", o->out);
		ib_conf_free(c);
		return 2;
	}
	o->kernels[o->nkernels] = NULL;
	p = ib_plan_create(o->kernels, rounds);
	p->run_args = run_args(c, o);
	ib_conf_free(c);
	uname(&u);
	p->origin = ib_xstrdup(u.release);
	p->out = o->out[0] == '/' ? ib_xstrdup(o->out) :
		 ib_xasprintf("%s/%s", getcwd(err, sizeof(err)) ? err : ".", o->out);
	/* later boots run from /: every path absolute */
	p->boot_dir = realpath(o->boot_dir, NULL);
	if (!p->boot_dir)
		p->boot_dir = ib_xstrdup(o->boot_dir);
	p->systemd = !o->no_systemd;
	p->step_timeout = o->step_timeout;
	p->boot_by = o->boot_by;

	path = ib_xasprintf("%s/plan.json", o->state);
	why = devices_missing(p->run_args);
	if (why) {
		ib_err("%s", why);
		free(why);
		free(path);
		ib_plan_free(p);
		return 2;
	}
	if (!access(path, F_OK))
		why = ib_xasprintf("a plan is already in %s (host-ab status; host-ab abort)", path);
	for (i = 0; !why && i < o->nkernels; i++)
		if (ib_host_ab_kernel_unfit(o->kernels[i], p->boot_dir, reason,
					    sizeof(reason)) < 0)
			why = ib_xstrdup(reason);
	if (!why)
		why = home_unfit(p);
	if (!why && geteuid())
		why = ib_xstrdup("host-ab needs root (kexec, the module, tracefs)");
	if (!why && ib_host_ab_forbidden(reason, sizeof(reason)) < 0)
		why = ib_xstrdup(reason);
	if (!why)
		why = boot_by_unfit(p);
	if (!why && p->systemd && !ib_host_ab_systemd())
		why = ib_xstrdup("systemd is not this system's init, so nothing would resume the plan at boot (--no-systemd if something else runs 'iommu-bench host-ab resume' at every boot)");
	if (!why && p->systemd && !unit_installed())
		why = ib_xasprintf("the unit %s is not installed (the package, or make install, installs it)",
				   IB_HOST_AB_UNIT);
	if (why || o->dry_run) {
		if (!why)
			print_plan(p, stdout);
		ib_plan_free(p);
		free(path);
		return why ? refuse(why) : 0;
	}
	/* /var/lib/iommu-bench may be new on this machine */
	if ((i = ib_mkdir_parents(path, 0755)) || (i = ib_mkdir_parents(p->out, 0755)) ||
	    (mkdir(p->out, 0755) && (i = -errno))) {
		ib_err("%s: %s", i == -EEXIST ? p->out : o->state, strerror(-i));
		ib_plan_free(p);
		free(path);
		return 2;
	}
	i = ib_plan_save(p, path);
	if (i) {
		ib_err("%s: %s", path, strerror(-i));
		ib_plan_free(p);
		free(path);
		return 1;
	}
	print_plan(p, stdout);
	out = ib_xstrdup(p->out);
	ib_plan_free(p);
	/* no kexec into a boot that nothing would resume the plan in */
	if (!o->no_systemd && !stat("/run/systemd/system", &st) &&
	    system("systemctl enable " IB_HOST_AB_UNIT)) {
		ib_err("systemctl enable %s failed: no plan started", IB_HOST_AB_UNIT);
		unlink(path);
		ib_rmtree(out);
		free(path);
		free(out);
		return 1;
	}
	free(path);
	free(out);
	return ib_host_ab_resume(o->state);
}

static int status_or_abort(const char *state, int abort_it)
{
	char *path = ib_xasprintf("%s/plan.json", state);
	/* abort not under a resume's feet: it would write the plan back */
	int lock = abort_it && !access(path, F_OK) ? ib_host_ab_lock(state) : -1;
	struct ib_plan *p;
	int ret = ib_plan_load(path, &p);

	if (!ret && abort_it && lock < 0) {
		ib_plan_free(p);
		free(path);
		return 1;
	}
	if (ret) {
		if (lock >= 0)
			close(lock);
		ib_err("%s: %s", path, ret == -EINVAL ? "not a host-ab plan" :
		       ret == -ENOENT ? "no plan (none started, or it ended: OUT/plan.json)" :
		       strerror(-ret));
		free(path);
		return 1;
	}
	if (abort_it) {
		p->state = IB_PLAN_STOPPED;
		free(p->why);
		p->why = ib_xstrdup("aborted (host-ab abort)");
		ret = ib_host_ab_retire(p, path);
		if (!ret && p->systemd && ib_host_ab_systemd() &&
		    system("systemctl disable " IB_HOST_AB_UNIT))
			ib_warn("systemctl disable %s failed", IB_HOST_AB_UNIT);
		if (lock >= 0)
			close(lock);
	}
	print_plan(p, stdout);
	ib_plan_free(p);
	free(path);
	return ret ? 1 : 0;
}

int cmd_host_ab(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "experiment", required_argument, NULL, 'e' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "devices", required_argument, NULL, 'd' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "boot-dir", required_argument, NULL, 'B' },
		{ "state", required_argument, NULL, 'S' },
		{ "no-systemd", no_argument, NULL, 'N' },
		{ "step-timeout", required_argument, NULL, 't' },
		{ "boot-by", required_argument, NULL, 'b' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct start_opts o = { .boot_dir = "/boot", .state = IB_HOST_AB_STATE,
				.step_timeout = IB_HOST_AB_STEP_TIMEOUT, .boot_by = IB_BOOT_AUTO };
	const char *sub;
	char *end;
	long secs;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "e:k:o:d:r:t:b:nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': o.exp = optarg; break;
		case 'o':
			/* "DIR/": its parents are made, then DIR */
			for (c = strlen(optarg); c > 1 && optarg[c - 1] == '/'; c--)
				optarg[c - 1] = '\0';
			o.out = optarg;
			break;
		case 'd': o.devices = optarg; break;
		case 'B': o.boot_dir = optarg; break;
		case 'S': o.state = optarg; break;
		case 'N': o.no_systemd = 1; break;
		case 'n': o.dry_run = 1; break;
		case 'k':
			if (o.nkernels == 8) {
				ib_err("at most 8 kernels");
				return 2;
			}
			o.kernels[o.nkernels++] = optarg;
			break;
		case 'b':
			o.boot_by = ib_boot_by_find(optarg);
			if (o.boot_by < 0) {
				ib_err("--boot-by: '%s' is none of kexec, reboot, auto", optarg);
				return 2;
			}
			break;
		case 'r':
			o.rounds = strtol(optarg, &end, 10);
			if (*end || end == optarg || o.rounds < 1 || o.rounds > 100) {
				ib_err("--rounds: '%s' is not a number from 1 to 100", optarg);
				return 2;
			}
			break;
		case 't':
			secs = strtol(optarg, &end, 10);
			if (*end || end == optarg || (secs && (secs < IB_HOST_AB_STEP_TIMEOUT_MIN ||
							      secs > IB_HOST_AB_STEP_TIMEOUT_MAX))) {
				ib_err("--step-timeout: '%s' is not 0 or a number of seconds from 10 to 604800",
				       optarg);
				return 2;
			}
			o.step_timeout = secs;
			break;
		case 'h':
			cmd_host_ab_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_host_ab_usage, "host-ab");
			return 2;
		}
	}
	/* options before or after the subcommand (getopt moves it last) */
	sub = optind < argc ? argv[optind] : NULL;
	if (!sub || optind + 1 < argc) {
		ib_usage_short(cmd_host_ab_usage, "host-ab");
		return 2;
	}
	if (!strcmp(sub, "start"))
		return start(&o);
	if (!strcmp(sub, "resume"))
		return ib_host_ab_resume(o.state);
	if (!strcmp(sub, "status") || !strcmp(sub, "abort"))
		return status_or_abort(o.state, !strcmp(sub, "abort"));
	ib_err("host-ab: '%s' is not start, resume, status or abort", sub);
	return 2;
}
