// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the cycles.csv reader.  A file it accepts, written
 * back with the writer and read again, gives the same rows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cycles_csv.h"

static void as_file(const void *data, size_t size, int *fd)
{
	*fd = memfd_create("cycles.csv", 0);
	if (*fd < 0 || write(*fd, data, size) != (ssize_t)size)
		abort();
}

static int read_fd(int fd, struct ib_row **rows, size_t *n, char *err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return ib_cycles_csv_read(path, rows, n, NULL, err, 256);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ib_row *rows = NULL, *again = NULL;
	size_t n = 0, n2 = 0, i, len = 0;
	char err[256] = "", *buf = NULL;
	FILE *f;
	int fd, fd2;

	as_file(data, size, &fd);
	if (read_fd(fd, &rows, &n, err)) {
		close(fd);
		if (!err[0])
			__builtin_trap();
		return 0;
	}
	close(fd);
	f = open_memstream(&buf, &len);
	ib_cycles_csv_header(f, IB_UNIT_NS);
	for (i = 0; i < n; i++)
		ib_cycles_csv_row(f, &rows[i]);
	fclose(f);
	as_file(buf, len, &fd2);
	if (read_fd(fd2, &again, &n2, err) || n2 != n)
		__builtin_trap();
	for (i = 0; i < n; i++)
		if (memcmp(&rows[i], &again[i], sizeof(rows[i])))
			__builtin_trap();
	close(fd2);
	free(buf);
	free(rows);
	free(again);
	return 0;
}
