#!/bin/sh
# iommu-bench compare on the committed example of make run (6.1 vs 6.12,
# five boots each): the table, JSON, CSV, cover letter and plots say what
# the data says, with the boot as the unit of every verdict.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
EX=${IB_EXAMPLE:-results/examples/make-run}
A=$EX/default/debian-6.1
B=$EX/default/debian-6.12
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

has() { grep -qE -- "$2" "$1" || { echo "#   no /$2/ in $1"; false; }; }

$IB compare -o "$tmp/c" "$A" "$B" > "$tmp/table" 2>"$tmp/err"
t "compare A B -o DIR exits 0" [ $? = 0 ]
t "table names both kernels, baseline first" has "$tmp/table" "debian-6.1 +debian-6.12"
t "table names the release span and each kernel's core function" sh -c \
	"grep -qE '^release span +iommu_bus_notifier +iommu_bus_notifier$' $tmp/table && grep -qE '^core function +iommu_release_device +iommu_deinit_device$' $tmp/table"
t "per quantity: boots, n, order statistics, boot medians and spreads" sh -c \
	"grep -q '^release (us) *boots  *5  *5$' $tmp/table && for s in n min median p90 p99 max 'boot medians' 'sd of boots' 'sd in a boot' change 'p (boots)' detectable; do grep -q \"  \$s  \" $tmp/table || exit 1; done"
t "the core functions differ: no change, no verdict" sh -c \
	"grep -qE '^ +change +- +\(other function\)$' $tmp/table && grep -q 'core     no verdict: iommu_deinit_device here, iommu_release_device there' $tmp/table"
t "6.1 release: no switch; 6.12: one (+1)" has "$tmp/table" "^switches per release +0 +1 \(\+1\)"
t "phases are named by the mode" sh -c \
	"grep -q '^remove (ms) ' $tmp/table && grep -q '^rescan (ms) ' $tmp/table && grep -q '^switches per rescan ' $tmp/table"
t "the 6.12 switch is untraced, to blocked" sh -c \
	"grep -qE '^  untraced +0 +1 \(\+1\)' $tmp/table && grep -qE 'target domain +none +blocked' $tmp/table"
t "two invalidations, one context write per release on both" sh -c \
	"grep -qE '^invalidations per release +2 +2 \(\+0\)' $tmp/table && grep -qE '^context writes per release +1 +1 \(\+0\)' $tmp/table"
t "probe hits inside a release, with every probe on" has "$tmp/table" "^probe hits per release +[0-9.]+ +[0-9.]+$"
t "a verdict line per quantity: change, CI and its level, p, boots, detectable" has "$tmp/table" \
	"debian-6.12 +release +(faster|slower|no significant difference): [-+][0-9.]+% \[[-+][0-9.]+%, [-+][0-9.]+%\] \([0-9.]+% CI\), p [=<] [0-9.]+, 5 vs 5 boots; detectable [0-9]+%$"
t "the method and its reference are named" has "$tmp/table" "Hodges-Lehmann shift.*Wilcoxon rank-sum test \(Hollander, Wolfe & Chicken"
t "each kernel's A/A noise floor (5 boots: halves too small to decide)" sh -c \
	"[ \$(grep -cE '^  debian-6.12? +5 boots: halves of 2 and 3 cannot reach p < 0.05$' $tmp/table) = 2 ]"
t "... and the test's size at this design, its A/A rate" has "$tmp/table" \
	"^  debian-6.12 +against debian-6.1: the test's size, its A/A rate, 3.2% at 5 vs 5 boots$"
t "the probe effect: hits, one hit's cost measured, what every probe added" sh -c \
	"grep -qE '^  debian-6.1 +[0-9.]+ hits/release x [0-9.]+ us = [0-9.]+ us; release [-+][0-9.]+%\*?; remove ' $tmp/table && grep -qE '^ +one hit: tracepoint [0-9.]+ us kprobe [0-9.]+ us kprobe_dev ' $tmp/table"
t "release latency by device, every device of every run" sh -c \
	"[ \$(grep -cE '^  debian-6.1(2)? +0000:00:1[012].0 +[0-9.]+ \(n 30\)' $tmp/table) = 6 ]"
t "the saved table is the printed one" cmp -s "$tmp/table" "$tmp/c/compare.txt"

j=$tmp/c/compare.json
t "JSON parses, names both runs and the method" json "$j" \
	'@{$j->{runs}} == 2 && $j->{runs}[1]{label} eq "debian-6.12" && $j->{method} =~ /Hodges-Lehmann/'
