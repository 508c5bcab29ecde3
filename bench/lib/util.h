/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every part of iommu-bench uses. */
#ifndef IB_UTIL_H
#define IB_UTIL_H

#include <stddef.h>
#include <sys/types.h>
#include <stdio.h>
#include <string.h>

void *ib_xcalloc(size_t n, size_t size);
void *ib_xrealloc(void *p, size_t size);
char *ib_xstrdup(const char *s);
char *ib_xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Copy @src into @dst of @size bytes, cut if need be, always terminated. */
static inline void ib_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Whole file as a NUL-terminated string, or NULL with errno set. */
char *ib_read_file(const char *path, size_t *len);

/* The last part of the link @dir/@name points to (free() it), or NULL. */
char *ib_link_base(const char *dir, const char *name);

/*
 * Atomic file output: write to "<path>.tmp", then rename over @path on
 * ib_afile_commit().  ib_afile_abort() leaves @path as it was.
 */
struct ib_afile;
struct ib_afile *ib_afile_open(const char *path);
FILE *ib_afile_stream(struct ib_afile *af);
int ib_afile_commit(struct ib_afile *af);
void ib_afile_abort(struct ib_afile *af);

/* write(2) all of @buf, retrying short writes; 0 or -1 with errno. */
int ib_write_all(int fd, const void *buf, size_t len);

/* Make the directories above @path ("mkdir -p" of its parent); 0 or -errno. */
int ib_mkdir_parents(const char *path, mode_t mode);
/* Remove a directory tree we created; 0 or -errno. */
int ib_rmtree(const char *path);

/* Split @s on white space and commas into a NULL-terminated vector. */
char **ib_split_words(const char *s, int *count);
/* CLOCK_MONOTONIC in milliseconds: the collector's own timings. */
double ib_now_ms(void);
void ib_free_words(char **words);

/*
 * Directory holding configs/ and analysis/: env IOMMU_BENCH_DATA, else
 * the source tree the binary was built in (build/iommu-bench -> ..), else
 * where make install put them (PREFIX/share/iommu-bench).
 */
const char *ib_data_dir(void);
#ifndef IB_DATADIR	/* the Makefile's, from PREFIX */
#define IB_DATADIR "/usr/local/share/iommu-bench"
#endif

/* "Error: ..." on stderr, with the program name. */
void ib_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ib_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ib_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
