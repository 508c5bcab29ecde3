#!/bin/sh
# Guest test: the ioctl ABI edge (ioctl_abi prints TAP).
insmod /lib/iommu_bench.ko || { echo "1..1"; echo "not ok 1 - insmod"; exit 1; }
"$IOMMU_BENCH_DATA/tests/ioctl_abi" 0000:00:10.0
rc=$?
rmmod iommu_bench
exit $rc
