#!/bin/sh
# Boot one lab guest as a LAVA job: lab/boot.sh's arguments and result,
# but the machine is a device of LAVA's own qemu device type and the runs
# are LAVA test definitions (lab/lava/iommu-bench.yaml), run by lava-run.
#
#   lab/lava-boot.sh KERNEL INITRD OUTDIR "ENDPOINTS" "IOMMU" "CMDLINE" [MEM CPUS]
#
# Each ib.run=NAME/MODE/CYCLES/DEVS/OWNER/EXTRA of CMDLINE is one test
# definition of the job, with those parameters; the other words stay on
# the kernel's command line, with ib.lava (lab/guest-init).  OUTDIR gets,
# as from lab/boot.sh, each run's result directory (taken out of the
# job's log, where lab/lava/dut-run.sh printed it) and console.log, and
# LAVA's own: job.yaml, device.yaml, lava.log (the job's log) and
# results.yaml (every test case: result, measurement, units).
# IB_RESULTS=... lab/run-experiment.sh with IB_BOOT=lab/lava-boot.sh runs
# a whole experiment so.  LAVA's device-type templates come from Debian's
# lava-server package of lava-dispatcher's version, fetched (not installed)
# into the cache once.
set -eu
[ $# -ge 6 ] || { echo "usage: lava-boot.sh KERNEL INITRD OUTDIR ENDPOINTS IOMMU CMDLINE [MEM CPUS]" >&2; exit 2; }
# paths from where it was called, then from the tree's top
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
kernel=$(abs "$1") initrd=$(abs "$2") outdir=$(abs "$3") endpoints=$4 iommu=$5 cmdline=$6
mem=${7:-1024} cpus=${8:-2}
timeout=${IB_BOOT_TIMEOUT:-600}
cd "$(dirname "$0")/.."
die() { echo "lava-boot.sh: $*" >&2; exit 1; }

command -v lava-run >/dev/null || die "lava-run not installed (lab/deps.sh: lava-dispatcher)"
[ ! -e "$outdir" ] || die "$outdir exists"

# ib.run= words become test definitions, the rest stays on the cmdline
runs= words=
for w in $cmdline; do
	case $w in
	ib.run=*) runs="$runs ${w#ib.run=}" ;;
	ib.script=*) die "$w: guest scripts are the lab's own (lab/boot.sh)" ;;
	*) words="$words $w" ;;
	esac
done
[ -n "$runs" ] || die "no ib.run= in the command line: nothing for LAVA to run"
label=$(echo " $cmdline " | sed -n 's/.* ib\.label=\([^ ]*\) .*/\1/p')
boot=$(echo " $cmdline " | sed -n 's/.* ib\.boot=\([^ ]*\) .*/\1/p')

types=$(lab/lava/device-types.sh) || exit 1
work=$outdir.partial
rm -rf "$work"
mkdir -p "$work"

# the machine (lab/boot.sh's own arguments), and QEMU exits at a panic
IB_BOOT_PRINT=1 lab/boot.sh "$kernel" "$initrd" "$outdir" "$endpoints" "$iommu" "" \
	"$mem" "$cpus" > "$work/machine" || exit 1
# LAVA waits for the kernel's banner, a notice that quiet hides
kargs="$(sed -n '/^--append$/{n;p}' "$work/machine") loglevel=6"
sed '/^--append$/,$d' "$work/machine" > "$work/machine.args"
echo -no-reboot >> "$work/machine.args"

# the test definitions come from git, as in any LAVA lab: a repository
# of this tree's lab/lava/, as it is now
repo=$work/testdefs
lab/lava/testdefs.sh "$repo" || die "cannot make the test definitions' repository"

# JSON of both contexts (values hold no quote or backslash: checked)
case "$cmdline $(cat "$work/machine.args")" in *[\"\\]*) die "a quote or backslash in the arguments" ;; esac
{
	printf '{"memory": %s, "extra_options": [' "$mem"
	sep=
	while read -r a; do printf '%s"%s"' "$sep" "$a"; sep=", "; done < "$work/machine.args"
	printf ']}\n'
} > "$work/device.json"
{
	printf '{"job_name": "iommu-bench %s boot %s", "kernel": "%s", "initrd": "%s",' \
		"${label:-lab}" "${boot:-1}" "$kernel" "$initrd"
	printf ' "kernel_args": "%s ib.lava%s", "repository": "%s", "minutes": %s, "runs": [' \
		"$kargs" "$words" "$repo" $(( (timeout + 59) / 60 ))
	sep=
	for r in $runs; do
		name=${r%%/*} r=${r#*/}
		mode=${r%%/*} r=${r#*/}
		n=${r%%/*} r=${r#*/}
		devs=$(echo "${r%%/*}" | tr , ' ') r=${r#*/}
		own=${r%%/*} more=$(echo "${r#*/}" | tr , ' ')
		printf '%s{"NAME": "%s", "MODE": "%s", "CYCLES": "%s", "DEVICES": "%s", "OWNER": "%s", "EXTRA": "%s", "LABEL": "%s", "BOOT": "%s"}' \
			"$sep" "$name" "$mode" "$n" "$devs" "$own" "$more" "$label" "${boot:-1}"
		sep=", "
	done
	printf ']}\n'
} > "$work/job.json"
lab/lava/render.py qemu-lab.jinja2 lab/lava "$types" < "$work/device.json" > "$work/device.yaml" ||
	die "cannot render the device dictionary"
lab/lava/render.py job-qemu.yaml.j2 lab/lava < "$work/job.json" > "$work/job.yaml" ||
	die "cannot render the job"

echo "[lab] lava-run: job $(basename "$outdir"), runs:$(for r in $runs; do printf ' %s' "${r%%/*}"; done)"
rc=0
timeout "$((timeout + 300))" lava-run --job-id "$$" --output-dir "$work/lava" \
	--device "$work/device.yaml" "$work/job.yaml" > "$work/lava.log" 2>&1 || rc=$?
lab/lava/log.py "$work/lava.log" "$work" || die "cannot read the job's log $work/lava.log"
[ $rc -eq 0 ] || die "lava-run exit status $rc; its log: $work/lava.log"
for r in $runs; do
	[ -f "$work/${r%%/*}/meta.json" ] || die "run ${r%%/*} gave no result; the job's log: $work/lava.log"
done
rm -rf "$work/lava" "$work/machine" "$work/machine.args" "$work/device.json" "$work/job.json"
mv "$work" "$outdir"
