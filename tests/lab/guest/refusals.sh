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
t "the abi_version parameter says 3" [ "$(cat /sys/module/iommu_bench/parameters/abi_version)" = 3 ]

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

# SR-IOV (ib.modules=nvme): a PF whose VFs are enabled would lose them,
# and a VF belongs to its PF; both refused in every mode
pf=$(for d in /sys/bus/pci/devices/*; do [ -e "$d/sriov_totalvfs" ] && basename "$d"; done | head -n 1)
t "an SR-IOV PF is there, on nvme" [ "$(driver "${pf:-none}")" = nvme ]
sys=/sys/bus/pci/devices/$pf
echo 0 > "$sys/sriov_drivers_autoprobe"
echo 2 > "$sys/sriov_numvfs"
vf=$(basename "$(readlink "$sys/virtfn0")")
t "... with 2 VFs enabled" sh -c "[ -n '$vf' ] && [ \"\$(cat '$sys/sriov_numvfs')\" = 2 ]"
run -d "$pf" -n 1 -o /tmp/r
t "a PF with VFs enabled: refused, exit 3" [ "$rc" = 3 ]
t "... saying why" said "$pf: has 2 SR-IOV VFs enabled, which its release would destroy"
t "... it still has its VFs" sh -c "[ -e /sys/bus/pci/devices/$vf ] && [ \$(cat $sys/sriov_numvfs) = 2 ]"
t "... and it keeps its driver" [ "$(driver "$pf")" = nvme ]
run -m unbind -d "$pf" -n 1 -o /tmp/r
t "... refused in unbind mode too (an unbind destroys them as well)" [ "$rc" = 3 ]
run -d "$vf" -n 1 -o /tmp/r
t "a VF: refused, exit 3, saying why" sh -c "[ $rc = 3 ] && grep -q '$vf: is an SR-IOV VF' /tmp/err"
iommu-bench devices > /tmp/devs 2>&1
sed 's/^/# /' /tmp/devs
lists() { grep -qE "$1" /tmp/devs; }
t "devices: the PF may not be cycled, saying why" lists "^$pf .* nvme .* no: a PF with 2 SR-IOV VFs enabled"
t "devices: nor its VF" lists "^$vf .* no: an SR-IOV VF: its PF $pf owns it$"
t "devices: nor the ISA bridge" lists "^0000:00:1f.0 .* no: a bridge \(class 0601"
t "devices: the NIC at 00:10.0 may (no driver loaded here)" lists "^0000:00:10.0 .* - +yes$"
t "devices: the NICs behind the PCI bridge share a group, with the bridge" lists "^0000:01:01.0 .* yes, group of 4$"
iommu-bench devices -y > /tmp/devs 2>&1
t "devices -y: only what may be cycled" sh -c "! grep -q ' no: ' /tmp/devs && grep -q '^0000:00:10.0 ' /tmp/devs"
echo 0 > "$sys/sriov_numvfs"
run -d "$pf" -n 1 -o /tmp/r
t "the PF with its VFs disabled is cycled" [ "$rc" = 0 ]
t "... and is back on nvme" [ "$(driver "$pf")" = nvme ]
rm -rf /tmp/r

# the owning driver binds only a run's owner: no sysfs bind or unbind,
# and an id added by hand does not make it claim a group (the e1000e at
# 00:10.0-00:12.0 have no driver here, so new_id probes them)
own=/sys/bus/pci/drivers/iommu_bench_owner
t "iommu_bench_owner has no sysfs bind or unbind" sh -c "[ ! -e $own/bind ] && [ ! -e $own/unbind ]"
t "00:11.0 has no driver" [ -z "$(driver 0000:00:11.0)" ]
echo "8086 10d3" > $own/new_id
t "a new_id written by hand binds nothing to it" [ -z "$(driver 0000:00:11.0)" ]
t "... saying why" sh -c "dmesg | grep -q '0000:00:11.0: iommu_bench: iommu_bench_owner binds only the owner of a run'"
echo "8086 10d3" > $own/remove_id

# owned: the owner's group (behind the PCI bridge) has a third member
# bound to a driver that uses the DMA API: the claim would fail, so it is
# refused before the owner or its mate loses its driver
for d in 0000:01:01.0 0000:01:02.0 0000:01:03.0; do
	echo iommu_bench_dma > /sys/bus/pci/devices/$d/driver_override
	echo $d > /sys/bus/pci/drivers_probe
done
run -m owned --owner 0000:01:01.0 -d 0000:01:02.0 -n 2 -o /tmp/r
t "owned with a DMA-API driver left in the group: refused, exit 3" [ "$rc" = 3 ]
t "... naming that device and its driver" said "0000:01:03.0: in the IOMMU group of 0000:01:01.0 and bound to iommu_bench_dma"
t "... the owner keeps its driver" [ "$(driver 0000:01:01.0)" = iommu_bench_dma ]
t "... and so does its mate" [ "$(driver 0000:01:02.0)" = iommu_bench_dma ]
t "... and nothing was written" nothing_written
for d in 0000:01:01.0 0000:01:02.0 0000:01:03.0; do
	echo $d > /sys/bus/pci/devices/$d/driver/unbind
	echo > /sys/bus/pci/devices/$d/driver_override
done

run -d 0000:00:10.0 -n 2 -o /tmp/r --tracefs /tmp
t "a directory that is not tracefs is refused" sh -c "[ $rc = 3 ] && grep -q '/tmp is not a tracefs mount' /tmp/err"

run --no-probe-cost --no-trace-dat -d 0000:00:10.0 -n 2 -o /tmp/r
t "a good run exits 0" [ "$rc" = 0 ]
t "... its device is present afterwards" present 0000:00:10.0
run -d 0000:00:10.0 -n 1 -o /tmp/r
t "an existing result is never overwritten" sh -c "[ $rc = 2 ] && grep -q 'exists' /tmp/err"

t "rmmod iommu_bench" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
