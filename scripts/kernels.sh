#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the Debian kernels physwin is tested on, one per line:
#   NAME RELEASE VMLINUZ KDIR
# NAME is 6.1 or 6.12.  The newest installed release of each series that has
# both an image and matching headers is chosen, so nothing here names a
# patch version.  "kernels.sh NAME" prints only that line.
set -euo pipefail

pick() {
	local series=$1 glob=$2 rel best=
	for img in /boot/vmlinuz-$glob; do
		[ -e "$img" ] || continue
		rel=${img#/boot/vmlinuz-}
		[ -e "/usr/src/linux-headers-$rel/Makefile" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$rel" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] || return 0
	echo "$series $best /boot/vmlinuz-$best /usr/src/linux-headers-$best"
}

list() {
	pick 6.1 '6.1.*-amd64'
	pick 6.12 '6.12.*-amd64'
}

if [ $# -eq 0 ]; then
	list
else
	line=$(list | awk -v n="$1" '$1 == n')
	if [ -z "$line" ]; then
		echo "kernels.sh: no installed Debian $1 kernel with headers (run scripts/deps.sh)" >&2
		exit 1
	fi
	echo "$line"
fi
