#!/bin/sh
# Installed as users install tools: make install (PREFIX, DESTDIR) and
# the Debian packages (the collector; the module as DKMS source), on the
# host, no kernel booted.  An installed binary, or a copy of it, finds its
# probe packs and plot scripts under its prefix; the packaged module
# source builds with DKMS for every kernel whose headers are installed.
cd "$(dirname "$0")/../.."
. tests/tap.sh
tmp=$(mktemp -d)
# dkms signs what it builds with a key it makes on first use: ours to
# remove if this test made it
mok=/var/lib/dkms/mok.key
[ -e $mok ] && mok=
trap 'rm -rf "$tmp"; [ -z "$mok" ] || rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub' EXIT
EX=$(pwd)/results/examples/make-run/default
pre=$tmp/prefix
ib=$pre/bin/iommu-bench

# a build of its own: the tree's build/ keeps its prefix
t "make install PREFIX=DIR" sh -c "make -s BUILD=$tmp/build PREFIX=$pre install > $tmp/install.log 2>&1"
t "... the binary" [ -x "$ib" ]
t "... the probe packs" sh -c "[ \$(ls $pre/share/iommu-bench/configs/probes/*.conf | wc -l) = $(ls configs/probes/*.conf | wc -l) ]"
t "... the experiments" [ -f "$pre/share/iommu-bench/configs/experiments/default.conf" ]
t "... host-ab's systemd unit under PREFIX, starting the installed binary" sh -c \
	"grep -qx 'ExecStart=$pre/bin/iommu-bench host-ab resume' $pre/lib/systemd/system/iommu-bench-host-ab.service"
t "... which systemd-analyze verify finds no fault in" sh -c \
	"systemd-analyze verify $pre/lib/systemd/system/iommu-bench-host-ab.service 2>&1 | grep -v 'generator\|Cannot stat' | grep . >&2; [ \$? = 1 ]"
t "... the plot scripts" sh -c "[ \$(ls $pre/share/iommu-bench/analysis/*.gp | wc -l) = $(ls analysis/*.gp | wc -l) ]"
cmds=$(build/iommu-bench --help | sed -n '/^commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p' | grep -vx 'help\|version')
missing=
for c in $cmds; do
	[ -s "$pre/share/man/man1/iommu-bench-$c.1" ] || missing="$missing $c"
done
t "... a man page for each command ($(echo $cmds | wc -w))${missing:+, none for$missing}" [ -z "$missing" ]
t "... and iommu-bench(1)" [ -s "$pre/share/man/man1/iommu-bench.1" ]
t "... and a section-5 page for each file format" sh -c \
	"for f in probes experiment kernels cycles.csv meta.json; do [ -s $pre/share/man/man5/iommu-bench-\$f.5 ] || exit 1; done"
t "a command's man page is titled iommu-bench-CMD and lists its options" sh -c \
	"man -l $pre/share/man/man1/iommu-bench-run.1 2>/dev/null | grep -q 'iommu-bench-run(1)' &&
	 man -l $pre/share/man/man1/iommu-bench-run.1 2>/dev/null | grep -q -- '--cycles'"

# from elsewhere, IOMMU_BENCH_DATA unset: the data under the prefix
unset IOMMU_BENCH_DATA
(cd / && "$ib" compare -o "$tmp/cmp" "$EX/debian-6.1" "$EX/debian-6.12" > /dev/null 2> "$tmp/cmp.err")
t "the installed binary run from / compares, plots included" sh -c \
	"[ $? = 0 ] && [ -s $tmp/cmp/release_latency.svg ] && [ ! -s $tmp/cmp.err ]"
mkdir "$tmp/elsewhere"
cp "$ib" "$tmp/elsewhere/"
(cd / && "$tmp/elsewhere/iommu-bench" compare -o "$tmp/cmp2" "$EX/debian-6.1" "$EX/debian-6.12" > /dev/null 2> "$tmp/cmp2.err")
t "a copy of it elsewhere too (it looked beside itself before)" sh -c "[ $? = 0 ] && [ -s $tmp/cmp2/release_latency.svg ]"
(cd / && "$ib" probes -D intel -k /proc/kallsyms > "$tmp/probes" 2>&1)
t "the installed binary finds its probe packs" sh -c "[ $? = 0 ] && grep -q '^p:iommu_bench_kp/release ' $tmp/probes"
(cd / && "$ib" ab --tree / --base a --patched b > /dev/null 2> "$tmp/ab.err")
t "ab, which needs a source tree's lab, says so: exit 2" sh -c \
	"[ $? = 2 ] && grep -q 'run it from a clone of iommu-bench' $tmp/ab.err"
"$ib" --help > "$tmp/help"
t "--help documents IOMMU_BENCH_DATA and the installed data directory" sh -c \
	"grep -q IOMMU_BENCH_DATA $tmp/help && grep -q '$pre/share/iommu-bench' $tmp/help"

# conventions of perf and git
t "-V and --version print the version" sh -c "'$ib' -V | grep -q '^iommu-bench [0-9]' && '$ib' --version | grep -q '^iommu-bench [0-9]'"
t "help help says what help does" sh -c "'$ib' help help | grep -q '^usage: iommu-bench help \[COMMAND\]'"
for c in $cmds; do
	"$ib" help "$c" > "$tmp/h" 2>&1
	grep -q '^Exit status' "$tmp/h" || echo "$c" >> "$tmp/no-exit"
	"$ib" "$c" --no-such-option > /dev/null 2> "$tmp/e"
	rc=$?
	{ [ $rc = 2 ] && [ "$(grep -c . "$tmp/e")" -le 3 ] &&
	  grep -q "^usage: iommu-bench $c" "$tmp/e" &&
	  grep -q "help $c' for its options" "$tmp/e"; } || echo "$c" >> "$tmp/long-usage"
