// SPDX-License-Identifier: GPL-2.0
/*
 * The IOMMU_BENCH_RUN and IOMMU_BENCH_CALIBRATE ABI edges,
 * kselftest-style (TAP), run in the lab
 * guest with the module loaded:  ioctl_abi DEVICE
 * DEVICE is a removable endpoint; it must be present again at the end.
 * ioctl_abi --check DEVICE [MODE [OWNER]] [--force-net]: one check-only
 * request (MODE a number of enum iommu_bench_mode, 1 by default), prints
 * "errno N".
 * ioctl_abi --run N DEVICE [MODE [OWNER]]: N real cycles, prints
 * "errno N cycles_done M".
 * Built twice, 64- and 32-bit (ioctl_abi32): the same edges through the
 * module's compat_ioctl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../kmod/uapi/iommu_bench.h"

#define CONTROL IOMMU_BENCH_CONTROL

static int n, failed, fd;
static struct iommu_bench_dev dev;
static char devname[32];

static void ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
	failed += !cond;
}

/* A valid check-only request on DEVICE. */
static void good(struct iommu_bench_run *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->version = IOMMU_BENCH_ABI_VERSION;
	r->mode = IOMMU_BENCH_MODE_REMOVE;
	r->flags = IOMMU_BENCH_F_CHECK_ONLY;
	r->cycles = 1;
	r->ndevs = 1;
	r->devs[0] = dev;
}

/* errno of the ioctl, 0 on success */
static int run(void *arg)
{
	return ioctl(fd, IOMMU_BENCH_RUN, arg) ? errno : 0;
}

static void good_cal(struct iommu_bench_calibrate *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->version = IOMMU_BENCH_ABI_VERSION;
	c->calls = 1000;
}

static int cal(void *arg)
{
	return ioctl(fd, IOMMU_BENCH_CALIBRATE, arg) ? errno : 0;
}

/* The calibration ioctl's edges: 13 tests. */
static void calibrate_edges(void)
{
	struct iommu_bench_calibrate c;
	char *big;

	good_cal(&c);
	ok(cal(&c) == 0 && c.ns > 0, "calibrate: valid request times its calls");
	good_cal(&c);
	c.flags = IOMMU_BENCH_CAL_F_TRACEPOINT;
	ok(cal(&c) == 0 && c.ns > 0, "calibrate: with the tracepoint too");
	good_cal(&c);
	c.size = offsetof(struct iommu_bench_calibrate, ns);
	ok(cal(&c) == EINVAL, "calibrate: short struct: EINVAL");
	big = calloc(1, sizeof(c) + 16);
	good_cal(&c);
	c.size = sizeof(c) + 16;
	memcpy(big, &c, sizeof(c));
	big[sizeof(c) + 3] = 1;
	ok(cal(big) == E2BIG, "calibrate: longer struct with a non-zero tail: E2BIG");
	free(big);
	good_cal(&c);
	c.version = IOMMU_BENCH_ABI_VERSION + 1;
	ok(cal(&c) == EINVAL, "calibrate: unknown version: EINVAL");
	good_cal(&c);
	c.flags = 1u << 5;
	ok(cal(&c) == EINVAL, "calibrate: unknown flag: EINVAL");
	good_cal(&c);
	c.calls = 0;
	ok(cal(&c) == EINVAL, "calibrate: zero calls: EINVAL");
	good_cal(&c);
	c.calls = IOMMU_BENCH_MAX_CALLS + 1;
	ok(cal(&c) == EINVAL, "calibrate: too many calls: EINVAL");
	good_cal(&c);
	c.ns = 5;
	ok(cal(&c) == EINVAL, "calibrate: output field set on input: EINVAL");
	/* @spin came later: a caller that ends at @ns spins no turn */
	good_cal(&c);
	c.size = offsetof(struct iommu_bench_calibrate, spin);
	ok(cal(&c) == 0 && c.ns > 0, "calibrate: the size before spin still works");
	good_cal(&c);
	c.spin = 1000;
	ok(cal(&c) == 0 && c.ns > 0, "calibrate: with spin turns");
	good_cal(&c);
	c.spin = IOMMU_BENCH_MAX_SPIN + 1;
	ok(cal(&c) == EINVAL, "calibrate: too many spin turns: EINVAL");
	good_cal(&c);
	c.__reserved = 1;
	ok(cal(&c) == EINVAL, "calibrate: reserved field set: EINVAL");
}