t "JSON: each run's boot medians, spreads and A/A" json "$j" \
	'my $b = $j->{latency}{release}{per_boot}[1]; @{$b->{medians}} == 5 && $b->{between_sd_pct} > 0 && $b->{within_sd_pct} > 0 && exists $b->{aa}{splits}'
t "JSON: verdict, p and CI agree (the CI is the test inverted)" json "$j" \
	'!grep { my $x = $_; $x->{comparable} && $x->{decidable} && (($x->{verdict} ne "no significant difference") != ($x->{ci_pct}[0] > 0 || $x->{ci_pct}[1] < 0) || ($x->{p} < 0.05) != ($x->{verdict} ne "no significant difference")) } map { @{$j->{latency}{$_}{against_baseline}} } keys %{$j->{latency}}'
t "JSON: the CI has its exact level, at least 95 %" json "$j" \
	'my $x = $j->{latency}{release}{against_baseline}[0]; $x->{ci_level} >= 0.95 && $x->{ci_level} < 1'
t "JSON: switch counts per release 0 and 1" json "$j" \
	'$j->{counts}{release_switches}{per}[0] == 0 && $j->{counts}{release_switches}{per}[1] == 1'
t "JSON: one probe hit's cost per kind, per run" json "$j" \
	'$j->{runs}[0]{probe_hit_ns}{kprobe_dev} > 0 && $j->{runs}[0]{probe_hits_per_release} > 0'
t "CSV: header, then a line per statistic and count" sh -c \
	"head -1 $tmp/c/compare.csv | grep -q '^metric,unit,statistic,run,label,value,significant$' && grep -q '^release,us,change_pct,1,debian-6.12,' $tmp/c/compare.csv && grep -q '^release_switches,count,per release,1,debian-6.12,1,0$' $tmp/c/compare.csv"

cl=$tmp/c/cover-letter.txt
t "cover letter: every line fits 72 columns" sh -c "! awk 'length > 72' $cl | grep -q ."
t "cover letter: setup, switches, verdict sentence" sh -c \
	"grep -q 'intel IOMMU, 3 devices, 6 cycles x 5 boots' $cl && grep -qE '^switches/release +0 +1$' $cl && grep -q 'debian-6.12 vs debian-6.1, release latency:' $cl"
t "cover letter: the detectable change, the A/A line, the method" sh -c \
	"grep -q 'this design detects a change' $cl && grep -q '^A/A: ' $cl && grep -q 'Hodges-Lehmann' $cl && grep -q 'Latency: iommu_bus_notifier for a removed device' $cl"
$IB compare --cover-letter --reproduce "make run" "$A" "$B" > "$tmp/cl"
t "--cover-letter prints it, with the reproduce line" sh -c "grep -q '^Reproduce: make run$' $tmp/cl && ! grep -q 'Verdicts' $tmp/cl"
for p in release_latency phases counts; do
	t "plot $p as PNG and SVG" sh -c \
		"head -c 8 $tmp/c/$p.png | grep -q PNG && grep -q '<svg' $tmp/c/$p.svg"
done
$IB compare --no-plots -o "$tmp/np" "$A" "$B" > /dev/null 2>&1
t "--no-plots: the tables and the cover letter, no plot (host-ab where gnuplot is not)" sh -c \
	"[ -s $tmp/np/compare.csv ] && [ -s $tmp/np/cover-letter.txt ] && ! ls $tmp/np | grep -q 'png\|svg'"
# the CDF: one point per release timed alone
lines=$(only "$A/cycles.csv" probes release | col /dev/stdin releases | grep -c '^1$')
t "CDF data has one point per release timed alone ($lines)" [ "$(wc -l < "$tmp/c/latency-1.dat")" = "$lines" ]

$IB compare "$A" "$A" > "$tmp/same"
t "a run against itself: no significant difference, each quantity" \
	[ "$(grep -c 'no significant difference: +0.0%' "$tmp/same")" = 4 ]
$IB compare -o "$tmp/c3" "$A" "$B" "$A" > "$tmp/three"
t "three-way compare: one column per run" has "$tmp/three" "debian-6.1 +debian-6.12 +debian-6.1$"
t "three-way cover letter still fits 72 columns" sh -c "! awk 'length > 72' $tmp/c3/cover-letter.txt | grep -q ."
$IB compare --cover-letter "$A" "$B" "$A" "$B" > /dev/null 2>"$tmp/err"
t "a cover letter of four runs is refused" sh -c "[ $? = 2 ] && grep -q 'at most 3 runs' $tmp/err"

