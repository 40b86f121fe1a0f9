#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-check.sh DEB OUTDIR KERNEL...: DKMS builds physwin from the source
# the physwin-dkms package DEB installs, for each Debian KERNEL's headers
# on the host (scripts/kernels.sh names: 6.1, 6.12), in a DKMS tree of its
# own under OUTDIR: nothing under /lib/modules changes, and under
# /var/lib/dkms only the signing key DKMS makes on its first build
# (mok.key, mok.pub) appears.
# Each built module lands, uncompressed, as OUTDIR/<release>/physwin.ko for
# the VM suite to load.  Also checks that the version is the same in the
# Makefile, dkms.conf, the module and debian/changelog, and that "make
# install-module" installs into a DESTDIR where modprobe would look.
# Prints TAP.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
deb=$1
out=$(realpath -m "$2")
shift 2
n=0
failed=0
line() {
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then echo "ok $n dkms: $1"; else echo "not ok $n dkms: $1"; failed=1; fi
}
echo "1..$((4 + 3 * $#))"

v_make=$(sed -n 's/^VERSION := //p' "$TOP/Makefile")
v_dkms=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$TOP/dkms.conf")
v_mod=$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' "$TOP/module/main.c")
v_deb=$(sed -n '1s/^physwin (\([^-)]*\).*/\1/p' "$TOP/debian/changelog")
echo "# versions: Makefile $v_make, dkms.conf $v_dkms, module $v_mod, debian/changelog $v_deb"
[ -n "$v_make" ] && [ "$v_make" = "$v_dkms" ] && [ "$v_make" = "$v_mod" ] &&
	[ "$v_make" = "$v_deb" ]
line "one version everywhere ($v_make)" $?

rm -rf "$out"
mkdir -p "$out/pkg" "$out/src" "$out/tree" "$out/inst"
dkms=(dkms --dkmstree "$out/tree" --sourcetree "$out/src" --installtree "$out/inst")
dpkg-deb -x "$deb" "$out/pkg" && mv "$out/pkg/usr/src/physwin-$v_dkms" "$out/src/"
"${dkms[@]}" add -m physwin -v "$v_dkms" > "$out/add.log" 2>&1
line "dkms add of the physwin-dkms package's source" $?

for k in "$@"; do
	read -r _ _ krel _ kdir < <("$TOP/scripts/kernels.sh" "$k")
	"${dkms[@]}" build -m physwin -v "$v_dkms" -k "$krel" \
		--kernelsourcedir "$kdir" > "$out/build-$krel.log" 2>&1
	st=$?
	[ $st -eq 0 ] || tail -n 20 "$out/build-$krel.log" | sed 's/^/# /'
	line "dkms build for Debian $k ($krel)" $st
	ko=$(find "$out/tree/physwin/$v_dkms/$krel" -name 'physwin.ko*' | head -n1)
	mkdir -p "$out/$krel"
	case $ko in
	*.xz) xz -dc "$ko" > "$out/$krel/physwin.ko" ;;
	*.zst) zstd -qdc "$ko" > "$out/$krel/physwin.ko" ;;
	?*) cp "$ko" "$out/$krel/physwin.ko" ;;
	esac
	vm=$(modinfo -F vermagic "$out/$krel/physwin.ko" 2>/dev/null | cut -d' ' -f1)
	[ "$vm" = "$krel" ]
	line "$k: the DKMS module is for $krel (vermagic '$vm')" $?
	[ "$(modinfo -F version "$out/$krel/physwin.ko" 2>/dev/null)" = "$v_dkms" ]
	line "$k: modinfo gives its version $v_dkms" $?
done

# without DKMS: make install-module, for the first kernel, into a DESTDIR
read -r _ _ krel _ kdir < <("$TOP/scripts/kernels.sh" "$1")
make -s -C "$TOP" install-module KDIR="$kdir" DESTDIR="$out/destdir" \
	> "$out/install-module.log" 2>&1 &&
	ls "$out/destdir/lib/modules/$krel/updates/"physwin.ko* > /dev/null 2>&1
line "make install-module DESTDIR= puts physwin.ko in lib/modules/$krel/updates" $?

"${dkms[@]}" remove -m physwin -v "$v_dkms" --all > "$out/remove.log" 2>&1 &&
	[ -z "$(ls -A "$out/tree" 2>/dev/null)" ]
line "dkms remove --all leaves its tree empty" $?
exit $failed
