/* SPDX-License-Identifier: GPL-2.0 */
/* The iommu-bench command table: one file per subcommand. */
#ifndef IB_COMMANDS_H
#define IB_COMMANDS_H

#include <stdio.h>

#include "version.h"

/* run's and host-ab's exit status when the system refuses them before
 * anything ran */
#define IB_EXIT_REFUSED 3

/*
 * A bad option: the first line of a command's @usage, and where the rest
 * is, on stderr (as git and perl do; the whole text is --help's).
 */
void ib_usage_short(void (*usage)(FILE *f), const char *name);

struct ib_command {
	const char *name;
	int (*main)(int argc, char **argv);
	void (*usage)(FILE *f);
	const char *summary;
};

int cmd_run(int argc, char **argv);
void cmd_run_usage(FILE *f);
int cmd_merge(int argc, char **argv);
void cmd_merge_usage(FILE *f);
int cmd_ab(int argc, char **argv);
void cmd_ab_usage(FILE *f);
int cmd_config(int argc, char **argv);
void cmd_config_usage(FILE *f);
int cmd_import(int argc, char **argv);
void cmd_import_usage(FILE *f);
int cmd_probes(int argc, char **argv);
void cmd_probes_usage(FILE *f);
int cmd_probe_check(int argc, char **argv);
void cmd_probe_check_usage(FILE *f);
int cmd_probe_cost(int argc, char **argv);
void cmd_probe_cost_usage(FILE *f);
int cmd_devices(int argc, char **argv);
void cmd_devices_usage(FILE *f);
int cmd_host_ab(int argc, char **argv);
void cmd_host_ab_usage(FILE *f);
int cmd_compare(int argc, char **argv);
void cmd_compare_usage(FILE *f);
int cmd_steps(int argc, char **argv);
void cmd_steps_usage(FILE *f);

#endif
