# TAP helpers for the guest tests (busybox sh), sourced: plan at the end.
n=0 fails=0

# t DESCRIPTION COMMAND...: ok when COMMAND succeeds (its output hidden)
t() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		fails=$((fails + 1))
	fi
}

# run IOMMU-BENCH-RUN-ARGS...: exit status in $rc, messages in /tmp/err
run() {
	iommu-bench run -q "$@" 2>/tmp/err
	rc=$?
	sed 's/^/# /' /tmp/err
}

# run_counts IOMMU-BENCH-RUN-ARGS...: run with every probe in every batch:
# a test of the counts, not of the latency, nor of the trace.dat (its
# header takes 4 s of a 1-cycle run's 8 under TCG; the lab's main runs,
# tracecmd.sh and faults.sh keep one)
run_counts() {
	run --batches all --no-probe-cost --no-trace-dat "$@"
}

# all CSV COLUMN OP VALUE: every row's COLUMN compares so (numbers)
all() {
	awk -F, -v col="$2" -v op="$3" -v v="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
		{ n++; x = $c + 0
		  if ((op == "==" && x != v) || (op == ">=" && x < v) || (op == ">" && x <= v)) bad++ }
		END { exit (!c || !n || bad) }' "$1"
}
rows() { echo $(($(wc -l < "$1") - 1)); }
# driver DEV: the driver DEV is bound to, empty for none
driver() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
# dev_state DEV...: a line each: driver, driver_override, IOMMU group
dev_state() {
	for d; do
		echo "$d driver=$(driver $d) override=$(cat /sys/bus/pci/devices/$d/driver_override 2>/dev/null)" \
			"group=$(basename "$(readlink /sys/bus/pci/devices/$d/iommu_group)")"
	done
}
# started OUT PID: wait until the run PID writing OUT has cycled (the
# module's cycle_end, traced for this in the top-level instance too; a
# run's setup takes minutes on a loaded host), 10 min at most or until
# PID ends.  Then let it cycle a second more.
started() {
	tr=/sys/kernel/tracing
	echo > $tr/trace
	echo 1 > $tr/events/iommu_bench/cycle_end/enable
	i=0
	while [ $i -lt 6000 ] && kill -0 "$2" 2>/dev/null &&
	      ! { [ -d "$1.partial" ] && grep -q cycle_end $tr/trace; }; do
		sleep 0.1
		i=$((i + 1))
	done
	echo 0 > $tr/events/iommu_bench/cycle_end/enable
	sleep 1
}

# no_splat DESCRIPTION: no kernel warning, bug or oops in dmesg; what was
# found is shown as comments
no_splat() {
	dmesg | grep -E -A4 'WARNING:|BUG:|Oops|general protection' > /tmp/splat
	t "$1" [ ! -s /tmp/splat ]
	head -n 30 /tmp/splat | sed 's/^/#   /'
}

tap_done() {
	echo "1..$n"
	[ "$fails" = 0 ]
}

# counts FILE: cycles.csv without its time columns (*_ns) and the
# interrupts in its spans (span_irqs: a recording by trace-cmd or perf
# traces none), to compare an import with the collector's own run
counts() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) keep[i] = $i !~ /_ns$|^span_irqs$/ }
		{ s = ""; for (i = 1; i <= NF; i++) if (keep[i]) s = s $i ","; print s }' "$1"
}
