# What the disk-booted lab host's tests share (sourced after tests/tap.sh):
# A and B, the lab kernels' releases; img, the host image's directory
# (lab/host-image.sh), its disk copied to $tmp/root.img for this test;
# host_boot NAME KERNEL INITRD CMDLINE boots it into $tmp/NAME (KERNEL
# "disk": by its firmware, $FW: bios or uefi, and its boot loader).
KSET=configs/kernels/debian.conf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -z "${IB_KEEP:-}" ] || trap 'echo "# kept: $tmp" >&2' EXIT

A=$(lab/kernels.sh release $KSET debian-6.1)
B=$(lab/kernels.sh release $KSET debian-6.12)
img=$(lab/host-image.sh) || { t "the lab host's image is built" false; tap_done; exit; }
cp --sparse=always "$img/root.img" "$tmp/root.img"

# The columns a host's boots may not count alike: the rescan phase's
# hardware work (the driver's probe).  On the GRUB host, 6.12's rescan
# counted 4 invalidations in one cycle of one boot and 3 in every other
# (6.1: 4 in all); which of the probe's interrupt-remapping updates fall
# inside the phase is not pinned down.  Switches, and the release's and
# the remove phase's hardware work, are compared exactly.
PROBE_WORK='^phase2_(inval|ctx)$'

host_boot() {
	IB_BOOT_FIRMWARE=${FW:-bios} IB_BOOT_DISK=$tmp/root.img IB_BOOT_TIMEOUT=${IB_HOST_TIMEOUT:-3600} lab/boot.sh \
		"$2" "$3" "$tmp/$1" e1000e@10 intel-iommu "$4" > "$tmp/$1.log" 2> "$tmp/$1.err"
}
