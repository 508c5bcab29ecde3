#!/bin/sh
# Run experiments of configs/experiments/ on every kernel of their kernel
# set in the emulated lab, boots interleaved (A B A B ...), then merge each
# kernel's boots and compare the kernels, per experiment.
#
#   lab/run-experiment.sh EXPERIMENT.conf [EXPERIMENT.conf ...]
#
# Several experiments share every boot: one guest runs each in turn, so
# that a boot, the unit of the verdicts, costs its boot time once.  They
# must name the same kernel set, rounds, IOMMU and CPUs; their endpoints
# are joined (a slot named twice must hold the same device model).
#
# IB_CLOCK=tcg|icount and IB_ICOUNT_SHIFT=N override every experiment's
# [lab] clock and icount_shift: with icount the guest's clock counts
# instructions (lab/boot.sh IB_ICOUNT) and every length in the results is
# in guest instructions; the run's directory ends in -icount; each run
# there leaves out the probe cost and trace.dat unless IB_ICOUNT_LEAN=0.
# IB_ON_BOOT_FAILURE=drop-rest: a kernel that fails a boot twice is left
# out with every kernel after it in the set (a series: they carry its
# patch), listed in the run's dropped file with its console, and the
# rest goes on (default: the run fails).
# IB_REPRODUCE: the command the cover letters name (lab/ab.sh's).
# IB_ROUNDS and IB_CYCLES override every experiment's rounds and cycles
# (tests/lab/make-run.t runs make run cut down this way); IB_RESULTS the
# directory the run goes in (default results; a relative one is from the
# tree's top); IB_BOOT=lab/lava-boot.sh: each boot a LAVA job (lava-run,
# LAVA's qemu device type) instead of lab/boot.sh's own.
#
# Writes results/<UTC time>-<experiments>/ (built as .partial, renamed when
# complete, or to .failed):
#   boots/<kernel>/<n>/  each boot as the guest wrote it: one directory per
#                        experiment, console.log and dmesg.txt
#   <experiment>/<kernel>/  that experiment's boots of one kernel, merged
#   <experiment>/compare/   compare.{txt,json,csv}, cover-letter.txt, plots
#   <experiment>/compare-ab/  the same for the pair named by 'ab' in the
#                        experiment (the precise A/B), if any
set -eu
cd "$(dirname "$0")/.."
IB=$(pwd)/build/iommu-bench
boot_sh=${IB_BOOT:-lab/boot.sh}

die() { echo "run-experiment: $*" >&2; exit 1; }
step() { echo "==> $*"; }

