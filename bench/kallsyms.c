// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "util.h"

struct ib_kallsyms {
	char **names;		/* sorted */
	size_t n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct ib_kallsyms *ib_kallsyms_load(const char *path)
{
	struct ib_kallsyms *ks;
	char line[512], name[256], type;
	size_t cap = 0;
	FILE *f;

	f = fopen(path ? path : "/proc/kallsyms", "r");
	if (!f)
		return NULL;
	ks = ib_xcalloc(1, sizeof(*ks));
	while (fgets(line, sizeof(line), f)) {
		/* "ffffffff81000000 T name [module]"; text symbols only */
		if (sscanf(line, "%*s %c %255s", &type, name) != 2)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (ks->n == cap) {
			cap = cap ? cap * 2 : 65536;
			ks->names = ib_xrealloc(ks->names, cap * sizeof(char *));
		}
		ks->names[ks->n++] = ib_xstrdup(name);
	}
	fclose(f);
	qsort(ks->names, ks->n, sizeof(char *), cmp_str);
	return ks;
}

void ib_kallsyms_free(struct ib_kallsyms *ks)
{
	size_t i;

	if (!ks)
		return;
	for (i = 0; i < ks->n; i++)
		free(ks->names[i]);
	free(ks->names);
	free(ks);
}

const char *ib_kallsyms_find(const struct ib_kallsyms *ks, const char *name)
{
	static const char *const clones[] = { ".isra.", ".constprop.", ".part." };
	size_t lo = 0, hi = ks->n, len = strlen(name), i;
	char *const *hit;

	hit = bsearch(&name, ks->names, ks->n, sizeof(char *), cmp_str);
	if (hit)
		return *hit;
	/* Clones sort right after "name": find the first >= name. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(ks->names[mid], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ks->n && !strncmp(ks->names[lo], name, len); lo++) {
		const char *rest = ks->names[lo] + len;

		for (i = 0; i < sizeof(clones) / sizeof(clones[0]); i++)
			if (!strncmp(rest, clones[i], strlen(clones[i])))
				return ks->names[lo];
	}
	return NULL;
}
