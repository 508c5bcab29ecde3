#!/bin/sh
# Guest test (TAP): --until-ci stops when both sides of the median's CI
# are within the target, or at its cap having looked at all the data,
# and says in meta.json what it reached, at what level and for whom.
# Both it and --chunks drain the trace between looks or chunks.
. "$(dirname "$0")/tap.sh"
DEVS=0000:00:10.0,0000:00:11.0
# uc META: the until_ci object of a meta.json, on one line
uc() { tr -d '\n ' < "$1" | sed -n 's/.*"until_ci":{\([^}]*\)}.*/\1/p' > /tmp/uc; }

t "insmod" insmod /lib/iommu_bench.ko
# a loose target is reached soon after the minimum
iommu-bench run -d $DEVS -n 5 --batches all,release --no-probe-cost --no-trace-dat --until-ci 50 -o /tmp/a 2>/tmp/err
sed 's/^/# /' /tmp/err
uc /tmp/a/meta.json
m=/tmp/uc
t "a 50% target is reached and recorded" sh -c \
	"grep -q '\"stopped_by\":\"ci\"' $m && grep -q '\"reached\":true' $m"
rows=$(($(wc -l < /tmp/a/cycles.csv) - 1))
t "at least the 5 minimum cycles x 2 devices x 2 batches ($rows rows)" [ "$rows" -ge 20 ]
t "both sides of the CI within the target" awk -F'"reach_pct":' \
	'NF > 1 { split($2, a, ","); exit !(a[1] + 0 <= 50) }' $m
t "the level accounts for every possible look (Bonferroni)" sh -c \
	"grep -q '\"max_looks\":' $m && grep -q 'Bonferroni' $m"
t "meta.json says the CI covers one boot" grep -q 'this boot only' /tmp/a/meta.json
t "the terminal says it too" grep -q 'of this boot only' /tmp/err
# an impossible target stops at the cycle cap, exactly, after a last look
run -d 0000:00:10.0 -n 2 --batches all,release --no-probe-cost --no-trace-dat --until-ci 0.001 --max-cycles 8 -o /tmp/b
uc /tmp/b/meta.json
m=/tmp/uc
t "an unreachable target stops at --max-cycles" sh -c \
	"[ $rc = 0 ] && grep -q '\"stopped_by\":\"cycles\"' $m && grep -q '\"reached\":false' $m"
t "exactly 8 cycles of each batch" [ "$(($(wc -l < /tmp/b/cycles.csv) - 1))" = 16 ]
t "the last look saw all 8 releases" grep -q '"releases":8,' $m
t "and says it was not reached" grep -q 'not reached' /tmp/err
# -n equal to the cap: one look, at the data there is
run -d 0000:00:10.0 -n 6 --batches release --no-probe-cost --no-trace-dat --until-ci 0.001 --max-cycles 6 -o /tmp/c
uc /tmp/c/meta.json
m=/tmp/uc
t "-n at the cap: the one look is at the 6 releases, not at none" sh -c \
	"grep -q '\"releases\":6,' $m && grep -q '\"looks\":1,' $m"
t "... and gives their median" awk -F'"median_us":' 'NF > 1 { split($2, a, ","); exit !(a[1] + 0 > 0) }' $m
# the trace is read after every chunk, tracing on: a chunk, not the run,
# must fit the buffer.  30 cycles of 2 devices write about 6000 records:
# more than 64 KiB a CPU holds in one chunk (here: 268 of 3800 lost at
# 20 cycles), far less in each of 30
ov() { tr -d ' \n' < "$1" | sed -n 's/.*"overruns":\([0-9]*\),"records_after_loss".*/\1/p'; }
for ch in 1 30; do
	rm -rf /tmp/d$ch
	iommu-bench run -q -d $DEVS -n 30 --chunks $ch --buffer-kb 64 --batches all \
		--no-probe-cost --no-trace-dat -o /tmp/d$ch 2>/tmp/err$ch
	echo "# --chunks $ch: exit $?, $(ov /tmp/d$ch/meta.json) events overrun"
	sed 's/^/# /' /tmp/err$ch
done
o1=$(ov /tmp/d1/meta.json) o30=$(ov /tmp/d30/meta.json)
t "30 cycles in one chunk overrun a 64 KiB buffer ($o1 events)" [ "${o1:-0}" -gt 0 ]
t "... and the run says to give more chunks" grep -q 'read after each chunk, so give more --chunks' /tmp/err1
t "in 30 chunks, drained after each, none is lost" [ "$o30" = 0 ]
t "... nor said to be" sh -c "! grep -q '\"lost_events\":true' /tmp/d30/meta.json && ! grep -q . /tmp/err30"
t "... and every one of its 60 cycles has a complete trace" \
	[ "$(awk -F, 'NR > 1 && $9 == 1' /tmp/d30/cycles.csv | wc -l)" = 60 ]
t "rmmod" rmmod iommu_bench
tap_done
