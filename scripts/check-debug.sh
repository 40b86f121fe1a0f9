#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the whole VM suite on a debug kernel built from
# Debian's linux-source-6.1 with KASAN, KFENCE, lockdep, UBSAN,
# DEBUG_ATOMIC_SLEEP, DEBUG_VM, DEBUG_OBJECTS, kmemleak and fault injection
# (scripts/debug-kernel/), then a kmemleak scan.  Any report fails the
# run, as in make check, and every step is counted against its plan
# (scripts/tap.sh).  Ends with "# N skipped" and "N passed, N failed".
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/check-debug
SEED=${PHYSWIN_SEED:-$(( $(date +%s) % 1000000 ))}
cd "$TOP"
. "$TOP/scripts/tap.sh"

"$TOP/scripts/deps.sh" --debug || exit 1
start=$SECONDS
read -r krel _ kdir < <("$TOP/scripts/debug-kernel/build.sh") || exit 1
echo "# debug kernel $krel ready after $((SECONDS - start)) s"
make -s tests module KDIR="$kdir" >/dev/null || exit 1
rm -rf "$OUT"
mkdir -p "$OUT"
build/host/ivshmem_check fill "$OUT/ivshmem.bin"

# The stress test runs 5,000 operations per thread here instead of 20,000:
# KASAN and lockdep make each one about 20 times slower than on Debian's
# kernels, and the point on this kernel is what the checkers see.
echo "# random seed $SEED (PHYSWIN_SEED=$SEED repeats it)"
start=$SECONDS
# slub_debug=A marks the kmalloc caches for failslab: initfail fails their
# allocations only, never kmemleak's own.  watchdog_thresh=30: enabling a
# PCI device's interrupt link runs ACPI's AML interpreter for about 20 s
# on this kernel under TCG, without a reschedule, right at the default
# soft-lockup limit (twice 10 s), which made a run fail now and then
# before physwin was even loaded; lockups are still reported after 60 s.
"$TOP/scripts/vm.sh" --kernel debug --timeout 2400 --out "$OUT" \
	--append 'slub_debug=A,kmalloc-* watchdog_thresh=30' \
	--ivshmem "$OUT/ivshmem.bin" -- PW_KMEMLEAK=1 PW_SEED="$SEED" \
	PW_STRESS_OPS="${PHYSWIN_DEBUG_STRESS_OPS:-5000}" sh suite.sh
vm=$?
echo "# debug VM suite: $((SECONDS - start)) s"
if [ $vm -eq 0 ]; then
	passed=$((passed + 1))
	echo "ok - host: debug kernel run clean (no KASAN/lockdep/UBSAN/KFENCE report, verdict 0)"
else
	tap_fail "host" "debug kernel run clean (no KASAN/lockdep/UBSAN/KFENCE report, verdict 0)"
fi
tap_guest debug "$OUT/output.log"
build/host/ivshmem_check verify "$OUT/ivshmem.bin" "$OUT/output.log" > "$OUT/ivshmem.tap" 2>&1
st=$?
cat "$OUT/ivshmem.tap"
tap_step ivshmem-debug "$OUT/ivshmem.tap" $st
tap_summary
