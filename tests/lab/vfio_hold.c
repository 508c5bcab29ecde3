// SPDX-License-Identifier: GPL-2.0
/*
 * Hold an IOMMU group as a VFIO user-space driver does, for the lab's
 * owned-mode comparison: open /dev/vfio/GROUP, put it in a container (the
 * kernel claims the group's DMA ownership for user space: the group goes
 * to the blocked domain), and with "type1" also set the container's
 * IOMMU (the group goes to an unmanaged domain of its own).  Says "held"
 * on stdout and keeps the group until stdin ends.
 *
 *   vfio_hold GROUP [type1]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

static int fail(const char *what)
{
	fprintf(stderr, "vfio_hold: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[64], buf[64];
	int container, group;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "type1"))) {
		fprintf(stderr, "usage: vfio_hold GROUP [type1]\n");
		return 2;
	}
	container = open("/dev/vfio/vfio", O_RDWR);
	if (container < 0)
		return fail("/dev/vfio/vfio");
	if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return fail("VFIO_GET_API_VERSION");
	snprintf(path, sizeof(path), "/dev/vfio/%s", argv[1]);
	group = open(path, O_RDWR);
	if (group < 0)
		return fail(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &st))
		return fail("VFIO_GROUP_GET_STATUS");
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		fprintf(stderr, "vfio_hold: group %s is not viable (a member has a driver that is not VFIO's)\n",
			argv[1]);
		return 1;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		return fail("VFIO_GROUP_SET_CONTAINER");
	if (argc == 3 && ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return fail("VFIO_SET_IOMMU");
	printf("held\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	ioctl(group, VFIO_GROUP_UNSET_CONTAINER);
	close(group);
	close(container);
	return 0;
}
