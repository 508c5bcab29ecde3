#!/bin/sh
# iommu-bench compare on the committed example of make run (6.1 vs 6.12):
# the table, JSON, CSV, cover letter and plots say what the data says.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
A=results/examples/make-run-default/debian-6.1
B=results/examples/make-run-default/debian-6.12
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

has() { grep -qE -- "$2" "$1" || { echo "#   no /$2/ in $1"; false; }; }
# json FILE PERL-EXPR: true if the expression holds of the decoded JSON $j

$IB compare -o "$tmp/c" "$A" "$B" > "$tmp/table" 2>"$tmp/err"
t "compare A B -o DIR exits 0" [ $? = 0 ]
t "table names both kernels, baseline first" has "$tmp/table" "debian-6.1 +debian-6.12"
t "table has n, median, its 95% CI, p90, p99, stddev" sh -c \
	"grep -q '^release (us) *n ' $tmp/table && for s in median '95% CI' p90 p99 stddev; do grep -q \"  \$s \" $tmp/table || exit 1; done"
t "6.1 release: no switch; 6.12: one (+1)" has "$tmp/table" "^switches per release +0 +1 \(\+1\)"
t "phases are named by the mode" sh -c \
	"grep -q '^remove (ms) ' $tmp/table && grep -q '^rescan (ms) ' $tmp/table && grep -q '^switches per rescan ' $tmp/table"
t "the 6.12 switch is untraced, to blocked" sh -c \
	"grep -qE '^  untraced +0 +1 \(\+1\)' $tmp/table && grep -qE 'target domain +none +blocked' $tmp/table"
t "two invalidations, one context write per release on both" sh -c \
	"grep -qE '^invalidations per release +2 +2 \(\+0\)' $tmp/table && grep -qE '^context writes per release +1 +1 \(\+0\)' $tmp/table"
t "a verdict line per phase with p and CI" has "$tmp/table" "debian-6.12 +release +(faster|slower|no significant difference): [-+][0-9.]+ us \[.*\], p"
t "release latency by device, every device of every run" sh -c \
	"[ \$(grep -cE '^  debian-6.1(2)? +0000:00:1[012].0 +[0-9.]+ \(n 20\)' $tmp/table) = 6 ]"
t "JSON: per-device summaries" json "$tmp/c/compare.json" \
	'keys(%{$j->{release_latency_per_device}{"debian-6.12"}}) == 3'
t "the saved table is the printed one" cmp -s "$tmp/table" "$tmp/c/compare.txt"

t "JSON parses and names both runs" json "$tmp/c/compare.json" '@{$j->{runs}} == 2 && $j->{runs}[1]{label} eq "debian-6.12"'
t "JSON records the bootstrap seed and resamples" json "$tmp/c/compare.json" '$j->{bootstrap_seed} == 20240410 && $j->{bootstrap_resamples} == 2000'
t "JSON: release median CI brackets the median" json "$tmp/c/compare.json" \
	'my $s = $j->{latency}{release}{summary}[0]; $s->{median_ci95}[0] <= $s->{median} && $s->{median} <= $s->{median_ci95}[1]'
t "JSON: verdict agrees with p and the CI of the difference" json "$tmp/c/compare.json" \
	'my $x = $j->{latency}{release}{against_baseline}[0]; my $sig = $x->{p} < 0.05 && ($x->{diff_ci95}[1] < 0 || $x->{diff_ci95}[0] > 0); ($x->{verdict} ne "no significant difference") == !!$sig'
t "JSON: switch counts per release 0 and 1" json "$tmp/c/compare.json" \
	'$j->{counts}{release_switches}{per}[0] == 0 && $j->{counts}{release_switches}{per}[1] == 1'
t "CSV: header and 3 samples x 10 statistics + 12 counts, per run" sh -c \
	"head -1 $tmp/c/compare.csv | grep -q '^metric,unit,statistic,run,label,value,change_pct,significant$' && [ \$(wc -l < $tmp/c/compare.csv) = $((1 + 2 * (30 + 12))) ]"

t "cover letter: every line fits 72 columns" sh -c "! awk 'length > 72' $tmp/c/cover-letter.txt | grep -q ."
t "cover letter: setup, switches, verdict sentence" sh -c \
	"grep -q 'intel IOMMU, 3 devices, 10 cycles x 2 boots' $tmp/c/cover-letter.txt && grep -qE '^switches/release +0 +1$' $tmp/c/cover-letter.txt && grep -q 'debian-6.12 vs debian-6.1: release latency' $tmp/c/cover-letter.txt"
$IB compare --cover-letter --reproduce "make run" "$A" "$B" > "$tmp/cl"
t "--cover-letter prints it, with the reproduce line" sh -c "grep -q '^Reproduce: make run$' $tmp/cl && ! grep -q 'Verdicts' $tmp/cl"
for p in release_latency phases counts; do
	t "plot $p as PNG and SVG" sh -c \
		"head -c 8 $tmp/c/$p.png | grep -q PNG && grep -q '<svg' $tmp/c/$p.svg"
done
# one release per traced cycle; the rows with probes = 0 have none
lines=$(col "$A/cycles.csv" releases | grep -c '^1$')
t "CDF data has one point per release ($lines)" [ "$(wc -l < "$tmp/c/latency-1.dat")" = "$lines" ]
t "the example has cycles without probes too" [ "$(col "$A/cycles.csv" probes | grep -c '^0$')" -gt 0 ]
t "the table gives each run's probe effect" sh -c \
	"grep -qE '^  debian-6.1 +remove [-+][0-9.]+% \(p = [0-9.]+\), rescan [-+][0-9.]+% \(p = [0-9.]+\); 60 vs 60$' $tmp/table"
t "JSON: the probe effect per run" json "$tmp/c/compare.json" \
	'$j->{runs}[1]{probe_effect}{cycles_without_probes} == 60 && exists $j->{runs}[1]{probe_effect}{remove}{p}'


$IB compare "$A" "$A" > "$tmp/same"
t "a run against itself: no significant difference, every phase" \
	[ "$(grep -c 'no significant difference: +0.00' "$tmp/same")" = 3 ]
$IB compare -o "$tmp/c3" "$A" "$B" "$A" > "$tmp/three"
t "three-way compare: one column per run" has "$tmp/three" "debian-6.1 +debian-6.12 +debian-6.1$"
t "three-way cover letter still fits 72 columns" sh -c "! awk 'length > 72' $tmp/c3/cover-letter.txt | grep -q ."
$IB compare --cover-letter "$A" "$B" "$A" "$B" > /dev/null 2>"$tmp/err"
t "a cover letter of four runs is refused" sh -c "[ $? = 2 ] && grep -q 'at most 3 runs' $tmp/err"
# owned mode: the redundant switch of the seed's review
OA=results/examples/make-run-owned/src-6.12
OB=results/examples/make-run-owned/src-6.12-review
OC=results/examples/make-run-owned/debian-6.1
$IB compare "$OA" "$OB" "$OC" > "$tmp/owned"
t "owned: stock 6.12's release switch is redundant, the series has none, 6.1 none" \
	has "$tmp/owned" "^  redundant +1 +0 \(-1\) +0 \(-1\)"
t "owned: the header names the mode" has "$tmp/owned" "owned mode, intel IOMMU, 1 device,"
tap_done
