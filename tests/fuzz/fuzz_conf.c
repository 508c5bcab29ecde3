// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: configs/ files, as experiments, kernel sets and
 * probe packs.  Whatever the bytes, parsing ends without a crash, a leak
 * or undefined behaviour, and a refused file says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "probe_pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256] = "";
	struct ib_probeset *ps;
	struct ib_conf *conf;
	const char *sec;
	int i;

	memcpy(text, data, size);
	text[size] = '\0';
	conf = ib_conf_parse(text, "fuzz.conf", err, sizeof(err));
	if (conf) {
		for (i = 0; (sec = ib_conf_section(conf, i)); i++)
			if (ib_conf_get(conf, sec, "role") &&
			    !ib_conf_get_or(conf, sec, "symbols", ""))
				__builtin_trap();
		ib_conf_free(conf);
	} else if (!err[0]) {
		__builtin_trap();	/* refused without a reason */
	}
	err[0] = '\0';
	ps = ib_probeset_create();
	if (ib_probeset_load_text(ps, text, "fuzz.conf", err, sizeof(err)) &&
	    !err[0])
		__builtin_trap();
	ib_probeset_free(ps);
	free(text);
	return 0;
}
