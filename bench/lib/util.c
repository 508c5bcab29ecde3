// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/*
 * The library never exits; out of memory, it aborts (as glib's g_malloc
 * does): no caller of an allocation here could do better.
 */
static void *oom(void)
{
	fprintf(stderr, "iommu-bench: out of memory\n");
	abort();
}

void *ib_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	return p ? p : oom();
}

void *ib_xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	return p ? p : oom();
}

char *ib_xstrdup(const char *s)
{
	char *p = strdup(s);

	return p ? p : oom();
}

char *ib_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&p, fmt, ap);
	va_end(ap);
	return ret < 0 ? oom() : p;
}

char *ib_link_base(const char *dir, const char *name)
{
	char *path = ib_xasprintf("%s/%s", dir, name), buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	char *slash;

	free(path);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	return ib_xstrdup(slash ? slash + 1 : buf);
}

char *ib_read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 4096, n;
	char *buf;

	if (!f)
		return NULL;
	buf = ib_xcalloc(1, cap);
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			buf = ib_xrealloc(buf, cap);
		}
	}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(buf);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

struct ib_afile {
	char *path;
	char *tmp;
	FILE *f;
};

struct ib_afile *ib_afile_open(const char *path)
{
	struct ib_afile *af = ib_xcalloc(1, sizeof(*af));

	af->path = ib_xstrdup(path);
	af->tmp = ib_xasprintf("%s.tmp", path);
	af->f = fopen(af->tmp, "w");
	if (!af->f) {
		int e = errno;

		free(af->path);
		free(af->tmp);
		free(af);
		errno = e;
		return NULL;
	}
	return af;
}

FILE *ib_afile_stream(struct ib_afile *af)
{
	return af->f;
}

static void afile_free(struct ib_afile *af)
{
	free(af->path);
	free(af->tmp);
	free(af);
}

int ib_afile_commit(struct ib_afile *af)
{
	int ret = 0;

	if (fflush(af->f) || ferror(af->f) || fsync(fileno(af->f)))
		ret = -errno ? -errno : -EIO;
	if (fclose(af->f) && !ret)
		ret = -errno;
	if (!ret && rename(af->tmp, af->path))
		ret = -errno;
	if (ret)
		unlink(af->tmp);
	afile_free(af);
	return ret;
}

void ib_afile_abort(struct ib_afile *af)
{
	fclose(af->f);
	unlink(af->tmp);
	afile_free(af);
}

int ib_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

char **ib_split_words(const char *s, int *count)
{
	char **v = ib_xcalloc(1, sizeof(char *));
	const char *sep = " \t\n,";
	int n = 0;

	while (*s) {
		size_t len;

		s += strspn(s, sep);
		len = strcspn(s, sep);
		if (!len)
			break;
		v = ib_xrealloc(v, (n + 2) * sizeof(char *));
		v[n] = strndup(s, len);
		if (!v[n])
			oom();
		v[++n] = NULL;
		s += len;
	}
	if (count)
		*count = n;
	return v;
}

void ib_free_words(char **words)
{
	char **w;

	if (!words)
		return;
	for (w = words; *w; w++)
		free(*w);
	free(words);
}

static void say(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "iommu-bench: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ib_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("error: ", fmt, ap);
	va_end(ap);
}

void ib_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("warning: ", fmt, ap);
	va_end(ap);
}

void ib_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
}

/* errno, positive: apart from nftw's own -1 */
static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) ? errno : 0;
}

int ib_rmtree(const char *path)
{
	int ret = nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);

	if (ret < 0)
		return errno ? -errno : -EIO;
	return -ret;
}

const char *ib_data_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("IOMMU_BENCH_DATA");
	char exe[PATH_MAX], *probes;
	ssize_t n;
	int tree;

	if (env && *env)
		return env;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return IB_DATADIR;
	exe[n] = '\0';
	/* build/iommu-bench in a source tree: the tree above build/ */
	snprintf(dir, sizeof(dir), "%s/..", dirname(exe));
	probes = ib_xasprintf("%s/configs/probes/core.conf", dir);
	tree = !access(probes, F_OK);
	free(probes);
	/* installed (make install, the package): where its data went */
	if (!tree)
		snprintf(dir, sizeof(dir), "%s", IB_DATADIR);
	return dir;
}

double ib_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int ib_mkdir_parents(const char *path, mode_t mode)
{
	char *p = ib_xstrdup(path), *s;
	int ret = 0;

	for (s = p + 1; *s && !ret; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) && errno != EEXIST)
			ret = -errno;
		*s = '/';
	}
	free(p);
	return ret;
}
