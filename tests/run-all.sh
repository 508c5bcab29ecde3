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
exec prove --timer --exec '' build/tests/unit/test_* tests/cli/*.t tests/kmod/*.t \
	tests/fuzz/*.t tests/lab/*.t
