#!/bin/sh
# Guest soak (TAP), on the debug kernel: every mode of the module for
# ib.soak_cycles cycles (default 10000), in runs of ib.soak_chunk cycles
# (default 50, the trace drained every 10 cycles), with only the
# release span's ends armed.  Per run it keeps the median release latency
# (cycle time where nothing is released) and whether events were lost,
# and the unreclaimable slab and module memory after it, in
# /out/soak/MODE.medians, for lab/soak.sh to test for drift; kmemleak
# is cleared before and scanned after; any splat fails.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
arg() { sed -n "s/.*ib\.$1=\([0-9]*\).*/\1/p" /proc/cmdline; }
cycles=$(arg soak_cycles)
chunk=$(arg soak_chunk)
cycles=${cycles:-10000} chunk=${chunk:-50}
# ib.soak_modes=remove,group: only these modes (default all five)
modes=$(sed -n 's/.*ib\.soak_modes=\([a-z,]*\).*/\1/p' /proc/cmdline)
modes=${modes:-remove,unbind,owned,claim,group}
[ "$chunk" -le "$cycles" ] || chunk=$cycles
runs=$((cycles / chunk))
K=/sys/kernel/debug/kmemleak
mkdir -p /out/soak

# median COLUMN [PER]: median of COLUMN (divided by PER when > 0) of a
# cycles.csv on stdin, over the rows that have it
median() {
	awk -F, -v col="$1" -v per="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) { if ($i == col) c = i; if ($i == per) p = i } next }
		p && $p > 0 { print $c / $p; next }
		!p && $c > 0 { print $c }' | sort -n |
	awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2); else print 0 }'
}

insmod /lib/iommu_bench.ko
t "insmod" grep -q iommu_bench /proc/modules
t "kmemleak is on" [ -e $K ]
# what boot leaked is not ours: only what the soak leaves counts
echo scan > $K 2>/dev/null
echo clear > $K 2>/dev/null
# a driver for the unbind mode's device (the stand-in when none bound it)
if [ -z "$(driver 0000:00:10.0)" ]; then
	echo iommu_bench_dma > /sys/bus/pci/devices/0000:00:10.0/driver_override
	echo 0000:00:10.0 > /sys/bus/pci/drivers_probe
fi
d2=$(driver 0000:01:02.0)

# soak MODE ARGS...: $runs runs of $chunk cycles
soak() {
	mode=$1
	shift
	case ",$modes," in *",$mode,"*) ;; *) return 0 ;; esac
	: > /out/soak/$mode.medians
	i=1 ok=0
	while [ $i -le $runs ]; do
		rm -rf /tmp/s /tmp/s.failed /tmp/s.partial
		iommu-bench run -q -m "$mode" "$@" -n "$chunk" --batches release \
			--chunks $(((chunk + 9) / 10)) --no-probe-cost --no-trace-dat \
			-o /tmp/s 2>/tmp/err &&
			ok=$((ok + 1))
		sed 's/^/# /' /tmp/err
		rel=$(median release_ns releases < /tmp/s/cycles.csv 2>/dev/null)
		cyc=$(median cycle_ns < /tmp/s/cycles.csv 2>/dev/null)
		lost=$(grep -c '"lost_events":true' /tmp/s/meta.json 2>/dev/null)
		# the evidence of a loss: which counter said so
		[ "${lost:-0}" = 0 ] || cp /tmp/s/meta.json /out/soak/$mode-$i.meta.json
		# what stays allocated: unreclaimable slab, and the module's
		# memory (its size in /proc/modules), in kB
		slab=$(awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo)
		mod=$(awk '$1 == "iommu_bench" { print int($2 / 1024) }' /proc/modules)
		echo "$i $rel $cyc $lost $slab $mod" >> /out/soak/$mode.medians
		rm -rf /tmp/s /tmp/s.failed /tmp/s.partial
		i=$((i + 1))
	done
	t "$mode: $runs runs of $chunk cycles" [ $ok = $runs ]
	t "$mode: no run lost events" sh -c "! awk '\$4 != 0' /out/soak/$mode.medians | grep -q ."
}

# which slab caches grow: bytes (objects x size) before and after
slab_bytes() { awk 'NR > 2 { print $1, $3 * $4 }' /proc/slabinfo 2>/dev/null; }
slab_bytes > /tmp/slab0
soak remove -d 0000:00:10.0,0000:00:11.0
soak unbind -d 0000:00:10.0
soak owned --owner 0000:01:01.0 -d 0000:01:02.0
[ -n "$d2" ] && echo 0000:01:02.0 > "/sys/bus/pci/devices/0000:01:02.0/driver/unbind"
soak claim -d 0000:01:01.0
[ -n "$d2" ] && echo 0000:01:02.0 > "/sys/bus/pci/drivers/$d2/bind"
soak group -d 0000:01:01.0,0000:01:02.0

slab_bytes > /tmp/slab1
awk 'NR == FNR { was[$1] = $2; next } { print $2 - was[$1], $1, was[$1] + 0, $2 }' \
	/tmp/slab0 /tmp/slab1 | sort -rn |
	head -n 12 > /out/soak/slab-growth.txt
echo "# slab caches that grew most (bytes grown, cache, before, after):"
sed 's/^/#   /' /out/soak/slab-growth.txt
t "every device is still there" sh -c \
	"for d in 0000:00:10.0 0000:00:11.0 0000:01:01.0 0000:01:02.0; do [ -e /sys/bus/pci/devices/\$d ] || exit 1; done"
t "rmmod" rmmod iommu_bench
# kmemleak reports an object unreferenced for 5 s, after two scans
sleep 6
echo scan > $K
sleep 6
echo scan > $K
cat $K > /out/soak/kmemleak.txt
sed -n '1,40s/^/#   /p' /out/soak/kmemleak.txt
t "kmemleak: no object leaked during the soak" [ ! -s /out/soak/kmemleak.txt ]
no_splat "no kernel warning, bug or oops"
tap_done
