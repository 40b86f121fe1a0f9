#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing physwin needs, from Debian's archive
# only.  Does nothing when everything is already present, so "make check"
# and "make demo" can call it on every run.  "deps.sh --debug" adds the
# tools to build the debug kernel (make check-debug).
#
# Kernel images and headers: Debian's default 6.1 (linux-image-amd64,
# linux-headers-amd64) and the newest 6.12 from bookworm-security through
# its meta-packages, so no patch version is written down anywhere.  The ARM
# kernels are not installed: scripts/foreign.sh unpacks them into a cache.
# For those and the 32-bit programs: QEMU for ARM, the cross compilers and
# their C libraries, dtc for the ARM guests' device trees, and the i386 C
# library for gcc -m32 (not gcc-multilib, which conflicts with the cross
# compilers).  For the packages and the Debian guest: DKMS, debhelper and
# dh-dkms, lintian, mmdebstrap and mkfs.ext4.
set -euo pipefail

PKGS=(
	linux-headers-amd64 linux-image-amd64
	linux-headers-6.12-amd64 linux-image-6.12-amd64
	linux-source-6.1
	qemu-system-x86 busybox-static cpio xz-utils
	qemu-system-arm device-tree-compiler
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
	libc6-dev-i386 lib32gcc-12-dev
	sparse kmod perl gzip libc6-dev make gcc
	valgrind pkgconf binutils
	clang libclang-rt-14-dev
	dkms debhelper dh-dkms dpkg-dev lintian mmdebstrap e2fsprogs
)

# "deps.sh --debug": also what building the debug kernel needs
if [ "${1:-}" = --debug ]; then
	PKGS+=(flex bison bc libelf-dev libssl-dev)
fi

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The archive is sometimes mid-sync for one architecture's index ("File has
# unexpected size ... Mirror sync in progress?").  Retry, then go on with
# what was fetched: the install below fails by itself if what it needs is
# really missing.
for try in 1 2 3; do
	apt-get update -qq && break
	echo "deps: apt-get update failed (try $try of 3)" >&2
	[ "$try" -eq 3 ] || sleep $((try * 10))
done
# The kernel images are only booted under QEMU: skip building a host
# initramfs for them, which is slow and useless here.
mkdir -p /etc/initramfs-tools
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
