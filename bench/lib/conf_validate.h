/* SPDX-License-Identifier: GPL-2.0 */
/* configs/ files checked whole: experiments and kernel sets. */
#ifndef IB_CONF_VALIDATE_H
#define IB_CONF_VALIDATE_H

#include <stddef.h>

struct ib_conf;

/*
 * Check an experiment (it has [experiment]) or a kernel set whole: every
 * key known, every value of its kind, files it names present (paths from
 * the tree's top).
 *
 * Return: 0, or -EINVAL with the reason in @err, naming file and line
 * ("file:line: [section] key: what").
 */
int ib_conf_validate(const struct ib_conf *conf, char *err, size_t errlen);

#endif
