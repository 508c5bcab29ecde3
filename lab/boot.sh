#!/bin/sh
# Boot one lab guest under QEMU (TCG) and bring its /out back.
#
#   lab/boot.sh KERNEL INITRD OUTDIR "ENDPOINTS" "IOMMU" "CMDLINE" [MEM CPUS]
#
# KERNEL "disk" (x86 only, with IB_BOOT_DISK): no kernel of ours; the
# firmware boots that disk's boot loader, and a reboot in the guest is a
# reboot of the machine (INITRD and CMDLINE are then "").  The firmware
# is SeaBIOS, or UEFI (OVMF, its variables new for the boot) with
# IB_BOOT_FIRMWARE=uefi.
#
# ENDPOINTS: "model@slot ..." on the q35 root bus (e1000e@10 -> 00:10.0),
# or "model@br.slot" behind a PCIe-to-PCI bridge at 00:08.0 (e1000@br.1
# -> 01:01.0): conventional PCI devices there share one IOMMU group; or
# "model@rp.slot", alone behind a hot-plug PCIe root port at 00:slot.0,
# with the QEMU id ibepSLOT: the guest may unplug it by printing
# "[lab] qemu: device_del ibepSLOT" on the console (QEMU's monitor); or
# "model@sw.port", alone behind downstream port PORT (1-8) of one PCIe
# switch under root port 00:0a.0, which has no ACS: the switch's
# endpoints, each on a bus of its own, share one IOMMU group.  Model
# "nvme" is an NVMe controller with SR-IOV (2 VFs), best behind a root
# port (nvme@rp.9): its VFs are functions 1 and 2 of its slot; model
# "nvme-mpath" (root bus only) one in a multi-controller subsystem with
# a namespace on a scratch disk: Linux makes it a native multipath disk.
# IOMMU: a QEMU IOMMU device (intel-iommu, intel-iommu-sm: VT-d in
# scalable mode, amd-iommu, virtio-iommu) or none, on x86's q35; or
# smmuv3, on arm64's virt (KERNEL and INITRD arm64's: lab/arm64.sh,
# lab/prepare-kernel.sh), with the same ENDPOINTS.  CMDLINE: ib.* parameters for
# lab/guest-init.  OUTDIR (must not exist) gets the guest's result tree and
# console.log.  [lab] lines of the console are shown as progress.
# IB_BOOT_PRINT=1 (x86 only): boot nothing; print the machine's QEMU
# arguments, a line each, then "--append" and the kernel's own parameters
# (lab/lava-boot.sh gives them to LAVA's QEMU device type).
set -eu
[ $# -ge 6 ] || { echo "usage: boot.sh KERNEL INITRD OUTDIR ENDPOINTS IOMMU CMDLINE [MEM CPUS]" >&2; exit 2; }
kernel=$1 initrd=$2 outdir=$3 endpoints=$4 iommu=$5 cmdline=$6
mem=${7:-1024} cpus=${8:-2}
timeout=${IB_BOOT_TIMEOUT:-600}
# IB_BOOT_CONSOLE: another console than ttyS0 (progress is then not shown)
# IB_TCG_THREAD: single (default) or multi.  Multi-threaded TCG runs stale
# code after the kernel patches its own text: "Oops: int3" at a static key
# or kprobe site, 2 boots in 8 on a loaded host; single-threaded, none in 12
# and no slower on two host cores.
tcg_thread=${IB_TCG_THREAD:-single}
# IB_ICOUNT=SHIFT (0-10): the guest's clock counts instructions (QEMU's
# icount): each executed guest instruction advances it by 2^SHIFT ns, and
# idle time is skipped (sleep=off), so a span's length is an instruction
# count.  It needs single-threaded TCG.  The guest is told the shift
# (ib.icount=SHIFT) and reports instructions, never time.  Unset: the
# clock follows the host's (plain TCG).
icount=${IB_ICOUNT:-}
case $icount in
'') ;;
[0-9] | 10)
	[ "$tcg_thread" = single ] ||
		{ echo "boot.sh: IB_ICOUNT needs single-threaded TCG (IB_TCG_THREAD=single)" >&2; exit 1; } ;;
