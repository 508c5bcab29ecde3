#!/bin/sh
# iommu-bench import on recorded traces (tests/fixtures): a trace.dat
# analysed after the fact gives the cycles.csv the run wrote live, and
# what each kernel is known to do; bad files are refused cleanly.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
FX=tests/fixtures
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ib() { $IB "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
err_has() { grep -q -- "$1" "$tmp/err" || { sed 's/^/#   stderr: /' "$tmp/err"; false; }; }

for f in debian-6.1-remove debian-6.12-remove debian-6.12-owned; do
	ib import -l "$f" -o "$tmp/$f" "$FX/$f/trace.dat"
	t "$f: import exits 0" [ "$rc" = 0 ]
	t "$f: imported cycles.csv is the one the run wrote live" \
		cmp "$FX/$f/cycles.csv" "$tmp/$f/cycles.csv"
	t "$f: meta.json counts every record of the file" \
		grep -q "\"records\":$(cat "$FX/$f/records")," "$tmp/$f/meta.json"
	if command -v trace-cmd >/dev/null; then
		# report prints one "cpus=N" line, then one line per record
		t "$f: trace-cmd report reads the same records" \
			[ "$(trace-cmd report "$FX/$f/trace.dat" 2>/dev/null | grep -vc '^cpus=')" = "$(cat "$FX/$f/records")" ]
	fi
done
# the counts from the cycles with every probe, as the analysis takes them
for f in debian-6.1-remove debian-6.12-remove debian-6.12-owned; do
	only "$tmp/$f/cycles.csv" probes all > "$tmp/$f.all.csv"
	only "$tmp/$f/cycles.csv" probes release > "$tmp/$f.rel.csv"
	kinds=$(col "$tmp/$f/cycles.csv" probes | sort -u | tr '\n' ' ')
	t "$f: each batch's cycles known from the trace's markers: all, release, core" \
		[ "$kinds" = "all core release " ]
	t "$f: nothing fired inside a release timed alone" all "$tmp/$f.rel.csv" release_hits == 0
done
r=$tmp/debian-6.1-remove.all.csv
t "6.1: no domain switch in a release" all_is "$r" release_switches 0
t "6.1: one context clear per release" all_is "$r" release_ctx 1
t "6.1: two invalidation waits per release" all_is "$r" release_inval 2
r=$tmp/debian-6.12-remove.all.csv
t "6.12: one release switch, to the blocked domain" all_is "$r" release_target blocked
t "6.12: ... that the core tracepoint does not show" all_is "$r" release_switches_untraced 1
t "6.12: one context clear per release" all_is "$r" release_ctx 1
t "6.12: transient block at re-probe" all_is "$r" phase2_transient 1
s=$tmp/debian-6.12-remove/summary.json
t "6.12 summary.json: 6 releases, 6 untraced switches to blocked" json "$s" \
	'my $a = $j->{all}; $a->{releases} == 6 && $a->{windows}{release}{untraced} == 6 && $a->{release_targets}{blocked} == 6'
t "6.12 summary.json: per device, its median release latency inside its range" json "$s" \
	'my $l = $j->{devices}{"0000:00:10.0"}{release_latency_us}; $l->{n} == 3 && $l->{min} <= $l->{median} && $l->{median} <= $l->{max}'
r=$tmp/debian-6.12-owned.all.csv
t "6.12 owned: the release switch is redundant" all_is "$r" release_switches_redundant 1
t "imported meta.json names the mode" grep -q '"mode":"owned"' "$tmp/debian-6.12-owned/meta.json"
ib compare -o "$tmp/cmp" "$tmp/debian-6.1-remove" "$tmp/debian-6.12-remove"
t "imported results can be compared" [ "$rc" = 0 ]

# SMMUv3 on arm64 (6.12 from source): arm_smmu_release_device() attaches
# blocked itself, a driver-internal block; from 6.19 (release_domain)
# the same attach is the core's switch: the kernel picks the pack's rule
a=$FX/arm64-6.12-remove/trace.dat
ib import -o "$tmp/a1" "$a"
t "arm64 6.12: import gives the live cycles.csv back" cmp "$FX/arm64-6.12-remove/cycles.csv" "$tmp/a1/cycles.csv"
t "... says which kernels' rule it counted by, having no uname" \
	err_has 'by their rules for kernels before 6.19 (--release says which kernel it is)'
only "$tmp/a1/cycles.csv" probes all > "$tmp/a1.all.csv"
t "... the driver detaches the device itself, once per release" all_is "$tmp/a1.all.csv" release_internal_blocks 1
t "... and the core switches nothing" all_is "$tmp/a1.all.csv" release_switches 0
ib import -r 6.12.118 -o "$tmp/a2" "$a"
t "--release 6.12.118: the same cycles.csv" cmp "$FX/arm64-6.12-remove/cycles.csv" "$tmp/a2/cycles.csv"
t "... its meta.json names that kernel, from --release" sh -c \
	"grep -q '\"kernel_release\":\"6.12.118\"' $tmp/a2/meta.json && grep -q '\"from\":\"--release' $tmp/a2/meta.json"
ib import -r 6.19.0 -o "$tmp/a3" "$a"
only "$tmp/a3/cycles.csv" probes all > "$tmp/a3.all.csv"
t "--release 6.19.0: import exits 0" [ "$rc" = 0 ]
t "... each release is one core switch" all_is "$tmp/a3.all.csv" release_switches 1
t "... to the blocked domain" all_is "$tmp/a3.all.csv" release_target blocked
t "... and no driver-internal block" all_is "$tmp/a3.all.csv" release_internal_blocks 0
ib import -r 6.x -o "$tmp/a4" "$a"
t "--release that is no release: exit 2, nothing written" sh -c "[ $rc = 2 ] && [ ! -e $tmp/a4 ]"
t "... named" err_has "'6.x' is not a kernel release"

# bad input: clear error, non-zero exit, nothing written
ib import "$FX/debian-6.1-remove/trace.dat"
t "import without -o: exit 2" sh -c "[ $rc = 2 ] && grep -q 'needs -o OUT' $tmp/err"
ib import -o "$tmp/x" "$tmp/none.dat"
t "missing file named: exit 2" sh -c "[ $rc = 2 ] && grep -q '$tmp/none.dat: No such file' $tmp/err"
ib import -o "$tmp/x" "$FX/debian-6.1-remove/cycles.csv"
t "a file that is not a trace.dat is refused" sh -c "[ $rc = 1 ] && grep -q 'not a trace.dat' $tmp/err"
# perf record's magic, then a header's worth of zeros
{ printf PERFILE2; head -c 96 /dev/zero; } > "$tmp/perf.data"
ib import -o "$tmp/x" "$tmp/perf.data"
t "a perf.data with a damaged header is refused, named as one" sh -c \
	"[ $rc = 1 ] && grep -q 'perf.data: its header is damaged' $tmp/err && [ ! -e '$tmp/x' ]"
# perf record -o -: the pipe header is the magic and its size, 16
{ printf PERFILE2; printf '\020\0\0\0\0\0\0\0'; head -c 200 /dev/zero; } > "$tmp/pipe.data"
ib import -o "$tmp/x" "$tmp/pipe.data"
t "a perf.data recorded to a pipe is refused, saying how to convert it" sh -c \
	"[ $rc = 1 ] && grep -q 'recorded to a pipe.*perf inject' $tmp/err && [ ! -e '$tmp/x' ]"
head -c 20000 "$FX/debian-6.12-remove/trace.dat" > "$tmp/cut.dat"
ib import -o "$tmp/x" "$tmp/cut.dat"
t "a truncated trace.dat is refused" [ "$rc" = 1 ]
ib import -b -3 -o "$tmp/x" "$FX/debian-6.1-remove/trace.dat"
t "bad --boot: exit 2" sh -c "[ $rc = 2 ] && grep -q 'boot' $tmp/err"
ib import -o "$tmp/debian-6.1-remove" "$FX/debian-6.1-remove/trace.dat"
t "existing result directory refused" sh -c "[ $rc = 2 ] && grep -q 'never overwritten' $tmp/err"
if command -v trace-cmd >/dev/null; then
	# a window of the trace before the first cycle: formats, no cycles
	first=$(trace-cmd report "$FX/debian-6.1-remove/trace.dat" 2>/dev/null |
		awk '/run_start/ { sub(":", "", $3); print $3; exit }')
	trace-cmd split -i "$FX/debian-6.1-remove/trace.dat" -o "$tmp/early.dat" \
		0 "$(echo "$first" | awk '{ printf "%.6f", $1 - 0.000001 }')" >/dev/null 2>&1
	# split numbers its output: early.dat.1
	ib import -o "$tmp/x" "$tmp/early.dat.1"
	t "a trace with no cycle of the module is refused" \
		sh -c "[ $rc = 1 ] && grep -q 'no cycle of the module' $tmp/err"
fi
t "refused imports wrote nothing" sh -c "! ls -d $tmp/x* 2>/dev/null"
tap_done
