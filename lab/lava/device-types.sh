#!/bin/sh
# lab/lava/device-types.sh: print the directory holding LAVA's device-type
# templates base.jinja2 and qemu.jinja2, those of Debian's lava-server
# package of the installed lava-dispatcher's version, fetched (not
# installed) into the cache the first time.
set -eu
die() { echo "device-types.sh: $*" >&2; exit 1; }
ver=$(dpkg-query -W -f='${Version}' lava-dispatcher 2>/dev/null) ||
	die "lava-dispatcher is not installed (lab/deps.sh)"
types=${IB_CACHE:-$HOME/.cache/iommu-bench}/lava/$ver/device-types
mkdir -p "$types"
exec 9>"$types/.lock"
flock 9
if [ ! -s "$types/qemu.jinja2" ]; then
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
	(cd "$t" && apt-get download -q "lava-server=$ver" >/dev/null 2>&1) ||
		die "cannot fetch lava-server $ver (its device-type templates)"
	dpkg-deb --fsys-tarfile "$t"/lava-server_*.deb | tar -x -C "$t" \
		./usr/share/lava-server/device-types/base.jinja2 \
		./usr/share/lava-server/device-types/qemu.jinja2
	mv "$t"/usr/share/lava-server/device-types/*.jinja2 "$types/"
fi
echo "$types"
