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

/*
 * Read and parse the file @path.
 *
 * Return: the configuration (ib_conf_free() it), or NULL with errno set
 * and the reason in @err: "path: strerror" when it cannot be read, or
 * "file:line: what" for a bad line (errno EINVAL).
 */
struct ib_conf *ib_conf_load(const char *path, char *err, size_t errlen);
/*
 * Parse @text, named @name in messages and by ib_conf_name().
 *
 * Return: the configuration (ib_conf_free() it), or NULL with errno
 * EINVAL and "name:line: what" in @err.
 */
struct ib_conf *ib_conf_parse(const char *text, const char *name,
			      char *err, size_t errlen);
/* Free @conf and its strings; NULL is ignored. */
void ib_conf_free(struct ib_conf *conf);

/*
 * The name of the @index-th section (from 0) in file order; the part
 * before the first header is not one of them.
 *
 * Return: the name, or NULL past the end.
 */
const char *ib_conf_section(const struct ib_conf *conf, int index);
/*
 * The value of @key in @section ("" for the part before any header).
 *
 * Return: the value (owned by @conf), or NULL when absent.
 */
const char *ib_conf_get(const struct ib_conf *conf, const char *section,
			const char *key);
/* Like ib_conf_get().  Return: the value, or @def when absent. */
const char *ib_conf_get_or(const struct ib_conf *conf, const char *section,
			   const char *key, const char *def);
/* Return: the file's name as given to ib_conf_load() or ib_conf_parse(). */
const char *ib_conf_name(const struct ib_conf *conf);
/*
 * Where @key of @section is, or the section's header (@key NULL or
 * absent).
 *
 * Return: the line, from 1; 0 when @section is not there, and for the
 * header of the part before any header (which has none).
 */
int ib_conf_line(const struct ib_conf *conf, const char *section,
		 const char *key);
/*
 * Check every key of @section against the NULL-terminated @known.
 *
 * Return: 0, or -EINVAL for a key not in @known, with "file:line:
 * unknown key 'KEY' in [SECTION]; known: ..." in @err.
 */
int ib_conf_known_keys(const struct ib_conf *conf, const char *section,
		       const char *const *known, char *err, size_t errlen);

#endif
