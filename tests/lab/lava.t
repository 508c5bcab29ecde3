#!/bin/sh
# LAVA (TAP, plan at the end): each Debian kernel of the lab booted as a
# LAVA job by lava-run on LAVA's own qemu device type (lab/lava-boot.sh),
# running the test definition lab/lava/iommu-bench.yaml; and the same run
# in a plain lab boot.  Asserts: the job and the definition pass, every
# count and latency is a LAVA test case with its measurement, those of
# iommu-bench compare of the result kept from the job's log; the kept
# results merge and compare; their counts equal the plain boot's.  Then
# what must fail: a run that fails (a failed test case, no result) and a
# job with nothing to run.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
KSET=configs/kernels/debian.conf
DEVS=0000:00:10.0,0000:00:11.0
EPS="e1000e@10 e1000e@11"
RUN="ib.run=remove/remove/2/$DEVS//--chunks,1"
. tests/tap.sh
tmp=$(mktemp -d)
trap '[ -n "${IB_KEEP:-}" ] || rm -rf "$tmp"' EXIT

for k in $(lab/kernels.sh names $KSET); do
	kb=$(prepared $KSET "$k") || { t "$k: prepared" false; continue; }
	s=$(date +%s)
	t "$k: a LAVA job boots it and runs the test definition" sh -c \
		"lab/lava-boot.sh ${kb% *} ${kb#* } $tmp/$k '$EPS' intel-iommu \
		'ib.label=$k ib.boot=1 $RUN' > $tmp/$k.out 2>&1" ||
		{ sed 's/^/# /' "$tmp/$k.out" >&2; continue; }
	echo "# LAVA job on $k: $(($(date +%s) - s)) s" >&2
	res=$tmp/$k/results.yaml
	t "$k: LAVA: the job passed" [ "$(case_of "$res" lava job)" = pass ]
	t "$k: LAVA: the test definition passed" [ "$(case_of "$res" lava 0_remove)" = pass ]
	t "$k: LAVA: case remove-module passed, the module already loaded (by the lab's init)" \
		[ "$(case_of "$res" 0_remove remove-module)" = "pass 0.0 loaded" ]
	t "$k: LAVA: case remove-run passed" [ "$(case_of "$res" 0_remove remove-run)" = pass ]
	t "$k: LAVA: no kernel splat during the run" \
		[ "$(case_of "$res" 0_remove remove-kernel-splats)" = "pass 0.0 lines" ]
	t "$k: the run's result directory came back out of the job's log" \
		[ -s "$tmp/$k/remove/meta.json" ] && [ -s "$tmp/$k/remove/trace.dat" ]
	t "$k: ... with the job's console" grep -q "IB-RESULT-END remove" "$tmp/$k/console.log"
	$IB compare --no-plots -o "$tmp/$k.cmp" "$tmp/$k/remove" > /dev/null
	ncases=$(measured "$res" "$tmp/$k.cmp/compare.csv")
	t "$k: LAVA: every latency median and count is a case, measured as compare has it ($ncases)" \
		[ "${ncases:-0}" -ge 20 ]
	case $(build/iommu-bench config get $KSET "$k" role) in
	before) want="pass 0.0 count" ;;
	*) want="pass 1.0 count" ;;
	esac
	t "$k: LAVA: switches per release: $want" \
		[ "$(case_of "$res" 0_remove remove-release_switches-per-release)" = "$want" ]
	t "$k: the same run in a plain lab boot" sh -c "lab/boot.sh ${kb% *} ${kb#* } $tmp/plain-$k \
		'$EPS' intel-iommu 'ib.label=$k ib.boot=1 $RUN' > /dev/null 2> $tmp/plain-$k.err" ||
		{ boot_failed "$tmp/plain-$k" "$tmp/plain-$k.err"; continue; }
	counts "$tmp/$k/remove/cycles.csv" > "$tmp/$k.counts"
	counts "$tmp/plain-$k/remove/cycles.csv" > "$tmp/plain-$k.counts"
	t "$k: the LAVA boot's counts equal the plain boot's, every column but times" \
		cmp "$tmp/$k.counts" "$tmp/plain-$k.counts"
	mkdir -p "$tmp/merged"
	t "$k: the kept result merges" sh -c "$IB merge -o $tmp/merged/$k $tmp/$k/remove > /dev/null"
done
t "the kernels' kept results compare, with a cover letter" sh -c \
	"cd $tmp/merged && $(pwd)/$IB compare -o cmp --no-plots $(lab/kernels.sh names $KSET | tr '\n' ' ') > /dev/null &&
	 grep -q 'release latency' cmp/cover-letter.txt"

# what must fail: a device that is not there
k=$(lab/kernels.sh names $KSET | tail -n 1)
kb=$(prepared $KSET "$k")
t "a run that fails: lava-boot.sh exits 1 and names it" sh -c \
	"! lab/lava-boot.sh ${kb% *} ${kb#* } $tmp/bad '$EPS' intel-iommu \
		'ib.run=bad/remove/2/0000:00:1f.7//' > $tmp/bad.out 2>&1 &&
	 grep -q 'run bad gave no result' $tmp/bad.out"
t "... no result directory" [ ! -e "$tmp/bad" ]
t "... LAVA: the job itself passed" [ "$(case_of "$tmp/bad.partial/results.yaml" lava job)" = pass ]
t "... case bad-run failed, with run's exit status 2 (bad argument)" \
	[ "$(case_of "$tmp/bad.partial/results.yaml" 0_bad bad-run)" = "fail 2.0 exit" ]
t "a job with nothing to run is refused before LAVA, nothing left behind" sh -c \
	"! lab/lava-boot.sh ${kb% *} ${kb#* } $tmp/none '$EPS' intel-iommu 'ib.label=x' 2> $tmp/none.err &&
	 grep -q 'nothing for LAVA to run' $tmp/none.err && [ ! -e $tmp/none ] && [ ! -e $tmp/none.partial ]"
tap_done
