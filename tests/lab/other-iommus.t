#!/bin/sh
# The AMD-Vi and virtio-iommu probe packs on Debian's 6.12 in the lab
# (QEMU's amd-iommu and virtio-iommu-pci; TAP, plan at the end).  What
# these kernels do, as the trace shows it:
#   AMD    - no release_domain: a release makes no domain switch; the
#            driver clears the device's DTE itself (detach_device, one
#            driver-internal block; dev_update_dte with set=0, one DTE
#            clear) and waits for command completions;
#   virtio - no release_domain: no switch at release; the driver detaches
#            the endpoint itself (one driver-internal block): one
#            synchronous request (the DETACH) and its wait;
#   both   - the re-probe at rescan is one traced attach to a DMA domain.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
KSET=configs/kernels/debian.conf
K=debian-6.12
DEVS=0000:00:10.0,0000:00:11.0
EPS="e1000e@10 e1000e@11"
CYCLES=3
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# hits FILE PROBE: the probe's hits from meta.json probes[]
hits() { tr -d ' \n' < "$1" | grep -o "\"name\":\"$2\",[^}]*" | sed -n 's/.*"hits":\([0-9]*\).*/\1/p'; }

kb=$(lab/prepare-kernel.sh $KSET $K) || { t "$K is prepared" false; tap_done; exit; }
for iommu in amd-iommu virtio-iommu; do
	case $iommu in
	amd-iommu) drv=amd mods= ;;
	virtio-iommu) drv=virtio mods="ib.modules=virtio-iommu,e1000e" ;;
	esac
	out=$tmp/$drv
	t "$drv: $K boots with $iommu and runs $CYCLES cycles" sh -c \
		"lab/boot.sh '${kb% *}' '${kb#* }' '$out' '$EPS' $iommu \
		 'ib.devices=$DEVS ib.cycles=$CYCLES ib.label=$drv ib.extra=--batches,all $mods' >/dev/null 2>'$tmp/$drv.err'" ||
		boot_failed "$out" "$tmp/$drv.err"
	csv=$out/run/cycles.csv m=$out/run/meta.json
	[ -f "$csv" ] || { t "$drv: wrote cycles.csv" false; continue; }
	t "$drv: rows = 2 devices x $CYCLES cycles" [ "$(col "$csv" device | wc -l)" = $((2 * CYCLES)) ]
	t "$drv: the $drv pack was chosen" meta_has "$m" "\"iommu_driver\":\"$drv\""
	t "$drv: no lost events, no probe miss" \
		meta_has "$m" '"probe_misses":0,"lost_events":false'
	no_splat "$drv: no kernel warning" "$out/dmesg.txt"
	t "$drv: one release per device per cycle" all "$csv" releases == 1
	t "$drv: no domain switch in a release" all "$csv" release_switches == 0
	t "$drv: re-probe is one traced switch" all "$csv" phase2_switches_traced == 1
	t "$drv: importing trace.dat gives the live cycles.csv" sh -c \
		"$IB import -o '$out/imported' '$out/run/trace.dat' >/dev/null && cmp '$csv' '$out/imported/cycles.csv'"
	case $drv in
	amd)
		t "amd: the DTE is cleared by the driver in each release" \
			all "$csv" release_internal_blocks == 1
		t "amd: ... with command completion waits" all "$csv" release_inval '>=' 1
		t "amd: ... and one DTE clear (dev_update_dte, set=0)" all "$csv" release_ctx == 1
		t "amd: the re-probe sets the DTE once (set=1 is no clear)" all "$csv" phase2_ctx == 1
		t "amd: amd_iommu_attach_device hit at each re-probe" \
			[ "$(hits "$m" amd_attach_paging)" = $((2 * CYCLES)) ]
		;;
	virtio)
		t "virtio: the driver detaches the endpoint itself in each release" \
			all "$csv" release_internal_blocks == 1
		t "virtio: one synchronous request per release (DETACH)" all "$csv" release_ctx == 1
		t "virtio: ... and its wait" all "$csv" release_inval == 1
		t "virtio: viommu_attach_dev hit at each re-probe" \
			[ "$(hits "$m" virtio_attach)" = $((2 * CYCLES)) ]
		;;
	esac
done
tap_done
