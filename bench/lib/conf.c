// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "util.h"

struct ib_conf_entry {
	char *section;
	char *key;
	char *value;
	int line;
};

struct ib_conf {
	char *name;		/* the file, for messages */
	struct ib_conf_entry *entries;
	size_t nentries;
	char **sections;
	int *section_lines;
	size_t nsections;
};

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.')
			return 0;
	return 1;
}

void ib_conf_free(struct ib_conf *conf)
{
	size_t i;

	if (!conf)
		return;
	for (i = 0; i < conf->nentries; i++) {
		free(conf->entries[i].key);
		free(conf->entries[i].value);
	}
	for (i = 0; i < conf->nsections; i++)
		free(conf->sections[i]);
	free(conf->entries);
	free(conf->sections);
	free(conf->section_lines);
	free(conf->name);
	free(conf);
}

static int add_section(struct ib_conf *conf, const char *name, int line)
{
	size_t i;

	for (i = 0; i < conf->nsections; i++)
		if (!strcmp(conf->sections[i], name))
			return -EEXIST;
	conf->sections = ib_xrealloc(conf->sections,
				     (conf->nsections + 1) * sizeof(char *));
	conf->section_lines = ib_xrealloc(conf->section_lines,
					  (conf->nsections + 1) * sizeof(int));
	conf->section_lines[conf->nsections] = line;
	conf->sections[conf->nsections++] = ib_xstrdup(name);
	return 0;
}

struct ib_conf *ib_conf_parse(const char *text, const char *name,
			      char *err, size_t errlen)
{
	struct ib_conf *conf = ib_xcalloc(1, sizeof(*conf));
	char *copy = ib_xstrdup(text), *line, *next;
	int lineno = 0;

	conf->name = ib_xstrdup(name);
	add_section(conf, "", 0);
	for (line = copy; line; line = next) {
		char *eq, *key, *value, *hash;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line = trim(line);
		if (!*line)
			continue;
		if (*line == '[') {
			char *close = strchr(line, ']');

			if (!close || close[1]) {
				snprintf(err, errlen, "%s:%d: bad section header",
					 name, lineno);
				goto fail;
			}
			*close = '\0';
			line = trim(line + 1);
			if (!valid_name(line)) {
				snprintf(err, errlen, "%s:%d: bad section name '%s'",
					 name, lineno, line);
				goto fail;
			}
			if (add_section(conf, line, lineno)) {
				snprintf(err, errlen, "%s:%d: section [%s] given twice",
					 name, lineno, line);
				goto fail;
			}
			continue;
		}
		eq = strchr(line, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'",
				 name, lineno);
			goto fail;
		}
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		if (!valid_name(key)) {
			snprintf(err, errlen, "%s:%d: bad key '%s'", name,
				 lineno, key);
			goto fail;
		}
		if (ib_conf_get(conf, conf->sections[conf->nsections - 1], key)) {
			snprintf(err, errlen, "%s:%d: key '%s' given twice",
				 name, lineno, key);
			goto fail;
		}
		conf->entries = ib_xrealloc(conf->entries,
					    (conf->nentries + 1) *
					    sizeof(*conf->entries));
		conf->entries[conf->nentries].section =
			conf->sections[conf->nsections - 1];
		conf->entries[conf->nentries].key = ib_xstrdup(key);
		conf->entries[conf->nentries].value = ib_xstrdup(value);
		conf->entries[conf->nentries].line = lineno;
		conf->nentries++;
	}
	free(copy);
	return conf;
fail:
	free(copy);
	ib_conf_free(conf);
	errno = EINVAL;
	return NULL;
}

struct ib_conf *ib_conf_load(const char *path, char *err, size_t errlen)
{
	struct ib_conf *conf;
	char *text = ib_read_file(path, NULL);

	if (!text) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	conf = ib_conf_parse(text, path, err, errlen);
	free(text);
	return conf;
}

const char *ib_conf_section(const struct ib_conf *conf, int index)
{
	/* Index 0 is the implicit "" section before any header. */
	if (index < 0 || (size_t)index + 1 >= conf->nsections)
		return NULL;
	return conf->sections[index + 1];
}

const char *ib_conf_get(const struct ib_conf *conf, const char *section,
			const char *key)
{
	size_t i;

	for (i = 0; i < conf->nentries; i++)
		if (!strcmp(conf->entries[i].section, section) &&
		    !strcmp(conf->entries[i].key, key))
			return conf->entries[i].value;
	return NULL;
}

const char *ib_conf_get_or(const struct ib_conf *conf, const char *section,
			   const char *key, const char *def)
{
	const char *v = ib_conf_get(conf, section, key);

	return v ? v : def;
}

const char *ib_conf_name(const struct ib_conf *conf)
{
	return conf->name;
}

int ib_conf_line(const struct ib_conf *conf, const char *section,
		 const char *key)
{
	size_t i;

	for (i = 0; key && i < conf->nentries; i++)
		if (!strcmp(conf->entries[i].section, section) &&
		    !strcmp(conf->entries[i].key, key))
			return conf->entries[i].line;
	for (i = 0; i < conf->nsections; i++)
		if (!strcmp(conf->sections[i], section))
			return conf->section_lines[i];
	return 0;
}

int ib_conf_known_keys(const struct ib_conf *conf, const char *section,
		       const char *const *known, char *err, size_t errlen)
{
	size_t i, k;

	for (i = 0; i < conf->nentries; i++) {
		const struct ib_conf_entry *e = &conf->entries[i];

		if (strcmp(e->section, section))
			continue;
		for (k = 0; known[k] && strcmp(known[k], e->key); k++)
			;
		if (!known[k]) {
			int len = snprintf(err, errlen, "%s:%d: unknown key '%s' in [%s]; known:",
					   conf->name, e->line, e->key, section);

			for (k = 0; known[k] && len > 0 && (size_t)len < errlen; k++)
				len += snprintf(err + len, errlen - len, " %s", known[k]);
			return -EINVAL;
		}
	}
	return 0;
}
