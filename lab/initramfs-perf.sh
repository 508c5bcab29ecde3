#!/bin/sh
# A second initramfs archive holding Debian's perf (linux-perf, 6.1) and
# its shared libraries, for the x86 guests that cross-check the collector
# with perf (tests/lab/perf.t).  The kernel unpacks archives joined end
# to end in turn, so a test boots "cat LAB.cpio.gz perf.cpio.gz"; every
# other boot stays without perf's 10 MB.
#   lab/initramfs-perf.sh OUT.cpio.gz
set -eu
cd "$(dirname "$0")/.."
[ $# = 1 ] || { echo "usage: initramfs-perf.sh OUT.cpio.gz" >&2; exit 2; }
out=$1
p=$(command -v perf) || { echo "initramfs-perf.sh: perf not installed (lab/deps.sh: linux-perf)" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin"
cp "$p" "$stage/bin/perf"
ldd "$p" | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u |
while read -r lib; do
	mkdir -p "$stage$(dirname "$lib")"
	cp -L "$lib" "$stage$lib"
done
(cd "$stage" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
