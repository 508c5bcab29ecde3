#!/bin/sh
# Guest test (TAP): faults, with nothing lost.  The collector is stopped by
# SIGINT, SIGTERM and SIGKILL mid-run in every mode; rmmod is tried
# mid-run; two runs go at once; results go to a full and a read-only file
# system.  After each: every device is there, on the driver it had (and
# its driver_override), in the IOMMU group it had; the result is complete
# or .failed with what was recorded; the next run starts clean.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
ALL="0000:00:10.0 0000:00:11.0 0000:01:01.0 0000:01:02.0"
state() { dev_state $ALL; }
same_state() {
	state > /tmp/now
	cmp -s /tmp/before /tmp/now && return 0
	diff /tmp/before /tmp/now | sed 's/^/#   /' >&3
	return 1
}
exec 3>&1	# t hides a check's output; the state's difference is shown

insmod /lib/iommu_bench.ko
t "insmod" grep -q iommu_bench /proc/modules
if [ -z "$(driver 0000:00:10.0)" ]; then
	echo iommu_bench_dma > /sys/bus/pci/devices/0000:00:10.0/driver_override
	echo 0000:00:10.0 > /sys/bus/pci/drivers_probe
fi
state > /tmp/before
sed 's/^/# before: /' /tmp/before
d2=$(driver 0000:01:02.0)

# stop MODE SIG ARGS...: a long run of MODE, SIG once it cycles ($tag
# before the tests' names).  Remove mode's run keeps its trace.dat, which
# a stopped run writes too; the other modes' do not (4 s each under TCG)
tag=
stop() {
	mode=$1 sig=$2
	shift 2
	o=/tmp/f${tag:+-slow}-$mode-$sig
	dat=--no-trace-dat
	[ "$mode" != remove ] || dat=
	iommu-bench run -q -m "$mode" "$@" -n 100000 --batches all --no-probe-cost $dat \
		-o "$o" 2>/tmp/err &
	pid=$!
	started "$o" $pid
	kill -"$sig" $pid
	wait $pid
	rc=$?
	sed 's/^/# /' /tmp/err
	t "$tag$mode, SIG$sig: the run stops (exit $rc)" [ "$rc" != 0 ]
	t "$tag$mode, SIG$sig: every device on its driver, override and group" same_state
	if [ "$sig" = KILL ]; then
		t "$tag$mode, SIGKILL: no result and no .failed claimed" sh -c "[ ! -e $o ] && [ ! -e $o.failed ]"
	else
		t "$tag$mode, SIG$sig: $o.failed keeps what was recorded" sh -c \
			"grep -q 'interrupted by signal' $o.failed/meta.json && [ \$(wc -l < $o.failed/cycles.csv) -gt 1 ] && [ ! -e $o ] && [ ! -e $o.partial ]"
	fi
	[ -n "$dat" ] || [ "$sig" = KILL ] ||
		t "$tag$mode, SIG$sig: ... and its trace.dat" [ -s "$o.failed/trace.dat" ]
	# the next run starts clean: a killed run's instance and probes go
	run_counts -m "$mode" "$@" -n 1 -o "$o.next"
	t "$tag$mode, SIG$sig: the next run succeeds" [ "$rc" = 0 ]
	[ "$sig" != KILL ] ||
		t "$tag$mode, SIGKILL: ... and says it removed the killed run's instance" \
			grep -q 'removed tracefs instance iommu_bench_[0-9]*, left by a collector that was killed' /tmp/err
	t "$tag$mode, SIG$sig: ... with every device as it was" same_state
	t "$tag$mode, SIG$sig: ... and no instance of ours left" sh -c "! ls -d /sys/kernel/tracing/instances/iommu_bench_* 2>/dev/null"
}

for sig in INT TERM KILL; do
	stop remove $sig -d 0000:00:10.0,0000:00:11.0
	stop unbind $sig -d 0000:00:10.0
	stop owned $sig --owner 0000:01:01.0 -d 0000:01:02.0
	[ -n "$d2" ] && echo 0000:01:02.0 > "/sys/bus/pci/devices/0000:01:02.0/driver/unbind"
	state > /tmp/before
	stop claim $sig -d 0000:01:01.0
	[ -n "$d2" ] && echo 0000:01:02.0 > "/sys/bus/pci/drivers/$d2/bind"
	state > /tmp/before
	stop group $sig -d 0000:01:01.0,0000:01:02.0
done