*) echo "boot.sh: IB_ICOUNT=$icount: the shift is 0 to 10" >&2; exit 1 ;;
esac

print=${IB_BOOT_PRINT:-}
if [ "$kernel" = disk ]; then
	[ -n "${IB_BOOT_DISK:-}" ] && [ "$iommu" != smmuv3 ] ||
		{ echo "boot.sh: KERNEL disk boots IB_BOOT_DISK's boot loader, on x86" >&2; exit 1; }
else
	[ -f "$kernel" ] || { echo "boot.sh: no kernel $kernel" >&2; exit 1; }
fi
[ -n "$print" ] || [ ! -e "$outdir" ] || { echo "boot.sh: $outdir exists" >&2; exit 1; }
work=$outdir.partial
[ -n "$print" ] || mkdir -p "$work"

case $iommu in
intel-iommu) iommu_dev="intel-iommu,intremap=on"; iommu_arg="intel_iommu=on" ;;
# arm64: the virt machine with an SMMUv3 (the kernel an arm64 one)
smmuv3) iommu_dev= iommu_arg= ;;
# VT-d in scalable mode, as since Ice Lake (Debian's kernels turn it on
# when the hardware has it): PASID table entries instead of context entries
intel-iommu-sm) iommu_dev="intel-iommu,intremap=on,x-scalable-mode=on"; iommu_arg="intel_iommu=on,sm_on" ;;
# AMD-Vi is on by default (amd_iommu= has no "on")
amd-iommu) iommu_dev="amd-iommu,intremap=on"; iommu_arg= ;;
# a virtio-iommu-pci at 00:07.0 (ACPI VIOT); the guest loads its driver
virtio-iommu) iommu_dev="virtio-iommu-pci,addr=07.0"; iommu_arg= ;;
none) iommu_dev= iommu_arg="intel_iommu=off amd_iommu=off" ;;
*) echo "boot.sh: unknown IOMMU $iommu" >&2; exit 1 ;;
esac

if [ "$iommu" = smmuv3 ]; then
	# virt has one UART, the console: the results come over a PCI serial
	# port at 00:01.0 (ttyS0, the first 8250 the guest finds; also
	# behind the SMMU, but it does no DMA)
	qemu=qemu-system-aarch64
	set -- -machine virt,iommu=smmuv3 -accel "tcg,thread=$tcg_thread" -cpu max \
		-m "$mem" -smp "$cpus" -nic none -display none -serial stdio \
		-chardev "pipe,id=ibmon,path=$work/monitor" -mon chardev=ibmon \
		-chardev "file,id=ibout,path=$work/serial1.b64" \
		-device pci-serial,chardev=ibout,bus=pcie.0,addr=0x1 \
		-no-reboot -kernel "$kernel" -initrd "$initrd" \
		-append "console=${IB_BOOT_CONSOLE:-ttyAMA0} quiet panic=-1 ib.out=ttyS0${icount:+ ib.icount=$icount} $cmdline"
else
	# no_timer_check: the kernel's early check that the IO-APIC timer
	# ticks busy-waits on the TSC, and under TCG on a loaded host the
	# ticks come late: "timer doesn't work through Interrupt-remapped
	# IO-APIC", a panic (1 boot in 3 beside two busy loops).  Hypervisor
	# guests skip it too.
	# The machine first, its plumbing (console, results, monitor, kernel)
	# last: IB_BOOT_PRINT prints the machine alone
	qemu=qemu-system-x86_64 kargs="$iommu_arg quiet panic=-1 no_timer_check${icount:+ ib.icount=$icount}"
	set -- -machine q35,kernel-irqchip=split -accel "tcg,thread=$tcg_thread" -cpu max \
		-smp "$cpus"
fi
[ -n "$print" ] && [ "$iommu" = smmuv3 ] &&
	{ echo "boot.sh: IB_BOOT_PRINT is for x86's q35 only" >&2; exit 1; }
