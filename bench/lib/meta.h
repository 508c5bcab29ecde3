/* SPDX-License-Identifier: GPL-2.0 */
/* meta.json: what was run, where, how, and how far it can be trusted. */
#ifndef IB_META_H
#define IB_META_H

#include <json-c/json.h>

/* Kernel, machine and IOMMU facts of the running system. */
json_object *ib_meta_system(void);
/* The IOMMU driver family ("intel", "amd", ...) or NULL if none found. */
const char *ib_meta_iommu_driver(void);
struct ib_account_stats;
/* What the accounting made of the events, into a "trace" object. */
void ib_meta_add_account(json_object *trace, const struct ib_account_stats *st);
/* Write @obj to @path atomically; -errno. */
int ib_meta_write(const char *path, json_object *obj);
/*
 * Refuse a meta.json (at @path) whose fields have other types than the
 * writer gives them, naming the field in @err; 0 or -EINVAL.
 */
int ib_meta_validate(json_object *m, const char *path, char *err, size_t errlen);
/*
 * The value at dotted @path ("system.boot_id") in @o: NULL when absent
 * or JSON null; @found (may be NULL) says whether the key was there.
 */
json_object *ib_meta_get(json_object *o, const char *path, int *found);
/* What tells one boot from another (boot_id), NULL if nothing does;
 * the caller frees it. */
char *ib_meta_boot_key(json_object *boot);
/* Current time as ISO 8601 UTC. */
void ib_meta_now(char *buf, size_t len);

#endif
