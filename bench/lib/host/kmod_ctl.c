// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kmod_ctl.h"

/*
 * Hex digits only, @digits at most: scanf's %x would also take "0x",
 * signs and spaces.
 */
static int hex_field(const char **s, char stop, size_t digits,
		     unsigned int max, unsigned int *v)
{
	size_t n = strspn(*s, "0123456789abcdefABCDEF");
	char buf[16];

	if (!n || n > digits || (*s)[n] != stop)
		return -EINVAL;
	memcpy(buf, *s, n);
	buf[n] = '\0';
	*v = (unsigned int)strtoul(buf, NULL, 16);
	*s += n + (stop ? 1 : 0);
	return *v > max ? -EINVAL : 0;
}

int ib_pci_parse(const char *s, struct iommu_bench_dev *dev)
{
	unsigned int seg = 0, bus, slot, fn;
	const char *colon = strchr(s, ':');

	/* "DDDD:BB:DD.F" has two colons, "BB:DD.F" one */
	if (colon && strchr(colon + 1, ':') &&
	    hex_field(&s, ':', 8, 0xffffffff, &seg))
		return -EINVAL;
	if (hex_field(&s, ':', 4, 0xff, &bus) ||
	    hex_field(&s, '.', 4, 0x1f, &slot) ||
	    hex_field(&s, '\0', 4, 7, &fn))
		return -EINVAL;
	memset(dev, 0, sizeof(*dev));
	dev->segment = seg;
	dev->bus = bus;
	dev->devfn = (slot << 3) | fn;
	return 0;
}

void ib_pci_format(const struct iommu_bench_dev *dev, char *buf, int len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%d", dev->segment, dev->bus,
		 dev->devfn >> 3, dev->devfn & 7);
}

int ib_kmod_open(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CLOEXEC), e = errno;
	const char *why;

	if (fd >= 0)
		return fd;
	if (e == ENOENT) {
		if (access("/sys/module/iommu_bench", F_OK))
			why = "module iommu_bench is not loaded (insmod iommu_bench.ko)";
		else if (access("/sys/module/iommu_bench/parameters/abi_version", F_OK))
			why = "module iommu_bench is loaded but is an older one, with a debugfs control file: load this version's module";
		else
			why = "module iommu_bench is loaded but its device is not in /dev (devtmpfs not mounted on /dev?)";
	} else if (e == EACCES || e == EPERM) {
		why = "permission denied: run as root";
	} else {
		why = strerror(e);
	}
	snprintf(err, errlen, "%s", why);
	return -e;
}

int ib_kmod_run(int fd, uint32_t flags, uint32_t mode,
		const struct iommu_bench_dev *owner,
		const struct iommu_bench_dev *devs,
		uint32_t ndevs, uint32_t cycles, uint32_t first_cycle,
		struct iommu_bench_timing *timings, uint32_t *cycles_done)
{
	struct iommu_bench_run arg;
	int ret;

	if (ndevs > IOMMU_BENCH_MAX_DEVICES)
		return -E2BIG;
	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.version = IOMMU_BENCH_ABI_VERSION;
	arg.mode = mode;
	arg.flags = flags;
	if (owner)
		arg.owner = *owner;
	arg.cycles = cycles;
	arg.first_cycle = first_cycle;
	arg.ndevs = ndevs;
	memcpy(arg.devs, devs, ndevs * sizeof(*devs));
	if (timings) {
		arg.timings_uptr = (uintptr_t)timings;
		arg.timings_len = cycles * ndevs;
	}
	ret = ioctl(fd, IOMMU_BENCH_RUN, &arg);
	*cycles_done = arg.cycles_done;
	return ret ? -errno : 0;
}

int ib_kmod_calibrate(int fd, uint32_t calls, uint32_t flags, uint32_t spin,
		      uint64_t *ns)
{
	struct iommu_bench_calibrate arg = {
		.size = sizeof(arg),
		.version = IOMMU_BENCH_ABI_VERSION,
		.calls = calls,
		.flags = flags,
		.spin = spin,
	};

	/* a module from before @spin knows a shorter struct: give it that */
	if (!spin)
		arg.size = offsetof(struct iommu_bench_calibrate, spin);

	if (ioctl(fd, IOMMU_BENCH_CALIBRATE, &arg))
		return -errno;
	*ns = arg.ns;
	return 0;
}
