/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the unit tests, in the spirit of kselftest.h:
 * ok/not ok lines with a description, one static function per case, a
 * summary exit code for prove.
 *
 * The plan is counted, not typed: tap_run() prints "1..N" after the last
 * case, N being the ok lines printed.  A case that crashes or exits
 * early leaves no plan, and prove fails the run; a case that checks
 * nothing gets a "not ok" of its own.
 */
#ifndef IB_TAP_H
#define IB_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do {						\
	int ok_ = !!(cond);						\
	printf("%sok %d - ", ok_ ? "" : "not ", ++tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!ok_) {							\
		tap_failed++;						\
		printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__,	\
		       #cond);						\
	}								\
} while (0)

#define is_int(got, want, ...) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	ok(g_ == w_, __VA_ARGS__);					\
	if (g_ != w_)							\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int same_ = (g_ && w_) ? !strcmp(g_, w_) : g_ == w_;		\
	ok(same_, __VA_ARGS__);						\
	if (!same_)							\
		printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)",	\
		       w_ ? w_ : "(null)");				\
} while (0)

/* A fixture could not be made: nothing after it can be trusted. */
static inline void __attribute__((noreturn, format(printf, 1, 2)))
tap_bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

struct tap_case {
	const char *name;
	void (*fn)(void);
};

/* a table row named after its function, so "# case" points at it */
#define TAP_CASE(fn) { #fn, fn }

static int tap_run(const struct tap_case *c, size_t n)
{
	size_t i;

	/* line-buffered: a crash keeps the "# case" line before it */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++) {
		int before = tap_n;

		printf("# case %s\n", c[i].name);
		c[i].fn();
		if (tap_n == before) {
			tap_failed++;
			printf("not ok %d - case %s checked nothing\n", ++tap_n, c[i].name);
		}
	}
	/* "1..0" would read as skipped, not failed */
	if (!tap_n) {
		tap_failed++;
		printf("not ok %d - no case ran\n", ++tap_n);
	}
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* every case of a table; main()'s return value */
#define TAP_RUN(cases) tap_run(cases, sizeof(cases) / sizeof((cases)[0]))

/*
 * Run @cases with @path (a mkstemp() template, "...XXXXXX") made into a
 * temporary file first and removed after: the file the cases write.
 */
#define TAP_MAIN_TMPFILE(cases, path)					\
int main(void)								\
{									\
	int fd_ = mkstemp(path), ret_;					\
									\
	if (fd_ < 0)							\
		tap_bail("no temporary file %s", path);			\
	close(fd_);							\
	ret_ = TAP_RUN(cases);						\
	unlink(path);							\
	return ret_;							\
}

/* main() for a file whose cases need no fixture around them all */
#define TAP_MAIN(cases)							\
int main(void)								\
{									\
	return TAP_RUN(cases);						\
}

#endif
