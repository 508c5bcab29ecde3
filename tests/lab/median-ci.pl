#!/usr/bin/perl
# Values on stdin, one a line: "median lo hi n", with [lo, hi] the exact
# distribution-free 95 % CI of the median (order statistics, binomial;
# Hollander, Wolfe & Chicken, sec. 3.6).  Written apart from the
# collector's C code, so that a test comparing with it checks both.
use strict;
use warnings;

my @v = sort { $a <=> $b } grep { /\S/ } map { chomp; $_ } <STDIN>;
my $n = @v or die "no values\n";
my $med = $n % 2 ? $v[($n - 1) / 2] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
# P(B <= k), B ~ Binomial(n, 1/2), by the recurrence of the pmf
my ($pmf, $cdf, $l) = (0.5 ** $n, 0, 0);
for my $k (0 .. int($n / 2) - 1) {
	$cdf += $pmf;
	last if 2 * $cdf > 0.05;
	$l = $k + 1;
	$pmf *= ($n - $k) / ($k + 1);
}
my ($lo, $hi) = $l ? ($v[$l - 1], $v[$n - $l]) : ($v[0], $v[-1]);
printf "%.3f %.3f %.3f %d\n", $med, $lo, $hi, $n;
