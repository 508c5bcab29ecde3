/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What user space can see and the module cannot: a PCI device that holds
 * a mounted file system, swap, or the console must not be removed.
 */
#ifndef IB_DEVCHECK_H
#define IB_DEVCHECK_H

/*
 * How @pci_name is in use that way ("holds swap /dev/vdb", to follow its
 * name; free() it), or NULL if it is not.
 */
char *ib_dev_use(const char *pci_name, int net_ok);

/* 1 (with an error printed) if @pci_name is in use that way, else 0. */
int ib_dev_in_use(const char *pci_name, int net_ok);

#endif
