#!/bin/sh
# Build what the lab needs to boot one installed kernel: iommu_bench.ko
# against its headers and an initramfs holding it.  Prints the initramfs.
#   lab/prepare-kernel.sh RELEASE
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: prepare-kernel.sh RELEASE" >&2; exit 2; }
rel=$1
[ -f "/boot/vmlinuz-$rel" ] || { echo "prepare-kernel.sh: kernel $rel is not installed" >&2; exit 1; }
ko=$(lab/build-kmod.sh "/usr/src/linux-headers-$rel" "build/kmod/$rel")
mkdir -p build/lab
initrd=build/lab/initramfs-$rel.cpio.gz
lab/initramfs.sh "$ko" "$initrd" "$rel"
echo "$initrd"
