/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf_data.c's and perf_samples.c's shared view of a perf.data: perf's
 * constants, the file header, and the attrs the samples are laid out by.
 */
#ifndef IB_PERF_DATA_INT_H
#define IB_PERF_DATA_INT_H

#include <stdint.h>
#include <string.h>

#include "perf_data.h"

/* perf's own record types (tools/lib/perf/include/perf/event.h) */
#define IB_PERF_RECORD_HEADER_TRACING_DATA	66
#define IB_PERF_RECORD_AUXTRACE		71
#define IB_PERF_RECORD_COMPRESSED	81
/* header features (tools/perf/util/header.h) */
#define IB_FEAT_TRACING_DATA	1
#define IB_FEAT_OSRELEASE	4
#define IB_FEAT_ARCH		6
#define IB_FEAT_NRCPUS		7
#define IB_FEAT_CMDLINE		11
#define IB_FEAT_DIR_FORMAT	24
#define IB_FEAT_COMPRESSED	27
#define IB_FEAT_BITS		256
#define IB_PERF_MAX_CPUS	8192
#define IB_PERF_RAW_MAX		65536	/* a record's u16 size bounds its raw part */

struct section {
	uint64_t offset, size;
};

struct file_header {
	char magic[8];
	uint64_t size;
	uint64_t attr_size;
	struct section attrs, data, event_types;
	uint64_t features[IB_FEAT_BITS / 64];
};

struct attr {
	uint32_t type;
	int sample_id_all;	/* other records end in the sample's ids */
	uint64_t sample_type, read_format;
	const unsigned char *ids;	/* nids u64s, in the mapping */
	size_t nids;
};

struct ib_perf_data {
	const unsigned char *map;
	size_t len;
	struct file_header h;
	struct attr *attrs;
	size_t nattrs;
	struct tep_handle *tep;
	struct ib_perf_info info;
};

/* [@off, @off + @n) lies in the file */
static inline int in_file(const struct ib_perf_data *pd, uint64_t off, uint64_t n)
{
	return off <= pd->len && n <= pd->len - off;
}

static inline uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#endif
