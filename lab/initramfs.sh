#!/bin/sh
# Build the lab guest's initramfs: busybox, the iommu-bench collector and
# its shared libraries, the probe packs, and one kernel's iommu_bench.ko.
#   lab/initramfs.sh [--arm64] MODULE.ko OUT.cpio.gz [RELEASE]
# With RELEASE, the kernel modules of lab/guest-modules.txt are staged in
# /lib/modules-extra/ with a load-order file per module (NAME.order).
# --arm64: for the SMMUv3 lab, from lab/arm64.sh's cross-built collector
# and the arm64 packages it fetched; no tools for the x86-only guests.
set -eu
cd "$(dirname "$0")/.."
arch=amd64
[ "${1:-}" != --arm64 ] || { arch=arm64; shift; }
[ $# -ge 2 ] || { echo "usage: initramfs.sh [--arm64] MODULE.ko OUT.cpio.gz [RELEASE]" >&2; exit 2; }
ko=$1 out=$2 rel=${3:-}
bin=build/iommu-bench
[ $arch = amd64 ] || { bin=build/arm64/iommu-bench sr=$(lab/arm64.sh sysroot); }
[ -x "$bin" ] || { echo "initramfs.sh: $bin not built" >&2; exit 1; }
[ -f "$ko" ] || { echo "initramfs.sh: no module $ko" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib" "$stage/proc" "$stage/sys" "$stage/dev" \
	"$stage/usr/share/iommu-bench/configs" "$stage/tmp"
# the applets of Debian's busybox-static, the same version on both
for a in $(/bin/busybox --list); do
	[ "$a" = busybox ] || ln -sf busybox "$stage/bin/$a"
done
cp "$bin" "$stage/bin/iommu-bench"
if [ $arch = arm64 ]; then
	cp "$sr/bin/busybox" "$sr/usr/bin/trace-cmd" "$stage/bin/"
	# the loader and every shared library fetched: a few MB
	mkdir -p "$stage/lib/aarch64-linux-gnu"
	cp -a "$sr/lib/ld-linux-aarch64.so.1" "$stage/lib/"
	cp -a "$sr"/lib/aarch64-linux-gnu/*.so* "$sr"/usr/lib/aarch64-linux-gnu/*.so.* \
		"$stage/lib/aarch64-linux-gnu/"
else
	cp /bin/busybox "$stage/bin/"
	# trace-cmd joins each run's ring-buffer pages into a trace.dat; the
	# in-use guest builds device-mapper, md and btrfs on a disk;
	# host-ab's kexecs from kernel to kernel
	tools=$bin
	for t in trace-cmd dmsetup mdadm mkfs.btrfs kexec; do
		p=$(command -v "$t") || { echo "initramfs.sh: $t not installed (lab/deps.sh)" >&2; exit 1; }
		cp "$p" "$stage/bin/$t"
		tools="$tools $p"
	done
	# their shared libraries, at the paths the loader looks for them
	for t in $tools; do ldd "$t"; done | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u |
	while read -r lib; do
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
fi
cp -r configs/probes "$stage/usr/share/iommu-bench/configs/"
cp -r tests/lab/guest "$stage/usr/share/iommu-bench/tests"
[ $arch = arm64 ] || cp build/tests/lab/ioctl_abi build/tests/lab/ioctl_abi32 \
	build/tests/lab/vfio_hold "$stage/usr/share/iommu-bench/tests/"
cp "$ko" "$stage/lib/iommu_bench.ko"
cp lab/guest-init "$stage/init"
if [ -n "$rel" ]; then
	mods=/lib/modules/$rel
	mkdir -p "$stage/lib/modules-extra"
	for m in $(sed 's/#.*//' lab/guest-modules.txt); do
		# modules.dep: "kernel/fs/ext4/ext4.ko.xz: dep1.ko.xz dep2.ko.xz"
		line=$(grep -E "/$m\.ko(\.xz)?:" "$mods/modules.dep") || continue
		path=${line%%:*}
		order=$stage/lib/modules-extra/$m.order
		: > "$order"
		# dependencies first, the deepest last in the list loads first
		for f in $(echo "${line#*:}" | tr ' ' '\n' | tac) "$path"; do
			base=$(basename "$f" .xz)
			[ -f "$stage/lib/modules-extra/$base" ] ||
				xz -dc "$mods/$f" > "$stage/lib/modules-extra/$base" 2>/dev/null ||
				cp "$mods/$f" "$stage/lib/modules-extra/$base"
			echo "$base" >> "$order"
		done
	done
fi
chmod +x "$stage/init"
tmp=$out.tmp
(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 > "$tmp"
mv "$tmp" "$out"
