#!/bin/sh
# Benchmark (not a test): the collector's parse of a large trace against
# trace-cmd report on the same file.  One lab boot records >= 1 million
# events (claim mode, 30000 cycles, Debian 6.12); trace-cmd split cuts
# the first 111000 and 370000 events from it; each file is then read by
# "iommu-bench import" (decode + accounting, cycles.csv written) and by
# "trace-cmd report >/dev/null", 3 times each: median wall time and the
# largest resident set size (GNU time).  Also on the uncompressed
# (version 6) copy of the whole file.
#   lab/bench-parse.sh      writes results/<time>-bench-parse/parse.txt
#   lab/bench-parse.sh DIR  measures again on DIR, an earlier one's files
# Run it on an otherwise idle machine: the figures are wall times.
set -eu
cd "$(dirname "$0")/.."
IB=build/iommu-bench
KSET=configs/kernels/debian.conf
if [ $# -eq 1 ]; then
	out=$1
else
	out=results/$(date -u +%Y%m%dT%H%M%SZ)-bench-parse
	mkdir -p "$out"
	kb=$(lab/prepare-kernel.sh $KSET debian-6.12)
	echo "==> recording: claim mode, 30000 cycles (a few minutes under TCG)"
	lab/boot.sh "${kb% *}" "${kb#* }" "$out/boot" "e1000@br.1 e1000@br.2" intel-iommu \
		"ib.devices=0000:01:01.0 ib.mode=claim ib.cycles=30000 ib.label=big ib.extra=--buffer-kb,131072,-q,--batches,all,--no-probe-cost" \
		3072 2 >/dev/null
fi
full=$out/boot/run/trace.dat
[ -s "$full" ] || { echo "bench-parse.sh: the guest wrote no trace.dat" >&2; exit 1; }
for n in 111000 370000; do
	[ -s "$out/first-$n.dat" ] && continue
	trace-cmd split -i "$full" -o "$out/first-$n.dat" -e $n >/dev/null 2>&1
	mv "$out/first-$n.dat.1" "$out/first-$n.dat"
	rm -f "$out/first-$n.dat."*
done
[ -s "$out/all-v6.dat" ] ||
	trace-cmd convert -i "$full" -o "$out/all-v6.dat" --file-version 6 --compression none \
		>/dev/null 2>&1

# measure CMD...: "seconds KiB", the median time of 3 runs, the largest RSS
measure() {
	for i in 1 2 3; do
		rm -rf "$out/imp"
		/usr/bin/time -f '%e %M' -o "$out/time.$i" "$@" >/dev/null 2>&1
	done
	rm -rf "$out/imp"
	cat "$out/time.1" "$out/time.2" "$out/time.3" |
		sort -n | awk '{ t[NR] = $1; if ($2 > m) m = $2 } END { printf "%s %d\n", t[2], m }'
}

{
	echo "# parse of one recording: iommu-bench import vs trace-cmd report >/dev/null"
	echo "# (median of 3 runs, wall seconds; largest RSS, MiB)"
	printf '%-16s %9s %9s %9s %7s %9s %9s\n' file records import_s report_s speedup import_MiB report_MiB
	for f in "$out/first-111000.dat" "$out/first-370000.dat" "$full" "$out/all-v6.dat"; do
		rm -rf "$out/imp"
		$IB import -o "$out/imp" "$f" >/dev/null
		recs=$(tr -d ' \n' < "$out/imp/meta.json" | sed 's/.*"trace":{"records":\([0-9]*\).*/\1/')
		set -- $(measure $IB import -o "$out/imp" "$f") $(measure trace-cmd report "$f")
		printf '%-16s %9s %9s %9s %6.1fx %9.1f %9.1f\n' "$(basename "$f")" "$recs" \
			"$1" "$3" "$(echo "$3 $1" | awk '{ print $1 / $2 }')" \
			"$(echo "$2" | awk '{ print $1 / 1024 }')" "$(echo "$4" | awk '{ print $1 / 1024 }')"
	done
	$IB import -o "$out/imp" "$full" >/dev/null
	cmp -s "$out/boot/run/cycles.csv" "$out/imp/cycles.csv" &&
		echo "# the import of the whole file gives the run's own cycles.csv" ||
		echo "# WARNING: the import of the whole file differs from the run's cycles.csv"
} > "$out/parse.txt"
rm -rf "$out/imp" "$out"/time.*
cat "$out/parse.txt"
echo "==> $out"
