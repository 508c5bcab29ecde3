/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_conf: the INI-style files under configs/ (experiments, kernel sets,
 * probe packs).  "key = value" lines under "[section]" headers; '#' starts
 * a comment.  Keys before the first header belong to section "".
 */
#ifndef IB_CONF_H
#define IB_CONF_H

#include <stddef.h>

struct ib_conf;

/* Returns NULL and fills @err ("file:line: what") on a bad file. */
struct ib_conf *ib_conf_load(const char *path, char *err, size_t errlen);
struct ib_conf *ib_conf_parse(const char *text, const char *name,
			      char *err, size_t errlen);
void ib_conf_free(struct ib_conf *conf);

/* Sections in file order; returns NULL past the end. */
const char *ib_conf_section(const struct ib_conf *conf, int index);
/* Value of @key in @section, or NULL. */
const char *ib_conf_get(const struct ib_conf *conf, const char *section,
			const char *key);
/* Like ib_conf_get, but @def when absent. */
const char *ib_conf_get_or(const struct ib_conf *conf, const char *section,
			   const char *key, const char *def);
/* The file's name as given to ib_conf_load or ib_conf_parse. */
const char *ib_conf_name(const struct ib_conf *conf);
/* Line of @key in @section, or of the section's header (@key NULL or
 * absent); 0 for the part before any header. */
int ib_conf_line(const struct ib_conf *conf, const char *section,
		 const char *key);
/* -EINVAL, "file:line: unknown key" in @err, for a key of @section not in
 * the NULL-terminated @known. */
int ib_conf_known_keys(const struct ib_conf *conf, const char *section,
		       const char *const *known, char *err, size_t errlen);

#endif
