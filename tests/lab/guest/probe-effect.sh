#!/bin/sh
# Guest test (TAP): run --untraced interleaves cycles without probes and
# reports the probe effect; those cycles are invisible to the trace.
. "$(dirname "$0")/tap.sh"
DEVS=0000:00:10.0,0000:00:11.0

# col FILE NAME: one column of a cycles.csv
col() {
	awk -F, -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
		{ print $c }' "$1"
}

t "insmod" insmod /lib/iommu_bench.ko
run -d $DEVS -n 4 --batches all --untraced --no-probe-cost --no-trace-dat -o /tmp/pe
t "run --batches all --untraced exits 0" [ "$rc" = 0 ]
csv=/tmp/pe/cycles.csv
col "$csv" probes | sed 's/^all$/1/; s/^none$/0/' > /tmp/p
col "$csv" traced > /tmp/t
col "$csv" releases > /tmp/r
half() { [ "$(wc -l < /tmp/p)" = 16 ] && [ "$(grep -c '^1$' /tmp/p)" = 8 ]; }
t "16 rows: 8 with every probe, 8 with none" half
t "the cycles with probes, and only they, were traced" cmp /tmp/p /tmp/t
t "... each with its one release" cmp /tmp/p /tmp/r
tr -d ' \n' < /tmp/pe/meta.json > /tmp/pe.json
t "meta.json gives each batch kind's phases" sh -c \
	"grep -q '\"batches_plan\":\[\"all\",\"none\"\]' /tmp/pe.json && grep -q '\"none\":{\"device_cycles\":8' /tmp/pe.json"
t "the trace lost nothing while probes went off and on" grep -q '"lost_events":false' /tmp/pe/meta.json
t "no probe is left armed after the run" sh -c "! grep -q iommu_bench_kp /sys/kernel/tracing/kprobe_events"
run -d $DEVS -n 2 --untraced --no-trace -o /tmp/pe2
t "--untraced with --no-trace: exit 2, said" sh -c "[ $rc = 2 ] && grep -q 'cannot go with --no-trace' /tmp/err && [ ! -e /tmp/pe2 ]"
run -d $DEVS -n 2 --batches all,magic -o /tmp/pe3
t "--batches with an unknown kind: exit 2, named" sh -c "[ $rc = 2 ] && grep -q \"'magic' is not all, release, core or none\" /tmp/err && [ ! -e /tmp/pe3 ]"
ls /sys/kernel/tracing/instances | sed 's/^/# instance: /'
grep iommu_bench_kp /sys/kernel/tracing/kprobe_events | sed 's/^/# kprobe: /'
t "no probe or instance left behind by the refusals" sh -c \
	"! grep -q iommu_bench_kp /sys/kernel/tracing/kprobe_events && ! ls /sys/kernel/tracing/instances | grep -q iommu_bench"
t "rmmod" rmmod iommu_bench
tap_done
