// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "account.h"
#include "meta.h"
#include "util.h"

/* /sys/class/iommu entry name prefix -> probe pack name */
static const struct {
	const char *prefix;
	const char *driver;
} iommu_names[] = {
	{ "dmar", "intel" },
	{ "ivhd", "amd" },
	{ "smmu3", "arm-smmu-v3" },
	{ "virtio", "virtio" },
};

/*
 * SoC IOMMUs name their unit after their platform device ("ff900000.iommu"):
 * known by the driver the unit's device is bound to instead.
 */
static const struct {
	const char *name;
	const char *driver;
} platform_drivers[] = {
	{ "rk_iommu", "rockchip" },
	{ "mtk-iommu", "mtk" },
};

static const char *platform_driver_pack(const char *unit)
{
	char *dir = ib_xasprintf("/sys/class/iommu/%s/device", unit);
	char *drv = ib_link_base(dir, "driver");
	const char *found = NULL;
	size_t i;

	for (i = 0; drv && i < sizeof(platform_drivers) / sizeof(platform_drivers[0]); i++)
		if (!strcmp(drv, platform_drivers[i].name))
			found = platform_drivers[i].driver;
	free(drv);
	free(dir);
	return found;
}

/* virtio-iommu names its unit after the PCI function it sits on. */
static int virtio_iommu_bound(void)
{
	DIR *d = opendir("/sys/bus/virtio/drivers/virtio_iommu");
	struct dirent *e;
	int bound = 0;

	while (d && !bound && (e = readdir(d)))
		bound = !strncmp(e->d_name, "virtio", 6);
	if (d)
		closedir(d);
	return bound;
}

const char *ib_meta_iommu_driver(void)
{
	DIR *d = opendir("/sys/class/iommu");
	const char *found = NULL;
	struct dirent *e;
	size_t i;

	if (!d)
		return NULL;
	while (!found && (e = readdir(d))) {
		for (i = 0; i < sizeof(iommu_names) / sizeof(iommu_names[0]); i++)
			if (!strncmp(e->d_name, iommu_names[i].prefix,
				     strlen(iommu_names[i].prefix)))
				found = iommu_names[i].driver;
		if (!found && e->d_name[0] != '.')
			found = platform_driver_pack(e->d_name);
	}
	closedir(d);
	if (!found)
		found = virtio_iommu_bound() ? "virtio" : NULL;
	return found;
}

json_object *ib_meta_system(void)
{
	json_object *o = json_object_new_object(), *units;
	struct utsname u;
	struct dirent *e;
	char *id;
	DIR *d;

	if (!uname(&u)) {
		json_object_object_add(o, "kernel_release",
				       json_object_new_string(u.release));
		json_object_object_add(o, "kernel_version",
				       json_object_new_string(u.version));
		json_object_object_add(o, "machine",
				       json_object_new_string(u.machine));
	}
	/* what tells this boot from others when boots are merged */
	id = ib_read_file("/proc/sys/kernel/random/boot_id", NULL);
	if (id) {
		id[strcspn(id, "\n")] = '\0';
		json_object_object_add(o, "boot_id", json_object_new_string(id));
		free(id);
	}
	units = json_object_new_array();
	d = opendir("/sys/class/iommu");
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			json_object_array_add(units,
					       json_object_new_string(e->d_name));
	if (d)
		closedir(d);
	json_object_object_add(o, "iommu_units", units);
	json_object_object_add(o, "iommu_driver",
			       ib_meta_iommu_driver() ?
			       json_object_new_string(ib_meta_iommu_driver()) :
			       NULL);
	return o;
}

void ib_meta_add_account(json_object *o, const struct ib_account_stats *st)
{
	json_object *k = json_object_new_object();
	int i;

	for (i = 0; i < IB_EV_NR; i++)
		json_object_object_add(k, ib_ev_kind_name(i),
				       json_object_new_int64(st->by_kind[i]));
	json_object_object_add(o, "events", k);
	json_object_object_add(o, "unmatched_release_exits",
			       json_object_new_int64(st->unmatched_exits));
	json_object_object_add(o, "open_releases",
			       json_object_new_int64(st->open_releases));
	json_object_object_add(o, "switches_outside_cycles",
			       json_object_new_int64(st->outside_switches));
	json_object_object_add(o, "incomplete_cycles",
			       json_object_new_int64(st->incomplete_cycles));
	json_object_object_add(o, "span_entries_before_run_start",
			       json_object_new_int64(st->unknown_when));
}

int ib_meta_write(const char *path, json_object *obj)
{
	struct ib_afile *af = ib_afile_open(path);

	if (!af)
		return -errno;
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
	      ib_afile_stream(af));
	fputc('\n', ib_afile_stream(af));
	return ib_afile_commit(af);
}

void ib_meta_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
