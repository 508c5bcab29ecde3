#!/bin/sh
# host-ab on a lab machine (TAP, plan at the end): Debian's 6.1 and 6.12
# interleaved by kexec, two boots each, the plan and results on a disk
# that outlives every boot (tests/lab/guest/host-ab.sh).  The first boot
# of 6.12 crashes in its run (sysrq c) and the machine goes down; booted
# again in 6.1, as a reset machine boots its default kernel, host-ab marks
# that boot failed and goes on; 6.1's second run hangs (SIGSTOP) and
# host-ab stops it at its --step-timeout, marks that boot failed and goes
# on; it comes home to 6.1 and compares.  The counts of 6.1's finished
# boot equal those of the initramfs lab's own run.
cd "$(dirname "$0")/../.."
KSET=configs/kernels/debian.conf
# host-ab's limit on a run (--step-timeout): a run here takes 6 to 9 s
# beside a make check, the hung one costs this much
STEP_TIMEOUT=60
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -z "${IB_KEEP:-}" ] || trap 'echo "# kept: $tmp" >&2' EXIT

A=$(lab/kernels.sh release $KSET debian-6.1)
B=$(lab/kernels.sh release $KSET debian-6.12)
ka=$(prepared $KSET debian-6.1) && kb=$(prepared $KSET debian-6.12) ||
	{ t "the kernels are prepared" false; tap_done; exit; }
# the machine's disk: both kernels with their initrds, their modules
# (as DKMS installs them), and the experiment
st=$tmp/stage
mkdir -p "$st/boot" "$st/modules/$A" "$st/modules/$B"
cp "${ka% *}" "$st/boot/vmlinuz-$A"
cp "${ka#* }" "$st/boot/initrd.img-$A"
cp "${kb% *}" "$st/boot/vmlinuz-$B"
cp "${kb#* }" "$st/boot/initrd.img-$B"
cp "build/kmod/$A/iommu_bench.ko" "$st/modules/$A/"
cp "build/kmod/$B/iommu_bench.ko" "$st/modules/$B/"
cat > "$st/exp.conf" <<EOC
[experiment]
mode = remove
cycles = 2
rounds = 2
devices = 0000:00:10.0
batches = all release
chunks = 1
EOC
cat > "$st/test.env" <<EOC
A=$A
B=$B
ARGS="-m remove -n 2 -d 0000:00:10.0 --batches all+release --chunks 1"
STEP_TIMEOUT=$STEP_TIMEOUT
EOC
touch "$st/crash-in-$B" "$st/stop-in-$A"
disk=$tmp/disk.img
mkfs.ext4 -q -F -d "$st" "$disk" 512M

boot() {
	IB_BOOT_DISK=$disk IB_BOOT_TIMEOUT=${IB_BOOT_TIMEOUT_HAB:-900} lab/boot.sh "${ka% *}" "${ka#* }" \
		"$tmp/$1" e1000e@10 intel-iommu "ib.script=host-ab.sh ib.modules=virtio_pci,virtio_blk,crc32c_generic,ext4" \
		> "$tmp/$1.log" 2> "$tmp/$1.err"
}
s=$(date +%s)
boot crash
t "the machine, started in $A, went down (no results sent)" [ $? != 0 ]
con=$tmp/crash.partial/console.log
t "... in $B's first run, crashed on purpose" sh -c \
	"grep -q '$B: crashing the kernel' $con && grep -q 'sysrq triggered crash' $con"
t "... after host-ab kexec'd $A, then $B" sh -c \
	"grep -q '$A: host-ab: kexec into $A' $con && grep -q '$A: host-ab: kexec into $B' $con"
echo "# boot until the crash: $(($(date +%s) - s)) s" >&2

s=$(date +%s)
t "booted again in $A, host-ab goes on to the end" boot resumed || boot_failed "$tmp/resumed" "$tmp/resumed.err"
echo "# boot after the crash: $(($(date +%s) - s)) s" >&2
r=$tmp/resumed
mkdir -p "$tmp/first" && cp "$r/first-boot-tap.txt" "$tmp/first/tap.txt" 2>/dev/null
guest_tap "$tmp/first" "first boot"
guest_tap "$r" "last boot"
plan=$r/results/plan.json
t "the plan is kept with the results, finished" json "$plan" '$j->{state} eq "finished"'
t "... $A boot 1 done, $B boot 1 failed: its run never ended" json "$plan" \
	'$j->{steps}[0]{state} eq "done" && $j->{steps}[1]{state} eq "failed" && $j->{steps}[1]{why} =~ /ended during its run/'
t "... $A boot 2 failed: its run, hung, stopped after $STEP_TIMEOUT s (SIGTERM)" json "$plan" \
	'$j->{steps}[2]{state} eq "failed" && $j->{steps}[2]{why} =~ /did not finish in '$STEP_TIMEOUT' s: stopped \(SIGTERM\)/'
t "... the run was hung on purpose (SIGSTOP) in that boot" \
	grep -q "$A: stopped its run (SIGSTOP)" "$r/console.log"
t "... $B boot 2 done" json "$plan" '$j->{steps}[3]{state} eq "done"'
for run in "$A.b1" "$B.b2"; do
	k=${run%.b*}
	t "$run ran in its own kernel" meta_has "$r/results/$run/meta.json" "\"kernel_release\":\"$k\""
done
t "the failed boots' partial runs are not merged: $B has one boot" json "$r/results/$B/meta.json" \
	'scalar(@{$j->{boots}}) == 1'
t "... and $A one" json "$r/results/$A/meta.json" 'scalar(@{$j->{boots}}) == 1'
t "compared back home: a cover letter (no plots: the lab has no gnuplot)" grep -q "$B" "$r/results/compare/cover-letter.txt"

# the counts: every column but times, equal to the initramfs lab's run
counts "$r/plain-$A/cycles.csv" > "$tmp/plain.counts"
for run in "$A.b1"; do
	counts "$r/results/$run/cycles.csv" > "$tmp/$run.counts"
	t "$run: every count equals the initramfs lab's" sh -c \
		"[ \$(wc -l < $tmp/plain.counts) -gt 1 ] && cmp -s $tmp/plain.counts $tmp/$run.counts"
	cmp -s "$tmp/plain.counts" "$tmp/$run.counts" ||
		diff "$tmp/plain.counts" "$tmp/$run.counts" | head -n 5 | sed 's/^/#   /' >&2
done
csv=$r/results/$B.b2/cycles.csv
only "$csv" probes all > "$tmp/b2.all"
t "$B.b2: the release switches to blocked (6.12's release_domain)" all_is "$tmp/b2.all" release_target blocked
t "$A.b1: no release switch (6.1 has none)" all "$r/results/$A.b1/cycles.csv" release_switches == 0
no_splat "no kernel warning, bug or oops after the crash" "$r/console.log"
tap_done
