// SPDX-License-Identifier: GPL-2.0
/*
 * A perf.data's data section: its tracepoint samples, laid out by their
 * attr's sample_type (perf_event.h), and its lost records, handed over
 * in time order as libtraceevent records.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <event-parse.h>

#include "perf_data_int.h"
#include "util.h"

struct sample {
	uint64_t ts;
	const unsigned char *raw;
	uint32_t size;
	int cpu;
	int missed;
	size_t seq;		/* file order: ties keep it */
};

static const struct attr *attr_of(const struct ib_perf_data *pd, uint64_t id)
{
	size_t i, j;

	for (i = 0; i < pd->nattrs; i++)
		for (j = 0; j < pd->attrs[i].nids; j++)
			if (pd->attrs[i].ids[j] == id)
				return &pd->attrs[i];
	return NULL;
}

/* The sample layout every attr shares, or NULL if they differ. */
static const struct attr *common_attr(const struct ib_perf_data *pd)
{
	size_t i;

	for (i = 1; i < pd->nattrs; i++)
		if (pd->attrs[i].sample_type != pd->attrs[0].sample_type ||
		    pd->attrs[i].read_format != pd->attrs[0].read_format)
			return NULL;
	return &pd->attrs[0];
}

/* PERF_SAMPLE_READ's size (perf_event.h, read_format) at @p */
static uint64_t read_size(uint64_t rf, const unsigned char *p,
			  const unsigned char *end)
{
	uint64_t each = 8 + (rf & PERF_FORMAT_ID ? 8 : 0) +
			(rf & PERF_FORMAT_LOST ? 8 : 0);
	uint64_t times = (rf & PERF_FORMAT_TOTAL_TIME_ENABLED ? 8 : 0) +
			 (rf & PERF_FORMAT_TOTAL_TIME_RUNNING ? 8 : 0);

	if (!(rf & PERF_FORMAT_GROUP))
		return each + times;
	if (end - p < 8 || get64(p) > (1 << 20))
		return UINT64_MAX;
	return 8 + times + get64(p) * each;
}

/*
 * One PERF_RECORD_SAMPLE's body [@p, @end) (perf_event.h's layout, in
 * its order): 1 and @s filled for a tracepoint's raw record, 0 for
 * another sample, -EINVAL when damaged.
 */
static int parse_sample(const struct ib_perf_data *pd, const struct attr *all,
			const unsigned char *p, const unsigned char *end,
			struct sample *s)
{
	const struct attr *at = all;
	uint64_t st, n;

#define NEED(bytes) do { if ((uint64_t)(end - p) < (uint64_t)(bytes)) return -EINVAL; } while (0)
	if (pd->attrs[0].sample_type & PERF_SAMPLE_IDENTIFIER) {
		NEED(8);
		at = attr_of(pd, get64(p));
	}
	if (!at)
		return 0;	/* an event of no attr: not one of its tracepoints */
	st = at->sample_type;
	if (at->type != PERF_TYPE_TRACEPOINT || !(st & PERF_SAMPLE_RAW))
		return 0;
	s->cpu = 0;
	s->ts = 0;
	p += st & PERF_SAMPLE_IDENTIFIER ? 8 : 0;
	p += st & PERF_SAMPLE_IP ? 8 : 0;
	p += st & PERF_SAMPLE_TID ? 8 : 0;
	if (st & PERF_SAMPLE_TIME) {
		NEED(8);
		s->ts = get64(p);
		p += 8;
	}
	p += st & PERF_SAMPLE_ADDR ? 8 : 0;
	p += st & PERF_SAMPLE_ID ? 8 : 0;
	p += st & PERF_SAMPLE_STREAM_ID ? 8 : 0;
	if (st & PERF_SAMPLE_CPU) {
		NEED(8);
		s->cpu = (int)get32(p);
		p += 8;
	}
	p += st & PERF_SAMPLE_PERIOD ? 8 : 0;
	if (st & PERF_SAMPLE_READ) {
		n = read_size(at->read_format, p, end);
		NEED(n);
		p += n;
	}
	if (st & PERF_SAMPLE_CALLCHAIN) {
		NEED(8);
		n = get64(p);
		if (n > (1 << 20))
			return -EINVAL;
		NEED(8 + 8 * n);
		p += 8 + 8 * n;
	}
	NEED(4);
	s->size = get32(p);
	if (s->size > IB_PERF_RAW_MAX)
		return -EINVAL;
	NEED(4 + (uint64_t)s->size);
	s->raw = p + 4;
#undef NEED
	return s->size >= 8;	/* at least the common fields */
}

