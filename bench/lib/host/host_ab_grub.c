// SPDX-License-Identifier: GPL-2.0
/*
 * host-ab's other way into a kernel, where kexec is refused: GRUB's
 * one-time entry (grub-reboot, as update-grub's menu names it) and a
 * firmware reboot.  GRUB clears the entry as it boots it, so a boot that
 * hangs comes back, once reset, in the default kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_ab_preflight.h"
#include "util.h"

/*
 * The next word of a grub.cfg line as GRUB's shell reads it: quotes
 * removed, '\'' (update-grub's quote in a title) joined, or NULL at the
 * end of the line.
 */
static char *next_word(const char **pp)
{
	const char *p = *pp;
	char *w, *o;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '\n' || *p == '#')
		return NULL;
	w = o = ib_xcalloc(strlen(p) + 1, 1);
	while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				*o++ = *p;
			p += !!*p;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p;
			}
			p += !!*p;
		} else {
			if (*p == '\\' && p[1])
				p++;
			*o++ = *p++;
		}
	}
	*pp = p;
	return w;
}

/* A menu entry's or submenu's name for GRUB's "default": its id, else its title. */
static char *entry_name(const char *line)
{
	char *w, *title = NULL, *id = NULL;
	int take_id = 0;

	free(next_word(&line));		/* menuentry or submenu */
	while ((w = next_word(&line))) {
		if (take_id) {
			free(id);
			id = w;
			take_id = 0;
			continue;
		}
		take_id = !strcmp(w, "$menuentry_id_option") || !strcmp(w, "--id");
		if (!title && !take_id && w[0] != '-' && strcmp(w, "{"))
			title = w;
		else
			free(w);
	}
	if (id) {
		free(title);
		return id;
	}
	return title;
}

/* Does linux line @line boot kernel @kernel, not in single-user mode? */
static int boots_kernel(const char *line, const char *kernel)
{
	char *w = next_word(&line), *img = next_word(&line), *base, *want;
	int ok = 0;

	if (w && img && (!strcmp(w, "linux") || !strcmp(w, "linuxefi") || !strcmp(w, "linux16"))) {
		base = strrchr(img, '/') ? strrchr(img, '/') + 1 : img;
		want = ib_xasprintf("vmlinuz-%s", kernel);
		/* Ubuntu's signed image for EFI: vmlinuz-K.efi.signed */
		ok = !strncmp(base, want, strlen(want)) &&
		     (!base[strlen(want)] || !strcmp(base + strlen(want), ".efi.signed"));
		free(want);
	}
	free(w);
	free(img);
	while (ok && (w = next_word(&line))) {
		ok = strcmp(w, "single") && strcmp(w, "S");
		free(w);
	}
	return ok;
}

#define DEPTH 16

char *ib_grub_entry(const char *cfg, const char *kernel)
{
	char *names[DEPTH] = { 0 }, *found = NULL, *first, *line, *save = NULL, *text, *last;
	int kind[DEPTH];	/* 0 another block, 1 submenu, 2 menuentry */
	int depth = 0, i, len;
	const char *p;

	text = ib_xstrdup(cfg);
	for (line = strtok_r(text, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save)) {
		p = line;
		first = next_word(&p);
		if (!first)
			continue;
		/* the block a line opens ends in "{" (menuentry, submenu, function) */
		len = strlen(line);
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
			len--;
		if (!strcmp(first, "}")) {
			if (depth) {
				depth--;
				free(names[depth]);
				names[depth] = NULL;
			}
		} else if (len && line[len - 1] == '{' && depth < DEPTH) {
			kind[depth] = !strcmp(first, "submenu") ? 1 : !strcmp(first, "menuentry") ? 2 : 0;
			names[depth] = kind[depth] ? entry_name(line) : NULL;
			depth++;
		} else if (depth && kind[depth - 1] == 2 && names[depth - 1] &&
			   !strstr(names[depth - 1], "recovery") && boots_kernel(line, kernel)) {
			/* "SUBMENU>ENTRY": the path GRUB's default takes */
			found = ib_xstrdup("");
			for (i = 0; i < depth; i++) {
				last = found;
				found = ib_xasprintf("%s%s%s", last, *last ? ">" : "", names[i] ? names[i] : "");
				free(last);
			}
		}
		free(first);
	}
	for (i = 0; i < DEPTH; i++)
		free(names[i]);
	free(text);
	return found;
}

int ib_grub_unfit(char *const *kernels, char *err, size_t errlen)
{
	char *cfg, *entry;
	int i, ret = 0;

	if (!ib_host_ab_has_tool("grub-reboot")) {
		snprintf(err, errlen, "no grub-reboot in PATH (GRUB's one-time entry: Debian's package grub2-common)");
		return -ENOENT;
	}
	cfg = ib_read_file(IB_GRUB_CFG, NULL);
	if (!cfg) {
		ret = -errno;
		snprintf(err, errlen, "no %s (is GRUB this machine's boot loader?)", IB_GRUB_CFG);
		return ret;
	}
	/* update-grub's menu boots next_entry once; a hand-written one may not */
	if (!strstr(cfg, "next_entry")) {
		snprintf(err, errlen, "%s does not boot GRUB's one-time entry (next_entry): update-grub writes one that does",
			 IB_GRUB_CFG);
		ret = -EOPNOTSUPP;
	}
	for (i = 0; kernels[i] && !ret; i++) {
		entry = ib_grub_entry(cfg, kernels[i]);
		if (!entry) {
			snprintf(err, errlen, "%s has no menu entry for kernel %s (update-grub)",
				 IB_GRUB_CFG, kernels[i]);
			ret = -ENOENT;
		}
		free(entry);
	}
	free(cfg);
	return ret;
}
