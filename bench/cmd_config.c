// SPDX-License-Identifier: GPL-2.0
/*
 * iommu-bench config: let the lab scripts read configs/ through the same
 * parser as the collector, so a file means the same thing to both.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "conf.h"
#include "conf_validate.h"
#include "util.h"

void cmd_config_usage(FILE *f)
{
	fprintf(f,
		"usage: iommu-bench config get FILE SECTION KEY [DEFAULT]\n"
		"       iommu-bench config sections FILE\n"
		"       iommu-bench config check FILE\n\n"
		"Print one value of a configs/ file, or its section names, one per\n"
		"line.  SECTION '' is the part before the first [section].  check\n"
		"reads an experiment or a kernel set whole: every key known, every\n"
		"value of its kind, the files it names present (run from the tree's\n"
		"top); the lab checks each file so before it boots anything.\n"
		"Exit status: 0 found (or good), 1 key absent and no DEFAULT,\n"
		"2 bad file or usage.\n");
}

int cmd_config(int argc, char **argv)
{
	struct ib_conf *conf;
	const char *v;
	char err[512];
	int i, ret = 0;

	if (argc >= 2 && !strcmp(argv[1], "--help")) {
		cmd_config_usage(stdout);
		return 0;
	}
	if (!(argc == 3 && (!strcmp(argv[1], "sections") ||
			    !strcmp(argv[1], "check"))) &&
	    !((argc == 5 || argc == 6) && !strcmp(argv[1], "get"))) {
		ib_usage_short(cmd_config_usage, "config");
		return 2;
	}
	conf = ib_conf_load(argv[2], err, sizeof(err));
	if (!conf) {
		ib_err("%s", err);
		return 2;
	}
	if (!strcmp(argv[1], "check")) {
		if (ib_conf_validate(conf, err, sizeof(err))) {
			ib_err("%s", err);
			ret = 2;
		}
	} else if (!strcmp(argv[1], "sections")) {
		for (i = 0; (v = ib_conf_section(conf, i)); i++)
			puts(v);
	} else {
		v = ib_conf_get(conf, argv[3], argv[4]);
		if (!v && argc == 6)
			v = argv[5];
		if (v) {
			puts(v);
		} else {
			ib_err("%s: no key '%s' in section [%s]", argv[2],
			       argv[4], argv[3]);
			ret = 1;
		}
	}
	ib_conf_free(conf);
	return ret;
}
