#!/bin/sh
# Guest test (TAP), on QEMU's VT-d in scalable mode (lab IOMMU
# intel-iommu-sm), as on VT-d hardware since Ice Lake: a release tears
# down the device's PASID table entry, not a context entry, and the
# Intel pack's hardware-work rows count it.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
DEVS=0000:00:10.0,0000:00:11.0

ecap=$(cat /sys/class/iommu/dmar0/intel-iommu/ecap 2>/dev/null)
echo "# ecap $ecap"
t "the IOMMU offers scalable mode (ECAP.SMTS, bit 43)" [ $(((0x${ecap:-0} >> 43) & 1)) = 1 ]
dmesg | grep -i -E 'scalable|pasid' | head -n 5 | sed 's/^/# /'
t "insmod iommu_bench.ko" insmod /lib/iommu_bench.ko
run_counts -d $DEVS -n 3 -o /tmp/sm
t "a run on two devices exits 0" [ "$rc" = 0 ]
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ print "# " $c["device"] " cycle " $c["cycle"] ": target " $c["release_target"] \
	  ", ctx " $c["release_ctx"] ", inval " $c["release_inval"] ", switches " $c["release_switches"] }' \
	/tmp/sm/cycles.csv
# 6.1's driver detaches the device itself; 6.12's core switches it once
case $(uname -r) in
6.1.*) t "6.1: the core switches no domain at release" all /tmp/sm/cycles.csv release_switches == 0 ;;
*) t "each release switches the device once" all /tmp/sm/cycles.csv release_switches == 1 ;;
esac
t "... tears down its PASID entry (the pack's ctx row)" all /tmp/sm/cycles.csv release_ctx ">=" 1
t "... and waits for invalidations" all /tmp/sm/cycles.csv release_inval ">=" 1
t "rmmod iommu_bench" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
