// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench devices: every PCI function with its IOMMU group and driver,
 * and whether a run may cycle it, or why not.  The reasons are the
 * module's refusals (bridge, VF, PF with VFs, no group) and the
 * collector's own (a mounted file system, swap or console below it), so
 * that a device is picked before a run refuses it.
 */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "dev_inuse.h"
#include "util.h"

#define PCI_DEVICES "/sys/bus/pci/devices"

void cmd_devices_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench devices [options]\n\n"
		"List every PCI function: its class, vendor:device, IOMMU group,\n"
		"driver (and driver_override), and whether 'run' may cycle it; when\n"
		"not, why: a bridge, an SR-IOV VF, a PF with VFs enabled, no IOMMU\n"
		"group, or a mounted file system, swap or console below it.  A\n"
		"device that shares its group is marked: group mode names all of\n"
		"the group's members, owned mode cycles them under one owner.\n"
		"A NIC with a network interface up is marked too (run's\n"
		"--force-net takes it anyway).\n\n"
		"  -y, --yes    only the devices a run may cycle\n"
		"  -h, --help   this text\n\n"
		"Exit status: 0 listed, 1 no PCI devices in sysfs, 2 bad usage.\n");
}

/* The first word of the file @dir/@name, or NULL. */
static char *attr(const char *dir, const char *name)
{
	char *path = ib_xasprintf("%s/%s", dir, name);
	char *s = ib_read_file(path, NULL);

	free(path);
	if (s)
		s[strcspn(s, " \t\n")] = '\0';
	return s;
}

/* How many functions share the IOMMU group @group. */
static int group_size(const char *group)
{
	char *path = ib_xasprintf("/sys/kernel/iommu_groups/%s/devices", group);
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	free(path);
	return n;
}

/* Why @name may not be cycled (free() it), or NULL if it may. */
static char *why_not(const char *name, const char *dir, unsigned long class,
		     const char *group)
{
	char *pf, *numvfs, *why = NULL, use[IB_DEV_IN_USE_LEN];

	if ((class >> 16) == 0x06)
		return ib_xasprintf("a bridge (class %06lx)", class);
	pf = ib_link_base(dir, "physfn");
	if (pf) {
		why = ib_xasprintf("an SR-IOV VF: its PF %s owns it", pf);
		free(pf);
		return why;
	}
	numvfs = attr(dir, "sriov_numvfs");
	if (numvfs && atoi(numvfs) > 0)
		why = ib_xasprintf("a PF with %s SR-IOV VFs enabled, which its release would destroy",
				   numvfs);
	free(numvfs);
	if (!why && ib_dev_in_use(name, 0, use, sizeof(use)) < 0)
		why = ib_xstrdup(use);
	if (!why && !group)
		why = ib_xstrdup("no IOMMU group: its release does not reach the IOMMU core");
	return why;
}

static void show(const char *name, int only_yes)
{
	char *dir = ib_xasprintf("%s/%s", PCI_DEVICES, name);
	char *class_s = attr(dir, "class"), *vendor = attr(dir, "vendor");
	char *device = attr(dir, "device"), *group = ib_link_base(dir, "iommu_group");
	char *driver = ib_link_base(dir, "driver");
	char *override = attr(dir, "driver_override");
	unsigned long class = class_s ? strtoul(class_s, NULL, 16) : 0;
	char *why = why_not(name, dir, class, group), *drv;
	int shared = group ? group_size(group) : 0;

	if (override && (!override[0] || !strcmp(override, "(null)"))) {
		free(override);
		override = NULL;
	}
	drv = override ? ib_xasprintf("%s [override %s]", driver ? driver : "-",
				      override)
		       : ib_xstrdup(driver ? driver : "-");
	if (!only_yes || !why) {
		printf("%-13s %06lx  %4s:%-4s  %5s  %-24s ", name, class,
		       vendor && strlen(vendor) > 2 ? vendor + 2 : "?",
		       device && strlen(device) > 2 ? device + 2 : "?",
		       group ? group : "-", drv);
		if (why)
			printf("no: %s\n", why);
		else if (shared > 1)
			printf("yes, group of %d\n", shared);
		else
			printf("yes\n");
	}
	free(drv);
	free(why);
	free(override);
	free(driver);
	free(group);
	free(device);
	free(vendor);
	free(class_s);
	free(dir);
}

static int pci_only(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

int cmd_devices(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dirent **names;
	int c, i, n, only_yes = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "yh", longopts, NULL)) != -1) {
		switch (c) {
		case 'y':
			only_yes = 1;
			break;
		case 'h':
			cmd_devices_usage(stdout);
			return 0;
		default:
			ib_usage_short(cmd_devices_usage, "devices");
			return 2;
		}
	}
	if (optind < argc) {
		ib_err("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	n = scandir(PCI_DEVICES, &names, pci_only, alphasort);
	if (n <= 0) {
		ib_err("no PCI devices in %s", PCI_DEVICES);
		return 1;
	}
	printf("%-13s %-6s  %-9s  %5s  %-24s %s\n", "device", "class", "id",
	       "group", "driver", "may cycle");
	for (i = 0; i < n; i++) {
		show(names[i]->d_name, only_yes);
		free(names[i]);
	}
	free(names);
	return 0;
}
