#!/bin/sh
# iommu-bench steps on the committed example of make run, its kernels
# taken as a series (6.1, 6.12, 6.12 from source, with the review's
# series): each step says only what moved from the one before, under
# its own row, in 72 columns; bad input is refused by name.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
EX=${IB_EXAMPLE:-results/examples/make-run}
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

$IB steps -r "$EX" -s "Debian 6.1" -s "Debian 6.12" -s "6.12 from source" \
	-s "the review's series" -o "$tmp/steps.txt" \
	debian-6.1 debian-6.12 src-6.12 src-6.12-review > "$tmp/out" 2> "$tmp/err"
t "steps of four kernels: exit 0" [ $? = 0 ]
sed 's/^/# /' "$tmp/out"
t "-o FILE holds what was printed" cmp -s "$tmp/out" "$tmp/steps.txt"
t "every line fits 72 columns" sh -c "! awk 'length > 72' '$tmp/out' | grep -q ."
t "one row per step, named by its subject, numbered of the series" sh -c \
	"grep -q '^base  Debian 6.1$' $tmp/out && grep -q '^1/3   Debian 6.12$' $tmp/out &&
	 grep -q '^2/3   6.12 from source$' $tmp/out && grep -q '^3/3   the review.s series$' $tmp/out"
t "6.1 -> 6.12: the release switch appears, untraced" sh -c \
	"awk '/^1\\/3 /{on=1;next} /^2\\/3 /{on=0} on' $tmp/out | grep -qx '      default: untraced switches/release 0 -> 1'"
t "6.12 Debian -> from source: nothing counted moved" sh -c \
	"[ \"\$(awk '/^2\\/3 /{on=1;next} /^3\\/3 /{on=0} on' $tmp/out | grep -v latency)\" = '      no count and no release target changed' ]"
t "the series: traced 0 -> 1, the redundant switch 1 -> 0" sh -c \
	"awk '/^3\\/3 /{on=1;next} /^$/{on=0} on' $tmp/out > $tmp/s3 &&
	 grep -qx '      default: traced switches/release 0 -> 1' $tmp/s3 &&
	 grep -qx '      owned: redundant switches/release 1 -> 0' $tmp/s3"
t "a latency line per step on TCG time" sh -c "[ \$(grep -c 'latency (TCG time)\\|: release [+-]' $tmp/out) -ge 3 ]"

$IB steps -r "$EX" debian-6.1 > /dev/null 2> "$tmp/err"
t "one step: exit 2, 2 to 8 steps" sh -c "[ $? = 2 ] && grep -q '2 to 8 steps' $tmp/err"
$IB steps -r "$EX" debian-6.1 nosuch > /dev/null 2> "$tmp/err"
t "a step no experiment holds: exit 1, named" sh -c "[ $? = 1 ] && grep -q 'no result of step nosuch' $tmp/err"
$IB steps -r "$EX" -s one debian-6.1 debian-6.12 > /dev/null 2> "$tmp/err"
t "subjects not one per step: exit 2" sh -c "[ $? = 2 ] && grep -q '1 subjects for 2 steps' $tmp/err"
$IB steps -r "$EX" -n 1 debian-6.1 debian-6.12 src-6.12 > /dev/null 2> "$tmp/err"
t "--patches fewer than the steps: exit 2" sh -c "[ $? = 2 ] && grep -q 'patches 1: 2 steps' $tmp/err"
$IB steps -r "$EX" -r "$EX" debian-6.1 debian-6.12 > /dev/null 2> "$tmp/err"
t "two runs on one clock: exit 1, said" sh -c "[ $? = 1 ] && grep -q 'are on one clock' $tmp/err"
$IB steps -r "$tmp/none" debian-6.1 debian-6.12 > /dev/null 2> "$tmp/err"
t "a missing run directory: exit 1, named" sh -c "[ $? = 1 ] && grep -q '$tmp/none: No such file' $tmp/err"
$IB steps -r "$EX" -o "$tmp/no/such/dir/f" debian-6.1 debian-6.12 > /dev/null 2> "$tmp/err"
t "an unwritable -o: exit 1, named" sh -c "[ $? = 1 ] && grep -q 'cannot write $tmp/no/such/dir/f' $tmp/err"
tap_done
