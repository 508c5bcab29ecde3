#!/bin/sh
# End-to-end lab test on Debian's 6.1 and 6.12 (TAP, plan at the end).
# Boots each kernel in QEMU, runs a few remove cycles on three endpoints
# and asserts what is true of these kernels:
#   6.1  - a release makes no domain switch: the driver detaches the
#          device itself (one driver-internal block);
#   6.12 - every release makes exactly one switch, to the blocked domain,
#          that iommu:attach_device_to_domain does not show, and the
#          driver detaches nothing itself: one detach either way;
#   both - one positive release latency per device per cycle, no lost
#          events, no kernel warning.
#   both - cycles of three batch kinds: every probe (the counts), the
#          release span's ends only (iommu_bus_notifier: nothing fires
#          inside it), the core function's ends only; the probe cost.
# The core function's calls timed by the collector and, at once, by the
# kernel's function_graph tracer (fgraph.sh) agree within a quarter: the
# span of the tool whose hooks run first holds the other's hooks, which
# in a release under TCG run cold (23 to 94 us on 6.12, a tenth of a call;
# on the module's empty function, warm, 2 to 5 us).
# Then, in the guest: every module mode on each kernel (modes.sh), the
# ioctl ABI edge (abi.sh), --until-ci, recording with trace-cmd and
# importing (tracecmd.sh), and the refusals with and without an IOMMU.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
KSET=configs/kernels/debian.conf
DEVS=0000:00:10.0,0000:00:11.0,0000:00:12.0
EPS="e1000e@10 e1000e@11 e1000e@12"
CYCLES=3
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rank_diff A B: the median of a_i - b_i, the i-th smallest of each file's
# values (as many in each).  Of the same calls timed by two tools, where
# each call's two times differ by d_i, every rank's difference lies within
# the d_i's range too: no pairing of calls is needed
rank_diff() {
	[ -s "$1" ] && [ "$(wc -l < "$1")" = "$(wc -l < "$2")" ] || return 1
	sort -g "$1" > "$1.sorted" && sort -g "$2" > "$2.sorted" &&
		paste -d' ' "$1.sorted" "$2.sorted" | awk '{ print $1 - $2 }' |
		tests/lab/median-ci.pl | cut -d' ' -f1
}
# within X "MEDIAN LO HI N" F: |X| <= F times MEDIAN
within() {
	[ -n "$1" ] && [ -n "$2" ] && awk -v x="$1" -v m="${2%% *}" -v f="$3" \
		'BEGIN { exit !(x <= f * m && -x <= f * m) }'
}

boot() { # boot NAME KERNEL IOMMU CMDLINE [ENDPOINTS] -> $tmp/NAME
	kb=$(prepared $KSET "$2") || return 1
	s=$(date +%s)
	lab/boot.sh "${kb% *}" "${kb#* }" "$tmp/$1" "${5:-$EPS}" "$3" "$4" \
		>/dev/null 2>"$tmp/$1.err" || { boot_failed "$tmp/$1" "$tmp/$1.err"; return 1; }
	echo "# boot $1: $(($(date +%s) - s)) s" >&2
}

# died_early KERNEL: no init (rdinit and root both missing), so the kernel
# panics before the lab's init says a word: boot.sh boots it once more
# (TCG's rare early faults), keeps the first console, and fails
died_early() {
	kb=$(prepared $KSET "$1") || return 1
	! lab/boot.sh "${kb% *}" "${kb#* }" "$tmp/died" "" none \
		"rdinit=/ib-none root=/dev/ib-none" >/dev/null 2>"$tmp/died.err" &&
		[ "$(grep -c 'booting once more' "$tmp/died.err")" = 1 ] &&
		grep -q 'Kernel panic' "$tmp/died.partial/console.died-early.log" &&
		grep -q 'Kernel panic' "$tmp/died.partial/console.log" &&
		[ ! -e "$tmp/died" ] || { sed 's/^/# /' "$tmp/died.err" >&2; return 1; }
}

