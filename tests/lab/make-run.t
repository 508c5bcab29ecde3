#!/bin/sh
# The README's main command as a new user runs it (TAP, plan at the end):
# "make run" in a fresh git clone of this tree, which has no build/ and no
# results/, cut down to one boot per kernel and two cycles (IB_ROUNDS,
# IB_CYCLES) but otherwise the same Makefile target, scripts and code.
# Asserts a complete result directory: every kernel's merged result, the
# tables, plots and cover letters of both experiments.  Kernels come from
# the cache outside the tree, as they would for a user who has run it once.
cd "$(dirname "$0")/../.."
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
KERNELS="debian-6.1 debian-6.12 src-6.12 src-6.12-review"

t "a fresh clone of this tree" git clone -q . "$tmp/clone"
t "... has no build/ and no results but the examples" sh -c \
	"[ ! -e $tmp/clone/build ] && [ -z \"\$(ls $tmp/clone/results | grep -v '^examples\$')\" ]"
t "make run in it exits 0" sh -c \
	"cd $tmp/clone && IB_ROUNDS=1 IB_CYCLES=2 make run > $tmp/log 2>&1"
tail -n 15 "$tmp/log" | sed 's/^/# /'
run=$(ls -d "$tmp"/clone/results/*-default+owned 2>/dev/null | head -n 1)
t "one complete result directory, nothing left half-written" sh -c \
	"[ -n '$run' ] && ! ls -d $tmp/clone/results/*.partial $tmp/clone/results/*.failed 2>/dev/null | grep -q ."
for e in default owned; do
	for k in $KERNELS; do
		t "$e/$k: merged meta.json and cycles.csv" sh -c \
			"[ -s $run/$e/$k/meta.json ] && [ -s $run/$e/$k/cycles.csv ]"
		t "$e/$k: the boot's own result, with its trace.dat" \
			[ -s "$run/boots/$k/1/$e/trace.dat" ]
	done
	for c in compare compare-ab; do
		t "$e/$c: the table as text, JSON and CSV" sh -c \
			"[ -s $run/$e/$c/compare.txt ] && [ -s $run/$e/$c/compare.json ] && [ -s $run/$e/$c/compare.csv ]"
		for p in release_latency phases counts; do
			t "$e/$c: plot $p as PNG and SVG" sh -c \
				"head -c 8 $run/$e/$c/$p.png | grep -q PNG && grep -q '<svg' $run/$e/$c/$p.svg"
		done
	done
	t "$e: the A/B cover letter, in 72 columns" sh -c \
		"grep -q 'src-6.12-review vs src-6.12, release latency' $run/$e/compare-ab/cover-letter.txt && ! awk 'length > 72' $run/$e/compare-ab/cover-letter.txt | grep -q ."
	t "$e: with one boot a side it says no verdict can be reached" \
		grep -q 'cannot reach p < 0.05' "$run/$e/compare-ab/cover-letter.txt"
	t "$e: make run printed it" grep -q "$e: cover letter" "$tmp/log"
done
# one rule on every kernel: a release takes its device off its domain
# once; on 6.1 the driver does it (no switch), on 6.12 the core's switch
t "default: one detach per release on every kernel" \
	grep -qE '^detaches per release +1 +1 \(\+0\) +1 \(\+0\) +1 \(\+0\)' "$run/default/compare/compare.txt"
t "default: ... 6.1's by the driver itself, the others' by a switch" \
	grep -qE '^  by the driver itself +1 +0 \(-1\) +0 \(-1\) +0 \(-1\)' "$run/default/compare/compare.txt"
# then the same experiments on the icount clock, in boots of their own:
# every length in guest instructions
ic=$(ls -d "$tmp"/clone/results/*-default+owned-icount 2>/dev/null | head -n 1)
for e in default owned; do
	for k in $KERNELS; do
		t "icount $e/$k: merged, its lengths in instructions" sh -c \
			"[ -n '$ic' ] && head -n 1 $ic/$e/$k/cycles.csv | grep -q ',release_insn,' &&
			 grep -q '\"clock_unit\":\"instructions\"' $ic/$e/$k/meta.json"
	done
	t "icount $e: the table says instructions, never us" sh -c \
		"grep -q '^release (insn)' $ic/$e/compare/compare.txt && ! grep -q '(us)' $ic/$e/compare/compare.txt"
	t "icount $e: the A/B cover letter says what the count is, in 72 columns" sh -c \
		"grep -q 'CPU path length' $ic/$e/compare-ab/cover-letter.txt && ! awk 'length > 72' $ic/$e/compare-ab/cover-letter.txt | grep -q ."
	t "icount $e: with one boot a side, no verdict" \
		grep -q 'no verdict: 1 vs 1 boots' "$ic/$e/compare-ab/cover-letter.txt"
done
t "icount: make run printed the clock" grep -q "clock: icount, shift" "$tmp/log"
t "the clone's tracked files are untouched, its outputs ignored" sh -c \
	"[ -z \"\$(git -C $tmp/clone status --porcelain)\" ]"
tap_done
