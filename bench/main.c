// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench: measure the Linux IOMMU device-release path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"
#include "iommu_bench.h"

static const struct ib_command commands[] = {
	{ "run", cmd_run, cmd_run_usage,
	  "drive release cycles through the module and record them" },
	{ "devices", cmd_devices, cmd_devices_usage,
	  "list PCI functions: group, driver, whether a run may cycle it" },
	{ "compare", cmd_compare, cmd_compare_usage,
	  "compare runs: tables, plots, statistics, cover letter" },
	{ "steps", cmd_steps, cmd_steps_usage,
	  "a series step by step: what each patch changed" },
	{ "ab", cmd_ab, cmd_ab_usage,
	  "A/B a patch of your own: kernels from your git tree, in the lab" },
	{ "host-ab", cmd_host_ab, cmd_host_ab_usage,
	  "interleave kernels on this machine by kexec, run, compare" },
	{ "import", cmd_import, cmd_import_usage,
	  "analyse a trace.dat or perf.data recorded elsewhere, as a run would" },
	{ "probes", cmd_probes, cmd_probes_usage,
	  "print the kprobes a run would arm here (for trace-cmd or perf)" },
	{ "probe-check", cmd_probe_check, cmd_probe_check_usage,
	  "check every probe pack against a kernel's symbols" },
	{ "probe-cost", cmd_probe_cost, cmd_probe_cost_usage,
	  "measure what one probe hit costs here, each kind" },
	{ "merge", cmd_merge, cmd_merge_usage,
	  "merge the boots of one kernel into one result" },
	{ "config", cmd_config, cmd_config_usage,
	  "read a value from a configs/ file (for scripts)" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: iommu-bench COMMAND [OPTIONS]\n\n"
		"Measure what the IOMMU device-release path costs and how many\n"
		"domain switches it makes.\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "  %-10s %s\n  %-10s %s\n", "help", "help for a command",
		"version", "print the version (also -V, --version)");
	fprintf(f, "\n'iommu-bench help COMMAND' or 'iommu-bench COMMAND --help' for its options.\n"
		"\nenvironment:\n"
		"  IOMMU_BENCH_DATA  the directory holding configs/probes and the\n"
		"                    analysis/*.gp plot scripts; by default the source\n"
		"                    tree the binary was built in, else %s\n"
		"\nExit status, every command: 0 done; 1 it failed (unreadable or\n"
		"inconsistent input, a run that failed or was stopped); 2 bad usage or\n"
		"a bad argument; run and host-ab also 3: the system refused before\n"
		"anything ran.\n"
		"Each command's help says what each means for it.\n",
		IB_DATADIR);
}

static void help_usage(FILE *f)
{
	fprintf(f, "usage: iommu-bench help [COMMAND]\n\n"
		"Without COMMAND, the commands; with it, that command's options\n"
		"(as 'iommu-bench COMMAND --help').\n\n"
		"Exit status: 0 shown, 2 no such command.\n");
}

static const struct ib_command *find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct ib_command *cmd;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version") ||
	    !strcmp(argv[1], "-V")) {
		printf("iommu-bench %s (uapi %d)\n", IB_VERSION,
		       IOMMU_BENCH_ABI_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[2], "help") || !strcmp(argv[2], "--help") ||
		    !strcmp(argv[2], "-h")) {
			help_usage(stdout);
			return 0;
		}
		cmd = find(argv[2]);
		if (!cmd) {
			fprintf(stderr, "iommu-bench: no command '%s'\n", argv[2]);
			return 2;
		}
		cmd->usage(stdout);
		return 0;
	}
	cmd = find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "iommu-bench: no command '%s'\n\n", argv[1]);
		usage(stderr);
		return 2;
	}
	return cmd->main(argc - 1, argv + 1);
}

void ib_usage_short(void (*usage)(FILE *f), const char *name)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f) {
		usage(f);
		fclose(f);
	}
	fprintf(stderr, "%.*s\nTry 'iommu-bench help %s' for its options.\n",
		text ? (int)strcspn(text, "\n") : 0, text ? text : "", name);
	free(text);
}
