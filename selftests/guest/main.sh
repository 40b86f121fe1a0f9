# SPDX-License-Identifier: GPL-2.0
#
# Loads the six windows of the main run (lib.sh) and leaves them loaded
# for the steps that follow (physwin_test, lib_vm_test, batch_test, cli,
# busy).
. ./lib.sh
plan 2

if load "main" $CONFIG; then
	claims=$(grep -c ': physwin$' /proc/iomem)
	[ "$claims" = 6 ]
	check "main: 6 windows claimed in /proc/iomem" $? "$claims claims" \
		"$(cat /proc/iomem)"
else
	fail "main: 6 windows claimed in /proc/iomem" "not loaded"
fi
exit $failed
