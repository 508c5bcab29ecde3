// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "dev_inuse.h"
#include "util.h"

/* Is the sysfs device behind @link below PCI device @pci_name? */
static int below(const char *link, const char *pci_name)
{
	char real[PATH_MAX], *needle;
	int hit;

	if (!realpath(link, real))
		return 0;
	needle = ib_xasprintf("/%s/", pci_name);
	strcat(real, "/");
	hit = strstr(real, needle) != NULL;
	free(needle);
	return hit;
}

/*
 * Is the block device at @sysdir (/sys/dev/block/M:m, or an entry of a
 * slaves/ directory) below @pci, itself or through what it is built on:
 * device-mapper (LVM, dm-crypt) and md list theirs in slaves/, a
 * partition in its disk's.  @depth stacked layers at most.
 */
static int sysblock_below(const char *sysdir, const char *pci, int depth)
{
	char *slaves, *part;
	struct dirent *e;
	struct stat st;
	int hit = 0;
	DIR *d;

	if (below(sysdir, pci))
		return 1;
	if (depth <= 0)
		return 0;
	part = ib_xasprintf("%s/partition", sysdir);
	slaves = ib_xasprintf(stat(part, &st) ? "%s/slaves" : "%s/../slaves",
			      sysdir);
	d = opendir(slaves);
	while (d && !hit && (e = readdir(d))) {
		char *sub;

		if (e->d_name[0] == '.')
			continue;
		sub = ib_xasprintf("%s/%s", slaves, e->d_name);
		hit = sysblock_below(sub, pci, depth - 1);
		free(sub);
	}
	if (d)
		closedir(d);
	free(slaves);
	free(part);
	return hit;
}

static int block_below(unsigned int maj, unsigned int min, const char *pci)
{
	char link[64];

	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", maj, min);
	return sysblock_below(link, pci, 8);
}

/*
 * Is any device of the btrfs whose devices include the block device at
 * @sysdir below @pci?  Its mount shows one device, and an anonymous
 * major:minor (0:N).
 */
static int btrfs_below(const char *sysdir, const char *pci)
{
	char me[PATH_MAX], it[PATH_MAX];
	glob_t fs = { 0 };
	int hit = 0;
	size_t i;

	if (!realpath(sysdir, me) ||
	    glob("/sys/fs/btrfs/*/devices/*", 0, NULL, &fs))
		return 0;
	for (i = 0; i < fs.gl_pathc && !hit; i++) {
		size_t len = strrchr(fs.gl_pathv[i], '/') - fs.gl_pathv[i];
		size_t j;

		if (!realpath(fs.gl_pathv[i], it) || strcmp(it, me))
			continue;
		/* the same file system: every one of its devices */
		for (j = 0; j < fs.gl_pathc && !hit; j++)
			if (!strncmp(fs.gl_pathv[j], fs.gl_pathv[i], len + 1))
				hit = sysblock_below(fs.gl_pathv[j], pci, 8);
	}
	globfree(&fs);
	return hit;
}

/*
 * A mount's block device: its major:minor, or, where that is anonymous
 * (btrfs), its source's.  0 if it has none (tmpfs, overlay, NFS).
 */
static int mount_below(unsigned int maj, unsigned int min, const char *src,
		       const char *fstype, const char *pci)
{
	struct stat st;
	char link[64];

	if (maj)
		return block_below(maj, min, pci);
	if (src[0] != '/' || stat(src, &st) || !S_ISBLK(st.st_mode))
		return 0;
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u",
		 major(st.st_rdev), minor(st.st_rdev));
	return sysblock_below(link, pci, 8) ||
	       (!strcmp(fstype, "btrfs") && btrfs_below(link, pci));
}

