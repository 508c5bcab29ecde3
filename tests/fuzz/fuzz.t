#!/bin/sh
# Run each libFuzzer target (build/fuzz/fuzz_*), seeded from the tree:
# configs for the conf target, committed cycles.csv files, the recorded
# trace fixtures.  make check: a fixed seed and a fixed number of inputs
# per target (about 10 s each; the order the seed files are listed in can
# still change which inputs are tried); make fuzz
# (FUZZ_SECONDS=N): N seconds each, a new seed every time, and the inputs
# that reach new code merged into tests/fuzz/corpus/TARGET (committed),
# which make check replays once each.  FUZZ_TARGETS="fuzz_trace ..."
# runs only those.  ok when the fuzzer found no crash,
# leak or undefined behaviour; the input that failed is kept in
# build/fuzz/crashes/.
cd "$(dirname "$0")/../.."
. tests/tap.sh
secs=${FUZZ_SECONDS:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p build/fuzz/crashes
LSAN_OPTIONS=suppressions=$(pwd)/tests/fuzz/lsan.supp
# libtracecmd trusts sizes read from the file: a damaged one asks malloc
# for exabytes, which must fail (NULL), not abort the fuzzer
ASAN_OPTIONS=allocator_may_return_null=1
export LSAN_OPTIONS ASAN_OPTIONS
# a hang is 30 wall seconds: the slowest trace input takes 1.3 s here,
# and took 12 s once on a host that left the fuzzer a few % of a core
LIMITS="-timeout=30 -rss_limit_mb=2048"

# inputs per target in make check: about 10 s each on this project's CI
runs_of() {
	case $1 in
	fuzz_account) echo 200000 ;;
	fuzz_conf) echo 100000 ;;
	fuzz_cycles_csv) echo 15000 ;;
	fuzz_trace) echo 30 ;;
	*) echo 1000 ;;
	esac
}

seeds() { # seeds TARGET DIR: copy the seed files of TARGET into DIR
	case $1 in
	fuzz_conf) find configs -name '*.conf' ;;
	fuzz_cycles_csv) find results/examples tests/fixtures -name cycles.csv ;;
	fuzz_trace) find tests/fixtures -name trace.dat -o -name '*.data' ;;
	*) ;;
	esac | while read -r f; do cp "$f" "$2/$(echo "$f" | tr / _)"; done
}

for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	case " ${FUZZ_TARGETS:-$name} " in *" $name "*) ;; *) continue ;; esac
	mkdir -p "$tmp/$name"
	seeds "$name" "$tmp/$name"
	if [ -n "$secs" ]; then
		how="-max_total_time=$secs"
	else
		how="-seed=1 -runs=$(runs_of "$name")"
	fi
	# shellcheck disable=SC2086
	if "$bin" $how $LIMITS \
		-artifact_prefix=build/fuzz/crashes/"$name"- \
		"$tmp/$name" >"$tmp/$name.log" 2>&1; then
		done=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) .*/\1 inputs in \2 s/p' "$tmp/$name.log")
		t "$name: ${done:-all inputs}, no crash" true
	else
		t "$name: no crash ($how)" false
		grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$tmp/$name.log" |
			head -n 8 | sed 's/^/#   /'
	fi
	corpus=tests/fuzz/corpus/$name
	if [ -n "$secs" ]; then
		# keep what the long run found that reaches new code
		mkdir -p "$corpus"
		"$bin" -merge=1 $LIMITS \
			-artifact_prefix=build/fuzz/crashes/"$name"- "$corpus" "$tmp/$name" \
			>"$tmp/$name.merge" 2>&1
		rc=$?
		t "$name: the corpus keeps $(ls "$corpus" | wc -l) inputs" [ $rc = 0 ]
	elif [ -d "$corpus" ]; then
		# every input a long run kept, once each.  Leaks are looked for
		# once, at exit (LeakSanitizer fails the run): libtracecmd's own
		# (suppressed) leaks would make libFuzzer run and scan each
		# input twice, most of the replay's time (fuzz_trace: 74 s -> 29)
		"$bin" -runs=0 -detect_leaks=0 $LIMITS "$corpus" >"$tmp/$name.replay" 2>&1
		rc=$?
		t "$name: the kept corpus ($(ls "$corpus" | wc -l) inputs) replays clean" [ $rc = 0 ] ||
			grep -E 'ERROR|SUMMARY|runtime error' "$tmp/$name.replay" | head -n 8 | sed 's/^/#   /'
	fi
done
[ "$n" -gt 0 ] || t "fuzz targets are built (make fuzz-build)" false
tap_done
