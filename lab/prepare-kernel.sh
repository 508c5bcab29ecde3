#!/bin/sh
# Make one kernel of a kernel set bootable in the lab: install or build it,
# build iommu_bench.ko against it, and an initramfs holding the module.
# Prints "IMAGE INITRD".
#   lab/prepare-kernel.sh SET NAME
# A section with "image =" is a Debian package (installed by
# lab/kernels.sh install); one with "source =" is built from that source
# package with "fragments =" and "patches =" (lab/build-kernel.sh).  One
# with "arch = arm64" is fetched into the cache, not installed (or, with
# "source =", cross-built), and the module and collector are cross-built
# for it (lab/arm64.sh).
set -eu
cd "$(dirname "$0")/.."
IB=build/iommu-bench
[ $# -eq 2 ] || { echo "usage: prepare-kernel.sh SET NAME" >&2; exit 2; }
set_file=$1 name=$2
mkdir -p build/lab
# make check runs lab tests side by side: one preparation at a time (a
# module build in build/kmod is not safe twice at once)
exec 9>build/lab/.prepare.lock
flock 9
initrd=build/lab/initramfs-$name.cpio.gz
source=$($IB config get "$set_file" "$name" source "")
arch=$($IB config get "$set_file" "$name" arch amd64)
rel=
# how the module is built for this arch (Kbuild's ARCH and CROSS_COMPILE)
case $arch in
amd64) kenv= ;;
arm64) kenv="ARCH=arm64 CROSS_COMPILE=$(lab/arm64.sh cross)" ;;
*) echo "prepare-kernel.sh: $set_file [$name]: arch = $arch, not amd64 or arm64" >&2; exit 2 ;;
esac
if [ -n "$source" ]; then
	fragments=$($IB config get "$set_file" "$name" fragments)
	patches=$($IB config get "$set_file" "$name" patches -)
	# The variants of one source share its tree: hold it, in this
	# kernel's patches, until the module is built against its headers
	cache=${IB_CACHE:-$HOME/.cache/iommu-bench}/kernels
	mkdir -p "$cache"
	exec 8>"$cache/.lock"
	flock 8
	dir=$(IB_KERNEL_LOCKED=1 IB_CHECKOUT=1 lab/build-kernel.sh "$source" "$fragments" "$patches" "$arch")
	image=$dir/bzImage
	[ "$arch" = amd64 ] || image=$dir/Image
	# variants of one config share a build tree and its Module.symvers
	kdir=$(cat "$dir/build") kout=build/kmod/$name
elif [ "$arch" = arm64 ]; then
	k=$(lab/arm64.sh kernel "$($IB config get "$set_file" "$name" image)" \
		"$($IB config get "$set_file" "$name" release)")
	image=${k% *} rel=${k#* }
	kdir=$(lab/arm64.sh headers "$rel") kout=build/kmod/$rel
else
	rel=$(lab/kernels.sh release "$set_file" "$name")
	image=/boot/vmlinuz-$rel
	kdir=/usr/src/linux-headers-$rel kout=build/kmod/$rel
fi
# shellcheck disable=SC2086 # kenv is empty or two words
# the lab's module has the tests' fault injection (kmod/faults.c)
ko=$(env $kenv IOMMU_BENCH_FAULTS=1 lab/build-kmod.sh "$kdir" "$kout")
if [ "$arch" = arm64 ]; then
	lab/arm64.sh collector >/dev/null
	initrd=build/lab/initramfs-arm64-$name.cpio.gz
	lab/initramfs.sh --arm64 "$ko" "$initrd"
else
	# with a packaged kernel's release, its modules the guests load
	lab/initramfs.sh "$ko" "$initrd" ${rel:+"$rel"}
fi
echo "$image $initrd"
