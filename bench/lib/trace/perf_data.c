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

#include "perf_data_int.h"
#include "perf_tracing_data.h"
#include "util.h"

/* perf_file_attr: the attr (attr_size - 16 bytes), then its ids' section */
static int read_attrs(struct ib_perf_data *pd, char *err, size_t errlen)
{
	uint64_t asz = pd->h.attr_size, i, all_ids = 0;

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

		/* type, size, config, period, sample_type, read_format, flags */
		at->type = get32(a);
		at->sample_type = get64(a + 24);
		at->read_format = get64(a + 32);
		at->sample_id_all = get64(a + 40) >> 18 & 1;
		ids.offset = get64(a + asz - 16);
		ids.size = get64(a + asz - 8);
		if (!in_file(pd, ids.offset, ids.size) || ids.size % 8) {
			snprintf(err, errlen, "the ids of its event %llu are damaged",
				 (unsigned long long)i);
			return -EINVAL;
		}
		at->nids = ids.size / 8;
		at->ids = pd->map + ids.offset;
		/* a file holds each id once: more ids than it has room for is damage */
		all_ids += at->nids;
		if (all_ids > pd->len / 8) {
			snprintf(err, errlen, "its events' ids overlap: damaged");
			return -EINVAL;
		}
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

/* perf record's options that take a value (builtin-record.c, 6.1) */
static const char record_short_arg[] = "eptrCcoFmGDujk";
static const char *const record_long_arg[] = {
	"event", "pid", "tid", "realtime", "cpu", "count", "output", "freq",
	"mmap-pages", "cgroup", "delay", "uid", "branch-filter", "clockid",
	"filter", "mmap-flush", "call-graph", "proc-map-timeout", "clang-path",
	"clang-opt", "vmlinux", "switch-output-event", "switch-max-files",
	"affinity", "max-size", "num-thread-synthesize", "pfm-events",
	"control", "synth", NULL
};

static int long_takes_arg(const char *name, size_t len)
{
	int i;

	for (i = 0; record_long_arg[i]; i++)
		if (strlen(record_long_arg[i]) == len &&
		    !strncmp(record_long_arg[i], name, len))
			return 1;
	return 0;
}

int ib_perf_cmdline_system_wide(const char *const *argv, int argc)
{
	int all = 0, task = 0, cpus = 0, command = 0, rec = 0, i;

	for (i = 0; i < argc && !command; i++) {
		const char *a = argv[i], *o;

		if (!rec) {		/* perf's path and any "perf" before it */
			rec = !strcmp(a, "record");
			continue;
		}
		if (!strcmp(a, "--") || a[0] != '-' || !a[1]) {
			command = strcmp(a, "--") || i + 1 < argc;
			break;
		}
		if (a[1] == '-') {
			o = a + 2;
			all |= !strcmp(o, "all-cpus");
			cpus |= !strncmp(o, "cpu", 3) && (!o[3] || o[3] == '=');
			task |= !strncmp(o, "pid", 3) || !strncmp(o, "tid", 3) ||
				!strncmp(o, "uid", 3);
			if (!strchr(o, '=') && long_takes_arg(o, strlen(o)))
				i++;	/* its value, the next word */
			continue;
		}
		for (o = a + 1; *o; o++) {
			all |= *o == 'a';
			cpus |= *o == 'C';
			task |= *o == 'p' || *o == 't' || *o == 'u';
			if (strchr(record_short_arg, *o)) {
				/* its value: the rest of the word, or the next */
				i += !o[1];
				break;
			}
			if (strchr("ISz", *o))	/* an optional value, attached */
				break;
		}
	}
	if (!rec)
		return -1;
	return all || (!command && !task && !cpus);
}

/* perf record's command line, as HEADER_CMDLINE keeps it */
static int system_wide(const struct ib_perf_data *pd)
{
	const unsigned char *p, *end;
	const char **argv;
	struct section sec;
	uint32_t n, i;
	int ret = -1;

	if (!feature(pd, IB_FEAT_CMDLINE, &sec) || sec.size < 4)
		return -1;
	p = pd->map + sec.offset;
	end = p + sec.size;
	n = get32(p);
	p += 4;
	if (n > sec.size / 4)
		return -1;	/* each string takes 4 bytes at least */
	argv = ib_xcalloc(n + 1, sizeof(*argv));
	for (i = 0; i < n; i++)
		if (!(argv[i] = header_string(&p, end)))
			break;
	if (i == n)
		ret = ib_perf_cmdline_system_wide(argv, (int)n);
	free(argv);
	return ret;
}

/*
 * A file perf inject wrote from a pipe recording may keep its tracing
 * data only as a record in the data section (PERF_RECORD_HEADER_TRACING_DATA:
 * header, u32 size, then the data): find the first.
 */
static int tracing_data_record(const struct ib_perf_data *pd, struct section *sec)
{
	const unsigned char *p = pd->map + pd->h.data.offset;
	const unsigned char *end = p + pd->h.data.size;
	uint16_t size;

	while (end - p >= 12) {
		memcpy(&size, p + 6, sizeof(size));
		if (size < 8 || size > end - p)
			return -EINVAL;
		if (get32(p) == IB_PERF_RECORD_HEADER_TRACING_DATA) {
			sec->offset = p + size - pd->map;
			sec->size = get32(p + 8);
			return in_file(pd, sec->offset, sec->size) ? 0 : -EINVAL;
		}
		p += size;
	}
	return -ENOENT;
}

static int read_tracing_data(struct ib_perf_data *pd, const char *group,
			     char *err, size_t errlen)
{
	struct section sec;

	if (!feature(pd, IB_FEAT_TRACING_DATA, &sec) &&
	    tracing_data_record(pd, &sec)) {
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
			 "recorded to a pipe (perf record -o -): 'perf inject -i FILE -o OUT' writes it as a file import reads");
	else if (pd->h.size != sizeof(pd->h) || pd->len < sizeof(pd->h))
		snprintf(why, whylen, "its header is damaged");
	else {
		memcpy(&pd->h, pd->map, sizeof(pd->h));
		if (!in_file(pd, pd->h.data.offset, pd->h.data.size))
			snprintf(why, whylen, "its data section is cut short: was perf record stopped?");
		else if (pd->h.features[0] >> IB_FEAT_COMPRESSED & 1)
			snprintf(why, whylen,
				 "recorded compressed (perf record -z): 'perf inject -i FILE -o OUT' writes it out plain");
		else if (pd->h.features[0] >> IB_FEAT_DIR_FORMAT & 1)
			snprintf(why, whylen,
				 "the header of a directory recording (perf record --threads): record without --threads");
		else
			return 0;
	}
	return -EINVAL;
}

/*
 * Where and how it was recorded: the features import reports on.  The
 * CPU count sizes per-CPU arrays: one past any kernel's NR_CPUS (8192)
 * is a damaged file.
 */
static int read_info(struct ib_perf_data *pd, char *why, size_t whylen)
{
	struct section sec;
	uint32_t n;

	one_string(pd, IB_FEAT_OSRELEASE, pd->info.osrelease,
		   sizeof(pd->info.osrelease));
	one_string(pd, IB_FEAT_ARCH, pd->info.arch, sizeof(pd->info.arch));
	if (feature(pd, IB_FEAT_NRCPUS, &sec) && sec.size >= 4) {
		n = get32(pd->map + sec.offset);
		if (n > IB_PERF_MAX_CPUS) {
			snprintf(why, whylen, "its CPU count (%u) is damaged", n);
			return -EINVAL;
		}
		pd->info.nr_cpus = (int)n;
	}
	pd->info.system_wide = system_wide(pd);
	if (pd->info.nr_cpus > 0)
		tep_set_cpus(pd->tep, pd->info.nr_cpus);
	return 0;
}

struct ib_perf_data *ib_perf_data_open(const char *file,
				       const char *rename_group, char *err,
				       size_t errlen)
{
	struct ib_perf_data *pd = ib_xcalloc(1, sizeof(*pd));
	char why[256] = "";
	int fd, e = EINVAL;
	struct stat st;
	void *map;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		e = errno;
		snprintf(err, errlen, "%s: %s", file, strerror(e));
		goto fail_fd;
	}
	if (st.st_size < 16) {
		snprintf(err, errlen, "%s: too short for a perf.data", file);
		goto fail_fd;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	e = map == MAP_FAILED ? errno : EINVAL;
	close(fd);
	fd = -1;
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", file, strerror(e));
		goto fail;
	}
	pd->map = map;
	pd->len = st.st_size;
	if (check_header(pd, why, sizeof(why)) ||
	    read_attrs(pd, why, sizeof(why)) ||
	    read_tracing_data(pd, rename_group, why, sizeof(why)) ||
	    read_info(pd, why, sizeof(why)))
		goto refused;
	return pd;
refused:
	snprintf(err, errlen, "%s: %s", file, why);
	goto fail;
fail_fd:
	if (fd >= 0)
		close(fd);
fail:
	ib_perf_data_close(pd);
	errno = e;
	return NULL;
}

void ib_perf_data_close(struct ib_perf_data *pd)
{
	if (!pd)
		return;
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
