#!/bin/sh
# Build a lab kernel from Debian's linux-source package, cached outside the
# tree by (source version, config fragments, patches).  Variants of one
# config share a build tree, so a patched variant rebuilds in seconds.
#
#   lab/build-kernel.sh SOURCE "FRAGMENT ..." "PATCHDIR ..."|- [ARCH]
#
# SOURCE is a package name (linux-source-6.12: /usr/src/linux-source-6.12.tar.xz)
# or a directory holding a kernel source tree that this script may patch
# (lab/ab.sh exports one from a user's git tree).  The patches of each
# PATCHDIR go on in name order, the directories in the order given.
# ARCH is amd64 (the default) or arm64, cross-built with the compiler
# lab/arm64.sh names.  Prints the cache directory holding the image
# (bzImage, or arm64's Image), its System.map and config, release and
# build (the path of the build tree, for out-of-tree modules).
# IB_CACHE overrides the cache (default ~/.cache/iommu-bench); IB_JOBS
# make's -j (default: the CPUs + 1).
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || [ $# -eq 4 ] ||
	{ echo "usage: build-kernel.sh SOURCE \"FRAGMENT ...\" \"PATCHDIR ...\"|- [ARCH]" >&2; exit 2; }
source=$1 fragments=$2 patchdir=$3 arch=${4:-amd64}
case $arch in
amd64) kmake="make -s" img=bzImage imgpath=arch/x86/boot/bzImage ;;
arm64) cross=$(lab/arm64.sh cross) || exit 1
	kmake="make -s ARCH=arm64 CROSS_COMPILE=$cross" img=Image imgpath=arch/arm64/boot/Image ;;
*) echo "build-kernel.sh: ARCH $arch is not amd64 or arm64" >&2; exit 2 ;;
esac
cache=${IB_CACHE:-$HOME/.cache/iommu-bench}/kernels
tarball=
if [ -d "$source" ]; then
	[ -f "$source/Makefile" ] && [ -d "$source/drivers/iommu" ] ||
		{ echo "build-kernel.sh: $source is not a kernel source tree" >&2; exit 1; }
