/* SPDX-License-Identifier: GPL-2.0 */
/* meta.json: what was run, where, how, and how far it can be trusted. */
#ifndef IB_META_H
#define IB_META_H

#include <json-c/json.h>

/*
 * Kernel, machine and IOMMU facts of the running system: kernel_release,
 * kernel_version, machine, boot_id, iommu_units and iommu_driver (null
 * when none is found).
 *
 * Return: a new JSON object (json_object_put() it), never NULL.
 */
json_object *ib_meta_system(void);
/*
 * The IOMMU driver family of this system, by /sys/class/iommu's units
 * (or the driver of a SoC IOMMU's device, or a bound virtio-iommu).
 *
 * Return: its probe pack's name ("intel", "amd", ...), a string
 * constant, or NULL if none is found.
 */
const char *ib_meta_iommu_driver(void);
struct ib_account_stats;
/* Add what the accounting made of the events, @st, to object @trace. */
void ib_meta_add_account(json_object *trace, const struct ib_account_stats *st);
/*
 * Write @obj to @path, pretty-printed, atomically (ib_afile).
 *
 * Return: 0, or a negative errno.
 */
int ib_meta_write(const char *path, json_object *obj);
/*
 * Refuse a meta.json (read from @path, named in messages) whose fields
 * have other types than the writer gives them, or that lacks a required
 * one (a merged run's boots, too).
 *
 * Return: 0, or -EINVAL with the field named in @err.
 */
int ib_meta_validate(json_object *m, const char *path, char *err, size_t errlen);
/*
 * The value at dotted @path ("system.boot_id") in @o; @found (may be
 * NULL) says whether the key was there.
 *
 * Return: the value (owned by @o), or NULL when absent or JSON null.
 */
json_object *ib_meta_get(json_object *o, const char *path, int *found);
/*
 * What tells boot @boot (a meta.json) from another: its boot_id, or for
 * a run written before meta.json had one, when it started and on what
 * kernel version.
 *
 * Return: that key (free() it), or NULL when the boot has neither.
 */
char *ib_meta_boot_key(json_object *boot);
/* The current time as ISO 8601 UTC ("2024-04-10T12:00:00Z") into @buf. */
void ib_meta_now(char *buf, size_t len);

#endif
