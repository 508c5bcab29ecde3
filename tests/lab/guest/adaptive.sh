#!/bin/sh
# Guest test (TAP): --until-ci stops when the CI is reached, or at its cap,
# and says which in meta.json.
echo "1..6"
insmod /lib/iommu_bench.ko && echo "ok 1 - insmod" || echo "not ok 1 - insmod"
# a loose target is reached soon after the minimum
iommu-bench run -q -d 0000:00:10.0,0000:00:11.0 -n 5 --until-ci 50 -o /tmp/a 2>&1 | sed 's/^/# /'
grep -q '"stopped_by":"ci"' /tmp/a/meta.json && grep -q '"reached":true' /tmp/a/meta.json &&
	echo "ok 2 - a 50% target is reached and recorded" || echo "not ok 2 - a 50% target is reached and recorded"
rows=$(($(wc -l < /tmp/a/cycles.csv) - 1))
[ "$rows" -ge 10 ] && echo "ok 3 - at least the 5 minimum cycles x 2 devices ($rows rows)" ||
	echo "not ok 3 - at least the 5 minimum cycles x 2 devices ($rows rows)"
# an impossible target stops at the cycle cap, exactly
iommu-bench run -q -d 0000:00:10.0 -n 2 --until-ci 0.001 --max-cycles 8 -o /tmp/b 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
[ "$rc" = 0 ] && grep -q '"stopped_by":"cycles"' /tmp/b/meta.json &&
	grep -q '"reached":false' /tmp/b/meta.json &&
	echo "ok 4 - an unreachable target stops at --max-cycles" || echo "not ok 4 - an unreachable target stops at --max-cycles"
[ "$(($(wc -l < /tmp/b/cycles.csv) - 1))" = 8 ] && echo "ok 5 - exactly 8 cycles" || echo "not ok 5 - exactly 8 cycles"
grep -q 'not reached' /tmp/err && echo "ok 6 - and says so" || echo "not ok 6 - and says so"
