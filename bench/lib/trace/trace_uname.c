// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace_uname.h"
#include "util.h"

/*
 * "Linux NODE RELEASE [VERSION...] MACHINE" as trace-cmd report --uname
 * prints it (the version has spaces of its own; trace-cmd 3.1 records
 * none: "Linux (none) 6.12.118+deb12-amd64 x86_64").
 */
int ib_trace_uname_parse(const char *line, struct ib_trace_uname *u)
{
	char buf[1024], *machine;
	int at = 0;
	size_t len;

	ib_strlcpy(buf, line, sizeof(buf));
	len = strcspn(buf, "\r\n");
	while (len && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
	if (sscanf(buf, "Linux %*s %127s %n", u->release, &at) != 1 || !at ||
	    !buf[at])
		return -ENOENT;
	machine = strrchr(buf + at, ' ');
	if (machine) {
		*machine++ = '\0';
		ib_strlcpy(u->version, buf + at, sizeof(u->version));
	} else {
		machine = buf + at;
	}
	ib_strlcpy(u->machine, machine, sizeof(u->machine));
	return 0;
}

int ib_trace_uname_read(const char *file, struct ib_trace_uname *u)
{
	char line[1024];
	int fds[2], status, ret = -ENOENT;
	pid_t pid;
	FILE *f;

	memset(u, 0, sizeof(*u));
	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(fds[1], STDOUT_FILENO);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDERR_FILENO);
		}
		close(fds[0]);
		close(fds[1]);
		/* a damaged file may keep it reading: a minute at most */
		alarm(60);
		execlp("trace-cmd", "trace-cmd", "report", "--uname", "-i", file,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f))
		if (ret && !strncmp(line, "Linux ", 6)) {
			struct ib_trace_uname one = { .release = "" };

			/* all of it or nothing: a parse fails part way */
			ret = ib_trace_uname_parse(line, &one);
			if (!ret)
				*u = one;
		}
	if (f)
		fclose(f);
	else
		close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return ret;
}
