#!/bin/sh
# Benchmarks (not tests): the module's own cost per cycle, the probe
# effect (remove and rescan phases traced vs untraced, interleaved in one
# boot) and the collector's own cost, on each kernel of the Debian set.
#   lab/bench.sh        writes results/<time>-bench/<kernel>.txt
set -eu
cd "$(dirname "$0")/.."
KSET=configs/kernels/debian.conf
out=results/$(date -u +%Y%m%dT%H%M%SZ)-bench
mkdir -p "$out"
for k in $(lab/kernels.sh names $KSET); do
	kb=$(lab/prepare-kernel.sh $KSET "$k")
	echo "==> $k: benchmark boot"
	lab/boot.sh "${kb% *}" "${kb#* }" "$out/$k.boot" \
		"e1000e@10 e1000e@11 e1000e@12" intel-iommu "ib.script=bench.sh" >/dev/null
	cp "$out/$k.boot/tap.txt" "$out/$k.txt"
	cat "$out/$k.txt"
done
echo "==> $out"
