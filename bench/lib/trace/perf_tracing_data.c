// SPDX-License-Identifier: GPL-2.0
/*
 * The tracing data of a perf.data (its HEADER_TRACING_DATA feature, as
 * tools/perf/util/trace-event-info.c writes it): the header page and
 * every recorded event's format, parsed into a libtraceevent handle.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <event-parse.h>

#include "perf_data_int.h"
#include "perf_tracing_data.h"
#include "util.h"

/*
 * Cursor over the tracing data section (trace-event-read.c): bounded
 * reads, each failing once the section ends.
 */
struct cursor {
	const unsigned char *p, *end;
	int bad;
};

static const unsigned char *take(struct cursor *c, uint64_t n)
{
	const unsigned char *p = c->p;

	if (c->bad || n > (uint64_t)(c->end - c->p)) {
		c->bad = 1;
		return NULL;
	}
	c->p += n;
	return p;
}

static uint64_t take_num(struct cursor *c, int bytes)
{
	const unsigned char *p = take(c, bytes);

	return !p ? 0 : bytes == 8 ? get64(p) : get32(p);
}

static const char *take_string(struct cursor *c)
{
	const unsigned char *z;

	if (c->bad || !(z = memchr(c->p, '\0', c->end - c->p))) {
		c->bad = 1;
		return NULL;
	}
	return (const char *)take(c, z - c->p + 1);
}

/*
 * A format text of @group with perf's return probe name, "name:
 * NAME__return", is given the collector's, NAME_ret: the packs and the
 * decoder know only that.
 */
static int parse_format(struct tep_handle *tep, const unsigned char *text,
			uint64_t size, const char *sys, const char *group)
{
	char *buf = ib_xcalloc(1, size + 1), *nl, *name;
	int ret;

	memcpy(buf, text, size);
	buf[size] = '\0';
	name = strstr(buf, "name: ");
	nl = name ? strchr(name, '\n') : NULL;
	if (group && !strcmp(sys, group) && nl && nl - name > 14 &&
	    !memcmp(nl - 8, "__return", 8)) {
		memcpy(nl - 8, "_ret", 4);
		memmove(nl - 4, nl, strlen(nl) + 1);
		size -= 4;
	}
	ret = tep_parse_event(tep, buf, size, sys) ? -EINVAL : 0;
	free(buf);
	return ret;
}

/*
 * libtraceevent reads a field at its format's offset with no check
 * against the record: a damaged offset must not reach past the copy a
 * record is read from (perf_samples.c), so every field must end within
 * the largest raw record, 64 KiB.
 */
static int fields_bounded(struct tep_handle *tep)
{
	struct tep_event **ev = tep_list_events(tep, TEP_EVENT_SORT_ID);
	int i, j, k, ok = 1;

	for (i = 0; ev && ev[i] && ok; i++)
		for (k = 0; k < 2 && ok; k++) {
			struct tep_format_field **f = k ? tep_event_fields(ev[i]) :
						      tep_event_common_fields(ev[i]);

			for (j = 0; f && f[j]; j++)
				if (f[j]->offset < 0 || f[j]->size < 0 ||
				    f[j]->offset + (int64_t)f[j]->size > IB_PERF_RAW_MAX)
					ok = 0;
			free(f);
		}
	return ok;
}

struct tep_handle *ib_perf_tracing_data_parse(const unsigned char *data,
					      size_t len, const char *group,
					      char *err, size_t errlen)
{
	static const unsigned char magic[] = { 23, 8, 68, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	struct cursor c = { .p = data, .end = data + len };
	struct tep_handle *tep = NULL;
	const unsigned char *p;
	const char *version, *sys;
	uint32_t i, j, n, m;
	uint64_t size;
	int long_size;

	p = take(&c, sizeof(magic));
	if (!p || memcmp(p, magic, sizeof(magic)))
		goto bad;
	version = take_string(&c);
	p = take(&c, 2);
	if (!version || !p)
		goto bad;
	if (p[0]) {
		snprintf(err, errlen, "its events were recorded big-endian: not readable here");
		errno = EINVAL;
		return NULL;
	}
	long_size = p[1];
	tep = tep_alloc();
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(tep, long_size);
	tep_set_page_size(tep, (int)take_num(&c, 4));
	p = take(&c, 12);
	if (!p || memcmp(p, "header_page", 12))
		goto bad;
	size = take_num(&c, 8);
	p = take(&c, size);
	if (!p || tep_parse_header_page(tep, (char *)p, size, long_size))
		goto bad;
	/* the kernel's long is the page header's commit field (as perf does) */
	if (tep_get_header_page_size(tep) > 0)
		tep_set_long_size(tep, tep_get_header_page_size(tep));
	p = take(&c, 13);
	if (!p || memcmp(p, "header_event", 13))
		goto bad;
	take(&c, take_num(&c, 8));
	n = (uint32_t)take_num(&c, 4);
	for (i = 0; i < n && !c.bad; i++) {
		size = take_num(&c, 8);
		p = take(&c, size);
		if (p && parse_format(tep, p, size, "ftrace", NULL))
			goto bad;
	}
	n = (uint32_t)take_num(&c, 4);
	for (i = 0; i < n && !c.bad; i++) {
		sys = take_string(&c);
		m = (uint32_t)take_num(&c, 4);
		for (j = 0; j < m && sys && !c.bad; j++) {
			size = take_num(&c, 8);
			p = take(&c, size);
			if (p && parse_format(tep, p, size, sys, group))
				goto bad;
		}
	}
	/* kallsyms, printk formats and saved cmdlines follow: not needed */
	if (c.bad || !fields_bounded(tep))
		goto bad;
	return tep;
bad:
	if (tep)
		tep_free(tep);
	snprintf(err, errlen, "its tracing data (the event formats) is damaged");
	errno = EINVAL;
	return NULL;
}