[ $# -ge 1 ] || die "usage: run-experiment.sh EXPERIMENT.conf [EXPERIMENT.conf ...]"
[ -x "$IB" ] || die "$IB not built (make)"
for exp in "$@"; do
	[ -f "$exp" ] || die "no experiment file $exp"
	# every key and value, and the kernel set, before anything boots
	"$IB" config check "$exp" || die "$exp is not a good experiment file"
	k=$("$IB" config get "$exp" experiment kernels)
	"$IB" config check "$k" || die "$k is not a good kernel set"
done
get() { "$IB" config get "$exp" "$@"; }

# What the boots share, from the first experiment; the others must agree.
exp=$1
kset=$(get experiment kernels)
rounds=${IB_ROUNDS:-$(get experiment rounds 1)}
iommu=$(get lab iommu intel-iommu)
cpus=$(get lab cpus 2)
clock=${IB_CLOCK:-$(get lab clock tcg)}
shift_=${IB_ICOUNT_SHIFT:-$(get lab icount_shift 4)}
case $clock in tcg | icount) ;; *) die "IB_CLOCK=$clock: tcg or icount" ;; esac
mem=0 endpoints= bind= cmdline= runs= names= timeout=0
for exp in "$@"; do
	name=$(basename "$exp" .conf)
	case " $names " in *" $name "*) die "experiment $name named twice" ;; esac
	names="$names $name"
	[ "$(get experiment kernels)" = "$kset" ] || die "$exp: kernels differ from $1's ($kset)"
	[ -n "${IB_ROUNDS:-}" ] || [ "$(get experiment rounds 1)" = "$rounds" ] ||
		die "$exp: rounds differ from $1's ($rounds)"
	[ "$(get lab iommu intel-iommu)" = "$iommu" ] || die "$exp: iommu differs from $1's ($iommu)"
	[ "$(get lab cpus 2)" = "$cpus" ] || die "$exp: cpus differ from $1's ($cpus)"
	[ -n "${IB_CLOCK:-}" ] || [ "$(get lab clock tcg)" = "$clock" ] ||
		die "$exp: clock differs from $1's ($clock): one boot has one clock"
	[ -n "${IB_ICOUNT_SHIFT:-}" ] || [ "$clock" = tcg ] ||
		[ "$(get lab icount_shift 4)" = "$shift_" ] ||
		die "$exp: icount_shift differs from $1's ($shift_)"
	m=$(get lab memory_mb 1024)
	[ "$m" -le "$mem" ] || mem=$m
	for ep in $(get lab endpoints); do
		slot=${ep#*@}
		case " $endpoints " in
		*" $ep "*) ;;
		*"@$slot "*) die "$exp: slot $slot holds another device in an earlier experiment" ;;
		*) endpoints="$endpoints $ep" ;;
		esac
	done
	for d in $(get lab bind ""); do
		case " $bind " in *" $d "*) ;; *) bind="$bind $d" ;; esac
	done
	# kernel parameters hold for the whole boot: the experiments that
	# give them give the same
	c=$(get lab cmdline "")
	[ -z "$c" ] || [ -z "$cmdline" ] || [ "$c" = "$cmdline" ] ||
		die "$exp: [lab] cmdline differs from another experiment's ($cmdline): run them apart"
	[ -z "$c" ] || cmdline=$c
	mode=$(get experiment mode remove)
	cycles=${IB_CYCLES:-$(get experiment cycles 10)}
	devices=$(get experiment devices | tr ' ' ,)
	owner=$(get experiment owner "")
	# which probes each batch runs with; the probe effect on the phases
	# (cycles with nothing armed) on request; adaptive runs
	args=--batches,$(get experiment batches "all release core" | tr ' ' +)
	[ "$(get experiment probe_effect off)" = off ] || args="$args,--untraced"
	args="$args,--chunks,$(get experiment chunks 3)"
	until_ci=$(get experiment until_ci "")
	[ -z "$until_ci" ] ||
		args="$args,--until-ci,$until_ci,--max-cycles,$(get experiment max_cycles 1000)"
	# On the icount clock each run leaves out the probe cost and its
	# trace.dat (IB_ICOUNT_LEAN=0 keeps them): each took as long as the
	# cycles themselves (owned mode, shift 4: 6.5 and 5.5 s of the
	# guest's clock against 6.6 s), the tables on this clock use neither,
	# and make run's TCG boots keep both
	[ "$clock" = tcg ] || [ "${IB_ICOUNT_LEAN:-1}" = 0 ] ||
		args="$args,--no-probe-cost,--no-trace-dat"
	runs="$runs ib.run=$name/$mode/$cycles/$devices/$owner/$args"
	# a boot takes 20-60 s here; an adaptive run up to the collector's
	# --max-seconds (600) more
	[ -z "$until_ci" ] && timeout=$((timeout + 240)) || timeout=$((timeout + 840))
done
# ... and one without them cycles no device they name
if [ -n "$cmdline" ]; then
	for exp in "$@"; do
		[ -z "$(get lab cmdline "")" ] || continue
		for d in $(get experiment devices) $(get experiment owner ""); do
			case $cmdline in *"$d"*)
				die "$exp cycles $d, which another experiment's kernel parameters name ($cmdline): run them apart" ;;
			esac
		done
	done
