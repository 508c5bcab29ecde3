#!/bin/sh
# arm64 guest (lab/arm64.sh boot, busybox sh): arm each kprobe_events line
# of /in/probes.txt, the host's 'iommu-bench probes' for this kernel, and
# say which the kernel refused; then trace one PCI remove and rescan of
# the PCI serial port behind the SMMUv3, to show what the fetches read.
tr=/sys/kernel/tracing
while read -r line; do
	case $line in
	'#'*|'') continue ;;
	esac
	if echo "$line" >> $tr/kprobe_events 2>/dev/null; then
		echo "armed ${line%% *}"
	else
		echo "refused ${line%% *}"
	fi
done < /in/probes.txt > /out/armed
echo 1 > $tr/events/iommu_bench_kp/enable
echo 1 > $tr/events/iommu/enable 2>/dev/null
dev=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0002 ] && dev=${d##*/}
done
echo "$dev" > /out/device
basename "$(readlink "/sys/bus/pci/devices/$dev/driver")" > /out/driver-before
basename "$(readlink "/sys/bus/pci/devices/$dev/iommu_group")" > /out/group
echo > $tr/trace
echo 1 > "/sys/bus/pci/devices/$dev/remove"
echo remove-done > $tr/trace_marker
echo 1 > /sys/bus/pci/rescan
echo 0 > $tr/tracing_on
cat $tr/trace > /out/trace
# the rescan's driver probe may still be running: 5 s at most
i=0
while [ $i -lt 50 ] && [ ! -e "/sys/bus/pci/devices/$dev/driver" ]; do
	sleep 0.1
	i=$((i + 1))
done
basename "$(readlink "/sys/bus/pci/devices/$dev/driver")" > /out/driver-after