static int parse_dev(const char *name, struct iommu_bench_dev *d)
{
	unsigned int seg, bus, slot, fn;

	if (sscanf(name, "%x:%x:%x.%x", &seg, &bus, &slot, &fn) != 4)
		return -1;
	memset(d, 0, sizeof(*d));
	d->segment = seg;
	d->bus = bus;
	d->devfn = (slot << 3) | fn;
	return 0;
}

/*
 * One request on DEVICE, as a caller of the raw ioctl makes it: check
 * only (@cycles 0) or @cycles real cycles; ARGS: [MODE [OWNER]]
 * [--force-net].
 */
static int one_request(int argc, char **argv, unsigned int cycles)
{
	struct iommu_bench_run r;
	int i, e;

	fd = open(CONTROL, O_RDWR);
	if (fd < 0) {
		perror(CONTROL);
		return 1;
	}
	good(&r);
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--force-net"))
			r.devs[0].flags |= IOMMU_BENCH_DEV_F_NET_UP;
		else if (i == 0)
			r.mode = atoi(argv[i]);
		else if (parse_dev(argv[i], &r.owner))
			return 2;
	}
	if (cycles) {
		r.flags = 0;
		r.cycles = cycles;
	}
	e = run(&r);
	if (cycles)
		printf("errno %d cycles_done %u\n", e, r.cycles_done);
	else
		printf("errno %d\n", e);
	return 0;
}

static int present(void)
{
	char p[96];

	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s", devname);
	return !access(p, F_OK);
}

