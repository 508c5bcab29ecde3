/* SPDX-License-Identifier: GPL-2.0 */
/* The version of iommu-bench: in every result it writes, and --version. */
#ifndef IB_VERSION_H
#define IB_VERSION_H

#define IB_VERSION "0.1.0"

#endif
