#!/bin/sh
# Guest test (TAP), booted with the IOMMU off: devices have no IOMMU group
# and the collector says so instead of measuring nothing.
echo "1..4"
insmod /lib/iommu_bench.ko && echo "ok 1 - insmod" || echo "not ok 1 - insmod"
iommu-bench run -q -d 0000:00:10.0 -o /tmp/r 2>/tmp/err; rc=$?
sed 's/^/# /' /tmp/err
[ "$rc" = 3 ] && echo "ok 2 - exit 3: refused" || echo "not ok 2 - exit 3: refused (got $rc)"
grep -q '0000:00:10.0: has no IOMMU group' /tmp/err &&
	echo "ok 3 - the error names the device and the missing group" ||
	echo "not ok 3 - the error names the device and the missing group"
[ ! -e /tmp/r ] && [ ! -e /tmp/r.failed ] && [ ! -e /tmp/r.partial ] &&
	echo "ok 4 - nothing written" || echo "not ok 4 - nothing written"
