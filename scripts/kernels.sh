#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the Debian kernels physwin is tested on, one per line:
#   NAME ARCH RELEASE VMLINUZ KDIR
# NAME is 6.1 or 6.12 (amd64, installed on the host by deps.sh), arm64-6.1,
# arm64-6.12 or armhf-6.1 (unpacked by foreign.sh under $PHYSWIN_CACHE);
# ARCH is the kernel's Debian architecture.  The newest release of each
# series that has both an image and matching headers is chosen, so nothing
# here names a patch version.  "kernels.sh NAME" prints only that line;
# kernels that are not there are left out (and "kernels.sh NAME" fails).
set -euo pipefail

cache=${PHYSWIN_CACHE:-/var/cache/physwin}

# pick NAME ARCH ROOT GLOB: the newest ROOT/boot/vmlinuz-GLOB with headers
pick() {
	local name=$1 arch=$2 root=$3 glob=$4 rel best=
	for img in "$root"/boot/vmlinuz-$glob; do
		[ -e "$img" ] || continue
		rel=${img#"$root"/boot/vmlinuz-}
		[ -e "$root/usr/src/linux-headers-$rel/Makefile" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] || return 0
	echo "$name $arch $best $root/boot/vmlinuz-$best $root/usr/src/linux-headers-$best"
}

# the unpacked tree of foreign.sh ARCH, or nothing
foreign() {
	local f=$cache/foreign/$1/current
	[ -e "$f" ] && cat "$f"
}

list() {
	local r
	pick 6.1 amd64 "" '6.1.*-amd64'
	pick 6.12 amd64 "" '6.12.*-amd64'
	r=$(foreign arm64 || true)
	if [ -n "$r" ]; then
		pick arm64-6.1 arm64 "$r" '6.1.*-arm64'
		pick arm64-6.12 arm64 "$r" '6.12.*-arm64'
	fi
	r=$(foreign armhf || true)
	[ -z "$r" ] || pick armhf-6.1 armhf "$r" '6.1.*-armmp-lpae'
}

if [ $# -eq 0 ]; then
	list
else
	line=$(list | awk -v n="$1" '$1 == n')
	if [ -z "$line" ]; then
		echo "kernels.sh: no Debian kernel '$1' with headers (run scripts/deps.sh, and scripts/foreign.sh for ARM)" >&2
		exit 1
	fi
	echo "$line"
fi
