#!/bin/sh
# The lab host's test hooks (lab/host/*.service): start the plan on the
# first boot; at the end, the results to the test over ttyS1, and off.
# A first boot with lab_host.grub on its command line (tests/host/
# grub-host.t) sets up GRUB instead, as an installer would, makes kexec
# refused at every boot from then on, and powers off: the next boot is
# GRUB's, and the plan starts then.
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

case ${1:-} in
start)
	if grep -qw lab_host.grub /proc/cmdline; then
		echo "[lab] lab host: setting up GRUB in $(uname -r)" > /dev/console
		mkdir -p /tmp/out
		{ grub-install /dev/vda && update-grub; } > /tmp/out/grub-setup.log 2>&1
		echo $? > /tmp/out/grub-setup.rc
		# a server whose policy refuses kexec: host-ab must reboot
		echo 'kernel.kexec_load_disabled = 1' > /etc/sysctl.d/90-lab-host-no-kexec.conf
		cp /boot/grub/grub.cfg /tmp/out/ 2>/dev/null
		sync
		send
		exit 0
	fi
	. /var/lib/lab-host/start.env
	rm /var/lib/lab-host/start.env
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
