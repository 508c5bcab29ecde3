#!/bin/sh
# iommu-bench ab --series on a real kernel git tree (TAP, plan at the
# end): Debian's linux-source-6.12 as a commit, the review's three
# patches on it by git am (tests/lab/ab-tree.sh).  Each patch alone
# must show what the review says it does:
#   1  the release switch becomes traced, with the same count;
#   2  the redundant switch (owned mode) disappears;
#   3  only the require_direct device's target changes, to identity.
# Then a patch that does not build and one that does not boot: each a
# finding after the steps before it, exit 1.  Every kernel comes from
# the cache after the first run (the base is the Debian package's own
# src-6.12 build), and the tree is never written to.  One boot a step,
# three cycles: counts are exact, latency is not asserted here.
cd "$(dirname "$0")/../.."
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
IB=build/iommu-bench
EXPS="-e configs/experiments/require-direct.conf -e configs/experiments/owned.conf"
export IB_ROUNDS=1 IB_CYCLES=3

T=$(tests/lab/ab-tree.sh build/lab/ab-tree) || { t "the git tree is made" false; tap_done; exit; }
state() { git -C "$T" status --porcelain; git -C "$T" for-each-ref; git -C "$T" rev-parse HEAD; }
state > "$tmp/before"

# ab NAME ARGS...: run it, $tmp/NAME.{out,err}, $res its result directory
ab() {
	name=$1
	shift
	s=$(date +%s)
	# shellcheck disable=SC2086
	IB_RESULTS=$tmp/$name $IB ab --tree "$T" $EXPS "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	rc=$?
	echo "# ab $name: $(($(date +%s) - s)) s, exit $rc" >&2
	res=$(ls -d "$tmp/$name"/ab-* 2>/dev/null | head -n 1)
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/$name.err" | tail -n 15 >&2
}
# block N: the lines of step N of steps.txt, its own row excluded, the
# latency line too (one boot a step: undecided)
block() {
	awk -v n="$1" '/^[0-9]+\/[0-9]+ / { on = ($1 ~ "^" n "/") ; next }
		/^base / || /^$/ { on = 0 } on' "$res/steps.txt" | grep -v 'latency'
}
only_lines() { # N EXPECTED...: step N moved exactly these
	k=$1
	shift
	want=$(printf '      %s\n' "$@" | sort)
	[ "$(block "$k" | sort)" = "$want" ] ||
		{ echo "# step $k moved:" >&2; block "$k" | sed 's/^/#   /' >&2; return 1; }
}

ab series --series base..review
t "ab --series base..review: exit 0" [ "$rc" = 0 ]
t "it writes steps.txt" [ -s "$res/steps.txt" ]
sed 's/^/# /' "$res/steps.txt"
t "every line of the block fits 72 columns" sh -c "! awk 'length > 72' '$res/steps.txt' | grep -q ."
t "each step is named by its commit's subject" sh -c \
	"grep -q '^1/3   iommu: Attach the release domain through __iommu_attach_device()' '$res/steps.txt' &&
	 grep -q '^2/3   iommu: Skip the release domain' '$res/steps.txt' &&
	 grep -q '^3/3   iommu: Release to identity' '$res/steps.txt'"
t "patch 1: the release switch becomes traced, the same count, in both modes" only_lines 1 \
	"owned: traced switches/release 0 -> 1" "owned: untraced switches/release 1 -> 0" \
	"require-direct: traced switches/release 0 -> 1" "require-direct: untraced switches/release 1 -> 0"
t "patch 2: the redundant switch disappears (owned), nothing else moves" only_lines 2 \
	"owned: switches/release 1 -> 0" "owned: traced switches/release 1 -> 0" \
	"owned: redundant switches/release 1 -> 0" "owned: 0000:01:02.0 released to blocked -> (no switch)"
t "patch 3: only the require_direct device's target changes, to identity" only_lines 3 \
	"require-direct: 0000:00:10.0 released to blocked -> identity"
t "the whole series against the base has its cover letter" sh -c \
	"ls '$res'/tcg/*/owned/compare-ab/cover-letter.txt >/dev/null"
t "the cover letter names the ab command to reproduce it" sh -c \
	"grep -A1 -h Reproduce '$res'/tcg/*/owned/compare-ab/cover-letter.txt | grep -q 'iommu-bench ab --tree'"

# A patch that does not build, after patch 1: base and patch 1 are the
# series run's kernels, from the cache
ab build --series base..broken-build --keep
t "a step that does not build: exit 1" [ "$rc" = 1 ]
t "... named with its subject" grep -q '^FAILED: step 2 of 2, iommu: Call a function that does not exist' "$tmp/build.out"
t "... with the compiler's error" grep -q "iommu_bench_no_such_function" "$tmp/build.out"
t "the step before it is still measured and reported" sh -c \
	"grep -q '^1/2   iommu: Attach the release domain' '$res/steps.txt' &&
	 grep -q 'owned: traced switches/release 0 -> 1' '$res/steps.txt'"
t "the base and patch 1 came from the cache: no kernel built" sh -c \
	"[ -f '$res/build-base.log' ] && [ -f '$res/build-p1.log' ] &&
	 ! grep -q 'build-kernel.sh: building' '$res/build-base.log' '$res/build-p1.log'"
t "the result is marked failed" sh -c "case '$res' in *.failed) ;; *) false ;; esac"
t "--keep: the kernels that built are in the result (image, System.map, config)" sh -c \
	"for k in base p1; do for f in bzImage System.map config; do [ -s '$res'/kernels/\$k/\$f ] || exit 1; done; done"
t "... their images differ: each step its own" sh -c \
	"! cmp -s '$res/kernels/base/bzImage' '$res/kernels/p1/bzImage'"

ab boot --series base..broken-boot
t "a step that does not boot: exit 1" [ "$rc" = 1 ]
t "... named with its subject" grep -q '^FAILED: step 2 of 2, iommu: Panic at boot' "$tmp/boot.out"
t "... with the console's panic" grep -q 'Kernel panic - not syncing: iommu-bench test' "$tmp/boot.out"
t "the step before it is still measured and reported" \
	grep -q 'owned: traced switches/release 0 -> 1' "$res/steps.txt"

state > "$tmp/after"
t "the tree is never written to: status, refs and HEAD as before" cmp -s "$tmp/before" "$tmp/after"
tap_done