done
t "every command's help gives its exit status" sh -c "[ ! -s $tmp/no-exit ] || { sed 's/^/#   /' $tmp/no-exit; false; }"
t "a bad option: exit 2, the usage line and where the rest is, not the whole help" \
	sh -c "[ ! -s $tmp/long-usage ] || { sed 's/^/#   /' $tmp/long-usage; false; }"

# DESTDIR, the same build: PREFIX changed, the binary follows it
dest=$tmp/dest
t "make install PREFIX=/usr DESTDIR=DIR" sh -c "make -s BUILD=$tmp/build PREFIX=/usr DESTDIR=$dest install > $tmp/install2.log 2>&1"
t "... puts everything under DIR/usr" sh -c "[ -x $dest/usr/bin/iommu-bench ] && [ -f $dest/usr/share/iommu-bench/configs/probes/core.conf ] && [ -f $dest/usr/share/man/man1/iommu-bench-run.1 ]"
t "... and that binary looks in /usr/share/iommu-bench (rebuilt for the new PREFIX)" sh -c \
	"$dest/usr/bin/iommu-bench --help | grep -q ' /usr/share/iommu-bench$'"
t "make uninstall removes what install put there" sh -c \
	"make -s BUILD=$tmp/build PREFIX=/usr DESTDIR=$dest uninstall >/dev/null 2>&1 && [ ! -e $dest/usr/bin/iommu-bench ] && [ -z \"\$(find $dest -type f)\" ]"

# the Debian packages, from a copy of the tree
mkdir "$tmp/pkg"
git ls-files | cpio -pdm "$tmp/pkg/src" 2>/dev/null
t "dpkg-buildpackage builds the packages" sh -c "cd $tmp/pkg/src && dpkg-buildpackage -b -us -uc > $tmp/pkg/build.log 2>&1" ||
	tail -n 20 "$tmp/pkg/build.log" | sed 's/^/#   /'
deb=$(ls "$tmp"/pkg/iommu-bench_*.deb 2>/dev/null)
dkms=$(ls "$tmp"/pkg/iommu-bench-dkms_*_all.deb 2>/dev/null)
dpkg-deb -c "$deb" > "$tmp/deb.list" 2>&1
dpkg-deb -c "$dkms" > "$tmp/dkms.list" 2>&1
t "iommu-bench: the binary, packs, plot scripts and man pages in /usr" sh -c \
	"grep -q ' ./usr/bin/iommu-bench$' $tmp/deb.list && grep -q ' ./usr/share/iommu-bench/configs/probes/intel.conf$' $tmp/deb.list &&
	 grep -q ' ./usr/share/iommu-bench/analysis/latency_cdf.gp$' $tmp/deb.list && grep -q ' ./usr/share/man/man1/iommu-bench-devices.1.gz$' $tmp/deb.list"
t "... and host-ab's unit in /lib/systemd/system, enabled by postinst but not started" sh -c \
	"grep -q ' ./lib/systemd/system/iommu-bench-host-ab.service$' $tmp/deb.list &&
	 dpkg-deb --ctrl-tarfile $deb | tar -xO ./postinst > $tmp/postinst && grep -q 'deb-systemd-helper enable' $tmp/postinst &&
	 ! grep -q 'deb-systemd-invoke.*start' $tmp/postinst"
t "iommu-bench depends on trace-cmd and gnuplot, and recommends kexec-tools (host-ab)" sh -c "dpkg-deb -f $deb Depends | grep -q 'trace-cmd' && dpkg-deb -f $deb Depends | grep -q gnuplot && dpkg-deb -f $deb Recommends | grep -q kexec-tools"
ver=$(sed -n 's/^#define IB_VERSION "\(.*\)"/\1/p' bench/lib/version.h)
t "iommu-bench-dkms: the module's source and dkms.conf in /usr/src/iommu-bench-$ver" sh -c \
	"grep -q ' ./usr/src/iommu-bench-$ver/dkms.conf$' $tmp/dkms.list && grep -q ' ./usr/src/iommu-bench-$ver/uapi/iommu_bench.h$' $tmp/dkms.list && grep -q ' ./usr/src/iommu-bench-$ver/Kbuild$' $tmp/dkms.list"
t "... depends on dkms, and its postinst builds the module" sh -c \
	"dpkg-deb -f $dkms Depends | grep -q dkms && dpkg-deb --ctrl-tarfile $dkms | tar -xO ./postinst | grep -q dkms"

# DKMS builds the packaged source for each installed kernel with headers
# (its own trees in $tmp: nothing is installed on this machine)
dpkg-deb -x "$dkms" "$tmp/root"
mkdir -p "$tmp/dkms"
for h in /usr/src/linux-headers-*-amd64; do
	[ -f "$h/Makefile" ] || continue
	k=${h#/usr/src/linux-headers-}
	dkms build -m iommu-bench -v "$ver" -k "$k" --sourcetree "$tmp/root/usr/src" \
		--dkmstree "$tmp/dkms" > "$tmp/dkms-$k.log" 2>&1
	ko=$(find "$tmp/dkms/iommu-bench/$ver/$k" -name 'iommu_bench.ko*' 2>/dev/null | head -n 1)
	t "dkms builds iommu_bench for $k" sh -c "[ -n '$ko' ] && modinfo -F vermagic '$ko' | grep -q '^$k '" ||
		tail -n 10 "$tmp/dkms-$k.log" | sed 's/^/#   /'
	t "... without the tests' fault injection (abi_version its only parameter)" \
		sh -c "[ -n '$ko' ] && [ \"\$(modinfo -F parm '$ko' | cut -d: -f1)\" = abi_version ]"
done
tap_done
