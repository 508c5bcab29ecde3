#!/bin/sh
# The seed's precise A/B (TAP, plan at the end): 6.12 built from source
# with the lab fragment, as released and with the review's series
# (configs/patches/release-domain-review).  Asserts what the series does:
#   remove mode - the release switch is traced only with the series;
#   owned mode  - the redundant release switch happens only without it.
# Then every module mode on the debug build of the same source (lockdep,
# KASAN, DEBUG_ATOMIC_SLEEP): any splat fails.
cd "$(dirname "$0")/../.."
REVIEW=configs/kernels/review.conf
DEBUG=configs/kernels/debug.conf
DEVS=0000:00:10.0,0000:00:11.0
EPS="e1000e@10 e1000e@11 e1000@br.1 e1000@br.2"
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

boot() { # boot NAME SET KERNEL CMDLINE -> $tmp/NAME
	kb=$(prepared "$2" "$3") || return 1
	s=$(date +%s)
	lab/boot.sh "${kb% *}" "${kb#* }" "$tmp/$1" "$EPS" intel-iommu "$4" \
		>/dev/null 2>"$tmp/$1.err" || { boot_failed "$tmp/$1" "$tmp/$1.err"; return 1; }
	echo "# boot $1: $(($(date +%s) - s)) s" >&2
}

for k in src-6.12 src-6.12-review; do
	# one boot, two runs (ib.run=NAME/MODE/CYCLES/DEVS/OWNER/EXTRA)
	x=--batches,all,--no-probe-cost
	t "$k: builds (or comes from the cache) and runs remove and owned cycles" \
		boot "$k" $REVIEW "$k" "ib.label=$k ib.run=remove/remove/3/$DEVS//$x ib.run=owned/owned/3/0000:01:02.0/0000:01:01.0/$x"
	r=$tmp/$k/remove/cycles.csv o=$tmp/$k/owned/cycles.csv
	t "$k: one release per cycle" all_is "$r" releases 1
	t "$k: one release switch" all_is "$r" release_switches 1
	t "$k: ... to the blocked domain" all_is "$r" release_target blocked
	if [ "$k" = src-6.12 ]; then
		t "$k: the release switch is untraced" all_is "$r" release_switches_untraced 1
		t "$k: owned: the release switch is redundant" all_is "$o" release_switches_redundant 1
	else
		t "$k: the release switch is traced" all_is "$r" release_switches_traced 1
		t "$k: ... and only once" all_is "$r" release_switches_untraced 0
		t "$k: owned: the redundant switch is gone" all_is "$o" release_switches 0
		t "$k: owned: one release per cycle still" all_is "$o" releases 1
	fi
	no_splat "$k: no kernel warning" "$tmp/$k/dmesg.txt"
done

t "debug kernel: builds and runs every mode" boot debug $DEBUG src-6.12-debug \
	"ib.script=modes.sh ib.role=after"
guest_tap "$tmp/debug" debug
t "debug kernel: lockdep and KASAN are on" sh -c \
	"grep -q 'KernelAddressSanitizer initialized' $tmp/debug/dmesg.txt && grep -qi 'lock dependency validator' $tmp/debug/dmesg.txt"
tap_done
