/* SPDX-License-Identifier: GPL-2.0 */
/*
 * summary.json: cycles.csv totalled per device (and over all devices):
 * release latency order statistics, switches of every kind and hardware
 * work per window, release targets.  The numbers a reader checks first.
 */
#ifndef IB_SUMMARY_H
#define IB_SUMMARY_H

#include <json-c/json.h>

struct ib_account;

/*
 * The summary of every cycle @acc accounted, per device and over all.
 * @icount_shift: -1, lengths are time (us); else the lab's clock counted
 * instructions, 2^shift ns each: lengths in instructions (_insn keys),
 * and cycles with an interrupt inside the span left out and counted.
 *
 * Return: a new JSON object (json_object_put() it), never NULL.
 */
json_object *ib_summary_json(const struct ib_account *acc, int icount_shift);

#endif
