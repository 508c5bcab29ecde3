#!/bin/sh
# lab/lava/testdefs.sh DIR: a git repository in DIR holding this tree's
# lab/lava/ test definition as it is now (committed or not), for a LAVA
# job's "from: git" (as a lab's jobs take it from this project's URL).
set -eu
cd "$(dirname "$0")/../.."
[ $# -eq 1 ] || { echo "usage: testdefs.sh DIR" >&2; exit 2; }
mkdir -p "$1/lab/lava"
cp lab/lava/iommu-bench.yaml lab/lava/dut-run.sh "$1/lab/lava/"
git -C "$1" init -q
git -C "$1" add -A
git -C "$1" -c user.name=lab -c user.email=lab@localhost commit -qm "test definitions"
