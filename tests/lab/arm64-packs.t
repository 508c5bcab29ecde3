#!/bin/sh
# The SMMUv3 probe pack on Debian's arm64 6.1 and 6.12 (TAP, plan at the
# end), booted under qemu-system-aarch64 with an SMMUv3 (lab/arm64.sh).
# Debian builds both Arm SMMU drivers in, which share function names: a
# kprobe on a shared name is refused, so the pack must find SMMUv3's own
# functions, and its fetches must read the right fields of these builds.
# One boot (cached) gives the kernel's symbols, checked on the host;
# a second arms every probe and traces a PCI remove and rescan of a
# device behind the SMMU; the rockchip pack's probes are armed beside
# them (the driver is built in; no hardware, so they never fire).
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# between FILE FROM TO PATTERN: a line matching PATTERN after the first
# line matching FROM and before the next line matching TO
between() {
	awk -v a="$2" -v b="$3" -v p="$4" '
		!on && $0 ~ a { on = 1; next }
		on && $0 ~ b { exit }
		on && $0 ~ p { found = 1 }
		END { exit !found }' "$1"
}

for v in 6.1 6.12; do
	case $v in
	6.1) pat='linux-image-6.1.0-*-arm64-unsigned' removed=3 ;;
	6.12) pat='linux-image-6.12.*+deb12-arm64-unsigned' removed=2 ;;
	esac
	k=$(lab/arm64.sh kernel "$pat" 2>"$tmp/err") ||
		{ t "arm64 $v: kernel fetched" false; sed 's/^/# /' "$tmp/err"; continue; }
	img=${k% *} rel=${k#* }
	ks=$(lab/arm64.sh kallsyms "$img" 2>"$tmp/err") ||
		{ t "$rel: symbols read in the guest" false; sed 's/^/# /' "$tmp/err"; continue; }
	$IB probe-check -k "$ks" -r "$rel" > "$tmp/check-$v" 2>&1
	t "$rel: probe-check: every probe the packs expect here has its function" [ $? = 0 ]
	sed 's/^/# /' "$tmp/check-$v" | grep arm-smmu
	t "$rel: arm_smmu_attach_dev is a name two drivers share" \
		[ "$(awk '$3 == "arm_smmu_attach_dev"' "$ks" | wc -l)" = 2 ]
	t "$rel: the pack uses none of the shared names" sh -c \
		"! grep -q 'need a unique name' '$tmp/check-$v'"

	mkdir -p "$tmp/in-$v"
	$IB probes -k "$ks" -a aarch64 -D arm-smmu-v3 > "$tmp/in-$v/probes.txt"
	# Rockchip's driver is built in: its probes arm here too, and never
	# fire (no QEMU machine has that IOMMU); the kernel checks each
	# function and fetch
	$IB probes -k "$ks" -a aarch64 -D rockchip | grep '^p:iommu_bench_kp/rk_' > "$tmp/rk-$v"
	cat "$tmp/rk-$v" >> "$tmp/in-$v/probes.txt"
	out=$tmp/boot-$v
	t "$rel: boots with the probes and cycles its PCI device" \
		lab/arm64.sh boot "$img" "$out" tests/lab/guest/smmu-probes.sh "$tmp/in-$v/probes.txt" ||
		continue
	tr=$out/trace dev=$(cat "$out/device")
	t "$rel: the device ($dev) is in an IOMMU group" [ -n "$(cat "$out/group")" ]
	t "$rel: the kernel accepts every probe" sh -c "[ -s '$out/armed' ] && ! grep -q refused '$out/armed'"
	t "$rel: ... the rockchip pack's among them ($(wc -l < "$tmp/rk-$v") of its probes)" sh -c \
		"[ -s '$tmp/rk-$v' ] && [ \$(grep -c '^armed p:iommu_bench_kp/rk_' '$out/armed') = $(wc -l < "$tmp/rk-$v") ]"
	drv=$(cat "$out/driver-before")
	t "$rel: the device is back on its driver ($drv) after the rescan" \
		sh -c "[ -n '$drv' ] && [ \"\$(cat '$out/driver-after')\" = '$drv' ]"
	rel_in="release: .*action=$removed dev=\"$dev\"" rel_out='release_ret:'
	case $v in
	6.1)
		t "$rel: the release detaches it itself: smmu_block_internal names it, on a domain" \
			between "$tr" "$rel_in" "$rel_out" "smmu_block_internal: .*dom=0x[1-9a-f][0-9a-f]* dev=\"$dev\""
		t "$rel: at the re-probe the detach is a no-op: dom=0x0 ('when' leaves it out)" \
			between "$tr" remove-done '$^' "smmu_block_internal: .*dom=0x0 dev=\"$dev\""
		;;
	6.12)
		t "$rel: the release switches it to blocked itself: smmu_attach dtype=0 ssid=0" \
			between "$tr" "$rel_in" "$rel_out" "smmu_attach: .*dtype=0 ssid=0 dev=\"$dev\""
		t "$rel: the re-probe attaches its DMA domain: dtype=3" \
			between "$tr" remove-done '$^' "smmu_attach: .*dtype=3 ssid=0 dev=\"$dev\""
		;;
	esac
	t "$rel: the release writes its STE" between "$tr" "$rel_in" "$rel_out" 'smmu_ste_write:'
	t "$rel: ... and waits for a CMD_SYNC (opcode 0x46 = 70)" between "$tr" "$rel_in" "$rel_out" 'smmu_cmd_sync: .*op=70$'
done
tap_done
