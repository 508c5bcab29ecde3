#!/bin/sh
# The man pages (Documentation/man/*.scd, scdoc): each renders with scdoc
# and formats with man and groff without a warning; each command's page
# documents every option its --help lists, and its OPTIONS section no
# option --help does not; every command of --help has a page, every page
# of section 1 a command, every file format its section-5 page, and every
# iommu-bench page a page names exists.  Needs scdoc, man-db, groff-base.
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
MAN=Documentation/man
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# man's messages in a locale every Debian has, never a pager
LC_ALL=C.UTF-8
export LC_ALL
unset MANPAGER PAGER MANOPT MANROFFOPT

# the file formats of section 5
formats="probes experiment kernels cycles.csv meta.json"

# render PAGE.scd: scdoc into $tmp, then man and groff, every warning
# and a title that is not the file's name on stderr; 0 when clean
render() {
	name=$(basename "$1" .scd)
	out=$tmp/$name
	: > "$out.err"
	scdoc < "$1" > "$out" 2>> "$out.err" || echo "scdoc failed" >> "$out.err"
	MANWIDTH=80 man --warnings -E UTF-8 -l "$out" > /dev/null 2>> "$out.err" ||
		echo "man failed" >> "$out.err"
	groff -man -ww -z "$out" 2>> "$out.err" || echo "groff failed" >> "$out.err"
	# PAGE.N.scd is titled PAGE(N)
	title=$(sed -n 's/^\.TH "\([^"]*\)" "\([^"]*\)".*/\1.\2/p' "$out")
	[ "$title" = "$name" ] || echo "titled '$title', not $name" >> "$out.err"
	[ ! -s "$out.err" ] || { sed 's/^/#   /' "$out.err" >&2; return 1; }
}

# opts MIN MAX: the options of the option lines of stdin, sorted, one a
# line.  An option line starts with MIN to MAX blanks and a "-"; its
# options are its words up to the first that is none (the argument, or
# the description): "  -d, --devices LIST   PCI ..." gives -d and --devices
opts() {
	awk -v min="$1" -v max="$2" '
	{ match($0, /^ */) }
	RLENGTH >= min && RLENGTH <= max && substr($0, RLENGTH + 1, 1) == "-" {
		n = split(substr($0, RLENGTH + 1), w, /[ ,|]+/)
		for (k = 1; k <= n && w[k] ~ /^--?[A-Za-z0-9][A-Za-z0-9-]*$/; k++)
			print w[k]
	}' | sort -u
}

# page_opts PAGE: the options its OPTIONS section documents, each a term
# (the page's section text is indented 7, a term starts there)
page_opts() {
	MANWIDTH=200 man -E ascii -l "$tmp/$1" 2>/dev/null |
		awk '/^[A-Z]/ { in_opts = ($0 == "OPTIONS"); next } in_opts' | opts 7 7
}

# missing A B: the lines of file A that are not in file B, on one line
missing() { grep -vxF -f "$2" "$1" | tr '\n' ' ' | sed 's/ $//'; }

# Every page renders, and formats without a warning.
for f in "$MAN"/*.scd; do
	t "$(basename "$f" .scd): scdoc, man --warnings and groff -ww: no warning" render "$f"
done

# The commands, as --help lists them; help and version are iommu-bench(1)'s.
cmds=$($IB --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
t "--help lists commands" [ -n "$cmds" ]
for c in $cmds; do
	case $c in
	help | version)
		# a term of iommu-bench(1)'s COMMANDS section
		t "$c: in iommu-bench(1)'s COMMANDS" sh -c "MANWIDTH=200 man -E ascii -l $tmp/iommu-bench.1 2>/dev/null |
			awk '/^[A-Z]/ { in_c = (\$0 == \"COMMANDS\"); next } in_c' | grep -q '^       $c\\( \\|\$\\)'"
		continue ;;
	esac
	t "$c: has a page, iommu-bench-$c(1)" [ -f "$MAN/iommu-bench-$c.1.scd" ]
	[ -f "$tmp/iommu-bench-$c.1" ] || continue
	$IB "$c" --help 2>/dev/null | opts 1 8 > "$tmp/$c.help"
	page_opts "iommu-bench-$c.1" > "$tmp/$c.page"
	gone=$(missing "$tmp/$c.help" "$tmp/$c.page")
	t "$c: its page documents every option of its --help ($(wc -l < "$tmp/$c.help"))${gone:+; not in OPTIONS: $gone}" \
		[ -z "$gone" ]
	extra=$(missing "$tmp/$c.page" "$tmp/$c.help")
	t "$c: every option its page documents is in its --help ($(wc -l < "$tmp/$c.page"))${extra:+; not in --help: $extra}" \
		[ -z "$extra" ]
done

# ... and no page of a command --help does not list
for f in "$MAN"/iommu-bench-*.1.scd; do
	c=$(basename "$f" .1.scd)
	c=${c#iommu-bench-}
	t "iommu-bench-$c(1): a command of --help" sh -c "echo '$cmds' | grep -qx '$c'"
done
t "iommu-bench(1) exists" [ -f "$MAN/iommu-bench.1.scd" ]

# The file formats.
for x in $formats; do
	t "iommu-bench-$x(5): the format has its page" [ -f "$MAN/iommu-bench-$x.5.scd" ]
done

# Every iommu-bench page a page names, in bold as NAME(N), is one of them.
grep -oh '\*iommu-bench[a-z.-]*\*([0-9])' "$MAN"/*.scd | tr -d '*' | sort -u |
	sed 's/^\(.*\)(\([0-9]\))$/\1.\2/' > "$tmp/named"
for f in "$MAN"/*.scd; do basename "$f" .scd; done > "$tmp/have"
gone=$(missing "$tmp/named" "$tmp/have")
t "every iommu-bench page the pages name exists ($(wc -l < "$tmp/named"))${gone:+; none for: $gone}" [ -z "$gone" ]

tap_done
