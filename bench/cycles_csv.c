// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cycles_csv.h"
#include "util.h"

enum col {
	C_BOOT, C_DEVICE, C_CYCLE, C_RET, C_REMOVE_NS, C_RESCAN_NS, C_TRACED,
	C_CYCLE_NS, C_RELEASES, C_RELEASE_NS,
	C_REL_SW, C_REL_SW_TRACED, C_REL_SW_UNTRACED, C_REL_TARGET,
	C_REMOVE_SW, C_PROBE_SW, C_PROBE_SW_TRACED, C_PROBE_SW_UNTRACED,
	C_REL_INVAL, C_REL_CTX, C_PROBE_INVAL, C_PROBE_CTX,
	C_NR,
};

static const char *const col_names[C_NR] = {
	"boot", "device", "cycle", "ret", "remove_ns", "rescan_ns", "traced",
	"cycle_ns", "releases", "release_ns",
	"release_switches", "release_switches_traced",
	"release_switches_untraced", "release_target",
	"remove_switches", "probe_switches", "probe_switches_traced",
	"probe_switches_untraced",
	"release_inval", "release_ctx", "probe_inval", "probe_ctx",
};

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

void ib_row_from_cycle(struct ib_row *row, const struct ib_cycle *c)
{
	row->traced = c->complete;
	row->cycle_ns = c->cycle_ns;
	row->releases = c->releases;
	row->release_ns = c->release_ns;
	memcpy(row->sw, c->sw, sizeof(row->sw));
	row->release_target = c->release_target;
	memcpy(row->hw, c->hw, sizeof(row->hw));
}

void ib_cycles_csv_header(FILE *f)
{
	int i;

	for (i = 0; i < C_NR; i++)
		fprintf(f, "%s%s", i ? "," : "", col_names[i]);
	fputc('\n', f);
}

void ib_cycles_csv_row(FILE *f, const struct ib_row *r)
{
	fprintf(f, "%u,%s,%u,%d,%" PRIu64 ",%" PRIu64 ",%d,%" PRIu64 ",%u,%" PRIu64
		",%u,%u,%u,%s,%u,%u,%u,%u,%u,%u,%u,%u\n",
		r->boot, r->dev, r->cycle, r->ret, r->remove_ns, r->rescan_ns,
		r->traced, r->cycle_ns, r->releases, r->release_ns,
		r->sw[IB_WIN_RELEASE].total, r->sw[IB_WIN_RELEASE].traced,
		r->sw[IB_WIN_RELEASE].untraced, ib_target_name(r->release_target),
		r->sw[IB_WIN_REMOVE].total, r->sw[IB_WIN_PROBE].total,
		r->sw[IB_WIN_PROBE].traced, r->sw[IB_WIN_PROBE].untraced,
		r->hw[IB_WIN_RELEASE][IB_HW_INVAL],
		r->hw[IB_WIN_RELEASE][IB_HW_CTX],
		r->hw[IB_WIN_PROBE][IB_HW_INVAL], r->hw[IB_WIN_PROBE][IB_HW_CTX]);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return (errno || end == s || *end || *s == '-') ? -EINVAL : 0;
}

static int set_field(struct ib_row *r, int col, const char *s)
{
	uint64_t v = 0;

	if (col == C_DEVICE) {
		if (!*s || strlen(s) >= sizeof(r->dev))
			return -EINVAL;
		strcpy(r->dev, s);
		return 0;
	}
	if (col == C_REL_TARGET) {
		r->release_target = ib_target_parse(s);
		return 0;
	}
	if (col == C_RET) {
		char *end;

		r->ret = (int32_t)strtol(s, &end, 10);
		return (*s && !*end) ? 0 : -EINVAL;
	}
	if (parse_u64(s, &v))
		return -EINVAL;
	switch (col) {
	case C_BOOT: r->boot = v; break;
	case C_CYCLE: r->cycle = v; break;
	case C_REMOVE_NS: r->remove_ns = v; break;
	case C_RESCAN_NS: r->rescan_ns = v; break;
	case C_TRACED: r->traced = !!v; break;
	case C_CYCLE_NS: r->cycle_ns = v; break;
	case C_RELEASES: r->releases = v; break;
	case C_RELEASE_NS: r->release_ns = v; break;
	case C_REL_SW: r->sw[IB_WIN_RELEASE].total = v; break;
	case C_REL_SW_TRACED: r->sw[IB_WIN_RELEASE].traced = v; break;
	case C_REL_SW_UNTRACED: r->sw[IB_WIN_RELEASE].untraced = v; break;
	case C_REMOVE_SW: r->sw[IB_WIN_REMOVE].total = v; break;
	case C_PROBE_SW: r->sw[IB_WIN_PROBE].total = v; break;
	case C_PROBE_SW_TRACED: r->sw[IB_WIN_PROBE].traced = v; break;
	case C_PROBE_SW_UNTRACED: r->sw[IB_WIN_PROBE].untraced = v; break;
	case C_REL_INVAL: r->hw[IB_WIN_RELEASE][IB_HW_INVAL] = v; break;
	case C_REL_CTX: r->hw[IB_WIN_RELEASE][IB_HW_CTX] = v; break;
	case C_PROBE_INVAL: r->hw[IB_WIN_PROBE][IB_HW_INVAL] = v; break;
	case C_PROBE_CTX: r->hw[IB_WIN_PROBE][IB_HW_CTX] = v; break;
	}
	return 0;
}

int ib_cycles_csv_read(const char *path, struct ib_row **rowsp, size_t *np,
		       char *err, size_t errlen)
{
	char *text = ib_read_file(path, NULL), *line, *next;
	int map[64], ncols = 0, lineno = 0, i;
	struct ib_row *rows = NULL;
	size_t n = 0;

	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	for (line = text; line && *line; line = next) {
		char **f;
		int nf;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!*line)
			continue;
		f = ib_split_words(line, &nf);
		if (lineno == 1) {
			int seen[C_NR] = { 0 };

			for (i = 0; i < nf && i < 64; i++) {
				int c;

				map[i] = -1;
				for (c = 0; c < C_NR; c++)
					if (!strcmp(f[i], col_names[c]))
						map[i] = c;
				if (map[i] >= 0)
					seen[map[i]] = 1;
			}
			ncols = nf;
			ib_free_words(f);
			if (!seen[C_DEVICE] || !seen[C_CYCLE] ||
			    !seen[C_RELEASE_NS]) {
				snprintf(err, errlen,
					 "%s: not a cycles.csv (no device, cycle or release_ns column)",
					 path);
				goto fail;
			}
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
		rows[n].release_target = IB_TARGET_NONE;
		for (i = 0; i < nf && i < 64; i++) {
			if (map[i] >= 0 && set_field(&rows[n], map[i], f[i])) {
				snprintf(err, errlen, "%s:%d: bad %s '%s'", path,
					 lineno, col_names[map[i]], f[i]);
				ib_free_words(f);
				goto fail;
			}
		}
		ib_free_words(f);
		n++;
	}
	if (lineno == 0) {
		snprintf(err, errlen, "%s: empty file", path);
		goto fail;
	}
	free(text);
	*rowsp = rows;
	*np = n;
	return 0;
fail:
	free(text);
	free(rows);
	return -EINVAL;
}
