#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build physwin's debug kernel from Debian's linux-source-6.1, once: the
# tree is cached outside the repository, under $PHYSWIN_CACHE (default
# /var/cache/physwin), keyed on the source package version and a hash of
# the config fragment and this script.  Prints "RELEASE BZIMAGE KDIR".
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${PHYSWIN_CACHE:-/var/cache/physwin}
tarball=/usr/src/linux-source-6.1.tar.xz
[ -e "$tarball" ] || { echo "debug-kernel: $tarball missing (run scripts/deps.sh)" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( (echo "$srcver"; cat "$HERE/debug.config" "$HERE/build.sh") | sha256sum | cut -c1-16)
tree=$CACHE/debug-kernel-$key/linux-source-6.1
stamp=$CACHE/debug-kernel-$key/built

if [ ! -e "$stamp" ]; then
	rm -rf "$CACHE/debug-kernel-$key"
	mkdir -p "$CACHE/debug-kernel-$key"
	start=$SECONDS
	echo "debug-kernel: unpacking linux-source-6.1 $srcver" >&2
	tar -xJf "$tarball" -C "$CACHE/debug-kernel-$key"
	cd "$tree"
	make -s x86_64_defconfig >&2
	./scripts/kconfig/merge_config.sh -m .config kernel/configs/kvm_guest.config \
		"$HERE/debug.config" >&2
	make -s olddefconfig >&2
	# every option of the fragment must have stuck, set or unset: a
	# checker that silently went missing would make the run meaningless
	missing=$(grep '^CONFIG_.*=y$' "$HERE/debug.config" | while read -r l; do
		if ! grep -qx "$l" .config; then echo "${l%=y}"; fi; done)
	unwanted=$(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' \
		"$HERE/debug.config" | while read -r o; do
		if grep -q "^$o=" .config; then echo "$o"; fi; done)
	if [ -n "$missing$unwanted" ]; then
		echo "debug-kernel: config fragment not honoured: not set: $missing; set: $unwanted" >&2
		exit 1
	fi
	echo "debug-kernel: building on $(nproc) cores" >&2
	make -s -j"$(nproc)" >&2
	echo "debug-kernel: built in $((SECONDS - start)) s" >&2
	echo $((SECONDS - start)) > "$CACHE/debug-kernel-$key/build-seconds"
	touch "$stamp"
fi
cd "$tree"
echo "$(make -s kernelrelease) $tree/arch/x86/boot/bzImage $tree"
