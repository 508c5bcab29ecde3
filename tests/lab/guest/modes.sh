#!/bin/sh
# Guest test (TAP): every mode of the module on a lab with a two-device
# IOMMU group behind a PCIe-to-PCI bridge (01:01.0, 01:02.0) and root-bus
# endpoints (00:10.0, 00:11.0).  ib.role=before|after on the command line
# says which side of the release_domain change this kernel is.
role=$(sed -n 's/.*ib\.role=\([a-z]*\).*/\1/p' /proc/cmdline)
. "$IOMMU_BENCH_DATA/tests/tap.sh"
# only CSV COLUMN VALUE: the header and the rows whose COLUMN is VALUE
only() {
	awk -F, -v want="$2" -v val="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; print; next }
		$c == val' "$1"
}

echo "# kernel $(uname -r), role $role"
insmod /lib/iommu_bench.ko
t "insmod" grep -q iommu_bench /proc/modules
t "the bridge's two devices share one IOMMU group" [ "$(readlink /sys/bus/pci/devices/0000:01:01.0/iommu_group)" = "$(readlink /sys/bus/pci/devices/0000:01:02.0/iommu_group)" ]

# unbind: the driver goes and comes back; the device is never released
# (a kernel with the NIC driver built in has bound it; else our stand-in)
if [ -z "$(driver 0000:00:10.0)" ]; then
	echo iommu_bench_dma > /sys/bus/pci/devices/0000:00:10.0/driver_override
	echo 0000:00:10.0 > /sys/bus/pci/drivers_probe
fi
d0=$(driver 0000:00:10.0)
run_counts -m unbind -d 0000:00:10.0 -n 3 -o /tmp/unbind
t "unbind: runs" [ "$rc" = 0 ]
t "unbind: 3 rows" [ "$(rows /tmp/unbind/cycles.csv)" = 3 ]
t "unbind: no IOMMU release on this path" all /tmp/unbind/cycles.csv releases == 0
t "unbind: no domain switch either" all /tmp/unbind/cycles.csv release_switches == 0
t "unbind: the driver is back ($d0)" sh -c "[ -n '$d0' ] && [ '$(driver 0000:00:10.0)' = '$d0' ]"
[ -e /sys/bus/pci/devices/0000:00:11.0/driver ] &&
	echo 0000:00:11.0 > /sys/bus/pci/devices/0000:00:11.0/driver/unbind
run_counts -m unbind -d 0000:00:11.0 -n 1 -o /tmp/unbind2
t "unbind of a device with no driver is refused" sh -c "[ $rc = 3 ] && grep -q 'has no driver bound' /tmp/err"

# a rebind that fails in a cycle: the run fails, says which cycle, and the
# device still gets its driver back before the run returns
echo iommu_bench_dma > /sys/bus/pci/devices/0000:00:11.0/driver_override
echo 0000:00:11.0 > /sys/bus/pci/drivers_probe
echo 1 > /sys/module/iommu_bench/parameters/dma_probe_failures
run_counts -m unbind -d 0000:00:11.0 -n 3 -o /tmp/unbind3
t "unbind: a failed rebind fails the run (exit 1)" [ "$rc" = 1 ]
t "... naming the cycle" grep -q 'failed cycle 0' /tmp/err
t "... keeping what was recorded apart" sh -c "[ -f /tmp/unbind3.failed/meta.json ] && [ ! -e /tmp/unbind3 ]"
t "... and the kernel's reason" sh -c "dmesg | grep -q \"0000:00:11.0: iommu_bench: bound to '', not 'iommu_bench_dma'\""
t "... the driver is back all the same" [ "$(driver 0000:00:11.0)" = iommu_bench_dma ]
t "... the injected failure was used up" [ "$(cat /sys/module/iommu_bench/parameters/dma_probe_failures)" = 0 ]
echo 0000:00:11.0 > /sys/bus/pci/devices/0000:00:11.0/driver/unbind
echo > /sys/bus/pci/devices/0000:00:11.0/driver_override

# owned: the owner claims the group, its mate is removed and rescanned
# (kernels with the NIC drivers built in bind them: they must come back)
d1=$(driver 0000:01:01.0) d2=$(driver 0000:01:02.0)
run_counts -m owned --owner 0000:01:01.0 -d 0000:01:02.0 -n 4 -o /tmp/owned
t "owned: runs" [ "$rc" = 0 ]
t "owned: one release per cycle" all /tmp/owned/cycles.csv releases == 1
if [ "$role" = after ]; then
	t "owned: every release switches, untraced" all /tmp/owned/cycles.csv release_switches_untraced == 1
	t "owned: ... to the domain the group is already on (redundant)" all /tmp/owned/cycles.csv release_switches_redundant == 1
