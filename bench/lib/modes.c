// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "kmod_ctl.h"
#include "modes.h"

const struct ib_mode_info ib_mode_table[] = {
	{ "remove", IOMMU_BENCH_MODE_REMOVE, { "remove", "rescan" }, 0,
	  "PCI remove + rescan of each device: the real release path" },
	{ "unbind", IOMMU_BENCH_MODE_UNBIND, { "unbind", "bind" }, 0,
	  "driver unbind + bind of each device: no IOMMU release" },
	{ "owned", IOMMU_BENCH_MODE_OWNED, { "remove", "rescan" }, 1,
	  "--owner claims the group (blocked, as VFIO), then remove + rescan of each device of it" },
	{ "claim", IOMMU_BENCH_MODE_CLAIM, { "claim", "release" }, 0,
	  "bind the owning driver (claim: group to blocked), unbind it (release)" },
	{ "group", IOMMU_BENCH_MODE_GROUP, { "remove", "rescan" }, 0,
	  "every device of one IOMMU group, all named: removed in turn, one rescan" },
};

const int ib_nmodes = sizeof(ib_mode_table) / sizeof(ib_mode_table[0]);

const struct ib_mode_info *ib_mode_find(const char *name)
{
	int i;

	for (i = 0; i < ib_nmodes; i++)
		if (!strcmp(ib_mode_table[i].name, name))
			return &ib_mode_table[i];
	return NULL;
}
