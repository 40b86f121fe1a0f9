#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# user-check.sh UOUT: host tests of libphyswin and the physwin CLI, no
# kernel needed.  The library and CLI tests run under valgrind (any error
# or leak fails them); then the shared library must export physwin_*
# symbols only, each named in libphyswin.map, and "make install" into a scratch DESTDIR must give a
# library that the README's example builds and links against through
# pkg-config.  Prints TAP.
#
# user-check.sh --sanitize UOUT: UOUT holds an ASan+UBSan build (make
# user-sanitize); run the library and CLI tests without valgrind, which
# cannot run sanitized programs, and nothing else.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
sanitize=0
if [ "${1:-}" = --sanitize ]; then
	sanitize=1
	shift
fi
UOUT=$1
VG=(valgrind -q --error-exitcode=99 --leak-check=full
    --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible)
how="under valgrind"
if [ $sanitize -eq 1 ]; then
	VG=()
	how="under ASan and UBSan"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99
fi
failed=0
n=0
line() {
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then echo "ok $n user: $1"; else echo "not ok $n user: $1"; failed=1; fi
}

# The two test programs first, each with its own plan; then this
# script's own results, with theirs.
"${VG[@]}" "$UOUT/lib_test" > "$UOUT/lib_test.tap" 2>&1
lib_st=$?
grep -v '^==' "$UOUT/lib_test.tap"
PHYSWIN_VERSION=$(sed -n 's/^VERSION := //p' "$TOP/Makefile") \
	"$TOP/user/tests/cli_test.sh" "$UOUT/physwin" "${VG[@]}" > "$UOUT/cli_test.tap" 2>&1
cli_st=$?
grep -v '^==' "$UOUT/cli_test.tap"

if [ $sanitize -eq 1 ]; then
	echo "1..2"
	line "lib_test ran clean $how" $lib_st
	line "cli_test ran clean $how" $cli_st
	exit $failed
fi
echo "1..10"
line "lib_test ran clean $how" $lib_st
line "cli_test ran clean $how" $cli_st

# Exactly the functions the library defines with PHYSWIN_API, and nothing
# else: nm must run, and an empty list is no pass.
want=$(awk '/^PHYSWIN_API/ { p = 1 }
	p && match($0, /physwin_[a-z0-9_]+\(/) { print substr($0, RSTART, RLENGTH - 1); p = 0 }' \
	"$TOP/user/libphyswin.c" | sort -u)
if got=$(nm -D --defined-only "$UOUT/libphyswin.so"); then
	got=$(echo "$got" | awk '{print $3}' | sed 's/@.*//' | grep -v '^LIBPHYSWIN_' | sort -u)
	[ -n "$want" ] && [ "$got" = "$want" ]
	st=$?
	[ $st -eq 0 ] || diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
else
	st=1
fi
line "libphyswin.so exports its $(echo "$want" | grep -c .) physwin_ functions and nothing else" $st
# The version script names each of them, no pattern: a function added
# without its line in the map would otherwise be exported by a wildcard
# or silently hidden.
mapped=$(awk '/global:/ { g = 1; next } /local:/ { g = 0 }
	g { gsub(/[ \t;]/, ""); if ($0 != "") print }' "$TOP/user/libphyswin.map" | sort)
[ -n "$want" ] && [ "$mapped" = "$want" ]
st=$?
[ $st -eq 0 ] || diff <(echo "$want") <(echo "$mapped") | sed 's/^/# map: /'
line "libphyswin.map lists exactly the PHYSWIN_API functions, no wildcard" $st
objdump -p "$UOUT/libphyswin.so" | grep -q 'SONAME *libphyswin.so.1$'
line "soname is libphyswin.so.1" $?

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s -C "$TOP" install DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1
st=$?
for f in usr/lib/libphyswin.so usr/lib/libphyswin.a usr/include/physwin.h \
	 usr/lib/pkgconfig/libphyswin.pc usr/bin/physwin usr/share/man/man1/physwin.1 \
	 etc/udev/rules.d/60-physwin.rules; do
	[ -e "$dest/$f" ] || { echo "# missing after install: $f"; st=1; }
done
line "make install DESTDIR= PREFIX= installs library, header, pc, CLI, man page, udev rule" $st
# the installed CLI has no run path (it finds the installed library); the
# one in the build tree runs as it is, with no LD_LIBRARY_PATH
[ -x "$dest/usr/bin/physwin" ] && dyn=$(objdump -p "$dest/usr/bin/physwin") &&
	! echo "$dyn" | grep -q 'RPATH\|RUNPATH'
line "the installed CLI has no RPATH or RUNPATH" $?
env -u LD_LIBRARY_PATH "$UOUT/physwin" --version > /dev/null 2>&1
line "build/user/physwin runs from the build tree without LD_LIBRARY_PATH" $?
# CFLAGS, CPPFLAGS and LDFLAGS reach the compiler and the linker, and
# -Werror only comes with WERROR=1
flags=$(make -n -B -C "$TOP" user UOUT="$dest/flags" WERROR=0 CFLAGS=-O1 \
	CPPFLAGS=-DPW_FLAG_CHECK LDFLAGS=-Wl,-z,now 2>/dev/null)
strict=$(make -n -B -C "$TOP" user UOUT="$dest/flags" WERROR=1 2>/dev/null)
echo "$flags" | grep -q -- '-DPW_FLAG_CHECK .*-O1' &&
	echo "$flags" | grep -q -- '-shared.*-Wl,-z,now\|-Wl,-z,now.*-shared' &&
	! echo "$flags" | grep -q -- '-Werror ' &&
	echo "$strict" | grep -q -- '-Werror '
line "the Makefile honours CFLAGS, CPPFLAGS, LDFLAGS; -Werror only with WERROR=1" $?

sed -n '/^```c example$/,/^```$/p' "$TOP/README.md" | sed '1d;$d' > "$dest/example.c"
# shellcheck disable=SC2046
PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig \
	${CC:-cc} -Wall -Wextra -Werror -o "$dest/example" "$dest/example.c" \
	$(PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig \
	  pkg-config --cflags --libs libphyswin) 2>&1 | sed 's/^/# /'
[ -s "$dest/example.c" ] && [ -x "$dest/example" ]
line "the README's library example builds with pkg-config" $?

exit $failed
