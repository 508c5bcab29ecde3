// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cycles_csv.h"
#include "util.h"

/* T_LEN: a length, its name the stem, the unit's suffix appended */
enum col_type { T_U32, T_U64, T_I32, T_DEV, T_PHASE, T_TARGET, T_PROBES, T_LEN };

struct col {
	const char *name;
	enum col_type type;
	size_t off;
	int optional;		/* newer than the oldest files: 0 if absent */
};

#define U32(n, f)	{ n, T_U32, offsetof(struct ib_row, f), 0 }
#define LEN(n, f)	{ n, T_LEN, offsetof(struct ib_row, f), 0 }
#define SW(w, p)							\
	U32(p "_switches", sw[w].total),				\
	U32(p "_switches_traced", sw[w].traced),			\
	U32(p "_switches_untraced", sw[w].untraced),			\
	U32(p "_switches_redundant", sw[w].redundant),			\
	U32(p "_transient", sw[w].transient)
#define HW(w, p)							\
	U32(p "_inval", hw[w][IB_HW_INVAL]),				\
	U32(p "_ctx", hw[w][IB_HW_CTX])

/* The file's columns, in order; iommu-bench-cycles.csv(5) documents each. */
static const struct col cols[] = {
	U32("boot", boot),
	{ "device", T_DEV, offsetof(struct ib_row, dev), 0 },
	U32("cycle", cycle),
	{ "ret", T_I32, offsetof(struct ib_row, ret), 0 },
	{ "phase1", T_PHASE, offsetof(struct ib_row, phase[0]), 0 },
	{ "phase2", T_PHASE, offsetof(struct ib_row, phase[1]), 0 },
	LEN("phase1", phase_len[0]),
	LEN("phase2", phase_len[1]),
	U32("traced", traced),
	LEN("cycle", cycle_len),
	U32("releases", releases),
	LEN("release", release_len),
	SW(IB_WIN_RELEASE, "release"),
	{ "release_target", T_TARGET, offsetof(struct ib_row, release_target), 0 },
	SW(IB_WIN_PHASE1, "phase1"),
	SW(IB_WIN_PHASE2, "phase2"),
	HW(IB_WIN_RELEASE, "release"),
	HW(IB_WIN_PHASE1, "phase1"),
	HW(IB_WIN_PHASE2, "phase2"),
	U32("release_internal_blocks", sw[IB_WIN_RELEASE].internal),
	U32("phase1_internal_blocks", sw[IB_WIN_PHASE1].internal),
	U32("phase2_internal_blocks", sw[IB_WIN_PHASE2].internal),
	{ "probes", T_PROBES, offsetof(struct ib_row, probes), 0 },
	U32("release_hits", release_hits),
	U32("core_calls", core_calls),
	LEN("core", core_len),
	{ "span_irqs", T_U32, offsetof(struct ib_row, span_irqs), 1 },
};

#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const char *const unit_suffix[IB_UNIT_NR] = { "ns", "insn" };
static const char *const unit_name[IB_UNIT_NR] = { "ns", "instructions" };

const char *ib_unit_suffix(enum ib_unit u)
{
	return u < IB_UNIT_NR ? unit_suffix[u] : "?";
}

const char *ib_unit_name(enum ib_unit u)
{
	return u < IB_UNIT_NR ? unit_name[u] : "?";
}

int ib_unit_parse(const char *s)
{
	int u;

	for (u = 0; u < IB_UNIT_NR; u++)
		if (!strcmp(s, unit_suffix[u]) || !strcmp(s, unit_name[u]))
			return u;
	return -EINVAL;
}

const char *ib_target_name(int32_t target)
{
	if (target == IB_TARGET_NONE)
		return "none";
	if (target == IB_TARGET_MIXED)
		return "mixed";
	return ib_dom_type_name(target);
}

int32_t ib_target_parse(const char *s)
{
	static const int32_t known[] = {
		IB_TARGET_NONE, IB_TARGET_MIXED, IB_DOM_UNKNOWN, IB_DOM_BLOCKED,
		IB_DOM_UNMANAGED, IB_DOM_DMA, IB_DOM_DMA_FQ, IB_DOM_IDENTITY,
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(s, ib_target_name(known[i])))
			return known[i];
	return IB_DOM_UNKNOWN;
}

/*
 * Exact where the guest's clock is QEMU's icount and its clocksource runs
 * at 1 GHz of that clock (the TSC, refined to 1000.000 MHz): every length
 * is then a multiple of 2^shift.  Rounded, should it not be.
 */
uint64_t ib_ns_to_insn(uint64_t ns, int shift)
{
	return shift ? (ns + (1ULL << (shift - 1))) >> shift : ns;
}

/*
 * A phase (a PCI remove, a rescan) sleeps, and under icount with
 * sleep=off the clock jumps over the idle time as time: its length there
 * is no instruction count, so it is not kept (0: not measured).  The
 * spans never sleep where they are kept (a task switch in one marks it,
 * span_irqs).
 */
