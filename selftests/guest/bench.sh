# SPDX-License-Identifier: GPL-2.0
#
# make bench (and once, short, in make check): physwin against /dev/mem,
# the PCI sysfs resourceN files and a user memcpy, on the same targets in
# this boot.  The windows are noclaim, so that the anchors reach the same
# memory; PW_BIG is the boot's third memmap= carve-out (scripts/bench.sh).
# Prints bench's TAP: one result per case, the table and the goals as
# "#" lines.  With PW_BENCH=short it samples for a tenth of the time.
. ./lib.sh

if [ -z "$PW_BIG" ]; then
	plan 1
	fail "bench: the boot has no large carve-out (a third memmap=)" ""
	exit 1
fi
out=$(insmod "$KO" "window=resv@$PW_RESV+$PW_RESV_SIZE:wb:noclaim,bar@pci:$PW_IVSHMEM_BDF/2:noclaim,edu@pci:$PW_EDU_BDF/0:width=4:exact:noclaim,big@$PW_BIG+$PW_BIG_SIZE:wb:noclaim" 2>&1)
if [ -n "$out" ] || [ ! -e /dev/physwin ]; then
	plan 1
	fail "bench: load the benchmark's windows" "insmod: $out" "$(dmesg | tail -n 3)"
	exit 1
fi
echo "# bench: $(uname -r), $(grep -c ^processor /proc/cpuinfo) vCPUs"
./bench ${PW_BENCH:+--$PW_BENCH}
rc=$?
rmmod physwin
exit $rc
