#!/bin/sh
# Guest test (TAP): the collector's timing of a kernel function against a
# tool nobody here wrote, on the same function in the same boot: the
# kernel's function_graph tracer, recorded by trace-cmd.  Rounds of each,
# interleaved; /out/ours-N/cycles.csv and /out/fgraph-N.dat are compared
# on the host (tests/lab/debian-kernels.t).  The function is the kernel's
# core release function (iommu_release_device or iommu_deinit_device).
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
for r in 1 2 3; do
	run -d $DEVS -n 5 --batches core --chunks 1 --no-probe-cost --no-trace-dat \
		-o /out/ours-$r
	t "round $r: the collector times $fn alone" [ "$rc" = 0 ]
	# -l: only $fn hooked.  With -g alone every function of the kernel
	# is, and each call inside $fn pays the tracer's entry hook (here
	# that made $fn take 1.8 times as long)
	t "round $r: function_graph times it" trace-cmd record -q -p function_graph \
		-g "$fn" -l "$fn" --max-graph-depth 1 -o /tmp/fg.dat \
		iommu-bench run -q --no-trace -d $DEVS -n 5 -o /tmp/fgrun-$r
	cp /tmp/fg.dat /out/fgraph-$r.dat
	# raw: one funcgraph_exit a call, its calltime and rettime (ns)
	trace-cmd report -R /tmp/fg.dat 2>/dev/null | grep funcgraph_exit > /tmp/fg.txt
	t "round $r: ... 15 calls recorded" [ "$(wc -l < /tmp/fg.txt)" = 15 ]
done
t "the tracer is off again" sh -c "[ \"\$(cat $T/current_tracer)\" = nop ]"
t "rmmod" rmmod iommu_bench
tap_done
