#!/bin/sh
# Owned mode against the real thing (TAP, plan at the end): on Debian's
# 6.1 and 6.12, a two-device group whose owner is first the module's own
# driver, then vfio-pci with the group held through VFIO as a user-space
# driver holds it (tests/lab/vfio_hold.c); the release of its mate
# switches the same way under both (tests/lab/guest/vfio-owned.sh).
# With the type1 IOMMU set, the group is on a domain of its own, and on
# 6.12 the release's switch to blocked is then no longer redundant.
cd "$(dirname "$0")/../.."
KSET=configs/kernels/debian.conf
EPS="e1000@br.1 e1000@br.2"
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for k in debian-6.1 debian-6.12; do
	kb=$(lab/prepare-kernel.sh $KSET $k) || { t "$k is prepared" false; continue; }
	t "$k: boots with vfio-pci" sh -c \
		"lab/boot.sh '${kb% *}' '${kb#* }' '$tmp/$k' '$EPS' intel-iommu \
		 'ib.script=vfio-owned.sh ib.modules=vfio-pci,vfio_iommu_type1' \
		 >/dev/null 2>'$tmp/$k.err'" || boot_failed "$tmp/$k" "$tmp/$k.err"
	guest_tap "$tmp/$k" "$k"
	t1=$tmp/$k/vfio-type1/cycles.csv
	[ -f "$t1" ] || { t "$k: the type1 run's cycles.csv" false; continue; }
	case $k in
	debian-6.1)
		t "$k: type1: no release switch (6.1 has no release_domain)" all "$t1" release_switches == 0 ;;
	debian-6.12)
		t "$k: type1: the release switches to blocked" all_is "$t1" release_target blocked
		t "$k: ... from the group's own domain: not redundant" all "$t1" release_switches_redundant == 0 ;;
	esac
done
tap_done
