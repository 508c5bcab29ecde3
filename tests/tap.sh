# TAP helpers for the shell tests, sourced: plan at the end (tap_done).
n=0 fails=0

# t DESCRIPTION COMMAND...: one test line, ok when COMMAND succeeds
t() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		fails=$((fails + 1))
	fi
}

# guest_tap DIR NAME: re-emit the TAP a lab guest wrote to DIR/tap.txt
guest_tap() {
	[ -f "$1/tap.txt" ] || { t "$2 produced TAP" false; return; }
	while IFS= read -r line; do
		case $line in
		"ok "*) n=$((n + 1)); echo "ok $n - $2: ${line#ok * - }" ;;
		"not ok "*) n=$((n + 1)); fails=$((fails + 1))
			echo "not ok $n - $2: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done < "$1/tap.txt"
}

# tap_done: the plan, and the exit status
tap_done() {
	echo "1..$n"
	[ "$fails" = 0 ]
}
