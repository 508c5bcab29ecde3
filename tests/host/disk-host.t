#!/bin/sh
# A disk-booted lab host (TAP, plan at the end; make check-host, not part
# of make check: a Debian with systemd boots about a minute under TCG,
# and this boots it five times).  The host is Debian 12 built from
# Debian's packages with both lab kernels and the iommu-bench packages
# installed by apt (DKMS built the module for each kernel):
# lab/host-image.sh.  Booted from its disk in 6.1 on q35 with VT-d, its
# first boot starts host-ab; from then on systemd's unit alone drives it,
# by kexec, 6.1 and 6.12 twice each, home to 6.1, compared.  Every
# count of each boot (but the rescan's hardware work) equals that of the
# initramfs lab on the same kernel and the same machine.
cd "$(dirname "$0")/../.."
# the initramfs lab's machine as the host's: a virtio disk at 00:1e.0
# shares e1000e's legacy interrupt line (GSI 20), so a remove of e1000e
# does not free that line's remapping entry (one invalidation fewer);
# without the disk the counts of the remove phase differ by that one
EXP_ARGS="ib.modules=e1000e,virtio_pci,virtio_blk ib.run=plain/remove/2/0000:00:10.0//--batches,all+release,--chunks,1"
. tests/tap.sh
. tests/host/host.sh
s=$(date +%s)
t "the lab host, booted from its disk in $A, runs host-ab to the end" \
	host_boot host "$img/vmlinuz-$A" "$img/initrd.img-$A" 'root=/dev/vda1 rw' ||
	boot_failed "$tmp/host" "$tmp/host.err"
echo "# the lab host's plan: $(($(date +%s) - s)) s" >&2
r=$tmp/host/ab
plan=$r/plan.json
t "the plan finished, every boot done" json "$plan" \
	'$j->{state} eq "finished" && 4 == grep { $_->{state} eq "done" } @{$j->{steps}}'
t "systemd's unit resumed it at each boot" sh -c \
	"grep -q 'host-ab: compared' $tmp/host/unit.log"
t "... and is disabled now the plan has ended" grep -qx disabled "$tmp/host/unit-enabled"
t "the comparison with its plots (gnuplot came with the package)" sh -c \
	"grep -q '$B' $r/compare/cover-letter.txt && [ -s $r/compare/release_latency.svg ]"
no_splat "no kernel warning, bug or oops in the last boot" "$tmp/host/dmesg.txt"

# every count but the times and the probe's hardware work (PROBE_WORK,
# tests/host/host.sh), the remove phase's too (the driver's teardown:
# its interrupts' remapping entries), equal to the initramfs lab's on
# the same machine (a disk at 00:1e.0, as above)
truncate -s 64M "$tmp/scratch.img"
for k in debian-6.1 debian-6.12; do
	rel=$(lab/kernels.sh release $KSET $k)
	kb=$(prepared $KSET $k) || { t "$k is prepared" false; continue; }
	t "$k: the initramfs lab's run" sh -c "IB_BOOT_DISK='$tmp/scratch.img' lab/boot.sh \
		'${kb% *}' '${kb#* }' '$tmp/plain-$k' \
		e1000e@10 intel-iommu '$EXP_ARGS' > /dev/null 2> '$tmp/plain-$k.err'" ||
		boot_failed "$tmp/plain-$k" "$tmp/plain-$k.err"
	counts "$tmp/plain-$k/plain/cycles.csv" "$PROBE_WORK" > "$tmp/$k.counts"
	for b in 1 2; do
		t "$rel boot $b ran in its kernel" meta_has "$r/$rel.b$b/meta.json" "\"kernel_release\":\"$rel\""
		counts "$r/$rel.b$b/cycles.csv" "$PROBE_WORK" > "$tmp/$k.$b.counts"
		t "$rel boot $b: every switch count, the release's and the remove's hardware work equal the initramfs lab's" sh -c \
			"[ \$(wc -l < $tmp/$k.counts) -gt 1 ] && cmp -s $tmp/$k.counts $tmp/$k.$b.counts"
		cmp -s "$tmp/$k.counts" "$tmp/$k.$b.counts" ||
			diff "$tmp/$k.counts" "$tmp/$k.$b.counts" | head -n 5 | sed 's/^/#   /' >&2
		only "$r/$rel.b$b/cycles.csv" probes all | col /dev/stdin phase1_inval >> "$tmp/host.phase1"
		only "$tmp/plain-$k/plain/cycles.csv" probes all | col /dev/stdin phase1_inval >> "$tmp/lab.phase1"
	done
done
echo "# remove phase invalidations (e1000e's teardown): host $(sort -u "$tmp/host.phase1" | tr '\n' ' ')lab $(sort -u "$tmp/lab.phase1" | tr '\n' ' ')" >&2
tap_done
