#!/bin/sh
# The arm64 lab: Debian's arm64 kernels under qemu-system-aarch64 (TCG)
# on the virt machine with an SMMUv3 (iommu=smmuv3).  Nothing arm64 is
# installed on the host: packages are fetched (apt-get download) and
# unpacked into the cache; the module and the collector are cross-built.
# lab/prepare-kernel.sh uses the first five for an arm64 kernel set (the
# lab's boots then go through lab/boot.sh, IOMMU smmuv3); the last two
# boot a bare busybox guest, to check the probe packs on these kernels.
#
#   lab/arm64.sh kernel PATTERN [RELEASE]
#                                 fetch the newest linux-image package
#                                 matching PATTERN ('*' a version) into the
#                                 cache, its kernel's release matching the
#                                 pattern RELEASE; print "IMAGE RELEASE"
#   lab/arm64.sh cross            check that the cross compiler is
#                                 installed; print its prefix
#   lab/arm64.sh headers RELEASE  fetch the kernel's headers; print their
#                                 directory (a kernel build tree for Kbuild)
#   lab/arm64.sh sysroot          fetch arm64 busybox, trace-cmd, and the
#                                 libraries of the collector; print the
#                                 directory they are unpacked in
#   lab/arm64.sh collector        cross-build iommu-bench against them;
#                                 print the binary
#   lab/arm64.sh kallsyms IMAGE  the kernel's text symbols, from one boot
#                                 (cached beside IMAGE, or beside its
#                                 package's tree); print the file
#   lab/arm64.sh boot IMAGE OUT SCRIPT [FILE...]
#                                 boot IMAGE; the guest runs SCRIPT (busybox
#                                 sh) with FILEs in /in, and what it writes
#                                 to /out comes back to OUT
#
# Fetching arm64 packages needs dpkg to know the architecture: this
# script adds it (dpkg --add-architecture arm64) the first time.
set -eu
cd "$(dirname "$0")/.."
cache=${IB_CACHE:-$HOME/.cache/iommu-bench}/arm64
timeout=${IB_BOOT_TIMEOUT:-600}
die() { echo "lab/arm64.sh: $*" >&2; exit 1; }
. lab/glob.sh

apt_arm64() {
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		[ "$(id -u)" = 0 ] || die "arm64 packages need 'dpkg --add-architecture arm64': run as root"
		echo "lab/arm64.sh: adding the arm64 architecture to dpkg (for apt-get download)" >&2
		dpkg --add-architecture arm64
	fi
	apt-get update -q >/dev/null
}

# fetch "PACKAGE..." DIR: the packages unpacked in DIR, together (once).
# The package lists are updated only when a download fails with them as
# they are: a cold prepare-kernel calls this script four times
fetch() {
	[ -e "$2/.done" ] && return 0
	rm -rf "$2.tmp" && mkdir -p "$2.tmp/root"
	# shellcheck disable=SC2086
	(cd "$2.tmp" && apt-get download -q $1 >/dev/null 2>&1) || {
		apt_arm64
		(cd "$2.tmp" && apt-get download -q $1 >/dev/null 2>&1)
	} || die "cannot download $1"
	for d in "$2.tmp"/*.deb; do dpkg-deb -x "$d" "$2.tmp/root"; done
	rm -rf "$2" && mv "$2.tmp/root" "$2" && rm -rf "$2.tmp"
	touch "$2/.done"
}

# A kernel build tree for the module: the headers package, whose common
# part and kbuild tools (host programs) are the amd64 kernel's, installed
# from Debian where missing.
headers() {
	rel=$1 dir=$cache/headers-$1
	hdr=$dir/usr/src/linux-headers-$rel
	if [ ! -e "$dir/.done" ]; then
		fetch "linux-headers-$rel:arm64" "$dir"
		for l in "$hdr/scripts" "$hdr/tools"; do
			t=$(readlink "$l")
			ln -sfn "/usr/lib/${t#../../lib/}" "$l"
		done
	fi
	common=$(sed -n 's,^include /usr/src/\(.*\)/Makefile$,\1,p' "$hdr/Makefile")
	kbuild=$(readlink "$hdr/scripts")
	kbuild=${kbuild#/usr/lib/}
	kbuild=${kbuild%/scripts}
	if [ ! -d "/usr/src/$common" ] || [ ! -d "/usr/lib/$kbuild" ]; then
		[ "$(id -u)" = 0 ] || die "$common and $kbuild are not installed: run as root"
		echo "lab/arm64.sh: installing $common $kbuild" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"$common" "$kbuild" >/dev/null || die "cannot install $common $kbuild"
	fi
	echo "$hdr"
}

# the one place that names the cross compiler (kernels, module, collector)
cross() {
	command -v aarch64-linux-gnu-gcc >/dev/null || die "no aarch64-linux-gnu-gcc (lab/deps.sh installs gcc-aarch64-linux-gnu)"
	echo aarch64-linux-gnu-
}

# the target's libraries (the -dev ones to build against, the rest to
# run), its C library and loader, busybox and trace-cmd
SYSROOT_PKGS="libc6 libtracefs1 libtraceevent1 libtracecmd1 libjson-c5 libzstd1
	libtracefs-dev libtraceevent-dev libtracecmd-dev libjson-c-dev
	busybox-static trace-cmd"
sysroot() {
	pkgs=
	for p in $SYSROOT_PKGS; do pkgs="$pkgs $p:arm64"; done
	fetch "$pkgs" "$cache/sysroot"
	echo "$cache/sysroot"
}

collector() {
	cc=$(cross)gcc
	sr=$(sysroot)
	lib=$sr/usr/lib/aarch64-linux-gnu
	make -s BUILD=build/arm64 CC="$cc" AR="$(cross)ar" \
		PKG_CONFIG="env PKG_CONFIG_SYSROOT_DIR=$sr PKG_CONFIG_LIBDIR=$lib/pkgconfig pkg-config" \
		LDFLAGS="-Wl,-rpath-link,$lib -Wl,-rpath-link,$sr/lib/aarch64-linux-gnu" \
		build/arm64/iommu-bench >&2 || die "cross-building the collector failed"
	echo build/arm64/iommu-bench
}

kernel() {
	re=$(glob_re "$1")
	pkg=$(apt-cache pkgnames 2>/dev/null | grep -E "$re" | sort -V | tail -n 1)
	if [ -z "$pkg" ]; then
		apt_arm64
		pkg=$(apt-cache pkgnames | grep -E "$re" | sort -V | tail -n 1)
	fi
	[ -n "$pkg" ] || die "no package matches $1"
	fetch "$pkg:arm64" "$cache/$pkg"
	img=$(ls "$cache/$pkg"/boot/vmlinuz-* | head -n 1)
	rel=${img##*/vmlinuz-}
	[ -z "${2:-}" ] || echo "$rel" | grep -qE "$(glob_re "$2")" ||
		die "$pkg holds kernel $rel, which is not the release $2"
	echo "$img $rel"
}

