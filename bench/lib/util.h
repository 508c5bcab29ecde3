/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers every part of iommu-bench uses.  The library's rules
 * (errors, names, memory): Documentation/libiommubench.md.
 */
#ifndef IB_UTIL_H
#define IB_UTIL_H

#include <stddef.h>
#include <sys/types.h>
#include <stdio.h>
#include <string.h>

/*
 * calloc() that never fails: out of memory, it aborts (the library's one
 * way out, see util.c).  A count or size of 0 is taken as 1, so that
 * the result is never NULL.
 *
 * Return: the zeroed memory, never NULL.
 */
void *ib_xcalloc(size_t n, size_t size);
/* realloc() that aborts when out of memory.  Return: @p moved, never NULL. */
void *ib_xrealloc(void *p, size_t size);
/* strdup() that aborts when out of memory.  Return: the copy, never NULL. */
char *ib_xstrdup(const char *s);
/* asprintf() that aborts out of memory.  Return: the string, never NULL. */
char *ib_xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Copy @src into @dst of @size bytes, cut if need be, always terminated. */
static inline void ib_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * Read the whole file @path; its length into *@len (@len may be NULL).
 *
 * Return: its text, NUL-terminated (free() it), or NULL with errno set.
 */
char *ib_read_file(const char *path, size_t *len);

/*
 * The last part of the target of symbolic link @dir/@name (a device's
 * "driver": the driver's name).
 *
 * Return: that name (free() it), or NULL with errno set (readlink's).
 */
char *ib_link_base(const char *dir, const char *name);

/*
 * Atomic file output: write to "<path>.tmp", then rename over @path on
 * ib_afile_commit().  ib_afile_abort() leaves @path as it was.
 */
struct ib_afile;
/*
 * Start writing @path: "<path>.tmp" is created (truncated).
 *
 * Return: the file, or NULL with errno set (fopen's).
 */
struct ib_afile *ib_afile_open(const char *path);
/* Return: the stream to write @af through (owned by @af). */
FILE *ib_afile_stream(struct ib_afile *af);
/*
 * Flush and fsync "<path>.tmp", close it and rename it over @path; on
 * failure it is removed and @path left as it was.  @af is freed either way.
 *
 * Return: 0, or a negative errno.
 */
int ib_afile_commit(struct ib_afile *af);
/* Close and remove "<path>.tmp", leaving @path as it was; free @af. */
void ib_afile_abort(struct ib_afile *af);

/*
 * write(2) all of @buf, retrying short writes and EINTR.
 *
 * Return: 0, or a negative errno.
 */
int ib_write_all(int fd, const void *buf, size_t len);

/*
 * Make the directories above @path ("mkdir -p" of its parent), each with
 * @mode; those that exist are left as they are.
 *
 * Return: 0, or a negative errno.
 */
int ib_mkdir_parents(const char *path, mode_t mode);
/*
 * Remove the tree @path (a file alone too), not following symbolic
 * links; it stops at the first entry it cannot remove.
 *
 * Return: 0, or a negative errno.
 */
int ib_rmtree(const char *path);

/*
 * Split @s on white space and commas into words; their number into
 * *@count (@count may be NULL).
 *
 * Return: a NULL-terminated vector (ib_free_words() it), never NULL.
 */
char **ib_split_words(const char *s, int *count);
/* Return: CLOCK_MONOTONIC in milliseconds, for the collector's own timings. */
double ib_now_ms(void);
/* Free a vector of ib_split_words() and its words; NULL is ignored. */
void ib_free_words(char **words);

/*
 * The directory holding configs/ and analysis/: env IOMMU_BENCH_DATA,
 * else the source tree the binary was built in (build/iommu-bench -> ..),
 * else where make install put them (PREFIX/share/iommu-bench).
 *
 * Return: the directory (the environment's, or a static buffer), never
 * NULL.
 */
const char *ib_data_dir(void);
#ifndef IB_DATADIR	/* the Makefile's, from PREFIX */
#define IB_DATADIR "/usr/local/share/iommu-bench"
#endif

/*
 * The commands' messages, on stderr after the program's name:
 * "iommu-bench: error: ...".  The library itself reports through its
 * return values and @err buffers (Documentation/libiommubench.md).
 */
void ib_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "iommu-bench: warning: ..." on stderr: see ib_err(). */
void ib_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "iommu-bench: ..." on stderr: see ib_err(). */
void ib_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
