#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# foreign.sh ARCH: Debian's kernels, headers and busybox for another
# architecture (arm64, armhf; for i386 busybox only, the shell of a 32-bit
# userland on the amd64 kernel), unpacked under $PHYSWIN_CACHE/foreign/ARCH
# (default /var/cache/physwin), for the ARM guests of make check.  Prints
# the directory, and records it in $PHYSWIN_CACHE/foreign/ARCH/current for
# scripts/kernels.sh.
#
# The host stays a plain amd64 system: no dpkg --add-architecture (a
# foreign linux-headers installed with apt would remove the host's gcc).
# A private apt state under the cache fetches the foreign indices from the
# host's Debian mirror, "apt-get download" takes the packages and dpkg-deb
# unpacks them.  An index that fails (a mirror mid-sync for one
# architecture) is retried, then done without: bookworm-security's armhf
# index missing only means an older 6.1 from bookworm.
#
# Per ARCH: the newest 6.1 image and headers (the linux-image-<flavour>
# meta-package: arm64, armmp-lpae), on arm64 also 6.12 (linux-image-6.12-
# arm64), and busybox-static.  The headers are made usable from here:
# their Makefile includes the unpacked -common tree instead of the one
# under /usr/src, and scripts/ points at the host's linux-kbuild of the
# same series, which deps.sh installs.  Nothing is redone when the
# packages did not change.
set -euo pipefail

arch=${1:?usage: foreign.sh arm64|armhf}
case $arch in
arm64) metas=(linux-image-arm64 linux-headers-arm64 linux-image-6.12-arm64 linux-headers-6.12-arm64) ;;
armhf) metas=(linux-image-armmp-lpae linux-headers-armmp-lpae) ;;
i386) metas=() ;;		# the 32-bit userland's busybox only
*) echo "foreign.sh: unknown architecture '$arch'" >&2; exit 2 ;;
esac
cache=${PHYSWIN_CACHE:-/var/cache/physwin}/foreign/$arch
apt=$cache/apt
mkdir -p "$apt"/{lists/partial,archives/partial,etc}
: > "$apt/status"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
	for suite in bookworm bookworm-updates; do
		echo "deb [arch=$arch signed-by=$keyring] http://deb.debian.org/debian $suite main"
	done
	echo "deb [arch=$arch signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main"
} > "$apt/etc/sources.list"
opts=(-o "Dir::State=$apt" -o "Dir::State::Lists=$apt/lists"
      -o "Dir::State::status=$apt/status" -o "Dir::Cache=$apt"
      -o "Dir::Cache::Archives=$apt/archives"
      -o "Dir::Etc::SourceList=$apt/etc/sources.list"
      -o "Dir::Etc::SourceParts=/nonexistent" -o "APT::Architecture=$arch"
      -o "APT::Architectures::=$arch" -o "Debug::NoLocking=1"
      -o "APT::Sandbox::User=root")

for try in 1 2 3; do
	apt-get -qq "${opts[@]}" update > "$apt/update.log" 2>&1 && break
	echo "foreign.sh: $arch: apt-get update failed (try $try of 3): $(grep -m1 '^E:' "$apt/update.log")" >&2
	[ "$try" -eq 3 ] || sleep $((try * 3))
done

# what a meta-package stands for, and what a headers package needs
depends() {
	apt-cache "${opts[@]}" depends "$1" 2>/dev/null |
		sed -n 's/^ *|\{0,1\}Depends: \([^<][^ ]*\).*/\1/p'
}
pkgs=(busybox-static)
for m in ${metas[@]+"${metas[@]}"}; do
	p=$(depends "$m" | grep '^linux-' | head -n1)
	if [ -z "$p" ]; then
		# 6.12 lives in bookworm-security only: without its index, none
		echo "foreign.sh: $arch: $m is not in the archive's indices, left out" >&2
		continue
	fi
	pkgs+=("$p")
	case $p in
	linux-headers-*) pkgs+=($(depends "$p" | grep '^linux-headers-.*-common$')) ;;
	esac
done

# one unpacked tree per set of package versions
versions=$(apt-cache "${opts[@]}" policy "${pkgs[@]}" | sed -n 's/^  Candidate: //p' | sha256sum | cut -c1-12)
root=$cache/root-$versions
if [ ! -e "$root/.done" ]; then
	rm -rf "$cache"/root-* "$apt/archives"/*.deb
	(cd "$apt/archives" && apt-get -qq "${opts[@]}" download "${pkgs[@]}") >&2
	mkdir -p "$root"
	for deb in "$apt/archives"/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	for hdr in "$root"/usr/src/linux-headers-*; do
		[ -e "$hdr/Makefile" ] || continue
		case $hdr in *-common) continue ;; esac
		sed -i "s|^include /usr/src/|include $root/usr/src/|" "$hdr/Makefile"
		# scripts/ -> ../../lib/linux-kbuild-X/scripts: the host's build
		# tools of that exact series, amd64, unpacked beside them
		kb=$(readlink "$hdr/scripts")
		kb=${kb#../../lib/}
		kb=${kb%/scripts}
		[ -d "$root/usr/lib/$kb" ] && continue
		if (cd "$apt/archives" &&
		    apt-get -qq -o APT::Sandbox::User=root download "$kb") >&2; then
			dpkg-deb -x "$apt/archives/${kb}"_*_amd64.deb "$root"
		else
			echo "foreign.sh: $kb not downloadable, using the host's" >&2
			mkdir -p "$root/usr/lib"
			ln -sfn "/usr/lib/$kb" "$root/usr/lib/$kb"
		fi
	done
	touch "$root/.done"
fi
# kernels.sh finds the tree here, without going to the archive again
echo "$root" > "$cache/current"
echo "$root"
