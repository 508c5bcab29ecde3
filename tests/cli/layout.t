#!/bin/sh
# The tree's shape, as a maintainer checks it: libiommubench (bench/lib/,
# analysis/) apart from the commands, linking alone and never exiting;
# no folder over 30 source files; a README a newcomer reads in minutes.
cd "$(dirname "$0")/../.."
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LIB=build/libiommubench.a
libsrc=$(find bench/lib analysis -name '*.[ch]' | sort)

# the headers of the commands: bench/*.h, bench/run/, bench/host_ab/
cmdhdrs=$(find bench -path bench/lib -prune -o -name '*.h' -print | xargs -n 1 basename | sort -u)
bad=
for h in $cmdhdrs; do
	bad="$bad$(grep -l "#include \"$h\"" $libsrc)"
done
t "no library file includes a command header ($(echo $cmdhdrs | tr '\n' ' '))" [ -z "$bad" ] ||
	echo "# $bad" >&2

# every object of the archive, linked into one program with no command
# object: a library call into a command fails here as an undefined symbol
echo 'int main(void) { return 0; }' > $tmp/main.c
t "the library links alone (every object of $LIB)" sh -c \
	"cc -o $tmp/alone $tmp/main.c -Wl,--whole-archive $LIB -Wl,--no-whole-archive \
	 \$(pkg-config --libs libtracefs libtraceevent libtracecmd json-c) -lm 2> $tmp/link.err" ||
	sed 's/^/# /' $tmp/link.err >&2

# exit() is the commands' to call; _exit() only in a forked child
exits=$(nm -A -u $LIB 2>/dev/null | awk '$NF == "exit" || $NF == "exit@GLIBC_2.2.5" { print $1 }')
t "no library object calls exit()" [ -z "$exits" ] || echo "# $exits" >&2

# every function a library header declares says what it returns: a
# "Return:" in the comment block just above it, but for void ones
# (Documentation/libiommubench.md)
noret=$(perl -e '
for my $f (@ARGV) {
	open my $h, "<", $f or die "$f: $!\n";
	my $s = do { local $/; <$h> };
	my ($i, $depth, $line, $stmt, $at, $comment, $gap) = (0, 0, 1, "", 0, undef, "");
	while ($i < length $s) {
		my $c = substr $s, $i, 1;
		if (substr($s, $i, 2) eq "/*") {	# a comment: kept if a statement may follow
			my $e = index $s, "*/", $i + 2;
			$e = length($s) - 2 if $e < 0;
			my $text = substr $s, $i, $e + 2 - $i;
			$line += $text =~ tr/\n//;
			($comment, $gap) = ($text, "") if !$depth && $stmt !~ /\S/;
			$i = $e + 2;
			next;
		}
		if ($c eq "#" && substr($s, 0, $i) =~ /(^|\n)[ \t]*$/) {	# cpp, continued
			my $e = $i;
			$e = index($s, "\n", $e) + 1 while substr($s, index($s, "\n", $e) - 1, 1) eq "\\";
			$e = index $s, "\n", $e;
			$e = length $s if $e < 0;
			$line += substr($s, $i, $e - $i) =~ tr/\n//;
			($comment, $stmt, $i) = (undef, "", $e);
			next;
		}
		$line++ if $c eq "\n";
		$i++;
		if ($depth || $c eq "{") {	# a body: of a struct, or an inline function
			$depth += ($c eq "{") - ($c eq "}");
			($comment, $stmt) = (undef, "") if !$depth && $stmt =~ /^\s*static\b/;
			next;
		}
		if ($stmt !~ /\S/) {
			if ($c =~ /\s/) {
				$gap .= $c;
				next;
			}
			$at = $line;
		}
		$stmt .= $c;
		next if $c ne ";";
		print "$f:$at: $1\n"
			if $stmt =~ /^\s*(?!typedef\b|static\b|extern\b)[\w\s*]*?\b(\w+)\s*\(/ &&
			   $stmt !~ /^\s*void\s+\w+\s*\(/ &&
			   !(defined $comment && $comment =~ /Return:/ && ($gap =~ tr/\n//) <= 1);
		($comment, $stmt, $gap) = (undef, "", "");
	}
}' $(find bench/lib analysis -name '*.h' | sort))
t "every non-void function of a library header has a Return: line" [ -z "$noret" ] ||
	echo "$noret" | sed 's/^/# no Return: /' >&2

# the unit tests and fuzzers name no command object in their link
for b in build/tests/unit/test_stats build/fuzz/fuzz_conf; do
	src=tests/unit/test_stats.c
	[ "${b#build/fuzz}" = "$b" ] || src=tests/fuzz/fuzz_conf.c
	link=$(make -n -W $src $b 2>/dev/null | grep -- "-o $b ")
	t "$b links the library alone" sh -c \
		"echo '$link' | grep -q 'libiommubench.a\|build/fuzz/bench/lib/' &&
		 ! echo '$link' | grep -Eq 'build/(fuzz/)?bench/(run/|host_ab/)?[a-z_]+\.o'" ||
		echo "# $link" >&2
done

# source files per folder, generated corpus excepted
big=$(find . -path ./.git -prune -o -path ./tests/fuzz/corpus -prune -o -path ./build -prune \
	-o -path ./results -prune -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' \
	-o -name '*.t' -o -name '*.pl' \) -print | sed 's|/[^/]*$||' | sort | uniq -c | awk '$1 > 30')
t "no folder holds more than 30 source files" [ -z "$big" ] || echo "# $big" >&2

lines=$(wc -l < README.md)
t "README.md is at most 200 lines ($lines)" [ "$lines" -le 200 ]
t "README names the two commands" sh -c "grep -q 'make run' README.md && grep -q 'make check' README.md"

# a folder the design card names, in the folder list
for d in configs kmod bench results analysis; do
	t "top-level $d/ is there" [ -d $d ]
done

echo "1..$n"
[ $fails = 0 ]
