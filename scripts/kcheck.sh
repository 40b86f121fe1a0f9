#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kcheck.sh CONSOLE_LOG OUTPUT_LOG: fail (exit 1, one line per finding) if
# the guest kernel reported a problem: an Oops, BUG, WARNING, KASAN, UBSAN
# or KFENCE report, a lockdep or RCU splat, a hung task, a kmemleak report,
# a claim freed twice, or a taint other than O (out-of-tree module, 4096)
# and E (unsigned module, 8192), as printed by the guest's init
# ("PHYSWIN-TAINT N").  A console log that is missing or empty, or no taint
# line, is a failure too: nothing seen is not the same as nothing wrong.
set -uo pipefail

console=$1
output=$2
fail=0

pattern='Oops|BUG:|kernel BUG at|WARNING:|KASAN|UBSAN|KFENCE|general protection fault'
pattern+='|Kernel panic|possible circular locking|possible recursive locking'
pattern+='|inconsistent lock state|INFO: rcu|rcu_.* detected stall|INFO: task .* blocked'
pattern+='|unreferenced object|Call Trace:|double fault|stack-protector'
pattern+='|Trying to free nonexistent resource'

# The reports found, but for one kind: while selftests/initfail.c makes
# allocations fail on purpose (between its two marker lines), the kernel's
# own report of a failed allocation (warn_alloc: a header line, then the
# CPU, hardware and "Call Trace:" lines) is expected.
splats() {
	awk -v pattern="$pattern" '
		/physwin-initfail: injecting/ { inject = 1 }
		/physwin-initfail: done/ { inject = 0 }
		inject && /vmalloc error:|page allocation failure:/ { alloc = NR }
		$0 ~ pattern {
			if (inject && /Call Trace:/ && alloc && NR - alloc <= 4)
				next
			print NR ":" $0
		}' "$1"
}

# the kernel prints its banner first: a log without it was never written
if ! grep -q 'Linux version' "$console" 2>/dev/null; then
	echo "kcheck: FAIL: no kernel console log in '$console'" >&2
	fail=1
elif splats "$console" > "$console.splats" && [ -s "$console.splats" ]; then
	echo "kcheck: FAIL: kernel report in the guest log:" >&2
	head -n 20 "$console.splats" | sed 's/^/kcheck:   /' >&2
	fail=1
fi

# every taint line counts: a guest that boots twice prints one per boot
taints=$(sed -n 's/^PHYSWIN-TAINT \([0-9]*\)$/\1/p' "$output" 2>/dev/null)
if [ -z "$taints" ]; then
	echo "kcheck: FAIL: the guest printed no taint line (PHYSWIN-TAINT) in '$output'" >&2
	fail=1
fi
for taint in $taints; do
	if [ $((taint & ~(4096 | 8192))) -ne 0 ]; then
		echo "kcheck: FAIL: kernel tainted $taint (allowed: O=4096, E=8192)" >&2
		fail=1
	fi
done
exit $fail
