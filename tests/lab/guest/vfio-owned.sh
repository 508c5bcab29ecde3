#!/bin/sh
# Guest test (TAP): owned mode against the real thing.  The group of
# modes.sh's owned case (01:01.0 and 01:02.0 behind a PCIe-to-PCI
# bridge): first the module's own owner claims it (run -m owned); then
# 01:01.0 is bound to vfio-pci and its group held through VFIO as a
# user-space driver holds it (vfio_hold: a container, then also the
# type1 IOMMU), and 01:02.0 is removed and rescanned.  The release must
# switch as with the module's owner.  Needs ib.modules=vfio-pci,vfio_iommu_type1.
. "$IOMMU_BENCH_DATA/tests/tap.sh"
OWNER=0000:01:01.0 DEV=0000:01:02.0
T=$IOMMU_BENCH_DATA/tests
grp() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }
# col CSV COLUMN: the column's values, one line
col() { awk -F, -v w="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == w) c = i; next } { printf "%s ", $c }' "$1"; }
# same A B: the release's switch columns are the same, row for row
same() {
	for c in release_switches release_switches_traced release_switches_untraced \
		 release_switches_redundant release_target releases; do
		[ "$(col "$1" $c)" = "$(col "$2" $c)" ] ||
			{ echo "# $c: $(col "$1" $c)/ $(col "$2" $c)"; return 1; }
	done
}
show() {
	for c in release_switches release_switches_redundant release_target; do
		echo "# $1 $c: $(col "$2" $c)"
	done
}

t "the owner and its mate share one group" [ "$(grp $OWNER)" = "$(grp $DEV)" ]
was=$(driver $OWNER)
t "insmod iommu_bench.ko" insmod /lib/iommu_bench.ko
run_counts -m owned --owner $OWNER -d $DEV -n 3 -o /out/module
t "the module's owner: runs" [ "$rc" = 0 ]
show module /out/module/cycles.csv

echo vfio-pci > /sys/bus/pci/devices/$OWNER/driver_override
echo $OWNER > /sys/bus/pci/drivers_probe
t "the owner is bound to vfio-pci" [ "$(driver $OWNER)" = vfio-pci ]
for how in container type1; do
	arg=
	[ $how = type1 ] && arg=type1
	rm -f /tmp/hold /tmp/held
	mkfifo /tmp/hold
	"$T/vfio_hold" "$(grp $OWNER)" $arg < /tmp/hold > /tmp/held 2>/tmp/hold.err &
	exec 3> /tmp/hold
	i=0
	while [ $i -lt 100 ] && ! grep -q held /tmp/held; do sleep 0.1; i=$((i + 1)); done
	sed 's/^/# /' /tmp/hold.err
	t "VFIO ($how): the group is held" grep -q held /tmp/held
	run_counts -d $DEV -n 3 -o /out/vfio-$how
	t "VFIO ($how): its mate is removed and rescanned" [ "$rc" = 0 ]
	# the device the user holds: the module refuses it in every mode
	# (its removal would wait for the user, holding the rescan lock)
	for m in "1" "2" "4" "5" "3 $DEV"; do
		dmesg -c > /dev/null
		"$T/ioctl_abi" --check $OWNER $m > /tmp/check 2>&1
		t "VFIO ($how): the held device is refused by the module in mode ${m%% *}" \
			sh -c "grep -q 'errno 16' /tmp/check && dmesg | grep -q '$OWNER: iommu_bench: is bound to vfio-pci and its IOMMU group [0-9]* is claimed by a user'"
	done
	dmesg -c > /dev/null
	"$T/ioctl_abi" --check $DEV 3 $OWNER > /tmp/check 2>&1
	t "VFIO ($how): owned mode with the held device as the owner is refused" \
		sh -c "grep -q 'errno 16' /tmp/check && dmesg | grep -q '$OWNER: iommu_bench: is bound to vfio-pci'"
	run -d $OWNER -n 1 -o /tmp/r
	t "VFIO ($how): the collector relays the kernel's reason (exit 3)" \
		sh -c "[ $rc = 3 ] && grep -q 'is claimed by a user' /tmp/err && [ ! -e /tmp/r ]"
	t "VFIO ($how): the held device is still on vfio-pci" [ "$(driver $OWNER)" = vfio-pci ]
	show "vfio-$how" /out/vfio-$how/cycles.csv
	exec 3>&-
	wait
done
t "VFIO (container): the release switches as with the module's owner" \
	same /out/module/cycles.csv /out/vfio-container/cycles.csv
echo "" > /sys/bus/pci/devices/$OWNER/driver_override
echo $OWNER > /sys/bus/pci/drivers/vfio-pci/unbind
[ -z "$was" ] || echo $OWNER > "/sys/bus/pci/drivers/$was/bind"
t "the owner is back as it was ('$was')" [ "$(driver $OWNER)" = "$was" ]
t "its mate is present" [ -e /sys/bus/pci/devices/$DEV ]
t "rmmod iommu_bench" rmmod iommu_bench
no_splat "no kernel warning, bug or oops"
tap_done
