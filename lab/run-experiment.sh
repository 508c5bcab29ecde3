#!/bin/sh
# Run one experiment of configs/experiments/ on every kernel of its kernel
# set in the emulated lab, boots interleaved (A B A B ...), then merge each
# kernel's boots and compare the kernels.
#
#   lab/run-experiment.sh EXPERIMENT.conf
#
# Writes results/<UTC time>-<experiment>/ (built as .partial, renamed when
# complete, or to .failed):
#   <kernel>/            merged result of one kernel (meta.json, cycles.csv)
#   boots/<kernel>/<n>/  each boot as the guest wrote it, with console.log
#   compare/             compare.{txt,json,csv}, cover-letter.txt, plots
#   compare-ab/          the same for the pair named by 'ab' in the
#                        experiment (the precise A/B), if any
set -eu
cd "$(dirname "$0")/.."
IB=build/iommu-bench

die() { echo "run-experiment: $*" >&2; exit 1; }
step() { echo "==> $*"; }

[ $# -eq 1 ] || die "usage: run-experiment.sh EXPERIMENT.conf"
exp=$1
[ -f "$exp" ] || die "no experiment file $exp"
[ -x $IB ] || die "$IB not built (make)"
get() { $IB config get "$exp" "$@"; }

name=$(basename "$exp" .conf)
mode=$(get experiment mode remove)
cycles=$(get experiment cycles 10)
rounds=$(get experiment rounds 1)
devices=$(get experiment devices)
kset=$(get experiment kernels)
endpoints=$(get lab endpoints)
iommu=$(get lab iommu intel-iommu)
mem=$(get lab memory_mb 1024)
# adaptive runs: cycles go on until the median's CI is this tight (percent)
until_ci=$(get experiment until_ci "")
max_cycles=$(get experiment max_cycles 1000)
# the probe effect: as many cycles again without probes, interleaved
probe_effect=$(get experiment probe_effect on)
args=
[ "$probe_effect" = off ] || args=--untraced
[ -z "$until_ci" ] || args="$args,--until-ci,$until_ci,--max-cycles,$max_cycles"
extra=
[ -z "$args" ] || extra="ib.extra=${args#,}"
# owned mode's owner; devices to bind to the module's stand-in driver first
owner=$(get experiment owner "")
[ -z "$owner" ] || extra="$extra ib.owner=$owner"
bind=$(get lab bind "")
[ -z "$bind" ] || extra="$extra ib.bind=$(echo "$bind" | tr ' ' ,)"

cpus=$(get lab cpus 2)
# a boot takes 20-60 s here; an adaptive one up to the collector's
# --max-seconds (600) more
boot_timeout=${IB_BOOT_TIMEOUT:-300}
[ -z "$until_ci" ] || boot_timeout=${IB_BOOT_TIMEOUT:-900}
[ -f "$kset" ] || die "$exp: kernel set $kset not found"

start=$(date +%s)
lab/kernels.sh install "$kset"
kernels=$(lab/kernels.sh names "$kset")

# the shell opens each .boot file before prepare-kernel.sh runs
mkdir -p build/lab
for k in $kernels; do
	step "$k: preparing the kernel, iommu_bench.ko and the initramfs"
	lab/prepare-kernel.sh "$kset" "$k" > "build/lab/$k.boot"
done

run=results/$(date -u +%Y%m%dT%H%M%SZ)-$name
mkdir -p "$run.partial/boots"
fail() {
	mv "$run.partial" "$run.failed" 2>/dev/null || true
	die "$* (what was recorded is in $run.failed)"
}

devs=$(echo "$devices" | tr ' ' ,)
r=1
while [ "$r" -le "$rounds" ]; do
	for k in $kernels; do
		read -r image initrd < "build/lab/$k.boot"
		step "$k: boot $r/$rounds, $mode x $cycles cycles on $devices"
		out=$run.partial/boots/$k/$r
		# A guest under TCG can hang (seen twice in well over a hundred
		# boots: soft lockups with the collector in the kernel): one
		# more boot, never more, and the hung one is kept beside it.
		if ! IB_BOOT_TIMEOUT=$boot_timeout lab/boot.sh "$image" "$initrd" \
			"$out" "$endpoints" "$iommu" \
			"ib.devices=$devs ib.cycles=$cycles ib.mode=$mode ib.label=$k ib.boot=$r $extra" \
			"$mem" "$cpus"; then
			mv "$out.partial" "$out.hung" 2>/dev/null || true
			step "$k: boot $r gave no result (its console: $out.hung/console.log); booting it again"
			IB_BOOT_TIMEOUT=$boot_timeout lab/boot.sh "$image" "$initrd" \
				"$out" "$endpoints" "$iommu" \
				"ib.devices=$devs ib.cycles=$cycles ib.mode=$mode ib.label=$k ib.boot=$r $extra" \
				"$mem" "$cpus" || fail "$k boot $r failed twice"
		fi
		[ -f "$out/run/meta.json" ] ||
			fail "$k boot $r: the collector wrote no result (see $out/console.log)"
	done
	r=$((r + 1))
done

for k in $kernels; do
	# relative paths: meta.json names each boot within the run directory
	# shellcheck disable=SC2046
	(cd "$run.partial" && ../../$IB merge -o "$k" $(ls -d "boots/$k"/*/run)) ||
		fail "merge of $k failed"
done

step "comparison"
# relative paths, as for merge: the directory is renamed when complete
# shellcheck disable=SC2086
(cd "$run.partial" && ../../$IB compare -o compare \
	--reproduce "make run EXPERIMENT=$exp" $kernels) || fail "comparison failed"
ab=$(get experiment ab "")
cover=compare
if [ -n "$ab" ]; then
	step "A/B: $ab"
	# shellcheck disable=SC2086
	(cd "$run.partial" && ../../$IB compare -o compare-ab \
		--reproduce "make run EXPERIMENT=$exp" $ab >/dev/null) ||
		fail "A/B comparison failed"
	cover=compare-ab
fi
mv "$run.partial" "$run"
if [ -f "$run/$cover/cover-letter.txt" ]; then
	step "cover letter ($run/$cover/cover-letter.txt)"
	cat "$run/$cover/cover-letter.txt"
fi
end=$(date +%s)
step "done in $((end - start)) s: $run"
echo "    table:   $run/compare/compare.txt (.json, .csv)"
echo "    plots:   $run/compare/{release_latency,phases,counts}.{png,svg}"
