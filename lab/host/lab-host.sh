#!/bin/sh
# The lab host's test hooks (lab/host/*.service): start the plan on the
# first boot; at the end, the results to the test over ttyS1, and off.
# A first boot with lab_host.grub on its command line (tests/host/
# grub-host.t) sets up GRUB (BIOS and UEFI) instead, as an installer
# would, with 6.1 its default and kexec refused in 6.12's boots, and
# powers off: the next boot is GRUB's, and the plan starts then.
set -u

# /tmp/out to the test over ttyS1, and off
send() {
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	{
		echo "IB-BEGIN"
		tar -C /tmp/out -c . | gzip | base64
		echo "IB-END"
	} > /dev/ttyS1
	poweroff
}

# GRUB on the disk as an installer sets it up; 6.1 (A) its default, so
# the plan starts there; in 6.12 (B), kexec disabled at boot: a kernel
# whose boots cannot kexec, so host-ab hands them on by a reboot
grub_setup() {
	echo "[lab] lab host: setting up GRUB in $(uname -r)" > /dev/console
	. /var/lib/lab-host/start.env
	mkdir -p /tmp/out
	# for either firmware: BIOS (the MBR) and UEFI (the ESP's removable
	# path, as firmware finds it without a boot entry in its NVRAM)
	{
		grub-install --target=i386-pc /dev/vda &&
		mkfs.vfat -n ESP /dev/vda2 && mkdir -p /boot/efi && mount /dev/vda2 /boot/efi &&
		grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable --no-nvram &&
		echo '/dev/vda2 /boot/efi vfat umask=0077 0 1' >> /etc/fstab &&
		update-grub &&
		grub-set-default "Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux $A"
	} > /tmp/out/grub-setup.log 2>&1
	echo $? > /tmp/out/grub-setup.rc
	cat > /etc/systemd/system/lab-host-no-kexec.service <<EOF
[Unit]
Description=lab host: kexec disabled in $B
ConditionKernelVersion=$B
DefaultDependencies=no
Before=iommu-bench-host-ab.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c "echo 1 > /proc/sys/kernel/kexec_load_disabled"

[Install]
WantedBy=multi-user.target
EOF
	systemctl enable lab-host-no-kexec.service >> /tmp/out/grub-setup.log 2>&1
	touch /var/lib/lab-host/grub
	cp /boot/grub/grub.cfg /boot/grub/grubenv /tmp/out/ 2>/dev/null
	sync
	send
}

case ${1:-} in
start)
	if grep -qw lab_host.grub /proc/cmdline; then
		grub_setup
		exit 0
	fi
	. /var/lib/lab-host/start.env
	rm /var/lib/lab-host/start.env
	if [ -e /var/lib/lab-host/grub ]; then
		# without kexec-tools (only recommended): GRUB instead, said
		mkdir -p /run/lab-no-kexec
		ln -s "$(command -v grub-reboot)" /run/lab-no-kexec/
		echo "[lab] lab host: host-ab start -n, no kexec in PATH" > /dev/console
		PATH=/run/lab-no-kexec:/usr/bin:/bin iommu-bench host-ab start -n \
			-e /var/lib/lab-host/exp.conf -k "$A" -k "$B" -o /var/lib/iommu-bench/ab > /dev/console 2>&1
	fi
	echo "[lab] lab host: host-ab start in $(uname -r)" > /dev/console
	iommu-bench host-ab start -e /var/lib/lab-host/exp.conf -k "$A" -k "$B" \
		-o /var/lib/iommu-bench/ab > /dev/console 2>&1 ||
		{ echo "[lab] lab host: host-ab start failed: $?" > /dev/console; poweroff; }
	;;
done)
	echo "[lab] lab host: the plan ended in $(uname -r); results to the test" > /dev/console
	mkdir -p /tmp/out
	cp -a /var/lib/iommu-bench/ab /tmp/out/ab
	find /tmp/out -name trace.dat -delete
	systemctl is-enabled iommu-bench-host-ab.service > /tmp/out/unit-enabled 2>&1
	journalctl -b -u iommu-bench-host-ab.service > /tmp/out/unit.log 2>&1
	dmesg > /tmp/out/dmesg.txt
	cp /boot/grub/grubenv /tmp/out/ 2>/dev/null
	send
	;;
*)
	echo "usage: lab-host.sh start|done" >&2
	exit 2
	;;
esac
