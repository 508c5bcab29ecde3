// SPDX-License-Identifier: GPL-2.0
/*
 * host-ab's plan: the order of boots, what each boot does next (after a
 * good boot, a crash, a boot into the wrong kernel, a kernel that keeps
 * failing), and the plan's file (saved, loaded, refused when damaged).
 */
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "host_ab_plan.h"
#include "host_ab_preflight.h"
#include "tap.h"

#define A "6.1.0-40-amd64"
#define B "6.12.57+deb12-amd64"

/* a whole plan, as an older host-ab wrote it, but for its closing brace */
#define PLAN1 "{\"format\": 1, \"state\": \"active\", \"origin\": \"" A "\", " \
	"\"out\": \"/tmp/out\", \"boot_dir\": \"/boot\", \"kernels\": [\"" A "\", \"" B "\"], " \
	"\"run_args\": [\"-q\"], \"steps\": [{\"kernel\": \"" A "\", \"boot\": 1, \"state\": \"pending\"}]"

static struct ib_plan *plan(int rounds)
{
	char *k[] = { A, B, NULL };
	struct ib_plan *p = ib_plan_create(k, rounds);

	p->origin = strdup(A);
	p->out = strdup("/tmp/out");
	p->boot_dir = strdup("/boot");
	p->run_args = calloc(2, sizeof(char *));
	p->run_args[0] = strdup("-q");
	return p;
}

/* The boot of @cur acts; a run step is then marked done (or failed). */
static enum ib_plan_action next(struct ib_plan *p, const char *cur, int run_ok,
				const char **kernel)
{
	struct ib_plan_step *s;
	enum ib_plan_action a = ib_plan_next(p, cur, &s, kernel);

	if (a == IB_ACT_RUN)
		s->state = run_ok ? IB_STEP_DONE : IB_STEP_FAILED;
	return a;
}

/* @path's whole text @text, then ib_plan_load of it (@path made if gone) */
static int load_text(const char *path, const char *text, struct ib_plan **q)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	*q = NULL;
	return n == (ssize_t)strlen(text) ? ib_plan_load(path, q) : -EIO;
}

static char path[] = "/tmp/test_host_ab.XXXXXX";

/*
 * Two rounds: A's first boot ran, then B's run: the machine reset in it
 * and booted its default kernel, A.  As crash_during_run checks it.
 */
static struct ib_plan *crashed_in_b(void)
{
	struct ib_plan *p = plan(2);
	struct ib_plan_step *s;
	const char *k;

	next(p, A, 1, &k);
	next(p, A, 1, &k);
	next(p, A, 1, &k);
	ib_plan_next(p, B, &s, &k);
	ib_plan_next(p, A, &s, &k);
	return p;
}

/*
 * ... then a boot into A came up as B, and B failed again: stopped.  The
 * last ib_plan_next()'s action in *@act, its kernel in *@k.
 */
static struct ib_plan *stopped_in_b(enum ib_plan_action *act, const char **k)
{
	struct ib_plan *p = crashed_in_b();
	struct ib_plan_step *s;

	ib_plan_next(p, B, &s, k);
	ib_plan_next(p, B, &s, k);
	s->state = IB_STEP_FAILED;
	*act = ib_plan_next(p, B, &s, k);
	return p;
}

static void rounds_alternate(void)
{
	struct ib_plan *p = plan(2);

	ok(p->nsteps == 4 && !strcmp(p->steps[0].kernel, A) && !strcmp(p->steps[1].kernel, B) &&
	   !strcmp(p->steps[2].kernel, A) && p->steps[2].boot == 2 && p->steps[3].boot == 2,
	   "two rounds: A B A B, boots numbered per kernel");
	ib_plan_free(p);
}

