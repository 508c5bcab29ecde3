#!/bin/sh
# The git tree tests/lab/ab-series.t runs ab on, as a patch author has
# one: Debian's linux-source-6.12 as one commit (branch base), the
# review's three patches on it with git am (branch review), and two
# branches that fail on purpose after the first patch: broken-build (a
# call of an undeclared function) and broken-boot (a panic at boot).
# Made once per source version; prints the tree's path.
#   tests/lab/ab-tree.sh DIR
set -eu
cd "$(dirname "$0")/../.."
[ $# -eq 1 ] || { echo "usage: ab-tree.sh DIR" >&2; exit 2; }
t=$1
pkg=linux-source-6.12
ver=$(dpkg-query -W -f='${Version}' $pkg)
if [ "$(cat "$t/.git/ib-fixture" 2>/dev/null)" = "$ver" ]; then
	echo "$t"
	exit 0
fi
rm -rf "$t"
mkdir -p "$t"
echo "ab-tree.sh: $pkg $ver as a git tree (a minute)" >&2
tar -xf /usr/src/$pkg.tar.xz -C "$t" --strip-components=1
export GIT_AUTHOR_NAME=iommu-bench GIT_AUTHOR_EMAIL=iommu-bench@example.org
export GIT_COMMITTER_NAME=iommu-bench GIT_COMMITTER_EMAIL=iommu-bench@example.org
g() { git -C "$t" "$@"; }
g init -q -b base
# Debian's .gitignore ignores the top level: every file is the kernel's
g add -A -f
g commit -q -m "$pkg $ver"
g checkout -q -b review
g am -q "$(pwd)"/configs/patches/release-domain-review/*.patch
breaks() { # BRANCH SUBJECT: patch 1, then SUBJECT appending stdin to iommu.c
	g checkout -q -b "$1" review~2
	cat >> "$t/drivers/iommu/iommu.c"
	g commit -q -a -m "$2"
}
breaks broken-build "iommu: Call a function that does not exist" <<'C'

static int __init ib_test_no_build(void)
{
	return iommu_bench_no_such_function();
}
core_initcall(ib_test_no_build);
C
breaks broken-boot "iommu: Panic at boot" <<'C'

static int __init ib_test_no_boot(void)
{
	panic("iommu-bench test: a patch that does not boot");
}
core_initcall(ib_test_no_boot);
C
g checkout -q review
echo "$ver" > "$t/.git/ib-fixture"
echo "$t"
