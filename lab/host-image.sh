#!/bin/sh
# A disk-booted lab host: a Debian 12 root file system built from Debian's
# packages (mmdebstrap, this machine's apt sources), with systemd, the lab
# kernels of configs/kernels/debian.conf and their headers, and the
# iommu-bench packages installed by apt as a user installs them (DKMS
# builds the module for both kernels).  Cached by the hash of what goes in.
#   lab/host-image.sh        print "DIR": DIR/root.img (a disk: its first
#                            partition the root, ext4, its second an EFI
#                            system partition, empty), DIR/vmlinuz-REL
#                            and DIR/initrd.img-REL of each
# GRUB (for BIOS and UEFI) is installed but not set up: a test boots the
# kernel first, and that boot sets GRUB up (grub-install, update-grub) as
# an installer would (lab/host/lab-host.sh).
set -eu
cd "$(dirname "$0")/.."
IB=build/iommu-bench
KSET=configs/kernels/debian.conf
die() { echo "host-image.sh: $*" >&2; exit 1; }

lab/kernels.sh install $KSET >&2
rels=
for k in $(lab/kernels.sh names $KSET); do
	rels="$rels $(lab/kernels.sh release $KSET "$k")"
done
# the packages of this tree, built once per tree content
# the packages' inputs only (debian/rules builds from these): a change
# to a test or a document builds no new image
src=$(git ls-files -z -- Makefile debian bench analysis kmod configs |
	xargs -0 sha256sum | sha256sum | cut -c1-16)
pkgs=${XDG_CACHE_HOME:-$HOME/.cache}/iommu-bench/debs/$src
if [ ! -d "$pkgs" ]; then
	t=$(mktemp -d)
	git ls-files | cpio -pdm "$t/src" 2>/dev/null
	(cd "$t/src" && dpkg-buildpackage -b -us -uc > "$t/build.log" 2>&1) ||
		{ tail -n 20 "$t/build.log" >&2; rm -rf "$t"; die "dpkg-buildpackage failed"; }
	mkdir -p "$pkgs.tmp" && mv "$t"/*.deb "$pkgs.tmp/" && mv "$pkgs.tmp" "$pkgs"
	rm -rf "$t"
fi
# every kernel with its headers (DKMS), and what a lab host runs
# wget and DHCP (systemd-networkd) on the virtio NIC alone, never on a
# device under test: a LAVA job's test shell comes over the network
# (tests/host/lava-host.t)
include=systemd-sysv,udev,kmod,kexec-tools,e2fsprogs,initramfs-tools,dkms,gcc,make,trace-cmd,wget,grub-pc,grub-efi-amd64-bin,dosfstools
for r in $rels; do
	# the very package the lab installed (signed or unsigned)
	img=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "linux-image-$r*" |
		awk '$1 == "ii" { print $2; exit }')
	[ -n "$img" ] || die "no installed package holds kernel $r"
	include="$include,$img"
	include="$include,linux-headers-$r"
done
key=$(printf '%s\n' "$include" "$(cat "$pkgs"/*.deb "$0" lab/host/* | sha256sum)" |
	sha256sum | cut -c1-16)
out=${XDG_CACHE_HOME:-$HOME/.cache}/iommu-bench/host/$key
if [ -f "$out/root.img" ]; then
	echo "$out"
	exit 0
fi
command -v mmdebstrap > /dev/null || die "mmdebstrap not installed (lab/deps.sh)"
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
root=$out.tmp/root
echo "host-image.sh: building the lab host's root file system (mmdebstrap)" >&2
# the debs go in as a user's would: apt install ./FILE.deb
# kexec-tools: kexec stays a tool, not the way the host reboots
mmdebstrap --variant=minbase --include="$include" \
	--essential-hook='echo "kexec-tools kexec-tools/load_kexec boolean false" | chroot "$1" debconf-set-selections' \
	--customize-hook="mkdir -p \"\$1/tmp/debs\" && cp $pkgs/*.deb \"\$1/tmp/debs/\"" \
	--customize-hook='chroot "$1" sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y ./tmp/debs/iommu-bench_*.deb ./tmp/debs/iommu-bench-dkms_*.deb && rm -r /tmp/debs"' \
	--customize-hook='echo lab-host > "$1/etc/hostname"; printf "/dev/vda1 / ext4 defaults 0 1\n" > "$1/etc/fstab"; chroot "$1" passwd -d root' \
	--customize-hook="mkdir -p \"\$1/etc/default/grub.d\" && cp $PWD/lab/host/grub-defaults.cfg \"\$1/etc/default/grub.d/lab-host.cfg\"" \
	--customize-hook='printf "[Match]\nDriver=virtio_net\n[Network]\nDHCP=yes\n" > "$1/etc/systemd/network/80-lab.network"; chroot "$1" systemctl enable systemd-networkd' \
	bookworm "$root" - < /etc/apt/sources.list.d/debian.sources >&2 ||
	die "mmdebstrap failed"
for r in $rels; do
	[ -n "$(find "$root/lib/modules/$r" -name 'iommu_bench.ko*' | head -n 1)" ] ||
		die "DKMS built no iommu_bench for $r in the image"
	cp "$root/boot/vmlinuz-$r" "$root/boot/initrd.img-$r" "$out.tmp/"
done
# the lab host's own test hooks (lab/host/), not part of the package
cp lab/host/*.service "$root/etc/systemd/system/"
cp lab/host/lab-host.sh "$root/usr/local/sbin/"
for u in lab/host/*.service; do
	ln -sf "/etc/systemd/system/$(basename "$u")" \
		"$root/etc/systemd/system/multi-user.target.wants/$(basename "$u")"
done
# what the first boot starts: 2 boots of each kernel, one NIC removed and
# rescanned (tests/host/disk-host.t runs the same in the initramfs lab)
mkdir -p "$root/var/lib/lab-host"
set -- $rels
printf 'A=%s\nB=%s\n' "$1" "$2" > "$root/var/lib/lab-host/start.env"
printf '[experiment]\nmode = remove\ncycles = 2\nrounds = 2\ndevices = 0000:00:10.0\nbatches = all release\nchunks = 1\n' \
	> "$root/var/lib/lab-host/exp.conf"
mkfs.ext4 -q -F -L lab-host -d "$root" "$out.tmp/root.fs" 4G >&2
rm -rf "$root"
# a disk as a server's: an MBR, the root its first partition from 1 MiB
# (BIOS GRUB's core image goes in the gap before it), then 64 MiB for
# an EFI system partition (UEFI GRUB)
truncate -s $((1 + 4096 + 64))M "$out.tmp/root.img"
printf 'start=2048, size=4GiB, type=83, bootable\ntype=ef\n' | sfdisk -q "$out.tmp/root.img" >&2
dd if="$out.tmp/root.fs" of="$out.tmp/root.img" bs=1M seek=1 conv=notrunc,sparse status=none
rm "$out.tmp/root.fs"
mv "$out.tmp" "$out"
# an image is a few GB: the older ones (of older trees) go
for o in "${out%/*}"/*; do
	[ "$o" = "$out" ] || rm -rf "$o"
done
for o in "${pkgs%/*}"/*; do
	[ "$o" = "$pkgs" ] || rm -rf "$o"
done
echo "$out"
