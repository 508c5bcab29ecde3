#!/bin/sh
# Build kmod/ against one kernel build tree, in a copy (OUTDIR) so that
# the source tree stays clean.  Prints the path of iommu_bench.ko.
#   [IOMMU_BENCH_FAULTS=1] lab/build-kmod.sh KDIR OUTDIR
# IOMMU_BENCH_FAULTS=1 adds the tests' fault injection (kmod/faults.c).
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: build-kmod.sh KDIR OUTDIR" >&2; exit 2; }
kdir=$1
[ -f "$kdir/Makefile" ] || { echo "build-kmod.sh: $kdir is not a kernel build tree (headers not installed?)" >&2; exit 1; }
out=$2
mkdir -p "$out/uapi"
# copy only what changed, so make sees an up-to-date module as such
for f in kmod/*.c kmod/*.h kmod/Kbuild kmod/uapi/*.h; do
	dst=$out/${f#kmod/}
	cmp -s "$f" "$dst" 2>/dev/null || cp "$f" "$dst"
done
make -s -C "$kdir" M="$(cd "$out" && pwd)" W=1 IOMMU_BENCH_FAULTS="${IOMMU_BENCH_FAULTS:-0}" modules >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; exit 1; }
if grep -q 'warning:' "$out/build.log"; then
	cat "$out/build.log" >&2
	echo "build-kmod.sh: the module must build without warnings" >&2
	exit 1
fi
echo "$out/iommu_bench.ko"
