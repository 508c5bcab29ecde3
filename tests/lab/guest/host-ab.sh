#!/bin/sh
# host-ab in the lab (tests/lab/host-ab.t).  The disk at 00:1e.0 is this
# machine's /var/lib/iommu-bench: the kernels host-ab kexecs into, each
# kernel's module where DKMS puts it, the plan and the results.  Every boot
# of the plan runs this script again (the kexec keeps the command line);
# the one that ends the plan hands the results to the host.
. "$(dirname "$0")/tap.sh"
d=/var/lib/iommu-bench
rel=$(uname -r)
say() { echo "[lab] $(cut -d' ' -f1 /proc/uptime)s $rel: $*" > /dev/console; }
hab() {
	# its lines on the console as they come: a kexec may cut it short
	{ iommu-bench host-ab --state $d/host-ab "$@"; echo $? > /tmp/hab.rc; } 2>&1 |
		while IFS= read -r l; do say "$l"; done
	return "$(cat /tmp/hab.rc)"
}

mkdir -p $d
t "the machine's disk mounts" mount -t ext4 /dev/vda $d || { echo "1..$n"; exit 1; }
# test.env: A, B (releases), ARGS (the experiment as run options),
# STEP_TIMEOUT (host-ab's --step-timeout)
. $d/test.env
for k in $d/modules/*; do
	mkdir -p "/lib/modules/${k##*/}/updates/dkms"
	cp "$k/iommu_bench.ko" "/lib/modules/${k##*/}/updates/dkms/"
done
# the crash this test asks for: once, in the first run of this kernel
if [ -e "$d/crash-in-$rel" ]; then
	rm "$d/crash-in-$rel"
	sync
	(
		while [ ! -e "$d/results/$rel.b1.log" ]; do sleep 0.2; done
		sleep 2
		# through the kernel's log, not the tty: the panic flushes the
		# log to the console, a tty write may still sit in its buffer
		echo "<3>[lab] $rel: crashing the kernel in the middle of its run (sysrq c)" > /dev/kmsg
		echo 1 > /proc/sys/kernel/sysrq
		echo c > /proc/sysrq-trigger
	) &
fi
# a run that hangs in user space: stopped (SIGSTOP) as it starts, once,
# in this kernel's second run; host-ab's --step-timeout must end it
if [ -e "$d/stop-in-$rel" ]; then
	(
		while [ ! -e "$d/results/$rel.b2.log" ]; do sleep 0.2; done
		# the run's pid (busybox here has no pgrep)
		pid=
		while [ -z "$pid" ]; do
			for c in /proc/[0-9]*/cmdline; do
				tr '\0' ' ' < "$c" 2>/dev/null | grep -q '^[^ ]*iommu-bench run ' &&
					pid=${c#/proc/} pid=${pid%/cmdline}
			done
			[ -n "$pid" ] || sleep 0.05
		done
		kill -STOP $pid && rm "$d/stop-in-$rel" && sync &&
			say "stopped its run (SIGSTOP): a run hung in user space"
	) &
fi

if [ ! -e $d/results ]; then
	say "first boot: the initramfs lab's own run, then host-ab start"
	insmod /lib/iommu_bench.ko
	# shellcheck disable=SC2086
	t "the plain run on $rel" iommu-bench run $ARGS -q -o "$d/plain-$rel"
	rmmod iommu_bench
	t "host-ab start -n: the plan, nothing changed" sh -c \
		"iommu-bench host-ab start -n -e $d/exp.conf -k $A -k $B -o $d/results -t $STEP_TIMEOUT \
		 --boot-dir $d/boot --state $d/host-ab --no-systemd > /tmp/dry && grep -q 'boot 2' /tmp/dry &&
		 grep -q 'each run stopped after $STEP_TIMEOUT s' /tmp/dry &&
		 grep -q 'boots by kexec, else reboot' /tmp/dry &&
		 [ ! -e $d/results ] && [ ! -e $d/host-ab ]"
	t "host-ab start refuses a kernel it has no image of, with exit 3" sh -c \
		"iommu-bench host-ab start -e $d/exp.conf -k $A -k 9.9.9 -o $d/results --boot-dir $d/boot \
		 --state $d/host-ab --no-systemd 2> /tmp/e; [ \$? = 3 ] && grep -q 'kernel 9.9.9: no' /tmp/e"
	t "... and a machine without systemd, unless told (--no-systemd)" sh -c \
		"iommu-bench host-ab start -e $d/exp.conf -k $A -k $B -o $d/results --boot-dir $d/boot \
		 --state $d/host-ab 2> /tmp/e; [ \$? = 3 ] && grep -q 'systemd is not' /tmp/e"
	# no GRUB here: a reboot cannot be asked for, nor take kexec's place
	t "host-ab start --boot-by reboot refuses a machine without GRUB, with exit 3" sh -c \
		"iommu-bench host-ab start -e $d/exp.conf -k $A -k $B -o $d/results --boot-dir $d/boot \
		 --state $d/host-ab --no-systemd -b reboot 2> /tmp/e; [ \$? = 3 ] &&
		 grep -q 'boot-by reboot: no grub-reboot in PATH' /tmp/e && [ ! -e $d/results ]"
	t "... and so does auto where kexec is refused too (no kexec tool)" sh -c \
		"PATH=/nowhere $(command -v iommu-bench) host-ab start -e $d/exp.conf -k $A -k $B \
		 -o $d/results --boot-dir $d/boot --state $d/host-ab --no-systemd 2> /tmp/e; [ \$? = 3 ] &&
		 grep -q 'no kexec in PATH .*, and a reboot cannot take its place: no grub-reboot' /tmp/e"
	cp /out/tap.txt $d/first-boot-tap.txt 2>/dev/null
	hab start -e $d/exp.conf -k "$A" -k "$B" -o $d/results --boot-dir $d/boot --no-systemd \
		-t "$STEP_TIMEOUT"
	rc=$?
else
	say "host-ab resume"
	hab resume
	rc=$?
fi
# here only when the plan ended (or did not kexec)
t "host-ab ended the plan with exit 0 in $rel" [ $rc = 0 ]
t "... back in the kernel it started from" [ "$rel" = "$A" ]
cp "$d/first-boot-tap.txt" /out/ 2>/dev/null
cp -a $d/results /out/results
cp -a $d/plain-* /out/
find /out -name trace.dat -delete
umount $d
echo "1..$n"
