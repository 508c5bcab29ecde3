#!/bin/sh
# LAVA on an installed host (TAP, plan at the end; make check-host): the
# disk-booted lab host (lab/host-image.sh: Debian 12, the iommu-bench
# packages installed by apt, the module built by DKMS) as a device of
# LAVA's qemu device type that boots by "minimal" (QEMU starts when LAVA
# connects to its console: lab/lava/qemu-host.jinja2), and the job
# lab/lava/job-installed.yaml.j2, as a lab runs it on a server of its
# own: LAVA logs in as root, fetches its test shell from the dispatcher
# over the network, runs lab/lava/iommu-bench.yaml.  Asserts the cases
# as tests/lab/lava.t does, the module loaded by modprobe (DKMS) and
# removed after, and the counts equal the initramfs lab's own run.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
KSET=configs/kernels/debian.conf
RUN_ARGS="--batches all+release --chunks 1"
EXP_ARGS="ib.modules=e1000e,virtio_pci,virtio_blk ib.run=remove/remove/2/0000:00:10.0//--batches,all+release,--chunks,1"
. tests/tap.sh
tmp=$(mktemp -d)
httpd=
trap '[ -z "$httpd" ] || kill "$httpd"; [ -n "${IB_KEEP:-}" ] || rm -rf "$tmp"' EXIT
A=$(lab/kernels.sh release $KSET debian-6.1)
img=$(lab/host-image.sh) || { t "the lab host's image is built" false; tap_done; exit; }
cp --sparse=always "$img/root.img" "$tmp/root.img"
types=$(lab/lava/device-types.sh)
t "LAVA's qemu device type templates" [ -s "$types/qemu.jinja2" ]

# the host's QEMU, its console on stdio: the device's connection
IB_BOOT_PRINT=1 lab/boot.sh "$img/vmlinuz-$A" "$img/initrd.img-$A" "$tmp/x" e1000e@10 intel-iommu "" \
	> "$tmp/machine"
kargs=$(sed -n '/^--append$/{n;p}' "$tmp/machine")
{
	echo "#!/bin/sh"
	printf 'exec timeout 3600 qemu-system-x86_64 '
	sed '/^--append$/,$d' "$tmp/machine" | tr '\n' ' '
	printf -- '-m 1024 -display none -serial stdio -monitor none -no-reboot '
	printf -- '-netdev user,id=lab -device virtio-net-pci,netdev=lab,bus=pcie.0,addr=0x3 '
	printf -- '-drive file=%s,if=none,id=root,format=raw -device virtio-blk-pci,drive=root,bus=pcie.0,addr=0x1e ' "$tmp/root.img"
	printf -- '-kernel %s -initrd %s ' "$img/vmlinuz-$A" "$img/initrd.img-$A"
	# the lab host's own units (host-ab's test) stay off
	printf -- '-append "console=ttyS0 root=/dev/vda1 rw %s loglevel=6 systemd.mask=lab-host-start.service systemd.mask=lab-host-done.service"\n' "$kargs"
} > "$tmp/connect.sh"
chmod +x "$tmp/connect.sh"
# qemu's deploy methods lack "overlay" (a booted OS's, as base-uboot's
# boards have it): added, for the job's test shell
printf '{"connect_command": "%s"}\n' "$tmp/connect.sh" |
	lab/lava/render.py qemu-host.jinja2 lab/lava "$types" |
	/usr/bin/python3 -c 'import sys, yaml
d = yaml.safe_load(sys.stdin)
d["actions"]["deploy"]["methods"]["overlay"] = None
yaml.safe_dump(d, sys.stdout)' > "$tmp/device.yaml"

# the dispatcher's files (LAVA's test shell) over HTTP: the guest's
# 10.0.2.2 is this machine's loopback
port=$((20000 + $$ % 10000))
/usr/bin/python3 -m http.server --bind 127.0.0.1 --directory /var/lib/lava/dispatcher "$port" \
	> "$tmp/httpd.log" 2>&1 &
