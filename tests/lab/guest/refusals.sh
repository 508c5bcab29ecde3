#!/bin/sh
# Guest test (kselftest-style TAP): every refusal of the collector and the
# module names the problem, exits non-zero and leaves the devices present.
# Runs as the lab guest's payload: lab/guest-init ib.script=refusals.sh
. "$IOMMU_BENCH_DATA/tests/tap.sh"
said() { grep -q "$1" /tmp/err; }
present() { [ -e "/sys/bus/pci/devices/$1" ]; }
nothing_written() { ! ls -d /tmp/r* >/dev/null 2>&1; }

run -d 0000:00:10.0 -o /tmp/r
t "run without the module exits 3 (refused)" [ "$rc" = 3 ]
t "... and says the module is not loaded" said "module iommu_bench is not loaded"
t "... and writes nothing" nothing_written

t "insmod iommu_bench.ko" insmod /lib/iommu_bench.ko
t "abi_version file says 1" [ "$(cat /sys/kernel/debug/iommu_bench/abi_version)" = 1 ]

run -d 0000:00:1e.0 -o /tmp/r
t "absent device exits 2 naming it" sh -c "[ $rc = 2 ] && grep -q '0000:00:1e.0: no such PCI device' /tmp/err"
run -d 00:zz.0 -o /tmp/r
t "malformed address exits 2" sh -c "[ $rc = 2 ] && grep -q \"'00:zz.0' is not a PCI address\" /tmp/err"
run -d 0000:00:10.0,0000:00:10.0 -o /tmp/r
t "device named twice exits 2" sh -c "[ $rc = 2 ] && grep -q 'named twice' /tmp/err"
run -d 0000:00:10.0 -n 0 -o /tmp/r
t "zero cycles exits 2" sh -c "[ $rc = 2 ] && grep -q 'cycles' /tmp/err"

run -d 0000:00:1f.0 -o /tmp/r
t "ISA bridge refused by the module, exit 3" [ "$rc" = 3 ]
t "... the kernel's reason is shown" said "is a bridge"
t "... the bridge is still there" present 0000:00:1f.0
run -d 0000:00:00.0 -o /tmp/r
t "host bridge refused" sh -c "[ $rc = 3 ] && grep -q 'is a bridge' /tmp/err"
run -d 0000:00:10.0,0000:00:1f.2,0000:00:1f.0 -o /tmp/r
t "one bad device refuses the whole run before any cycle" [ "$rc" = 3 ]
t "... the good devices were not touched" sh -c "[ -e /sys/bus/pci/devices/0000:00:10.0 ] && [ -e /sys/bus/pci/devices/0000:00:1f.2 ]"
t "refusals wrote nothing" nothing_written

# owned: the owner's group (behind the PCI bridge) has a third member
# bound to a driver that uses the DMA API: the claim would fail, so it is
# refused before the owner or its mate loses its driver
for d in 0000:01:01.0 0000:01:02.0 0000:01:03.0; do
	echo iommu_bench_dma > /sys/bus/pci/devices/$d/driver_override
	echo $d > /sys/bus/pci/drivers_probe
done
run -m owned --owner 0000:01:01.0 -d 0000:01:02.0 -n 2 -o /tmp/r
t "owned with a DMA-API driver left in the group: refused, exit 3" [ "$rc" = 3 ]
t "... naming that device and its driver" said "0000:01:03.0: in the group of owner 0000:01:01.0 and bound to iommu_bench_dma"
t "... the owner keeps its driver" [ "$(driver 0000:01:01.0)" = iommu_bench_dma ]
t "... and so does its mate" [ "$(driver 0000:01:02.0)" = iommu_bench_dma ]
t "... and nothing was written" nothing_written
for d in 0000:01:01.0 0000:01:02.0 0000:01:03.0; do
	echo $d > /sys/bus/pci/devices/$d/driver/unbind
	echo > /sys/bus/pci/devices/$d/driver_override
done

run -d 0000:00:10.0 -n 2 -o /tmp/r --tracefs /tmp
t "a directory that is not tracefs is refused" sh -c "[ $rc = 3 ] && grep -q '/tmp is not a tracefs mount' /tmp/err"

run -d 0000:00:10.0 -n 2 -o /tmp/r
t "a good run exits 0" [ "$rc" = 0 ]
t "... its device is present afterwards" present 0000:00:10.0
run -d 0000:00:10.0 -n 1 -o /tmp/r
t "an existing result is never overwritten" sh -c "[ $rc = 2 ] && grep -q 'exists' /tmp/err"

t "rmmod iommu_bench" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
