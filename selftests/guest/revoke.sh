# SPDX-License-Identifier: GPL-2.0
#
# PCI removal: loads the windows revoke_test works on -- "edu", the edu
# device's BAR 0 by PCI address, and "ivw" on the ivshmem BAR -- and
# leaves them loaded; revoke_test removes the device under them and
# rescans; revoke-rescan.sh unloads them.  First, runtime PM: with its
# power control on "auto", the driverless edu device is suspended when
# nothing holds it, and a pci: window holds it powered.
. ./lib.sh
plan 3

got=$(pm_idle_status "$PW_EDU_BDF")
[ "$got" = suspended ]
check "revoke: edu runtime-suspends when nothing holds it (control auto)" $? "$got"
if load "revoke" "window=edu@pci:$PW_EDU_BDF/0:$EDU_SPEC,ivw@$IVW+4K"; then
	got=$(pm_idle_status "$PW_EDU_BDF")
	[ "$got" = active ]
	check "revoke: a pci: window keeps its device powered (runtime PM)" $? "$got"
else
	fail "revoke: a pci: window keeps its device powered (runtime PM)" "not loaded"
fi
exit $failed
