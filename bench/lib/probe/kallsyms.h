/* SPDX-License-Identifier: GPL-2.0 */
/* ib_kallsyms: which functions this kernel has, by name. */
#ifndef IB_KALLSYMS_H
#define IB_KALLSYMS_H

#include <stddef.h>
#include <stdio.h>

struct ib_kallsyms;

/*
 * Load the text symbols of /proc/kallsyms (or @path, a file or a pipe);
 * NULL with the reason in @err (unreadable, not a file, no symbol).
 */
struct ib_kallsyms *ib_kallsyms_load(const char *path, char *err,
				     size_t errlen);
void ib_kallsyms_free(struct ib_kallsyms *ks);

/*
 * The probe-able name for function @name: @name itself, else a compiler
 * clone ("name.isra.0", "name.constprop.0", "name.part.0").  NULL when the
 * kernel has neither (inlined or absent).
 */
const char *ib_kallsyms_find(const struct ib_kallsyms *ks, const char *name);
/*
 * How many text symbols are named exactly @name (vmlinux and modules; at
 * most 256): the kernel refuses a kprobe on a name that is not unique.
 */
int ib_kallsyms_count(const struct ib_kallsyms *ks, const char *name);
/*
 * Print the line of the symbol named exactly @name to @f as the file had
 * it ("ADDRESS TYPE NAME", and "\t[MODULE]" when it is a module's), for
 * a trace.dat's kallsyms: 1 printed, 0 when there is no such symbol,
 * -EIO when writing failed.
 */
int ib_kallsyms_print(const struct ib_kallsyms *ks, const char *name, FILE *f);

#endif