fi
names=${names# }
endpoints=${endpoints# }
extra="$runs${cmdline:+ $cmdline}"
[ -z "$bind" ] || extra="$extra ib.bind=$(echo $bind | tr ' ' ,)"
boot_timeout=${IB_BOOT_TIMEOUT:-$((timeout + 60))}
[ -f "$kset" ] || die "kernel set $kset not found"

start=$(date +%s)
lab/kernels.sh install "$kset"
kernels=$(lab/kernels.sh names "$kset")

# the shell opens each .boot file before prepare-kernel.sh runs
mkdir -p build/lab
for k in $kernels; do
	step "$k: preparing the kernel, iommu_bench.ko and the initramfs"
	lab/prepare-kernel.sh "$kset" "$k" > "build/lab/$k.boot"
done

icount= suffix= dropped=
if [ "$clock" = icount ]; then
	# One vCPU: QEMU's icount is one count for every vCPU, so another
	# CPU's work would land in a span; and Debian's 6.1 hangs bringing
	# up a second CPU under icount.
	icount=$shift_ suffix=-icount cpus=1
	step "clock: icount, shift $shift_, 1 CPU: lengths in guest instructions"
fi
run=${IB_RESULTS:-results}/$(date -u +%Y%m%dT%H%M%SZ)-$(echo "$names" | tr ' ' +)$suffix
mkdir -p "$run.partial/boots"
fail() {
	mv "$run.partial" "$run.failed" 2>/dev/null || true
	die "$* (what was recorded is in $run.failed)"
}

# drop KERNEL CONSOLE: a series (lab/ab.sh) has this step and the ones
# after it carry a patch that does not boot, or gives no result
drop() {
	echo "$1 $2" >> "$run.partial/dropped"
	seen=
	for d in $kernels; do
		[ "$d" = "$1" ] && seen=1
		[ -z "$seen" ] || dropped="$dropped $d"
	done
	step "$1 gives no result: it and the kernels after it are left out"
}

r=1
while [ "$r" -le "$rounds" ]; do
	for k in $kernels; do
		case " $dropped " in *" $k "*) continue ;; esac
		read -r image initrd < "build/lab/$k.boot"
		step "$k: boot $r/$rounds: $names"
		out=$run.partial/boots/$k/$r
		# A guest under TCG can hang (seen twice in well over a hundred
		# boots: soft lockups with the collector in the kernel): one
		# more boot, never more, and the hung one is kept beside it.
		if ! IB_ICOUNT=$icount IB_BOOT_TIMEOUT=$boot_timeout "$boot_sh" "$image" "$initrd" \
			"$out" "$endpoints" "$iommu" \
			"ib.label=$k ib.boot=$r $extra" "$mem" "$cpus"; then
			mv "$out.partial" "$out.hung" 2>/dev/null || true
			step "$k: boot $r gave no result (its console: $out.hung/console.log); booting it again"
			if ! IB_ICOUNT=$icount IB_BOOT_TIMEOUT=$boot_timeout "$boot_sh" "$image" "$initrd" \
				"$out" "$endpoints" "$iommu" \
				"ib.label=$k ib.boot=$r $extra" "$mem" "$cpus"; then
				[ "${IB_ON_BOOT_FAILURE:-fail}" = drop-rest ] ||
					fail "$k boot $r failed twice"
				mv "$out.partial" "$out.failed" 2>/dev/null || true
				drop "$k" "${out#"$run.partial/"}.failed/console.log"
				continue
			fi
		fi
		for name in $names; do
			[ -f "$out/$name/meta.json" ] && continue
			[ "${IB_ON_BOOT_FAILURE:-fail}" = drop-rest ] ||
				fail "$k boot $r: the collector wrote no $name result (see $out/console.log)"
			drop "$k" "${out#"$run.partial/"}/console.log"
			break
		done
	done
	r=$((r + 1))
done

# what booted, in the set's order
kept=
for k in $kernels; do
	case " $dropped " in *" $k "*) ;; *) kept="$kept $k" ;; esac
done
[ -n "$kept" ] || fail "no kernel booted"
kernels=${kept# }
for name in $names; do
	exp=
	for e in "$@"; do [ "$(basename "$e" .conf)" = "$name" ] && exp=$e; done
	mkdir -p "$run.partial/$name"
	for k in $kernels; do
		# relative paths: meta.json names each boot within the run
		# directory; in round order, boot 1 first
		dirs=
		r=1
		while [ "$r" -le "$rounds" ]; do
			dirs="$dirs ../boots/$k/$r/$name"
			r=$((r + 1))
		done
		# shellcheck disable=SC2086
		(cd "$run.partial/$name" && "$IB" merge -o "$k" $dirs) ||
			fail "merge of $name on $k failed"
	done
	step "$name: comparison"
	# shellcheck disable=SC2086
	(cd "$run.partial/$name" && "$IB" compare -o compare \
		--reproduce "${IB_REPRODUCE:-make run EXPERIMENT=$exp${icount:+ IB_CLOCK=icount}}" $kernels) ||
		fail "comparison of $name failed"
	ab=$(get experiment ab "")
	for k in $ab; do
		case " $dropped " in *" $k "*) ab= ;; esac
	done
	if [ -n "$ab" ]; then
		step "$name: A/B: $ab"
		# shellcheck disable=SC2086
		(cd "$run.partial/$name" && "$IB" compare -o compare-ab \
			--reproduce "${IB_REPRODUCE:-make run EXPERIMENT=$exp${icount:+ IB_CLOCK=icount}}" $ab >/dev/null) ||
			fail "A/B comparison of $name failed"
	fi
done
mv "$run.partial" "$run"
for name in $names; do
	cover=$run/$name/compare
	[ ! -d "$run/$name/compare-ab" ] || cover=$run/$name/compare-ab
	[ -f "$cover/cover-letter.txt" ] || continue
	step "$name: cover letter ($cover/cover-letter.txt)"
	cat "$cover/cover-letter.txt"
done
end=$(date +%s)
step "done in $((end - start)) s: $run"
for name in $names; do
	echo "    $name: $run/$name/compare/compare.txt (.json, .csv), plots $run/$name/compare/*.png"
done
