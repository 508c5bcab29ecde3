#!/usr/bin/perl
# soak-trend.pl MODE.medians...: does a mode's latency drift upward over a
# soak?  Each file has a line per run: "run release_us_median
# cycle_ns_median lost [slab_kb module_kb]".  The series is the release
# latency (the cycle time for modes that release nothing); the test is
# Mann-Kendall's for a monotone trend (one-sided, upward, normal
# approximation), the size the Theil-Sen slope over the whole soak.  A
# drift is both: p < 0.05 and more than +10 % from the first run to the
# last, so that a steady state's noise or a warm-up is not called a leak.
# The kernel's unreclaimable slab and the module's memory after each run,
# when given, are tested the same way, with +2 %.  TAP out.
use strict;
use warnings;
use POSIX qw(erfc);

my ($n, $fails) = (0, 0);
sub median { my @s = sort { $a <=> $b } @_; @s % 2 ? $s[$#s / 2] : ($s[@s / 2 - 1] + $s[@s / 2]) / 2 }

# trend MODE WHAT LIMIT UNIT VALUES...: one TAP line
sub trend {
	my ($mode, $what, $limit, $unit, @x) = @_;
	my $k = @x;
	$n++;
	if ($k < 3) {
		print "ok $n - $mode: $k runs, too few for a trend # SKIP\n";
		return;
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
	my $drift = $p < 0.05 && $change > $limit;
	$fails++ if $drift;
	printf "%s %d - %s: %s over %d runs, Theil-Sen %+.1f %% first to last, Mann-Kendall S %d, p %.3f (upward)%s\n",
		$drift ? 'not ok' : 'ok', $n, $mode, $what, $k, $change, $s, $p,
		$drift ? ': drifts up' : '';
	printf "#   %s %s (%s): %s\n", $mode, $what, $unit, join(' ', map { sprintf '%.4g', $_ } @x);
}

for my $file (@ARGV) {
	(my $mode = $file) =~ s{.*/|\.medians$}{}g;
	open(my $f, '<', $file) or die "$file: $!";
	my (@rel, @cyc, @slab, @mod);
	while (<$f>) {
		my @f = split;
		my ($i, $r, $c, $lost, $sl, $m) = @f;
		push @rel, $r || 0;
		push @cyc, $c || 0;
		push @slab, $sl if defined $sl;
		push @mod, $m if defined $m;
	}
	close $f;
	my $latency = (grep { $_ > 0 } @rel) == @rel && @rel;
	trend($mode, $latency ? 'release latency' : 'cycle time', 10, 'ns medians',
	      $latency ? @rel : @cyc);
	trend($mode, 'unreclaimable slab', 2, 'kB', @slab) if @slab == @rel;
	trend($mode, 'module memory', 2, 'kB', @mod) if @mod == @rel;
}
print "1..$n\n";
exit($fails ? 1 : 0);
