// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "devcheck.h"
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

static int block_below(unsigned int maj, unsigned int min, const char *pci)
{
	char link[64];

	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", maj, min);
	return below(link, pci);
}

static int mounts(const char *pci)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096], where[2048], src[1024];
	unsigned int maj, min;
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f)) {
		char *dash;

		/* "36 35 98:0 / /mnt rw ... - ext3 /dev/root rw" */
		if (sscanf(line, "%*u %*u %u:%u %*s %2047s", &maj, &min, where) != 3)
			continue;
		if (!maj || !block_below(maj, min, pci))
			continue;
		dash = strstr(line, " - ");
		if (!dash || sscanf(dash, " - %*s %1023s", src) != 1)
			strcpy(src, "?");
		ib_err("%s: holds the mounted file system %s (%s), refusing to remove it",
		       pci, where, src);
		found = 1;
	}
	if (f)
		fclose(f);
	return found;
}

static int swaps(const char *pci)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[1024], dev[1024];
	struct stat st;
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%1023s", dev) != 1 || dev[0] != '/')
			continue;
		if (stat(dev, &st) || !S_ISBLK(st.st_mode))
			continue;
		if (block_below(major(st.st_rdev), minor(st.st_rdev), pci)) {
			ib_err("%s: holds swap %s, refusing to remove it", pci, dev);
			found = 1;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static int consoles(const char *pci)
{
	char *active = ib_read_file("/sys/class/tty/console/active", NULL);
	char **names;
	int n, i, found = 0;

	if (!active)
		return 0;
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
			ib_err("%s: is the device of console %s, refusing to remove it",
			       pci, names[i]);
	}
	ib_free_words(names);
	free(active);
	return found;
}

int ib_dev_in_use(const char *pci_name)
{
	return mounts(pci_name) || swaps(pci_name) || consoles(pci_name);
}
