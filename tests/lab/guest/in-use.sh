#!/bin/sh
# Guest test (TAP): devices in use are refused, by the collector and by
# the module itself through the raw ioctl (ioctl_abi --check: the uapi is
# public, the collector's checks only a courtesy).  The lab has a virtio
# disk at 00:14.0 (ext4 on it, then device-mapper, md, overlayfs as a
# root, btrfs), a PCI serial port at 00:13.0 that is the console (ttyS2,
# booted with IB_BOOT_CONSOLE=ttyS2), an e1000e at 00:10.0, and an NVMe
# multipath disk's controller at 00:15.0.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
extra=/lib/modules-extra
abi=$IOMMU_BENCH_DATA/tests/ioctl_abi
load() { for m in $(cat "$extra/$1.order"); do insmod "$extra/$m" 2>/dev/null; done; }
# module_refuses DEV REASON [MODE]: the raw check-only ioctl fails with
# EBUSY, and the kernel log gives the reason
module_refuses() {
	dmesg -c > /dev/null
	"$abi" --check "$1" ${3:-1} > /tmp/check 2>&1
	grep -q 'errno 16' /tmp/check && dmesg | grep -q "$1: iommu_bench: $2" ||
		{ sed 's/^/# /' /tmp/check; dmesg | tail -n 3 | sed 's/^/# /'; return 1; }
}
module_takes() { "$abi" --check "$@" > /tmp/check 2>&1 && grep -q 'errno 0' /tmp/check; }
DISK=0000:00:14.0 NIC=0000:00:10.0 SERIAL=0000:00:13.0 NVME=0000:00:15.0

insmod /lib/iommu_bench.ko
load virtio_blk
load crc32c_generic
load ext4
t "the virtio disk appears" [ -b /dev/vda ]
t "the module takes the disk's controller while nothing uses the disk" module_takes $DISK
mke2fs -q /dev/vda && mkdir -p /mnt && mount -t ext4 /dev/vda /mnt
t "a file system is mounted from it" grep -q '^/dev/vda /mnt' /proc/mounts
run -d $DISK -n 1 -o /tmp/r
t "its controller is refused: it holds a mounted file system" \
	sh -c "[ $rc = 3 ] && grep -q '$DISK: holds the mounted file system /mnt' /tmp/err"
t "... and is still there" [ -e /sys/bus/pci/devices/$DISK ]
t "the module itself refuses it: its disk is open" module_refuses $DISK "its block device vda is open"
for m in 2 4; do
	t "... in mode $m too" module_refuses $DISK "its block device vda is open" $m
done

# a root on that disk, seen from a chroot: the module looks at the disk,
# not at the caller's root, so it refuses whatever the root is
cp "$abi" /mnt/
mkdir -p /mnt/sys /mnt/proc /mnt/dev
mount -t sysfs sysfs /mnt/sys && mount -t devtmpfs devtmpfs /mnt/dev
chroot /mnt /ioctl_abi --check $DISK > /tmp/check 2>&1
t "from a root on that disk, the module refuses it (EBUSY)" grep -q 'errno 16' /tmp/check
chroot /mnt /ioctl_abi --check $NIC > /tmp/check 2>&1
t "... and accepts another device" grep -q 'errno 0' /tmp/check
umount /mnt/dev /mnt/sys

# overlayfs as the root (a container's): its upper and lower layers are
# on the disk, and overlayfs has no block device of its own
load overlay
mkdir -p /mnt/upper /mnt/work /mnt/lower /ovl
cp "$abi" /mnt/lower/
mkdir -p /mnt/lower/sys /mnt/lower/dev
mount -t overlay overlay -o lowerdir=/mnt/lower,upperdir=/mnt/upper,workdir=/mnt/work /ovl
t "an overlayfs root over the disk" grep -q '^overlay /ovl overlay' /proc/mounts
mount -t sysfs sysfs /ovl/sys && mount -t devtmpfs devtmpfs /ovl/dev
chroot /ovl /ioctl_abi --check $DISK > /tmp/check 2>&1
t "from an overlayfs root on that disk, the module refuses it (EBUSY)" grep -q 'errno 16' /tmp/check
umount /ovl/dev /ovl/sys /ovl
umount /mnt
t "nothing is mounted from the disk any more" sh -c "! grep -q '^/dev/vda ' /proc/mounts"
t "the module takes it again" module_takes $DISK

# the same disk under device-mapper, as LVM and dm-crypt put it, not
# mounted: device-mapper holds the disk open
load dm-mod
dmsetup --noudevsync create ibdm --table "0 $(cat /sys/block/vda/size) linear /dev/vda 0"
t "a device-mapper device on the disk" [ -b /dev/dm-0 ]
t "the module refuses the disk under an unmounted dm target" module_refuses $DISK "its block device vda is open"
mke2fs -q /dev/dm-0 && mount -t ext4 /dev/dm-0 /mnt
run -d $DISK -n 1 -o /tmp/r
t "ext4 on device-mapper on it: refused, it holds /mnt" \
	sh -c "[ $rc = 3 ] && grep -q '$DISK: holds the mounted file system /mnt (/dev/dm-0)' /tmp/err"
