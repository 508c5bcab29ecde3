#!/bin/sh
# Guest test (TAP): a device that does not come back at rescan.  The
# endpoint behind the hot-plug root port at 00:09.0 (QEMU id ibep9) is
# unplugged by QEMU's monitor (device_del, asked for on the console) while
# a run cycles it beside 00:10.0.  The run fails, naming it; its .failed
# result keeps what was recorded; the other device is as it was; the next
# run starts clean.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
OTHER=0000:00:10.0

insmod /lib/iommu_bench.ko
t "insmod" grep -q iommu_bench /proc/modules
ep=$(basename "$(ls -d /sys/bus/pci/devices/0000:00:09.0/0000:??:??.? 2>/dev/null | head -n 1)")
echo "# behind the root port: $ep"
t "an endpoint behind the hot-plug root port" [ -e "/sys/bus/pci/devices/$ep" ]
dev_state $OTHER > /tmp/before

iommu-bench run -q -d "$ep,$OTHER" -n 100000 --batches all --no-probe-cost \
	-o /tmp/u 2>/tmp/err &
pid=$!
started /tmp/u $pid
echo "[lab] qemu: device_del ibep9" > /dev/console
# the unplug takes pciehp's 5 s or ACPI's eject; the run ends on its own
i=0
while [ $i -lt 1200 ] && kill -0 $pid 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
kill -0 $pid 2>/dev/null && kill -INT $pid
wait $pid
rc=$?
sed 's/^/# /' /tmp/err
t "the run ends by itself, failed (exit $rc)" sh -c "[ $rc = 1 ] && [ $i -lt 1200 ]"
t "... naming the device that did not come back" grep -q "$ep" /tmp/err
t "... its .failed result keeps what was recorded" sh -c \
	"[ \$(wc -l < /tmp/u.failed/cycles.csv) -gt 1 ] && [ ! -e /tmp/u ] && [ ! -e /tmp/u.partial ]"
t "the device is gone from the machine" sh -c \
	"echo 1 > /sys/bus/pci/rescan && [ ! -e /sys/bus/pci/devices/$ep ]"
dev_state $OTHER > /tmp/now
t "the other device is as it was" cmp -s /tmp/before /tmp/now
t "no instance or probe of ours left" sh -c \
	"! ls -d /sys/kernel/tracing/instances/iommu_bench_* 2>/dev/null && ! grep -q iommu_bench_kp /sys/kernel/tracing/kprobe_events"
run_counts -d $OTHER -n 2 -o /tmp/next
t "the next run, without it, succeeds" [ "$rc" = 0 ]
dev_state $OTHER > /tmp/now
t "... and leaves the other device as it was" cmp -s /tmp/before /tmp/now
t "the kernel log says it did not come back" sh -c \
	"dmesg | grep -q 'iommu_bench: $ep: \(did not come back\|gone before cycle\)'"
t "rmmod" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