void ib_row_to_insn(struct ib_row *r, int shift)
{
	r->phase_len[0] = 0;
	r->phase_len[1] = 0;
	r->cycle_len = 0;
	r->release_len = ib_ns_to_insn(r->release_len, shift);
	r->core_len = ib_ns_to_insn(r->core_len, shift);
}

void ib_row_from_cycle(struct ib_row *row, const struct ib_cycle *c)
{
	row->traced = c->complete;
	row->probes = c->probes;
	row->cycle_len = c->cycle_ns;
	row->releases = c->releases;
	row->release_len = c->release_ns;
	row->release_hits = c->release_hits;
	row->span_irqs = c->span_irqs;
	row->core_calls = c->core_calls;
	row->core_len = c->core_ns;
	memcpy(row->sw, c->sw, sizeof(row->sw));
	row->release_target = c->release_target;
	memcpy(row->hw, c->hw, sizeof(row->hw));
}

void ib_cycles_csv_header(FILE *f, enum ib_unit unit)
{
	size_t i;

	for (i = 0; i < NCOLS; i++)
		fprintf(f, "%s%s%s%s", i ? "," : "", cols[i].name,
			cols[i].type == T_LEN ? "_" : "",
			cols[i].type == T_LEN ? ib_unit_suffix(unit) : "");
	fputc('\n', f);
}

/* Decimal digits of @v at the end of @buf; returns where they start. */
static char *utoa(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/*
 * A row is built in one buffer and written at once: fprintf per column
 * was a fifth of an import's time on a large trace.
 */
void ib_cycles_csv_row(FILE *f, const struct ib_row *r)
{
	const char *base = (const char *)r;
	char line[NCOLS * 24 + 2 * IB_DEV_LEN], num[24], *o = line;
	const char *s;
	size_t i, n;

	for (i = 0; i < NCOLS; i++) {
		const void *p = base + cols[i].off;
		int64_t sv;

		if (i)
			*o++ = ',';
		switch (cols[i].type) {
		case T_U32:
			s = utoa(*(const uint32_t *)p, num + sizeof(num));
			break;
		case T_LEN:
		case T_U64:
			s = utoa(*(const uint64_t *)p, num + sizeof(num));
			break;
		case T_I32:
			sv = *(const int32_t *)p;
			s = utoa(sv < 0 ? (uint64_t)-sv : (uint64_t)sv, num + sizeof(num));
			if (sv < 0)
				*(char *)--s = '-';
			break;
		case T_DEV:
		case T_PHASE:
			s = *(const char *)p ? (const char *)p : "-";
			break;
		case T_PROBES:
			s = ib_probes_name(*(const int32_t *)p);
			break;
		case T_TARGET:
		default:
			s = ib_target_name(*(const int32_t *)p);
			break;
		}
		n = cols[i].type == T_DEV || cols[i].type == T_PHASE ||
		    cols[i].type == T_TARGET || cols[i].type == T_PROBES ?
		    strnlen(s, IB_DEV_LEN) : (size_t)(num + sizeof(num) - s);
		memcpy(o, s, n);
		o += n;
	}
	*o++ = '\n';
	fwrite(line, 1, o - line, f);
}

static int set_field(struct ib_row *r, const struct col *c, const char *s)
{
	void *p = (char *)r + c->off;
	unsigned long long v;
	char *end;
	long long sv;

	switch (c->type) {
	case T_DEV:
		if (!*s || strlen(s) >= IB_DEV_LEN)
			return -EINVAL;
		strcpy(p, s);
		return 0;
	case T_PHASE:
		if (strlen(s) >= 16)
			return -EINVAL;
		strcpy(p, strcmp(s, "-") ? s : "");
		return 0;
	case T_TARGET:
		*(int32_t *)p = ib_target_parse(s);
		return 0;
	case T_PROBES:
		*(int32_t *)p = ib_probes_parse(s);
		return *(int32_t *)p < 0 ? -EINVAL : 0;
	case T_I32:
		errno = 0;
		sv = strtoll(s, &end, 10);
		if (errno || !*s || *end || sv < INT32_MIN || sv > INT32_MAX)
			return -EINVAL;
		*(int32_t *)p = (int32_t)sv;
		return 0;
	default:
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || !*s || *end || *s == '-' ||
		    (c->type == T_U32 && v > UINT32_MAX))
			return -EINVAL;
		if (c->type == T_U32)
			*(uint32_t *)p = (uint32_t)v;
		else
			*(uint64_t *)p = v;
		return 0;
	}
}

