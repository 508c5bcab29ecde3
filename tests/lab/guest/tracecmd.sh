#!/bin/sh
# Guest test (TAP): a lab machine with only trace-cmd.  The probes are
# armed by hand from "iommu-bench probes", trace-cmd record traces a
# --no-trace run, and "iommu-bench import" of its trace.dat counts what
# a run traced by the collector itself counts.
. "$(dirname "$0")/tap.sh"
T=/sys/kernel/tracing
DEVS=0000:00:10.0,0000:00:11.0

t "insmod" insmod /lib/iommu_bench.ko
iommu-bench probes > /tmp/kp 2>/tmp/err
t "probes prints the release kprobe and kretprobe" \
	sh -c "grep -q '^p:iommu_bench_kp/release ' /tmp/kp && grep -q '^r32:iommu_bench_kp/release_ret ' /tmp/kp"
t "... and not the core function's, which is timed alone" \
	sh -c "grep -q '^# core: not in' /tmp/kp && ! grep -q '^p:iommu_bench_kp/core ' /tmp/kp"
iommu-bench probes --batch release > /tmp/kpr 2>/tmp/err
t "probes --batch release: the release span's two ends and nothing else" \
	sh -c "[ \$(grep -vc '^#' /tmp/kpr) = 2 ]"
sed 's/^/# /' /tmp/kp
t "kprobe_events accepts every line" sh -c "grep -v '^#' /tmp/kp >> $T/kprobe_events"
cd /tmp || exit 1
t "trace-cmd record of a --no-trace run" trace-cmd record -q -o /tmp/tc.dat \
	-e iommu_bench -e iommu -e iommu_bench_kp \
	iommu-bench run -q --no-trace -d $DEVS -n 3 -o /tmp/base
t "trace-cmd record -B, into an instance of its own" trace-cmd record -q -o /tmp/tcb.dat \
	-B ibtest -e iommu_bench -e iommu -e iommu_bench_kp \
	iommu-bench run -q --no-trace -d $DEVS -n 2 -o /tmp/baseb
t "the hand-made probes are removed" sh -c "echo > $T/kprobe_events"
t "import of the instance's recording" iommu-bench import -o /tmp/impb /tmp/tcb.dat
t "... finds its 2 devices x 2 cycles, each with its release" \
	[ "$(awk -F, 'NR > 1 && $11 == 1' /tmp/impb/cycles.csv | wc -l)" = 4 ]
t "import of the recording" iommu-bench import -o /tmp/imp /tmp/tc.dat
t "imported: 2 devices x 3 cycles" [ "$(wc -l < /tmp/imp/cycles.csv)" = 7 ]
t "... labelled with the kernel release the recording keeps, not 'tc.dat'" \
	grep -q "^  \"label\":\"$(uname -r)\",\$" /tmp/imp/meta.json
t "... its kernel and IOMMU driver from the file, as compare reads them" sh -c \
	"grep -q '\"kernel_release\":\"$(uname -r)\"' /tmp/imp/meta.json && grep -q '\"iommu_driver\":\"intel\"' /tmp/imp/meta.json"
iommu-bench compare /tmp/imp > /tmp/impcmp 2>&1
sed 's/^/# /' /tmp/impcmp | head -n 6
t "compare names that kernel" grep -q "$(uname -r)" /tmp/impcmp
run --batches all --no-probe-cost -d $DEVS -n 3 -o /tmp/own
t "the collector's own traced run, every probe in every batch" [ "$rc" = 0 ]
trace-cmd dump --options /tmp/own/trace.dat 2>/dev/null | grep '\[clock\]' > /tmp/clk
sed 's/^/# /' /tmp/clk
t "its trace.dat names the clock it was recorded on (mono), not the top instance's" \
	sh -c "[ -s /tmp/clk ] && ! grep -qv '\"mono\" \[clock\]' /tmp/clk"
counts /tmp/imp/cycles.csv > /tmp/a
counts /tmp/own/cycles.csv > /tmp/b
t "both count the same switches and hardware work, cycle by cycle" cmp /tmp/a /tmp/b
cmp /tmp/a /tmp/b >/dev/null || diff /tmp/a /tmp/b | sed 's/^/# /'
# without trace-cmd in PATH a run goes on and says it keeps no trace.dat
env PATH=/nowhere /bin/iommu-bench run -q -d $DEVS -n 1 -o /tmp/notc 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
t "no trace-cmd: the run still succeeds" [ "$rc" = 0 ]
t "... says so on the terminal" grep -q 'trace-cmd is not installed' /tmp/err
t "... and in meta.json, with no trace.dat and no pages left" sh -c \
	"grep -q 'trace-cmd is not installed: no trace.dat' /tmp/notc/meta.json && [ ! -e /tmp/notc/trace.dat ] && [ ! -e /tmp/notc/pages ]"
t "rmmod" rmmod iommu_bench
tap_done
