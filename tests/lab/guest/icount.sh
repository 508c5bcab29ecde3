#!/bin/sh
# Guest test (TAP) on the icount clock (lab/boot.sh IB_ICOUNT): the
# module's spin loop measured at several lengths, for the host to fit
# (tests/lab/icount.t), one probe hit's cost in instructions, and an
# owned-mode run whose lengths come in instructions.
. "$(dirname "$0")/tap.sh"
sh_=$(sed -n 's/.*ib\.icount=\([0-9]*\).*/\1/p' /proc/cmdline)

t "the guest was told the clock's shift" [ -n "$sh_" ]
t "insmod" insmod /lib/iommu_bench.ko
mkdir -p /out/spin
for turns in 0 1000 2000 4000 8000 16000; do
	t "spin $turns: measured" sh -c \
		"iommu-bench probe-cost --spin $turns --icount-shift $sh_ -j > /out/spin/$turns.json"
done
t "probe-cost prints instructions per hit" sh -c \
	"iommu-bench probe-cost --icount-shift $sh_ > /out/probe-cost.txt && grep -q 'insn a hit' /out/probe-cost.txt"
run -m owned --owner 0000:01:01.0 -d 0000:01:02.0 -n 4 --icount-shift "$sh_" \
	-o /out/owned
t "owned run on the icount clock exits 0" [ "$rc" = 0 ]
t "rmmod" rmmod iommu_bench
tap_done
