#!/bin/sh
# iommu-bench import of a perf.data (tests/fixtures/debian-6.12-perf,
# recorded by tests/lab/guest/perf.sh): perf record of a --no-trace run
# counts what the collector's own traced run of as many cycles counted,
# cycle by cycle; what would make its counts wrong (lost samples, no -a,
# an event not recorded, another kernel's rules, a damaged or cut file)
# is said or refused, with nothing written when refused.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
FX=tests/fixtures/debian-6.12-perf
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ib() { $IB "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
err_has() { grep -q -- "$1" "$tmp/err" || { sed 's/^/#   stderr: /' "$tmp/err"; false; }; }
# counts FILE (tests/tap.sh): its rows without times and span_irqs (perf
# recorded no interrupt events)
# patch IN OUT PERL: OUT is IN with the perl substitution applied to its
# bytes, the same length (every offset in the file stays true)
patch() {
	perl -0777 -pe "$3" < "$1" > "$2"
	[ "$(wc -c < "$1")" = "$(wc -c < "$2")" ] && ! cmp -s "$1" "$2"
}
# first_sample_as TYPE IN OUT: OUT is IN with its first sample record
# (type 9; the data section's offset is at 40) given record type TYPE
first_sample_as() {
	perl -e 'local $/; my $d = <STDIN>; my $o = unpack("Q<", substr($d, 40, 8));
		while (unpack("L<", substr($d, $o, 4)) != 9) { $o += unpack("S<", substr($d, $o + 6, 2)) }
		substr($d, $o, 4) = pack("L<", $ARGV[0]); print $d' "$1" < "$2" > "$3"
}

ib import -o "$tmp/p" "$FX/perf.data"
t "import of perf record's perf.data exits 0" [ "$rc" = 0 ]
t "... with no warning" [ ! -s "$tmp/err" ] || sed 's/^/# /' "$tmp/err"
counts "$FX/cycles.csv" > "$tmp/want"
counts "$tmp/p/cycles.csv" > "$tmp/got"
t "its counts are the collector's own run's, cycle by cycle (6 cycles)" sh -c \
	"cmp '$tmp/want' '$tmp/got' && [ \$(wc -l < '$tmp/got') = 7 ]"
t "... and they count domain switches" sh -c \
	"awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if (\$i ~ /_switches\$/) c[i] = 1; next }
		{ for (i in c) n += \$i } END { exit !(n > 0) }' '$tmp/p/cycles.csv'"
t "every cycle has its release timed" \
	[ "$(awk -F, 'NR > 1 && $11 == 1 && $12 > 0' "$tmp/p/cycles.csv" | wc -l)" = 6 ]
t "meta.json: the kernel from perf's header, the driver from the probes" sh -c \
	"grep -q '\"kernel_release\":\"6.12' '$tmp/p/meta.json' &&
	 grep -q '\"iommu_driver\":\"intel\"' '$tmp/p/meta.json' &&
	 grep -q '\"from\":\"the perf.data.s header and probes\"' '$tmp/p/meta.json'"
t "meta.json: its samples, none lost, recorded system-wide" sh -c \
	"tr -d ' \n' < '$tmp/p/meta.json' | grep -q '\"perf\":{\"samples\":[1-9][0-9]*,\"lost_samples\":0,\"system_wide\":true}'"
t "the return probes perf names NAME__return count as the pack's NAME_ret" \
	grep -q '"release_probe":"release"' "$tmp/p/meta.json"
$IB compare "$tmp/p" > "$tmp/cmp" 2>&1
crc=$?
t "compare reads the import and names its kernel" sh -c \
	"[ $crc = 0 ] && grep -q '6.12.118' '$tmp/cmp'" || sed 's/^/# /' "$tmp/cmp"

# the data section's records in reverse: perf writes each CPU's buffer in
# turn, so a file is in time order only per CPU
perl -e 'local $/; my $d = <STDIN>; my ($o, $n) = unpack("Q<Q<", substr($d, 40, 16));
	my @r; for (my $i = $o; $i < $o + $n; $i += unpack("S<", substr($d, $i + 6, 2))) {
		push @r, substr($d, $i, unpack("S<", substr($d, $i + 6, 2))) }
	substr($d, $o, $n) = join("", reverse @r); print $d' < "$FX/perf.data" > "$tmp/rev.data"
ib import -o "$tmp/rev" "$tmp/rev.data"
counts "$tmp/rev/cycles.csv" > "$tmp/got"
t "its records in reverse order in the file: the same counts (sorted by time)" \
	sh -c "[ $rc = 0 ] && ! cmp -s '$FX/perf.data' '$tmp/rev.data' && cmp '$tmp/want' '$tmp/got'"

ib import -o "$tmp/noa" "$FX/noa.data"
t "a recording without -a is imported ..." [ "$rc" = 0 ]
t "... with a warning that kernel threads' events are missing" \
	err_has "noa.data: recorded without -a"
t "... and system_wide false in meta.json" grep -q '"system_wide":false' "$tmp/noa/meta.json"

ib import -r 6.1.0 -o "$tmp/rel" "$FX/perf.data"
t "--release other than the kernel in its header: a warning names both" \
	sh -c "[ $rc = 0 ] && grep -q 'recorded on 6.12.*--release 6.1.0' '$tmp/err'"

# a sample turned into PERF_RECORD_LOST_SAMPLES (13), as perf writes
# when its buffer overflowed: the first record of type 9 in the data
first_sample_as 13 "$FX/perf.data" "$tmp/lost.data"
ib import -o "$tmp/lost" "$tmp/lost.data"
t "lost samples: imported with a warning that counts are incomplete" \
	sh -c "[ $rc = 0 ] && grep -q 'perf lost [1-9][0-9]* samples: counts are incomplete' '$tmp/err'"
t "... and lost_events true in meta.json" grep -q '"lost_events":true' "$tmp/lost/meta.json"

patch "$FX/perf.data" "$tmp/noattach.data" 's/name: attach_device_to_domain/name: attach_device_to_domaiX/'
ib import -o "$tmp/noattach" "$tmp/noattach.data"
t "no iommu:attach_device_to_domain recorded: a warning that no switch is counted" \
	sh -c "[ $rc = 0 ] && grep -q 'no iommu:attach_device_to_domain in it' '$tmp/err'"
patch "$FX/perf.data" "$tmp/norel.data" 's/name: release__return\n/name: releasX__return\n/; s/name: release\n/name: releasX\n/'
ib import -o "$tmp/norel" "$tmp/norel.data"
t "no release probe recorded: a warning that there is no release latency" \
	sh -c "[ $rc = 0 ] && grep -q 'no release probe of the packs' '$tmp/err'"
patch "$FX/perf.data" "$tmp/nocycle.data" 's/name: cycle_start\n/name: cycle_stArt\n/'
ib import -o "$tmp/x" "$tmp/nocycle.data"
t "no iommu_bench:cycle_start recorded: refused, saying what to record" \
	sh -c "[ $rc = 1 ] && grep -q 'no iommu_bench:cycle_start' '$tmp/err'"

# perf inject of a pipe recording may keep the formats only as a
# PERF_RECORD_HEADER_TRACING_DATA (66) record: the file with its tracing
# data feature moved into such a record at the data section's start
cat > "$tmp/topipe.pl" <<'PL'
local $/; my $d = <STDIN>;
my ($doff, $dsz) = unpack("Q<Q<", substr($d, 40, 16));
my @feat = unpack("Q<4", substr($d, 72, 32));
my $nfeat = 0; $nfeat += unpack("%32b*", pack("Q<", $_)) for @feat;
my $idx = $doff + $dsz;
my @ent = map { [unpack("Q<Q<", substr($d, $idx + 16 * $_, 16))] } 0 .. $nfeat - 1;
my ($toff, $tsz) = @{shift @ent};
my $al = ($tsz + 7) & ~7;
my $rec = pack("L<S<S<L<", 66, 0, 12, $al) . substr($d, $toff, $tsz) . ("\0" x ($al - $tsz));
my $shift = length($rec) - 16;
$feat[0] &= ~2;
my $out = substr($d, 0, $doff) . $rec . substr($d, $doff, $dsz) .
	join("", map { pack("Q<Q<", $_->[0] + $shift, $_->[1]) } @ent) .
	substr($d, $idx + 16 * $nfeat);
substr($out, 48, 8) = pack("Q<", $dsz + length($rec));
substr($out, 72, 32) = pack("Q<4", @feat);
print $out;
PL
perl "$tmp/topipe.pl" < "$FX/perf.data" > "$tmp/inj.data"
ib import -o "$tmp/inj" "$tmp/inj.data"
counts "$tmp/inj/cycles.csv" > "$tmp/got"
t "formats in a tracing data record, not the header (perf inject of a pipe): the same counts" \
	sh -c "[ $rc = 0 ] && cmp '$tmp/want' '$tmp/got' && grep -q '\"kernel_release\":\"6.12' '$tmp/inj/meta.json'"

# refusals: nothing written
head -c 30000 "$FX/perf.data" > "$tmp/cut.data"
ib import -o "$tmp/x" "$tmp/cut.data"
t "a perf.data cut short (perf record killed): refused" \
	sh -c "[ $rc = 1 ] && grep -q 'cut short' '$tmp/err'"
patch "$FX/perf.data" "$tmp/notd.data" 's/\x17\x08Dtracing/\x17\x08Dtrxcing/'
ib import -o "$tmp/x" "$tmp/notd.data"
t "damaged tracing data: refused, named" \
	sh -c "[ $rc = 1 ] && grep -q 'tracing data (the event formats) is damaged' '$tmp/err'"
# no HEADER_TRACING_DATA bit (feature 1 in the bitmap at 72)
perl -e 'local $/; my $d = <STDIN>; substr($d, 72, 1) = chr(ord(substr($d, 72, 1)) & ~2); print $d' \
	< "$FX/perf.data" > "$tmp/nofeat.data"
ib import -o "$tmp/x" "$tmp/nofeat.data"
t "no tracepoint formats (perf record of no tracepoint): refused, saying what to record" \
	sh -c "[ $rc = 1 ] && grep -q 'no tracepoint formats' '$tmp/err'"
# PERF_RECORD_COMPRESSED (81) where the first sample is: perf record -z
first_sample_as 81 "$FX/perf.data" "$tmp/z.data"
ib import -o "$tmp/x" "$tmp/z.data"
t "a compressed recording (perf record -z): refused, saying how to convert it" \
	sh -c "[ $rc = 1 ] && grep -q 'compressed (perf record -z).*perf inject' '$tmp/err'"
# HEADER_COMPRESSED (27): bit 3 of the bitmap's byte 75
perl -e 'local $/; my $d = <STDIN>; substr($d, 75, 1) = chr(ord(substr($d, 75, 1)) | 8); print $d' \
	< "$FX/perf.data" > "$tmp/zf.data"
ib import -o "$tmp/x" "$tmp/zf.data"
t "the compressed feature in the header: refused before any record is read" \
	sh -c "[ $rc = 1 ] && grep -q 'compressed (perf record -z)' '$tmp/err'"
# a field's offset far past any record: libtraceevent would read there
patch "$FX/perf.data" "$tmp/off.data" 's/unsigned short common_type;\toffset:0;/short common_type;\toffset: 100000000;/'
ib import -o "$tmp/x" "$tmp/off.data"
t "a format whose field lies past any record's end: refused, not read" \
	sh -c "[ $rc = 1 ] && grep -q 'event formats) is damaged' '$tmp/err'"
t "refused imports wrote nothing" sh -c "! ls -d $tmp/x* 2>/dev/null"
tap_done
