// SPDX-License-Identifier: GPL-2.0
/*
 * The A/A test of the verdict, on recorded data: 16 boots of one kernel
 * (Debian's 6.12 in the lab, tests/fixtures/aa-*), split in halves every
 * way.  Identical kernels, so every "faster" or "slower" is a false
 * positive.  The boot-level method must call them different at most as
 * often as its nominal 5 %; the method it replaced, which pooled the
 * releases of all boots as independent samples, does far more often.
 */
#include "boots.h"
#include "runs.h"
#include "tap.h"

/* the old method's splits: each costs a bootstrap, a sample does */
#define POOLED_SPLITS	1000

static void aa(const char *name, enum ib_sample s)
{
	char dir[256], err[256] = "";
	struct ib_run_data r;
	struct ib_boots b;
	struct ib_aa a, p;

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/%s", SRCDIR, name);
	ok(!ib_run_load(&r, dir, 0, err, sizeof(err)), "%s loads%s%s", name,
	   err[0] ? ": " : "", err);
	ok(r.boots == 16 && r.timed, "%s: 16 boots, the release timed alone", name);
	ib_boots_init(&b, r.s[s].v, r.s[s].boot, r.s[s].n);
	ib_aa_noise(&b, &a);
	ib_aa_noise_pooled(r.s[s].v, r.s[s].boot, r.s[s].n, POOLED_SPLITS, &p);
	printf("# %s: boot medians %zu vs %zu, called different in %lu of %lu splits (%.1f%%)\n",
	       name, a.size1, a.size2, a.different, a.splits, 100 * a.rate);
	printf("# %s: pooled releases, called different in %lu of %lu splits (%.1f%%)\n",
	       name, p.different, p.splits, 100 * p.rate);
	ok(a.splits == 12870 && a.decidable, "%s: every 8 vs 8 split of the boots", name);
	ok(a.rate <= IB_ALPHA, "%s: boot medians: false positives %.1f%% <= 5%%", name,
	   100 * a.rate);
	ok(p.rate > IB_ALPHA, "%s: pooled releases: false positives %.1f%% > 5%% (the old method fails)",
	   name, 100 * p.rate);
	ib_boots_free(&b);
	ib_run_free(&r);
}

static void aa_debian_default(void)
{
	aa("aa-debian-6.12-default", IB_S_RELEASE);
}

static void aa_debian_owned(void)
{
	aa("aa-debian-6.12-owned", IB_S_RELEASE);
}

static const struct tap_case cases[] = {
	TAP_CASE(aa_debian_default),
	TAP_CASE(aa_debian_owned),
};

TAP_MAIN(cases)
