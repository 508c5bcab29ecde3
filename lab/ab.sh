#!/bin/sh
# A patch author's own series in the lab: the kernel at BASE and at each
# step after it, built from their git tree, booted interleaved, every
# experiment run on each, then each step against the one before
# (iommu-bench steps) and the cover letter of the whole against BASE.
#
#   lab/ab.sh -t TREE -b BASE -p HEAD [-s] [-e EXP]... [-i IOMMU]
#             [-a amd64|arm64] [-c tcg|icount|both] [-j JOBS] [-k]
#             [-f FRAGMENT]...
#
# -p HEAD alone: two steps, BASE and HEAD (their diff as one patch).
# -s: a series, one step per commit of BASE..HEAD (at most 7, no merges).
# Every build is cached by content (lab/build-kernel.sh): the base by
# its git tree (a Debian linux-source with the same files is that
# package's kernel), each step by its diff.  A second run, or one after
# an interrupted run, builds nothing already built.  The tree is only
# read (rev-parse, rev-list, log, diff, archive).
# A step that does not build or boot is a finding: the steps before it
# are measured and reported, then its error, and the exit status is 1.
# -k: copy each step's kernel (image, config, System.map) into the
# result.  IB_ROUNDS and IB_CYCLES as lab/run-experiment.sh.
set -eu
# what the cover letters name to reproduce them (iommu-bench ab sets it)
IB_REPRODUCE=${IB_REPRODUCE:-lab/ab.sh $*}
export IB_REPRODUCE
start=$(date +%s)
cd "$(dirname "$0")/.."
IB=$(pwd)/build/iommu-bench
cache=${IB_CACHE:-$HOME/.cache/iommu-bench}
die() { echo "ab: $*" >&2; exit 1; }
usage() { echo "usage: ab.sh -t TREE -b BASE -p HEAD [-s] [-e EXP]... [-i IOMMU] [-a ARCH] [-c CLOCK] [-j JOBS] [-k] [-f FRAGMENT]..." >&2; exit 2; }

tree= base= head= series= exps= iommu= arch=amd64 clock=tcg keep= frags=
while getopts t:b:p:se:i:a:c:j:kf: o; do
	case $o in
	t) tree=$OPTARG ;; b) base=$OPTARG ;; p) head=$OPTARG ;; s) series=1 ;;
	e) exps="$exps $OPTARG" ;; i) iommu=$OPTARG ;; a) arch=$OPTARG ;;
	c) clock=$OPTARG ;; j) IB_JOBS=$OPTARG; export IB_JOBS ;; k) keep=1 ;;
	f) frags="$frags $OPTARG" ;; *) usage ;;
	esac
done
[ -n "$tree" ] && [ -n "$base" ] && [ -n "$head" ] || usage
[ -x "$IB" ] || die "$IB not built (make)"
case $arch in
amd64) frags=${frags:-configs/kernels/lab.fragment}
	exps=${exps:-configs/experiments/default.conf configs/experiments/owned.conf} ;;
arm64) frags=${frags:-configs/kernels/lab-arm64.fragment}
	exps=${exps:-configs/experiments/smmuv3.conf} ;;
*) die "--arch $arch: amd64 or arm64" ;;
esac
case $clock in tcg | icount | both) ;; *) die "--clock $clock: tcg, icount or both" ;; esac
case $iommu in
"" | intel-iommu | intel-iommu-sm | amd-iommu | virtio-iommu | smmuv3 | none) ;;
*) die "--iommu $iommu: intel-iommu, intel-iommu-sm, amd-iommu, virtio-iommu, smmuv3 or none" ;;
esac
# kernel sets and patch lists are lists of words
for p in "$tree" $exps $frags "$cache"; do
	case $p in *[[:space:]]*) die "'$p': a path with blanks (the lab's lists are words)" ;; esac
done
git -C "$tree" rev-parse --git-dir >/dev/null 2>&1 || die "$tree is not a git tree"
bsha=$(git -C "$tree" rev-parse --verify -q "$base^{commit}") || die "no commit $base in $tree"
hsha=$(git -C "$tree" rev-parse --verify -q "$head^{commit}") || die "no commit $head in $tree"
[ "$bsha" != "$hsha" ] || die "$base and $head are the same commit"
if [ -n "$series" ]; then
	git -C "$tree" merge-base --is-ancestor "$bsha" "$hsha" ||
		die "$base is not an ancestor of $head: no series $base..$head"
	[ -z "$(git -C "$tree" rev-list --merges "$bsha..$hsha")" ] ||
		die "$base..$head holds a merge: give a linear series"
	commits=$(git -C "$tree" rev-list --reverse "$bsha..$hsha")
	[ "$(echo "$commits" | wc -l)" -le 7 ] ||
		die "$base..$head has $(echo "$commits" | wc -l) commits: at most 7 (8 kernels a run)"
else
	commits=$hsha
