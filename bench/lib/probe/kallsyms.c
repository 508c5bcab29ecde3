// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kallsyms.h"
#include "util.h"

/*
 * The text symbols in a hash table, by name and by the name a compiler
 * clone was made of ("f.isra.0" under "f").  The file has over 100 000
 * lines; sorting them took a second of a run under TCG, hashing a tenth.
 */
struct ib_kallsyms {
	char *text;		/* the file; names point into it */
	const char *end;	/* its terminating NUL */
	char **slot;		/* open addressing: exact names */
	char **clone;		/* ... and clones, keyed by their base */
	unsigned char *dups;	/* per slot: how many more of that name */
	size_t mask, cmask;
};

static const char *const clones[] = { ".isra.", ".constprop.", ".part." };

/* FNV-1a of the first @len bytes of @s. */
static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* Length of @name without a clone suffix, or 0 if it is no clone. */
static size_t clone_base(const char *name)
{
	const char *dot;
	size_t i;

	for (dot = strchr(name, '.'); dot; dot = strchr(dot + 1, '.'))
		for (i = 0; i < sizeof(clones) / sizeof(clones[0]); i++)
			if (!strncmp(dot, clones[i], strlen(clones[i])))
				return dot - name;
	return 0;
}

/* @dups (or NULL) counts the names seen more than once, by slot. */
static void insert(char **table, unsigned char *dups, size_t mask, char *name,
		   size_t len)
{
	size_t i = hash(name, len) & mask, n = 0;

	while (table[i]) {
		if (++n > mask)
			return;		/* full: the name is not probe-able */
		/* the first of a name stays: kallsyms lists vmlinux first */
		/* exact names by exact name: "f" is not "f.cold" */
		if (!strncmp(table[i], name, len) &&
		    (table[i][len] == '\0' || (!dups && table[i][len] == '.'))) {
			if (dups && table[i][len] == '\0' && dups[i] < 255)
				dups[i]++;
			return;
		}
		i = (i + 1) & mask;
	}
	table[i] = name;
}

/* The slot of @name in @table, or -1. */
static long lookup(char *const *table, size_t mask, const char *name, int clone)
{
	size_t len = strlen(name), i = hash(name, len) & mask, n;

	for (n = 0; table[i] && n <= mask; i = (i + 1) & mask, n++) {
		const char *s = table[i];

		if (!strncmp(s, name, len) &&
		    (clone ? clone_base(s) == len : s[len] == '\0'))
			return (long)i;
	}
	return -1;
}

/*
 * Only a file or a pipe: /dev/zero never ends, and /proc/kallsyms is a
 * regular file (of size 0) like any saved copy.
 */
static char *read_symbols(const char *path, char *err, size_t errlen)
{
	struct stat st;
	size_t len;
	char *text;
	int e;

	if (stat(path, &st)) {
		e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		snprintf(err, errlen, "%s: not a file (a %s): no kallsyms", path,
			 S_ISDIR(st.st_mode) ? "directory" : "device or socket");
		errno = EINVAL;
		return NULL;
	}
	text = ib_read_file(path, &len);
	if (!text) {
		e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
	} else if (strlen(text) != len) {
		snprintf(err, errlen, "%s: holds NUL bytes: not a kallsyms", path);
		free(text);
		text = NULL;
		errno = EINVAL;
	}
	return text;
}

struct ib_kallsyms *ib_kallsyms_load(const char *path, char *err,
				     size_t errlen)
{
	struct ib_kallsyms *ks;
	size_t lines = 1, base, nsyms = 0;
	char *line, *next;

	if (!path)
		path = "/proc/kallsyms";
	ks = ib_xcalloc(1, sizeof(*ks));
	ks->text = read_symbols(path, err, errlen);
	if (!ks->text) {
		free(ks);
		return NULL;
	}
	ks->end = ks->text + strlen(ks->text);
	for (line = ks->text; (line = strchr(line, '\n')); line++)
		lines++;
	/* at most two thirds full; clones are a tenth */
	for (ks->mask = 1023; ks->mask < lines + lines / 2; ks->mask = 2 * ks->mask + 1)
		;
	ks->cmask = ks->mask / 4;
	ks->slot = ib_xcalloc(ks->mask + 1, sizeof(char *));
	ks->dups = ib_xcalloc(ks->mask + 1, 1);
	ks->clone = ib_xcalloc(ks->cmask + 1, sizeof(char *));
	for (line = ks->text; *line; line = next) {
		char *type, *name, *end;

		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		/* "ffffffff81000000 T name [module]"; text symbols only */
		type = strchr(line, ' ');
		if (!type || type >= next || (type[1] != 't' && type[1] != 'T') ||
		    type[2] != ' ')
			continue;
		name = type + 3;
		end = name + strcspn(name, " \t\n");
		if (end == name || end - name > 255)
			continue;
		*end = '\0';
		nsyms++;
		insert(ks->slot, ks->dups, ks->mask, name, end - name);
		base = clone_base(name);
		if (base)
			insert(ks->clone, NULL, ks->cmask, name, base);
	}
	if (!nsyms) {
		snprintf(err, errlen, "%s: no text symbol (\"ADDRESS t NAME\" lines): not a kallsyms",
			 path);
		ib_kallsyms_free(ks);
		errno = EINVAL;
		return NULL;
	}
	return ks;
}

void ib_kallsyms_free(struct ib_kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->text);
	free(ks->slot);
	free(ks->dups);
	free(ks->clone);
	free(ks);
}

const char *ib_kallsyms_find(const struct ib_kallsyms *ks, const char *name)
{
	long i = lookup(ks->slot, ks->mask, name, 0);

	if (i >= 0)
		return ks->slot[i];
	i = lookup(ks->clone, ks->cmask, name, 1);
	return i >= 0 ? ks->clone[i] : NULL;
}

int ib_kallsyms_print(const struct ib_kallsyms *ks, const char *name, FILE *f)
{
	long i = lookup(ks->slot, ks->mask, name, 0);
	const char *s, *line, *mod;
	size_t len;

	if (i < 0)
		return 0;
	/* the name ends in the NUL that replaced its separator (load) */
	s = ks->slot[i];
	for (line = s; line > ks->text && line[-1] != '\n' && line[-1] != '\0'; line--)
		;
	/* after it, "[module]" on this line, or the next line's address */
	mod = s + strlen(s);
	if (mod < ks->end)
		mod += 1 + strspn(mod + 1, " \t");
	len = *mod == '[' ? strcspn(mod, "\n") : 0;
	if (fprintf(f, "%.*s%s%s%.*s\n", (int)(s - line), line, s, len ? "\t" : "",
		    (int)len, mod) < 0)
		return -EIO;
	return 1;
}

int ib_kallsyms_count(const struct ib_kallsyms *ks, const char *name)
{
	long i = lookup(ks->slot, ks->mask, name, 0);

	return i < 0 ? 0 : 1 + ks->dups[i];
}
