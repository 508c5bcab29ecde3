#!/bin/sh
# host-ab where kexec is refused (TAP, plan at the end; make check-host):
# the disk-booted lab host of disk-host.t, booted by its firmware and
# GRUB, once by SeaBIOS and once by UEFI (OVMF).  Its first boot, of the
# kernel, sets GRUB up on its disk for both as an installer does
# (grub-install, update-grub), 6.1 the default entry, and has 6.12's
# boots disable kexec (kexec_load_disabled) as they start.  Then, on
# each firmware: host-ab start -n, without kexec-tools, plans every boot
# by a reboot; host-ab start, with it, plans auto: 6.1's boots hand on
# by kexec, 6.12's, refused, by GRUB's one-time entry and a reboot; 6.1
# and 6.12 twice each, home, compared.
cd "$(dirname "$0")/../.."
. tests/tap.sh
. tests/host/host.sh
s=$(date +%s)
host_boot setup "$img/vmlinuz-$A" "$img/initrd.img-$A" 'root=/dev/vda1 rw lab_host.grub'
t "the lab host's first boot sets GRUB up on its disk, for BIOS and UEFI" \
	grep -qx 0 "$tmp/setup/grub-setup.rc" ||
	{ boot_failed "$tmp/setup" "$tmp/setup.err"; sed 's/^/#   /' "$tmp/setup/grub-setup.log" >&2; }
t "... its menu has an entry for each kernel" sh -c \
	"grep -q 'vmlinuz-$A ' $tmp/setup/grub.cfg && grep -q 'vmlinuz-$B ' $tmp/setup/grub.cfg"
echo "# GRUB set up: $(($(date +%s) - s)) s" >&2
mv "$tmp/root.img" "$tmp/set-up.img"

for FW in bios uefi; do
	cp --sparse=always "$tmp/set-up.img" "$tmp/root.img"
	s=$(date +%s)
	t "$FW: booted by its firmware and GRUB, the lab host runs host-ab to the end" \
		host_boot "$FW" disk '' '' || boot_failed "$tmp/$FW" "$tmp/$FW.err"
	echo "# $FW: the lab host's plan: $(($(date +%s) - s)) s" >&2
	rm -f "$tmp/root.img"
	con=$tmp/$FW/console.log
	r=$tmp/$FW/ab
	log=$r/host-ab.log
	t "$FW: without kexec-tools, start -n plans every boot by a reboot, and says why" sh -c \
		"grep -q 'host-ab: no kexec in PATH (Debian.s package kexec-tools): each boot by a reboot instead' $con &&
		 grep -q '^boots by reboot (GRUB.s one-time entry)' $con"
	t "$FW: the plan finished, every boot done, by kexec or else a reboot" json "$r/plan.json" \
		'$j->{state} eq "finished" && $j->{boot_by} eq "auto" && 4 == grep { $_->{state} eq "done" } @{$j->{steps}}'
	t "$FW: $A's boots handed on by kexec" sh -c \
		"grep -q '$A: kexec into $B' $log && ! grep -q '$A: kexec into .* failed' $log"
	t "$FW: $B's, where kexec is disabled, by GRUB's one-time entry and a reboot" sh -c \
		"[ \$(grep -c '$B: kexec refused: a reboot instead' $log) = 2 ] &&
		 [ \$(grep -c '$B: reboot into $A (GRUB entry gnulinux-advanced-' $log) = 2 ]"
	t "$FW: ... through the firmware and GRUB each time (GRUB's menu on the console)" sh -c \
		"[ \$(grep -c 'Booting .Debian GNU/Linux' $con) = 3 ]"
	t "$FW: GRUB's one-time entry is not left set, its default is still $A" sh -c \
		"! grep -q '^next_entry=.' $tmp/$FW/grubenv && grep -q '^saved_entry=.*$A' $tmp/$FW/grubenv"
	t "$FW: systemd's unit is disabled now the plan has ended" grep -qx disabled "$tmp/$FW/unit-enabled"
	t "$FW: the comparison" sh -c "grep -q '$B' $r/compare/cover-letter.txt"
	no_splat "$FW: no kernel warning, bug or oops in the last boot" "$tmp/$FW/dmesg.txt"
	# each kernel's two boots, one by kexec and one by a reboot for 6.1,
	# count the same (disk-host.t compares them with the initramfs lab's)
	for rel in "$A" "$B"; do
		for b in 1 2; do
			t "$FW: $rel boot $b ran in its kernel" \
				meta_has "$r/$rel.b$b/meta.json" "\"kernel_release\":\"$rel\""
			counts "$r/$rel.b$b/cycles.csv" "$PROBE_WORK" > "$tmp/$FW.$rel.$b.counts"
		done
		t "$FW: $rel: both boots' switch counts and release and remove work equal" sh -c \
			"[ \$(wc -l < '$tmp/$FW.$rel.1.counts') -gt 1 ] &&
			 cmp -s '$tmp/$FW.$rel.1.counts' '$tmp/$FW.$rel.2.counts'"
	done
done
t "uefi: the machine booted by UEFI (the kernel saw EFI)" grep -q 'efi: EFI v' "$tmp/uefi/dmesg.txt"
t "bios: ... and by BIOS, not UEFI" sh -c "! grep -q 'efi: EFI v' '$tmp/bios/dmesg.txt'"
tap_done