/* the plan as it goes: kexec, run, kexec, ... */
static void boots_in_turn(void)
{
	struct ib_plan *p = plan(2);
	const char *k;
	int i, runs = 0;

	ok(next(p, A, 1, &k) == IB_ACT_KEXEC && !strcmp(k, A) &&
	   p->steps[0].state == IB_STEP_BOOTING,
	   "started in A: even A's first boot is a fresh one, by kexec");
	for (i = 0; i < 4; i++) {
		const char *cur = p->steps[i].kernel;

		runs += next(p, cur, 1, &k) == IB_ACT_RUN;
		if (i < 3)
			ok(next(p, cur, 1, &k) == IB_ACT_KEXEC && !strcmp(k, p->steps[i + 1].kernel),
			   "boot %d done in %s: kexec into %s", i + 1, cur, p->steps[i + 1].kernel);
	}
	is_int(runs, 4, "each step ran in its own kernel's boot");
	ib_plan_free(p);
}

/* ... home, compare */
static void done_goes_home(void)
{
	struct ib_plan *p = plan(2);
	const char *k;
	int i;

	/* every boot and run, as boots_in_turn checks them */
	next(p, A, 1, &k);
	for (i = 0; i < 4; i++) {
		next(p, p->steps[i].kernel, 1, &k);
		if (i < 3)
			next(p, p->steps[i].kernel, 1, &k);
	}
	ok(next(p, B, 1, &k) == IB_ACT_KEXEC && !strcmp(k, A) && p->state == IB_PLAN_RETURNING,
	   "every boot done, in B: back to A, where it started");
	ok(next(p, A, 1, &k) == IB_ACT_COMPARE, "home: compare");
	ib_plan_free(p);
}

/* a second resume in the boot that is running a step: hands off */
static void second_resume_hands_off(void)
{
	struct ib_plan *p = plan(1);
	struct ib_plan_step *s;
	const char *k;

	p->this_boot = "boot-1";
	next(p, A, 1, &k);
	p->this_boot = "boot-2";
	ok(ib_plan_next(p, A, &s, &k) == IB_ACT_RUN && !strcmp(p->acting_boot, "boot-2"),
	   "the kexec'd boot runs its step, and is marked as the one acting");
	ok(ib_plan_next(p, A, &s, &k) == IB_ACT_NONE && p->steps[0].state == IB_STEP_RUNNING,
	   "a second resume in that boot leaves the running step alone");
	p->this_boot = "boot-3";
	ok(ib_plan_next(p, A, &s, &k) == IB_ACT_KEXEC && p->steps[0].state == IB_STEP_FAILED,
	   "... the next boot fails it");
	ib_plan_free(p);
}

/* a crash in B's run */
static void crash_during_run(void)
{
	struct ib_plan *p = plan(2);
	struct ib_plan_step *s;
	const char *k;

	next(p, A, 1, &k);
	next(p, A, 1, &k);
	ok(next(p, A, 1, &k) == IB_ACT_KEXEC && !strcmp(k, B), "A's boot 1 done: to B");
	ok(ib_plan_next(p, B, &s, &k) == IB_ACT_RUN && s == &p->steps[1] &&
	   s->state == IB_STEP_RUNNING, "B runs, and is marked running before it does");
	/* the machine resets and boots its default kernel, A */
	ok(ib_plan_next(p, A, &s, &k) == IB_ACT_KEXEC && p->steps[1].state == IB_STEP_FAILED &&
	   strstr(p->steps[1].why, "ended during its run") && !strcmp(k, A),
	   "the next boot finds B's run unfinished: failed, and the plan goes on");
	ib_plan_free(p);
}

/* a boot that came up in B instead of A */
static void wrong_kernel_booted(void)
{
	struct ib_plan *p = crashed_in_b();
	struct ib_plan_step *s;
	const char *k;

	ok(ib_plan_next(p, B, &s, &k) == IB_ACT_KEXEC && p->steps[2].state == IB_STEP_FAILED &&
	   strstr(p->steps[2].why, "not " A) && !strcmp(k, B),
	   "a kexec into A that came up as B: A's boot failed, on to B");
	ib_plan_free(p);
}

/* B fails again: its last two boots failed, the plan stops */
static void failing_kernel_stops(void)
{
	enum ib_plan_action act;
	struct ib_plan_step *s;
	const char *k;
	struct ib_plan *p = stopped_in_b(&act, &k);

	ok(act == IB_ACT_KEXEC && !strcmp(k, A) &&
	   p->state == IB_PLAN_STOPPED && strstr(p->why, "two boots of " B),
	   "B failed twice in a row: stopped, and home to A");
	ok(ib_plan_next(p, A, &s, &k) == IB_ACT_HOME_STOPPED, "home: stopped, no comparison");
	ib_plan_free(p);
}