# a driver whose probe waits interruptibly (for firmware, say) fails on
# the signal that stops a run: teardown rebinds it where none is pending
echo 50 > /sys/module/iommu_bench/parameters/dma_probe_wait_ms
tag="probe waits 50 ms interruptibly: "
for sig in INT TERM; do
	stop remove $sig -d 0000:00:10.0
	stop unbind $sig -d 0000:00:10.0
done
tag=
echo 0 > /sys/module/iommu_bench/parameters/dma_probe_wait_ms

# a signal during setup, once our tracefs instance is there: the run
# stops, with nothing half-written and nothing of ours left
iommu-bench run -q -d 0000:00:10.0 -n 100000 -o /tmp/early 2>/tmp/err &
pid=$!
i=0
while [ $i -lt 3000 ] && [ ! -d /sys/kernel/tracing/instances/iommu_bench_$pid ] &&
      kill -0 $pid 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
kill -INT $pid
wait $pid
rc=$?
sed 's/^/# /' /tmp/err
t "SIGINT during setup: the run stops (exit $rc)" [ "$rc" = 1 ]
t "... nothing half-written" sh -c "[ ! -e /tmp/early.partial ] && [ ! -e /tmp/early ]"
t "... no instance of ours left" sh -c "! ls -d /sys/kernel/tracing/instances/iommu_bench_* 2>/dev/null"
t "... every device as it was" same_state

# rmmod mid-run: refused while the run holds the module
iommu-bench run -q -d 0000:00:10.0,0000:00:11.0 -n 100000 --batches all --no-probe-cost --no-trace-dat \
	-o /tmp/rm 2>/tmp/err &
pid=$!
started /tmp/rm $pid
t "rmmod mid-run is refused (module in use)" sh -c "! rmmod iommu_bench 2>/dev/null"
t "... the module is still there" grep -q iommu_bench /proc/modules
# two runs at once: the second is refused, the first goes on (the second
# names a device the first does not cycle: one it has removed is absent)
run_counts -d 0000:01:02.0 -n 1 -o /tmp/second
t "a second run while one cycles is refused (exit 3)" [ "$rc" = 3 ]
t "... saying the module is busy" grep -qi 'busy' /tmp/err
kill -INT $pid
wait $pid
t "the first run stopped cleanly all the same" sh -c "[ -f /tmp/rm.failed/meta.json ]"
t "every device as it was" same_state

# a run while another tracer has our probe names on: refused, not zeros
T=/sys/kernel/tracing
iommu-bench probes | grep -v '^#' > /tmp/kp
cat /tmp/kp >> $T/kprobe_events
mkdir $T/instances/other
echo 1 > $T/instances/other/events/iommu_bench_kp/enable
run_counts -d 0000:00:10.0 -n 1 -o /tmp/held
t "a run while another tracer has our probes on is refused (exit 3)" [ "$rc" = 3 ]
t "... naming the probe and what to do" grep -q 'iommu_bench_kp/.* is on in another tracer: stop that session first' /tmp/err
t "... with nothing written" sh -c "[ ! -e /tmp/held ] && [ ! -e /tmp/held.failed ] && [ ! -e /tmp/held.partial ]"
echo 0 > $T/instances/other/events/iommu_bench_kp/enable
rmdir $T/instances/other
run_counts -d 0000:00:10.0 -n 1 -o /tmp/held2
t "once the other tracer stops, a run arms them again" sh -c \
	"[ $rc = 0 ] && awk -F, 'NR > 1 && \$11 == 1' /tmp/held2/cycles.csv | grep -q ."
t "... every device as it was" same_state

# results to a full, and to a read-only, file system
mkdir -p /mnt/full /mnt/ro
mount -t tmpfs -o size=64k tmpfs /mnt/full
dd if=/dev/zero of=/mnt/full/fill bs=4k 2>/dev/null
run_counts -d 0000:00:10.0 -n 3 -o /mnt/full/r
t "a full file system: the run fails (exit $rc)" [ "$rc" != 0 ]
t "... saying why" grep -qi 'no space' /tmp/err
t "... with no half-written result" sh -c "[ ! -e /mnt/full/r ]"
t "... and every device as it was" same_state
mount -t tmpfs -o ro tmpfs /mnt/ro
run_counts -d 0000:00:10.0 -n 3 -o /mnt/ro/r
t "a read-only file system: the run is refused (exit $rc)" [ "$rc" != 0 ]
t "... saying why" grep -qi 'read-only' /tmp/err
t "... and every device as it was" same_state
umount /mnt/full /mnt/ro

t "rmmod" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
