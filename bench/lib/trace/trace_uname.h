/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The uname that trace-cmd record keeps in a trace.dat: where an imported
 * recording was made.  libtracecmd has no call for it, so trace-cmd
 * report --uname says it.
 */
#ifndef IB_TRACE_UNAME_H
#define IB_TRACE_UNAME_H

struct ib_trace_uname {
	char release[128];
	char version[256];
	char machine[64];
};

/*
 * Fill @u from @file's recorded uname, as trace-cmd report --uname says it.
 *
 * Return: 0; -ENOENT when the file keeps none (trace-cmd restore writes
 * none) or trace-cmd cannot say (nor run); another negative errno when
 * no pipe or process can be made for it.
 */
int ib_trace_uname_read(const char *file, struct ib_trace_uname *u);
/*
 * Fill @u from one line of trace-cmd report --uname ("Linux NODE RELEASE
 * [VERSION...] MACHINE").
 *
 * Return: 0, or -ENOENT when the line is not one (then @u may hold part
 * of it).
 */
int ib_trace_uname_parse(const char *line, struct ib_trace_uname *u);

#endif
