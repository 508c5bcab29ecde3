#!/bin/sh
# perf next to the collector, on Debian's 6.1 and 6.12 (TAP, plan at the
# end): one boot per kernel with perf 6.1 in a second initramfs archive
# (lab/initramfs-perf.sh), running tests/lab/guest/perf.sh: the probes
# made by 'iommu-bench probes --perf' arm and fire once per release,
# 'iommu-bench import' of perf record's perf.data counts what the
# collector counts, and perf stat's counts of the tracepoints equal the
# collector's.
cd "$(dirname "$0")/../.."
KSET=configs/kernels/debian.conf
EPS="e1000e@10 e1000e@11"
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

lab/initramfs-perf.sh "$tmp/perf.cpio.gz" 2>"$tmp/err" ||
	{ t "perf's initramfs archive" false; sed 's/^/# /' "$tmp/err"; tap_done; exit; }
echo "# perf archive: $(($(wc -c < "$tmp/perf.cpio.gz") / 1048576)) MiB"
for k in debian-6.1 debian-6.12; do
	kb=$(lab/prepare-kernel.sh $KSET $k) || { t "$k is prepared" false; continue; }
	cat "${kb#* }" "$tmp/perf.cpio.gz" > "$tmp/initrd-$k"
	s=$(date +%s)
	t "$k: boots with perf" sh -c \
		"lab/boot.sh '${kb% *}' '$tmp/initrd-$k' '$tmp/$k' '$EPS' intel-iommu \
		 'ib.script=perf.sh' >/dev/null 2>'$tmp/$k.err'" || boot_failed "$tmp/$k" "$tmp/$k.err"
	echo "# boot $k: $(($(date +%s) - s)) s"
	guest_tap "$tmp/$k" "$k"
done
tap_done
