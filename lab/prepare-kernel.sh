#!/bin/sh
# Make one kernel of a kernel set bootable in the lab: install or build it,
# build iommu_bench.ko against it, and an initramfs holding the module.
# Prints "IMAGE INITRD".
#   lab/prepare-kernel.sh SET NAME
# A section with "image =" is a Debian package (installed by
# lab/kernels.sh install); one with "source =" is built from that source
# package with "fragments =" and "patches =" (lab/build-kernel.sh).
set -eu
cd "$(dirname "$0")/.."
IB=build/iommu-bench
[ $# -eq 2 ] || { echo "usage: prepare-kernel.sh SET NAME" >&2; exit 2; }
set_file=$1 name=$2
mkdir -p build/lab
initrd=build/lab/initramfs-$name.cpio.gz
source=$($IB config get "$set_file" "$name" source "")
if [ -n "$source" ]; then
	fragments=$($IB config get "$set_file" "$name" fragments)
	patches=$($IB config get "$set_file" "$name" patches -)
	dir=$(lab/build-kernel.sh "$source" "$fragments" "$patches")
	image=$dir/bzImage
	# variants of one config share a build tree and its Module.symvers
	ko=$(lab/build-kmod.sh "$(cat "$dir/build")" "build/kmod/$name")
	lab/initramfs.sh "$ko" "$initrd"
else
	rel=$(lab/kernels.sh release "$set_file" "$name")
	image=/boot/vmlinuz-$rel
	ko=$(lab/build-kmod.sh "/usr/src/linux-headers-$rel" "build/kmod/$rel")
	lab/initramfs.sh "$ko" "$initrd" "$rel"
fi
echo "$image $initrd"