/* The column @name names, and for a length the unit its suffix says. */
static const struct col *col_find(const char *name, int *unit)
{
	size_t i, n;

	*unit = -1;
	for (i = 0; i < NCOLS; i++) {
		if (cols[i].type != T_LEN) {
			if (!strcmp(cols[i].name, name))
				return &cols[i];
			continue;
		}
		n = strlen(cols[i].name);
		if (!strncmp(cols[i].name, name, n) && name[n] == '_' &&
		    (*unit = ib_unit_parse(name + n + 1)) >= 0)
			return &cols[i];
	}
	return NULL;
}

/*
 * The header maps each field to its column: every column once, none
 * unknown.  A missing column would read as 0 in every row, and an
 * unknown one hides a damaged name ("probes\r" read as no probes column).
 */
static int header(const char *path, int lineno, char **f, int nf,
		  const struct col **map, enum ib_unit *unit, char *err,
		  size_t errlen)
{
	unsigned char seen[NCOLS] = { 0 };
	const struct col *c;
	int i, u, first = -1;
	size_t k;

	/* every name known and none twice: then nf <= NCOLS */
	for (i = 0; i < nf; i++) {
		c = col_find(f[i], &u);
		if (!c) {
			snprintf(err, errlen, "%s:%d: unknown column '%s'", path,
				 lineno, f[i]);
			return -EINVAL;
		}
		/* one unit for every length: a file is on one clock */
		if (u >= 0 && first >= 0 && u != first) {
			snprintf(err, errlen, "%s:%d: column %s is in %s where an earlier length is in %s: one file, one unit",
				 path, lineno, f[i], ib_unit_name(u),
				 ib_unit_name(first));
			return -EINVAL;
		}
		if (u >= 0)
			first = u;
		if (seen[c - cols]++) {
			snprintf(err, errlen, "%s:%d: column %s appears twice",
				 path, lineno, f[i]);
			return -EINVAL;
		}
		map[i] = c;
	}
	for (k = 0; k < NCOLS; k++) {
		for (i = 0; i < nf && map[i] != &cols[k]; i++)
			;
		if (i == nf && !cols[k].optional) {
			snprintf(err, errlen, "%s:%d: no %s%s%s column", path,
				 lineno, cols[k].name,
				 cols[k].type == T_LEN ? "_" : "",
				 cols[k].type == T_LEN ? ib_unit_suffix(first < 0 ? 0 : first) : "");
			return -EINVAL;
		}
	}
	*unit = first < 0 ? IB_UNIT_NS : (enum ib_unit)first;
	return 0;
}

int ib_cycles_csv_read(const char *path, struct ib_row **rowsp, size_t *np,
		       enum ib_unit *unitp, char *err, size_t errlen)
{
	enum ib_unit unit = IB_UNIT_NS;
	char *text = ib_read_file(path, NULL), *line, *next;
	const struct col *map[NCOLS];
	int ncols = 0, lineno = 0, i;
	struct ib_row *rows = NULL;
	size_t n = 0;

	if (!text) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	for (line = text; line && *line; line = next) {
		char **f;
		int nf;

		next = strchr(line, '\n');
		if (next) {
			*next++ = '\0';
		} else {	/* every row is written whole, with its end */
			snprintf(err, errlen, "%s:%d: the last line has no end: a file cut short?",
				 path, lineno + 1);
			goto fail;
		}
		/* a file that went through a CRLF editor reads the same */
		if (*line && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		lineno++;
		if (!*line)
			continue;
		f = ib_split_words(line, &nf);
		if (!nf) {		/* white space only */
			ib_free_words(f);
			continue;
		}
		if (!ncols) {		/* the first line that is not empty */
			ncols = nf;
			if (header(path, lineno, f, nf, map, &unit, err, errlen)) {
				ib_free_words(f);
				goto fail;
			}
			ib_free_words(f);
			continue;
		}
		if (nf != ncols) {
			snprintf(err, errlen, "%s:%d: %d fields, header has %d",
				 path, lineno, nf, ncols);
			ib_free_words(f);
			goto fail;
		}
		rows = ib_xrealloc(rows, (n + 1) * sizeof(*rows));
		memset(&rows[n], 0, sizeof(*rows));
		for (i = 0; i < nf; i++) {
			if (set_field(&rows[n], map[i], f[i])) {
				snprintf(err, errlen, "%s:%d: bad %s '%s'", path,
					 lineno, map[i]->name, f[i]);
				ib_free_words(f);
				goto fail;
			}
		}
		ib_free_words(f);
		n++;
	}
	if (!ncols) {
		snprintf(err, errlen, "%s: empty file", path);
		goto fail;
	}
	/* a reader that knows only time must not take instructions for it */
	if (!unitp && unit != IB_UNIT_NS) {
		snprintf(err, errlen, "%s: lengths in %s, where time is wanted",
			 path, ib_unit_name(unit));
		goto fail;
	}
	if (unitp)
		*unitp = unit;
	free(text);
	*rowsp = rows;
	*np = n;
	return 0;
fail:
	free(text);
	free(rows);
	return -EINVAL;
}