boot() {
	image=$1 out=$2 script=$3
	shift 3
	[ ! -e "$out" ] || die "$out exists"
	command -v qemu-system-aarch64 >/dev/null || die "no qemu-system-aarch64 (lab/deps.sh installs qemu-system-arm)"
	sr=$(sysroot)
	work=$out.partial
	rm -rf "$work" && mkdir -p "$work/root/bin" "$work/root/in" "$work/root/proc" \
		"$work/root/sys" "$work/root/dev"
	cp "$sr/bin/busybox" "$work/root/bin/"
	cp "$script" "$work/root/test.sh"
	for f; do cp "$f" "$work/root/in/"; done
	cat > "$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tracefs tracefs /sys/kernel/tracing
mkdir -p /out
uname -r > /out/release
sh /test.sh > /out/log 2>&1
echo "@@out-begin"
tar czf - -C /out . | base64
echo "@@out-end"
poweroff -f
INIT
	chmod +x "$work/root/init"
	(cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip) > "$work/initrd.gz"
	# one PCI device behind the SMMU to cycle, with a driver built into
	# Debian's kernels (8250_pci: a bound driver gives 6.1 its fwspec)
	timeout "$timeout" qemu-system-aarch64 -M virt,iommu=smmuv3 -cpu max \
		-m 1024 -smp 1 -nographic -no-reboot -nic none \
		-device pci-serial -kernel "$image" -initrd "$work/initrd.gz" \
		-append "console=ttyAMA0 rdinit=/init quiet" \
		> "$work/console.log" 2>&1 </dev/null || true
	mkdir -p "$work/out"
	awk '/^@@out-begin/ { f = 1; next } /^@@out-end/ { f = 0 } f' "$work/console.log" |
		tr -d '\r' | base64 -d 2>/dev/null | tar xzf - -C "$work/out" 2>/dev/null ||
		die "the guest sent no results (timeout ${timeout}s or crash); console: $work/console.log"
	[ -s "$work/out/release" ] || die "the guest sent no results; console: $work/console.log"
	mv "$work/out" "$out"
	mv "$work/console.log" "$out/console.log"
	rm -rf "$work"
}

kallsyms() {
	# beside a package's unpacked tree, or a source build's Image
	case $1 in
	*/boot/*) ks=${1%/boot/*}/kallsyms ;;
	*) ks=$(dirname "$1")/kallsyms ;;
	esac
	if [ ! -s "$ks" ]; then
		rm -rf "$ks.boot"
		boot "$1" "$ks.boot" tests/lab/guest/kallsyms.sh >&2
		gzip -dc "$ks.boot/kallsyms.gz" > "$ks.tmp" && mv "$ks.tmp" "$ks"
		rm -rf "$ks.boot"
	fi
	echo "$ks"
}

# make check runs lab tests side by side: one writer of the cache and of
# build/arm64 at a time (boot writes neither; a nested call holds it)
if [ "${1:-}" != boot ] && [ -z "${IB_ARM64_LOCKED:-}" ]; then
	mkdir -p "$cache"
	exec 8>"$cache/.lock"
	flock 8
	IB_ARM64_LOCKED=1
	export IB_ARM64_LOCKED
fi

case ${1:-} in
cross) [ $# = 1 ] || die "usage: arm64.sh cross"; cross ;;
headers) [ $# = 2 ] || die "usage: arm64.sh headers RELEASE"; headers "$2" ;;
sysroot) [ $# = 1 ] || die "usage: arm64.sh sysroot"; sysroot ;;
collector) [ $# = 1 ] || die "usage: arm64.sh collector"; collector ;;
kallsyms) [ $# = 2 ] || die "usage: arm64.sh kallsyms IMAGE"; kallsyms "$2" ;;
kernel) [ $# = 2 ] || [ $# = 3 ] || die "usage: arm64.sh kernel PATTERN [RELEASE]"
	kernel "$2" "${3:-}" ;;
boot) [ $# -ge 4 ] || die "usage: arm64.sh boot IMAGE OUT SCRIPT [FILE...]"; shift; boot "$@" ;;
*) die "usage: arm64.sh kernel PATTERN | cross | headers RELEASE | sysroot | collector | kallsyms IMAGE | boot IMAGE OUT SCRIPT [FILE...]" ;;
esac
