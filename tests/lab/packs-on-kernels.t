#!/bin/sh
# The probe packs against the kernels the lab runs (TAP, plan at the
# end): Debian's 6.1 and 6.12 (virtio-iommu loaded: a module there) and
# the source-built 6.12 with and without the review's series.  On each,
# the guest's packs.sh: no probe the packs say arms on this version is
# MISSING, and the kernel accepts every probe that found its function.
# Then the host's probe-check on the symbols the guest saved says the
# same as the guest's, and knows neither version's missing driver.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for k in configs/kernels/debian.conf:debian-6.1 configs/kernels/debian.conf:debian-6.12 \
	 configs/kernels/review.conf:src-6.12 configs/kernels/review.conf:src-6.12-review; do
	set=${k%%:*} name=${k#*:} out=$tmp/${k#*:}
	kb=$(lab/prepare-kernel.sh "$set" "$name") || { t "$name is prepared" false; continue; }
	t "$name: boots and checks its packs" sh -c \
		"lab/boot.sh '${kb% *}' '${kb#* }' '$out' 'e1000e@10' intel-iommu \
		 'ib.script=packs.sh ib.modules=virtio-iommu' >/dev/null 2>'$out.err'" ||
		boot_failed "$out" "$out.err"
	guest_tap "$out" "$name"
	[ -s "$out/kallsyms.gz" ] || { t "$name: kallsyms saved" false; continue; }
	gzip -dc "$out/kallsyms.gz" > "$out/kallsyms"
	rel=$(cat "$out/release")
	$IB probe-check -k "$out/kallsyms" -r "$rel" > "$out/host-check" 2>&1
	t "$name: the host's probe-check passes on its symbols" [ $? = 0 ]
	# the guest's lines, as the guest printed them ("# " before each)
	sed -n 's/^# \([a-z0-9-]*\.conf .*\)/\1/p' "$out/tap.txt" > "$out/guest-check"
	t "$name: ... and says what the guest's said" sh -c \
		"grep -v '^#' '$out/host-check' | cmp -s - '$out/guest-check'"
	case $name in
	debian-6.1)
		t "$name: virtio-iommu is not built" grep -q '^virtio.conf .*driver not in this kernel' "$out/host-check"
		t "$name: Intel's release detach is the clone, without its fetch" \
			grep -q '^intel.conf  *release_internal  *dmar_remove_one_dev_info\.isra\.[0-9]* (compiler clone, armed without its fetches)$' "$out/host-check"
		t "$name: AMD's DTE clear is do_detach (clear_dte_entry inlined)" \
			grep -q '^amd.conf  *amd_dte_clear  *do_detach$' "$out/host-check"
		;;
	debian-6.12)
		t "$name: virtio-iommu's release detach is found" grep -q '^virtio.conf  *virtio_release_detach  *viommu_release_device$' "$out/host-check"
		t "$name: AMD's DTE clear is dev_update_dte" grep -q '^amd.conf  *amd_dte_update_clear  *dev_update_dte$' "$out/host-check"
		;;
	esac
done

# A version the packs vouch for must arm what they say: the 6.1 symbols
# read as 6.12's miss its blocking domain.
old=$tmp/debian-6.1/kallsyms
if [ -s "$old" ]; then
	$IB probe-check -k "$old" -r 6.12.0 > "$tmp/wrong" 2>&1
	t "6.1's symbols checked as 6.12: exit 1" [ $? = 1 ]
	t "... naming blocking_domain_attach_dev MISSING" grep -q '^intel.conf  *attach_blocked  *MISSING: blocking_domain_attach_dev' "$tmp/wrong"
fi
tap_done