int main(int argc, char **argv)
{
	struct iommu_bench_run r;
	char *big;
	pid_t child;
	int st;

	int check = argc >= 3 && !strcmp(argv[1], "--check");
	int real = argc >= 4 && !strcmp(argv[1], "--run");
	const char *name = argv[real ? 3 : check ? 2 : 1];

	if ((argc != 2 && !check && !real) || parse_dev(name, &dev)) {
		fprintf(stderr, "usage: ioctl_abi [--check | --run N] DDDD:BB:DD.F [MODE [OWNER]] [--force-net]\n");
		return 2;
	}
	snprintf(devname, sizeof(devname), "%s", name);
	if (check || real)
		return one_request(argc - (real ? 4 : 3), argv + (real ? 4 : 3),
				   real ? atoi(argv[2]) : 0);
	printf("1..43\n");
	fd = open(CONTROL, O_RDWR);
	ok(fd >= 0, "control device opens");

	good(&r);
	ok(run(&r) == 0, "valid check-only request");
	good(&r);
	r.size = offsetof(struct iommu_bench_run, cycles_done);
	ok(run(&r) == EINVAL, "short struct: EINVAL");
	good(&r);
	r.size = 0;
	ok(run(&r) == EINVAL, "size 0: EINVAL");

	big = calloc(1, sizeof(r) + 64);
	good(&r);
	r.size = sizeof(r) + 64;
	memcpy(big, &r, sizeof(r));
	ok(run(big) == 0, "longer struct with a zero tail: accepted");
	big[sizeof(r) + 10] = 1;
	ok(run(big) == E2BIG, "longer struct with a non-zero tail: E2BIG");
	free(big);
	good(&r);
	r.size = 1 << 20;
	ok(run(&r) == E2BIG, "size over a page: E2BIG");

	good(&r);
	r.version = IOMMU_BENCH_ABI_VERSION + 1;
	ok(run(&r) == EINVAL, "unknown version: EINVAL");
	good(&r);
	r.version = 1;
	ok(run(&r) == EINVAL, "version 1 (debugfs control, 16-bit segments): EINVAL");
	good(&r);
	r.flags |= 1u << 7;
	ok(run(&r) == EINVAL, "unknown flag: EINVAL");
	good(&r);
	r.__reserved = 1;
	ok(run(&r) == EINVAL, "reserved field set: EINVAL");
	good(&r);
	r.devs[0].flags = 1u << 7;
	ok(run(&r) == EINVAL, "unknown device flag: EINVAL");
	good(&r);
	r.owner.flags = 1u << 7;
	ok(run(&r) == EINVAL, "unknown owner flag: EINVAL");
	good(&r);
	r.version = IOMMU_BENCH_ABI_MIN_VERSION;
	ok(run(&r) == 0, "the oldest version still taken (version 2)");
	good(&r);
	r.version = 2;
	r.devs[0].flags = IOMMU_BENCH_DEV_F_NET_UP;
	ok(run(&r) == EINVAL, "a device flag from a version 2 caller, which has none: EINVAL");
	good(&r);
	r.devs[3].bus = 1;
	ok(run(&r) == EINVAL, "unused device entry not zero: EINVAL");
	good(&r);
	r.cycles = 0;
	ok(run(&r) == EINVAL, "zero cycles: EINVAL");
	good(&r);
	r.cycles = IOMMU_BENCH_MAX_CYCLES + 1;
	ok(run(&r) == EINVAL, "too many cycles: EINVAL");
	good(&r);
	r.ndevs = IOMMU_BENCH_MAX_DEVICES + 1;
	ok(run(&r) == EINVAL, "too many devices: EINVAL");
	good(&r);
	r.mode = 99;
	ok(run(&r) == EINVAL, "unknown mode: EINVAL");
	good(&r);
	r.devs[0].devfn = (0x1e << 3) | 7;
	ok(run(&r) == ENODEV, "absent device: ENODEV");
	good(&r);
	r.devs[0].segment += 0x10000;
	ok(run(&r) == ENODEV, "the same address in segment +0x10000: ENODEV, not truncated to it");
	good(&r);
	r.owner = dev;
	ok(run(&r) == EINVAL, "owner in remove mode: EINVAL");
	good(&r);
	r.timings_len = 1;
	r.cycles = 2;
	ok(run(&r) == EINVAL, "timings array too short: EINVAL");
	good(&r);
	r.cycles_done = 1;
	ok(run(&r) == EINVAL, "output field set on input: EINVAL");
	ok(ioctl(fd, _IO(IOMMU_BENCH_TYPE, 0x82), &r) && errno == ENOTTY,
	   "unknown ioctl: ENOTTY");
	/* a descriptor passed to an unprivileged process does not do */
	child = fork();
	if (child == 0) {
		good(&r);
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		_exit(run(&r));
	}
	waitpid(child, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == EPERM,
	   "an open descriptor in an unprivileged process: EPERM");
	calibrate_edges();

	/* A real cycle whose timings cannot be written: EFAULT, device back. */
	good(&r);
	r.flags = 0;
	r.timings_uptr = 8;
	r.timings_len = 1;
	ok(run(&r) == EFAULT && present(), "bad timings pointer: EFAULT, device still there");

	/* One run at a time; a signal stops a run between cycles. */
	child = fork();
	if (child == 0) {
		good(&r);
		r.flags = 0;
		r.cycles = 500;
		r.timings_uptr = 0;
		_exit(run(&r));
	}
	usleep(300000);
	good(&r);
	ok(run(&r) == EBUSY, "second run while one is going: EBUSY");
	kill(child, SIGINT);
	waitpid(child, &st, 0);
	ok(WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) == EINTR) ?
	   present() : 0, "a signal stops the run, the device is there");
	close(fd);
	return failed ? 1 : 0;
}
