#!/bin/sh
# kmod/ and the patch series in configs/patches/ are checkpatch-clean:
# scripts/checkpatch.pl of Debian's linux-source-6.12, no errors and no
# warnings, one TAP line per file.
cd "$(dirname "$0")/../.."
src=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
dir=build/checkpatch
if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	[ -n "$src" ] || { echo "1..1"; echo "not ok 1 - linux-source-6.12 is installed (lab/deps.sh)"; exit 1; }
	mkdir -p "$dir"
	tar -xf "$src" -C "$dir" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' || exit 1
fi
n=0 fails=0
cp=$(cd "$dir/scripts" && pwd)/checkpatch.pl
for f in kmod/*.c kmod/*.h kmod/uapi/*.h configs/patches/*/*.patch; do
	n=$((n + 1))
	case $f in
	# a patch is read from its own folder: at the top of this git tree
	# checkpatch reads it as a change to this tree
	*.patch) out=$(cd "$(dirname "$f")" && "$cp" --no-tree --quiet --show-types "$(basename "$f")" 2>&1) ;;
	*) out=$("$dir/scripts/checkpatch.pl" --no-tree --quiet --show-types -f "$f" 2>&1) ;;
	esac
	if [ -z "$out" ]; then
		echo "ok $n - checkpatch: $f"
	else
		echo "not ok $n - checkpatch: $f"
		echo "$out" | sed 's/^/#   /'
		fails=$((fails + 1))
	fi
done
echo "1..$n"
[ "$fails" = 0 ]
