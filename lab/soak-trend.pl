#!/usr/bin/perl
# soak-trend.pl MODE.medians...: does a mode's latency drift upward over a
# soak?  Each file has a line per run: "run release_us_median
# cycle_ns_median lost".  The series is the release latency (the cycle
# time for modes that release nothing); the test is Mann-Kendall's for a
# monotone trend (one-sided, upward, normal approximation), the size the
# Theil-Sen slope over the whole soak.  A drift is both: p < 0.05 and
# more than +10 % from the first run to the last, so that a steady
# state's noise or a warm-up is not called a leak.  TAP out.
use strict;
use warnings;
use POSIX qw(erfc);

my ($n, $fails) = (0, 0);
sub median { my @s = sort { $a <=> $b } @_; @s % 2 ? $s[$#s / 2] : ($s[@s / 2 - 1] + $s[@s / 2]) / 2 }

for my $file (@ARGV) {
	(my $mode = $file) =~ s{.*/|\.medians$}{}g;
	open(my $f, '<', $file) or die "$file: $!";
	my (@rel, @cyc);
	while (<$f>) {
		my ($i, $r, $c) = split;
		($r, $c) = ($r || 0, $c || 0);
		push @rel, $r;
		push @cyc, $c;
	}
	close $f;
	my @x = (grep { $_ > 0 } @rel) == @rel ? @rel : @cyc;
	my $what = @x == @rel && (grep { $_ > 0 } @rel) ? 'release latency' : 'cycle time';
	my $k = @x;
	$n++;
	if ($k < 3) {
		print "ok $n - $mode: $k runs, too few for a trend # SKIP\n";
		next;
	}
	my ($s, @slopes) = (0);
	for my $i (0 .. $k - 2) {
		for my $j ($i + 1 .. $k - 1) {
			$s += $x[$j] <=> $x[$i];
			push @slopes, ($x[$j] - $x[$i]) / ($j - $i);
		}
	}
	my $var = $k * ($k - 1) * (2 * $k + 5) / 18;
	my $z = $s > 0 ? ($s - 1) / sqrt($var) : 0;
	my $p = 0.5 * erfc($z / sqrt(2));
	my $mid = median(@x);
	my $change = $mid > 0 ? 100 * median(@slopes) * ($k - 1) / $mid : 0;
	my $drift = $p < 0.05 && $change > 10;
	$fails++ if $drift;
	printf "%s %d - %s: %s over %d runs, Theil-Sen %+.1f %% first to last, Mann-Kendall S %d, p %.3f (upward)%s\n",
		$drift ? 'not ok' : 'ok', $n, $mode, $what, $k, $change, $s, $p,
		$drift ? ': drifts up' : '';
	printf "#   %s medians (ns): %s\n", $mode, join(' ', map { sprintf '%.4g', $_ } @x);
}
print "1..$n\n";
exit($fails ? 1 : 0);
