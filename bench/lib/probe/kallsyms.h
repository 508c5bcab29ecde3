/* SPDX-License-Identifier: GPL-2.0 */
/* ib_kallsyms: which functions this kernel has, by name. */
#ifndef IB_KALLSYMS_H
#define IB_KALLSYMS_H

#include <stddef.h>
#include <stdio.h>

struct ib_kallsyms;

/*
 * Load the text symbols of /proc/kallsyms (or @path, a file or a pipe).
 *
 * Return: the symbols (ib_kallsyms_free() them), or NULL with errno set
 * and the reason in @err: the system's error when @path cannot be read,
 * EINVAL when it is not a file or holds no text symbol.
 */
struct ib_kallsyms *ib_kallsyms_load(const char *path, char *err,
				     size_t errlen);
/* Free @ks; NULL is ignored. */
void ib_kallsyms_free(struct ib_kallsyms *ks);

/*
 * The probe-able name for function @name: @name itself, else a compiler
 * clone ("name.isra.0", "name.constprop.0", "name.part.0").
 *
 * Return: that name (owned by @ks), or NULL when the kernel has neither
 * (inlined or absent).
 */
const char *ib_kallsyms_find(const struct ib_kallsyms *ks, const char *name);
/*
 * How many text symbols are named exactly @name (vmlinux and modules):
 * the kernel refuses a kprobe on a name that is not unique.
 *
 * Return: that count, 0 to 256 (counted no further).
 */
int ib_kallsyms_count(const struct ib_kallsyms *ks, const char *name);
/*
 * Print the line of the symbol named exactly @name to @f as the file had
 * it ("ADDRESS TYPE NAME", and "\t[MODULE]" when it is a module's), for
 * a trace.dat's kallsyms.
 *
 * Return: 1 printed, 0 when there is no such symbol, -EIO when writing
 * failed.
 */
int ib_kallsyms_print(const struct ib_kallsyms *ks, const char *name, FILE *f);

#endif
