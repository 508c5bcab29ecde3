#!/bin/sh
# Guest test (TAP): the ioctl ABI edge, from a 64-bit and from a 32-bit
# caller (ioctl_abi, ioctl_abi32: the module's compat_ioctl), each edge
# one test here.
. "$IOMMU_BENCH_DATA/tests/tap.sh"

t "insmod iommu_bench.ko" insmod /lib/iommu_bench.ko
for bin in ioctl_abi ioctl_abi32; do
	"$IOMMU_BENCH_DATA/tests/$bin" 0000:00:10.0 > /tmp/$bin.tap 2>&1
	while IFS= read -r line; do
		case $line in
		"ok "* | "not ok "*) t "$bin: ${line#* - }" [ "${line%% *}" = ok ] ;;
		"#"*) echo "$line" ;;
		esac
	done < /tmp/$bin.tap
	t "$bin: every edge of its plan ran" sh -c "grep -q '^1\.\.43$' /tmp/$bin.tap &&
		[ \$(grep -cE '^(not )?ok ' /tmp/$bin.tap) = 43 ]"
done
t "the device is there at the end" [ -e /sys/bus/pci/devices/0000:00:10.0 ]
t "rmmod iommu_bench" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
