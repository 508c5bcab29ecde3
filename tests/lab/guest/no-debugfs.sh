#!/bin/sh
# Guest test (TAP), booted with debugfs=off, as where lockdown hides
# debugfs: the module's control device does not depend on debugfs.
. "$IOMMU_BENCH_DATA/tests/tap.sh"

t "debugfs is off" sh -c "! grep -q ' debugfs ' /proc/mounts"
t "insmod iommu_bench.ko" insmod /lib/iommu_bench.ko
t "its control device is there" [ -c /dev/iommu_bench ]
run --no-probe-cost --no-trace-dat -d 0000:00:10.0 -n 3 -o /tmp/r
t "a run succeeds" [ "$rc" = 0 ]
t "... with its 3 cycles" [ "$(rows /tmp/r/cycles.csv)" -ge 3 ]
t "rmmod iommu_bench" rmmod iommu_bench
t "... and its device is gone" [ ! -e /dev/iommu_bench ]
no_splat "no kernel warning, bug or oops"
tap_done