# owned mode: the redundant switch of the seed's review
OA=$EX/owned/src-6.12
OB=$EX/owned/src-6.12-review
OC=$EX/owned/debian-6.1
$IB compare "$OA" "$OB" "$OC" > "$tmp/owned"
t "owned: stock 6.12's release switch is redundant, the series has none, 6.1 none" \
	has "$tmp/owned" "^  redundant +1 +0 \(-1\) +0 \(-1\)"
t "owned: the header names the mode" has "$tmp/owned" "owned mode, intel IOMMU, 1 device,"
t "owned: the same core function on stock and series: a verdict" has "$tmp/owned" \
	"src-6.12-review core +(faster|slower|no significant difference): "
$IB compare --probed "$OA" "$OB" > "$tmp/probed"
t "--probed: the release timed with every probe armed, and said so" sh -c \
	"grep -q 'timed with every probe armed' $tmp/probed && ! cmp -s $tmp/probed $tmp/owned"

# the icount clock: guest instructions (tests/fixtures/aa-icount-*, 8
# boots of 6.12 from source), never set beside time
IA=tests/fixtures/aa-icount-src-6.12-owned
$IB compare -o "$tmp/ic" "$IA" "$IA" > "$tmp/icount" 2>"$tmp/err"
t "icount: compare exits 0" [ $? = 0 ]
t "icount: lengths in instructions, exact integers, no time unit" sh -c \
	"grep -qE '^release \(insn\) *boots +8 +8$' $tmp/icount && grep -qE '^ +median +[0-9]+ +[0-9]+$' $tmp/icount && ! grep -qE '\((us|ms)\)' $tmp/icount"
t "icount: the same runs: difference +0, no difference" sh -c \
	"grep -q 'release  no difference: .* +0; ' $tmp/icount"
t "icount: the interrupted spans are counted apart" has "$tmp/icount" "^  src-6.12 +[0-9]+ of [0-9]+$"
t "icount: the phases are not shown as instructions" sh -c "! grep -qE '^(remove|rescan) ' $tmp/icount"
t "icount: the JSON names the unit and the rule" json "$tmp/ic/compare.json" \
	'$j->{latency}{release}{unit} eq "insn" && $j->{runs}[0]{clock_unit} eq "instructions" && $j->{latency}{release}{against_baseline}[0]{rule} =~ /widest range/'
# the same boots said to be in ns: one kernel, one mode, another clock
mkdir -p "$tmp/ns"
sed '1s/_insn/_ns/g' "$IA/cycles.csv" > "$tmp/ns/cycles.csv"
sed 's/"clock_unit" *: *"instructions"/"clock_unit":"ns"/' "$IA/meta.json" > "$tmp/ns/meta.json"
t "icount: the cover letter says what the count is, in 72 columns" sh -c \
	"grep -q 'CPU path length' $tmp/ic/cover-letter.txt && grep -q 'guest instructions' $tmp/ic/cover-letter.txt && ! awk 'length > 72' $tmp/ic/cover-letter.txt | grep -q ."
$IB compare --cover-letter --reproduce "make run EXPERIMENT=configs/experiments/default.conf IB_CLOCK=icount" \
	"$IA" "$IA" > "$tmp/iccl"
t "a reproduce line too long for 72 columns: the command on a line of its own" sh -c \
	"grep -q '^Reproduce:\$' $tmp/iccl && grep -q '^  make run EXPERIMENT=configs/experiments/default.conf IB_CLOCK=icount\$' $tmp/iccl && ! awk 'length > 72' $tmp/iccl | grep -q ."
t "icount: the plots label their axes in instructions" grep -q 'instructions' "$tmp/ic/release_latency.svg"
$IB compare "$A" "$IA" > /dev/null 2>"$tmp/err"
rc=$?
t "instructions beside time: refused, said" sh -c \
	"[ $rc = 1 ] && grep -q 'instructions and time cannot be compared' $tmp/err"
$IB merge -o "$tmp/mixed" "$tmp/ns" "$IA" > /dev/null 2>"$tmp/err"
t "merge of boots on two clocks: refused, nothing written" sh -c \
	"grep -q 'on one clock' $tmp/err && [ ! -e $tmp/mixed ]"
tap_done
