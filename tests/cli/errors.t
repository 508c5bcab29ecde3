#!/bin/sh
# The CLI on the host (no kernel needed): bad input gets a clear error, a
# non-zero exit and no output written.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
EX=results/examples/make-run/default
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ib ARGS...: exit status in $rc, stdout in $tmp/out, stderr in $tmp/err
ib() { $IB "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
err_has() { grep -q -- "$1" "$tmp/err" || { sed 's/^/#   stderr: /' "$tmp/err"; false; }; }
out_has() { grep -q -- "$1" "$tmp/out" || { sed 's/^/#   stdout: /' "$tmp/out"; false; }; }

ib
t "no command: exit 2 with usage" sh -c "[ $rc = 2 ] && grep -q 'usage: iommu-bench COMMAND' $tmp/err"
ib frobnicate
t "unknown command named" sh -c "[ $rc = 2 ] && grep -q \"no command 'frobnicate'\" $tmp/err"
for c in run devices compare steps ab host-ab import probes probe-cost merge config; do
	ib "$c" --help
	t "$c --help exits 0 with its usage" sh -c "[ $rc = 0 ] && grep -q 'usage: iommu-bench $c' $tmp/out"
done
ib --help
t "--help lists every command" sh -c "for c in run devices compare steps ab host-ab import probes probe-cost merge config help version; do grep -q \"  \$c \" $tmp/out || exit 1; done"

# devices: the host's PCI functions, each once, with a verdict
ib devices
t "devices: exit 0, a line per PCI function in sysfs" sh -c "[ $rc = 0 ] &&
	[ \$(grep -cE '^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] .* (yes|no: .+)' $tmp/out) = \$(ls /sys/bus/pci/devices | wc -l) ]"
ib devices -y
t "devices -y: none it says no to" sh -c "[ $rc = 0 ] && ! grep -q ' no: ' $tmp/out"
ib devices -x
t "devices with a bad option: exit 2, its usage line" sh -c "[ $rc = 2 ] && grep -q '^usage: iommu-bench devices \[options\]' $tmp/err"
ib devices extra
t "devices with an argument: exit 2, naming it" sh -c "[ $rc = 2 ] && grep -q \"unexpected argument 'extra'\" $tmp/err"

# probe-cost's JSON is meta.json's, in ns: instructions there would pass for time
ib probe-cost --json --icount-shift 4
t "probe-cost --json --icount-shift: exit 2, naming the unit" sh -c "[ $rc = 2 ] && grep -q 'writes nanoseconds' $tmp/err"
ib help --help
t "help --help: help's own usage" sh -c "[ $rc = 0 ] && grep -q 'usage: iommu-bench help' $tmp/out"

ib run -o "$tmp/r"
t "run without devices: exit 2" sh -c "[ $rc = 2 ]"
t "... says devices are named, not chosen" err_has "no devices"
ib run -d 0000:00:10.0
t "run without -o: exit 2, says so" sh -c "[ $rc = 2 ] && grep -q 'no result directory' $tmp/err"
ib run -d 0000:00:10.0 -m sideways -o "$tmp/r"
t "unknown mode named" sh -c "[ $rc = 2 ] && grep -q \"unknown mode 'sideways'\" $tmp/err"
ib run -d 0000:00:10.0 -n 100001 -o "$tmp/r"
t "cycles out of range" sh -c "[ $rc = 2 ] && grep -q 'in 1..100000' $tmp/err"
ib run -d 0000:00:10.0 --batches all,sideways -o "$tmp/r"
t "an unknown batch kind named" sh -c "[ $rc = 2 ] && grep -q \"'sideways' is not all, release, core or none\" $tmp/err"
ib run -d 0000:00:10.0 --batches all,release,all -o "$tmp/r"
t "a batch kind named twice" sh -c "[ $rc = 2 ] && grep -q 'all named twice' $tmp/err"
ib run -d 0000:00:10.0 --chunks 0 -o "$tmp/r"
t "chunks out of range" sh -c "[ $rc = 2 ] && grep -q \"chunks '0' is not a number\" $tmp/err"
ib run -d 0000:00:10.0 --no-trace --batches release -o "$tmp/r"
t "--batches with --no-trace refused" sh -c "[ $rc = 2 ] && grep -q 'cannot go with --no-trace' $tmp/err"
ib run -d 0000:1f:1f.7 -o "$tmp/r"
t "absent device: exit 2 naming it" sh -c "[ $rc = 2 ] && grep -q '0000:1f:1f.7: no such PCI device' $tmp/err"
mkdir "$tmp/exists"
ib run -d 0000:00:10.0 -o "$tmp/exists"
t "existing result directory refused" sh -c "[ $rc = 2 ] && grep -q 'never overwritten' $tmp/err"
t "refused runs wrote nothing" sh -c "! ls -d $tmp/r* 2>/dev/null"

ib compare
t "compare needs a run" sh -c "[ $rc = 2 ] && grep -q 'needs 1 to 8 runs' $tmp/err"
ib compare "$EX/debian-6.1"
t "compare of one run: its statistics, no verdict" sh -c \
	"[ $rc = 0 ] && grep -q '^release (us) *boots ' $tmp/out && ! grep -q 'faster\\|slower' $tmp/out"
ib compare "$EX/debian-6.1" "$tmp/nothing"
t "compare of a missing run fails naming it" sh -c "[ $rc != 0 ] && grep -q '$tmp/nothing/meta.json: missing' $tmp/err"
lines=$(wc -l < "$EX/debian-6.1/cycles.csv")
cp -r "$EX/debian-6.12" "$tmp/lossy"
sed -i 's/"lost_events":false/"lost_events":true/' "$tmp/lossy/meta.json"
ib compare "$EX/debian-6.1" "$tmp/lossy"
t "a run that lost events is refused" sh -c "[ $rc != 0 ] && grep -q 'lost events' $tmp/err"
ib compare --allow-lost "$EX/debian-6.1" "$tmp/lossy"
t "... unless --allow-lost" [ "$rc" = 0 ]
cp -r "$EX/debian-6.12" "$tmp/broken"
echo "0000:00:10.0,1" >> "$tmp/broken/cycles.csv"
bad=$(wc -l < "$tmp/broken/cycles.csv")
ib compare "$EX/debian-6.1" "$tmp/broken"
t "a damaged cycles.csv is refused with its line" sh -c "[ $rc != 0 ] && grep -q 'cycles.csv:$bad:' $tmp/err"

# the same kernel's boots of another day: a run of other boots
mkdir "$tmp/later"
cp "$EX/debian-6.1/cycles.csv" "$tmp/later/"
sed 's/"started": *"2026-12-01/"started":"2026-12-02/' "$EX/debian-6.1/meta.json" > "$tmp/later/meta.json"
ib merge -o "$tmp/m" "$EX/debian-6.1" "$tmp/later"
t "merge joins runs" sh -c "[ $rc = 0 ] && [ \$(wc -l < $tmp/m/cycles.csv) = $((2 * lines - 1)) ]"
boots=$(col "$EX/debian-6.1/cycles.csv" boot | sort -un | wc -l)
t "merge numbers the boots anew: two runs of 5 boots that say 1..5 are 10" \
	[ "$(col "$tmp/m/cycles.csv" boot | sort -un | wc -l)" = $((2 * boots)) ]
ib merge -o "$tmp/mself" "$EX/debian-6.1" "$EX/debian-6.1"
t "merge of a run with itself is refused: a boot counted twice" sh -c \
	"[ $rc = 1 ] && grep -q 'hold the same boot' $tmp/err && [ ! -e $tmp/mself ]"
sed 's/"status":"ok"/"status":"failed"/' "$EX/debian-6.1/meta.json" > "$tmp/lossy/meta.json"
ib merge -o "$tmp/m2" "$EX/debian-6.1" "$tmp/lossy"
t "merge refuses a failed run and leaves nothing" sh -c "[ $rc != 0 ] && [ ! -e $tmp/m2 ] && [ ! -e $tmp/m2.partial ]"

ib config get configs/experiments/default.conf experiment mode
t "config get reads a value" sh -c "[ $rc = 0 ] && [ \"\$(cat $tmp/out)\" = remove ]"
ib config get configs/experiments/default.conf experiment nokey
t "config get of an absent key: exit 1" sh -c "[ $rc = 1 ] && grep -q \"no key 'nokey'\" $tmp/err"
printf '[a]\nbroken\n' > "$tmp/bad.conf"
ib config get "$tmp/bad.conf" a b
t "config of a bad file: exit 2 with file:line" sh -c "[ $rc = 2 ] && grep -q 'bad.conf:2:' $tmp/err"

printf '[ghost]\nrole = after\nrelease = 0.0.0-nothing\n' > "$tmp/kset.conf"
lab/kernels.sh release "$tmp/kset.conf" ghost >"$tmp/out" 2>"$tmp/err"; rc=$?
t "a kernel that is not installed is named" sh -c "[ $rc != 0 ] && grep -q 'kernel ghost of .* is not installed' $tmp/err"

ib ab --base a --patched b
t "ab without --tree: exit 2" sh -c "[ $rc = 2 ] && grep -q 'needs --tree and either --series' $tmp/err"
ib ab --tree . --series HEAD --patched HEAD
t "ab with --series and --patched: exit 2" sh -c "[ $rc = 2 ] && grep -q 'needs --tree and either --series' $tmp/err"
ib ab --tree . --series HEAD
t "ab --series without '..': exit 2, says BASE..HEAD" sh -c "[ $rc = 2 ] && grep -q 'give BASE..HEAD' $tmp/err"
ib ab --tree . --series HEAD...HEAD~1
t "ab --series with a symmetric difference (...): exit 2" sh -c "[ $rc = 2 ] && grep -q 'give BASE..HEAD' $tmp/err"
ib ab --tree . --series HEAD~1..HEAD -j 0
t "ab -j 0: exit 2" sh -c "[ $rc = 2 ] && grep -q 'jobs 0: not a number' $tmp/err"
ib ab --tree . --series HEAD~1..HEAD --arch riscv
t "ab --arch riscv: exit 2, named" sh -c "[ $rc = 2 ] && grep -q 'arch riscv: not one of' $tmp/err"
ib ab --tree . --series HEAD~1..HEAD --clock wall
t "ab --clock wall: exit 2, named" sh -c "[ $rc = 2 ] && grep -q 'clock wall: not one of' $tmp/err"
ib ab --tree . --series HEAD~1..HEAD --iommu 'x|w /tmp/y'
t "ab --iommu of no lab: exit 2, named" sh -c "[ $rc = 2 ] && grep -q 'iommu x|w /tmp/y: not one of' $tmp/err"
args=
for i in $(seq 40); do args="$args -i smmuv3"; done
ib ab --tree /nonexistent --series a..b $args -k
t "ab with 80 option words: refused cleanly, no overflow" sh -c "[ $rc = 2 ] && grep -q 'nonexistent: No such file' $tmp/err"
ib ab --tree . --series HEAD..HEAD~1
t "ab --series backwards: refused" sh -c "[ $rc != 0 ] && grep -q 'is not an ancestor of' $tmp/err"
ib ab --tree . --series HEAD~1..HEAD -e "$tmp/none.conf"
t "ab with a missing experiment names it: exit 2" sh -c "[ $rc = 2 ] && grep -q 'none.conf: No such file' $tmp/err"
ib ab --tree "$tmp/none" --base a --patched b
t "ab with a missing tree names it" sh -c "[ $rc = 2 ] && grep -q '$tmp/none: No such file' $tmp/err"
ib ab --tree . --base HEAD --patched HEAD
t "ab of one commit against itself is refused" sh -c "[ $rc != 0 ] && grep -q 'are the same commit' $tmp/err"
mkdir "$tmp/g" && git -C "$tmp/g" init -q && echo a > "$tmp/g/f" &&
	git -C "$tmp/g" add f && git -C "$tmp/g" -c user.name=t -c user.email=t@t commit -qm a &&
	echo b > "$tmp/g/f" && git -C "$tmp/g" -c user.name=t -c user.email=t@t commit -qam b
IB_CACHE=$tmp/cache $IB ab --tree "$tmp/g" --base HEAD~1 --patched HEAD >"$tmp/out" 2>"$tmp/err"; rc=$?
t "ab of a tree that is not a kernel is refused" sh -c "[ $rc != 0 ] && grep -q 'has no kernel Makefile' $tmp/err"
t "... and leaves nothing in the cache" sh -c "[ -z \"\$(ls $tmp/cache/src 2>/dev/null)\" ]"
# probes: kprobe_events lines for a given kallsyms, clones taken, gaps said
printf '%s\n' 'ffffffff81000000 T iommu_deinit_device' \
	'ffffffff81000080 t iommu_bus_notifier' \
	'ffffffff81000100 t blocking_domain_attach_dev' \
	'ffffffff81000300 t qi_submit_sync.constprop.0' \
	'ffffffff81000400 t device_block_translation.isra.0' \
	'ffffffff81000500 t dmar_remove_one_dev_info.isra.0' > "$tmp/kallsyms"
ib probes -D intel -k "$tmp/kallsyms" -a x86_64
t "probes: exit 0" [ "$rc" = 0 ]
t "probes: the release span's kprobe with its fetch arguments" out_has '^p:iommu_bench_kp/release iommu_bus_notifier action=%si:u64 dev=+0(+0(%dx)):string$'
t "probes: its kretprobe, with the pack's maxactive" out_has '^r32:iommu_bench_kp/release_ret iommu_bus_notifier$'
t "probes: a compiler clone is taken" out_has '^p:iommu_bench_kp/qi_submit_sync qi_submit_sync.constprop.0$'
t "probes: a missing one is a comment saying what is lost" out_has '^# attach_paging: intel_iommu_attach_device is not in kallsyms (inlined or absent); lost: '
t "probes: a clone is refused to a probe that fetches its arguments" out_has '^# block_internal: only the compiler clone device_block_translation.isra.0 is there, whose arguments the fetches may not match; lost: '
t "probes: ... unless its pack says clone = nofetch: then without them" out_has '^p:iommu_bench_kp/release_internal dmar_remove_one_dev_info.isra.0$'
t "probes: the core function is not armed with the others" out_has "^# core: not in 'all' batches$"
ib probes -D intel -k "$tmp/kallsyms" -a x86_64 --batch core
t "probes --batch core: the core function's two ends, nothing else" sh -c \
	"[ $rc = 0 ] && [ \$(grep -vc '^#' $tmp/out) = 2 ] && grep -q '^p:iommu_bench_kp/core iommu_deinit_device dev=+0(+0(%di)):string$' $tmp/out"
ib probes -D intel -k "$tmp/kallsyms" --batch 1
t "probes --batch of an unknown kind: exit 2, named" sh -c "[ $rc = 2 ] && grep -q \"'1' is not all, release or core\" $tmp/err"
ib probes -D intel -k "$tmp/kallsyms" -a aarch64
t "probes: arm64 registers" out_has 'dev=+0(+0(%x2)):string$'
ib probes -D sparc -k "$tmp/kallsyms"
t "probes: a driver without a pack: exit 2" sh -c "[ $rc = 2 ] && grep -q 'no probe pack .*sparc.conf' $tmp/err"
ib probes -D intel -k "$tmp/none"
t "probes: unreadable kallsyms: exit 1, named" sh -c "[ $rc = 1 ] && grep -q '$tmp/none' $tmp/err"

tap_done
