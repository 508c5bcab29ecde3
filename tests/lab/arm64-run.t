#!/bin/sh
# The arm64 lab end to end (TAP, plan at the end): make run LAB=arm64's
# experiment (configs/experiments/smmuv3.conf) and the review's A/B on
# arm64 (smmuv3-review.conf), each cut down to one boot per kernel and two
# cycles: Debian's arm64 6.1 and 6.12 fetched, and 6.12 cross-built from
# source without and with the series; the module and the collector
# cross-built; booted under qemu-system-aarch64 on the virt machine with
# an SMMUv3.  Asserts what is true of SMMUv3 on all four: no
# release_domain, so the driver takes the device off its domain in its
# own release_device, once per release, and the core makes no release
# switch (the series changes nothing of it); the rescan attaches the
# device once; the counts are those of every cycle; the comparison and
# its cover letter are written; probe-check passes on the source-built
# kernels' own symbols.
cd "$(dirname "$0")/../.."
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# lab EXPERIMENT KERNEL...: one boot of two cycles per kernel, asserted;
# leaves the run's result directory in $run
lab() {
	e=$1
	shift
	exp=configs/experiments/$e.conf
	t "$e: the experiment runs on $*" sh -c \
		"IB_RESULTS=$tmp/$e IB_ROUNDS=1 IB_CYCLES=2 lab/run-experiment.sh $exp > $tmp/$e.log 2>&1" ||
		tail -n 20 "$tmp/$e.log" | sed 's/^/# /' >&2
	run=$(ls -d "$tmp/$e"/*-"$e" 2>/dev/null | head -n 1)
	t "$e: one complete result directory" [ -n "$run" ]
	for k; do
		csv=$run/$e/$k/cycles.csv meta=$run/$e/$k/meta.json
		[ -s "$csv" ] || { t "$k: merged cycles.csv" false; continue; }
		t "$k: an arm64 kernel, the arm-smmu-v3 driver" json "$meta" \
			'$j->{system}{machine} eq "aarch64" && $j->{system}{iommu_driver} eq "arm-smmu-v3"'
		only "$csv" probes all > "$tmp/$k.all.csv"
		all=$tmp/$k.all.csv
		t "$k: 2 devices x 2 cycles x 3 batches" [ "$(col "$csv" device | wc -l)" = 12 ]
		t "$k: every cycle traced and complete" all "$csv" traced == 1
		t "$k: one release per device per cycle" all "$all" releases == 1
		t "$k: the driver detaches the device once per release" all "$all" release_internal_blocks == 1
		t "$k: ... and the core switches nothing at release" all "$all" release_switches == 0
		t "$k: the rescan attaches it once" all "$all" phase2_switches == 1
		t "$k: an STE written per release" all "$all" release_ctx == 1
		only "$csv" probes release > "$tmp/$k.rel.csv"
		t "$k: a release latency, timed by the span's ends alone" all "$tmp/$k.rel.csv" release_ns '>' 0
		no_splat "$k: no kernel warning" "$run/boots/$k/1/dmesg.txt"
	done
	cmp=$run/$e/compare
	t "$e: the comparison: its table says one detach per release on each" \
		grep -qE '^detaches per release +1 +1 ' "$cmp/compare.txt"
	t "$e: ... and a cover letter" [ -s "$cmp/cover-letter.txt" ]
}

lab smmuv3 debian-6.1 debian-6.12
lab smmuv3-review src-6.12-arm64 src-6.12-review-arm64
t "smmuv3-review: the A/B cover letter" \
	grep -q 'src-6.12-review-arm64 vs src-6.12-arm64' "$run/smmuv3-review/compare-ab/cover-letter.txt"
# the packs against the source-built kernels' symbols, each read in a
# boot of its own (cached beside its Image: the two variants share one
# build tree, whose System.map is the last one built): arm-smmu-v3's and
# the core's found, every probe expected there present
set_file=configs/kernels/review-arm64.conf
IB=build/iommu-bench
for k in src-6.12-arm64 src-6.12-review-arm64; do
	d=$(lab/build-kernel.sh "$($IB config get $set_file "$k" source)" \
		"$($IB config get $set_file "$k" fragments)" \
		"$($IB config get $set_file "$k" patches -)" arm64) &&
		ks=$(lab/arm64.sh kallsyms "$d/Image") ||
		{ t "$k: its symbols are read" false; continue; }
	$IB probe-check -k "$ks" -r "$(cat "$d/release")" > "$tmp/$k.check" 2>&1
	t "$k: probe-check on its symbols passes" [ $? = 0 ]
	t "... arm-smmu-v3's STE write and the core's release found" sh -c \
		"grep -q '^arm-smmu-v3.conf  *smmu_ste_write  *arm_smmu_install_ste_for_dev' $tmp/$k.check &&
		 grep -q '^core.conf  *core  *iommu_deinit_device' $tmp/$k.check"
done
tap_done
