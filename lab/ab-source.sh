#!/bin/sh
# The kernel source a commit of a git tree is built from, for lab/ab.sh:
# a Debian linux-source package whose files are the commit's (the same
# git tree hash), so that its kernels already in the cache are used, or
# else the commit exported into the cache once, named by its tree hash.
# Prints the package name or the directory.  The tree is only read.
#
#   lab/ab-source.sh TREE COMMIT
#
# A package's tree hash is computed once (a minute: its files through
# git add) and kept in the cache beside its version.
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: ab-source.sh TREE COMMIT" >&2; exit 2; }
tree=$1 commit=$2
cache=${IB_CACHE:-$HOME/.cache/iommu-bench}
want=$(git -C "$tree" rev-parse --verify -q "$commit^{tree}") ||
	{ echo "ab-source.sh: no commit $commit in $tree" >&2; exit 1; }
ver=$(git -C "$tree" show "$commit:Makefile" 2>/dev/null |
	sed -n -e 's/^VERSION = //p' -e 's/^PATCHLEVEL = //p' | paste -sd.) ||
	true
[ -n "$ver" ] || { echo "ab-source.sh: $commit has no kernel Makefile" >&2; exit 1; }

# the tree hash of a package's tarball, as git add -A -f of its files
tree_of() { # PACKAGE TARBALL
	pv=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null) || return 1
	f=$cache/trees/$1-$pv
	if [ ! -s "$f" ]; then
		echo "ab: hashing $1's files once (a minute)" >&2
		mkdir -p "$cache/trees"
		tmp=$(mktemp -d "$cache/trees/.hash.XXXXXX")
		mkdir "$tmp/src"
		tar -xf "$2" -C "$tmp/src" --strip-components=1 &&
			git init -q --bare "$tmp/git" &&
			git --git-dir="$tmp/git" --work-tree="$tmp/src" add -A -f &&
			git --git-dir="$tmp/git" --work-tree="$tmp/src" write-tree > "$f.tmp" &&
			mv "$f.tmp" "$f" || { rm -rf "$tmp" "$f.tmp"; return 1; }
		rm -rf "$tmp"
	fi
	cat "$f"
}

for tarball in /usr/src/linux-source-"$ver".tar.*; do
	[ -f "$tarball" ] || continue
	pkg=$(basename "$tarball" | sed 's/\.tar\..*//')
	if [ "$(tree_of "$pkg" "$tarball")" = "$want" ]; then
		echo "$pkg"
		exit 0
	fi
done

# no package holds these files: export them, named by what they are
src=$cache/src/tree-$(echo "$want" | cut -c1-12)
if [ ! -f "$src/.ib-version" ]; then
	echo "ab: exporting $commit into the cache (once per tree)" >&2
	mkdir -p "$cache/src"
	# into a directory of its own, then in place: a run beside it or an
	# interrupted one never leaves half a tree under the name
	tmp=$(mktemp -d "$cache/src/.export.XXXXXX")
	git -C "$tree" archive --format=tar "$commit" | tar -x -C "$tmp" ||
		{ rm -rf "$tmp"; echo "ab-source.sh: cannot export $commit" >&2; exit 1; }
	[ -d "$tmp/drivers/iommu" ] ||
		{ rm -rf "$tmp"; echo "ab-source.sh: $commit is not a kernel tree (no drivers/iommu)" >&2; exit 1; }
	echo "$want" > "$tmp/.ib-version"
	if [ -f "$src/.ib-version" ]; then
		rm -rf "$tmp"	# another run exported it meanwhile
	else
		rm -rf "$src"
		mv -T "$tmp" "$src"
	fi
fi
echo "$src"
