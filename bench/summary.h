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

json_object *ib_summary_json(const struct ib_account *acc);

#endif
