#!/bin/sh
# End-to-end lab test on Debian's 6.1 and 6.12 (TAP, plan at the end).
# Boots each kernel in QEMU, runs a few remove cycles on three endpoints
# and asserts what is true of these kernels:
#   6.1  - a release makes no domain switch;
#   6.12 - every release makes exactly one switch, to the blocked domain,
#          that iommu:attach_device_to_domain does not show;
#   both - one positive release latency per device per cycle, no lost
#          events, no kernel warning.
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

boot() { # boot NAME KERNEL IOMMU CMDLINE [ENDPOINTS] -> $tmp/NAME
	kb=$(lab/prepare-kernel.sh $KSET "$2") || return 1
	lab/boot.sh "${kb% *}" "${kb#* }" "$tmp/$1" "${5:-$EPS}" "$3" "$4" \
		>/dev/null 2>"$tmp/$1.err" || { sed 's/^/# /' "$tmp/$1.err"; return 1; }
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
	t "$k ($rel) boots and runs $CYCLES cycles" \
		boot "$k" "$k" intel-iommu "ib.devices=$DEVS ib.cycles=$CYCLES ib.label=$k"
	csv=$tmp/$k/run/cycles.csv
	[ -f "$csv" ] || { t "$k wrote cycles.csv" false; continue; }
	t "$k: rows = 3 devices x $CYCLES cycles" [ "$(col "$csv" device | wc -l)" = $((3 * CYCLES)) ]
	t "$k: every cycle traced" all "$csv" traced == 1
	t "$k: one release per device per cycle" all "$csv" releases == 1
	t "$k: every release latency is positive" all "$csv" release_ns '>' 0
	t "$k: every remove phase timed by the module" all "$csv" phase1_ns '>' 0
	t "$k: no lost events" grep -q '"lost_events":false' "$tmp/$k/run/meta.json"
	no_splat "$k: no kernel warning" "$tmp/$k/dmesg.txt"
	t "$k: summary.json totals every release" json "$tmp/$k/run/summary.json" \
		"\$j->{all}{releases} == 3 * $CYCLES && keys(%{\$j->{devices}}) == 3"
	t "$k: the run kept a trace.dat" [ -s "$tmp/$k/run/trace.dat" ]
	t "$k: importing it gives the live cycles.csv" sh -c \
		"$IB import -o '$tmp/$k/imported' '$tmp/$k/run/trace.dat' && cmp '$csv' '$tmp/$k/imported/cycles.csv'"
	recs=$(sed -n 's/.*"records":\([0-9]*\),.*/\1/p' "$tmp/$k/run/meta.json" | head -1)
	t "$k: trace-cmd report shows its $recs records" \
		[ "$(trace-cmd report "$tmp/$k/run/trace.dat" 2>/dev/null | grep -vc '^cpus=')" = "$recs" ]
	t "$k: trace.dat names the collector's task, not <...>" sh -c \
		"trace-cmd report '$tmp/$k/run/trace.dat' 2>/dev/null | grep -q ' iommu-bench-[0-9]* *\['"
	t "$k: meta.json gives each CPU's share of the records" \
		meta_has "$tmp/$k/run/meta.json" '"cpus":[{"cpu":0,"records":'
	if [ "$role" = before ]; then
		t "$k: a release makes no domain switch" all "$csv" release_switches == 0
		t "$k: release function is iommu_release_device" \
			grep -q '"release_function":"iommu_release_device"' "$tmp/$k/run/meta.json"
	else
		t "$k: every release makes exactly one switch" all "$csv" release_switches == 1
		t "$k: ... the tracepoint does not show it" all "$csv" release_switches_untraced == 1
		t "$k: ... none is traced" all "$csv" release_switches_traced == 0
		t "$k: ... to the blocked domain" all_is "$csv" release_target blocked
		after=$k
	fi
	t "$k: modes guest boots" boot "modes-$k" "$k" intel-iommu \
		"ib.script=modes.sh ib.role=$role" "e1000e@10 e1000e@11 e1000@br.1 e1000@br.2"
	guest_tap "$tmp/modes-$k" "modes-$k"
done

if [ -n "${after:-}" ]; then
	t "refusals guest boots" boot refusals "$after" intel-iommu "ib.script=refusals.sh"
	guest_tap "$tmp/refusals" refusals
	t "no-iommu guest boots" boot no-iommu "$after" none "ib.script=no-iommu.sh"
	guest_tap "$tmp/no-iommu" no-iommu
	t "adaptive guest boots" boot adaptive "$after" intel-iommu "ib.script=adaptive.sh"
	guest_tap "$tmp/adaptive" adaptive
	t "probe-effect guest boots" boot probe-effect "$after" intel-iommu "ib.script=probe-effect.sh"
	guest_tap "$tmp/probe-effect" probe-effect
	t "trace-cmd guest boots" boot tracecmd "$after" intel-iommu "ib.script=tracecmd.sh"
	guest_tap "$tmp/tracecmd" tracecmd
	t "abi guest boots" boot abi "$after" intel-iommu "ib.script=abi.sh"
	guest_tap "$tmp/abi" abi
	# 6.12: its virtio and virtio_pci are built in, virtio_blk a module
	t "in-use guest boots" boot_on_ttyS2 in-use "$after" \
		intel-iommu "ib.script=in-use.sh" "e1000e@10 virtio-blk-pci@14 pci-serial@13"
	guest_tap "$tmp/in-use" in-use
fi
tap_done
