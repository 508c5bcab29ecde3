/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What user space can see and the module cannot: a PCI device that holds
 * a mounted file system, swap, or the console must not be removed.
 */
#ifndef IB_DEV_INUSE_H
#define IB_DEV_INUSE_H

#include <stddef.h>

/* Room for any reason of ib_dev_in_use(): a mount point and its source. */
#define IB_DEV_IN_USE_LEN	4096

/*
 * Is PCI device @pci_name in use in a way the module cannot see: it holds
 * a mounted file system or swap, is the console's device, is a path of an
 * NVMe multipath disk, or (unless @net_ok) has a network interface up?
 *
 * Return: 0 when it is not; -EBUSY when it is, with how in @err, worded
 * to follow the device's name ("holds swap /dev/vdb").
 */
int ib_dev_in_use(const char *pci_name, int net_ok, char *err, size_t errlen);

#endif
