#!/bin/sh
# Build the lab guest's initramfs: busybox, the iommu-bench collector and
# its shared libraries, the probe packs, and one kernel's iommu_bench.ko.
#   lab/initramfs.sh MODULE.ko OUT.cpio.gz
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: initramfs.sh MODULE.ko OUT.cpio.gz" >&2; exit 2; }
ko=$1 out=$2
bin=build/iommu-bench
[ -x "$bin" ] || { echo "initramfs.sh: $bin not built" >&2; exit 1; }
[ -f "$ko" ] || { echo "initramfs.sh: no module $ko" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib" "$stage/proc" "$stage/sys" "$stage/dev" \
	"$stage/usr/share/iommu-bench/configs" "$stage/tmp"
cp /bin/busybox "$stage/bin/"
for a in $("$stage/bin/busybox" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$stage/bin/$a"
done
cp "$bin" "$stage/bin/iommu-bench"
# the collector's shared libraries, at the paths the loader looks for them
ldd "$bin" | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | while read -r lib; do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
cp -r configs/probes "$stage/usr/share/iommu-bench/configs/"
cp -r tests/lab/guest "$stage/usr/share/iommu-bench/tests"
cp build/tests/lab/ioctl_abi "$stage/usr/share/iommu-bench/tests/"
cp "$ko" "$stage/lib/iommu_bench.ko"
cp lab/guest-init "$stage/init"
chmod +x "$stage/init"
tmp=$out.tmp
(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 > "$tmp"
mv "$tmp" "$out"
