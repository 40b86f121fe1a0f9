#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-verdict.sh DIR QEMU-STATUS TIMEOUT: the host's verdict on one QEMU
# run whose logs are DIR/console.log (the kernel's) and DIR/output.log (the
# tests'), for vm.sh and debian-guest.sh alike.  Exit status 0 only if QEMU
# exited 0 within TIMEOUT seconds (QEMU-STATUS 124 or 137: timeout(1)
# stopped it), the kernel logged no report and no taint beyond O and E
# (kcheck.sh), and the guest's last "PHYSWIN-VERDICT N" line says 0.  Each
# reason for a failure goes to stderr and to DIR/vm.fail, which make check
# quotes in its summary.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
out=$1
qrc=$2
timeout=$3
why() {
	echo "vm: FAIL: $*" >&2
	echo "$*" >> "$out/vm.fail"
}
console_tail() {
	echo "vm: console tail:" >&2
	tail -n 30 "$out/console.log" >&2
}
rm -f "$out/vm.fail"

fail=0
tailed=0
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	why "guest did not finish within ${timeout}s"
	console_tail
	echo "vm: guest output tail:" >&2
	tail -n 10 "$out/output.log" >&2
	fail=1
	tailed=1
elif [ "$qrc" -ne 0 ]; then
	why "qemu exited with $qrc"
	fail=1
fi

if ! "$TOP/scripts/kcheck.sh" "$out/console.log" "$out/output.log" \
		2> "$out/kcheck.err"; then
	fail=1
	sed 's/^kcheck: //' "$out/kcheck.err" >> "$out/vm.fail"
fi
cat "$out/kcheck.err" >&2

verdict=$(sed -n 's/^PHYSWIN-VERDICT \([0-9]*\)$/\1/p' "$out/output.log" | tail -n1)
if [ -z "$verdict" ]; then
	why "guest gave no verdict"
	[ $tailed -eq 1 ] || console_tail
	fail=1
elif [ "$verdict" -ne 0 ]; then
	why "guest command exited with $verdict"
	fail=1
fi
exit $fail