fi
for e in $exps; do
	"$IB" config check "$e" >/dev/null || die "$e is not a good experiment file"
done

source=$(lab/ab-source.sh "$tree" "$bsha") || die "no source for $base"
# the lab-only patches the experiments need, on every step
labp=
for e in $exps; do
	for d in $("$IB" config get "$e" lab patches ""); do
		case " $labp " in *" $d "*) ;; *) labp="$labp $d" ;; esac
	done
done
out=${IB_RESULTS:-results}/ab-$(date -u +%Y%m%dT%H%M%SZ)
while [ -e "$out.partial" ] || [ -e "$out" ] || [ -e "$out.failed" ]; do out=$out-; done
mkdir -p "$out.partial"
kset=$out.partial/kernels.conf
subj() { git -C "$tree" log -1 --format=%s "$1"; }
section() { # NAME ROLE PATCHES: one kernel of the set, in sec-NAME
	{
		printf '\n[%s]\nrole = %s\nsource = %s\nfragments = %s\n' "$1" "$2" "$source" "${frags# }"
		[ -z "$3" ] || echo "patches = $3"
		[ "$arch" = amd64 ] || echo "arch = $arch"
	} > "$out.partial/sets/$1"
}
mkdir -p "$out.partial/sets"
section base after "${labp# }"
printf '%s\n' "$(git -C "$tree" log -1 --format='%h %s' "$bsha")" > "$out.partial/subjects"
names=base n=0 prev=$bsha
# plumbing: the user's diff settings (noprefix, textconv) do not apply
diff() { git -C "$tree" diff-tree -r --no-textconv --no-ext-diff "$@"; }
for c in $commits; do
	# a commit that changes no file (b4's cover letter) is no step
	if [ -z "$(diff --name-only "$prev" "$c")" ]; then
		[ -n "$series" ] || die "$base..$head changes nothing"
		echo "==> $(git -C "$tree" log -1 --format='%h %s' "$c"): changes no file, no step"
		continue
	fi
	prev=$c
	n=$((n + 1))
	diff --numstat "$bsha" "$c" | grep -q '^-' &&
		die "step $n ($(subj "$c")) changes a binary file: the lab patches with patch(1)"
	# a step is the base plus the diff up to its commit, kept by content
	d=$(diff -p --full-index "$bsha" "$c")
	pd=$cache/ab/diffs/$(printf '%s\n' "$d" | sha256sum | cut -c1-16)
	if [ ! -f "$pd/0001-step.patch" ]; then
		mkdir -p "$pd"
		printf '%s\n' "$d" > "$pd/0001-step.patch.tmp"
		mv "$pd/0001-step.patch.tmp" "$pd/0001-step.patch"
	fi
	[ -n "$series" ] && k=p$n || k=patched
	names="$names $k"
	section "$k" patched "$pd$labp"
	subj "$c" >> "$out.partial/subjects"
done
write_set() { # FILE NAME...: the kernel set of these steps
	f=$1
	shift
	echo "# lab/ab.sh: $base..$head of $tree, base first" > "$f"
	for k in "$@"; do cat "$out.partial/sets/$k" >> "$f"; done
}
# shellcheck disable=SC2086
write_set "$kset" $names
"$IB" config check "$kset" || die "the kernel set written for $tree is not good"

# Build every step in order: the first that does not build is the finding.
failed= built=
for k in $names; do
	echo "==> $k: kernel, iommu_bench.ko and initramfs (built once, then cached)"
	if lab/prepare-kernel.sh "$kset" "$k" > "$out.partial/boot-$k" 2> "$out.partial/build-$k.log"; then
		built="$built $k"
		continue
	fi
	tail -n 20 "$out.partial/build-$k.log" >&2
	if [ "$k" = base ]; then
		mv "$out.partial" "$out.failed"
		die "$base itself does not build (its log: $out.failed/build-base.log)"
	fi
	failed=$k
	{
		echo "$k does not build; the build's errors:"
		# the compiler's and the linker's own lines, else the log's
		# end (a patch that does not apply, the module); paths from the
		# source tree's top
		log=$out.partial/build-$k.log
		errs=': (fatal )?error:|undefined reference|multiple definition'
		{ grep -E "$errs" "$log" || tail -n 8 "$log"; } |
			head -n 8 | sed -E 's|^/[^ :]*/(src/[^/]+\|tree-[0-9a-f]+)/||' | cut -c1-200
	} > "$out.partial/failure"
	break
