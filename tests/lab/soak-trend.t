#!/bin/sh
# lab/soak-trend.pl, the drift test of make soak, on made-up soaks: a
# steady one and a warm-up pass, a latency that climbs run after run
# fails (what a leak or a growing list looks like).
cd "$(dirname "$0")/../.."
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '1 100 9 0\n2 103 9 0\n3 98 9 0\n4 101 9 0\n5 99 9 0\n6 102 9 0\n7 100 9 0\n8 101 9 0\n9 99 9 0\n10 100 9 0\n' > "$tmp/steady.medians"
printf '1 140 9 0\n2 120 9 0\n3 101 9 0\n4 100 9 0\n5 99 9 0\n6 101 9 0\n7 100 9 0\n8 102 9 0\n9 100 9 0\n10 101 9 0\n' > "$tmp/warm.medians"
printf '1 100 9 0\n2 104 9 0\n3 103 9 0\n4 109 9 0\n5 112 9 0\n6 111 9 0\n7 118 9 0\n8 121 9 0\n9 125 9 0\n10 130 9 0\n' > "$tmp/climb.medians"
printf '1 0 500 0\n2 0 510 0\n3 0 530 0\n4 0 560 0\n5 0 600 0\n6 0 640 0\n' > "$tmp/unbind.medians"
t "a steady soak passes" sh -c "perl lab/soak-trend.pl $tmp/steady.medians >/dev/null"
t "a warm-up is no drift" sh -c "perl lab/soak-trend.pl $tmp/warm.medians >/dev/null"
t "a latency climbing 30 % over the soak fails" sh -c "! perl lab/soak-trend.pl $tmp/climb.medians >/dev/null"
t "... and is named" sh -c "perl lab/soak-trend.pl $tmp/climb.medians | grep -q 'not ok 1 - climb: release latency .*drifts up'"
t "a mode that releases nothing is judged on its cycle time" sh -c \
	"perl lab/soak-trend.pl $tmp/unbind.medians | grep -q 'not ok 1 - unbind: cycle time'"
printf '1 100 9 0 52000 40\n2 101 9 0 52010 40\n3 99 9 0 51990 40\n4 100 9 0 52005 40\n5 100 9 0 52000 40\n6 101 9 0 52012 40\n' > "$tmp/flat.medians"
printf '1 100 9 0 52000 40\n2 101 9 0 52400 40\n3 99 9 0 52900 40\n4 100 9 0 53300 40\n5 100 9 0 53800 40\n6 101 9 0 54300 40\n' > "$tmp/leak.medians"
t "a flat slab and module memory pass" sh -c \
	"perl lab/soak-trend.pl $tmp/flat.medians | grep -q 'ok 2 - flat: unreclaimable slab' && perl lab/soak-trend.pl $tmp/flat.medians >/dev/null"
t "a slab growing 4 % over the soak fails, named" sh -c \
	"! perl lab/soak-trend.pl $tmp/leak.medians >/dev/null && perl lab/soak-trend.pl $tmp/leak.medians | grep -q 'not ok 2 - leak: unreclaimable slab .*drifts up'"
tap_done
