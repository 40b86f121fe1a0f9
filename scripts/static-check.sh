#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static analysis, one TAP line per check:
#   checkpatch.pl --strict --no-tree on the module and the UAPI header
#   W=1 with -Werror, and sparse (C=2), against each Debian kernel
#   the UAPI header compiled alone as C90
# Exits non-zero if any check failed.  Logs go to build/static/.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
LOG=$TOP/build/static
mkdir -p "$LOG"
"$TOP/scripts/ksrc.sh" "$TOP/build/ksrc" || exit 1

n=0
failed=0
result() {	# result NAME LOGFILE STATUS
	n=$((n + 1))
	if [ "$3" -eq 0 ]; then
		echo "ok $n static: $1"
	else
		echo "not ok $n static: $1"
		sed 's/^/# /' "$2" | head -n 30
		failed=1
	fi
}

cd "$TOP"
perl build/ksrc/checkpatch.pl --strict --no-tree --terse --show-types \
	-f module/*.c module/*.h include/uapi/linux/physwin.h \
	selftests/faulty/faulty.c > "$LOG/checkpatch.log" 2>&1
grep -q ': \(ERROR\|WARNING\|CHECK\):' "$LOG/checkpatch.log"
result "checkpatch.pl --strict clean" "$LOG/checkpatch.log" $((! $?))

echo '#include <linux/physwin.h>' |
	${CC:-cc} -std=c90 -pedantic -Wall -Wextra -Werror -fsyntax-only \
	-Iinclude/uapi -x c - > "$LOG/uapi.log" 2>&1
result "UAPI header compiles alone with -std=c90" "$LOG/uapi.log" $?

while read -r name _ _ kdir; do
	make -s module KDIR="$kdir" KBUILD_ARGS="W=1 KCFLAGS=-Werror" \
		> "$LOG/w1-$name.log" 2>&1
	st=$?
	grep -q 'warning:' "$LOG/w1-$name.log" && st=1
	result "$name: builds with W=1 and no warning" "$LOG/w1-$name.log" $st

	make -s module KDIR="$kdir" KBUILD_ARGS="C=2 CHECK=sparse" \
		> "$LOG/sparse-$name.log" 2>&1
	st=$?
	grep -q '\(warning\|error\):' "$LOG/sparse-$name.log" && st=1
	result "$name: sparse (C=2) clean" "$LOG/sparse-$name.log" $st
done < <("$TOP/scripts/kernels.sh")

[ $n -ge 6 ] || { echo "not ok $((n + 1)) static: both kernels found"; failed=1; }
exit $failed
