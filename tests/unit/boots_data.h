/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot medians made for the tests of boots.h (test_boots*.c): given,
 * random, and the clock the slow cases print their time by.
 */
#ifndef IB_TEST_BOOTS_DATA_H
#define IB_TEST_BOOTS_DATA_H

#include <math.h>
#include <time.h>

#include "boots.h"

#define near(a, b, eps) (fabs((a) - (b)) < (eps))

/* Boots with these medians, three values each (0.97 m, m, 1.04 m). */
static inline void boots_of(struct ib_boots *b, const double *med, size_t nb)
{
	double v[3 * 64];
	uint32_t id[3 * 64];
	size_t i;

	for (i = 0; i < nb; i++) {
		v[3 * i] = med[i] * 0.97;
		v[3 * i + 1] = med[i];
		v[3 * i + 2] = med[i] * 1.04;
		id[3 * i] = id[3 * i + 1] = id[3 * i + 2] = 100 + i;
	}
	ib_boots_init(b, v, id, 3 * nb);
}

static inline double gauss(struct ib_rng *r)
{
	double u1 = ((ib_rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
	double u2 = ((ib_rng_next(r) >> 11) + 0.5) / 9007199254740992.0;

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* m boots whose log medians are normal, SD 0.15 (no ties). */
static inline void boots_random(struct ib_boots *b, size_t m, uint64_t seed)
{
	double med[64];
	struct ib_rng r;
	size_t i;

	ib_rng_seed(&r, seed);
	for (i = 0; i < m; i++)
		med[i] = 100 * exp(0.15 * gauss(&r));
	boots_of(b, med, m);
}

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int excludes_one(double lo, double hi)
{
	return lo > 1 || hi < 1;
}

#endif
