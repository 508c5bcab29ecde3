# TAP helpers for the shell tests, sourced: plan at the end (tap_done).
n=0 fails=0

# t DESCRIPTION COMMAND...: one test line, ok when COMMAND succeeds; its
# status is COMMAND's, so "t ... || diagnose" runs diagnose on a failure
t() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		# on stderr too: prove shows it without -v, and CI logs keep it
		echo "# not ok $n - $desc" >&2
		fails=$((fails + 1))
		return 1
	fi
}

# guest_tap DIR NAME: re-emit the TAP a lab guest wrote to DIR/tap.txt;
# the comments after a failure go to stderr too, where prove shows them
guest_tap() {
	[ -f "$1/tap.txt" ] || { t "$2 produced TAP" false; return; }
	diag=
	while IFS= read -r line; do
		case $line in
		"ok "*) n=$((n + 1)); diag=; echo "ok $n - $2: ${line#ok * - }" ;;
		"not ok "*) n=$((n + 1)); fails=$((fails + 1)); diag=1
			echo "not ok $n - $2: ${line#not ok * - }"
			echo "# not ok $n - $2: ${line#not ok * - }" >&2 ;;
		"#"*) echo "$line"; [ -z "$diag" ] || echo "$line" >&2 ;;
		esac
	done < "$1/tap.txt"
}

# prepared SET NAME: "IMAGE INITRD" of a lab kernel, its module and
# initramfs built (lab/prepare-kernel.sh) once per test, not per boot:
# seven seconds each time, twenty boots in a test
prepared() {
	f=$tmp/prepared-$(basename "$1" .conf)-$2
	[ -s "$f" ] || lab/prepare-kernel.sh "$1" "$2" > "$f" || { rm -f "$f"; return 1; }
	cat "$f"
}

# boot_failed OUT ERRFILE: a guest (lab/boot.sh ... OUT) gave no result:
# what boot.sh said (the first oops, or the console's end) on stderr,
# where prove shows it and CI keeps it, and the whole console kept in
# build/failed-boots/ for after the test's temporary files are gone
boot_failed() {
	sed 's/^/# /' "$2" >&2
	[ -f "$1.partial/console.log" ] || return 0
	keep=build/failed-boots/$(date -u +%Y%m%dT%H%M%SZ)-$(basename "$1")
	mkdir -p "$keep" && cp "$1.partial/console.log" "$keep/" &&
		echo "# its console: $keep/console.log" >&2
}

# cycles.csv helpers.  col FILE NAME: one column's values, by header name
# (none, and a "#" line, when the file has no such column)
col() {
	awk -F, -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i
			if (!c) { print "#   no column " want; exit 1 }
			next }
		{ print $c }' "$1" | sed '/^#/ { w /dev/stderr
			d; }'
}
# only FILE NAME VALUE: the header and the rows whose NAME is VALUE
only() {
	awk -F, -v want="$2" -v val="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; print; next }
		c && $c == val' "$1"
}
# all FILE NAME OP VALUE: every row's NAME compares OP VALUE (awk syntax)
all() {
	col "$1" "$2" | awk -v v="$4" "BEGIN { bad = 0; n = 0 } { n++; if (!(\$1 $3 v)) bad++ }
		END { if (bad || !n) { printf \"#   %d of %d rows fail %s %s %s\\n\", bad, n, \"$2\", \"$3\", v; exit 1 } }"
}
# all_is FILE NAME VALUE: every row's NAME is the string VALUE
all_is() {
	bad=$(col "$1" "$2" | grep -cvx "$3")
	rows=$(col "$1" "$2" | wc -l)
	[ "$bad" = 0 ] && [ "$rows" -gt 0 ] ||
		{ echo "#   $bad of $rows rows with $2 other than $3"; return 1; }
}

# counts FILE [REGEX]: FILE's rows without its lengths (*_ns, *_insn),
# the interrupts that landed in its spans (span_irqs: timing), its boot
# number and the columns REGEX names: what two runs of one experiment on
# one kernel must have equal
counts() {
	awk -F, -v skip="${2:-^$}" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i !~ /_ns$|_insn$|^span_irqs$|^boot$/ && $i !~ skip) keep[i] = 1 }
		{ line = ""; for (i = 1; i <= NF; i++) if (keep[i]) line = line $i ","; print line }' "$1"
}

# LAVA results (lab/lava/log.py's results.yaml).
# case_of RESULTS.yaml DEFINITION CASE: "RESULT [MEASUREMENT UNITS]"
case_of() {
	/usr/bin/python3 -c 'import sys, yaml
for c in yaml.safe_load(open(sys.argv[1])) or []:
    if c["definition"] == sys.argv[2] and c["case"] == sys.argv[3]:
        print(" ".join(str(c[k]) for k in ("result", "measurement", "units") if k in c))' "$@"
}
# measured RESULTS.yaml COMPARE.csv: each median, n and count of the
# compare table is the measurement of its case in the job (definition
# 0_remove, lab/lava/dut-run.sh's names); prints how many
measured() {
	/usr/bin/python3 -c 'import csv, sys, yaml
cases = {c["case"]: c for c in yaml.safe_load(open(sys.argv[1])) if c["definition"] == "0_remove"}
n = bad = 0
for r in csv.DictReader(open(sys.argv[2])):
    s = r["statistic"]
    if r["value"] == "" or not (s in ("median", "n") or s.startswith("per ")):
        continue
    n += 1
    c = cases.get("remove-%s-%s" % (r["metric"], s.replace("per ", "per-")))
    if not c or abs(float(c.get("measurement", "nan")) - float(r["value"])) > 1e-6 * max(1, abs(float(r["value"]))):
        bad += 1
        print("#   %s %s: %s in compare, %s in LAVA" % (r["metric"], s, r["value"], c and c.get("measurement")), file=sys.stderr)
print(n)
sys.exit(1 if bad or n == 0 else 0)' "$@"
}
# json FILE PERL-EXPR: EXPR, with the decoded file in $j, is true
json() { perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die; my $j = decode_json(<$f>); exit(!(eval $ARGV[1]))' "$1" "$2"; }

# meta_has FILE TEXT: the JSON FILE, white space removed, holds TEXT
meta_has() { tr -d ' \n' < "$1" | grep -qF "$2"; }

# no_splat DESCRIPTION FILE...: no kernel warning, bug or oops in the
# logs (a missing log fails); what was found is shown as comments
no_splat() {
	desc=$1
	shift
	splat=$(grep -hE -A4 'WARNING:|BUG:|Oops|general protection' "$@")
	t "$desc" [ $? = 1 ]
	# on stderr: prove shows it without -v
	[ -z "$splat" ] || printf '%s\n' "$splat" | head -n 30 | sed 's/^/#   /' >&2
}

# tap_done: the plan, and the exit status
tap_done() {
	echo "1..$n"
	[ "$fails" = 0 ]
}
