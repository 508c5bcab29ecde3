#!/bin/sh
# Guest test (TAP): group mode on a group that spans buses.  Two
# endpoints, each behind a downstream port of a PCIe switch under a root
# port without ACS (lab/boot.sh "sw.N"), share one IOMMU group: removed
# in turn, each must come back at the rescan of its own bus, on its
# driver, in its group.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
RP=0000:00:0a.0

insmod /lib/iommu_bench.ko
t "insmod" grep -q iommu_bench /proc/modules
# the group's endpoints: the root port's group, bridges (class 0604) aside
eps=
for d in /sys/bus/pci/devices/$RP/iommu_group/devices/*; do
	case $(cat "$d/class") in 0x0604*) ;; *) eps="$eps $(basename "$d")" ;; esac
done
set -- $eps
echo "# the group's endpoints:$eps"
t "the switch's group holds two endpoints" [ $# = 2 ]
a=${1:-none} b=${2:-none}
t "... on two buses" [ "${a%:*}" != "${b%:*}" ]
for d in $a $b; do
	echo iommu_bench_dma > /sys/bus/pci/devices/$d/driver_override
	echo $d > /sys/bus/pci/drivers_probe
done
dev_state $a $b > /tmp/before
cat /tmp/before | sed 's/^/# before: /'

run_counts -m group -d "$a,$b" -n 3 -o /tmp/g
t "group: runs" [ "$rc" = 0 ]
t "group: a row per device per cycle" [ "$(rows /tmp/g/cycles.csv)" = 6 ]
t "group: one release in each row" all /tmp/g/cycles.csv releases == 1
dev_state $a $b > /tmp/after
cat /tmp/after | sed 's/^/# after: /'
t "both devices back, on their driver and override, in their group" cmp /tmp/before /tmp/after

for d in $a $b; do
	echo $d > /sys/bus/pci/devices/$d/driver/unbind
	echo > /sys/bus/pci/devices/$d/driver_override
done
t "rmmod" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
