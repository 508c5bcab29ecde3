// SPDX-License-Identifier: GPL-2.0
/*
 * A trace.dat of every run, for trace-cmd report and KernelShark.
 *
 * The collector drains the ring buffer itself, page by page, and keeps
 * the pages in per-CPU files, exactly what "trace-cmd record" leaves
 * behind; "trace-cmd restore" then joins them with a header of this
 * kernel's event formats.  libtracecmd cannot write files, so the
 * trace-cmd program does that part, and a run without it says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <json-c/json.h>
#include <tracefs.h>

#include "run_state.h"
#include "tracing.h"
#include "util.h"

extern char **environ;

/*
 * Run trace-cmd with its output in @log; 0 when it exits 0, -ENOENT when
 * there is no trace-cmd in PATH, -EIO for any other exit.
 */
static int trace_cmd(char **argv, const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND,
					 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	ret = posix_spawnp(&pid, "trace-cmd", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return -ret;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

/* The probed functions' symbols, as setup found them (cmd_run.c). */
static int write_kallsyms(const char *ksyms, const char *out)
{
	FILE *f;

	if (!ksyms)
		return -ENOMEM;
	f = fopen(out, "w");
	if (!f)
		return -errno;
	fputs(ksyms, f);
	return fclose(f) ? -errno : 0;
}

/* The header: this kernel's event formats, probed symbols, task names. */
static int write_head(const char *head, const char *ksyms, const char *log)
{
	const char *dir = tracefs_tracing_dir();
	char *tdir = dir ? ib_xstrdup(dir) : NULL;
	char *argv[] = { "trace-cmd", "restore", "-c", "-o", (char *)head,
			 "-k", (char *)ksyms, tdir ? "-t" : NULL, tdir, NULL };
	int ret = trace_cmd(argv, log);

	free(tdir);
	return ret;
}

/*
 * trace-cmd restore records the clock of its tracing dir's top instance
 * (tracefs_get_clock(NULL): local, or global), not the one the run's
 * instance recorded on, and has no option to say otherwise.  It runs in
 * a mount namespace of its own where the top trace_clock is a file
 * naming @clock; nothing outside the child sees it.  -EPERM where a
 * namespace cannot be made (not root, a container): then the file names
 * the top clock.
 */
#define CLOCK_BOUND "iommu-bench: trace-cmd sees the run's trace clock"

static int trace_cmd_clock(char **argv, const char *log, const char *clock,
			   const char *dir)
{
	const char *top = tracefs_tracing_dir();
	char *file = ib_xasprintf("%s/trace_clock", dir);
	char *over = top ? ib_xasprintf("%s/trace_clock", top) : NULL;
	int status, fd, ret = -EPERM, written;
	FILE *f = fopen(file, "w");
	pid_t pid, w;

	written = f && fprintf(f, "[%s]\n", clock) >= 0;
	if (f && fclose(f))
		written = 0;
	pid = written && over ? fork() : -1;
	if (pid < 0) {		/* no child of our own: the top clock it is */
		free(file);
		free(over);
		return trace_cmd(argv, log) ? -EIO : -EPERM;
	}
	if (!pid) {
		int bound = !unshare(CLONE_NEWNS) &&
			    !mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) &&
			    !mount(file, over, NULL, MS_BIND, NULL);

		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0)
			_exit(127);
		dup2(fd, 1);
		dup2(fd, 2);
		if (bound)
			dprintf(1, "%s\n", CLOCK_BOUND);
		execvp("trace-cmd", argv);
		_exit(127);
	}
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (w == pid && WIFEXITED(status) && !WEXITSTATUS(status)) {
		char *text = ib_read_file(log, NULL);

		ret = text && strstr(text, CLOCK_BOUND) ? 0 : -EPERM;
		free(text);
	} else {
		ret = -EIO;
	}
	free(file);
	free(over);
	return ret;
}

static void note(struct ib_run_state *s, const char *why)
{
	free(s->tracedat_note);
	s->tracedat_note = ib_xstrdup(why);
}

