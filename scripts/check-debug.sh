#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the whole VM suite on a debug kernel built from
# Debian's linux-source-6.1 with KASAN, KFENCE, lockdep, UBSAN,
# DEBUG_ATOMIC_SLEEP, DEBUG_VM, DEBUG_OBJECTS and kmemleak
# (scripts/debug-kernel/), then a kmemleak scan.  Any report fails the
# run, as in make check.  Ends with "N passed, N failed".
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/check-debug
SEED=${PHYSWIN_SEED:-$(( $(date +%s) % 1000000 ))}
cd "$TOP"
"$TOP/scripts/deps.sh" --debug || exit 1
start=$SECONDS
read -r krel _ kdir < <("$TOP/scripts/debug-kernel/build.sh") || exit 1
echo "# debug kernel $krel ready after $((SECONDS - start)) s"
make -s tests module KDIR="$kdir" >/dev/null || exit 1
rm -rf "$OUT"
mkdir -p "$OUT"
build/tests/ivshmem_check fill "$OUT/ivshmem.bin"

# The stress test runs 5,000 operations per thread here instead of 20,000:
# KASAN and lockdep make each one about 20 times slower than on Debian's
# kernels, and the point on this kernel is what the checkers see.
echo "# random seed $SEED (PHYSWIN_SEED=$SEED repeats it)"
start=$SECONDS
"$TOP/scripts/vm.sh" --kernel debug --timeout 2400 --out "$OUT" \
	--ivshmem "$OUT/ivshmem.bin" -- PW_KMEMLEAK=1 PW_SEED="$SEED" \
	PW_STRESS_OPS="${PHYSWIN_DEBUG_STRESS_OPS:-5000}" sh suite.sh
vm=$?
echo "# debug VM suite: $((SECONDS - start)) s"

passed=$(grep -c '^ok ' "$OUT/output.log" | tr -d ' ')
failed=$(grep -c '^not ok ' "$OUT/output.log" | tr -d ' ')
build/tests/ivshmem_check verify "$OUT/ivshmem.bin" "$OUT/output.log" | tee "$OUT/ivshmem.tap"
passed=$((passed + $(grep -c '^ok ' "$OUT/ivshmem.tap")))
failed=$((failed + $(grep -c '^not ok ' "$OUT/ivshmem.tap")))
if [ $vm -ne 0 ]; then
	echo "not ok - host: debug kernel run clean (no KASAN/lockdep/UBSAN/KFENCE report, verdict 0)"
	failed=$((failed + 1))
else
	echo "ok - host: debug kernel run clean (no KASAN/lockdep/UBSAN/KFENCE report, verdict 0)"
	passed=$((passed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
