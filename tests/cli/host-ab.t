#!/bin/sh
# host-ab on the host (no kexec, nothing changed): bad input and what the
# machine forbids are refused, each with its reason and exit status; the
# plan of boots it would follow (-n).  tests/lab/host-ab.t runs it for real.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ib() { $IB host-ab --state "$tmp/state" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
err_has() { grep -q -- "$1" "$tmp/err" || { sed 's/^/#   stderr: /' "$tmp/err"; false; }; }
dev=$(ls /sys/bus/pci/devices | head -n 1)
A=$(uname -r)
# a boot directory with two kernels, and an experiment
mkdir -p "$tmp/boot"
for k in 1.0.0-a 2.0.0-b; do touch "$tmp/boot/vmlinuz-$k" "$tmp/boot/initrd.img-$k"; done
printf '[experiment]\nmode = remove\ncycles = 3\nrounds = 3\ndevices = %s\n' "$dev" > "$tmp/exp.conf"
start() { ib start -e "$tmp/exp.conf" -o "$tmp/out.d" --boot-dir "$tmp/boot" --no-systemd "$@"; }

ib
t "no subcommand: exit 2, the usage line" sh -c "[ $rc = 2 ] && grep -q '^usage: iommu-bench host-ab start' $tmp/err"
ib frob
t "an unknown subcommand: exit 2, named" sh -c "[ $rc = 2 ] && grep -q \"'frob' is not start\" $tmp/err"
start -k 1.0.0-a
t "one kernel: exit 2 (an A/B needs two)" sh -c "[ $rc = 2 ] && grep -q 'two -k KERNEL' $tmp/err"
start -k 1.0.0-a -k 1.0.0-a
t "a kernel named twice: exit 2" sh -c "[ $rc = 2 ] && grep -q 'named twice' $tmp/err"
start -k 1.0.0-a -k 2.0.0-b -r 0
t "--rounds 0: exit 2" sh -c "[ $rc = 2 ] && grep -q 'rounds' $tmp/err"
for bad in 5 604801 1h -1 ''; do
	start -k 1.0.0-a -k 2.0.0-b --step-timeout "$bad"
	t "--step-timeout '$bad': exit 2, named" sh -c \
		"[ $rc = 2 ] && grep -q \"step-timeout: '$bad' is not 0 or a number of seconds\" $tmp/err"
done
# in range: taken, and start goes on to the kernels (no module: exit 3)
for good in 0 10 604800; do
	start -k 1.0.0-a -k 2.0.0-b --step-timeout "$good"
	t "--step-timeout $good: taken (exit 3 for the kernels, not 2)" sh -c \
		"[ $rc = 3 ] && ! grep -q 'step-timeout' $tmp/err"
done
for bad in pxe '' Kexec; do
	start -k 1.0.0-a -k 2.0.0-b --boot-by "$bad"
	t "--boot-by '$bad': exit 2, named" sh -c \
		"[ $rc = 2 ] && grep -q \"boot-by: '$bad' is none of kexec, reboot, auto\" $tmp/err"
done
for good in kexec reboot auto; do
	start -k 1.0.0-a -k 2.0.0-b -b "$good"
	t "--boot-by $good: taken (exit 3 for the kernels, not 2)" sh -c \
		"[ $rc = 3 ] && ! grep -q 'boot-by' $tmp/err"
done
printf '[experiment]\nmode = frob\n' > "$tmp/bad.conf"
ib start -e "$tmp/bad.conf" -o "$tmp/o" -k 1.0.0-a -k 2.0.0-b
t "an experiment with no mode of run's: exit 2, named" sh -c "[ $rc = 2 ] && grep -q 'bad.conf' $tmp/err"
start -k 1.0.0-a -k 2.0.0-b -d 0000:7f:1f.7
t "a device this machine has not: exit 2, named" sh -c "[ $rc = 2 ] && grep -q 'no PCI function 0000:7f:1f.7' $tmp/err"
start -k 3.0.0-c -k 1.0.0-a
t "a kernel with no image in the boot directory: exit 3, named" sh -c \
	"[ $rc = 3 ] && grep -q 'kernel 3.0.0-c: no $tmp/boot/vmlinuz-3.0.0-c' $tmp/err"
start -k 1.0.0-a -k 2.0.0-b
t "a kernel with no module and no headers: exit 3, says which package" sh -c \
	"[ $rc = 3 ] && grep -q 'apt install linux-headers-1.0.0-a' $tmp/err"
t "... and nothing was written" sh -c "[ ! -e $tmp/out.d ] && [ ! -e $tmp/state ]"
mkdir "$tmp/out.d"
start -k 1.0.0-a -k 2.0.0-b
t "an OUT that exists: exit 2" sh -c "[ $rc = 2 ] && grep -q 'exists' $tmp/err"
rmdir "$tmp/out.d"
ib status
t "status without a plan: exit 1, says so" sh -c "[ $rc = 1 ] && grep -q 'no plan' $tmp/err"
mkdir -p "$tmp/state"
echo '{"format": 9}' > "$tmp/state/plan.json"
ib resume
t "resume of a damaged plan: exit 1, not a plan" sh -c "[ $rc = 1 ] && grep -q 'not a host-ab plan' $tmp/err"
rm -r "$tmp/state"
ib start -e "$tmp/exp.conf" -o "$tmp/out.d" --boot-dir "$tmp/boot" -k 1.0.0-a -k 2.0.0-b
t "--state other than the unit's, with systemd: exit 2" sh -c "[ $rc = 2 ] && grep -q 'the unit resumes a plan in' $tmp/err"
# a plan in progress, as start writes it: abort ends it, kept with the results
mkdir -p "$tmp/state" "$tmp/res"
cat > "$tmp/state/plan.json" <<EOP
{ "format": 1, "state": "active", "origin": "1.0.0-a", "out": "$tmp/res", "boot_dir": "$tmp/boot",
  "systemd": false, "kernels": [ "1.0.0-a", "2.0.0-b" ], "run_args": [ "-q" ],
  "steps": [ { "kernel": "1.0.0-a", "boot": 1, "state": "done" }, { "kernel": "2.0.0-b", "boot": 1, "state": "pending" } ] }
EOP
ib status
t "status: a line per boot" sh -c "[ $rc = 0 ] && grep -q '2.0.0-b *boot 1 *pending' $tmp/out"
flock "$tmp/state/lock" sleep 3 &
sleep 0.5
ib abort
t "abort while a resume holds the plan: exit 1, says so, plan kept" sh -c \
	"[ $rc = 1 ] && grep -q 'another host-ab acts' $tmp/err && [ -f $tmp/state/plan.json ]"
wait
ib abort
t "abort: the plan stopped, moved beside the results" sh -c \
	"[ $rc = 0 ] && [ ! -e $tmp/state/plan.json ] && grep -q aborted $tmp/res/plan.json"
ib resume
t "resume after it: nothing to do, exit 0" sh -c "[ $rc = 0 ] && grep -q 'no plan' $tmp/out"
ib --help
t "--help gives the exit statuses" sh -c "[ $rc = 0 ] && grep -q '^Exit status' $tmp/out"
tap_done
