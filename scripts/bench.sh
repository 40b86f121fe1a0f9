#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: physwin against /dev/mem, the PCI sysfs resourceN files and
# a user memcpy, on the same targets in one boot of each Debian kernel.
#
#   scripts/bench.sh [--short] [KERNEL...]      (default: 6.1 6.12)
#
# Each boot (1 GiB, a 256 MiB memmap= carve-out for the large mappings)
# runs selftests/guest/bench.sh, which prints the median time of each case
# for each variant, the ratios, and the goals of issue 11 with "met" or
# "MISSED".  Nothing is asserted about time: the exit status says only
# whether every case could be measured.  --short samples for a tenth of
# the time (make check runs it that way once, so that it never rots).
# The full output of each boot is in build/bench/KERNEL/output.log.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
short=
if [ "${1:-}" = --short ]; then
	short=1
	shift
fi
kernels=${*:-6.1 6.12}
"$TOP/scripts/deps.sh" || exit 1

status=0
for k in $kernels; do
	out=$TOP/build/bench/$k
	mkdir -p "$out"
	read -r _ _ krel _ < <("$TOP/scripts/kernels.sh" "$k") || exit 1
	echo "# ==== bench: Debian $k ($krel) ===="
	"$TOP/scripts/vm.sh" --kernel "$k" --mem 1024 --timeout 1200 \
		--append 'memmap=256M$0x20000000' --out "$out" \
		-- ${short:+PW_BENCH=short} PW_STEPS=bench sh suite.sh \
		> /dev/null || status=1
	# the table and the goals, as bench printed them
	sed -n 's/^# \(|\|GOAL\|bench\|median\)/\1/p; /^not ok/p' \
		"$out/output.log"
done
exit $status