done
built=${built# }

# The experiments on the steps to measure (write_exps STEP...): the base
# against the last step is the pair of the cover letter; --iommu in
# place of each one's lab
write_exps() {
	# shellcheck disable=SC2086
	write_set "$out.partial/kernels-run.conf" "$@"
	mkdir -p "$out.partial/experiments"
	expfiles=
	for e in $exps; do
		x=$out.partial/experiments/$(basename "$e")
		sed -e '/^kernels *=/d' -e '/^ab *=/d' \
			-e "s|^\\[experiment\\]|[experiment]\\nkernels = $out.partial/kernels-run.conf\\nab = base $(echo "$@" | awk '{print $NF}')|" \
			"$e" > "$x"
		# the one named, in place of the experiment's own
		[ -z "$iommu" ] || sed -i -e '/^iommu *=/d' -e "s/^\\[lab\\]/[lab]\\niommu = $iommu/" "$x"
		expfiles="$expfiles $x"
	done
}

# Boot them, interleaved, on each clock; a step that does not boot ends
# the series there (lab/run-experiment.sh IB_ON_BOOT_FAILURE=drop-rest).
runs= measured=$built
[ "$clock" = both ] && clocks="tcg icount" || clocks=$clock
if [ "$(echo "$built" | wc -w)" -ge 2 ]; then
	for c in $clocks; do
		# shellcheck disable=SC2086
		write_exps $measured
		mkdir -p "$out.partial/$c"
		# shellcheck disable=SC2086
		echo "==> the lab, $c clock: $measured (its log: $c.log in the result)"
		# its progress as it goes, not its tables: the block below
		# says what moved
		# shellcheck disable=SC2086
		{
			rc=0
			IB_CLOCK=$c IB_ON_BOOT_FAILURE=drop-rest IB_RESULTS=$out.partial/$c \
				lab/run-experiment.sh $expfiles 2>&1 || rc=$?
			echo $rc > "$out.partial/$c.rc"
		} |
			tee "$out.partial/$c.log" | grep --line-buffered -E '^==> .*: boot ' | sed -u 's/^/  /'
		if [ "$(cat "$out.partial/$c.rc")" != 0 ]; then
			tail -n 5 "$out.partial/$c.log" >&2
			mv "$out.partial" "$out.failed"
			die "the lab run failed (its log: $out.failed/$c.log)"
		fi
		run=$(ls -d "$out.partial/$c"/*/)
		run=${run%/}
		runs="$runs -r $run"
		[ -f "$run/dropped" ] || continue
		read -r k console < "$run/dropped"
		failed=$k
		{
			oops='Kernel panic|Oops|BUG:|general protection|Call Trace|WARNING:'
			if grep -q -E "$oops" "$run/$console"; then
				echo "$k does not boot ($c clock, twice); its console:"
				grep -m 1 -A 14 -E "$oops" "$run/$console" | cut -c1-200
			else
				echo "$k gave no result ($c clock, twice: a hang, or the collector"
				echo "failed); its console's end:"
				tail -n 15 "$run/$console" | cut -c1-200
			fi
		} > "$out.partial/failure"
		kept=
		for m in $measured; do [ "$m" = "$k" ] && break; kept="$kept $m"; done
		measured=${kept# }
		[ "$(echo "$measured" | wc -w)" -ge 2 ] || break
	done
fi

# The block: the measured steps, each named by its commit's subject
set --
i=0
while read -r line; do
	i=$((i + 1))
	[ "$i" -le "$(echo "$measured" | wc -w)" ] && set -- "$@" -s "$line"
done < "$out.partial/subjects"
if [ "$(echo "$measured" | wc -w)" -ge 2 ]; then
	# shellcheck disable=SC2086
	if ! "$IB" steps $runs "$@" -n "$(($(echo "$names" | wc -w) - 1))" \
		-o "$out.partial/steps.txt" $measured 2> "$out.partial/steps.err"; then
		cat "$out.partial/steps.err" >&2
		mv "$out.partial" "$out.failed"
		die "the steps cannot be compared (see above): $out.failed"
	fi
fi
if [ -n "$keep" ]; then
	for k in $built; do
		read -r image initrd < "$out.partial/boot-$k"
		mkdir -p "$out.partial/kernels/$k"
		for f in "$image" "$(dirname "$image")"/System.map "$(dirname "$image")"/config \
			"$(dirname "$image")"/release "$initrd"; do
			[ ! -f "$f" ] || cp "$f" "$out.partial/kernels/$k/"
		done
	done
fi
if [ -n "$failed" ]; then
	n=$(echo "$names" | tr ' ' '\n' | grep -nx "$failed" | cut -d: -f1)
	echo
	echo "FAILED: step $((n - 1)) of $(($(echo "$names" | wc -w) - 1)), $(sed -n "${n}p" "$out.partial/subjects")"
	cat "$out.partial/failure"
	mv "$out.partial" "$out.failed"
	echo "==> ab: $(($(date +%s) - start)) s: $out.failed (the steps before it: steps.txt)" >&2
	exit 1
fi
mv "$out.partial" "$out"
echo "==> ab: done in $(($(date +%s) - start)) s: $out/steps.txt; the whole series"
echo "    against the base: $out/<clock>/<run>/<experiment>/compare-ab/cover-letter.txt"