[ -z "$icount" ] || set -- "$@" -icount "shift=$icount,sleep=off,align=off"
[ -z "$iommu_dev" ] || set -- "$@" -device "$iommu_dev"
bridge= switch=
for ep in $endpoints; do
	model=${ep%@*} slot=${ep#*@} bus=pcie.0
	case $slot in
	br.*)
		slot=${slot#br.} bus=ibbr
		[ -n "$bridge" ] || set -- "$@" -device pcie-pci-bridge,id=ibbr,bus=pcie.0,addr=0x8
		bridge=1 ;;
	sw.[1-8])
		slot=${slot#sw.} bus=ibswdn$slot
		[ -n "$switch" ] || set -- "$@" \
			-device pcie-root-port,id=ibswrp,bus=pcie.0,addr=0xa,chassis=10,slot=10,disable-acs=on \
			-device x3130-upstream,id=ibswup,bus=ibswrp
		switch=1
		set -- "$@" -device "xio3130-downstream,id=$bus,bus=ibswup,addr=0x$slot,chassis=$((10 + slot)),slot=$((10 + slot))"
		slot=0 ;;
	rp.*)
		slot=${slot#rp.} bus=ibrp$slot
		set -- "$@" -device "pcie-root-port,id=$bus,bus=pcie.0,addr=0x$slot,chassis=$slot,slot=$slot"
		model="$model,id=ibep$slot" slot=0 ;;
	esac
	case ${model%%,*} in
	virtio-blk-pci)
		[ -z "$print" ] || { echo "boot.sh: $ep: a scratch disk is the lab's own" >&2; exit 1; }
		# a scratch disk, new for every boot
		truncate -s 256M "$work/disk.img"
		set -- "$@" -drive "file=$work/disk.img,if=none,id=ibdisk,format=raw"
		model="$model,drive=ibdisk" ;;
	nvme)
		# SR-IOV capable (2 VFs; QEMU needs a subsystem for it), no
		# namespace: a PF whose VFs a release would destroy
		set -- "$@" -device "nvme-subsys,id=ibnvss$slot,nqn=ib$slot"
		model="$model,serial=ib$slot,subsys=ibnvss$slot,sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2,max_ioqpairs=6,msix_qsize=4" ;;
	nvme-mpath)
		[ -z "$print" ] || { echo "boot.sh: $ep: a scratch disk is the lab's own" >&2; exit 1; }
		truncate -s 64M "$work/nvme$slot.img"
		set -- "$@" -device "nvme-subsys,id=ibnvms$slot,nqn=ibm$slot" \
			-drive "file=$work/nvme$slot.img,if=none,id=ibnvd$slot,format=raw"
		model="nvme,id=ibnvc$slot,serial=ibm$slot,subsys=ibnvms$slot"
		ns="nvme-ns,drive=ibnvd$slot,bus=ibnvc$slot" ;;
	esac
	# romfile= : no option ROM, the guest never boots from it
	set -- "$@" -device "$model,bus=$bus,addr=0x$slot,romfile="
	[ -z "${ns:-}" ] || set -- "$@" -device "$ns"
	ns=
done

if [ -n "$print" ]; then
	printf '%s\n' "$@" --append "$kargs"
	exit 0
fi
[ "$iommu" = smmuv3 ] || set -- "$@" -m "$mem" -nic none -display none -serial stdio \
	-chardev "pipe,id=ibmon,path=$work/monitor" -mon chardev=ibmon \
	-serial "file:$work/serial1.b64"
if [ "$kernel" = disk ] && [ "${IB_BOOT_FIRMWARE:-bios}" = uefi ]; then
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/efivars.fd"
	set -- "$@" -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
		-drive "if=pflash,format=raw,file=$work/efivars.fd"
fi
[ "$iommu" = smmuv3 ] || [ "$kernel" = disk ] || set -- "$@" \
	-no-reboot -kernel "$kernel" -initrd "$initrd" \
	-append "console=${IB_BOOT_CONSOLE:-ttyS0} $kargs $cmdline"

