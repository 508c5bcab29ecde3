#!/bin/sh
# Guest test (TAP): devices in use are refused.  The lab has a virtio disk
# at 00:14.0 (ext4 on it, then on device-mapper, then btrfs) and a PCI serial port at 00:13.0 that is the console (ttyS2,
# booted with IB_BOOT_CONSOLE=ttyS2), besides the NIC at 00:10.0.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
extra=/lib/modules-extra
load() { for m in $(cat "$extra/$1.order"); do insmod "$extra/$m" 2>/dev/null; done; }

insmod /lib/iommu_bench.ko
load virtio_blk
load crc32c_generic
load ext4
t "the virtio disk appears" [ -b /dev/vda ]
mke2fs -q /dev/vda && mkdir -p /mnt && mount -t ext4 /dev/vda /mnt
t "a file system is mounted from it" grep -q '^/dev/vda /mnt' /proc/mounts
run -d 0000:00:14.0 -n 1 -o /tmp/r
t "its controller is refused: it holds a mounted file system" \
	sh -c "[ $rc = 3 ] && grep -q '0000:00:14.0: holds the mounted file system /mnt' /tmp/err"
t "... and is still there" [ -e /sys/bus/pci/devices/0000:00:14.0 ]

# the module's own check: the caller's root is on that disk
cp "$IOMMU_BENCH_DATA/tests/ioctl_abi" /mnt/
mkdir -p /mnt/sys /mnt/proc /mnt/dev
mount -t sysfs sysfs /mnt/sys && mount -t devtmpfs devtmpfs /mnt/dev
chroot /mnt /ioctl_abi --check 0000:00:14.0 > /tmp/check 2>&1
t "from a root on that disk, the module refuses it (EINVAL)" grep -q 'errno 22' /tmp/check
t "... saying why in dmesg" sh -c "dmesg | grep -q 'iommu_bench: 0000:00:14.0: holds the root file system'"
chroot /mnt /ioctl_abi --check 0000:00:10.0 > /tmp/check 2>&1
t "... and accepts another device" grep -q 'errno 0' /tmp/check
umount /mnt/dev /mnt/sys /mnt

# the same disk under device-mapper, as LVM and dm-crypt put it: the
# mount names dm-0, whose slaves/ lead to the controller
load dm-mod
dmsetup --noudevsync create ibdm --table "0 $(cat /sys/block/vda/size) linear /dev/vda 0"
t "a device-mapper device on the disk" [ -b /dev/dm-0 ]
mke2fs -q /dev/dm-0 && mount -t ext4 /dev/dm-0 /mnt
run -d 0000:00:14.0 -n 1 -o /tmp/r
t "ext4 on device-mapper on it: refused, it holds /mnt" \
	sh -c "[ $rc = 3 ] && grep -q '0000:00:14.0: holds the mounted file system /mnt (/dev/dm-0)' /tmp/err"
umount /mnt
dmsetup --noudevsync remove ibdm

# btrfs: its mount has an anonymous major:minor (0:N), only its source
# names the disk
load btrfs
mkfs.btrfs -q -f /dev/vda && mount -t btrfs /dev/vda /mnt
t "btrfs mounted from the disk, with an anonymous device number" \
	sh -c "awk '\$5 == \"/mnt\" && \$3 ~ /^0:/' /proc/self/mountinfo | grep -q ."
run -d 0000:00:14.0 -n 1 -o /tmp/r
t "btrfs on it: refused, it holds /mnt" \
	sh -c "[ $rc = 3 ] && grep -q '0000:00:14.0: holds the mounted file system /mnt (/dev/vda)' /tmp/err"
iommu-bench devices > /tmp/devs 2>&1
sed 's/^/# /' /tmp/devs
t "devices: the disk's controller may not be cycled, it holds /mnt" \
	grep -q '^0000:00:14.0 .* no: holds the mounted file system /mnt (/dev/vda)$' /tmp/devs
umount /mnt
t "... and the disk's controller is still there" [ -e /sys/bus/pci/devices/0000:00:14.0 ]

echo "# active consoles: $(cat /sys/class/tty/console/active)"
t "console ttyS2 is active" grep -qw ttyS2 /sys/class/tty/console/active
run -d 0000:00:13.0 -n 1 -o /tmp/r
t "the console's PCI serial port is refused" sh -c "[ $rc = 3 ] && grep -q '0000:00:13.0: is the device of console ttyS2' /tmp/err"
t "devices: the console's serial port may not be cycled, saying why" \
	sh -c "iommu-bench devices | grep -q '^0000:00:13.0 .* no: is the device of console ttyS2$'"
t "devices: the NIC may" \
	sh -c "iommu-bench devices | grep -qE '^0000:00:10.0 .* yes$'"
t "nothing was written" sh -c "! ls -d /tmp/r* 2>/dev/null"
rmmod iommu_bench
tap_done
