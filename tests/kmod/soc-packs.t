#!/bin/sh
# The SoC IOMMU probe packs (rockchip.conf, mtk.conf) against Debian's
# arm64 6.1 and 6.12, on the host, with no boot once the kernels'
# symbols are cached (TAP, plan at the end).
# No QEMU machine has these IOMMUs: their packs are checked against the
# kernels' symbols only.  Per kernel: every probe whose arms_on names its
# version has its function, once (a kprobe needs a unique name), in the
# built-in symbols plus those of the modules in drivers/iommu/ (Debian's
# 6.12 builds mtk_iommu as a module, absent from a guest's kallsyms
# unless loaded); probe-check says the same; and a pack with a symbol
# renamed fails both checks.
# The package's System.map is a stub (the real one is in the -dbg
# package, 800 MB): the built-in symbols are the kallsyms that
# 'lab/arm64.sh kallsyms' saves beside the package tree from one boot
# (cached: a warm cache boots nothing).
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
. tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PACKS="configs/probes/rockchip.conf configs/probes/mtk.conf"

nm=
for c in aarch64-linux-gnu-nm llvm-nm; do
	command -v "$c" >/dev/null && { nm=$c; break; }
done

# modsyms ROOT: the text symbols of ROOT's drivers/iommu modules, as
# /proc/kallsyms lists a loaded module's ("ADDRESS t NAME\t[MODULE]")
modsyms() {
	for ko in "$1"/lib/modules/*/kernel/drivers/iommu/*.ko*; do
		[ -e "$ko" ] || continue
		mod=$(basename "$ko")
		mod=${mod%%.ko*}
		case $ko in
		*.xz) xz -dc "$ko" ;;
		*.zst) zstd -dcq "$ko" ;;
		*) cat "$ko" ;;
		esac > "$tmp/mod.ko" || return 1
		"$nm" "$tmp/mod.ko" | awk -v m="$mod" \
			'$2 ~ /^[tT]$/ { printf "%s %s %s\t[%s]\n", $1, $2, $3, m }' || return 1
	done
}

# vouches PACK VERSION: a probe of PACK says it arms on VERSION
vouches() {
	for o_sec in $($IB config sections "$1"); do
		case " $($IB config get "$1" "$o_sec" arms_on '') " in
		*" $2 "*) return 0 ;;
		esac
	done
	return 1
}
# present SYMS PACK: one of PACK's "present" functions is in SYMS
present() {
	for o_s in $($IB config get "$2" '' present ''); do
		awk -v s="$o_s" '$3 == s { f = 1 } END { exit !f }' "$1" && return 0
	done
	return 1
}
# once SYMS PACK VERSION: every probe of PACK that arms on VERSION has a
# candidate in SYMS, and the first one there is listed exactly once
# (a compiler clone is not the name); and PACK's driver is there (one of
# its "present"), or probe-check would pass it unchecked.  The
# offenders on stderr.  (No "local" in POSIX sh: its variables are o_*.)
once() {
	o_bad=0
	for o_sec in $($IB config sections "$2"); do
		case " $($IB config get "$2" "$o_sec" arms_on '') " in
		*" $3 "*) ;;
		*) continue ;;
		esac
		o_n=0
		for o_s in $($IB config get "$2" "$o_sec" symbols); do
			o_n=$(awk -v s="$o_s" '$3 == s' "$1" | wc -l)
			[ "$o_n" = 0 ] || break
		done
		[ "$o_n" = 1 ] || { echo "#   [$o_sec] $o_s: $o_n in the symbols" >&2; o_bad=1; }
	done
	present "$1" "$2" || { echo "#   present: none of its functions" >&2; o_bad=1; }
	return $o_bad
}
# fails COMMAND...: COMMAND fails (its stderr dropped)
fails() { ! "$@" 2>/dev/null; }

[ -n "$nm" ] || t "an nm that reads arm64 ELF (binutils-aarch64-linux-gnu or llvm)" false
for v in 6.1 6.12; do
	case $v in
	6.1) pat='linux-image-6.1.0-*-arm64-unsigned' ;;
	6.12) pat='linux-image-6.12.*+deb12-arm64-unsigned' ;;
	esac
	k=$(lab/arm64.sh kernel "$pat" 2>"$tmp/err") ||
		{ t "arm64 $v: kernel fetched" false; sed 's/^/# /' "$tmp/err"; continue; }
	img=${k% *} rel=${k#* }
	root=${img%/boot/*}
	# saved beside the package by one boot, shared with arm64-packs.t:
	# on a cold cache, whichever test comes first boots for it
	ks=$(lab/arm64.sh kallsyms "$img" 2>"$tmp/err") && [ "$ks" = "$root/kallsyms" ] ||
		{ t "$rel: symbols read in the guest" false; sed 's/^/# /' "$tmp/err"; continue; }
	syms=$tmp/syms-$v
	{ cat "$root/kallsyms" && modsyms "$root"; } > "$syms"
	t "$rel: symbols of the built-in code and of drivers/iommu's modules read" [ $? = 0 ]

	mkdir -p "$tmp/packs-$v"
	for p in $PACKS; do
		if vouches "$p" "$v"; then
			t "$rel: $(basename "$p"): each probe for $v has its function, once" \
				once "$syms" "$p" "$v"
		else
			t "$rel: $(basename "$p") arms nothing on $v: the driver is not built" \
				fails present "$syms" "$p"
		fi
		cp "$p" "$tmp/packs-$v/"
	done
	$IB probe-check -p "$tmp/packs-$v" -k "$syms" -r "$rel" > "$tmp/check-$v" 2>&1
	t "$rel: probe-check: no probe of the SoC packs MISSING" [ $? = 0 ]
	t "$rel: ... and none on a name several functions share" \
		fails grep -q 'need a unique name' "$tmp/check-$v"
	sed 's/^/# /' "$tmp/check-$v"

	case $v in
	6.12)
		t "$rel: mtk_iommu's functions are the module's" \
			grep -q 'mtk_iommu_attach_device	\[mtk_iommu\]$' "$syms"
		t "$rel: ... without them, mtk.conf fails the once check" \
			fails once "$root/kallsyms" configs/probes/mtk.conf "$v" ;;
	esac

	# Negative control: the first symbol of the first probe arming on
	# this version, renamed, in a copy of its pack.
	for p in $PACKS; do
		vouches "$p" "$v" || continue
		sec=
		for s in $($IB config sections "$p"); do
			case " $($IB config get "$p" "$s" arms_on '') " in
			*" $v "*) sec=$s; break ;;
			esac
		done
		sym=$($IB config get "$p" "$sec" symbols | awk '{ print $1 }')
		neg=$tmp/neg-$v-$(basename "$p" .conf)
		mkdir -p "$neg"
		awk -v sec="[$sec]" -v sym="$sym" '
			/^\[/ { in_sec = ($0 == sec) }
			in_sec && /^symbols *=/ { sub(sym, sym "_renamed") }
			{ print }' "$p" > "$neg/$(basename "$p")"
		t "$rel: $(basename "$p") with ${sym}_renamed: the once check fails" \
			fails once "$syms" "$neg/$(basename "$p")" "$v"
		$IB probe-check -p "$neg" -k "$syms" -r "$rel" > "$neg/check" 2>&1
		rc=$?
		t "$rel: ... and probe-check exits 1, naming [$sec] MISSING" sh -c \
			"[ $rc = 1 ] && grep -q ' $sec  *MISSING: ${sym}_renamed is not in kallsyms' '$neg/check'"
	done
done
tap_done