umount /mnt
dmsetup --noudevsync remove ibdm

# md (raid1, no superblock), not mounted: md holds its member open
load raid1
MDADM_NO_UDEV=1 mdadm --build /dev/md0 --level=1 --raid-devices=2 /dev/vda missing \
	> /tmp/md 2>&1 || sed 's/^/# /' /tmp/md
t "an md raid1 on the disk" grep -q '^md0 : active' /proc/mdstat
t "the module refuses the disk under md" module_refuses $DISK "its block device vda is open"
run -d $DISK -n 1 -o /tmp/r
t "... and the collector says so, from the kernel (exit 3)" \
	sh -c "[ $rc = 3 ] && grep -q 'its block device vda is open' /tmp/err"
MDADM_NO_UDEV=1 mdadm --stop /dev/md0 > /dev/null 2>&1

# btrfs: its mount has an anonymous major:minor (0:N), only its source
# names the disk
load btrfs
mkfs.btrfs -q -f /dev/vda && mount -t btrfs /dev/vda /mnt
t "btrfs mounted from the disk, with an anonymous device number" \
	sh -c "awk '\$5 == \"/mnt\" && \$3 ~ /^0:/' /proc/self/mountinfo | grep -q ."
run -d $DISK -n 1 -o /tmp/r
t "btrfs on it: refused, it holds /mnt" \
	sh -c "[ $rc = 3 ] && grep -q '$DISK: holds the mounted file system /mnt (/dev/vda)' /tmp/err"
t "the module refuses it too" module_refuses $DISK "its block device vda is open"
iommu-bench devices > /tmp/devs 2>&1
sed 's/^/# /' /tmp/devs
t "devices: the disk's controller may not be cycled, it holds /mnt" \
	grep -q "^$DISK .* no: holds the mounted file system /mnt (/dev/vda)$" /tmp/devs
umount /mnt
t "... and the disk's controller is still there" [ -e /sys/bus/pci/devices/$DISK ]

