#!/bin/sh
# Guest test (TAP), on a source-built 6.12 with the lab-only patch that
# gives the device named by iommu_bench_rmrr= a direct-mapped region, as
# a firmware RMRR would (dev->iommu->require_direct); ib.role= says which
# kernel: after (stock 6.12) or patched (with the review's series).
# Where does the release of such a device go?  Stock 6.12: to the
# blocked domain, against the firmware's request; with the series' third
# patch: to identity.  A device without the region goes to blocked on
# both.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
DEV=0000:00:10.0 CTRL=0000:00:11.0
role=$(sed -n 's/.*ib\.role=\([a-z]*\).*/\1/p' /proc/cmdline)
regions() { cat "/sys/bus/pci/devices/$1/iommu_group/reserved_regions"; }
# target CSV DEV: the release targets of DEV's cycles, one word each
target() { awk -F, -v d="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$c["device"] == d { print $c["release_target"] }' "$1" | sort -u | tr '\n' ' '; }

regions $DEV | sed "s/^/# $DEV: /"
regions $CTRL | sed "s/^/# $CTRL: /"
t "$DEV has the lab's direct-mapped region: require_direct" \
	sh -c "regions() { cat /sys/bus/pci/devices/\$1/iommu_group/reserved_regions; }; regions $DEV | grep -qx '0x0000000000100000 0x000000000010ffff direct'"
t "$CTRL has no direct region" sh -c "! grep -q ' direct$' /sys/bus/pci/devices/$CTRL/iommu_group/reserved_regions"
t "insmod iommu_bench.ko" insmod /lib/iommu_bench.ko
run_counts -d $DEV,$CTRL -n 3 -o /out/run
t "a run on both exits 0" [ "$rc" = 0 ]
t "no warning of a probe its pack does not expect on this kernel" sh -c "! grep -q 'warning: probe' /tmp/err"
csv=/out/run/cycles.csv
echo "# release targets: $DEV $(target $csv $DEV); $CTRL $(target $csv $CTRL)"
t "each release switches its device once" all $csv release_switches == 1
case $role in
after)
	t "stock 6.12: $DEV is released to blocked, against the firmware's request" \
		[ "$(target $csv $DEV)" = "blocked " ]
	;;
patched)
	t "with the series: $DEV is released to identity, its direct mapping kept" \
		[ "$(target $csv $DEV)" = "identity " ]
	;;
*)
	t "ib.role= says after or patched (got '$role')" false
	;;
esac
t "$CTRL is released to blocked" [ "$(target $csv $CTRL)" = "blocked " ]
t "$DEV comes back with its direct region" \
	sh -c "grep -qx '0x0000000000100000 0x000000000010ffff direct' /sys/bus/pci/devices/$DEV/iommu_group/reserved_regions"
t "rmmod iommu_bench" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
