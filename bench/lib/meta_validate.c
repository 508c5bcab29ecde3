// SPDX-License-Identifier: GPL-2.0
/*
 * meta.json as read back: every field compare and merge use has the type
 * the writer gave it, or the run is refused naming the field.  json-c
 * asserts (and the process aborts) on an array call on a non-array.
 */
#include <errno.h>
#include <string.h>

#include "meta.h"
#include "util.h"

enum want { W_STR, W_STR_OR_NULL, W_INT, W_BOOL, W_OBJ, W_STR_ARRAY, W_OBJ_ARRAY };

static const struct field {
	const char *path;
	enum want want;
	int required;
} fields[] = {
	{ "status", W_STR, 1 },
	{ "label", W_STR, 0 },
	{ "started", W_STR, 0 },
	{ "system", W_OBJ, 0 },
	{ "system.kernel_release", W_STR, 0 },
	{ "system.kernel_version", W_STR, 0 },
	{ "system.boot_id", W_STR, 0 },
	{ "system.iommu_driver", W_STR_OR_NULL, 0 },
	{ "config", W_OBJ, 1 },
	{ "config.mode", W_STR, 1 },
	{ "config.devices", W_STR_ARRAY, 0 },
	{ "config.cycles", W_INT, 0 },
	{ "trace", W_OBJ, 0 },
	{ "trace.lost_events", W_BOOL, 0 },
	{ "probe_cost", W_OBJ, 0 },
	{ "probe_cost.hit_ns", W_OBJ, 0 },
	{ "release_function", W_STR_OR_NULL, 0 },
	{ "core_function", W_STR_OR_NULL, 0 },
	{ "boots", W_OBJ_ARRAY, 0 },
	{ "clock_unit", W_STR, 0 },
	{ "icount_shift", W_INT, 0 },
};

static const char *const want_name[] = {
	[W_STR] = "a string", [W_STR_OR_NULL] = "a string or null",
	[W_INT] = "an integer", [W_BOOL] = "true or false",
	[W_OBJ] = "an object", [W_STR_ARRAY] = "an array of strings",
	[W_OBJ_ARRAY] = "an array of objects",
};

json_object *ib_meta_get(json_object *o, const char *path, int *found)
{
	char *copy = ib_xstrdup(path), *tok, *save = NULL;
	json_object *cur = o;
	int dummy;

	if (!found)
		found = &dummy;
	*found = 1;
	for (tok = strtok_r(copy, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		if (json_object_get_type(cur) != json_type_object ||
		    !json_object_object_get_ex(cur, tok, &cur)) {
			*found = 0;
			cur = NULL;
			break;
		}
	free(copy);
	return cur;
}

static int all_of(json_object *a, json_type t)
{
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++)
		if (json_object_get_type(json_object_array_get_idx(a, i)) != t)
			return 0;
	return 1;
}

static int has_type(json_object *v, enum want w)
{
	json_type t = json_object_get_type(v);

	switch (w) {
	case W_STR:
		return t == json_type_string;
	case W_STR_OR_NULL:
		return t == json_type_string || t == json_type_null;
	case W_INT:
		return t == json_type_int;
	case W_BOOL:
		return t == json_type_boolean;
	case W_OBJ:
		return t == json_type_object;
	case W_STR_ARRAY:
		return t == json_type_array && all_of(v, json_type_string);
	case W_OBJ_ARRAY:
	default:
		return t == json_type_array && all_of(v, json_type_object);
	}
}

static int check(json_object *m, const char *where, int depth, char *err,
		 size_t errlen)
{
	size_t i;
	int found;

	if (json_object_get_type(m) != json_type_object) {
		snprintf(err, errlen, "%s: not a JSON object", where);
		return -EINVAL;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_object *v = ib_meta_get(m, fields[i].path, &found);

		/* a merged run's boots may keep only what they add */
		if (!found && (!fields[i].required || depth))
			continue;
		if (!found) {
			snprintf(err, errlen, "%s: no %s", where, fields[i].path);
			return -EINVAL;
		}
		if (!has_type(v, fields[i].want)) {
			snprintf(err, errlen, "%s: %s is not %s", where,
				 fields[i].path, want_name[fields[i].want]);
			return -EINVAL;
		}
	}
	if (!json_object_object_get_ex(m, "boots", &m))
		return 0;
	if (depth) {
		snprintf(err, errlen, "%s: a boot has boots of its own", where);
		return -EINVAL;
	}
	for (i = 0; i < json_object_array_length(m); i++) {
		char *w = ib_xasprintf("%s: boots[%zu]", where, i);
		int ret = check(json_object_array_get_idx(m, i), w, 1, err, errlen);

		free(w);
		if (ret)
			return ret;
	}
	return 0;
}

int ib_meta_validate(json_object *m, const char *path, char *err, size_t errlen)
{
	return check(m, path, 0, err, errlen);
}

/*
 * What tells one boot from another: the kernel's boot_id, or for a run
 * written before meta.json had it, when it started and on what kernel.
 */
char *ib_meta_boot_key(json_object *boot)
{
	json_object *id = ib_meta_get(boot, "system.boot_id", NULL);
	json_object *started = ib_meta_get(boot, "started", NULL);
	json_object *kv = ib_meta_get(boot, "system.kernel_version", NULL);

	if (id)
		return ib_xstrdup(json_object_get_string(id));
	if (!started)
		return NULL;	/* nothing tells it apart */
	return ib_xasprintf("%s %s", json_object_get_string(started),
			    kv ? json_object_get_string(kv) : "?");
}