# an NVMe in a multi-controller subsystem: Linux's native multipath puts
# its disk (nvme0n1) under the subsystem; under the controller is only a
# hidden path (nvme0c0n1), and the disk's use cannot be seen from there
load nvme
i=0
while [ ! -e /sys/block/nvme0n1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
path=$(ls /sys/bus/pci/devices/$NVME/nvme/*/ 2>/dev/null | grep -m 1 '^nvme[0-9]*c[0-9]*n[0-9]*$')
t "an NVMe multipath disk, its hidden path ${path:-none} under the controller" \
	sh -c "[ -e /sys/block/nvme0n1 ] && [ -n '$path' ]"
t "the module refuses the controller" module_refuses $NVME "its disk $path is a path of an NVMe multipath disk"
run -d $NVME -n 1 -o /tmp/r
t "... and run says so (exit 3)" sh -c "[ $rc = 3 ] && grep -q 'is a path of an NVMe multipath disk' /tmp/err"
t "devices: the controller may not be cycled, saying why" \
	sh -c "iommu-bench devices | grep -q '^$NVME .* no: its disk $path is a path of an NVMe multipath disk'"

echo "# active consoles: $(cat /sys/class/tty/console/active)"
t "console ttyS2 is active" grep -qw ttyS2 /sys/class/tty/console/active
run -d $SERIAL -n 1 -o /tmp/r
t "the console's PCI serial port is refused" sh -c "[ $rc = 3 ] && grep -q '$SERIAL: is the device of console ttyS2' /tmp/err"
t "devices: the console's serial port may not be cycled, saying why" \
	sh -c "iommu-bench devices | grep -q '^$SERIAL .* no: is the device of console ttyS2$'"
t "the module refuses it itself" module_refuses $SERIAL "is the device of console ttyS2"
t "... in unbind mode too" module_refuses $SERIAL "is the device of console ttyS2" 2
t "devices: the NIC may be cycled while it has no interface up" \
	sh -c "iommu-bench devices | grep -qE '^$NIC .* yes$'"

# the NIC with an address and its link up, as the one an SSH session uses
load e1000e
ifc=$(ls /sys/bus/pci/devices/$NIC/net 2>/dev/null | head -n 1)
ip link set "${ifc:-none}" up && ip addr add 192.0.2.1/24 dev "${ifc:-none}"
echo "# $ifc: flags $(cat /sys/class/net/$ifc/flags), carrier $(cat /sys/class/net/$ifc/carrier 2>/dev/null)"
t "the NIC's interface $ifc is up, with an address" sh -c "ip addr show dev '$ifc' | grep -q 'inet 192.0.2.1/24' && ip link show dev '$ifc' | grep -q '[<,]UP[,>]'"
run -d $NIC -n 1 -o /tmp/r
t "the collector refuses it (exit 3), naming the interface" \
	sh -c "[ $rc = 3 ] && grep -q '$NIC: has network interface $ifc up' /tmp/err"
t "the module refuses it itself" module_refuses $NIC "has network interface $ifc up"
t "... in unbind mode too" module_refuses $NIC "has network interface $ifc up" 2
t "... and in claim mode" module_refuses $NIC "has network interface $ifc up" 4
t "... it still has its address" sh -c "ip addr show dev '$ifc' | grep -q 'inet 192.0.2.1/24'"
dmesg -c > /dev/null
"$abi" --check $NIC 1 --force-net > /tmp/check 2>&1
t "the module takes it when the caller forces that one device" grep -q 'errno 0' /tmp/check
t "... and logs it" sh -c "dmesg | grep -q '$NIC: iommu_bench: network interface $ifc is up; taken anyway'"
run -d $NIC -n 1 -o /tmp/r --force-net 0000:00:11.0
t "--force-net must name a device of the run (exit 2)" sh -c "[ $rc = 2 ] && grep -q 'not one of the devices of -d' /tmp/err"
run_counts -d $NIC -n 1 -o /tmp/forced --force-net $NIC
t "run --force-net cycles it" [ "$rc" = 0 ]
t "... and it is back on e1000e" [ "$(driver $NIC)" = e1000e ]
rm -rf /tmp/forced
ifc=$(ls /sys/bus/pci/devices/$NIC/net 2>/dev/null | head -n 1)
ip link set "${ifc:-none}" down

# A device kept on vfio-pci by its driver_override (as an NVMe given to
# VMs is) must never be probed by its native driver on the way back: the
# module sets the override before the rescan's probe.  e1000e's probe is
# traced with a kprobe.
load vfio-pci
sys=/sys/bus/pci/devices/$NIC
echo vfio-pci > $sys/driver_override
echo $NIC > /sys/bus/pci/drivers/e1000e/unbind
echo $NIC > /sys/bus/pci/drivers_probe
t "the NIC is on vfio-pci by its driver_override" [ "$(driver $NIC)" = vfio-pci ]
tr=/sys/kernel/tracing
echo 'p:ib_e1000_probe e1000_probe' >> $tr/kprobe_events
echo 1 > $tr/events/kprobes/ib_e1000_probe/enable
echo > $tr/trace
"$abi" --run 3 $NIC 1 > /tmp/check 2>&1
sed 's/^/# /' /tmp/check
t "three remove cycles of it through the raw ioctl" grep -q 'errno 0 cycles_done 3' /tmp/check
hits=$(grep -c ib_e1000_probe: $tr/trace)
t "e1000e never probed it ($hits probes traced)" [ "$hits" = 0 ]
t "... it is back on vfio-pci" [ "$(driver $NIC)" = vfio-pci ]
t "... with its override" [ "$(cat $sys/driver_override)" = vfio-pci ]
echo > $sys/driver_override
echo $NIC > /sys/bus/pci/drivers/vfio-pci/unbind
echo $NIC > /sys/bus/pci/drivers_probe
hits=$(grep -c ib_e1000_probe: $tr/trace)
t "the kprobe does see e1000e's probe when it binds ($hits)" [ "$hits" = 1 ]
echo 0 > $tr/events/kprobes/ib_e1000_probe/enable
echo '-:ib_e1000_probe' >> $tr/kprobe_events
t "the NIC is on e1000e again" [ "$(driver $NIC)" = e1000e ]

# Someone gives the NIC to vfio-pci during a long run: the module sees
# it before the next cycle, stops, says why, and leaves the NIC where
# they put it.  (Within a cycle the module gives the device back its
# driver: the test build's cycle_gap_ms leaves time between cycles.)
dmesg -c > /dev/null
echo 300 > /sys/module/iommu_bench/parameters/cycle_gap_ms
"$abi" --run 50 $NIC 1 > /tmp/long 2>&1 &
long=$!
sleep 1
i=0
while kill -0 $long 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	if [ -e $sys ] && [ "$(driver $NIC)" = e1000e ]; then
		echo vfio-pci > $sys/driver_override 2>/dev/null
		echo $NIC > /sys/bus/pci/drivers/e1000e/unbind 2>/dev/null
		echo $NIC > /sys/bus/pci/drivers/vfio-pci/bind 2>/dev/null
		[ "$(driver $NIC)" = vfio-pci ] && break
	fi
	i=$((i + 1))
done
wait $long
sed 's/^/# /' /tmp/long
dmesg | grep 'iommu_bench: ' | tail -n 3 | sed 's/^/# /'
t "a driver changed mid-run stops the run (EBUSY) before all its cycles" \
	sh -c "grep -q 'errno 16 cycles_done' /tmp/long && ! grep -q 'cycles_done 50' /tmp/long"
t "... the kernel log says which check stopped it" \
	sh -c "dmesg | grep -q \"$NIC: iommu_bench: its driver changed during the run ('e1000e', now 'vfio-pci')\""
t "... the NIC is there" [ -e $sys ]
t "... left on vfio-pci, where they put it" [ "$(driver $NIC)" = vfio-pci ]
echo 0 > /sys/module/iommu_bench/parameters/cycle_gap_ms
echo > $sys/driver_override
echo $NIC > /sys/bus/pci/drivers/vfio-pci/unbind
echo $NIC > /sys/bus/pci/drivers/e1000e/bind
t "nothing was written by the refusals" sh -c "! ls -d /tmp/r* 2>/dev/null"
rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
