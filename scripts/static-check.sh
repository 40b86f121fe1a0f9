#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static analysis, TAP with its plan, one line per check:
#   checkpatch.pl --strict --no-tree on the module and the UAPI header
#   the UAPI header compiled alone as C90
#   the window= parser built for a 32-bit target needs no 64-bit division
#   helper (32-bit kernels have none to link against)
#   W=1 with -Werror, and sparse (C=2), against each Debian kernel of
#   scripts/kernels.sh: amd64 6.1 and 6.12, arm64 6.1 and 6.12, armhf 6.1;
#   and in each of those builds, that the batch loop fits the aligned
#   block batch.c keeps it in
# Exits non-zero if any check failed.  Logs go to build/static/.
#
# static-check.sh checkpatch runs the first check only.  PHYSWIN_CHECKPATCH
# names another checkpatch.pl (make check plants a missing one, to prove
# that a checker that cannot run is a failure, never "clean").
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LOG=$TOP/build/static
mkdir -p "$LOG"
"$TOP/scripts/ksrc.sh" "$TOP/build/ksrc" || exit 1
CHECKPATCH=${PHYSWIN_CHECKPATCH:-$TOP/build/ksrc/checkpatch.pl}
only=${1:-}

n=0
failed=0
result() {	# result NAME LOGFILE STATUS
	n=$((n + 1))
	if [ "$3" -eq 0 ]; then
		echo "ok $n static: $1"
	else
		echo "not ok $n static: $1"
		grep -v '^$' "$2" | sed 's/^/# /' | head -n 30
		failed=1
	fi
}

# hot_check KO: batch.c keeps physwin_ops_run alone in a section aligned
# to PHYSWIN_HOT_ALIGN and no larger, so that it never spans two pages
hot_check() {
	local ko=$1 want sec fn
	want=$(sed -n 's/^#define PHYSWIN_HOT_ALIGN[[:space:]]*\([0-9]*\)$/\1/p' \
		"$TOP/module/batch.c")
	# size and alignment of the section; offset and size of the function
	sec=$(readelf -SW "$ko" | sed -n 's/.* \.text\.physwin_hot *PROGBITS *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\) .* \([0-9]*\)$/\1 \2/p')
	fn=$(objdump -t "$ko" | awk '$NF == "physwin_ops_run" && $(NF-2) == ".text.physwin_hot" { print $1, $(NF-1) }')
	echo "PHYSWIN_HOT_ALIGN '$want'; section size, alignment '$sec'; physwin_ops_run at, size '$fn'"
	[ -n "$want" ] && [ -n "$sec" ] && [ -n "$fn" ] || return 1
	set -- $sec $fn
	[ $((16#$1)) -le "$want" ] && [ "$2" -ge "$want" ] &&
		[ $((16#$3 + 16#$4)) -le $((16#$1)) ]
}

cd "$TOP"
files=(module/*.c module/*.h include/uapi/linux/physwin.h selftests/faulty/faulty.c)
if [ "$only" = checkpatch ]; then
	echo "1..1"
else
	# five kernels are expected: a missing one is a failure, not fewer lines
	want=(6.1 6.12 arm64-6.1 arm64-6.12 armhf-6.1)
	echo "1..$((3 + 3 * ${#want[@]}))"
fi

# checkpatch must run (status 0 or 1, a "total:" line per file) and find
# nothing: a checker that did not run is not a clean result
perl "$CHECKPATCH" --strict --no-tree --show-types -f "${files[@]}" \
	> "$LOG/checkpatch.log" 2>&1
st=$?
totals=$(grep -c '^total: ' "$LOG/checkpatch.log")
clean=$(grep -c '^total: 0 errors, 0 warnings, 0 checks' "$LOG/checkpatch.log")
if [ $st -gt 1 ] || [ "$totals" -ne ${#files[@]} ]; then
	echo "checkpatch did not run: status $st, $totals of ${#files[@]} files checked" >> "$LOG/checkpatch.log"
	st=1
elif [ "$clean" -ne ${#files[@]} ]; then
	st=1
else
	st=0
fi
result "checkpatch.pl --strict clean (${#files[@]} files)" "$LOG/checkpatch.log" $st
[ "$only" = checkpatch ] && exit $failed

echo '#include <linux/physwin.h>' |
	${CC:-cc} -std=c90 -pedantic -Wall -Wextra -Werror -fsyntax-only \
	-Iinclude/uapi -x c - > "$LOG/uapi.log" 2>&1
result "UAPI header compiles alone with -std=c90" "$LOG/uapi.log" $?

# module/spec.c builds in user space too: as i386 code, any 64-bit
# division shows up as a call to libgcc's __udivdi3/__umoddi3, the helpers
# a 32-bit kernel does not have (on ARM: __aeabi_uldivmod)
inc=$LOG/inc32
mkdir -p "$inc"
ln -sfn /usr/include/x86_64-linux-gnu/asm "$inc/asm"
# no 32-bit C library here: what spec.c needs of <string.h>
cat > "$inc/string.h" <<'EOH'
#include <stddef.h>
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
EOH
{
	${CC:-cc} -m32 -O2 -ffreestanding -fno-builtin -I"$inc" -c \
		-o "$LOG/spec32.o" module/spec.c &&
	nm -u "$LOG/spec32.o" > "$LOG/spec32.syms" &&
	! grep -E '__(u?div|u?mod)[dt]i3|__aeabi_' "$LOG/spec32.syms"
} > "$LOG/spec32.log" 2>&1
result "the window= parser needs no 64-bit division on a 32-bit target" "$LOG/spec32.log" $?

for name in "${want[@]}"; do
	if ! read -r _ arch _ _ kdir < <("$TOP/scripts/kernels.sh" "$name" 2>"$LOG/w1-$name.log"); then
		result "$name: builds with W=1 and no warning" "$LOG/w1-$name.log" 1
		result "$name: the batch loop lies in one aligned block of its own" \
			"$LOG/w1-$name.log" 1
		result "$name: sparse (C=2) clean" "$LOG/w1-$name.log" 1
		continue
	fi
	make -s module KDIR="$kdir" KARCH="$arch" KBUILD_ARGS="W=1 KCFLAGS=-Werror" \
		> "$LOG/w1-$name.log" 2>&1
	st=$?
	grep -q 'warning:' "$LOG/w1-$name.log" && st=1
	result "$name: builds with W=1 and no warning" "$LOG/w1-$name.log" $st
	hot_check "$TOP/build/kmod/$(basename "$(realpath "$kdir")")/physwin.ko" \
		> "$LOG/hot-$name.log" 2>&1
	result "$name: the batch loop lies in one aligned block of its own" \
		"$LOG/hot-$name.log" $?

	make -s module KDIR="$kdir" KARCH="$arch" KBUILD_ARGS="C=2 CHECK=sparse" \
		> "$LOG/sparse-$name.log" 2>&1
	st=$?
	grep -q '\(warning\|error\):' "$LOG/sparse-$name.log" && st=1
	result "$name: sparse (C=2) clean" "$LOG/sparse-$name.log" $st
done
exit $failed
