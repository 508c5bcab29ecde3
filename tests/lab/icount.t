#!/bin/sh
# The instruction clock (QEMU icount, lab/boot.sh IB_ICOUNT) on two
# IOMMUs, VT-d and AMD-Vi, with 6.12 from source (TAP, plan at the end):
#   - it counts instructions: one call of the module's empty function
#     with N turns of its spin loop grows by exactly N times the loop's
#     length, read from the module's own disassembly;
#   - a run on it reports every length in instructions, never as time
#     (cycles.csv columns, meta.json, summary.json), and counts apart the
#     spans an interrupt entered.
cd "$(dirname "$0")/../.."
SET=configs/kernels/review.conf
K=src-6.12
SHIFT=4
EPS="e1000@br.1 e1000@br.2"
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kb=$(prepared $SET $K) || { t "$K is prepared" false; tap_done; exit; }
ko=build/kmod/$K/iommu_bench.ko
# the loop's turn: from the target of its backward branch to the branch
turn=$(objdump -d --no-show-raw-insn --disassemble=iommu_bench_spin "$ko" |
	awk '/^ *[0-9a-f]+:\t/ { a = $1; sub(":", "", a); addr[++n] = a
		if ($2 ~ /^j/ && $3 != "" ) { tgt = $3 } else tgt = ""
		if (tgt != "") { for (i = 1; i <= n; i++) if (addr[i] == tgt) { print n - i + 1; exit } } }')
t "the spin loop's turn is $turn instructions in $ko's disassembly" [ "${turn:-0}" -ge 1 ]

for iommu in intel-iommu amd-iommu; do
	out=$tmp/$iommu
	s=$(date +%s)
	t "$iommu: $K boots on the icount clock (shift $SHIFT)" sh -c \
		"IB_ICOUNT=$SHIFT lab/boot.sh '${kb% *}' '${kb#* }' '$out' '$EPS' $iommu \
		 'ib.label=$K ib.script=icount.sh' 1024 1 >/dev/null 2>'$tmp/$iommu.err'" ||
		{ boot_failed "$out" "$tmp/$iommu.err"; continue; }
	echo "# boot $iommu: $(($(date +%s) - s)) s" >&2
	guest_tap "$out" "$iommu guest"
	# least of 9 calls: the call no interrupt entered
	least() { sed -n 's/.*"least": \([0-9]*\).*/\1/p' "$out/spin/$1.json"; }
	base=$(least 0)
	for turns in 1000 2000 4000 8000 16000; do
		got=$(($(least $turns) - base)) want=$((turns * turn))
		t "$iommu: spin $turns grows the call by $want instructions ($turns x $turn)" \
			[ "$got" = "$want" ] || echo "#   got $got" >&2
	done
	sed 's/^/# /' "$out/probe-cost.txt"
	csv=$out/owned/cycles.csv m=$out/owned/meta.json
	t "$iommu: cycles.csv names every length in instructions" sh -c \
		"head -n 1 '$csv' | grep -q ',release_insn,' && ! head -n 1 '$csv' | grep -q '_ns'"
	t "$iommu: meta.json says the clock counts instructions, at shift $SHIFT" \
		meta_has "$m" "\"clock_unit\":\"instructions\",\"icount_shift\":$SHIFT"
	t "$iommu: summary.json in instructions, no microseconds" sh -c \
		"grep -q release_latency_insn '$out/owned/summary.json' && ! grep -q '_us\"' '$out/owned/summary.json'"
	t "$iommu: the release-only cycles have their length" \
		all "$(only "$csv" probes release > "$tmp/rel.csv"; echo "$tmp/rel.csv")" release_insn '>' 0
	t "$iommu: import --icount-shift of its trace.dat gives the live cycles.csv" sh -c \
		"build/iommu-bench import --icount-shift $SHIFT -o '$tmp/imp-$iommu' '$out/owned/trace.dat' >/dev/null &&
		 cmp '$csv' '$tmp/imp-$iommu/cycles.csv'"
	only "$csv" probes all > "$tmp/all.csv"
	# 6.12: VT-d releases to its blocked domain, which the owner's claim
	# put the group on already; AMD-Vi has no release domain
	case $iommu in
	intel-iommu) t "$iommu: owned mode's redundant release switch is seen" \
		all_is "$tmp/all.csv" release_switches_redundant 1 ;;
	amd-iommu) t "$iommu: no release switch (no release domain in 6.12)" \
		all_is "$tmp/all.csv" release_switches 0 ;;
	esac
	echo "# $iommu: release-only lengths: $(col "$tmp/rel.csv" release_insn | tr '\n' ' ')" \
		"interrupted: $(col "$tmp/rel.csv" span_irqs | tr '\n' ' ')"
done
tap_done
