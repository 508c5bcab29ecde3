#!/bin/sh
# Lab kernels of a kernel set (configs/kernels/*.conf).
#
#   lab/kernels.sh install SET      install each kernel + headers if absent
#   lab/kernels.sh release SET NAME print the installed release (uname -r)
#   lab/kernels.sh names SET        print the kernel names, in order
#
# "Newest" means by version sort; an installed match is used as it is, so
# a run does not change kernels under a user's feet.
set -eu
cd "$(dirname "$0")/.."
IB=build/iommu-bench

die() { echo "lab/kernels.sh: $*" >&2; exit 1; }

. lab/glob.sh

installed_release() {
	pat=$($IB config get "$1" "$2" release) || exit 1
	re=$(glob_re "$pat")
	for v in /boot/vmlinuz-*; do
		r=${v#/boot/vmlinuz-}
		echo "$r" | grep -qE "$re" && [ -d "/usr/src/linux-headers-$r" ] && echo "$r"
	done | sort -V | tail -n 1
}

install_one() {
	set_file=$1 name=$2
	# kernels built from source are built, and arm64 ones fetched, by
	# lab/prepare-kernel.sh
	[ -z "$($IB config get "$set_file" "$name" source "")" ] || return 0
	[ "$($IB config get "$set_file" "$name" arch amd64)" = amd64 ] || return 0
	[ -n "$(installed_release "$set_file" "$name")" ] && return 0
	image=$($IB config get "$set_file" "$name" image)
	[ "$(id -u)" = 0 ] || die "kernel $name is not installed; run as root to install it"
	echo "lab/kernels.sh: installing kernel $name ($image)"
	export DEBIAN_FRONTEND=noninteractive
	[ -n "${IB_APT_UPDATED:-}" ] || { apt-get update -q >/dev/null; IB_APT_UPDATED=1; }
	img=$(apt-cache pkgnames | grep -E "$(glob_re "$image")" | sort -V | tail -n 1)
	[ -n "$img" ] || die "no package matches $image"
	# the headers of the same release: image name minus prefix and flavour suffix
	rel=${img#linux-image-}
	rel=${rel%-unsigned}
	hdr=linux-headers-$rel
	apt-cache show "$hdr" >/dev/null 2>&1 || die "$img has no headers package $hdr"
	# INITRD=No: the lab boots its own initramfs, skip building Debian's
	INITRD=No apt-get install -y -q --no-install-recommends "$img" "$hdr" >/dev/null
}

[ -x "$IB" ] || die "$IB is not built (make)"
[ $# -ge 2 ] || die "usage: kernels.sh install|release|names SET [NAME]"
cmd=$1 set_file=$2
[ -f "$set_file" ] || die "no kernel set $set_file"
case $cmd in
names) $IB config sections "$set_file" ;;
install)
	for n in $($IB config sections "$set_file"); do install_one "$set_file" "$n"; done ;;
release)
	[ $# -eq 3 ] || die "usage: kernels.sh release SET NAME"
	r=$(installed_release "$set_file" "$3")
	[ -n "$r" ] || die "kernel $3 of $set_file is not installed (lab/kernels.sh install $set_file)"
	echo "$r" ;;
*) die "unknown command $cmd" ;;
esac