# the console on the PCI serial port, to show it is refused
boot_on_ttyS2() {
	IB_BOOT_CONSOLE=ttyS2
	export IB_BOOT_CONSOLE
	boot "$@"
	r=$?
	unset IB_BOOT_CONSOLE
	return $r
}

for k in $(lab/kernels.sh names $KSET); do
	rel=$(lab/kernels.sh release $KSET "$k") || { t "$k is installed" false; continue; }
	role=$(build/iommu-bench config get $KSET "$k" role)
	t "$k ($rel) boots and runs $CYCLES cycles of each batch" \
		boot "$k" "$k" intel-iommu "ib.devices=$DEVS ib.cycles=$CYCLES ib.label=$k"
	csv=$tmp/$k/run/cycles.csv
	meta=$tmp/$k/run/meta.json
	[ -f "$csv" ] || { t "$k wrote cycles.csv" false; continue; }
	only "$csv" probes all > "$tmp/$k.all.csv"
	only "$csv" probes release > "$tmp/$k.rel.csv"
	only "$csv" probes core > "$tmp/$k.core.csv"
	all=$tmp/$k.all.csv
	t "$k: rows = 3 devices x $CYCLES cycles x 3 batches (all, release, core)" \
		[ "$(col "$csv" device | wc -l) $(col "$tmp/$k.rel.csv" device | wc -l)" = "$((9 * CYCLES)) $((3 * CYCLES))" ]
	t "$k: every cycle traced" all "$csv" traced == 1
	t "$k: one release per device per cycle, with every probe" all "$all" releases == 1
	t "$k: ... and with the release span's ends only" all "$tmp/$k.rel.csv" releases == 1
	t "$k: the release span is iommu_bus_notifier" meta_has "$meta" '"release_function":"iommu_bus_notifier"'
	t "$k: with its ends only, nothing fires inside it" all "$tmp/$k.rel.csv" release_hits == 0
	t "$k: with every probe, probes fire inside it" all "$all" release_hits '>' 0
	t "$k: the core function's cycles time it alone, one call each" all "$tmp/$k.core.csv" core_calls == 1
	t "$k: ... with the release span off" all "$tmp/$k.core.csv" releases == 0
	t "$k: ... each call timed" all "$tmp/$k.core.csv" core_ns '>' 0
	t "$k: every release latency is positive" all "$tmp/$k.rel.csv" release_ns '>' 0
	t "$k: every remove phase timed by the module" all "$csv" phase1_ns '>' 0
	t "$k: no lost events" grep -q '"lost_events":false' "$meta"
	t "$k: one probe hit's cost measured, each kind" json "$meta" \
		'my $h = $j->{probe_cost}{hit_ns}; !grep { !defined $h->{$_} || $h->{$_} <= 0 } qw(tracepoint kprobe kprobe_dev kprobe_attach span_ends)'
	t "$k: a kprobe with a string fetch costs more than one without" json "$meta" \
		'$j->{probe_cost}{hit_ns}{kprobe_dev} > $j->{probe_cost}{hit_ns}{kprobe}'
	t "$k: meta.json gives where the run's time went" json "$meta" \
		'$j->{trace}{collector_setup_ms} > 0 && $j->{trace}{cycles_ms} > 0 && $j->{trace}{trace_dat_ms} > 0'
	no_splat "$k: no kernel warning" "$tmp/$k/dmesg.txt"
	t "$k: summary.json totals every release of the all-probe cycles, timed alone" \
		json "$tmp/$k/run/summary.json" \
		"\$j->{all}{releases} == 3 * $CYCLES && keys(%{\$j->{devices}}) == 3 && \$j->{all}{release_timed_with} eq 'its ends only' && \$j->{all}{core_latency_us}{n} == 3 * $CYCLES"
	t "$k: the run kept a trace.dat" [ -s "$tmp/$k/run/trace.dat" ]
	t "$k: importing it gives the live cycles.csv, each cycle's batch from the trace's markers" sh -c \
		"$IB import -o '$tmp/$k/imported' '$tmp/$k/run/trace.dat' && cmp '$csv' '$tmp/$k/imported/cycles.csv'"
	recs=$(sed -n 's/.*"records":\([0-9]*\),.*/\1/p' "$meta" | head -1)
	t "$k: trace-cmd report shows its $recs records" \
		[ "$(trace-cmd report "$tmp/$k/run/trace.dat" 2>/dev/null | grep -vc '^cpus=')" = "$recs" ]
	t "$k: trace.dat names the collector's task, not <...>" sh -c \
		"trace-cmd report '$tmp/$k/run/trace.dat' 2>/dev/null | grep -q ' iommu-bench-[0-9]* *\['"
	t "$k: meta.json gives each CPU's share of the records" \
		meta_has "$meta" '"cpus":[{"cpu":0,"records":'
	if [ "$role" = before ]; then
		t "$k: a release makes no domain switch" all "$all" release_switches == 0
		t "$k: ... the driver detaches the device itself, once (dmar_remove_one_dev_info)" \
			all "$all" release_internal_blocks == 1
		t "$k: the core function is iommu_release_device" \
			meta_has "$meta" '"core_function":"iommu_release_device"'
	else
		t "$k: every release makes exactly one switch" all "$all" release_switches == 1
		t "$k: ... the tracepoint does not show it" all "$all" release_switches_untraced == 1
		t "$k: ... none is traced" all "$all" release_switches_traced == 0
		t "$k: ... to the blocked domain" all_is "$all" release_target blocked
		t "$k: ... and the driver detaches nothing itself" all "$all" release_internal_blocks == 0
		t "$k: the core function is iommu_deinit_device" \
			meta_has "$meta" '"core_function":"iommu_deinit_device"'
		after=$k
	fi
	# the collector's timing against the kernel's function_graph tracer
	t "$k: function_graph guest boots" boot "fgraph-$k" "$k" intel-iommu "ib.script=fgraph.sh"
	guest_tap "$tmp/fgraph-$k" "fgraph-$k"
	only "$tmp/fgraph-$k/ours/cycles.csv" probes core |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "core_ns") a = i; if ($i == "core_calls") b = i }; next }
			$b > 0 { printf "%.3f\n", $a / $b / 1000 }' > "$tmp/$k.ours"
	fn=$(cat "$tmp/fgraph-$k/function" 2>/dev/null)
	# each call's return, raw: its calltime and rettime in hex ns
	trace-cmd report -R "$tmp/fgraph-$k/fgraph.dat" 2>/dev/null | perl -ne 'printf "%.3f\n", (hex($2) - hex($1)) / 1000
		if /funcgraph_exit: +func=\Q'"$fn"'\E .*calltime=([0-9a-f]+) rettime=([0-9a-f]+)/' \
		> "$tmp/$k.fgraph"
	ours=$(tests/lab/median-ci.pl < "$tmp/$k.ours" 2>/dev/null)
	fgr=$(tests/lab/median-ci.pl < "$tmp/$k.fgraph" 2>/dev/null)
	echo "# $k $fn, median us [95% CI] n: collector $ours; function_graph $fgr"
	t "$k: 45 calls of $fn timed each way" sh -c "[ \$(wc -l < $tmp/$k.ours) = 45 ] && [ \$(wc -l < $tmp/$k.fgraph) = 45 ]"
	# what each tool adds to a call of its own, in us: a span's two ends
	# (ours), the calls under function_graph less the calls alone
	cost=$(perl -MJSON::PP -e 'local $/; my @j = map { open my $f, "<", $_ or exit 1; decode_json(<$f>) } @ARGV;
		printf "%.3f %.3f\n", $j[0]{hit_ns}{span_ends} / 1000, ($j[2]{bare_call_ns} - $j[1]{bare_call_ns}) / 1000' \
		"$tmp/fgraph-$k/cost.json" "$tmp/fgraph-$k/bare.json" "$tmp/fgraph-$k/bare-fgraph.json" 2>/dev/null)
	echo "# $k one call's own cost, us: collector span ends, function_graph: $cost"
	t "$k: both tools' own cost per call measured" sh -c "echo '$cost' | grep -qE '^[0-9.]+ [0-9.]+$'"
	diff=$(rank_diff "$tmp/$k.ours" "$tmp/$k.fgraph")
	echo "# $k collector less function_graph, median of each rank's difference: $diff us"
	t "$k: the collector and function_graph time the same calls alike, within a quarter" \
		within "$diff" "$fgr" 0.25
	# VT-d in scalable mode: the PASID-entry work is counted
	t "$k: scalable-mode guest boots" boot "scalable-$k" "$k" intel-iommu-sm \
		"ib.script=scalable.sh"
	guest_tap "$tmp/scalable-$k" "scalable-$k"
	t "$k: modes guest boots" boot "modes-$k" "$k" intel-iommu \
		"ib.script=modes.sh ib.role=$role" "e1000e@10 e1000e@11 e1000@br.1 e1000@br.2"
	guest_tap "$tmp/modes-$k" "modes-$k"
done

if [ -n "${after:-}" ]; then
	# a group of three behind the PCI bridge, for owned mode's refusal;
	# an NVMe controller with SR-IOV behind a root port
	t "refusals guest boots" boot refusals "$after" intel-iommu \
		"ib.script=refusals.sh ib.modules=nvme" \
		"$EPS e1000@br.1 e1000@br.2 e1000@br.3 nvme@rp.9"
	guest_tap "$tmp/refusals" refusals
	# a group that spans buses: two endpoints behind a switch without ACS
	t "group-buses guest boots" boot group-buses "$after" intel-iommu \
		"ib.script=group-buses.sh" "e1000e@10 e1000e@sw.1 e1000e@sw.2"
	guest_tap "$tmp/group-buses" group-buses
	t "no-iommu guest boots" boot no-iommu "$after" none "ib.script=no-iommu.sh"
	guest_tap "$tmp/no-iommu" no-iommu
	t "a kernel that dies before the lab's init is booted twice, then fails" \
		died_early "$after"
	t "adaptive guest boots" boot adaptive "$after" intel-iommu "ib.script=adaptive.sh"
	guest_tap "$tmp/adaptive" adaptive
	t "probe-effect guest boots" boot probe-effect "$after" intel-iommu "ib.script=probe-effect.sh"
	guest_tap "$tmp/probe-effect" probe-effect
	t "trace-cmd guest boots" boot tracecmd "$after" intel-iommu "ib.script=tracecmd.sh"
	guest_tap "$tmp/tracecmd" tracecmd
	t "abi guest boots" boot abi "$after" intel-iommu "ib.script=abi.sh"
	guest_tap "$tmp/abi" abi
	# debugfs off, as lockdown hides it: the control device needs none
	t "no-debugfs guest boots" boot no-debugfs "$after" intel-iommu \
		"ib.script=no-debugfs.sh debugfs=off"
	guest_tap "$tmp/no-debugfs" no-debugfs
	# the longest guest (3 min here): three times the others' limit, as
	# on a host loaded to a third of a core it took more than 10 min
	limit=${IB_BOOT_TIMEOUT:-600}
	IB_BOOT_TIMEOUT=$((limit * 3))
	export IB_BOOT_TIMEOUT
	t "faults guest boots" boot faults "$after" intel-iommu \
		"ib.script=faults.sh" "e1000e@10 e1000e@11 e1000@br.1 e1000@br.2"
	IB_BOOT_TIMEOUT=$limit
	guest_tap "$tmp/faults" faults
	# an endpoint behind a hot-plug root port, unplugged mid-run
	t "unplug guest boots" boot unplug "$after" intel-iommu \
		"ib.script=unplug.sh" "e1000e@10 e1000e@rp.9"
	guest_tap "$tmp/unplug" unplug
	# 6.12: its virtio and virtio_pci are built in, virtio_blk a module
	t "in-use guest boots" boot_on_ttyS2 in-use "$after" \
		intel-iommu "ib.script=in-use.sh" "e1000e@10 virtio-blk-pci@14 pci-serial@13 nvme-mpath@15"
	guest_tap "$tmp/in-use" in-use
fi
tap_done