elif [ "$role" = patched ]; then
	t "owned: the review's series skips the release switch" all /tmp/owned/cycles.csv release_switches == 0
	t "owned: no redundant switch" all /tmp/owned/cycles.csv release_switches_redundant == 0
else
	t "owned: no release switch before release_domain" all /tmp/owned/cycles.csv release_switches == 0
	t "owned: no redundant switch either" all /tmp/owned/cycles.csv release_switches_redundant == 0
fi
t "owned: both devices have their drivers back ('$d1', '$d2')" \
	sh -c "[ '$(driver 0000:01:01.0)' = '$d1' ] && [ '$(driver 0000:01:02.0)' = '$d2' ]"
t "owned: no driver_override left on the owner" [ "$(cat /sys/bus/pci/devices/0000:01:01.0/driver_override)" = "(null)" ]
t "owned: both devices present" sh -c "[ -e /sys/bus/pci/devices/0000:01:01.0 ] && [ -e /sys/bus/pci/devices/0000:01:02.0 ]"
# the same with every batch kind: switching probes between the ioctls
# (counts and spans: no probe cost, no trace.dat)
run --no-probe-cost --no-trace-dat -m owned --owner 0000:01:01.0 -d 0000:01:02.0 -n 2 -o /tmp/ownedb
only /tmp/ownedb/cycles.csv probes release > /tmp/ownedb.rel
only /tmp/ownedb/cycles.csv probes core > /tmp/ownedb.core
t "owned, every batch kind: runs" [ "$rc" = 0 ]
t "owned, every batch kind: 2 cycles of each of 3" [ "$(rows /tmp/ownedb/cycles.csv)" = 6 ]
t "owned: 2 cycles with the release span's ends only" [ "$(rows /tmp/ownedb.rel)" = 2 ]
t "owned: ... nothing fired inside the span" all /tmp/ownedb.rel release_hits == 0
t "owned: ... each release timed" all /tmp/ownedb.rel releases == 1
t "owned: the core function timed alone" all /tmp/ownedb.core core_calls == 1
t "owned: the devices have their drivers back again" \
	sh -c "[ '$(driver 0000:01:01.0)' = '$d1' ] && [ '$(driver 0000:01:02.0)' = '$d2' ]"
run_counts -m owned --owner 0000:01:01.0 -d 0000:00:11.0 -n 1 -o /tmp/owned2
t "owned: a device outside the owner's group is refused" sh -c "[ $rc = 3 ] && grep -q 'not in the IOMMU group of owner' /tmp/err"
run_counts -m owned --owner 0000:01:01.0 -d 0000:01:01.0 -n 1 -o /tmp/owned3
t "owned: the owner itself is never removed" sh -c "[ $rc = 3 ] && grep -q 'is the owner' /tmp/err"
run_counts -m owned -d 0000:01:02.0 -n 1 -o /tmp/owned4
t "owned: without --owner refused" sh -c "[ $rc = 2 ] && grep -q 'needs --owner' /tmp/err"

# claim: bind the owning driver (group to blocked), unbind it (back);
# the claim needs the group free of DMA-API drivers: 01:02.0 goes first
[ -n "$d2" ] && echo 0000:01:02.0 > "/sys/bus/pci/devices/0000:01:02.0/driver/unbind"
run_counts -m claim -d 0000:01:01.0 -n 3 -o /tmp/claim
t "claim: runs" [ "$rc" = 0 ]
t "claim: the claim switches the group's devices, traced" all /tmp/claim/cycles.csv phase1_switches_traced ">=" 2
t "claim: the release switches them back, traced" all /tmp/claim/cycles.csv phase2_switches_traced ">=" 2
t "claim: no device is released" all /tmp/claim/cycles.csv releases == 0
t "claim: the device has its driver back ('$d1')" sh -c "[ '$(driver 0000:01:01.0)' = '$d1' ]"
[ -n "$d2" ] && echo 0000:01:02.0 > "/sys/bus/pci/drivers/$d2/bind"

# group: both devices of the group, removed in turn, one rescan
run_counts -m group -d 0000:01:01.0,0000:01:02.0 -n 3 -o /tmp/group
t "group: runs" [ "$rc" = 0 ]
t "group: a row per device per cycle" [ "$(rows /tmp/group/cycles.csv)" = 6 ]
t "group: one release in each row" all /tmp/group/cycles.csv releases == 1
run_counts -m group -d 0000:01:01.0 -n 1 -o /tmp/group2
t "group: naming part of a group is refused" sh -c "[ $rc = 3 ] && grep -q 'name them all' /tmp/err"
t "group: both devices present" sh -c "[ -e /sys/bus/pci/devices/0000:01:01.0 ] && [ -e /sys/bus/pci/devices/0000:01:02.0 ]"

[ "$d0" = iommu_bench_dma ] &&
	echo 0000:00:10.0 > /sys/bus/pci/devices/0000:00:10.0/driver/unbind
t "rmmod" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
