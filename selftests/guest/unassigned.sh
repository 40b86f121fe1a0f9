# SPDX-License-Identifier: GPL-2.0
#
# A PCI BAR the kernel could not assign is refused: run in a guest of its
# own (scripts/check.sh), whose QEMU has a pci-testdev with a 1 TiB BAR 2
# that fits nowhere in the machine's 40-bit address space.  The kernel
# resets such a BAR to empty, so it is refused as having no address.
. ./lib.sh
plan 2

TD=$(basename "$(dirname "$(grep -l 0x0005 /sys/bus/pci/devices/*/device)")")
start=$(sed -n 3p "/sys/bus/pci/devices/$TD/resource" | cut -d' ' -f1)
[ -n "$TD" ] && [ $((start)) = 0 ]
check "unassigned: the test device's BAR 2 has no address (the premise)" $? \
	"device '$TD', BAR 2 at $start"
expect_refused "window=: a BAR the kernel could not assign" \
	"No such device" \
	"window=t@pci:$TD/2: the PCI device has no such BAR, or none assigned" \
	"window=t@pci:$TD/2"
exit $failed
