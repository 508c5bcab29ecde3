#!/bin/sh
# Install the Debian packages of lab/packages.txt that are missing.
# apt-get update runs only when something has to be installed.
set -eu
cd "$(dirname "$0")/.."

missing=""
for p in $(sed 's/#.*//' lab/packages.txt); do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	     grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "lab/deps.sh: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
echo "lab/deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# kexec-tools is for the guests (host-ab's lab test): this machine's own
# reboots stay reboots, not kexecs
echo "kexec-tools kexec-tools/load_kexec boolean false" | debconf-set-selections
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
# lava-run alone is used: the package's worker (a LAVA server's agent,
# which it enables and starts) is not wanted here
if [ -d /run/systemd/system ] && systemctl cat lava-worker.service >/dev/null 2>&1; then
	systemctl disable --now lava-worker.service >/dev/null 2>&1 || true
fi
