// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <event-parse.h>

#include "decode.h"
#include "util.h"

struct handler {
	int id;
	enum ib_ev_kind kind;
	enum ib_hw_kind hw;
	struct tep_event *event;
	struct tep_format_field *dev, *cycle, *phase, *ns, *ret, *dtype, *dom;
	struct tep_format_field *when;	/* the probe's "when" field */
	unsigned long long when_value;
	int when_not;
	int when_removed;		/* compared in the accounting */
	int driver_release;		/* the probe's "in_release = driver" */
	struct tep_format_field *bus_removed;	/* run_start's */
};

struct ib_decoder {
	struct tep_handle *tep;
	struct handler *h;
	int nh;
	int min_id, max_id;
	short *by_id;		/* id - min_id -> index into h, or -1 */
};

static struct handler *add(struct ib_decoder *d, const char *sys,
			   const char *name, enum ib_ev_kind kind,
			   enum ib_hw_kind hw)
{
	struct tep_event *e = tep_find_event_by_name(d->tep, sys, name);
	struct handler *h;

	if (!e)
		return NULL;
	d->h = ib_xrealloc(d->h, (d->nh + 1) * sizeof(*d->h));
	h = &d->h[d->nh++];
	memset(h, 0, sizeof(*h));
	h->id = e->id;
	h->kind = kind;
	h->hw = hw;
	h->event = e;
	h->dev = tep_find_field(e, "dev");
	if (!h->dev)
		h->dev = tep_find_field(e, "device");
	h->cycle = tep_find_field(e, "cycle");
	h->phase = tep_find_field(e, "phase");
	h->ns = tep_find_field(e, "ns");
	h->ret = tep_find_field(e, "ret");
	h->dtype = tep_find_field(e, "dtype");
	h->dom = tep_find_field(e, "dom");
	/* the marker's text is its "buf" */
	if (kind == IB_EV_MARK)
		h->dev = tep_find_field(e, "buf");
	return h;
}

/* A probe's hit (a span's entry) may only count "when" a field holds. */
static void add_probe(struct ib_decoder *d, const struct ib_probe *p,
		      enum ib_ev_kind kind, enum ib_hw_kind hw)
{
	struct handler *h = add(d, IB_PROBE_SYSTEM, p->name, kind, hw);

	if (h)
		h->driver_release = p->in_release_driver;
	if (h && p->when_field) {
		h->when = tep_find_field(h->event, p->when_field);
		h->when_value = p->when_value;
		h->when_not = p->when_not;
		h->when_removed = p->when_removed;
	}
}

/* Both ends of a span. */
static void add_span(struct ib_decoder *d, const struct ib_probe *p,
		     enum ib_ev_kind entry, enum ib_ev_kind exit)
{
	char *ret = ib_xasprintf("%s_ret", p->name);

	add_probe(d, p, entry, 0);
	add(d, IB_PROBE_SYSTEM, ret, exit, 0);
	free(ret);
}

/*
 * The module's own events must have the fields it writes: a format that
 * lost one (a damaged trace.dat, another module) would read every cycle
 * as untraced, silently.
 */
static int check_fields(struct tep_handle *tep, char *err, size_t errlen)
{
	static const char *const need[][5] = {
		{ "run_start", "mode", "cycles", NULL },
		{ "cycle_start", "dev", "cycle", NULL },
		{ "phase_end", "dev", "cycle", "phase", "ns" },
		{ "cycle_end", "dev", "cycle", "ret", "ns" },
	};
	size_t i, k, found = 0;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		found += !!tep_find_event_by_name(tep, "iommu_bench", need[i][0]);
	for (i = 0; found && i < sizeof(need) / sizeof(need[0]); i++) {
		struct tep_event *e = tep_find_event_by_name(tep, "iommu_bench",
							     need[i][0]);

		if (!e) {
			snprintf(err, errlen,
				 "no event iommu_bench:%s beside the module's others: a damaged format",
				 need[i][0]);
			return -EINVAL;
		}

		for (k = 1; e && k < 5 && need[i][k]; k++)
			if (!tep_find_field(e, need[i][k])) {
				snprintf(err, errlen,
					 "event iommu_bench:%s has no field '%s': a damaged format, or not this module's",
					 need[i][0], need[i][k]);
				return -EINVAL;
			}
	}
	return 0;
}

