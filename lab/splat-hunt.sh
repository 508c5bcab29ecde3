#!/bin/sh
# lab/splat-hunt.sh [BOOTS]: boot the debug kernel (lockdep, KASAN,
# DEBUG_ATOMIC_SLEEP, kmemleak) with every module mode (the modes guest
# test) BOOTS times (default 20), keeping every console and dmesg, TCG
# single- and multi-threaded in turn, and with IB_HUNT_LOAD=N, N busy
# loops on the host beside it as a loaded CI host has.  Prints each
# boot's verdict and every splat found, with the boot it came from.
#
# Writes results/splat-hunt-<UTC time>/<n>-<tcg>/ (console.log,
# dmesg.txt, tap.txt) and summary.txt.
set -u
cd "$(dirname "$0")/.."
boots=${1:-20}
load=${IB_HUNT_LOAD:-0}
out=results/splat-hunt-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
kb=$(lab/prepare-kernel.sh configs/kernels/debug.conf src-6.12-debug) || exit 1
pids=
i=0
while [ "$i" -lt "$load" ]; do
	sh -c 'while :; do :; done' &
	pids="$pids $!"
	i=$((i + 1))
done
trap '[ -z "$pids" ] || kill $pids 2>/dev/null' EXIT INT TERM
n=1 bad=0
while [ "$n" -le "$boots" ]; do
	[ $((n % 2)) = 1 ] && tcg=single || tcg=multi
	d=$out/$n-$tcg
	s=$(date +%s)
	IB_TCG_THREAD=$tcg IB_BOOT_TIMEOUT=${IB_BOOT_TIMEOUT:-900} lab/boot.sh \
		"${kb% *}" "${kb#* }" "$d" "e1000e@10 e1000e@11 e1000@br.1 e1000@br.2" \
		intel-iommu "ib.script=modes.sh ib.role=after" >/dev/null 2>"$d.err"
	rc=$?
	splat=$(grep -hE -A12 'WARNING:|BUG:|Oops|general protection' \
		"$d/dmesg.txt" "$d/console.log" 2>/dev/null | head -60)
	fail=$(grep -c '^not ok' "$d/tap.txt" 2>/dev/null)
	verdict=ok
	[ "$rc" = 0 ] && [ -f "$d/tap.txt" ] && [ "${fail:-1}" = 0 ] && [ -z "$splat" ] ||
		{ verdict=FAILED; bad=$((bad + 1)); }
	echo "boot $n ($tcg TCG, load $load): $verdict, $(($(date +%s) - s)) s, boot.sh exit $rc, ${fail:-no} failed TAP lines" |
		tee -a "$out/summary.txt"
	[ -z "$splat" ] || printf '%s\n' "$splat" | sed 's/^/    /' | tee -a "$out/summary.txt"
	[ -s "$d.err" ] && sed 's/^/    boot.sh: /' "$d.err" | tail -5 | tee -a "$out/summary.txt"
	n=$((n + 1))
done
echo "$bad of $boots boots failed: $out/summary.txt" | tee -a "$out/summary.txt"
[ "$bad" = 0 ]