static int by_time(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A lost record's CPU, from its sample_id_all trailer; -1 if unknown. */
static int lost_cpu(const struct ib_perf_data *pd, const unsigned char *end)
{
	uint64_t st = pd->attrs[0].sample_type;

	if (!pd->attrs[0].sample_id_all || !(st & PERF_SAMPLE_CPU))
		return -1;
	return (int)get32(end - 8 - (st & PERF_SAMPLE_IDENTIFIER ? 8 : 0));
}

int ib_perf_data_iterate(struct ib_perf_data *pd,
			 int (*fn)(struct tep_record *rec, void *ctx),
			 void *ctx, char *err, size_t errlen)
{
	const unsigned char *p = pd->map + pd->h.data.offset;
	const unsigned char *end = p + pd->h.data.size;
	const struct attr *all = common_attr(pd);
	int ncpu = pd->info.nr_cpus > 0 ? pd->info.nr_cpus : 1;
	char *missed = ib_xcalloc(ncpu, 1), *buf = NULL;
	struct sample *v = NULL;
	size_t n = 0, cap = 0, i;
	int ret = 0;

	if (!all && !(pd->attrs[0].sample_type & PERF_SAMPLE_IDENTIFIER)) {
		snprintf(err, errlen, "its events have different sample layouts and no sample id");
		ret = -EINVAL;
		goto out;
	}
	pd->info.samples = pd->info.lost = 0;
	while (p < end && !ret) {
		uint32_t type;
		uint16_t size;
		uint64_t skip = 0;
		int r, cpu;

		if (end - p < 8 || (size = *(const uint16_t *)(p + 6)) < 8 ||
		    size > end - p) {
			snprintf(err, errlen, "record at %zu is damaged",
				 (size_t)(p - pd->map));
			ret = -EINVAL;
			break;
		}
		type = get32(p);
		switch (type) {
		case PERF_RECORD_SAMPLE:
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				v = ib_xrealloc(v, cap * sizeof(*v));
			}
			r = parse_sample(pd, all, p + 8, p + size, &v[n]);
			if (r < 0) {
				snprintf(err, errlen, "sample at %zu is damaged",
					 (size_t)(p - pd->map));
				ret = -EINVAL;
				break;
			}
			if (!r)
				break;
			v[n].seq = n;
			cpu = v[n].cpu >= 0 && v[n].cpu < ncpu ? v[n].cpu : 0;
			v[n].missed = missed[cpu];
			missed[cpu] = 0;
			n++;
			break;
		case PERF_RECORD_LOST:
		case PERF_RECORD_LOST_SAMPLES:
			/* LOST: u64 id, u64 lost; LOST_SAMPLES: u64 lost */
			if (size < (type == PERF_RECORD_LOST ? 24 : 16)) {
				ret = -EINVAL;
				snprintf(err, errlen, "lost record at %zu is damaged",
					 (size_t)(p - pd->map));
				break;
			}
			pd->info.lost += get64(p + (type == PERF_RECORD_LOST ? 16 : 8));
			cpu = size >= 32 ? lost_cpu(pd, p + size) : -1;
			if (cpu >= 0 && cpu < ncpu)
				missed[cpu] = 1;
			else
				memset(missed, 1, ncpu);
			break;
		case IB_PERF_RECORD_AUXTRACE:
			/* its trace follows the record: u64 size first */
			skip = size >= 16 ? get64(p + 8) : 0;
			break;
		case IB_PERF_RECORD_COMPRESSED:
			snprintf(err, errlen,
				 "recorded compressed (perf record -z): 'perf inject -i FILE -o OUT' writes it out plain");
			ret = -EINVAL;
			break;
		default:
			break;
		}
		if (skip > (uint64_t)(end - p) - size) {
			snprintf(err, errlen, "aux trace at %zu runs past the data",
				 (size_t)(p - pd->map));
			ret = -EINVAL;
		}
		p += size + skip;
	}
	if (ret)
		goto out;
	/* perf writes each CPU's buffer in turn: put them in time order */
	if (n)
		qsort(v, n, sizeof(*v), by_time);
	pd->info.samples = n;
	/*
	 * Each record is handed over in a copy with 128 KiB of zeros after
	 * it: a damaged field offset or __data_loc (16 bits each) then
	 * reads zeros, not past the file's mapping.
	 */
	buf = ib_xcalloc(1, IB_PERF_RAW_MAX + (1 << 17));
	for (i = 0; i < n && !ret; i++) {
		struct tep_record rec;

		memset(&rec, 0, sizeof(rec));
		memcpy(buf, v[i].raw, v[i].size);
		memset(buf + v[i].size, 0, 1 << 17);
		rec.ts = v[i].ts;
		rec.cpu = v[i].cpu;
		rec.data = buf;
		rec.size = (int)v[i].size;
		rec.record_size = rec.size;
		rec.missed_events = v[i].missed;
		ret = fn(&rec, ctx);
	}
out:
	free(buf);
	free(v);
	free(missed);
	return ret;
}
