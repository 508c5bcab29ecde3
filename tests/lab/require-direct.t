#!/bin/sh
# The review's third point, measured (TAP, plan at the end): a device
# whose firmware asks for direct mappings (dev->iommu->require_direct) is
# released to the blocked domain by stock 6.12, against that request,
# and to identity with the series' third patch.  QEMU has no RMRR: both
# kernels carry the lab-only patch of configs/patches/lab-only-require-direct,
# which gives the device named on the command line a direct region
# (configs/kernels/require-direct.conf); they differ by the series only.
cd "$(dirname "$0")/../.."
SET=configs/kernels/require-direct.conf
EPS="e1000e@10 e1000e@11"
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for k in src-6.12-rmrr:after src-6.12-review-rmrr:patched; do
	name=${k%:*} role=${k#*:}
	kb=$(lab/prepare-kernel.sh $SET "$name") || { t "$name is built" false; continue; }
	t "$name: boots with 00:10.0 given a direct region" sh -c \
		"lab/boot.sh '${kb% *}' '${kb#* }' '$tmp/$name' '$EPS' intel-iommu \
		 'ib.script=require-direct.sh ib.role=$role iommu_bench_rmrr=0000:00:10.0' \
		 >/dev/null 2>'$tmp/$name.err'" || boot_failed "$tmp/$name" "$tmp/$name.err"
	guest_tap "$tmp/$name" "$name"
done
tap_done