/* on disk: what is saved is loaded */
static void saved_plan_loads(void)
{
	enum ib_plan_action act;
	struct ib_plan_step *s;
	const char *k;
	struct ib_plan *p = stopped_in_b(&act, &k), *q;

	ib_plan_next(p, A, &s, &k);	/* home, as failing_kernel_stops */
	p->step_timeout = 3600;
	p->boot_by = IB_BOOT_REBOOT;
	ok(!ib_plan_save(p, path) && !ib_plan_load(path, &q) && q->nsteps == 4 &&
	   q->step_timeout == 3600 && q->boot_by == IB_BOOT_REBOOT &&
	   q->state == IB_PLAN_STOPPED && q->homeward && q->steps[1].state == IB_STEP_FAILED &&
	   !strcmp(q->steps[1].why, p->steps[1].why) && !strcmp(q->run_args[0], "-q") &&
	   !strcmp(q->origin, A), "saved and loaded: every step's state and why");
	ib_plan_free(q);
	ok(ib_plan_next(p, A, &s, &k) == IB_ACT_HOME_STOPPED, "... and it says the same again");
	ib_plan_free(p);
}

/* an older host-ab's plan: what it left out keeps its old meaning */
static void older_plan_loads(void)
{
	struct ib_plan *q;

	ok(!load_text(path, PLAN1 "}", &q) && q->step_timeout == 0,
	   "a plan without step_timeout (an older host-ab's): no limit");
	ok(q->boot_by == IB_BOOT_KEXEC, "... and without boot_by: kexec, as it had");
	ib_plan_free(q);
	ok(!load_text(path, PLAN1 ", \"boot_by\": \"auto\"}", &q) && q->boot_by == IB_BOOT_AUTO,
	   "boot_by auto loaded");
	ib_plan_free(q);
}

static void bad_values_refused(void)
{
	struct ib_plan *q;

	ok(load_text(path, PLAN1 ", \"boot_by\": \"pxe\"}", &q) == -EINVAL && !q,
	   "a boot_by of none of kexec, reboot, auto refused");
	ok(load_text(path, PLAN1 ", \"step_timeout\": -5}", &q) == -EINVAL && !q,
	   "a negative step_timeout refused");
	ok(load_text(path, PLAN1 ", \"step_timeout\": 604801}", &q) == -EINVAL && !q,
	   "... and one over 7 days (as --step-timeout)");
}

static void damaged_plan_refused(void)
{
	struct ib_plan *q;

	ok(load_text(path, "{\"format\": 2}", &q) == -EINVAL && !q,
	   "a plan of another format refused");
	ok(load_text(path, "{\"format\": 1, \"state\": \"active\"", &q) == -EINVAL,
	   "a truncated plan refused");
}

static void no_plan(void)
{
	struct ib_plan *q;

	unlink(path);
	ok(ib_plan_load(path, &q) == -ENOENT, "no plan: -ENOENT");
}

/* where only signed modules load: sign-file's trailer */
static void module_signature(void)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ok(write(fd, "\177ELF...", 7) == 7 && !ib_host_ab_module_signed(path),
	   "a module without a signature is not signed");
	ok(write(fd, "sig~Module signature appended~\n", 31) == 31 &&
	   ib_host_ab_module_signed(path), "... with sign-file's trailer it is");
	close(fd);
}

static const struct tap_case cases[] = {
	TAP_CASE(rounds_alternate),
	TAP_CASE(boots_in_turn),
	TAP_CASE(done_goes_home),
	TAP_CASE(second_resume_hands_off),
	TAP_CASE(crash_during_run),
	TAP_CASE(wrong_kernel_booted),
	TAP_CASE(failing_kernel_stops),
	TAP_CASE(saved_plan_loads),
	TAP_CASE(older_plan_loads),
	TAP_CASE(bad_values_refused),
	TAP_CASE(damaged_plan_refused),
	TAP_CASE(no_plan),
	TAP_CASE(module_signature),
};

TAP_MAIN_TMPFILE(cases, path)
