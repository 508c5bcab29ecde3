/* SPDX-License-Identifier: GPL-2.0 */
/* A perf.data's tracing data section -> a libtraceevent handle. */
#ifndef IB_PERF_TRACING_DATA_H
#define IB_PERF_TRACING_DATA_H

#include <stddef.h>

struct tep_handle;

/*
 * Parse the @len bytes at @data (magic, version, byte order, long and
 * page size, header page, then each system's event formats).  A format
 * of @group named NAME__return (perf probe's return probe) is parsed as
 * NAME_ret.
 *
 * Return: a handle to tep_free(), or NULL with errno EINVAL and the
 * reason in @err.
 */
struct tep_handle *ib_perf_tracing_data_parse(const unsigned char *data,
					      size_t len, const char *group,
					      char *err, size_t errlen);

#endif