else
	tarball=$(ls /usr/src/"$source".tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || { echo "build-kernel.sh: $source is not installed (apt-get install $source)" >&2; exit 1; }
fi
for f in $fragments; do
	[ -f "$f" ] || { echo "build-kernel.sh: no fragment $f" >&2; exit 1; }
done
patches=
if [ "$patchdir" != - ]; then
	for d in $patchdir; do
		[ -d "$d" ] || { echo "build-kernel.sh: no patch directory $d" >&2; exit 1; }
		these=$(ls "$d"/*.patch 2>/dev/null) || true
		[ -n "$these" ] || { echo "build-kernel.sh: no *.patch in $d" >&2; exit 1; }
		patches="$patches${patches:+
}$these"
	done
fi

if [ -n "$tarball" ]; then
	srcver=$(dpkg-query -W -f='${Version}' "$source" 2>/dev/null || stat -c %Y "$tarball")
	name=$source
else
	# a tree: named by its own .ib-version (lab/ab.sh writes the commit)
	srcver=$(cat "$source/.ib-version" 2>/dev/null || echo tree)
	name=$(basename "$source")
fi
# (amd64 keys as they were before arm64 builds: their caches stay good)
# shellcheck disable=SC2086
cfghash=$( (cat $fragments; [ "$arch" = amd64 ] || echo "arch=$arch") | sha256sum | cut -c1-12)
# keyed by what the patches say, not where they are: the same patches at
# another path are the same kernel
# shellcheck disable=SC2086
patchhash=$( ([ -z "$patches" ] && echo || cat $patches) | sha256sum | cut -c1-12)
key=$name-$srcver-$cfghash-$patchhash
out=$cache/out/$key
hit=
[ -f "$out/$img" ] && [ -f "$out/build" ] && hit=1
# IB_CHECKOUT=1 (lab/prepare-kernel.sh, holding the lock): the source
# tree is left holding this kernel's patches even when it is built, so
# that a module built next is built against its headers
if [ -n "$hit" ] && [ -z "${IB_CHECKOUT:-}" ]; then
	echo "$out"
	exit 0
fi

# One build at a time: variants patch the one source tree they share.
mkdir -p "$cache"
if [ -z "${IB_KERNEL_LOCKED:-}" ]; then
	exec 9>"$cache/.lock"
	flock 9
fi

src=$cache/src/$name-$srcver
[ -z "$tarball" ] && src=$(cd "$source" && pwd)
build=$cache/build/$name-$srcver-$cfghash
mkdir -p "$cache/src" "$build" "$out"
extract() {
	[ -n "$tarball" ] && [ ! -f "$src/.extracted" ] || return 0
	echo "build-kernel.sh: extracting $tarball (once)" >&2
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.extracted"
}
extract

# The source tree carries at most one patch set.  Copies of the patches
# it carries are kept in .ib-applied/, in order, with the set's hash, so
# that they come off as they went on, whatever became of the files since,
# and a set half put on (interrupted, or a patch that did not apply)
# comes off as far as it went.
applied=$src/.ib-applied
takeoff() {
	# the list of paths kept before the copies were
	if [ -f "$src/.applied" ]; then
		for p in $(tac "$src/.applied"); do
			patch -d "$src" -p1 -R -s --dry-run < "$p" >/dev/null 2>&1 &&
				patch -d "$src" -p1 -R -s < "$p" >&2 || return 1
		done
		rm -f "$src/.applied"
	fi
	for p in $(ls -r "$applied"/*.patch 2>/dev/null); do
		patch -d "$src" -p1 -R -s --dry-run < "$p" >/dev/null 2>&1 &&
			patch -d "$src" -p1 -R -s < "$p" >&2 || return 1
		rm "$p"
	done
	rm -rf "$applied"
}
if { [ -f "$src/.applied" ] || [ -d "$applied" ]; } &&
	[ "$(cat "$applied/hash" 2>/dev/null)" != "$patchhash" ] && ! takeoff; then
	[ -n "$tarball" ] ||
		{ echo "build-kernel.sh: cannot take the patches off $src: remove it, and it is exported again" >&2; exit 1; }
	echo "build-kernel.sh: $src does not take its patches off: extracting it again" >&2
	rm -rf "$src"
	extract
fi
if [ -n "$patches" ] && [ ! -d "$applied" ]; then
	mkdir "$applied"
	i=0
	for p in $patches; do
		i=$((i + 1))
		if ! patch -d "$src" -p1 -s --dry-run < "$p" >/dev/null 2>&1; then
			takeoff || true
			echo "build-kernel.sh: $p does not apply to $name $srcver" >&2
			exit 1
		fi
		cp "$p" "$applied/$(printf %04d $i).patch"
		patch -d "$src" -p1 -s < "$p" >&2
	done
	echo "$patchhash" > "$applied/hash"
fi
if [ -n "$hit" ]; then
	echo "$out"
	exit 0
fi

if [ "$(cat "$build/.fragments" 2>/dev/null)" != "$cfghash" ]; then
	echo "build-kernel.sh: configuring $name: tinyconfig + $fragments" >&2
	$kmake -C "$src" O="$build" tinyconfig >/dev/null
	# shellcheck disable=SC2086
	"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" $fragments >/dev/null
	$kmake -C "$src" O="$build" olddefconfig >/dev/null
	missing=
	for f in $fragments; do
		# every fragment line must have taken: a typo is an error here
		for want in $(grep -E '^CONFIG_[A-Z0-9_]+=y$' "$f"); do
			grep -qx "$want" "$build/.config" || missing="$missing $want"
		done
		for off in $(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$f"); do
			! grep -q "^$off=" "$build/.config" || missing="$missing $off(off)"
		done
	done
	[ -z "$missing" ] ||
		{ echo "build-kernel.sh: did not take (dependencies missing?):$missing" >&2; exit 1; }
	echo "$cfghash" > "$build/.fragments"
fi
echo "build-kernel.sh: building $key (a first build takes minutes)" >&2
# modules: Module.symvers of vmlinux, which the out-of-tree module needs
$kmake -C "$src" O="$build" -j"${IB_JOBS:-$(($(nproc) + 1))}" $img modules >&2
cp "$build/$imgpath" "$out/$img.tmp"
# the build tree is shared by variants: each keeps its own symbols and config
cp "$build/System.map" "$out/System.map"
cp "$build/.config" "$out/config"
$kmake -C "$src" O="$build" kernelrelease > "$out/release"
echo "$build" > "$out/build"
mv "$out/$img.tmp" "$out/$img"
echo "$out"