httpd=$!
printf 'dispatcher_http_ip: "10.0.2.2:%s"\n' "$port" > "$tmp/dispatcher.yaml"
lab/lava/testdefs.sh "$tmp/testdefs"
printf '{"job_name": "iommu-bench on the lab host", "device_type": "qemu", "reset": false,
 "prompt": "root@lab-host:~# ", "repository": "%s", "minutes": 20,
 "download_command": "/lib/systemd/systemd-networkd-wait-online -q --timeout=120; wget -q",
 "runs": [{"NAME": "remove", "MODE": "remove", "CYCLES": "2", "DEVICES": "0000:00:10.0",
 "OWNER": "", "EXTRA": "%s", "LABEL": "debian-6.1", "BOOT": "1"}]}\n' "$tmp/testdefs" "$RUN_ARGS" |
	lab/lava/render.py job-installed.yaml.j2 lab/lava > "$tmp/job.yaml"

s=$(date +%s)
t "lava-run: the job on the installed host ends" sh -c \
	"timeout 2400 lava-run --job-id 1 --output-dir $tmp/lava --device $tmp/device.yaml \
	 --dispatcher $tmp/dispatcher.yaml $tmp/job.yaml > $tmp/lava.log 2>&1"
echo "# the LAVA job: $(($(date +%s) - s)) s" >&2
mkdir -p "$tmp/out"
t "its log taken apart" lab/lava/log.py "$tmp/lava.log" "$tmp/out"
res=$tmp/out/results.yaml
t "LAVA: the job passed" [ "$(case_of "$res" lava job)" = pass ] ||
	grep '"lvl": "error"\|"lvl": "exception"' "$tmp/lava.log" | head -n 5 | sed 's/^/#   /' >&2
t "LAVA: the test definition passed" [ "$(case_of "$res" lava 0_remove)" = pass ]
t "LAVA: case remove-module passed, the step loaded it (modprobe: DKMS built it)" \
	[ "$(case_of "$res" 0_remove remove-module)" = "pass 1.0 loaded" ]
t "LAVA: case remove-run passed" [ "$(case_of "$res" 0_remove remove-run)" = pass ]
t "LAVA: case remove-module-removed passed (rmmod after the run)" \
	[ "$(case_of "$res" 0_remove remove-module-removed)" = pass ]
t "LAVA: no kernel splat during the run" \
	[ "$(case_of "$res" 0_remove remove-kernel-splats)" = "pass 0.0 lines" ]
t "the run's result came back out of the job's log" [ -s "$tmp/out/remove/meta.json" ]
t "... from kernel $A, as the host booted it" meta_has "$tmp/out/remove/meta.json" "\"kernel_release\":\"$A\""
$IB compare --no-plots -o "$tmp/cmp" "$tmp/out/remove" > /dev/null
ncases=$(measured "$res" "$tmp/cmp/compare.csv")
t "LAVA: every latency median and count is a case, measured as compare has it ($ncases)" \
	[ "${ncases:-0}" -ge 20 ]
# the initramfs lab's own run on the same machine (a disk at 00:1e.0
# shares e1000e's interrupt line: disk-host.t); every count equal
kb=$(prepared $KSET debian-6.1)
truncate -s 64M "$tmp/scratch.img"
t "the initramfs lab's run" sh -c "IB_BOOT_DISK='$tmp/scratch.img' lab/boot.sh '${kb% *}' '${kb#* }' '$tmp/plain' \
	e1000e@10 intel-iommu '$EXP_ARGS' > /dev/null 2> '$tmp/plain.err'" ||
	boot_failed "$tmp/plain" "$tmp/plain.err"
counts "$tmp/plain/remove/cycles.csv" '^label$' > "$tmp/lab.counts"
counts "$tmp/out/remove/cycles.csv" '^label$' > "$tmp/host.counts"
t "every switch count and all hardware work equal the initramfs lab's" sh -c \
	"[ \$(wc -l < $tmp/lab.counts) -gt 1 ] && cmp $tmp/lab.counts $tmp/host.counts"
tap_done
