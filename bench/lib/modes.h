/* SPDX-License-Identifier: GPL-2.0 */
/* The module's modes as the collector names and explains them. */
#ifndef IB_MODES_H
#define IB_MODES_H

#include <stdint.h>

struct ib_mode_info {
	const char *name;
	uint32_t mode;			/* enum iommu_bench_mode */
	const char *phase[2];		/* what ns[0] and ns[1] time */
	int needs_owner;
	const char *summary;
};

extern const struct ib_mode_info ib_mode_table[];
extern const int ib_nmodes;

/* Return: the mode named @name ("remove", ...), or NULL if none is. */
const struct ib_mode_info *ib_mode_find(const char *name);

#endif
