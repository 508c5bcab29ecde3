#!/bin/sh
# Guest test (TAP): perf, as a lab machine's user already runs it, next
# to the collector (perf 6.1, from a second initramfs: tests/lab/perf.t).
#  - 'iommu-bench probes --perf' prints the perf probe commands that make
#    the probes the collector arms: same names, functions and fetches;
#    perf record of a --no-trace run through them sees each device's
#    release once per cycle, and 'iommu-bench import' of its perf.data
#    counts what a run the collector traces counts, cycle by cycle.
#  - perf stat counts the iommu and iommu_bench tracepoints around a run
#    the collector traces: its totals equal the collector's counts.
#  - perf ftrace latency times the core release function's calls as the
#    collector times them: the same calls, the same log2 bucket or the
#    next.
. "$(dirname "$0")/tap.sh"
T=/sys/kernel/tracing
DEVS="0000:00:10.0 0000:00:11.0"
N=3
# BUS_NOTIFY_REMOVED_DEVICE: 3 before 6.4, then 2
case $(uname -r) in
6.1.*) removed=3 ;;
*) removed=2 ;;
esac

# kp FILE: kprobe definitions as "TYPE:GROUP/NAME FUNCTION ARGS...",
# a kretprobe's maxactive left out and FUNCTION as perf 6.1 writes it,
# _text+OFFSET (it resolves names itself); perf names a return probe
# NAME__return, the collector NAME_ret.  Addresses are compared on their
# low 48 bits (exact in awk's doubles; the kernel spans far less).
kp() {
	grep -v '^#' "$1" | sed -e 's/^r[0-9]*:/r:/' -e 's/__return /_ret /' |
	awk 'function low48(a,  n, i) {
			n = 0
			a = substr(a, length(a) - 11)
			for (i = 1; i <= 12; i++)
				n = n * 16 + index("0123456789abcdef", substr(a, i, 1)) - 1
			return n
		}
		FNR == NR { if ($3 == "_text") text = low48($1); addr[$3] = $1; next }
		$2 !~ /^_text\+/ { $2 = "_text+" (low48(addr[$2]) - text) % 281474976710656 }
		{ print }' /proc/kallsyms - | sort
}

t "insmod" insmod /lib/iommu_bench.ko
t "perf runs" perf --version
iommu-bench probes > /tmp/kp 2>/tmp/err
iommu-bench probes --perf > /tmp/pp 2>>/tmp/err
sed 's/^/# /' /tmp/err /tmp/pp
t "probes --perf: one perf probe command per kprobe_events line" \
	[ "$(grep -c '^perf probe ' /tmp/pp)" = "$(grep -vc '^#' /tmp/kp)" ]
sh -e /tmp/pp > /tmp/err 2>&1
rc=$?
sed 's/^/# /' /tmp/err
t "perf probe accepts every command" [ $rc = 0 ]
kp $T/kprobe_events > /tmp/made
kp /tmp/kp > /tmp/want
t "... and makes the probes the collector would arm: names, functions, fetches" \
	cmp /tmp/made /tmp/want
cmp /tmp/made /tmp/want >/dev/null || diff /tmp/want /tmp/made | sed 's/^/# /'

cd /tmp || exit 1
perf record -q -a -o /tmp/perf.data -e 'iommu_bench:*' -e 'iommu:*' \
	-e 'iommu_bench_kp:*' -- iommu-bench run -q --no-trace \
	-d "$(echo $DEVS | tr ' ' ,)" -n $N -o /tmp/base 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
t "perf record of a --no-trace run, through perf's probes" [ $rc = 0 ]
perf script -i /tmp/perf.data -F trace:event,trace > /tmp/script 2>/tmp/err
sed 's/^/# /' /tmp/err
t "perf script: a cycle start per device per cycle" \
	[ "$(grep -c 'iommu_bench:cycle_start:' /tmp/script)" = $((N * 2)) ]
for d in $DEVS; do
	t "perf script: $d released once a cycle (action=$removed)" [ \
		"$(grep 'iommu_bench_kp:release:' /tmp/script | grep "action=$removed " | grep -c "dev=\"$d\"")" = $N ]
done
# the same without -a: only the command's tasks are traced
perf record -q -o /tmp/noa.data -e 'iommu_bench:*' -e 'iommu:*' \
	-e 'iommu_bench_kp:*' -- iommu-bench run -q --no-trace \
	-d "$(echo $DEVS | tr ' ' ,)" -n 1 -o /tmp/noa 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
t "perf record without -a" [ $rc = 0 ]
t "perf probe -d removes them" perf probe -q -d 'iommu_bench_kp:*'
t "... kprobe_events is empty" sh -c "! grep -q . $T/kprobe_events"

# perf stat COUNT of EVENT in a -x, file: "COUNT,UNIT,EVENT,..."
stat_of() { awk -F, -v e="$2" '$3 == e { print $1 }' "$1"; }
# the collector's count of KIND in meta.json's trace.events
ours() { tr -d ' \n' < /tmp/own/meta.json | sed -n "s/.*\"events\":{[^}]*\"$1\":\([0-9]*\).*/\1/p"; }
perf stat -a -x, -o /tmp/stat -e iommu:attach_device_to_domain \
	-e iommu_bench:cycle_start -e iommu_bench:cycle_end -e iommu_bench:run_start \
	-- iommu-bench run -q --batches all --no-probe-cost --no-trace-dat \
	-d "$(echo $DEVS | tr ' ' ,)" -n $N -o /tmp/own 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err /tmp/stat
