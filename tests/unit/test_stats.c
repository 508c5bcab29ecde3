// SPDX-License-Identifier: GPL-2.0
/* Order statistics against values computed by hand (R type 7). */
#include <math.h>

#include "../../analysis/stats.h"
#include "tap.h"

#define near(a, b) (fabs((a) - (b)) < 1e-9)

int main(void)
{
	double ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	double sd[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	double one[] = { 42 };
	struct ib_summary s;

	tap_plan(11);
	ib_summary_compute(ten, 10, &s);
	ok(near(s.median, 5.5), "median of 1..10 is 5.5 (%g)", s.median);
	ok(near(s.p90, 9.1), "p90 of 1..10 is 9.1 (%g)", s.p90);
	ok(near(s.p99, 9.91), "p99 of 1..10 is 9.91 (%g)", s.p99);
	ok(s.min == 1 && s.max == 10 && ten[0] == 1, "min, max, sorted in place");
	ib_summary_compute(sd, 8, &s);
	ok(near(s.mean, 5), "mean 5");
	ok(fabs(s.stddev - 2.138089935) < 1e-6, "sample stddev 2.1381 (%g)", s.stddev);
	ok(near(s.median, 4.5), "even n median interpolates");
	ib_summary_compute(one, 1, &s);
	ok(s.n == 1 && s.median == 42 && s.p99 == 42 && s.stddev == 0,
	   "single value");
	ib_summary_compute(NULL, 0, &s);
	ok(s.n == 0 && s.median == 0, "empty sample is all zero");
	ok(near(ib_percentile_sorted((double[]){ 1, 2 }, 2, 0), 1), "p0 is min");
	ok(near(ib_percentile_sorted((double[]){ 1, 2 }, 2, 100), 2), "p100 is max");
	return tap_done();
}
