#!/bin/sh
# Guest test (TAP): the collector's timing of a kernel function against a
# tool nobody here wrote, on the same calls: the kernel's function_graph
# tracer, recorded by trace-cmd, on while the collector times the
# function.  /out/ours/cycles.csv and /out/fgraph.dat are compared on
# the host (tests/lab/debian-kernels.t); each tool's own cost per call on
# an empty function is measured here too, to be shown beside them.  The
# function is the kernel's core release function (iommu_release_device
# or iommu_deinit_device).
# Same calls, not rounds of each in turn: under TCG on a loaded host two
# rounds a second apart differ by a quarter (494 against 380 us, in one
# boot beside two busy loops), and no confidence interval of either
# round's calls allows for that.
. "$(dirname "$0")/tap.sh"
DEVS=0000:00:10.0,0000:00:11.0,0000:00:12.0
T=/sys/kernel/tracing

t "insmod" insmod /lib/iommu_bench.ko
fn=$(iommu-bench probes --batch core 2>/dev/null |
	sed -n 's|^p[0-9]*:iommu_bench_kp/core \([^ ]*\).*|\1|p')
echo "# core function: $fn"
echo "$fn" > /out/function
t "the core function has a probe" [ -n "$fn" ]
t "the function_graph tracer is there" grep -qw function_graph $T/available_tracers
cd /tmp || exit 1
# Each tool's own cost per call, on the module's empty function: ours
# (a span's two ends, by probe-cost), and function_graph's (the calls
# timed under it, less the calls alone).  Warm: in a release, cold under
# TCG, the inner tool's hooks add a tenth of a call.
iommu-bench probe-cost -j > /out/cost.json 2>/dev/null
iommu-bench probe-cost --bare -j > /out/bare.json 2>/dev/null
t "function_graph on the module's empty function" sh -c "trace-cmd start \
	-p function_graph -g iommu_bench_probe_target -l iommu_bench_probe_target \
	--max-graph-depth 1 >/dev/null &&
	iommu-bench probe-cost --bare -j > /out/bare-fgraph.json && trace-cmd stop"
trace-cmd reset >/dev/null 2>&1
for f in cost bare bare-fgraph; do
	t "$f measured" grep -q '"bare_call_ns"' /out/$f.json
done
# -l: only $fn hooked.  With -g alone every function of the kernel is,
# and each call inside $fn pays the tracer's entry hook (here that made
# $fn take 1.8 times as long).  start, not record: record's readers
# would run beside the cycles, as the collector's do not (it reads the
# buffers afterwards).  One round of 15 cycles: 45 calls
t "function_graph on $fn" sh -c "trace-cmd start -p function_graph \
	-g '$fn' -l '$fn' --max-graph-depth 1 >/dev/null"
run -d $DEVS -n 15 --batches core --chunks 1 --no-probe-cost --no-trace-dat \
	-o /out/ours
t "the collector times $fn beside it" [ "$rc" = 0 ]
t "function_graph times the same calls" sh -c \
	"trace-cmd stop && trace-cmd extract -o /out/fgraph.dat >/dev/null 2>&1"
trace-cmd reset >/dev/null 2>&1
t "the tracer is off again" sh -c "[ \"\$(cat $T/current_tracer)\" = nop ]"
t "rmmod" rmmod iommu_bench
tap_done
