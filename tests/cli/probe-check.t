#!/bin/sh
# probe-check on the host: every probe pack against a kallsyms the test
# writes, as a user checks a pack against the kernel they will run.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ib() { $IB "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
out_has() { grep -q -- "$1" "$tmp/out" || { sed 's/^/#   stdout: /' "$tmp/out"; false; }; }
err_has() { grep -q -- "$1" "$tmp/err" || { sed 's/^/#   stderr: /' "$tmp/err"; false; }; }
# exit_err STATUS PATTERN: the exit status was STATUS and stderr says PATTERN
exit_err() { [ "$rc" = "$1" ] || { echo "#   exit $rc"; return 1; }; err_has "$2"; }

# an Intel kernel as 6.1 builds it: the 6.1 probes, the detach a clone
printf '%s\n' 'ffffffff81000000 T iommu_deinit_device' \
	'ffffffff81000080 t iommu_bus_notifier' \
	'ffffffff81000090 t intel_iommu_probe_device' \
	'ffffffff810000a0 t intel_iommu_attach_device' \
	'ffffffff810000b0 t device_block_translation' \
	'ffffffff810000c0 t dmar_remove_one_dev_info.isra.0' \
	'ffffffff810000d0 t qi_submit_sync' \
	'ffffffff810000e0 t domain_context_clear_one' \
	'ffffffff810000f0 t intel_pasid_tear_down_entry' > "$tmp/ks61"

ib probe-check -k "$tmp/ks61" -r 6.1.0-57-amd64
t "6.1 kernel with every 6.1 probe: exit 0" [ "$rc" = 0 ]
t "... a probe for 6.12 only is 'none', not MISSING" out_has '^intel.conf *attach_blocked *none: blocking_domain_attach_dev is not in kallsyms'
t "... the clone it arms without fetches says so" out_has '^intel.conf *release_internal *dmar_remove_one_dev_info.isra.0 (compiler clone, armed without its fetches)$'
t "... packs of drivers the kernel lacks are named, not checked" out_has '^amd.conf *- *driver not in this kernel (no amd_iommu_probe_device)$'
t "... the core's release probe found" out_has '^core.conf *release *iommu_bus_notifier$'
t "... nothing MISSING" sh -c "! grep -q MISSING $tmp/out"

# the same symbols said to be 6.12: its blocked and identity attaches fail
ib probe-check -k "$tmp/ks61" -r 6.12.0
t "the same kallsyms as 6.12: exit 1" [ "$rc" = 1 ]
t "... the 6.12 attach it lacks is MISSING, with what is lost" out_has '^intel.conf *attach_blocked *MISSING: blocking_domain_attach_dev is not in kallsyms (inlined or absent); lost: switches to the blocked domain'

# a clone of a probe that fetches its arguments is not armed
sed 's/device_block_translation$/device_block_translation.isra.0/' "$tmp/ks61" > "$tmp/clone"
ib probe-check -k "$tmp/clone" -r 6.1.0
t "a clone under a probe with fetches: exit 1, MISSING, why" sh -c "[ $rc = 1 ] &&
	grep -q '^intel.conf *block_internal *MISSING: only the compiler clone device_block_translation.isra.0 is there' $tmp/out"

ib probe-check -k "$tmp/ks61"
t "--kallsyms without --release: exit 2, said" exit_err 2 'needs --release'
ib probe-check -k "$tmp/ks61" -r six.one
t "a release that is no version: exit 2, named" exit_err 2 "release 'six.one'"
ib probe-check -k "$tmp/none" -r 6.1.0
t "unreadable kallsyms: exit 1, named" exit_err 1 "$tmp/none"
mkdir "$tmp/empty"
ib probe-check -p "$tmp/empty" -k "$tmp/ks61" -r 6.1.0
t "a directory with no pack: exit 2, named" exit_err 2 "$tmp/empty: no probe pack"
mkdir "$tmp/bad" && printf '[x]\nrole = nonsense\n' > "$tmp/bad/bad.conf"
ib probe-check -p "$tmp/bad" -k "$tmp/ks61" -r 6.1.0
t "a bad pack: exit 2, its file named" exit_err 2 "bad.conf"
ib probe-check -x
t "a bad option: exit 2, the usage line" exit_err 2 '^usage: iommu-bench probe-check'
ib probe-check extra
t "an argument: exit 2, named" exit_err 2 "unexpected argument 'extra'"

tap_done