t "perf stat around a run the collector traces" [ $rc = 0 ]
for e in cycle_start cycle_end run_start; do
	t "perf stat's iommu_bench:$e equals the collector's ($(ours $e))" \
		[ "$(stat_of /tmp/stat iommu_bench:$e)" = "$(ours $e)" ]
done
t "perf stat's iommu:attach_device_to_domain equals the collector's traced switches ($(ours core_attach))" \
	[ "$(stat_of /tmp/stat iommu:attach_device_to_domain)" = "$(ours core_attach)" ]
t "... of a run of its $((N * 2)) cycles" \
	[ "$(ours cycle_start)" = $((N * 2)) ]
# perf ftrace latency: the kernel's function_graph tracer times the
# core release function's calls while the collector times them too (a
# kprobe at each end).  Its histogram's buckets are powers of 2 in us
# (perf 6.1: bucket i holds [2^i, 2^(i+1)) us, 0 below 2 us, though its
# labels say [2^(i-1), 2^i)): the two
# medians must fall in the same bucket or the next, each tool's hooks
# being inside the other's span (fgraph.sh measures them)
fn=$(iommu-bench probes --batch core 2>/dev/null |
	sed -n 's|^p[0-9]*:iommu_bench_kp/core \([^ ]*\).*|\1|p')
perf ftrace latency -T "$fn" -- iommu-bench run -q --batches core --chunks 1 \
	--no-probe-cost --no-trace-dat -d "$(echo $DEVS | tr ' ' ,)" -n $N \
	-o /tmp/lat > /tmp/hist 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err /tmp/hist
t "perf ftrace latency -T $fn around a run timing it" [ $rc = 0 ]
# the bucket of the median of a histogram's counts, on stdin
median_bucket() {
	awk -F'|' '$1 ~ /^ *[0-9]+ - / { c[n++] = $2 + 0; tot += $2 }
		END { if (!tot) exit 1; for (i = 0; i < n; i++) { s += c[i]; if (2 * s >= tot) { print i; exit } } }'
}
# how many calls a histogram on stdin holds
calls() { awk -F'|' '$1 ~ /^ *[0-9]+ - / { tot += $2 } END { print tot + 0 }'; }
ours_ns=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "core_ns") c = i; if ($i == "core_calls") k = i } next }
	$k > 0 { print $c }' /tmp/lat/cycles.csv | sort -n |
	awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
ours_bucket=$(awk -v ns="$ours_ns" 'BEGIN { us = ns / 1000; i = 0; while (us >= 2 && i < 21) { us /= 2; i++ } print i }')
perf_bucket=$(median_bucket < /tmp/hist)
echo "# median: collector $ours_ns ns (bucket $ours_bucket), perf bucket $perf_bucket"
t "perf's histogram holds every call the collector timed ($((N * 2)))" \
	[ "$(calls < /tmp/hist)" = $((N * 2)) ]
t "... and its median is in the collector's median's bucket or the next" \
	sh -c "[ -n '$ours_ns' ] && [ -n '$perf_bucket' ] && d=\$(($perf_bucket - $ours_bucket)) && [ \$d -le 1 ] && [ \$d -ge -1 ]"
iommu-bench import -o /tmp/pimp /tmp/perf.data 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err
t "import of the perf.data" [ $rc = 0 ]
t "... with no warning" [ ! -s /tmp/err ]
t "... labelled with the kernel its header names" \
	grep -q "^  \"label\":\"$(uname -r)\",\$" /tmp/pimp/meta.json
t "... its $((N * 2)) cycles, each with its release" \
	[ "$(awk -F, 'NR > 1 && $11 == 1' /tmp/pimp/cycles.csv | wc -l)" = $((N * 2)) ]
sw=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /_switches$/) c[i] = 1; next }
	{ for (i in c) n += $i } END { print n + 0 }' /tmp/pimp/cycles.csv)
t "... which count domain switches ($sw in all)" [ "$sw" -gt 0 ]
counts /tmp/pimp/cycles.csv > /tmp/a
counts /tmp/own/cycles.csv > /tmp/b
t "perf's recording and the collector's own run count the same switches and hardware work, cycle by cycle" \
	cmp /tmp/a /tmp/b
cmp /tmp/a /tmp/b >/dev/null || diff /tmp/b /tmp/a | sed 's/^/# /'
iommu-bench import -o /tmp/pnoa /tmp/noa.data 2>/tmp/err
sed 's/^/# /' /tmp/err
t "import of the recording without -a warns that it was not system-wide" \
	grep -q 'recorded without -a' /tmp/err
# kept for tests/fixtures (record.sh perf)
cp /tmp/perf.data /tmp/noa.data /out/ && cp /tmp/own/cycles.csv /out/own.csv
# what the module's check before each cycle costs (device there, driver
# and group unchanged, nothing in use below it), outside the timed
# cycle: perf ftrace latency counts its calls, one per device per cycle
perf ftrace latency -T iommu_bench_recheck -- iommu-bench run -q --no-trace \
	-d "$(echo $DEVS | tr ' ' ,)" -n $N -o /tmp/chk > /tmp/hist 2>/tmp/err
rc=$?
sed 's/^/# /' /tmp/err /tmp/hist
echo "# recheck: $(calls < /tmp/hist) calls, median in bucket $(median_bucket < /tmp/hist)"
t "perf ftrace latency -T iommu_bench_recheck around a run" [ $rc = 0 ]
t "... one call per device per cycle ($((N * 2)))" [ "$(calls < /tmp/hist)" = $((N * 2)) ]
t "rmmod" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
