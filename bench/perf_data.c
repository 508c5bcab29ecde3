// SPDX-License-Identifier: GPL-2.0
/*
 * A perf.data's tracepoint samples for libtraceevent.  The layout is
 * perf's (tools/perf/util/header.c, session.c, evsel.c and
 * trace-event-read.c); numbers are read in the host's byte order, and a
 * file of the other order is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <event-parse.h>

#include "perf_data.h"
#include "perf_tracing_data.h"
#include "util.h"

/* perf's own record types (tools/lib/perf/include/perf/event.h) */
#define IB_PERF_RECORD_FINISHED_ROUND	68
#define IB_PERF_RECORD_AUXTRACE		71
#define IB_PERF_RECORD_COMPRESSED	81
/* header features (tools/perf/util/header.h) */
#define IB_FEAT_TRACING_DATA	1
#define IB_FEAT_OSRELEASE	4
#define IB_FEAT_ARCH		6
#define IB_FEAT_NRCPUS		7
#define IB_FEAT_CMDLINE		11
#define IB_FEAT_BITS		256

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
	uint64_t sample_type, read_format;
	uint64_t *ids;
	size_t nids;
};

struct sample {
	uint64_t ts;
	const unsigned char *raw;
	uint32_t size;
	int cpu;
	int missed;
	size_t seq;		/* file order: ties keep it */
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
static int in_file(const struct ib_perf_data *pd, uint64_t off, uint64_t n)
{
	return off <= pd->len && n <= pd->len - off;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* perf_file_attr: the attr (attr_size - 16 bytes), then its ids' section */
static int read_attrs(struct ib_perf_data *pd, char *err, size_t errlen)
{
	uint64_t asz = pd->h.attr_size, i, j;

	if (asz < PERF_ATTR_SIZE_VER0 + sizeof(struct section) ||
	    !in_file(pd, pd->h.attrs.offset, pd->h.attrs.size) ||
	    pd->h.attrs.size % asz || !pd->h.attrs.size) {
		snprintf(err, errlen, "its attr section is damaged");
		return -EINVAL;
	}
	pd->nattrs = pd->h.attrs.size / asz;
	pd->attrs = ib_xcalloc(pd->nattrs, sizeof(*pd->attrs));
	for (i = 0; i < pd->nattrs; i++) {
		const unsigned char *a = pd->map + pd->h.attrs.offset + i * asz;
		struct attr *at = &pd->attrs[i];
		struct section ids;

		/* type, size, config, sample_period, sample_type, read_format */
		at->type = get32(a);
		at->sample_type = get64(a + 24);
		at->read_format = get64(a + 32);
		ids.offset = get64(a + asz - 16);
		ids.size = get64(a + asz - 8);
		if (!in_file(pd, ids.offset, ids.size) || ids.size % 8) {
			snprintf(err, errlen, "the ids of its event %llu are damaged",
				 (unsigned long long)i);
			return -EINVAL;
		}
		at->nids = ids.size / 8;
		at->ids = ib_xcalloc(at->nids ? at->nids : 1, sizeof(uint64_t));
		for (j = 0; j < at->nids; j++)
			at->ids[j] = get64(pd->map + ids.offset + 8 * j);
	}
	return 0;
}

/* The section of feature @feat, or NULL if the file has none. */
static const struct section *feature(const struct ib_perf_data *pd, int feat,
				     struct section *sec)
{
	uint64_t at = pd->h.data.offset + pd->h.data.size;
	int bit, n = 0;

	if (!(pd->h.features[feat / 64] >> (feat % 64) & 1))
		return NULL;
	for (bit = 0; bit < feat; bit++)
		n += pd->h.features[bit / 64] >> (bit % 64) & 1;
	at += (uint64_t)n * sizeof(*sec);
	if (!in_file(pd, at, sizeof(*sec)))
		return NULL;
	sec->offset = get64(pd->map + at);
	sec->size = get64(pd->map + at + 8);
	return in_file(pd, sec->offset, sec->size) ? sec : NULL;
}

/* perf_header_string: u32 len, then len bytes holding a NUL */
static const char *header_string(const unsigned char **p,
				 const unsigned char *end)
{
	const char *s;
	uint32_t len;

	if (end - *p < 4)
		return NULL;
	len = get32(*p);
	if (!len || len > (size_t)(end - *p - 4))
		return NULL;
	s = (const char *)*p + 4;
	if (!memchr(s, '\0', len))
		return NULL;
	*p += 4 + len;
	return s;
}

static void one_string(const struct ib_perf_data *pd, int feat, char *out,
		       size_t outlen)
{
	struct section sec;
	const unsigned char *p;
	const char *s;

	if (!feature(pd, feat, &sec))
		return;
	p = pd->map + sec.offset;
	s = header_string(&p, p + sec.size);
	if (s)
		ib_strlcpy(out, s, outlen);
}

/*
 * Was it recorded system-wide?  perf record's command line says: -a,
 * --all-cpus, -C/--cpu (a CPU list), or a cluster of short flags with a.
 */
static int system_wide(const struct ib_perf_data *pd)
{
	const unsigned char *p, *end;
	struct section sec;
	uint32_t n, i;
	int yes = 0;

	if (!feature(pd, IB_FEAT_CMDLINE, &sec) || sec.size < 4)
		return -1;
	p = pd->map + sec.offset;
	end = p + sec.size;
	n = get32(p);
	p += 4;
	for (i = 0; i < n; i++) {
		const char *a = header_string(&p, end);

		if (!a)
			return -1;
		if (!strcmp(a, "-a") || !strcmp(a, "--all-cpus") ||
		    !strncmp(a, "-C", 2) || !strncmp(a, "--cpu", 5) ||
		    (a[0] == '-' && a[1] != '-' && a[1] != 'e' && a[1] != 'o' &&
		     strspn(a + 1, "abcdfgiknqrsvBNPRSTW") == strlen(a + 1) &&
		     strchr(a + 1, 'a')))
			yes = 1;
	}
	return yes;
}

static int read_tracing_data(struct ib_perf_data *pd, const char *group,
			     char *err, size_t errlen)
{
	struct section sec;

	if (!feature(pd, IB_FEAT_TRACING_DATA, &sec)) {
		snprintf(err, errlen,
			 "it holds no tracepoint formats: record tracepoints (perf record -e iommu_bench:* ...)");
		return -ENOENT;
	}
	pd->tep = ib_perf_tracing_data_parse(pd->map + sec.offset, sec.size,
					     group, err, errlen);
	return pd->tep ? 0 : -EINVAL;
}

/* perf_file_header (header.h): 0, or -EINVAL with @why filled */
static int check_header(struct ib_perf_data *pd, char *why, size_t whylen)
{
	memcpy(&pd->h, pd->map, 16);
	if (memcmp(pd->h.magic, "PERFILE2", 8))
		snprintf(why, whylen, !memcmp(pd->h.magic, "2ELIFREP", 8) ?
			 "written on a big-endian machine: not readable here" :
			 "not a perf.data");
	else if (pd->h.size == 16)	/* perf_pipe_file_header */
		snprintf(why, whylen,
			 "recorded to a pipe (perf record -o -): 'perf inject -i FILE -o OUT' writes it as a file");
	else if (pd->h.size != sizeof(pd->h) || pd->len < sizeof(pd->h))
		snprintf(why, whylen, "its header is damaged");
	else {
		memcpy(&pd->h, pd->map, sizeof(pd->h));
		if (in_file(pd, pd->h.data.offset, pd->h.data.size))
			return 0;
		snprintf(why, whylen, "its data section is cut short: was perf record stopped?");
	}
	return -EINVAL;
}

/* Where and how it was recorded: the features import reports on. */
static void read_info(struct ib_perf_data *pd)
{
	struct section sec;

	one_string(pd, IB_FEAT_OSRELEASE, pd->info.osrelease,
		   sizeof(pd->info.osrelease));
	one_string(pd, IB_FEAT_ARCH, pd->info.arch, sizeof(pd->info.arch));
	if (feature(pd, IB_FEAT_NRCPUS, &sec) && sec.size >= 4)
		pd->info.nr_cpus = (int)get32(pd->map + sec.offset);
	pd->info.system_wide = system_wide(pd);
	if (pd->info.nr_cpus > 0)
		tep_set_cpus(pd->tep, pd->info.nr_cpus);
}

struct ib_perf_data *ib_perf_data_open(const char *file,
				       const char *rename_group, char *err,
				       size_t errlen)
{
	struct ib_perf_data *pd = ib_xcalloc(1, sizeof(*pd));
	char why[256] = "";
	struct stat st;
	void *map;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		goto fail_fd;
	}
	if (st.st_size < 16) {
		snprintf(err, errlen, "%s: too short for a perf.data", file);
		goto fail_fd;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	fd = -1;
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		goto fail;
	}
	pd->map = map;
	pd->len = st.st_size;
	if (check_header(pd, why, sizeof(why)) ||
	    read_attrs(pd, why, sizeof(why)) ||
	    read_tracing_data(pd, rename_group, why, sizeof(why)))
		goto refused;
	read_info(pd);
	return pd;
refused:
	snprintf(err, errlen, "%s: %s", file, why);
	goto fail;
fail_fd:
	if (fd >= 0)
		close(fd);
fail:
	ib_perf_data_close(pd);
	return NULL;
}

void ib_perf_data_close(struct ib_perf_data *pd)
{
	size_t i;

	if (!pd)
		return;
	for (i = 0; i < pd->nattrs; i++)
		free(pd->attrs[i].ids);
	free(pd->attrs);
	if (pd->tep)
		tep_free(pd->tep);
	if (pd->map)
		munmap((void *)pd->map, pd->len);
	free(pd);
}

struct tep_handle *ib_perf_data_tep(struct ib_perf_data *pd)
{
	return pd->tep;
}

const struct ib_perf_info *ib_perf_data_info(const struct ib_perf_data *pd)
{
	return &pd->info;
}


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

	if (!(st & PERF_SAMPLE_CPU))
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
	char *missed = ib_xcalloc(ncpu, 1);
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
			cpu = pd->h.attrs.size && size >= 32 ? lost_cpu(pd, p + size) : -1;
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
	for (i = 0; i < n && !ret; i++) {
		struct tep_record rec;

		memset(&rec, 0, sizeof(rec));
		rec.ts = v[i].ts;
		rec.cpu = v[i].cpu;
		rec.data = (void *)v[i].raw;
		rec.size = (int)v[i].size;
		rec.record_size = rec.size;
		rec.missed_events = v[i].missed;
		ret = fn(&rec, ctx);
	}
out:
	free(v);
	free(missed);
	return ret;
}

/* "PERFILE2" at the start: a perf.data (header.c) */
int ib_perf_data_is(const char *file)
{
	char magic[8];
	FILE *f = fopen(file, "rb");
	int yes;

	if (!f)
		return 0;
	yes = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
	      !memcmp(magic, "PERFILE2", sizeof(magic));
	fclose(f);
	return yes;
}