int ib_run_tracedat_begin(struct ib_run_state *s)
{
	char *version[] = { "trace-cmd", "--version", NULL };
	char *ksyms, *log;
	int ret;

	if (s->o->no_trace_dat) {
		note(s, "not asked for (--no-trace-dat)");
		return 0;
	}
	s->pages = ib_xasprintf("%s/pages", s->partial);
	if (mkdir(s->pages, 0755)) {
		note(s, "cannot keep the trace pages");
		ib_warn("%s: %s: this run keeps no trace.dat", s->pages,
			strerror(errno));
		free(s->pages);
		s->pages = NULL;
		return 0;
	}
	ksyms = ib_xasprintf("%s/kallsyms", s->pages);
	log = ib_xasprintf("%s/trace-cmd.log", s->pages);
	/*
	 * Is there a trace-cmd?  Its header is written at the end, when
	 * the kernel knows the tasks of the run's events (a header takes
	 * seconds under TCG: once per run is enough).
	 */
	ret = trace_cmd(version, log);
	if (ret == -ENOENT) {
		note(s, "trace-cmd is not installed: no trace.dat");
		ib_warn("trace-cmd is not installed: this run keeps no trace.dat");
	} else if ((ret = write_kallsyms(s->ksyms, ksyms))) {
		note(s, "cannot write the probed symbols: no trace.dat");
		ib_warn("%s: %s: this run keeps no trace.dat", ksyms,
			strerror(-ret));
	} else if ((ret = ib_tracing_keep_pages(s->tr, s->pages))) {
		note(s, "cannot keep the trace pages");
		ib_warn("%s: %s: this run keeps no trace.dat", s->pages,
			strerror(-ret));
	}
	if (ret) {
		ib_tracing_keep_pages(s->tr, NULL);
		ib_rmtree(s->pages);
		free(s->pages);
		s->pages = NULL;
	}
	free(ksyms);
	free(log);
	return 0;
}

int ib_run_tracedat_end(struct ib_run_state *s)
{
	int ncpus = ib_tracing_info(s->tr)->ncpus, i, ret, clock_note = 0;
	char **argv, *head, *ksyms, *log, *out, *raw;

	if (!s->pages)
		return 0;
	ib_tracing_keep_pages(s->tr, NULL);
	head = ib_xasprintf("%s/head.dat", s->pages);
	ksyms = ib_xasprintf("%s/kallsyms", s->pages);
	log = ib_xasprintf("%s/trace-cmd.log", s->pages);
	out = ib_xasprintf("%s/trace.dat", s->partial);
	raw = ib_xasprintf("%s/raw.dat", s->pages);
	/* the event formats, the probed symbols and the run's task names */
	ret = write_head(head, ksyms, log);
	if (ret) {
		char *text = ib_read_file(log, NULL);

		note(s, "trace-cmd restore -c failed: no trace.dat");
		ib_warn("trace-cmd could not write a trace header: this run keeps no trace.dat\n%s",
			text ? text : "");
		free(text);
		ib_rmtree(s->pages);
		goto out;
	}
	argv = ib_xcalloc(ncpus + 8, sizeof(*argv));
	argv[0] = "trace-cmd";
	argv[1] = "restore";
	argv[2] = "-i";
	argv[3] = head;
	argv[4] = "-o";
	argv[5] = raw;
	for (i = 0; i < ncpus; i++)
		argv[6 + i] = ib_xasprintf("%s/cpu%d", s->pages, i);
	ret = trace_cmd_clock(argv, log, ib_tracing_info(s->tr)->clock, s->pages);
	if (ret == -EPERM) {
		clock_note = 1;
		ret = 0;
	}
	if (ret) {
		char *text = ib_read_file(log, NULL);

		note(s, "trace-cmd restore failed: no trace.dat");
		ib_warn("trace-cmd restore failed; pages kept in %s/pages:\n%s",
			s->o->out, text ? text : "");
		free(text);
		unlink(raw);
	} else {
		if (clock_note)
			ib_warn("trace.dat names the top instance's trace clock, not the run's %s (no mount namespace here)",
				ib_tracing_info(s->tr)->clock);
		/* version 7, compressed: a tenth of the size, same content */
		char *conv[] = { "trace-cmd", "convert", "-i", raw, "-o", out,
				 "--file-version", "7", "--compression", "any",
				 NULL };

		if (trace_cmd(conv, log) && rename(raw, out))
			note(s, "cannot write trace.dat");
		ib_rmtree(s->pages);
	}
	for (i = 0; i < ncpus; i++)
		free(argv[6 + i]);
	free(argv);
out:
	free(head);
	free(ksyms);
	free(log);
	free(out);
	free(raw);
	return 0;
}

json_object *ib_run_tracedat_json(const struct ib_run_state *s)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "file", s->tracedat_note ? NULL :
			       json_object_new_string("trace.dat"));
	json_object_object_add(o, "note", s->tracedat_note ?
			       json_object_new_string(s->tracedat_note) : NULL);
	return o;
}
