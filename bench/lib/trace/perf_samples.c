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

struct id_attr {
	uint64_t id;
	const struct attr *at;
};

static int by_id(const void *a, const void *b)
{
	const struct id_attr *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every sample id of every attr, sorted for attr_of(). */
static struct id_attr *id_table(const struct ib_perf_data *pd, size_t *n)
{
	struct id_attr *t;
	size_t i, j, k = 0;

	for (i = 0; i < pd->nattrs; i++)
		k += pd->attrs[i].nids;
	t = ib_xcalloc(k ? k : 1, sizeof(*t));
	for (i = 0, k = 0; i < pd->nattrs; i++)
		for (j = 0; j < pd->attrs[i].nids; j++, k++) {
			t[k].id = get64(pd->attrs[i].ids + 8 * j);
			t[k].at = &pd->attrs[i];
		}
	qsort(t, k, sizeof(*t), by_id);
	*n = k;
	return t;
}

static const struct attr *attr_of(const struct id_attr *t, size_t n, uint64_t id)
{
	struct id_attr key = { .id = id };
	const struct id_attr *hit = bsearch(&key, t, n, sizeof(*t), by_id);

	return hit ? hit->at : NULL;
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
			const struct id_attr *ids, size_t nids,
			const unsigned char *p, const unsigned char *end,
			struct sample *s)
{
	const struct attr *at = all;
	uint64_t st, n;

#define NEED(bytes) do { if ((uint64_t)(end - p) < (uint64_t)(bytes)) return -EINVAL; } while (0)
/* a u64 field the sample has when @bit is set, passed over */
#define SKIP(bit) do { if (bit) { NEED(8); p += 8; } } while (0)
	if (pd->attrs[0].sample_type & PERF_SAMPLE_IDENTIFIER) {
		NEED(8);
		at = attr_of(ids, nids, get64(p));
	}
	if (!at)
		return 0;	/* an event of no attr: not one of its tracepoints */
	st = at->sample_type;
	if (at->type != PERF_TYPE_TRACEPOINT || !(st & PERF_SAMPLE_RAW))
		return 0;
	s->cpu = 0;
	s->ts = 0;
	SKIP(st & PERF_SAMPLE_IDENTIFIER);
	SKIP(st & PERF_SAMPLE_IP);
	SKIP(st & PERF_SAMPLE_TID);
	if (st & PERF_SAMPLE_TIME) {
		NEED(8);
		s->ts = get64(p);
		p += 8;
	}
	SKIP(st & PERF_SAMPLE_ADDR);
	SKIP(st & PERF_SAMPLE_ID);
	SKIP(st & PERF_SAMPLE_STREAM_ID);
	if (st & PERF_SAMPLE_CPU) {
		NEED(8);
		s->cpu = (int)get32(p);
		p += 8;
	}
	SKIP(st & PERF_SAMPLE_PERIOD);
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
#undef SKIP
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

/*
 * A lost record's CPU, from its sample_id_all trailer (TID, TIME, ID,
 * STREAM_ID, CPU, IDENTIFIER, as set) after @body bytes: -1 if it has
 * none, or the attrs differ in layout.
 */
static int lost_cpu(const struct attr *all, const unsigned char *rec,
		    uint16_t size, unsigned int body)
{
	uint64_t st = all ? all->sample_type : 0;
	unsigned int after = st & PERF_SAMPLE_IDENTIFIER ? 8 : 0;
	unsigned int trailer = 8 * __builtin_popcountll(st & (PERF_SAMPLE_TID |
				PERF_SAMPLE_TIME | PERF_SAMPLE_ID |
				PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU |
				PERF_SAMPLE_IDENTIFIER));

	if (!all || !all->sample_id_all || !(st & PERF_SAMPLE_CPU) ||
	    size < 8 + body + trailer)
		return -1;
	return (int)get32(rec + size - 8 - after);
}

/* The data section's walk: the samples kept, the losses seen. */
struct walk {
	struct ib_perf_data *pd;
	const struct attr *all;
	struct id_attr *ids;
	size_t nids;
	int ncpu;
	char *missed;		/* [ncpu]: a loss since the CPU's last sample */
	struct sample *v;
	size_t n, cap;
	uint64_t lost, lost_samples;
};

static int take_sample(struct walk *w, const unsigned char *p, uint16_t size)
{
	int r, cpu;

	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 4096;
		w->v = ib_xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	r = parse_sample(w->pd, w->all, w->ids, w->nids, p + 8, p + size,
			 &w->v[w->n]);
	if (r <= 0)
		return r;
	w->v[w->n].seq = w->n;
	cpu = w->v[w->n].cpu >= 0 && w->v[w->n].cpu < w->ncpu ? w->v[w->n].cpu : 0;
	w->v[w->n].missed = w->missed[cpu];
	w->missed[cpu] = 0;
	w->n++;
	return 0;
}

/*
 * PERF_RECORD_LOST (u64 id, u64 lost: records the ring buffer dropped)
 * or LOST_SAMPLES (u64 lost: an event's samples dropped; perf 6.1 writes
 * them at the end).  Both count the same drops, so they are summed
 * apart; the next sample of the CPU is flagged.
 */
static int take_lost(struct walk *w, const unsigned char *p, uint16_t size,
		     uint32_t type)
{
	unsigned int body = type == PERF_RECORD_LOST ? 16 : 8;
	int cpu;

	if (size < 8 + body)
		return -EINVAL;
	if (type == PERF_RECORD_LOST)
		w->lost += get64(p + 16);
	else
		w->lost_samples += get64(p + 8);
	cpu = lost_cpu(w->all, p, size, body);
	if (cpu >= 0 && cpu < w->ncpu)
		w->missed[cpu] = 1;
	else
		memset(w->missed, 1, w->ncpu);
	return 0;
}

/*
 * One record of the data section at @p: 0, or -EINVAL with @err filled.
 * *@skip is what follows the record outside its size (aux trace data,
 * tracing data of a file converted from a pipe).
 */
static int take_record(struct walk *w, const unsigned char *p, uint16_t size,
		       uint64_t *skip, char *err, size_t errlen)
{
	uint32_t type = get32(p);
	size_t at = p - w->pd->map;

	*skip = 0;
	switch (type) {
	case PERF_RECORD_SAMPLE:
		if (take_sample(w, p, size) < 0)
			goto bad;
		return 0;
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES:
		if (!take_lost(w, p, size, type))
			return 0;
		snprintf(err, errlen, "lost record at %zu is damaged", at);
		return -EINVAL;
	case IB_PERF_RECORD_AUXTRACE:
		/* u64 size first: its trace follows the record */
		*skip = size >= 16 ? get64(p + 8) : 0;
		return 0;
	case IB_PERF_RECORD_HEADER_TRACING_DATA:
		/* u32 size: the tracing data follows, 8-byte aligned */
		*skip = size >= 12 ? ((uint64_t)get32(p + 8) + 7) & ~7ull : 0;
		return 0;
	case IB_PERF_RECORD_COMPRESSED:
		snprintf(err, errlen,
			 "recorded compressed (perf record -z): 'perf inject -i FILE -o OUT' writes it out plain");
		return -EINVAL;
	default:
		return 0;
	}
bad:
	snprintf(err, errlen, "sample at %zu is damaged", at);
	return -EINVAL;
}

/* Hand the samples over in time order, each in a zero-padded copy. */
static int hand_over(struct walk *w, int (*fn)(struct tep_record *rec, void *ctx),
		     void *ctx)
{
	/*
	 * 128 KiB of zeros after each record: a __data_loc (16-bit offset
	 * and length) then reads zeros, not past the file's mapping; the
	 * formats' fixed offsets are bounded at open.
	 */
	unsigned char *buf = ib_xcalloc(1, IB_PERF_RAW_MAX + (1 << 17));
	size_t i;
	int ret = 0;

	/* perf writes each CPU's buffer in turn: put them in time order */
	if (w->n)
		qsort(w->v, w->n, sizeof(*w->v), by_time);
	for (i = 0; i < w->n && !ret; i++) {
		struct tep_record rec;

		memset(&rec, 0, sizeof(rec));
		memcpy(buf, w->v[i].raw, w->v[i].size);
		memset(buf + w->v[i].size, 0, 1 << 17);
		rec.ts = w->v[i].ts;
		rec.cpu = w->v[i].cpu;
		rec.data = buf;
		rec.size = (int)w->v[i].size;
		rec.record_size = rec.size;
		rec.missed_events = w->v[i].missed;
		ret = fn(&rec, ctx);
	}
	free(buf);
	return ret;
}

int ib_perf_data_iterate(struct ib_perf_data *pd,
			 int (*fn)(struct tep_record *rec, void *ctx),
			 void *ctx, char *err, size_t errlen)
{
	const unsigned char *p = pd->map + pd->h.data.offset;
	const unsigned char *end = p + pd->h.data.size;
	struct walk w = { .pd = pd, .all = common_attr(pd) };
	int ret = 0;

	if (!w.all && !(pd->attrs[0].sample_type & PERF_SAMPLE_IDENTIFIER)) {
		snprintf(err, errlen, "its events have different sample layouts and no sample id");
		return -EINVAL;
	}
	w.ncpu = pd->info.nr_cpus > 0 ? pd->info.nr_cpus : 1;
	w.missed = ib_xcalloc(w.ncpu, 1);
	w.ids = id_table(pd, &w.nids);
	while (p < end && !ret) {
		uint64_t skip;
		uint16_t size;

		if (end - p >= 8)
			memcpy(&size, p + 6, sizeof(size));
		if (end - p < 8 || size < 8 || size > end - p) {
			snprintf(err, errlen, "record at %zu is damaged",
				 (size_t)(p - pd->map));
			ret = -EINVAL;
			break;
		}
		ret = take_record(&w, p, size, &skip, err, errlen);
		if (!ret && skip > (uint64_t)(end - p) - size) {
			snprintf(err, errlen, "the data after the record at %zu runs past the section",
				 (size_t)(p - pd->map));
			ret = -EINVAL;
		}
		p += size + skip;
	}
	pd->info.samples = w.n;
	pd->info.lost = w.lost_samples > w.lost ? w.lost_samples : w.lost;
	if (!ret)
		ret = hand_over(&w, fn, ctx);
	free(w.ids);
	free(w.v);
	free(w.missed);
	return ret;
}
