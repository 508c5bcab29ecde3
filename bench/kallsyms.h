/* SPDX-License-Identifier: GPL-2.0 */
/* ib_kallsyms: which functions this kernel has, by name. */
#ifndef IB_KALLSYMS_H
#define IB_KALLSYMS_H

struct ib_kallsyms;

/* Load text symbols of /proc/kallsyms (or @path); NULL with errno. */
struct ib_kallsyms *ib_kallsyms_load(const char *path);
void ib_kallsyms_free(struct ib_kallsyms *ks);

/*
 * The probe-able name for function @name: @name itself, else a compiler
 * clone ("name.isra.0", "name.constprop.0", "name.part.0").  NULL when the
 * kernel has neither (inlined or absent).
 */
const char *ib_kallsyms_find(const struct ib_kallsyms *ks, const char *name);

#endif
