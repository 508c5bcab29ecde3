#!/bin/sh
# Guest test (TAP): every probe pack against the kernel it boots.  The
# packs' "arms_on" say which probes must find their function on this
# version (probe-check: none MISSING); and each probe that finds one,
# of every pack whose driver is built in or loaded, the kernel accepts
# as a kprobe, with its fetches.  Also saves the kernel's text symbols
# for the host (/out/kallsyms.gz), to check packs against without a boot.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
kp=/sys/kernel/tracing/kprobe_events
sh "$IOMMU_BENCH_DATA/tests/kallsyms.sh"
uname -r > /out/release

iommu-bench probe-check > /tmp/check 2>&1
rc=$?
sed 's/^/# /' /tmp/check
t "probe-check: every probe the packs expect on $(uname -r) has its function" [ $rc = 0 ]
t "probe-check: a probe it finds is listed by name" grep -q '^core.conf  *release  *iommu_bus_notifier$' /tmp/check

# arm KIND DRIVER: each line 'probes' prints is accepted by kprobe_events
arm() {
	iommu-bench probes -b "$1" -D "$2" > /tmp/lines 2>/tmp/err
	t "probes -b $1 -D $2: printed" [ $? = 0 ]
	sed 's/^/# /' /tmp/err
	while read -r line; do
		case $line in
		'#'*) continue ;;
		esac
		ev=${line%% *}
		ev=${ev#*:}
		t "$2: kernel accepts ${line%% *} ${line#* }" sh -c "echo '$line' >> $kp"
		echo "-:$ev" >> $kp 2>/dev/null
	done < /tmp/lines
}
for pack in $(sed -n 's/^\(.*\)\.conf .*driver not in this kernel.*//; s/^\([a-z0-9-]*\)\.conf .*/\1/p' /tmp/check | sort -u); do
	[ "$pack" = core ] && continue
	arm all "$pack"
done
arm core intel
tap_done
