#!/bin/sh
# Guest benchmark (not a test): the module's own cost per cycle, one
# probe hit's cost, and the probe effect.  Runs remove mode with nothing
# traced, with every probe, and with the release span's ends only,
# interleaved (A B C A B C), then prints one line per figure, medians
# over all cycles.
dev=0000:00:10.0,0000:00:11.0,0000:00:12.0
cycles=${BENCH_CYCLES:-20}
insmod /lib/iommu_bench.ko || exit 1
for r in 1 2; do
	iommu-bench run -q --no-trace -d $dev -n "$cycles" -o /tmp/untraced-$r 2>/dev/null
	iommu-bench run -q --batches all --no-probe-cost -d $dev -n "$cycles" -o /tmp/traced-$r 2>/dev/null
	iommu-bench run -q --batches release --no-probe-cost -d $dev -n "$cycles" -o /tmp/span-$r 2>/dev/null
done
iommu-bench probe-cost > /tmp/cost 2>&1
rmmod iommu_bench
# median of column NAME (or of EXPR over columns) over files
median() {
	expr=$1; shift
	awk -F, -v e="$expr" '
		FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ if (e == "overhead") v = $col["cycle_ns"] - $col["phase1_ns"] - $col["phase2_ns"]
		  else v = $col[e]
		  print v }' "$@" | sort -n | awk '{ a[NR] = $1 } END {
		  if (NR % 2) printf "%.0f\n", a[(NR + 1) / 2]; else printf "%.0f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
ut=$(median phase1_ns /tmp/untraced-*/cycles.csv)
tr=$(median phase1_ns /tmp/traced-*/cycles.csv)
ur=$(median phase2_ns /tmp/untraced-*/cycles.csv)
trr=$(median phase2_ns /tmp/traced-*/cycles.csv)
oh=$(median overhead /tmp/traced-*/cycles.csv)
cyc=$(median cycle_ns /tmp/traced-*/cycles.csv)
rel=$(median release_ns /tmp/traced-*/cycles.csv)
span=$(median release_ns /tmp/span-*/cycles.csv)
hits=$(median release_hits /tmp/traced-*/cycles.csv)
echo "kernel $(uname -r), remove mode, 3 devices, 2 x $cycles cycles each way"
echo "module_overhead_ns $oh (cycle_ns - phase1_ns - phase2_ns, median; cycle median $cyc ns)"
echo "remove_ns untraced $ut traced $tr"
echo "rescan_ns untraced $ur traced $trr"
echo "release_ns every probe $rel ($hits hits inside), its ends only $span"
awk -v a="$ut" -v b="$tr" 'BEGIN { printf "probe_effect_remove_pct %.1f\n", (b - a) * 100 / a }'
awk -v a="$ur" -v b="$trr" 'BEGIN { printf "probe_effect_rescan_pct %.1f\n", (b - a) * 100 / a }'
awk -v a="$span" -v b="$rel" 'BEGIN { printf "probe_effect_release_pct %.1f\n", (b - a) * 100 / a }'
sed 's/^/probe_cost /' /tmp/cost
for r in 1 2; do
	sed -n 's/.*"records":\([0-9]*\).*/records \1/p; s/.*"collector_read_ms":\([0-9.]*\).*/read_ms \1/p; s/.*"collector_account_ms":\([0-9.e-]*\).*/account_ms \1/p' /tmp/traced-$r/meta.json | tr '\n' ' '
	echo
done
