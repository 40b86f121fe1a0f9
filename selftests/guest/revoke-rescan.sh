# SPDX-License-Identifier: GPL-2.0
#
# After revoke_test: the module with a revoked window unloads cleanly (no
# claim left to free twice, no warning).  Then the same again for a window
# given by address inside the (rescanned) edu BAR: it holds the device
# powered as a pci: window does, removing the device revokes it too, and
# the module still unloads cleanly.
. ./lib.sh
plan 8

# the kernel's complaint when a claim was freed under physwin
nonexistent() { dmesg | grep -c 'Trying to free nonexistent resource'; }

# unload_once NAME RESULT: unload (one result), then RESULT: the kernel
# did not complain of a claim freed twice
unload_once() {
	dmesg -c >/dev/null
	unload "$1"
	[ "$(nonexistent)" = 0 ]
	check "$2" $? "$(dmesg | tail -n 5)"
}

got=$(./physwin list | awk '$2 == "edu" || $2 == "ivw" { print $2, $NF }' | tr '\n' ' ')
[ "$got" = "edu mappable,exact,gone ivw mappable,claimed " ]
check "revoke: physwin list shows the edu window gone, ivw not" $? "$got"
unload_once "revoke" "revoke: unload frees no claim twice"

# the device is new after the rescan: enable its decoding again (ARM)
echo 1 > "/sys/bus/pci/devices/$PW_EDU_BDF/enable"
edu=$(printf '0x%x\n' "$(sed -n 1p "/sys/bus/pci/devices/$PW_EDU_BDF/resource" | cut -d' ' -f1)")
if load "revoke by address" base="$edu" size=0x1000; then
	got=$(pm_idle_status "$PW_EDU_BDF")
	[ "$got" = active ]
	check "revoke: a base= window inside a BAR keeps the device powered too" $? "$got"
	v=$(./pwio read "$edu" 4)
	echo 1 > "/sys/bus/pci/devices/$PW_EDU_BDF/remove"
	got="$v $(./pwio read "$edu" 4) $(cat /sys/class/misc/physwin/windows/win0/state)"
	[ "$got" = "0x010000ed ENODEV gone" ]
	check "revoke: a base= window inside a removed BAR is revoked too" $? "$got"
	unload_once "revoke by address" "revoke: ...and unload frees no claim twice"
	echo 1 > /sys/bus/pci/rescan
	echo 1 > "/sys/bus/pci/devices/$PW_EDU_BDF/enable"
else
	fail "revoke: a base= window inside a BAR keeps the device powered too" "not loaded"
	fail "revoke: a base= window inside a removed BAR is revoked too" "not loaded"
	fail "revoke: unload" "not loaded"
	fail "revoke: ...and unload frees no claim twice" "not loaded"
fi
exit $failed
