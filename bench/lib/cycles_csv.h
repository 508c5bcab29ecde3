/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cycles.csv: one row per device per cycle, the file every analysis
 * reads.  Columns: iommu-bench-cycles.csv(5); readers find columns by
 * header name, so new columns can be appended.
 */
#ifndef IB_CYCLES_CSV_H
#define IB_CYCLES_CSV_H

#include <stdint.h>
#include <stdio.h>

#include "account.h"

/*
 * The unit of every length in a run: trace-clock nanoseconds, or guest
 * instructions where the lab's clock counts them (QEMU icount).  The
 * file says which in its column names (release_ns, release_insn).
 */
enum ib_unit {
	IB_UNIT_NS,
	IB_UNIT_INSN,
	IB_UNIT_NR,
};

/* Return: "ns" or "insn", the column suffix of @u; "?" for no unit. */
const char *ib_unit_suffix(enum ib_unit u);
/* Return: "ns" or "instructions", meta.json's clock_unit; "?" for no unit. */
const char *ib_unit_name(enum ib_unit u);
/*
 * The unit a column suffix or a clock_unit names ("insn", "instructions").
 *
 * Return: the enum ib_unit, or -EINVAL when @s names none.
 */
int ib_unit_parse(const char *s);

struct ib_row;

/*
 * A trace-clock length in ns as instructions at 2^@shift ns each.
 *
 * Return: @ns / 2^@shift, rounded to the nearest (halves up); @ns itself
 * for @shift 0.
 */
uint64_t ib_ns_to_insn(uint64_t ns, int shift);
/*
 * The spans' lengths of @row from ns to instructions (icount, 2^@shift
 * ns); phase and cycle lengths, which hold sleeps, to 0 (not measured).
 */
void ib_row_to_insn(struct ib_row *row, int shift);

struct ib_row {
	uint32_t boot;
	char dev[IB_DEV_LEN];
	uint32_t cycle;
	int32_t ret;
	char phase[2][16];		/* the mode's phase names */
	/* lengths (_len): in ns, or instructions (the file's enum ib_unit) */
	uint64_t phase_len[2];		/* module, from the ioctl */
	uint32_t traced;		/* the trace saw this cycle */
	int32_t probes;			/* enum ib_probes: which were on */
	uint64_t cycle_len;		/* module, from the trace */
	uint32_t releases;
	uint64_t release_len;
	uint32_t release_hits;		/* events inside the release spans */
	uint32_t span_irqs;		/* interrupts, softirqs or a sleep
					 * inside its release or core spans,
					 * on any CPU: lengths that are not
					 * the path's alone */
	uint32_t core_calls;		/* core release function spans ... */
	uint64_t core_len;		/* ... and their length */
	struct ib_switch_count sw[IB_NWIN];
	int32_t release_target;
	uint32_t hw[IB_NWIN][IB_HW_NR];
};

/*
 * Fill what the trace measured of @row from the accounted cycle @c: its
 * lengths in ns, counts and release target (boot, device, cycle, ret,
 * phase names and phase lengths are the module's, set by the caller).
 */
void ib_row_from_cycle(struct ib_row *row, const struct ib_cycle *c);

/* Write the header line of a cycles.csv whose lengths are in @unit to @f. */
void ib_cycles_csv_header(FILE *f, enum ib_unit unit);
/* Write @row to @f as one line of a cycles.csv. */
void ib_cycles_csv_row(FILE *f, const struct ib_row *row);

/*
 * Read a whole cycles.csv: its rows into *@rows (free() them) and *@n,
 * its unit into @unit (may be NULL: then a file in instructions is
 * refused).  Columns are found by name: each must be there (but
 * span_irqs, which older files lack), and none unknown.
 *
 * Return: 0, or with the reason in @err ("file:line: what") a negative
 * errno: the file's when it cannot be read, -EINVAL when it is not a
 * whole cycles.csv.
 */
int ib_cycles_csv_read(const char *path, struct ib_row **rows, size_t *n,
		       enum ib_unit *unit, char *err, size_t errlen);

/*
 * The name of release target @target in a cycles.csv: "none", "mixed",
 * or the domain type's (ib_dom_type_name()).
 *
 * Return: the name, a string constant.
 */
const char *ib_target_name(int32_t target);
/*
 * The release target that ib_target_name() names @s.
 *
 * Return: the IB_TARGET_* or IB_DOM_* value, IB_DOM_UNKNOWN for a name
 * it does not know.
 */
int32_t ib_target_parse(const char *s);

#endif
