#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kcheck.sh CONSOLE_LOG OUTPUT_LOG: fail (exit 1, one line per finding) if
# the guest kernel reported a problem: an Oops, BUG, WARNING, KASAN, UBSAN
# or KFENCE report, a lockdep or RCU splat, a hung task, a kmemleak report,
# or a taint other than O (out-of-tree module, 4096) and E (unsigned module,
# 8192), as printed by the guest's init ("PHYSWIN-TAINT N").
set -uo pipefail

console=$1
output=$2
fail=0

pattern='Oops|BUG:|kernel BUG at|WARNING:|KASAN|UBSAN|KFENCE|general protection fault'
pattern+='|Kernel panic|possible circular locking|possible recursive locking'
pattern+='|inconsistent lock state|INFO: rcu|rcu_.* detected stall|INFO: task .* blocked'
pattern+='|unreferenced object|Call Trace:|double fault|stack-protector'

if grep -E -n "$pattern" "$console" > "$console.splats" 2>/dev/null; then
	echo "kcheck: FAIL: kernel report in the guest log:" >&2
	head -n 20 "$console.splats" | sed 's/^/kcheck:   /' >&2
	fail=1
fi

taint=$(sed -n 's/^PHYSWIN-TAINT \([0-9]*\)$/\1/p' "$output" | tail -n1)
if [ -n "$taint" ] && [ $((taint & ~(4096 | 8192))) -ne 0 ]; then
	echo "kcheck: FAIL: kernel tainted $taint (allowed: O=4096, E=8192)" >&2
	fail=1
fi
exit $fail
