#!/bin/sh
# The step of LAVA test definition iommu-bench.yaml, on the device under
# test: one iommu-bench run; its every count and latency reported as a
# LAVA test case with its measurement (from iommu-bench compare of the
# run alone); and the run's result directory printed to the console
# between markers, where the job's log keeps it for iommu-bench merge and
# compare (lab/lava-boot.sh takes it back out).
#   dut-run.sh NAME MODE CYCLES "DEVICES" "OWNER" "EXTRA" LABEL BOOT
# Outside LAVA (no lava-test-case) the cases are printed instead.  Exits
# 0 when the run's cases are reported, as a test definition's step must
# for the next definitions to run: a failed run is a failed case.
set -u
[ $# -eq 8 ] || { echo "usage: dut-run.sh NAME MODE CYCLES DEVICES OWNER EXTRA LABEL BOOT" >&2; exit 2; }
name=$1 mode=$2 cycles=$3 devices=$4 owner=$5 extra=$6 label=${7:-$(uname -r)} boot=${8:-1}
out=${TMPDIR:-/tmp}/iommu-bench-lava/$name

# case_ ID RESULT [MEASUREMENT UNITS]: LAVA's test case names are
# letters, digits, '.', '-' and '_'
case_() {
	id=$(echo "$name-$1" | tr -c 'A-Za-z0-9._\n-' _)
	if command -v lava-test-case >/dev/null; then
		lava-test-case "$id" --result "$2" ${3:+--measurement "$3" --units "$4"}
	else
		echo "$id: $2${3:+ $3 $4}"
	fi
}
splats() { dmesg | grep -cE 'WARNING:|BUG:|Oops|Call Trace:'; }

loaded=
if [ ! -e /sys/module/iommu_bench ]; then
	# installed by the package: DKMS built it for this kernel
	modprobe iommu_bench && loaded=1
fi
# measured: 1 when this step loaded it (and removes it after), else 0
if [ -e /sys/module/iommu_bench ]; then
	case_ module pass "${loaded:-0}" loaded
else
	case_ module fail
fi

rm -rf "$out" "$out.failed" "$out.cmp"
mkdir -p "$(dirname "$out")"
before=$(splats)
# shellcheck disable=SC2086 # EXTRA: the run's options, words
iommu-bench run -d "$devices" -n "$cycles" -m "$mode" -l "$label" -b "$boot" \
	-o "$out" ${owner:+--owner "$owner"} $extra
rc=$?
if [ $rc -eq 0 ]; then case_ run pass; else case_ run fail "$rc" exit; fi
n=$(( $(splats) - before ))
if [ $n -eq 0 ]; then case_ kernel-splats pass 0 lines; else case_ kernel-splats fail "$n" lines; fi

# compare.csv: metric,unit,statistic,run,label,value,significant
if [ $rc -eq 0 ] && iommu-bench compare --no-plots -o "$out.cmp" "$out" >/dev/null; then
	awk -F, 'NR > 1 && $6 != "" && ($3 == "median" || $3 == "n" || $3 ~ /^per /) {
			s = $3; sub(/^per /, "per-", s); print $1 "-" s, $6, s == "n" ? "count" : $2 }' \
		"$out.cmp/compare.csv" > "$out.cases"
	while read -r id value unit; do
		case_ "$id" pass "$value" "$unit"
	done < "$out.cases"
fi
# a failed run's directory (what it recorded) as NAME.failed
kept=$name
[ -d "$out" ] || { out=$out.failed kept=$name.failed; }
if [ -d "$out" ]; then
	# base64 survives any console; one line each way for a parser
	echo "IB-RESULT-BEGIN $kept"
	tar -C "$out" -cz . | base64
	echo "IB-RESULT-END $kept"
fi
if [ -n "$loaded" ]; then
	if rmmod iommu_bench; then case_ module-removed pass; else case_ module-removed fail; fi
fi
exit 0