/* The reasons below are "holds ...", "is ...": after the device's name. */
static char *mounts(const char *pci)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096], where[2048], src[1024], fstype[64];
	unsigned int maj, min;
	char *why = NULL;

	while (f && !why && fgets(line, sizeof(line), f)) {
		char *dash;

		/* "36 35 98:0 / /mnt rw ... - ext3 /dev/root rw" */
		if (sscanf(line, "%*u %*u %u:%u %*s %2047s", &maj, &min, where) != 3)
			continue;
		dash = strstr(line, " - ");
		if (!dash || sscanf(dash, " - %63s %1023s", fstype, src) != 2) {
			strcpy(fstype, "?");
			strcpy(src, "?");
		}
		if (!mount_below(maj, min, src, fstype, pci))
			continue;
		why = ib_xasprintf("holds the mounted file system %s (%s)",
				   where, src);
	}
	if (f)
		fclose(f);
	return why;
}

static char *swaps(const char *pci)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[1024], dev[1024];
	struct stat st;
	char *why = NULL;

	while (f && !why && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%1023s", dev) != 1 || dev[0] != '/')
			continue;
		if (stat(dev, &st) || !S_ISBLK(st.st_mode))
			continue;
		if (block_below(major(st.st_rdev), minor(st.st_rdev), pci))
			why = ib_xasprintf("holds swap %s", dev);
	}
	if (f)
		fclose(f);
	return why;
}

static char *consoles(const char *pci)
{
	char *active = ib_read_file("/sys/class/tty/console/active", NULL);
	char **names, *why = NULL;
	int n, i, found = 0;

	if (!active)
		return NULL;
	names = ib_split_words(active, &n);
	for (i = 0; i < n && !found; i++) {
		char *link = ib_xasprintf("/sys/class/tty/%s/device", names[i]);

		found = below(link, pci);
		free(link);
		/* a virtual terminal draws on a frame buffer: fb0's device */
		if (!found && !strncmp(names[i], "tty", 3) &&
		    names[i][3] >= '0' && names[i][3] <= '9')
			found = below("/sys/class/graphics/fb0/device", pci);
		if (found)
			why = ib_xasprintf("is the device of console %s", names[i]);
	}
	ib_free_words(names);
	free(active);
	return why;
}

/* IFF_UP of /sys/class/net/IF/flags, as the module reads it */
#define IB_IFF_UP 0x1

static char *netdevs(const char *pci)
{
	glob_t g;
	char *why = NULL;
	size_t i;

	if (glob("/sys/class/net/*", 0, NULL, &g))
		return NULL;
	for (i = 0; i < g.gl_pathc && !why; i++) {
		char *link = ib_xasprintf("%s/device", g.gl_pathv[i]);
		char *path = ib_xasprintf("%s/flags", g.gl_pathv[i]);
		char *flags = below(link, pci) ? ib_read_file(path, NULL) : NULL;

		if (flags && (strtoul(flags, NULL, 0) & IB_IFF_UP))
			why = ib_xasprintf("has network interface %s up (--force-net %s takes it anyway)",
					   strrchr(g.gl_pathv[i], '/') + 1, pci);
		free(flags);
		free(path);
		free(link);
	}
	globfree(&g);
	return why;
}

/*
 * NVMe native multipath: the disk hangs off its subsystem, and below the
 * controller is only a hidden path (nvmeXcYnZ), as the module sees it.
 */
static char *nvme_paths(const char *pci)
{
	char *pat = ib_xasprintf("/sys/bus/pci/devices/%s/nvme/*/nvme*c*n*", pci);
	char *why = NULL;
	glob_t g;

	if (!glob(pat, 0, NULL, &g) && g.gl_pathc)
		why = ib_xasprintf("its disk %s is a path of an NVMe multipath disk, whose use cannot be seen from it",
				   strrchr(g.gl_pathv[0], '/') + 1);
	globfree(&g);
	free(pat);
	return why;
}

int ib_dev_in_use(const char *pci_name, int net_ok, char *err, size_t errlen)
{
	char *why = mounts(pci_name);

	if (!why)
		why = swaps(pci_name);
	if (!why)
		why = consoles(pci_name);
	if (!why)
		why = nvme_paths(pci_name);
	if (!why && !net_ok)
		why = netdevs(pci_name);
	if (!why)
		return 0;
	snprintf(err, errlen, "%s", why);
	free(why);
	return -EBUSY;
}
