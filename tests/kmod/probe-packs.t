#!/bin/sh
# Every function a probe pack names is one the kernel sources define:
# each candidate symbol of configs/probes/*.conf is a function definition
# in drivers/iommu/ of Debian's linux-source-6.1 or linux-source-6.12, or
# one of a newer kernel named below.
# (Whether the compiler kept it is for kallsyms to say at run time; a
# probe whose step a kernel does not have says so in its "lost".)
cd "$(dirname "$0")/../.."
IB=build/iommu-bench
. tests/tap.sh

# src VERSION: drivers/iommu of linux-source-VERSION, extracted once
src() {
	d=build/kernel-src/$1
	if [ ! -d "$d/drivers/iommu" ]; then
		tar=$(ls /usr/src/linux-source-$1.tar.* 2>/dev/null | head -n 1)
		[ -n "$tar" ] || return 1
		mkdir -p "$d"
		tar -xf "$tar" -C "$d" --strip-components=1 --wildcards '*/drivers/iommu/*' ||
			{ rm -rf "$d"; return 1; }
	fi
	echo "$d/drivers/iommu"
}
# defines DIR NAME: a definition (not a prototype) of function NAME
defines() {
	grep -rEh --include='*.c' "^[a-z_].*[ *]$2\(" "$1" | grep -qv ';[[:space:]]*$'
}

# Functions of kernels newer than Debian's sources, read upstream:
# virtio-iommu's static identity domain (6.19).
NEWER="viommu_attach_identity_domain"

old=$(src 6.1) || { t "linux-source-6.1 is installed (lab/deps.sh)" false; tap_done; exit; }
new=$(src 6.12) || { t "linux-source-6.12 is installed (lab/deps.sh)" false; tap_done; exit; }
for pack in configs/probes/*.conf; do
	for sec in $(sed -n 's/^\[\(.*\)\]$/\1/p' "$pack"); do
		for s in $($IB config get "$pack" "$sec" symbols); do
			where=
			defines "$old" "$s" && where=" 6.1"
			defines "$new" "$s" && where="$where 6.12"
			case " $NEWER " in
			*" $s "*) [ -n "$where" ] || where=" a newer kernel (upstream)" ;;
			esac
			t "$(basename "$pack") [$sec]: $s is defined in${where:- neither kernel}" [ -n "$where" ]
		done
	done
done
tap_done