struct ib_decoder *ib_decoder_create(struct tep_handle *tep,
				     const struct ib_probeset *ps, char *err,
				     size_t errlen)
{
	struct ib_decoder *d;
	struct handler *h;
	int i;

	if (check_fields(tep, err, errlen)) {
		errno = EINVAL;
		return NULL;
	}
	d = ib_xcalloc(1, sizeof(*d));
	d->tep = tep;
	h = add(d, "iommu_bench", "run_start", IB_EV_RUN_START, 0);
	if (h)
		h->bus_removed = tep_find_field(h->event, "bus_removed");
	add(d, "iommu_bench", "cycle_start", IB_EV_CYCLE_START, 0);
	add(d, "iommu_bench", "phase_end", IB_EV_PHASE_END, 0);
	add(d, "iommu_bench", "cycle_end", IB_EV_CYCLE_END, 0);
	add(d, "iommu", "attach_device_to_domain", IB_EV_CORE_ATTACH, 0);
	add(d, "ftrace", "print", IB_EV_MARK, 0);
	for (i = 0; ib_interrupt_events[i]; i++) {
		char *sys = ib_xstrdup(ib_interrupt_events[i]);
		char *slash = strchr(sys, '/');

		*slash = '\0';
		add(d, sys, slash + 1, IB_EV_IRQ, 0);
		free(sys);
	}
	for (i = 0; ps && i < ps->nprobes; i++) {
		const struct ib_probe *p = &ps->probes[i];

		switch (p->role) {
		case IB_ROLE_RELEASE:
			add_span(d, p, IB_EV_RELEASE_ENTRY, IB_EV_RELEASE_EXIT);
			break;
		case IB_ROLE_CORE:
			add_span(d, p, IB_EV_CORE_ENTRY, IB_EV_CORE_EXIT);
			break;
		case IB_ROLE_ATTACH:
			add_probe(d, p, IB_EV_ATTACH, 0);
			break;
		case IB_ROLE_HW:
			add_probe(d, p, IB_EV_HW, p->hw);
			break;
		case IB_ROLE_BLOCK:
			add_probe(d, p, IB_EV_BLOCK, 0);
			break;
		}
	}
	/* Dense id table: one lookup per record on the hot path. */
	d->min_id = d->nh ? d->h[0].id : 0;
	d->max_id = d->min_id;
	for (i = 0; i < d->nh; i++) {
		if (d->h[i].id < d->min_id)
			d->min_id = d->h[i].id;
		if (d->h[i].id > d->max_id)
			d->max_id = d->h[i].id;
	}
	d->by_id = ib_xcalloc(d->max_id - d->min_id + 1, sizeof(short));
	memset(d->by_id, 0xff, (d->max_id - d->min_id + 1) * sizeof(short));
	for (i = 0; i < d->nh; i++)
		d->by_id[d->h[i].id - d->min_id] = (short)i;
	return d;
}

void ib_decoder_free(struct ib_decoder *d)
{
	if (!d)
		return;
	free(d->h);
	free(d->by_id);
	free(d);
}

static unsigned long long num(struct tep_format_field *f,
			      struct tep_record *rec)
{
	unsigned long long v = 0;

	if (f)
		tep_read_number_field(f, rec->data, &v);
	return v;
}

/*
 * The device name field, read in place: a __data_loc word (offset and
 * length; relative to the field's end on newer kernels) or a fixed
 * array.  tep_get_field_raw() would look the field up by name each time.
 */
static void str(struct handler *h, struct tep_record *rec, char *out,
		size_t outlen)
{
	struct tep_format_field *f = h->dev;
	unsigned int off, len;
	unsigned long long v;

	out[0] = '\0';
	if (!f)
		return;
	if (f->flags & TEP_FIELD_IS_DYNAMIC) {
		if (tep_read_number_field(f, rec->data, &v))
			return;
		off = v & 0xffff;
		len = (v >> 16) & 0xffff;
		if (f->flags & TEP_FIELD_IS_RELATIVE)
			off += f->offset + f->size;
	} else {
		off = f->offset;
		/* size 0: a flexible array (the marker's buf), to the end */
		len = f->size;
		if (!len && off < (unsigned int)rec->size)
			len = rec->size - off;
	}
	if (off >= (unsigned int)rec->size || !len)
		return;
	if (len > (unsigned int)rec->size - off)
		len = rec->size - off;
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, (const char *)rec->data + off, len);
	out[len] = '\0';
	/* a fixed array or a string with its NUL: stop at the first */
	out[strnlen(out, len)] = '\0';
}

/* The collector's marker "iommu_bench: probes=NAME": 1 and @out set. */
static int mark(struct handler *h, struct tep_record *rec,
		struct ib_event *out)
{
	char text[64], *nl;

	str(h, rec, text, sizeof(text));
	if (strncmp(text, IB_MARK_PREFIX, strlen(IB_MARK_PREFIX)))
		return 0;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	out->probes = ib_probes_parse(text + strlen(IB_MARK_PREFIX));
	return out->probes >= 0;
}

int ib_decoder_decode(struct ib_decoder *d, struct tep_record *rec,
		      struct ib_event *out)
{
	int id = tep_data_type(d->tep, rec);
	struct handler *h;
	short idx = -1;

	memset(out, 0, sizeof(*out));
	out->ts = rec->ts;
	out->cpu = rec->cpu;
	out->pid = tep_data_pid(d->tep, rec);
	if (id >= d->min_id && id <= d->max_id)
		idx = d->by_id[id - d->min_id];
	if (idx < 0) {
		/* not ours to decode, but a hit all the same */
		out->kind = IB_EV_OTHER;
		out->dom_type = IB_DOM_UNKNOWN;
		return 1;
	}
	h = &d->h[idx];
	out->kind = h->kind;
	if (h->kind == IB_EV_MARK)
		return mark(h, rec, out);
	out->hw = h->hw;
	out->driver_release = h->driver_release;
	str(h, rec, out->dev, sizeof(out->dev));
	out->cycle = (uint32_t)num(h->cycle, rec);
	out->phase = (uint32_t)num(h->phase, rec);
	out->ns = num(h->ns, rec);
	out->ret = (int32_t)num(h->ret, rec);
	out->dom_type = h->dtype ? (int32_t)num(h->dtype, rec) : IB_DOM_UNKNOWN;
	out->dom = num(h->dom, rec);
	if (h->when && h->when_removed) {
		out->when_removed = 1;
		out->arg = num(h->when, rec);
	} else {
		out->other = h->when &&
			     (num(h->when, rec) != h->when_value) != h->when_not;
	}
	if (h->kind == IB_EV_RUN_START)
		out->arg = h->bus_removed ? num(h->bus_removed, rec) : ~0ULL;
	return 1;
}