# IB_BOOT_DISK=FILE: a disk image that outlives the boot (host-ab's lab
# test: the plan and results across kexecs and resets), virtio at 00:1e.0
# (KERNEL disk: the one the firmware boots)
[ -z "${IB_BOOT_DISK:-}" ] || set -- "$@" \
	-drive "file=$IB_BOOT_DISK,if=none,id=ibstate,format=raw" \
	-device "virtio-blk-pci,drive=ibstate,bus=pcie.0,addr=0x1e$([ "$kernel" != disk ] || echo ,bootindex=0)"

# QEMU's monitor on two FIFOs (no socket tool needed): monitor.in takes
# commands; QEMU holds both ends of each, so nothing blocks while it runs
mkfifo "$work/monitor.in" "$work/monitor.out"
# lab_lines: [lab] lines are progress; a device_del of one of our root
# port endpoints, asked for by the guest, goes to the monitor
lab_lines() {
	while IFS= read -r line; do
		case $line in
		"[lab] qemu: device_del ibep"*)
			id=${line#"[lab] qemu: device_del "}
			case $id in *[!a-z0-9]*) continue ;; esac
			timeout 10 sh -c 'echo "device_del $1" > "$2"' - "$id" \
				"$work/monitor.in" || echo "boot.sh: device_del $id not sent" >&2 ;;
		"[lab]"*) echo "$line" ;;
		esac
	done
}

status=0
# The console goes to console.log, a line at a time (tr buffers 4 KB into
# a pipe: a guest's request to the monitor would come after QEMU exits).
# A kernel that dies before the lab's init has said a word ran neither
# our module nor the collector: under TCG, a double fault in start_kernel
# with a corrupt EFLAGS (Debian's 6.12, seen once, in a fresh-clone make
# check).  It is booted once more, never twice; the dead boot's console
# is kept beside (console.died-early.log) and the retry said.  A kernel
# that always dies early dies twice and fails.  Not with IB_BOOT_DISK: a
# disk that outlives the boot may have been written to (a disk-booted
# host says its first word after a whole systemd boot).
splat='Oops|BUG:|Kernel panic'
try=1
while :; do
	timeout "$timeout" "$qemu" "$@" </dev/null 2>&1 |
		stdbuf -oL tr -d '\r' | tee "$work/console.log" | lab_lines || true
	[ $try -eq 1 ] && [ -z "${IB_BOOT_CONSOLE:-}" ] && [ -z "${IB_BOOT_DISK:-}" ] &&
		! grep -q '^IB-END' "$work/serial1.b64" 2>/dev/null &&
		! grep -q '^\[lab\]' "$work/console.log" &&
		grep -q -E "$splat" "$work/console.log" || break
	mv "$work/console.log" "$work/console.died-early.log"
	echo "boot.sh: the kernel died before the lab's init said a word (our module and collector had not run; console.died-early.log): booting once more" >&2
	grep -m1 -E "$splat" "$work/console.died-early.log" >&2 || true
	rm -f "$work/serial1.b64"
	[ ! -f "$work/disk.img" ] || { rm -f "$work/disk.img"; truncate -s 256M "$work/disk.img"; }
	try=2
done
rm -f "$work/monitor.in" "$work/monitor.out"
if ! grep -q '^IB-END' "$work/serial1.b64" 2>/dev/null; then
	echo "boot.sh: the guest sent no results (timeout ${timeout}s or crash); console: $work/console.log" >&2
	# the first oops or panic if there is one, else the end of the console
	grep -m1 -A24 -E "$splat" "$work/console.log" >&2 ||
		tail -n 20 "$work/console.log" >&2 || true
	exit 1
fi
# IB-BEGIN may end a line a firmware began on that port (UEFI's console
# is on every serial port: OVMF and GRUB leave colour codes there)
sed -n '/IB-BEGIN\r*$/,/^IB-END/p' "$work/serial1.b64" | tr -d '\r' |
	grep -v 'IB-' | base64 -d | tar -xzm -C "$work" || status=1
# corrupt: what came over the serial line is kept beside the console
[ $status -eq 0 ] || { echo "boot.sh: results from the guest are corrupt ($work/serial1.b64)" >&2; exit 1; }
rm -f "$work/serial1.b64" "$work/disk.img" "$work/efivars.fd"
mv "$work" "$outdir"
