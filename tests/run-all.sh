#!/bin/sh
# Every test of iommu-bench, through one TAP harness (prove):
#   unit tests (C, no kernel), the CLI on the host (import of the
#   recorded traces among it), checkpatch of kmod/ and the probe packs
#   against the kernel sources, a short deterministic run of each fuzz
#   target, and the end-to-end lab tests (QEMU: Debian kernels, and 6.12 from
#   source with and without the review's series, and its debug build).
# make check builds and installs what these need first.
set -eu
cd "$(dirname "$0")/.."
lab/kernels.sh install configs/kernels/debian.conf
# a guest that hangs fails its test in minutes, not ten
IB_BOOT_TIMEOUT=${IB_BOOT_TIMEOUT:-300}
export IB_BOOT_TIMEOUT
# Two (or IB_CHECK_JOBS) at a time: a guest's TCG takes one core, and
# the lab's tests take turns preparing kernels (lab/prepare-kernel.sh).
# The longest first, so that none starts last; the rest in tree order.
jobs=${IB_CHECK_JOBS:-$(nproc)}
[ "$jobs" -le 4 ] || jobs=4
first="tests/lab/debian-kernels.t tests/lab/host-ab.t tests/lab/make-run.t tests/lab/ab-series.t
	tests/lab/review-kernels.t tests/lab/arm64-run.t tests/lab/packs-on-kernels.t tests/fuzz/fuzz.t"
rest=$(ls build/tests/unit/test_* tests/cli/*.t tests/kmod/*.t tests/fuzz/*.t tests/lab/*.t |
	grep -vxF "$(echo $first | tr ' ' '\n')")
# prove stops at a test it cannot execute: say so before the hour, not after
for f in $first $rest; do
	[ -x "$f" ] || { echo "run-all.sh: $f is not executable (chmod +x)" >&2; exit 1; }
done
# shellcheck disable=SC2086 # lists of paths without blanks
exec prove --timer -j "$jobs" --exec '' $first $rest
