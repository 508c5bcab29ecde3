#!/bin/sh
# make soak: every mode of the module for IB_SOAK_CYCLES cycles (default
# 10000) on the debug kernel (lockdep, KASAN, DEBUG_ATOMIC_SLEEP,
# kmemleak), in runs of IB_SOAK_CHUNK (default 50); IB_SOAK_MODES
# (say remove,group) limits it to those modes.  Passes when the
# guest's checks pass (no lost events, every device back, no kmemleak
# report, no splat) and no mode's release latency drifts upward over its
# runs (lab/soak-trend.pl).  Not part of make check: hours under TCG.
#
# Writes results/soak-<UTC time>/ (the guest's tree, console.log,
# dmesg.txt, report.txt); .failed when anything failed.
set -eu
cd "$(dirname "$0")/.."
cycles=${IB_SOAK_CYCLES:-10000}
# The interrupts a run records fill 8 MiB a CPU in about 7 min on the
# debug kernel under TCG: the guest drains the trace every 10 cycles
# (--chunks), about 1 min of group
chunk=${IB_SOAK_CHUNK:-50}
modes=${IB_SOAK_MODES:-remove,unbind,owned,claim,group}
case $modes in
*[!a-z,]* | '') echo "soak: IB_SOAK_MODES '$modes': modes separated by commas" >&2; exit 2 ;;
esac
for m in $(echo "$modes" | tr , ' '); do
	case $m in
	remove | unbind | owned | claim | group) ;;
	*) echo "soak: IB_SOAK_MODES: no mode '$m' (remove, unbind, owned, claim, group)" >&2; exit 2 ;;
	esac
done
out=results/soak-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p results
kb=$(lab/prepare-kernel.sh configs/kernels/debug.conf src-6.12-debug)
echo "==> soak: $cycles cycles per mode ($modes) on src-6.12-debug, runs of $chunk"
start=$(date +%s)
rc=0
IB_BOOT_TIMEOUT=${IB_BOOT_TIMEOUT:-86400} lab/boot.sh "${kb% *}" "${kb#* }" \
	"$out.partial" "e1000e@10 e1000e@11 e1000@br.1 e1000@br.2" intel-iommu \
	"ib.script=soak.sh ib.soak_cycles=$cycles ib.soak_chunk=$chunk ib.soak_modes=$modes" || rc=1
{
	echo "soak of $cycles cycles per mode ($modes), runs of $chunk, on src-6.12-debug:" \
		"$(($(date +%s) - start)) s"
	cat "$out.partial/tap.txt" 2>/dev/null || echo "not ok - the guest wrote no TAP"
	perl lab/soak-trend.pl "$out.partial"/soak/*.medians
} > "$out.partial/report.txt" 2>&1 || rc=1
grep -q '^not ok' "$out.partial/report.txt" && rc=1
cat "$out.partial/report.txt"
if [ $rc = 0 ]; then
	mv "$out.partial" "$out"
	echo "==> soak passed: $out/report.txt"
else
	mv "$out.partial" "$out.failed"
	echo "==> soak failed: $out.failed/report.txt" >&2
fi
exit $rc
